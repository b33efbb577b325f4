package workdrive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// Group chat types. title, fileId and category apply to CHAT_GROUP only.
const (
	chatGroup = "CHAT_GROUP"
	chatRoom  = "ROOM"
)

// conversation is a row of workdrive_conversations.
type conversation struct {
	id, orgID, groupID, typ, title, description, category, color string
	isPrivate, byRequest                                         bool
	fileID                                                       sql.NullString
	createdBy, updatedBy                                         string
	createdAt, updatedAt                                         int64
}

const conversationColumns = `id, org_id, group_id, type, title, description, category, color, is_private, by_request,
	file_id, created_by, updated_by, created_at, updated_at`

func (v *conversation) dest() []any {
	return []any{&v.id, &v.orgID, &v.groupID, &v.typ, &v.title, &v.description, &v.category, &v.color,
		&v.isPrivate, &v.byRequest, &v.fileID, &v.createdBy, &v.updatedBy, &v.createdAt, &v.updatedAt}
}

var scanConversation = scanRow[conversation]

// conversationInOrg returns a conversation of org.
func conversationInOrg(ctx context.Context, q store.Querier, ns, org, id string) (*conversation, error) {
	return rowInOrg[conversation](ctx, q, "workdrive_conversations", conversationColumns, ns, org, id)
}

// insertConversation stores a conversation.
func insertConversation(ctx context.Context, q store.Querier, ns string, v *conversation) error {
	return insertSeqRow(ctx, q, "workdrive_conversations", "workdrive.conversation", conversationColumns, v.dest(), ns)
}

// setMember adds a member or changes their admin flag.
func setMember(ctx context.Context, q store.Querier, ns, convID, userID string, admin bool, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_conversation_members (ns, conversation_id, user_id, is_admin, joined_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (ns, conversation_id, user_id) DO UPDATE SET is_admin = excluded.is_admin`,
		ns, convID, userID, admin, now)
	return err
}

// membership tells whether user belongs to the conversation and is admin.
func membership(ctx context.Context, q store.Querier, ns, convID, userID string) (member, admin bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT is_admin FROM workdrive_conversation_members
		WHERE ns = $1 AND conversation_id = $2 AND user_id = $3`, ns, convID, userID).Scan(&admin)
	if isNotFound(err) {
		return false, false, nil
	}
	return err == nil, admin, err
}

// requireMember refuses with 403 a caller who is not a participant.
func requireMember(ctx context.Context, q store.Querier, c *caller, v *conversation) (admin bool, err error) {
	member, admin, err := membership(ctx, q, c.ns.ID, v.id, c.id)
	if err != nil {
		return false, err
	}
	if !member {
		return false, httpx.Forbidden("You are not a participant of conversation %s", v.id)
	}
	return admin, nil
}

// requireChatAdmin lets the conversation's admins (and the OrgAdmin) through.
func requireChatAdmin(ctx context.Context, q store.Querier, c *caller, v *conversation) error {
	if c.isOrgAdmin() {
		return nil
	}
	_, admin, err := membership(ctx, q, c.ns.ID, v.id, c.id)
	if err != nil {
		return err
	}
	if !admin {
		return httpx.Forbidden("Only an admin of the group can change or delete it")
	}
	return nil
}

// canRead: participants read a conversation; a public (not private) one is
// readable by the whole organization.
func canRead(ctx context.Context, q store.Querier, c *caller, v *conversation) error {
	if !v.isPrivate {
		return nil
	}
	_, err := requireMember(ctx, q, c, v)
	return err
}

