package clinked_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestGroupLifecycle(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)

	var g bGroup
	jack.decode("POST", "/v3/accounts/1/groups", map[string]any{
		"name": "deploy_update", "friendlyName": "Deploy update",
		"components":             []map[string]any{{"name": "tasks", "order": 2}, {"name": "files", "order": 1, "configuration": map[string]any{}}},
		"watermarkConfiguration": map[string]any{"enableWatermark": true, "watermarkStyle": "DIAGONAL_LARGE"},
	}, http.StatusOK, &g)
	if g.ID == 0 || g.Name != "deploy_update" || g.FriendlyName != "Deploy update" || g.Owner == nil || g.Owner.ID != 1 {
		t.Fatalf("created %+v", g)
	}
	if len(g.Components) != 2 || g.Components[0].Name != "files" || g.Components[1].Name != "tasks" {
		t.Errorf("components %+v, want files then tasks (by order)", g.Components)
	}
	if g.Members != 1 || len(g.MemberDetails) != 1 || g.MemberDetails[0].User.ID != 1 || g.MemberDetails[0].Permission != 16 {
		t.Errorf("the creator administers the new group: members %d, details %+v", g.Members, g.MemberDetails)
	}
	if g.WatermarkConfiguration["enableWatermark"] != true || g.WatermarkConfiguration["watermarkStyle"] != "DIAGONAL_LARGE" {
		t.Errorf("watermark %v", g.WatermarkConfiguration)
	}
	path := "/v3/accounts/1/groups/" + strconv.FormatInt(g.ID, 10)

	// The slug is unique: an explicit clash is a conflict, a derived one
	// gets a suffix.
	jack.wantError("POST", "/v3/accounts/1/groups", map[string]any{"name": "deploy_update", "friendlyName": "Again"}, http.StatusConflict)
	var derived bGroup
	jack.decode("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "Deploy update!"}, http.StatusOK, &derived)
	if derived.Name != "deploy_update_2" {
		t.Errorf("derived name %q, want deploy_update_2", derived.Name)
	}

	// Update replaces components wholesale and leaves absent fields alone.
	bAdvance(t, env, ns, "1h")
	var up bGroup
	jack.decode("PATCH", path, map[string]any{"friendlyName": "Deploys", "components": []map[string]any{{"name": "pages", "order": 0}},
		"watermarkConfiguration": map[string]any{"enableWatermarkIp": true}}, http.StatusOK, &up)
	if up.Name != "deploy_update" || up.FriendlyName != "Deploys" || len(up.Components) != 1 || up.Components[0].Name != "pages" {
		t.Errorf("updated %+v", up)
	}
	if up.WatermarkConfiguration["enableWatermark"] != true || up.WatermarkConfiguration["enableWatermarkIp"] != true {
		t.Errorf("watermark is merged, not replaced: %v", up.WatermarkConfiguration)
	}
	if up.LastModified <= g.LastModified {
		t.Errorf("lastModified %d not after %d", up.LastModified, g.LastModified)
	}
	jack.wantError("PATCH", path, map[string]any{"name": "explore_clinked"}, http.StatusConflict)
	var got bGroup
	jack.decode("GET", path, nil, http.StatusOK, &got)
	if got.FriendlyName != "Deploys" || len(got.Components) != 1 {
		t.Errorf("get after update: %+v", got)
	}

	// Delete moves the group out of the lists; removed=true shows it,
	// flagged.
	count := func(q string) int {
		res := jack.want("HEAD", "/v3/accounts/1/groups"+q, nil, http.StatusOK)
		if len(res.Body) != 0 {
			t.Errorf("HEAD answered a body: %q", res.Body)
		}
		n, err := strconv.Atoi(res.Header.Get("X-Count"))
		if err != nil {
			t.Fatalf("X-Count %q", res.Header.Get("X-Count"))
		}
		return n
	}
	if n := count(""); n != 3 {
		t.Errorf("X-Count %d, want 3", n)
	}
	jack.want("DELETE", path, nil, http.StatusOK)
	jack.wantError("GET", path, nil, http.StatusNotFound)
	jack.wantError("DELETE", path, nil, http.StatusNotFound)
	if n := count(""); n != 2 {
		t.Errorf("X-Count after delete %d, want 2", n)
	}
	if n := count("?removed=true"); n != 3 {
		t.Errorf("X-Count with removed %d, want 3", n)
	}
	var list bPage[bGroup]
	jack.decode("GET", "/v3/accounts/1/groups", nil, http.StatusOK, &list)
	if list.TotalResults != 2 || len(list.Items) != 2 {
		t.Errorf("list after delete: %v", groupNames(list.Items))
	}
	jack.decode("GET", "/v3/accounts/1/groups?removed=true&name=deploy&exact=false", nil, http.StatusOK, &list)
	removed := 0
	for _, it := range list.Items {
		if it.Removed {
			removed++
		}
	}
	if list.TotalResults != 2 || removed != 1 {
		t.Errorf("removed=true&name=deploy: %+v", list.Items)
	}
}

