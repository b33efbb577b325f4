-- +goose Up
-- Worksection: one account per namespace, its teams and users, contact
-- folders and contacts, projects and tasks with their subscribers, and the
-- OAuth2 clients, codes and tokens. Integer ids come from per-namespace
-- counters; names that are get-or-create keep a lower-cased trimmed key.
CREATE TABLE worksection_accounts (
    ns        TEXT NOT NULL,
    api_key   TEXT NOT NULL,    -- kept in clear: the signatures are keyed by it
    owner_id  BIGINT NOT NULL,
    PRIMARY KEY (ns)
);

CREATE TABLE worksection_teams (
    ns        TEXT NOT NULL,
    id        BIGINT NOT NULL,
    title     TEXT NOT NULL,
    title_key TEXT NOT NULL,
    client    INTEGER NOT NULL,  -- 0 company team, 1 external client team
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX worksection_teams_title ON worksection_teams (ns, title_key);

CREATE TABLE worksection_users (
    ns         TEXT NOT NULL,
    id         BIGINT NOT NULL,
    email      TEXT NOT NULL,
    email_key  TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    title      TEXT NOT NULL,
    rate       TEXT,             -- a JSON number, NULL when unset
    avatar     TEXT,
    team_id    BIGINT NOT NULL,
    department TEXT NOT NULL,
    role       TEXT NOT NULL,
    phone      TEXT,
    phone2     TEXT,
    phone3     TEXT,
    phone4     TEXT,
    address    TEXT,
    address2   TEXT,
    invited    BOOLEAN NOT NULL, -- invited through add_user, not yet joined
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX worksection_users_email ON worksection_users (ns, email_key);

CREATE TABLE worksection_contact_folders (
    ns        TEXT NOT NULL,
    id        BIGINT NOT NULL,
    title     TEXT NOT NULL,
    title_key TEXT NOT NULL,
    type      TEXT NOT NULL,     -- preset or folder
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX worksection_contact_folders_title ON worksection_contact_folders (ns, title_key);

CREATE TABLE worksection_contacts (
    ns         TEXT NOT NULL,
    id         BIGINT NOT NULL,
    folder_id  BIGINT NOT NULL,
    email      TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    title      TEXT NOT NULL,
    phone      TEXT,
    phone2     TEXT,
    phone3     TEXT,
    phone4     TEXT,
    address    TEXT,
    address2   TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);

CREATE TABLE worksection_projects (
    ns           TEXT NOT NULL,
    id           BIGINT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    user_from_id BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);

CREATE TABLE worksection_tasks (
    ns           TEXT NOT NULL,
    id           BIGINT NOT NULL,
    project_id   BIGINT NOT NULL,
    name         TEXT NOT NULL,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL,  -- active or done
    priority     INTEGER NOT NULL,
    user_from_id BIGINT NOT NULL,
    user_to_id   BIGINT,         -- NULL: no executive
    date_added   BIGINT NOT NULL,
    date_start   TEXT,           -- YYYY-MM-DD
    date_end     TEXT,           -- YYYY-MM-DD
    time_end     TEXT,           -- HH:MM
    max_time     TEXT,           -- JSON numbers
    max_money    TEXT,
    tags         TEXT NOT NULL,  -- JSON object: tag id -> tag name
    PRIMARY KEY (ns, id)
);
CREATE INDEX worksection_tasks_project ON worksection_tasks (ns, project_id, id);

CREATE TABLE worksection_task_subscribers (
    ns      TEXT NOT NULL,
    task_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (ns, task_id, user_id)
);

CREATE TABLE worksection_oauth_clients (
    ns          TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    secret_hash TEXT NOT NULL,   -- sha256 hex
    PRIMARY KEY (ns, client_id)
);

CREATE TABLE worksection_oauth_codes (
    ns           TEXT NOT NULL,
    code_hash    TEXT NOT NULL,  -- sha256 hex
    client_id    TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    redirect_uri TEXT NOT NULL,  -- '' accepts any
    expires_at   BIGINT,         -- unix ms; NULL never
    PRIMARY KEY (ns, code_hash)
);

CREATE TABLE worksection_tokens (
    ns         TEXT NOT NULL,
    token_hash TEXT NOT NULL,    -- sha256 hex
    kind       TEXT NOT NULL,    -- access or refresh
    pair_id    TEXT NOT NULL,    -- the access and refresh token issued together
    client_id  TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,  -- unix ms
    PRIMARY KEY (ns, token_hash)
);
CREATE INDEX worksection_tokens_pair ON worksection_tokens (ns, pair_id);

-- +goose Down
DROP TABLE worksection_tokens;
DROP TABLE worksection_oauth_codes;
DROP TABLE worksection_oauth_clients;
DROP TABLE worksection_task_subscribers;
DROP TABLE worksection_tasks;
DROP TABLE worksection_projects;
DROP TABLE worksection_contacts;
DROP TABLE worksection_contact_folders;
DROP TABLE worksection_users;
DROP TABLE worksection_teams;
DROP TABLE worksection_accounts;
