package incident

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/deadline"
)

// The half-year analysis (seed 000 "Monitoring"): twice a year the desk
// analyses every report together with the officer; the board is informed of
// the outcome. This file holds the period maths, the figures computed from
// the cases, the report's texts and who may do what with it.

// HalfYear is 1 January–30 June (Half 1) or 1 July–31 December (Half 2) of
// a year, in Europe/Amsterdam. A case belongs to the half year in which it
// was reported (cases.reported_at): that moment is always known and never
// changes, unlike the moment it happened, which is often a guess.
type HalfYear struct {
	Year int
	Half int // 1 or 2
}

// HalfYearOf returns the half year that contains t in loc.
func HalfYearOf(t time.Time, loc *time.Location) HalfYear {
	t = t.In(loc)
	if t.Month() <= time.June {
		return HalfYear{Year: t.Year(), Half: 1}
	}
	return HalfYear{Year: t.Year(), Half: 2}
}

// ParseHalfYear reads "2026-1" or "2026-2".
func ParseHalfYear(s string) (HalfYear, bool) {
	y, h, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return HalfYear{}, false
	}
	year, err1 := strconv.Atoi(y)
	half, err2 := strconv.Atoi(h)
	if err1 != nil || err2 != nil || year < 2000 || year > 2999 || (half != 1 && half != 2) {
		return HalfYear{}, false
	}
	return HalfYear{Year: year, Half: half}, true
}

// String is the form ParseHalfYear reads.
func (h HalfYear) String() string { return fmt.Sprintf("%d-%d", h.Year, h.Half) }

// Start is the first moment of the half year.
func (h HalfYear) Start(loc *time.Location) time.Time {
	m := time.January
	if h.Half == 2 {
		m = time.July
	}
	return time.Date(h.Year, m, 1, 0, 0, 0, 0, loc)
}

// End is the first moment after the half year.
func (h HalfYear) End(loc *time.Location) time.Time { return h.Start(loc).AddDate(0, 6, 0) }

// Previous is the half year before.
func (h HalfYear) Previous() HalfYear {
	if h.Half == 2 {
		return HalfYear{Year: h.Year, Half: 1}
	}
	return HalfYear{Year: h.Year - 1, Half: 2}
}

// Label is the Dutch name, e.g. "1e halfjaar 2026 (1 januari–30 juni)".
func (h HalfYear) Label() string {
	if h.Half == 1 {
		return fmt.Sprintf("1e halfjaar %d (1 januari–30 juni)", h.Year)
	}
	return fmt.Sprintf("2e halfjaar %d (1 juli–31 december)", h.Year)
}

// Short is the name in a chart legend: "1e hj 2026".
func (h HalfYear) Short() string { return fmt.Sprintf("%de hj %d", h.Half, h.Year) }

// MonthNames are the Dutch month names, January first.
var MonthNames = []string{"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"}

// AnalysisCase is what the analysis reads of one case.
type AnalysisCase struct {
	ID           int64
	Number       Number
	SchoolID     *int64
	SchoolName   string
	ReportedAt   time.Time
	DiscoveredAt *time.Time
	AwareAt      time.Time // when the 72 hours start: cases.clock_start (see Case.AwareAt)
	Outcome      Outcome
	Nature       string   // the inventory's nature, "" when not recorded
	DataKinds    []string // the inventory's data types, else the report's kinds
	Cause        string   // the repair's cause, free text
	Measures     []Measure
	// APNotifiedAt is when the initial notification to the AP was sent.
	APNotifiedAt *time.Time
	// SubjectsSentAt is when the notice to the data subjects was sent.
	SubjectsSentAt *time.Time
	// Imported is set for a case imported from an Excel register. Its sheet
	// gives dates, not the moments of discovery and awareness: it is left
	// out of the time to the AP. SubjectsInformed is what the sheet said
	// about informing the data subjects (no notice exists in Lekwacht).
	Imported         bool
	SubjectsInformed bool
	// Outside is set for a report from outside: the public report page or a
	// processor's link (issue 12, "melding van buiten").
	Outside bool
}

// Measure is one of the four measure fields of a repair.
type Measure struct {
	Kind string // Dutch label, e.g. "Technisch, structureel"
	Text string
}

// Count is one bar: a group and how many cases fall in it.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int    `json:"n"`
}

