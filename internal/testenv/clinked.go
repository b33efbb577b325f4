package testenv

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/outbox"
)

// Outbox returns the mail that the namespace's vendors have sent.
func (e *Env) Outbox(t testing.TB, ns *Namespace) []outbox.Message {
	t.Helper()
	var box struct {
		Messages []outbox.Message `json:"messages"`
	}
	e.Do(t, "GET", e.NamespaceURL(ns)+"/outbox", nil, nil).Decode(t, 200, &box)
	return box.Messages
}

// ClinkedInvite invites email to the namespace's first Clinked account,
// with message when it is not empty, and returns the invitation page's
// link from the mail sent to email. Anything missing fails t.
func (e *Env) ClinkedInvite(t testing.TB, ns *Namespace, email, message string) string {
	t.Helper()
	base := ns.BaseURL("clinked")
	auth := http.Header{"Authorization": {"Bearer " + ns.Cred("clinked", "access_token")}}
	var accounts []struct {
		ID int64 `json:"id"`
	}
	e.Do(t, "GET", base+"/v3/accounts", nil, auth).Decode(t, 200, &accounts)
	if len(accounts) == 0 {
		t.Fatal("no accounts")
	}
	invite := map[string]any{"emails": []string{email}}
	if message != "" {
		invite["message"] = message
	}
	res := e.Do(t, "POST", fmt.Sprintf("%s/v3/accounts/%d/invites", base, accounts[0].ID), invite, auth)
	if res.StatusCode != 202 {
		t.Fatalf("invite: %d %s", res.StatusCode, res.Body)
	}
	mail := e.Outbox(t, ns)
	for _, m := range mail {
		if i := strings.Index(m.Body, base+"/invitation/"); m.To == email && i >= 0 {
			return strings.Fields(m.Body[i:])[0]
		}
	}
	t.Fatalf("no invitation link in %+v", mail)
	return ""
}
