package models

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Limits on the size of one replication. Without them a short interval or
// a huge rate makes the simulator allocate until the Go runtime gives up:
// it keeps a row per interval and an event per arrival.
const (
	// maxHorizon is the longest horizon, in seconds: 31 days.
	maxHorizon = 31 * 86400
	// maxIntervals bounds the clock-aligned intervals of one run.
	maxIntervals = 20000
	// maxArrivals bounds the expected interactions of one replication.
	maxArrivals = 50_000_000
)

// intervalCount is the number of clock-aligned intervals of length iv that
// meet the run [start, start+horizon), counted as sim.Window.NumIntervals
// counts them; a float64, as a tiny interval makes more than an int holds.
func intervalCount(start, horizon, iv float64) float64 {
	first := math.Floor(nearInteger(start / iv))
	last := math.Ceil(nearInteger((start + horizon) / iv))
	return max(last-first, 1)
}

// nearInteger rounds q to the nearest integer when it is that integer up to
// rounding error: 28800 / 0.001 is 28800000.000000004 in float64.
func nearInteger(q float64) float64 {
	if r := math.Round(q); math.Abs(q-r) <= 1e-9*max(1, math.Abs(q)) {
		return r
	}
	return q
}

// expectedArrivals is the expected number of arrivals over [start, end):
// the integral of the rate (base × scale × the active bursts' multipliers),
// times the mean busyness. It is exact for both processes, as each makes
// as many arrivals as the cumulative intensity on average. The sweep over
// the points where a factor changes keeps it fast with many volume rows
// and bursts; the burst product is kept as a sum of logarithms, so that
// bursts ending do not divide rounding errors back in.
func expectedArrivals(a *Arrivals, start, end float64) float64 {
	type edge struct {
		t, logM float64
		on      int // +1 when a burst starts, -1 when it ends
	}
	var edges []edge
	// A day early, for a burst that began the evening before the start.
	for day := math.Floor(start/86400) - 1; day*86400 < end; day++ {
		for _, b := range a.Bursts {
			t0, lm := day*86400+b.Start, math.Log(b.Multiplier)
			edges = append(edges, edge{t0, lm, 1}, edge{t0 + b.Duration, -lm, -1})
		}
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].t < edges[j].t })

	cuts := []float64{start, end}
	for _, s := range a.Base {
		cuts = append(cuts, s.From, s.To)
	}
	for _, e := range edges {
		cuts = append(cuts, e.t)
	}
	sort.Float64s(cuts)

	total, logM, active, ei, bi := 0.0, 0.0, 0, 0, 0
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		for ei < len(edges) && edges[ei].t <= from {
			logM += edges[ei].logM
			active += edges[ei].on
			ei++
		}
		if active == 0 {
			logM = 0
		}
		for bi < len(a.Base) && a.Base[bi].To <= from {
			bi++
		}
		if from < start || to > end || to <= from || bi == len(a.Base) || a.Base[bi].From > from {
			continue
		}
		if r := a.Base[bi].Rate; r > 0 {
			total += r * math.Exp(logM) * (to - from)
		}
	}

	busyness := 1.0
	if a.Busyness != nil {
		busyness = a.Busyness.Mean()
	}
	if total == 0 || busyness == 0 {
		return 0
	}
	return total * a.Scale * busyness
}

