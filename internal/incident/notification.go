package incident

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Notification kinds: the first notification to the AP, and later ones under
// the same meldingsnummer.
const (
	NoticeInitial    = "initial"
	NoticeSupplement = "supplement"
	NoticeWithdrawal = "withdrawal"
)

// NoticeKindLabel is the Dutch name of a notification kind.
func NoticeKindLabel(kind string) string {
	switch kind {
	case NoticeInitial:
		return "Melding"
	case NoticeSupplement:
		return "Aanvulling"
	case NoticeWithdrawal:
		return "Intrekking"
	}
	return kind
}

// Notification is one notification to the AP as recorded.
type Notification struct {
	ID          int64
	Kind        string
	Number      string
	SentAt      time.Time
	Content     string
	LateReason  string
	BoardReason string
	RecordedAt  time.Time
	RecordedBy  string
}

// Decision is the part of the officer's step-3 decision that later steps and
// the AP form need.
type Decision struct {
	Breach          bool
	NotifyAuthority bool
	AuthorityReason string
	NotifySubjects  bool
	SubjectsReason  string
	SubjectsChannel string
	// SubjectsException is the ground for not informing the data subjects.
	SubjectsException string
	Consequences      string
	NoticePlan        string
	SeverityLevel     string
	SeverityScore     string
	DecidedAt         time.Time
	// Version is the number of this decision among the case's decisions:
	// 1 for the first; a reopened case decided again gets the next one, and
	// every earlier version stays on record (0: not stored yet).
	Version int
}

// NotificationForm is the form in which the officer records the notification.
type NotificationForm struct {
	SentAt      string
	Number      string
	LateReason  string
	BoardReason string
}

var numberPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./_-]{1,59}$`)

// Parse validates the notification against the deadline (72 hours after
// awareness: a late notification needs the reasons for the delay, GDPR art.
// 33(1)) and the board (seed 000 step 5: informed first, or why not).
func (f NotificationForm) Parse(now time.Time, loc *time.Location, earliest, due time.Time, boardInformed bool) (Notification, error) {
	errs := apperr.FieldErrors{}
	n := Notification{Kind: NoticeInitial, Number: strings.TrimSpace(f.Number),
		LateReason: strings.TrimSpace(f.LateReason), BoardReason: strings.TrimSpace(f.BoardReason)}
	if !numberPattern.MatchString(n.Number) {
		errs.Add("number", "Vul het meldingsnummer in dat de AP na het versturen toonde (letters, cijfers en streepjes).")
	}
	sent, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(f.SentAt), loc)
	switch {
	case err != nil:
		errs.Add("sent_at", "Vul de datum en tijd van het versturen in, bijvoorbeeld 24-11-2026 14:30.")
	case sent.After(now.Add(5 * time.Minute)):
		errs.Add("sent_at", "Deze datum ligt in de toekomst.")
	case sent.Before(earliest):
		errs.Add("sent_at", "Deze datum ligt vóór de melding van het incident.")
	default:
		n.SentAt = sent
		if sent.After(due) && utf8.RuneCountInString(n.LateReason) < 10 {
			errs.Add("late_reason", fmt.Sprintf("De melding is na de termijn van 72 uur gedaan (uiterlijk %s). Geef de redenen voor de vertraging (AVG artikel 33 lid 1).",
				due.In(loc).Format("02-01-2006 15:04")))
		}
	}
	if !boardInformed && utf8.RuneCountInString(n.BoardReason) < 10 {
		errs.Add("board_reason", "Het bestuur heeft nog niet vastgelegd dat het is geïnformeerd. Informeer eerst het bestuur, of leg uit waarom dat niet kon.")
	}
	for field, v := range map[string]string{"late_reason": n.LateReason, "board_reason": n.BoardReason} {
		if utf8.RuneCountInString(v) > 5000 {
			errs.Add(field, "Deze uitleg is te lang (meer dan 5000 tekens).")
		}
	}
	if err := errs.Err(); err != nil {
		return Notification{}, err
	}
	return n, nil
}

// AmendForm is a supplement to, or the withdrawal of, a notification.
type AmendForm struct {
	Kind    string
	SentAt  string
	Content string
}

// Parse validates a supplement or withdrawal.
func (f AmendForm) Parse(now time.Time, loc *time.Location, initial time.Time) (Notification, error) {
	errs := apperr.FieldErrors{}
	n := Notification{Kind: f.Kind, Content: strings.TrimSpace(f.Content)}
	if n.Kind != NoticeSupplement && n.Kind != NoticeWithdrawal {
		errs.Add("amend_kind", "Kies aanvullen of intrekken.")
	}
	switch c := utf8.RuneCountInString(n.Content); {
	case c < 10:
		errs.Add("amend_content", "Beschrijf wat u aanvulde, of waarom u de melding introk.")
	case c > 10000:
		errs.Add("amend_content", "Deze tekst is te lang (meer dan 10.000 tekens).")
	}
	sent, err := time.ParseInLocation(DateTimeLayout, strings.TrimSpace(f.SentAt), loc)
	switch {
	case err != nil:
		errs.Add("amend_sent_at", "Vul de datum en tijd van het versturen in.")
	case sent.After(now.Add(5 * time.Minute)):
		errs.Add("amend_sent_at", "Deze datum ligt in de toekomst.")
	case sent.Before(initial):
		errs.Add("amend_sent_at", "Deze datum ligt vóór de eerste melding.")
	default:
		n.SentAt = sent
	}
	if err := errs.Err(); err != nil {
		return Notification{}, err
	}
	return n, nil
}
