package models

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// stepKinds are the keys that say what a step does (the bare word
// disconnect is a step too).
var stepKinds = []string{"wait", "action", "parallel", "async", "branch", "repeat", "queue", "disconnect"}

// callKeys are the keys an action or parallel step may have besides its
// kind.
var callKeys = []string{"timeout", "on_failure", "on_timeout"}

// stepCtx is what reading a step list needs to know.
type stepCtx struct {
	ns         *names
	maxTimeout float64
	inQueue    bool // in_queue steps may not queue or disconnect
}

// loopEdge is a move from a flow or queue that every interaction there
// makes: a flow's queue step that nothing before it can avoid, or a
// transfer with probability 1.
type loopEdge struct {
	to   string
	n    *yaml.Node
	path string
	what string // "queue step" or "transfer"
}

// flows reads the flows section: the entry and the named flows.
func (l *loader) flows(n *yaml.Node, ns *names, maxTimeout float64) (string, []Flow) {
	m := l.mapping(n, "flows")
	if m.bad {
		return "", nil
	}
	entry := ""
	if en := m.require("entry"); en != nil {
		if s, ok := l.str(en, "flows.entry"); ok {
			entry = s
			switch {
			case ns.queues[s]:
				l.errAt(en, "flows.entry", fmt.Sprintf("%q is a queue; entry must name a flow", s))
			case !ns.flows[s]:
				l.errAt(en, "flows.entry", unknownRef("flow", s, ns.flows))
			}
		}
	}
	ctx := stepCtx{ns: ns, maxTimeout: maxTimeout}
	out := []Flow{}
	for _, name := range m.orderedKeys() {
		if name == "entry" {
			continue
		}
		p := child("flows", name)
		o := l.object(m.vals[name], p, "steps")
		f := Flow{Name: name}
		if sn := o.require("steps"); sn != nil {
			items, ok := l.list(sn, o.at("steps"))
			if ok && len(items) == 0 {
				l.errAt(sn, o.at("steps"), "a flow needs at least one step")
			}
			f.Steps = l.stepList(items, o.at("steps"), ctx)
			l.flowEdge(name, f.Steps, items, o.at("steps"))
		}
		out = append(out, f)
	}
	return entry, out
}

// steps reads a list of steps; empty reports whether an empty list is
// allowed. The result is never nil.
func (l *loader) steps(n *yaml.Node, path string, ctx stepCtx, empty bool) []Step {
	items, ok := l.list(n, path)
	if !ok {
		return []Step{}
	}
	if len(items) == 0 && !empty {
		l.errAt(n, path, "needs at least one step")
	}
	return l.stepList(items, path, ctx)
}

func (l *loader) stepList(items []*yaml.Node, path string, ctx stepCtx) []Step {
	out := make([]Step, 0, len(items))
	for i, it := range items {
		if s, ok := l.step(it, item(path, i), ctx); ok {
			out = append(out, s)
		}
	}
	return out
}

