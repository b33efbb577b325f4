package clinked

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// Accepting and declining an invite happen in Clinked's web app, not its
// API, so the control plane does them:
//
//	POST /_standin/namespaces/{id}/clinked/invites/{invite}/accept
//	POST /_standin/namespaces/{id}/clinked/invites/{invite}/decline
//
// {invite} is an invite's inviteKey (either kind), or its id: an account
// invite, or a group invite with ?kind=group. Accept takes an optional JSON
// body {"username", "name", "password"} for an invitee who is not a user
// yet; without one, the username and name come from the address.

// acceptedJSON is the answer to accept and decline.
type acceptedJSON struct {
	ID      int64               `json:"id"`
	Kind    string              `json:"kind"`
	Status  string              `json:"status"`
	Email   string              `json:"email"`
	User    *acceptedUserJSON   `json:"user,omitempty"`
	Account *int64              `json:"account,omitempty"`
	Groups  []acceptedGroupJSON `json:"groups,omitempty"`
}

type acceptedUserJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Created  bool   `json:"created"`
}

type acceptedGroupJSON struct {
	ID             int64  `json:"id"`
	Permission     int64  `json:"permission"`
	ExpirationDate *int64 `json:"expirationDate"`
}

var (
	errNotPending = httpx.Conflict("The invite was already accepted or declined")
	errGroupGone  = httpx.Conflict("The group of this invite was removed")
	errLapsed     = httpx.Conflict("The membership this invite offers has already ended (expirationDate is past)")
)

