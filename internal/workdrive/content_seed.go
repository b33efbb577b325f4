package workdrive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// seedContent seeds the organization's catalogs (every seed) and, for
// "docs", what the documented examples need, for "demo" a small living
// intranet: posts, news, events, videos, photos, documents and FAQs.
func (s *Service) seedContent(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, org *seedOrg, seed string) error {
	if err := seedOrgCatalogs(ctx, tx, ns.ID, org.orgID, org.adminID, org.now-24*3600*1000); err != nil {
		return err
	}
	switch seed {
	case namespace.SeedDocs:
		return seedDocsContent(ctx, tx, ns.ID, org)
	case namespace.SeedDemo:
		return seedDemoContent(ctx, tx, ns.ID, org)
	}
	return nil
}

// seedCategories are the categories every organization starts with, per
// module; names the doc's examples use are among them.
var seedCategories = []struct {
	module int
	names  []string
}{
	{modulePost, []string{"General", "Announcements", "Celebrations"}},
	{moduleNews, []string{"Featured", "Company News", "Industry"}},
	{moduleEvent, []string{"Corporate Events", "Training", "Social"}},
	{moduleVideo, []string{"Tutorials", "All Hands"}},
	{modulePhoto, []string{"Team Photos"}},
	{moduleDocument, []string{"Human resource", "Policies", "Engineering"}},
	{moduleFAQ, []string{"Human resource", "Refund Policy", "IT Support"}},
	{moduleCourse, []string{"Business", "Development"}},
	{moduleGroupChat, []string{"General", "Projects"}},
}

// seedTemplates are the enforcement templates every organization has.
var seedTemplates = []struct {
	title, event, typ, sub string
	reminders              []map[string]any
}{
	{"Task due reminder", "TASK_ASSIGNED", "TASK", "DUE_DATE", []map[string]any{
		{"reminderType": "email", "reminderTimeUnit": "days", "reminderTime": 1, "refId": "1"},
		{"reminderType": "push", "reminderTimeUnit": "hours", "reminderTime": 4, "refId": "2"}}},
	{"Course completion reminder", "COURSE_ASSIGNED", "COURSE", "COMPLETION", []map[string]any{
		{"reminderType": "email", "reminderTimeUnit": "week", "reminderTime": 1, "refId": "1"},
		{"reminderType": "text", "reminderTimeUnit": "days", "reminderTime": 3, "refId": "2"}}},
	{"Policy acknowledgement", "DOCUMENT_PUBLISHED", "DOCUMENT", "ACKNOWLEDGEMENT", []map[string]any{
		{"reminderType": "email", "reminderTimeUnit": "days", "reminderTime": 7, "refId": "1"},
		{"reminderType": "restrict", "reminderTimeUnit": "days", "reminderTime": 14, "refId": "2"}}},
}

// seedCourses are the courses every organization has; the first carries
// the doc's Form.io employment form. Every component lists Form.io's
// common keys, as the form builder saves them.
var seedCourses = []struct {
	title, description string
	categories         []string
	tasks, minutes     int64
	form               string
}{
	{"Fill out timeSheet", "TimeSheet completion is a good self-management technique", []string{"Business", "Development"}, 3, 45, employmentForm},
	{"Security awareness basics", "Spot phishing, protect passwords and report incidents", []string{"Business"}, 5, 60, feedbackForm},
	{"Onboarding essentials", "Everything a new colleague needs in the first week", []string{"Business", "Development"}, 8, 120, feedbackForm},
}

const employmentForm = `{"title": "Employment form", "accepting": true, "type": {"name": "form"},
 "schema": {"data": {"display": "form", "components": [
  {"input": true, "tableView": true, "inputType": "text", "inputMask": "", "label": "First Name", "key": "firstName",
   "placeholder": "Enter your first name", "prefix": "", "suffix": "", "multiple": false, "defaultValue": "",
   "protected": false, "unique": false, "persistent": true,
   "validate": {"required": false, "minLength": "", "maxLength": "", "pattern": "", "custom": "", "customPrivate": false},
   "conditional": {"show": false, "when": null, "eq": ""}, "type": "textfield"},
  {"type": "button", "theme": "primary", "disableOnInvalid": true, "action": "submit", "block": false, "rightIcon": "",
   "leftIcon": "", "size": "md", "key": "submit", "tableView": false, "label": "Submit", "input": true,
   "inputType": "", "inputMask": "", "placeholder": "", "prefix": "", "suffix": "", "multiple": false,
   "defaultValue": "", "protected": false, "unique": false, "persistent": false,
   "validate": {"required": false, "minLength": "", "maxLength": "", "pattern": "", "custom": "", "customPrivate": false},
   "conditional": {"show": false, "when": null, "eq": ""}}]}}}`

