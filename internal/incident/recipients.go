package incident

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// Step 7 by mail: the approved notice is sent from Lekwacht to a list of
// recipients uploaded as CSV. The list holds names and addresses of data
// subjects: it is kept only until each mail's delivery is final; the names
// and the statuses stay, the addresses go.

// MaxRecipients caps one list (a large school board's whole population).
const MaxRecipients = 20000

// Recipient is one line of the list: a data subject and the address the
// notice goes to (the parent's, when given, for a student under 16).
type Recipient struct {
	Line     int
	Name     string
	Email    string // the address mailed to
	ToParent bool
	// Audience picks the letter this recipient reads (AudienceParent, …).
	Audience string
}

// The readers of a letter to data subjects (issue 10.4). The under-16 rule
// of seed 000 step 7 ("leerlingen (of hun ouders als zij jonger zijn dan 16
// jaar)") picks between the first two when the list gives a birth date.
const (
	AudienceParent  = "parent"  // the parent or guardian of a student under 16
	AudienceStudent = "student" // a student of 16 or over
	AudienceSelf    = "self"    // anyone else at their own address: staff, parents
)

// AgeOn is the age in whole years on day, of someone born on born.
func AgeOn(born, day time.Time) int {
	age := day.Year() - born.Year()
	if day.Month() < born.Month() || (day.Month() == born.Month() && day.Day() < born.Day()) {
		age--
	}
	return age
}

// RecipientStatus is where the delivery to one recipient stands.
type RecipientStatus string

const (
	RecipientPending RecipientStatus = "pending" // uploaded, not sent yet
	RecipientQueued  RecipientStatus = "queued"  // in the outbox
	RecipientSent    RecipientStatus = "sent"    // accepted by the mail server
	RecipientBounced RecipientStatus = "bounced" // refused by the mail server for good
	RecipientFailed  RecipientStatus = "failed"  // not delivered after every attempt
)

// Label is the status in Dutch.
func (s RecipientStatus) Label() string {
	switch s {
	case RecipientPending:
		return "nog niet verzonden"
	case RecipientQueued:
		return "in de wachtrij"
	case RecipientSent:
		return "verzonden"
	case RecipientBounced:
		return "geweigerd door de mailserver"
	case RecipientFailed:
		return "niet afgeleverd"
	}
	return string(s)
}

// Final reports whether nothing more will happen to this delivery.
func (s RecipientStatus) Final() bool {
	return s == RecipientSent || s == RecipientBounced || s == RecipientFailed
}

// RecipientRow is one recipient as the mailing page shows it (no address).
type RecipientRow struct {
	Line     int
	Name     string
	ToParent bool
	Audience string
	Status   RecipientStatus
}

// SubjectMailing is the notice as sent by mail, archived in the case: the
// exact subject and bodies every recipient received.
type SubjectMailing struct {
	Subject    string
	Text, HTML string
	SentAt     time.Time
	SentBy     string
	Recipients int
}

// RecipientCounts counts a list by status.
type RecipientCounts map[RecipientStatus]int

