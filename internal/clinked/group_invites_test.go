package clinked_test

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// bGroupInvite is a group-level Invite.
type bGroupInvite struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	Permission     int64  `json:"permission"`
	ExpirationDate *int64 `json:"expirationDate"`
	InviteKey      string `json:"inviteKey"`
	LastModified   int64  `json:"lastModified"`
}

func TestGroupInvites(t *testing.T) {
	env, ns := startIn(t, "demo")
	tom := bLogin(t, env, ns, "tom", "demo-password") // member manager of group 1
	anna := bLogin(t, env, ns, "anna.client", "demo-password")
	maria := bAdmin(t, env, ns)

	var created []bGroupInvite
	tom.decode("POST", "/v3/groups/1/invites", map[string]any{
		"emails": []string{"jo@partner.example", "kim@partner.example"}, "message": "Welcome aboard",
		"expirationTime": 3600000, "permission": 4,
	}, http.StatusOK, &created)
	if len(created) != 2 || created[0].Email != "jo@partner.example" || created[1].Email != "kim@partner.example" {
		t.Fatalf("created %+v", created)
	}
	for _, inv := range created {
		if inv.Permission != 4 || inv.ExpirationDate == nil || *inv.ExpirationDate != inv.LastModified+3600000 || len(inv.InviteKey) != 36 {
			t.Errorf("invite %+v", inv)
		}
	}
	if m := bMailTo(t, env, ns, "jo@partner.example"); len(m) != 1 || !strings.Contains(m[0].Body, "Welcome aboard") ||
		!strings.Contains(m[0].Subject, "Client Onboarding") {
		t.Errorf("invitation mail %+v", m)
	}

	var list []bGroupInvite
	tom.decode("GET", "/v3/groups/1/invites?startsWith=KIM", nil, http.StatusOK, &list)
	if len(list) != 1 || list[0].ID != created[1].ID {
		t.Errorf("startsWith: %+v", list)
	}
	tom.decode("GET", "/v3/groups/1/invites?name=partner", nil, http.StatusOK, &list)
	if len(list) != 2 {
		t.Errorf("name: %+v", list)
	}
	path := "/v3/groups/1/invites/" + strconv.FormatInt(created[0].ID, 10)
	var got bGroupInvite
	tom.decode("GET", path, nil, http.StatusOK, &got)
	if !reflect.DeepEqual(got, created[0]) {
		t.Errorf("get %+v, want %+v", got, created[0])
	}
	tom.decode("PATCH", path, map[string]any{"permission": 1}, http.StatusOK, &got)
	if got.Permission != 1 || got.InviteKey != created[0].InviteKey {
		t.Errorf("update %+v", got)
	}
	tom.wantError("PATCH", path, map[string]any{"permission": 16}, http.StatusForbidden) // above his own
	tom.wantError("PATCH", path, map[string]any{"permission": 2}, http.StatusBadRequest)
	tom.wantError("PATCH", path, map[string]any{"expirationTime": -5}, http.StatusBadRequest)

	// Inviting the same address again renews the pending invite.
	var again []bGroupInvite
	tom.decode("POST", "/v3/groups/1/invites", map[string]any{"emails": []string{"JO@partner.example"}}, http.StatusOK, &again)
	if len(again) != 1 || again[0].ID != created[0].ID || again[0].ExpirationDate != nil {
		t.Errorf("renewed %+v", again)
	}
	// Members and non-managers.
	tom.wantError("POST", "/v3/groups/1/invites", map[string]any{"emails": []string{"anna@fabrikam.example"}}, http.StatusConflict)
	anna.wantError("GET", "/v3/groups/1/invites", nil, http.StatusForbidden)
	anna.wantError("POST", "/v3/groups/1/invites", map[string]any{"emails": []string{"x@y.example"}}, http.StatusForbidden)
	for _, body := range []any{map[string]any{}, map[string]any{"emails": []string{"bad"}}, `{"emails": 1}`, `{`,
		map[string]any{"emails": []string{"a@b.example"}, "expirationTime": "later"}} {
		tom.wantError("POST", "/v3/groups/1/invites", body, http.StatusBadRequest)
	}

	// Accepting a group invite makes a group member, not an account member,
	// whose membership ends when the invite said.
	bControl(t, env, ns, "POST", "/invites/"+created[1].InviteKey+"/accept",
		map[string]string{"password": "kims-password"}).Decode(t, http.StatusOK, nil)
	var m bMember
	maria.decode("GET", "/v3/groups/1/members/kim", nil, http.StatusOK, &m)
	if m.Permission != 4 || m.ExpirationDate == nil || *m.ExpirationDate != *created[1].ExpirationDate {
		t.Errorf("member from invite %+v", m)
	}
	kim := bLogin(t, env, ns, "kim", "kims-password")
	kim.want("GET", "/v3/groups/1/members", nil, http.StatusOK)
	kim.wantError("GET", "/v3/accounts/1/groups", nil, http.StatusNotFound) // not in the account
	tom.decode("GET", "/v3/groups/1/invites", nil, http.StatusOK, &list)
	if len(list) != 1 || list[0].ID != created[0].ID {
		t.Errorf("pending after accept: %+v", list)
	}
	// So Kim is one of the account's guests, sharing group 1.
	var guests bPage[bGuest]
	maria.decode("GET", "/v3/accounts/1/guests?name=kim", nil, http.StatusOK, &guests)
	if len(guests.Items) != 1 || guests.Items[0].Email != "kim@partner.example" || !guests.Items[0].HasPassword {
		t.Fatalf("kim as a guest: %+v", guests)
	}
	var guest bGuest
	maria.decode("GET", "/v3/accounts/1/guests/"+strconv.FormatInt(guests.Items[0].ID, 10), nil, http.StatusOK, &guest)
	if guest.Shares == nil || len(*guest.Shares) != 1 || (*guest.Shares)[0].Group.ID != 1 || (*guest.Shares)[0].Permission != 4 {
		t.Errorf("kim's shares %+v", guest.Shares)
	}
	bAdvance(t, env, ns, "61m")
	maria.wantError("GET", "/v3/groups/1/members/kim", nil, http.StatusNotFound)
	// Her membership over, she reaches no group: no longer a guest.
	maria.decode("GET", "/v3/accounts/1/guests?name=kim", nil, http.StatusOK, &guests)
	if len(guests.Items) != 0 {
		t.Errorf("kim is still a guest: %+v", guests.Items)
	}

	// By id, a group invite needs kind=group.
	id := strconv.FormatInt(created[0].ID, 10)
	bControl(t, env, ns, "POST", "/invites/"+id+"/decline?kind=group", nil).Decode(t, http.StatusOK, nil)
	maria.wantError("GET", path, nil, http.StatusNotFound)
	maria.want("DELETE", "/v3/groups/2/invites/1", nil, http.StatusOK)
	maria.wantError("DELETE", "/v3/groups/2/invites/1", nil, http.StatusNotFound)
	maria.wantError("GET", "/v3/groups/1/invites/999", nil, http.StatusNotFound)
}
