package workdrive_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

type chatOut struct {
	ID           string   `json:"id"`
	GroupID      string   `json:"groupId"`
	Type         string   `json:"type"`
	Title        string   `json:"title"`
	Admins       []string `json:"admins"`
	Participants []struct {
		ID string `json:"id"`
	} `json:"participants"`
	ScheduledCall map[string]any `json:"scheduledCall"`
}

type messageOut struct {
	ID           string `json:"id"`
	Message      string `json:"message"`
	ReplyOfMsgID string `json:"replyOfMsgId"`
	RepliesCount int    `json:"repliesCount"`
	Sender       struct {
		ID string `json:"id"`
	} `json:"sender"`
	Mention []struct {
		ID string `json:"id"`
	} `json:"mention"`
}

type messageList struct {
	Messages []messageOut `json:"messages"`
	Meta     struct {
		TotalResults, NextPage int
	} `json:"meta"`
}

func TestMessageAppearsInItsChat(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	jane := admin.as(collabKey(t, admin, docsJane))
	maria := admin.as(collabKey(t, admin, docsMaria))

	var chat chatOut
	admin.must(201, "POST", "/api/group-chats", map[string]any{
		"title": "Release crew", "groupType": "CHAT_GROUP", "isPrivate": true, "category": "Projects",
		"members": []map[string]any{{"id": docsJane, "isAdmin": false}, {"id": docsJohn, "isAdmin": true}},
	}, &chat)
	if chat.ID == "" || chat.GroupID == "" || chat.ID == chat.GroupID || chat.Type != "CHAT_GROUP" {
		t.Fatalf("created chat: %+v", chat)
	}
	if len(chat.Participants) != 3 || len(chat.Admins) != 2 {
		t.Fatalf("participants %+v admins %v: want the creator, Jane and John; admins the creator and John", chat.Participants, chat.Admins)
	}
	var other chatOut
	admin.must(201, "POST", "/api/group-chats", map[string]any{"groupType": "ROOM", "members": []string{docsMaria}}, &other)

	// Send as the admin, then as Jane replying and mentioning John.
	var first, reply messageOut
	admin.must(201, "POST", "/api/"+chat.ID+"/messages", map[string]any{"message": "Ship it on Friday?"}, &first)
	jane.must(201, "POST", "/api/"+chat.ID+"/messages", map[string]any{
		"message": "Friday works", "replyOfMsgId": first.ID, "mention": docsJohn}, &reply)
	if reply.Sender.ID != docsJane || reply.ReplyOfMsgID != first.ID || len(reply.Mention) != 1 || reply.Mention[0].ID != docsJohn {
		t.Fatalf("reply: %+v", reply)
	}

	// Both appear in the chat's message list, newest first; not in the other chat.
	var list messageList
	admin.must(200, "GET", "/api/"+chat.ID+"/messages", nil, &list)
	if len(list.Messages) != 2 || list.Messages[0].ID != reply.ID || list.Messages[1].ID != first.ID {
		t.Fatalf("messages of the chat: %+v", list.Messages)
	}
	if list.Messages[1].RepliesCount != 1 || list.Messages[1].Message != "Ship it on Friday?" {
		t.Errorf("first message as listed: %+v", list.Messages[1])
	}
	admin.must(200, "GET", "/api/"+other.ID+"/messages", nil, &list)
	if len(list.Messages) != 0 {
		t.Errorf("the other chat shows %d messages", len(list.Messages))
	}

	// The doc prints the send as a GET with a body: that sends too.
	var viaGet messageOut
	admin.must(201, "GET", "/api/"+chat.ID+"/messages", map[string]any{"message": "via GET"}, &viaGet)
	admin.must(200, "GET", "/api/"+chat.ID+"/messages?per_page=1", nil, &list)
	if len(list.Messages) != 1 || list.Messages[0].ID != viaGet.ID || list.Meta.TotalResults != 3 || list.Meta.NextPage != 2 {
		t.Fatalf("after a GET send: %+v", list)
	}
	// The time cursor hides later messages.
	cursor := time.Now().UTC().Add(-24 * time.Hour).Format(time.RFC3339)
	admin.must(200, "GET", "/api/"+chat.ID+"/messages?time="+cursor, nil, &list)
	if len(list.Messages) != 0 {
		t.Errorf("time cursor a day back shows %d messages", len(list.Messages))
	}

	tests := []struct {
		name   string
		c      *client
		path   string
		body   any
		status int
	}{
		{"non-participant sends", maria, "/api/" + chat.ID + "/messages", map[string]any{"message": "hi"}, 403},
		{"non-participant reads a private chat", maria, "/api/" + chat.ID + "/messages", nil, 403},
		{"empty message", admin, "/api/" + chat.ID + "/messages", map[string]any{"message": " "}, 400},
		{"reply to another chat's message", admin, "/api/" + other.ID + "/messages", map[string]any{"message": "x", "replyOfMsgId": first.ID}, 400},
		{"unknown attachment", admin, "/api/" + chat.ID + "/messages", map[string]any{"fileId": []string{"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}, 400},
		{"unknown mention", admin, "/api/" + chat.ID + "/messages", map[string]any{"message": "x", "mention": []string{"nobody"}}, 400},
		{"unknown conversation", admin, "/api/3fa85f64-5717-4562-b3fc-2c963f66afa6/messages", map[string]any{"message": "x"}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.body == nil {
				method = "GET"
			}
			if res := tt.c.do(method, tt.path, tt.body); res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, res.Body)
			}
		})
	}

	// An attachment that was issued but not uploaded yet is accepted.
	var ticket struct {
		FileID string `json:"fileId"`
	}
	admin.must(200, "GET", "/api/media?mime=application/pdf&name=plan.pdf&moduleCode=11", nil, &ticket)
	var withFile struct {
		Files struct {
			Files []struct {
				ID   string `json:"id"`
				Size int    `json:"size"`
			} `json:"files"`
		} `json:"files"`
	}
	admin.must(201, "POST", "/api/"+chat.ID+"/messages", map[string]any{"fileId": []string{ticket.FileID}}, &withFile)
	if len(withFile.Files.Files) != 1 || withFile.Files.Files[0].ID != ticket.FileID {
		t.Errorf("attachment: %+v", withFile.Files)
	}
}

