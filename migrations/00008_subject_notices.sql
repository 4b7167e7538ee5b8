-- +goose Up
-- Step 7, Informeren betrokkenen: the notice to the data subjects, drafted by
-- the officer, approved by the board or the officer, and the moment it was
-- sent (seed 000 step 7 and "Communicatie"; seed 001 "Wat te melden aan de
-- betrokkenen?"). One notice per case. The parts are kept beside the letter
-- (body) so the register shows what the notice said on each point.
CREATE TABLE case_subject_notices (
    organisation_id    bigint NOT NULL,
    case_id            bigint NOT NULL,
    channel            text NOT NULL CHECK (channel IN ('individual', 'public')),
    public_reason      text NOT NULL DEFAULT '',
    recipient_groups   text[] NOT NULL CHECK (cardinality(recipient_groups) > 0
                           AND recipient_groups <@ ARRAY['parents_under_16', 'students', 'parents', 'staff', 'others']::text[]),
    recipients_count   integer CHECK (recipients_count > 0),
    subject            text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body               text NOT NULL CHECK (length(body) > 0),
    nature             text NOT NULL CHECK (length(nature) > 0),
    consequences       text NOT NULL DEFAULT '',
    measures_taken     text NOT NULL CHECK (length(measures_taken) > 0),
    measures_recipient text NOT NULL CHECK (length(measures_recipient) > 0),
    officer_contact    text NOT NULL CHECK (length(officer_contact) > 0),
    school_contact     text NOT NULL CHECK (length(school_contact) > 0),
    signature          text NOT NULL DEFAULT '',
    drafted_at         timestamptz NOT NULL,
    drafted_by         bigint NOT NULL,
    approved_at        timestamptz,
    approved_by        bigint,
    sent_at            timestamptz,
    sent_by            bigint,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, drafted_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, approved_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, sent_by) REFERENCES users (organisation_id, id),
    CHECK ((approved_at IS NULL) = (approved_by IS NULL)),
    CHECK ((sent_at IS NULL) = (sent_by IS NULL)),
    -- Only an approved notice can be sent.
    CHECK (sent_at IS NULL OR approved_at IS NOT NULL)
);

-- +goose Down
DROP TABLE case_subject_notices;
