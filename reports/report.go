package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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
	LimitNote     string // how token buckets are measured, when there is one

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
	// Quiet rows are left out of the terminal, which shows them only
	// when they tell something: an endpoint's waits when it queues.
	Quiet bool
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
	r.LimitNote = limitNote(r.Limits)
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

// cellValue returns the value of one interval cell when it is defined;
// a nil interval has none.
func cellValue(iv *Interval, col string) (float64, bool) {
	if iv == nil {
		return 0, false
	}
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

// ciText formats a metric's value, its 95% interval as "[lo, hi]" and
// the interval's larger half-width as "±h". When lo and hi would read the
// same, as a tight percentile CI can, all three get the decimals it takes
// to tell them apart: "10.7 s [10.66 s, 10.74 s]", not "[10.7 s, 10.7 s]".
func ciText(unit string, m Metric) (value, ci, pm string) {
	value = formatPtr(unit, finitePtr(m.Value))
	if m.CI95 == nil || !finite(m.CI95[0]) || !finite(m.CI95[1]) {
		return value, dash, dash
	}
	lo, hi := m.CI95[0], m.CI95[1]
	extra := boundDigits(unit, lo, hi)
	ci = "[" + formatValueDigits(unit, lo, extra) + ", " + formatValueDigits(unit, hi, extra) + "]"
	if m.Value == nil || !finite(*m.Value) {
		return value, ci, dash
	}
	value = formatValueDigits(unit, *m.Value, extra)
	// The interval may be clamped at 0 or 1 and so asymmetric: quote
	// the larger side, which is the honest one.
	h := math.Max(math.Max(hi-*m.Value, *m.Value-lo), 0)
	for h > 0 && extra < maxExtraDigits && formatValueDigits(unit, h, extra) == formatValue(unit, 0) {
		extra++
	}
	return value, ci, "±" + formatValueDigits(unit, h, extra)
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
			_, row.CI, _ = ciText(unit, m)
			if e.Value != nil && m.CI95 != nil && finite(m.CI95[0]) && finite(m.CI95[1]) {
				extra := boundDigits(unit, m.CI95[0], m.CI95[1])
				row.Value = formatValueDigits(unit, *e.Value, extra)
			}
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
	add := func(group, label, name, note string) *keyRow {
		m, ok := s.Metrics[name]
		if !ok {
			return nil
		}
		value, ci, pm := ciText(unitOf(s, name), m)
		rows = append(rows, keyRow{group, label, name, value, ci, pm, note, false})
		return &rows[len(rows)-1]
	}

	add("Interactions", "arrived", "interactions.arrived", "")
	add("Interactions", "answered by an agent", "interactions.answered", "")
	add("Interactions", "abandoned in queue", "interactions.abandoned", "")
	// Callers never answered are easy to miss, as no SLO on delays or
	// service levels counts them; show both kinds when either happened.
	open, _ := metricValue(s, "interactions.open")
	ended, _ := metricValue(s, "interactions.ended_in_flow")
	if open > 0 || ended > 0 {
		add("Interactions", "still waiting when the run stopped", "interactions.open",
			arrivedNote(s, open))
		add("Interactions", "ended in the flow without reaching a queue",
			"interactions.ended_in_flow", arrivedNote(s, ended))
	}
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
	// Executions started count attempts that max_in_flight refused before
	// they reached any window, so only each limit's own peak is compared
	// with it.
	add("Platform", "executions started in the busiest minute", "platform.per_minute.max", "")
	// The terminal compares only the platform's limits, as it did before
	// there were endpoint limits; its "binds first" line names any other
	// limit that comes close.
	addLimits := func(group, scope string) {
		for _, l := range rateLimits(s) {
			if l.Scope != scope {
				continue
			}
			r := add(group, offeredLabel(l), "limits."+l.Name+".offered.max", offeredNote(s, l))
			if r != nil {
				r.Quiet = scope != "platform"
			}
		}
	}
	addLimits("Platform", "platform")
	add("Platform", "executions in flight, most", "platform.in_flight.max", inFlightNote(s))
	for _, q := range s.Context.Queues {
		g, p := "Queue "+q.Name, "queues."+q.Name
		add(g, "service level (answered ≤ "+formatDuration(q.ServiceLevel)+")", p+".service_level", "")
		add(g, "wait, mean", p+".wait.mean", "")
		add(g, "agent occupancy", p+".occupancy", "")
	}
	for _, e := range s.Context.Endpoints {
		endpointRows(s, e, add)
		addLimits("Endpoint "+e, e)
	}
	return rows
}

// endpointRows adds an endpoint's key metrics: how busy its workers were
// and, when it has a worker limit, how long requests waited for one, how
// many waited at once and how many were refused. The terminal shows the
// waits only when they matter: the mean wait is above [queueShare] of the
// response time, or requests queued and more than 5% of them waited (the
// p95 wait is above 0). A queue of a few requests for a moment, which
// almost every endpoint with workers has, is not enough.
func endpointRows(s *Summary, e string, add func(group, label, name, note string) *keyRow) {
	g, p := "Endpoint "+e, "endpoints."+e
	add(g, "worker utilization", p+".utilization", "")
	if _, limited := s.Metrics[p+".utilization"]; !limited {
		return
	}
	queued, _ := metricValue(s, p+".queue.max")
	p95, _ := metricValue(s, p+".wait.p95")
	quiet := !endpointQueues(s, e) && !(queued > 0 && p95 > 0)
	for _, r := range []*keyRow{
		add(g, "wait for a worker, mean", p+".wait.mean", waitNote(s, e)),
		add(g, "wait for a worker, p95", p+".wait.p95", ""),
		add(g, "requests waiting at once, most", p+".queue.max", ""),
	} {
		if r != nil {
			r.Quiet = quiet
		}
	}
	if v, ok := metricValue(s, p+".rejected"); ok && v > 0 {
		add(g, "requests refused", p+".rejected", "")
	}
}

// waitNote sets an endpoint's mean wait against its mean response time.
func waitNote(s *Summary, e string) string {
	wait, response, ok := endpointWait(s, e)
	if !ok || !(response > 0) {
		return ""
	}
	return "of " + formatDuration(response) + " mean response (" + formatPercent(wait/response) + ")"
}

// arrivedNote sets a count of callers against those that arrived.
func arrivedNote(s *Summary, n float64) string {
	arrived, ok := metricValue(s, "interactions.arrived")
	if !ok || !(arrived > 0) {
		return ""
	}
	return "of " + formatCount(arrived) + " arrived (" + formatPercent(n/arrived) + ")"
}

// offeredLabel describes limits.NAME.offered.max for a rate limit.
func offeredLabel(l LimitInfo) string {
	if l.Kind == "bucket" {
		return "attempts reaching " + l.Name + " in the busiest minute"
	}
	return "attempts reaching " + l.Name + " in its busiest " + formatDuration(l.Per) + " window"
}

// offeredNote compares a rate limit's peak with what it lets through in
// the span the peak counts: "of 2,500 per 1 min (50%)", or for a bucket
// "of 1,500/min refill (79%)".
func offeredNote(s *Summary, l LimitInfo) string {
	capacity, _ := rateCapacity(l)
	if !finite(capacity) {
		return ""
	}
	note := "of " + formatCount(capacity) + " per " + formatDuration(l.Per)
	if l.Kind == "bucket" {
		note = "of " + formatCount(capacity) + "/min refill"
	}
	if v, ok := metricValue(s, "limits."+l.Name+".offered.max"); ok {
		note += " (" + formatRatio(v/capacity) + ")"
	}
	return note
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
		{"platform.per_minute.max", "started, busiest minute"},
	}
	for _, l := range minuteWindows(s) {
		cols = append(cols, col{"limits." + l.Name + ".offered.max", "reached " + l.Name})
	}
	cols = append(cols,
		col{"platform.in_flight.max", "in flight, most"},
		col{"routing.delay.mean", "routing delay, mean"},
		col{"routing.delay.p90", "routing delay, p90"},
	)
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

// clockTime is [clockLabel] for an instant that need not fall on a whole
// minute, such as the end of a 90 s run: it keeps the seconds when there
// are any, "00:01:30".
func clockTime(t float64) string {
	sec := math.Round(t)
	if math.Mod(sec, 60) == 0 {
		return clockLabel(sec)
	}
	return fmt.Sprintf("%s:%02.0f", clockLabel(sec), math.Mod(sec, 60))
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
			clockTime(x.Start), clockTime(x.Start+x.Horizon), formatDuration(x.Horizon),
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
