package workdrive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"strings"

	"github.com/standin-dev/standin/internal/ids"
)

// taskFixture is a task of a seed document (docs/fixtures.md).
type taskFixture struct {
	ID, Author, Title, Content, Type, Link, Status, CreatedAt string
	DueDays                                                   int64
	Assignees                                                 []string
}

// chatFixture is a group chat (or room) of a seed document, with its
// messages: a message every 17 minutes from the chat's creation on.
type chatFixture struct {
	ID, Author, Type, Title, Description, Category, Cover, CreatedAt string
	Private, ByRequest                                               bool
	Admins, Members                                                  []string
	Messages                                                         []struct {
		ID, From, Text, ReplyTo string
		Files                   []string
	}
}

// loadCollabFixture inserts a seed document's tasks and group chats.
func loadCollabFixture(ctx context.Context, tx *sql.Tx, r *fixtureRefs, tasks []taskFixture, chats []chatFixture) error {
	ns, org := r.ns, r.org
	r.at = r.now - int64(len(tasks)+len(chats))
	for _, t := range tasks {
		id, by, err := r.item(t.ID, "task author", t.Author)
		if err != nil {
			return err
		}
		assignees, err := r.userList("task assignee", t.Assignees)
		if err != nil {
			return err
		}
		typ := t.Type
		if typ == "" {
			typ = "Article"
		}
		typ, known := taskTypes[strings.ToLower(typ)]
		if t.Title == "" || !known {
			return fixtureErr("workdrive: a task needs a title and a type of Article, Video, QuizLink, Document, TrainingCourse")
		}
		status := t.Status
		if status == "" {
			status = taskDraft
		}
		if status != taskDraft && status != taskPublish {
			return fixtureErr("workdrive: task status %q is not draft or publish", t.Status)
		}
		if status == taskDraft && len(assignees) > 0 {
			return fixtureErr("workdrive: a draft task cannot be assigned")
		}
		at, err := r.when("createdAt", t.CreatedAt)
		if err != nil {
			return err
		}
		row := &task{id: id, orgID: org, title: t.Title, content: t.Content, status: status, taskType: typ,
			link: t.Link, dueDays: t.DueDays, createdBy: by, updatedBy: by, createdAt: at, updatedAt: at}
		if err := insertTask(ctx, tx, ns, row); err != nil {
			return err
		}
		for i, u := range assignees {
			if err := assignTaskUser(ctx, tx, ns, id, u, at+int64(i)); err != nil {
				return err
			}
		}
	}
	for _, ch := range chats {
		id, by, err := r.item(ch.ID, "chat author", ch.Author)
		if err != nil {
			return err
		}
		admins, err := r.userList("chat admin", ch.Admins)
		if err != nil {
			return err
		}
		members, err := r.userList("chat member", ch.Members)
		if err != nil {
			return err
		}
		typ := ch.Type
		if typ == "" {
			typ = chatGroup
		}
		if typ != chatGroup && typ != chatRoom {
			return fixtureErr("workdrive: chat type %q is not CHAT_GROUP or ROOM", ch.Type)
		}
		if err := r.fileRefs("chat cover", ch.Cover); err != nil {
			return err
		}
		at, err := r.when("createdAt", ch.CreatedAt)
		if err != nil {
			return err
		}
		// The group id is derived from the chat's, so a reset keeps it.
		v := &conversation{id: id, orgID: org, groupID: ids.UUIDFromHex(fmt.Sprintf("%x", sha256.Sum256([]byte("group:"+id)))), typ: typ,
			title: ch.Title, description: ch.Description, category: ch.Category, color: colors[len(ch.Title)%len(colors)],
			isPrivate: ch.Private, byRequest: ch.ByRequest, createdBy: by, updatedBy: by, createdAt: at, updatedAt: at}
		if ch.Cover != "" {
			v.fileID = sql.NullString{String: ch.Cover, Valid: true}
		}
		if err := r.category(moduleGroupChat, ch.Category, at); err != nil {
			return err
		}
		if err := insertConversation(ctx, tx, ns, v); err != nil {
			return err
		}
		t := at
		for _, group := range []struct {
			ids   []string
			admin bool
		}{{admins, true}, {members, false}} {
			for _, u := range group.ids {
				t++
				if err := setMember(ctx, tx, ns, v.id, u, group.admin, t); err != nil {
					return err
				}
			}
		}
		for i, m := range ch.Messages {
			msgID, from, err := r.item(m.ID, "message sender", m.From)
			if err != nil {
				return err
			}
			if err := r.fileRefs("message file", m.Files...); err != nil {
				return err
			}
			mt := at + int64(i+1)*17*60*1000
			row := &message{id: msgID, conversationID: v.id, senderID: from, text: m.Text, mention: "[]",
				fileIDs: toJSON(nonNil(m.Files)), createdAt: mt, updatedAt: mt}
			if m.ReplyTo != "" {
				row.replyOf = sql.NullString{String: m.ReplyTo, Valid: true}
			}
			if err := insertMessage(ctx, tx, ns, row); err != nil {
				return err
			}
		}
	}
	return nil
}
