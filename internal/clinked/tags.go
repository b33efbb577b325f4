package clinked

import (
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// listMemberTags serves GET /v3/accounts/{account}/member-tags: the
// account's tag names; with summary (any value but "false") the paginated
// {name, members} summary instead.
func (s *Service) listMemberTags(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	p := r.URL.Query()
	if _, summary := p["summary"]; summary && !strings.EqualFold(p.Get("summary"), "false") {
		return s.tagSummary(w, r, c, a)
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT DISTINCT tag FROM clinked_member_tags
		WHERE ns = $1 AND account_id = $2 ORDER BY tag`, c.ns.ID, a.id)
	out, err := store.Collect(rows, err, scanString)
	return reply(w, out, err)
}

type tagSummaryJSON struct {
	Name    string `json:"name"`
	Members int64  `json:"members"`
}

// tagOrder sorts the tag summary: by name (default) or member count.
var tagOrder = orderSpec{columns: map[string]string{"name": "tag", "members": "members"}, def: "name", tiebreak: "tag"}

// tagSummary serves GET /v3/accounts/{account}/member-tags?summary.
func (s *Service) tagSummary(w http.ResponseWriter, r *http.Request, c *caller, a *account) error {
	p := r.URL.Query()
	lq, err := parseList(p, 20, tagOrder)
	if err != nil {
		return err
	}
	var args store.Args
	where := `ns = ` + args.Add(c.ns.ID) + ` AND account_id = ` + args.Add(a.id)
	where += matchName(p, &args, "lower(tag)")
	total, err := s.count(r.Context(), `SELECT count(DISTINCT tag) FROM clinked_member_tags WHERE `+where, args)
	if err != nil {
		return err
	}
	tail, targs := lq.orderAndLimit(args)
	rows, err := s.db.QueryContext(r.Context(), `SELECT tag, count(*) AS members FROM clinked_member_tags
		WHERE `+where+` GROUP BY tag`+tail, targs...)
	items, err := store.Collect(rows, err, func(row store.Scanner) (tagSummaryJSON, error) {
		var t tagSummaryJSON
		err := row.Scan(&t.Name, &t.Members)
		return t, err
	})
	if err != nil {
		return err
	}
	return writePage(w, items, lq, total)
}

// tagMembers serves GET /v3/accounts/{account}/member-tags/{tags}: for each
// comma-separated tag, the members carrying it (BaseUser, by name); a tag
// nobody has maps to [].
func (s *Service) tagMembers(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	out := map[string][]baseUserJSON{}
	for _, tag := range strings.Split(r.PathValue("tags"), ",") {
		tag = strings.TrimSpace(tag)
		if tag == "" {
			continue
		}
		if _, seen := out[tag]; seen {
			continue
		}
		rows, err := s.db.QueryContext(r.Context(), `SELECT `+userColumnsAs("u")+` FROM clinked_member_tags t
			JOIN clinked_users u ON u.ns = t.ns AND u.id = t.user_id
			WHERE t.ns = $1 AND t.account_id = $2 AND t.tag = $3 ORDER BY lower(u.name), u.id`, c.ns.ID, a.id, tag)
		users, err := store.Collect(rows, err, func(row store.Scanner) (baseUserJSON, error) {
			u, err := scanUser(row)
			if err != nil {
				return baseUserJSON{}, err
			}
			return u.base(), nil
		})
		if err != nil {
			return err
		}
		out[tag] = users
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
