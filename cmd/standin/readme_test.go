package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// walkthrough returns the shell commands of the README's walk-through: the
// sh blocks between its markers.
func walkthrough(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "<!-- walkthrough:start -->")
	end := strings.Index(s, "<!-- walkthrough:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no walk-through markers")
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(s[start:end], -1) {
		out = append(out, m[1])
	}
	if len(out) < 4 {
		t.Fatalf("walk-through has %d blocks", len(out))
	}
	return strings.Join(out, "\n")
}

// TestReadmeWalkthrough runs the README's walk-through, as pasted, against
// a fresh standin (the binary on PATH as `standin`, on free ports and an
// in-memory database) and checks that every vendor answered.
func TestReadmeWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq", "md5sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := "the README walk-through needs " + tool + " (apt-get install " + tool + ")"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	script := walkthrough(t)
	bin := binary(t)
	dir := t.TempDir()
	for range 5 {
		port := 20000 + rand.IntN(30000)
		// Every process the script starts goes when the script ends.
		cmd := exec.Command("bash", "-c", "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"+script)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Env = append(os.Environ(),
			"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
			fmt.Sprintf("STANDIN_PORTS=%d", port),
			fmt.Sprintf("STANDIN_URL=http://127.0.0.1:%d", port),
			"STANDIN_DB=memory", "STANDIN_SECRET=", "STANDIN_HOST=", "STANDIN_CONTROL_TOKEN=")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if strings.Contains(out.String(), "address already in use") {
			continue
		}
		if err != nil {
			t.Fatalf("walk-through failed: %v\n%s", err, out.String())
		}
		for _, want := range []string{
			`"groups"`,           // Klipfolio
			`"principal"`,        // Clinked userinfo
			`"status": "ok"`,     // Worksection
			`"totalResults"`,     // WorkDrive users
			"hello from standin", // WorkDrive upload, downloaded
			"(offset 2h0m0s)",    // the clock
			"deleted ns-",        // cleanup
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("walk-through output lacks %q:\n%s", want, out.String())
			}
		}
		return
	}
	t.Fatal("no free ports")
}
