package lifecycle_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

// clinkedLogin gets a token with the password grant; 0 status: any error.
func clinkedLogin(t *testing.T, env *testenv.Env, n *ns, username, password string, status int) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	env.Do(t, "POST", n.BaseURL("clinked")+"/oauth/token", url.Values{"client_id": {"clinked-mobile"},
		"grant_type": {"password"}, "username": {username}, "password": {password}}, nil).Decode(t, status, &tok)
	return tok.AccessToken
}

// clinkedUpload makes a file of group 1 from a temp file and returns its
// download path.
func clinkedUpload(t *testing.T, env *testenv.Env, n *ns, tok string, content []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreatePart(map[string][]string{
		"Content-Disposition": {`form-data; name="file"; filename="report.pdf"`}, "Content-Type": {"application/pdf"}})
	_, _ = part.Write(content)
	_ = mw.Close()
	h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {mw.FormDataContentType()}}
	var tmp, f struct {
		ID int64 `json:"id"`
	}
	env.Do(t, "POST", n.BaseURL("clinked")+"/v3/tempFiles", body.Bytes(), h).Decode(t, 200, &tmp)
	env.Do(t, "POST", n.BaseURL("clinked")+"/v3/groups/1/files", map[string]any{"tempFile": tmp.ID},
		http.Header{"Authorization": {"Bearer " + tok}}).Decode(t, 200, &f)
	return "/v3/groups/1/files/" + strconv.FormatInt(f.ID, 10) + "/download"
}

