package clinked_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

// bFile is the part of a FileRecord the tests look at.
type bFile struct {
	ID               int64   `json:"id"`
	Name             string  `json:"name"`
	FriendlyName     string  `json:"friendlyName"`
	ContentType      string  `json:"contentType"`
	Size             int64   `json:"size"`
	Sharing          string  `json:"sharing"`
	MemberPermission int64   `json:"memberPermission"`
	UserPermission   int64   `json:"userPermission"`
	Tags             *string `json:"tags"`
	Locked           bool    `json:"locked"`
	Locker           *struct {
		ID int64 `json:"id"`
	} `json:"locker"`
	Versions int64 `json:"versions"`
	Path     []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"path"`
	Uploaded struct {
		Username string `json:"username"`
	} `json:"uploaded"`
	Group struct {
		ID int64 `json:"id"`
	} `json:"group"`
	ShareCount *int64 `json:"shareCount"`
}

// bTrash is a trash entry.
type bTrash struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	FriendlyName string `json:"friendlyName"`
}

type bTrashResult struct {
	Success []bTrash `json:"success"`
	Error   []bTrash `json:"error"`
}

// multipartBody is a multipart/form-data body with one file part.
func multipartBody(t testing.TB, field, filename, ctype string, content []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, filename))
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts a temp file and returns the answer.
func (c *bClient) upload(filename, ctype string, content []byte) *testenv.Response {
	c.t.Helper()
	body, ct := multipartBody(c.t, "file", filename, ctype, content)
	h := bearer(c.tok)
	h.Set("Content-Type", ct)
	return c.env.Do(c.t, "POST", base(c.ns)+"/v3/tempFiles", body, h)
}

// tempFile uploads content and returns the temp file id.
func (c *bClient) tempFile(filename, ctype string, content []byte) int64 {
	c.t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	c.upload(filename, ctype, content).Decode(c.t, http.StatusOK, &out)
	if out.ID == 0 {
		c.t.Fatal("temp file without an id")
	}
	return out.ID
}

// fetch sends a GET with extra headers and returns the raw answer.
func (c *bClient) fetch(path string, header http.Header) *testenv.Response {
	c.t.Helper()
	h := bearer(c.tok)
	for k, v := range header {
		h[k] = v
	}
	return c.env.Do(c.t, "GET", base(c.ns)+path, nil, h)
}

// storage is a group's storageConsumed.
func (c *bClient) storage(account, group int64) int64 {
	c.t.Helper()
	var g struct {
		StorageConsumed int64 `json:"storageConsumed"`
	}
	c.decode("GET", fmt.Sprintf("/v3/accounts/%d/groups/%d", account, group), nil, http.StatusOK, &g)
	return g.StorageConsumed
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestFilesFlow: temp file → file in a folder → list → search → download
// (whole and a range) → rename and move → new version → delete → trash →
// restore → purge, with storageConsumed following.
func TestFilesFlow(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)
	storage0 := jack.storage(1, 1)

	// 3 MiB and a bit: the content crosses blob chunk boundaries.
	content := testenv.RandomBytes(3<<20 + 12345)
	tmp := jack.tempFile("report.pdf", "application/pdf", content)

	var folder bFile
	jack.decode("POST", "/v3/groups/1/files", map[string]any{"friendlyName": "Reports Q1"}, http.StatusOK, &folder)
	if folder.Name != "reports_q1" || folder.ContentType != "@folder" || folder.Size != 0 || len(folder.Path) != 0 {
		t.Fatalf("folder %+v", folder)
	}
	var f bFile
	jack.decode("POST", "/v3/groups/1/files/"+itoa(folder.ID), map[string]any{"friendlyName": "Annual Report.pdf",
		"tempFile": tmp, "tags": "finance, 2026", "sharing": "MEMBERS", "memberPermission": 3}, http.StatusOK, &f)
	if f.Name != "annual_report.pdf" || f.ContentType != "application/pdf" || f.Size != int64(len(content)) ||
		f.Versions != 0 || f.Sharing != "MEMBERS" || f.MemberPermission != 3 || f.UserPermission != 16 ||
		f.Tags == nil || *f.Tags != "finance,2026" || f.Uploaded.Username != "jack" || f.Group.ID != 1 {
		t.Fatalf("file %+v", f)
	}
	if len(f.Path) != 1 || f.Path[0].ID != folder.ID {
		t.Errorf("path %+v, want the folder", f.Path)
	}
	if got := jack.storage(1, 1); got != storage0+int64(len(content)) {
		t.Errorf("storageConsumed %d, want %d", got, storage0+int64(len(content)))
	}
	// A temp file is good once.
	jack.wantError("POST", "/v3/groups/1/files", map[string]any{"tempFile": tmp}, http.StatusBadRequest)
	var viaBody bFile
	jack.decode("POST", "/v3/groups/1/files", map[string]any{"friendlyName": "Via body", "parent": folder.ID, "locked": true}, http.StatusOK, &viaBody)
	if len(viaBody.Path) != 1 || !viaBody.Locked {
		t.Errorf("parent and locked in a create body: %+v", viaBody)
	}
	jack.wantError("POST", "/v3/groups/1/files/"+itoa(folder.ID), map[string]any{"friendlyName": "x", "parent": 2}, http.StatusBadRequest)
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(viaBody.ID), nil, http.StatusOK)
	// The same friendly name gets a unique slug.
	var twin bFile
	jack.decode("POST", "/v3/groups/1/files/"+itoa(folder.ID), map[string]any{"friendlyName": "Annual Report.pdf",
		"tempFile": jack.tempFile("a.pdf", "", []byte("x"))}, http.StatusOK, &twin)
	if twin.Name != "annual_report_2.pdf" || twin.ContentType != "application/pdf" {
		t.Errorf("twin %+v", twin)
	}

	var page bPage[bFile]
	jack.decode("GET", "/v3/groups/1/filesList?parent="+itoa(folder.ID), nil, http.StatusOK, &page)
	if page.TotalResults != 2 || len(page.Items) != 2 || page.Items[0].ID != f.ID {
		t.Fatalf("list of the folder: %+v", page)
	}

	var found bFile
	jack.decode("GET", "/v3/groups/1/files?path=reports_q1-annual_report_pdf", nil, http.StatusOK, &found)
	if found.ID != f.ID || found.ShareCount == nil {
		t.Errorf("search found %+v", found)
	}
	jack.decode("GET", "/v3/groups/1/files?path="+url.QueryEscape("reports_q1/annual_report.pdf"), nil, http.StatusOK, &found)
	if found.ID != f.ID {
		t.Errorf("search by /-path found %d", found.ID)
	}
	jack.wantError("GET", "/v3/groups/1/files?path=reports_q1-annual_report_pdf&exclude="+itoa(f.ID), nil, http.StatusNotFound)

	dl := "/v3/groups/1/files/" + itoa(f.ID) + "/download"
	res := jack.fetch(dl, nil)
	if res.StatusCode != http.StatusOK || !bytes.Equal(res.Body, content) {
		t.Fatalf("download: %d, %d bytes, equal %v", res.StatusCode, len(res.Body), bytes.Equal(res.Body, content))
	}
	if res.Header.Get("Content-Type") != "application/pdf" || res.Header.Get("Content-Length") != strconv.Itoa(len(content)) ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="Annual Report.pdf"`) {
		t.Errorf("download headers %v", res.Header)
	}
	res = jack.fetch(dl, http.Header{"Range": {"bytes=1048570-1048589"}})
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(res.Body, content[1048570:1048590]) {
		t.Errorf("range: %d %d bytes", res.StatusCode, len(res.Body))
	}
	res = jack.fetch(dl, http.Header{"Range": {"bytes=99999999-"}})
	if res.StatusCode != http.StatusRequestedRangeNotSatisfiable || !strings.Contains(res.Header.Get("Content-Type"), "json") ||
		!strings.Contains(string(res.Body), `"status":416`) {
		t.Errorf("unsatisfiable range: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	if et := jack.fetch(dl, http.Header{"Range": {"bytes=0-0"}}).Header.Get("ETag"); et == "" {
		t.Error("no ETag")
	} else if res = jack.fetch(dl, http.Header{"If-None-Match": {et}}); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", res.StatusCode)
	}

	// Rename and move.
	var up bFile
	jack.decode("PATCH", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"friendlyName": "Annual Report 2026.pdf"}, http.StatusOK, &up)
	if up.Name != "annual_report_2026.pdf" || up.FriendlyName != "Annual Report 2026.pdf" {
		t.Errorf("renamed %+v", up)
	}
	jack.decode("PUT", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"parent": nil}, http.StatusOK, &up)
	if len(up.Path) != 0 {
		t.Errorf("moved to the root, path %+v", up.Path)
	}
	jack.decode("GET", "/v3/groups/1/files?path=annual_report_2026_pdf", nil, http.StatusOK, &found)
	var sub bFile
	jack.decode("POST", "/v3/groups/1/files/"+itoa(folder.ID), map[string]any{"friendlyName": "Sub"}, http.StatusOK, &sub)
	for _, target := range []int64{folder.ID, sub.ID} {
		jack.wantError("PATCH", "/v3/groups/1/files/"+itoa(folder.ID), map[string]any{"parent": target}, http.StatusBadRequest)
	}
	jack.wantError("PATCH", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"parent": 999999}, http.StatusNotFound)
	jack.wantError("PATCH", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"sharing": "EVERYONE"}, http.StatusBadRequest)
	jack.wantError("PATCH", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"friendlyName": 7}, http.StatusBadRequest)

	// A new version replaces the bytes and bumps versions.
	v2 := testenv.RandomBytes(5000)
	var nv bFile
	jack.decode("POST", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"tempFile": jack.tempFile("v2.pdf", "application/pdf", v2)}, http.StatusOK, &nv)
	if nv.Versions != 1 || nv.Size != 5000 {
		t.Errorf("new version %+v", nv)
	}
	jack.decode("PUT", "/v3/groups/1/files/"+itoa(f.ID), map[string]any{"tempFile": jack.tempFile("v3.pdf", "application/pdf", v2[:10])}, http.StatusOK, &nv)
	if nv.Versions != 2 || nv.Size != 10 {
		t.Errorf("new version by PUT %+v", nv)
	}
	if res := jack.fetch(dl, nil); !bytes.Equal(res.Body, v2[:10]) {
		t.Errorf("download after new version: %q", res.Body)
	}
	want := storage0 + 10 + 1
	if got := jack.storage(1, 1); got != want {
		t.Errorf("storageConsumed %d, want %d", got, want)
	}

	// Delete → trash → restore → delete → purge.
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(f.ID), nil, http.StatusOK)
	jack.wantError("GET", "/v3/groups/1/files/"+itoa(f.ID), nil, http.StatusNotFound)
	jack.wantError("GET", dl, nil, http.StatusNotFound)
	jack.wantError("GET", "/v3/groups/1/files?path=annual_report_2026_pdf", nil, http.StatusNotFound)
	entry := trashEntryOf(t, jack, "Annual Report 2026.pdf")
	if entry.Type != "file" {
		t.Errorf("trash entry %+v", entry)
	}
	if got := jack.storage(1, 1); got != want {
		t.Errorf("the trash still holds the bytes: storageConsumed %d, want %d", got, want)
	}
	var rr bTrashResult
	jack.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{entry.ID}}, http.StatusOK, &rr)
	if len(rr.Success) != 1 || len(rr.Error) != 0 {
		t.Fatalf("restore %+v", rr)
	}
	jack.decode("GET", "/v3/groups/1/files/"+itoa(f.ID), nil, http.StatusOK, &up)
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(f.ID), nil, http.StatusOK)
	entry = trashEntryOf(t, jack, "Annual Report 2026.pdf")
	jack.want("DELETE", "/v3/groups/1/trash/"+itoa(entry.ID), nil, http.StatusOK)
	if got := jack.storage(1, 1); got != storage0+1 {
		t.Errorf("after purge storageConsumed %d, want %d", got, storage0+1)
	}
	jack.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{entry.ID}}, http.StatusOK, &rr)
	if len(rr.Success) != 0 || len(rr.Error) != 1 {
		t.Errorf("restoring a purged entry: %+v", rr)
	}
	jack.wantError("GET", "/v3/groups/1/files/"+itoa(f.ID), nil, http.StatusNotFound)
}

