-- +goose Up
-- Row-level security on every tenant table (issue 15.4): a second wall
-- behind the organisation filter in every query. A row is visible, and may
-- be written, only while the transaction's setting lekwacht.organisation
-- names its organisation, or while lekwacht.system is on (work across
-- organisations: store.System). A statement with neither sees no row, so a
-- query that forgets its filter returns nothing instead of another
-- organisation's breaches. The store sets the organisation per transaction
-- with set_config(…, true), in the round trip of the BEGIN or of the
-- statement (internal/store/scope.go).
--
-- FORCE: the policies hold for the owner too (not for a superuser, nor a
-- role with BYPASSRLS): a migration that changes rows as a non-superuser
-- owner sets lekwacht.system first. Tables with organisation_id compare it;
-- organisations compares its id; the tables of a user without the column
-- (password links, second factor, recovery codes, sessions) see their user
-- through users, whose policy then applies. Sessions of scs (no tenant), the
-- sign-in throttle (hashed keys), River's and goose's tables have none.
--
-- The two settings are read through functions, each called once per
-- statement as (SELECT …) (an InitPlan), so an index on organisation_id
-- still serves the comparison.
-- +goose StatementBegin
CREATE FUNCTION lekwacht_organisation() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT nullif(current_setting('lekwacht.organisation', true), '')::bigint
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION lekwacht_system() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('lekwacht.system', true) = 'on', false)
$$;
-- +goose StatementEnd

ALTER TABLE analysis_reports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON analysis_reports
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain_heads
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_assessment_versions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_assessment_versions
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_assessments ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_assessments
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_attachments ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_attachments
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_board_notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_board_notes
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_counters ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_counters
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_decision_drafts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_decision_drafts
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_events
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_exception_reviews ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_exception_reviews
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_imports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_imports
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_inventories ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_inventories
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_notifications ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_notifications
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_processors ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_processors
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_questions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_questions
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_record_versions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_record_versions
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_reminder_checks ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_reminder_checks
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_reminders ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_reminders
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_repairs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_repairs
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_sources ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_sources
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_subject_mailings ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_subject_mailings
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_subject_notices ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_subject_notices
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE case_subject_recipients ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_subject_recipients
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE cases ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cases
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE mail_messages ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mail_messages
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE processor_links ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON processor_links
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE processors ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON processors
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE public_pages ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON public_pages
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE public_report_attempts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON public_report_attempts
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE register_imports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_imports
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE schools ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON schools
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE sso_domains ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_domains
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE sso_providers ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_providers
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE user_messages ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_messages
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE user_roles ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_roles
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE users ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
    USING (organisation_id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organisations
    USING (id = (SELECT lekwacht_organisation()) OR (SELECT lekwacht_system()));

ALTER TABLE password_tokens ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON password_tokens
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = password_tokens.user_id));

ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recovery_codes
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = recovery_codes.user_id));

ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_sessions
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = user_sessions.user_id));

ALTER TABLE user_totp ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_totp
    USING ((SELECT lekwacht_system()) OR EXISTS (SELECT FROM users u WHERE u.id = user_totp.user_id));

-- +goose Down
DROP POLICY tenant_isolation ON users;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON user_roles;
ALTER TABLE user_roles NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON user_messages;
ALTER TABLE user_messages NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON sso_providers;
ALTER TABLE sso_providers NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON sso_domains;
ALTER TABLE sso_domains NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON schools;
ALTER TABLE schools NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON register_imports;
ALTER TABLE register_imports NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON public_report_attempts;
ALTER TABLE public_report_attempts NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON public_pages;
ALTER TABLE public_pages NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON processors;
ALTER TABLE processors NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON processor_links;
ALTER TABLE processor_links NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON mail_messages;
ALTER TABLE mail_messages NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON cases;
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_subject_recipients;
ALTER TABLE case_subject_recipients NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_subject_notices;
ALTER TABLE case_subject_notices NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_subject_mailings;
ALTER TABLE case_subject_mailings NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_sources;
ALTER TABLE case_sources NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_repairs;
ALTER TABLE case_repairs NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_reminders;
ALTER TABLE case_reminders NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_reminder_checks;
ALTER TABLE case_reminder_checks NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_record_versions;
ALTER TABLE case_record_versions NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_questions;
ALTER TABLE case_questions NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_processors;
ALTER TABLE case_processors NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_notifications;
ALTER TABLE case_notifications NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_inventories;
ALTER TABLE case_inventories NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_imports;
ALTER TABLE case_imports NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_exception_reviews;
ALTER TABLE case_exception_reviews NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_events;
ALTER TABLE case_events NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_decision_drafts;
ALTER TABLE case_decision_drafts NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_counters;
ALTER TABLE case_counters NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_board_notes;
ALTER TABLE case_board_notes NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_attachments;
ALTER TABLE case_attachments NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_assessments;
ALTER TABLE case_assessments NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON case_assessment_versions;
ALTER TABLE case_assessment_versions NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON audit_log;
ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON audit_chain_heads;
ALTER TABLE audit_chain_heads NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON analysis_reports;
ALTER TABLE analysis_reports NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON organisations;
ALTER TABLE organisations NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON user_totp;
ALTER TABLE user_totp NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON user_sessions;
ALTER TABLE user_sessions NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON recovery_codes;
ALTER TABLE recovery_codes NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON password_tokens;
ALTER TABLE password_tokens NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP FUNCTION lekwacht_system();
DROP FUNCTION lekwacht_organisation();
