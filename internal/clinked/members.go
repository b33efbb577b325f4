package clinked

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// memberJSON is an account Member. Optional member-level fields are left
// out when unset, as in the examples; user fields are null when unset.
type memberJSON struct {
	User                        memberUserJSON `json:"user"`
	Permission                  int64          `json:"permission"`
	DateCreated                 int64          `json:"dateCreated"`
	MemberOfMultipleAccounts    *bool          `json:"memberOfMultipleAccounts,omitempty"`
	Tags                        *[]string      `json:"tags,omitempty"`
	AssignToNewGroupsPermission *int64         `json:"assignToNewGroupsPermission,omitempty"`
	PendingUnlock               *bool          `json:"pendingUnlock,omitempty"`
	ActivationType              *string        `json:"activationType,omitempty"`
	ActivationDate              *int64         `json:"activationDate,omitempty"`
}

// memberItem is a member as lists show it: no tags, no multi-account flag.
func memberItem(m *member, u *user) memberJSON {
	out := memberJSON{User: u.withRealName(), Permission: m.permission, DateCreated: m.dateCreated,
		AssignToNewGroupsPermission: num(m.assignToNewGroups), ActivationType: str(m.activationType),
		ActivationDate: num(m.activationDate)}
	if m.pendingUnlock.Valid {
		out.PendingUnlock = &m.pendingUnlock.Bool
	}
	return out
}

// memberDetail is a member with its tags and whether the user belongs to
// other accounts too (get, create, update).
func memberDetail(ctx context.Context, q store.Querier, ns string, m *member, u *user) (memberJSON, error) {
	out := memberItem(m, u)
	tags, err := tagsOf(ctx, q, ns, m.accountID, u.id)
	if err != nil {
		return out, err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_members WHERE ns = $1 AND user_id = $2`,
		ns, u.id).Scan(&n); err != nil {
		return out, err
	}
	multi := n > 1
	out.Tags, out.MemberOfMultipleAccounts = &tags, &multi
	return out, nil
}

// memberOrder is how member lists sort (orderBy); name by default.
var memberOrder = orderSpec{
	columns: map[string]string{
		"name": "m.sort_name", "username": "u.username", "email": "lower(u.email)",
		"dateCreated": "m.date_created", "permission": "m.permission", "lastModified": "u.last_modified",
		"lastActive": "u.last_active", "id": "m.user_id",
	},
	def: "name", tiebreak: "m.user_id",
}

// listMembers serves GET /v3/accounts/{account}/members: a page of the
// account's members, filtered by name (substring of name, username or
// e-mail) and startsWith (prefix of the same), case-insensitively.
func (s *Service) listMembers(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.account(w, r, false)
	if !ok {
		return
	}
	c := callerFrom(r.Context())
	p := r.URL.Query()
	lq, ok := parseList(w, r, p, 20, memberOrder)
	if !ok {
		return
	}
	var args store.Args
	where := `m.ns = ` + args.Add(c.ns.ID) + ` AND m.account_id = ` + args.Add(a.id)
	filter := matchName(p, &args, "lower(u.name)", "lower(u.username)", "lower(u.email)")
	where += filter
	// Join the users only when a filter or the order needs them: the
	// default list (by name) runs on the members' own index.
	from := ` FROM clinked_members m WHERE ` + where
	if filter != "" || strings.Contains(lq.order, "u.") {
		from = ` FROM clinked_members m JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id WHERE ` + where
	}
	total, ok := s.count(w, r, `SELECT count(*)`+from, args)
	if !ok {
		return
	}
	// Two steps: the page's user ids on the narrow sort key (an index walk
	// for the default order), then the wide rows of that page only.
	tail, targs := lq.orderAndLimit(args)
	page, err := queryIDs(r, s.db, `SELECT m.user_id`+from+tail, targs...)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	items, err := membersByIDs(r.Context(), s.db, c.ns.ID, a.id, page)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newPage(items, lq, total))
}

// membersByIDs returns list items of an account's members, in the order
// of ids.
func membersByIDs(ctx context.Context, q store.Querier, ns string, accountID int64, ids []int64) ([]memberJSON, error) {
	items := make([]memberJSON, 0, len(ids))
	if len(ids) == 0 {
		return items, nil
	}
	var args store.Args
	where := `m.ns = ` + args.Add(ns) + ` AND m.account_id = ` + args.Add(accountID)
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = args.Add(id)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("m", memberColumns)+`, `+userColumnsAs("u")+`
		FROM clinked_members m JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id
		WHERE `+where+` AND m.user_id IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]memberJSON, len(ids))
	for rows.Next() {
		var m member
		var u user
		if err := rows.Scan(append(m.dest(), u.dest()...)...); err != nil {
			return nil, err
		}
		byID[u.id] = memberItem(&m, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			items = append(items, it)
		}
	}
	return items, nil
}

