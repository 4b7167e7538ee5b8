package service

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Outside handles the reports of people without an account (issue 12): the
// public report page of an organisation, the follow-up status page and the
// processor's private link. There is no signed-in user: every method resolves
// the organisation from the slug or token itself and passes it explicitly to
// every query.
type Outside struct{ d Deps }

// The rate limits of a public page, per hour: reports from one address, and
// from all addresses together.
const (
	PublicWindow          = time.Hour
	PublicPerAddress      = 3
	PublicPerOrganisation = 30
	// ProcessorLinkPerHour bounds the reports through one processor's link:
	// a leaked link cannot fill the desk's inbox (issue 12).
	ProcessorLinkPerHour = 10
)

// PublicPageView is what the public report form shows.
type PublicPageView struct {
	Slug             string
	OrganisationName string
	Schools          []access.School
}

// publicPage finds the page of a slug that is switched on; anything else is
// not found, so a page switched off answers exactly like one never made.
// The slug names the organisation: only this lookup sees every
// organisation (store.System); the context it returns sees only the
// page's organisation (row-level security), for the rest of the request.
func (s *Outside) publicPage(ctx context.Context, slug string) (context.Context, store.PublicPage, error) {
	notFound := apperr.NotFoundf("Deze meldpagina bestaat niet (meer). Kijk of het adres klopt, of neem contact op met de school.")
	if !incident.ValidSlug(slug) {
		return ctx, store.PublicPage{}, notFound
	}
	p, err := s.d.Store.PublicPageBySlug(store.System(ctx), slug)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !p.Enabled) {
		return ctx, store.PublicPage{}, notFound
	}
	if err != nil {
		return ctx, p, err
	}
	return store.InOrganisation(ctx, p.OrganisationID), p, nil
}

// Page loads the public report form of a slug: the organisation's name and
// its schools, never another organisation's.
func (s *Outside) Page(ctx context.Context, slug string) (PublicPageView, error) {
	ctx, p, err := s.publicPage(ctx, slug)
	if err != nil {
		return PublicPageView{}, err
	}
	schools, err := s.d.Store.Schools(ctx, p.OrganisationID)
	if err != nil {
		return PublicPageView{}, err
	}
	return PublicPageView{Slug: p.Slug, OrganisationName: p.OrganisationName, Schools: schools}, nil
}

// NewSubmissionKey returns the key a new form carries (see Incidents.Report).
func (s *Outside) NewSubmissionKey() string { return uuid.NewString() }

// PublicReported is the outcome of a public report: the case reference and
// the follow-up code, shown once (empty when the same form came twice).
type PublicReported struct {
	Number incident.Number
	Code   string
	Again  bool
}

func addressHash(addr string) []byte {
	h := sha256.Sum256([]byte("public-report:" + addr))
	return h[:]
}

// tooMany is the refusal of a rate limit: in Dutch, when to try again.
func (s *Outside) tooMany(first *time.Time, msg string) error {
	now := s.d.Now()
	until := now.Add(PublicWindow)
	if first != nil {
		until = first.Add(PublicWindow)
	}
	wait := max(until.Sub(now), time.Minute)
	at := now.Add(wait).In(s.d.Location).Format("15:04")
	return &apperr.Error{Kind: apperr.TooManyRequests, RetryAfter: wait,
		Message: fmt.Sprintf(msg, at)}
}

