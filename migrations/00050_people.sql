-- +goose Up
-- One person, several organisations (issue 11.3). A person signs in once,
-- with one e-mail address, one password, one second factor and one list of
-- sessions; a row of users is that person's membership of one organisation,
-- with its own name, roles, school limits and active flag. Everything an
-- organisation's cases point at (reporter, actor, technician, …) stays a
-- membership, so every foreign key (organisation_id, user_id) and every
-- tenant filter holds as before: a person acting in organisation B acts as
-- their membership of B and can reach nothing of A.
--
-- The e-mail address is the person's (unique per person); users keeps a
-- copy that the foreign key (person_id, email) keeps equal (ON UPDATE
-- CASCADE), so the queries that address mail read it where they did. The
-- stand-in reporter of outside reports (00037) is no person.
--
-- Person numbers start at 100001, so that a person's id can never pass for a
-- membership's in code or tests.
--
-- home_organisation_id is the organisation that made the person: only its
-- administrators may send a password link or reset the second factor (an
-- administrator of B must not take over what signs the person in to A).
-- last_user_id is the membership the person worked in last: the next
-- sign-in lands there.
CREATE TABLE people (
    id                   bigint GENERATED ALWAYS AS IDENTITY (START WITH 100001) PRIMARY KEY,
    email                text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    password_hash        text,
    session_epoch        integer NOT NULL DEFAULT 0,
    home_organisation_id bigint NOT NULL REFERENCES organisations (id),
    last_user_id         bigint,
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, email)
);
CREATE UNIQUE INDEX people_email_key ON people (email);

-- A migration run by a non-superuser owner passes row-level security so.
SELECT set_config('lekwacht.system', 'on', true);

INSERT INTO people (email, password_hash, session_epoch, home_organisation_id, last_user_id, created_at)
SELECT email, password_hash, session_epoch, organisation_id, id, created_at
FROM users WHERE NOT stand_in ORDER BY id;

ALTER TABLE users ADD COLUMN person_id bigint;
UPDATE users u SET person_id = p.id FROM people p WHERE p.email = u.email AND NOT u.stand_in;
ALTER TABLE users
    ADD CONSTRAINT users_person_fk FOREIGN KEY (person_id, email) REFERENCES people (id, email) ON UPDATE CASCADE,
    ADD CONSTRAINT users_person_check CHECK (stand_in OR person_id IS NOT NULL);
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_person_key ON users (person_id, organisation_id);
CREATE UNIQUE INDEX users_email_key ON users (organisation_id, email);
ALTER TABLE people ADD CONSTRAINT people_last_user_fk FOREIGN KEY (last_user_id) REFERENCES users (id) ON DELETE SET NULL;

ALTER TABLE users DROP COLUMN password_hash, DROP COLUMN session_epoch;

-- The second factor, recovery codes and sessions are the person's.
ALTER TABLE user_totp ADD COLUMN person_id bigint REFERENCES people (id) ON DELETE CASCADE;
UPDATE user_totp t SET person_id = u.person_id FROM users u WHERE u.id = t.user_id;
DROP POLICY tenant_isolation ON user_totp;
ALTER TABLE user_totp DROP COLUMN user_id, ALTER COLUMN person_id SET NOT NULL, ADD PRIMARY KEY (person_id);

ALTER TABLE recovery_codes ADD COLUMN person_id bigint REFERENCES people (id) ON DELETE CASCADE;
UPDATE recovery_codes c SET person_id = u.person_id FROM users u WHERE u.id = c.user_id;
DROP POLICY tenant_isolation ON recovery_codes;
ALTER TABLE recovery_codes DROP COLUMN user_id, ALTER COLUMN person_id SET NOT NULL, ADD PRIMARY KEY (person_id, code_hash);

ALTER TABLE user_sessions ADD COLUMN person_id bigint REFERENCES people (id) ON DELETE CASCADE;
UPDATE user_sessions s SET person_id = u.person_id FROM users u WHERE u.id = s.user_id;
DROP POLICY tenant_isolation ON user_sessions;
ALTER TABLE user_sessions DROP COLUMN user_id, ALTER COLUMN person_id SET NOT NULL;
CREATE INDEX user_sessions_person_idx ON user_sessions (person_id, last_seen_at DESC);

-- Row-level security: a person is seen in an organisation they are a
-- member of (through users, whose policy applies) or that made them; their
-- second factor and sessions likewise. An administrator of B so sees the
-- e-mail address of their member, never which other organisations the
-- person belongs to: those are rows of users under A's policy.
ALTER TABLE people ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON people
    USING ((SELECT lekwacht_system()) OR home_organisation_id = (SELECT lekwacht_organisation())
           OR EXISTS (SELECT FROM users u WHERE u.person_id = people.id));
CREATE POLICY tenant_isolation ON user_totp
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.person_id = user_totp.person_id));
CREATE POLICY tenant_isolation ON recovery_codes
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.person_id = recovery_codes.person_id));
CREATE POLICY tenant_isolation ON user_sessions
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.person_id = user_sessions.person_id));

-- The runtime role of issue 15.4, when this installation has it.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON people TO lekwacht_runtime;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
SELECT set_config('lekwacht.system', 'on', true);
DROP POLICY tenant_isolation ON people;
ALTER TABLE users ADD COLUMN password_hash text, ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
UPDATE users u SET password_hash = p.password_hash, session_epoch = p.session_epoch
FROM people p WHERE p.id = u.person_id AND p.last_user_id = u.id;

DROP POLICY tenant_isolation ON user_sessions;
ALTER TABLE user_sessions ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;
UPDATE user_sessions s SET user_id = p.last_user_id FROM people p WHERE p.id = s.person_id;
DELETE FROM user_sessions WHERE user_id IS NULL;
ALTER TABLE user_sessions DROP COLUMN person_id, ALTER COLUMN user_id SET NOT NULL;
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id, last_seen_at DESC);
CREATE POLICY tenant_isolation ON user_sessions
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = user_sessions.user_id));

DROP POLICY tenant_isolation ON recovery_codes;
ALTER TABLE recovery_codes ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;
UPDATE recovery_codes c SET user_id = p.last_user_id FROM people p WHERE p.id = c.person_id;
DELETE FROM recovery_codes WHERE user_id IS NULL;
ALTER TABLE recovery_codes DROP CONSTRAINT recovery_codes_pkey, DROP COLUMN person_id,
    ALTER COLUMN user_id SET NOT NULL, ADD PRIMARY KEY (user_id, code_hash);
CREATE POLICY tenant_isolation ON recovery_codes
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = recovery_codes.user_id));

DROP POLICY tenant_isolation ON user_totp;
ALTER TABLE user_totp ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;
UPDATE user_totp t SET user_id = p.last_user_id FROM people p WHERE p.id = t.person_id;
DELETE FROM user_totp WHERE user_id IS NULL;
ALTER TABLE user_totp DROP CONSTRAINT user_totp_pkey, DROP COLUMN person_id,
    ALTER COLUMN user_id SET NOT NULL, ADD PRIMARY KEY (user_id);
CREATE POLICY tenant_isolation ON user_totp
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = user_totp.user_id));

ALTER TABLE people DROP CONSTRAINT people_last_user_fk;
DROP INDEX users_email_key;
DROP INDEX users_person_key;
ALTER TABLE users DROP CONSTRAINT users_person_check, DROP CONSTRAINT users_person_fk, DROP COLUMN person_id;
CREATE UNIQUE INDEX users_email_key ON users (email);
DROP TABLE people;
