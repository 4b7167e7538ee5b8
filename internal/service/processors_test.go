package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
)

func goodProcessor(name string) incident.ProcessorForm {
	return incident.ProcessorForm{Name: name, Processes: "Leerlingadministratie: namen, adressen, cijfers",
		BreachContact: "Servicedesk, 088 123 45 67, security@leverancier.nl", HowInform: "Telefonisch en per e-mail aan de FG",
		OffHours: "Piketnummer 06 12345678, ook in weekend en vakanties", APNotifier: incident.PartySchool,
		Information:   "Aard van het lek, betrokken gegevens, aantal betrokkenen, genomen maatregelen",
		DeliveryHours: "24", Communicator: incident.PartySchool}
}

func TestProcessorValidationInDutch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.actors["officer"]
	_, err := e.svc.Processors.Create(e.ctx, officer, incident.ProcessorForm{})
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid {
		t.Fatalf("empty form: %v", err)
	}
	for field, want := range map[string]string{
		"name": "Vul de naam", "processes": "welke persoonsgegevens", "breach_contact": "wie u bij een datalek",
		"how_inform": "hoe u elkaar", "off_hours": "weekend", "ap_notifier": "Kies wie de melding",
		"information": "welke informatie", "delivery_hours": "binnen hoeveel uur", "communicator": "Kies wie de communicatie",
	} {
		if !strings.Contains(ae.Fields[field], want) {
			t.Errorf("field %s: %q, want it to contain %q", field, ae.Fields[field], want)
		}
	}
	for hours, want := range map[string]string{"abc": "heel aantal uren", "0": "heel aantal uren", "200": "hoogstens 168", "1,5": "heel aantal uren"} {
		f := goodProcessor("Uitgeverij " + hours)
		f.DeliveryHours = hours
		_, err := e.svc.Processors.Create(e.ctx, officer, f)
		if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["delivery_hours"], want) {
			t.Errorf("delivery hours %q: %v", hours, err)
		}
	}
	id := must(e.svc.Processors.Create(e.ctx, officer, goodProcessor("Magister")))
	// The same name again (in other letters) is refused, in the same organisation only.
	_, err = e.svc.Processors.Create(e.ctx, e.actors["admin"], goodProcessor("magister"))
	if ae, _ := apperr.As(err); ae == nil || ae.Fields["name"] == "" {
		t.Errorf("duplicate name: %v", err)
	}
	bOfficer := e.user("officer_b", e.orgB, access.Grant{Role: access.Officer})
	must(e.svc.Processors.Create(e.ctx, bOfficer, goodProcessor("Magister")))
	if n := e.count(`SELECT count(*) FROM processors`); n != 2 {
		t.Errorf("%d processors stored, want 2 (refused forms store nothing)", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'processor_created' AND subject_id = $1`, id); n != 1 {
		t.Errorf("audit rows for the creation: %d", n)
	}
}

// TestProcessorAuthorisationTable: who lists, reads, creates and edits
// processors; another organisation's processor is not found.
func TestProcessorAuthorisationTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	e.user("admin_a1", e.orgA, access.Grant{Role: access.Admin, Schools: []int64{e.a1}})
	id := must(e.svc.Processors.Create(e.ctx, e.actors["officer"], goodProcessor("ParnasSys")))
	bID := must(e.svc.Processors.Create(e.ctx, e.actors["admin_b"], goodProcessor("Somtoday")))
	const view, manage, none = "view", "manage", "none"
	for who, want := range map[string]string{
		"officer": manage, "admin": manage, "desk": view, "desk_a1": view, "board": view,
		"officer_a1": view, "admin_a1": view, // a processor serves the whole board: managing is organisation-wide
		"technician": none, "staff": none, "desk_b": view, "admin_b": manage,
	} {
		a := e.actors[who]
		list, listErr := e.svc.Processors.List(e.ctx, a)
		_, getErr := e.svc.Processors.Get(e.ctx, a, id)
		f := goodProcessor("ParnasSys")
		f.DeliveryHours = "12"
		updErr := e.svc.Processors.Update(e.ctx, a, id, f)
		_, createErr := e.svc.Processors.Create(e.ctx, a, goodProcessor("Nieuw "+who))
		inOrgA := a.OrganisationID == e.orgA
		switch want {
		case none:
			if !apperr.Is(listErr, apperr.Forbidden) || createErr == nil || updErr == nil {
				t.Errorf("%s: list %v, create %v, update %v; want refused", who, listErr, createErr, updErr)
			}
		case view:
			if !inOrgA && !apperr.Is(getErr, apperr.NotFound) {
				t.Errorf("%s of another organisation reads A's processor: %v", who, getErr)
			}
			if listErr != nil || (inOrgA && getErr != nil) || !apperr.Is(updErr, apperr.Forbidden) || !apperr.Is(createErr, apperr.Forbidden) || list.CanManage {
				t.Errorf("%s: list %v, get %v, update %v, create %v; want read only", who, listErr, getErr, updErr, createErr)
			}
		case manage:
			if listErr != nil || createErr != nil || !list.CanManage {
				t.Errorf("%s: list %v, create %v; want to manage", who, listErr, createErr)
			}
			if inOrgA && (getErr != nil || updErr != nil) {
				t.Errorf("%s: get %v, update %v", who, getErr, updErr)
			}
			if !inOrgA && (!apperr.Is(getErr, apperr.NotFound) || !apperr.Is(updErr, apperr.NotFound)) {
				t.Errorf("%s of another organisation: get %v, update %v; want not found", who, getErr, updErr)
			}
		}
		for _, p := range list.Processors {
			if p.OrganisationID != a.OrganisationID {
				t.Errorf("%s sees processor %d of organisation %d", who, p.ID, p.OrganisationID)
			}
		}
	}
	if _, err := e.svc.Processors.Get(e.ctx, e.actors["desk"], bID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("desk of A reads B's processor: %v", err)
	}
	// Two updates in org A (officer, admin): two audit rows; only the first changed the hours.
	if n := e.count(`SELECT count(*) FROM audit_log WHERE organisation_id = $2 AND action = 'processor_updated' AND subject_id = $1`, id, e.orgA); n != 2 {
		t.Errorf("audit rows for the two updates: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'processor_updated' AND subject_id = $1 AND details->'fields' ? 'delivery_hours'`, id); n != 1 {
		t.Errorf("audit rows naming delivery_hours: %d", n)
	}
}

func TestLinkProcessorTracksTheDeliveryDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))
	desk, officer := e.actors["desk"], e.actors["officer"]
	pid := must(e.svc.Processors.Create(e.ctx, officer, goodProcessor("Magister")))
	bPid := must(e.svc.Processors.Create(e.ctx, e.actors["admin_b"], goodProcessor("Van B")))
	id := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("lek bij de leverancier", e.a1))).ID
	link := func(who string, processor int64, at string) error {
		return e.svc.Incidents.LinkProcessor(e.ctx, e.actors[who], id,
			incident.ProcessorLinkForm{ProcessorID: strconv.FormatInt(processor, 10), InformedAt: at})
	}
	// Validation, in Dutch.
	err := e.svc.Incidents.LinkProcessor(e.ctx, desk, id, incident.ProcessorLinkForm{InformedAt: "2026-11-24T10:00"})
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["processor"], "Kies de verwerker") ||
		!strings.Contains(ae.Fields["informed_at"], "toekomst") {
		t.Errorf("empty link: %v", err)
	}
	if err := link("desk", bPid, "2026-11-23T09:00"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("processor of another organisation: %v, want Invalid", err)
	}
	for _, who := range []string{"board", "technician", "staff", "desk_b"} {
		if err := link(who, pid, "2026-11-23T09:00"); err == nil {
			t.Errorf("%s links a processor", who)
		}
	}
	if err := link("officer", pid, "2026-11-23T09:00"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("officer in step 2: %v, want Forbidden", err)
	}
	must(0, e.svc.Incidents.StartInventory(e.ctx, desk, id))
	must(0, link("desk", pid, "2026-11-23T09:30"))
	if n := e.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'link_processor' AND summary LIKE '%Magister%uiterlijk 24-11-2026 09:30%'`, id); n != 1 {
		t.Errorf("timeline rows for the link: %d", n)
	}
	v := must(e.svc.Incidents.Case(e.ctx, officer, id))
	if v.Processor == nil || v.Processor.Processor.Name != "Magister" || v.ProcessorDue == nil ||
		!v.ProcessorDue.At.Equal(time.Date(2026, 11, 24, 9, 30, 0, 0, amsterdam)) || v.ProcessorDue.Overdue {
		t.Fatalf("case view: %+v due %+v", v.Processor, v.ProcessorDue)
	}
	if len(v.Processors) != 0 {
		t.Errorf("the officer may not link in step 2 but gets the choice list")
	}
	if rv := must(e.svc.Incidents.Case(e.ctx, e.actors["staff"], id)); rv.Processor != nil {
		t.Errorf("the reporter sees the processor")
	}
	// The desk's start page carries the deadline; a minute past it, overdue.
	e.clock.Set(time.Date(2026, 11, 24, 9, 31, 0, 0, amsterdam))
	w := must(e.svc.Incidents.Worklist(e.ctx, desk))
	if d := findDue(w.Desk, id, "Magister"); d == nil || !d.Overdue || d.Text != "1 minuut te laat" {
		t.Errorf("desk work list: %+v", w.Desk)
	}
	if ov := must(e.store.OverdueProcessorDeliveries(e.sys, e.clock.Now())); len(ov) != 1 || ov[0].CaseID != id ||
		ov[0].OrganisationID != e.orgA || ov[0].ProcessorID != pid || !ov[0].DueAt.Equal(time.Date(2026, 11, 24, 9, 30, 0, 0, amsterdam)) {
		t.Errorf("overdue deliveries: %+v", ov)
	}
	// Another organisation's overdue case is listed with its own organisation;
	// a closed case is not listed.
	bCase := must(e.svc.Incidents.Report(e.ctx, e.user("staff_b", e.orgB), e.form("lek bij B", e.b1))).ID
	bDesk := e.actors["desk_b"]
	must(0, e.svc.Incidents.LinkProcessor(e.ctx, bDesk, bCase, incident.ProcessorLinkForm{ProcessorID: strconv.FormatInt(bPid, 10), InformedAt: "2026-11-23T08:00"}))
	closed := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("gesloten", e.a1))).ID
	must(0, e.svc.Incidents.LinkProcessor(e.ctx, desk, closed, incident.ProcessorLinkForm{ProcessorID: strconv.FormatInt(pid, 10), InformedAt: "2026-11-23T08:00"}))
	must(0, e.svc.Incidents.CloseNoBreach(e.ctx, desk, closed, service.CloseForm{Outcome: "no_incident", Reason: "Alleen een dreiging, er is niets gebeurd."}))
	must(0, e.svc.Incidents.ConfirmNoBreach(e.ctx, e.actors["officer"], closed))
	ov := must(e.store.OverdueProcessorDeliveries(e.sys, e.clock.Now()))
	if len(ov) != 2 || ov[0].CaseID != bCase || ov[0].OrganisationID != e.orgB || ov[1].CaseID != id || ov[1].OrganisationID != e.orgA {
		t.Errorf("overdue over two organisations: %+v", ov)
	}
	if ov := must(e.store.OverdueProcessorDeliveries(e.sys, time.Date(2026, 11, 23, 10, 0, 0, 0, amsterdam))); len(ov) != 0 {
		t.Errorf("overdue before the deadline: %+v", ov)
	}
	// In step 3 the officer links (again), the desk no longer.
	inv := goodInventory()
	must(0, e.svc.Incidents.RecordInventory(e.ctx, desk, id, inv))
	must(0, e.svc.Incidents.SendToOfficer(e.ctx, desk, id))
	if err := link("desk", pid, "2026-11-23T09:30"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("desk in step 3: %v, want Forbidden", err)
	}
	must(0, link("officer", pid, "2026-11-24T08:00"))
	w = must(e.svc.Incidents.Worklist(e.ctx, officer))
	if d := findDue(w.Officer, id, "Magister"); d == nil || d.Overdue || !d.At.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, amsterdam)) {
		t.Errorf("officer work list after relinking: %+v", w.Officer)
	}
	// Received: the deadline stops, and the reminder query no longer lists it.
	e.clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, amsterdam))
	must(0, e.svc.Incidents.RecordProcessorDelivery(e.ctx, officer, id))
	if err := e.svc.Incidents.RecordProcessorDelivery(e.ctx, officer, id); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("recording twice: %v", err)
	}
	if w := must(e.svc.Incidents.Worklist(e.ctx, officer)); findDue(w.Officer, id, "Magister") != nil {
		t.Errorf("deadline after delivery: %+v", w.Officer)
	}
	if ov := must(e.store.OverdueProcessorDeliveries(e.sys, e.clock.Now())); len(ov) != 1 || ov[0].CaseID != bCase {
		t.Errorf("overdue after delivery: %+v, want only B's case", ov)
	}
	if v := must(e.svc.Incidents.Dossier(e.ctx, e.actors["board"], id)); v.Processor == nil || v.Processor.DeliveredAt == nil || v.ProcessorDue != nil {
		t.Errorf("dossier processor: %+v", v.Processor)
	}
}

func findDue(items []incident.WorkItem, id int64, label string) *incident.Due {
	for _, it := range items {
		if it.ID != id {
			continue
		}
		for i, d := range it.Deadlines {
			if strings.Contains(d.Label, label) {
				return &it.Deadlines[i]
			}
		}
	}
	return nil
}
