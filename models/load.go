package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FieldError is one problem at one place: a key or value of the scenario
// file, a cell of a CSV file, or a --set argument.
type FieldError struct {
	// File is the scenario or CSV path as the user gave it; "" for a
	// problem with a --set argument.
	File string
	// Line and Col are 1-based; 0 when unknown. For a CSV file Col is the
	// field number.
	Line, Col int
	// Field is the dotted key path ("endpoints.crm.workers", list items as
	// "steps[2]"), the CSV column name, or "--set key=value".
	Field string
	Msg   string
}

// Error formats the problem like compiler output, so that editors can jump
// to it: "seed.yaml:14:14: endpoints.crm.workers: must be a positive
// integer, got -3". Parts that are unknown are left out.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// InputError is every problem found in a scenario and the files it names,
// sorted by file, line and column.
type InputError struct {
	Problems []*FieldError
}

// Error writes one line per problem.
func (e *InputError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, for errors.As.
func (e *InputError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Load reads the scenario file at path, applies the --set overrides in
// order ("key.path=value", list items as "bursts[0].multiplier"; the value
// is read as YAML and must be exactly one YAML value, so one argument sets
// one key), validates it and resolves every default and unit.
// Relative CSV paths resolve against the file's directory. Any problem
// with the input gives an *InputError that lists all of them.
func Load(path string, sets []string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		msg := err.Error()
		var pe *os.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &InputError{Problems: []*FieldError{{File: path, Msg: "cannot read: " + msg}}}
	}
	return Parse(path, data, filepath.Dir(path), sets)
}

// Parse is [Load] on bytes already read: file names the scenario in
// messages and dir is where relative CSV paths resolve.
func Parse(file string, data []byte, dir string, sets []string) (*Scenario, error) {
	l := &loader{file: file, dir: dir, setOf: map[*yaml.Node]setArg{}}
	sum := sha256.Sum256(data)

	root := l.decode(data)
	if root != nil {
		for _, s := range sets {
			l.applySet(root, s)
		}
	}
	var sc *Scenario
	if root != nil && len(l.problems) == 0 {
		sc = l.scenario(root)
	}
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			a, b := l.problems[i], l.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, &InputError{Problems: l.problems}
	}
	sc.File = file
	sc.Dir = dir
	sc.SHA256 = hex.EncodeToString(sum[:])
	sc.Warnings = l.warnings
	if err := sc.Validate(); err != nil {
		// The loader checks everything Validate does, with positions; a
		// difference between them is a bug in this package, not an input
		// problem, so it is not an *InputError.
		return nil, fmt.Errorf("models: %s: the loaded scenario fails validation: %w", file, err)
	}
	return sc, nil
}

// loader collects the problems and warnings of one Parse.
type loader struct {
	file, dir string
	problems  []*FieldError
	warnings  []string
	// setOf marks the nodes that came from --set arguments, so that their
	// problems name the argument instead of a line of the file.
	setOf map[*yaml.Node]setArg
	// aliases counts alias dereferences, to refuse alias bombs.
	aliases int
	// maps caches the keys of each mapping read, so that a mapping read
	// twice (names first, then contents) reports its problems once.
	maps map[*yaml.Node]*obj
	// loops are the certain moves between flows and queues, by source
	// name in file order, for the check against endless loops.
	loops     map[string]loopEdge
	loopOrder []string
}

// setArg is one --set argument and the key path it sets.
type setArg struct {
	arg, path string
}

// maxAliases bounds how many times the loader follows YAML aliases: a small
// file of nested aliases can otherwise expand exponentially.
const maxAliases = 10000

// nullNode stands in for values the loader cannot or will not read.
var nullNode = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}

// yamlParserProblems start the messages of yaml.v3's parser errors.
var yamlParserProblems = []string{"did not find expected", "found duplicate %",
	"found incompatible YAML document", "found undefined tag handle"}

