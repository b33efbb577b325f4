package clinked

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/store"
)

// packageJSON is an AccountPackage (userinfo subscription, accountPackage).
type packageJSON struct {
	Code                string       `json:"code"`
	PlanDetails         *planDetails `json:"planDetails"`
	Members             int64        `json:"members"`
	Storage             *int64       `json:"storage"`
	Suspended           bool         `json:"suspended"`
	TrialExpires        *int64       `json:"trialExpires"`
	Paused              bool         `json:"paused"`
	PausedBillingCycles *int64       `json:"pausedBillingCycles"`
	DatePausedAt        *int64       `json:"datePausedAt"`
}

type planDetails struct {
	Interval int64  `json:"interval"`
	Currency string `json:"currency"`
}

func (a *account) pkg() packageJSON {
	p := packageJSON{Code: a.planCode, Members: a.maxMembers, Storage: num(a.storage), Suspended: a.suspended,
		TrialExpires: num(a.trialExpires), Paused: a.paused, PausedBillingCycles: num(a.pausedBillingCycles),
		DatePausedAt: num(a.datePausedAt)}
	if a.planInterval.Valid {
		p.PlanDetails = &planDetails{Interval: a.planInterval.Int64, Currency: a.planCurrency.String}
	}
	return p
}

// userInfoAccount is one entry of userinfo's accounts.
type userInfoAccount struct {
	Account        accountJSON     `json:"account"`
	Subscription   packageJSON     `json:"subscription"`
	Permission     int64           `json:"permission"`
	MemberOfSpaces int64           `json:"memberOfSpaces"`
	AdminInSpaces  int64           `json:"adminInSpaces"`
	Features       json.RawMessage `json:"features"`
	MailDomain     string          `json:"mailDomain"`
	Metadata       json.RawMessage `json:"metadata"`
}

type userInfoJSON struct {
	Name        string            `json:"name"`
	Principal   userJSON          `json:"principal"`
	Authorities []string          `json:"authorities"`
	Accounts    []userInfoAccount `json:"accounts"`
}

// userAccounts returns the accounts a user belongs to, in id order, with
// the user's permission and group counts in each. enabledOnly drops
// disabled accounts.
func userAccounts(ctx context.Context, q store.Querier, ns string, userID int64, enabledOnly bool) ([]userInfoAccount, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("a", accountColumns)+`, m.permission,
		(SELECT count(*) FROM clinked_group_members gm JOIN clinked_groups g ON g.ns = gm.ns AND g.id = gm.group_id
			WHERE gm.ns = m.ns AND gm.user_id = m.user_id AND g.account_id = a.id AND NOT g.removed),
		(SELECT count(*) FROM clinked_group_members gm JOIN clinked_groups g ON g.ns = gm.ns AND g.id = gm.group_id
			WHERE gm.ns = m.ns AND gm.user_id = m.user_id AND g.account_id = a.id AND NOT g.removed AND gm.permission >= 16)
		FROM clinked_members m JOIN clinked_accounts a ON a.ns = m.ns AND a.id = m.account_id
		WHERE m.ns = $1 AND m.user_id = $2 AND (a.enabled OR NOT $3) ORDER BY a.id`, ns, userID, enabledOnly)
	return store.Collect(rows, err, func(row store.Scanner) (userInfoAccount, error) {
		var a account
		var e userInfoAccount
		if err := row.Scan(append(a.dest(), &e.Permission, &e.MemberOfSpaces, &e.AdminInSpaces)...); err != nil {
			return e, err
		}
		e.Account, e.Subscription = a.json(), a.pkg()
		e.Features, e.MailDomain, e.Metadata = rawJSON(a.features, "[]"), a.mailDomain, rawJSON(a.metadata, "{}")
		return e, nil
	})
}

// getUserInfo serves GET /v3/userinfo: the caller and every account of theirs.
func (s *Service) getUserInfo(w http.ResponseWriter, r *http.Request, c *caller) error {
	accts, err := userAccounts(r.Context(), s.db, c.ns.ID, c.user.id, false)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, userInfoJSON{Name: c.user.username, Principal: c.user.full(),
		Authorities: strList(c.user.authorities), Accounts: accts})
	return nil
}

