package workdrive

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// exportDoc is the "workdrive" section that Export writes, in the order of
// docs/fixtures.md.
type exportDoc struct {
	Organization   *exportOrg      `json:"organization,omitempty"`
	Departments    []exportUnit    `json:"departments,omitempty"`
	Locations      []exportUnit    `json:"locations,omitempty"`
	SecurityGroups []exportUnit    `json:"securityGroups,omitempty"`
	Files          []exportFile    `json:"files,omitempty"`
	Users          []exportPerson  `json:"users,omitempty"`
	Catalogs       *exportCatalogs `json:"catalogs,omitempty"`
	Content        *exportContent  `json:"content,omitempty"` // export_content.go
	Tasks          []exportTask    `json:"tasks,omitempty"`
	Chats          []exportChat    `json:"chats,omitempty"`
}

type exportOrg struct {
	Name string `json:"name"`
}

type exportFile struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Mime          string `json:"mime"`
	Size          int64  `json:"size,omitempty"`
	Owner         string `json:"owner,omitempty"`
	Module        string `json:"module"`
	Key           string `json:"key,omitempty"`
	CreatedAt     string `json:"createdAt"`
	ContentBase64 string `json:"content_base64,omitempty"`
}

type exportPerson struct {
	ID           string   `json:"id"`
	Email        string   `json:"email"`
	FirstName    string   `json:"firstName,omitempty"`
	LastName     string   `json:"lastName,omitempty"`
	Designation  string   `json:"designation,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	Bio          string   `json:"bio,omitempty"`
	Status       string   `json:"status,omitempty"`
	ReportsTo    string   `json:"reportsTo,omitempty"`
	Teams        []string `json:"teams,omitempty"`
	APIKeyHashes []string `json:"apiKeyHashes,omitempty"`
}

// exporter reads one organization for Export: every query is of namespace
// ns, and the OrgAdmin's id becomes "admin", because each namespace
// derives its own.
type exporter struct {
	ctx          context.Context
	tx           *sql.Tx
	ns, org, adm string
}

// who names a user in the fixture form.
func (e *exporter) who(id string) string {
	if id == e.adm {
		return "admin"
	}
	return id
}

// strs reads a list of user ids; "admin" goes first, because the
// OrgAdmin's id, and so its place in the order, differs per namespace.
func (e *exporter) strs(q string, args ...any) ([]string, error) {
	rows, err := e.tx.QueryContext(e.ctx, q, args...)
	list, err := store.Collect(rows, err, scanString)
	for i, v := range list {
		list[i] = e.who(v)
	}
	if i := slices.Index(list, "admin"); i > 0 {
		list = slices.Insert(slices.Delete(list, i, i+1), 0, "admin")
	}
	return list, err
}

// orgRows reads the rows that q selects, its $1 the namespace and $2 the
// organization (args follow from $3), each with scan.
func orgRows[T any](e *exporter, scan func(store.Scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := e.tx.QueryContext(e.ctx, q, append([]any{e.ns, e.org}, args...)...)
	return store.Collect(rows, err, scan)
}

// exportEach is orgRows with each row made into its fixture entry.
func exportEach[T, E any](e *exporter, scan func(store.Scanner) (T, error), entry func(T) (E, error), q string, args ...any) ([]E, error) {
	list, err := orgRows(e, scan, q, args...)
	if err != nil {
		return nil, err
	}
	var out []E
	for _, v := range list {
		x, err := entry(v)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// exportUnit is a department, location or security group; heads are a
// department's, admins a location's.
type exportUnit struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Heads   []string `json:"heads,omitempty"`
	Admins  []string `json:"admins,omitempty"`
	Members []string `json:"members,omitempty"`
}

// exportUnits reads the organization's units in table; lists read the
// user ids of each ($1 the namespace, $2 the unit) into the fields that
// fields picks.
func exportUnits(e *exporter, table string, fields func(u *exportUnit) []*[]string, lists ...string) ([]exportUnit, error) {
	return exportEach(e, func(r store.Scanner) (exportUnit, error) {
		var u exportUnit
		return u, r.Scan(&u.ID, &u.Name)
	}, func(u exportUnit) (exportUnit, error) {
		for i, f := range fields(&u) {
			var err error
			if *f, err = e.strs(lists[i], e.ns, u.ID); err != nil {
				return u, err
			}
		}
		return u, nil
	}, `SELECT id, name FROM `+table+` WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`)
}

// Export implements vendor.Exporter: the organization's name, its
// departments, locations, security groups, files (uploaded bytes as
// content_base64), users, content (export_content.go), tasks and group
// chats, with "admin" for the OrgAdmin, whose id each
// namespace derives for itself. API keys are stored as hashes and travel
// as apiKeyHashes (docs/decisions.md); the OrgAdmin and SuperAdmin keep
// the importing namespace's keys.
func (s *Service) Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error) {
	c := seedCredentials(ns)
	e := &exporter{ctx: ctx, tx: tx, ns: ns.ID, org: c.orgID, adm: c.adminID}
	var doc exportDoc
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM workdrive_organizations WHERE ns = $1 AND id = $2`,
		ns.ID, c.orgID).Scan(&name); err != nil {
		return nil, err
	}
	if name != "Standin Intranet" {
		doc.Organization = &exportOrg{Name: name}
	}
	var err error
	if doc.Departments, err = exportUnits(e, "workdrive_departments", func(u *exportUnit) []*[]string {
		return []*[]string{&u.Heads, &u.Members}
	}, `SELECT user_id FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2 ORDER BY created_at, user_id`,
		`SELECT id FROM workdrive_users WHERE ns = $1 AND department_id = $2 ORDER BY created_at, id`); err != nil {
		return nil, err
	}
	if doc.Locations, err = exportUnits(e, "workdrive_locations", func(u *exportUnit) []*[]string {
		return []*[]string{&u.Admins, &u.Members}
	}, `SELECT user_id FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2 ORDER BY user_id`,
		`SELECT user_id FROM workdrive_location_members WHERE ns = $1 AND location_id = $2 ORDER BY created_at, user_id`); err != nil {
		return nil, err
	}
	if doc.SecurityGroups, err = exportUnits(e, "workdrive_security_groups", func(u *exportUnit) []*[]string {
		return []*[]string{&u.Members}
	}, `SELECT user_id FROM workdrive_security_group_members WHERE ns = $1 AND group_id = $2 ORDER BY user_id`); err != nil {
		return nil, err
	}
	if doc.Files, err = exportFiles(e); err != nil {
		return nil, err
	}
	if doc.Users, err = exportUsers(e); err != nil {
		return nil, err
	}
	if doc.Catalogs, err = exportAddedCategories(e); err != nil {
		return nil, err
	}
	if doc.Content, err = exportContentOf(e); err != nil {
		return nil, err
	}
	if doc.Tasks, doc.Chats, err = exportCollab(e); err != nil {
		return nil, err
	}
	if doc.Organization == nil && len(doc.Departments)+len(doc.Locations)+len(doc.SecurityGroups)+len(doc.Files)+
		len(doc.Users)+len(doc.Tasks)+len(doc.Chats) == 0 && doc.Catalogs == nil && doc.Content == nil {
		return nil, nil
	}
	return doc, nil
}

