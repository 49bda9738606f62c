package models

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// This file is `dasim check`: an offered-load analysis of a scenario by
// arithmetic alone. It finds the peak arrival rate, counts the Data Action
// calls an interaction makes, and sets the resulting load against every
// limit with steady-state queueing formulas (erlang.go). It runs no
// simulation; its numbers point at what to look at, and the simulation
// gives the answer.

// CheckReport is the offered-load analysis of a scenario, as [Analyze]
// computes it and [WriteCheck] prints it. Rates are per second unless a
// field says otherwise; "at peak" means at the highest arrival rate of the
// run, from [ArrivalCheck.PeakFrom] on.
type CheckReport struct {
	Name      string
	File      string
	Arrivals  ArrivalCheck
	Actions   []ActionCheck // in file order
	Platform  PlatformCheck
	Endpoints []EndpointCheck // in file order
	Queues    []QueueCheck    // in file order
	// Findings are the peak usages of every limit (and of overloaded
	// queues), highest first.
	Findings []Finding
	// Notes state the approximations the analysis made, in sentences.
	Notes []string
}

// ArrivalCheck describes the arrival rate over the run.
type ArrivalCheck struct {
	Source  string // how the arrivals are given, as the loader describes it
	Process string
	Start   float64 // s on the timeline
	End     float64 // Start + Horizon
	Warmup  float64 // s
	// Busyness is the mean of the per-replication multiplier (1 when none);
	// every rate below includes it.
	Busyness float64
	MeanRate float64 // mean over [Start, End)
	Total    float64 // expected interactions over the run
	PeakRate float64 // highest rate: base × scale × busyness × bursts
	PeakFrom float64 // s on the timeline where the peak rate first holds
	PeakTo   float64 // where that stretch of peak rate ends
	// Interval is the length of the clock-aligned reporting interval, and
	// BusiestStart the start of the interval with the most expected
	// arrivals, BusiestCount of them.
	Interval     float64
	BusiestStart float64
	BusiestCount float64
}

// ActionCheck is the expected load of one action at peak.
type ActionCheck struct {
	Name     string
	Endpoint string
	// PerInteraction is the expected number of calls per arriving
	// interaction: flow steps, on_answer, in_queue and transferred
	// interactions included.
	PerInteraction float64
	// InQueue is the part of PerInteraction made by in_queue steps, which
	// depends on the queue's wait at peak and is approximate.
	InQueue          float64
	CallsPerSec      float64 // at peak
	HitRatio         float64 // cache hit ratio, 0 without a cache
	ExecutionsPerMin float64 // calls × (1 − hit ratio) × 60, retries excluded
	// AttemptTime is the mean time an attempt holds a platform slot:
	// overhead plus the endpoint's response (latency and estimated wait),
	// capped at the action's timeout.
	AttemptTime float64
	InFlight    float64 // executions/s × AttemptTime (Little's law)
}

// PlatformCheck is the org-wide Data Action load at peak.
type PlatformCheck struct {
	ExecutionsPerMin float64
	Limits           []LimitCheck // the platform's rate_limits
	// InFlight is the mean number of attempts holding a slot, by Little's
	// law; MaxInFlight is the limit, 0 for none.
	InFlight    float64
	MaxInFlight int
}

// LimitCheck sets one rate limit against the executions offered to it.
type LimitCheck struct {
	Name string
	Kind string // "bucket" or "window"
	// Limit and Per are a window's admissions per Per seconds; Burst is a
	// bucket's capacity.
	Limit int
	Per   float64
	Burst float64
	// PerMinute is the limit's sustained capacity per minute: a bucket's
	// rate × 60, a window's Limit × 60 / Per.
	PerMinute float64
	Offered   float64 // executions or requests per minute at peak
	Usage     float64 // Offered / PerMinute
}

// EndpointCheck is the expected load of one endpoint at peak.
type EndpointCheck struct {
	Name           string
	RequestsPerSec float64 // executions of every action on it
	MeanLatency    float64 // s, service time at a worker
	OfferedLoad    float64 // Erlangs: RequestsPerSec × MeanLatency
	// Unlimited is set when the endpoint has no worker limit; the worker
	// fields are then 0.
	Unlimited              bool
	WorkersMin, WorkersMax int // over the daily schedule
	Workers                int // in force at peak
	Utilization            float64
	Overloaded             bool // offered load >= workers at peak
	// Wait is the Allen–Cunneen estimate of the mean wait for a worker, s;
	// +Inf when overloaded, 0 when unlimited.
	Wait float64
	// QueueLimit is -1 for none; QueueRefused is the M/M/c/K estimate of
	// the fraction of requests it refuses.
	QueueLimit   int
	QueueRefused float64
	Limits       []LimitCheck
}

// QueueCheck is the steady-state estimate of one queue at peak.
type QueueCheck struct {
	Name string
	// PerInteraction is the expected number of entries into this queue per
	// arriving interaction, transfers included.
	PerInteraction float64
	ArrivalRate    float64 // entries per second at peak
	// MeanHandle is the mean busy time of an agent per interaction, s:
	// handle time, plus the on-answer actions when the agent waits for them.
	MeanHandle  float64
	OfferedLoad float64 // Erlangs: ArrivalRate × MeanHandle
	Agents      int     // in force at peak
	Occupancy   float64 // OfferedLoad / Agents (may exceed 1)
	Overloaded  bool    // OfferedLoad >= Agents
	// Erlang C (nobody abandons): probability of waiting, mean wait over
	// all entries, and service level at Target.
	PWait        float64
	MeanWait     float64
	ServiceLevel float64
	Target       float64
	// Abandon is the Erlang A estimate with exponential patience of mean
	// PatienceMean; nil when the queue has no patience.
	Abandon             *ErlangAResult
	PatienceMean        float64
	PatienceExponential bool
	AbandonSL           float64 // Erlang A service level at Target
}

