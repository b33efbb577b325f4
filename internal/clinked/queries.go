package clinked

import (
	"context"
	"database/sql"
	"errors"

	"github.com/standin-dev/standin/internal/store"
)

// Counter names for store.NextID.
const (
	ctrUser        = "clinked.user"
	ctrAccount     = "clinked.account"
	ctrGroup       = "clinked.group"
	ctrInvite      = "clinked.invite"
	ctrGroupInvite = "clinked.group_invite"
	ctrGuest       = "clinked.guest"
	ctrContextKey  = "clinked.context_key"
)

// scanRow reads one row into a new T through its dest() list, the one
// column order of its row type.
func scanRow[T any, P interface {
	*T
	dest() []any
}](row store.Scanner) (*T, error) {
	p := P(new(T))
	if err := row.Scan(p.dest()...); err != nil {
		return nil, err
	}
	return p, nil
}

// The row scanners of the row types that queries return whole.
var (
	scanUser    = scanRow[user]
	scanAccount = scanRow[account]
	scanGroup   = scanRow[group]
	scanInvite  = scanRow[invite]
	scanEvent   = scanRow[event]
	scanTask    = scanRow[task]
	scanTrash   = scanRow[trashEntry]
)

// scanString reads a one-column row of text.
func scanString(row store.Scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// ---- users ----

const userColumns = `id, username, email, name, real_name, job_title, organisation, address,
	telephone, other, logo, time_zone, locale, enabled, locked, verified_email, two_factor,
	two_factor_mode, two_factor_code, date_format, twenty_four_hour, last_active, password_hash,
	authorities, date_created, last_modified`

// userColumnsAs is userColumns qualified by a table alias (for joins).
func userColumnsAs(alias string) string {
	return alias + `.id, ` + alias + `.username, ` + alias + `.email, ` + alias + `.name, ` +
		alias + `.real_name, ` + alias + `.job_title, ` + alias + `.organisation, ` + alias + `.address, ` +
		alias + `.telephone, ` + alias + `.other, ` + alias + `.logo, ` + alias + `.time_zone, ` +
		alias + `.locale, ` + alias + `.enabled, ` + alias + `.locked, ` + alias + `.verified_email, ` +
		alias + `.two_factor, ` + alias + `.two_factor_mode, ` + alias + `.two_factor_code, ` +
		alias + `.date_format, ` + alias + `.twenty_four_hour, ` + alias + `.last_active, ` +
		alias + `.password_hash, ` + alias + `.authorities, ` + alias + `.date_created, ` + alias + `.last_modified`
}

func (u *user) dest() []any {
	return []any{&u.id, &u.username, &u.email, &u.name, &u.realName, &u.jobTitle, &u.organisation,
		&u.address, &u.telephone, &u.other, &u.logo, &u.timeZone, &u.locale, &u.enabled, &u.locked,
		&u.verifiedEmail, &u.twoFactor, &u.twoFactorMode, &u.twoFactorCode, &u.dateFormat,
		&u.twentyFourHour, &u.lastActive, &u.passwordHash, &u.authorities, &u.dateCreated, &u.lastModified}
}

func userByID(ctx context.Context, q store.Querier, ns string, id int64) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM clinked_users
		WHERE ns = $1 AND id = $2`, ns, id))
}

func userByUsername(ctx context.Context, q store.Querier, ns, username string) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM clinked_users
		WHERE ns = $1 AND username = $2`, ns, username))
}

