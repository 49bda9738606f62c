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

	util     float64 // NaN when unknown
	rejected float64 // 0 when none or unknown
	bucket   bool    // a token bucket, measured against its refill rate
	// when says what util measures, after the percentage in
	// "support agents (98.5% busy in the busiest interval)".
	when string
}

// used reports whether the run used the limit at all.
func (l limitUse) used() bool {
	return l.rejected > 0 || (finite(l.util) && l.util > 0)
}

// brief names the limit with its peak use or refusals in a few words:
// "support agents (98.5% busy in the busiest interval)".
func (l limitUse) brief() string {
	switch {
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
// a bucket, in one clock minute): limits.NAME.offered.max, or for a
// one-minute platform window in an older summary, platform.per_minute.max.
func ratePeak(s *Summary, l LimitInfo) (float64, bool) {
	if v, ok := metricValue(s, "limits."+l.Name+".offered.max"); ok {
		return v, true
	}
	if isMinuteWindow(l) {
		return metricValue(s, "platform.per_minute.max")
	}
	return 0, false
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
	subject := "platform executions"
	if l.Scope != "" && l.Scope != "platform" {
		subject = "requests to " + l.Scope
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
	if v, ok := ratePeak(s, l); ok {
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
			if n := s.Context.EndpointWorkers[e]; n > 0 {
				lu.Capacity = formatCount(float64(n)) + " workers"
			}
			// Only a full queue is the workers' refusal; a rate limit's
			// has a row of its own.
			lu.rejected, lu.Rejected = rejected(p+".rejected_queue", p+".rejected")
			out = append(out, lu)
		}
	}
	for _, q := range s.Context.Queues {
		if lu, ok := busyUse(s, "queues."+q.Name, "agents"); ok {
			lu.Name, lu.Capacity, lu.Rejected = q.Name+" agents", agentsText(q.Agents), dash
			out = append(out, lu)
		}
	}
	out = append(out, otherLimits(s, seen)...)

	for i := range out {
		out[i].Util = formatRatio(out[i].util)
	}
	slices.SortStableFunc(out, compareLimits)
	return out
}

// busyUse is the row of a pool of servers (endpoint workers or queue
// agents) whose busy share is in prefix.utilization or prefix.occupancy:
// its highest value in an interval outside the warm-up, with the mean
// number busy then when the interval table has prefix.busy.mean.
func busyUse(s *Summary, prefix, who string) (limitUse, bool) {
	col := prefix + ".utilization"
	if who == "agents" {
		col = prefix + ".occupancy"
	}
	lu := limitUse{Peak: dash, Capacity: "100%", when: "busy in its busiest interval"}
	u, iv, ok := peakCell(s, col)
	switch {
	case ok:
		lu.Kind = fmt.Sprintf("%s busy in the busiest interval (%s)", who, iv.Label)
		if n, ok := cellValue(iv, prefix+".busy.mean"); ok {
			lu.Peak = formatCount(n) + " busy"
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
	return formatCount(float64(n)) + " agents"
}

// compareLimits orders limits that refuse before those that do not, then
// by utilization, highest first, unknown last, then by name.
func compareLimits(a, b limitUse) int {
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

// limitNote explains how a token bucket's peak use is measured, when the
// table has one.
func limitNote(ls []limitUse) string {
	if !slices.ContainsFunc(ls, func(l limitUse) bool { return l.bucket }) {
		return ""
	}
	return "A token bucket's peak use is the attempts in the busiest clock minute against " +
		"its refill rate per minute; its burst lets it pass a short peak above 100% " +
		"without refusing."
}
