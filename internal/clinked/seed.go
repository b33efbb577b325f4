package clinked

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/standin-dev/standin/internal/auth"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/vendor"
)

// adminCreds are the namespace's Clinked credentials: the administrator of
// account 1 (user 1), an application of theirs, and a ready token.
type adminCreds struct {
	username, password     string
	clientID, clientSecret string
	accessToken            string
}

// adminCredentials derives the credentials from the namespace secret, so
// that reset keeps them. The docs seed uses the doc's own values, so that
// the documented token requests replay as written.
func adminCredentials(ns *namespace.Namespace) adminCreds {
	c := adminCreds{
		username:     "admin",
		password:     ns.Credential("clinked.password", 16),
		clientID:     ids.UUIDFromHex(ns.Credential("clinked.client_id", 32)),
		clientSecret: ids.UUIDFromHex(ns.Credential("clinked.client_secret", 32)),
		accessToken:  ids.UUIDFromHex(ns.Credential("clinked.access_token", 32)),
	}
	switch ns.Seed {
	case namespace.SeedDocs:
		c.username, c.password = "jack", "Aez1Ahr8Ji"
		c.clientID, c.clientSecret = "5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d", "0eda391b-0a88-46d2-aaaf-905332c19e20"
	case namespace.SeedDemo:
		c.username = "maria"
	}
	return c
}

// readyTokenTTL is the lifetime of the control plane's ready token.
const readyTokenTTL = 10 * 365 * 24 * time.Hour

// Fixture is the "clinked" section of a seed document. Ids are Clinked's
// integers; users, groups and accounts are referred to by id. Times are
// Unix milliseconds and default to the namespace's now.
//
//	clinked:
//	  accounts:     [{id, name, friendly_name, enabled, domain, hash, locale, mail_domain, metadata, features,
//	                  components, two_factor_enforced, subscription: {code, plan, interval, currency, members,
//	                  storage, suspended, trial_expires, paused, paused_billing_cycles, date_paused_at,
//	                  billing_details}, date_created, last_modified}]
//	  users:        [{id, username, email, name, real_name, password, job_title, organisation, address,
//	                  telephone, other, logo, time_zone, locale, enabled, locked, verified_email, two_factor,
//	                  two_factor_mode, two_factor_code, date_format, twenty_four_hour, last_active,
//	                  date_created, last_modified,
//	                  memberships: [{account, permission, tags, date_created, assign_to_new_groups,
//	                                 pending_unlock, activation_type, activation_date}]}]
//	  applications: [{client_id, client_secret, owner, name, description, platform, device_type,
//	                  device_model, device_os, app_version, bundle_id, last_activity, ip, scope,
//	                  redirect_uris, grant_types}]
//	  tokens:       [{access_token, refresh_token, user, client_id, expires_in}]   (expires_in: seconds)
//	  groups:       [{id, account, name, friendly_name, description, owner, blind, disable_chat,
//	                  disable_comments, disable_email_comments, hide_member_details, storage_consumed,
//	                  branding, components, settings, watermark, master, position, removed,
//	                  date_created, last_modified,
//	                  members: [{user, permission, expiration_date, date_created}]}]
//	  invites:      [{id, kind (account|group), account, group, email, permission, groups: {gid: perm},
//	                  message, status, invite_key, source, target, expiration_date, date_created,
//	                  last_modified}]
//	  guests:       [{id, account, name, email, password, password_enabled, date_created,
//	                  shares: [{group, permission}]}]
//	  events:       [{id, group, name, friendly_name, start_date, end_date, all_day, location, tags,
//	                  date_reminder, recurrence, date_end_recurrence, description, disable_maybe, color,
//	                  sharing, member_permission, author, trashed, date_created, last_modified}]
//	  tasks:        [{id, group, parent, name, friendly_name, status, priority, progress, due_date,
//	                  date_reminder, recurrence, order, category, description, tags, assignees: [user ids],
//	                  sharing, member_permission, author, tracking_start_date, time_tracked, date_completed,
//	                  trashed, date_created, last_modified}]
//	                (event and task times: Unix milliseconds or the API's ISO forms)
type Fixture struct {
	Account      *fxAccount      `json:"account"` // replaces account 1 (export.go)
	Admin        *fxUser         `json:"admin"`   // replaces user 1, keeping its password (export.go)
	Accounts     []fxAccount     `json:"accounts"`
	Users        []fxUser        `json:"users"`
	Applications []fxApplication `json:"applications"`
	Tokens       []fxToken       `json:"tokens"`
	Groups       []fxGroup       `json:"groups"`
	Invites      []fxInvite      `json:"invites"`
	Guests       []fxGuest       `json:"guests"`
	Events       []fxEvent       `json:"events"`
	Tasks        []fxTask        `json:"tasks"`

	fxSettingsDoc          // account settings and group configuration: seed_settings.go
	Files         []fxFile `json:"files"` // files and folders (files_seed.go)
	// StoredSettings are account settings as stored, as Export writes them.
	StoredSettings []fxStoredSetting `json:"stored_settings"`
}