func TestGroupListPaginationAndFilters(t *testing.T) {
	env, ns := startIn(t, "empty")
	admin := bAdmin(t, env, ns)
	const n = 23
	ids := map[int64]bool{}
	for i := 1; i <= n; i++ {
		var g bGroup
		admin.decode("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": fmt.Sprintf("Team %02d", i)}, http.StatusOK, &g)
		ids[g.ID] = true
	}
	seen := map[int64]bool{}
	for p := 1; ; p++ {
		var pg bPage[bGroup]
		admin.decode("GET", fmt.Sprintf("/v3/accounts/1/groups?page=%d&size=5", p), nil, http.StatusOK, &pg)
		if pg.TotalResults != n || pg.TotalPages != 5 || pg.CurrentPage != p || pg.PageSize != 5 {
			t.Fatalf("page %d envelope %+v", p, pg)
		}
		for _, g := range pg.Items {
			if seen[g.ID] || !ids[g.ID] {
				t.Fatalf("page %d: group %d duplicate or unknown", p, g.ID)
			}
			seen[g.ID] = true
		}
		if pg.PreviousPage != (p > 1) {
			t.Errorf("page %d previousPage %v", p, pg.PreviousPage)
		}
		if !pg.NextPage {
			break
		}
	}
	if len(seen) != n {
		t.Errorf("walked %d groups, want %d", len(seen), n)
	}
	var pg bPage[bGroup]
	admin.decode("GET", "/v3/accounts/1/groups?orderBy=name&ascending=false&pageSize=3", nil, http.StatusOK, &pg)
	if got := groupNames(pg.Items); !reflect.DeepEqual(got, []string{"team_23", "team_22", "team_21"}) {
		t.Errorf("orderBy=name descending: %v", got)
	}
	admin.decode("GET", "/v3/accounts/1/groups?name=TEAM%2007&exact=true", nil, http.StatusOK, &pg)
	if got := groupNames(pg.Items); !reflect.DeepEqual(got, []string{"team_07"}) {
		t.Errorf("exact name: %v", got)
	}
	admin.decode("GET", "/v3/accounts/1/groups?name=team%201&exclude=11,12&exclude=13&size=100", nil, http.StatusOK, &pg)
	if pg.TotalResults != 7 { // team 10…19 without 11, 12, 13
		t.Errorf("name + exclude: %d results %v", pg.TotalResults, groupNames(pg.Items))
	}
	res := admin.want("HEAD", "/v3/accounts/1/groups?name=team%201&exclude=11,12&exclude=13", nil, http.StatusOK)
	if res.Header.Get("X-Count") != "7" {
		t.Errorf("X-Count with filters %q, want 7", res.Header.Get("X-Count"))
	}
	for _, q := range []string{"page=x", "size=-1", "ascending=maybe", "exclude=a", "removed=perhaps", "label=x", "master=y"} {
		admin.wantError("GET", "/v3/accounts/1/groups?"+q, nil, http.StatusBadRequest)
	}
}

