package clinked_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/clinked"
	"github.com/standin-dev/standin/internal/testenv"
)

// The invitation mail's link is a page on the Clinked port; its form
// declines (or accepts) the invite once.
func TestInvitationPage(t *testing.T) {
	env := testenv.Start(t, testenv.Only(clinked.New))
	ns := env.NewNamespace(t, "docs")
	base := ns.BaseURL("clinked")
	link := env.ClinkedInvite(t, ns, "page@example.com", "")
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
