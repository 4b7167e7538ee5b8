-- +goose Up
-- Reminders at scale (issue 13): the deadline scan reads only the cases that
-- have a reminder due, not every open case. case_reminder_checks holds, per
-- case, the next moment its reminders must be looked at: the next threshold
-- not yet dealt with, computed by the scan (which knows the working-day
-- calendar), or -infinity ("look at once") when something the deadlines
-- depend on changed. A case with nothing left to remind of has no row. The
-- triggers below keep the second half true whatever writes the change (a use
-- case, the import, the retention job, a test): the scan can never miss a
-- case that changed.
CREATE TABLE case_reminder_checks (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    check_at        timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX case_reminder_checks_due_idx ON case_reminder_checks (check_at, case_id);

INSERT INTO case_reminder_checks (organisation_id, case_id, check_at)
SELECT organisation_id, id, '-infinity' FROM cases WHERE status <> 'closed';

-- +goose StatementBegin
CREATE FUNCTION case_reminders_recheck() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    org  bigint;
    cid  bigint;
BEGIN
    IF TG_TABLE_NAME = 'cases' THEN
        org := NEW.organisation_id; cid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        org := OLD.organisation_id; cid := OLD.case_id;
    ELSE
        org := NEW.organisation_id; cid := NEW.case_id;
    END IF;
    -- Through cases: a row of a case being deleted adds nothing.
    INSERT INTO case_reminder_checks (organisation_id, case_id, check_at)
    SELECT c.organisation_id, c.id, '-infinity' FROM cases c WHERE c.organisation_id = org AND c.id = cid
    ON CONFLICT (organisation_id, case_id) DO UPDATE SET check_at = '-infinity';
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION processor_reminders_recheck() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_reminder_checks (organisation_id, case_id, check_at)
    SELECT cp.organisation_id, cp.case_id, '-infinity' FROM case_processors cp
    WHERE cp.organisation_id = NEW.organisation_id AND cp.processor_id = NEW.id AND cp.delivered_at IS NULL
    ON CONFLICT (organisation_id, case_id) DO UPDATE SET check_at = '-infinity';
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- What the deadlines of reminders.go depend on: the step and the start of
-- the 72 hours, the desk's view of a breach, the decision, the AP
-- notification, the notice to data subjects, the processor's delivery.
-- (An imported case is closed from the start: nothing to remind of.)
CREATE TRIGGER cases_reminders_insert AFTER INSERT ON cases
    FOR EACH ROW WHEN (NEW.status <> 'closed') EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER cases_reminders_update AFTER UPDATE OF status, aware_at, discovered_at, reported_at ON cases
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.aware_at IS DISTINCT FROM NEW.aware_at
        OR OLD.discovered_at IS DISTINCT FROM NEW.discovered_at OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
    EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER case_inventories_reminders AFTER INSERT OR DELETE OR UPDATE OF breach_suspected ON case_inventories
    FOR EACH ROW EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER case_assessments_reminders AFTER INSERT OR DELETE OR UPDATE OF decided_at, notify_authority ON case_assessments
    FOR EACH ROW EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER case_notifications_reminders AFTER INSERT OR DELETE OR UPDATE OF kind, sent_at ON case_notifications
    FOR EACH ROW EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER case_subject_notices_reminders AFTER INSERT OR DELETE OR UPDATE OF sent_at ON case_subject_notices
    FOR EACH ROW EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER case_processors_reminders AFTER INSERT OR DELETE OR UPDATE OF processor_id, informed_at, delivered_at ON case_processors
    FOR EACH ROW EXECUTE FUNCTION case_reminders_recheck();
CREATE TRIGGER processors_reminders AFTER UPDATE OF delivery_hours ON processors
    FOR EACH ROW WHEN (OLD.delivery_hours IS DISTINCT FROM NEW.delivery_hours)
    EXECUTE FUNCTION processor_reminders_recheck();

-- The outbox without an SMTP server (issue 13): a mail waits in the outbox
-- with no job on the queue (in_job_queue false); a server with an SMTP
-- server puts the waiting ones on the queue in batches. Mails written before
-- this migration have their job.
ALTER TABLE mail_messages ADD COLUMN in_job_queue boolean NOT NULL DEFAULT true;
ALTER TABLE mail_messages ALTER COLUMN in_job_queue SET DEFAULT false;
CREATE INDEX mail_messages_waiting_idx ON mail_messages (id) WHERE status = 'queued' AND NOT in_job_queue;

-- +goose Down
DROP INDEX mail_messages_waiting_idx;
ALTER TABLE mail_messages DROP COLUMN in_job_queue;
DROP TRIGGER processors_reminders ON processors;
DROP TRIGGER case_processors_reminders ON case_processors;
DROP TRIGGER case_subject_notices_reminders ON case_subject_notices;
DROP TRIGGER case_notifications_reminders ON case_notifications;
DROP TRIGGER case_assessments_reminders ON case_assessments;
DROP TRIGGER case_inventories_reminders ON case_inventories;
DROP TRIGGER cases_reminders_update ON cases;
DROP TRIGGER cases_reminders_insert ON cases;
DROP FUNCTION processor_reminders_recheck();
DROP FUNCTION case_reminders_recheck();
DROP TABLE case_reminder_checks;
