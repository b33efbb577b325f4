package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/testenv"
)

func TestExportImport(t *testing.T) {
	env := testenv.Start(t, registry.All)
	src := env.NewNamespace(t, "demo")
	dst := env.NewNamespace(t, "empty")
	getenv := func(k string) string {
		if k == "STANDIN_URL" {
			return env.Control
		}
		return ""
	}
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"export", "--ns", src.ID}, &out, &errs, getenv, nil); err != nil {
		t.Fatalf("export: %v %s", err, errs.String())
	}
	if !strings.Contains(out.String(), "klipfolio:") {
		t.Fatalf("export:\n%s", out.String())
	}
	file := filepath.Join(t.TempDir(), "state.yaml")
	if err := os.WriteFile(file, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "--ns", dst.ID, "--url", env.Control, file}, &bytes.Buffer{}, &errs, getenv, nil); err != nil {
		t.Fatalf("import: %v", err)
	}
	var again bytes.Buffer
	if err := run(ctx, []string{"export", "--ns", dst.ID}, &again, &errs, getenv, nil); err != nil {
		t.Fatal(err)
	}
	if again.String() != out.String() {
		t.Errorf("round trip differs:\n%s\n---\n%s", out.String(), again.String())
	}
	// Importing again clashes: a 409 that names the entity.
	err := run(ctx, []string{"import", "--ns", dst.ID, file}, &bytes.Buffer{}, &errs, getenv, nil)
	if err == nil || !strings.Contains(err.Error(), "409") || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second import: %v", err)
	}
	for _, args := range [][]string{{"export"}, {"import", "--ns", dst.ID}, {"export", "--ns", "nope"}, {"import", "--ns", dst.ID, "/no/such/file"}} {
		if err := run(ctx, args, &bytes.Buffer{}, &bytes.Buffer{}, getenv, nil); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
