package reports

import (
	"encoding/json"
	"math"
)

// fixtureSummary builds the summary of a plausible day in a contact
// centre: 10 h from 08:00 in 15 m intervals with a 30 m warm-up, two
// actions on one endpoint guarded by a token bucket, one queue, and four
// SLOs of which the service level fails and the max_in_flight one is not
// confident. The shape of the day is two Gaussian bumps (late morning and
// mid afternoon); the queue is short of agents from 11:30 to 11:45, which
// makes that interval, not the busiest, the worst for callers. Every value
// is rounded so that the fixture is the same on every platform.
func fixtureSummary() *Summary {
	const (
		start    = 8 * 3600.0
		interval = 900.0
		n        = 40
	)
	s := &Summary{
		Version:          "0.1.0-test",
		Scenario:         "800 agents, one Data Action per new interaction",
		ScenarioFile:     "examples/contact_center.yaml",
		ScenarioSHA256:   "3f0a9c2e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19",
		ResolvedScenario: json.RawMessage(`{"name":"800 agents, one Data Action per new interaction","seed":1}`),
		Seed:             1,
		Replications:     10,
		Verdict:          "fail",
		Warnings: []string{
			"slo limits.max_in_flight.rejected: the 95% CI [0%, 0.11%] straddles the bound 0.1%; run more replications",
			"actions.get_ewt.latency.p99: fewer than 100 calls in 3 of 10 replications before 08:30",
		},
		Context: Context{
			Start: start, Horizon: n * interval, Warmup: 1800, Interval: interval,
			MaxInFlight: 50,
			Windows:     []WindowLimit{{Name: "org_volume", Limit: 2500, Per: 60}},
			Limits: []LimitInfo{
				{Name: "org_volume", Scope: "platform", Kind: "window", Limit: 2500, Per: 60},
				{Name: "crm_token", Scope: "crm", Kind: "bucket", Rate: 25, Burst: 100},
			},
			Actions:         []string{"lookup_customer", "get_ewt"},
			Endpoints:       []string{"crm"},
			EndpointWorkers: map[string]int{"crm": 40},
			Queues:          []QueueInfo{{Name: "support", ServiceLevel: 20, Agents: 800}},
			Arrivals:        "volumes from volumes.csv (busiest day, 30 m counts), scale 1",
		},
		Engine: Engine{Events: 48213377, WallSeconds: 6.82, EventsPerSecond: 7069410},
	}

	s.Columns = []string{
		"interactions.arrived", "platform.executions", "platform.per_minute.max",
		"platform.in_flight.max", "platform.in_flight.mean",
		"limits.org_volume.rejected", "limits.max_in_flight.rejected",
	}
	for _, a := range s.Context.Actions {
		p := "actions." + a
		s.Columns = append(s.Columns, p+".executions", p+".latency.p50", p+".latency.p95",
			p+".latency.p99", p+".failed")
	}
	s.Columns = append(s.Columns, "routing.delay.mean", "routing.delay.p90",
		"queues.support.service_level", "queues.support.abandoned", "queues.support.occupancy",
		"queues.support.wait.mean", "endpoints.crm.utilization", "endpoints.crm.response.p95",
		"queues.support.busy.mean", "limits.org_volume.offered.max")

	for i := range n {
		t := start + float64(i)*interval
		s.Intervals = append(s.Intervals, fixtureInterval(t, t < start+1800, i))
	}

	s.Metrics = fixtureMetrics()
	s.SLO = []SLOResult{
		{Metric: "actions.lookup_customer.latency.p95", Max: ptr(1), Value: ptr(0.684), Pass: true, Confident: true},
		{Metric: "routing.delay.p90", Max: ptr(60), Value: ptr(21.4), Pass: true, Confident: true},
		{Metric: "queues.support.service_level", Min: ptr(0.8), Value: ptr(0.764), Pass: false, Confident: true},
		{Metric: "limits.max_in_flight.rejected", Max: ptr(0.001), Value: ptr(0.0004), Pass: true, Confident: false},
	}
	s.Distributions = map[string][]QuantilePoint{
		"routing.delay":                   quantiles(0.8, 1.2, 1.9, 3.1, 6.5, 14.2, 24.8, 61, 180),
		"actions.lookup_customer.latency": quantiles(0.021, 0.095, 0.13, 0.19, 0.31, 0.52, 0.78, 1.6, 4),
		"actions.get_ewt.latency":         quantiles(0.012, 0.05, 0.07, 0.1, 0.14, 0.2, 0.27, 0.45, 3),
		"queues.support.wait":             quantiles(0, 0, 0, 1.1, 4.9, 12.8, 22.7, 58, 175),
	}
	return s
}

