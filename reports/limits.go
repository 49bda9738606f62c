package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// limitUse is one capacity that could bind, with how much of it the run
// used at its peak.
type limitUse struct {
	Name     string // e.g. "org_volume", "crm workers"
	Kind     string // what it limits and where its peak is taken, in words
	Peak     string // the peak as a count, or "–" when only Util is known
	Capacity string // e.g. "2,500 per 1 min", "300/min (bucket, burst 50)"
	Util     string // peak use / capacity, formatted
	Rejected string // fraction refused, formatted, or "–"

	util     float64 // NaN when unknown; may exceed 1
	rejected float64 // 0 when none or unknown
	bucket   bool    // a token bucket, measured against its refill rate
	// upper marks a peak that can only overstate the use: executions
	// started, from a summary without limits.NAME.offered.max; bound is
	// then the most the use can be, and util is unknown.
	upper bool
	bound float64
	// pool marks agents or endpoint workers, whose use is a busy share;
	// scheduled is then the mean number scheduled in the busiest
	// interval, when known (else 0).
	pool      bool
	scheduled float64
	// noCapacity lists the intervals in which a pool had no capacity
	// while callers or requests still came; such a limit is broken, and
	// starved says what came: "callers were waiting".
	noCapacity []string
	starved    string
	// when says what util measures, after the percentage in
	// "support agents (98.5% busy in the busiest interval)".
	when string
}

// broken reports whether the limit had no capacity while it was needed.
func (l limitUse) broken() bool {
	return len(l.noCapacity) > 0
}

// used reports whether the run used the limit at all.
func (l limitUse) used() bool {
	return l.broken() || l.rejected > 0 || (finite(l.util) && l.util > 0)
}

// brief names the limit with its peak use or refusals in a few words:
// "support agents (98.5% busy in the busiest interval)".
func (l limitUse) brief() string {
	switch {
	case l.broken():
		return l.Name + " (none scheduled at " + joinAnd(l.noCapacity) + ")"
	case l.rejected > 0:
		return l.Name + " (refuses " + l.Rejected + ")"
	case finite(l.util):
		return l.Name + " (" + l.Util + " " + l.when + ")"
	}
	return l.Name
}

// rateLimits lists the scenario's rate limits. A summary written before
// [Context.Limits] existed has only the platform's windows, which are
// returned instead.
func rateLimits(s *Summary) []LimitInfo {
	if len(s.Context.Limits) > 0 {
		return s.Context.Limits
	}
	out := make([]LimitInfo, 0, len(s.Context.Windows))
	for _, w := range s.Context.Windows {
		out = append(out, LimitInfo{Name: w.Name, Scope: "platform", Kind: "window",
			Limit: w.Limit, Per: w.Per})
	}
	return out
}

// isMinuteWindow reports whether l is a platform window of one minute,
// the only kind platform.per_minute.max (executions in one clock minute)
// can be compared with.
func isMinuteWindow(l LimitInfo) bool {
	return l.Scope == "platform" && l.Kind == "window" && l.Per == 60 && l.Limit > 0
}

// minuteWindows lists the platform's one-minute windows.
func minuteWindows(s *Summary) []LimitInfo {
	return slices.DeleteFunc(slices.Clone(rateLimits(s)), func(l LimitInfo) bool {
		return !isMinuteWindow(l)
	})
}

// ratePeak is the most attempts that reached l in one of its windows (for
// a bucket, in one clock minute): limits.NAME.offered.max. A summary
// written before that metric existed has, for a one-minute platform
// window, only platform.per_minute.max: every execution started, refused
// ones included. That is the window's own count when nothing before it
// refused (max_in_flight and the platform limits listed before it);
// otherwise it can only overstate the count, and upper is set.
func ratePeak(s *Summary, l LimitInfo) (v float64, upper, ok bool) {
	if v, ok := metricValue(s, "limits."+l.Name+".offered.max"); ok {
		return v, false, true
	}
	if _, listed := s.Metrics["limits."+l.Name+".offered.max"]; listed || !isMinuteWindow(l) {
		return 0, false, false
	}
	v, ok = metricValue(s, "platform.per_minute.max")
	return v, !reachesAll(s, l), ok
}

