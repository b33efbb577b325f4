package clinked

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Permission values of account and group memberships.
const (
	permBasic         = 1
	permGroupCreator  = 4
	permMemberManager = 8
	permAdmin         = 16
)

// validPermission tells whether p is one of 1, 4, 8, 16.
func validPermission(p int64) bool {
	return p == permBasic || p == permGroupCreator || p == permMemberManager || p == permAdmin
}

// user is a row of clinked_users.
type user struct {
	id                                                          int64
	username, email, name                                       string
	realName, jobTitle, organisation, address, telephone, other sql.NullString
	logo                                                        bool
	timeZone, locale                                            sql.NullString
	enabled, locked, verifiedEmail, twoFactor                   bool
	twoFactorMode, twoFactorCode, dateFormat                    sql.NullString
	twentyFourHour                                              bool
	lastActive                                                  sql.NullInt64
	passwordHash                                                string
	authorities                                                 string // JSON array
	dateCreated, lastModified                                   int64
}

// account is a row of clinked_accounts.
type account struct {
	id                             int64
	name, friendlyName             string
	enabled                        bool
	domain, hash, locale           sql.NullString
	mailDomain, metadata, features string
	components                     string
	twoFactorEnforced              bool
	planCode, planName             string
	planInterval                   sql.NullInt64
	planCurrency                   sql.NullString
	maxMembers                     int64
	storage                        sql.NullInt64
	suspended                      bool
	trialExpires                   sql.NullInt64
	paused                         bool
	pausedBillingCycles            sql.NullInt64
	datePausedAt                   sql.NullInt64
	billingDetails                 sql.NullString
	dateCreated, lastModified      int64
}

// member is a row of clinked_members.
type member struct {
	accountID, userID int64
	permission        int64
	dateCreated       int64
	assignToNewGroups sql.NullInt64
	pendingUnlock     sql.NullBool
	activationType    sql.NullString
	activationDate    sql.NullInt64
	activationMessage sql.NullString
}

// application is a row of clinked_applications.
type application struct {
	clientID, secretHash                    string
	ownerID                                 int64
	name, description, platform, deviceType string
	deviceModel, deviceOs, appVersion       string
	bundleID                                string
	lastActivity                            sql.NullInt64
	ip                                      sql.NullString
	scope, redirectURIs, grantTypes         string // JSON arrays
	dateCreated                             int64
}

// group is a row of clinked_groups.
type group struct {
	id, accountID                           int64
	name, friendlyName, description         string
	contextKey                              int64
	ownerID                                 sql.NullInt64
	blind, disableChat, disableComments     bool
	disableEmailComments, hideMemberDetails bool
	storageConsumed                         int64
	branding, components, settings          string // JSON
	watermark                               string // JSON
	master                                  sql.NullInt64
	masterConfigured                        bool
	position                                int64
	removed                                 bool
	dateRemoved                             sql.NullInt64
	dateCreated, lastModified               int64
}

// groupMember is a row of clinked_group_members.
type groupMember struct {
	groupID, userID int64
	permission      int64
	dateCreated     int64
	expirationDate  sql.NullInt64
	restrictedApps  string // JSON array
}

// invite is a row of clinked_invites.
type invite struct {
	kind                 string // inviteAccount, inviteGroup
	id, accountID        int64
	groupID              sql.NullInt64
	email                string
	permission           int64
	parameters           sql.NullString
	message              string
	reminder             bool
	status               string // pending, accepted, declined
	inviteKey            string
	contextKey, sourceID int64
	targetID             sql.NullInt64
	expirationDate       sql.NullInt64
	dateCreated          int64
	lastModified         sql.NullInt64
}

// Invite kinds and statuses.
const (
	inviteAccount = "account"
	inviteGroup   = "group"

	invitePending  = "pending"
	inviteAccepted = "accepted"
	inviteDeclined = "declined"
)

// guest is a row of clinked_guests.
type guest struct {
	id, accountID             int64
	name, email               string
	passwordEnabled           bool
	passwordHash              string
	dateCreated, lastModified int64
}

// ---- serialization ----

// ms is a time as the API writes it: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// zoned writes a time as Java's ZonedDateTime.toString does in UTC:
// "2018-01-05T14:00Z[UTC]", seconds only when not zero, fractions in groups
// of three digits only when not zero ("2024-04-09T07:25:13.169Z[UTC]").
func zoned(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04")
	ns := t.Nanosecond()
	if t.Second() != 0 || ns != 0 {
		s += t.Format(":05")
	}
	if ns != 0 {
		switch {
		case ns%1e6 == 0:
			s += "." + pad(ns/1e6, 3)
		case ns%1e3 == 0:
			s += "." + pad(ns/1e3, 6)
		default:
			s += "." + pad(ns, 9)
		}
	}
	return s + "Z[UTC]"
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", width-len(s)) + s
}

// parseTime reads a time the way clients send one: Unix milliseconds, the
// zoned form ("2018-01-05T14:00Z[UTC]"), RFC 3339, or a date.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(n).UTC(), true
	}
	if i := strings.Index(s, "["); i > 0 && strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// str returns a nullable column as a JSON string or null.
