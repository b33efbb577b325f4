package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// Announcements are dashboard widgets of an account or a group, keyed by
// the widget id; the "main" announcement is the one without an id (stored
// under ''). An account announcement with propagate shows in every group
// of the account, marked inherit.

// Limits of an announcement (the doc gives none).
const (
	maxAnnouncementBody = 10000
	maxColour           = 50
	maxAnnouncements    = 1000
)

// announcementJSON is an Announcement; the main one has no id (null).
type announcementJSON struct {
	ID        *string `json:"id"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Colour    string  `json:"colour"`
	Propagate bool    `json:"propagate"`
	Inherit   bool    `json:"inherit"`
}

// announcementRow is a stored announcement.
type announcementRow struct {
	id, title, body, colour string
	propagate, inherit      bool
}

func (a *announcementRow) dest() []any {
	return []any{&a.id, &a.title, &a.body, &a.colour, &a.propagate, &a.inherit}
}

func (a *announcementRow) json() announcementJSON {
	out := announcementJSON{Title: a.title, Body: a.body, Colour: a.colour, Propagate: a.propagate, Inherit: a.inherit}
	if a.id != "" {
		id := a.id
		out.ID = &id
	}
	return out
}

const announcementColumns = `id, title, body, colour, propagate, inherit`

// announcementWhere selects a scope's own announcements and, for a group,
// its account's propagated ones.
func announcementWhere(args *store.Args, ns string, sc scope) string {
	where := `ns = ` + args.Add(ns) + ` AND account_id = ` + args.Add(sc.accountID) + ` AND (group_id = ` + args.Add(sc.groupID)
	if sc.groupID != 0 {
		where += ` OR (group_id = 0 AND propagate)`
	}
	return where + `)`
}

// scanAnnouncement reads a row; an account announcement seen from a group
// is inherited.
func scanAnnouncement(row store.Scanner, sc scope) (announcementJSON, error) {
	var a announcementRow
	var groupID int64
	if err := row.Scan(append(a.dest(), &groupID)...); err != nil {
		return announcementJSON{}, err
	}
	if sc.groupID != 0 && groupID == 0 {
		a.inherit = true
	}
	return a.json(), nil
}

// listAnnouncements serves GET …/announcements: the list, or with ?id= one
// announcement (404 when unknown; an empty id is the main one).
func (s *Service) listAnnouncements(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	var args store.Args
	where := announcementWhere(&args, c.ns.ID, sc)
	// A group's own announcements before inherited ones; the main one ('')
	// first.
	order := ` ORDER BY CASE WHEN group_id = 0 THEN 1 ELSE 0 END, id`
	q := `SELECT ` + announcementColumns + `, group_id FROM clinked_announcements WHERE ` + where
	if _, one := p["id"]; one {
		row := s.db.QueryRowContext(r.Context(), q+` AND id = `+args.Add(p.Get("id"))+order+` LIMIT 1`, args...)
		a, err := scanAnnouncement(row, sc)
		if err != nil {
			return notFoundIf(err, "Announcement not found")
		}
		httpx.WriteJSON(w, http.StatusOK, a)
		return nil
	}
	rows, err := s.db.QueryContext(r.Context(), q+order+` LIMIT `+args.Add(maxAnnouncements), args...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (announcementJSON, error) { return scanAnnouncement(row, sc) })
	return reply(w, out, err)
}

// upsertAnnouncement serves POST …/announcements: create or update by id
// (the body's, else the query's; none is the main announcement). On
// update, omitted fields keep their values.
func (s *Service) upsertAnnouncement(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	b, err := httpx.ReadParams(w, r, httpx.Strict)
	if err != nil {
		return err
	}
	id, _ := b.StringMax("id", valid.MaxName)
	id = strings.TrimSpace(id)
	ctx := r.Context()
	var out announcementRow
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		a := announcementRow{id: id, colour: "success"}
		err := tx.QueryRowContext(ctx, `SELECT `+announcementColumns+` FROM clinked_announcements
			WHERE ns = $1 AND account_id = $2 AND group_id = $3 AND id = $4`, c.ns.ID, sc.accountID, sc.groupID, id).
			Scan(a.dest()...)
		exists := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if v, ok := b.StringMax("title", valid.MaxName); ok {
			a.title = v
		}
		if v, ok := b.StringMax("body", maxAnnouncementBody); ok {
			a.body = v
		}
		if v, ok := b.StringMax("colour", maxColour); ok {
			if strings.TrimSpace(v) == "" {
				b.Fail("colour", "a non-empty string")
			}
			a.colour = v
		}
		boolInto(b, "propagate", &a.propagate)
		boolInto(b, "inherit", &a.inherit)
		if err := b.Err(); err != nil {
			return err
		}
		if exists {
			_, err = tx.ExecContext(ctx, `UPDATE clinked_announcements SET title = $5, body = $6, colour = $7,
				propagate = $8, inherit = $9 WHERE ns = $1 AND account_id = $2 AND group_id = $3 AND id = $4`,
				c.ns.ID, sc.accountID, sc.groupID, a.id, a.title, a.body, a.colour, a.propagate, a.inherit)
		} else {
			err = insertAnnouncement(ctx, tx, c.ns.ID, sc, &a)
		}
		out = a
		return err
	})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out.json())
	return nil
}

// insertAnnouncement stores a new announcement.
func insertAnnouncement(ctx context.Context, q store.Querier, ns string, sc scope, a *announcementRow) error {
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_announcements (ns, account_id, group_id, `+announcementColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ns, sc.accountID, sc.groupID, a.id, a.title, a.body, a.colour, a.propagate, a.inherit)
	return uniqueConflict(err, "Announcement "+a.id+" was created at the same time; retry")
}

// deleteAnnouncement serves DELETE …/announcements: ?id= names one,
// without it the main announcement goes. Deleting what is not there is
// fine (200).
func (s *Service) deleteAnnouncement(w http.ResponseWriter, r *http.Request, c *caller, sc scope) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_announcements
			WHERE ns = $1 AND account_id = $2 AND group_id = $3 AND id = $4`,
			c.ns.ID, sc.accountID, sc.groupID, strings.TrimSpace(p.Get("id")))
		return err
	})
}
