package clinked

import (
	"net"
	"net/http"
	"sort"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/valid"
)

// Custom e-mail: an account sends its mail through its own SMTP server or
// SendGrid, from its own authenticated domain. Nothing connects anywhere;
// the SMTP password and the SendGrid key are kept only as hashes and never
// answered.

// Custom e-mail types (CustomEmail.type): the last configuration made.
const (
	emailSMTP     = "SMTP"
	emailSendgrid = "SENDGRID"
)

// customEmailStored is an account's custom e-mail setting.
type customEmailStored struct {
	Type       string            `json:"type"`
	SMTP       *smtpStored       `json:"smtp,omitempty"`
	Sendgrid   *sendgridStored   `json:"sendgrid,omitempty"`
	DomainAuth *domainAuthStored `json:"domainAuthentication,omitempty"`
}

type smtpStored struct {
	Host         string `json:"host"`
	Username     string `json:"username"`
	PasswordHash string `json:"passwordHash"`
	Port         int64  `json:"port"`
	Auth         bool   `json:"auth"`
	Starttls     bool   `json:"starttls"`
	From         string `json:"from"`
}

type sendgridStored struct {
	KeyHash string `json:"keyHash"`
	KeyHint string `json:"keyHint"` // the key's last four characters
	From    string `json:"from"`
}

type domainAuthStored struct {
	From    string                   `json:"from"`
	Domain  string                   `json:"domain"`
	Valid   bool                     `json:"valid"`
	MxValid *bool                    `json:"mxValid"`
	DNS     map[string]dnsRecordJSON `json:"dns"`
}

// customEmailJSON is CustomEmail.
type customEmailJSON struct {
	Enabled   bool    `json:"enabled"`
	Connected bool    `json:"connected"`
	Type      *string `json:"type"`
}

// smtpJSON is SmtpConfig: the password is never returned.
type smtpJSON struct {
	Host            string  `json:"host"`
	Username        string  `json:"username"`
	Password        *string `json:"password"`
	Port            int64   `json:"port"`
	Auth            bool    `json:"auth"`
	Starttls        bool    `json:"starttls"`
	PasswordOmitted bool    `json:"passwordOmitted"`
	From            string  `json:"from"`
}

// sendgridJSON is SendgridConfig; apiKey is masked to its last four
// characters.
type sendgridJSON struct {
	APIKey string  `json:"apiKey"`
	From   string  `json:"from"`
	Mx     *string `json:"mx"`
}

// dnsRecordJSON is one DNS record of a domain authentication.
type dnsRecordJSON struct {
	Valid bool   `json:"valid"`
	Data  string `json:"data"`
	Host  string `json:"host"`
	Type  string `json:"type"`
}

// domainAuthJSON is DomainAuthentication.
type domainAuthJSON struct {
	From    string                   `json:"from"`
	Domain  string                   `json:"domain"`
	Mx      *string                  `json:"mx"`
	MxValid *bool                    `json:"mxValid"`
	Valid   bool                     `json:"valid"`
	DNS     map[string]dnsRecordJSON `json:"dns"`
}

func (d *domainAuthStored) json() domainAuthJSON {
	return domainAuthJSON{From: d.From, Domain: d.Domain, MxValid: d.MxValid, Valid: d.Valid, DNS: d.DNS}
}

// sendgridDomainJSON is a domain of the SendGrid account (SendGrid's own
// snake_case shape).
type sendgridDomainJSON struct {
	Default                 bool              `json:"default"`
	ID                      int64             `json:"id"`
	Username                string            `json:"username"`
	Subdomain               string            `json:"subdomain"`
	Domain                  string            `json:"domain"`
	UserID                  int64             `json:"user_id"`
	IPs                     []string          `json:"ips"`
	CustomSPF               bool              `json:"custom_spf"`
	Legacy                  bool              `json:"legacy"`
	AutomaticSecurity       bool              `json:"automatic_security"`
	Valid                   bool              `json:"valid"`
	DNS                     map[string]string `json:"dns"`
	LastValidationAttemptAt int64             `json:"last_validation_attempt_at"`
}

// sendgridDomains is the fixed list SendGrid "returns": the doc's example.
var sendgridDomains = []sendgridDomainJSON{{Default: true, ID: 100, Username: "Harry", Subdomain: "subdomain",
	Domain: "domain", UserID: 123, IPs: []string{"127.0.0.1"}, AutomaticSecurity: true, Valid: true,
	DNS: map[string]string{}, LastValidationAttemptAt: 1514764800000}}

