-- +goose Up
-- Processors (verwerkers): suppliers that receive personal data from the
-- school, with the breach agreements seed 000 asks for ("Afspraken met
-- leveranciers"): how the parties inform each other (also in weekends and
-- holidays), who notifies the AP, what the processor supplies and within how
-- many hours, who communicates with the users. Per organisation.
CREATE TABLE processors (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    processes       text NOT NULL CHECK (length(processes) > 0),
    breach_contact  text NOT NULL CHECK (length(breach_contact) > 0),
    how_inform      text NOT NULL CHECK (length(how_inform) > 0),
    off_hours       text NOT NULL CHECK (length(off_hours) > 0),
    ap_notifier     text NOT NULL CHECK (ap_notifier IN ('school', 'processor')),
    information     text NOT NULL CHECK (length(information) > 0),
    delivery_hours  integer NOT NULL CHECK (delivery_hours BETWEEN 1 AND 168),
    communicator    text NOT NULL CHECK (communicator IN ('school', 'processor')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    updated_by      bigint NOT NULL,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX processors_org_name_key ON processors (organisation_id, lower(name));

-- The processor where a case's breach happened (one per case), linked by the
-- desk (step 2) or the officer (step 3), and when it was informed: its
-- information is due delivery_hours later, until delivered_at is recorded.
-- The composite keys keep a case and its processor in one organisation.
CREATE TABLE case_processors (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    processor_id    bigint NOT NULL,
    informed_at     timestamptz NOT NULL,
    linked_at       timestamptz NOT NULL,
    linked_by       bigint NOT NULL,
    delivered_at    timestamptz,
    delivered_by    bigint,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, processor_id) REFERENCES processors (organisation_id, id),
    FOREIGN KEY (organisation_id, linked_by) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, delivered_by) REFERENCES users (organisation_id, id),
    CHECK ((delivered_at IS NULL) = (delivered_by IS NULL))
);
CREATE INDEX case_processors_processor_idx ON case_processors (organisation_id, processor_id);
-- The reminder job looks for deliveries still awaited.
CREATE INDEX case_processors_awaited_idx ON case_processors (informed_at) WHERE delivered_at IS NULL;

-- +goose Down
DROP TABLE case_processors;
DROP TABLE processors;
