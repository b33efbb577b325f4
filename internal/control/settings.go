package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/fault"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/vendor"
)

// settingsRoutes registers the per-namespace settings: one section per
// vendor, plus "journal" and "faults".
func (s *server) settingsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_standin/namespaces/{id}/settings/{vendor}", s.getSettings)
	mux.HandleFunc("PUT /_standin/namespaces/{id}/settings/{vendor}", s.putSettings)
	mux.HandleFunc("PATCH /_standin/namespaces/{id}/settings/{vendor}", s.patchSettings)
}

// schema returns a function making a section's settings struct filled
// with its defaults.
func (s *server) schema(section string) (func() any, bool) {
	switch section {
	case journal.SettingsKey:
		return func() any { return journal.DefaultSettings() }, true
	case fault.SettingsKey:
		return func() any { return fault.DefaultSettings() }, true
	}
	v, ok := s.app.Vendor(section)
	if !ok {
		return nil, false
	}
	if vs, ok := v.(vendor.Settings); ok {
		return vs.DefaultSettings, true
	}
	return func() any { return &struct{}{} }, true
}

// effective decodes the stored settings over the defaults.
func effective(mk func() any, stored json.RawMessage) any {
	v := mk()
	if len(stored) > 0 {
		_ = json.Unmarshal(stored, v)
	}
	return v
}

// requestSection is the request's {vendor} settings section and the
// function making its settings. An unknown section is answered 404, and ok
// is false.
func (s *server) requestSection(w http.ResponseWriter, r *http.Request) (section string, mk func() any, ok bool) {
	section = r.PathValue("vendor")
	if mk, ok = s.schema(section); !ok {
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("unknown settings section %q: a vendor, %q or %q", section, journal.SettingsKey, fault.SettingsKey))
	}
	return section, mk, ok
}

// getSettings serves GET /_standin/namespaces/{id}/settings/{vendor}: the
// effective settings, defaults included.
func (s *server) getSettings(w http.ResponseWriter, r *http.Request) {
	section, mk, ok := s.requestSection(w, r)
	if !ok {
		return
	}
	ns, ok := s.load(w, r)
	if !ok {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, effective(mk, ns.Settings[section]))
}

// putSettings serves PUT /_standin/namespaces/{id}/settings/{vendor}: the
// body replaces the section's settings (keys left out take their
// defaults).
func (s *server) putSettings(w http.ResponseWriter, r *http.Request) {
	s.writeSettings(w, r, false)
}

// patchSettings serves PATCH /_standin/namespaces/{id}/settings/{vendor}:
// the body is merged into the section's settings (RFC 7386: null removes a
// key, which then takes its default).
func (s *server) patchSettings(w http.ResponseWriter, r *http.Request) {
	s.writeSettings(w, r, true)
}

func (s *server) writeSettings(w http.ResponseWriter, r *http.Request, merge bool) {
	section, mk, ok := s.requestSection(w, r)
	if !ok {
		return
	}
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Numbers stay as written: a float64 would round large integers.
	var patch map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&patch); err != nil || patch == nil || dec.More() {
		s.fail(w, r, &app.ErrInvalid{Msg: "settings must be a JSON object"})
		return
	}
	var out any
	_, err = s.app.UpdateNamespace(r.Context(), r.PathValue("id"), func(ns *namespace.Namespace) error {
		var cur map[string]any // PUT: nothing to merge into, but nulls drop
		if raw, ok := ns.Settings[section]; ok && merge {
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			_ = d.Decode(&cur)
		}
		next, _ := mergePatch(cur, patch).(map[string]any)
		raw, err := json.Marshal(next)
		if err != nil {
			return &app.ErrInvalid{Msg: "settings: " + err.Error()}
		}
		v := mk()
		if err := strictJSON(raw, v, "setting"); err != nil {
			return err
		}
		if c, ok := v.(interface{ Validate() error }); ok {
			if err := c.Validate(); err != nil {
				return &app.ErrInvalid{Msg: err.Error()}
			}
		}
		if ns.Settings == nil {
			ns.Settings = map[string]json.RawMessage{}
		}
		ns.Settings[section] = raw
		out = v
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// mergePatch applies an RFC 7386 merge patch.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	out := make(map[string]any, len(t)+len(p))
	for k, v := range t {
		out[k] = v
	}
	for k, v := range p {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = mergePatch(out[k], v)
	}
	return out
}

// strictJSON decodes b into v, refusing unknown keys, wrong types and
// trailing data with a message that names the key (what names it: a
// "setting", a "field").
func strictJSON(b []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			return &app.ErrInvalid{Msg: "the body must hold one JSON object"}
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		name := te.Field
		if name == "" {
			return &app.ErrInvalid{Msg: fmt.Sprintf("the body must be a JSON object, not %s", te.Value)}
		}
		return &app.ErrInvalid{Msg: fmt.Sprintf("%s %q must be %s, not %s", what, name, kindOf(te.Type.Kind().String(), te.Type.String()), te.Value)}
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &app.ErrInvalid{Msg: "malformed JSON body"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &app.ErrInvalid{Msg: fmt.Sprintf("unknown %s %s", what, strings.TrimPrefix(err.Error(), "json: unknown field "))}
	default:
		return &app.ErrInvalid{Msg: err.Error()}
	}
}

func kindOf(kind, typ string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "an integer"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "bool":
		return "true or false"
	case kind == "string":
		return "a string"
	case kind == "struct", kind == "map":
		return "an object"
	case kind == "slice", kind == "array":
		return "an array"
	case kind == "ptr":
		return kindOf(strings.TrimPrefix(typ, "*"), typ)
	}
	return "of type " + typ
}

// decodeStrict reads a JSON object body into v (strictly; see strictJSON).
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := httpx.ReadBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &app.ErrInvalid{Msg: "the body must be a JSON object"}
	}
	return strictJSON(body, v, "field")
}
