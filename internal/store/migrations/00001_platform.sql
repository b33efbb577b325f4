-- +goose Up
-- The platform's own tables. Every vendor table carries an "ns" column
-- naming the namespace that owns the row.
CREATE TABLE standin_namespaces (
    id              TEXT PRIMARY KEY,
    seed            TEXT NOT NULL,
    secret          TEXT NOT NULL,
    clock_offset_ms BIGINT NOT NULL DEFAULT 0,
    fixtures        TEXT NOT NULL DEFAULT '[]',
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL
);

CREATE TABLE standin_counters (
    ns    TEXT NOT NULL,
    name  TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (ns, name)
);

CREATE TABLE standin_outbox (
    ns         TEXT NOT NULL,
    id         BIGINT NOT NULL,
    vendor     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (ns, id)
);

-- +goose Down
DROP TABLE standin_outbox;
DROP TABLE standin_counters;
DROP TABLE standin_namespaces;