// reachesAll reports whether every execution started reached the platform
// limit l: max_in_flight and every platform limit before l are known to
// have refused nothing.
func reachesAll(s *Summary, l LimitInfo) bool {
	refusedNothing := func(name string) bool {
		v, ok := metricValue(s, "limits."+name+".rejected")
		return ok && v == 0
	}
	if s.Context.MaxInFlight > 0 && !refusedNothing("max_in_flight") {
		return false
	}
	for _, before := range rateLimits(s) {
		if before.Name == l.Name {
			return true
		}
		if before.Scope == "platform" && !refusedNothing(before.Name) {
			return false
		}
	}
	return true
}

// rateCapacity is what l lets through in the span ratePeak counts over:
// a window's limit, or a bucket's refill in one minute (NaN when the
// limit is malformed); text is the capacity as the report shows it.
func rateCapacity(l LimitInfo) (capacity float64, text string) {
	if l.Kind == "bucket" {
		text = "bucket"
		if l.Burst > 0 {
			text += ", burst " + formatCount(l.Burst)
		}
		perMin := l.Rate * 60
		if !(perMin > 0) {
			return math.NaN(), text
		}
		return perMin, formatCount(perMin) + "/min (" + text + ")"
	}
	if !(l.Limit > 0) || !(l.Per > 0) {
		return math.NaN(), formatCount(l.Limit)
	}
	return l.Limit, formatCount(l.Limit) + " per " + formatDuration(l.Per)
}

// rateLimitUse sets one rate limit's busiest window (or, for a bucket,
// busiest minute) against its capacity.
func rateLimitUse(s *Summary, l LimitInfo) limitUse {
	// The peak counts attempts that reached the limit, admitted or
	// refused, not every execution started.
	subject := "platform attempts that reached it"
	if l.Scope != "" && l.Scope != "platform" {
		subject = "requests to " + l.Scope + " that reached it"
	}
	lu := limitUse{Name: l.Name, Peak: dash, util: math.NaN(), bucket: l.Kind == "bucket"}
	var capacity float64
	capacity, lu.Capacity = rateCapacity(l)
	if lu.bucket {
		lu.Kind = subject + " in the busiest minute, against the refill rate"
		lu.when = "of its refill rate in the busiest minute"
	} else {
		span := formatDuration(l.Per)
		lu.Kind = subject + " in the busiest " + span + " window"
		lu.when = "in its busiest " + span + " window"
	}
	v, upper, ok := ratePeak(s, l)
	switch {
	case !ok:
	case upper:
		// Executions started bound the window's count from above, and so
		// does the limit when the window refused nothing; the bound is
		// shown but not ranked, as it need not be near the true use.
		lu.Kind = "platform executions started in the busiest minute (at most what " +
			"reached the window)"
		lu.Peak, lu.upper, lu.bound = formatCount(v), true, v/capacity
		if r, ok := metricValue(s, "limits."+l.Name+".rejected"); ok && r == 0 {
			lu.bound = min(lu.bound, 1)
		}
	default:
		lu.Peak = formatCount(v)
		if finite(capacity) {
			lu.util = v / capacity
		}
	}
	return lu
}

