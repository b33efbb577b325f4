package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
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
	users  map[int64]*user
	groups *groupViews
}

func newInviteViews(q store.Querier, ns string, now int64) *inviteViews {
	return &inviteViews{q: q, ns: ns, users: map[int64]*user{}, groups: newGroupViews(q, ns, now, false)}
}

func (v *inviteViews) user(ctx context.Context, id int64) (*user, error) {
	if u, ok := v.users[id]; ok {
		return u, nil
	}
	u, err := userByID(ctx, v.q, v.ns, id)
	if errors.Is(err, sql.ErrNoRows) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	v.users[id] = u
	return u, nil
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
	src, err := v.user(ctx, inv.sourceID)
	if err != nil {
		return nil, err
	}
	if src != nil {
		b := src.base()
		out.Request.Source, out.Request.SourceName = &b, src.email
	}
	if inv.targetID.Valid {
		t, err := v.user(ctx, inv.targetID.Int64)
		if err != nil {
			return nil, err
		}
		if t != nil {
			b := t.base()
			out.Request.Target = &b
		}
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

// validEmail tells whether s is a bare e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// readEmails reads the emails of an invite create: a non-empty array of
// addresses, lowercased and without repeats.
func readEmails(b body) ([]string, error) {
	list, ok, err := b.strings("emails")
	if err != nil {
		return nil, err
	}
	if !ok || len(list) == 0 {
		return nil, &fieldError{"emails", "a non-empty array of e-mail addresses"}
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range list {
		e = strings.ToLower(strings.TrimSpace(e))
		if !validEmail(e) {
			return nil, &fieldError{"emails", "a list of valid e-mail addresses (" + strconv.Quote(e) + " is not)"}
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, nil
}

// readPermission reads an optional permission field (1, 4, 8 or 16).
func readPermission(b body, def int64) (int64, error) {
	p, ok, err := b.int("permission")
	if err != nil {
		return 0, err
	}
	if !ok {
		return def, nil
	}
	if !validPermission(p) {
		return 0, &fieldError{"permission", "1, 4, 8 or 16"}
	}
	return p, nil
}

// badGroupError is an invite naming a group that is not a live group of the
// account.
type badGroupError struct{ id int64 }

func (e *badGroupError) Error() string {
	return "group " + strconv.FormatInt(e.id, 10) + " is not a group of this account"
}

// checkGroups makes sure every group of an invite is a live group of the
// account.
func checkGroups(ctx context.Context, q store.Querier, ns string, accountID int64, groups map[int64]int64) error {
	for gid := range groups {
		if g, err := liveGroup(ctx, q, ns, accountID, gid); err != nil {
			return err
		} else if g == nil {
			return &badGroupError{gid}
		}
	}
	return nil
}

// limitError is an invite beyond the subscription's member limit.
type limitError struct{ max int64 }

func (e *limitError) Error() string {
	return "The subscription allows " + strconv.FormatInt(e.max, 10) +
		" members, counting pending invites; remove members or invites first"
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
		return &limitError{a.maxMembers}
	}
	return nil
}

// alreadyMemberError is an invite for someone who is already in.
type alreadyMemberError struct{ email string }

func (e *alreadyMemberError) Error() string { return e.email + " is already a member" }

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

// createAccountInvites makes one invite per address (202, no body). A
// pending invite for the same address is updated and sent again instead
// of doubled.
func (s *Service) createAccountInvites(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.adminBody(w, r)
	if !ok {
		return
	}
	emails, err := readEmails(b)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	perm, err := readPermission(b, permBasic)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	groups, _, err := b.permMap("assignGroups")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	if _, _, err := b.ids("removeGroups"); err != nil {
		badRequest(w, r, err.Error())
		return
	}
	message, _, err := b.str("message")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	reminder, _, err := b.bool("reminder")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
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
					return &alreadyMemberError{e}
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
	if s.inviteWriteError(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusAccepted)
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

// inviteWriteError answers the errors that invite writes share; it tells
// whether it answered.
func (s *Service) inviteWriteError(w http.ResponseWriter, r *http.Request, err error) bool {
	var (
		bg *badGroupError
		am *alreadyMemberError
		fe *fieldError
		le *limitError
	)
	switch {
	case err == nil:
		return false
	case errors.As(err, &bg), errors.As(err, &fe), errors.As(err, &le):
		badRequest(w, r, err.Error())
	case errors.As(err, &am):
		conflict(w, r, err.Error())
	case errors.Is(err, sql.ErrNoRows):
		notFound(w, r, "Invite not found")
	default:
		s.internalError(w, r, err)
	}
	return true
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

func (s *Service) listAccountInvites(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.account(w, r, true)
	if !ok {
		return
	}
	p, lq, ok := s.listParams(w, r, defaultInvitePageSize, inviteOrder)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	where, args := inviteFilter(c.ns.ID, inviteAccount, "account_id", a.id, p)
	total, ok := s.count(w, r, `SELECT count(*) FROM clinked_invites i WHERE `+where, args)
	if !ok {
		return
	}
	tail, targs := lq.orderAndLimit(args)
	invs, err := queryInvites(ctx, s.db, `SELECT `+prefixed("i", inviteColumns)+` FROM clinked_invites i WHERE `+
		where+tail, targs...)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	views := newInviteViews(s.db, c.ns.ID, ms(c.ns.Now()))
	items := make([]*accountInviteJSON, 0, len(invs))
	for _, inv := range invs {
		v, err := views.view(ctx, a, inv)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		items = append(items, v)
	}
	httpx.WriteJSON(w, http.StatusOK, newPage(items, lq, total))
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
// pending account invite of that account. It answers errors itself.
func (s *Service) accountInvite(w http.ResponseWriter, r *http.Request) (*account, *invite, bool) {
	a, _, ok := s.account(w, r, true)
	if !ok {
		return nil, nil, false
	}
	inv, ok := s.inviteFromPath(w, r, inviteAccount, a.id)
	return a, inv, ok
}

// inviteFromPath resolves {invite}: a pending invite of kind to scopeID, the
// account or group it invites to. It answers errors itself.
func (s *Service) inviteFromPath(w http.ResponseWriter, r *http.Request, kind string, scopeID int64) (*invite, bool) {
	id, ok := pathID(w, r, "invite")
	if !ok {
		return nil, false
	}
	inv, err := inviteByID(r.Context(), s.db, callerFrom(r.Context()).ns.ID, kind, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (inv.scopeID() != scopeID || inv.status != invitePending)) {
		notFound(w, r, "Invite not found")
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	return inv, true
}

// scopeID is what an invite invites to: its group for a group invite, else
// its account.
func (inv *invite) scopeID() int64 {
	if inv.kind == inviteGroup {
		return inv.groupID.Int64
	}
	return inv.accountID
}

func (s *Service) getAccountInvite(w http.ResponseWriter, r *http.Request) {
	a, inv, ok := s.accountInvite(w, r)
	if !ok {
		return
	}
	s.writeAccountInvite(w, r, a, inv)
}

func (s *Service) writeAccountInvite(w http.ResponseWriter, r *http.Request, a *account, inv *invite) {
	c := callerFrom(r.Context())
	v, err := newInviteViews(s.db, c.ns.ID, ms(c.ns.Now())).view(r.Context(), a, inv)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}

// readMessageResend reads the last fields of an invite update: a new
// message, set on inv, and resend.
func readMessageResend(b body, inv *invite) (bool, error) {
	if msg, ok, err := b.str("message"); err != nil {
		return false, err
	} else if ok {
		inv.message = msg
	}
	resend, _, err := b.bool("resend")
	return resend, err
}

// updateAccountInvite changes permission, message and the groups map
// (named groups, or assignGroups as the example sends it; it replaces the
// map), and sends the invitation again with resend.
func (s *Service) updateAccountInvite(w http.ResponseWriter, r *http.Request) {
	a, inv, ok := s.accountInvite(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	_, groups := parseInviteParameters(inv.parameters)
	perm, err := readPermission(b, inv.permission)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	for _, k := range []string{"groups", "assignGroups"} {
		m, ok, err := b.permMap(k)
		if err != nil {
			badRequest(w, r, err.Error())
			return
		}
		if ok {
			groups = m
		}
	}
	if _, _, err := b.ids("removeGroups"); err != nil {
		badRequest(w, r, err.Error())
		return
	}
	resend, err := readMessageResend(b, inv)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
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
	if s.inviteWriteError(w, r, err) {
		return
	}
	s.writeAccountInvite(w, r, a, inv)
}

func (s *Service) deleteAccountInvite(w http.ResponseWriter, r *http.Request) {
	_, inv, ok := s.accountInvite(w, r)
	if !ok {
		return
	}
	s.deleteInvite(w, r, inv)
}

// deleteInvite removes an invite; its key stops working at once.
func (s *Service) deleteInvite(w http.ResponseWriter, r *http.Request, inv *invite) {
	ctx, c := r.Context(), callerFrom(r.Context())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM clinked_invites WHERE ns = $1 AND kind = $2 AND id = $3`,
			c.ns.ID, inv.kind, inv.id)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
