package workdrive_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/outbox"
)

// Files of the docs seed (content_seed.go) that content may reference.
const (
	videoFileID  = "f5743644-c8ce-4bbe-a9bd-dfdd18dce445" // video/mp4
	photoFileID  = "1f1b75a3-f773-4fd6-a63e-9a5fb978b21e" // image/jpeg
	posterFileID = "c2b78442-6cb8-4f49-9a0b-53cdb8d8c95b" // image/png
	samID        = "6187fcb0-6151-11ec-9294-cfe91ad8177f"
)

type fileOut struct {
	ID      string `json:"id"`
	Mime    string `json:"mime"`
	IsVideo bool   `json:"isVideo"`
	Owner   struct {
		ID string `json:"id"`
	} `json:"owner"`
}

type summaryOut struct {
	ID     string `json:"id"`
	Email  string `json:"email"`
	Status string `json:"status"`
}

type postOut struct {
	ID          string       `json:"id"`
	PostText    string       `json:"postText"`
	PostedAt    string       `json:"postedAt"`
	User        summaryOut   `json:"user"`
	Files       *fileOut     `json:"files"`
	Tags        []string     `json:"tags"`
	Mentions    []summaryOut `json:"mentions"`
	TaggedUsers []summaryOut `json:"taggedUsers"`
	Links       []string     `json:"links"`
	Location    *struct {
		TextAddress string `json:"textAddress"`
	} `json:"location"`
	LinkPreviews *struct {
		Link string `json:"link"`
	} `json:"linkPreviews"`
	NewsTitle  string   `json:"newsTitle"`
	Category   string   `json:"category"`
	CoverImage *fileOut `json:"coverImage"`
}

type postsPage struct {
	Posts []postOut `json:"posts"`
	News  []postOut `json:"news"`
	Meta  meta      `json:"meta"`
}

func TestPostsCRUD(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var p postOut
	admin.must(201, "POST", "/api/posts", map[string]any{
		"postText": "Hello intranet", "tags": "#first", "mention": janeID, "fileIds": []string{videoFileID},
		"taggedUserIds": []string{johnID}, "links": []string{"https://example.org/a"},
		"location":  map[string]any{"textAddress": "Berlin", "coordinates": []float64{52.5, 13.4}},
		"newsTitle": "ignored on posts", "category": map[string]any{},
	}, &p)
	if p.ID == "" || p.PostText != "Hello intranet" || len(p.Tags) != 1 || p.Tags[0] != "#first" {
		t.Fatalf("created post %+v", p)
	}
	if p.Files == nil || p.Files.ID != videoFileID || !p.Files.IsVideo || len(p.Mentions) != 1 || p.Mentions[0].ID != janeID ||
		len(p.TaggedUsers) != 1 || p.TaggedUsers[0].ID != johnID || p.Location == nil || p.Location.TextAddress != "Berlin" ||
		p.LinkPreviews == nil || p.LinkPreviews.Link != "https://example.org/a" || p.User.ID == "" || p.NewsTitle != "" {
		t.Fatalf("created post %+v", p)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", p.PostedAt); err != nil {
		t.Errorf("postedAt %q: %v", p.PostedAt, err)
	}

	var page postsPage
	admin.must(200, "GET", "/api/posts?per_page=1", nil, &page)
	if len(page.Posts) != 1 || page.Posts[0].ID != p.ID || page.Meta.TotalResults != 3 || page.Meta.NextPage != 2 {
		t.Fatalf("newest post first: %+v", page)
	}

	// Most reacted first: the seeded posts have 8 and 5 reactions.
	admin.must(200, "GET", "/api/posts?sort_key=b", nil, &page)
	if len(page.Posts) != 3 || page.Posts[0].User.ID != janeID || page.Posts[2].ID != p.ID {
		t.Fatalf("sort_key=b: %+v", page.Posts)
	}

	var up postOut
	admin.must(200, "PATCH", "/api/posts/"+p.ID, map[string]any{"postText": "Edited", "tags": []string{"a", "b"}, "location": nil}, &up)
	if up.PostText != "Edited" || len(up.Tags) != 2 || up.Location != nil || up.Files == nil || len(up.Mentions) != 1 {
		t.Fatalf("updated post %+v", up)
	}
	// A post keeps text or media.
	errorOf(t, admin.do("PATCH", "/api/posts/"+p.ID, map[string]any{"postText": "", "fileIds": []string{}}), 400)

	res := admin.do("DELETE", "/api/posts/"+p.ID, nil)
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %q", res.StatusCode, res.Body)
	}
	errorOf(t, admin.do("PATCH", "/api/posts/"+p.ID, map[string]any{"postText": "x"}), 404)
	errorOf(t, admin.do("DELETE", "/api/posts/"+p.ID, nil), 404)
	admin.must(200, "GET", "/api/posts", nil, &page)
	for _, it := range page.Posts {
		if it.ID == p.ID {
			t.Fatal("deleted post still listed")
		}
	}
}