// controlInvite finds the invite that {invite} names (pending or not).
func (s *Service) controlInvite(ctx context.Context, q store.Querier, r *http.Request, ns string) (*invite, error) {
	ref := r.PathValue("invite")
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		kind := r.URL.Query().Get("kind")
		if kind == "" {
			kind = inviteAccount
		}
		if kind != inviteAccount && kind != inviteGroup {
			return nil, httpx.BadRequest("kind must be account or group")
		}
		return inviteByID(ctx, q, ns, kind, id)
	}
	return scanInvite(q.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM clinked_invites
		WHERE ns = $1 AND invite_key = $2`, ns, ref))
}

// acceptInvite serves POST /_standin/namespaces/{id}/clinked/invites/{invite}/accept.
func (s *Service) acceptInvite(w http.ResponseWriter, r *http.Request) error {
	ns := namespace.FromContext(r.Context())
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	username, name, password := b.Str("username"), b.Str("name"), b.Str("password")
	if username != "" && !usernameValid.MatchString(username) {
		b.Fail("username", "letters, digits, '.', '_' and '-'")
	}
	checkPassword(b, "password", password)
	if err := b.Err(); err != nil {
		return err
	}
	hash := ""
	if password != "" {
		if hash, err = auth.HashPassword(password); err != nil {
			return err
		}
	}
	ctx := r.Context()
	now := ms(ns.Now())
	var out acceptedJSON
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.controlInvite(ctx, tx, r, ns.ID)
		if err != nil {
			return err
		}
		if inv.status != invitePending {
			return errNotPending
		}
		if inv.expirationDate.Valid && inv.expirationDate.Int64 <= now {
			return errLapsed
		}
		u, created, err := inviteeUser(ctx, tx, ns.ID, inv.email, username, name, hash, now)
		if err != nil {
			return err
		}
		out = acceptedJSON{ID: inv.id, Kind: inv.kind, Status: inviteAccepted, Email: inv.email,
			User:   &acceptedUserJSON{ID: u.id, Username: u.username, Email: u.email, Created: created},
			Groups: []acceptedGroupJSON{}}
		// The invited permissions become memberships: an account invite makes
		// an account member (unless already one) and joins the invited groups;
		// a group invite joins that group only.
		out.Account = &inv.accountID
		groups := map[int64]int64{}
		if inv.kind == inviteAccount {
			if _, err := memberOf(ctx, tx, ns.ID, inv.accountID, u.id); errors.Is(err, sql.ErrNoRows) {
				if err := insertMember(ctx, tx, ns.ID, &member{accountID: inv.accountID, userID: u.id,
					permission: inv.permission, dateCreated: now}); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			_, groups = parseInviteParameters(inv.parameters)
		} else {
			g, err := groupByID(ctx, tx, ns.ID, inv.groupID.Int64)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && g.removed) {
				return errGroupGone
			}
			if err != nil {
				return err
			}
			groups[g.id] = inv.permission
		}
		for _, gid := range slices.Sorted(maps.Keys(groups)) {
			if g, err := liveGroup(ctx, tx, ns.ID, inv.accountID, gid); err != nil {
				return err
			} else if g == nil {
				continue // the group went away after the invite was made
			}
			if err := addGroupMember(ctx, tx, ns.ID, gid, u.id, groups[gid], inv.expirationDate, now); err != nil {
				return err
			}
			out.Groups = append(out.Groups, acceptedGroupJSON{ID: gid, Permission: groups[gid],
				ExpirationDate: num(inv.expirationDate)})
		}
		if inv.kind == inviteGroup {
			// Someone who joins a group without being an account member is
			// one of the account's guests.
			if err := ensureGuest(ctx, tx, ns.ID, inv.accountID, u, now); err != nil {
				return err
			}
		}
		inv.status = inviteAccepted
		inv.targetID = sql.NullInt64{Int64: u.id, Valid: true}
		inv.lastModified = sql.NullInt64{Int64: now, Valid: true}
		if err := saveInvite(ctx, tx, ns.ID, inv); err != nil {
			return err
		}
		return s.notifyInviter(ctx, tx, ns, inv, "accepted")
	})
	if err != nil {
		return controlError(err)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// declineInvite serves POST /_standin/namespaces/{id}/clinked/invites/{invite}/decline.
func (s *Service) declineInvite(w http.ResponseWriter, r *http.Request) error {
	ns := namespace.FromContext(r.Context())
	ctx := r.Context()
	var out acceptedJSON
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.controlInvite(ctx, tx, r, ns.ID)
		if err != nil {
			return err
		}
		if inv.status != invitePending {
			return errNotPending
		}
		inv.status = inviteDeclined
		inv.lastModified = sql.NullInt64{Int64: ms(ns.Now()), Valid: true}
		if err := saveInvite(ctx, tx, ns.ID, inv); err != nil {
			return err
		}
		out = acceptedJSON{ID: inv.id, Kind: inv.kind, Status: inviteDeclined, Email: inv.email}
		return s.notifyInviter(ctx, tx, ns, inv, "declined")
	})
	if err != nil {
		return controlError(err)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// controlError maps the errors of accept and decline that are not API
// errors yet: a missing invite, and a username taken meanwhile.
func controlError(err error) error {
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("The username is taken")
	}
	return notFoundIf(err, "Invite not found")
}

// notifyInviter tells the inviter what became of their invite.
func (s *Service) notifyInviter(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, inv *invite, what string) error {
	src, err := userByID(ctx, tx, ns.ID, inv.sourceID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return outbox.Send(ctx, tx, ns.ID, outbox.Message{Vendor: vendorName, To: src.email, Time: ns.Now(),
		Subject: inv.email + " " + what + " your invitation",
		Body:    "Hello " + src.name + ",\n\n" + inv.email + " " + what + " your invitation.\n"})
}

var (
	usernameValid = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	usernameJunk  = regexp.MustCompile(`[^a-z0-9._-]+`)
)

// inviteeUser returns the user with the invite's address, creating one when
// there is none: with the given username, or one made from the address
// (with a number when taken).
func inviteeUser(ctx context.Context, tx *sql.Tx, ns, email, username, name, hash string, now int64) (*user, bool, error) {
	u, err := userByEmail(ctx, tx, ns, email)
	if err != nil || u != nil {
		return u, false, err
	}
	local := email
	if i := strings.IndexByte(email, '@'); i > 0 {
		local = email[:i]
	}
	if name == "" {
		name = local
	}
	if username == "" {
		base := strings.Trim(usernameJunk.ReplaceAllString(strings.ToLower(local), ""), ".-_")
		if base == "" {
			base = "user"
		}
		for i := 1; ; i++ {
			username = base
			if i > 1 {
				username = base + strconv.Itoa(i)
			}
			if _, err := userByUsername(ctx, tx, ns, username); errors.Is(err, sql.ErrNoRows) {
				break
			} else if err != nil {
				return nil, false, err
			}
		}
	}
	u = &user{username: username, email: email, name: name, enabled: true, verifiedEmail: true, passwordHash: hash,
		dateCreated: now, lastModified: now}
	if err := insertUser(ctx, tx, ns, u); err != nil {
		return nil, false, err
	}
	return u, true, nil
}
