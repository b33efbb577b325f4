package workdrive_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
)

// Docs-seed ids used below (seed_data.go).
const (
	janeID       = "a0c3f96f-73c3-4c67-ba43-b94d640f2485" // heads Development and Development/Subdivider, admin of New York
	johnID       = "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff" // reports to Jane
	liID         = "6301fd00-6216-11ec-9294-cfe91ad8177f" // Operations member
	graceID      = "fc4ea4d0-58da-11ec-819d-f9796b594a09"
	devDeptID    = "1ae6eb71-dddf-48b7-945f-78127fd85801"
	opsDeptID    = "2886a908-42b4-4612-b096-eac24f229b5b" // head: Maria (bd06213a)
	mariaID      = "bd06213a-a26b-4cd7-a6b8-cfa154073e1f"
	newYorkID    = "e9659111-c52a-42c9-b6ed-42d0f5bdd29e" // admin: Jane
	californiaID = "9aa53819-f4f8-4c59-ba74-56aae6b604cc"
	everyoneSG   = "061bb94a-4f30-4186-8334-616aada03eef"
)

type userOut struct {
	ID          string   `json:"id"`
	Email       string   `json:"email"`
	Status      string   `json:"status"`
	ReportsTo   *string  `json:"reportsTo"`
	Department  *string  `json:"department"`
	IsHead      bool     `json:"isDepartmentHead"`
	LocationRaw any      `json:"location"`
	Teams       []string `json:"userAdditionalTeams"`
	OtherLocs   []string `json:"addAdditionalLocations"`
}

type meta struct {
	PerPage, TotalPages, TotalResults, CurPage, NextPage int
}

type usersPage struct {
	Users []userOut `json:"users"`
	Meta  meta      `json:"meta"`
}

// errorOf checks a NestJS error envelope.
func errorOf(t *testing.T, res *testenv.Response, status int) string {
	t.Helper()
	var e struct {
		StatusCode int    `json:"statusCode"`
		Message    string `json:"message"`
		Error      string `json:"error"`
	}
	res.Decode(t, status, &e)
	if e.StatusCode != status || e.Error != http.StatusText(status) || e.Message == "" {
		t.Fatalf("%s %s: error body %s", res.Request.Method, res.Request.URL, res.Body)
	}
	return e.Message
}

// tokenFor mints a key for a user with the admin's key.
func tokenFor(t *testing.T, admin *client, userID string) string {
	t.Helper()
	var out struct{ UserID, Token string }
	admin.must(201, "POST", "/api/token/generate-access", map[string]string{"userId": userID}, &out)
	if out.UserID != userID || out.Token == "" {
		t.Fatalf("token response %+v", out)
	}
	return out.Token
}