// conversationOut is the full Conversation object of the create and
// update responses.
type conversationOut struct {
	ActiveCallID     emptyObject        `json:"activeCallId"`
	Admins           []string           `json:"admins"`
	ByRequest        bool               `json:"byRequest"`
	Category         string             `json:"category"`
	Color            string             `json:"color"`
	CreatedAt        string             `json:"createdAt"`
	CreatedBy        string             `json:"createdBy"`
	Description      string             `json:"description"`
	ExpertID         emptyObject        `json:"expertId"`
	GroupID          string             `json:"groupId"`
	ID               string             `json:"id"`
	Image            *fileOut           `json:"image"`
	InitialQuery     string             `json:"initialQuery"`
	IsChannel        bool               `json:"isChannel"`
	IsPrivate        bool               `json:"isPrivate"`
	LastCall         any                `json:"lastCall"`
	LastQueryMsg     emptyObject        `json:"lastQueryMsg"`
	Meta             emptyObject        `json:"meta"`
	Muted            bool               `json:"muted"`
	NewResponseCount int                `json:"newResponseCount"`
	Participants     []*userSummaryJSON `json:"participants"`
	Reactions        []string           `json:"reactions"`
	ScheduledCall    any                `json:"scheduledCall"`
	SnoozedUntil     any                `json:"snoozedUntil"`
	TicketID         string             `json:"ticketId"`
	Title            string             `json:"title"`
	Type             string             `json:"type"`
	UpdatedAt        string             `json:"updatedAt"`
	UpdatedBy        string             `json:"updatedBy"`
	VideoPreviews    any                `json:"videoPreviews"`
}

// conversationJSON renders the full Conversation object of the create and
// update responses.
func (s *Service) conversationJSON(ctx context.Context, q store.Querier, c *caller, v *conversation) (*conversationOut, error) {
	participants, admins, err := s.participants(ctx, q, c, v.id)
	if err != nil {
		return nil, err
	}
	image, err := fileObject(ctx, q, c.ns, c.orgID, v.fileID.String)
	if err != nil {
		return nil, err
	}
	lastCall, scheduledCall, err := s.conversationCalls(ctx, q, c, v.id)
	if err != nil {
		return nil, err
	}
	return &conversationOut{
		ID: v.id, CreatedAt: isoTime(v.createdAt), UpdatedAt: isoTime(v.updatedAt),
		CreatedBy: v.createdBy, UpdatedBy: v.updatedBy, GroupID: v.groupID,
		LastCall: lastCall, ScheduledCall: scheduledCall,
		Title: v.title, Description: v.description, Image: image, Color: v.color,
		IsPrivate: v.isPrivate, ByRequest: v.byRequest, Type: v.typ, Category: v.category,
		Participants: participants, Reactions: []string{}, Admins: admins,
	}, nil
}

