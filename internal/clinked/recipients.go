package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// Incoming mail recipients are the custom addresses (local parts at the
// account's mail domain) that mail a group, or one of its folders (the
// content context), receives at. One address per group or folder; an
// address is unique within the account's mail domain.

// maxRecipients bounds the list, a bare array.
const maxRecipients = 1000

// recipientPattern is an address' local part as the API accepts it.
var recipientPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`)

// recipientJSON is a MailRecipient. contentContext is the folder's context
// key, or the group's own for the group-level address.
type recipientJSON struct {
	ID             int64          `json:"id"`
	Recipient      string         `json:"recipient"`
	Space          groupRefJSON   `json:"space"`
	ContentContext contextKeyJSON `json:"contentContext"`
	DateCreated    int64          `json:"dateCreated"`
}

// recipientRow is a stored recipient.
type recipientRow struct {
	id, groupID    int64
	recipient      string
	contentContext sql.NullInt64
	dateCreated    int64
}

const recipientColumns = `id, group_id, recipient, content_context, date_created`

func (rc *recipientRow) dest() []any {
	return []any{&rc.id, &rc.groupID, &rc.recipient, &rc.contentContext, &rc.dateCreated}
}

func (rc *recipientRow) json(g *group) recipientJSON {
	ctxKey := g.contextKey
	if rc.contentContext.Valid {
		ctxKey = rc.contentContext.Int64
	}
	return recipientJSON{ID: rc.id, Recipient: rc.recipient,
		Space:          groupRefJSON{ID: g.id, Name: g.name, FriendlyName: g.friendlyName},
		ContentContext: contextKeyJSON{ID: ctxKey}, DateCreated: rc.dateCreated}
}

// parseContentContext reads the list filter: file_{id}, or a bare id.
func parseContentContext(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v), "file_"), 10, 64)
	return n, err == nil && n > 0
}

// listRecipients serves GET /v3/groups/{group}/incoming-mail-recipients:
// all of the group's, or with contentContext=file_{id} the folder's.
func (s *Service) listRecipients(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, 0)
	p, err := paramsAfter(w, r, err)
	if err != nil {
		return err
	}
	var args store.Args
	where := `ns = ` + args.Add(c.ns.ID) + ` AND group_id = ` + args.Add(ga.group.id)
	if v := p.Get("contentContext"); v != "" {
		id, ok := parseContentContext(v)
		if !ok {
			return httpx.BadRequest("contentContext must be file_{fileId}")
		}
		where += ` AND content_context = ` + args.Add(id)
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT `+recipientColumns+` FROM clinked_mail_recipients WHERE `+where+
		` ORDER BY id LIMIT `+args.Add(maxRecipients), args...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (recipientJSON, error) {
		var rc recipientRow
		err := row.Scan(rc.dest()...)
		return rc.json(ga.group), err
	})
	return reply(w, out, err)
}

// recipientField reads the required recipient.
func recipientField(b *httpx.Body) string {
	v, ok := b.String("recipient")
	v = strings.TrimSpace(v)
	if !recipientPattern.MatchString(v) && (ok || b.Raw("recipient") == nil) {
		b.Fail("recipient", "an e-mail user name: letters, digits, '.', '_', '+' or '-', at most 64")
	}
	return v
}

