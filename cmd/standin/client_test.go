package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/quickstart"
	"github.com/standin-dev/standin/internal/testenv"
)

// cli runs one client subcommand against console and returns its stdout.
func cli(t *testing.T, console string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append(args, "--url", console), &out, &errOut, env(nil), nil)
	if err != nil {
		t.Logf("standin %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), err
}

func TestBareStandinPrintsHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), nil, &out, io.Discard, env(nil), nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"standin serve", "standin ns create", "standin clock ID", "standin outbox ID", "--ports"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestNamespaceCommands(t *testing.T) {
	srv, cancel, done, _ := startInProcess(t, testenv.DSN(t))
	defer func() { cancel(); <-done }()
	console := srv.urls["console"]

	// --env output evaluates in bash and its credentials work.
	envOut, err := cli(t, console, "ns", "create", "--seed", "docs", "--env")
	if err != nil {
		t.Fatal(err)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", `set -eu; eval "$NSENV"; printf '%s\n' "$STANDIN_NS" "$STANDIN_KLIPFOLIO_BASE_URL" "$STANDIN_KLIPFOLIO_API_KEY" "$STANDIN_WORKSECTION_API_KEY" "$STANDIN_URL"`)
	cmd.Env = append(cmd.Environ(), "NSENV="+envOut)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("eval: %v\n%s\n%s", err, b, envOut)
	}
	vals := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(vals) != 5 || vals[4] != console {
		t.Fatalf("evaluated: %q", vals)
	}
	id := vals[0]
	if status, body := do(t, "GET", vals[1]+"/api/1/groups", vals[2], ""); status != 200 {
		t.Fatalf("klipfolio with the exported key: %d %s", status, body)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"list", []string{"ns", "list"}, id},
		{"clock forward", []string{"clock", id, "+2h"}, "offset 2h0m0s"},
		{"clock back", []string{"clock", id, "-30m"}, "offset 1h30m0s"},
		{"clock shown", []string{"clock", id}, "offset 1h30m0s"},
		{"clock to zero", []string{"clock", id, "0"}, "offset 0s"},
		{"outbox", []string{"outbox", id}, "outbox is empty"},
		{"reset", []string{"ns", "reset", id}, "reset " + id + " to its docs seed"},
		{"human create", []string{"ns", "create", "--id", "made-by-cli"}, "api_key="},
		{"delete", []string{"ns", "delete", id}, "deleted " + id},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := cli(t, console, tt.args...)
			if err != nil || !strings.Contains(out, tt.want) {
				t.Fatalf("got %q, %v; want %q", out, err, tt.want)
			}
		})
	}
	// Errors are the server's message with the status.
	if _, err := cli(t, console, "ns", "delete", id); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("second delete: %v", err)
	}
	if _, err := cli(t, console, "clock", "made-by-cli", "soon"); err == nil {
		t.Error("clock accepted 'soon'")
	}
	if _, err := cli(t, console, "ns", "delete"); err == nil {
		t.Error("delete without an id accepted")
	}
}

func TestControlTokenIsSent(t *testing.T) {
	var got, types []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" {
			types = append(types, r.Method+" "+r.Header.Get("Content-Type"))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		got = append(got, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer tok3n" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"control token required"}`)
			return
		}
		_, _ = io.WriteString(w, `{"namespaces":[],"total":0}`)
	}))
	defer ts.Close()
	var out bytes.Buffer
	if err := run(t.Context(), []string{"ns", "list", "--url", ts.URL}, &out, io.Discard,
		env(map[string]string{"STANDIN_CONTROL_TOKEN": "tok3n"}), nil); err != nil {
		t.Fatal(err)
	}
	err := run(t.Context(), []string{"ns", "list", "--url", ts.URL}, &out, io.Discard, env(nil), nil)
	if err == nil || !strings.Contains(err.Error(), "STANDIN_CONTROL_TOKEN") {
		t.Errorf("without a token: %v", err)
	}
	if len(got) != 2 || got[0] != "Bearer tok3n" || got[1] != "" {
		t.Errorf("Authorization headers: %q", got)
	}
	// State changes carry a JSON content type even without a body.
	tok := env(map[string]string{"STANDIN_CONTROL_TOKEN": "tok3n"})
	_ = run(t.Context(), []string{"ns", "reset", "x", "--url", ts.URL}, io.Discard, io.Discard, tok, nil)
	_ = run(t.Context(), []string{"ns", "delete", "x", "--url", ts.URL}, io.Discard, io.Discard, tok, nil)
	if len(types) != 2 || types[0] != "POST application/json" || types[1] != "DELETE " {
		t.Errorf("content types: %q", types)
	}
}

// Every curl that serve prints on a terminal works as pasted.
func TestBannerCurlsWork(t *testing.T) {
	srv, cancel, done, _ := startInProcess(t, testenv.DSN(t))
	defer func() { cancel(); <-done }()
	info, err := srv.app.Info(t.Context(), mustLoad(t, srv, "default"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	printCurls(&buf, info.Vendors)
	exs := quickstart.Examples(info.Vendors)
	if len(exs) != 4 || strings.Count(buf.String(), "curl -s") != 4 {
		t.Fatalf("curls:\n%s", buf.String())
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, ex := range exs {
		t.Run(ex.Vendor, func(t *testing.T) {
			// Run the curl's words through a shell-free request: bash
			// splits the quoted words, Go sends them.
			b, err := exec.Command(bash, "-c", `for w in `+strings.TrimPrefix(ex.Curl, "curl -s")+`; do printf '%s\n' "$w"; done`).Output()
			if err != nil {
				t.Fatal(err)
			}
			words := strings.Split(strings.TrimSpace(string(b)), "\n")
			req, _ := http.NewRequest("GET", words[len(words)-1], nil)
			for i := 0; i+1 < len(words); i++ {
				if words[i] == "-H" {
					k, v, _ := strings.Cut(words[i+1], ": ")
					req.Header.Set(k, v)
				}
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || strings.Contains(string(body), `"status":"error"`) {
				t.Fatalf("%s: %d %s", ex.Curl, res.StatusCode, body)
			}
		})
	}
}

func mustLoad(t *testing.T, srv *server, id string) *namespace.Namespace {
	t.Helper()
	ns, err := srv.app.Load(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}
