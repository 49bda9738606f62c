package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// A report is what every output format shows, worked out once from a
// Summary: the Markdown, HTML and terminal writers only lay it out.
type report struct {
	Title   string
	Verdict string // "PASS" or "FAIL"
	Pass    bool
	// Headline and Answer open the report: which SLOs fail, then the
	// numbers behind the verdict; plain sentences, no markup.
	Headline, Answer string

	Limits        []limitUse // most used first
	LimitSentence string

	SLOs []sloRow
	Key  []keyRow

	Plots []plotImage

	Busiest     table
	BusiestNote string

	Warnings []string
	Method   []fact
	Footer   string
}

// A fact is one labelled line of the method section.
type fact struct {
	Label, Text string
}

// A table is a header and rows of formatted cells.
type table struct {
	Header []string
	Rows   [][]string
}

// sloRow is one SLO, formatted.
type sloRow struct {
	Metric, Bound, Value, CI string
	Pass, Confident          bool
}

// Result is "PASS" or "FAIL".
func (r sloRow) Result() string {
	if r.Pass {
		return "PASS"
	}
	return "FAIL"
}

// keyRow is one line of the key-metrics table.
type keyRow struct {
	Group  string // heading the row belongs to, e.g. "Action lookup_customer"
	Label  string // in words
	Metric string // the metric name
	Value  string
	CI     string // "[lo, hi]", or "–"
	PM     string // "±h", the larger distance from the value to a CI bound
	Note   string // a comparison, e.g. "of 2,500 (50%)"
}

// limitUse is one capacity that could bind, with how much of it the run
// used at its peak.
type limitUse struct {
	Name     string // e.g. "org_volume", "crm workers"
	Kind     string // what it limits, in words
	Peak     string // the peak use, formatted
	Capacity string
	Util     string // peak use / capacity, formatted
	Rejected string // fraction refused, formatted, or "–"

	util     float64 // NaN when unknown
	rejected float64 // 0 when none or unknown
}

// buildReport works out the text of the report for s; the plots, which
// take most of the time, are left to [drawPlots].
func buildReport(s *Summary) *report {
	r := &report{
		Title:    s.Scenario,
		Pass:     s.Verdict == "pass",
		Warnings: s.Warnings,
	}
	if r.Title == "" {
		r.Title = "dasim report"
	}
	r.Verdict = "FAIL"
	if r.Pass {
		r.Verdict = "PASS"
	}

	r.SLOs = sloRows(s)
	r.Key = keyRows(s)
	r.Limits = limitUses(s)
	r.LimitSentence = limitSentence(r.Limits)
	r.Headline, r.Answer = answer(s, r.Limits)
	r.Busiest, r.BusiestNote = busiestTable(s, 8)
	r.Method = method(s)
	r.Footer = footer(s)
	return r
}

// metricValue returns the value of a whole-run metric when it is defined.
func metricValue(s *Summary, name string) (float64, bool) {
	m, ok := s.Metrics[name]
	if !ok || m.Value == nil || !finite(*m.Value) {
		return 0, false
	}
	return *m.Value, true
}

// cellValue returns the value of one interval cell when it is defined.
func cellValue(iv *Interval, col string) (float64, bool) {
	v, ok := iv.Values[col]
	if !ok || v.Value == nil || !finite(*v.Value) {
		return 0, false
	}
	return *v.Value, true
}

// hasColumn reports whether any interval has a value in col.
func hasColumn(s *Summary, col string) bool {
	for i := range s.Intervals {
		if _, ok := cellValue(&s.Intervals[i], col); ok {
			return true
		}
	}
	return false
}

// peakCell returns the largest value of col outside the warm-up, and the
// interval it is in.
func peakCell(s *Summary, col string) (float64, *Interval, bool) {
	best, at := math.Inf(-1), (*Interval)(nil)
	for i := range s.Intervals {
		iv := &s.Intervals[i]
		if v, ok := cellValue(iv, col); ok && !iv.InWarmup && v > best {
			best, at = v, iv
		}
	}
	return best, at, at != nil
}

