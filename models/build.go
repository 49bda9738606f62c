package models

import (
	"fmt"

	"github.com/dasim/dasim/sim"
)

// builder holds what building one replication's model needs.
type builder struct {
	sc          *Scenario
	streams     *sim.Streams
	prog        program
	actionIndex map[string]int32
	queueIndex  map[string]int32
	flowIndex   map[string]int32
}

// window is the observation window and interval grid of a scenario.
func (sc *Scenario) window() sim.Window {
	start := sim.Seconds(sc.Start)
	return sim.Window{
		Start:    start,
		From:     start + sim.Seconds(sc.Warmup),
		To:       start + sim.Seconds(sc.Horizon),
		Interval: sim.Seconds(sc.Interval),
	}
}

// newModel builds replication rep of sc: every stream is derived from the
// root seed, the replication and the name of the thing it draws for.
func newModel(sc *Scenario, seed uint64, rep int) *model {
	b := &builder{
		sc:          sc,
		streams:     sim.NewStreams(seed, rep),
		actionIndex: map[string]int32{},
		queueIndex:  map[string]int32{},
		flowIndex:   map[string]int32{},
	}
	for i, a := range sc.Actions {
		b.actionIndex[a.Name] = int32(i)
	}
	for i, q := range sc.Queues {
		b.queueIndex[q.Name] = int32(i)
	}
	for i, f := range sc.Flows {
		b.flowIndex[f.Name] = int32(i)
	}

	w := sc.window()
	m := &model{
		sc:   sc,
		cal:  sim.NewCalendar(),
		w:    w,
		end:  w.To,
		stop: w.To + 24*sim.Hour,
	}
	m.st = interactionStats{
		arrived:    newCounter(w, true),
		answered:   newCounter(w, false),
		abandoned:  newCounter(w, false),
		ended:      newCounter(w, false),
		trans:      newCounter(w, false),
		actionWait: newTally(w, false),
		routing:    newTally(w, true),
	}

	busy := 1.0
	if d := sc.Arrivals.Busyness; d != nil {
		busy = d.Sampler(b.streams.Stream("arrivals.busyness")).Sample()
	}
	end := sc.Start + sc.Horizon
	m.arr = arrivals{
		pieces:  buildPieces(&sc.Arrivals, sc.Start, end, busy),
		t:       sc.Start,
		poisson: sc.Arrivals.Process != "deterministic",
		r:       b.streams.Stream("arrivals"),
		first:   true,
	}

	m.plat = b.platform(w)
	for _, e := range sc.Endpoints {
		m.eps = append(m.eps, b.endpoint(w, e))
	}
	epIndex := map[string]int32{}
	for i, e := range sc.Endpoints {
		epIndex[e.Name] = int32(i)
	}
	for _, a := range sc.Actions {
		m.actions = append(m.actions, b.action(w, a, epIndex[a.Endpoint]))
	}
	for _, f := range sc.Flows {
		m.flows = append(m.flows, flowRT{
			name:     f.Name,
			list:     b.compileSteps(f.Steps, "flows."+f.Name+".steps"),
			duration: newTally(w, false),
			failure:  newRatio(w, false),
		})
	}
	for _, q := range sc.Queues {
		m.queues = append(m.queues, b.queue(w, q))
	}
	m.entry = b.flowIndex[sc.Entry]
	m.prog = b.prog
	return m
}

func (b *builder) limits(w sim.Window, ls []RateLimit) []limitRT {
	var out []limitRT
	for _, l := range ls {
		rt := limitRT{name: l.Name, rej: newRatio(w, true)}
		if l.Kind == "bucket" {
			rt.bucket = sim.NewTokenBucket(l.Rate, l.Burst)
			rt.offered = sim.NewPeakCounter(w, sim.Minute)
		} else {
			rt.window = sim.NewFixedWindow(l.Limit, sim.Seconds(l.Per))
			rt.offered = sim.NewPeakCounter(w, sim.Seconds(l.Per))
		}
		out = append(out, rt)
	}
	return out
}

func (b *builder) platform(w sim.Window) platformRT {
	p := b.sc.Platform
	return platformRT{
		maxInFlight: p.MaxInFlight,
		slots:       newRatio(w, true),
		limits:      b.limits(w, p.RateLimits),
		overhead:    b.sampler(&p.Overhead, "platform.overhead"),
		noOverhead:  p.Overhead.Kind == DistConstant && p.Overhead.Value == 0,
		executions:  newCounter(w, true),
		level:       sim.NewLevel(w),
		perMinute:   sim.NewPeakCounter(w, sim.Minute),
	}
}

