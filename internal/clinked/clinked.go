// Package clinked emulates the Clinked API v3: OAuth2 tokens, userinfo,
// applications, accounts, members and tags, invites, guests, groups and
// their members and invites.
package clinked

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"

	"github.com/standin-dev/standin/internal/clinked/migrations"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// vendorName is the vendor's key (settings, outbox, credentials).
const vendorName = "clinked"

// Service is the Clinked vendor.
type Service struct {
	vendor.Base
	db      *store.DB
	log     *slog.Logger
	control http.Handler
	rate    rateLeases // see ratelimit.go
}

// New returns the Clinked vendor on db.
func New(db *store.DB, log *slog.Logger) *Service {
	s := &Service{db: db, log: log}
	mux := httpx.NewRouter(s.WriteError)
	s.routes(mux)
	s.Base = vendor.Base{VendorName: vendorName, FS: migrations.FS, Routes: s.rateLimited(mux)}
	ctl := httpx.NewRouter(s.WriteError)
	s.controlRoutes(ctl)
	s.control = ctl
	return s
}

// Control implements vendor.Controller: actions that happen in Clinked's UI
// rather than its API (accepting or declining invites).
func (s *Service) Control() http.Handler { return s.control }

// tables lists every Clinked table, children first.
var tables = []string{
	"clinked_files", "clinked_temp_files", "clinked_mail_recipients", "clinked_group_labels", "clinked_labels",
	"clinked_announcements", "clinked_properties", "clinked_account_settings", "clinked_trash",
	"clinked_task_assignees", "clinked_tasks", "clinked_events", "clinked_rate_counts", "clinked_guest_shares",
	"clinked_guests", "clinked_invites",
	"clinked_group_members", "clinked_groups", "clinked_tokens", "clinked_applications",
	"clinked_member_tags", "clinked_members", "clinked_accounts", "clinked_users",
}

// Clear implements vendor.Vendor.
func (s *Service) Clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	if err := clearFileBlobs(ctx, tx, ns.ID); err != nil {
		return err
	}
	return store.DeleteNamespace(ctx, tx, ns.ID, tables...)
}

// Credentials implements vendor.Vendor: the admin's username and password
// (password grant with client_id clinked-mobile), an application's client
// id and secret (client_credentials), and a ready access token.
func (s *Service) Credentials(ctx context.Context, ns *namespace.Namespace, baseURL string) (map[string]any, error) {
	c := adminCredentials(ns)
	// An imported document may rename the administrator (export.go).
	if err := s.db.QueryRowContext(ctx, `SELECT username FROM clinked_users WHERE ns = $1 AND id = 1`, ns.ID).Scan(&c.username); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return map[string]any{
		"base_url":      baseURL,
		"username":      c.username,
		"password":      c.password,
		"client_id":     c.clientID,
		"client_secret": c.clientSecret,
		"access_token":  c.accessToken,
	}, nil
}
