package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/control"
	"github.com/standin-dev/standin/internal/ids"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
	"github.com/standin-dev/standin/internal/testenv"
)

// sizes scale the table: full for ./bench/run, tiny for the test that
// only checks that the benchmark code still runs.
type sizes struct {
	reps     int
	workers  int
	duration time.Duration
	small    int // rows of the small list
	big      int // rows of the big list (1M)
	samples  int // sequential requests for a latency median
	upload   int64
	users    int // WorkDrive scenario
	posts    int
}

var (
	fullSizes = sizes{reps: 3, workers: 32, duration: 3 * time.Second, small: 1000, big: 1_000_000,
		samples: 200, upload: 1 << 30, users: 270, posts: 260}
	tinySizes = sizes{reps: 1, workers: 2, duration: 50 * time.Millisecond, small: 10, big: 30,
		samples: 3, upload: 1 << 20, users: 2, posts: 2}
)

// row is one line of issue 11's table.
type row struct {
	key, what, unit, goal string
}

var rows = []row{
	{"kf_list", "Klipfolio GET /api/1/groups?limit=20, vs bare Go", "×", "≥ 0.5×"},
	{"cl_members", "Clinked GET /v3/accounts/{a}/members, vs bare Go", "×", "≥ 0.5×"},
	{"wd_users", "WorkDrive GET /api/users, vs bare Go", "×", "≥ 0.5×"},
	{"kf_post", "Klipfolio POST /api/1/groups, vs json-server 0.17.4", "×", "≥ 10×"},
	{"first_page", "p50 first page at 1M groups vs 1k", "×", "≤ 1.5×"},
	{"deep_page", "p50 deep page at 1M groups", "ms", "≤ 30 ms"},
	{"big_seed", "seeding 1M groups (bulk fixture)", "s", "well under 60 s"},
	{"start_fresh", "start to serving, fresh database", "ms", "≤ 50 ms"},
	{"start_existing", "start to serving, existing database", "ms", "≤ 20 ms"},
	{"ns_docs", "new namespace, docs seed", "ms", "≤ 5 (SQLite) / ≤ 10 (PG) ms"},
	{"ns_empty", "new namespace, empty seed", "ms", "≤ 2 (SQLite) / ≤ 5 (PG) ms"},
	{"upload", "WorkDrive media upload throughput", "MiB/s", "≥ 250 MiB/s"},
	{"upload_rss", "  peak RSS growth during the upload", "MB", "≤ 64 MB"},
	{"scenario", "WorkDrive scenario: users and posts written", "s", "PG ≤ 2× SQLite"},
}

// TestTable measures issue 11's table. By default it runs on a tiny size
// on the engine the test suite uses, only to prove the code runs; with
// STANDIN_BENCH_TABLE=1 (./bench/run) it runs at full size on SQLite and
// PostgreSQL (STANDIN_BENCH_ENGINES=sqlite,postgres) and prints min,
// median and max over the repetitions.
func TestTable(t *testing.T) {
	sz, engines := tinySizes, []string{"sqlite"}
	if testenv.PostgresURL() != "" {
		engines = []string{"postgres"}
	}
	if os.Getenv("STANDIN_BENCH_TABLE") != "" {
		sz = fullSizes
		engines = strings.Split(envOr("STANDIN_BENCH_ENGINES", "sqlite,postgres"), ",")
		if n, err := strconv.Atoi(os.Getenv("STANDIN_BENCH_ROWS")); err == nil && n > 0 {
			sz.big = n
		}
		if n, err := strconv.Atoi(os.Getenv("STANDIN_BENCH_REPS")); err == nil && n > 0 {
			sz.reps = n
		}
		if n, err := strconv.ParseInt(os.Getenv("STANDIN_BENCH_UPLOAD_MIB"), 10, 64); err == nil && n > 0 {
			sz.upload = n << 20
		}
	}
	results := map[string]map[string][]float64{}
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			got := map[string][]float64{}
			measure(t, engine, sz, func(key string, v float64) {
				got[key] = append(got[key], v)
				t.Logf("%s %s: %.3f", engine, key, v)
			})
			results[engine] = got
		})
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nissue 11 table: min / median / max over %d repetition(s)\n", sz.reps)
	fmt.Fprintf(&out, "%-55s", "what")
	for _, e := range engines {
		fmt.Fprintf(&out, " | %-28s", e)
	}
	fmt.Fprintf(&out, " | goal\n")
	for _, r := range rows {
		fmt.Fprintf(&out, "%-55s", r.what)
		for _, e := range engines {
			xs := results[e][r.key]
			cell := "n/a"
			if len(xs) > 0 {
				s := Summarize(slices.Clone(xs))
				cell = fmt.Sprintf("%s / %s / %s %s", num(s.Min), num(s.Median), num(s.Max), r.unit)
			}
			fmt.Fprintf(&out, " | %-28s", cell)
		}
		fmt.Fprintf(&out, " | %s\n", r.goal)
	}
	if sq, pg := results["sqlite"]["scenario"], results["postgres"]["scenario"]; len(sq) > 0 && len(pg) > 0 {
		fmt.Fprintf(&out, "WorkDrive scenario PostgreSQL / SQLite (medians): %.2f× (goal ≤ 2×)\n",
			Summarize(slices.Clone(pg)).Median/Summarize(slices.Clone(sq)).Median)
	}
	if os.Getenv("STANDIN_BENCH_TABLE") != "" {
		fmt.Print(out.String())
	} else {
		t.Log(out.String())
	}
}

