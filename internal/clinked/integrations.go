package clinked

import (
	"database/sql"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/httpx"
)

// Nothing here connects anywhere: SSO metadata, custom domains, DocuSign
// and Adobe are stored and answered deterministically
// (docs/decisions.md, Clinked, Account settings and group configuration).

// ---- SSO ----

// ssoConfigJSON is the SAML configuration an administrator sets.
type ssoConfigJSON struct {
	EntityID           string `json:"entityId"`
	SsoEnabled         bool   `json:"ssoEnabled"`
	UserJit            bool   `json:"userJit"`
	ForceSso           bool   `json:"forceSso"`
	AdminsUsePassword  bool   `json:"adminsUsePassword"`
	DisableProfileEdit bool   `json:"disableProfileEdit"`
	ForceAuth          bool   `json:"forceAuth"`
}

// ssoStored is an account's SSO setting: the configuration and, once an
// identity provider's metadata was uploaded, its certificate's validity.
type ssoStored struct {
	Configuration ssoConfigJSON `json:"configuration"`
	Certificate   bool          `json:"certificate"`
	NotBefore     int64         `json:"notBefore"` // ms
	NotAfter      int64         `json:"notAfter"`  // ms
}

// ssoJSON is SsoDetails: only enabled until a certificate exists.
type ssoJSON struct {
	Enabled            bool           `json:"enabled"`
	Version            int64          `json:"version,omitempty"`
	Subject            string         `json:"subject,omitempty"`
	SignatureAlgorithm string         `json:"signatureAlgorithm,omitempty"`
	SignatureOID       string         `json:"signatureOID,omitempty"`
	Issuer             string         `json:"issuer,omitempty"`
	NotAfter           string         `json:"notAfter,omitempty"`
	NotBefore          string         `json:"notBefore,omitempty"`
	SoonToExpire       *bool          `json:"soonToExpire,omitempty"`
	PublicKey          string         `json:"publicKey,omitempty"`
	Configuration      *ssoConfigJSON `json:"configuration,omitempty"`
}

// The certificate the emulator reports for uploaded IdP metadata: fixed
// names and key, valid for a year from the upload (or renewal).
const (
	ssoSubject      = "CN=standin-idp, O=standin, C=GB"
	ssoPublicKey    = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAstandinstandinstandinstandinstandinIDAQAB"
	ssoValidity     = 365 * 24 * time.Hour
	ssoSoonToExpire = 30 * 24 * time.Hour
)

// view renders the setting at now (soonToExpire moves with the clock).
func (st *ssoStored) view(now int64) ssoJSON {
	if !st.Certificate {
		return ssoJSON{}
	}
	soon := st.NotAfter-now < ssoSoonToExpire.Milliseconds()
	cfg := st.Configuration
	return ssoJSON{Enabled: cfg.SsoEnabled, Version: 3, Subject: ssoSubject, SignatureAlgorithm: "SHA256withRSA",
		SignatureOID: "1.2.840.113549.1.1.11", Issuer: ssoSubject,
		NotAfter: time.UnixMilli(st.NotAfter).UTC().Format(time.RFC3339), NotBefore: time.UnixMilli(st.NotBefore).UTC().Format(time.RFC3339),
		SoonToExpire: &soon, PublicKey: ssoPublicKey, Configuration: &cfg}
}

// applySSO applies a PATCH body (or a fixture) to st: present flags
// change; tempFile (the IdP metadata upload) or renew makes a certificate
// valid for a year from now. ssoEnabled needs a certificate.
func applySSO(b *httpx.Body, st *ssoStored, entityID string, now int64) {
	cfg := &st.Configuration
	cfg.EntityID = entityID
	for key, dst := range map[string]*bool{"ssoEnabled": &cfg.SsoEnabled, "userJit": &cfg.UserJit,
		"forceSso": &cfg.ForceSso, "adminsUsePassword": &cfg.AdminsUsePassword,
		"disableProfileEdit": &cfg.DisableProfileEdit, "forceAuth": &cfg.ForceAuth} {
		boolInto(b, key, dst)
	}
	upload := false
	if raw := b.Raw("tempFile"); raw != nil {
		if t := unquote(raw); t == "" || !validTempFileRef(t) {
			b.Fail("tempFile", "a temp file id")
		} else {
			upload = true
		}
	}
	renew, _ := boolField(b, "renew")
	if renew && !st.Certificate && !upload {
		b.Fail("renew", "used once an identity provider's metadata is uploaded (tempFile)")
	}
	if upload || renew {
		st.Certificate, st.NotBefore, st.NotAfter = true, now, now+ssoValidity.Milliseconds()
	}
	if cfg.SsoEnabled && !st.Certificate {
		b.Fail("ssoEnabled", "false until an identity provider's metadata is uploaded (tempFile)")
	}
}

