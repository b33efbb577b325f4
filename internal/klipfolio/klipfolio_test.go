package klipfolio_test

import (
	"testing"

	"github.com/standin-dev/standin/internal/klipfolio"
	"github.com/standin-dev/standin/internal/testenv"
)

func start(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.Start(t, testenv.Only(klipfolio.New))
}

// startIn starts standin with one namespace of seed and returns the
// namespace's Klipfolio URL with path appended.
func startIn(t *testing.T, seed, path string) (*testenv.Env, *testenv.Namespace, string) {
	t.Helper()
	env := start(t)
	ns := env.NewNamespace(t, seed)
	return env, ns, ns.BaseURL("klipfolio") + path
}
