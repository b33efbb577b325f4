-- +goose Up
-- Group files and folders, and the temp files that uploads land in first.
-- Bytes live in the blob store (internal/blob) under blob_name; a temp
-- file's blob becomes the file's blob when the file is created (the row is
-- re-pointed, no bytes are copied). Ids come from standin_counters
-- ("clinked.file", "clinked.temp_file").

-- An upload waiting to be used by a file create or a new version. It
-- expires one hour after upload on the namespace clock; used marks it
-- consumed (its blob then belongs to a file).
CREATE TABLE clinked_temp_files (
    ns           TEXT    NOT NULL,
    id           BIGINT  NOT NULL,
    user_id      BIGINT  NOT NULL,
    blob_name    TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    used         BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at   BIGINT  NOT NULL,
    date_created BIGINT  NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX clinked_temp_files_expiry ON clinked_temp_files (ns, expires_at);

-- A file or a folder (folder = TRUE, content_type "@folder", size 0) of a
-- group. parent_id 0 is the group's root. name is the slug, unique among
-- the children of one parent (trashed ones included, so that a restore
-- never clashes). trashed_by is 0 for live rows; a deleted item and the
-- subtree deleted with it carry the deleted item's id, which is what its
-- trash entry restores or purges. kind_order is 0 for folders and 1 for
-- files (lists put folders first); sort_name is lower(friendly_name).
CREATE TABLE clinked_files (
    ns                TEXT    NOT NULL,
    id                BIGINT  NOT NULL,
    group_id          BIGINT  NOT NULL,
    parent_id         BIGINT  NOT NULL DEFAULT 0,
    name              TEXT    NOT NULL,
    friendly_name     TEXT    NOT NULL,
    sort_name         TEXT    NOT NULL,
    folder            BOOLEAN NOT NULL,
    kind_order        INTEGER NOT NULL,
    content_type      TEXT    NOT NULL,
    size              BIGINT  NOT NULL DEFAULT 0,
    blob_name         TEXT,
    context_key       BIGINT  NOT NULL,
    sharing           TEXT    NOT NULL,
    member_permission INTEGER NOT NULL,
    tags              TEXT,
    locker_id         BIGINT,
    uploader_id       BIGINT,
    uploader_name     TEXT    NOT NULL,
    uploader_username TEXT    NOT NULL,
    summary           TEXT,
    versions          INTEGER NOT NULL DEFAULT 0,
    trashed_by        BIGINT  NOT NULL DEFAULT 0,
    date_created      BIGINT  NOT NULL,
    last_modified     BIGINT  NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX clinked_files_name ON clinked_files (ns, group_id, parent_id, name);
-- filesList?parent= in its default order (folders first, then by name).
CREATE INDEX clinked_files_children ON clinked_files (ns, group_id, parent_id, trashed_by, kind_order, sort_name, id);
-- filesList?flat=true over the whole group.
CREATE INDEX clinked_files_flat ON clinked_files (ns, group_id, trashed_by, kind_order, sort_name, id);
-- restore and purge find the rows a trash entry covers.
CREATE INDEX clinked_files_trashed ON clinked_files (ns, trashed_by);

-- +goose Down
DROP TABLE clinked_files;
DROP TABLE clinked_temp_files;
