-- +goose Up
-- A group's trash: one entry per removed piece of content (file, folder,
-- event, task). The content row stays where it was, marked trashed, so that
-- a restore puts it back with its id and metadata; a purge deletes both.
CREATE TABLE clinked_trash (
    ns            TEXT    NOT NULL,
    id            BIGINT  NOT NULL,
    group_id      BIGINT  NOT NULL,
    kind          TEXT    NOT NULL,
    item_id       BIGINT  NOT NULL,
    friendly_name TEXT    NOT NULL,
    user_id       BIGINT  NOT NULL,
    date_deleted  BIGINT  NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX clinked_trash_group ON clinked_trash (ns, group_id, date_deleted, id);
CREATE UNIQUE INDEX clinked_trash_item ON clinked_trash (ns, kind, item_id);

-- +goose Down
DROP TABLE clinked_trash;
