-- +goose Up
-- Seed 000 step 5: the board is informed before an AP notification; each
-- board member records that and their view. The decision stays the officer's.
CREATE TABLE case_board_notes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    user_id         bigint NOT NULL,
    at              timestamptz NOT NULL,
    view            text NOT NULL DEFAULT '',
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX case_board_notes_case_idx ON case_board_notes (organisation_id, case_id, at);

-- Messages to a user inside the app (e.g. the summary of measures the
-- reporter gets at closing, seed 000 step 6). Mail, later, delivers the same.
CREATE TABLE user_messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    user_id         bigint NOT NULL,
    case_id         bigint,
    subject         text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);
CREATE INDEX user_messages_user_idx ON user_messages (user_id, created_at DESC);

-- +goose Down
DROP TABLE user_messages;
DROP TABLE case_board_notes;
