// Package page parses list parameters and turns them into SQL LIMIT/OFFSET,
// so that every list is paginated by the database.
package page

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Page is a window over an ordered result: Limit rows after skipping Offset.
type Page struct {
	Limit  int
	Offset int
}

// SQL returns " LIMIT $n OFFSET $n+1" for a query that already has argc
// arguments, and the two arguments to append.
func (p Page) SQL(argc int) (string, []any) {
	return fmt.Sprintf(" LIMIT $%d OFFSET $%d", argc+1, argc+2), []any{p.Limit, p.Offset}
}

// Number is the 1-based page number that this window starts on.
func (p Page) Number() int {
	if p.Limit <= 0 {
		return 1
	}
	return p.Offset/p.Limit + 1
}

// TotalPages is how many pages of p.Limit rows total rows make.
func (p Page) TotalPages(total int) int {
	if p.Limit <= 0 || total <= 0 {
		return 0
	}
	return (total + p.Limit - 1) / p.Limit
}

// FromNumber makes the window of 1-based page number n of size rows. A
// page past what an int can address saturates (an empty page) rather than
// overflowing to a negative offset, which PostgreSQL would refuse.
func FromNumber(n, size int) Page {
	if n < 1 {
		n = 1
	}
	if size > 0 && n-1 > math.MaxInt/size {
		return Page{Limit: size, Offset: math.MaxInt}
	}
	return Page{Limit: size, Offset: (n - 1) * size}
}

// Int parses an optional non-negative integer parameter. It returns def
// when s is empty, and an error naming the parameter when s is not a
// non-negative integer.
func Int(name, s string, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a non-negative integer", name)
	}
	return n, nil
}

// Clamp limits n to [lo, hi].
func Clamp(n, lo, hi int) int {
	if n < lo {
		return lo
	}
	if n > hi {
		return hi
	}
	return n
}

// FromEnd returns the same window counted from the other end of a list of
// total rows, for a query in the reverse order: a deep page near the end
// of a long list then skips few rows instead of nearly all. ok is false
// when the window is nearer the start (keep it as it is), or empty.
func (p Page) FromEnd(total int) (Page, bool) {
	if p.Limit <= 0 || p.Offset <= total/2 || p.Offset >= total {
		return p, false
	}
	n := min(p.Limit, total-p.Offset) // rows in the window
	return Page{Limit: n, Offset: total - p.Offset - n}, true
}
