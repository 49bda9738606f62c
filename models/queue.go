package models

import (
	"math"

	"github.com/dasim/dasim/sim"
)

// This file is routing: queues of interactions served by agents, longest
// waiting first, with abandonment, in-queue steps, on-answer actions and
// transfers.

// enterQueue puts interaction i in queue q.
func (m *model) enterQueue(i, q int32) {
	now := m.cal.Now()
	qu := &m.queues[q]
	it := &m.inters.items[i]
	it.queue = q
	it.entered = now
	qu.entries.inc(m.w, now)

	admit, ticket := qu.station.Arrive(now, i)
	if admit == sim.Served {
		m.answer(i, now)
		return
	}
	it.ticket = ticket
	it.waiting = true
	if qu.patience != nil {
		d := sim.Seconds(qu.patience.Sample())
		it.patience = m.cal.After(d, evPatience, i, 0)
	}
	if qu.inQueue >= 0 {
		m.startInQueue(i, q)
	}
}

// answer gives interaction i, which entered its queue at entered, to an
// agent now.
func (m *model) answer(i int32, entered sim.Time) {
	now := m.cal.Now()
	it := &m.inters.items[i]
	q := it.queue
	qu := &m.queues[q]
	it.waiting = false
	if it.patience != (sim.Handle{}) {
		m.cal.Cancel(it.patience)
		it.patience = sim.Handle{}
	}
	if it.inQueue >= 0 {
		m.stopProc(it.inQueue)
		it.inQueue = -1
	}

	wait := (now - entered).Seconds()
	qu.wait.add(m.w, entered, wait)
	qu.sl.add(m.w, entered, wait <= qu.target.Seconds())
	qu.slAnswered.add(m.w, entered, wait <= qu.target.Seconds())
	qu.abandoned.add(m.w, entered, false)
	if !it.answered {
		it.answered = true
		m.st.routing.add(m.w, it.arrived, (now - it.arrived).Seconds())
	}

	it.answerAt = now
	it.answerQ = q
	it.agentWaits = qu.agentWaits && len(qu.onAnswer) > 0
	waits := it.agentWaits
	if len(qu.onAnswer) == 0 {
		qu.onAnswerDelay.add(m.w, now, 0)
	}
	// Count every call before starting any, so that one ending at once
	// cannot close the group early.
	it.onAnswer += int32(len(qu.onAnswer))
	for _, a := range qu.onAnswer {
		m.startCall(a, -1, i, 0)
	}
	if !waits {
		m.startHandling(i)
	}
}

// onAnswerCallEnded counts down interaction i's on-answer calls.
func (m *model) onAnswerCallEnded(i int32) {
	it := &m.inters.items[i]
	it.onAnswer--
	if it.onAnswer > 0 {
		return
	}
	now := m.cal.Now()
	m.queues[it.answerQ].onAnswerDelay.add(m.w, it.answerAt, (now - it.answerAt).Seconds())
	if it.agentWaits {
		it.agentWaits = false
		m.startHandling(i)
		return
	}
	if it.fate != fateOpen {
		m.release(i)
	}
}

// startHandling starts the agent's handle time for interaction i.
func (m *model) startHandling(i int32) {
	q := m.inters.items[i].queue
	d := sim.Seconds(m.queues[q].handle.Sample())
	m.cal.After(d, evHandleDone, i, q)
}

// handleDone frees the agent of interaction i, answers the next in line,
// and transfers or ends i.
func (m *model) handleDone(i, q int32) {
	now := m.cal.Now()
	qu := &m.queues[q]
	if next, entered, ok := qu.station.Depart(now); ok {
		m.answer(next, entered)
	}
	if qu.transferP > 0 && qu.coin.Float64() < qu.transferP {
		it := &m.inters.items[i]
		if it.transfers == 0 {
			m.st.trans.inc(m.w, it.arrived)
		}
		it.transfers++
		if qu.transferQ >= 0 {
			m.enterQueue(i, qu.transferQ)
		} else {
			it.queue = -1
			m.startFlow(i, qu.transferF)
		}
		return
	}
	m.finish(i, fateAnswered)
}

// patienceEnds makes interaction i abandon its queue, unless an answer due
// at the same instant comes first.
func (m *model) patienceEnds(i, confirmed int32) {
	it := &m.inters.items[i]
	if confirmed == 0 {
		it.patience = m.confirmLater(evPatience, i)
		return
	}
	it.patience = sim.Handle{}
	it.waiting = false
	now := m.cal.Now()
	qu := &m.queues[it.queue]
	qu.station.Remove(now, it.ticket)
	if it.inQueue >= 0 {
		m.stopProc(it.inQueue)
		it.inQueue = -1
	}
	qu.sl.add(m.w, it.entered, false)
	qu.abandoned.add(m.w, it.entered, true)
	m.finish(i, fateAbandoned)
}

// finish gives interaction i its final fate and records it.
func (m *model) finish(i int32, f fate) {
	it := &m.inters.items[i]
	it.fate = f
	switch f {
	case fateAnswered:
		m.st.answered.inc(m.w, it.arrived)
	case fateAbandoned:
		m.st.abandoned.inc(m.w, it.arrived)
	case fateEndedInFlow:
		m.st.ended.inc(m.w, it.arrived)
	}
	m.st.actionWait.add(m.w, it.arrived, it.actionWait.Seconds())
	if it.onAnswer == 0 {
		m.release(i)
	}
}

// release returns interaction i's slot to the pool.
func (m *model) release(i int32) {
	m.inters.items[i].open = false
	m.inters.release(i)
}

// scheduleCapacities files the first change of every agent and worker
// schedule after the start.
func (m *model) scheduleCapacities() {
	for q := range m.queues {
		m.nextCapacity(int32(q), m.queues[q].schedule)
	}
	for e := range m.eps {
		if m.eps[e].limited {
			m.nextCapacity(int32(len(m.queues)+e), m.eps[e].schedule)
		}
	}
}

// nextCapacity files the next change of a daily schedule after now.
func (m *model) nextCapacity(station int32, sched []Capacity) {
	if len(sched) < 2 {
		return
	}
	now := m.cal.Now().Seconds()
	day := math.Floor(now / 86400)
	for d := day; d <= day+1; d++ {
		for k, c := range sched {
			t := d*86400 + c.Start
			if at := sim.Seconds(t); at > m.cal.Now() && at < m.stop {
				m.cal.Schedule(at, evCapacity, station, int32(k))
				return
			}
		}
	}
}

// capacityAt is the number of servers a daily schedule gives at t seconds.
func capacityAt(sched []Capacity, t float64) int {
	tod := math.Mod(t, 86400)
	n := sched[len(sched)-1].N // the last entry holds until the first of the next day
	for _, c := range sched {
		if c.Start <= tod {
			n = c.N
		}
	}
	return n
}

// capacityChange applies entry k of a station's schedule.
func (m *model) capacityChange(station, k int32) {
	now := m.cal.Now()
	if int(station) < len(m.queues) {
		qu := &m.queues[station]
		qu.station.SetServers(now, qu.schedule[k].N, func(i int32, entered sim.Time) {
			m.answer(i, entered)
		})
		m.nextCapacity(station, qu.schedule)
		return
	}
	e := station - int32(len(m.queues))
	ep := &m.eps[e]
	ep.station.SetServers(now, ep.schedule[k].N, func(r int32, _ sim.Time) {
		m.serve(e, r)
	})
	m.nextCapacity(station, ep.schedule)
}
