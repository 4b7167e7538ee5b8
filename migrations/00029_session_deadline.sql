-- +goose Up
-- A session keeps its absolute deadline beside its expiry (issue 13), so the
-- session store can renew the idle expiry with one statement, at most once a
-- minute, instead of scs rewriting the whole session on every page view:
-- expiry = least(deadline, last renewal + idle timeout). A row without a
-- deadline (written before this migration, or by another store) is never
-- renewed: it ends at its expiry.
ALTER TABLE sessions ADD COLUMN deadline timestamptz;

-- +goose Down
ALTER TABLE sessions DROP COLUMN deadline;