func TestAuthAndRoles(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	super := admin.as(ns.Cred("workdrive", "superadmin_api_key"))
	john := admin.as(tokenFor(t, admin, johnID))

	// Authentication, in the NestJS envelope; the header name is case-insensitive.
	errorOf(t, admin.as("").do("GET", "/api/users", nil), 401)
	errorOf(t, admin.as("not-a-key").do("GET", "/api/users", nil), 401)
	res := env.Do(t, "GET", admin.base+"/api/users", nil, http.Header{"x-api-key": {admin.key}})
	res.Decode(t, 200, nil)
	if msg := errorOf(t, admin.do("GET", "/api/nothing", nil), 404); msg != "Cannot GET /api/nothing" {
		t.Errorf("unknown route message %q", msg)
	}

	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		body   any
		status int
	}{
		{"OrgAdmin cannot create an organization", admin, "POST", "/api/organization",
			map[string]any{"name": "Other", "admin": map[string]string{"email": "o@other.example"}}, 403},
		{"SuperAdmin belongs to no organization", super, "GET", "/api/users", nil, 403},
		{"user cannot update the organization", john, "PATCH", "/api/organization/" + ns.Cred("workdrive", "org_id"), map[string]string{"name": "X"}, 403},
		{"user cannot mint tokens for others", john, "POST", "/api/token/generate-access", map[string]string{"userId": janeID}, 403},
		{"user cannot add users", john, "POST", "/api/users/add", map[string]string{"email": "x@example.com"}, 403},
		{"user cannot delete users", john, "DELETE", "/api/users/" + liID, nil, 403},
		{"user cannot update others", john, "PATCH", "/api/users/" + liID, map[string]string{"bio": "x"}, 403},
		{"user cannot change own status", john, "PATCH", "/api/users/" + johnID, map[string]string{"status": "ACTIVE"}, 403},
		{"user may edit own profile", john, "PATCH", "/api/users/" + johnID, map[string]string{"bio": "Go developer"}, 200},
		{"user cannot list admin SSOs", john, "GET", "/api/sso?manage=true", nil, 403},
		{"OrgAdmin may update the organization", admin, "PATCH", "/api/organization/" + ns.Cred("workdrive", "org_id"), map[string]string{"industry": "Software"}, 200},
		{"bad email", admin, "POST", "/api/users/add", map[string]string{"email": "not-an-email"}, 400},
		{"duplicate email, any case", admin, "POST", "/api/users/add", map[string]string{"email": "John@Example.com"}, 409},
		{"unknown department reference", admin, "POST", "/api/users/add", map[string]string{"email": "n@example.com", "department": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}, 400},
		{"malformed JSON", admin, "POST", "/api/users/add", "{", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.c.do(tt.method, tt.path, tt.body)
			if tt.status >= 400 {
				errorOf(t, res, tt.status)
				return
			}
			res.Decode(t, tt.status, nil)
		})
	}

	// A user may mint their own key; the new key works at once and the
	// previous one is revoked.
	newKey := tokenFor(t, john, johnID)
	errorOf(t, john.do("GET", "/api/users", nil), 401)
	john = john.as(newKey)
	john.must(200, "GET", "/api/users", nil, nil)

	// Deleting a user revokes their keys.
	li := admin.as(tokenFor(t, admin, liID))
	li.must(200, "GET", "/api/users", nil, nil)
	admin.must(200, "DELETE", "/api/users/"+liID, nil, nil)
	errorOf(t, li.do("GET", "/api/users", nil), 401)
}

func TestOrganizationIsolation(t *testing.T) {
	_, ns, admin := adminClient(t, "docs")
	super := admin.as(ns.Cred("workdrive", "superadmin_api_key"))
	var org struct {
		ID, Subdomain, AccessToken, AuthMethod string
	}
	super.must(201, "POST", "/api/organization", map[string]any{
		"name": "Acme Corp", "admin": map[string]string{"firstName": "Ada", "lastName": "Lovelace", "email": "ada@acme.example"},
		"auth": map[string]string{"method": "internal"},
	}, &org)
	if org.Subdomain != "acmecorp" || org.AuthMethod != "internal" || org.AccessToken == "" {
		t.Fatalf("organization %+v", org)
	}
	errorOf(t, super.do("POST", "/api/organization", map[string]any{"name": "ACME corp", "admin": map[string]string{"email": "b@acme.example"}}), 409)

	// The new admin's key works at once and sees only its organization.
	acme := admin.as(org.AccessToken)
	var page usersPage
	acme.must(200, "GET", "/api/users", nil, &page)
	if page.Meta.TotalResults != 1 || page.Users[0].Email != "ada@acme.example" {
		t.Fatalf("acme users: %+v", page)
	}
	// The same email may exist in two organizations.
	acme.must(201, "POST", "/api/users/add", map[string]any{"email": "john@example.com", "designation": "Engineer"}, nil)

	for _, tt := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"PATCH", "/api/users/" + johnID, map[string]string{"bio": "x"}, 404},
		{"DELETE", "/api/users/" + johnID, nil, 404},
		{"PATCH", "/api/organization/" + ns.Cred("workdrive", "org_id"), map[string]string{"name": "Mine"}, 403},
		{"POST", "/api/token/generate-access", map[string]string{"userId": johnID}, 404},
		{"GET", "/api/departments/" + devDeptID + "/members", nil, 404},
		{"POST", "/api/departments/" + devDeptID + "/members", map[string]any{"removeMembers": []string{johnID}}, 404},
		{"GET", "/api/locations/" + newYorkID + "/members", nil, 404},
		{"POST", "/api/security_groups/" + everyoneSG + "/members", map[string]any{"ids": []string{johnID}}, 404},
		{"GET", "/api/users?department=" + devDeptID, nil, 400},
		{"POST", "/api/departments", map[string]any{"name": "Stolen", "members": []map[string]any{{"id": johnID}}}, 400},
		{"GET", "/api/sso?location=" + newYorkID, nil, 400},
	} {
		errorOf(t, acme.do(tt.method, tt.path, tt.body), tt.status)
	}
	for _, path := range []string{"/api/departments", "/api/locations", "/api/security_groups"} {
		var out map[string]any
		acme.must(200, "GET", path, nil, &out)
		if m := out["meta"].(map[string]any); m["totalResults"].(float64) != 0 {
			t.Errorf("%s: acme sees %v", path, out)
		}
	}
	// And the seeded organization still has its John.
	admin.must(200, "PATCH", "/api/users/"+johnID, map[string]string{"bio": "still here"}, nil)
}

