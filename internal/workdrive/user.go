package workdrive

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// user is a row of workdrive_users with the names of what it references.
type user struct {
	id, orgID, role, userName, email, status            string
	firstName, lastName, bio, phone, designation, color string
	isExpert                                            bool
	availability                                        string
	pictureFileID, coverFileID, reportsTo               sql.NullString
	departmentID, locationID                            sql.NullString
	skill, defaultVisibility, externalUserID            string
	createdBy, updatedBy                                string
	createdAt, updatedAt                                int64
	departmentName, locationName, pictureKey, coverKey  string
	isHead                                              bool // head of any department
}

// userFields are the columns scanUser reads, from users (alias u) with
// their department and location names, picture and cover keys and head flag;
// userJoins provides them.
const userFields = `u.id, u.org_id, u.role, u.user_name, u.email, u.status,
	u.first_name, u.last_name, u.bio, u.phone, u.designation, u.color, u.is_expert, u.availability,
	u.picture_file_id, u.cover_file_id, u.reports_to, u.department_id, u.location_id,
	u.skill, u.default_visibility, u.external_user_id, u.created_by, u.updated_by, u.created_at, u.updated_at,
	COALESCE(d.name, ''), COALESCE(l.name, ''), COALESCE(pf.blob_key, ''), COALESCE(cf.blob_key, ''),
	EXISTS (SELECT 1 FROM workdrive_department_heads h WHERE h.ns = u.ns AND h.user_id = u.id)`

const userJoins = `
	LEFT JOIN workdrive_departments d ON d.ns = u.ns AND d.id = u.department_id
	LEFT JOIN workdrive_locations l ON l.ns = u.ns AND l.id = u.location_id
	LEFT JOIN workdrive_files pf ON pf.ns = u.ns AND pf.id = u.picture_file_id
	LEFT JOIN workdrive_files cf ON cf.ns = u.ns AND cf.id = u.cover_file_id`

// userSelect selects users (alias u); callers add WHERE and ORDER BY.
const userSelect = `SELECT ` + userFields + ` FROM workdrive_users u` + userJoins

func scanUser(row store.Scanner) (*user, error) {
	var u user
	err := row.Scan(&u.id, &u.orgID, &u.role, &u.userName, &u.email, &u.status,
		&u.firstName, &u.lastName, &u.bio, &u.phone, &u.designation, &u.color, &u.isExpert, &u.availability,
		&u.pictureFileID, &u.coverFileID, &u.reportsTo, &u.departmentID, &u.locationID,
		&u.skill, &u.defaultVisibility, &u.externalUserID, &u.createdBy, &u.updatedBy, &u.createdAt, &u.updatedAt,
		&u.departmentName, &u.locationName, &u.pictureKey, &u.coverKey, &u.isHead)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// scanUsers collects a user query's rows; it takes the query's two results
// as they are: scanUsers(q.QueryContext(…)).
func scanUsers(rows *sql.Rows, err error) ([]*user, error) {
	return store.Collect(rows, err, scanUser)
}

// userByID returns any user of the namespace (used to render owners).
func userByID(ctx context.Context, q store.Querier, ns, id string) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE u.ns = $1 AND u.id = $2`, ns, id))
}

// userInOrg returns a user of org; users of other organizations are not
// found.
func userInOrg(ctx context.Context, q store.Querier, ns, org, id string) (*user, error) {
	if org == "" {
		return nil, sql.ErrNoRows
	}
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE u.ns = $1 AND u.id = $2 AND u.org_id = $3`, ns, id, org))
}

