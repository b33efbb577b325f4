package clinked

import (
	"context"
	"database/sql"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// event is a row of clinked_events.
type event struct {
	contentItem
	startDate, endDate, seriesEnd int64
	allDay, disableMaybe          bool
	location, recurrence, color   sql.NullString
	dateReminder                  sql.NullInt64
	dateEndRecurrence             sql.NullInt64
}

const eventColumns = contentColumns + `, start_date, end_date, series_end, all_day, location, date_reminder,
	recurrence, date_end_recurrence, disable_maybe, color`

func (e *event) dest() []any {
	return append(e.contentItem.dest(), &e.startDate, &e.endDate, &e.seriesEnd, &e.allDay, &e.location,
		&e.dateReminder, &e.recurrence, &e.dateEndRecurrence, &e.disableMaybe, &e.color)
}

func (e *event) values() []any {
	return append(e.contentItem.values(), e.startDate, e.endDate, e.seriesEnd, e.allDay, e.location,
		e.dateReminder, e.recurrence, e.dateEndRecurrence, e.disableMaybe, e.color)
}

// eventByID loads an event of any group (trashed ones included).
var eventByID = contentByID[event](eventColumns, "clinked_events")

const ctrEvent = "clinked.event"

var eventKind = contentKind[*event, eventJSON]{table: "clinked_events", kind: "event", title: "Event",
	columns: eventColumns, alias: "e", scan: scanEvent, byID: eventByID, insertRow: insertEvent, updateRow: updateEventRow,
	render: func(ctx context.Context, v *contentView, _ *groupAccess, _ *caller, e *event) (eventJSON, error) {
		return v.event(ctx, e)
	}}

// insertEvent stores e; e.id 0 takes the next id, e.contextKey 0 the next
// context key.
func insertEvent(ctx context.Context, q store.Querier, ns string, e *event) error {
	e.seriesEnd = seriesEnd(e)
	return insertContent(ctx, q, ns, "clinked_events", eventColumns, ctrEvent, e)
}

func updateEventRow(ctx context.Context, q store.Querier, ns string, e *event) error {
	e.seriesEnd = seriesEnd(e)
	_, err := q.ExecContext(ctx, `UPDATE clinked_events SET name = $3, friendly_name = $4, sharing = $5,
		member_permission = $6, tags = $7, description = $8, trashed = $9, last_modified = $10, start_date = $11,
		end_date = $12, series_end = $13, all_day = $14, location = $15, date_reminder = $16, recurrence = $17,
		date_end_recurrence = $18, disable_maybe = $19, color = $20 WHERE ns = $1 AND id = $2`,
		ns, e.id, e.name, e.friendlyName, e.sharing, e.memberPermission, e.tags, e.description, e.trashed,
		e.lastModified, e.startDate, e.endDate, e.seriesEnd, e.allDay, e.location, e.dateReminder, e.recurrence,
		e.dateEndRecurrence, e.disableMaybe, e.color)
	return err
}

// seriesEnd is when an event's last occurrence can end: its end for a
// single event; for a series, the recurrence end, or never.
func seriesEnd(e *event) int64 {
	if !e.recurrence.Valid {
		return e.endDate
	}
	if e.dateEndRecurrence.Valid {
		return max(e.dateEndRecurrence.Int64, e.endDate)
	}
	return math.MaxInt64
}

// eventJSON is Clinked's event.
type eventJSON struct {
	ID                int64         `json:"id"`
	ContextKey        contextKeyRef `json:"contextKey"`
	Sharing           string        `json:"sharing"`
	MemberPermission  int64         `json:"memberPermission"`
	Name              string        `json:"name"`
	FriendlyName      string        `json:"friendlyName"`
	StartDate         string        `json:"startDate"`
	EndDate           string        `json:"endDate"`
	AllDay            bool          `json:"allDay"`
	Location          *string       `json:"location"`
	Tags              *string       `json:"tags"`
	DateReminder      *string       `json:"dateReminder"`
	Recurrence        *string       `json:"recurrence"`
	DateEndRecurrence *string       `json:"dateEndRecurrence"`
	Description       *string       `json:"description"`
	DisableMaybe      bool          `json:"disableMaybe"`
	Author            baseUserJSON  `json:"author"`
	LastModified      int64         `json:"lastModified"`
	Color             *string       `json:"color"`
	Group             groupRefJSON  `json:"group"`
}

// contextKeyRef is {"id": n}.
type contextKeyRef struct {
	ID int64 `json:"id"`
}

func zonedPtr(v sql.NullInt64) *string {
	if !v.Valid {
		return nil
	}
	s := zoned(msTime(v.Int64))
	return &s
}

func textPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (v *contentView) event(ctx context.Context, e *event) (eventJSON, error) {
	g, author, err := v.refs(ctx, e.groupID, e.authorID)
	if err != nil {
		return eventJSON{}, err
	}
	return eventJSON{
		ID: e.id, ContextKey: contextKeyRef{e.contextKey}, Sharing: e.sharing, MemberPermission: e.memberPermission,
		Name: e.name, FriendlyName: e.friendlyName, StartDate: zoned(msTime(e.startDate)), EndDate: zoned(msTime(e.endDate)),
		AllDay: e.allDay, Location: str(e.location), Tags: textPtr(e.tags), DateReminder: zonedPtr(e.dateReminder),
		Recurrence: str(e.recurrence), DateEndRecurrence: zonedPtr(e.dateEndRecurrence), Description: textPtr(e.description),
		DisableMaybe: e.disableMaybe, Author: author, LastModified: e.lastModified, Color: str(e.color), Group: g,
	}, nil
}

func (v *contentView) events(ctx context.Context, es []*event) ([]eventJSON, error) {
	out := make([]eventJSON, 0, len(es))
	for _, e := range es {
		j, err := v.event(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

var (
	colorPattern      = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)
	recurrencePattern = regexp.MustCompile(`^(RRULE:)?FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Za-z0-9,+:-]+)*$`)
)

// timeField reads a time in any form parseTime takes; present tells
// whether the key was given (null clears: the returned value is invalid).
func timeField(b *httpx.Body, key string) (sql.NullInt64, bool) {
	if !b.Has(key) {
		return sql.NullInt64{}, false
	}
	if b.Null(key) {
		return sql.NullInt64{}, true
	}
	if n, isInt := intFromRaw(b, key); isInt {
		return sql.NullInt64{Int64: n, Valid: true}, true
	}
	s, isString := b.String(key) // a type error is recorded on b
	t, parsed := parseTime(s)
	if isString && !parsed {
		b.Fail(key, "an ISO-8601 date-time such as 2026-05-01T14:00:00.000Z or 2018-01-05T14:00Z[UTC]")
	}
	if !isString || !parsed {
		return sql.NullInt64{}, true
	}
	return sql.NullInt64{Int64: ms(t), Valid: true}, true
}

// intFromRaw reads a JSON number (epoch milliseconds) without recording a
// type error, so that timeField can fall back to strings.
func intFromRaw(b *httpx.Body, key string) (int64, bool) {
	raw := strings.TrimSpace(string(b.Raw(key)))
	if raw == "" || raw[0] == '"' {
		return 0, false
	}
	n, ok := httpx.Int64(raw)
	return n, ok
}

// readEvent applies an event body to e.
func readEvent(b *httpx.Body, e *event, create bool) error {
	readContentFields(b, &e.contentItem, create)
	start, hasStart := timeField(b, "startDate")
	end, hasEnd := timeField(b, "endDate")
	switch {
	case hasStart && !start.Valid:
		b.Fail("startDate", "given")
	case hasStart:
		e.startDate = start.Int64
	case create:
		b.Fail("startDate", "given")
	}
	if v, ok := boolField(b, "allDay"); ok {
		e.allDay = v
	}
	if hasEnd && end.Valid {
		e.endDate = end.Int64
	} else if create || (hasEnd && !end.Valid) {
		// No end: an all-day event covers its day, any other lasts an hour.
		d := time.Hour
		if e.allDay {
			d = 24 * time.Hour
		}
		e.endDate = e.startDate + d.Milliseconds()
	}
	v, ok := b.StringMax("location", valid.MaxName)
	setNullString(b, "location", v, ok, &e.location)
	recurrenceField(b, &e.recurrence)
	if v, has := timeField(b, "dateReminder"); has {
		e.dateReminder = v
	}
	if v, has := timeField(b, "dateEndRecurrence"); has {
		e.dateEndRecurrence = v
	}
	v, ok = b.String("color")
	if ok && v != "" && !colorPattern.MatchString(v) {
		b.Fail("color", "a hex colour such as #212121")
	}
	setNullString(b, "color", v, ok, &e.color)
	if v, ok := boolField(b, "disableMaybe"); ok {
		e.disableMaybe = v
	}
	if err := b.Err(); err != nil {
		return err
	}
	if e.endDate < e.startDate {
		return httpx.BadRequest("endDate must not be before startDate")
	}
	return nil
}

var eventOrder = orderSpec{
	columns: map[string]string{"startDate": "start_date", "endDate": "end_date", "friendlyName": "friendly_name",
		"name": "name", "lastModified": "last_modified", "dateCreated": "date_created"},
	def:      "startDate",
	tiebreak: "id",
}

// listGroupEvents serves GET /v3/groups/{group}/events.
func (s *Service) listGroupEvents(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, _, lq, from, args, err := eventKind.inGroup(s, w, r, c, eventOrder)
	if err != nil {
		return err
	}
	es, total, err := eventKind.page(r.Context(), s, lq, from, args)
	if err != nil {
		return err
	}
	items, err := newContentView(s.db, c.ns.ID).events(r.Context(), es)
	if err != nil {
		return err
	}
	return writePage(w, items, lq, total)
}

// createGroupEvent serves POST /v3/groups/{group}/events.
func (s *Service) createGroupEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return eventKind.create(s, w, r, c, func(it contentItem) *event { return &event{contentItem: it} },
		func(_ *sql.Tx, b *httpx.Body, e *event) (func() error, error) { return nil, readEvent(b, e, true) })
}

// replyStatus answers out with status, or err.
func replyStatus[T any](w http.ResponseWriter, status int, out T, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, out)
	return nil
}

// contentBody resolves the {group} of a content write with need and reads
// the body.
func (s *Service) contentBody(w http.ResponseWriter, r *http.Request, c *caller, need int64) (*groupAccess, *httpx.Body, error) {
	ga, err := s.contentGroup(r, c, need)
	b, err := bodyAfter(w, r, err)
	return ga, b, err
}

// getGroupEvent serves GET /v3/groups/{group}/events/{id}.
func (s *Service) getGroupEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return eventKind.get(s, w, r, c)
}

