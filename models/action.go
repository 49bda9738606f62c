package models

import (
	"math"

	"github.com/dasim/dasim/sim"
)

// This file follows an action call along its path: the cache, then one
// attempt after another through max_in_flight, the platform's rate limits,
// the integration overhead, the endpoint's rate limits, its waiting room
// and a worker. Refusals are immediate; timeouts never free endpoint
// capacity.

// startCall starts a call of action a. p is the proc that waits for it (-1
// for none), i the interaction whose on-answer group it belongs to (-1 for
// none), stepTimeout the caller's bound on the whole call (0 for none). It
// returns the call, or -1 when the call already ended.
func (m *model) startCall(a, p, i int32, stepTimeout sim.Time) int32 {
	now := m.cal.Now()
	c := m.calls.alloc()
	m.calls.items[c] = call{action: a, proc: p, inter: i, start: now, attempt: -1, live: true}
	ac := &m.actions[a]
	ac.calls.inc(m.w, now)

	if stepTimeout > 0 {
		m.calls.items[c].timer = m.cal.After(stepTimeout, evCallTimeout, c, 0)
	}
	if ac.cacheHit > 0 && ac.coin.Float64() < ac.cacheHit {
		ac.cacheHits.inc(m.w, now)
		if d := ac.cacheLat.Sample(); d > 0 {
			m.calls.items[c].pending = m.cal.After(sim.Seconds(d), evCacheDone, c, 0)
		} else {
			m.callDone(c, outSuccess)
		}
	} else {
		m.startAttempt(c)
	}
	if !m.calls.items[c].live {
		return -1
	}
	return c
}

// startAttempt starts one execution of call c.
func (m *model) startAttempt(c int32) {
	now := m.cal.Now()
	cl := &m.calls.items[c]
	ac := &m.actions[cl.action]
	ac.executions.inc(m.w, now)
	if cl.retries > 0 {
		// Filed at the retry's own start, like every execution.
		ac.retries.inc(m.w, now)
	}
	ac.perMinute.Inc(now)
	m.plat.executions.inc(m.w, now)
	m.plat.perMinute.Inc(now)

	t := m.atts.alloc()
	m.atts.items[t] = attempt{call: c, action: cl.action, start: now, req: -1}
	cl.attempt = t

	// max_in_flight: a hard cap, refused at once when full.
	pl := &m.plat
	if pl.maxInFlight > 0 {
		full := pl.inFlight >= pl.maxInFlight
		pl.slots.add(m.w, now, full)
		if full {
			m.refuse(t, false)
			return
		}
	}
	m.atts.items[t].slot = true
	pl.inFlight++
	pl.level.Add(now, 1)
	ac.inFlight.Add(now, 1)
	m.atts.items[t].timer = m.cal.After(ac.timeout, evAttemptTimeout, t, 0)

	for k := range pl.limits {
		l := &pl.limits[k]
		ok := l.take(now)
		l.rej.add(m.w, now, !ok)
		if !ok {
			m.refuse(t, false)
			return
		}
	}
	if !pl.noOverhead {
		if d := pl.overhead.Sample(); d > 0 {
			m.atts.items[t].overhead = m.cal.After(sim.Seconds(d), evOverhead, t, 0)
			return
		}
	}
	m.toEndpoint(t)
}

// toEndpoint takes attempt t through the endpoint's rate limits and into its
// station.
func (m *model) toEndpoint(t int32) {
	now := m.cal.Now()
	at := &m.atts.items[t]
	e := m.actions[at.action].endpoint
	ep := &m.eps[e]
	ep.requests.inc(m.w, now)

	for k := range ep.limits {
		l := &ep.limits[k]
		ok := l.take(now)
		l.rej.add(m.w, now, !ok)
		if !ok {
			ep.rejected.add(m.w, now, true)
			ep.rejRate.add(m.w, now, true)
			ep.rejQueue.add(m.w, now, false)
			m.refuse(t, true)
			return
		}
	}
	r := m.reqs.alloc()
	m.reqs.items[r] = request{attempt: t, endpoint: e, arrived: now}
	admit, _ := ep.station.Arrive(now, r)
	refused := admit == sim.Refused
	ep.rejected.add(m.w, now, refused)
	ep.rejRate.add(m.w, now, false)
	ep.rejQueue.add(m.w, now, refused)
	if refused {
		m.reqs.release(r)
		m.refuse(t, false)
		return
	}
	m.atts.items[t].req = r
	if admit == sim.Served {
		m.serve(e, r)
	}
}

// serve starts request r on a worker of endpoint e.
func (m *model) serve(e, r int32) {
	now := m.cal.Now()
	ep := &m.eps[e]
	rq := &m.reqs.items[r]
	ep.wait.add(m.w, rq.arrived, (now - rq.arrived).Seconds())
	d := sim.Seconds(ep.latency.Sample())
	rq.doneAt = now + d
	m.cal.Schedule(rq.doneAt, evServiceDone, e, r)
}