// want tells whether STANDIN_BENCH_ONLY (keys of rows, comma-separated)
// selects the row; all rows when it is empty.
func want(key string) bool {
	only := os.Getenv("STANDIN_BENCH_ONLY")
	return only == "" || slices.Contains(strings.Split(only, ","), key)
}

func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// dsnFor returns a fresh database of the engine, removed when t ends.
func dsnFor(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "standin.db")
	case "postgres":
		if testenv.PostgresURL() == "" {
			t.Setenv("STANDIN_TEST_POSTGRES", "1")
		}
		return testenv.DSN(t)
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

func startOn(t testing.TB, dsn string) *testenv.Env {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testenv.StartOn(t, db, registry.All)
}

// measure runs every row of the table on one engine, sz.reps times.
func measure(t *testing.T, engine string, sz sizes, rec func(string, float64)) {
	env := startOn(t, dsnFor(t, engine))

	// Klipfolio list vs bare Go, on a namespace of sz.small groups.
	small := env.NewNamespace(t, "empty")
	seedGroups(t, env, small.ID, sz.small)
	kfKey := http.Header{"Kf-Api-Key": {small.Cred("klipfolio", "api_key")}}
	kfList := small.BaseURL("klipfolio") + "/api/1/groups?limit=20"

	// Clinked members, with the rate limit on (so its cost is measured) but
	// high enough never to refuse.
	cl := env.NewNamespace(t, "demo")
	env.Do(t, "PUT", env.Control+"/_standin/namespaces/"+cl.ID+"/settings/clinked",
		`{"rate_limit": {"limit": 100000000}}`, nil).Decode(t, 200, nil)
	clAuth := http.Header{"Authorization": {"Bearer " + cl.Cred("clinked", "access_token")}}
	var accounts []struct {
		ID int64 `json:"id"`
	}
	env.Do(t, "GET", cl.BaseURL("clinked")+"/v3/accounts", nil, clAuth).Decode(t, 200, &accounts)
	if len(accounts) == 0 {
		t.Fatal("clinked demo seed has no account")
	}
	clMembers := fmt.Sprintf("%s/v3/accounts/%d/members", cl.BaseURL("clinked"), accounts[0].ID)

	wd := env.NewNamespace(t, "demo")
	wdKey := http.Header{"X-Api-Key": {wd.Cred("workdrive", "api_key")}}
	wdUsers := wd.BaseURL("workdrive") + "/api/users"

	for rep := range sz.reps {
		if want("kf_list") {
			rec("kf_list", ratio(t, sz, "GET", kfList, kfKey))
		}
		if want("cl_members") {
			rec("cl_members", ratio(t, sz, "GET", clMembers, clAuth))
		}
		if want("wd_users") {
			rec("wd_users", ratio(t, sz, "GET", wdUsers, wdKey))
		}
		if want("kf_post") {
			if v, ok := postVsJSONServer(t, env, sz, rep); ok {
				rec("kf_post", v)
			}
		}
	}
	if want("first_page") || want("deep_page") || want("big_seed") {
		bigList(t, env, sz, kfList, kfKey, rec)
	}
	if want("start_fresh") || want("start_existing") {
		for range sz.reps {
			dsn := dsnFor(t, engine)
			rec("start_fresh", startToServing(t, dsn))
			rec("start_existing", startToServing(t, dsn))
		}
	}
	for range sz.reps {
		for _, seed := range []string{"docs", "empty"} {
			if !want("ns_" + seed) {
				continue
			}
			var ms []float64
			for range max(sz.samples/4, 3) {
				t0 := time.Now()
				env.NewNamespace(t, seed)
				ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
			}
			rec("ns_"+seed, Summarize(ms).Median)
		}
	}
	for range sz.reps {
		if want("upload") {
			mibs, rss := upload(t, env, sz.upload)
			rec("upload", mibs)
			rec("upload_rss", rss)
		}
		if want("scenario") {
			rec("scenario", scenario(t, env, sz))
		}
	}
}

