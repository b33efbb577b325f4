package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// fxSettingsDoc is the part of the "clinked" fixture section for account
// settings and group configuration (embedded in Fixture):
//
//	account_settings: [{account, branding: {…as POST …/branding}, iframes: [..],
//	                    password_strength: {size, uppercase, digits, special},
//	                    profile_fields: [{name, order}], sso: {…as PATCH …/sso},
//	                    storage_region, custom_domain,
//	                    custom_email: {smtp: {…as POST …/smtp}, sendgrid: {apiKey, from},
//	                                   domain_authentication: {from, domain, dns}, valid},
//	                    docusign: {connected, account}, adobe_connected}]
//	properties:       [{account, group, name, value}]           (group: a group property)
//	announcements:    [{account, group, id, title, body, colour, propagate, inherit}]
//	labels:           [{id, account, name, groups: [{group, order}]}]
//	mail_recipients:  [{id, group, recipient, content_context, date_created}]
type fxSettingsDoc struct {
	AccountSettings []fxAccountSettings `json:"account_settings"`
	Properties      []fxProperty        `json:"properties"`
	Announcements   []fxAnnouncement    `json:"announcements"`
	Labels          []fxLabel           `json:"labels"`
	MailRecipients  []fxMailRecipient   `json:"mail_recipients"`
}

type fxAccountSettings struct {
	Account          int64              `json:"account"`
	Branding         json.RawMessage    `json:"branding"`
	Iframes          []string           `json:"iframes"`
	PasswordStrength json.RawMessage    `json:"password_strength"`
	ProfileFields    []profileFieldJSON `json:"profile_fields"`
	SSO              json.RawMessage    `json:"sso"`
	StorageRegion    string             `json:"storage_region"`
	CustomDomain     string             `json:"custom_domain"`
	CustomEmail      *struct {
		SMTP       json.RawMessage `json:"smtp"`
		Sendgrid   json.RawMessage `json:"sendgrid"`
		DomainAuth json.RawMessage `json:"domain_authentication"`
		Valid      bool            `json:"valid"`
	} `json:"custom_email"`
	Docusign       json.RawMessage `json:"docusign"`
	AdobeConnected bool            `json:"adobe_connected"`
}

type fxProperty struct {
	Account int64  `json:"account"`
	Group   int64  `json:"group"`
	Name    string `json:"name"`
	Value   string `json:"value"`
}