// queryIDs runs a query of one integer column.
func queryIDs(r *http.Request, q store.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(r.Context(), query, args...)
	return store.Collect(rows, err, func(row scanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	})
}

// findMember resolves {username} in an account: by username, else by a
// numeric user id. Answers 404 itself.
func (s *Service) findMember(w http.ResponseWriter, r *http.Request, q store.Querier, a *account) (*member, *user, bool) {
	c := callerFrom(r.Context())
	key := r.PathValue("username")
	u, err := userByUsername(r.Context(), q, c.ns.ID, key)
	if errors.Is(err, sql.ErrNoRows) {
		var id int64
		if _, serr := fmt.Sscan(key, &id); serr == nil && fmt.Sprint(id) == key {
			u, err = userByID(r.Context(), q, c.ns.ID, id)
		}
	}
	var m *member
	if err == nil {
		m, err = memberOf(r.Context(), q, c.ns.ID, a.id, u.id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		notFound(w, r, "Member not found")
		return nil, nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, nil, false
	}
	return m, u, true
}

func (s *Service) getMember(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.account(w, r, false)
	if !ok {
		return
	}
	m, u, ok := s.findMember(w, r, s.db, a)
	if !ok {
		return
	}
	out, err := memberDetail(r.Context(), s.db, callerFrom(r.Context()).ns.ID, m, u)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// usernameRE is what a username may be.
var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$`)

// groupError is a bad assignGroups/removeGroups entry: a 400.
type groupError struct{ msg string }

func (e *groupError) Error() string { return e.msg }

// applyGroups gives a user the group permissions of assign (group id →
// permission) and takes them out of the groups in remove. Groups must be
// live groups of the account; removing from a group one is not in (or that
// does not exist) is a no-op. It returns the groups assigned, for the
// notification mail.
func applyGroups(ctx context.Context, tx *sql.Tx, ns string, accountID, userID int64, assign map[int64]int64, remove []int64, now int64) ([]*group, error) {
	var assigned []*group
	for _, gid := range slices.Sorted(maps.Keys(assign)) {
		g, err := liveGroup(ctx, tx, ns, accountID, gid)
		if err != nil {
			return nil, err
		}
		if g == nil {
			return nil, &groupError{fmt.Sprintf("Group %d not found in this account", gid)}
		}
		if err := upsertGroupMember(ctx, tx, ns, &groupMember{groupID: gid, userID: userID,
			permission: assign[gid], dateCreated: now}); err != nil {
			return nil, err
		}
		assigned = append(assigned, g)
	}
	for _, gid := range remove {
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_group_members WHERE ns = $1 AND user_id = $2
			AND group_id = $3 AND group_id IN (SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $4)`,
			ns, userID, gid, accountID); err != nil {
			return nil, err
		}
	}
	return assigned, nil
}

// assignmentMail tells a member which groups they were added to.
func assignmentMail(a *account, u *user, groups []*group, now int64) outbox.Message {
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, g.friendlyName)
	}
	return outbox.Message{Vendor: vendorName, To: u.email,
		Subject: "You have been added to groups in " + a.friendlyName,
		Body: fmt.Sprintf("Hello %s,\n\nYou now have access to these groups in %s: %s.\n",
			u.name, a.friendlyName, strings.Join(names, ", ")),
		Time: msTime(now)}
}

