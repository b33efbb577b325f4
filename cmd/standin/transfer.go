package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// transferUsage documents export and import (shown by their -h).
const transferUsage = `Usage:
  standin export --ns ID [--json] [--url URL] > state.yaml
      write namespace ID of a running standin as a seed document (YAML, or JSON with --json)
  standin import --ns ID [--url URL] state.yaml
      load a seed document (YAML or JSON; "-" reads stdin) into namespace ID

--url is the console's URL (default $STANDIN_URL, else http://127.0.0.1:8700);
--control-token (default $STANDIN_CONTROL_TOKEN) is sent when standin requires one.`

// transfer runs `standin export` and `standin import` against a running
// standin's control plane.
func transfer(ctx context.Context, cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	ns := fs.String("ns", "", "namespace id")
	base := fs.String("url", "", "console URL")
	asJSON := fs.Bool("json", false, "export JSON instead of YAML")
	token := fs.String("control-token", "", "control token")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, transferUsage)
		return err
	}
	if *ns == "" {
		fmt.Fprintln(stderr, transferUsage)
		return errors.New(cmd + ": --ns is required")
	}
	if *base == "" {
		*base = getenv("STANDIN_URL")
	}
	if *base == "" {
		*base = "http://127.0.0.1:8700"
	}
	if *token == "" {
		*token = getenv("STANDIN_CONTROL_TOKEN")
	}
	target := strings.TrimSuffix(*base, "/") + "/_standin/namespaces/" + url.PathEscape(*ns)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var req *http.Request
	var err error
	switch cmd {
	case "export":
		if fs.NArg() != 0 {
			return fmt.Errorf("export takes no arguments, got %q", fs.Args())
		}
		req, err = http.NewRequestWithContext(ctx, "GET", target+"/export", nil)
		if err == nil && *asJSON {
			req.Header.Set("Accept", "application/json")
		}
	default:
		if fs.NArg() != 1 {
			fmt.Fprintln(stderr, transferUsage)
			return errors.New("import: give one file (or - for stdin)")
		}
		var doc []byte
		if fs.Arg(0) == "-" {
			doc, err = io.ReadAll(stdin)
		} else {
			doc, err = os.ReadFile(fs.Arg(0))
		}
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		req, err = http.NewRequestWithContext(ctx, "POST", target+"/seed", bytes.NewReader(doc))
		if err == nil {
			req.Header.Set("Content-Type", "application/yaml") // JSON is YAML too
		}
	}
	if err != nil {
		return err
	}
	if *token != "" {
		req.Header.Set("Authorization", "Bearer "+*token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: is standin running at %s? %w", cmd, *base, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", cmd, res.Status, strings.TrimSpace(string(body)))
	}
	if omitted := res.Header.Get("X-Standin-Export-Omitted"); omitted != "" {
		fmt.Fprintf(stderr, "standin export: not exported yet: %s\n", omitted)
	}
	if cmd == "export" {
		_, err = stdout.Write(body)
		return err
	}
	fmt.Fprintf(stderr, "standin import: loaded into %s\n", *ns)
	return nil
}
