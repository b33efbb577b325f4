package standintest_test

import (
	"os"
	"testing"

	"github.com/standin-dev/standin/internal/testenv"
	"github.com/standin-dev/standin/standintest"
)

// The example seed document in the README must load, into an empty
// namespace and on top of the demo and docs seeds.
func TestExampleSeedLoads(t *testing.T) {
	doc, err := os.ReadFile("../examples/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := standintest.New(t, standintest.Options{DB: testenv.DSN(t)})
	for _, seed := range []string{"empty", "demo", "docs"} {
		t.Run(seed, func(t *testing.T) {
			ns := srv.NewNamespace(t, seed)
			srv.Seed(t, ns, doc)
			srv.Reset(t, ns) // reset replays the document
		})
	}
}
