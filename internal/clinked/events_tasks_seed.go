package clinked

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/valid"
)

// fxTime is a fixture time: Unix milliseconds, or any form the API takes
// ("2018-01-05T14:00Z[UTC]", "2026-05-01T14:00:00.000Z", "2026-05-01").
type fxTime struct {
	ms  int64
	set bool
}

func (t *fxTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*t = fxTime{}
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		*t = fxTime{ms: n, set: true}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fxErr("a time must be Unix milliseconds or an ISO date-time")
	}
	v, parsed := parseTime(s)
	if !parsed {
		return fxErr("time %q is not an ISO date-time", s)
	}
	*t = fxTime{ms: ms(v), set: true}
	return nil
}

func (t fxTime) null() sql.NullInt64 { return sql.NullInt64{Int64: t.ms, Valid: t.set} }

// fxContent is what event and task fixtures share.
type fxContent struct {
	ID               int64  `json:"id"`
	Group            int64  `json:"group"`
	ContextKey       int64  `json:"context_key"`
	Name             string `json:"name"`
	FriendlyName     string `json:"friendly_name"`
	Sharing          string `json:"sharing"`
	MemberPermission int64  `json:"member_permission"`
	Tags             string `json:"tags"`
	Description      string `json:"description"`
	Author           int64  `json:"author"`
	Trashed          bool   `json:"trashed"`
	DateCreated      fxTime `json:"date_created"`
	LastModified     fxTime `json:"last_modified"`
}

type fxEvent struct {
	fxContent
	StartDate         fxTime `json:"start_date"`
	EndDate           fxTime `json:"end_date"`
	AllDay            bool   `json:"all_day"`
	Location          string `json:"location"`
	DateReminder      fxTime `json:"date_reminder"`
	Recurrence        string `json:"recurrence"`
	DateEndRecurrence fxTime `json:"date_end_recurrence"`
	DisableMaybe      bool   `json:"disable_maybe"`
	Color             string `json:"color"`
}

type fxTask struct {
	fxContent
	Parent            *int64  `json:"parent"`
	Status            string  `json:"status"`
	Priority          string  `json:"priority"`
	Progress          int64   `json:"progress"`
	DueDate           fxTime  `json:"due_date"`
	DateReminder      fxTime  `json:"date_reminder"`
	Recurrence        string  `json:"recurrence"`
	Order             *int64  `json:"order"`
	Category          string  `json:"category"`
	Assignees         []int64 `json:"assignees"`
	TrackingStartDate fxTime  `json:"tracking_start_date"`
	TimeTracked       int64   `json:"time_tracked"`
	DateCompleted     fxTime  `json:"date_completed"`
}

// content checks a fixture's shared fields and makes its row.
func (f fxContent) content(ctx context.Context, tx *sql.Tx, ns string, what string, now int64) (contentItem, error) {
	g, err := groupByID(ctx, tx, ns, f.Group)
	if err != nil {
		return contentItem{}, fxErr("%s %q: unknown group %d", what, f.FriendlyName, f.Group)
	}
	if strings.TrimSpace(f.FriendlyName) == "" || len(f.FriendlyName) > valid.MaxName {
		return contentItem{}, fxErr("%s: friendly_name must be 1 to %d characters", what, valid.MaxName)
	}
	it := contentItem{id: f.ID, groupID: g.id, accountID: g.accountID, contextKey: f.ContextKey, name: f.Name,
		friendlyName: f.FriendlyName, sharing: defStr(f.Sharing, "MEMBERS"), memberPermission: f.MemberPermission,
		tags: f.Tags, description: f.Description, authorID: f.Author, trashed: f.Trashed,
		dateCreated: orNow(f.DateCreated.ms, now), lastModified: orNow(f.LastModified.ms, now)}
	if it.name == "" {
		it.name = slugify(it.friendlyName)
	}
	if !slugPattern.MatchString(it.name) {
		return contentItem{}, fxErr("%s %q: name must be a slug", what, f.FriendlyName)
	}
	if !oneOf(it.sharing, sharingValues) {
		return contentItem{}, fxErr("%s %q: sharing must be one of %s", what, f.FriendlyName, strings.Join(sharingValues, ", "))
	}
	if it.memberPermission == 0 {
		it.memberPermission = defaultMemberPermission
	}
	if !validPermission(it.memberPermission) {
		return contentItem{}, fxErr("%s %q: member_permission must be 1, 4, 8 or 16", what, f.FriendlyName)
	}
	if it.authorID == 0 {
		it.authorID = 1
	}
	if _, err := userByID(ctx, tx, ns, it.authorID); err != nil {
		return contentItem{}, fxErr("%s %q: unknown author %d", what, f.FriendlyName, it.authorID)
	}
	return it, nil
}

