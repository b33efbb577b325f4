package fault

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/metrics"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// deadlineAfterWait is how long a request delayed by a latency fault has
// to finish once the wait is over.
const deadlineAfterWait = time.Minute

// DefaultRetryAfter is the Retry-After of a 429 whose rule sets none.
const DefaultRetryAfter = 30

// Injector applies a namespace's fault rules to the requests of every
// vendor port.
type Injector struct {
	db      *store.DB
	log     *slog.Logger
	presets Presets
}

// New returns an injector for the given vendors' presets.
func New(db *store.DB, log *slog.Logger, vendors []vendor.Vendor) *Injector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Injector{db: db, log: log, presets: PresetsOf(vendors)}
}

// Presets returns the vendors' named faults.
func (in *Injector) Presets() Presets { return in.presets }

// Wrap applies the namespace's rules to the requests that next serves for
// v. The rules are weighed once the vendor's router knows the route (so
// that they can match catalog endpoints); a namespace without rules costs
// a map lookup.
func (in *Injector) Wrap(v vendor.Vendor, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns := namespace.FromContext(r.Context())
		if !HasRules(ns) {
			next.ServeHTTP(w, r)
			return
		}
		r, rt := journal.EnsureRoute(r)
		rt.Around = func(w http.ResponseWriter, r *http.Request, routed http.Handler) {
			in.serve(w, r, v, ns, rt.Pattern, routed)
		}
		next.ServeHTTP(w, r)
	})
}

// serve finds the first rule that fires for the request and applies it,
// or serves the request as usual.
func (in *Injector) serve(w http.ResponseWriter, r *http.Request, v vendor.Vendor, ns *namespace.Namespace, pattern string, next http.Handler) {
	rules := RulesOf(ns)
	endpoint, endpointKnown := "", false
	for i := range rules {
		rule := &rules[i]
		if !in.matches(r, v.Name(), rule) {
			continue
		}
		if rule.Endpoint != "" {
			if !endpointKnown {
				endpoint, endpointKnown = in.endpoint(r, v.Name(), pattern), true
			}
			if !journal.GlobMatch(rule.Endpoint, endpoint) {
				continue
			}
		}
		fire, n, err := in.count(r.Context(), ns, rule)
		if err != nil {
			in.log.ErrorContext(r.Context(), "fault: counting a rule's matches failed", slog.Any("error", err))
			break
		}
		if !fire {
			continue
		}
		in.apply(w, r, v, ns, rule, n, next)
		return
	}
	next.ServeHTTP(w, r)
}

func (in *Injector) matches(r *http.Request, vendorName string, rule *Rule) bool {
	if rule.Vendor != "" && rule.Vendor != vendorName {
		return false
	}
	if rule.Method != "" && rule.Method != r.Method {
		return false
	}
	return rule.Path == "" || journal.GlobMatch(rule.Path, r.URL.Path)
}

// endpoint names the request's catalog endpoint; Worksection's action
// may sit in the body, which is read ahead and put back.
func (in *Injector) endpoint(r *http.Request, vendorName, pattern string) string {
	action := ""
	if vendorName == "worksection" {
		action = r.URL.Query().Get("action")
		if action == "" {
			body, _ := journal.PeekBody(r, 64<<10)
			action = journal.Action("", r.Header.Get("Content-Type"), body)
		}
	}
	return journal.Endpoint(vendorName, r.Method, pattern, action)
}

