-- +goose Up
CREATE TABLE organisations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

CREATE TABLE schools (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, id)
);
CREATE UNIQUE INDEX schools_name_key ON schools (organisation_id, lower(name));

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    email           text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash   text,
    active          boolean NOT NULL DEFAULT true,
    -- auth_version changes whenever roles or password change; a session that
    -- carries an older version gets a fresh token on its next request.
    auth_version    integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, id)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A role row with school_id NULL holds for every school of the organisation.
CREATE TABLE user_roles (
    user_id         bigint NOT NULL,
    organisation_id bigint NOT NULL,
    role            text NOT NULL CHECK (role IN ('desk', 'officer', 'technician', 'board', 'admin')),
    school_id       bigint,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, school_id) REFERENCES schools (organisation_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_roles_all_key ON user_roles (user_id, role) WHERE school_id IS NULL;
CREATE UNIQUE INDEX user_roles_school_key ON user_roles (user_id, role, school_id) WHERE school_id IS NOT NULL;

CREATE TABLE password_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_id);

-- Failed sign-ins, keyed by a hash of the lower-cased email so the table holds
-- no addresses; read to slow down guessing, shared by every app server.
CREATE TABLE signin_failures (
    key_hash bytea NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX signin_failures_key_idx ON signin_failures (key_hash, at);

-- The scs session store (github.com/alexedwards/scs/pgxstore).
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE case_counters (
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL,
    last            integer NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

CREATE TABLE cases (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations (id),
    year             integer NOT NULL,
    seq              integer NOT NULL,
    school_id        bigint,
    reporter_id      bigint NOT NULL,
    submission_key   uuid NOT NULL,
    status           text NOT NULL DEFAULT 'new',
    reported_at      timestamptz NOT NULL,
    -- what the reporter told (step 1, Ontdekken)
    what_happened    text NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 10000),
    occurred_from    timestamptz,
    occurred_until   timestamptz,
    discovered_at    timestamptz,
    carriers         text[] NOT NULL DEFAULT '{}',
    systems          text NOT NULL DEFAULT '',
    personal_data    text NOT NULL CHECK (personal_data IN ('yes', 'no', 'unknown')),
    data_kinds       text[] NOT NULL DEFAULT '{}',
    subjects_estimate integer CHECK (subjects_estimate >= 0),
    subject_groups   text[] NOT NULL DEFAULT '{}',
    ongoing          text NOT NULL CHECK (ongoing IN ('yes', 'no', 'unknown')),
    actions_taken    text NOT NULL DEFAULT '',
    contact_phone    text NOT NULL DEFAULT '',
    contact_note     text NOT NULL DEFAULT '',
    updated_at       timestamptz NOT NULL,
    UNIQUE (organisation_id, year, seq),
    UNIQUE (organisation_id, reporter_id, submission_key),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, school_id) REFERENCES schools (organisation_id, id),
    FOREIGN KEY (organisation_id, reporter_id) REFERENCES users (organisation_id, id),
    CHECK (occurred_until IS NULL OR occurred_from IS NULL OR occurred_until >= occurred_from)
);
CREATE INDEX cases_org_status_idx ON cases (organisation_id, status, reported_at DESC);
CREATE INDEX cases_reporter_idx ON cases (reporter_id, reported_at DESC);

-- The timeline: one row for every change to a case, written in the same
-- transaction as the change itself.
CREATE TABLE case_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    at              timestamptz NOT NULL,
    actor_id        bigint,
    kind            text NOT NULL,
    summary         text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}',
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, actor_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX case_events_case_idx ON case_events (case_id, at, id);

-- Changes to accounts, roles and schools: who did what, when.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    at              timestamptz NOT NULL,
    actor_id        bigint REFERENCES users (id),
    action          text NOT NULL,
    subject_id      bigint,
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_org_idx ON audit_log (organisation_id, at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE case_counters;
DROP TABLE sessions;
DROP TABLE signin_failures;
DROP TABLE password_tokens;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE schools;
DROP TABLE organisations;
