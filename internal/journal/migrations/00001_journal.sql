-- +goose Up
-- One row per request that a vendor port served. seq numbers a namespace's
-- entries in the order they were committed (standin_journal_seq hands out
-- ranges under a row lock, so every process agrees on the order). The
-- filterable fields are columns; summary and entry are the JSON that the
-- control plane answers, already redacted.
CREATE TABLE standin_journal (
    ns       TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    time_ms  BIGINT NOT NULL,
    vendor   TEXT NOT NULL,
    method   TEXT NOT NULL,
    path     TEXT NOT NULL,
    status   INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    summary  TEXT NOT NULL,
    entry    TEXT NOT NULL,
    PRIMARY KEY (ns, seq)
);

CREATE TABLE standin_journal_seq (
    ns    TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- +goose Down
DROP TABLE standin_journal_seq;
DROP TABLE standin_journal;