func TestGroupChatsAdminsListAndDelete(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	jane := admin.as(collabKey(t, admin, docsJane))
	other := collabOtherOrg(t, env, ns, admin)

	var chat chatOut
	jane.must(201, "POST", "/api/group-chats", map[string]any{"title": "Jane's group", "members": []map[string]any{{"id": docsJohn}}}, &chat)
	// The OrgAdmin is not a member of a private chat but administers the org.
	var upd chatOut
	jane.must(200, "PATCH", "/api/group-chats/"+chat.ID, map[string]any{"title": "Renamed",
		"newAdmins": []string{docsJohn, docsMaria}, "removedAdmins": []string{docsJane}}, &upd)
	if upd.Title != "Renamed" || len(upd.Admins) != 2 || len(upd.Participants) != 3 {
		t.Fatalf("after the admin change: %+v", upd)
	}
	// Jane is no longer admin: she cannot change or delete the group.
	jane.must(403, "PATCH", "/api/group-chats/"+chat.ID, map[string]any{"title": "Mine again"}, nil)
	jane.must(403, "DELETE", "/api/group-chats?id="+chat.ID, nil, nil)
	// The last admin cannot go.
	res := admin.do("PATCH", "/api/group-chats/"+chat.ID, map[string]any{"removedAdmins": []string{docsJohn, docsMaria}})
	if res.StatusCode != 400 {
		t.Fatalf("removing every admin: %d %s", res.StatusCode, res.Body)
	}
	admin.must(400, "POST", "/api/group-chats", map[string]any{"groupType": "CHANNEL"}, nil)
	admin.must(400, "POST", "/api/group-chats", map[string]any{"groupType": "CHAT_GROUP"}, nil) // no title
	admin.must(400, "POST", "/api/group-chats", map[string]any{"title": "x", "members": []map[string]any{{"id": "nobody"}}}, nil)

	// Another organization sees none of it.
	otherOrgSeesNone(t, other, "/api/group-chats", "conversations",
		otherWrite{"PATCH", "/api/group-chats/" + chat.ID, map[string]any{"title": "x"}},
		otherWrite{"POST", "/api/" + chat.ID + "/messages", map[string]any{"message": "x"}},
		otherWrite{"DELETE", "/api/group-chats?id=" + chat.ID, nil})

	// Lists: newest first, filters, participants on request.
	var rooms []string
	for i := range 3 {
		var room chatOut
		admin.must(201, "POST", "/api/group-chats", map[string]any{"groupType": "ROOM", "members": []string{docsJohn}, "title": "ignored " + strconv.Itoa(i)}, &room)
		if room.Title != "" {
			t.Errorf("a ROOM kept the title %q", room.Title)
		}
		rooms = append(rooms, room.ID)
		env.Clock.Advance(time.Millisecond)
	}
	var list struct {
		Conversations []struct {
			ID           string `json:"id"`
			Participants []any  `json:"participants"`
		} `json:"conversations"`
		Meta struct{ TotalResults int } `json:"meta"`
	}
	admin.must(200, "GET", "/api/group-chats?group_type=ROOM&include_participants=true&my_group_chats=true", nil, &list)
	if list.Meta.TotalResults != 3+1 || list.Conversations[0].ID != rooms[2] || len(list.Conversations[0].Participants) != 2 {
		t.Fatalf("rooms (3 new + 1 seeded), newest first with participants: %+v", list)
	}
	admin.must(400, "GET", "/api/group-chats?group_type=DM", nil, nil)

	// Delete several with the doc's query array, in its three spellings.
	res = admin.do("DELETE", "/api/group-chats?id="+rooms[0]+"&id[]="+rooms[1]+","+chat.ID, nil)
	if res.StatusCode != 200 || len(res.Body) != 0 {
		t.Fatalf("delete: %d %q", res.StatusCode, res.Body)
	}
	admin.must(404, "GET", "/api/"+chat.ID+"/messages", nil, nil)
	admin.must(404, "DELETE", "/api/group-chats?id="+rooms[0], nil, nil)
	admin.must(400, "DELETE", "/api/group-chats", nil, nil)
	// All or nothing: an unknown id keeps the known one.
	admin.must(404, "DELETE", "/api/group-chats?id="+rooms[2]+",3fa85f64-5717-4562-b3fc-2c963f66afa6", nil, nil)
	admin.must(200, "GET", "/api/"+rooms[2]+"/messages", nil, nil)
	res = admin.do("DELETE", "/api/group-chats", map[string]any{"id": []string{rooms[2]}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("delete with a JSON body: %d %s", res.StatusCode, res.Body)
	}
}

func TestMeetingAttachesToItsChat(t *testing.T) {
	env, _, admin := adminClient(t, "docs")
	maria := admin.as(collabKey(t, admin, docsMaria))
	var chat chatOut
	admin.must(201, "POST", "/api/group-chats", map[string]any{"title": "Planning", "members": []map[string]any{{"id": docsJane}}}, &chat)

	start := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Minute)
	var ev struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	admin.must(201, "POST", "/api/group-chats/"+chat.ID+"/meetings", map[string]any{
		"title": "Sprint planning", "userIds": []string{docsJane},
		"startDateTime": start.Format(time.RFC3339), "endDateTime": start.Add(time.Hour).Format(time.RFC3339),
	}, &ev)
	if ev.ID == "" || ev.Title != "Sprint planning" {
		t.Fatalf("meeting: %+v", ev)
	}
	// The doc's own line (POST /api/group-chats with meeting fields) and the
	// short path work too.
	admin.must(201, "POST", "/api/group-chats?conversationId="+chat.ID, map[string]any{
		"title": "Retro", "startDateTime": start.Add(72 * time.Hour).Format(time.RFC3339), "duration": 30}, nil)
	admin.must(201, "POST", "/api/"+chat.ID+"/meetings", map[string]any{
		"title": "Demo", "startDateTime": start.Add(96 * time.Hour).Format(time.RFC3339)}, nil)
	admin.must(400, "POST", "/api/group-chats", map[string]any{"title": "No chat", "startDateTime": start.Format(time.RFC3339)}, nil)
	admin.must(400, "POST", "/api/group-chats/"+chat.ID+"/meetings", map[string]any{"title": "No start"}, nil)
	maria.must(403, "POST", "/api/group-chats/"+chat.ID+"/meetings", map[string]any{"title": "x", "startDateTime": start.Format(time.RFC3339)}, nil)

	// The chat's scheduledCall is the next meeting, and it is an event.
	var upd chatOut
	admin.must(200, "PATCH", "/api/group-chats/"+chat.ID, map[string]any{}, &upd)
	event, _ := upd.ScheduledCall["event"].(map[string]any)
	if event == nil || event["id"] != ev.ID {
		t.Fatalf("scheduledCall = %v, want the meeting %s", upd.ScheduledCall, ev.ID)
	}
	// Once it has started it is the lastCall, and the next one is scheduled.
	env.Clock.Advance(49 * time.Hour)
	var later struct {
		LastCall      map[string]any `json:"lastCall"`
		ScheduledCall map[string]any `json:"scheduledCall"`
	}
	admin.must(200, "PATCH", "/api/group-chats/"+chat.ID, map[string]any{}, &later)
	lastEvent, _ := later.LastCall["event"].(map[string]any)
	nextEvent, _ := later.ScheduledCall["event"].(map[string]any)
	if lastEvent == nil || lastEvent["id"] != ev.ID || nextEvent == nil || nextEvent["title"] != "Retro" {
		t.Errorf("after the first meeting began: lastCall %v, scheduledCall %v", lastEvent, nextEvent)
	}
	var events struct {
		Events []struct {
			ID string `json:"id"`
		} `json:"events"`
	}
	admin.must(200, "GET", "/api/events?onlyMeeting=true&per_page=100&time="+start.Add(200*time.Hour).Format(time.RFC3339), nil, &events)
	found := false
	for _, e := range events.Events {
		found = found || e.ID == ev.ID
	}
	if !found {
		t.Errorf("the meeting %s is not among the events with onlyMeeting=true: %+v", ev.ID, events.Events)
	}
}

