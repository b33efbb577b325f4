package klipfolio

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// maxLimit is the largest page a list returns.
const maxLimit = 100

// groupSummary is a list item.
type groupSummary struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// groupList is the data of GET /groups.
type groupList struct {
	Groups []groupSummary `json:"groups"`
}

// groupDetail is GET /groups/{id}. Members is there with full=true only,
// and then always, [] when the group has none.
type groupDetail struct {
	ID          string    `json:"id"`
	ExternalID  *string   `json:"external_id"`
	Company     string    `json:"company"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	NumMembers  int       `json:"num_members"`
	Members     *[]member `json:"members,omitempty"`
}

// params reads the query and the body; Klipfolio's JSON types are strict.
func params(w http.ResponseWriter, r *http.Request) (*httpx.Body, error) {
	return httpx.ReadParams(w, r, httpx.Strict)
}

// scope resolves the account a request works in (company, or client by
// client_id). Type errors recorded so far are a 400 before any lookup.
func (s *Service) scope(ctx context.Context, c *caller, b *httpx.Body) (*account, error) {
	clientID, err := clientIDOf(b)
	if err != nil {
		return nil, err
	}
	return s.account(ctx, c, clientID)
}

// clientIDOf reads client_id, after which the type errors recorded so far
// are a 400.
func clientIDOf(b *httpx.Body) (string, error) {
	id := strings.TrimSpace(text(b, "client_id"))
	return id, b.Err()
}

// text returns a parameter as the client wrote it: a string's content, any
// other JSON value as its JSON text ("" when absent). Text that the
// databases cannot store (NUL) is recorded as an error.
func text(b *httpx.Body, key string) string {
	raw := b.Raw(key)
	if raw == nil {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	if strings.ContainsRune(s, 0) {
		b.Fail(key, "text without NUL characters")
		return ""
	}
	return s
}

// field reads a stored string: a JSON string of at most max characters,
// without NUL. present is false when absent or null.
func field(b *httpx.Body, key string, max int) (s string, present bool) {
	s, present = b.StringMax(key, max)
	if present && strings.ContainsRune(s, 0) {
		b.Fail(key, "text without NUL characters")
		return "", false
	}
	return s, present
}

// pageParams reads limit (at most 100) and offset.
func pageParams(b *httpx.Body) (page.Page, error) {
	limit, err := page.Int("limit", text(b, "limit"), maxLimit)
	if err != nil {
		return page.Page{}, httpx.BadRequest("%s", err.Error())
	}
	offset, err := page.Int("offset", text(b, "offset"), 0)
	if err != nil {
		return page.Page{}, httpx.BadRequest("%s", err.Error())
	}
	return page.Page{Limit: page.Clamp(limit, 1, maxLimit), Offset: offset}, b.Err()
}

// findGroup loads group id of an account; a missing one is a 404.
func findGroup(ctx context.Context, q store.Querier, ns, accountID, id string) (*group, error) {
	g, err := groupByID(ctx, q, ns, accountID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("Group not found")
	}
	return g, err
}

// listScope reads what every list reads: the page, then the account.
func (s *Service) listScope(w http.ResponseWriter, r *http.Request, c *caller) (page.Page, *account, error) {
	b, err := params(w, r)
	if err != nil {
		return page.Page{}, nil, err
	}
	pg, err := pageParams(b)
	if err != nil {
		return page.Page{}, nil, err
	}
	a, err := s.scope(r.Context(), c, b)
	return pg, a, err
}

// listGroups serves GET /api/1/groups.
func (s *Service) listGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	pg, a, err := s.listScope(w, r, c)
	if err != nil {
		return err
	}
	// The page is kept until the namespace's next counted write.
	type groupsPage struct {
		list  groupList
		total int
	}
	key := fmt.Sprintf("klipfolio.groups:%s:%d:%d", a.id, pg.Limit, pg.Offset)
	p, err := namespace.Remember(r.Context(), key, func() (groupsPage, error) {
		groups, total, err := listGroups(r.Context(), s.db, c.ns.ID, a.id, pg)
		out := make([]groupSummary, 0, len(groups))
		for _, g := range groups {
			out = append(out, groupSummary{ID: g.id, Name: g.name, Description: g.description})
		}
		return groupsPage{groupList{out}, total}, err
	})
	if err != nil {
		return err
	}
	return writeOK(w, http.StatusOK, okMeta{listMeta: &listMeta{Count: len(p.list.Groups), Total: p.total}}, p.list)
}

// getGroup serves GET /api/1/groups/{id}.
func (s *Service) getGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := params(w, r)
	if err != nil {
		return err
	}
	full := false
	if v := text(b, "full"); v != "" {
		var ok bool
		if full, ok = httpx.Bool(v); !ok {
			return httpx.BadRequest("full must be true or false")
		}
	}
	a, err := s.scope(r.Context(), c, b)
	if err != nil {
		return err
	}
	g, err := findGroup(r.Context(), s.db, c.ns.ID, a.id, r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.detail(r.Context(), c, a, g, full)
	if err != nil {
		return err
	}
	return writeOK(w, http.StatusOK, okMeta{}, d)
}

// detail builds the group detail; with full, every member is listed (the
// doc's "associations").
func (s *Service) detail(ctx context.Context, c *caller, a *account, g *group, full bool) (*groupDetail, error) {
	n, err := countMembers(ctx, s.db, c.ns.ID, g)
	if err != nil {
		return nil, err
	}
	d := &groupDetail{ID: g.id, Company: "Self", Name: g.name, Description: g.description, NumMembers: n}
	if a.parentID != "" {
		d.Company = a.name
	}
	if g.externalID.Valid {
		d.ExternalID = &g.externalID.String
	}
	if full {
		members, err := listMembers(ctx, s.db, c.ns.ID, g, page.Page{Limit: n, Offset: 0})
		if err != nil {
			return nil, err
		}
		d.Members = &members
	}
	return d, nil
}

// groupFields reads name and description: JSON strings within their
// limits (docs/decisions.md), the name not blank once trimmed.
func groupFields(b *httpx.Body) (name, description string, hasName, hasDescription bool, err error) {
	name, hasName = field(b, "name", valid.MaxName)
	description, hasDescription = field(b, "description", valid.MaxText)
	if err := b.Err(); err != nil {
		return "", "", false, false, err
	}
	return strings.TrimSpace(name), description, hasName, hasDescription, nil
}

// createGroup serves POST /api/1/groups.
func (s *Service) createGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := params(w, r)
	if err != nil {
		return err
	}
	name, description, _, hasDescription, err := groupFields(b)
	if err != nil {
		return err
	}
	if name == "" || !hasDescription {
		return httpx.BadRequest("name and description are required")
	}
	// The account is checked by the INSERT itself (insertGroupIn): as
	// scope, the caller's company, or a client of it named by client_id.
	clientID, err := clientIDOf(b)
	if err != nil {
		return err
	}
	g := &group{accountID: c.accountID, id: ids.Hex32(), name: name, description: description}
	manager := ""
	if clientID != "" {
		g.accountID, manager = clientID, c.accountID
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error { return insertGroupIn(r.Context(), tx, c.ns.ID, g, manager) })
	if errors.Is(err, sql.ErrNoRows) {
		return httpx.NotFound("Client account not found")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", c.ns.BaseURL+apiRoot(r)+"/groups/"+g.id)
	return writeOK(w, http.StatusCreated, okMeta{Location: "/groups/" + g.id}, nil)
}

// apiRoot is the API prefix that the request used (/api/1 or /api/1.0).
func apiRoot(r *http.Request) string {
	for _, p := range apiPrefixes {
		if strings.HasPrefix(r.URL.Path, p+"/") && p != "/api/1" {
			return p
		}
	}
	return "/api/1"
}

// updateGroup serves PUT /api/1/groups/{id}: a partial update.
func (s *Service) updateGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := params(w, r)
	if err != nil {
		return err
	}
	name, description, hasName, hasDescription, err := groupFields(b)
	switch {
	case err != nil:
		return err
	case !hasName && !hasDescription:
		return httpx.BadRequest("give name or description to update")
	case hasName && name == "":
		return httpx.BadRequest("name cannot be empty")
	}
	return s.changeGroup(w, r, c, b, func(ctx context.Context, tx *sql.Tx, g *group) error {
		if hasName {
			g.name = name
		}
		if hasDescription {
			g.description = description
		}
		return updateGroup(ctx, tx, c.ns.ID, g)
	})
}

// deleteGroup serves DELETE /api/1/groups/{id}.
func (s *Service) deleteGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := params(w, r)
	if err != nil {
		return err
	}
	return s.changeGroup(w, r, c, b, func(ctx context.Context, tx *sql.Tx, g *group) error {
		if g.builtin {
			return httpx.Forbidden(`The built-in "All Users" group cannot be deleted`)
		}
		return deleteGroup(ctx, tx, c.ns.ID, g)
	})
}

// changeGroup resolves the account, then loads group {id} of it and
// applies change in one transaction, and answers 200.
func (s *Service) changeGroup(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body,
	change func(ctx context.Context, tx *sql.Tx, g *group) error) error {
	ctx := r.Context()
	a, err := s.scope(ctx, c, b)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		g, err := findGroup(ctx, tx, c.ns.ID, a.id, r.PathValue("id"))
		if err != nil {
			return err
		}
		return change(ctx, tx, g)
	})
	if err != nil {
		return err
	}
	return done(w)
}
