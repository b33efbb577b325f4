package workdrive

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

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

// The built-in seeds are seed documents (seeds/*.yaml, in the format of
// docs/fixtures.md): catalogs.yaml is what every organization starts with,
// docs.yaml and demo.yaml the "docs" and "demo" seeds.
//
//go:embed seeds/*.yaml
var seedFiles embed.FS

// builtinFixtures parses the built-in seed documents once per process, so
// that creating a namespace costs only its inserts.
var builtinFixtures = sync.OnceValues(func() (map[string]*Fixture, error) {
	out := map[string]*Fixture{}
	for _, name := range []string{"catalogs", namespace.SeedDocs, namespace.SeedDemo} {
		raw, err := seedFiles.ReadFile("seeds/" + name + ".yaml")
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("workdrive seed %s: %w", name, err)
		}
		section, err := json.Marshal(doc["workdrive"])
		if err != nil {
			return nil, fmt.Errorf("workdrive seed %s: %w", name, err)
		}
		if out[name], err = decodeFixture(section); err != nil {
			return nil, fmt.Errorf("workdrive seed %s: %w", name, err)
		}
	}
	return out, nil
})

// builtinFixture returns a parsed built-in seed document (nil for none).
func builtinFixture(name string) (*Fixture, error) {
	all, err := builtinFixtures()
	if err != nil {
		return nil, err
	}
	return all[name], nil
}

// Seed implements vendor.Vendor: every seed has the SuperAdmin (no
// organization) and one organization with its OrgAdmin, each with the
// key the control plane shows, and the catalogs every organization has;
// "docs" and "demo" load their seed documents on top.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	c := seedCredentials(ns)
	now := ns.Now().UnixMilli()
	start := now - 24*3600*1000 // seeded rows are a day old, in creation order
	doc, err := builtinFixture(seed)
	if err != nil {
		return err
	}
	super := &user{id: c.superID, orgID: "", role: roleSuperAdmin, userName: "superadmin", email: c.superEmail,
		status: "ACTIVE", firstName: "Super", lastName: "Admin", color: "#6b7280", createdAt: start, updatedAt: start}
	if err := insertUser(ctx, tx, ns.ID, super); err != nil {
		return err
	}
	if err := insertAPIKey(ctx, tx, ns.ID, c.superID, c.superKey, start); err != nil {
		return err
	}
	orgName := "Standin Intranet"
	if doc != nil && doc.Organization != nil && doc.Organization.Name != "" {
		orgName = doc.Organization.Name
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
	if err := seedOrgCatalogs(ctx, tx, ns.ID, c.orgID, c.adminID, start); err != nil {
		return err
	}
	if doc != nil {
		if err := s.load(ctx, tx, ns, doc, start+1000); err != nil {
			return err
		}
	}
	return fillSeededFiles(ctx, tx, ns)
}

// Fixture is the "workdrive" section of a seed document (docs/fixtures.md).
// Everything lands in the namespace's organization; "admin" names its
// OrgAdmin wherever a user id goes.
type Fixture struct {
	// Organization renames the organization.
	Organization *struct {
		Name string `json:"name"`
	} `json:"organization"`
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
		ID        string `json:"id"`
		Name      string `json:"name"`
		Mime      string `json:"mime"`
		Size      int64  `json:"size"`
		Owner     string `json:"owner"`
		Module    string `json:"module"`    // a module name or code; POST by default
		Key       string `json:"key"`       // the object key; o-<org>/m-<module>/u-<owner>/<id><ext> by default
		CreatedAt string `json:"createdAt"` // fixture time; in document order by default
		// ContentBase64 is the file's bytes (export.go); without it a
		// download serves a generated sample.
		ContentBase64 string `json:"content_base64"`
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
		// APIKeyHashes are stored keys as an export writes them (export.go).
		APIKeyHashes []string `json:"apiKeyHashes"`
	} `json:"users"`
	Catalogs *catalogFixture `json:"catalogs"` // fixture_catalogs.go
	Content  *contentFixture `json:"content"`  // fixture_content.go
	Tasks    []taskFixture   `json:"tasks"`    // fixture_collab.go
	Chats    []chatFixture   `json:"chats"`    // fixture_collab.go
}