// Validate checks the invariants of a resolved scenario that the builder
// and the simulation rely on: every time, rate and fraction in range, every
// distribution valid, every name well formed and distinct, every reference
// defined, and the run within the size limits (a horizon of at most 31
// days, at most 20,000 intervals, at most 50 million expected arrivals per
// replication). The loader reports the same problems with their positions;
// Validate is the backstop for scenarios changed after loading and for
// tests. It returns all problems joined.
func (sc *Scenario) Validate() error {
	v := &validator{}
	v.check(finite(sc.Horizon) && sc.Horizon > 0, "horizon %g must be > 0", sc.Horizon)
	v.check(sc.Warmup >= 0 && sc.Warmup < sc.Horizon, "warmup %g must be in [0, horizon)", sc.Warmup)
	v.check(sc.Replications >= 1, "replications %d must be >= 1", sc.Replications)
	v.check(finite(sc.Interval) && sc.Interval > 0, "interval %g must be > 0", sc.Interval)
	v.check(sc.Start >= 0 && sc.Start < 86400, "start %g must be a time of day", sc.Start)
	v.arrivals(&sc.Arrivals)
	v.size(sc)

	used := map[string]string{}
	name := func(kind, n string) {
		v.check(validName(n), "%s name %q is not valid", kind, n)
		v.check(!contains(reservedNames, n), "%s name %q is reserved", kind, n)
		if prev, dup := used[n]; dup {
			v.fail("%s name %q is already used by a %s", kind, n, prev)
		}
		used[n] = kind
	}
	endpoints, actions, routable := map[string]bool{}, map[string]bool{}, map[string]bool{}
	flows := map[string]bool{}
	for _, e := range sc.Endpoints {
		name("endpoint", e.Name)
		endpoints[e.Name] = true
	}
	for _, a := range sc.Actions {
		name("action", a.Name)
		actions[a.Name] = true
	}
	for _, f := range sc.Flows {
		name("flow", f.Name)
		routable[f.Name], flows[f.Name] = true, true
	}
	for _, q := range sc.Queues {
		name("queue", q.Name)
		routable[q.Name] = true
	}

	p := &sc.Platform
	v.check(p.MaxTimeout > 0 && finite(p.MaxTimeout), "platform max_timeout %g must be > 0", p.MaxTimeout)
	v.check(p.Timeout > 0 && p.Timeout <= p.MaxTimeout, "platform timeout %g must be in (0, max_timeout]", p.Timeout)
	v.dist("platform overhead", &p.Overhead)
	v.check(p.MaxInFlight >= 0, "platform max_in_flight %d must be >= 0", p.MaxInFlight)
	limits := map[string]bool{}
	v.limits("platform", p.RateLimits, limits)

	for _, e := range sc.Endpoints {
		at := "endpoint " + e.Name
		if e.Workers != nil {
			v.capacity(at+" workers", e.Workers)
		}
		v.check(e.QueueLimit >= -1, "%s: queue_limit %d must be >= -1", at, e.QueueLimit)
		v.dist(at+" latency", &e.Latency)
		v.check(e.ErrorRate >= 0 && e.ErrorRate <= 1, "%s: error_rate %g must be in 0..1", at, e.ErrorRate)
		v.limits(at, e.RateLimits, limits)
		v.check(e.RetryAfter >= 0 && finite(e.RetryAfter), "%s: retry_after %g must be >= 0", at, e.RetryAfter)
	}
	for _, a := range sc.Actions {
		at := "action " + a.Name
		v.check(endpoints[a.Endpoint], "%s: no endpoint %q", at, a.Endpoint)
		v.check(a.Timeout > 0 && a.Timeout <= p.MaxTimeout, "%s: timeout %g must be in (0, max_timeout]", at, a.Timeout)
		r := a.Retry
		v.check(r.MaxRetries >= 0, "%s: max_retries %d must be >= 0", at, r.MaxRetries)
		v.check(r.Backoff >= 0 && finite(r.Backoff), "%s: backoff %g must be >= 0", at, r.Backoff)
		v.check(r.Multiplier >= 1 && finite(r.Multiplier), "%s: multiplier %g must be >= 1", at, r.Multiplier)
		v.check(r.Jitter >= 0 && r.Jitter <= 1, "%s: jitter %g must be in 0..1", at, r.Jitter)
		for _, o := range r.On {
			v.check(contains(retryOutcomes, o), "%s: retry on %q is not an outcome", at, o)
		}
		if a.Cache != nil {
			v.check(a.Cache.HitRatio >= 0 && a.Cache.HitRatio <= 1, "%s: hit_ratio %g must be in 0..1", at, a.Cache.HitRatio)
			v.dist(at+" cache latency", &a.Cache.Latency)
		}
	}

	v.check(flows[sc.Entry], "entry %q is not a flow", sc.Entry)
	sv := stepValidator{v: v, actions: actions, routable: routable, maxTimeout: p.MaxTimeout}
	for _, f := range sc.Flows {
		v.check(len(f.Steps) > 0, "flow %s has no steps", f.Name)
		sv.steps("flow "+f.Name, f.Steps, false)
	}
	for _, q := range sc.Queues {
		at := "queue " + q.Name
		v.capacity(at+" agents", q.Agents)
		v.dist(at+" handle_time", &q.HandleTime)
		if q.Patience != nil {
			v.dist(at+" patience", q.Patience)
		}
		v.check(q.ServiceLevel >= 0 && finite(q.ServiceLevel), "%s: service_level %g must be >= 0", at, q.ServiceLevel)
		if q.InQueue != nil {
			v.dist(at+" in_queue every", &q.InQueue.Every)
			v.check(q.InQueue.Every.Mean() > 0, "%s: in_queue every must have a mean above 0", at)
			v.check(len(q.InQueue.Steps) > 0, "%s: in_queue has no steps", at)
			sv.steps(at+" in_queue", q.InQueue.Steps, true)
		}
		for _, a := range q.OnAnswer {
			v.check(actions[a], "%s: on_answer names no action %q", at, a)
		}
		if t := q.Transfer; t != nil {
			v.check(t.Probability >= 0 && t.Probability <= 1, "%s: transfer probability %g must be in 0..1", at, t.Probability)
			v.check(routable[t.To], "%s: transfer to %q is no queue or flow", at, t.To)
		}
	}

	for _, s := range sc.SLO {
		unit, err := CheckMetric(sc, s.Metric)
		if err != nil {
			v.fail("slo: %v", err)
			continue
		}
		v.check(s.Min != nil || s.Max != nil, "slo %s has neither min nor max", s.Metric)
		for _, b := range []*float64{s.Min, s.Max} {
			if b != nil {
				v.check(finite(*b) && *b >= 0 && (unit != UnitFraction || *b <= 1), "slo %s: bound %g out of range", s.Metric, *b)
			}
		}
		if s.Min != nil && s.Max != nil {
			v.check(*s.Min <= *s.Max, "slo %s: min above max", s.Metric)
		}
	}
	return v.err()
}

