-- +goose Up
-- The mail outbox: every mail Lekwacht sends, written in the same transaction
-- as the change that causes it; a River job (kind "mail") carries only its id
-- and delivers it. The address is kept only while delivery is pending and
-- erased once it is final (sent, bounced or failed); subject and bodies stay
-- as the record of what was sent. message_id is the stable RFC 5322
-- Message-ID derived from the outbox key, so that a retry after a crash is
-- recognisable as the same mail to a server that checks.
CREATE TABLE mail_messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    case_id         bigint,
    user_id         bigint,
    kind            text NOT NULL,
    outbox_key      text NOT NULL UNIQUE,
    message_id      text NOT NULL UNIQUE,
    recipient       text,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'bounced', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    final_at        timestamptz,
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    CHECK ((status = 'queued') = (final_at IS NULL)),
    CHECK (status = 'queued' OR recipient IS NULL)
);
CREATE INDEX mail_messages_case_idx ON mail_messages (organisation_id, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX mail_messages_queued_idx ON mail_messages (created_at) WHERE status = 'queued';

-- Deadline reminders, computed from the database by a periodic scan: one row
-- per case, kind and threshold, so that a restart, a second app server or a
-- clock jump never loses or repeats one (the scan inserts with ON CONFLICT DO
-- NOTHING and notifies only when its row is new, in the same transaction).
CREATE TABLE case_reminders (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL,
    threshold       text NOT NULL,
    due_at          timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    -- notified is false for an earlier threshold passed over because a later
    -- one was crossed in the same scan (only the most urgent is sent).
    notified        boolean NOT NULL,
    PRIMARY KEY (organisation_id, case_id, kind, threshold),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);

-- +goose Down
DROP TABLE case_reminders;
DROP TABLE mail_messages;
