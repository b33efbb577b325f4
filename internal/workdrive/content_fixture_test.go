package workdrive_test

import "testing"

// TestContentFixture loads content through a seed document (YAML) and
// refuses a document whose references do not exist.
func TestContentFixture(t *testing.T) {
	env, ns, admin := adminClient(t, "docs")
	doc := `
workdrive:
  content:
    posts:
      - {id: 0b7f3f3e-8a51-4d0e-9d7a-1f0f7c1b2a01, author: ` + janeID + `, text: "From a fixture", tags: ["#fx"], mentions: [admin]}
    news:
      - {title: "Fixture news", category: "Fixture desk", cover: ` + posterFileID + `, postedAt: "2030-01-01T00:00:00Z"}
    events:
      - {title: "Fixture meeting", start: "2031-06-01T09:00:00Z", invitees: [` + johnID + `], meeting: true}
    documents:
      - {name: "Fixture doc", link: "https://fx.example", owners: [` + janeID + `], category: Policies}
    faqs:
      - {name: "Fixture FAQ", category: "IT Support", qas: [{question: "Q?", answer: "A."}], published: false}
`
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", doc, nil).Decode(t, 200, nil)
	var posts postsPage
	admin.must(200, "GET", "/api/posts?per_page=1", nil, &posts)
	if p := posts.Posts[0]; p.ID != "0b7f3f3e-8a51-4d0e-9d7a-1f0f7c1b2a01" || p.User.ID != janeID || len(p.Mentions) != 1 {
		t.Fatalf("fixture post %+v", posts.Posts)
	}
	var news postsPage
	admin.must(200, "GET", "/api/news?per_page=1&time=2031-01-01T00:00:00Z", nil, &news)
	if n := news.News[0]; n.NewsTitle != "Fixture news" || n.CoverImage == nil {
		t.Fatalf("fixture news %+v", news.News)
	}
	var events eventsPage
	admin.must(200, "GET", "/api/events?onlyMeeting=true&include_recent_rsvps=true&fromDate=2031-06-01", nil, &events)
	if len(events.Events) != 1 || len(events.Events[0].RsvpUsers) != 2 || events.Events[0].Livestream == nil {
		t.Fatalf("fixture event %+v", events.Events)
	}
	var docs struct{ Docs []documentOut }
	admin.must(200, "GET", "/api/documents?category=Policies", nil, &docs)
	if len(docs.Docs) != 1 || docs.Docs[0].Owners[0].ID != janeID {
		t.Fatalf("fixture document %+v", docs)
	}
	var faqs struct{ Data []faqRow }
	admin.must(200, "GET", "/api/faqs?category=IT+Support", nil, &faqs)
	if len(faqs.Data) != 1 || faqs.Data[0].Question != "Q?" {
		t.Fatalf("fixture FAQ %+v", faqs)
	}
	// A reset replays the fixture.
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/reset", nil, nil).Decode(t, 200, nil)
	admin.must(200, "GET", "/api/faqs?category=IT+Support", nil, &faqs)
	if len(faqs.Data) != 1 {
		t.Fatalf("after reset: %+v", faqs)
	}

	for _, bad := range []string{
		"workdrive: {content: {posts: [{text: x, author: 7d2c2c5e-0000-4000-8000-000000000000}]}}",
		"workdrive: {content: {posts: [{text: x, files: [" + janeID + "]}]}}",
		"workdrive: {content: {events: [{title: x}]}}",
		"workdrive: {content: {faqs: [{name: x, qas: []}]}}",
		"workdrive: {content: {documents: [{name: x, link: l, id: not-a-uuid}]}}",
		"workdrive: {content: {courses: []}}", // an unknown field (videos became part of the format)
	} {
		res := env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns.ID+"/seed", bad, nil)
		if res.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
