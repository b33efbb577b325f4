package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/valid"
)

// Account settings are stored one JSON value per (account, setting) in
// clinked_account_settings; these are the setting names.
const (
	settingBranding         = "branding"
	settingIframes          = "iframes"
	settingPasswordStrength = "password_strength"
	settingProfileFields    = "profile_fields"
	settingSSO              = "sso"
	settingStorage          = "storage"
	settingCustomEmail      = "custom_email"
	settingDocusign         = "docusign"
	settingAdobe            = "adobe"
)

// Limits of the account settings lists (the doc gives none).
const (
	maxIframes       = 100
	maxProfileFields = 100
	maxFontFamily    = 100
	maxPasswordSize  = 128
)

// loadSetting decodes an account setting into v; found is false (and v
// untouched) when the account has none.
func loadSetting(ctx context.Context, q store.Querier, ns string, accountID int64, name string, v any) (bool, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM clinked_account_settings WHERE ns = $1 AND account_id = $2 AND name = $3`,
		ns, accountID, name).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(raw), v)
}

// saveSetting stores an account setting as JSON.
func saveSetting(ctx context.Context, q store.Querier, ns string, accountID int64, name string, v any) error {
	raw := jsonText(v)
	_, err := q.ExecContext(ctx, `INSERT INTO clinked_account_settings (ns, account_id, name, value) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ns, account_id, name) DO UPDATE SET value = excluded.value`, ns, accountID, name, raw)
	return err
}

// deleteSetting removes an account setting (idempotent).
func deleteSetting(ctx context.Context, q store.Querier, ns string, accountID int64, name string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM clinked_account_settings WHERE ns = $1 AND account_id = $2 AND name = $3`,
		ns, accountID, name)
	return err
}

// saveIn stores one setting in a transaction.
func (s *Service) saveIn(ctx context.Context, ns string, accountID int64, name string, v any) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return saveSetting(ctx, tx, ns, accountID, name, v) })
}

// adminSetting resolves {account} (administrators only) and loads its
// setting name over def, which stays where the setting was never saved.
func adminSetting[T any](s *Service, r *http.Request, c *caller, name string, def T) (*account, T, error) {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return nil, def, err
	}
	_, err = loadSetting(r.Context(), s.db, c.ns.ID, a.id, name, &def)
	return a, def, err
}

// editSetting serves the writes of {account}'s setting name that take an
// object body (administrators only): edit reads the body into the loaded
// setting and returns the answer; the setting is saved only when the
// whole body is valid.
func editSetting[S, T any](s *Service, w http.ResponseWriter, r *http.Request, c *caller, name string,
	edit func(b *httpx.Body, a *account, st *S) T) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	var st S
	if _, err := loadSetting(r.Context(), s.db, c.ns.ID, a.id, name, &st); err != nil {
		return err
	}
	out := edit(b, a, &st)
	if err := b.Err(); err != nil {
		return err
	}
	return reply(w, out, s.saveIn(r.Context(), c.ns.ID, a.id, name, st))
}

// replaceSetting serves the writes that replace {account}'s setting name
// with what parse reads from an object body (administrators only): it is
// saved only when the whole body is valid, and answered.
func replaceSetting[T any](s *Service, w http.ResponseWriter, r *http.Request, c *caller, name string,
	parse func(b *httpx.Body) T) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	out := parse(b)
	if err := b.Err(); err != nil {
		return err
	}
	return reply(w, out, s.saveIn(r.Context(), c.ns.ID, a.id, name, out))
}

// deleteAdminSetting serves the DELETE of {account}'s setting name
// (administrators only; idempotent).
func (s *Service) deleteAdminSetting(w http.ResponseWriter, r *http.Request, c *caller, name string) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error { return deleteSetting(r.Context(), tx, c.ns.ID, a.id, name) })
}

// writeOK answers 200 with no body (Clinked's bodiless writes).
func writeOK(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusOK)
	return nil
}

// readJSON decodes a whole body that is not an object (a bare array or
// boolean) into v; a malformed one is a 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any, want string) error {
	if err := httpx.DecodeJSON(w, r, v); err != nil {
		if errors.Is(err, httpx.ErrBodyTooLarge) {
			return err
		}
		return httpx.BadRequest("The body must be %s", want)
	}
	return nil
}

