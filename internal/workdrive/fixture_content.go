package workdrive

import (
	"context"
	"database/sql"
	"strings"

	"github.com/standin-dev/standin/internal/ids"
)

// fixtureRefs resolves the references of one seed document's content and
// collaboration: users and files are checked once each, times read
// relative to now, categories created when missing.
type fixtureRefs struct {
	ctx              context.Context
	tx               *sql.Tx
	ns, org, adminID string
	now, at          int64
	users, files     map[string]bool
	categories       map[int]map[string]bool // module -> lower-case names; nil until needed
}

func newFixtureRefs(ctx context.Context, tx *sql.Tx, ns, org, adminID string, now int64) *fixtureRefs {
	return &fixtureRefs{ctx: ctx, tx: tx, ns: ns, org: org, adminID: adminID, now: now,
		users: map[string]bool{}, files: map[string]bool{}}
}

// user resolves a user reference ("" and "admin" are the OrgAdmin).
func (r *fixtureRefs) user(what, id string) (string, error) {
	if id == "" || id == "admin" {
		return r.adminID, nil
	}
	if r.users[id] {
		return id, nil
	}
	ok, err := exists(r.ctx, r.tx, `SELECT 1 FROM workdrive_users WHERE ns = $1 AND org_id = $2 AND id = $3`, r.ns, r.org, id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fixtureErr("workdrive content: %s %q is not a user of the organization", what, id)
	}
	r.users[id] = true
	return id, nil
}

