// Package incident is the domain core: what a case is, what a reporter tells
// (step 1, Ontdekken), how a report is validated, how cases are numbered, and
// the policies that say who may see and do what. It knows no SQL, HTTP or HTML.
package incident

import (
	"fmt"
	"time"
)

// Status is where a case stands in the seven steps.
type Status string

// Statuses. Later steps add theirs; the report form creates StatusNew.
const (
	StatusNew Status = "new" // reported, waiting for the desk (step 1 done)
)

// Label is the Dutch name shown to users.
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "Nieuw, wacht op het meldpunt"
	case StatusInventory:
		return "Meldpunt inventariseert"
	case StatusAssessment:
		return "FG beoordeelt"
	case StatusNotification:
		return "Melden aan de AP"
	case StatusInforming:
		return "Betrokkenen informeren"
	case StatusRecording:
		return "Vastleggen en afsluiten"
	case StatusClosed:
		return "Afgesloten"
	}
	return string(s)
}

// Number is a case number: per organisation and calendar year (in
// Europe/Amsterdam), e.g. 2026-0007.
type Number struct {
	Year int
	Seq  int
}

func (n Number) String() string { return fmt.Sprintf("%d-%04d", n.Year, n.Seq) }

// Case is one reported incident with everything known about it.
type Case struct {
	ID             int64
	OrganisationID int64
	Number         Number
	SchoolID       *int64
	SchoolName     string
	ReporterID     int64
	ReporterName   string
	ReporterEmail  string
	Status         Status
	ReportedAt     time.Time
	UpdatedAt      time.Time
	Report         Report
}

// Summary is a case as listed in an inbox or overview.
type Summary struct {
	ID           int64
	Number       Number
	SchoolName   string
	ReporterName string
	Status       Status
	ReportedAt   time.Time
	Excerpt      string
	PersonalData Answer
}

// Event is one entry on a case's timeline.
type Event struct {
	ID        int64
	At        time.Time
	ActorID   *int64
	ActorName string
	Kind      string
	Summary   string
}

// Event kinds.
const (
	EventReported = "reported"
)
