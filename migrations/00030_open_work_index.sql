-- +goose Up
-- The start pages' work lists (issue 13) walk the open cases of an
-- organisation in the order of their 72 hours' start, a page of 50 at a time
-- (store.WorkPages). Closed cases, the bulk of a register, are not in the
-- index; status, school and technician are carried in it so that finding a
-- page's cases and counting each list read the index alone.
CREATE INDEX cases_open_work_idx ON cases (organisation_id, clock_start, id)
    INCLUDE (status, school_id, technician_id) WHERE status <> 'closed';

-- +goose Down
DROP INDEX cases_open_work_idx;
