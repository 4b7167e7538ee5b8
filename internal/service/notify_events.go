package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Who hears what (issue 5), one function per event, each called inside the
// transaction of the step that causes it. Mails name the case number and
// the school, never the report's text: the details are behind sign-in.

func casePath(id int64) string { return fmt.Sprintf("/meldingen/%d", id) }

func where(school string) string {
	if school == "" {
		return ""
	}
	return " (" + school + ")"
}

// notifyRole notifies the active users holding role for the school (all
// schools when schoolID is nil), never skip.
func (d Deps) notifyRole(ctx context.Context, q *store.Queries, orgID int64, role access.Role, schoolID *int64, skip int64, n notice) error {
	to, err := q.UsersWithRoleFor(ctx, orgID, role, schoolID)
	if err != nil {
		return err
	}
	return d.notify(ctx, q, orgID, to, skip, n)
}

// notifyReported: a new report reaches the desk of its organisation and
// school, and, when it may involve personal data, the officer too (who may
// look while the desk inventories): one query for both roles' users.
func (d Deps) notifyReported(ctx context.Context, q *store.Queries, a *access.Actor, id int64, n incident.Number, schoolID *int64, school string, personal bool) error {
	roles := []access.Role{access.Desk}
	if personal {
		roles = append(roles, access.Officer)
	}
	to, err := q.UsersWithRolesFor(ctx, a.OrganisationID, roles, schoolID)
	if err != nil {
		return err
	}
	list := []addressed{{To: to[access.Desk], Notice: notice{Kind: "case_reported", Key: fmt.Sprintf("reported:%d", id), CaseID: &id,
		Subject: "Nieuwe melding " + n.String() + where(school),
		Paragraphs: []string{"Er is een nieuwe melding van een (mogelijk) beveiligingsincident of datalek binnengekomen: " + n.String() + where(school) + ".",
			"Pak de melding zo snel mogelijk op: als het een datalek is, moet het binnen 72 uur na ontdekking bij de Autoriteit Persoonsgegevens zijn gemeld."},
		Path: casePath(id), LinkText: "Bekijk de melding"}}}
	if personal {
		list = append(list, addressed{To: to[access.Officer], Notice: officerReportedNotice(id, n, school)})
	}
	return d.notifyAll(ctx, q, a.OrganisationID, list...)
}

// notifyQuestion: a question of the desk reaches the reporter or technician it is for.
func (d Deps) notifyQuestion(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, questionID, to int64) error {
	if to == c.ReporterID && c.Source.Kind != incident.SourceStaff {
		// The stand-in account has no inbox; an outside reporter hears by
		// mail, when they gave an address (issue 12).
		return d.notifyOutsideQuestion(ctx, q, c, questionID)
	}
	u, err := q.UserInOrg(ctx, a.OrganisationID, to)
	if err != nil {
		return err
	}
	id := c.ID
	return d.notify(ctx, q, a.OrganisationID, []access.Account{u}, 0, notice{Kind: "question", Key: fmt.Sprintf("question:%d", questionID), CaseID: &id,
		Subject:    "Vraag van het meldpunt over melding " + c.Number.String(),
		Paragraphs: []string{"Het meldpunt heeft een vraag aan u over melding " + c.Number.String() + where(c.SchoolName) + ".", "U vindt de vraag op uw startpagina in Lekwacht; uw antwoord helpt om op tijd te beslissen."},
		Path:       "/", LinkText: "Naar de vraag"})
}

// notifyAnswer: the answer reaches the desk of the case's school.
func (d Deps) notifyAnswer(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, questionID int64) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Desk, c.SchoolID, a.UserID, notice{Kind: "answer", Key: fmt.Sprintf("answer:%d", questionID), CaseID: &id,
		Subject:    "Antwoord op uw vraag over melding " + c.Number.String(),
		Paragraphs: []string{a.Name + " heeft een vraag over melding " + c.Number.String() + where(c.SchoolName) + " beantwoord."},
		Path:       casePath(id), LinkText: "Bekijk de melding"})
}