// Finding is the peak usage of one limit.
type Finding struct {
	Usage float64 // fraction of the limit used at peak; 1 is all of it
	Level string  // "will break" (Usage >= 1), "at risk" (>= 0.8) or "ok"
	Text  string  // e.g. "org_volume 48% of 2,500/min at 10:00"
}

// WriteCheck writes the offered-load analysis of a valid scenario to w, as
// aligned plain text: no simulation, only arithmetic (see [Analyze]).
func WriteCheck(w io.Writer, sc *Scenario) error {
	var buf bytes.Buffer
	Analyze(sc).write(&buf)
	_, err := w.Write(buf.Bytes())
	return err
}

// Analyze computes the offered-load analysis of a valid scenario: the peak
// arrival rate, the expected calls of every action, and the load at peak on
// every platform limit, endpoint and queue. Everything is a steady-state
// estimate at the peak rate; see [CheckReport].
func Analyze(sc *Scenario) CheckReport {
	ca := &checkAnalysis{sc: sc}
	r := CheckReport{Name: sc.Name, File: sc.File}
	r.Arrivals = checkArrivals(sc)
	peak, at := r.Arrivals.PeakRate, r.Arrivals.PeakFrom

	ca.note("Calls on on_failure and on_timeout paths and retries are not counted: they add load when actions fail.")
	load := ca.withTransfers(ca.enter(sc.Entry, nil))
	inQueue := map[string]float64{}
	r.Queues = ca.queues(load, inQueue, peak, at)
	r.Actions = ca.actions(load, inQueue, peak)
	r.Endpoints = ca.endpoints(r.Actions, at)
	r.Platform = ca.platform(r.Actions)
	r.Findings = checkFindings(&r)
	r.Notes = ca.notes
	return r
}

// checkAnalysis carries the scenario and the notes through [Analyze].
type checkAnalysis struct {
	sc    *Scenario
	notes []string
}

// note records an approximation once.
func (ca *checkAnalysis) note(s string) {
	if !slices.Contains(ca.notes, s) {
		ca.notes = append(ca.notes, s)
	}
}

// checkPiece is a constant arrival rate over [from, to).
type checkPiece struct{ from, to, rate float64 }

// checkArrivals lays the arrival rate over the run and finds its mean, its
// peak and the busiest clock-aligned interval. The rate is base(t) × scale
// × busyness × the product of the active bursts' multipliers (SCENARIO.md,
// Arrivals), with busyness at its mean.
func checkArrivals(sc *Scenario) ArrivalCheck {
	a := &sc.Arrivals
	ac := ArrivalCheck{
		Source: a.Source, Process: a.Process, Start: sc.Start, End: sc.Start + sc.Horizon,
		Warmup: sc.Warmup, Busyness: 1, Interval: sc.Interval,
	}
	if a.Busyness != nil {
		ac.Busyness = a.Busyness.Mean()
	}
	if ac.Interval <= 0 {
		ac.Interval = 900
	}
	pieces := checkPieces(sc, ac.Busyness)

	for i, p := range pieces {
		ac.Total += p.rate * (p.to - p.from)
		if i == 0 || p.rate > ac.PeakRate {
			ac.PeakRate, ac.PeakFrom, ac.PeakTo = p.rate, p.from, p.to
		}
	}
	if sc.Horizon > 0 {
		ac.MeanRate = ac.Total / sc.Horizon
	}

	// Expected arrivals per clock-aligned interval; pieces are sorted, so
	// one pass with a moving first piece covers them all.
	first := 0
	for k := math.Floor(ac.Start / ac.Interval); k*ac.Interval < ac.End; k++ {
		lo, hi := k*ac.Interval, (k+1)*ac.Interval
		n := 0.0
		for first < len(pieces) && pieces[first].to <= lo {
			first++
		}
		for _, p := range pieces[first:] {
			if p.from >= hi {
				break
			}
			n += p.rate * (math.Min(p.to, hi) - math.Max(p.from, lo))
		}
		if n > ac.BusiestCount {
			ac.BusiestStart, ac.BusiestCount = math.Max(lo, ac.Start), n
		}
	}
	return ac
}

// checkPieces splits [Start, Start+Horizon) wherever the base rate or a
// burst changes, and merges neighbours with the same rate.
func checkPieces(sc *Scenario, busyness float64) []checkPiece {
	a := &sc.Arrivals
	start, end := sc.Start, sc.Start+sc.Horizon
	cuts := []float64{start, end}
	add := func(t float64) {
		if t > start && t < end {
			cuts = append(cuts, t)
		}
	}
	for _, s := range a.Base {
		add(s.From)
		add(s.To)
	}
	// A burst of the day before may run past midnight into the run.
	for day := math.Floor(start/86400) - 1; day*86400 < end; day++ {
		for _, b := range a.Bursts {
			add(day*86400 + b.Start)
			add(day*86400 + b.Start + b.Duration)
		}
	}
	sort.Float64s(cuts)

	var out []checkPiece
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		if to <= from {
			continue
		}
		mid := from + (to-from)/2
		rate := checkBase(a, mid) * a.Scale * busyness * checkBursts(a, mid)
		if n := len(out); n > 0 && out[n-1].rate == rate {
			out[n-1].to = to
			continue
		}
		out = append(out, checkPiece{from, to, rate})
	}
	return out
}

