package workdrive_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
)

// Users of the docs seed (seed_data.go).
const (
	docsJane  = "a0c3f96f-73c3-4c67-ba43-b94d640f2485"
	docsJohn  = "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff"
	docsMaria = "bd06213a-a26b-4cd7-a6b8-cfa154073e1f"
)

// collabKey mints an API key for a user of the admin's organization.
func collabKey(t *testing.T, admin *client, userID string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	admin.must(http.StatusCreated, "POST", "/api/token/generate-access", map[string]any{"userId": userID}, &out)
	if out.Token == "" {
		t.Fatal("no token")
	}
	return out.Token
}

// collabOtherOrg creates a second organization and returns its admin's client.
func collabOtherOrg(t *testing.T, env *testenv.Env, ns *testenv.Namespace, admin *client) *client {
	t.Helper()
	var org struct {
		AccessToken string `json:"accessToken"`
	}
	admin.as(ns.Cred("workdrive", "superadmin_api_key")).must(http.StatusCreated, "POST", "/api/organization", map[string]any{
		"name": "Other Org " + time.Now().Format("150405.000000"), "admin": map[string]any{"firstName": "Otto", "lastName": "Other", "email": "otto@other.example"},
	}, &org)
	if org.AccessToken == "" {
		t.Fatal("organization create gave no accessToken")
	}
	return admin.as(org.AccessToken)
}

// otherOrgSeesNone checks that other, a client of another organization,
// gets a 404 from each write and lists no item under key from GET list.
func otherOrgSeesNone(t *testing.T, other *client, list, key string, writes ...otherWrite) {
	t.Helper()
	for _, w := range writes {
		other.must(404, w.method, w.path, w.body, nil)
	}
	var page map[string]json.RawMessage
	other.must(200, "GET", list, nil, &page)
	var items []json.RawMessage
	if err := json.Unmarshal(page[key], &items); err != nil {
		t.Fatalf("GET %s: %s: %v", list, key, err)
	}
	if len(items) != 0 {
		t.Errorf("the other organization lists %d %s", len(items), key)
	}
}

// otherWrite is a write that otherOrgSeesNone sends.
type otherWrite struct {
	method, path string
	body         any
}

type taskOut struct {
	ID              string `json:"id"`
	Title           string `json:"title"`
	Status          string `json:"status"`
	CreatedAt       string `json:"createdAt"`
	DueDate         string `json:"dueDate"`
	DueDays         int    `json:"dueDays"`
	CreatedBy       any    `json:"createdBy"`
	AssignedUserIDs []any  `json:"assignedUserIds"`
}

func TestTasksDraftPublishAssign(t *testing.T) {
	_, ns, admin := adminClient(t, "docs")
	adminID := ns.Cred("workdrive", "user_id")

	var draft taskOut
	admin.must(201, "POST", "/api/tasks", map[string]any{"title": "Write the release notes", "task_type": "Article",
		"content": "Summarise what changed", "dueDays": "3", "time": 2}, &draft)
	if draft.Status != "draft" || draft.CreatedBy != adminID {
		t.Fatalf("created task: status %q createdBy %v, want draft by %s", draft.Status, draft.CreatedBy, adminID)
	}
	created, _ := time.Parse(time.RFC3339, draft.CreatedAt)
	due, _ := time.Parse(time.RFC3339, draft.DueDate)
	if due.Sub(created) != 72*time.Hour {
		t.Errorf("dueDate %s is not createdAt %s + 3 days", draft.DueDate, draft.CreatedAt)
	}

	// A draft cannot be assigned to anyone else, in either endpoint.
	res := admin.do("PATCH", "/api/tasks/assign/"+draft.ID, map[string]any{"userIds": []string{docsJane}})
	if res.StatusCode != 400 || !strings.Contains(string(res.Body), "draft") {
		t.Fatalf("assigning a draft: %d %s, want 400", res.StatusCode, res.Body)
	}
	if m := res.JSON(t); m["statusCode"] != float64(400) || m["error"] != "Bad Request" {
		t.Errorf("error envelope: %s", res.Body)
	}
	admin.must(400, "POST", "/api/tasks", map[string]any{"title": "x", "status": "draft", "userIds": []string{docsJane}}, nil)

	// Publishing is an update; a published task cannot be updated again.
	var pub taskOut
	admin.must(200, "PATCH", "/api/tasks/update/"+draft.ID, map[string]any{"status": "published", "dueDays": 1}, &pub)
	if pub.Status != "publish" || pub.DueDays != 1 {
		t.Fatalf("after publishing: %+v", pub)
	}
	admin.must(400, "PATCH", "/api/tasks/update/"+draft.ID, map[string]any{"title": "changed"}, nil)

	// Assign: removeIds first, then userIds.
	var assigned struct {
		AssignedUserIDs []struct {
			ID string `json:"id"`
		} `json:"assignedUserIds"`
	}
	admin.must(200, "PATCH", "/api/tasks/assign/"+draft.ID,
		map[string]any{"userIds": []string{docsJane, docsJohn}, "removeIds": []string{docsJane}}, &assigned)
	if len(assigned.AssignedUserIDs) != 2 {
		t.Fatalf("assignees: %+v, want Jane and John", assigned.AssignedUserIDs)
	}
	admin.must(200, "PATCH", "/api/tasks/assign/"+draft.ID, map[string]any{"removeIds": docsJohn}, &assigned)
	if len(assigned.AssignedUserIDs) != 1 || assigned.AssignedUserIDs[0].ID != docsJane {
		t.Fatalf("after removing John: %+v", assigned.AssignedUserIDs)
	}

	// Jane sees it among the tasks assigned to her; John no longer does.
	jane := admin.as(collabKey(t, admin, docsJane))
	var list struct {
		Tasks []taskOut `json:"tasks"`
		Meta  struct {
			TotalResults int `json:"totalResults"`
		} `json:"meta"`
	}
	jane.must(200, "GET", "/api/tasks?filter=INDEPENDENT_TASKS_ASSIGNED_TO_ME&published=true&per_page=100", nil, &list)
	if !hasTask(list.Tasks, draft.ID) {
		t.Errorf("Jane's assigned tasks lack %s", draft.ID)
	}
	john := admin.as(collabKey(t, admin, docsJohn))
	john.must(200, "GET", "/api/tasks?filter=INDEPENDENT_TASKS_ASSIGNED_TO_ME&per_page=100", nil, &list)
	if hasTask(list.Tasks, draft.ID) {
		t.Errorf("John still sees %s after being unassigned", draft.ID)
	}
	// Only the creator (or the OrgAdmin) manages a task.
	jane.must(403, "PATCH", "/api/tasks/assign/"+draft.ID, map[string]any{"userIds": []string{docsJohn}}, nil)
	jane.must(403, "DELETE", "/api/tasks/"+draft.ID, nil, nil)

	// Create and assign in one call: published, with the assignees' ids.
	var both taskOut
	admin.must(201, "POST", "/api/tasks", map[string]any{"title": "Quiz", "task_type": "QuizLink",
		"link": "https://quiz.example.com/1", "userIds": docsJohn}, &both)
	if both.Status != "publish" || len(both.AssignedUserIDs) != 1 || both.AssignedUserIDs[0] != docsJohn {
		t.Fatalf("create and assign: %+v", both)
	}

	// The list's createdBy is a UserSummary.
	admin.must(200, "GET", "/api/tasks?filter=INDEPENDENT_TASKS_CREATED_BY_ME&sort_direction=DESC&per_page=1", nil, &list)
	if len(list.Tasks) != 1 || list.Tasks[0].ID != both.ID {
		t.Fatalf("newest created task: %+v", list.Tasks)
	}
	if by, ok := list.Tasks[0].CreatedBy.(map[string]any); !ok || by["id"] != adminID {
		t.Errorf("list createdBy = %v, want the admin's summary", list.Tasks[0].CreatedBy)
	}

	// Delete: 200 with an empty body, then gone.
	res = admin.do("DELETE", "/api/tasks/"+both.ID, nil)
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %q", res.StatusCode, res.Body)
	}
	admin.must(404, "DELETE", "/api/tasks/"+both.ID, nil, nil)
	admin.must(404, "PATCH", "/api/tasks/update/id", map[string]any{}, nil) // the doc's literal path
}

