package klipfolio

import (
	"database/sql"
	"errors"
	"net/http"
)

func (s *Service) listGroupUsers(w http.ResponseWriter, r *http.Request) {
	p, good := s.params(w, r)
	if !good {
		return
	}
	pg, good := pageParams(w, p)
	if !good {
		return
	}
	a, good := s.scope(w, r, p)
	if !good {
		return
	}
	g, good := s.findGroup(w, r, a, r.PathValue("id"))
	if !good {
		return
	}
	ns := callerFrom(r.Context()).ns.ID
	total, err := countMembers(r.Context(), s.db, ns, g)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	users, err := listMembers(r.Context(), s.db, ns, g, pg)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	ok(w, http.StatusOK, map[string]any{"users": users}, map[string]any{"count": len(users), "total": total})
}

var errNoUser = errors.New("user not found")

// membership loads the user {uid} (of the caller's company or one of its
// clients) and the group {gid} in that user's account.
func (s *Service) membership(r *http.Request, tx *sql.Tx) (*user, *group, error) {
	c := callerFrom(r.Context())
	u, err := userByID(r.Context(), tx, c.ns.ID, r.PathValue("uid"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoUser
	}
	if err != nil {
		return nil, nil, err
	}
	if u.accountID != c.accountID {
		a, err := accountByID(r.Context(), tx, c.ns.ID, u.accountID)
		if err != nil || a.parentID != c.accountID {
			return nil, nil, errNoUser
		}
	}
	g, err := groupByID(r.Context(), tx, c.ns.ID, u.accountID, r.PathValue("gid"))
	return u, g, err
}

func (s *Service) addUserToGroup(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		u, g, err := s.membership(r, tx)
		if err != nil {
			return err
		}
		if g.builtin {
			return nil // every user of the account is already in "All Users"
		}
		return addMember(r.Context(), tx, c.ns.ID, g, u.id)
	})
	s.membershipResult(w, r, err)
}

func (s *Service) removeUserFromGroup(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		u, g, err := s.membership(r, tx)
		if err != nil {
			return err
		}
		if g.builtin {
			return errBuiltin
		}
		return removeMember(r.Context(), tx, c.ns.ID, g, u.id)
	})
	s.membershipResult(w, r, err)
}

func (s *Service) membershipResult(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errNoUser):
		fail(w, http.StatusNotFound, codeNotFound, "User not found")
	case errors.Is(err, sql.ErrNoRows):
		fail(w, http.StatusNotFound, codeNotFound, "Group not found")
	case errors.Is(err, errBuiltin):
		fail(w, http.StatusForbidden, codeForbidden, `Users cannot be removed from the built-in "All Users" group`)
	case err != nil:
		s.internalError(w, r, err)
	default:
		ok(w, http.StatusOK, nil, nil)
	}
}