const feedbackForm = `{"title": "Course feedback", "accepting": true, "type": {"name": "form"},
 "schema": {"data": {"display": "form", "components": [
  {"input": true, "tableView": true, "inputType": "text", "inputMask": "", "label": "What did you learn?", "key": "learned",
   "placeholder": "", "prefix": "", "suffix": "", "multiple": false, "defaultValue": "", "protected": false,
   "unique": false, "persistent": true,
   "validate": {"required": true, "minLength": "", "maxLength": "", "pattern": "", "custom": "", "customPrivate": false},
   "conditional": {"show": false, "when": null, "eq": ""}, "type": "textfield"},
  {"type": "button", "theme": "primary", "disableOnInvalid": true, "action": "submit", "block": false, "rightIcon": "",
   "leftIcon": "", "size": "md", "key": "submit", "tableView": false, "label": "Submit", "input": true,
   "inputType": "", "inputMask": "", "placeholder": "", "prefix": "", "suffix": "", "multiple": false,
   "defaultValue": "", "protected": false, "unique": false, "persistent": false,
   "validate": {"required": false, "minLength": "", "maxLength": "", "pattern": "", "custom": "", "customPrivate": false},
   "conditional": {"show": false, "when": null, "eq": ""}}]}}}`

// seedOrgCatalogs gives an organization its categories, enforcement
// templates and courses. Organization create calls it too, so every
// organization has them.
func seedOrgCatalogs(ctx context.Context, tx *sql.Tx, ns, org, adminID string, now int64) error {
	at := now
	tick := func() int64 { at++; return at }
	// The organization is new: its categories go in with one statement
	// (ensureCategory's look-ups would cost four round trips each).
	var (
		args   store.Args
		values []string
	)
	for _, c := range seedCategories {
		for _, name := range c.names {
			values = append(values, "("+args.Add(ns)+", "+args.Add(ids.UUID())+", "+args.Add(org)+", "+
				args.Add(c.module)+", "+args.Add(name)+", "+args.Add(strings.ToLower(name))+", "+
				args.Add(categoryColors[len(values)%len(categoryColors)])+", "+args.Add(tick())+")")
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_categories
		(ns, id, org_id, module_code, name, name_lc, color, created_at) VALUES `+strings.Join(values, ", "), args...); err != nil {
		return err
	}
	templateIDs := make([]string, len(seedTemplates))
	for i, t := range seedTemplates {
		templateIDs[i] = ids.UUID()
		reminders := make([]map[string]any, len(t.reminders))
		for j, r := range t.reminders {
			reminders[j] = map[string]any{"orgContentTemplateId": templateIDs[i]}
			for k, v := range r {
				reminders[j][k] = v
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_enforcement_templates (ns, id, org_id, title,
			system_event, type, sub_type, reminders, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			ns, templateIDs[i], org, t.title, t.event, t.typ, t.sub, toJSON(reminders), tick()); err != nil {
			return err
		}
	}
	for i, c := range seedCourses {
		form := jsonObject(c.form)
		at := tick()
		form["id"], form["createdAt"], form["updatedAt"] = ids.UUID(), isoTime(at), isoTime(at)
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_courses (ns, id, org_id, course_id, title, description,
			categories, sort_order, task_count, users_count, total_time, parent_id, status, file_id, form,
			notification_template_id, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			ns, ids.UUID(), org, fmt.Sprintf("COURSE-%03d", i+1), c.title, c.description, toJSON(c.categories),
			i+1, c.tasks, 0, c.minutes, "", "PUBLISHED", nil, toJSON(form), templateIDs[1], adminID, at, at); err != nil {
			return err
		}
	}
	return nil
}

// seedFile stores a file row as the docs and demo content reference it
// (named like an upload's Key).
func seedFile(ctx context.Context, tx *sql.Tx, ns, org, owner, id, name, mime string, size, at int64) error {
	key := fmt.Sprintf("o-%s/m-%d/u-%s/%s", org, modulePost, owner, id+extOf(mime))
	return insertFile(ctx, tx, ns, &file{id: id, orgID: org, ownerID: owner, name: name, mime: mime,
		moduleCode: modulePost, size: size, status: "uploaded", blobKey: key, createdAt: at})
}

// seedPost is the content of one seeded post or news item.
type seedPost struct {
	id, kind, author, text, title, category, cover string
	files, tags, mentions, tagged, links           []string
	place                                          string
	comments, reactions                            int64
	at                                             int64
}

func insertSeedPost(ctx context.Context, tx *sql.Tx, ns, org string, sp seedPost) error {
	if sp.id == "" {
		sp.id = ids.UUID()
	}
	p := &post{id: sp.id, orgID: org, kind: sp.kind, userID: sp.author, status: "PUBLISHED", postText: sp.text,
		newsTitle: sp.title, category: sp.category, fileIDs: toJSON(orEmpty(sp.files, true)),
		tags: toJSON(orEmpty(sp.tags, true)), mentions: toJSON(orEmpty(sp.mentions, true)),
		taggedUserIDs: toJSON(orEmpty(sp.tagged, true)), links: toJSON(orEmpty(sp.links, true)),
		commentsCount: sp.comments, reactionsCount: sp.reactions, postedAt: sp.at, updatedAt: sp.at}
	if sp.cover != "" {
		p.coverFileID = sql.NullString{String: sp.cover, Valid: true}
	}
	if sp.place != "" {
		p.location = sql.NullString{String: toJSON(map[string]any{"textAddress": sp.place}), Valid: true}
	}
	perms := publicPermissions()
	p.audience, p.permissions = perms.audience(), perms.json()
	if err := insertPost(ctx, tx, ns, p); err != nil {
		return err
	}
	return setAudience(ctx, tx, ns, p.id, perms, nil)
}

// seedEvent is one seeded event (a series when weekly > 1).
type seedEvent struct {
	id, author, title, description, typ, category, location, poster, conv string
	invitees, tags                                                        []string
	start, end, created                                                   int64
	meeting, virtual                                                      bool
	weekly                                                                int
}

func insertSeedEvent(ctx context.Context, tx *sql.Tx, ns, org string, se seedEvent) error {
	perms := publicPermissions()
	e := &event{orgID: org, createdBy: se.author, updatedBy: se.author, title: se.title, description: se.description,
		externalLinks: "[]", eventSource: "WORKDRIVE", location: se.location, isVirtual: se.virtual,
		tags: toJSON(orEmpty(se.tags, true)), typ: se.typ, category: se.category, isMeeting: se.meeting,
		externalEmails: "[]", videoPreviewIDs: "[]", duration: (se.end - se.start) / 60000,
		audience: perms.audience(), permissions: perms.json(), createdAt: se.created, updatedAt: se.created}
	if se.poster != "" {
		e.posterFileID = sql.NullString{String: se.poster, Valid: true}
	}
	if se.conv != "" {
		e.conversationID = sql.NullString{String: se.conv, Valid: true}
	}
	n := 1
	if se.weekly > 1 {
		n = se.weekly
		e.repeatID = sql.NullString{String: ids.UUID(), Valid: true}
		e.repeatConfig = sql.NullString{String: toJSON(map[string]any{"config": map[string]any{
			"type": "frequency", "frequency": 604800}}), Valid: true}
	}
	for i := 0; i < n; i++ {
		occ := *e
		occ.id = ids.UUID()
		if i == 0 && se.id != "" {
			occ.id = se.id
		}
		shift := int64(i) * 7 * 24 * 3600 * 1000
		occ.startAt, occ.endAt = se.start+shift, se.end+shift
		if occ.isMeeting || occ.typ == "LIVESTREAM" {
			occ.livestreamID = sql.NullString{String: ids.UUID(), Valid: true}
		}
		if err := insertEvent(ctx, tx, ns, &occ); err != nil {
			return err
		}
		if err := setInvitees(ctx, tx, ns, &occ, se.invitees, se.created); err != nil {
			return err
		}
	}
	return nil
}

func ms(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic("content seed: bad time " + s)
	}
	return t.UnixMilli()
}

// Ids that the documented examples name literally (files) and users of the
// docs seed (seed_data.go).
const (
	docsVideoFile  = "f5743644-c8ce-4bbe-a9bd-dfdd18dce445"
	docsPhotoFile  = "1f1b75a3-f773-4fd6-a63e-9a5fb978b21e"
	docsCoverFile  = "ed91ba02-279f-49f9-98e9-33fdd8e09b95"
	docsPosterFile = "c2b78442-6cb8-4f49-9a0b-53cdb8d8c95b"
	docsPDFFile    = "5b0f0f3e-5f1e-4b8a-9d43-2f7c2b7d6a10"
	docsJane       = "a0c3f96f-73c3-4c67-ba43-b94d640f2485"
	docsJohn       = "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff"
	docsSam        = "6187fcb0-6151-11ec-9294-cfe91ad8177f"
)

// seedDocsContent dates its posts and news before the examples' time
// cursor (2022-10-17) and its events inside the examples' window
// (2022-12-16 to 2022-12-30), so that every list example returns items.
func seedDocsContent(ctx context.Context, tx *sql.Tx, ns string, org *seedOrg) error {
	a := org.adminID
	files := []struct {
		id, name, mime string
		size           int64
	}{
		{docsVideoFile, "team-intro.mp4", "video/mp4", 5 << 20},
		{docsPhotoFile, "office-party.jpg", "image/jpeg", 348_112},
		{docsCoverFile, "world-cup-cover.jpg", "image/jpeg", 512_004},
		{docsPosterFile, "event-poster.png", "image/png", 204_800},
		{docsPDFFile, "employee-handbook.pdf", "application/pdf", 1_204_224},
	}
	for i, f := range files {
		if err := seedFile(ctx, tx, ns, org.orgID, a, f.id, f.name, f.mime, f.size, ms("2022-10-01T09:00:00Z")+int64(i)); err != nil {
			return err
		}
	}
	posts := []seedPost{
		{kind: kindPost, author: a, text: "Welcome to our new intranet! Share your first post.", files: []string{docsVideoFile},
			tags: []string{"#welcome"}, mentions: []string{docsSam}, tagged: []string{docsJohn},
			links: []string{"https://www.google.com/"}, place: "New York Office", comments: 2, reactions: 5,
			at: ms("2022-10-10T09:00:00Z")},
		{kind: kindPost, author: docsJane, text: "Photos from Friday's team lunch", files: []string{docsPhotoFile},
			tags: []string{"#team"}, mentions: []string{a}, tagged: []string{docsSam},
			links: []string{"https://photos.example.com/lunch"}, place: "California", comments: 1, reactions: 8,
			at: ms("2022-10-15T12:30:00Z")},
		{kind: kindNews, author: a, title: "World Cup viewing party", category: "Featured", cover: docsCoverFile,
			files: []string{docsPhotoFile}, tags: []string{"#worldcup"}, mentions: []string{docsJane},
			tagged: []string{docsJohn}, links: []string{"https://www.google.com/"}, place: "Anaheim",
			at: ms("2022-10-12T08:00:00Z")},
		{kind: kindNews, author: docsJane, title: "Q3 results are in", category: "Company News", cover: docsCoverFile,
			files: []string{docsPhotoFile}, tags: []string{"#results"}, mentions: []string{a},
			tagged: []string{docsSam}, links: []string{"https://investors.example.com/q3"}, place: "New York",
			at: ms("2022-10-14T15:00:00Z")},
	}
	for _, p := range posts {
		if err := insertSeedPost(ctx, tx, ns, org.orgID, p); err != nil {
			return err
		}
	}
	events := []seedEvent{
		{author: a, title: "Year-end town hall", description: "Live stream for every office", typ: "LIVESTREAM",
			category: "Corporate Events", location: "https://maps.google.com/?q=New+York", poster: docsPosterFile,
			invitees: []string{docsJane, docsJohn}, tags: []string{"townhall"}, virtual: true,
			start: ms("2022-12-20T16:00:00Z"), end: ms("2022-12-20T17:00:00Z"), created: ms("2022-12-01T10:00:00Z")},
		{author: a, title: "Holiday party planning", description: "Agree on venue and menu", typ: "EVENT",
			category: "Social", location: "https://maps.google.com/?q=Anaheim", poster: docsPosterFile, meeting: true,
			invitees: []string{docsSam}, tags: []string{"party"},
			start: ms("2022-12-22T10:00:00Z"), end: ms("2022-12-22T11:00:00Z"), created: ms("2022-12-02T10:00:00Z")},
	}
	for _, e := range events {
		if err := insertSeedEvent(ctx, tx, ns, org.orgID, e); err != nil {
			return err
		}
	}
	pub := publicPermissions()
	v := &video{id: ids.UUID(), orgID: org.orgID, createdBy: a, updatedBy: a, title: "Meet the team",
		description: "A short introduction to everyone", source: sourceCustom,
		videoFileID: sql.NullString{String: docsVideoFile, Valid: true}, thumbnailFileID: sql.NullString{String: docsPhotoFile, Valid: true},
		meta: "{}", audience: pub.audience(), permissions: pub.json(), createdAt: ms("2022-10-20T09:00:00Z"), updatedAt: ms("2022-10-20T09:00:00Z")}
	if err := insertVideo(ctx, tx, ns, v); err != nil {
		return err
	}
	ph := &photo{id: ids.UUID(), orgID: org.orgID, createdBy: a, updatedBy: a, title: "Office party",
		description: "Friday fun at the office", fileID: docsPhotoFile, audience: pub.audience(), permissions: pub.json(),
		createdAt: ms("2022-10-20T19:00:00Z"), updatedAt: ms("2022-10-20T19:00:00Z")}
	if err := insertPhoto(ctx, tx, ns, ph); err != nil {
		return err
	}
	d := &document{id: ids.UUID(), orgID: org.orgID, createdBy: a, updatedBy: a, name: "Employee handbook",
		category: "Human resource", tags: toJSON([]string{"handbook", "hr"}),
		expiry: sql.NullInt64{Int64: ms("2030-01-01T00:00:00Z"), Valid: true}, link: "https://intranet.example.com/handbook",
		docURL: "https://files.example.com/handbook.pdf", docFileID: sql.NullString{String: docsPDFFile, Valid: true},
		isPublished: true, audience: pub.audience(), permissions: pub.json(),
		createdAt: ms("2022-10-21T05:00:00Z"), updatedAt: ms("2022-10-21T05:00:00Z")}
	if err := insertDocument(ctx, tx, ns, d, []string{a, docsJane}); err != nil {
		return err
	}
	return insertSeedFAQ(ctx, tx, ns, org.orgID, a, "Refunds and expenses", "Human resource", []string{"Refund Policy"},
		[]string{a}, ms("2022-10-21T07:00:00Z"), []faqQA{
			{Question: "I have some queries related to refund policy",
				Answer:      "Refund Policy have a lot of aspects that are being categorized into multiple policies",
				Description: "If you are not satisfied then feel free to contact us"},
			{Question: "How do I claim travel expenses?", Answer: "Submit the receipts in the expenses tool within 30 days",
				Description: "Managers approve claims weekly"},
		})
}

func insertSeedFAQ(ctx context.Context, tx *sql.Tx, ns, org, author, name, category string, tags, owners []string, at int64, qas []faqQA) error {
	pub := publicPermissions()
	k := &faqKB{id: ids.UUID(), orgID: org, createdBy: author, updatedBy: author, name: name, category: category,
		tags: toJSON(tags), isPublished: true, audience: pub.audience(), permissions: pub.json(), createdAt: at, updatedAt: at}
	return insertFAQWithQAs(ctx, tx, ns, k, owners, qas)
}

// insertFAQWithQAs stores a seeded knowledge base and its Q&As (with new
// ids), in order, at the kb's creation time.
func insertFAQWithQAs(ctx context.Context, tx *sql.Tx, ns string, k *faqKB, owners []string, qas []faqQA) error {
	if err := insertFAQKB(ctx, tx, ns, k, owners); err != nil {
		return err
	}
	for i, qa := range qas {
		qa.ID = ""
		if err := insertQA(ctx, tx, ns, k, qa, int64(i), k.createdAt); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoContent is a week in the life of the demo organization, dated
// relative to the namespace's clock.
func seedDemoContent(ctx context.Context, tx *sql.Tx, ns string, org *seedOrg) error {
	u := func(i int) string { return org.users[i%len(org.users)] }
	a := org.adminID
	hour := int64(3600 * 1000)
	day := 24 * hour
	base := org.now - 7*day
	fileIDs := make([]string, 4)
	for i, f := range []struct{ name, mime string }{
		{"kickoff.jpg", "image/jpeg"}, {"all-hands-recording.mp4", "video/mp4"},
		{"security-policy.pdf", "application/pdf"}, {"summer-party.png", "image/png"},
	} {
		fileIDs[i] = ids.UUID()
		if err := seedFile(ctx, tx, ns, org.orgID, u(i), fileIDs[i], f.name, f.mime, int64(200_000*(i+1)), base+int64(i)); err != nil {
			return err
		}
	}
	posts := []seedPost{
		{kind: kindPost, author: u(1), text: "Kicked off the Q3 roadmap today — thanks everyone for the great ideas!",
			files: []string{fileIDs[0]}, tags: []string{"#roadmap"}, mentions: []string{u(2)}, reactions: 12, comments: 4, at: base + 2*hour},
		{kind: kindPost, author: u(2), text: "Reminder: expense reports for June are due Friday.", tags: []string{"#finance"},
			reactions: 3, at: base + day},
		{kind: kindPost, author: u(3), text: "Welcome aboard to our new colleagues in the Austin office!",
			tags: []string{"#welcome"}, tagged: []string{u(4), u(5)}, place: "Austin Office", reactions: 20, comments: 9, at: base + 2*day},
		{kind: kindPost, author: a, text: "The intranet now has a Documents section. Check out the security policy.",
			links: []string{"https://intranet.northwind.example/documents"}, reactions: 7, comments: 1, at: base + 3*day},
		{kind: kindPost, author: u(4), text: "Who is up for a running club on Thursdays?", reactions: 15, comments: 11, at: base + 4*day},
		{kind: kindPost, author: u(5), text: "Shipped the new patient portal release 🎉", files: []string{fileIDs[3]},
			tags: []string{"#release"}, mentions: []string{u(1)}, reactions: 25, comments: 6, at: base + 5*day},
		{kind: kindNews, author: a, title: "Northwind opens Austin office", category: "Company News", cover: fileIDs[3],
			tags: []string{"#growth"}, at: base + day + hour},
		{kind: kindNews, author: u(3), title: "New parental leave policy", category: "Featured",
			links: []string{"https://intranet.northwind.example/policies/parental-leave"}, at: base + 3*day + hour},
		{kind: kindNews, author: u(1), title: "Healthcare IT trends this quarter", category: "Industry", at: base + 6*day},
	}
	for _, p := range posts {
		if err := insertSeedPost(ctx, tx, ns, org.orgID, p); err != nil {
			return err
		}
	}
	tomorrow := (org.now/day + 1) * day
	events := []seedEvent{
		{author: u(1), title: "Engineering stand-up", description: "Daily sync of the engineering team", typ: "EVENT",
			category: "Training", virtual: true, meeting: true, invitees: []string{u(5), u(6)},
			start: tomorrow + 9*hour, end: tomorrow + 9*hour + 15*60*1000, created: base, weekly: 6},
		{author: a, title: "All-hands", description: "Quarterly all-hands with Q&A", typ: "LIVESTREAM",
			category: "Corporate Events", location: "Berlin HQ, Auditorium", invitees: []string{u(1), u(2), u(3)},
			start: tomorrow + 3*day + 15*hour, end: tomorrow + 3*day + 16*hour, created: base + hour},
		{author: u(3), title: "Summer party", description: "Food, music and games in the park", typ: "EVENT",
			category: "Social", location: "https://maps.google.com/?q=Tiergarten+Berlin", poster: fileIDs[3],
			invitees: []string{u(4), u(5), u(7)}, start: tomorrow + 10*day + 17*hour, end: tomorrow + 10*day + 22*hour,
			created: base + 2*day},
		{author: u(2), title: "Security training", description: "Mandatory yearly security awareness", typ: "COURSE",
			category: "Training", virtual: true, start: base + 2*day + 14*hour, end: base + 2*day + 15*hour, created: base},
	}
	for _, e := range events {
		if err := insertSeedEvent(ctx, tx, ns, org.orgID, e); err != nil {
			return err
		}
	}
	pub := publicPermissions()
	for i, v := range []*video{
		{title: "All-hands recording", description: "Recording of the last quarterly all-hands", source: 4,
			videoFileID: sql.NullString{String: fileIDs[1], Valid: true}, meta: "{}", createdBy: a},
		{title: "How we do code review", description: "A walk-through of our review checklist", source: sourceYouTube,
			meta: toJSON(map[string]any{"url": "https://www.youtube.com/watch?v=northwind-review"}), createdBy: u(1)},
	} {
		v.id, v.orgID, v.updatedBy = ids.UUID(), org.orgID, v.createdBy
		v.audience, v.permissions = pub.audience(), pub.json()
		v.createdAt, v.updatedAt = base+int64(i+1)*day, base+int64(i+1)*day
		if err := insertVideo(ctx, tx, ns, v); err != nil {
			return err
		}
	}
	for i, f := range []string{fileIDs[0], fileIDs[3]} {
		p := &photo{id: ids.UUID(), orgID: org.orgID, createdBy: u(i + 1), updatedBy: u(i + 1),
			title: []string{"Roadmap kickoff", "Release party"}[i], description: "", fileID: f,
			audience: pub.audience(), permissions: pub.json(), createdAt: base + int64(i)*day + 3*hour}
		p.updatedAt = p.createdAt
		if err := insertPhoto(ctx, tx, ns, p); err != nil {
			return err
		}
	}
	docs := []struct {
		name, category, link string
		file                 string
		owners               []string
	}{
		{"Information security policy", "Policies", "", fileIDs[2], []string{a, u(2)}},
		{"Benefits overview", "Human resource", "https://intranet.northwind.example/benefits", "", []string{u(3)}},
		{"Architecture decision records", "Engineering", "https://git.northwind.example/adr", "", []string{u(1)}},
	}
	for i, d := range docs {
		doc := &document{id: ids.UUID(), orgID: org.orgID, createdBy: d.owners[0], updatedBy: d.owners[0], name: d.name,
			category: d.category, tags: "[]", link: d.link, docFileID: sql.NullString{String: d.file, Valid: d.file != ""},
			isPublished: true, audience: pub.audience(), permissions: pub.json(), createdAt: base + int64(i)*day}
		doc.updatedAt = doc.createdAt
		if err := insertDocument(ctx, tx, ns, doc, d.owners); err != nil {
			return err
		}
	}
	if err := insertSeedFAQ(ctx, tx, ns, org.orgID, u(3), "People & Culture", "Human resource", []string{"HR", "Leave"},
		[]string{u(3)}, base+day, []faqQA{
			{Question: "How many vacation days do I have?", Answer: "30 days per year, plus public holidays.", Description: ""},
			{Question: "Who approves my leave?", Answer: "Your manager, in the HR tool.", Description: "Plan two weeks ahead."},
		}); err != nil {
		return err
	}
	return insertSeedFAQ(ctx, tx, ns, org.orgID, u(1), "IT help", "IT Support", []string{"IT"}, []string{u(1)}, base+2*day,
		[]faqQA{
			{Question: "How do I reset my password?", Answer: "Use the self-service portal; it takes a minute.", Description: ""},
			{Question: "Can I use my own laptop?", Answer: "Only after IT has enrolled it in device management.", Description: ""},
		})
}

// contentFixture is the "content" part of the workdrive section of a seed
// document. Items land in the namespace's organization; author, owners,
// invitees and mentions are user ids ("admin" is the OrgAdmin), files are
// ids of files of the organization; times are ISO-8601 (default: now).
//
//	content:
//	  posts:     [{id, author, text, tags, files, mentions, postedAt}]
//	  news:      [{id, author, title, category, cover, files, tags, postedAt}]
//	  events:    [{id, author, title, description, type, category, location,
//	               start, end, invitees, meeting}]
//	  documents: [{id, author, name, category, link, file, owners, tags, published}]
//	  faqs:      [{id, author, name, category, tags, owners, published,
//	               qas: [{question, answer, description}]}]
type contentFixture struct {
	Posts []struct {
		ID, Author, Text, PostedAt string
		Tags, Files, Mentions      []string
	} `json:"posts"`
	News []struct {
		ID, Author, Title, Category, Cover, PostedAt string
		Files, Tags                                  []string
	} `json:"news"`
	Events []struct {
		ID, Author, Title, Description, Type, Category, Location, Start, End string
		Invitees                                                             []string
		Meeting                                                              bool
	} `json:"events"`
	Documents []struct {
		ID, Author, Name, Category, Link, File string
		Owners, Tags                           []string
		Published                              *bool
	} `json:"documents"`
	FAQs []struct {
		ID, Author, Name, Category string
		Tags, Owners               []string
		Published                  *bool
		QAs                        []faqQA `json:"qas"`
	} `json:"faqs"`
}

// loadContentFixture inserts a fixture's content (see contentFixture).
// Items that name no time are created in document order, a millisecond
// apart, ending at now (so that time-cursor lists show them at once).
// Errors are the document's fault.
func loadContentFixture(ctx context.Context, tx *sql.Tx, ns, org, adminID string, f *contentFixture, now int64) error {
	at := now - int64(len(f.Posts)+len(f.News)+2*len(f.Events)+len(f.Documents)+len(f.FAQs))
	tick := func() int64 { at++; return at }
	bad := func(format string, a ...any) error {
		return &vendor.FixtureError{Msg: "workdrive content: " + fmt.Sprintf(format, a...)}
	}
	user := func(what, id string) (string, error) {
		if id == "" || id == "admin" {
			return adminID, nil
		}
		if _, err := userInOrg(ctx, tx, ns, org, id); err != nil {
			if isNotFound(err) {
				return "", bad("%s %q is not a user of the organization", what, id)
			}
			return "", err
		}
		return id, nil
	}
	users := func(what string, list []string) ([]string, error) {
		out := make([]string, 0, len(list))
		for _, id := range dedupe(list) {
			u, err := user(what, id)
			if err != nil {
				return nil, err
			}
			out = append(out, u)
		}
		return out, nil
	}
	files := func(what string, list ...string) error {
		for _, id := range list {
			if id == "" {
				continue
			}
			if _, err := fileByID(ctx, tx, ns, org, id); err != nil {
				if isNotFound(err) {
					return bad("%s %q is not a file of the organization", what, id)
				}
				return err
			}
		}
		return nil
	}
	id := func(v string) (string, error) {
		if v == "" {
			return ids.UUID(), nil
		}
		if !validUUID(v) {
			return "", bad("id %q is not a UUID", v)
		}
		return v, nil
	}
	when := func(what, v string) (int64, error) {
		if v == "" {
			return tick(), nil
		}
		t, ok := parseTime(v)
		if !ok {
			return 0, bad("%s %q is not an ISO-8601 date-time", what, v)
		}
		return t, nil
	}
	// item resolves an item's id and author (what names the item in
	// messages).
	item := func(what, rawID, rawAuthor string) (string, string, error) {
		itemID, err := id(rawID)
		if err != nil {
			return "", "", err
		}
		author, err := user(what+" author", rawAuthor)
		return itemID, author, err
	}
	for _, p := range f.Posts {
		postID, author, err := item("post", p.ID, p.Author)
		if err != nil {
			return err
		}
		mentions, err := users("post mention", p.Mentions)
		if err != nil {
			return err
		}
		if err := files("post file", p.Files...); err != nil {
			return err
		}
		at, err := when("postedAt", p.PostedAt)
		if err != nil {
			return err
		}
		if strings.TrimSpace(p.Text) == "" && len(p.Files) == 0 {
			return bad("a post needs text or files")
		}
		if err := insertSeedPost(ctx, tx, ns, org, seedPost{id: postID, kind: kindPost, author: author, text: p.Text,
			files: p.Files, tags: p.Tags, mentions: mentions, at: at}); err != nil {
			return err
		}
	}
	for _, n := range f.News {
		newsID, author, err := item("news", n.ID, n.Author)
		if err != nil {
			return err
		}
		if err := files("news file", append([]string{n.Cover}, n.Files...)...); err != nil {
			return err
		}
		at, err := when("postedAt", n.PostedAt)
		if err != nil {
			return err
		}
		if _, err := ensureCategory(ctx, tx, ns, org, moduleNews, n.Category, at); err != nil {
			return err
		}
		if err := insertSeedPost(ctx, tx, ns, org, seedPost{id: newsID, kind: kindNews, author: author, title: n.Title,
			category: strings.TrimSpace(n.Category), cover: n.Cover, files: n.Files, tags: n.Tags, at: at}); err != nil {
			return err
		}
	}
	for _, e := range f.Events {
		eventID, author, err := item("event", e.ID, e.Author)
		if err != nil {
			return err
		}
		invitees, err := users("event invitee", e.Invitees)
		if err != nil {
			return err
		}
		typ := "EVENT"
		if e.Type != "" {
			var ok bool
			if typ, ok = parseEventType(e.Type); !ok {
				return bad("event type %q is not one of POST, LIVESTREAM, EVENT, FAQ, COURSE", e.Type)
			}
		}
		if e.Title == "" || e.Start == "" {
			return bad("an event needs a title and a start")
		}
		start, err := when("start", e.Start)
		if err != nil {
			return err
		}
		end := start + 3600*1000
		if e.End != "" {
			if end, err = when("end", e.End); err != nil {
				return err
			}
		}
		if end < start {
			return bad("event %q ends before it starts", e.Title)
		}
		if _, err := ensureCategory(ctx, tx, ns, org, moduleEvent, e.Category, start); err != nil {
			return err
		}
		if err := insertSeedEvent(ctx, tx, ns, org, seedEvent{id: eventID, author: author, title: e.Title, description: e.Description,
			typ: typ, category: strings.TrimSpace(e.Category), location: e.Location, invitees: invitees,
			start: start, end: end, created: tick(), meeting: e.Meeting}); err != nil {
			return err
		}
	}
	// owned resolves an item's owners: the author when none.
	owned := func(what, author string, list []string) ([]string, error) {
		owners, err := users(what+" owner", list)
		if len(owners) == 0 {
			owners = []string{author}
		}
		return owners, err
	}
	pub := publicPermissions()
	for _, d := range f.Documents {
		docID, author, err := item("document", d.ID, d.Author)
		if err != nil {
			return err
		}
		owners, err := owned("document", author, d.Owners)
		if err != nil {
			return err
		}
		if err := files("document file", d.File); err != nil {
			return err
		}
		if d.Name == "" || (d.File == "" && d.Link == "") {
			return bad("a document needs a name and a file or a link")
		}
		at := tick()
		if _, err := ensureCategory(ctx, tx, ns, org, moduleDocument, d.Category, at); err != nil {
			return err
		}
		doc := &document{id: docID, orgID: org, createdBy: author, updatedBy: author, name: d.Name,
			category: strings.TrimSpace(d.Category), tags: toJSON(orEmpty(d.Tags, true)), link: d.Link,
			docFileID: sql.NullString{String: d.File, Valid: d.File != ""}, isPublished: d.Published == nil || *d.Published,
			audience: pub.audience(), permissions: pub.json(), createdAt: at, updatedAt: at}
		if err := insertDocument(ctx, tx, ns, doc, owners); err != nil {
			return err
		}
	}
	for _, q := range f.FAQs {
		kbID, author, err := item("FAQ", q.ID, q.Author)
		if err != nil {
			return err
		}
		owners, err := owned("FAQ", author, q.Owners)
		if err != nil {
			return err
		}
		if len(q.QAs) == 0 {
			return bad("an FAQ needs at least one question and answer")
		}
		for _, qa := range q.QAs {
			if qa.Question == "" || qa.Answer == "" {
				return bad("every FAQ question needs an answer")
			}
		}
		at := tick()
		if _, err := ensureCategory(ctx, tx, ns, org, moduleFAQ, q.Category, at); err != nil {
			return err
		}
		k := &faqKB{id: kbID, orgID: org, createdBy: author, updatedBy: author, name: q.Name,
			category: strings.TrimSpace(q.Category), tags: toJSON(orEmpty(q.Tags, true)),
			isPublished: q.Published == nil || *q.Published, audience: pub.audience(), permissions: pub.json(),
			createdAt: at, updatedAt: at}
		if err := insertFAQWithQAs(ctx, tx, ns, k, owners, q.QAs); err != nil {
			return err
		}
	}
	return nil
}
