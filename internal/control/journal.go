package control

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/page"
)

// journalRoutes registers the request journal's routes.
func (s *server) journalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_standin/namespaces/{id}/requests", s.listRequests)
	mux.HandleFunc("DELETE /_standin/namespaces/{id}/requests", s.clearRequests)
	mux.HandleFunc("GET /_standin/namespaces/{id}/requests/stream", s.streamRequests)
	mux.HandleFunc("POST /_standin/namespaces/{id}/requests/verify", s.verifyRequests)
	mux.HandleFunc("GET /_standin/namespaces/{id}/requests/{rid}", s.getRequest)
}

// journalFail maps the journal's errors to statuses.
func (s *server) journalFail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *journal.InvalidError
	switch {
	case errors.As(err, &inv):
		writeError(w, r, http.StatusBadRequest, inv.Msg)
	case errors.Is(err, journal.ErrNotFound):
		writeError(w, r, http.StatusNotFound, err.Error())
	default:
		s.fail(w, r, err)
	}
}

// listRequests serves GET /_standin/namespaces/{id}/requests: the
// namespace's journal, newest first, filtered by vendor, method, path,
// endpoint, status, since and until, a page of limit at a time.
func (s *server) listRequests(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f, err := journal.ParseFilter(q)
	if err != nil {
		s.journalFail(w, r, err)
		return
	}
	limit, err := page.Int("limit", q.Get("limit"), 50)
	if err != nil {
		s.fail(w, r, &app.ErrInvalid{Msg: err.Error()})
		return
	}
	p, err := s.app.Journal().List(r.Context(), ns.ID, f, page.Clamp(limit, 1, 1000))
	if err != nil {
		s.journalFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

// getRequest serves GET /_standin/namespaces/{id}/requests/{rid}: one
// entry in full.
func (s *server) getRequest(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	rid, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil || rid < 1 {
		writeError(w, r, http.StatusNotFound, journal.ErrNotFound.Error())
		return
	}
	e, err := s.app.Journal().Get(r.Context(), ns.ID, rid)
	if err != nil {
		s.journalFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, e)
}

// clearRequests serves DELETE /_standin/namespaces/{id}/requests.
func (s *server) clearRequests(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	if err := s.app.Journal().Clear(r.Context(), ns.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// verifyRequests serves POST /_standin/namespaces/{id}/requests/verify:
// 200 when the expectation holds, 409 with the count and the near misses
// when it does not.
func (s *server) verifyRequests(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	var e journal.Expectation
	if err := decodeStrict(w, r, &e); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.app.Journal().Verify(r.Context(), ns.ID, &e)
	if err != nil {
		s.journalFail(w, r, err)
		return
	}
	status := http.StatusOK
	if !v.Matched {
		status = http.StatusConflict
	}
	httpx.WriteJSON(w, status, v)
}

// streamRequests serves GET /_standin/namespaces/{id}/requests/stream:
// new entries as server-sent events, with the list's filters.
func (s *server) streamRequests(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	f, err := journal.ParseFilter(r.URL.Query())
	if err != nil {
		s.journalFail(w, r, err)
		return
	}
	after := int64(-1) // from now on
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			after = n
		}
	}
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, r, http.StatusBadRequest, "after must be an entry id")
			return
		}
		after = n
	}
	if err := s.app.Journal().Stream(w, r, ns.ID, f, after); err != nil {
		s.fail(w, r, err)
	}
}