// step reads one step: the bare word disconnect, or a mapping with exactly
// one kind key (and, for action and parallel, timeout and failure paths).
func (l *loader) step(n *yaml.Node, path string, ctx stepCtx) (Step, bool) {
	n = l.deref(n)
	st := Step{Line: l.line(n)}
	if n.Kind == yaml.ScalarNode {
		if n.Value == "disconnect" && !ctx.inQueue {
			st.Kind = StepDisconnect
			return st, true
		}
		l.stepKindProblem(n, path, n.Value, ctx)
		return st, false
	}
	if n.Kind != yaml.MappingNode {
		l.badValue(n, path, "must be a step, like {action: NAME} or disconnect")
		return st, false
	}
	o := l.mapping(n, path)
	var kinds []string
	for _, k := range o.orderedKeys() {
		if contains(stepKinds, k) {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		if len(o.keys) == 0 {
			l.errAt(n, path, "an empty step; give one of "+strings.Join(stepKinds, ", "))
		}
		for _, k := range o.orderedKeys() {
			l.stepKindProblem(o.keys[k], path, k, ctx)
		}
		return st, false
	case 1:
	default:
		l.errAt(o.keys[kinds[1]], path, fmt.Sprintf("a step does one thing; this one has %s and %s", kinds[0], kinds[1]))
		return st, false
	}
	kind := kinds[0]
	st.Kind = StepKind(kind)
	good := true
	isCall := kind == "action" || kind == "parallel"
	for _, k := range o.orderedKeys() {
		switch {
		case k == kind || isCall && contains(callKeys, k):
		case contains(callKeys, k):
			l.errAt(o.keys[k], path, k+" applies only to action and parallel steps")
			good = false
		default:
			allowed := []string{kind}
			if isCall {
				allowed = append(allowed, callKeys...)
			}
			l.errAt(o.keys[k], path, unknownKey(k, allowed))
			good = false
		}
	}
	if ctx.inQueue && (kind == "queue" || kind == "disconnect") {
		l.errAt(o.keys[kind], path, kind+" is not supported yet in in_queue steps")
		return st, false
	}

	v := o.get(kind)
	at := o.at(kind)
	if v == nil && kind != "disconnect" {
		o.require(kind)
		return st, false
	}
	switch st.Kind {
	case StepWait:
		d, ok := l.distOrDuration(v, at)
		st.Wait, good = &d, good && ok
	case StepAction, StepAsync:
		st.Action = l.actionRef(v, at, ctx.ns)
		good = good && st.Action != ""
	case StepParallel:
		items, ok := l.list(v, at)
		if ok && len(items) == 0 {
			l.errAt(v, at, "needs at least one action")
			ok = false
		}
		for i, it := range items {
			a := l.actionRef(it, item(at, i), ctx.ns)
			ok = ok && a != ""
			st.Parallel = append(st.Parallel, a)
		}
		good = good && ok
	case StepBranch:
		bo := l.object(v, at, "probability", "steps")
		if pn := bo.require("probability"); pn != nil {
			p, ok := l.fraction(pn, bo.at("probability"))
			st.Probability, good = p, good && ok
		} else {
			good = false
		}
		if sn := bo.require("steps"); sn != nil {
			st.Steps = l.steps(sn, bo.at("steps"), ctx, false)
		} else {
			good = false
		}
	case StepRepeat:
		ro := l.object(v, at, "times", "every", "steps")
		if tn := ro.require("times"); tn != nil {
			t, ok := l.integer(tn, ro.at("times"), 1)
			st.Times, good = t, good && ok
		} else {
			good = false
		}
		every := Dist{Kind: DistConstant}
		if en := ro.get("every"); en != nil {
			d, ok := l.distOrDuration(en, ro.at("every"))
			every, good = d, good && ok
		}
		st.Every = &every
		if sn := ro.require("steps"); sn != nil {
			st.Steps = l.steps(sn, ro.at("steps"), ctx, false)
		} else {
			good = false
		}
	case StepQueue:
		if s, ok := l.str(v, at); ok {
			st.Target = s
			if !ctx.ns.routable(s) {
				l.errAt(v, at, unknownRef("queue or flow", s, union(ctx.ns.queues, ctx.ns.flows)))
				good = false
			}
		} else {
			good = false
		}
	case StepDisconnect:
		if v != nil {
			l.badValue(v, at, "takes no value; write the bare word disconnect")
			good = false
		}
	}

	if isCall {
		if tn := o.get("timeout"); tn != nil {
			t, ok := l.positiveDuration(tn, o.at("timeout"))
			if ok && t > ctx.maxTimeout {
				l.badValue(tn, o.at("timeout"), "must be at most platform.data_actions.max_timeout ("+formatSeconds(ctx.maxTimeout)+")")
				ok = false
			}
			st.Timeout, good = t, good && ok
		}
		if fn := o.get("on_failure"); fn != nil {
			st.OnFailure = l.steps(fn, o.at("on_failure"), ctx, true)
		}
		if _, set := o.vals["on_timeout"]; set {
			// Set, even to nothing, it replaces on_failure for timeouts.
			st.OnTimeout = []Step{}
			if tn := o.get("on_timeout"); tn != nil {
				st.OnTimeout = l.steps(tn, o.at("on_timeout"), ctx, true)
			}
		}
	}
	return st, good
}

// stepKindProblem reports a key or word that is not a step kind.
func (l *loader) stepKindProblem(n *yaml.Node, path, k string, ctx stepCtx) {
	if k == "disconnect" && ctx.inQueue {
		l.errAt(n, path, "disconnect is not supported yet in in_queue steps")
		return
	}
	msg := fmt.Sprintf("unknown step %q; a step is one of %s", k, strings.Join(stepKinds, ", "))
	if s, ok := nearest(k, stepKinds); ok {
		msg = fmt.Sprintf("unknown step %q; did you mean %q?", k, s)
	}
	l.errAt(n, path, msg)
}

// actionRef reads the name of an action and checks that it exists; it
// returns "" after reporting a problem.
func (l *loader) actionRef(n *yaml.Node, path string, ns *names) string {
	s, ok := l.str(n, path)
	if !ok {
		return ""
	}
	if !ns.actions[s] {
		l.errAt(n, path, unknownRef("action", s, ns.actions))
		return ""
	}
	return s
}

func union(a, b map[string]bool) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// queues reads the queues section, in file order.
func (l *loader) queues(n *yaml.Node, ns *names, maxTimeout float64) []Queue {
	out := []Queue{}
	if n == nil {
		return out
	}
	m := l.mapping(n, "queues")
	for _, name := range m.orderedKeys() {
		p := child("queues", name)
		o := l.object(m.vals[name], p, "agents", "handle_time", "patience", "service_level",
			"in_queue", "on_answer", "agent_waits_for_on_answer", "transfer")
		q := Queue{Name: name, ServiceLevel: defaultServiceLevel}
		if v := o.require("agents"); v != nil {
			q.Agents = l.capacity(v, o.at("agents"), "agents")
		}
		if v := o.require("handle_time"); v != nil {
			q.HandleTime, _ = l.dist(v, o.at("handle_time"), inSeconds)
		}
		if v := o.get("patience"); v != nil {
			if d, ok := l.dist(v, o.at("patience"), inSeconds); ok {
				q.Patience = &d
			}
		}
		if v := o.get("service_level"); v != nil {
			q.ServiceLevel, _ = l.duration(v, o.at("service_level"))
		}
		if v := o.get("in_queue"); v != nil {
			q.InQueue = l.inQueue(v, o.at("in_queue"), stepCtx{ns: ns, maxTimeout: maxTimeout, inQueue: true})
		}
		if v := o.get("on_answer"); v != nil {
			items, _ := l.list(v, o.at("on_answer"))
			q.OnAnswer = []string{}
			for i, it := range items {
				if a := l.actionRef(it, item(o.at("on_answer"), i), ns); a != "" {
					q.OnAnswer = append(q.OnAnswer, a)
				}
			}
		}
		if v := o.get("agent_waits_for_on_answer"); v != nil {
			q.AgentWaits, _ = l.boolean(v, o.at("agent_waits_for_on_answer"))
		}
		if v := o.get("transfer"); v != nil {
			q.Transfer = l.transfer(name, v, o.at("transfer"), ns)
		}
		out = append(out, q)
	}
	return out
}

// inQueue reads a queue's in-queue flow.
func (l *loader) inQueue(n *yaml.Node, path string, ctx stepCtx) *InQueue {
	o := l.object(n, path, "every", "steps")
	iq := &InQueue{Every: Dist{Kind: DistConstant}, Steps: []Step{}}
	if en := o.require("every"); en != nil {
		if d, ok := l.distOrDuration(en, o.at("every")); ok {
			if d.Mean() <= 0 {
				// Steps that take no time would otherwise run again and
				// again at one instant.
				l.errAt(en, o.at("every"), "must have a mean above 0")
			}
			iq.Every = d
		}
	}
	if sn := o.require("steps"); sn != nil {
		iq.Steps = l.steps(sn, o.at("steps"), ctx, false)
	}
	return iq
}

// transfer reads a queue's transfer and notes a certain one for the loop
// check.
func (l *loader) transfer(queue string, n *yaml.Node, path string, ns *names) *Transfer {
	o := l.object(n, path, "probability", "to")
	t := &Transfer{}
	if pn := o.require("probability"); pn != nil {
		t.Probability, _ = l.fraction(pn, o.at("probability"))
	}
	if tn := o.require("to"); tn != nil {
		if s, ok := l.str(tn, o.at("to")); ok {
			t.To = s
			if !ns.routable(s) {
				l.errAt(tn, o.at("to"), unknownRef("queue or flow", s, union(ns.queues, ns.flows)))
			} else if t.Probability == 1 {
				l.addLoopEdge(queue, loopEdge{to: s, n: n, path: path, what: "transfers 100% to"})
			}
		}
	}
	return t
}

// flowEdge notes the queue step that every run of a flow reaches: the
// first queue step on every path, when no step before it can end the flow
// or send the interaction elsewhere. A certain branch (probability 100%)
// and a repeat run their steps on every path, at least once, so their
// steps count as the flow's own. Steps that might leave (a failure path,
// or an uncertain branch, holding a queue or disconnect step) stop the
// search, so the check never refuses a flow that can leave the loop.
func (l *loader) flowEdge(flow string, steps []Step, items []*yaml.Node, path string) {
	if e, found := l.certainQueue(steps, items, path); found && e != nil {
		l.addLoopEdge(flow, *e)
	}
}

// certainQueue scans steps in order for the first queue step that every
// run reaches. It returns found = true when the scan ended (at that step,
// or at a step that ends or may leave the flow, e = nil then), and false
// when every step was passed without either.
func (l *loader) certainQueue(steps []Step, items []*yaml.Node, path string) (e *loopEdge, found bool) {
	if len(steps) != len(items) {
		return nil, true // some steps had problems, which are reported
	}
	for i, s := range steps {
		p := item(path, i)
		switch {
		case s.Kind == StepQueue:
			return &loopEdge{to: s.Target, n: items[i], path: p, what: "always goes on to"}, true
		case s.Kind == StepDisconnect:
			return nil, true
		case s.Kind == StepBranch && s.Probability == 1 || s.Kind == StepRepeat:
			kind := string(s.Kind)
			inner := l.nestedSteps(items[i], kind)
			if e, found := l.certainQueue(s.Steps, inner, child(child(p, kind), "steps")); found {
				return e, true
			}
		case mayLeave(s):
			return nil, true
		}
	}
	return nil, false
}

// mayLeave reports whether a step holds a queue or disconnect step in any
// of its nested lists.
func mayLeave(s Step) bool {
	for _, list := range [][]Step{s.OnFailure, s.OnTimeout, s.Steps} {
		for _, c := range list {
			if c.Kind == StepQueue || c.Kind == StepDisconnect || mayLeave(c) {
				return true
			}
		}
	}
	return false
}

// nestedSteps returns the items of the steps list under kind in the step
// mapping n ({branch: {steps: [..]}}), or nil when it has none. It reports
// nothing: the step has been read already.
func (l *loader) nestedSteps(n *yaml.Node, kind string) []*yaml.Node {
	v := l.deref(lookup(l.deref(n), kind))
	if v == nil {
		return nil
	}
	list := l.deref(lookup(v, "steps"))
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	items := make([]*yaml.Node, len(list.Content))
	for i, c := range list.Content {
		items[i] = l.deref(c)
	}
	return items
}

// lookup returns the value of key in the mapping n, or nil when n is not a
// mapping or has no such key. It reports nothing.
func lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (l *loader) addLoopEdge(from string, e loopEdge) {
	if l.loops == nil {
		l.loops = map[string]loopEdge{}
	}
	if _, dup := l.loops[from]; !dup {
		l.loopOrder = append(l.loopOrder, from)
	}
	l.loops[from] = e
}

// checkLoops reports each cycle of certain moves between flows and queues:
// an interaction that enters one never leaves it. Every node has at most
// one certain move, so following moves from each node finds every cycle.
func (l *loader) checkLoops() {
	state := map[string]int{} // 0 unseen, 1 on the current walk, 2 finished
	for _, start := range l.loopOrder {
		var walk []string
		at, cycle := start, false
		for {
			if state[at] != 0 {
				cycle = state[at] == 1
				break
			}
			state[at] = 1
			walk = append(walk, at)
			e, ok := l.loops[at]
			if !ok {
				break
			}
			at = e.to
		}
		if cycle {
			// at is on this walk: the cycle runs from it to the walk's end.
			i := 0
			for walk[i] != at {
				i++
			}
			loop := walk[i:]
			var b strings.Builder
			b.WriteString(loop[0])
			for i, name := range loop {
				if i > 0 {
					b.WriteString(", which")
				}
				fmt.Fprintf(&b, " %s %s", l.loops[name].what, loop[(i+1)%len(loop)])
			}
			first := l.loops[loop[0]]
			l.errAt(first.n, first.path, "an endless loop: "+b.String()+
				"; give a transfer a probability below 100% or a way out of a flow")
		}
		for _, name := range walk {
			state[name] = 2
		}
	}
}
