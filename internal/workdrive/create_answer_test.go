package workdrive_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// rawObject decodes a JSON object into its members' raw bytes.
func rawObject(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}

// sameMembers fails unless every member of want but those skipped is in
// got with the same bytes, and got has no other member.
func sameMembers(t *testing.T, what string, want, got map[string]json.RawMessage, skip ...string) {
	t.Helper()
	skipped := map[string]bool{}
	for _, k := range skip {
		skipped[k] = true
	}
	for k, w := range want {
		if skipped[k] {
			continue
		}
		if g, ok := got[k]; !ok || !bytes.Equal(w, g) {
			t.Errorf("%s: %s is %s in the create answer, %s after", what, k, w, g)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && !skipped[k] {
			t.Errorf("%s: %s only after the create", what, k)
		}
	}
}

// TestUserCreateAnswerMatchesReads: the create answer is built from what
// was written, without reading it back; it must be the bytes that the
// users list (the User) and a PATCH without changes (the relations, read
// back from the database) answer for the same user.
func TestUserCreateAnswerMatchesReads(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	for i, body := range []map[string]any{
		{"email": "plain@example.com", "firstName": "Plain", "lastName": "User"},
		{"email": "full@example.com", "firstName": "Full", "phone": "+1 555", "designation": "Analyst", "externalUserId": "ext-1",
			"department": opsDeptID, "isDepartmentHead": true, "location": californiaID, "addAdditionalLocations": []string{newYorkID},
			"addAdditionalTeams": []string{johnID}, "securityGroup": everyoneSG, "skill": []string{"go", "sql"}, "defaultVisibility": "restricted"},
		{"email": "teams@example.com", "reportsTo": mariaID, "addAdditionalTeams": []string{liID, johnID, graceID, johnID}},
		{"email": "locations@example.com", "addAdditionalLocations": []string{newYorkID, californiaID}},
		{"email": "by-name@example.com", "department": "Development", "location": newYorkID, "addAdditionalLocations": []string{californiaID, newYorkID}},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			res := admin.do("POST", "/api/users/add", body)
			if res.StatusCode != 201 {
				t.Fatalf("create: %d %s", res.StatusCode, res.Body)
			}
			created := rawObject(t, res.Body)
			var id string
			if err := json.Unmarshal(created["id"], &id); err != nil {
				t.Fatal(err)
			}
			var page struct{ Users []json.RawMessage }
			admin.must(200, "GET", "/api/users?per_page=1000", nil, &page)
			var listed map[string]json.RawMessage
			for _, raw := range page.Users {
				if m := rawObject(t, raw); string(m["id"]) == string(created["id"]) {
					listed = m
				}
			}
			if listed == nil {
				t.Fatalf("user %s not listed", id)
			}
			sameMembers(t, "list", created, listed, "teamMembers", "userAdditionalTeams", "addAdditionalLocations", "reportsToObj")
			res = admin.do("PATCH", "/api/users/"+id, map[string]any{})
			if res.StatusCode != 200 {
				t.Fatalf("patch: %d %s", res.StatusCode, res.Body)
			}
			sameMembers(t, "patch", created, rawObject(t, res.Body), "updatedAt", "updatedBy", "badges")
		})
	}
}

// TestPostCreateAnswerMatchesList: a post's create answer is the bytes the
// feed shows for it.
func TestPostCreateAnswerMatchesList(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	for i, body := range []map[string]any{
		{"postText": "Hello"},
		{"postText": "Tagged", "tags": []string{"#a", "#b"}, "mention": janeID, "taggedUserIds": []string{johnID},
			"links": []string{"https://example.com/x"}, "location": "Berlin", "fileIds": []string{videoFileID},
			"permissions": map[string]any{"users": []string{janeID}}},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			res := admin.do("POST", "/api/posts", body)
			if res.StatusCode != 201 {
				t.Fatalf("create: %d %s", res.StatusCode, res.Body)
			}
			created := rawObject(t, res.Body)
			var page struct{ Posts []json.RawMessage }
			admin.must(200, "GET", "/api/posts?per_page=100", nil, &page)
			for _, raw := range page.Posts {
				if m := rawObject(t, raw); string(m["id"]) == string(created["id"]) {
					if !bytes.Equal(bytes.TrimSpace(res.Body), raw) {
						t.Fatalf("create answered\n%s\nthe feed shows\n%s", res.Body, raw)
					}
					return
				}
			}
			t.Fatalf("post %s not in the feed", created["id"])
		})
	}
}
