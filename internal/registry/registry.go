// Package registry lists the vendors that standin serves. A vendor appears
// here once it is built; the CLI and standintest serve exactly this list.
package registry

import (
	"log/slog"

	"github.com/standin-dev/standin/internal/clinked"
	"github.com/standin-dev/standin/internal/klipfolio"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/vendor"
	"github.com/standin-dev/standin/internal/workdrive"
	"github.com/standin-dev/standin/internal/worksection"
)

// Ports gives each vendor's offset from the base port; 0 is the console.
var Ports = map[string]int{"clinked": 1, "klipfolio": 2, "worksection": 3, "workdrive": 4}

// All builds every vendor on db.
func All(db *store.DB, log *slog.Logger) []vendor.Vendor {
	return []vendor.Vendor{
		clinked.New(db, log),
		klipfolio.New(db, log),
		worksection.New(db, log),
		workdrive.New(db, log),
	}
}
