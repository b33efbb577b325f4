package workdrive

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/standin-dev/standin/internal/store"
)

// exportContent is the "content" part that Export writes, in the shape
// loadContentFixture reads. Times are absolute, so that a load puts every
// item where it was.
type exportContent struct {
	Posts     []exportPost     `json:"posts,omitempty"`
	News      []exportPost     `json:"news,omitempty"`
	Events    []exportEvent    `json:"events,omitempty"`
	Videos    []exportVideo    `json:"videos,omitempty"`
	Photos    []exportPhoto    `json:"photos,omitempty"`
	Documents []exportDocument `json:"documents,omitempty"`
	FAQs      []exportFAQ      `json:"faqs,omitempty"`
}

type exportPost struct {
	ID        string   `json:"id"`
	Author    string   `json:"author"`
	Title     string   `json:"title,omitempty"`
	Text      string   `json:"text,omitempty"`
	Category  string   `json:"category,omitempty"`
	Cover     string   `json:"cover,omitempty"`
	Files     []string `json:"files,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Mentions  []string `json:"mentions,omitempty"`
	Tagged    []string `json:"tagged,omitempty"`
	Links     []string `json:"links,omitempty"`
	Place     string   `json:"place,omitempty"`
	Comments  int64    `json:"comments,omitempty"`
	Reactions int64    `json:"reactions,omitempty"`
	PostedAt  string   `json:"postedAt"`
}

type exportEvent struct {
	ID          string   `json:"id"`
	Author      string   `json:"author"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Type        string   `json:"type"`
	Category    string   `json:"category,omitempty"`
	Location    string   `json:"location,omitempty"`
	Poster      string   `json:"poster,omitempty"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Invitees    []string `json:"invitees,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Meeting     bool     `json:"meeting,omitempty"`
	Virtual     bool     `json:"virtual,omitempty"`
	CreatedAt   string   `json:"createdAt"`
}

type exportVideo struct {
	ID          string     `json:"id"`
	Author      string     `json:"author"`
	Title       string     `json:"title,omitempty"`
	Description string     `json:"description,omitempty"`
	File        string     `json:"file,omitempty"`
	Thumbnail   string     `json:"thumbnail,omitempty"`
	Source      int        `json:"source"`
	Meta        clientJSON `json:"meta,omitempty"`
	CreatedAt   string     `json:"createdAt"`
}

type exportPhoto struct {
	ID          string `json:"id"`
	Author      string `json:"author"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	File        string `json:"file"`
	CreatedAt   string `json:"createdAt"`
}

type exportDocument struct {
	ID        string   `json:"id"`
	Author    string   `json:"author"`
	Name      string   `json:"name"`
	Category  string   `json:"category,omitempty"`
	Link      string   `json:"link,omitempty"`
	DocURL    string   `json:"docUrl,omitempty"`
	File      string   `json:"file,omitempty"`
	Owners    []string `json:"owners,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Published *bool    `json:"published,omitempty"` // written only when false: true by default
	Expiry    string   `json:"expiry,omitempty"`
	CreatedAt string   `json:"createdAt"`
}

type exportFAQ struct {
	ID        string     `json:"id"`
	Author    string     `json:"author"`
	Name      string     `json:"name"`
	Category  string     `json:"category,omitempty"`
	Tags      []string   `json:"tags,omitempty"`
	Owners    []string   `json:"owners,omitempty"`
	Published *bool      `json:"published,omitempty"`
	CreatedAt string     `json:"createdAt"`
	QAs       []exportQA `json:"qas"`
}

// exportQA leaves out the id: a load gives each Q&A a new one.
type exportQA struct {
	Question    string `json:"question"`
	Answer      string `json:"answer"`
	Description string `json:"description,omitempty"`
}

// idList reads a stored JSON list of strings, mapping each with who
// (nil when empty).
func idList(raw string, who func(string) string) []string {
	var list []string
	_ = json.Unmarshal([]byte(raw), &list)
	if len(list) == 0 {
		return nil
	}
	if who != nil {
		for i, v := range list {
			list[i] = who(v)
		}
	}
	return list
}

func unpublished(published bool) *bool {
	if published {
		return nil
	}
	return &published
}

func expiryOf(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return isoTime(v.Int64)
}

