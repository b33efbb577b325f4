package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

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

	// The control plane and the network (docs/security.md).
	controlToken string   // required by the control API and console when set
	tokenDerived bool     // controlToken came from --secret, not the user
	allowedHosts []string // lower-case host names accepted in Host
	publicURL    *url.URL // scheme and host that clients are told, or nil

	readTimeout, writeTimeout, idleTimeout time.Duration
	durability                             store.Durability
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
	{"control-token", "STANDIN_CONTROL_TOKEN", "", "token that the control API and console require (default on a non-loopback host: derived from --secret)"},
	{"allowed-hosts", "STANDIN_ALLOWED_HOSTS", "", "comma-separated host names accepted in the Host header besides loopback ones (.example.com: with subdomains)"},
	{"public-url", "STANDIN_PUBLIC_URL", "", "scheme and host that base URLs advertise, e.g. http://standin.lan (each port is kept)"},
	{"read-timeout", "STANDIN_READ_TIMEOUT", "60s", "time to read a request; uploads get more while bytes keep arriving"},
	{"write-timeout", "STANDIN_WRITE_TIMEOUT", "60s", "time to write a response; downloads get more while bytes keep flowing"},
	{"idle-timeout", "STANDIN_IDLE_TIMEOUT", "120s", "how long an idle keep-alive connection stays open"},
	{"durability", "STANDIN_DURABILITY", "strict", "SQLite commits: strict (survive power loss) or fast (survive kill -9)"},
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
  standin export --ns ID [--json]           write a namespace as a seed document (standin export -h)
  standin import --ns ID FILE               load a seed document into a namespace
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
		fmt.Fprintf(w, "  --%-14s %-23s %s%s\n", s.flag, s.env, s.help, def)
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
	if err := c.parseHardening(vals); err != nil {
		return nil, err
	}
	return c, nil
}

// parseHardening reads the settings of the control token, the Host check,
// the advertised URL, the timeouts and SQLite's durability.
func (c *config) parseHardening(vals map[string]*string) error {
	c.controlToken = *vals["control-token"]
	if c.controlToken == "" && !isLoopback(c.host) {
		c.controlToken, c.tokenDerived = deriveControlToken(c.secret), true
	}
	for _, h := range strings.Split(*vals["allowed-hosts"], ",") {
		if h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."); h != "" {
			c.allowedHosts = append(c.allowedHosts, h)
		}
	}
	if v := *vals["public-url"]; v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--public-url must be http://HOST or https://HOST, not %q", v)
		}
		c.publicURL = u
		// The advertised host is the one clients send.
		c.allowedHosts = append(c.allowedHosts, strings.ToLower(u.Hostname()))
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{"read-timeout", &c.readTimeout}, {"write-timeout", &c.writeTimeout}, {"idle-timeout", &c.idleTimeout}} {
		v, err := time.ParseDuration(*vals[d.name])
		if err != nil || v <= 0 {
			return fmt.Errorf("--%s must be a positive duration such as 60s, not %q", d.name, *vals[d.name])
		}
		*d.to = v
	}
	switch d := store.Durability(*vals["durability"]); d {
	case store.Strict, store.Fast:
		c.durability = d
	default:
		return fmt.Errorf("--durability must be strict or fast, not %q", *vals["durability"])
	}
	return nil
}

// deriveControlToken is the control token of a non-loopback standin
// without --control-token: derived from --secret, so that it stays the
// same across restarts and processes that share the secret.
func deriveControlToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("standin control token"))
	return "sct_" + hex.EncodeToString(m.Sum(nil))[:40]
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