// Report stores a report sent through the public page of slug from address
// addr: a new case in the desk's inbox marked as from outside, with its
// source and the hash of a fresh follow-up code. The honeypot, the size
// limits and the rate limits refuse before anything is stored.
func (s *Outside) Report(ctx context.Context, slug, addr string, f incident.PublicReportForm) (PublicReported, error) {
	ctx, p, err := s.publicPage(ctx, slug)
	if err != nil {
		return PublicReported{}, err
	}
	if f.HoneypotFilled() {
		return PublicReported{}, &apperr.Error{Kind: apperr.Invalid, Message: "Uw melding is niet verstuurd.",
			Fields: map[string]string{"website": "Laat dit veld leeg; het is er om automatische berichten tegen te houden."}}
	}
	schools, err := s.d.Store.Schools(ctx, p.OrganisationID)
	if err != nil {
		return PublicReported{}, err
	}
	now := s.d.Now()
	report, src, err := f.Parse(now, s.d.Location, schoolIDs(schools))
	if err != nil {
		return PublicReported{}, err
	}
	key, err := uuid.Parse(f.SubmissionKey)
	if err != nil {
		key = uuid.New()
	}
	code := incident.NewFollowUpCode()
	ah := addressHash(addr)
	var out PublicReported
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		out = PublicReported{}
		if err := q.LockPublicPage(ctx, p.OrganisationID); err != nil {
			return err
		}
		standIn, err := q.StandInUser(ctx, p.OrganisationID)
		if err != nil {
			return err
		}
		if _, n, err := q.CaseBySubmission(ctx, p.OrganisationID, standIn, key.String()); err == nil {
			out = PublicReported{Number: n, Again: true}
			return nil
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		orgN, addrN, orgFirst, addrFirst, err := q.PublicAttempts(ctx, p.OrganisationID, ah, now.Add(-PublicWindow))
		if err != nil {
			return err
		}
		if addrN >= PublicPerAddress {
			return s.tooMany(addrFirst, "U hebt het afgelopen uur al een paar meldingen verstuurd. Probeer het opnieuw na %s. Is het dringend? Bel dan de school.")
		}
		if orgN >= PublicPerOrganisation {
			return s.tooMany(orgFirst, "Er komen op dit moment erg veel meldingen binnen via deze pagina. Probeer het opnieuw na %s. Is het dringend? Bel dan de school.")
		}
		if err := q.AddPublicAttempt(ctx, p.OrganisationID, ah, now); err != nil {
			return err
		}
		id, n, err := s.d.insertSourcedCase(ctx, q, p.OrganisationID, standIn, standIn, key.String(), report, src,
			incident.HashFollowUpCode(code), "Melding van buiten via de meldpagina (stap 1, Ontdekken): "+incident.LabelOf(incident.ReporterRoles, src.Role))
		if err != nil {
			return err
		}
		out = PublicReported{Number: n, Code: code}
		if src.Email != "" {
			return s.d.mailFollowUpCode(ctx, q, p, id, n, src.Email, code)
		}
		return nil
	})
	if errors.Is(err, store.ErrDuplicateSubmission) {
		return PublicReported{Again: true}, nil
	}
	if err != nil {
		return PublicReported{}, err
	}
	if !out.Again {
		s.d.Logger.Info("case reported from outside", "organisation_id", p.OrganisationID, "case_number", out.Number.String())
	}
	return out, nil
}

func schoolIDs(schools []access.School) []int64 {
	ids := make([]int64, len(schools))
	for i, sc := range schools {
		ids[i] = sc.ID
	}
	return ids
}

// insertSourcedCase stores a case whose reporter is the stand-in account,
// with its source, first timeline entry (by actorID) and the notices of a
// new report, in q's transaction.
func (d Deps) insertSourcedCase(ctx context.Context, q *store.Queries, orgID, standIn, actorID int64, key string,
	report incident.Report, src incident.Source, followUp []byte, summary string) (int64, incident.Number, error) {
	now := d.Now()
	n, err := q.NextNumber(ctx, orgID, now.In(d.Location).Year())
	if err != nil {
		return 0, n, err
	}
	id, err := q.InsertCase(ctx, store.NewCase{OrganisationID: orgID, Number: n, ReporterID: standIn,
		SubmissionKey: key, ReportedAt: now, Report: report})
	if err != nil {
		return 0, n, err
	}
	if err := q.InsertCaseSource(ctx, orgID, id, src, followUp); err != nil {
		return 0, n, err
	}
	if err := q.AddEvent(ctx, store.NewEvent{OrganisationID: orgID, CaseID: id, At: now, ActorID: &actorID,
		Kind: incident.EventReported, Summary: summary, Details: map[string]any{"source": string(src.Kind)}}); err != nil {
		return 0, n, err
	}
	schools, err := q.Schools(ctx, orgID)
	if err != nil {
		return 0, n, err
	}
	a := &access.Actor{OrganisationID: orgID, UserID: actorID}
	if err := d.notifyReported(ctx, q, a, id, n, report.SchoolID, schoolName(schools, report.SchoolID), report.PersonalData != incident.No); err != nil {
		return 0, n, err
	}
	return id, n, nil
}

