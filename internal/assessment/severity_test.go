package assessment

import (
	"strings"
	"testing"
)

// The numbers below come from ENISA, "Recommendations for a methodology of the
// assessment of severity of personal data breaches", working document v1.0,
// December 2013: the formula SE = DPC × EI + CB, the level bands, the DPC
// basic scores and the DPC values ENISA gives its Annex 1 example cases, the
// four EI levels, and the CB increments. Where a test scores a whole example,
// the DPC is ENISA's number for that case and the SE is the formula applied to
// it: ENISA's own complete SE worked cases could not be checked against the
// text reliably, so no such number is copied here.

func TestLevelForENISABands(t *testing.T) {
	tests := []struct {
		score float64
		want  Level
	}{
		{0, LevelLow},
		{0.25, LevelLow},
		{1.99, LevelLow},
		{2, LevelMedium}, // "2 ≤ SE < 3: medium"
		{2.99, LevelMedium},
		{3, LevelHigh}, // "3 ≤ SE < 4: high"
		{3.99, LevelHigh},
		{4, LevelVeryHigh}, // "4 ≤ SE: very high"
		{6, LevelVeryHigh}, // the maximum: DPC 4 × EI 1 + CB 2
	}
	for _, tt := range tests {
		if got := LevelFor(tt.score); got != tt.want {
			t.Errorf("LevelFor(%v) = %s, want %s", tt.score, got, tt.want)
		}
	}
}

func TestScoreFormula(t *testing.T) {
	tests := []struct {
		dpc, ei, cb, want float64
	}{
		{1, 1, 0, 1},
		{4, 0.25, 0, 1}, // EI corrects the DPC downwards
		{4, 0.25, 2, 3}, // CB can only add
		{3, 0.75, 0.5, 2.75},
		{4, 1, 2, 6},
	}
	for _, tt := range tests {
		if got := Score(tt.dpc, tt.ei, tt.cb); got != tt.want {
			t.Errorf("Score(%v, %v, %v) = %v, want %v", tt.dpc, tt.ei, tt.cb, got, tt.want)
		}
	}
}

// breachOf is a plain confidentiality breach of the given kinds of data, for
// scoring one criterion at a time.
func breachOf(data ...DataType) Facts {
	return Facts{
		Incident: true, PersonalData: true, Confidentiality: true,
		Availability: AvailabilityNone, Subjects: 10, Data: data,
		DirectIdentifiable: true, Backup: true, Recipient: RecipientUnknown,
	}
}

func TestDataProcessingContext(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		want  float64
		basis string
	}{
		// ENISA Annex 1 basic scores per category.
		{"simple data: ENISA basic score 1", breachOf(DataBasic, DataContact), 1, "eenvoudige gegevens (1)"},
		{"behavioural data: ENISA basic score 2", breachOf(DataLocation), 2, "gedragsgegevens (2)"},
		{"financial data: ENISA basic score 3", breachOf(DataFinancial), 3, "financiële gegevens (3)"},
		{"sensitive data: ENISA basic score 4", breachOf(DataSpecial), 4, "gevoelige gegevens (4)"},
		{"the highest category counts", breachOf(DataBasic, DataFinancial, DataContact), 3, "financiële gegevens"},
		// ENISA Annex 1, simple data: a supermarket's customer list is 1, a
		// list that allows assumptions about the person is raised by 1.
		{"performance: simple data raised by 1", breachOf(DataPerformance), 2, "+1"},
		// ENISA Annex 1, sensitive data lowered by 1 when it only allows
		// assumptions (a test for a specific disease: 3, the results: 4).
		{"care: sensitive data lowered by 1", breachOf(DataCare), 3, "−1"},
		// ENISA: volume that allows a profile raises the score by 1.
		{"four kinds of data per person: +1", breachOf(DataBasic, DataContact, DataIdentifier, DataPerformance), 3, "+1 omdat 4 soorten"},
		{"never above 4", breachOf(DataBasic, DataContact, DataIdentifier, DataSpecial), 4, "begrensd op het maximum 4"},
		// ENISA Annex 1, simple data: a list of undercover police officers
		// scores 4 because the information is critical for their safety;
		// ENISA names minors among such vulnerable individuals.
		{"children's contact data critical for their safety: 4", func() Facts {
			f := breachOf(DataContact)
			f.Children = true
			f.Consequences = []Consequence{ConsequencePhysical}
			return f
		}(), 4, "verhoogd tot 4"},
		{"children's contact data without such danger stays 1", func() Facts {
			f := breachOf(DataContact)
			f.Children = true
			return f
		}(), 1, "eenvoudige gegevens (1)"},
		{"unknown kinds of data: assume simple, ask for more", breachOf(), 1, "vul de soorten gegevens aan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Assess(tt.facts).Severity
			if s.DPC != tt.want {
				t.Errorf("DPC = %v, want %v (%s)", s.DPC, tt.want, s.DPCBasis)
			}
			if !strings.Contains(s.DPCBasis, tt.basis) {
				t.Errorf("DPC basis %q does not contain %q", s.DPCBasis, tt.basis)
			}
		})
	}
}