// notifyOfficer: a suspected breach sent for assessment reaches the officer.
func (d Deps) notifyOfficer(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Officer, c.SchoolID, a.UserID, notice{Kind: "to_officer", Key: fmt.Sprintf("to_officer:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject: "Beoordelen: mogelijk datalek " + c.Number.String() + where(c.SchoolName),
		Paragraphs: []string{"Het meldpunt vraagt u melding " + c.Number.String() + where(c.SchoolName) + " te beoordelen (stap 3): is het een datalek, en moeten de Autoriteit Persoonsgegevens en de betrokkenen worden ingelicht?",
			"De 72 uur voor een melding aan de AP lopen vanaf de ontdekking."},
		Path: casePath(id), LinkText: "Beoordeel de melding"})
}

// notifyBoard: before the AP notification the board is informed (seed 000 step 5).
func (d Deps) notifyBoard(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Board, c.SchoolID, a.UserID, notice{Kind: "board_before_ap", Key: fmt.Sprintf("board:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject: "Datalek " + c.Number.String() + where(c.SchoolName) + ": de FG gaat het melden bij de AP",
		Paragraphs: []string{"De FG heeft besloten datalek " + c.Number.String() + where(c.SchoolName) + " te melden bij de Autoriteit Persoonsgegevens. Volgens het protocol wordt het bestuur vooraf geïnformeerd.",
			"Lees de melding en het advies, en leg in Lekwacht vast dat u bent geïnformeerd, met uw standpunt."},
		Path: casePath(id), LinkText: "Bekijk de melding"})
}

// notifyTechnician: the technician assigned to a case hears of it in the app
// and by mail (step 4), unless they assigned themselves.
func (d Deps) notifyTechnician(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, tech access.Account) error {
	id := c.ID
	return d.notify(ctx, q, a.OrganisationID, []access.Account{tech}, a.UserID, notice{Kind: "technician_assigned",
		Key: fmt.Sprintf("technician:%d:%d:%d", id, tech.ID, d.Now().UnixNano()), CaseID: &id,
		Subject: "Toegewezen als technicus: melding " + c.Number.String() + where(c.SchoolName),
		Paragraphs: []string{"Het meldpunt heeft u toegewezen aan melding " + c.Number.String() + where(c.SchoolName) + " (stap 4, repareren).",
			"Zoek de oorzaak, neem maatregelen om het incident te stoppen en herhaling te voorkomen, en leg beide vast in Lekwacht. De FG gebruikt dat bij de beoordeling."},
		Path: casePath(id), LinkText: "Bekijk de melding"})
}

// notifyClosed: at closing the reporter gets the summary of measures (seed 000 step 6).
func (d Deps) notifyClosed(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, summary string) error {
	if c.Source.Kind != incident.SourceStaff {
		// Someone outside, or who called the desk, has no account to read it in.
		return nil
	}
	u, err := q.UserInOrg(ctx, a.OrganisationID, c.ReporterID)
	if err != nil {
		return err
	}
	id := c.ID
	return d.notify(ctx, q, a.OrganisationID, []access.Account{u}, 0, notice{Kind: "closed_summary", Key: fmt.Sprintf("closed:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject:    "Uw melding " + c.Number.String() + " is afgehandeld",
		Paragraphs: strings.Split(summary, "\n\n"),
		Path:       casePath(id), LinkText: "Bekijk uw melding",
		Footer: "U krijgt dit bericht van Lekwacht omdat u deze melding deed. Dank u wel daarvoor."})
}

// officerReportedNotice: a report that may involve personal data (the
// reporter said "ja" or "weet ik niet") reaches the officer the moment it is
// reported (seed 001: a concrete threat goes to the FG as soon as possible).
func officerReportedNotice(id int64, n incident.Number, school string) notice {
	return notice{Kind: "reported_to_officer", Key: fmt.Sprintf("reported_officer:%d", id), CaseID: &id,
		Subject: "Nieuwe melding " + n.String() + where(school) + ": mogelijk persoonsgegevens",
		Paragraphs: []string{"Er is een nieuwe melding binnengekomen waarbij volgens de melder persoonsgegevens betrokken (kunnen) zijn: " + n.String() + where(school) + ".",
			"Het meldpunt inventariseert de melding; u kunt haar nu al inzien. Als het een datalek is, moet het binnen 72 uur na ontdekking bij de Autoriteit Persoonsgegevens zijn gemeld."},
		Path: casePath(id), LinkText: "Bekijk de melding"}
}

// notifyConfirm: the desk closed a report that may involve personal data as
// no breach; it waits for the officer's confirmation.
func (d Deps) notifyConfirm(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, o incident.Outcome, reason string) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Officer, c.SchoolID, a.UserID, notice{Kind: "confirm_no_breach", Key: fmt.Sprintf("confirm:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject: "Bevestigen: melding " + c.Number.String() + where(c.SchoolName) + " is volgens het meldpunt geen datalek",
		Paragraphs: []string{"Het meldpunt wil melding " + c.Number.String() + where(c.SchoolName) + " afsluiten als ‘" + o.Label() + "’. De melder gaf aan dat er (mogelijk) persoonsgegevens bij betrokken zijn; alleen de FG besluit dat het geen datalek is.",
			"Bevestig het besluit, of beoordeel de melding toch (stap 3). De 72 uur lopen vanaf de ontdekking."},
		Path: casePath(id), LinkText: "Bekijk de melding"})
}