// participants returns the members' summaries (in joining order) and the
// admins' ids.
func (s *Service) participants(ctx context.Context, q store.Querier, c *caller, convID string) ([]*userSummaryJSON, []string, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id, is_admin FROM workdrive_conversation_members
		WHERE ns = $1 AND conversation_id = $2 ORDER BY joined_at, user_id`, c.ns.ID, convID)
	if err != nil {
		return nil, nil, err
	}
	var members []string
	admins := []string{}
	for rows.Next() {
		var id string
		var admin bool
		if err := rows.Scan(&id, &admin); err != nil {
			rows.Close()
			return nil, nil, err
		}
		members = append(members, id)
		if admin {
			admins = append(admins, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	users, err := usersByIDs(ctx, q, c.ns.ID, c.orgID, members)
	if err != nil {
		return nil, nil, err
	}
	return summariesOf(c.ns, users), admins, nil
}

// conversationCalls returns the conversation's last meeting that has
// started and its next scheduled one, as Call objects (nil when none).
func (s *Service) conversationCalls(ctx context.Context, q store.Querier, c *caller, convID string) (last, next any, err error) {
	now := c.nowMS()
	pick := func(query string) (any, error) {
		var id string
		err := q.QueryRowContext(ctx, query, c.ns.ID, convID, now).Scan(&id)
		if isNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return s.meetingCall(ctx, q, c, id)
	}
	if last, err = pick(`SELECT id FROM workdrive_events WHERE ns = $1 AND conversation_id = $2 AND is_meeting = TRUE
		AND start_at <= $3 ORDER BY start_at DESC, id DESC LIMIT 1`); err != nil {
		return nil, nil, err
	}
	if next, err = pick(`SELECT id FROM workdrive_events WHERE ns = $1 AND conversation_id = $2 AND is_meeting = TRUE
		AND start_at > $3 ORDER BY start_at, id LIMIT 1`); err != nil {
		return nil, nil, err
	}
	return last, next, nil
}

// meetingCall renders a meeting as the Call of a conversation: the event's
// livestream with the event inside it.
func (s *Service) meetingCall(ctx context.Context, q store.Querier, c *caller, eventID string) (any, error) {
	ev, err := renderEventByID(ctx, q, c, eventID, true)
	if err != nil {
		return nil, err
	}
	if ev.Livestream.ls == nil {
		return nil, nil
	}
	call := *ev.Livestream.ls
	event := *ev
	event.Livestream.omit = true
	call.Event = &event
	return &call, nil
}

// objectOrEmpty turns a missing object into {} (the doc's placeholder).
func objectOrEmpty[T any](v *T) any {
	if v == nil {
		return emptyObject{}
	}
	return v
}

// chatMember is one entry of a create request's members.
type chatMember struct {
	id    string
	admin bool
}

// readMembers reads members: objects {id, isAdmin}, or plain user ids.
func readMembers(b *httpx.Body) []chatMember {
	raw := bytes.TrimSpace(b.Raw("members"))
	if len(raw) == 0 {
		return nil
	}
	var items []json.RawMessage
	plain := raw[0] == '"' ||
		(raw[0] == '[' && json.Unmarshal(raw, &items) == nil && len(items) > 0 && !bytes.HasPrefix(bytes.TrimSpace(items[0]), []byte("{")))
	var out []chatMember
	if plain {
		ids, _ := b.Strings("members")
		for _, id := range ids {
			out = append(out, chatMember{id: strings.TrimSpace(id)})
		}
		return out
	}
	objs, _ := b.Objects("members")
	for _, o := range objs {
		id, _ := o.String("id")
		admin, _ := o.Bool("isAdmin")
		if strings.TrimSpace(id) == "" {
			o.Fail("id", "a user id")
			continue
		}
		out = append(out, chatMember{id: strings.TrimSpace(id), admin: admin})
	}
	return out
}

// isMeetingBody tells whether a POST /api/group-chats body is really the
// doc's "Create a new meeting" (printed with the group-chat HTTP line):
// start/end times and no group fields.
func isMeetingBody(b *httpx.Body) bool {
	return (b.Has("startDateTime") || b.Has("endDateTime")) && !b.Has("groupType") && !b.Has("members")
}

// createGroupChat serves POST /api/group-chats. The creator becomes a member
// and admin; members[].isAdmin seeds the other admins.
func (s *Service) createGroupChat(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	if isMeetingBody(b) {
		id := strings.TrimSpace(r.URL.Query().Get("conversationId"))
		if v, ok := b.String("conversationId"); ok && strings.TrimSpace(v) != "" {
			id = strings.TrimSpace(v)
		}
		if id == "" {
			return httpx.BadRequest("conversationId is required to create a meeting (POST /api/group-chats/{conversationId}/meetings)")
		}
		return s.meeting(w, r, c, b, id)
	}
	now := c.nowMS()
	v := &conversation{id: ids.UUID(), orgID: c.orgID, groupID: ids.UUID(), typ: chatGroup,
		color: colors[int(now%int64(len(colors)))], createdBy: c.id, updatedBy: c.id, createdAt: now, updatedAt: now}
	if t, ok := b.String("groupType"); ok && strings.TrimSpace(t) != "" {
		switch strings.ToUpper(strings.TrimSpace(t)) {
		case chatGroup:
		case chatRoom:
			v.typ = chatRoom
		default:
			return httpx.BadRequest("groupType must be one of CHAT_GROUP, ROOM")
		}
	}
	v.title = strings.TrimSpace(b.Str("title"))
	v.description = b.Str("description")
	v.category = strings.TrimSpace(b.Str("category"))
	fileID := strings.TrimSpace(b.Str("fileId"))
	v.isPrivate, _ = b.Bool("isPrivate")
	v.byRequest, _ = b.Bool("byRequest")
	members := readMembers(b)
	if err := b.Err(); err != nil {
		return err
	}
	if v.typ == chatRoom {
		// title, fileId and category apply to CHAT_GROUP only.
		v.title, v.category, fileID = "", "", ""
	} else if v.title == "" {
		return httpx.BadRequest("title should not be empty for a CHAT_GROUP")
	}
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		ctx := r.Context()
		if fileID != "" {
			if err := checkFileRef(ctx, tx, c.ns.ID, c.orgID, "fileId", fileID); err != nil {
				return nil, err
			}
			v.fileID = sql.NullString{String: fileID, Valid: true}
		}
		for _, m := range members {
			if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "members.id", []string{m.id}); err != nil {
				return nil, err
			}
		}
		if v.category != "" {
			if _, err := ensureCategory(ctx, tx, c.ns.ID, c.orgID, moduleGroupChat, v.category, now); err != nil {
				return nil, err
			}
		}
		if err := insertConversation(ctx, tx, c.ns.ID, v); err != nil {
			return nil, err
		}
		if err := setMember(ctx, tx, c.ns.ID, v.id, c.id, true, now); err != nil {
			return nil, err
		}
		for i, m := range members {
			if m.id == c.id {
				continue
			}
			// One millisecond apart keeps the members in request order.
			if err := setMember(ctx, tx, c.ns.ID, v.id, m.id, m.admin, now+int64(i)+1); err != nil {
				return nil, err
			}
		}
		return s.conversationJSON(ctx, tx, c, v)
	})
}

// updateGroupChat serves PATCH /api/group-chats/{id}: admins only; every field
// optional; removedAdmins apply before newAdmins.
func (s *Service) updateGroupChat(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	return s.writeTx(w, r, okJSON, func(tx *sql.Tx) (any, error) {
		ctx := r.Context()
		v, err := conversationInOrg(ctx, tx, c.ns.ID, c.orgID, id)
		if err != nil {
			return nil, pathErr(err, "Group chat", id)
		}
		if err := requireChatAdmin(ctx, tx, c, v); err != nil {
			return nil, err
		}
		if x, ok := b.Bool("isPrivate"); ok {
			v.isPrivate = x
		}
		if x, ok := b.Bool("byRequest"); ok {
			v.byRequest = x
		}
		if x, ok := b.String("description"); ok {
			v.description = x
		}
		newAdmins, _ := b.Strings("newAdmins")
		removed, _ := b.Strings("removedAdmins")
		if v.typ == chatGroup {
			if x, ok := b.String("title"); ok {
				if strings.TrimSpace(x) == "" {
					return nil, httpx.BadRequest("title should not be empty for a CHAT_GROUP")
				}
				v.title = strings.TrimSpace(x)
			}
			if x, ok := b.String("category"); ok {
				v.category = strings.TrimSpace(x)
				if v.category != "" {
					if _, err := ensureCategory(ctx, tx, c.ns.ID, c.orgID, moduleGroupChat, v.category, c.nowMS()); err != nil {
						return nil, err
					}
				}
			}
			if b.Null("fileId") {
				v.fileID = sql.NullString{}
			} else if x, ok := b.String("fileId"); ok {
				x = strings.TrimSpace(x)
				if x == "" {
					v.fileID = sql.NullString{}
				} else {
					if err := checkFileRef(ctx, tx, c.ns.ID, c.orgID, "fileId", x); err != nil {
						return nil, err
					}
					v.fileID = sql.NullString{String: x, Valid: true}
				}
			}
		}
		if err := b.Err(); err != nil {
			return nil, err
		}
		newAdmins = dedupe(newAdmins)
		if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "newAdmins", newAdmins); err != nil {
			return nil, err
		}
		now := c.nowMS()
		for _, u := range removed {
			if _, err := tx.ExecContext(ctx, `UPDATE workdrive_conversation_members SET is_admin = FALSE
				WHERE ns = $1 AND conversation_id = $2 AND user_id = $3`, c.ns.ID, v.id, u); err != nil {
				return nil, err
			}
		}
		for _, u := range newAdmins {
			// A new admin who is not a member yet joins the group.
			if err := setMember(ctx, tx, c.ns.ID, v.id, u, true, now); err != nil {
				return nil, err
			}
		}
		admins, err := count(ctx, tx, `SELECT count(*) FROM workdrive_conversation_members
			WHERE ns = $1 AND conversation_id = $2 AND is_admin = TRUE`, c.ns.ID, v.id)
		if err != nil {
			return nil, err
		}
		if admins == 0 {
			return nil, httpx.BadRequest("A group chat must keep at least one admin")
		}
		v.updatedBy, v.updatedAt = c.id, now
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_conversations SET title = $3, description = $4,
			category = $5, is_private = $6, by_request = $7, file_id = $8, updated_by = $9, updated_at = $10
			WHERE ns = $1 AND id = $2`, c.ns.ID, v.id, v.title, v.description, v.category, v.isPrivate, v.byRequest,
			v.fileID, v.updatedBy, v.updatedAt); err != nil {
			return nil, err
		}
		return s.conversationJSON(ctx, tx, c, v)
	})
}