// trashEntryOf finds the group 1 trash entry of a friendly name.
func trashEntryOf(t *testing.T, c *bClient, friendly string) bTrash {
	t.Helper()
	var page bPage[bTrash]
	c.decode("GET", "/v3/groups/1/trash?size=1000", nil, http.StatusOK, &page)
	for _, e := range page.Items {
		if e.FriendlyName == friendly {
			return e
		}
	}
	t.Fatalf("no trash entry %q in %+v", friendly, page.Items)
	return bTrash{}
}

// TestFilesTrash: deleting a folder takes its subtree; restore puts back
// what was deleted with it, and an item whose folder is gone comes back at
// the root; processAll empties the trash and progress reads 100.
func TestFilesTrash(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)

	// The docs seed's entries 1-3 are real deleted files.
	var page bPage[bTrash]
	jack.decode("GET", "/v3/groups/1/trash?page=1", nil, http.StatusOK, &page)
	if page.TotalResults != 3 || page.Items[0].Type != "file" || page.Items[0].FriendlyName != "Home Page" {
		t.Fatalf("seeded trash %+v", page)
	}

	var a, b, x bFile
	jack.decode("POST", "/v3/groups/1/files", map[string]any{"friendlyName": "A"}, http.StatusOK, &a)
	jack.decode("POST", "/v3/groups/1/files/"+itoa(a.ID), map[string]any{"friendlyName": "B"}, http.StatusOK, &b)
	jack.decode("POST", "/v3/groups/1/files/"+itoa(b.ID), map[string]any{"tempFile": jack.tempFile("x.txt", "text/plain", []byte("hello"))}, http.StatusOK, &x)
	if x.FriendlyName != "x.txt" || x.ContentType != "text/plain" || len(x.Path) != 2 {
		t.Fatalf("x %+v", x)
	}
	flat := func() map[int64]bool {
		var p bPage[bFile]
		jack.decode("GET", "/v3/groups/1/filesList?flat=true&size=1000", nil, http.StatusOK, &p)
		out := map[int64]bool{}
		for _, f := range p.Items {
			out[f.ID] = true
		}
		return out
	}
	if ids := flat(); !ids[a.ID] || !ids[b.ID] || !ids[x.ID] {
		t.Fatalf("flat list %v", ids)
	}
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(a.ID), nil, http.StatusOK)
	if ids := flat(); ids[a.ID] || ids[b.ID] || ids[x.ID] {
		t.Fatalf("the folder's subtree is still listed: %v", ids)
	}
	ea := trashEntryOf(t, jack, "A")
	if ea.Type != "folder" {
		t.Errorf("folder entry %+v", ea)
	}
	var rr bTrashResult
	jack.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{ea.ID, 424242}}, http.StatusOK, &rr)
	if len(rr.Success) != 1 || len(rr.Error) != 1 || rr.Error[0].ID != 424242 {
		t.Fatalf("restore %+v", rr)
	}
	if ids := flat(); !ids[a.ID] || !ids[b.ID] || !ids[x.ID] {
		t.Fatalf("after restore %v", ids)
	}

	// x deleted on its own, then its folder purged: x comes back at the root.
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(x.ID), nil, http.StatusOK)
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(a.ID), nil, http.StatusOK)
	jack.want("DELETE", "/v3/groups/1/trash/"+itoa(trashEntryOf(t, jack, "A").ID), nil, http.StatusOK)
	jack.wantError("GET", "/v3/groups/1/files/"+itoa(b.ID), nil, http.StatusNotFound)
	jack.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{trashEntryOf(t, jack, "x.txt").ID}}, http.StatusOK, &rr)
	var back bFile
	jack.decode("GET", "/v3/groups/1/files/"+itoa(x.ID), nil, http.StatusOK, &back)
	if len(back.Path) != 0 {
		t.Errorf("x restored under %+v, want the root", back.Path)
	}
	if res := jack.fetch("/v3/groups/1/files/"+itoa(x.ID)+"/download", nil); string(res.Body) != "hello" {
		t.Errorf("restored content %q", res.Body)
	}

	// processAll purges everything, and frees the storage.
	before := jack.storage(1, 1)
	jack.want("DELETE", "/v3/groups/1/files/"+itoa(x.ID), nil, http.StatusOK)
	jack.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "delete", "processAll": true}, http.StatusOK, &rr)
	if len(rr.Success) != 4 || len(rr.Error) != 0 {
		t.Errorf("processAll %+v", rr)
	}
	jack.wantTrashDone(1)
	jack.decode("GET", "/v3/groups/1/trash", nil, http.StatusOK, &page)
	if page.TotalResults != 0 {
		t.Errorf("trash after processAll %+v", page)
	}
	// The seeded Home Pages were 14, 17 and 17 bytes; x 5.
	if got := jack.storage(1, 1); got != before-5-14-17-17 {
		t.Errorf("storage %d after processAll, want %d", got, before-53)
	}
}

