package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

var userStatuses = []string{"ACTIVE", "ARCHIVE", "PRE_INVITED", "INVITED", "BLOCKED"}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// userDoc is the full User object (a struct: lists encode many of them).
type userDoc struct {
	ID                string   `json:"id"`
	CreatedAt         string   `json:"createdAt"`
	UpdatedAt         string   `json:"updatedAt"`
	CreatedBy         string   `json:"createdBy"`
	UpdatedBy         string   `json:"updatedBy"`
	OrgID             string   `json:"orgId"`
	UserName          string   `json:"userName"`
	Email             string   `json:"email"`
	Status            string   `json:"status"`
	FirstName         string   `json:"firstName"`
	LastName          string   `json:"lastName"`
	Picture           any      `json:"picture"`
	Cover             any      `json:"cover"`
	Bio               string   `json:"bio"`
	Phone             string   `json:"phone"`
	ReportsTo         any      `json:"reportsTo"`
	Designation       string   `json:"designation"`
	Department        any      `json:"department"`
	IsDepartmentHead  bool     `json:"isDepartmentHead"`
	Color             string   `json:"color"`
	IsExpert          bool     `json:"isExpert"`
	Availability      int      `json:"availability"`
	Location          any      `json:"location"`
	ExternalUserID    string   `json:"externalUserId"`
	Skill             []string `json:"skill"`
	DefaultVisibility string   `json:"defaultVisibility"`
}

// userListItem is a users-list entry: the User plus its boss's summary.
type userListItem struct {
	userDoc
	ReportsToObj any `json:"reportsToObj"`
}

// userDetail is what create, update and bulk create return: the User plus
// teamMembers (reportees), userAdditionalTeams (extra supervisors) and
// addAdditionalLocations (locations besides the primary); update adds badges.
type userDetail struct {
	userDoc
	TeamMembers            []string `json:"teamMembers"`
	UserAdditionalTeams    []string `json:"userAdditionalTeams"`
	AddAdditionalLocations []string `json:"addAdditionalLocations"`
	Badges                 *[]any   `json:"badges,omitempty"`
}

// userJSON renders the full User object.
func userJSON(ns *namespace.Namespace, u *user) userDoc {
	var dept any
	if u.departmentID.Valid {
		dept = u.departmentID.String
	}
	return userDoc{
		ID: u.id, CreatedAt: isoTime(u.createdAt), UpdatedAt: isoTime(u.updatedAt),
		CreatedBy: u.createdBy, UpdatedBy: u.updatedBy, OrgID: u.orgID, UserName: u.userName,
		Email: u.email, Status: u.status, FirstName: u.firstName, LastName: u.lastName,
		Picture: mediaLite(ns, u.pictureFileID, u.pictureKey), Cover: mediaLite(ns, u.coverFileID, u.coverKey),
		Bio: u.bio, Phone: u.phone, ReportsTo: strOrNil(u.reportsTo), Designation: u.designation,
		Department: dept, IsDepartmentHead: u.isHead, Color: u.color, IsExpert: u.isExpert,
		Availability: availabilityInt(u.availability), Location: refObject(u.locationID, u.locationName),
		ExternalUserID: u.externalUserID, Skill: jsonStrings(u.skill), DefaultVisibility: u.defaultVisibility,
	}
}

// userDetailJSON renders a User with its relations.
func userDetailJSON(ctx context.Context, q store.Querier, ns *namespace.Namespace, u *user) (*userDetail, error) {
	d := &userDetail{userDoc: userJSON(ns, u)}
	var err error
	if d.TeamMembers, err = strList(ctx, q, `SELECT id FROM workdrive_users WHERE ns = $1 AND reports_to = $2 ORDER BY created_at, id`, ns.ID, u.id); err != nil {
		return nil, err
	}
	if d.UserAdditionalTeams, err = userTeams(ctx, q, ns.ID, u.id); err != nil {
		return nil, err
	}
	locs, err := userLocationIDs(ctx, q, ns.ID, u)
	if err != nil {
		return nil, err
	}
	d.AddAdditionalLocations = distinct(locs, u.locationID.String)
	return d, nil
}

