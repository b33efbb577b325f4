package clinked_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type bEvent struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	FriendlyName string `json:"friendlyName"`
	StartDate    string `json:"startDate"`
	EndDate      string `json:"endDate"`
	Tags         string `json:"tags"`
	Author       struct {
		Username string `json:"username"`
	} `json:"author"`
	Group struct {
		ID int64 `json:"id"`
	} `json:"group"`
}

type bTask struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Status           string `json:"status"`
	Priority         string `json:"priority"`
	Progress         int64  `json:"progress"`
	DateCompleted    *int64 `json:"dateCompleted"`
	NumberOfSubTasks int64  `json:"numberOfSubTasks"`
	Assignees        []struct {
		ID int64 `json:"id"`
	} `json:"assignees"`
}

func eventNames(es []bEvent) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return strings.Join(out, ",")
}

// TestGroupEvents covers the event calls that calendar integrations make:
// create in a group, list the group, then find it in the account's events
// between dateStart and dateEnd; slugs, validation, update and trash.
func TestGroupEvents(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)

	var created bEvent
	maria.decode("POST", "/v3/groups/1/events", map[string]any{
		"name": "quarterly_review", "friendlyName": "Quarterly review", "startDate": "2026-05-01T14:00:00.000Z",
		"endDate": "2026-05-01T15:30:00.000Z", "location": "Room 4", "tags": []string{"q2", "review"}, "color": "#00ff00",
	}, http.StatusCreated, &created)
	if created.ID == 0 || created.StartDate != "2026-05-01T14:00Z[UTC]" || created.EndDate != "2026-05-01T15:30Z[UTC]" ||
		created.Tags != "q2,review" || created.Author.Username != "maria" || created.Group.ID != 1 {
		t.Fatalf("created %+v", created)
	}
	// The zoned form of Clinked's own answers is accepted too.
	var zonedForm bEvent
	maria.decode("POST", "/v3/groups/1/events", map[string]any{
		"friendlyName": "Quarterly review", "startDate": "2026-05-08T14:00Z[UTC]",
	}, http.StatusCreated, &zonedForm)
	if zonedForm.Name != "quarterly_review_2" || zonedForm.EndDate != "2026-05-08T15:00Z[UTC]" {
		t.Errorf("derived slug/default end: %+v", zonedForm)
	}

	var page bPage[bEvent]
	maria.decode("GET", "/v3/groups/1/events?page=1&pageSize=50", nil, http.StatusOK, &page)
	if !strings.Contains(eventNames(page.Items), "quarterly_review") {
		t.Errorf("group list lacks the new event: %s", eventNames(page.Items))
	}

	tests := []struct {
		name, query string
		want        []string
		dontWant    []string
	}{
		{"window with the event", "dateStart=2026-05-01&dateEnd=2026-05-01", []string{"quarterly_review"}, []string{"quarterly_review_2", "kick_off_call"}},
		{"window before", "dateStart=2026-04-01&dateEnd=2026-04-30", nil, []string{"quarterly_review"}},
		{"recurring series overlaps", "dateStart=2027-03-01&dateEnd=2027-03-07", []string{"weekly_check_in"}, []string{"kick_off_call"}},
		{"no window", "", []string{"quarterly_review", "kick_off_call", "contract_signature"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, who := range []string{"account=1", "user=maria"} {
				var es []bEvent
				maria.decode("GET", "/v3/events?"+who+"&"+tt.query, nil, http.StatusOK, &es)
				got := "," + eventNames(es) + ","
				for _, w := range tt.want {
					if !strings.Contains(got, ","+w+",") {
						t.Errorf("%s: %s lacks %s", who, got, w)
					}
				}
				for _, w := range tt.dontWant {
					if strings.Contains(got, ","+w+",") {
						t.Errorf("%s: %s has %s", who, got, w)
					}
				}
			}
		})
	}

	bad := []struct {
		name string
		body string
		code int
	}{
		{"duplicate slug", `{"name":"quarterly_review","friendlyName":"Again","startDate":"2026-06-01T10:00:00Z"}`, 409},
		{"no start", `{"friendlyName":"No start"}`, 400},
		{"bad start", `{"friendlyName":"x","startDate":"next tuesday"}`, 400},
		{"end before start", `{"friendlyName":"x","startDate":"2026-06-01T10:00:00Z","endDate":"2026-06-01T09:00:00Z"}`, 400},
		{"bad colour", `{"friendlyName":"x","startDate":"2026-06-01T10:00:00Z","color":"green"}`, 400},
		{"name not a string", `{"friendlyName":123,"startDate":"2026-06-01T10:00:00Z"}`, 400},
		{"bad recurrence", `{"friendlyName":"x","startDate":"2026-06-01T10:00:00Z","recurrence":"sometimes"}`, 400},
		{"bad sharing", `{"friendlyName":"x","startDate":"2026-06-01T10:00:00Z","sharing":"EVERYONE"}`, 400},
		{"long name", `{"friendlyName":"` + strings.Repeat("x", 300) + `","startDate":"2026-06-01T10:00:00Z"}`, 400},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) { maria.wantError("POST", "/v3/groups/1/events", tt.body, tt.code) })
	}
	maria.wantError("GET", "/v3/events?dateStart=2026-05-01", nil, 400)
	maria.wantError("GET", "/v3/events?account=1&dateStart=May", nil, 400)

	// Update, then delete into the trash and restore.
	var upd bEvent
	maria.decode("PUT", fmt.Sprintf("/v3/groups/1/events/%d", created.ID), map[string]any{"friendlyName": "Q2 review", "location": nil},
		http.StatusOK, &upd)
	if upd.FriendlyName != "Q2 review" || upd.Name != "quarterly_review" || upd.StartDate != created.StartDate {
		t.Errorf("updated %+v", upd)
	}
	maria.want("DELETE", fmt.Sprintf("/v3/groups/1/events/%d", created.ID), nil, http.StatusOK)
	maria.wantError("GET", fmt.Sprintf("/v3/groups/1/events/%d", created.ID), nil, 404)
	var trash bPage[bTrash]
	maria.decode("GET", "/v3/groups/1/trash", nil, http.StatusOK, &trash)
	var entry int64
	for _, it := range trash.Items {
		if it.Type == "event" {
			entry = it.ID
		}
	}
	if entry == 0 {
		t.Fatalf("trash lacks the event: %+v", trash.Items)
	}
	// The slug is free while the event is in the trash; a restore that
	// would clash lands in error.
	var clash bEvent
	maria.decode("POST", "/v3/groups/1/events", `{"name":"quarterly_review","friendlyName":"Clash","startDate":"2026-06-01T10:00:00Z"}`,
		http.StatusCreated, &clash)
	var res bTrashResult
	maria.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{entry}}, http.StatusOK, &res)
	if len(res.Success) != 0 || len(res.Error) != 1 {
		t.Fatalf("clashing restore: %+v", res)
	}
	maria.want("DELETE", fmt.Sprintf("/v3/groups/1/events/%d", clash.ID), nil, http.StatusOK)
	maria.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "restore", "items": []int64{entry}}, http.StatusOK, &res)
	if len(res.Success) != 1 || res.Success[0].ID != entry {
		t.Fatalf("restore: %+v", res)
	}
	maria.want("GET", fmt.Sprintf("/v3/groups/1/events/%d", created.ID), nil, http.StatusOK)
}

// TestContentPermissions: basic members may not change others' content,
// non-members of the group get 403, another account's group is 404.
func TestContentPermissions(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)
	tom := bLogin(t, env, ns, "tom", "demo-password")          // group 1 member manager (8)
	anna := bLogin(t, env, ns, "anna.client", "demo-password") // group 1 basic (1)
	ravi := bLogin(t, env, ns, "ravi", "demo-password")        // account 2 only

	var ev bEvent
	maria.decode("POST", "/v3/groups/1/events", `{"friendlyName":"Board","startDate":"2026-06-01T10:00:00Z"}`, http.StatusCreated, &ev)
	var tk bTask
	maria.decode("POST", "/v3/groups/1/tasks", `{"friendlyName":"Prepare board pack"}`, http.StatusCreated, &tk)
	evPath, tkPath := fmt.Sprintf("/v3/groups/1/events/%d", ev.ID), fmt.Sprintf("/v3/groups/1/tasks/%d", tk.ID)

	tests := []struct {
		name   string
		c      *bClient
		method string
		path   string
		body   string
		status int
	}{
		{"basic member reads", anna, "GET", evPath, "", 200},
		{"basic member may not change another's event", anna, "PUT", evPath, `{"friendlyName":"Mine"}`, 403},
		{"basic member may not delete another's task", anna, "DELETE", tkPath, "", 403},
		{"basic member creates", anna, "POST", "/v3/groups/1/tasks", `{"friendlyName":"Anna's task"}`, 201},
		{"member manager changes", tom, "PUT", tkPath, `{"status":"IN_PROGRESS"}`, 200},
		{"non-member list", tom, "GET", "/v3/groups/3/events", "", 403}, // tom is in account 1, not in group 3
		{"non-member get", tom, "GET", "/v3/groups/3/tasks/1", "", 403},
		{"non-member create", tom, "POST", "/v3/groups/3/tasks", `{"friendlyName":"x"}`, 403},
		{"non-member trash", tom, "GET", "/v3/groups/3/trash", "", 403},
		{"foreign account list", ravi, "GET", "/v3/groups/1/tasks", "", 404},
		{"foreign account delete", ravi, "DELETE", evPath, "", 404},
		{"foreign account's events", ravi, "GET", "/v3/events?account=1", "", 404},
		{"unknown group", maria, "GET", "/v3/groups/999/events", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.body != "" {
				body = tt.body
			}
			tt.c.want(tt.method, tt.path, body, tt.status)
		})
	}
	// Private content stays with its author and the administrators.
	var private bTask
	tom.decode("POST", "/v3/groups/1/tasks", `{"friendlyName":"Private note","sharing":"NONE"}`, http.StatusCreated, &private)
	anna.want("GET", fmt.Sprintf("/v3/groups/1/tasks/%d", private.ID), nil, 404)
	maria.want("GET", fmt.Sprintf("/v3/groups/1/tasks/%d", private.ID), nil, 200)
	var annaTasks bPage[bTask]
	anna.decode("GET", "/v3/groups/1/tasks?size=100", nil, http.StatusOK, &annaTasks)
	for _, it := range annaTasks.Items {
		if it.ID == private.ID {
			t.Error("a basic member lists a task shared NONE")
		}
	}
}

// TestTasks covers group tasks and the account task list with its filters.
func TestTasks(t *testing.T) {
	env, ns := startIn(t, "demo")
	maria := bAdmin(t, env, ns)

	var parent, sub bTask
	maria.decode("POST", "/v3/groups/1/tasks", map[string]any{
		"friendlyName": "Launch checklist", "priority": "URGENT", "dueDate": "2027-04-01T12:00:00Z", "assignees": []int64{2, 5},
	}, http.StatusCreated, &parent)
	if parent.Status != "WAITING" || len(parent.Assignees) != 2 {
		t.Fatalf("created %+v", parent)
	}
	maria.decode("POST", "/v3/groups/1/tasks", map[string]any{"friendlyName": "Book room", "parent": parent.ID}, http.StatusCreated, &sub)
	maria.decode("GET", fmt.Sprintf("/v3/groups/1/tasks/%d", parent.ID), nil, http.StatusOK, &parent)
	if parent.NumberOfSubTasks != 1 {
		t.Errorf("numberOfSubTasks = %d", parent.NumberOfSubTasks)
	}
	var done bTask
	maria.decode("PATCH", fmt.Sprintf("/v3/groups/1/tasks/%d", sub.ID), `{"status":"COMPLETED"}`, http.StatusOK, &done)
	if done.DateCompleted == nil || done.Progress != 100 {
		t.Errorf("completed task: %+v", done)
	}

	tests := []struct {
		query string
		want  int
	}{
		{"account=1&priority=URGENT", 2}, // with the demo's launch venue
		{"account=1&assignedTo=5", 3},    // two demo tasks and the new one
		{"account=1&status=COMPLETED", 2},
		{"account=1&parent=" + fmt.Sprint(parent.ID), 1},
		{"account=1&name=checklist", 1},
		{"account=1&name=Launch%20checklist&exact=true", 1},
		{"account=1&name=Launch&exact=true", 0},
		{"account=1&slug=launch_checklist", 1},
		{"account=1&category=Paperwork", 1},
		{"account=1&dateStart=2027-04-01&dateEnd=2027-04-01", 1},
		{"user=tom", 7}, // tom's groups 1 and 2, less the trashed task
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var page bPage[bTask]
			maria.decode("GET", "/v3/tasks?"+tt.query, nil, http.StatusOK, &page)
			if page.TotalResults != tt.want || len(page.Items) != tt.want {
				t.Errorf("%d results (%d items), want %d", page.TotalResults, len(page.Items), tt.want)
			}
		})
	}
	for _, q := range []string{"", "account=1&priority=SOON", "account=1&status=DONE", "account=x", "account=1&exact=maybe"} {
		maria.wantError("GET", "/v3/tasks?"+q, nil, 400)
	}
	for _, body := range []string{`{"friendlyName":"x","assignees":[3]}`, `{"friendlyName":"x","progress":101}`,
		`{"friendlyName":"x","parent":` + fmt.Sprint(sub.ID) + `}`, `{"friendlyName":"x","status":"DONE"}`} {
		maria.wantError("POST", "/v3/groups/1/tasks", body, 400)
	}

	// processAll empties the trash; progress then reads 100.
	maria.want("DELETE", fmt.Sprintf("/v3/groups/1/tasks/%d", sub.ID), nil, http.StatusOK)
	var res bTrashResult
	maria.decode("POST", "/v3/groups/1/trash", map[string]any{"action": "delete", "processAll": true}, http.StatusOK, &res)
	purged := map[int64]bool{}
	for _, it := range res.Success {
		purged[it.ID] = true
	}
	if len(res.Error) != 0 || len(purged) < 2 { // at least the demo's trashed task and sub
		t.Errorf("processAll: %+v", res)
	}
	var progress struct {
		Progress float64 `json:"progress"`
	}
	maria.decode("GET", "/v3/groups/1/trash/progress", nil, http.StatusOK, &progress)
	if progress.Progress != 100 {
		t.Errorf("progress %v", progress.Progress)
	}
	var trash bPage[bTrash]
	maria.decode("GET", "/v3/groups/1/trash", nil, http.StatusOK, &trash)
	if trash.TotalResults != 0 {
		t.Errorf("trash after processAll: %+v", trash)
	}
	maria.want("GET", fmt.Sprintf("/v3/groups/1/tasks/%d", sub.ID), nil, 404)
	maria.wantError("DELETE", "/v3/groups/1/trash/12345", nil, 404)
	maria.wantError("POST", "/v3/groups/1/trash", `{"action":"shred","items":[1]}`, 400)
	maria.wantError("POST", "/v3/groups/1/trash", `{"action":"restore","processAll":true}`, 400)
}

