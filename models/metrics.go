package models

import (
	"fmt"
	"sort"
	"strings"
)

// Metric units, as summary.json writes them.
const (
	UnitSeconds  = "s"
	UnitFraction = "fraction"
	UnitCount    = "count"
)

// PercentileSuffixes are the statistics every latency and delay metric has.
var PercentileSuffixes = []string{"mean", "p50", "p90", "p95", "p99", "max"}

// MetricCatalog lists every metric the scenario defines, by name, with its
// unit. It is the one place that knows the metric names: SLO validation,
// the summary and the reference all use it.
func MetricCatalog(sc *Scenario) map[string]string {
	m := map[string]string{}
	count := func(names ...string) {
		for _, n := range names {
			m[n] = UnitCount
		}
	}
	frac := func(names ...string) {
		for _, n := range names {
			m[n] = UnitFraction
		}
	}
	dist := func(prefix string) {
		for _, s := range PercentileSuffixes {
			m[prefix+"."+s] = UnitSeconds
		}
	}

	count("interactions.arrived", "interactions.answered", "interactions.abandoned",
		"interactions.ended_in_flow", "interactions.open", "interactions.transferred")
	dist("interactions.action_wait")
	dist("routing.delay")
	count("platform.executions", "platform.per_minute.max", "platform.in_flight.max")

	for _, a := range sc.Actions {
		p := "actions." + a.Name
		count(p+".calls", p+".cache_hits", p+".executions", p+".retries",
			p+".in_flight.max", p+".per_minute.max")
		dist(p + ".latency")
		frac(p+".success", p+".timeouts", p+".rejected", p+".errors", p+".failed")
	}
	for _, e := range sc.Endpoints {
		p := "endpoints." + e.Name
		count(p+".requests", p+".busy.mean", p+".queue.mean", p+".queue.max")
		frac(p+".rejected", p+".rejected_queue", p+".rejected_rate_limit", p+".errors")
		if e.Workers != nil {
			frac(p + ".utilization")
		}
		dist(p + ".wait")
		dist(p + ".response")
		for _, l := range e.RateLimits {
			frac("limits." + l.Name + ".rejected")
			count("limits." + l.Name + ".offered.max")
		}
	}
	if sc.Platform.MaxInFlight > 0 {
		frac("limits.max_in_flight.rejected")
	}
	for _, l := range sc.Platform.RateLimits {
		frac("limits." + l.Name + ".rejected")
		count("limits." + l.Name + ".offered.max")
	}
	for _, f := range sc.Flows {
		dist("flows." + f.Name + ".duration")
		frac("flows." + f.Name + ".failure_path")
	}
	for _, q := range sc.Queues {
		p := "queues." + q.Name
		count(p+".entries", p+".busy.mean")
		dist(p + ".wait")
		dist(p + ".on_answer_delay")
		frac(p+".service_level", p+".service_level_answered", p+".abandoned", p+".occupancy")
	}
	return m
}

// CheckMetric returns the unit of a metric name, or an error that suggests
// the nearest valid names when the scenario has no such metric.
func CheckMetric(sc *Scenario, name string) (unit string, err error) {
	cat := MetricCatalog(sc)
	if u, ok := cat[name]; ok {
		return u, nil
	}
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for n := range cat {
		cs = append(cs, cand{n, editDistance(name, n)})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var near []string
	for i := 0; i < len(cs) && i < 3; i++ {
		near = append(near, cs[i].name)
	}
	return "", fmt.Errorf("unknown metric %q; nearest: %s", name, strings.Join(near, ", "))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
