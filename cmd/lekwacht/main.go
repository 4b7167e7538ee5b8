// Command lekwacht is the Lekwacht server and its administrative commands.
//
// main only calls run, so that every subcommand can be exercised from tests
// with its own arguments, environment and output streams.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lekwacht:", err)
		os.Exit(1)
	}
}

const usage = `Gebruik: lekwacht <opdracht> [argumenten]

Opdrachten:
  serve                 start de webserver
  migrate up|down|status  databaseschema bijwerken, één stap terug, of de stand tonen
  demo [--voorbeelden]  demo-organisatie met demo-accounts aanmaken (niet voor productie);
                        --voorbeelden: ook een verwerker en voorbeeldmeldingen in elke stap
  user add              beheerder aanmaken: --org "Naam bestuur" --email e --name "Naam"
  audit verify          de hashketens van tijdlijn en beveiligingslog controleren; noemt de eerste
                        regel die niet klopt en eindigt dan met een foutcode; met --organisatie,
                        --keten, --regels en --hash ook een eerder genoteerde kop (uit een dossier)
  assess                advies berekenen: feiten (JSON) op stdin, advies (JSON) op stdout
  demo-op               demo-inlogdienst (OpenID Connect) voor make run; niet voor productie
`

// run is the whole program; it returns instead of exiting so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("geen opdracht opgegeven")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], getenv, stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], getenv, stdout, stderr)
	case "assess":
		return runAssess(stdin, stdout)
	case "demo-op":
		return runDemoOP(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("onbekende opdracht %q", args[0])
	}
}