// updateGroupEvent serves PUT and PATCH /v3/groups/{group}/events/{id}:
// the fields given change, the others stay.
func (s *Service) updateGroupEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return eventKind.update(s, w, r, c, func(_ *sql.Tx, b *httpx.Body, e *event) (func() error, error) {
		return nil, readEvent(b, e, false)
	})
}

// deleteGroupEvent serves DELETE /v3/groups/{group}/events/{id}: the
// event moves to the group's trash.
func (s *Service) deleteGroupEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return eventKind.remove(s, w, r, c)
}

// trashContent marks an event or task trashed and records it in the trash.
func trashContent(ctx context.Context, tx *sql.Tx, c *caller, table, kind string, it *contentItem) error {
	now := ms(c.ns.Now())
	res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET trashed = TRUE, last_modified = $3 WHERE ns = $1 AND id = $2 AND trashed = FALSE`,
		c.ns.ID, it.id, now)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIf(sql.ErrNoRows, kind+" not found")
	}
	_, err = moveToTrash(ctx, tx, c.ns.ID, it.groupID, kind, it.id, it.friendlyName, c.user.id, now)
	return err
}

// untrash is the restore of a trashed event or task: it comes back with
// its id, unless its slug was taken meanwhile.
func untrash(table, what string) func(ctx context.Context, tx *sql.Tx, ns string, id int64) error {
	return func(ctx context.Context, tx *sql.Tx, ns string, id int64) error {
		var groupID int64
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT group_id, name FROM `+table+` WHERE ns = $1 AND id = $2`, ns, id).Scan(&groupID, &name); err != nil {
			return notFoundIf(err, what+" not found")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE ns = $1 AND group_id = $2 AND name = $3 AND trashed = FALSE`,
			ns, groupID, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return restoreClash(what, name)
		}
		_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET trashed = FALSE WHERE ns = $1 AND id = $2`, ns, id)
		return err
	}
}

