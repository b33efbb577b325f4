package worksection

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/valid"
	"github.com/standin-dev/standin/internal/vendor"
)

// controlTokenTTL is the life of the control plane's ready-made token.
const controlTokenTTL = 10 * 365 * 24 * time.Hour

// The account owner that every namespace starts with.
const (
	ownerEmail = "owner@standin.example"
	ownerTeam  = "Standin"
)

// fid is a fixture id: a JSON number or a numeric string.
type fid int64

func (f *fid) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("id %s is not a non-negative integer", b)
	}
	*f = fid(n)
	return nil
}

// Person is the profile part of a fixture user or contact.
type Person struct {
	Title    string `json:"title"`
	Phone    string `json:"phone"`
	Phone2   string `json:"phone2"`
	Phone3   string `json:"phone3"`
	Phone4   string `json:"phone4"`
	Address  string `json:"address"`
	Address2 string `json:"address2"`
}

func (p *Person) profile() profile {
	return profile{phone: nullStr(p.Phone), phone2: nullStr(p.Phone2), phone3: nullStr(p.Phone3),
		phone4: nullStr(p.Phone4), address: nullStr(p.Address), address2: nullStr(p.Address2)}
}

// Member is a fixture user (or the owner's profile).
type Member struct {
	Person
	ID         fid         `json:"id"`
	Email      string      `json:"email"`
	FirstName  string      `json:"first_name"`
	LastName   string      `json:"last_name"`
	Rate       json.Number `json:"rate"`
	Avatar     string      `json:"avatar"`
	Group      string      `json:"group"`
	Department string      `json:"department"`
	Role       string      `json:"role"`
	Invited    bool        `json:"invited"`
}

// Fixture is the "worksection" section of a seed document. Ids are
// optional (numbers or numeric strings); without one an entity takes the
// next id of its kind. Users are named by email, teams and folders by
// title (get-or-create, compared case-insensitively), projects by id.
//
//	worksection:
//	  owner:           {first_name, last_name, title, rate, avatar, group, department,
//	                    phone, phone2, phone3, phone4, address, address2}   # the account owner's profile
//	  teams:           [{id, title, client: 0|1}]
//	  users:           [{id, email, first_name, last_name, title, rate, avatar, group (team title),
//	                     department, role (account admin|team admin|department admin|user|guest|reader),
//	                     invited, phone, phone2, phone3, phone4, address, address2}]
//	  contact_folders: [{id, title, type: folder|preset}]
//	  contacts:        [{id, email, name (split in first and last) or first_name and last_name,
//	                     title, group (folder title), phone, phone2, phone3, phone4, address, address2}]
//	  projects:        [{id, name, status: active|done|archive, user_from (email)}]
//	  tasks:           [{id, project (id), name, text, status: active|done, priority (0-10),
//	                     user_from (email; the owner by default), user_to (email; none by default),
//	                     date_added ("YYYY-MM-DD HH:MM", UTC; now by default), date_start, date_end
//	                     ("YYYY-MM-DD"), time_end ("HH:MM"), max_time, max_money (numbers),
//	                     tags ({tag id: tag name}), subscribers ([emails])}]
//	  oauth_codes:     [{code, user (email; the owner by default), redirect_uri, expires_in (seconds)}]
//
// A user's group that does not exist is created as a company team; a
// contact's group that does not exist is created as a folder.
type Fixture struct {
	Owner *Member `json:"owner"`
	Teams []struct {
		ID     fid    `json:"id"`
		Title  string `json:"title"`
		Client int    `json:"client"`
	} `json:"teams"`
	Users          []Member `json:"users"`
	ContactFolders []struct {
		ID    fid    `json:"id"`
		Title string `json:"title"`
		Type  string `json:"type"`
	} `json:"contact_folders"`
	Contacts []struct {
		Person
		ID        fid    `json:"id"`
		Email     string `json:"email"`
		Name      string `json:"name"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Group     string `json:"group"`
	} `json:"contacts"`
	Projects []struct {
		ID       fid    `json:"id"`
		Name     string `json:"name"`
		Status   string `json:"status"`
		UserFrom string `json:"user_from"`
	} `json:"projects"`
	Tasks []struct {
		ID      fid `json:"id"`
		Project fid `json:"project"`
		taskFields
	} `json:"tasks"`
	OAuthCodes []struct {
		Code        string `json:"code"`
		User        string `json:"user"`
		RedirectURI string `json:"redirect_uri"`
		ExpiresIn   int64  `json:"expires_in"`
	} `json:"oauth_codes"`
}

// Seed implements vendor.Vendor. Every seed has the account owner in its
// team, the credentials and the preset contact folders; demo and docs add
// their fixtures.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	c := accountCredentials(ns)
	t, err := teams.insert(ctx, tx, ns.ID, 0, ownerTeam, 0)
	if err != nil {
		return err
	}
	owner := &user{email: ownerEmail, firstName: "Standin", lastName: "Owner", role: "owner", teamID: t.id}
	if err := insertUser(ctx, tx, ns.ID, owner, ns.Now()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO worksection_accounts (ns, api_key, owner_id) VALUES ($1, $2, $3)`,
		ns.ID, c.apiKey, owner.id); err != nil {
		return err
	}
	if err := insertClient(ctx, tx, ns.ID, c.clientID, c.clientSecret); err != nil {
		return err
	}
	if err := insertToken(ctx, tx, ns.ID, kindAccess, c.accessToken, &token{pairID: "control-plane",
		clientID: c.clientID, userID: owner.id, expiresAt: ns.Now().Add(controlTokenTTL)}); err != nil {
		return err
	}
	for _, title := range presetFolders {
		if _, err := folders.insert(ctx, tx, ns.ID, 0, title, "preset"); err != nil {
			return err
		}
	}
	switch seed {
	case namespace.SeedDemo:
		return s.load(ctx, tx, ns, []byte(demoSeed))
	case namespace.SeedDocs:
		return s.load(ctx, tx, ns, []byte(docsSeed))
	}
	return nil
}

