package workdrive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/vendor"
)

// seedCreds are the namespace's WorkDrive ids and keys, derived from its
// secret so that a reset keeps them.
type seedCreds struct {
	orgID, adminID, superID string
	adminKey, superKey      string
	adminEmail, superEmail  string
}

// The docs seed reuses ids that the documented examples show.
const (
	docsOrgID   = "afdcc332-51a0-11eb-b540-537816f1bbe5" // locations' orgId
	docsAdminID = "20cf22ed-be0b-40ce-930b-5aae73d2563c" // token response userId
	docsSuperID = "a3068d46-b993-11ed-afa1-0242ac120002" // organization createdBy
)

func seedCredentials(ns *namespace.Namespace) seedCreds {
	c := seedCreds{
		orgID:      ids.UUIDFromHex(ns.Credential("workdrive.org", 32)),
		adminID:    ids.UUIDFromHex(ns.Credential("workdrive.admin", 32)),
		superID:    ids.UUIDFromHex(ns.Credential("workdrive.superadmin", 32)),
		adminKey:   ids.UUIDFromHex(ns.Credential("workdrive.api_key", 32)),
		superKey:   ids.UUIDFromHex(ns.Credential("workdrive.superadmin_api_key", 32)),
		adminEmail: "admin@standin.example",
		superEmail: "superadmin@standin.example",
	}
	if ns.Seed == namespace.SeedDocs {
		c.orgID, c.adminID, c.superID = docsOrgID, docsAdminID, docsSuperID
	}
	return c
}

// seedOrg describes the seeded organization to the content and
// collaboration seeds (content_seed.go, collab_seed.go).
type seedOrg struct {
	orgID, adminID, superID string
	// users maps a fixture handle (its id) to the user; admin included.
	users []string
	now   int64
}

// Seed implements vendor.Vendor: every seed has the SuperAdmin (no
// organization) and one organization with its OrgAdmin, each with the
// key the control plane shows.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	c := seedCredentials(ns)
	now := ns.Now().UnixMilli()
	start := now - 24*3600*1000 // seeded rows are a day old, in creation order
	super := &user{id: c.superID, orgID: "", role: roleSuperAdmin, userName: "superadmin", email: c.superEmail,
		status: "ACTIVE", firstName: "Super", lastName: "Admin", color: "#6b7280", createdAt: start, updatedAt: start}
	if err := insertUser(ctx, tx, ns.ID, super); err != nil {
		return err
	}
	if err := insertAPIKey(ctx, tx, ns.ID, c.superID, c.superKey, start); err != nil {
		return err
	}
	orgName := "Standin Intranet"
	if seed == namespace.SeedDemo {
		orgName = "Northwind Health"
	}
	org := &organization{id: c.orgID, status: "ACTIVE", subdomain: subdomainOf(orgName), name: orgName, legalName: orgName,
		authMethod: "internal", adminUserID: c.adminID, createdBy: c.superID, createdAt: start}
	if err := insertOrganization(ctx, tx, ns.ID, org); err != nil {
		return err
	}
	admin := &user{id: c.adminID, orgID: c.orgID, role: roleOrgAdmin, userName: "admin", email: c.adminEmail,
		status: "ACTIVE", firstName: "Olivia", lastName: "Admin", designation: "Intranet Administrator", color: "#2563eb",
		createdBy: c.superID, updatedBy: c.superID, createdAt: start + 1, updatedAt: start + 1}
	if err := insertUser(ctx, tx, ns.ID, admin); err != nil {
		return err
	}
	if err := insertAPIKey(ctx, tx, ns.ID, c.adminID, c.adminKey, start); err != nil {
		return err
	}
	so := &seedOrg{orgID: c.orgID, adminID: c.adminID, superID: c.superID, users: []string{c.adminID}, now: now}
	var doc string
	switch seed {
	case namespace.SeedDemo:
		doc = demoSeed
	case namespace.SeedDocs:
		doc = docsSeed
	}
	if doc != "" {
		ids, err := s.load(ctx, tx, ns, []byte(doc), start+1000)
		if err != nil {
			return err
		}
		so.users = append(so.users, ids...)
	}
	if err := s.seedContent(ctx, tx, ns, so, seed); err != nil {
		return err
	}
	return s.seedCollab(ctx, tx, ns, so, seed)
}

