package workdrive

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/store"
)

// adminOnlyUserFields may be changed by the OrgAdmin only; users may edit
// the rest of their own profile.
var adminOnlyUserFields = []string{"status", "reportsTo", "isDepartmentHead", "department", "location",
	"addAdditionalTeams", "removeAdditionalTeams", "addAdditionalLocations", "isExpert"}

// updateUser serves PATCH /api/users/{id}. Only the fields present change;
// null clears fileId, coverFileId, reportsTo, department and location.
func (s *Service) updateUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	id := r.PathValue("id")
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	if id != c.id && !c.isOrgAdmin() {
		if _, err := userInOrg(ctx, s.db, c.ns.ID, c.orgID, id); err != nil {
			return pathErr(err, "User", id)
		}
		return httpx.Forbidden("Only the organization admin can update other users")
	}
	if !c.isOrgAdmin() {
		for _, f := range adminOnlyUserFields {
			if b.Has(f) {
				return httpx.Forbidden("Only the organization admin can change %s", f)
			}
		}
	}
	var out *userDetail
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		ns, org, now := c.ns.ID, c.orgID, c.nowMS()
		u, err := userInOrg(ctx, tx, ns, org, id)
		if err != nil {
			return pathErr(err, "User", id)
		}
		text := func(key string, dst *string) {
			if v, ok := b.String(key); ok {
				*dst = v
			}
		}
		text("firstName", &u.firstName)
		text("lastName", &u.lastName)
		text("phone", &u.phone)
		text("designation", &u.designation)
		text("bio", &u.bio)
		if v, ok := b.Bool("isExpert"); ok {
			u.isExpert = v
		}
		if v, ok := b.String("status"); ok {
			if !oneOf(v, userStatuses) {
				return httpx.BadRequest("status must be one of: %s", strings.Join(userStatuses, ", "))
			}
			if (v == "ARCHIVE" || v == "BLOCKED") && u.role == roleOrgAdmin {
				return httpx.BadRequest("The organization admin cannot be archived or blocked")
			}
			u.status = v
		}
		if v, ok := b.String("availability"); ok {
			v = strings.ToUpper(v)
			if v != "ACTIVE" && v != "AWAY" {
				return httpx.BadRequest("availability must be one of: ACTIVE, AWAY")
			}
			u.availability = v
		}
		ref := func(key string, dst *sql.NullString, check func(string) error) error {
			if !b.Has(key) {
				return nil
			}
			v, ok := b.String(key)
			if !ok || v == "" {
				*dst = sql.NullString{}
				return nil
			}
			if err := check(v); err != nil {
				return err
			}
			*dst = sql.NullString{String: v, Valid: true}
			return nil
		}
		fileCheck := func(field string) func(string) error {
			return func(v string) error { return checkFileRef(ctx, tx, ns, org, field, v) }
		}
		if err := ref("fileId", &u.pictureFileID, fileCheck("fileId")); err != nil {
			return err
		}
		if err := ref("coverFileId", &u.coverFileID, fileCheck("coverFileId")); err != nil {
			return err
		}
		if err := ref("reportsTo", &u.reportsTo, func(v string) error {
			return s.checkBoss(ctx, tx, ns, org, u.id, v)
		}); err != nil {
			return err
		}
		if b.Has("department") {
			u.departmentID = sql.NullString{}
			if v, ok := b.String("department"); ok && v != "" {
				d, err := departmentByRef(ctx, tx, ns, org, v) // the doc's example names it
				if err != nil {
					return refErr(err, "department", v)
				}
				u.departmentID = sql.NullString{String: d.id, Valid: true}
			}
		}
		newLocation := ""
		if b.Has("location") {
			v, ok := b.String("location")
			if ok && v != "" {
				if _, err := locationInOrg(ctx, tx, ns, org, v); err != nil {
					return refErr(err, "location", v)
				}
				newLocation = v
			} else if u.locationID.Valid {
				if err := removeLocationMember(ctx, tx, ns, u.locationID.String, u.id); err != nil {
					return err
				}
				u.locationID = sql.NullString{}
			}
		}
		addTeams, _ := b.Strings("addAdditionalTeams")
		removeTeams, _ := b.Strings("removeAdditionalTeams")
		addLocs, _ := b.Strings("addAdditionalLocations")
		head, hasHead := b.Bool("isDepartmentHead")
		if err := b.Err(); err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, ns, org, "user", "addAdditionalTeams", addTeams); err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, ns, org, "location", "addAdditionalLocations", addLocs); err != nil {
			return err
		}
		u.updatedBy, u.updatedAt = c.id, now
		if err := updateUserRow(ctx, tx, ns, u); err != nil {
			return err
		}
		if newLocation != "" {
			if err := addLocationMember(ctx, tx, ns, newLocation, u.id, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE workdrive_users SET location_id = $3 WHERE ns = $1 AND id = $2`, ns, u.id, newLocation); err != nil {
				return err
			}
		}
		if err := execForEach(ctx, tx, `DELETE FROM workdrive_user_teams WHERE ns = $1 AND user_id = $2 AND supervisor_id = $3`,
			ns, u.id, removeTeams); err != nil {
			return err
		}
		for _, t := range addTeams {
			if t != u.id {
				if err := addTeam(ctx, tx, ns, u.id, t); err != nil {
					return err
				}
			}
		}
		if _, err := s.addLocations(ctx, tx, ns, u.id, addLocs, now); err != nil {
			return err
		}
		if hasHead {
			if err := s.setHead(ctx, tx, ns, u, head, now); err != nil {
				return err
			}
		}
		u, err = userByID(ctx, tx, ns, u.id)
		if err != nil {
			return err
		}
		out, err = userDetailJSON(ctx, tx, c.ns, u)
		if err != nil {
			return err
		}
		out.Badges = &[]any{} // badges are not modelled
		return nil
	})
	if err != nil {
		return err
	}
	return okJSON(w, out)
}

// checkBoss validates a new reportsTo: a user of the organization, not the
// user, and not one of the user's own reportees (no cycles).
func (s *Service) checkBoss(ctx context.Context, q store.Querier, ns, org, userID, boss string) error {
	if boss == userID {
		return httpx.BadRequest("A user cannot report to themselves")
	}
	b, err := userInOrg(ctx, q, ns, org, boss)
	if err != nil {
		return refErr(err, "reportsTo", boss)
	}
	for i := 0; b.reportsTo.Valid && i < 10000; i++ {
		if b.reportsTo.String == userID {
			return httpx.BadRequest("reportsTo would make a reporting cycle")
		}
		if b, err = userByID(ctx, q, ns, b.reportsTo.String); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
	}
	return nil
}

// setHead makes the user a head of their department, or not.
func (s *Service) setHead(ctx context.Context, tx *sql.Tx, ns string, u *user, head bool, now int64) error {
	if !u.departmentID.Valid {
		if head {
			return httpx.BadRequest("isDepartmentHead needs a department")
		}
		return nil
	}
	if head {
		return addDepartmentHead(ctx, tx, ns, u.departmentID.String, u.id, now)
	}
	return s.dropHead(ctx, tx, ns, u.departmentID.String, u.id)
}

// dropHead removes a head, refusing to leave the department without one.
func (s *Service) dropHead(ctx context.Context, tx *sql.Tx, ns, deptID, userID string) error {
	if err := removeDepartmentHead(ctx, tx, ns, deptID, userID); err != nil {
		return err
	}
	return checkHeads(ctx, tx, ns, deptID)
}

// checkHeads enforces the doc's rule: "There should be atleast one
// department Head for a specific department."
func checkHeads(ctx context.Context, q store.Querier, ns, deptID string) error {
	n, err := count(ctx, q, `SELECT count(*) FROM workdrive_department_heads WHERE ns = $1 AND department_id = $2`, ns, deptID)
	if err != nil {
		return err
	}
	if n == 0 {
		return httpx.BadRequest("There should be at least one department head for department %s", deptID)
	}
	return nil
}

// deleteUser serves DELETE /api/users/{id}[?bulk=true], OrgAdmin only.
func (s *Service) deleteUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin("delete users"); err != nil {
		return err
	}
	bulk, _, err := queryBool(r.URL.Query(), "bulk")
	if err != nil {
		return err
	}
	if _, err := readBody(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		if _, err := userInOrg(r.Context(), tx, c.ns.ID, c.orgID, id); err != nil {
			return pathErr(err, "User", id)
		}
		return s.deleteUsersTx(r.Context(), tx, c, []string{id}, bulk)
	})
	if err != nil {
		return err
	}
	return deleted(w)
}

// bulkDeleteUsers serves DELETE /api/users/bulk-delete {"id": [...]}, OrgAdmin
// only; unknown ids are ignored; off-boarding defaults apply.
func (s *Service) bulkDeleteUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := c.requireOrgAdmin("delete users"); err != nil {
		return err
	}
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	list, ok := b.Strings("id")
	if !ok {
		list, ok = b.Strings("ids")
	}
	if err := b.Err(); err != nil {
		return err
	}
	if !ok {
		return httpx.BadRequest("id must be an array of user ids")
	}
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var found []string
		for _, id := range list {
			if _, err := userInOrg(r.Context(), tx, c.ns.ID, c.orgID, id); err == nil {
				found = append(found, id)
			} else if !isNotFound(err) {
				return err
			}
		}
		return s.deleteUsersTx(r.Context(), tx, c, found, true)
	})
	if err != nil {
		return err
	}
	return deleted(w)
}

// deleteUsersTx hard-deletes users of the caller's organization. Their
// content goes to the assignee (the caller; with off-boarding defaults the
// configured assignee or the OrgAdmin), their reportees move up to the
// deleted user's own supervisor, and their keys stop working.
func (s *Service) deleteUsersTx(ctx context.Context, tx *sql.Tx, c *caller, list []string, offboarding bool) error {
	ns, org := c.ns.ID, c.orgID
	var adminID string
	if err := tx.QueryRowContext(ctx, `SELECT admin_user_id FROM workdrive_organizations WHERE ns = $1 AND id = $2`, ns, org).Scan(&adminID); err != nil {
		return err
	}
	assignee := c.id
	if offboarding {
		assignee = adminID
		if a := loadSettings(c.ns).OffboardingAssignee; a != "" {
			if _, err := userInOrg(ctx, tx, ns, org, a); err == nil {
				assignee = a
			}
		}
	}
	doomed := map[string]bool{}
	for _, id := range list {
		doomed[id] = true
	}
	if doomed[adminID] {
		return httpx.BadRequest("The organization admin cannot be deleted")
	}
	if doomed[c.id] {
		return httpx.BadRequest("You cannot delete yourself")
	}
	if doomed[assignee] {
		return httpx.BadRequest("The off-boarding assignee %s cannot be deleted", assignee)
	}
	depts := map[string]bool{}
	for id := range doomed {
		u, err := userByID(ctx, tx, ns, id)
		if err != nil {
			return err
		}
		heads, err := strList(ctx, tx, `SELECT department_id FROM workdrive_department_heads WHERE ns = $1 AND user_id = $2`, ns, id)
		if err != nil {
			return err
		}
		for _, d := range heads {
			depts[d] = true
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_users SET reports_to = $3 WHERE ns = $1 AND reports_to = $2`,
			ns, id, u.reportsTo); err != nil {
			return err
		}
		for _, oc := range ownedColumns {
			if _, err := tx.ExecContext(ctx, `UPDATE `+oc.Table+` SET `+oc.Column+` = $3 WHERE ns = $1 AND `+oc.Column+` = $2`,
				ns, id, assignee); err != nil {
				return err
			}
		}
		for _, mc := range memberColumns {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+mc.Table+` WHERE ns = $1 AND `+mc.Column+` = $2`, ns, id); err != nil {
				return err
			}
		}
		if err := execEach(ctx, tx, []string{
			`DELETE FROM workdrive_sso WHERE ns = $1 AND user_id = $2 AND level = 'USER'`,
			`DELETE FROM workdrive_user_teams WHERE ns = $1 AND (user_id = $2 OR supervisor_id = $2)`,
			`DELETE FROM workdrive_department_heads WHERE ns = $1 AND user_id = $2`,
			`DELETE FROM workdrive_location_members WHERE ns = $1 AND user_id = $2`,
			`DELETE FROM workdrive_location_admins WHERE ns = $1 AND user_id = $2`,
			`DELETE FROM workdrive_security_group_members WHERE ns = $1 AND user_id = $2`,
			`DELETE FROM workdrive_api_keys WHERE ns = $1 AND user_id = $2`,
			`DELETE FROM workdrive_users WHERE ns = $1 AND id = $2`,
		}, ns, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workdrive_sso SET user_id = $3 WHERE ns = $1 AND user_id = $2`, ns, id, assignee); err != nil {
			return err
		}
	}
	for d := range depts {
		if err := checkHeads(ctx, tx, ns, d); err != nil {
			return httpx.BadRequest("Assign another head to department %s before deleting its last head", d)
		}
	}
	return nil
}

// generateToken serves POST /api/token/generate-access {"userId"}. The OrgAdmin
// may mint a key for any user of the organization, others only for
// themselves. The new key replaces the user's previous ones.
func (s *Service) generateToken(w http.ResponseWriter, r *http.Request, c *caller) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	// Without userId the caller's own key would be rotated and the client
	// locked out of every later call; the catalog asks for it.
	uid, err := requiredStr(b, "userId", "userId should not be empty")
	if err != nil {
		return err
	}
	if uid != c.id && !c.isOrgAdmin() {
		return httpx.Forbidden("Only the organization admin can generate tokens for other users")
	}
	token := ids.UUID()
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		u, err := userInOrg(r.Context(), tx, c.ns.ID, c.orgID, uid)
		if err != nil {
			return pathErr(err, "User", uid)
		}
		if u.status == "BLOCKED" || u.status == "ARCHIVE" {
			return httpx.BadRequest("User %s is %s", uid, strings.ToLower(u.status))
		}
		if err := revokeAPIKeys(r.Context(), tx, c.ns.ID, uid); err != nil {
			return err
		}
		return insertAPIKey(r.Context(), tx, c.ns.ID, uid, token, c.nowMS())
	})
	if err != nil {
		return err
	}
	return created(w, struct {
		Token  string `json:"token"`
		UserID string `json:"userId"`
	}{token, uid})
}
