-- +goose Up
-- Group members list in the order they joined (the default order of the
-- group members list and of a group's memberDetails), on an index that
-- also answers the counts of unexpired members.
CREATE INDEX clinked_group_members_joined ON clinked_group_members (ns, group_id, date_created, user_id, expiration_date);

-- A guest made by accepting a group invite is a user who reaches the
-- account's groups without being an account member: user_id links the two
-- (NULL for guests who only have shares).
ALTER TABLE clinked_guests ADD COLUMN user_id BIGINT;
CREATE INDEX clinked_guests_user ON clinked_guests (ns, account_id, user_id);

-- +goose Down
DROP INDEX clinked_guests_user;
ALTER TABLE clinked_guests DROP COLUMN user_id;
DROP INDEX clinked_group_members_joined;
