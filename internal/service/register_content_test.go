package service_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

// registerFixture builds, through the service layer only, the cases the
// register and export tests look at:
//   - full: a breach through every step (inventory, repair, decision, board,
//     AP notification with supplement, notice sent, attachments, closed);
//   - late: a breach notified to the AP after 80 hours with the reason;
//   - kept: a breach the officer decided not to notify (encrypted), deviating
//     from the advice;
//   - noBreach: the officer decided it is no breach, with the reason;
//   - noIncident: closed by the desk in step 2 as no incident, with the reason;
//   - fresh: just reported, everything open.
type registerFixture struct {
	full, late, kept, noBreach, noIncident, fresh int64
}

func (e *env) registerFixture() registerFixture {
	e.t.Helper()
	desk, officer, board, tech := e.actors["desk"], e.actors["officer"], e.actors["board"], e.actors["technician"]
	var fx registerFixture
	e.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam)) // Monday

	// noIncident: step 2, closed by the desk.
	fx.noIncident = e.registerCase("Verdachte mail ontvangen", e.a1)
	mustOK(e.t, e.svc.Incidents.StartInventory(e.ctx, desk, fx.noIncident))
	mustOK(e.t, e.svc.Incidents.CloseNoBreach(e.ctx, desk, fx.noIncident, service.CloseForm{Outcome: "no_incident",
		Reason: "Alleen een verdachte mail ontvangen; niemand heeft geklikt."}))
	// The reporter did not exclude personal data: the officer confirms (issue 9.4).
	mustOK(e.t, e.svc.Incidents.ConfirmNoBreach(e.ctx, officer, fx.noIncident))
	e.clock.Add(time.Minute)

	// full: every step.
	rf := e.form("Laptop met cijferlijsten uit de auto gestolen", e.a1)
	rf.Carriers, rf.Systems, rf.DataKinds = []string{"laptop"}, "Magister, OneDrive", []string{"results"}
	rf.PersonalData, rf.Ongoing, rf.ActionsTaken = "yes", "no", "Aangifte gedaan bij de politie"
	rf.OccurredFrom, rf.DiscoveredAt = "2026-11-22T18:00", "2026-11-23T08:30"
	fx.full = must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], rf)).ID
	mustOK(e.t, e.svc.Incidents.StartInventory(e.ctx, desk, fx.full))
	inv := goodInventory()
	inv.Summary, inv.DataTypes, inv.Sensitive, inv.SensitiveNote = "Laptop met cijfers en adressen van klas 3b gestolen",
		[]string{"contact", "results"}, "yes", "Cijfers en zorgnotities"
	mustOK(e.t, e.svc.Incidents.RecordInventory(e.ctx, desk, fx.full, inv))
	mustOK(e.t, e.svc.Incidents.AssignTechnician(e.ctx, desk, fx.full, strconv.FormatInt(tech.UserID, 10)))
	pid := must(e.svc.Processors.Create(e.ctx, officer, goodProcessor("Leerlingadministratie BV")))
	mustOK(e.t, e.svc.Incidents.LinkProcessor(e.ctx, desk, fx.full, incident.ProcessorLinkForm{ProcessorID: strconv.FormatInt(pid, 10),
		InformedAt: "2026-11-23T09:00"}))
	mustOK(e.t, e.svc.Incidents.SendToOfficer(e.ctx, desk, fx.full))
	mustOK(e.t, e.svc.Incidents.RecordRepair(e.ctx, tech, fx.full, incident.RepairForm{Cause: "Laptop onbeheerd in de auto",
		TechnicalIncidental: "Laptop op afstand gewist", OrganisationalStructural: "Laptops niet meer in de auto laten",
		Unintelligible: "no", Completed: true}))
	e.clock.Add(time.Hour) // 10:01
	df := classList()
	df.Breach, df.NotifyAuthority, df.NotifySubjects, df.SubjectsChannel = "yes", "yes", "yes", "individual"
	df.Effects, df.NoticePlan = "Cijfers en adressen van kinderen kunnen op straat komen.", "Melden bij de AP en een brief aan de ouders."
	df.AuthorityReason, df.SubjectsReason = "Gegevens van kinderen, niet versleuteld.", "Hoog risico voor de kinderen."
	mustOK(e.t, e.svc.Incidents.Decide(e.ctx, officer, fx.full, df))
	mustOK(e.t, e.svc.Incidents.InformBoard(e.ctx, board, fx.full, "Akkoord met melden."))
	e.clock.Set(time.Date(2026, 11, 24, 15, 0, 0, 0, amsterdam))
	mustOK(e.t, e.svc.Incidents.RecordNotification(e.ctx, officer, fx.full, incident.NotificationForm{SentAt: "2026-11-24T14:30", Number: "M-2026-000111"}))
	must(e.svc.Incidents.AddAttachment(e.ctx, officer, fx.full, service.AttachmentUpload{Kind: "ap_confirmation", Filename: "bevestiging-ap.pdf", Data: pdfFile()}))
	mustOK(e.t, e.svc.Incidents.AmendNotification(e.ctx, officer, fx.full, incident.AmendForm{Kind: "supplement", SentAt: "2026-11-24T14:50", Content: "Het aantal betrokkenen is 31."}))
	mustOK(e.t, e.svc.Incidents.DraftSubjectsNotice(e.ctx, officer, fx.full, goodSubjectsForm()))
	mustOK(e.t, e.svc.Incidents.ApproveSubjectsNotice(e.ctx, board, fx.full, ""))
	mustOK(e.t, e.svc.Incidents.RecordSubjectsSent(e.ctx, officer, fx.full, "2026-11-24T15:00"))
	must(e.svc.Incidents.AddAttachment(e.ctx, officer, fx.full, service.AttachmentUpload{Kind: "subjects_notice", Filename: "brief-ouders.pdf", Data: pdfFile()}))
	mustOK(e.t, e.svc.Incidents.Close(e.ctx, desk, fx.full))
	e.clock.Add(time.Minute)

	// late: notified after 80 hours.
	fx.late = e.registerCase("Adreslijst naar verkeerde ouders gemaild", e.a2)
	e.toAssessment(fx.late)
	df = classList()
	df.Breach, df.NotifyAuthority, df.NotifySubjects, df.SubjectsChannel = "yes", "yes", "no", ""
	df.SubjectsException, df.SubjectsReason = "no_high_risk", "Alleen namen en adressen, geen hoog risico."
	df.Effects, df.NoticePlan = "Adressen bij derden.", "Melden bij de AP."
	mustOK(e.t, e.svc.Incidents.Decide(e.ctx, officer, fx.late, df))
	mustOK(e.t, e.svc.Incidents.InformBoard(e.ctx, board, fx.late, "Akkoord met melden aan de AP."))
	reported := e.clock.Now()
	e.clock.Add(81 * time.Hour)
	mustOK(e.t, e.svc.Incidents.RecordNotification(e.ctx, officer, fx.late, incident.NotificationForm{
		SentAt: reported.Add(80 * time.Hour).In(amsterdam).Format(incident.DateTimeLayout), Number: "M-2026-000222",
		LateReason: "De FG was ziek en er was geen vervanger."}))
	e.clock.Add(time.Minute)

	// kept: a breach not notified, against the advice.
	fx.kept = e.registerCase("Versleutelde USB-stick verloren", e.a1)
	e.toAssessment(fx.kept)
	df = classList()
	df.Breach, df.NotifyAuthority, df.NotifySubjects = "yes", "no", "no"
	df.AuthorityReason = "Versleuteld volgens de stand van de techniek (BitLocker)."
	df.SubjectsException, df.SubjectsReason = "unintelligible", "De stick was versleuteld; de sleutel is niet gelekt."
	df.Effects = "Geen, de gegevens zijn onleesbaar."
	mustOK(e.t, e.svc.Incidents.Decide(e.ctx, officer, fx.kept, df))
	e.clock.Add(time.Minute)

	// noBreach: the officer decides it is no breach.
	fx.noBreach = e.registerCase("E-mail naar verkeerd adres, kwam terug", e.a2)
	e.toAssessment(fx.noBreach)
	df = classList()
	df.Breach, df.BreachReason = "no", "De e-mail kwam onbestelbaar terug; niemand heeft hem gelezen."
	mustOK(e.t, e.svc.Incidents.Decide(e.ctx, officer, fx.noBreach, df))
	e.clock.Add(time.Minute)

	fx.fresh = e.registerCase("Wachtwoord op een briefje", e.a2)
	return fx
}

