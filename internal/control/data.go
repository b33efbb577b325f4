package control

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/page"
	"github.com/standin-dev/standin/internal/store"
)

// The console's data browser reads a namespace's rows in each vendor's
// tables, read-only: whatever a vendor keeps shows up without a line of
// code per entity. Tables are found in the database's catalog, named
// <vendor>_<entity>, with the namespace in their "ns" column.

// secretColumn matches columns whose values the browser never shows.
var secretColumn = regexp.MustCompile(`(?i)(password|secret|token|hash|api_?key|salt)`)

// tableName is what a vendor's table may be called; anything else found in
// the catalog is ignored, so names can be spliced into SQL safely.
var tableName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

type entityView struct {
	Name  string `json:"name"`  // "groups"
	Table string `json:"table"` // "klipfolio_groups"
}

type entitiesView struct {
	Vendor   string       `json:"vendor"`
	Entities []entityView `json:"entities"`
}

type rowsView struct {
	Vendor  string     `json:"vendor"`
	Entity  string     `json:"entity"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Total   int        `json:"total"`
	Limit   int        `json:"limit"`
	Offset  int        `json:"offset"`
}

// vendorTables lists the vendor's tables that have an ns column.
func vendorTables(ctx context.Context, db *store.DB, vendor string) ([]entityView, error) {
	var q string
	if db.Engine == store.Postgres {
		q = `SELECT t.table_name FROM information_schema.tables t
		     JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'ns'
		     WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`
	} else {
		q = `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
		     AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'ns')`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []entityView
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if rest, ok := strings.CutPrefix(name, vendor+"_"); ok && tableName.MatchString(name) {
			out = append(out, entityView{Name: rest, Table: name})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// requestTables loads the request's {id} namespace and lists the tables of
// its {vendor}. When either is wrong it has answered, and ok is false.
func (s *server) requestTables(w http.ResponseWriter, r *http.Request) (ns *namespace.Namespace, vendor string, ents []entityView, ok bool) {
	if ns, ok = s.load(w, r); !ok {
		return nil, "", nil, false
	}
	vendor = r.PathValue("vendor")
	if _, ok := s.app.Vendor(vendor); !ok {
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("unknown vendor %q", vendor))
		return nil, "", nil, false
	}
	ents, err := vendorTables(r.Context(), s.app.DB(), vendor)
	if err != nil {
		s.fail(w, r, err)
		return nil, "", nil, false
	}
	return ns, vendor, ents, true
}

// listEntities serves GET /_standin/namespaces/{id}/data/{vendor}: the
// vendor's tables.
func (s *server) listEntities(w http.ResponseWriter, r *http.Request) {
	_, vendor, ents, ok := s.requestTables(w, r)
	if !ok {
		return
	}
	if ents == nil {
		ents = []entityView{}
	}
	httpx.WriteJSON(w, http.StatusOK, entitiesView{Vendor: vendor, Entities: ents})
}

// listRows serves GET /_standin/namespaces/{id}/data/{vendor}/{entity}
// ?q=&limit=&offset=: a page of the namespace's rows, every value as
// text, secrets masked, q matching any column (case-insensitive).
func (s *server) listRows(w http.ResponseWriter, r *http.Request) {
	ns, vendor, ents, ok := s.requestTables(w, r)
	if !ok {
		return
	}
	entity := r.PathValue("entity")
	table := ""
	for _, e := range ents {
		if e.Name == entity {
			table = e.Table
		}
	}
	if table == "" {
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("%s keeps no %q", vendor, entity))
		return
	}
	q := r.URL.Query()
	limit, err := page.Int("limit", q.Get("limit"), 25)
	if err != nil {
		s.fail(w, r, &app.ErrInvalid{Msg: err.Error()})
		return
	}
	offset, err := page.Int("offset", q.Get("offset"), 0)
	if err != nil {
		s.fail(w, r, &app.ErrInvalid{Msg: err.Error()})
		return
	}
	search := q.Get("q")
	if len(search) > 200 || !utf8.ValidString(search) || strings.ContainsRune(search, 0) {
		s.fail(w, r, &app.ErrInvalid{Msg: "q must be valid text of at most 200 bytes"})
		return
	}
	db := s.app.DB()
	cols, err := tableColumns(r.Context(), db, table)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	where := `ns = $1`
	args := []any{ns.ID}
	if search != "" {
		var ors []string
		for _, c := range cols {
			if !secretColumn.MatchString(c) {
				ors = append(ors, `LOWER(CAST(`+quoteIdent(c)+` AS TEXT)) LIKE $2`)
			}
		}
		if len(ors) > 0 {
			where += ` AND (` + strings.Join(ors, ` OR `) + `)`
			args = append(args, "%"+strings.ToLower(likeEscape(search))+"%")
		}
	}
	// LIKE's escape character differs by engine; name it.
	if len(args) == 2 {
		where = strings.ReplaceAll(where, `LIKE $2`, `LIKE $2 ESCAPE '\'`)
	}
	var total int
	if err := db.QueryRowContext(r.Context(), `SELECT count(*) FROM `+quoteIdent(table)+` WHERE `+where, args...).Scan(&total); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := page.Page{Limit: page.Clamp(limit, 1, 200), Offset: offset}
	order := "1"
	if len(cols) > 1 {
		order = "2" // the column after ns: the id, as every table starts
	}
	limitSQL, limitArgs := pg.SQL(len(args))
	rows, err := db.QueryContext(r.Context(), `SELECT * FROM `+quoteIdent(table)+` WHERE `+where+` ORDER BY `+order+limitSQL, append(args, limitArgs...)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rows.Close()
	// The ns column is the same on every row: not shown.
	var shown []string
	for _, c := range cols {
		if c != "ns" {
			shown = append(shown, c)
		}
	}
	out := rowsView{Vendor: vendor, Entity: entity, Columns: shown, Rows: [][]string{}, Total: total, Limit: pg.Limit, Offset: pg.Offset}
	for rows.Next() {
		vals, err := store.ScanValues(rows, len(cols))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		row := make([]string, 0, len(shown))
		for i, c := range cols {
			if c != "ns" {
				row = append(row, cellText(c, vals[i]))
			}
		}
		out.Rows = append(out.Rows, row)
	}
	if err := rows.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func tableColumns(ctx context.Context, db *store.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// cellText renders a value for the browser: secrets masked, bytes as a
// short hex preview, long text cut.
func cellText(col string, v any) string {
	if v == nil {
		return ""
	}
	if secretColumn.MatchString(col) {
		return "••••••"
	}
	var s string
	switch t := v.(type) {
	case []byte:
		if utf8.Valid(t) {
			s = string(t)
		} else {
			if len(t) > 32 {
				return fmt.Sprintf("%s… (%d bytes)", hex.EncodeToString(t[:32]), len(t))
			}
			return hex.EncodeToString(t)
		}
	case sql.RawBytes:
		s = string(t)
	default:
		s = fmt.Sprint(t)
	}
	if len(s) > 500 {
		cut := 500
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
