-- +goose Up
-- Blobs (uploaded files) live in the database, so that they survive restarts
-- and every standin process on one PostgreSQL serves the same bytes. A blob
-- is named by its owner (a vendor's object key) and has a content cut into
-- fixed-size chunks, written as they arrive and read back one at a time, so
-- no upload or download holds a whole file in memory.
--
-- Each upload writes a new version (id); when its last chunk is in, it
-- becomes the name's content and replaces the previous version, as an S3
-- PUT over an existing key does.
CREATE TABLE standin_blobs (
    ns         TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    chunk_size BIGINT NOT NULL,
    -- complete turns true when the last chunk is written; until then the
    -- version is invisible (an upload in progress, or one that died).
    complete   BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);
CREATE INDEX standin_blobs_name ON standin_blobs (ns, name);

CREATE TABLE standin_blob_chunks (
    ns      TEXT NOT NULL,
    blob_id TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (ns, blob_id, seq)
);

-- +goose Down
DROP TABLE standin_blob_chunks;
DROP TABLE standin_blobs;
