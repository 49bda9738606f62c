package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// answer writes the report's opening paragraph, for a support engineer to
// paste into a reply: the headline says which SLOs fail, and the rest gives
// the few numbers behind it in plain words, callers never answered first.
// Each sentence is left out when its numbers are missing.
func answer(s *Summary, limits []limitUse) (headline, rest string) {
	parts := []string{
		callersSentence(s),
		peakSentence(s),
		worstSentence(s),
		actionsSentence(s),
		endpointsSentence(s),
		platformSentence(s),
		queuesSentence(s),
	}
	if len(limits) > 0 && limits[0].used() {
		parts = append(parts, limitSentence(limits))
	}

	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return verdictSentence(s), strings.Join(kept, " ")
}

// verdictSentence says which SLOs fail, or that all hold, and which are
// too close to call.
func verdictSentence(s *Summary) string {
	if len(s.SLO) == 0 {
		return "No SLOs were set, so nothing was checked against a target."
	}

	var failed, shaky []string
	for _, e := range s.SLO {
		unit := unitOf(s, e.Metric)
		if !e.Pass {
			failed = append(failed, fmt.Sprintf("%s is %s (target %s)",
				e.Metric, formatPtr(unit, e.Value), boundText(unit, e.Min, e.Max)))
		}
		if !e.Confident {
			shaky = append(shaky, e.Metric)
		}
	}

	var b strings.Builder
	switch {
	case len(failed) == 0 && len(s.SLO) == 1:
		b.WriteString("The one SLO holds.")
	case len(failed) == 0:
		fmt.Fprintf(&b, "All %s hold.", plural(len(s.SLO), "SLO", "SLOs"))
	default:
		fmt.Fprintf(&b, "%d of %s %s: %s.", len(failed), plural(len(s.SLO), "SLO", "SLOs"),
			pick(len(failed) == 1, "fails", "fail"), strings.Join(failed, "; "))
	}
	if len(shaky) > 0 {
		fmt.Fprintf(&b, " Too close to call, as the 95%% CI straddles the target: %s.",
			strings.Join(shaky, ", "))
	}
	// SLOs on delays and service levels count answered callers only, so
	// they can all hold while most callers are never answered.
	covered := slices.ContainsFunc(s.SLO, func(e SLOResult) bool {
		return e.Metric == "interactions.open"
	})
	if open, ok := metricValue(s, "interactions.open"); ok && open > 0 && !covered {
		fmt.Fprintf(&b, " No SLO covers the %s callers still waiting when the run stopped.",
			formatCount(open))
	}
	return b.String()
}

// callersSentence says plainly how many callers were never answered: those
// still waiting when the run stopped, and those that ended in the flow.
// It is empty when every caller was answered or abandoned.
func callersSentence(s *Summary) string {
	arrived, okArrived := metricValue(s, "interactions.arrived")
	okArrived = okArrived && arrived > 0
	share := func(n float64) string {
		if !okArrived {
			return formatCount(n) + " callers"
		}
		return fmt.Sprintf("%s of %s callers (%s)", formatCount(n), formatCount(arrived),
			formatPercent(n/arrived))
	}

	var clauses []string
	if open, ok := metricValue(s, "interactions.open"); ok && open > 0 {
		clauses = append(clauses, share(open)+" were still waiting when the run stopped: "+
			"the queue could not keep up")
	}
	if ended, ok := metricValue(s, "interactions.ended_in_flow"); ok && ended > 0 {
		what := share(ended)
		if len(clauses) > 0 {
			what = formatCount(ended)
		}
		clauses = append(clauses, what+" ended in the flow without reaching a queue")
	}
	if len(clauses) == 0 {
		return ""
	}
	return strings.Join(clauses, "; ") + "."
}

// peakSentence describes routing in the busiest interval, or over the run
// when the interval table lacks routing columns.
func peakSentence(s *Summary) string {
	iv, by := busiestInterval(s)
	if iv != nil {
		mean, okMean := cellValue(iv, "routing.delay.mean")
		p90, okP90 := cellValue(iv, "routing.delay.p90")
		n, _ := cellValue(iv, by)
		what := fmt.Sprintf("%s %s", formatCount(n), byWords(by))
		if okMean && okP90 {
			return fmt.Sprintf("In the busiest interval, from %s (%s), callers waited %s on "+
				"average from arrival until an agent answered (p90 %s).", iv.Label, what,
				formatDuration(mean), formatDuration(p90))
		}
	}

	mean, okMean := metricValue(s, "routing.delay.mean")
	p90, okP90 := metricValue(s, "routing.delay.p90")
	if !okMean || !okP90 {
		return ""
	}
	return fmt.Sprintf("Over the run, callers waited %s on average from arrival until an "+
		"agent answered (p90 %s).", formatDuration(mean), formatDuration(p90))
}

