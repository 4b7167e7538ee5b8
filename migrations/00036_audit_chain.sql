-- +goose Up
-- A tamper-evident trail (issue 15.4). The timeline (case_events) and the
-- security log (audit_log) are hash chains, one of each per organisation:
-- every row stores content_hash, a SHA-256 over its own fields, and
-- chain_hash = sha256(previous row's chain_hash || content_hash), with its
-- place in the chain (chain_seq, 1, 2, …). The chain's head (the last seq and
-- hash) lives in audit_chain_heads. A BEFORE INSERT trigger computes all of it
-- in the transaction of the change, with no extra round trip; it takes the
-- head's row lock (UPDATE … RETURNING), so rows join the chain in commit order
-- and a rolled-back change leaves no gap. `lekwacht audit verify` recomputes
-- every chain and names the first row that does not fit.
--
-- Retention: the timeline's free text (summary, details) is hashed apart as
-- text_hash, and content_hash covers the fixed fields and that text_hash.
-- Purging a row replaces its text but keeps text_hash, content_hash and the
-- chain, so an anonymised case still verifies: only the purged text can no
-- longer be checked, everything else (id, case, time, actor, kind) still is.
CREATE TABLE audit_chain_heads (
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    chain           text NOT NULL CHECK (chain IN ('timeline', 'security')),
    seq             bigint NOT NULL DEFAULT 0,
    hash            bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
    PRIMARY KEY (organisation_id, chain)
);

ALTER TABLE case_events
    ADD COLUMN chain_seq bigint,
    ADD COLUMN text_hash bytea,
    ADD COLUMN content_hash bytea,
    ADD COLUMN chain_hash bytea,
    ADD COLUMN purged_at timestamptz;
ALTER TABLE audit_log
    ADD COLUMN chain_seq bigint,
    ADD COLUMN content_hash bytea,
    ADD COLUMN chain_hash bytea;

