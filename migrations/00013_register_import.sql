-- +goose Up
-- Importing an existing datalekregister from Excel (issue 4). An upload is
-- kept here between the steps (upload, mapping, preview, import) so that any
-- app server can serve the next step; only its uploader uses it. The file
-- itself is dropped once imported (each case keeps its original row) and
-- uploads never imported are deleted after a day.
CREATE TABLE register_imports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL,
    uploaded_by     bigint NOT NULL,
    uploaded_at     timestamptz NOT NULL,
    filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    size            integer NOT NULL CHECK (size > 0),
    sha256          bytea NOT NULL CHECK (length(sha256) = 32),
    data            bytea,
    -- The sheet and the column mapping chosen (one field per column, "" for
    -- columns not imported); empty until the mapping page is saved.
    sheet           text NOT NULL DEFAULT '',
    mapping         jsonb NOT NULL DEFAULT '[]',
    imported_at     timestamptz,
    imported_count  integer CHECK (imported_count >= 0),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, uploaded_by) REFERENCES users (organisation_id, id),
    CHECK (data IS NOT NULL OR imported_at IS NOT NULL),
    CHECK ((imported_at IS NULL) = (imported_count IS NULL))
);
ALTER TABLE register_imports ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX register_imports_org_idx ON register_imports (organisation_id, uploaded_at);

-- A case that came from an imported register: where it came from, every
-- original cell of its row (header and value, in column order), and the
-- reporter's name as the sheet gave it (not a user). row_key is a hash of
-- the row's normalised cells: the same row imported twice is refused.
CREATE TABLE case_imports (
    organisation_id bigint NOT NULL,
    case_id         bigint NOT NULL,
    import_id       bigint NOT NULL,
    sheet           text NOT NULL,
    row_number      integer NOT NULL CHECK (row_number > 0),
    row_key         text NOT NULL CHECK (length(row_key) = 64),
    original        jsonb NOT NULL,
    reporter_name   text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, case_id),
    UNIQUE (organisation_id, row_key),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, import_id) REFERENCES register_imports (organisation_id, id)
);
CREATE INDEX case_imports_import_idx ON case_imports (organisation_id, import_id);

-- +goose Down
DROP TABLE case_imports;
DROP TABLE register_imports;
