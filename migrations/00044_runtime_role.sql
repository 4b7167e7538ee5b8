-- +goose Up
-- The application's runtime role (issue 15.4). `lekwacht serve` (and demo,
-- user add) run every statement as lekwacht_runtime: its pool does SET ROLE
-- lekwacht_runtime on each new connection (store.AsRuntime), whatever login
-- role DATABASE_URL names, so that login role must be a member of it (GRANT
-- lekwacht_runtime TO <login role>; docs/operations.md "Databaserollen").
-- Migrations run as the owner (DATABASE_MIGRATE_URL, or DATABASE_URL in
-- development), which owns every table; lekwacht_runtime owns nothing, has
-- no CREATE on the schema, and so can neither alter nor drop a table.
--
-- What it may do: SELECT, INSERT, UPDATE, DELETE on the tables, except on the
-- history: the timeline (case_events) and the security log (audit_log) take
-- INSERT and SELECT only, the chain heads (audit_chain_heads, written by the
-- owner's SECURITY DEFINER triggers) SELECT only, the recorded versions
-- (case_assessment_versions, case_record_versions) no DELETE (retention
-- rewrites their text under their trigger's guard), goose's version table
-- SELECT only. Retention purges the timeline's text through the owner's
-- purge_case_events (00036), the one way to change a timeline row.
--
-- The role is created when it does not exist yet (a role belongs to the
-- whole cluster: the DBA may have created it, with the login role, before).
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
        BEGIN
            CREATE ROLE lekwacht_runtime NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created at the same moment for another database of the cluster
        END;
    END IF;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO lekwacht_runtime;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lekwacht_runtime;
REVOKE UPDATE, DELETE ON case_events, audit_log FROM lekwacht_runtime;
REVOKE INSERT, UPDATE, DELETE ON audit_chain_heads, goose_db_version FROM lekwacht_runtime;
REVOKE DELETE ON case_assessment_versions, case_record_versions FROM lekwacht_runtime;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO lekwacht_runtime;
REVOKE USAGE, SELECT ON SEQUENCE goose_db_version_id_seq FROM lekwacht_runtime;
GRANT EXECUTE ON FUNCTION purge_case_events(bigint, bigint, text, timestamptz) TO lekwacht_runtime;

-- Tables and sequences that later migrations create (as this same owner) get
-- the ordinary grants without each migration repeating them; a later
-- history table revokes what it must not allow, as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lekwacht_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO lekwacht_runtime;

-- +goose Down
-- The role itself stays: it belongs to the cluster, other databases and a
-- login role that is its member may use it. In this database it keeps no
-- right at all.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM lekwacht_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM lekwacht_runtime;
REVOKE EXECUTE ON FUNCTION purge_case_events(bigint, bigint, text, timestamptz) FROM lekwacht_runtime;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM lekwacht_runtime;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lekwacht_runtime;
REVOKE ALL ON SCHEMA public FROM lekwacht_runtime;
