-- +goose Up
-- What was once recorded and then changed stays readable (issue 9.3): the
-- desk's inventory (step 2), the technician's repair (step 4) and the notice
-- to the data subjects (step 7) keep every recorded state as a version. The
-- step's own table stays the current state; each save that changes what it
-- says adds the row as it now stands (to_jsonb of the step's row, so a
-- column added later is kept too, and jsonb_populate_record reads it back
-- as that table's row) as the record's next version. Versions are history:
-- never changed, never removed (case_history_is_append_only, 00020).
CREATE TABLE case_record_versions (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    record          text NOT NULL CHECK (record IN ('inventory', 'repair', 'subjects_notice')),
    version         integer NOT NULL CHECK (version > 0),
    data            jsonb NOT NULL,
    PRIMARY KEY (organisation_id, case_id, record, version),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);
CREATE TRIGGER case_record_versions_append_only BEFORE UPDATE OR DELETE ON case_record_versions
    FOR EACH ROW EXECUTE FUNCTION case_history_is_append_only();

-- What is recorded now is version 1.
INSERT INTO case_record_versions (organisation_id, case_id, record, version, data)
SELECT organisation_id, case_id, 'inventory', 1, to_jsonb(i) FROM case_inventories i;
INSERT INTO case_record_versions (organisation_id, case_id, record, version, data)
SELECT organisation_id, case_id, 'repair', 1, to_jsonb(r) FROM case_repairs r;
INSERT INTO case_record_versions (organisation_id, case_id, record, version, data)
SELECT organisation_id, case_id, 'subjects_notice', 1, to_jsonb(s) FROM case_subject_notices s;

-- +goose Down
DROP TABLE case_record_versions;
