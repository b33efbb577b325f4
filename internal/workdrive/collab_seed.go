package workdrive

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"

	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Collaboration seeds. "admin" names the OrgAdmin; other ids are the users
// of A's seed documents (seed_data.go). Times are hours before now.
type seedTask struct {
	id, by, title, content, taskType, link, status string
	dueDays, hoursAgo                              int64
	assignees                                      []string
}

type seedMessage struct {
	id, from, text, replyTo string
	files                   []string
}

type seedChat struct {
	id, by, typ, title, description, category, cover string
	private, byRequest                               bool
	admins, members                                  []string
	hoursAgo                                         int64
	messages                                         []seedMessage
}

type collabFile struct{ id, name, mime, owner string }

// Docs: the ids the documented examples use. The OrgAdmin's first task
// (oldest) is a draft (tasks.update), the next published (tasks.assign);
// the newest conversation holds the message the send example replies to.
var (
	docsFiles = []collabFile{
		{"1bbabc01-b21f-45b4-87db-631bd6a06276", "testing-group-cover.png", "image/png", "admin"},
		{"319e142f-e323-453e-aa73-1eac54e4bdc6", "meeting-notes.pdf", "application/pdf", "admin"},
	}
	docsTasks = []seedTask{
		{id: "b3f0a8f2-4f0e-4a52-9a43-1d1e5c7c9a01", by: "admin", title: "Fill out timeSheet", taskType: "Article",
			content: "Fill time sheet at end of day", status: taskDraft, dueDays: 1, hoursAgo: 30},
		{id: "b3f0a8f2-4f0e-4a52-9a43-1d1e5c7c9a02", by: "admin", title: "Read the security handbook", taskType: "Article",
			content: "Read the handbook and confirm in the intranet.", status: taskPublish, dueDays: 7, hoursAgo: 29,
			assignees: []string{"a0c3f96f-73c3-4c67-ba43-b94d640f2485", "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff"}},
		{id: "b3f0a8f2-4f0e-4a52-9a43-1d1e5c7c9a03", by: "a0c3f96f-73c3-4c67-ba43-b94d640f2485", title: "Complete the onboarding quiz",
			taskType: "QuizLink", link: "https://quiz.example.com/onboarding", status: taskPublish, dueDays: 3, hoursAgo: 28,
			assignees: []string{"admin"}},
	}
	docsChats = []seedChat{
		{id: "c7d1e2f3-0a1b-4c2d-8e3f-4a5b6c7d8e01", by: "admin", typ: chatRoom, private: true, hoursAgo: 27,
			admins: []string{"admin"}, members: []string{"a0c3f96f-73c3-4c67-ba43-b94d640f2485"},
			messages: []seedMessage{
				{id: "d8e2f3a4-1b2c-4d3e-9f4a-5b6c7d8e9f01", from: "a0c3f96f-73c3-4c67-ba43-b94d640f2485", text: "Do you have a minute for the roadmap?"},
				{id: "d8e2f3a4-1b2c-4d3e-9f4a-5b6c7d8e9f02", from: "admin", text: "Sure, call me after lunch."},
			}},
		{id: "c7d1e2f3-0a1b-4c2d-8e3f-4a5b6c7d8e02", by: "admin", typ: chatGroup, title: "new testing group",
			description: "This group is created for testing purpose", category: "Testing",
			cover: "1bbabc01-b21f-45b4-87db-631bd6a06276", private: true, byRequest: true, hoursAgo: 26,
			admins:  []string{"admin"},
			members: []string{"a0c3f96f-73c3-4c67-ba43-b94d640f2485", "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff", "6187fcb0-6151-11ec-9294-cfe91ad8177f"},
			messages: []seedMessage{
				{id: "9c5b9d42-e552-49c9-a245-491e70d28866", from: "a0c3f96f-73c3-4c67-ba43-b94d640f2485", text: "Welcome to the testing group!"},
				{id: "d8e2f3a4-1b2c-4d3e-9f4a-5b6c7d8e9f03", from: "admin", text: "Thanks! Notes from the kickoff are attached.",
					replyTo: "9c5b9d42-e552-49c9-a245-491e70d28866", files: []string{"319e142f-e323-453e-aa73-1eac54e4bdc6"}},
			}},
	}
)

// Demo: Northwind Health's tasks and chats.
const (
	hannah = "1d6549d2-2db2-4eb2-8661-a40827cb5f66"
	marcus = "95ace565-dc3d-4057-b7e6-280d32834019"
	aisha  = "315c1d3a-dd41-4053-8760-a41dd33f26ca"
	jonas  = "ae0408d7-4b6c-48e4-8ebd-9d787c3a002b"
	sofia  = "a1243336-d597-4d00-98e3-ccc357773950"
	liam   = "5a115f8c-1c8c-4c42-938e-db8cab1a4a99"
	emily  = "1aaeeb05-5edb-4e7f-9f03-dc5a23edd9e8"
	diego  = "47b93a08-f2ce-476d-8df1-2ef9b972f8a0"
)