// worstSentence names the intervals that were worst for callers, when
// they are not the busiest one, which [peakSentence] describes: the one
// with the longest routing delay (p90, or the mean without it) and the one
// with the lowest service level of any queue.
func worstSentence(s *Summary) string {
	busiest, _ := busiestInterval(s)
	delayCol := "routing.delay.p90"
	if !hasColumn(s, delayCol) {
		delayCol = "routing.delay.mean"
	}
	worst, slow, okSlow := peakCell(s, delayCol)
	least, low, queue, okLow := lowestServiceLevel(s)
	// A tie with the busiest interval is no news.
	if v, ok := cellValue(busiest, delayCol); ok && v >= worst {
		slow = busiest
	}
	if v, ok := cellValue(busiest, "queues."+queue+".service_level"); ok && v <= least {
		low = busiest
	}

	var b strings.Builder
	if okSlow && slow != busiest {
		fmt.Fprintf(&b, "The worst interval for callers was %s: %s.", slow.Label,
			strings.Join(intervalFacts(s, slow, delayCol, queue), ", "))
	}
	if okLow && low != busiest && low != slow {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		v, _ := cellValue(low, "queues."+queue+".service_level")
		fmt.Fprintf(&b, "Service level was lowest at %s: %s", low.Label, formatPercent(v))
		if len(s.Context.Queues) > 1 {
			fmt.Fprintf(&b, " in queue %s", queue)
		}
		if d, ok := cellValue(low, delayCol); ok {
			fmt.Fprintf(&b, ", with routing delay %s %s",
				strings.TrimPrefix(delayCol, "routing.delay."), formatDuration(d))
		}
		b.WriteString(".")
	}
	return b.String()
}

// lowestServiceLevel is the lowest service level of any queue in an
// interval outside the warm-up, with that interval and queue.
func lowestServiceLevel(s *Summary) (float64, *Interval, string, bool) {
	var (
		at    *Interval
		queue string
		best  = math.Inf(1)
	)
	for i := range s.Intervals {
		iv := &s.Intervals[i]
		for _, q := range s.Context.Queues {
			v, ok := cellValue(iv, "queues."+q.Name+".service_level")
			if ok && !iv.InWarmup && v < best {
				best, at, queue = v, iv, q.Name
			}
		}
	}
	return best, at, queue, at != nil
}

// intervalFacts gives a queue's service level and the routing delay in
// one interval, in words: "service level 83%", "routing delay p90 22 s".
// The queue is named when there are several.
func intervalFacts(s *Summary, iv *Interval, delayCol, queue string) []string {
	var facts []string
	if v, ok := cellValue(iv, "queues."+queue+".service_level"); ok && queue != "" {
		name := "service level"
		if len(s.Context.Queues) > 1 {
			name = queue + " service level"
		}
		facts = append(facts, name+" "+formatPercent(v))
	}
	if v, ok := cellValue(iv, delayCol); ok {
		what := strings.TrimPrefix(delayCol, "routing.delay.")
		facts = append(facts, "routing delay "+what+" "+formatDuration(v))
	}
	return facts
}