type fxAnnouncement struct {
	Account   int64  `json:"account"`
	Group     int64  `json:"group"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Colour    string `json:"colour"`
	Propagate bool   `json:"propagate"`
	Inherit   bool   `json:"inherit"`
}

type fxLabel struct {
	ID      int64          `json:"id"`
	Account int64          `json:"account"`
	Name    string         `json:"name"`
	Groups  []fxLabelGroup `json:"groups"`
}

type fxLabelGroup struct {
	Group int64 `json:"group"`
	Order int64 `json:"order"`
}

type fxMailRecipient struct {
	ID             int64  `json:"id"`
	Group          int64  `json:"group"`
	Recipient      string `json:"recipient"`
	ContentContext *int64 `json:"content_context"`
	DateCreated    int64  `json:"date_created"`
}

// seedSettings adds a seed's account settings and group configuration.
func (s *Service) seedSettings(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, seed string) error {
	doc := bySeed(seed, docsSettingsSeed, demoSettingsSeed, "")
	if doc == "" {
		return nil
	}
	return s.load(ctx, tx, ns, []byte(doc))
}

// fxBody reads a fixture object as a request body would be read, so that a
// fixture passes the API's own checks.
func fxBody(what string, raw json.RawMessage) (*httpx.Body, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fxErr("%s must be an object", what)
	}
	return httpx.NewBody(m, httpx.Strict), nil
}

// fxParse reads the fixture object raw with the API's own parser, so that
// a fixture is refused where the API would answer 400.
func fxParse[T any](what string, raw json.RawMessage, parse func(b *httpx.Body) T) (T, error) {
	var out T
	b, err := fxBody(what, raw)
	if err != nil {
		return out, err
	}
	out = parse(b)
	return out, fxCheck(what, b)
}

// fxCheck turns a body's errors into a fixture error.
func fxCheck(what string, b *httpx.Body) error {
	if errs := b.Errs(); len(errs) > 0 {
		return fxErr("%s: %s", what, strings.Join(errs, "; "))
	}
	return nil
}

// fxScope resolves a fixture's account and optional group.
func fxScope(ctx context.Context, tx *sql.Tx, ns string, accountID, groupID int64, what string) (scope, error) {
	if groupID != 0 {
		g, err := groupByID(ctx, tx, ns, groupID)
		if err != nil || (accountID != 0 && g.accountID != accountID) {
			return scope{}, fxErr("%s: unknown group %d", what, groupID)
		}
		return scope{accountID: g.accountID, groupID: g.id}, nil
	}
	if _, err := accountByID(ctx, tx, ns, accountID); err != nil {
		return scope{}, fxErr("%s: unknown account %d", what, accountID)
	}
	return scope{accountID: accountID}, nil
}

// loadSettings loads the fxSettingsDoc part of a fixture.
func (s *Service) loadSettings(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, f *fxSettingsDoc, now int64) error {
	for _, fa := range f.AccountSettings {
		if err := loadAccountSettings(ctx, tx, ns, fa, now); err != nil {
			return err
		}
	}
	for _, fp := range f.Properties {
		sc, err := fxScope(ctx, tx, ns.ID, fp.Account, fp.Group, "property "+fp.Name)
		if err != nil {
			return err
		}
		if msg := checkPropertyName(fp.Name); msg != "" || !valid.Len(fp.Value, valid.MaxText) {
			return fxErr("property %q: name must be %s, value at most %d characters", fp.Name, defStr(msg, "valid"), valid.MaxText)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_properties (ns, account_id, group_id, name, value)
			VALUES ($1, $2, $3, $4, $5)`, ns.ID, sc.accountID, sc.groupID, fp.Name, fp.Value); err != nil {
			return fxErr("property %q: %v", fp.Name, err)
		}
	}
	for _, fa := range f.Announcements {
		sc, err := fxScope(ctx, tx, ns.ID, fa.Account, fa.Group, "announcement "+fa.ID)
		if err != nil {
			return err
		}
		if _, bad := valid.TooLong(valid.Limit("id", fa.ID, valid.MaxName), valid.Limit("title", fa.Title, valid.MaxName),
			valid.Limit("body", fa.Body, maxAnnouncementBody), valid.Limit("colour", fa.Colour, maxColour)); bad {
			return fxErr("announcement %q: a field is too long", fa.ID)
		}
		a := &announcementRow{id: fa.ID, title: fa.Title, body: fa.Body, colour: defStr(fa.Colour, "success"),
			propagate: fa.Propagate, inherit: fa.Inherit}
		if err := insertAnnouncement(ctx, tx, ns.ID, sc, a); err != nil {
			return fxErr("announcement %q: %v", fa.ID, err)
		}
	}
	for _, fl := range f.Labels {
		if err := loadLabel(ctx, tx, ns.ID, fl); err != nil {
			return err
		}
	}
	for _, fr := range f.MailRecipients {
		g, err := groupByID(ctx, tx, ns.ID, fr.Group)
		if err != nil {
			return fxErr("mail recipient %q: unknown group %d", fr.Recipient, fr.Group)
		}
		// The doc's own example address has a space, so fixtures are held
		// only to what an address can store.
		if strings.TrimSpace(fr.Recipient) == "" || strings.Contains(fr.Recipient, "@") || !valid.Len(fr.Recipient, valid.MaxEmailLocal) {
			return fxErr("mail recipient %q: must be an e-mail user name of at most 64 characters", fr.Recipient)
		}
		if fr.ID != 0 {
			if err := store.EnsureCounterAtLeast(ctx, tx, ns.ID, "clinked.mail_recipient", fr.ID); err != nil {
				return err
			}
		}
		rc := &recipientRow{id: fr.ID, groupID: g.id, recipient: fr.Recipient, contentContext: nullInt(fr.ContentContext),
			dateCreated: orNow(fr.DateCreated, now)}
		if err := insertRecipient(ctx, tx, ns.ID, g.accountID, rc); err != nil {
			var he *httpx.Error
			if errors.As(err, &he) {
				return fxErr("mail recipient %q: %s", fr.Recipient, he.Message)
			}
			return err
		}
	}
	return nil
}

