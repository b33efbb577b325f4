package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// eventTypes are the event type names; a number is a 0-based index into
// them, so the doc's "2" is EVENT ("new testing Event").
var eventTypes = []string{"POST", "LIVESTREAM", "EVENT", "FAQ", "COURSE"}

// parseEventType accepts a name (any case) or an index (number or numeric
// string).
func parseEventType(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 0 && n < len(eventTypes) {
			return eventTypes[n], true
		}
		return "", false
	}
	for _, t := range eventTypes {
		if strings.EqualFold(t, s) {
			return t, true
		}
	}
	return "", false
}

func eventTypeIndex(name string) int {
	for i, t := range eventTypes {
		if t == name {
			return i
		}
	}
	return 0
}

// maxOccurrences bounds a recurring series; without an end date a series
// runs for a year.
const maxOccurrences = 100

// event is a row of workdrive_events.
type event struct {
	id, orgID, createdBy, updatedBy, title, description, externalLinks string
	isExternal                                                         bool
	eventSource, conferenceLink, location                              string
	startAt, endAt                                                     int64
	isVirtual                                                          bool
	posterFileID                                                       sql.NullString
	tags, typ, category                                                string
	isMeeting                                                          bool
	externalEmails, videoPreviewIDs                                    string
	duration                                                           int64
	conversationID, livestreamID, repeatID, repeatConfig               sql.NullString
	audience, permissions                                              string
	commentsCount, createdAt, updatedAt                                int64
}

const eventColumns = `id, org_id, created_by, updated_by, title, description, external_links, is_external,
	event_source, conference_link, location, start_at, end_at, is_virtual, poster_file_id, tags, type, category,
	is_meeting, external_emails, video_preview_ids, duration, conversation_id, livestream_id, repeat_id,
	repeat_config, audience, permissions, comments_count, created_at, updated_at`

func scanEvent(row store.Scanner) (*event, error) {
	var e event
	err := row.Scan(&e.id, &e.orgID, &e.createdBy, &e.updatedBy, &e.title, &e.description, &e.externalLinks,
		&e.isExternal, &e.eventSource, &e.conferenceLink, &e.location, &e.startAt, &e.endAt, &e.isVirtual,
		&e.posterFileID, &e.tags, &e.typ, &e.category, &e.isMeeting, &e.externalEmails, &e.videoPreviewIDs,
		&e.duration, &e.conversationID, &e.livestreamID, &e.repeatID, &e.repeatConfig, &e.audience,
		&e.permissions, &e.commentsCount, &e.createdAt, &e.updatedAt)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func insertEvent(ctx context.Context, q store.Querier, ns string, e *event) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_events (ns, `+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6,
		$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28,
		$29, $30, $31, $32)`,
		ns, e.id, e.orgID, e.createdBy, e.updatedBy, e.title, e.description, e.externalLinks, e.isExternal,
		e.eventSource, e.conferenceLink, e.location, e.startAt, e.endAt, e.isVirtual, e.posterFileID, e.tags, e.typ,
		e.category, e.isMeeting, e.externalEmails, e.videoPreviewIDs, e.duration, e.conversationID, e.livestreamID,
		e.repeatID, e.repeatConfig, e.audience, e.permissions, e.commentsCount, e.createdAt, e.updatedAt)
	return err
}

func updateEventRow(ctx context.Context, q store.Querier, ns string, e *event) error {
	_, err := q.ExecContext(ctx, `UPDATE workdrive_events SET updated_by = $3, title = $4, description = $5,
		external_links = $6, conference_link = $7, location = $8, start_at = $9, end_at = $10, is_virtual = $11,
		poster_file_id = $12, tags = $13, type = $14, category = $15, is_meeting = $16, external_emails = $17,
		video_preview_ids = $18, duration = $19, conversation_id = $20, livestream_id = $21, repeat_config = $22,
		audience = $23, permissions = $24, updated_at = $25
		WHERE ns = $1 AND id = $2`,
		ns, e.id, e.updatedBy, e.title, e.description, e.externalLinks, e.conferenceLink, e.location, e.startAt,
		e.endAt, e.isVirtual, e.posterFileID, e.tags, e.typ, e.category, e.isMeeting, e.externalEmails,
		e.videoPreviewIDs, e.duration, e.conversationID, e.livestreamID, e.repeatConfig, e.audience, e.permissions,
		e.updatedAt)
	return err
}

// eventPatch is a parsed create or update body: nil fields were absent.
type eventPatch struct {
	title, description, conferenceLink, location, category, conversationID, posterID, typ *string
	externalLinks                                                                         *string // JSON
	userIDs, tags, externalEmails, videoPreviewIDs                                        *[]string
	isVirtual, isMeeting                                                                  *bool
	start, end, duration                                                                  *int64
	perms                                                                                 *permissions
	repeat                                                                                *repeatSpec
}

// repeatSpec is a recurrence: the body's repeat object, its step and its
// end.
type repeatSpec struct {
	raw     clientJSON
	seconds int64 // 0 for monthly
	until   int64 // last start allowed (ms), 0 for none
	count   int   // occurrences, 0 for none
}