// userByLogin finds the user of a password login: by username, else by
// e-mail (Clinked's login form takes either).
func userByLogin(ctx context.Context, q store.Querier, ns, login string) (*user, error) {
	u, err := userByUsername(ctx, q, ns, login)
	if err == sql.ErrNoRows {
		u, err = scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM clinked_users
			WHERE ns = $1 AND lower(email) = lower($2) ORDER BY id LIMIT 1`, ns, login))
	}
	return u, err
}

// assignID gives *id the next value of counter when it is 0, and otherwise
// moves the counter past the given id (fixtures bring their own ids).
func assignID(ctx context.Context, q store.Querier, ns, counter string, id *int64) error {
	if *id != 0 {
		return store.EnsureCounterAtLeast(ctx, q, ns, counter, *id)
	}
	next, err := store.NextID(ctx, q, ns, counter)
	*id = next
	return err
}

// assignKeyed is assignID for a row that also has a context key: *key
// takes the next context key when it is 0; a context key of its own (a
// fixture's) is kept as it is, and the counter left alone.
func assignKeyed(ctx context.Context, q store.Querier, ns, counter string, id, key *int64) error {
	if err := assignID(ctx, q, ns, counter, id); err != nil || *key != 0 {
		return err
	}
	return assignID(ctx, q, ns, ctrContextKey, key)
}

// insertUser stores u; u.id 0 takes the next id.
func insertUser(ctx context.Context, q store.Querier, ns string, u *user) error {
	if err := assignID(ctx, q, ns, ctrUser, &u.id); err != nil {
		return err
	}
	if u.authorities == "" {
		u.authorities = `["ROLE_USER"]`
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_users (ns, `+userColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		$19, $20, $21, $22, $23, $24, $25, $26, $27)`,
		ns, u.id, u.username, u.email, u.name, u.realName, u.jobTitle, u.organisation, u.address,
		u.telephone, u.other, u.logo, u.timeZone, u.locale, u.enabled, u.locked, u.verifiedEmail,
		u.twoFactor, u.twoFactorMode, u.twoFactorCode, u.dateFormat, u.twentyFourHour, u.lastActive,
		u.passwordHash, u.authorities, u.dateCreated, u.lastModified)
	return err
}

// updateUser saves every mutable column of u.
func updateUser(ctx context.Context, q store.Querier, ns string, u *user) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_users SET username = $3, email = $4, name = $5,
		real_name = $6, job_title = $7, organisation = $8, address = $9, telephone = $10, other = $11,
		logo = $12, time_zone = $13, locale = $14, enabled = $15, locked = $16, verified_email = $17,
		two_factor = $18, two_factor_mode = $19, two_factor_code = $20, date_format = $21,
		twenty_four_hour = $22, last_active = $23, password_hash = $24, last_modified = $25
		WHERE ns = $1 AND id = $2`,
		ns, u.id, u.username, u.email, u.name, u.realName, u.jobTitle, u.organisation, u.address,
		u.telephone, u.other, u.logo, u.timeZone, u.locale, u.enabled, u.locked, u.verifiedEmail,
		u.twoFactor, u.twoFactorMode, u.twoFactorCode, u.dateFormat, u.twentyFourHour, u.lastActive,
		u.passwordHash, u.lastModified)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE clinked_members SET sort_name = lower($3) WHERE ns = $1 AND user_id = $2`,
		ns, u.id, u.name)
	return err
}

// ---- accounts ----

const accountColumns = `id, name, friendly_name, enabled, domain, hash, locale, mail_domain, metadata,
	features, components, two_factor_enforced, plan_code, plan_name, plan_interval, plan_currency,
	max_members, storage, suspended, trial_expires, paused, paused_billing_cycles, date_paused_at,
	billing_details, date_created, last_modified`

func (a *account) dest() []any {
	return []any{&a.id, &a.name, &a.friendlyName, &a.enabled, &a.domain, &a.hash, &a.locale,
		&a.mailDomain, &a.metadata, &a.features, &a.components, &a.twoFactorEnforced, &a.planCode,
		&a.planName, &a.planInterval, &a.planCurrency, &a.maxMembers, &a.storage, &a.suspended,
		&a.trialExpires, &a.paused, &a.pausedBillingCycles, &a.datePausedAt, &a.billingDetails,
		&a.dateCreated, &a.lastModified}
}

func accountByID(ctx context.Context, q store.Querier, ns string, id int64) (*account, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM clinked_accounts
		WHERE ns = $1 AND id = $2`, ns, id))
}

