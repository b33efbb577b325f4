-- +goose Up
-- WorkDrive core: organizations, users and their API keys, departments,
-- locations, security groups, SSO entries and the uploaded files that every
-- module references by fileId. Ids are UUID strings; times are Unix millis.

CREATE TABLE workdrive_organizations (
    ns                   TEXT NOT NULL,
    id                   TEXT NOT NULL,
    status               TEXT NOT NULL,
    subdomain            TEXT NOT NULL,
    parent_org_id        TEXT,
    name                 TEXT NOT NULL,
    legal_name           TEXT NOT NULL,
    websites             TEXT,            -- JSON array or NULL
    address              TEXT,            -- JSON object or NULL
    email                TEXT,
    phone                TEXT,
    description          TEXT,
    industry             TEXT,
    auth_method          TEXT NOT NULL,   -- internal | ldap
    file_id              TEXT,            -- logo, a workdrive_files id
    admin_user_id        TEXT NOT NULL,   -- the OrgAdmin (organization creator)
    created_by           TEXT NOT NULL,
    updated_by           TEXT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX workdrive_organizations_subdomain ON workdrive_organizations (ns, subdomain);

-- org_id is '' for a SuperAdmin, who belongs to no organization.
CREATE TABLE workdrive_users (
    ns                 TEXT NOT NULL,
    id                 TEXT NOT NULL,
    org_id             TEXT NOT NULL,
    role               TEXT NOT NULL,     -- SUPER_ADMIN | ORG_ADMIN | USER
    user_name          TEXT NOT NULL,
    email              TEXT NOT NULL,
    email_lc           TEXT NOT NULL,     -- lower-cased email, unique per organization
    status             TEXT NOT NULL,     -- ACTIVE | ARCHIVE | PRE_INVITED | INVITED | BLOCKED
    first_name         TEXT NOT NULL DEFAULT '',
    last_name          TEXT NOT NULL DEFAULT '',
    bio                TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    designation        TEXT NOT NULL DEFAULT '',
    color              TEXT NOT NULL DEFAULT '',
    is_expert          BOOLEAN NOT NULL DEFAULT FALSE,
    availability       TEXT NOT NULL DEFAULT 'ACTIVE', -- ACTIVE | AWAY
    picture_file_id    TEXT,
    cover_file_id      TEXT,
    reports_to         TEXT,
    department_id      TEXT,             -- a user belongs to at most one department
    location_id        TEXT,             -- primary location (also in workdrive_location_members)
    skill              TEXT NOT NULL DEFAULT '[]',  -- JSON array
    default_visibility TEXT NOT NULL DEFAULT '',
    external_user_id   TEXT NOT NULL DEFAULT '',
    created_by         TEXT NOT NULL DEFAULT '',
    updated_by         TEXT NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX workdrive_users_email ON workdrive_users (ns, org_id, email_lc);
CREATE INDEX workdrive_users_order ON workdrive_users (ns, org_id, created_at, id);
CREATE INDEX workdrive_users_reports_to ON workdrive_users (ns, reports_to);
CREATE INDEX workdrive_users_department ON workdrive_users (ns, department_id, org_id, created_at, id);

-- API keys are stored as SHA-256 hex of the token.
CREATE TABLE workdrive_api_keys (
    ns         TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, key_hash)
);
CREATE INDEX workdrive_api_keys_user ON workdrive_api_keys (ns, user_id);

-- Extra teams: the user also belongs to the teams of these supervisors.
CREATE TABLE workdrive_user_teams (
    ns            TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    supervisor_id TEXT NOT NULL,
    PRIMARY KEY (ns, user_id, supervisor_id)
);
CREATE INDEX workdrive_user_teams_supervisor ON workdrive_user_teams (ns, supervisor_id);

CREATE TABLE workdrive_departments (
    ns         TEXT NOT NULL,
    id         TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT 'DEPARTMENT',
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_departments_order ON workdrive_departments (ns, org_id, created_at);

-- Department heads ("admins" in the list, departmentHeads in member views).
CREATE TABLE workdrive_department_heads (
    ns            TEXT NOT NULL,
    department_id TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (ns, department_id, user_id)
);
CREATE INDEX workdrive_department_heads_user ON workdrive_department_heads (ns, user_id);

CREATE TABLE workdrive_locations (
    ns         TEXT NOT NULL,
    id         TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_locations_order ON workdrive_locations (ns, org_id, created_at);

CREATE TABLE workdrive_location_members (
    ns          TEXT NOT NULL,
    location_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (ns, location_id, user_id)
);
CREATE INDEX workdrive_location_members_user ON workdrive_location_members (ns, user_id);

-- Location admins become the default supervisors of the location's users.
CREATE TABLE workdrive_location_admins (
    ns          TEXT NOT NULL,
    location_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    PRIMARY KEY (ns, location_id, user_id)
);
CREATE INDEX workdrive_location_admins_user ON workdrive_location_admins (ns, user_id);

CREATE TABLE workdrive_security_groups (
    ns         TEXT NOT NULL,
    id         TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_security_groups_order ON workdrive_security_groups (ns, org_id, created_at);

CREATE TABLE workdrive_security_group_members (
    ns       TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (ns, group_id, user_id)
);
CREATE INDEX workdrive_security_group_members_user ON workdrive_security_group_members (ns, user_id);

CREATE TABLE workdrive_sso (
    ns                TEXT NOT NULL,
    id                TEXT NOT NULL,
    org_id            TEXT NOT NULL,
    level             TEXT NOT NULL,   -- ADMIN | LOCATION | DEPARTMENT | USER
    type              TEXT NOT NULL,   -- QUICK_LINK | SSO
    name              TEXT NOT NULL DEFAULT '',
    authorization_uri TEXT NOT NULL DEFAULT '',
    token_uri         TEXT NOT NULL DEFAULT '',
    refresh_uri       TEXT NOT NULL DEFAULT '',
    login_url         TEXT NOT NULL DEFAULT '',
    link              TEXT NOT NULL DEFAULT '',
    sort_order        BIGINT NOT NULL DEFAULT 0,
    file_id           TEXT,
    department_id     TEXT,
    location_id       TEXT,
    user_id           TEXT NOT NULL,   -- creator; the owner of a USER-level entry
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_sso_org ON workdrive_sso (ns, org_id, level);

-- Files issued by GET /api/media (filled on upload);
-- content of every module references them by id.
CREATE TABLE workdrive_files (
    ns          TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    module_code INTEGER NOT NULL,
    size        BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,         -- pending | uploaded
    blob_key    TEXT NOT NULL,         -- the S3-style Key, also the blob's name
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_files_org ON workdrive_files (ns, org_id, created_at);

-- +goose Down
DROP TABLE workdrive_files;
DROP TABLE workdrive_sso;
DROP TABLE workdrive_security_group_members;
DROP TABLE workdrive_security_groups;
DROP TABLE workdrive_location_admins;
DROP TABLE workdrive_location_members;
DROP TABLE workdrive_locations;
DROP TABLE workdrive_department_heads;
DROP TABLE workdrive_departments;
DROP TABLE workdrive_user_teams;
DROP TABLE workdrive_api_keys;
DROP TABLE workdrive_users;
DROP TABLE workdrive_organizations;