// Total is the number of recipients.
func (c RecipientCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// ParseRecipients reads the recipients list: UTF-8 CSV with a header row,
// separated by ; or , (as Excel writes it in the Netherlands, or elsewhere),
// with the columns naam, e-mail and optionally e-mail ouder (the parent's
// address, used instead for a student under 16) and geboortedatum. With a
// birth date the under-16 rule decides on today: under 16 the parent's
// address is required and the parent gets the parents' letter; 16 or over
// the student's own address is used and the student gets their own letter.
// Every bad line is named in Dutch; with any, nothing is accepted. An address
// that occurs twice (two children, one parent) gets the notice once; dup
// counts those lines.
func ParseRecipients(data []byte, today time.Time) (list []Recipient, dup int, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, 0, recipientsInvalid("Het bestand is geen UTF-8-tekst. Sla het in Excel op als ‘CSV UTF-8 (gescheiden door lijstscheidingstekens)’ en probeer het opnieuw.")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, 0, recipientsInvalid("Het bestand is leeg. Kies een CSV-bestand met een kopregel (naam; e-mail; e-mail ouder) en een regel per ontvanger.")
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	sep := ','
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		sep = ';'
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord, r.TrimLeadingSpace = sep, -1, true
	head, err := r.Read()
	if err != nil {
		return nil, 0, recipientsInvalid("De kopregel kon niet worden gelezen. Begin het bestand met: naam; e-mail; e-mail ouder")
	}
	col := map[string]int{"name": -1, "email": -1, "parent": -1, "born": -1}
	for i, h := range head {
		switch strings.ToLower(strings.Join(strings.Fields(strings.Trim(h, " \"")), " ")) {
		case "naam", "name", "volledige naam":
			col["name"] = i
		case "e-mail", "email", "e-mailadres", "emailadres", "mail", "adres":
			col["email"] = i
		case "e-mail ouder", "email ouder", "e-mailadres ouder", "ouder", "e-mail ouder/verzorger", "e-mail ouders", "parent_email", "parent email":
			col["parent"] = i
		case "geboortedatum", "geboren", "birth date", "birthdate", "date of birth":
			col["born"] = i
		}
	}
	if col["name"] < 0 || col["email"] < 0 {
		return nil, 0, recipientsInvalid("De kopregel moet de kolommen ‘naam’ en ‘e-mail’ hebben (en zo nodig ‘e-mail ouder’). Gevonden: " + strings.Join(head, ", ") + ".")
	}
	var problems []string
	seen := map[string]int{}
	line := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			problems = append(problems, fmt.Sprintf("Regel %d kon niet worden gelezen (let op aanhalingstekens).", line))
			continue
		}
		field := func(name string) string {
			if i := col[name]; i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		name, own, parent, born := field("name"), field("email"), field("parent"), field("born")
		if name == "" && own == "" && parent == "" && born == "" {
			continue // an empty line
		}
		rp := Recipient{Line: line, Name: name, Audience: AudienceSelf}
		age := -1
		if born != "" {
			b, err := time.Parse("2-1-2006", strings.ReplaceAll(born, "/", "-"))
			if err != nil {
				b, err = time.Parse("2006-01-02", born)
			}
			if err != nil || b.After(today) {
				problems = append(problems, fmt.Sprintf("Regel %d (%s): de geboortedatum %q is geen datum als 14-03-2011.", line, name, born))
				continue
			}
			age = AgeOn(b, today)
		}
		switch {
		case name == "":
			problems = append(problems, fmt.Sprintf("Regel %d: de naam ontbreekt.", line))
			continue
		case hasControl(name):
			// A NUL byte cannot be stored, and a line break or other
			// control character in a name would end up in a mail header.
			problems = append(problems, fmt.Sprintf("Regel %d: de naam bevat een onzichtbaar stuurteken (zoals een regeleinde of tab). Haal het weg en upload de lijst opnieuw.", line))
			continue
		case age >= 0 && age < 16 && parent == "":
			problems = append(problems, fmt.Sprintf("Regel %d (%s): jonger dan 16, dus de ouders worden geïnformeerd: vul het e-mailadres van de ouder in.", line, name))
			continue
		case age >= 16 && own == "":
			problems = append(problems, fmt.Sprintf("Regel %d (%s): 16 jaar of ouder, dus de leerling wordt zelf geïnformeerd: vul het e-mailadres van de leerling in.", line, name))
			continue
		case age >= 16:
			rp.Email, rp.Audience = own, AudienceStudent
		case parent != "":
			rp.Email, rp.ToParent, rp.Audience = parent, true, AudienceParent
		case own != "":
			rp.Email = own
		default:
			problems = append(problems, fmt.Sprintf("Regel %d (%s): er is geen e-mailadres.", line, name))
			continue
		}
		addr, ok := plainAddress(rp.Email)
		if !ok {
			which := "het e-mailadres"
			if rp.ToParent {
				which = "het e-mailadres van de ouder"
			}
			problems = append(problems, fmt.Sprintf("Regel %d (%s): %s is geen geldig e-mailadres.", line, name, which))
			continue
		}
		if rp.ToParent && own != "" {
			if _, ok := plainAddress(own); !ok {
				problems = append(problems, fmt.Sprintf("Regel %d (%s): het e-mailadres is geen geldig e-mailadres.", line, name))
				continue
			}
		}
		rp.Email = addr
		if _, ok := seen[strings.ToLower(addr)]; ok {
			dup++
			continue
		}
		seen[strings.ToLower(addr)] = line
		if len(list) >= MaxRecipients {
			return nil, 0, recipientsInvalid(fmt.Sprintf("De lijst heeft meer dan %d ontvangers. Splits haar, of informeer via een openbare mededeling.", MaxRecipients))
		}
		list = append(list, rp)
	}
	if len(problems) > 0 {
		shown := problems
		if len(shown) > 20 {
			shown = append(shown[:20:20], fmt.Sprintf("En nog %d regels met een fout.", len(problems)-20))
		}
		return nil, 0, recipientsInvalid("De lijst is niet opgeslagen; verbeter deze regels en upload haar opnieuw: " + strings.Join(shown, " "))
	}
	if len(list) == 0 {
		return nil, 0, recipientsInvalid("Het bestand heeft geen ontvangers onder de kopregel.")
	}
	return list, dup, nil
}

// hasControl reports whether s holds a control character (NUL, tab, line
// break, DEL, C1).
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// plainAddress accepts a bare address (no display name), as Excel lists hold.
func plainAddress(s string) (string, bool) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") || strings.ContainsAny(s, "<>") {
		return "", false
	}
	return a.Address, true
}

func recipientsInvalid(msg string) error {
	return &apperr.Error{Kind: apperr.Invalid, Message: msg, Fields: map[string]string{"recipients": msg}}
}
