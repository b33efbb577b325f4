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

// listGroupInvites serves GET /v3/groups/{group}/invites: the group's
// pending invites, oldest first; name (substring) and startsWith (prefix)
// match the address.
func (s *Service) listGroupInvites(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, err := s.groupFromPath(r, c, permMemberManager)
	p, err := paramsAfter(w, r, err)
	if err != nil {
		return err
	}
	where, args := inviteFilter(c.ns.ID, inviteGroup, "group_id", ga.group.id, p)
	invs, err := queryInvites(r.Context(), s.db, `SELECT `+prefixed("i", inviteColumns)+` FROM clinked_invites i WHERE `+
		where+` ORDER BY i.id LIMIT `+args.Add(maxGroupInvites), args...)
	if err != nil {
		return err
	}
	out := make([]groupInviteJSON, 0, len(invs))
	for _, inv := range invs {
		out = append(out, inv.groupJSON())
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// groupInvite resolves {group} (member managers) and {invite}: a pending
// invite of that group.
func (s *Service) groupInvite(r *http.Request, c *caller) (*groupAccess, *invite, error) {
	ga, err := s.groupFromPath(r, c, permMemberManager)
	if err != nil {
		return nil, nil, err
	}
	inv, err := s.inviteFromPath(r, c, inviteGroup, ga.group.id)
	return ga, inv, err
}

// getGroupInvite serves GET /v3/groups/{group}/invites/{invite}.
func (s *Service) getGroupInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, inv, err := s.groupInvite(r, c)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, inv.groupJSON())
	return nil
}

// readGroupInvite reads the fields that group invite create and update
// share: the permission (def when absent; no one invites above their own),
// the message (kept when absent) and expirationTime, a duration in
// milliseconds from now, into the membership's expiry (kept when absent).
func readGroupInvite(b *httpx.Body, ga *groupAccess, inv *invite, now int64) error {
	inv.permission = permissionField(b, "permission", inv.permission)
	if msg, ok := b.String("message"); ok {
		inv.message = msg
	}
	if b.Null("expirationTime") {
		inv.expirationDate = sql.NullInt64{}
	} else if b.Raw("expirationTime") != nil {
		d, ok := jacksonScalar(b.Raw("expirationTime"), (*httpx.Body).Int)
		if !ok || d <= 0 {
			b.Fail("expirationTime", "a positive number of milliseconds")
		}
		inv.expirationDate = sql.NullInt64{Int64: now + d, Valid: true}
	}
	if err := b.Err(); err != nil {
		return err
	}
	if inv.permission > ga.perm {
		return httpx.Forbidden("You cannot invite with a permission above your own")
	}
	return nil
}

// groupPlace is where a group invite invites to, as its mail names it.
func groupPlace(g *group, a *account) string { return g.friendlyName + " (" + a.friendlyName + ")" }

// createGroupInvites serves POST /v3/groups/{group}/invites: it invites
// each address to the group and answers with one invite per address, in
// request order. A pending invite for the same address is renewed and sent
// again instead of doubled.
func (s *Service) createGroupInvites(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, b, err := s.groupBody(w, r, c, permMemberManager)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := ms(c.ns.Now())
	emails := readEmails(b)
	in := &invite{permission: permBasic}
	if err := readGroupInvite(b, ga, in, now); err != nil {
		return err
	}
	a, err := accountByID(ctx, s.db, c.ns.ID, ga.group.accountID)
	if err != nil {
		return err
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
					return alreadyMember(e)
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
			inv.permission, inv.message, inv.expirationDate = in.permission, in.message, in.expirationDate
			if err := sendInvite(ctx, tx, c, inv, target, e, groupPlace(ga.group, a), now); err != nil {
				return err
			}
			out = append(out, inv.groupJSON())
		}
		return nil
	})
	if err != nil {
		return notFoundIf(err, "Invite not found")
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// updateGroupInvite serves PATCH /v3/groups/{group}/invites/{invite}: the
// permission (and, beyond the doc, the message and expirationTime); resend
// sends the invitation again.
func (s *Service) updateGroupInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, inv, err := s.groupInvite(r, c)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := ms(c.ns.Now())
	resend, _ := boolField(b, "resend")
	if err := readGroupInvite(b, ga, inv, now); err != nil {
		return err
	}
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
	if err != nil {
		return notFoundIf(err, "Invite not found")
	}
	httpx.WriteJSON(w, http.StatusOK, inv.groupJSON())
	return nil
}

// deleteGroupInvite serves DELETE /v3/groups/{group}/invites/{invite}.
func (s *Service) deleteGroupInvite(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, inv, err := s.groupInvite(r, c)
	if err != nil {
		return err
	}
	return s.deleteInvite(w, r, c, inv)
}
