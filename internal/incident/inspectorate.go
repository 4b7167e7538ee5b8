package incident

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// The Inspectie van het Onderwijs (issue 10.4): when a breach concerns test
// or exam results, the school also informs the Inspectie. The advice reminds
// the officer of it (assessment.remindInspectorate); the officer records
// whether and when it was done, or why it was not needed, and the register
// shows it.

// Inspectorate is what the officer recorded.
type Inspectorate struct {
	Informed   bool
	InformedOn time.Time // the day (midnight UTC as a date); zero when not informed
	Reason     string    // why not (required when not informed), or a note
	RecordedBy string
	RecordedAt time.Time
}

// InspectorateForm is the form as posted.
type InspectorateForm struct {
	Informed   string // "yes" or "no"
	InformedOn string // yyyy-mm-dd (the browser's date field) or dd-mm-jjjj
	Reason     string
}

// InspectorateAnswers are the choices of the form.
var InspectorateAnswers = []Option{
	{Value: "yes", Label: "Ja, de Inspectie is geïnformeerd"},
	{Value: "no", Label: "Nee, dat is niet nodig"},
}

// Parse checks the form against today (in loc): informed needs a day that
// is not in the future; not informed needs a reason.
func (f InspectorateForm) Parse(today time.Time, loc *time.Location) (Inspectorate, error) {
	errs := apperr.FieldErrors{}
	var r Inspectorate
	r.Reason = strings.TrimSpace(f.Reason)
	if utf8.RuneCountInString(r.Reason) > 2000 {
		errs.Add("inspectorate_reason", "De toelichting is te lang: hoogstens 2000 tekens.")
	}
	switch f.Informed {
	case "yes":
		r.Informed = true
		// The browser's date field sends yyyy-mm-dd; typed, dd-mm-jjjj: read
		// as the import reads a date cell.
		day, ok := ParseImportDate(ImportCell{Text: f.InformedOn}, time.UTC)
		switch {
		case strings.TrimSpace(f.InformedOn) == "":
			errs.Add("inspectorate_on", "Vul de datum in waarop de Inspectie is geïnformeerd.")
		case !ok:
			errs.Add("inspectorate_on", "Dit is geen datum. Vul de datum in als 14-03-2026.")
		case day.After(civilDay(today, loc)):
			errs.Add("inspectorate_on", "Deze datum ligt in de toekomst. Leg het vast nadat de Inspectie is geïnformeerd.")
		case day.Year() < 2000:
			errs.Add("inspectorate_on", "Kijk het jaartal na.")
		default:
			r.InformedOn = day
		}
	case "no":
		if r.Reason == "" {
			errs.Add("inspectorate_reason", "Leg uit waarom de Inspectie niet geïnformeerd hoeft te worden, bijvoorbeeld: het gaat niet om toets- of examenresultaten.")
		}
	default:
		errs.Add("inspectorate_informed", "Kies of de Inspectie van het Onderwijs is geïnformeerd.")
	}
	if err := errs.Err(); err != nil {
		return Inspectorate{}, err
	}
	return r, nil
}

// civilDay is the date of t in loc, as midnight UTC.
func civilDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Text is the record as the register and the timeline say it.
func (r Inspectorate) Text() string {
	if r.Informed {
		s := "Ja, op " + r.InformedOn.Format("02-01-2006")
		if r.Reason != "" {
			s += " (" + r.Reason + ")"
		}
		return s
	}
	return "Niet nodig: " + r.Reason
}
