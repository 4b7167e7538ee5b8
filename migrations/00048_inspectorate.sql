-- +goose Up
-- The Inspectie van het Onderwijs (issue 10.4): when a breach concerns test or
-- exam results, the school also informs the Inspectie. The FG records whether
-- and when that was done, or why it was not needed; the register shows it.
-- One row per case, overwritten by a new record; every record is in the
-- timeline (case_events), so no earlier answer is lost.
CREATE TABLE case_inspectorate (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    informed        boolean NOT NULL,
    informed_on     date,
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    recorded_by     bigint NOT NULL,
    recorded_at     timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id),
    CHECK (informed = (informed_on IS NOT NULL)),
    CHECK (informed OR reason <> '')
);

-- Row-level security (issue 15.4, migration 00045); the runtime role's
-- grants come from 00044's default privileges.
ALTER TABLE case_inspectorate ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_inspectorate
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

-- +goose Down
DROP TABLE case_inspectorate;
