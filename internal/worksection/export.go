package worksection

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// exportDoc is the "worksection" section that Export writes
// (docs/fixtures.md), in the order that the loader reads it.
type exportDoc struct {
	Owner          *exportMember   `json:"owner,omitempty"`
	Teams          []exportTeam    `json:"teams,omitempty"`
	Users          []exportMember  `json:"users,omitempty"`
	ContactFolders []exportFolder  `json:"contact_folders,omitempty"`
	Contacts       []exportContact `json:"contacts,omitempty"`
	Projects       []exportProject `json:"projects,omitempty"`
	Tasks          []exportTask    `json:"tasks,omitempty"`
}

type exportPerson struct {
	Title    string `json:"title,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Phone2   string `json:"phone2,omitempty"`
	Phone3   string `json:"phone3,omitempty"`
	Phone4   string `json:"phone4,omitempty"`
	Address  string `json:"address,omitempty"`
	Address2 string `json:"address2,omitempty"`
}

type exportMember struct {
	ID         int64       `json:"id,omitempty"`
	Email      string      `json:"email,omitempty"`
	FirstName  string      `json:"first_name,omitempty"`
	LastName   string      `json:"last_name,omitempty"`
	Rate       json.Number `json:"rate,omitempty"`
	Avatar     string      `json:"avatar,omitempty"`
	Group      string      `json:"group,omitempty"`
	Department string      `json:"department,omitempty"`
	Role       string      `json:"role,omitempty"`
	Invited    bool        `json:"invited,omitempty"`
	exportPerson
}

type exportTeam struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Client int    `json:"client,omitempty"`
}

type exportFolder struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Type  string `json:"type"`
}

type exportContact struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Group     string `json:"group,omitempty"`
	exportPerson
}

type exportProject struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	UserFrom string `json:"user_from"`
}

type exportTask struct {
	ID      int64 `json:"id"`
	Project int64 `json:"project"`
	taskFields
}

// taskFields are the fields of a task that the fixture and its export
// share (omitempty matters only to the export).
type taskFields struct {
	Name        string            `json:"name"`
	Text        string            `json:"text,omitempty"`
	Status      string            `json:"status"`
	Priority    int               `json:"priority,omitempty"`
	UserFrom    string            `json:"user_from"`
	UserTo      string            `json:"user_to,omitempty"`
	DateAdded   string            `json:"date_added"`
	DateStart   string            `json:"date_start,omitempty"`
	DateEnd     string            `json:"date_end,omitempty"`
	TimeEnd     string            `json:"time_end,omitempty"`
	MaxTime     json.Number       `json:"max_time,omitempty"`
	MaxMoney    json.Number       `json:"max_money,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	Subscribers []string          `json:"subscribers,omitempty"`
}

// Export implements vendor.Exporter. The owner (by its profile, when it is
// not the seeded one), its team and the preset contact folders come with
// every seed. Not exported: OAuth clients, codes and tokens (kept as hashes)
// and creation times of users and contacts; task times are to the minute,
// as the fixture format has them.
func (s *Service) Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error) {
	a, err := accountByNS(ctx, tx, ns.ID)
	if err != nil {
		return nil, err
	}
	var doc exportDoc
	rows, err := tx.QueryContext(ctx, `SELECT id, title, client FROM worksection_teams WHERE ns = $1 ORDER BY id`, ns.ID)
	teams, err := store.Collect(rows, err, func(r store.Scanner) (exportTeam, error) {
		var t exportTeam
		return t, r.Scan(&t.ID, &t.Title, &t.Client)
	})
	if err != nil {
		return nil, err
	}
	teamTitle := map[int64]string{}
	for _, t := range teams {
		teamTitle[t.ID] = t.Title
	}
	type userRow struct {
		exportMember
		teamID int64
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, email, first_name, last_name, rate, avatar, team_id, department,
		role, invited, title, phone, phone2, phone3, phone4, address, address2
		FROM worksection_users WHERE ns = $1 ORDER BY id`, ns.ID)
	users, err := store.Collect(rows, err, func(r store.Scanner) (userRow, error) {
		var (
			u                                              userRow
			rate, avatar, ph1, ph2, ph3, ph4, addr1, addr2 sql.NullString
		)
		err := r.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &rate, &avatar, &u.teamID, &u.Department,
			&u.Role, &u.Invited, &u.Title, &ph1, &ph2, &ph3, &ph4, &addr1, &addr2)
		u.Rate, u.Avatar = json.Number(rate.String), avatar.String
		u.Phone, u.Phone2, u.Phone3, u.Phone4 = ph1.String, ph2.String, ph3.String, ph4.String
		u.Address, u.Address2 = addr1.String, addr2.String
		u.Group = teamTitle[u.teamID]
		return u, err
	})
	if err != nil {
		return nil, err
	}
	emails := map[int64]string{}
	var ownerTeamID int64
	for _, u := range users {
		emails[u.ID] = u.Email
		if u.ID == a.ownerID {
			ownerTeamID = u.teamID
		}
	}
	for _, t := range teams {
		if !strings.EqualFold(t.Title, ownerTeam) { // the seed's team
			doc.Teams = append(doc.Teams, t)
		}
	}
	for _, u := range users {
		m := u.exportMember
		if u.ID == a.ownerID {
			if strings.EqualFold(m.Group, ownerTeam) {
				m.Group = ""
			}
			m.ID, m.Email, m.Role, m.Invited = 0, "", "", false
			seeded := exportMember{FirstName: "Standin", LastName: "Owner"}
			if m != seeded {
				doc.Owner = &m
			}
			continue
		}
		if m.Group == teamTitle[ownerTeamID] {
			m.Group = "" // the loader's default: the owner's team
		}
		doc.Users = append(doc.Users, m)
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, title, type FROM worksection_contact_folders WHERE ns = $1 ORDER BY id`, ns.ID)
	folders, err := store.Collect(rows, err, func(r store.Scanner) (exportFolder, error) {
		var f exportFolder
		return f, r.Scan(&f.ID, &f.Title, &f.Type)
	})
	if err != nil {
		return nil, err
	}
	folderTitle := map[int64]string{}
	for _, f := range folders {
		folderTitle[f.ID] = f.Title
		if f.Type != "preset" || !slices.Contains(presetFolders, f.Title) {
			doc.ContactFolders = append(doc.ContactFolders, f)
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, email, first_name, last_name, folder_id, title,
		phone, phone2, phone3, phone4, address, address2
		FROM worksection_contacts WHERE ns = $1 ORDER BY id`, ns.ID)
	if doc.Contacts, err = store.Collect(rows, err, func(r store.Scanner) (exportContact, error) {
		var (
			c                                exportContact
			folder                           int64
			ph1, ph2, ph3, ph4, addr1, addr2 sql.NullString
		)
		err := r.Scan(&c.ID, &c.Email, &c.FirstName, &c.LastName, &folder, &c.Title, &ph1, &ph2, &ph3, &ph4, &addr1, &addr2)
		c.Phone, c.Phone2, c.Phone3, c.Phone4 = ph1.String, ph2.String, ph3.String, ph4.String
		c.Address, c.Address2 = addr1.String, addr2.String
		if c.Group = folderTitle[folder]; c.Group == defaultFolder {
			c.Group = ""
		}
		return c, err
	}); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, name, status, user_from_id FROM worksection_projects WHERE ns = $1 ORDER BY id`, ns.ID)
	if doc.Projects, err = store.Collect(rows, err, func(r store.Scanner) (exportProject, error) {
		var (
			p    exportProject
			from int64
		)
		err := r.Scan(&p.ID, &p.Name, &p.Status, &from)
		p.UserFrom = emails[from]
		return p, err
	}); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, project_id, name, text, status, priority, user_from_id, user_to_id,
		date_added, date_start, date_end, time_end, max_time, max_money, tags
		FROM worksection_tasks WHERE ns = $1 ORDER BY id`, ns.ID)
	if doc.Tasks, err = store.Collect(rows, err, func(r store.Scanner) (exportTask, error) {
		var (
			t                                            exportTask
			from, added                                  int64
			to                                           sql.NullInt64
			start, end, timeEnd, maxTime, maxMoney, tags sql.NullString
		)
		if err := r.Scan(&t.ID, &t.Project, &t.Name, &t.Text, &t.Status, &t.Priority, &from, &to,
			&added, &start, &end, &timeEnd, &maxTime, &maxMoney, &tags); err != nil {
			return t, err
		}
		t.UserFrom, t.UserTo = emails[from], emails[to.Int64]
		t.DateAdded = time.UnixMilli(added).UTC().Format("2006-01-02 15:04")
		t.DateStart, t.DateEnd, t.TimeEnd = start.String, end.String, timeEnd.String
		t.MaxTime, t.MaxMoney = json.Number(maxTime.String), json.Number(maxMoney.String)
		if tags.Valid && strings.TrimSpace(tags.String) != "{}" {
			if err := json.Unmarshal([]byte(tags.String), &t.Tags); err != nil {
				return t, err
			}
		}
		return t, nil
	}); err != nil {
		return nil, err
	}
	for i := range doc.Tasks {
		rows, err := tx.QueryContext(ctx, `SELECT u.email FROM worksection_task_subscribers s
			JOIN worksection_users u ON u.ns = s.ns AND u.id = s.user_id
			WHERE s.ns = $1 AND s.task_id = $2 ORDER BY u.email`, ns.ID, doc.Tasks[i].ID)
		if doc.Tasks[i].Subscribers, err = store.Collect(rows, err, func(r store.Scanner) (string, error) {
			var e string
			return e, r.Scan(&e)
		}); err != nil {
			return nil, err
		}
		if len(doc.Tasks[i].Subscribers) == 0 {
			doc.Tasks[i].Subscribers = nil
		}
	}
	if doc.Owner == nil && len(doc.Teams)+len(doc.Users)+len(doc.ContactFolders)+len(doc.Contacts)+
		len(doc.Projects)+len(doc.Tasks) == 0 {
		return nil, nil
	}
	return doc, nil
}
