-- +goose Up
-- Attachments on a case: evidence, the AP's confirmation, the notice to data
-- subjects, letters. The content lives here, behind the same authorisation
-- as the case; lists select every column but data. content_type is what
-- Lekwacht detected from the content, never what the browser claimed.
CREATE TABLE case_attachments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('evidence', 'ap_confirmation', 'subjects_notice', 'letter', 'other')),
    filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type    text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 200),
    size            integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256          bytea NOT NULL CHECK (length(sha256) = 32),
    data            bytea NOT NULL,
    uploaded_at     timestamptz NOT NULL,
    uploaded_by     bigint NOT NULL,
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, uploaded_by) REFERENCES users (organisation_id, id),
    CHECK (octet_length(data) = size)
);
-- PDFs, images and Office files are compressed already: store them out of
-- line without trying to compress them again.
ALTER TABLE case_attachments ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX case_attachments_case_idx ON case_attachments (organisation_id, case_id, uploaded_at, id);

-- +goose Down
DROP TABLE case_attachments;