// createMember serves POST /v3/accounts/{account}/members (admins): a new
// user, a member of the account with the given permission, tags and group
// assignments. Usernames are unique (409).
func (s *Service) createMember(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.adminBody(w, r)
	if !ok {
		return
	}
	c := callerFrom(r.Context())
	now := ms(c.ns.Now())
	in, err := readMemberCreate(b)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	u := &user{username: in.username, email: in.email, name: in.name, realName: nullStr(in.realName),
		telephone: nullStr(in.phone), enabled: in.enabled, dateCreated: now, lastModified: now}
	if in.password != "" {
		if u.passwordHash, err = auth.HashPassword(in.password); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	m := &member{accountID: a.id, permission: in.permission, dateCreated: now, assignToNewGroups: in.assignToNew}
	var out memberJSON
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if _, err := userByUsername(r.Context(), tx, c.ns.ID, u.username); err == nil {
			return errUsernameTaken
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := insertUser(r.Context(), tx, c.ns.ID, u); err != nil {
			if store.IsUniqueViolation(err) {
				return errUsernameTaken
			}
			return err
		}
		m.userID = u.id
		if err := insertMember(r.Context(), tx, c.ns.ID, m); err != nil {
			return err
		}
		if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, in.tags); err != nil {
			return err
		}
		if _, err := applyGroups(r.Context(), tx, c.ns.ID, a.id, u.id, in.assignGroups, nil, now); err != nil {
			return err
		}
		if err := outbox.Send(r.Context(), tx, c.ns.ID, outbox.Message{Vendor: vendorName, To: u.email,
			Subject: "You have been added to " + a.friendlyName + " on Clinked",
			Body: fmt.Sprintf("Hello %s,\n\n%s added you to %s. Your username is %s.\n",
				u.name, c.user.name, a.friendlyName, u.username),
			Time: c.ns.Now()}); err != nil {
			return err
		}
		out, err = memberDetail(r.Context(), tx, c.ns.ID, m, u)
		return err
	})
	if s.memberWriteError(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

var (
	errUsernameTaken = errors.New("username already exists")
	errLastAdmin     = errors.New("an account must keep at least one administrator")
)

// memberWriteError answers the errors of member writes; it reports
// whether there was one.
func (s *Service) memberWriteError(w http.ResponseWriter, r *http.Request, err error) bool {
	var ge *groupError
	switch {
	case err == nil:
		return false
	case errors.Is(err, errUsernameTaken):
		conflict(w, r, "Username already exists")
	case errors.Is(err, errLastAdmin):
		conflict(w, r, "An account must keep at least one administrator")
	case errors.As(err, &ge):
		badRequest(w, r, ge.msg)
	default:
		s.internalError(w, r, err)
	}
	return true
}

// memberCreate is a validated member create body.
type memberCreate struct {
	name, username, email, phone, password, realName string
	permission                                       int64
	assignToNew                                      sql.NullInt64
	enabled                                          bool
	assignGroups                                     map[int64]int64
	tags                                             []string
}

func readMemberCreate(b body) (*memberCreate, error) {
	in := &memberCreate{permission: permBasic, enabled: true}
	var err error
	str := func(k string, dst *string) {
		if err == nil {
			*dst, _, err = b.str(k)
		}
	}
	str("name", &in.name)
	str("username", &in.username)
	str("email", &in.email)
	str("phone", &in.phone)
	str("password", &in.password)
	str("realName", &in.realName)
	if err == nil {
		err = checkPassword(in.password)
	}
	if err != nil {
		return nil, err
	}
	in.username, in.email, in.name = strings.TrimSpace(in.username), strings.TrimSpace(in.email), strings.TrimSpace(in.name)
	switch {
	case in.username == "":
		return nil, &fieldError{"username", "given"}
	case !usernameRE.MatchString(in.username):
		return nil, &fieldError{"username", "letters, digits and . _ @ + - (at most 100)"}
	case in.email == "" || !strings.Contains(in.email, "@"):
		return nil, &fieldError{"email", "an e-mail address"}
	}
	if in.name == "" {
		in.name = in.username
	}
	if p, ok, err := b.int("permission"); err != nil {
		return nil, err
	} else if ok {
		if !validPermission(p) {
			return nil, &fieldError{"permission", "1, 4, 8 or 16"}
		}
		in.permission = p
	}
	if p, ok, err := b.int("assignToNewGroupsPermission"); err != nil {
		return nil, err
	} else if ok {
		if !validPermission(p) {
			return nil, &fieldError{"assignToNewGroupsPermission", "1, 4, 8 or 16"}
		}
		in.assignToNew = sql.NullInt64{Int64: p, Valid: true}
	}
	if v, ok, err := b.bool("enabled"); err != nil {
		return nil, err
	} else if ok {
		in.enabled = v
	}
	if in.assignGroups, _, err = b.permMap("assignGroups"); err != nil {
		return nil, err
	}
	if in.tags, err = readTags(b); err != nil {
		return nil, err
	}
	return in, nil
}

// readTags reads the tags array: trimmed, empty ones dropped; never nil.
func readTags(b body) ([]string, error) {
	tags, _, err := b.strings("tags")
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out, nil
}

// updateMember serves PATCH /v3/accounts/{account}/members/{username}
// (admins), both documented forms: tags, password, permission, enabled,
// lock, activation, and assignGroups/removeGroups/assignmentNotification.
// Only the fields present change; tags replace the whole set.
func (s *Service) updateMember(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.adminBody(w, r)
	if !ok {
		return
	}
	up, err := readMemberUpdate(b)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	var newHash string
	if up.password != nil { // hashed before the transaction: bcrypt is slow
		if newHash, err = auth.HashPassword(*up.password); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	c := callerFrom(r.Context())
	now := c.ns.Now()
	var out memberJSON
	answered := false
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		m, u, ok := s.findMember(w, r, tx, a)
		if !ok {
			answered = true
			return errAnswered
		}
		userChanged := false
		if up.password != nil {
			u.passwordHash, userChanged = newHash, true
		}
		if up.enabled != nil {
			u.enabled, userChanged = *up.enabled, true
		}
		if up.lock != nil {
			if u.locked && !*up.lock {
				m.pendingUnlock = sql.NullBool{Bool: false, Valid: m.pendingUnlock.Valid}
			}
			u.locked, userChanged = *up.lock, true
		}
		for _, f := range []struct {
			v   *string
			dst *sql.NullString
		}{{up.phone, &u.telephone}, {up.realName, &u.realName}} {
			if f.v != nil {
				*f.dst, userChanged = nullStr(*f.v), true
			}
		}
		if up.name != nil {
			u.name, userChanged = *up.name, true
		}
		if up.email != nil {
			u.email, userChanged = *up.email, true
		}
		if userChanged {
			u.lastModified = ms(now)
			if err := updateUser(r.Context(), tx, c.ns.ID, u); err != nil {
				return err
			}
		}
		if up.permission != nil && *up.permission != m.permission {
			if isAdmin(m.permission) && !isAdmin(*up.permission) {
				if err := keepAnAdmin(r.Context(), tx, c.ns.ID, a.id); err != nil {
					return err
				}
			}
			m.permission = *up.permission
		}
		if up.assignToNew != nil {
			m.assignToNewGroups = *up.assignToNew
		}
		if up.activation {
			m.activationMessage = nullStr(up.activationMessage)
			if up.activationDate != nil && *up.activationDate > ms(now) {
				m.activationType = sql.NullString{String: "custom", Valid: true}
				m.activationDate = sql.NullInt64{Int64: *up.activationDate, Valid: true}
			} else {
				m.activationType = sql.NullString{String: "now", Valid: true}
				m.activationDate = sql.NullInt64{}
				if err := outbox.Send(r.Context(), tx, c.ns.ID, activationMail(a, u, up.activationMessage, now.UnixMilli())); err != nil {
					return err
				}
			}
		}
		if err := updateMember(r.Context(), tx, c.ns.ID, m); err != nil {
			return err
		}
		if up.tags != nil {
			if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, up.tags); err != nil {
				return err
			}
		}
		assigned, err := applyGroups(r.Context(), tx, c.ns.ID, a.id, u.id, up.assignGroups, up.removeGroups, ms(now))
		if err != nil {
			return err
		}
		if up.notify && len(assigned) > 0 {
			if err := outbox.Send(r.Context(), tx, c.ns.ID, assignmentMail(a, u, assigned, ms(now))); err != nil {
				return err
			}
		}
		out, err = memberDetail(r.Context(), tx, c.ns.ID, m, u)
		return err
	})
	if answered || s.memberWriteError(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// errAnswered aborts a transaction whose handler already wrote the answer.
var errAnswered = errors.New("answered")

// activationMail is the account activation e-mail.
func activationMail(a *account, u *user, message string, now int64) outbox.Message {
	body := fmt.Sprintf("Hello %s,\n\nYour account on %s is ready. Sign in with the username %s.\n",
		u.name, a.friendlyName, u.username)
	if message != "" {
		body += "\n" + message + "\n"
	}
	return outbox.Message{Vendor: vendorName, To: u.email, Subject: "Activate your " + a.friendlyName + " account",
		Body: body, Time: msTime(now)}
}

// keepAnAdmin fails with errLastAdmin when the account has only one
// administrator (who is about to lose that role or leave).
func keepAnAdmin(ctx context.Context, q store.Querier, ns string, accountID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_members
		WHERE ns = $1 AND account_id = $2 AND permission >= 16`, ns, accountID).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return errLastAdmin
	}
	return nil
}

// memberUpdate is a validated member PATCH body; nil means absent.
type memberUpdate struct {
	password, name, email, phone, realName *string
	permission                             *int64
	assignToNew                            *sql.NullInt64
	enabled, lock                          *bool
	tags                                   []string
	assignGroups                           map[int64]int64
	removeGroups                           []int64
	notify                                 bool
	activation                             bool
	activationMessage                      string
	activationDate                         *int64
}

func readMemberUpdate(b body) (*memberUpdate, error) {
	up := &memberUpdate{}
	strField := func(k string) (*string, error) {
		v, ok, err := b.str(k)
		if err != nil || !ok {
			return nil, err
		}
		return &v, nil
	}
	var err error
	if up.password, err = strField("password"); err != nil {
		return nil, err
	}
	if up.password != nil && *up.password == "" {
		return nil, &fieldError{"password", "a non-empty string"}
	}
	if up.password != nil {
		if err := checkPassword(*up.password); err != nil {
			return nil, err
		}
	}
	if up.name, err = strField("name"); err != nil {
		return nil, err
	}
	if up.email, err = strField("email"); err != nil {
		return nil, err
	}
	if up.email != nil && !strings.Contains(*up.email, "@") {
		return nil, &fieldError{"email", "an e-mail address"}
	}
	if up.phone, err = strField("phone"); err != nil {
		return nil, err
	}
	if up.realName, err = strField("realName"); err != nil {
		return nil, err
	}
	if p, ok, err := b.int("permission"); err != nil {
		return nil, err
	} else if ok {
		if !validPermission(p) {
			return nil, &fieldError{"permission", "1, 4, 8 or 16"}
		}
		up.permission = &p
	}
	if b.isNull("assignToNewGroupsPermission") {
		up.assignToNew = &sql.NullInt64{}
	} else if p, ok, err := b.int("assignToNewGroupsPermission"); err != nil {
		return nil, err
	} else if ok {
		if !validPermission(p) {
			return nil, &fieldError{"assignToNewGroupsPermission", "1, 4, 8 or 16"}
		}
		up.assignToNew = &sql.NullInt64{Int64: p, Valid: true}
	}
	for _, f := range []struct {
		k   string
		dst **bool
	}{{"enabled", &up.enabled}, {"lock", &up.lock}} {
		if v, ok, err := b.bool(f.k); err != nil {
			return nil, err
		} else if ok {
			*f.dst = &v
		}
	}
	if b.present("tags") {
		if up.tags, err = readTags(b); err != nil {
			return nil, err
		}
	}
	if up.assignGroups, _, err = b.permMap("assignGroups"); err != nil {
		return nil, err
	}
	if up.removeGroups, _, err = b.ids("removeGroups"); err != nil {
		return nil, err
	}
	if up.notify, _, err = b.bool("assignmentNotification"); err != nil {
		return nil, err
	}
	if b.present("activation") {
		act := body{}
		if err := jsonUnmarshal(b["activation"], &act); err != nil {
			return nil, &fieldError{"activation", "an object {message, date}"}
		}
		up.activation = true
		if up.activationMessage, _, err = act.str("message"); err != nil {
			return nil, &fieldError{"activation.message", "a string"}
		}
		if act.present("date") {
			raw := strings.Trim(strings.TrimSpace(string(act["date"])), `"`)
			t, ok := parseTime(raw)
			if !ok {
				return nil, &fieldError{"activation.date", "a time (milliseconds or ISO 8601)"}
			}
			d := t.UnixMilli()
			up.activationDate = &d
		}
	}
	return up, nil
}

// deleteMember serves DELETE /v3/accounts/{account}/members/{username}
// (admins): the account membership, its tags and its group memberships in
// the account's groups go; the user stays (other accounts). 200, no body.
func (s *Service) deleteMember(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.account(w, r, true)
	if !ok {
		return
	}
	c := callerFrom(r.Context())
	answered := false
	err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		m, u, ok := s.findMember(w, r, tx, a)
		if !ok {
			answered = true
			return errAnswered
		}
		if isAdmin(m.permission) {
			if err := keepAnAdmin(r.Context(), tx, c.ns.ID, a.id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_group_members WHERE ns = $1 AND user_id = $2
			AND group_id IN (SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $3)`,
			c.ns.ID, u.id, a.id); err != nil {
			return err
		}
		if err := setTags(r.Context(), tx, c.ns.ID, a.id, u.id, nil); err != nil {
			return err
		}
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_members WHERE ns = $1 AND account_id = $2
			AND user_id = $3`, c.ns.ID, a.id, u.id)
		return err
	})
	if answered || s.memberWriteError(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusOK)
}