// bigList seeds sz.big groups in one account with the bulk fixture and
// measures its first and deep pages against the small list's first page.
func bigList(t *testing.T, env *testenv.Env, sz sizes, kfList string, kfKey http.Header, rec func(string, float64)) {
	big := env.NewNamespace(t, "empty")
	t0 := time.Now()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+big.ID+"/seed",
		fmt.Sprintf(`{"klipfolio": {"generate": {"groups": %d}}}`, sz.big), nil).Decode(t, 200, nil)
	rec("big_seed", time.Since(t0).Seconds())
	bigKey := http.Header{"Kf-Api-Key": {big.Cred("klipfolio", "api_key")}}
	if !want("first_page") && !want("deep_page") {
		return
	}
	for range sz.reps {
		p1k := latency(t, sz, "GET", kfList, kfKey)
		p1m := latency(t, sz, "GET", big.BaseURL("klipfolio")+"/api/1/groups?limit=20", bigKey)
		rec("first_page", p1m/p1k)
		deep := latency(t, sz, "GET", fmt.Sprintf("%s/api/1/groups?limit=20&offset=%d", big.BaseURL("klipfolio"), sz.big-20), bigKey)
		rec("deep_page", deep)
	}
}

// seedGroups loads n groups into the namespace's company account.
func seedGroups(t testing.TB, env *testenv.Env, ns string, n int) {
	t.Helper()
	env.Do(t, "POST", env.Control+"/_standin/namespaces/"+ns+"/seed",
		fmt.Sprintf(`{"klipfolio": {"generate": {"groups": %d}}}`, n), nil).Decode(t, 200, nil)
}

func request(method, u string, h http.Header, body []byte) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req, err := http.NewRequest(method, u, r)
		if err != nil {
			return nil, err
		}
		for k, v := range h {
			req.Header[k] = v
		}
		return req, nil
	}
}

// ratio drives standin's GET and a bare Go server writing the same bytes
// with the same load, and returns standin's throughput over bare Go's.
func ratio(t testing.TB, sz sizes, method, u string, h http.Header) float64 {
	t.Helper()
	res := testenv.Do(t, method, u, nil, h)
	if res.StatusCode != 200 {
		t.Fatalf("%s %s: %d %s", method, u, res.StatusCode, res.Body)
	}
	bare := httptest.NewServer(Bare(res.Header.Get("Content-Type"), res.Body))
	defer bare.Close()
	bu, _ := url.Parse(u)
	bareURL := bare.URL + bu.RequestURI()
	ctx := context.Background()
	b, err := Load{Workers: sz.workers, Duration: sz.duration, Request: request(method, bareURL, h, nil)}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load{Workers: sz.workers, Duration: sz.duration, Request: request(method, u, h, nil)}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: standin %.0f req/s, bare Go %.0f req/s", u, s.PerSecond(), b.PerSecond())
	return s.PerSecond() / b.PerSecond()
}

// latency is the median of sz.samples sequential requests, in ms.
func latency(t testing.TB, sz sizes, method, u string, h http.Header) float64 {
	t.Helper()
	var ms []float64
	client := &http.Client{}
	for i := range sz.samples + 1 {
		req, _ := request(method, u, h, nil)()
		t0 := time.Now()
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", u, res.StatusCode)
		}
		if i > 0 { // the first warms the connection
			ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
		}
	}
	return Summarize(ms).Median
}