// limitUses ranks every capacity that could bind: each rate limit of the
// platform and the endpoints, max_in_flight, each endpoint's workers,
// each queue's agents, and any other limit that refused attempts. Limits
// that already refuse come first, by the fraction refused; then the rest
// by peak use.
func limitUses(s *Summary) []limitUse {
	var out []limitUse
	rejected := func(names ...string) (float64, string) {
		for _, name := range names {
			if v, ok := metricValue(s, name); ok {
				return v, formatPercent(v)
			}
		}
		return 0, dash
	}
	seen := map[string]bool{}

	for _, l := range rateLimits(s) {
		lu := rateLimitUse(s, l)
		lu.rejected, lu.Rejected = rejected("limits." + l.Name + ".rejected")
		seen["limits."+l.Name+".rejected"] = true
		out = append(out, lu)
	}
	if v, ok := metricValue(s, "platform.in_flight.max"); ok && s.Context.MaxInFlight > 0 {
		slots := float64(s.Context.MaxInFlight)
		lu := limitUse{Name: "max_in_flight", Kind: "platform executions at once (most)",
			Peak: formatCount(v), Capacity: formatCount(slots), util: v / slots,
			when: "of its slots at the peak"}
		lu.rejected, lu.Rejected = rejected("limits.max_in_flight.rejected")
		seen["limits.max_in_flight.rejected"] = true
		out = append(out, lu)
	}
	for _, e := range s.Context.Endpoints {
		p := "endpoints." + e
		if lu, ok := busyUse(s, p, "workers"); ok {
			lu.Name = e + " workers"
			if n := s.Context.EndpointWorkers[e]; n > 0 && !lu.broken() {
				lu.Capacity = poolCapacity(lu, n, "worker", "workers")
			}
			// Only a full queue is the workers' refusal; a rate limit's
			// has a row of its own.
			lu.rejected, lu.Rejected = rejected(p+".rejected_queue", p+".rejected")
			out = append(out, lu)
		}
	}
	for _, q := range s.Context.Queues {
		if lu, ok := busyUse(s, "queues."+q.Name, "agents"); ok {
			lu.Name, lu.Rejected = q.Name+" agents", dash
			if !lu.broken() {
				lu.Capacity = agentsText(q.Agents)
				if q.Agents > 0 {
					lu.Capacity = poolCapacity(lu, q.Agents, "agent", "agents")
				}
			}
			out = append(out, lu)
		}
	}
	out = append(out, otherLimits(s, seen)...)

	for i := range out {
		switch l := &out[i]; {
		case l.broken():
			l.Util = "no capacity"
		case l.upper && finite(l.bound):
			l.Util = "≤ " + formatRatio(l.bound)
		default:
			l.Util = formatRatio(l.util)
		}
	}
	slices.SortStableFunc(out, compareLimits)
	return out
}

// busyUse is the row of a pool of servers (endpoint workers or queue
// agents) whose busy share is in prefix.utilization or prefix.occupancy:
// its highest value in an interval outside the warm-up, with the mean
// number busy then when the interval table has prefix.busy.mean. A pool
// with no capacity in an interval that still had work is broken, whatever
// its use elsewhere. A share above 1 is kept as it is: after a schedule
// lowers capacity, those already busy finish their work.
func busyUse(s *Summary, prefix, who string) (limitUse, bool) {
	col := prefix + ".utilization"
	if who == "agents" {
		col = prefix + ".occupancy"
	}
	lu := limitUse{Peak: dash, Capacity: "100%", when: "busy in its busiest interval", pool: true}
	if gaps := noCapacity(s, prefix, col); len(gaps) > 0 {
		if n, ok := cellValue(gaps[0], prefix+".busy.mean"); ok && formatCount(n) != "0" {
			// Those still busy finish what they started.
			lu.Peak = formatCount(n) + " busy"
		}
		return brokenUse(lu, gaps, who), true
	}

	u, iv, ok := peakCell(s, col)
	switch {
	case ok:
		lu.Kind = fmt.Sprintf("%s busy in the busiest interval (%s)", who, iv.Label)
		if n, ok := cellValue(iv, prefix+".busy.mean"); ok {
			lu.Peak = formatCount(n) + " busy"
			if u > 0 {
				lu.scheduled = n / u
			}
		}
	default:
		// Without an interval column only the whole run's share is
		// known: a mean, not a peak.
		if u, ok = metricValue(s, col); !ok {
			return limitUse{}, false
		}
		lu.Kind, lu.when = who+" busy over the run (mean)", "busy over the run"
	}
	lu.util = u
	return lu, true
}

