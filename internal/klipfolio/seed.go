package klipfolio

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/valid"
	"github.com/standin-dev/standin/internal/vendor"
)

// adminCreds are the namespace's Klipfolio credentials, derived from its
// secret so that reset keeps them.
type adminCreds struct {
	companyID, userID, email, password, apiKey string
}

func adminCredentials(ns *namespace.Namespace) adminCreds {
	return adminCreds{
		companyID: ns.Credential("klipfolio.company", 32),
		userID:    ns.Credential("klipfolio.admin", 32),
		email:     "admin@standin.example",
		password:  ns.Credential("klipfolio.password", 20),
		apiKey:    ns.Credential("klipfolio.api_key", 40),
	}
}

// Fixture is the "klipfolio" section of a seed document:
//
//	klipfolio:
//	  clients:  [{id, name}]
//	  users:    [{id, email, first_name, last_name, password, api_key, can_manage, client_id}]
//	  groups:   [{id, name, description, external_id, client_id, members: [user ids]}]
//	  generate: {groups: N, client_id}
//
// generate adds N groups named "Group 1" … "Group N" (ids "gen-" and their
// creation number) in one statement: the bulk path for load tests, a
// million groups in seconds.
// Without client_id an entity belongs to the namespace's company account.
// Every client gets its own built-in "All Users" group.
type Fixture struct {
	Clients []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"clients"`
	Users []struct {
		ID        string `json:"id"`
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Password  string `json:"password"`
		// PasswordHash is the stored hash, as an export writes it.
		PasswordHash string `json:"password_hash"`
		APIKey       string `json:"api_key"`
		CanManage    bool   `json:"can_manage"`
		ClientID     string `json:"client_id"`
	} `json:"users"`
	Groups []struct {
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		Description string   `json:"description"`
		ExternalID  string   `json:"external_id"`
		ClientID    string   `json:"client_id"`
		Builtin     bool     `json:"builtin"`
		Members     []string `json:"members"`
	} `json:"groups"`
	Generate struct {
		Groups   int64  `json:"groups"`
		ClientID string `json:"client_id"`
	} `json:"generate"`
}

// maxGenerate bounds one generate section.
const maxGenerate = 10_000_000

// Seed implements vendor.Vendor.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	c := adminCredentials(ns)
	if err := insertAccount(ctx, tx, ns.ID, &account{id: c.companyID, name: "Self"}); err != nil {
		return err
	}
	hash, err := auth.HashSecret(c.password)
	if err != nil {
		return err
	}
	admin := &user{id: c.userID, accountID: c.companyID, email: c.email, firstName: "Standin",
		lastName: "Admin", passwordHash: hash, canManage: true}
	if err := insertUser(ctx, tx, ns.ID, admin, c.apiKey); err != nil {
		return err
	}
	allUsersID := ns.Credential("klipfolio.all_users", 32)
	if seed == namespace.SeedDocs {
		allUsersID = "42c1accfbcfd54d44029ee5199805a9y" // the docs' "All Users" id
	}
	if err := insertGroup(ctx, tx, ns.ID, &group{accountID: c.companyID, id: allUsersID, name: "All Users",
		description: "All of the users in your company", builtin: true}); err != nil {
		return err
	}
	var doc string
	switch seed {
	case namespace.SeedDemo:
		doc = demoSeed
	case namespace.SeedDocs:
		doc = docsSeed
	default:
		return nil
	}
	return s.load(ctx, tx, ns, []byte(doc))
}

// LoadFixture implements vendor.Vendor.
func (s *Service) LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error {
	return s.load(ctx, tx, ns, doc)
}

func (s *Service) load(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc []byte) error {
	var f Fixture
	if err := vendor.DecodeFixture(doc, &f); err != nil {
		return err
	}
	company := adminCredentials(ns).companyID
	accountOf := func(clientID string) string {
		if clientID == "" {
			return company
		}
		return clientID
	}
	for _, c := range f.Clients {
		if c.ID == "" || c.Name == "" {
			return &vendor.FixtureError{Msg: "a client needs id and name"}
		}
		if err := limits("client "+c.ID, valid.Limit("name", c.Name, valid.MaxName)); err != nil {
			return err
		}
		if err := insertAccount(ctx, tx, ns.ID, &account{id: c.ID, name: c.Name, parentID: company}); err != nil {
			return err
		}
		if err := insertGroup(ctx, tx, ns.ID, &group{accountID: c.ID, id: ns.Credential("klipfolio.all_users."+c.ID, 32),
			name: "All Users", description: "All of the users in " + c.Name, builtin: true}); err != nil {
			return err
		}
	}
	for _, u := range f.Users {
		if u.ID == "" || u.Email == "" {
			return &vendor.FixtureError{Msg: "a user needs id and email"}
		}
		if err := limits("user "+u.ID, valid.Limit("email", u.Email, valid.MaxEmail),
			valid.Limit("first_name", u.FirstName, valid.MaxName), valid.Limit("last_name", u.LastName, valid.MaxName)); err != nil {
			return err
		}
		if len(u.Password) > auth.MaxPasswordBytes {
			return &vendor.FixtureError{Msg: fmt.Sprintf("user %s: a password is at most %d bytes long", u.ID, auth.MaxPasswordBytes)}
		}
		hash, err := auth.FixtureHash(u.Password, u.PasswordHash)
		if errors.Is(err, auth.ErrFixtureHash) {
			return &vendor.FixtureError{Msg: fmt.Sprintf("user %s: %v", u.ID, err)}
		}
		if err != nil {
			return err
		}
		if err := insertUser(ctx, tx, ns.ID, &user{id: u.ID, accountID: accountOf(u.ClientID), email: u.Email,
			firstName: u.FirstName, lastName: u.LastName, passwordHash: hash, canManage: u.CanManage}, u.APIKey); err != nil {
			return err
		}
	}
	for _, g := range f.Groups {
		if g.ID == "" || g.Name == "" {
			return &vendor.FixtureError{Msg: "a group needs id and name"}
		}
		if err := limits("group "+g.ID, valid.Limit("name", g.Name, valid.MaxName),
			valid.Limit("description", g.Description, valid.MaxText)); err != nil {
			return err
		}
		grp := &group{accountID: accountOf(g.ClientID), id: g.ID, name: g.Name, description: g.Description, builtin: g.Builtin}
		if g.ExternalID != "" {
			grp.externalID = sql.NullString{String: g.ExternalID, Valid: true}
		}
		if _, err := accountByID(ctx, tx, ns.ID, grp.accountID); err != nil {
			return &vendor.FixtureError{Msg: fmt.Sprintf("group %s: unknown client_id %q", g.ID, g.ClientID)}
		}
		if err := insertGroup(ctx, tx, ns.ID, grp); err != nil {
			return err
		}
		for _, uid := range g.Members {
			if uid == "admin" { // the administrator, whose id each namespace derives
				uid = adminCredentials(ns).userID
			}
			u, err := userBy(ctx, tx, ns.ID, "id", uid)
			if err != nil || u.accountID != grp.accountID {
				return &vendor.FixtureError{Msg: fmt.Sprintf("group %s: member %q is not a user of the group's account", g.ID, uid)}
			}
			if err := addMember(ctx, tx, ns.ID, grp, uid); err != nil {
				return err
			}
		}
	}
	if n := f.Generate.Groups; n != 0 {
		if n < 0 || n > maxGenerate {
			return &vendor.FixtureError{Msg: fmt.Sprintf("generate.groups must be between 0 and %d", maxGenerate)}
		}
		acct := accountOf(f.Generate.ClientID)
		if _, err := accountByID(ctx, tx, ns.ID, acct); err != nil {
			return &vendor.FixtureError{Msg: fmt.Sprintf("generate: unknown client_id %q", f.Generate.ClientID)}
		}
		if err := generateGroups(ctx, tx, ns.ID, acct, n); err != nil {
			return err
		}
	}
	return nil
}

// limits checks a fixture entity's strings against the API's limits.
func limits(entity string, fields ...valid.Field) error {
	if f, long := valid.TooLong(fields...); long {
		return &vendor.FixtureError{Msg: fmt.Sprintf("%s: %s is longer than %d characters", entity, f.Name, f.Max)}
	}
	return nil
}

// docsSeed holds the entities that the documented examples name. The docs
// reuse ids across accounts; see the catalog's "Example quirks".
const docsSeed = `{
 "clients": [{"id": "0123456789abcdef0123456789abcdef", "name": "Example Client"}],
 "users": [
  {"id": "2e21abc434a5169f9890576ec4d8e333", "email": "jane.doe@example.com", "first_name": "Jane", "last_name": "Doe"},
  {"id": "5f6e7d8c9b0a1f2e3d4c5b6a79880011", "email": "carl.client@example.com", "first_name": "Carl", "last_name": "Client",
   "client_id": "0123456789abcdef0123456789abcdef"}
 ],
 "groups": [
  {"id": "2e21abc434a5169f9890576ec4d8e333", "name": "Internal", "description": "For access to client accounts"},
  {"id": "42c1abcdefgh54d44029ee5199111c2b", "name": "APIGroup", "description": "Updated group", "external_id": "group_api",
   "members": ["2e21abc434a5169f9890576ec4d8e333"]},
  {"id": "012345678998745641asfd", "name": "Support", "description": "Support staff"},
  {"id": "0987654321qwer", "name": "Old Group", "description": "To be deleted"},
  {"id": "9876abcdefgh54d44029ee5199111c2b", "name": "Client Viewers", "description": "Client dashboard viewers", "external_id": "client_viewers",
   "client_id": "0123456789abcdef0123456789abcdef", "members": ["5f6e7d8c9b0a1f2e3d4c5b6a79880011"]},
  {"id": "012345678998745641asfd", "name": "Client Support", "description": "Support for the client",
   "client_id": "0123456789abcdef0123456789abcdef"},
  {"id": "0987654321qwer", "name": "Client Old Group", "description": "To be deleted",
   "client_id": "0123456789abcdef0123456789abcdef"}
 ]
}`

// demoSeed is a small, realistic company with two clients.
const demoSeed = `{
 "clients": [
  {"id": "c1a0e5b3d6f74b2a9e8d7c6b5a4f3e21", "name": "Northwind Traders"},
  {"id": "c2b1f6c4e7a85c3b0f9e8d7c6b5a4f32", "name": "Contoso Retail"}
 ],
 "users": [
  {"id": "a1f0c3e5b7d94f6a8c2e4b6d8f0a1c3e", "email": "maria.lopez@example.com", "first_name": "Maria", "last_name": "Lopez",
   "password": "demo-password", "can_manage": true},
  {"id": "b2e1d4f6c8a05e7b9d3f5c7e9a1b2d4f", "email": "tom.chen@example.com", "first_name": "Tom", "last_name": "Chen",
   "password": "demo-password"},
  {"id": "c3d2e5a7b9c16f8c0e4a6d8f0b2c3e5a", "email": "priya.nair@example.com", "first_name": "Priya", "last_name": "Nair"},
  {"id": "d4c3f6b8c0d27a9d1f5b7e9a1c3d4f6b", "email": "ops@northwind.example", "first_name": "Nina", "last_name": "Olsen",
   "client_id": "c1a0e5b3d6f74b2a9e8d7c6b5a4f3e21"},
  {"id": "e5b4a7c9d1e38b0e2a6c8f0b2d4e5a7c", "email": "bi@contoso.example", "first_name": "Ravi", "last_name": "Patel",
   "client_id": "c2b1f6c4e7a85c3b0f9e8d7c6b5a4f32"}
 ],
 "groups": [
  {"id": "f1e2d3c4b5a697887766554433221100", "name": "Executives", "description": "Leadership dashboards",
   "members": ["a1f0c3e5b7d94f6a8c2e4b6d8f0a1c3e"]},
  {"id": "f2e3d4c5b6a798897766554433221101", "name": "Analysts", "description": "Build and edit Klips",
   "members": ["b2e1d4f6c8a05e7b9d3f5c7e9a1b2d4f", "c3d2e5a7b9c16f8c0e4a6d8f0b2c3e5a"]},
  {"id": "f3e4d5c6b7a8099a7766554433221102", "name": "Northwind Viewers", "description": "Read-only client dashboards",
   "client_id": "c1a0e5b3d6f74b2a9e8d7c6b5a4f3e21", "members": ["d4c3f6b8c0d27a9d1f5b7e9a1c3d4f6b"]},
  {"id": "f4e5d6c7b8a9101b7766554433221103", "name": "Contoso Analysts", "description": "Client-side analysts",
   "client_id": "c2b1f6c4e7a85c3b0f9e8d7c6b5a4f32", "members": ["e5b4a7c9d1e38b0e2a6c8f0b2d4e5a7c"]}
 ]
}`