func (b *builder) endpoint(w sim.Window, e Endpoint) endpointRT {
	p := "endpoints." + e.Name
	servers := -1
	if e.Workers != nil {
		servers = capacityAt(e.Workers, b.sc.Start)
	}
	return endpointRT{
		name:       e.Name,
		station:    sim.NewStation(w, servers, e.QueueLimit),
		limited:    e.Workers != nil,
		latency:    b.sampler(&e.Latency, p+".latency"),
		errorRate:  e.ErrorRate,
		coin:       b.streams.Stream(p + ".errors"),
		limits:     b.limits(w, e.RateLimits),
		retryAfter: sim.Seconds(e.RetryAfter),
		schedule:   e.Workers,
		requests:   newCounter(w, false),
		rejected:   newRatio(w, false),
		rejQueue:   newRatio(w, false),
		rejRate:    newRatio(w, false),
		errs:       newRatio(w, false),
		wait:       newTally(w, false),
		response:   newTally(w, true),
	}
}

func (b *builder) action(w sim.Window, a Action, endpoint int32) actionRT {
	p := "actions." + a.Name
	rt := actionRT{
		name:       a.Name,
		endpoint:   endpoint,
		timeout:    sim.Seconds(a.Timeout),
		maxRetries: int32(a.Retry.MaxRetries),
		backoff:    a.Retry.Backoff,
		multiplier: a.Retry.Multiplier,
		jitter:     a.Retry.Jitter,
		coin:       b.streams.Stream(p + ".coin"),
		calls:      newCounter(w, false),
		cacheHits:  newCounter(w, false),
		executions: newCounter(w, true),
		retries:    newCounter(w, false),
		latency:    newTally(w, true),
		success:    newRatio(w, true),
		timeouts:   newRatio(w, false),
		rejected:   newRatio(w, false),
		errors:     newRatio(w, false),
		inFlight:   sim.NewLevel(w),
		perMinute:  sim.NewPeakCounter(w, sim.Minute),
	}
	for _, on := range a.Retry.On {
		switch on {
		case "timeout":
			rt.retryOn[outTimeout] = true
		case "rejected":
			rt.retryOn[outRejected] = true
		case "error":
			rt.retryOn[outError] = true
		default:
			panic(fmt.Sprintf("models: retry.on %q survived validation", on))
		}
	}
	if a.Cache != nil {
		rt.cacheHit = a.Cache.HitRatio
		rt.cacheLat = b.sampler(&a.Cache.Latency, p+".cache.latency")
	}
	return rt
}

func (b *builder) queue(w sim.Window, q Queue) queueRT {
	p := "queues." + q.Name
	rt := queueRT{
		name:          q.Name,
		station:       sim.NewStation(w, capacityAt(q.Agents, b.sc.Start), -1),
		handle:        b.sampler(&q.HandleTime, p+".handle_time"),
		target:        sim.Seconds(q.ServiceLevel),
		inQueue:       -1,
		agentWaits:    q.AgentWaits,
		transferQ:     -1,
		transferF:     -1,
		coin:          b.streams.Stream(p + ".transfer"),
		schedule:      q.Agents,
		entries:       newCounter(w, false),
		wait:          newTally(w, true),
		sl:            newRatio(w, true),
		slAnswered:    newRatio(w, false),
		abandoned:     newRatio(w, true),
		onAnswerDelay: newTally(w, false),
	}
	if q.Patience != nil {
		rt.patience = b.sampler(q.Patience, p+".patience")
	}
	if q.InQueue != nil {
		rt.inQueue = b.compileSteps(q.InQueue.Steps, p+".in_queue.steps")
		rt.every = b.sampler(&q.InQueue.Every, p+".in_queue.every")
	}
	for _, a := range q.OnAnswer {
		rt.onAnswer = append(rt.onAnswer, b.actionIndex[a])
	}
	if t := q.Transfer; t != nil {
		rt.transferP = t.Probability
		if k, ok := b.queueIndex[t.To]; ok {
			rt.transferQ = k
		} else {
			rt.transferF = b.flowIndex[t.To]
		}
	}
	return rt
}
