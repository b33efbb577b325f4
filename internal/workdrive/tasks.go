package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Task statuses. A draft cannot be assigned to other users; a published
// task cannot be updated.
const (
	taskDraft   = "draft"
	taskPublish = "publish"
)

// task is a row of workdrive_tasks.
type task struct {
	id, orgID, title, description, content, status, taskType string
	link, videoID, documentID, courseID, templateID          string
	dueDays, estTime                                         int64
	createdBy, updatedBy                                     string
	createdAt, updatedAt                                     int64
}

const taskColumns = `id, org_id, title, description, content, status, task_type, link, video_id, document_id,
	course_id, notification_template_id, due_days, est_time, created_by, updated_by, created_at, updated_at`

func (t *task) dest() []any {
	return []any{&t.id, &t.orgID, &t.title, &t.description, &t.content, &t.status, &t.taskType, &t.link,
		&t.videoID, &t.documentID, &t.courseID, &t.templateID, &t.dueDays, &t.estTime,
		&t.createdBy, &t.updatedBy, &t.createdAt, &t.updatedAt}
}

var scanTask = scanRow[task]

func taskInOrg(ctx context.Context, q store.Querier, ns, org, id string) (*task, error) {
	return rowInOrg[task](ctx, q, "workdrive_tasks", taskColumns, ns, org, id)
}

// insertTask stores a task.
func insertTask(ctx context.Context, q store.Querier, ns string, t *task) error {
	return insertSeqRow(ctx, q, "workdrive_tasks", "workdrive.task", taskColumns, t.dest(), ns)
}

func updateTaskRow(ctx context.Context, q store.Querier, ns string, t *task) error {
	_, err := q.ExecContext(ctx, `UPDATE workdrive_tasks SET title = $3, description = $4, content = $5,
		status = $6, task_type = $7, link = $8, video_id = $9, document_id = $10, course_id = $11,
		notification_template_id = $12, due_days = $13, est_time = $14, updated_by = $15, updated_at = $16
		WHERE ns = $1 AND id = $2`,
		ns, t.id, t.title, t.description, t.content, t.status, t.taskType, t.link, t.videoID, t.documentID,
		t.courseID, t.templateID, t.dueDays, t.estTime, t.updatedBy, t.updatedAt)
	return err
}

// assignTask adds an assignee (idempotent).
func assignTaskUser(ctx context.Context, q store.Querier, ns, taskID, userID string, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_task_assignees (ns, task_id, user_id, assigned_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (ns, task_id, user_id) DO NOTHING`, ns, taskID, userID, now)
	return err
}

func taskAssignees(ctx context.Context, q store.Querier, ns, taskID string) ([]string, error) {
	return strList(ctx, q, `SELECT user_id FROM workdrive_task_assignees WHERE ns = $1 AND task_id = $2
		ORDER BY assigned_at, user_id`, ns, taskID)
}

// assigneesOf returns the assignees of a page of tasks in one query.
func assigneesOf(ctx context.Context, q store.Querier, ns string, taskIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var a store.Args
	ph := make([]string, len(taskIDs))
	nsArg := a.Add(ns)
	for i, id := range taskIDs {
		ph[i] = a.Add(id)
	}
	rows, err := q.QueryContext(ctx, `SELECT task_id, user_id FROM workdrive_task_assignees
		WHERE ns = `+nsArg+` AND task_id IN (`+strings.Join(ph, ", ")+`) ORDER BY assigned_at, user_id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t, u string
		if err := rows.Scan(&t, &u); err != nil {
			return nil, err
		}
		out[t] = append(out[t], u)
	}
	return out, rows.Err()
}

// parseTaskStatus accepts the doc's values in any case, and "published"
// (the update example's spelling) for publish.
func parseTaskStatus(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "draft":
		return taskDraft, true
	case "publish", "published":
		return taskPublish, true
	}
	return "", false
}