func TestEaseOfIdentification(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		want  float64
	}{
		{"directly identifiable: maximum", breachOf(DataBasic), EIMaximum},
		{"copy of an identity document: maximum", func() Facts {
			f := breachOf(DataIDDocument)
			f.DirectIdentifiable = false
			return f
		}(), EIMaximum},
		{"student numbers only: significant", func() Facts {
			f := breachOf(DataIdentifier, DataPerformance)
			f.DirectIdentifiable = false
			return f
		}(), EISignificant},
		{"grades without any identifier: limited", func() Facts {
			f := breachOf(DataPerformance)
			f.DirectIdentifiable = false
			return f
		}(), EILimited},
		{"unintelligible: negligible", func() Facts {
			f := breachOf(DataBasic, DataContact)
			f.Unintelligible = true
			return f
		}(), EINegligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Assess(tt.facts).Severity
			if s.EI != tt.want {
				t.Errorf("EI = %v, want %v (%s)", s.EI, tt.want, s.EIBasis)
			}
		})
	}
}

func TestCircumstancesOfBreach(t *testing.T) {
	with := func(change func(*Facts)) Facts {
		f := breachOf(DataBasic)
		change(&f)
		return f
	}
	tests := []struct {
		name  string
		facts Facts
		want  float64
	}{
		// Loss of confidentiality: 0 exposed without evidence of unlawful
		// processing, +0.25 to known recipients, +0.5 to an unknown number.
		{"lost, nobody known to have looked", with(func(*Facts) {}), 0},
		{"to a known trusted recipient", with(func(f *Facts) { f.Recipient = RecipientTrusted }), 0.25},
		{"to a known untrusted recipient", with(func(f *Facts) { f.Recipient = RecipientUntrusted }), 0.25},
		{"published", with(func(f *Facts) { f.Recipient = RecipientPublic }), 0.5},
		// Loss of integrity: +0.25 recoverable, +0.5 not.
		{"altered, backup", with(func(f *Facts) { f.Confidentiality = false; f.Integrity = true }), 0.25},
		{"altered, no backup", with(func(f *Facts) { f.Confidentiality = false; f.Integrity = true; f.Backup = false }), 0.5},
		// Loss of availability: +0.25 temporary, +0.5 full.
		{"temporarily unavailable", with(func(f *Facts) {
			f.Confidentiality = false
			f.Availability = AvailabilityTemporary
		}), 0.25},
		{"lost for good", with(func(f *Facts) {
			f.Confidentiality = false
			f.Availability = AvailabilityPermanent
			f.Backup = false
		}), 0.5},
		// Malicious intent: +0.5.
		{"stolen", with(func(f *Facts) { f.Malicious = true }), 0.5},
		{"everything at once: the maximum 2", with(func(f *Facts) {
			f.Recipient = RecipientPublic
			f.Integrity = true
			f.Availability = AvailabilityPermanent
			f.Backup = false
			f.Malicious = true
		}), 2},
		// An excluded kind of processing is not scored: the password was
		// reset (no access), but the mailbox is lost.
		{"excluded processing does not count", with(func(f *Facts) {
			f.Recipient = RecipientPublic
			f.Excluded = ExcludedResetNoAccess
			f.Availability = AvailabilityPermanent
			f.Backup = false
		}), 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Validate(tt.facts); err != nil {
				t.Fatal(err)
			}
			s := Assess(tt.facts).Severity
			if s.CB != tt.want {
				t.Errorf("CB = %v, want %v (%s)", s.CB, tt.want, s.CBBasis)
			}
		})
	}
}

