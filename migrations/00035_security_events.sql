-- +goose Up
-- Security events (issue 15.4): the audit log also records sign-ins, failed
-- sign-ins, sign-outs and every read of sensitive data, with the address the
-- request came from. A read of a case names the case, so that the FG can see
-- who viewed it ("Ingezien door"). The rows hold ids, never names or content.
ALTER TABLE audit_log ADD COLUMN address text NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN case_id bigint;
CREATE INDEX audit_log_case_idx ON audit_log (organisation_id, case_id, at) WHERE case_id IS NOT NULL;

-- +goose Down
DROP INDEX audit_log_case_idx;
ALTER TABLE audit_log DROP COLUMN case_id;
ALTER TABLE audit_log DROP COLUMN address;
