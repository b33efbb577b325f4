package clinked

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// groupJSON is the Group object of create, list, get, update and
// duplicate, and (without memberDetails) the group embedded in members and
// invites. Keys follow the examples' order.
type groupJSON struct {
	ID                         int64               `json:"id"`
	Name                       string              `json:"name"`
	FriendlyName               string              `json:"friendlyName"`
	ContextKey                 contextKeyJSON      `json:"contextKey"`
	Members                    int64               `json:"members"`
	StorageConsumed            int64               `json:"storageConsumed"`
	Blind                      bool                `json:"blind"`
	DisableChat                bool                `json:"disableChat"`
	DisableComments            bool                `json:"disableComments"`
	DisableEmailComments       bool                `json:"disableEmailComments"`
	HideMemberDetails          bool                `json:"hideMemberDetails"`
	DateCreated                int64               `json:"dateCreated"`
	LastModified               int64               `json:"lastModified"`
	Owner                      *baseUserJSON       `json:"owner"`
	MailKey                    *string             `json:"mailKey"`
	Hash                       *string             `json:"hash"`
	Branding                   json.RawMessage     `json:"branding"`
	MemberDetails              *[]memberDetailJSON `json:"memberDetails,omitempty"`
	Components                 json.RawMessage     `json:"components"`
	Master                     *int64              `json:"master"`
	MasterConfigured           bool                `json:"masterConfigured"`
	MasterConfiguration        json.RawMessage     `json:"masterConfiguration"`
	SubgroupCount              int64               `json:"subgroupCount"`
	Labels                     []labelJSON         `json:"labels"`
	Removed                    bool                `json:"removed"`
	NotificationsConfiguration json.RawMessage     `json:"notificationsConfiguration,omitempty"`
	WatermarkConfiguration     json.RawMessage     `json:"watermarkConfiguration"`
}

// memberDetailJSON is one entry of a group's memberDetails.
type memberDetailJSON struct {
	User           baseUserJSON `json:"user"`
	Permission     int64        `json:"permission"`
	DateCreated    int64        `json:"dateCreated"`
	ExpirationDate *int64       `json:"expirationDate"`
	Group          groupRefJSON `json:"group"`
}

// maxMemberDetails caps memberDetails: the group object embeds its members,
// and a group of thousands must not make every group response that large.
// members always carries the true count.
const maxMemberDetails = 100

// activeMembership is the SQL condition of a membership that has not
// expired; the caller adds now as the argument.
func activeMembership(alias, nowArg string) string {
	return "(" + alias + ".expiration_date IS NULL OR " + alias + ".expiration_date > " + nowArg + ")"
}

// groupViews renders groups for one response, loading each owner once.
type groupViews struct {
	q       store.Querier
	ns      string
	now     int64
	details bool // include memberDetails
	owners  *userCache
}

func newGroupViews(q store.Querier, ns string, now int64, details bool) *groupViews {
	return &groupViews{q: q, ns: ns, now: now, details: details, owners: newUserCache(q, ns)}
}