// userTeams lists the supervisors of a user's additional teams.
func userTeams(ctx context.Context, q store.Querier, ns, userID string) ([]string, error) {
	return strList(ctx, q, `SELECT supervisor_id FROM workdrive_user_teams WHERE ns = $1 AND user_id = $2 ORDER BY supervisor_id`, ns, userID)
}

// userFilter builds the WHERE clause of the users list.
func userFilter(r *http.Request, c *caller, p pageReq) (string, store.Args) {
	var a store.Args
	where := c.inOrg(&a, "u") + " AND u.created_at <= " + a.Add(p.Time)
	q := r.URL.Query()
	if d := q.Get("department"); d != "" {
		where += " AND u.department_id = " + a.Add(d)
	}
	if l := q.Get("location"); l != "" {
		where += " AND EXISTS (SELECT 1 FROM workdrive_location_members m WHERE m.ns = u.ns AND m.user_id = u.id AND m.location_id = " + a.Add(l) + ")"
	}
	return where, a
}

// listUsers serves GET /api/users, the organization's users in creation order,
// paginated with cur_page/per_page inside the `time` snapshot.
func (s *Service) listUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for _, kind := range []string{"department", "location"} { // each parameter names its kind
		if err := checkRef(ctx, s.db, c.ns.ID, c.orgID, kind, kind, q.Get(kind)); err != nil {
			return err
		}
	}
	pg, err := s.keptUsersPage(r, c, p)
	if err != nil {
		return err
	}
	users, bosses, total := pg.users, pg.bosses, pg.total
	// Bosses repeat down a page: encode each summary once.
	bossJSON := map[string]json.RawMessage{}
	for id, b := range bosses {
		sum := userSummary(c.ns, b)
		sum.DepartmentData = refObject(b.departmentID, b.departmentName)
		if bossJSON[id], err = json.Marshal(sum); err != nil {
			return err
		}
	}
	out := make([]userListItem, 0, len(users))
	for _, u := range users {
		it := userListItem{userDoc: userJSON(c.ns, u)}
		if b, ok := bossJSON[u.reportsTo.String]; ok {
			it.ReportsToObj = b
		}
		out = append(out, it)
	}
	return okPage(w, "users", out, p.Meta(total))
}

// usersPage is a page of GET /api/users as read: rows, which each request
// renders (the JSON embeds its base URL).
type usersPage struct {
	users  []*user
	bosses map[string]*user
	total  int
	// at is the snapshot time the page was read at, newest the latest
	// created_at in the organization.
	at, newest int64
}

// keptUsersPage is usersPage, kept until the namespace's next counted
// write. A page without an explicit time is the one at the namespace's
// now, which moves without writes: it is used only while no user of the
// organization is stamped after its time or the request's, when both
// times see the same rows.
func (s *Service) keptUsersPage(r *http.Request, c *caller, p pageReq) (usersPage, error) {
	load := func() (usersPage, error) { return s.usersPage(r, c, p) }
	pg, err := namespace.Remember(r.Context(), "workdrive.users:"+c.orgID+"?"+r.URL.RawQuery, load)
	if err == nil && !p.HasTime && (pg.newest > pg.at || pg.newest > p.Time) {
		return load()
	}
	return pg, err
}