// yamlLineRE finds the line number in yaml.v3's error messages.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// decode parses data into the root mapping node (an empty mapping for an
// empty file), or reports the syntax error and returns nil.
func (l *loader) decode(data []byte) (root *yaml.Node) {
	defer func() {
		// yaml.v3 has had panics on malformed input; a scenario file is
		// input, so a panic there is an input problem, not our crash.
		if r := recover(); r != nil {
			l.problems = append(l.problems, &FieldError{File: l.file, Msg: fmt.Sprintf("cannot parse YAML: %v", r)})
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		l.yamlError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		l.problems = append(l.problems, &FieldError{File: l.file, Line: extra.Line, Col: extra.Column,
			Msg: "a scenario is one YAML document; remove the \"---\" and what follows"})
		return nil
	} else if err != io.EOF {
		l.yamlError(err)
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	}
	return doc.Content[0]
}

// yamlError turns a yaml.v3 syntax error into a problem with a line.
func (l *loader) yamlError(err error) {
	msg := err.Error()
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	// yaml.v3 numbers lines from 0 in parser errors (not in scanner
	// errors), and leaves the line out when it is 0.
	for _, p := range yamlParserProblems {
		if strings.HasPrefix(msg, p) {
			line++
			break
		}
	}
	l.problems = append(l.problems, &FieldError{File: l.file, Line: line, Msg: msg})
}

// deref follows aliases to the node they name.
func (l *loader) deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		l.aliases++
		if l.aliases == maxAliases {
			l.errAt(n, "", fmt.Sprintf("more than %d alias uses; expand the aliases", maxAliases))
		}
		if l.aliases >= maxAliases || n.Alias == nil {
			return nullNode
		}
		n = n.Alias
	}
	return n
}

// errAt records msg as a problem with the value at n, whose key path is
// path. Problems with nodes that a --set argument made name the argument.
func (l *loader) errAt(n *yaml.Node, path, msg string) {
	if s, ok := l.setOf[n]; ok {
		if path != s.path && path != "" {
			msg = path + ": " + msg
		}
		l.problems = append(l.problems, &FieldError{Field: "--set " + s.arg, Msg: msg})
		return
	}
	l.problems = append(l.problems, &FieldError{File: l.file, Line: n.Line, Col: n.Column, Field: path, Msg: msg})
}

// line is the line of n in the file, or 0 when a --set argument made n.
func (l *loader) line(n *yaml.Node) int {
	if _, ok := l.setOf[n]; ok {
		return 0
	}
	return n.Line
}

// errNamed is [loader.errAt] for a problem that concerns more than the
// value at n (the interval and the horizon together, say): the message
// always names path, even when a --set argument for path itself made n.
func (l *loader) errNamed(n *yaml.Node, path, msg string) {
	if s, ok := l.setOf[n]; ok {
		l.problems = append(l.problems, &FieldError{Field: "--set " + s.arg, Msg: path + ": " + msg})
		return
	}
	l.errAt(n, path, msg)
}

// fromSet reports whether a --set argument made n.
func (l *loader) fromSet(n *yaml.Node) bool {
	_, ok := l.setOf[n]
	return ok
}

// badValue records that the value at n is not what want says; the message
// ends with the value, from the file or from a --set argument alike.
func (l *loader) badValue(n *yaml.Node, path, want string) {
	l.errAt(n, path, want+", got "+describe(n))
}

// describe writes a value as a message quotes it: numbers bare, other
// scalars quoted, collections by kind.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float", "!!bool":
			return n.Value
		case "!!null":
			return "nothing"
		}
		// A well-formed literal that is out of range reads better bare:
		// "got 90s" rather than "got \"90s\"".
		if _, err := parseDuration(n.Value); err == nil {
			return n.Value
		}
		if _, err := parseRate(n.Value); err == nil {
			return n.Value
		}
	}
	return strconv.Quote(n.Value)
}