var (
	demoTasks = []seedTask{
		{id: "4c0f7d3e-2a61-4c7b-9a0e-7f1d2c3b4a01", by: "admin", title: "Submit your Q3 expense report", taskType: "Article",
			content: "Upload receipts and submit the Q3 expense report in the finance portal.", status: taskPublish,
			dueDays: 5, hoursAgo: 70, assignees: []string{hannah, marcus, aisha}},
		{id: "4c0f7d3e-2a61-4c7b-9a0e-7f1d2c3b4a02", by: aisha, title: "Complete the annual compliance training",
			taskType: "QuizLink", link: "https://learning.northwind.example/compliance-2024", status: taskPublish,
			dueDays: 14, hoursAgo: 50, assignees: []string{"admin", hannah, marcus, jonas, sofia, liam, emily, diego}},
		{id: "4c0f7d3e-2a61-4c7b-9a0e-7f1d2c3b4a03", by: hannah, title: "Review the incident postmortem", taskType: "Article",
			content: "Read the postmortem of the 12 March outage and add your action items.", status: taskPublish,
			dueDays: 3, hoursAgo: 30, assignees: []string{jonas, sofia, liam}},
		{id: "4c0f7d3e-2a61-4c7b-9a0e-7f1d2c3b4a04", by: marcus, title: "Draft the Q4 sales playbook", taskType: "Article",
			content: "Outline: ideal customer profile, pricing guardrails, objection handling.", status: taskDraft,
			dueDays: 10, hoursAgo: 6},
	}
	demoChats = []seedChat{
		{id: "0e5a6b7c-8d9e-4f01-a2b3-c4d5e6f70a01", by: hannah, typ: chatGroup, title: "Engineering",
			description: "Day-to-day engineering chat", category: "Teams", hoursAgo: 60,
			admins: []string{hannah}, members: []string{"admin", jonas, sofia, liam},
			messages: []seedMessage{
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b01", from: jonas, text: "Deploy of the patient portal is green."},
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b02", from: sofia, text: "Nice! Latency looks better too.", replyTo: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b01"},
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b03", from: hannah, text: "Postmortem review task is up, please have a look."},
			}},
		{id: "0e5a6b7c-8d9e-4f01-a2b3-c4d5e6f70a02", by: "admin", typ: chatGroup, title: "Berlin HQ Social",
			description: "Lunch plans, events and everything else", category: "Social", hoursAgo: 40,
			admins: []string{"admin", aisha}, members: []string{hannah, emily, diego},
			messages: []seedMessage{
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b04", from: aisha, text: "Summer party is on 14 July, save the date!"},
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b05", from: emily, text: "Count me in."},
			}},
		{id: "0e5a6b7c-8d9e-4f01-a2b3-c4d5e6f70a03", by: marcus, typ: chatRoom, private: true, hoursAgo: 8,
			admins: []string{marcus}, members: []string{"admin"},
			messages: []seedMessage{
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b06", from: marcus, text: "Can we go over the Q4 targets tomorrow?"},
				{id: "0f6b7c8d-9e0f-4a12-b3c4-d5e6f7a80b07", from: "admin", text: "Yes, 10:00 works."},
			}},
	}
)