// exportContentOf writes the organization's posts, news, events, videos,
// photos, documents and FAQs (nil when it has none). Each event occurrence
// is an event of its own: a weekly series is not rebuilt. What the
// fixture format has no field for (a post's status and audience, reaction
// and comment rows, RSVP answers) is not carried.
func exportContentOf(e *exporter) (*exportContent, error) {
	var out exportContent
	posts, err := orgRows(e, scanPost, `SELECT `+postColumns+` FROM workdrive_posts WHERE ns = $1 AND org_id = $2
		ORDER BY posted_at, id`)
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		x := exportPost{ID: p.id, Author: e.who(p.userID), Title: p.newsTitle, Text: p.postText, Category: p.category,
			Cover: p.coverFileID.String, Files: idList(p.fileIDs, nil), Tags: idList(p.tags, nil),
			Mentions: idList(p.mentions, e.who), Tagged: idList(p.taggedUserIDs, e.who), Links: idList(p.links, nil),
			Comments: p.commentsCount, Reactions: p.reactionsCount, PostedAt: isoTime(p.postedAt)}
		if p.location.Valid {
			var loc struct {
				TextAddress string `json:"textAddress"`
			}
			_ = json.Unmarshal([]byte(p.location.String), &loc)
			x.Place = loc.TextAddress
		}
		if p.kind == kindNews {
			out.News = append(out.News, x)
		} else {
			out.Posts = append(out.Posts, x)
		}
	}
	if out.Events, err = exportEach(e, scanEvent, func(v *event) (exportEvent, error) {
		x := exportEvent{ID: v.id, Author: e.who(v.createdBy), Title: v.title, Description: v.description, Type: v.typ,
			Category: v.category, Location: v.location, Poster: v.posterFileID.String, Start: isoTime(v.startAt),
			End: isoTime(v.endAt), Tags: idList(v.tags, nil), Meeting: v.isMeeting, Virtual: v.isVirtual,
			CreatedAt: isoTime(v.createdAt)}
		var err error
		x.Invitees, err = e.strs(`SELECT user_id FROM workdrive_event_rsvps WHERE ns = $1 AND event_id = $2
			AND user_id <> $3 ORDER BY invited_at, user_id`, e.ns, v.id, v.createdBy)
		return x, err
	}, `SELECT `+eventColumns+` FROM workdrive_events WHERE ns = $1 AND org_id = $2
		ORDER BY created_at, start_at, id`); err != nil {
		return nil, err
	}
	if out.Videos, err = exportEach(e, scanVideo, func(v *video) (exportVideo, error) {
		x := exportVideo{ID: v.id, Author: e.who(v.createdBy), Title: v.title, Description: v.description,
			File: v.videoFileID.String, Thumbnail: v.thumbnailFileID.String, Source: v.source, CreatedAt: isoTime(v.createdAt)}
		_ = json.Unmarshal([]byte(v.meta), &x.Meta)
		if len(x.Meta) == 0 {
			x.Meta = nil
		}
		return x, nil
	}, `SELECT `+videoColumns+` FROM workdrive_videos WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`); err != nil {
		return nil, err
	}
	if out.Photos, err = exportEach(e, scanPhoto, func(p *photo) (exportPhoto, error) {
		return exportPhoto{ID: p.id, Author: e.who(p.createdBy), Title: p.title,
			Description: p.description, File: p.fileID, CreatedAt: isoTime(p.createdAt)}, nil
	}, `SELECT `+photoColumns+` FROM workdrive_photos WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`); err != nil {
		return nil, err
	}
	owners := `SELECT user_id FROM workdrive_content_owners WHERE ns = $1 AND item_id = $2 ORDER BY added_at, user_id`
	if out.Documents, err = exportEach(e, scanDocument, func(d *document) (exportDocument, error) {
		x := exportDocument{ID: d.id, Author: e.who(d.createdBy), Name: d.name, Category: d.category, Link: d.link,
			DocURL: d.docURL, File: d.docFileID.String, Tags: idList(d.tags, nil), Published: unpublished(d.isPublished),
			Expiry: expiryOf(d.expiry), CreatedAt: isoTime(d.createdAt)}
		var err error
		x.Owners, err = e.strs(owners, e.ns, d.id)
		return x, err
	}, `SELECT `+documentColumns+` FROM workdrive_documents WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`); err != nil {
		return nil, err
	}
	if out.FAQs, err = exportEach(e, scanFAQKB, func(k *faqKB) (exportFAQ, error) {
		x := exportFAQ{ID: k.id, Author: e.who(k.createdBy), Name: k.name, Category: k.category, Tags: idList(k.tags, nil),
			Published: unpublished(k.isPublished), CreatedAt: isoTime(k.createdAt)}
		var err error
		if x.Owners, err = e.strs(owners, e.ns, k.id); err != nil {
			return x, err
		}
		rows, err := e.tx.QueryContext(e.ctx, `SELECT question, answer, description FROM workdrive_faq_qas
			WHERE ns = $1 AND kb_id = $2 ORDER BY position, id`, e.ns, k.id)
		x.QAs, err = store.Collect(rows, err, func(r store.Scanner) (exportQA, error) {
			var qa exportQA
			return qa, r.Scan(&qa.Question, &qa.Answer, &qa.Description)
		})
		return x, err
	}, `SELECT `+faqKBColumns+` FROM workdrive_faq_kbs WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`); err != nil {
		return nil, err
	}
	if len(out.Posts)+len(out.News)+len(out.Events)+len(out.Videos)+len(out.Photos)+len(out.Documents)+len(out.FAQs) == 0 {
		return nil, nil
	}
	return &out, nil
}

