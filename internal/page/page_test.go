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

func TestFromEnd(t *testing.T) {
	tests := []struct {
		p     Page
		total int
		want  Page
		ok    bool
	}{
		{Page{20, 0}, 100, Page{20, 0}, false},     // first page: as it is
		{Page{20, 50}, 100, Page{20, 50}, false},   // the middle: as it is
		{Page{20, 60}, 100, Page{20, 20}, true},    // rows 60..79 are rows 20..39 from the end
		{Page{20, 80}, 100, Page{20, 0}, true},     // the last page
		{Page{20, 90}, 100, Page{10, 0}, true},     // a short last page
		{Page{20, 100}, 100, Page{20, 100}, false}, // past the end: empty as it is
		{Page{math.MaxInt, 99}, 100, Page{1, 0}, true},
		{Page{20, math.MaxInt}, 100, Page{20, math.MaxInt}, false},
	}
	for _, tt := range tests {
		got, ok := tt.p.FromEnd(tt.total)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v.FromEnd(%d) = %+v, %v; want %+v, %v", tt.p, tt.total, got, ok, tt.want, tt.ok)
		}
	}
}