-- The canonical forms. A timestamp is hashed as microseconds since the epoch
-- (not as text, which depends on the session's time zone); the rest as a
-- JSON array, whose text PostgreSQL writes the same way for the same values.
-- +goose StatementBegin
CREATE FUNCTION case_event_text_hash(summary text, details jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(jsonb_build_array(summary, details)::text, 'UTF8'))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION case_event_content_hash(id bigint, organisation_id bigint, case_id bigint, at timestamptz,
                                        actor_id bigint, kind text, text_hash bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(jsonb_build_array('case_events', id, organisation_id, case_id,
        (extract(epoch FROM at) * 1000000)::bigint, actor_id, kind, encode(text_hash, 'hex'))::text, 'UTF8'))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION audit_log_content_hash(id bigint, organisation_id bigint, at timestamptz, actor_id bigint,
                                       action text, subject_id bigint, details jsonb, address text, case_id bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(jsonb_build_array('audit_log', id, organisation_id,
        (extract(epoch FROM at) * 1000000)::bigint, actor_id, action, subject_id, details, address, case_id)::text, 'UTF8'))
$$;
-- +goose StatementEnd

-- Moves an organisation's chain on by one row and returns the row's place
-- and chain hash. Only the owner may call it (through the triggers, which run
-- as the owner): the runtime role can neither move a head nor write one.
-- +goose StatementBegin
CREATE FUNCTION audit_chain_append(p_org bigint, p_chain text, p_content bytea, OUT o_seq bigint, OUT o_hash bytea)
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE audit_chain_heads h SET seq = h.seq + 1, hash = sha256(h.hash || p_content)
    WHERE h.organisation_id = p_org AND h.chain = p_chain
    RETURNING h.seq, h.hash INTO o_seq, o_hash;
    IF NOT FOUND THEN
        -- The organisation's first row in this chain.
        INSERT INTO audit_chain_heads (organisation_id, chain) VALUES (p_org, p_chain) ON CONFLICT DO NOTHING;
        UPDATE audit_chain_heads h SET seq = h.seq + 1, hash = sha256(h.hash || p_content)
        WHERE h.organisation_id = p_org AND h.chain = p_chain
        RETURNING h.seq, h.hash INTO o_seq, o_hash;
    END IF;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION audit_chain_append(bigint, text, bytea) FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION case_events_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.purged_at := NULL;
    NEW.text_hash := case_event_text_hash(NEW.summary, NEW.details);
    NEW.content_hash := case_event_content_hash(NEW.id, NEW.organisation_id, NEW.case_id, NEW.at,
                                                NEW.actor_id, NEW.kind, NEW.text_hash);
    SELECT o_seq, o_hash INTO NEW.chain_seq, NEW.chain_hash
    FROM audit_chain_append(NEW.organisation_id, 'timeline', NEW.content_hash);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.content_hash := audit_log_content_hash(NEW.id, NEW.organisation_id, NEW.at, NEW.actor_id, NEW.action,
                                               NEW.subject_id, NEW.details, NEW.address, NEW.case_id);
    SELECT o_seq, o_hash INTO NEW.chain_seq, NEW.chain_hash
    FROM audit_chain_append(NEW.organisation_id, 'security', NEW.content_hash);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION case_events_chain() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;

-- The retention job removes the free text of an anonymised case's timeline
-- through this function (the runtime role may not UPDATE case_events): the
-- summary becomes the marker, details keep only the step's action and
-- statuses; id, time, actor, kind and every hash stay. Only for a closed case
-- already marked anonymised, and each row once.
-- +goose StatementBegin
CREATE FUNCTION purge_case_events(p_org bigint, p_case bigint, p_marker text, p_at timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cases c WHERE c.organisation_id = p_org AND c.id = p_case
                   AND c.status = 'closed' AND c.anonymised_at IS NOT NULL) THEN
        RAISE EXCEPTION 'only the timeline of an anonymised closed case is purged' USING ERRCODE = 'restrict_violation';
    END IF;
    UPDATE case_events e SET summary = p_marker, purged_at = p_at,
        details = (SELECT coalesce(jsonb_object_agg(d.key, d.value), '{}'::jsonb)
                   FROM jsonb_each(e.details) d WHERE d.key IN ('action', 'from', 'to'))
    WHERE e.organisation_id = p_org AND e.case_id = p_case AND e.purged_at IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
-- +goose StatementEnd

-- Backfill: each organisation's existing rows join its chains in the order
-- they were inserted (id).
-- +goose StatementBegin
DO $$
DECLARE
    r record;
    cur bigint;
    h bytea;
    n bigint;
BEGIN
    cur := NULL;
    FOR r IN SELECT e.id, e.organisation_id, case_event_text_hash(e.summary, e.details) AS t FROM case_events e
             ORDER BY e.organisation_id, e.id LOOP
        IF cur IS DISTINCT FROM r.organisation_id THEN
            IF cur IS NOT NULL THEN
                INSERT INTO audit_chain_heads VALUES (cur, 'timeline', n, h);
            END IF;
            cur := r.organisation_id; n := 0; h := decode(repeat('00', 32), 'hex');
        END IF;
        n := n + 1;
        UPDATE case_events e SET chain_seq = n, text_hash = r.t,
            content_hash = case_event_content_hash(e.id, e.organisation_id, e.case_id, e.at, e.actor_id, e.kind, r.t)
        WHERE e.id = r.id RETURNING sha256(h || e.content_hash) INTO h;
        UPDATE case_events SET chain_hash = h WHERE id = r.id;
    END LOOP;
    IF cur IS NOT NULL THEN
        INSERT INTO audit_chain_heads VALUES (cur, 'timeline', n, h);
    END IF;

    cur := NULL;
    FOR r IN SELECT a.id, a.organisation_id FROM audit_log a ORDER BY a.organisation_id, a.id LOOP
        IF cur IS DISTINCT FROM r.organisation_id THEN
            IF cur IS NOT NULL THEN
                INSERT INTO audit_chain_heads VALUES (cur, 'security', n, h);
            END IF;
            cur := r.organisation_id; n := 0; h := decode(repeat('00', 32), 'hex');
        END IF;
        n := n + 1;
        UPDATE audit_log a SET chain_seq = n,
            content_hash = audit_log_content_hash(a.id, a.organisation_id, a.at, a.actor_id, a.action,
                                                  a.subject_id, a.details, a.address, a.case_id)
        WHERE a.id = r.id RETURNING sha256(h || a.content_hash) INTO h;
        UPDATE audit_log SET chain_hash = h WHERE id = r.id;
    END LOOP;
    IF cur IS NOT NULL THEN
        INSERT INTO audit_chain_heads VALUES (cur, 'security', n, h);
    END IF;
END
$$;
-- +goose StatementEnd

ALTER TABLE case_events
    ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN text_hash SET NOT NULL,
    ALTER COLUMN content_hash SET NOT NULL, ALTER COLUMN chain_hash SET NOT NULL,
    ADD CONSTRAINT case_events_chain_key UNIQUE (organisation_id, chain_seq);
ALTER TABLE audit_log
    ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN content_hash SET NOT NULL,
    ALTER COLUMN chain_hash SET NOT NULL,
    ADD CONSTRAINT audit_log_chain_key UNIQUE (organisation_id, chain_seq);

CREATE TRIGGER case_events_chain BEFORE INSERT ON case_events FOR EACH ROW EXECUTE FUNCTION case_events_chain();
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

REVOKE ALL ON FUNCTION purge_case_events(bigint, bigint, text, timestamptz) FROM PUBLIC;

-- The runtime role (migration 00033, docs/operations.md "Databaserollen")
-- reads the heads (the dossier shows them) and never writes them: only the
-- triggers, as the owner, do. It may purge an anonymised case's timeline
-- through the one function. Skipped where the role does not exist (a
-- database migrated without 00033).
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        GRANT SELECT ON audit_chain_heads TO lekwacht_runtime;
        GRANT EXECUTE ON FUNCTION purge_case_events(bigint, bigint, text, timestamptz) TO lekwacht_runtime;
    END IF;
    -- Row-level security as on every tenant table (migration 00034), where
    -- that migration ran.
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'lekwacht_organisation') THEN
        ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON audit_chain_heads
            USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_chain ON audit_log;
DROP TRIGGER case_events_chain ON case_events;
DROP FUNCTION purge_case_events(bigint, bigint, text, timestamptz);
DROP FUNCTION audit_log_chain();
DROP FUNCTION case_events_chain();
DROP FUNCTION audit_chain_append(bigint, text, bytea);
DROP FUNCTION audit_log_content_hash(bigint, bigint, timestamptz, bigint, text, bigint, jsonb, text, bigint);
DROP FUNCTION case_event_content_hash(bigint, bigint, bigint, timestamptz, bigint, text, bytea);
DROP FUNCTION case_event_text_hash(text, jsonb);
ALTER TABLE audit_log DROP CONSTRAINT audit_log_chain_key,
    DROP COLUMN chain_hash, DROP COLUMN content_hash, DROP COLUMN chain_seq;
ALTER TABLE case_events DROP CONSTRAINT case_events_chain_key,
    DROP COLUMN purged_at, DROP COLUMN chain_hash, DROP COLUMN content_hash, DROP COLUMN text_hash, DROP COLUMN chain_seq;
DROP TABLE audit_chain_heads;
