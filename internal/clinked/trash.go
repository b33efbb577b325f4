package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sort"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// trashKind is what the trash needs from one kind of group content: how
// to put an item back and how to destroy it. Content files register their
// kind in init (registerTrashKind), so the trash endpoints serve every
// kind without knowing it.
type trashKind struct {
	// restore clears the item's trashed mark. An error of type
	// *httpx.Error puts the entry in the answer's error list instead of
	// failing the request.
	restore func(ctx context.Context, tx *sql.Tx, ns string, itemID int64) error
	// purge deletes the item and what it holds (file bytes, children).
	purge func(ctx context.Context, tx *sql.Tx, ns string, itemID int64) error
}

var trashKinds = map[string]trashKind{}

// maxBulkItems bounds the ids of one bulk trash call.
const maxBulkItems = 1000

// registerTrashKind makes kind ("file", "folder", "event", "task") known to
// the trash. It is called from init functions only.
func registerTrashKind(kind string, k trashKind) { trashKinds[kind] = k }

// moveToTrash records that a content item was removed by userID; the
// caller marks the item itself as trashed in the same transaction. It
// returns the trash entry id.
func moveToTrash(ctx context.Context, tx *sql.Tx, ns string, groupID int64, kind string, itemID int64, friendlyName string, userID, now int64) (int64, error) {
	if _, ok := trashKinds[kind]; !ok {
		return 0, errors.New("clinked: unregistered trash kind " + kind)
	}
	id, err := store.NextID(ctx, tx, ns, "clinked.trash")
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO clinked_trash (ns, id, group_id, kind, item_id, friendly_name, user_id, date_deleted)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ns, id, groupID, kind, itemID, friendlyName, userID, now)
	return id, err
}

// trashEntry is a clinked_trash row.
type trashEntry struct {
	id, groupID, itemID, userID, dateDeleted int64
	kind, friendlyName                       string
}

const trashCols = `id, group_id, kind, item_id, friendly_name, user_id, date_deleted`

func (e *trashEntry) dest() []any {
	return []any{&e.id, &e.groupID, &e.kind, &e.itemID, &e.friendlyName, &e.userID, &e.dateDeleted}
}

// trashItemJSON is a trash entry: {id, type, friendlyName, user, dateDeleted}.
type trashItemJSON struct {
	ID           int64        `json:"id"`
	Type         string       `json:"type"`
	FriendlyName string       `json:"friendlyName"`
	User         baseUserJSON `json:"user"`
	DateDeleted  int64        `json:"dateDeleted"`
}

func (s *Service) trashJSON(ctx context.Context, q store.Querier, ns string, entries []*trashEntry) ([]trashItemJSON, error) {
	users := newUserCache(q, ns)
	out := make([]trashItemJSON, 0, len(entries))
	for _, e := range entries {
		u, err := users.get(ctx, e.userID)
		if err != nil {
			return nil, err
		}
		out = append(out, trashItemJSON{ID: e.id, Type: e.kind, FriendlyName: e.friendlyName, User: u, DateDeleted: e.dateDeleted})
	}
	return out, nil
}

var trashOrder = orderSpec{
	columns:  map[string]string{"dateDeleted": "date_deleted", "friendlyName": "friendly_name", "type": "kind"},
	def:      "dateDeleted",
	tiebreak: "id",
}

// listTrash serves GET /v3/groups/{group}/trash.
func (s *Service) listTrash(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	p := r.URL.Query()
	if p.Get("ascending") == "" {
		p.Set("ascending", "false") // newest first
	}
	q, err := parseList(p, 25, trashOrder)
	if err != nil {
		return err
	}
	args := store.Args{c.ns.ID, ga.group.id}
	where := ` FROM clinked_trash WHERE ns = $1 AND group_id = $2`
	total, err := s.count(r.Context(), `SELECT count(*)`+where, args)
	if err != nil {
		return err
	}
	tail, all := q.orderAndLimit(args)
	rows, err := s.db.QueryContext(r.Context(), `SELECT `+trashCols+where+tail, all...)
	entries, err := store.Collect(rows, err, scanTrash)
	if err != nil {
		return err
	}
	items, err := s.trashJSON(r.Context(), s.db, c.ns.ID, entries)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, newPage(items, q, total))
	return nil
}

// trashResultJSON answers the bulk trash calls: the entries processed and
// those that were not (unknown ids, or content that cannot come back).
type trashResultJSON struct {
	Success []trashItemJSON `json:"success"`
	Error   []trashItemJSON `json:"error"`
}

// mayManageTrash tells whether c may restore or purge entry e: its own
// deletions, or any as a group administrator.
func mayManageTrash(ga *groupAccess, c *caller, e *trashEntry) bool {
	return ga.perm >= permAdmin || e.userID == c.user.id
}