// Every vendor exports everything: a document from a seeded namespace with
// uploads, loaded into a new empty one, exports the same document, and the
// imported namespace serves the files and takes the same logins.
func TestExportAllVendors(t *testing.T) {
	env := testenv.Start(t, registry.All)
	for _, seed := range []string{"demo", "docs"} {
		t.Run(seed, func(t *testing.T) {
			src := env.NewNamespace(t, seed)
			tok := clinkedLogin(t, env, src, src.Cred("clinked", "username"), src.Cred("clinked", "password"), 200)
			clinkedFile := []byte("%PDF-1.4 the bytes of an uploaded report\x00\xff")
			download := clinkedUpload(t, env, src, tok, clinkedFile)
			wdFile := []byte("\x89PNG uploaded to WorkDrive")
			wdURL := upload(t, env, src, wdFile)
			env.Do(t, "POST", control(env, "/"+src.ID+"/seed"), `{"workdrive":{"users":[{"id":"6f1c0c8e-3d2b-4a49-9f43-0d6a1c2b3e4f",
				"email":"keyed@example.com","apiKey":"a-user-key-that-survives-export"}],
				"catalogs":{"enforcementTemplates":[{"title":"Policy reminder","systemEvent":"TASK_ASSIGNED","type":"TASK",
				"subType":"DUE_DATE","reminders":[{"reminderType":"email","reminderTimeUnit":"days","reminderTime":2}]}],
				"courses":[{"courseId":"ONBOARD-1","title":"Onboarding","categories":["HR"],"tasks":2,"totalTime":30,
				"notificationTemplate":"Policy reminder","form":{"title":"Welcome form","accepting":true}},
				{"title":"Safety basics","notificationTemplate":"Course completion reminder"}]},
				"content":{"documents":[{"name":"Old policy","link":"https://example.com/p","published":false,"expiry":"now+30d"}],
				"faqs":[{"name":"Drafts","published":false,"qas":[{"question":"Q?","answer":"A.","description":"d"}]}],
				"events":[{"title":"Standup","start":"tomorrow+9h","weekly":3,"invitees":["admin"]}]}}}`, nil).Decode(t, 200, nil)

			hdr := http.Header{"Accept": {"application/json"}}
			first := env.Do(t, "GET", control(env, "/"+src.ID+"/export"), nil, hdr)
			first.Decode(t, 200, nil)
			// Every vendor writes its whole section.
			if o := first.Header.Get("X-Standin-Export-Omitted"); o != "" {
				t.Errorf("X-Standin-Export-Omitted %q, want none", o)
			}
			for _, want := range []string{`"stored_settings": [`, `"categories": [`, `"passwordHash": "`, `"events": [`, `"tasks": [`, `"properties": [`, `"announcements": [`, `"labels": [`, `"mail_recipients": [`, `"chats": [`, `"assignees": [`, `"content_base64": "`, `"password_hash": "`, `"enforcementTemplates": [`, `"courses": [`, `"notificationTemplate": "Course completion reminder"`, `"published": false`, `"expiry": "`, `"title": "Standup"`} {
				if !bytes.Contains(first.Body, []byte(want)) {
					t.Errorf("the export has no %s", want)
				}
			}
			for _, v := range []string{"clinked", "klipfolio", "worksection", "workdrive"} {
				if !bytes.Contains(first.Body, []byte(`"`+v+`": {`)) {
					t.Errorf("the export has no %s section", v)
				}
			}
			dst := env.NewNamespace(t, "empty")
			env.Do(t, "POST", control(env, "/"+dst.ID+"/seed"), first.Body, nil).Decode(t, 200, nil)
			// Loaded twice, its ids clash: 409, and nothing is written.
			env.Do(t, "POST", control(env, "/"+dst.ID+"/seed"), first.Body, nil).Decode(t, 409, nil)
			env.Do(t, "GET", control(env, "/"+dst.ID), nil, nil).Decode(t, 200, dst) // credentials after the import
			second := env.Do(t, "GET", control(env, "/"+dst.ID+"/export"), nil, hdr)
			second.Decode(t, 200, nil)
			if !bytes.Equal(first.Body, second.Body) {
				t.Fatalf("export after import differs:\n%s\n---\n%s", first.Body, second.Body)
			}

			// Clinked: the administrator logs in with the new namespace's
			// credentials, other users with their own passwords, and the
			// uploaded file downloads.
			if dst.Cred("clinked", "username") != src.Cred("clinked", "username") {
				t.Errorf("admin username %q, want %q", dst.Cred("clinked", "username"), src.Cred("clinked", "username"))
			}
			dtok := clinkedLogin(t, env, dst, dst.Cred("clinked", "username"), dst.Cred("clinked", "password"), 200)
			if dst.Cred("clinked", "password") != src.Cred("clinked", "password") {
				clinkedLogin(t, env, dst, src.Cred("clinked", "username"), src.Cred("clinked", "password"), 400)
			}
			got := env.Do(t, "GET", dst.BaseURL("clinked")+download, nil, http.Header{"Authorization": {"Bearer " + dtok}})
			if got.StatusCode != 200 || !bytes.Equal(got.Body, clinkedFile) {
				t.Errorf("clinked download after import: %d %q", got.StatusCode, got.Body)
			}
			switch seed {
			case "demo":
				clinkedLogin(t, env, dst, "tom", "demo-password", 200)
				// Klipfolio's HTTP Basic takes the exported password hash.
				req, _ := http.NewRequest("GET", dst.BaseURL("klipfolio")+"/api/1/groups", nil)
				req.SetBasicAuth("tom.chen@example.com", "demo-password")
				env.Do(t, "GET", dst.BaseURL("klipfolio")+"/api/1/groups", nil,
					http.Header{"Authorization": req.Header["Authorization"]}).Decode(t, 200, nil)
			case "docs":
				clinkedLogin(t, env, dst, "user1", "Passy123!", 200)
				env.Do(t, "POST", dst.BaseURL("clinked")+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
					"client_id": {"5eede59c-4b62-484c-b211-7a8f1eb4e158"}, "client_secret": {"5eede59c-secret"}}, nil).Decode(t, 200, nil)
			}

			// WorkDrive: the content lists show as many items as before.
			for _, path := range []string{"/api/posts", "/api/news", "/api/events", "/api/videos", "/api/photos",
				"/api/documents", "/api/faqs", "/api/enforcement-templates", "/api/courses"} {
				want := workdriveCount(t, env, src, path)
				if got := workdriveCount(t, env, dst, path); got != want {
					t.Errorf("%s after import: %d items, want %d", path, got, want)
				}
				if want == 0 && seed == "demo" {
					t.Errorf("%s: the demo seed has no items to carry", path)
				}
			}

			// WorkDrive: a user's API key still works, and the upload
			// downloads from the new namespace.
			env.Do(t, "GET", dst.BaseURL("workdrive")+"/api/users", nil,
				http.Header{"X-API-KEY": {"a-user-key-that-survives-export"}}).Decode(t, 200, nil)
			wd := strings.Replace(wdURL, src.BaseURL("workdrive"), dst.BaseURL("workdrive"), 1)
			if wd == wdURL {
				t.Fatalf("download URL %s is not under %s", wdURL, src.BaseURL("workdrive"))
			}
			got = env.Do(t, "GET", wd, nil, nil)
			if got.StatusCode != 200 || !bytes.Equal(got.Body, wdFile) {
				t.Errorf("workdrive download after import: %d %q", got.StatusCode, got.Body)
			}
		})
	}
}

