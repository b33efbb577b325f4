// Command standin runs local stand-ins for the Clinked, Klipfolio,
// Worksection and WorkDrive APIs, with a control plane and console, and
// drives a running one from the shell.
//
//	standin serve [flags]        start the servers
//	standin ns create|list|…     manage namespaces of a running standin
//	standin clock ID +2h         move a namespace's clock
//	standin outbox ID            print the mail vendors would have sent
//	standin version              print the version
//	standin help                 print every command and flag
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "standin:", err)
		}
		os.Exit(2)
	}
}

// command is a subcommand that talks to the outside world only through its
// arguments, writers and environment.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error

// commands are the subcommands besides serve, version and help. Each lives
// in its own file.
var commands = map[string]command{
	"ns":     runNS,
	"clock":  runClock,
	"outbox": runOutbox,
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, ready func(*server)) error {
	if len(args) == 0 {
		// Bare standin explains itself rather than starting servers.
		usage(stdout)
		return nil
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		cfg, err := parseConfig(args, getenv, stderr)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout, stderr, ready)
	case "export", "import":
		return transfer(ctx, cmd, args, os.Stdin, stdout, stderr, getenv)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "standin", version())
		return nil
	case "help", "--help", "-help", "-h":
		usage(stdout)
		return nil
	}
	if c, ok := commands[cmd]; ok {
		return c(ctx, args, stdout, stderr, getenv)
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}
