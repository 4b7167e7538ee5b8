package incident

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Processors (verwerkers): suppliers that receive personal data from the
// school, such as publishers and student administration systems. Seed 000
// ("Afspraken met leveranciers") asks the board to agree with each of them:
// how the parties inform each other about breaches, reachable in weekends and
// holidays; who notifies the AP; what information the processor supplies and
// within what time; who communicates with the users. A breach can start at a
// processor; the school (the controller) stays responsible.

// Processor actions.
const (
	ActViewProcessors   Action = "view_processors"     // the list and the agreements
	ActManageProcessors Action = "manage_processors"   // create and edit
	ActLinkProcessor    Action = "link_processor"      // link a case to the processor where it happened
	ActProcessorDeliver Action = "processor_delivered" // the processor's information was received
)

// CanViewProcessors reports whether the actor may read the organisation's
// processors and their agreements: the desk and the board (who need them
// when a breach starts at a supplier), the officer and the administrator
// (who manage them).
func CanViewProcessors(a *access.Actor) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	for _, r := range []access.Role{access.Desk, access.Officer, access.Board, access.Admin} {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// CanManageProcessors reports whether the actor may add and edit processors:
// the officer (who answers for the breach agreements, seed 000) and the
// administrator (who keeps the organisation's settings), organisation-wide
// only, since a processor serves the whole board, not one school.
func CanManageProcessors(a *access.Actor) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	return a.HasOrgWide(access.Officer) || a.HasOrgWide(access.Admin)
}

// ProcessorLinkOpen reports whether a case in status s can get a processor
// linked at all (steps 2 and 3), whoever asks: the statuses of CanLinkProcessor.
func ProcessorLinkOpen(s Status) bool {
	return s == StatusNew || s == StatusInventory || s == StatusAssessment
}

// CanLinkProcessor reports whether the actor may link case c to a processor
// now: the desk of the case's school while inventorying (step 2), the
// officer of the case's school while assessing (step 3).
func CanLinkProcessor(a *access.Actor, c *Case) bool {
	if a == nil || c == nil || a.UserID == 0 || a.OrganisationID != c.OrganisationID {
		return false
	}
	switch c.Status {
	case StatusNew, StatusInventory:
		return a.ScopeFor(access.Desk).Covers(c.SchoolID)
	case StatusAssessment:
		return a.ScopeFor(access.Officer).Covers(c.SchoolID)
	}
	return false
}

// CanRecordProcessorDelivery reports whether the actor may record that the
// processor's information came in: the desk or the officer of the case's
// school, while the case is open.
func CanRecordProcessorDelivery(a *access.Actor, c *Case) bool {
	if a == nil || c == nil || a.UserID == 0 || a.OrganisationID != c.OrganisationID || c.Status == StatusClosed {
		return false
	}
	return a.ScopeFor(access.Desk).Covers(c.SchoolID) || a.ScopeFor(access.Officer).Covers(c.SchoolID)
}

// Parties of an agreement: who notifies the AP, who informs the users.
const (
	PartySchool    = "school"
	PartyProcessor = "processor"
)

// APNotifiers are the choices for who notifies the AP (seed 000: the
// processor may notify on behalf of the board, under its responsibility;
// without a clear agreement the board notifies itself).
var APNotifiers = []Option{
	{PartySchool, "Het schoolbestuur (de FG)"},
	{PartyProcessor, "De verwerker, namens en onder verantwoordelijkheid van het schoolbestuur"},
}

// Communicators are the choices for who communicates with the users (the
// data subjects).
var Communicators = []Option{
	{PartySchool, "Het schoolbestuur"},
	{PartyProcessor, "De verwerker, in overleg met het schoolbestuur"},
}

// Processor is a supplier with the breach agreements made with it.
type Processor struct {
	ID             int64
	OrganisationID int64
	Name           string
	Processes      string // what personal data it processes, for what
	BreachContact  string // whom to contact about a breach
	HowInform      string // how the parties inform each other about breaches
	OffHours       string // how they are reachable in weekends and holidays
	APNotifier     string // PartySchool or PartyProcessor
	Information    string // what information the processor supplies on a breach
	DeliveryHours  int    // within how many hours after being informed
	Communicator   string // PartySchool or PartyProcessor
	UpdatedAt      time.Time
	UpdatedBy      string
}

// APNotifierLabel is who notifies the AP, in Dutch.
func (p Processor) APNotifierLabel() string { return LabelOf(APNotifiers, p.APNotifier) }

// CommunicatorLabel is who communicates with the users, in Dutch.
func (p Processor) CommunicatorLabel() string { return LabelOf(Communicators, p.Communicator) }

// DeliveryLabel is the delivery time in Dutch: "binnen 24 uur".
func (p Processor) DeliveryLabel() string { return "binnen " + strconv.Itoa(p.DeliveryHours) + " uur" }

// CaseProcessor is the processor where a case's breach happened, with when
// it was informed: its information is due DeliveryHours later.
type CaseProcessor struct {
	Processor  Processor
	InformedAt time.Time
	LinkedAt   time.Time
	LinkedBy   string
	// DeliveredAt is when the processor's information was received; the
	// deadline stops there.
	DeliveredAt *time.Time
}

// Awaited reports whether the processor's information is still awaited.
func (cp CaseProcessor) Awaited() bool { return cp.DeliveredAt == nil }

