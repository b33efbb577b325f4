package page

import (
	"math"
	"testing"
)

func TestFromNumber(t *testing.T) {
	tests := []struct {
		n, size int
		want    Page
	}{
		{1, 20, Page{20, 0}},
		{3, 20, Page{20, 40}},
		{0, 20, Page{20, 0}},
		{-5, 20, Page{20, 0}},
		{math.MaxInt, 50, Page{50, math.MaxInt}}, // saturates, never negative
		{math.MaxInt/50 + 2, 50, Page{50, math.MaxInt}},
	}
	for _, tt := range tests {
		if got := FromNumber(tt.n, tt.size); got != tt.want {
			t.Errorf("FromNumber(%d, %d) = %+v, want %+v", tt.n, tt.size, got, tt.want)
		}
	}
	if got := (Page{Limit: 10, Offset: 25}); got.Number() != 3 || got.TotalPages(101) != 11 {
		t.Errorf("Number %d TotalPages %d", got.Number(), got.TotalPages(101))
	}
}