// PeriodFigures are the figures of one half year.
type PeriodFigures struct {
	Period HalfYear `json:"period"`
	// Reports is every case reported in the period. Incidents leaves out
	// those found to be no security incident (a threat only); cases not yet
	// decided count as incidents. Breaches are those decided a data breach;
	// Open are those without an outcome yet.
	Reports   int `json:"reports"`
	Incidents int `json:"incidents"`
	Breaches  int `json:"breaches"`
	Open      int `json:"open"`
	// Outside counts the reports from outside (issue 12): parents, pupils,
	// suppliers and others through the public page, processors through their link.
	Outside int `json:"outside"`
	// APNotified and SubjectsNotified count breaches whose AP notification,
	// or notice to the data subjects, was sent.
	APNotified       int `json:"ap_notified"`
	SubjectsNotified int `json:"subjects_notified"`
	// From the moment the clock starts (cases.clock_start: the FG's moment
	// of awareness, else the discovery, else the report) to the initial AP
	// notification, over the notified cases (NotifyCount): median and
	// slowest in minutes, and how many were sent more than 72 hours after it.
	NotifyMedianMinutes  int `json:"notify_median_minutes"`
	NotifySlowestMinutes int `json:"notify_slowest_minutes"`
	NotifyLate           int `json:"notify_late"`
	NotifyCount          int `json:"notify_count"`

	ByNature   []Count `json:"by_nature"`
	ByCause    []Count `json:"by_cause"`
	ByDataKind []Count `json:"by_data_kind"`
	BySchool   []Count `json:"by_school"`
	ByMonth    []Count `json:"by_month"` // always six, in order
}

// Share is part/whole as a percentage rounded to a whole number; 0 when whole is 0.
func Share(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (part*200 + whole) / (2 * whole)
}

// APShare is the percentage of breaches notified to the AP.
func (p PeriodFigures) APShare() int { return Share(p.APNotified, p.Breaches) }

// SubjectsShare is the percentage of breaches of which the data subjects were informed.
func (p PeriodFigures) SubjectsShare() int { return Share(p.SubjectsNotified, p.Breaches) }

// RepeatCause is a cause that occurred more than once in the period, or in
// both the period and the one before.
type RepeatCause struct {
	Label    string `json:"label"`
	Current  int    `json:"current"`
	Previous int    `json:"previous"`
}

// CaseMeasures are the measures taken in one case of the period.
type CaseMeasures struct {
	Number   string    `json:"number"`
	Cause    string    `json:"cause"`
	Measures []Measure `json:"measures"`
}

// AnalysisFigures are the figures of a half year beside the one before:
// what the page shows live and what a saved report keeps as its snapshot.
type AnalysisFigures struct {
	Current      PeriodFigures  `json:"current"`
	Previous     PeriodFigures  `json:"previous"`
	RepeatCauses []RepeatCause  `json:"repeat_causes"`
	Measures     []CaseMeasures `json:"measures"`
	// Scope says whose cases were counted, e.g. "alle scholen" or the
	// schools of a role limited to some.
	Scope string `json:"scope"`
}

// Group labels for cases without the value.
const (
	labelNoNature = "Aard niet vastgelegd"
	labelNoCause  = "Oorzaak (nog) niet vastgelegd"
	labelNoKind   = "Geen soort gegevens vastgelegd"
	labelNoSchool = "Geen school (bestuursbureau of onbekend)"
)

