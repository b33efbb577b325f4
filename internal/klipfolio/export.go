package klipfolio

import (
	"context"
	"database/sql"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// exportDoc is the "klipfolio" section that Export writes (docs/fixtures.md).
type exportDoc struct {
	Clients []exportClient `json:"clients,omitempty"`
	Users   []exportUser   `json:"users,omitempty"`
	Groups  []exportGroup  `json:"groups,omitempty"`
}

type exportClient struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type exportUser struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// PasswordHash carries a password, which is stored only as a hash.
	PasswordHash string `json:"password_hash,omitempty"`
	APIKey       string `json:"api_key,omitempty"`
	CanManage    bool   `json:"can_manage,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
}

type exportGroup struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	ExternalID  string   `json:"external_id,omitempty"`
	ClientID    string   `json:"client_id,omitempty"`
	Members     []string `json:"members,omitempty"`
}

// Export implements vendor.Exporter. The company, its administrator and
// the built-in "All Users" groups come with every seed and are left out;
// passwords, kept only as hashes, travel as password_hash. Group members name
// the administrator "admin": each namespace derives its id for itself.
func (s *Service) Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error) {
	c := adminCredentials(ns)
	var doc exportDoc
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM klipfolio_accounts
		WHERE ns = $1 AND parent_id IS NOT NULL ORDER BY id`, ns.ID)
	if doc.Clients, err = store.Collect(rows, err, func(r store.Scanner) (exportClient, error) {
		var e exportClient
		return e, r.Scan(&e.ID, &e.Name)
	}); err != nil {
		return nil, err
	}
	company := func(account string) string {
		if account == c.companyID {
			return ""
		}
		return account
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, account_id, email, first_name, last_name, password_hash, api_key, can_manage
		FROM klipfolio_users WHERE ns = $1 AND id <> $2 ORDER BY id`, ns.ID, c.userID)
	if doc.Users, err = store.Collect(rows, err, func(r store.Scanner) (exportUser, error) {
		var (
			e       exportUser
			account string
			key     sql.NullString
		)
		err := r.Scan(&e.ID, &account, &e.Email, &e.FirstName, &e.LastName, &e.PasswordHash, &key, &e.CanManage)
		e.APIKey, e.ClientID = key.String, company(account)
		return e, err
	}); err != nil {
		return nil, err
	}
	type groupRow struct {
		exportGroup
		account string
	}
	rows, err = tx.QueryContext(ctx, `SELECT account_id, id, name, description, external_id FROM klipfolio_groups
		WHERE ns = $1 AND NOT builtin ORDER BY seq, account_id, id`, ns.ID)
	groups, err := store.Collect(rows, err, func(r store.Scanner) (groupRow, error) {
		var (
			g   groupRow
			ext sql.NullString
		)
		err := r.Scan(&g.account, &g.ID, &g.Name, &g.Description, &ext)
		g.ExternalID, g.ClientID = ext.String, company(g.account)
		return g, err
	})
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		rows, err := tx.QueryContext(ctx, `SELECT user_id FROM klipfolio_group_members
			WHERE ns = $1 AND account_id = $2 AND group_id = $3 ORDER BY user_id`, ns.ID, g.account, g.ID)
		members, err := store.Collect(rows, err, func(r store.Scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
		if err != nil {
			return nil, err
		}
		// The administrator's id differs in every namespace; "admin" names it.
		g.Members = nil
		admin := false
		for _, m := range members {
			if m == c.userID {
				admin = true
				continue
			}
			g.Members = append(g.Members, m)
		}
		if admin {
			g.Members = append([]string{"admin"}, g.Members...)
		}
		doc.Groups = append(doc.Groups, g.exportGroup)
	}
	if len(doc.Clients)+len(doc.Users)+len(doc.Groups) == 0 {
		return nil, nil
	}
	return doc, nil
}