// busiestInterval is the interval outside the warm-up with the most
// arrivals (or, without an arrivals column, the most executions).
func busiestInterval(s *Summary) (*Interval, string) {
	for _, col := range []string{"interactions.arrived", "platform.executions"} {
		if _, iv, ok := peakCell(s, col); ok {
			return iv, col
		}
	}
	return nil, ""
}

// ciText formats a metric's 95% interval as "[lo, hi]" and its larger
// half-width as "±h".
func ciText(unit string, m Metric) (ci, pm string) {
	if m.CI95 == nil || !finite(m.CI95[0]) || !finite(m.CI95[1]) {
		return dash, dash
	}
	lo, hi := m.CI95[0], m.CI95[1]
	ci = "[" + formatValue(unit, lo) + ", " + formatValue(unit, hi) + "]"
	if m.Value == nil || !finite(*m.Value) {
		return ci, dash
	}
	// The interval may be clamped at 0 or 1 and so asymmetric: quote
	// the larger side, which is the honest one.
	h := math.Max(hi-*m.Value, *m.Value-lo)
	return ci, "±" + formatValue(unit, math.Max(h, 0))
}

// sloRows formats the SLO results in the order the scenario lists them.
func sloRows(s *Summary) []sloRow {
	rows := make([]sloRow, 0, len(s.SLO))
	for _, e := range s.SLO {
		unit := unitOf(s, e.Metric)
		row := sloRow{
			Metric:    e.Metric,
			Bound:     boundText(unit, e.Min, e.Max),
			Value:     formatPtr(unit, e.Value),
			CI:        dash,
			Pass:      e.Pass,
			Confident: e.Confident,
		}
		if m, ok := s.Metrics[e.Metric]; ok {
			row.CI, _ = ciText(unit, m)
		}
		rows = append(rows, row)
	}
	return rows
}

// boundText writes an SLO's bounds: "≤ 1 s", "≥ 80.0%", or "20 ms .. 1 s".
func boundText(unit string, lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return formatValue(unit, *lo) + " .. " + formatValue(unit, *hi)
	case lo != nil:
		return "≥ " + formatValue(unit, *lo)
	case hi != nil:
		return "≤ " + formatValue(unit, *hi)
	}
	return dash
}

// keyRows lists the metrics a support engineer looks at first, in a fixed
// order, skipping those the summary lacks.
func keyRows(s *Summary) []keyRow {
	var rows []keyRow
	add := func(group, label, name, note string) {
		m, ok := s.Metrics[name]
		if !ok {
			return
		}
		unit := unitOf(s, name)
		ci, pm := ciText(unit, m)
		rows = append(rows, keyRow{group, label, name, formatPtr(unit, m.Value), ci, pm, note})
	}

	add("Interactions", "arrived", "interactions.arrived", "")
	add("Interactions", "answered by an agent", "interactions.answered", "")
	add("Interactions", "abandoned in queue", "interactions.abandoned", "")
	add("Routing", "arrival to answer, mean", "routing.delay.mean", "")
	add("Routing", "arrival to answer, p90", "routing.delay.p90", "")
	add("Routing", "arrival to answer, p95", "routing.delay.p95", "")
	for _, a := range s.Context.Actions {
		g, p := "Action "+a, "actions."+a
		add(g, "calls", p+".calls", "")
		add(g, "latency, p95", p+".latency.p95", "")
		add(g, "calls failed", p+".failed", "")
		add(g, "calls timed out", p+".timeouts", "")
		add(g, "calls rejected", p+".rejected", "")
	}
	add("Platform", "executions in the busiest minute", "platform.per_minute.max", perMinuteNote(s))
	add("Platform", "executions in flight, most", "platform.in_flight.max", inFlightNote(s))
	for _, q := range s.Context.Queues {
		g, p := "Queue "+q.Name, "queues."+q.Name
		add(g, "service level (answered ≤ "+formatDuration(q.ServiceLevel)+")", p+".service_level", "")
		add(g, "wait, mean", p+".wait.mean", "")
		add(g, "agent occupancy", p+".occupancy", "")
	}
	for _, e := range s.Context.Endpoints {
		add("Endpoint "+e, "worker utilization", "endpoints."+e+".utilization", "")
	}
	return rows
}