// checkBase is the base rate at t, zero outside the segments.
func checkBase(a *Arrivals, t float64) float64 {
	for _, s := range a.Base {
		if t >= s.From && t < s.To {
			return s.Rate
		}
	}
	return 0
}

// checkBursts is the product of the multipliers of the bursts active at t,
// including one that started the day before.
func checkBursts(a *Arrivals, t float64) float64 {
	f := 1.0
	day := math.Floor(t / 86400)
	for _, b := range a.Bursts {
		for _, d := range []float64{day - 1, day} {
			if s := d*86400 + b.Start; t >= s && t < s+b.Duration {
				f *= b.Multiplier
				break
			}
		}
	}
	return f
}

// checkLoad is what one unit of interactions does, linear in the number
// of interactions: expected calls per action, expected entries per queue,
// and the fraction that reaches the end of the step list.
type checkLoad struct {
	calls   map[string]float64
	entries map[string]float64
	cont    float64
}

// newCheckLoad returns an empty load with continuation cont.
func newCheckLoad(cont float64) checkLoad {
	return checkLoad{calls: map[string]float64{}, entries: map[string]float64{}, cont: cont}
}

// add adds w times o's calls and entries to l (not its continuation).
func (l checkLoad) add(o checkLoad, w float64) {
	if w == 0 {
		return
	}
	for k, v := range o.calls {
		l.calls[k] += w * v
	}
	for k, v := range o.entries {
		l.entries[k] += w * v
	}
}

// walk returns the load of one interaction running steps. Paths taken on
// failure or timeout are ignored: the check assumes every call succeeds.
func (ca *checkAnalysis) walk(steps []Step, stack []string) checkLoad {
	l := newCheckLoad(1)
	for _, st := range steps {
		if l.cont == 0 {
			break
		}
		switch st.Kind {
		case StepAction, StepAsync:
			l.calls[st.Action] += l.cont
		case StepParallel:
			for _, a := range st.Parallel {
				l.calls[a] += l.cont
			}
		case StepBranch:
			body := ca.walk(st.Steps, stack)
			l.add(body, l.cont*st.Probability)
			l.cont *= 1 - st.Probability + st.Probability*body.cont
		case StepRepeat:
			// Run k happens when the k−1 before it all ran to their end:
			// the expected number of runs is Σ_{k<n} f^k, f the body's
			// continuation.
			body := ca.walk(st.Steps, stack)
			n, f := float64(st.Times), body.cont
			runs := n
			if f < 1 {
				runs = (1 - math.Pow(f, n)) / (1 - f)
			}
			l.add(body, l.cont*runs)
			l.cont *= math.Pow(f, n)
		case StepQueue:
			l.add(ca.enter(st.Target, stack), l.cont)
			l.cont = 0
		case StepDisconnect:
			l.cont = 0
		}
	}
	return l
}

// enter returns the load of one interaction handed to target, a queue or
// a flow. stack holds the flows being walked, so that a flow reaching
// itself again through queue steps is counted once.
func (ca *checkAnalysis) enter(target string, stack []string) checkLoad {
	for _, q := range ca.sc.Queues {
		if q.Name == target {
			l := newCheckLoad(0)
			l.entries[target] = 1
			return l
		}
	}
	for _, f := range ca.sc.Flows {
		if f.Name != target {
			continue
		}
		if slices.Contains(stack, target) {
			ca.note(fmt.Sprintf("Flow %s leads back to itself; calls after the first pass are not counted.", target))
			return newCheckLoad(0)
		}
		return ca.walk(f.Steps, append(stack[:len(stack):len(stack)], target))
	}
	return newCheckLoad(0)
}

// withTransfers adds to l the load of the interactions that queues
// transfer: a fraction p of a queue's entries enters its target again, and
// so on along the chain until the added entries are negligible.
func (ca *checkAnalysis) withTransfers(l checkLoad) checkLoad {
	frontier := l.entries
	for round := 0; round < 10000; round++ {
		next := newCheckLoad(0)
		for _, q := range ca.sc.Queues {
			if e := frontier[q.Name]; e > 0 && q.Transfer != nil {
				ca.note("Transfers and on_answer actions count every queue entry as answered.")
				next.add(ca.enter(q.Transfer.To, nil), e*q.Transfer.Probability)
			}
		}
		l.add(next, 1)
		frontier = next.entries
		left := 0.0
		for _, e := range frontier {
			left += e
		}
		if left < 1e-12 {
			break
		}
	}
	return l
}

// callTime is the mean duration of one call of action name without any
// queueing: a cache hit's latency, or the platform overhead plus the
// endpoint's latency, capped at the action's timeout.
func (ca *checkAnalysis) callTime(name string) float64 {
	a := ca.action(name)
	if a == nil {
		return 0
	}
	t := ca.sc.Platform.Overhead.Mean()
	if e := ca.endpoint(a.Endpoint); e != nil {
		t += e.Latency.Mean()
	}
	t = math.Min(t, a.Timeout)
	if a.Cache != nil {
		t = a.Cache.HitRatio*a.Cache.Latency.Mean() + (1-a.Cache.HitRatio)*t
	}
	return t
}