// recipientTaken is the 409 of an address in use in the account, or nil.
func recipientTaken(ctx context.Context, q store.Querier, ns string, accountID int64, recipient string, self int64) error {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM clinked_mail_recipients WHERE ns = $1 AND account_id = $2
		AND recipient_key = $3 AND id <> $4`, ns, accountID, strings.ToLower(recipient), self).Scan(&id)
	switch {
	case err == nil:
		return httpx.Conflict("Recipient %s is already in use", recipient)
	case errors.Is(err, sql.ErrNoRows):
		return nil
	}
	return err
}

// insertRecipient stores a new recipient, refusing a second address for
// the same group or folder.
func insertRecipient(ctx context.Context, q store.Querier, ns string, accountID int64, rc *recipientRow) error {
	if err := recipientTaken(ctx, q, ns, accountID, rc.recipient, 0); err != nil {
		return err
	}
	var n int
	same, args := ` AND content_context IS NULL`, []any{ns, rc.groupID}
	if rc.contentContext.Valid {
		same, args = ` AND content_context = $3`, append(args, rc.contentContext.Int64)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_mail_recipients WHERE ns = $1 AND group_id = $2`+same,
		args...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return httpx.Conflict("This group or folder already has an incoming mail recipient; update it instead")
	}
	if rc.id == 0 {
		id, err := store.NextID(ctx, q, ns, "clinked.mail_recipient")
		if err != nil {
			return err
		}
		rc.id = id
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_mail_recipients (ns, account_id, recipient_key, `+recipientColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ns, accountID, strings.ToLower(rc.recipient),
		rc.id, rc.groupID, rc.recipient, rc.contentContext, rc.dateCreated)
	return uniqueConflict(err, "Recipient "+rc.recipient+" is already in use")
}

// uniqueConflict turns a unique violation (a concurrent request won the
// race past the checks) into a 409 with msg.
func uniqueConflict(err error, msg string) error {
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("%s", msg)
	}
	return err
}

// createRecipient serves POST /v3/groups/{group}/incoming-mail-recipients:
// without contentContext the group's own address, with it a folder's.
func (s *Service) createRecipient(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, b, err := s.contentBody(w, r, c, permAdmin)
	if err != nil {
		return err
	}
	rc := recipientRow{groupID: ga.group.id, recipient: recipientField(b), dateCreated: ms(c.ns.Now())}
	if v, ok := intField(b, "contentContext"); ok {
		if v <= 0 {
			b.Fail("contentContext", "a folder id")
		}
		rc.contentContext = sql.NullInt64{Int64: v, Valid: true}
	}
	if err := b.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		return insertRecipient(ctx, tx, c.ns.ID, ga.group.accountID, &rc)
	}); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rc.json(ga.group))
	return nil
}

// groupRecipient resolves {group} (administrators) and a recipient of it
// named by the path parameter param.
func (s *Service) groupRecipient(r *http.Request, c *caller, param string) (*groupAccess, *recipientRow, error) {
	ga, err := s.contentGroup(r, c, permAdmin)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, param)
	if err != nil {
		return nil, nil, err
	}
	var rc recipientRow
	err = s.db.QueryRowContext(r.Context(), `SELECT `+recipientColumns+` FROM clinked_mail_recipients
		WHERE ns = $1 AND group_id = $2 AND id = $3`, c.ns.ID, ga.group.id, id).Scan(rc.dest()...)
	if err != nil {
		return nil, nil, notFoundIf(err, "Recipient not found")
	}
	return ga, &rc, nil
}

// updateRecipient serves PATCH /v3/groups/{group}/incoming-mail-recipients/{recipient}:
// only the address changes.
func (s *Service) updateRecipient(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, rc, err := s.groupRecipient(r, c, "recipient")
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	rc.recipient = recipientField(b)
	if err := b.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := recipientTaken(ctx, tx, c.ns.ID, ga.group.accountID, rc.recipient, rc.id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE clinked_mail_recipients SET recipient = $3, recipient_key = $4
			WHERE ns = $1 AND id = $2`, c.ns.ID, rc.id, rc.recipient, strings.ToLower(rc.recipient))
		return uniqueConflict(err, "Recipient "+rc.recipient+" is already in use")
	}); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rc.json(ga.group))
	return nil
}

// deleteRecipient serves DELETE /v3/groups/{group}/incoming-mail-recipients/{recipientId}.
func (s *Service) deleteRecipient(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, rc, err := s.groupRecipient(r, c, "recipientId")
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_mail_recipients WHERE ns = $1 AND id = $2`, c.ns.ID, rc.id)
		return err
	})
}
