package clinked_test

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// bMember is the part of a GroupMember the tests look at.
type bMember struct {
	User struct {
		ID       int64   `json:"id"`
		Username string  `json:"username"`
		Email    string  `json:"email"`
		Address  *string `json:"address"`
	} `json:"user"`
	Permission     int64     `json:"permission"`
	ExpirationDate *int64    `json:"expirationDate"`
	RestrictedApps *[]string `json:"restrictedApps"`
	Group          struct {
		ID      int64 `json:"id"`
		Members int64 `json:"members"`
	} `json:"group"`
}

func memberNames(ms []bMember) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.User.Username)
	}
	sort.Strings(out)
	return out
}

func TestGroupMembers(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	tom := bLogin(t, env, ns, "tom", "demo-password")
	anna := bLogin(t, env, ns, "anna.client", "demo-password")

	var pg bPage[bMember]
	anna.decode("GET", "/v3/groups/1/members", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"anna.client", "maria", "tom"}) || pg.TotalResults != 3 ||
		pg.PageSize != 25 || pg.Items[0].Group.ID != 1 || pg.Items[0].Group.Members != 3 {
		t.Fatalf("members of group 1: %v %+v", got, pg)
	}
	anna.decode("GET", "/v3/groups/1/members?name=NORTHWIND&exclude=1", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"tom"}) {
		t.Errorf("name + exclude: %v", got)
	}

	var m bMember
	anna.decode("GET", "/v3/groups/1/members/2", nil, http.StatusOK, &m)
	if m.User.Username != "tom" || m.Permission != 8 || m.RestrictedApps == nil {
		t.Errorf("get by id: %+v", m)
	}
	anna.decode("GET", "/v3/groups/1/members/tom", nil, http.StatusOK, &m) // or by username
	anna.wantError("GET", "/v3/groups/1/members/4", nil, http.StatusNotFound)

	// Member managers change permissions up to their own, with an expiry.
	exp := env.Clock.Now().Add(48 * time.Hour).UnixMilli()
	tom.decode("PATCH", "/v3/groups/1/members/5", map[string]any{"permission": 4, "expirationDate": exp}, http.StatusOK, &m)
	if m.Permission != 4 || m.ExpirationDate == nil || *m.ExpirationDate != exp {
		t.Errorf("update: %+v", m)
	}
	if mails := bMailTo(t, env, ns, "anna@fabrikam.example"); len(mails) != 1 || !strings.Contains(mails[0].Body, "group creator") {
		t.Errorf("member notification %+v", mails)
	}
	tom.wantError("PATCH", "/v3/groups/1/members/5", map[string]any{"permission": 16}, http.StatusForbidden)
	tom.wantError("PATCH", "/v3/groups/1/members/1", map[string]any{"permission": 1}, http.StatusForbidden) // maria is above him
	anna.wantError("PATCH", "/v3/groups/1/members/2", map[string]any{"permission": 1}, http.StatusForbidden)
	for _, body := range []any{map[string]any{"permission": 3}, map[string]any{"expirationDate": "soon"}, `{"permission":`, `[]`} {
		tom.wantError("PATCH", "/v3/groups/1/members/5", body, http.StatusBadRequest)
	}

	// The membership ends on the namespace's clock.
	bAdvance(t, env, ns, "49h")
	maria.decode("GET", "/v3/groups/1/members", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"maria", "tom"}) {
		t.Errorf("after anna's membership expired: %v", got)
	}
	maria.wantError("GET", "/v3/groups/1/members/5", nil, http.StatusNotFound)
	maria.decode("PATCH", "/v3/groups/1/members/2", map[string]any{"expirationDate": nil, "permission": 8}, http.StatusOK, &m)
	if m.ExpirationDate != nil {
		t.Errorf("null expirationDate keeps an expiry: %+v", m)
	}

	// Delete: managers remove members below them; a member may leave.
	tom = bLogin(t, env, ns, "tom", "demo-password") // his token expired with the clock
	maria.want("DELETE", "/v3/groups/2/members/5", nil, http.StatusOK)
	maria.wantError("DELETE", "/v3/groups/2/members/5", nil, http.StatusNotFound)
	tom.wantError("DELETE", "/v3/groups/2/members/3", nil, http.StatusForbidden) // tom is a group creator in group 2
	tom.want("DELETE", "/v3/groups/2/members/tom", nil, http.StatusOK)
	tom.wantError("GET", "/v3/groups/2/members", nil, http.StatusNotFound) // no longer his group
	maria.decode("GET", "/v3/groups/2/members", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"priya"}) {
		t.Errorf("group 2 after deletes: %v", got)
	}
}

