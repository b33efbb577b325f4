package klipfolio

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
)

// userList is the data of GET /groups/{id}/users.
type userList struct {
	Users []member `json:"users"`
}

// listGroupUsers serves GET /api/1/groups/{id}/users.
func (s *Service) listGroupUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	pg, a, err := s.listScope(w, r, c)
	if err != nil {
		return err
	}
	g, err := findGroup(r.Context(), s.db, c.ns.ID, a.id, r.PathValue("id"))
	if err != nil {
		return err
	}
	total, err := countMembers(r.Context(), s.db, c.ns.ID, g)
	if err != nil {
		return err
	}
	users, err := listMembers(r.Context(), s.db, c.ns.ID, g, pg)
	if err != nil {
		return err
	}
	return writeOK(w, http.StatusOK, okMeta{listMeta: &listMeta{Count: len(users), Total: total}}, userList{users})
}

// addUserToGroup serves PUT /api/1/users/{uid}/groups/{gid}. Adding to
// the built-in "All Users" is a no-op: every user of the account is in it.
func (s *Service) addUserToGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.changeMembership(w, r, c, func(ctx context.Context, tx *sql.Tx, g *group, userID string) error {
		if g.builtin {
			return nil
		}
		return addMember(ctx, tx, c.ns.ID, g, userID)
	})
}

// removeUserFromGroup serves DELETE /api/1/users/{uid}/groups/{gid}.
func (s *Service) removeUserFromGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.changeMembership(w, r, c, func(ctx context.Context, tx *sql.Tx, g *group, userID string) error {
		if g.builtin {
			return httpx.Forbidden(`Users cannot be removed from the built-in "All Users" group`)
		}
		return removeMember(ctx, tx, c.ns.ID, g, userID)
	})
}

// changeMembership loads the user {uid} (of the caller's company or one of
// its clients) and the group {gid} in that user's account, and applies
// change to them in one transaction.
func (s *Service) changeMembership(w http.ResponseWriter, r *http.Request, c *caller,
	change func(ctx context.Context, tx *sql.Tx, g *group, userID string) error) error {
	ctx := r.Context()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := userBy(ctx, tx, c.ns.ID, "id", r.PathValue("uid"))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoUser
		}
		if err != nil {
			return err
		}
		if u.accountID != c.accountID {
			a, err := accountByID(ctx, tx, c.ns.ID, u.accountID)
			if err != nil || a.parentID != c.accountID {
				return errNoUser
			}
		}
		g, err := findGroup(ctx, tx, c.ns.ID, u.accountID, r.PathValue("gid"))
		if err != nil {
			return err
		}
		return change(ctx, tx, g, u.id)
	})
	if err != nil {
		return err
	}
	return done(w)
}

var errNoUser = httpx.NotFound("User not found")