// loadEventsTasks loads a seed document's events and tasks; trashed ones
// also get their trash entry.
func loadEventsTasks(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, f *Fixture, now int64) error {
	trash := func(kind string, it *contentItem) error {
		if !it.trashed {
			return nil
		}
		_, err := moveToTrash(ctx, tx, ns.ID, it.groupID, kind, it.id, it.friendlyName, it.authorID, it.lastModified)
		return err
	}
	for _, fe := range f.Events {
		it, err := fe.content(ctx, tx, ns.ID, "event", now)
		if err != nil {
			return err
		}
		if !fe.StartDate.set {
			return fxErr("event %q: start_date is required", fe.FriendlyName)
		}
		e := &event{contentItem: it, startDate: fe.StartDate.ms, endDate: fe.EndDate.ms, allDay: fe.AllDay,
			location: nullStr(fe.Location), dateReminder: fe.DateReminder.null(), recurrence: nullStr(fe.Recurrence),
			dateEndRecurrence: fe.DateEndRecurrence.null(), disableMaybe: fe.DisableMaybe, color: nullStr(fe.Color)}
		if !fe.EndDate.set {
			e.endDate = e.startDate + 3600_000
		}
		if e.endDate < e.startDate {
			return fxErr("event %q: end_date is before start_date", fe.FriendlyName)
		}
		if err := slugConflict(insertEvent(ctx, tx, ns.ID, e), "Event", e.name); err != nil {
			return err
		}
		if err := trash("event", &e.contentItem); err != nil {
			return err
		}
	}
	for _, ft := range f.Tasks {
		it, err := ft.content(ctx, tx, ns.ID, "task", now)
		if err != nil {
			return err
		}
		t := &task{contentItem: it, parentID: nullInt(ft.Parent), status: defStr(ft.Status, "WAITING"),
			priority: defStr(ft.Priority, "MEDIUM"), progress: ft.Progress, dueDate: ft.DueDate.null(),
			dateReminder: ft.DateReminder.null(), recurrence: nullStr(ft.Recurrence), order: defaultTaskOrder,
			category: nullStr(ft.Category), dateCompleted: ft.DateCompleted.null(), trkBeg: ft.TrackingStartDate.null(),
			timeTracked: ft.TimeTracked}
		if ft.Order != nil {
			t.order = *ft.Order
		}
		if !oneOf(t.status, taskStatuses) || !oneOf(t.priority, taskPriorities) {
			return fxErr("task %q: status must be one of %s and priority one of %s", ft.FriendlyName,
				strings.Join(taskStatuses, ", "), strings.Join(taskPriorities, ", "))
		}
		if t.parentID.Valid {
			if p, _, err := taskByID(ctx, tx, ns.ID, t.parentID.Int64); err != nil || p.groupID != t.groupID {
				return fxErr("task %q: parent %d is not an earlier task of its group", ft.FriendlyName, t.parentID.Int64)
			}
		}
		if err := slugConflict(insertTask(ctx, tx, ns.ID, t), "Task", t.name); err != nil {
			return err
		}
		for _, u := range ft.Assignees {
			if _, err := groupMemberOf(ctx, tx, ns.ID, t.groupID, u); err != nil {
				return fxErr("task %q: assignee %d is not a member of group %d", ft.FriendlyName, u, t.groupID)
			}
		}
		if err := setAssignees(ctx, tx, ns.ID, t.id, ft.Assignees); err != nil {
			return err
		}
		if err := trash("task", &t.contentItem); err != nil {
			return err
		}
	}
	return nil
}

// eventsTasksSeed is the events and tasks part of a built-in seed.
func eventsTasksSeed(seed string) string {
	switch seed {
	case namespace.SeedDocs:
		return docsEventsTasks
	case namespace.SeedDemo:
		return demoEventsTasks
	}
	return `{}`
}

// docsEventsTasks holds the event and task that the documented list
// examples show, in group 1 explore_clinked.
const docsEventsTasks = `{
 "events": [
  {"id": 1, "group": 1, "context_key": 389, "name": "meeting_with_a_client", "friendly_name": "Meeting with a client",
   "start_date": "2018-01-05T14:00Z[UTC]", "end_date": "2018-01-05T15:00Z[UTC]", "location": "London",
   "tags": "tag1,tag2", "date_reminder": "2017-12-31T08:00Z[UTC]", "recurrence": "FREQ=WEEKLY;WKST=MO;BYDAY=FR",
   "date_end_recurrence": "2024-04-09T07:25:13.169Z[UTC]", "description": "Let's do this every friday",
   "color": "#212121", "author": 1, "date_created": 1514764800000, "last_modified": 1514764800000}
 ],
 "tasks": [
  {"id": 1, "group": 1, "context_key": 117, "name": "deploy_update", "friendly_name": "Deploy update",
   "status": "WAITING", "priority": "MEDIUM", "due_date": "2022-08-25T11:56:54Z[UTC]",
   "date_reminder": "2017-12-31T08:00Z[UTC]", "description": "Let's do this", "author": 1,
   "tracking_start_date": 1514764800000, "time_tracked": 948480, "date_completed": 1514764810000,
   "date_created": 1514764800000, "last_modified": 1514764800000}
 ]
}`

// demoEventsTasks gives the onboarding group a calendar and a task board.
const demoEventsTasks = `{
 "events": [
  {"group": 1, "friendly_name": "Kick-off call", "start_date": "2027-01-11T15:00:00Z",
   "end_date": "2027-01-11T16:00:00Z", "location": "Zoom", "tags": "onboarding", "author": 1, "color": "#1e88e5"},
  {"group": 1, "friendly_name": "Weekly check-in", "start_date": "2027-01-15T10:00:00Z",
   "end_date": "2027-01-15T10:30:00Z", "recurrence": "FREQ=WEEKLY;BYDAY=FR", "date_end_recurrence": "2027-06-30T00:00:00Z",
   "author": 2, "description": "Fifteen minutes on open questions"},
  {"group": 1, "friendly_name": "Contract signature", "start_date": "2027-02-01", "all_day": true,
   "end_date": "2027-02-02", "author": 1},
  {"group": 2, "friendly_name": "Apollo launch review", "start_date": "2027-03-03T13:00:00Z", "author": 3,
   "location": "Board room"}
 ],
 "tasks": [
  {"group": 1, "friendly_name": "Collect signed NDA", "priority": "HIGH", "due_date": "2027-01-20T17:00:00Z",
   "assignees": [2], "author": 1, "category": "Paperwork"},
  {"group": 1, "friendly_name": "Set up client portal", "status": "IN_PROGRESS", "progress": 40,
   "due_date": "2027-01-25T17:00:00Z", "assignees": [2, 5], "author": 1},
  {"group": 1, "friendly_name": "Upload brand assets", "priority": "LOW", "author": 5, "assignees": [5]},
  {"group": 1, "friendly_name": "Draft welcome letter", "status": "COMPLETED", "progress": 100,
   "date_completed": "2027-01-05T09:00:00Z", "author": 2},
  {"group": 1, "friendly_name": "Old checklist", "author": 1, "trashed": true},
  {"group": 2, "friendly_name": "Book launch venue", "priority": "URGENT", "author": 3, "assignees": [2]}
 ]
}`