// taskTypes maps the accepted spellings (lower-cased) to the canonical
// task_type; "link" and "course" are the table's own words for QuizLink
// and TrainingCourse.
var taskTypes = map[string]string{
	"article": "Article", "video": "Video", "quizlink": "QuizLink", "link": "QuizLink",
	"document": "Document", "trainingcourse": "TrainingCourse", "course": "TrainingCourse",
}

// taskFields reads the writable task fields present in b into t.
func taskFields(b *httpx.Body, t *task) {
	if v, ok := b.String("title"); ok {
		t.title = strings.TrimSpace(v)
	}
	if v, ok := b.String("description"); ok {
		t.description = v
	}
	if v, ok := b.String("content"); ok {
		t.content = v
	}
	if v, ok := b.String("task_type"); ok {
		if tt, known := taskTypes[strings.ToLower(strings.TrimSpace(v))]; known {
			t.taskType = tt
		} else if v != "" {
			b.Fail("task_type", "one of Article, Video, QuizLink, Document, TrainingCourse")
		} else {
			t.taskType = ""
		}
	}
	if v, ok := b.String("link"); ok {
		t.link = strings.TrimSpace(v)
	}
	if v, ok := b.String("videoId"); ok {
		t.videoID = strings.TrimSpace(v)
	}
	if v, ok := b.String("documentId"); ok {
		t.documentID = strings.TrimSpace(v)
	}
	if v, ok := b.String("trainingCourseTaskListId"); ok {
		t.courseID = strings.TrimSpace(v)
	}
	if v, ok := b.String("notificationTemplateId"); ok {
		t.templateID = strings.TrimSpace(v)
	}
	if v, ok := b.Int("dueDays"); ok {
		if v < 0 {
			b.Fail("dueDays", "a non-negative integer")
		}
		t.dueDays = v
	}
	if v, ok := b.Int("time"); ok {
		if v < 0 {
			b.Fail("time", "a non-negative integer")
		}
		t.estTime = v
	}
}

// checkTask validates a task as it will be stored. The reference that the
// task_type uses is required and must exist in the organization; the
// references that the type does not use are dropped (the doc's examples
// send all of them with every type). An untyped task keeps and validates
// whichever it was given.
func checkTask(ctx context.Context, q store.Querier, ns, org string, t *task) error {
	if t.title == "" {
		return httpx.BadRequest("title should not be empty")
	}
	need := func(field, v string) error {
		if v == "" {
			return httpx.BadRequest("%s is required for a task of type %s", field, t.taskType)
		}
		return nil
	}
	var err error
	switch t.taskType {
	case "Article":
		err = need("content", t.content)
		t.videoID, t.documentID, t.courseID = "", "", ""
	case "Video":
		err = need("videoId", t.videoID)
		t.documentID, t.courseID = "", ""
	case "QuizLink":
		err = need("link", t.link)
		t.videoID, t.documentID, t.courseID = "", "", ""
	case "Document":
		err = need("documentId", t.documentID)
		t.videoID, t.courseID = "", ""
	case "TrainingCourse":
		err = need("trainingCourseTaskListId", t.courseID)
		t.videoID, t.documentID = "", ""
	}
	if err != nil {
		return err
	}
	if t.link != "" {
		if u, err := url.Parse(t.link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return httpx.BadRequest("link must be an http or https URL")
		}
	}
	if t.videoID != "" {
		// A video of the Videos module, or an uploaded video file.
		ok, err := videoInOrg(ctx, q, ns, org, t.videoID)
		if err != nil {
			return err
		}
		if !ok {
			if err := checkFileRef(ctx, q, ns, org, "videoId", t.videoID); err != nil {
				return err
			}
		}
	}
	refs := []struct {
		field, id string
		check     func(context.Context, store.Querier, string, string, string) (bool, error)
	}{
		{"documentId", t.documentID, documentInOrg},
		{"trainingCourseTaskListId", t.courseID, courseInOrg},
		{"notificationTemplateId", t.templateID, templateInOrg},
	}
	for _, r := range refs {
		if r.id == "" {
			continue
		}
		ok, err := r.check(ctx, q, ns, org, r.id)
		if err != nil {
			return err
		}
		if !ok {
			return httpx.BadRequest("%s %q does not name an existing entity of this organization", r.field, r.id)
		}
	}
	return nil
}

