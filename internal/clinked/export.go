package clinked

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// exportOmits are the parts of the "clinked" section that Export does not
// write yet; tokens are left out by design (see Export).
// Export implements vendor.Exporter: the "clinked" section that reproduces
// the namespace's accounts, users, applications, groups, invites, guests,
// events, tasks, account settings (in their stored form), properties,
// announcements, labels, mail recipients and files (their bytes as content_base64) when loaded into a namespace
// seeded "empty".
//
// Account 1 and user 1 come with every seed, so they are written as
// "account" and "admin", which replace the seed's own; the administrator
// keeps the importing namespace's password. Passwords and client secrets
// are kept only as hashes, and travel as password_hash and secret_hash
// (docs/decisions.md). Left out: the control plane's application and every
// issued token (clients log in again, as after a fork).
func (s *Service) Export(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) (any, error) {
	var doc Fixture
	rows, err := tx.QueryContext(ctx, `SELECT `+accountColumns+` FROM clinked_accounts WHERE ns = $1 ORDER BY id`, ns.ID)
	accounts, err := store.Collect(rows, err, func(r store.Scanner) (*account, error) { return scanAccount(r) })
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		fa := exportAccount(a)
		if a.id == 1 {
			doc.Account = &fa
			continue
		}
		doc.Accounts = append(doc.Accounts, fa)
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+userColumns+` FROM clinked_users WHERE ns = $1 ORDER BY id`, ns.ID)
	users, err := store.Collect(rows, err, func(r store.Scanner) (*user, error) { return scanUser(r) })
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		fu, err := exportUser(ctx, tx, ns.ID, u)
		if err != nil {
			return nil, err
		}
		if u.id == 1 {
			fu.PasswordHash = "" // the importing namespace's own
			doc.Admin = &fu
			continue
		}
		doc.Users = append(doc.Users, fu)
	}
	if doc.Applications, err = exportApplications(ctx, tx, ns); err != nil {
		return nil, err
	}
	if doc.Groups, err = exportGroups(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if doc.Invites, err = exportInvites(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if doc.Guests, err = exportGuests(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if doc.Events, err = exportEvents(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if doc.Tasks, err = exportTasks(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if err := exportSettings(ctx, tx, ns.ID, &doc.fxSettingsDoc); err != nil {
		return nil, err
	}
	if doc.StoredSettings, err = exportStoredSettings(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if doc.Files, err = exportFiles(ctx, tx, ns.ID); err != nil {
		return nil, err
	}
	if onlySeed(&doc) {
		return nil, nil
	}
	return exportDoc{doc}, nil
}

// exportDoc writes only the lists that Export fills, in the fixture's
// key order.
type exportDoc struct{ f Fixture }

func (d exportDoc) MarshalJSON() ([]byte, error) {
	f := d.f
	return json.Marshal(struct {
		Account        *fxAccount        `json:"account,omitempty"`
		Admin          *fxUser           `json:"admin,omitempty"`
		Accounts       []fxAccount       `json:"accounts,omitempty"`
		Users          []fxUser          `json:"users,omitempty"`
		Applications   []fxApplication   `json:"applications,omitempty"`
		Groups         []fxGroup         `json:"groups,omitempty"`
		Invites        []fxInvite        `json:"invites,omitempty"`
		Guests         []fxGuest         `json:"guests,omitempty"`
		Events         []fxEvent         `json:"events,omitempty"`
		Tasks          []fxTask          `json:"tasks,omitempty"`
		StoredSettings []fxStoredSetting `json:"stored_settings,omitempty"`
		Properties     []fxProperty      `json:"properties,omitempty"`
		Announcements  []fxAnnouncement  `json:"announcements,omitempty"`
		Labels         []fxLabel         `json:"labels,omitempty"`
		MailRecipients []fxMailRecipient `json:"mail_recipients,omitempty"`
		Files          []fxFile          `json:"files,omitempty"`
	}{f.Account, f.Admin, f.Accounts, f.Users, f.Applications, f.Groups, f.Invites, f.Guests, f.Events, f.Tasks,
		f.StoredSettings, f.Properties, f.Announcements, f.Labels, f.MailRecipients, f.Files})
}

func exportAccount(a *account) fxAccount {
	fa := fxAccount{ID: a.id, Name: a.name, FriendlyName: a.friendlyName, Enabled: &a.enabled,
		Domain: a.domain.String, Hash: a.hash.String, Locale: a.locale.String, MailDomain: a.mailDomain,
		TwoFactorEnforced: a.twoFactorEnforced, DateCreated: a.dateCreated, LastModified: a.lastModified}
	_ = json.Unmarshal([]byte(a.metadata), &fa.Metadata)
	_ = json.Unmarshal([]byte(a.features), &fa.Features)
	_ = json.Unmarshal([]byte(a.components), &fa.Components)
	sub := &fa.Subscription
	sub.Code, sub.Plan, sub.Interval, sub.Currency = a.planCode, a.planName, num(a.planInterval), a.planCurrency.String
	sub.Members, sub.Storage, sub.Suspended, sub.TrialExpires = a.maxMembers, num(a.storage), a.suspended, num(a.trialExpires)
	sub.Paused, sub.PausedBillingCycles, sub.DatePausedAt = a.paused, num(a.pausedBillingCycles), num(a.datePausedAt)
	if a.billingDetails.Valid {
		sub.BillingDetails = rawText(a.billingDetails.String)
	}
	return fa
}

func exportUser(ctx context.Context, tx *sql.Tx, ns string, u *user) (fxUser, error) {
	fu := fxUser{ID: u.id, Username: u.username, Email: u.email, Name: u.name, RealName: u.realName.String,
		PasswordHash: u.passwordHash, JobTitle: u.jobTitle.String, Organisation: u.organisation.String,
		Address: u.address.String, Telephone: u.telephone.String, Other: u.other.String, Logo: u.logo,
		TimeZone: u.timeZone.String, Locale: u.locale.String, Enabled: &u.enabled, Locked: u.locked,
		VerifiedEmail: u.verifiedEmail, TwoFactor: u.twoFactor, TwoFactorMode: u.twoFactorMode.String,
		TwoFactorCode: u.twoFactorCode.String, DateFormat: u.dateFormat.String, TwentyFourHour: u.twentyFourHour,
		LastActive: num(u.lastActive), DateCreated: u.dateCreated, LastModified: u.lastModified}
	rows, err := tx.QueryContext(ctx, `SELECT `+memberColumns+` FROM clinked_members
		WHERE ns = $1 AND user_id = $2 ORDER BY account_id`, ns, u.id)
	members, err := store.Collect(rows, err, func(r store.Scanner) (member, error) {
		var m member
		return m, r.Scan(m.dest()...)
	})
	if err != nil {
		return fu, err
	}
	for _, m := range members {
		fm := fxMembership{Account: m.accountID, Permission: m.permission, DateCreated: m.dateCreated,
			AssignToNewGroups: num(m.assignToNewGroups), ActivationType: m.activationType.String,
			ActivationDate: num(m.activationDate)}
		if m.pendingUnlock.Valid {
			fm.PendingUnlock = &m.pendingUnlock.Bool
		}
		if fm.Tags, err = tagsOf(ctx, tx, ns, m.accountID, u.id); err != nil {
			return fu, err
		}
		fu.Memberships = append(fu.Memberships, fm)
	}
	return fu, nil
}

func exportApplications(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) ([]fxApplication, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+applicationColumns+` FROM clinked_applications
		WHERE ns = $1 AND client_id <> $2 ORDER BY date_created, client_id`, ns.ID, adminCredentials(ns).clientID)
	return store.Collect(rows, err, func(r store.Scanner) (fxApplication, error) {
		var a application
		if err := r.Scan(a.dest()...); err != nil {
			return fxApplication{}, err
		}
		fa := fxApplication{ClientID: a.clientID, SecretHash: a.secretHash, Owner: a.ownerID, Name: a.name,
			Description: a.description, Platform: a.platform, DeviceType: a.deviceType, DeviceModel: a.deviceModel,
			DeviceOs: a.deviceOs, AppVersion: a.appVersion, BundleID: a.bundleID, LastActivity: num(a.lastActivity),
			IP: a.ip.String}
		_ = json.Unmarshal([]byte(a.scope), &fa.Scope)
		_ = json.Unmarshal([]byte(a.redirectURIs), &fa.RedirectURIs)
		_ = json.Unmarshal([]byte(a.grantTypes), &fa.GrantTypes)
		return fa, nil
	})
}

func exportGroups(ctx context.Context, tx *sql.Tx, ns string) ([]fxGroup, error) {
	// Loading a file adds its size to its group's storageConsumed, so the
	// document holds what the files do not account for.
	rows, err := tx.QueryContext(ctx, `SELECT `+groupColumns+`, (SELECT COALESCE(SUM(f.size), 0) FROM clinked_files f
		WHERE f.ns = g.ns AND f.group_id = g.id) FROM clinked_groups g WHERE ns = $1 ORDER BY id`, ns)
	groups, err := store.Collect(rows, err, func(r store.Scanner) (fxGroup, error) {
		var (
			g     group
			files int64
		)
		if err := r.Scan(append(g.dest(), &files)...); err != nil {
			return fxGroup{}, err
		}
		fg := fxGroup{ID: g.id, Account: g.accountID, Name: g.name, FriendlyName: g.friendlyName,
			Description: g.description, Owner: num(g.ownerID), Blind: g.blind, DisableChat: g.disableChat,
			DisableComments: g.disableComments, DisableEmailComments: g.disableEmailComments,
			HideMemberDetails: g.hideMemberDetails, StorageConsumed: g.storageConsumed - files,
			Branding: rawText(g.branding), Components: rawText(g.components), Settings: rawText(g.settings),
			Watermark: rawText(g.watermark), Position: g.position, Removed: g.removed,
			DateCreated: g.dateCreated, LastModified: g.lastModified}
		if g.masterConfigured {
			fg.Master = num(g.master)
			if fg.Master == nil {
				fg.Master = new(int64)
			}
		}
		return fg, nil
	})
	if err != nil {
		return nil, err
	}
	for i := range groups {
		rows, err := tx.QueryContext(ctx, `SELECT `+groupMemberColumns+` FROM clinked_group_members
			WHERE ns = $1 AND group_id = $2 ORDER BY user_id`, ns, groups[i].ID)
		if groups[i].Members, err = store.Collect(rows, err, func(r store.Scanner) (fxGroupMember, error) {
			var m groupMember
			err := r.Scan(m.dest()...)
			return fxGroupMember{User: m.userID, Permission: m.permission, ExpirationDate: num(m.expirationDate),
				DateCreated: m.dateCreated}, err
		}); err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// rawText is a stored JSON column as a document value (nil: empty), its
// object keys sorted as a loaded document stores them, so that a round
// trip writes the same text.
func rawText(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return json.RawMessage(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(s)
	}
	return b
}

func exportInvites(ctx context.Context, tx *sql.Tx, ns string) ([]fxInvite, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+inviteColumns+` FROM clinked_invites WHERE ns = $1 ORDER BY kind, id`, ns)
	return store.Collect(rows, err, func(r store.Scanner) (fxInvite, error) {
		i, err := scanInvite(r)
		if err != nil {
			return fxInvite{}, err
		}
		fi := fxInvite{ID: i.id, Kind: i.kind, Account: i.accountID, Group: num(i.groupID), Email: i.email,
			Permission: i.permission, Message: i.message, Status: i.status, InviteKey: i.inviteKey, Source: i.sourceID,
			Target: num(i.targetID), ExpirationDate: num(i.expirationDate), DateCreated: i.dateCreated,
			LastModified: num(i.lastModified)}
		if i.kind == inviteAccount && i.parameters.Valid {
			var p struct {
				Groups map[string]int64 `json:"groups"`
			}
			_ = json.Unmarshal([]byte(i.parameters.String), &p)
			if len(p.Groups) > 0 {
				fi.Groups = p.Groups
			}
		}
		return fi, nil
	})
}

func exportGuests(ctx context.Context, tx *sql.Tx, ns string) ([]fxGuest, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+guestColumns+` FROM clinked_guests WHERE ns = $1 ORDER BY id`, ns)
	guests, err := store.Collect(rows, err, func(r store.Scanner) (fxGuest, error) {
		var g guest
		err := r.Scan(g.dest()...)
		return fxGuest{ID: g.id, Account: g.accountID, Name: g.name, Email: g.email, PasswordHash: g.passwordHash,
			PasswordEnabled: g.passwordEnabled, DateCreated: g.dateCreated}, err
	})
	if err != nil {
		return nil, err
	}
	for i := range guests {
		rows, err := tx.QueryContext(ctx, `SELECT group_id, permission FROM clinked_guest_shares
			WHERE ns = $1 AND guest_id = $2 ORDER BY group_id`, ns, guests[i].ID)
		if guests[i].Shares, err = store.Collect(rows, err, func(r store.Scanner) (fxShare, error) {
			var sh fxShare
			return sh, r.Scan(&sh.Group, &sh.Permission)
		}); err != nil {
			return nil, err
		}
	}
	return guests, nil
}

// exportFiles writes files and folders, a folder before what it holds
// (ids grow as files are made, and a moved file may sit in a younger
// folder, so the order is by depth first).
func exportFiles(ctx context.Context, tx *sql.Tx, ns string) ([]fxFile, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+fileCols+` FROM clinked_files WHERE ns = $1 ORDER BY id`, ns)
	files, err := store.Collect(rows, err, scanFile)
	if err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, item_id, user_id, date_deleted FROM clinked_trash
		WHERE ns = $1 AND kind IN ('file', 'folder')`, ns)
	type entry struct {
		item int64
		fxTrash
	}
	entries, err := store.Collect(rows, err, func(r store.Scanner) (entry, error) {
		var e entry
		return e, r.Scan(&e.ID, &e.item, &e.User, &e.DateDeleted)
	})
	if err != nil {
		return nil, err
	}
	trash := map[int64]fxTrash{}
	for _, e := range entries {
		trash[e.item] = e.fxTrash
	}
	parent := map[int64]int64{}
	for _, f := range files {
		parent[f.id] = f.parentID
	}
	depth := func(id int64) int {
		d := 0
		for p := parent[id]; p != rootID && d < len(files); p = parent[p] {
			d++
		}
		return d
	}
	byDepth := make([][]*fileRow, len(files)+1)
	for _, f := range files {
		d := depth(f.id)
		byDepth[d] = append(byDepth[d], f)
	}
	var out []fxFile
	for _, level := range byDepth {
		for _, f := range level {
			fx := fxFile{ID: f.id, Group: f.groupID, Parent: f.parentID, Name: f.name, FriendlyName: f.friendlyName,
				Folder: f.folder, Sharing: f.sharing, MemberPermission: &f.memberPermission, Tags: f.tags.String,
				Uploader: num(f.uploaderID), Locker: num(f.lockerID), Summary: f.summary.String, Versions: f.versions,
				DateCreated: f.dateCreated, LastModified: f.lastModified}
			if !f.folder {
				fx.ContentType = f.contentType
				if f.blobName.Valid {
					data, err := blob.ReadAll(ctx, tx, ns, f.blobName.String)
					if err != nil {
						return nil, err
					}
					if len(data) == 0 {
						fx.Content = new(string)
					} else {
						fx.ContentBase64 = base64.StdEncoding.EncodeToString(data)
					}
				}
			}
			if e, ok := trash[f.id]; ok {
				fx.Trash = &e
			}
			out = append(out, fx)
		}
	}
	return out, nil
}

// loadPrimary replaces the seed's account 1 and administrator (user 1)
// with a document's "account" and "admin". The administrator keeps the
// namespace's password, so that its credentials still log in.
func loadPrimary(ctx context.Context, tx *sql.Tx, ns string, f *Fixture) error {
	if f.Account != nil {
		if f.Account.ID != 1 {
			return fxErr("account: the id is 1 or absent")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM clinked_accounts WHERE ns = $1 AND id = 1`, ns); err != nil {
			return err
		}
		f.Account.ID = 1
		f.Accounts = append([]fxAccount{*f.Account}, f.Accounts...)
	}
	if f.Admin != nil {
		if f.Admin.ID != 1 && f.Admin.ID != 0 {
			return fxErr("admin: the id is 1 or absent")
		}
		if f.Admin.Password != "" || f.Admin.PasswordHash != "" {
			return fxErr("admin: the administrator keeps the namespace's password")
		}
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT password_hash FROM clinked_users WHERE ns = $1 AND id = 1`, ns).Scan(&hash)
		if err != nil {
			return fxErr("admin: the namespace has no administrator")
		}
		for _, q := range []string{`DELETE FROM clinked_member_tags WHERE ns = $1 AND user_id = 1`,
			`DELETE FROM clinked_members WHERE ns = $1 AND user_id = 1`,
			`DELETE FROM clinked_users WHERE ns = $1 AND id = 1`} {
			if _, err := tx.ExecContext(ctx, q, ns); err != nil {
				return err
			}
		}
		f.Admin.ID, f.Admin.PasswordHash = 1, hash
		f.Users = append([]fxUser{*f.Admin}, f.Users...)
	}
	return nil
}

// storedSecretHash checks a document's secret_hash: SHA-256 in hex.
func storedSecretHash(h string) bool {
	b, err := hex.DecodeString(h)
	return err == nil && len(b) == 32 && h == strings.ToLower(h)
}

// MarshalJSON writes a fixture time as Unix milliseconds (null: unset).
func (t fxTime) MarshalJSON() ([]byte, error) {
	if !t.set {
		return []byte("null"), nil
	}
	return json.Marshal(t.ms)
}

func setTime(v int64) fxTime          { return fxTime{ms: v, set: true} }
func nullTime(v sql.NullInt64) fxTime { return fxTime{ms: v.Int64, set: v.Valid} }

func exportContent(c *contentItem) fxContent {
	return fxContent{ID: c.id, Group: c.groupID, ContextKey: c.contextKey, Name: c.name, FriendlyName: c.friendlyName,
		Sharing: c.sharing, MemberPermission: c.memberPermission, Tags: c.tags, Description: c.description,
		Author: c.authorID, Trashed: c.trashed, DateCreated: setTime(c.dateCreated), LastModified: setTime(c.lastModified)}
}

func exportEvents(ctx context.Context, tx *sql.Tx, ns string) ([]fxEvent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM clinked_events WHERE ns = $1 ORDER BY id`, ns)
	return store.Collect(rows, err, func(r store.Scanner) (fxEvent, error) {
		e, err := scanEvent(r)
		if err != nil {
			return fxEvent{}, err
		}
		return fxEvent{fxContent: exportContent(&e.contentItem), StartDate: setTime(e.startDate), EndDate: setTime(e.endDate),
			AllDay: e.allDay, Location: e.location.String, DateReminder: nullTime(e.dateReminder),
			Recurrence: e.recurrence.String, DateEndRecurrence: nullTime(e.dateEndRecurrence),
			DisableMaybe: e.disableMaybe, Color: e.color.String}, nil
	})
}

// exportTasks writes tasks, a parent before its subtasks.
func exportTasks(ctx context.Context, tx *sql.Tx, ns string) ([]fxTask, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+taskColumns+` FROM clinked_tasks WHERE ns = $1 ORDER BY id`, ns)
	tasks, err := store.Collect(rows, err, scanTask)
	if err != nil {
		return nil, err
	}
	out := make([]fxTask, 0, len(tasks))
	done := map[int64]bool{}
	for len(out) < len(tasks) {
		before := len(out)
		for _, t := range tasks {
			if done[t.id] || (t.parentID.Valid && !done[t.parentID.Int64]) {
				continue
			}
			ft := fxTask{fxContent: exportContent(&t.contentItem), Parent: num(t.parentID), Status: t.status,
				Priority: t.priority, Progress: t.progress, DueDate: nullTime(t.dueDate), DateReminder: nullTime(t.dateReminder),
				Recurrence: t.recurrence.String, Order: &t.order, Category: t.category.String,
				TrackingStartDate: nullTime(t.trkBeg), TimeTracked: t.timeTracked, DateCompleted: nullTime(t.dateCompleted)}
			rows, err := tx.QueryContext(ctx, `SELECT user_id FROM clinked_task_assignees WHERE ns = $1 AND task_id = $2
				ORDER BY user_id`, ns, t.id)
			if ft.Assignees, err = store.Collect(rows, err, func(r store.Scanner) (int64, error) {
				var id int64
				return id, r.Scan(&id)
			}); err != nil {
				return nil, err
			}
			out, done[t.id] = append(out, ft), true
		}
		if len(out) == before { // a parent that is gone: write the rest without waiting for it
			for _, t := range tasks {
				if !done[t.id] {
					t.parentID = sql.NullInt64{}
				}
			}
		}
	}
	return out, nil
}