func trashEntryByID(ctx context.Context, q store.Querier, ns string, groupID, id int64) (*trashEntry, error) {
	return scanTrash(q.QueryRowContext(ctx, `SELECT `+trashCols+` FROM clinked_trash WHERE ns = $1 AND group_id = $2 AND id = $3`, ns, groupID, id))
}

// purgeTrash destroys an entry's content and the entry.
func purgeTrash(ctx context.Context, tx *sql.Tx, ns string, e *trashEntry) error {
	if k, ok := trashKinds[e.kind]; ok {
		if err := k.purge(ctx, tx, ns, e.itemID); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM clinked_trash WHERE ns = $1 AND id = $2`, ns, e.id)
	return err
}

// restoreTrash puts an entry's content back and drops the entry.
func restoreTrash(ctx context.Context, tx *sql.Tx, ns string, e *trashEntry) error {
	k, known := trashKinds[e.kind]
	if !known {
		return httpx.Conflict("Items of type %s cannot be restored", e.kind)
	}
	if err := k.restore(ctx, tx, ns, e.itemID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM clinked_trash WHERE ns = $1 AND id = $2`, ns, e.id)
	return err
}

// deleteTrashItem serves DELETE /v3/groups/{group}/trash/{item}: the item
// is gone for good.
func (s *Service) deleteTrashItem(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	id, err := idAfter(r, "item", err)
	if err != nil {
		return err
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		e, err := trashEntryByID(r.Context(), tx, c.ns.ID, ga.group.id, id)
		if err != nil {
			return notFoundIf(err, "Trash item not found")
		}
		if !mayManageTrash(ga, c, e) {
			return httpx.Forbidden("Only the group administrator or the user who deleted it may remove this item")
		}
		return purgeTrash(r.Context(), tx, c.ns.ID, e)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// processTrash serves POST /v3/groups/{group}/trash: {"action": "delete"
// or "restore", "items": [ids], "processAll": bool}. Each entry succeeds or
// lands in error on its own; the request as a whole is one transaction.
// processAll runs to completion before the answer, so progress reads 100
// once it returns.
func (s *Service) processTrash(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	b, err := httpx.ReadRequestBody(w, r, httpx.Strict)
	if err != nil {
		return err
	}
	action, _ := b.String("action")
	all, _ := b.Bool("processAll")
	var ids []int64
	for _, it := range b.Entries("items") {
		n, ok := httpx.Int64(it.Str)
		if it.Obj != nil || !ok {
			b.Fail("items", "an array of trash entry ids")
			break
		}
		ids = append(ids, n)
	}
	if err := b.Err(); err != nil {
		return err
	}
	if action != "delete" && action != "restore" {
		return httpx.BadRequest("action must be delete or restore")
	}
	if all && action != "delete" {
		return httpx.BadRequest("processAll is only for the delete action")
	}
	if len(ids) > maxBulkItems {
		return httpx.BadRequest("items must hold at most %d ids", maxBulkItems)
	}
	var done, failed []*trashEntry
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		done, failed = nil, nil
		var entries []*trashEntry
		if all {
			rows, err := tx.QueryContext(r.Context(), `SELECT `+trashCols+` FROM clinked_trash WHERE ns = $1 AND group_id = $2 ORDER BY id`, c.ns.ID, ga.group.id)
			if entries, err = store.Collect(rows, err, scanTrash); err != nil {
				return err
			}
		}
		for _, id := range ids {
			e, err := trashEntryByID(r.Context(), tx, c.ns.ID, ga.group.id, id)
			if errors.Is(err, sql.ErrNoRows) {
				failed = append(failed, &trashEntry{id: id, userID: c.user.id})
				continue
			}
			if err != nil {
				return err
			}
			if !all {
				entries = append(entries, e)
			}
		}
		for _, e := range entries {
			if !mayManageTrash(ga, c, e) {
				failed = append(failed, e)
				continue
			}
			op := purgeTrash
			if action == "restore" {
				op = restoreTrash
			}
			err := op(r.Context(), tx, c.ns.ID, e)
			var ae *httpx.Error
			switch {
			case errors.As(err, &ae):
				failed = append(failed, e)
			case err != nil:
				return err
			default:
				done = append(done, e)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(done, func(i, j int) bool { return done[i].id < done[j].id })
	out := trashResultJSON{}
	if out.Success, err = s.trashJSON(r.Context(), s.db, c.ns.ID, done); err != nil {
		return err
	}
	if out.Error, err = s.trashJSON(r.Context(), s.db, c.ns.ID, failed); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// trashProgressJSON is {"progress": 18.18}.
type trashProgressJSON struct {
	Progress float64 `json:"progress"`
}

// trashProgress serves GET /v3/groups/{group}/trash/progress. standin runs
// processAll inside its request, so no job is ever pending: 100.
func (s *Service) trashProgress(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, err := s.contentGroup(r, c, permBasic)
	return reply(w, trashProgressJSON{Progress: 100}, err)
}
