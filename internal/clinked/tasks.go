package clinked

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// task is a row of clinked_tasks.
type task struct {
	contentItem
	parentID                                     sql.NullInt64
	status, priority                             string
	progress, order, timeTracked                 int64
	dueDate, dateReminder, dateCompleted, trkBeg sql.NullInt64
	recurrence, category                         sql.NullString
}

const taskColumns = contentColumns + `, parent_id, status, priority, progress, due_date, date_reminder,
	recurrence, sort_order, category, date_completed, tracking_start_date, time_tracked`

func (t *task) dest() []any {
	return append(t.contentItem.dest(), &t.parentID, &t.status, &t.priority, &t.progress, &t.dueDate,
		&t.dateReminder, &t.recurrence, &t.order, &t.category, &t.dateCompleted, &t.trkBeg, &t.timeTracked)
}

func (t *task) values() []any {
	return append(t.contentItem.values(), t.parentID, t.status, t.priority, t.progress, t.dueDate,
		t.dateReminder, t.recurrence, t.order, t.category, t.dateCompleted, t.trkBeg, t.timeTracked)
}

// taskByID loads a task of any group (trashed ones included).
var taskByID = contentByID[task](taskColumns, "clinked_tasks")

const ctrTask = "clinked.task"

var taskKind = contentKind[*task, taskJSON]{table: "clinked_tasks", kind: "task", title: "Task",
	columns: taskColumns, alias: "t", scan: scanTask, byID: taskByID, insertRow: insertTask, updateRow: updateTaskRow,
	render: func(ctx context.Context, v *contentView, ga *groupAccess, c *caller, t *task) (taskJSON, error) {
		return v.task(ctx, t, userPermissionOf(ga, c, &t.contentItem))
	}}

// Task statuses and priorities. The doc shows only WAITING and lists the
// four priorities; the statuses are Clinked's task board columns.
var (
	taskStatuses   = []string{"WAITING", "IN_PROGRESS", "COMPLETED"}
	taskPriorities = []string{"URGENT", "HIGH", "MEDIUM", "LOW"}
)

// defaultTaskOrder is the order of a task never ordered by hand (Java's
// Integer.MAX_VALUE, as the example shows).
const defaultTaskOrder = math.MaxInt32

func insertTask(ctx context.Context, q store.Querier, ns string, t *task) error {
	return insertContent(ctx, q, ns, "clinked_tasks", taskColumns, ctrTask, t)
}

