package clinked

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
)

// maxPageSize is the largest page a list returns.
const maxPageSize = 1000

// maxPageNumber is the largest page number (Clinked's page is a Java int);
// larger ones are clamped, so that the offset cannot overflow.
const maxPageNumber = math.MaxInt32

// listQuery is a parsed list request: the window and the ORDER BY clause.
type listQuery struct {
	page page.Page
	// order is an SQL ORDER BY list (without the keywords), always ending
	// in a unique tiebreak column so that pages never overlap.
	order string
}

// orderSpec says how a list may be sorted: orderBy values (as clients send
// them) mapped to SQL expressions, the default key, and the unique tiebreak
// column.
type orderSpec struct {
	columns  map[string]string
	def      string
	tiebreak string
}

// parseList reads page (1-based), size (or pageSize), orderBy and ascending.
// An orderBy outside the allow-list falls back to the default, as Clinked
// ignores it; malformed numbers and booleans are 400s.
func parseList(p url.Values, defSize int, spec orderSpec) (listQuery, error) {
	n, err := page.Int("page", p.Get("page"), 1)
	if err != nil {
		return listQuery{}, httpx.BadRequest("%s", err.Error())
	}
	sizeParam := p.Get("size")
	if sizeParam == "" {
		sizeParam = p.Get("pageSize")
	}
	size, err := page.Int("size", sizeParam, defSize)
	if err != nil {
		return listQuery{}, httpx.BadRequest("%s", err.Error())
	}
	if size == 0 {
		size = defSize
	}
	asc, err := queryBool(p, "ascending", true)
	if err != nil {
		return listQuery{}, err
	}
	col := spec.columns[spec.def]
	if c, ok := spec.columns[p.Get("orderBy")]; ok {
		col = c
	}
	dir := " ASC"
	if !asc {
		dir = " DESC"
	}
	order := spec.tiebreak + dir
	if col != "" && col != spec.tiebreak {
		order = col + dir + ", " + order
	}
	n = page.Clamp(n, 1, maxPageNumber)
	return listQuery{page: page.FromNumber(n, page.Clamp(size, 1, maxPageSize)), order: order}, nil
}

// queryBool reads a true/false parameter, def when absent.
func queryBool(p url.Values, key string, def bool) (bool, error) {
	v := p.Get(key)
	if v == "" {
		return def, nil
	}
	b, valid := httpx.Bool(v)
	if !valid {
		return false, httpx.BadRequest("%s", key+" must be true or false")
	}
	return b, nil
}

// queryID reads an optional id parameter: 0 when absent, a 400 naming
// what it must be (e.g. "a task id") when it is not an integer.
func queryID(p url.Values, key, what string) (int64, error) {
	v := strings.TrimSpace(p.Get(key))
	if v == "" {
		return 0, nil
	}
	if id, isInt := httpx.Int64(v); isInt {
		return id, nil
	}
	return 0, httpx.BadRequest("%s must be %s", key, what)
}

// pageJSON is Clinked's page envelope.
type pageJSON[T any] struct {
	Items        []T  `json:"items"`
	CurrentPage  int  `json:"currentPage"`
	TotalPages   int  `json:"totalPages"`
	PageSize     int  `json:"pageSize"`
	TotalResults int  `json:"totalResults"`
	NextPage     bool `json:"nextPage"`
	PreviousPage bool `json:"previousPage"`
}

// newPage wraps one page of items with the true total.
func newPage[T any](items []T, q listQuery, total int) pageJSON[T] {
	if items == nil {
		items = []T{}
	}
	n := q.page.Number()
	pages := q.page.TotalPages(total)
	return pageJSON[T]{
		Items: items, CurrentPage: n, TotalPages: pages, PageSize: q.page.Limit,
		TotalResults: total, NextPage: n < pages, PreviousPage: n > 1,
	}
}

// orderAndLimit is the ORDER BY and LIMIT/OFFSET tail of a page query
// whose filter took args, with the arguments of the whole query.
func (q listQuery) orderAndLimit(args store.Args) (string, []any) {
	lim, largs := q.page.SQL(len(args))
	return ` ORDER BY ` + q.order + lim, append(args, largs...)
}

// count runs a count query.
func (s *Service) count(ctx context.Context, query string, args []any) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

// matchName is the filter of the list parameters name (substring) and
// startsWith (prefix): each, when given, must match one of cols.
func matchName(p url.Values, args *store.Args, cols ...string) string {
	where := ""
	if v := strings.TrimSpace(p.Get("name")); v != "" {
		where += likeAny(args, "%"+likePattern(v)+"%", cols...)
	}
	if v := strings.TrimSpace(p.Get("startsWith")); v != "" {
		where += likeAny(args, likePattern(v)+"%", cols...)
	}
	return where
}

// likeAny is the condition " AND (…)" that one of cols (lowercase SQL
// expressions) is LIKE pattern, escaped as likePattern escapes.
func likeAny(args *store.Args, pattern string, cols ...string) string {
	ph := args.Add(pattern)
	conds := make([]string, len(cols))
	for i, c := range cols {
		conds[i] = c + ` LIKE ` + ph + ` ESCAPE '\'`
	}
	return ` AND (` + strings.Join(conds, " OR ") + `)`
}

// likePattern escapes s for a LIKE with ESCAPE '\' and lowercases it.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(strings.ToLower(s))
}

// listParams reads the query and body parameters and, from them, the list
// window (parseList).
func listParams(w http.ResponseWriter, r *http.Request, defSize int, spec orderSpec) (url.Values, listQuery, error) {
	p, err := params(w, r)
	if err != nil {
		return nil, listQuery{}, err
	}
	lq, err := parseList(p, defSize, spec)
	return p, lq, err
}

// params reads the query and body parameters.
func params(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	p, err := httpx.Params(w, r)
	return p, bodyErr(err)
}

// reply answers 200 with out when err is nil, and returns err otherwise:
// the tail of every handler whose last step computes its answer.
func reply[T any](w http.ResponseWriter, out T, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// writePage answers a page of items with the true total.
func writePage[T any](w http.ResponseWriter, items []T, lq listQuery, total int) error {
	httpx.WriteJSON(w, http.StatusOK, newPage(items, lq, total))
	return nil
}