func TestUsersPaginationBothStyles(t *testing.T) {
	env, _, admin := adminClient(t, "docs")
	var before usersPage
	admin.must(200, "GET", "/api/users", nil, &before)
	base := before.Meta.TotalResults
	items := make([]map[string]any, 250)
	for i := range items {
		items[i] = map[string]any{"email": fmt.Sprintf("walker%03d@example.com", i), "firstName": "Walker", "lastName": fmt.Sprint(i)}
	}
	var made []userOut
	admin.must(201, "POST", "/api/users/bulk-create", map[string]any{"data": items}, &made)
	if len(made) != 250 {
		t.Fatalf("bulk-create made %d", len(made))
	}
	total := base + 250

	walk := func(t *testing.T, query string, perPage int, during func(page int)) {
		seen := map[string]bool{}
		for cur := 1; ; cur++ {
			var p usersPage
			admin.must(200, "GET", fmt.Sprintf("/api/users?per_page=%d&cur_page=%d%s", perPage, cur, query), nil, &p)
			m := p.Meta
			if m.CurPage != cur || m.PerPage != perPage || m.TotalResults != total || m.TotalPages != (total+perPage-1)/perPage {
				t.Fatalf("page %d meta %+v", cur, m)
			}
			for _, u := range p.Users {
				if seen[u.ID] {
					t.Fatalf("page %d repeats %s", cur, u.ID)
				}
				seen[u.ID] = true
			}
			if during != nil {
				during(cur)
			}
			if m.NextPage == 0 {
				if cur != m.TotalPages || len(p.Users) == 0 {
					t.Fatalf("last page %d of %d has %d users", cur, m.TotalPages, len(p.Users))
				}
				break
			}
			if m.NextPage != cur+1 || len(p.Users) != perPage {
				t.Fatalf("page %d: nextPage %d, %d users", cur, m.NextPage, len(p.Users))
			}
		}
		if len(seen) != total {
			t.Fatalf("walked %d users, want %d", len(seen), total)
		}
		for _, u := range made {
			if !seen[u.ID] {
				t.Fatalf("user %s missing from the walk", u.ID)
			}
		}
	}
	t.Run("cur_page", func(t *testing.T) { walk(t, "", 7, nil) })
	t.Run("time cursor", func(t *testing.T) {
		// Pin the snapshot, then add users while walking: they are newer
		// than the time and never show up in this walk.
		pinned := env.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")
		env.Clock.Advance(time.Second)
		walk(t, "&time="+pinned, 9, func(page int) {
			if page%5 == 0 {
				admin.must(201, "POST", "/api/users/add", map[string]any{"email": fmt.Sprintf("late%d@example.com", page)}, nil)
			}
		})
	})
	errorOf(t, admin.do("GET", "/api/users?time=yesterday", nil), 400)
	errorOf(t, admin.do("GET", "/api/users?per_page=abc", nil), 400)
}