// Whole examples: DPC from ENISA's Annex 1 example cases, EI and CB from the
// facts, SE by the formula.
func TestSeverityExamples(t *testing.T) {
	tests := []struct {
		name        string
		facts       Facts
		dpc, ei, cb float64
		score       float64
		level       Level
		explanation string
	}{
		{
			// ENISA Annex 1, simple data: the customer list of a supermarket
			// scores DPC 1. Names with addresses mailed to one wrong, known
			// recipient.
			name: "customer list mailed to a known recipient",
			facts: func() Facts {
				f := breachOf(DataBasic, DataContact)
				f.Recipient = RecipientTrusted
				return f
			}(),
			dpc: 1, ei: 1, cb: 0.25, score: 1.25, level: LevelLow,
			explanation: "Ernst (SE) = context van de gegevens (DPC) × herleidbaarheid (EI) + omstandigheden van het lek (CB) = 1 × 1 + 0,25 = 1,25: laag.",
		},
		{
			// ENISA Annex 1, financial data: basic score 3 (a month of account
			// balances is ENISA's example of a 3). Parents' financial details
			// stolen by a hacker and published.
			name: "financial data stolen and published",
			facts: func() Facts {
				f := breachOf(DataBasic, DataFinancial)
				f.Malicious = true
				f.Recipient = RecipientPublic
				return f
			}(),
			dpc: 3, ei: 1, cb: 1, score: 4, level: LevelVeryHigh,
			explanation: "Ernst (SE) = context van de gegevens (DPC) × herleidbaarheid (EI) + omstandigheden van het lek (CB) = 3 × 1 + 1 = 4: zeer hoog.",
		},
		{
			// ENISA Annex 1, sensitive data: actual health test results score
			// 4. Encrypted, the EI is negligible and the score drops to low.
			name: "encrypted health data lost",
			facts: func() Facts {
				f := breachOf(DataBasic, DataSpecial)
				f.Unintelligible = true
				return f
			}(),
			dpc: 4, ei: 0.25, cb: 0, score: 1, level: LevelLow,
			explanation: "Ernst (SE) = context van de gegevens (DPC) × herleidbaarheid (EI) + omstandigheden van het lek (CB) = 4 × 0,25 + 0 = 1: laag.",
		},
		{
			// ENISA Annex 1, behavioural data: location data score 2; only
			// indirectly identifiable (EI significant), sent to known
			// recipients.
			name: "indirectly identifiable location data",
			facts: func() Facts {
				f := breachOf(DataIdentifier, DataLocation)
				f.DirectIdentifiable = false
				f.Recipient = RecipientUntrusted
				return f
			}(),
			dpc: 2, ei: 0.75, cb: 0.25, score: 1.75, level: LevelLow,
			explanation: "Ernst (SE) = context van de gegevens (DPC) × herleidbaarheid (EI) + omstandigheden van het lek (CB) = 2 × 0,75 + 0,25 = 1,75: laag.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Assess(tt.facts).Severity
			if s.DPC != tt.dpc || s.EI != tt.ei || s.CB != tt.cb || s.Score != tt.score || s.Level != tt.level {
				t.Errorf("got DPC %v EI %v CB %v SE %v %s, want DPC %v EI %v CB %v SE %v %s",
					s.DPC, s.EI, s.CB, s.Score, s.Level, tt.dpc, tt.ei, tt.cb, tt.score, tt.level)
			}
			if s.Explanation != tt.explanation {
				t.Errorf("explanation = %q, want %q", s.Explanation, tt.explanation)
			}
		})
	}
}

func TestNoSeverityWithoutBreach(t *testing.T) {
	s := Assess(Facts{Incident: true, PersonalData: false}).Severity
	if s.Computed || s.Score != 0 || s.DPC != 0 || s.EI != 0 || s.CB != 0 || s.Level != LevelLow {
		t.Errorf("severity of no breach = %+v", s)
	}
	if !strings.Contains(s.Explanation, "geen datalek") {
		t.Errorf("explanation = %q", s.Explanation)
	}
}