// A document's stored hashes are checked: anything but a hash as standin
// stores it is a 400, and nothing is written.
func TestExportHashesChecked(t *testing.T) {
	env := testenv.Start(t, registry.All)
	n := env.NewNamespace(t, "empty")
	for _, doc := range []string{
		`{"clinked":{"users":[{"id":7,"username":"u","email":"u@example.com","password_hash":"plain"}]}}`,
		`{"clinked":{"users":[{"id":7,"username":"u","email":"u@example.com","password":"pw",
			"password_hash":"$2a$10$abcdefghijklmnopqrstuuJ0mR4m6nQ4vKkRkHqf2o9Yx1xJv5a0e"}]}}`,
		`{"clinked":{"applications":[{"client_id":"c","secret_hash":"XYZ","owner":1,"name":"a"}]}}`,
		`{"clinked":{"applications":[{"client_id":"c","owner":1,"name":"a"}]}}`,
		`{"clinked":{"admin":{"id":1,"username":"a","email":"a@example.com","password":"x"}}}`,
		`{"clinked":{"stored_settings":[{"account":1,"name":"custom_email","value":{"type":"smtp","smtp":{"host":"h","passwordHash":"plain"}}}]}}`,
		`{"clinked":{"stored_settings":[{"account":1,"name":"iframes","value":{"not":"a list"}}]}}`,
		`{"clinked":{"stored_settings":[{"account":1,"name":"storage","value":{"region":"EU-WEST-1","extra":1}}]}}`,
		`{"clinked":{"stored_settings":[{"account":1,"name":"nope","value":{}}]}}`,
		`{"clinked":{"stored_settings":[{"account":9,"name":"iframes","value":[]}]}}`,
		`{"klipfolio":{"users":[{"id":"u1","email":"u1@example.com","password_hash":"plain"}]}}`,
		`{"workdrive":{"users":[{"id":"6f1c0c8e-3d2b-4a49-9f43-0d6a1c2b3e4f","email":"k@example.com","apiKeyHashes":["abc"]}]}}`,
		`{"workdrive":{"files":[{"id":"6f1c0c8e-3d2b-4a49-9f43-0d6a1c2b3e40","name":"a.txt","mime":"text/plain","content_base64":"!!"}]}}`,
	} {
		env.Do(t, "POST", control(env, "/"+n.ID+"/seed"), doc, nil).Decode(t, 400, nil)
	}
}

// workdriveCount is the number of items a WorkDrive content list shows the
// OrgAdmin on its first page: the length of the response's one list.
func workdriveCount(t *testing.T, env *testenv.Env, n *ns, path string) int {
	t.Helper()
	var body map[string]json.RawMessage
	env.Do(t, "GET", n.BaseURL("workdrive")+path+"?perPage=100&limit=100", nil,
		http.Header{"X-API-KEY": {n.Cred("workdrive", "api_key")}}).Decode(t, 200, &body)
	for k, raw := range body {
		var list []json.RawMessage
		if k != "meta" && json.Unmarshal(raw, &list) == nil {
			return len(list)
		}
	}
	t.Fatalf("GET %s: no list in the response", path)
	return 0
}
