package incident_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

func TestParseRecipients(t *testing.T) {
	t.Parallel()
	type want struct {
		n, dup    int
		first     incident.Recipient
		errSubstr []string
	}
	for _, tc := range []struct {
		name string
		csv  string
		want want
	}{
		{"semicolons, BOM, parent column", "\ufeffNaam;E-mail;E-mail ouder\r\nJan Jansen;jan@school.nl;\r\nFatima (groep 5);;ouder.fatima@example.nl\r\n",
			want{n: 2, first: incident.Recipient{Line: 2, Name: "Jan Jansen", Email: "jan@school.nl", Audience: incident.AudienceSelf}}},
		{"commas, quoted name", "name,email\n\"Vries, Anna de\",anna@example.nl\n",
			want{n: 1, first: incident.Recipient{Line: 2, Name: "Vries, Anna de", Email: "anna@example.nl", Audience: incident.AudienceSelf}}},
		{"the parent's address wins for a student under 16", "naam;e-mail;ouder\nSem;sem@leerling.nl;papa@example.nl\n",
			want{n: 1, first: incident.Recipient{Line: 2, Name: "Sem", Email: "papa@example.nl", ToParent: true, Audience: incident.AudienceParent}}},
		{"one parent for two children gets it once", "naam;e-mail;e-mail ouder\nA;;ouder@example.nl\nB;;Ouder@example.nl\n\n",
			want{n: 1, dup: 1, first: incident.Recipient{Line: 2, Name: "A", Email: "ouder@example.nl", ToParent: true, Audience: incident.AudienceParent}}},
		// Seed 000 step 7: "leerlingen (of hun ouders als zij jonger zijn dan
		// 16 jaar)". With a birth date the rule decides on the day of upload
		// (4 December 2026): Sem turned 16 today and reads it himself.
		{"16 today: the student's own address and letter", "naam;e-mail;e-mail ouder;geboortedatum\nSem;sem@leerling.nl;papa@example.nl;04-12-2010\n",
			want{n: 1, first: incident.Recipient{Line: 2, Name: "Sem", Email: "sem@leerling.nl", Audience: incident.AudienceStudent}}},
		{"16 tomorrow: the parent's", "naam;e-mail;e-mail ouder;geboortedatum\nSem;sem@leerling.nl;papa@example.nl;2010-12-05\n",
			want{n: 1, first: incident.Recipient{Line: 2, Name: "Sem", Email: "papa@example.nl", ToParent: true, Audience: incident.AudienceParent}}},
		{"the under-16 rule needs the right address", "naam;e-mail;e-mail ouder;geboortedatum\nLot;lot@leerling.nl;;1-1-2015\nBo;;ouder@example.nl;1-1-2008\nAi;ai@x.nl;;morgen\n",
			want{errSubstr: []string{"Regel 2 (Lot): jonger dan 16", "Regel 3 (Bo): 16 jaar of ouder", "Regel 4 (Ai): de geboortedatum \"morgen\""}}},
		{"bad lines named in Dutch", "naam;e-mail\nJan;jan@\n;x@example.nl\nPiet;\nKees;Kees <kees@example.nl>\n",
			want{errSubstr: []string{"Regel 2 (Jan): het e-mailadres is geen geldig e-mailadres.", "Regel 3: de naam ontbreekt.",
				"Regel 4 (Piet): er is geen e-mailadres.", "Regel 5 (Kees)"}}},
		{"a bad parent's address", "naam;e-mail;e-mail ouder\nJan;;ouder@@example.nl\n",
			want{errSubstr: []string{"Regel 2 (Jan): het e-mailadres van de ouder is geen geldig e-mailadres."}}},
		{"no header with the columns", "Jan;jan@example.nl\n", want{errSubstr: []string{"kolommen ‘naam’ en ‘e-mail’"}}},
		{"empty", "  \n", want{errSubstr: []string{"leeg"}}},
		{"only a header", "naam;e-mail\n", want{errSubstr: []string{"geen ontvangers"}}},
		{"a control character in a name (NUL, a line break in quotes, DEL)", "naam;e-mail\nJan\x00Jansen;jan@school.nl\n\"Piet\nPuk\";piet@school.nl\nA\x7fB;ab@school.nl\n",
			want{errSubstr: []string{"Regel 2: de naam bevat een onzichtbaar stuurteken", "Regel 3: de naam bevat", "Regel 4: de naam bevat"}}}, // rows as Excel counts them
		{"not UTF-8", "naam;e-mail\nJ\xe9r\xf4me;j@example.nl\n", want{errSubstr: []string{"geen UTF-8"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, dup, err := incident.ParseRecipients([]byte(tc.csv), time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
			if len(tc.want.errSubstr) > 0 {
				ae, ok := apperr.As(err)
				if !ok || ae.Kind != apperr.Invalid || ae.Fields["recipients"] == "" {
					t.Fatalf("err = %v, want Invalid with a field message", err)
				}
				for _, s := range tc.want.errSubstr {
					if !strings.Contains(ae.Message, s) {
						t.Errorf("message lacks %q:\n%s", s, ae.Message)
					}
				}
				if list != nil {
					t.Errorf("a refused list returned %d recipients", len(list))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != tc.want.n || dup != tc.want.dup || list[0] != tc.want.first {
				t.Errorf("got %d (dup %d), first %+v; want %d (dup %d), first %+v", len(list), dup, list[0], tc.want.n, tc.want.dup, tc.want.first)
			}
		})
	}
}
