package worksection

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// actionFunc runs one action. It returns the response's data (nil for a
// bare {"status":"ok"}), an application error (appErr) for the client's
// mistakes, or another error for the server's.
type actionFunc func(ctx context.Context, c *caller, p *httpx.Body) (any, error)

// actions maps every action name to its handler.
func (s *Service) actions() map[string]actionFunc {
	return map[string]actionFunc{
		"get_users":          s.getUsers,
		"add_user":           s.addUser,
		"get_user_groups":    s.getUserGroups,
		"add_user_group":     s.addUserGroup,
		"get_contacts":       s.getContacts,
		"add_contact":        s.addContact,
		"get_contact_groups": s.getContactGroups,
		"add_contact_group":  s.addContactGroup,
		"subscribe":          s.subscribe,
		"unsubscribe":        s.unsubscribe,
		"me":                 s.me,
		"get_task":           s.getTask,
		"get_tasks":          s.getTasks,
	}
}

// tokenOnly lists the actions that need an OAuth2 access token.
var tokenOnly = map[string]bool{"me": true}

// dispatch runs the request's action as c and writes its data.
func (s *Service) dispatch(w http.ResponseWriter, r *http.Request, c *caller, p *httpx.Body) error {
	name := param(p, "action")
	fn, found := s.acts[name]
	switch {
	case name == "":
		return appErr(codeAction, "Action is missed or invalid", "the action parameter is required")
	case !found:
		return appErr(codeAction, "Action is missed or invalid", "unknown action: "+name)
	case tokenOnly[name] && !c.token:
		return appErr(codeTokenOnly, "Action is available only with an access token", name)
	}
	data, err := fn(r.Context(), c, p)
	if err != nil {
		return err
	}
	return writeOK(w, data)
}

// param returns a trimmed parameter. Worksection takes every parameter as
// text (the body is read in lenient mode); of a repeated one, the first.
func param(p *httpx.Body, name string) string {
	if s, ok := p.String(name); ok {
		return strings.TrimSpace(s)
	}
	if list, _ := p.Strings(name); len(list) > 0 {
		return strings.TrimSpace(list[0])
	}
	return ""
}

// field returns a trimmed optional parameter of at most max characters.
func field(p *httpx.Body, name string, max int) (string, error) {
	s := param(p, name)
	if !valid.Len(s, max) {
		return "", invalid(name, fmt.Sprintf("%s must be at most %d characters", name, max))
	}
	return s, nil
}

// fields reads several optional parameters of at most max characters each,
// in order.
func fields(p *httpx.Body, max int, names ...string) ([]string, error) {
	out := make([]string, len(names))
	for i, n := range names {
		var err error
		if out[i], err = field(p, n, max); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// email reads a required email parameter.
func email(p *httpx.Body, name string) (string, error) {
	e := param(p, name)
	if e == "" {
		return "", required(name)
	}
	if !valid.Email(e) {
		return "", invalid(name, name+" must be a valid email address")
	}
	return e, nil
}

// readTitle reads the required title of a new team or folder.
func readTitle(p *httpx.Body) (string, error) {
	t, err := field(p, "title", valid.MaxName)
	if err == nil && t == "" {
		err = required("title")
	}
	return t, err
}

// inTx runs fn in a transaction and returns what it made.
func inTx[T any](ctx context.Context, db *store.DB, fn func(tx *sql.Tx) (T, error)) (T, error) {
	var out T
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
