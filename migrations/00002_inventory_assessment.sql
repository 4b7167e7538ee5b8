-- +goose Up
-- Workflow columns on the case: who repairs it, from when the 72 hours run,
-- and how it ended when it was closed without being a breach.
ALTER TABLE cases
    ADD COLUMN technician_id  bigint,
    ADD COLUMN aware_at       timestamptz,
    ADD COLUMN aware_reason   text NOT NULL DEFAULT '',
    ADD COLUMN outcome        text CHECK (outcome IN ('no_incident', 'no_personal_data', 'no_breach', 'breach')),
    ADD COLUMN outcome_reason text NOT NULL DEFAULT '',
    ADD COLUMN closed_at      timestamptz,
    ADD CONSTRAINT cases_technician_fk FOREIGN KEY (organisation_id, technician_id) REFERENCES users (organisation_id, id),
    ADD CONSTRAINT cases_status_check CHECK (status IN ('new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed'));
CREATE INDEX cases_technician_idx ON cases (technician_id) WHERE technician_id IS NOT NULL;

-- Step 2, Inventariseren: the facts as the desk records them (seed 000 step 2).
CREATE TABLE case_inventories (
    organisation_id   bigint NOT NULL,
    case_id           bigint NOT NULL,
    summary           text NOT NULL DEFAULT '',
    sensitive         text NOT NULL DEFAULT 'unknown' CHECK (sensitive IN ('yes', 'no', 'unknown')),
    sensitive_note    text NOT NULL DEFAULT '',
    period_from       timestamptz,
    period_until      timestamptz,
    nature            text NOT NULL DEFAULT '',
    breach_suspected  text NOT NULL DEFAULT 'unknown' CHECK (breach_suspected IN ('yes', 'no', 'unknown')),
    subject_groups    text NOT NULL DEFAULT '',
    subject_count     integer CHECK (subject_count >= 0),
    data_types        text[] NOT NULL DEFAULT '{}',
    chain_shared      text NOT NULL DEFAULT 'unknown' CHECK (chain_shared IN ('yes', 'no', 'unknown')),
    chain_note        text NOT NULL DEFAULT '',
    updated_at        timestamptz NOT NULL,
    updated_by        bigint NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);

-- Follow-up questions of the desk to the reporter or a technician, and their answers.
CREATE TABLE case_questions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    asked_by        bigint NOT NULL,
    addressee_id    bigint NOT NULL,
    question        text NOT NULL CHECK (length(question) BETWEEN 1 AND 5000),
    asked_at        timestamptz NOT NULL,
    answer          text,
    answered_at     timestamptz,
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, asked_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, addressee_id) REFERENCES users (organisation_id, id),
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX case_questions_case_idx ON case_questions (organisation_id, case_id, asked_at);
CREATE INDEX case_questions_open_idx ON case_questions (addressee_id) WHERE answered_at IS NULL;

-- Step 3, Beoordelen: the facts the officer established, Lekwacht's advice on
-- them, and the officer's decision with reasons, stored apart so the register
-- shows where the officer deviated from the advice.
CREATE TABLE case_assessments (
    organisation_id   bigint NOT NULL,
    case_id           bigint NOT NULL,
    facts             jsonb NOT NULL,
    advice            jsonb NOT NULL,
    consequences      text NOT NULL DEFAULT '',
    breach            boolean NOT NULL,
    breach_reason     text NOT NULL DEFAULT '',
    notify_authority  boolean NOT NULL,
    authority_reason  text NOT NULL DEFAULT '',
    notify_subjects   boolean NOT NULL,
    subjects_reason   text NOT NULL DEFAULT '',
    subjects_channel  text NOT NULL DEFAULT 'none' CHECK (subjects_channel IN ('individual', 'public', 'none')),
    notice_plan       text NOT NULL DEFAULT '',
    decided_at        timestamptz NOT NULL,
    decided_by        bigint NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by) REFERENCES users (organisation_id, id)
);

-- +goose Down
DROP TABLE case_assessments;
DROP TABLE case_questions;
DROP TABLE case_inventories;
DROP INDEX cases_technician_idx;
ALTER TABLE cases
    DROP CONSTRAINT cases_status_check,
    DROP CONSTRAINT cases_technician_fk,
    DROP COLUMN closed_at,
    DROP COLUMN outcome_reason,
    DROP COLUMN outcome,
    DROP COLUMN aware_reason,
    DROP COLUMN aware_at,
    DROP COLUMN technician_id;