// mailFollowUpCode mails the outside reporter their case reference and code.
func (d Deps) mailFollowUpCode(ctx context.Context, q *store.Queries, p store.PublicPage, caseID int64, n incident.Number, to, code string) error {
	subject := "Uw melding " + n.String() + " bij " + p.OrganisationName
	text, html, err := mail.Render(subject, mail.Content{Greeting: "Beste melder,",
		Paragraphs: []string{"Dank u wel voor uw melding bij " + p.OrganisationName + ". Uw melding heeft het nummer " + n.String() + ".",
			"Met deze volgcode ziet u later hoe het met uw melding staat en beantwoordt u vragen van het meldpunt: " + code,
			"Bewaar deze code goed en geef hem aan niemand anders: wie de code heeft, kan de vragen over uw melding zien."},
		Link: d.BaseURL + "/melden/" + p.Slug + "/volgen", LinkText: "Naar de statuspagina",
		Footer: "U krijgt dit bericht omdat u een melding deed via de meldpagina van " + p.OrganisationName + "."})
	if err != nil {
		return err
	}
	return d.enqueueMail(ctx, q, store.NewMail{OrganisationID: p.OrganisationID, CaseID: &caseID, Kind: "outside_code",
		OutboxKey: fmt.Sprintf("outside_code:%d", caseID), Recipient: to, Subject: subject, Text: text, HTML: html})
}

// notifyOutsideQuestion: a question of the desk to an outside reporter who
// gave an address; the mail holds no question, only the way to it.
func (d Deps) notifyOutsideQuestion(ctx context.Context, q *store.Queries, c *incident.Case, questionID int64) error {
	if c.Source.Kind != incident.SourcePublic || c.Source.Email == "" {
		return nil
	}
	p, ok, err := q.PublicPageOf(ctx, c.OrganisationID)
	if err != nil || !ok {
		return err
	}
	subject := "Vraag over uw melding " + c.Number.String()
	text, html, err := mail.Render(subject, mail.Content{Greeting: "Beste melder,",
		Paragraphs: []string{"Het meldpunt van " + p.OrganisationName + " heeft een vraag over uw melding " + c.Number.String() + ".",
			"Open de statuspagina met de volgcode die u bij uw melding kreeg, en beantwoord de vraag daar."},
		Link: d.BaseURL + "/melden/" + p.Slug + "/volgen", LinkText: "Naar de statuspagina",
		Footer: "U krijgt dit bericht omdat u een melding deed via de meldpagina van " + p.OrganisationName + "."})
	if err != nil {
		return err
	}
	id := c.ID
	return d.enqueueMail(ctx, q, store.NewMail{OrganisationID: c.OrganisationID, CaseID: &id, Kind: "outside_question",
		OutboxKey: fmt.Sprintf("outside_question:%d", questionID), Recipient: c.Source.Email, Subject: subject, Text: text, HTML: html})
}

// Failed follow-up codes from one address: after FollowUpAttempts within
// FollowUpWindow the address waits until the window has passed.
const (
	FollowUpAttempts = 10
	FollowUpWindow   = 15 * time.Minute
)

