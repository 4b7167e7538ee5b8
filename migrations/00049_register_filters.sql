-- +goose Up
-- The register's "verstreken" filter at a million cases (issue 13). Instead
-- of probing the notification, decision and notice of every open case for
-- each page, every case stores what its running deadlines count from:
--
--   deadline_passes_at  the moment the 72 hours (steps new up to and
--                       including notification, the AP not notified:
--                       clock_start + 72 hours) or the week to inform the
--                       data subjects (step informing, no notice sent: seven
--                       days at the same Amsterdam wall-clock time after the
--                       AP notification, else after the decision) passes;
--                       NULL when neither runs;
--   filing_decided_at   the decision to notify the AP while its two working
--                       days run (step notification, not notified): the
--                       working days need the holiday calendar, so the
--                       filter compares it with the cutoff the service
--                       computes (Incidents.filingCutoff); NULL otherwise.
--
-- A case is overdue at now when deadline_passes_at < now or
-- filing_decided_at < the cutoff: exactly the conditions the filter used to
-- evaluate over the steps' rows (store.registerIDs). The triggers below keep
-- both true in the same transaction, whatever writes the change (a use case,
-- the import, the retention job, a test): the case's step and the start of
-- its 72 hours, the AP notification, the decision, the notice to the data
-- subjects.
--
-- The register's text search at a million cases (issue 13): a common word
-- (one case in twenty) used to gather all its matches from the GIN indexes
-- over every organisation, read each from the heap and sort them. Now each
-- case carries both texts as stored tsvectors (search_case, generated from
-- the report; search_inventory, the desk's inventory, kept by a trigger), so
-- the planner can walk the register's order and check each case (a common
-- word: 51 matches within about a thousand cases), or, for a rare word, take
-- the matches of this organisation alone from GIN indexes that start with
-- organisation_id (btree_gin). The expressions are those of migration 00010,
-- word for word: the search finds exactly what it found.
CREATE EXTENSION btree_gin;
-- Replaced by the indexes on the stored columns below (dropped first: the
-- backfill need not maintain them).
DROP INDEX cases_register_search_idx;
DROP INDEX case_inventories_register_search_idx;

ALTER TABLE cases ADD COLUMN deadline_passes_at timestamptz, ADD COLUMN filing_decided_at timestamptz,
    ADD COLUMN search_inventory tsvector;

-- The one definition of both moments from the case and its steps' rows.
-- security_invoker: read with the rights (and row-level security) of whoever
-- writes the change.
CREATE VIEW case_register_deadlines WITH (security_invoker = true) AS
SELECT x.organisation_id, x.id,
    CASE
        WHEN x.status IN ('new', 'inventory', 'confirmation', 'assessment', 'notification') AND n.case_id IS NULL
            THEN x.clock_start + interval '72 hours'
        WHEN x.status = 'informing' AND sn.sent_at IS NULL
            THEN ((coalesce(n.sent_at, a.decided_at) AT TIME ZONE 'Europe/Amsterdam') + interval '7 days') AT TIME ZONE 'Europe/Amsterdam'
    END AS passes_at,
    CASE WHEN x.status = 'notification' AND n.case_id IS NULL AND a.notify_authority THEN a.decided_at END AS filing_from
FROM cases x
LEFT JOIN case_notifications n ON n.organisation_id = x.organisation_id AND n.case_id = x.id AND n.kind = 'initial'
LEFT JOIN case_assessments a ON a.organisation_id = x.organisation_id AND a.case_id = x.id
LEFT JOIN case_subject_notices sn ON sn.organisation_id = x.organisation_id AND sn.case_id = x.id;

