package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
)

// Internal texts of the case: the reporter's account, the desk's summary and
// the officer's reasons. None may reach a letter.
const (
	internalReport   = "INTERN-MELDER Meester Jansen liet de stick in trein 3142 liggen"
	internalSummary  = "INTERN-MELDPUNT adreslijst 3b met zorgnotities over Sem"
	internalReasons  = "INTERN-FG risico hoog want kinderen, ouders boos"
	internalPlan     = "INTERN-PLAN eerst de directeur bellen"
	internalAPReason = "INTERN-AP melden binnen 72 uur"
)

// withInternalTexts records distinctive internal texts on a case in step 7.
func (e *env) withInternalTexts(id int64) {
	e.t.Helper()
	e.exec(`UPDATE cases SET what_happened = $2 WHERE id = $1`, id, internalReport)
	e.exec(`UPDATE case_inventories SET summary = $2 WHERE case_id = $1`, id, internalSummary)
	e.exec(`UPDATE case_assessments SET consequences = $2, subjects_reason = $2, notice_plan = $3, authority_reason = $4 WHERE case_id = $1`,
		id, internalReasons, internalPlan, internalAPReason)
}

// TestLettersForThreeReaders (issue 10.4): one case, three readers; each
// letter has the content seed 001 ("Wat te melden aan de betrokkenen?") and
// seed 000 ("Communicatie") require, is addressed to its reader, and holds
// none of the desk's or the officer's internal texts; the public notice and
// the press statement are drafted too. Before a notice is drafted the
// letters come from the recorded facts alone; after, they take what the FG
// wrote for the readers in it.
func TestLettersForThreeReaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.informing("USB-stick met adressen van groep 7 verloren", "individual")
	e.withInternalTexts(id)
	// Students of every age and staff: three readers.
	e.exec(`UPDATE cases SET subject_groups = '{students,staff}' WHERE id = $1`, id)

	check := func(stage string, v interface{ Text(letter.Kind) letter.Text }, want ...string) {
		t.Helper()
		greet := map[letter.Kind]string{letter.Parent: "Beste ouder of verzorger,", letter.Student: "Beste leerling,", letter.Staff: "Beste medewerker,"}
		for _, k := range letter.Kinds {
			body := v.Text(k).Body
			for _, in := range []string{internalReport, internalSummary, internalReasons, internalPlan, internalAPReason, "INTERN"} {
				if strings.Contains(body, in) {
					t.Errorf("%s, %s: holds the internal text %q:\n%s", stage, k, in, body)
				}
			}
			if !k.Reader() {
				continue
			}
			if !strings.HasPrefix(body, greet[k]) {
				t.Errorf("%s, %s: greeting, want %q:\n%s", stage, k, greet[k], body)
			}
			for _, w := range append([]string{"Wat is er gebeurd?", "Om welke gegevens gaat het?", "naam en contactgegevens",
				"Wat kan dit betekenen?", "phishing", "Wat hebben wij gedaan?", "zelf doen?", "vragen?", "functionaris gegevensbescherming",
				"School A1"}, want...) {
				if !strings.Contains(body, w) {
					t.Errorf("%s, %s: lacks %q:\n%s", stage, k, w, body)
				}
			}
		}
	}
	// From the facts: the inventory's nature and period, the kinds of data.
	v := must(e.svc.Incidents.Letters(e.ctx, officer, id))
	check("from the facts", v, "Op 22 november 2026 is er een apparaat of gegevensdrager")
	if !v.CanEdit || v.Text(letter.Parent).Kept {
		t.Errorf("can edit %v, kept %v; want an editable draft", v.CanEdit, v.Text(letter.Parent).Kept)
	}
	if !strings.Contains(v.Text(letter.Public).Body, "persoonlijk bereiken") || !strings.Contains(v.Text(letter.Press).Body, "PERSBERICHT") {
		t.Errorf("public notice or press statement not drafted:\n%s\n%s", v.Text(letter.Public).Body, v.Text(letter.Press).Body)
	}
	// With the notice: the FG's words for the readers, its contact lines.
	form := goodSubjectsForm()
	form.Groups = []string{"parents_under_16", "students", "staff"}
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, form))
	v = must(e.svc.Incidents.Letters(e.ctx, officer, id))
	check("with the notice", v, goodSubjectsForm().Nature, goodSubjectsForm().MeasuresTaken, "fg@example.nl", "071 123 45 67")
	if strings.Contains(v.Text(letter.Student).Body, "uw kind") || !strings.Contains(v.Text(letter.Student).Body, "gegevens van jou") {
		t.Errorf("the student letter is not written to the student:\n%s", v.Text(letter.Student).Body)
	}
}