// FollowUp opens the case of a follow-up code on the page of slug, typed
// from address addr: only a case reported through that organisation's page,
// never another. Failed codes are counted per address (hashed) in the
// sign-in failures table, so guessing is slowed down on every app server.
func (s *Outside) FollowUp(ctx context.Context, slug, addr, code string) (int64, error) {
	ctx, p, err := s.publicPage(ctx, slug)
	if err != nil {
		return 0, err
	}
	now := s.d.Now()
	key := sha256.Sum256([]byte("followup-failures:" + addr))
	n, last, err := s.d.Store.SigninFailures(ctx, key[:], now.Add(-FollowUpWindow))
	if err != nil {
		return 0, err
	}
	if n >= FollowUpAttempts {
		wait := max(last.Add(FollowUpWindow).Sub(now), time.Minute)
		return 0, &apperr.Error{Kind: apperr.TooManyRequests, RetryAfter: wait,
			Message: "U hebt te vaak een code geprobeerd die we niet kennen. Probeer het opnieuw na " + now.Add(wait).In(s.d.Location).Format("15:04") + "."}
	}
	unknown := &apperr.Error{Kind: apperr.Invalid, Message: "Deze code kennen we niet.",
		Fields: map[string]string{"code": "Deze code kennen we niet. Kijk of u hem goed hebt overgenomen, bijvoorbeeld ABCD-EFGH-JKMN-PQRS."}}
	id := int64(0)
	if _, ok := incident.ParseFollowUpCode(code); ok {
		id, err = s.d.Store.CaseByFollowUp(ctx, p.OrganisationID, incident.HashFollowUpCode(code))
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return 0, err
		}
	}
	if id == 0 {
		if err := s.d.Store.RecordSigninFailure(ctx, key[:], now); err != nil {
			return 0, err
		}
		return 0, unknown
	}
	return id, nil
}

// PublicQuestion is a question of the desk as the outside reporter sees it.
type PublicQuestion struct {
	ID         int64
	Question   string
	AskedAt    time.Time
	Answer     string
	AnsweredAt *time.Time
}

// PublicStatus is everything the status page shows: the case reference, the
// name of the step, and the desk's questions to the reporter. Nothing else of
// the case.
type PublicStatus struct {
	Number    incident.Number
	Step      string
	Closed    bool
	Questions []PublicQuestion
}

// publicCase loads a case reported through the page p (publicPage).
func (s *Outside) publicCase(ctx context.Context, q *store.Queries, p store.PublicPage, caseID int64) (incident.Case, error) {
	c, err := q.Case(ctx, p.OrganisationID, caseID)
	if err != nil || c.Source.Kind != incident.SourcePublic {
		return incident.Case{}, apperr.NotFoundf("Deze melding bestaat niet. Open de statuspagina opnieuw met uw volgcode.")
	}
	return c, nil
}

// Status returns the status page of a case opened with its follow-up code.
func (s *Outside) Status(ctx context.Context, slug string, caseID int64) (PublicStatus, error) {
	ctx, p, err := s.publicPage(ctx, slug)
	if err != nil {
		return PublicStatus{}, err
	}
	c, err := s.publicCase(ctx, s.d.Store.Queries, p, caseID)
	if err != nil {
		return PublicStatus{}, err
	}
	out := PublicStatus{Number: c.Number, Step: c.Status.Label(), Closed: c.Status == incident.StatusClosed}
	qs, err := s.d.Store.Questions(ctx, c.OrganisationID, c.ID)
	if err != nil {
		return PublicStatus{}, err
	}
	for _, qu := range qs {
		if qu.AddresseeID == c.ReporterID {
			out.Questions = append(out.Questions, PublicQuestion{ID: qu.ID, Question: qu.Question, AskedAt: qu.AskedAt,
				Answer: qu.Answer, AnsweredAt: qu.AnsweredAt})
		}
	}
	return out, nil
}