// TestGroupMembersPaged walks a large group to the end.
func TestGroupMembersPaged(t *testing.T) {
	env, ns := startIn(t, "empty")
	admin := bAdmin(t, env, ns)
	var g bGroup
	admin.decode("POST", "/v3/accounts/1/groups", map[string]any{"friendlyName": "Big"}, http.StatusOK, &g)
	const n = 60
	emails := make([]string, n)
	for i := range emails {
		emails[i] = fmt.Sprintf("person%02d@example.com", i)
	}
	var invs []struct {
		InviteKey string `json:"inviteKey"`
	}
	admin.decode("POST", fmt.Sprintf("/v3/groups/%d/invites", g.ID), map[string]any{"emails": emails}, http.StatusOK, &invs)
	for _, inv := range invs {
		bControl(t, env, ns, "POST", "/invites/"+inv.InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	}
	seen := map[string]bool{}
	for p := 1; ; p++ {
		var pg bPage[bMember]
		admin.decode("GET", fmt.Sprintf("/v3/groups/%d/members?page=%d&size=7&orderBy=username", g.ID, p), nil, http.StatusOK, &pg)
		if pg.TotalResults != n+1 {
			t.Fatalf("totalResults %d, want %d", pg.TotalResults, n+1)
		}
		for _, m := range pg.Items {
			if seen[m.User.Username] {
				t.Fatalf("%s twice", m.User.Username)
			}
			seen[m.User.Username] = true
		}
		if !pg.NextPage {
			break
		}
	}
	if len(seen) != n+1 {
		t.Errorf("walked %d members, want %d", len(seen), n+1)
	}
	var got bGroup
	admin.decode("GET", fmt.Sprintf("/v3/accounts/1/groups/%d", g.ID), nil, http.StatusOK, &got)
	if got.Members != n+1 || len(got.MemberDetails) != n+1 {
		t.Errorf("group members %d, details %d", got.Members, len(got.MemberDetails))
	}
}

// In a blind group, basic members see only themselves; where details are
// hidden, they see no one's contact details.
func TestBlindGroup(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	var invs []struct {
		InviteKey string `json:"inviteKey"`
	}
	maria.decode("POST", "/v3/groups/3/invites", map[string]any{"emails": []string{"tom.chen@northwind.example"}}, http.StatusOK, &invs)
	bControl(t, env, ns, "POST", "/invites/"+invs[0].InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	tom := bLogin(t, env, ns, "tom", "demo-password")
	var pg bPage[bMember]
	tom.decode("GET", "/v3/groups/3/members", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"tom"}) || pg.Items[0].User.Email == "" {
		t.Errorf("a basic member of a blind group sees %v", pg.Items)
	}
	tom.wantError("GET", "/v3/groups/3/members/maria", nil, http.StatusNotFound)
	maria.decode("GET", "/v3/groups/3/members", nil, http.StatusOK, &pg)
	if got := memberNames(pg.Items); !reflect.DeepEqual(got, []string{"maria", "tom"}) {
		t.Errorf("the administrator sees %v", got)
	}
	maria.want("PATCH", "/v3/accounts/1/groups/3", map[string]any{"blind": false}, http.StatusOK)
	tom.decode("GET", "/v3/groups/3/members", nil, http.StatusOK, &pg)
	for _, m := range pg.Items {
		if m.User.Username == "maria" && (m.User.Email != "" || m.User.Address != nil) {
			t.Errorf("hidden details shown: %+v", m.User)
		}
	}
	if len(pg.Items) != 2 {
		t.Errorf("not blind any more, but tom sees %v", memberNames(pg.Items))
	}
}