// exportTemplate is an enforcement template as the fixture format writes
// it: its reminders without the template's id, which a load makes anew.
type exportTemplate struct {
	Title       string       `json:"title"`
	SystemEvent string       `json:"systemEvent"`
	Type        string       `json:"type"`
	SubType     string       `json:"subType"`
	Reminders   []clientJSON `json:"reminders,omitempty"`
}

// exportCourse is a course as the fixture format writes it; the form
// leaves out its id and times, which a load makes anew.
type exportCourse struct {
	CourseID             string     `json:"courseId"`
	Title                string     `json:"title"`
	Description          string     `json:"description,omitempty"`
	Categories           []string   `json:"categories,omitempty"`
	Tasks                int64      `json:"tasks,omitempty"`
	TotalTime            int64      `json:"totalTime,omitempty"`
	NotificationTemplate string     `json:"notificationTemplate,omitempty"`
	Form                 clientJSON `json:"form,omitempty"`
}

// exportAddedCourses writes the enforcement templates and courses beyond
// the built-in ones: the first row of each built-in title (courses: course
// id and title) is the built-in one. A course names its template by title
// (the loader finds built-in ones in the organization). Not carried: a
// course's order, status, user count and file, and a built-in one deleted.
func exportAddedCourses(e *exporter) ([]exportTemplate, []exportCourse, error) {
	builtinTemplates, builtinCourses := map[string]int{}, map[string]int{}
	if f, err := builtinFixture("catalogs"); err == nil && f != nil && f.Catalogs != nil {
		for _, t := range f.Catalogs.EnforcementTemplates {
			builtinTemplates[t.Title]++
		}
		for i, c := range f.Catalogs.Courses {
			id := c.CourseID
			if id == "" {
				id = fmt.Sprintf("COURSE-%03d", i+1)
			}
			builtinCourses[id+"\x00"+c.Title]++
		}
	}
	type template struct {
		id string
		exportTemplate
	}
	all, err := orgRows(e, func(r store.Scanner) (template, error) {
		var (
			t         template
			reminders string
		)
		err := r.Scan(&t.id, &t.Title, &t.SystemEvent, &t.Type, &t.SubType, &reminders)
		_ = json.Unmarshal([]byte(reminders), &t.Reminders)
		for _, m := range t.Reminders {
			delete(m, "orgContentTemplateId")
		}
		if len(t.Reminders) == 0 {
			t.Reminders = nil
		}
		return t, err
	}, `SELECT id, title, system_event, type, sub_type, reminders
		FROM workdrive_enforcement_templates WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`)
	if err != nil {
		return nil, nil, err
	}
	titles := map[string]string{}
	var templates []exportTemplate
	for _, t := range all {
		titles[t.id] = t.Title
		if builtinTemplates[t.Title] > 0 {
			builtinTemplates[t.Title]--
			continue
		}
		templates = append(templates, t.exportTemplate)
	}
	type course struct {
		exportCourse
		categories, template string
		form                 sql.NullString
	}
	rowsOut, err := orgRows(e, func(r store.Scanner) (course, error) {
		var c course
		return c, r.Scan(&c.CourseID, &c.Title, &c.Description, &c.categories, &c.Tasks, &c.TotalTime, &c.template, &c.form)
	}, `SELECT course_id, title, description, categories, task_count, total_time,
		notification_template_id, form FROM workdrive_courses WHERE ns = $1 AND org_id = $2 ORDER BY created_at, id`)
	if err != nil {
		return nil, nil, err
	}
	var courses []exportCourse
	for _, c := range rowsOut {
		if key := c.CourseID + "\x00" + c.Title; builtinCourses[key] > 0 {
			builtinCourses[key]--
			continue
		}
		e := c.exportCourse
		e.Categories = idList(c.categories, nil)
		e.NotificationTemplate = titles[c.template]
		if c.form.Valid {
			_ = json.Unmarshal([]byte(c.form.String), &e.Form)
			delete(e.Form, "id")
			delete(e.Form, "createdAt")
			delete(e.Form, "updatedAt")
		}
		courses = append(courses, e)
	}
	return templates, courses, nil
}
