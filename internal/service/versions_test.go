package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/web"
)

// bouncedMail is a decision that the case is no breach: the e-mail bounced.
func bouncedMail() incident.DecisionForm {
	f := classList()
	f.Excluded, f.Breach = "bounced", "no"
	f.BreachReason = "De e-mail kwam niet aan: de verzender kreeg een foutmelding."
	return f
}

// leakedAfterAll is the decision after reopening: the e-mail did arrive, the
// AP is notified and the parents are informed.
func leakedAfterAll() incident.DecisionForm {
	f := classList()
	f.Breach, f.NotifyAuthority, f.NotifySubjects, f.SubjectsChannel = "yes", "yes", "yes", "individual"
	f.Effects, f.NoticePlan = "Adressen van kinderen bij een onbekende.", "Melding bij de AP; brief aan de ouders van 3b."
	return f
}

// decideReopenDecide decides no breach, closes, reopens and decides again:
// a breach. It returns the case.
func (e *env) decideReopenDecide(changeReason string) int64 {
	e.t.Helper()
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("e-mail met adressen 3b naar verkeerd adres", e.a1))).ID
	e.toAssessment(id)
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, bouncedMail()))
	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusRecording, incident.StatusClosed, e.clock.Now()))
	e.clock.Add(48 * time.Hour)
	must(0, e.svc.Incidents.Reopen(e.ctx, officer, id, "De ontvanger meldt dat de e-mail toch aankwam."))
	e.clock.Add(time.Hour)
	f := leakedAfterAll()
	f.Version, f.ChangeReason = "1", changeReason
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	return id
}

// TestANewDecisionIsANewVersion: deciding again after a reopening keeps the
// first decision with its reasons as version 1; the second is version 2,
// with who, when and why it changed; the register shows the current one and
// marks the change; the timeline names both versions.
func TestANewDecisionIsANewVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	why := "De ontvanger bevestigt dat de e-mail wel aankwam en is geopend."
	id := e.decideReopenDecide(why)

	d := must(e.svc.Incidents.Dossier(e.ctx, e.actors["board"], id))
	if len(d.DecisionVersions) != 2 {
		t.Fatalf("%d versions in the dossier, want 2", len(d.DecisionVersions))
	}
	v1, v2 := d.DecisionVersions[0], d.DecisionVersions[1]
	if v1.Decision.Version != 1 || v1.Decision.Breach || v1.Reasons.Breach != bouncedMail().BreachReason || v1.Reasons.Change != "" {
		t.Errorf("version 1 = %+v %+v, want the first decision (no breach) with its reason", v1.Decision, v1.Reasons)
	}
	if v2.Decision.Version != 2 || !v2.Decision.Breach || !v2.Decision.NotifySubjects || v2.Reasons.Change != why ||
		!v2.Decision.DecidedAt.After(v1.Decision.DecidedAt) || v2.DecidedBy == "" {
		t.Errorf("version 2 = %+v %+v by %q", v2.Decision, v2.Reasons, v2.DecidedBy)
	}
	if cur := d.Decision; cur == nil || cur.Decision.Version != 2 || !cur.Decision.Breach {
		t.Errorf("the current decision is %+v, want version 2", cur)
	}

	reg := must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], service.RegisterQuery{}))
	var entry *incident.RegisterEntry
	for i := range reg.Entries {
		if reg.Entries[i].ID == id {
			entry = &reg.Entries[i]
		}
	}
	if entry == nil {
		t.Fatal("the case is not in the register")
	}
	if entry.Outcome != incident.OutcomeBreach || !entry.SubjectsNotify || !entry.DecisionChanged() || entry.DecisionVersion != 2 ||
		!strings.Contains(entry.DecisionChangedText(amsterdam), why) {
		t.Errorf("register entry: outcome %s, notify subjects %v, version %d, %q", entry.Outcome, entry.SubjectsNotify,
			entry.DecisionVersion, entry.DecisionChangedText(amsterdam))
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'assess' AND summary LIKE '%besluit versie 1'`, id); n != 1 {
		t.Errorf("%d timeline entries name version 1, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'assess' AND summary LIKE '%besluit versie 2; gewijzigd ten opzichte van versie 1 omdat: '||$2`, id, why); n != 1 {
		t.Errorf("%d timeline entries name version 2 with why, want 1", n)
	}
}

