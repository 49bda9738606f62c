// Command dasim simulates Data Action load in a contact center and reports
// whether a scenario holds at peak. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is written into every summary.json.
const version = "0.1.0"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run is the whole program with its streams passed in, so tests can drive
// it; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := &cli.App{
		Name:      "dasim",
		Usage:     "simulate Genesys Cloud Data Action load and find what breaks first",
		Version:   version,
		Writer:    stdout,
		ErrWriter: stderr,
		// Keep control of the exit status: App.Run must return.
		ExitErrHandler: func(*cli.Context, error) {},
		// A --set value is YAML and may hold commas: {dist: constant, value: 2s}.
		DisableSliceFlagSeparator: true,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError(err)
		},
		Commands: []*cli.Command{
			runCommand(),
			checkCommand(),

			reportCommand(),
		},
		CustomAppHelpTemplate: cli.AppHelpTemplate + exitCodesHelp,
	}
	for _, c := range app.Commands {
		// A bad flag value is a usage error: say so on stderr, without
		// dumping the help on stdout, which carries only data.
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			return usageError(err)
		}
	}
	err := app.RunContext(ctx, interspersed(args))
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if ctx.Err() != nil && code != exitUsage {
		code = exitInterrupted
	}
	var slo sloFailed
	if !errors.As(err, &slo) {
		fmt.Fprintln(stderr, message(err))
	}
	return code
}
