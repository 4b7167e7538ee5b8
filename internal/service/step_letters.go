package service

import (
	"context"
	"slices"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/contact"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
	"github.com/lekwacht/lekwacht/internal/letterpdf"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Step 7's texts (issue 10.4): a letter for each reader, the public notice
// and the press statement, drafted by package letter from the recorded
// facts, edited by the officer until the notice is approved, and kept with
// the case. The letters and the public notice are what the approval covers:
// approving keeps the drafts shown, changing one afterwards withdraws the
// approval (as changing the notice does), and a sent notice's texts stay as
// they were. The press statement is the board's to use and is not approved.

// LettersView is the page of a case's texts.
type LettersView struct {
	Case  incident.Case
	Head  contact.Letterhead
	Texts []letter.Text // every kind, kept or drafted
	// Drafts are Lekwacht's drafts from the facts as they are now, also for
	// a kept text: the officer may start again from one.
	Drafts map[letter.Kind]string
	Notice *incident.SubjectsNotice
	// CanEdit: the officer, while the case is in step 7 and the notice not sent.
	CanEdit bool
	// Public: the data subjects are informed by a public notice instead of
	// individually (seed 001 exception iii), as the notice or else the
	// decision says.
	Public bool
}

// Text returns the text of kind k.
func (v LettersView) Text(k letter.Kind) letter.Text {
	for _, t := range v.Texts {
		if t.Kind == k {
			return t
		}
	}
	return letter.Text{Kind: k}
}

// caseLetterhead is the head of a letter about case c: the details of the
// case's school, where empty the organisation's (contact.LetterheadOf), and
// the FG's; Missing names the empty fields (contact.Field… keys).
func caseLetterhead(ctx context.Context, q *store.Queries, orgID int64, c *incident.Case) (contact.Letterhead, error) {
	o, err := q.OrganisationContact(ctx, orgID)
	if err != nil {
		return contact.Letterhead{}, err
	}
	var school *contact.School
	if c.SchoolID != nil {
		sc, err := q.SchoolContact(ctx, orgID, *c.SchoolID)
		if err != nil {
			return contact.Letterhead{}, err
		}
		school = &sc
	}
	return contact.LetterheadOf(o, school), nil
}

// letterParts are the recorded facts of a case that its texts are drafted
// from, beside the report: never the desk's summary nor the officer's reasons.
type letterParts struct {
	inventory     *incident.Inventory
	repair        *incident.Repair
	channel       string // the decision's channel for the data subjects
	notifications []incident.Notification
	notice        *incident.SubjectsNotice
}

// loadLetterParts reads the parts in q (inside a transaction: the approval
// keeps the drafts it approves).
func loadLetterParts(ctx context.Context, q *store.Queries, orgID, id int64) (letterParts, error) {
	var p letterParts
	if inv, ok, err := q.Inventory(ctx, orgID, id); err != nil {
		return p, err
	} else if ok {
		p.inventory = &inv
	}
	if rep, ok, err := q.Repair(ctx, orgID, id); err != nil {
		return p, err
	} else if ok {
		p.repair = &rep
	}
	if dec, ok, err := q.Decision(ctx, orgID, id); err != nil {
		return p, err
	} else if ok {
		p.channel = dec.SubjectsChannel
	}
	var err error
	if p.notifications, err = q.Notifications(ctx, orgID, id); err != nil {
		return p, err
	}
	if n, ok, err := q.SubjectsNotice(ctx, orgID, id); err != nil {
		return p, err
	} else if ok {
		p.notice = &n
	}
	return p, nil
}

// letterPartsOf takes the parts from the case page's view, which has read
// them already (the desk, the officer and the board see them all).
func letterPartsOf(v CaseView) letterParts {
	p := letterParts{inventory: v.Inventory, repair: v.Repair, notifications: v.Notifications, notice: v.Subjects.Notice}
	if v.Decision != nil {
		p.channel = v.Decision.Decision.SubjectsChannel
	}
	return p
}

// letterFacts are the facts a case's texts are drafted from.
func (s *Incidents) letterFacts(a *access.Actor, c *incident.Case, head contact.Letterhead, p letterParts) letter.Facts {
	f := letter.Facts{Sender: c.SchoolName, Board: a.Organisation, ForSchool: c.SchoolName != "",
		Occurred: c.Report.OccurredFrom, DataKinds: c.Report.DataKinds, Groups: c.Report.SubjectGroups, Count: c.Report.SubjectsEstimate,
		Head: head, Today: s.d.Now(), Loc: s.d.Location}
	if f.Sender == "" {
		f.Sender = a.Organisation
	}
	if inv := p.inventory; inv != nil {
		f.Nature = inv.Nature
		if len(inv.DataTypes) > 0 {
			f.DataKinds = inv.DataTypes
		}
		if inv.PeriodFrom != nil {
			f.Occurred = inv.PeriodFrom
		}
		if inv.SubjectCount != nil {
			f.Count = inv.SubjectCount
		}
	}
	if rep := p.repair; rep != nil {
		f.MeasuresNow = joinLines(rep.TechnicalIncidental, rep.OrganisationalIncidental)
		f.MeasuresLater = joinLines(rep.TechnicalStructural, rep.OrganisationalStructural)
	}
	f.PublicChannel = p.channel == incident.ChannelPublic
	f.ReportedToAP = slices.ContainsFunc(p.notifications, func(n incident.Notification) bool { return n.Kind == incident.NoticeInitial })
	n := p.notice
	if n == nil {
		return f
	}
	// The notice says whose data, as the officer corrected it.
	f.Groups = nil
	for _, g := range n.Groups {
		if g == "parents_under_16" {
			g = "students"
		}
		if !slices.Contains(f.Groups, g) {
			f.Groups = append(f.Groups, g)
		}
	}
	f.PublicChannel = n.Channel == incident.ChannelPublic
	f.Measures, f.SchoolContact, f.OfficerContact = n.MeasuresTaken, n.SchoolContact, n.OfficerContact
	f.Happened, f.Signature = n.Nature, n.Signature
	return f
}

func joinLines(parts ...string) string {
	var out string
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += "\n"
		}
		out += p
	}
	return out
}

