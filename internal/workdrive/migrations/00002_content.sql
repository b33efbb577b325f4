-- +goose Up
-- WorkDrive content: posts and news (one table, told apart by kind), events
-- with their invitees, videos, photos, documents, FAQ knowledge bases with
-- their Q&As, the per-organization catalogs (categories, enforcement
-- templates, courses) and sent notifications. Ids are UUID strings; times
-- are Unix millis; arrays and objects are JSON text.
--
-- Visibility: audience is 'org' when the item is public (or friends/team,
-- which this API does not model apart from the organization); otherwise
-- only the author and the grants in workdrive_content_audience see it.

CREATE TABLE workdrive_posts (
    ns              TEXT NOT NULL,
    id              TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    kind            TEXT NOT NULL,             -- post | news
    user_id         TEXT NOT NULL,             -- the author
    status          TEXT NOT NULL,             -- PUBLISHED
    post_text       TEXT NOT NULL DEFAULT '',
    news_title      TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    cover_file_id   TEXT,
    file_ids        TEXT NOT NULL DEFAULT '[]',
    tags            TEXT NOT NULL DEFAULT '[]',
    mentions        TEXT NOT NULL DEFAULT '[]', -- user ids
    tagged_user_ids TEXT NOT NULL DEFAULT '[]',
    gif             TEXT NOT NULL DEFAULT '',
    links           TEXT NOT NULL DEFAULT '[]',
    location        TEXT,                      -- {textAddress, coordinates} or NULL
    audience        TEXT NOT NULL,             -- org | restricted
    permissions     TEXT NOT NULL DEFAULT '{}',
    comments_count  BIGINT NOT NULL DEFAULT 0,
    reactions_count BIGINT NOT NULL DEFAULT 0,
    posted_at       BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_posts_feed ON workdrive_posts (ns, org_id, kind, posted_at, id);

-- Who may see a restricted item: users (also tagged users), security groups
-- and locations, resolved at read time so membership changes apply.
CREATE TABLE workdrive_content_audience (
    ns       TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    ref_kind TEXT NOT NULL,                    -- user | tagged | group | location
    ref_id   TEXT NOT NULL,
    PRIMARY KEY (ns, item_id, ref_kind, ref_id)
);
CREATE INDEX workdrive_content_audience_ref ON workdrive_content_audience (ns, ref_id);

CREATE TABLE workdrive_events (
    ns                TEXT NOT NULL,
    id                TEXT NOT NULL,
    org_id            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    external_links    TEXT NOT NULL DEFAULT '[]', -- [{title, url}]
    is_external       BOOLEAN NOT NULL DEFAULT FALSE,
    event_source      TEXT NOT NULL DEFAULT 'WORKDRIVE',
    conference_link   TEXT NOT NULL DEFAULT '',
    location          TEXT NOT NULL DEFAULT '',
    start_at          BIGINT NOT NULL,
    end_at            BIGINT NOT NULL,
    is_virtual        BOOLEAN NOT NULL DEFAULT FALSE,
    poster_file_id    TEXT,
    tags              TEXT NOT NULL DEFAULT '[]',
    type              TEXT NOT NULL,             -- POST | LIVESTREAM | EVENT | FAQ | COURSE
    category          TEXT NOT NULL DEFAULT '',
    is_meeting        BOOLEAN NOT NULL DEFAULT FALSE,
    external_emails   TEXT NOT NULL DEFAULT '[]',
    video_preview_ids TEXT NOT NULL DEFAULT '[]',
    duration          BIGINT NOT NULL DEFAULT 0, -- minutes
    conversation_id   TEXT,                      -- the group chat of a meeting
    livestream_id     TEXT,                      -- the call of a meeting or livestream
    repeat_id         TEXT,                      -- shared by the occurrences of a series
    repeat_config     TEXT,                      -- JSON as sent, NULL when not recurring
    audience          TEXT NOT NULL,
    permissions       TEXT NOT NULL DEFAULT '{}',
    comments_count    BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_events_start ON workdrive_events (ns, org_id, start_at, id);
CREATE INDEX workdrive_events_repeat ON workdrive_events (ns, repeat_id);
CREATE INDEX workdrive_events_conversation ON workdrive_events (ns, conversation_id);

-- Invitees of an event; the creator is in it too (as GOING).
CREATE TABLE workdrive_event_rsvps (
    ns         TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    rsvp       TEXT NOT NULL,                    -- INVITED | GOING | NOT_GOING | MAYBE
    invited_at BIGINT NOT NULL,
    checkin_at BIGINT,
    PRIMARY KEY (ns, event_id, user_id)
);
CREATE INDEX workdrive_event_rsvps_user ON workdrive_event_rsvps (ns, user_id);

CREATE TABLE workdrive_videos (
    ns                TEXT NOT NULL,
    id                TEXT NOT NULL,
    org_id            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    source            INTEGER NOT NULL,          -- 1 YOUTUBE, 2 VIMEO, 3 CUSTOM, 4 RECORDING
    video_file_id     TEXT,
    thumbnail_file_id TEXT,
    meta              TEXT NOT NULL DEFAULT '{}',
    audience          TEXT NOT NULL,
    permissions       TEXT NOT NULL DEFAULT '{}',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_videos_order ON workdrive_videos (ns, org_id, created_at, id);

CREATE TABLE workdrive_photos (
    ns          TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    file_id     TEXT NOT NULL,
    audience    TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '{}',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_photos_order ON workdrive_photos (ns, org_id, created_at, id);

CREATE TABLE workdrive_documents (
    ns           TEXT NOT NULL,
    id           TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '[]',
    expiry       BIGINT,
    link         TEXT NOT NULL DEFAULT '',
    doc_url      TEXT NOT NULL DEFAULT '',
    doc_file_id  TEXT,
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    audience     TEXT NOT NULL,
    permissions  TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_documents_order ON workdrive_documents (ns, org_id, created_at, id);

-- Owners of documents and FAQ knowledge bases.
CREATE TABLE workdrive_content_owners (
    ns       TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (ns, item_id, user_id)
);
CREATE INDEX workdrive_content_owners_user ON workdrive_content_owners (ns, user_id);

CREATE TABLE workdrive_faq_kbs (
    ns           TEXT NOT NULL,
    id           TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '[]',
    expiry       BIGINT,
    link         TEXT NOT NULL DEFAULT '',
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    audience     TEXT NOT NULL,
    permissions  TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);

CREATE TABLE workdrive_faq_qas (
    ns          TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    kb_id       TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    BIGINT NOT NULL,               -- order within the kb
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_faq_qas_kb ON workdrive_faq_qas (ns, kb_id, position);
CREATE INDEX workdrive_faq_qas_order ON workdrive_faq_qas (ns, org_id, created_at, id);

-- Categories per module; name_lc keeps names unique per module regardless
-- of case.
CREATE TABLE workdrive_categories (
    ns          TEXT NOT NULL,
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    module_code INTEGER NOT NULL,
    name        TEXT NOT NULL,
    name_lc     TEXT NOT NULL,
    color       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX workdrive_categories_name ON workdrive_categories (ns, org_id, module_code, name_lc);
CREATE INDEX workdrive_categories_order ON workdrive_categories (ns, org_id, module_code, created_at, id);

CREATE TABLE workdrive_enforcement_templates (
    ns           TEXT NOT NULL,
    id           TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    title        TEXT NOT NULL,
    system_event TEXT NOT NULL,
    type         TEXT NOT NULL,
    sub_type     TEXT NOT NULL,
    reminders    TEXT NOT NULL DEFAULT '[]',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_enforcement_templates_order ON workdrive_enforcement_templates (ns, org_id, created_at, id);

-- Courses (task lists). Their tasks are part of the course content, so the
-- counts are stored with it.
CREATE TABLE workdrive_courses (
    ns                       TEXT NOT NULL,
    id                       TEXT NOT NULL,
    org_id                   TEXT NOT NULL,
    course_id                TEXT NOT NULL,
    title                    TEXT NOT NULL,
    description              TEXT NOT NULL DEFAULT '',
    categories               TEXT NOT NULL DEFAULT '[]',
    sort_order               BIGINT NOT NULL DEFAULT 0,
    task_count               BIGINT NOT NULL DEFAULT 0,
    users_count              BIGINT NOT NULL DEFAULT 0,
    total_time               BIGINT NOT NULL DEFAULT 0, -- minutes
    parent_id                TEXT NOT NULL DEFAULT '',
    status                   TEXT NOT NULL,
    file_id                  TEXT,
    form                     TEXT,                      -- Form.io form JSON or NULL
    notification_template_id TEXT NOT NULL DEFAULT '',
    created_by               TEXT NOT NULL,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX workdrive_courses_order ON workdrive_courses (ns, org_id, created_at, id);

CREATE TABLE workdrive_notifications (
    ns                TEXT NOT NULL,
    id                TEXT NOT NULL,
    org_id            TEXT NOT NULL,
    sender_id         TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    medium            TEXT NOT NULL,             -- EMAIL | SMS | PUSH | INAPP
    emails            TEXT NOT NULL DEFAULT '[]',
    receiver_user_ids TEXT NOT NULL DEFAULT '[]',
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);

-- +goose Down
DROP TABLE workdrive_notifications;
DROP TABLE workdrive_courses;
DROP TABLE workdrive_enforcement_templates;
DROP TABLE workdrive_categories;
DROP TABLE workdrive_faq_qas;
DROP TABLE workdrive_faq_kbs;
DROP TABLE workdrive_content_owners;
DROP TABLE workdrive_documents;
DROP TABLE workdrive_photos;
DROP TABLE workdrive_videos;
DROP TABLE workdrive_event_rsvps;
DROP TABLE workdrive_events;
DROP TABLE workdrive_content_audience;
DROP TABLE workdrive_posts;