// insertAccount stores a; a.id 0 takes the next id. Empty JSON columns get
// their defaults.
func insertAccount(ctx context.Context, q store.Querier, ns string, a *account) error {
	if err := assignID(ctx, q, ns, ctrAccount, &a.id); err != nil {
		return err
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&a.mailDomain, "localhost")
	def(&a.metadata, "{}")
	def(&a.features, "[]")
	def(&a.components, defaultAccountComponents)
	def(&a.planCode, "premium")
	def(&a.planName, "Premium")
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_accounts (ns, `+accountColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		$19, $20, $21, $22, $23, $24, $25, $26, $27)`,
		ns, a.id, a.name, a.friendlyName, a.enabled, a.domain, a.hash, a.locale, a.mailDomain,
		a.metadata, a.features, a.components, a.twoFactorEnforced, a.planCode, a.planName,
		a.planInterval, a.planCurrency, a.maxMembers, a.storage, a.suspended, a.trialExpires,
		a.paused, a.pausedBillingCycles, a.datePausedAt, a.billingDetails, a.dateCreated, a.lastModified)
	return err
}

// ---- account members ----

const memberColumns = `account_id, user_id, permission, date_created, assign_to_new_groups,
	pending_unlock, activation_type, activation_date, activation_message`

func (m *member) dest() []any {
	return []any{&m.accountID, &m.userID, &m.permission, &m.dateCreated, &m.assignToNewGroups,
		&m.pendingUnlock, &m.activationType, &m.activationDate, &m.activationMessage}
}

// memberOf returns user's membership of an account (sql.ErrNoRows: none).
func memberOf(ctx context.Context, q store.Querier, ns string, accountID, userID int64) (*member, error) {
	return scanRow[member](q.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM clinked_members
		WHERE ns = $1 AND account_id = $2 AND user_id = $3`, ns, accountID, userID))
}

func insertMember(ctx context.Context, q store.Querier, ns string, m *member) error {
	// sort_name copies the user's lowercased name so that member lists sort
	// by name on an index, without joining every user.
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_members (ns, `+memberColumns+`, sort_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
			(SELECT lower(name) FROM clinked_users WHERE ns = $1 AND id = $3))`,
		ns, m.accountID, m.userID, m.permission, m.dateCreated, m.assignToNewGroups,
		m.pendingUnlock, m.activationType, m.activationDate, m.activationMessage)
	return err
}

func updateMember(ctx context.Context, q store.Querier, ns string, m *member) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_members SET permission = $4, assign_to_new_groups = $5,
		pending_unlock = $6, activation_type = $7, activation_date = $8, activation_message = $9
		WHERE ns = $1 AND account_id = $2 AND user_id = $3`,
		ns, m.accountID, m.userID, m.permission, m.assignToNewGroups, m.pendingUnlock,
		m.activationType, m.activationDate, m.activationMessage)
	return err
}

// setTags replaces a member's tags.
func setTags(ctx context.Context, q store.Querier, ns string, accountID, userID int64, tags []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM clinked_member_tags
		WHERE ns = $1 AND account_id = $2 AND user_id = $3`, ns, accountID, userID); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO clinked_member_tags (ns, account_id, tag, user_id)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, ns, accountID, t, userID); err != nil {
			return err
		}
	}
	return nil
}

// tagsOf returns a member's tags in name order; never nil.
func tagsOf(ctx context.Context, q store.Querier, ns string, accountID, userID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT tag FROM clinked_member_tags
		WHERE ns = $1 AND account_id = $2 AND user_id = $3 ORDER BY tag`, ns, accountID, userID)
	return store.Collect(rows, err, scanString)
}

// ---- applications ----

const applicationColumns = `client_id, secret_hash, owner_id, name, description, platform, device_type,
	device_model, device_os, app_version, bundle_id, last_activity, ip, scope, redirect_uris,
	grant_types, date_created`

func (a *application) dest() []any {
	return []any{&a.clientID, &a.secretHash, &a.ownerID, &a.name, &a.description, &a.platform,
		&a.deviceType, &a.deviceModel, &a.deviceOs, &a.appVersion, &a.bundleID, &a.lastActivity,
		&a.ip, &a.scope, &a.redirectURIs, &a.grantTypes, &a.dateCreated}
}

func applicationByClientID(ctx context.Context, q store.Querier, ns, clientID string) (*application, error) {
	return scanRow[application](q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM clinked_applications
		WHERE ns = $1 AND client_id = $2`, ns, clientID))
}