// LoadFixture implements vendor.Vendor.
func (s *Service) LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error {
	return s.load(ctx, tx, ns, doc)
}

func fixtureErr(format string, args ...any) error {
	return &vendor.FixtureError{Msg: fmt.Sprintf(format, args...)}
}

// number validates an optional fixture number.
func number(field string, n json.Number) (sql.NullString, error) {
	if n == "" {
		return sql.NullString{}, nil
	}
	if _, err := n.Float64(); err != nil {
		return sql.NullString{}, fixtureErr("%s %q is not a number", field, n)
	}
	return sql.NullString{String: n.String(), Valid: true}, nil
}

func (s *Service) load(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc []byte) error {
	var f Fixture
	if err := vendor.DecodeFixture(doc, &f); err != nil {
		return err
	}
	a, err := accountByNS(ctx, tx, ns.ID)
	if err != nil {
		return err
	}
	l := &loader{ctx: ctx, tx: tx, ns: ns, ownerID: a.ownerID}
	steps := []func(*Fixture) error{l.teams, l.owner, l.users, l.folders, l.contacts, l.projects, l.tasks, l.codes}
	for _, step := range steps {
		if err := step(&f); err != nil {
			return err
		}
	}
	return nil
}

type loader struct {
	ctx     context.Context
	tx      *sql.Tx
	ns      *namespace.Namespace
	ownerID int64
}

// userID resolves a fixture's user email; "" is the owner.
func (l *loader) userID(what, email string) (int64, error) {
	if email == "" {
		return l.ownerID, nil
	}
	u, err := userByEmail(l.ctx, l.tx, l.ns.ID, email)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fixtureErr("%s: no user with email %q", what, email)
	}
	return u.id, err
}

func (l *loader) team(title string) (int64, error) {
	t, _, err := teams.getOrCreate(l.ctx, l.tx, l.ns.ID, title, 0)
	if err != nil {
		return 0, err
	}
	return t.id, nil
}

// limits checks a fixture entity's strings against the API's limits.
func limits(entity string, fields ...valid.Field) error {
	if f, long := valid.TooLong(fields...); long {
		return fixtureErr("%s: %s is longer than %d characters", entity, f.Name, f.Max)
	}
	return nil
}

// names lists a person's stored strings for limits.
func (p *Person) names(more ...valid.Field) []valid.Field {
	return append(more, valid.Limit("title", p.Title, valid.MaxName),
		valid.Limit("phone", p.Phone, valid.MaxName), valid.Limit("phone2", p.Phone2, valid.MaxName),
		valid.Limit("phone3", p.Phone3, valid.MaxName), valid.Limit("phone4", p.Phone4, valid.MaxName),
		valid.Limit("address", p.Address, valid.MaxName), valid.Limit("address2", p.Address2, valid.MaxName))
}