// readEventPatch reads the fields of an event body (create, update, or a
// meeting) and validates the references in the caller's organization.
func (s *Service) readEventPatch(ctx context.Context, tx *sql.Tx, c *caller, b *httpx.Body) (*eventPatch, error) {
	p := &eventPatch{}
	str := func(key string) *string {
		if v, ok := b.String(key); ok || b.Null(key) {
			return &v
		}
		return nil
	}
	list := func(key string) *[]string {
		if v, ok := b.Strings(key); ok || b.Null(key) {
			v = orEmpty(v, ok)
			return &v
		}
		return nil
	}
	p.title, p.description = str("title"), str("description")
	p.conferenceLink, p.location, p.category = str("conferenceLink"), str("location"), str("category")
	p.conversationID, p.posterID = str("conversationId"), str("posterId")
	p.userIDs, p.tags = list("userIds"), list("tags")
	p.externalEmails, p.videoPreviewIDs = list("externalUserEmails"), list("videoPreviewIds")
	if v, ok := b.Bool("isVirtual"); ok {
		p.isVirtual = &v
	}
	if v, ok := b.Bool("isMeeting"); ok {
		p.isMeeting = &v
	}
	if v, ok := b.Int("duration"); ok {
		if v < 0 {
			return nil, httpx.BadRequest("duration must not be negative")
		}
		p.duration = &v
	}
	if t := str("type"); t != nil && *t != "" {
		name, ok := parseEventType(*t)
		if !ok {
			return nil, httpx.BadRequest("type must be one of POST, LIVESTREAM, EVENT, FAQ, COURSE (or their index 0-4)")
		}
		p.typ = &name
	}
	for _, f := range []struct {
		key string
		dst **int64
	}{{"startDateTime", &p.start}, {"endDateTime", &p.end}} {
		if v, ok := b.String(f.key); ok && v != "" {
			ms, good := parseTime(v)
			if !good {
				return nil, httpx.BadRequest("%s must be an ISO-8601 date-time", f.key)
			}
			*f.dst = &ms
		}
	}
	if b.Has("externalLink") {
		links, err := readExternalLinks(b)
		if err != nil {
			return nil, err
		}
		p.externalLinks = &links
	}
	if b.Has("repeat") && !b.Null("repeat") {
		r, err := readRepeat(b)
		if err != nil {
			return nil, err
		}
		p.repeat = r
	}
	p.perms = readPermissions(b, "permissions")
	if err := b.Err(); err != nil {
		return nil, err
	}
	// References, in the caller's organization.
	ns, org := c.ns.ID, c.orgID
	if p.userIDs != nil {
		*p.userIDs = dedupe(*p.userIDs)
		if err := checkRefs(ctx, tx, ns, org, "user", "userIds", *p.userIDs); err != nil {
			return nil, err
		}
	}
	if p.posterID != nil && *p.posterID != "" {
		if err := checkRefs(ctx, tx, ns, org, "file", "posterId", []string{*p.posterID}); err != nil {
			return nil, err
		}
	}
	if p.videoPreviewIDs != nil {
		*p.videoPreviewIDs = dedupe(*p.videoPreviewIDs)
		if err := checkRefs(ctx, tx, ns, org, "file", "videoPreviewIds", *p.videoPreviewIDs); err != nil {
			return nil, err
		}
	}
	if p.externalEmails != nil {
		*p.externalEmails = dedupe(*p.externalEmails)
		for _, e := range *p.externalEmails {
			if !validEmail(e) {
				return nil, httpx.BadRequest("externalUserEmails must contain email addresses, not %q", e)
			}
		}
	}
	if p.conversationID != nil && *p.conversationID != "" {
		if err := checkConversationRef(ctx, tx, c, "conversationId", *p.conversationID); err != nil {
			return nil, err
		}
	}
	if p.perms != nil {
		if err := p.perms.check(ctx, tx, c, "permissions"); err != nil {
			return nil, err
		}
	}
	if p.category != nil {
		if _, err := ensureCategory(ctx, tx, ns, org, moduleEvent, *p.category, c.nowMS()); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readExternalLinks reads externalLink: [{title, url}], a single object,
// or a bare URL string.
func readExternalLinks(b *httpx.Body) (string, error) {
	raw := b.Raw("externalLink")
	if raw == nil {
		return "[]", nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return "[]", nil
		}
		return toJSON([]map[string]string{{"title": "", "url": one}}), nil
	}
	items, _ := b.Objects("externalLink")
	out := make([]map[string]string, 0, len(items))
	for _, it := range items {
		out = append(out, map[string]string{"title": it.Str("title"), "url": it.Str("url")})
	}
	if err := b.Err(); err != nil {
		return "", err
	}
	return toJSON(out), nil
}

// frequencies maps repeat.config.frequency to seconds (0 = monthly).
var frequencies = map[string]int64{
	"86400": 86400, "604800": 604800, "1209600": 1209600, "monthly": 0,
	"daily": 86400, "weekly": 604800, "biweekly": 1209600,
}

// readRepeat reads repeat {config {type: "frequency", frequency, ends
// {config {type: "on", date} | {type: "after", occurrences}}}}.
func readRepeat(b *httpx.Body) (*repeatSpec, error) {
	var raw clientJSON
	if err := json.Unmarshal(b.Raw("repeat"), &raw); err != nil {
		return nil, httpx.BadRequest("repeat must be an object {config: {type, frequency, ends}}")
	}
	o, _ := b.Object("repeat")
	cfg, ok := o.Object("config")
	if !ok {
		return nil, httpx.BadRequest("repeat.config is required")
	}
	if t := cfg.Str("type"); t != "" && t != "frequency" {
		return nil, httpx.BadRequest("repeat.config.type must be frequency")
	}
	freq := strings.ToLower(cfg.Str("frequency"))
	secs, known := frequencies[freq]
	if !known {
		return nil, httpx.BadRequest("repeat.config.frequency must be one of 86400, 604800, 1209600, monthly")
	}
	r := &repeatSpec{raw: raw, seconds: secs}
	if ends, ok := cfg.Object("ends"); ok {
		ec, _ := ends.Object("config")
		if ec == nil {
			ec = ends
		}
		switch strings.ToLower(ec.Str("type")) {
		case "on":
			d := ec.Str("date")
			ms, good := parseTime(d)
			if !good {
				return nil, httpx.BadRequest("repeat.config.ends.config.date must be a date")
			}
			if len(strings.TrimSpace(d)) == len("2006-01-02") {
				ms += 24*3600*1000 - 1 // the whole end day
			}
			r.until = ms
		case "after":
			n, _ := ec.Int("occurrences")
			if n <= 0 || n > maxOccurrences {
				return nil, httpx.BadRequest("repeat.config.ends.config.occurrences must be between 1 and %d", maxOccurrences)
			}
			r.count = int(n)
		case "", "never":
		default:
			return nil, httpx.BadRequest("repeat.config.ends.config.type must be on, after or never")
		}
	}
	if err := b.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// occurrences returns the start times of a series that begins at start.
func (r *repeatSpec) occurrences(start int64) []int64 {
	until := r.until
	if until == 0 {
		until = time.UnixMilli(start).AddDate(1, 0, 0).UnixMilli()
	}
	limit := maxOccurrences
	if r.count > 0 {
		limit = r.count
	}
	var out []int64
	for i := 0; i < limit; i++ {
		t := start + int64(i)*r.seconds*1000
		if r.seconds == 0 {
			t = time.UnixMilli(start).UTC().AddDate(0, i, 0).UnixMilli()
		}
		if t > until && i > 0 {
			break
		}
		out = append(out, t)
	}
	return out
}

// config renders the stored repeat object as repeatConfig {config {extras,
// config}}: the recurrence rule, and its end as an extra.
func repeatConfigJSON(stored sql.NullString) any {
	if !stored.Valid {
		return nil
	}
	raw := jsonObject(stored.String)
	cfg, _ := raw["config"].(clientJSON)
	rule, extras := clientJSON{}, clientJSON{}
	for k, v := range cfg {
		if k == "ends" {
			extras[k] = v
		} else {
			rule[k] = v
		}
	}
	type ruleJSON struct {
		Config clientJSON `json:"config"`
		Extras clientJSON `json:"extras"`
	}
	return struct {
		Config ruleJSON `json:"config"`
	}{ruleJSON{Config: rule, Extras: extras}}
}

// apply sets the patch's fields on e. Start and end move by the same
// offsets as the event the request named (delta), so a series keeps its
// rhythm.
func (p *eventPatch) apply(e *event, startDelta, endDelta int64) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&e.title, p.title)
	if p.description != nil {
		e.description = *p.description
	}
	set(&e.conferenceLink, p.conferenceLink)
	set(&e.location, p.location)
	set(&e.category, p.category)
	if p.typ != nil {
		e.typ = *p.typ
	}
	if p.conversationID != nil {
		e.conversationID = sql.NullString{String: *p.conversationID, Valid: *p.conversationID != ""}
	}
	if p.posterID != nil {
		e.posterFileID = sql.NullString{String: *p.posterID, Valid: *p.posterID != ""}
	}
	if p.externalLinks != nil {
		e.externalLinks = *p.externalLinks
	}
	if p.tags != nil {
		e.tags = toJSON(*p.tags)
	}
	if p.externalEmails != nil {
		e.externalEmails = toJSON(*p.externalEmails)
	}
	if p.videoPreviewIDs != nil {
		e.videoPreviewIDs = toJSON(*p.videoPreviewIDs)
	}
	if p.isVirtual != nil {
		e.isVirtual = *p.isVirtual
	}
	if p.isMeeting != nil {
		e.isMeeting = *p.isMeeting
	}
	if p.duration != nil {
		e.duration = *p.duration
	}
	e.startAt += startDelta
	e.endAt += endDelta
	if p.perms != nil {
		e.permissions, e.audience = p.perms.json(), p.perms.audience()
	}
	if p.repeat != nil {
		e.repeatConfig = sql.NullString{String: toJSON(p.repeat.raw), Valid: true}
	}
	// Meetings and livestreams have a call; other events none.
	switch call := e.isMeeting || e.typ == "LIVESTREAM"; {
	case call && !e.livestreamID.Valid:
		e.livestreamID = sql.NullString{String: ids.UUID(), Valid: true}
	case !call:
		e.livestreamID = sql.NullString{}
	}
}