// listAccounts serves GET /v3/accounts: the caller's accounts, all of them
// unless enabledOnly=true.
func (s *Service) listAccounts(w http.ResponseWriter, r *http.Request, c *caller) error {
	enabledOnly, err := queryBool(r.URL.Query(), "enabledOnly", false)
	if err != nil {
		return err
	}
	accts, err := userAccounts(r.Context(), s.db, c.ns.ID, c.user.id, enabledOnly)
	if err != nil {
		return err
	}
	out := make([]accountJSON, 0, len(accts))
	for _, a := range accts {
		out = append(out, a.Account)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// getAccount serves GET /v3/accounts/{account}.
func (s *Service) getAccount(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.json())
	return nil
}

// slugRE is what an account name (its subdomain) may be.
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// updateAccount serves PATCH /v3/accounts/{account}: name (a unique
// lowercase slug), friendlyName and locale; absent fields stay.
func (s *Service) updateAccount(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, b, err := s.adminBody(w, r, c)
	if err != nil {
		return err
	}
	if name, ok := b.String("name"); ok {
		a.name = strings.TrimSpace(name)
		if !slugRE.MatchString(a.name) {
			b.Fail("name", "a lowercase slug: letters, digits, '_' and '-', at most 63 characters")
		}
	}
	if fn, ok := b.String("friendlyName"); ok {
		if strings.TrimSpace(fn) == "" {
			b.Fail("friendlyName", "a non-empty string")
		}
		a.friendlyName = fn
	}
	if loc, ok := b.String("locale"); ok || b.Null("locale") {
		a.locale = nullStr(loc)
	}
	if err := b.Err(); err != nil {
		return err
	}
	a.lastModified = ms(c.ns.Now())
	err = s.db.Tx(r.Context(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(r.Context(), `UPDATE clinked_accounts SET name = $3, friendly_name = $4, locale = $5,
			last_modified = $6 WHERE ns = $1 AND id = $2`, c.ns.ID, a.id, a.name, a.friendlyName, a.locale, a.lastModified)
		return err
	})
	if store.IsUniqueViolation(err) {
		return httpx.Conflict("An account named %s already exists", a.name)
	}
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.json())
	return nil
}

type subscriptionJSON struct {
	AccountPackage packageJSON     `json:"accountPackage"`
	Plan           string          `json:"plan"`
	StorageUsed    int64           `json:"storageUsed"`
	MembersUsed    int64           `json:"membersUsed"`
	BillingDetails json.RawMessage `json:"billingDetails"`
}

// getSubscription serves GET /v3/accounts/{account}/subscription (admins):
// the package, the storage its groups use and its member count.
func (s *Service) getSubscription(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, true)
	if err != nil {
		return err
	}
	out := subscriptionJSON{AccountPackage: a.pkg(), Plan: a.planName, BillingDetails: rawJSON(a.billingDetails.String, "null")}
	err = s.db.QueryRowContext(r.Context(), `SELECT
		(SELECT COALESCE(SUM(storage_consumed), 0) FROM clinked_groups WHERE ns = $1 AND account_id = $2 AND NOT removed),
		(SELECT count(*) FROM clinked_members WHERE ns = $1 AND account_id = $2)`, c.ns.ID, a.id).
		Scan(&out.StorageUsed, &out.MembersUsed)
	return reply(w, out, err)
}

// catalogueComponentJSON is an entry of the components catalogue.
type catalogueComponentJSON struct {
	Name        string `json:"name"`
	Beta        bool   `json:"beta"`
	Title       string `json:"title"`
	Description string `json:"description"`
	IconName    string `json:"iconName"`
}

// componentCatalogue lists the group components Clinked offers, in the
// order the catalogue shows them.
var componentCatalogue = []catalogueComponentJSON{
	{Name: "files", Title: "Files", Description: "Share and track versions of files", IconName: "files"},
	{Name: "pages", Title: "Pages", Description: "Create and share rich-text pages", IconName: "pages"},
	{Name: "events", Title: "Events", Description: "Schedule events and meetings", IconName: "events"},
	{Name: "tasks", Title: "Tasks", Description: "Assign and track tasks", IconName: "tasks"},
	{Name: "discussions", Title: "Discussions", Description: "Discuss topics with group members", IconName: "discussions"},
}

// listComponents serves GET /v3/accounts/{account}/components: the
// components the account's subscription allows.
func (s *Service) listComponents(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, _, err := s.account(r, c, false)
	if err != nil {
		return err
	}
	allowed := map[string]bool{}
	for _, n := range strList(a.components) {
		allowed[n] = true
	}
	out := []catalogueComponentJSON{}
	for _, cc := range componentCatalogue {
		if allowed[cc.Name] {
			out = append(out, cc)
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
