package clinked

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"strconv"

	"github.com/standin-dev/standin/internal/namespace"
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
// else the seconds after which one more request would pass.
func (s *Service) countRequest(ctx context.Context, ns *namespace.Namespace, ip string, limit, window int64) (int64, error) {
	now := ms(ns.Now())
	start := now - now%window
	var retry int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
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
		// estimate = prev*(window-elapsed)/window + cur, in integers.
		if prev*(window-elapsed)+cur*window <= limit*window {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clinked_rate_counts SET count = count - 1
			WHERE ns = $1 AND ip = $2 AND window_start = $3`, ns.ID, ip, start); err != nil {
			return err
		}
		retry = retryAfter(prev, cur-1, limit, window, elapsed)
		return nil
	})
	return retry, err
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
