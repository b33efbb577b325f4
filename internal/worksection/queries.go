package worksection

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/standin-dev/standin/internal/store"
)

// Counters of the per-namespace integer ids.
const (
	ctrUser    = "worksection.user"
	ctrTeam    = "worksection.team"
	ctrFolder  = "worksection.contact_folder"
	ctrContact = "worksection.contact"
	ctrProject = "worksection.project"
	ctrTask    = "worksection.task"
)

// nextID returns id when the caller chose one (raising the counter past
// it), else the counter's next value.
func nextID(ctx context.Context, q store.Querier, ns, counter string, id int64) (int64, error) {
	if id > 0 {
		return id, store.EnsureCounterAtLeast(ctx, q, ns, counter, id)
	}
	return store.NextID(ctx, q, ns, counter)
}

// nameKey is how team and folder names and emails compare: trimmed,
// case-insensitively.
func nameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// digest is how tokens, codes and client secrets are stored.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

type account struct {
	apiKey  string
	ownerID int64
}

func accountByNS(ctx context.Context, q store.Querier, ns string) (*account, error) {
	var a account
	err := q.QueryRowContext(ctx, `SELECT api_key, owner_id FROM worksection_accounts WHERE ns = $1`, ns).
		Scan(&a.apiKey, &a.ownerID)
	return &a, err
}

// profile holds the optional contact details that users and contacts share;
// each is NULL when unset and then left out of responses.
type profile struct {
	phone, phone2, phone3, phone4, address, address2 sql.NullString
}

func (p *profile) scanArgs() []any {
	return []any{&p.phone, &p.phone2, &p.phone3, &p.phone4, &p.address, &p.address2}
}

func (p *profile) args() []any {
	return []any{p.phone, p.phone2, p.phone3, p.phone4, p.address, p.address2}
}

// profileColumns are the columns of a profile, in args order.
var profileColumns = []string{"phone", "phone2", "phone3", "phone4", "address", "address2"}

// --- teams ---

type team struct {
	id     int64
	title  string
	client int
}

// teams are the titled rows of worksection_teams: one more column, client.
var teams = titledKind[team, int]{table: "worksection_teams", counter: ctrTeam, column: "client",
	row: func(id int64, title string, client int) *team { return &team{id: id, title: title, client: client} }}

// titledKind is a table of titled rows, teams or contact folders: ns, id,
// a title unique per namespace (its title_key, by nameKey) and one more
// column, of type V. row makes the row type T from them.
type titledKind[T, V any] struct {
	table, counter, column string
	row                    func(id int64, title string, v V) *T
}

func (k titledKind[T, V]) scan(row store.Scanner) (*T, error) {
	var (
		id    int64
		title string
		v     V
	)
	err := row.Scan(&id, &title, &v)
	return k.row(id, title, v), err
}

func (k titledKind[T, V]) selectSQL() string {
	return `SELECT id, title, ` + k.column + ` FROM ` + k.table
}

func (k titledKind[T, V]) byTitle(ctx context.Context, q store.Querier, ns, title string) (*T, error) {
	return k.scan(q.QueryRowContext(ctx, k.selectSQL()+` WHERE ns = $1 AND title_key = $2`, ns, nameKey(title)))
}

// list returns every row of ns, oldest first.
func (k titledKind[T, V]) list(ctx context.Context, q store.Querier, ns string) ([]*T, error) {
	rows, err := q.QueryContext(ctx, k.selectSQL()+` WHERE ns = $1 ORDER BY id`, ns)
	return store.Collect(rows, err, k.scan)
}

// insert stores a row; id 0 takes the next id.
func (k titledKind[T, V]) insert(ctx context.Context, q store.Querier, ns string, id int64, title string, v V) (*T, error) {
	id, title, _, err := k.insertSQL(ctx, q, ns, id, title, v, false)
	return k.row(id, title, v), err
}

