package models

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pathSeg is one step of a key path: a mapping key, or a list index.
type pathSeg struct {
	key   string
	index int // -1 for a key
}

// parseKeyPath splits "arrivals.bursts[0].multiplier" into its steps.
func parseKeyPath(p string) ([]pathSeg, bool) {
	var segs []pathSeg
	for part := range strings.SplitSeq(p, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key == "" {
			return nil, false
		}
		segs = append(segs, pathSeg{key: key, index: -1})
		if rest == "" && !strings.Contains(part, "[") {
			continue
		}
		// One or more "[n]" after the key; rest starts after the first "[".
		rest = "[" + rest
		for rest != "" {
			if rest[0] != '[' {
				return nil, false
			}
			num, tail, ok := strings.Cut(rest[1:], "]")
			if !ok {
				return nil, false
			}
			i, err := strconv.Atoi(num)
			if err != nil || i < 0 || strings.TrimSpace(num) != num {
				return nil, false
			}
			segs = append(segs, pathSeg{index: i})
			rest = tail
		}
	}
	return segs, len(segs) > 0
}

// applySet applies one --set argument to the document's root mapping. A
// missing mapping key on the way is created; a missing list item is an
// error. Every node the argument brings in is remembered, so that later
// problems with it name the argument.
func (l *loader) applySet(root *yaml.Node, arg string) {
	fail := func(msg string) {
		l.problems = append(l.problems, &FieldError{Field: "--set " + arg, Msg: msg})
	}
	key, val, ok := strings.Cut(arg, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		fail("must be key.path=value, e.g. endpoints.crm.workers=20")
		return
	}
	segs, ok := parseKeyPath(key)
	if !ok {
		fail(fmt.Sprintf("%q is not a key path like endpoints.crm.workers or arrivals.bursts[0].multiplier", key))
		return
	}

	// The value, read as YAML so that "20", "1s" and "{dist: constant,
	// value: 1s}" all work. Nothing may follow it: yaml.Unmarshal would
	// drop ",endpoints.crm.workers=3" after a flow mapping without a word.
	value, msg := oneYAMLValue(val)
	if msg != "" {
		fail("not one YAML value: " + msg)
		return
	}
	mark := setArg{arg: arg}

	cur, path := root, ""
	for i, s := range segs {
		last := i == len(segs)-1
		cur = l.deref(cur)
		if s.index >= 0 {
			p := item(path, s.index)
			if cur.Kind != yaml.SequenceNode {
				fail(fmt.Sprintf("%s is not a list", path))
				return
			}
			if s.index >= len(cur.Content) {
				fail(fmt.Sprintf("%s has no item %d (it has %d)", path, s.index, len(cur.Content)))
				return
			}
			path = p
			if last {
				cur.Content[s.index] = value
				break
			}
			cur = cur.Content[s.index]
			continue
		}

		p := child(path, s.key)
		if cur.Kind != yaml.MappingNode {
			if path == "" {
				path = "the document"
			}
			fail(fmt.Sprintf("%s is not a mapping", path))
			return
		}
		vi := -1
		for j := 0; j+1 < len(cur.Content); j += 2 {
			if l.deref(cur.Content[j]).Value == s.key {
				vi = j + 1
			}
		}
		path = p
		if vi < 0 {
			kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.key}
			next := value
			if !last {
				next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				if segs[i+1].index >= 0 {
					// A list cannot be created item by item.
					fail(fmt.Sprintf("%s does not exist, so it has no item %d", path, segs[i+1].index))
					return
				}
				l.setOf[next] = setArg{arg: arg, path: path}
			}
			l.setOf[kn] = setArg{arg: arg, path: path}
			cur.Content = append(cur.Content, kn, next)
			cur = next
			continue
		}
		if last {
			cur.Content[vi] = value
			break
		}
		if v := l.deref(cur.Content[vi]); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" && segs[i+1].index < 0 {
			// An empty key ("platform:") becomes a mapping to set into.
			next := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: v.Line, Column: v.Column}
			l.setOf[next] = setArg{arg: arg, path: path}
			cur.Content[vi] = next
		}
		cur = cur.Content[vi]
	}

	mark.path = path
	l.markSet(value, mark)
}

// markSet remembers every node of a --set value.
func (l *loader) markSet(n *yaml.Node, s setArg) {
	l.setOf[n] = s
	for _, c := range n.Content {
		l.markSet(c, s)
	}
}

// maxTrailingSearch bounds the length of a --set value whose trailing text
// is looked for (by parsing ever shorter prefixes, so the cost grows with
// the square of the length); longer values get a message without it.
const maxTrailingSearch = 500

// nextSetRE matches text that looks like another --set argument after a
// comma: the CLI once split --set at commas, and no longer does.
var nextSetRE = regexp.MustCompile(`^,\s*[A-Za-z_][A-Za-z0-9_.\[\]]*=`)

// oneYAMLValue reads val as exactly one YAML node with nothing after it.
// An empty value (or only a comment) is null. It returns the node, or ""
// and why val is not one value.
func oneYAMLValue(val string) (*yaml.Node, string) {
	node, err := decodeOne(val)
	if err == nil {
		return node, ""
	}
	if !errors.Is(err, errTrailing) {
		return nil, err.Error()
	}
	// Name the text after the value: it sits after the longest prefix that
	// is one value on its own.
	if len(val) <= maxTrailingSearch {
		for i := len(val) - 1; i > 0; i-- {
			if _, err := decodeOne(val[:i]); err != nil {
				continue
			}
			rest := strings.TrimSpace(val[i:])
			if nextSetRE.MatchString(rest) {
				return nil, fmt.Sprintf("%q follows it; give each key its own --set", rest)
			}
			return nil, fmt.Sprintf("%q follows it", rest)
		}
	}
	return nil, "more text follows it"
}

// errTrailing says that text follows the first YAML value.
var errTrailing = errors.New("text follows the value")

// decodeOne decodes val as one YAML document holding one node, with
// nothing after it. Syntax errors come back as yaml.v3 words them, without
// its line number: a --set value is usually one line.
func decodeOne(val string) (node *yaml.Node, err error) {
	defer func() {
		// As for the file (see loader.decode): a panic in yaml.v3 on odd
		// input is a problem with the input.
		if r := recover(); r != nil {
			node, err = nil, fmt.Errorf("cannot parse YAML: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(val)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, yamlValueError(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, errors.New("it holds more than one YAML document")
	case err != io.EOF:
		// yaml.v3 reads a document lazily, so text after a complete
		// value shows up as an error in the next one.
		return nil, errTrailing
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	return doc.Content[0], nil
}

// yamlValueError rewords a yaml.v3 error about a --set value.
func yamlValueError(err error) error {
	msg := err.Error()
	if m := yamlLineRE.FindString(msg); m != "" {
		msg = msg[len(m):]
	}
	return errors.New(strings.TrimPrefix(msg, "yaml: "))
}
