package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/testenv"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*config) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c *config) bool {
			return c.host == "127.0.0.1" && c.ports == 8700 && strings.HasPrefix(c.db, "sqlite:") && c.defaultSeed == "demo"
		}, ""},
		{"env", nil, map[string]string{"STANDIN_PORTS": "9000", "STANDIN_DB": "memory", "STANDIN_LOG_FORMAT": "json"},
			func(c *config) bool { return c.ports == 9000 && c.db == "memory" && c.logFormat == "json" }, ""},
		{"flag beats env", []string{"--ports", "9100"}, map[string]string{"STANDIN_PORTS": "9000"},
			func(c *config) bool { return c.ports == 9100 }, ""},
		{"bad ports", []string{"--ports", "http"}, nil, nil, "--ports"},
		{"bad level", []string{"--log-level", "loud"}, nil, nil, "--log-level"},
		{"bad format", []string{"--log-format", "xml"}, nil, nil, "--log-format"},
		{"bad seed name", []string{"--default-seed", "all"}, nil, nil, "--default-seed"},
		{"unknown flag", []string{"--colour"}, nil, nil, "flag provided but not defined"},
		{"public host, default credentials", []string{"--host", "0.0.0.0"}, nil, nil, "well-known default credentials"},
		{"public host, well-known secret", []string{"--host", "0.0.0.0", "--secret", "standin-well-known-default-secret"}, nil, nil, "well-known"},
		{"public host with a secret", []string{"--host", "0.0.0.0"}, map[string]string{"STANDIN_SECRET": "s3cret"},
			func(c *config) bool { return c.secret == "s3cret" }, ""},
		{"localhost needs no secret", []string{"--host", "localhost"}, nil, func(c *config) bool { return c.host == "localhost" }, ""},
		{"::1 needs no secret", []string{"--host", "::1"}, nil, func(c *config) bool { return true }, ""},
		{"loopback: no control token", nil, nil, func(c *config) bool { return c.controlToken == "" }, ""},
		{"public host: token derived from the secret", []string{"--host", "0.0.0.0", "--secret", "s3cret"}, nil,
			func(c *config) bool {
				return c.controlToken == deriveControlToken("s3cret") && c.tokenDerived && len(c.controlToken) > 30
			}, ""},
		{"token from env", []string{"--host", "0.0.0.0", "--secret", "s3cret"}, map[string]string{"STANDIN_CONTROL_TOKEN": "mine"},
			func(c *config) bool { return c.controlToken == "mine" && !c.tokenDerived }, ""},
		{"allowed hosts and public URL", []string{"--allowed-hosts", " Standin.LAN, .dev.test ", "--public-url", "https://Public.Example"}, nil,
			func(c *config) bool {
				return strings.Join(c.allowedHosts, ",") == "standin.lan,.dev.test,public.example" && c.publicURL.Host == "Public.Example"
			}, ""},
		{"bad public URL", []string{"--public-url", "ftp://x"}, nil, nil, "--public-url"},
		{"public URL with a path", []string{"--public-url", "http://x/standin"}, nil, nil, "--public-url"},
		{"timeouts", []string{"--read-timeout", "5m", "--idle-timeout", "1s"}, nil,
			func(c *config) bool {
				return c.readTimeout == 5*time.Minute && c.writeTimeout == time.Minute && c.idleTimeout == time.Second
			}, ""},
		{"bad timeout", []string{"--write-timeout", "0"}, nil, nil, "--write-timeout"},
		{"durability default strict", nil, nil, func(c *config) bool { return c.durability == "strict" }, ""},
		{"durability fast", nil, map[string]string{"STANDIN_DURABILITY": "fast"}, func(c *config) bool { return c.durability == "fast" }, ""},
		{"bad durability", []string{"--durability", "yolo"}, nil, nil, "--durability"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"help"}, &out, io.Discard, env(nil), nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), "--"+s.flag) || !strings.Contains(out.String(), s.env) {
			t.Errorf("help lacks --%s / %s", s.flag, s.env)
		}
	}
	out.Reset()
	if err := run(t.Context(), []string{"version"}, &out, io.Discard, env(nil), nil); err != nil || !strings.HasPrefix(out.String(), "standin ") {
		t.Errorf("version: %q %v", out.String(), err)
	}
	if err := run(t.Context(), []string{"serve", "-h"}, io.Discard, io.Discard, env(nil), nil); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("serve -h: %v", err)
	}
	if err := run(t.Context(), []string{"frobnicate"}, io.Discard, io.Discard, env(nil), nil); err == nil {
		t.Error("unknown command accepted")
	}
}

// startInProcess runs `standin serve` in this process on a free port range.
func startInProcess(t *testing.T, dsn string, extra ...string) (*server, context.CancelFunc, <-chan error, *bytes.Buffer) {
	t.Helper()
	for range 20 {
		port := 20000 + rand.IntN(30000)
		ctx, cancel := context.WithCancel(t.Context())
		ready := make(chan *server, 1)
		done := make(chan error, 1)
		out := &bytes.Buffer{}
		args := append([]string{"serve", "--db", dsn, "--ports", fmt.Sprint(port), "--durability", "fast"}, extra...)
		go func() { done <- run(ctx, args, out, io.Discard, env(nil), func(s *server) { ready <- s }) }()
		select {
		case s := <-ready:
			return s, cancel, done, out
		case err := <-done:
			cancel()
			if strings.Contains(err.Error(), "address already in use") {
				continue
			}
			t.Fatal(err)
		}
	}
	t.Fatal("no free ports")
	return nil, nil, nil, nil
}

