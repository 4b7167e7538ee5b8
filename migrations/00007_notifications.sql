-- +goose Up
-- Step 5, Melden: the notification to the Autoriteit Persoonsgegevens, and its
-- later supplements and withdrawal under the same meldingsnummer. The AP's
-- confirmation is kept as an attachment of the case (kind ap_confirmation).
CREATE TABLE case_notifications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('initial', 'supplement', 'withdrawal')),
    number          text NOT NULL CHECK (length(number) BETWEEN 1 AND 60),
    sent_at         timestamptz NOT NULL,
    content         text NOT NULL DEFAULT '',
    late_reason     text NOT NULL DEFAULT '',
    board_reason    text NOT NULL DEFAULT '',
    recorded_at     timestamptz NOT NULL,
    recorded_by     bigint NOT NULL,
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX case_notifications_initial_key ON case_notifications (organisation_id, case_id) WHERE kind = 'initial';
CREATE INDEX case_notifications_case_idx ON case_notifications (organisation_id, case_id, sent_at);

-- +goose Down
DROP TABLE case_notifications;
