package clinked

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// defaultGuestPageSize is the guests list's page size when none is given
// (the example shows 10).
const defaultGuestPageSize = 10

// minGuestPassword is the shortest password a guest may get: the length of
// Clinked's default password-strength policy.
const minGuestPassword = 6

var guestOrder = orderSpec{
	columns: map[string]string{
		"": "g.id", "id": "g.id", "name": "lower(g.name)", "email": "lower(g.email)",
		"dateCreated": "g.date_created", "lastModified": "g.last_modified",
	},
	def:      "",
	tiebreak: "g.id",
}

// guestJSON is a Guest. The list leaves shares out, as its example does.
type guestJSON struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	Email           string            `json:"email"`
	DateCreated     int64             `json:"dateCreated"`
	PasswordEnabled bool              `json:"passwordEnabled"`
	HasPassword     bool              `json:"hasPassword"`
	Shares          *[]guestShareJSON `json:"shares,omitempty"`
}

// guestShareJSON is one group a guest can reach (the doc leaves the
// element shape open).
type guestShareJSON struct {
	Group       groupRefJSON `json:"group"`
	Permission  int64        `json:"permission"`
	DateCreated int64        `json:"dateCreated"`
}

// guestRow is a guest with the user behind it, if any: a guest made by
// accepting a group invite is a user who reaches the account's groups
// without being an account member. Such a guest's password is the user's.
type guestRow struct {
	guest
	userID   sql.NullInt64
	userHash string
}

func (g *guestRow) dest() []any { return append(g.guest.dest(), &g.userID, &g.userHash) }

func (g *guestRow) json() guestJSON {
	return guestJSON{ID: g.id, Name: g.name, Email: g.email, DateCreated: g.dateCreated,
		PasswordEnabled: g.passwordEnabled, HasPassword: g.passwordHash != "" || g.userHash != ""}
}

// guestSelect selects guestRow columns from clinked_guests g.
var guestSelect = `SELECT ` + prefixed("g", guestColumns) + `, g.user_id, COALESCE(u.password_hash, '')
	FROM clinked_guests g LEFT JOIN clinked_users u ON u.ns = g.ns AND u.id = g.user_id WHERE `

// guestLive is the condition under which a guest row is a guest: always
// for a guest with shares only; for a user, while they are not an account
// member and still belong to one of the account's live groups.
func guestLive(nowArg string) string {
	return `(g.user_id IS NULL OR (NOT EXISTS (SELECT 1 FROM clinked_members am
		WHERE am.ns = g.ns AND am.account_id = g.account_id AND am.user_id = g.user_id)
		AND EXISTS (SELECT 1 FROM clinked_group_members gm JOIN clinked_groups gg ON gg.ns = gm.ns AND gg.id = gm.group_id
		WHERE gm.ns = g.ns AND gm.user_id = g.user_id AND gg.account_id = g.account_id AND NOT gg.removed
		AND ` + activeMembership("gm", nowArg) + `)))`
}

// userGuestShares lists the live groups of an account that a guest user
// belongs to.
func userGuestShares(ctx context.Context, q store.Querier, ns string, accountID, userID, now int64) ([]guestShareJSON, error) {
	return scanShares(q.QueryContext(ctx, `SELECT m.permission, m.date_created, g.id, g.name, g.friendly_name
		FROM clinked_group_members m JOIN clinked_groups g ON g.ns = m.ns AND g.id = m.group_id
		WHERE m.ns = $1 AND m.user_id = $2 AND g.account_id = $3 AND NOT g.removed AND `+
		activeMembership("m", "$4")+` ORDER BY g.id`, ns, userID, accountID, now))
}

func scanShares(rows *sql.Rows, err error) ([]guestShareJSON, error) {
	return store.Collect(rows, err, func(row store.Scanner) (guestShareJSON, error) {
		var sh guestShareJSON
		err := row.Scan(&sh.Permission, &sh.DateCreated, &sh.Group.ID, &sh.Group.Name, &sh.Group.FriendlyName)
		return sh, err
	})
}

