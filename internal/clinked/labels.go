package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/standin-dev/standin/internal/store"
)

// Labels are the account's (seeded: the doc has no endpoint that makes
// one); a group carries some of them, each at an order.

// maxLabelItems bounds one attach request.
const maxLabelItems = 1000

// labelJSON is a Label as attached to a group.
type labelJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Order int64  `json:"order"`
}

// labelAttachJSON is LabelAttachResult.
type labelAttachJSON struct {
	Attached []labelJSON `json:"attached"`
	Failures []labelJSON `json:"failures"`
}

// groupLabels lists a group's labels by order, then id.
func groupLabels(ctx context.Context, q store.Querier, ns string, groupID int64) ([]labelJSON, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.name, gl.position FROM clinked_group_labels gl
		JOIN clinked_labels l ON l.ns = gl.ns AND l.id = gl.label_id
		WHERE gl.ns = $1 AND gl.group_id = $2 ORDER BY gl.position, l.id`, ns, groupID)
	return store.Collect(rows, err, func(row store.Scanner) (labelJSON, error) {
		var l labelJSON
		return l, row.Scan(&l.ID, &l.Name, &l.Order)
	})
}

// listGroupLabels serves GET /v3/groups/{group}/labels.
func (s *Service) listGroupLabels(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, 0)
	if err != nil {
		return err
	}
	out, err := groupLabels(r.Context(), s.db, c.ns.ID, ga.group.id)
	return reply(w, out, err)
}

// labelItem is one entry of an attach request.
type labelItem struct {
	label int64
	order *int64
}

// attachGroupLabels serves POST /v3/groups/{group}/labels: each item's
// label (an account label) is attached at its order; an attached label
// moves to the new order, or keeps its own when order is null; a new one
// without an order goes last. Labels of no account of the group's are
// failures.
func (s *Service) attachGroupLabels(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, b, err := s.contentBody(w, r, c, permAdmin)
	if err != nil {
		return err
	}
	objs, ok := b.Objects("items")
	if !ok && b.Raw("items") == nil {
		b.Fail("items", "a list of {label, order}")
	}
	if len(objs) > maxLabelItems {
		b.Fail("items", "at most 1000 entries")
	}
	items := make([]labelItem, 0, len(objs))
	for _, o := range objs {
		id, ok := intField(o, "label")
		if !ok && o.Raw("label") == nil {
			o.Fail("label", "a label id")
		}
		it := labelItem{label: id}
		if v, ok := intField(o, "order"); ok {
			it.order = &v
		}
		items = append(items, it)
	}
	if err := b.Err(); err != nil {
		return err
	}
	ctx, g := r.Context(), ga.group
	out := labelAttachJSON{Attached: []labelJSON{}, Failures: []labelJSON{}}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			var name string
			err := tx.QueryRowContext(ctx, `SELECT name FROM clinked_labels WHERE ns = $1 AND id = $2 AND account_id = $3`,
				c.ns.ID, it.label, g.accountID).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				fail := labelJSON{ID: it.label}
				if it.order != nil {
					fail.Order = *it.order
				}
				out.Failures = append(out.Failures, fail)
				continue
			}
			if err != nil {
				return err
			}
			var pos int64
			err = tx.QueryRowContext(ctx, `SELECT position FROM clinked_group_labels WHERE ns = $1 AND group_id = $2 AND label_id = $3`,
				c.ns.ID, g.id, it.label).Scan(&pos)
			switch {
			case err == nil && it.order == nil:
			case err == nil:
				pos = *it.order
				_, err = tx.ExecContext(ctx, `UPDATE clinked_group_labels SET position = $4
					WHERE ns = $1 AND group_id = $2 AND label_id = $3`, c.ns.ID, g.id, it.label, pos)
			case errors.Is(err, sql.ErrNoRows):
				if it.order != nil {
					pos = *it.order
				} else if err = tx.QueryRowContext(ctx, `SELECT COALESCE(max(position) + 1, 0) FROM clinked_group_labels
					WHERE ns = $1 AND group_id = $2`, c.ns.ID, g.id).Scan(&pos); err != nil {
					return err
				}
				err = attachLabel(ctx, tx, c.ns.ID, g.id, it.label, pos)
			}
			if err != nil {
				return err
			}
			out.Attached = append(out.Attached, labelJSON{ID: it.label, Name: name, Order: pos})
		}
		return nil
	})
	return reply(w, out, err)
}

// attachLabel attaches a label to a group at position.
func attachLabel(ctx context.Context, q store.Querier, ns string, groupID, labelID, pos int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_group_labels (ns, group_id, label_id, position) VALUES ($1, $2, $3, $4)`,
		ns, groupID, labelID, pos)
	return uniqueConflict(err, "The label was attached at the same time; retry")
}

// detachGroupLabel serves DELETE /v3/groups/{group}/labels/{label}; a
// label that is not attached is fine (200).
func (s *Service) detachGroupLabel(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permAdmin)
	id, err := idAfter(r, "label", err)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_group_labels WHERE ns = $1 AND group_id = $2 AND label_id = $3`,
			c.ns.ID, ga.group.id, id)
		return err
	})
}

// detachAllGroupLabels serves DELETE /v3/groups/{group}/labels.
func (s *Service) detachAllGroupLabels(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permAdmin)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_group_labels WHERE ns = $1 AND group_id = $2`,
			c.ns.ID, ga.group.id)
		return err
	})
}
