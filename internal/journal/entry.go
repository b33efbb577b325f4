// Package journal records every request that a vendor port serves, per
// namespace and redacted, and answers the control plane's questions about
// them: lists with filters and a cursor, one entry in full, verify with
// near misses, and a stream of new entries.
//
// Capture happens on the request path and costs a copy of the bodies (up
// to the namespace's cap); redaction, encoding and the INSERT happen in a
// background writer that commits batches every FlushInterval. A read
// through this package first flushes what this process captured, so a
// client sees its own requests at once; other processes sharing the
// PostgreSQL database see them within FlushInterval.
package journal

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/standin-dev/standin/internal/namespace"
)

// Summary is an entry without headers and bodies: what lists and the
// stream carry.
type Summary struct {
	// ID numbers the namespace's entries in the order they were stored.
	ID int64 `json:"id"`
	// Time is the namespace's clock when the request arrived; RealTime
	// the process's wall clock.
	Time     string `json:"time"`
	RealTime string `json:"real_time"`
	Vendor   string `json:"vendor"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	// Query is the raw query string, redacted.
	Query string `json:"query"`
	// Status is the status answered; 0 when no answer was sent (a reset
	// fault, or a client that went away first).
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	// Route is the matched route pattern ("GET /api/1/groups"), "" when
	// none matched; Endpoint its catalog id ("klipfolio.groups.list").
	Route     string `json:"route"`
	Endpoint  string `json:"endpoint"`
	RequestID string `json:"request_id"`
	Fault     *Fault `json:"fault"`
}

// Entry is one request in full.
type Entry struct {
	Summary
	Request  Message `json:"request"`
	Response Message `json:"response"`
}

// Message is the headers and body of a request or a response.
type Message struct {
	Headers map[string][]string `json:"headers"`
	// Body is the body as text, or base64 when BodyEncoding is "base64"
	// (it was not UTF-8). At most the namespace's body cap is kept.
	Body         string `json:"body"`
	BodyEncoding string `json:"body_encoding"`
	// BodySize is the size of the whole body as far as it was read.
	BodySize      int64 `json:"body_size"`
	BodyTruncated bool  `json:"body_truncated"`
}

// Fault describes a fault that was injected into the request.
type Fault struct {
	// Rule is the fault rule's id.
	Rule int64 `json:"rule"`
	// Action is "status", "latency", "reset", "truncate" or "body".
	Action string `json:"action"`
	Preset string `json:"preset,omitempty"`
	// Detail says what happened ("answered 503", "waited 300ms").
	Detail string `json:"detail"`
}

// Settings are the journal's per-namespace settings, kept under the
// "journal" key of the namespace's settings.
type Settings struct {
	Enabled bool `json:"enabled"`
	// MaxEntries is how many entries the namespace keeps; older ones are
	// dropped first.
	MaxEntries int `json:"max_entries"`
	// BodyLimitBytes caps each request and response body kept.
	BodyLimitBytes int `json:"body_limit_bytes"`
}

// Limits of the settings.
const (
	DefaultMaxEntries = 10_000
	MaxMaxEntries     = 1_000_000
	DefaultBodyLimit  = 64 << 10
	MaxBodyLimit      = 1 << 20
)

// SettingsKey is the key of the journal's settings in a namespace.
const SettingsKey = "journal"

// DefaultSettings returns the settings of a namespace that set none.
func DefaultSettings() *Settings {
	return &Settings{Enabled: true, MaxEntries: DefaultMaxEntries, BodyLimitBytes: DefaultBodyLimit}
}

// Validate implements the control plane's settings check.
func (s *Settings) Validate() error {
	if s.MaxEntries < 1 || s.MaxEntries > MaxMaxEntries {
		return fmt.Errorf("max_entries must be between 1 and %d", MaxMaxEntries)
	}
	if s.BodyLimitBytes < 0 || s.BodyLimitBytes > MaxBodyLimit {
		return fmt.Errorf("body_limit_bytes must be between 0 and %d", MaxBodyLimit)
	}
	return nil
}

// SettingsOf returns a namespace's effective journal settings. Settings
// are validated when they are written, so a decoding error can only come
// from a hand-edited database; the defaults apply then.
func SettingsOf(ns *namespace.Namespace) *Settings {
	st := DefaultSettings()
	if raw, ok := ns.Settings[SettingsKey]; ok {
		if err := json.Unmarshal(raw, st); err != nil || st.Validate() != nil {
			return DefaultSettings()
		}
	}
	return st
}

const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }
