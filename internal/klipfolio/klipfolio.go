// Package klipfolio emulates the Klipfolio API 1.0 groups endpoints and the
// group-membership endpoints that real Klipfolio clients call with them.
package klipfolio

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/klipfolio/migrations"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// Service is the Klipfolio vendor.
type Service struct {
	db      *store.DB
	log     *slog.Logger
	handler http.Handler
}

// New returns the Klipfolio vendor on db.
func New(db *store.DB, log *slog.Logger) *Service {
	s := &Service{db: db, log: log}
	mux := httpx.NewRouter(s.WriteError)
	s.routes(mux)
	s.handler = mux
	return s
}

// Name implements vendor.Vendor.
func (s *Service) Name() string { return "klipfolio" }

// Migrations implements vendor.Vendor.
func (s *Service) Migrations() fs.FS { return migrations.FS }

// Handler implements vendor.Vendor.
func (s *Service) Handler() http.Handler { return s.handler }

// Clear implements vendor.Vendor.
func (s *Service) Clear(ctx context.Context, tx *sql.Tx, ns *namespace.Namespace) error {
	return store.DeleteNamespace(ctx, tx, ns.ID,
		"klipfolio_group_members", "klipfolio_groups", "klipfolio_users", "klipfolio_accounts")
}

// Credentials implements vendor.Vendor: the admin user's API key and the
// email and password for HTTP Basic.
func (s *Service) Credentials(_ context.Context, ns *namespace.Namespace, baseURL string) (map[string]any, error) {
	c := adminCredentials(ns)
	return map[string]any{
		"base_url": baseURL,
		"api_key":  c.apiKey,
		"email":    c.email,
		"password": c.password,
	}, nil
}