// TestLetterEditing: the FG edits a letter (one transaction with its
// timeline entry); an empty or too long text is refused with a message for
// the field; only the officer edits, only in its organisation; the reporter
// does not read the letters; a change after approval withdraws it, and after
// sending the texts stay as they were. The public notice and the press
// statement are kept like the letters.
func TestLetterEditing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer, board := e.actors["officer"], e.actors["board"]
	id := e.informing("Cijferlijst gemaild aan de verkeerde ouders", "individual")
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, id, goodSubjectsForm()))

	for _, body := range []string{"", "   ", strings.Repeat("x", letter.MaxLen+1)} {
		err := e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Parent, body)
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields["letter_text"] == "" {
			t.Errorf("body of %d characters: %v, want Invalid with a message for body", len(body), err)
		}
	}
	if err := e.svc.Incidents.SaveLetter(e.ctx, e.actors["desk"], id, letter.Parent, "Beste ouder,"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the desk edits: %v, want Forbidden", err)
	}
	if err := e.svc.Incidents.SaveLetter(e.ctx, e.actors["desk_b"], id, letter.Parent, "Beste ouder,"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation edits: %v, want NotFound", err)
	}
	if _, err := e.svc.Incidents.Letters(e.ctx, e.actors["desk_b"], id); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another organisation reads: %v, want NotFound", err)
	}
	if _, err := e.svc.Incidents.Letters(e.ctx, e.actors["staff"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the reporter reads the letters: %v, want Forbidden", err)
	}
	if n := e.events(id, "subjects_letter"); n != 0 {
		t.Fatalf("%d timeline entries after refusals, want 0", n)
	}

	must(0, e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Parent, "Beste ouder of verzorger,\r\n\r\nEigen tekst van de FG. "))
	must(0, e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Public, "Datalek bij School A1\n\nOpenbare tekst."))
	must(0, e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Press, "PERSBERICHT\n\nTekst voor de pers."))
	v := must(e.svc.Incidents.Letters(e.ctx, board, id)) // the board reads them
	if p := v.Text(letter.Parent); !p.Kept || p.Body != "Beste ouder of verzorger,\n\nEigen tekst van de FG." || p.EditedBy != officer.Name || p.EditedAt == nil {
		t.Errorf("kept parents' letter: %+v", p)
	}
	if !v.Text(letter.Public).Kept || !v.Text(letter.Press).Kept || v.Text(letter.Student).Kept {
		t.Errorf("kept: public %v, press %v, student %v; want true, true, false",
			v.Text(letter.Public).Kept, v.Text(letter.Press).Kept, v.Text(letter.Student).Kept)
	}
	if n := e.events(id, "subjects_letter"); n != 3 {
		t.Errorf("%d timeline entries, want 3 (one per change)", n)
	}

	// Approval keeps the drafts of the letters not edited.
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""))
	v = must(e.svc.Incidents.Letters(e.ctx, officer, id))
	if s := v.Text(letter.Student); !s.Kept || s.EditedBy != "" || !strings.HasPrefix(s.Body, "Beste leerling,") {
		t.Errorf("student letter after approval: %+v, want Lekwacht's draft kept", s)
	}
	// The press statement is not approved: changing it keeps the approval.
	must(0, e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Press, "PERSBERICHT\n\nNieuwe tekst voor de pers."))
	if !e.approved(id) {
		t.Error("changing the press statement withdrew the approval")
	}
	// Changing a letter withdraws the approval.
	must(0, e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Student, v.Text(letter.Student).Body+"\nPS"))
	if e.approved(id) {
		t.Error("changing a letter kept the approval")
	}
	if c := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'subjects_letter' AND summary LIKE '%goedkeuring van het bericht is vervallen%'`, id); c != 1 {
		t.Errorf("%d timeline entries say the approval was withdrawn, want 1", c)
	}
	// Sent: the texts stay.
	must(0, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, id, ""))
	must(0, e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, id, e.clock.Now().In(amsterdam).Format(incident.DateTimeLayout)))
	if err := e.svc.Incidents.SaveLetter(e.ctx, officer, id, letter.Parent, "Nog iets"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("edit after sending: %v, want Conflict", err)
	}
	if v := must(e.svc.Incidents.Letters(e.ctx, officer, id)); v.CanEdit {
		t.Error("the page offers editing after sending")
	}
}

// TestMailingRefusesAnUnfinishedLetter: a kept letter that still says what
// to fill in is not mailed.
func TestMailingRefusesAnUnfinishedLetter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.approvedNotice(t)
	e.exec(`UPDATE case_letters SET body = body || E'\n[Vul in: iets]' WHERE case_id = $1 AND kind = 'staff'`, id)
	must(e.svc.Incidents.UploadSubjectRecipients(e.ctx, officer, id, []byte("naam;e-mail\nJan;jan@example.nl\n")))
	if _, err := e.svc.Incidents.MailSubjectsNotice(e.ctx, officer, id); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "Vul in") {
		t.Errorf("mailing an unfinished letter: %v, want Conflict", err)
	}
}

func (e *env) approved(id int64) bool {
	e.t.Helper()
	return e.count(`SELECT count(*) FROM case_subject_notices WHERE case_id = $1 AND approved_at IS NOT NULL`, id) == 1
}

// TestLettersUseTheContactDetails: the head and the contact lines of every
// letter come from the contact details the administrator keeps (issue 10.3
// and 10.4): the school's address, phone and e-mail and the FG's name and
// address; what is still empty is named on the page.
func TestLettersUseTheContactDetails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.informing("USB-stick met adressen van groep 7 verloren", "individual")
	v := must(e.svc.Incidents.Letters(e.ctx, officer, id))
	if !slices.Contains(v.Head.Missing, "naam van de FG") || !slices.Contains(v.Head.Missing, "postcode") {
		t.Errorf("without details the page should name them: %q", v.Head.Missing)
	}
	e.exec(`UPDATE organisations SET fg_name = 'Femke de Vries', fg_email = 'fg@bestuur-a.nl', fg_phone = '030 123 45 67', street = 'Bestuursweg 1', postcode = '3511 AA', city = 'Utrecht' WHERE id = $1`, e.orgA)
	e.exec(`UPDATE schools SET street = 'Schoolstraat 12', postcode = '3512 BB', city = 'Utrecht', phone = '030 765 43 21', email = 'info@a1.nl' WHERE id = $1`, e.a1)
	v = must(e.svc.Incidents.Letters(e.ctx, officer, id))
	h := v.Head
	if h.Name != "School A1" || h.Street != "Schoolstraat 12" || h.FGName != "Femke de Vries" || slices.Contains(h.Missing, "postcode") {
		t.Errorf("letterhead = %+v", h)
	}
	for _, k := range letter.Kinds {
		if !k.Reader() {
			continue
		}
		body := v.Text(k).Body
		for _, w := range []string{"Femke de Vries, functionaris gegevensbescherming", "fg@bestuur-a.nl", "030 765 43 21"} {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q:\n%s", k, w, body)
			}
		}
	}
}
