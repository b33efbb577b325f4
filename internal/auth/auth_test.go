package auth

import (
	"strings"
	"testing"
)

func TestHashesCheck(t *testing.T) {
	human, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := SeedHash("demo-password")
	seedAgain, _ := SeedHash("demo-password")
	secret, _ := HashSecret("0f1e2d3c4b5a69788796a5b4")
	secret2, _ := HashSecret("0f1e2d3c4b5a69788796a5b4")
	if seed != seedAgain {
		t.Error("SeedHash is not memoised")
	}
	if secret == secret2 || !strings.HasPrefix(secret, secretPrefix) {
		t.Errorf("HashSecret is unsalted or unmarked: %q %q", secret, secret2)
	}
	tests := []struct {
		hash, pw string
		want     bool
	}{
		{human, "correct horse", true},
		{human, "correct horse ", false},
		{seed, "demo-password", true},
		{seed, "demo", false},
		{secret, "0f1e2d3c4b5a69788796a5b4", true},
		{secret, "0f1e2d3c4b5a69788796a5b5", false},
		{"", "", false},
		{secretPrefix + "zz$00", "x", false},
		{secretPrefix + "nodollar", "x", false},
	}
	for _, tt := range tests {
		if got := CheckPassword(tt.hash, tt.pw); got != tt.want {
			t.Errorf("CheckPassword(%.20q, %q) = %v", tt.hash, tt.pw, got)
		}
	}
}

func TestIsStoredHash(t *testing.T) {
	bc, _ := HashPassword("pw")
	sec, _ := HashSecret("s")
	for _, c := range []struct {
		h    string
		want bool
	}{{bc, true}, {sec, true}, {"", false}, {"pw", false}, {"$2a$10$short", false},
		{secretPrefix + "zz$00", false}, {sec[:len(sec)-1] + "G", false}} {
		if got := IsStoredHash(c.h); got != c.want {
			t.Errorf("IsStoredHash(%q) = %v", c.h, got)
		}
	}
}
