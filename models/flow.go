package models

import "github.com/dasim/dasim/sim"

// This file runs step lists: the main flow of an interaction and its
// in-queue steps. A proc is a small interpreter with a stack of frames; it
// runs steps until one makes it wait (a wait, an action call, a pause), and
// an event or a call's end resumes it.

// startFlow starts flow f for interaction i in a new main proc.
func (m *model) startFlow(i, f int32) {
	p := m.procs.alloc()
	m.procs.items[p] = proc{inter: i, frames: m.procs.items[p].frames[:0], calls: m.procs.items[p].calls[:0]}
	m.inters.items[i].proc = p
	m.enterFlow(p, f)
	m.advance(p)
}

// enterFlow points proc p at the start of flow f.
func (m *model) enterFlow(p, f int32) {
	pr := &m.procs.items[p]
	pr.flow = f
	pr.flowStart = m.cal.Now()
	pr.flowFailed = false
	pr.frames = append(pr.frames[:0], frame{list: m.flows[f].list})
}

// leaveFlow records the flow run that proc p is ending now.
func (m *model) leaveFlow(p int32) {
	pr := &m.procs.items[p]
	f := &m.flows[pr.flow]
	f.duration.add(m.w, pr.flowStart, (m.cal.Now() - pr.flowStart).Seconds())
	f.failure.add(m.w, pr.flowStart, pr.flowFailed)
}

// startInQueue starts the in-queue steps of queue q for interaction i.
func (m *model) startInQueue(i, q int32) {
	p := m.procs.alloc()
	m.procs.items[p] = proc{inter: i, inQueue: true, flow: -1,
		frames: m.procs.items[p].frames[:0], calls: m.procs.items[p].calls[:0]}
	m.procs.items[p].frames = append(m.procs.items[p].frames, frame{list: m.queues[q].inQueue})
	m.inters.items[i].inQueue = p
	m.advance(p)
}

// stopProc ends proc p where it stands: a pending wait is cancelled and
// calls still running go on as async calls do.
func (m *model) stopProc(p int32) {
	pr := &m.procs.items[p]
	m.cal.Cancel(pr.wake)
	for _, c := range pr.calls {
		m.calls.items[c].proc = -1
	}
	pr.calls = pr.calls[:0]
	m.procs.release(p)
}

// wake resumes proc p after a wait.
func (m *model) wake(p int32) {
	m.procs.items[p].wake = sim.Handle{}
	m.advance(p)
}

// sleep makes proc p wait d seconds; it reports false when d is zero, so
// the caller runs on at once.
func (m *model) sleep(p int32, d float64) bool {
	if d <= 0 {
		return false
	}
	m.procs.items[p].wake = m.cal.After(sim.Seconds(d), evProcWake, p, 0)
	return true
}

// advance runs proc p's steps until one makes it wait or the proc ends.
func (m *model) advance(p int32) {
	for {
		pr := &m.procs.items[p]
		top := &pr.frames[len(pr.frames)-1]
		list := m.prog.lists[top.list]

		if int(top.pc) >= len(list) {
			if top.rep > 0 {
				top.rep--
				top.pc = 0
				if m.sleep(p, top.every.wait.Sample()) {
					return
				}
				continue
			}
			pr.frames = pr.frames[:len(pr.frames)-1]
			if len(pr.frames) == 0 {
				m.listEnds(p)
				return
			}
			continue
		}

		if now := m.cal.Now(); now != m.instant {
			m.instant, m.instantSteps = now, 0
		}
		if m.instantSteps++; m.instantSteps > maxStepsAtInstant {
			name := ""
			if !pr.inQueue {
				name = m.flows[pr.flow].name
			}
			m.err = &LoopError{Flow: name, At: m.cal.Now().Seconds()}
			return
		}
		s := &list[top.pc]
		top.pc++
		switch s.op {
		case opWait:
			if m.sleep(p, s.wait.Sample()) {
				return
			}
		case opAction, opParallel:
			if m.startStep(p, s) {
				return
			}
		case opAsync:
			m.startCall(s.actions[0], -1, -1, 0)
		case opBranch:
			if s.coin.Float64() < s.prob {
				pr.frames = append(pr.frames, frame{list: s.body})
			}
		case opRepeat:
			pr.frames = append(pr.frames, frame{list: s.body, rep: s.times - 1, every: s})
		case opFlow:
			m.leaveFlow(p)
			m.enterFlow(p, s.target)
		case opQueue:
			i := pr.inter
			m.leaveFlow(p)
			m.inters.items[i].proc = -1
			m.procs.release(p)
			m.enterQueue(i, s.target)
			return
		case opDisconnect:
			i := pr.inter
			m.leaveFlow(p)
			m.inters.items[i].proc = -1
			m.procs.release(p)
			m.finish(i, fateEndedInFlow)
			return
		}
	}
}

// listEnds handles a proc that ran out of steps: a flow that ends without
// queueing ends the interaction; in-queue steps run again after a pause.
func (m *model) listEnds(p int32) {
	pr := &m.procs.items[p]
	i := pr.inter
	if !pr.inQueue {
		m.leaveFlow(p)
		m.inters.items[i].proc = -1
		m.procs.release(p)
		m.finish(i, fateEndedInFlow)
		return
	}
	q := m.inters.items[i].queue
	pr.frames = append(pr.frames, frame{list: m.queues[q].inQueue})
	if m.sleep(p, m.queues[q].every.Sample()) {
		return
	}
	m.advance(p)
}

// startStep starts the calls of an action or parallel step; it reports
// whether the proc must wait for them.
func (m *model) startStep(p int32, s *cstep) bool {
	pr := &m.procs.items[p]
	pr.step = s
	pr.stepStart = m.cal.Now()
	pr.failed, pr.allTO = false, true
	pr.running = true
	for _, a := range s.actions {
		c := m.startCall(a, p, -1, s.timeout)
		if c >= 0 {
			pr = &m.procs.items[p]
			pr.calls = append(pr.calls, c)
		}
	}
	pr = &m.procs.items[p]
	pr.running = false
	if len(pr.calls) > 0 {
		return true
	}
	m.stepDone(p)
	return false
}

// callEnded tells proc p that one of its step's calls ended.
func (m *model) callEnded(p, c int32, out outcome) {
	pr := &m.procs.items[p]
	for k, x := range pr.calls {
		if x == c {
			pr.calls = append(pr.calls[:k], pr.calls[k+1:]...)
			break
		}
	}
	if out != outSuccess {
		pr.failed = true
		if out != outTimeout {
			pr.allTO = false
		}
	}
	if len(pr.calls) > 0 || pr.running {
		return
	}
	m.stepDone(p)
	m.advance(p)
}

// stepDone closes an action or parallel step: it adds the caller's wait and
// takes the failure or timeout path when a call failed.
func (m *model) stepDone(p int32) {
	pr := &m.procs.items[p]
	s := pr.step
	pr.step = nil
	if !pr.inQueue {
		it := &m.inters.items[pr.inter]
		it.actionWait += m.cal.Now() - pr.stepStart
	}
	if !pr.failed {
		return
	}
	pr.flowFailed = true
	path := s.onFail
	if pr.allTO {
		path = s.onTimeout
	}
	if path >= 0 {
		pr.frames = append(pr.frames, frame{list: path})
	}
}