func TestRegisterFillsEveryColumnFromTheRightStep(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.registerFixture()
	e.clock.Add(96 * time.Hour) // the fresh case's 72 hours have passed
	v := must(e.svc.Incidents.Register(e.ctx, e.actors["officer"], service.RegisterQuery{}))
	if len(v.Entries) != 6 {
		t.Fatalf("%d entries, want 6", len(v.Entries))
	}
	cols := func(en incident.RegisterEntry) map[string]string {
		m := map[string]string{}
		for _, c := range incident.RegisterColumns {
			cell := c.Value(en, amsterdam)
			switch {
			case cell.Time != nil:
				m[c.Header] = cell.Time.In(amsterdam).Format("2006-01-02 15:04")
			case cell.Number != nil:
				m[c.Header] = strconv.Itoa(*cell.Number)
			default:
				m[c.Header] = cell.Text
			}
		}
		return m
	}
	contains := func(name string, m map[string]string, col, want string) {
		t.Helper()
		if _, ok := m[col]; !ok {
			t.Fatalf("no column %q", col)
		}
		if !strings.Contains(m[col], want) {
			t.Errorf("%s: %q = %q, want it to contain %q", name, col, m[col], want)
		}
	}
	equal := func(name string, m map[string]string, col, want string) {
		t.Helper()
		if m[col] != want {
			t.Errorf("%s: %q = %q, want %q", name, col, m[col], want)
		}
	}

	full := entryOf(t, v, fx.full)
	f := cols(full)
	equal("full", f, "School", "School A1")
	equal("full", f, "Status", "Afgesloten")
	equal("full", f, "Gemeld door", "Gebruiker staff")
	equal("full", f, "Gemeld op", "2026-11-23 09:01")
	// The inventory over the report: summary and data types from step 2.
	equal("full", f, "Wat is er gemeld", "Laptop met cijfers en adressen van klas 3b gestolen")
	if full.WhatReported != "Laptop met cijferlijsten uit de auto gestolen" {
		t.Errorf("the reporter's words: %q", full.WhatReported)
	}
	contains("full", f, "Welke persoonsgegevens", "Namen en contactgegevens")
	contains("full", f, "Welke persoonsgegevens", "Cijfers, toetsen of werkprestaties")
	contains("full", f, "Welke persoonsgegevens", "Gevoelig: Cijfers en zorgnotities")
	contains("full", f, "Welke persoonsgegevens", "leerlingen en ouders van 3b (28)")
	equal("full", f, "Aantal betrokkenen", "28")
	contains("full", f, "Hoe is het gebeurd", "Verlies of diefstal van apparaat")
	contains("full", f, "Hoe is het gebeurd", "Drager: Laptop of computer")
	contains("full", f, "Hoe is het gebeurd", "Oorzaak: Laptop onbeheerd in de auto")
	equal("full", f, "Welke systemen", "Magister, OneDrive\nVerwerker: Leerlingadministratie BV")
	equal("full", f, "Gebeurd vanaf", "2026-11-22 08:00") // the inventory's period, not the report's 18:00
	equal("full", f, "Ontdekt op", "2026-11-23 08:30")
	equal("full", f, "Gevolgen", "Cijfers en adressen van kinderen kunnen op straat komen.")
	contains("full", f, "Genomen maatregelen", "Direct door de melder: Aangifte gedaan bij de politie")
	contains("full", f, "Genomen maatregelen", "Technisch, direct: Laptop op afstand gewist")
	contains("full", f, "Genomen maatregelen", "Organisatorisch, structureel: Laptops niet meer in de auto laten")
	equal("full", f, "Datalek?", "Datalek")
	contains("full", f, "Gemeld aan de AP? Waarom (niet)?", "Ja, gemeld op 24-11-2026 14:30. Gegevens van kinderen, niet versleuteld.")
	equal("full", f, "Gemeld aan de AP op", "2026-11-24 14:30")
	equal("full", f, "Meldingsnummer (aanvullingen, intrekking)", "M-2026-000111; aanvulling 24-11-2026")
	contains("full", f, "Betrokkenen geïnformeerd? Waarom (niet)?", "Ja, op 24-11-2026 15:00 (persoonlijk bericht)")
	equal("full", f, "Betrokkenen geïnformeerd op", "2026-11-24 15:00")
	// The 72 hours run from the discovery (08:30), not from the report (09:01).
	equal("full", f, "Termijn 72 uur (AP)", "Gehaald (uiterlijk 26-11-2026 08:30)")
	equal("full", f, "Termijn 2 werkdagen (indienen)", "Gehaald (uiterlijk 25-11-2026 23:59)")
	equal("full", f, "Termijn 1 week (betrokkenen)", "Gehaald (uiterlijk 01-12-2026 14:30)")
	contains("full", f, "Besluiten en redenen per stap", "Bestuur geïnformeerd: 23-11-2026 10:01 (Akkoord met melden.)")
	equal("full", f, "Herstel afgerond", "Ja")
	equal("full", f, "Gegevens onleesbaar (versleuteld)", "Nee")
	contains("full", f, "Bewaard (bevestiging AP, bericht betrokkenen)", "Bevestiging AP: bijlage bevestiging-ap.pdf")
	contains("full", f, "Bewaard (bevestiging AP, bericht betrokkenen)", "Bericht aan betrokkenen: bijlage brief-ouders.pdf")
	if full.ClosedAt == nil {
		t.Error("closed case without closing time")
	}

	l := cols(entryOf(t, v, fx.late))
	equal("late", l, "Termijn 72 uur (AP)", "Te laat (uiterlijk 27-11-2026 15:01)")
	equal("late", l, "Termijn 2 werkdagen (indienen)", "Te laat (uiterlijk 26-11-2026 23:59)")
	equal("late", l, "Termijn 1 week (betrokkenen)", "Niet van toepassing")
	contains("late", l, "Besluiten en redenen per stap", "Reden te late melding: De FG was ziek")
	contains("late", l, "Betrokkenen geïnformeerd? Waarom (niet)?", "Nee: Geen hoog risico voor de betrokkenen. Alleen namen en adressen")
	if le := entryOf(t, v, fx.late); le.APLate == nil || !*le.APLate {
		t.Error("late notification not marked late")
	}

	k := cols(entryOf(t, v, fx.kept))
	equal("kept", k, "Gemeld aan de AP? Waarom (niet)?", "Nee: Versleuteld volgens de stand van de techniek (BitLocker).")
	contains("kept", k, "Betrokkenen geïnformeerd? Waarom (niet)?", "Nee: De gegevens waren onleesbaar")
	contains("kept", k, "Besluiten en redenen per stap", "Afwijkend van het advies: melden aan de AP")
	equal("kept", k, "Termijn 72 uur (AP)", "Niet van toepassing")
	equal("kept", k, "Meldingsnummer (aanvullingen, intrekking)", "")

	// A non-breach shows the reason why it is none.
	nb := cols(entryOf(t, v, fx.noBreach))
	equal("no breach", nb, "Datalek?", "Beveiligingsincident, geen datalek")
	equal("no breach", nb, "Reden (geen) datalek", "De e-mail kwam onbestelbaar terug; niemand heeft hem gelezen.")
	contains("no breach", nb, "Gemeld aan de AP? Waarom (niet)?", "Nee, geen datalek: De e-mail kwam onbestelbaar terug")
	equal("no breach", nb, "Betrokkenen geïnformeerd? Waarom (niet)?", "Nee, geen datalek")
	ni := cols(entryOf(t, v, fx.noIncident))
	equal("no incident", ni, "Datalek?", "Geen beveiligingsincident")
	equal("no incident", ni, "Reden (geen) datalek", "Alleen een verdachte mail ontvangen; niemand heeft geklikt.")
	contains("no incident", ni, "Gemeld aan de AP? Waarom (niet)?", "Nee, geen datalek: Alleen een verdachte mail")
	equal("no incident", ni, "Termijn 72 uur (AP)", "Niet van toepassing")

	fr := cols(entryOf(t, v, fx.fresh))
	equal("fresh", fr, "Datalek?", "Nog niet bepaald")
	equal("fresh", fr, "Gemeld aan de AP? Waarom (niet)?", "Nog niet besloten")
	if fe := entryOf(t, v, fx.fresh); fe.Deadline72h.State != incident.DeadlineOverdue {
		// Reported on 28 November 00:04; the clock is four days later.
		t.Errorf("fresh case's 72 hours: %+v, want overdue", fe.Deadline72h)
	}

	// Filters on notification and deadlines, and the orders.
	q := func(rq service.RegisterQuery) []int64 {
		t.Helper()
		v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], rq))
		if len(v.Errors) > 0 {
			t.Fatalf("filter %+v: errors %v", rq, v.Errors)
		}
		return ids(v)
	}
	eq := func(name string, got []int64, want ...int64) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	eq("notified", q(service.RegisterQuery{Notified: "yes"}), fx.late, fx.full)
	eq("not notified breaches", q(service.RegisterQuery{Notified: "no", Breach: "yes"}), fx.kept)
	eq("open deadlines", q(service.RegisterQuery{Deadlines: "open"}), fx.fresh)
	eq("overdue", q(service.RegisterQuery{Deadlines: "overdue"}), fx.fresh)
	eq("oldest first", q(service.RegisterQuery{Dir: "asc"}), fx.noIncident, fx.full, fx.late, fx.kept, fx.noBreach, fx.fresh)
	eq("number descending", q(service.RegisterQuery{Sort: "number"}), fx.fresh, fx.noBreach, fx.kept, fx.late, fx.full, fx.noIncident)
	// Step order: new, then assessment… closed last; ties newest first.
	eq("by step", q(service.RegisterQuery{Sort: "status", Dir: "asc"}), fx.fresh, fx.late, fx.kept, fx.noBreach, fx.noIncident, fx.full)
	if v := must(e.svc.Incidents.Register(e.ctx, e.actors["desk"], service.RegisterQuery{Sort: "bogus", Dir: "up", Deadlines: "x", Notified: "x"})); len(v.Errors) != 4 || len(v.Entries) != 6 {
		t.Errorf("bad sort and filters: %v, %d entries", v.Errors, len(v.Entries))
	}
}

// mustOK fails the test with the field messages of a refused form.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if ae, ok := apperr.As(err); ok {
		t.Fatalf("%v %v", err, ae.Fields)
	} else if err != nil {
		t.Fatal(err)
	}
}