// taskOut is the Task object.
type taskOut struct {
	AssignedUserIDs          any    `json:"assignedUserIds"` // ids, or summaries (assign)
	Content                  string `json:"content"`
	CreatedAt                string `json:"createdAt"`
	CreatedBy                any    `json:"createdBy"` // an id, or a UserSummary (lists)
	Description              string `json:"description"`
	DocumentID               string `json:"documentId"`
	DueDate                  string `json:"dueDate"`
	DueDays                  int64  `json:"dueDays"`
	ID                       string `json:"id"`
	Link                     string `json:"link"`
	NotificationTemplateID   string `json:"notificationTemplateId"`
	Status                   string `json:"status"`
	TaskType                 string `json:"task_type"`
	Time                     int64  `json:"time"`
	Title                    string `json:"title"`
	TrainingCourse           idOnly `json:"trainingCourse"`
	TrainingCourseTaskListID string `json:"trainingCourseTaskListId"`
	UpdatedAt                string `json:"updatedAt"`
	VideoID                  string `json:"videoId"`
}

// idOnly is {} or {"id"}.
type idOnly struct {
	ID string `json:"id,omitempty"`
}

// taskJSON renders a task. createdBy is the creator's id (create and update
// responses) or UserSummary (lists); assigned is the assignees' ids, or
// their summaries (assign response).
func taskJSON(t *task, createdBy, assigned any) *taskOut {
	return &taskOut{
		ID: t.id, Title: t.title, Content: t.content, Time: t.estTime, VideoID: t.videoID,
		Description: t.description, Link: t.link,
		DueDate: isoTime(t.createdAt + t.dueDays*24*3600*1000),
		Status:  t.status, CreatedBy: createdBy, CreatedAt: isoTime(t.createdAt), DueDays: t.dueDays,
		TrainingCourse: idOnly{ID: t.courseID}, TrainingCourseTaskListID: t.courseID, UpdatedAt: isoTime(t.updatedAt),
		TaskType: t.taskType, DocumentID: t.documentID, NotificationTemplateID: t.templateID,
		AssignedUserIDs: assigned,
	}
}

// taskWithAssignees is the Task object with its assignees' ids, as create
// and update answer.
func taskWithAssignees(ctx context.Context, q store.Querier, ns string, t *task) (*taskOut, error) {
	assigned, err := taskAssignees(ctx, q, ns, t.id)
	if err != nil {
		return nil, err
	}
	return taskJSON(t, t.createdBy, nonNil(assigned)), nil
}

// editableTask loads a task of the caller's organization for a write (404
// otherwise): the creator and the OrgAdmin may change it (403).
func editableTask(ctx context.Context, tx *sql.Tx, c *caller, id string) (*task, error) {
	t, err := taskInOrg(ctx, tx, c.ns.ID, c.orgID, id)
	if err != nil {
		return nil, pathErr(err, "Task", id)
	}
	if t.createdBy != c.id && !c.isOrgAdmin() {
		return nil, httpx.Forbidden("Only the task's creator or the organization admin can change this task")
	}
	return t, nil
}

