package clinked_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// bGuest is a Guest.
type bGuest struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	DateCreated     int64  `json:"dateCreated"`
	PasswordEnabled bool   `json:"passwordEnabled"`
	HasPassword     bool   `json:"hasPassword"`
	Shares          *[]struct {
		Group struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"group"`
		Permission int64 `json:"permission"`
	} `json:"shares"`
}

func TestGuests(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	user1 := bLogin(t, env, ns, "user1", "Passy123!")

	var pg bPage[bGuest]
	jack.decode("GET", "/v3/accounts/1/guests?name=GUEST.COM", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 || pg.Items[0].ID != 1 || pg.Items[0].Shares != nil || pg.PageSize != 10 {
		t.Fatalf("list %+v", pg)
	}
	jack.decode("GET", "/v3/accounts/1/guests?startsWith=nobody", nil, http.StatusOK, &pg)
	if len(pg.Items) != 0 || pg.TotalResults != 0 {
		t.Errorf("startsWith=nobody: %+v", pg)
	}
	var g bGuest
	jack.decode("GET", "/v3/accounts/1/guests/1", nil, http.StatusOK, &g)
	if g.Shares == nil || len(*g.Shares) != 1 || (*g.Shares)[0].Group.Name != "explore_clinked" || g.HasPassword {
		t.Errorf("get %+v", g)
	}

	jack.decode("PATCH", "/v3/accounts/1/guests/1", map[string]any{"name": "John", "email": "john@guest.com",
		"password": "guest-pass-1", "passwordEnabled": true, "deliverResetNotifications": true}, http.StatusOK, &g)
	if g.Name != "John" || g.Email != "john@guest.com" || !g.HasPassword || !g.PasswordEnabled {
		t.Errorf("update %+v", g)
	}
	if m := bMailTo(t, env, ns, "john@guest.com"); len(m) != 1 || !strings.Contains(m[0].Subject, "password") {
		t.Errorf("reset mail %+v", m)
	}
	jack.decode("PATCH", "/v3/accounts/1/guests/1", map[string]any{"passwordEnabled": false}, http.StatusOK, &g)
	if g.Name != "John" || g.PasswordEnabled || !g.HasPassword {
		t.Errorf("partial update %+v", g)
	}
	for _, body := range []any{map[string]any{"name": ""}, map[string]any{"email": "nope"}, map[string]any{"password": "short"},
		map[string]any{"passwordEnabled": "yes please"}, `{"name": }`} {
		jack.wantError("PATCH", "/v3/accounts/1/guests/1", body, http.StatusBadRequest)
	}
	user1.wantError("GET", "/v3/accounts/1/guests", nil, http.StatusForbidden)
	user1.wantError("PATCH", "/v3/accounts/1/guests/1", map[string]any{"name": "x"}, http.StatusForbidden)
	user1.wantError("DELETE", "/v3/accounts/1/guests/1", nil, http.StatusForbidden)

	jack.want("DELETE", "/v3/accounts/1/guests/1", nil, http.StatusOK)
	jack.wantError("GET", "/v3/accounts/1/guests/1", nil, http.StatusNotFound)
	jack.wantError("DELETE", "/v3/accounts/1/guests/1", nil, http.StatusNotFound)
	jack.wantError("GET", "/v3/accounts/1/guests/abc", nil, http.StatusBadRequest)
	jack.decode("GET", "/v3/accounts/1/guests", nil, http.StatusOK, &pg)
	if pg.TotalResults != 0 {
		t.Errorf("guests after delete: %+v", pg)
	}
}

// A guest user (from a group invite) is managed through the guests
// endpoints: a new password works for the password grant, and deleting the
// guest takes them out of the account's groups. Joining the account ends
// being a guest.
func TestGuestUsers(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	accept := func(group string, email string) {
		var invs []bGroupInvite
		maria.decode("POST", "/v3/groups/"+group+"/invites", map[string]any{"emails": []string{email}}, http.StatusOK, &invs)
		bControl(t, env, ns, "POST", "/invites/"+invs[0].InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	}
	accept("1", "zoe@partner.example")
	accept("2", "zoe@partner.example")
	var pg bPage[bGuest]
	maria.decode("GET", "/v3/accounts/1/guests?startsWith=zoe", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 || pg.Items[0].HasPassword {
		t.Fatalf("zoe as a guest: %+v", pg.Items)
	}
	path := "/v3/accounts/1/guests/" + strconv.FormatInt(pg.Items[0].ID, 10)
	var g bGuest
	maria.decode("PATCH", path, map[string]any{"password": "zoes-password", "name": "Zoe Q"}, http.StatusOK, &g)
	if !g.HasPassword || g.Name != "Zoe Q" || g.Shares == nil || len(*g.Shares) != 2 {
		t.Errorf("updated guest user %+v", g)
	}
	zoe := bLogin(t, env, ns, "zoe", "zoes-password")
	zoe.want("GET", "/v3/groups/2/members", nil, http.StatusOK)
	maria.want("DELETE", path, nil, http.StatusOK)
	maria.wantError("GET", "/v3/groups/1/members/zoe", nil, http.StatusNotFound)
	zoe.wantError("GET", "/v3/groups/2/members", nil, http.StatusNotFound)
	maria.wantError("GET", path, nil, http.StatusNotFound)

	// A guest who joins the account is a member, not a guest.
	accept("1", "yan@partner.example")
	maria.want("POST", "/v3/accounts/1/invites", map[string]any{"emails": []string{"yan@partner.example"}}, http.StatusAccepted)
	var invs bPage[bInvite]
	maria.decode("GET", "/v3/accounts/1/invites?name=yan", nil, http.StatusOK, &invs)
	maria.decode("GET", "/v3/accounts/1/guests?name=yan", nil, http.StatusOK, &pg)
	if len(pg.Items) != 1 || len(invs.Items) != 1 {
		t.Fatalf("yan: guests %+v, invites %+v", pg.Items, invs.Items)
	}
	bControl(t, env, ns, "POST", "/invites/"+invs.Items[0].InviteKey+"/accept", nil).Decode(t, http.StatusOK, nil)
	maria.decode("GET", "/v3/accounts/1/guests?name=yan", nil, http.StatusOK, &pg)
	if len(pg.Items) != 0 {
		t.Errorf("yan is a member and still a guest: %+v", pg.Items)
	}
}