func TestDepartmentHeadRule(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	maria := admin.as(tokenFor(t, admin, mariaID))
	for _, tt := range []struct {
		name         string
		c            *client
		method, path string
		body         any
	}{
		{"remove the only head", admin, "PATCH", "/api/departments/" + opsDeptID + "/admin", map[string]any{"remove": mariaID}},
		{"remove the only head as member", admin, "POST", "/api/departments/" + opsDeptID + "/members", map[string]any{"removeMembers": []string{mariaID}}},
		{"unflag the only head", admin, "PATCH", "/api/users/" + mariaID, map[string]any{"isDepartmentHead": false}},
		{"delete the only head", admin, "DELETE", "/api/users/" + mariaID, nil},
		{"a head removes herself", maria, "PATCH", "/api/departments/" + opsDeptID + "/admin", map[string]any{"remove": []string{mariaID}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msg := errorOf(t, tt.c.do(tt.method, tt.path, tt.body), 400)
			if !strings.Contains(msg, "head") {
				t.Errorf("message %q", msg)
			}
		})
	}
	// Maria is still head; replacing her in one request is fine.
	admin.must(200, "PATCH", "/api/departments/"+opsDeptID+"/admin", map[string]any{
		"remove": mariaID, "add": []map[string]any{{"id": liID, "isAdmin": true}}}, nil)
	var dept struct {
		DepartmentHeads []string `json:"departmentHeads"`
	}
	admin.must(200, "GET", "/api/departments/"+opsDeptID+"/members", nil, &dept)
	if len(dept.DepartmentHeads) != 1 || dept.DepartmentHeads[0] != liID {
		t.Fatalf("heads %v", dept.DepartmentHeads)
	}
	// A department created without a flagged head gets the caller as head.
	var created struct{ ID string }
	admin.must(201, "POST", "/api/departments", map[string]any{"name": "Legal", "members": []map[string]any{{"id": graceID}}}, &created)
	admin.must(200, "GET", "/api/departments/"+created.ID+"/members", nil, &dept)
	if len(dept.DepartmentHeads) != 1 {
		t.Fatalf("new department heads %v", dept.DepartmentHeads)
	}
}

func TestMembershipRelations(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var legal struct{ ID string }
	admin.must(201, "POST", "/api/departments", map[string]any{"name": "Legal",
		"members": []map[string]any{{"id": graceID, "isDepartmentHead": true}}}, &legal)
	// Through the department endpoint …
	admin.must(201, "POST", "/api/departments/"+legal.ID+"/members", map[string]any{
		"addMembers": []map[string]any{{"id": liID, "existingDept": opsDeptID}}}, nil)
	// … and through the user endpoint.
	var john userOut
	admin.must(200, "PATCH", "/api/users/"+johnID, map[string]any{"department": legal.ID}, &john)
	if john.Department == nil || *john.Department != legal.ID {
		t.Fatalf("john's department %v", john.Department)
	}
	type membersOut struct {
		DepartmentHeads []string `json:"departmentHeads"`
		Members         []struct{ ID string }
	}
	var m membersOut
	admin.must(200, "GET", "/api/departments/"+legal.ID+"/members", nil, &m)
	got := map[string]bool{}
	for _, u := range m.Members {
		got[u.ID] = true
	}
	if len(m.Members) != 3 || !got[graceID] || !got[liID] || !got[johnID] {
		t.Fatalf("legal members %+v", m.Members)
	}
	var p usersPage
	admin.must(200, "GET", "/api/users?department="+legal.ID, nil, &p)
	if p.Meta.TotalResults != 3 {
		t.Fatalf("users in legal: %+v", p.Meta)
	}
	// Moving out through either endpoint updates both views.
	admin.must(201, "POST", "/api/departments/"+legal.ID+"/members", map[string]any{"removeMembers": []string{liID}}, nil)
	admin.must(200, "GET", "/api/departments/"+opsDeptID+"/members", nil, &m)
	for _, u := range m.Members {
		if u.ID == liID {
			t.Fatal("li still in operations")
		}
	}
	// A department list counts members and shows heads as admins.
	var depts struct {
		Departments []struct {
			ID          string
			MemberCount int
			Admins      []struct{ ID string }
		}
	}
	admin.must(200, "GET", "/api/departments?per_page=100", nil, &depts)
	for _, d := range depts.Departments {
		if d.ID == legal.ID && (d.MemberCount != 2 || len(d.Admins) != 1 || d.Admins[0].ID != graceID) {
			t.Fatalf("legal in list %+v", d)
		}
	}

	// Locations: users may belong to several.
	admin.must(201, "POST", "/api/locations/"+californiaID+"/members", map[string]any{"addMembers": []string{johnID}}, nil)
	admin.must(200, "GET", "/api/users?location="+californiaID+"&per_page=100", nil, &p)
	found := false
	for _, u := range p.Users {
		found = found || u.ID == johnID
	}
	if !found {
		t.Fatal("john not listed in california")
	}
	admin.must(200, "PATCH", "/api/users/"+johnID, map[string]any{"addAdditionalLocations": []string{californiaID}}, &john)
	loc, _ := john.LocationRaw.(map[string]any)
	if loc["id"] != newYorkID || len(john.OtherLocs) != 1 || john.OtherLocs[0] != californiaID {
		t.Fatalf("john's locations %v %v", john.LocationRaw, john.OtherLocs)
	}
	var lm struct{ Members []struct{ ID string } }
	admin.must(200, "GET", "/api/locations/"+californiaID+"/members", nil, &lm)
	admin.must(201, "POST", "/api/locations/"+newYorkID+"/members", map[string]any{"removeMembers": []string{johnID}}, nil)
	admin.must(200, "PATCH", "/api/users/"+johnID, map[string]any{"bio": "x"}, &john)
	loc, _ = john.LocationRaw.(map[string]any)
	if loc["id"] != californiaID {
		t.Fatalf("john's primary location after leaving New York: %v", john.LocationRaw)
	}
	// Security groups: idempotent add, remove with a JSON body on DELETE
	// and the doc's stray "}".
	var sg struct{ MemberCount int }
	admin.must(201, "POST", "/api/security_groups/"+everyoneSG+"/members", map[string]any{"ids": []string{johnID, graceID}}, &sg)
	if sg.MemberCount != 4 {
		t.Fatalf("member count %d", sg.MemberCount)
	}
	res := admin.do("DELETE", "/api/security_groups/"+everyoneSG+"/members}", map[string]any{"ids": []string{graceID}})
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("remove: %d %q", res.StatusCode, res.Body)
	}
	var groups struct {
		Groups []struct {
			ID          string
			MemberCount int
		}
	}
	admin.must(200, "GET", "/api/security_groups", nil, &groups)
	for _, g := range groups.Groups {
		if g.ID == everyoneSG && g.MemberCount != 3 {
			t.Fatalf("everyone has %d members", g.MemberCount)
		}
	}
}

