-- +goose Up
-- A namespace row's version rises with every change to it, so that each
-- process's in-memory copy of a namespace is checked with one cheap read.
ALTER TABLE standin_namespaces ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE standin_namespaces DROP COLUMN version;