// jsonServer finds json-server 0.17.4 (./bench/run installs it).
func jsonServer() string {
	if p := os.Getenv("STANDIN_BENCH_JSON_SERVER"); p != "" {
		return p
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	p := filepath.Join(dir, "standin-bench", "node_modules", "json-server", "lib", "cli", "bin.js")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// postVsJSONServer compares Klipfolio's POST /api/1/groups with
// json-server's POST on a fresh data file, under the same load.
func postVsJSONServer(t testing.TB, env *testenv.Env, sz sizes, rep int) (float64, bool) {
	t.Helper()
	bin := jsonServer()
	if bin == "" {
		t.Logf("json-server 0.17.4 not found: skipping the POST row (./bench/run installs it)")
		return 0, false
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "db.json")
	if err := os.WriteFile(data, []byte(`{"groups": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", bin, "--port", strconv.Itoa(port), "--host", "127.0.0.1", "--quiet", data)
	if err := cmd.Start(); err != nil {
		t.Logf("json-server: %v: skipping the POST row", err)
		return 0, false
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	jsURL := fmt.Sprintf("http://127.0.0.1:%d/groups", port)
	for i := 0; ; i++ {
		res, err := http.Get(jsURL)
		if err == nil {
			res.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("json-server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	body := []byte(`{"name": "Bench group", "description": "made by the benchmark"}`)
	jh := http.Header{"Content-Type": {"application/json"}}
	j, err := Load{Workers: sz.workers, Duration: sz.duration, Status: 201, Request: request("POST", jsURL, jh, body)}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ns := env.NewNamespace(t, "empty")
	kh := http.Header{"Content-Type": {"application/json"}, "Kf-Api-Key": {ns.Cred("klipfolio", "api_key")}}
	s, err := Load{Workers: sz.workers, Duration: sz.duration, Status: 201,
		Request: request("POST", ns.BaseURL("klipfolio")+"/api/1/groups", kh, body)}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("POST groups (rep %d): standin %.0f req/s, json-server %.0f req/s", rep, s.PerSecond(), j.PerSecond())
	return s.PerSecond() / j.PerSecond(), true
}

// startToServing opens dsn, starts standin on it and waits for the first
// healthy answer, in ms.
func startToServing(t testing.TB, dsn string) float64 {
	t.Helper()
	ctx := context.Background()
	t0 := time.Now()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	a, err := app.New(ctx, app.Config{DB: db, Log: log, Clock: clock.Real{}, Vendors: registry.All(db, log)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(control.New(a, log))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/_standin/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("health: %d", res.StatusCode)
	}
	return float64(time.Since(t0).Microseconds()) / 1000
}

// upload streams size bytes through WorkDrive's S3-style media upload and
// returns MiB/s and the process's peak RSS growth in MB meanwhile.
func upload(t testing.TB, env *testenv.Env, size int64) (float64, float64) {
	t.Helper()
	ns := env.NewNamespace(t, "empty")
	h := http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}
	var tk testenv.MediaTicket
	env.Do(t, "GET", ns.BaseURL("workdrive")+"/api/media?mime=video/mp4&name=big.mp4&moduleCode=1", nil, h).Decode(t, 200, &tk)
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	base := rss()
	var peak int64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			if v := rss(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := tk.WriteFormFile(mw, "big.mp4", "video/mp4")
		if err == nil {
			_, err = io.Copy(part, io.LimitReader(testenv.Repeat(chunk), size))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	t0 := time.Now()
	res, err := http.Post(tk.SignedRequest.URL, mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	el := time.Since(t0)
	close(done)
	<-stopped
	if res.StatusCode != 204 {
		t.Fatalf("upload: %d %s", res.StatusCode, b)
	}
	return float64(size) / (1 << 20) / el.Seconds(), float64(max(peak-base, 0)) / 1e6
}

// rss is the process's resident set size in bytes (0 where unknown).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n * 1024
		}
	}
	return 0
}

// scenario writes sz.users users and sz.posts posts through WorkDrive's API,
// one request at a time as a sync job would, and returns the seconds taken.
func scenario(t testing.TB, env *testenv.Env, sz sizes) float64 {
	t.Helper()
	ns := env.NewNamespace(t, "empty")
	h := http.Header{"X-Api-Key": {ns.Cred("workdrive", "api_key")}}
	base := ns.BaseURL("workdrive")
	run := ids.Hex(4)
	t0 := time.Now()
	for i := range sz.users {
		res := testenv.Do(t, "POST", base+"/api/users/add", map[string]string{
			"email": fmt.Sprintf("user%d.%s@example.com", i, run), "firstName": "User", "lastName": strconv.Itoa(i)}, h)
		if res.StatusCode/100 != 2 {
			t.Fatalf("add user: %d %s", res.StatusCode, res.Body)
		}
	}
	for i := range sz.posts {
		res := testenv.Do(t, "POST", base+"/api/posts", map[string]any{"postText": fmt.Sprintf("post %d", i)}, h)
		if res.StatusCode/100 != 2 {
			t.Fatalf("post: %d %s", res.StatusCode, res.Body)
		}
	}
	return time.Since(t0).Seconds()
}