// getOrCreate returns the row of that title, making it when there is none;
// created tells which.
func (k titledKind[T, V]) getOrCreate(ctx context.Context, q store.Querier, ns, title string, v V) (*T, bool, error) {
	t, err := k.byTitle(ctx, q, ns, title)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return t, false, err
	}
	id, title, created, err := k.insertSQL(ctx, q, ns, 0, title, v, true)
	if err != nil || created {
		return k.row(id, title, v), created, err
	}
	t, err = k.byTitle(ctx, q, ns, title) // made meanwhile by another request
	return t, false, err
}

// insertSQL inserts a row. With ifNew a title already taken is no error (a
// concurrent request may make the same team first): nothing is inserted
// and created is false.
func (k titledKind[T, V]) insertSQL(ctx context.Context, q store.Querier, ns string, id int64, title string,
	value V, ifNew bool) (_ int64, _ string, created bool, _ error) {
	id, err := nextID(ctx, q, ns, k.counter, id)
	if err != nil {
		return 0, "", false, err
	}
	title = strings.TrimSpace(title)
	query := store.InsertSQL(k.table, "ns", "id", "title", "title_key", k.column)
	if ifNew {
		query += " ON CONFLICT (ns, title_key) DO NOTHING"
	}
	res, err := q.ExecContext(ctx, query, ns, id, title, nameKey(title), value)
	if err != nil {
		return 0, "", false, err
	}
	n, err := res.RowsAffected()
	return id, title, err == nil && n == 1, nil
}

// --- users ---

type user struct {
	id                         int64
	email, firstName, lastName string
	title, department, role    string
	rate, avatar               sql.NullString
	teamID                     int64
	team                       string
	invited                    bool
	profile
}

const userSelect = `SELECT u.id, u.email, u.first_name, u.last_name, u.title, u.department, u.role,
	u.rate, u.avatar, u.team_id, t.title, u.invited,
	u.phone, u.phone2, u.phone3, u.phone4, u.address, u.address2
	FROM worksection_users u JOIN worksection_teams t ON t.ns = u.ns AND t.id = u.team_id`

func scanUser(row interface{ Scan(...any) error }) (*user, error) {
	var u user
	args := append([]any{&u.id, &u.email, &u.firstName, &u.lastName, &u.title, &u.department, &u.role,
		&u.rate, &u.avatar, &u.teamID, &u.team, &u.invited}, u.profile.scanArgs()...)
	err := row.Scan(args...)
	return &u, err
}