// Answer records the outside reporter's answer to a question of the desk,
// with its timeline entry; the desk hears of it in the app and by mail.
func (s *Outside) Answer(ctx context.Context, slug string, caseID, questionID int64, answer string) error {
	errs := apperr.FieldErrors{}
	answer = text(errs, fmt.Sprintf("answer_%d", questionID), answer, 1, 5000, "Schrijf uw antwoord op.")
	if err := errs.Err(); err != nil {
		return err
	}
	ctx, p, err := s.publicPage(ctx, slug)
	if err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		c, err := s.publicCase(ctx, q, p, caseID)
		if err != nil {
			return err
		}
		if c.Status == incident.StatusClosed {
			return apperr.Conflictf("Deze melding is al afgehandeld; een antwoord is niet meer nodig.")
		}
		if err := q.TouchCase(ctx, c.OrganisationID, c.ID, c.Status, now); err != nil {
			return err
		}
		if err := q.AnswerQuestion(ctx, c.OrganisationID, c.ID, questionID, c.ReporterID, answer, now); err != nil {
			return err
		}
		a := &access.Actor{OrganisationID: c.OrganisationID, UserID: c.ReporterID, Name: "De melder van buiten"}
		if err := s.d.notifyAnswer(ctx, q, a, &c, questionID); err != nil {
			return err
		}
		if err := q.MessagesDoneByRef(ctx, c.OrganisationID, c.ID, fmt.Sprintf("question:%d", questionID), now); err != nil {
			return err
		}
		standIn := c.ReporterID
		return q.AddEvent(ctx, store.NewEvent{OrganisationID: c.OrganisationID, CaseID: c.ID, At: now, ActorID: &standIn,
			Kind: string(incident.ActAnswerQuestion), Summary: "Vraag beantwoord door de melder van buiten",
			Details: map[string]any{"action": string(incident.ActAnswerQuestion), "question_id": questionID}})
	})
}

// PageSettings is the administrator's view of the public page.
type PageSettings struct {
	Slug       string
	Enabled    bool
	Configured bool
	// URL is the page's full address, for the school's website and the QR code.
	URL string
}

// Settings loads the organisation's public page settings (administrator).
func (s *Outside) Settings(ctx context.Context, a *access.Actor) (PageSettings, error) {
	ctx = scoped(ctx, a)
	if err := mayManagePage(a); err != nil {
		return PageSettings{}, err
	}
	p, ok, err := s.d.Store.PublicPageOf(ctx, a.OrganisationID)
	if err != nil {
		return PageSettings{}, err
	}
	out := PageSettings{Slug: p.Slug, Enabled: p.Enabled, Configured: ok}
	if ok {
		out.URL = s.d.BaseURL + "/melden/" + p.Slug
	}
	return out, nil
}

func mayManagePage(a *access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	if !a.HasOrgWide(access.Admin) {
		return apperr.Forbiddenf("Alleen de beheerder stelt de meldpagina in.")
	}
	return nil
}

// SaveSettings sets the slug of the public page and switches it on or off,
// with an audit row.
func (s *Outside) SaveSettings(ctx context.Context, a *access.Actor, slug string, enabled bool) error {
	ctx = scoped(ctx, a)
	if err := mayManagePage(a); err != nil {
		return err
	}
	slug, err := incident.ParseSlug(slug)
	if err != nil {
		return err
	}
	now := s.d.Now()
	return transact(ctx, s.d.Store, func(q *store.Queries) error {
		if err := q.SavePublicPage(ctx, a.OrganisationID, a.UserID, slug, enabled, now); err != nil {
			return err
		}
		return q.Audit(ctx, a.OrganisationID, now, &a.UserID, "public_page_changed", a.OrganisationID,
			map[string]any{"slug": slug, "enabled": enabled})
	})
}

