package worksection

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
)

// actionFunc runs one action. It returns the response's data (nil for a
// bare {"status":"ok"}), an *apiError for the client's mistakes, or another
// error for the server's.
type actionFunc func(ctx context.Context, c *caller, p url.Values) (any, error)

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

func (s *Service) dispatch(w http.ResponseWriter, r *http.Request, c *caller, p url.Values) {
	name := strings.TrimSpace(p.Get("action"))
	fn, found := s.acts[name]
	switch {
	case name == "":
		fail(w, http.StatusOK, appErr(codeAction, "Action is missed or invalid", "the action parameter is required"))
		return
	case !found:
		fail(w, http.StatusOK, appErr(codeAction, "Action is missed or invalid", "unknown action: "+name))
		return
	case tokenOnly[name] && !c.token:
		fail(w, http.StatusOK, appErr(codeTokenOnly, "Action is available only with an access token", name))
		return
	}
	data, err := fn(r.Context(), c, p)
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		fail(w, http.StatusOK, ae)
	case err != nil:
		s.internalError(w, r, err)
	default:
		ok(w, data)
	}
}

// str returns a trimmed parameter.
func str(p url.Values, name string) string { return strings.TrimSpace(p.Get(name)) }

// validEmail accepts a bare address (no display name), as the real
// service's validation does.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// email reads a required email parameter.
func email(p url.Values, name string) (string, error) {
	e := str(p, name)
	if e == "" {
		return "", required(name)
	}
	if !validEmail(e) {
		return "", invalid(name, name+" must be a valid email address")
	}
	return e, nil
}