// usersByIDs returns the users of org among ids, in the order of ids;
// unknown ids are skipped.
func usersByIDs(ctx context.Context, q store.Querier, ns, org string, ids []string) ([]*user, error) {
	out := make([]*user, 0, len(ids))
	for _, id := range ids {
		u, err := userInOrg(ctx, q, ns, org, id)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// availabilityInt maps the stored availability to the integer the
// responses show: 1 ACTIVE, 0 AWAY.
func availabilityInt(a string) int {
	if a == "AWAY" {
		return 0
	}
	return 1
}

func availabilityText(a string) string {
	if a == "AWAY" {
		return "Away"
	}
	return "Available"
}

// emptyObject is the {} the API writes for an unset object.
type emptyObject struct{}

// mediaLiteJSON is the picture/cover object inside user shapes.
type mediaLiteJSON struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

// mediaLite is the picture/cover object inside user shapes: {} without a
// picture, else the file's id and url.
func mediaLite(ns *namespace.Namespace, id sql.NullString, key string) any {
	if !id.Valid || key == "" {
		return emptyObject{}
	}
	return mediaLiteJSON{ID: id.String, URL: fileURL(ns, key)}
}

// idName is a reference to a named entity: {id, name}.
type idName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// refObject is {} for no reference, else {id, name}.
func refObject(id sql.NullString, name string) any {
	if !id.Valid {
		return emptyObject{}
	}
	return idName{ID: id.String, Name: name}
}

// designationJSON is {} or {"name"}.
type designationJSON struct {
	Name string `json:"name,omitempty"`
}

// userSummaryJSON is the UserSummary shape used wherever a user is
// embedded (owner, creator, members, participants, …). Fields here and in
// the other wire types are in the order encoding/json sorts map keys, so
// the answers are the bytes the map-built ones were.
type userSummaryJSON struct {
	Availability           int             `json:"availability"`
	AvailabilityStatusText string          `json:"availabilityStatusText"`
	Color                  string          `json:"color"`
	Cover                  any             `json:"cover"`
	Department             any             `json:"department"`
	DepartmentData         any             `json:"departmentData,omitempty"` // task lists' creators: {} or {id, name}
	Designation            designationJSON `json:"designation"`
	Email                  string          `json:"email"`
	ExternalUserID         string          `json:"externalUserId"`
	FirstName              string          `json:"firstName"`
	ID                     string          `json:"id"`
	Invited                *string         `json:"invited,omitempty"` // events' rsvpUsers
	LastName               string          `json:"lastName"`
	LocationID             *string         `json:"locationId"`
	Online                 bool            `json:"online"`
	Phone                  string          `json:"phone"`
	Picture                any             `json:"picture"`
	RSVP                   *string         `json:"rsvp,omitempty"` // events' rsvpUsers
	Status                 string          `json:"status"`
}

// userSummary renders the UserSummary of u.
func userSummary(ns *namespace.Namespace, u *user) *userSummaryJSON {
	return &userSummaryJSON{
		ID: u.id, FirstName: u.firstName, LastName: u.lastName,
		Picture: mediaLite(ns, u.pictureFileID, u.pictureKey),
		Cover:   mediaLite(ns, u.coverFileID, u.coverKey),
		Color:   u.color, Availability: availabilityInt(u.availability),
		Designation: designationJSON{Name: u.designation}, Department: refObject(u.departmentID, u.departmentName),
		AvailabilityStatusText: availabilityText(u.availability),
		Phone:                  u.phone, Email: u.email, Status: u.status,
		LocationID: strPtr(u.locationID), ExternalUserID: u.externalUserID,
	}
}

// summariesOf renders users as UserSummaries ([] for none).
func summariesOf(ns *namespace.Namespace, users []*user) []*userSummaryJSON {
	out := make([]*userSummaryJSON, 0, len(users))
	for _, u := range users {
		out = append(out, userSummary(ns, u))
	}
	return out
}

// userSummaryByID renders a user's summary, or nil when the user is gone.
func userSummaryByID(ctx context.Context, q store.Querier, ns *namespace.Namespace, id string) (*userSummaryJSON, error) {
	if id == "" {
		return nil, nil
	}
	u, err := userByID(ctx, q, ns.ID, id)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return userSummary(ns, u), nil
}

// strOrNil is a nullable column as a JSON string or null.
func strOrNil(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

// strPtr is a nullable column as a JSON string or null.
func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func jsonStrings(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil || out == nil {
		return []string{}
	}
	return out
}
