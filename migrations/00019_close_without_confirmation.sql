-- +goose Up
-- Closing a case notified to the AP (issue 9.6): the AP's confirmation is
-- attached, or the desk records why there is none; the register shows it.
ALTER TABLE cases ADD COLUMN no_confirmation_reason text NOT NULL DEFAULT ''
    CHECK (length(no_confirmation_reason) <= 5000);

-- +goose Down
ALTER TABLE cases DROP COLUMN no_confirmation_reason;
