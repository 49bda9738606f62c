package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dasim/dasim/reports"
	"github.com/urfave/cli/v2"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "render a bundle again from its summary.json, without simulating",
		ArgsUsage: "summary.json",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "bundle directory (default: the directory of summary.json)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError(fmt.Errorf("report takes one summary.json, got %d arguments", c.NArg()))
			}
			path := c.Args().First()
			if _, err := os.Stat(path); err != nil {
				return usageError(err)
			}
			s, err := reports.ReadSummary(path)
			if err != nil {
				return usageError(err)
			}
			out := c.String("out")
			if out == "" {
				out = filepath.Dir(path)
			}
			if err := reports.WriteBundle(out, s); err != nil {
				return ioError(err)
			}
			if err := reports.WriteTerminal(c.App.Writer, s, out); err != nil {
				return ioError(err)
			}
			// The exit status repeats the recorded verdict, as run's does.
			if s.Verdict != "pass" {
				return sloFailed{}
			}
			return nil
		},
	}
}
