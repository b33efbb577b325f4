package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"net/http"

	"slices"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// defaultInvitePageSize is the account invites list's page size when none
// is given (the example shows 10).
const defaultInvitePageSize = 10

var inviteOrder = orderSpec{
	columns: map[string]string{
		"": "i.id", "id": "i.id", "email": "lower(i.email)", "targetName": "lower(i.email)",
		"dateCreated": "i.date_created", "lastModified": "i.last_modified", "permission": "i.permission",
	},
	def:      "",
	tiebreak: "i.id",
}

// inviteRequestJSON is an account invite's request.
type inviteRequestJSON struct {
	ID           int64           `json:"id"`
	ContextKey   contextKeyJSON  `json:"contextKey"`
	Source       *baseUserJSON   `json:"source"`
	Target       *baseUserJSON   `json:"target"`
	Container    containerJSON   `json:"container"`
	SourceName   string          `json:"sourceName"`
	TargetName   string          `json:"targetName"`
	Type         string          `json:"type"`
	Status       string          `json:"status"`
	Scope        *string         `json:"scope"`
	Parameters   *string         `json:"parameters"`
	LastModified *int64          `json:"lastModified"`
	Account      *accountRefJSON `json:"account"`
}

type containerJSON struct {
	ID         int64          `json:"id"`
	ContextKey contextKeyJSON `json:"contextKey"`
	Type       string         `json:"type"`
}

// accountInviteJSON is the Invite of the account invite endpoints.
type accountInviteJSON struct {
	Request    inviteRequestJSON `json:"request"`
	Permission int64             `json:"permission"`
	Groups     []inviteGroupJSON `json:"groups"`
	InviteKey  string            `json:"inviteKey"`
}

type inviteGroupJSON struct {
	Group      *groupJSON `json:"group"`
	Permission int64      `json:"permission"`
}

// requestStatus is request.status as Clinked writes it: NONE while pending.
func requestStatus(status string) string {
	switch status {
	case inviteAccepted:
		return "ACCEPTED"
	case inviteDeclined:
		return "DECLINED"
	}
	return "NONE"
}

// parseInviteParameters reads request.parameters back: the account
// permission mask and the groups map.
func parseInviteParameters(s sql.NullString) (int64, map[int64]int64) {
	var p struct {
		Mask   int64            `json:"mask"`
		Groups map[string]int64 `json:"groups"`
	}
	groups := map[int64]int64{}
	if !s.Valid || json.Unmarshal([]byte(s.String), &p) != nil {
		return 0, groups
	}
	for k, v := range p.Groups {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			groups[id] = v
		}
	}
	return p.Mask, groups
}

// inviteViews renders account invites, loading users and groups once.
type inviteViews struct {
	q      store.Querier
	ns     string
	users  *userCache
	groups *groupViews
}

func newInviteViews(q store.Querier, ns string, now int64) *inviteViews {
	v := &inviteViews{q: q, ns: ns, users: newUserCache(q, ns), groups: newGroupViews(q, ns, now, false)}
	v.groups.owners = v.users // a group's owner is often an invite's source: looked up once
	return v
}

func (v *inviteViews) view(ctx context.Context, a *account, inv *invite) (*accountInviteJSON, error) {
	out := &accountInviteJSON{
		Request: inviteRequestJSON{
			ID: inv.id, ContextKey: contextKeyJSON{inv.contextKey},
			Container:  containerJSON{ID: a.id, ContextKey: contextKeyJSON{inv.contextKey}, Type: "account"},
			TargetName: inv.email, Type: "ACCEPT_DECLINE", Status: requestStatus(inv.status),
			Parameters: str(inv.parameters), LastModified: num(inv.lastModified),
		},
		Permission: inv.permission, Groups: []inviteGroupJSON{}, InviteKey: inv.inviteKey,
	}
	ref := a.ref()
	out.Request.Account = &ref
	src, err := v.users.user(ctx, inv.sourceID)
	if err != nil {
		return nil, err
	}
	if src != nil {
		b := src.base()
		out.Request.Source, out.Request.SourceName = &b, src.email
	}
	if out.Request.Target, err = v.users.optional(ctx, inv.targetID); err != nil {
		return nil, err
	}
	_, groups := parseInviteParameters(inv.parameters)
	for _, gid := range slices.Sorted(maps.Keys(groups)) {
		g, err := liveGroup(ctx, v.q, v.ns, a.id, gid)
		if err != nil {
			return nil, err
		}
		if g == nil {
			continue // the group went away after the invite was made
		}
		gj, err := v.groups.view(ctx, g)
		if err != nil {
			return nil, err
		}
		out.Groups = append(out.Groups, inviteGroupJSON{Group: gj, Permission: groups[gid]})
	}
	return out, nil
}