// exportSettings writes properties, announcements, labels and mail
// recipients (account settings: exportStoredSettings).
func exportSettings(ctx context.Context, tx *sql.Tx, ns string, doc *fxSettingsDoc) error {
	// A group's entry names only its group, as the fixture format allows.
	account := func(accountID, groupID int64) int64 {
		if groupID != 0 {
			return 0
		}
		return accountID
	}
	rows, err := tx.QueryContext(ctx, `SELECT account_id, group_id, name, value FROM clinked_properties
		WHERE ns = $1 ORDER BY group_id, account_id, name`, ns)
	if doc.Properties, err = store.Collect(rows, err, func(r store.Scanner) (fxProperty, error) {
		var p fxProperty
		err := r.Scan(&p.Account, &p.Group, &p.Name, &p.Value)
		p.Account = account(p.Account, p.Group)
		return p, err
	}); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT account_id, group_id, id, title, body, colour, propagate, inherit
		FROM clinked_announcements WHERE ns = $1 ORDER BY group_id, account_id, id`, ns)
	if doc.Announcements, err = store.Collect(rows, err, func(r store.Scanner) (fxAnnouncement, error) {
		var a fxAnnouncement
		err := r.Scan(&a.Account, &a.Group, &a.ID, &a.Title, &a.Body, &a.Colour, &a.Propagate, &a.Inherit)
		a.Account = account(a.Account, a.Group)
		return a, err
	}); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, account_id, name FROM clinked_labels WHERE ns = $1 ORDER BY id`, ns)
	if doc.Labels, err = store.Collect(rows, err, func(r store.Scanner) (fxLabel, error) {
		var l fxLabel
		return l, r.Scan(&l.ID, &l.Account, &l.Name)
	}); err != nil {
		return err
	}
	for i := range doc.Labels {
		rows, err := tx.QueryContext(ctx, `SELECT group_id, position FROM clinked_group_labels
			WHERE ns = $1 AND label_id = $2 ORDER BY group_id`, ns, doc.Labels[i].ID)
		if doc.Labels[i].Groups, err = store.Collect(rows, err, func(r store.Scanner) (fxLabelGroup, error) {
			var g fxLabelGroup
			return g, r.Scan(&g.Group, &g.Order)
		}); err != nil {
			return err
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, group_id, recipient, content_context, date_created
		FROM clinked_mail_recipients WHERE ns = $1 ORDER BY id`, ns)
	doc.MailRecipients, err = store.Collect(rows, err, func(r store.Scanner) (fxMailRecipient, error) {
		var (
			m  fxMailRecipient
			cc sql.NullInt64
		)
		err := r.Scan(&m.ID, &m.Group, &m.Recipient, &cc, &m.DateCreated)
		m.ContentContext = num(cc)
		return m, err
	})
	return err
}

// onlySeed tells whether a document holds only the account and
// administrator that the empty seed makes (by their names): then the
// namespace has nothing beyond the seed. Edits to the seed's administrator
// in an otherwise empty namespace are not exported.
func onlySeed(doc *Fixture) bool {
	rest := len(doc.Accounts) + len(doc.Users) + len(doc.Applications) + len(doc.Groups) + len(doc.Invites) +
		len(doc.Guests) + len(doc.Events) + len(doc.Tasks) + len(doc.Properties) + len(doc.Announcements) +
		len(doc.Labels) + len(doc.MailRecipients) + len(doc.Files) + len(doc.StoredSettings)
	return rest == 0 && doc.Account != nil && doc.Account.Name == "standin" && doc.Admin != nil &&
		doc.Admin.Username == "admin" && len(doc.Admin.Memberships) == 1
}

// fxStoredSetting is an account setting as standin stores it (the
// "stored_settings" of a document): what Export writes, because the stored
// form keeps hashed secrets (SMTP password, SendGrid key) that the
// request-shaped account_settings cannot carry.
type fxStoredSetting struct {
	Account int64           `json:"account"`
	Name    string          `json:"name"`
	Value   json.RawMessage `json:"value"`
}

// storedSettingTypes are the stored forms by setting name: a document's
// value must decode into its type, field for field.
var storedSettingTypes = map[string]func() any{
	settingBranding:         func() any { return new(accountBrandingJSON) },
	settingIframes:          func() any { return new([]string) },
	settingPasswordStrength: func() any { return new(passwordStrengthJSON) },
	settingProfileFields:    func() any { return new([]profileFieldJSON) },
	settingSSO:              func() any { return new(ssoStored) },
	settingStorage:          func() any { return new(storageStored) },
	settingCustomEmail:      func() any { return new(customEmailStored) },
	settingDocusign:         func() any { return new(docusignJSON) },
	settingAdobe:            func() any { return new(adobeJSON) },
}

func exportStoredSettings(ctx context.Context, tx *sql.Tx, ns string) ([]fxStoredSetting, error) {
	rows, err := tx.QueryContext(ctx, `SELECT account_id, name, value FROM clinked_account_settings
		WHERE ns = $1 ORDER BY account_id, name`, ns)
	return store.Collect(rows, err, func(r store.Scanner) (fxStoredSetting, error) {
		var (
			st    fxStoredSetting
			value string
		)
		err := r.Scan(&st.Account, &st.Name, &value)
		st.Value = rawText(value)
		return st, err
	})
}

// loadStoredSettings stores a document's stored_settings after checking
// each against its stored form.
func loadStoredSettings(ctx context.Context, tx *sql.Tx, ns string, list []fxStoredSetting) error {
	for _, st := range list {
		what := fmt.Sprintf("stored setting %s of account %d", st.Name, st.Account)
		if _, err := accountByID(ctx, tx, ns, st.Account); err != nil {
			return fxErr("%s: unknown account", what)
		}
		newValue, known := storedSettingTypes[st.Name]
		if !known {
			return fxErr("%s: unknown setting", what)
		}
		v := newValue()
		dec := json.NewDecoder(bytes.NewReader(st.Value))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fxErr("%s: %v", what, err)
		}
		if ce, ok := v.(*customEmailStored); ok {
			if (ce.SMTP != nil && ce.SMTP.PasswordHash != "" && !storedSecretHash(ce.SMTP.PasswordHash)) ||
				(ce.Sendgrid != nil && !storedSecretHash(ce.Sendgrid.KeyHash)) {
				return fxErr("%s: secrets are SHA-256 hashes in lowercase hex", what)
			}
		}
		if err := saveSetting(ctx, tx, ns, st.Account, st.Name, v); err != nil {
			return err
		}
	}
	return nil
}
