-- +goose Up
-- Retention reaches the recorded versions too (issue 15.5): the append-only
-- history of decisions and records (00020, 00021) may be changed by the
-- retention job alone, which sets lekwacht.retention for its transaction
-- (SET LOCAL). Nothing may ever be deleted from it.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('lekwacht.retention', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a recorded version in % is never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION case_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded version in % is never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
