package worksection

import (
	"context"
	"database/sql"
	"errors"
	"github.com/standin-dev/standin/internal/httpx"

	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// invitableRoles are the roles that add_user may grant; owner and the
// admin roles cannot be given through the API.
var invitableRoles = map[string]bool{"user": true, "guest": true, "reader": true}

// getUsers serves action=get_users.
func (s *Service) getUsers(ctx context.Context, c *caller, _ *httpx.Body) (any, error) {
	users, err := listUsers(ctx, s.db, c.ns.ID)
	return rendered(users, err, func(u *user) userOut { return u.out(c.ns.BaseURL) })
}

// me serves action=me: the token's user, in an array as the docs show.
func (s *Service) me(_ context.Context, c *caller, _ *httpx.Body) (any, error) {
	return []userOut{c.user.out(c.ns.BaseURL)}, nil
}

// addUser serves action=add_user: it invites a user, created in the
// invited state, no mail sent. The team is get-or-create by name; without
// one the user joins the caller's.
func (s *Service) addUser(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	addr, err := email(p, "email")
	if err != nil {
		return nil, err
	}
	role := param(p, "role")
	if role == "" {
		role = "user"
	}
	if !invitableRoles[role] {
		return nil, invalid("role", "role must be one of: user, guest, reader")
	}
	f, err := fields(p, valid.MaxName, "first_name", "last_name", "title", "department", "group")
	if err != nil {
		return nil, err
	}
	group := f[4]
	u := &user{
		email: addr, firstName: f[0], lastName: f[1], title: f[2], department: f[3], role: role, invited: true,
		teamID: c.user.teamID,
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := userByEmail(ctx, tx, c.ns.ID, addr); err == nil {
			return appErr(codeExists, "User with this email already exists", addr)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if group != "" {
			t, _, err := teams.getOrCreate(ctx, tx, c.ns.ID, group, 0)
			if err != nil {
				return err
			}
			u.teamID = t.id
		}
		if err := insertUser(ctx, tx, c.ns.ID, u, c.ns.Now()); store.IsUniqueViolation(err) {
			return appErr(codeExists, "User with this email already exists", addr) // added meanwhile
		} else if err != nil {
			return err
		}
		u, err = userByID(ctx, tx, c.ns.ID, u.id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u.out(c.ns.BaseURL), nil
}

// getUserGroups serves action=get_user_groups.
func (s *Service) getUserGroups(ctx context.Context, c *caller, _ *httpx.Body) (any, error) {
	list, err := teams.list(ctx, s.db, c.ns.ID)
	return rendered(list, err, (*team).out)
}

// addUserGroup serves action=add_user_group: it creates a team unless one
// of that name exists, which it then returns unchanged.
func (s *Service) addUserGroup(ctx context.Context, c *caller, p *httpx.Body) (any, error) {
	title, err := readTitle(p)
	if err != nil {
		return nil, err
	}
	client := 0
	switch param(p, "client") {
	case "", "0":
	case "1":
		client = 1
	default:
		return nil, invalid("client", "client must be 0 (company team) or 1 (client team)")
	}
	t, err := inTx(ctx, s.db, func(tx *sql.Tx) (*team, error) {
		t, _, err := teams.getOrCreate(ctx, tx, c.ns.ID, title, client)
		return t, err
	})
	if err != nil {
		return nil, err
	}
	return t.out(), nil
}