// ensureGuest records a user who reaches a group of the account without
// being an account member as one of its guests (once).
func ensureGuest(ctx context.Context, tx *sql.Tx, ns string, accountID int64, u *user, now int64) error {
	if _, err := memberOf(ctx, tx, ns, accountID, u.id); err == nil {
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clinked_guests WHERE ns = $1 AND account_id = $2 AND user_id = $3`,
		ns, accountID, u.id).Scan(&n); err != nil || n > 0 {
		return err
	}
	g := &guest{accountID: accountID, name: u.name, email: u.email, passwordEnabled: u.passwordHash != "",
		dateCreated: now, lastModified: now}
	if err := insertGuest(ctx, tx, ns, g); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE clinked_guests SET user_id = $3 WHERE ns = $1 AND id = $2`, ns, g.id, u.id)
	return err
}

// guestShares lists the live groups a guest can reach: its shares, or for
// a guest user, its group memberships.
func guestShares(ctx context.Context, q store.Querier, ns string, g *guestRow, now int64) ([]guestShareJSON, error) {
	if g.userID.Valid {
		return userGuestShares(ctx, q, ns, g.accountID, g.userID.Int64, now)
	}
	return scanShares(q.QueryContext(ctx, `SELECT s.permission, s.date_created, g.id, g.name, g.friendly_name
		FROM clinked_guest_shares s JOIN clinked_groups g ON g.ns = s.ns AND g.id = s.group_id
		WHERE s.ns = $1 AND s.guest_id = $2 AND NOT g.removed ORDER BY g.id`, ns, g.id))
}

// listGuests serves GET /v3/accounts/{account}/guests.
func (s *Service) listGuests(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	p, lq, err := listParams(w, r, defaultGuestPageSize, guestOrder)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var args store.Args
	where := "g.ns = " + args.Add(c.ns.ID) + " AND g.account_id = " + args.Add(a.id) + " AND " +
		guestLive(args.Add(ms(c.ns.Now())))
	where += matchName(p, &args, "lower(g.name)", "lower(g.email)")
	total, err := s.count(ctx, `SELECT count(*) FROM clinked_guests g WHERE `+where, args)
	if err != nil {
		return err
	}
	tail, targs := lq.orderAndLimit(args)
	rows, err := s.db.QueryContext(ctx, guestSelect+where+tail, targs...)
	items, err := store.Collect(rows, err, func(row store.Scanner) (guestJSON, error) {
		var g guestRow
		err := row.Scan(g.dest()...)
		return g.json(), err
	})
	if err != nil {
		return err
	}
	return writePage(w, items, lq, total)
}

// accountGuest resolves {account} (administrators only) and {guest}.
func (s *Service) accountGuest(r *http.Request, c *caller) (*account, *guestRow, error) {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "guest")
	if err != nil {
		return nil, nil, err
	}
	var g guestRow
	err = s.db.QueryRowContext(r.Context(), guestSelect+`g.ns = $1 AND g.account_id = $2 AND g.id = $3 AND `+
		guestLive("$4"), c.ns.ID, a.id, id, ms(c.ns.Now())).Scan(g.dest()...)
	if err != nil {
		return nil, nil, notFoundIf(err, "Guest not found")
	}
	return a, &g, nil
}

// getGuest serves GET /v3/accounts/{account}/guests/{guest}.
func (s *Service) getGuest(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, g, err := s.accountGuest(r, c)
	if err != nil {
		return err
	}
	return s.writeGuest(w, r, c, g)
}

