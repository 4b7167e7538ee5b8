-- +goose Up
-- Step 7 by mail (issue 5): the approved notice to the data subjects sent
-- from Lekwacht to an uploaded list. Each recipient keeps a name, the line
-- of the list, and the mail of the outbox that carries the notice to them:
-- its status is the delivery status. The address is here only until the
-- mail is written to the outbox (then the outbox holds it, until delivery is
-- final, and erases it): nowhere for longer than delivery needs.
CREATE TABLE case_subject_recipients (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    line            integer NOT NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    email           text,
    to_parent       boolean NOT NULL,
    mail_id         bigint REFERENCES mail_messages (id),
    uploaded_at     timestamptz NOT NULL,
    uploaded_by     bigint NOT NULL,
    FOREIGN KEY (organisation_id, case_id) REFERENCES case_subject_notices (organisation_id, case_id),
    FOREIGN KEY (organisation_id, uploaded_by) REFERENCES users (organisation_id, id),
    -- Before sending it has an address and no mail; after, a mail and no address.
    CHECK ((email IS NULL) = (mail_id IS NOT NULL))
);
CREATE INDEX case_subject_recipients_case_idx ON case_subject_recipients (organisation_id, case_id, line);

-- The notice as sent by mail, archived in the case: the exact subject and
-- bodies every recipient received.
CREATE TABLE case_subject_mailings (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    recipients      integer NOT NULL CHECK (recipients > 0),
    sent_at         timestamptz NOT NULL,
    sent_by         bigint NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES case_subject_notices (organisation_id, case_id),
    FOREIGN KEY (organisation_id, sent_by) REFERENCES users (organisation_id, id)
);

-- +goose Down
DROP TABLE case_subject_mailings;
DROP TABLE case_subject_recipients;