// deleteGroupChats serves DELETE /api/group-chats?id=…: the doc's id is a
// query array, read as repeated id=, id[]=, comma-separated values, a
// path id, or a JSON body {"id": [...]}. Every group must exist and the
// caller must administer each, or nothing is deleted.
func (s *Service) deleteGroupChats(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	var raw []string
	q := r.URL.Query()
	raw = append(raw, q["id"]...)
	raw = append(raw, q["id[]"]...)
	raw = append(raw, q["ids"]...)
	if p := r.PathValue("id"); p != "" {
		raw = append(raw, p)
	}
	for _, k := range []string{"id", "ids"} {
		if v, ok := b.Strings(k); ok {
			raw = append(raw, v...)
		}
	}
	if err := b.Err(); err != nil {
		return err
	}
	var list []string
	for _, v := range raw {
		list = append(list, strings.Split(v, ",")...)
	}
	list = dedupe(list)
	if len(list) == 0 {
		return httpx.BadRequest("id should not be empty: give the group chats to delete as ?id=…")
	}
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		ctx := r.Context()
		for _, id := range list {
			v, err := conversationInOrg(ctx, tx, c.ns.ID, c.orgID, id)
			if err != nil {
				return pathErr(err, "Group chat", id)
			}
			if err := requireChatAdmin(ctx, tx, c, v); err != nil {
				return err
			}
		}
		for _, id := range list {
			for _, stmt := range []string{
				`DELETE FROM workdrive_messages WHERE ns = $1 AND conversation_id = $2`,
				`DELETE FROM workdrive_conversation_members WHERE ns = $1 AND conversation_id = $2`,
				// Meetings stay in the calendar, detached from the chat.
				`UPDATE workdrive_events SET conversation_id = NULL WHERE ns = $1 AND conversation_id = $2`,
				`DELETE FROM workdrive_conversations WHERE ns = $1 AND id = $2`,
			} {
				if _, err := tx.ExecContext(ctx, stmt, c.ns.ID, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// conversationItem is a conversation in GET /api/group-chats; participants
// only with include_participants.
type conversationItem struct {
	ByRequest    bool               `json:"byRequest"`
	Category     string             `json:"category"`
	CreatedAt    string             `json:"createdAt"`
	Description  string             `json:"description"`
	GroupID      string             `json:"groupId"`
	ID           string             `json:"id"`
	Image        any                `json:"image"`
	IsChannel    bool               `json:"isChannel"`
	IsPrivate    bool               `json:"isPrivate"`
	Participants []*userSummaryJSON `json:"participants,omitzero"`
	Title        string             `json:"title"`
	Type         string             `json:"type"`
	UpdatedAt    string             `json:"updatedAt"`
}

// listGroupChats serves GET /api/group-chats, newest first: the organization's
// public groups and the private ones the caller belongs to.
func (s *Service) listGroupChats(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var a store.Args
	where := c.inOrg(&a, "x")
	me := a.Add(c.id)
	isMember := "EXISTS (SELECT 1 FROM workdrive_conversation_members m WHERE m.ns = x.ns AND m.conversation_id = x.id AND m.user_id = " + me + ")"
	mine, _, err := queryBool(q, "my_group_chats")
	if err != nil {
		return err
	}
	if mine {
		where += " AND " + isMember
	} else {
		where += " AND (x.is_private = FALSE OR " + isMember + ")"
	}
	if t := strings.ToUpper(strings.TrimSpace(q.Get("group_type"))); t != "" {
		if t != chatGroup && t != chatRoom {
			return httpx.BadRequest("group_type must be one of CHAT_GROUP, ROOM")
		}
		where += " AND x.type = " + a.Add(t)
	}
	if p.HasTime {
		where += " AND x.created_at <= " + a.Add(p.Time)
	}
	withParticipants, _, err := queryBool(q, "include_participants")
	if err != nil {
		return err
	}
	ctx := r.Context()
	convs, total, err := listPage(ctx, s.db, "workdrive_conversations", conversationColumns, where,
		`x.created_at DESC, x.seq DESC`, a, p, scanConversation)
	if err != nil {
		return err
	}
	items := make([]conversationItem, 0, len(convs))
	for _, v := range convs {
		image, err := fileObject(ctx, s.db, c.ns, c.orgID, v.fileID.String)
		if err != nil {
			return err
		}
		item := conversationItem{
			ID: v.id, GroupID: v.groupID, Title: v.title, IsPrivate: v.isPrivate,
			ByRequest: v.byRequest, Category: v.category, Image: objectOrEmpty(image),
			Type: v.typ, Description: v.description, CreatedAt: isoTime(v.createdAt), UpdatedAt: isoTime(v.updatedAt),
		}
		if withParticipants {
			parts, _, err := s.participants(ctx, s.db, c, v.id)
			if err != nil {
				return err
			}
			item.Participants = parts
		}
		items = append(items, item)
	}
	return okPage(w, "conversations", items, p.Meta(total))
}

// message is a row of workdrive_messages.
type message struct {
	id, conversationID, senderID, text string
	replyOf                            sql.NullString
	mention, fileIDs                   string // JSON arrays
	createdAt, updatedAt               int64
	replies                            int
}

const messageColumns = `id, conversation_id, sender_id, message, reply_of_msg_id, mention, file_ids, created_at, updated_at`

// messageSelect adds each message's reply count.
const messageSelect = `SELECT m.id, m.conversation_id, m.sender_id, m.message, m.reply_of_msg_id, m.mention, m.file_ids,
	m.created_at, m.updated_at,
	(SELECT count(*) FROM workdrive_messages r WHERE r.ns = m.ns AND r.reply_of_msg_id = m.id)
	FROM workdrive_messages m`

func scanMessage(row store.Scanner) (*message, error) {
	var m message
	err := row.Scan(&m.id, &m.conversationID, &m.senderID, &m.text, &m.replyOf, &m.mention, &m.fileIDs,
		&m.createdAt, &m.updatedAt, &m.replies)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// messageOut is the Message object.
type messageOut struct {
	Call           emptyObject        `json:"call"`
	Chat           messageChat        `json:"chat"`
	ConversationID string             `json:"conversationId"`
	CreatedAt      string             `json:"createdAt"`
	CreatedBy      string             `json:"createdBy"`
	Event          any                `json:"event"`
	Files          messageFiles       `json:"files"`
	ID             string             `json:"id"`
	IsEdited       bool               `json:"isEdited"`
	KBDocs         []string           `json:"kbDocs"`
	KBExperts      []string           `json:"kbExperts"`
	KBFaqs         []string           `json:"kbFaqs"`
	LastQueryMsg   emptyObject        `json:"lastQueryMsg"`
	LinkPreviews   []string           `json:"linkPreviews"`
	Mention        []*userSummaryJSON `json:"mention"`
	Message        string             `json:"message"`
	Reactions      []string           `json:"reactions"`
	RepliesCount   int                `json:"repliesCount"`
	ReplyOfMsgID   string             `json:"replyOfMsgId"`
	Sender         any                `json:"sender"`
	Ticket         any                `json:"ticket"`
	Type           int                `json:"type"`
	UpdatedAt      string             `json:"updatedAt"`
	UpdatedBy      string             `json:"updatedBy"`
	Video          any                `json:"video"`
}

type messageChat struct {
	File emptyObject `json:"file"`
}

type messageFiles struct {
	Files []*fileOut `json:"files"`
}

// messageJSON renders a Message. mention is an array of UserSummary (the
// doc's single object cannot hold the several users a request mentions).
func (s *Service) messageJSON(ctx context.Context, q store.Querier, c *caller, m *message) (*messageOut, error) {
	sender, err := userSummaryByID(ctx, q, c.ns, m.senderID)
	if err != nil {
		return nil, err
	}
	mentioned, err := usersByIDs(ctx, q, c.ns.ID, c.orgID, jsonStrings(m.mention))
	if err != nil {
		return nil, err
	}
	mentions := summariesOf(c.ns, mentioned)
	files := []*fileOut{}
	for _, id := range jsonStrings(m.fileIDs) {
		f, err := fileObject(ctx, q, c.ns, c.orgID, id)
		if err != nil {
			return nil, err
		}
		if f != nil {
			files = append(files, f)
		}
	}
	reply := ""
	if m.replyOf.Valid {
		reply = m.replyOf.String
	}
	return &messageOut{
		ID: m.id, CreatedAt: isoTime(m.createdAt), UpdatedAt: isoTime(m.updatedAt),
		CreatedBy: m.senderID, UpdatedBy: m.senderID, Message: m.text, IsEdited: m.updatedAt != m.createdAt,
		ReplyOfMsgID: reply, Sender: objectOrEmpty(sender), Files: messageFiles{files},
		Mention: mentions, Reactions: []string{}, LinkPreviews: []string{}, RepliesCount: m.replies,
		KBExperts: []string{}, KBDocs: []string{}, KBFaqs: []string{},
		ConversationID: m.conversationID,
	}, nil
}

// isSendBody tells whether a GET on the messages path carries a message
// (the doc prints "Send a new Message" with a GET line).
func isSendBody(b *httpx.Body) bool {
	for _, k := range []string{"message", "fileId", "mention", "replyOfMsgId"} {
		if b.Has(k) {
			return true
		}
	}
	return false
}

// messages serves GET /api/{conversationId}/messages: the conversation's
// messages, newest first, with cur_page/per_page and the time cursor. A
// GET that carries a message body is a send, as the doc prints it.
func (s *Service) messages(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	if isSendBody(b) {
		return s.send(w, r, c, b)
	}
	p, err := parsePage(r, c.nowMS())
	if err != nil {
		return err
	}
	ctx := r.Context()
	id := r.PathValue("conversationId")
	v, err := conversationInOrg(ctx, s.db, c.ns.ID, c.orgID, id)
	if err != nil {
		return pathErr(err, "Conversation", id)
	}
	if err := canRead(ctx, s.db, c, v); err != nil {
		return err
	}
	args := []any{c.ns.ID, v.id, p.Time}
	total, err := count(ctx, s.db, `SELECT count(*) FROM workdrive_messages
		WHERE ns = $1 AND conversation_id = $2 AND created_at <= $3`, args...)
	if err != nil {
		return err
	}
	lim, largs := p.SQL(len(args))
	rows, err := s.db.QueryContext(ctx, messageSelect+` WHERE m.ns = $1 AND m.conversation_id = $2 AND m.created_at <= $3
		ORDER BY m.created_at DESC, m.seq DESC`+lim, append(args, largs...)...)
	list, err := store.Collect(rows, err, scanMessage)
	if err != nil {
		return err
	}
	items := make([]*messageOut, 0, len(list))
	for _, m := range list {
		item, err := s.messageJSON(ctx, s.db, c, m)
		if err != nil {
			return err
		}
		items = append(items, item)
	}
	return okPage(w, "messages", items, p.Meta(total))
}

// send serves POST /api/{conversationId}/messages (routed through
// withBody; messages passes a GET's send body on). It stores a message
// from a participant: text or attachments (or both), mentions of
// organization users, and a reply to a message of the same conversation.
func (s *Service) send(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body) error {
	text := b.Str("message")
	mention, _ := b.Strings("mention")
	fileIDs, _ := b.Strings("fileId")
	if more, ok := b.Strings("fileIds"); ok {
		fileIDs = append(fileIDs, more...)
	}
	replyOf := strings.TrimSpace(b.Str("replyOfMsgId"))
	if err := b.Err(); err != nil {
		return err
	}
	mention, fileIDs = dedupe(mention), dedupe(fileIDs)
	if strings.TrimSpace(text) == "" && len(fileIDs) == 0 {
		return httpx.BadRequest("A message needs a message text or at least one fileId")
	}
	id := r.PathValue("conversationId")
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		ctx := r.Context()
		v, err := conversationInOrg(ctx, tx, c.ns.ID, c.orgID, id)
		if err != nil {
			return nil, pathErr(err, "Conversation", id)
		}
		if _, err := requireMember(ctx, tx, c, v); err != nil {
			return nil, err
		}
		if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "mention", mention); err != nil {
			return nil, err
		}
		if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "file", "fileId", fileIDs); err != nil {
			return nil, err
		}
		if replyOf != "" {
			ok, err := exists(ctx, tx, `SELECT 1 FROM workdrive_messages WHERE ns = $1 AND id = $2 AND conversation_id = $3`,
				c.ns.ID, replyOf, v.id)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, httpx.BadRequest("replyOfMsgId %q is not a message of this conversation", replyOf)
			}
		}
		mj, _ := json.Marshal(nonNil(mention))
		fj, _ := json.Marshal(nonNil(fileIDs))
		now := c.nowMS()
		m := &message{id: ids.UUID(), conversationID: v.id, senderID: c.id, text: text, mention: string(mj),
			fileIDs: string(fj), createdAt: now, updatedAt: now}
		if replyOf != "" {
			m.replyOf = sql.NullString{String: replyOf, Valid: true}
		}
		if err := insertMessage(ctx, tx, c.ns.ID, m); err != nil {
			return nil, err
		}
		return s.messageJSON(ctx, tx, c, m)
	})
}

