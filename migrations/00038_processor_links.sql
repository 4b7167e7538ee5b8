-- +goose Up
-- A processor's private report link (issue 12): a long random token, of
-- which only the hash is kept, shown once to who made it; revocable. At most
-- one link per processor is in force: a new one revokes the old.
CREATE TABLE processor_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    processor_id    bigint NOT NULL,
    token_hash      bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      bigint NOT NULL,
    revoked_at      timestamptz,
    revoked_by      bigint,
    FOREIGN KEY (organisation_id, processor_id) REFERENCES processors (organisation_id, id),
    FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, revoked_by) REFERENCES users (organisation_id, id),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE UNIQUE INDEX processor_links_token_key ON processor_links (token_hash);
CREATE UNIQUE INDEX processor_links_active_key ON processor_links (organisation_id, processor_id) WHERE revoked_at IS NULL;

-- +goose Down
DROP TABLE processor_links;
