-- +goose Up
-- Messages that go away when the work is done (issue 12.4): each message
-- keeps what it is about (kind, and ref: the notification's key, e.g.
-- "question:12"), and done_at once it no longer asks for anything: the
-- question was answered, the case left the step the message was about, or,
-- for a message that only informs, it was read. Start pages list only the
-- messages not done; "Berichten" lists them all.
ALTER TABLE user_messages
    ADD COLUMN kind    text NOT NULL DEFAULT '',
    ADD COLUMN ref     text NOT NULL DEFAULT '',
    ADD COLUMN done_at timestamptz;

-- Messages written before this: those of closed cases, and those read, are done.
UPDATE user_messages m SET done_at = coalesce(c.closed_at, m.read_at)
FROM cases c WHERE c.id = m.case_id AND (c.status = 'closed' OR m.read_at IS NOT NULL);
UPDATE user_messages SET done_at = read_at WHERE case_id IS NULL AND read_at IS NOT NULL;

CREATE INDEX user_messages_open_idx ON user_messages (organisation_id, user_id, created_at DESC) WHERE done_at IS NULL;
CREATE INDEX user_messages_unread_idx ON user_messages (organisation_id, user_id) WHERE read_at IS NULL;
CREATE INDEX user_messages_case_open_idx ON user_messages (case_id) WHERE done_at IS NULL;

-- +goose Down
DROP INDEX user_messages_case_open_idx;
DROP INDEX user_messages_unread_idx;
DROP INDEX user_messages_open_idx;
ALTER TABLE user_messages DROP COLUMN done_at, DROP COLUMN ref, DROP COLUMN kind;