// listTasks serves GET /api/tasks: the caller's tasks (created by or assigned
// to them unless filter narrows it), oldest first unless sort_direction.
func (s *Service) listTasks(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var a store.Args
	where := c.inOrg(&a, "x")
	me := a.Add(c.id)
	assigned := "EXISTS (SELECT 1 FROM workdrive_task_assignees ta WHERE ta.ns = x.ns AND ta.task_id = x.id AND ta.user_id = " + me + ")"
	switch strings.ToUpper(strings.TrimSpace(q.Get("filter"))) {
	case "":
		where += " AND (x.created_by = " + me + " OR " + assigned + ")"
	case "INDEPENDENT_TASKS_CREATED_BY_ME":
		where += " AND x.created_by = " + me
	case "INDEPENDENT_TASKS_ASSIGNED_TO_ME":
		where += " AND " + assigned
	default:
		return httpx.BadRequest("filter must be one of INDEPENDENT_TASKS_CREATED_BY_ME, INDEPENDENT_TASKS_ASSIGNED_TO_ME")
	}
	if pub, present, err := queryBool(q, "published"); err != nil {
		return err
	} else if present {
		status := taskDraft
		if pub {
			status = taskPublish
		}
		where += " AND x.status = " + a.Add(status)
	}
	dir := "ASC"
	switch strings.ToUpper(strings.TrimSpace(q.Get("sort_direction"))) {
	case "", "ASC":
	case "DESC":
		dir = "DESC"
	default:
		return httpx.BadRequest("sort_direction must be ASC or DESC")
	}
	ctx := r.Context()
	tasks, total, err := listPage(ctx, s.db, "workdrive_tasks", taskColumns, where, `x.created_at `+dir+`, x.seq `+dir, a, p, scanTask)
	if err != nil {
		return err
	}
	taskIDs := make([]string, len(tasks))
	for i, t := range tasks {
		taskIDs[i] = t.id
	}
	assignees, err := assigneesOf(ctx, s.db, c.ns.ID, taskIDs)
	if err != nil {
		return err
	}
	summaries := make(map[string]any) // creators, by id
	items := make([]*taskOut, 0, len(tasks))
	for _, t := range tasks {
		creator, ok := summaries[t.createdBy]
		if !ok {
			creator, err = creatorSummary(ctx, s.db, c.ns, t.createdBy)
			if err != nil {
				return err
			}
			summaries[t.createdBy] = creator
		}
		items = append(items, taskJSON(t, creator, nonNil(assignees[t.id])))
	}
	return okPage(w, "tasks", items, p.Meta(total))
}

// creatorSummary is the task list's createdBy: a UserSummary with the
// departmentData the doc shows (empty object when the user is gone).
func creatorSummary(ctx context.Context, q store.Querier, ns *namespace.Namespace, id string) (any, error) {
	u, err := userByID(ctx, q, ns.ID, id)
	if isNotFound(err) {
		return struct {
			DepartmentData emptyObject `json:"departmentData"`
			ID             string      `json:"id"`
		}{ID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	m := userSummary(ns, u)
	m.DepartmentData = refObject(u.departmentID, u.departmentName)
	return m, nil
}

// createTask serves POST /api/tasks. With userIds it is "create and assign":
// the task is published (draft tasks cannot be assigned) and assigned.
func (s *Service) createTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	now := c.nowMS()
	t := &task{id: ids.UUID(), orgID: c.orgID, createdBy: c.id, updatedBy: c.id, createdAt: now, updatedAt: now}
	taskFields(b, t)
	userIDs, _ := b.Strings("userIds")
	status, hasStatus := b.String("status")
	if err := b.Err(); err != nil {
		return err
	}
	switch {
	case hasStatus && strings.TrimSpace(status) != "":
		st, ok := parseTaskStatus(status)
		if !ok {
			return httpx.BadRequest("status must be one of draft, publish")
		}
		t.status = st
	case len(userIDs) > 0:
		t.status = taskPublish
	default:
		t.status = taskDraft
	}
	userIDs = dedupe(userIDs)
	if t.status == taskDraft && hasOther(userIDs, c.id) {
		return httpx.BadRequest("A draft task cannot be assigned to any other user; publish it first")
	}
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		if err := checkTask(r.Context(), tx, c.ns.ID, c.orgID, t); err != nil {
			return nil, err
		}
		if err := checkRefs(r.Context(), tx, c.ns.ID, c.orgID, "user", "userIds", userIDs); err != nil {
			return nil, err
		}
		if err := insertTask(r.Context(), tx, c.ns.ID, t); err != nil {
			return nil, err
		}
		for _, u := range userIDs {
			if err := assignTaskUser(r.Context(), tx, c.ns.ID, t.id, u, now); err != nil {
				return nil, err
			}
		}
		return taskWithAssignees(r.Context(), tx, c.ns.ID, t)
	})
}

