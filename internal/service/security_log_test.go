package service_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

// auditRows lists the security log of org A as "action actor subject case
// address", oldest first.
func (e *env) auditRows(actions ...string) []string {
	e.t.Helper()
	rows, err := e.owner.Query(e.ctx, `
		SELECT action || ' ' || coalesce(actor_id::text, '-') || ' ' || coalesce(subject_id::text, '-') || ' ' ||
		       coalesce(case_id::text, '-') || ' ' || address
		FROM audit_log WHERE organisation_id = $1 AND action = ANY($2) ORDER BY chain_seq`, e.orgA, actions)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func idStr(n int64) string { return strconv.FormatInt(n, 10) }

// TestSecurityEventsSignInAndOut: a sign-in, a failed sign-in to a known
// account and a sign-out are recorded with the user's id and the address; a
// failed attempt on an unknown address is nobody's event; a role change is.
func TestSecurityEventsSignInAndOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("staff", "het juiste lange wachtwoord")
	staff := e.actors["staff"].UserID
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "staff@example.nl", "fout", "192.0.2.10"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "niemand@example.nl", "fout", "192.0.2.11"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("unknown address: %v", err)
	}
	res, err := e.svc.Accounts.SignInFrom(e.ctx, "staff@example.nl", "het juiste lange wachtwoord", "192.0.2.12")
	if err != nil {
		t.Fatal(err)
	}
	a := res.Actor
	if err := e.svc.Accounts.SignedOut(access.WithAddress(e.ctx, "192.0.2.13"), a); err != nil {
		t.Fatal(err)
	}
	s := idStr(staff)
	want := []string{
		"signin_failed - " + s + " - 192.0.2.10",
		"signed_in " + s + " " + s + " - 192.0.2.12",
		"signed_out " + s + " " + s + " - 192.0.2.13",
	}
	got := e.auditRows(service.AuditSignInFailed, service.AuditSignedIn, service.AuditSignedOut)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("security log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The password set through the link and a role change, with the
	// administrator's address.
	admin := e.actors["admin"]
	ctx := access.WithAddress(e.ctx, "2001:db8::1")
	if err := e.svc.Accounts.UpdateUser(ctx, admin, staff, service.UserForm{Name: "Gebruiker staff", Active: true,
		Roles: map[access.Role]string{access.Desk: "all"}}); err != nil {
		t.Fatal(err)
	}
	got = e.auditRows(service.AuditPasswordSet, service.AuditUserUpdated)
	if len(got) != 2 || !strings.HasPrefix(got[0], "password_set "+s) ||
		got[1] != "user_updated "+idStr(admin.UserID)+" "+s+" - 2001:db8::1" {
		t.Errorf("password and role changes: %q", got)
	}
	// No name, e-mail address or password in any row.
	if n := e.count(`SELECT count(*) FROM audit_log WHERE details::text ~* 'gebruiker|example|wachtwoord|fout'`); n != 0 {
		t.Errorf("%d rows hold names or secrets", n)
	}
}