// normalizeTimes fills what the body left out: the end from the duration
// (an hour when none), the duration (minutes) from start and end.
func normalizeTimes(e *event, durationGiven bool) error {
	if e.endAt == 0 {
		d := e.duration
		if d == 0 {
			d = 60
		}
		e.endAt = e.startAt + d*60*1000
	}
	if e.endAt < e.startAt {
		return httpx.BadRequest("endDateTime must not be before startDateTime")
	}
	if !durationGiven || e.duration == 0 {
		e.duration = (e.endAt - e.startAt) / 60000
	}
	return nil
}

// createEventFromBody creates an event from an events.create body, or a
// meeting of the conversation conv (meetings.create) when conv is not
// empty, and returns the created Event as the API shows it. title and
// startDateTime are required. A recurring event is materialised as one
// event per occurrence sharing a repeatId; the first one is returned.
func (s *Service) createEventFromBody(ctx context.Context, tx *sql.Tx, c *caller, b *httpx.Body, conv string) (*eventOut, error) {
	p, err := s.readEventPatch(ctx, tx, c, b)
	if err != nil {
		return nil, err
	}
	if p.title == nil || strings.TrimSpace(*p.title) == "" {
		return nil, httpx.BadRequest("title is required")
	}
	if p.start == nil {
		return nil, httpx.BadRequest("startDateTime is required")
	}
	now := c.nowMS()
	perms := publicPermissions()
	e := &event{orgID: c.orgID, createdBy: c.id, updatedBy: c.id, externalLinks: "[]", eventSource: "WORKDRIVE",
		typ: "EVENT", tags: "[]", externalEmails: "[]", videoPreviewIDs: "[]",
		audience: perms.audience(), permissions: perms.json(), createdAt: now, updatedAt: now}
	if conv != "" {
		t := true
		p.isMeeting, p.conversationID = &t, &conv
	}
	e.startAt = *p.start
	if p.end != nil {
		e.endAt = *p.end
	}
	p.apply(e, 0, 0)
	if err := normalizeTimes(e, p.duration != nil); err != nil {
		return nil, err
	}
	starts := []int64{e.startAt}
	if p.repeat != nil {
		starts = p.repeat.occurrences(e.startAt)
		e.repeatID = sql.NullString{String: ids.UUID(), Valid: true}
	}
	length := e.endAt - e.startAt
	invitees := []string{}
	if p.userIDs != nil {
		invitees = *p.userIDs
	}
	var first string
	for i, st := range starts {
		occ := *e
		occ.id = ids.UUID()
		occ.startAt, occ.endAt = st, st+length
		if occ.livestreamID.Valid {
			occ.livestreamID.String = ids.UUID()
		}
		if i == 0 {
			first = occ.id
		}
		if err := insertEvent(ctx, tx, c.ns.ID, &occ); err != nil {
			return nil, err
		}
		if err := setInvitees(ctx, tx, c.ns.ID, &occ, invitees, now); err != nil {
			return nil, err
		}
	}
	return renderEventByID(ctx, tx, c, first, true)
}

