package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// errChainBroken is returned by audit verify when any chain is broken, so
// that the command exits non-zero.
var errChainBroken = errors.New("de audittrail is niet meer intact: zie de regel(s) hierboven")

// runAudit checks the hash chains of the timeline and the security log of
// every organisation (migration 00036) and names, per chain, the first row
// that does not fit.
func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return fmt.Errorf("gebruik: lekwacht audit verify")
	}
	a, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.closer()
	reports, err := a.store.VerifyChains(ctx)
	if err != nil {
		return err
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
	if broken {
		return errChainBroken
	}
	return nil
}