func TestNewsCRUD(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var n postOut
	admin.must(201, "POST", "/api/news", map[string]any{
		"newsTitle": "World Cup", "category": "Sports desk", "coverImage": posterFileID, "links": "https://www.google.com/",
		"tags": "#wc", "permissions": map[string]any{"public": true},
	}, &n)
	if n.NewsTitle != "World Cup" || n.Category != "Sports desk" || n.CoverImage == nil || n.CoverImage.ID != posterFileID ||
		len(n.Links) != 1 || n.Links[0] != "https://www.google.com/" || n.PostText != "" {
		t.Fatalf("created news %+v", n)
	}
	// The unknown category was created for the news module.
	if !hasCategory(t, admin, 2, "Sports desk") {
		t.Errorf("category not created")
	}
	var up postOut
	admin.must(200, "PATCH", "/api/news/"+n.ID, map[string]any{"newsTitle": "World Cup final", "coverImage": nil}, &up)
	if up.NewsTitle != "World Cup final" || up.CoverImage != nil || up.Category != "Sports desk" {
		t.Fatalf("updated news %+v", up)
	}
	// A news id is not a post id.
	errorOf(t, admin.do("DELETE", "/api/posts/"+n.ID, nil), 404)
	admin.must(200, "DELETE", "/api/news/"+n.ID, nil, nil)
	var page postsPage
	admin.must(200, "GET", "/api/news", nil, &page)
	if page.Meta.TotalResults != 2 {
		t.Fatalf("news after delete: %+v", page.Meta)
	}
}

