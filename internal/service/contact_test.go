package service_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
)

// auditDetails returns the details of the newest audit row of action on subject.
func (e *env) auditDetails(action string, subject int64) map[string]map[string]string {
	e.t.Helper()
	var b []byte
	if err := e.owner.QueryRow(e.ctx, `SELECT details FROM audit_log WHERE action = $1 AND subject_id = $2
		ORDER BY id DESC LIMIT 1`, action, subject).Scan(&b); err != nil {
		e.t.Fatal(err)
	}
	var d map[string]map[string]string
	if err := json.Unmarshal(b, &d); err != nil {
		e.t.Fatalf("details %s: %v", b, err)
	}
	return d
}

func TestOrganisationContactRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]

	empty := must(e.svc.Accounts.OrganisationContact(e.ctx, admin))
	if empty.Name != "Bestuur A" || empty.KvK != "" || empty.FGName != "" {
		t.Fatalf("a new organisation: %+v", empty)
	}

	// Bad input: a message per wrong field, nothing stored, nothing audited.
	_, err := e.svc.Accounts.SetOrganisationContact(e.ctx, admin, contact.Organisation{KvK: "1234", FGEmail: "fg-at-bestuur",
		Details: contact.Details{Postcode: "12345", Street: "Kerkplein 1"}})
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Invalid || ae.Fields["kvk"] == "" || ae.Fields["fg_email"] == "" || ae.Fields["postcode"] == "" || ae.Fields["street"] != "" {
		t.Fatalf("bad input: %v %v", err, ae)
	}
	if got := must(e.svc.Accounts.OrganisationContact(e.ctx, admin)); got.Street != "" {
		t.Errorf("refused input stored: %+v", got)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'organisation_contact_changed'`); n != 0 {
		t.Errorf("%d audit rows after a refusal", n)
	}

	in := contact.Organisation{Name: "ignored", KvK: "4123 4567", FGName: "Femke  de Functionaris", FGEmail: "FG@Bestuur-A.nl",
		FGPhone: "06-12345678", Details: contact.Details{Street: "Kerkplein 1", Postcode: "3511aa", City: "Utrecht",
			Phone: "030-1234567", Email: "info@bestuur-a.nl", Website: "www.bestuur-a.nl"}}
	saved := must(e.svc.Accounts.SetOrganisationContact(e.ctx, admin, in))
	got := must(e.svc.Accounts.OrganisationContact(e.ctx, admin))
	want := contact.Organisation{Name: "Bestuur A", KvK: "41234567", FGName: "Femke de Functionaris", FGEmail: "fg@bestuur-a.nl",
		FGPhone: "06-12345678", Details: contact.Details{Street: "Kerkplein 1", Postcode: "3511 AA", City: "Utrecht",
			Phone: "030-1234567", Email: "info@bestuur-a.nl", Website: "https://www.bestuur-a.nl"}}
	if got != want || saved != want {
		t.Errorf("stored %+v\nreturned %+v\nwant %+v", got, saved, want)
	}
	d := e.auditDetails("organisation_contact_changed", e.orgA)
	if d["from"]["kvk"] != "" || d["to"]["kvk"] != "41234567" || d["to"]["fg_name"] != "Femke de Functionaris" || len(d["to"]) != 10 {
		t.Errorf("first audit entry: %v", d)
	}

	// A second change records only what changed, old and new.
	in.City = "Amersfoort"
	must(e.svc.Accounts.SetOrganisationContact(e.ctx, admin, in))
	d = e.auditDetails("organisation_contact_changed", e.orgA)
	if len(d["from"]) != 1 || d["from"]["city"] != "Utrecht" || d["to"]["city"] != "Amersfoort" {
		t.Errorf("second audit entry: %v", d)
	}
	// Saving the same again changes nothing and writes no entry.
	must(e.svc.Accounts.SetOrganisationContact(e.ctx, admin, in))
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'organisation_contact_changed' AND actor_id = $1`, admin.UserID); n != 2 {
		t.Errorf("%d audit rows, want 2", n)
	}

	// The other organisation's details are its own.
	if b := must(e.svc.Accounts.OrganisationContact(e.ctx, e.actors["admin_b"])); b.Name != "Bestuur B" || b.City != "" {
		t.Errorf("organisation B: %+v", b)
	}
}

func TestContactDetailsOnlyForTheAdministrator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, who := range []string{"officer", "desk", "staff", "board", "technician"} {
		a := e.actors[who]
		if _, err := e.svc.Accounts.OrganisationContact(e.ctx, a); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s reads the organisation's form: %v", who, err)
		}
		if _, err := e.svc.Accounts.SetOrganisationContact(e.ctx, a, contact.Organisation{KvK: "41234567"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s sets the organisation's details: %v", who, err)
		}
		if _, err := e.svc.Accounts.SchoolContact(e.ctx, a, e.a1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s reads a school's form: %v", who, err)
		}
		if _, err := e.svc.Accounts.SetSchoolContact(e.ctx, a, e.a1, contact.School{BRIN: "12AB"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s sets a school's details: %v", who, err)
		}
	}
	if n := e.count(`SELECT count(*) FROM schools WHERE brin <> ''`) + e.count(`SELECT count(*) FROM organisations WHERE kvk <> ''`); n != 0 {
		t.Errorf("%d rows changed by someone not allowed", n)
	}
}

func TestSchoolContactRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]

	if _, err := e.svc.Accounts.SetSchoolContact(e.ctx, admin, e.a1, contact.School{BRIN: "ABCD", Details: contact.Details{Website: "ftp://a1.nl"}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad BRIN accepted: %v", err)
	} else if ae, _ := apperr.As(err); ae.Fields["brin"] == "" || ae.Fields["website"] == "" {
		t.Errorf("fields %v", ae.Fields)
	}
	saved := must(e.svc.Accounts.SetSchoolContact(e.ctx, admin, e.a1, contact.School{Name: "ignored", BRIN: "12ab",
		Details: contact.Details{Street: "Schoolstraat 5", Postcode: "3701 ab", City: "Zeist", Phone: "+31 30 1234567", Email: "Info@A1.nl", Website: "a1.nl"}}))
	got := must(e.svc.Accounts.SchoolContact(e.ctx, admin, e.a1))
	if got != saved || got.Name != "School A1" || got.ID != e.a1 || got.BRIN != "12AB" || got.Postcode != "3701 AB" || got.Email != "info@a1.nl" || got.Website != "https://a1.nl" {
		t.Errorf("stored %+v, returned %+v", got, saved)
	}
	d := e.auditDetails("school_contact_changed", e.a1)
	if d["from"]["brin"] != "" || d["to"]["brin"] != "12AB" || d["to"]["city"] != "Zeist" {
		t.Errorf("audit entry: %v", d)
	}
	if other := must(e.svc.Accounts.SchoolContact(e.ctx, admin, e.a2)); other.BRIN != "" {
		t.Errorf("the other school changed too: %+v", other)
	}

	// Another organisation's school does not exist for this administrator.
	if _, err := e.svc.Accounts.SchoolContact(e.ctx, admin, e.b1); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("read of another organisation's school: %v", err)
	}
	if _, err := e.svc.Accounts.SetSchoolContact(e.ctx, admin, e.b1, contact.School{BRIN: "99ZZ"}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("change of another organisation's school: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM schools WHERE id = $1 AND brin <> ''`, e.b1); n != 0 {
		t.Error("another organisation's school was changed")
	}
}

func TestLetterheadOfACase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.actors["admin"]
	must(e.svc.Accounts.SetOrganisationContact(e.ctx, admin, contact.Organisation{KvK: "41234567", FGName: "Femke", FGEmail: "fg@a.nl",
		Details: contact.Details{Street: "Kerkplein 1", Postcode: "3511 AA", City: "Utrecht", Phone: "030-1234567", Email: "info@a.nl"}}))
	must(e.svc.Accounts.SetSchoolContact(e.ctx, admin, e.a1, contact.School{BRIN: "12AB",
		Details: contact.Details{Street: "Schoolstraat 5", Postcode: "3701 AB", City: "Zeist", Email: "info@a1.nl"}}))

	inA1 := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Lijst kwijt", e.a1))).ID
	noSchool := must(e.svc.Incidents.Report(e.ctx, e.actors["staff"], e.form("Mail verkeerd", 0))).ID

	h := must(e.svc.Incidents.Letterhead(e.ctx, e.actors["officer"], inA1))
	if h.Name != "School A1" || h.Street != "Schoolstraat 5" || h.City != "Zeist" || h.Email != "info@a1.nl" || h.Phone != "030-1234567" || h.FGName != "Femke" {
		t.Errorf("case of school A1: %+v", h)
	}
	if !slices.Equal(h.Missing, []string{"website", "fg_phone"}) {
		t.Errorf("missing %v", h.Missing)
	}
	h = must(e.svc.Incidents.Letterhead(e.ctx, e.actors["desk"], noSchool))
	if h.Name != "Bestuur A" || h.Street != "Kerkplein 1" || h.Email != "info@a.nl" {
		t.Errorf("case without a school: %+v", h)
	}
	// View rights on the case: another organisation's desk, and a colleague
	// who did not report it, see no case.
	for _, who := range []string{"desk_b", "staff2"} {
		if _, err := e.svc.Incidents.Letterhead(e.ctx, e.actors[who], inA1); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s: %v", who, err)
		}
	}
}

// The demo's contact details are valid as the form would store them, and
// give the demo cases a full letterhead (Het Baken's address is the board's).
func TestDemoContactDetails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	must(e.svc.SeedDemo(e.ctx))
	admin := e.demoActor("beheer@demo.lekwacht.nl")
	org := must(e.svc.Accounts.OrganisationContact(e.ctx, admin))
	if checked, err := org.Check(); err != nil || checked != org || org.KvK == "" || org.FGPhone == "" {
		t.Errorf("organisation %+v: %v", org, err)
	}
	schools := must(e.svc.Accounts.SchoolsToManage(e.ctx, admin))
	for _, s := range schools {
		c := must(e.svc.Accounts.SchoolContact(e.ctx, admin, s.ID))
		if checked, err := c.Check(); err != nil || checked != c || c.BRIN == "" {
			t.Errorf("school %+v: %v", c, err)
		}
	}
	fg := e.demoActor("fg@demo.lekwacht.nl")
	var ids []int64
	rows := must(e.owner.Query(e.ctx, `SELECT id FROM cases ORDER BY id`))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) != 2 {
		t.Fatalf("%d demo cases", len(ids))
	}
	for _, id := range ids {
		if h := must(e.svc.Incidents.Letterhead(e.ctx, fg, id)); len(h.Missing) != 0 || h.Street == "" {
			t.Errorf("demo case %d: %+v", id, h)
		}
	}
}
