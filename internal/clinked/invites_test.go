package clinked_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// bInvite is the part of an account Invite the tests look at.
type bInvite struct {
	Request struct {
		ID         int64   `json:"id"`
		TargetName string  `json:"targetName"`
		Status     string  `json:"status"`
		Parameters *string `json:"parameters"`
		Source     *struct {
			Username string `json:"username"`
		} `json:"source"`
		Target *struct {
			ID int64 `json:"id"`
		} `json:"target"`
	} `json:"request"`
	Permission int64 `json:"permission"`
	Groups     []struct {
		Group struct {
			ID int64 `json:"id"`
		} `json:"group"`
		Permission int64 `json:"permission"`
	} `json:"groups"`
	InviteKey string `json:"inviteKey"`
}

// invitesByEmail lists the pending account invites of account 1.
func invitesByEmail(c *bClient, q string) map[string]bInvite {
	c.t.Helper()
	var pg bPage[bInvite]
	c.decode("GET", "/v3/accounts/1/invites?size=100"+q, nil, http.StatusOK, &pg)
	if pg.TotalResults != len(pg.Items) {
		c.t.Errorf("totalResults %d for %d items", pg.TotalResults, len(pg.Items))
	}
	out := map[string]bInvite{}
	for _, it := range pg.Items {
		out[it.Request.TargetName] = it
	}
	return out
}

func TestAccountInviteAcceptedThroughControlPlane(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)

	res := maria.want("POST", "/v3/accounts/1/invites", map[string]any{
		"emails": []string{"Sam@Example.com", "lee@example.com"}, "message": "Join us", "permission": 8,
		"assignGroups": map[string]any{"1": 4, "3": "1"}, "reminder": true,
	}, http.StatusAccepted)
	if len(res.Body) != 0 {
		t.Errorf("create answered a body: %s", res.Body)
	}
	invites := invitesByEmail(maria, "&name=example.com")
	sam, lee := invites["sam@example.com"], invites["lee@example.com"]
	if sam.Request.ID == 0 || lee.Request.ID == 0 || sam.Request.ID == lee.Request.ID {
		t.Fatalf("one invite per address: %v", invites)
	}
	var params struct {
		Mask   int64            `json:"mask"`
		Groups map[string]int64 `json:"groups"`
		Extras map[string]any   `json:"extras"`
	}
	if sam.Request.Parameters == nil || json.Unmarshal([]byte(*sam.Request.Parameters), &params) != nil ||
		params.Mask != 8 || !reflect.DeepEqual(params.Groups, map[string]int64{"1": 4, "3": 1}) || params.Extras == nil {
		t.Errorf("parameters %v", sam.Request.Parameters)
	}
	if sam.Permission != 8 || len(sam.Groups) != 2 || sam.Request.Status != "NONE" || sam.Request.Source.Username != "maria" {
		t.Errorf("invite %+v", sam)
	}
	if m := bMailTo(t, env, ns, "sam@example.com"); len(m) != 1 || !strings.Contains(m[0].Body, "Join us") ||
		!strings.Contains(m[0].Body, sam.InviteKey) {
		t.Errorf("invitation mail %+v", m)
	}

	// Update takes the documented "groups" and the example's "assignGroups".
	samPath := "/v3/accounts/1/invites/" + strconv.FormatInt(sam.Request.ID, 10)
	var up bInvite
	maria.decode("PATCH", samPath, map[string]any{"permission": 1, "groups": map[string]int{"2": 16}}, http.StatusOK, &up)
	if up.Permission != 1 || len(up.Groups) != 1 || up.Groups[0].Group.ID != 2 || up.Groups[0].Permission != 16 {
		t.Errorf("update with groups: %+v", up)
	}
	maria.decode("PATCH", samPath, map[string]any{"assignGroups": map[string]int{"1": 8, "2": 4}, "resend": true}, http.StatusOK, &up)
	if up.Permission != 1 || len(up.Groups) != 2 || *up.Request.Parameters != `{"mask":1,"groups":{"1":8,"2":4},"extras":{}}` {
		t.Errorf("update with assignGroups: %+v %s", up, *up.Request.Parameters)
	}
	if m := bMailTo(t, env, ns, "sam@example.com"); len(m) != 2 {
		t.Errorf("resend: %d mails", len(m))
	}

	// Accepting (by key) makes the user, the account membership and the
	// invited group memberships.
	res = bControl(t, env, ns, "POST", "/invites/"+sam.InviteKey+"/accept",
		map[string]string{"username": "sam", "name": "Sam Smith", "password": "s3cret-Pass"})
	var acc struct {
		Status string `json:"status"`
		User   struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
			Created  bool   `json:"created"`
		} `json:"user"`
	}
	res.Decode(t, http.StatusOK, &acc)
	if acc.Status != "accepted" || acc.User.Username != "sam" || !acc.User.Created {
		t.Fatalf("accept: %s", res.Body)
	}
	sam2 := bLogin(t, env, ns, "sam", "s3cret-Pass")
	for gid, perm := range map[string]int64{"1": 8, "2": 4} {
		var m struct {
			Permission int64 `json:"permission"`
			User       struct {
				Username string `json:"username"`
			} `json:"user"`
		}
		maria.decode("GET", "/v3/groups/"+gid+"/members/sam", nil, http.StatusOK, &m)
		if m.Permission != perm {
			t.Errorf("group %s: permission %d, want %d", gid, m.Permission, perm)
		}
	}
	var pg bPage[bGroup]
	sam2.decode("GET", "/v3/accounts/1/groups", nil, http.StatusOK, &pg) // an account member now
	if got := groupNames(pg.Items); !reflect.DeepEqual(got, []string{"client_onboarding", "project_apollo"}) {
		t.Errorf("the new member's groups: %v", got)
	}
	sam2.wantError("GET", "/v3/accounts/1/invites", nil, http.StatusForbidden) // permission 1
	maria.wantError("GET", samPath, nil, http.StatusNotFound)                  // no longer pending
	if _, ok := invitesByEmail(maria, "")["sam@example.com"]; ok {
		t.Error("the accepted invite is still listed")
	}
	if m := bMailTo(t, env, ns, "maria.lopez@northwind.example"); len(m) != 1 || !strings.Contains(m[0].Subject, "accepted") {
		t.Errorf("inviter's notification %+v", m)
	}
	bControl(t, env, ns, "POST", "/invites/"+sam.InviteKey+"/accept", nil).Decode(t, http.StatusConflict, nil)

	// Declining (by id) makes nothing.
	leeID := strconv.FormatInt(lee.Request.ID, 10)
	bControl(t, env, ns, "POST", "/invites/"+leeID+"/decline", nil).Decode(t, http.StatusOK, nil)
	bControl(t, env, ns, "POST", "/invites/"+leeID+"/accept", nil).Decode(t, http.StatusConflict, nil)
	if _, ok := invitesByEmail(maria, "")["lee@example.com"]; ok {
		t.Error("the declined invite is still listed")
	}
	maria.wantError("GET", "/v3/accounts/1/members/lee", nil, http.StatusNotFound)
	bControl(t, env, ns, "POST", "/invites/999/accept", nil).Decode(t, http.StatusNotFound, nil)
	bControl(t, env, ns, "POST", "/invites/1/accept?kind=team", nil).Decode(t, http.StatusBadRequest, nil)
}