// duration is the mean time one interaction spends running steps, with
// calls at their unqueued duration; a rough figure for the time between
// in_queue runs.
func (ca *checkAnalysis) duration(steps []Step) float64 {
	d := 0.0
	for _, st := range steps {
		switch st.Kind {
		case StepWait:
			if st.Wait != nil {
				d += st.Wait.Mean()
			}
		case StepAction, StepParallel:
			t := 0.0
			for _, a := range append([]string{st.Action}, st.Parallel...) {
				t = math.Max(t, ca.callTime(a))
			}
			if st.Timeout > 0 {
				t = math.Min(t, st.Timeout)
			}
			d += t
		case StepBranch:
			d += st.Probability * ca.duration(st.Steps)
		case StepRepeat:
			d += float64(st.Times) * ca.duration(st.Steps)
			if st.Every != nil && st.Times > 1 {
				d += float64(st.Times-1) * st.Every.Mean()
			}
		}
	}
	return d
}

// action returns the action called name, nil when there is none.
func (ca *checkAnalysis) action(name string) *Action {
	for i := range ca.sc.Actions {
		if ca.sc.Actions[i].Name == name {
			return &ca.sc.Actions[i]
		}
	}
	return nil
}

// endpoint returns the endpoint called name, nil when there is none.
func (ca *checkAnalysis) endpoint(name string) *Endpoint {
	for i := range ca.sc.Endpoints {
		if ca.sc.Endpoints[i].Name == name {
			return &ca.sc.Endpoints[i]
		}
	}
	return nil
}

// checkCapacityAt is the value of a daily schedule in force at t: the last
// entry of a day holds until the first of the next.
func checkCapacityAt(sched []Capacity, t float64) int {
	if len(sched) == 0 {
		return 0
	}
	tod := t - 86400*math.Floor(t/86400)
	n := sched[len(sched)-1].N
	for _, c := range sched {
		if c.Start <= tod {
			n = c.N
		}
	}
	return n
}

// queues estimates every queue at the peak rate and adds the on_answer and
// in_queue calls to load.calls (in_queue ones also to inQueue).
func (ca *checkAnalysis) queues(load checkLoad, inQueue map[string]float64, peak, at float64) []QueueCheck {
	var out []QueueCheck
	for i := range ca.sc.Queues {
		q := &ca.sc.Queues[i]
		e := load.entries[q.Name]
		qc := ca.queue(q, e, peak, at)
		for _, a := range q.OnAnswer {
			ca.note("Transfers and on_answer actions count every queue entry as answered.")
			load.calls[a] += e
		}
		if q.InQueue != nil && e > 0 {
			per := e * qc.waiting() * ca.inQueueRuns(q, &qc)
			for a, n := range ca.walk(q.InQueue.Steps, nil).calls {
				load.calls[a] += per * n
				inQueue[a] += per * n
			}
		}
		out = append(out, qc)
	}
	return out
}

// queue estimates one queue with e entries per interaction at the peak
// rate, with Erlang C and, when callers have patience, Erlang A.
func (ca *checkAnalysis) queue(q *Queue, e, peak, at float64) QueueCheck {
	qc := QueueCheck{
		Name: q.Name, PerInteraction: e, ArrivalRate: peak * e,
		MeanHandle: q.HandleTime.Mean(), Agents: checkCapacityAt(q.Agents, at), Target: q.ServiceLevel,
	}
	if q.AgentWaits {
		// On-answer actions start together; the agent waits for the last.
		wait := 0.0
		for _, a := range q.OnAnswer {
			wait = math.Max(wait, ca.callTime(a))
		}
		qc.MeanHandle += wait
	}
	qc.OfferedLoad = qc.ArrivalRate * qc.MeanHandle
	qc.Occupancy = checkRatio(qc.OfferedLoad, float64(qc.Agents))
	qc.Overloaded = qc.OfferedLoad > 0 && qc.OfferedLoad >= float64(qc.Agents)

	if qc.OfferedLoad == 0 {
		// No load: nobody waits, and the formulas would divide by zero.
		qc.ServiceLevel = 1
		return qc
	}
	m := NewMMc(qc.Agents, qc.ArrivalRate, qc.MeanHandle)
	qc.PWait, qc.MeanWait, qc.ServiceLevel = m.PWait, m.Wq, m.ServiceLevel(q.ServiceLevel)
	if q.Patience != nil {
		qc.PatienceMean = q.Patience.Mean()
		qc.PatienceExponential = q.Patience.Kind == DistExponential
		if !qc.PatienceExponential {
			ca.note(fmt.Sprintf("Queue %s: patience is not exponential; Erlang A uses an exponential patience of the same mean, an approximation.", q.Name))
		}
		ea := ErlangA(qc.Agents, qc.ArrivalRate, qc.MeanHandle, qc.PatienceMean)
		qc.Abandon = &ea
		qc.AbandonSL = ea.ServiceLevel(q.ServiceLevel)
	}
	return qc
}

// waiting is the fraction of entries that must wait, from Erlang A when
// callers have patience, else from Erlang C.
func (qc *QueueCheck) waiting() float64 {
	if qc.Abandon != nil {
		return qc.Abandon.PWait
	}
	return qc.PWait
}