func updateTaskRow(ctx context.Context, q store.Querier, ns string, t *task) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_tasks SET name = $3, friendly_name = $4, sharing = $5,
		member_permission = $6, tags = $7, description = $8, last_modified = $9, parent_id = $10, status = $11,
		priority = $12, progress = $13, due_date = $14, date_reminder = $15, recurrence = $16, sort_order = $17,
		category = $18, date_completed = $19 WHERE ns = $1 AND id = $2`,
		ns, t.id, t.name, t.friendlyName, t.sharing, t.memberPermission, t.tags, t.description, t.lastModified,
		t.parentID, t.status, t.priority, t.progress, t.dueDate, t.dateReminder, t.recurrence, t.order,
		t.category, t.dateCompleted)
	return err
}

// setAssignees replaces a task's assignees.
func setAssignees(ctx context.Context, q store.Querier, ns string, taskID int64, users []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM clinked_task_assignees WHERE ns = $1 AND task_id = $2`, ns, taskID); err != nil {
		return err
	}
	for _, u := range users {
		if _, err := q.ExecContext(ctx, `INSERT INTO clinked_task_assignees (ns, task_id, user_id) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, ns, taskID, u); err != nil {
			return err
		}
	}
	return nil
}

// taskJSON is Clinked's task.
type taskJSON struct {
	ID               int64           `json:"id"`
	ContextKey       contextKeyRef   `json:"contextKey"`
	Sharing          string          `json:"sharing"`
	MemberPermission int64           `json:"memberPermission"`
	Following        bool            `json:"following"`
	UserAces         bool            `json:"userAces"`
	UserPermission   int64           `json:"userPermission"`
	AttachmentCount  int64           `json:"attachmentCount"`
	FriendlyName     string          `json:"friendlyName"`
	Name             string          `json:"name"`
	Status           string          `json:"status"`
	Priority         string          `json:"priority"`
	Progress         int64           `json:"progress"`
	Author           baseUserJSON    `json:"author"`
	DueDate          *string         `json:"dueDate"`
	Tags             string          `json:"tags"`
	Description      string          `json:"description"`
	DateCreated      int64           `json:"dateCreated"`
	DateReminder     *string         `json:"dateReminder"`
	Recurrence       *string         `json:"recurrence"`
	Order            int64           `json:"order"`
	Category         *taskCategory   `json:"category"`
	Assignees        []baseUserJSON  `json:"assignees"`
	NumberOfSubTasks int64           `json:"numberOfSubTasks"`
	Parent           *taskParentJSON `json:"parent,omitempty"`
	LastModified     int64           `json:"lastModified"`
	TimeTracker      timeTrackerJSON `json:"timeTracker"`
	DateCompleted    *int64          `json:"dateCompleted"`
	Group            groupRefJSON    `json:"group"`
}

// taskCategory is a task's category; standin keeps categories by name.
type taskCategory struct {
	Name string `json:"name"`
}

type taskParentJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	FriendlyName string `json:"friendlyName"`
}

type timeTrackerJSON struct {
	TrackingStartDate *int64 `json:"trackingStartDate"`
	TimeTracked       int64  `json:"timeTracked"`
}

func (v *contentView) task(ctx context.Context, t *task, userPerm int64) (taskJSON, error) {
	g, author, err := v.refs(ctx, t.groupID, t.authorID)
	if err != nil {
		return taskJSON{}, err
	}
	out := taskJSON{
		ID: t.id, ContextKey: contextKeyRef{t.contextKey}, Sharing: t.sharing, MemberPermission: t.memberPermission,
		UserPermission: userPerm, FriendlyName: t.friendlyName, Name: t.name, Status: t.status, Priority: t.priority,
		Progress: t.progress, Author: author, DueDate: zonedPtr(t.dueDate), Tags: t.tags, Description: t.description,
		DateCreated: t.dateCreated, DateReminder: zonedPtr(t.dateReminder), Recurrence: str(t.recurrence),
		Order: t.order, LastModified: t.lastModified, Group: g,
		TimeTracker:   timeTrackerJSON{TrackingStartDate: num(t.trkBeg), TimeTracked: t.timeTracked},
		DateCompleted: num(t.dateCompleted),
	}
	if t.category.Valid {
		out.Category = &taskCategory{Name: t.category.String}
	}
	rows, err := v.q.QueryContext(ctx, `SELECT user_id FROM clinked_task_assignees WHERE ns = $1 AND task_id = $2 ORDER BY user_id`, v.ns, t.id)
	ids, err := store.Collect(rows, err, func(s store.Scanner) (int64, error) { var id int64; return id, s.Scan(&id) })
	if err != nil {
		return taskJSON{}, err
	}
	for _, id := range ids { // null, not [], when nobody is assigned (as documented)
		u, err := v.users.get(ctx, id)
		if err != nil {
			return taskJSON{}, err
		}
		out.Assignees = append(out.Assignees, u)
	}
	if err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_tasks WHERE ns = $1 AND parent_id = $2 AND trashed = FALSE`,
		v.ns, t.id).Scan(&out.NumberOfSubTasks); err != nil {
		return taskJSON{}, err
	}
	if t.parentID.Valid {
		p, _, err := taskByID(ctx, v.q, v.ns, t.parentID.Int64)
		if err == nil {
			out.Parent = &taskParentJSON{ID: p.id, Name: p.name, FriendlyName: p.friendlyName}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return taskJSON{}, err
		}
	}
	return out, nil
}

