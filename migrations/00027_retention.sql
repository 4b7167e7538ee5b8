-- +goose Up
-- Retention (issue 15.5): each organisation says after how many years the
-- personal data in a closed case are removed; the register entry stays, in
-- anonymised form. anonymised_at marks a case whose personal data are gone
-- (the periodic retention job sets it once; docs/security.md lists the
-- columns it clears).
ALTER TABLE organisations
    ADD COLUMN retention_years integer NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 30);
ALTER TABLE cases ADD COLUMN anonymised_at timestamptz,
    ADD CONSTRAINT cases_anonymised_closed CHECK (anonymised_at IS NULL OR status = 'closed');
-- The job looks for closed cases whose personal data are still there.
CREATE INDEX cases_retention_idx ON cases (closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;
-- and for unused import uploads.
CREATE INDEX register_imports_unused_idx ON register_imports (uploaded_at) WHERE imported_at IS NULL;

-- +goose Down
DROP INDEX register_imports_unused_idx;
DROP INDEX cases_retention_idx;
ALTER TABLE cases DROP CONSTRAINT cases_anonymised_closed, DROP COLUMN anonymised_at;
ALTER TABLE organisations DROP COLUMN retention_years;