// inQueueRuns is the expected number of in_queue runs of a caller who
// must wait. The first run starts at once and the next one each period T
// (every plus the run's own duration) after it. For a wait W exponential of
// mean m, as in M/M/c (Kleinrock, Queueing Systems vol. 1, §3.5),
// E[1 + ⌊W/T⌋] = 1 + 1 / (e^{T/m} − 1). m is the mean wait of those who
// wait at peak: 1 / (c μ − λ) from Erlang C, or from Erlang A with patience.
func (ca *checkAnalysis) inQueueRuns(q *Queue, qc *QueueCheck) float64 {
	ca.note("In-queue calls are approximate: they assume the mean wait at peak of callers who wait (Erlang C, or Erlang A with patience) and a new run every `every` plus the run's own duration.")
	m := NewMMc(qc.Agents, qc.ArrivalRate, qc.MeanHandle).WaitOfWaiting()
	if qc.Abandon != nil && qc.Abandon.PWait > 0 {
		m = qc.Abandon.Wq / qc.Abandon.PWait
	}
	if math.IsInf(m, 1) || math.IsNaN(m) {
		ca.note(fmt.Sprintf("Queue %s is overloaded with no patience: its wait grows through the run; in-queue calls assume a wait of half the horizon.", q.Name))
		m = ca.sc.Horizon / 2
	}
	period := q.InQueue.Every.Mean() + ca.duration(q.InQueue.Steps)
	if m <= 0 || period <= 0 {
		return 1
	}
	return 1 + 1/math.Expm1(period/m)
}

// actions turns calls per interaction into each action's load at peak.
func (ca *checkAnalysis) actions(load checkLoad, inQueue map[string]float64, peak float64) []ActionCheck {
	var out []ActionCheck
	for _, a := range ca.sc.Actions {
		ac := ActionCheck{
			Name: a.Name, Endpoint: a.Endpoint,
			PerInteraction: load.calls[a.Name], InQueue: inQueue[a.Name],
		}
		ac.CallsPerSec = peak * ac.PerInteraction
		if a.Cache != nil {
			ac.HitRatio = a.Cache.HitRatio
		}
		ac.ExecutionsPerMin = ac.CallsPerSec * (1 - ac.HitRatio) * 60
		out = append(out, ac)
	}
	return out
}

// endpoints estimates every endpoint at peak, with the Allen–Cunneen
// approximation of the M/G/c wait (see [AllenCunneenWq]), then fills in
// each action's attempt time and in-flight count.
func (ca *checkAnalysis) endpoints(actions []ActionCheck, at float64) []EndpointCheck {
	var out []EndpointCheck
	for _, e := range ca.sc.Endpoints {
		ec := EndpointCheck{Name: e.Name, MeanLatency: e.Latency.Mean(), QueueLimit: e.QueueLimit}
		for _, a := range actions {
			if a.Endpoint == e.Name {
				ec.RequestsPerSec += a.ExecutionsPerMin / 60
			}
		}
		ec.OfferedLoad = ec.RequestsPerSec * ec.MeanLatency
		ca.workers(&ec, &e, at)
		for _, rl := range e.RateLimits {
			ec.Limits = append(ec.Limits, checkLimit(rl, ec.RequestsPerSec*60))
		}
		out = append(out, ec)
	}

	overhead := ca.sc.Platform.Overhead.Mean()
	for i := range actions {
		a := &actions[i]
		response := 0.0
		for _, ec := range out {
			if ec.Name == a.Endpoint {
				response = ec.MeanLatency + ec.Wait
			}
		}
		a.AttemptTime = overhead + response
		if act := ca.action(a.Name); act != nil {
			a.AttemptTime = math.Min(a.AttemptTime, act.Timeout)
		}
		a.InFlight = a.ExecutionsPerMin / 60 * a.AttemptTime
	}
	return out
}

// workers fills in an endpoint's workers, utilization, wait and queue-limit
// refusals at peak.
func (ca *checkAnalysis) workers(ec *EndpointCheck, e *Endpoint, at float64) {
	if e.Workers == nil {
		ec.Unlimited = true
		return
	}
	ec.Workers = checkCapacityAt(e.Workers, at)
	ec.WorkersMin, ec.WorkersMax = e.Workers[0].N, e.Workers[0].N
	for _, c := range e.Workers {
		ec.WorkersMin, ec.WorkersMax = min(ec.WorkersMin, c.N), max(ec.WorkersMax, c.N)
	}
	ec.Utilization = checkRatio(ec.OfferedLoad, float64(ec.Workers))
	ec.Overloaded = ec.OfferedLoad > 0 && ec.OfferedLoad >= float64(ec.Workers)
	if ec.RequestsPerSec == 0 || ec.MeanLatency == 0 {
		return
	}
	if ec.Overloaded {
		ec.Wait = math.Inf(1)
	} else {
		cs2 := e.Latency.SecondMoment()/(ec.MeanLatency*ec.MeanLatency) - 1
		ec.Wait = AllenCunneenWq(ec.Workers, ec.RequestsPerSec, ec.MeanLatency, 1, math.Max(cs2, 0))
	}
	if e.QueueLimit >= 0 && ec.Workers > 0 {
		ca.note("Queue-limit refusals are M/M/c/K estimates (exponential latency).")
		ec.QueueRefused, _, _ = MMcK(ec.Workers, ec.Workers+e.QueueLimit, ec.RequestsPerSec, ec.MeanLatency)
	}
}