// TestASecondDecisionSaysWhy: from version 2 on the officer must say why
// the decision departs from the one before, beside the field; and a page
// opened before someone else decided cannot replace their decision unseen.
func TestASecondDecisionSaysWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("e-mail naar verkeerd adres", e.a1))).ID
	e.toAssessment(id)
	// The first decision needs no reason for a change; one typed is not kept.
	first := bouncedMail()
	first.ChangeReason = "Er was nog niets besloten."
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, first))
	if n := e.count(`SELECT count(*) FROM case_assessment_versions WHERE case_id = $1 AND version = 1 AND change_reason = ''`, id); n != 1 {
		t.Errorf("version 1 rows without a change reason: %d, want 1", n)
	}
	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusRecording, incident.StatusClosed, e.clock.Now()))
	must(0, e.svc.Incidents.Reopen(e.ctx, officer, id, "De ontvanger meldt dat de e-mail toch aankwam."))

	p := must(e.svc.Incidents.DecisionPageFor(e.ctx, officer, id))
	if p.Form.Version != "1" {
		t.Errorf("the page's form carries version %q, want 1", p.Form.Version)
	}
	f := leakedAfterAll()
	f.Version = p.Form.Version
	for _, why := range []string{"", "  anders  "} {
		f.ChangeReason = why
		err := e.svc.Incidents.Decide(e.ctx, officer, id, f)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["change_reason"], "afwijkt van het vorige (versie 1)") {
			t.Errorf("second decision with change reason %q: %v, want a message beside change_reason", why, err)
		}
	}
	// A form opened on version 0 (before the first decision) is stale.
	f.Version, f.ChangeReason = "0", "De ontvanger bevestigt dat de e-mail aankwam."
	if err := e.svc.Incidents.Decide(e.ctx, officer, id, f); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("decision on a stale page: %v, want Conflict", err)
	}
	if n := e.count(`SELECT count(*) FROM case_assessment_versions WHERE case_id = $1`, id); n != 1 {
		t.Fatalf("%d versions after refused saves, want 1", n)
	}
	f.Version = "1"
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	if n := e.count(`SELECT count(*) FROM case_assessment_versions WHERE case_id = $1`, id); n != 2 {
		t.Errorf("%d versions, want 2", n)
	}
	if n := e.count(`SELECT version FROM case_assessments WHERE case_id = $1`, id); n != 2 {
		t.Errorf("current version %d, want 2", n)
	}
}

// TestADecisionWrittenOutsideSaveDecisionIsKept: a decision that is only in
// the current row (an imported case, or one decided before versions
// existed and not migrated) is its own version 1, and is kept as version 1
// when the case is decided again.
func TestADecisionWrittenOutsideSaveDecisionIsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	id := e.caseIn(incident.StatusClosed) // decided by a direct insert, notified, closed
	vs := must(e.store.DecisionVersions(e.sys, e.orgA, id))
	if len(vs) != 1 || vs[0].Decision.Version != 1 || vs[0].Decision.NoticePlan != "brief" {
		t.Fatalf("versions of a directly written decision = %+v", vs)
	}
	must(0, e.svc.Incidents.Reopen(e.ctx, officer, id, "De versleuteling blijkt gekraakt."))
	f := leakedAfterAll()
	f.ChangeReason = "De versleuteling blijkt gekraakt: nu ook de betrokkenen informeren."
	if adv := must(e.svc.Incidents.DecisionAdvice(e.ctx, officer, id, f)); !adv.NotifySubjects {
		f.SubjectsReason = "Wijkt af: ouders van jonge kinderen, in twijfel informeren."
	}
	must(0, e.svc.Incidents.Decide(e.ctx, officer, id, f))
	vs = must(e.store.DecisionVersions(e.sys, e.orgA, id))
	if len(vs) != 2 || vs[0].Decision.NoticePlan != "brief" || vs[1].Decision.Version != 2 || vs[1].Decision.NoticePlan != f.NoticePlan {
		t.Errorf("versions after deciding again = %+v", vs)
	}
}

