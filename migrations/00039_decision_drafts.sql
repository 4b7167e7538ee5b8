-- +goose Up
-- Step 3's page as the officer left it (issue 10.1): the facts entered and the
-- choices and reasons typed so far, saved with "Advies berekenen" and "Advies
-- overnemen", so that a reload or a second visit loses nothing. A draft is
-- the officer's scratch work, not a decision: it is not part of the register
-- and has no versions. Recording the decision removes it in the same
-- transaction; one row per case.
CREATE TABLE case_decision_drafts (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    form            jsonb NOT NULL,
    saved_at        timestamptz NOT NULL,
    saved_by        bigint NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, saved_by) REFERENCES users (organisation_id, id)
);

-- +goose Down
DROP TABLE case_decision_drafts;
