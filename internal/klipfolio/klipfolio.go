// Package klipfolio emulates the Klipfolio API 1.0 groups endpoints and the
// group-membership endpoints that real Klipfolio clients call with them.
package klipfolio

import (
	"context"
	"log/slog"

	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/klipfolio/migrations"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
)

// Service is the Klipfolio vendor.
type Service struct {
	vendor.Base
	db  *store.DB
	log *slog.Logger
}

// New returns the Klipfolio vendor on db.
func New(db *store.DB, log *slog.Logger) *Service {
	s := &Service{db: db, log: log}
	mux := httpx.NewRouter(s.WriteError)
	s.routes(mux)
	s.Base = vendor.Base{VendorName: "klipfolio", FS: migrations.FS, Routes: mux, Tables: tables}
	return s
}

// tables lists every table, children first.
var tables = []string{"klipfolio_group_members", "klipfolio_groups", "klipfolio_users", "klipfolio_accounts"}

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