// count records one match of rule and decides whether it fires: not
// within the first After matches, not once it fired Times times, and
// with its probability drawn from the seed and the match's number. It
// returns the match's number.
func (in *Injector) count(ctx context.Context, ns *namespace.Namespace, rule *Rule) (bool, int64, error) {
	var fire bool
	var n int64
	// Hit counts are no vendor data that a kept read depends on.
	ctx = store.Untracked(ctx)
	err := in.db.Tx(ctx, func(tx *sql.Tx) error {
		var applied int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO standin_fault_hits (ns, rule, matches, applied) VALUES ($1, $2, 1, 0)
			ON CONFLICT (ns, rule) DO UPDATE SET matches = standin_fault_hits.matches + 1
			RETURNING matches, applied`, ns.ID, rule.ID).Scan(&n, &applied); err != nil {
			return err
		}
		switch {
		case n <= rule.After:
			return nil
		case rule.Times > 0 && applied >= rule.Times:
			return nil
		case rule.Probability < 1 && draw(seedOf(ns, rule), rule.ID, n, 0) >= rule.Probability:
			return nil
		}
		fire = true
		_, err := tx.ExecContext(ctx, `UPDATE standin_fault_hits SET applied = applied + 1 WHERE ns = $1 AND rule = $2`, ns.ID, rule.ID)
		return err
	})
	return fire, n, err
}

// seedOf is the namespace's fixed seed, or the rule's own.
func seedOf(ns *namespace.Namespace, rule *Rule) int64 {
	var st Settings
	if raw, ok := ns.Settings[SettingsKey]; ok && json.Unmarshal(raw, &st) == nil && st.Seed != nil {
		return *st.Seed
	}
	return rule.Seed
}

// draw is a number in [0,1) that depends only on the seed, the rule, the
// match's number and a stream (0: whether it fires, 1: its latency), so a
// namespace with a fixed seed replays the same faults.
func draw(seed, rule, n int64, stream byte) float64 {
	h := fnv.New64a()
	var b [25]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(seed))
	binary.LittleEndian.PutUint64(b[8:], uint64(rule))
	binary.LittleEndian.PutUint64(b[16:], uint64(n))
	b[24] = stream
	h.Write(b[:])
	x := h.Sum64()
	// splitmix64 finaliser: FNV alone leaves the high bits of near inputs
	// alike.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// apply carries out a rule that fired.
func (in *Injector) apply(w http.ResponseWriter, r *http.Request, v vendor.Vendor, ns *namespace.Namespace, rule *Rule, n int64, next http.Handler) {
	note := journal.NoteFrom(r.Context())
	record := func(detail string) {
		metrics.SetFault(r.Context(), rule.kind())
		if note != nil {
			note.Fault = &journal.Fault{Rule: rule.ID, Action: rule.kind(), Preset: rule.Preset, Detail: detail}
		}
	}
	noAnswer := func() {
		if note != nil {
			note.Status, note.StatusSet = 0, true
		}
	}
	if rule.Preset != "" {
		p := in.presets[rule.Preset]
		if p.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
		}
		record(fmt.Sprintf("answered %d (%s)", p.Status, rule.Preset))
		p.Write(w, r)
		return
	}
	a := rule.Action
	var details []string
	if a.Latency != nil {
		d := a.Latency.sample(draw(seedOf(ns, rule), rule.ID, n, 1))
		// The server's read and write timeouts run from the request's
		// start; a wait longer than they are must not turn into a
		// broken answer.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(d + deadlineAfterWait))
		_ = rc.SetWriteDeadline(time.Now().Add(d + deadlineAfterWait))
		// Real time, not the namespace clock: moving the clock must not
		// cut a wait short, and a client that goes away frees the handler.
		t := time.NewTimer(d)
		select {
		case <-t.C:
			details = append(details, "waited "+d.String())
		case <-r.Context().Done():
			t.Stop()
			noAnswer()
			record("client went away during a wait of " + d.String())
			return
		}
	}
	switch rule.kind() {
	case "reset":
		noAnswer()
		record(strings.Join(append(details, "dropped the connection"), "; "))
		panic(http.ErrAbortHandler)
	case "truncate":
		rec := &buffer{header: http.Header{}}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		half := len(rec.body) / 2
		w.Header().Set("Content-Length", strconv.Itoa(len(rec.body)))
		record(strings.Join(append(details, fmt.Sprintf("sent %d of %d body bytes, then closed", half, len(rec.body))), "; "))
		w.WriteHeader(status)
		_, _ = w.Write(rec.body[:half])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	case "body":
		status := a.Status
		if status == 0 {
			status = http.StatusOK
		}
		body, ct := rawBody(a.Body)
		record(strings.Join(append(details, fmt.Sprintf("answered %d with a raw body", status)), "; "))
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	case "status":
		if a.Status == http.StatusTooManyRequests || a.RetryAfter > 0 {
			ra := a.RetryAfter
			if ra == 0 {
				ra = DefaultRetryAfter
			}
			w.Header().Set("Retry-After", strconv.Itoa(ra))
		}
		record(strings.Join(append(details, fmt.Sprintf("answered %d", a.Status)), "; "))
		WriteStatus(w, r, v, a.Status, a.Message)
	default: // latency alone: then the request goes on as usual
		record(strings.Join(details, "; "))
		next.ServeHTTP(w, r)
	}
}

// WriteStatus answers status in v's own words.
func WriteStatus(w http.ResponseWriter, r *http.Request, v vendor.Vendor, status int, msg string) {
	if fw, ok := v.(vendor.FaultWriter); ok {
		fw.WriteFault(w, r, status, msg)
		return
	}
	if msg == "" {
		msg = statusText(status)
	}
	v.WriteError(w, r, status, msg)
}

// rawBody renders a rule's body: a JSON string is sent as its text, any
// other JSON value as JSON.
func rawBody(raw json.RawMessage) ([]byte, string) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if json.Valid([]byte(s)) && len(strings.TrimSpace(s)) > 0 {
			return []byte(s), "application/json"
		}
		return []byte(s), "text/plain; charset=utf-8"
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw, "application/json"
	}
	return buf.Bytes(), "application/json"
}

// buffer holds a whole answer, for truncate.
type buffer struct {
	header http.Header
	status int
	body   []byte
}

func (b *buffer) Header() http.Header { return b.header }
func (b *buffer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *buffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

// DeleteNamespace deletes the counts of a namespace that is being deleted.
func DeleteNamespace(ctx context.Context, q store.Querier, ns string) error {
	return store.DeleteNamespace(ctx, q, ns, "standin_fault_hits")
}

// ForgetRule deletes a removed rule's counts.
func ForgetRule(ctx context.Context, q store.Querier, ns string, id int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM standin_fault_hits WHERE ns = $1 AND rule = $2`, ns, id)
	return err
}

// RuleView is a rule as the control plane shows it, with its counts.
type RuleView struct {
	Rule
	// Matches counts the requests that the rule matched, Applied those it
	// fired on; Expired is set once it fired Times times.
	Matches int64 `json:"matches"`
	Applied int64 `json:"applied"`
	Expired bool  `json:"expired"`
}

// Views returns the namespace's rules with their counts, in creation
// order; with id > 0 only that rule.
func (in *Injector) Views(ctx context.Context, ns *namespace.Namespace, id int64) ([]RuleView, error) {
	rows, err := in.db.QueryContext(ctx, `SELECT rule, matches, applied FROM standin_fault_hits WHERE ns = $1`, ns.ID)
	type hit struct{ rule, matches, applied int64 }
	hits, err := store.Collect(rows, err, func(s store.Scanner) (hit, error) {
		var h hit
		return h, s.Scan(&h.rule, &h.matches, &h.applied)
	})
	if err != nil {
		return nil, err
	}
	byRule := map[int64]hit{}
	for _, h := range hits {
		byRule[h.rule] = h
	}
	out := []RuleView{}
	for _, r := range RulesOf(ns) {
		if id > 0 && r.ID != id {
			continue
		}
		h := byRule[r.ID]
		out = append(out, RuleView{Rule: r, Matches: h.matches, Applied: h.applied, Expired: r.Times > 0 && h.applied >= r.Times})
	}
	return out, nil
}
