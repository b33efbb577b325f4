package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/standin-dev/standin/internal/quickstart"
	"github.com/standin-dev/standin/internal/registry"
)

// nsInfo is the control plane's namespace answer.
type nsInfo struct {
	ID        string                    `json:"id"`
	Seed      string                    `json:"seed"`
	CreatedAt string                    `json:"created_at"`
	Now       string                    `json:"now"`
	ExpiresAt string                    `json:"expires_at,omitempty"`
	Vendors   map[string]map[string]any `json:"vendors"`
}

// runNS serves `standin ns create|list|delete|reset`.
func runNS(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: standin ns create|list|delete|reset …")
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("ns "+sub, flag.ContinueOnError)
	newClient := clientFlags(fs, getenv)
	switch sub {
	case "create":
		seed := fs.String("seed", "empty", "seed: empty, demo or docs")
		id := fs.String("id", "", "namespace id (default: a random one)")
		ttl := fs.String("ttl", "", "delete the namespace after this long, e.g. 30m (when the server supports expiry)")
		env := fs.Bool("env", false, "print `export` lines for a shell to eval: base URLs and credentials")
		if _, err := parseSub(fs, args, stderr, "standin ns create [--seed docs] [--id ID] [--ttl 30m] [--env]", 0); err != nil {
			return err
		}
		req := map[string]string{"seed": *seed}
		if *id != "" {
			req["id"] = *id
		}
		if *ttl != "" {
			if _, err := time.ParseDuration(*ttl); err != nil {
				return fmt.Errorf("--ttl must be a duration such as 30m or 2h, not %q", *ttl)
			}
			req["ttl"] = *ttl
		}
		c := newClient()
		var in nsInfo
		if err := c.do(ctx, "POST", "/_standin/namespaces", req, &in); err != nil {
			return err
		}
		if *ttl != "" && in.ExpiresAt == "" {
			fmt.Fprintf(stderr, "standin: warning: this standin does not expire namespaces; delete %s yourself\n", in.ID)
		}
		if *env {
			printEnv(stdout, c.base, &in)
			return nil
		}
		printNamespace(stdout, &in)
		return nil
	case "list":
		if _, err := parseSub(fs, args, stderr, "standin ns list", 0); err != nil {
			return err
		}
		return listNamespaces(ctx, newClient(), stdout)
	case "delete":
		pos, err := parseSub(fs, args, stderr, "standin ns delete ID", 1)
		if err != nil {
			return err
		}
		if err := newClient().do(ctx, "DELETE", "/_standin/namespaces/"+url.PathEscape(pos[0]), nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s\n", pos[0])
		return nil
	case "reset":
		pos, err := parseSub(fs, args, stderr, "standin ns reset ID", 1)
		if err != nil {
			return err
		}
		var in nsInfo
		if err := newClient().do(ctx, "POST", "/_standin/namespaces/"+url.PathEscape(pos[0])+"/reset", nil, &in); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "reset %s to its %s seed\n", in.ID, in.Seed)
		return nil
	default:
		fmt.Fprintln(stderr, "usage: standin ns create|list|delete|reset …")
		return fmt.Errorf("unknown ns command %q", sub)
	}
}