// notifyClosedByDesk: the desk closed a report without personal data; the
// officer is told.
func (d Deps) notifyClosedByDesk(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, o incident.Outcome, reason string) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Officer, c.SchoolID, a.UserID, notice{Kind: "closed_by_desk", Key: fmt.Sprintf("closed_desk:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject:    "Melding " + c.Number.String() + where(c.SchoolName) + " afgesloten door het meldpunt",
		Paragraphs: []string{"Het meldpunt heeft melding " + c.Number.String() + where(c.SchoolName) + " afgesloten als ‘" + o.Label() + "’. Volgens de melder waren er geen persoonsgegevens bij betrokken.", "Is dat niet juist, dan kunt u de melding heropenen."},
		Path:       casePath(id), LinkText: "Bekijk de melding"})
}

// notifyBoardAssessment: a case reaches step 3; the board of its school is
// consulted before the decision (seed 000 step 5, seed 001).
func (d Deps) notifyBoardAssessment(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Board, c.SchoolID, a.UserID, notice{Kind: "board_assessment", Key: fmt.Sprintf("board_assessment:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject: "Mogelijk datalek " + c.Number.String() + where(c.SchoolName) + ": de FG beoordeelt",
		Paragraphs: []string{"De FG beoordeelt melding " + c.Number.String() + where(c.SchoolName) + " (stap 3): is het een datalek, en moeten de Autoriteit Persoonsgegevens en de betrokkenen worden ingelicht? Volgens het protocol wordt in overleg met het bestuur besloten.",
			"Leg uw zienswijze vast in Lekwacht. De FG besluit; de 72 uur voor een melding aan de AP wachten niet op uw zienswijze."},
		Path: casePath(id), LinkText: "Bekijk de melding"})
}

// notifyBoardDecision: a decision not to notify the AP, or to inform only
// the data subjects, is reported to the board as well.
func (d Deps) notifyBoardDecision(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, what string) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Board, c.SchoolID, a.UserID, notice{Kind: "board_decision", Key: fmt.Sprintf("board_decision:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject:    "Besluit van de FG over melding " + c.Number.String() + where(c.SchoolName),
		Paragraphs: []string{"De FG heeft over melding " + c.Number.String() + where(c.SchoolName) + " besloten: " + what + ".", "Het besluit en de redenen staan in Lekwacht."},
		Path:       casePath(id), LinkText: "Bekijk de melding"})
}

// notifyBoardApproval: a notice to the data subjects waits for its approval
// (step 7, four eyes); the board of the case's school hears of it (issue 12.4).
func (d Deps) notifyBoardApproval(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case) error {
	id := c.ID
	return d.notifyRole(ctx, q, a.OrganisationID, access.Board, c.SchoolID, a.UserID, notice{Kind: "subjects_approval", Key: fmt.Sprintf("subjects_approval:%d:%d", id, d.Now().UnixNano()), CaseID: &id,
		Subject: "Goedkeuren: bericht aan betrokkenen over melding " + c.Number.String() + where(c.SchoolName),
		Paragraphs: []string{"De FG heeft het bericht aan de betrokkenen over melding " + c.Number.String() + where(c.SchoolName) + " opgesteld (stap 7). Het wacht op uw goedkeuring.",
			"Lees het bericht in Lekwacht en keur het goed; daarna kan het worden verstuurd. Betrokkenen moeten onverwijld worden ingelicht."},
		Path: casePath(id), LinkText: "Bekijk het bericht"})
}