// readTask applies a task body to t; it returns the assignees when the
// body names them (nil, false otherwise).
func readTask(ctx context.Context, q store.Querier, ns string, b *httpx.Body, t *task, create bool) ([]int64, bool, error) {
	readContentFields(b, &t.contentItem, create)
	if v, ok := b.String("status"); ok {
		if !oneOf(v, taskStatuses) {
			b.Fail("status", "one of "+strings.Join(taskStatuses, ", "))
		}
		t.status = v
	}
	if v, ok := b.String("priority"); ok {
		if !oneOf(v, taskPriorities) {
			b.Fail("priority", "one of "+strings.Join(taskPriorities, ", "))
		}
		t.priority = v
	}
	if v, ok := intField(b, "progress"); ok {
		if v < 0 || v > 100 {
			b.Fail("progress", "between 0 and 100")
		}
		t.progress = v
	}
	if v, ok := intField(b, "order"); ok {
		t.order = v
	}
	if v, has := timeField(b, "dueDate"); has {
		t.dueDate = v
	}
	if v, has := timeField(b, "dateReminder"); has {
		t.dateReminder = v
	}
	recurrenceField(b, &t.recurrence)
	if b.Has("category") {
		t.category = sql.NullString{}
		if o, ok := b.Object("category"); ok {
			if v, ok := o.StringMax("name", valid.MaxName); ok && v != "" {
				t.category = nullStr(v)
			}
		} else if v, ok := b.StringMax("category", valid.MaxName); ok {
			t.category = nullStr(v)
		}
	}
	if b.Has("parent") {
		t.parentID = sql.NullInt64{}
		if id, ok := refID(b, "parent"); ok {
			t.parentID = sql.NullInt64{Int64: id, Valid: true}
		}
	}
	var assignees []int64
	hasAssignees := b.Has("assignees")
	for _, e := range b.Entries("assignees") {
		s := e.Str
		if e.Obj != nil {
			s = e.Obj.Str("id")
		}
		id, isID := httpx.Int64(s)
		if !isID {
			b.Fail("assignees", "a list of user ids or {\"id\": …} objects")
			break
		}
		assignees = append(assignees, id)
	}
	if len(assignees) > 100 {
		b.Fail("assignees", "at most 100 users")
	}
	if err := b.Err(); err != nil {
		return nil, false, err
	}
	if t.status == "COMPLETED" && !t.dateCompleted.Valid {
		t.dateCompleted = sql.NullInt64{Int64: t.lastModified, Valid: true}
		t.progress = 100
	} else if t.status != "COMPLETED" {
		t.dateCompleted = sql.NullInt64{}
	}
	if t.parentID.Valid {
		if t.parentID.Int64 == t.id {
			return nil, false, httpx.BadRequest("a task cannot be its own parent")
		}
		p, _, err := taskByID(ctx, q, ns, t.parentID.Int64)
		if err != nil || p.groupID != t.groupID || p.trashed {
			return nil, false, httpx.BadRequest("parent must be a task of this group")
		}
		if p.parentID.Valid {
			return nil, false, httpx.BadRequest("a sub-task cannot have sub-tasks of its own")
		}
	}
	for _, id := range assignees {
		if _, err := groupMemberOf(ctx, q, ns, t.groupID, id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, false, httpx.BadRequest("assignee %d is not a member of this group", id)
			}
			return nil, false, err
		}
	}
	return assignees, hasAssignees, nil
}

// refID reads an id given as a number or as {"id": n}.
func refID(b *httpx.Body, key string) (int64, bool) {
	if strings.HasPrefix(strings.TrimSpace(string(b.Raw(key))), "{") {
		o, _ := b.Object(key)
		return intField(o, "id")
	}
	if b.Null(key) {
		return 0, false
	}
	return intField(b, key)
}

var taskOrder = orderSpec{
	columns: map[string]string{"order": "t.sort_order", "dueDate": "t.due_date", "friendlyName": "t.friendly_name",
		"name": "t.name", "priority": "t.priority", "status": "t.status", "dateCreated": "t.date_created",
		"lastModified": "t.last_modified", "progress": "t.progress"},
	def:      "order",
	tiebreak: "t.id",
}

// taskFilter is the WHERE tail of the documented task list filters.
func taskFilter(p url.Values, args *store.Args) (string, error) {
	where := ""
	exact, err := queryBool(p, "exact", false)
	if err != nil {
		return "", err
	}
	if v := strings.TrimSpace(p.Get("name")); v != "" {
		if exact {
			where += ` AND t.friendly_name = ` + args.Add(v)
		} else {
			where += likeAny(args, "%"+likePattern(v)+"%", "t.friendly_name")
		}
	}
	if v := p.Get("slug"); v != "" {
		where += ` AND t.name = ` + args.Add(v)
	}
	if v := p.Get("status"); v != "" {
		if !oneOf(v, taskStatuses) {
			return "", httpx.BadRequest("status must be one of %s", strings.Join(taskStatuses, ", "))
		}
		where += ` AND t.status = ` + args.Add(v)
	}
	if v := p.Get("priority"); v != "" {
		if !oneOf(v, taskPriorities) {
			return "", httpx.BadRequest("priority must be one of %s", strings.Join(taskPriorities, ", "))
		}
		where += ` AND t.priority = ` + args.Add(v)
	}
	if id, err := queryID(p, "assignedTo", "a user id"); err != nil {
		return "", err
	} else if p.Get("assignedTo") != "" {
		where += ` AND EXISTS (SELECT 1 FROM clinked_task_assignees a WHERE a.ns = t.ns AND a.task_id = t.id AND a.user_id = ` + args.Add(id) + `)`
	}
	uncategorized, err := queryBool(p, "uncategorized", false)
	if err != nil {
		return "", err
	}
	switch v := p.Get("category"); {
	case v != "" && uncategorized:
		where += ` AND (t.category = ` + args.Add(v) + ` OR t.category IS NULL)`
	case v != "":
		where += ` AND t.category = ` + args.Add(v)
	case uncategorized:
		where += ` AND t.category IS NULL`
	}
	if p.Get("dateStart") != "" || p.Get("dateEnd") != "" {
		from, to, err := dateWindow(p.Get("dateStart"), p.Get("dateEnd"))
		if err != nil {
			return "", err
		}
		where += ` AND t.due_date >= ` + args.Add(from) + ` AND t.due_date < ` + args.Add(to)
	}
	if id, err := queryID(p, "parent", "a task id"); err != nil {
		return "", err
	} else if p.Get("parent") != "" {
		where += ` AND t.parent_id = ` + args.Add(id)
	}
	return where, nil
}

