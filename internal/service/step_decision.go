package service

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/assessment"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// DecisionPage is step 3 for the officer: the case, what is known, the form
// (the draft, or the facts stored or prefilled, never an answer) and the
// advice on its facts, and the AP deadline.
type DecisionPage struct {
	View   CaseView
	Form   incident.DecisionForm
	Advice assessment.Advice
	// DraftSavedAt is when the draft on the page was saved; nil when the
	// page shows no draft.
	DraftSavedAt *time.Time
	Due          incident.Due
	// CanDecide and CanSetAwareness say what the officer may do now.
	CanDecide, CanSetAwareness bool
	// BoardViews are the board's views recorded in step 3 (seed 001: "in
	// overleg met de directie"); none means the officer decides without.
	BoardViews []incident.BoardNote
}

// DecisionPageFor builds step 3's page for the officer of the case's school.
func (s *Incidents) DecisionPageFor(ctx context.Context, a *access.Actor, id int64) (DecisionPage, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return DecisionPage{}, err
	}
	p := DecisionPage{View: v, CanDecide: v.Can(incident.ActAssess), CanSetAwareness: v.Can(incident.ActSetAwareness)}
	if !p.CanDecide && !p.CanSetAwareness {
		return p, apperr.Forbiddenf("Alleen de FG beoordeelt een melding, en alleen als die bij de FG ligt (stap 3).")
	}
	draft, ok, err := s.d.Store.DecisionDraft(ctx, a.OrganisationID, id)
	if err != nil {
		return p, err
	}
	switch d := v.Decision; {
	case ok && p.CanDecide:
		p.Form, p.DraftSavedAt = draft.Form, &draft.SavedAt
		p.Form.Version = "0"
		if d != nil {
			p.Form.Version = strconv.Itoa(d.Decision.Version)
		}
	case d != nil:
		p.Form = incident.DecisionFormFrom(v.Case, v.Inventory, v.Repair, &d.Facts, &d.Decision)
	default:
		p.Form = incident.DecisionFormFrom(v.Case, v.Inventory, v.Repair, nil, nil)
	}
	facts, _ := p.Form.Facts()
	p.Advice = assessment.Assess(facts)
	p.Due = s.authorityDue(&v.Case)
	for _, n := range v.BoardNotes {
		if n.Kind == incident.BoardView {
			p.BoardViews = append(p.BoardViews, n)
		}
	}
	return p, nil
}

// DecisionAdvice computes the advice on the facts as typed, changing nothing
// (the page's "Advies berekenen"). Only the officer who may assess gets it.
func (s *Incidents) DecisionAdvice(ctx context.Context, a *access.Actor, id int64, f incident.DecisionForm) (assessment.Advice, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return assessment.Advice{}, err
	}
	if !v.Can(incident.ActAssess) {
		return assessment.Advice{}, apperr.Forbiddenf("Alleen de FG beoordeelt een melding, en alleen als die bij de FG ligt (stap 3).")
	}
	facts, errs := f.Facts()
	if err := errs.Err(); err != nil {
		return assessment.Advice{}, err
	}
	return assessment.Assess(facts), nil
}

// SaveDecisionDraft keeps step 3's page as typed, with the case, so that a
// reload or a second visit loses nothing (issue 10.1): "Advies berekenen"
// and "Advies overnemen" save it. adopt names the question whose advice the
// officer takes as their answer (incident.QuestionBreach, …), or is empty.
// It returns the form as saved and the advice on its facts. Facts that
// cannot be read are saved as typed all the same; the error then names them
// beside their fields, and no advice is adopted on them.
//
// A draft is scratch work, not a decision: it writes no timeline entry and
// is not in the register; recording the decision removes it.
func (s *Incidents) SaveDecisionDraft(ctx context.Context, a *access.Actor, id int64, f incident.DecisionForm, adopt string) (incident.DecisionForm, assessment.Advice, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return f, assessment.Advice{}, err
	}
	if !v.Can(incident.ActAssess) {
		return f, assessment.Advice{}, apperr.Forbiddenf("Alleen de FG beoordeelt een melding, en alleen als die bij de FG ligt (stap 3).")
	}
	facts, errs := f.Facts()
	advice := assessment.Assess(facts)
	switch adopt {
	case "":
	case incident.QuestionBreach, incident.QuestionAuthority, incident.QuestionSubjects:
		if len(errs) > 0 {
			errs.Add(adopt, "Het advies kan niet worden overgenomen zolang niet alle feiten goed zijn ingevuld.")
			break
		}
		f = f.Adopt(advice, adopt)
	default:
		errs.Add("form", "Onbekende vraag om het advies van over te nemen.")
	}
	if len(f.Data) > 64 || len(f.Consequences) > 64 {
		errs.Add("form", "Het formulier bevat te veel keuzes; het concept is niet opgeslagen.")
		return f, advice, errs.Err()
	}
	if err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		return q.SaveDecisionDraft(ctx, a.OrganisationID, id, a.UserID, f, s.d.Now())
	}); err != nil {
		return f, advice, err
	}
	return f, advice, errs.Err()
}

