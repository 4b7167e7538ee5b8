-- +goose Up
-- Reports from outside (issue 12): parents, pupils, suppliers and others
-- without an account report through the organisation's public page; the desk
-- enters a report on someone's behalf; a processor reports through its link.

-- A stand-in account per organisation is the reporter of such cases (the
-- column cases.reporter_id may not be empty). It is never active, has no
-- password and no roles, and the administrator's user list leaves it out.
ALTER TABLE users ADD COLUMN stand_in boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX users_stand_in_key ON users (organisation_id) WHERE stand_in;

-- The organisation's public report page /melden/{slug}: the slug the
-- administrator chose, and whether the page is on (off: it answers 404).
CREATE TABLE public_pages (
    organisation_id bigint PRIMARY KEY REFERENCES organisations (id),
    slug            text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
    enabled         boolean NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL,
    updated_by      bigint NOT NULL,
    FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX public_pages_slug_key ON public_pages (slug);

-- Where a case came from when it was not a staff member's own report: who
-- reported (their role, name and contact unless anonymous), through which
-- channel, who entered it (the desk), and the hash of the follow-up code the
-- outside reporter opens the status page with (the code itself is shown once).
CREATE TABLE case_sources (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('public', 'desk', 'processor')),
    reporter_role   text NOT NULL DEFAULT '' CHECK (reporter_role IN ('', 'parent', 'pupil', 'supplier', 'staff', 'other')),
    name            text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    email           text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    phone           text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    anonymous       boolean NOT NULL DEFAULT false,
    wants_contact   boolean NOT NULL DEFAULT false,
    channel         text NOT NULL DEFAULT '' CHECK (channel IN ('', 'web', 'phone', 'email', 'in_person', 'processor_link')),
    entered_by      bigint,
    followup_hash   bytea,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, entered_by) REFERENCES users (organisation_id, id),
    CHECK (NOT anonymous OR (name = '' AND email = '' AND phone = ''))
);
CREATE UNIQUE INDEX case_sources_followup_key ON case_sources (followup_hash) WHERE followup_hash IS NOT NULL;

-- Reports sent through a public page, for the rate limits per address and
-- per organisation: a hash of the address, never the address itself. Rows
-- older than a day are removed when a new report arrives.
CREATE TABLE public_report_attempts (
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    address_hash    bytea NOT NULL,
    at              timestamptz NOT NULL
);
CREATE INDEX public_report_attempts_org_idx ON public_report_attempts (organisation_id, at);
CREATE INDEX public_report_attempts_addr_idx ON public_report_attempts (address_hash, at);

-- +goose Down
DROP TABLE public_report_attempts;
DROP TABLE case_sources;
DROP TABLE public_pages;
DROP INDEX users_stand_in_key;
ALTER TABLE users DROP COLUMN stand_in;
