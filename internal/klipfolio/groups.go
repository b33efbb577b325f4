package klipfolio

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/page"
)

// maxLimit is the largest page a list returns.
const maxLimit = 100

// groupSummary is a list item.
type groupSummary struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// groupDetail is GET /groups/{id}.
type groupDetail struct {
	ID          string   `json:"id"`
	ExternalID  *string  `json:"external_id"`
	Company     string   `json:"company"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	NumMembers  int      `json:"num_members"`
	Members     []member `json:"members,omitempty"`
}

// params reads the query and body parameters, answering 400 itself when the
// body is malformed.
func (s *Service) params(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	p, err := httpx.Params(w, r)
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		fail(w, http.StatusRequestEntityTooLarge, codeTooLarge, err.Error())
		return nil, false
	}
	if err != nil {
		fail(w, http.StatusBadRequest, codeBadRequest, err.Error())
		return nil, false
	}
	return p, true
}

// pageParams reads limit (at most 100) and offset.
func pageParams(w http.ResponseWriter, p url.Values) (page.Page, bool) {
	limit, err := page.Int("limit", p.Get("limit"), maxLimit)
	if err == nil {
		var offset int
		if offset, err = page.Int("offset", p.Get("offset"), 0); err == nil {
			return page.Page{Limit: page.Clamp(limit, 1, maxLimit), Offset: offset}, true
		}
	}
	fail(w, http.StatusBadRequest, codeBadRequest, err.Error())
	return page.Page{}, false
}

// scope resolves the account of the request (company, or client by
// client_id) and answers 404 itself when there is no such client.
func (s *Service) scope(w http.ResponseWriter, r *http.Request, p url.Values) (*account, bool) {
	a, err := s.account(r.Context(), callerFrom(r.Context()), strings.TrimSpace(p.Get("client_id")))
	if errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusNotFound, codeNotFound, "Client account not found")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	return a, true
}

// findGroup loads {id} in the request's account, answering 404 itself.
func (s *Service) findGroup(w http.ResponseWriter, r *http.Request, a *account, id string) (*group, bool) {
	g, err := groupByID(r.Context(), s.db, callerFrom(r.Context()).ns.ID, a.id, id)
	if errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusNotFound, codeNotFound, "Group not found")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	return g, true
}

func (s *Service) listGroups(w http.ResponseWriter, r *http.Request) {
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
	groups, total, err := listGroups(r.Context(), s.db, callerFrom(r.Context()).ns.ID, a.id, pg)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]groupSummary, 0, len(groups))
	for _, g := range groups {
		out = append(out, groupSummary{ID: g.id, Name: g.name, Description: g.description})
	}
	ok(w, http.StatusOK, map[string]any{"groups": out}, map[string]any{"count": len(out), "total": total})
}

func (s *Service) getGroup(w http.ResponseWriter, r *http.Request) {
	p, good := s.params(w, r)
	if !good {
		return
	}
	full := false
	if v := p.Get("full"); v != "" {
		var valid bool
		if full, valid = httpx.Bool(v); !valid {
			fail(w, http.StatusBadRequest, codeBadRequest, "full must be true or false")
			return
		}
	}
	a, good := s.scope(w, r, p)
	if !good {
		return
	}
	g, good := s.findGroup(w, r, a, r.PathValue("id"))
	if !good {
		return
	}
	d, err := s.detail(r.Context(), a, g, full)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	ok(w, http.StatusOK, d, nil)
}

// detail builds the group detail; with full, every member is listed (the
// doc's "associations").
func (s *Service) detail(ctx context.Context, a *account, g *group, full bool) (*groupDetail, error) {
	ns := callerFrom(ctx).ns.ID
	n, err := countMembers(ctx, s.db, ns, g)
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
		if d.Members, err = listMembers(ctx, s.db, ns, g, page.Page{Limit: n, Offset: 0}); err != nil {
			return nil, err
		}
		if d.Members == nil {
			d.Members = []member{}
		}
	}
	return d, nil
}

func (s *Service) createGroup(w http.ResponseWriter, r *http.Request) {
	p, good := s.params(w, r)
	if !good {
		return
	}
	name, description := strings.TrimSpace(p.Get("name")), p.Get("description")
	if name == "" || !p.Has("description") {
		fail(w, http.StatusBadRequest, codeBadRequest, "name and description are required")
		return
	}
	a, good := s.scope(w, r, p)
	if !good {
		return
	}
	c := callerFrom(r.Context())
	g := &group{accountID: a.id, id: ids.Hex32(), name: name, description: description}
	if err := s.db.Tx(r.Context(), func(tx *sql.Tx) error { return insertGroup(r.Context(), tx, c.ns.ID, g) }); err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Location", c.ns.BaseURL+apiRoot(r)+"/groups/"+g.id)
	ok(w, http.StatusCreated, nil, map[string]any{"location": "/groups/" + g.id})
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

func (s *Service) updateGroup(w http.ResponseWriter, r *http.Request) {
	p, good := s.params(w, r)
	if !good {
		return
	}
	if !p.Has("name") && !p.Has("description") {
		fail(w, http.StatusBadRequest, codeBadRequest, "give name or description to update")
		return
	}
	if p.Has("name") && strings.TrimSpace(p.Get("name")) == "" {
		fail(w, http.StatusBadRequest, codeBadRequest, "name cannot be empty")
		return
	}
	a, good := s.scope(w, r, p)
	if !good {
		return
	}
	c := callerFrom(r.Context())
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		g, err := groupByID(r.Context(), tx, c.ns.ID, a.id, r.PathValue("id"))
		if err != nil {
			return err
		}
		if p.Has("name") {
			g.name = strings.TrimSpace(p.Get("name"))
		}
		if p.Has("description") {
			g.description = p.Get("description")
		}
		return updateGroup(r.Context(), tx, c.ns.ID, g)
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		fail(w, http.StatusNotFound, codeNotFound, "Group not found")
	case err != nil:
		s.internalError(w, r, err)
	default:
		ok(w, http.StatusOK, nil, nil)
	}
}

var errBuiltin = errors.New("builtin group")

func (s *Service) deleteGroup(w http.ResponseWriter, r *http.Request) {
	p, good := s.params(w, r)
	if !good {
		return
	}
	a, good := s.scope(w, r, p)
	if !good {
		return
	}
	c := callerFrom(r.Context())
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		g, err := groupByID(r.Context(), tx, c.ns.ID, a.id, r.PathValue("id"))
		if err != nil {
			return err
		}
		if g.builtin {
			return errBuiltin
		}
		return deleteGroup(r.Context(), tx, c.ns.ID, g)
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		fail(w, http.StatusNotFound, codeNotFound, "Group not found")
	case errors.Is(err, errBuiltin):
		fail(w, http.StatusForbidden, codeForbidden, `The built-in "All Users" group cannot be deleted`)
	case err != nil:
		s.internalError(w, r, err)
	default:
		ok(w, http.StatusOK, nil, nil)
	}
}