// serviceDone ends request r at endpoint e, starts the next one waiting,
// and answers the attempt if it still waits.
func (m *model) serviceDone(e, r int32) {
	now := m.cal.Now()
	ep := &m.eps[e]
	rq := m.reqs.items[r]
	ep.response.add(m.w, rq.arrived, (now - rq.arrived).Seconds())
	failed := ep.errorRate > 0 && ep.coin.Float64() < ep.errorRate
	ep.errs.add(m.w, rq.arrived, failed)
	m.reqs.release(r)

	if next, _, ok := ep.station.Depart(now); ok {
		m.serve(e, next)
	}
	if rq.attempt < 0 {
		return
	}
	out := outSuccess
	if failed {
		out = outError
	}
	m.attemptEnds(rq.attempt, out, false)
}

// attemptTimeout fires the action's timeout for attempt t. The first firing
// only re-files it behind whatever else is due at the same instant.
func (m *model) attemptTimeout(t, confirmed int32) {
	at := &m.atts.items[t]
	if confirmed == 0 {
		at.timer = m.confirmLater(evAttemptTimeout, t)
		return
	}
	at.timer = sim.Handle{}
	if at.overhead != (sim.Handle{}) {
		m.cal.Cancel(at.overhead)
		at.overhead = sim.Handle{}
	}
	if at.req >= 0 {
		// The request stays with the endpoint; nobody waits for it now.
		m.reqs.items[at.req].attempt = -1
	}
	m.attemptEnds(t, outTimeout, false)
}

// refuse ends attempt t as rejected at once; byEndpointLimit says whether
// the endpoint's own rate limits refused it (a retry then honours its
// retry_after).
func (m *model) refuse(t int32, byEndpointLimit bool) {
	m.attemptEnds(t, outRejected, byEndpointLimit)
}

// attemptEnds frees attempt t's slot and tells its call.
func (m *model) attemptEnds(t int32, out outcome, byEndpointLimit bool) {
	now := m.cal.Now()
	at := m.atts.items[t]
	if at.slot {
		m.plat.inFlight--
		m.plat.level.Add(now, -1)
		m.actions[at.action].inFlight.Add(now, -1)
	}
	if at.timer != (sim.Handle{}) {
		m.cal.Cancel(at.timer)
	}
	m.atts.release(t)
	if at.call < 0 {
		return
	}
	c := at.call
	cl := &m.calls.items[c]
	cl.attempt = -1
	ac := &m.actions[cl.action]
	if out == outSuccess || cl.retries >= ac.maxRetries || !ac.retryOn[out] {
		m.callDone(c, out)
		return
	}

	cl.retries++
	d := ac.backoff * math.Pow(ac.multiplier, float64(cl.retries-1))
	if ac.jitter > 0 {
		d *= 1 - ac.jitter + 2*ac.jitter*ac.coin.Float64()
	}
	if byEndpointLimit {
		d = max(d, m.eps[ac.endpoint].retryAfter.Seconds())
	}
	if d > 0 {
		cl.pending = m.cal.After(sim.Seconds(d), evBackoff, c, 0)
		return
	}
	m.startAttempt(c)
}

// callTimeout fires a step's timeout on call c: the call ends as a timeout
// and its running attempt, if any, keeps its slot until it ends by itself.
func (m *model) callTimeout(c, confirmed int32) {
	cl := &m.calls.items[c]
	if confirmed == 0 {
		cl.timer = m.confirmLater(evCallTimeout, c)
		return
	}
	cl.timer = sim.Handle{}
	if cl.attempt >= 0 {
		m.atts.items[cl.attempt].call = -1
		cl.attempt = -1
	}
	if cl.pending != (sim.Handle{}) {
		m.cal.Cancel(cl.pending)
		cl.pending = sim.Handle{}
	}
	m.callDone(c, outTimeout)
}

// callDone records call c's outcome and tells whoever waits for it.
func (m *model) callDone(c int32, out outcome) {
	now := m.cal.Now()
	cl := m.calls.items[c]
	if cl.timer != (sim.Handle{}) {
		m.cal.Cancel(cl.timer)
	}
	m.calls.items[c].live = false
	m.calls.release(c)

	ac := &m.actions[cl.action]
	ac.latency.add(m.w, cl.start, (now - cl.start).Seconds())
	ac.success.add(m.w, cl.start, out == outSuccess)
	ac.timeouts.add(m.w, cl.start, out == outTimeout)
	ac.rejected.add(m.w, cl.start, out == outRejected)
	ac.errors.add(m.w, cl.start, out == outError)

	switch {
	case cl.proc >= 0:
		m.callEnded(cl.proc, c, out)
	case cl.inter >= 0:
		m.onAnswerCallEnded(cl.inter)
	}
}