// Fixture is the "workdrive" section of a seed document. Everything lands
// in the namespace's organization:
//
//	workdrive:
//	  departments:    [{id, name, heads: [user ids], members: [user ids]}]
//	  locations:      [{id, name, admins: [user ids], members: [user ids]}]
//	  securityGroups: [{id, name, members: [user ids]}]
//	  files:          [{id, name, mime, size, owner}]
//	  users: [{id, email, firstName, lastName, designation, phone, bio, status,
//	           department, locations: [ids], reportsTo, teams: [supervisor ids], apiKey}]
//	  content: posts, news, events, documents, faqs (see contentFixture)
type Fixture struct {
	Departments []struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Heads   []string `json:"heads"`
		Members []string `json:"members"`
	} `json:"departments"`
	Locations []struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Admins  []string `json:"admins"`
		Members []string `json:"members"`
	} `json:"locations"`
	SecurityGroups []struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Members []string `json:"members"`
	} `json:"securityGroups"`
	Files []struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Mime  string `json:"mime"`
		Size  int64  `json:"size"`
		Owner string `json:"owner"`
	} `json:"files"`
	Users []struct {
		ID          string   `json:"id"`
		Email       string   `json:"email"`
		FirstName   string   `json:"firstName"`
		LastName    string   `json:"lastName"`
		Designation string   `json:"designation"`
		Phone       string   `json:"phone"`
		Bio         string   `json:"bio"`
		Status      string   `json:"status"`
		Department  string   `json:"department"`
		Locations   []string `json:"locations"`
		ReportsTo   string   `json:"reportsTo"`
		Teams       []string `json:"teams"`
		APIKey      string   `json:"apiKey"`
	} `json:"users"`
	// Content (content_seed.go).
	Content *contentFixture `json:"content"`
}

// LoadFixture implements vendor.Vendor.
func (s *Service) LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error {
	_, err := s.load(ctx, tx, ns, doc, -1)
	return err
}

var colors = []string{"#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04"}