// texts is every kind: the kept text, or the draft from the facts.
func texts(f letter.Facts, kept map[letter.Kind]letter.Text) []letter.Text {
	out := make([]letter.Text, 0, len(letter.Kinds))
	for _, k := range letter.Kinds {
		t, ok := kept[k]
		if !ok {
			t = letter.Text{Kind: k, Body: letter.Draft(f, k)}
		}
		t.Title = letter.Title(f, k)
		out = append(out, t)
	}
	return out
}

// Letters loads a case's texts for the desk, the officer and the board of
// its school; others who may see the case are refused.
func (s *Incidents) Letters(ctx context.Context, a *access.Actor, id int64) (LettersView, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return LettersView{}, err
	}
	if !v.Full {
		return LettersView{}, apperr.Forbiddenf("De brieven aan de betrokkenen zijn alleen voor het meldpunt, de FG en het bestuur.")
	}
	out := LettersView{Case: v.Case}
	q := s.d.Store.Queries
	head, err := caseLetterhead(ctx, q, a.OrganisationID, &v.Case)
	if err != nil {
		return out, err
	}
	// The page says in Dutch which details are still empty.
	out.Head = head
	out.Head.Missing = make([]string, len(head.Missing))
	for i, m := range head.Missing {
		out.Head.Missing[i] = contact.Label(m)
	}
	p := letterPartsOf(v)
	f := s.letterFacts(a, &v.Case, head, p)
	kept, err := q.Letters(ctx, a.OrganisationID, id)
	if err != nil {
		return out, err
	}
	n := p.notice
	out.Texts, out.Notice = texts(f, kept), n
	out.Drafts = map[letter.Kind]string{}
	for _, k := range letter.Kinds {
		out.Drafts[k] = letter.Draft(f, k)
	}
	out.CanEdit = v.Can(incident.ActDraftSubjects) && (n == nil || !n.Sent())
	switch {
	case n != nil:
		out.Public = n.Channel == incident.ChannelPublic
	case v.Decision != nil:
		out.Public = v.Decision.Decision.SubjectsChannel == incident.ChannelPublic
	}
	return out, nil
}

