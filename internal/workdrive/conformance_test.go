package workdrive_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/standin-dev/standin/internal/conformance"
	"github.com/standin-dev/standin/internal/testenv"
)

// TestConformance replays every documented WorkDrive example against a
// fresh "docs" namespace (one per example, since examples mutate state) and
// checks the status and the documented shape. This comment is the one
// place that says how the examples are made concrete.
//
// Credentials: every request carries the OrgAdmin's X-API-KEY, except
// organization.create, which needs the SuperAdmin's (superadmin_api_key).
//
// Status: the catalog shows none, so the binding conventions decide:
// POST 201, GET and PATCH 200, DELETE 200 with an empty body.
//
// Placeholders: the docs seed holds every entity whose literal id an example
// uses (department 1ae6eb71-…, user a0c3f96f-…, file 38443974-…, …), so those
// are sent unchanged. The Swagger placeholders are replaced before sending:
//   - a null path id (and group_chats.delete's null ?id=) becomes the id of an
//     existing entity of the right kind, read from the matching list endpoint
//     (pathSources below: GET /api/departments → departments[0].id, …); the
//     organization id comes from the namespace's credentials (org_id);
//   - "string", "user@example.com", "3fa85f64-5717-4562-b3fc-2c963f66afa6" and
//     "Id of …" in a body or query field become, by the field's name
//     (fieldKinds below): a fresh unique email for email fields; for reference
//     fields the id of an existing entity of that kind, from its list endpoint
//     (users: the newest user of GET /api/users, who heads nothing; files: a
//     fileId freshly issued by GET /api/media); "public" for defaultVisibility;
//     "draft" for the task status placeholder "Task List status ". Other
//     "string" values are valid strings and stay.
//
// The seven endpoints without an example (users.delete, bulk_delete and
// the content deletes) get one made from the catalog's method and path,
// with a null path id; bulk-delete's body is {"id": [<a user id>]}.
// DELETEs must answer 200 with an empty body.
//
// Shape: fields the doc shows with a value may be null when unset (NullOK)
// and lists may be empty (EmptyArrayOK). The User's picture is the number 20
// in three examples; the catalog says to emit an object, so the expected
// shape has {} there; likewise a document's and a FAQ kb's name is {} in the
// examples but a string per the catalog. For messages.send, mention, kbExperts, kbDocs, kbFaqs
// and linkPreviews may be an object or an array (catalog), so they are not
// type-checked.
func TestConformance(t *testing.T) {
	env := start(t)
	eps, err := conformance.Load("workdrive")
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 75 {
		t.Errorf("the catalog has %d endpoints, want 75", len(eps))
	}
	n := conformance.Replay(t, env, "workdrive", func(t *testing.T, ns *testenv.Namespace, ep conformance.Endpoint, ex conformance.Request) (*conformance.Case, func(*http.Request)) {
		if ex.Synthetic {
			ex = synthesize(ep)
		}
		return replay(t, env, ns, ep, ex)
	})
	if n < 75 {
		t.Errorf("replayed only %d examples", n)
	}
}

// replay makes one example concrete in ns.
func replay(t *testing.T, env *testenv.Env, ns *testenv.Namespace, ep conformance.Endpoint, ex conformance.Request) (*conformance.Case, func(*http.Request)) {
	r := newResolver(t, env, ns)
	key := ns.Cred("workdrive", "api_key")
	if ep.ID == "workdrive.organization.create" {
		key = ns.Cred("workdrive", "superadmin_api_key")
	}
	path := ex.Path
	for name, v := range ex.PathParams {
		id := v
		if id == "" {
			id = r.pathID(ep.ID)
		}
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(id))
	}
	query := map[string]any{}
	for k, v := range ex.Query {
		if v == nil && ep.ID == "workdrive.group_chats.delete" && k == "id" {
			v = r.pathID(ep.ID)
		}
		query[k] = r.subst("", k, v)
	}
	if q := conformance.QueryString(query); q != "" {
		path += "?" + q
	}
	var body []byte
	if len(ex.Body) > 0 && string(ex.Body) != "null" {
		var v any
		if err := json.Unmarshal(ex.Body, &v); err != nil {
			t.Fatalf("example body: %v", err)
		}
		if ep.ID == "workdrive.users.bulk_delete" {
			v = r.bulkDeleteIDs(v)
		}
		body, _ = json.Marshal(r.subst("", "", v))
	}
	c := &conformance.Case{
		Method: ex.Method, Path: path,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   body, Status: statusFor(ex.Method), Shape: shapeFor(t, ep.ID, ep.ExampleResponse),
		Options: conformance.Options{NullOK: true, EmptyArrayOK: true},
		// DELETE answers 200 with an empty body.
		EmptyBody: ex.Method == "DELETE",
	}
	if c.EmptyBody {
		c.Shape = nil
	}
	return c, func(r *http.Request) { r.Header.Set("X-API-KEY", key) }
}

