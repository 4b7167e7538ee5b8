-- +goose Up
-- Exceptions are revisited (issue 9 point 5, seed 001 "Uitzonderingen"): when
-- the data subjects are not informed because the data were unintelligible or
-- measures removed the risk, the FG reviews that ground periodically. Each
-- organisation sets the period (default twelve months).
ALTER TABLE organisations
    ADD COLUMN exception_review_months integer NOT NULL DEFAULT 12
        CHECK (exception_review_months BETWEEN 1 AND 60);

-- One review per case: the exception in force and when it is due next.
-- ended_at is set when the ground no longer holds, or when a new decision no
-- longer relies on it; the row stays for the record.
CREATE TABLE case_exception_reviews (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    exception       text NOT NULL CHECK (exception IN ('unintelligible', 'mitigated')),
    due_at          timestamptz NOT NULL,
    started_at      timestamptz NOT NULL,
    reviewed_at     timestamptz,
    reviewed_by     bigint,
    ended_at        timestamptz,
    end_reason      text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, reviewed_by) REFERENCES users (organisation_id, id)
);
-- The reminder scan and the register's "herbeoordeling verlopen".
CREATE INDEX case_exception_reviews_due_idx ON case_exception_reviews (due_at) WHERE ended_at IS NULL;

-- Decisions taken before this migration that rely on such an exception get
-- their first review a period after the decision.
INSERT INTO case_exception_reviews (organisation_id, case_id, exception, due_at, started_at)
SELECT a.organisation_id, a.case_id, a.subjects_exception,
       a.decided_at + make_interval(months => o.exception_review_months), a.decided_at
FROM case_assessments a JOIN organisations o ON o.id = a.organisation_id
WHERE a.subjects_exception IN ('unintelligible', 'mitigated') AND NOT a.notify_subjects;

-- +goose Down
DROP TABLE case_exception_reviews;
ALTER TABLE organisations DROP COLUMN exception_review_months;