// Validate checks that d is a distribution of its kind with parameters in
// range, and that its mean and second moment are finite. Every Dist that
// Parse returns is valid; [Dist.Sampler], Mean, SecondMoment and Quantile
// assume it.
func (d *Dist) Validate() error {
	v := &validator{}
	switch d.Kind {
	case DistConstant:
		v.check(finite(d.Value) && d.Value >= 0, "constant value %g must be >= 0", d.Value)
	case DistExponential:
		v.check(finite(d.MeanParam) && d.MeanParam > 0, "exponential mean %g must be > 0", d.MeanParam)
	case DistUniform:
		v.check(finite(d.Max) && d.Min >= 0 && d.Min < d.Max, "uniform needs 0 <= min < max, got %g and %g", d.Min, d.Max)
	case DistNormal:
		// A mean below 0 would make the redraw of negative values slow
		// without bound.
		v.check(finite(d.MeanParam) && d.MeanParam >= 0, "normal mean %g must be >= 0", d.MeanParam)
		v.check(finite(d.SD) && d.SD > 0, "normal sd %g must be > 0", d.SD)
	case DistLognormal:
		v.check(finite(d.Mu), "lognormal mu %g must be finite", d.Mu)
		v.check(finite(d.Sigma) && d.Sigma > 0, "lognormal sigma %g must be > 0", d.Sigma)
	case DistGamma:
		v.check(finite(d.MeanParam) && d.MeanParam > 0, "gamma mean %g must be > 0", d.MeanParam)
		// The shape is 1/cv²; outside these bounds the sampler loses all
		// precision (use constant for no variation).
		v.check(d.CV >= 1e-6 && d.CV <= 1e3, "gamma cv %g must be in [1e-6, 1000]", d.CV)
	case DistWeibull:
		v.check(finite(d.Shape) && d.Shape > 0, "weibull shape %g must be > 0", d.Shape)
		v.check(finite(d.Scale) && d.Scale > 0, "weibull scale %g must be > 0", d.Scale)
	case DistPercentiles:
		pts := d.Points
		v.check(len(pts) >= 2 && pts[0].P == 0 && pts[len(pts)-1].P == 1, "percentiles need points at 0 and 1")
		for i, pt := range pts {
			v.check(finite(pt.V) && pt.V >= 0, "percentile value %g must be >= 0", pt.V)
			if i > 0 {
				v.check(pt.P > pts[i-1].P, "percentile probabilities must increase")
				v.check(pt.V >= pts[i-1].V, "percentile values must not decrease")
			}
		}
	case DistEmpirical:
		v.check(len(d.Samples) > 0, "empirical needs samples")
		for _, x := range d.Samples {
			if !finite(x) || x < 0 {
				v.fail("empirical sample %g must be >= 0", x)
				break
			}
		}
	case DistMixture:
		v.check(len(d.Of) > 0, "mixture needs components")
		sum := 0.0
		for i := range d.Of {
			c := &d.Of[i]
			v.check(finite(c.Weight) && c.Weight > 0, "mixture weight %g must be > 0", c.Weight)
			sum += c.Weight
			if err := c.Dist.Validate(); err != nil {
				v.fail("mixture component %d: %v", i, err)
			}
		}
		v.check(math.Abs(sum-1) <= 1e-9, "mixture weights sum to %g, not 1", sum)
	default:
		v.fail("unknown distribution %q", d.Kind)
	}
	if v.err() == nil {
		m, m2 := d.Mean(), d.SecondMoment()
		v.check(finite(m) && finite(m2), "the parameters are too extreme: the mean or its square is not finite")
	}
	return v.err()
}

