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
// limit with steady-state queueing formulas (erlang.go). The findings then
// follow each limit through the run, so that a short peak is told apart
// from a sustained one. It runs no simulation; its numbers point at what to
// look at, and the simulation gives the answer.

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
	// Findings grade every limit, the worst first (see [Finding]).
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
	// HourRate is the mean rate over the busiest hour of the run (the
	// whole run when it is shorter), which starts at HourFrom.
	HourRate float64
	HourFrom float64
	// Interval is the length of the clock-aligned reporting interval, and
	// [BusiestStart, BusiestEnd) the part inside the run of the interval
	// with the most expected arrivals, BusiestCount of them (0 when there
	// are no arrivals).
	Interval     float64
	BusiestStart float64
	BusiestEnd   float64
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
	// Attempts in flight form an M/G/∞ count, Poisson with mean InFlight:
	// InFlightP999 is its 99.9th percentile and InFlightFull the fraction of
	// time it reaches MaxInFlight, P(N >= MaxInFlight), which by PASTA is
	// about the fraction of attempts refused (0 without a limit).
	InFlightP999 float64
	InFlightFull float64
}

// LimitCheck sets one rate limit against the executions offered to it.
type LimitCheck struct {
	Name string
	Kind string // "bucket" or "window"
	// Limit and Per are a window's admissions per clock-aligned window of
	// Per seconds; Rate and Burst are a bucket's refill per second and
	// capacity.
	Limit int
	Per   float64
	Rate  float64
	Burst float64
	// PerMinute is the limit's sustained capacity per minute: a bucket's
	// rate × 60, a window's Limit × 60 / Per.
	PerMinute float64
	Offered   float64 // executions or requests per minute at peak
	// Usage is the graded use: for a window, WindowCount / Limit; for a
	// bucket, the peak rate over the refill rate, Profile.Peak.
	Usage float64
	// WindowCount is the expected admissions offered to a window in the
	// busiest of its clock-aligned windows, [WindowFrom, WindowTo) once cut
	// to the run.
	WindowCount          float64
	WindowFrom, WindowTo float64
	// Profile follows the offered rate over the run against the sustained
	// capacity (Limit / Per or Rate).
	Profile UsageProfile
}

// UsageProfile follows one limit through the run. The load on it is the
// arrival rate times the load per interaction found at peak; its capacity
// follows the limit's daily schedule (agents, workers) or is constant.
type UsageProfile struct {
	// Peak is the highest usage, load over capacity, at any time; it first
	// holds over [PeakFrom, PeakTo), with PeakLoad on PeakCapacity.
	Peak                   float64
	PeakFrom, PeakTo       float64
	PeakLoad, PeakCapacity float64
	// When Peak is 1 or more, [OverFrom, OverTo) is the stretch around the
	// peak where usage stays at 1 or more, and Excess the load above the
	// capacity summed over it, in load × seconds: Erlang-seconds of work
	// for agents and workers, requests for rate limits. OverTime is the
	// time at 1 or more over the whole run, in s, other stretches included.
	OverFrom, OverTo float64
	Excess           float64
	OverTime         float64
	// Busiest is the highest usage over Window seconds (an hour, or the run
	// when it is shorter): the load over the window divided by the capacity
	// over it, for the window that starts at BusiestFrom.
	Window      float64
	Busiest     float64
	BusiestFrom float64
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
	// Profile follows the workers' usage over the run (zero when
	// unlimited).
	Profile UsageProfile
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
	// Profile follows the agents' occupancy over the run, with the agents
	// in force at each time.
	Profile UsageProfile
}

