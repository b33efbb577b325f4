// Package fault injects faults into vendor requests, per namespace: rules
// that match a vendor, method, path glob or catalog endpoint, fire with a
// seeded probability, a number of times or after some matches, and answer
// with a status in the vendor's own envelope, the vendor's rate-limit
// answer, latency, a dropped connection, a cut-off body or a raw body.
package fault

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/catalog"
	"github.com/standin-dev/standin/internal/journal"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/vendor"
)

// Rule is one fault rule of a namespace.
type Rule struct {
	ID int64 `json:"id"`
	// Match: every field given must match; path and endpoint take globs.
	Vendor   string `json:"vendor"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Endpoint string `json:"endpoint"`
	// When: Probability (0-1, default 1) with the namespace's seed; Times
	// fires that often then expires (0: no limit); After skips the first
	// matches.
	Probability float64 `json:"probability"`
	Times       int64   `json:"times"`
	After       int64   `json:"after"`
	// Preset names a vendor's named fault; Action is what the rule does
	// otherwise.
	Preset    string  `json:"preset,omitempty"`
	Action    *Action `json:"action,omitempty"`
	CreatedAt string  `json:"created_at"`
	// Seed draws the probability when the namespace's settings fix none;
	// it is the rule's own, random.
	Seed int64 `json:"-"`
}

// Action is what a rule does. Latency combines with the others (the wait
// comes first); otherwise one of Status, Reset, Truncate and Body (which
// may carry a Status).
type Action struct {
	// Status answers in the vendor's envelope (429: its rate-limit body
	// and Retry-After); with Body, the status of the raw body.
	Status     int    `json:"status,omitempty"`
	Message    string `json:"message,omitempty"`
	RetryAfter int    `json:"retry_after,omitempty"`
	// Latency is "300ms", or {"p50": "50ms", "p99": "2s"}.
	Latency  *Latency        `json:"latency,omitempty"`
	Reset    bool            `json:"reset,omitempty"`
	Truncate bool            `json:"truncate,omitempty"`
	Body     json.RawMessage `json:"body,omitempty"`
}

// Latency is a fixed wait or a log-normal distribution given by its median
// and 99th percentile.
type Latency struct {
	Fixed time.Duration
	P50   time.Duration
	P99   time.Duration
}

// MaxLatency bounds every wait.
const MaxLatency = 10 * time.Minute

// MarshalJSON renders a fixed latency as a string, a distribution as an
// object.
func (l Latency) MarshalJSON() ([]byte, error) {
	if l.P50 == 0 {
		return json.Marshal(l.Fixed.String())
	}
	return json.Marshal(struct {
		P50 string `json:"p50"`
		P99 string `json:"p99"`
	}{l.P50.String(), l.P99.String()})
}

// UnmarshalJSON reads either form.
func (l *Latency) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		d, err := parseDuration("latency", s)
		l.Fixed = d
		return err
	}
	var dist struct {
		P50 string `json:"p50"`
		P99 string `json:"p99"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dist); err != nil {
		return fmt.Errorf(`latency must be a duration such as "300ms" or {"p50": "50ms", "p99": "2s"}`)
	}
	var err error
	if l.P50, err = parseDuration("latency.p50", dist.P50); err != nil {
		return err
	}
	if l.P99, err = parseDuration("latency.p99", dist.P99); err != nil {
		return err
	}
	if l.P50 <= 0 || l.P99 < l.P50 {
		return fmt.Errorf("latency.p50 must be positive and latency.p99 at least latency.p50")
	}
	return nil
}

func parseDuration(name, s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > MaxLatency {
		return 0, fmt.Errorf("%s must be a duration such as 300ms or 2s, at most %s", name, MaxLatency)
	}
	return d, nil
}

// sample returns the wait for a draw u in [0,1).
func (l *Latency) sample(u float64) time.Duration {
	if l.P50 == 0 {
		return l.Fixed
	}
	// Log-normal: median p50, and p99 at z = 2.326.
	sigma := math.Log(float64(l.P99)/float64(l.P50)) / 2.326
	z := normInv(u)
	d := time.Duration(float64(l.P50) * math.Exp(sigma*z))
	return min(max(d, 0), MaxLatency)
}

// normInv is the standard normal quantile (Acklam's approximation).
func normInv(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	a := []float64{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
	b := []float64{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01}
	c := []float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00}
	d := []float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00}
	const lo = 0.02425
	switch {
	case p < lo:
		q := math.Sqrt(-2 * math.Log(p))
		return (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	case p > 1-lo:
		q := math.Sqrt(-2 * math.Log(1-p))
		return -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	}
	q := p - 0.5
	r := q * q
	return (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r + a[5]) * q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r + 1)
}