// userList resolves a list of user references, without repeats.
func (r *fixtureRefs) userList(what string, list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, id := range dedupe(list) {
		u, err := r.user(what, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// fileRefs checks that every non-empty id names a file of the organization.
func (r *fixtureRefs) fileRefs(what string, list ...string) error {
	for _, id := range list {
		if id == "" || r.files[id] {
			continue
		}
		if _, err := fileByID(r.ctx, r.tx, r.ns, r.org, id); err != nil {
			if isNotFound(err) {
				return fixtureErr("workdrive content: %s %q is not a file of the organization", what, id)
			}
			return err
		}
		r.files[id] = true
	}
	return nil
}

// id is an item's id: the given UUID, or a new one.
func (r *fixtureRefs) id(v string) (string, error) {
	if v == "" {
		return ids.UUID(), nil
	}
	if !validUUID(v) {
		return "", fixtureErr("workdrive content: id %q is not a UUID", v)
	}
	return v, nil
}

// item resolves an item's id and the user who made it (who names that
// user in messages: "task author", "message sender").
func (r *fixtureRefs) item(rawID, who, rawUser string) (id, user string, err error) {
	if id, err = r.id(rawID); err != nil {
		return "", "", err
	}
	user, err = r.user(who, rawUser)
	return id, user, err
}

// tick is the next default time: items that name none are created in
// document order, a millisecond apart.
func (r *fixtureRefs) tick() int64 { r.at++; return r.at }

// when reads a fixture time (fixtureTime); "" is the next tick.
func (r *fixtureRefs) when(what, v string) (int64, error) {
	if v == "" {
		return r.tick(), nil
	}
	t, ok := fixtureTime(v, r.now)
	if !ok {
		return 0, fixtureErr("workdrive content: %s %q is neither ISO-8601 nor relative to now (now-7d+2h)", what, v)
	}
	return t, nil
}

// category makes sure the organization has a category of module called
// name. The organization's categories are read once per document.
func (r *fixtureRefs) category(module int, name string, at int64) error {
	lc := strings.ToLower(strings.TrimSpace(name))
	if lc == "" {
		return nil
	}
	if r.categories == nil {
		r.categories = map[int]map[string]bool{}
		rows, err := r.tx.QueryContext(r.ctx, `SELECT module_code, name_lc FROM workdrive_categories
			WHERE ns = $1 AND org_id = $2`, r.ns, r.org)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m int
			var n string
			if err := rows.Scan(&m, &n); err != nil {
				return err
			}
			r.mark(m, n)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if r.categories[module][lc] {
		return nil
	}
	if _, err := ensureCategory(r.ctx, r.tx, r.ns, r.org, module, name, at); err != nil {
		return err
	}
	r.mark(module, lc)
	return nil
}

func (r *fixtureRefs) mark(module int, lc string) {
	if r.categories[module] == nil {
		r.categories[module] = map[string]bool{}
	}
	r.categories[module][lc] = true
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
	p := &post{id: sp.id, orgID: org, kind: sp.kind, userID: sp.author, status: "PUBLISHED", postText: sp.text,
		newsTitle: sp.title, category: sp.category, fileIDs: toJSON(orEmpty(sp.files, true)),
		tags: toJSON(orEmpty(sp.tags, true)), mentions: toJSON(orEmpty(sp.mentions, true)),
		taggedUserIDs: toJSON(orEmpty(sp.tagged, true)), links: toJSON(orEmpty(sp.links, true)),
		commentsCount: sp.comments, reactionsCount: sp.reactions, postedAt: sp.at, updatedAt: sp.at}
	if sp.cover != "" {
		p.coverFileID = sql.NullString{String: sp.cover, Valid: true}
	}
	if sp.place != "" {
		p.location = sql.NullString{String: toJSON(clientJSON{"textAddress": sp.place}), Valid: true}
	}
	perms := publicPermissions()
	p.audience, p.permissions = perms.audience(), perms.json()
	if err := insertPost(ctx, tx, ns, p); err != nil {
		return err
	}
	return setAudience(ctx, tx, ns, p.id, perms, nil)
}

// seedEvent is one seeded event (a weekly series when weekly > 1).
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
		e.repeatConfig = sql.NullString{String: toJSON(clientJSON{"config": clientJSON{
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

// postFixture is a post or news item of a seed document.
type postFixture struct {
	ID, Author, Text, Title, Category, Cover, Place, PostedAt string
	Files, Tags, Mentions, Tagged, Links                      []string
	Comments, Reactions                                       int64
}

// contentFixture is the "content" part of the workdrive section of a seed
// document (docs/fixtures.md). Authors, owners, invitees and mentions are
// user ids ("admin" is the OrgAdmin), files are ids of files of the
// organization; times are fixture times (fixtureTime).
type contentFixture struct {
	Posts  []postFixture `json:"posts"`
	News   []postFixture `json:"news"`
	Events []struct {
		ID, Author, Title, Description, Type, Category, Location, Poster, Start, End, CreatedAt string
		Invitees, Tags                                                                          []string
		Meeting, Virtual                                                                        bool
		Weekly                                                                                  int
	} `json:"events"`
	Videos []struct {
		ID, Author, Title, Description, File, Thumbnail, CreatedAt string
		Source                                                     int
		Meta                                                       clientJSON
	} `json:"videos"`
	Photos []struct {
		ID, Author, Title, Description, File, CreatedAt string
	} `json:"photos"`
	Documents []struct {
		ID, Author, Name, Category, Link, DocURL, File, Expiry, CreatedAt string
		Owners, Tags                                                      []string
		Published                                                         *bool
	} `json:"documents"`
	FAQs []struct {
		ID, Author, Name, Category, CreatedAt string
		Tags, Owners                          []string
		Published                             *bool
		QAs                                   []faqQA `json:"qas"`
	} `json:"faqs"`
}

// count is how many default times the content may take.
func (f *contentFixture) count() int {
	return len(f.Posts) + len(f.News) + 2*len(f.Events) + len(f.Videos) + len(f.Photos) + len(f.Documents) + len(f.FAQs)
}

// loadContentFixture inserts a fixture's content (see contentFixture).
// Items that name no time are created in document order, a millisecond
// apart, ending at now (so that time-cursor lists show them at once).
func loadContentFixture(ctx context.Context, tx *sql.Tx, r *fixtureRefs, f *contentFixture) error {
	r.at = r.now - int64(f.count())
	ns, org := r.ns, r.org
	posts := func(kind string, list []postFixture) error {
		what := strings.ToLower(kindName(kind))
		for _, p := range list {
			postID, author, err := r.item(p.ID, what+" author", p.Author)
			if err != nil {
				return err
			}
			mentions, err := r.userList(what+" mention", p.Mentions)
			if err != nil {
				return err
			}
			tagged, err := r.userList(what+" tagged user", p.Tagged)
			if err != nil {
				return err
			}
			if err := r.fileRefs(what+" file", append([]string{p.Cover}, p.Files...)...); err != nil {
				return err
			}
			at, err := r.when("postedAt", p.PostedAt)
			if err != nil {
				return err
			}
			if kind == kindPost && strings.TrimSpace(p.Text) == "" && len(p.Files) == 0 {
				return fixtureErr("workdrive content: a post needs text or files")
			}
			if kind == kindNews {
				if err := r.category(moduleNews, p.Category, at); err != nil {
					return err
				}
			}
			if err := insertSeedPost(ctx, tx, ns, org, seedPost{id: postID, kind: kind, author: author, text: p.Text,
				title: p.Title, category: strings.TrimSpace(p.Category), cover: p.Cover, files: p.Files, tags: p.Tags,
				mentions: mentions, tagged: tagged, links: p.Links, place: p.Place, comments: p.Comments,
				reactions: p.Reactions, at: at}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := posts(kindPost, f.Posts); err != nil {
		return err
	}
	if err := posts(kindNews, f.News); err != nil {
		return err
	}
	for _, e := range f.Events {
		eventID, author, err := r.item(e.ID, "event author", e.Author)
		if err != nil {
			return err
		}
		invitees, err := r.userList("event invitee", e.Invitees)
		if err != nil {
			return err
		}
		if err := r.fileRefs("event poster", e.Poster); err != nil {
			return err
		}
		typ := "EVENT"
		if e.Type != "" {
			var ok bool
			if typ, ok = parseEventType(e.Type); !ok {
				return fixtureErr("workdrive content: event type %q is not one of POST, LIVESTREAM, EVENT, FAQ, COURSE", e.Type)
			}
		}
		if e.Title == "" || e.Start == "" {
			return fixtureErr("workdrive content: an event needs a title and a start")
		}
		start, err := r.when("start", e.Start)
		if err != nil {
			return err
		}
		end := start + 3600*1000
		if e.End != "" {
			if end, err = r.when("end", e.End); err != nil {
				return err
			}
		}
		if end < start {
			return fixtureErr("workdrive content: event %q ends before it starts", e.Title)
		}
		if err := r.category(moduleEvent, e.Category, start); err != nil {
			return err
		}
		created, err := r.when("createdAt", e.CreatedAt)
		if err != nil {
			return err
		}
		if err := insertSeedEvent(ctx, tx, ns, org, seedEvent{id: eventID, author: author, title: e.Title, description: e.Description,
			typ: typ, category: strings.TrimSpace(e.Category), location: e.Location, poster: e.Poster, invitees: invitees,
			tags: e.Tags, start: start, end: end, created: created, meeting: e.Meeting, virtual: e.Virtual,
			weekly: min(e.Weekly, 52)}); err != nil {
			return err
		}
	}
	pub := publicPermissions()
	for _, v := range f.Videos {
		videoID, author, err := r.item(v.ID, "video author", v.Author)
		if err != nil {
			return err
		}
		if err := r.fileRefs("video file", v.File, v.Thumbnail); err != nil {
			return err
		}
		if v.File == "" && len(v.Meta) == 0 {
			return fixtureErr("workdrive content: a video needs a file or meta (external media)")
		}
		at, err := r.when("createdAt", v.CreatedAt)
		if err != nil {
			return err
		}
		meta := v.Meta
		if meta == nil {
			meta = clientJSON{}
		}
		source := v.Source
		if source == 0 {
			source = sourceCustom
			if v.File == "" {
				source = sourceFromMeta(meta)
			}
		}
		if err := insertVideo(ctx, tx, ns, &video{id: videoID, orgID: org, createdBy: author, updatedBy: author,
			title: v.Title, description: v.Description, source: source,
			videoFileID:     sql.NullString{String: v.File, Valid: v.File != ""},
			thumbnailFileID: sql.NullString{String: v.Thumbnail, Valid: v.Thumbnail != ""},
			meta:            toJSON(meta), audience: pub.audience(), permissions: pub.json(), createdAt: at, updatedAt: at}); err != nil {
			return err
		}
	}
	for _, p := range f.Photos {
		photoID, author, err := r.item(p.ID, "photo author", p.Author)
		if err != nil {
			return err
		}
		if p.File == "" {
			return fixtureErr("workdrive content: a photo needs a file")
		}
		if err := r.fileRefs("photo file", p.File); err != nil {
			return err
		}
		at, err := r.when("createdAt", p.CreatedAt)
		if err != nil {
			return err
		}
		if err := insertPhoto(ctx, tx, ns, &photo{id: photoID, orgID: org, createdBy: author, updatedBy: author,
			title: p.Title, description: p.Description, fileID: p.File, audience: pub.audience(), permissions: pub.json(),
			createdAt: at, updatedAt: at}); err != nil {
			return err
		}
	}
	// ownedItem resolves an item's id, author and owners: the author when
	// none.
	ownedItem := func(what, rawID, rawAuthor string, list []string) (id, author string, owners []string, err error) {
		if id, author, err = r.item(rawID, what+" author", rawAuthor); err != nil {
			return "", "", nil, err
		}
		owners, err = r.userList(what+" owner", list)
		if len(owners) == 0 {
			owners = []string{author}
		}
		return id, author, owners, err
	}
	for _, d := range f.Documents {
		docID, author, owners, err := ownedItem("document", d.ID, d.Author, d.Owners)
		if err != nil {
			return err
		}
		if err := r.fileRefs("document file", d.File); err != nil {
			return err
		}
		if d.Name == "" || (d.File == "" && d.Link == "" && d.DocURL == "") {
			return fixtureErr("workdrive content: a document needs a name and a file or a link")
		}
		at, err := r.when("createdAt", d.CreatedAt)
		if err != nil {
			return err
		}
		var expiry sql.NullInt64
		if d.Expiry != "" {
			if expiry.Int64, err = r.when("expiry", d.Expiry); err != nil {
				return err
			}
			expiry.Valid = true
		}
		if err := r.category(moduleDocument, d.Category, at); err != nil {
			return err
		}
		doc := &document{id: docID, orgID: org, createdBy: author, updatedBy: author, name: d.Name,
			category: strings.TrimSpace(d.Category), tags: toJSON(orEmpty(d.Tags, true)), link: d.Link, docURL: d.DocURL,
			expiry: expiry, docFileID: sql.NullString{String: d.File, Valid: d.File != ""},
			isPublished: d.Published == nil || *d.Published,
			audience:    pub.audience(), permissions: pub.json(), createdAt: at, updatedAt: at}
		if err := insertDocument(ctx, tx, ns, doc, owners); err != nil {
			return err
		}
	}
	for _, q := range f.FAQs {
		kbID, author, owners, err := ownedItem("FAQ", q.ID, q.Author, q.Owners)
		if err != nil {
			return err
		}
		if len(q.QAs) == 0 {
			return fixtureErr("workdrive content: an FAQ needs at least one question and answer")
		}
		for _, qa := range q.QAs {
			if qa.Question == "" || qa.Answer == "" {
				return fixtureErr("workdrive content: every FAQ question needs an answer")
			}
		}
		at, err := r.when("createdAt", q.CreatedAt)
		if err != nil {
			return err
		}
		if err := r.category(moduleFAQ, q.Category, at); err != nil {
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