// writeGuest answers 200 with the guest and its shares.
func (s *Service) writeGuest(w http.ResponseWriter, r *http.Request, c *caller, g *guestRow) error {
	shares, err := guestShares(r.Context(), s.db, c.ns.ID, g, ms(c.ns.Now()))
	if err != nil {
		return err
	}
	out := g.json()
	out.Shares = &shares
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// updateGuest serves PATCH /v3/accounts/{account}/guests/{guest}: a partial
// update of name, email, passwordEnabled and password;
// deliverResetNotifications mails the guest a password reset.
func (s *Service) updateGuest(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, g, err := s.accountGuest(r, c)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	if b.Has("name") {
		if v := strings.TrimSpace(b.Str("name")); v != "" {
			g.name = v
		} else {
			b.Fail("name", "a non-empty string")
		}
	}
	if b.Has("email") {
		if v := strings.TrimSpace(b.Str("email")); valid.Email(v) {
			g.email = v
		} else {
			b.Fail("email", "a valid e-mail address")
		}
	}
	if v, ok := boolField(b, "passwordEnabled"); ok {
		g.passwordEnabled = v
	}
	password, hasPassword := b.String("password")
	if hasPassword && len(password) < minGuestPassword {
		b.Fail("password", "at least 6 characters long")
	}
	checkPassword(b, "password", password)
	reset, _ := boolField(b, "deliverResetNotifications")
	if err := b.Err(); err != nil {
		return err
	}
	if hasPassword {
		if err := checkPasswordPolicy(r.Context(), s.db, c.ns.ID, a.id, password); err != nil {
			return err
		}
	}
	newHash := ""
	if hasPassword {
		if newHash, err = auth.HashPassword(password); err != nil {
			return err
		}
		if g.userID.Valid {
			g.userHash = newHash
		} else {
			g.passwordHash = newHash
		}
	}
	ctx := r.Context()
	g.lastModified = ms(c.ns.Now())
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE clinked_guests SET name = $3, email = $4, password_enabled = $5,
			password_hash = $6, last_modified = $7 WHERE ns = $1 AND id = $2`,
			c.ns.ID, g.id, g.name, g.email, g.passwordEnabled, g.passwordHash, g.lastModified); err != nil {
			return err
		}
		if g.userID.Valid {
			// A guest user's name, address and password are the user's.
			u, err := userByID(ctx, tx, c.ns.ID, g.userID.Int64)
			if err != nil {
				return err
			}
			u.name, u.email, u.lastModified = g.name, g.email, g.lastModified
			if newHash != "" {
				u.passwordHash = newHash
			}
			if err := updateUser(ctx, tx, c.ns.ID, u); err != nil {
				return err
			}
		}
		if !reset {
			return nil
		}
		return outbox.Send(ctx, tx, c.ns.ID, outbox.Message{
			Vendor: vendorName, To: g.email, Time: c.ns.Now(),
			Subject: "Reset your " + a.friendlyName + " password",
			Body: "Hello " + g.name + ",\n\nA password reset was requested for your guest access to " +
				a.friendlyName + ". Choose a new password here:\n" + strings.TrimRight(c.ns.BaseURL, "/") +
				"/reset-password/" + ids.Hex(16) + "\n",
		})
	})
	if err != nil {
		return err
	}
	return s.writeGuest(w, r, c, g)
}

// deleteGuest serves DELETE /v3/accounts/{account}/guests/{guest}: the
// guest goes, with everything it could reach in the account.
func (s *Service) deleteGuest(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, g, err := s.accountGuest(r, c)
	if err != nil {
		return err
	}
	ctx := r.Context()
	return s.tx(w, r, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_guest_shares WHERE ns = $1 AND guest_id = $2`,
			c.ns.ID, g.id); err != nil {
			return err
		}
		if g.userID.Valid {
			// A guest user leaves every group of the account; the user stays.
			if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_group_members WHERE ns = $1 AND user_id = $2
				AND group_id IN (SELECT id FROM clinked_groups WHERE ns = $1 AND account_id = $3)`,
				c.ns.ID, g.userID.Int64, g.accountID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM clinked_guests WHERE ns = $1 AND id = $2`, c.ns.ID, g.id)
		return err
	})
}
