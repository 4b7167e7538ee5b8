-- +goose Up
-- Issue 9.4, four eyes on the letter: the notice to data subjects is approved
-- by someone other than who drafted it (the board, seed 000 "Communicatie").
-- The officer may approve their own draft only with the reason why (the board
-- could not be reached in time); the register shows it.
ALTER TABLE case_subject_notices
    ADD COLUMN self_approval_reason text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE case_subject_notices DROP COLUMN self_approval_reason;