// Decide records step 3: the facts, Lekwacht's advice on them (computed here,
// never taken from the form) and the officer's decision with reasons, apart.
// The case moves to notifying the AP, to informing the data subjects, or to
// the desk for the register.
func (s *Incidents) Decide(ctx context.Context, a *access.Actor, id int64, f incident.DecisionForm) error {
	ctx = scoped(ctx, a)
	facts, errs := f.Facts()
	advice := assessment.Assess(facts)
	d, r, err := f.Decide(advice)
	if e, ok := apperr.As(err); ok {
		for k, v := range e.Fields {
			errs.Add(k, v)
		}
	}
	// A decision on top of an earlier one says why it departs from it; the
	// earlier one stays on record (issue 9.3).
	// The page asks for it with the other fields; it is checked again under
	// the case's lock, after the step (deciding outside step 3 is a conflict
	// first).
	seen, err := s.d.Store.DecisionVersion(ctx, a.OrganisationID, id)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		changeReason(errs, seen, r.Change)
	}
	if err := errs.Err(); err != nil {
		// What was typed stays with the case as a draft; a refusal of the
		// actor or the step comes before the messages about the form.
		if _, _, derr := s.SaveDecisionDraft(ctx, a, id, f, ""); derr != nil && !apperr.Is(derr, apperr.Invalid) {
			return derr
		}
		return err
	}
	return s.perform(ctx, a, id, incident.ActAssess, func(q *store.Queries, c *incident.Case) (change, error) {
		cur, err := q.DecisionVersion(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		// Still the version the officer saw when the page was shown.
		if v := strings.TrimSpace(f.Version); cur != seen || (v != "" && v != strconv.Itoa(cur)) {
			return change{}, errDecisionMoved
		}
		if err := changeReason(apperr.FieldErrors{}, cur, r.Change).Err(); err != nil {
			return change{}, err
		}
		if cur == 0 {
			r.Change = ""
		}
		if err := q.SaveDecision(ctx, a.OrganisationID, id, a.UserID, facts, advice, d, r, s.d.Now()); err != nil {
			return change{}, err
		}
		if err := q.DeleteDecisionDraft(ctx, a.OrganisationID, id); err != nil {
			return change{}, err
		}
		if err := s.planExceptionReview(ctx, q, a.OrganisationID, id, d); err != nil {
			return change{}, err
		}
		outcome := incident.OutcomeNoBreach
		if d.Breach {
			outcome = incident.OutcomeBreach
		}
		if err := q.SetOutcome(ctx, a.OrganisationID, id, outcome, r.Breach); err != nil {
			return change{}, err
		}
		// A reopened case that was notified before goes on with a supplement
		// to that notification (step 5 records the first one only once).
		notified, err := q.Notifications(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		to, summary := incident.StatusRecording, "Beoordeeld: geen datalek"
		switch {
		case d.Breach && d.NotifyAuthority && len(notified) > 0 && d.NotifySubjects:
			to, summary = incident.StatusInforming, "Opnieuw beoordeeld: datalek, al gemeld aan de AP (vul de melding zo nodig aan); betrokkenen informeren"
		case d.Breach && d.NotifyAuthority && len(notified) > 0:
			summary = "Opnieuw beoordeeld: datalek, al gemeld aan de AP (vul de melding zo nodig aan)"
		case d.Breach && d.NotifyAuthority:
			to, summary = incident.StatusNotification, "Beoordeeld: datalek, melden aan de AP"
		case d.Breach && d.NotifySubjects:
			to, summary = incident.StatusInforming, "Beoordeeld: datalek, niet melden aan de AP, wel de betrokkenen informeren"
		case d.Breach:
			summary = "Beoordeeld: datalek, niet melden aan de AP of de betrokkenen"
		}
		switch {
		case to == incident.StatusNotification:
			if err := s.d.notifyBoard(ctx, q, a, c); err != nil {
				return change{}, err
			}
		case !d.NotifyAuthority:
			// Not notifying the AP (or informing only the data subjects)
			// is reported to the board too.
			if err := s.d.notifyBoardDecision(ctx, q, a, c, strings.ToLower(strings.TrimPrefix(summary, "Beoordeeld: "))); err != nil {
				return change{}, err
			}
		}
		deviations := incident.Deviations(d, advice)
		if len(deviations) > 0 {
			summary += " (afwijkend van het advies: " + strings.Join(deviations, ", ") + ")"
		}
		summary += versionText(cur+1, r.Change)
		return change{Summary: summary, To: to, Details: map[string]any{"version": cur + 1, "change_reason": r.Change,
			"breach": d.Breach, "notify_authority": d.NotifyAuthority, "notify_subjects": d.NotifySubjects,
			"advice_breach": advice.Breach, "advice_authority": advice.NotifyAuthority, "advice_subjects": advice.NotifySubjects,
			"deviated": len(deviations) > 0, "severity": string(advice.Severity.Level)}}, nil
	})
}

// SetAwareAt sets the moment of awareness from which the 72 hours run: when
// the breach was established with reasonable certainty (seed 001), with the
// reason. The report time stays on record beside it.
func (s *Incidents) SetAwareAt(ctx context.Context, a *access.Actor, id int64, at, reason string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	when, err := time.ParseInLocation(incident.DateTimeLayout, strings.TrimSpace(at), s.d.Location)
	switch {
	case err != nil:
		errs.Add("aware_at", "Vul datum en tijd in, bijvoorbeeld 24-11-2026 09:00.")
	case when.After(s.d.Now().Add(5 * time.Minute)):
		errs.Add("aware_at", "Dit moment ligt in de toekomst.")
	}
	reason = text(errs, "aware_reason", reason, 10, 5000, "Leg uit waarom de termijn vanaf dit moment loopt, bijvoorbeeld: ‘Pas na de logcontrole stond vast dat er was ingelogd.’")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.perform(ctx, a, id, incident.ActSetAwareness, func(q *store.Queries, c *incident.Case) (change, error) {
		if err := q.SetAwareness(ctx, a.OrganisationID, id, when, reason); err != nil {
			return change{}, err
		}
		return change{Summary: "Moment van kennisname gezet op " + when.In(s.d.Location).Format("02-01-2006 15:04") + ": " + reason,
			Details: map[string]any{"aware_at": when, "previous": c.AwareAt}}, nil
	})
}

// errDecisionMoved: another decision was recorded since the officer opened
// the page; theirs would silently replace one they never saw.
var errDecisionMoved = apperr.Conflictf("Intussen is er een ander besluit over deze melding vastgelegd. Bekijk de melding opnieuw; wat u invulde is niet opgeslagen.")

// changeReason adds to errs that a decision on top of version prev (from
// version 2 on) must say why it departs from it.
func changeReason(errs apperr.FieldErrors, prev int, why string) apperr.FieldErrors {
	if prev > 0 && utf8.RuneCountInString(why) < 10 {
		errs.Add("change_reason", "Leg uit waarom dit besluit afwijkt van het vorige (versie "+strconv.Itoa(prev)+
			"); het vorige besluit blijft in het dossier en het register moet tonen waarom het veranderde.")
	}
	return errs
}

// versionText ends a decision's timeline entry with its version, and from
// version 2 on why it changed, so the timeline (page, dossier, Excel) lists
// every version with who, when and why.
func versionText(version int, why string) string {
	s := " — besluit versie " + strconv.Itoa(version)
	if version > 1 {
		s += "; gewijzigd ten opzichte van versie " + strconv.Itoa(version-1) + " omdat: " + why
	}
	return s
}