// perMinuteLimit converts a window limit to executions per minute.
func perMinuteLimit(w WindowLimit) float64 {
	if w.Per <= 0 {
		return math.NaN()
	}
	return w.Limit * 60 / w.Per
}

// perMinuteNote compares the busiest minute with each platform window.
func perMinuteNote(s *Summary) string {
	v, ok := metricValue(s, "platform.per_minute.max")
	var parts []string
	for _, w := range s.Context.Windows {
		lim := perMinuteLimit(w)
		if !finite(lim) || lim <= 0 {
			continue
		}
		p := "of " + formatCount(lim) + "/min " + w.Name
		if ok {
			p += " (" + formatRatio(v/lim) + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// inFlightNote compares the most executions in flight with max_in_flight.
func inFlightNote(s *Summary) string {
	if s.Context.MaxInFlight <= 0 {
		return ""
	}
	slots := float64(s.Context.MaxInFlight)
	note := "of " + formatCount(slots) + " max_in_flight"
	if v, ok := metricValue(s, "platform.in_flight.max"); ok {
		note += " (" + formatRatio(v/slots) + ")"
	}
	return note
}

// formatRatio writes a utilization as a whole percentage, "50%", with one
// decimal near the limit, where it matters: "99.6%".
func formatRatio(u float64) string {
	if !finite(u) {
		return dash
	}
	if u >= 0.95 && u < 1.05 && math.Round(u*100) != u*100 {
		return fmt.Sprintf("%.1f%%", u*100)
	}
	return fmt.Sprintf("%.0f%%", u*100)
}

// limitUses ranks every capacity that could bind: the platform's windows
// and max_in_flight, each endpoint's workers, each queue's agents, and any
// other limit that refused attempts. Limits that already refuse come
// first, by the fraction refused; then the rest by peak utilization.
func limitUses(s *Summary) []limitUse {
	var out []limitUse
	rejected := func(name string) (float64, string) {
		v, ok := metricValue(s, name)
		if !ok {
			return 0, dash
		}
		return v, formatPercent(v)
	}
	seen := map[string]bool{}

	if v, ok := metricValue(s, "platform.per_minute.max"); ok {
		for _, w := range s.Context.Windows {
			lim := perMinuteLimit(w)
			if !finite(lim) || lim <= 0 {
				continue
			}
			lu := limitUse{Name: w.Name, Kind: "platform executions per minute (busiest minute)",
				Peak: formatCount(v), Capacity: formatCount(lim) + "/min", util: v / lim}
			lu.rejected, lu.Rejected = rejected("limits." + w.Name + ".rejected")
			seen["limits."+w.Name+".rejected"] = true
			out = append(out, lu)
		}
	}
	if v, ok := metricValue(s, "platform.in_flight.max"); ok && s.Context.MaxInFlight > 0 {
		slots := float64(s.Context.MaxInFlight)
		lu := limitUse{Name: "max_in_flight", Kind: "platform executions at once (most)",
			Peak: formatCount(v), Capacity: formatCount(slots), util: v / slots}
		lu.rejected, lu.Rejected = rejected("limits.max_in_flight.rejected")
		seen["limits.max_in_flight.rejected"] = true
		out = append(out, lu)
	}
	for _, e := range s.Context.Endpoints {
		if u, ok := peakUtilization(s, "endpoints."+e+".utilization"); ok {
			lu := limitUse{Name: e + " workers", Kind: "endpoint workers busy (busiest interval)",
				Peak: formatPercent(u), Capacity: "100%", util: u}
			if n := s.Context.EndpointWorkers[e]; n > 0 {
				lu.Capacity = formatCount(float64(n)) + " workers"
			}
			lu.rejected, lu.Rejected = rejected("endpoints." + e + ".rejected")
			out = append(out, lu)
		}
	}
	for _, q := range s.Context.Queues {
		if u, ok := peakUtilization(s, "queues."+q.Name+".occupancy"); ok {
			out = append(out, limitUse{Name: q.Name + " agents",
				Kind: "agents busy (busiest interval)", Peak: formatPercent(u),
				Capacity: agentsText(q.Agents), util: u, Rejected: dash})
		}
	}
	out = append(out, otherLimits(s, seen)...)

	for i := range out {
		out[i].Util = formatRatio(out[i].util)
	}
	slices.SortStableFunc(out, compareLimits)
	return out
}

// otherLimits lists limits.*.rejected metrics not already covered, such as
// an endpoint's own rate limits, whose capacity the summary does not give.
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

// peakUtilization is the highest per-interval value of a utilization
// column outside the warm-up, or the whole-run metric without a column.
func peakUtilization(s *Summary, name string) (float64, bool) {
	if v, _, ok := peakCell(s, name); ok {
		return v, true
	}
	return metricValue(s, name)
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

// limitSentence says which limit binds first, and what comes next.
func limitSentence(ls []limitUse) string {
	if len(ls) == 0 {
		return "The summary names no limits to compare."
	}
	first := ls[0]
	var b strings.Builder
	switch {
	case first.rejected > 0:
		fmt.Fprintf(&b, "%s binds already: it turned away %s of the attempts that reached it",
			first.Name, first.Rejected)
		if finite(first.util) {
			fmt.Fprintf(&b, " (its peak use, averaged over the replications, is %s)", first.Util)
		}
		b.WriteString(".")
	case finite(first.util) && first.util >= 1:
		fmt.Fprintf(&b, "%s binds: its peak use reached %s of capacity.", first.Name, first.Util)
	case finite(first.util):
		fmt.Fprintf(&b, "%s is closest to binding: its peak use reached %s of capacity.",
			first.Name, first.Util)
	default:
		return "No limit reports its use."
	}
	if len(ls) > 1 && finite(ls[1].util) {
		fmt.Fprintf(&b, " Next is %s at %s.", ls[1].Name, ls[1].Util)
	}
	return b.String()
}

// busiestTable lists up to n intervals outside the warm-up with the most
// arrivals, in time order, with the columns that matter most.
func busiestTable(s *Summary, n int) (table, string) {
	_, by := busiestInterval(s)
	if by == "" {
		return table{}, ""
	}

	type col struct{ name, head string }
	cols := []col{
		{"interactions.arrived", "arrivals"},
		{"platform.executions", "executions"},
		{"platform.per_minute.max", "busiest minute"},
		{"platform.in_flight.max", "in flight, most"},
		{"routing.delay.mean", "routing delay, mean"},
		{"routing.delay.p90", "routing delay, p90"},
	}
	for _, q := range s.Context.Queues {
		cols = append(cols, col{"queues." + q.Name + ".service_level", q.Name + " service level"})
	}
	for _, a := range s.Context.Actions {
		cols = append(cols, col{"actions." + a + ".latency.p95", a + " p95"})
	}
	cols = slices.DeleteFunc(cols, func(c col) bool { return !hasColumn(s, c.name) })

	var picked []*Interval
	for i := range s.Intervals {
		if _, ok := cellValue(&s.Intervals[i], by); ok && !s.Intervals[i].InWarmup {
			picked = append(picked, &s.Intervals[i])
		}
	}
	// Most first, then earlier first on ties, so the choice is stable.
	slices.SortStableFunc(picked, func(a, b *Interval) int {
		va, _ := cellValue(a, by)
		vb, _ := cellValue(b, by)
		return cmp.Compare(vb, va)
	})
	picked = picked[:min(n, len(picked))]
	slices.SortStableFunc(picked, func(a, b *Interval) int { return cmp.Compare(a.Start, b.Start) })

	t := table{Header: []string{"interval"}}
	for _, c := range cols {
		t.Header = append(t.Header, c.head)
	}
	for _, iv := range picked {
		row := []string{iv.Label}
		for _, c := range cols {
			v := iv.Values[c.name]
			row = append(row, formatPtr(unitOf(s, c.name), finitePtr(v.Value)))
		}
		t.Rows = append(t.Rows, row)
	}
	note := fmt.Sprintf("The %d intervals after the warm-up with the most %s, in time order; "+
		"values are means over the replications.", len(picked), byWords(by))
	return t, note
}

// byWords names the column that picks the busiest intervals.
func byWords(col string) string {
	if col == "platform.executions" {
		return "Data Action executions"
	}
	return "arrivals"
}

// clockLabel writes a time on the simulation timeline (seconds from 00:00
// of day 0) as "08:15", with "+1d " before it on later days.
func clockLabel(t float64) string {
	mins := int64(math.Floor(t/60 + 1e-9))
	day, m := mins/(24*60), mins%(24*60)
	label := fmt.Sprintf("%02d:%02d", m/60, m%60)
	if day > 0 {
		label = fmt.Sprintf("+%dd %s", day, label)
	}
	return label
}

// method lists how the numbers were made.
func method(s *Summary) []fact {
	x := s.Context
	facts := []fact{
		{"Scenario", s.Scenario},
		{"Scenario file", s.ScenarioFile},
		{"Scenario SHA-256", s.ScenarioSHA256},
		{"dasim version", s.Version},
		{"Seed", fmt.Sprint(s.Seed)},
		{"Replications", fmt.Sprint(s.Replications)},
	}
	if x.Horizon > 0 {
		facts = append(facts, fact{"Simulated", fmt.Sprintf("%s to %s (%s), in %s intervals",
			clockLabel(x.Start), clockLabel(x.Start+x.Horizon), formatDuration(x.Horizon),
			formatDuration(x.Interval))})
	}
	facts = append(facts, fact{"Warm-up", warmupText(x.Warmup)})
	if x.Arrivals != "" {
		facts = append(facts, fact{"Arrivals", x.Arrivals})
	}
	facts = append(facts,
		fact{"Confidence intervals", "Each metric is computed once per replication. " +
			"The value is the mean over the n replications where it is defined, and the " +
			"95% CI is the Student t interval mean ± t(0.975, n−1)·s/√n, clamped to 0..1 " +
			"for fractions and at 0 for counts."},
		fact{"Percentiles", "p50, p90, p95 and p99 come from a DDSketch streaming sketch " +
			"with 0.5% relative accuracy, computed per replication and then averaged over " +
			"the replications. Means, counts and fractions are exact."},
	)
	return slices.DeleteFunc(facts, func(f fact) bool { return f.Text == "" })
}

// warmupText describes the warm-up.
func warmupText(w float64) string {
	if w <= 0 {
		return "none: every observation counts"
	}
	return formatDuration(w) + ", excluded from every metric (shaded grey in the plots)"
}

// footer is the one line that holds the engine's speed, which differs
// between identical runs.
func footer(s *Summary) string {
	e := s.Engine
	line := fmt.Sprintf("Engine: %s events", formatCount(float64(e.Events)))
	if finite(e.WallSeconds) && e.WallSeconds > 0 {
		line += fmt.Sprintf(" in %s wall time", formatDuration(e.WallSeconds))
	}
	if finite(e.EventsPerSecond) && e.EventsPerSecond > 0 {
		line += fmt.Sprintf(" (%s events/s)", formatCount(e.EventsPerSecond))
	}
	return line + "."
}