func userByID(ctx context.Context, q store.Querier, ns string, id int64) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE u.ns = $1 AND u.id = $2`, ns, id))
}

func userByEmail(ctx context.Context, q store.Querier, ns, email string) (*user, error) {
	return scanUser(q.QueryRowContext(ctx, userSelect+` WHERE u.ns = $1 AND u.email_key = $2`, ns, nameKey(email)))
}

func listUsers(ctx context.Context, q store.Querier, ns string) ([]*user, error) {
	rows, err := q.QueryContext(ctx, userSelect+` WHERE u.ns = $1 ORDER BY u.id`, ns)
	return store.Collect(rows, err, scanUser)
}

var userInsert = store.InsertSQL("worksection_users", append([]string{"ns", "id", "email", "email_key",
	"first_name", "last_name", "title", "rate", "avatar", "team_id", "department", "role", "invited", "created_at"},
	profileColumns...)...)

func insertUser(ctx context.Context, q store.Querier, ns string, u *user, now time.Time) error {
	id, err := nextID(ctx, q, ns, ctrUser, u.id)
	if err != nil {
		return err
	}
	u.id = id
	args := append([]any{ns, u.id, u.email, nameKey(u.email), u.firstName, u.lastName, u.title, u.rate, u.avatar,
		u.teamID, u.department, u.role, u.invited, now.UnixMilli()}, u.profile.args()...)
	_, err = q.ExecContext(ctx, userInsert, args...)
	return err
}

func updateUserProfile(ctx context.Context, q store.Querier, ns string, u *user) error {
	args := append([]any{ns, u.id, u.firstName, u.lastName, u.title, u.rate, u.avatar, u.teamID, u.department},
		u.profile.args()...)
	_, err := q.ExecContext(ctx, `UPDATE worksection_users SET first_name = $3, last_name = $4, title = $5,
		rate = $6, avatar = $7, team_id = $8, department = $9,
		phone = $10, phone2 = $11, phone3 = $12, phone4 = $13, address = $14, address2 = $15
		WHERE ns = $1 AND id = $2`, args...)
	return err
}

// --- contact folders and contacts ---

type folder struct {
	id          int64
	title, kind string
}

// folders are the titled rows of worksection_contact_folders: one more
// column, type.
var folders = titledKind[folder, string]{table: "worksection_contact_folders", counter: ctrFolder, column: "type",
	row: func(id int64, title, kind string) *folder { return &folder{id: id, title: title, kind: kind} }}

type contact struct {
	id                         int64
	email, firstName, lastName string
	title, folder              string
	folderID                   int64
	profile
}

const contactSelect = `SELECT c.id, c.email, c.first_name, c.last_name, c.title, c.folder_id, f.title,
	c.phone, c.phone2, c.phone3, c.phone4, c.address, c.address2
	FROM worksection_contacts c JOIN worksection_contact_folders f ON f.ns = c.ns AND f.id = c.folder_id`

func scanContact(row interface{ Scan(...any) error }) (*contact, error) {
	var c contact
	args := append([]any{&c.id, &c.email, &c.firstName, &c.lastName, &c.title, &c.folderID, &c.folder},
		c.profile.scanArgs()...)
	err := row.Scan(args...)
	return &c, err
}

func listContacts(ctx context.Context, q store.Querier, ns string) ([]*contact, error) {
	rows, err := q.QueryContext(ctx, contactSelect+` WHERE c.ns = $1 ORDER BY c.id`, ns)
	return store.Collect(rows, err, scanContact)
}

var contactInsert = store.InsertSQL("worksection_contacts", append([]string{"ns", "id", "folder_id", "email",
	"first_name", "last_name", "title", "created_at"}, profileColumns...)...)

func insertContact(ctx context.Context, q store.Querier, ns string, c *contact, now time.Time) error {
	id, err := nextID(ctx, q, ns, ctrContact, c.id)
	if err != nil {
		return err
	}
	c.id = id
	args := append([]any{ns, c.id, c.folderID, c.email, c.firstName, c.lastName, c.title, now.UnixMilli()},
		c.profile.args()...)
	_, err = q.ExecContext(ctx, contactInsert, args...)
	return err
}

// --- projects, tasks and subscribers ---

type project struct {
	id         int64
	name       string
	status     string
	userFromID int64
}

func projectByID(ctx context.Context, q store.Querier, ns string, id int64) (*project, error) {
	var p project
	err := q.QueryRowContext(ctx, `SELECT id, name, status, user_from_id FROM worksection_projects
		WHERE ns = $1 AND id = $2`, ns, id).Scan(&p.id, &p.name, &p.status, &p.userFromID)
	return &p, err
}

func insertProject(ctx context.Context, q store.Querier, ns string, p *project) error {
	id, err := nextID(ctx, q, ns, ctrProject, p.id)
	if err != nil {
		return err
	}
	p.id = id
	_, err = q.ExecContext(ctx, `INSERT INTO worksection_projects (ns, id, name, status, user_from_id)
		VALUES ($1, $2, $3, $4, $5)`, ns, p.id, p.name, p.status, p.userFromID)
	return err
}

// person is a user as tasks show them.
type person struct {
	id                         int64
	email, firstName, lastName string
}

type task struct {
	id, projectID               int64
	project                     string
	name, text, status          string
	priority                    int
	from                        person
	to                          *person // nil: no executive
	dateAdded                   time.Time
	dateStart, dateEnd, timeEnd sql.NullString
	maxTime, maxMoney           sql.NullString
	tags                        string
	subscribers                 []person
}

const taskSelect = `SELECT t.id, t.project_id, p.name, t.name, t.text, t.status, t.priority,
	uf.id, uf.email, uf.first_name, uf.last_name, ut.id, ut.email, ut.first_name, ut.last_name,
	t.date_added, t.date_start, t.date_end, t.time_end, t.max_time, t.max_money, t.tags
	FROM worksection_tasks t
	JOIN worksection_projects p ON p.ns = t.ns AND p.id = t.project_id
	JOIN worksection_users uf ON uf.ns = t.ns AND uf.id = t.user_from_id
	LEFT JOIN worksection_users ut ON ut.ns = t.ns AND ut.id = t.user_to_id`

func scanTask(row interface{ Scan(...any) error }) (*task, error) {
	var (
		t                        task
		toID                     sql.NullInt64
		toEmail, toFirst, toLast sql.NullString
		added                    int64
	)
	err := row.Scan(&t.id, &t.projectID, &t.project, &t.name, &t.text, &t.status, &t.priority,
		&t.from.id, &t.from.email, &t.from.firstName, &t.from.lastName, &toID, &toEmail, &toFirst, &toLast,
		&added, &t.dateStart, &t.dateEnd, &t.timeEnd, &t.maxTime, &t.maxMoney, &t.tags)
	if toID.Valid {
		t.to = &person{id: toID.Int64, email: toEmail.String, firstName: toFirst.String, lastName: toLast.String}
	}
	t.dateAdded = time.UnixMilli(added).UTC()
	return &t, err
}

func taskByID(ctx context.Context, q store.Querier, ns string, id int64) (*task, error) {
	return scanTask(q.QueryRowContext(ctx, taskSelect+` WHERE t.ns = $1 AND t.id = $2`, ns, id))
}

// tasksOfProject lists a project's tasks; activeOnly leaves out done ones.
func tasksOfProject(ctx context.Context, q store.Querier, ns string, projectID int64, activeOnly bool) ([]*task, error) {
	where := ` WHERE t.ns = $1 AND t.project_id = $2`
	if activeOnly {
		where += ` AND t.status = 'active'`
	}
	rows, err := q.QueryContext(ctx, taskSelect+where+` ORDER BY t.id`, ns, projectID)
	return store.Collect(rows, err, scanTask)
}

// loadSubscribers fills in the subscribers of tasks, which all belong to
// one project, in one query.
func loadSubscribers(ctx context.Context, q store.Querier, ns string, tasks []*task) error {
	if len(tasks) == 0 {
		return nil
	}
	byID := make(map[int64]*task, len(tasks))
	for _, t := range tasks {
		byID[t.id] = t
		t.subscribers = []person{}
	}
	var (
		rows *sql.Rows
		err  error
	)
	const sel = `SELECT s.task_id, u.id, u.email, u.first_name, u.last_name
		FROM worksection_task_subscribers s JOIN worksection_users u ON u.ns = s.ns AND u.id = s.user_id
		WHERE s.ns = $1 AND `
	if len(tasks) == 1 {
		rows, err = q.QueryContext(ctx, sel+`s.task_id = $2 ORDER BY u.id`, ns, tasks[0].id)
	} else {
		rows, err = q.QueryContext(ctx, sel+`s.task_id IN (SELECT id FROM worksection_tasks
			WHERE ns = $1 AND project_id = $2) ORDER BY s.task_id, u.id`, ns, tasks[0].projectID)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			taskID int64
			p      person
		)
		if err := rows.Scan(&taskID, &p.id, &p.email, &p.firstName, &p.lastName); err != nil {
			return err
		}
		if t, ok := byID[taskID]; ok {
			t.subscribers = append(t.subscribers, p)
		}
	}
	return rows.Err()
}

func insertTask(ctx context.Context, q store.Querier, ns string, t *task) error {
	id, err := nextID(ctx, q, ns, ctrTask, t.id)
	if err != nil {
		return err
	}
	t.id = id
	var to any
	if t.to != nil {
		to = t.to.id
	}
	_, err = q.ExecContext(ctx, `INSERT INTO worksection_tasks (ns, id, project_id, name, text, status, priority,
		user_from_id, user_to_id, date_added, date_start, date_end, time_end, max_time, max_money, tags)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		ns, t.id, t.projectID, t.name, t.text, t.status, t.priority, t.from.id, to, t.dateAdded.UnixMilli(),
		t.dateStart, t.dateEnd, t.timeEnd, t.maxTime, t.maxMoney, t.tags)
	return err
}

