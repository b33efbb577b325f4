package httpx

import (
	"net/url"
	"testing"
)

func TestBadTextParam(t *testing.T) {
	tests := []struct {
		v    url.Values
		name string
		bad  bool
	}{
		{url.Values{"a": {"ü text"}, "b": {""}}, "", false},
		{url.Values{"a": {"ok"}, "b": {"x\x00y"}}, "b", true},
		{url.Values{"z": {"\xff"}, "a": {"ok", "\xfe"}}, "a", true},
		{url.Values{"n\x00m": {"ok"}}, "nm", true},
	}
	for _, tt := range tests {
		name, bad := BadTextParam(tt.v)
		if name != tt.name || bad != tt.bad {
			t.Errorf("%q: %q %v, want %q %v", tt.v, name, bad, tt.name, tt.bad)
		}
	}
}