// Presets lists the named faults of the served vendors, keyed
// "<vendor>.<name>".
type Presets map[string]Preset

// Preset is a vendor's named fault.
type Preset struct {
	Vendor string
	vendor.FaultPreset
}

// PresetsOf collects the vendors' presets.
func PresetsOf(vendors []vendor.Vendor) Presets {
	ps := Presets{}
	for _, v := range vendors {
		if fw, ok := v.(vendor.FaultWriter); ok {
			for _, p := range fw.FaultPresets() {
				ps[v.Name()+"."+p.Name] = Preset{Vendor: v.Name(), FaultPreset: p}
			}
		}
	}
	return ps
}

// PresetView is a preset as the control plane lists it.
type PresetView struct {
	Name        string `json:"name"`
	Vendor      string `json:"vendor"`
	Status      int    `json:"status"`
	Description string `json:"description"`
}

// List returns the presets sorted by name.
func (ps Presets) List() []PresetView {
	out := make([]PresetView, 0, len(ps))
	for name, p := range ps {
		out = append(out, PresetView{Name: name, Vendor: p.Vendor, Status: p.Status, Description: p.Description})
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Name < out[k].Name })
	return out
}

// InvalidError is a rule that the control plane answers with 400.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, a ...any) error { return &InvalidError{fmt.Sprintf(format, a...)} }

// Check validates a new rule against the served vendors and presets.
func (r *Rule) Check(vendors map[string]bool, ps Presets) error {
	r.Method = strings.ToUpper(r.Method)
	if r.Vendor != "" && !vendors[r.Vendor] {
		return invalid("vendor: unknown vendor %q", r.Vendor)
	}
	if r.Path != "" && r.Endpoint != "" {
		return invalid(`give "path" or "endpoint", not both`)
	}
	if r.Endpoint != "" && !knownEndpoint(r.Vendor, r.Endpoint) {
		return invalid("endpoint: no catalog endpoint id matches %q (ids look like klipfolio.groups.list)", r.Endpoint)
	}
	if r.Path != "" && !strings.HasPrefix(r.Path, "/") && !strings.HasPrefix(r.Path, "*") {
		return invalid(`path must start with "/" (or be a glob starting with "*")`)
	}
	if math.IsNaN(r.Probability) || r.Probability < 0 || r.Probability > 1 {
		return invalid("probability must be between 0 and 1")
	}
	if r.Times < 0 || r.After < 0 {
		return invalid("times and after must not be negative")
	}
	switch {
	case r.Preset != "" && r.Action != nil:
		return invalid(`give "preset" or "action", not both`)
	case r.Preset != "":
		p, ok := ps[r.Preset]
		if !ok {
			return invalid("preset: unknown preset %q (GET /_standin/faults/presets lists them)", r.Preset)
		}
		if r.Vendor == "" {
			r.Vendor = p.Vendor
		} else if r.Vendor != p.Vendor {
			return invalid("preset %q is %s's, not %s's", r.Preset, p.Vendor, r.Vendor)
		}
	case r.Action == nil:
		return invalid(`give an "action" (status, latency, reset, truncate or body) or a "preset"`)
	default:
		return r.Action.check()
	}
	return nil
}

func (a *Action) check() error {
	kinds := 0
	for _, set := range []bool{a.Status != 0 && len(a.Body) == 0, a.Reset, a.Truncate, len(a.Body) > 0} {
		if set {
			kinds++
		}
	}
	if kinds > 1 {
		return invalid("action: give one of status, reset, truncate and body (latency may go with any)")
	}
	if kinds == 0 && a.Latency == nil {
		return invalid("action: give status, latency, reset, truncate or body")
	}
	if a.Status != 0 && (a.Status < 100 || a.Status > 599) {
		return invalid("action.status must be an HTTP status between 100 and 599")
	}
	if a.RetryAfter < 0 || a.RetryAfter > 86400 {
		return invalid("action.retry_after must be between 0 and 86400 seconds")
	}
	if len(a.Body) > 1<<20 {
		return invalid("action.body must be at most 1 MiB")
	}
	return nil
}

