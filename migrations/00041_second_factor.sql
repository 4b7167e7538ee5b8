-- +goose Up
-- Issue 11: a second factor (TOTP, RFC 6238) and one-time recovery codes.
-- A row without confirmed_at is an authenticator being set up: it counts
-- only once a first code from it was typed. last_step is the latest 30 s
-- time step whose code was accepted; a code of that step or an older one is
-- refused, so a code that was seen cannot be used again.
CREATE TABLE user_totp (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       text NOT NULL,
    confirmed_at timestamptz,
    last_step    bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL
);

-- Recovery codes, shown once; only their SHA-256 is kept (each has 50
-- random bits, too many to try against a fast hash).
CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- The runtime role of issue 15.4 (migration 00033), when this installation
-- has it: the grant scheme of docs/operations.md.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp TO lekwacht_runtime;
        GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO lekwacht_runtime;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE recovery_codes;
DROP TABLE user_totp;