type eventOut struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	StartDateTime string `json:"startDateTime"`
	EndDateTime   string `json:"endDateTime"`
	Type          struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"type"`
	Category *struct {
		Name string `json:"name"`
	} `json:"category"`
	Poster    *fileOut `json:"poster"`
	Going     int      `json:"going"`
	MyRsvp    *string  `json:"myRsvp"`
	RsvpUsers []struct {
		ID   string `json:"id"`
		Rsvp string `json:"rsvp"`
	} `json:"rsvpUsers"`
	RepeatID *struct {
		ID string `json:"id"`
	} `json:"repeatId"`
	Livestream *struct {
		Type string `json:"type"`
	} `json:"livestream"`
	ExternalAttendees []string `json:"externalAttendees"`
}

type eventsPage struct {
	Events []eventOut `json:"events"`
	Meta   meta       `json:"meta"`
}

func TestEventsCRUDAndSeries(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var e eventOut
	admin.must(201, "POST", "/api/events/meeting", map[string]any{
		"title": "Daily sync", "startDateTime": "2031-03-02T09:00:00.000Z", "endDateTime": "2031-03-02T09:15:00.000Z",
		"type": "2", "category": "Corporate Events", "posterId": posterFileID, "userIds": []string{johnID},
		"externalUserEmails": []string{"guest@partner.example"},
		"repeat": map[string]any{"config": map[string]any{"type": "frequency", "frequency": 86400,
			"ends": map[string]any{"config": map[string]any{"type": "on", "date": "2031-03-04"}}}},
	}, &e)
	if e.Title != "Daily sync" || e.Type.Name != "EVENT" || e.Type.ID != 2 || e.Category == nil || e.Category.Name != "Corporate Events" ||
		e.Poster == nil || e.RepeatID == nil || e.Going != 1 || e.MyRsvp == nil || *e.MyRsvp != "GOING" || len(e.RsvpUsers) != 2 ||
		e.Livestream != nil || len(e.ExternalAttendees) != 1 {
		t.Fatalf("created event %+v", e)
	}
	series := func() []eventOut {
		var page eventsPage
		admin.must(200, "GET", "/api/events?per_page=100&fromDate=2031-03-01&toDate=2031-03-31", nil, &page)
		return page.Events
	}
	got := series()
	if len(got) != 3 || got[0].ID != e.ID || got[2].StartDateTime != "2031-03-04T09:00:00.000Z" {
		t.Fatalf("a daily series until the 4th has 3 occurrences: %+v", got)
	}
	// Update the whole series one hour later.
	var up eventOut
	admin.must(200, "PATCH", "/api/events/"+got[1].ID+"?repeat=all", map[string]any{
		"title": "Daily sync (moved)", "startDateTime": "2031-03-03T10:00:00.000Z"}, &up)
	if up.StartDateTime != "2031-03-03T10:00:00.000Z" || up.EndDateTime != "2031-03-03T10:15:00.000Z" {
		t.Fatalf("updated %+v", up)
	}
	for _, ev := range series() {
		if ev.Title != "Daily sync (moved)" || !strings.HasSuffix(ev.StartDateTime, "T10:00:00.000Z") {
			t.Errorf("series not moved: %+v", ev)
		}
	}
	// Only this occurrence by default.
	admin.must(200, "PATCH", "/api/events/"+got[0].ID, map[string]any{"title": "First"}, nil)
	if s := series(); s[0].Title != "First" || s[1].Title != "Daily sync (moved)" {
		t.Errorf("single update: %+v", s)
	}
	// Delete this one and the following.
	admin.must(200, "DELETE", "/api/events/"+got[1].ID+"?repeat=following", nil, nil)
	if s := series(); len(s) != 1 || s[0].ID != got[0].ID {
		t.Fatalf("after deleting the following: %+v", s)
	}
	errorOf(t, admin.do("PATCH", "/api/events/"+got[2].ID, map[string]any{"title": "x"}), 404)
	errorOf(t, admin.do("DELETE", "/api/events/"+got[0].ID+"?repeat=sometimes", nil), 400)
	admin.must(200, "DELETE", "/api/events/"+got[0].ID, nil, nil)
	if s := series(); len(s) != 0 {
		t.Fatalf("after delete: %+v", s)
	}

	// Filters: meetings, types, the past; invitees only on request.
	var page eventsPage
	admin.must(200, "GET", "/api/events?include_recent_rsvps=true&time=2022-12-16T00:00:00", nil, &page)
	if len(page.Events) != 2 || len(page.Events[0].RsvpUsers) != 3 {
		t.Fatalf("events with recent rsvps: %+v", page.Events)
	}
	admin.must(200, "GET", "/api/events?onlyMeeting=true", nil, &page)
	if len(page.Events) != 1 || page.Events[0].Title != "Holiday party planning" || page.Events[0].Livestream == nil ||
		page.Events[0].Livestream.Type != "MEETING" {
		t.Fatalf("meetings: %+v", page.Events)
	}
	admin.must(200, "GET", "/api/events?filter=LIVESTREAM&onlyPast=true", nil, &page)
	if len(page.Events) != 1 || page.Events[0].Title != "Year-end town hall" {
		t.Fatalf("past livestreams: %+v", page.Events)
	}
}

func TestEventVisibility(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	jane := admin.as(tokenFor(t, admin, janeID))
	var e eventOut
	admin.must(201, "POST", "/api/events/meeting", map[string]any{
		"title": "1:1", "startDateTime": "2031-01-01T10:00:00Z", "isMeeting": true, "userIds": []string{johnID},
		"permissions": map[string]any{"public": false, "onlyMe": true},
	}, &e)
	count := func(c *client) int {
		var page eventsPage
		c.must(200, "GET", "/api/events?onlyMeeting=true&fromDate=2031-01-01", nil, &page)
		return len(page.Events)
	}
	if count(admin) != 1 || count(john) != 1 || count(jane) != 0 {
		t.Fatalf("a private meeting is seen by its creator and invitees only: %d %d %d", count(admin), count(john), count(jane))
	}
	errorOf(t, jane.do("PATCH", "/api/events/"+e.ID, map[string]any{"title": "x"}), 404)
	errorOf(t, john.do("PATCH", "/api/events/"+e.ID, map[string]any{"title": "x"}), 403)
}

func TestVideosAndPhotosCRUD(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var v struct {
		ID, Title, VideoFileID, ThumbnailFileID string
		Source                                  int
		Meta                                    map[string]any
	}
	admin.must(201, "POST", "/api/videos", map[string]any{"title": "Intro", "description": "Team intro",
		"videoFileId": videoFileID, "thumbnailFileId": photoFileID, "meta": map[string]any{}}, &v)
	if v.Title != "Intro" || v.VideoFileID != videoFileID || v.Source != 3 || v.ThumbnailFileID != photoFileID || v.Meta == nil {
		t.Fatalf("video %+v", v)
	}
	var ext struct{ Source int }
	admin.must(201, "POST", "/api/videos", map[string]any{"title": "Talk",
		"meta": map[string]any{"url": "https://vimeo.com/12345"}}, &ext)
	if ext.Source != 2 {
		t.Errorf("vimeo source: %d", ext.Source)
	}
	var vids struct {
		Videos []struct{ ID, Title string }
		Meta   meta
	}
	admin.must(200, "GET", "/api/videos?search=TEAM&per_page=28", nil, &vids)
	if len(vids.Videos) != 2 || vids.Meta.TotalResults != 2 { // "Intro" (description) and the seeded "Meet the team"
		t.Fatalf("search: %+v", vids)
	}
	admin.must(200, "PATCH", "/api/videos/"+v.ID, map[string]any{"title": "Intro v2", "thumbnailFileId": ""}, &v)
	if v.Title != "Intro v2" || v.ThumbnailFileID != "" || v.VideoFileID != videoFileID {
		t.Fatalf("updated video %+v", v)
	}
	admin.must(200, "DELETE", "/api/videos/"+v.ID, nil, nil)
	errorOf(t, admin.do("DELETE", "/api/videos/"+v.ID, nil), 404)

	var p struct {
		ID, Title string
		Photo     *fileOut
	}
	admin.must(201, "POST", "/api/photos", map[string]any{"title": "Lunch", "fileId": photoFileID,
		"permissions": map[string]any{"taggedUsers": []string{johnID}}}, &p)
	if p.Title != "Lunch" || p.Photo == nil || p.Photo.ID != photoFileID {
		t.Fatalf("photo %+v", p)
	}
	john := admin.as(tokenFor(t, admin, johnID))
	var photos struct {
		Photos []struct{ ID string }
		Meta   meta
	}
	john.must(200, "GET", "/api/photos?filter=tagged_photos", nil, &photos)
	if len(photos.Photos) != 1 || photos.Photos[0].ID != p.ID {
		t.Fatalf("tagged photos of John: %+v", photos)
	}
	admin.must(200, "GET", "/api/photos?filter=only_me_photos&cur_page=1&per_page=5", nil, &photos)
	if photos.Meta.TotalResults != 2 {
		t.Fatalf("admin's photos: %+v", photos)
	}
	admin.must(200, "PATCH", "/api/photos/"+p.ID, map[string]any{"description": "Team lunch"}, nil)
	errorOf(t, john.do("PATCH", "/api/photos/"+p.ID, map[string]any{"title": "mine"}), 403)
	admin.must(200, "DELETE", "/api/photos/"+p.ID, nil, nil)
	john.must(200, "GET", "/api/photos?filter=tagged_photos", nil, &photos)
	if len(photos.Photos) != 0 {
		t.Fatalf("deleted photo still listed: %+v", photos)
	}
}

type documentOut struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	IsPublished bool         `json:"isPublished"`
	Category    string       `json:"category"`
	Tags        []string     `json:"tags"`
	File        *fileOut     `json:"file"`
	Owners      []summaryOut `json:"owners"`
	Expiry      *string      `json:"expiry"`
	OwnerIDs    []string     `json:"ownerIds"`
	DocID       string       `json:"docId"`
}

func TestDocumentsCRUD(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	var d documentOut
	admin.must(201, "POST", "/api/documents", map[string]any{"name": "Travel policy", "ownerIds": []string{janeID},
		"tags": "travel", "category": "Policies", "docId": posterFileID, "expiry": "2031-01-01T00:00:00.000Z"}, &d)
	if d.Name != "Travel policy" || d.IsPublished || d.File == nil || len(d.Owners) != 1 || d.Owners[0].ID != janeID ||
		len(d.OwnerIDs) != 1 || d.DocID != posterFileID || d.Expiry == nil || len(d.Tags) != 1 {
		t.Fatalf("created document %+v", d)
	}
	var page struct {
		Docs []documentOut `json:"docs"`
		Meta meta          `json:"meta"`
	}
	// A draft is listed to its creator and owners only.
	john.must(200, "GET", "/api/documents?category=policies", nil, &page)
	if len(page.Docs) != 0 {
		t.Fatalf("John sees a draft: %+v", page)
	}
	// The doc's literal line: PATCH /api/documnents with the id.
	var up documentOut
	admin.must(200, "PATCH", "/api/documnents/"+d.ID+"?publish=true", map[string]any{
		"kb": map[string]any{"name": "Travel policy 2031", "newOwnerIds": []string{johnID}, "removeOwnerIds": []string{janeID},
			"isPublished": false}, "docId": ""}, &up)
	if up.Name != "Travel policy 2031" || !up.IsPublished || up.File != nil || len(up.Owners) != 1 || up.Owners[0].ID != johnID {
		t.Fatalf("updated document %+v", up)
	}
	john.must(200, "GET", "/api/documents?category=Policies", nil, &page)
	if len(page.Docs) != 1 || page.Docs[0].ID != d.ID {
		t.Fatalf("published document: %+v", page)
	}
	// John owns it now, so he may edit it.
	john.must(200, "PATCH", "/api/documents/"+d.ID, map[string]any{"kb": map[string]any{"tags": []string{"a", "b"}}}, &up)
	if len(up.Tags) != 2 {
		t.Fatalf("tags %+v", up)
	}
	// DELETE /api/documents?id= (the doc's literal line).
	admin.must(200, "DELETE", "/api/documents?id="+d.ID, nil, nil)
	errorOf(t, admin.do("DELETE", "/api/documents/"+d.ID, nil), 404)
	errorOf(t, admin.do("DELETE", "/api/documents", nil), 400)
}

type faqRow struct {
	ID, KbID, Question, Answer, Category, Tags string
	Owners                                     []string
}

func TestFAQsCRUD(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var f struct {
		ID string
		KB struct {
			Name     string
			OwnerIDs []string `json:"ownerIds"`
		} `json:"kb"`
		QAs []struct{ ID, Question, Answer string } `json:"qas"`
	}
	admin.must(201, "POST", "/api/faqs?publish=true", map[string]any{
		"kb": map[string]any{"name": map[string]any{}, "ownerIds": []string{janeID}, "tags": []string{"it", "laptops"},
			"category": "IT Support"},
		"qas": []map[string]string{{"question": "Q1", "answer": "A1"}, {"question": "Q2", "answer": "A2", "description": "d"}},
	}, &f)
	if f.ID == "" || len(f.QAs) != 2 || f.QAs[0].ID == "" || len(f.KB.OwnerIDs) != 1 {
		t.Fatalf("created FAQ %+v", f)
	}
	var page struct {
		Data []faqRow `json:"data"`
		Meta meta     `json:"meta"`
	}
	admin.must(200, "GET", "/api/faqs?category=IT+Support", nil, &page)
	if len(page.Data) != 2 || page.Data[0].Question != "Q1" || page.Data[0].KbID != f.ID || page.Data[0].Tags != "it, laptops" ||
		len(page.Data[0].Owners) != 1 || page.Data[0].Owners[0] != janeID {
		t.Fatalf("FAQ rows: %+v", page)
	}
	// PATCH by a Q&A id resolves to its FAQ.
	admin.must(200, "PATCH", "/api/faqs/"+f.QAs[1].ID, map[string]any{
		"updatedQAs":        []map[string]string{{"id": f.QAs[0].ID, "answer": "A1 (better)"}},
		"newQas":            []map[string]string{{"question": "Q3", "answer": "A3"}},
		"removeQuestionIds": []string{f.QAs[1].ID, janeID},
	}, &f)
	if len(f.QAs) != 2 || f.QAs[0].Answer != "A1 (better)" || f.QAs[1].Question != "Q3" {
		t.Fatalf("updated FAQ %+v", f)
	}
	errorOf(t, admin.do("PATCH", "/api/faqs/"+f.ID, map[string]any{"updatedQAs": []map[string]string{{"id": janeID}}}), 400)
	errorOf(t, admin.do("PATCH", "/api/faqs/"+f.ID, map[string]any{"newQas": []map[string]string{{"question": "no answer"}}}), 400)
	// Deleting a Q&A id removes that question; the kb id the rest.
	admin.must(200, "DELETE", "/api/faqs/"+f.QAs[0].ID, nil, nil)
	admin.must(200, "GET", "/api/faqs?category=IT+Support", nil, &page)
	if len(page.Data) != 1 || page.Data[0].Question != "Q3" {
		t.Fatalf("after deleting a question: %+v", page)
	}
	admin.must(200, "DELETE", "/api/faqs/"+f.ID, nil, nil)
	admin.must(200, "GET", "/api/faqs?category=IT+Support", nil, &page)
	if len(page.Data) != 0 {
		t.Fatalf("after deleting the FAQ: %+v", page)
	}
	errorOf(t, admin.do("PATCH", "/api/faqs/"+f.ID, map[string]any{}), 404)
}

func TestCatalogs(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var codes []struct {
		Name       string
		ModuleCode int
	}
	admin.must(200, "GET", "/api/module-codes", nil, &codes)
	if len(codes) < 10 || codes[0].Name != "POST" || codes[0].ModuleCode != 1 {
		t.Fatalf("module codes %+v", codes)
	}
	var cats struct {
		Categories []struct {
			ID, Category, OrgID string
			ModuleCode          int
		}
		Meta meta
	}
	admin.must(200, "GET", "/api/categories?moduleCode=6&per_page=2", nil, &cats)
	if len(cats.Categories) != 2 || cats.Categories[0].ModuleCode != 6 || cats.Meta.TotalPages != 2 || cats.Meta.NextPage != 2 {
		t.Fatalf("document categories %+v", cats)
	}
	var tpl struct {
		Templates []struct{ Title string } `json:"notificationTemplates"`
	}
	admin.must(200, "GET", "/api/enforcement-templates", nil, &tpl)
	desc := tpl.Templates[0].Title
	admin.must(200, "GET", "/api/enforcement-templates?sort_direction=ASC", nil, &tpl)
	if len(tpl.Templates) != 3 || tpl.Templates[2].Title != desc {
		t.Fatalf("templates DESC then ASC: %q vs %+v", desc, tpl)
	}
	var courses struct {
		TaskLists []struct {
			ID, Title, NumberOfTasks string
			Tasks                    int
		} `json:"taskLists"`
	}
	// The doc's literal line for courses is GET /api/categories with filter.
	admin.must(200, "GET", "/api/categories?filter=ALL_COURSES", nil, &courses)
	if len(courses.TaskLists) != 3 || courses.TaskLists[0].Title != "Fill out timeSheet" || courses.TaskLists[0].NumberOfTasks != "3" {
		t.Fatalf("courses %+v", courses)
	}
	john := admin.as(tokenFor(t, admin, johnID))
	id := courses.TaskLists[0].ID
	errorOf(t, john.do("DELETE", "/api/courses/"+id, nil), 403)
	admin.must(200, "DELETE", "/api/courses/"+id, nil, nil)
	errorOf(t, admin.do("DELETE", "/api/courses/"+id, nil), 404)
	admin.must(200, "GET", "/api/courses?sort_direction=desc", nil, &courses)
	if len(courses.TaskLists) != 2 || courses.TaskLists[0].Title != "Onboarding essentials" {
		t.Fatalf("courses after delete, newest first: %+v", courses)
	}
}

func TestContentValidation(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	for _, tt := range []struct {
		name, method, path string
		body               any
		status             int
	}{
		{"post without text or media", "POST", "/api/posts", map[string]any{"tags": []string{"x"}}, 400},
		{"post status not in enum", "POST", "/api/posts", map[string]any{"postText": "x", "status": "DRAFT"}, 400},
		{"post with a never-issued file", "POST", "/api/posts", map[string]any{"fileIds": []string{"7d2c2c5e-0000-4000-8000-000000000000"}}, 400},
		{"post mentioning a non-user", "POST", "/api/posts", map[string]any{"postText": "x", "mention": posterFileID}, 400},
		{"post with unknown security group", "POST", "/api/posts", map[string]any{"postText": "x",
			"permissions": map[string]any{"groups": []string{janeID}}}, 400},
		{"post tags of the wrong type", "POST", "/api/posts", map[string]any{"postText": "x", "tags": map[string]any{}}, 400},
		{"posts sort_key", "GET", "/api/posts?sort_key=z", nil, 400},
		{"posts bad time", "GET", "/api/posts?time=yesterday", nil, 400},
		{"update unknown post", "PATCH", "/api/posts/7d2c2c5e-0000-4000-8000-000000000000", map[string]any{"postText": "x"}, 404},
		{"literal /api/posts/id", "DELETE", "/api/posts/id", nil, 404},
		{"news cover not a file", "POST", "/api/news", map[string]any{"coverImage": janeID}, 400},
		{"event without title", "POST", "/api/events/meeting", map[string]any{"startDateTime": "2031-01-01T00:00:00Z"}, 400},
		{"event without start", "POST", "/api/events/meeting", map[string]any{"title": "x"}, 400},
		{"event bad type", "POST", "/api/events/meeting", map[string]any{"title": "x", "startDateTime": "2031-01-01T00:00:00Z", "type": "9"}, 400},
		{"event ends before start", "POST", "/api/events/meeting", map[string]any{"title": "x",
			"startDateTime": "2031-01-01T10:00:00Z", "endDateTime": "2031-01-01T09:00:00Z"}, 400},
		{"event bad frequency", "POST", "/api/events/meeting", map[string]any{"title": "x", "startDateTime": "2031-01-01T10:00:00Z",
			"repeat": map[string]any{"config": map[string]any{"type": "frequency", "frequency": 3}}}, 400},
		{"event external invitee not an email", "POST", "/api/events/meeting", map[string]any{"title": "x",
			"startDateTime": "2031-01-01T10:00:00Z", "externalUserEmails": []string{"nobody"}}, 400},
		{"event unknown conversation", "POST", "/api/events/meeting", map[string]any{"title": "x",
			"startDateTime": "2031-01-01T10:00:00Z", "conversationId": janeID}, 400},
		{"events bad filter", "GET", "/api/events?filter=PARTY", nil, 400},
		{"events bad fromDate", "GET", "/api/events?fromDate=soon", nil, 400},
		{"video without media", "POST", "/api/videos", map[string]any{"title": "x"}, 400},
		{"video bad source", "POST", "/api/videos", map[string]any{"videoFileId": videoFileID, "source": 7}, 400},
		{"videos by a non-user", "GET", "/api/videos?userId=" + posterFileID, nil, 400},
		{"photo without file", "POST", "/api/photos", map[string]any{"title": "x"}, 400},
		{"photos bad filter", "GET", "/api/photos?filter=everything", nil, 400},
		{"document without name", "POST", "/api/documents", map[string]any{"link": "https://x.example"}, 400},
		{"document without content", "POST", "/api/documents", map[string]any{"name": "x"}, 400},
		{"document owner not a user", "POST", "/api/documents", map[string]any{"name": "x", "link": "l", "ownerIds": []string{"nobody"}}, 400},
		{"document bad expiry", "POST", "/api/documents", map[string]any{"name": "x", "link": "l", "expiry": "never"}, 400},
		{"document publish flag", "POST", "/api/documents?publish=maybe", map[string]any{"name": "x", "link": "l"}, 400},
		{"faq without qas", "POST", "/api/faqs", map[string]any{"kb": map[string]any{"name": "x"}}, 400},
		{"faq qa without answer", "POST", "/api/faqs", map[string]any{"qas": []map[string]string{{"question": "q"}}}, 400},
		{"categories without moduleCode", "GET", "/api/categories", nil, 400},
		{"categories unknown moduleCode", "GET", "/api/categories?moduleCode=99", nil, 400},
		{"templates sort_direction", "GET", "/api/enforcement-templates?sort_direction=UP", nil, 400},
		{"courses filter", "GET", "/api/courses?filter=SOME", nil, 400},
		{"courses unknown id", "DELETE", "/api/courses/7d2c2c5e-0000-4000-8000-000000000000", nil, 404},
		{"notification without medium", "POST", "/api/notifications/send", map[string]any{"title": "x", "emails": []string{"a@b.example"}}, 400},
		{"notification bad medium", "POST", "/api/notifications/send", map[string]any{"medium": "FAX", "receiverUserIds": []string{johnID}}, 400},
		{"email notification without emails", "POST", "/api/notifications/send", map[string]any{"medium": "EMAIL", "receiverUserIds": []string{johnID}}, 400},
		{"email notification bad address", "POST", "/api/notifications/send", map[string]any{"medium": "EMAIL", "emails": []string{"not-an-email"}}, 400},
		{"push notification without receivers", "POST", "/api/notifications/send", map[string]any{"medium": "PUSH", "emails": []string{"a@b.example"}}, 400},
		{"sms to an unknown user", "POST", "/api/notifications/send", map[string]any{"medium": "SMS", "receiverUserIds": []string{posterFileID}}, 400},
		{"malformed JSON", "POST", "/api/posts", "{not json", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errorOf(t, admin.do(tt.method, tt.path, tt.body), tt.status)
		})
	}
}

// TestPostsTimeCursorWalk walks the time-cursor feed to the end over 250
// posts: the same time on every page, cur_page up to nextPage 0. Posts
// made during the walk are after the cursor, so the snapshot is stable.
func TestPostsTimeCursorWalk(t *testing.T) {
	env, _, admin := adminClient(t, "empty")
	made := map[string]bool{}
	for i := range 250 {
		var p postOut
		admin.must(201, "POST", "/api/posts", map[string]any{"postText": fmt.Sprintf("post %d", i), "tags": []string{}}, &p)
		made[p.ID] = true
		if i%3 == 0 { // several posts share a millisecond, the rest do not
			env.Clock.Advance(time.Millisecond)
		}
	}
	cursor := env.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	env.Clock.Advance(time.Second)
	seen := map[string]bool{}
	var last string
	for cur, pages := 1, 0; cur != 0; pages++ {
		if pages > 40 {
			t.Fatal("the walk does not end")
		}
		var page postsPage
		admin.must(200, "GET", fmt.Sprintf("/api/posts?time=%s&per_page=%d&cur_page=%d", cursor, 7, cur), nil, &page)
		if page.Meta.TotalResults != 250 || page.Meta.PerPage != 7 || page.Meta.CurPage != cur || page.Meta.TotalPages != 36 {
			t.Fatalf("page %d meta %+v", cur, page.Meta)
		}
		for _, p := range page.Posts {
			if seen[p.ID] {
				t.Fatalf("post %s seen twice", p.ID)
			}
			if last != "" && p.PostedAt > last {
				t.Fatalf("not newest first: %s after %s", p.PostedAt, last)
			}
			seen[p.ID], last = true, p.PostedAt
		}
		// A post made during the walk is not in the snapshot.
		if cur == 2 {
			admin.must(201, "POST", "/api/posts", map[string]any{"postText": "late"}, nil)
		}
		cur = page.Meta.NextPage
	}
	if len(seen) != 250 {
		t.Fatalf("walked %d posts, want 250", len(seen))
	}
	for id := range made {
		if !seen[id] {
			t.Fatalf("post %s missing", id)
		}
	}
	var page postsPage
	admin.must(200, "GET", "/api/posts?per_page=1000", nil, &page)
	if page.Meta.TotalResults != 251 || len(page.Posts) != 251 {
		t.Fatalf("without a time: %+v", page.Meta)
	}
}

func TestContentCrossOrganization(t *testing.T) {
	_, ns, admin := adminClient(t, "docs")
	super := admin.as(ns.Cred("workdrive", "superadmin_api_key"))
	var org struct{ AccessToken string }
	super.must(201, "POST", "/api/organization", map[string]any{"name": "Globex",
		"admin": map[string]string{"email": "hank@globex.example"}}, &org)
	globex := admin.as(org.AccessToken)

	var p postOut
	admin.must(201, "POST", "/api/posts", map[string]any{"postText": "internal"}, &p)
	var ev eventOut
	admin.must(201, "POST", "/api/events/meeting", map[string]any{"title": "internal", "startDateTime": "2031-01-01T10:00:00Z"}, &ev)
	var docs struct {
		Docs []documentOut `json:"docs"`
	}
	admin.must(200, "GET", "/api/documents", nil, &docs)
	var faqs struct {
		Data []faqRow `json:"data"`
	}
	admin.must(200, "GET", "/api/faqs", nil, &faqs)
	var courses struct {
		TaskLists []struct{ ID string } `json:"taskLists"`
	}
	admin.must(200, "GET", "/api/courses", nil, &courses)

	for _, path := range []string{"/api/posts", "/api/news", "/api/events", "/api/videos", "/api/photos", "/api/documents", "/api/faqs"} {
		var out map[string]any
		globex.must(200, "GET", path, nil, &out)
		if m := out["meta"].(map[string]any); m["totalResults"].(float64) != 0 {
			t.Errorf("%s: Globex sees %v", path, out)
		}
	}
	for _, tt := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"PATCH", "/api/posts/" + p.ID, map[string]any{"postText": "mine"}, 404},
		{"DELETE", "/api/posts/" + p.ID, nil, 404},
		{"PATCH", "/api/events/" + ev.ID, map[string]any{"title": "mine"}, 404},
		{"DELETE", "/api/documents/" + docs.Docs[0].ID, nil, 404},
		{"DELETE", "/api/faqs/" + faqs.Data[0].ID, nil, 404},
		{"DELETE", "/api/courses/" + courses.TaskLists[0].ID, nil, 404},
		{"POST", "/api/posts", map[string]any{"fileIds": []string{videoFileID}}, 400},
		{"POST", "/api/posts", map[string]any{"postText": "x", "mention": janeID}, 400},
		{"POST", "/api/photos", map[string]any{"fileId": photoFileID}, 400},
		{"POST", "/api/events/meeting", map[string]any{"title": "x", "startDateTime": "2031-01-01T10:00:00Z", "userIds": []string{johnID}}, 400},
		{"POST", "/api/notifications/send", map[string]any{"medium": "PUSH", "receiverUserIds": []string{johnID}}, 400},
		{"GET", "/api/videos?userId=" + janeID, nil, 400},
	} {
		errorOf(t, globex.do(tt.method, tt.path, tt.body), tt.status)
	}
	// The seeded organization is untouched.
	admin.must(200, "PATCH", "/api/posts/"+p.ID, map[string]any{"postText": "still mine"}, nil)
}

func TestNotificationsLandInOutbox(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	var n struct {
		ID, Medium      string
		Emails          []string
		ReceiverUserIDs []string `json:"receiverUserIds"`
	}
	// The doc writes GET with a body; it is a send too.
	admin.must(201, "GET", "/api/notifications/send", map[string]any{"title": "Fire drill", "description": "At 3pm",
		"medium": "EMAIL", "emails": []string{"abc@domain.com", "ops@domain.com"}, "receiverUserIds": []string{johnID}}, &n)
	if n.ID == "" || n.Medium != "EMAIL" || len(n.Emails) != 2 || len(n.ReceiverUserIDs) != 1 {
		t.Fatalf("notification %+v", n)
	}
	admin.must(201, "POST", "/api/notifications/send", map[string]any{"title": "Badge ready", "medium": "sms",
		"receiverUserIds": janeID}, nil)
	admin.must(201, "POST", "/api/notifications/send", map[string]any{"title": "New policy", "medium": "INAPP",
		"receiverUserIds": []string{johnID}}, nil)
	var box struct {
		Messages []outbox.Message `json:"messages"`
	}
	env.Do(t, "GET", env.Control+"/_standin/namespaces/"+ns.ID+"/outbox", nil, nil).Decode(t, http.StatusOK, &box)
	var got []string
	for _, m := range box.Messages {
		if m.Vendor == "workdrive" && (strings.Contains(m.Subject, "Fire drill") || strings.Contains(m.Subject, "Badge ready") ||
			strings.Contains(m.Subject, "New policy")) {
			got = append(got, m.To+" "+m.Subject)
		}
	}
	want := []string{"abc@domain.com Fire drill", "ops@domain.com Fire drill", "+13756366600 [SMS] Badge ready",
		"john@example.com [INAPP] New policy"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("outbox:\n got %q\nwant %q", got, want)
	}
}

// TestDemoContent checks that the demo organization has living content.
func TestDemoContent(t *testing.T) {
	_, _, admin := adminClient(t, "demo")
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/api/posts", 6}, {"/api/news", 3}, {"/api/events?per_page=100", 9}, {"/api/events?onlyMeeting=true", 6},
		{"/api/videos", 2}, {"/api/photos", 2}, {"/api/documents", 3}, {"/api/faqs", 4},
		{"/api/courses", 3}, {"/api/enforcement-templates", 3}, {"/api/categories?moduleCode=3", 3},
	} {
		var out struct{ Meta meta }
		admin.must(200, "GET", tt.path, nil, &out)
		if out.Meta.TotalResults != tt.want {
			t.Errorf("%s: %d items, want %d", tt.path, out.Meta.TotalResults, tt.want)
		}
	}
	var page eventsPage
	admin.must(200, "GET", "/api/events?onlyMeeting=true&per_page=1", nil, &page)
	if ev := page.Events[0]; ev.RepeatID == nil || ev.Livestream == nil || len(ev.RsvpUsers) != 0 {
		t.Errorf("stand-up series: %+v", ev)
	}
}

// TestUserDeletionAndContent: deleting a user hands the user's content to
// the assignee and drops the user's invitations, ownerships and grants.
func TestUserDeletionAndContent(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	var p postOut
	john.must(201, "POST", "/api/posts", map[string]any{"postText": "John's post"}, &p)
	var d documentOut
	admin.must(201, "POST", "/api/documents", map[string]any{"name": "Shared", "link": "https://x.example",
		"ownerIds": []string{johnID, janeID}}, &d)
	var e eventOut
	admin.must(201, "POST", "/api/events/meeting", map[string]any{"title": "Sync", "startDateTime": "2031-05-01T10:00:00Z",
		"userIds": []string{johnID, janeID}}, &e)

	admin.must(200, "DELETE", "/api/users/"+johnID, nil, nil)

	var page postsPage
	admin.must(200, "GET", "/api/posts", nil, &page)
	if page.Posts[0].ID != p.ID || page.Posts[0].User.ID == johnID || page.Posts[0].User.ID == "" {
		t.Fatalf("John's post after his deletion: %+v", page.Posts[0])
	}
	var up documentOut
	admin.must(200, "PATCH", "/api/documents/"+d.ID, map[string]any{}, &up)
	if len(up.Owners) != 1 || up.Owners[0].ID != janeID {
		t.Fatalf("owners after John's deletion: %+v", up.Owners)
	}
	var ev eventOut
	admin.must(200, "PATCH", "/api/events/"+e.ID, map[string]any{}, &ev)
	if len(ev.RsvpUsers) != 2 || ev.Going != 1 {
		t.Fatalf("invitees after John's deletion: %+v", ev)
	}
}

// TestContentJunkNeverFails500 sends malformed input to every content
// route: each answer is a 4xx in the NestJS envelope (GET lists may
// ignore what they do not read and answer 200).
func TestContentJunkNeverFails500(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	routes := []struct{ method, path string }{
		{"GET", "/api/posts"}, {"POST", "/api/posts"}, {"PATCH", "/api/posts/x"}, {"DELETE", "/api/posts/x"},
		{"GET", "/api/news"}, {"POST", "/api/news"}, {"PATCH", "/api/news/x"}, {"DELETE", "/api/news/x"},
		{"GET", "/api/events"}, {"POST", "/api/events/meeting"}, {"PATCH", "/api/events/x"}, {"DELETE", "/api/events/x"},
		{"GET", "/api/videos"}, {"POST", "/api/videos"}, {"PATCH", "/api/videos/x"}, {"DELETE", "/api/videos/x"},
		{"GET", "/api/photos"}, {"POST", "/api/photos"}, {"PATCH", "/api/photos/x"}, {"DELETE", "/api/photos/x"},
		{"GET", "/api/documents"}, {"POST", "/api/documents"}, {"PATCH", "/api/documents/x"}, {"PATCH", "/api/documnents"},
		{"DELETE", "/api/documents/x"}, {"DELETE", "/api/documents"},
		{"GET", "/api/faqs"}, {"POST", "/api/faqs"}, {"PATCH", "/api/faqs/x"}, {"DELETE", "/api/faqs/x"},
		{"GET", "/api/categories"}, {"GET", "/api/enforcement-templates"}, {"POST", "/api/notifications/send"},
		{"GET", "/api/notifications/send"}, {"GET", "/api/module-codes"}, {"GET", "/api/courses"}, {"DELETE", "/api/courses/x"},
	}
	bodies := []string{`[]`, `"x"`, `{`, `{"postText": {"a": 1}, "tags": {}, "mention": [[1]], "fileIds": 5,
		"permissions": "x", "title": [1], "startDateTime": "soon", "repeat": [], "qas": {"question": 1}, "kb": [],
		"medium": {}, "emails": [{}], "location": [], "externalLink": 5, "meta": "x", "source": "five", "userIds": {}}`}
	queries := []string{"", "?cur_page=-1", "?per_page=x", "?time=never",
		"?sort_key=z&filter=q&fromDate=x&onlyPast=maybe&moduleCode=abc&sort_direction=sideways&publish=perhaps&repeat=odd"}
	sendJunk(t, admin, routes, queries, bodies, func(method, path string) bool {
		return method == "GET" && path != "/api/notifications/send"
	})
}

// TestEventInConversation: an event may name a group chat that its creator
// takes part in; a meeting there shows its call with the conversation.
func TestEventInConversation(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	john := admin.as(tokenFor(t, admin, johnID))
	var chat struct{ ID string }
	admin.must(201, "POST", "/api/group-chats", map[string]any{"title": "Admins only", "groupType": "CHAT_GROUP",
		"isPrivate": true}, &chat)
	body := map[string]any{"title": "Planning", "startDateTime": "2031-02-01T10:00:00Z", "isMeeting": true,
		"conversationId": chat.ID}
	errorOf(t, john.do("POST", "/api/events/meeting", body), 403)
	var e struct {
		Livestream struct {
			Type           string
			ConversationID struct{ ID string } `json:"conversationId"`
		}
	}
	admin.must(201, "POST", "/api/events/meeting", body, &e)
	if e.Livestream.Type != "MEETING" || e.Livestream.ConversationID.ID != chat.ID {
		t.Fatalf("meeting %+v", e)
	}
}

// hasCategory tells whether the organization has a category of module
// called name.
func hasCategory(t *testing.T, c *client, module int, name string) bool {
	t.Helper()
	var cats struct {
		Categories []struct{ Category string } `json:"categories"`
	}
	c.must(200, "GET", fmt.Sprintf("/api/categories?moduleCode=%d&per_page=100", module), nil, &cats)
	for _, cat := range cats.Categories {
		if cat.Category == name {
			return true
		}
	}
	return false
}
