package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/service"
	"github.com/lekwacht/lekwacht/internal/store"
)

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("gebruik: lekwacht migrate up|down|status")
	}
	a, err := openOwner(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	return store.Migrate(ctx, a.pool, args[0], stdout)
}

// runDemo seeds the demo organisation, with --voorbeelden also the example
// data (a processor and cases at every step). It is never run by serve: the
// demo password is public.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	examples := fs.Bool("voorbeelden", false, "ook voorbeeldgegevens aanmaken: een verwerker en meldingen in elke stap")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo kent geen argumenten behalve --voorbeelden")
	}
	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	seed := a.svc.SeedDemo
	if *examples {
		seed = a.svc.SeedDemoExamples
	}
	res, err := seed(ctx)
	if err != nil {
		return err
	}
	switch {
	case res.Created:
		fmt.Fprintf(stdout, "Demo-organisatie %q aangemaakt met de scholen %s.\n", service.DemoOrganisation, dutchList(service.DemoSchools))
	case res.Examples == 0:
		fmt.Fprintf(stdout, "Demo-organisatie %q bestond al; niets gewijzigd.\n", service.DemoOrganisation)
	default:
		fmt.Fprintf(stdout, "Demo-organisatie %q bestond al.\n", service.DemoOrganisation)
	}
	if res.Examples > 0 {
		fmt.Fprintf(stdout, "Voorbeeldgegevens aangemaakt: %d meldingen in verschillende stappen en de verwerker %q.\n", res.Examples, service.DemoProcessor)
	}
	fmt.Fprintf(stdout, "\nDemo-accounts (wachtwoord voor allemaal: %s):\n", service.DemoPassword)
	for _, acc := range res.Accounts {
		role := "medewerker (melder)"
		if acc.Role != "" {
			role = acc.Role.Label()
		}
		fmt.Fprintf(stdout, "  %-30s %s\n", acc.Email, role)
	}
	if a.cfg.DemoOPIssuer != "" {
		if err := a.svc.SeedDemoSSO(ctx, a.cfg.DemoOPIssuer, demoOPClientID, demoOPClientSecret); err != nil {
			fmt.Fprintf(stdout, "\nDe demo-inlogdienst is niet ingesteld: %v\n", err)
		} else {
			fmt.Fprintf(stdout, "\nSingle sign-on: typ op de inlogpagina een adres als juf@%s; de demo-inlogdienst logt u daarmee in.\n", service.DemoSSODomain)
		}
	}
	fmt.Fprintf(stdout, "\nOpen %s en log in.\n", a.cfg.BaseURL)
	return nil
}

// runUser adds an administrator: the first account of a real installation.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf(`gebruik: lekwacht user add --org "Naam bestuur" --email e-mailadres --name "Naam"`)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	org := fs.String("org", "", "naam van de organisatie (schoolbestuur); wordt aangemaakt als die nog niet bestaat")
	email := fs.String("email", "", "e-mailadres van de beheerder")
	name := fs.String("name", "", "naam van de beheerder")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	link, created, err := a.svc.Accounts.AddAdministrator(ctx, *org, *email, *name)
	if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
		for field, msg := range e.Fields {
			fmt.Fprintf(stderr, "--%s: %s\n", field, msg)
		}
		return fmt.Errorf("beheerder niet aangemaakt")
	}
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stdout, "Organisatie %q aangemaakt.\n", *org)
	}
	if link == "" {
		fmt.Fprintf(stdout, "%s had al een account en is nu ook beheerder van %q. Inloggen gaat zoals altijd; bovenaan elke pagina kiest u de organisatie.\n", strings.ToLower(strings.TrimSpace(*email)), *org)
		return nil
	}
	fmt.Fprintf(stdout, "Beheerder aangemaakt. Met deze eenmalige link (7 dagen geldig) kiest de beheerder een wachtwoord:\n%s\n", link)
	return nil
}

// dutchList joins names the Dutch way: "A", "A en B", "A, B en C".
func dutchList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " en " + names[len(names)-1]
}