// usersPage reads a page of the organization's users, their bosses and
// the total.
func (s *Service) usersPage(r *http.Request, c *caller, p pageReq) (usersPage, error) {
	ctx := r.Context()
	where, args := userFilter(r, c, p)
	out := usersPage{at: p.Time}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), COALESCE((SELECT max(created_at) FROM workdrive_users
		WHERE ns = $1 AND org_id = $2), 0) FROM workdrive_users u WHERE `+where, args...).Scan(&out.total, &out.newest); err != nil {
		return out, err
	}
	// Page over the index first, then join the page's rows only.
	lim, largs := p.SQL(len(args))
	users, err := scanUsers(s.db.QueryContext(ctx, `SELECT `+userFields+` FROM (SELECT u.id AS pid, u.created_at AS pat
		FROM workdrive_users u WHERE `+where+` ORDER BY u.created_at, u.id`+lim+`) pg
		JOIN workdrive_users u ON u.ns = $1 AND u.id = pg.pid`+userJoins+` ORDER BY pg.pat, pg.pid`, append(args, largs...)...))
	if err != nil {
		return out, err
	}
	out.users = users
	out.bosses, err = s.usersByIDSet(ctx, c.ns.ID, users, func(u *user) sql.NullString { return u.reportsTo })
	return out, err
}

// usersByIDSet loads, in one query, the users that pick(u) names.
func (s *Service) usersByIDSet(ctx context.Context, ns string, users []*user, pick func(*user) sql.NullString) (map[string]*user, error) {
	var a store.Args
	nsArg := a.Add(ns)
	var ph []string
	seen := map[string]bool{}
	for _, u := range users {
		if id := pick(u); id.Valid && !seen[id.String] {
			seen[id.String] = true
			ph = append(ph, a.Add(id.String))
		}
	}
	out := map[string]*user{}
	if len(ph) == 0 {
		return out, nil
	}
	list, err := scanUsers(s.db.QueryContext(ctx, userSelect+` WHERE u.ns = `+nsArg+` AND u.id IN (`+strings.Join(ph, ", ")+`)`, a...))
	if err != nil {
		return nil, err
	}
	for _, u := range list {
		out[u.id] = u
	}
	return out, nil
}

// listSupervisors serves GET /api/users/supervisors. Without userId, every user
// who has reportees or team members; with userId, that user's supervisors
// (reportsTo plus the additional teams).
func (s *Service) listSupervisors(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	var a store.Args
	where := c.inOrg(&a, "u")
	if uid := r.URL.Query().Get("userId"); uid != "" {
		if err := checkRef(ctx, s.db, c.ns.ID, c.orgID, "user", "userId", uid); err != nil {
			return err
		}
		x := a.Add(uid)
		where += ` AND (u.id = (SELECT r.reports_to FROM workdrive_users r WHERE r.ns = u.ns AND r.id = ` + x + `)
			OR u.id IN (SELECT t.supervisor_id FROM workdrive_user_teams t WHERE t.ns = u.ns AND t.user_id = ` + x + `))`
	} else {
		where += ` AND (EXISTS (SELECT 1 FROM workdrive_users r WHERE r.ns = u.ns AND r.reports_to = u.id)
			OR EXISTS (SELECT 1 FROM workdrive_user_teams t WHERE t.ns = u.ns AND t.supervisor_id = u.id))`
	}
	type supervisorOut struct {
		Email     string `json:"email"`
		FirstName string `json:"firstName"`
		ID        string `json:"id"`
		LastName  string `json:"lastName"`
	}
	out, total, err := pagedRows(ctx, s.db, `u.id, u.email, u.first_name, u.last_name`, `FROM workdrive_users u WHERE `+where,
		`u.created_at, u.id`, a, p, func(row store.Scanner) (supervisorOut, error) {
			var o supervisorOut
			err := row.Scan(&o.ID, &o.Email, &o.FirstName, &o.LastName)
			return o, err
		})
	if err != nil {
		return err
	}
	return okPage(w, "users", out, p.Meta(total))
}

// userInput is a parsed Create a User body.
type userInput struct {
	email, phone, firstName, lastName, designation, externalUserID    string
	department, location, securityGroup, reportsTo, defaultVisibility string
	isHead                                                            bool
	skill, teams, locations                                           []string
	has                                                               map[string]bool // which fields were sent
}

func parseUserInput(b *httpx.Body) *userInput {
	in := &userInput{has: map[string]bool{}}
	str := func(key string, dst *string) {
		if v, ok := b.String(key); ok {
			*dst = strings.TrimSpace(v)
			in.has[key] = *dst != ""
		}
	}
	str("email", &in.email)
	str("phone", &in.phone)
	str("firstName", &in.firstName)
	str("lastName", &in.lastName)
	str("designation", &in.designation)
	str("externalUserId", &in.externalUserID)
	str("department", &in.department)
	str("location", &in.location)
	str("securityGroup", &in.securityGroup)
	str("reportsTo", &in.reportsTo)
	str("defaultVisibility", &in.defaultVisibility)
	in.isHead, _ = b.Bool("isDepartmentHead")
	in.skill, _ = b.Strings("skill")
	in.teams, _ = b.Strings("addAdditionalTeams")
	in.locations, _ = b.Strings("addAdditionalLocations")
	return in
}

// settings are the per-namespace WorkDrive switches, set through the
// control plane (PUT /_standin/namespaces/{id}/settings/workdrive).
type settings struct {
	// Onboarding fills missing details of users created with ?bulk=true
	// and through bulk-create: designation, department, location,
	// securityGroup, defaultVisibility, reportsTo (ids or names).
	Onboarding map[string]string `json:"onboarding"`
	// OffboardingAssignee inherits the data of users deleted with
	// ?bulk=true or through bulk-delete; the OrgAdmin when empty.
	OffboardingAssignee string `json:"offboardingAssignee"`
}

func loadSettings(ns *namespace.Namespace) settings {
	var st settings
	if err := ns.Setting("workdrive", &st); err != nil {
		return settings{}
	}
	return st
}

// defaultOnboarding applies when the namespace sets none: new users get
// public visibility, so their invitation goes to them.
var defaultOnboarding = map[string]string{"defaultVisibility": "public"}

func (in *userInput) applyDefaults(d map[string]string) {
	if d == nil {
		d = defaultOnboarding
	}
	set := func(key string, dst *string) {
		if !in.has[key] && d[key] != "" {
			*dst = d[key]
			in.has[key] = true
		}
	}
	set("designation", &in.designation)
	set("department", &in.department)
	set("location", &in.location)
	set("securityGroup", &in.securityGroup)
	set("defaultVisibility", &in.defaultVisibility)
	set("reportsTo", &in.reportsTo)
}

// createUserTx validates in and creates the user, its relations and the
// on-boarding email, all in tx.
func (s *Service) createUserTx(ctx context.Context, tx *sql.Tx, c *caller, in *userInput) (*createdUser, error) {
	ns, org := c.ns.ID, c.orgID
	switch {
	case in.email == "":
		return nil, httpx.BadRequest("email is required")
	case !validEmail(in.email):
		return nil, httpx.BadRequest("email must be an email")
	case in.defaultVisibility != "" && in.defaultVisibility != "public" && in.defaultVisibility != "restricted":
		return nil, httpx.BadRequest("defaultVisibility must be one of: public, restricted")
	}
	now := c.nowMS()
	u := &user{id: ids.UUID(), orgID: org, role: roleUser, userName: userNameOf(in.email), email: in.email,
		firstName: in.firstName, lastName: in.lastName, phone: in.phone, designation: in.designation,
		defaultVisibility: in.defaultVisibility, externalUserID: in.externalUserID,
		createdBy: c.id, updatedBy: c.id, createdAt: now, updatedAt: now}
	if len(in.skill) > 0 {
		js, _ := json.Marshal(in.skill)
		u.skill = string(js)
	}
	var dept *department
	if in.department != "" {
		d, err := departmentByRef(ctx, tx, ns, org, in.department)
		if err != nil {
			return nil, refErr(err, "department", in.department)
		}
		dept = d
		u.departmentID = sql.NullString{String: d.id, Valid: true}
	}
	if in.isHead && dept == nil {
		return nil, httpx.BadRequest("isDepartmentHead needs a department")
	}
	// The first location joined becomes the primary one (addLocationMember).
	var primary *location
	if in.location != "" {
		l, err := locationInOrg(ctx, tx, ns, org, in.location)
		if err != nil {
			return nil, refErr(err, "location", in.location)
		}
		primary = l
	}
	for _, id := range in.locations {
		l, err := locationInOrg(ctx, tx, ns, org, id)
		if err != nil {
			return nil, refErr(err, "addAdditionalLocations", id)
		}
		if primary == nil {
			primary = l
		}
	}
	if err := checkRef(ctx, tx, ns, org, "security_group", "securityGroup", in.securityGroup); err != nil {
		return nil, err
	}
	if err := checkRefs(ctx, tx, ns, org, "user", "addAdditionalTeams", in.teams); err != nil {
		return nil, err
	}
	if in.reportsTo != "" {
		if _, err := userInOrg(ctx, tx, ns, org, in.reportsTo); err != nil {
			return nil, refErr(err, "reportsTo", in.reportsTo)
		}
		u.reportsTo = sql.NullString{String: in.reportsTo, Valid: true}
	} else {
		// The doc: without reportsTo, the admins of the given location or
		// department become the user's boss (location first).
		var boss []string
		var err error
		if in.location != "" {
			boss, err = strList(ctx, tx, `SELECT a.user_id FROM workdrive_location_admins a JOIN workdrive_users x
				ON x.ns = a.ns AND x.id = a.user_id WHERE a.ns = $1 AND a.location_id = $2 ORDER BY x.created_at, x.id LIMIT 1`, ns, in.location)
		}
		if err == nil && len(boss) == 0 && dept != nil {
			boss, err = strList(ctx, tx, `SELECT user_id FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2
				ORDER BY created_at, user_id LIMIT 1`, ns, dept.id)
		}
		if err != nil {
			return nil, err
		}
		if len(boss) > 0 {
			u.reportsTo = sql.NullString{String: boss[0], Valid: true}
		}
	}
	// The doc: with none of securityGroup, designation and defaultVisibility
	// the on-boarding email goes to the supervisor, else to the user.
	toSupervisor := in.securityGroup == "" && in.designation == "" && in.defaultVisibility == ""
	u.status = "INVITED"
	if toSupervisor {
		u.status = "PRE_INVITED"
	}
	if err := insertUser(ctx, tx, ns, u); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, httpx.Conflict("A user with the email %s already exists in this organization", in.email)
		}
		return nil, err
	}
	if in.isHead {
		if err := addDepartmentHead(ctx, tx, ns, dept.id, u.id, now); err != nil {
			return nil, err
		}
	}
	if in.location != "" {
		if err := addLocationMember(ctx, tx, ns, in.location, u.id, now); err != nil {
			return nil, err
		}
	}
	extraTeams, err := s.addLocations(ctx, tx, ns, u.id, in.locations, now)
	if err != nil {
		return nil, err
	}
	if in.securityGroup != "" {
		if err := addSecurityGroupMember(ctx, tx, ns, in.securityGroup, u.id); err != nil {
			return nil, err
		}
	}
	for _, sup := range in.teams {
		if sup != u.id {
			if err := addTeam(ctx, tx, ns, u.id, sup); err != nil {
				return nil, err
			}
		}
	}
	if err := s.sendOnboarding(ctx, tx, c, u, toSupervisor); err != nil {
		return nil, err
	}
	// The answer is built from what was written, as userByID would read
	// it back (insertUser filled the defaults in u).
	if dept != nil {
		u.departmentName = dept.name
		u.isHead = in.isHead
	}
	if primary != nil {
		u.locationID = sql.NullString{String: primary.id, Valid: true}
		u.locationName = primary.name
	}
	return &createdUser{user: u, teams: append(slices.Clone(in.teams), extraTeams...),
		locations: append([]string{in.location}, in.locations...)}, nil
}

// createdUser is a user just created with what it was given besides its
// row: the supervisors of its additional teams and the locations it
// joined, in the order they were added (repeats and "" included).
type createdUser struct {
	*user
	teams, locations []string
}

// detail renders a user just created as userDetailJSON would, without
// reading back what was just written: a new user has no reportees, and a
// relation of at most one entry needs no ordering. Two or more are read
// in the database's order.
func (cu *createdUser) detail(ctx context.Context, q store.Querier, ns *namespace.Namespace) (*userDetail, error) {
	u := cu.user
	d := &userDetail{userDoc: userJSON(ns, u), TeamMembers: []string{}}
	teams := distinct(cu.teams, u.id)
	if len(teams) > 1 {
		var err error
		if teams, err = userTeams(ctx, q, ns.ID, u.id); err != nil {
			return nil, err
		}
	}
	d.UserAdditionalTeams = teams
	locs := distinct(cu.locations, u.locationID.String)
	if len(locs) > 1 {
		all, err := userLocationIDs(ctx, q, ns.ID, u)
		if err != nil {
			return nil, err
		}
		locs = distinct(all, u.locationID.String)
	}
	d.AddAdditionalLocations = locs
	return d, nil
}

// distinct returns the values of list other than "" and except, each once,
// in their first order ([] for none).
func distinct(list []string, except string) []string {
	out := []string{}
	for _, v := range list {
		if v != "" && v != except && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// addLocations adds a user to extra locations; the doc makes those
// locations' admins the user's supervisors (additional teams).
// It returns the supervisors it added.
func (s *Service) addLocations(ctx context.Context, tx *sql.Tx, ns, userID string, locs []string, now int64) ([]string, error) {
	var added []string
	for _, l := range locs {
		if err := addLocationMember(ctx, tx, ns, l, userID, now); err != nil {
			return nil, err
		}
		admins, err := strList(ctx, tx, `SELECT user_id FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2`, ns, l)
		if err != nil {
			return nil, err
		}
		for _, a := range admins {
			if a != userID {
				if err := addTeam(ctx, tx, ns, userID, a); err != nil {
					return nil, err
				}
				added = append(added, a)
			}
		}
	}
	return added, nil
}

// sendOnboarding mails the invitation to the user, or to the supervisor
// (the OrgAdmin when the user has none).
func (s *Service) sendOnboarding(ctx context.Context, tx *sql.Tx, c *caller, u *user, toSupervisor bool) error {
	name := strings.TrimSpace(u.firstName + " " + u.lastName)
	if name == "" {
		name = u.email
	}
	msg := outbox.Message{Vendor: "workdrive", To: u.email, Time: c.ns.Now(),
		Subject: "You're invited to WorkDrive",
		Body:    fmt.Sprintf("Hi %s,\n\nYou have been added to your organization's WorkDrive intranet. Follow the link in this email to set up your account.", name)}
	if toSupervisor {
		// The supervisor, or without one the organization's admin, in one query.
		var email, first, last string
		if err := tx.QueryRowContext(ctx, `SELECT email, first_name, last_name FROM workdrive_users
			WHERE ns = $1 AND id = COALESCE($2, (SELECT admin_user_id FROM workdrive_organizations WHERE ns = $1 AND id = $3))`,
			c.ns.ID, u.reportsTo, u.orgID).Scan(&email, &first, &last); err != nil {
			return err
		}
		msg.To = email
		msg.Subject = "On-board your new team member " + name
		msg.Body = fmt.Sprintf("Hi %s,\n\n%s (%s) has been added to WorkDrive and reports to you. Complete their on-boarding to send them their invitation.",
			strings.TrimSpace(first+" "+last), name, u.email)
	}
	return outbox.Send(ctx, tx, c.ns.ID, msg)
}

// createUser serves POST /api/users/add[?bulk=true], OrgAdmin only.
func (s *Service) createUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin("add users"); err != nil {
		return err
	}
	bulk, _, err := queryBool(r.URL.Query(), "bulk")
	if err != nil {
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	in := parseUserInput(b)
	if err := b.Err(); err != nil {
		return err
	}
	if bulk {
		in.applyDefaults(loadSettings(c.ns).Onboarding)
	}
	var out *userDetail
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.createUserTx(r.Context(), tx, c, in)
		if err != nil {
			return err
		}
		out, err = u.detail(r.Context(), tx, c.ns)
		return err
	})
	if err != nil {
		return err
	}
	return created(w, out)
}

// bulkCreateUsers serves POST /api/users/bulk-create {"data": [...]}, all or
// nothing, with the on-boarding defaults for missing details.
func (s *Service) bulkCreateUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin("add users"); err != nil {
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	items, ok := b.Objects("data")
	if err := b.Err(); err != nil {
		return err
	}
	if !ok || len(items) == 0 {
		return httpx.BadRequest("data must be a non-empty array of users")
	}
	defaults := loadSettings(c.ns).Onboarding
	inputs := make([]*userInput, len(items))
	seen := map[string]int{}
	for i, it := range items {
		inputs[i] = parseUserInput(it)
		if err := b.Err(); err != nil {
			return err
		}
		inputs[i].applyDefaults(defaults)
		e := strings.ToLower(inputs[i].email)
		if j, dup := seen[e]; dup && e != "" {
			return httpx.Conflict("data[%d] and data[%d] have the same email %s", j, i, inputs[i].email)
		}
		seen[e] = i
	}
	out := make([]*userDetail, 0, len(items))
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		for i, in := range inputs {
			u, err := s.createUserTx(r.Context(), tx, c, in)
			if err != nil {
				if ae, ok := err.(*httpx.Error); ok {
					ae.Message = fmt.Sprintf("data[%d]: %s", i, ae.Message)
				}
				return err
			}
			m, err := u.detail(r.Context(), tx, c.ns)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return created(w, out)
}
