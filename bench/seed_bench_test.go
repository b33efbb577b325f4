package bench

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/standin-dev/standin/internal/namespace"
)

// BenchmarkSeedPerVendor measures each vendor's share of namespace creation:
// its Seed alone, in a transaction, without HTTP.
func BenchmarkSeedPerVendor(b *testing.B) {
	env := start(b)
	n := 0
	for _, seed := range []string{"docs", "demo"} {
		for _, v := range env.App.Vendors() {
			b.Run(seed+"/"+v.Name(), func(b *testing.B) {
				for b.Loop() {
					n++
					ns := &namespace.Namespace{ID: fmt.Sprintf("bench-%d", n), Seed: seed, Secret: "s", Clock: env.Clock}
					err := env.DB.Tx(context.Background(), func(tx *sql.Tx) error { return v.Seed(context.Background(), tx, ns, seed) })
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
