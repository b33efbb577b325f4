-- +goose Up
-- One row per request that a vendor port served. seq numbers a namespace's
-- entries in the order they were committed (standin_journal_seq hands out
-- ranges under a row lock, so every process agrees on the order). The
-- filterable fields are columns; summary is the JSON that lists show,
-- detail the headers and body sizes, and the bodies are kept as they are
-- (text, or base64 when they were not UTF-8), all redacted.
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
    detail   TEXT NOT NULL,
    request_body  TEXT NOT NULL,
    response_body TEXT NOT NULL,
    PRIMARY KEY (ns, seq)
);

CREATE TABLE standin_journal_seq (
    ns    TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- +goose Down
DROP TABLE standin_journal_seq;
DROP TABLE standin_journal;
