-- +goose Up
-- Issue 15.2: a password set through a one-time link ends every other
-- session of the user. Each session remembers the epoch it began in; setting
-- the password moves the epoch on, and a session of an older epoch is ended.
ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN session_epoch;
