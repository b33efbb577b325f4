package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// SSO levels: who sees an entry.
const (
	ssoAdmin      = "ADMIN"
	ssoLocation   = "LOCATION"
	ssoDepartment = "DEPARTMENT"
	ssoUser       = "USER"
)

type ssoEntry struct {
	id, orgID, level, typ, name, authURI, tokenURI, refreshURI, loginURL, link, userID string
	order                                                                              int64
	fileID, departmentID, locationID                                                   sql.NullString
	createdAt, updatedAt                                                               int64
}

const ssoColumns = `id, org_id, level, type, name, authorization_uri, token_uri, refresh_uri, login_url, link, user_id,
	sort_order, file_id, department_id, location_id, created_at, updated_at`

func scanSSO(row store.Scanner) (*ssoEntry, error) {
	var e ssoEntry
	err := row.Scan(&e.id, &e.orgID, &e.level, &e.typ, &e.name, &e.authURI, &e.tokenURI, &e.refreshURI, &e.loginURL, &e.link,
		&e.userID, &e.order, &e.fileID, &e.departmentID, &e.locationID, &e.createdAt, &e.updatedAt)
	return &e, err
}

// ssoOut is an SSO entry. The doc's objects have no name, so none is
// emitted; fields of the other type are empty strings.
type ssoOut struct {
	AuthorizationURI string           `json:"authorizationURI"`
	CreatedAt        string           `json:"createdAt"`
	CreatedBy        string           `json:"createdBy"`
	DepartmentID     any              `json:"departmentId"`
	File             *fileOut         `json:"file"`
	ID               string           `json:"id"`
	Link             string           `json:"link"`
	LocationID       any              `json:"locationId"`
	LoginURL         string           `json:"loginURL"`
	Order            int64            `json:"order"`
	OrgID            string           `json:"orgId"`
	RefreshURI       string           `json:"refreshURI"`
	TokenURI         string           `json:"tokenURI"`
	Type             string           `json:"type"`
	UpdatedAt        string           `json:"updatedAt"`
	UpdatedBy        string           `json:"updatedBy"`
	User             *userSummaryJSON `json:"user"`
}

// ssoJSON renders an SSO entry.
func ssoJSON(ctx context.Context, q store.Querier, ns *namespace.Namespace, e *ssoEntry) (*ssoOut, error) {
	owner, err := userSummaryByID(ctx, q, ns, e.userID)
	if err != nil {
		return nil, err
	}
	file, err := fileObject(ctx, q, ns, e.orgID, e.fileID.String)
	if err != nil {
		return nil, err
	}
	return &ssoOut{
		ID: e.id, CreatedAt: isoTime(e.createdAt), UpdatedAt: isoTime(e.updatedAt),
		CreatedBy: e.userID, UpdatedBy: e.userID,
		AuthorizationURI: e.authURI, TokenURI: e.tokenURI, RefreshURI: e.refreshURI, LoginURL: e.loginURL,
		OrgID: e.orgID, LocationID: strOrNil(e.locationID), DepartmentID: strOrNil(e.departmentID),
		Order: e.order, File: file, User: owner, Link: e.link, Type: e.typ,
	}, nil
}

// listSSO serves GET /api/sso. One scope at a time, by priority location >
// department > manage; with none, the caller's own user-level entries.
// Sorted by order. A bare array.
func (s *Service) listSSO(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	q := r.URL.Query()
	manage, _, err := queryBool(q, "manage")
	if err != nil {
		return err
	}
	var a store.Args
	where := c.inOrg(&a, "")
	switch loc, dept := q.Get("location"), q.Get("department"); {
	case loc != "":
		if err := checkRef(ctx, s.db, c.ns.ID, c.orgID, "location", "location", loc); err != nil {
			return err
		}
		where += " AND level = 'LOCATION' AND location_id = " + a.Add(loc)
	case dept != "":
		if err := checkRef(ctx, s.db, c.ns.ID, c.orgID, "department", "department", dept); err != nil {
			return err
		}
		where += " AND level = 'DEPARTMENT' AND department_id = " + a.Add(dept)
	case manage:
		if !c.isOrgAdmin() {
			return httpx.Forbidden("Only the organization admin can list admin-level SSO entries")
		}
		where += " AND level = 'ADMIN'"
	default:
		where += " AND level = 'USER' AND user_id = " + a.Add(c.id)
	}
	// No pagination is documented; the list is capped like every page.
	rows, err := s.db.QueryContext(ctx, `SELECT `+ssoColumns+` FROM workdrive_sso WHERE `+where+`
		ORDER BY sort_order, created_at, id LIMIT 1000`, a...)
	entries, err := store.Collect(rows, err, scanSSO)
	if err != nil {
		return err
	}
	out := make([]*ssoOut, 0, len(entries))
	for _, e := range entries {
		m, err := ssoJSON(ctx, s.db, c.ns, e)
		if err != nil {
			return err
		}
		out = append(out, m)
	}
	return okJSON(w, out)
}

