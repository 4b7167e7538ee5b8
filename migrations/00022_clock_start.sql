-- +goose Up
-- The one definition of the moment the 72 hours to notify the AP start
-- (issue 9.1; seed 000: "binnen 72 uur na ontdekking"): the moment of
-- awareness the FG set with a reason, earlier or later, when there is one;
-- else the reporter's "Wanneer ontdekte u het?", never later than the report
-- itself (least() ignores a NULL); else the report's own time. Every query,
-- list, reminder, export and the analysis reads this column; none repeats
-- the expression. Existing cases get the new basis as the column is added.
ALTER TABLE cases ADD COLUMN clock_start timestamptz NOT NULL
    GENERATED ALWAYS AS (coalesce(aware_at, least(discovered_at, reported_at))) STORED;

-- The work lists order by it, per organisation.
CREATE INDEX cases_clock_start_idx ON cases (organisation_id, clock_start, id);

-- +goose Down
DROP INDEX cases_clock_start_idx;
ALTER TABLE cases DROP COLUMN clock_start;