// brokenUse is the row of a pool that had no capacity in the intervals
// gaps while callers or requests still came: its use there has no value,
// so it ranks as broken rather than by its use elsewhere.
func brokenUse(lu limitUse, gaps []*Interval, who string) limitUse {
	const most = 3
	for _, iv := range gaps[:min(len(gaps), most)] {
		lu.noCapacity = append(lu.noCapacity, iv.Label)
	}
	if len(gaps) > most {
		lu.noCapacity = append(lu.noCapacity, fmt.Sprintf("%d more intervals", len(gaps)-most))
	}
	what := "callers waiting"
	lu.starved = "callers were waiting"
	if who == "workers" {
		what, lu.starved = "requests coming", "requests kept coming"
	}
	lu.Kind = fmt.Sprintf("%s with no %s scheduled (%s)", what, who, joinAnd(lu.noCapacity))
	lu.Capacity = "0 " + who
	lu.util = math.Inf(1)
	return lu
}

// noCapacity lists the intervals outside the warm-up in which a pool's
// busy share (col) is undefined, as its capacity was 0, while the pool
// still had callers or requests: its own columns show waits, entries,
// abandonment, busy servers or a queue, or, for an endpoint, an action
// that calls it started executions. A pool without the column at all has
// no capacity to measure (an endpoint with unlimited workers).
func noCapacity(s *Summary, prefix, col string) []*Interval {
	if _, ok := s.Metrics[col]; !ok && !slices.Contains(s.Columns, col) {
		return nil
	}
	signs := []string{prefix + ".wait.mean", prefix + ".wait.p95", prefix + ".service_level",
		prefix + ".abandoned"}
	counts := []string{prefix + ".busy.mean", prefix + ".queue.mean", prefix + ".entries",
		prefix + ".requests"}
	if e, ok := strings.CutPrefix(prefix, "endpoints."); ok {
		for _, a := range actionNames(s) {
			if endpointOf(s, a) == e {
				counts = append(counts, "actions."+a+".executions")
			}
		}
	}

	var out []*Interval
	for i := range s.Intervals {
		iv := &s.Intervals[i]
		if _, ok := cellValue(iv, col); ok || iv.InWarmup {
			continue
		}
		busy := slices.ContainsFunc(signs, func(c string) bool {
			_, ok := cellValue(iv, c)
			return ok
		}) || slices.ContainsFunc(counts, func(c string) bool {
			v, ok := cellValue(iv, c)
			return ok && v > 0
		})
		if busy {
			out = append(out, iv)
		}
	}
	return out
}

// endpointOf is the endpoint an action calls: from
// [Context.ActionEndpoints], or the only endpoint of the scenario; "" when
// the summary does not say.
func endpointOf(s *Summary, action string) string {
	if e, ok := s.Context.ActionEndpoints[action]; ok {
		return e
	}
	if len(s.Context.Endpoints) == 1 {
		return s.Context.Endpoints[0]
	}
	return ""
}

