package namespace_test

import (
	"context"
	"errors"
	"testing"
	"time"

	lcmigrations "github.com/standin-dev/standin/internal/lifecycle/migrations"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store/migrations"
	"github.com/standin-dev/standin/internal/testenv"
)

// fresh derives a credential from a namespace read straight from the
// database, bypassing any cache.
func fresh(t *testing.T, n *namespace.Namespace, name string) string {
	t.Helper()
	plain := &namespace.Namespace{ID: n.ID, Secret: n.Secret}
	return plain.Credential(name, 40)
}

func TestCacheFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	db := testenv.DB(t)
	if err := db.Migrate(ctx, "platform", migrations.FS); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, "lifecycle", lcmigrations.FS); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if err := namespace.Insert(ctx, db, &namespace.Namespace{ID: id, Seed: "empty", Secret: "secret-" + id, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	cache, other := namespace.NewCache(), namespace.NewCache() // two processes
	get := func(c *namespace.Cache, id string) *namespace.Namespace {
		t.Helper()
		n, err := c.Get(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, b := get(cache, "a"), get(cache, "b")
	if a.Credential("klipfolio.api_key", 40) == b.Credential("klipfolio.api_key", 40) {
		t.Fatal("two namespaces share a credential")
	}
	before := get(other, "a").Credential("klipfolio.api_key", 40)
	if got := get(cache, "a").Credential("klipfolio.api_key", 40); got != before {
		t.Fatalf("cached credential %q, want %q", got, before)
	}

	// A new secret, saved through the first cache's process, reaches both.
	n := get(cache, "a")
	n.Secret = "rotated"
	if err := namespace.Update(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*namespace.Cache{"same process": cache, "other process": other} {
		got := get(c, "a")
		if cred := got.Credential("klipfolio.api_key", 40); cred == before || cred != fresh(t, got, "klipfolio.api_key") {
			t.Errorf("%s: credential after rotation %q (before %q)", name, cred, before)
		}
	}

	// A copy changed by its caller does not change the cache or its memo.
	c := get(cache, "a")
	c.Secret = "edited"
	c.Settings = nil
	if c.Credential("klipfolio.api_key", 40) == get(cache, "a").Credential("klipfolio.api_key", 40) {
		t.Error("an edited copy derives the cached secret's credential")
	}
	if get(cache, "a").Secret != "rotated" {
		t.Error("editing a copy changed the cache")
	}

	// Settings and clock changes are seen at once.
	n = get(cache, "a")
	n.ClockOffset = time.Hour
	if err := namespace.Update(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	if got := get(other, "a").ClockOffset; got != time.Hour {
		t.Errorf("other process's clock offset %v, want 1h", got)
	}

	// A deleted namespace is gone from both at once.
	if err := namespace.Delete(ctx, db, "a"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*namespace.Cache{cache, other} {
		if _, err := c.Get(ctx, db, "a"); !errors.Is(err, namespace.ErrNotFound) {
			t.Errorf("deleted namespace: %v, want ErrNotFound", err)
		}
	}
}