// hexColour is a CSS hex colour, #rrggbb or #rgb.
var hexColour = regexp.MustCompile(`^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$`)

// boolInto sets *dst from a boolean field when present.
func boolInto(b *httpx.Body, key string, dst *bool) {
	if v, ok := boolField(b, key); ok {
		*dst = v
	}
}

// colourInto sets *dst from a colour field when present (lowercased).
func colourInto(b *httpx.Body, key string, dst *string) {
	if v, ok := b.String(key); ok {
		if !hexColour.MatchString(v) {
			b.Fail(key, "a hex colour such as #2e9dff")
			return
		}
		*dst = strings.ToLower(v)
	}
}

// ---- branding ----

// accountBrandingJSON is an account's Branding; mediumLogo and largeLogo
// are the sizes made from the logo, so they follow logo.
type accountBrandingJSON struct {
	Logo           bool   `json:"logo"`
	MediumLogo     bool   `json:"mediumLogo"`
	LargeLogo      bool   `json:"largeLogo"`
	Icon           bool   `json:"icon"`
	Background     bool   `json:"background"`
	DarkMenu       bool   `json:"darkMenu"`
	NavbarColor    string `json:"navbarColor"`
	NavbarText     string `json:"navbarText"`
	SidebarColor   string `json:"sidebarColor"`
	SidebarText    string `json:"sidebarText"`
	PrimaryColor   string `json:"primaryColor"`
	PrimaryText    string `json:"primaryText"`
	SecondaryColor string `json:"secondaryColor"`
	SecondaryText  string `json:"secondaryText"`
	LastModified   int64  `json:"lastModified"`
	FontFamily     string `json:"fontFamily"`
}

// defaultAccountBranding is Clinked's default look: the GET example's
// colours and font, no images.
func defaultAccountBranding(lastModified int64) accountBrandingJSON {
	return accountBrandingJSON{NavbarColor: "#ffffff", NavbarText: "#8692ac", SidebarColor: "#8692ac",
		SidebarText: "#8692ac", PrimaryColor: "#2e9dff", PrimaryText: "#ffffff", SecondaryColor: "#80c568",
		SecondaryText: "#ffffff", FontFamily: "Open Sans", LastModified: lastModified}
}

// parseAccountBranding reads a branding body as a full replacement:
// omitted writable fields take their defaults.
func parseAccountBranding(b *httpx.Body, now int64) accountBrandingJSON {
	out := defaultAccountBranding(now)
	for key, dst := range map[string]*bool{"logo": &out.Logo, "icon": &out.Icon, "background": &out.Background,
		"darkMenu": &out.DarkMenu} {
		boolInto(b, key, dst)
	}
	for key, dst := range map[string]*string{"navbarColor": &out.NavbarColor, "navbarText": &out.NavbarText,
		"sidebarColor": &out.SidebarColor, "sidebarText": &out.SidebarText, "primaryColor": &out.PrimaryColor,
		"primaryText": &out.PrimaryText, "secondaryColor": &out.SecondaryColor, "secondaryText": &out.SecondaryText} {
		colourInto(b, key, dst)
	}
	if v, ok := b.StringMax("fontFamily", maxFontFamily); ok {
		if strings.TrimSpace(v) == "" {
			b.Fail("fontFamily", "a non-empty string")
		} else {
			out.FontFamily = v
		}
	}
	out.MediumLogo, out.LargeLogo = out.Logo, out.Logo
	return out
}

// accountBranding returns the account's branding, or the defaults.
func accountBranding(ctx context.Context, q store.Querier, ns string, a *account) (accountBrandingJSON, error) {
	out := defaultAccountBranding(a.dateCreated)
	_, err := loadSetting(ctx, q, ns, a.id, settingBranding, &out)
	return out, err
}

// getAccountBranding serves GET /v3/accounts/{account}/branding (any
// member: every member's portal shows it).
func (s *Service) getAccountBranding(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	out, err := accountBranding(r.Context(), s.db, c.ns.ID, a)
	return reply(w, out, err)
}

// upsertAccountBranding serves POST /v3/accounts/{account}/branding: a
// full replacement.
func (s *Service) upsertAccountBranding(w http.ResponseWriter, r *http.Request, c *caller) error {
	return replaceSetting(s, w, r, c, settingBranding, func(b *httpx.Body) accountBrandingJSON {
		return parseAccountBranding(b, ms(c.ns.Now()))
	})
}

