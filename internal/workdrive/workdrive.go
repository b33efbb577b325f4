// Package workdrive emulates "WorkDrive API Access", an intranet product's
// REST API (not Zoho WorkDrive): users, organization, access tokens,
// content, collaboration, departments, locations, security groups, SSO and
// media upload. Requests authenticate with an X-API-KEY that belongs to one
// user of one organization; every lookup is confined to that organization.
package workdrive

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"

	"github.com/standin-dev/standin/internal/blob"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
	"github.com/standin-dev/standin/internal/workdrive/migrations"
)

// Service is the WorkDrive vendor.
type Service struct {
	vendor.Base
	db  *store.DB
	log *slog.Logger
}

// New returns the WorkDrive vendor on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: db, log: log}
	mux := httpx.NewRouter(s.WriteError)
	s.routes(mux)
	s.Base = vendor.Base{VendorName: "workdrive", FS: migrations.FS, Routes: trimBrace(mux), Tables: tables}
	return s
}

// tables lists every WorkDrive table, children before parents; Clear
// deletes the namespace's rows from each.
var tables = []string{
	// Content tables
	"workdrive_notifications", "workdrive_courses", "workdrive_enforcement_templates", "workdrive_categories",
	"workdrive_faq_qas", "workdrive_faq_kbs", "workdrive_content_owners", "workdrive_documents",
	"workdrive_photos", "workdrive_videos", "workdrive_event_rsvps", "workdrive_events",
	"workdrive_content_audience", "workdrive_posts",

	// Tasks, chats and media tables (blobs: blob.Clear in Clear)
	"workdrive_messages", "workdrive_conversation_members", "workdrive_conversations",
	"workdrive_task_assignees", "workdrive_tasks",

	// People and organization
	"workdrive_sso",
	"workdrive_security_group_members", "workdrive_security_groups",
	"workdrive_location_admins", "workdrive_location_members", "workdrive_locations",
	"workdrive_department_heads", "workdrive_departments",
	"workdrive_user_teams", "workdrive_api_keys", "workdrive_users",
	"workdrive_files", "workdrive_organizations",
}

// Clear implements vendor.Vendor: the uploaded media, then vendor.Base's tables.
func (s *Service) Clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	if err := blob.Clear(ctx, tx, ns.ID); err != nil {
		return err
	}
	return s.Base.Clear(ctx, tx, ns)
}

// ownedColumns names the columns that hold the user who owns a row of
// content. Off-boarding (DELETE /api/users/{id}) moves the deleted user's
// rows to the assignee by updating these columns; each module adds its own.
var ownedColumns = []struct{ Table, Column string }{
	// Content owners
	{"workdrive_posts", "user_id"}, {"workdrive_events", "created_by"}, {"workdrive_videos", "created_by"},
	{"workdrive_photos", "created_by"}, {"workdrive_documents", "created_by"}, {"workdrive_faq_kbs", "created_by"},
	{"workdrive_courses", "created_by"},

	// Task, chat and media owners
	{"workdrive_tasks", "created_by"},
	{"workdrive_conversations", "created_by"},

	{"workdrive_files", "owner_id"},
}

// memberColumns names the columns of rows that only link a user to
// something (memberships, assignments); deleting the user deletes them.
var memberColumns = []struct{ Table, Column string }{
	// Content memberships
	{"workdrive_content_owners", "user_id"}, {"workdrive_event_rsvps", "user_id"},
	{"workdrive_content_audience", "ref_id"}, // user grants; group and location ids never equal a user id

	// Task assignees, chat members
	{"workdrive_task_assignees", "user_id"},
	{"workdrive_conversation_members", "user_id"},
}

// Credentials implements vendor.Vendor: the OrgAdmin's API key and the
// SuperAdmin's, which alone may create organizations.
func (s *Service) Credentials(_ context.Context, ns *namespace.Namespace, baseURL string) (map[string]any, error) {
	c := seedCredentials(ns)
	return map[string]any{
		"base_url":           baseURL,
		"api_key":            c.adminKey,
		"superadmin_api_key": c.superKey,
		"org_id":             c.orgID,
		"user_id":            c.adminID,
	}, nil
}

// trimBrace drops a stray "}" that ends the path, as in the doc's
// "/api/security_groups/{groupId}/members}".
func trimBrace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && p[len(p)-1] == '}' {
			r.URL.Path = p[:len(p)-1]
			r.URL.RawPath = ""
		}
		next.ServeHTTP(w, r)
	})
}