// tempFileRef is a temp file id as clients send it: digits, or an opaque
// token.
var tempFileRef = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

func validTempFileRef(s string) bool { return tempFileRef.MatchString(s) }

// ssoEntityID is the service provider's entity id of an account.
func ssoEntityID(baseURL string, a *account) string {
	return strings.TrimRight(baseURL, "/") + "/saml/metadata/" + a.name
}

// getSSO serves GET /v3/accounts/{account}/sso.
func (s *Service) getSSO(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := adminSetting(s, r, c, settingSSO, ssoStored{})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, st.view(ms(c.ns.Now())))
	return nil
}

// updateSSO serves PATCH /v3/accounts/{account}/sso.
func (s *Service) updateSSO(w http.ResponseWriter, r *http.Request, c *caller) error {
	return editSetting(s, w, r, c, settingSSO, func(b *httpx.Body, a *account, st *ssoStored) ssoJSON {
		now := ms(c.ns.Now())
		applySSO(b, st, ssoEntityID(c.ns.BaseURL, a), now)
		return st.view(now)
	})
}

// deleteSSO serves DELETE /v3/accounts/{account}/sso: everything goes.
func (s *Service) deleteSSO(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteAdminSetting(w, r, c, settingSSO)
}

// ---- custom domain ----

// customDomainJSON is CustomDomain: whether a domain is set, whether the
// feature is usable, where to point it, and the domain.
type customDomainJSON struct {
	Status  bool                `json:"status"`
	Enabled bool                `json:"enabled"`
	Regions map[string][]string `json:"regions"`
	Domain  *string             `json:"domain"`
}

// customDomainRegions is where a custom domain's CNAME points, per region.
var customDomainRegions = map[string][]string{"WEST-1": {"my-host"}}

// hostName is a DNS name with at least two labels.
var hostName = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

// validHost tells whether s (lowercase) is a host name.
func validHost(s string) bool { return len(s) <= 253 && hostName.MatchString(s) }

// getCustomDomain serves GET /v3/accounts/{account}/domain. The domain is
// the account's own domain field.
func (s *Service) getCustomDomain(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, customDomainJSON{Status: a.domain.Valid, Enabled: true,
		Regions: customDomainRegions, Domain: str(a.domain)})
	return nil
}

// createCustomDomain serves POST /v3/accounts/{account}/domain: a host
// name, which replaces the current one; one account per domain (409).
func (s *Service) createCustomDomain(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	d, ok := b.String("domain")
	if err := b.Err(); err != nil {
		return err
	}
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if !ok || !validHost(d) {
		return httpx.BadRequest("domain must be a host name such as portal.example.com")
	}
	ctx := r.Context()
	return s.tx(w, r, func(tx *sql.Tx) error {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM clinked_accounts WHERE ns = $1 AND domain = $2 AND id <> $3`,
			c.ns.ID, d, a.id).Scan(&other)
		if err == nil {
			return httpx.Conflict("Domain %s is used by another account", d)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE clinked_accounts SET domain = $3, last_modified = $4 WHERE ns = $1 AND id = $2`,
			c.ns.ID, a.id, d, ms(c.ns.Now()))
		return err
	})
}

// deleteCustomDomain serves DELETE /v3/accounts/{account}/domain.
func (s *Service) deleteCustomDomain(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `UPDATE clinked_accounts SET domain = NULL, last_modified = $3
			WHERE ns = $1 AND id = $2 AND domain IS NOT NULL`, c.ns.ID, a.id, ms(c.ns.Now()))
		return err
	})
}

// ---- DocuSign ----

// docusignJSON is the integration's status: connected, and the DocuSign
// account (not the Clinked one) it uses.
type docusignJSON struct {
	Connected bool    `json:"connected"`
	Account   *string `json:"account"`
}