// decodeFixture reads a workdrive section; unknown fields are errors.
func decodeFixture(doc []byte) (*Fixture, error) {
	var f Fixture
	if err := vendor.DecodeFixture(doc, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// LoadFixture implements vendor.Vendor.
func (s *Service) LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error {
	f, err := decodeFixture(doc)
	if err != nil {
		return err
	}
	if f.Organization != nil && f.Organization.Name != "" {
		name := f.Organization.Name
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_organizations SET name = $3, legal_name = $3
			WHERE ns = $1 AND id = $2`, ns.ID, seedCredentials(ns).orgID, name); err != nil {
			return err
		}
	}
	return s.load(ctx, tx, ns, f, -1)
}

var colors = []string{"#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04"}

// fixtureErr is a seed document's fault: a 400 for the client.
func fixtureErr(format string, a ...any) error {
	return &vendor.FixtureError{Msg: fmt.Sprintf(format, a...)}
}

// load inserts a fixture into the namespace's organization; rows without a
// time get creation times from start on, one millisecond apart, in
// document order. f is not changed: the built-in ones are shared.
func (s *Service) load(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, f *Fixture, start int64) error {
	c := seedCredentials(ns)
	org, by := c.orgID, c.adminID
	who := func(id string) string {
		if id == "admin" {
			return c.adminID
		}
		return id
	}
	now := ns.Now().UnixMilli()
	if start < 0 {
		// Loaded now: the rows' times end at now, so lists (which show
		// what was created up to now) include them at once.
		start = now - f.rows()
	}
	t := start
	tick := func() int64 { t++; return t }
	if f.Catalogs != nil {
		if err := loadCatalogs(ctx, tx, ns.ID, org, by, f.Catalogs, now); err != nil {
			return err
		}
	}
	for _, d := range f.Departments {
		if !validUUID(d.ID) || d.Name == "" {
			return fixtureErr("a department needs a UUID id and a name")
		}
		at := tick()
		if err := insertDepartment(ctx, tx, ns.ID, &department{unit: newUnit(d.ID, org, d.Name, by, at), typ: "DEPARTMENT"}); err != nil {
			return err
		}
	}
	for _, l := range f.Locations {
		if !validUUID(l.ID) || l.Name == "" {
			return fixtureErr("a location needs a UUID id and a name")
		}
		at := tick()
		if err := insertLocation(ctx, tx, ns.ID, &location{newUnit(l.ID, org, l.Name, by, at)}); err != nil {
			return err
		}
	}
	for _, fl := range f.Files {
		if !validUUID(fl.ID) || fl.Name == "" || fl.Mime == "" {
			return fixtureErr("a file needs a UUID id, a name and a mime type")
		}
		owner := by
		if fl.Owner != "" {
			owner = who(fl.Owner)
		}
		module := modulePost
		if fl.Module != "" {
			var ok bool
			if module, ok = moduleByName(fl.Module); !ok {
				return fixtureErr("file %s: unknown module %q", fl.ID, fl.Module)
			}
		}
		key := fl.Key
		if key == "" {
			key = fmt.Sprintf("o-%s/m-%d/u-%s/%s", org, module, owner, fl.ID+extOf(fl.Mime))
		}
		var at int64
		if fl.CreatedAt == "" {
			at = tick()
		} else if at, _ = fixtureTime(fl.CreatedAt, now); at == 0 {
			return fixtureErr("file %s: createdAt %q is not a time", fl.ID, fl.CreatedAt)
		}
		size := fl.Size
		if fl.ContentBase64 != "" {
			var err error
			if size, err = loadFileContent(ctx, tx, ns, fl.ID, key, fl.ContentBase64); err != nil {
				return err
			}
		}
		if err := insertFile(ctx, tx, ns.ID, &file{id: fl.ID, orgID: org, ownerID: owner, name: fl.Name, mime: fl.Mime,
			moduleCode: module, size: size, status: "uploaded", blobKey: key, createdAt: at}); err != nil {
			return err
		}
	}
	for i, u := range f.Users {
		if !validUUID(u.ID) || !validEmail(u.Email) {
			return fixtureErr("user %d needs a UUID id and a valid email", i)
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
			row.reportsTo = sql.NullString{String: who(u.ReportsTo), Valid: true}
		}
		if err := insertUser(ctx, tx, ns.ID, row); err != nil {
			return err
		}
		if u.APIKey != "" {
			if err := insertAPIKey(ctx, tx, ns.ID, u.ID, u.APIKey, at); err != nil {
				return err
			}
		}
		if err := loadAPIKeyHashes(ctx, tx, ns.ID, u.ID, u.APIKeyHashes, at); err != nil {
			return err
		}
	}
	// link checks that every id names a user of the organization (those
	// the document made are known) and links each with add.
	known := map[string]bool{c.adminID: true}
	for _, u := range f.Users {
		known[u.ID] = true
	}
	link := func(ids []string, add func(uid string) error) error {
		for _, id := range ids {
			uid := who(id)
			if !known[uid] {
				ok, err := exists(ctx, tx, `SELECT 1 FROM workdrive_users WHERE ns = $1 AND org_id = $2 AND id = $3`, ns.ID, org, uid)
				if err != nil {
					return err
				}
				if !ok {
					return fixtureErr("%q is not a user of the organization", uid)
				}
				known[uid] = true
			}
			if err := add(uid); err != nil {
				return err
			}
		}
		return nil
	}
	for _, u := range f.Users {
		if u.Department != "" {
			if _, err := departmentInOrg(ctx, tx, ns.ID, org, u.Department); err != nil {
				return fixtureErr("user %s: unknown department %q", u.ID, u.Department)
			}
		}
		if u.ReportsTo != "" {
			if err := link([]string{u.ReportsTo}, func(string) error { return nil }); err != nil {
				return err
			}
		}
		for _, l := range u.Locations {
			if _, err := locationInOrg(ctx, tx, ns.ID, org, l); err != nil {
				return fixtureErr("user %s: unknown location %q", u.ID, l)
			}
			if err := addLocationMember(ctx, tx, ns.ID, l, u.ID, tick()); err != nil {
				return err
			}
		}
		if err := link(u.Teams, func(sup string) error { return addTeam(ctx, tx, ns.ID, u.ID, sup) }); err != nil {
			return err
		}
	}
	for _, d := range f.Departments {
		if err := link(d.Members, func(m string) error {
			return setUserDepartment(ctx, tx, ns.ID, m, sql.NullString{String: d.ID, Valid: true}, tick())
		}); err != nil {
			return err
		}
		if err := link(d.Heads, func(h string) error { return addDepartmentHead(ctx, tx, ns.ID, d.ID, h, tick()) }); err != nil {
			return err
		}
	}
	for _, l := range f.Locations {
		if err := link(l.Members, func(m string) error { return addLocationMember(ctx, tx, ns.ID, l.ID, m, tick()) }); err != nil {
			return err
		}
		if err := link(l.Admins, func(a string) error { return addLocationAdmin(ctx, tx, ns.ID, l.ID, a) }); err != nil {
			return err
		}
	}
	for _, g := range f.SecurityGroups {
		if !validUUID(g.ID) || g.Name == "" {
			return fixtureErr("a security group needs a UUID id and a name")
		}
		if err := insertSecurityGroup(ctx, tx, ns.ID, g.ID, org, g.Name, tick()); err != nil {
			return err
		}
		if err := link(g.Members, func(m string) error { return addSecurityGroupMember(ctx, tx, ns.ID, g.ID, m) }); err != nil {
			return err
		}
	}
	refs := newFixtureRefs(ctx, tx, ns.ID, org, c.adminID, now)
	refs.users = known // made above or checked: no need to look them up
	for _, fl := range f.Files {
		refs.files[fl.ID] = true
	}
	if f.Content != nil {
		if err := loadContentFixture(ctx, tx, refs, f.Content); err != nil {
			return err
		}
	}
	return loadCollabFixture(ctx, tx, refs, f.Tasks, f.Chats)
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

// moduleByName reads a module as its name (POST, GROUP_CHAT …) or code.
func moduleByName(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, validModuleCode(n)
	}
	for _, m := range moduleCodes {
		if strings.EqualFold(m.Name, s) {
			return m.Code, true
		}
	}
	return 0, false
}

// fixtureTime reads a time of a seed document: ISO-8601 (as parseTime
// does), or relative to the namespace's now: "now", "today" (midnight
// UTC) or "tomorrow", then any number of signed steps in d, h, m, s or ms
// ("now-7d+2h", "tomorrow+9h+15m").
func fixtureTime(v string, now int64) (int64, bool) {
	const day = 24 * 3600 * 1000
	var t int64
	rest := v
	switch {
	case strings.HasPrefix(v, "now"):
		t, rest = now, v[len("now"):]
	case strings.HasPrefix(v, "today"):
		t, rest = now/day*day, v[len("today"):]
	case strings.HasPrefix(v, "tomorrow"):
		t, rest = (now/day+1)*day, v[len("tomorrow"):]
	default:
		return parseTime(v)
	}
	units := map[string]int64{"d": day, "h": 3600 * 1000, "m": 60 * 1000, "s": 1000, "ms": 1}
	for rest != "" {
		sign := int64(1)
		switch rest[0] {
		case '+':
		case '-':
			sign = -1
		default:
			return 0, false
		}
		rest = rest[1:]
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		j := i
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		unit, known := units[rest[i:j]]
		if err != nil || !known {
			return 0, false
		}
		t += sign * n * unit
		rest = rest[j:]
	}
	return t, true
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
