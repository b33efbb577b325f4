package clinked_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestBasicMemberGetsForbidden(t *testing.T) {
	env, ns := startIn(t, "demo")
	tom := login(t, env, ns, "tom", "demo-password") // permission 1 in account 1
	tests := []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/v3/accounts/1", map[string]string{"friendlyName": "Mine now"}},
		{"GET", "/v3/accounts/1/subscription", nil},
		{"POST", "/v3/accounts/1/members", map[string]string{"username": "eve", "email": "eve@example.com"}},
		{"PATCH", "/v3/accounts/1/members/maria", map[string]any{"permission": 1}},
		{"PATCH", "/v3/accounts/1/members/tom", map[string]any{"permission": 16}},
		{"DELETE", "/v3/accounts/1/members/maria", nil},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"x@example.com"}}},
		{"GET", "/v3/accounts/1/invites", nil},
	}
	for _, tt := range tests {
		res := env.Do(t, tt.method, base(ns)+tt.path, tt.body, bearer(tom))
		if res.StatusCode != 403 || res.JSON(t)["status"] != float64(403) || res.JSON(t)["error"] != "Forbidden" {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, res.StatusCode, res.Body)
		}
	}
	// Reads stay open to members.
	for _, path := range []string{"/v3/accounts/1", "/v3/accounts/1/members", "/v3/accounts/1/members/maria",
		"/v3/accounts/1/member-tags", "/v3/accounts/1/components"} {
		if res := env.Do(t, "GET", base(ns)+path, nil, bearer(tom)); res.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Body)
		}
	}
	// Nothing changed.
	var m map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/members/tom", nil, bearer(tom)).Decode(t, http.StatusOK, &m)
	if m["permission"] != float64(1) {
		t.Errorf("tom's permission changed: %v", m["permission"])
	}
}

func TestForeignAccountIsNotFound(t *testing.T) {
	env, ns := startIn(t, "demo")
	tom := login(t, env, ns, "tom", "demo-password") // in account 1 only; account 2 exists
	for _, path := range []string{"/v3/accounts/2", "/v3/accounts/2/members", "/v3/accounts/2/members/ravi",
		"/v3/accounts/2/subscription", "/v3/accounts/2/member-tags", "/v3/accounts/2/components",
		"/v3/accounts/2/groups", "/v3/accounts/999", "/v3/accounts/999/members"} {
		res := env.Do(t, "GET", base(ns)+path, nil, bearer(tom))
		if res.StatusCode != 404 || res.JSON(t)["status"] != float64(404) {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Body)
		}
	}
	res := env.Do(t, "PATCH", base(ns)+"/v3/accounts/2", map[string]string{"name": "taken"}, bearer(tom))
	if res.StatusCode != 404 {
		t.Errorf("PATCH foreign account: %d", res.StatusCode)
	}
	var accts []map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts", nil, bearer(tom)).Decode(t, http.StatusOK, &accts)
	if len(accts) != 1 || accts[0]["id"] != float64(1) {
		t.Errorf("tom's accounts: %v", accts)
	}
	if res := env.Do(t, "GET", base(ns)+"/v3/accounts/abc", nil, bearer(tom)); res.StatusCode != 400 {
		t.Errorf("non-numeric account id: %d", res.StatusCode)
	}
}