// TestInventoryRepairAndNoticeKeepTheirVersions: what the desk, the
// technician and the officer once recorded and then changed stays readable
// in the dossier, with who and when; saving the same again adds nothing.
func TestInventoryRepairAndNoticeKeepTheirVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	desk, tech, officer, board := e.actors["desk"], e.actors["technician"], e.actors["officer"], e.actors["board"]
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick kwijt", e.a1))).ID
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	first := goodInventory()
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, first))
	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, first)) // the same again
	second := first
	second.Summary, second.SubjectCount = "USB-stick met adreslijsten van 3b én 3c verloren", "56"
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, second))
	must(0, e.svc.Incidents.AssignTechnician(e.ctx, desk, id, strconv.FormatInt(tech.UserID, 10)))
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lijst op een gewone stick gezet", Unintelligible: "unknown"}))
	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.RecordRepair(e.ctx, tech, id, incident.RepairForm{Cause: "Lijst op een gewone stick gezet",
		TechnicalStructural: "Alleen nog versleutelde sticks", Unintelligible: "no", Completed: true}))

	d := must(e.svc.Incidents.Dossier(e.ctx, board, id))
	if len(d.InventoryVersions) != 2 || d.InventoryVersions[0].Summary != first.Summary || d.InventoryVersions[1].Summary != second.Summary ||
		d.InventoryVersions[0].UpdatedBy == "" {
		t.Errorf("inventory versions = %+v", d.InventoryVersions)
	}
	if len(d.RepairVersions) != 2 || d.RepairVersions[0].Completed || !d.RepairVersions[1].Completed {
		t.Errorf("repair versions = %+v", d.RepairVersions)
	}
	page := dossierText(d)
	for _, w := range []string{
		"inventory: Eerdere versie 1 van 2, vastgelegd door", "Samenvatting: " + first.Summary, "Aantal betrokkenen: 28",
		"repair: Eerdere versie 1 van 2", "Technisch, structureel: –", "Afgerond: Nee",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("the dossier lacks %q:\n%s", w, page)
		}
	}
	if strings.Contains(page, "Aard: ") || strings.Contains(page, "Oorzaak: ") {
		t.Errorf("an unchanged field is listed as changed:\n%s", page)
	}

	// The notice to the data subjects: a changed draft keeps the earlier one.
	nid := e.informing("USB-stick met adressen van groep 7 verloren", "individual")
	f := goodSubjectsForm()
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, nid, f))
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, nid, f))
	f2 := f
	f2.Subject = "Belangrijk: adreslijst van groep 7 verloren"
	e.clock.Add(time.Hour)
	must(0, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, nid, f2))
	d = must(e.svc.Incidents.Dossier(e.ctx, board, nid))
	if len(d.NoticeVersions) != 2 || d.NoticeVersions[0].Subject != f.Subject || d.NoticeVersions[1].Subject != f2.Subject {
		t.Fatalf("notice versions = %+v", d.NoticeVersions)
	}
	page = dossierText(d)
	if !strings.Contains(page, "subjects: Eerdere versie 1 van 2") || !strings.Contains(page, "Onderwerp: "+f.Subject) {
		t.Errorf("the dossier does not show the earlier draft:\n%s", page)
	}
	if n := e.count(`SELECT count(*) FROM case_record_versions WHERE case_id = $1 AND record = 'subjects_notice'`, nid); n != 2 {
		t.Errorf("%d notice versions stored, want 2 (saving the same draft again adds none)", n)
	}
}

// dossierText is the dossier as the page and the PDF show it, one line per
// item field, prefixed by the section id: "inventory: <item title>" and
// "<label>: <value>".
func dossierText(d service.DossierView) string {
	props := web.DossierProps{Case: d.Case, InventoryVersions: d.InventoryVersions, RepairVersions: d.RepairVersions,
		NoticeVersions: d.NoticeVersions, Inventory: d.Inventory, Repair: d.Repair, Subjects: d.Subjects}
	var b strings.Builder
	for _, s := range web.BuildDossier(web.Page{Loc: amsterdam, Now: d.PrintedAt}, props).Sections {
		for _, it := range s.Items {
			b.WriteString(s.ID + ": " + it.Title + "\n")
			for _, f := range it.Fields {
				b.WriteString(f.Label + ": " + f.Value + "\n")
			}
		}
	}
	return b.String()
}