func taskExists(ctx context.Context, q store.Querier, ns string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM worksection_tasks WHERE ns = $1 AND id = $2`, ns, id).Scan(&n)
	return n > 0, err
}

func subscribeUser(ctx context.Context, q store.Querier, ns string, taskID, userID int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO worksection_task_subscribers (ns, task_id, user_id)
		VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, ns, taskID, userID)
	return err
}

func unsubscribeUser(ctx context.Context, q store.Querier, ns string, taskID, userID int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM worksection_task_subscribers
		WHERE ns = $1 AND task_id = $2 AND user_id = $3`, ns, taskID, userID)
	return err
}

// --- OAuth2 ---

func clientValid(ctx context.Context, q store.Querier, ns, clientID, secret string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM worksection_oauth_clients
		WHERE ns = $1 AND client_id = $2 AND secret_hash = $3`, ns, clientID, digest(secret)).Scan(&n)
	return n > 0, err
}

func insertClient(ctx context.Context, q store.Querier, ns, clientID, secret string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO worksection_oauth_clients (ns, client_id, secret_hash)
		VALUES ($1, $2, $3)`, ns, clientID, digest(secret))
	return err
}

type authCode struct {
	userID      int64
	redirectURI string
	expiresAt   sql.NullInt64
}

func insertCode(ctx context.Context, q store.Querier, ns, code, clientID string, c *authCode) error {
	_, err := q.ExecContext(ctx, `INSERT INTO worksection_oauth_codes
		(ns, code_hash, client_id, user_id, redirect_uri, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		ns, digest(code), clientID, c.userID, c.redirectURI, c.expiresAt)
	return err
}

// takeCode loads a code of the client and deletes it: codes are single-use.
func takeCode(ctx context.Context, q store.Querier, ns, code, clientID string) (*authCode, error) {
	var c authCode
	h := digest(code)
	err := q.QueryRowContext(ctx, `SELECT user_id, redirect_uri, expires_at FROM worksection_oauth_codes
		WHERE ns = $1 AND code_hash = $2 AND client_id = $3`, ns, h, clientID).Scan(&c.userID, &c.redirectURI, &c.expiresAt)
	if err != nil {
		return nil, err
	}
	_, err = q.ExecContext(ctx, `DELETE FROM worksection_oauth_codes WHERE ns = $1 AND code_hash = $2`, ns, h)
	return &c, err
}

const (
	kindAccess  = "access"
	kindRefresh = "refresh"
)

type token struct {
	pairID, clientID string
	userID           int64
	expiresAt        time.Time
}

func tokenByValue(ctx context.Context, q store.Querier, ns, kind, value string) (*token, error) {
	var (
		t   token
		exp int64
	)
	err := q.QueryRowContext(ctx, `SELECT pair_id, client_id, user_id, expires_at FROM worksection_tokens
		WHERE ns = $1 AND token_hash = $2 AND kind = $3`, ns, digest(value), kind).
		Scan(&t.pairID, &t.clientID, &t.userID, &exp)
	t.expiresAt = time.UnixMilli(exp)
	return &t, err
}

func insertToken(ctx context.Context, q store.Querier, ns, kind, value string, t *token) error {
	_, err := q.ExecContext(ctx, `INSERT INTO worksection_tokens
		(ns, token_hash, kind, pair_id, client_id, user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		ns, digest(value), kind, t.pairID, t.clientID, t.userID, t.expiresAt.UnixMilli())
	return err
}

// revokePair deletes an access token and the refresh token issued with it,
// and tells how many tokens it deleted (0 when another request did first).
func revokePair(ctx context.Context, q store.Querier, ns, pairID string) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM worksection_tokens WHERE ns = $1 AND pair_id = $2`, ns, pairID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// parseID reads a positive integer id parameter.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}