// fixtureLoad is the day's shape at clock time t (s): 0 at night, 1 at
// the late-morning peak.
func fixtureLoad(t float64) float64 {
	h := t / 3600
	v := 0.25 + 0.75*math.Exp(-sq((h-10.5)/1.3)) + 0.45*math.Exp(-sq((h-14.5)/1.2))
	return math.Min(v, 1)
}

func sq(x float64) float64 { return x * x }

// fixtureInterval fills one interval from the load at its middle. The CI
// half-widths are a few percent of each value, as ten replications give.
// Queue and routing numbers follow the pressure on agents, which is the
// load except over lunch (11:30 to 11:45), when it is 1.8 times higher.
func fixtureInterval(t float64, warm bool, i int) Interval {
	x := fixtureLoad(t + 450)
	p := x
	if t >= 11.5*3600 && t < 11.75*3600 {
		p = 1.8 * x
	}
	arrivals := 5200 * x
	execs := arrivals * 3.2
	inFlightMean := execs / 900 * 0.35
	vals := map[string]IntervalValue{}
	set := func(col string, v, rel float64, digits int) {
		vals[col] = cell(v, rel, digits)
	}

	set("interactions.arrived", arrivals, 0.03, 1)
	set("platform.executions", execs, 0.03, 1)
	set("platform.per_minute.max", execs/15*1.12, 0.05, 1)
	// A few attempts are refused by max_in_flight before they reach
	// org_volume's window, at the peak.
	set("limits.org_volume.offered.max", execs/15*1.12*(1-0.002*math.Pow(x, 8)), 0.05, 1)
	set("platform.in_flight.max", inFlightMean*3.5+8, 0.08, 1)
	set("platform.in_flight.mean", inFlightMean, 0.04, 2)
	set("limits.org_volume.rejected", 0, 0, 4)
	set("limits.max_in_flight.rejected", 0.0012*math.Pow(x, 8), 0.9, 6)

	set("actions.lookup_customer.executions", arrivals*1.04, 0.03, 1)
	set("actions.lookup_customer.latency.p50", 0.18+0.05*x, 0.02, 3)
	set("actions.lookup_customer.latency.p95", 0.45+0.35*x*x, 0.05, 3)
	set("actions.lookup_customer.latency.p99", 0.9+1.4*x*x, 0.1, 3)
	set("actions.lookup_customer.failed", 0.002+0.006*x*x, 0.3, 5)
	set("actions.get_ewt.executions", arrivals*2.16, 0.03, 1)
	set("actions.get_ewt.latency.p50", 0.09+0.02*x, 0.02, 3)
	set("actions.get_ewt.latency.p95", 0.2+0.1*x*x, 0.05, 3)
	set("actions.get_ewt.latency.p99", 0.35+0.3*x*x, 0.1, 3)
	set("actions.get_ewt.failed", 0.0005+0.001*x, 0.4, 5)

	set("routing.delay.mean", 2+40*math.Pow(p, 4), 0.12, 2)
	set("routing.delay.p90", 5+95*math.Pow(p, 4), 0.12, 2)
	set("queues.support.service_level", 0.95-0.35*math.Pow(p, 3), 0.03, 4)
	set("queues.support.abandoned", 0.01+0.08*math.Pow(p, 3), 0.15, 4)
	occupancy := math.Min(0.68+0.29*p, 0.985)
	set("queues.support.occupancy", occupancy, 0.01, 4)
	set("queues.support.busy.mean", occupancy*800, 0.01, 1)
	set("queues.support.wait.mean", 1.8+38*math.Pow(p, 4), 0.12, 2)
	set("endpoints.crm.utilization", 0.3+0.45*x, 0.02, 4)
	set("endpoints.crm.response.p95", 0.42+0.3*x*x, 0.05, 3)
	if i == 0 {
		// The first interval has no complete response sample: an
		// empty cell in intervals.csv and a gap in the plots.
		delete(vals, "endpoints.crm.response.p95")
		vals["routing.delay.p90"] = IntervalValue{}
	}
	return Interval{Start: t, Label: clockLabel(t), InWarmup: warm, Values: vals}
}

// cell rounds v and its CI of relative half-width rel to digits decimals,
// clamping the lower bound at 0.
func cell(v, rel float64, digits int) IntervalValue {
	lo, hi := math.Max(0, v*(1-rel)), v*(1+rel)
	return IntervalValue{Value: ptr(round(v, digits)), Lo: ptr(round(lo, digits)), Hi: ptr(round(hi, digits))}
}

func round(v float64, digits int) float64 {
	k := math.Pow(10, float64(digits))
	return math.Round(v*k) / k
}

func ptr(v float64) *float64 { return &v }