// listTasksWhere answers a task list: the rows matching where (with args),
// one page of them, rendered for the caller.
func (s *Service) listTasksWhere(w http.ResponseWriter, r *http.Request, c *caller, p url.Values, lq listQuery, where string, args store.Args, perm func(t *task) int64) error {
	filter, err := taskFilter(p, &args)
	if err != nil {
		return err
	}
	ts, total, err := taskKind.page(r.Context(), s, lq, where+filter, args)
	if err != nil {
		return err
	}
	v := newContentView(s.db, c.ns.ID)
	items := make([]taskJSON, 0, len(ts))
	for _, t := range ts {
		j, err := v.task(r.Context(), t, perm(t))
		if err != nil {
			return err
		}
		items = append(items, j)
	}
	return writePage(w, items, lq, total)
}

// listTasks serves GET /v3/tasks: ?account= (the account's tasks that the
// caller sees) or ?user= (the tasks of that user's groups), with the
// documented filters and Clinked's paging parameters.
func (s *Service) listTasks(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, lq, err := listParams(w, r, 25, taskOrder)
	if err != nil {
		return err
	}
	args := store.Args{c.ns.ID}
	where := ` FROM clinked_tasks t JOIN clinked_groups g ON g.ns = t.ns AND g.id = t.group_id
		WHERE t.ns = $1 AND t.trashed = FALSE AND g.removed = FALSE`
	scope, err := s.contentScope(r, c, p.Get("account"), p.Get("user"), &args, "t")
	if err != nil {
		return err
	}
	// userPermission across groups is not known per row here; the list
	// reports the author's and administrators' full rights, else 0, as
	// the example shows for another member's task.
	return s.listTasksWhere(w, r, c, p, lq, where+scope, args, func(t *task) int64 {
		if t.authorID == c.user.id {
			return permAdmin
		}
		return 0
	})
}

// listGroupTasks serves GET /v3/groups/{group}/tasks.
func (s *Service) listGroupTasks(w http.ResponseWriter, r *http.Request, c *caller) error {
	ga, p, lq, from, args, err := taskKind.inGroup(s, w, r, c, taskOrder)
	if err != nil {
		return err
	}
	return s.listTasksWhere(w, r, c, p, lq, from, args, func(t *task) int64 {
		return userPermissionOf(ga, c, &t.contentItem)
	})
}

// createGroupTask serves POST /v3/groups/{group}/tasks.
func (s *Service) createGroupTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	fresh := func(it contentItem) *task {
		return &task{contentItem: it, status: "WAITING", priority: "MEDIUM", order: defaultTaskOrder}
	}
	return taskKind.create(s, w, r, c, fresh, func(tx *sql.Tx, b *httpx.Body, t *task) (func() error, error) {
		assignees, _, err := readTask(r.Context(), tx, c.ns.ID, b, t, true)
		if err != nil {
			return nil, err
		}
		return func() error { return setAssignees(r.Context(), tx, c.ns.ID, t.id, assignees) }, nil
	})
}

// getGroupTask serves GET /v3/groups/{group}/tasks/{id}.
func (s *Service) getGroupTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	return taskKind.get(s, w, r, c)
}

// updateGroupTask serves PUT and PATCH /v3/groups/{group}/tasks/{id}.
func (s *Service) updateGroupTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	return taskKind.update(s, w, r, c, func(tx *sql.Tx, b *httpx.Body, t *task) (func() error, error) {
		assignees, has, err := readTask(r.Context(), tx, c.ns.ID, b, t, false)
		if err != nil || !has {
			return nil, err
		}
		return func() error { return setAssignees(r.Context(), tx, c.ns.ID, t.id, assignees) }, nil
	})
}

// deleteGroupTask serves DELETE /v3/groups/{group}/tasks/{id}: the task
// moves to the group's trash.
func (s *Service) deleteGroupTask(w http.ResponseWriter, r *http.Request, c *caller) error {
	return taskKind.remove(s, w, r, c)
}

// A purged task takes its assignees with it; its sub-tasks outlive it as
// top-level tasks.
func init() {
	taskKind.registerTrash(func(ctx context.Context, tx *sql.Tx, ns string, id int64) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_task_assignees WHERE ns = $1 AND task_id = $2`, ns, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE clinked_tasks SET parent_id = NULL WHERE ns = $1 AND parent_id = $2`, ns, id)
		return err
	})
}