type fxAccount struct {
	ID                int64             `json:"id"`
	Name              string            `json:"name"`
	FriendlyName      string            `json:"friendly_name"`
	Enabled           *bool             `json:"enabled"`
	Domain            string            `json:"domain"`
	Hash              string            `json:"hash"`
	Locale            string            `json:"locale"`
	MailDomain        string            `json:"mail_domain"`
	Metadata          map[string]string `json:"metadata"`
	Features          []string          `json:"features"`
	Components        []string          `json:"components"`
	TwoFactorEnforced bool              `json:"two_factor_enforced"`
	Subscription      struct {
		Code                string          `json:"code"`
		Plan                string          `json:"plan"`
		Interval            *int64          `json:"interval"`
		Currency            string          `json:"currency"`
		Members             int64           `json:"members"`
		Storage             *int64          `json:"storage"`
		Suspended           bool            `json:"suspended"`
		TrialExpires        *int64          `json:"trial_expires"`
		Paused              bool            `json:"paused"`
		PausedBillingCycles *int64          `json:"paused_billing_cycles"`
		DatePausedAt        *int64          `json:"date_paused_at"`
		BillingDetails      json.RawMessage `json:"billing_details"`
	} `json:"subscription"`
	DateCreated  int64 `json:"date_created"`
	LastModified int64 `json:"last_modified"`
}

type fxMembership struct {
	Account           int64    `json:"account"`
	Permission        int64    `json:"permission"`
	Tags              []string `json:"tags"`
	DateCreated       int64    `json:"date_created"`
	AssignToNewGroups *int64   `json:"assign_to_new_groups"`
	PendingUnlock     *bool    `json:"pending_unlock"`
	ActivationType    string   `json:"activation_type"`
	ActivationDate    *int64   `json:"activation_date"`
}

type fxUser struct {
	ID             int64          `json:"id"`
	Username       string         `json:"username"`
	Email          string         `json:"email"`
	Name           string         `json:"name"`
	RealName       string         `json:"real_name"`
	Password       string         `json:"password"`
	PasswordHash   string         `json:"password_hash"` // as stored: what an export writes
	JobTitle       string         `json:"job_title"`
	Organisation   string         `json:"organisation"`
	Address        string         `json:"address"`
	Telephone      string         `json:"telephone"`
	Other          string         `json:"other"`
	Logo           bool           `json:"logo"`
	TimeZone       string         `json:"time_zone"`
	Locale         string         `json:"locale"`
	Enabled        *bool          `json:"enabled"`
	Locked         bool           `json:"locked"`
	VerifiedEmail  bool           `json:"verified_email"`
	TwoFactor      bool           `json:"two_factor"`
	TwoFactorMode  string         `json:"two_factor_mode"`
	TwoFactorCode  string         `json:"two_factor_code"`
	DateFormat     string         `json:"date_format"`
	TwentyFourHour bool           `json:"twenty_four_hour"`
	LastActive     *int64         `json:"last_active"`
	DateCreated    int64          `json:"date_created"`
	LastModified   int64          `json:"last_modified"`
	Memberships    []fxMembership `json:"memberships"`
}