// ReportOnBehalf: the desk enters the report of someone who called, mailed
// or came by. The case records who reported (the caller) and who entered it.
func (s *Incidents) ReportOnBehalf(ctx context.Context, a *access.Actor, f incident.ReportForm, b incident.OnBehalfForm) (Reported, error) {
	ctx = scoped(ctx, a)
	if err := signedIn(a); err != nil {
		return Reported{}, err
	}
	if !a.Has(access.Desk) {
		return Reported{}, apperr.Forbiddenf("Alleen het meldpunt voert een melding in namens iemand anders.")
	}
	schools, err := s.d.Store.Schools(ctx, a.OrganisationID)
	if err != nil {
		return Reported{}, err
	}
	errs := apperr.FieldErrors{}
	report, rerr := f.Parse(s.d.Now(), s.d.Location, schoolIDs(schools))
	mergeInto(errs, rerr)
	src, err := b.Parse()
	mergeInto(errs, err)
	if rerr == nil && !a.ScopeFor(access.Desk).Covers(report.SchoolID) {
		errs.Add("school", "Kies een school waarvoor u het meldpunt bent.")
	}
	if err := errs.Err(); err != nil {
		return Reported{}, err
	}
	key, err := uuid.Parse(f.SubmissionKey)
	if err != nil {
		key = uuid.New()
	}
	by := a.UserID
	src.EnteredByID = &by
	var out Reported
	err = transact(ctx, s.d.Store, func(q *store.Queries) error {
		out = Reported{}
		standIn, err := q.StandInUser(ctx, a.OrganisationID)
		if err != nil {
			return err
		}
		if id, n, err := q.CaseBySubmission(ctx, a.OrganisationID, standIn, key.String()); err == nil {
			out = Reported{ID: id, Number: n, Again: true}
			return nil
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		id, n, err := s.d.insertSourcedCase(ctx, q, a.OrganisationID, standIn, a.UserID, key.String(), report, src, nil,
			"Melding ingevoerd door het meldpunt namens "+src.Name+" ("+incident.LabelOf(incident.Channels, src.Channel)+") (stap 1, Ontdekken)")
		out = Reported{ID: id, Number: n}
		return err
	})
	if errors.Is(err, store.ErrDuplicateSubmission) {
		return Reported{Again: true}, nil
	}
	return out, err
}

func mergeInto(errs apperr.FieldErrors, err error) {
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		for k, v := range e.Fields {
			errs.Add(k, v)
		}
		if len(e.Fields) == 0 {
			errs.Add("form", e.Message)
		}
	}
}

// MarkSpam: the desk closes a report from outside as spam; the register
// keeps it with that reason.
func (s *Incidents) MarkSpam(ctx context.Context, a *access.Actor, id int64, reason string) error {
	ctx = scoped(ctx, a)
	errs := apperr.FieldErrors{}
	reason = text(errs, "spam_reason", reason, 0, 1000, "")
	if err := errs.Err(); err != nil {
		return err
	}
	return s.performIf(ctx, a, id, incident.ActMarkSpam, func(c *incident.Case, rel incident.Relation) error {
		if !incident.CanDo(a, c, rel, incident.ActMarkSpam) {
			return refusal(a, c, incident.ActMarkSpam, "Alleen het meldpunt sluit een melding af als spam.")
		}
		if c.Source.Kind != incident.SourcePublic {
			return apperr.Forbiddenf("Alleen een melding van buiten kan als spam worden afgesloten.")
		}
		return nil
	}, func(q *store.Queries, c *incident.Case) (change, error) {
		full := "Spam (melding van buiten)"
		if reason != "" {
			full += ": " + reason
		}
		if err := q.SetOutcome(ctx, a.OrganisationID, id, incident.OutcomeNoIncident, full); err != nil {
			return change{}, err
		}
		return change{Summary: "Afgesloten als spam", To: incident.StatusClosed,
			Details: map[string]any{"outcome": string(incident.OutcomeNoIncident), "spam": true}}, nil
	})
}
