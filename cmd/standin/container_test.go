package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// staticBinary builds standin as the Dockerfile does: CGO_ENABLED=0, with
// the version stamped by ldflags as the release script does.
func staticBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "standin")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.Version=v9.9.9 -X main.Revision=abcdef0123456789 -X main.BuildTime=2026-01-02T03:04:05Z", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The container's binary is static, stamped, and the entrypoint refuses to
// start without STANDIN_SECRET, then serves on 0.0.0.0 with one.
func TestContainerEntrypoint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := staticBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has a dynamic loader: not static")
		}
	}
	f.Close()
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "v9.9.9 (revision abcdef012345, 2026-01-02T03:04:05Z)") {
		t.Errorf("version: %q %v", out, err)
	}

	entry, _ := filepath.Abs("../../scripts/docker-entrypoint.sh")
	base := append(os.Environ(), "STANDIN_BIN="+bin, "STANDIN_DB=memory", "STANDIN_SECRET=", "STANDIN_HOST=")

	// Without a secret: a clear refusal, exit status 64.
	cmd := exec.Command("sh", entry, "serve")
	cmd.Env = base
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 64 || !strings.Contains(stderr.String(), "STANDIN_SECRET is not set") {
		t.Fatalf("without a secret: %v\n%s", err, stderr.String())
	}

	// With one: it listens on every interface and becomes healthy.
	for range 10 {
		port := 20000 + rand.IntN(30000)
		cmd = exec.Command("sh", entry)
		cmd.Env = append(base, "STANDIN_SECRET=s3cret-for-test", fmt.Sprintf("STANDIN_PORTS=%d", port))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		healthy := false
		for i := 0; i < 400 && !healthy; i++ {
			select {
			case <-exited:
				i = 400
			default:
				if res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/_standin/health", port)); err == nil {
					res.Body.Close()
					healthy = res.StatusCode == 200
				}
				time.Sleep(25 * time.Millisecond)
			}
		}
		defer func() { _ = cmd.Process.Kill(); <-exited }()
		if strings.Contains(out.String(), "address already in use") {
			_ = cmd.Process.Kill()
			continue
		}
		if !healthy {
			t.Fatalf("not healthy:\n%s", out.String())
		}
		// It listens on every interface but tells clients 127.0.0.1,
		// where a port mapping reaches it.
		if !strings.Contains(out.String(), fmt.Sprintf("http://127.0.0.1:%d", port+2)) {
			t.Errorf("banner URLs:\n%s", out.String())
		}
		if ip := nonLoopbackIP(); ip != "" {
			res, err := http.Get(fmt.Sprintf("http://%s/_standin/health", net.JoinHostPort(ip, fmt.Sprint(port))))
			if err != nil {
				t.Errorf("not reachable on %s: %v", ip, err)
			} else {
				res.Body.Close()
			}
		}
		return
	}
	t.Fatal("no free ports")
}

// nonLoopbackIP returns one of this machine's non-loopback IPv4 addresses,
// or "".
func nonLoopbackIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}
