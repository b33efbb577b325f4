// Package control is standin's control plane, served on the console port
// under /_standin/: namespaces and their seeds, clock, settings and outbox,
// plus each vendor's own control actions.
package control

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/vendor"
)

// New returns the console port's handler.
func New(a *app.App, log *slog.Logger) http.Handler {
	s := &server{app: a, log: log}
	mux := http.NewServeMux()
	s.routes(mux)
	return httpx.Log(log, "control", httpx.Recover(log, writeError, s.guard(refuseBadText(mux))))
}

type server struct {
	app *app.App
	log *slog.Logger
}

func (s *server) routes(mux *http.ServeMux) {
	s.consoleRoutes(mux)
	mux.HandleFunc("GET /_standin/health", s.health)
	mux.HandleFunc("POST /_standin/namespaces", s.handle(s.createNamespace))
	mux.HandleFunc("GET /_standin/namespaces", s.handle(s.listNamespaces))
	s.lifecycleRoutes(mux)
	s.metricsRoutes(mux)
	mux.HandleFunc("GET /_standin/namespaces/{id}", s.getNamespace)
	mux.HandleFunc("DELETE /_standin/namespaces/{id}", s.deleteNamespace)
	mux.HandleFunc("POST /_standin/namespaces/{id}/reset", s.resetNamespace)
	mux.HandleFunc("POST /_standin/namespaces/{id}/seed", s.seedNamespace)
	mux.HandleFunc("GET /_standin/namespaces/{id}/clock", s.getClock)
	mux.HandleFunc("POST /_standin/namespaces/{id}/clock", s.setClock)
	s.settingsRoutes(mux)
	s.journalRoutes(mux)
	s.faultRoutes(mux)
	mux.HandleFunc("GET /_standin/namespaces/{id}/outbox", s.listOutbox)
	mux.HandleFunc("DELETE /_standin/namespaces/{id}/outbox", s.clearOutbox)
	for _, v := range s.app.Vendors() {
		if c, ok := v.(vendor.Controller); ok {
			mux.Handle("/_standin/namespaces/{id}/"+v.Name()+"/", s.vendorControl(v.Name(), c.Control()))
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "no such control endpoint: "+r.Method+" "+r.URL.Path)
	})
}

// writeError is the control plane's envelope: {"error": "..."}.
func writeError(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	httpx.WriteJSON(w, status, map[string]string{"error": msg})
}

// fail maps app errors to statuses.
// load loads the request's {id} namespace. When it cannot, it has answered
// and ok is false.
func (s *server) load(w http.ResponseWriter, r *http.Request) (ns *namespace.Namespace, ok bool) {
	ns, err := s.app.Load(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return ns, true
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *app.ErrInvalid
	var conflict *app.ErrConflict
	switch {
	case errors.As(err, &inv):
		writeError(w, r, http.StatusBadRequest, inv.Msg)
	case errors.As(err, &conflict):
		writeError(w, r, http.StatusConflict, conflict.Msg)
	case errors.Is(err, app.ErrSnapshotNotFound):
		writeError(w, r, http.StatusNotFound, err.Error())
	case errors.Is(err, namespace.ErrNotFound):
		writeError(w, r, http.StatusNotFound, "namespace not found")
	case errors.Is(err, app.ErrExists), errors.Is(err, app.ErrDefault):
		writeError(w, r, http.StatusConflict, err.Error())
	case errors.Is(err, httpx.ErrBodyTooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, err.Error())
	case errors.Is(err, httpx.ErrNotText):
		writeError(w, r, http.StatusBadRequest, err.Error())
	default:
		httpx.InternalError(s.log, writeError, w, r, err)
	}
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DB().PingContext(r.Context()); err != nil {
		writeError(w, r, http.StatusServiceUnavailable, "database unreachable")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) info(w http.ResponseWriter, r *http.Request, status int, ns *namespace.Namespace) {
	in, err := s.app.Info(r.Context(), ns)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, in)
}

func (s *server) getNamespace(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	s.info(w, r, http.StatusOK, ns)
}

func (s *server) deleteNamespace(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeleteNamespace(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) resetNamespace(w http.ResponseWriter, r *http.Request) {
	ns, err := s.app.ResetNamespace(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.info(w, r, http.StatusOK, ns)
}

func (s *server) seedNamespace(w http.ResponseWriter, r *http.Request) {
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := s.app.LoadFixture(r.Context(), id, body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	ns, err := s.app.Load(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.info(w, r, http.StatusOK, ns)
}

type clockView struct {
	Now      string `json:"now"`
	OffsetMS int64  `json:"offset_ms"`
}

func viewClock(ns *namespace.Namespace) clockView {
	return clockView{Now: ns.Now().UTC().Format(time.RFC3339Nano), OffsetMS: ns.ClockOffset.Milliseconds()}
}

func (s *server) getClock(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, viewClock(ns))
}

// setClock moves a namespace's clock: {"advance": "90m"} adds to the offset,
// {"now": "2030-01-01T00:00:00Z"} sets the namespace's time, {"offset_ms": 0}
// sets the offset outright.
func (s *server) setClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Advance  string `json:"advance"`
		Now      string `json:"now"`
		OffsetMS *int64 `json:"offset_ms"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		s.fail(w, r, &app.ErrInvalid{Msg: err.Error()})
		return
	}
	ns, err := s.app.UpdateNamespace(r.Context(), r.PathValue("id"), func(ns *namespace.Namespace) error {
		switch {
		case req.Advance != "":
			d, err := time.ParseDuration(req.Advance)
			if err != nil {
				return &app.ErrInvalid{Msg: "advance must be a Go duration such as 90m or 2h"}
			}
			ns.ClockOffset += d
		case req.Now != "":
			t, err := time.Parse(time.RFC3339Nano, req.Now)
			if err != nil {
				return &app.ErrInvalid{Msg: "now must be an RFC 3339 time"}
			}
			ns.ClockOffset = t.Sub(ns.Clock.Now())
		case req.OffsetMS != nil:
			ns.ClockOffset = time.Duration(*req.OffsetMS) * time.Millisecond
		default:
			return &app.ErrInvalid{Msg: `give "advance", "now" or "offset_ms"`}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, viewClock(ns))
}

func (s *server) listOutbox(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, err := page.Int("limit", q.Get("limit"), 100)
	if err == nil {
		var offset int
		offset, err = page.Int("offset", q.Get("offset"), 0)
		if err == nil {
			msgs, total, err := outbox.List(r.Context(), s.app.DB(), ns.ID, page.Page{Limit: page.Clamp(limit, 1, 1000), Offset: offset})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			httpx.WriteJSON(w, http.StatusOK, map[string]any{"messages": msgs, "total": total})
			return
		}
	}
	s.fail(w, r, &app.ErrInvalid{Msg: err.Error()})
}

func (s *server) clearOutbox(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	if err := outbox.Clear(r.Context(), s.app.DB(), ns.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// vendorControl mounts a vendor's own control handler under
// /_standin/namespaces/{id}/{vendor}/ with the namespace in the context.
func (s *server) vendorControl(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns, ok := s.load(w, r)
		if !ok {
			return
		}
		prefix := "/_standin/namespaces/" + ns.ID + "/" + name
		if !strings.HasPrefix(r.URL.Path, prefix) {
			writeError(w, r, http.StatusNotFound, "not found")
			return
		}
		ns.BaseURL = s.app.BaseURL(name, ns.ID)
		r = r.WithContext(namespace.NewContext(r.Context(), ns))
		http.StripPrefix(prefix, h).ServeHTTP(w, r)
	})
}
