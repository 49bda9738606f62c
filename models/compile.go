package models

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/dasim/dasim/sim"
)

// This file turns the resolved scenario into the compact, index-based form
// the event handlers walk: every step list gets a number, every name becomes
// an index, and every random draw gets its own named stream, so that a
// change in one part of a scenario leaves the draws of every other part as
// they were (common random numbers across what-if runs).

// opcode is what a compiled step does.
type opcode uint8

const (
	opWait opcode = iota
	opAction
	opParallel
	opAsync
	opBranch
	opRepeat
	opQueue      // hand over to a queue
	opFlow       // leave this flow and start another
	opDisconnect // end the interaction in the flow
)

// cstep is one compiled step.
type cstep struct {
	op      opcode
	wait    Sampler // opWait; opRepeat: the pause between runs (nil = 0)
	actions []int32 // opAction, opAsync: one; opParallel: several
	timeout sim.Time
	// onFail and onTimeout are step lists (-1: none; onTimeout falls back to
	// onFail when the file sets none).
	onFail, onTimeout int32
	prob              float64
	coin              *rand.Rand // opBranch: its own stream
	body              int32      // opBranch, opRepeat: the step list
	times             int32      // opRepeat
	target            int32      // opQueue: queue index; opFlow: flow index
}

// program is every step list of a scenario, compiled.
type program struct {
	lists [][]cstep
}

// compileSteps appends the list and every list inside it; it returns the
// list's number. Samplers draw from streams named after the step's path.
func (b *builder) compileSteps(steps []Step, path string) int32 {
	id := int32(len(b.prog.lists))
	b.prog.lists = append(b.prog.lists, nil)
	out := make([]cstep, len(steps))
	for i, s := range steps {
		p := path + "[" + strconv.Itoa(i) + "]"
		out[i] = b.compileStep(s, p)
	}
	b.prog.lists[id] = out
	return id
}

func (b *builder) compileStep(s Step, path string) cstep {
	c := cstep{onFail: -1, onTimeout: -1, body: -1, target: -1}
	switch s.Kind {
	case StepWait:
		c.op = opWait
		c.wait = b.sampler(s.Wait, path+".wait")
	case StepAction, StepParallel:
		c.op = opAction
		names := []string{s.Action}
		if s.Kind == StepParallel {
			c.op = opParallel
			names = s.Parallel
		}
		for _, n := range names {
			c.actions = append(c.actions, b.actionIndex[n])
		}
		c.timeout = sim.Seconds(s.Timeout)
		if s.OnFailure != nil {
			c.onFail = b.compileSteps(s.OnFailure, path+".on_failure")
		}
		c.onTimeout = c.onFail
		if s.OnTimeout != nil {
			c.onTimeout = b.compileSteps(s.OnTimeout, path+".on_timeout")
		}
	case StepAsync:
		c.op = opAsync
		c.actions = []int32{b.actionIndex[s.Action]}
	case StepBranch:
		c.op = opBranch
		c.prob = s.Probability
		c.coin = b.streams.Stream(path + ".branch")
		c.body = b.compileSteps(s.Steps, path+".branch.steps")
	case StepRepeat:
		c.op = opRepeat
		c.times = int32(s.Times)
		c.wait = b.sampler(s.Every, path+".repeat.every")
		c.body = b.compileSteps(s.Steps, path+".repeat.steps")
	case StepQueue:
		if q, ok := b.queueIndex[s.Target]; ok {
			c.op, c.target = opQueue, q
		} else {
			c.op, c.target = opFlow, b.flowIndex[s.Target]
		}
	case StepDisconnect:
		c.op = opDisconnect
	default:
		panic(fmt.Sprintf("models: step kind %q at %s has no compiled form", s.Kind, path))
	}
	return c
}

// sampler builds the sampler of d on its own stream; nil d samples 0.
func (b *builder) sampler(d *Dist, stream string) Sampler {
	if d == nil {
		return zeroSampler{}
	}
	return d.Sampler(b.streams.Stream(stream))
}

// zeroSampler always draws 0 and uses no randomness.
type zeroSampler struct{}

func (zeroSampler) Sample() float64 { return 0 }
