-- +goose Up
-- Step 3, Beoordelen: the ground on which the officer does not inform the
-- data subjects individually: no high risk, or an exception of GDPR art.
-- 34(3) (seed 001 "Uitzonderingen"; disproportionate effort means a public
-- notice instead). Kept apart from the free-text reason so that the register
-- can list every exception relied on, and the officer can revisit it when it
-- stops holding (encryption broken years later). Empty: the data subjects
-- are informed individually, or the case is no breach.
ALTER TABLE case_assessments
    ADD COLUMN subjects_exception text NOT NULL DEFAULT ''
        CHECK (subjects_exception IN ('', 'no_high_risk', 'unintelligible', 'mitigated', 'disproportionate_effort'));

-- +goose Down
ALTER TABLE case_assessments DROP COLUMN subjects_exception;