func init() { eventKind.registerTrash(nil) }

// maxAccountEvents bounds GET /v3/events, which Clinked documents as a
// bare array without paging: a window holding more is cut at this many,
// earliest first (docs/decisions.md).
const maxAccountEvents = 1000

// listEvents serves GET /v3/events, both documented forms: ?account= (the
// events of that account's groups that the caller sees) and ?user= (the
// events of the groups that user belongs to, as far as the caller may
// see them). dateStart and dateEnd are ISO dates; an event, or any part of
// a recurring series, that overlaps the window is listed once.
func (s *Service) listEvents(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := params(w, r)
	if err != nil {
		return err
	}
	from, to, err := dateWindow(p.Get("dateStart"), p.Get("dateEnd"))
	if err != nil {
		return err
	}
	args := store.Args{c.ns.ID}
	where := ` FROM clinked_events e JOIN clinked_groups g ON g.ns = e.ns AND g.id = e.group_id
		WHERE e.ns = $1 AND e.trashed = FALSE AND g.removed = FALSE AND e.start_date < ` + args.Add(to) +
		` AND e.series_end >= ` + args.Add(from)
	scope, err := s.contentScope(r, c, p.Get("account"), p.Get("user"), &args, "e")
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT `+prefixed("e", eventColumns)+where+scope+
		` ORDER BY e.start_date, e.id LIMIT `+args.Add(maxAccountEvents), args...)
	es, err := store.Collect(rows, err, scanEvent)
	if err != nil {
		return err
	}
	out, err := newContentView(s.db, c.ns.ID).events(r.Context(), es)
	return reply(w, out, err)
}

// dateWindow reads dateStart and dateEnd (ISO dates, both inclusive) as a
// half-open range of milliseconds; either may be absent.
func dateWindow(start, end string) (from, to int64, err error) {
	from, to = math.MinInt64, math.MaxInt64
	if start != "" {
		t, parsed := parseTime(start)
		if !parsed {
			return 0, 0, httpx.BadRequest("dateStart must be an ISO date such as 2022-03-01")
		}
		from = ms(t)
	}
	if end != "" {
		t, parsed := parseTime(end)
		if !parsed {
			return 0, 0, httpx.BadRequest("dateEnd must be an ISO date such as 2022-03-31")
		}
		if len(strings.TrimSpace(end)) == len("2006-01-02") {
			t = t.Add(24 * time.Hour) // the whole last day
		}
		to = ms(t)
	}
	if to < from {
		return 0, 0, httpx.BadRequest("dateEnd must not be before dateStart")
	}
	return from, to, nil
}

// contentScope limits an account-wide content list (alias a) to what the
// caller may see: with account, that account's groups the caller belongs
// to (all of them for an account administrator); with user, the groups
// that user belongs to, when the user is the caller or the caller
// administers the group's account. Items shared NONE stay with their
// author and administrators.
func (s *Service) contentScope(r *http.Request, c *caller, accountParam, userParam string, args *store.Args, a string) (string, error) {
	now := ms(c.ns.Now())
	memberOfSQL := func(userArg string) string {
		return ` AND ` + a + `.group_id IN (SELECT gm.group_id FROM clinked_group_members gm WHERE gm.ns = $1
			AND gm.user_id = ` + userArg + ` AND (gm.expiration_date IS NULL OR gm.expiration_date > ` + args.Add(now) + `))`
	}
	adminOfSQL := func(userArg string) string {
		return a + `.account_id IN (SELECT m.account_id FROM clinked_members m WHERE m.ns = $1 AND m.user_id = ` +
			userArg + ` AND m.permission >= ` + args.Add(permAdmin) + `)`
	}
	switch {
	case accountParam != "":
		id, err := queryID(url.Values{"account": {accountParam}}, "account", "an account id")
		if err != nil {
			return "", err
		}
		_, m, err := s.accountByIDFor(r.Context(), c, id, false)
		if err != nil {
			return "", err
		}
		scope := ` AND ` + a + `.account_id = ` + args.Add(id)
		if isAdmin(m.permission) {
			return scope, nil
		}
		me := args.Add(c.user.id)
		return scope + memberOfSQL(me) + ` AND (` + a + `.sharing <> 'NONE' OR ` + a + `.author_id = ` + me + `)`, nil
	case userParam != "":
		u, err := userByUsername(r.Context(), s.db, c.ns.ID, userParam)
		if err != nil {
			return "", notFoundIf(err, "User not found")
		}
		target := args.Add(u.id)
		scope := memberOfSQL(target)
		if u.id != c.user.id {
			scope += ` AND ` + adminOfSQL(args.Add(c.user.id))
		}
		return scope + ` AND (` + a + `.sharing <> 'NONE' OR ` + a + `.author_id = ` + target + ` OR ` +
			adminOfSQL(target) + `)`, nil
	}
	return "", httpx.BadRequest("account or user is required")
}