func TestUserInSeveralAccounts(t *testing.T) {
	env, ns := startIn(t, "demo")
	var ui struct {
		Principal map[string]any `json:"principal"`
		Accounts  []struct {
			Account        map[string]any `json:"account"`
			Permission     int            `json:"permission"`
			MemberOfSpaces int            `json:"memberOfSpaces"`
			AdminInSpaces  int            `json:"adminInSpaces"`
		} `json:"accounts"`
	}
	env.Do(t, "GET", base(ns)+"/v3/userinfo", nil, bearer(token(ns))).Decode(t, http.StatusOK, &ui)
	if len(ui.Accounts) != 2 || ui.Accounts[0].Account["name"] != "northwind" || ui.Accounts[1].Account["name"] != "contoso" {
		t.Fatalf("accounts: %+v", ui.Accounts)
	}
	if a := ui.Accounts[0]; a.Permission != 16 || a.MemberOfSpaces != 2 || a.AdminInSpaces != 2 {
		t.Errorf("northwind: %+v", a)
	}
	if a := ui.Accounts[1]; a.Permission != 1 || a.MemberOfSpaces != 1 || a.AdminInSpaces != 0 {
		t.Errorf("contoso: %+v", a)
	}
	// Unset user fields are null, present.
	if v, ok := ui.Principal["address"]; !ok || v != nil {
		t.Errorf("principal.address: %v %v", v, ok)
	}
	if _, ok := ui.Principal["realName"]; ok {
		t.Error("userinfo principal has realName")
	}
	var m map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts/2/members/maria", nil, bearer(token(ns))).Decode(t, http.StatusOK, &m)
	if m["memberOfMultipleAccounts"] != true {
		t.Errorf("memberOfMultipleAccounts: %v", m["memberOfMultipleAccounts"])
	}
	var accts []map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts?enabledOnly=true", nil, bearer(token(ns))).Decode(t, http.StatusOK, &accts)
	if len(accts) != 2 {
		t.Errorf("accounts: %v", accts)
	}
}

func TestMemberLifecycle(t *testing.T) {
	env, ns := startIn(t, "docs")
	admin := bearer(token(ns))
	members := base(ns) + "/v3/accounts/1/members"
	var created map[string]any
	env.Do(t, "POST", members, map[string]any{"username": "kim", "email": "kim@example.com", "name": "Kim Lee",
		"password": "Kim-Passw0rd", "permission": 4, "assignGroups": map[string]int{"1": 8}, "tags": []string{"vip", "emea"}},
		admin).Decode(t, http.StatusOK, &created)
	user := created["user"].(map[string]any)
	if user["username"] != "kim" || created["permission"] != float64(4) || user["jobTitle"] != nil {
		t.Fatalf("created: %v", created)
	}
	if _, ok := user["jobTitle"]; !ok {
		t.Error("unset user field jobTitle is left out, want null")
	}
	for _, k := range []string{"pendingUnlock", "activationType", "assignToNewGroupsPermission"} {
		if _, ok := created[k]; ok {
			t.Errorf("unset member field %s present", k)
		}
	}
	if fmt.Sprint(created["tags"]) != "[emea vip]" {
		t.Errorf("tags: %v", created["tags"])
	}
	kimID := int(user["id"].(float64))
	groupPerm := func() int {
		res := env.Do(t, "GET", fmt.Sprintf("%s/v3/groups/1/members/%d", base(ns), kimID), nil, admin)
		if res.StatusCode == 404 {
			return 0
		}
		var gm map[string]any
		res.Decode(t, http.StatusOK, &gm)
		return int(gm["permission"].(float64))
	}
	if p := groupPerm(); p != 8 {
		t.Errorf("group permission after create: %d", p)
	}
	// The new member logs in and sees the account.
	kim := login(t, env, ns, "kim", "Kim-Passw0rd")
	if userinfoName(t, env, ns, kim) != "kim" {
		t.Error("kim cannot log in")
	}
	// Usernames are unique.
	if res := env.Do(t, "POST", members, map[string]any{"username": "kim", "email": "k2@example.com"}, admin); res.StatusCode != 409 {
		t.Errorf("duplicate username: %d %s", res.StatusCode, res.Body)
	}
	// Bad input is a 400.
	for _, body := range []any{map[string]any{"email": "x@example.com"}, map[string]any{"username": "x"},
		map[string]any{"username": "x", "email": "x@example.com", "permission": 3},
		map[string]any{"username": "x", "email": "x@example.com", "assignGroups": map[string]int{"999": 1}},
		map[string]any{"username": "x", "email": "x@example.com", "tags": "notalist"}} {
		if res := env.Do(t, "POST", members, body, admin); res.StatusCode != 400 {
			t.Errorf("%v: %d %s", body, res.StatusCode, res.Body)
		}
	}
	// Both PATCH forms on one route.
	var upd map[string]any
	env.Do(t, "PATCH", members+"/kim", map[string]any{"tags": []string{"apac"}, "lock": true, "enabled": true}, admin).Decode(t, http.StatusOK, &upd)
	if fmt.Sprint(upd["tags"]) != "[apac]" || upd["user"].(map[string]any)["locked"] != true {
		t.Errorf("update: %v", upd)
	}
	env.Do(t, "PATCH", members+"/kim", map[string]any{"assignGroups": map[string]int{"1": 16}, "assignmentNotification": true}, admin).Decode(t, http.StatusOK, nil)
	if p := groupPerm(); p != 16 {
		t.Errorf("group permission after assignGroups: %d", p)
	}
	env.Do(t, "PATCH", members+"/kim", map[string]any{"removeGroups": []int{1, 123}}, admin).Decode(t, http.StatusOK, nil)
	if p := groupPerm(); p != 0 {
		t.Errorf("group permission after removeGroups: %d", p)
	}
	// The assignment notification went to the outbox.
	out := env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil)
	if !strings.Contains(string(out.Body), "kim@example.com") || !strings.Contains(string(out.Body), "Explore Clinked") {
		t.Errorf("outbox: %s", out.Body)
	}
	// Delete removes the account membership and the group memberships.
	env.Do(t, "PATCH", members+"/kim", map[string]any{"assignGroups": map[string]int{"1": 1}}, admin).Decode(t, http.StatusOK, nil)
	res := env.Do(t, "DELETE", members+"/kim", nil, admin)
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %q", res.StatusCode, res.Body)
	}
	if res := env.Do(t, "GET", members+"/kim", nil, admin); res.StatusCode != 404 {
		t.Errorf("deleted member: %d", res.StatusCode)
	}
	if p := groupPerm(); p != 0 {
		t.Errorf("group membership survived delete: %d", p)
	}
	// The last administrator cannot leave or be demoted.
	if res := env.Do(t, "DELETE", members+"/jack", nil, admin); res.StatusCode != 409 {
		t.Errorf("delete last admin: %d", res.StatusCode)
	}
	if res := env.Do(t, "PATCH", members+"/jack", map[string]any{"permission": 1}, admin); res.StatusCode != 409 {
		t.Errorf("demote last admin: %d", res.StatusCode)
	}
	// Unknown members are 404.
	if res := env.Do(t, "PATCH", members+"/nobody", map[string]any{"tags": []string{}}, admin); res.StatusCode != 404 {
		t.Errorf("unknown member: %d", res.StatusCode)
	}
}

