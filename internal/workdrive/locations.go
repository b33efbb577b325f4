package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

func locationJSON(l *location) map[string]any {
	return map[string]any{
		"id": l.id, "createdAt": isoTime(l.createdAt), "updatedAt": isoTime(l.updatedAt),
		"createdBy": l.createdBy, "updatedBy": l.updatedBy, "name": l.name, "orgId": l.orgID,
	}
}

// locationWithMembers is the object plus its members (users may belong to
// several locations).
func locationWithMembers(ctx context.Context, q store.Querier, ns *namespace.Namespace, l *location) (map[string]any, error) {
	m := locationJSON(l)
	users, err := scanUsers(q.QueryContext(ctx, userSelect+`
		JOIN workdrive_location_members m ON m.ns = u.ns AND m.user_id = u.id
		WHERE m.ns = $1 AND m.location_id = $2 ORDER BY m.created_at, u.id`, ns.ID, l.id))
	if err != nil {
		return nil, err
	}
	members := make([]map[string]any, 0, len(users))
	for _, u := range users {
		members = append(members, userSummary(ns, u))
	}
	m["members"] = members
	return m, nil
}

// listLocations: GET /api/locations, newest first, with member counts.
func (s *Service) listLocations(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	total, err := count(ctx, s.db, `SELECT count(*) FROM workdrive_locations WHERE ns = $1 AND org_id = $2 AND created_at <= $3`,
		c.ns.ID, c.orgID, p.Time)
	if err != nil {
		return err
	}
	lim, largs := p.SQL(3)
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.org_id, l.name, l.created_by, l.updated_by, l.created_at, l.updated_at,
		(SELECT count(*) FROM workdrive_location_members m WHERE m.ns = l.ns AND m.location_id = l.id)
		FROM workdrive_locations l WHERE l.ns = $1 AND l.org_id = $2 AND l.created_at <= $3
		ORDER BY l.created_at DESC, l.id DESC`+lim, append([]any{c.ns.ID, c.orgID, p.Time}, largs...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var l location
		var n int
		if err := rows.Scan(&l.id, &l.orgID, &l.name, &l.createdBy, &l.updatedBy, &l.createdAt, &l.updatedAt, &n); err != nil {
			return err
		}
		m := locationJSON(&l)
		m["memberCount"] = n
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return okJSON(w, map[string]any{"locations": out, "meta": p.Meta(total)})
}

// createLocation: POST /api/locations {"name"}; orgId and addedBy come from
// the API key (body values are ignored). The creator is the location's admin.
func (s *Service) createLocation(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return s.createLocationFrom(w, r, c, b)
}

func (s *Service) createLocationFrom(w http.ResponseWriter, r *http.Request, c *caller, b *body) error {
	if err := c.requireOrgAdmin("create locations"); err != nil {
		return err
	}
	name := strings.TrimSpace(b.Str("name"))
	if err := b.Err(); err != nil {
		return err
	}
	if name == "" {
		return badRequest("name is required")
	}
	now := c.nowMS()
	l := &location{id: ids.UUID(), orgID: c.orgID, name: name, createdBy: c.id, updatedBy: c.id, createdAt: now, updatedAt: now}
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := insertLocation(r.Context(), tx, c.ns.ID, l); err != nil {
			return err
		}
		return addLocationAdmin(r.Context(), tx, c.ns.ID, l.id, c.id)
	})
	if err != nil {
		return err
	}
	return created(w, locationJSON(l))
}

// locationForWrite loads a location for a write by the OrgAdmin or one of
// the location's admins.
func (s *Service) locationForWrite(ctx context.Context, tx *sql.Tx, c *caller, id string) (*location, error) {
	l, err := locationInOrg(ctx, tx, c.ns.ID, c.orgID, id)
	if err != nil {
		return nil, pathErr(err, "Location", id)
	}
	if !c.isOrgAdmin() {
		admin, err := exists(ctx, tx, `SELECT 1 FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2 AND user_id = $3`,
			c.ns.ID, id, c.id)
		if err != nil {
			return nil, err
		}
		if !admin {
			return nil, forbidden("Only the organization admin or an admin of the location can change it")
		}
	}
	return l, nil
}

func (s *Service) touchLocation(ctx context.Context, tx *sql.Tx, c *caller, l *location) error {
	l.updatedBy, l.updatedAt = c.id, c.nowMS()
	_, err := tx.ExecContext(ctx, `UPDATE workdrive_locations SET name = $3, updated_by = $4, updated_at = $5 WHERE ns = $1 AND id = $2`,
		c.ns.ID, l.id, l.name, l.updatedBy, l.updatedAt)
	return err
}

// updateLocationMembers: POST /api/locations/{id}/members, removals first.
func (s *Service) updateLocationMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	var add, remove []string
	for _, e := range b.Entries("addMembers") {
		if e.obj != nil {
			add = append(add, e.obj.Str("id"))
		} else {
			add = append(add, e.str)
		}
	}
	remove, _ = b.Strings("removeMembers")
	if err := b.Err(); err != nil {
		return err
	}
	var out map[string]any
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := s.locationForWrite(ctx, tx, c, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := checkUserIDs(ctx, tx, c.ns.ID, c.orgID, "addMembers", add); err != nil {
			return err
		}
		for _, id := range remove {
			if err := removeLocationMember(ctx, tx, c.ns.ID, l.id, id); err != nil {
				return err
			}
		}
		for _, id := range add {
			if err := addLocationMember(ctx, tx, c.ns.ID, l.id, id, c.nowMS()); err != nil {
				return err
			}
		}
		if err := s.touchLocation(ctx, tx, c, l); err != nil {
			return err
		}
		out, err = locationWithMembers(ctx, tx, c.ns, l)
		return err
	})
	if err != nil {
		return err
	}
	return created(w, out)
}

// listLocationMembers: GET /api/locations/{id}/members.
func (s *Service) listLocationMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	l, err := locationInOrg(r.Context(), s.db, c.ns.ID, c.orgID, id)
	if err != nil {
		return pathErr(err, "Location", id)
	}
	out, err := locationWithMembers(r.Context(), s.db, c.ns, l)
	if err != nil {
		return err
	}
	return okJSON(w, out)
}

// updateLocation: PATCH /api/locations/{id}; only name is writable.
func (s *Service) updateLocation(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	name, hasName := b.String("name")
	if err := b.Err(); err != nil {
		return err
	}
	if hasName && strings.TrimSpace(name) == "" {
		return badRequest("name must not be empty")
	}
	var l *location
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var err error
		if l, err = s.locationForWrite(r.Context(), tx, c, r.PathValue("id")); err != nil {
			return err
		}
		if hasName {
			l.name = strings.TrimSpace(name)
		}
		return s.touchLocation(r.Context(), tx, c, l)
	})
	if err != nil {
		return err
	}
	return okJSON(w, locationJSON(l))
}

// deleteLocation: DELETE /api/locations/{id}, OrgAdmin only. Members lose
// it (their next location becomes primary); location SSOs go with it.
func (s *Service) deleteLocation(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin("delete locations"); err != nil {
		return err
	}
	if _, err := readBody(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		ctx := r.Context()
		if _, err := locationInOrg(ctx, tx, c.ns.ID, c.orgID, id); err != nil {
			return pathErr(err, "Location", id)
		}
		members, err := strList(ctx, tx, `SELECT user_id FROM workdrive_location_members WHERE ns = $1 AND location_id = $2`, c.ns.ID, id)
		if err != nil {
			return err
		}
		for _, u := range members {
			if err := removeLocationMember(ctx, tx, c.ns.ID, id, u); err != nil {
				return err
			}
		}
		for _, q := range []string{
			`UPDATE workdrive_users SET location_id = NULL WHERE ns = $1 AND location_id = $2`,
			`DELETE FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2`,
			`DELETE FROM workdrive_sso WHERE ns = $1 AND level = 'LOCATION' AND location_id = $2`,
			`DELETE FROM workdrive_locations WHERE ns = $1 AND id = $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, c.ns.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return deleted(w)
}