type outboxMsg struct{ To, Subject, Body string }

func outboxOf(t *testing.T, env *testenv.Env, ns *testenv.Namespace) []outboxMsg {
	var out struct{ Messages []outboxMsg }
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, 200, &out)
	return out.Messages
}

func TestOnboarding(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	// No securityGroup, designation or defaultVisibility: the supervisor
	// gets the email; without reportsTo, the location's admin (Jane) is it.
	var u userOut
	admin.must(201, "POST", "/api/users/add", map[string]any{"email": "new1@example.com", "firstName": "New", "location": newYorkID}, &u)
	if u.ReportsTo == nil || *u.ReportsTo != janeID || u.Status != "PRE_INVITED" {
		t.Fatalf("new1: %+v", u)
	}
	// With a designation the user gets it; the department's head is the boss.
	admin.must(201, "POST", "/api/users/add", map[string]any{"email": "new2@example.com", "designation": "Analyst", "department": opsDeptID}, &u)
	if u.ReportsTo == nil || *u.ReportsTo != mariaID || u.Status != "INVITED" {
		t.Fatalf("new2: %+v", u)
	}
	msgs := outboxOf(t, env, ns)
	if len(msgs) != 2 || msgs[0].To != "jane.doe@example.com" || !strings.Contains(msgs[0].Body, "new1@example.com") || msgs[1].To != "new2@example.com" {
		t.Fatalf("outbox %+v", msgs)
	}
	// ?bulk=true takes missing details from the on-boarding defaults.
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/workdrive",
		map[string]any{"onboarding": map[string]string{"department": devDeptID, "securityGroup": everyoneSG}}, nil).Decode(t, 200, nil)
	admin.must(201, "POST", "/api/users/add?bulk=true", map[string]any{"email": "new3@example.com"}, &u)
	if u.Department == nil || *u.Department != devDeptID || u.ReportsTo == nil || *u.ReportsTo != janeID || u.Status != "INVITED" {
		t.Fatalf("new3: %+v", u)
	}
	// Bulk create is all or nothing.
	errorOf(t, admin.do("POST", "/api/users/bulk-create", map[string]any{"data": []map[string]any{
		{"email": "ok@example.com"}, {"email": "john@example.com"}}}), 409)
	var p usersPage
	admin.must(200, "GET", "/api/users?per_page=1000", nil, &p)
	for _, x := range p.Users {
		if x.Email == "ok@example.com" {
			t.Fatal("bulk-create left a user behind")
		}
	}
	// Supervisors are computed from reportsTo.
	var sup struct{ Users []struct{ ID string } }
	admin.must(200, "GET", "/api/users/supervisors?userId="+johnID, nil, &sup)
	if len(sup.Users) != 1 || sup.Users[0].ID != janeID {
		t.Fatalf("john's supervisors %+v", sup)
	}
	// Bulk delete with off-boarding: reportees move up, unknown ids are ignored.
	res := admin.do("DELETE", "/api/users/bulk-delete", map[string]any{"id": []string{janeID, "3fa85f64-5717-4562-b3fc-2c963f66afa6"}})
	errorOf(t, res, 400) // Jane is the only head of Development
	admin.must(200, "PATCH", "/api/departments/"+devDeptID+"/admin", map[string]any{"add": []string{johnID}}, nil)
	admin.must(200, "PATCH", "/api/departments/d3e47d0d-5f6d-49d2-9b7b-21f837291008/admin", map[string]any{"add": []string{johnID}}, nil)
	res = admin.do("DELETE", "/api/users/bulk-delete", map[string]any{"id": []string{janeID, "3fa85f64-5717-4562-b3fc-2c963f66afa6"}})
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("bulk delete: %d %s", res.StatusCode, res.Body)
	}
	admin.must(200, "PATCH", "/api/users/"+johnID, map[string]any{}, &u)
	if u.ReportsTo == nil || *u.ReportsTo != ns.Cred("workdrive", "user_id") {
		t.Fatalf("john reports to %v after Jane left", u.ReportsTo)
	}
}