// actionsSentence gives each action's p95 latency and how often it failed.
func actionsSentence(s *Summary) string {
	var parts []string
	for _, a := range s.Context.Actions {
		p := "actions." + a
		p95, okLat := metricValue(s, p+".latency.p95")
		failed, okFail := metricValue(s, p+".failed")
		timeouts, okTO := metricValue(s, p+".timeouts")

		var clauses []string
		if okLat {
			clauses = append(clauses, "answered within "+formatDuration(p95)+" at p95")
		}
		switch {
		case okTO && timeouts > 0:
			clause := "timed out for " + formatPercent(timeouts) + " of calls"
			if e := endpointOf(s, a); e != "" && endpointQueues(s, e) {
				clause += " as its requests queued for " + workersOf(s, e, true)
			}
			clauses = append(clauses, clause)
			// Equal shares can differ in the last bit; say "in all" only
			// when it reads differently.
			if okFail && failed > timeouts && formatPercent(failed) != formatPercent(timeouts) {
				clauses = append(clauses, "failed in all for "+formatPercent(failed))
			}
		case okFail && failed > 0:
			clauses = append(clauses, "failed for "+formatPercent(failed)+" of calls")
		case okFail:
			clauses = append(clauses, "never failed")
		}
		if len(clauses) > 0 {
			parts = append(parts, a+" "+joinAnd(clauses))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "The Data Action " + strings.Join(parts, "; ") + "."
}

// queueShare is the share of an endpoint's response time spent waiting
// for a worker above which the report calls the endpoint short of
// workers: at a tenth, more workers would visibly cut its latency.
const queueShare = 0.1

// endpointWait is the mean wait of an endpoint's requests for a worker
// and their mean response time (wait plus service).
func endpointWait(s *Summary, e string) (wait, response float64, ok bool) {
	wait, okWait := metricValue(s, "endpoints."+e+".wait.mean")
	response, okResp := metricValue(s, "endpoints."+e+".response.mean")
	return wait, response, okWait && okResp
}

// endpointQueues reports whether an endpoint's requests waited for a
// worker more than [queueShare] of their response time on average.
func endpointQueues(s *Summary, e string) bool {
	wait, response, ok := endpointWait(s, e)
	return ok && wait > queueShare*response && wait > 0
}

// workersOf names an endpoint's workers: "its 4 workers", "its only
// worker", or, with named, "crm's 4 workers".
func workersOf(s *Summary, e string, named bool) string {
	owner := "its"
	if named {
		owner = e + "'s"
	}
	switch n := s.Context.EndpointWorkers[e]; n {
	case 0:
		return owner + " workers"
	case 1:
		return owner + " only worker"
	default:
		return owner + " " + countOf(n, "worker", "workers")
	}
}

// endpointsSentence names each endpoint whose requests waited for a
// worker more than [queueShare] of their response time, and says that its
// capacity, not its speed, drives the timeouts of the actions calling it.
func endpointsSentence(s *Summary) string {
	var out []string
	for _, e := range s.Context.Endpoints {
		if !endpointQueues(s, e) {
			continue
		}
		wait, response, _ := endpointWait(s, e)
		one := pick(s.Context.EndpointWorkers[e] == 1, "for ", "for one of ")
		sentence := fmt.Sprintf("Requests to %s waited %s on average %s%s (%s of their "+
			"response time)", e, formatDuration(wait), one, workersOf(s, e, false),
			formatPercent(wait/response))
		if endpointTimesOut(s, e) {
			sentence += " — the endpoint's capacity, not its speed, drives the timeouts"
		}
		out = append(out, sentence+".")
	}
	return strings.Join(out, " ")
}

// endpointTimesOut reports whether an action that calls e timed out.
func endpointTimesOut(s *Summary, e string) bool {
	return slices.ContainsFunc(s.Context.Actions, func(a string) bool {
		v, ok := metricValue(s, "actions."+a+".timeouts")
		return ok && v > 0 && endpointOf(s, a) == e
	})
}

// platformSentence compares the platform's peaks with its limits: each
// rate limit's busiest window (a bucket's busiest minute) with what it
// lets through, and the most executions in flight with max_in_flight.
func platformSentence(s *Summary) string {
	var parts []string
	for _, l := range rateLimits(s) {
		if l.Scope != "platform" {
			continue
		}
		if p := platformLimitClause(s, l); p != "" {
			parts = append(parts, p)
		}
	}
	if v, ok := metricValue(s, "platform.per_minute.max"); ok && len(parts) == 0 {
		parts = append(parts, "the busiest minute started "+formatCount(v)+" executions")
	}
	if v, ok := metricValue(s, "platform.in_flight.max"); ok {
		if n := s.Context.MaxInFlight; n > 0 {
			parts = append(parts, fmt.Sprintf("executions in flight peaked at %s of %d (%s)",
				formatCount(v), n, formatRatio(v/float64(n))))
		} else {
			parts = append(parts, "executions in flight peaked at "+formatCount(v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "On the platform, " + strings.Join(parts, "; ") + "."
}

// platformLimitClause sets one platform rate limit's peak, the attempts
// that reached it, against its capacity, over the span the limit counts:
// "the busiest 1 h window used 40,000 of the hourly limit of 100,000
// (40%)". It is empty when the summary lacks the peak; executions
// started, which an older summary has instead, would overstate it.
func platformLimitClause(s *Summary, l LimitInfo) string {
	v, upper, ok := ratePeak(s, l)
	capacity, _ := rateCapacity(l)
	if !ok || upper || !finite(capacity) {
		return ""
	}
	if l.Kind == "bucket" {
		return fmt.Sprintf("the busiest minute used %s of the %s refill of %s/min (%s)",
			formatCount(v), l.Name, formatCount(capacity), formatRatio(v/capacity))
	}
	span := "minute"
	if l.Per != 60 {
		span = formatDuration(l.Per) + " window"
	}
	return fmt.Sprintf("the busiest %s used %s of the %s limit of %s (%s)", span,
		formatCount(v), l.Name, formatCount(capacity), formatRatio(v/capacity))
}

// queuesSentence gives each queue's service level, abandonment and
// occupancy.
func queuesSentence(s *Summary) string {
	var parts []string
	for _, q := range s.Context.Queues {
		p := "queues." + q.Name
		var clauses []string
		if v, ok := metricValue(s, p+".service_level"); ok {
			clauses = append(clauses, fmt.Sprintf("answered %s of callers within %s",
				formatPercent(v), formatDuration(q.ServiceLevel)))
		}
		if v, ok := metricValue(s, p+".abandoned"); ok {
			clauses = append(clauses, "lost "+formatPercent(v)+" to abandonment")
		}
		if v, ok := metricValue(s, p+".occupancy"); ok {
			clauses = append(clauses, "kept its agents "+formatPercent(v)+" busy")
		}
		if len(clauses) > 0 {
			parts = append(parts, "queue "+q.Name+" "+joinAnd(clauses))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return capitalize(strings.Join(parts, "; ")) + "."
}

// joinAnd joins clauses as "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// capitalize upper-cases the first letter when it is an ASCII letter.
// Names are [a-z][a-z0-9_]*, so this only touches sentence starts.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// plural writes "1 SLO" or "4 SLOs".
func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, pick(n == 1, one, many))
}

// pick is a when cond holds, else b.
func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}
