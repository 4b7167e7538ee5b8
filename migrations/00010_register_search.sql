-- +goose Up
-- The register's text search (Dutch full-text search) over the report and
-- the inventory; the expressions are those of store.Register.
CREATE INDEX cases_register_search_idx ON cases
    USING gin (to_tsvector('dutch', what_happened || ' ' || systems || ' ' || actions_taken));
CREATE INDEX case_inventories_register_search_idx ON case_inventories
    USING gin (to_tsvector('dutch', summary || ' ' || sensitive_note || ' ' || chain_note));
-- Newest first with keyset pagination per organisation.
CREATE INDEX cases_register_order_idx ON cases (organisation_id, reported_at DESC, id DESC);

-- +goose Down
DROP INDEX cases_register_order_idx;
DROP INDEX case_inventories_register_search_idx;
DROP INDEX cases_register_search_idx;