// DeliveryDue is the moment the processor must have supplied its
// information: informed at plus the agreed hours (absolute hours, so a
// daylight-saving change does not move it).
func (cp CaseProcessor) DeliveryDue() time.Time {
	return cp.InformedAt.Add(time.Duration(cp.Processor.DeliveryHours) * time.Hour)
}

// ProcessorForm is the processor form as typed.
type ProcessorForm struct {
	Name          string
	Processes     string
	BreachContact string
	HowInform     string
	OffHours      string
	APNotifier    string
	Information   string
	DeliveryHours string
	Communicator  string
}

// ProcessorFormFrom fills the form from a stored processor.
func ProcessorFormFrom(p Processor) ProcessorForm {
	return ProcessorForm{Name: p.Name, Processes: p.Processes, BreachContact: p.BreachContact, HowInform: p.HowInform,
		OffHours: p.OffHours, APNotifier: p.APNotifier, Information: p.Information,
		DeliveryHours: strconv.Itoa(p.DeliveryHours), Communicator: p.Communicator}
}

// MaxDeliveryHours is the longest delivery time accepted: the AP must be
// notified within 72 hours, so a supplier's information is useless later; a
// week is allowed for follow-up information.
const MaxDeliveryHours = 168

// Parse validates the form, with a Dutch message per field.
func (f ProcessorForm) Parse() (Processor, error) {
	errs := apperr.FieldErrors{}
	p := Processor{Name: strings.TrimSpace(f.Name), Processes: strings.TrimSpace(f.Processes),
		BreachContact: strings.TrimSpace(f.BreachContact), HowInform: strings.TrimSpace(f.HowInform),
		OffHours: strings.TrimSpace(f.OffHours), APNotifier: f.APNotifier, Information: strings.TrimSpace(f.Information),
		Communicator: f.Communicator}
	text := func(field, v string, min, max int, empty string) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			errs.Add(field, empty)
		case n < min:
			errs.Add(field, "Schrijf iets meer: dit is te kort om later op terug te vallen.")
		case n > max:
			errs.Add(field, "Deze tekst is te lang (meer dan "+strconv.Itoa(max)+" tekens).")
		}
	}
	text("name", p.Name, 2, 200, "Vul de naam van de leverancier in.")
	text("processes", p.Processes, 3, 2000, "Beschrijf welke persoonsgegevens de leverancier verwerkt, en waarvoor.")
	text("breach_contact", p.BreachContact, 3, 500, "Vul in wie u bij een datalek bij de leverancier bereikt (naam, telefoon, e-mail).")
	text("how_inform", p.HowInform, 3, 2000, "Beschrijf hoe u elkaar over een datalek informeert.")
	text("off_hours", p.OffHours, 3, 2000, "Beschrijf hoe de leverancier in het weekend en in vakanties bereikbaar is.")
	text("information", p.Information, 3, 2000, "Beschrijf welke informatie de leverancier bij een datalek aanlevert.")
	if p.APNotifier != PartySchool && p.APNotifier != PartyProcessor {
		errs.Add("ap_notifier", "Kies wie de melding bij de Autoriteit Persoonsgegevens doet.")
	}
	if p.Communicator != PartySchool && p.Communicator != PartyProcessor {
		errs.Add("communicator", "Kies wie de communicatie met de gebruikers verzorgt.")
	}
	h, err := strconv.Atoi(strings.TrimSpace(f.DeliveryHours))
	switch {
	case strings.TrimSpace(f.DeliveryHours) == "":
		errs.Add("delivery_hours", "Vul in binnen hoeveel uur de leverancier de informatie aanlevert.")
	case err != nil || h < 1:
		errs.Add("delivery_hours", "Vul een heel aantal uren in, bijvoorbeeld 24.")
	case h > MaxDeliveryHours:
		errs.Add("delivery_hours", "Dat is te lang: de AP moet binnen 72 uur een melding hebben. Kies hoogstens 168 uur (een week).")
	default:
		p.DeliveryHours = h
	}
	if err := errs.Err(); err != nil {
		return Processor{}, err
	}
	return p, nil
}

// ProcessorLinkForm links a case to a processor, as typed.
type ProcessorLinkForm struct {
	ProcessorID string
	InformedAt  string // DateTimeLayout, Europe/Amsterdam
}

// Parse validates the link: a processor chosen, and when it was informed.
// Only a moment in the future is refused: a processor may have been informed
// (or have informed the school) before the case was reported.
func (f ProcessorLinkForm) Parse(now time.Time, loc *time.Location) (int64, time.Time, error) {
	errs := apperr.FieldErrors{}
	id, err := strconv.ParseInt(strings.TrimSpace(f.ProcessorID), 10, 64)
	if err != nil || id <= 0 {
		errs.Add("processor", "Kies de verwerker waar het datalek gebeurde.")
	}
	at, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(f.InformedAt), loc)
	switch {
	case strings.TrimSpace(f.InformedAt) == "":
		errs.Add("informed_at", "Vul in wanneer de verwerker is geïnformeerd, bijvoorbeeld 24-11-2026 14:30.")
	case err != nil:
		errs.Add("informed_at", "Vul een datum en tijd in, bijvoorbeeld 24-11-2026 14:30.")
	case at.After(now.Add(5 * time.Minute)):
		errs.Add("informed_at", "Deze datum ligt in de toekomst.")
	}
	if err := errs.Err(); err != nil {
		return 0, time.Time{}, err
	}
	return id, at, nil
}
