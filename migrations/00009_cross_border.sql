-- +goose Up
-- Step 2: are data subjects in other EU countries involved? The AP's form asks.
ALTER TABLE case_inventories
    ADD COLUMN cross_border text NOT NULL DEFAULT 'unknown' CHECK (cross_border IN ('yes', 'no', 'unknown'));

-- +goose Down
ALTER TABLE case_inventories DROP COLUMN cross_border;
