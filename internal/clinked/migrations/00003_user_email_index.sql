-- +goose Up
-- A password login by e-mail and an invite's lookup of the invitee match
-- lower(email): without this index both read every user of the namespace.
-- id last, so that "ORDER BY id LIMIT 1" is answered by the index too.
CREATE INDEX clinked_users_email_lower ON clinked_users (ns, lower(email), id);

-- +goose Down
DROP INDEX clinked_users_email_lower;
