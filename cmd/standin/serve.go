package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/standin-dev/standin/internal/app"
	"github.com/standin-dev/standin/internal/clock"
	"github.com/standin-dev/standin/internal/control"
	"github.com/standin-dev/standin/internal/httpx"
	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/quickstart"
	"github.com/standin-dev/standin/internal/registry"
	"github.com/standin-dev/standin/internal/store"
)

// server is a running `standin serve`, handed to tests through run's ready
// callback.
type server struct {
	app  *app.App
	urls map[string]string // "console" and each vendor → root URL
}

func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer, ready func(*server)) error {
	log := cfg.logger(stderr)
	db, err := store.OpenDurable(ctx, cfg.db, cfg.durability)
	if err != nil {
		return err
	}
	defer db.Close()

	// Bind every port before anything else, so a busy port fails fast.
	vendors := registry.All(db, log)
	type listener struct {
		name string
		ln   net.Listener
		h    http.Handler
	}
	var lns []listener
	defer func() {
		for _, l := range lns {
			l.ln.Close()
		}
	}()
	listen := func(name string, offset int) (string, error) {
		addr := net.JoinHostPort(cfg.host, strconv.Itoa(cfg.ports+offset))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return "", err
		}
		lns = append(lns, listener{name: name, ln: ln})
		return cfg.advertisedURL(ln.Addr()), nil
	}
	urls := map[string]string{}
	if urls["console"], err = listen("console", 0); err != nil {
		return err
	}
	for _, v := range vendors {
		if urls[v.Name()], err = listen(v.Name(), registry.Ports[v.Name()]); err != nil {
			return err
		}
	}

	a, err := app.New(ctx, app.Config{
		DB: db, Log: log, Clock: clock.Real{}, Vendors: vendors,
		Secret: cfg.secret, DefaultSeed: cfg.defaultSeed, VendorURLs: urls,
		Exposed: !isLoopback(cfg.host), AllowedHosts: cfg.allowedHosts, ControlToken: cfg.controlToken,
	})
	if err != nil {
		return err
	}
	if cfg.seed != "" {
		doc, err := readSeed(cfg.seed, stderr)
		if err != nil {
			return fmt.Errorf("--seed: %w", err)
		}
		stop := func() {}
		if len(doc) > 1<<20 {
			stop = spin(stderr, "loading "+cfg.seed)
		}
		err = a.LoadFixture(ctx, namespace.Default, doc, true)
		stop()
		if err != nil {
			return fmt.Errorf("--seed %s: %w", cfg.seed, err)
		}
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go a.RunSweeper(sweepCtx, 15*time.Second) // deletes namespaces whose ttl ran out
	lns[0].h = control.New(a, log)
	for i, v := range vendors {
		lns[i+1].h = a.VendorHandler(v)
	}
	if err := printBanner(ctx, stdout, a, urls, isTerminal(stdout)); err != nil {
		return err
	}
	if cfg.controlToken != "" {
		how := "from --control-token"
		if cfg.tokenDerived {
			how = "derived from --secret"
		}
		fmt.Fprintf(stdout, "  %-13s%s   (%s; send it as Authorization: Bearer, or log in to the console)\n", "control token", cfg.controlToken, how)
	}

	var (
		wg      sync.WaitGroup
		srvs    []*http.Server
		errOnce sync.Once
		srvErr  error
	)
	failed := make(chan struct{})
	fresh := &freshConns{conns: map[net.Conn]struct{}{}}
	for _, l := range lns {
		srv := &http.Server{
			Handler:           httpx.ExtendDeadlines(cfg.readTimeout, cfg.writeTimeout, l.h),
			ReadHeaderTimeout: min(10*time.Second, cfg.readTimeout),
			ReadTimeout:       cfg.readTimeout,
			WriteTimeout:      cfg.writeTimeout,
			IdleTimeout:       cfg.idleTimeout,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		// Connections that have not sent a request yet count as busy for
		// Shutdown for their first seconds: track them to close them at once.
		srv.ConnState = fresh.track
		srv.RegisterOnShutdown(a.Journal().StopStreams) // journal streams never finish by themselves
		srvs = append(srvs, srv)
		wg.Add(1)
		go func(ln net.Listener) {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errOnce.Do(func() { srvErr = err; close(failed) })
			}
		}(l.ln)
	}
	log.Info("standin ready", "console", urls["console"], "db", redactDSN(cfg.db))
	if ready != nil {
		ready(&server{app: a, urls: urls})
	}
	select {
	case <-ctx.Done():
	case <-failed:
	}
	// Graceful: stop accepting, let requests in flight finish, close idle
	// and fresh connections at once. What is still running after the grace
	// period is cut.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var down sync.WaitGroup
	for _, srv := range srvs {
		down.Go(func() {
			if err := srv.Shutdown(shutdownCtx); err != nil {
				_ = srv.Close()
			}
		})
	}
	fresh.closeAll()
	down.Wait()
	wg.Wait()
	if err := a.Journal().Flush(shutdownCtx); err != nil {
		log.Warn("journal: entries not written at shutdown", "error", err)
	}
	lns = nil // closed by Shutdown
	return srvErr
}

