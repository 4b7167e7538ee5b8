-- +goose Up
-- The board's list of notices to data subjects waiting for its approval
-- (issue 13, store.WorkPages with NoticeToApprove): the few notices not yet
-- approved, by case. Without it the page and its total read every notice the
-- organisation ever drafted (approved ones stay), to find the few that wait.
CREATE INDEX case_subject_notices_to_approve_idx ON case_subject_notices (organisation_id, case_id)
    WHERE approved_at IS NULL;

-- +goose Down
DROP INDEX case_subject_notices_to_approve_idx;
