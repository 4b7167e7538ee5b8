-- +goose Up
-- Issue 11: single sign-on with OpenID Connect, per organisation. The client
-- secret is stored encrypted (AES-256-GCM with LEKWACHT_SECRET_KEY; nonce
-- and ciphertext), never as text. An e-mail domain belongs to one provider
-- in the whole installation: sign-in does not ask for the organisation.
CREATE TABLE sso_providers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    issuer          text NOT NULL CHECK (length(issuer) BETWEEN 8 AND 500),
    client_id       text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
    client_secret   bytea NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (organisation_id, id)
);

CREATE TABLE sso_domains (
    domain          text PRIMARY KEY CHECK (domain = lower(domain) AND length(domain) BETWEEN 3 AND 253),
    organisation_id bigint NOT NULL,
    provider_id     bigint NOT NULL,
    FOREIGN KEY (organisation_id, provider_id) REFERENCES sso_providers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX sso_domains_provider_idx ON sso_domains (provider_id);

-- When sso_required, the organisation's users sign in through their
-- provider only; passwords are refused, except for the one break-glass
-- administrator (for when the provider is down or misconfigured).
ALTER TABLE organisations ADD COLUMN sso_required boolean NOT NULL DEFAULT false;
ALTER TABLE organisations ADD COLUMN sso_break_glass_id bigint;
ALTER TABLE organisations ADD CONSTRAINT organisations_break_glass_fk
    FOREIGN KEY (id, sso_break_glass_id) REFERENCES users (organisation_id, id);
ALTER TABLE organisations ADD CONSTRAINT organisations_sso_required_check
    CHECK (NOT sso_required OR sso_break_glass_id IS NOT NULL);

-- The runtime role of issue 15.4 (migration 00033), when this installation
-- has it: the grant scheme of docs/operations.md.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON sso_providers TO lekwacht_runtime;
        GRANT SELECT, INSERT, UPDATE, DELETE ON sso_domains TO lekwacht_runtime;
        GRANT USAGE, SELECT ON SEQUENCE sso_providers_id_seq TO lekwacht_runtime;
    END IF;
END
$$;
-- +goose StatementEnd

-- Row-level security of issue 15.4 (migration 00034), when this
-- installation has it: both tables carry organisation_id.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_proc WHERE proname = 'lekwacht_organisation')
       AND EXISTS (SELECT FROM pg_proc WHERE proname = 'lekwacht_system') THEN
        ALTER TABLE sso_providers ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON sso_providers
            USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));
        ALTER TABLE sso_domains ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON sso_domains
            USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP POLICY IF EXISTS tenant_isolation ON sso_domains;
DROP POLICY IF EXISTS tenant_isolation ON sso_providers;
ALTER TABLE organisations DROP CONSTRAINT organisations_sso_required_check;
ALTER TABLE organisations DROP CONSTRAINT organisations_break_glass_fk;
ALTER TABLE organisations DROP COLUMN sso_break_glass_id;
ALTER TABLE organisations DROP COLUMN sso_required;
DROP TABLE sso_domains;
DROP TABLE sso_providers;