// child is the key path of key under path.
func child(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// item is the key path of the i-th item of the list at path.
func item(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// obj is a mapping being read, with the keys it may hold.
type obj struct {
	l    *loader
	n    *yaml.Node
	path string
	bad  bool // not a mapping: reading it gives nothing and reports nothing
	vals map[string]*yaml.Node
	keys map[string]*yaml.Node
}

// object reads n as a mapping whose keys must be among allowed; it reports
// a value that is not a mapping, unknown keys (suggesting the nearest
// allowed one) and duplicate keys.
func (l *loader) object(n *yaml.Node, path string, allowed ...string) *obj {
	o := l.mapping(n, path)
	for k, kn := range o.keys {
		if !contains(allowed, k) {
			l.errAt(kn, path, unknownKey(k, allowed))
		}
	}
	return o
}

// mapping reads n as a mapping with any keys.
func (l *loader) mapping(n *yaml.Node, path string) *obj {
	n = l.deref(n)
	if c, ok := l.maps[n]; ok {
		return &obj{l: l, n: n, path: path, bad: c.bad, vals: c.vals, keys: c.keys}
	}
	o := &obj{l: l, n: n, path: path, vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	if l.maps == nil {
		l.maps = map[*yaml.Node]*obj{}
	}
	l.maps[n] = o
	if n.Kind != yaml.MappingNode {
		l.badValue(n, path, "must be a mapping")
		o.bad = true
		return o
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := l.deref(n.Content[i])
		k := kn.Value
		if kn.Kind != yaml.ScalarNode {
			l.errAt(kn, path, "keys must be plain words, got "+describe(kn))
			continue
		}
		if prev, dup := o.keys[k]; dup {
			l.errAt(kn, path, fmt.Sprintf("key %q appears twice (first on line %d)", k, prev.Line))
			continue
		}
		o.keys[k] = kn
		o.vals[k] = n.Content[i+1]
	}
	return o
}

// orderedKeys returns the mapping's keys in file order.
func (o *obj) orderedKeys() []string {
	ks := make([]string, 0, len(o.keys))
	for k := range o.keys {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := o.keys[ks[i]], o.keys[ks[j]]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return ks
}

// get returns the value of key, or nil when the key is absent or its value
// is null.
func (o *obj) get(key string) *yaml.Node {
	v, ok := o.vals[key]
	if !ok {
		return nil
	}
	v = o.l.deref(v)
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
		return nil
	}
	return v
}

// require returns the value of key and reports it missing when it is.
func (o *obj) require(key string) *yaml.Node {
	v := o.get(key)
	if v == nil && !o.bad {
		if _, ok := o.keys[key]; ok {
			o.l.errAt(o.keyAt(key), child(o.path, key), "needs a value")
		} else {
			o.l.errAt(o.n, child(o.path, key), "required")
		}
	}
	return v
}

// keyAt is where a problem with key as a whole is reported: its value when
// a --set argument gave that value (the key may still be the file's), else
// the key in the file. The key must be present.
func (o *obj) keyAt(key string) *yaml.Node {
	if v := o.vals[key]; v != nil && o.l.fromSet(v) {
		return v
	}
	return o.keys[key]
}

// at is the key path of key in this mapping.
func (o *obj) at(key string) string { return child(o.path, key) }

// unknownKey writes the message for a key not in allowed, suggesting the
// nearest allowed key when it is close.
func unknownKey(k string, allowed []string) string {
	if s, ok := nearest(k, allowed); ok {
		return fmt.Sprintf("unknown key %q; did you mean %q?", k, s)
	}
	if len(allowed) > 16 {
		return fmt.Sprintf("unknown key %q", k)
	}
	return fmt.Sprintf("unknown key %q (valid: %s)", k, strings.Join(allowed, ", "))
}

// nearest returns the candidate closest to s by edit distance when it is
// close enough to be a likely typo: at most 2 edits, or a third of s.
func nearest(s string, cands []string) (string, bool) {
	best, bestD := "", -1
	for _, c := range cands {
		if d := editDistance(s, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > max(2, len(s)/3) || bestD >= len(s) {
		return "", false
	}
	return best, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// list reads n as a YAML list and returns its items (aliases followed).
func (l *loader) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	n = l.deref(n)
	if n.Kind != yaml.SequenceNode {
		l.badValue(n, path, "must be a list")
		return nil, false
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = l.deref(c)
	}
	return items, true
}

// scalar reads n as a scalar and reports anything else with want.
func (l *loader) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		l.badValue(n, path, want)
		return "", false
	}
	return n.Value, true
}

// The readers below each take a value node and its path, report a value of
// the wrong form, and return ok = false then.

const (
	wantDuration = "must be a duration like 150ms, 30s or 6m"
	wantRate     = "must be a rate like 2.5/s, 300/min or 9000/h"
	wantFraction = "must be a fraction like 0.5% or 0.005, between 0 and 1"
	wantClock    = "must be a clock time like \"09:30\""
	wantNumber   = "must be a number"
	wantPosInt   = "must be a positive integer"
	wantNonNeg   = "must be a non-negative integer"
	wantBool     = "must be true or false"
	wantString   = "must be a string"
	wantName     = "must be a name: a lowercase letter, then lowercase letters, digits or _"
)

// duration reads a duration of at least 0 seconds.
func (l *loader) duration(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, wantDuration)
	if !ok {
		return 0, false
	}
	v, err := parseDuration(s)
	if err != nil {
		l.badValue(n, path, wantDuration)
		return 0, false
	}
	if v < 0 {
		l.badValue(n, path, "must not be negative")
		return 0, false
	}
	return v, true
}

// positiveDuration reads a duration greater than 0.
func (l *loader) positiveDuration(n *yaml.Node, path string) (float64, bool) {
	v, ok := l.duration(n, path)
	if ok && v <= 0 {
		l.badValue(n, path, "must be longer than 0")
		return 0, false
	}
	return v, ok
}

// rate reads a rate greater than 0, per second.
func (l *loader) rate(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, wantRate)
	if !ok {
		return 0, false
	}
	v, err := parseRate(s)
	if err != nil {
		l.badValue(n, path, wantRate)
		return 0, false
	}
	if v <= 0 {
		l.badValue(n, path, "must be greater than 0")
		return 0, false
	}
	return v, true
}

// fraction reads a fraction in 0..1.
func (l *loader) fraction(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, wantFraction)
	if !ok {
		return 0, false
	}
	v, err := parseFraction(s)
	if err != nil {
		l.badValue(n, path, wantFraction)
		return 0, false
	}
	return v, true
}

