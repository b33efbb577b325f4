package clinked

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// This file holds what group events and group tasks share: the columns
// every piece of group content has, the body fields they both take, who
// may see and change an item, and slugs unique within a group.

// contentItem is the part of an event or task row that all content has.
type contentItem struct {
	id, groupID, accountID, contextKey int64
	name, friendlyName, sharing, tags  string
	description                        string
	memberPermission, authorID         int64
	trashed                            bool
	dateCreated, lastModified          int64
}

const contentColumns = `id, group_id, account_id, context_key, name, friendly_name, sharing, member_permission,
	tags, description, author_id, trashed, date_created, last_modified`

// item is the contentItem part of an event or a task.
func (c *contentItem) item() *contentItem { return c }

// contentRow is the pointer type of a content row type E: dest and values
// list its columns, contentItem's first.
type contentRow[E any] interface {
	*E
	dest() []any
	values() []any
	item() *contentItem
}

// contentByID is the loader of one row of table, of any group (trashed
// ones included).
func contentByID[E any, P contentRow[E]](columns, table string) func(ctx context.Context, q store.Querier, ns string, id int64) (P, *contentItem, error) {
	return func(ctx context.Context, q store.Querier, ns string, id int64) (P, *contentItem, error) {
		p := P(new(E))
		err := q.QueryRowContext(ctx, `SELECT `+columns+` FROM `+table+` WHERE ns = $1 AND id = $2`, ns, id).Scan(p.dest()...)
		if err != nil {
			return nil, nil, err
		}
		return p, p.item(), nil
	}
}

// insertContent stores v in table: an id 0 takes the next id of counter,
// a context key 0 the next context key.
func insertContent[P interface {
	values() []any
	item() *contentItem
}](ctx context.Context, q store.Querier, ns, table, columns, counter string, v P) error {
	it := v.item()
	if err := assignID(ctx, q, ns, counter, &it.id); err != nil {
		return err
	}
	if err := assignID(ctx, q, ns, ctrContextKey, &it.contextKey); err != nil {
		return err
	}
	values := v.values()
	_, err := q.ExecContext(ctx, `INSERT INTO `+table+` (ns, `+columns+`) VALUES (`+store.Placeholders(1, len(values)+1)+`)`,
		append([]any{ns}, values...)...)
	return err
}

func (c *contentItem) dest() []any {
	return []any{&c.id, &c.groupID, &c.accountID, &c.contextKey, &c.name, &c.friendlyName, &c.sharing,
		&c.memberPermission, &c.tags, &c.description, &c.authorID, &c.trashed, &c.dateCreated, &c.lastModified}
}

func (c *contentItem) values() []any {
	return []any{c.id, c.groupID, c.accountID, c.contextKey, c.name, c.friendlyName, c.sharing,
		c.memberPermission, c.tags, c.description, c.authorID, c.trashed, c.dateCreated, c.lastModified}
}

// sharingValues are the documented sharing options.
var sharingValues = []string{"NONE", "DEFAULT", "MEMBERS", "PUBLIC"}

// defaultMemberPermission is the level other members need to change an
// item when the client gives none (the examples show 8).
const defaultMemberPermission = permMemberManager

// maxDescription bounds descriptions (Clinked's rich text), in characters.
const maxDescription = 10000

// slugPattern is what a client-chosen name may look like.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// readContentFields applies the shared body fields to it. create makes
// friendlyName required.
func readContentFields(b *httpx.Body, it *contentItem, create bool) {
	if v, ok := b.StringMax("friendlyName", valid.MaxName); ok {
		it.friendlyName = strings.TrimSpace(v)
		if it.friendlyName == "" {
			b.Fail("friendlyName", "a non-empty string")
		}
	} else if create && !b.Has("friendlyName") {
		b.Fail("friendlyName", "given")
	}
	if v, ok := b.StringMax("name", valid.MaxName); ok {
		if !slugPattern.MatchString(v) {
			b.Fail("name", "a slug of lower-case letters, digits, '_', '-' and '.'")
		}
		it.name = v
	}
	if v, ok := b.String("sharing"); ok {
		if !oneOf(v, sharingValues) {
			b.Fail("sharing", "one of "+strings.Join(sharingValues, ", "))
		}
		it.sharing = v
	}
	if b.Has("memberPermission") && !b.Null("memberPermission") {
		it.memberPermission = permissionField(b, "memberPermission", it.memberPermission)
	}
	if b.Has("tags") {
		it.tags = tagsField(b, "tags")
	}
	if v, ok := b.StringMax("description", maxDescription); ok {
		it.description = v
	} else if b.Null("description") {
		it.description = ""
	}
}

