package clinked

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
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

// groupRefByID renders a group summary for an item.
func groupRefByID(ctx context.Context, q store.Querier, ns string, id int64, cache map[int64]groupRefJSON) (groupRefJSON, error) {
	if g, ok := cache[id]; ok {
		return g, nil
	}
	g, err := groupByID(ctx, q, ns, id)
	if err != nil {
		return groupRefJSON{}, err
	}
	cache[id] = g.ref()
	return cache[id], nil
}

// userRefs renders users as BaseUser, looking each up once.
type userRefs struct {
	q     store.Querier
	ns    string
	cache map[int64]baseUserJSON
}

func newUserRefs(q store.Querier, ns string) *userRefs {
	return &userRefs{q: q, ns: ns, cache: map[int64]baseUserJSON{}}
}

func (u *userRefs) get(ctx context.Context, id int64) (baseUserJSON, error) {
	if b, ok := u.cache[id]; ok {
		return b, nil
	}
	usr, err := userByID(ctx, u.q, u.ns, id)
	if errors.Is(err, sql.ErrNoRows) {
		usr, err = &user{id: id}, nil
	}
	if err != nil {
		return baseUserJSON{}, err
	}
	u.cache[id] = usr.base()
	return u.cache[id], nil
}

// contentView renders items for one caller: group summaries and authors
// are looked up once per request.
type contentView struct {
	ns     string
	q      store.Querier
	groups map[int64]groupRefJSON
	users  *userRefs
}

func newContentView(q store.Querier, ns string) *contentView {
	return &contentView{ns: ns, q: q, groups: map[int64]groupRefJSON{}, users: newUserRefs(q, ns)}
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
