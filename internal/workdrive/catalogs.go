package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// moduleCode is one entry of GET /api/module-codes. The doc shows only
// POST = 1; the other codes are standin's (docs/decisions.md, WorkDrive).
type moduleCode struct {
	Name string `json:"name"`
	Code int    `json:"moduleCode"`
}

// Module codes, used by categories and media uploads.
const (
	modulePost         = 1
	moduleNews         = 2
	moduleEvent        = 3
	moduleVideo        = 4
	modulePhoto        = 5
	moduleDocument     = 6
	moduleFAQ          = 7
	moduleCourse       = 8
	moduleTask         = 9
	moduleGroupChat    = 10
	moduleMessage      = 11
	moduleSSO          = 12
	moduleUser         = 13
	moduleOrganization = 14
)

var moduleCodes = []moduleCode{
	{"POST", modulePost}, {"NEWS", moduleNews}, {"EVENT", moduleEvent}, {"VIDEO", moduleVideo},
	{"PHOTO", modulePhoto}, {"DOCUMENT", moduleDocument}, {"FAQ", moduleFAQ}, {"COURSE", moduleCourse},
	{"TASK", moduleTask}, {"GROUP_CHAT", moduleGroupChat}, {"MESSAGE", moduleMessage}, {"SSO", moduleSSO},
	{"USER", moduleUser}, {"ORGANIZATION", moduleOrganization},
}

// validModuleCode tells whether code is one of moduleCodes.
func validModuleCode(code int) bool {
	for _, m := range moduleCodes {
		if m.Code == code {
			return true
		}
	}
	return false
}

func (s *Service) listModuleCodes(w http.ResponseWriter, _ *http.Request, _ *caller) error {
	return okJSON(w, moduleCodes)
}

// categoryColors are given to categories in turn.
var categoryColors = []string{"#1E88E5", "#43A047", "#F4511E", "#8E24AA", "#FDD835", "#00ACC1", "#6D4C41"}

// ensureCategory returns the id of the category called name in a module,
// creating it when the organization has none by that name (case-insensitive):
// the doc lets documents, FAQs and group chats name "a new category".
func ensureCategory(ctx context.Context, tx *sql.Tx, ns, org string, module int, name string, now int64) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	lc := strings.ToLower(name)
	find := func() (string, error) {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM workdrive_categories
			WHERE ns = $1 AND org_id = $2 AND module_code = $3 AND name_lc = $4`, ns, org, module, lc).Scan(&id)
		return id, err
	}
	id, err := find()
	if err == nil || !isNotFound(err) {
		return id, err
	}
	n, err := count(ctx, tx, `SELECT count(*) FROM workdrive_categories WHERE ns = $1 AND org_id = $2`, ns, org)
	if err != nil {
		return "", err
	}
	// Two requests may name the same new category at once: the loser of
	// the insert reads the winner's row.
	if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_categories (ns, id, org_id, module_code, name, name_lc, color, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (ns, org_id, module_code, name_lc) DO NOTHING`,
		ns, ids.UUID(), org, module, name, lc, categoryColors[n%len(categoryColors)], now); err != nil {
		return "", err
	}
	return find()
}