// setInvitees replaces an event's invitees (keeping the answers of those
// who stay) and its grants: the creator always attends.
func setInvitees(ctx context.Context, tx *sql.Tx, ns string, e *event, userIDs []string, now int64) error {
	keep := map[string]bool{e.createdBy: true}
	for _, id := range userIDs {
		keep[id] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM workdrive_event_rsvps WHERE ns = $1 AND event_id = $2`, ns, e.id)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := execForEach(ctx, tx, `DELETE FROM workdrive_event_rsvps WHERE ns = $1 AND event_id = $2 AND user_id = $3`, ns, e.id, gone); err != nil {
		return err
	}
	add := append([]string{e.createdBy}, userIDs...)
	for i, id := range add {
		rsvp := "INVITED"
		if id == e.createdBy {
			rsvp = "GOING"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_event_rsvps (ns, event_id, user_id, rsvp, invited_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ns, event_id, user_id) DO NOTHING`, ns, e.id, id, rsvp, now+int64(i)); err != nil {
			return err
		}
	}
	return setAudience(ctx, tx, ns, e.id, decodePermissions(e.permissions), userIDs)
}

// createEvent serves POST /api/events/meeting.
func (s *Service) createEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	return s.writeTx(w, r, created, func(tx *sql.Tx) (any, error) {
		return s.createEventFromBody(r.Context(), tx, c, b, "")
	})
}

