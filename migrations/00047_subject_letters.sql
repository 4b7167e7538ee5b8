-- +goose Up
-- Step 7 (issue 10.4): the letters to the data subjects, one per reader, as
-- the officer edits them before approval, and the texts beside them: the
-- public notice for the school's website or a newspaper (seed 001, exception
-- iii: individual notice would take disproportionate effort) and the press
-- statement for the board (seed 000 "Communicatie": for a large breach, with
-- the board). Lekwacht drafts each text from the recorded facts; a row exists
-- once the officer saved a text, or when the notice was approved (the drafts
-- shown then are kept, so what is mailed is what was approved).
--   parent:  parents or guardians of students under 16
--   student: students of 16 and over
--   staff:   staff (and anyone else at their own address)
--   public:  the public notice
--   press:   the press statement
-- edited_by is NULL for Lekwacht's own draft kept at approval.
CREATE TABLE case_letters (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('parent', 'student', 'staff', 'public', 'press')),
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    edited_at       timestamptz NOT NULL,
    edited_by       bigint,
    PRIMARY KEY (organisation_id, case_id, kind),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, edited_by) REFERENCES users (organisation_id, id)
);

-- Row-level security (issue 15.4, migration 00045); the runtime role's
-- grants come from 00044's default privileges.
ALTER TABLE case_letters ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_letters
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

-- +goose Down
DROP TABLE case_letters;
