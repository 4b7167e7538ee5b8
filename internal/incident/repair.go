package incident

import (
	"strings"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// RepairForm is step 4's form as typed.
type RepairForm struct {
	Cause                    string
	TechnicalIncidental      string
	TechnicalStructural      string
	OrganisationalIncidental string
	OrganisationalStructural string
	Unintelligible           string
	UnintelligibleHow        string
	Completed                bool
}

// RepairFormFrom fills the form with what was recorded before.
func RepairFormFrom(r *Repair) RepairForm {
	if r == nil {
		return RepairForm{Unintelligible: string(Unknown)}
	}
	return RepairForm{Cause: r.Cause, TechnicalIncidental: r.TechnicalIncidental, TechnicalStructural: r.TechnicalStructural,
		OrganisationalIncidental: r.OrganisationalIncidental, OrganisationalStructural: r.OrganisationalStructural,
		Unintelligible: string(r.Unintelligible), UnintelligibleHow: r.UnintelligibleHow, Completed: r.Completed}
}

// Parse validates the repair. A repair may be saved while the work goes on;
// marking it completed needs a cause and at least one measure.
func (f RepairForm) Parse() (Repair, error) {
	errs := apperr.FieldErrors{}
	r := Repair{
		Cause:                    strings.TrimSpace(f.Cause),
		TechnicalIncidental:      strings.TrimSpace(f.TechnicalIncidental),
		TechnicalStructural:      strings.TrimSpace(f.TechnicalStructural),
		OrganisationalIncidental: strings.TrimSpace(f.OrganisationalIncidental),
		OrganisationalStructural: strings.TrimSpace(f.OrganisationalStructural),
		UnintelligibleHow:        strings.TrimSpace(f.UnintelligibleHow),
		Completed:                f.Completed,
	}
	for field, v := range map[string]string{"cause": r.Cause, "technical_incidental": r.TechnicalIncidental,
		"technical_structural": r.TechnicalStructural, "organisational_incidental": r.OrganisationalIncidental,
		"organisational_structural": r.OrganisationalStructural, "unintelligible_how": r.UnintelligibleHow} {
		if utf8.RuneCountInString(v) > maxLongText {
			errs.Add(field, "Dit antwoord is te lang (meer dan 10.000 tekens).")
		}
	}
	r.Unintelligible = answer(errs, "unintelligible", f.Unintelligible)
	if r.Unintelligible == Yes && r.UnintelligibleHow == "" {
		errs.Add("unintelligible_how", "Beschrijf hoe de gegevens onleesbaar waren, bijvoorbeeld: BitLocker met AES-256, sleutel niet gelekt.")
	}
	if r.Completed {
		if r.Cause == "" {
			errs.Add("cause", "Beschrijf de oorzaak voordat u het herstel afrondt.")
		}
		if r.TechnicalIncidental == "" && r.TechnicalStructural == "" && r.OrganisationalIncidental == "" && r.OrganisationalStructural == "" {
			errs.Add("technical_incidental", "Noem minstens één maatregel voordat u het herstel afrondt.")
		}
	}
	if err := errs.Err(); err != nil {
		return Repair{}, err
	}
	return r, nil
}