type fxApplication struct {
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	SecretHash   string   `json:"secret_hash"` // as stored: what an export writes
	Owner        int64    `json:"owner"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Platform     string   `json:"platform"`
	DeviceType   string   `json:"device_type"`
	DeviceModel  string   `json:"device_model"`
	DeviceOs     string   `json:"device_os"`
	AppVersion   string   `json:"app_version"`
	BundleID     string   `json:"bundle_id"`
	LastActivity *int64   `json:"last_activity"`
	IP           string   `json:"ip"`
	Scope        []string `json:"scope"`
	RedirectURIs []string `json:"redirect_uris"`
	GrantTypes   []string `json:"grant_types"`
}

type fxToken struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	User         int64  `json:"user"`
	ClientID     string `json:"client_id"`
	ExpiresIn    int64  `json:"expires_in"`
}

type fxGroupMember struct {
	User           int64  `json:"user"`
	Permission     int64  `json:"permission"`
	ExpirationDate *int64 `json:"expiration_date"`
	DateCreated    int64  `json:"date_created"`
}

type fxGroup struct {
	ID                   int64           `json:"id"`
	Account              int64           `json:"account"`
	Name                 string          `json:"name"`
	FriendlyName         string          `json:"friendly_name"`
	Description          string          `json:"description"`
	Owner                *int64          `json:"owner"`
	Blind                bool            `json:"blind"`
	DisableChat          bool            `json:"disable_chat"`
	DisableComments      bool            `json:"disable_comments"`
	DisableEmailComments bool            `json:"disable_email_comments"`
	HideMemberDetails    bool            `json:"hide_member_details"`
	StorageConsumed      int64           `json:"storage_consumed"`
	Branding             json.RawMessage `json:"branding"`
	Components           json.RawMessage `json:"components"`
	Settings             json.RawMessage `json:"settings"`
	Watermark            json.RawMessage `json:"watermark"`
	Master               *int64          `json:"master"`
	Position             int64           `json:"position"`
	Removed              bool            `json:"removed"`
	DateCreated          int64           `json:"date_created"`
	LastModified         int64           `json:"last_modified"`
	Members              []fxGroupMember `json:"members"`
}

type fxInvite struct {
	ID             int64            `json:"id"`
	Kind           string           `json:"kind"`
	Account        int64            `json:"account"`
	Group          *int64           `json:"group"`
	Email          string           `json:"email"`
	Permission     int64            `json:"permission"`
	Groups         map[string]int64 `json:"groups"`
	Message        string           `json:"message"`
	Status         string           `json:"status"`
	InviteKey      string           `json:"invite_key"`
	Source         int64            `json:"source"`
	Target         *int64           `json:"target"`
	ExpirationDate *int64           `json:"expiration_date"`
	DateCreated    int64            `json:"date_created"`
	LastModified   *int64           `json:"last_modified"`
}

type fxGuest struct {
	ID              int64     `json:"id"`
	Account         int64     `json:"account"`
	Name            string    `json:"name"`
	Email           string    `json:"email"`
	Password        string    `json:"password"`
	PasswordHash    string    `json:"password_hash"` // as stored: what an export writes
	PasswordEnabled bool      `json:"password_enabled"`
	DateCreated     int64     `json:"date_created"`
	Shares          []fxShare `json:"shares"`
}

type fxShare struct {
	Group      int64 `json:"group"`
	Permission int64 `json:"permission"`
}

// Seed implements vendor.Vendor. Every seed has account 1 administered by
// user 1 (the control plane's username and password), an application of
// theirs (client_id, client_secret) and a ready access token.
func (s *Service) Seed(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	doc := bySeed(seed, docsSeed, demoSeed, emptySeed)
	if err := s.load(ctx, tx, ns, []byte(doc)); err != nil {
		return err
	}
	if err := s.load(ctx, tx, ns, []byte(eventsTasksSeed(seed))); err != nil {
		return err
	}
	if err := s.seedSettings(ctx, tx, ns, seed); err != nil {
		return err
	}
	if err := s.seedFiles(ctx, tx, ns, seed); err != nil {
		return err
	}
	c := adminCredentials(ns)
	hash, err := auth.HashSecret(c.password) // generated, high-entropy: see auth.HashSecret
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE clinked_users SET password_hash = $2 WHERE ns = $1 AND id = 1`,
		ns.ID, hash); err != nil {
		return err
	}
	if seed != namespace.SeedDocs { // the docs seed lists its applications itself
		now := ms(ns.Now())
		if err := insertApplication(ctx, tx, ns.ID, &application{
			clientID: c.clientID, secretHash: secretHash(c.clientSecret), ownerID: 1,
			name: "standin", description: "Application for the control plane's client credentials",
			platform: "OTHER", deviceType: "Other", dateCreated: now,
		}); err != nil {
			return err
		}
	}
	return insertToken(ctx, tx, ns.ID, &tokenRow{
		accessHash: secretHash(c.accessToken), clientID: publicClient, userID: 1, grantType: "password",
		scope: defaultScope, expiresAt: ms(ns.Now().Add(readyTokenTTL)), createdAt: ms(ns.Now()),
	})
}

