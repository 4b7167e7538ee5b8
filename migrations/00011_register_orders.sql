-- +goose Up
-- The register's orders (store.RegisterSort), each with an index that serves
-- keyset pagination in both directions: by step in the protocol's order and
-- by last change. Newest first by report time has its index already (00010);
-- the case number uses the unique key cases (organisation_id, year, seq).
CREATE FUNCTION case_step_order(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['new', 'inventory', 'assessment', 'notification', 'informing', 'recording', 'closed'], status);
CREATE INDEX cases_register_step_idx ON cases (organisation_id, case_step_order(status), reported_at, id);
CREATE INDEX cases_register_updated_idx ON cases (organisation_id, updated_at, id);
-- The filter on one school, newest first.
CREATE INDEX cases_register_school_idx ON cases (organisation_id, school_id, reported_at, id);

-- +goose Down
DROP INDEX cases_register_school_idx;
DROP INDEX cases_register_updated_idx;
DROP INDEX cases_register_step_idx;
DROP FUNCTION case_step_order(text);