func TestGroupReorderIsForEveryone(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	anna := bLogin(t, env, ns, "anna.client", "demo-password")
	names := func(c *bClient) []string {
		var pg bPage[bGroup]
		c.decode("GET", "/v3/accounts/1/groups", nil, http.StatusOK, &pg)
		return groupNames(pg.Items)
	}
	if got := names(maria); !reflect.DeepEqual(got, []string{"client_onboarding", "project_apollo", "board_pack"}) {
		t.Fatalf("initial order %v", got)
	}
	maria.want("PUT", "/v3/accounts/1/groups/order", `{"items": {"3": "0", "2": 1, "1": "5"}}`, http.StatusOK)
	if got := names(maria); !reflect.DeepEqual(got, []string{"board_pack", "project_apollo", "client_onboarding"}) {
		t.Errorf("admin's order after reorder %v", got)
	}
	// Anna sees only her groups, in the same order.
	if got := names(anna); !reflect.DeepEqual(got, []string{"project_apollo", "client_onboarding"}) {
		t.Errorf("member's order after reorder %v", got)
	}
	maria.wantError("PUT", "/v3/accounts/1/groups/order", `{"items": {"4": 0}}`, http.StatusBadRequest) // account 2's group
	maria.wantError("PUT", "/v3/accounts/1/groups/order", `{"items": {"1": "first"}}`, http.StatusBadRequest)
	maria.wantError("PUT", "/v3/accounts/1/groups/order", `{}`, http.StatusBadRequest)
	anna.wantError("PUT", "/v3/accounts/1/groups/order", `{"items": {"1": 0}}`, http.StatusForbidden)
}