// platform sums the actions' executions and in-flight attempts and sets
// them against the platform's limits. The in-flight count is Little's law,
// L = λ W (Little, "A proof for the queuing formula L = λW", Operations
// Research 9(3), 1961), per action.
func (ca *checkAnalysis) platform(actions []ActionCheck) PlatformCheck {
	pc := PlatformCheck{MaxInFlight: ca.sc.Platform.MaxInFlight}
	for _, a := range actions {
		pc.ExecutionsPerMin += a.ExecutionsPerMin
		pc.InFlight += a.InFlight
	}
	for _, rl := range ca.sc.Platform.RateLimits {
		pc.Limits = append(pc.Limits, checkLimit(rl, pc.ExecutionsPerMin))
	}
	return pc
}

// checkLimit sets a rate limit's sustained capacity against offered
// admissions per minute.
func checkLimit(rl RateLimit, offeredPerMin float64) LimitCheck {
	lc := LimitCheck{Name: rl.Name, Kind: rl.Kind, Limit: rl.Limit, Per: rl.Per, Burst: rl.Burst, Offered: offeredPerMin}
	if rl.Kind == "bucket" {
		lc.PerMinute = rl.Rate * 60
	} else if rl.Per > 0 {
		lc.PerMinute = float64(rl.Limit) * 60 / rl.Per
	}
	lc.Usage = checkRatio(offeredPerMin, lc.PerMinute)
	return lc
}

// checkRatio is x / y, 0 when x is 0 and +Inf when only y is.
func checkRatio(x, y float64) float64 {
	switch {
	case x == 0:
		return 0
	case y == 0:
		return math.Inf(1)
	}
	return x / y
}

// checkFindings lists the peak usage of every limit, highest first.
func checkFindings(r *CheckReport) []Finding {
	at := checkClock(r.Arrivals.PeakFrom)
	var fs []Finding
	limit := func(l LimitCheck) {
		fs = append(fs, Finding{Usage: l.Usage, Text: fmt.Sprintf("%s %s of %s at %s",
			l.Name, checkPct(l.Usage), checkLimitText(l), at)})
	}
	for _, l := range r.Platform.Limits {
		limit(l)
	}
	if m := r.Platform.MaxInFlight; m > 0 {
		fs = append(fs, Finding{Usage: r.Platform.InFlight / float64(m),
			Text: fmt.Sprintf("max_in_flight %s of %d (estimate)", checkNum(r.Platform.InFlight), m)})
	}
	for _, e := range r.Endpoints {
		if !e.Unlimited {
			fs = append(fs, Finding{Usage: e.Utilization,
				Text: fmt.Sprintf("%s workers %s at %s (%s of %d)", e.Name, checkPct(e.Utilization), at, checkNum(e.OfferedLoad), e.Workers)})
		}
		for _, l := range e.Limits {
			limit(l)
		}
	}
	for _, q := range r.Queues {
		if q.Overloaded {
			text := fmt.Sprintf("queue %s overloaded: %s Erlangs offered to %d agents at %s", q.Name, checkNum(q.OfferedLoad), q.Agents, at)
			if q.Abandon != nil {
				text += fmt.Sprintf(" (Erlang A: %s abandon)", checkPct(q.Abandon.PAbandon))
			}
			fs = append(fs, Finding{Usage: q.Occupancy, Text: text})
		}
	}

	for i := range fs {
		switch u := fs[i].Usage; {
		case u >= 1:
			fs[i].Level = "will break"
		case u >= 0.8:
			fs[i].Level = "at risk"
		default:
			fs[i].Level = "ok"
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Usage > fs[j].Usage })
	return fs
}

// write prints the report.
func (r CheckReport) write(b *bytes.Buffer) {
	at := checkClock(r.Arrivals.PeakFrom)
	title := "dasim check"
	if r.Name != "" {
		title += ": " + r.Name
	}
	if r.File != "" {
		title += " (" + r.File + ")"
	}
	fmt.Fprintln(b, title)
	fmt.Fprintln(b, "Steady-state estimates at the peak arrival rate, by arithmetic only (Erlang C,")
	fmt.Fprintln(b, "Erlang A, Allen-Cunneen, Little's law); no simulation was run. They show where")
	fmt.Fprintln(b, "to look; the simulation (dasim run) is the answer.")

	r.writeArrivals(b)
	r.writeActions(b)
	r.writePlatform(b, at)
	r.writeEndpoints(b, at)
	r.writeQueues(b, at)

	fmt.Fprintln(b, "\nFindings (peak usage, highest first; 100% or more will break, 80% or more at risk)")
	tw := checkTable(b)
	for _, f := range r.Findings {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.ToUpper(f.Level), f.Text)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintln(tw, "  (no limits configured)")
	}
	tw.Flush()

	if len(r.Notes) > 0 {
		fmt.Fprintln(b, "\nNotes")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "  - %s\n", n)
		}
	}
}

// writeArrivals prints how the arrivals are given, their mean and peak.
func (r CheckReport) writeArrivals(b *bytes.Buffer) {
	a := r.Arrivals
	fmt.Fprintln(b, "\nArrivals")
	tw := checkTable(b)
	fmt.Fprintf(tw, "  given as\t%s; %s process\n", a.Source, a.Process)
	fmt.Fprintf(tw, "  run\t%s to %s (%s), warm-up %s\n", checkClock(a.Start), checkClock(a.End),
		checkDur(a.End-a.Start), checkDur(a.Warmup))
	if a.Busyness != 1 {
		fmt.Fprintf(tw, "  busyness\tmean multiplier %s, included below\n", checkNum(a.Busyness))
	}
	fmt.Fprintf(tw, "  mean rate\t%s over the run, %s interactions in all\n", checkRate(a.MeanRate), checkCount(a.Total))
	fmt.Fprintf(tw, "  peak rate\t%s from %s to %s\n", checkRate(a.PeakRate), checkClock(a.PeakFrom), checkClock(a.PeakTo))
	fmt.Fprintf(tw, "  at peak\t%s interactions per %s interval\n", checkCount(a.PeakRate*a.Interval), checkDur(a.Interval))
	fmt.Fprintf(tw, "  busiest interval\t%s-%s: %s interactions\n", checkClock(a.BusiestStart),
		checkClock(a.BusiestStart-math.Mod(a.BusiestStart, a.Interval)+a.Interval), checkCount(a.BusiestCount))
	tw.Flush()
}

