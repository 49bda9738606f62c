package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dasim/dasim/models"
	"github.com/dasim/dasim/reports"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// runOptions are the flags of `dasim run`.
type runOptions struct {
	file         string
	sets         []string
	out          string
	seed         *uint64
	replications *int
	format       string
}

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "simulate a scenario and write the report bundle",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario key, e.g. --set endpoints.crm.workers=24 (repeatable)"},
			&cli.StringFlag{Name: "out", Usage: "bundle directory", DefaultText: "dasim-out/<scenario file name without .yaml>"},
			&cli.Uint64Flag{Name: "seed", Usage: "root seed", DefaultText: "the scenario's seed, or 1"},
			&cli.IntFlag{Name: "replications", Usage: "independent replications", DefaultText: "the scenario's, or 10"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "what to print: text or json (summary.json)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError(fmt.Errorf("run takes one scenario file, got %d arguments", c.NArg()))
			}
			o := runOptions{
				file:   c.Args().First(),
				sets:   c.StringSlice("set"),
				out:    c.String("out"),
				format: c.String("format"),
			}
			if c.IsSet("seed") {
				s := c.Uint64("seed")
				o.seed = &s
			}
			if c.IsSet("replications") {
				r := c.Int("replications")
				o.replications = &r
			}
			return runScenario(c, o, c.App.Writer, c.App.ErrWriter)
		},
	}
}

// runScenario loads, simulates, writes the bundle and prints the answer.
func runScenario(c *cli.Context, o runOptions, stdout, stderr io.Writer) error {
	if o.format != "text" && o.format != "json" {
		return usageError(fmt.Errorf("--format must be text or json, got %q", o.format))
	}
	sc, err := models.Load(o.file, o.sets)
	if err != nil {
		return err
	}
	if o.seed != nil {
		sc.Seed = *o.seed
	}
	if o.replications != nil {
		if *o.replications < 1 {
			return usageError(fmt.Errorf("--replications must be at least 1, got %d", *o.replications))
		}
		sc.Replications = *o.replications
	}
	out := o.out
	if out == "" {
		base := strings.TrimSuffix(filepath.Base(o.file), filepath.Ext(o.file))
		out = filepath.Join("dasim-out", base)
	}

	began := time.Now()
	opt := models.RunOptions{Seed: sc.Seed, Replications: sc.Replications}
	bar := progress(stderr, sc.Replications)
	if bar != nil {
		opt.Progress = func(done int) { bar.Set(done) }
	}
	res, err := models.Run(c.Context, sc, opt)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	wall := time.Since(began).Seconds()

	sum, err := buildSummary(o.file, sc, res, wall)
	if err != nil {
		return err
	}
	if err := reports.WriteBundle(out, sum); err != nil {
		return ioError(err)
	}
	if err := c.Context.Err(); err != nil {
		// Interrupted while writing: the files already renamed into place
		// are whole; say so by the exit status.
		return err
	}
	if o.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return ioError(err)
		}
	} else if err := reports.WriteTerminal(stdout, sum, out); err != nil {
		return ioError(err)
	}
	if sum.Verdict != "pass" {
		return sloFailed{}
	}
	return nil
}

// progress returns a bar counting replications on w when w is a terminal,
// and nil otherwise, so pipes, files and tests get no control characters.
func progress(w io.Writer, replications int) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(replications,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("simulating replications"),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
