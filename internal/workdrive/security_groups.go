package workdrive

import (
	"database/sql"
	"net/http"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// listSecurityGroups serves GET /api/security_groups, newest first. Security
// groups are seeded (the API has no create endpoint).
func (s *Service) listSecurityGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, out, total, err := orgPage(s, r, c, "workdrive_security_groups", `x.id, x.name,
		(SELECT count(*) FROM workdrive_security_group_members m WHERE m.ns = x.ns AND m.group_id = x.id)`,
		func(row store.Scanner) (securityGroupOut, error) {
			var g securityGroupOut
			err := row.Scan(&g.ID, &g.Name, &g.MemberCount)
			return g, err
		})
	if err != nil {
		return err
	}
	return okPage(w, "groups", out, p.Meta(total))
}

// securityGroupIDs reads `ids` from the body, or from the query (ids=…,
// ids[]=… or comma-separated).
func securityGroupIDs(r *http.Request, b *httpx.Body) []string {
	list, ok := b.Strings("ids")
	if ok {
		return list
	}
	q := r.URL.Query()
	for _, v := range append(q["ids"], q["ids[]"]...) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				list = append(list, p)
			}
		}
	}
	return list
}

// changeSecurityGroupMembers adds (POST) or removes (DELETE) members, idempotently.
func (s *Service) changeSecurityGroupMembers(add bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		if err := c.requireOrgAdmin("change security groups"); err != nil {
			return err
		}
		b, err := readBody(w, r)
		if err != nil {
			return err
		}
		list := securityGroupIDs(r, b)
		if err := b.Err(); err != nil {
			return err
		}
		if len(list) == 0 {
			return httpx.BadRequest("ids must be a non-empty array of user ids")
		}
		gid := r.PathValue("groupId")
		var name string
		err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
			ctx := r.Context()
			var err error
			if name, err = securityGroupInOrg(ctx, tx, c.ns.ID, c.orgID, gid); err != nil {
				return pathErr(err, "Security group", gid)
			}
			if add {
				if err := checkRefs(ctx, tx, c.ns.ID, c.orgID, "user", "ids", list); err != nil {
					return err
				}
			}
			for _, uid := range list {
				if add {
					err = addSecurityGroupMember(ctx, tx, c.ns.ID, gid, uid)
				} else {
					_, err = tx.ExecContext(ctx, `DELETE FROM workdrive_security_group_members WHERE ns = $1 AND group_id = $2 AND user_id = $3`,
						c.ns.ID, gid, uid)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !add {
			return deleted(w)
		}
		n, err := count(r.Context(), s.db, `SELECT count(*) FROM workdrive_security_group_members WHERE ns = $1 AND group_id = $2`, c.ns.ID, gid)
		if err != nil {
			return err
		}
		return created(w, securityGroupOut{ID: gid, Name: name, MemberCount: n})
	}
}

// securityGroupOut is a security group with its member count.
type securityGroupOut struct {
	ID          string `json:"id"`
	MemberCount int    `json:"memberCount"`
	Name        string `json:"name"`
}