// freshConns are connections that have not sent a request yet. Shutdown
// treats those as busy for five seconds; standin closes them at once.
type freshConns struct {
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	shutdown bool
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case state == http.StateNew && f.shutdown:
		c.Close()
	case state == http.StateNew:
		f.conns[c] = struct{}{}
	default:
		delete(f.conns, c)
	}
}

func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shutdown = true
	for c := range f.conns {
		c.Close()
	}
	clear(f.conns)
}

// advertisedURL is the root URL that clients are told for a listener: the
// --public-url's scheme and host with the listener's port; else the bound
// address, and on a wildcard bind (0.0.0.0, ::) an address of this
// machine that others can reach rather than the wildcard itself.
func (c *config) advertisedURL(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	if c.publicURL != nil {
		return c.publicURL.Scheme + "://" + net.JoinHostPort(c.publicURL.Hostname(), port)
	}
	host, _, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = reachableAddress()
	}
	return "http://" + net.JoinHostPort(host, port)
}

// reachableAddress is this machine's first non-loopback unicast address
// (IPv4 first), or 127.0.0.1 when it has none.
func reachableAddress() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "127.0.0.1"
	}
	var v6 string
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || !ipn.IP.IsGlobalUnicast() {
			continue
		}
		if ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
		if v6 == "" {
			v6 = ipn.IP.String()
		}
	}
	if v6 != "" {
		return v6
	}
	return "127.0.0.1"
}

// printBanner tells where everything is and the default namespace's
// credentials (on stdout, never in the log).
func printBanner(ctx context.Context, w io.Writer, a *app.App, urls map[string]string, curls bool) error {
	ns, err := a.Load(ctx, namespace.Default)
	if err != nil {
		return err
	}
	info, err := a.Info(ctx, ns)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "standin %s\n", version())
	fmt.Fprintf(w, "  %-13s%s   (control API under /_standin/)\n", "console", urls["console"])
	names := make([]string, 0, len(info.Vendors))
	for n := range info.Vendors {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return registry.Ports[names[i]] < registry.Ports[names[j]] })
	for _, n := range names {
		creds := info.Vendors[n]
		keys := make([]string, 0, len(creds))
		for k := range creds {
			if k != "base_url" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%v", k, creds[k]))
		}
		fmt.Fprintf(w, "  %-13s%s\n               %s\n", n, creds["base_url"], strings.Join(parts, "\n               "))
	}
	if curls {
		printCurls(w, info.Vendors)
	}
	return nil
}

// printCurls writes one ready-to-paste request per vendor.
func printCurls(w io.Writer, vendors map[string]map[string]any) {
	fmt.Fprintln(w, "\nTry one call per vendor:")
	for _, ex := range quickstart.Examples(vendors) {
		fmt.Fprintf(w, "  # %s: %s\n  %s\n", ex.Vendor, ex.Title, ex.Curl)
	}
}

// readSeed reads a seed document, with a progress bar on a terminal for a
// large one.
func readSeed(path string, stderr io.Writer) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var r io.Reader = f
	if st.Size() > 1<<20 {
		b := progress(stderr, st.Size(), "reading "+path, true)
		defer b.Finish()
		r = b.Reader(f)
	}
	return io.ReadAll(r)
}

// redactDSN hides a password in a postgres URL for the log.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			if colon := strings.Index(dsn[i+3:at], ":"); colon >= 0 {
				return dsn[:i+3+colon] + ":***" + dsn[at:]
			}
		}
	}
	return dsn
}
