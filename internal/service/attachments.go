package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/lekwacht/lekwacht/internal/access"
	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
	"github.com/lekwacht/lekwacht/internal/store"
)

// AttachmentUpload is one file as the handler read it from the form.
type AttachmentUpload struct {
	Kind string
	// Filename is the name the browser sent; it is sanitised here.
	Filename string
	// Data is the file, read up to one byte over incident.MaxAttachmentSize.
	Data []byte
	// TooLarge is set when the handler stopped reading at the limit.
	TooLarge bool
}

// AttachmentsView is a case's attachments as the actor may see them, and
// the kinds the actor may add now (none: no uploads).
type AttachmentsView struct {
	Case        incident.Case
	Attachments []incident.Attachment
	UploadKinds []incident.AttachmentKind
}

// attachmentsCase loads a case of the actor's organisation that the actor may see,
// with their relation to it.
func attachmentsCase(ctx context.Context, q *store.Queries, a *access.Actor, id int64) (incident.Case, incident.Relation, error) {
	if a == nil {
		return incident.Case{}, incident.Relation{}, apperr.New(apperr.Unauthenticated, "Log eerst in.")
	}
	c, err := q.Case(ctx, a.OrganisationID, id)
	if err != nil {
		return c, incident.Relation{}, err
	}
	rel, err := q.CaseRelation(ctx, a.OrganisationID, id, a.UserID)
	if err != nil {
		return c, rel, err
	}
	if !incident.CanViewWith(a, &c, rel) {
		return incident.Case{}, incident.Relation{}, apperr.NotFoundf("Deze melding bestaat niet, of u mag haar niet inzien.")
	}
	return c, rel, nil
}

// caseAttachments lists what the actor may see of case c's attachments (c
// already checked with CanViewWith) and the kinds they may add now. The
// case page uses it too.
func caseAttachments(ctx context.Context, q *store.Queries, a *access.Actor, c *incident.Case, rel incident.Relation) ([]incident.Attachment, []incident.AttachmentKind, error) {
	var only int64
	if !incident.SeesAllAttachments(a, c, rel) {
		only = a.UserID
	}
	list, err := q.Attachments(ctx, a.OrganisationID, c.ID, only)
	if err != nil {
		return nil, nil, err
	}
	kinds, _ := incident.AttachmentUploadKinds(a, c, rel)
	return list, kinds, nil
}

// Attachments lists a case's attachments as the actor may see them: all of
// them for the desk, officer and board of its school and its assigned
// technician; for anyone else who may view the case, their own uploads.
func (s *Incidents) Attachments(ctx context.Context, a *access.Actor, id int64) (AttachmentsView, error) {
	ctx = scoped(ctx, a)
	v, _, err := s.attachments(ctx, a, id)
	return v, err
}

// AttachmentForm is Attachments for the upload page: it refuses an actor
// who may not add attachments to the case now.
func (s *Incidents) AttachmentForm(ctx context.Context, a *access.Actor, id int64) (AttachmentsView, error) {
	ctx = scoped(ctx, a)
	v, rel, err := s.attachments(ctx, a, id)
	if err != nil {
		return AttachmentsView{}, err
	}
	if len(v.UploadKinds) == 0 {
		return AttachmentsView{}, uploadRefusal(a, &v.Case, rel)
	}
	return v, nil
}

func (s *Incidents) attachments(ctx context.Context, a *access.Actor, id int64) (AttachmentsView, incident.Relation, error) {
	c, rel, err := attachmentsCase(ctx, s.d.Store.Queries, a, id)
	if err != nil {
		return AttachmentsView{}, rel, err
	}
	list, kinds, err := caseAttachments(ctx, s.d.Store.Queries, a, &c, rel)
	if err != nil {
		return AttachmentsView{}, rel, err
	}
	return AttachmentsView{Case: c, Attachments: list, UploadKinds: kinds}, rel, nil
}

// uploadRefusal says why an actor who may view a case may not add to it.
func uploadRefusal(a *access.Actor, c *incident.Case, rel incident.Relation) error {
	if _, closed := incident.AttachmentUploadKinds(a, c, rel); closed {
		return apperr.Conflictf("Deze melding is afgesloten. Alleen de FG kan nog bijlagen toevoegen.")
	}
	return apperr.Forbiddenf("U mag geen bijlagen toevoegen aan deze melding.")
}