// otherLimits lists limits.*.rejected metrics not already covered, for a
// summary that names a limit without describing it.
func otherLimits(s *Summary, seen map[string]bool) []limitUse {
	var names []string
	for name := range s.Metrics {
		if strings.HasPrefix(name, "limits.") && strings.HasSuffix(name, ".rejected") && !seen[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)

	var out []limitUse
	for _, name := range names {
		v, ok := metricValue(s, name)
		if !ok {
			continue
		}
		out = append(out, limitUse{
			Name: strings.TrimSuffix(strings.TrimPrefix(name, "limits."), ".rejected"),
			Kind: "rate limit", Peak: dash, Capacity: dash, Util: dash,
			Rejected: formatPercent(v), util: math.NaN(), rejected: v,
		})
	}
	return out
}

// agentsText writes a queue's agent count as a capacity.
func agentsText(n int) string {
	if n <= 0 {
		return "100%"
	}
	return countOf(n, "agent", "agents")
}

// poolCapacity writes the capacity of a pool whose schedule gives at
// most most servers: "800 agents", or, when fewer were scheduled in the
// busiest interval, "40 agents then (200 at most)", so that a busy share
// above 100% after a schedule lowered capacity reads right.
func poolCapacity(lu limitUse, most int, one, many string) string {
	text := countOf(most, one, many)
	if lu.scheduled <= 0 || formatCount(lu.scheduled) == formatCount(float64(most)) {
		return text
	}
	return formatCount(lu.scheduled) + " " + pick(formatCount(lu.scheduled) == "1", one, many) +
		" then (" + formatCount(float64(most)) + " at most)"
}

// countOf writes a whole count with its noun: "1 worker", "1,200 agents".
func countOf(n int, one, many string) string {
	return formatCount(float64(n)) + " " + pick(n == 1, one, many)
}

// compareLimits orders broken limits (no capacity while needed) first,
// then those that refuse, by the fraction refused, then the rest by
// utilization, highest first, unknown last, then by name.
func compareLimits(a, b limitUse) int {
	if a.broken() != b.broken() {
		return pick(a.broken(), -1, 1)
	}
	if c := cmp.Compare(b.rejected, a.rejected); c != 0 {
		return c
	}
	ua, ub := a.util, b.util
	if math.IsNaN(ua) {
		ua = math.Inf(-1)
	}
	if math.IsNaN(ub) {
		ub = math.Inf(-1)
	}
	if c := cmp.Compare(ub, ua); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// limitSentence says which limit binds first, and what comes next. Every
// sentence opens with a fixed word, as names are lowercase.
func limitSentence(ls []limitUse) string {
	if len(ls) == 0 {
		return "The summary names no limits to compare."
	}
	first := ls[0]
	var b strings.Builder
	switch {
	case first.broken():
		fmt.Fprintf(&b, "No capacity: %s had none scheduled at %s while %s.", first.Name,
			joinAnd(first.noCapacity), first.starved)
	case first.rejected > 0:
		fmt.Fprintf(&b, "Already binding: %s turned away %s of the attempts that reached it",
			first.Name, first.Rejected)
		if finite(first.util) {
			// A limit can refuse with a mean peak under 100%: the
			// peak is averaged over replications that differ.
			fmt.Fprintf(&b, ", with a peak use of %s averaged over the replications", first.Util)
		}
		b.WriteString(".")
	case !finite(first.util):
		return "No limit reports its use."
	case first.util <= 0:
		return "No limit was used."
	case first.util >= 1:
		fmt.Fprintf(&b, "At capacity: %s.", first.brief())
	default:
		fmt.Fprintf(&b, "Closest to binding: %s.", first.brief())
	}
	if len(ls) > 1 && ls[1].used() {
		fmt.Fprintf(&b, " Next: %s.", ls[1].brief())
	}
	return b.String()
}

// limitNote explains how the table measures what is not obvious, for the
// rows it has: a token bucket's peak, a busy share above 100%, and a pool
// with no capacity.
func limitNote(ls []limitUse) string {
	var notes []string
	if slices.ContainsFunc(ls, func(l limitUse) bool { return l.bucket }) {
		notes = append(notes, "A token bucket's peak use is the attempts in the busiest clock "+
			"minute against its refill rate per minute; its burst lets it pass a short peak "+
			"above 100% without refusing.")
	}
	if slices.ContainsFunc(ls, func(l limitUse) bool { return l.pool && !l.broken() && l.util > 1 }) {
		notes = append(notes, "A busy share above 100% is not an error: when a schedule "+
			"lowers the number of agents or workers, those already busy finish their work, "+
			"as nobody is pre-empted, so for a while more are busy than are scheduled.")
	}
	if slices.ContainsFunc(ls, limitUse.broken) {
		notes = append(notes, "“No capacity” marks agents or workers scheduled at 0 in an "+
			"interval that still had callers or requests; they could only wait, time out or "+
			"abandon, so the limit counts as broken whatever its use elsewhere.")
	}
	if slices.ContainsFunc(ls, func(l limitUse) bool { return l.upper }) {
		notes = append(notes, "A peak marked ≤ counts every execution started in the busiest "+
			"minute, as this summary predates limits.NAME.offered.max: attempts that "+
			"max_in_flight refused are included although they never reached the window.")
	}
	return strings.Join(notes, " ")
}