// writeActions prints each action's calls and executions at peak, with
// its share of every platform limit.
func (r CheckReport) writeActions(b *bytes.Buffer) {
	fmt.Fprintln(b, "\nData Action calls (flow steps, on_answer, in_queue, transfers; at peak)")
	tw := checkTable(b)
	head := "  action\tendpoint\tper interaction\tcalls/s\tcache hits\texecutions/min"
	for _, l := range r.Platform.Limits {
		head += "\t% of " + l.Name
	}
	fmt.Fprintln(tw, head)
	mark := false
	for _, a := range r.Actions {
		per := checkNum(a.PerInteraction)
		if a.InQueue > 0 {
			per += "*"
			mark = true
		}
		line := fmt.Sprintf("  %s\t%s\t%s\t%s\t%s\t%s", a.Name, a.Endpoint, per, checkNum(a.CallsPerSec),
			checkPct(a.HitRatio), checkNum(a.ExecutionsPerMin))
		for _, l := range r.Platform.Limits {
			u := checkRatio(a.ExecutionsPerMin, l.PerMinute)
			line += "\t" + checkPct(u) + checkOver(u)
		}
		fmt.Fprintln(tw, line)
	}
	line := fmt.Sprintf("  total\t\t\t\t\t%s", checkNum(r.Platform.ExecutionsPerMin))
	for _, l := range r.Platform.Limits {
		line += "\t" + checkPct(l.Usage) + checkOver(l.Usage)
	}
	fmt.Fprintln(tw, line)
	tw.Flush()
	if mark {
		fmt.Fprintln(b, "  * includes in_queue calls, which depend on the wait at peak (approximate)")
	}
}

// writePlatform prints the org-wide executions against the platform's
// rate limits and max_in_flight.
func (r CheckReport) writePlatform(b *bytes.Buffer, at string) {
	p := r.Platform
	fmt.Fprintf(b, "\nPlatform at peak (%s)\n", at)
	tw := checkTable(b)
	fmt.Fprintf(tw, "  executions\t%s/min\n", checkNum(p.ExecutionsPerMin))
	for _, l := range p.Limits {
		fmt.Fprintf(tw, "  %s\t%s: %s/min offered, %s%s\n", l.Name, checkLimitText(l), checkNum(l.Offered),
			checkPct(l.Usage), checkOver(l.Usage))
	}
	limit := "no limit"
	if p.MaxInFlight > 0 {
		limit = fmt.Sprintf("of %d, %s%s", p.MaxInFlight, checkPct(p.InFlight/float64(p.MaxInFlight)),
			checkOver(p.InFlight/float64(p.MaxInFlight)))
	}
	fmt.Fprintf(tw, "  in flight\t%s %s (Little's law: executions/s x attempt time, capped at the timeout)\n",
		checkNum(p.InFlight), limit)
	tw.Flush()
}