func TestMemberTags(t *testing.T) {
	env, ns := startIn(t, "demo")
	admin := bearer(token(ns))
	var names []string
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/member-tags", nil, admin).Decode(t, http.StatusOK, &names)
	if strings.Join(names, ",") != "client,emea,leadership,projects,sales" {
		t.Errorf("tags: %v", names)
	}
	var sum struct {
		Items []struct {
			Name    string `json:"name"`
			Members int    `json:"members"`
		} `json:"items"`
		TotalResults int `json:"totalResults"`
	}
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/member-tags?summary=true&startsWith=e", nil, admin).Decode(t, http.StatusOK, &sum)
	if sum.TotalResults != 1 || len(sum.Items) != 1 || sum.Items[0].Name != "emea" || sum.Items[0].Members != 1 {
		t.Errorf("summary: %+v", sum)
	}
	var byTag map[string][]map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/member-tags/sales,nobody", nil, admin).Decode(t, http.StatusOK, &byTag)
	if len(byTag["sales"]) != 1 || byTag["sales"][0]["username"] != "tom" || byTag["nobody"] == nil || len(byTag["nobody"]) != 0 {
		t.Errorf("tag members: %v", byTag)
	}
}

// TestMemberPagination walks 250 members page by page: every member once.
func TestMemberPagination(t *testing.T) {
	env, ns := startIn(t, "docs")
	admin := bearer(token(ns))
	for i := range 250 {
		env.Do(t, "POST", base(ns)+"/v3/accounts/1/members", map[string]any{"username": fmt.Sprintf("m%03d", i),
			"email": fmt.Sprintf("m%03d@example.com", i), "name": fmt.Sprintf("Member %d", i%7)}, admin).Decode(t, http.StatusOK, nil)
	}
	const total = 252 // with jack and user1
	for _, tt := range []struct {
		sizeParam, orderBy string
		ascending          bool
	}{{"size", "name", true}, {"pageSize", "username", false}, {"size", "dateCreated", true}} {
		seen := map[string]bool{}
		prev := ""
		for pageNo := 1; ; pageNo++ {
			q := url.Values{"page": {fmt.Sprint(pageNo)}, tt.sizeParam: {"20"}, "orderBy": {tt.orderBy},
				"ascending": {fmt.Sprint(tt.ascending)}}
			var pg struct {
				Items []struct {
					User struct{ Username string } `json:"user"`
				} `json:"items"`
				CurrentPage, TotalPages, PageSize, TotalResults int
				NextPage, PreviousPage                          bool
			}
			env.Do(t, "GET", base(ns)+"/v3/accounts/1/members?"+q.Encode(), nil, admin).Decode(t, http.StatusOK, &pg)
			if pg.CurrentPage != pageNo || pg.PageSize != 20 || pg.TotalResults != total || pg.TotalPages != 13 ||
				pg.PreviousPage != (pageNo > 1) || pg.NextPage != (pageNo < 13) {
				t.Fatalf("%v page %d envelope: %+v", tt, pageNo, pg)
			}
			for _, it := range pg.Items {
				u := it.User.Username
				if seen[u] {
					t.Fatalf("%v: %s twice", tt, u)
				}
				seen[u] = true
				if tt.orderBy == "username" && prev != "" && u > prev {
					t.Fatalf("descending username order broken: %s after %s", u, prev)
				}
				prev = u
			}
			if !pg.NextPage {
				if len(pg.Items) != total-12*20 {
					t.Errorf("last page has %d items", len(pg.Items))
				}
				break
			}
		}
		if len(seen) != total {
			t.Errorf("%v: saw %d members, want %d", tt, len(seen), total)
		}
	}
	// Filters.
	var pg struct{ TotalResults int }
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/members?name=MEMBER%203", nil, admin).Decode(t, http.StatusOK, &pg)
	if pg.TotalResults != 36 { // i%7 == 3 for i < 250
		t.Errorf("name filter: %d", pg.TotalResults)
	}
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/members?startsWith=m24", nil, admin).Decode(t, http.StatusOK, &pg)
	if pg.TotalResults != 10 {
		t.Errorf("startsWith filter: %d", pg.TotalResults)
	}
	if res := env.Do(t, "GET", base(ns)+"/v3/accounts/1/members?page=-1", nil, admin); res.StatusCode != 400 {
		t.Errorf("bad page: %d", res.StatusCode)
	}
}

