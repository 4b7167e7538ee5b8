-- +goose Up
-- Issue 9.4: only the officer decides that something is not a breach. A
-- report that may involve personal data, closed by the desk as no breach,
-- waits in its own status for the officer's confirmation.
ALTER TABLE cases DROP CONSTRAINT cases_status_check,
    ADD CONSTRAINT cases_status_check CHECK (status IN ('new', 'inventory', 'confirmation', 'assessment', 'notification', 'informing', 'recording', 'closed'));
-- The register's order by step knows the new status (its index is built on the function).
DROP INDEX cases_register_step_idx;
CREATE OR REPLACE FUNCTION case_step_order(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['new', 'inventory', 'confirmation', 'assessment', 'notification', 'informing', 'recording', 'closed'], status);
CREATE INDEX cases_register_step_idx ON cases (organisation_id, case_step_order(status), reported_at, id);
-- The board's notes: informed before the AP notification (step 5), or its
-- view recorded during the assessment (step 3), before the officer decides.
ALTER TABLE case_board_notes
    ADD COLUMN kind text NOT NULL DEFAULT 'informed' CHECK (kind IN ('informed', 'view'));

-- +goose Down
ALTER TABLE case_board_notes DROP COLUMN kind;
DROP INDEX cases_register_step_idx;
CREATE OR REPLACE FUNCTION case_step_order(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed'], status);
CREATE INDEX cases_register_step_idx ON cases (organisation_id, case_step_order(status), reported_at, id);
-- A case waiting for the officer's confirmation goes back to the desk.
UPDATE cases SET status = 'inventory' WHERE status = 'confirmation';
ALTER TABLE cases DROP CONSTRAINT cases_status_check,
    ADD CONSTRAINT cases_status_check CHECK (status IN ('new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed'));
