package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lekwacht/lekwacht/internal/store"
)

// errChainBroken is returned by audit verify when any chain is broken, so
// that the command exits non-zero.
var errChainBroken = errors.New("de audittrail is niet meer intact: zie de regel(s) hierboven")

// runAudit checks the hash chains of the timeline and the security log of
// every organisation (migration 00036) and names, per chain, the first row
// that does not fit.
//
// With --organisatie, --keten, --regels and --hash it also checks a head
// written down earlier (the "Audittrail" of a printed dossier): the row at
// that place must still have that chain hash, else someone rewrote the
// chain from there on, hashes and all.
func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("gebruik: lekwacht audit verify [--organisatie n --keten tijdlijn|beveiligingslog --regels n --hash h]")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	org := fs.Int64("organisatie", 0, "nummer van de organisatie van een eerder genoteerde kop")
	chainName := fs.String("keten", "", "tijdlijn of beveiligingslog")
	rows := fs.Int64("regels", 0, "het aantal regels van de genoteerde kop")
	hash := fs.String("hash", "", "de genoteerde ketenhash (hex; spaties mogen)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var witness []byte
	chain := map[string]string{"tijdlijn": store.ChainTimeline, "beveiligingslog": store.ChainSecurity}[*chainName]
	if *org != 0 || *chainName != "" || *rows != 0 || *hash != "" {
		var err error
		witness, err = hex.DecodeString(strings.ReplaceAll(*hash, " ", ""))
		if *org <= 0 || chain == "" || *rows <= 0 || err != nil || len(witness) != 32 {
			return fmt.Errorf("een kop controleren vraagt --organisatie, --keten (tijdlijn of beveiligingslog), --regels en --hash (64 tekens hex)")
		}
	}
	a, err := openOwner(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	// Every organisation's chains: the owner is held to row-level security
	// too (FORCE) unless it is a superuser, so it says so (docs/security.md).
	ctx = store.System(ctx)
	reports, err := a.store.VerifyChains(ctx)
	if err != nil {
		return err
	}
	if len(reports) == 0 {
		// Nothing seen is not "all in order": a connection that may not see
		// the organisations (row-level security) would otherwise pass.
		return fmt.Errorf("geen enkele organisatie gevonden: niets gecontroleerd (verbind als de eigenaar van het schema)")
	}
	broken := false
	for _, r := range reports {
		name := "tijdlijn"
		if r.Chain == "security" {
			name = "beveiligingslog"
		}
		if b := r.Break; b != nil {
			broken = true
			fmt.Fprintf(stdout, "GEBROKEN  %s (organisatie %d), %s: regel %d (%s id %d, %s): %s\n",
				r.Organisation, r.OrganisationID, name, b.Seq, b.Table, b.RowID,
				b.At.In(a.loc).Format("02-01-2006 15:04:05"), b.Reason)
			continue
		}
		fmt.Fprintf(stdout, "in orde   %s (organisatie %d), %s: %d regels, kop %s\n",
			r.Organisation, r.OrganisationID, name, r.Rows, hex.EncodeToString(r.Head))
	}
	if witness != nil {
		got, ok, err := a.store.ChainHashAt(ctx, *org, chain, *rows)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			broken = true
			fmt.Fprintf(stdout, "GEBROKEN  genoteerde kop: de %s van organisatie %d heeft geen regel %d meer\n", *chainName, *org, *rows)
		case !bytes.Equal(got, witness):
			broken = true
			fmt.Fprintf(stdout, "GEBROKEN  genoteerde kop: regel %d van de %s van organisatie %d heeft nu hash %s: de keten is vanaf daar herschreven\n",
				*rows, *chainName, *org, hex.EncodeToString(got))
		default:
			fmt.Fprintf(stdout, "in orde   genoteerde kop: regel %d van de %s van organisatie %d heeft die hash nog\n", *rows, *chainName, *org)
		}
	}
	if broken {
		return errChainBroken
	}
	return nil
}