// NormaliseCause makes free-text causes comparable: lower case, inner
// white space collapsed, and surrounding white space and punctuation
// removed. "Phishing-mail." and " phishing-mail " are one cause;
// "phishing" and "phishingmail" are not: causes are free text (case_repairs.cause)
// and Lekwacht does not guess at synonyms.
func NormaliseCause(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// Analyse computes the figures of period h and of the half year before
// from the cases (which may hold cases of other periods: they are left out).
func Analyse(cases []AnalysisCase, h HalfYear, loc *time.Location, scope string) AnalysisFigures {
	prev := h.Previous()
	var cur, before []AnalysisCase
	for _, c := range cases {
		switch HalfYearOf(c.ReportedAt, loc) {
		case h:
			cur = append(cur, c)
		case prev:
			before = append(before, c)
		}
	}
	f := AnalysisFigures{Current: periodFigures(cur, h, loc), Previous: periodFigures(before, prev, loc), Scope: scope}

	// Repeat causes: the label shown is the first spelling met in the period.
	type causeCount struct {
		label     string
		cur, prev int
	}
	causes := map[string]*causeCount{}
	var order []string
	for i, list := range [][]AnalysisCase{cur, before} {
		for _, c := range list {
			k := NormaliseCause(c.Cause)
			if k == "" {
				continue
			}
			cc, ok := causes[k]
			if !ok {
				cc = &causeCount{label: strings.TrimSpace(c.Cause)}
				causes[k] = cc
				order = append(order, k)
			}
			if i == 0 {
				cc.cur++
			} else {
				cc.prev++
			}
		}
	}
	for _, k := range order {
		cc := causes[k]
		if cc.cur > 1 || (cc.cur > 0 && cc.prev > 0) {
			f.RepeatCauses = append(f.RepeatCauses, RepeatCause{Label: cc.label, Current: cc.cur, Previous: cc.prev})
		}
	}
	sort.SliceStable(f.RepeatCauses, func(i, j int) bool {
		a, b := f.RepeatCauses[i], f.RepeatCauses[j]
		if a.Current+a.Previous != b.Current+b.Previous {
			return a.Current+a.Previous > b.Current+b.Previous
		}
		return a.Label < b.Label
	})

	for _, c := range cur {
		if len(c.Measures) == 0 {
			continue
		}
		f.Measures = append(f.Measures, CaseMeasures{Number: c.Number.String(), Cause: strings.TrimSpace(c.Cause), Measures: c.Measures})
	}
	sort.Slice(f.Measures, func(i, j int) bool { return f.Measures[i].Number < f.Measures[j].Number })
	return f
}

func periodFigures(cases []AnalysisCase, h HalfYear, loc *time.Location) PeriodFigures {
	p := PeriodFigures{Period: h, Reports: len(cases)}
	natures, causes, kinds, schools := newCounter(), newCounter(), newCounter(), newCounter()
	months := make([]int, 6)
	var minutes []int
	for _, c := range cases {
		switch c.Outcome {
		case OutcomeNoIncident:
		case OutcomeBreach:
			p.Incidents++
			p.Breaches++
		case OutcomeNone:
			p.Incidents++
			p.Open++
		default:
			p.Incidents++
		}
		if c.Outside {
			p.Outside++
		}
		if c.Outcome == OutcomeBreach {
			if c.APNotifiedAt != nil {
				p.APNotified++
			}
			if c.SubjectsSentAt != nil || (c.Imported && c.SubjectsInformed) {
				p.SubjectsNotified++
			}
		}
		if c.APNotifiedAt != nil && !c.Imported {
			// The same moment the register's "op tijd / te laat" counts from.
			minutes = append(minutes, int(c.APNotifiedAt.Sub(c.AwareAt).Minutes()))
			if deadline.Late(deadline.Authority(c.AwareAt), *c.APNotifiedAt) {
				p.NotifyLate++
			}
		}
		if c.Nature == "" {
			natures.add("", labelNoNature)
		} else {
			natures.add(c.Nature, LabelOf(Natures, c.Nature))
		}
		if k := NormaliseCause(c.Cause); k == "" {
			causes.add("", labelNoCause)
		} else {
			causes.add(k, strings.TrimSpace(c.Cause))
		}
		if len(c.DataKinds) == 0 {
			kinds.add("", labelNoKind)
		}
		for _, k := range c.DataKinds {
			kinds.add(k, LabelOf(DataKinds, k))
		}
		if c.SchoolID == nil {
			schools.add("", labelNoSchool)
		} else {
			schools.add(strconv.FormatInt(*c.SchoolID, 10), c.SchoolName)
		}
		m := int(c.ReportedAt.In(loc).Month()-h.Start(loc).Month()) % 12
		if m >= 0 && m < 6 {
			months[m]++
		}
	}
	if len(minutes) > 0 {
		slices.Sort(minutes)
		n := len(minutes)
		if n%2 == 1 {
			p.NotifyMedianMinutes = minutes[n/2]
		} else {
			p.NotifyMedianMinutes = (minutes[n/2-1] + minutes[n/2]) / 2
		}
		p.NotifySlowestMinutes = minutes[n-1]
		p.NotifyCount = n
	}
	p.ByNature, p.ByCause, p.ByDataKind, p.BySchool = natures.sorted(), causes.sorted(), kinds.sorted(), schools.sorted()
	first := int(h.Start(loc).Month()) - 1
	for i, n := range months {
		p.ByMonth = append(p.ByMonth, Count{Key: strconv.Itoa(first + i + 1), Label: MonthNames[first+i], N: n})
	}
	return p
}

type counter struct {
	order []string
	m     map[string]*Count
}

func newCounter() *counter { return &counter{m: map[string]*Count{}} }

func (c *counter) add(key, label string) {
	if x, ok := c.m[key]; ok {
		x.N++
		return
	}
	c.m[key] = &Count{Key: key, Label: label, N: 1}
	c.order = append(c.order, key)
}

// sorted lists the groups, most frequent first, then by label; the group
// without a value last.
func (c *counter) sorted() []Count {
	out := make([]Count, 0, len(c.order))
	for _, k := range c.order {
		out = append(out, *c.m[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Key == "") != (out[j].Key == "") {
			return out[j].Key == ""
		}
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// AnalysisCharts are the names of the charts of an analysis, in the order the page shows them.
var AnalysisCharts = []string{"totalen", "maanden", "aard", "oorzaak", "gegevens", "scholen"}

// AnalysisChartTitle is the Dutch title of a chart.
func AnalysisChartTitle(name string) string {
	switch name {
	case "totalen":
		return "Meldingen, incidenten en datalekken"
	case "maanden":
		return "Meldingen per maand"
	case "aard":
		return "Meldingen naar aard van het incident"
	case "oorzaak":
		return "Meldingen naar oorzaak"
	case "gegevens":
		return "Meldingen naar soort persoonsgegevens"
	case "scholen":
		return "Meldingen per school"
	}
	return ""
}

// AnalysisRows are what a chart and the table beside it show: per group
// the current and the previous period.
func AnalysisRows(f AnalysisFigures, name string) ([]Pair, bool) {
	c, p := f.Current, f.Previous
	switch name {
	case "totalen":
		return AnalysisTotals(f), true
	case "maanden":
		return MonthPairs(c.ByMonth, p.ByMonth), true
	case "aard":
		return Pairs(c.ByNature, p.ByNature), true
	case "oorzaak":
		return Pairs(c.ByCause, p.ByCause), true
	case "gegevens":
		return Pairs(c.ByDataKind, p.ByDataKind), true
	case "scholen":
		return Pairs(c.BySchool, p.BySchool), true
	}
	return nil, false
}

// AnalysisTotals are the headline counts of both periods.
func AnalysisTotals(f AnalysisFigures) []Pair {
	c, p := f.Current, f.Previous
	return []Pair{
		{Label: "Meldingen", Current: c.Reports, Previous: p.Reports},
		{Label: "Waarvan melding van buiten", Current: c.Outside, Previous: p.Outside},
		{Label: "Beveiligingsincidenten", Current: c.Incidents, Previous: p.Incidents},
		{Label: "Datalekken", Current: c.Breaches, Previous: p.Breaches},
		{Label: "Gemeld aan de AP", Current: c.APNotified, Previous: p.APNotified},
		{Label: "Betrokkenen geïnformeerd", Current: c.SubjectsNotified, Previous: p.SubjectsNotified},
	}
}

// Pair is one group with its count in the period and in the one before:
// the rows of a table and the bars of a chart.
type Pair struct {
	Label    string
	Current  int
	Previous int
}

// Pairs joins the groups of both periods by key, in the order of the
// current period, then groups only the previous period had.
func Pairs(cur, prev []Count) []Pair {
	idx := map[string]int{}
	var out []Pair
	for _, c := range cur {
		idx[c.Key] = len(out)
		out = append(out, Pair{Label: c.Label, Current: c.N})
	}
	for _, c := range prev {
		if i, ok := idx[c.Key]; ok {
			out[i].Previous = c.N
			continue
		}
		idx[c.Key] = len(out)
		out = append(out, Pair{Label: c.Label, Previous: c.N})
	}
	return out
}

// MonthPairs pairs the months by position: the first month of the period
// beside the first month of the one before.
func MonthPairs(cur, prev []Count) []Pair {
	out := make([]Pair, len(cur))
	for i, c := range cur {
		out[i] = Pair{Label: c.Label, Current: c.N}
		if i < len(prev) {
			out[i].Label = c.Label + " / " + prev[i].Label
			out[i].Previous = prev[i].N
		}
	}
	return out
}

// FormatMinutes shows a duration in minutes as "2 d 5 u 10 min" (Dutch
// abbreviations), "—" when there is none.
func FormatMinutes(m int, any bool) string {
	if !any {
		return "—"
	}
	d, h, mm := m/(24*60), (m/60)%24, m%60
	var parts []string
	if d > 0 {
		parts = append(parts, fmt.Sprintf("%d d", d))
	}
	if h > 0 || d > 0 {
		parts = append(parts, fmt.Sprintf("%d u", h))
	}
	parts = append(parts, fmt.Sprintf("%d min", mm))
	return strings.Join(parts, " ")
}

// AnalysisStatus is where a saved report is: a draft the desk and officer
// work on, or shared with the board (vastgesteld).
type AnalysisStatus string

// Statuses of a saved analysis.
const (
	AnalysisDraft  AnalysisStatus = "draft"
	AnalysisShared AnalysisStatus = "shared"
)

// Label is the Dutch name.
func (s AnalysisStatus) Label() string {
	if s == AnalysisShared {
		return "Vastgesteld en gedeeld met het bestuur"
	}
	return "Concept"
}

// AnalysisReport is a saved analysis: the figures as they were when saved,
// the conclusions and the measures proposed to the board.
type AnalysisReport struct {
	ID             int64
	OrganisationID int64
	Period         HalfYear
	Scope          access.Scope // whose cases the figures counted
	Figures        AnalysisFigures
	Conclusions    string
	Proposals      string
	Status         AnalysisStatus
	AuthorID       int64
	AuthorName     string
	SavedAt        time.Time
	SavedByName    string
	SharedAt       *time.Time
	SharedByName   string
}

// AnalysisTexts are the report's texts as typed.
type AnalysisTexts struct {
	Period      string
	Conclusions string
	Proposals   string
	// Refresh asks to count a draft's figures again from the cases as they
	// are now, instead of keeping those of when it was first saved.
	Refresh bool
}

const maxAnalysisText = 20000

// Validate checks the texts; sharing with the board needs both.
func (t AnalysisTexts) Validate(sharing bool) (AnalysisTexts, error) {
	errs := apperr.FieldErrors{}
	out := AnalysisTexts{Period: strings.TrimSpace(t.Period), Conclusions: strings.TrimSpace(t.Conclusions),
		Proposals: strings.TrimSpace(t.Proposals), Refresh: t.Refresh}
	for field, v := range map[string]string{"conclusions": out.Conclusions, "proposals": out.Proposals} {
		if utf8.RuneCountInString(v) > maxAnalysisText {
			errs.Add(field, "Deze tekst is te lang (meer dan 20.000 tekens).")
		}
	}
	if sharing {
		if out.Conclusions == "" {
			errs.Add("conclusions", "Schrijf de conclusies op voordat u de analyse met het bestuur deelt.")
		}
		if out.Proposals == "" {
			errs.Add("proposals", "Noem de voorgestelde maatregelen (of schrijf dat er geen nodig zijn) voordat u de analyse deelt.")
		}
	}
	return out, errs.Err()
}

// CanAnalyse reports whether the actor may compute the analysis and make,
// edit and share reports: the desk and the officer (seed 000 "Monitoring").
func CanAnalyse(a *access.Actor) bool {
	return a != nil && a.UserID != 0 && (a.Has(access.Desk) || a.Has(access.Officer))
}

// CanReadAnalyses reports whether the actor may see the analysis pages at
// all: the desk, the officer and the board.
func CanReadAnalyses(a *access.Actor) bool {
	return CanAnalyse(a) || (a != nil && a.UserID != 0 && a.Has(access.Board))
}

// AnalysisScope is the union of the actor's desk and officer scopes: the
// schools whose cases an analysis they make counts.
func AnalysisScope(a *access.Actor) access.Scope {
	return unionScope(a, access.Desk, access.Officer)
}

func unionScope(a *access.Actor, roles ...access.Role) access.Scope {
	var s access.Scope
	for _, r := range roles {
		rs := a.ScopeFor(r)
		if rs.All {
			return rs
		}
		for _, id := range rs.Schools {
			if !slices.Contains(s.Schools, id) {
				s.Schools = append(s.Schools, id)
			}
		}
	}
	return s
}

// scopeWithin reports whether every school inner covers is covered by outer.
func scopeWithin(inner, outer access.Scope) bool {
	if outer.All {
		return true
	}
	if inner.All || len(inner.Schools) == 0 {
		return false
	}
	for _, id := range inner.Schools {
		if !slices.Contains(outer.Schools, id) {
			return false
		}
	}
	return true
}

// CanReadAnalysis reports whether the actor may read report r: same
// organisation, and the report counts only schools the actor's role covers
// (a report of all schools needs an organisation-wide role). The desk and
// the officer read drafts and shared reports; the board only shared ones.
func CanReadAnalysis(a *access.Actor, r *AnalysisReport) bool {
	if a == nil || r == nil || a.UserID == 0 || a.OrganisationID != r.OrganisationID {
		return false
	}
	if CanEditAnalysis(a, r) || (r.Status == AnalysisShared && scopeWithin(r.Scope, AnalysisScope(a))) {
		return true
	}
	return r.Status == AnalysisShared && scopeWithin(r.Scope, a.ScopeFor(access.Board))
}

// CanEditAnalysis reports whether the actor may change report r's texts or
// share it: the desk or officer of the organisation whose scope covers the
// report's, while it is a draft.
func CanEditAnalysis(a *access.Actor, r *AnalysisReport) bool {
	if a == nil || r == nil || a.UserID == 0 || a.OrganisationID != r.OrganisationID || r.Status != AnalysisDraft {
		return false
	}
	return CanAnalyse(a) && scopeWithin(r.Scope, AnalysisScope(a))
}

// KeyFigure is one row of the table of headline figures.
type KeyFigure struct {
	Label, Current, Previous string
}

// AnalysisKeyFigures are the headline figures of both periods, as text.
func AnalysisKeyFigures(f AnalysisFigures) []KeyFigure {
	row := func(label string, fn func(p PeriodFigures) string) KeyFigure {
		return KeyFigure{Label: label, Current: fn(f.Current), Previous: fn(f.Previous)}
	}
	n := func(fn func(p PeriodFigures) int) func(p PeriodFigures) string {
		return func(p PeriodFigures) string { return strconv.Itoa(fn(p)) }
	}
	return []KeyFigure{
		row("Meldingen", n(func(p PeriodFigures) int { return p.Reports })),
		row("Beveiligingsincidenten (zonder de meldingen die geen incident bleken)", n(func(p PeriodFigures) int { return p.Incidents })),
		row("  waarvan nog niet beoordeeld", n(func(p PeriodFigures) int { return p.Open })),
		row("Datalekken", n(func(p PeriodFigures) int { return p.Breaches })),
		row("Datalekken gemeld aan de AP", func(p PeriodFigures) string {
			return fmt.Sprintf("%d (%d%%)", p.APNotified, p.APShare())
		}),
		row("Datalekken waarbij de betrokkenen zijn geïnformeerd", func(p PeriodFigures) string {
			return fmt.Sprintf("%d (%d%%)", p.SubjectsNotified, p.SubjectsShare())
		}),
		row("Van ontdekking tot melding aan de AP: mediaan", func(p PeriodFigures) string {
			return FormatMinutes(p.NotifyMedianMinutes, p.NotifyCount > 0)
		}),
		row("Van ontdekking tot melding aan de AP: langzaamst", func(p PeriodFigures) string {
			return FormatMinutes(p.NotifySlowestMinutes, p.NotifyCount > 0)
		}),
		row("Meldingen aan de AP later dan 72 uur na kennisname", func(p PeriodFigures) string {
			return fmt.Sprintf("%d van %d", p.NotifyLate, p.NotifyCount)
		}),
	}
}

// AnalysisMethod explains how the figures are counted; the page and the
// PDF show it under the figures.
var AnalysisMethod = []string{
	"Een melding telt mee in het halfjaar waarin zij is gedaan (datum van melden, Nederlandse tijd): 1 januari–30 juni of 1 juli–31 december. Ernaast staat het halfjaar ervoor.",
	"Beveiligingsincidenten zijn alle meldingen behalve die waarvan is vastgesteld dat het geen beveiligingsincident was; meldingen die nog niet zijn beoordeeld tellen mee. Datalekken zijn de meldingen die als datalek zijn beoordeeld.",
	"Het aandeel gemeld aan de AP en het aandeel waarbij de betrokkenen zijn geïnformeerd is berekend over de datalekken.",
	"De tijd tot de melding aan de AP loopt van de ontdekking (zoals de melder die opgaf, anders het moment van melden) tot het versturen van de eerste melding. Te laat is een melding die meer dan 72 uur na de kennisname is verstuurd.",
	"De aard en de soort persoonsgegevens komen uit de inventarisatie (de soort gegevens anders uit de melding); één melding kan meerdere soorten gegevens hebben.",
	"De oorzaak is vrije tekst van de technicus. Oorzaken zijn samengenomen als de tekst gelijk is, zonder verschil in hoofdletters, spaties en leestekens aan begin en eind; Lekwacht raadt geen synoniemen. Een oorzaak herhaalt zich als zij in het halfjaar meer dan eens voorkomt, of ook in het halfjaar ervoor.",
}