// TestFilesPermissions, on the demo seed: maria administers group 1, tom
// is a member manager there (8), anna a basic member (1); group 3 is not
// tom's (same account: 403), group 4 is another account's (404).
func TestFilesPermissions(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	tom := bLogin(t, env, ns, "tom", "demo-password")
	anna := bLogin(t, env, ns, "anna.client", "demo-password")

	// Welcome Pack.pdf (7) is maria's, shared with members.
	anna.want("GET", "/v3/groups/1/files/7/download", nil, http.StatusOK)
	var seen bFile
	anna.decode("GET", "/v3/groups/1/files/7", nil, http.StatusOK, &seen)
	if seen.UserPermission != 1 {
		t.Errorf("a basic member's userPermission %d, want 1", seen.UserPermission)
	}
	for _, c := range []struct {
		method string
		body   any
	}{
		{"DELETE", nil},
		{"PATCH", map[string]any{"friendlyName": "Mine now.pdf"}},
		{"PUT", map[string]any{"tags": "x"}},
		{"POST", map[string]any{"tempFile": anna.tempFile("w.pdf", "", []byte("w"))}},
	} {
		anna.wantError(c.method, "/v3/groups/1/files/7", c.body, http.StatusForbidden)
	}
	// Her own file is hers to change and delete.
	var own bFile
	anna.decode("POST", "/v3/groups/1/files/4", map[string]any{"tempFile": anna.tempFile("notes.txt", "", []byte("n"))}, http.StatusOK, &own)
	anna.decode("PATCH", "/v3/groups/1/files/"+itoa(own.ID), map[string]any{"friendlyName": "My notes.txt", "sharing": "NONE"}, http.StatusOK, &own)
	if own.UserPermission != 16 || own.Sharing != "NONE" {
		t.Errorf("own file %+v", own)
	}
	// NONE: only the uploader and administrators see it.
	tom.wantError("GET", "/v3/groups/1/files/"+itoa(own.ID), nil, http.StatusNotFound)
	maria.want("GET", "/v3/groups/1/files/"+itoa(own.ID), nil, http.StatusOK)
	anna.want("DELETE", "/v3/groups/1/files/"+itoa(own.ID), nil, http.StatusOK)

	// memberPermission 2 (edit): tom may rename maria's file, not delete it
	// nor change its sharing.
	tom.want("PATCH", "/v3/groups/1/files/7", map[string]any{"friendlyName": "Welcome Pack 2026.pdf"}, http.StatusOK)
	tom.wantError("DELETE", "/v3/groups/1/files/7", nil, http.StatusForbidden)
	tom.wantError("PATCH", "/v3/groups/1/files/7", map[string]any{"sharing": "PUBLIC"}, http.StatusForbidden)

	// Locks: tom locks, maria's change is refused until she unlocks.
	var locked bFile
	tom.decode("PATCH", "/v3/groups/1/files/3", map[string]any{"locked": true}, http.StatusOK, &locked)
	if !locked.Locked || locked.Locker == nil || locked.Locker.ID != 2 {
		t.Fatalf("locked %+v", locked)
	}
	maria.wantError("PATCH", "/v3/groups/1/files/3", map[string]any{"friendlyName": "NDA.pdf"}, http.StatusConflict)
	maria.wantError("DELETE", "/v3/groups/1/files/3", nil, http.StatusConflict)
	anna.wantError("PATCH", "/v3/groups/1/files/3", map[string]any{"locked": false}, http.StatusConflict)
	maria.decode("PATCH", "/v3/groups/1/files/3", map[string]any{"locked": false, "friendlyName": "NDA.pdf"}, http.StatusOK, &locked)
	if locked.Locked || locked.Name != "nda.pdf" {
		t.Errorf("unlocked %+v", locked)
	}

	// A group of the account that tom is not in: 403 everywhere; another
	// account's group: 404.
	tmp := tom.tempFile("t.txt", "", []byte("t"))
	for _, g := range []struct {
		group  string
		status int
	}{{"3", http.StatusForbidden}, {"4", http.StatusNotFound}} {
		for _, c := range []struct{ method, path string }{
			{"GET", "/filesList"}, {"GET", "/files?path=x"}, {"POST", "/files"}, {"GET", "/files/1"},
			{"POST", "/files/1"}, {"PUT", "/files/1"}, {"PATCH", "/files/1"}, {"DELETE", "/files/1"},
			{"GET", "/files/1/download"}, {"GET", "/trash"}, {"POST", "/trash"}, {"GET", "/trash/progress"},
			{"DELETE", "/trash/1"},
		} {
			tom.wantError(c.method, "/v3/groups/"+g.group+c.path, map[string]any{"friendlyName": "x", "tempFile": tmp}, g.status)
		}
	}
}