// tagsField reads tags as Clinked writes them, a comma-separated string;
// a list of strings is joined.
func tagsField(b *httpx.Body, key string) string {
	if b.Null(key) {
		return ""
	}
	raw := strings.TrimSpace(string(b.Raw(key)))
	var tags []string
	if strings.HasPrefix(raw, "[") {
		tags, _ = b.Strings(key)
	} else if s, ok := b.String(key); ok {
		tags = strings.Split(s, ",")
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	joined := strings.Join(out, ",")
	if len(joined) > 1000 {
		b.Fail(key, "at most 1000 characters")
	}
	return joined
}

func oneOf(v string, values []string) bool {
	for _, x := range values {
		if v == x {
			return true
		}
	}
	return false
}

// mayChange tells whether the caller may change or delete an item: its
// author, a group administrator, or a member whose group permission
// reaches the item's memberPermission.
func mayChange(ga *groupAccess, c *caller, it *contentItem) bool {
	return it.authorID == c.user.id || ga.perm >= permAdmin || ga.perm >= it.memberPermission
}

// maySee tells whether the caller sees an item: sharing NONE keeps it to
// its author and the group's administrators.
func maySee(ga *groupAccess, c *caller, it *contentItem) bool {
	return it.sharing != "NONE" || it.authorID == c.user.id || ga.perm >= permAdmin
}

// visibleSQL is the SQL form of maySee for lists, on alias t, given the
// caller's group permission and user id as arguments.
func visibleSQL(args *store.Args, alias string, perm, userID int64) string {
	if perm >= permAdmin {
		return ""
	}
	return ` AND (` + alias + `.sharing <> 'NONE' OR ` + alias + `.author_id = ` + args.Add(userID) + `)`
}

// userPermissionOf is the caller's permission on an item, as the API
// reports it in userPermission.
func userPermissionOf(ga *groupAccess, c *caller, it *contentItem) int64 {
	if mayChange(ga, c, it) {
		return permAdmin
	}
	return ga.perm
}

// uniqueSlug picks the item's name: the client's, which must be free
// (409 otherwise), or one derived from friendlyName with a numeric suffix
// when taken, as Clinked does for generated names.
func uniqueSlug(ctx context.Context, tx *sql.Tx, table, ns string, it *contentItem, explicit bool, what string) error {
	taken := func(name string) (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE ns = $1 AND group_id = $2 AND name = $3 AND trashed = FALSE AND id <> $4`,
			ns, it.groupID, name, it.id).Scan(&n)
		return n > 0, err
	}
	if explicit {
		t, err := taken(it.name)
		if err != nil {
			return err
		}
		if t {
			return httpx.Conflict("%s with name %s already exists in this group", what, it.name)
		}
		return nil
	}
	base := slugify(it.friendlyName)
	if len(base) > valid.MaxName-8 {
		base = base[:valid.MaxName-8]
	}
	for i := 1; i <= 1000; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s_%d", base, i)
		}
		t, err := taken(name)
		if err != nil {
			return err
		}
		if !t {
			it.name = name
			return nil
		}
	}
	return httpx.Conflict("too many %ss named %s in this group", strings.ToLower(what), base)
}

// slugConflict turns a unique violation on a slug (a concurrent create
// that won the race) into the same 409 the check gives.
func slugConflict(err error, what, name string) error {
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("%s with name %s already exists in this group", what, name)
	}
	return err
}

// restoreClash is why a restore fails when the slug was reused.
func restoreClash(what, name string) error {
	return httpx.Conflict("%s with name %s already exists in this group", what, name)
}

// userCache looks up each user a response names once; a user who is gone
// is nil. Its renderings differ only in how they show such a user.
type userCache struct {
	q     store.Querier
	ns    string
	users map[int64]*user
}

func newUserCache(q store.Querier, ns string) *userCache {
	return &userCache{q: q, ns: ns, users: map[int64]*user{}}
}

// user returns the user with id, nil when gone.
func (c *userCache) user(ctx context.Context, id int64) (*user, error) {
	if u, ok := c.users[id]; ok {
		return u, nil
	}
	u, err := userByID(ctx, c.q, c.ns, id)
	if errors.Is(err, sql.ErrNoRows) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.users[id] = u
	return u, nil
}

// get renders a user as BaseUser; one who is gone keeps only the id.
func (c *userCache) get(ctx context.Context, id int64) (baseUserJSON, error) {
	u, err := c.user(ctx, id)
	if err != nil {
		return baseUserJSON{}, err
	}
	if u == nil {
		u = &user{id: id}
	}
	return u.base(), nil
}

// optional renders an optional reference to a user: nil when there is
// none or the user is gone.
func (c *userCache) optional(ctx context.Context, id sql.NullInt64) (*baseUserJSON, error) {
	if !id.Valid {
		return nil, nil
	}
	u, err := c.user(ctx, id.Int64)
	if u == nil || err != nil {
		return nil, err
	}
	b := u.base()
	return &b, nil
}

// contentView renders items for one caller: group summaries and authors
// are looked up once per request.
type contentView struct {
	ns     string
	q      store.Querier
	groups map[int64]groupRefJSON
	users  *userCache
}

func newContentView(q store.Querier, ns string) *contentView {
	return &contentView{ns: ns, q: q, groups: map[int64]groupRefJSON{}, users: newUserCache(q, ns)}
}

// refs renders what every item names: its group's summary and its author.
func (v *contentView) refs(ctx context.Context, groupID, authorID int64) (groupRefJSON, baseUserJSON, error) {
	g, ok := v.groups[groupID]
	if !ok {
		grp, err := groupByID(ctx, v.q, v.ns, groupID)
		if err != nil {
			return groupRefJSON{}, baseUserJSON{}, err
		}
		g = grp.ref()
		v.groups[groupID] = g
	}
	author, err := v.users.get(ctx, authorID)
	return g, author, err
}

// itemPath resolves the {id} of an item path and loads it with load,
// answering 404 for an unknown, trashed or hidden item.
func itemFromPath[T any](r *http.Request, q store.Querier, ga *groupAccess, c *caller, what string,
	load func(ctx context.Context, q store.Querier, ns string, id int64) (T, *contentItem, error)) (T, *contentItem, error) {
	var zero T
	id, err := pathID(r, "id")
	if err != nil {
		return zero, nil, err
	}
	v, it, err := load(r.Context(), q, c.ns.ID, id)
	if err != nil {
		return zero, nil, notFoundIf(err, what+" not found")
	}
	if it.groupID != ga.group.id || it.trashed || !maySee(ga, c, it) {
		return zero, nil, httpx.NotFound("%s not found", what)
	}
	return v, it, nil
}

// contentKind is one kind of group content (events, tasks) as the handlers
// they share see it: its table, its names, how to load, store and render
// one item. T is its row type, J its JSON.
type contentKind[T interface{ item() *contentItem }, J any] struct {
	table     string // "clinked_events"
	kind      string // "event": the trash's kind, and in 403 messages
	title     string // "Event": in 404 and 409 messages
	columns   string // eventColumns
	alias     string // "e": the table's alias in lists
	scan      func(row store.Scanner) (T, error)
	byID      func(ctx context.Context, q store.Querier, ns string, id int64) (T, *contentItem, error)
	insertRow func(ctx context.Context, q store.Querier, ns string, v T) error
	updateRow func(ctx context.Context, q store.Querier, ns string, v T) error
	render    func(ctx context.Context, v *contentView, ga *groupAccess, c *caller, item T) (J, error)
}

// fromPath loads the {id} item of the group: 404 for an unknown, trashed
// or hidden one.
func (k contentKind[T, J]) fromPath(r *http.Request, q store.Querier, ga *groupAccess, c *caller) (T, *contentItem, error) {
	return itemFromPath(r, q, ga, c, k.title, k.byID)
}

// changeable is fromPath for a write: 403 unless the caller may change the
// item (verb says how, in the message).
func (k contentKind[T, J]) changeable(r *http.Request, q store.Querier, ga *groupAccess, c *caller, verb string) (T, *contentItem, error) {
	v, it, err := k.fromPath(r, q, ga, c)
	if err == nil && !mayChange(ga, c, it) {
		err = httpx.Forbidden("You may not %s this %s", verb, k.kind)
	}
	return v, it, err
}

// uniqueSlug gives it a name unique among the kind's items in its group;
// explicit says the client chose the name.
func (k contentKind[T, J]) uniqueSlug(ctx context.Context, tx *sql.Tx, ns string, it *contentItem, explicit bool) error {
	return uniqueSlug(ctx, tx, k.table, ns, it, explicit, k.title)
}

// inGroup resolves {group} and the parameters of a list of the kind's
// items in that group; from (with args) is the list's FROM clause: the
// group's items that the caller sees.
func (k contentKind[T, J]) inGroup(s *Service, w http.ResponseWriter, r *http.Request, c *caller, order orderSpec) (
	ga *groupAccess, p url.Values, lq listQuery, from string, args store.Args, err error) {
	if ga, err = s.contentGroup(r, c, permBasic); err != nil {
		return
	}
	if p, lq, err = listParams(w, r, 25, order); err != nil {
		return
	}
	a := k.alias
	args = store.Args{c.ns.ID, ga.group.id}
	from = ` FROM ` + k.table + ` ` + a + ` WHERE ` + a + `.ns = $1 AND ` + a + `.group_id = $2 AND ` + a + `.trashed = FALSE` +
		visibleSQL(&args, a, ga.perm, c.user.id)
	return
}

// page loads one page of the kind's rows FROM from (with args, the table
// as k.alias), and how many there are in all.
func (k contentKind[T, J]) page(ctx context.Context, s *Service, lq listQuery, from string, args store.Args) ([]T, int, error) {
	total, err := s.count(ctx, `SELECT count(*)`+from, args)
	if err != nil {
		return nil, 0, err
	}
	tail, all := lq.orderAndLimit(args)
	rows, err := s.db.QueryContext(ctx, `SELECT `+prefixed(k.alias, k.columns)+from+tail, all...)
	items, err := store.Collect(rows, err, k.scan)
	return items, total, err
}

// get serves GET of the {id} item of the group.
func (k contentKind[T, J]) get(s *Service, w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	v, _, err := k.fromPath(r, s.db, ga, c)
	return k.answer(s, w, r, c, ga, v, http.StatusOK, err)
}

// create serves POST of a new item in the group: fresh makes it from the
// fields every item starts with, read applies the body to it and may
// return what to store after the row (nil: nothing).
func (k contentKind[T, J]) create(s *Service, w http.ResponseWriter, r *http.Request, c *caller, fresh func(contentItem) T,
	read func(tx *sql.Tx, b *httpx.Body, v T) (after func() error, err error)) error {
	ga, b, err := s.contentBody(w, r, c, permBasic)
	if err != nil {
		return err
	}
	now := ms(c.ns.Now())
	v := fresh(contentItem{groupID: ga.group.id, accountID: ga.group.accountID, sharing: "MEMBERS",
		memberPermission: defaultMemberPermission, authorID: c.user.id, dateCreated: now, lastModified: now})
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		return k.write(r.Context(), tx, c.ns.ID, b, v, true, read, k.insertRow)
	})
	return k.answer(s, w, r, c, ga, v, http.StatusCreated, err)
}

// update serves PUT and PATCH of the {id} item of the group: the fields
// given change, the others stay. read applies the body to the item, which
// is stamped with the write's time first, and may return what to store
// after the row (nil: nothing).
func (k contentKind[T, J]) update(s *Service, w http.ResponseWriter, r *http.Request, c *caller,
	read func(tx *sql.Tx, b *httpx.Body, v T) (after func() error, err error)) error {
	ga, b, err := s.contentBody(w, r, c, permBasic)
	if err != nil {
		return err
	}
	var v T
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var it *contentItem
		var err error
		if v, it, err = k.changeable(r, tx, ga, c, "change"); err != nil {
			return err
		}
		it.lastModified = ms(c.ns.Now())
		return k.write(r.Context(), tx, c.ns.ID, b, v, false, read, k.updateRow)
	})
	return k.answer(s, w, r, c, ga, v, http.StatusOK, err)
}

// write applies the body to v with read, gives it a unique slug (a new
// item always, a changed one when the body names it), stores its row with
// row and then what read returned to store after it.
func (k contentKind[T, J]) write(ctx context.Context, tx *sql.Tx, ns string, b *httpx.Body, v T, isNew bool,
	read func(tx *sql.Tx, b *httpx.Body, v T) (after func() error, err error),
	row func(ctx context.Context, q store.Querier, ns string, v T) error) error {
	it := v.item()
	after, err := read(tx, b, v)
	if err != nil {
		return err
	}
	if isNew || b.Has("name") {
		if err := k.uniqueSlug(ctx, tx, ns, it, b.Has("name")); err != nil {
			return err
		}
	}
	if err := slugConflict(row(ctx, tx, ns, v), k.title, it.name); err != nil || after == nil {
		return err
	}
	return after()
}

// answer renders the item that a write stored, with status.
func (k contentKind[T, J]) answer(s *Service, w http.ResponseWriter, r *http.Request, c *caller, ga *groupAccess, v T, status int, err error) error {
	if err != nil {
		return err
	}
	out, err := k.render(r.Context(), newContentView(s.db, c.ns.ID), ga, c, v)
	return replyStatus(w, status, out, err)
}

// remove serves DELETE of the {id} item of the group: it moves to the
// group's trash.
func (k contentKind[T, J]) remove(s *Service, w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.contentGroup(r, c, permBasic)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, it, err := k.changeable(r, tx, ga, c, "delete")
		if err != nil {
			return err
		}
		return trashContent(r.Context(), tx, c, k.table, k.kind, it)
	})
}

// registerTrash makes the kind known to the trash: a restore brings the
// item back unless its slug was taken meanwhile; a purge runs before (what
// hangs on the item, if anything) and deletes the row.
func (k contentKind[T, J]) registerTrash(before func(ctx context.Context, tx *sql.Tx, ns string, id int64) error) {
	registerTrashKind(k.kind, trashKind{
		restore: untrash(k.table, k.title),
		purge: func(ctx context.Context, tx *sql.Tx, ns string, id int64) error {
			if before != nil {
				if err := before(ctx, tx, ns, id); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM `+k.table+` WHERE ns = $1 AND id = $2`, ns, id)
			return err
		},
	})
}

// setNullString sets *dst when the body gives key: to v when ok (NULL when
// empty), to NULL when it sends null.
func setNullString(b *httpx.Body, key, v string, ok bool, dst *sql.NullString) {
	if ok {
		*dst = nullStr(v)
	} else if b.Null(key) {
		*dst = sql.NullString{}
	}
}

// recurrenceField reads the recurrence of an event or a task: an RFC 5545
// rule, with or without its RRULE: prefix; "" or null clears it.
func recurrenceField(b *httpx.Body, dst *sql.NullString) {
	v, ok := b.String("recurrence")
	if ok {
		v = strings.TrimPrefix(strings.TrimSpace(v), "RRULE:")
		if v != "" && (len(v) > 1000 || !recurrencePattern.MatchString(v)) {
			b.Fail("recurrence", "an RFC 5545 recurrence rule such as FREQ=WEEKLY;BYDAY=FR")
		}
	}
	setNullString(b, "recurrence", v, ok, dst)
}