// TestCollabSeeds: the demo seed's chats and tasks name real users, and
// the docs seed has what the documented examples need.
func TestCollabSeeds(t *testing.T) {
	env, _, admin := adminClient(t, "demo")
	var chats struct {
		Conversations []struct {
			Title        string `json:"title"`
			Participants []struct {
				ID        string `json:"id"`
				FirstName string `json:"firstName"`
			} `json:"participants"`
		} `json:"conversations"`
	}
	admin.must(200, "GET", "/api/group-chats?include_participants=true", nil, &chats)
	want := map[string]int{"Engineering": 5, "Berlin HQ Social": 5, "": 2}
	if len(chats.Conversations) != len(want) {
		t.Fatalf("demo chats: %+v", chats.Conversations)
	}
	for _, c := range chats.Conversations {
		if len(c.Participants) != want[c.Title] {
			t.Errorf("chat %q has %d participants, want %d (a seeded member is not a user?)", c.Title, len(c.Participants), want[c.Title])
		}
	}
	var tasks struct {
		Tasks []taskOut `json:"tasks"`
	}
	admin.must(200, "GET", "/api/tasks", nil, &tasks)
	if len(tasks.Tasks) != 2 { // created by the admin, and assigned to the admin by Aisha
		t.Errorf("the demo admin's tasks: %+v", tasks.Tasks)
	}
	for _, x := range tasks.Tasks {
		if by, ok := x.CreatedBy.(map[string]any); !ok || by["firstName"] == nil {
			t.Errorf("task %q: createdBy %v is not a user", x.Title, x.CreatedBy)
		}
	}
	var msgs messageList
	docs := env.NewNamespace(t, "docs")
	dadmin := newClient(t, env, docs, docs.Cred("workdrive", "api_key"))
	dadmin.must(200, "GET", "/api/c7d1e2f3-0a1b-4c2d-8e3f-4a5b6c7d8e02/messages", nil, &msgs)
	if len(msgs.Messages) != 2 || msgs.Messages[1].ID != "9c5b9d42-e552-49c9-a245-491e70d28866" || msgs.Messages[0].ReplyOfMsgID != msgs.Messages[1].ID {
		t.Errorf("docs testing group messages: %+v", msgs.Messages)
	}
}