// seedCollab seeds tasks, group chats and messages, and
// gives the seeded image, PDF and text files real bytes so their urls
// download.
func (s *Service) seedCollab(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, org *seedOrg, seed string) error {
	var (
		files []collabFile
		tasks []seedTask
		chats []seedChat
	)
	switch seed {
	case namespace.SeedDocs:
		files, tasks, chats = docsFiles, docsTasks, docsChats
	case namespace.SeedDemo:
		tasks, chats = demoTasks, demoChats
	}
	who := func(id string) string {
		if id == "admin" {
			return org.adminID
		}
		return id
	}
	hour := int64(3600 * 1000)
	for i, f := range files {
		owner := who(f.owner)
		key := fmt.Sprintf("o-%s/m-%d/u-%s/%x%s", org.orgID, moduleGroupChat, owner, sha1.Sum([]byte(f.id)), extOf(f.mime))
		if err := insertFile(ctx, tx, ns.ID, &file{id: f.id, orgID: org.orgID, ownerID: owner, name: f.name, mime: f.mime,
			moduleCode: moduleGroupChat, status: "uploaded", blobKey: key, createdAt: org.now - 48*hour + int64(i)}); err != nil {
			return err
		}
	}
	for _, t := range tasks {
		at := org.now - t.hoursAgo*hour
		row := &task{id: t.id, orgID: org.orgID, title: t.title, content: t.content, status: t.status, taskType: t.taskType,
			link: t.link, dueDays: t.dueDays, createdBy: who(t.by), updatedBy: who(t.by), createdAt: at, updatedAt: at}
		if err := insertTask(ctx, tx, ns.ID, row); err != nil {
			return err
		}
		for i, u := range t.assignees {
			if err := assignTaskUser(ctx, tx, ns.ID, t.id, who(u), at+int64(i)); err != nil {
				return err
			}
		}
	}
	for _, ch := range chats {
		at := org.now - ch.hoursAgo*hour
		v := &conversation{id: ch.id, orgID: org.orgID, groupID: ids.UUIDFromHex(fmt.Sprintf("%x", sha256.Sum256([]byte("group:"+ch.id)))), typ: ch.typ,
			title: ch.title, description: ch.description, category: ch.category, color: colors[len(ch.title)%len(colors)],
			isPrivate: ch.private, byRequest: ch.byRequest, createdBy: who(ch.by), updatedBy: who(ch.by), createdAt: at, updatedAt: at}
		if ch.cover != "" {
			v.fileID = sql.NullString{String: ch.cover, Valid: true}
		}
		if ch.category != "" {
			if _, err := ensureCategory(ctx, tx, ns.ID, org.orgID, moduleGroupChat, ch.category, at); err != nil {
				return err
			}
		}
		if err := insertConversation(ctx, tx, ns.ID, v); err != nil {
			return err
		}
		t := at
		for _, u := range ch.admins {
			t++
			if err := setMember(ctx, tx, ns.ID, v.id, who(u), true, t); err != nil {
				return err
			}
		}
		for _, u := range ch.members {
			t++
			if err := setMember(ctx, tx, ns.ID, v.id, who(u), false, t); err != nil {
				return err
			}
		}
		for i, m := range ch.messages {
			mt := at + int64(i+1)*17*60*1000 // a message every 17 minutes
			mentions, _ := json.Marshal([]string{})
			fj, _ := json.Marshal(nonNil(m.files))
			row := &message{id: m.id, conversationID: v.id, senderID: who(m.from), text: m.text, mention: string(mentions),
				fileIDs: string(fj), createdAt: mt, updatedAt: mt}
			if m.replyTo != "" {
				row.replyOf = sql.NullString{String: m.replyTo, Valid: true}
			}
			if err := insertMessage(ctx, tx, ns.ID, row); err != nil {
				return err
			}
		}
	}
	return fillSeededFiles(ctx, tx, ns)
}

// fillSeededFiles gives every seeded file (uploaded, but with no blob) the
// size of its generated content: a small picture for PNG, JPEG and GIF
// images, a one-page PDF, a text. The bytes themselves are not stored: the
// download serves the same generated content (see download), so seeding
// writes no blobs. Other types keep their size and have no content (their
// url answers 404 NoSuchKey).
func fillSeededFiles(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, mime FROM workdrive_files
		WHERE ns = $1 AND status = 'uploaded' ORDER BY id`, ns.ID)
	type seeded struct{ id, name, mime string }
	list, err := store.Collect(rows, err, func(r store.Scanner) (seeded, error) {
		var f seeded
		return f, r.Scan(&f.id, &f.name, &f.mime)
	})
	if err != nil {
		return err
	}
	for _, f := range list {
		content, err := sampleContent(f.mime, f.name)
		if err != nil {
			return err
		}
		if content == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_files SET size = $3 WHERE ns = $1 AND id = $2`,
			ns.ID, f.id, len(content)); err != nil {
			return err
		}
	}
	return nil
}

// sampleContent makes a small file of the given type, or nil when standin
// cannot make one.
func sampleContent(mimeType, name string) ([]byte, error) {
	key := mimeType + "\x00" + name
	if b, ok := samples.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := makeSample(mimeType, name)
	if err == nil {
		samples.Store(key, b)
	}
	return b, err
}

// samples memoises sampleContent: seeds name the same few files in every
// namespace, and drawing and encoding them each time would cost every
// namespace creation milliseconds.
var samples sync.Map // mime + NUL + name -> []byte

// makeSample draws a sample file's bytes (see sampleContent).
func makeSample(mimeType, name string) ([]byte, error) {
	h := fnv.New32a()
	h.Write([]byte(name))
	sum := h.Sum32()
	fill := color.RGBA{R: byte(sum), G: byte(sum >> 8), B: byte(sum >> 16), A: 255}
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			c := fill
			if (x/8+y/8)%2 == 0 { // a checkerboard, so the picture is visibly one
				c = color.RGBA{R: 255 - fill.R, G: 255 - fill.G, B: 255 - fill.B, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	var err error
	switch mimeType {
	case "image/png":
		err = png.Encode(&buf, img)
	case "image/jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "image/gif":
		err = gif.Encode(&buf, img, nil)
	case "application/pdf":
		return samplePDF(name), nil
	case "text/plain":
		return []byte(name + "\n\nA sample file seeded by standin.\n"), nil
	default:
		return nil, nil
	}
	return buf.Bytes(), err
}

// samplePDF is a minimal one-page PDF showing a title.
func samplePDF(title string) []byte {
	title = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(title)
	stream := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", title)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
