-- +goose Up
-- Clinked identity and access: users, accounts and their members, member
-- tags, OAuth applications and tokens, groups and their members, account and
-- group invites, guests, and the rate-limit counters. Integer ids come from
-- standin_counters ("clinked.user", "clinked.account", "clinked.group",
-- "clinked.invite", "clinked.group_invite", "clinked.guest",
-- "clinked.context_key"). Times are Unix milliseconds; JSON is TEXT.

-- A user is global to the namespace: one user may belong to several accounts.
CREATE TABLE clinked_users (
    ns                  TEXT NOT NULL,
    id                  BIGINT NOT NULL,
    username            TEXT NOT NULL,
    email               TEXT NOT NULL,
    name                TEXT NOT NULL,
    real_name           TEXT,
    job_title           TEXT,
    organisation        TEXT,
    address             TEXT,
    telephone           TEXT,
    other               TEXT,
    logo                BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone           TEXT,
    locale              TEXT,
    enabled             BOOLEAN NOT NULL DEFAULT TRUE,
    locked              BOOLEAN NOT NULL DEFAULT FALSE,
    verified_email      BOOLEAN NOT NULL DEFAULT FALSE,
    two_factor          BOOLEAN NOT NULL DEFAULT FALSE,
    two_factor_mode     TEXT,              -- AUTHENTICATOR, SMS, EMAIL
    two_factor_code     TEXT,              -- the code the emulator accepts for 2FA logins
    date_format         TEXT,              -- YMD, MDY, DMY
    twenty_four_hour    BOOLEAN NOT NULL DEFAULT FALSE,
    last_active         BIGINT,
    password_hash       TEXT NOT NULL DEFAULT '',
    authorities         TEXT NOT NULL DEFAULT '["ROLE_USER"]',  -- JSON array
    date_created        BIGINT NOT NULL,
    last_modified       BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_users_username ON clinked_users (ns, username);
CREATE INDEX clinked_users_email ON clinked_users (ns, email);

CREATE TABLE clinked_accounts (
    ns                    TEXT NOT NULL,
    id                    BIGINT NOT NULL,
    name                  TEXT NOT NULL,      -- slug / subdomain
    friendly_name         TEXT NOT NULL,
    enabled               BOOLEAN NOT NULL DEFAULT TRUE,
    domain                TEXT,
    hash                  TEXT,
    locale                TEXT,
    mail_domain           TEXT NOT NULL DEFAULT 'localhost',
    metadata              TEXT NOT NULL DEFAULT '{}',   -- JSON {string: string}
    features              TEXT NOT NULL DEFAULT '[]',   -- JSON array
    components            TEXT NOT NULL DEFAULT '["files","pages","events","tasks","discussions"]', -- JSON: component names the subscription allows
    two_factor_enforced   BOOLEAN NOT NULL DEFAULT FALSE,
    -- subscription (AccountPackage and details)
    plan_code             TEXT NOT NULL DEFAULT 'premium',
    plan_name             TEXT NOT NULL DEFAULT 'Premium',
    plan_interval         INTEGER,            -- planDetails.interval; NULL: planDetails null
    plan_currency         TEXT,
    max_members           BIGINT NOT NULL DEFAULT 100,
    storage               BIGINT,             -- allowed bytes; NULL: unlimited
    suspended             BOOLEAN NOT NULL DEFAULT FALSE,
    trial_expires         BIGINT,
    paused                BOOLEAN NOT NULL DEFAULT FALSE,
    paused_billing_cycles INTEGER,
    date_paused_at        BIGINT,
    billing_details       TEXT,               -- JSON object or NULL
    date_created          BIGINT NOT NULL,
    last_modified         BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_accounts_name ON clinked_accounts (ns, name);

-- Account membership. NULL optional columns are left out of the JSON.
CREATE TABLE clinked_members (
    ns                        TEXT NOT NULL,
    account_id                BIGINT NOT NULL,
    user_id                   BIGINT NOT NULL,
    permission                INTEGER NOT NULL,   -- 16 = account administrator
    date_created              BIGINT NOT NULL,
    assign_to_new_groups      INTEGER,            -- assignToNewGroupsPermission
    pending_unlock            BOOLEAN,
    activation_type           TEXT,               -- now, custom
    activation_date           BIGINT,             -- when the activation mail goes out
    activation_message        TEXT,
    sort_name                 TEXT NOT NULL DEFAULT '',  -- lower(user name), kept in step by the code: the list order
    PRIMARY KEY (ns, account_id, user_id)
);
CREATE INDEX clinked_members_user ON clinked_members (ns, user_id);
CREATE INDEX clinked_members_name ON clinked_members (ns, account_id, sort_name, user_id);
CREATE INDEX clinked_members_created ON clinked_members (ns, account_id, date_created, user_id);

CREATE TABLE clinked_member_tags (
    ns         TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    tag        TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    PRIMARY KEY (ns, account_id, tag, user_id)
);
CREATE INDEX clinked_member_tags_user ON clinked_member_tags (ns, account_id, user_id);

-- OAuth clients made through /v3/applications. The secret is stored hashed.
CREATE TABLE clinked_applications (
    ns            TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    secret_hash   TEXT NOT NULL,
    owner_id      BIGINT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    platform      TEXT NOT NULL DEFAULT 'OTHER',
    device_type   TEXT NOT NULL DEFAULT 'Other',
    device_model  TEXT NOT NULL DEFAULT '',
    device_os     TEXT NOT NULL DEFAULT '',
    app_version   TEXT NOT NULL DEFAULT '',
    bundle_id     TEXT NOT NULL DEFAULT '',
    last_activity BIGINT,
    ip            TEXT,
    scope         TEXT NOT NULL DEFAULT '["read","write","smartsync"]',
    redirect_uris TEXT NOT NULL DEFAULT '[]',
    grant_types   TEXT NOT NULL DEFAULT '[]',
    date_created  BIGINT NOT NULL,
    PRIMARY KEY (ns, client_id)
);
CREATE INDEX clinked_applications_owner ON clinked_applications (ns, owner_id);

-- Issued tokens, stored as SHA-256 hashes. client_id is "clinked-mobile" for
-- the password grant, else an application's client id.
CREATE TABLE clinked_tokens (
    ns                 TEXT NOT NULL,
    access_hash        TEXT NOT NULL,
    refresh_hash       TEXT,
    client_id          TEXT NOT NULL,
    user_id            BIGINT NOT NULL,
    grant_type         TEXT NOT NULL,
    scope              TEXT NOT NULL,
    expires_at         BIGINT NOT NULL,
    refresh_expires_at BIGINT,
    revoked            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (ns, access_hash)
);
CREATE UNIQUE INDEX clinked_tokens_refresh ON clinked_tokens (ns, refresh_hash);
CREATE INDEX clinked_tokens_client ON clinked_tokens (ns, client_id);
CREATE INDEX clinked_tokens_user ON clinked_tokens (ns, user_id);

CREATE TABLE clinked_groups (
    ns                     TEXT NOT NULL,
    id                     BIGINT NOT NULL,
    account_id             BIGINT NOT NULL,
    name                   TEXT NOT NULL,       -- slug, unique per account
    friendly_name          TEXT NOT NULL,
    description            TEXT NOT NULL DEFAULT '',
    context_key            BIGINT NOT NULL,
    owner_id               BIGINT,
    blind                  BOOLEAN NOT NULL DEFAULT FALSE,
    disable_chat           BOOLEAN NOT NULL DEFAULT FALSE,
    disable_comments       BOOLEAN NOT NULL DEFAULT FALSE,
    disable_email_comments BOOLEAN NOT NULL DEFAULT FALSE,
    hide_member_details    BOOLEAN NOT NULL DEFAULT FALSE,
    storage_consumed       BIGINT NOT NULL DEFAULT 0,
    branding               TEXT NOT NULL,       -- JSON object (Branding)
    components             TEXT NOT NULL,       -- JSON [{name, order, configuration}], replaced wholesale
    settings               TEXT NOT NULL DEFAULT '{}',  -- JSON: notificationsConfiguration etc.
    watermark              TEXT NOT NULL,       -- JSON watermarkConfiguration
    master                 BIGINT,              -- primary group id
    master_configured      BOOLEAN NOT NULL DEFAULT FALSE,
    position               BIGINT NOT NULL DEFAULT 2147483647,  -- account-wide order (reorder)
    removed                BOOLEAN NOT NULL DEFAULT FALSE,
    date_removed           BIGINT,
    date_created           BIGINT NOT NULL,
    last_modified          BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_groups_name ON clinked_groups (ns, account_id, name);
CREATE INDEX clinked_groups_order ON clinked_groups (ns, account_id, removed, position, id);

-- Group membership; permission 1 basic, 4 group creator, 8 member manager,
-- 16 administrator. expiration_date NULL: permanent.
CREATE TABLE clinked_group_members (
    ns              TEXT NOT NULL,
    group_id        BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    permission      INTEGER NOT NULL,
    date_created    BIGINT NOT NULL,
    expiration_date BIGINT,
    restricted_apps TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (ns, group_id, user_id)
);
CREATE INDEX clinked_group_members_user ON clinked_group_members (ns, user_id);

-- Account invites (kind 'account', group_id NULL) and group invites (kind
-- 'group'); each kind counts its own ids. parameters is the JSON string
-- {"mask":…,"groups":{"gid":perm},"extras":{}}.
CREATE TABLE clinked_invites (
    ns              TEXT NOT NULL,
    kind            TEXT NOT NULL,            -- account, group
    id              BIGINT NOT NULL,
    account_id      BIGINT NOT NULL,
    group_id        BIGINT,
    email           TEXT NOT NULL,
    permission      INTEGER NOT NULL,
    parameters      TEXT,
    message         TEXT NOT NULL DEFAULT '',
    reminder        BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT NOT NULL DEFAULT 'pending',   -- pending, accepted, declined
    invite_key      TEXT NOT NULL,
    context_key     BIGINT NOT NULL,
    source_id       BIGINT NOT NULL,          -- the inviter
    target_id       BIGINT,                   -- the invitee once a user
    expiration_date BIGINT,                   -- membership expiry (group invites)
    date_created    BIGINT NOT NULL,
    last_modified   BIGINT,
    PRIMARY KEY (ns, kind, id)
);
CREATE INDEX clinked_invites_account ON clinked_invites (ns, account_id, kind, status);
CREATE INDEX clinked_invites_group ON clinked_invites (ns, group_id, kind, status);
CREATE UNIQUE INDEX clinked_invites_key ON clinked_invites (ns, invite_key);

-- Guests reach groups of an account without being account members.
CREATE TABLE clinked_guests (
    ns               TEXT NOT NULL,
    id               BIGINT NOT NULL,
    account_id       BIGINT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    password_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash    TEXT NOT NULL DEFAULT '',
    date_created     BIGINT NOT NULL,
    last_modified    BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX clinked_guests_account ON clinked_guests (ns, account_id, id);

-- What a guest can reach (the guest's "shares").
CREATE TABLE clinked_guest_shares (
    ns           TEXT NOT NULL,
    guest_id     BIGINT NOT NULL,
    group_id     BIGINT NOT NULL,
    permission   INTEGER NOT NULL DEFAULT 1,
    date_created BIGINT NOT NULL,
    PRIMARY KEY (ns, guest_id, group_id)
);

-- Rate limit: requests per (namespace, client IP, window start).
CREATE TABLE clinked_rate_counts (
    ns           TEXT NOT NULL,
    ip           TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (ns, ip, window_start)
);

-- +goose Down
DROP TABLE clinked_rate_counts;
DROP TABLE clinked_guest_shares;
DROP TABLE clinked_guests;
DROP TABLE clinked_invites;
DROP TABLE clinked_group_members;
DROP TABLE clinked_groups;
DROP TABLE clinked_tokens;
DROP TABLE clinked_applications;
DROP TABLE clinked_member_tags;
DROP TABLE clinked_members;
DROP TABLE clinked_accounts;
DROP TABLE clinked_users;
