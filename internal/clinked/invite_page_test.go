package clinked_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/clinked"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

// The invitation mail's link is a page on the Clinked port; its form
// declines (or accepts) the invite once.
func TestInvitationPage(t *testing.T) {
	env := testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor { return []vendor.Vendor{clinked.New(db, log)} })
	ns := env.NewNamespace(t, "docs")
	base := ns.BaseURL("clinked")
	auth := http.Header{"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}}
	var accounts []struct {
		ID int64 `json:"id"`
	}
	env.Do(t, "GET", base+"/v3/accounts", nil, auth).Decode(t, 200, &accounts)
	if len(accounts) == 0 {
		t.Fatal("no accounts")
	}
	res := env.Do(t, "POST", fmt.Sprintf("%s/v3/accounts/%d/invites", base, accounts[0].ID),
		map[string]any{"emails": []string{"page@example.com"}}, auth)
	if res.StatusCode != 202 {
		t.Fatalf("invite: %d %s", res.StatusCode, res.Body)
	}
	var box struct {
		Messages []struct{ To, Body string } `json:"messages"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, 200, &box)
	link := ""
	for _, m := range box.Messages {
		if i := strings.Index(m.Body, base+"/invitation/"); m.To == "page@example.com" && i >= 0 {
			link = strings.Fields(m.Body[i:])[0]
		}
	}
	if link == "" {
		t.Fatalf("no link in %+v", box.Messages)
	}
	post := func(form url.Values) (int, string) {
		res, err := http.PostForm(link, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	tests := []struct {
		name   string
		get    bool
		form   url.Values
		status int
		want   string
	}{
		{"page", true, nil, 200, `value="accept"`},
		{"no answer", false, url.Values{}, 200, "Choose Accept or Decline"},
		{"decline", false, url.Values{"answer": {"decline"}}, 200, "declined"},
		{"page after", true, nil, 200, "This invitation is declined"},
		{"answered twice", false, url.Values{"answer": {"accept"}}, 409, "already accepted or declined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var body string
			if tt.get {
				r := env.Do(t, "GET", link, nil, nil)
				status, body = r.StatusCode, string(r.Body)
			} else {
				status, body = post(tt.form)
			}
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("%d, want %d with %q:\n%s", status, tt.status, tt.want, body)
			}
		})
	}
	if r := env.Do(t, "GET", base+"/invitation/nope", nil, nil); r.StatusCode != 404 {
		t.Errorf("unknown invitation: %d", r.StatusCode)
	}
}
