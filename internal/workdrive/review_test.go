package workdrive_test

import "testing"

// TestHugePageNumber: a cur_page whose offset overflows an int answers an
// empty page, not a 500 (PostgreSQL refuses a negative OFFSET) nor the
// first page (SQLite reads a negative OFFSET as 0).
func TestHugePageNumber(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	for _, path := range []string{"/api/users", "/api/departments", "/api/posts", "/api/tasks"} {
		res := admin.do("GET", path+"?cur_page=9223372036854775807&per_page=10", nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Body)
		}
		var out map[string]any
		res.Decode(t, 200, &out)
		for k, v := range out {
			if l, ok := v.([]any); ok && len(l) != 0 {
				t.Errorf("%s: %s has %d items on an impossible page", path, k, len(l))
			}
		}
	}
}

// TestUpdateUserBadIsDepartmentHead: a non-boolean isDepartmentHead is a
// 400 like every other mistyped field, and the update is not applied.
func TestUpdateUserBadIsDepartmentHead(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	res := admin.do("PATCH", "/api/users/"+janeID, map[string]any{"designation": "Changed", "isDepartmentHead": "perhaps"})
	errorOf(t, res, 400)
	var page struct {
		Users []struct {
			ID          string `json:"id"`
			Designation string `json:"designation"`
		} `json:"users"`
	}
	admin.must(200, "GET", "/api/users?per_page=1000", nil, &page)
	found := false
	for _, u := range page.Users {
		if u.ID == janeID {
			found = true
			if u.Designation == "Changed" {
				t.Fatal("the rejected update was applied")
			}
		}
	}
	if !found {
		t.Fatal("jane is not listed")
	}
}

// TestEventListRSVPCounts: a listed event shows every invitee in going and
// totalParticipants, the caller's own answer, and at most five recent
// invitees with include_recent_rsvps (none without it).
func TestEventListRSVPCounts(t *testing.T) {
	_, _, admin := adminClient(t, "docs")
	var users usersPage
	admin.must(200, "GET", "/api/users?per_page=1000", nil, &users)
	var invitees []string
	for _, u := range users.Users {
		if u.ID != johnID && u.Status == "ACTIVE" && len(invitees) < 7 {
			invitees = append(invitees, u.ID)
		}
	}
	invitees = append(invitees, johnID)
	if len(invitees) < 7 {
		t.Fatalf("only %d users to invite", len(invitees))
	}
	var e eventOut
	admin.must(201, "POST", "/api/events/meeting", map[string]any{
		"title": "All hands", "startDateTime": "2033-05-01T09:00:00.000Z", "userIds": invitees,
	}, &e)
	type listed struct {
		ID         string `json:"id"`
		Going      int    `json:"going"`
		MyRsvp     *string
		RsvpUsers  []struct{ ID string } `json:"rsvpUsers"`
		Livestream *struct {
			Total int `json:"totalParticipants"`
		} `json:"livestream"`
	}
	find := func(c *client, query string) listed {
		t.Helper()
		var page struct{ Events []listed }
		c.must(200, "GET", "/api/events?per_page=1000&fromDate=2033-05-01&toDate=2033-05-01"+query, nil, &page)
		for _, ev := range page.Events {
			if ev.ID == e.ID {
				return ev
			}
		}
		t.Fatalf("event %s not listed", e.ID)
		return listed{}
	}
	ev := find(admin, "&include_recent_rsvps=true")
	if ev.Going != e.Going || ev.Going < 1 || ev.MyRsvp == nil || *ev.MyRsvp != *e.MyRsvp || len(ev.RsvpUsers) != 5 {
		t.Errorf("listed as creator: going %d (created %d), myRsvp %v, %d rsvpUsers", ev.Going, e.Going, ev.MyRsvp, len(ev.RsvpUsers))
	}
	if len(e.RsvpUsers) <= 5 {
		t.Fatalf("the created event shows %d rsvpUsers, want them all", len(e.RsvpUsers))
	}
	for i, u := range ev.RsvpUsers {
		if u.ID != e.RsvpUsers[i].ID {
			t.Errorf("rsvpUsers[%d] = %s, want %s (most recent first)", i, u.ID, e.RsvpUsers[i].ID)
		}
	}
	if ev := find(admin, ""); len(ev.RsvpUsers) != 0 || ev.Going != e.Going {
		t.Errorf("without include_recent_rsvps: %d rsvpUsers, going %d", len(ev.RsvpUsers), ev.Going)
	}
	john := admin.as(tokenFor(t, admin, johnID))
	if ev := find(john, ""); ev.MyRsvp == nil || *ev.MyRsvp == "" || ev.Going != e.Going {
		t.Errorf("listed as an invitee: myRsvp %v, going %d", ev.MyRsvp, ev.Going)
	}
}
