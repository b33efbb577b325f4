package workdrive_test

import (
	"maps"
	"os"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
)

// TestBuiltinSeedsAreSeedDocuments loads the built-in docs and demo seed
// documents (seeds/*.yaml) into an empty namespace through the control
// plane, as a user would load them.
func TestBuiltinSeedsAreSeedDocuments(t *testing.T) {
	env := start(t)
	counts := func(ns *testenv.Namespace) map[string]float64 {
		c := newClient(t, env, ns, ns.Cred("workdrive", "api_key"))
		out := map[string]float64{}
		for _, path := range []string{"/api/users", "/api/departments", "/api/posts", "/api/news", "/api/videos",
			"/api/photos", "/api/documents", "/api/faqs", "/api/tasks", "/api/group-chats"} {
			var page map[string]any
			c.must(200, "GET", path, nil, &page)
			out[path] = page["meta"].(map[string]any)["totalResults"].(float64)
		}
		return out
	}
	for _, seed := range []string{"docs", "demo"} {
		t.Run(seed, func(t *testing.T) {
			doc, err := os.ReadFile("seeds/" + seed + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			ns := env.NewNamespace(t, "empty")
			env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", string(doc), nil).Decode(t, 200, nil)
			got, want := counts(ns), counts(env.NewNamespace(t, seed))
			if !maps.Equal(got, want) {
				t.Fatalf("loaded into an empty namespace: %v; the %s seed: %v", got, seed, want)
			}
		})
	}
}

// TestFixtureFormat loads every section the seeds use from a user's seed
// document, with times relative to now, and refuses bad ones.
func TestFixtureFormat(t *testing.T) {
	env, ns, admin := adminClient(t, "empty")
	doc := `
workdrive:
  organization: {name: Fixture Corp}
  files:
    - {id: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e01, name: clip.mp4, mime: video/mp4, size: 10, createdAt: now-2d}
    - {id: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e02, name: pic.png, mime: image/png, module: GROUP_CHAT}
  users:
    - {id: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10, email: fx@example.com, firstName: Fx}
  catalogs:
    categories: [{module: VIDEO, names: [Fixture clips]}]
  content:
    posts: [{text: hello, tagged: [6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10], links: ["https://x.example"], place: Here,
             reactions: 3, postedAt: now-1h}]
    events: [{title: Weekly, start: tomorrow+9h, end: tomorrow+10h, weekly: 3, virtual: true, createdAt: now-1d}]
    videos: [{title: Clip, file: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e01, createdAt: now-1d}]
    photos: [{title: Pic, file: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e02}]
    documents: [{name: Doc, docUrl: "https://d.example", expiry: "2031-01-01T00:00:00Z"}]
  tasks: [{title: Do it, content: Now, status: publish, assignees: [6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10], createdAt: now-3h}]
  chats:
    - {title: Room, type: CHAT_GROUP, cover: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e02, members: [6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10],
       messages: [{from: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10, text: hi}]}
`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, 200, nil)
	var posts postsPage
	admin.must(200, "GET", "/api/posts", nil, &posts)
	if len(posts.Posts) != 1 || len(posts.Posts[0].TaggedUsers) != 1 || posts.Posts[0].Location == nil {
		t.Fatalf("posts %+v", posts.Posts)
	}
	var events eventsPage
	admin.must(200, "GET", "/api/events?fromDate=2000-01-01", nil, &events)
	if len(events.Events) != 3 {
		t.Fatalf("%d events, want a series of 3", len(events.Events))
	}
	for path, want := range map[string]int{"/api/videos": 1, "/api/photos": 1, "/api/documents": 1, "/api/tasks": 1, "/api/group-chats": 1} {
		var out map[string]any
		admin.must(200, "GET", path, nil, &out)
		if n := out["meta"].(map[string]any)["totalResults"].(float64); int(n) != want {
			t.Errorf("%s: %v items, want %d", path, n, want)
		}
	}
	if !hasCategory(t, admin, 4, "Fixture clips") {
		t.Errorf("the fixture's category is missing")
	}
	for _, bad := range []string{
		"workdrive: {content: {videos: [{title: x}]}}",
		"workdrive: {content: {photos: [{title: x, file: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4eff}]}}",
		"workdrive: {content: {posts: [{text: x, postedAt: now+3weeks}]}}",
		"workdrive: {tasks: [{title: x, status: done}]}",
		"workdrive: {tasks: [{title: x, assignees: [6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e10]}]}",
		"workdrive: {chats: [{type: CHANNEL}]}",
		"workdrive: {catalogs: {categories: [{module: NOPE, names: [x]}]}}",
		"workdrive: {files: [{id: 6a1d8a6e-1d0a-4c3e-9f8e-0a1b2c3d4e03, name: x, mime: text/plain, createdAt: yesterday}]}",
	} {
		if res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", bad, nil); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
