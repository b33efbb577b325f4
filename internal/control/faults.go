package control

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/fault"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
)

// faultRoutes registers the fault rules' routes and the presets.
func (s *server) faultRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_standin/faults/presets", s.listPresets)
	mux.HandleFunc("GET /_standin/namespaces/{id}/faults", s.listFaults)
	mux.HandleFunc("POST /_standin/namespaces/{id}/faults", s.createFault)
	mux.HandleFunc("DELETE /_standin/namespaces/{id}/faults", s.clearFaults)
	mux.HandleFunc("GET /_standin/namespaces/{id}/faults/{fid}", s.getFault)
	mux.HandleFunc("DELETE /_standin/namespaces/{id}/faults/{fid}", s.deleteFault)
}

// errNoRule is a fault rule id that the namespace does not have.
var errNoRule = errors.New("no such fault rule")

type presetList struct {
	Presets []fault.PresetView `json:"presets"`
}

type ruleList struct {
	Faults []fault.RuleView `json:"faults"`
}

// listPresets serves GET /_standin/faults/presets: every vendor's named
// faults.
func (s *server) listPresets(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, presetList{Presets: s.app.Faults().Presets().List()})
}

// faultFail maps the fault rules' errors to statuses.
func (s *server) faultFail(w http.ResponseWriter, r *http.Request, err error) {
	var inv *fault.InvalidError
	switch {
	case errors.As(err, &inv):
		writeError(w, r, http.StatusBadRequest, inv.Msg)
	case errors.Is(err, errNoRule):
		writeError(w, r, http.StatusNotFound, err.Error())
	default:
		s.fail(w, r, err)
	}
}

// listFaults serves GET /_standin/namespaces/{id}/faults: the rules in the
// order they are weighed, with their counts.
func (s *server) listFaults(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	views, err := s.app.Faults().Views(r.Context(), ns, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ruleList{Faults: views})
}

// createFault serves POST /_standin/namespaces/{id}/faults: a new rule,
// weighed after the existing ones.
func (s *server) createFault(w http.ResponseWriter, r *http.Request) {
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rule fault.Rule
	if err := strictJSON(body, &rule, "field"); err != nil {
		s.fail(w, r, err)
		return
	}
	// A probability left out is 1; an explicit 0 never fires.
	var given struct {
		Probability *float64 `json:"probability"`
	}
	_ = json.Unmarshal(body, &given)
	if given.Probability == nil {
		rule.Probability = 1
	}
	rule.ID, rule.CreatedAt = 0, ""
	names := map[string]bool{}
	for _, v := range s.app.Vendors() {
		names[v.Name()] = true
	}
	if err := rule.Check(names, s.app.Faults().Presets()); err != nil {
		s.faultFail(w, r, err)
		return
	}
	var made fault.Rule
	ns, err := s.app.UpdateNamespace(r.Context(), r.PathValue("id"), func(ns *namespace.Namespace) error {
		made = fault.Add(ns, rule, rand.Int64())
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.app.Faults().Views(r.Context(), ns, made.ID)
	if err != nil || len(views) != 1 {
		s.fail(w, r, errors.Join(err, errNoRule))
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, views[0])
}

func ruleID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil || id < 1 {
		return 0, errNoRule
	}
	return id, nil
}

// getFault serves GET /_standin/namespaces/{id}/faults/{fid}.
func (s *server) getFault(w http.ResponseWriter, r *http.Request) {
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	id, err := ruleID(r)
	if err != nil {
		s.faultFail(w, r, err)
		return
	}
	views, err := s.app.Faults().Views(r.Context(), ns, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(views) == 0 {
		s.faultFail(w, r, errNoRule)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, views[0])
}

// deleteFault serves DELETE /_standin/namespaces/{id}/faults/{fid}.
func (s *server) deleteFault(w http.ResponseWriter, r *http.Request) {
	id, err := ruleID(r)
	if err != nil {
		s.faultFail(w, r, err)
		return
	}
	ns, err := s.app.UpdateNamespace(r.Context(), r.PathValue("id"), func(ns *namespace.Namespace) error {
		if !fault.Remove(ns, id) {
			return errNoRule
		}
		return nil
	})
	if err != nil {
		s.faultFail(w, r, err)
		return
	}
	s.forget(r.Context(), ns.ID, id)
	w.WriteHeader(http.StatusNoContent)
}

// clearFaults serves DELETE /_standin/namespaces/{id}/faults.
func (s *server) clearFaults(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	ns, err := s.app.UpdateNamespace(r.Context(), r.PathValue("id"), func(ns *namespace.Namespace) error {
		for _, rule := range fault.RulesOf(ns) {
			ids = append(ids, rule.ID)
		}
		fault.Clear(ns)
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, id := range ids {
		s.forget(r.Context(), ns.ID, id)
	}
	w.WriteHeader(http.StatusNoContent)
}

// forget drops a removed rule's counts; ids are never reused, so a count
// left behind by a failure here is harmless.
func (s *server) forget(ctx context.Context, ns string, id int64) {
	if err := fault.ForgetRule(ctx, s.app.DB(), ns, id); err != nil {
		s.log.WarnContext(ctx, "fault: forgetting a rule's counts failed", "error", err)
	}
}
