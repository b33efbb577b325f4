package clinked

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// Enums of an application.
var (
	platforms   = []string{"IOS", "ANDROID", "SYNC", "LINUX", "WINDOWS", "OTHER"}
	deviceTypes = []string{"Phone", "Tablet", "Watch", "Browser", "Other"}
)

// applicationJSON is an Application; clientSecret only in the create answer.
type applicationJSON struct {
	ClientID     string       `json:"clientId"`
	Owner        baseUserJSON `json:"owner"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	Platform     string       `json:"platform"`
	DeviceType   string       `json:"deviceType"`
	DeviceModel  string       `json:"deviceModel"`
	DeviceOs     string       `json:"deviceOs"`
	AppVersion   string       `json:"appVersion"`
	BundleID     string       `json:"bundleId"`
	LastActivity *int64       `json:"lastActivity"`
	IP           *string      `json:"ip"`
	Scope        []string     `json:"scope"`
	RedirectURIs []string     `json:"redirectURIs"`
	GrantTypes   []string     `json:"grantTypes"`
	ClientSecret string       `json:"clientSecret,omitempty"`
}

func (a *application) json(owner *user) applicationJSON {
	return applicationJSON{ClientID: a.clientID, Owner: owner.base(), Name: a.name, Description: a.description,
		Platform: a.platform, DeviceType: a.deviceType, DeviceModel: a.deviceModel, DeviceOs: a.deviceOs,
		AppVersion: a.appVersion, BundleID: a.bundleID, LastActivity: num(a.lastActivity), IP: str(a.ip),
		Scope: strList(a.scope), RedirectURIs: strList(a.redirectURIs), GrantTypes: strList(a.grantTypes)}
}

// enumValue matches v against an enum case-insensitively and returns the
// canonical spelling.
func enumValue(v string, values []string) (string, bool) {
	for _, e := range values {
		if strings.EqualFold(v, e) {
			return e, true
		}
	}
	return "", false
}

// applyApplication copies the writable fields present in b onto a,
// recording bad ones on b.
func applyApplication(b *httpx.Body, a *application) error {
	fields := []struct {
		key  string
		dst  *string
		enum []string
	}{
		{"name", &a.name, nil}, {"description", &a.description, nil}, {"platform", &a.platform, platforms},
		{"deviceType", &a.deviceType, deviceTypes}, {"deviceModel", &a.deviceModel, nil},
		{"deviceOs", &a.deviceOs, nil}, {"appVersion", &a.appVersion, nil}, {"bundleId", &a.bundleID, nil},
	}
	for _, f := range fields {
		v, ok := b.String(f.key)
		switch {
		case !ok:
		case f.enum == nil:
			*f.dst = v
		default:
			if e, ok := enumValue(v, f.enum); ok {
				*f.dst = e
			} else {
				b.Fail(f.key, "one of "+strings.Join(f.enum, ", "))
			}
		}
	}
	if strings.TrimSpace(a.name) == "" {
		b.Fail("name", "a non-empty string")
	}
	return b.Err()
}

// createApplication serves POST /v3/applications: a new OAuth client owned
// by the caller. The secret is shown this once and stored hashed.
func (s *Service) createApplication(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	a := &application{clientID: ids.UUID(), ownerID: c.user.id, platform: "OTHER", deviceType: "Other",
		dateCreated: ms(c.ns.Now())}
	if err := applyApplication(b, a); err != nil {
		return err
	}
	secret := ids.UUID()
	a.secretHash = secretHash(secret)
	if err := s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		return insertApplication(r.Context(), tx, c.ns.ID, a)
	}); err != nil {
		return err
	}
	out := a.json(c.user)
	out.ClientSecret = secret
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

// listApplications serves GET /v3/applications: the caller's own.
func (s *Service) listApplications(w http.ResponseWriter, r *http.Request, c *caller) error {
	rows, err := s.db.QueryContext(r.Context(), `SELECT `+applicationColumns+` FROM clinked_applications
		WHERE ns = $1 AND owner_id = $2 ORDER BY date_created, client_id`, c.ns.ID, c.user.id)
	out, err := store.Collect(rows, err, func(row store.Scanner) (applicationJSON, error) {
		var a application
		err := row.Scan(a.dest()...)
		return a.json(c.user), err
	})
	return reply(w, out, err)
}

// ownApplication loads {application} if c owns it; others' are 404.
func (s *Service) ownApplication(r *http.Request, c *caller) (*application, error) {
	a, err := applicationByClientID(r.Context(), s.db, c.ns.ID, r.PathValue("application"))
	if err == nil && a.ownerID != c.user.id {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, notFoundIf(err, "Application not found")
	}
	return a, nil
}

// getApplication serves GET /v3/applications/{application}.
func (s *Service) getApplication(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.ownApplication(r, c)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.json(c.user))
	return nil
}

// updateApplication serves PATCH /v3/applications/{application}: the
// fields present change.
func (s *Service) updateApplication(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.ownApplication(r, c)
	b, err := bodyAfter(w, r, err)
	if err != nil {
		return err
	}
	if err := applyApplication(b, a); err != nil {
		return err
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error { return updateApplicationRow(r.Context(), tx, c.ns.ID, a) })
	return reply(w, a.json(c.user), err)
}

// updateApplicationRow saves the writable columns of a.
func updateApplicationRow(ctx context.Context, q store.Querier, ns string, a *application) error {
	_, err := q.ExecContext(ctx, `UPDATE clinked_applications SET name = $3, description = $4,
		platform = $5, device_type = $6, device_model = $7, device_os = $8, app_version = $9, bundle_id = $10
		WHERE ns = $1 AND client_id = $2`, ns, a.clientID, a.name, a.description, a.platform,
		a.deviceType, a.deviceModel, a.deviceOs, a.appVersion, a.bundleID)
	return err
}

// deleteApplication serves DELETE /v3/applications/{application}: the
// client goes, and every token issued to it stops working. 200, no body.
func (s *Service) deleteApplication(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.ownApplication(r, c)
	if err != nil {
		return err
	}
	return s.tx(w, r, func(tx *sql.Tx) error {
		if err := revokeClientTokens(r.Context(), tx, c.ns.ID, a.clientID); err != nil {
			return err
		}
		_, err := tx.ExecContext(r.Context(), `DELETE FROM clinked_applications WHERE ns = $1 AND client_id = $2`,
			c.ns.ID, a.clientID)
		return err
	})
}