// Finding grades one limit. Most limits are graded by their peak usage:
// "will break" from 100%, "at risk" from 80%, else "ok". Three are graded
// otherwise:
//   - a queue whose peak overload is short, the busiest hour under 100%,
//     is graded by the busiest hour: the line it builds drains afterwards;
//   - a bucket whose burst holds the whole excess of its peak, likewise;
//   - max_in_flight by the Poisson law of attempts in flight: it will break
//     when full more than 0.1% of the time, and is at risk when its 99.9th
//     percentile reaches 80% of the cap.
//
// A short overload is never "ok": it is at least "at risk".
type Finding struct {
	// Usage is the graded fraction of the limit, 1 being all of it; for
	// max_in_flight, the 99.9th percentile of attempts in flight over the
	// cap.
	Usage float64
	Level string // "will break", "at risk" or "ok"
	Text  string // e.g. "org_volume 48% of 2,500/min from 10:00 for 20m"
	// Detail is a second line for an overload, or "" when there is none.
	Detail string
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
// every platform limit, endpoint and queue. The tables are steady-state
// estimates at the peak rate; the findings follow each limit through the
// run (see [UsageProfile] and [Finding]).
func Analyze(sc *Scenario) CheckReport {
	ca := &checkAnalysis{sc: sc}
	r := CheckReport{Name: sc.Name, File: sc.File}
	r.Arrivals = ca.arrivals()
	peak, at := r.Arrivals.PeakRate, r.Arrivals.PeakFrom

	ca.note("Calls on on_failure and on_timeout paths and retries are not counted: they add load when actions fail.")
	load := ca.withTransfers(ca.enter(sc.Entry, nil))
	inQueue := map[string]float64{}
	r.Queues = ca.queues(load, inQueue, peak, at)
	r.Actions = ca.actions(load, inQueue, peak)
	r.Endpoints = ca.endpoints(r.Actions, at)
	r.Platform = ca.platform(r.Actions)
	r.Findings = checkFindings(&r)
	if len(inQueue) > 0 {
		ca.note("Over the run, in_queue calls per interaction are held at their peak value, which overstates them off-peak.")
	}
	r.Notes = ca.notes
	return r
}

// checkAnalysis carries the scenario, its arrival rate and the notes
// through [Analyze].
type checkAnalysis struct {
	sc *Scenario
	// pieces is the arrival rate over the run, in order: load is the rate
	// per second and capacity 1.
	pieces []checkSeg
	peak   float64 // the highest arrival rate, per second
	notes  []string
}

// note records an approximation once.
func (ca *checkAnalysis) note(s string) {
	if !slices.Contains(ca.notes, s) {
		ca.notes = append(ca.notes, s)
	}
}

// checkSeg is a constant load on a constant capacity over [from, to).
type checkSeg struct{ from, to, load, capacity float64 }

// checkHour is the window of the sustained figures: the busiest hour.
const checkHour = 3600

// arrivals lays the arrival rate over the run and finds its mean, its peak,
// its busiest hour and the busiest clock-aligned interval. The rate is
// base(t) × scale × busyness × the product of the active bursts'
// multipliers (SCENARIO.md, Arrivals), with busyness at its mean.
func (ca *checkAnalysis) arrivals() ArrivalCheck {
	sc := ca.sc
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
	ca.pieces = checkPieces(sc, ac.Busyness)

	for i, p := range ca.pieces {
		ac.Total += p.load * (p.to - p.from)
		if i == 0 || p.load > ac.PeakRate {
			ac.PeakRate, ac.PeakFrom, ac.PeakTo = p.load, p.from, p.to
		}
	}
	if sc.Horizon > 0 {
		ac.MeanRate = ac.Total / sc.Horizon
	}
	ca.peak = ac.PeakRate

	hour := checkUsage(ca.pieces, checkHour)
	ac.HourRate, ac.HourFrom = hour.Busiest, hour.BusiestFrom
	ac.BusiestCount, ac.BusiestStart, ac.BusiestEnd = ca.busiestWindow(1, ac.Interval)
	return ac
}

// checkPieces is the arrival rate over the run as the simulation lays it
// (see buildPieces): each piece's load is its arrival rate, its capacity 1.
func checkPieces(sc *Scenario, busyness float64) []checkSeg {
	pieces := buildPieces(&sc.Arrivals, sc.Start, sc.Start+sc.Horizon, busyness)
	out := make([]checkSeg, 0, len(pieces))
	for _, p := range pieces {
		out = append(out, checkSeg{from: p.from, to: p.to, load: p.rate, capacity: 1})
	}
	return out
}

// segments turns the arrival rate into the load on one limit: k units of
// load per interaction a second, set against capacity, or against the daily
// schedule sched in force at each time when sched is not nil.
func (ca *checkAnalysis) segments(k float64, sched []Capacity, capacity float64) []checkSeg {
	var out []checkSeg
	for _, p := range ca.pieces {
		cuts := []float64{p.from, p.to}
		for day := math.Floor(p.from / 86400); day*86400 < p.to; day++ {
			for _, c := range sched {
				if t := day*86400 + c.Start; t > p.from && t < p.to {
					cuts = append(cuts, t)
				}
			}
		}
		sort.Float64s(cuts)
		for i := 0; i+1 < len(cuts); i++ {
			sg := checkSeg{from: cuts[i], to: cuts[i+1], load: k * p.load, capacity: capacity}
			if sg.to <= sg.from {
				continue
			}
			if sched != nil {
				sg.capacity = float64(checkCapacityAt(sched, sg.from+(sg.to-sg.from)/2))
			}
			out = append(out, sg)
		}
	}
	return out
}

// checkUsage follows the usage, load over capacity, across segs, which
// cover the run in order: its peak, the overload around the peak, and the
// busiest window of the given length.
func checkUsage(segs []checkSeg, window float64) UsageProfile {
	var p UsageProfile
	if len(segs) == 0 {
		return p
	}
	use := func(i int) float64 { return checkRatio(segs[i].load, segs[i].capacity) }
	top := 0
	for i := range segs {
		if use(i) > use(top) {
			top = i
		}
	}
	p.Peak, p.PeakLoad, p.PeakCapacity = use(top), segs[top].load, segs[top].capacity
	lo, hi := top, top
	for hi+1 < len(segs) && use(hi+1) == p.Peak {
		hi++
	}
	p.PeakFrom, p.PeakTo = segs[lo].from, segs[hi].to

	if p.Peak >= 1 {
		for i, sg := range segs {
			if use(i) >= 1 {
				p.OverTime += sg.to - sg.from
			}
		}
		for lo > 0 && use(lo-1) >= 1 {
			lo--
		}
		for hi+1 < len(segs) && use(hi+1) >= 1 {
			hi++
		}
		p.OverFrom, p.OverTo = segs[lo].from, segs[hi].to
		for _, sg := range segs[lo : hi+1] {
			p.Excess += (sg.load - sg.capacity) * (sg.to - sg.from)
		}
	}
	p.Window, p.Busiest, p.BusiestFrom = checkBusiest(segs, window, p.PeakFrom)
	return p
}

// checkBusiest returns the length w of the busiest window (window, or the
// span of segs when that is shorter), the highest ratio of load to capacity
// over a window of that length, and where that window starts; of windows
// as busy (a short peak inside a flat day), the one starting nearest peak.
// Both integrals are piecewise linear in the start t, so their ratio is
// monotone between the breakpoints, where t or t + w meets the end of a
// segment: the maximum is at one of them.
func checkBusiest(segs []checkSeg, window, peak float64) (w, busiest, from float64) {
	start, end := segs[0].from, segs[len(segs)-1].to
	w = math.Min(window, end-start)
	var starts []float64
	for _, sg := range segs {
		for _, t := range []float64{sg.from, sg.from - w, sg.to, sg.to - w} {
			starts = append(starts, math.Max(start, math.Min(t, end-w)))
		}
	}
	sort.Float64s(starts)
	from = start
	for i, t := range starts {
		load, capacity := checkIntegral(segs, t, t+w)
		u := checkRatio(load, capacity)
		// Sums taken over different segments differ in the last bits.
		same := math.Abs(u-busiest) <= 1e-9*math.Abs(busiest)
		if i == 0 || (u > busiest && !same) || (same && math.Abs(t-peak) < math.Abs(from-peak)) {
			busiest, from = u, t
		}
	}
	return w, busiest, from
}

// checkIntegral returns the integrals of load and capacity over [lo, hi).
func checkIntegral(segs []checkSeg, lo, hi float64) (load, capacity float64) {
	i := sort.Search(len(segs), func(i int) bool { return segs[i].to > lo })
	for ; i < len(segs) && segs[i].from < hi; i++ {
		d := math.Min(segs[i].to, hi) - math.Max(segs[i].from, lo)
		load += segs[i].load * d
		capacity += segs[i].capacity * d
	}
	return load, capacity
}

// busiestWindow returns the expected count, k per arrival, in the busiest
// clock-aligned window of per seconds, and that window cut to the run.
// Ties go to the earliest window; with no arrivals it returns the first.
func (ca *checkAnalysis) busiestWindow(k, per float64) (count, from, to float64) {
	start, end := ca.sc.Start, ca.sc.Start+ca.sc.Horizon
	first := math.Floor(start / per)
	from, to = start, math.Min(end, (first+1)*per)
	if (end-start)/per > 1e6 {
		// Windows this short fit inside the peak stretch: the peak rate
		// fills the busiest one.
		for _, p := range ca.pieces {
			if p.load == ca.peak {
				return k * ca.peak * per, p.from, p.from + per
			}
		}
	}
	for n := first; n*per < end; n++ {
		lo, hi := math.Max(n*per, start), math.Min((n+1)*per, end)
		load, _ := checkIntegral(ca.pieces, lo, hi)
		if k*load > count {
			count, from, to = k*load, lo, hi
		}
	}
	return count, from, to
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
	qc.Profile = checkUsage(ca.segments(e*qc.MeanHandle, q.Agents, 0), checkHour)
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
			ec.Limits = append(ec.Limits, ca.limit(rl, ec.RequestsPerSec))
		}
		out = append(out, ec)
	}

	overhead := ca.sc.Platform.Overhead.Mean()
	for i := range actions {
		a := &actions[i]
		var latency *Dist
		wait := 0.0
		for k, ec := range out {
			if ec.Name == a.Endpoint {
				latency, wait = &ca.sc.Endpoints[k].Latency, ec.Wait
			}
		}
		timeout := math.Inf(1)
		if act := ca.action(a.Name); act != nil {
			timeout = act.Timeout
		}
		a.AttemptTime = meanCapped(latency, overhead+wait, timeout)
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
	perInteraction := checkRatio(ec.RequestsPerSec, ca.peak)
	ec.Profile = checkUsage(ca.segments(perInteraction*ec.MeanLatency, e.Workers, 0), checkHour)
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
// them against the platform's limits. The mean in-flight count is Little's
// law, L = λ W (Little, "A proof for the queuing formula L = λW",
// Operations Research 9(3), 1961), per action. Attempts start as a Poisson
// stream and hold a slot independently of one another, so their number is
// that of an M/G/∞ system: Poisson with that mean (see [PoissonTail]).
func (ca *checkAnalysis) platform(actions []ActionCheck) PlatformCheck {
	pc := PlatformCheck{MaxInFlight: ca.sc.Platform.MaxInFlight}
	for _, a := range actions {
		pc.ExecutionsPerMin += a.ExecutionsPerMin
		pc.InFlight += a.InFlight
	}
	for _, rl := range ca.sc.Platform.RateLimits {
		pc.Limits = append(pc.Limits, ca.limit(rl, pc.ExecutionsPerMin/60))
	}
	pc.InFlightP999 = PoissonQuantile(pc.InFlight, 0.999)
	if pc.MaxInFlight > 0 {
		ca.note("Attempts in flight are counted as Poisson (M/G/inf) around the Little's-law mean; " +
			"\"full\" is P(in flight >= max_in_flight), about the fraction refused.")
		pc.InFlightFull = PoissonTail(pc.InFlight, pc.MaxInFlight)
	}
	return pc
}

// limit sets a rate limit against the admissions offered to it, perSec at
// peak: a bucket by its refill rate, a window by its busiest clock-aligned
// window.
func (ca *checkAnalysis) limit(rl RateLimit, perSec float64) LimitCheck {
	lc := LimitCheck{
		Name: rl.Name, Kind: rl.Kind, Limit: rl.Limit, Per: rl.Per, Rate: rl.Rate, Burst: rl.Burst,
		Offered: perSec * 60,
	}
	capacity := rl.Rate
	if rl.Kind != "bucket" && rl.Per > 0 {
		capacity = float64(rl.Limit) / rl.Per
	}
	lc.PerMinute = capacity * 60
	perInteraction := checkRatio(perSec, ca.peak)
	lc.Profile = checkUsage(ca.segments(perInteraction, nil, capacity), checkHour)
	lc.Usage = lc.Profile.Peak
	if rl.Kind != "bucket" && rl.Per > 0 {
		lc.WindowCount, lc.WindowFrom, lc.WindowTo = ca.busiestWindow(perInteraction, rl.Per)
		lc.Usage = checkRatio(lc.WindowCount, float64(rl.Limit))
	}
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

// Finding levels, from the worst.
const (
	levelBreak = "will break"
	levelRisk  = "at risk"
	levelOK    = "ok"
)

// checkFindings grades every limit (see [Finding]), the worst level first
// and, within a level, the highest usage first.
func checkFindings(r *CheckReport) []Finding {
	var fs []Finding
	for _, l := range r.Platform.Limits {
		fs = append(fs, limitFinding(l))
	}
	if r.Platform.MaxInFlight > 0 {
		fs = append(fs, inFlightFinding(r.Platform, r.Arrivals))
	}
	for _, e := range r.Endpoints {
		if !e.Unlimited {
			fs = append(fs, workersFinding(e))
		}
		for _, l := range e.Limits {
			fs = append(fs, limitFinding(l))
		}
	}
	for _, q := range r.Queues {
		fs = append(fs, queueFinding(q))
	}
	rank := map[string]int{levelBreak: 2, levelRisk: 1}
	sort.SliceStable(fs, func(i, j int) bool {
		if a, b := rank[fs[i].Level], rank[fs[j].Level]; a != b {
			return a > b
		}
		return fs[i].Usage > fs[j].Usage
	})
	return fs
}

// checkLevel grades a usage; a short overload is at least at risk.
func checkLevel(u float64, short bool) string {
	switch {
	case u >= 1:
		return levelBreak
	case u >= 0.8 || short:
		return levelRisk
	}
	return levelOK
}

// queueFinding grades a queue by its peak occupancy, or by its busiest
// hour when the peak overload is short. The line an overload builds is the
// work above the agents' capacity over the handle time, a fluid estimate
// that leaves out abandons.
func queueFinding(q QueueCheck) Finding {
	p := q.Profile
	f := Finding{Usage: p.Peak}
	f.Text = fmt.Sprintf("queue %s %s of %s agents %s (%s Erl)%s", q.Name, checkPct(p.Peak),
		checkCount(p.PeakCapacity), checkWhen(p), checkNum(p.PeakLoad), checkSustained(p))
	if p.Peak < 1 {
		f.Level = checkLevel(f.Usage, false)
		return f
	}
	grows := fmt.Sprintf("the line grows %s, by up to %s callers%s", checkFor(p.OverFrom, p.OverTo),
		checkCount(checkRatio(p.Excess, q.MeanHandle)), checkOverTime(p))
	short := p.Busiest < 1
	if short {
		f.Usage = p.Busiest
		f.Detail = "short overload: " + grows + "; see the simulation"
	} else {
		f.Detail = "overloaded: " + grows + ", less those who abandon"
	}
	f.Level = checkLevel(f.Usage, short)
	return f
}

// workersFinding grades an endpoint's workers by their peak utilization:
// a request waits seconds at most before it times out, so even a short
// overload fails calls.
func workersFinding(e EndpointCheck) Finding {
	p := e.Profile
	f := Finding{Usage: p.Peak, Level: checkLevel(p.Peak, false)}
	f.Text = fmt.Sprintf("%s workers %s of %s %s (%s Erl)%s", e.Name, checkPct(p.Peak),
		checkCount(p.PeakCapacity), checkWhen(p), checkNum(p.PeakLoad), checkSustained(p))
	if p.Peak >= 1 {
		f.Detail = fmt.Sprintf("overloaded: requests pile up %s, by up to %s%s; expect timeouts",
			checkFor(p.OverFrom, p.OverTo), checkCount(checkRatio(p.Excess, e.MeanLatency)), checkOverTime(p))
	}
	return f
}

// limitFinding grades a rate limit. A window counts admissions per
// clock-aligned window, so a peak shorter than the window is diluted in it;
// a bucket's burst absorbs a peak whose excess it holds.
func limitFinding(l LimitCheck) Finding {
	p := l.Profile
	f := Finding{Usage: l.Usage}
	if l.Kind != "bucket" && l.Per > p.PeakTo-p.PeakFrom {
		f.Text = fmt.Sprintf("%s %s of %s in %s-%s (%s offered)", l.Name, checkPct(l.Usage),
			checkLimitText(l), checkClock(l.WindowFrom), checkClock(l.WindowTo), checkCount(l.WindowCount))
		switch cut := l.WindowTo - l.WindowFrom; {
		case cut < l.Per-1e-6 && p.Peak >= 0.8:
			// The run ends inside the window: what it holds says little
			// about a full window.
			f.Detail = fmt.Sprintf("the run covers %s of this %s window; a full window at the peak rate would hold %s",
				checkDur(cut), checkDur(l.Per), checkPct(p.Peak))
		case p.Peak >= 1 && l.Usage < 1:
			f.Detail = fmt.Sprintf("the peak rate is %s of the limit %s; the %s window evens it out",
				checkPct(p.Peak), checkFor(p.OverFrom, p.OverTo), checkDur(l.Per))
		}
		f.Level = checkLevel(f.Usage, false)
		return f
	}

	f.Text = fmt.Sprintf("%s %s of %s %s%s", l.Name, checkPct(l.Usage), checkLimitText(l), checkWhen(p),
		checkSustained(p))
	if l.Kind != "bucket" && p.Peak >= 1 {
		f.Detail = "over the limit " + checkFor(p.OverFrom, p.OverTo) + checkOverTime(p)
	}
	short := false
	if l.Kind == "bucket" && p.Peak >= 1 {
		short = p.Excess <= l.Burst
		if short {
			f.Usage = p.Busiest
			f.Detail = fmt.Sprintf("short overload: the burst of %s holds the %s requests above the rate",
				checkCount(l.Burst), checkCount(p.Excess))
		} else {
			f.Detail = fmt.Sprintf("overloaded %s: about %s requests refused",
				checkFor(p.OverFrom, p.OverTo), checkCount(p.Excess-l.Burst))
		}
	}
	f.Level = checkLevel(f.Usage, short)
	return f
}

// inFlightFinding grades max_in_flight by the Poisson law of attempts in
// flight at the peak arrival rate: it breaks when full more than 0.1% of
// the time, the point where its 99.9th percentile reaches the cap.
func inFlightFinding(pc PlatformCheck, a ArrivalCheck) Finding {
	m := float64(pc.MaxInFlight)
	f := Finding{Usage: pc.InFlightP999 / m}
	f.Text = fmt.Sprintf("max_in_flight mean %s, p99.9 %s of %d, full %s of the time %s",
		checkNum(pc.InFlight), checkNum(pc.InFlightP999), pc.MaxInFlight, checkFrac(pc.InFlightFull),
		checkWhen(UsageProfile{PeakFrom: a.PeakFrom, PeakTo: a.PeakTo}))
	switch {
	case pc.InFlightFull > 0.001:
		f.Level = levelBreak
	case f.Usage >= 0.8:
		f.Level = levelRisk
	default:
		f.Level = levelOK
	}
	return f
}

// checkOverTime gives the time over capacity in all, " (1h20m over
// capacity in all)", when other stretches add to the peak's.
func checkOverTime(p UsageProfile) string {
	if p.OverTime <= p.OverTo-p.OverFrom+1e-6 {
		return ""
	}
	return fmt.Sprintf(" (%s over capacity in all)", checkDur(p.OverTime))
}

// checkWhen says when a limit peaks: "from 10:00 for 20m".
func checkWhen(p UsageProfile) string {
	return checkFor(p.PeakFrom, p.PeakTo)
}

// checkFor writes a stretch of the timeline as "from 10:00 for 20m".
func checkFor(from, to float64) string {
	return fmt.Sprintf("from %s for %s", checkClock(from), checkDur(to-from))
}

// checkSustained gives the busiest hour's usage, "; busiest hour 85% from
// 10:00", or "" when it reads the same as the peak.
func checkSustained(p UsageProfile) string {
	if checkPct(p.Busiest) == checkPct(p.Peak) {
		return ""
	}
	if p.Window != checkHour {
		return "; over the run " + checkPct(p.Busiest)
	}
	return fmt.Sprintf("; busiest hour %s from %s", checkPct(p.Busiest), checkClock(p.BusiestFrom))
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
	fmt.Fprintln(b, "Erlang A, Allen-Cunneen, Little's law); the findings follow each limit through")
	fmt.Fprintln(b, "the run. No simulation was run: these show where to look; the simulation")
	fmt.Fprintln(b, "(dasim run) is the answer.")

	r.writeArrivals(b)
	r.writeActions(b)
	r.writePlatform(b, at)
	r.writeEndpoints(b, at)
	r.writeQueues(b, at)

	fmt.Fprintln(b, "\nFindings (each limit over the run, worst first; 100% or more will break, 80% or")
	fmt.Fprintln(b, "more at risk; a short overload is graded by the busiest hour)")
	// Keep lines within 100 columns: the text column starts after the
	// widest level, indented by 2 and padded by 2.
	width := 0
	for _, f := range r.Findings {
		width = max(width, len(f.Level))
	}
	width = 100 - 4 - width
	tw := checkTable(b)
	for _, f := range r.Findings {
		lines := append(checkWrapClauses(f.Text, width), checkWrapClauses(f.Detail, width-2)...)
		for i, line := range lines {
			switch {
			case i == 0:
				fmt.Fprintf(tw, "  %s\t%s\n", strings.ToUpper(f.Level), line)
			default:
				fmt.Fprintf(tw, "  \t  %s\n", line)
			}
		}
	}
	if len(r.Findings) == 0 {
		fmt.Fprintln(tw, "  (no limits configured)")
	}
	tw.Flush()

	if len(r.Notes) > 0 {
		fmt.Fprintln(b, "\nNotes")
		for _, n := range r.Notes {
			for i, line := range checkWrap(n, 92) {
				if i == 0 {
					fmt.Fprintf(b, "  - %s\n", line)
				} else {
					fmt.Fprintf(b, "    %s\n", line)
				}
			}
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
	if a.BusiestCount == 0 {
		fmt.Fprintln(tw, "  busiest interval\tnone: no arrivals")
		tw.Flush()
		return
	}
	w, hour := math.Min(checkHour, a.End-a.Start), "busiest hour"
	if w != checkHour {
		hour = "busiest " + checkDur(w)
	}
	fmt.Fprintf(tw, "  %s\t%s-%s: %s interactions, %s\n", hour, checkClock(a.HourFrom),
		checkClock(a.HourFrom+w), checkCount(a.HourRate*w), checkRate(a.HourRate))
	fmt.Fprintf(tw, "  busiest interval\t%s-%s: %s interactions\n", checkClock(a.BusiestStart),
		checkClock(a.BusiestEnd), checkCount(a.BusiestCount))
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
			// Every action follows the arrival rate, so its share of a
			// limit is its share of the executions.
			u := checkRatio(a.ExecutionsPerMin, r.Platform.ExecutionsPerMin) * l.Usage
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
		fmt.Fprintf(tw, "  %s\t%s\n", l.Name, checkOffered(l))
	}
	limit := "no limit"
	if p.MaxInFlight > 0 {
		limit = fmt.Sprintf("of %d, full %s of the time", p.MaxInFlight, checkFrac(p.InFlightFull))
	}
	fmt.Fprintf(tw, "  in flight\tmean %s, p99.9 %s %s\n", checkNum(p.InFlight), checkNum(p.InFlightP999), limit)
	tw.Flush()
	fmt.Fprintln(b, "  (mean by Little's law: executions/s x attempt time, capped at the timeout;")
	fmt.Fprintln(b, "  p99.9 and full from the Poisson law of an M/G/inf count)")
}

// writeEndpoints prints each endpoint's load, workers and rate limits.
func (r CheckReport) writeEndpoints(b *bytes.Buffer, at string) {
	if len(r.Endpoints) == 0 {
		return
	}
	fmt.Fprintf(b, "\nEndpoints at peak (%s); wait for a worker by Allen-Cunneen\n", at)
	tw := checkTable(b)
	fmt.Fprintln(tw, "  endpoint\trequests/s\tlatency\tErlangs\tworkers\tbusy\twait\tqueue_limit")
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
			fmt.Fprintf(tw, "  %s rate limit %s\t%s\n", e.Name, l.Name, checkOffered(l))
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
	fmt.Fprintln(tw, "  queue\tarrivals/s\thandle\tErlangs\tagents\toccupancy\tP(wait)\tmean wait\tservice level")
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
		fmt.Fprintf(b, "  %s is overloaded at peak: the line grows while that lasts, unless callers abandon\n", n)
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
	fmt.Fprintln(tw, "  queue\tpatience\tP(abandon)\tP(wait)\tmean wait\tif answered\tservice level\toccupancy")
	for _, q := range ea {
		a := q.Abandon
		kind := ""
		if !q.PatienceExponential {
			kind = " (approx.)"
		}
		fmt.Fprintf(tw, "  %s\t%s%s\t%s\t%s\t%s\t%s\t%s within %s\t%s\n", q.Name, checkDur(q.PatienceMean), kind,
			checkPct(a.PAbandon), checkPct(a.PWait), checkDur(a.Wq), checkDur(a.WqAnswered), checkPct(q.AbandonSL),
			checkDur(q.Target), checkPct(a.Occupancy))
	}
	tw.Flush()
}

// checkTable returns an aligned table writer onto b.
func checkTable(b *bytes.Buffer) *tabwriter.Writer {
	return tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
}

// checkLimitText describes a limit's capacity in its own terms:
// "2,500/min", "100,000 per 1h" or "1,200/min bucket, burst 200".
func checkLimitText(l LimitCheck) string {
	if l.Kind == "bucket" {
		return fmt.Sprintf("%s/min bucket, burst %s", checkNum(l.PerMinute), checkCount(l.Burst))
	}
	if l.Per == 60 {
		return checkCount(float64(l.Limit)) + "/min"
	}
	return fmt.Sprintf("%s per %s", checkCount(float64(l.Limit)), checkDur(l.Per))
}

// checkOffered sets a limit against what is offered to it: per minute at
// peak, or, for a window of another length, in its busiest window.
func checkOffered(l LimitCheck) string {
	use := checkPct(l.Usage) + checkOver(l.Usage)
	if l.Kind == "bucket" || l.Per == 60 {
		return fmt.Sprintf("%s: %s/min offered, %s", checkLimitText(l), checkNum(l.Offered), use)
	}
	return fmt.Sprintf("%s: %s offered in %s-%s, %s", checkLimitText(l), checkNum(l.WindowCount),
		checkClock(l.WindowFrom), checkClock(l.WindowTo), use)
}

// checkFrac writes a small fraction as a percentage with two decimals,
// since 0.1% of refusals matters: "0%", "<0.01%", "0.04%", "25%".
func checkFrac(f float64) string {
	switch p := 100 * f; {
	case p == 0:
		return "0%"
	case p < 0.01:
		return "<0.01%"
	case p < 1:
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	}
	return checkPct(f)
}

// checkWrap breaks text into lines of at most width bytes between words
// (a longer word keeps its own line); "" gives none.
func checkWrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines, line = append(lines, line), ""
		}
		line = strings.TrimSpace(line + " " + w)
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// checkWrapClauses is [checkWrap] that breaks after a "; " where it can,
// so that a clause stays on one line.
func checkWrapClauses(text string, width int) []string {
	var lines []string
	line := ""
	for _, clause := range strings.SplitAfter(text, "; ") {
		clause = strings.TrimSpace(clause)
		switch {
		case clause == "":
		case len(strings.TrimSpace(line+" "+clause)) <= width:
			line = strings.TrimSpace(line + " " + clause)
		case len(clause) <= width:
			lines, line = append(lines, line), clause
		default:
			wrapped := checkWrap(line+" "+clause, width)
			lines, line = append(lines, wrapped[:len(wrapped)-1]...), wrapped[len(wrapped)-1]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
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
	}
	// From two minutes on, whole units as a clock would: "2m05s", "6m",
	// "14h05m" (seconds dropped from an hour on).
	sec := int64(math.Round(s))
	if sec < 3600 {
		if sec%60 == 0 {
			return fmt.Sprintf("%dm", sec/60)
		}
		return fmt.Sprintf("%dm%02ds", sec/60, sec%60)
	}
	mins := (sec + 30) / 60
	if mins%60 == 0 {
		return fmt.Sprintf("%dh", mins/60)
	}
	return fmt.Sprintf("%dh%02dm", mins/60, mins%60)
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

// meanCapped is E[min(c + L, t)]: the mean time an attempt holds its slot
// when the endpoint's latency L follows d, c adds the overhead and the wait
// for a worker, and the action's timeout t ends the attempt. A slot held
// by a slow answer is freed at the timeout, so min(E[L], t) overstates it.
// The integral over the quantile function uses the midpoint rule on 2,000
// points; d nil means no latency.
func meanCapped(d *Dist, c, t float64) float64 {
	if d == nil {
		return math.Min(c, t)
	}
	const n = 2000
	sum := 0.0
	for k := range n {
		sum += math.Min(c+d.Quantile((float64(k)+0.5)/n), t)
	}
	return sum / n
}