// loadLabel loads one account label and its group attachments.
func loadLabel(ctx context.Context, tx *sql.Tx, ns string, fl fxLabel) error {
	if fl.ID <= 0 || strings.TrimSpace(fl.Name) == "" || !valid.Len(fl.Name, valid.MaxName) {
		return fxErr("a label needs an id and a name of at most 255 characters")
	}
	if _, err := accountByID(ctx, tx, ns, fl.Account); err != nil {
		return fxErr("label %d: unknown account %d", fl.ID, fl.Account)
	}
	if err := store.EnsureCounterAtLeast(ctx, tx, ns, "clinked.label", fl.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO clinked_labels (ns, id, account_id, name) VALUES ($1, $2, $3, $4)`,
		ns, fl.ID, fl.Account, fl.Name); err != nil {
		return fxErr("label %d: %v", fl.ID, err)
	}
	for _, lg := range fl.Groups {
		g, err := groupByID(ctx, tx, ns, lg.Group)
		if err != nil || g.accountID != fl.Account {
			return fxErr("label %d: unknown group %d of its account", fl.ID, lg.Group)
		}
		if err := attachLabel(ctx, tx, ns, g.id, fl.ID, lg.Order); err != nil {
			return fxErr("label %d: group %d: %v", fl.ID, lg.Group, err)
		}
	}
	return nil
}

// loadAccountSettings loads one account_settings entry through the API's
// parsers.
func loadAccountSettings(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace, fa fxAccountSettings, now int64) error {
	a, err := accountByID(ctx, tx, ns.ID, fa.Account)
	if err != nil {
		return fxErr("account_settings: unknown account %d", fa.Account)
	}
	save := func(name string, v any) error { return saveSetting(ctx, tx, ns.ID, a.id, name, v) }
	// saveParsed stores the setting name read from the object raw by parse.
	saveParsed := func(name, what string, raw json.RawMessage, parse func(b *httpx.Body) any) error {
		v, err := fxParse(what, raw, parse)
		if err != nil {
			return err
		}
		return save(name, v)
	}
	if fa.Branding != nil {
		if err := saveParsed(settingBranding, "branding", fa.Branding,
			func(b *httpx.Body) any { return parseAccountBranding(b, now) }); err != nil {
			return err
		}
	}
	if fa.Iframes != nil {
		if len(fa.Iframes) > maxIframes {
			return fxErr("iframes: at most %d", maxIframes)
		}
		for _, v := range fa.Iframes {
			if strings.TrimSpace(v) == "" || !valid.Len(v, valid.MaxName) {
				return fxErr("iframes: an iframe domain must be a non-empty string of at most 255 characters")
			}
		}
		if err := save(settingIframes, fa.Iframes); err != nil {
			return err
		}
	}
	if fa.PasswordStrength != nil {
		if err := saveParsed(settingPasswordStrength, "password_strength", fa.PasswordStrength,
			func(b *httpx.Body) any { return parsePasswordStrength(b) }); err != nil {
			return err
		}
	}
	if fa.ProfileFields != nil {
		pf, err := parseProfileFields(fa.ProfileFields)
		if err != nil {
			return fxErr("profile_fields: %v", err)
		}
		if err := save(settingProfileFields, pf); err != nil {
			return err
		}
	}
	if fa.SSO != nil {
		if err := saveParsed(settingSSO, "sso", fa.SSO, func(b *httpx.Body) any {
			var st ssoStored
			applySSO(b, &st, ssoEntityID(ns.BaseURL, a), now)
			return st
		}); err != nil {
			return err
		}
	}
	if fa.StorageRegion != "" {
		region, ok := enumValue(fa.StorageRegion, storageRegions)
		if !ok {
			return fxErr("storage_region must be one of %s", strings.Join(storageRegions, ", "))
		}
		if err := save(settingStorage, storageStored{Region: region}); err != nil {
			return err
		}
	}
	if fa.CustomDomain != "" {
		d := strings.ToLower(fa.CustomDomain)
		if !validHost(d) {
			return fxErr("custom_domain must be a host name")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clinked_accounts SET domain = $3 WHERE ns = $1 AND id = $2`, ns.ID, a.id, d); err != nil {
			return err
		}
	}
	if ce := fa.CustomEmail; ce != nil {
		var st customEmailStored
		if ce.SMTP != nil && ce.Sendgrid != nil {
			return fxErr("custom_email: smtp or sendgrid, not both")
		}
		if ce.SMTP != nil {
			smtp, err := fxParse("custom_email.smtp", ce.SMTP, func(b *httpx.Body) smtpStored { return parseSMTP(b, nil) })
			if err != nil {
				return err
			}
			st.Type, st.SMTP = emailSMTP, &smtp
		}
		if ce.Sendgrid != nil {
			sg, err := fxParse("custom_email.sendgrid", ce.Sendgrid, parseSendgrid)
			if err != nil {
				return err
			}
			st.Type, st.Sendgrid = emailSendgrid, &sg
		}
		if ce.DomainAuth != nil {
			da, err := fxParse("custom_email.domain_authentication", ce.DomainAuth, parseDomainAuth)
			if err != nil {
				return err
			}
			if ce.Valid {
				da.Valid = true
				for k, rec := range da.DNS {
					rec.Valid = true
					da.DNS[k] = rec
				}
			}
			st.DomainAuth = &da
		}
		if err := save(settingCustomEmail, st); err != nil {
			return err
		}
	}
	if fa.Docusign != nil {
		if err := saveParsed(settingDocusign, "docusign", fa.Docusign, func(b *httpx.Body) any {
			var st docusignJSON
			applyDocusign(b, &st)
			return st
		}); err != nil {
			return err
		}
	}
	if fa.AdobeConnected {
		if err := save(settingAdobe, adobeJSON{Connected: true}); err != nil {
			return err
		}
	}
	return nil
}