// LoadFixture implements vendor.Vendor.
func (s *Service) LoadFixture(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc json.RawMessage) error {
	return s.load(ctx, tx, ns, doc)
}

func fxErr(format string, a ...any) error {
	return &vendor.FixtureError{Msg: fmt.Sprintf(format, a...)}
}

func orNow(v, now int64) int64 {
	if v == 0 {
		return now
	}
	return v
}

func nullInt(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

// rawOr returns a fixture's JSON value as text, or def when absent.
func rawOr(raw json.RawMessage, def string) string {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return def
	}
	return string(raw)
}

func (s *Service) load(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, doc []byte) error {
	var f Fixture
	if err := vendor.DecodeFixture(doc, &f); err != nil {
		return err
	}
	now := ms(ns.Now())
	if err := loadPrimary(ctx, tx, ns.ID, &f); err != nil {
		return err
	}
	for _, fa := range f.Accounts {
		if fa.Name == "" || fa.FriendlyName == "" {
			return fxErr("an account needs name and friendly_name")
		}
		a := &account{id: fa.ID, name: fa.Name, friendlyName: fa.FriendlyName, enabled: fa.Enabled == nil || *fa.Enabled,
			domain: nullStr(fa.Domain), hash: nullStr(fa.Hash), locale: nullStr(fa.Locale), mailDomain: fa.MailDomain,
			twoFactorEnforced: fa.TwoFactorEnforced, dateCreated: orNow(fa.DateCreated, now), lastModified: orNow(fa.LastModified, now)}
		if fa.Metadata != nil {
			a.metadata = jsonText(fa.Metadata)
		}
		if fa.Features != nil {
			a.features = jsonText(fa.Features)
		}
		if fa.Components != nil {
			a.components = jsonText(fa.Components)
		}
		sub := fa.Subscription
		a.planCode, a.planName, a.planInterval, a.planCurrency = sub.Code, sub.Plan, nullInt(sub.Interval), nullStr(sub.Currency)
		a.maxMembers = sub.Members
		if a.maxMembers == 0 {
			a.maxMembers = 100
		}
		a.storage, a.suspended, a.trialExpires, a.paused = nullInt(sub.Storage), sub.Suspended, nullInt(sub.TrialExpires), sub.Paused
		a.pausedBillingCycles, a.datePausedAt = nullInt(sub.PausedBillingCycles), nullInt(sub.DatePausedAt)
		if bd := rawOr(sub.BillingDetails, ""); bd != "" {
			a.billingDetails = sql.NullString{String: bd, Valid: true}
		}
		if err := insertAccount(ctx, tx, ns.ID, a); err != nil {
			return err
		}
	}
	for _, fu := range f.Users {
		if fu.Username == "" || fu.Email == "" {
			return fxErr("a user needs username and email")
		}
		if err := passwordError(fu.Password); err != nil {
			return fxErr("user %s: %v", fu.Username, err)
		}
		hash, err := auth.FixtureHash(fu.Password, fu.PasswordHash)
		if errors.Is(err, auth.ErrFixtureHash) {
			return fxErr("user %s: %v", fu.Username, err)
		}
		if err != nil {
			return err
		}
		name := fu.Name
		if name == "" {
			name = fu.Username
		}
		u := &user{id: fu.ID, username: fu.Username, email: fu.Email, name: name, realName: nullStr(fu.RealName),
			jobTitle: nullStr(fu.JobTitle), organisation: nullStr(fu.Organisation), address: nullStr(fu.Address),
			telephone: nullStr(fu.Telephone), other: nullStr(fu.Other), logo: fu.Logo, timeZone: nullStr(fu.TimeZone),
			locale: nullStr(fu.Locale), enabled: fu.Enabled == nil || *fu.Enabled, locked: fu.Locked,
			verifiedEmail: fu.VerifiedEmail, twoFactor: fu.TwoFactor, twoFactorMode: nullStr(fu.TwoFactorMode),
			twoFactorCode: nullStr(fu.TwoFactorCode), dateFormat: nullStr(fu.DateFormat), twentyFourHour: fu.TwentyFourHour,
			lastActive: nullInt(fu.LastActive), passwordHash: hash,
			dateCreated: orNow(fu.DateCreated, now), lastModified: orNow(fu.LastModified, now)}
		if err := insertUser(ctx, tx, ns.ID, u); err != nil {
			return err
		}
		for _, m := range fu.Memberships {
			if _, err := accountByID(ctx, tx, ns.ID, m.Account); err != nil {
				return fxErr("user %s: unknown account %d", fu.Username, m.Account)
			}
			perm := m.Permission
			if perm == 0 {
				perm = permBasic
			}
			if !validPermission(perm) {
				return fxErr("user %s: permission must be 1, 4, 8 or 16", fu.Username)
			}
			mem := &member{accountID: m.Account, userID: u.id, permission: perm, dateCreated: orNow(m.DateCreated, now),
				assignToNewGroups: nullInt(m.AssignToNewGroups), activationType: nullStr(m.ActivationType),
				activationDate: nullInt(m.ActivationDate)}
			if m.PendingUnlock != nil {
				mem.pendingUnlock = sql.NullBool{Bool: *m.PendingUnlock, Valid: true}
			}
			if err := insertMember(ctx, tx, ns.ID, mem); err != nil {
				return err
			}
			if err := setTags(ctx, tx, ns.ID, m.Account, u.id, m.Tags); err != nil {
				return err
			}
		}
	}
	for _, fa := range f.Applications {
		if fa.ClientID == "" || (fa.ClientSecret == "") == (fa.SecretHash == "") || fa.Name == "" {
			return fxErr("an application needs client_id, client_secret (or secret_hash) and name")
		}
		sh := secretHash(fa.ClientSecret)
		if fa.SecretHash != "" {
			if !storedSecretHash(fa.SecretHash) {
				return fxErr("application %s: secret_hash must be SHA-256 in lowercase hex", fa.ClientID)
			}
			sh = fa.SecretHash
		}
		if _, err := userByID(ctx, tx, ns.ID, fa.Owner); err != nil {
			return fxErr("application %s: unknown owner %d", fa.ClientID, fa.Owner)
		}
		a := &application{clientID: fa.ClientID, secretHash: sh, ownerID: fa.Owner,
			name: fa.Name, description: fa.Description, platform: defStr(fa.Platform, "OTHER"),
			deviceType: defStr(fa.DeviceType, "Other"), deviceModel: fa.DeviceModel, deviceOs: fa.DeviceOs,
			appVersion: fa.AppVersion, bundleID: fa.BundleID, lastActivity: nullInt(fa.LastActivity), ip: nullStr(fa.IP),
			dateCreated: now}
		if fa.Scope != nil {
			a.scope = jsonText(fa.Scope)
		}
		if fa.RedirectURIs != nil {
			a.redirectURIs = jsonText(fa.RedirectURIs)
		}
		if fa.GrantTypes != nil {
			a.grantTypes = jsonText(fa.GrantTypes)
		}
		if err := insertApplication(ctx, tx, ns.ID, a); err != nil {
			return err
		}
	}
	for _, ft := range f.Tokens {
		if ft.AccessToken == "" {
			return fxErr("a token needs access_token")
		}
		if _, err := userByID(ctx, tx, ns.ID, ft.User); err != nil {
			return fxErr("token: unknown user %d", ft.User)
		}
		ttl := time.Duration(ft.ExpiresIn) * time.Second
		if ft.ExpiresIn <= 0 {
			ttl = passwordTokenTTL
		}
		t := &tokenRow{accessHash: secretHash(ft.AccessToken), clientID: defStr(ft.ClientID, publicClient),
			userID: ft.User, grantType: "password", scope: defaultScope, expiresAt: ms(ns.Now().Add(ttl)), createdAt: now}
		if ft.RefreshToken != "" {
			t.refreshHash = sql.NullString{String: secretHash(ft.RefreshToken), Valid: true}
			t.refreshExpiresAt = sql.NullInt64{Int64: ms(ns.Now().Add(refreshTokenTTL)), Valid: true}
		}
		if err := insertToken(ctx, tx, ns.ID, t); err != nil {
			return err
		}
	}
	for _, fg := range f.Groups {
		if fg.Name == "" || fg.FriendlyName == "" {
			return fxErr("a group needs name and friendly_name")
		}
		if _, err := accountByID(ctx, tx, ns.ID, fg.Account); err != nil {
			return fxErr("group %s: unknown account %d", fg.Name, fg.Account)
		}
		g := &group{id: fg.ID, accountID: fg.Account, name: fg.Name, friendlyName: fg.FriendlyName,
			description: fg.Description, ownerID: nullInt(fg.Owner), blind: fg.Blind, disableChat: fg.DisableChat,
			disableComments: fg.DisableComments, disableEmailComments: fg.DisableEmailComments,
			hideMemberDetails: fg.HideMemberDetails, storageConsumed: fg.StorageConsumed,
			branding: rawOr(fg.Branding, ""), components: rawOr(fg.Components, ""), settings: rawOr(fg.Settings, ""),
			watermark: rawOr(fg.Watermark, ""), master: nullInt(fg.Master), masterConfigured: fg.Master != nil,
			position: fg.Position, removed: fg.Removed,
			dateCreated: orNow(fg.DateCreated, now), lastModified: orNow(fg.LastModified, now)}
		if g.removed {
			g.dateRemoved = sql.NullInt64{Int64: now, Valid: true}
		}
		if err := insertGroup(ctx, tx, ns.ID, g); err != nil {
			return err
		}
		for _, m := range fg.Members {
			if _, err := userByID(ctx, tx, ns.ID, m.User); err != nil {
				return fxErr("group %s: unknown member %d", fg.Name, m.User)
			}
			if !validPermission(m.Permission) {
				return fxErr("group %s: member %d: permission must be 1, 4, 8 or 16", fg.Name, m.User)
			}
			if err := upsertGroupMember(ctx, tx, ns.ID, &groupMember{groupID: g.id, userID: m.User,
				permission: m.Permission, dateCreated: orNow(m.DateCreated, now),
				expirationDate: nullInt(m.ExpirationDate)}); err != nil {
				return err
			}
		}
	}
	for _, fi := range f.Invites {
		if err := s.loadInvite(ctx, tx, ns, fi, now); err != nil {
			return err
		}
	}
	for _, fg := range f.Guests {
		if fg.Name == "" || fg.Email == "" {
			return fxErr("a guest needs name and email")
		}
		if _, err := accountByID(ctx, tx, ns.ID, fg.Account); err != nil {
			return fxErr("guest %s: unknown account %d", fg.Email, fg.Account)
		}
		if err := passwordError(fg.Password); err != nil {
			return fxErr("guest %s: %v", fg.Email, err)
		}
		hash, err := auth.FixtureHash(fg.Password, fg.PasswordHash)
		if errors.Is(err, auth.ErrFixtureHash) {
			return fxErr("guest %s: %v", fg.Email, err)
		}
		if err != nil {
			return err
		}
		g := &guest{id: fg.ID, accountID: fg.Account, name: fg.Name, email: fg.Email,
			passwordEnabled: fg.PasswordEnabled, passwordHash: hash,
			dateCreated: orNow(fg.DateCreated, now), lastModified: orNow(fg.DateCreated, now)}
		if err := insertGuest(ctx, tx, ns.ID, g); err != nil {
			return err
		}
		for _, sh := range fg.Shares {
			grp, err := groupByID(ctx, tx, ns.ID, sh.Group)
			if err != nil || grp.accountID != fg.Account {
				return fxErr("guest %s: unknown group %d in its account", fg.Email, sh.Group)
			}
			perm := sh.Permission
			if perm == 0 {
				perm = permBasic
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_guest_shares (ns, guest_id, group_id, permission, date_created)
				VALUES ($1, $2, $3, $4, $5)`, ns.ID, g.id, sh.Group, perm, g.dateCreated); err != nil {
				return err
			}
		}
	}
	if err := loadEventsTasks(ctx, tx, ns, &f, now); err != nil {
		return err
	}
	if err := s.loadSettings(ctx, tx, ns, &f.fxSettingsDoc, now); err != nil {
		return err
	}
	if err := loadStoredSettings(ctx, tx, ns.ID, f.StoredSettings); err != nil {
		return err
	}
	return s.loadFiles(ctx, tx, ns, f.Files, now)
}

func defStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// inviteParameters encodes an invite's request.parameters, the JSON string
// {"mask":perm,"groups":{"gid":perm},"extras":{}}, with group ids in order.
func inviteParameters(mask int64, groups map[int64]int64) string {
	var b bytes.Buffer
	b.WriteString(`{"mask":` + strconv.FormatInt(mask, 10) + `,"groups":{`)
	for i, g := range slices.Sorted(maps.Keys(groups)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.FormatInt(g, 10) + `":` + strconv.FormatInt(groups[g], 10))
	}
	b.WriteString(`},"extras":{}}`)
	return b.String()
}

func (s *Service) loadInvite(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, fi fxInvite, now int64) error {
	kind := defStr(fi.Kind, inviteAccount)
	if kind != inviteAccount && kind != inviteGroup {
		return fxErr("invite %d: kind must be account or group", fi.ID)
	}
	if fi.Email == "" || fi.InviteKey == "" {
		return fxErr("an invite needs email and invite_key")
	}
	perm := fi.Permission
	if perm == 0 {
		perm = permBasic
	}
	inv := &invite{kind: kind, id: fi.ID, accountID: fi.Account, email: fi.Email, permission: perm,
		message: fi.Message, status: defStr(fi.Status, invitePending), inviteKey: fi.InviteKey, sourceID: fi.Source,
		targetID: nullInt(fi.Target), expirationDate: nullInt(fi.ExpirationDate), dateCreated: orNow(fi.DateCreated, now),
		lastModified: nullInt(fi.LastModified)}
	switch inv.status {
	case invitePending, inviteAccepted, inviteDeclined:
	default:
		return fxErr("invite %d: status must be pending, accepted or declined", fi.ID)
	}
	if kind == inviteGroup {
		if fi.Group == nil {
			return fxErr("group invite %d needs group", fi.ID)
		}
		g, err := groupByID(ctx, tx, ns.ID, *fi.Group)
		if err != nil {
			return fxErr("invite %d: unknown group %d", fi.ID, *fi.Group)
		}
		inv.groupID = sql.NullInt64{Int64: g.id, Valid: true}
		inv.accountID = g.accountID
	} else {
		if _, err := accountByID(ctx, tx, ns.ID, fi.Account); err != nil {
			return fxErr("invite %d: unknown account %d", fi.ID, fi.Account)
		}
		groups := map[int64]int64{}
		for k, p := range fi.Groups {
			gid, err := strconv.ParseInt(k, 10, 64)
			if err != nil || !validPermission(p) {
				return fxErr("invite %d: groups must map group ids to 1, 4, 8 or 16", fi.ID)
			}
			groups[gid] = p
		}
		inv.parameters = sql.NullString{String: inviteParameters(perm, groups), Valid: true}
	}
	if _, err := userByID(ctx, tx, ns.ID, fi.Source); err != nil {
		return fxErr("invite %d: unknown source user %d", fi.ID, fi.Source)
	}
	return insertInvite(ctx, tx, ns.ID, inv)
}

// emptySeed: account 1 and its administrator, user 1.
const emptySeed = `{
 "accounts": [{"id": 1, "name": "standin", "friendly_name": "Standin"}],
 "users": [{"id": 1, "username": "admin", "email": "admin@standin.example", "name": "Standin Admin",
   "memberships": [{"account": 1, "permission": 16}]}]
}`