-- +goose StatementBegin
CREATE FUNCTION case_register_deadlines_refresh(org bigint, cid bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE cases c SET deadline_passes_at = d.passes_at, filing_decided_at = d.filing_from
    FROM case_register_deadlines d
    WHERE d.organisation_id = org AND d.id = cid AND c.organisation_id = org AND c.id = cid
      AND (c.deadline_passes_at IS DISTINCT FROM d.passes_at OR c.filing_decided_at IS DISTINCT FROM d.filing_from);
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION case_register_deadlines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'cases' THEN
        PERFORM case_register_deadlines_refresh(NEW.organisation_id, NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM case_register_deadlines_refresh(OLD.organisation_id, OLD.case_id);
    ELSE
        PERFORM case_register_deadlines_refresh(NEW.organisation_id, NEW.case_id);
        IF TG_OP = 'UPDATE' AND (OLD.organisation_id, OLD.case_id) IS DISTINCT FROM (NEW.organisation_id, NEW.case_id) THEN
            PERFORM case_register_deadlines_refresh(OLD.organisation_id, OLD.case_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- AFTER triggers: clock_start is a generated column, which a BEFORE trigger
-- does not see yet. The refresh's own UPDATE sets neither of the columns
-- these triggers watch, so it does not fire them again. (A closed case has
-- no running deadline: an imported case is inserted closed and left NULL.)
CREATE TRIGGER cases_register_deadlines_insert AFTER INSERT ON cases
    FOR EACH ROW WHEN (NEW.status <> 'closed') EXECUTE FUNCTION case_register_deadlines_changed();
CREATE TRIGGER cases_register_deadlines_update AFTER UPDATE OF status, aware_at, discovered_at, reported_at ON cases
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.clock_start IS DISTINCT FROM NEW.clock_start)
    EXECUTE FUNCTION case_register_deadlines_changed();
CREATE TRIGGER case_notifications_register_deadlines AFTER INSERT OR DELETE OR UPDATE OF organisation_id, case_id, kind, sent_at ON case_notifications
    FOR EACH ROW EXECUTE FUNCTION case_register_deadlines_changed();
CREATE TRIGGER case_assessments_register_deadlines AFTER INSERT OR DELETE OR UPDATE OF organisation_id, case_id, decided_at, notify_authority ON case_assessments
    FOR EACH ROW EXECUTE FUNCTION case_register_deadlines_changed();
CREATE TRIGGER case_subject_notices_register_deadlines AFTER INSERT OR DELETE OR UPDATE OF organisation_id, case_id, sent_at ON case_subject_notices
    FOR EACH ROW EXECUTE FUNCTION case_register_deadlines_changed();

-- +goose StatementBegin
CREATE FUNCTION case_inventory_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE cases SET search_inventory = NULL WHERE organisation_id = OLD.organisation_id AND id = OLD.case_id;
    ELSE
        UPDATE cases SET search_inventory = to_tsvector('dutch', NEW.summary || ' ' || NEW.sensitive_note || ' ' || NEW.chain_note)
        WHERE organisation_id = NEW.organisation_id AND id = NEW.case_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER case_inventories_search AFTER INSERT OR DELETE OR UPDATE OF summary, sensitive_note, chain_note ON case_inventories
    FOR EACH ROW EXECUTE FUNCTION case_inventory_search_changed();

-- The existing cases, set-based, in one pass: the deadlines of the open
-- steps and the inventory's text.
UPDATE cases c SET deadline_passes_at = d.passes_at, filing_decided_at = d.filing_from,
    search_inventory = to_tsvector('dutch', i.summary || ' ' || i.sensitive_note || ' ' || i.chain_note)
FROM case_register_deadlines d
LEFT JOIN case_inventories i ON i.organisation_id = d.organisation_id AND i.case_id = d.id
WHERE c.organisation_id = d.organisation_id AND c.id = d.id AND (d.passes_at IS NOT NULL OR i.case_id IS NOT NULL);

-- The report's text, computed by PostgreSQL on every write (this rewrites
-- the table once, which also leaves no dead rows behind the backfill).
ALTER TABLE cases ADD COLUMN search_case tsvector
    GENERATED ALWAYS AS (to_tsvector('dutch', what_happened || ' ' || systems || ' ' || actions_taken)) STORED;

-- The filter walks the cases with a running deadline in the register's
-- default order, newest first, reading both moments from the index itself
-- (an index-only scan that stops at the page's end). organisation_id leads,
-- as in every index of a tenant table.
CREATE INDEX cases_register_overdue_idx ON cases (organisation_id, reported_at DESC, id DESC)
    INCLUDE (deadline_passes_at, filing_decided_at) WHERE deadline_passes_at IS NOT NULL;
CREATE INDEX cases_search_case_idx ON cases USING gin (organisation_id, search_case);
CREATE INDEX cases_search_inventory_idx ON cases USING gin (organisation_id, search_inventory);

-- +goose Down
DROP INDEX cases_search_inventory_idx;
DROP INDEX cases_search_case_idx;
DROP INDEX cases_register_overdue_idx;
ALTER TABLE cases DROP COLUMN search_case;
DROP TRIGGER case_inventories_search ON case_inventories;
DROP FUNCTION case_inventory_search_changed();
DROP TRIGGER case_subject_notices_register_deadlines ON case_subject_notices;
DROP TRIGGER case_assessments_register_deadlines ON case_assessments;
DROP TRIGGER case_notifications_register_deadlines ON case_notifications;
DROP TRIGGER cases_register_deadlines_update ON cases;
DROP TRIGGER cases_register_deadlines_insert ON cases;
DROP FUNCTION case_register_deadlines_changed();
DROP FUNCTION case_register_deadlines_refresh(bigint, bigint);
DROP VIEW case_register_deadlines;
ALTER TABLE cases DROP COLUMN search_inventory, DROP COLUMN filing_decided_at, DROP COLUMN deadline_passes_at;
CREATE INDEX case_inventories_register_search_idx ON case_inventories
    USING gin (to_tsvector('dutch', summary || ' ' || sensitive_note || ' ' || chain_note));
CREATE INDEX cases_register_search_idx ON cases
    USING gin (to_tsvector('dutch', what_happened || ' ' || systems || ' ' || actions_taken));
DROP EXTENSION btree_gin;
