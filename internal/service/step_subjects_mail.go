package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/letter"
	"github.com/lekwacht/lekwacht/internal/mail"
	"github.com/lekwacht/lekwacht/internal/store"
)

// Step 7 by mail: the officer uploads the list of recipients (CSV) and sends
// the approved notice from Lekwacht; sending records the notice as sent, as
// "Verzending vastleggen" does, and archives the exact text. Both are the
// officer's, like recording the sending (the existing policy), and only for
// an approved, individual notice that was not sent. Addresses are never
// logged and never shown; they stay only until delivery is final.

// SubjectMailingView is the mailing page of step 7.
type SubjectMailingView struct {
	Case       incident.Case
	Notice     *incident.SubjectsNotice
	Recipients []incident.RecipientRow
	Counts     incident.RecipientCounts
	Mailing    *incident.SubjectMailing
	// CanUpload and CanSend: the officer, the notice approved, individual, not sent.
	CanUpload, CanSend bool
}

// SubjectMailing loads the mailing page for the desk, officer and board of
// the case's school.
func (s *Incidents) SubjectMailing(ctx context.Context, a *access.Actor, id int64) (SubjectMailingView, error) {
	ctx = scoped(ctx, a)
	v, err := s.Case(ctx, a, id)
	if err != nil {
		return SubjectMailingView{}, err
	}
	if !v.Full {
		return SubjectMailingView{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	out := SubjectMailingView{Case: v.Case, Notice: v.Subjects.Notice, Counts: incident.RecipientCounts{}}
	q := s.d.Store.Queries
	if out.Recipients, err = q.SubjectRecipients(ctx, a.OrganisationID, id); err != nil {
		return out, err
	}
	for _, r := range out.Recipients {
		out.Counts[r.Status]++
	}
	m, ok, err := q.SubjectMailing(ctx, a.OrganisationID, id)
	if err != nil {
		return out, err
	}
	if ok {
		out.Mailing = &m
	}
	n := out.Notice
	out.CanUpload = v.Can(incident.ActRecordSubjects) && n != nil && n.Approved() && !n.Sent() && n.Channel == incident.ChannelIndividual
	out.CanSend = out.CanUpload && out.Counts[incident.RecipientPending] > 0
	return out, nil
}

// mailableNotice checks that the notice can be mailed now.
func mailableNotice(ctx context.Context, q *store.Queries, orgID, id int64) (incident.SubjectsNotice, error) {
	n, ok, err := q.SubjectsNotice(ctx, orgID, id)
	switch {
	case err != nil:
		return n, err
	case !ok:
		return n, apperr.Conflictf("Er is nog geen bericht aan de betrokkenen opgesteld.")
	case !n.Approved():
		return n, apperr.Conflictf("Het bericht aan de betrokkenen is nog niet goedgekeurd. Laat het eerst goedkeuren door het bestuur of de FG.")
	case n.Sent():
		return n, apperr.Conflictf("Het bericht aan de betrokkenen is al verzonden.")
	case n.Channel != incident.ChannelIndividual:
		return n, apperr.Conflictf("Dit bericht is een openbare mededeling, geen persoonlijk bericht: het wordt niet per e-mail verstuurd.")
	}
	return n, nil
}

// UploadSubjectRecipients stores the list of recipients (CSV) for the
// approved notice, replacing a list not yet sent. A list with bad lines is
// refused whole, each bad line named.
func (s *Incidents) UploadSubjectRecipients(ctx context.Context, a *access.Actor, id int64, data []byte) (int, error) {
	ctx = scoped(ctx, a)
	list, dup, err := incident.ParseRecipients(data, s.d.Now().In(s.d.Location))
	if err != nil {
		return 0, err
	}
	err = s.perform(ctx, a, id, incident.ActRecordSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		if _, err := mailableNotice(ctx, q, a.OrganisationID, id); err != nil {
			return change{}, err
		}
		if err := q.ReplaceSubjectRecipients(ctx, a.OrganisationID, id, a.UserID, list, s.d.Now()); err != nil {
			return change{}, err
		}
		summary := fmt.Sprintf("Ontvangerslijst voor het bericht aan betrokkenen opgeslagen: %d ontvangers", len(list))
		if dup > 0 {
			summary += fmt.Sprintf(" (%d dubbele adressen krijgen het bericht één keer)", dup)
		}
		return change{Kind: "subjects_recipients", Summary: summary, Details: map[string]any{"recipients": len(list), "duplicates": dup}}, nil
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

// MailSubjectsNotice sends the approved notice by mail to every recipient of
// the list, in one transaction: the archive of the text, one outbox mail and
// job per recipient (the address moves from the list to the outbox), the
// notice recorded as sent now, and the case on to the desk. Delivery follows
// in the background; the mailing page shows the status per recipient.
func (s *Incidents) MailSubjectsNotice(ctx context.Context, a *access.Actor, id int64) (int, error) {
	ctx = scoped(ctx, a)
	sent := 0
	err := s.perform(ctx, a, id, incident.ActRecordSubjects, func(q *store.Queries, c *incident.Case) (change, error) {
		sent = 0
		n, err := mailableNotice(ctx, q, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		pending, err := q.PendingRecipients(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		if len(pending) == 0 {
			return change{}, apperr.New(apperr.Invalid, "Upload eerst de lijst met ontvangers (CSV).")
		}
		// Each reader gets the kept letter of their audience (issue 10.4): the
		// under-16 rule gave each recipient its audience. A notice approved
		// before letters were kept sends its own text, worded for the reader.
		// The archive keeps every version sent, each under its reader.
		kept, err := q.Letters(ctx, a.OrganisationID, id)
		if err != nil {
			return change{}, err
		}
		type rendered struct{ text, html string }
		letters := map[string]rendered{}
		var texts, htmls []string
		for _, aud := range []string{incident.AudienceParent, incident.AudienceStudent, incident.AudienceSelf} {
			if !slices.ContainsFunc(pending, func(p store.PendingRecipient) bool { return p.Audience == aud }) {
				continue
			}
			body := n.BodyFor(aud)
			if l, ok := kept[letter.ForAudience(aud)]; ok {
				if letter.Unfinished(l.Body) {
					return change{}, apperr.Conflictf("In de %s staat nog ‘%s …]’: vul dat eerst in. Daarna keurt het bestuur het bericht opnieuw goed.",
						strings.ToLower(l.Kind.Label()), letter.Fill)
				}
				body = l.Body
			}
			text, html, err := mail.RenderLetter(n.Subject, body)
			if err != nil {
				return change{}, err
			}
			letters[aud] = rendered{text, html}
			texts = append(texts, "— Versie voor "+incident.AudienceLabel(aud)+" —\n\n"+text)
			htmls = append(htmls, html)
		}
		archived := strings.Join(texts, "\n")
		if len(texts) == 1 {
			archived = letters[pending[0].Audience].text
		}
		now := s.d.Now()
		if err := q.SaveSubjectMailing(ctx, a.OrganisationID, id, a.UserID, incident.SubjectMailing{
			Subject: n.Subject, Text: archived, HTML: strings.Join(htmls, "\n<hr>\n"), SentAt: now, Recipients: len(pending)}); err != nil {
			return change{}, err
		}
		mails := make([]store.NewMail, len(pending))
		caseID := id
		for i, p := range pending {
			l := letters[p.Audience]
			mails[i] = store.NewMail{OrganisationID: a.OrganisationID, CaseID: &caseID, Kind: "subject_notice",
				OutboxKey: fmt.Sprintf("subjects:%d:r%d", id, p.ID), Recipient: p.Email, Subject: n.Subject, Text: l.text, HTML: l.html}
		}
		ids, err := s.d.enqueueMails(ctx, q, mails)
		if err != nil {
			return change{}, err
		}
		recipientIDs := make([]int64, len(pending))
		for i, p := range pending {
			recipientIDs[i] = p.ID
		}
		if err := q.RecipientsMailed(ctx, a.OrganisationID, recipientIDs, ids); err != nil {
			return change{}, err
		}
		if err := q.RecordSubjectsSent(ctx, a.OrganisationID, id, a.UserID, now); err != nil {
			return change{}, err
		}
		sent = len(pending)
		summary := fmt.Sprintf("Bericht aan betrokkenen per e-mail verzonden vanuit Lekwacht aan %d ontvangers; de tekst is bewaard bij de melding", sent)
		details := map[string]any{"sent_at": now, "channel": n.Channel, "groups": n.Groups, "recipients": sent, "by_mail": true}
		if due, ok, err := s.subjectsDue(ctx, q, a.OrganisationID, id); err != nil {
			return change{}, err
		} else if ok && now.After(due) {
			summary += ", na de termijn van een week"
			details["late"] = true
		}
		return change{Summary: summary, To: incident.StatusRecording, Details: details}, nil
	})
	if err != nil {
		return 0, err
	}
	s.d.Logger.Info("subject notice mailed", "organisation_id", a.OrganisationID, "case_id", id, "recipients", sent)
	return sent, nil
}