// load inserts a fixture into the namespace's organization; rows get
// creation times from start on, one millisecond apart, in document order.
// It returns the ids of the users it made.
func (s *Service) load(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc []byte, start int64) ([]string, error) {
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, &vendor.FixtureError{Msg: err.Error()}
	}
	c := seedCredentials(ns)
	org, by := c.orgID, c.adminID
	resolve(&f, c.adminID)
	if start < 0 {
		// Loaded now: the rows' times end at now, so lists (which show
		// what was created up to now) include them at once.
		start = ns.Now().UnixMilli() - f.rows()
	}
	t := start
	tick := func() int64 { t++; return t }
	bad := func(format string, a ...any) error { return &vendor.FixtureError{Msg: fmt.Sprintf(format, a...)} }
	for _, d := range f.Departments {
		if !validUUID(d.ID) || d.Name == "" {
			return nil, bad("a department needs a UUID id and a name")
		}
		at := tick()
		if err := insertDepartment(ctx, tx, ns.ID, &department{id: d.ID, orgID: org, name: d.Name, typ: "DEPARTMENT",
			createdBy: by, updatedBy: by, createdAt: at, updatedAt: at}); err != nil {
			return nil, err
		}
	}
	for _, l := range f.Locations {
		if !validUUID(l.ID) || l.Name == "" {
			return nil, bad("a location needs a UUID id and a name")
		}
		at := tick()
		if err := insertLocation(ctx, tx, ns.ID, &location{id: l.ID, orgID: org, name: l.Name,
			createdBy: by, updatedBy: by, createdAt: at, updatedAt: at}); err != nil {
			return nil, err
		}
	}
	for _, fl := range f.Files {
		if !validUUID(fl.ID) || fl.Name == "" || fl.Mime == "" {
			return nil, bad("a file needs a UUID id, a name and a mime type")
		}
		owner := fl.Owner
		if owner == "" {
			owner = by
		}
		key := fmt.Sprintf("o-%s/m-1/u-%s/%s", org, owner, fl.ID+extOf(fl.Mime))
		if err := insertFile(ctx, tx, ns.ID, &file{id: fl.ID, orgID: org, ownerID: owner, name: fl.Name, mime: fl.Mime,
			moduleCode: 1, size: fl.Size, status: "uploaded", blobKey: key, createdAt: tick()}); err != nil {
			return nil, err
		}
	}
	var made []string
	for i, u := range f.Users {
		if !validUUID(u.ID) || !validEmail(u.Email) {
			return nil, bad("user %d needs a UUID id and a valid email", i)
		}
		status := u.Status
		if status == "" {
			status = "ACTIVE"
		}
		at := tick()
		row := &user{id: u.ID, orgID: org, role: roleUser, userName: userNameOf(u.Email), email: u.Email, status: status,
			firstName: u.FirstName, lastName: u.LastName, designation: u.Designation, phone: u.Phone, bio: u.Bio,
			color: colors[i%len(colors)], createdBy: by, updatedBy: by, createdAt: at, updatedAt: at}
		if u.Department != "" {
			row.departmentID = sql.NullString{String: u.Department, Valid: true}
		}
		if u.ReportsTo != "" {
			row.reportsTo = sql.NullString{String: u.ReportsTo, Valid: true}
		}
		if err := insertUser(ctx, tx, ns.ID, row); err != nil {
			return nil, err
		}
		if u.APIKey != "" {
			if err := insertAPIKey(ctx, tx, ns.ID, u.ID, u.APIKey, at); err != nil {
				return nil, err
			}
		}
		made = append(made, u.ID)
	}
	// An existence check; userInOrg would load and join the whole user.
	inOrg := func(id string) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM workdrive_users WHERE ns = $1 AND org_id = $2 AND id = $3`,
			ns.ID, org, id).Scan(&one)
		if isNotFound(err) {
			return bad("%q is not a user of the organization", id)
		}
		return err
	}
	for _, u := range f.Users {
		if u.Department != "" {
			if _, err := departmentInOrg(ctx, tx, ns.ID, org, u.Department); err != nil {
				return nil, bad("user %s: unknown department %q", u.ID, u.Department)
			}
		}
		if u.ReportsTo != "" {
			if err := inOrg(u.ReportsTo); err != nil {
				return nil, err
			}
		}
		for _, l := range u.Locations {
			if _, err := locationInOrg(ctx, tx, ns.ID, org, l); err != nil {
				return nil, bad("user %s: unknown location %q", u.ID, l)
			}
			if err := addLocationMember(ctx, tx, ns.ID, l, u.ID, tick()); err != nil {
				return nil, err
			}
		}
		for _, sup := range u.Teams {
			if err := inOrg(sup); err != nil {
				return nil, err
			}
			if err := addTeam(ctx, tx, ns.ID, u.ID, sup); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range f.Departments {
		for _, m := range d.Members {
			if err := inOrg(m); err != nil {
				return nil, err
			}
			if err := setUserDepartment(ctx, tx, ns.ID, m, sql.NullString{String: d.ID, Valid: true}, tick()); err != nil {
				return nil, err
			}
		}
		for _, h := range d.Heads {
			if err := inOrg(h); err != nil {
				return nil, err
			}
			if err := addDepartmentHead(ctx, tx, ns.ID, d.ID, h, tick()); err != nil {
				return nil, err
			}
		}
	}
	for _, l := range f.Locations {
		for _, m := range l.Members {
			if err := inOrg(m); err != nil {
				return nil, err
			}
			if err := addLocationMember(ctx, tx, ns.ID, l.ID, m, tick()); err != nil {
				return nil, err
			}
		}
		for _, a := range l.Admins {
			if err := inOrg(a); err != nil {
				return nil, err
			}
			if err := addLocationAdmin(ctx, tx, ns.ID, l.ID, a); err != nil {
				return nil, err
			}
		}
	}
	for _, g := range f.SecurityGroups {
		if !validUUID(g.ID) || g.Name == "" {
			return nil, bad("a security group needs a UUID id and a name")
		}
		if err := insertSecurityGroup(ctx, tx, ns.ID, g.ID, org, g.Name, tick()); err != nil {
			return nil, err
		}
		for _, m := range g.Members {
			if err := inOrg(m); err != nil {
				return nil, err
			}
			if err := addSecurityGroupMember(ctx, tx, ns.ID, g.ID, m); err != nil {
				return nil, err
			}
		}
	}
	if f.Content != nil {
		if err := loadContentFixture(ctx, tx, ns.ID, org, c.adminID, f.Content, ns.Now().UnixMilli()); err != nil {
			return nil, err
		}
	}
	return made, nil
}

// rows bounds the number of timestamps load hands out.
func (f *Fixture) rows() int64 {
	n := len(f.Departments) + len(f.Locations) + len(f.Files) + len(f.Users) + len(f.SecurityGroups)
	for _, d := range f.Departments {
		n += len(d.Heads) + len(d.Members)
	}
	for _, l := range f.Locations {
		n += len(l.Members)
	}
	for _, u := range f.Users {
		n += len(u.Locations)
	}
	return int64(n) + 1
}

// resolve replaces the "admin" handle with the OrgAdmin's id.
func resolve(f *Fixture, adminID string) {
	fix := func(s *string) {
		if *s == "admin" {
			*s = adminID
		}
	}
	fixAll := func(l []string) {
		for i := range l {
			fix(&l[i])
		}
	}
	for i := range f.Departments {
		fixAll(f.Departments[i].Heads)
		fixAll(f.Departments[i].Members)
	}
	for i := range f.Locations {
		fixAll(f.Locations[i].Admins)
		fixAll(f.Locations[i].Members)
	}
	for i := range f.SecurityGroups {
		fixAll(f.SecurityGroups[i].Members)
	}
	for i := range f.Files {
		fix(&f.Files[i].Owner)
	}
	for i := range f.Users {
		fix(&f.Users[i].ReportsTo)
		fixAll(f.Users[i].Teams)
	}
}

// extOf is the file extension for a mime type ("" when unknown).
func extOf(mime string) string {
	switch mime {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "video/mp4":
		return ".mp4"
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	}
	return ""
}

// userNameOf derives a userName from an email's local part.
func userNameOf(email string) string {
	if i := strings.IndexByte(email, '@'); i > 0 {
		return email[:i]
	}
	return email
}
