-- +goose Up
-- Each account's number of groups, kept in a counter row (see
-- groupCounter), so that a list's total does not count the groups.
INSERT INTO standin_counters (ns, name, value)
SELECT ns, 'klipfolio.groups:' || account_id, count(*) FROM klipfolio_groups WHERE TRUE GROUP BY ns, account_id
ON CONFLICT (ns, name) DO UPDATE SET value = excluded.value;

-- +goose Down
DELETE FROM standin_counters WHERE name LIKE 'klipfolio.groups:%';
