package service

import (
	"context"
	"fmt"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// The demo organisation: exact, so that anyone can try Lekwacht.
const (
	DemoOrganisation = "Stichting Demo Onderwijs"
	DemoPassword     = "lekwacht-demo"
)

// DemoSchools are the demo organisation's schools.
var DemoSchools = []string{"De Regenboog", "Het Baken"}

// Demo contact details (issue 10.3): plausible and made up for the demo; a
// likeness to a real school board's numbers is chance. The e-mail addresses
// and websites are under the demo's own domain, like its accounts.
var (
	demoOrganisationContact = contact.Organisation{KvK: "41234567",
		FGName: "Femke de Functionaris", FGEmail: "fg@demo.lekwacht.nl", FGPhone: "030-7654321",
		Details: contact.Details{Street: "Stationsplein 1", Postcode: "3511 AA", City: "Utrecht",
			Phone: "030-1234567", Email: "bestuur@demo.lekwacht.nl", Website: "https://bestuur.demo.lekwacht.nl"}}
	demoSchoolContacts = map[string]contact.School{
		"De Regenboog": {BRIN: "99ZA", Details: contact.Details{Street: "Regenbooglaan 12", Postcode: "3701 AB", City: "Zeist",
			Phone: "030-2345678", Email: "info@regenboog.demo.lekwacht.nl", Website: "https://regenboog.demo.lekwacht.nl"}},
		// Het Baken has no address of its own: its letters use the board's.
		"Het Baken": {BRIN: "99ZB", Details: contact.Details{Phone: "033-3456789", Email: "info@baken.demo.lekwacht.nl"}},
	}
)

// DemoAccount is one demo user.
type DemoAccount struct {
	Email string
	Name  string
	Role  access.Role // "" for a plain staff member (reporter)
}

// DemoAccounts lists the demo users, all with password DemoPassword.
var DemoAccounts = []DemoAccount{
	{"ontdekker@demo.lekwacht.nl", "Olga Ontdekker", ""},
	{"meldpunt@demo.lekwacht.nl", "Mehmet Meldpunt", access.Desk},
	{"fg@demo.lekwacht.nl", "Femke de Functionaris", access.Officer},
	{"technicus@demo.lekwacht.nl", "Teun Technicus", access.Technician},
	{"bestuur@demo.lekwacht.nl", "Bram Bestuurder", access.Board},
	{"beheer@demo.lekwacht.nl", "Bea Beheerder", access.Admin},
}

// demoReports are two example reports by the demo reporter. Their fixed
// submission keys make seeding idempotent.
var demoReports = []incident.ReportForm{
	{
		SubmissionKey:    "0b1d5c1e-7d8e-4f3a-9a61-3b0c5e2f0001",
		WhatHappened:     "Ik ben vanochtend in de trein mijn USB-stick verloren. Daarop stond de adreslijst van klas 3b (namen, adressen en telefoonnummers van leerlingen en ouders). De stick was niet versleuteld.",
		School:           "De Regenboog",
		Carriers:         []string{"usb"},
		Systems:          "Export uit de leerlingadministratie",
		PersonalData:     "yes",
		DataKinds:        []string{"contact"},
		SubjectGroups:    []string{"students", "parents"},
		SubjectsEstimate: "28",
		Ongoing:          "no",
		ActionsTaken:     "Gebeld met gevonden voorwerpen van de NS; nog niets gevonden.",
		ContactPhone:     "06-12345678",
	},
	{
		SubmissionKey: "0b1d5c1e-7d8e-4f3a-9a61-3b0c5e2f0002",
		WhatHappened:  "Een collega heeft op een link in een nepmail geklikt en daar zijn inloggegevens van Office 365 ingevuld.",
		School:        "Het Baken",
		Carriers:      []string{"email", "account"},
		Systems:       "Office 365",
		PersonalData:  "unknown",
		DataKinds:     []string{"credentials"},
		SubjectGroups: []string{"staff"},
		Ongoing:       "unknown",
		ActionsTaken:  "Wachtwoord van de collega direct gewijzigd.",
	},
}

// DemoResult says what SeedDemo did.
type DemoResult struct {
	Created  bool
	Accounts []DemoAccount
	// Examples is how many example cases were created (SeedDemoExamples).
	Examples int
}

// SeedDemo creates the demo organisation with its schools, accounts and two
// example reports. Run again, it changes nothing. Never call it in production:
// the demo password is public.
func (s *Services) SeedDemo(ctx context.Context) (DemoResult, error) {
	ctx = store.System(ctx) // demo seeding (docs/security.md)
	return s.seedDemo(ctx, false)
}

// SeedDemoExamples is SeedDemo with the example data besides (`lekwacht
// demo --voorbeelden`): a processor and cases at every step, so that the
// register, the dossier, the processors and the half-year analysis show
// something. Run again, it creates nothing twice.
func (s *Services) SeedDemoExamples(ctx context.Context) (DemoResult, error) {
	ctx = store.System(ctx) // demo seeding (docs/security.md)
	return s.seedDemo(ctx, true)
}

func (s *Services) seedDemo(ctx context.Context, examples bool) (DemoResult, error) {
	d := s.d
	res := DemoResult{Accounts: DemoAccounts}
	now := d.Now()
	hash, err := hashPassword(DemoPassword)
	if err != nil {
		return res, err
	}
	schoolIDs := map[string]int64{}
	err = transact(ctx, d.Store, func(q *store.Queries) error {
		org, err := q.OrganisationByName(ctx, DemoOrganisation)
		if err == nil {
			schools, err := q.Schools(ctx, org.ID)
			for _, sc := range schools {
				schoolIDs[sc.Name] = sc.ID
			}
			return err
		}
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		res.Created = true
		orgID, err := q.CreateOrganisation(ctx, DemoOrganisation)
		if err != nil {
			return err
		}
		if _, err := q.SetOrganisationContact(ctx, orgID, demoOrganisationContact); err != nil {
			return err
		}
		for _, name := range DemoSchools {
			if schoolIDs[name], err = q.CreateSchool(ctx, orgID, name); err != nil {
				return err
			}
			if _, err := q.SetSchoolContact(ctx, orgID, schoolIDs[name], demoSchoolContacts[name]); err != nil {
				return err
			}
		}
		for _, acc := range DemoAccounts {
			id, err := q.CreateUser(ctx, orgID, acc.Email, acc.Name)
			if err != nil {
				return fmt.Errorf("demo account %s: %w", acc.Email, err)
			}
			if err := q.SetPassword(ctx, id, hash); err != nil {
				return err
			}
			if acc.Role != "" {
				if err := q.SetGrants(ctx, orgID, id, []access.Grant{{Role: acc.Role}}); err != nil {
					return err
				}
			}
			if err := audit(ctx, q, orgID, now, nil, "user_created", id, map[string]any{"via": "demo"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	u, err := d.Store.UserByEmail(ctx, DemoAccounts[0].Email)
	if err != nil {
		return res, err
	}
	reporter, _, err := d.Store.Actor(ctx, u.ID)
	if err != nil {
		return res, err
	}
	if examples {
		// Before the two fresh reports, so that on a new database the case
		// numbers follow the order in which the cases were reported.
		if res.Examples, err = s.seedDemoExamples(ctx, schoolIDs); err != nil {
			return res, err
		}
	}
	for _, f := range demoReports {
		f.School = fmt.Sprint(schoolIDs[f.School])
		if _, err := s.Incidents.Report(ctx, reporter, f); err != nil {
			return res, fmt.Errorf("demo report: %w", err)
		}
	}
	return res, nil
}
