-- +goose Up
-- Klipfolio: a company account, the client accounts it manages, their users
-- and groups. Group ids are unique within an account (the docs reuse one id
-- in the company and in a client account).
CREATE TABLE klipfolio_accounts (
    ns         TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    parent_id  TEXT,            -- the managing company; NULL for the company
    PRIMARY KEY (ns, id)
);

CREATE TABLE klipfolio_users (
    ns            TEXT NOT NULL,
    id            TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    api_key       TEXT,
    can_manage    BOOLEAN NOT NULL,   -- the user.manage permission
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX klipfolio_users_email ON klipfolio_users (ns, email);
CREATE UNIQUE INDEX klipfolio_users_api_key ON klipfolio_users (ns, api_key);

CREATE TABLE klipfolio_groups (
    ns          TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    seq         BIGINT NOT NULL,     -- creation order, the list order
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    external_id TEXT,
    builtin     BOOLEAN NOT NULL,    -- "All Users": every user of the account
    PRIMARY KEY (ns, account_id, id)
);
CREATE INDEX klipfolio_groups_order ON klipfolio_groups (ns, account_id, seq);

CREATE TABLE klipfolio_group_members (
    ns         TEXT NOT NULL,
    account_id TEXT NOT NULL,
    group_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    PRIMARY KEY (ns, account_id, group_id, user_id)
);
CREATE INDEX klipfolio_group_members_user ON klipfolio_group_members (ns, user_id);

-- +goose Down
DROP TABLE klipfolio_group_members;
DROP TABLE klipfolio_groups;
DROP TABLE klipfolio_users;
DROP TABLE klipfolio_accounts;
