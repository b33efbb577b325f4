package valid

import (
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"jane.doe@example.com", true},
		{"a+tag@sub.example.org", true},
		{strings.Repeat("l", 64) + "@example.com", true},
		{strings.Repeat("l", 65) + "@example.com", false},
		{"a@" + strings.Repeat("d", 248) + ".com", true},  // 254
		{"a@" + strings.Repeat("d", 249) + ".com", false}, // 255
		{"", false},
		{"plain", false},
		{"a@localhost", false},
		{"Jane <jane@example.com>", false},
		{"jane@example.com (Jane)", false},
		{" jane@example.com", false},
		{"a@b@example.com", false},
	}
	for _, tt := range tests {
		if got := Email(tt.in); got != tt.want {
			t.Errorf("Email(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLen(t *testing.T) {
	if !Len(strings.Repeat("é", 255), MaxName) || Len(strings.Repeat("é", 256), MaxName) {
		t.Error("Len counts characters, not bytes")
	}
}