func insertApplication(ctx context.Context, q store.Querier, ns string, a *application) error {
	if a.scope == "" {
		a.scope = `["read","write","smartsync"]`
	}
	if a.redirectURIs == "" {
		a.redirectURIs = "[]"
	}
	if a.grantTypes == "" {
		a.grantTypes = "[]"
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_applications (ns, `+applicationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		ns, a.clientID, a.secretHash, a.ownerID, a.name, a.description, a.platform, a.deviceType,
		a.deviceModel, a.deviceOs, a.appVersion, a.bundleID, a.lastActivity, a.ip, a.scope,
		a.redirectURIs, a.grantTypes, a.dateCreated)
	return err
}

// ---- groups ----

const groupColumns = `id, account_id, name, friendly_name, description, context_key, owner_id, blind,
	disable_chat, disable_comments, disable_email_comments, hide_member_details, storage_consumed,
	branding, components, settings, watermark, master, master_configured, position, removed,
	date_removed, date_created, last_modified`

func (g *group) dest() []any {
	return []any{&g.id, &g.accountID, &g.name, &g.friendlyName, &g.description, &g.contextKey,
		&g.ownerID, &g.blind, &g.disableChat, &g.disableComments, &g.disableEmailComments,
		&g.hideMemberDetails, &g.storageConsumed, &g.branding, &g.components, &g.settings,
		&g.watermark, &g.master, &g.masterConfigured, &g.position, &g.removed, &g.dateRemoved,
		&g.dateCreated, &g.lastModified}
}

// groupByID returns a group, removed or not; callers decide whether a
// removed group counts.
func groupByID(ctx context.Context, q store.Querier, ns string, id int64) (*group, error) {
	return scanGroup(q.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM clinked_groups
		WHERE ns = $1 AND id = $2`, ns, id))
}