// insertMessage stores a message; seq keeps the sending order within a
// millisecond.
func insertMessage(ctx context.Context, q store.Querier, ns string, m *message) error {
	seq, err := store.NextID(ctx, q, ns, "workdrive.message")
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO workdrive_messages (ns, seq, `+messageColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		ns, seq, m.id, m.conversationID, m.senderID, m.text, m.replyOf, m.mention, m.fileIDs, m.createdAt, m.updatedAt)
	return err
}

// createMeeting serves POST /api/group-chats/{conversationId}/meetings (and
// /api/{conversationId}/meetings): a meeting is an event of the Events
// module attached to the conversation; any participant may schedule one.
func (s *Service) createMeeting(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return s.meeting(w, r, c, b, r.PathValue("conversationId"))
}

func (s *Service) meeting(w http.ResponseWriter, r *http.Request, c *caller, b *httpx.Body, convID string) error {
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		ctx := r.Context()
		v, err := conversationInOrg(ctx, tx, c.ns.ID, c.orgID, convID)
		if err != nil {
			return nil, pathErr(err, "Conversation", convID)
		}
		if _, err := requireMember(ctx, tx, c, v); err != nil {
			return nil, err
		}
		return s.createEventFromBody(ctx, tx, c, b, v.id)
	})
}
