-- +goose Up
-- The half-year analysis (seed 000 "Monitoring"): the figures of a half year
-- beside the one before, kept as they were when saved (figures, a JSON
-- snapshot of incident.AnalysisFigures), with the conclusions and the
-- measures proposed to the board. A draft is edited by the desk and the
-- officer; once shared (vastgesteld) the board reads it and it no longer
-- changes. scope_all/scope_schools record whose cases were counted.
CREATE TABLE analysis_reports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    half            integer NOT NULL CHECK (half IN (1, 2)),
    scope_all       boolean NOT NULL,
    scope_schools   bigint[] NOT NULL DEFAULT '{}',
    figures         jsonb NOT NULL,
    conclusions     text NOT NULL DEFAULT '',
    proposals       text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'shared')),
    author_id       bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    saved_at        timestamptz NOT NULL,
    saved_by        bigint NOT NULL,
    shared_at       timestamptz,
    shared_by       bigint,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, author_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, saved_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, shared_by) REFERENCES users (organisation_id, id),
    CHECK ((status = 'shared') = (shared_at IS NOT NULL)),
    CHECK ((shared_at IS NULL) = (shared_by IS NULL)),
    CHECK (scope_all OR cardinality(scope_schools) > 0)
);
CREATE INDEX analysis_reports_org_idx ON analysis_reports (organisation_id, year DESC, half DESC, id DESC);

-- +goose Down
DROP TABLE analysis_reports;