// TestTempFiles: an expired temp file is refused, a body that ends early
// stores nothing, and an upload needs the file part.
func TestTempFiles(t *testing.T) {
	env, ns := startIn(t, "docs")
	jack := bAdmin(t, env, ns)

	tmp := jack.tempFile("late.txt", "", []byte("late"))
	bAdvance(t, env, ns, "61m")
	jack.wantError("POST", "/v3/groups/1/files", map[string]any{"tempFile": tmp}, http.StatusBadRequest)
	// The next upload sweeps the expired one's bytes.
	swept := countBlobs(t, env, ns)
	jack.tempFile("fresh.txt", "", []byte("fresh"))
	if n := countBlobs(t, env, ns); n != swept {
		t.Errorf("blobs %d after an upload that sweeps one, want %d", n, swept)
	}
	jack.wantError("POST", "/v3/groups/1/files", map[string]any{"tempFile": 987654}, http.StatusBadRequest)
	// Another user's temp file is not yours.
	member := bLogin(t, env, ns, "user1", "Passy123!")
	theirs := member.tempFile("m.txt", "", []byte("m"))
	jack.wantError("POST", "/v3/groups/1/files", map[string]any{"tempFile": theirs}, http.StatusBadRequest)

	before := countBlobs(t, env, ns)
	body, ct := multipartBody(t, "file", "cut.bin", "", testenv.RandomBytes(3<<20))
	for _, cut := range []int{len(body) / 2, len(body) - 10} {
		h := bearer(jack.tok)
		h.Set("Content-Type", ct)
		res := env.Do(t, "POST", base(ns)+"/v3/tempFiles", body[:cut], h)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("cut at %d: %d %s", cut, res.StatusCode, res.Body)
		}
	}
	if n := countBlobs(t, env, ns); n != before {
		t.Errorf("a cut upload left blobs: %d, was %d", n, before)
	}
	other, ct := multipartBody(t, "document", "x.txt", "", []byte("x"))
	h := bearer(jack.tok)
	h.Set("Content-Type", ct)
	env.Do(t, "POST", base(ns)+"/v3/tempFiles", other, h).Decode(t, http.StatusBadRequest, nil)
	jack.wantError("POST", "/v3/tempFiles", map[string]any{"file": "x"}, http.StatusBadRequest)
	env.Do(t, "POST", base(ns)+"/v3/tempFiles", other, http.Header{"Content-Type": {ct}}).Decode(t, http.StatusUnauthorized, nil)
}