// quantiles pairs values with the quantiles 0, .1, .25, .5, .75, .9, .95,
// .99 and 1.
func quantiles(vs ...float64) []QuantilePoint {
	qs := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1}
	pts := make([]QuantilePoint, len(vs))
	for i, v := range vs {
		pts[i] = QuantilePoint{Q: qs[i], V: v}
	}
	return pts
}

// metric builds a Metric over 10 replications.
func metric(unit string, v, lo, hi float64) Metric {
	return Metric{Value: ptr(v), CI95: &[2]float64{lo, hi}, N: 10, Unit: unit}
}

// fixtureMetrics holds the whole-run metrics, consistent with the
// intervals: a busiest minute of 1,240 executions, all of which reached
// org_volume, 31 in flight at most, and 1,180 requests to crm in its
// busiest minute (the bucket refills 1,500 a minute).
func fixtureMetrics() map[string]Metric {
	const s, f, c = "s", "fraction", "count"
	return map[string]Metric{
		"interactions.arrived":       metric(c, 142318, 141012, 143624),
		"interactions.answered":      metric(c, 137905, 136640, 139170),
		"interactions.abandoned":     metric(c, 4413, 4102, 4724),
		"interactions.ended_in_flow": metric(c, 0, 0, 0),
		"interactions.open":          metric(c, 0, 0, 0),
		"routing.delay.mean":         metric(s, 8.43, 7.91, 8.95),
		"routing.delay.p90":          metric(s, 21.4, 19.8, 23.0),
		"routing.delay.p95":          metric(s, 32.7, 30.1, 35.3),
		"routing.delay.p99":          metric(s, 61.2, 55.4, 67.0),

		"actions.lookup_customer.calls":       metric(c, 142318, 141012, 143624),
		"actions.lookup_customer.executions":  metric(c, 148011, 146650, 149372),
		"actions.lookup_customer.latency.p50": metric(s, 0.193, 0.191, 0.195),
		"actions.lookup_customer.latency.p95": metric(s, 0.684, 0.652, 0.716),
		"actions.lookup_customer.latency.p99": metric(s, 1.62, 1.48, 1.76),
		"actions.lookup_customer.failed":      metric(f, 0.0052, 0.0046, 0.0058),
		"actions.lookup_customer.timeouts":    metric(f, 0.0031, 0.0027, 0.0035),
		"actions.lookup_customer.rejected":    metric(f, 0.0004, 0, 0.0011),
		"actions.get_ewt.calls":               metric(c, 307407, 304590, 310224),
		"actions.get_ewt.executions":          metric(c, 307407, 304590, 310224),
		"actions.get_ewt.latency.p50":         metric(s, 0.101, 0.1, 0.102),
		"actions.get_ewt.latency.p95":         metric(s, 0.268, 0.259, 0.277),
		"actions.get_ewt.latency.p99":         metric(s, 0.55, 0.51, 0.59),
		"actions.get_ewt.failed":              metric(f, 0.0011, 0.0008, 0.0014),
		"actions.get_ewt.timeouts":            metric(f, 0, 0, 0),
		"actions.get_ewt.rejected":            metric(f, 0.0004, 0, 0.0011),

		"platform.executions":           metric(c, 455418, 451240, 459596),
		"platform.per_minute.max":       metric(c, 1240, 1209, 1271),
		"platform.in_flight.max":        metric(c, 31.4, 29.6, 33.2),
		"limits.org_volume.rejected":    metric(f, 0, 0, 0),
		"limits.max_in_flight.rejected": metric(f, 0.0004, 0, 0.0011),
		"limits.org_volume.offered.max": metric(c, 1240, 1209, 1271),
		"limits.crm_token.rejected":     metric(f, 0, 0, 0),
		"limits.crm_token.offered.max":  metric(c, 1180, 1150, 1210),

		"queues.support.service_level": metric(f, 0.764, 0.748, 0.780),
		"queues.support.abandoned":     metric(f, 0.031, 0.027, 0.035),
		"queues.support.occupancy":     metric(f, 0.912, 0.905, 0.919),
		"queues.support.wait.mean":     metric(s, 7.9, 7.38, 8.42),
		"endpoints.crm.utilization":    metric(f, 0.641, 0.633, 0.649),
		"endpoints.crm.rejected":       metric(f, 0, 0, 0),
		// 40 workers at 64% busy: requests rarely wait, and briefly.
		"endpoints.crm.wait.mean":     metric(s, 0.0009, 0.0007, 0.0011),
		"endpoints.crm.wait.p95":      metric(s, 0, 0, 0),
		"endpoints.crm.response.mean": metric(s, 0.214, 0.211, 0.217),
		"endpoints.crm.queue.max":     metric(c, 4.1, 3.2, 5.0),
	}
}