// TestSecurityEventsReadsAndWhoViewed: the case page, the dossier, its PDF,
// an attachment and a register export are each recorded with who, where and
// the case; the FG of the case's school sees them as "Ingezien door", nobody
// else does.
func TestSecurityEventsReadsAndWhoViewed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.attachCase()
	att, err := e.upload("technician", id, incident.AttachEvidence, "log.txt", []byte("regel 1\nregel 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	desk, officer, board := e.actors["desk"], e.actors["officer"], e.actors["board"]
	ctx := access.WithAddress(e.ctx, "198.51.100.7")
	must(e.svc.Incidents.CasePage(ctx, desk, id))
	must(e.svc.Incidents.Dossier(ctx, board, id))
	dv := must(e.svc.Incidents.DossierPDF(ctx, officer, id))
	if _, _, err := e.svc.Incidents.Attachment(ctx, e.actors["technician"], id, att.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Incidents.RegisterExport(ctx, desk, service.RegisterQuery{Format: "csv", Text: "Jansen"}); err != nil {
		t.Fatal(err)
	}
	// A refused read is not a read.
	if _, err := e.svc.Incidents.CasePage(ctx, e.actors["desk_b"], id); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other organisation: %v", err)
	}

	reads := e.auditRows(string(incident.ReadCasePage), string(incident.ReadDossier), string(incident.ReadDossierPDF),
		string(incident.ReadAttachment), string(incident.ReadRegisterExport))
	c := idStr(id)
	want := []string{
		"case_viewed " + idStr(desk.UserID) + " " + c + " " + c + " 198.51.100.7",
		"dossier_viewed " + idStr(board.UserID) + " " + c + " " + c + " 198.51.100.7",
		"dossier_pdf_downloaded " + idStr(officer.UserID) + " " + c + " " + c + " 198.51.100.7",
		"attachment_downloaded " + idStr(e.actors["technician"].UserID) + " " + idStr(att.ID) + " " + c + " 198.51.100.7",
		"register_exported " + idStr(desk.UserID) + " 0 - 198.51.100.7",
	}
	if strings.Join(reads, "\n") != strings.Join(want, "\n") {
		t.Errorf("reads:\n%s\nwant:\n%s", strings.Join(reads, "\n"), strings.Join(want, "\n"))
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE details::text ~* 'jansen|log.txt|cijferlijst'`); n != 0 {
		t.Errorf("%d rows hold what was searched or read", n)
	}
	// The dossier shows the chains' heads, its own read included.
	if dv.Security.Rows != int64(e.count(`SELECT count(*) FROM audit_log WHERE organisation_id = $1 AND action <> 'attachment_downloaded' AND action <> 'register_exported'`, e.orgA)) ||
		dv.Timeline.Rows != int64(e.count(`SELECT count(*) FROM case_events WHERE organisation_id = $1`, e.orgA)) || len(dv.Timeline.Hash) != 32 {
		t.Errorf("dossier's heads: timeline %d, security %d", dv.Timeline.Rows, dv.Security.Rows)
	}

	// Ingezien door: the FG sees every read of the case, newest first.
	rv := must(e.svc.Incidents.CaseReads(e.ctx, officer, id, 0))
	list := rv.Reads
	var what []string
	for _, r := range list {
		what = append(what, string(r.What)+" "+r.UserName+" "+r.Address)
	}
	wantList := []string{
		"attachment_downloaded Gebruiker technician 198.51.100.7",
		"dossier_pdf_downloaded Gebruiker officer 198.51.100.7",
		"dossier_viewed Gebruiker board 198.51.100.7",
		"case_viewed Gebruiker desk 198.51.100.7",
	}
	if strings.Join(what, "\n") != strings.Join(wantList, "\n") || list[0].Attachment != att.ID || list[0].Filename != "log.txt" || rv.More || rv.Case.ID != id {
		t.Errorf("Ingezien door:\n%s\nwant:\n%s", strings.Join(what, "\n"), strings.Join(wantList, "\n"))
	}
	if v := must(e.svc.Incidents.CaseReads(e.ctx, officer, id, 2)); len(v.Reads) != 2 || !v.More {
		t.Errorf("limit 2 gave %d, more %v", len(v.Reads), v.More)
	}

	// Only the FG of the case's school; in every step.
	e.user("officer_a2", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a2}})
	e.user("officer_b", e.orgB, access.Grant{Role: access.Officer})
	for who, kind := range map[string]apperr.Kind{
		"desk": apperr.Forbidden, "board": apperr.Forbidden, "admin": apperr.NotFound, "technician": apperr.NotFound,
		"staff": apperr.NotFound, "officer_a2": apperr.NotFound, "officer_b": apperr.NotFound, "desk_b": apperr.NotFound,
	} {
		if _, err := e.svc.Incidents.CaseReads(e.ctx, e.actors[who], id, 0); !apperr.Is(err, kind) {
			t.Errorf("%s reads who viewed: %v, want %v", who, err, kind)
		}
	}
	if _, err := e.svc.Incidents.CaseReads(e.ctx, nil, id, 0); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	e.exec(`UPDATE cases SET status = 'closed', closed_at = now() WHERE id = $1`, id)
	if _, err := e.svc.Incidents.CaseReads(e.ctx, officer, id, 0); err != nil {
		t.Errorf("closed case: %v", err)
	}
}

// TestSecurityLogOfTheOrganisation: an organisation-wide FG or
// administrator reads the whole log (newest first, in Dutch), the export is
// itself recorded; nobody else reads it, and never another organisation's.
func TestSecurityLogOfTheOrganisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.withPassword("staff", "het juiste lange wachtwoord")
	if _, err := e.svc.Accounts.SignInFrom(e.ctx, "staff@example.nl", "het juiste lange wachtwoord", "192.0.2.20"); err != nil {
		t.Fatal(err)
	}
	id := e.attachCase()
	must(e.svc.Incidents.CasePage(access.WithAddress(e.ctx, "192.0.2.21"), e.actors["desk"], id))
	e.user("officer_a1", e.orgA, access.Grant{Role: access.Officer, Schools: []int64{e.a1}})
	read := func(who string, limit int) ([]string, error) {
		var out []string
		err := e.svc.Accounts.SecurityLog(e.ctx, e.actors[who], limit, func(ev store.SecurityEvent) error {
			out = append(out, service.SecurityLabel(ev.Action)+" "+ev.CaseNumber+" "+ev.Address)
			return nil
		})
		return out, err
	}
	for _, who := range []string{"officer", "admin"} {
		got, err := read(who, 2)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if len(got) != 2 || got[0] != "Meldingspagina 2026-0001 192.0.2.21" {
			t.Errorf("%s reads %q", who, got)
		}
	}
	all, err := read("admin", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(all, "|"), "|Ingelogd  192.0.2.20|") || all[0] != "Beveiligingslog geëxporteerd  " {
		t.Errorf("whole log: %q", all)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2`, service.AuditSecurityLogExported, e.actors["admin"].UserID); n != 1 {
		t.Errorf("%d exports of the log recorded, want 1", n)
	}
	for _, who := range []string{"desk", "board", "technician", "staff", "officer_a1"} {
		if _, err := read(who, 10); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s reads the security log: %v", who, err)
		}
	}
	got, err := read("admin_b", 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(got, "|"), "192.0.2.2") {
		t.Errorf("organisation B sees A's log: %q", got)
	}
}

// TestSettingUpTheSecondFactorAtSignInIsASignIn: the code that confirms a
// new authenticator half-way through signing in completes the sign-in, and
// the service records it with the address (issue 15.4 with issue 11).
func TestSettingUpTheSecondFactorAtSignInIsASignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.actors["staff"].UserID
	enrol, err := e.svc.Accounts.BeginEnrolment(e.ctx, staff)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(enrol.Secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	codes, a, _, err := e.svc.Accounts.ConfirmEnrolmentAtSignIn(access.WithAddress(e.ctx, "192.0.2.20"), staff, code)
	if err != nil || len(codes) == 0 || a == nil || a.UserID != staff {
		t.Fatalf("confirm at sign-in: %d codes, actor %v, %v", len(codes), a, err)
	}
	s := idStr(staff)
	if got := e.auditRows(service.AuditSignedIn); len(got) != 1 || got[0] != "signed_in "+s+" "+s+" - 192.0.2.20" {
		t.Errorf("signed-in events after setting up the app: %q", got)
	}
}
