-- +goose Up
-- Contact details that the AP's form and the letters need (issue 10.3):
-- address, phone, e-mail and website of the organisation (the school board)
-- and of each school, the school's BRIN (DUO: two digits and two letters),
-- the organisation's KvK number (eight digits) and the contact details of
-- its FG. The administrator keeps them; '' is "not filled in yet", which the
-- AP overview and the letters mark where it is needed. The service
-- normalises every value (internal/contact); the checks below are the last
-- line against a value that would print wrongly in a letter.
ALTER TABLE organisations
    ADD COLUMN street   text NOT NULL DEFAULT '' CHECK (length(street) <= 200),
    ADD COLUMN postcode text NOT NULL DEFAULT '' CHECK (postcode = '' OR postcode ~ '^[1-9][0-9]{3} [A-Z]{2}$'),
    ADD COLUMN city     text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    ADD COLUMN phone    text NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    ADD COLUMN email    text NOT NULL DEFAULT '' CHECK (email = lower(email) AND length(email) <= 254),
    ADD COLUMN website  text NOT NULL DEFAULT '' CHECK (length(website) <= 300),
    ADD COLUMN kvk      text NOT NULL DEFAULT '' CHECK (kvk = '' OR kvk ~ '^[0-9]{8}$'),
    ADD COLUMN fg_name  text NOT NULL DEFAULT '' CHECK (length(fg_name) <= 200),
    ADD COLUMN fg_email text NOT NULL DEFAULT '' CHECK (fg_email = lower(fg_email) AND length(fg_email) <= 254),
    ADD COLUMN fg_phone text NOT NULL DEFAULT '' CHECK (length(fg_phone) <= 30);

ALTER TABLE schools
    ADD COLUMN street   text NOT NULL DEFAULT '' CHECK (length(street) <= 200),
    ADD COLUMN postcode text NOT NULL DEFAULT '' CHECK (postcode = '' OR postcode ~ '^[1-9][0-9]{3} [A-Z]{2}$'),
    ADD COLUMN city     text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    ADD COLUMN phone    text NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    ADD COLUMN email    text NOT NULL DEFAULT '' CHECK (email = lower(email) AND length(email) <= 254),
    ADD COLUMN website  text NOT NULL DEFAULT '' CHECK (length(website) <= 300),
    ADD COLUMN brin     text NOT NULL DEFAULT '' CHECK (brin = '' OR brin ~ '^[0-9]{2}[A-Z]{2}$');

-- +goose Down
ALTER TABLE schools
    DROP COLUMN brin,
    DROP COLUMN website,
    DROP COLUMN email,
    DROP COLUMN phone,
    DROP COLUMN city,
    DROP COLUMN postcode,
    DROP COLUMN street;

ALTER TABLE organisations
    DROP COLUMN fg_phone,
    DROP COLUMN fg_email,
    DROP COLUMN fg_name,
    DROP COLUMN kvk,
    DROP COLUMN website,
    DROP COLUMN email,
    DROP COLUMN phone,
    DROP COLUMN city,
    DROP COLUMN postcode,
    DROP COLUMN street;