// An invite for an address that already has a user (in another account)
// makes that user a member; nothing new is created.
func TestAccountInviteOfExistingUser(t *testing.T) {
	env, ns := startIn(t, "demo")
	ravi := bLogin(t, env, ns, "ravi", "demo-password")
	ravi.want("POST", "/v3/accounts/2/invites", map[string]any{"emails": []string{"tom.chen@northwind.example"},
		"assignGroups": map[string]int{"4": 1}}, http.StatusAccepted)
	var pg bPage[bInvite]
	ravi.decode("GET", "/v3/accounts/2/invites?startsWith=TOM", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 || pg.Items[0].Request.Target == nil || pg.Items[0].Request.Target.ID != 2 {
		t.Fatalf("invite of an existing user: %+v", pg.Items)
	}
	bControl(t, env, ns, "POST", "/invites/"+pg.Items[0].InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	tom := bLogin(t, env, ns, "tom", "demo-password")
	var groups bPage[bGroup]
	tom.decode("GET", "/v3/accounts/2/groups", nil, http.StatusOK, &groups)
	if got := groupNames(groups.Items); !reflect.DeepEqual(got, []string{"shared_docs"}) {
		t.Errorf("tom's groups in account 2: %v", got)
	}
	// Inviting a member again is a conflict; a repeat invite of a pending
	// address renews it.
	ravi.wantError("POST", "/v3/accounts/2/invites", map[string]any{"emails": []string{"tom.chen@northwind.example"}}, http.StatusConflict)
	ravi.want("POST", "/v3/accounts/2/invites", map[string]any{"emails": []string{"new@contoso.example"}}, http.StatusAccepted)
	ravi.want("POST", "/v3/accounts/2/invites", map[string]any{"emails": []string{"new@contoso.example"}, "permission": 4}, http.StatusAccepted)
	ravi.decode("GET", "/v3/accounts/2/invites?name=new@", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 || pg.Items[0].Permission != 4 {
		t.Errorf("repeat invite: %+v", pg.Items)
	}
	// Contoso's plan allows 25 members: 3 now (ravi, maria, tom) and 1
	// pending invite leave room for 21 more invites.
	emails := make([]string, 22)
	for i := range emails {
		emails[i] = "p" + strconv.Itoa(i) + "@contoso.example"
	}
	ravi.wantError("POST", "/v3/accounts/2/invites", map[string]any{"emails": emails}, http.StatusBadRequest)
	ravi.want("POST", "/v3/accounts/2/invites", map[string]any{"emails": emails[:21]}, http.StatusAccepted)
	ravi.want("POST", "/v3/accounts/2/invites", map[string]any{"emails": emails[:21], "permission": 4}, http.StatusAccepted)
	ravi.wantError("POST", "/v3/accounts/2/invites", map[string]any{"emails": emails[21:]}, http.StatusBadRequest)
}

func TestAccountInviteValidation(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	user1 := bLogin(t, env, ns, "user1", "Passy123!")
	tests := []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/v3/accounts/1/invites", map[string]any{}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{}}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": "a@b.example"}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"not-an-address"}}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"a@b.example"}, "permission": 3}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"a@b.example"}, "assignGroups": map[string]int{"1": 2}}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"a@b.example"}, "assignGroups": map[string]int{"77": 1}}, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"a@b.example"}, "assignGroups": []int{1}}, 400},
		{"POST", "/v3/accounts/1/invites", `{"emails": [`, 400},
		{"POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"user1@clinked.com"}}, 409},
		{"PATCH", "/v3/accounts/1/invites/1", map[string]any{"permission": "admin"}, 400},
		{"PATCH", "/v3/accounts/1/invites/1", map[string]any{"groups": map[string]int{"1": 5}}, 400},
		{"PATCH", "/v3/accounts/1/invites/1", map[string]any{"resend": "often"}, 400},
		{"PATCH", "/v3/accounts/1/invites/x", map[string]any{}, 400},
		{"GET", "/v3/accounts/1/invites/99", nil, 404},
		{"DELETE", "/v3/accounts/1/invites/99", nil, 404},
		{"GET", "/v3/accounts/2/invites", nil, 404},
	}
	for _, tt := range tests {
		if res := jack.do(tt.method, tt.path, tt.body); res.StatusCode != tt.status {
			t.Errorf("%s %s %v: %d, want %d; %s", tt.method, tt.path, tt.body, res.StatusCode, tt.status, res.Body)
		}
	}
	if n := len(bOutbox(t, env, ns)); n != 0 {
		t.Errorf("rejected invites sent %d mails", n)
	}
	for _, m := range []string{"GET", "DELETE"} {
		user1.wantError(m, "/v3/accounts/1/invites/1", nil, http.StatusForbidden)
	}
	user1.wantError("POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"a@b.example"}}, http.StatusForbidden)
	jack.want("DELETE", "/v3/accounts/1/invites/1", nil, http.StatusOK)
	jack.wantError("GET", "/v3/accounts/1/invites/1", nil, http.StatusNotFound)
	bControl(t, env, ns, "POST", "/invites/ea4dae46-1adf-4ef9-96ec-26b1d38ebe22/accept", nil).Decode(t, http.StatusNotFound, nil)
}