func TestAccountUpdate(t *testing.T) {
	env, ns := startIn(t, "demo")
	admin := bearer(token(ns))
	var a map[string]any
	env.Do(t, "PATCH", base(ns)+"/v3/accounts/1", map[string]string{"locale": "fr_FR"}, admin).Decode(t, http.StatusOK, &a)
	if a["locale"] != "fr_FR" || a["name"] != "northwind" {
		t.Errorf("partial update: %v", a)
	}
	if res := env.Do(t, "PATCH", base(ns)+"/v3/accounts/1", map[string]string{"name": "contoso"}, admin); res.StatusCode != 409 {
		t.Errorf("taken name: %d %s", res.StatusCode, res.Body)
	}
	if res := env.Do(t, "PATCH", base(ns)+"/v3/accounts/1", map[string]string{"name": "Not A Slug"}, admin); res.StatusCode != 400 {
		t.Errorf("bad name: %d %s", res.StatusCode, res.Body)
	}
	var sub map[string]any
	env.Do(t, "GET", base(ns)+"/v3/accounts/1/subscription", nil, admin).Decode(t, http.StatusOK, &sub)
	if sub["membersUsed"] != float64(4) || sub["billingDetails"] != nil || sub["plan"] != "Premium" {
		t.Errorf("subscription: %v", sub)
	}
}