// writeEndpoints prints each endpoint's load, workers and rate limits.
func (r CheckReport) writeEndpoints(b *bytes.Buffer, at string) {
	if len(r.Endpoints) == 0 {
		return
	}
	fmt.Fprintf(b, "\nEndpoints at peak (%s)\n", at)
	tw := checkTable(b)
	fmt.Fprintln(tw, "  endpoint\trequests/s\tmean latency\toffered (Erl)\tworkers\tutilization\twait (Allen-Cunneen)\tqueue_limit")
	for _, e := range r.Endpoints {
		workers, util, wait, ql := "unlimited", "-", "none", "unlimited"
		if !e.Unlimited {
			workers = strconv.Itoa(e.Workers)
			if e.WorkersMin != e.WorkersMax {
				workers = fmt.Sprintf("%d (%d..%d)", e.Workers, e.WorkersMin, e.WorkersMax)
			}
			util = checkPct(e.Utilization) + checkOver(e.Utilization)
			wait = checkDur(e.Wait)
			if e.QueueLimit >= 0 {
				ql = fmt.Sprintf("%d: %s refused", e.QueueLimit, checkPct(e.QueueRefused))
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, checkNum(e.RequestsPerSec),
			checkDur(e.MeanLatency), checkNum(e.OfferedLoad), workers, util, wait, ql)
	}
	tw.Flush()
	tw = checkTable(b)
	for _, e := range r.Endpoints {
		for _, l := range e.Limits {
			fmt.Fprintf(tw, "  %s rate limit %s\t%s: %s/min offered, %s%s\n", e.Name, l.Name, checkLimitText(l),
				checkNum(l.Offered), checkPct(l.Usage), checkOver(l.Usage))
		}
	}
	tw.Flush()
}

// writeQueues prints the Erlang C figures of every queue, then the
// Erlang A figures of those with patience.
func (r CheckReport) writeQueues(b *bytes.Buffer, at string) {
	if len(r.Queues) == 0 {
		return
	}
	fmt.Fprintf(b, "\nQueues at peak (%s), Erlang C (nobody abandons)\n", at)
	tw := checkTable(b)
	fmt.Fprintln(tw, "  queue\tarrivals/s\tmean handle\toffered (Erl)\tagents\toccupancy\tP(wait)\tmean wait\tservice level")
	var overloaded []string
	for _, q := range r.Queues {
		if q.Overloaded {
			overloaded = append(overloaded, q.Name)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\t%s OVER\t-\t-\t-\n", q.Name,
				checkNum(q.ArrivalRate), checkDur(q.MeanHandle), checkNum(q.OfferedLoad), q.Agents, checkPct(q.Occupancy))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s within %s\n", q.Name, checkNum(q.ArrivalRate),
			checkDur(q.MeanHandle), checkNum(q.OfferedLoad), q.Agents, checkPct(q.Occupancy), checkPct(q.PWait),
			checkDur(q.MeanWait), checkPct(q.ServiceLevel), checkDur(q.Target))
	}
	tw.Flush()
	for _, n := range overloaded {
		fmt.Fprintf(b, "  %s is overloaded: arrivals exceed agents' capacity; the line grows unless callers abandon\n", n)
	}

	var ea []QueueCheck
	for _, q := range r.Queues {
		if q.Abandon != nil {
			ea = append(ea, q)
		}
	}
	if len(ea) == 0 {
		return
	}
	fmt.Fprintln(b, "\nQueues with patience, Erlang A (exponential patience of the same mean)")
	tw = checkTable(b)
	fmt.Fprintln(tw, "  queue\tpatience mean\tP(abandon)\tP(wait)\tmean wait\tmean wait answered\tservice level\toccupancy")
	for _, q := range ea {
		a := q.Abandon
		kind := "exponential"
		if !q.PatienceExponential {
			kind = "approx."
		}
		fmt.Fprintf(tw, "  %s\t%s (%s)\t%s\t%s\t%s\t%s\t%s within %s\t%s\n", q.Name, checkDur(q.PatienceMean), kind,
			checkPct(a.PAbandon), checkPct(a.PWait), checkDur(a.Wq), checkDur(a.WqAnswered), checkPct(q.AbandonSL),
			checkDur(q.Target), checkPct(a.Occupancy))
	}
	tw.Flush()
}

// checkTable returns an aligned table writer onto b.
func checkTable(b *bytes.Buffer) *tabwriter.Writer {
	return tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
}

// checkLimitText describes a limit's capacity: "2,500/min", "10,000 per 5m
// (2,000/min)" or "1,200/min bucket, burst 200".
func checkLimitText(l LimitCheck) string {
	if l.Kind == "bucket" {
		return fmt.Sprintf("%s/min bucket, burst %s", checkCount(l.PerMinute), checkCount(l.Burst))
	}
	if l.Per == 60 {
		return checkCount(float64(l.Limit)) + "/min"
	}
	return fmt.Sprintf("%s per %s (%s/min)", checkCount(float64(l.Limit)), checkDur(l.Per), checkNum(l.PerMinute))
}

// checkOver marks a usage at or above 100%.
func checkOver(u float64) string {
	if u >= 1 {
		return " OVER"
	}
	return ""
}

// checkPct writes a fraction as a percentage, with a decimal below 10%.
func checkPct(f float64) string {
	p := 100 * f
	switch {
	case math.IsInf(p, 1):
		return "inf%"
	case math.IsNaN(p):
		return "-"
	case p == 0:
		return "0%"
	case p < 0.1:
		return "<0.1%"
	case p < 10:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return checkCount(p) + "%"
}

// checkNum writes a quantity with three significant digits, and thousands
// separators from 1,000 on.
func checkNum(v float64) string {
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return strconv.FormatFloat(v, 'f', -1, 64)
	case math.Abs(v) >= 1000:
		return checkCount(v)
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// checkCount writes v rounded to a whole number with thousands separators.
func checkCount(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if v <= -0.5 {
		return "-" + string(out)
	}
	return string(out)
}

// checkRate writes a rate per second, with the hourly figure.
func checkRate(r float64) string {
	return fmt.Sprintf("%s/s (%s/h)", checkNum(r), checkCount(r*3600))
}

// checkDur writes seconds in the unit that suits them.
func checkDur(s float64) string {
	switch {
	case math.IsInf(s, 1):
		return "unbounded"
	case math.IsNaN(s):
		return "-"
	case s == 0:
		return "0s"
	case s < 1e-4:
		return "<0.1ms"
	case s < 1:
		return strconv.FormatFloat(s*1000, 'g', 3, 64) + "ms"
	case s < 120:
		return strconv.FormatFloat(s, 'g', 3, 64) + "s"
	case s < 7200:
		return strconv.FormatFloat(s/60, 'g', 3, 64) + "m"
	}
	return strconv.FormatFloat(s/3600, 'g', 3, 64) + "h"
}

// checkClock writes a time on the timeline as a clock time, "10:00" or
// "10:00:30", with "+1d" for the days after day 0.
func checkClock(t float64) string {
	day := math.Floor(t / 86400)
	tod := int(math.Round(t - day*86400))
	if tod == 86400 {
		day, tod = day+1, 0
	}
	s := fmt.Sprintf("%02d:%02d", tod/3600, tod/60%60)
	if tod%60 != 0 {
		s += fmt.Sprintf(":%02d", tod%60)
	}
	if day != 0 {
		s = fmt.Sprintf("%+dd %s", int(day), s)
	}
	return s
}
