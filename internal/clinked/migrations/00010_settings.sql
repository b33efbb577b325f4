-- +goose Up
-- Clinked account settings and group configuration: account settings
-- (branding, iframes, password strength, profile fields, SSO, storage,
-- custom e-mail, DocuSign, Adobe; the custom domain is clinked_accounts.domain)
-- as one JSON value per (account, setting); properties and announcements of accounts (group_id 0)
-- and groups; account labels and the groups they are attached to; incoming
-- mail recipients. Ids come from standin_counters ("clinked.label",
-- "clinked.mail_recipient").
CREATE TABLE clinked_account_settings (
    ns         TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    name       TEXT NOT NULL,     -- branding, iframes, sso, custom_email, …
    value      TEXT NOT NULL,     -- JSON
    PRIMARY KEY (ns, account_id, name)
);

CREATE TABLE clinked_properties (
    ns         TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,   -- 0: an account property
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (ns, account_id, group_id, name)
);

CREATE TABLE clinked_announcements (
    ns         TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,   -- 0: an account announcement
    id         TEXT NOT NULL,     -- '': the main announcement
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    colour     TEXT NOT NULL,
    propagate  BOOLEAN NOT NULL DEFAULT FALSE,
    inherit    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (ns, account_id, group_id, id)
);

CREATE TABLE clinked_labels (
    ns         TEXT NOT NULL,
    id         BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (ns, id)
);

CREATE TABLE clinked_group_labels (
    ns       TEXT NOT NULL,
    group_id BIGINT NOT NULL,
    label_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (ns, group_id, label_id)
);
CREATE INDEX clinked_group_labels_label ON clinked_group_labels (ns, label_id);

-- recipient_key is the lowercased recipient: unique per account (one mail
-- domain). content_context NULL: the group-level address.
CREATE TABLE clinked_mail_recipients (
    ns              TEXT NOT NULL,
    id              BIGINT NOT NULL,
    account_id      BIGINT NOT NULL,
    group_id        BIGINT NOT NULL,
    recipient       TEXT NOT NULL,
    recipient_key   TEXT NOT NULL,
    content_context BIGINT,
    date_created    BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_mail_recipients_key ON clinked_mail_recipients (ns, account_id, recipient_key);
CREATE INDEX clinked_mail_recipients_group ON clinked_mail_recipients (ns, group_id, id);

-- +goose Down
DROP TABLE clinked_mail_recipients;
DROP TABLE clinked_group_labels;
DROP TABLE clinked_labels;
DROP TABLE clinked_announcements;
DROP TABLE clinked_properties;
DROP TABLE clinked_account_settings;
