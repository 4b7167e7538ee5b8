-- +goose Up
-- Issue 11: "Mijn sessies". Every signed-in session has a row here, named by
-- a random id kept in the session (scs, table sessions); a session whose row
-- is ended is signed out at its next request. device is the browser and
-- system in words ("Firefox op Windows"), network only the /24 (IPv4) or
-- /48 (IPv6) the sign-in came from: enough to recognise, not an address.
CREATE TABLE user_sessions (
    id           text PRIMARY KEY CHECK (length(id) = 32),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method       text NOT NULL CHECK (method IN ('password', 'password+totp', 'sso')),
    device       text NOT NULL DEFAULT '' CHECK (length(device) <= 100),
    network      text NOT NULL DEFAULT '' CHECK (length(network) <= 50),
    signed_in_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id, last_seen_at DESC);

-- The runtime role of issue 15.4 (migration 00033), when this installation
-- has it: the grant scheme of docs/operations.md.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions TO lekwacht_runtime;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE user_sessions;