// updateTask serves PATCH /api/tasks/update/{id}: every field optional; a
// published task cannot be updated.
func (s *Service) updateTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	return s.writeTx(w, r, okJSON, func(tx *sql.Tx) (any, error) {
		t, err := editableTask(r.Context(), tx, c, id)
		if err != nil {
			return nil, err
		}
		if t.status == taskPublish {
			return nil, httpx.BadRequest("Published status task cannot be updated")
		}
		taskFields(b, t)
		if v, ok := b.String("status"); ok && strings.TrimSpace(v) != "" {
			st, valid := parseTaskStatus(v)
			if !valid {
				return nil, httpx.BadRequest("status must be one of draft, publish")
			}
			t.status = st
		}
		if err := b.Err(); err != nil {
			return nil, err
		}
		if err := checkTask(r.Context(), tx, c.ns.ID, c.orgID, t); err != nil {
			return nil, err
		}
		t.updatedBy, t.updatedAt = c.id, c.nowMS()
		if err := updateTaskRow(r.Context(), tx, c.ns.ID, t); err != nil {
			return nil, err
		}
		return taskWithAssignees(r.Context(), tx, c.ns.ID, t)
	})
}

// assignTask serves PATCH /api/tasks/assign/{id}: removeIds are unassigned
// first, then userIds assigned (an id in both ends up assigned, as in the
// doc's example). A draft task cannot be assigned to other users.
func (s *Service) assignTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	userIDs, _ := b.Strings("userIds")
	removeIDs, _ := b.Strings("removeIds")
	if err := b.Err(); err != nil {
		return err
	}
	userIDs = dedupe(userIDs)
	id := r.PathValue("id")
	return s.writeTx(w, r, okJSON, func(tx *sql.Tx) (any, error) {
		ctx := r.Context()
		t, err := editableTask(ctx, tx, c, id)
		if err != nil {
			return nil, err
		}
		if t.status == taskDraft && hasOther(userIDs, c.id) {
			return nil, httpx.BadRequest("A draft task cannot be assigned to any other user; publish it first")
		}
		if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "userIds", userIDs); err != nil {
			return nil, err
		}
		if err := execForEach(ctx, tx, `DELETE FROM workdrive_task_assignees WHERE ns = $1 AND task_id = $2 AND user_id = $3`,
			c.ns.ID, t.id, removeIDs); err != nil {
			return nil, err
		}
		now := c.nowMS()
		for _, u := range userIDs {
			if err := assignTaskUser(ctx, tx, c.ns.ID, t.id, u, now); err != nil {
				return nil, err
			}
		}
		t.updatedBy, t.updatedAt = c.id, now
		if err := updateTaskRow(ctx, tx, c.ns.ID, t); err != nil {
			return nil, err
		}
		assigned, err := taskAssignees(ctx, tx, c.ns.ID, t.id)
		if err != nil {
			return nil, err
		}
		users, err := usersByIDs(ctx, tx, c.ns.ID, c.orgID, assigned)
		if err != nil {
			return nil, err
		}
		return taskJSON(t, t.createdBy, summariesOf(c.ns, users)), nil
	})
}

// deleteTask serves DELETE /api/tasks/{id}.
func (s *Service) deleteTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		_, err := editableTask(r.Context(), tx, c, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(r.Context(), `DELETE FROM workdrive_task_assignees WHERE ns = $1 AND task_id = $2`, c.ns.ID, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(r.Context(), `DELETE FROM workdrive_tasks WHERE ns = $1 AND id = $2`, c.ns.ID, id)
		return err
	})
}

// hasOther tells whether ids holds anyone but me.
func hasOther(ids []string, me string) bool {
	for _, id := range ids {
		if id != me {
			return true
		}
	}
	return false
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