// createSSO serves POST /api/sso[?manage=true]. manage makes an admin-level
// entry (OrgAdmin only) and ignores departmentId/locationId; otherwise a
// locationId makes a location-level entry, else a departmentId a
// department-level one (OrgAdmin, or an admin of the location / head of
// the department), else a user-level one for the caller.
func (s *Service) createSSO(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	manage, _, err := queryBool(r.URL.Query(), "manage")
	if err != nil {
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	if v, ok := b.Bool("manage"); ok {
		manage = manage || v
	}
	now := c.nowMS()
	e := &ssoEntry{id: ids.UUID(), orgID: c.orgID, userID: c.id, createdAt: now, updatedAt: now}
	e.typ = strings.ToUpper(strings.TrimSpace(b.Str("type")))
	e.name = b.Str("name")
	authURI, tokenURI, refreshURI, loginURL, link := b.Str("authorizationURI"), b.Str("tokenURI"), b.Str("refreshURI"), b.Str("loginURL"), b.Str("link")
	e.order, _ = b.Int("order")
	fileID := strings.TrimSpace(b.Str("fileId"))
	deptID, locID := strings.TrimSpace(b.Str("departmentId")), strings.TrimSpace(b.Str("locationId"))
	if err := b.Err(); err != nil {
		return err
	}
	switch e.typ {
	case "QUICK_LINK":
		if strings.TrimSpace(link) == "" {
			return httpx.BadRequest("link is required for a QUICK_LINK")
		}
		e.link = link
	case "SSO":
		for _, f := range []struct{ name, v string }{{"authorizationURI", authURI}, {"tokenURI", tokenURI},
			{"refreshURI", refreshURI}, {"loginURL", loginURL}} {
			if strings.TrimSpace(f.v) == "" {
				return httpx.BadRequest("%s is required for an SSO", f.name)
			}
		}
		e.authURI, e.tokenURI, e.refreshURI, e.loginURL = authURI, tokenURI, refreshURI, loginURL
	case "":
		return httpx.BadRequest("type is required")
	default:
		return httpx.BadRequest("type must be one of: QUICK_LINK, SSO")
	}
	var out *ssoOut
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		ns, org := c.ns.ID, c.orgID
		if fileID != "" {
			if err := checkFileRef(ctx, tx, ns, org, "fileId", fileID); err != nil {
				return err
			}
			e.fileID = sql.NullString{String: fileID, Valid: true}
		}
		switch {
		case manage:
			if !c.isOrgAdmin() {
				return httpx.Forbidden("Only the organization admin can create admin-level SSO entries")
			}
			e.level = ssoAdmin
		case locID != "":
			if _, err := locationKind.forWrite(ctx, tx, c, locID); err != nil {
				return notFoundAsBadRequest(err, "locationId %q does not name a location of this organization", locID)
			}
			e.level, e.locationID = ssoLocation, sql.NullString{String: locID, Valid: true}
		case deptID != "":
			if _, err := departmentKind.forWrite(ctx, tx, c, deptID); err != nil {
				return notFoundAsBadRequest(err, "departmentId %q does not name a department of this organization", deptID)
			}
			e.level, e.departmentID = ssoDepartment, sql.NullString{String: deptID, Valid: true}
		default:
			e.level = ssoUser
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workdrive_sso (ns, `+ssoColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
			ns, e.id, e.orgID, e.level, e.typ, e.name, e.authURI, e.tokenURI, e.refreshURI, e.loginURL, e.link, e.userID,
			e.order, e.fileID, e.departmentID, e.locationID, e.createdAt, e.updatedAt); err != nil {
			return err
		}
		var err error
		out, err = ssoJSON(ctx, tx, c.ns, e)
		return err
	})
	if err != nil {
		return err
	}
	return created(w, out)
}
