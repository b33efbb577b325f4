package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// locationOut is the Location object; lists add memberCount, create,
// update and members add members.
type locationOut struct {
	CreatedAt   string             `json:"createdAt"`
	CreatedBy   string             `json:"createdBy"`
	ID          string             `json:"id"`
	MemberCount *int               `json:"memberCount,omitempty"`
	Members     []*userSummaryJSON `json:"members,omitzero"`
	Name        string             `json:"name"`
	OrgID       string             `json:"orgId"`
	UpdatedAt   string             `json:"updatedAt"`
	UpdatedBy   string             `json:"updatedBy"`
}

// locationJSON renders the Location object.
func locationJSON(l *location) *locationOut {
	return &locationOut{
		ID: l.id, CreatedAt: isoTime(l.createdAt), UpdatedAt: isoTime(l.updatedAt),
		CreatedBy: l.createdBy, UpdatedBy: l.updatedBy, Name: l.name, OrgID: l.orgID,
	}
}

// locationWithMembers is the object plus its members (users may belong to
// several locations).
func locationWithMembers(ctx context.Context, q store.Querier, ns *namespace.Namespace, l *location) (*locationOut, error) {
	m := locationJSON(l)
	users, err := scanUsers(q.QueryContext(ctx, userSelect+`
		JOIN workdrive_location_members m ON m.ns = u.ns AND m.user_id = u.id
		WHERE m.ns = $1 AND m.location_id = $2 ORDER BY m.created_at, u.id`, ns.ID, l.id))
	if err != nil {
		return nil, err
	}
	m.Members = summariesOf(ns, users)
	return m, nil
}

// listLocations serves GET /api/locations, newest first, with member counts.
func (s *Service) listLocations(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, out, total, err := orgPage(s, r, c, "workdrive_locations", `x.id, x.org_id, x.name, x.created_by, x.updated_by,
		x.created_at, x.updated_at,
		(SELECT count(*) FROM workdrive_location_members m WHERE m.ns = x.ns AND m.location_id = x.id)`,
		func(row store.Scanner) (*locationOut, error) {
			var l location
			var n int
			if err := row.Scan(&l.id, &l.orgID, &l.name, &l.createdBy, &l.updatedBy, &l.createdAt, &l.updatedAt, &n); err != nil {
				return nil, err
			}
			m := locationJSON(&l)
			m.MemberCount = &n
			return m, nil
		})
	if err != nil {
		return err
	}
	return okJSON(w, struct {
		Locations []*locationOut `json:"locations"`
		Meta      pageMeta       `json:"meta"`
	}{out, p.Meta(total)})
}

// createLocation serves POST /api/locations {"name"}; orgId and addedBy come from
// the API key (body values are ignored). The creator is the location's admin.
func (s *Service) createLocation(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return s.createLocationFrom(w, r, c, b)
}

func (s *Service) createLocationFrom(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body) error {
	if err := c.requireOrgAdmin("create locations"); err != nil {
		return err
	}
	name := strings.TrimSpace(b.Str("name"))
	if err := b.Err(); err != nil {
		return err
	}
	if name == "" {
		return httpx.BadRequest("name is required")
	}
	now := c.nowMS()
	l := &location{newUnit(ids.UUID(), c.orgID, name, c.id, now)}
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

// updateLocationMembers serves POST /api/locations/{id}/members, removals first.
func (s *Service) updateLocationMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	var add, remove []string
	return locationKind.changeMembers(s, w, r, c, func(b *httpx.Body) {
		for _, e := range b.Entries("addMembers") {
			if e.Obj != nil {
				add = append(add, e.Obj.Str("id"))
			} else {
				add = append(add, e.Str)
			}
		}
		remove, _ = b.Strings("removeMembers")
	}, func(ctx context.Context, tx *sql.Tx, l *location) error {
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
		return nil
	})
}

// clearLocation removes a location and everything that refers to it
// (DELETE /api/locations/{id}): members lose it (their next location
// becomes primary); location SSOs go with it.
func clearLocation(ctx context.Context, tx *sql.Tx, ns, id string) error {
	members, err := strList(ctx, tx, `SELECT user_id FROM workdrive_location_members WHERE ns = $1 AND location_id = $2`, ns, id)
	if err != nil {
		return err
	}
	for _, u := range members {
		if err := removeLocationMember(ctx, tx, ns, id, u); err != nil {
			return err
		}
	}
	return execEach(ctx, tx, []string{
		`UPDATE workdrive_users SET location_id = NULL WHERE ns = $1 AND location_id = $2`,
		`DELETE FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2`,
		`DELETE FROM workdrive_sso WHERE ns = $1 AND level = 'LOCATION' AND location_id = $2`,
		`DELETE FROM workdrive_locations WHERE ns = $1 AND id = $2`,
	}, ns, id)
}