// synthesize makes the example that the doc leaves out (its deletes): the
// catalog's method and path, a null path id, and for bulk-delete the body
// the doc's table describes.
func synthesize(ep conformance.Endpoint) conformance.Request {
	ex := conformance.Request{Method: ep.Method, Path: ep.Path, PathParams: map[string]string{}}
	if strings.Contains(ep.Path, "{id}") {
		ex.PathParams["id"] = ""
	}
	if ep.ID == "workdrive.users.bulk_delete" {
		ex.Body = json.RawMessage(`{"id": ["` + placeholderUUID + `"]}`)
	}
	return ex
}

// bulkDeleteIDs is the one field whose name says nothing of its kind.
func (r *resolver) bulkDeleteIDs(body any) any {
	if m, ok := body.(map[string]any); ok {
		if ids, ok := m["id"].([]any); ok {
			for i := range ids {
				ids[i] = r.id("user")
			}
		}
	}
	return body
}

// statusFor is the binding success status of a method.
func statusFor(method string) int {
	if method == "POST" {
		return http.StatusCreated
	}
	return http.StatusOK
}

// shapeFor adjusts a documented response as the doc comment of
// TestConformance says.
func shapeFor(t *testing.T, id string, shape json.RawMessage) json.RawMessage {
	if len(shape) == 0 || string(shape) == "null" {
		return nil
	}
	var v any
	if err := json.Unmarshal(shape, &v); err != nil {
		t.Fatalf("%s: example response: %v", id, err)
	}
	var fix func(any)
	fix = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if p, ok := x["picture"].(float64); ok && p == 20 {
				x["picture"] = map[string]any{}
			}
			if id == "workdrive.documents.list" || id == "workdrive.documents.update" || id == "workdrive.faqs.create" || id == "workdrive.faqs.update" {
				if _, ok := x["name"].(map[string]any); ok {
					x["name"] = "string"
				}
			}
			if id == "workdrive.messages.send" {
				for _, k := range []string{"mention", "kbExperts", "kbDocs", "kbFaqs", "linkPreviews"} {
					delete(x, k)
				}
			}
			for _, e := range x {
				fix(e)
			}
		case []any:
			for _, e := range x {
				fix(e)
			}
		}
	}
	fix(v)
	b, _ := json.Marshal(v)
	return b
}

const placeholderUUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

// fieldKinds names the kind of entity a body or query field refers to.
var fieldKinds = map[string]string{
	"email": "email", "emails": "email", "externalUserEmails": "email",
	"users": "user", "taggedUsers": "user", "taggedUserIds": "user", "userIds": "user", "userId": "user",
	"ownerIds": "user", "newOwnerIds": "user", "removeOwnerIds": "user", "removeIds": "user", "reportsTo": "user",
	"addAdditionalTeams": "user", "removeAdditionalTeams": "user", "receiverUserIds": "user", "mention": "user",
	"newAdmins": "user", "removedAdmins": "user", "members.id": "user", "add.id": "user", "addMembers": "user",
	"addMembers.id": "user", "removeMembers": "user", "remove": "user", "ids": "user",
	"department": "department", "departmentId": "department", "existingDept": "department",
	"members.existingDept": "department", "add.existingDept": "department", "addMembers.existingDept": "department",
	"location": "location", "locations": "location", "locationId": "location", "addAdditionalLocations": "location",
	"securityGroup": "security_group", "groups": "security_group",
	"fileId": "file", "coverFileId": "file", "fileIds": "file", "posterId": "file", "coverImage": "file",
	"videoFileId": "file", "thumbnailFileId": "file", "docId": "file", "videoPreviewIds": "file",
	"conversationId": "conversation", "notificationTemplateId": "template", "trainingCourseTaskListId": "course",
	"documentId": "document", "videoId": "video", "updatedQAs.id": "faq",
	"defaultVisibility": "visibility", "status": "task_status",
}

// source is a list endpoint and the array key of its response.
type source struct{ path, key string }

var kindSources = map[string]source{
	"user":           {"/api/users?per_page=1000", "users"},
	"department":     {"/api/departments", "departments"},
	"location":       {"/api/locations", "locations"},
	"security_group": {"/api/security_groups", "groups"},
	"conversation":   {"/api/group-chats", "conversations"},
	"template":       {"/api/enforcement-templates", "notificationTemplates"},
	"course":         {"/api/courses", "taskLists"},
	"document":       {"/api/documents", "docs"},
	"video":          {"/api/videos", "videos"},
	"faq":            {"/api/faqs", "data"},
	"post":           {"/api/posts", "posts"},
	"news":           {"/api/news", "news"},
	"event":          {"/api/events", "events"},
	"photo":          {"/api/photos", "photos"},
	"draft_task":     {"/api/tasks?published=false", "tasks"},
	"published_task": {"/api/tasks?published=true", "tasks"},
	"task":           {"/api/tasks", "tasks"},
}