// SaveLetter stores the officer's text of kind k, in one transaction with
// its timeline entry. Changing a letter or the public notice of an approved
// notice withdraws the approval, and the board hears it waits again.
func (s *Incidents) SaveLetter(ctx context.Context, a *access.Actor, id int64, k letter.Kind, body string) error {
	ctx = scoped(ctx, a)
	if !k.Valid() {
		return apperr.NotFoundf("Deze tekst bestaat niet.")
	}
	return s.perform(ctx, a, id, incident.ActDraftSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		text, err := letter.Parse(body)
		if err != nil {
			return change{}, err
		}
		n, had, err := q.SubjectsNotice(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if had && n.Sent() {
			return change{}, apperr.Conflictf("Het bericht aan de betrokkenen is al verzonden; de teksten liggen vast.")
		}
		kept, err := q.Letters(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if old, ok := kept[k]; ok && old.Body == text {
			return change{Kind: "subjects_letter", Summary: k.Label() + " opnieuw opgeslagen zonder wijzigingen (stap 7)",
				Details: map[string]any{"kind": string(k), "changed": false}}, nil
		}
		if err := q.SaveLetter(ctx, a.OrganisationID, id, k, text, a.UserID, s.d.Now()); err != nil {
			return change{}, err
		}
		summary := k.Label() + " aangepast (stap 7)"
		withdrawn := false
		if k != letter.Press && had {
			if withdrawn, err = q.WithdrawSubjectsApproval(ctx, a.OrganisationID, id); err != nil {
				return change{}, err
			}
		}
		if withdrawn {
			summary += "; de goedkeuring van het bericht is vervallen, het moet opnieuw worden goedgekeurd"
			if err := s.d.notifyBoardApproval(ctx, q, a, c); err != nil {
				return change{}, err
			}
		}
		return change{Kind: "subjects_letter", Summary: summary,
			Details: map[string]any{"kind": string(k), "changed": true, "approval_cleared": withdrawn}}, nil
	})
}

// keepApprovedLetters keeps, at approval, the drafts of the letters and the
// public notice not edited yet: what was approved is what is sent.
func (s *Incidents) keepApprovedLetters(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case) (int64, error) {
	head, err := caseLetterhead(ctx, q, a.OrganisationID, c)
	if err != nil {
		return 0, err
	}
	p, err := loadLetterParts(ctx, q, a.OrganisationID, c.ID)
	if err != nil {
		return 0, err
	}
	f := s.letterFacts(a, c, head, p)
	drafts := map[letter.Kind]string{}
	for _, k := range append(slices.Clone(letter.Readers), letter.Public) {
		drafts[k] = letter.Draft(f, k)
	}
	return q.KeepLetterDrafts(ctx, a.OrganisationID, c.ID, drafts, s.d.Now())
}

// LetterPDF is one text of a case as its PDF holds it, for the desk, the
// officer and the board; the download is recorded in the security log. A
// text not yet kept and approved is marked as a draft.
func (s *Incidents) LetterPDF(ctx context.Context, a *access.Actor, id int64, k letter.Kind) (letterpdf.Doc, error) {
	ctx = scoped(ctx, a)
	if !k.Valid() {
		return letterpdf.Doc{}, apperr.NotFoundf("Deze tekst bestaat niet.")
	}
	v, err := s.Letters(ctx, a, id)
	if err != nil {
		return letterpdf.Doc{}, err
	}
	if err := s.recordRead(ctx, a, incident.ReadLetterPDF, &id, id, map[string]any{"kind": string(k)}); err != nil {
		return letterpdf.Doc{}, err
	}
	t := v.Text(k)
	d := letterpdf.Doc{Head: v.Head, Text: t, Case: v.Case.Number, Date: s.d.Now(), Loc: s.d.Location}
	approved := v.Notice != nil && v.Notice.Approved()
	d.Draft = !t.Kept || (k != letter.Press && !approved)
	if v.Notice != nil && v.Notice.SentAt != nil && k != letter.Press {
		d.Date = *v.Notice.SentAt
	}
	return d, nil
}
