package main

import (
	"context"
	"errors"
	"strings"

	"github.com/dasim/dasim/models"
)

// Exit statuses. They are part of the command-line contract and are never
// renumbered.
const (
	exitOK          = 0   // ran, and every SLO holds (or none is given)
	exitSLO         = 1   // ran, and an SLO failed
	exitUsage       = 2   // bad usage or invalid input; nothing written
	exitIO          = 3   // reading or writing files failed
	exitInternal    = 4   // a bug in dasim
	exitInterrupted = 130 // interrupted
)

const exitCodesHelp = `
EXIT STATUS:
   0    ran, and every SLO holds (or none is given)
   1    an SLO failed (the bundle is written)
   2    usage error or invalid input (nothing is written)
   3    I/O error
   4    internal error
   130  interrupted
`

// codedError carries the exit status an error should give.
type codedError struct {
	code int
	err  error
}

func (e codedError) Error() string { return e.err.Error() }
func (e codedError) Unwrap() error { return e.err }

func usageError(err error) error { return codedError{exitUsage, err} }
func ioError(err error) error    { return codedError{exitIO, err} }

// sloFailed is returned when a run worked but an SLO failed; the terminal
// output already says which, so nothing more is printed.
type sloFailed struct{}

func (sloFailed) Error() string { return "an SLO failed" }

// exitCode chooses the exit status of err.
func exitCode(err error) int {
	var c codedError
	var in *models.InputError
	var slo sloFailed
	var loop *models.LoopError
	switch {
	case errors.As(err, &slo):
		return exitSLO
	case errors.As(err, &in), errors.As(err, &loop):
		return exitUsage
	case errors.As(err, &c):
		return c.code
	}
	// urfave/cli reports unknown flags and commands as plain errors.
	msg := err.Error()
	if strings.Contains(msg, "flag provided but not defined") || strings.Contains(msg, "No help topic") ||
		strings.Contains(msg, "invalid value") || strings.Contains(msg, "flag needs an argument") {
		return exitUsage
	}
	return exitInternal
}

// message is what the user reads on stderr: one line per problem.
func message(err error) string {
	var in *models.InputError
	if errors.As(err, &in) {
		return in.Error()
	}
	if errors.Is(err, context.Canceled) {
		return "dasim: interrupted; only files already complete were kept"
	}
	return "dasim: " + err.Error()
}
