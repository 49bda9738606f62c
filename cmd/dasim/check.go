package main

import (
	"fmt"

	"github.com/dasim/dasim/models"
	"github.com/urfave/cli/v2"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "validate a scenario and print its offered load against every limit, without simulating",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario key (repeatable)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError(fmt.Errorf("check takes one scenario file, got %d arguments", c.NArg()))
			}
			sc, err := models.Load(c.Args().First(), c.StringSlice("set"))
			if err != nil {
				return err
			}
			return models.WriteCheck(c.App.Writer, sc)
		},
	}
}