// readEmails reads the emails of an invite create: a non-empty array of
// addresses, lowercased and without repeats. Bad ones are recorded on b.
func readEmails(b *httpx.Body) []string {
	list, _ := b.Strings("emails")
	if len(list) == 0 {
		b.Fail("emails", "a non-empty array of e-mail addresses")
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range list {
		e = strings.ToLower(strings.TrimSpace(e))
		if !valid.Email(e) {
			b.Fail("emails", "a list of valid e-mail addresses ("+strconv.Quote(e)+" is not)")
			return nil
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// checkGroups makes sure every group of an invite is a live group of the
// account.
func checkGroups(ctx context.Context, q store.Querier, ns string, accountID int64, groups map[int64]int64) error {
	for gid := range groups {
		if g, err := liveGroup(ctx, q, ns, accountID, gid); err != nil {
			return err
		} else if g == nil {
			return httpx.BadRequest("group %d is not a group of this account", gid)
		}
	}
	return nil
}

// checkMemberLimit enforces the subscription's members, the number of
// members the account may have, counting pending account invites (a renewed
// invite does not count twice).
func checkMemberLimit(ctx context.Context, tx *sql.Tx, ns string, a *account, emails []string) error {
	var used int64
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM clinked_members WHERE ns = $1 AND account_id = $2) +
		(SELECT count(*) FROM clinked_invites WHERE ns = $1 AND account_id = $2 AND kind = $3 AND status = $4)`,
		ns, a.id, inviteAccount, invitePending).Scan(&used); err != nil {
		return err
	}
	for _, e := range emails {
		inv, err := pendingInvite(ctx, tx, ns, inviteAccount, "account_id", a.id, e)
		if err != nil {
			return err
		}
		if inv == nil {
			used++
		}
	}
	if used > a.maxMembers {
		return httpx.BadRequest("The subscription allows %d members, counting pending invites; remove members or invites first",
			a.maxMembers)
	}
	return nil
}

// alreadyMember is the 409 of an invite for someone who is already in.
func alreadyMember(email string) error { return httpx.Conflict("%s", email+" is already a member") }

// inviteMail is the invitation that Clinked e-mails.
func inviteMail(c *caller, to, where, message, key string) outbox.Message {
	b := c.user.name + " has invited you to join " + where + " on Clinked.\n"
	if message != "" {
		b += "\n" + message + "\n"
	}
	b += "\nAccept the invitation: " + strings.TrimRight(c.ns.BaseURL, "/") + "/invitation/" + key + "\n"
	return outbox.Message{Vendor: vendorName, To: to, Subject: c.user.name + " invited you to " + where,
		Body: b, Time: c.ns.Now()}
}

// createAccountInvites serves POST /v3/accounts/{account}/invites: one
// invite per address (202, no body). A pending invite for the same address
// is updated and sent again instead of doubled.
func (s *Service) createAccountInvites(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	emails := readEmails(b)
	perm := permissionField(b, "permission", permBasic)
	groups, _ := permMap(b, "assignGroups")
	idsField(b, "removeGroups")
	message := b.Str("message")
	reminder, _ := boolField(b, "reminder")
	if err := b.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	now := ms(c.ns.Now())
	params := sql.NullString{String: inviteParameters(perm, groups), Valid: true}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkGroups(ctx, tx, c.ns.ID, a.id, groups); err != nil {
			return err
		}
		if err := checkMemberLimit(ctx, tx, c.ns.ID, a, emails); err != nil {
			return err
		}
		for _, e := range emails {
			target, err := userByEmail(ctx, tx, c.ns.ID, e)
			if err != nil {
				return err
			}
			if target != nil {
				if _, err := memberOf(ctx, tx, c.ns.ID, a.id, target.id); err == nil {
					return alreadyMember(e)
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			inv, err := pendingInvite(ctx, tx, c.ns.ID, inviteAccount, "account_id", a.id, e)
			if err != nil {
				return err
			}
			if inv == nil {
				inv = &invite{kind: inviteAccount, accountID: a.id, email: e, inviteKey: ids.UUID(),
					sourceID: c.user.id, dateCreated: now}
			}
			inv.permission, inv.parameters, inv.message, inv.reminder = perm, params, message, reminder
			if err := sendInvite(ctx, tx, c, inv, target, e, a.friendlyName, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return notFoundIf(err, "Invite not found")
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// sendInvite stamps inv (new, or a renewed pending invite) as modified now
// and, when a user has the address, as addressed to target; it stores inv
// and mails the invitation to join where to the address to.
func sendInvite(ctx context.Context, tx *sql.Tx, c *caller, inv *invite, target *user, to, where string, now int64) error {
	inv.lastModified = sql.NullInt64{Int64: now, Valid: true}
	if target != nil {
		inv.targetID = sql.NullInt64{Int64: target.id, Valid: true}
	}
	var err error
	if inv.id == 0 {
		err = insertInvite(ctx, tx, c.ns.ID, inv)
	} else {
		err = saveInvite(ctx, tx, c.ns.ID, inv)
	}
	if err != nil {
		return err
	}
	return outbox.Send(ctx, tx, c.ns.ID, inviteMail(c, to, where, inv.message, inv.inviteKey))
}

// userByEmail finds the user with an address (case-insensitive), or nil.
func userByEmail(ctx context.Context, q store.Querier, ns, email string) (*user, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM clinked_users
		WHERE ns = $1 AND lower(email) = lower($2) ORDER BY id LIMIT 1`, ns, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return u, err
}

// pendingInvite finds the pending invite of a kind for an address in an
// account or group (scope names the column), or nil.
func pendingInvite(ctx context.Context, q store.Querier, ns, kind, scope string, scopeID int64, email string) (*invite, error) {
	inv, err := scanInvite(q.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM clinked_invites
		WHERE ns = $1 AND kind = $2 AND `+scope+` = $3 AND lower(email) = lower($4) AND status = $5
		ORDER BY id LIMIT 1`, ns, kind, scopeID, email, invitePending))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return inv, err
}

// saveInvite stores the mutable columns of an invite.
func saveInvite(ctx context.Context, q store.Querier, ns string, inv *invite) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_invites SET permission = $4, parameters = $5, message = $6,
		reminder = $7, status = $8, target_id = $9, expiration_date = $10, last_modified = $11
		WHERE ns = $1 AND kind = $2 AND id = $3`,
		ns, inv.kind, inv.id, inv.permission, inv.parameters, inv.message, inv.reminder, inv.status,
		inv.targetID, inv.expirationDate, inv.lastModified)
	return err
}

// inviteFilter is the WHERE clause of the invite lists: pending invites of
// a kind in a scope, with name (substring) and startsWith (prefix) matched
// against the address.
func inviteFilter(ns, kind, scope string, scopeID int64, p map[string][]string) (string, store.Args) {
	var args store.Args
	where := "i.ns = " + args.Add(ns) + " AND i.kind = " + args.Add(kind) + " AND i." + scope + " = " +
		args.Add(scopeID) + " AND i.status = " + args.Add(invitePending)
	where += matchName(p, &args, "lower(i.email)")
	return where, args
}

func queryInvites(ctx context.Context, q store.Querier, query string, args ...any) ([]*invite, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return store.Collect(rows, err, scanInvite)
}

// listAccountInvites serves GET /v3/accounts/{account}/invites.
func (s *Service) listAccountInvites(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	p, lq, err := listParams(w, r, defaultInvitePageSize, inviteOrder)
	if err != nil {
		return err
	}
	ctx := r.Context()
	where, args := inviteFilter(c.ns.ID, inviteAccount, "account_id", a.id, p)
	total, err := s.count(ctx, `SELECT count(*) FROM clinked_invites i WHERE `+where, args)
	if err != nil {
		return err
	}
	tail, targs := lq.orderAndLimit(args)
	invs, err := queryInvites(ctx, s.db, `SELECT `+prefixed("i", inviteColumns)+` FROM clinked_invites i WHERE `+
		where+tail, targs...)
	if err != nil {
		return err
	}
	views := newInviteViews(s.db, c.ns.ID, ms(c.ns.Now()))
	items := make([]*accountInviteJSON, 0, len(invs))
	for _, inv := range invs {
		v, err := views.view(ctx, a, inv)
		if err != nil {
			return err
		}
		items = append(items, v)
	}
	return writePage(w, items, lq, total)
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// accountInvite resolves {account} (administrators only) and {invite}: a
// pending account invite of that account.
func (s *Service) accountInvite(r *http.Request, c *caller) (*account, *invite, error) {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return nil, nil, err
	}
	inv, err := s.inviteFromPath(r, c, inviteAccount, a.id)
	return a, inv, err
}

// inviteFromPath resolves {invite}: a pending invite of kind to scopeID, the
// account or group it invites to.
func (s *Service) inviteFromPath(r *http.Request, c *caller, kind string, scopeID int64) (*invite, error) {
	id, err := pathID(r, "invite")
	if err != nil {
		return nil, err
	}
	inv, err := inviteByID(r.Context(), s.db, c.ns.ID, kind, id)
	if err == nil && (inv.scopeID() != scopeID || inv.status != invitePending) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, notFoundIf(err, "Invite not found")
	}
	return inv, nil
}

// scopeID is what an invite invites to: its group for a group invite, else
// its account.
func (inv *invite) scopeID() int64 {
	if inv.kind == inviteGroup {
		return inv.groupID.Int64
	}
	return inv.accountID
}

// getAccountInvite serves GET /v3/accounts/{account}/invites/{invite}.
func (s *Service) getAccountInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, inv, err := s.accountInvite(r, c)
	if err != nil {
		return err
	}
	return s.writeAccountInvite(w, r, c, a, inv)
}

// writeAccountInvite answers 200 with the account invite.
func (s *Service) writeAccountInvite(w http.ResponseWriter, r *http.Request, c *caller, a *account, inv *invite) error {
	v, err := newInviteViews(s.db, c.ns.ID, ms(c.ns.Now())).view(r.Context(), a, inv)
	return reply(w, v, err)
}

// readMessageResend reads the last fields of an invite update: a new
// message, set on inv, and resend.
func readMessageResend(b *httpx.Body, inv *invite) bool {
	if msg, ok := b.String("message"); ok {
		inv.message = msg
	}
	resend, _ := boolField(b, "resend")
	return resend
}

// updateAccountInvite serves PATCH /v3/accounts/{account}/invites/{invite}:
// permission, message and the groups map (named groups, or assignGroups as
// the example sends it; it replaces the map), and sends the invitation
// again with resend.
func (s *Service) updateAccountInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, inv, err := s.accountInvite(r, c)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	_, groups := parseInviteParameters(inv.parameters)
	perm := permissionField(b, "permission", inv.permission)
	for _, k := range []string{"groups", "assignGroups"} {
		if m, ok := permMap(b, k); ok {
			groups = m
		}
	}
	idsField(b, "removeGroups")
	resend := readMessageResend(b, inv)
	if err := b.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	inv.permission = perm
	inv.parameters = sql.NullString{String: inviteParameters(perm, groups), Valid: true}
	inv.lastModified = sql.NullInt64{Int64: ms(c.ns.Now()), Valid: true}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkGroups(ctx, tx, c.ns.ID, a.id, groups); err != nil {
			return err
		}
		if err := saveInvite(ctx, tx, c.ns.ID, inv); err != nil {
			return err
		}
		if resend {
			return outbox.Send(ctx, tx, c.ns.ID, inviteMail(c, inv.email, a.friendlyName, inv.message, inv.inviteKey))
		}
		return nil
	})
	if err != nil {
		return notFoundIf(err, "Invite not found")
	}
	return s.writeAccountInvite(w, r, c, a, inv)
}

// deleteAccountInvite serves DELETE /v3/accounts/{account}/invites/{invite}.
func (s *Service) deleteAccountInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, inv, err := s.accountInvite(r, c)
	if err != nil {
		return err
	}
	return s.deleteInvite(w, r, c, inv)
}

// deleteInvite removes an invite; its key stops working at once.
func (s *Service) deleteInvite(w http.ResponseWriter, r *http.Request, c *caller, inv *invite) error {
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_invites WHERE ns = $1 AND kind = $2 AND id = $3`,
			c.ns.ID, inv.kind, inv.id)
		return err
	})
}