// insertGroup stores g; g.id 0 takes the next id, g.contextKey 0 the next
// context key, and empty JSON columns their defaults.
// liveGroup is the group with id if it is a live group of the account
// (not removed), else nil.
func liveGroup(ctx context.Context, q store.Querier, ns string, accountID, id int64) (*group, error) {
	g, err := groupByID(ctx, q, ns, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (g.removed || g.accountID != accountID)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

func insertGroup(ctx context.Context, q store.Querier, ns string, g *group) error {
	if err := assignKeyed(ctx, q, ns, ctrGroup, &g.id, &g.contextKey); err != nil {
		return err
	}
	if g.branding == "" {
		g.branding = defaultBranding
	}
	if g.components == "" {
		g.components = defaultGroupComponents
	}
	if g.settings == "" {
		g.settings = "{}"
	}
	if g.watermark == "" {
		g.watermark = defaultWatermark
	}
	if g.position == 0 {
		g.position = unordered
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_groups (ns, `+groupColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		$19, $20, $21, $22, $23, $24, $25)`,
		ns, g.id, g.accountID, g.name, g.friendlyName, g.description, g.contextKey, g.ownerID,
		g.blind, g.disableChat, g.disableComments, g.disableEmailComments, g.hideMemberDetails,
		g.storageConsumed, g.branding, g.components, g.settings, g.watermark, g.master,
		g.masterConfigured, g.position, g.removed, g.dateRemoved, g.dateCreated, g.lastModified)
	return err
}

// unordered is the position of a group never reordered (Integer.MAX_VALUE,
// as Clinked writes it).
const unordered = 2147483647

// Defaults of a new group, as the create example shows them.
const (
	defaultBranding = `{"headerColor":"#dfdfdf","textColor":"#000000","logo":false,"background":false,` +
		`"alignment":"left","backgroundPositionX":50,"backgroundPositionY":50,"hideBackgroundGradient":false,` +
		`"hideLogoBackground":false,"hideGroupName":false}`
	defaultGroupComponents = `[{"name":"files","order":0,"configuration":{}},{"name":"pages","order":1,"configuration":{}},` +
		`{"name":"events","order":2,"configuration":{}},{"name":"tasks","order":3,"configuration":{}}]`
	defaultWatermark = `{"enableWatermark":false,"enableWatermarkIp":false,"enableWatermarkEmail":false,` +
		`"enableWatermarkTimestamp":false,"enableWatermarkCustomText":false,"watermarkCustomText":null,` +
		`"watermarkStyle":null,"transparentWatermark":null}`
	defaultAccountComponents = `["files","pages","events","tasks","discussions"]`
)

// ---- group members ----

const groupMemberColumns = `group_id, user_id, permission, date_created, expiration_date, restricted_apps`

func (m *groupMember) dest() []any {
	return []any{&m.groupID, &m.userID, &m.permission, &m.dateCreated, &m.expirationDate, &m.restrictedApps}
}

func groupMemberOf(ctx context.Context, q store.Querier, ns string, groupID, userID int64) (*groupMember, error) {
	return scanRow[groupMember](q.QueryRowContext(ctx, `SELECT `+groupMemberColumns+` FROM clinked_group_members
		WHERE ns = $1 AND group_id = $2 AND user_id = $3`, ns, groupID, userID))
}

// upsertGroupMember adds a member or changes the permission and expiry of
// an existing one (keeping its dateCreated).
func upsertGroupMember(ctx context.Context, q store.Querier, ns string, m *groupMember) error {
	if m.restrictedApps == "" {
		m.restrictedApps = "[]"
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_group_members (ns, `+groupMemberColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (ns, group_id, user_id) DO UPDATE SET permission = excluded.permission,
			expiration_date = excluded.expiration_date`,
		ns, m.groupID, m.userID, m.permission, m.dateCreated, m.expirationDate, m.restrictedApps)
	return err
}

func deleteGroupMember(ctx context.Context, q store.Querier, ns string, groupID, userID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM clinked_group_members
		WHERE ns = $1 AND group_id = $2 AND user_id = $3`, ns, groupID, userID)
	return err
}

// ---- invites ----

const inviteColumns = `kind, id, account_id, group_id, email, permission, parameters, message, reminder,
	status, invite_key, context_key, source_id, target_id, expiration_date, date_created, last_modified`

func (i *invite) dest() []any {
	return []any{&i.kind, &i.id, &i.accountID, &i.groupID, &i.email, &i.permission, &i.parameters,
		&i.message, &i.reminder, &i.status, &i.inviteKey, &i.contextKey, &i.sourceID, &i.targetID,
		&i.expirationDate, &i.dateCreated, &i.lastModified}
}

func inviteByID(ctx context.Context, q store.Querier, ns, kind string, id int64) (*invite, error) {
	return scanInvite(q.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM clinked_invites
		WHERE ns = $1 AND kind = $2 AND id = $3`, ns, kind, id))
}

// insertInvite stores i; i.id 0 takes the next id of its kind, and
// i.contextKey 0 the next context key.
func insertInvite(ctx context.Context, q store.Querier, ns string, i *invite) error {
	ctr := ctrInvite
	if i.kind == inviteGroup {
		ctr = ctrGroupInvite
	}
	if err := assignKeyed(ctx, q, ns, ctr, &i.id, &i.contextKey); err != nil {
		return err
	}
	if i.status == "" {
		i.status = invitePending
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_invites (ns, `+inviteColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		ns, i.kind, i.id, i.accountID, i.groupID, i.email, i.permission, i.parameters, i.message,
		i.reminder, i.status, i.inviteKey, i.contextKey, i.sourceID, i.targetID, i.expirationDate,
		i.dateCreated, i.lastModified)
	return err
}

// ---- guests ----

const guestColumns = `id, account_id, name, email, password_enabled, password_hash, date_created, last_modified`

func (g *guest) dest() []any {
	return []any{&g.id, &g.accountID, &g.name, &g.email, &g.passwordEnabled, &g.passwordHash,
		&g.dateCreated, &g.lastModified}
}

func insertGuest(ctx context.Context, q store.Querier, ns string, g *guest) error {
	if err := assignID(ctx, q, ns, ctrGuest, &g.id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_guests (ns, `+guestColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ns, g.id, g.accountID, g.name, g.email, g.passwordEnabled, g.passwordHash, g.dateCreated, g.lastModified)
	return err
}