func TestSSO(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	for _, tt := range []struct {
		name   string
		c      *client
		query  string
		body   map[string]any
		status int
	}{
		{"quick link needs link", admin, "", map[string]any{"type": "QUICK_LINK"}, 400},
		{"sso needs its URIs", admin, "", map[string]any{"type": "SSO", "authorizationURI": "a", "tokenURI": "b", "refreshURI": "c"}, 400},
		{"unknown type", admin, "", map[string]any{"type": "OAUTH", "link": "x"}, 400},
		{"admin level needs the admin", john, "?manage=true", map[string]any{"type": "QUICK_LINK", "link": "https://x"}, 403},
		{"location level needs a location admin", john, "", map[string]any{"type": "QUICK_LINK", "link": "https://x", "locationId": newYorkID}, 403},
		{"unknown department", admin, "", map[string]any{"type": "QUICK_LINK", "link": "https://x", "departmentId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errorOf(t, tt.c.do("POST", "/api/sso"+tt.query, tt.body), tt.status)
		})
	}
	type ssoOut struct {
		ID, Type, Link, TokenURI string
		Order                    int
		LocationID               *string `json:"locationId"`
	}
	var e ssoOut
	admin.must(201, "POST", "/api/sso", map[string]any{"type": "QUICK_LINK", "name": "Wiki", "link": "https://wiki",
		"tokenURI": "ignored", "order": "2", "locationId": newYorkID, "departmentId": devDeptID}, &e)
	if e.LocationID == nil || *e.LocationID != newYorkID || e.TokenURI != "" || e.Order != 2 {
		t.Fatalf("location sso %+v", e)
	}
	admin.must(201, "POST", "/api/sso?manage=true", map[string]any{"type": "SSO", "authorizationURI": "{{redirect_uri}}/?code=x",
		"tokenURI": "https://t", "refreshURI": "https://r", "loginURL": "https://l", "locationId": newYorkID}, &e)
	john.must(201, "POST", "/api/sso", map[string]any{"type": "QUICK_LINK", "link": "https://mine", "order": 1}, nil)
	var list []ssoOut
	for _, tt := range []struct {
		c     *client
		query string
		want  string
	}{
		{admin, "?location=" + newYorkID + "&department=" + devDeptID + "&manage=true", "https://wiki"},
		{admin, "?manage=true", ""},
		{john, "", "https://mine"},
		{admin, "", "none"},
	} {
		tt.c.must(200, "GET", "/api/sso"+tt.query, nil, &list)
		switch {
		case tt.want == "none" && len(list) != 0, tt.want != "none" && len(list) != 1, len(list) == 1 && list[0].Link != tt.want:
			t.Errorf("GET /api/sso%s: %+v", tt.query, list)
		}
	}
}

