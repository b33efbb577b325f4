-- +goose Up
-- Counted writes (store/track.go): a write under a namespace's lock key
-- raises that namespace's data_version, any other write the one epoch row.
-- A process keeps reads in memory for as long as both stay put.
ALTER TABLE standin_namespaces ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE standin_data_epoch (
    id INTEGER PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO standin_data_epoch (id, value) VALUES (1, 0);

-- +goose Down
DROP TABLE standin_data_epoch;
ALTER TABLE standin_namespaces DROP COLUMN data_version;
