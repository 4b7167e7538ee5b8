-- +goose Up
-- The register's deadline filters (issue 13): "overdue" and "open" concern
-- only cases in a step whose deadline runs (new up to and including
-- informing); on a register of three years most cases are closed. This
-- index holds just those cases in the register's default order, so the
-- filter walks the open cases newest first instead of every case and the
-- joins of each (store.registerIDs adds the matching status condition).
CREATE INDEX cases_register_open_idx ON cases (organisation_id, reported_at DESC, id DESC)
    WHERE status IN ('new', 'inventory', 'confirmation', 'assessment', 'notification', 'informing');

-- +goose Down
DROP INDEX cases_register_open_idx;