// validator collects problems.
type validator struct {
	errs []error
}

func (v *validator) fail(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("models: "+format, args...))
}

func (v *validator) check(ok bool, format string, args ...any) bool {
	if !ok {
		v.fail(format, args...)
	}
	return ok
}

func (v *validator) err() error { return errors.Join(v.errs...) }

func (v *validator) dist(at string, d *Dist) {
	if err := d.Validate(); err != nil {
		v.fail("%s: %v", at, err)
	}
}

func (v *validator) arrivals(a *Arrivals) {
	v.check(a.Kind == "rate" || a.Kind == "concurrency" || a.Kind == "volumes", "arrivals kind %q", a.Kind)
	v.check(len(a.Base) > 0, "arrivals have no base rate")
	for i, s := range a.Base {
		v.check(finite(s.From) && s.From >= 0 && s.To > s.From && finite(s.Rate) && s.Rate >= 0,
			"arrivals segment %d [%g, %g) rate %g", i, s.From, s.To, s.Rate)
		if i > 0 {
			v.check(s.From >= a.Base[i-1].To-1e-9, "arrivals segments %d and %d overlap", i-1, i)
		}
	}
	v.check(a.Process == "poisson" || a.Process == "deterministic", "arrivals process %q", a.Process)
	v.check(finite(a.Scale) && a.Scale > 0, "arrivals scale %g must be > 0", a.Scale)
	if a.Busyness != nil {
		v.dist("arrivals busyness", a.Busyness)
	}
	for _, b := range a.Bursts {
		v.check(b.Start >= 0 && b.Start < 86400 && b.Duration > 0 && b.Duration <= 86400 &&
			finite(b.Multiplier) && b.Multiplier > 0, "burst %+v out of range", b)
	}
}