// vendorNames returns the vendors of in, in port order.
func vendorNames(vendors map[string]map[string]any) []string {
	names := make([]string, 0, len(vendors))
	for n := range vendors {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		pi, pj := registry.Ports[names[i]], registry.Ports[names[j]]
		if pi != pj {
			return pi < pj
		}
		return names[i] < names[j]
	})
	return names
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// envName makes an environment variable name: STANDIN_KLIPFOLIO_API_KEY.
func envName(parts ...string) string {
	s := strings.ToUpper(strings.Join(parts, "_"))
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// printEnv writes `export NAME='value'` lines that any POSIX shell can eval.
func printEnv(w io.Writer, console string, in *nsInfo) {
	fmt.Fprintf(w, "export STANDIN_NS=%s\n", quickstart.Quote(in.ID))
	fmt.Fprintf(w, "export STANDIN_URL=%s\n", quickstart.Quote(console))
	for _, v := range vendorNames(in.Vendors) {
		creds := in.Vendors[v]
		for _, k := range sortedKeys(creds) {
			if creds[k] == nil {
				continue
			}
			fmt.Fprintf(w, "export %s=%s\n", envName("STANDIN", v, k), quickstart.Quote(fmt.Sprint(creds[k])))
		}
	}
}

// printNamespace writes a namespace's base URLs and credentials for people.
func printNamespace(w io.Writer, in *nsInfo) {
	fmt.Fprintf(w, "namespace %s (seed %s)\n", in.ID, in.Seed)
	for _, v := range vendorNames(in.Vendors) {
		creds := in.Vendors[v]
		fmt.Fprintf(w, "  %-13s%v\n", v, creds["base_url"])
		for _, k := range sortedKeys(creds) {
			if k != "base_url" {
				fmt.Fprintf(w, "               %s=%v\n", k, creds[k])
			}
		}
	}
}

// listNamespaces pages through every namespace, driven by the total.
func listNamespaces(ctx context.Context, c *client, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEED\tCREATED\tNOW\tEXPIRES")
	const limit = 500
	for offset := 0; ; offset += limit {
		var page struct {
			Namespaces []nsInfo `json:"namespaces"`
			Total      int      `json:"total"`
		}
		if err := c.do(ctx, "GET", fmt.Sprintf("/_standin/namespaces?limit=%d&offset=%d", limit, offset), nil, &page); err != nil {
			return err
		}
		for _, n := range page.Namespaces {
			expires := n.ExpiresAt
			if expires == "" {
				expires = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.ID, n.Seed, n.CreatedAt, n.Now, expires)
		}
		if len(page.Namespaces) < limit || offset+limit >= page.Total {
			break
		}
	}
	return tw.Flush()
}

// runClock serves `standin clock ID [+2h|-30m|2030-01-01T00:00:00Z|0]`.
func runClock(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("clock", flag.ContinueOnError)
	newClient := clientFlags(fs, getenv)
	const usage = "standin clock ID [+2h | -30m | 2030-01-01T00:00:00Z | 0]"
	// A negative duration looks like a flag: take it out before parsing.
	var move string
	if len(args) >= 2 && strings.HasPrefix(args[1], "-") {
		if _, err := time.ParseDuration(args[1]); err == nil {
			move, args = args[1], append([]string{args[0]}, args[2:]...)
		}
	}
	pos, err := parseSubN(fs, args, stderr, usage, 1, 2)
	if err != nil {
		return err
	}
	if len(pos) == 2 {
		move = pos[1]
	}
	path := "/_standin/namespaces/" + url.PathEscape(pos[0]) + "/clock"
	var out struct {
		Now      string `json:"now"`
		OffsetMS int64  `json:"offset_ms"`
	}
	c := newClient()
	if move == "" {
		err = c.do(ctx, "GET", path, nil, &out)
	} else {
		var body any
		body, err = clockMove(move)
		if err == nil {
			err = c.do(ctx, "POST", path, body, &out)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s  (offset %s)\n", out.Now, time.Duration(out.OffsetMS)*time.Millisecond)
	return nil
}

// clockMove turns the CLI's argument into the control API's clock request.
func clockMove(s string) (any, error) {
	switch {
	case s == "0" || s == "reset":
		return map[string]int64{"offset_ms": 0}, nil
	case strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-"):
		if _, err := time.ParseDuration(s); err != nil {
			return nil, fmt.Errorf("%q is not a duration such as +2h or -30m", s)
		}
		return map[string]string{"advance": strings.TrimPrefix(s, "+")}, nil
	default:
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return nil, fmt.Errorf("%q is neither a duration such as +2h nor an RFC 3339 time such as 2030-01-01T00:00:00Z", s)
		}
		return map[string]string{"now": s}, nil
	}
}

// runOutbox serves `standin outbox ID`: the mail the vendors would have sent.
func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
	newClient := clientFlags(fs, getenv)
	clearAfter := fs.Bool("clear", false, "empty the outbox after printing it")
	pos, err := parseSub(fs, args, stderr, "standin outbox ID [--clear]", 1)
	if err != nil {
		return err
	}
	c := newClient()
	path := "/_standin/namespaces/" + url.PathEscape(pos[0]) + "/outbox"
	const limit = 500
	n := 0
	for offset := 0; ; offset += limit {
		var page struct {
			Messages []struct {
				ID      int64  `json:"id"`
				Vendor  string `json:"vendor"`
				To      string `json:"to"`
				Subject string `json:"subject"`
				Body    string `json:"body"`
				Time    string `json:"time"`
			} `json:"messages"`
			Total int `json:"total"`
		}
		if err := c.do(ctx, "GET", fmt.Sprintf("%s?limit=%d&offset=%d", path, limit, offset), nil, &page); err != nil {
			return err
		}
		for _, m := range page.Messages {
			n++
			fmt.Fprintf(stdout, "#%d  %s  %s\nTo: %s\nSubject: %s\n\n%s\n\n", m.ID, m.Time, m.Vendor, m.To, m.Subject, strings.TrimRight(m.Body, "\n"))
		}
		if len(page.Messages) < limit || offset+limit >= page.Total {
			break
		}
	}
	if n == 0 {
		fmt.Fprintln(stdout, "(the outbox is empty)")
	}
	if *clearAfter {
		return c.do(ctx, "DELETE", path, nil, nil)
	}
	return nil
}
