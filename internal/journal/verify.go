package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/standin-dev/standin/internal/store"
)

// Expectation is the body of POST …/requests/verify.
type Expectation struct {
	Vendor string `json:"vendor"`
	Method string `json:"method"`
	// Path (exact or glob) or Endpoint (a catalog id, exact or glob).
	Path         string `json:"path"`
	Endpoint     string `json:"endpoint"`
	BodyContains string `json:"body_contains"`
	// At most one of Count, or AtLeast and/or AtMost; none means at
	// least one.
	Count   *int `json:"count"`
	AtLeast *int `json:"at_least"`
	AtMost  *int `json:"at_most"`
}

// Verdict is verify's answer.
type Verdict struct {
	// Matched tells whether the expectation holds.
	Matched bool `json:"matched"`
	// Count is the number of requests that match.
	Count int `json:"count"`
	// Expected restates the expectation ("exactly 1", "at least 2").
	Expected string `json:"expected"`
	// NearMisses are the requests closest to the expectation, when it
	// failed for want of matches.
	NearMisses []NearMiss `json:"near_misses"`
}

// NearMiss is a request that matches the expectation but for some fields.
type NearMiss struct {
	Request     Summary      `json:"request"`
	Differences []Difference `json:"differences"`
}

// Difference explains one field that kept a request from matching.
type Difference struct {
	Field    string `json:"field"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Reason   string `json:"reason"`
}

// nearMissPool is how many recent entries verify weighs as near misses.
const nearMissPool = 1000

// Check validates an expectation.
func (e *Expectation) Check() error {
	if e.Path != "" && e.Endpoint != "" {
		return invalid(`give "path" or "endpoint", not both`)
	}
	if e.Count != nil && (e.AtLeast != nil || e.AtMost != nil) {
		return invalid(`"count" excludes "at_least" and "at_most"`)
	}
	for _, n := range []struct {
		name string
		v    *int
	}{{"count", e.Count}, {"at_least", e.AtLeast}, {"at_most", e.AtMost}} {
		if n.v != nil && *n.v < 0 {
			return invalid("%s must not be negative", n.name)
		}
	}
	if e.AtLeast != nil && e.AtMost != nil && *e.AtLeast > *e.AtMost {
		return invalid("at_least must not exceed at_most")
	}
	e.Method = strings.ToUpper(e.Method)
	return nil
}

func (e *Expectation) holds(n int) (bool, string) {
	switch {
	case e.Count != nil:
		return n == *e.Count, fmt.Sprintf("exactly %d", *e.Count)
	case e.AtLeast != nil && e.AtMost != nil:
		return n >= *e.AtLeast && n <= *e.AtMost, fmt.Sprintf("between %d and %d", *e.AtLeast, *e.AtMost)
	case e.AtMost != nil:
		return n <= *e.AtMost, fmt.Sprintf("at most %d", *e.AtMost)
	case e.AtLeast != nil:
		return n >= *e.AtLeast, fmt.Sprintf("at least %d", *e.AtLeast)
	default:
		return n >= 1, "at least 1"
	}
}

type candidate struct {
	sum  Summary
	body string
}

// Verify counts the namespace's requests that meet e and, when too few
// do, finds the near misses.
func (j *Journal) Verify(ctx context.Context, ns string, e *Expectation) (*Verdict, error) {
	if err := e.Check(); err != nil {
		return nil, err
	}
	if err := j.Flush(ctx); err != nil {
		return nil, err
	}
	f := Filter{Vendor: e.Vendor, Method: e.Method, Path: e.Path, Endpoint: e.Endpoint}
	var a store.Args
	where := `ns = ` + a.Add(ns) + f.where(&a)
	n := 0
	if e.BodyContains == "" {
		if err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM standin_journal WHERE `+where, a...).Scan(&n); err != nil {
			return nil, err
		}
	} else {
		// Bodies are compared in Go: LIKE differs between the engines in
		// case and escaping.
		rows, err := j.db.QueryContext(ctx, `SELECT request_body FROM standin_journal WHERE `+where, a...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				return nil, err
			}
			if strings.Contains(body, e.BodyContains) {
				n++
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	v := &Verdict{Count: n, NearMisses: []NearMiss{}}
	v.Matched, v.Expected = e.holds(n)
	if v.Matched || (e.Count != nil && n > *e.Count) || (e.AtMost != nil && n > *e.AtMost) {
		return v, nil
	}
	misses, err := j.nearMisses(ctx, ns, e)
	if err != nil {
		return nil, err
	}
	v.NearMisses = misses
	return v, nil
}

// nearMisses weighs the most recent entries against e and returns the five
// closest that do not match, each with what differed.
func (j *Journal) nearMisses(ctx context.Context, ns string, e *Expectation) ([]NearMiss, error) {
	body := "''"
	if e.BodyContains != "" {
		body = "request_body"
	}
	rows, err := j.db.QueryContext(ctx, `SELECT summary, `+body+` FROM standin_journal WHERE ns = $1 ORDER BY seq DESC LIMIT $2`, ns, nearMissPool)
	cands, err := store.Collect(rows, err, func(s store.Scanner) (candidate, error) {
		var text string
		var c candidate
		if err := s.Scan(&text, &c.body); err != nil {
			return c, err
		}
		return c, json.Unmarshal([]byte(text), &c.sum)
	})
	if err != nil {
		return nil, err
	}
	type scored struct {
		miss  NearMiss
		score float64
	}
	var all []scored
	for _, c := range cands {
		diffs, score := differences(e, c)
		if len(diffs) == 0 {
			continue
		}
		all = append(all, scored{NearMiss{Request: c.sum, Differences: diffs}, score})
	}
	sort.SliceStable(all, func(i, k int) bool { return all[i].score < all[k].score })
	out := []NearMiss{}
	for i := 0; i < len(all) && i < 5; i++ {
		out = append(out, all[i].miss)
	}
	return out, nil
}

// differences lists what keeps c from meeting e, and a distance: each
// differing field counts 1, a path or endpoint by how far its text is
// from the expected one (0..1], a vendor 2.
func differences(e *Expectation, c candidate) ([]Difference, float64) {
	var d []Difference
	score := 0.0
	if e.Vendor != "" && c.sum.Vendor != e.Vendor {
		d = append(d, Difference{"vendor", e.Vendor, c.sum.Vendor, "another vendor"})
		score += 2
	}
	if e.Method != "" && c.sum.Method != e.Method {
		d = append(d, Difference{"method", e.Method, c.sum.Method, "another method"})
		score++
	}
	for _, f := range []struct{ name, want, got string }{{"path", e.Path, c.sum.Path}, {"endpoint", e.Endpoint, c.sum.Endpoint}} {
		if f.want == "" || GlobMatch(f.want, f.got) {
			continue
		}
		reason := "another " + f.name
		if isGlob(f.want) {
			reason = "does not match the glob"
		}
		d = append(d, Difference{f.name, f.want, f.got, reason})
		score += 0.2 + 0.8*distance(strings.ToLower(f.want), strings.ToLower(f.got))
	}
	if e.BodyContains != "" && !strings.Contains(c.body, e.BodyContains) {
		d = append(d, Difference{"body", e.BodyContains, excerpt(c.body, 200), "the request body does not contain the fragment"})
		score++
	}
	return d, score
}

// GlobMatch matches a path or endpoint as the SQL filter does: exact, or a
// case-insensitive glob where * matches any run of characters and ? one.
// Fault rules match with it too.
func GlobMatch(pattern, s string) bool {
	if !isGlob(pattern) {
		return pattern == s
	}
	return glob(strings.ToLower(pattern), strings.ToLower(s))
}

func glob(p, s string) bool {
	// Iterative matching with backtracking to the last star.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// distance is the Levenshtein distance of a and b over the longer length.
func distance(a, b string) float64 {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 512 {
		ra = ra[:512]
	}
	if len(rb) > 512 {
		rb = rb[:512]
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for k := range prev {
		prev[k] = k
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for k := 1; k <= len(rb); k++ {
			cost := 1
			if ra[i-1] == rb[k-1] {
				cost = 0
			}
			cur[k] = min(prev[k]+1, cur[k-1]+1, prev[k-1]+cost)
		}
		prev, cur = cur, prev
	}
	return float64(prev[len(rb)]) / float64(max(len(ra), len(rb)))
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
