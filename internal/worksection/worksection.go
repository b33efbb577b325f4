// Package worksection emulates the Worksection admin API's members section
// (users, teams, contacts, contact folders, task subscriptions and me), the
// get_task/get_tasks reads that show subscriptions, and the OAuth2 token
// endpoints, with the three admin signing schemes that real clients use.
package worksection

import (
	"context"
	"log/slog"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
	"github.com/standin-dev/standin/internal/worksection/migrations"
)

// Service is the Worksection vendor.
type Service struct {
	vendor.Base
	db   *store.DB
	log  *slog.Logger
	acts map[string]actionFunc
}

// New returns the Worksection vendor on db.
func New(db *store.DB, log *slog.Logger) *Service {
	s := &Service{db: db, log: log}
	s.acts = s.actions()
	mux := httpx.NewRouter(s.WriteError)
	s.routes(mux)
	s.Base = vendor.Base{VendorName: "worksection", FS: migrations.FS, Routes: mux, Tables: tables}
	return s
}

// tables lists every table, children first.
var tables = []string{
	"worksection_tokens", "worksection_oauth_codes", "worksection_oauth_clients",
	"worksection_task_subscribers", "worksection_tasks", "worksection_projects",
	"worksection_contacts", "worksection_contact_folders",
	"worksection_users", "worksection_teams", "worksection_accounts",
}

// Credentials implements vendor.Vendor: the account's admin API key, a
// ready-to-use OAuth2 access token of the account owner with a long expiry,
// and the OAuth2 client that /oauth2/token and /oauth2/refresh accept.
func (s *Service) Credentials(_ context.Context, ns *namespace.Namespace, baseURL string) (map[string]any, error) {
	c := accountCredentials(ns)
	return map[string]any{
		"base_url":      baseURL,
		"api_key":       c.apiKey,
		"access_token":  c.accessToken,
		"client_id":     c.clientID,
		"client_secret": c.clientSecret,
	}, nil
}