// seriesTargets resolves the repeat query parameter: absent, this event
// only; "all", the whole series; "following", this one and the later ones.
func seriesTargets(ctx context.Context, tx *sql.Tx, c *caller, e *event, mode string) ([]*event, error) {
	switch strings.ToLower(strings.TrimSpace(mode)) {
	case "", "this", "one", "false":
		return []*event{e}, nil
	case "all", "true":
		mode = "all"
	case "following", "after", "future":
		mode = "following"
	default:
		return nil, httpx.BadRequest("repeat must be one of all, following")
	}
	if !e.repeatID.Valid {
		return []*event{e}, nil
	}
	q := `SELECT ` + eventColumns + ` FROM workdrive_events WHERE ns = $1 AND org_id = $2 AND repeat_id = $3`
	args := []any{c.ns.ID, c.orgID, e.repeatID.String}
	if mode == "following" {
		q += ` AND start_at >= $4`
		args = append(args, e.startAt)
	}
	rows, err := tx.QueryContext(ctx, q+` ORDER BY start_at, id`, args...)
	return store.Collect(rows, err, scanEvent)
}

// updateEvent serves PATCH /api/events/{id}[?repeat=all|following].
func (s *Service) updateEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return eventKind.patch(s, w, r, c, func(ctx context.Context, tx *sql.Tx, e *event, b *httpx.Body) error {
		p, err := s.readEventPatch(ctx, tx, c, b)
		if err != nil {
			return err
		}
		targets, err := seriesTargets(ctx, tx, c, e, r.URL.Query().Get("repeat"))
		if err != nil {
			return err
		}
		var startDelta, endDelta int64
		if p.start != nil {
			startDelta = *p.start - e.startAt
			endDelta = startDelta
		}
		if p.end != nil {
			endDelta = *p.end - e.endAt
		}
		if e.endAt+endDelta < e.startAt+startDelta {
			return httpx.BadRequest("endDateTime must not be before startDateTime")
		}
		now := c.nowMS()
		for _, t := range targets {
			p.apply(t, startDelta, endDelta)
			if p.duration == nil && (p.start != nil || p.end != nil) {
				t.duration = (t.endAt - t.startAt) / 60000
			}
			t.updatedBy, t.updatedAt = c.id, now
			if err := updateEventRow(ctx, tx, c.ns.ID, t); err != nil {
				return err
			}
			var invitees []string
			if p.userIDs != nil {
				invitees = *p.userIDs
			} else if invitees, err = eventInvitees(ctx, tx, c.ns.ID, t); err != nil {
				return err
			}
			if err := setInvitees(ctx, tx, c.ns.ID, t, invitees, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// eventInvitees lists an event's invitees other than its creator.
func eventInvitees(ctx context.Context, q store.Querier, ns string, e *event) ([]string, error) {
	return strList(ctx, q, `SELECT user_id FROM workdrive_event_rsvps WHERE ns = $1 AND event_id = $2
		AND user_id <> $3 ORDER BY invited_at, user_id`, ns, e.id, e.createdBy)
}

// deleteEvent serves DELETE /api/events/{id}[?repeat=all|following].
func (s *Service) deleteEvent(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteTx(w, r, func(tx *sql.Tx) error {
		e, err := eventKind.editable(r.Context(), tx, c, r.PathValue("id"))
		if err != nil {
			return err
		}
		targets, err := seriesTargets(r.Context(), tx, c, e, r.URL.Query().Get("repeat"))
		if err != nil {
			return err
		}
		for _, t := range targets {
			for _, q := range []string{`DELETE FROM workdrive_event_rsvps WHERE ns = $1 AND event_id = $2`,
				`DELETE FROM workdrive_events WHERE ns = $1 AND id = $2`} {
				if _, err := tx.ExecContext(r.Context(), q, c.ns.ID, t.id); err != nil {
					return err
				}
			}
			if err := deleteItemRows(r.Context(), tx, c.ns.ID, t.id); err != nil {
				return err
			}
		}
		return nil
	})
}

// listEvents is the time-cursor list of events created at or before
// `time`, ordered by start. fromDate bounds the start and toDate the end,
// independently of time (the doc's example sets time = fromDate).
func (s *Service) listEvents(w http.ResponseWriter, r *http.Request, c *caller) error {
	now := c.nowMS()
	p, err := parsePage(r, now)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var a store.Args
	where := c.inOrg(&a, "x") + ` AND x.created_at <= ` + a.Add(p.Time) +
		` AND ` + visibleSQL(&a, "x", "created_by", c.id)
	flags := map[string]bool{}
	for _, name := range []string{"externalEvents", "onlyPast", "include_happening_now", "onlyMeeting", "onlyGoing", "include_recent_rsvps"} {
		v, _, err := queryBool(q, name)
		if err != nil {
			return err
		}
		flags[name] = v
	}
	where += ` AND x.is_external = ` + a.Add(flags["externalEvents"])
	switch {
	case flags["onlyPast"] && flags["include_happening_now"]:
		where += ` AND x.start_at <= ` + a.Add(now)
	case flags["onlyPast"]:
		where += ` AND x.end_at < ` + a.Add(now)
	}
	if flags["onlyMeeting"] {
		where += ` AND x.is_meeting = ` + a.Add(true)
	}
	if flags["onlyGoing"] {
		where += ` AND EXISTS (SELECT 1 FROM workdrive_event_rsvps rv WHERE rv.ns = x.ns AND rv.event_id = x.id
			AND rv.user_id = ` + a.Add(c.id) + ` AND rv.rsvp = 'GOING')`
	}
	if f := q.Get("filter"); f != "" {
		t, ok := parseEventType(f)
		if !ok {
			return httpx.BadRequest("filter must be one of POST, LIVESTREAM, EVENT, FAQ, COURSE")
		}
		where += ` AND x.type = ` + a.Add(t)
	}
	if cat := strings.TrimSpace(q.Get("category")); cat != "" {
		where += ` AND lower(x.category) = ` + a.Add(strings.ToLower(cat))
	}
	for _, f := range []struct{ name, cond string }{{"fromDate", ` AND x.start_at >= `}, {"toDate", ` AND x.end_at <= `}} {
		v := strings.TrimSpace(q.Get(f.name))
		if v == "" {
			continue
		}
		ms, ok := parseTime(v)
		if !ok {
			return httpx.BadRequest("%s must be an ISO-8601 date or date-time", f.name)
		}
		if f.name == "toDate" && len(v) == len("2006-01-02") {
			ms += 24*3600*1000 - 1
		}
		where += f.cond + a.Add(ms)
	}
	list, total, err := listPage(r.Context(), s.db, "workdrive_events", eventColumns, where, `x.start_at, x.id`, a, p, scanEvent)
	if err != nil {
		return err
	}
	limit := 0
	if flags["include_recent_rsvps"] {
		limit = recentRSVPs
	}
	rsvps, err := loadRSVPs(r.Context(), s.db, c, list, limit)
	if err != nil {
		return err
	}
	sum := newSummaries(r.Context(), s.db, c.ns)
	creators := make([]string, len(list))
	for i, e := range list {
		creators[i] = e.createdBy
	}
	if err := sum.prefetch(creators); err != nil {
		return err
	}
	out, err := renderAll(sum, list, func(sum *summaries, e *event) (*eventOut, error) {
		return renderEvent(sum, c, e, rsvps[e.id])
	})
	if err != nil {
		return err
	}
	return okPage(w, "events", out, p.Meta(total))
}

// renderEventByID loads an event (any of the caller's organization) and
// renders it with all its invitees.
func renderEventByID(ctx context.Context, q store.Querier, c *caller, id string, allRSVPs bool) (*eventOut, error) {
	e, err := scanEvent(q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM workdrive_events
		WHERE ns = $1 AND id = $2 AND org_id = $3`, c.ns.ID, id, c.orgID))
	if err != nil {
		return nil, pathErr(err, "Event", id)
	}
	limit := 0
	if allRSVPs {
		limit = -1
	}
	rsvps, err := loadRSVPs(ctx, q, c, []*event{e}, limit)
	if err != nil {
		return nil, err
	}
	return renderEvent(newSummaries(ctx, q, c.ns), c, e, rsvps[e.id])
}

// recentRSVPs is how many invitees a list shows with include_recent_rsvps.
const recentRSVPs = 5

// eventRSVP is an invitee's answer.
type eventRSVP struct {
	user, answer string
	invited      int64
	checkin      sql.NullInt64
}

// eventRSVPs is what an Event shows of its invitees: the counts, the
// caller's own answer, and the most recently invited ones.
type eventRSVPs struct {
	invited, going int
	mine           *eventRSVP
	shown          []eventRSVP // most recently invited first
}

// loadRSVPs returns the invitees of events as the Event object shows them,
// with at most limit of them per event (all when negative). The counts
// and the caller's answer are computed in SQL, so the cost of a page does
// not grow with the number of invitees.
func loadRSVPs(ctx context.Context, q store.Querier, c *caller, events []*event, limit int) (map[string]*eventRSVPs, error) {
	out := map[string]*eventRSVPs{}
	if len(events) == 0 {
		return out, nil
	}
	var a store.Args
	where := `ns = ` + a.Add(c.ns.ID)
	in := make([]string, len(events))
	for i, e := range events {
		in[i] = a.Add(e.id)
		out[e.id] = &eventRSVPs{}
	}
	where += ` AND event_id IN (` + strings.Join(in, ", ") + `)`
	rows, err := q.QueryContext(ctx, `SELECT event_id, count(*), COALESCE(SUM(CASE WHEN rsvp = 'GOING' THEN 1 ELSE 0 END), 0)
		FROM workdrive_event_rsvps WHERE `+where+` GROUP BY event_id`, a...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var invited, going int
		if err := rows.Scan(&id, &invited, &going); err != nil {
			rows.Close()
			return nil, err
		}
		if set := out[id]; set != nil {
			set.invited, set.going = invited, going
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	scan := func(query string, args []any, add func(id string, rv eventRSVP)) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var rv eventRSVP
			if err := rows.Scan(&id, &rv.user, &rv.answer, &rv.invited, &rv.checkin); err != nil {
				return err
			}
			add(id, rv)
		}
		return rows.Err()
	}
	me := append(store.Args{}, a...)
	if err := scan(`SELECT event_id, user_id, rsvp, invited_at, checkin_at FROM workdrive_event_rsvps
		WHERE `+where+` AND user_id = `+me.Add(c.id), me, func(id string, rv eventRSVP) {
		if set := out[id]; set != nil {
			set.mine = &rv
		}
	}); err != nil {
		return nil, err
	}
	if limit == 0 {
		return out, nil
	}
	query := `SELECT event_id, user_id, rsvp, invited_at, checkin_at FROM workdrive_event_rsvps
		WHERE ` + where + ` ORDER BY invited_at DESC, user_id`
	if limit > 0 {
		query = `SELECT event_id, user_id, rsvp, invited_at, checkin_at FROM (
			SELECT event_id, user_id, rsvp, invited_at, checkin_at,
				ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY invited_at DESC, user_id) AS rn
			FROM workdrive_event_rsvps WHERE ` + where + `) r
			WHERE rn <= ` + a.Add(limit) + ` ORDER BY invited_at DESC, user_id`
	}
	if err := scan(query, a, func(id string, rv eventRSVP) {
		if set := out[id]; set != nil {
			set.shown = append(set.shown, rv)
		}
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// eventOut is the Event object.
type eventOut struct {
	Category          any                `json:"category"`
	Comments          int64              `json:"comments"`
	ConferenceLink    string             `json:"conferenceLink"`
	CreatedAt         string             `json:"createdAt"`
	CreatedBy         string             `json:"createdBy"`
	Creator           *userSummaryJSON   `json:"creator"`
	Description       string             `json:"description"`
	EndDateTime       string             `json:"endDateTime"`
	EventSource       string             `json:"eventSource"`
	ExternalAttendees []string           `json:"externalAttendees"`
	ExternalLink      []clientJSON       `json:"externalLink"`
	Going             int                `json:"going"`
	ID                string             `json:"id"`
	IsExternalEvent   bool               `json:"isExternalEvent"`
	IsVirtual         bool               `json:"isVirtual"`
	Livestream        livestreamField    `json:"livestream,omitzero"`
	Location          string             `json:"location"`
	MyCheckin         any                `json:"myCheckin"`
	MyRSVP            any                `json:"myRsvp"`
	Poster            *fileOut           `json:"poster"`
	Reactions         []string           `json:"reactions"`
	RepeatConfig      any                `json:"repeatConfig"`
	RepeatID          *idOnly            `json:"repeatId"`
	RSVPUsers         []*userSummaryJSON `json:"rsvpUsers"`
	StartDateTime     string             `json:"startDateTime"`
	Tags              []string           `json:"tags"`
	Title             string             `json:"title"`
	Type              eventTypeJSON      `json:"type"`
	UpdatedAt         string             `json:"updatedAt"`
	UpdatedBy         string             `json:"updatedBy"`
}

// categoryRef is a content item's category: its id (null when the
// category is not in the catalog) and name.
type categoryRef struct {
	ID   any    `json:"id"`
	Name string `json:"name"`
}

// eventTypeJSON is an event's type: its index and name.
type eventTypeJSON struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// livestreamOut is the call behind a meeting or a LIVESTREAM event. Event
// is the event's id, or in a conversation's Call the event itself.
type livestreamOut struct {
	ConversationID           *idOnly          `json:"conversationId"`
	Duration                 int64            `json:"duration"`
	EndedAt                  any              `json:"endedAt"`
	Event                    any              `json:"event"`
	EventForInvitesID        any              `json:"eventForInvitesId"`
	File                     any              `json:"file"`
	ID                       string           `json:"id"`
	InProgress               bool             `json:"inProgress"`
	IsGroup                  bool             `json:"isGroup"`
	LivestreamConversationID string           `json:"livestreamConversationId"`
	MessageID                any              `json:"messageId"`
	NoOfParticipants         int              `json:"noOfParticipants"`
	Participants             []string         `json:"participants"`
	PublicToken              string           `json:"publicToken"`
	Record                   bool             `json:"record"`
	ScheduledFor             string           `json:"scheduledFor"`
	StartedAt                any              `json:"startedAt"`
	Status                   string           `json:"status"`
	Title                    any              `json:"title"`
	Token                    any              `json:"token"`
	TotalParticipants        int              `json:"totalParticipants"`
	Type                     string           `json:"type"`
	User                     *userSummaryJSON `json:"user"`
	UserID                   string           `json:"userId"`
}

// livestreamField is an event's livestream: null when the event has none,
// and left out of the event inside a conversation's Call.
type livestreamField struct {
	ls   *livestreamOut
	omit bool
}

func (f livestreamField) IsZero() bool { return f.omit }

func (f livestreamField) MarshalJSON() ([]byte, error) { return json.Marshal(f.ls) }

// renderEvent is the Event object. myRsvp and myCheckin are the caller's;
// rsvpUsers lists rsvps.shown, the most recently invited first (loadRSVPs
// limits them: lists show the recent ones only with include_recent_rsvps).
func renderEvent(sum *summaries, c *caller, e *event, rsvps *eventRSVPs) (*eventOut, error) {
	ctx, q := sum.ctx, sum.q
	if rsvps == nil {
		rsvps = &eventRSVPs{}
	}
	shown := rsvps.shown
	people := []string{e.createdBy}
	for _, rv := range shown {
		people = append(people, rv.user)
	}
	if err := sum.prefetch(people); err != nil {
		return nil, err
	}
	creator, err := sum.one(e.createdBy)
	if err != nil {
		return nil, err
	}
	poster, err := sum.file(e.orgID, e.posterFileID.String)
	if err != nil {
		return nil, err
	}
	going := rsvps.going
	var myRsvp, myCheckin any
	if rv := rsvps.mine; rv != nil {
		myRsvp, myCheckin = rv.answer, isoTimePtr(rv.checkin)
	}
	rsvpUsers := []*userSummaryJSON{}
	for _, rv := range shown {
		u, err := sum.one(rv.user)
		if err != nil {
			return nil, err
		}
		if u == nil {
			continue
		}
		item := *u
		invited, answer := isoTime(rv.invited), rv.answer
		item.Invited, item.RSVP = &invited, &answer
		rsvpUsers = append(rsvpUsers, &item)
	}
	catID, err := categoryID(ctx, q, c.ns.ID, e.orgID, moduleEvent, e.category)
	if err != nil {
		return nil, err
	}
	var category any
	if e.category != "" {
		category = categoryRef{ID: catID, Name: e.category}
	}
	var repeatID *idOnly
	if e.repeatID.Valid {
		repeatID = &idOnly{ID: e.repeatID.String}
	}
	var links []clientJSON
	if err := json.Unmarshal([]byte(e.externalLinks), &links); err != nil || links == nil {
		links = []clientJSON{}
	}
	return &eventOut{
		ID: e.id, CreatedAt: isoTime(e.createdAt), UpdatedAt: isoTime(e.updatedAt),
		CreatedBy: e.createdBy, UpdatedBy: e.updatedBy, Title: e.title, Description: e.description,
		ExternalLink: links, IsExternalEvent: e.isExternal, ConferenceLink: e.conferenceLink,
		Location: e.location, StartDateTime: isoTime(e.startAt), EndDateTime: isoTime(e.endAt),
		IsVirtual: e.isVirtual, EventSource: e.eventSource, Poster: poster, Going: going,
		MyRSVP: myRsvp, MyCheckin: myCheckin, Comments: e.commentsCount, Tags: jsonStrings(e.tags),
		Reactions: []string{}, Type: eventTypeJSON{ID: eventTypeIndex(e.typ), Name: e.typ},
		Category: category, Livestream: livestreamField{ls: livestreamJSON(c, e, creator, rsvps.invited)}, RSVPUsers: rsvpUsers,
		Creator: creator, ExternalAttendees: jsonStrings(e.externalEmails),
		RepeatConfig: repeatConfigJSON(e.repeatConfig), RepeatID: repeatID,
	}, nil
}

// livestreamJSON is the call behind a meeting or a LIVESTREAM event (null
// for other events): scheduled until the event ends, with nobody joined —
// standin runs no calls.
func livestreamJSON(c *caller, e *event, creator *userSummaryJSON, invited int) *livestreamOut {
	if !e.livestreamID.Valid {
		return nil
	}
	typ, status := "LIVESTREAM", "SCHEDULED"
	if e.isMeeting {
		typ = "MEETING"
	}
	if c.nowMS() >= e.endAt {
		status = "ENDED"
	}
	var conv *idOnly
	if e.conversationID.Valid {
		conv = &idOnly{ID: e.conversationID.String}
	}
	return &livestreamOut{
		ID: e.livestreamID.String, Duration: e.duration,
		Type: typ, Status: status, IsGroup: e.conversationID.Valid,
		ConversationID: conv, TotalParticipants: invited, Participants: []string{},
		LivestreamConversationID: e.conversationID.String,
		UserID:                   e.createdBy, User: creator, ScheduledFor: isoTime(e.startAt),
		Event: e.id,
	}
}

// checkConversationRef validates an event's conversationId: a group chat
// of the caller's organization (workdrive_conversations, 400
// otherwise) that the caller takes part in (403 otherwise, as for
// messages).
func checkConversationRef(ctx context.Context, q store.Querier, c *caller, field, id string) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM workdrive_conversations WHERE ns = $1 AND id = $2 AND org_id = $3`,
		c.ns.ID, id, c.orgID)
	if err != nil {
		return err
	}
	if !ok {
		return httpx.BadRequest("%s %q does not name a group chat of this organization", field, id)
	}
	member, err := exists(ctx, q, `SELECT 1 FROM workdrive_conversation_members
		WHERE ns = $1 AND conversation_id = $2 AND user_id = $3`, c.ns.ID, id, c.id)
	if err != nil {
		return err
	}
	if !member {
		return httpx.Forbidden("Only members of the group chat can attach an event to it")
	}
	return nil
}