// AddAttachment stores a file on a case with its timeline entry, in one
// transaction. The type is detected from the content (what the browser
// claimed is ignored); the policy is incident.AttachmentUploadKinds.
func (s *Incidents) AddAttachment(ctx context.Context, a *access.Actor, id int64, u AttachmentUpload) (incident.Attachment, error) {
	ctx = scoped(ctx, a)
	now := s.d.Now()
	var out incident.Attachment
	err := transact(ctx, s.d.Store, func(q *store.Queries) error {
		c, rel, err := attachmentsCase(ctx, q, a, id)
		if err != nil {
			return err
		}
		kinds, _ := incident.AttachmentUploadKinds(a, &c, rel)
		if len(kinds) == 0 {
			return uploadRefusal(a, &c, rel)
		}
		kind, f, err := checkUpload(u, kinds)
		if err != nil {
			return err
		}
		// The row lock, and the guard that the case did not move meanwhile
		// (closed by someone else, say).
		if err := q.TouchCase(ctx, a.OrganisationID, id, c.Status, now); err != nil {
			return err
		}
		sum := sha256.Sum256(u.Data)
		aid, err := q.InsertAttachment(ctx, store.NewAttachment{OrganisationID: a.OrganisationID, CaseID: id, Kind: kind,
			Filename: f.Filename, ContentType: f.ContentType, SHA256: sum[:], Data: u.Data, UploadedAt: now, UploadedBy: a.UserID})
		if err != nil {
			return err
		}
		size := int64(len(u.Data))
		out = incident.Attachment{ID: aid, CaseID: id, Kind: kind, Filename: f.Filename, ContentType: f.ContentType,
			Size: size, SHA256: sum[:], UploadedAt: now, UploadedByID: a.UserID, UploadedBy: a.Name}
		return q.AddEvent(ctx, store.NewEvent{OrganisationID: a.OrganisationID, CaseID: id, At: now, ActorID: &a.UserID,
			Kind: incident.EventAttachmentAdded, Summary: incident.AttachmentSummary(f, size),
			Details: map[string]any{"attachment_id": aid, "kind": string(kind), "content_type": f.ContentType,
				"size": size, "sha256": hex.EncodeToString(sum[:])}})
	})
	if err != nil {
		return incident.Attachment{}, err
	}
	s.d.Logger.Info("attachment added", "organisation_id", a.OrganisationID, "case_id", id, "attachment_id", out.ID, "size", out.Size)
	return out, nil
}

// checkUpload validates the kind and the file, with a message per field.
func checkUpload(u AttachmentUpload, allowed []incident.AttachmentKind) (incident.AttachmentKind, incident.CheckedFile, error) {
	errs := apperr.FieldErrors{}
	kind := incident.AttachmentKind(u.Kind)
	if !kind.Valid() {
		errs.Add("kind", "Kies wat voor bijlage dit is.")
	}
	var f incident.CheckedFile
	switch {
	case u.TooLarge || len(u.Data) > incident.MaxAttachmentSize:
		errs.Add("file", "Het bestand is groter dan 10 MB. Verklein het (bijvoorbeeld een foto met een lagere resolutie) of verdeel het over meer bestanden.")
	case u.Filename == "" && len(u.Data) == 0:
		errs.Add("file", "Kies een bestand.")
	default:
		var err error
		if f, err = incident.CheckAttachment(u.Filename, u.Data); err != nil {
			if e, ok := apperr.As(err); ok {
				for k, v := range e.Fields {
					errs.Add(k, v)
				}
			} else {
				return "", f, err
			}
		}
	}
	if err := errs.Err(); err != nil {
		return "", f, err
	}
	if !slices.Contains(allowed, kind) {
		// The form offers only the allowed kinds.
		return "", f, apperr.Forbiddenf("U mag dit soort bijlage (%s) niet toevoegen aan deze melding.", kind.Label())
	}
	return kind, f, nil
}

// Attachment returns one file of a case with its content, for download. An
// attachment of another case, or one the actor may not see, is not found.
func (s *Incidents) Attachment(ctx context.Context, a *access.Actor, caseID, id int64) (incident.Attachment, []byte, error) {
	ctx = scoped(ctx, a)
	q := s.d.Store.Queries
	c, rel, err := attachmentsCase(ctx, q, a, caseID)
	if err != nil {
		return incident.Attachment{}, nil, err
	}
	att, err := q.Attachment(ctx, a.OrganisationID, caseID, id)
	if err != nil {
		return incident.Attachment{}, nil, err
	}
	if !incident.SeesAllAttachments(a, &c, rel) && att.UploadedByID != a.UserID {
		return incident.Attachment{}, nil, apperr.NotFoundf("Deze bijlage bestaat niet.")
	}
	data, err := q.AttachmentData(ctx, a.OrganisationID, caseID, id)
	if err != nil {
		return incident.Attachment{}, nil, err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], att.SHA256) {
		return incident.Attachment{}, nil, fmt.Errorf("attachment %d of case %d: content does not match its checksum", id, caseID)
	}
	if err := s.recordRead(ctx, a, incident.ReadAttachment, &caseID, id, nil); err != nil {
		return incident.Attachment{}, nil, err
	}
	return att, data, nil
}
