package incident

import "strings"

// CloseCheck is what the register needs of a case before the desk may close
// it (seed 001 "Registratieplicht": who, what, which data, how, which systems,
// when, consequences, corrective measures, AP and data subjects notified or why
// not). Statuses guarantee the notification steps; the rest is checked here.
type CloseCheck struct {
	HasInventory bool
	HasDecision  bool
	Breach       bool
	Consequences string
	Repair       *Repair
	// Notified is set when the case was notified to the AP; then the AP's
	// confirmation is attached, or the desk says at closing why not.
	Notified        bool
	HasConfirmation bool
}

// NeedsConfirmationReason reports whether closing needs the reason why the
// AP's confirmation is missing: the case was notified and none is attached.
func (c CloseCheck) NeedsConfirmationReason() bool { return c.Notified && !c.HasConfirmation }

// Missing lists, in Dutch, what must still be recorded; empty means complete.
func (c CloseCheck) Missing() []string {
	var out []string
	if !c.HasInventory {
		out = append(out, "De inventarisatie van het meldpunt (stap 2).")
	}
	if !c.HasDecision {
		out = append(out, "Het besluit van de FG met de redenen (stap 3).")
	}
	if c.HasDecision && c.Breach && strings.TrimSpace(c.Consequences) == "" {
		out = append(out, "De mogelijke gevolgen voor de betrokkenen (stap 3, bij de FG).")
	}
	switch r := c.Repair; {
	case r == nil || r.Cause == "":
		out = append(out, "De oorzaak en de genomen maatregelen (stap 4, bij de technicus).")
	case r.TechnicalIncidental == "" && r.TechnicalStructural == "" && r.OrganisationalIncidental == "" && r.OrganisationalStructural == "":
		out = append(out, "Minstens één genomen maatregel (stap 4, bij de technicus).")
	case !r.Completed:
		out = append(out, "Het herstel is nog niet afgerond (stap 4, bij de technicus).")
	}
	return out
}

// MeasuresSummary is the summary of measures the reporter receives at
// closing (seed 000 step 6). It names measures, not people or data.
func MeasuresSummary(c Case, r *Repair) string {
	var b strings.Builder
	b.WriteString("Uw melding " + c.Number.String() + " is afgehandeld en vastgelegd in het register. Dank u wel voor het melden.\n")
	if r == nil {
		return b.String()
	}
	add := func(label, text string) {
		if text != "" {
			b.WriteString("\n" + label + ":\n" + text + "\n")
		}
	}
	add("Wat direct is gedaan", strings.TrimSpace(strings.Join(nonEmpty(r.TechnicalIncidental, r.OrganisationalIncidental), "\n")))
	add("Wat we doen om herhaling te voorkomen", strings.TrimSpace(strings.Join(nonEmpty(r.TechnicalStructural, r.OrganisationalStructural), "\n")))
	return b.String()
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}
