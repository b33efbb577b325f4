package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// Posts and news share one table and one set of handlers: a news item is
// a post without postText, plus newsTitle, category and coverImage.
const (
	kindPost = "post"
	kindNews = "news"
)

// post is a row of workdrive_posts.
type post struct {
	id, orgID, kind, userID, status, postText, newsTitle, category string
	coverFileID                                                    sql.NullString
	fileIDs, tags, mentions, taggedUserIDs, gif, links             string
	location                                                       sql.NullString
	audience, permissions                                          string
	commentsCount, reactionsCount, postedAt, updatedAt             int64
}

const postColumns = `id, org_id, kind, user_id, status, post_text, news_title, category, cover_file_id,
	file_ids, tags, mentions, tagged_user_ids, gif, links, location, audience, permissions,
	comments_count, reactions_count, posted_at, updated_at`

func scanPost(row store.Scanner) (*post, error) {
	var p post
	err := row.Scan(&p.id, &p.orgID, &p.kind, &p.userID, &p.status, &p.postText, &p.newsTitle, &p.category,
		&p.coverFileID, &p.fileIDs, &p.tags, &p.mentions, &p.taggedUserIDs, &p.gif, &p.links, &p.location,
		&p.audience, &p.permissions, &p.commentsCount, &p.reactionsCount, &p.postedAt, &p.updatedAt)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func insertPost(ctx context.Context, q store.Querier, ns string, p *post) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_posts (ns, `+postColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		ns, p.id, p.orgID, p.kind, p.userID, p.status, p.postText, p.newsTitle, p.category, p.coverFileID,
		p.fileIDs, p.tags, p.mentions, p.taggedUserIDs, p.gif, p.links, p.location, p.audience, p.permissions,
		p.commentsCount, p.reactionsCount, p.postedAt, p.updatedAt)
	return err
}

func updatePostRow(ctx context.Context, q store.Querier, ns string, p *post) error {
	_, err := q.ExecContext(ctx, `UPDATE workdrive_posts SET status = $3, post_text = $4, news_title = $5,
		category = $6, cover_file_id = $7, file_ids = $8, tags = $9, mentions = $10, tagged_user_ids = $11,
		gif = $12, links = $13, location = $14, audience = $15, permissions = $16, updated_at = $17
		WHERE ns = $1 AND id = $2`,
		ns, p.id, p.status, p.postText, p.newsTitle, p.category, p.coverFileID, p.fileIDs, p.tags, p.mentions,
		p.taggedUserIDs, p.gif, p.links, p.location, p.audience, p.permissions, p.updatedAt)
	return err
}

func kindName(kind string) string {
	if kind == kindNews {
		return "News"
	}
	return "Post"
}

// applyPostBody sets the fields present in b on p and validates them. On
// create every field is optional but the post rule: a post needs postText
// or media (fileIds or a gif).
func (s *Service) applyPostBody(ctx context.Context, tx *sql.Tx, c *caller, p *post, b *httpx.Body, creating bool) error {
	if v, ok := b.String("status"); ok || creating {
		v = strings.ToUpper(strings.TrimSpace(v))
		if v == "" {
			v = "PUBLISHED"
		}
		if v != "PUBLISHED" {
			return httpx.BadRequest("status must be one of PUBLISHED")
		}
		p.status = v
	}
	if p.kind == kindPost {
		setString(b, "postText", &p.postText)
	}
	if v, ok := b.Strings("tags"); ok || b.Null("tags") {
		p.tags = toJSON(orEmpty(v, ok))
	}
	if v, ok, err := refList(ctx, tx, c, b, "user", "mention"); err != nil {
		return err
	} else if ok {
		p.mentions = v
	}
	if v, ok, err := refList(ctx, tx, c, b, "user", "taggedUserIds"); err != nil {
		return err
	} else if ok {
		p.taggedUserIDs = v
	}
	if v, ok, err := refList(ctx, tx, c, b, "file", "fileIds"); err != nil {
		return err
	} else if ok {
		p.fileIDs = v
	}
	setString(b, "gif", &p.gif)
	if v, ok := b.Strings("links"); ok || b.Null("links") {
		p.links = toJSON(orEmpty(v, ok))
	}
	if b.Has("location") {
		loc, err := readLocation(b)
		if err != nil {
			return err
		}
		p.location = loc
	}
	if p.kind == kindNews {
		setString(b, "newsTitle", &p.newsTitle)
		if v, ok := b.String("category"); ok || b.Null("category") {
			if _, err := ensureCategory(ctx, tx, c.ns.ID, c.orgID, moduleNews, v, c.nowMS()); err != nil {
				return err
			}
			p.category = strings.TrimSpace(v)
		}
		if v, ok := b.String("coverImage"); ok || b.Null("coverImage") {
			p.coverFileID = sql.NullString{}
			if v != "" {
				if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "file", "coverImage", []string{v}); err != nil {
					return err
				}
				p.coverFileID = sql.NullString{String: v, Valid: true}
			}
		}
	}
	if perms := readPermissions(b, "permissions"); perms != nil {
		if err := perms.check(ctx, tx, c, "permissions"); err != nil {
			return err
		}
		p.permissions, p.audience = perms.json(), perms.audience()
	}
	if err := b.Err(); err != nil {
		return err
	}
	if p.kind == kindPost && strings.TrimSpace(p.postText) == "" && len(jsonStrings(p.fileIDs)) == 0 && p.gif == "" {
		return httpx.BadRequest("Any media or postText is required to create a Post")
	}
	return nil
}

// readLocation reads the location object {textAddress, coordinates}; a
// bare string is its textAddress, null clears it.
func readLocation(b *httpx.Body) (sql.NullString, error) {
	raw := b.Raw("location")
	if raw == nil {
		return sql.NullString{}, nil
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return sql.NullString{String: toJSON(clientJSON{"textAddress": text}), Valid: true}, nil
	}
	if raw[0] != '{' {
		return sql.NullString{}, httpx.BadRequest("location must be an object {textAddress, coordinates}")
	}
	o, _ := b.Object("location")
	out := clientJSON{"textAddress": o.Str("textAddress")}
	if c := o.Raw("coordinates"); c != nil {
		out["coordinates"] = json.RawMessage(c)
	}
	if err := o.Err(); err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: toJSON(out), Valid: true}, nil
}

// createPost serves POST /api/posts and POST /api/news.
func (s *Service) createPost(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		b, err := readBody(w, r)
		if err != nil {
			return err
		}
		now := c.nowMS()
		p := &post{id: ids.UUID(), orgID: c.orgID, kind: kind, userID: c.id, fileIDs: "[]", tags: "[]",
			mentions: "[]", taggedUserIDs: "[]", links: "[]", postedAt: now, updatedAt: now}
		perms := publicPermissions()
		p.permissions, p.audience = perms.json(), perms.audience()
		return postKinds[kind].create(s, w, r, c, func(ctx context.Context, tx *sql.Tx) (*post, error) {
			if err := s.applyPostBody(ctx, tx, c, p, b, true); err != nil {
				return nil, err
			}
			if err := insertPost(ctx, tx, c.ns.ID, p); err != nil {
				return nil, err
			}
			return p, addAudience(ctx, tx, c.ns.ID, p.id, decodePermissions(p.permissions), nil)
		})
	}
}

// updatePost serves PATCH /api/posts/{id} and PATCH /api/news/{id}.
func (s *Service) updatePost(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		return postKinds[kind].patch(s, w, r, c, func(ctx context.Context, tx *sql.Tx, p *post, b *httpx.Body) error {
			if err := s.applyPostBody(ctx, tx, c, p, b, false); err != nil {
				return err
			}
			p.updatedAt = c.nowMS()
			if err := updatePostRow(ctx, tx, c.ns.ID, p); err != nil {
				return err
			}
			return resetAudience(ctx, tx, c.ns.ID, b, p.id, p.permissions)
		})
	}
}

// deletePost serves DELETE /api/posts/{id} and DELETE /api/news/{id}.
func (s *Service) deletePost(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		return postKinds[kind].delete(s, w, r, c, r.PathValue("id"))
	}
}

// postSorts maps sort_key to the feed order: a Recent, b Most Reacted,
// c Most Commented (ties newest first).
var postSorts = map[string]string{
	"a": `x.posted_at DESC, x.id DESC`,
	"b": `x.reactions_count DESC, x.posted_at DESC, x.id DESC`,
	"c": `x.comments_count DESC, x.posted_at DESC, x.id DESC`,
}

// listPosts is the time-cursor feed: items posted at or before `time`
// (default now), per_page at a time; a client walks cur_page with the
// same time and sees a stable snapshot.
func (s *Service) listPosts(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		p, err := parsePage(r, c.nowMS())
		if err != nil {
			return err
		}
		key := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("sort_key")))
		if key == "" {
			key = "a"
		}
		order, ok := postSorts[key]
		if !ok {
			return httpx.BadRequest("sort_key must be one of a, b, c")
		}
		var a store.Args
		where := c.inOrg(&a, "x") + ` AND x.kind = ` + a.Add(kind) +
			` AND x.posted_at <= ` + a.Add(p.Time) + ` AND ` + visibleSQL(&a, "x", "user_id", c.id)
		list, total, err := listPage(r.Context(), s.db, "workdrive_posts", postColumns, where, order, a, p, scanPost)
		if err != nil {
			return err
		}
		sum := newSummaries(r.Context(), s.db, c.ns)
		var people [][]string
		for _, it := range list {
			people = append(people, []string{it.userID}, jsonStrings(it.mentions), jsonStrings(it.taggedUserIDs))
		}
		if err := sum.prefetch(people...); err != nil {
			return err
		}
		var files []string
		for _, it := range list {
			if fids := jsonStrings(it.fileIDs); len(fids) > 0 {
				files = append(files, fids[0])
			}
			files = append(files, it.coverFileID.String)
		}
		if err := sum.prefetchFiles(c.orgID, files); err != nil {
			return err
		}
		out, err := renderAll(sum, list, renderPost)
		if err != nil {
			return err
		}
		page := struct {
			Meta  pageMeta   `json:"meta"`
			News  []*postOut `json:"news,omitzero"`
			Posts []*postOut `json:"posts,omitzero"`
		}{Meta: p.Meta(total)}
		if kind == kindNews {
			page.News = out
		} else {
			page.Posts = out
		}
		return okJSON(w, page)
	}
}

// postOut is the Post object; News adds newsTitle, category and
// coverImage and has no postText.
type postOut struct {
	Category      *string            `json:"category,omitempty"`
	CommentsCount int64              `json:"commentsCount"`
	CoverImage    any                `json:"coverImage,omitempty"`
	Files         *fileOut           `json:"files"`
	GIF           string             `json:"gif"`
	ID            string             `json:"id"`
	LinkPreviews  *linkPreviewOut    `json:"linkPreviews"`
	Links         []string           `json:"links"`
	Location      any                `json:"location"`
	Mentions      []*userSummaryJSON `json:"mentions"`
	NewsTitle     *string            `json:"newsTitle,omitempty"`
	PostText      *string            `json:"postText,omitempty"`
	PostedAt      string             `json:"postedAt"`
	ReactionUsers []string           `json:"reactionUsers"`
	Reactions     []string           `json:"reactions"`
	TaggedUsers   []*userSummaryJSON `json:"taggedUsers"`
	Tags          []string           `json:"tags"`
	User          *userSummaryJSON   `json:"user"`
}

// linkPreviewOut is the preview of a post's first link.
type linkPreviewOut struct {
	Description string `json:"description"`
	Image       string `json:"image"`
	Link        string `json:"link"`
	Title       string `json:"title"`
}

// renderPost is the Post (or News) object. files is the first attached
// file as one object, as the doc shows; reactions are not modelled by this
// API's endpoints and stay empty.
func renderPost(sum *summaries, p *post) (*postOut, error) {
	if err := sum.prefetch([]string{p.userID}, jsonStrings(p.mentions), jsonStrings(p.taggedUserIDs)); err != nil {
		return nil, err
	}
	author, err := sum.one(p.userID)
	if err != nil {
		return nil, err
	}
	var files *fileOut
	if fids := jsonStrings(p.fileIDs); len(fids) > 0 {
		if files, err = sum.file(p.orgID, fids[0]); err != nil {
			return nil, err
		}
	}
	mentions, err := sum.list(jsonStrings(p.mentions))
	if err != nil {
		return nil, err
	}
	tagged, err := sum.list(jsonStrings(p.taggedUserIDs))
	if err != nil {
		return nil, err
	}
	links := jsonStrings(p.links)
	var location any
	if p.location.Valid {
		location = jsonObject(p.location.String)
	}
	out := &postOut{
		ID: p.id, PostedAt: isoTime(p.postedAt), CommentsCount: p.commentsCount, User: author,
		Files: files, LinkPreviews: linkPreview(links), Tags: jsonStrings(p.tags),
		Reactions: []string{}, Mentions: mentions, TaggedUsers: tagged, GIF: p.gif, Links: links,
		ReactionUsers: []string{}, Location: location,
	}
	if p.kind == kindPost {
		out.PostText = &p.postText
		return out, nil
	}
	cover, err := sum.file(p.orgID, p.coverFileID.String)
	if err != nil {
		return nil, err
	}
	out.NewsTitle, out.Category, out.CoverImage = &p.newsTitle, &p.category, cover
	return out, nil
}

// linkPreview previews the first link: standin fetches nothing, so the
// title is the link's host.
func linkPreview(links []string) *linkPreviewOut {
	if len(links) == 0 {
		return nil
	}
	title := links[0]
	if u, err := url.Parse(links[0]); err == nil && u.Host != "" {
		title = u.Host
	}
	return &linkPreviewOut{Title: title, Link: links[0]}
}