func hasTask(list []taskOut, id string) bool {
	for _, t := range list {
		if t.ID == id {
			return true
		}
	}
	return false
}

func TestTasksValidation(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	tests := []struct {
		name string
		body any
	}{
		{"no title", map[string]any{"content": "x"}},
		{"unknown status", map[string]any{"title": "t", "status": "done"}},
		{"unknown task_type", map[string]any{"title": "t", "task_type": "Podcast"}},
		{"article without content", map[string]any{"title": "t", "task_type": "Article"}},
		{"quiz without link", map[string]any{"title": "t", "task_type": "QuizLink"}},
		{"link not a URL", map[string]any{"title": "t", "link": "abc"}},
		{"unknown video", map[string]any{"title": "t", "task_type": "Video", "videoId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}},
		{"unknown document", map[string]any{"title": "t", "task_type": "Document", "documentId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}},
		{"unknown course", map[string]any{"title": "t", "task_type": "TrainingCourse", "trainingCourseTaskListId": "nope"}},
		{"unknown template", map[string]any{"title": "t", "notificationTemplateId": "nope"}},
		{"unknown assignee", map[string]any{"title": "t", "userIds": []string{"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}},
		{"negative dueDays", map[string]any{"title": "t", "dueDays": -1}},
		{"dueDays not a number", map[string]any{"title": "t", "dueDays": "soon"}},
		{"malformed JSON", "{"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := admin.do("POST", "/api/tasks", tt.body)
			if res.StatusCode != 400 {
				t.Fatalf("status %d, want 400: %s", res.StatusCode, res.Body)
			}
		})
	}
	for _, q := range []string{"filter=MINE", "sort_direction=UP", "published=maybe", "per_page=x"} {
		if res := admin.do("GET", "/api/tasks?"+q, nil); res.StatusCode != 400 {
			t.Errorf("GET /api/tasks?%s: %d, want 400", q, res.StatusCode)
		}
	}
	admin.as("").must(401, "GET", "/api/tasks", nil, nil)
}

func TestTasksIsolationAndPaging(t *testing.T) {
	env, ns, admin := adminClient(t, "empty")
	other := collabOtherOrg(t, env, ns, admin)
	var mine taskOut
	admin.must(201, "POST", "/api/tasks", map[string]any{"title": "Mine"}, &mine)
	otherOrgSeesNone(t, other, "/api/tasks", "tasks",
		otherWrite{"PATCH", "/api/tasks/update/" + mine.ID, map[string]any{"title": "stolen"}},
		otherWrite{"PATCH", "/api/tasks/assign/" + mine.ID, map[string]any{}},
		otherWrite{"DELETE", "/api/tasks/" + mine.ID, nil})

	// Walk 25 tasks in pages of 4, oldest first: none missing or repeated.
	for i := range 24 {
		admin.must(201, "POST", "/api/tasks", map[string]any{"title": "Task " + string(rune('A'+i))}, nil)
		env.Clock.Advance(time.Millisecond)
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		var p struct {
			Tasks []taskOut `json:"tasks"`
			Meta  struct {
				PerPage, TotalPages, TotalResults, CurPage, NextPage int
			} `json:"meta"`
		}
		admin.must(200, "GET", "/api/tasks?per_page=4&cur_page="+strconv.Itoa(page), nil, &p)
		if p.Meta.TotalResults != 25 || p.Meta.TotalPages != 7 || p.Meta.CurPage != page {
			t.Fatalf("page %d meta: %+v", page, p.Meta)
		}
		for _, x := range p.Tasks {
			if seen[x.ID] {
				t.Fatalf("task %s on two pages", x.ID)
			}
			seen[x.ID] = true
		}
		if p.Meta.NextPage == 0 {
			break
		}
	}
	if len(seen) != 25 {
		t.Errorf("walked %d tasks, want 25", len(seen))
	}
}