// knownEndpoint tells whether an endpoint id or glob names at least one
// catalog endpoint (of the vendor, when one is given).
func knownEndpoint(vendorName, id string) bool {
	vendors := catalog.Vendors
	if vendorName != "" {
		vendors = []string{vendorName}
	}
	for _, v := range vendors {
		eps, err := catalog.Endpoints(v)
		if err != nil {
			continue
		}
		for _, e := range eps {
			if journal.GlobMatch(id, e.ID) {
				return true
			}
		}
	}
	return false
}

// kind names the action for the journal.
func (r *Rule) kind() string {
	a := r.Action
	switch {
	case r.Preset != "":
		return "preset"
	case a.Reset:
		return "reset"
	case a.Truncate:
		return "truncate"
	case len(a.Body) > 0:
		return "body"
	case a.Status != 0:
		return "status"
	default:
		return "latency"
	}
}

// ruleSet is how a namespace keeps its rules, under RulesKey of its
// settings: the rules in creation order and the next id (never reused).
type ruleSet struct {
	Next  int64  `json:"next"`
	Rules []Rule `json:"rules"`
}

// storedRule keeps the rule's seed, which the API hides.
type storedRule struct {
	Rule
	Seed int64 `json:"seed"`
}

// RulesKey is where a namespace's rules live in its settings; it is not a
// settings section that the control plane shows.
const RulesKey = "_fault_rules"

// SettingsKey is the key of the faults' settings (the seed).
const SettingsKey = "faults"

// Settings are the fault injector's per-namespace settings.
type Settings struct {
	// Seed fixes every rule's probability draws; null gives each rule a
	// random seed of its own.
	Seed *int64 `json:"seed"`
}

// DefaultSettings returns the settings of a namespace that set none.
func DefaultSettings() *Settings { return &Settings{} }

func load(ns *namespace.Namespace) ruleSet {
	var rs struct {
		Next  int64        `json:"next"`
		Rules []storedRule `json:"rules"`
	}
	raw, ok := ns.Settings[RulesKey]
	if !ok {
		return ruleSet{Next: 1}
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		return ruleSet{Next: 1}
	}
	out := ruleSet{Next: rs.Next, Rules: make([]Rule, len(rs.Rules))}
	for i, r := range rs.Rules {
		out.Rules[i] = r.Rule
		out.Rules[i].Seed = r.Seed
	}
	return out
}

func save(ns *namespace.Namespace, rs ruleSet) {
	stored := struct {
		Next  int64        `json:"next"`
		Rules []storedRule `json:"rules"`
	}{Next: rs.Next, Rules: make([]storedRule, len(rs.Rules))}
	for i, r := range rs.Rules {
		stored.Rules[i] = storedRule{Rule: r, Seed: r.Seed}
	}
	b, _ := json.Marshal(stored)
	if ns.Settings == nil {
		ns.Settings = map[string]json.RawMessage{}
	}
	if len(rs.Rules) == 0 {
		// Keep the id counter, so a new rule never takes an old one's
		// counts.
		b, _ = json.Marshal(struct {
			Next  int64        `json:"next"`
			Rules []storedRule `json:"rules"`
		}{rs.Next, []storedRule{}})
	}
	ns.Settings[RulesKey] = b
}

// RulesOf returns a namespace's rules in creation order.
func RulesOf(ns *namespace.Namespace) []Rule { return load(ns).Rules }

// Add appends a checked rule to the namespace, giving it its id.
func Add(ns *namespace.Namespace, r Rule, seed int64) Rule {
	rs := load(ns)
	if rs.Next < 1 {
		rs.Next = 1
	}
	r.ID, r.Seed = rs.Next, seed
	r.CreatedAt = ns.Now().UTC().Format(time.RFC3339Nano)
	rs.Next++
	rs.Rules = append(rs.Rules, r)
	save(ns, rs)
	return r
}

// Remove deletes one rule; it reports whether the namespace had it.
func Remove(ns *namespace.Namespace, id int64) bool {
	rs := load(ns)
	for i, r := range rs.Rules {
		if r.ID == id {
			rs.Rules = append(rs.Rules[:i], rs.Rules[i+1:]...)
			save(ns, rs)
			return true
		}
	}
	return false
}

// Clear deletes every rule.
func Clear(ns *namespace.Namespace) {
	rs := load(ns)
	rs.Rules = nil
	save(ns, rs)
}

// HasRules tells whether the namespace has any rule, cheaply.
func HasRules(ns *namespace.Namespace) bool {
	raw, ok := ns.Settings[RulesKey]
	return ok && !strings.Contains(string(raw), `"rules":[]`)
}

// statusText is a status's reason phrase, or "Error".
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error"
}