// categoryID finds a category by name (nil when there is none).
func categoryID(ctx context.Context, q store.Querier, ns, org string, module int, name string) (any, error) {
	if name == "" {
		return nil, nil
	}
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM workdrive_categories
		WHERE ns = $1 AND org_id = $2 AND module_code = $3 AND name_lc = $4`, ns, org, module, strings.ToLower(name)).Scan(&id)
	if isNotFound(err) {
		return nil, nil
	}
	return id, err
}

// listCategories serves GET /api/categories?moduleCode=. The doc prints Get All
// Courses with this same line: a request with filter and no moduleCode is
// a course listing.
func (s *Service) listCategories(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	mc := strings.TrimSpace(q.Get("moduleCode"))
	if mc == "" && q.Get("filter") != "" {
		return s.listCourses(w, r, c)
	}
	if mc == "" {
		return httpx.BadRequest("moduleCode is required")
	}
	var code int
	if _, err := fmt.Sscan(mc, &code); err != nil || !validModuleCode(code) {
		return httpx.BadRequest("moduleCode must be one of the codes of GET /api/module-codes")
	}
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	type categoryOut struct {
		Category   string `json:"category"`
		Color      string `json:"color"`
		ID         string `json:"id"`
		ModuleCode int    `json:"moduleCode"`
		OrgID      string `json:"orgId"`
	}
	out, total, err := pagedRows(r.Context(), s.db, `id, module_code, name, color`, `FROM workdrive_categories
		WHERE ns = $1 AND org_id = $2 AND module_code = $3`, `created_at, id`, []any{c.ns.ID, c.orgID, code}, p,
		func(row store.Scanner) (categoryOut, error) {
			o := categoryOut{OrgID: c.orgID}
			err := row.Scan(&o.ID, &o.ModuleCode, &o.Category, &o.Color)
			return o, err
		})
	if err != nil {
		return err
	}
	return okPage(w, "categories", out, p.Meta(total))
}

// listEnforcementTemplates serves GET /api/enforcement-templates, by creation
// date, newest first unless sort_direction=ASC.
func (s *Service) listEnforcementTemplates(w http.ResponseWriter, r *http.Request, c *caller) error {
	dir, err := sortDirection(r.URL.Query().Get("sort_direction"), "DESC")
	if err != nil {
		return err
	}
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	type templateOut struct {
		ID          string       `json:"id"`
		Reminders   []clientJSON `json:"reminders"`
		SubType     string       `json:"subType"`
		SystemEvent string       `json:"systemEvent"`
		Title       string       `json:"title"`
		Type        string       `json:"type"`
	}
	out, total, err := pagedRows(r.Context(), s.db, `id, title, system_event, type, sub_type, reminders`,
		`FROM workdrive_enforcement_templates WHERE ns = $1 AND org_id = $2`, `created_at `+dir+`, id `+dir,
		[]any{c.ns.ID, c.orgID}, p, func(row store.Scanner) (templateOut, error) {
			var o templateOut
			var reminders string
			if err := row.Scan(&o.ID, &o.Title, &o.SystemEvent, &o.Type, &o.SubType, &reminders); err != nil {
				return o, err
			}
			err := jsonDecode(reminders, &o.Reminders)
			return o, err
		})
	if err != nil {
		return err
	}
	return okPage(w, "notificationTemplates", out, p.Meta(total))
}

// templateInOrg tells whether an enforcement template belongs to org (for
// tasks' notificationTemplateId).
func templateInOrg(ctx context.Context, q store.Querier, ns, org, id string) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM workdrive_enforcement_templates WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org)
}

// courseInOrg tells whether a course belongs to org (for tasks'
// trainingCourseTaskListId).
func courseInOrg(ctx context.Context, q store.Querier, ns, org, id string) (bool, error) {
	return exists(ctx, q, `SELECT 1 FROM workdrive_courses WHERE ns = $1 AND id = $2 AND org_id = $3`, ns, id, org)
}

// courseFilters are the values of the courses' filter parameter: the doc
// shows ALL_COURSES; MY_COURSES (created by the caller) is standin's.
var courseFilters = map[string]bool{"ALL_COURSES": true, "MY_COURSES": true}

// listCourses serves GET /api/courses (also GET /api/categories?filter=…),
// by creation date, oldest first unless sort_direction=DESC.
func (s *Service) listCourses(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	dir, err := sortDirection(q.Get("sort_direction"), "ASC")
	if err != nil {
		return err
	}
	filter := strings.ToUpper(strings.TrimSpace(q.Get("filter")))
	if filter == "" {
		filter = "ALL_COURSES"
	}
	if !courseFilters[filter] {
		return httpx.BadRequest("filter must be one of ALL_COURSES, MY_COURSES")
	}
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	var a store.Args
	where := c.inOrg(&a, "")
	if filter == "MY_COURSES" {
		where += ` AND created_by = ` + a.Add(c.id)
	}
	list, total, err := listPage(r.Context(), s.db, "workdrive_courses", courseColumns, where,
		`x.created_at `+dir+`, x.id `+dir, a, p, scanCourse)
	if err != nil {
		return err
	}
	out, err := renderAll(newSummaries(r.Context(), s.db, c.ns), list, func(sum *summaries, co *course) (*courseOut, error) {
		return co.render(sum)
	})
	if err != nil {
		return err
	}
	return okPage(w, "taskLists", out, p.Meta(total))
}

// deleteCourse serves DELETE /api/courses/{id}: the course's creator or the
// OrgAdmin may delete it.
func (s *Service) deleteCourse(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		co, err := scanCourse(tx.QueryRowContext(r.Context(), `SELECT `+courseColumns+` FROM workdrive_courses
			WHERE ns = $1 AND id = $2 AND org_id = $3`, c.ns.ID, id, c.orgID))
		if err != nil {
			return pathErr(err, "Course", id)
		}
		if co.createdBy != c.id && !c.isOrgAdmin() {
			return httpx.Forbidden("Only the course's creator or the organization admin can delete it")
		}
		_, err = tx.ExecContext(r.Context(), `DELETE FROM workdrive_courses WHERE ns = $1 AND id = $2`, c.ns.ID, id)
		return err
	})
}

// course is a row of workdrive_courses.
type course struct {
	id, orgID, courseID, title, description, categories string
	sortOrder, taskCount, usersCount, totalTime         int64
	parentID, status, notificationTemplateID, createdBy string
	fileID, form                                        sql.NullString
	createdAt, updatedAt                                int64
}

const courseColumns = `id, org_id, course_id, title, description, categories, sort_order, task_count,
	users_count, total_time, parent_id, status, file_id, form, notification_template_id, created_by, created_at, updated_at`

func scanCourse(row store.Scanner) (*course, error) {
	var co course
	err := row.Scan(&co.id, &co.orgID, &co.courseID, &co.title, &co.description, &co.categories, &co.sortOrder,
		&co.taskCount, &co.usersCount, &co.totalTime, &co.parentID, &co.status, &co.fileID, &co.form,
		&co.notificationTemplateID, &co.createdBy, &co.createdAt, &co.updatedAt)
	if err != nil {
		return nil, err
	}
	return &co, nil
}

// courseOut is the course (task list) object. order, numberOfTasks,
// usersCount and totalTime are strings, as the doc shows them; progress
// and started are the caller's, and nobody has started a seeded course.
type courseOut struct {
	Categories             []string `json:"categories"`
	CourseID               string   `json:"courseId"`
	CreatedBy              string   `json:"createdBy"`
	Description            string   `json:"description"`
	DueDate                any      `json:"dueDate"`
	File                   *fileOut `json:"file"`
	Form                   any      `json:"form"`
	ID                     string   `json:"id"`
	NotificationTemplateID string   `json:"notificationTemplateId"`
	NumberOfTasks          string   `json:"numberOfTasks"`
	Order                  string   `json:"order"`
	OrgID                  string   `json:"orgId"`
	ParentTaskListID       string   `json:"parentTaskListId"`
	Progress               int      `json:"progress"`
	Started                bool     `json:"started"`
	Status                 string   `json:"status"`
	Tasks                  int64    `json:"tasks"`
	Title                  string   `json:"title"`
	TotalTime              string   `json:"totalTime"`
	UpdatedAt              string   `json:"updatedAt"`
	UsersCount             string   `json:"usersCount"`
}

// render renders the course.
func (co *course) render(sum *summaries) (*courseOut, error) {
	f, err := sum.file(co.orgID, co.fileID.String)
	if err != nil {
		return nil, err
	}
	var form any
	if co.form.Valid {
		form = jsonObject(co.form.String)
	}
	return &courseOut{
		ID: co.id, CourseID: co.courseID, Title: co.title, Description: co.description,
		Categories: jsonStrings(co.categories), Order: fmt.Sprint(co.sortOrder),
		NumberOfTasks: fmt.Sprint(co.taskCount), UsersCount: fmt.Sprint(co.usersCount),
		TotalTime: fmt.Sprint(co.totalTime), OrgID: co.orgID, Tasks: co.taskCount,
		ParentTaskListID: co.parentID, UpdatedAt: isoTime(co.updatedAt),
		Status: co.status, File: f, Form: form,
		CreatedBy: co.createdBy, NotificationTemplateID: co.notificationTemplateID,
	}, nil
}

// jsonDecode decodes a stored JSON column.
func jsonDecode(s string, v any) error {
	return json.Unmarshal([]byte(s), v)
}