func TestOffboardingMovesContent(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	var ticket struct{ FileID string }
	john.must(200, "GET", "/api/media?mime=image/png&name=logo.png&moduleCode=1", nil, &ticket)
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+ns.ID+"/settings/workdrive",
		map[string]any{"offboardingAssignee": mariaID}, nil).Decode(t, 200, nil)
	res := admin.do("DELETE", "/api/users/"+johnID+"?bulk=true", nil)
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
	}
	var org struct {
		File struct {
			ID    string
			Owner struct{ ID string }
		}
	}
	admin.must(200, "PATCH", "/api/organization/"+ns.Cred("workdrive", "org_id"), map[string]any{"fileId": ticket.FileID}, &org)
	if org.File.ID != ticket.FileID || org.File.Owner.ID != mariaID {
		t.Fatalf("file after off-boarding: %+v", org.File)
	}
	errorOf(t, admin.do("PATCH", "/api/users/"+johnID, map[string]any{"bio": "gone"}), 404)
	errorOf(t, admin.do("DELETE", "/api/users/"+ns.Cred("workdrive", "user_id"), nil), 400)
}

func TestRoutingTolerance(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	// The doc's Create Location line is POST /api/departments.
	var loc struct{ ID, Name, OrgID string }
	admin.must(201, "POST", "/api/departments", map[string]any{"addedBy": "172fa58d-7933-45a6-a905-b06770f2224c",
		"name": "California North", "orgId": "172fa58d-7933-45a6-a905-b06770f2224c"}, &loc)
	var lm struct{ ID, Name string }
	admin.must(200, "GET", "/api/locations/"+loc.ID+"/members", nil, &lm)
	if lm.Name != "California North" {
		t.Fatalf("location %+v", lm)
	}
	// Numbers and booleans as strings, a string where an array is expected.
	var u userOut
	admin.must(201, "POST", "/api/users/add", map[string]any{"email": "tolerant@example.com", "isDepartmentHead": "false",
		"addAdditionalTeams": janeID, "designation": 42}, &u)
	if len(u.Teams) != 1 || u.Teams[0] != janeID {
		t.Fatalf("teams %v", u.Teams)
	}
	// null clears a reference.
	admin.must(200, "PATCH", "/api/users/"+u.ID, map[string]any{"reportsTo": nil, "location": nil}, &u)
	if u.ReportsTo != nil {
		t.Fatalf("reportsTo %v", *u.ReportsTo)
	}
	errorOf(t, admin.do("PATCH", "/api/users/"+u.ID, map[string]any{"reportsTo": u.ID}), 400)
	errorOf(t, admin.do("PATCH", "/api/users/"+janeID, map[string]any{"reportsTo": johnID}), 400) // a cycle
	errorOf(t, admin.do("PATCH", "/api/users/"+u.ID, map[string]any{"availability": "BUSY"}), 400)
	errorOf(t, admin.do("PATCH", "/api/users/"+u.ID, map[string]any{"status": "GONE"}), 400)
	errorOf(t, admin.do("PATCH", "/api/users/"+u.ID, map[string]any{"firstName": []int{1}}), 400)
	// Wrong methods are NestJS 404s, not 405s.
	errorOf(t, admin.do("PUT", "/api/users/"+u.ID, nil), 404)
}

// TestJunkNeverFails500 sends malformed input to every core route: each
// answer is a 4xx in the NestJS envelope.
func TestJunkNeverFails500(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	routes := []struct{ method, path string }{
		{"GET", "/api/users"}, {"GET", "/api/users/supervisors"}, {"POST", "/api/users/add"},
		{"POST", "/api/users/bulk-create"}, {"DELETE", "/api/users/bulk-delete"}, {"PATCH", "/api/users/x"},
		{"DELETE", "/api/users/x"}, {"PATCH", "/api/organization/x"}, {"POST", "/api/token/generate-access"},
		{"POST", "/api/departments"}, {"PATCH", "/api/departments/x/admin"}, {"POST", "/api/departments/x/members"},
		{"GET", "/api/departments/x/members"}, {"PATCH", "/api/departments/x"}, {"DELETE", "/api/departments/x"},
		{"POST", "/api/locations"}, {"POST", "/api/locations/x/members"}, {"GET", "/api/locations/x/members"},
		{"PATCH", "/api/locations/x"}, {"DELETE", "/api/locations/x"}, {"POST", "/api/security_groups/x/members"},
		{"DELETE", "/api/security_groups/x/members"}, {"POST", "/api/sso"}, {"GET", "/api/sso"},
	}
	bodies := []string{`[]`, `"x"`, `{`, `{"email": {"a": 1}, "name": [1], "data": "x", "id": {}, "ids": 5,
		"members": "x", "addMembers": [[1]], "remove": {}, "add": 7, "userId": [], "type": {}, "status": 3}`}
	queries := []string{"", "?cur_page=-1", "?per_page=x", "?time=never", "?department=x&location=y&userId=z&manage=maybe&bulk=perhaps"}
	// GETs ignore bodies, and the SSO list takes no paging.
	sendJunk(t, admin, routes, queries, bodies, func(method, _ string) bool { return method == "GET" })
}