func str(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// num returns a nullable column as a JSON number or null.
func num(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// nullStr maps "" to NULL.
func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// rawJSON returns stored JSON text for embedding, with a fallback when the
// column is empty.
func rawJSON(s, fallback string) json.RawMessage {
	if strings.TrimSpace(s) == "" {
		s = fallback
	}
	return json.RawMessage(s)
}

// strList decodes a stored JSON array of strings; never nil.
func strList(s string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(s), &out)
	if out == nil {
		out = []string{}
	}
	return out
}

// jsonText encodes v for a TEXT column.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// baseUserJSON is BaseUser: application owner, tag members, group owner,
// invite source/target.
type baseUserJSON struct {
	ID           int64   `json:"id"`
	Name         string  `json:"name"`
	Username     string  `json:"username"`
	Logo         bool    `json:"logo"`
	JobTitle     *string `json:"jobTitle"`
	LastModified int64   `json:"lastModified"`
}

func (u *user) base() baseUserJSON {
	return baseUserJSON{ID: u.id, Name: u.name, Username: u.username, Logo: u.logo,
		JobTitle: str(u.jobTitle), LastModified: u.lastModified}
}

// userJSON is the full User (userinfo principal, group member user). Unset
// fields are null.
type userJSON struct {
	ID                       int64   `json:"id"`
	Username                 string  `json:"username"`
	Enabled                  bool    `json:"enabled"`
	Locked                   bool    `json:"locked"`
	Name                     string  `json:"name"`
	JobTitle                 *string `json:"jobTitle"`
	Organisation             *string `json:"organisation"`
	Email                    string  `json:"email"`
	Address                  *string `json:"address"`
	Telephone                *string `json:"telephone"`
	Other                    *string `json:"other"`
	Logo                     bool    `json:"logo"`
	TimeZone                 *string `json:"timeZone"`
	Locale                   *string `json:"locale"`
	VerifiedEmail            bool    `json:"verifiedEmail"`
	TwoFactorAuthentication  bool    `json:"twoFactorAuthentication"`
	TwoFactorMode            *string `json:"twoFactorMode"`
	LastModified             int64   `json:"lastModified"`
	DateFormat               *string `json:"dateFormat"`
	TwentyFourHourTimeFormat bool    `json:"twentyFourHourTimeFormat"`
	LastActive               *int64  `json:"lastActive"`
}

func (u *user) full() userJSON {
	return userJSON{
		ID: u.id, Username: u.username, Enabled: u.enabled, Locked: u.locked, Name: u.name,
		JobTitle: str(u.jobTitle), Organisation: str(u.organisation), Email: u.email,
		Address: str(u.address), Telephone: str(u.telephone), Other: str(u.other), Logo: u.logo,
		TimeZone: str(u.timeZone), Locale: str(u.locale), VerifiedEmail: u.verifiedEmail,
		TwoFactorAuthentication: u.twoFactor, TwoFactorMode: str(u.twoFactorMode),
		LastModified: u.lastModified, DateFormat: str(u.dateFormat),
		TwentyFourHourTimeFormat: u.twentyFourHour, LastActive: num(u.lastActive),
	}
}

// memberUserJSON is the User of account member responses: full plus realName.
type memberUserJSON struct {
	userJSON
	RealName *string `json:"realName"`
}

func (u *user) withRealName() memberUserJSON {
	return memberUserJSON{userJSON: u.full(), RealName: str(u.realName)}
}

// accountJSON is an Account.
type accountJSON struct {
	ID           int64   `json:"id"`
	Name         string  `json:"name"`
	FriendlyName string  `json:"friendlyName"`
	Enabled      bool    `json:"enabled"`
	Domain       *string `json:"domain"`
	Hash         *string `json:"hash"`
	Locale       *string `json:"locale"`
	DateCreated  int64   `json:"dateCreated"`
	LastModified int64   `json:"lastModified"`
}

func (a *account) json() accountJSON {
	return accountJSON{ID: a.id, Name: a.name, FriendlyName: a.friendlyName, Enabled: a.enabled,
		Domain: str(a.domain), Hash: str(a.hash), Locale: str(a.locale),
		DateCreated: a.dateCreated, LastModified: a.lastModified}
}

// accountRefJSON is the short account of an invite request.
type accountRefJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	FriendlyName string `json:"friendlyName"`
	Enabled      bool   `json:"enabled"`
}

func (a *account) ref() accountRefJSON {
	return accountRefJSON{ID: a.id, Name: a.name, FriendlyName: a.friendlyName, Enabled: a.enabled}
}

// groupRefJSON is GroupSummary: {id, name, friendlyName}.
type groupRefJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	FriendlyName string `json:"friendlyName"`
}

func (g *group) ref() groupRefJSON {
	return groupRefJSON{ID: g.id, Name: g.name, FriendlyName: g.friendlyName}
}

// contextKeyJSON is {"id": n}.
type contextKeyJSON struct {
	ID int64 `json:"id"`
}

// msTime is the time of a Unix-milliseconds value.
func msTime(v int64) time.Time { return time.UnixMilli(v).UTC() }
