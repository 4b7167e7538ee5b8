package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

func TestRecordNotificationToTheAP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, amsterdam))
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("USB-stick 3b", e.a1))).ID
	e.decided(id, true, "Adressen van kinderen op straat", incident.StatusNotification)
	if _, err := e.owner.Exec(e.ctx, `UPDATE case_assessments SET notify_authority = true, notify_subjects = true, subjects_channel = 'individual' WHERE case_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	officer := e.actors["officer"]

	v := must(e.svc.Incidents.Notification(e.ctx, officer, id))
	if !v.CanRecord || v.CanAmend || v.BoardInformed || v.Missing == 0 {
		t.Errorf("page state: record=%v amend=%v board=%v missing=%d", v.CanRecord, v.CanAmend, v.BoardInformed, v.Missing)
	}
	if want := time.Date(2026, 11, 26, 9, 0, 0, 0, amsterdam); !v.Due.At.Equal(want) {
		t.Errorf("AP due %v, want %v", v.Due.At, want)
	}
	if len(v.Sections) != 9 || v.Sections[1].Fields[0].Value != "Bestuur A" {
		t.Errorf("AP form sections = %+v", v.Sections[:2])
	}
	if _, err := e.svc.Incidents.Notification(e.ctx, e.actors["desk"], id); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk opens the AP page: %v", err)
	}

	e.clock.Set(time.Date(2026, 11, 24, 15, 0, 0, 0, amsterdam))
	f := incident.NotificationForm{SentAt: "2026-11-24T14:30", Number: "M-2026-123456"}
	err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, f)
	if ae, ok := apperr.As(err); !ok || ae.Fields["board_reason"] == "" {
		t.Fatalf("without the board: %v, want a board_reason message", err)
	}
	if err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, incident.NotificationForm{SentAt: "2026-11-25T10:00", Number: "?"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("future date and bad number: %v", err)
	}
	must(0, e.svc.Incidents.InformBoard(e.ctx, e.actors["board"], id, "Akkoord met melden."))
	if err := e.svc.Incidents.RecordNotification(e.ctx, e.actors["desk"], id, f); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk records: %v", err)
	}
	if err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, f); err != nil {
		t.Fatal(err)
	}
	if e.status(id) != incident.StatusInforming {
		t.Errorf("status %s, want informing (the decision was to inform data subjects)", e.status(id))
	}
	if v := must(e.svc.Incidents.Notification(e.ctx, officer, id)); len(v.Confirmations) != 0 {
		t.Fatalf("confirmations before any upload: %+v", v.Confirmations)
	}
	must(e.svc.Incidents.AddAttachment(e.ctx, officer, id, service.AttachmentUpload{Kind: "ap_confirmation",
		Filename: "bevestiging-AP.pdf", Data: pdfFile()}))
	must(e.svc.Incidents.AddAttachment(e.ctx, officer, id, service.AttachmentUpload{Kind: "evidence",
		Filename: "foto.pdf", Data: pdfFile()}))
	if v := must(e.svc.Incidents.Notification(e.ctx, officer, id)); len(v.Confirmations) != 1 || v.Confirmations[0].Filename != "bevestiging-AP.pdf" {
		t.Errorf("confirmations = %+v, want only the AP's", v.Confirmations)
	}
	if err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, f); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("recording twice: %v, want Conflict", err)
	}

	// Supplement, then withdrawal, under the same number; nothing after a withdrawal.
	if err := e.svc.Incidents.AmendNotification(e.ctx, officer, id, incident.AmendForm{Kind: "supplement", SentAt: "2026-11-24T10:00", Content: "Het aantal betrokkenen is 31."}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("supplement dated before the notification: %v", err)
	}
	must(0, e.svc.Incidents.AmendNotification(e.ctx, officer, id, incident.AmendForm{Kind: "supplement", SentAt: "2026-11-24T14:50", Content: "Het aantal betrokkenen is 31."}))
	must(0, e.svc.Incidents.AmendNotification(e.ctx, officer, id, incident.AmendForm{Kind: "withdrawal", SentAt: "2026-11-24T14:55", Content: "De stick is teruggevonden, ongeopend."}))
	if err := e.svc.Incidents.AmendNotification(e.ctx, officer, id, incident.AmendForm{Kind: "supplement", SentAt: "2026-11-24T14:58", Content: "Nog een aanvulling."}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("supplement after withdrawal: %v", err)
	}
	v = must(e.svc.Incidents.Notification(e.ctx, officer, id))
	if len(v.Notifications) != 3 || v.Notifications[1].Number != "M-2026-123456" || v.Notifications[2].Kind != incident.NoticeWithdrawal {
		t.Errorf("notifications = %+v", v.Notifications)
	}
	if cv := must(e.svc.Incidents.Case(e.ctx, e.actors["desk"], id)); len(cv.Notifications) != 3 {
		t.Errorf("the desk's case view shows %d notifications, want 3", len(cv.Notifications))
	}
	if rv := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id)); len(rv.Notifications) != 0 {
		t.Error("the reporter sees the AP notifications")
	}
	if e.events(id, "record_notification") != 1 || e.events(id, "amend_notification") != 2 {
		t.Error("notifications are not on the timeline")
	}
}

func TestLateNotificationNeedsReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Aware on Friday 27 March 2026 10:00; the clocks go forward on Sunday, so
	// the 72 hours end on Monday 30 March at 11:00 on the wall clock.
	e.clock.Set(time.Date(2026, 3, 27, 10, 0, 0, 0, amsterdam))
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("ransomware", e.a1))).ID
	inv := goodInventory()
	inv.PeriodFrom = "2026-03-26T22:00"
	desk := e.actors["desk"]
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
	if _, err := e.owner.Exec(e.ctx, `INSERT INTO case_assessments (organisation_id, case_id, facts, advice, breach, notify_authority, notify_subjects, decided_at, decided_by)
		VALUES ($1, $2, '{}', '{}', true, true, false, now(), $3)`, e.orgA, id, e.actors["officer"].UserID); err != nil {
		t.Fatal(err)
	}
	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusAssessment, incident.StatusNotification, e.clock.Now()))
	must(0, e.svc.Incidents.InformBoard(e.ctx, e.actors["board"], id, "Akkoord."))
	officer := e.actors["officer"]
	e.clock.Set(time.Date(2026, 3, 31, 9, 0, 0, 0, amsterdam))

	onTime := incident.NotificationForm{SentAt: "2026-03-30T11:00", Number: "M-1"}
	late := incident.NotificationForm{SentAt: "2026-03-30T11:01", Number: "M-1"}
	err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, late)
	if ae, ok := apperr.As(err); !ok || !strings.Contains(ae.Fields["late_reason"], "30-03-2026 11:00") {
		t.Fatalf("one minute late without reasons: %v", err)
	}
	// Exactly at the deadline is in time: no reasons asked (checked in a transaction that we roll back by failing the number).
	onTime.Number = "?"
	err = e.svc.Incidents.RecordNotification(e.ctx, officer, id, onTime)
	if ae, ok := apperr.As(err); !ok || ae.Fields["late_reason"] != "" {
		t.Errorf("on time asked for reasons: %v", err)
	}
	late.LateReason = "Het lek werd pas na het weekend bevestigd door de leverancier."
	if err := e.svc.Incidents.RecordNotification(e.ctx, officer, id, late); err != nil {
		t.Fatal(err)
	}
	if e.status(id) != incident.StatusRecording {
		t.Errorf("status %s, want recording (no data subjects to inform)", e.status(id))
	}
	list := must(e.svc.Incidents.Notification(e.ctx, officer, id)).Notifications
	if len(list) != 1 || list[0].LateReason == "" {
		t.Errorf("notifications = %+v", list)
	}
}

func TestSubjectsDeadlineCountsFromTheNotification(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, amsterdam))
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("lijst met zorgleerlingen gemaild aan verkeerde ouder", e.a1))).ID
	inv := goodInventory()
	inv.PeriodFrom = "2026-10-20T08:00"
	desk := e.actors["desk"]
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
	if _, err := e.owner.Exec(e.ctx, `INSERT INTO case_assessments (organisation_id, case_id, facts, advice, breach, notify_authority, notify_subjects, subjects_channel, decided_at, decided_by)
		VALUES ($1, $2, '{}', '{}', true, true, true, 'individual', $3, $4)`, e.orgA, id, e.clock.Now(), e.actors["officer"].UserID); err != nil {
		t.Fatal(err)
	}
	must(0, e.store.MoveCase(e.sys, e.orgA, id, incident.StatusAssessment, incident.StatusNotification, e.clock.Now()))
	must(0, e.svc.Incidents.InformBoard(e.ctx, e.actors["board"], id, "Akkoord."))
	e.clock.Set(time.Date(2026, 10, 21, 16, 0, 0, 0, amsterdam))
	must(0, e.svc.Incidents.RecordNotification(e.ctx, e.actors["officer"], id, incident.NotificationForm{SentAt: "2026-10-21T15:30", Number: "M-77"}))
	w := must(e.svc.Incidents.Worklist(e.ctx, e.actors["officer"]))
	if len(w.Officer) != 1 || len(w.Officer[0].Deadlines) != 1 {
		t.Fatalf("officer list = %+v", w.Officer)
	}
	// One week after Wednesday 21 October 15:30, across the change to winter time: same wall-clock time.
	if d := w.Officer[0].Deadlines[0]; !d.At.Equal(time.Date(2026, 10, 28, 15, 30, 0, 0, amsterdam)) || !strings.Contains(d.Label, "melding") {
		t.Errorf("subjects deadline = %+v", d)
	}
}
