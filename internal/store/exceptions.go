package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lekwacht/lekwacht/internal/apperr"
	"github.com/lekwacht/lekwacht/internal/incident"
)

// ExceptionReview is the periodic review of an exception (incident.ExceptionReview).
type ExceptionReview = incident.ExceptionReview

// ExceptionReviewMonths is the organisation's review period in months.
func (q *Queries) ExceptionReviewMonths(ctx context.Context, orgID int64) (int, error) {
	var m int
	err := q.db.QueryRow(ctx, `SELECT exception_review_months FROM organisations WHERE id = $1`, orgID).Scan(&m)
	if err != nil {
		return 0, notFound(err, "exception review months", "Deze organisatie bestaat niet.")
	}
	return m, nil
}

// SetExceptionReviewMonths sets the organisation's review period. Reviews
// already planned keep their date; the next one after them uses the new period.
func (q *Queries) SetExceptionReviewMonths(ctx context.Context, orgID int64, months int) error {
	tag, err := q.db.Exec(ctx, `UPDATE organisations SET exception_review_months = $2 WHERE id = $1`, orgID, months)
	if err != nil {
		return fmt.Errorf("set exception review months: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.NotFoundf("Deze organisatie bestaat niet.")
	}
	return nil
}

// StartExceptionReview plans the first review of an exception used by a new
// decision, replacing whatever review the case had.
func (q *Queries) StartExceptionReview(ctx context.Context, orgID, caseID int64, exception string, due, at time.Time) error {
	_, err := q.db.Exec(ctx, `
		INSERT INTO case_exception_reviews (organisation_id, case_id, exception, due_at, started_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (organisation_id, case_id) DO UPDATE SET exception = excluded.exception, due_at = excluded.due_at,
			started_at = excluded.started_at, reviewed_at = NULL, reviewed_by = NULL, ended_at = NULL, end_reason = ''`,
		orgID, caseID, exception, due, at)
	if err != nil {
		return fmt.Errorf("start exception review: %w", err)
	}
	return nil
}

// EndExceptionReview ends the review in force, if any (the exception no
// longer holds, or a new decision no longer relies on it).
func (q *Queries) EndExceptionReview(ctx context.Context, orgID, caseID int64, reason string, at time.Time) error {
	_, err := q.db.Exec(ctx, `UPDATE case_exception_reviews SET ended_at = $3, end_reason = $4
		WHERE organisation_id = $1 AND case_id = $2 AND ended_at IS NULL`, orgID, caseID, at, reason)
	if err != nil {
		return fmt.Errorf("end exception review: %w", err)
	}
	return nil
}

// ConfirmExceptionReview records that the exception still holds and moves the
// review to next.
func (q *Queries) ConfirmExceptionReview(ctx context.Context, orgID, caseID, by int64, next, at time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE case_exception_reviews SET due_at = $3, reviewed_at = $4, reviewed_by = $5
		WHERE organisation_id = $1 AND case_id = $2 AND ended_at IS NULL`, orgID, caseID, next, at, by)
	if err != nil {
		return fmt.Errorf("confirm exception review: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.Conflictf("Er loopt geen herbeoordeling van een uitzondering bij deze melding.")
	}
	return nil
}

// ActiveExceptionReview returns the case's review in force; ok is false when
// there is none.
func (q *Queries) ActiveExceptionReview(ctx context.Context, orgID, caseID int64) (ExceptionReview, bool, error) {
	var r ExceptionReview
	err := q.db.QueryRow(ctx, `SELECT exception, due_at, started_at, reviewed_at, ended_at, end_reason
		FROM case_exception_reviews WHERE organisation_id = $1 AND case_id = $2 AND ended_at IS NULL`, orgID, caseID).
		Scan(&r.Exception, &r.DueAt, &r.StartedAt, &r.ReviewedAt, &r.EndedAt, &r.EndReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("exception review: %w", err)
	}
	return r, true, nil
}

// DueExceptionReview is a review whose date has come, for the reminder scan
// (every organisation: the system's own work; each row carries its own).
type DueExceptionReview struct {
	OrganisationID int64
	CaseID         int64
	Number         incident.Number
	SchoolID       *int64
	Exception      string
	DueAt          time.Time
}

// DueExceptionReviews lists at most limit reviews in force that are due at
// now and not reminded of yet.
func (q *Queries) DueExceptionReviews(ctx context.Context, now time.Time, limit int) ([]DueExceptionReview, error) {
	rows, err := q.db.Query(ctx, `
		SELECT r.organisation_id, r.case_id, c.year, c.seq, c.school_id, r.exception, r.due_at
		FROM case_exception_reviews r JOIN cases c ON c.organisation_id = r.organisation_id AND c.id = r.case_id
		WHERE r.ended_at IS NULL AND r.due_at <= $1
		  AND NOT EXISTS (SELECT 1 FROM case_reminders m WHERE m.organisation_id = r.organisation_id AND m.case_id = r.case_id
		                  AND m.kind = 'exception_review' AND m.due_at = r.due_at)
		ORDER BY r.due_at, r.case_id
		LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due exception reviews: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DueExceptionReview, error) {
		var d DueExceptionReview
		err := r.Scan(&d.OrganisationID, &d.CaseID, &d.Number.Year, &d.Number.Seq, &d.SchoolID, &d.Exception, &d.DueAt)
		return d, err
	})
}
