package clinked

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Documented limit: 2000 requests per IP address in 5 minutes.
const (
	defaultRateLimit  = 2000
	defaultRateWindow = 300 // seconds
)

// Larger settings are clamped to these, so that the window arithmetic
// (limit × window in milliseconds) cannot overflow or divide by zero.
const (
	maxRateLimit  = 100_000_000
	maxRateWindow = 366 * 24 * 60 * 60 // seconds
)

// settings are Clinked's per-namespace switches, set through
// PUT /_standin/namespaces/{id}/settings/clinked:
//
//	{"rate_limit": {"enabled": false}}
//	{"rate_limit": {"limit": 10, "window_seconds": 300}}
type settings struct {
	RateLimit struct {
		Enabled       *bool `json:"enabled"`
		Limit         int64 `json:"limit"`
		WindowSeconds int64 `json:"window_seconds"`
	} `json:"rate_limit"`
}

// rateConfig returns whether the limit applies, the limit and the window in
// milliseconds. Bad settings fall back to the documented defaults.
func rateConfig(ns *namespace.Namespace) (bool, int64, int64) {
	var st settings
	_ = ns.Setting(vendorName, &st)
	enabled := st.RateLimit.Enabled == nil || *st.RateLimit.Enabled
	limit, window := st.RateLimit.Limit, st.RateLimit.WindowSeconds
	if limit <= 0 {
		limit = defaultRateLimit
	}
	if window <= 0 {
		window = defaultRateWindow
	}
	limit, window = min(limit, maxRateLimit), min(window, maxRateWindow)
	return enabled, limit, window * 1000
}

// clientIP is the address the request came from (X-Forwarded-For is not
// trusted: any client could set it to dodge the limit).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateLimited enforces the per-IP limit before any route. The count lives
// in the database, one row per (namespace, IP, window start), so every
// standin process on one database shares it. The window slides: the
// previous window's count is weighted by how much of it still overlaps the
// last window length, which evaluates the limit continuously as Clinked
// describes, and unblocks the IP as soon as the estimate falls under the
// limit. Refused requests are not counted.
func (s *Service) rateLimited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns := namespace.FromContext(r.Context())
		enabled, limit, window := rateConfig(ns)
		if !enabled {
			next.ServeHTTP(w, r)
			return
		}
		retry, err := s.countRequest(r.Context(), ns, clientIP(r), limit, window)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if retry > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(retry, 10))
			fail(w, r, http.StatusTooManyRequests,
				fmt.Sprintf("Rate limit exceeded: at most %d requests per %d seconds from one IP address", limit, window/1000))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// countRequest counts one request from ip and returns 0 when it may pass,
// else the seconds after which one more request would pass. Most requests
// pass on a lease (see rateLeases) without touching the database.
func (s *Service) countRequest(ctx context.Context, ns *namespace.Namespace, ip string, limit, window int64) (int64, error) {
	now := ms(ns.Now())
	start := now - now%window
	key := rateKey{ns: ns.ID, version: ns.Version, ip: ip, start: start, limit: limit, window: window}
	if s.rate.take(key) {
		return 0, nil
	}
	var retry, granted int64
	// Counting requests changes no data that a kept read depends on.
	ctx = store.Untracked(ctx)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Counting this request first locks the row, so that concurrent
		// processes see each other's counts.
		var cur, prev int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO clinked_rate_counts (ns, ip, window_start, count)
			VALUES ($1, $2, $3, 1)
			ON CONFLICT (ns, ip, window_start) DO UPDATE SET count = clinked_rate_counts.count + 1
			RETURNING count`, ns.ID, ip, start).Scan(&cur); err != nil {
			return err
		}
		if cur == 1 { // first request of a window: forget windows that no longer count
			if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_rate_counts
				WHERE ns = $1 AND ip = $2 AND window_start < $3`, ns.ID, ip, start-window); err != nil {
				return err
			}
		}
		err := tx.QueryRowContext(ctx, `SELECT count FROM clinked_rate_counts
			WHERE ns = $1 AND ip = $2 AND window_start = $3`, ns.ID, ip, start-window).Scan(&prev)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		elapsed := now - start
		// The estimate prev*(window-elapsed)/window + (cur-1) + n stays
		// within the limit for n <= free, in integers.
		free := (limit*window - prev*(window-elapsed) - (cur-1)*window) / window
		if free < 1 {
			retry = retryAfter(prev, cur-1, limit, window, elapsed)
			_, err := tx.ExecContext(ctx, `UPDATE clinked_rate_counts SET count = count - 1
				WHERE ns = $1 AND ip = $2 AND window_start = $3`, ns.ID, ip, start)
			return err
		}
		if granted = leaseSize(free); granted > 1 {
			_, err := tx.ExecContext(ctx, `UPDATE clinked_rate_counts SET count = count + $4
				WHERE ns = $1 AND ip = $2 AND window_start = $3`, ns.ID, ip, start, granted-1)
			return err
		}
		return nil
	})
	if err != nil || retry > 0 {
		return retry, err
	}
	s.rate.add(key, granted-1) // one is this request's
	return 0, nil
}

// leaseSize is how many requests one trip to the database counts at once:
// a sixteenth of what the window still allows, at most 256. Near the limit
// it is 1, so the limit stays exact across processes; far from it, a
// process pays one transaction per many requests. What a process has
// counted but not yet served is lost when the window turns, which can only
// make the limit stricter, by at most a sixteenth of what was left.
func leaseSize(free int64) int64 { return max(1, min(free/16, 256)) }

// rateKey names what a lease is good for: one namespace at one version
// (settings, clock and reset all change the version), one IP, one window
// and one configuration.
type rateKey struct {
	ns            string
	version       int64
	ip            string
	start         int64
	limit, window int64
}

// rateLeases holds, per namespace and IP, requests already counted in the
// database but not yet served by this process.
type rateLeases struct {
	mu sync.Mutex
	m  map[rateSlot]rateLease
}

type rateSlot struct{ ns, ip string }

type rateLease struct {
	key  rateKey
	left int64
}

// maxLeases bounds the map; past it the leases are dropped (which only
// makes the limit stricter).
const maxLeases = 10_000

// take uses one request of a lease for key, if there is one.
func (l *rateLeases) take(key rateKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	slot := rateSlot{key.ns, key.ip}
	lease, ok := l.m[slot]
	if !ok || lease.key != key || lease.left <= 0 {
		return false
	}
	lease.left--
	l.m[slot] = lease
	return true
}

// add keeps n more counted requests for key.
func (l *rateLeases) add(key rateKey, n int64) {
	if n <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxLeases {
		l.m = map[rateSlot]rateLease{}
	}
	slot := rateSlot{key.ns, key.ip}
	lease := l.m[slot]
	if lease.key != key {
		lease = rateLease{key: key}
	}
	lease.left += n
	l.m[slot] = lease
}

// retryAfter is how long, in whole seconds (at least 1), until one more
// request fits: the estimate prev*(window-t)/window + cur + 1 <= limit.
func retryAfter(prev, cur, limit, window, elapsed int64) int64 {
	var waitMs int64
	if cur+1 <= limit && prev > 0 {
		// Within this window: t >= window*(1-(limit-cur-1)/prev).
		t := window - window*(limit-cur-1)/prev
		waitMs = t - elapsed
	} else {
		// Only in the next window, where this window's count decays:
		// t' >= window*(1-(limit-1)/cur).
		t := window
		if cur > 0 {
			t = window - window*(limit-1)/cur
		}
		waitMs = window - elapsed + t
	}
	sec := (waitMs + 999) / 1000
	if sec < 1 {
		sec = 1
	}
	return sec
}