// exportUsers writes the users other than the OrgAdmin and SuperAdmin,
// with their teams and API key hashes.
func exportUsers(e *exporter) ([]exportPerson, error) {
	return exportEach(e, func(r store.Scanner) (exportPerson, error) {
		var (
			p         exportPerson
			reportsTo sql.NullString
		)
		err := r.Scan(&p.ID, &p.Email, &p.FirstName, &p.LastName, &p.Designation, &p.Phone, &p.Bio, &p.Status, &reportsTo)
		if reportsTo.Valid {
			p.ReportsTo = e.who(reportsTo.String)
		}
		return p, err
	}, func(p exportPerson) (exportPerson, error) {
		var err error
		if p.Teams, err = e.strs(`SELECT supervisor_id FROM workdrive_user_teams WHERE ns = $1 AND user_id = $2
			ORDER BY supervisor_id`, e.ns, p.ID); err != nil {
			return p, err
		}
		rows, err := e.tx.QueryContext(e.ctx, `SELECT key_hash FROM workdrive_api_keys WHERE ns = $1 AND user_id = $2
			ORDER BY key_hash`, e.ns, p.ID)
		p.APIKeyHashes, err = store.Collect(rows, err, scanString)
		return p, err
	}, `SELECT id, email, first_name, last_name, designation, phone, bio, status, reports_to
		FROM workdrive_users WHERE ns = $1 AND org_id = $2 AND role = $3 ORDER BY created_at, id`, roleUser)
}

