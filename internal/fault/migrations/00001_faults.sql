-- +goose Up
-- How often each fault rule matched and fired. The rules themselves live
-- in the namespace's settings (read with the namespace on every request);
-- the counts are here so that "times" and "after" hold across every
-- process that shares the database.
CREATE TABLE standin_fault_hits (
    ns      TEXT NOT NULL,
    rule    BIGINT NOT NULL,
    matches BIGINT NOT NULL,
    applied BIGINT NOT NULL,
    PRIMARY KEY (ns, rule)
);

-- +goose Down
DROP TABLE standin_fault_hits;
