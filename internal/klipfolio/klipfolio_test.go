package klipfolio_test

import (
	"log/slog"
	"testing"

	"github.com/standin-dev/standin/internal/klipfolio"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/internal/vendor"
)

func start(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Start(t, func(db *store.DB, log *slog.Logger) []vendor.Vendor {
		return []vendor.Vendor{klipfolio.New(db, log)}
	})
}
