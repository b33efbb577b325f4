package workdrive

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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
	Departments    []exportDept    `json:"departments,omitempty"`
	Locations      []exportLoc     `json:"locations,omitempty"`
	SecurityGroups []exportGroup   `json:"securityGroups,omitempty"`
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

type exportDept struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Heads   []string `json:"heads,omitempty"`
	Members []string `json:"members,omitempty"`
}

type exportLoc struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Admins  []string `json:"admins,omitempty"`
	Members []string `json:"members,omitempty"`
}

type exportGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members,omitempty"`
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

// Export implements vendor.Exporter: the organization's name, its
// departments, locations, security groups, files (uploaded bytes as
// content_base64), users, content (export_content.go), tasks and group
// chats, with "admin" for the OrgAdmin, whose id each
// namespace derives for itself. API keys are stored as hashes and travel
// as apiKeyHashes (docs/decisions.md); the OrgAdmin and SuperAdmin keep
// the importing namespace's keys.
func (s *Service) Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error) {
	c := seedCredentials(ns)
	who := func(id string) string {
		if id == c.adminID {
			return "admin"
		}
		return id
	}
	// strs reads a list of user ids; "admin" goes first, because the
	// OrgAdmin's id, and so its place in the order, differs per namespace.
	strs := func(q string, args ...any) ([]string, error) {
		rows, err := tx.QueryContext(ctx, q, args...)
		list, err := store.Collect(rows, err, func(r store.Scanner) (string, error) {
			var v string
			err := r.Scan(&v)
			return who(v), err
		})
		if i := slices.Index(list, "admin"); i > 0 {
			list = slices.Insert(slices.Delete(list, i, i+1), 0, "admin")
		}
		return list, err
	}
	var doc exportDoc
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM workdrive_organizations WHERE ns = $1 AND id = $2`,
		ns.ID, c.orgID).Scan(&name); err != nil {
		return nil, err
	}
	if name != "Standin Intranet" {
		doc.Organization = &exportOrg{Name: name}
	}
	type named struct{ id, name string }
	list := func(table string) ([]named, error) {
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM `+table+` WHERE ns = $1 AND org_id = $2
			ORDER BY created_at, id`, ns.ID, c.orgID)
		return store.Collect(rows, err, func(r store.Scanner) (named, error) {
			var n named
			return n, r.Scan(&n.id, &n.name)
		})
	}
	depts, err := list("workdrive_departments")
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		e := exportDept{ID: d.id, Name: d.name}
		if e.Heads, err = strs(`SELECT user_id FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2
			ORDER BY created_at, user_id`, ns.ID, d.id); err != nil {
			return nil, err
		}
		if e.Members, err = strs(`SELECT id FROM workdrive_users WHERE ns = $1 AND department_id = $2
			ORDER BY created_at, id`, ns.ID, d.id); err != nil {
			return nil, err
		}
		doc.Departments = append(doc.Departments, e)
	}
	locs, err := list("workdrive_locations")
	if err != nil {
		return nil, err
	}
	for _, l := range locs {
		e := exportLoc{ID: l.id, Name: l.name}
		if e.Admins, err = strs(`SELECT user_id FROM workdrive_location_admins WHERE ns = $1 AND location_id = $2
			ORDER BY user_id`, ns.ID, l.id); err != nil {
			return nil, err
		}
		if e.Members, err = strs(`SELECT user_id FROM workdrive_location_members WHERE ns = $1 AND location_id = $2
			ORDER BY created_at, user_id`, ns.ID, l.id); err != nil {
			return nil, err
		}
		doc.Locations = append(doc.Locations, e)
	}
	groups, err := list("workdrive_security_groups")
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		e := exportGroup{ID: g.id, Name: g.name}
		if e.Members, err = strs(`SELECT user_id FROM workdrive_security_group_members WHERE ns = $1 AND group_id = $2
			ORDER BY user_id`, ns.ID, g.id); err != nil {
			return nil, err
		}
		doc.SecurityGroups = append(doc.SecurityGroups, e)
	}
	if doc.Files, err = exportFiles(ctx, tx, ns.ID, c.orgID, who); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, email, first_name, last_name, designation, phone, bio, status, reports_to
		FROM workdrive_users WHERE ns = $1 AND org_id = $2 AND role = $3 ORDER BY created_at, id`, ns.ID, c.orgID, roleUser)
	if doc.Users, err = store.Collect(rows, err, func(r store.Scanner) (exportPerson, error) {
		var (
			p         exportPerson
			reportsTo sql.NullString
		)
		err := r.Scan(&p.ID, &p.Email, &p.FirstName, &p.LastName, &p.Designation, &p.Phone, &p.Bio, &p.Status, &reportsTo)
		if reportsTo.Valid {
			p.ReportsTo = who(reportsTo.String)
		}
		return p, err
	}); err != nil {
		return nil, err
	}
	for i := range doc.Users {
		p := &doc.Users[i]
		if p.Teams, err = strs(`SELECT supervisor_id FROM workdrive_user_teams WHERE ns = $1 AND user_id = $2
			ORDER BY supervisor_id`, ns.ID, p.ID); err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT key_hash FROM workdrive_api_keys WHERE ns = $1 AND user_id = $2
			ORDER BY key_hash`, ns.ID, p.ID)
		if p.APIKeyHashes, err = store.Collect(rows, err, func(r store.Scanner) (string, error) {
			var h string
			return h, r.Scan(&h)
		}); err != nil {
			return nil, err
		}
	}
	if doc.Catalogs, err = exportAddedCategories(ctx, tx, ns.ID, c.orgID); err != nil {
		return nil, err
	}
	if doc.Content, err = exportContentOf(ctx, tx, ns.ID, c.orgID, who, strs); err != nil {
		return nil, err
	}
	if doc.Tasks, doc.Chats, err = exportCollab(ctx, tx, ns.ID, c.orgID, who, strs); err != nil {
		return nil, err
	}
	if doc.Organization == nil && len(doc.Departments)+len(doc.Locations)+len(doc.SecurityGroups)+len(doc.Files)+
		len(doc.Users)+len(doc.Tasks)+len(doc.Chats) == 0 && doc.Catalogs == nil && doc.Content == nil {
		return nil, nil
	}
	return doc, nil
}

// exportFiles writes the uploaded files; an upload's bytes go in
// content_base64, a seeded file's sample is made again on download.
func exportFiles(ctx context.Context, tx *sql.Tx, ns, org string, who func(string) string) ([]exportFile, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+fileColumns+` FROM workdrive_files WHERE ns = $1 AND org_id = $2
		AND status = 'uploaded' ORDER BY created_at, id`, ns, org)
	files, err := store.Collect(rows, err, scanFile)
	if err != nil {
		return nil, err
	}
	out := make([]exportFile, 0, len(files))
	for _, f := range files {
		e := exportFile{ID: f.id, Name: f.name, Mime: f.mime, Size: f.size, Owner: who(f.ownerID),
			Module: fmt.Sprint(f.moduleCode), Key: f.blobKey,
			CreatedAt: isoTime(f.createdAt)}
		if e.Key == fmt.Sprintf("o-%s/m-%d/u-%s/%s", org, f.moduleCode, f.ownerID, f.id+extOf(f.mime)) {
			e.Key = ""
		}
		data, err := blob.ReadAll(ctx, tx, ns, f.blobKey)
		switch {
		case errors.Is(err, blob.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			e.Size, e.ContentBase64 = 0, base64.StdEncoding.EncodeToString(data)
		}
		out = append(out, e)
	}
	return out, nil
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
func exportCollab(ctx context.Context, tx *sql.Tx, ns, org string, who func(string) string,
	strs func(string, ...any) ([]string, error)) ([]exportTask, []exportChat, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+taskColumns+` FROM workdrive_tasks WHERE ns = $1 AND org_id = $2
		ORDER BY created_at, id`, ns, org)
	tasks, err := store.Collect(rows, err, scanRow[task])
	if err != nil {
		return nil, nil, err
	}
	var outTasks []exportTask
	for _, t := range tasks {
		e := exportTask{ID: t.id, Author: who(t.createdBy), Title: t.title, Content: t.content, Type: t.taskType,
			Link: t.link, Status: t.status, DueDays: t.dueDays, CreatedAt: isoTime(t.createdAt)}
		if e.Assignees, err = strs(`SELECT user_id FROM workdrive_task_assignees WHERE ns = $1 AND task_id = $2
			ORDER BY assigned_at, user_id`, ns, t.id); err != nil {
			return nil, nil, err
		}
		outTasks = append(outTasks, e)
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+conversationColumns+` FROM workdrive_conversations
		WHERE ns = $1 AND org_id = $2 AND type IN ($3, $4) ORDER BY created_at, id`, ns, org, chatGroup, chatRoom)
	convs, err := store.Collect(rows, err, scanRow[conversation])
	if err != nil {
		return nil, nil, err
	}
	var outChats []exportChat
	for _, v := range convs {
		e := exportChat{ID: v.id, Author: who(v.createdBy), Type: v.typ, Title: v.title, Description: v.description,
			Category: v.category, Cover: v.fileID.String, Private: v.isPrivate, ByRequest: v.byRequest,
			CreatedAt: isoTime(v.createdAt)}
		members := `SELECT user_id FROM workdrive_conversation_members WHERE ns = $1 AND conversation_id = $2
			AND is_admin = $3 ORDER BY joined_at, user_id`
		if e.Admins, err = strs(members, ns, v.id, true); err != nil {
			return nil, nil, err
		}
		if e.Members, err = strs(members, ns, v.id, false); err != nil {
			return nil, nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+messageColumns+` FROM workdrive_messages
			WHERE ns = $1 AND conversation_id = $2 ORDER BY created_at, id`, ns, v.id)
		if e.Messages, err = store.Collect(rows, err, func(r store.Scanner) (exportMessage, error) {
			var m message
			err := r.Scan(&m.id, &m.conversationID, &m.senderID, &m.text, &m.replyOf, &m.mention, &m.fileIDs,
				&m.createdAt, &m.updatedAt)
			out := exportMessage{ID: m.id, From: who(m.senderID), Text: m.text, ReplyTo: m.replyOf.String}
			_ = json.Unmarshal([]byte(m.fileIDs), &out.Files)
			if len(out.Files) == 0 {
				out.Files = nil
			}
			return out, err
		}); err != nil {
			return nil, nil, err
		}
		outChats = append(outChats, e)
	}
	return outTasks, outChats, nil
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

func exportAddedCategories(ctx context.Context, tx *sql.Tx, ns, org string) (*exportCatalogs, error) {
	builtin := map[string]bool{}
	if f, err := builtinFixture("catalogs"); err == nil && f != nil && f.Catalogs != nil {
		for _, c := range f.Catalogs.Categories {
			module, _ := moduleByName(c.Module)
			for _, n := range c.Names {
				builtin[fmt.Sprint(module)+"\x00"+strings.ToLower(strings.TrimSpace(n))] = true
			}
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT module_code, name FROM workdrive_categories WHERE ns = $1 AND org_id = $2
		ORDER BY module_code, name_lc, name`, ns, org)
	type cat struct {
		module int
		name   string
	}
	cats, err := store.Collect(rows, err, func(r store.Scanner) (cat, error) {
		var c cat
		return c, r.Scan(&c.module, &c.name)
	})
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
	if out.EnforcementTemplates, out.Courses, err = exportAddedCourses(ctx, tx, ns, org); err != nil {
		return nil, err
	}
	if len(out.Categories)+len(out.EnforcementTemplates)+len(out.Courses) == 0 {
		return nil, nil
	}
	return out, nil
}