// emailSettings are the per-namespace switches of custom e-mail:
//
//	{"custom_email": {"domain_valid": false}}
//
// makes domain-authentication validation fail (true by default).
type emailSettings struct {
	CustomEmail struct {
		DomainValid *bool `json:"domain_valid"`
	} `json:"custom_email"`
}

// maxSecret bounds a stored password or API key.
const maxSecret = 255

// emailDomain returns the domain of an address.
func emailDomain(addr string) string { return strings.ToLower(addr[strings.LastIndex(addr, "@")+1:]) }

// parseSMTP reads an SMTP configuration; the password may be left out to
// keep the current one.
func parseSMTP(b *httpx.Body, prev *smtpStored) smtpStored {
	var out smtpStored
	host, _ := b.String("host")
	out.Host = strings.ToLower(strings.TrimSpace(host))
	if !validHost(out.Host) && out.Host != "localhost" && net.ParseIP(out.Host) == nil {
		b.Fail("host", "a host name or IP address")
	}
	out.Username, _ = b.StringMax("username", valid.MaxName)
	if pw, ok := b.StringMax("password", maxSecret); ok && pw != "" {
		out.PasswordHash = secretHash(pw)
	} else if prev != nil {
		out.PasswordHash = prev.PasswordHash
	}
	port, ok := intField(b, "port")
	switch {
	case ok && port >= 1 && port <= 65535:
		out.Port = port
	case ok || b.Raw("port") == nil: // a mistyped port is already recorded
		b.Fail("port", "a port number from 1 to 65535")
	}
	boolInto(b, "auth", &out.Auth)
	boolInto(b, "starttls", &out.Starttls)
	out.From = fromField(b)
	return out
}

// fromField reads the required sender address.
func fromField(b *httpx.Body) string {
	from, _ := b.String("from")
	from = strings.TrimSpace(from)
	if !valid.Email(from) {
		b.Fail("from", "a valid e-mail address")
	}
	return from
}

// parseSendgrid reads a SendGrid configuration.
func parseSendgrid(b *httpx.Body) sendgridStored {
	key, _ := b.StringMax("apiKey", maxSecret)
	key = strings.TrimSpace(key)
	if key == "" {
		b.Fail("apiKey", "a SendGrid API key")
	}
	hint := key
	if len(hint) > 4 {
		hint = hint[len(hint)-4:]
	}
	return sendgridStored{KeyHash: secretHash(key), KeyHint: hint, From: fromField(b)}
}

// maskedKey is how a stored key is shown.
func (sg *sendgridStored) maskedKey() string { return "****" + sg.KeyHint }

// parseDomainAuth reads a domain authentication: from is required; the
// domain defaults to from's; dns records may be given, else SendGrid's
// three CNAMEs are made. Nothing is valid until validated.
func parseDomainAuth(b *httpx.Body) domainAuthStored {
	out := domainAuthStored{From: fromField(b), DNS: map[string]dnsRecordJSON{}}
	if d, ok := b.String("domain"); ok {
		out.Domain = strings.ToLower(strings.TrimSpace(d))
		if !validHost(out.Domain) {
			b.Fail("domain", "a host name")
		}
	} else if out.From != "" && strings.Contains(out.From, "@") {
		out.Domain = emailDomain(out.From)
	}
	if dns, ok := b.Object("dns"); ok {
		keys := dns.Keys()
		sort.Strings(keys)
		if len(keys) > 20 {
			b.Fail("dns", "at most 20 records")
		}
		for _, k := range keys {
			rec, ok := dns.Object(k)
			if !ok || !valid.Len(k, valid.MaxName) {
				b.Fail("dns."+k, "a record {data, host, type}")
				continue
			}
			d, _ := rec.StringMax("data", valid.MaxName)
			h, _ := rec.StringMax("host", valid.MaxName)
			t, _ := rec.StringMax("type", valid.MaxName)
			out.DNS[k] = dnsRecordJSON{Data: d, Host: h, Type: t}
		}
	}
	if len(out.DNS) == 0 && out.Domain != "" {
		out.DNS = map[string]dnsRecordJSON{
			"mail_cname": {Data: "u1234567.wl.sendgrid.net", Host: "em1234." + out.Domain, Type: "cname"},
			"dkim1":      {Data: "s1.domainkey.u1234567.wl.sendgrid.net", Host: "s1._domainkey." + out.Domain, Type: "cname"},
			"dkim2":      {Data: "s2.domainkey.u1234567.wl.sendgrid.net", Host: "s2._domainkey." + out.Domain, Type: "cname"},
		}
	}
	return out
}

