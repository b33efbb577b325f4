package workdrive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// catalogFixture is the "catalogs" part of the workdrive section: the
// categories, enforcement templates and courses of the organization
// (seeds/catalogs.yaml holds what every organization starts with).
//
//	catalogs:
//	  categories:           [{module, names: [..]}]
//	  enforcementTemplates: [{title, systemEvent, type, subType, reminders: [{..}]}]
//	  courses:              [{courseId, title, description, categories, tasks, totalTime,
//	                          notificationTemplate (a template's title), form: {Form.io form}}]
type catalogFixture struct {
	Categories []struct {
		Module string   `json:"module"`
		Names  []string `json:"names"`
	} `json:"categories"`
	EnforcementTemplates []struct {
		Title       string       `json:"title"`
		SystemEvent string       `json:"systemEvent"`
		Type        string       `json:"type"`
		SubType     string       `json:"subType"`
		Reminders   []clientJSON `json:"reminders"`
	} `json:"enforcementTemplates"`
	Courses []struct {
		CourseID             string     `json:"courseId"`
		Title                string     `json:"title"`
		Description          string     `json:"description"`
		Categories           []string   `json:"categories"`
		Tasks                int64      `json:"tasks"`
		TotalTime            int64      `json:"totalTime"` // minutes
		NotificationTemplate string     `json:"notificationTemplate"`
		Form                 clientJSON `json:"form"`
	} `json:"courses"`
}

// seedOrgCatalogs gives a new organization the built-in catalogs
// (seeds/catalogs.yaml). Organization create calls it too, so every
// organization has them.
func seedOrgCatalogs(ctx context.Context, tx *sql.Tx, ns, org, adminID string, now int64) error {
	f, err := builtinFixture("catalogs")
	if err != nil {
		return err
	}
	return loadCatalogs(ctx, tx, ns, org, adminID, f.Catalogs, now)
}

// loadCatalogs adds a fixture's catalogs to an organization, a millisecond
// apart from now on. Categories it already has are kept.
func loadCatalogs(ctx context.Context, tx *sql.Tx, ns, org, adminID string, f *catalogFixture, now int64) error {
	at := now
	tick := func() int64 { at++; return at }
	// The categories go in with one statement (ensureCategory's look-ups
	// would cost four round trips each).
	var (
		args   store.Args
		values []string
	)
	for _, c := range f.Categories {
		module, ok := moduleByName(c.Module)
		if !ok {
			return fixtureErr("catalogs: unknown module %q", c.Module)
		}
		for _, name := range c.Names {
			name = strings.TrimSpace(name)
			if name == "" {
				return fixtureErr("catalogs: a category needs a name")
			}
			values = append(values, "("+args.Add(ns)+", "+args.Add(ids.UUID())+", "+args.Add(org)+", "+
				args.Add(module)+", "+args.Add(name)+", "+args.Add(strings.ToLower(name))+", "+
				args.Add(categoryColors[len(values)%len(categoryColors)])+", "+args.Add(tick())+")")
		}
	}
	if len(values) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_categories
			(ns, id, org_id, module_code, name, name_lc, color, created_at) VALUES `+strings.Join(values, ", ")+`
			ON CONFLICT (ns, org_id, module_code, name_lc) DO NOTHING`, args...); err != nil {
			return err
		}
	}
	templateIDs := map[string]string{}
	for _, t := range f.EnforcementTemplates {
		if t.Title == "" {
			return fixtureErr("catalogs: an enforcement template needs a title")
		}
		id := ids.UUID()
		templateIDs[t.Title] = id
		reminders := make([]clientJSON, len(t.Reminders))
		for j, r := range t.Reminders {
			reminders[j] = maps.Clone(r)
			reminders[j]["orgContentTemplateId"] = id
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_enforcement_templates (ns, id, org_id, title,
			system_event, type, sub_type, reminders, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			ns, id, org, t.Title, t.SystemEvent, t.Type, t.SubType, toJSON(reminders), tick()); err != nil {
			return err
		}
	}
	for i, c := range f.Courses {
		if c.Title == "" {
			return fixtureErr("catalogs: a course needs a title")
		}
		template := ""
		if c.NotificationTemplate != "" {
			id, ok := templateIDs[c.NotificationTemplate]
			if !ok {
				// Or one the organization has (a built-in one, as an
				// export names it); the first of that title.
				err := tx.QueryRowContext(ctx, `SELECT id FROM workdrive_enforcement_templates WHERE ns = $1
					AND org_id = $2 AND title = $3 ORDER BY created_at, id LIMIT 1`, ns, org, c.NotificationTemplate).Scan(&id)
				ok = err == nil
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			if !ok {
				return fixtureErr("catalogs: course %q: no enforcement template %q in the document or the organization", c.Title, c.NotificationTemplate)
			}
			template = id
		}
		courseID := c.CourseID
		if courseID == "" {
			courseID = fmt.Sprintf("COURSE-%03d", i+1)
		}
		at := tick()
		var form any
		if c.Form != nil {
			fm := maps.Clone(c.Form) // the built-in form is shared
			fm["id"], fm["createdAt"], fm["updatedAt"] = ids.UUID(), isoTime(at), isoTime(at)
			form = toJSON(fm)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_courses (ns, id, org_id, course_id, title, description,
			categories, sort_order, task_count, users_count, total_time, parent_id, status, file_id, form,
			notification_template_id, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			ns, ids.UUID(), org, courseID, c.Title, c.Description, toJSON(orEmpty(c.Categories, true)),
			i+1, c.Tasks, 0, c.TotalTime, "", "PUBLISHED", nil, form, template, adminID, at, at); err != nil {
			return err
		}
	}
	return nil
}