// docusignAccountJSON is a DocuSign account (DocuSign's own snake_case).
type docusignAccountJSON struct {
	AccountID    string          `json:"account_id"`
	IsDefault    *string         `json:"is_default"`
	AccountName  string          `json:"account_name"`
	BaseURI      string          `json:"base_uri"`
	Organization docusignOrgJSON `json:"organization"`
}

type docusignOrgJSON struct {
	OrganizationID string             `json:"organization_id"`
	Links          []docusignLinkJSON `json:"links"`
}

type docusignLinkJSON struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// docusignAccounts is the fixed list DocuSign "returns": the doc's example.
var docusignAccounts = []docusignAccountJSON{{AccountID: "xxxx-xxxx", AccountName: "Awesome account",
	BaseURI: "example.com", Organization: docusignOrgJSON{OrganizationID: "org-id",
		Links: []docusignLinkJSON{{Rel: "example.com", Href: "example.com"}}}}}

// applyDocusign applies connected and account: account must be one of the
// listed ids; connecting without one picks the first; disconnecting
// forgets it.
func applyDocusign(b *httpx.Body, st *docusignJSON) {
	if v, ok := b.String("account"); ok {
		known := false
		for _, da := range docusignAccounts {
			known = known || da.AccountID == v
		}
		if !known {
			b.Fail("account", "one of the DocuSign account ids listed at docusign/accounts")
		} else {
			st.Account, st.Connected = &v, true
		}
	}
	if v, ok := boolField(b, "connected"); ok {
		st.Connected = v
	}
	switch {
	case !st.Connected:
		st.Account = nil
	case st.Account == nil:
		id := docusignAccounts[0].AccountID
		st.Account = &id
	}
}

// getDocusign serves GET /v3/accounts/{account}/docusign.
func (s *Service) getDocusign(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := adminSetting(s, r, c, settingDocusign, docusignJSON{})
	return reply(w, st, err)
}

// updateDocusign serves PATCH /v3/accounts/{account}/docusign.
func (s *Service) updateDocusign(w http.ResponseWriter, r *http.Request, c *caller) error {
	return editSetting(s, w, r, c, settingDocusign, func(b *httpx.Body, _ *account, st *docusignJSON) *docusignJSON {
		applyDocusign(b, st)
		return st
	})
}

// deleteDocusign serves DELETE /v3/accounts/{account}/docusign.
func (s *Service) deleteDocusign(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteAdminSetting(w, r, c, settingDocusign)
}

// listDocusignAccounts serves GET /v3/accounts/{account}/docusign/accounts.
func (s *Service) listDocusignAccounts(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, _, err := s.account(r, c, true)
	return reply(w, docusignAccounts, err)
}

// docusignConsentJSON is where to send the administrator for consent.
type docusignConsentJSON struct {
	ConsentURL string `json:"consentUrl"`
}

// getDocusignConsent serves GET /v3/accounts/{account}/docusign/consent:
// consent is instant, so the URL is the redirect itself.
func (s *Service) getDocusignConsent(w http.ResponseWriter, r *http.Request, c *caller) error {
	if _, _, err := s.account(r, c, true); err != nil {
		return err
	}
	p, err := params(w, r)
	if err != nil {
		return err
	}
	redirect := strings.TrimSpace(p.Get("redirect"))
	if redirect == "" || len(redirect) > 2048 {
		return httpx.BadRequest("redirect is required: the URL to return to after consent")
	}
	httpx.WriteJSON(w, http.StatusOK, docusignConsentJSON{ConsentURL: redirect})
	return nil
}

// ---- Adobe ----

// adobeJSON is the Adobe integration's status.
type adobeJSON struct {
	Connected bool `json:"connected"`
}

// getAdobe serves GET /v3/accounts/{account}/adobe.
func (s *Service) getAdobe(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := adminSetting(s, r, c, settingAdobe, adobeJSON{})
	return reply(w, st, err)
}

// deleteAdobe serves DELETE /v3/accounts/{account}/adobe (the doc shows no
// method; DELETE as for DocuSign).
func (s *Service) deleteAdobe(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteAdminSetting(w, r, c, settingAdobe)
}
