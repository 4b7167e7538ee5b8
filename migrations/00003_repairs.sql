-- +goose Up
-- Step 4, Repareren: what the technician found and did (seed 000 step 4).
CREATE TABLE case_repairs (
    organisation_id           bigint NOT NULL,
    case_id                   bigint NOT NULL,
    cause                     text NOT NULL DEFAULT '',
    technical_incidental      text NOT NULL DEFAULT '',
    technical_structural      text NOT NULL DEFAULT '',
    organisational_incidental text NOT NULL DEFAULT '',
    organisational_structural text NOT NULL DEFAULT '',
    unintelligible            text NOT NULL DEFAULT 'unknown' CHECK (unintelligible IN ('yes', 'no', 'unknown')),
    unintelligible_how        text NOT NULL DEFAULT '',
    completed                 boolean NOT NULL DEFAULT false,
    updated_at                timestamptz NOT NULL,
    updated_by                bigint NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);

-- +goose Down
DROP TABLE case_repairs;