// The docs seed's invite 1 targets an existing user (user 3, invitee) who
// is in no account yet; accepting it by id makes him a member of account 1
// and of group 1.
func TestSeededInviteAccept(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	res := bControl(t, env, ns, "POST", "/invites/1/accept", nil)
	var acc struct {
		User struct {
			ID      int64 `json:"id"`
			Created bool  `json:"created"`
		} `json:"user"`
		Groups []struct {
			ID         int64 `json:"id"`
			Permission int64 `json:"permission"`
		} `json:"groups"`
	}
	res.Decode(t, http.StatusOK, &acc)
	if acc.User.ID != 3 || acc.User.Created || len(acc.Groups) != 1 || acc.Groups[0].ID != 1 || acc.Groups[0].Permission != 1 {
		t.Fatalf("accept: %s", res.Body)
	}
	jack.want("GET", "/v3/accounts/1/members/invitee", nil, http.StatusOK)
	var m bMember
	jack.decode("GET", "/v3/groups/1/members/invitee", nil, http.StatusOK, &m)
	if m.Permission != 1 || m.ExpirationDate != nil {
		t.Errorf("membership %+v", m)
	}
	jack.wantError("GET", "/v3/accounts/1/invites/1", nil, http.StatusNotFound)
	// The group invite of the same id is another invite: for jack, who
	// administers group 1 already, offering a membership that ended in 2024.
	bControl(t, env, ns, "POST", "/invites/1/accept?kind=group", nil).Decode(t, http.StatusConflict, nil)
	// Accepting never lowers a membership: Mary (group 1 only) is a member
	// manager there, and an account invite offers her basic access to it.
	var m4 bMember
	jack.decode("PATCH", "/v3/groups/1/members/member", map[string]any{"permission": 8}, http.StatusOK, &m4)
	jack.want("POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"mary.member@clinked.com"},
		"permission": 1, "assignGroups": map[string]int{"1": 1}}, http.StatusAccepted)
	var pg bPage[bInvite]
	jack.decode("GET", "/v3/accounts/1/invites?name=mary", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 {
		t.Fatalf("mary's invite: %+v", pg.Items)
	}
	bControl(t, env, ns, "POST", "/invites/"+pg.Items[0].InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	jack.decode("GET", "/v3/groups/1/members/member", nil, http.StatusOK, &m4)
	if m4.Permission != 8 || m4.ExpirationDate != nil {
		t.Errorf("mary's membership after accepting: %+v", m4)
	}
	jack.want("GET", "/v3/accounts/1/members/member", nil, http.StatusOK)
}
