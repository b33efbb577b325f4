package worksection_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

var numericID = regexp.MustCompile(`^[1-9][0-9]*$`)

type userJSON struct {
	ID         string   `json:"id"`
	FirstName  string   `json:"first_name"`
	LastName   string   `json:"last_name"`
	Name       string   `json:"name"`
	Title      string   `json:"title"`
	Rate       *float64 `json:"rate"`
	Avatar     string   `json:"avatar"`
	Group      string   `json:"group"`
	Department string   `json:"department"`
	Role       string   `json:"role"`
	Email      string   `json:"email"`
	Phone      *string  `json:"phone"`
}

func TestAddUser(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")

	var u userJSON
	mustOK(t, c.admin("add_user", url.Values{"email": {"kate@example.com"}, "first_name": {"Kate"},
		"last_name": {"Bell"}, "title": {"QA"}, "department": {"Quality"}}), &u)
	if !numericID.MatchString(u.ID) || u.Name != "Kate Bell" || u.Role != "user" || u.Group != "Standin" ||
		u.Department != "Quality" || u.Title != "QA" || u.Rate != nil || u.Phone != nil || u.Avatar == "" {
		t.Fatalf("add_user by the API key (the owner's team by default): %+v", u)
	}
	// The user is listed, and the team is get-or-create by trimmed,
	// case-insensitive name.
	mustOK(t, c.admin("add_user", url.Values{"email": {"leo@example.com"}, "group": {"  acme CLIENT "}, "role": {"reader"}}), &u)
	if u.Group != "Acme Client" || u.Role != "reader" || u.Name != "leo@example.com" {
		t.Fatalf("existing team: %+v", u)
	}
	mustOK(t, c.admin("add_user", url.Values{"email": {"mia@example.com"}, "group": {"Marketing"}, "role": {"guest"}}), &u)
	mustOK(t, c.admin("add_user", url.Values{"email": {"max@example.com"}, "group": {"marketing "}}), &u)
	var teams []map[string]any
	mustOK(t, c.admin("get_user_groups", nil), &teams)
	n := 0
	for _, tm := range teams {
		if strings.EqualFold(tm["title"].(string), "marketing") {
			n++
			if tm["client"] != 0.0 || tm["type"] != "company" {
				t.Errorf("new team: %v", tm)
			}
		}
	}
	if n != 1 {
		t.Fatalf("Marketing team %d times: %v", n, teams)
	}
	var users []userJSON
	mustOK(t, c.admin("get_users", nil), &users)
	if len(users) != 8 || users[7].Email != "max@example.com" || users[7].Group != "Marketing" {
		t.Fatalf("get_users: %+v", users)
	}

	// With a token, the default team is the token user's.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed",
		`{"worksection": {"oauth_codes": [{"code": "carl", "user": "client@acme.example"}]}}`, nil).Decode(t, 200, nil)
	p := c.oauthClient()
	p.Set("grant_type", "authorization_code")
	p.Set("code", "carl")
	tp := issue(t, c, p)
	mustOK(t, c.withToken(tp.AccessToken, "add_user", url.Values{"email": {"zoe@example.com"}}), &u)
	if u.Group != "Acme Client" {
		t.Fatalf("token caller's team: %+v", u)
	}

	// No mail goes out for an invitation.
	var outbox struct {
		Total int `json:"total"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+c.ns.ID+"/outbox", nil, nil).Decode(t, 200, &outbox)
	if outbox.Total != 0 {
		t.Errorf("outbox has %d messages", outbox.Total)
	}

	for _, tt := range []struct {
		name   string
		params url.Values
		code   int
	}{
		{"no email", url.Values{}, 4},
		{"placeholder email", url.Values{"email": {"USER_EMAIL"}}, 5},
		{"display name", url.Values{"email": {"Kate <kate2@example.com>"}}, 5},
		{"duplicate", url.Values{"email": {"kate@example.com"}}, 7},
		{"duplicate other case", url.Values{"email": {"KATE@Example.com"}}, 7},
		{"owner role", url.Values{"email": {"x1@example.com"}, "role": {"owner"}}, 5},
		{"admin role", url.Values{"email": {"x2@example.com"}, "role": {"account admin"}}, 5},
		{"bad role", url.Values{"email": {"x3@example.com"}, "role": {"boss"}}, 5},
	} {
		t.Run(tt.name, func(t *testing.T) { mustFail(t, c.admin("add_user", tt.params), tt.code) })
	}
}

func TestAddUserGroup(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	var a, b, cl map[string]any
	mustOK(t, c.admin("add_user_group", url.Values{"title": {"Design"}}), &a)
	mustOK(t, c.admin("add_user_group", url.Values{"title": {" DESIGN "}, "client": {"1"}}), &b)
	if !numericID.MatchString(a["id"].(string)) || a["id"] != b["id"] || b["title"] != "Design" || b["client"] != 0.0 {
		t.Fatalf("get-or-create: %v %v", a, b)
	}
	mustOK(t, c.admin("add_user_group", url.Values{"title": {"Globex"}, "client": {"1"}}), &cl)
	if cl["client"] != 1.0 || cl["type"] != "company" {
		t.Fatalf("client team: %v", cl)
	}
	mustFail(t, c.admin("add_user_group", url.Values{"title": {"X"}, "client": {"2"}}), 5)
	mustFail(t, c.admin("add_user_group", url.Values{"title": {"  "}}), 4)
	var teams []map[string]any
	mustOK(t, c.admin("get_user_groups", nil), &teams)
	if len(teams) != 3 { // Standin, Design, Globex
		t.Fatalf("teams: %v", teams)
	}
}

func TestContacts(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	var folders []map[string]any
	mustOK(t, c.admin("get_contact_groups", nil), &folders)
	if len(folders) == 0 {
		t.Fatal("no preset folders")
	}
	for _, f := range folders {
		if f["type"] != "preset" {
			t.Errorf("empty account folder %v", f)
		}
	}
	var ct map[string]any
	mustOK(t, c.admin("add_contact", url.Values{"name": {"  Jean Claude  Van Damme "}, "email": {"jcvd@example.com"}}), &ct)
	if ct["first_name"] != "Jean" || ct["last_name"] != "Claude  Van Damme" || ct["name"] != "Jean Claude  Van Damme" ||
		ct["group"] != "Contacts" || ct["title"] != "" || !numericID.MatchString(ct["id"].(string)) {
		t.Fatalf("split and default folder: %v", ct)
	}
	for _, k := range []string{"phone", "phone2", "phone3", "phone4", "address", "address2"} {
		if _, found := ct[k]; found {
			t.Errorf("unset %s is in the answer: %v", k, ct)
		}
	}
	mustOK(t, c.admin("add_contact", url.Values{"name": {"Cher"}, "email": {"cher@example.com"}, "group": {"Press"},
		"phone3": {"+1 555 0199"}, "title": {"Singer"}}), &ct)
	if ct["first_name"] != "Cher" || ct["last_name"] != "" || ct["group"] != "Press" || ct["phone3"] != "+1 555 0199" {
		t.Fatalf("one-word name, new folder: %v", ct)
	}
	// Folders are get-or-create; a preset folder's name counts.
	var f1, f2 map[string]any
	mustOK(t, c.admin("add_contact_group", url.Values{"title": {"press"}}), &f1)
	mustOK(t, c.admin("add_contact_group", url.Values{"title": {"CONTACTS"}}), &f2)
	if f1["title"] != "Press" || f1["type"] != "folder" || f2["title"] != "Contacts" || f2["type"] != "preset" {
		t.Fatalf("get-or-create: %v %v", f1, f2)
	}
	var list []map[string]any
	mustOK(t, c.admin("get_contacts", nil), &list)
	if len(list) != 2 || list[1]["email"] != "cher@example.com" {
		t.Fatalf("get_contacts: %v", list)
	}
	// Contacts are not users: they cannot subscribe, nor are they listed.
	var users []map[string]any
	mustOK(t, c.admin("get_users", nil), &users)
	if len(users) != 1 || users[0]["role"] != "owner" {
		t.Fatalf("users: %v", users)
	}
	mustFail(t, c.admin("add_contact", url.Values{"email": {"a@example.com"}}), 4)
	mustFail(t, c.admin("add_contact", url.Values{"name": {"A B"}}), 4)
	mustFail(t, c.admin("add_contact", url.Values{"name": {"A B"}, "email": {"not-an-email"}}), 5)
	mustFail(t, c.admin("add_contact_group", nil), 4)
}

type taskJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Page     string `json:"page"`
	Status   string `json:"status"`
	Priority string `json:"priority"`
	UserFrom struct {
		ID, Email, Name string
	} `json:"user_from"`
	UserTo struct {
		ID, Email, Name string
	} `json:"user_to"`
	Project struct {
		ID, Name, Page string
	} `json:"project"`
	Text        string            `json:"text"`
	DateAdded   string            `json:"date_added"`
	DateStart   *string           `json:"date_start"`
	DateEnd     *string           `json:"date_end"`
	TimeEnd     *string           `json:"time_end"`
	MaxTime     *float64          `json:"max_time"`
	MaxMoney    *float64          `json:"max_money"`
	Tags        map[string]string `json:"tags"`
	Subscribers *[]struct {
		ID, Email, Name string
	} `json:"subscribers"`
}

func (tk taskJSON) subscriberEmails() []string {
	var out []string
	if tk.Subscribers != nil {
		for _, s := range *tk.Subscribers {
			out = append(out, s.Email)
		}
	}
	return out
}

func TestTasksAndSubscriptions(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	var tk taskJSON
	mustOK(t, c.admin("get_task", url.Values{"id_task": {"1"}}), &tk)
	if tk.ID != "1" || tk.Page != "/project/1/1/" || tk.Status != "active" || tk.Priority != "5" ||
		tk.UserFrom.Email != "john.smith@example.com" || tk.UserFrom.Name != "John Smith" || tk.UserTo.Email != "anna.lee@example.com" ||
		tk.Project.ID != "1" || tk.Project.Page != "/project/1/" || tk.Project.Name != "Website redesign" ||
		tk.DateAdded != "2024-03-01 09:30" || tk.DateStart == nil || *tk.DateStart != "2024-03-04" || tk.TimeEnd == nil ||
		tk.MaxTime == nil || *tk.MaxTime != 24 || tk.Tags["1"] != "design" || tk.Subscribers != nil {
		t.Fatalf("get_task: %+v", tk)
	}
	sub := url.Values{"id_task": {"1"}, "email_user": {"anna.lee@example.com"}}
	for range 2 { // idempotent
		res := c.admin("subscribe", sub)
		if string(res.Body) != `{"status":"ok"}`+"\n" {
			t.Fatalf("subscribe: %s", res.Body)
		}
	}
	extra := url.Values{"id_task": {"1"}, "extra": {"subscribers"}}
	mustOK(t, c.admin("get_task", extra), &tk)
	if got := strings.Join(tk.subscriberEmails(), ","); got != "john.smith@example.com,anna.lee@example.com" {
		t.Fatalf("subscribers after subscribe: %q", got)
	}
	for range 2 {
		mustOK(t, c.admin("unsubscribe", url.Values{"id_task": {"1"}, "email_user": {"JOHN.SMITH@example.com"}}), nil)
	}
	mustOK(t, c.admin("get_task", extra), &tk)
	if got := strings.Join(tk.subscriberEmails(), ","); got != "anna.lee@example.com" {
		t.Fatalf("subscribers after unsubscribe: %q", got)
	}

	// Task 2 has no executive, no dates and no subscribers.
	var tasks []taskJSON
	mustOK(t, c.admin("get_tasks", url.Values{"id_project": {"1"}, "extra": {"text,subscribers"}}), &tasks)
	if len(tasks) != 2 || tasks[1].Status != "done" || tasks[1].UserTo.ID != "0" || tasks[1].DateStart != nil ||
		tasks[1].MaxMoney != nil || tasks[1].Subscribers == nil || len(*tasks[1].Subscribers) != 0 ||
		strings.Join(tasks[0].subscriberEmails(), ",") != "anna.lee@example.com" {
		t.Fatalf("get_tasks: %+v", tasks)
	}

	tasks = nil // Unmarshal would reuse the old elements
	mustOK(t, c.admin("get_tasks", url.Values{"id_project": {"1"}, "filter": {"active"}}), &tasks)
	if len(tasks) != 1 || tasks[0].ID != "1" || tasks[0].Subscribers != nil {
		t.Fatalf("get_tasks filter=active: %+v", tasks)
	}

	for _, tt := range []struct {
		name   string
		action string
		params url.Values
		code   int
	}{
		{"subscribe no task", "subscribe", url.Values{"email_user": {"anna.lee@example.com"}}, 4},
		{"subscribe no email", "subscribe", url.Values{"id_task": {"1"}}, 4},
		{"subscribe unknown task", "subscribe", url.Values{"id_task": {"999"}, "email_user": {"anna.lee@example.com"}}, 6},
		{"subscribe unknown user", "subscribe", url.Values{"id_task": {"1"}, "email_user": {"nobody@example.com"}}, 6},
		{"subscribe a contact", "subscribe", url.Values{"id_task": {"1"}, "email_user": {"mary.jones@supplier.example"}}, 6},
		{"subscribe bad email", "subscribe", url.Values{"id_task": {"1"}, "email_user": {"anna"}}, 5},
		{"unsubscribe bad task id", "unsubscribe", url.Values{"id_task": {"abc"}, "email_user": {"anna.lee@example.com"}}, 5},
		{"get_task unknown", "get_task", url.Values{"id_task": {"999"}}, 6},
		{"get_task bad extra", "get_task", url.Values{"id_task": {"1"}, "extra": {"everything"}}, 5},
		{"get_tasks unknown project", "get_tasks", url.Values{"id_project": {"42"}}, 6},
		{"get_tasks no project", "get_tasks", nil, 4},
		{"get_tasks bad filter", "get_tasks", url.Values{"id_project": {"1"}, "filter": {"all"}}, 5},
		{"unknown action", "delete_everything", nil, 1},
		{"empty action", "", nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) { mustFail(t, c.admin(tt.action, tt.params), tt.code) })
	}
}

// TestMalformedInput: bad input of every kind gets a JSON error, never a 500.
func TestMalformedInput(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	tok := c.ns.Cred("worksection", "access_token")
	bearer := http.Header{"Authorization": {"Bearer " + tok}}
	ts := c.now().Unix()
	admin := http.Header{"Authorization": {"Admin " + itoa(ts) + "_" + hmacHash(c.key, "get_task", ts)}}
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		header http.Header
	}{
		{"JSON syntax", "POST", "/api/oauth2", []byte(`{"action": "me"`), http.Header{"Content-Type": {"application/json"}, "Authorization": bearer["Authorization"]}},
		{"JSON array", "POST", "/api/admin/v2/", []byte(`[1, 2]`), http.Header{"Content-Type": {"application/json"}}},
		{"JSON number params", "POST", "/api/admin/v2/", map[string]any{"action": "get_task", "id_task": 1.5}, admin},
		{"JSON object param", "POST", "/api/admin/v2/", map[string]any{"action": "get_task", "id_task": map[string]any{"a": 1}}, admin},
		{"JSON null action", "POST", "/api/oauth2", map[string]any{"action": nil}, bearer},
		{"huge id", "POST", "/api/admin/v2/", map[string]any{"action": "get_task", "id_task": "99999999999999999999999"}, admin},
		{"negative id", "POST", "/api/admin/v2/", map[string]any{"action": "get_task", "id_task": -1}, admin},
		{"bad multipart", "POST", "/api/admin/v2/", []byte("--x\r\nnonsense"), http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}},
		{"bad percent in query", "GET", "/api/admin/v2/?action=get_users&x=%zz&hash=abc", nil, nil},
		{"bad percent in form", "POST", "/api/oauth2", []byte("action=me&x=%zz"), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
		{"hash only", "GET", "/api/admin/v2/?hash=", nil, nil},
		{"time not a number", "GET", "/api/admin/v2.1?action=get_users&hash=ab&time=soon", nil, nil},
		{"time overflow", "GET", "/api/admin/v2.1?action=get_users&hash=ab&time=99999999999999999999", nil, nil},
		{"Admin header no ts", "GET", "/api/admin/v2/?action=get_users", nil, http.Header{"Authorization": {"Admin _"}}},
		{"Bearer empty", "GET", "/api/oauth2?action=me", nil, http.Header{"Authorization": {"Bearer "}}},
		{"unicode everywhere", "POST", "/api/oauth2", map[string]any{"action": "add_user", "email": "ü@ü.example", "group": "\u0000"}, bearer},
		{"invalid UTF-8", "GET", "/api/oauth2?action=add_contact_group&title=%FF%FE", nil, bearer},
		{"NUL in query", "GET", "/api/oauth2?action=add_user&email=a%00@example.com", nil, bearer},
		{"NUL in name", "POST", "/api/oauth2", map[string]any{"action": "get_users", "a\u0000b": "x"}, bearer},
		{"oauth NUL", "GET", "/oauth2/token?grant_type=client_credentials&client_id=%00", nil, nil},
		{"long values", "POST", "/api/oauth2", map[string]any{"action": "add_contact_group", "title": strings.Repeat("x", 100000)}, bearer},
		{"oauth JSON syntax", "POST", "/oauth2/token", []byte(`{"grant_type":`), http.Header{"Content-Type": {"application/json"}}},
		{"oauth huge body", "POST", "/oauth2/token", []byte("a=" + strings.Repeat("b", 11<<20)), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(t, tt.method, c.base+tt.path, tt.body, tt.header)
			if res.StatusCode >= 500 {
				t.Fatalf("%d: %s", res.StatusCode, res.Body)
			}
			t.Logf("%d %.150s", res.StatusCode, res.Body)
			m := res.JSON(t)
			if m["status"] != "error" && m["error"] == nil && m["status"] != "ok" {
				t.Fatalf("not an envelope: %s", res.Body)
			}
		})
	}
}

// TestFixture loads a seed document and checks its entities, and refuses a
// bad one with 400.
func TestFixture(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	doc := `
worksection:
  owner: {first_name: Ada, last_name: Byron, phone: "+44 1"}
  teams: [{id: 10, title: Ops, client: 0}]
  users:
    - {id: 20, email: grace@example.com, first_name: Grace, last_name: Hopper, group: Ops, role: team admin, rate: 12.5}
  contact_folders: [{title: Press}]
  contacts: [{email: lois@planet.example, name: Lois Lane, group: Press, phone4: "555"}]
  projects: [{id: 7, name: Launch, user_from: grace@example.com}]
  tasks:
    - {id: 70, project: 7, name: Countdown, user_to: grace@example.com, subscribers: [grace@example.com]}
`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed", doc, nil).Decode(t, 200, nil)
	var users []userJSON
	mustOK(t, c.admin("get_users", nil), &users)
	if len(users) != 2 || users[0].Name != "Ada Byron" || users[0].Phone == nil || users[1].ID != "20" ||
		users[1].Group != "Ops" || users[1].Role != "team admin" || users[1].Rate == nil || *users[1].Rate != 12.5 {
		t.Fatalf("users: %+v", users)
	}
	var tk taskJSON
	mustOK(t, c.admin("get_task", url.Values{"id_task": {"70"}, "extra": {"subscribers"}}), &tk)
	if tk.Project.Name != "Launch" || tk.UserFrom.Email != "owner@standin.example" || len(tk.subscriberEmails()) != 1 {
		t.Fatalf("task: %+v", tk)
	}
	// New ids continue after the fixture's.
	var u userJSON
	mustOK(t, c.admin("add_user", url.Values{"email": {"next@example.com"}}), &u)
	if u.ID != "21" {
		t.Fatalf("next user id %s", u.ID)
	}
	// Reset replays the fixture.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
	mustOK(t, c.admin("get_users", nil), &users)
	if len(users) != 2 {
		t.Fatalf("after reset: %+v", users)
	}
	for _, bad := range []string{
		`{"worksection": {"users": [{"email": "nope"}]}}`,
		`{"worksection": {"users": [{"email": "a@example.com", "role": "owner"}]}}`,
		`{"worksection": {"tasks": [{"project": 99, "name": "x"}]}}`,
		`{"worksection": {"bogus": 1}}`,
	} {
		res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed", bad, nil)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
	// Clashes with existing rows are 409s.
	for _, clash := range []string{
		`{"worksection": {"teams": [{"title": "Ops"}]}}`,
		`{"worksection": {"users": [{"email": "grace@example.com"}]}}`,
	} {
		res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed", clash, nil)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("%s: %d %s", clash, res.StatusCode, res.Body)
		}
	}
}

// TestDemoSeed: the demo account is usable end to end.
func TestDemoSeed(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "demo")
	var users, contacts []map[string]any
	mustOK(t, c.admin("get_users", nil), &users)
	mustOK(t, c.admin("get_contacts", nil), &contacts)
	if len(users) != 6 || len(contacts) != 3 {
		t.Fatalf("demo: %d users, %d contacts", len(users), len(contacts))
	}
	var tasks []taskJSON
	mustOK(t, c.admin("get_tasks", url.Values{"id_project": {"1"}, "extra": {"subscribers"}}), &tasks)
	if len(tasks) != 3 || len(tasks[0].subscriberEmails()) != 2 {
		t.Fatalf("demo tasks: %+v", tasks)
	}
}

func BenchmarkGetUsers(b *testing.B) {
	env := start(b)
	c := newClient(b, env, "demo")
	for b.Loop() {
		c.admin("get_users", nil)
	}
}

func BenchmarkSubscribe(b *testing.B) {
	env := start(b)
	c := newClient(b, env, "demo")
	p := url.Values{"id_task": {"1"}, "email_user": {"noah.kim@brightside.example"}}
	for b.Loop() {
		c.admin("subscribe", p)
	}
}

// TestConcurrentGetOrCreate: racing requests for one new team, folder or
// user email all get an answer, never a 500, and make one entity.
func TestConcurrentGetOrCreate(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	type call struct {
		action string
		params url.Values
	}
	calls := []call{
		{"add_user_group", url.Values{"title": {"Race"}}},
		{"add_contact_group", url.Values{"title": {"Race"}}},
		{"add_user", url.Values{"email": {"race@example.com"}}},
	}
	for _, cl := range calls {
		const n = 8
		results := make(chan *testenv.Response, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() { results <- c.admin(cl.action, cl.params) })
		}
		wg.Wait()
		close(results)
		ids := map[string]bool{}
		for res := range results {
			var e envelope
			res.Decode(t, http.StatusOK, &e)
			switch {
			case e.Status == "ok":
				var d map[string]any
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				ids[d["id"].(string)] = true
			case cl.action != "add_user" || e.StatusCode != 7:
				t.Errorf("%s: %s", cl.action, res.Body)
			}
		}
		if len(ids) != 1 {
			t.Errorf("%s made %d entities", cl.action, len(ids))
		}
	}
}

// TestLengthLimits: every string an action stores has a maximum length
// (255 for names, titles, phones and addresses; RFC 5321 for emails: 64
// characters before the @, 254 in all; docs/decisions.md). A longer one is
// "Invalid parameter value" (status_code 5) and stores nothing.
func TestLengthLimits(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "docs")
	long := strings.Repeat("x", 256)
	local64 := strings.Repeat("l", 64)
	tests := []struct {
		name   string
		action string
		params url.Values
		code   int // 0: accepted
	}{
		{"user first_name", "add_user", url.Values{"email": {"u1@example.com"}, "first_name": {long}}, 5},
		{"user last_name", "add_user", url.Values{"email": {"u2@example.com"}, "last_name": {long}}, 5},
		{"user title", "add_user", url.Values{"email": {"u3@example.com"}, "title": {long}}, 5},
		{"user department", "add_user", url.Values{"email": {"u4@example.com"}, "department": {long}}, 5},
		{"user group", "add_user", url.Values{"email": {"u5@example.com"}, "group": {long}}, 5},
		{"user email local part 65", "add_user", url.Values{"email": {local64 + "l@example.com"}}, 5},
		{"user email local part 5000", "add_user", url.Values{"email": {strings.Repeat("l", 5000) + "@example.com"}}, 5},
		{"user email 255", "add_user", url.Values{"email": {"a@" + strings.Repeat("d", 249) + ".com"}}, 5},
		{"team title", "add_user_group", url.Values{"title": {long}}, 5},
		{"team title 100000", "add_user_group", url.Values{"title": {strings.Repeat("x", 100000)}}, 5},
		{"contact name", "add_contact", url.Values{"email": {"c1@example.com"}, "name": {long}}, 5},
		{"contact title", "add_contact", url.Values{"email": {"c2@example.com"}, "name": {"A B"}, "title": {long}}, 5},
		{"contact group", "add_contact", url.Values{"email": {"c3@example.com"}, "name": {"A B"}, "group": {long}}, 5},
		{"contact phone", "add_contact", url.Values{"email": {"c4@example.com"}, "name": {"A B"}, "phone": {long}}, 5},
		{"contact phone4", "add_contact", url.Values{"email": {"c5@example.com"}, "name": {"A B"}, "phone4": {long}}, 5},
		{"contact address2", "add_contact", url.Values{"email": {"c6@example.com"}, "name": {"A B"}, "address2": {long}}, 5},
		{"contact email", "add_contact", url.Values{"email": {local64 + "l@example.com"}, "name": {"A B"}}, 5},
		{"folder title", "add_contact_group", url.Values{"title": {long}}, 5},
		{"at the limits", "add_user", url.Values{"email": {local64 + "@example.com"}, "first_name": {long[1:]},
			"last_name": {strings.Repeat("é", 255)}, "group": {long[1:]}}, 0},
		{"contact at the limits", "add_contact", url.Values{"email": {"c9@example.com"}, "name": {long[1:]},
			"phone": {long[1:]}, "address": {long[1:]}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.admin(tt.action, tt.params)
			if tt.code == 0 {
				mustOK(t, res, nil)
				return
			}
			mustFail(t, res, tt.code)
		})
	}
	// Nothing refused was stored: 2 users and 2 contacts were accepted.
	var users, contacts []map[string]any
	mustOK(t, c.admin("get_users", nil), &users)
	mustOK(t, c.admin("get_contacts", nil), &contacts)
	for _, u := range users {
		if s, _ := u["email"].(string); strings.HasPrefix(s, "u") && strings.HasSuffix(s, "@example.com") && len(s) < 20 {
			t.Errorf("refused user stored: %v", u)
		}
	}
	for _, ct := range contacts {
		if s, _ := ct["email"].(string); strings.HasPrefix(s, "c") && s != "c9@example.com" && strings.HasSuffix(s, "@example.com") && len(s) < 20 {
			t.Errorf("refused contact stored: %v", ct)
		}
	}
}

// TestFixtureLengths: a seed document is held to the API's limits.
func TestFixtureLengths(t *testing.T) {
	env := start(t)
	c := newClient(t, env, "empty")
	long := strings.Repeat("x", 256)
	for _, doc := range []string{
		`{"worksection":{"teams":[{"title":"` + long + `"}]}}`,
		`{"worksection":{"contact_folders":[{"title":"` + long + `"}]}}`,
		`{"worksection":{"users":[{"email":"u@example.com","first_name":"` + long + `"}]}}`,
		`{"worksection":{"owner":{"phone":"` + long + `"}}}`,
		`{"worksection":{"contacts":[{"email":"c@example.com","name":"` + long + `"}]}}`,
		`{"worksection":{"contacts":[{"email":"c@example.com","name":"A B","address2":"` + long + `"}]}}`,
	} {
		env.Do(t, "POST", env.Control+"/_standin/namespaces/"+c.ns.ID+"/seed", doc, nil).Decode(t, http.StatusBadRequest, nil)
	}
}