// deleteAccountBranding serves DELETE /v3/accounts/{account}/branding:
// back to the defaults, modified now.
func (s *Service) deleteAccountBranding(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	if err := s.saveIn(r.Context(), c.ns.ID, a.id, settingBranding, defaultAccountBranding(ms(c.ns.Now()))); err != nil {
		return err
	}
	return writeOK(w)
}

// ---- iframes ----

// listIframes serves GET /v3/accounts/{account}/iframes: the white-listed
// iframe domains.
func (s *Service) listIframes(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, out, err := adminSetting(s, r, c, settingIframes, []string{})
	return reply(w, out, err)
}

// updateIframes serves POST /v3/accounts/{account}/iframes: the body, a
// bare array of strings, replaces the list (repeats dropped, first seen
// order kept).
func (s *Service) updateIframes(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	var in []string
	if err := readJSON(w, r, &in, "an array of strings"); err != nil {
		return err
	}
	if len(in) > maxIframes {
		return httpx.BadRequest("At most %d iframe domains are allowed", maxIframes)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || !valid.Len(v, valid.MaxName) {
			return httpx.BadRequest("An iframe domain must be a non-empty string of at most %d characters", valid.MaxName)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if err := s.saveIn(r.Context(), c.ns.ID, a.id, settingIframes, out); err != nil {
		return err
	}
	return writeOK(w)
}

// ---- password strength ----

// passwordStrengthJSON is an account's password policy.
type passwordStrengthJSON struct {
	Size      int64 `json:"size"`
	Uppercase bool  `json:"uppercase"`
	Digits    bool  `json:"digits"`
	Special   bool  `json:"special"`
}

// defaultPasswordStrength is the GET example, Clinked's default.
var defaultPasswordStrength = passwordStrengthJSON{Size: 6, Uppercase: true, Digits: true}

// parsePasswordStrength reads a full replacement; size is required.
func parsePasswordStrength(b *httpx.Body) passwordStrengthJSON {
	var out passwordStrengthJSON
	v, ok := intField(b, "size")
	switch {
	case ok && v >= 1 && v <= maxPasswordSize:
		out.Size = v
	case ok || b.Raw("size") == nil: // a mistyped size is already recorded
		b.Fail("size", "an integer from 1 to 128")
	}
	boolInto(b, "uppercase", &out.Uppercase)
	boolInto(b, "digits", &out.Digits)
	boolInto(b, "special", &out.Special)
	return out
}

// getPasswordStrength serves GET /v3/accounts/{account}/password-strength.
func (s *Service) getPasswordStrength(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, out, err := adminSetting(s, r, c, settingPasswordStrength, defaultPasswordStrength)
	return reply(w, out, err)
}

// updatePasswordStrength serves POST /v3/accounts/{account}/password-strength.
func (s *Service) updatePasswordStrength(w http.ResponseWriter, r *http.Request, c *caller) error {
	return replaceSetting(s, w, r, c, settingPasswordStrength, parsePasswordStrength)
}

// ---- profile fields ----

// profileFieldJSON is a custom member profile field.
type profileFieldJSON struct {
	Name  string `json:"name"`
	Order int64  `json:"order"`
}

// parseProfileFields validates a full list: names non-empty, unique and
// at most 255 characters; sorted by order, then name.
func parseProfileFields(in []profileFieldJSON) ([]profileFieldJSON, error) {
	if len(in) > maxProfileFields {
		return nil, httpx.BadRequest("At most %d profile fields are allowed", maxProfileFields)
	}
	seen := map[string]bool{}
	out := make([]profileFieldJSON, 0, len(in))
	for _, f := range in {
		f.Name = strings.TrimSpace(f.Name)
		switch {
		case f.Name == "" || !valid.Len(f.Name, valid.MaxName):
			return nil, httpx.BadRequest("A profile field name must be a non-empty string of at most %d characters", valid.MaxName)
		case seen[strings.ToLower(f.Name)]:
			return nil, httpx.BadRequest("Profile field %q is listed twice", f.Name)
		}
		seen[strings.ToLower(f.Name)] = true
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// listProfileFields serves GET /v3/accounts/{account}/profile-fields.
func (s *Service) listProfileFields(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, out, err := adminSetting(s, r, c, settingProfileFields, []profileFieldJSON{})
	return reply(w, out, err)
}

// updateProfileFields serves POST /v3/accounts/{account}/profile-fields:
// the bare array replaces every field.
func (s *Service) updateProfileFields(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	var raw []json.RawMessage
	if err := readJSON(w, r, &raw, "an array of {name, order}"); err != nil {
		return err
	}
	in := make([]profileFieldJSON, 0, len(raw))
	for i, e := range raw {
		var m map[string]json.RawMessage
		if json.Unmarshal(e, &m) != nil || m == nil {
			return httpx.BadRequest("Profile field %d must be an object {name, order}", i)
		}
		b := httpx.NewBody(m, httpx.Strict)
		f := profileFieldJSON{Name: b.Str("name")}
		f.Order, _ = intField(b, "order")
		if err := b.Err(); err != nil {
			return err
		}
		in = append(in, f)
	}
	out, err := parseProfileFields(in)
	if err != nil {
		return err
	}
	if err := s.saveIn(r.Context(), c.ns.ID, a.id, settingProfileFields, out); err != nil {
		return err
	}
	return writeOK(w)
}

// ---- two-factor enforcement ----

// twoFactorJSON is the enforcement flag.
type twoFactorJSON struct {
	Status bool `json:"status"`
}

// getTwoFactor serves GET /v3/accounts/{account}/two-factor-authentication-enforce.
func (s *Service) getTwoFactor(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, twoFactorJSON{Status: a.twoFactorEnforced})
	return nil
}

// updateTwoFactor serves POST /v3/accounts/{account}/two-factor-authentication-enforce:
// the body is a bare true or false ({"status": b} is accepted too). Once
// enforced, every member's password grant needs a code.
func (s *Service) updateTwoFactor(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := readJSON(w, r, &raw, "true or false"); err != nil {
		return err
	}
	var on bool
	if strings.TrimSpace(string(raw)) == "null" || json.Unmarshal(raw, &on) != nil {
		var obj struct {
			Status *bool `json:"status"`
		}
		if json.Unmarshal(raw, &obj) != nil || obj.Status == nil {
			return httpx.BadRequest("The body must be true or false")
		}
		on = *obj.Status
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `UPDATE clinked_accounts SET two_factor_enforced = $3, last_modified = $4
			WHERE ns = $1 AND id = $2`, c.ns.ID, a.id, on, ms(c.ns.Now()))
		return err
	})
}

// ---- storage ----

// storageRegions are the regions an account's files may live in.
var storageRegions = []string{"US-WEST-1", "EU-WEST-1", "CA-CENTRAL-1"}

// storageJSON is an account's storage location.
type storageJSON struct {
	Enabled          bool     `json:"enabled"`
	Region           string   `json:"region"`
	AvailableRegions []string `json:"availableRegions"`
}

// storageStored is what is kept of it.
type storageStored struct {
	Region string `json:"region"`
}

func (s *Service) writeStorage(w http.ResponseWriter, st storageStored) error {
	httpx.WriteJSON(w, http.StatusOK, storageJSON{Enabled: true, Region: st.Region, AvailableRegions: storageRegions})
	return nil
}

// getStorage serves GET /v3/accounts/{account}/storage.
func (s *Service) getStorage(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := adminSetting(s, r, c, settingStorage, storageStored{Region: storageRegions[0]})
	if err != nil {
		return err
	}
	return s.writeStorage(w, st)
}

// updateStorage serves POST /v3/accounts/{account}/storage: the region
// changes; no file moves (nothing is stored in a region here).
func (s *Service) updateStorage(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	region, ok := b.String("region")
	if err := b.Err(); err != nil {
		return err
	}
	canon, known := enumValue(strings.TrimSpace(region), storageRegions)
	if !ok || !known {
		return httpx.BadRequest("region must be one of %s", strings.Join(storageRegions, ", "))
	}
	st := storageStored{Region: canon}
	if err := s.saveIn(r.Context(), c.ns.ID, a.id, settingStorage, st); err != nil {
		return err
	}
	return s.writeStorage(w, st)
}

// ---- devices ----

// maxDevices bounds the devices list, a bare array.
const maxDevices = 1000

var deviceOrder = map[string]string{
	"name": "lower(a.name), a.client_id",
	// Never-used clients last on both databases (they sort NULLs apart).
	"lastActivity": "CASE WHEN a.last_activity IS NULL THEN 1 ELSE 0 END, a.last_activity DESC, a.client_id",
}

// listDevices serves GET /v3/accounts/{account}/devices: the OAuth clients
// (applications) of the account's members. name matches the client id or
// the name (case-insensitive substring); orderBy is name (default) or
// lastActivity (most recent first); other values are ignored.
func (s *Service) listDevices(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	p, err := paramsAfter(w, r, err)
	if err != nil {
		return err
	}
	var args store.Args
	where := `a.ns = ` + args.Add(c.ns.ID) + ` AND a.owner_id IN (SELECT m.user_id FROM clinked_members m
		WHERE m.ns = a.ns AND m.account_id = ` + args.Add(a.id) + `)`
	if v := strings.TrimSpace(p.Get("name")); v != "" {
		where += likeAny(&args, "%"+likePattern(v)+"%", "lower(a.client_id)", "lower(a.name)")
	}
	order, ok := deviceOrder[p.Get("orderBy")]
	if !ok {
		order = deviceOrder["name"]
	}
	ctx := r.Context()
	rows, err := s.db.QueryContext(ctx, `SELECT `+prefixed("a", applicationColumns)+` FROM clinked_applications a WHERE `+
		where+` ORDER BY `+order+` LIMIT `+args.Add(maxDevices), args...)
	apps, err := store.Collect(rows, err, func(row store.Scanner) (application, error) {
		var app application
		return app, row.Scan(app.dest()...)
	})
	if err != nil {
		return err
	}
	owners := map[int64]*user{}
	out := make([]applicationJSON, 0, len(apps))
	for i := range apps {
		o, ok := owners[apps[i].ownerID]
		if !ok {
			if o, err = userByID(ctx, s.db, c.ns.ID, apps[i].ownerID); err != nil {
				return err
			}
			owners[apps[i].ownerID] = o
		}
		out = append(out, apps[i].json(o))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// deleteDevice serves DELETE /v3/accounts/{account}/devices/{clientId}:
// the client of an account member goes, with every token issued to it.
func (s *Service) deleteDevice(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	app, err := applicationByClientID(ctx, s.db, c.ns.ID, r.PathValue("clientId"))
	if err == nil {
		_, err = memberOf(ctx, s.db, c.ns.ID, a.id, app.ownerID)
	}
	if err != nil {
		return notFoundIf(err, "Device not found")
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		if err := revokeClientTokens(ctx, tx, c.ns.ID, app.clientID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM clinked_applications WHERE ns = $1 AND client_id = $2`, c.ns.ID, app.clientID)
		return err
	})
}

// passwordPolicyFail tells what a new password lacks under the account's
// password-strength policy ("" when it passes). Member and guest passwords
// set through the API are held to a policy an administrator has set; until
// then only the older rules apply (the default shown is not enforced, so
// that existing clients keep working: docs/decisions.md).
func passwordPolicyFail(ctx context.Context, q store.Querier, ns string, accountID int64, pw string) (string, error) {
	var ps passwordStrengthJSON
	if set, err := loadSetting(ctx, q, ns, accountID, settingPasswordStrength, &ps); err != nil || !set {
		return "", err
	}
	var missing []string
	if int64(len([]rune(pw))) < ps.Size {
		missing = append(missing, fmt.Sprintf("at least %d characters", ps.Size))
	}
	if ps.Uppercase && !strings.ContainsFunc(pw, unicode.IsUpper) {
		missing = append(missing, "an uppercase letter")
	}
	if ps.Digits && !strings.ContainsFunc(pw, unicode.IsDigit) {
		missing = append(missing, "a digit")
	}
	if ps.Special && !strings.ContainsFunc(pw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		missing = append(missing, "a special character")
	}
	if len(missing) == 0 {
		return "", nil
	}
	return "have " + strings.Join(missing, ", ") + " (the account's password strength)", nil
}

// checkPasswordPolicy is passwordPolicyFail as a 400 on the password field.
func checkPasswordPolicy(ctx context.Context, q store.Querier, ns string, accountID int64, pw string) error {
	msg, err := passwordPolicyFail(ctx, q, ns, accountID, pw)
	if err != nil || msg == "" {
		return err
	}
	return httpx.BadRequest("password must %s", msg)
}