func TestGroupDuplicate(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	jack.want("PATCH", "/v3/accounts/1/groups/1", map[string]any{"blind": true,
		"components": []map[string]any{{"name": "files", "order": 0}, {"name": "events", "order": 1}}}, http.StatusOK)
	var src, dup bGroup
	jack.decode("GET", "/v3/accounts/1/groups/1", nil, http.StatusOK, &src)
	jack.decode("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "Duplicated group", "copyFrom": 1}, http.StatusOK, &dup)
	if dup.ID == src.ID || dup.FriendlyName != "Duplicated group" || dup.Name != "duplicated_group" {
		t.Errorf("duplicate %+v", dup)
	}
	if !reflect.DeepEqual(dup.Components, src.Components) || !reflect.DeepEqual(dup.Branding, src.Branding) ||
		dup.Branding["headerColor"] != "#ffffff" {
		t.Errorf("components/branding not copied: %+v vs %+v", dup, src)
	}
	// Members are not copied: only the caller, who administers the copy.
	if src.Members != 2 || dup.Members != 1 || dup.MemberDetails[0].User.ID != 1 {
		t.Errorf("members: source %d, copy %d %+v", src.Members, dup.Members, dup.MemberDetails)
	}
	jack.wantError("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "copyFrom": 999}, http.StatusNotFound)
	jack.wantError("POST", "/v3/accounts/1/groups", map[string]any{"copyFrom": 1}, http.StatusBadRequest)
	jack.wantError("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "copyFrom": "one"}, http.StatusBadRequest)
}

func TestGroupExportMailsALink(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	res := jack.want("POST", "/v3/groups/1/export", map[string]any{"components": []string{"pages", "files"}}, http.StatusOK)
	if len(res.Body) != 0 {
		t.Errorf("export answered a body: %s", res.Body)
	}
	mails := bMailTo(t, env, ns, "jack.bauer@clinked.com")
	if len(mails) != 1 || !strings.Contains(mails[0].Body, "/exports/") || !strings.Contains(mails[0].Body, "pages, files") ||
		!strings.Contains(mails[0].Subject, "Explore Clinked") {
		t.Fatalf("export mail %+v", mails)
	}
	// Nothing named: every enabled component.
	jack.want("POST", "/v3/groups/1/export", nil, http.StatusOK)
	if mails = bMailTo(t, env, ns, "jack.bauer@clinked.com"); len(mails) != 2 || !strings.Contains(mails[1].Body, "files, pages, events, tasks") {
		t.Errorf("second export mail %+v", mails)
	}
	jack.wantError("POST", "/v3/groups/1/export", map[string]any{"components": []string{"wiki"}}, http.StatusBadRequest)
	jack.wantError("POST", "/v3/groups/1/export", map[string]any{"components": "files"}, http.StatusBadRequest)
	jack.wantError("POST", "/v3/groups/999/export", nil, http.StatusNotFound)
	if n := len(bOutbox(t, env, ns)); n != 2 {
		t.Errorf("failed exports sent mail: %d messages", n)
	}
}

// TestGroupPermissions checks the 403/404 rules with the demo accounts:
// maria administers account 1, tom and anna are basic members there (tom
// is a member manager of group 1 and a group creator in group 2), ravi
// administers account 2.
func TestGroupPermissions(t *testing.T) {
	env, ns := startIn(t, "demo")
	tom := bLogin(t, env, ns, "tom", "demo-password")
	anna := bLogin(t, env, ns, "anna.client", "demo-password")
	ravi := bLogin(t, env, ns, "ravi", "demo-password")
	tests := []struct {
		who    *bClient
		method string
		path   string
		body   any
		status int
	}{
		{tom, "POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "Mine"}, http.StatusForbidden},
		{tom, "PATCH", "/v3/accounts/1/groups/1", map[string]any{"friendlyName": "Mine"}, http.StatusForbidden},
		{tom, "DELETE", "/v3/accounts/1/groups/2", nil, http.StatusForbidden},
		{tom, "POST", "/v3/groups/1/export", nil, http.StatusForbidden},
		{tom, "PUT", "/v3/accounts/1/groups/order", `{"items": {"1": 0}}`, http.StatusForbidden},
		{tom, "GET", "/v3/accounts/1/groups/3", nil, http.StatusNotFound}, // not his group
		{tom, "GET", "/v3/accounts/1/groups/1", nil, http.StatusOK},
		{anna, "GET", "/v3/accounts/1/invites", nil, http.StatusForbidden},
		{anna, "GET", "/v3/accounts/1/guests", nil, http.StatusForbidden},
		{ravi, "GET", "/v3/accounts/1/groups", nil, http.StatusNotFound},
		{ravi, "HEAD", "/v3/accounts/1/groups", nil, http.StatusNotFound},
		{ravi, "GET", "/v3/accounts/1/groups/1", nil, http.StatusNotFound},
		{ravi, "GET", "/v3/accounts/2/groups/1", nil, http.StatusNotFound}, // account 1's group under account 2
		{ravi, "GET", "/v3/groups/1/members", nil, http.StatusNotFound},
		{ravi, "POST", "/v3/groups/1/invites", map[string]any{"emails": []string{"x@y.example"}}, http.StatusNotFound},
		{ravi, "GET", "/v3/accounts/1/invites", nil, http.StatusNotFound},
		{ravi, "GET", "/v3/accounts/1/guests/1", nil, http.StatusNotFound},
		{ravi, "GET", "/v3/accounts/2/groups/4", nil, http.StatusOK},
	}
	for _, tt := range tests {
		res := tt.who.do(tt.method, tt.path, tt.body)
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: %d, want %d; %s", tt.method, tt.path, res.StatusCode, tt.status, res.Body)
		}
	}
	var pg bPage[bGroup]
	anna.decode("GET", "/v3/accounts/1/groups", nil, http.StatusOK, &pg)
	if got := groupNames(pg.Items); !reflect.DeepEqual(got, []string{"client_onboarding", "project_apollo"}) || pg.TotalResults != 2 {
		t.Errorf("a member lists only her groups: %v (%d)", got, pg.TotalResults)
	}
}

func TestGroupMalformedBodies(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	tests := []struct {
		method, path string
		body         any
	}{
		{"POST", "/v3/accounts/1/groups", `{"friendlyName": "x"`},
		{"POST", "/v3/accounts/1/groups", `[1, 2]`},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": 5}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "  "}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "name": "Not A Slug"}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "components": "files"}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "components": []map[string]any{{"name": "wiki"}}}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "components": []map[string]any{{"name": "files"}, {"name": "files"}}}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "blind": "sometimes"}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "master": 999}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "watermarkConfiguration": []int{1}}},
		{"POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "X", "notificationsConfiguration": map[string]any{"newContent": "HOURLY"}}},
		{"PATCH", "/v3/accounts/1/groups/1", `{"friendlyName": null}`},
		{"PATCH", "/v3/accounts/1/groups/1", `not json`},
		{"PATCH", "/v3/accounts/1/groups/1", map[string]any{"master": 1}},
		{"PATCH", "/v3/accounts/1/groups/x", map[string]any{"friendlyName": "y"}},
		{"PUT", "/v3/accounts/1/groups/order", `{"items": [1]}`},
	}
	for _, tt := range tests {
		res := jack.do(tt.method, tt.path, tt.body)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %s %v: %d, want 400; %s", tt.method, tt.path, tt.body, res.StatusCode, res.Body)
		}
	}
	var g bGroup
	jack.decode("GET", "/v3/accounts/1/groups/1", nil, http.StatusOK, &g)
	if g.FriendlyName != "Explore Clinked" || g.Master != nil {
		t.Errorf("a rejected update changed the group: %+v", g)
	}
}
