package clinked

import (
	"testing"
	"time"
)

func TestZoned(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2018, 1, 5, 14, 0, 0, 0, time.UTC), "2018-01-05T14:00Z[UTC]"},
		{time.Date(2022, 8, 25, 11, 56, 54, 0, time.UTC), "2022-08-25T11:56:54Z[UTC]"},
		{time.Date(2024, 4, 9, 7, 25, 13, 169e6, time.UTC), "2024-04-09T07:25:13.169Z[UTC]"},
		{time.Date(2024, 4, 9, 7, 25, 0, 1000, time.UTC), "2024-04-09T07:25:00.000001Z[UTC]"},
		{time.Date(2024, 4, 9, 9, 25, 0, 0, time.FixedZone("CEST", 2*3600)), "2024-04-09T07:25Z[UTC]"},
	}
	for _, tt := range tests {
		if got := zoned(tt.in); got != tt.want {
			t.Errorf("zoned(%v) = %s, want %s", tt.in, got, tt.want)
		}
		back, ok := parseTime(tt.want)
		if !ok || !back.Equal(tt.in) {
			t.Errorf("parseTime(%s) = %v %v, want %v", tt.want, back, ok, tt.in)
		}
	}
	for _, in := range []string{"1514764800000", "2018-01-01T00:00:00Z", "2018-01-01"} {
		if got, ok := parseTime(in); !ok || got.UnixMilli() != 1514764800000 {
			t.Errorf("parseTime(%s) = %v %v", in, got, ok)
		}
	}
	if _, ok := parseTime("yesterday"); ok {
		t.Error("parseTime accepted nonsense")
	}
}

// TestRetryAfter checks that waiting Retry-After seconds is enough and a
// second less is not, against the limiter's own admission rule.
func TestRetryAfter(t *testing.T) {
	const window = 300_000
	admits := func(prev, cur, limit, elapsed int64) bool {
		return prev*(window-elapsed)+(cur+1)*window <= limit*window
	}
	// after returns whether a request passes wait ms later.
	after := func(prev, cur, limit, elapsed, wait int64) bool {
		e := elapsed + wait
		if e < window {
			return admits(prev, cur, limit, e)
		}
		if e < 2*window {
			return admits(cur, 0, limit, e-window)
		}
		return true
	}
	tests := []struct{ prev, cur, limit, elapsed int64 }{
		{0, 10, 10, 0}, {0, 10, 10, 120_000}, {10, 5, 10, 1_000}, {2000, 1000, 2000, 100_000},
		{10, 6, 10, 150_000}, {10, 9, 10, 299_000}, {0, 2000, 2000, 299_000},
	}
	for _, tt := range tests {
		if admits(tt.prev, tt.cur, tt.limit, tt.elapsed) {
			t.Fatalf("%+v: not blocked to begin with", tt)
		}
		sec := retryAfter(tt.prev, tt.cur, tt.limit, window, tt.elapsed)
		if !after(tt.prev, tt.cur, tt.limit, tt.elapsed, sec*1000) {
			t.Errorf("%+v: still blocked after Retry-After %ds", tt, sec)
		}
		if sec > 1 && after(tt.prev, tt.cur, tt.limit, tt.elapsed, (sec-1)*1000-999) {
			t.Errorf("%+v: Retry-After %ds is longer than needed", tt, sec)
		}
	}
}

func TestInviteParameters(t *testing.T) {
	got := inviteParameters(4, map[int64]int64{12: 1, 1: 4})
	if want := `{"mask":4,"groups":{"1":4,"12":1},"extras":{}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := inviteParameters(1, nil); got != `{"mask":1,"groups":{},"extras":{}}` {
		t.Errorf("empty: %s", got)
	}
}

func TestLikePattern(t *testing.T) {
	if got := likePattern(`50%_A\b`); got != `50\%\_a\\b` {
		t.Errorf("got %s", got)
	}
}