// exportFiles writes the uploaded files; an upload's bytes go in
// content_base64, a seeded file's sample is made again on download.
func exportFiles(e *exporter) ([]exportFile, error) {
	return exportEach(e, scanFile, func(f *file) (exportFile, error) {
		x := exportFile{ID: f.id, Name: f.name, Mime: f.mime, Size: f.size, Owner: e.who(f.ownerID),
			Module: fmt.Sprint(f.moduleCode), Key: f.blobKey,
			CreatedAt: isoTime(f.createdAt)}
		if x.Key == fmt.Sprintf("o-%s/m-%d/u-%s/%s", e.org, f.moduleCode, f.ownerID, f.id+extOf(f.mime)) {
			x.Key = ""
		}
		data, err := blob.ReadAll(e.ctx, e.tx, e.ns, f.blobKey)
		switch {
		case errors.Is(err, blob.ErrNotFound):
		case err != nil:
			return x, err
		default:
			x.Size, x.ContentBase64 = 0, base64.StdEncoding.EncodeToString(data)
		}
		return x, nil
	}, `SELECT `+fileColumns+` FROM workdrive_files WHERE ns = $1 AND org_id = $2
		AND status = 'uploaded' ORDER BY created_at, id`)
}

// loadFileContent stores a document file's content_base64 under its key
// and returns its size.
func loadFileContent(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, id, key, b64 string) (int64, error) {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return 0, fixtureErr("file %s: content_base64 is not base64", id)
	}
	info, err := blob.Write(ctx, tx, ns.ID, key, strings.NewReader(string(data)), blob.Options{Time: ns.Now()})
	if err != nil {
		return 0, err
	}
	return info.Size, nil
}

// loadAPIKeyHashes stores a document user's API key hashes (SHA-256 hex).
func loadAPIKeyHashes(ctx context.Context, tx *sql.Tx, ns, userID string, hashes []string, now int64) error {
	for _, h := range hashes {
		if b, err := hex.DecodeString(h); err != nil || len(b) != 32 || h != strings.ToLower(h) {
			return fixtureErr("user %s: apiKeyHashes holds SHA-256 hashes in lowercase hex", userID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_api_keys (ns, key_hash, user_id, created_at)
			VALUES ($1, $2, $3, $4)`, ns, h, userID, now); err != nil {
			return err
		}
	}
	return nil
}

// exportTask is a task as the fixture format writes it.
type exportTask struct {
	ID        string   `json:"id"`
	Author    string   `json:"author"`
	Title     string   `json:"title"`
	Content   string   `json:"content,omitempty"`
	Type      string   `json:"type"`
	Link      string   `json:"link,omitempty"`
	Status    string   `json:"status"`
	DueDays   int64    `json:"dueDays,omitempty"`
	Assignees []string `json:"assignees,omitempty"`
	CreatedAt string   `json:"createdAt"`
}

// exportChat is a group chat or room as the fixture format writes it.
type exportChat struct {
	ID          string          `json:"id"`
	Author      string          `json:"author"`
	Type        string          `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	Category    string          `json:"category,omitempty"`
	Cover       string          `json:"cover,omitempty"`
	Private     bool            `json:"private,omitempty"`
	ByRequest   bool            `json:"byRequest,omitempty"`
	Admins      []string        `json:"admins,omitempty"`
	Members     []string        `json:"members,omitempty"`
	CreatedAt   string          `json:"createdAt"`
	Messages    []exportMessage `json:"messages,omitempty"`
}

type exportMessage struct {
	ID      string   `json:"id"`
	From    string   `json:"from"`
	Text    string   `json:"text"`
	ReplyTo string   `json:"replyTo,omitempty"`
	Files   []string `json:"files,omitempty"`
}

// exportCollab writes the organization's tasks, and its group chats and
// rooms with their members and messages. Direct chats have no fixture
// form yet; message times follow the fixture's 17-minute rhythm.
func exportCollab(e *exporter) ([]exportTask, []exportChat, error) {
	tasks, err := exportEach(e, scanRow[task], func(t *task) (exportTask, error) {
		x := exportTask{ID: t.id, Author: e.who(t.createdBy), Title: t.title, Content: t.content, Type: t.taskType,
			Link: t.link, Status: t.status, DueDays: t.dueDays, CreatedAt: isoTime(t.createdAt)}
		var err error
		x.Assignees, err = e.strs(`SELECT user_id FROM workdrive_task_assignees WHERE ns = $1 AND task_id = $2
			ORDER BY assigned_at, user_id`, e.ns, t.id)
		return x, err
	}, `SELECT `+taskColumns+` FROM workdrive_tasks WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`)
	if err != nil {
		return nil, nil, err
	}
	chats, err := exportEach(e, scanRow[conversation], func(v *conversation) (exportChat, error) {
		x := exportChat{ID: v.id, Author: e.who(v.createdBy), Type: v.typ, Title: v.title, Description: v.description,
			Category: v.category, Cover: v.fileID.String, Private: v.isPrivate, ByRequest: v.byRequest,
			CreatedAt: isoTime(v.createdAt)}
		members := `SELECT user_id FROM workdrive_conversation_members WHERE ns = $1 AND conversation_id = $2
			AND is_admin = $3 ORDER BY joined_at, user_id`
		var err error
		if x.Admins, err = e.strs(members, e.ns, v.id, true); err != nil {
			return x, err
		}
		if x.Members, err = e.strs(members, e.ns, v.id, false); err != nil {
			return x, err
		}
		rows, err := e.tx.QueryContext(e.ctx, `SELECT `+messageColumns+` FROM workdrive_messages
			WHERE ns = $1 AND conversation_id = $2 ORDER BY created_at, id`, e.ns, v.id)
		x.Messages, err = store.Collect(rows, err, func(r store.Scanner) (exportMessage, error) {
			var m message
			err := r.Scan(&m.id, &m.conversationID, &m.senderID, &m.text, &m.replyOf, &m.mention, &m.fileIDs,
				&m.createdAt, &m.updatedAt)
			return exportMessage{ID: m.id, From: e.who(m.senderID), Text: m.text, ReplyTo: m.replyOf.String,
				Files: idList(m.fileIDs, nil)}, err
		})
		return x, err
	}, `SELECT `+conversationColumns+` FROM workdrive_conversations
		WHERE ns = $1 AND org_id = $2 AND type IN ($3, $4) ORDER BY created_at, id`, chatGroup, chatRoom)
	return tasks, chats, err
}

// exportCatalogs is the catalogs part that Export writes: categories
// (by module code), enforcement templates and courses beyond the built-in
// ones (seeds/catalogs.yaml).
type exportCatalogs struct {
	Categories           []exportCategories `json:"categories,omitempty"`
	EnforcementTemplates []exportTemplate   `json:"enforcementTemplates,omitempty"` // export_content.go
	Courses              []exportCourse     `json:"courses,omitempty"`              // export_content.go
}

type exportCategories struct {
	Module string   `json:"module"`
	Names  []string `json:"names"`
}

func exportAddedCategories(e *exporter) (*exportCatalogs, error) {
	builtin := map[string]bool{}
	if f, err := builtinFixture("catalogs"); err == nil && f != nil && f.Catalogs != nil {
		for _, c := range f.Catalogs.Categories {
			module, _ := moduleByName(c.Module)
			for _, n := range c.Names {
				builtin[fmt.Sprint(module)+"\x00"+strings.ToLower(strings.TrimSpace(n))] = true
			}
		}
	}
	type cat struct {
		module int
		name   string
	}
	cats, err := orgRows(e, func(r store.Scanner) (cat, error) {
		var c cat
		return c, r.Scan(&c.module, &c.name)
	}, `SELECT module_code, name FROM workdrive_categories WHERE ns = $1 AND org_id = $2
		ORDER BY module_code, name_lc, name`)
	if err != nil {
		return nil, err
	}
	out := &exportCatalogs{}
	for _, c := range cats {
		module := fmt.Sprint(c.module)
		if builtin[module+"\x00"+strings.ToLower(c.name)] {
			continue
		}
		if n := len(out.Categories); n == 0 || out.Categories[n-1].Module != module {
			out.Categories = append(out.Categories, exportCategories{Module: module})
		}
		last := &out.Categories[len(out.Categories)-1]
		last.Names = append(last.Names, c.name)
	}
	if out.EnforcementTemplates, out.Courses, err = exportAddedCourses(e); err != nil {
		return nil, err
	}
	if len(out.Categories)+len(out.EnforcementTemplates)+len(out.Courses) == 0 {
		return nil, nil
	}
	return out, nil
}