// view renders g.
func (v *groupViews) view(ctx context.Context, g *group) (*groupJSON, error) {
	owner, err := v.owners.optional(ctx, g.ownerID)
	if err != nil {
		return nil, err
	}
	out := &groupJSON{
		ID: g.id, Name: g.name, FriendlyName: g.friendlyName, ContextKey: contextKeyJSON{g.contextKey},
		StorageConsumed: g.storageConsumed, Blind: g.blind, DisableChat: g.disableChat,
		DisableComments: g.disableComments, DisableEmailComments: g.disableEmailComments,
		HideMemberDetails: g.hideMemberDetails, DateCreated: g.dateCreated, LastModified: g.lastModified,
		Owner: owner, Branding: rawJSON(g.branding, defaultBranding),
		Components: rawJSON(g.components, "[]"), Master: num(g.master),
		MasterConfigured: g.masterConfigured, MasterConfiguration: json.RawMessage("null"),
		Removed: g.removed, WatermarkConfiguration: rawJSON(g.watermark, defaultWatermark),
	}
	if n := notificationsOf(g); n != nil {
		out.NotificationsConfiguration = n
	}
	if err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_group_members m
		WHERE m.ns = $1 AND m.group_id = $2 AND `+activeMembership("m", "$3"), v.ns, g.id, v.now).
		Scan(&out.Members); err != nil {
		return nil, err
	}
	if err := v.q.QueryRowContext(ctx, `SELECT count(*) FROM clinked_groups
		WHERE ns = $1 AND master = $2 AND NOT removed`, v.ns, g.id).Scan(&out.SubgroupCount); err != nil {
		return nil, err
	}
	labels, err := groupLabels(ctx, v.q, v.ns, g.id)
	if err != nil {
		return nil, err
	}
	out.Labels = labels
	if v.details {
		d, err := v.memberDetails(ctx, g)
		if err != nil {
			return nil, err
		}
		out.MemberDetails = &d
	}
	return out, nil
}

func (v *groupViews) memberDetails(ctx context.Context, g *group) ([]memberDetailJSON, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT m.permission, m.date_created, m.expiration_date, `+
		userColumnsAs("u")+` FROM clinked_group_members m
		JOIN clinked_users u ON u.ns = m.ns AND u.id = m.user_id
		WHERE m.ns = $1 AND m.group_id = $2 AND `+activeMembership("m", "$3")+`
		ORDER BY m.date_created, m.user_id LIMIT $4`, v.ns, g.id, v.now, maxMemberDetails)
	return store.Collect(rows, err, func(row store.Scanner) (memberDetailJSON, error) {
		var (
			u   user
			d   memberDetailJSON
			exp sql.NullInt64
		)
		err := row.Scan(append([]any{&d.Permission, &d.DateCreated, &exp}, u.dest()...)...)
		d.User, d.ExpirationDate, d.Group = u.base(), num(exp), g.ref()
		return d, err
	})
}

// ---- group settings stored as JSON ----

// componentNames are the group components that Clinked knows (and export
// takes).
var componentNames = map[string]bool{"files": true, "discussions": true, "tasks": true, "pages": true, "events": true}

type componentJSON struct {
	Name          string          `json:"name"`
	Order         int64           `json:"order"`
	Configuration json.RawMessage `json:"configuration"`
}

