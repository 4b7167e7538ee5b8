-- +goose Up
-- Step 7 by mail (issue 10.4): each recipient gets the letter for its reader.
-- parent: the parent or guardian of a student under 16 (seed 000 step 7);
-- student: a student of 16 or over, at their own address (the list gave a
-- birth date); self: anyone else at their own address (staff, parents as data
-- subjects). Recipients listed before were either sent to a parent or not.
ALTER TABLE case_subject_recipients
    ADD COLUMN audience text NOT NULL DEFAULT 'self' CHECK (audience IN ('parent', 'student', 'self'));
UPDATE case_subject_recipients SET audience = 'parent' WHERE to_parent;

-- +goose Down
ALTER TABLE case_subject_recipients DROP COLUMN audience;
