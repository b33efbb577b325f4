-- +goose Up
-- touched_at (wall-clock Unix milliseconds) is when an unfinished upload last
-- wrote a chunk. At start-up standin sweeps unfinished versions that nobody
-- has touched for a while: what a crash or kill -9 left behind. Versions
-- from before this column have 0 and are swept at once.
ALTER TABLE standin_blobs ADD COLUMN touched_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE standin_blobs DROP COLUMN touched_at;