// countBlobs counts the namespace's blobs.
func countBlobs(t *testing.T, env *testenv.Env, ns *testenv.Namespace) int {
	t.Helper()
	var n int
	if err := env.DB.QueryRow(`SELECT count(*) FROM standin_blobs WHERE ns = $1`, ns.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFilesListParams: paging, order, name, flat and siblings, columns,
// and the documented examples' records.
func TestFilesListParams(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)

	var p bPage[bFile]
	maria.decode("GET", "/v3/groups/1/filesList", nil, http.StatusOK, &p)
	names := func() []string {
		var out []string
		for _, f := range p.Items {
			out = append(out, f.Name)
		}
		return out
	}
	// Folders first, then by friendly name.
	if got := strings.Join(names(), " "); got != "contracts onboarding brand_guidelines.txt welcome_pack.pdf" {
		t.Errorf("root: %s", got)
	}
	maria.decode("GET", "/v3/groups/1/filesList?size=1&page=2", nil, http.StatusOK, &p)
	if p.TotalResults != 4 || p.TotalPages != 4 || p.PageSize != 1 || !p.NextPage || !p.PreviousPage || names()[0] != "onboarding" {
		t.Errorf("page 2: %+v", p)
	}
	maria.decode("GET", "/v3/groups/1/filesList?flat=true&name=PDF", nil, http.StatusOK, &p)
	if got := strings.Join(names(), " "); got != "master_services_agreement.pdf nda_fabrikam.pdf welcome_pack.pdf" {
		t.Errorf("flat name=pdf: %s", got)
	}
	maria.decode("GET", "/v3/groups/1/filesList?parent=1&flat=true", nil, http.StatusOK, &p)
	if p.TotalResults != 2 {
		t.Errorf("flat under Contracts: %v", names())
	}
	maria.decode("GET", "/v3/groups/1/filesList?parent=1&siblings=true", nil, http.StatusOK, &p)
	if p.TotalResults != 4 {
		t.Errorf("siblings of Contracts: %v", names())
	}
	maria.decode("GET", "/v3/groups/1/filesList?orderBy=size&ascending=false&columns=shareCount,parent&parent=1", nil, http.StatusOK, &p)
	if names()[0] != "master_services_agreement.pdf" || p.Items[0].ShareCount == nil {
		t.Errorf("by size descending: %v %+v", names(), p.Items[0])
	}
	res := maria.want("GET", "/v3/groups/1/filesList?parent=1", nil, http.StatusOK)
	if strings.Contains(string(res.Body), "shareCount") {
		t.Errorf("optional columns without columns: %s", res.Body)
	}
	for _, q := range []string{"parent=abc", "parent=2", "flat=maybe", "page=-1"} {
		res := maria.do("GET", "/v3/groups/1/filesList?"+q, nil)
		if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
	maria.wantError("GET", "/v3/groups/1/filesList?parent=999", nil, http.StatusNotFound)
	maria.wantError("GET", "/v3/groups/1/files", nil, http.StatusBadRequest)
	maria.wantError("GET", "/v3/groups/1/files/1/download", nil, http.StatusBadRequest) // a folder
	// The demo trash holds a file and a folder with what it held (and a
	// task of the events and tasks seed).
	var tr bPage[bTrash]
	maria.decode("GET", "/v3/groups/1/trash", nil, http.StatusOK, &tr)
	kinds := map[string]int{}
	for _, it := range tr.Items {
		kinds[it.Type]++
	}
	if kinds["file"] != 1 || kinds["folder"] != 1 {
		t.Errorf("demo trash %+v", tr)
	}
}

// TestFilesMalformedInput sends the routes that are not in the catalog
// (and so not in the registry's robustness test) bad bodies, bad ids and
// bad parameters: each answer is a 4xx in the /v3 envelope, never a 5xx.
func TestFilesMalformedInput(t *testing.T) {
	env, ns := startIn(t, "docs")
	settings(t, env, ns, map[string]any{"rate_limit": map[string]any{"enabled": false}})
	jack := bAdmin(t, env, ns)
	routes := []struct{ method, path string }{
		{"POST", "/v3/tempFiles"}, {"POST", "/v3/groups/{g}/files"}, {"GET", "/v3/groups/{g}/files/{id}"},
		{"POST", "/v3/groups/{g}/files/{id}"}, {"PUT", "/v3/groups/{g}/files/{id}"}, {"PATCH", "/v3/groups/{g}/files/{id}"},
		{"DELETE", "/v3/groups/{g}/files/{id}"}, {"GET", "/v3/groups/{g}/files/{id}/download"},
		{"GET", "/v3/groups/{g}/filesList"}, {"GET", "/v3/groups/{g}/files"},
	}
	bodies := []string{`{"friendlyName":`, `[1,2]`, `"text"`, `{"friendlyName":{"a":[[]]},"tempFile":-1,"tags":12,"parent":"x"}`,
		`{"friendlyName":"\u0000"}`, "\xff\xfe", `{"tempFile":99999999999999999999}`, `{"parent":{"id":"x"}}`,
		`{"tags":[1,2]}`, `{"memberPermission":9}`, `{"locked":"maybe"}`, `{"friendlyName":"` + strings.Repeat("x", 300) + `"}`}
	ids := []string{"1", "2", "0", "-1", "99999999999999999999", "not-an-id", "%00"}
	for _, rt := range routes {
		for _, g := range []string{"1", "x"} {
			for _, id := range ids {
				p := strings.NewReplacer("{g}", g, "{id}", id).Replace(rt.path)
				for _, body := range bodies {
					res := jack.do(rt.method, p, body)
					if res.StatusCode >= 500 {
						t.Errorf("%s %s %q: %d %s", rt.method, p, body, res.StatusCode, res.Body)
					}
				}
				if !strings.Contains(rt.path, "{id}") {
					break
				}
			}
		}
	}
	for _, q := range []string{"parent=%00", "parent=99999999999999999999", "flat=x", "siblings=1&flat=1&parent=1",
		"orderBy=drop%20table&ascending=sideways", "name=%25_%5C", "columns=,,,", "page=99999999999999999999"} {
		if res := jack.do("GET", "/v3/groups/1/filesList?"+q, nil); res.StatusCode >= 500 {
			t.Errorf("filesList?%s: %d %s", q, res.StatusCode, res.Body)
		}
	}
	for _, q := range []string{"path=-", "path=/", "path=" + strings.Repeat("a-", 2000), "path=a&exclude=x", "path=x&exclude=1,,2"} {
		if res := jack.do("GET", "/v3/groups/1/files?"+q, nil); res.StatusCode >= 500 {
			t.Errorf("files?%s: %d %s", q, res.StatusCode, res.Body)
		}
	}
	// Multipart bodies with odd names and types.
	for _, c := range []struct{ filename, ctype string }{{"\x00evil\xff.txt", "text/plain; charset=\"\xff\""}, {"../../etc/passwd", "???"}, {"", ""}} {
		body, ct := multipartBody(t, "file", c.filename, c.ctype, []byte("data"))
		h := bearer(jack.tok)
		h.Set("Content-Type", ct)
		res := env.Do(t, "POST", base(ns)+"/v3/tempFiles", body, h)
		if res.StatusCode != http.StatusOK {
			t.Errorf("upload %q: %d %s", c.filename, res.StatusCode, res.Body)
			continue
		}
		var tmp struct {
			ID int64 `json:"id"`
		}
		res.Decode(t, http.StatusOK, &tmp)
		var f bFile
		jack.decode("POST", "/v3/groups/1/files", map[string]any{"tempFile": tmp.ID}, http.StatusOK, &f)
		if strings.ContainsAny(f.FriendlyName, "/\x00") {
			t.Errorf("friendly name %q from upload %q", f.FriendlyName, c.filename)
		}
	}
	h := bearer(jack.tok)
	h.Set("Content-Type", "multipart/form-data; boundary=")
	if res := env.Do(t, "POST", base(ns)+"/v3/tempFiles", "--\r\n", h); res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty boundary: %d", res.StatusCode)
	}
}

// TestFilesFixture loads folders and files with their content from a seed
// document, checks them, and checks that reset brings them back.
func TestFilesFixture(t *testing.T) {
	env, ns := startIn(t, "empty")
	doc := `
clinked:
  groups:
    - {id: 30, account: 1, name: plans, friendly_name: Plans, owner: 1, storage_consumed: 100,
       members: [{user: 1, permission: 16}]}
  files:
    - {id: 40, group: 30, friendly_name: Drafts, folder: true}
    - {id: 41, group: 30, parent: 40, friendly_name: Plan A.md, content: "# Plan A\n", tags: "a, b"}
    - {id: 42, group: 30, parent: 40, friendly_name: logo.png, content_base64: "iVBORw0KGgo="}
    - {id: 43, group: 30, friendly_name: Big.pdf, size: 3000000}
    - {id: 44, group: 30, friendly_name: Old.txt, content: "old", trash: {id: 9, user: 1, date_deleted: 1700000000000}}
`
	loadFixture(t, env, ns, doc)
	admin := bAdmin(t, env, ns)
	check := func() {
		t.Helper()
		var p bPage[bFile]
		admin.decode("GET", "/v3/groups/30/filesList?parent=40", nil, http.StatusOK, &p)
		if p.TotalResults != 2 || p.Items[0].ContentType != "image/png" || p.Items[1].Name != "plan_a.md" {
			t.Errorf("Drafts: %+v", p.Items)
		}
		if res := admin.fetch("/v3/groups/30/files/41/download", nil); string(res.Body) != "# Plan A\n" ||
			res.Header.Get("Content-Type") != "text/markdown" {
			t.Errorf("Plan A: %q %s", res.Body, res.Header.Get("Content-Type"))
		}
		if res := admin.fetch("/v3/groups/30/files/42/download", nil); string(res.Body) != "\x89PNG\r\n\x1a\n" {
			t.Errorf("logo: %q", res.Body)
		}
		if res := admin.fetch("/v3/groups/30/files/43/download", nil); len(res.Body) != 3000000 || !strings.HasPrefix(string(res.Body), "%PDF-") {
			t.Errorf("Big.pdf: %d bytes", len(res.Body))
		}
		if got := admin.storage(1, 30); got != 100+9+8+3000000+3 {
			t.Errorf("storageConsumed %d", got)
		}
		var tr bPage[bTrash]
		admin.decode("GET", "/v3/groups/30/trash", nil, http.StatusOK, &tr)
		if tr.TotalResults != 1 || tr.Items[0].ID != 9 || tr.Items[0].FriendlyName != "Old.txt" {
			t.Errorf("trash %+v", tr.Items)
		}
	}
	check()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, http.StatusOK, nil)
	check()
	var blobs int
	if err := env.DB.QueryRow(`SELECT count(*) FROM standin_blobs WHERE ns = $1`, ns.ID).Scan(&blobs); err != nil || blobs != 4 {
		t.Errorf("after reset %d blobs (%v), want the 4 of the document", blobs, err)
	}

	refuseFixtures(t, env, ns,
		"clinked: {files: [{group: 99, friendly_name: x}]}",
		"clinked: {files: [{group: 30, friendly_name: x, parent: 41}]}",
		"clinked: {files: [{group: 30, friendly_name: x, folder: true, content: y}]}",
		"clinked: {files: [{group: 30, friendly_name: x, content_base64: '!!'}]}",
		"clinked: {files: [{group: 30, friendly_name: x, sharing: SOME}]}",
		"clinked: {files: [{group: 30, friendly_name: x, name: Not-A-Slug}]}",
		"clinked: {files: [{group: 30, friendly_name: y, parent: 40, name: plan_a.md}]}",
		"clinked: {files: [{group: 30, friendly_name: x, size: 99999999999}]}",
		"clinked: {files: [{group: 30, friendly_name: ''}]}",
		"clinked: {files: [{id: 41, group: 30, friendly_name: dup}]}",
		"clinked: {files: [{group: 30, friendly_name: x, trash: {user: 99}}]}",
	)
}
