// Command standin runs local stand-ins for the Clinked, Klipfolio,
// Worksection and WorkDrive APIs, with a control plane and console.
//
//	standin serve [flags]   start the servers
//	standin version         print the version
//	standin help            print every flag
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

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, ready func(*server)) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
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
	default:
		usage(stderr)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
