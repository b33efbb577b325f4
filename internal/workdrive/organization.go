package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"unicode"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/outbox"
	"github.com/standin-dev/standin/internal/store"
)

// organization is a row of workdrive_organizations.
type organization struct {
	id, status, subdomain, name, legalName, authMethod, adminUserID, createdBy  string
	parentOrgID, websites, address, email, phone, description, industry, fileID sql.NullString
	updatedBy                                                                   sql.NullString
	createdAt                                                                   int64
	updatedAt                                                                   sql.NullInt64
}

const orgColumns = `id, status, subdomain, name, legal_name, auth_method, admin_user_id, created_by,
	parent_org_id, websites, address, email, phone, description, industry, file_id, updated_by,
	created_at, updated_at`

func scanOrganization(row store.Scanner) (*organization, error) {
	var o organization
	err := row.Scan(&o.id, &o.status, &o.subdomain, &o.name, &o.legalName, &o.authMethod, &o.adminUserID, &o.createdBy,
		&o.parentOrgID, &o.websites, &o.address, &o.email, &o.phone, &o.description, &o.industry, &o.fileID,
		&o.updatedBy, &o.createdAt, &o.updatedAt)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func organizationByID(ctx context.Context, q store.Querier, ns, id string) (*organization, error) {
	return scanOrganization(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM workdrive_organizations WHERE ns = $1 AND id = $2`, ns, id))
}

func insertOrganization(ctx context.Context, q store.Querier, ns string, o *organization) error {
	_, err := q.ExecContext(ctx, `INSERT INTO workdrive_organizations (ns, `+orgColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		ns, o.id, o.status, o.subdomain, o.name, o.legalName, o.authMethod, o.adminUserID, o.createdBy,
		o.parentOrgID, o.websites, o.address, o.email, o.phone, o.description, o.industry, o.fileID,
		o.updatedBy, o.createdAt, o.updatedAt)
	return err
}

// subdomainOf lower-cases a name and keeps its letters and digits.
func subdomainOf(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func rawOrNil(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return json.RawMessage(s.String)
}

// orgOut is the Organization object; the create answer adds createdBy
// and accessToken, the update answer file.
type orgOut struct {
	AccessToken string `json:"accessToken,omitempty"`
	Address     any    `json:"address"`
	AuthMethod  any    `json:"authMethod"`
	CreatedAt   string `json:"createdAt"`
	CreatedBy   string `json:"createdBy,omitempty"`
	Description any    `json:"description"`
	Email       any    `json:"email"`
	File        any    `json:"file,omitempty"`
	ID          string `json:"id"`
	Industry    any    `json:"industry"`
	LegalName   string `json:"legalName"`
	Name        string `json:"name"`
	ParentOrgID any    `json:"parentOrgId"`
	Phone       any    `json:"phone"`
	Status      string `json:"status"`
	Subdomain   string `json:"subdomain"`
	UpdatedAt   any    `json:"updatedAt"`
	Websites    any    `json:"websites"`
}

// orgJSON renders the Organization object; authMethod is a string in the
// create response and an array in the update response, as documented.
func orgJSON(o *organization, authAsArray bool) *orgOut {
	m := &orgOut{
		CreatedAt: isoTime(o.createdAt), UpdatedAt: isoTimePtr(o.updatedAt),
		ID: o.id, Status: o.status, Subdomain: o.subdomain, ParentOrgID: strOrNil(o.parentOrgID),
		Name: o.name, LegalName: o.legalName, Websites: rawOrNil(o.websites), Address: rawOrNil(o.address),
		Email: strOrNil(o.email), Phone: strOrNil(o.phone), Description: strOrNil(o.description),
		Industry: strOrNil(o.industry), AuthMethod: o.authMethod,
	}
	if authAsArray {
		m.AuthMethod = []string{o.authMethod}
	}
	return m
}

// createOrganization serves POST /api/organization, SuperAdmin only. It makes
// the organization and its OrgAdmin, whose new API key is accessToken.
func (s *Service) createOrganization(w http.ResponseWriter, r *http.Request, c *caller) error {
	if c.role != roleSuperAdmin {
		return httpx.Forbidden("Only a SuperAdmin can create an organization")
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(b.Str("name"))
	admin, _ := b.Object("admin")
	if admin == nil {
		admin = httpx.NewBody(nil, httpx.Lenient)
	}
	email := strings.TrimSpace(admin.Str("email"))
	first, last := admin.Str("firstName"), admin.Str("lastName")
	method := "internal"
	if a, ok := b.Object("auth"); ok {
		if m, ok := a.String("method"); ok {
			method = m
		}
	}
	if err := b.Err(); err != nil {
		return err
	}
	switch {
	case name == "":
		return httpx.BadRequest("name is required")
	case email == "":
		return httpx.BadRequest("admin.email is required")
	case !validEmail(email):
		return httpx.BadRequest("admin.email must be an email")
	case method != "internal" && method != "ldap":
		return httpx.BadRequest("auth.method must be one of: internal, ldap")
	}
	sub := subdomainOf(name)
	if sub == "" {
		return httpx.BadRequest("name must contain letters or digits")
	}
	now := c.nowMS()
	org := &organization{id: ids.UUID(), status: "ACTIVE", subdomain: sub, name: name, legalName: name,
		authMethod: method, adminUserID: ids.UUID(), createdBy: c.id, createdAt: now}
	token := ids.UUID()
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := insertOrganization(r.Context(), tx, c.ns.ID, org); err != nil {
			if store.IsUniqueViolation(err) {
				return httpx.Conflict("An organization with the subdomain %q already exists", sub)
			}
			return err
		}
		u := &user{id: org.adminUserID, orgID: org.id, role: roleOrgAdmin, userName: userNameOf(email), email: email,
			status: "ACTIVE", firstName: first, lastName: last, color: colors[0], createdBy: c.id, updatedBy: c.id,
			createdAt: now, updatedAt: now}
		if err := insertUser(r.Context(), tx, c.ns.ID, u); err != nil {
			return err
		}
		if err := insertAPIKey(r.Context(), tx, c.ns.ID, u.id, token, now); err != nil {
			return err
		}
		// Every organization starts with the standard catalogs (categories,
		// enforcement templates, courses).
		if err := seedOrgCatalogs(r.Context(), tx, c.ns.ID, org.id, u.id, now); err != nil {
			return err
		}
		return outbox.Send(r.Context(), tx, c.ns.ID, outbox.Message{Vendor: "workdrive", To: email,
			Subject: "Welcome to " + name + " on WorkDrive",
			Body:    "Hi " + strings.TrimSpace(first+" "+last) + ",\n\nYou are the administrator of the new organization " + name + " (" + sub + ").\nSign in to start on-boarding your team.",
			Time:    c.ns.Now()})
	})
	if err != nil {
		return err
	}
	out := orgJSON(org, false)
	out.CreatedBy, out.AccessToken = c.id, token
	return created(w, out)
}

// updateOrganization serves PATCH /api/organization/{id}, by its creator only.
func (s *Service) updateOrganization(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	if id != c.orgID {
		if o, err := organizationByID(r.Context(), s.db, c.ns.ID, id); err == nil && o != nil {
			return httpx.Forbidden("You cannot update another organization")
		}
		return httpx.NotFound("Organization %s not found", id)
	}
	if err := c.requireOrgAdmin("update the organization"); err != nil {
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	var org *organization
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		o, err := organizationByID(r.Context(), tx, c.ns.ID, id)
		if err != nil {
			return pathErr(err, "Organization", id)
		}
		if v, ok := b.String("name"); ok {
			if strings.TrimSpace(v) == "" {
				return httpx.BadRequest("name must not be empty")
			}
			o.name = v
		}
		if v, ok := b.String("legalName"); ok {
			o.legalName = v
		}
		optional := func(key string, dst *sql.NullString, check func(string) error) error {
			if !b.Has(key) {
				return nil
			}
			if b.Null(key) {
				*dst = sql.NullString{}
				return nil
			}
			v, _ := b.String(key)
			if check != nil {
				if err := check(v); err != nil {
					return err
				}
			}
			*dst = sql.NullString{String: v, Valid: true}
			return nil
		}
		checkEmail := func(v string) error {
			if !validEmail(v) {
				return httpx.BadRequest("email must be an email")
			}
			return nil
		}
		checkFile := func(v string) error { return checkFileRef(r.Context(), tx, c.ns.ID, c.orgID, "fileId", v) }
		for _, f := range []struct {
			key   string
			dst   *sql.NullString
			check func(string) error
		}{
			{"email", &o.email, checkEmail}, {"phone", &o.phone, nil}, {"description", &o.description, nil},
			{"industry", &o.industry, nil}, {"fileId", &o.fileID, checkFile},
		} {
			if err := optional(f.key, f.dst, f.check); err != nil {
				return err
			}
		}
		if b.Has("websites") {
			o.websites = sql.NullString{}
			if ws, ok := b.Strings("websites"); ok {
				js, _ := json.Marshal(ws)
				o.websites = sql.NullString{String: string(js), Valid: true}
			}
		}
		if b.Has("address") {
			o.address = sql.NullString{}
			if a, ok := b.Object("address"); ok {
				str := func(k string) *string {
					if v, ok := a.String(k); ok {
						return &v
					}
					return nil
				}
				addr := struct {
					City    *string `json:"city"`
					State   *string `json:"state"`
					Street1 *string `json:"street1"`
					Street2 *string `json:"street2"`
					Zip     *string `json:"zip"`
				}{City: str("city"), State: str("state"), Street1: str("street1"), Street2: str("street2"), Zip: str("zip")}
				js, _ := json.Marshal(addr)
				o.address = sql.NullString{String: string(js), Valid: true}
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		now := c.nowMS()
		o.updatedAt = sql.NullInt64{Int64: now, Valid: true}
		o.updatedBy = sql.NullString{String: c.id, Valid: true}
		_, err = tx.ExecContext(r.Context(), `UPDATE workdrive_organizations SET name = $3, legal_name = $4, websites = $5,
			address = $6, email = $7, phone = $8, description = $9, industry = $10, file_id = $11, updated_by = $12, updated_at = $13
			WHERE ns = $1 AND id = $2`, c.ns.ID, o.id, o.name, o.legalName, o.websites, o.address, o.email, o.phone,
			o.description, o.industry, o.fileID, o.updatedBy, o.updatedAt)
		org = o
		return err
	})
	if err != nil {
		return err
	}
	out := orgJSON(org, true)
	fileObj, err := fileObject(r.Context(), s.db, c.ns, c.orgID, org.fileID.String)
	if err != nil {
		return err
	}
	out.File = fileObj // null without a logo
	return okJSON(w, out)
}