// size checks the limits on the size of one replication. It relies on the
// checks before it: with any problem found already it checks nothing.
func (v *validator) size(sc *Scenario) {
	if len(v.errs) > 0 {
		return
	}
	if !v.check(sc.Horizon <= maxHorizon, "horizon %g must be at most %d (31 days)", sc.Horizon, maxHorizon) {
		return
	}
	n := intervalCount(sc.Start, sc.Horizon, sc.Interval)
	v.check(n <= maxIntervals, "interval %g makes %g intervals; at most %d are allowed", sc.Interval, n, maxIntervals)
	n = expectedArrivals(&sc.Arrivals, sc.Start, sc.Start+sc.Horizon)
	v.check(n <= maxArrivals, "about %g arrivals per replication; at most %g are allowed", n, float64(maxArrivals))
}

func (v *validator) capacity(at string, cs []Capacity) {
	v.check(len(cs) > 0, "%s: empty schedule", at)
	positive := false
	for i, c := range cs {
		v.check(c.Start >= 0 && c.Start < 86400 && c.N >= 0, "%s: entry %+v out of range", at, c)
		if i > 0 {
			v.check(c.Start > cs[i-1].Start, "%s: schedule not sorted by start", at)
		}
		positive = positive || c.N > 0
	}
	v.check(positive, "%s: never more than 0", at)
}

func (v *validator) limits(at string, ls []RateLimit, seen map[string]bool) {
	for _, l := range ls {
		v.check(validName(l.Name) && !contains(reservedNames, l.Name), "%s: limit name %q", at, l.Name)
		v.check(!seen[l.Name], "%s: limit name %q used twice", at, l.Name)
		seen[l.Name] = true
		switch l.Kind {
		case "bucket":
			v.check(finite(l.Rate) && l.Rate > 0 && finite(l.Burst) && l.Burst >= 1, "%s: bucket %s needs rate > 0, burst >= 1", at, l.Name)
		case "window":
			v.check(l.Limit >= 1 && finite(l.Per) && l.Per > 0, "%s: window %s needs limit >= 1, per > 0", at, l.Name)
		default:
			v.fail("%s: limit %s has kind %q", at, l.Name, l.Kind)
		}
	}
}

// stepValidator checks step lists.
type stepValidator struct {
	v                 *validator
	actions, routable map[string]bool
	maxTimeout        float64
}

func (sv *stepValidator) steps(at string, steps []Step, inQueue bool) {
	v := sv.v
	for i := range steps {
		s := &steps[i]
		sat := fmt.Sprintf("%s step %d (line %d)", at, i, s.Line)
		v.check(s.Timeout >= 0 && s.Timeout <= sv.maxTimeout, "%s: timeout %g out of range", sat, s.Timeout)
		switch s.Kind {
		case StepWait:
			if v.check(s.Wait != nil, "%s: wait without a duration", sat); s.Wait != nil {
				v.dist(sat, s.Wait)
			}
		case StepAction, StepAsync:
			v.check(sv.actions[s.Action], "%s: no action %q", sat, s.Action)
		case StepParallel:
			v.check(len(s.Parallel) > 0, "%s: parallel without actions", sat)
			for _, a := range s.Parallel {
				v.check(sv.actions[a], "%s: no action %q", sat, a)
			}
		case StepBranch:
			v.check(s.Probability >= 0 && s.Probability <= 1, "%s: probability %g", sat, s.Probability)
		case StepRepeat:
			v.check(s.Times >= 1, "%s: times %d must be >= 1", sat, s.Times)
			if v.check(s.Every != nil, "%s: repeat without every", sat); s.Every != nil {
				v.dist(sat+" every", s.Every)
			}
		case StepQueue:
			v.check(!inQueue, "%s: queue step in in_queue steps", sat)
			v.check(sv.routable[s.Target], "%s: no queue or flow %q", sat, s.Target)
		case StepDisconnect:
			v.check(!inQueue, "%s: disconnect in in_queue steps", sat)
		default:
			v.fail("%s: unknown step kind %q", sat, s.Kind)
		}
		sv.steps(sat+" on_failure", s.OnFailure, inQueue)
		sv.steps(sat+" on_timeout", s.OnTimeout, inQueue)
		sv.steps(sat, s.Steps, inQueue)
	}
}

func finite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }
