package worksection

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
)

// The response shapes, in the order the docs list their fields. Fields
// that the docs mark "(if specified)" are pointers with omitempty: left out
// when unset.

type userOut struct {
	ID         string       `json:"id"`
	FirstName  string       `json:"first_name"`
	LastName   string       `json:"last_name"`
	Name       string       `json:"name"`
	Title      string       `json:"title"`
	Rate       *json.Number `json:"rate,omitempty"`
	Avatar     string       `json:"avatar"`
	Group      string       `json:"group"`
	Department string       `json:"department"`
	Role       string       `json:"role"`
	Email      string       `json:"email"`
	profileOut
}

type teamOut struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Type   string `json:"type"`
	Client int    `json:"client"`
}

type folderOut struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Type  string `json:"type"`
}

type contactOut struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	Group     string `json:"group"`
	Email     string `json:"email"`
	profileOut
}

// profileOut is the profile that users and contacts end with; embedded, its
// fields stand in the outer object, each left out when unset.
type profileOut struct {
	Phone    *string `json:"phone,omitempty"`
	Phone2   *string `json:"phone2,omitempty"`
	Phone3   *string `json:"phone3,omitempty"`
	Phone4   *string `json:"phone4,omitempty"`
	Address  *string `json:"address,omitempty"`
	Address2 *string `json:"address2,omitempty"`
}

type personOut struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type projectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Page string `json:"page"`
}

type taskOut struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Page        string          `json:"page"`
	Status      string          `json:"status"`
	Priority    string          `json:"priority"`
	UserFrom    personOut       `json:"user_from"`
	UserTo      personOut       `json:"user_to"`
	Project     projectRef      `json:"project"`
	Text        string          `json:"text"`
	DateAdded   string          `json:"date_added"`
	DateStart   *string         `json:"date_start,omitempty"`
	DateEnd     *string         `json:"date_end,omitempty"`
	TimeEnd     *string         `json:"time_end,omitempty"`
	MaxTime     *json.Number    `json:"max_time,omitempty"`
	MaxMoney    *json.Number    `json:"max_money,omitempty"`
	Tags        json.RawMessage `json:"tags"`
	Subscribers *[]personOut    `json:"subscribers,omitempty"`
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func opt(s sql.NullString) *string {
	if !s.Valid || s.String == "" {
		return nil
	}
	return &s.String
}

func optNum(s sql.NullString) *json.Number {
	if !s.Valid || s.String == "" {
		return nil
	}
	n := json.Number(s.String)
	return &n
}

// fullName is "first last"; with neither, the email stands in.
func fullName(first, last, email string) string {
	if n := strings.TrimSpace(first + " " + last); n != "" {
		return n
	}
	return email
}

// defaultAvatar is the picture of users who never uploaded one.
func defaultAvatar(base string) string { return base + "/images/avatar/default.png" }

func (u *user) out(base string) userOut {
	avatar := u.avatar.String
	if avatar == "" {
		avatar = defaultAvatar(base)
	}
	return userOut{
		ID: idStr(u.id), FirstName: u.firstName, LastName: u.lastName,
		Name: fullName(u.firstName, u.lastName, u.email), Title: u.title, Rate: optNum(u.rate),
		Avatar: avatar, Group: u.team, Department: u.department, Role: u.role, Email: u.email,
		profileOut: u.profile.out(),
	}
}

// outs renders each of items with out: never nil, so an empty list is [].
func outs[T, U any](items []T, out func(T) U) []U {
	res := make([]U, 0, len(items))
	for _, it := range items {
		res = append(res, out(it))
	}
	return res
}

// rendered renders a list just read from the database, or passes on the
// error of reading it.
func rendered[T, U any](items []T, err error, out func(T) U) (any, error) {
	if err != nil {
		return nil, err
	}
	return outs(items, out), nil
}

func (t *team) out() teamOut {
	return teamOut{ID: idStr(t.id), Title: t.title, Type: "company", Client: t.client}
}

func (f *folder) out() folderOut { return folderOut{ID: idStr(f.id), Title: f.title, Type: f.kind} }

func (c *contact) out() contactOut {
	return contactOut{
		ID: idStr(c.id), FirstName: c.firstName, LastName: c.lastName,
		Name: fullName(c.firstName, c.lastName, c.email), Title: c.title, Group: c.folder, Email: c.email,
		profileOut: c.profile.out(),
	}
}

func (p *profile) out() profileOut {
	return profileOut{Phone: opt(p.phone), Phone2: opt(p.phone2), Phone3: opt(p.phone3), Phone4: opt(p.phone4),
		Address: opt(p.address), Address2: opt(p.address2)}
}

func (p person) out() personOut {
	return personOut{ID: idStr(p.id), Email: p.email, Name: fullName(p.firstName, p.lastName, p.email)}
}

// nobody is user_to of a task without an executive, as the real API
// spells "no executive" (NOONE) in post_task.
var nobody = personOut{ID: "0", Email: "NOONE", Name: "Nobody"}

func projectPage(id int64) string { return "/project/" + idStr(id) + "/" }

func (t *task) out() taskOut {
	o := taskOut{
		ID: idStr(t.id), Name: t.name, Page: projectPage(t.projectID) + idStr(t.id) + "/",
		Status: t.status, Priority: strconv.Itoa(t.priority),
		UserFrom: t.from.out(), UserTo: nobody,
		Project:   projectRef{ID: idStr(t.projectID), Name: t.project, Page: projectPage(t.projectID)},
		Text:      t.text,
		DateAdded: t.dateAdded.Format("2006-01-02 15:04"),
		DateStart: opt(t.dateStart), DateEnd: opt(t.dateEnd), TimeEnd: opt(t.timeEnd),
		MaxTime: optNum(t.maxTime), MaxMoney: optNum(t.maxMoney),
		Tags: json.RawMessage(t.tags),
	}
	if t.to != nil {
		o.UserTo = t.to.out()
	}
	if t.subscribers != nil {
		subs := outs(t.subscribers, person.out)
		o.Subscribers = &subs
	}
	return o
}
