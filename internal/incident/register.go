package incident

import (
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
)

// ActViewRegister is reading the datalekregister: every case of the
// organisation within the actor's scope, breach or not.
const ActViewRegister Action = "view_register"

// CanViewRegister reports whether the actor may read the register: the desk,
// officer and board of the organisation (within their schools, see
// ReadScope). Administrators and plain staff may not.
func CanViewRegister(a *access.Actor) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	for _, r := range caseReaders {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// RegisterEntry is one case as the register shows it (seed 001
// "Registratieplicht").
type RegisterEntry struct {
	ID            int64
	Number        Number
	SchoolName    string
	ReporterName  string
	ReportedAt    time.Time
	Status        Status
	Outcome       Outcome
	OutcomeReason string
	// What is an excerpt of the inventory's summary, else of the report.
	What string
	// DataKinds are the inventory's data types, else the report's kinds.
	DataKinds []string
	// The AP: notified (with its meldingsnummer), decided not to (with the
	// reason), or still open.
	APNotifiedAt *time.Time
	APNumber     string
	APDecided    bool // a decision on notifying exists
	APNotify     bool // the decision was to notify
	APReason     string
	// APLate is set when the initial notification was sent more than 72 hours
	// after awareness; nil without a notification.
	APLate *bool
	// Data subjects: informed (sent), decided not to (with the reason), or open.
	SubjectsSentAt  *time.Time
	SubjectsDecided bool
	SubjectsNotify  bool
	SubjectsReason  string
	// Imported is set for a case imported from an Excel register; its
	// ReporterName is then the name the sheet gave (the importer's when empty).
	Imported bool
}