// accountEmail resolves {account} (administrators only) and loads its
// custom e-mail setting.
func (s *Service) accountEmail(r *http.Request, c *caller) (*account, *customEmailStored, error) {
	a, st, err := adminSetting(s, r, c, settingCustomEmail, customEmailStored{})
	return a, &st, err
}

// getCustomEmail serves GET /v3/accounts/{account}/custom-email.
func (s *Service) getCustomEmail(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := s.accountEmail(r, c)
	if err != nil {
		return err
	}
	out := customEmailJSON{Enabled: true, Connected: st.Type != ""}
	if st.Type != "" {
		out.Type = &st.Type
	}
	return reply(w, out, nil)
}

// configureSMTP serves POST /v3/accounts/{account}/custom-email/smtp: the
// server is stored, never contacted, and becomes the account's mailer.
func (s *Service) configureSMTP(w http.ResponseWriter, r *http.Request, c *caller) error {
	return editSetting(s, w, r, c, settingCustomEmail, func(b *httpx.Body, _ *account, st *customEmailStored) smtpJSON {
		smtp := parseSMTP(b, st.SMTP)
		st.Type, st.SMTP = emailSMTP, &smtp
		return smtpJSON{Host: smtp.Host, Username: smtp.Username, Port: smtp.Port,
			Auth: smtp.Auth, Starttls: smtp.Starttls, PasswordOmitted: true, From: smtp.From}
	})
}

// configureSendgrid serves POST /v3/accounts/{account}/custom-email/sendgrid.
func (s *Service) configureSendgrid(w http.ResponseWriter, r *http.Request, c *caller) error {
	return editSetting(s, w, r, c, settingCustomEmail, func(b *httpx.Body, _ *account, st *customEmailStored) sendgridJSON {
		sg := parseSendgrid(b)
		st.Type, st.Sendgrid = emailSendgrid, &sg
		return sendgridJSON{APIKey: sg.maskedKey(), From: sg.From}
	})
}

// listSendgridDomains serves GET /v3/accounts/{account}/custom-email/sendgrid/domains:
// the domains of the SendGrid account of apiKey, or of the stored key.
func (s *Service) listSendgridDomains(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, st, err := s.accountEmail(r, c)
	p, err := paramsAfter(w, r, err)
	if err != nil {
		return err
	}
	if strings.TrimSpace(p.Get("apiKey")) == "" && st.Sendgrid == nil {
		return httpx.BadRequest("apiKey is required until SendGrid is configured")
	}
	return reply(w, sendgridDomains, nil)
}

// createDomainAuth serves POST /v3/accounts/{account}/custom-email/domain-authentication.
func (s *Service) createDomainAuth(w http.ResponseWriter, r *http.Request, c *caller) error {
	return editSetting(s, w, r, c, settingCustomEmail, func(b *httpx.Body, _ *account, st *customEmailStored) domainAuthJSON {
		da := parseDomainAuth(b)
		st.DomainAuth = &da
		return da.json()
	})
}

// validateDomainAuth serves PATCH /v3/accounts/{account}/custom-email/domain-authentication:
// no DNS lookup; the records pass unless the namespace's custom_email
// switch says domain_valid false.
func (s *Service) validateDomainAuth(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, st, err := s.accountEmail(r, c)
	if err != nil {
		return err
	}
	if st.DomainAuth == nil {
		return httpx.NotFound("No domain authentication is configured")
	}
	var sw emailSettings
	_ = c.ns.Setting(vendorName, &sw)
	ok := sw.CustomEmail.DomainValid == nil || *sw.CustomEmail.DomainValid
	da := st.DomainAuth
	da.Valid, da.MxValid = ok, &ok
	for k, rec := range da.DNS {
		rec.Valid = ok
		da.DNS[k] = rec
	}
	if err := s.saveIn(r.Context(), c.ns.ID, a.id, settingCustomEmail, st); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, da.json())
	return nil
}

// deleteCustomEmail serves DELETE /v3/accounts/{account}/custom-email:
// SMTP, SendGrid and the domain authentication all go.
func (s *Service) deleteCustomEmail(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.deleteAdminSetting(w, r, c, settingCustomEmail)
}
