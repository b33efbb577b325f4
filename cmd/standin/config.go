package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/standin-dev/standin/internal/namespace"
	"github.com/standin-dev/standin/internal/store"
)

// config is every setting of `standin serve`. Each one is a flag and a
// STANDIN_* environment variable; the flag wins.
type config struct {
	host        string
	ports       int
	db          string
	seed        string
	secret      string
	defaultSeed string
	logLevel    slog.Level
	logFormat   string
}

type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"host", "STANDIN_HOST", "127.0.0.1", "address to listen on; a non-loopback host needs --secret"},
	{"ports", "STANDIN_PORTS", "8700", "first of five ports: console N, clinked N+1, klipfolio N+2, worksection N+3, workdrive N+4"},
	{"db", "STANDIN_DB", "", "database: sqlite:PATH, memory, or a postgres:// URL (default sqlite:" + store.DefaultPath() + ")"},
	{"seed", "STANDIN_SEED", "", "YAML or JSON seed document to load into the default namespace (once)"},
	{"secret", "STANDIN_SECRET", "", "secret from which the default namespace's credentials derive (default: a well-known one, loopback only)"},
	{"default-seed", "STANDIN_DEFAULT_SEED", "demo", "seed of the default namespace when it is first made: empty, demo or docs"},
	{"log-level", "STANDIN_LOG_LEVEL", "info", "log level: debug, info, warn or error"},
	{"log-format", "STANDIN_LOG_FORMAT", "text", "log format: text or json"},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `standin: local stand-ins for the Clinked, Klipfolio, Worksection and WorkDrive APIs.

Usage:
  standin serve [flags]   start the console and the vendor APIs
  standin export --ns ID  write a namespace as a seed document (standin export -h)
  standin import --ns ID FILE  load a seed document into a namespace
  standin version         print the version
  standin help            print this help

Flags of serve (each also an environment variable; the flag wins):`)
	for _, s := range settings {
		def := ""
		if s.def != "" {
			def = fmt.Sprintf(" (default %q)", s.def)
		}
		fmt.Fprintf(w, "  --%-13s %-21s %s%s\n", s.flag, s.env, s.help, def)
	}
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	vals := map[string]*string{}
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		vals[s.flag] = fs.String(s.flag, def, s.help)
	}
	if err := fs.Parse(args); err != nil {
		usage(stderr)
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := &config{
		host: *vals["host"], db: *vals["db"], seed: *vals["seed"], secret: *vals["secret"],
		defaultSeed: *vals["default-seed"], logFormat: *vals["log-format"],
	}
	var err error
	if c.ports, err = strconv.Atoi(*vals["ports"]); err != nil || c.ports < 1 || c.ports > 65535-4 {
		return nil, fmt.Errorf("--ports must be a port number from 1 to 65531, not %q", *vals["ports"])
	}
	if c.db == "" {
		c.db = "sqlite:" + store.DefaultPath()
	}
	if !namespace.ValidSeed(c.defaultSeed) {
		return nil, fmt.Errorf("--default-seed must be empty, demo or docs, not %q", c.defaultSeed)
	}
	if err := c.logLevel.UnmarshalText([]byte(*vals["log-level"])); err != nil {
		return nil, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", *vals["log-level"])
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return nil, fmt.Errorf("--log-format must be text or json, not %q", c.logFormat)
	}
	if !isLoopback(c.host) && (c.secret == "" || c.secret == namespace.WellKnownSecret) {
		return nil, fmt.Errorf("refusing to listen on %s with the well-known default credentials: set --secret (STANDIN_SECRET)", c.host)
	}
	return c, nil
}

// isLoopback tells whether host only accepts connections from this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (c *config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.logLevel}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Version is set at build time with -ldflags "-X main.Version=…"; otherwise
// the module version from the build info is used.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return v + " (" + s.Value[:12] + ")"
			}
		}
		return v
	}
	return "(devel)"
}