// docsSettingsSeed holds what the settings and group configuration
// examples name: account 1's branding, iframes, profile fields, SMTP and
// domain authentication, custom domain domain.com, DocuSign and Adobe
// connected, the device my-device (an application of jack's), property
// name=value (and test, which the delete example removes) on account 1
// and group 1, announcement xyz on both, label 1 dummyLabel on group 1
// (label 2 unattached), and group 1's mail recipients 1 (folder 1) and 2.
const docsSettingsSeed = `{
 "applications": [
  {"client_id": "my-device", "client_secret": "my-device-secret", "owner": 1, "name": "My Awesome App!",
   "description": "This is my awesome test app", "platform": "OTHER", "device_type": "Phone",
   "device_model": "Google Pixel XL", "device_os": "ANDROID", "app_version": "1.0", "bundle_id": "com.clinked.awesome",
   "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []}
 ],
 "account_settings": [
  {"account": 1,
   "branding": {"navbarColor": "#ffffff", "navbarText": "#8692ac", "sidebarColor": "#8692ac", "sidebarText": "#8692ac",
     "primaryColor": "#2e9dff", "secondaryColor": "#80c568", "darkMenu": false, "logo": true, "icon": false,
     "background": false, "primaryText": "#ffffff", "secondaryText": "#ffffff", "fontFamily": "Open Sans"},
   "iframes": ["domain.ltd"],
   "profile_fields": [{"name": "Favorite pizza", "order": 0}],
   "custom_domain": "domain.com",
   "custom_email": {
     "smtp": {"host": "smtp.domain.ltd", "username": "user123", "password": "passy", "port": 465, "auth": true,
       "starttls": true, "from": "user123@smtp.domain.ltd"},
     "domain_authentication": {"from": "email@example.com",
       "dns": {"example": {"data": "example data", "host": "example.com", "type": "dns type"}}},
     "valid": true},
   "docusign": {"connected": true, "account": "xxxx-xxxx"},
   "adobe_connected": true}
 ],
 "properties": [
  {"account": 1, "name": "name", "value": "value"}, {"account": 1, "name": "test", "value": "123"},
  {"group": 1, "name": "name", "value": "value"}, {"group": 1, "name": "test", "value": "123"}
 ],
 "announcements": [
  {"account": 1, "id": "xyz", "title": "title", "body": "body", "colour": "success"},
  {"group": 1, "id": "xyz", "title": "title", "body": "body", "colour": "success"}
 ],
 "labels": [
  {"id": 1, "account": 1, "name": "dummyLabel", "groups": [{"group": 1, "order": 0}]},
  {"id": 2, "account": 1, "name": "otherLabel"}
 ],
 "mail_recipients": [
  {"id": 1, "group": 1, "recipient": "awesome username", "content_context": 1, "date_created": 1514764800000},
  {"id": 2, "group": 1, "recipient": "explore", "date_created": 1514764800000}
 ]
}`

