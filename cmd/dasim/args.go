package main

import "strings"

// boolFlags are the flags that take no value; every other flag takes one.
var boolFlags = map[string]bool{"help": true, "h": true, "version": true, "v": true}

// interspersed moves a command's flags in front of its arguments, so that
// `dasim run FILE --out DIR` works as well as `dasim run --out DIR FILE`
// (urfave/cli v2 stops reading flags at the first argument). args[0] is
// the program and args[1] the command; everything after "--" stays as is.
func interspersed(args []string) []string {
	if len(args) < 3 || strings.HasPrefix(args[1], "-") {
		return args
	}
	out := []string{args[0], args[1]}
	var positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i:]...)
			i = len(rest)
		case len(a) > 1 && strings.HasPrefix(a, "-"):
			out = append(out, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !boolFlags[name] && i+1 < len(rest) {
				i++
				out = append(out, rest[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	return append(out, positional...)
}
