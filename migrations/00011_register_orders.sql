-- +goose Up
-- The register's orders (store.RegisterSort), each with an index that serves
-- keyset pagination in both directions: by case number, by step in the
-- protocol's order, and by last change. Newest first by report time has its
-- index already (00010).
CREATE FUNCTION case_step_order(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed'], status);
CREATE INDEX cases_register_step_idx ON cases (organisation_id, case_step_order(status), reported_at, id);
CREATE INDEX cases_register_updated_idx ON cases (organisation_id, updated_at, id);
-- The year and seq order uses the unique key cases (organisation_id, year, seq).
-- The filter "notified to the AP" and the timeline per case of the export.
CREATE INDEX case_events_register_idx ON case_events (organisation_id, case_id, at, id);

-- +goose Down
DROP INDEX case_events_register_idx;
DROP INDEX cases_register_updated_idx;
DROP INDEX cases_register_step_idx;
DROP FUNCTION case_step_order(text);
