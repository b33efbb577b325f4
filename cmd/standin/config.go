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
  standin serve [flags]                     start the console and the vendor APIs
  standin ns create [--seed docs] [--ttl 30m] [--env]
                                            make a namespace; --env prints export lines to eval
  standin ns list                           list the namespaces
  standin ns delete ID                      delete a namespace and its data
  standin ns reset ID                       return a namespace to its seed
  standin clock ID [+2h|-30m|TIME|0]        show or move a namespace's clock
  standin outbox ID [--clear]               print the mail the vendors would have sent
  standin version                           print the version
  standin help                              print this help

The ns, clock and outbox commands drive a running standin: --url
(STANDIN_URL, default http://127.0.0.1:8700) says where, --control-token
(STANDIN_CONTROL_TOKEN) authenticates when the server asks for a token.

Try:
  standin serve &
  eval "$(standin ns create --seed docs --env)"
  curl -s -H "kf-api-key: $STANDIN_KLIPFOLIO_API_KEY" "$STANDIN_KLIPFOLIO_BASE_URL/api/1/groups"

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

// Version, Revision and BuildTime are set by the release script with
// -ldflags "-X main.Version=… -X main.Revision=… -X main.BuildTime=…";
// otherwise they come from the build info that the go tool records.
var Version, Revision, BuildTime string

// version is "v1.2.3 (revision 0123456789ab, 2026-12-04T15:00:00Z)", with
// "-dirty" when the tree had uncommitted changes.
func version() string {
	v, rev, at, dirty := Version, Revision, BuildTime, false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.time":
				if at == "" {
					at = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true" && Revision == ""
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	var parts []string
	if rev != "" {
		parts = append(parts, "revision "+rev)
	}
	if at != "" {
		parts = append(parts, at)
	}
	if len(parts) == 0 {
		return v
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}