// pathKinds maps an endpoint's null path id to a kind.
var pathKinds = map[string]string{
	"workdrive.users.update": "user", "workdrive.users.delete": "user",
	"workdrive.posts.update": "post", "workdrive.posts.delete": "post",
	"workdrive.news.update": "news", "workdrive.news.delete": "news",
	"workdrive.events.update": "event", "workdrive.events.delete": "event",
	"workdrive.videos.update": "video", "workdrive.videos.delete": "video",
	"workdrive.photos.update": "photo", "workdrive.photos.delete": "photo",
	"workdrive.documents.update": "document", "workdrive.documents.delete": "document",
	"workdrive.faqs.update": "faq", "workdrive.faqs.delete": "faq",
	"workdrive.courses.delete":     "course",
	"workdrive.tasks.update":       "draft_task",
	"workdrive.tasks.assign":       "published_task",
	"workdrive.tasks.delete":       "task",
	"workdrive.group_chats.update": "conversation", "workdrive.group_chats.delete": "conversation",
	"workdrive.messages.send": "conversation", "workdrive.meetings.create": "conversation",
	"workdrive.departments.heads.update": "department", "workdrive.departments.members.update": "department",
	"workdrive.departments.members.list": "department", "workdrive.departments.update": "department",
	"workdrive.departments.delete":       "department",
	"workdrive.locations.members.update": "location", "workdrive.locations.members.list": "location",
	"workdrive.locations.update": "location", "workdrive.locations.delete": "location",
	"workdrive.security_groups.members.add": "security_group", "workdrive.security_groups.members.remove": "security_group",
}

var emailSeq atomic.Int64

// resolver finds concrete values in one namespace, caching per kind.
type resolver struct {
	t     *testing.T
	c     *client
	ns    *testenv.Namespace
	cache map[string]string
}

func newResolver(t *testing.T, env *testenv.Env, ns *testenv.Namespace) *resolver {
	return &resolver{t: t, c: newClient(t, env, ns, ns.Cred("workdrive", "api_key")), ns: ns, cache: map[string]string{}}
}

func (r *resolver) pathID(endpoint string) string {
	if endpoint == "workdrive.organization.update" {
		return r.ns.Cred("workdrive", "org_id")
	}
	kind, ok := pathKinds[endpoint]
	if !ok {
		r.t.Fatalf("%s: no kind for its path id", endpoint)
	}
	return r.id(kind)
}

// id returns an existing entity of kind.
func (r *resolver) id(kind string) string {
	if v, ok := r.cache[kind]; ok {
		return v
	}
	var v string
	switch kind {
	case "email":
		return fmt.Sprintf("replay%d@example.com", emailSeq.Add(1))
	case "visibility":
		v = "public"
	case "task_status":
		v = "draft"
	case "file":
		var out struct {
			FileID string `json:"fileId"`
		}
		r.c.must(200, "GET", "/api/media?mime=image/png&name=replay.png&moduleCode=1", nil, &out)
		v = out.FileID
	default:
		src, ok := kindSources[kind]
		if !ok {
			r.t.Fatalf("no list endpoint for kind %s", kind)
		}
		var out map[string]json.RawMessage
		r.c.must(200, "GET", src.path, nil, &out)
		var list []map[string]any
		if err := json.Unmarshal(out[src.key], &list); err != nil {
			r.t.Fatalf("%s: %s is not a list: %v", src.path, src.key, err)
		}
		if len(list) == 0 {
			r.t.Fatalf("%s: the docs seed has no %s", src.path, kind)
		}
		pick := list[0]
		if kind == "user" {
			pick = list[len(list)-1] // the newest user, who heads nothing
		}
		v = fmt.Sprint(pick["id"])
	}
	r.cache[kind] = v
	return v
}

func isPlaceholder(s string) bool {
	return s == "string" || s == "user@example.com" || s == placeholderUUID || strings.HasPrefix(s, "Id of ") ||
		strings.HasPrefix(s, "Task List status")
}

// subst replaces placeholders in v, the value of key inside parent.
func (r *resolver) subst(parent, key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = r.subst(key, k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.subst(parent, key, e)
		}
		return out
	case string:
		if !isPlaceholder(x) {
			return x
		}
		kind := fieldKinds[parent+"."+key]
		if kind == "" {
			kind = fieldKinds[key]
		}
		if kind == "" || ((kind == "visibility" || kind == "task_status") && x == "user@example.com") {
			return x
		}
		return r.id(kind)
	}
	return v
}