// sendJunk sends every body with every query to every route. Each answer
// must be a 4xx in the NestJS envelope, except that reads (readOnly) may
// succeed; never a 5xx.
func sendJunk(t *testing.T, c *client, routes []struct{ method, path string }, queries, bodies []string,
	readOnly func(method, path string) bool) {
	t.Helper()
	for _, rt := range routes {
		for _, q := range queries {
			for _, b := range bodies {
				res := c.do(rt.method, rt.path+q, b)
				if res.StatusCode >= 500 || (!readOnly(rt.method, rt.path) && res.StatusCode < 400) {
					t.Errorf("%s %s%s %s: %d %.200s", rt.method, rt.path, q, b, res.StatusCode, res.Body)
					continue
				}
				if res.StatusCode >= 400 {
					errorOf(t, res, res.StatusCode)
				}
			}
		}
	}
}

func TestFormBodies(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var u userOut
	admin.must(201, "POST", "/api/users/add", url.Values{"email": {"form@example.com"}, "designation": {"Clerk"},
		"addAdditionalTeams[]": {janeID}}, &u)
	if u.Email != "form@example.com" || len(u.Teams) != 1 {
		t.Fatalf("form-created user %+v", u)
	}
}

func TestFixtureAndReset(t *testing.T) {
	env, ns, admin := adminClient(t, "empty")
	doc := `workdrive:
  departments: [{id: 7d5e1c2a-0b1f-4f3e-9a6b-2c4d5e6f7a8b, name: Research, heads: [admin], members: [admin]}]
  locations: [{id: 8e6f2d3b-1c2a-4a4f-8b7c-3d5e6f7a8b9c, name: Lab, admins: [admin]}]
  users:
    - {id: 9f7a3e4c-2d3b-4b5a-9c8d-4e6f7a8b9c0d, email: ines@example.com, firstName: Ines,
       department: 7d5e1c2a-0b1f-4f3e-9a6b-2c4d5e6f7a8b, locations: [8e6f2d3b-1c2a-4a4f-8b7c-3d5e6f7a8b9c],
       reportsTo: admin, apiKey: 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e}
`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, 200, nil)
	ines := admin.as("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e")
	var p usersPage
	ines.must(200, "GET", "/api/users?department=7d5e1c2a-0b1f-4f3e-9a6b-2c4d5e6f7a8b", nil, &p)
	if p.Meta.TotalResults != 2 {
		t.Fatalf("research has %d users", p.Meta.TotalResults)
	}
	// Reset replays the fixture and keeps the credentials.
	admin.must(201, "POST", "/api/users/add", map[string]any{"email": "temp@example.com"}, nil)
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
	admin.must(200, "GET", "/api/users", nil, &p)
	if p.Meta.TotalResults != 2 {
		t.Fatalf("after reset: %d users", p.Meta.TotalResults)
	}
	for _, bad := range []string{
		`workdrive: {users: [{id: nope, email: x@example.com}]}`,
		`workdrive: {users: [{id: 1f7a3e4c-2d3b-4b5a-9c8d-4e6f7a8b9c0d, email: y@example.com, reportsTo: 2f7a3e4c-2d3b-4b5a-9c8d-4e6f7a8b9c0d}]}`,
		`workdrive: {teams: []}`,
	} {
		res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", bad, nil)
		if res.StatusCode != 400 {
			t.Errorf("fixture %s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