func TestBannerAndGracefulShutdown(t *testing.T) {
	srv, cancel, done, out := startInProcess(t, testenv.DSN(t))
	for _, want := range []string{"console", "klipfolio", "api_key=", "password="} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	// A request in flight when the shutdown begins still gets its answer.
	pr, pw := io.Pipe()
	result := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", srv.urls["console"]+"/_standin/namespaces/default/seed", pr)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
		}
		result <- res
	}()
	if _, err := pw.Write([]byte(`{"klipfolio": {"groups": [`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the handler is now reading the body
	cancel()
	time.Sleep(50 * time.Millisecond)
	if _, err := pw.Write([]byte(`{"id": "late", "name": "In flight", "description": "x"}]}}`)); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	res := <-result
	if res == nil || res.StatusCode != 200 {
		t.Fatalf("in-flight request: %v", res)
	}
	res.Body.Close()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
}

// The binary is built once for the tests that need a real process.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "standin-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "standin")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

type proc struct {
	cmd  *exec.Cmd
	base int
}

func (p *proc) url(offset int, path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", p.base+offset, path)
}

// startProcess runs the binary and waits until it is healthy.
func startProcess(t *testing.T, dsn string, args ...string) *proc {
	t.Helper()
	bin := binary(t)
	for range 10 {
		port := 20000 + rand.IntN(30000)
		cmd := exec.Command(bin, append([]string{"serve", "--db", dsn, "--ports", fmt.Sprint(port)}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := &proc{cmd: cmd, base: port}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-exited:
				if strings.Contains(stderr.String(), "address already in use") {
					goto retry
				}
				t.Fatalf("standin exited: %s", stderr.String())
			default:
			}
			if res, err := http.Get(p.url(0, "/_standin/health")); err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					t.Cleanup(func() { cmd.Process.Kill(); <-exited })
					return p
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("standin did not become healthy: %s", stderr.String())
	retry:
	}
	t.Fatal("no free ports")
	return nil
}

func do(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if key != "" {
		req.Header.Set("kf-api-key", key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// klipfolioKey reads a namespace's Klipfolio key from the control plane.
func klipfolioKey(t *testing.T, consoleURL, ns string) string {
	t.Helper()
	_, body := do(t, "GET", consoleURL+"/_standin/namespaces/"+ns, "", "")
	var info struct {
		Vendors struct {
			Klipfolio struct {
				APIKey string `json:"api_key"`
			} `json:"klipfolio"`
		} `json:"vendors"`
	}
	if err := json.Unmarshal([]byte(body), &info); err != nil || info.Vendors.Klipfolio.APIKey == "" {
		t.Fatalf("no klipfolio api_key in %s (%v)", body, err)
	}
	return info.Vendors.Klipfolio.APIKey
}

func TestSurvivesKill9(t *testing.T) {
	dsn := testenv.DSN(t)
	p := startProcess(t, dsn)
	key := klipfolioKey(t, p.url(0, ""), "default")
	status, body := do(t, "POST", p.url(2, "/api/1/groups"), key, `{"name":"Durable","description":"survives kill -9"}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	loc := body[strings.Index(body, "/groups/"):]
	loc = loc[:strings.IndexByte(loc, '"')]
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p2 := startProcess(t, dsn)
	status, body = do(t, "GET", p2.url(2, "/api/1"+loc), klipfolioKey(t, p2.url(0, ""), "default"), "")
	if status != 200 || !strings.Contains(body, `"Durable"`) {
		t.Fatalf("after restart: %d %s", status, body)
	}
}

func TestTwoProcessesShareOneSandbox(t *testing.T) {
	dsn := testenv.DSN(t)
	writer := startProcess(t, dsn)
	reader := startProcess(t, dsn)
	// A namespace made through one process is served by the other.
	status, body := do(t, "POST", writer.url(0, "/_standin/namespaces"), "", `{"id":"shared","seed":"empty"}`)
	if status != 201 {
		t.Fatalf("create namespace: %d %s", status, body)
	}
	key := klipfolioKey(t, reader.url(0, ""), "shared")
	status, body = do(t, "POST", writer.url(2, "/ns/shared/api/1/groups"), key, `{"name":"Written by one","description":"x"}`)
	if status != 201 {
		t.Fatalf("write: %d %s", status, body)
	}
	status, body = do(t, "GET", reader.url(2, "/ns/shared/api/1/groups"), key, "")
	if status != 200 || !strings.Contains(body, "Written by one") {
		t.Fatalf("read through the other process: %d %s", status, body)
	}
	// The clock offset is shared too.
	do(t, "POST", writer.url(0, "/_standin/namespaces/shared/clock"), "", `{"advance":"24h"}`)
	_, clock := do(t, "GET", reader.url(0, "/_standin/namespaces/shared/clock"), "", "")
	if !strings.Contains(clock, `"offset_ms":86400000`) {
		t.Errorf("reader's clock: %s", clock)
	}
}

func TestSeedFlagLoadsOnce(t *testing.T) {
	dsn := testenv.DSN(t)
	seed := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(seed, []byte("klipfolio:\n  groups:\n    - {id: from-file, name: Seeded from file, description: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second start must not load it again (it would clash)
		_, cancel, done, _ := startInProcess(t, dsn, "--seed", seed, "--default-seed", "empty")
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	srv, cancel, done, _ := startInProcess(t, dsn)
	defer func() { cancel(); <-done }()
	key := klipfolioKey(t, srv.urls["console"], "default")
	_, body := do(t, "GET", srv.urls["klipfolio"]+"/api/1/groups", key, "")
	if strings.Count(body, "Seeded from file") != 1 {
		t.Fatalf("groups: %s", body)
	}
}
