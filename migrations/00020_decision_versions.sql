-- +goose Up
-- Step 3: no decision is ever overwritten (issue 9.3). Every saved assessment
-- (facts, advice, decision, reasons, exception used, who, when) is a version
-- of its own in case_assessment_versions, which is only ever added to; from
-- version 2 on it says why it departs from the one before (change_reason).
-- case_assessments stays the current version, one row per case, so every
-- query that reads "the decision" (register, reminders, analysis) reads one
-- row per case as before; its version says which one it is, and the register
-- marks a case whose version is above 1. A version number taken twice (two
-- saves at once) violates the primary key: the second save is a conflict.
CREATE TABLE case_assessment_versions (
    organisation_id    bigint NOT NULL,
    case_id            bigint NOT NULL,
    version            integer NOT NULL CHECK (version > 0),
    facts              jsonb NOT NULL,
    advice             jsonb NOT NULL,
    consequences       text NOT NULL DEFAULT '',
    breach             boolean NOT NULL,
    breach_reason      text NOT NULL DEFAULT '',
    notify_authority   boolean NOT NULL,
    authority_reason   text NOT NULL DEFAULT '',
    notify_subjects    boolean NOT NULL,
    subjects_reason    text NOT NULL DEFAULT '',
    subjects_channel   text NOT NULL DEFAULT 'none' CHECK (subjects_channel IN ('individual', 'public', 'none')),
    notice_plan        text NOT NULL DEFAULT '',
    subjects_exception text NOT NULL DEFAULT ''
        CHECK (subjects_exception IN ('', 'no_high_risk', 'unintelligible', 'mitigated', 'disproportionate_effort')),
    decided_at         timestamptz NOT NULL,
    decided_by         bigint NOT NULL,
    change_reason      text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, case_id, version),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, decided_by) REFERENCES users (organisation_id, id)
);

-- Versions are history: never changed, never removed.
-- +goose StatementBegin
CREATE FUNCTION case_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded version in % is never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER case_assessment_versions_append_only BEFORE UPDATE OR DELETE ON case_assessment_versions
    FOR EACH ROW EXECUTE FUNCTION case_history_is_append_only();

-- The current version of a case, and why it changed (empty for version 1).
ALTER TABLE case_assessments
    ADD COLUMN version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN change_reason text NOT NULL DEFAULT '';

-- Every decision recorded so far is version 1.
INSERT INTO case_assessment_versions (organisation_id, case_id, version, facts, advice, consequences, breach, breach_reason,
    notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel, notice_plan, subjects_exception,
    decided_at, decided_by)
SELECT organisation_id, case_id, 1, facts, advice, consequences, breach, breach_reason,
    notify_authority, authority_reason, notify_subjects, subjects_reason, subjects_channel, notice_plan, subjects_exception,
    decided_at, decided_by
FROM case_assessments;

-- +goose Down
ALTER TABLE case_assessments DROP COLUMN change_reason, DROP COLUMN version;
DROP TABLE case_assessment_versions;
DROP FUNCTION case_history_is_append_only();