// TestEventsTasksFixtures loads events and tasks from a seed document and
// refuses a bad one.
func TestEventsTasksFixtures(t *testing.T) {
	env, ns := startIn(t, "docs")
	doc := `{"clinked": {"events": [{"id": 50, "group": 1, "friendly_name": "Fixture event", "start_date": "2030-01-01T09:00:00Z"}],
		"tasks": [{"id": 60, "group": 1, "friendly_name": "Fixture task", "assignees": [4], "trashed": true}]}}`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, http.StatusOK, nil)
	jack := bAdmin(t, env, ns)
	var e bEvent
	jack.decode("GET", "/v3/groups/1/events/50", nil, http.StatusOK, &e)
	if e.Name != "fixture_event" || e.EndDate != "2030-01-01T10:00Z[UTC]" {
		t.Errorf("fixture event %+v", e)
	}
	var trash bPage[bTrash]
	jack.decode("GET", "/v3/groups/1/trash", nil, http.StatusOK, &trash)
	found := false
	for _, it := range trash.Items {
		found = found || it.Type == "task"
	}
	if !found {
		t.Errorf("trashed fixture task is not in the trash: %+v", trash.Items)
	}
	for _, bad := range []string{
		`{"clinked": {"events": [{"group": 1, "friendly_name": "No start"}]}}`,
		`{"clinked": {"events": [{"group": 99, "friendly_name": "x", "start_date": 1}]}}`,
		`{"clinked": {"tasks": [{"group": 1, "friendly_name": "x", "status": "DONE"}]}}`,
		`{"clinked": {"tasks": [{"group": 1, "friendly_name": "x", "assignees": [3]}]}}`,
		`{"clinked": {"events": [{"group": 1, "friendly_name": "x", "start_date": "soon"}]}}`,
	} {
		if res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", bad, nil); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
