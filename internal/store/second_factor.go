package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lekwacht/lekwacht/internal/apperr"
)

// TOTP is a person's authenticator (issue 11). The store's second-factor
// and session functions take a membership (users.id) and act on its person
// (migration 00050): one authenticator and one list of sessions for all the
// organisations a person belongs to.
type TOTP struct {
	Secret    string
	Confirmed bool
	LastStep  int64
}

// TOTP loads the user's authenticator, confirmed or being set up; NotFound
// when there is none.
func (q *Queries) TOTP(ctx context.Context, userID int64) (TOTP, error) {
	var t TOTP
	err := q.db.QueryRow(ctx, `SELECT secret, confirmed_at IS NOT NULL, last_step FROM user_totp WHERE person_id = (SELECT person_id FROM users WHERE id = $1)`, userID).
		Scan(&t.Secret, &t.Confirmed, &t.LastStep)
	if err != nil {
		return t, notFound(err, "totp", "Er is geen app voor de tweestapsverificatie ingesteld.")
	}
	return t, nil
}

// SavePendingTOTP stores a secret being set up; a confirmed authenticator is
// never overwritten (Conflict).
func (q *Queries) SavePendingTOTP(ctx context.Context, userID int64, secret string, now time.Time) error {
	tag, err := q.db.Exec(ctx, `
		INSERT INTO user_totp (person_id, secret, created_at) VALUES ((SELECT person_id FROM users WHERE id = $1), $2, $3)
		ON CONFLICT (person_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at
		WHERE user_totp.confirmed_at IS NULL`, userID, secret, now)
	if err != nil {
		return fmt.Errorf("save pending totp: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.Conflict, "De tweestapsverificatie is al ingesteld.")
	}
	return nil
}

// ConfirmTOTP makes the authenticator being set up count, with the step of
// the code that confirmed it as used.
func (q *Queries) ConfirmTOTP(ctx context.Context, userID, step int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE user_totp SET confirmed_at = $3, last_step = $2 WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND confirmed_at IS NULL`, userID, step, now)
	if err != nil {
		return fmt.Errorf("confirm totp: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.Conflict, "De tweestapsverificatie is al ingesteld, of het instellen is opnieuw begonnen.")
	}
	return nil
}

// UseTOTPStep records that the code of step was used; it returns false when
// that step or a later one was used before (a code typed twice).
func (q *Queries) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := q.db.Exec(ctx, `UPDATE user_totp SET last_step = $2 WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND confirmed_at IS NOT NULL AND last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("use totp step: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReplaceRecoveryCodes forgets the user's recovery codes and stores new ones (hashes).
func (q *Queries) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes [][]byte) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM recovery_codes WHERE person_id = (SELECT person_id FROM users WHERE id = $1)`, userID); err != nil {
		return fmt.Errorf("replace recovery codes: %w", err)
	}
	if _, err := q.db.Exec(ctx, `INSERT INTO recovery_codes (person_id, code_hash) SELECT (SELECT person_id FROM users WHERE id = $1), h FROM unnest($2::bytea[]) AS h`, userID, hashes); err != nil {
		return fmt.Errorf("replace recovery codes: %w", err)
	}
	return nil
}

// UseRecoveryCode marks an unused code used; false when it is unknown or used.
func (q *Queries) UseRecoveryCode(ctx context.Context, userID int64, hash []byte, now time.Time) (bool, error) {
	tag, err := q.db.Exec(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND code_hash = $2 AND used_at IS NULL`, userID, hash, now)
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (q *Queries) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := q.db.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE person_id = (SELECT person_id FROM users WHERE id = $1) AND used_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("recovery codes left: %w", err)
	}
	return n, nil
}

// DeleteSecondFactor removes the user's authenticator and recovery codes.
func (q *Queries) DeleteSecondFactor(ctx context.Context, userID int64) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM recovery_codes WHERE person_id = (SELECT person_id FROM users WHERE id = $1)`, userID); err != nil {
		return fmt.Errorf("delete second factor: %w", err)
	}
	if _, err := q.db.Exec(ctx, `DELETE FROM user_totp WHERE person_id = (SELECT person_id FROM users WHERE id = $1)`, userID); err != nil {
		return fmt.Errorf("delete second factor: %w", err)
	}
	return nil
}