// member fills u's profile from m.
func (l *loader) member(u *user, m *Member) error {
	if err := limits("user "+m.Email, m.names(valid.Limit("first_name", m.FirstName, valid.MaxName),
		valid.Limit("last_name", m.LastName, valid.MaxName), valid.Limit("group", m.Group, valid.MaxName),
		valid.Limit("department", m.Department, valid.MaxName))...); err != nil {
		return err
	}
	rate, err := number("rate", m.Rate)
	if err != nil {
		return err
	}
	u.firstName, u.lastName, u.title, u.department = m.FirstName, m.LastName, m.Title, m.Department
	u.rate, u.avatar, u.profile = rate, nullStr(m.Avatar), m.profile()
	if m.Group != "" {
		if u.teamID, err = l.team(m.Group); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) owner(f *Fixture) error {
	if f.Owner == nil {
		return nil
	}
	if f.Owner.Email != "" || f.Owner.ID != 0 || f.Owner.Role != "" {
		return fixtureErr("owner: only the profile can be set, not id, email or role")
	}
	u, err := userByID(l.ctx, l.tx, l.ns.ID, l.ownerID)
	if err != nil {
		return err
	}
	if err := l.member(u, f.Owner); err != nil {
		return err
	}
	return updateUserProfile(l.ctx, l.tx, l.ns.ID, u)
}

func (l *loader) teams(f *Fixture) error {
	for _, t := range f.Teams {
		if err := checkTitle("team", t.Title, t.Client == 0 || t.Client == 1, "client 0 or 1"); err != nil {
			return err
		}
		if _, err := teams.insert(l.ctx, l.tx, l.ns.ID, int64(t.ID), t.Title, t.Client); err != nil {
			return err
		}
	}
	return nil
}

// checkTitle checks a fixture team's or folder's title, and by rest the
// rest of it, which must be want.
func checkTitle(what, title string, rest bool, want string) error {
	if strings.TrimSpace(title) == "" || !rest {
		return fixtureErr("a %s needs a title and %s", what, want)
	}
	return limits(what, valid.Limit("title", title, valid.MaxName))
}

var fixtureRoles = map[string]bool{"account admin": true, "team admin": true, "department admin": true,
	"user": true, "guest": true, "reader": true}

func (l *loader) users(f *Fixture) error {
	owner, err := userByID(l.ctx, l.tx, l.ns.ID, l.ownerID)
	if err != nil {
		return err
	}
	for i := range f.Users {
		m := &f.Users[i]
		if !valid.Email(m.Email) {
			return fixtureErr("user %q: a user needs a valid email", m.Email)
		}
		role := m.Role
		if role == "" {
			role = "user"
		}
		if !fixtureRoles[role] {
			return fixtureErr("user %s: role %q is not one of account admin, team admin, department admin, user, guest, reader", m.Email, role)
		}
		u := &user{id: int64(m.ID), email: m.Email, role: role, invited: m.Invited, teamID: owner.teamID}
		if err := l.member(u, m); err != nil {
			return err
		}
		if err := insertUser(l.ctx, l.tx, l.ns.ID, u, l.ns.Now()); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) folders(f *Fixture) error {
	for _, cf := range f.ContactFolders {
		kind := cf.Type
		if kind == "" {
			kind = "folder"
		}
		if err := checkTitle("contact folder", cf.Title, kind == "folder" || kind == "preset", "type folder or preset"); err != nil {
			return err
		}
		if _, err := folders.insert(l.ctx, l.tx, l.ns.ID, int64(cf.ID), cf.Title, kind); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) contacts(f *Fixture) error {
	for _, c := range f.Contacts {
		if !valid.Email(c.Email) {
			return fixtureErr("contact %q: a contact needs a valid email", c.Email)
		}
		if err := limits("contact "+c.Email, c.names(valid.Limit("name", c.Name, valid.MaxName),
			valid.Limit("first_name", c.FirstName, valid.MaxName), valid.Limit("last_name", c.LastName, valid.MaxName),
			valid.Limit("group", c.Group, valid.MaxName))...); err != nil {
			return err
		}
		ct := &contact{id: int64(c.ID), email: c.Email, firstName: c.FirstName, lastName: c.LastName,
			title: c.Title, profile: c.profile()}
		if c.Name != "" {
			ct.firstName, ct.lastName = splitName(c.Name)
		}
		group, kind := contactFolder(c.Group)
		fo, _, err := folders.getOrCreate(l.ctx, l.tx, l.ns.ID, group, kind)
		if err != nil {
			return err
		}
		ct.folderID = fo.id
		if err := insertContact(l.ctx, l.tx, l.ns.ID, ct, l.ns.Now()); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) projects(f *Fixture) error {
	for _, p := range f.Projects {
		status := p.Status
		if status == "" {
			status = "active"
		}
		if strings.TrimSpace(p.Name) == "" || (status != "active" && status != "done" && status != "archive") {
			return fixtureErr("a project needs a name and status active, done or archive")
		}
		from, err := l.userID("project "+p.Name, p.UserFrom)
		if err != nil {
			return err
		}
		if err := insertProject(l.ctx, l.tx, l.ns.ID, &project{id: int64(p.ID), name: p.Name, status: status, userFromID: from}); err != nil {
			return err
		}
	}
	return nil
}

func validDate(layout, s string) bool {
	if s == "" {
		return true
	}
	_, err := time.Parse(layout, s)
	return err == nil
}

func (l *loader) tasks(f *Fixture) error {
	for _, ft := range f.Tasks {
		what := "task " + ft.Name
		status := ft.Status
		if status == "" {
			status = "active"
		}
		if strings.TrimSpace(ft.Name) == "" || (status != "active" && status != "done") {
			return fixtureErr("%s: a task needs a name and status active or done", what)
		}
		if ft.Priority < 0 || ft.Priority > 10 {
			return fixtureErr("%s: priority must be 0 to 10", what)
		}
		if _, err := projectByID(l.ctx, l.tx, l.ns.ID, int64(ft.Project)); err != nil {
			return fixtureErr("%s: unknown project %d", what, ft.Project)
		}
		if !validDate("2006-01-02", ft.DateStart) || !validDate("2006-01-02", ft.DateEnd) || !validDate("15:04", ft.TimeEnd) {
			return fixtureErr("%s: dates are YYYY-MM-DD and time_end HH:MM", what)
		}
		t := &task{id: int64(ft.ID), projectID: int64(ft.Project), name: ft.Name, text: ft.Text, status: status,
			priority: ft.Priority, dateAdded: l.ns.Now(), dateStart: nullStr(ft.DateStart), dateEnd: nullStr(ft.DateEnd),
			timeEnd: nullStr(ft.TimeEnd), tags: "{}"}
		if ft.DateAdded != "" {
			d, err := time.Parse("2006-01-02 15:04", ft.DateAdded)
			if err != nil {
				return fixtureErr("%s: date_added is YYYY-MM-DD HH:MM", what)
			}
			t.dateAdded = d
		}
		var err error
		if t.maxTime, err = number("max_time", ft.MaxTime); err != nil {
			return err
		}
		if t.maxMoney, err = number("max_money", ft.MaxMoney); err != nil {
			return err
		}
		if len(ft.Tags) > 0 {
			b, err := json.Marshal(ft.Tags)
			if err != nil {
				return err
			}
			t.tags = string(b)
		}
		if t.from.id, err = l.userID(what, ft.UserFrom); err != nil {
			return err
		}
		if ft.UserTo != "" {
			id, err := l.userID(what, ft.UserTo)
			if err != nil {
				return err
			}
			t.to = &person{id: id}
		}
		if err := insertTask(l.ctx, l.tx, l.ns.ID, t); err != nil {
			return err
		}
		for _, e := range ft.Subscribers {
			id, err := l.userID(what+" subscriber", e)
			if err != nil {
				return err
			}
			if err := subscribeUser(l.ctx, l.tx, l.ns.ID, t.id, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) codes(f *Fixture) error {
	clientID := accountCredentials(l.ns).clientID
	for _, c := range f.OAuthCodes {
		if c.Code == "" || c.ExpiresIn < 0 {
			return fixtureErr("an oauth code needs a code and a non-negative expires_in")
		}
		uid, err := l.userID("oauth code", c.User)
		if err != nil {
			return err
		}
		ac := &authCode{userID: uid, redirectURI: c.RedirectURI}
		if c.ExpiresIn > 0 {
			ac.expiresAt = sql.NullInt64{Int64: l.ns.Now().Add(time.Duration(c.ExpiresIn) * time.Second).UnixMilli(), Valid: true}
		}
		if err := insertCode(l.ctx, l.tx, l.ns.ID, c.Code, clientID, ac); err != nil {
			return err
		}
	}
	return nil
}
