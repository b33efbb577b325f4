-- +goose Up
-- A fork derives its ids as its source does (cred_ns names the namespace
-- whose id the derivation uses; '' means its own) and has fresh values for
-- its keys (rotated_keys: a JSON object of credential name to value). Labels are
-- kept on the row for display and in standin_namespace_labels for filters.
-- expires_at (Unix ms) is the end of a namespace made with a ttl.
ALTER TABLE standin_namespaces ADD COLUMN cred_ns TEXT NOT NULL DEFAULT '';
ALTER TABLE standin_namespaces ADD COLUMN rotated_keys TEXT NOT NULL DEFAULT '{}';
ALTER TABLE standin_namespaces ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE standin_namespaces ADD COLUMN expires_at BIGINT;
CREATE INDEX standin_namespaces_expiry ON standin_namespaces (expires_at);
CREATE INDEX standin_namespaces_created ON standin_namespaces (created_at, id);

-- The label table has no "ns" column on purpose: snapshots copy every
-- table that has one, and labels describe the namespace, not its state.
CREATE TABLE standin_namespace_labels (
    namespace TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
CREATE INDEX standin_namespace_labels_value ON standin_namespace_labels (key, value);

-- A snapshot holds the namespace row's fields here and every vendor row
-- under the hidden key "~" || id in the vendor's own tables.
CREATE TABLE standin_snapshots (
    id              TEXT PRIMARY KEY,
    namespace       TEXT NOT NULL,
    name            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    seed            TEXT NOT NULL,
    secret          TEXT NOT NULL,
    cred_ns         TEXT NOT NULL,
    rotated_keys    TEXT NOT NULL,
    clock_offset_ms BIGINT NOT NULL,
    fixtures        TEXT NOT NULL,
    settings        TEXT NOT NULL
);
CREATE INDEX standin_snapshots_namespace ON standin_snapshots (namespace, created_at);

-- +goose Down
DROP TABLE standin_snapshots;
DROP TABLE standin_namespace_labels;
DROP INDEX standin_namespaces_created;
DROP INDEX standin_namespaces_expiry;
ALTER TABLE standin_namespaces DROP COLUMN expires_at;
ALTER TABLE standin_namespaces DROP COLUMN labels;
ALTER TABLE standin_namespaces DROP COLUMN rotated_keys;
ALTER TABLE standin_namespaces DROP COLUMN cred_ns;
