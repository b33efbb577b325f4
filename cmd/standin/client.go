package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// client drives a running standin over its control API (the console port).
type client struct {
	base  string // the console's root URL, without a trailing slash
	token string // the control token, sent as Authorization: Bearer
	http  *http.Client
}

// clientFlags adds the flags every client subcommand shares.
func clientFlags(fs *flag.FlagSet, getenv func(string) string) func() *client {
	def := func(env, fallback string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return fallback
	}
	url := fs.String("url", def("STANDIN_URL", "http://127.0.0.1:8700"), "console URL of the running standin (STANDIN_URL)")
	token := fs.String("control-token", getenv("STANDIN_CONTROL_TOKEN"), "control API token, when the server requires one (STANDIN_CONTROL_TOKEN)")
	return func() *client {
		return &client{base: strings.TrimSuffix(*url, "/"), token: *token, http: &http.Client{Timeout: 2 * time.Minute}}
	}
}

// apiError is the control plane's {"error": "..."} answer.
type apiError struct {
	Status int
	Msg    string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d: %s", e.Status, e.Msg) }

// do sends a request to the control API and decodes a JSON answer into out
// (when out is not nil). A non-2xx answer is an *apiError.
func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil || method == "POST" || method == "PUT" || method == "PATCH" {
		// A guarded control plane wants JSON on every state change, even
		// one without a body.
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	// A standin started a moment ago (`standin serve &`) may not listen
	// yet: a refused connection never reached it, so trying again is safe.
	for wait := 0; err != nil && errors.Is(err, syscall.ECONNREFUSED) && wait < 100; wait++ {
		time.Sleep(100 * time.Millisecond)
		if rd != nil {
			req.Body, _ = req.GetBody()
		}
		res, err = c.http.Do(req)
	}
	if err != nil {
		return fmt.Errorf("cannot reach standin at %s (is `standin serve` running? --url or STANDIN_URL tell where): %w", c.base, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		if res.StatusCode == http.StatusUnauthorized && c.token == "" {
			e.Error += " (set --control-token or STANDIN_CONTROL_TOKEN)"
		}
		return &apiError{Status: res.StatusCode, Msg: e.Error}
	}
	if out == nil || len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("unexpected answer from %s %s: %w", method, path, err)
	}
	return nil
}

// parseSub parses a subcommand's flags, accepting flags after positional
// arguments too (`standin ns delete ID --url …`), and checks the count of
// positional arguments.
func parseSub(fs *flag.FlagSet, args []string, stderr io.Writer, usage string, nargs int) ([]string, error) {
	return parseSubN(fs, args, stderr, usage, nargs, nargs)
}

// parseSubN is parseSub for a command that takes from lo to hi arguments.
func parseSubN(fs *flag.FlagSet, args []string, stderr io.Writer, usage string, lo, hi int) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintf(stderr, "usage: %s\n", usage)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < lo || len(pos) > hi {
		fmt.Fprintf(stderr, "usage: %s\n", usage)
		return nil, errors.New("wrong number of arguments")
	}
	return pos, nil
}
