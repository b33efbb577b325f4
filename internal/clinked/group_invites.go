package clinked

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
)

// groupInviteJSON is the flat Invite of the group invite endpoints.
// expirationDate is when the resulting membership ends (null: never).
type groupInviteJSON struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	Permission     int64  `json:"permission"`
	ExpirationDate *int64 `json:"expirationDate"`
	InviteKey      string `json:"inviteKey"`
	LastModified   int64  `json:"lastModified"`
}

func (inv *invite) groupJSON() groupInviteJSON {
	lm := inv.dateCreated
	if inv.lastModified.Valid {
		lm = inv.lastModified.Int64
	}
	return groupInviteJSON{ID: inv.id, Email: inv.email, Permission: inv.permission,
		ExpirationDate: num(inv.expirationDate), InviteKey: inv.inviteKey, LastModified: lm}
}

// maxGroupInvites bounds the group invites list, which the doc returns as a
// bare array without pages.
const maxGroupInvites = 1000

// listGroupInvites returns the group's pending invites, oldest first;
// name (substring) and startsWith (prefix) match the address.
func (s *Service) listGroupInvites(w http.ResponseWriter, r *http.Request) {
	ga, ok := s.groupFromPath(w, r, permMemberManager)
	if !ok {
		return
	}
	p, ok := s.params(w, r)
	if !ok {
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	where, args := inviteFilter(c.ns.ID, inviteGroup, "group_id", ga.group.id, p)
	invs, err := queryInvites(ctx, s.db, `SELECT `+prefixed("i", inviteColumns)+` FROM clinked_invites i WHERE `+
		where+` ORDER BY i.id LIMIT `+args.Add(maxGroupInvites), args...)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]groupInviteJSON, 0, len(invs))
	for _, inv := range invs {
		out = append(out, inv.groupJSON())
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// groupInvite resolves {group} (member managers) and {invite}: a pending
// invite of that group.
func (s *Service) groupInvite(w http.ResponseWriter, r *http.Request) (*groupAccess, *invite, bool) {
	ga, ok := s.groupFromPath(w, r, permMemberManager)
	if !ok {
		return nil, nil, false
	}
	inv, ok := s.inviteFromPath(w, r, inviteGroup, ga.group.id)
	return ga, inv, ok
}

func (s *Service) getGroupInvite(w http.ResponseWriter, r *http.Request) {
	_, inv, ok := s.groupInvite(w, r)
	if !ok {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, inv.groupJSON())
}

// groupInvitePermission reads a group invite's permission (def when
// absent): no one invites above their own. It answers errors itself.
func groupInvitePermission(w http.ResponseWriter, r *http.Request, b body, def int64, ga *groupAccess) (int64, bool) {
	perm, err := readPermission(b, def)
	if err != nil {
		badRequest(w, r, err.Error())
		return 0, false
	}
	if perm > ga.perm {
		forbidden(w, r, "You cannot invite with a permission above your own")
		return 0, false
	}
	return perm, true
}

// readExpirationTime reads expirationTime, a duration in milliseconds from
// now, into the membership's expiry.
func readExpirationTime(b body, now int64) (sql.NullInt64, bool, error) {
	if b.isNull("expirationTime") {
		return sql.NullInt64{}, true, nil
	}
	d, ok, err := b.int("expirationTime")
	if err != nil || (ok && d <= 0) {
		return sql.NullInt64{}, false, &fieldError{"expirationTime", "a positive number of milliseconds"}
	}
	if !ok {
		return sql.NullInt64{}, false, nil
	}
	return sql.NullInt64{Int64: now + d, Valid: true}, true, nil
}

// groupPlace is where a group invite invites to, as its mail names it.
func groupPlace(g *group, a *account) string { return g.friendlyName + " (" + a.friendlyName + ")" }

// createGroupInvites invites each address to the group and answers with
// one invite per address, in request order. A pending invite for the same
// address is renewed and sent again instead of doubled.
func (s *Service) createGroupInvites(w http.ResponseWriter, r *http.Request) {
	ga, ok := s.groupFromPath(w, r, permMemberManager)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	emails, err := readEmails(b)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	perm, ok := groupInvitePermission(w, r, b, permBasic, ga)
	if !ok {
		return
	}
	message, _, err := b.str("message")
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	now := ms(c.ns.Now())
	exp, _, err := readExpirationTime(b, now)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	a, err := accountByID(ctx, s.db, c.ns.ID, ga.group.accountID)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]groupInviteJSON, 0, len(emails))
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range emails {
			target, err := userByEmail(ctx, tx, c.ns.ID, e)
			if err != nil {
				return err
			}
			if target != nil {
				m, err := groupMemberOf(ctx, tx, c.ns.ID, ga.group.id, target.id)
				if err == nil && (!m.expirationDate.Valid || m.expirationDate.Int64 > now) {
					return &alreadyMemberError{e}
				} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			inv, err := pendingInvite(ctx, tx, c.ns.ID, inviteGroup, "group_id", ga.group.id, e)
			if err != nil {
				return err
			}
			if inv == nil {
				inv = &invite{kind: inviteGroup, accountID: a.id, groupID: sql.NullInt64{Int64: ga.group.id, Valid: true},
					email: e, inviteKey: ids.UUID(), sourceID: c.user.id, dateCreated: now}
			}
			inv.permission, inv.message, inv.expirationDate = perm, message, exp
			if err := sendInvite(ctx, tx, c, inv, target, e, groupPlace(ga.group, a), now); err != nil {
				return err
			}
			out = append(out, inv.groupJSON())
		}
		return nil
	})
	if s.inviteWriteError(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// updateGroupInvite changes the permission (and, beyond the doc, the
// message and expirationTime); resend sends the invitation again.
func (s *Service) updateGroupInvite(w http.ResponseWriter, r *http.Request) {
	ga, inv, ok := s.groupInvite(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	perm, ok := groupInvitePermission(w, r, b, inv.permission, ga)
	if !ok {
		return
	}
	resend, err := readMessageResend(b, inv)
	if err != nil {
		badRequest(w, r, err.Error())
		return
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	now := ms(c.ns.Now())
	if exp, ok, err := readExpirationTime(b, now); err != nil {
		badRequest(w, r, err.Error())
		return
	} else if ok {
		inv.expirationDate = exp
	}
	inv.permission = perm
	inv.lastModified = sql.NullInt64{Int64: now, Valid: true}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := saveInvite(ctx, tx, c.ns.ID, inv); err != nil {
			return err
		}
		if !resend {
			return nil
		}
		a, err := accountByID(ctx, tx, c.ns.ID, ga.group.accountID)
		if err != nil {
			return err
		}
		return outbox.Send(ctx, tx, c.ns.ID, inviteMail(c, inv.email, groupPlace(ga.group, a), inv.message, inv.inviteKey))
	})
	if s.inviteWriteError(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, inv.groupJSON())
}

func (s *Service) deleteGroupInvite(w http.ResponseWriter, r *http.Request) {
	_, inv, ok := s.groupInvite(w, r)
	if !ok {
		return
	}
	s.deleteInvite(w, r, inv)
}
