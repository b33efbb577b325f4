package control

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/page"
)

// lifecycleRoutes registers snapshots, restore and bulk delete.
func (s *server) lifecycleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /_standin/namespaces/{id}/snapshots", s.handle(s.createSnapshot))
	mux.HandleFunc("GET /_standin/namespaces/{id}/snapshots", s.handle(s.listSnapshots))
	mux.HandleFunc("DELETE /_standin/namespaces/{id}/snapshots/{sid}", s.handle(s.deleteSnapshot))
	mux.HandleFunc("POST /_standin/namespaces/{id}/snapshots/{sid}/restore", s.handle(s.restoreSnapshot))
	mux.HandleFunc("DELETE /_standin/namespaces", s.handle(s.deleteNamespaces))
	mux.HandleFunc("GET /_standin/namespaces/{id}/export", s.handle(s.exportNamespace))
}

// handle adapts an error-returning control handler; errors go through fail.
func (s *server) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

func invalid(msg string) error { return &app.ErrInvalid{Msg: msg} }

// createSnapshot serves POST /_standin/namespaces/{id}/snapshots.
func (s *server) createSnapshot(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return invalid(err.Error())
	}
	snap, err := s.app.CreateSnapshot(r.Context(), r.PathValue("id"), req.Name)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, snap)
	return nil
}

type snapshotList struct {
	Snapshots []*app.Snapshot `json:"snapshots"`
	Total     int             `json:"total"`
}

// listSnapshots serves GET /_standin/namespaces/{id}/snapshots.
func (s *server) listSnapshots(w http.ResponseWriter, r *http.Request) error {
	list, err := s.app.Snapshots(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, snapshotList{Snapshots: list, Total: len(list)})
	return nil
}

// deleteSnapshot serves DELETE /_standin/namespaces/{id}/snapshots/{sid}.
func (s *server) deleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.DeleteSnapshot(r.Context(), r.PathValue("id"), r.PathValue("sid")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// restoreSnapshot serves POST /_standin/namespaces/{id}/snapshots/{sid}/restore.
func (s *server) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.app.RestoreSnapshot(r.Context(), r.PathValue("id"), r.PathValue("sid"))
	if err != nil {
		return err
	}
	s.info(w, r, http.StatusOK, ns)
	return nil
}

// createRequest is the body of POST /_standin/namespaces.
type createRequest struct {
	ID       string            `json:"id"`
	Seed     string            `json:"seed"`
	From     string            `json:"from"`
	Snapshot string            `json:"snapshot"`
	TTL      string            `json:"ttl"`
	Labels   map[string]string `json:"labels"`
}

// maxTTL bounds a namespace's life; longer-lived ones need no ttl.
const maxTTL = 366 * 24 * time.Hour

// createNamespace serves POST /_standin/namespaces: a new namespace from a
// seed, or with "from" a fork of another's state or snapshot.
func (s *server) createNamespace(w http.ResponseWriter, r *http.Request) error {
	var req createRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return invalid(err.Error())
	}
	var opts []app.CreateOption
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 || d > maxTTL {
			return invalid(`ttl must be a positive Go duration up to a year, such as "30m" or "2h"`)
		}
		opts = append(opts, app.WithExpiry(s.app.Clock().Now().Add(d)))
	}
	if req.Labels != nil {
		if err := app.CheckLabels(req.Labels); err != nil {
			return err
		}
		opts = append(opts, app.WithLabels(req.Labels))
	}
	if req.From == "" {
		if req.Snapshot != "" {
			return invalid(`"snapshot" needs "from", the namespace that holds it`)
		}
		ns, err := s.app.CreateNamespace(r.Context(), req.ID, req.Seed, "", opts...)
		if err != nil {
			return err
		}
		s.info(w, r, http.StatusCreated, ns)
		return nil
	}
	if req.Seed != "" {
		return invalid(`give "seed" or "from", not both: a fork has its source's seed`)
	}
	ns, err := s.app.Fork(r.Context(), app.ForkOptions{From: req.From, Snapshot: req.Snapshot, ID: req.ID, Options: opts})
	if err != nil {
		return err
	}
	s.info(w, r, http.StatusCreated, ns)
	return nil
}

// filter reads the namespace filters of a list or bulk delete:
// seed, created_before (RFC 3339) and label=key=value (repeatable; or
// label=key:value).
func filter(q url.Values) (app.Filter, error) {
	f := app.Filter{Seed: q.Get("seed")}
	if v := q.Get("created_before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return f, invalid("created_before must be an RFC 3339 time")
		}
		f.CreatedBefore = t
	}
	for _, l := range q["label"] {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			k, v, ok = strings.Cut(l, ":")
		}
		if !ok || k == "" {
			return f, invalid(`label must be "key=value"`)
		}
		if f.Labels == nil {
			f.Labels = map[string]string{}
		}
		f.Labels[k] = v
	}
	if err := app.CheckLabels(f.Labels); err != nil {
		return f, err
	}
	return f, nil
}

type namespaceList struct {
	Namespaces []*app.Info `json:"namespaces"`
	Total      int         `json:"total"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// listNamespaces serves GET /_standin/namespaces: filtered by seed, label
// and created_before, paged by limit and cursor (or offset), with the total.
func (s *server) listNamespaces(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := filter(q)
	if err != nil {
		return err
	}
	limit, err := page.Int("limit", q.Get("limit"), 100)
	if err != nil {
		return invalid(err.Error())
	}
	offset, err := page.Int("offset", q.Get("offset"), 0)
	if err != nil {
		return invalid(err.Error())
	}
	p, err := s.app.ListNamespaces(r.Context(), f, page.Clamp(limit, 1, 1000), offset, q.Get("cursor"))
	if err != nil {
		return err
	}
	out := namespaceList{Namespaces: make([]*app.Info, 0, len(p.Namespaces)), Total: p.Total, NextCursor: p.Next}
	for _, ns := range p.Namespaces {
		in, err := s.app.Info(r.Context(), ns)
		if err != nil {
			return err
		}
		out.Namespaces = append(out.Namespaces, in)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

type deleted struct {
	Deleted []string `json:"deleted"`
	Count   int      `json:"count"`
}

// deleteNamespaces serves DELETE /_standin/namespaces?seed=&created_before=&label=:
// a bulk delete of what the filters pick (never the default namespace).
func (s *server) deleteNamespaces(w http.ResponseWriter, r *http.Request) error {
	f, err := filter(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := s.app.DeleteNamespaces(r.Context(), f)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, deleted{Deleted: list, Count: len(list)})
	return nil
}

// refuseBadText answers paths and query parameters that the databases
// cannot hold (NUL, invalid UTF-8) with a 400 before any handler takes them
// to a query, as the vendor ports do.
func refuseBadText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) {
			writeError(w, r, http.StatusBadRequest, "the path must be UTF-8 text without NUL characters")
			return
		}
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if name, bad := httpx.BadTextParam(q); bad {
			writeError(w, r, http.StatusBadRequest, "parameter "+strconv.Quote(name)+" must be UTF-8 text without NUL characters")
			return
		}
		next.ServeHTTP(w, r)
	})
}