// parseComponents validates the components array of b against the five
// names and the account's subscription, and returns it as stored: sorted by
// order. Bad entries are recorded on b.
func parseComponents(b *httpx.Body, allowed []string) string {
	if raw := bytes.TrimSpace(b.Raw("components")); len(raw) > 0 && raw[0] != '[' {
		b.Fail("components", "an array of {name, order, configuration}")
		return ""
	}
	in, _ := b.Objects("components")
	seen := map[string]bool{}
	out := make([]componentJSON, 0, len(in))
	for i, c := range in {
		name := c.Str("name")
		switch {
		case !componentNames[name]:
			c.Fail("name", "one of files, discussions, tasks, pages, events")
		case !slices.Contains(allowed, name):
			c.Fail("name", "a component that the account's subscription includes")
		case seen[name]:
			c.Fail("name", "unique within components")
		}
		seen[name] = true
		order := int64(i)
		if n, ok := intField(c, "order"); ok {
			order = n
		}
		conf := json.RawMessage("{}")
		if _, ok := c.Object("configuration"); ok {
			conf = c.Raw("configuration")
		}
		out = append(out, componentJSON{Name: name, Order: order, Configuration: conf})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return jsonText(out)
}

// componentsOf returns the names of a group's enabled components.
func componentsOf(g *group) []string {
	var cs []componentJSON
	_ = json.Unmarshal([]byte(g.components), &cs)
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// watermarkJSON is watermarkConfiguration.
type watermarkJSON struct {
	EnableWatermark           bool    `json:"enableWatermark"`
	EnableWatermarkIP         bool    `json:"enableWatermarkIp"`
	EnableWatermarkEmail      bool    `json:"enableWatermarkEmail"`
	EnableWatermarkTimestamp  bool    `json:"enableWatermarkTimestamp"`
	EnableWatermarkCustomText bool    `json:"enableWatermarkCustomText"`
	WatermarkCustomText       *string `json:"watermarkCustomText"`
	WatermarkStyle            *string `json:"watermarkStyle"`
	TransparentWatermark      *bool   `json:"transparentWatermark"`
}

// mergeWatermark applies the keys present in b's watermarkConfiguration
// to the stored configuration (a partial update, as PATCH is everywhere in
// Clinked). Bad keys are recorded on b.
func mergeWatermark(stored string, b *httpx.Body) string {
	var w watermarkJSON
	_ = json.Unmarshal([]byte(rawJSON(stored, defaultWatermark)), &w)
	in, ok := b.Object("watermarkConfiguration")
	if !ok {
		return stored
	}
	for k, dst := range map[string]*bool{
		"enableWatermark": &w.EnableWatermark, "enableWatermarkIp": &w.EnableWatermarkIP,
		"enableWatermarkEmail": &w.EnableWatermarkEmail, "enableWatermarkTimestamp": &w.EnableWatermarkTimestamp,
		"enableWatermarkCustomText": &w.EnableWatermarkCustomText,
	} {
		if v, ok := boolField(in, k); ok {
			*dst = v
		}
	}
	for k, dst := range map[string]**string{"watermarkCustomText": &w.WatermarkCustomText, "watermarkStyle": &w.WatermarkStyle} {
		if in.Has(k) {
			*dst = optString(in, k)
		}
	}
	if in.Has("transparentWatermark") {
		w.TransparentWatermark = nil
		if v, ok := boolField(in, "transparentWatermark"); ok {
			w.TransparentWatermark = &v
		}
	}
	return jsonText(w)
}

// optString is a string field as a pointer: nil when null or absent.
func optString(b *httpx.Body, k string) *string {
	if v, ok := b.String(k); ok {
		return &v
	}
	return nil
}

// notificationsJSON is notificationsConfiguration, kept in the group's
// settings column.
type notificationsJSON struct {
	NewContent           *string `json:"newContent"`
	OverdueTasks         *string `json:"overdueTasks"`
	Following            *string `json:"following"`
	DisableEmailComments bool    `json:"disableEmailComments"`
}

// notificationFrequencies are the values the examples show for newContent,
// overdueTasks and following.
var notificationFrequencies = map[string]bool{"IMMEDIATE": true, "DAILY": true, "WEEKLY": true, "NEVER": true}

func notificationsOf(g *group) json.RawMessage {
	var st map[string]json.RawMessage
	if json.Unmarshal([]byte(g.settings), &st) != nil {
		return nil
	}
	return st["notificationsConfiguration"]
}

// mergeNotifications applies the keys present in b's
// notificationsConfiguration to the group's settings and returns the new
// settings column. Bad keys are recorded on b.
func mergeNotifications(settings string, b *httpx.Body) string {
	in, ok := b.Object("notificationsConfiguration")
	if !ok {
		return settings
	}
	st := map[string]json.RawMessage{}
	_ = json.Unmarshal([]byte(rawJSON(settings, "{}")), &st)
	if st == nil {
		st = map[string]json.RawMessage{}
	}
	var n notificationsJSON
	if cur, ok := st["notificationsConfiguration"]; ok {
		_ = json.Unmarshal(cur, &n)
	}
	for k, dst := range map[string]**string{"newContent": &n.NewContent, "overdueTasks": &n.OverdueTasks, "following": &n.Following} {
		if !in.Has(k) {
			continue
		}
		*dst = optString(in, k)
		if *dst != nil && !notificationFrequencies[**dst] {
			in.Fail(k, "one of IMMEDIATE, DAILY, WEEKLY, NEVER")
		}
	}
	if v, ok := boolField(in, "disableEmailComments"); ok {
		n.DisableEmailComments = v
	}
	st["notificationsConfiguration"] = json.RawMessage(jsonText(n))
	return jsonText(st)
}

// ---- slugs ----

var (
	slugValid = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	slugJunk  = regexp.MustCompile(`[^a-z0-9]+`)
)

// slugify derives a group name from a friendly name, as Clinked does:
// "Explore Clinked" → "explore_clinked".
func slugify(s string) string {
	s = strings.Trim(slugJunk.ReplaceAllString(strings.ToLower(s), "_"), "_")
	if s == "" {
		return "group"
	}
	return s
}