// demoSettingsSeed gives the demo accounts a realistic configuration.
const demoSettingsSeed = `{
 "account_settings": [
  {"account": 1,
   "branding": {"navbarColor": "#1f3a5f", "navbarText": "#ffffff", "sidebarColor": "#f4f6f9", "sidebarText": "#1f3a5f",
     "primaryColor": "#d9822b", "primaryText": "#ffffff", "secondaryColor": "#3c8d5a", "secondaryText": "#ffffff",
     "logo": true, "icon": true, "fontFamily": "Lato"},
   "iframes": ["www.youtube.com", "player.vimeo.com"],
   "profile_fields": [{"name": "Department", "order": 0}, {"name": "Phone extension", "order": 1}],
   "storage_region": "EU-WEST-1",
   "custom_domain": "portal.northwind.example",
   "custom_email": {
     "smtp": {"host": "smtp.northwind.example", "username": "portal", "password": "demo-smtp-password", "port": 587,
       "auth": true, "starttls": true, "from": "portal@northwind.example"},
     "domain_authentication": {"from": "portal@northwind.example"}, "valid": true}},
  {"account": 2, "storage_region": "US-WEST-1", "docusign": {"connected": true}, "adobe_connected": true}
 ],
 "properties": [
  {"account": 1, "name": "crm_id", "value": "NW-0001"}, {"account": 1, "name": "support_tier", "value": "gold"},
  {"group": 1, "name": "client_code", "value": "FAB-2291"}, {"group": 2, "name": "budget_code", "value": "APL-77"}
 ],
 "announcements": [
  {"account": 1, "title": "Welcome to the Northwind client portal",
   "body": "Find your documents, tasks and events in your groups.", "colour": "info"},
  {"account": 1, "id": "maintenance", "title": "Planned maintenance",
   "body": "The portal is read-only on Saturday 06:00-08:00 UTC.", "colour": "warning", "propagate": true},
  {"group": 1, "id": "checklist", "title": "Onboarding checklist",
   "body": "Upload your signed contract and company registration to Files.", "colour": "success"}
 ],
 "labels": [
  {"id": 1, "account": 1, "name": "Clients", "groups": [{"group": 1, "order": 0}]},
  {"id": 2, "account": 1, "name": "Internal", "groups": [{"group": 2, "order": 0}, {"group": 3, "order": 0}]},
  {"id": 3, "account": 1, "name": "Archive"},
  {"id": 4, "account": 2, "name": "Shared"}
 ],
 "mail_recipients": [
  {"group": 1, "recipient": "onboarding"},
  {"group": 2, "recipient": "apollo"},
  {"group": 2, "recipient": "apollo-invoices", "content_context": 201}
 ]
}`