// clock reads a clock time, in seconds after 00:00.
func (l *loader) clock(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, wantClock)
	if !ok {
		return 0, false
	}
	v, err := parseClock(s)
	if err != nil {
		l.badValue(n, path, wantClock)
		return 0, false
	}
	return v, true
}

// number reads a finite number without a unit.
func (l *loader) number(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, wantNumber)
	if !ok {
		return 0, false
	}
	v, err := parseNumber(s)
	if err != nil {
		l.badValue(n, path, wantNumber)
		return 0, false
	}
	return v, true
}

// integer reads an integer of at least lo (0 or 1), with the message that
// fits lo.
func (l *loader) integer(n *yaml.Node, path string, lo int) (int, bool) {
	want := wantPosInt
	if lo <= 0 {
		want = wantNonNeg
	}
	s, ok := l.scalar(n, path, want)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < lo {
		l.badValue(n, path, want)
		return 0, false
	}
	return v, true
}

// seed reads a non-negative integer in the range of uint64.
func (l *loader) seed(n *yaml.Node, path string) (uint64, bool) {
	s, ok := l.scalar(n, path, wantNonNeg)
	if !ok {
		return 0, false
	}
	// ParseUint, unlike Atoi, refuses a sign; a leading + is harmless.
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "+"), 10, 64)
	if err != nil {
		msg := wantNonNeg
		if errors.Is(err, strconv.ErrRange) {
			msg += " of at most 18446744073709551615"
		}
		l.badValue(n, path, msg)
		return 0, false
	}
	return v, true
}

// boolean reads true or false.
func (l *loader) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := l.scalar(n, path, wantBool)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	l.badValue(n, path, wantBool)
	return false, false
}

// str reads a string.
func (l *loader) str(n *yaml.Node, path string) (string, bool) {
	return l.scalar(n, path, wantString)
}

// name reads a name that follows the naming rule.
func (l *loader) name(n *yaml.Node, path string) (string, bool) {
	s, ok := l.scalar(n, path, wantName)
	if ok && !validName(s) {
		l.badValue(n, path, wantName)
		return "", false
	}
	return s, ok
}
