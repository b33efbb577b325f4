// Package outbox keeps the mail that vendors would have sent. Nothing leaves
// the machine: each namespace has an outbox that the control plane shows
// (GET /_standin/namespaces/{id}/outbox) and clears (DELETE).
package outbox

import (
	"context"
	"time"

	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
)

// Message is one mail that a vendor would have sent.
type Message struct {
	ID      int64     `json:"id"`
	Vendor  string    `json:"vendor"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	Time    time.Time `json:"time"`
}

// Send records m in ns's outbox, inside the caller's transaction so that the
// mail exists exactly when the change that caused it does. m.Time should be
// the namespace's clock (ns.Now()).
func Send(ctx context.Context, q store.Querier, ns string, m Message) error {
	id, err := store.NextID(ctx, q, ns, "standin.outbox")
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO standin_outbox
		(ns, id, vendor, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		ns, id, m.Vendor, m.To, m.Subject, m.Body, m.Time.UnixMilli())
	return err
}

// List returns a page of ns's outbox, oldest first, and the total.
func List(ctx context.Context, q store.Querier, ns string, p page.Page) ([]Message, int, error) {
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM standin_outbox WHERE ns = $1`, ns).Scan(&total); err != nil {
		return nil, 0, err
	}
	lim, args := p.SQL(1)
	rows, err := q.QueryContext(ctx, `SELECT id, vendor, recipient, subject, body, created_at
		FROM standin_outbox WHERE ns = $1 ORDER BY id`+lim, append([]any{ns}, args...)...)
	msgs, err := store.Collect(rows, err, scanMessage)
	return msgs, total, err
}

func scanMessage(row store.Scanner) (Message, error) {
	var m Message
	var at int64
	err := row.Scan(&m.ID, &m.Vendor, &m.To, &m.Subject, &m.Body, &at)
	m.Time = time.UnixMilli(at).UTC()
	return m, err
}

// Clear empties ns's outbox.
func Clear(ctx context.Context, q store.Querier, ns string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM standin_outbox WHERE ns = $1`, ns)
	return err
}
