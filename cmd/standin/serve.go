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
	"github.com/standin-dev/standin/internal/namespace"
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
	db, err := store.Open(ctx, cfg.db)
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
		return "http://" + ln.Addr().String(), nil
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
	})
	if err != nil {
		return err
	}
	if cfg.seed != "" {
		doc, err := os.ReadFile(cfg.seed)
		if err != nil {
			return fmt.Errorf("--seed: %w", err)
		}
		if err := a.LoadFixture(ctx, namespace.Default, doc, true); err != nil {
			return fmt.Errorf("--seed %s: %w", cfg.seed, err)
		}
	}
	lns[0].h = control.New(a, log)
	for i, v := range vendors {
		lns[i+1].h = a.VendorHandler(v)
	}
	if err := printBanner(ctx, stdout, a, urls); err != nil {
		return err
	}

	var (
		wg      sync.WaitGroup
		srvs    []*http.Server
		errOnce sync.Once
		srvErr  error
	)
	failed := make(chan struct{})
	for _, l := range lns {
		srv := &http.Server{Handler: l.h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
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
	// Graceful: stop accepting, let requests in flight finish.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, srv := range srvs {
		_ = srv.Shutdown(shutdownCtx)
	}
	wg.Wait()
	if err := a.Journal().Flush(shutdownCtx); err != nil {
		log.Warn("journal: entries not written at shutdown", "error", err)
	}
	lns = nil // closed by Shutdown
	return srvErr
}

// printBanner tells where everything is and the default namespace's
// credentials (on stdout, never in the log).
func printBanner(ctx context.Context, w io.Writer, a *app.App, urls map[string]string) error {
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
	return nil
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
