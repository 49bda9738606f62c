package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// plotImage is one rendered plot with the words that go with it.
type plotImage struct {
	Name    string // file name without ".png"
	Title   string
	Caption string // one sentence
	PNG     []byte
}

// plotNames lists the plots a report can draw, in report order; "latency"
// stands for one plot per action, named latency_ACTION.
var plotNames = []string{
	"arrivals", "per_minute", "in_flight", "latency", "routing", "service_level",
	"utilization", "cdf",
}

// A figure is one plot before it is rendered.
type figure struct {
	name           string
	c              *chart
	title, caption string
}

// A plotFunc builds one plot; it returns a nil chart when the summary
// lacks its data.
type plotFunc func(s *Summary) (c *chart, title, caption string, err error)

// figures builds every plot the summary has data for, in report order.
func figures(s *Summary) ([]figure, error) {
	funcs := map[string]plotFunc{
		"arrivals":      arrivalsPlot,
		"per_minute":    perMinutePlot,
		"in_flight":     inFlightPlot,
		"routing":       routingPlot,
		"service_level": serviceLevelPlot,
		"utilization":   utilizationPlot,
		"cdf":           cdfPlot,
	}

	var out []figure
	for _, name := range plotNames {
		if name == "latency" {
			fs, err := latencyPlots(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out = append(out, fs...)
			continue
		}
		c, title, caption, err := funcs[name](s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if c != nil {
			out = append(out, figure{name, c, title, caption})
		}
	}
	return out, nil
}

// drawPlots renders every plot the summary has data for.
func drawPlots(s *Summary) ([]plotImage, error) {
	figs, err := figures(s)
	if err != nil {
		return nil, err
	}

	// One legend width for all, so the time axes line up down the page.
	var legendW vg.Length
	for _, f := range figs {
		legendW = max(legendW, f.c.legendWidth())
	}
	out := make([]plotImage, len(figs))
	for i, f := range figs {
		png, err := f.c.render(legendW)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		out[i] = plotImage{Name: f.name, Title: f.title, Caption: f.caption, PNG: png}
	}
	return out, nil
}

// isPlotName reports whether name (without ".png") is one this package
// writes, so that a new bundle may remove it when it no longer draws it.
func isPlotName(name string) bool {
	return slices.Contains(plotNames, name) || strings.HasPrefix(name, "latency_")
}

// plotFileName turns an action name into a safe part of a file name.
// Scenario names are already [a-z][a-z0-9_]*; anything else becomes "_".
func plotFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, name)
}

// intervalWidth is the length of one interval in seconds.
func intervalWidth(s *Summary) float64 {
	if s.Context.Interval > 0 {
		return s.Context.Interval
	}
	if len(s.Intervals) > 1 && s.Intervals[1].Start > s.Intervals[0].Start {
		return s.Intervals[1].Start - s.Intervals[0].Start
	}
	return 900
}

// timeSeries reads one interval column as points at the middle of each
// interval, values multiplied by scale. ok is false when no value exists.
func timeSeries(s *Summary, col string, scale float64) (pts []xy, ok bool) {
	half := intervalWidth(s) / 2
	pts = make([]xy, len(s.Intervals))
	for i := range s.Intervals {
		iv := &s.Intervals[i]
		p := xy{x: iv.Start + half, y: math.NaN(), lo: math.NaN(), hi: math.NaN()}
		if c, found := iv.Values[col]; found {
			p.y, p.lo, p.hi = scaled(c.Value, scale), scaled(c.Lo, scale), scaled(c.Hi, scale)
			ok = ok || finite(p.y)
		}
		pts[i] = p
	}
	return pts, ok
}

// scaled returns *v × k, or NaN when v is missing.
func scaled(v *float64, k float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v * k
}

// newTimeChart starts a chart whose x axis is the clock time of the run,
// with the warm-up shaded.
func newTimeChart(s *Summary, title, yLabel string) *chart {
	c := newChart(title, "", yLabel)
	c.p.X.Tick.Marker = clockTicks{}
	c.addWarmup(s.Context.Start, s.Context.Start+s.Context.Warmup)
	return c
}

// finishTime fixes the axes of a time chart: x spans the intervals, y
// starts at 0 and, for percentages, ends at 100.
func finishTime(s *Summary, c *chart, yFormat func(float64) string, percent bool) {
	if n := len(s.Intervals); n > 0 {
		c.p.X.Min = s.Intervals[0].Start
		c.p.X.Max = s.Intervals[n-1].Start + intervalWidth(s)
	}
	c.p.Y.Min = math.Min(0, c.p.Y.Min)
	if percent {
		c.p.Y.Max = math.Max(100, c.p.Y.Max)
	}
	if !(c.p.Y.Max > c.p.Y.Min) {
		c.p.Y.Max = c.p.Y.Min + 1
	}
	// End the axis on a labelled tick a little above the data, so the
	// top of a band is never cut and the scale is easy to read; a
	// percentage that stays within 100% ends at 100%.
	if !percent || c.p.Y.Max > 100 {
		step := niceStep((c.p.Y.Max - c.p.Y.Min) / 6)
		c.p.Y.Max = math.Ceil((c.p.Y.Max+0.02*(c.p.Y.Max-c.p.Y.Min))/step-1e-9) * step
	}
	c.p.Y.Tick.Marker = niceTicks{format: yFormat}
}

// durationUnit picks the unit of a duration axis from its largest value in
// seconds: ms below 2 s, minutes from 10 minutes, seconds between.
func durationUnit(maxSec float64) (scale float64, unit string) {
	switch {
	case maxSec < 2:
		return 1000, "ms"
	case maxSec >= 600:
		return 1.0 / 60, "min"
	}
	return 1, "s"
}

// columnMax is the largest value or upper bound in the given columns.
func columnMax(s *Summary, cols ...string) float64 {
	m := 0.0
	for _, col := range cols {
		for i := range s.Intervals {
			v := s.Intervals[i].Values[col]
			for _, p := range []*float64{v.Value, v.Hi} {
				if p != nil && finite(*p) {
					m = math.Max(m, *p)
				}
			}
		}
	}
	return m
}

// valueMax is the largest value, bounds aside, in the given columns.
func valueMax(s *Summary, cols ...string) float64 {
	m := 0.0
	for _, col := range cols {
		for i := range s.Intervals {
			if v, ok := cellValue(&s.Intervals[i], col); ok {
				m = math.Max(m, v)
			}
		}
	}
	return m
}

// every says "per 15 m interval" in the words of the run's interval.
func every(s *Summary) string {
	return formatDuration(intervalWidth(s)) + " interval"
}

// arrivalsPlot draws arrivals and executions per interval.
func arrivalsPlot(s *Summary) (*chart, string, string, error) {
	arr, okA := timeSeries(s, "interactions.arrived", 1)
	exe, okE := timeSeries(s, "platform.executions", 1)
	if !okA && !okE {
		return nil, "", "", nil
	}

	title := "Arrivals and Data Action executions per " + every(s)
	c := newTimeChart(s, title, "per interval")
	if okA {
		if err := c.addSeries("interactions arrived", arr, seriesColor(0), solid); err != nil {
			return nil, "", "", err
		}
	}
	if okE {
		if err := c.addSeries("executions (all actions)", exe, seriesColor(1), solid); err != nil {
			return nil, "", "", err
		}
	}
	finishTime(s, c, countNumber, false)
	return c, title, "Interactions that arrived and Data Action executions started " +
		"(retries and refused attempts included) in each interval; bands are 95% CIs over " +
		"the replications, grey is the warm-up.", nil
}

// perMinutePlot draws, for each one-minute platform window, the most
// attempts that reached it in one of its windows within each interval
// (the column limits.NAME.offered.max) against its limit, with every
// execution started in the busiest minute for comparison: the gap is the
// attempts max_in_flight refused before they reached the window. A
// summary without those columns has only executions started, which it
// draws against the limits as before. Windows over other spans count
// something else, so they are named in the caption instead of drawn.
func perMinutePlot(s *Summary) (*chart, string, string, error) {
	started, okStarted := timeSeries(s, "platform.per_minute.max", 1)
	type reach struct {
		l   LimitInfo
		pts []xy
	}
	var reached []reach
	for _, l := range minuteWindows(s) {
		if pts, ok := timeSeries(s, "limits."+l.Name+".offered.max", 1); ok {
			reached = append(reached, reach{l, pts})
		}
	}
	if !okStarted && len(reached) == 0 {
		return nil, "", "", nil
	}

	title := "Busiest minute in each interval against the platform limit"
	c := newTimeChart(s, title, "per minute")
	for i, r := range reached {
		if err := c.addSeries("reached "+r.l.Name, r.pts, seriesColor(i), solid); err != nil {
			return nil, "", "", err
		}
	}
	if okStarted {
		name, dashes := "executions started", solid
		if len(reached) > 0 {
			name, dashes = "all executions started", dotted
		}
		if err := c.addSeries(name, started, seriesColor(len(reached)), dashes); err != nil {
			return nil, "", "", err
		}
	}
	var drawn, other []string
	for _, l := range rateLimits(s) {
		switch {
		case isMinuteWindow(l):
			c.addLimit(fmt.Sprintf("%s limit %s/min", l.Name, formatCount(l.Limit)), l.Limit)
			drawn = append(drawn, fmt.Sprintf("%s (%s a minute)", l.Name, formatCount(l.Limit)))
		case l.Scope == "platform":
			_, capacity := rateCapacity(l)
			other = append(other, l.Name+" ("+capacity+")")
		}
	}
	finishTime(s, c, countNumber, false)
	return c, title, perMinuteCaption(len(reached) > 0, drawn, other), nil
}

// perMinuteCaption explains the per-minute plot: what its lines count,
// which limits are drawn and which are not.
func perMinuteCaption(reached bool, drawn, other []string) string {
	var caption string
	if reached {
		caption = "Most attempts that reached the limit in one of its one-minute windows " +
			"within each interval (solid)"
	} else {
		caption = "Most Data Action executions started in one clock minute within each interval"
	}
	if len(drawn) > 0 {
		caption += ", against the platform's limit " + joinAnd(drawn) + " as a dashed red line"
	}
	caption += "."
	if reached {
		caption += " Dotted: every execution started in the busiest minute, including " +
			"attempts that max_in_flight refused before they reached the window."
	} else if len(drawn) > 0 {
		caption += " Executions started include attempts that max_in_flight refused " +
			"before they reached the window, so the line can overstate the window's count."
	}
	if len(other) > 0 {
		caption += " Not drawn, as a minute's count does not compare with " +
			pick(len(other) == 1, "it", "them") + ": " + joinAnd(other) +
			"; the limits table sets " + pick(len(other) == 1, "it", "each") +
			" against its own busiest window."
	}
	return caption
}

// inFlightPlot draws executions in flight against max_in_flight.
func inFlightPlot(s *Summary) (*chart, string, string, error) {
	mx, okMax := timeSeries(s, "platform.in_flight.max", 1)
	mean, okMean := timeSeries(s, "platform.in_flight.mean", 1)
	if !okMax && !okMean {
		return nil, "", "", nil
	}

	title := "Data Action executions in flight"
	c := newTimeChart(s, title, "executions at once")
	if okMax {
		if err := c.addSeries("most at once", mx, seriesColor(0), solid); err != nil {
			return nil, "", "", err
		}
	}
	if okMean {
		if err := c.addSeries("time-average", mean, seriesColor(2), solid); err != nil {
			return nil, "", "", err
		}
	}
	caption := "Executions holding a platform slot: the most at once and the time-average in each interval"
	if n := s.Context.MaxInFlight; n > 0 {
		c.addLimit(fmt.Sprintf("max_in_flight %d", n), float64(n))
		caption += fmt.Sprintf(", against max_in_flight (%d) as a dashed red line", n)
	}
	finishTime(s, c, countNumber, false)
	return c, title, caption + ".", nil
}

// actionNames lists the actions to plot: those of the context, then any
// other the columns or distributions name, sorted.
func actionNames(s *Summary) []string {
	names := slices.Clone(s.Context.Actions)
	var extra []string
	add := func(name string) {
		a, ok := strings.CutPrefix(name, "actions.")
		if !ok {
			return
		}
		a = a[:max(strings.IndexByte(a, '.'), 0)]
		if a != "" && !slices.Contains(names, a) && !slices.Contains(extra, a) {
			extra = append(extra, a)
		}
	}
	for _, col := range s.Columns {
		add(col)
	}
	for name := range s.Distributions {
		add(name + ".")
	}
	slices.Sort(extra)
	return append(names, extra...)
}

// actionColor is the colour of the i-th action of [actionNames], the
// same in every plot that tells actions apart.
func actionColor(i int) color.NRGBA {
	return seriesColor(i)
}

// latencyPlots draws one plot per action with its p50, p95 and p99
// latency, in the action's colour.
func latencyPlots(s *Summary) ([]figure, error) {
	var out []figure
	for i, a := range actionNames(s) {
		c, title, caption, err := latencyPlot(s, a, actionColor(i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		if c != nil {
			out = append(out, figure{"latency_" + plotFileName(a), c, title, caption})
		}
	}
	return out, nil
}

// latencyBandCap bounds the latency axis at this many times the highest
// percentile drawn, so that a CI band from a few calls in a quiet
// interval cannot flatten the lines; such a band runs off the top.
const latencyBandCap = 1.5

// latencyPlot draws p50, p95 and p99 latency of one action.
func latencyPlot(s *Summary, action string, clr color.NRGBA) (*chart, string, string, error) {
	quantiles := []struct {
		suffix string
		dashes []vg.Length
	}{{"p50", solid}, {"p95", dashed}, {"p99", dotted}}

	var cols []string
	for _, q := range quantiles {
		cols = append(cols, "actions."+action+".latency."+q.suffix)
	}
	top := min(columnMax(s, cols...), latencyBandCap*valueMax(s, cols...))
	scale, unit := durationUnit(top)

	title := action + " latency per " + every(s)
	c := newTimeChart(s, title, "latency ("+unit+")")
	drawn := 0
	for _, q := range quantiles {
		pts, ok := timeSeries(s, "actions."+action+".latency."+q.suffix, scale)
		if !ok {
			continue
		}
		dropClampedBands(pts)
		if err := c.addSeries(q.suffix, pts, clr, q.dashes); err != nil {
			return nil, "", "", err
		}
		drawn++
	}
	if drawn == 0 {
		return nil, "", "", nil
	}
	c.p.Y.Max = math.Min(c.p.Y.Max, top*scale)
	finishTime(s, c, plainNumber, false)
	return c, title, "Call start to outcome for " + action + " (p50 solid, p95 dashed, " +
		"p99 dotted), retries included; bands are 95% CIs over the replications, left out " +
		"where an interval had too few calls for one (its lower bound reached 0) and cut " +
		"off above " + fmt.Sprint(latencyBandCap) + " times the highest line.", nil
}

// dropClampedBands removes the CI of each point whose lower bound is at
// or below 0. No latency is 0, so such a bound is the Student t interval
// clamped: a few replications far apart, typically a quiet interval with
// a handful of calls, whose band would only hide the lines.
func dropClampedBands(pts []xy) {
	for i := range pts {
		if pts[i].lo <= 0 {
			pts[i].lo, pts[i].hi = math.NaN(), math.NaN()
		}
	}
}

// routingPlot draws the mean and p90 routing delay per interval.
func routingPlot(s *Summary) (*chart, string, string, error) {
	scale, unit := durationUnit(columnMax(s, "routing.delay.mean", "routing.delay.p90"))
	mean, okMean := timeSeries(s, "routing.delay.mean", scale)
	p90, okP90 := timeSeries(s, "routing.delay.p90", scale)
	if !okMean && !okP90 {
		return nil, "", "", nil
	}

	title := "Routing delay: arrival until an agent answers"
	c := newTimeChart(s, title, "delay ("+unit+")")
	if okMean {
		if err := c.addSeries("mean", mean, seriesColor(0), solid); err != nil {
			return nil, "", "", err
		}
	}
	if okP90 {
		if err := c.addSeries("p90", p90, seriesColor(1), dashed); err != nil {
			return nil, "", "", err
		}
	}
	finishTime(s, c, plainNumber, false)
	return c, title, "Time from arrival to the first agent answer, for callers who arrived " +
		"in each interval and were answered: mean and 90th percentile.", nil
}

// serviceLevelPlot draws each queue's service level with its SLO target.
func serviceLevelPlot(s *Summary) (*chart, string, string, error) {
	title := "Service level per queue"
	c := newTimeChart(s, title, "answered in target (%)")
	drawn := 0
	var targets []string
	for i, q := range s.Context.Queues {
		metric := "queues." + q.Name + ".service_level"
		pts, ok := timeSeries(s, metric, 100)
		if !ok {
			continue
		}
		name := fmt.Sprintf("%s (≤ %s)", q.Name, formatDuration(q.ServiceLevel))
		if err := c.addSeries(name, pts, seriesColor(i), solid); err != nil {
			return nil, "", "", err
		}
		drawn++
		for _, e := range s.SLO {
			if e.Metric == metric && e.Min != nil && finite(*e.Min) {
				c.addLimit(q.Name+" target "+formatPercent(*e.Min), *e.Min*100)
				targets = append(targets, q.Name)
			}
		}
	}
	if drawn == 0 {
		return nil, "", "", nil
	}
	finishTime(s, c, percentNumber, true)

	caption := "Share of callers answered within the queue's service-level time, of those " +
		"answered or abandoned"
	if len(targets) > 0 {
		caption += "; the dashed red line is the SLO target"
	}
	return c, title, caption + ".", nil
}

// utilizationPlot draws endpoint utilization and agent occupancy.
func utilizationPlot(s *Summary) (*chart, string, string, error) {
	title := "Endpoint utilization and agent occupancy"
	c := newTimeChart(s, title, "busy (%)")
	drawn := 0
	for _, e := range s.Context.Endpoints {
		if pts, ok := timeSeries(s, "endpoints."+e+".utilization", 100); ok {
			if err := c.addSeries(e+" workers", pts, seriesColor(drawn), solid); err != nil {
				return nil, "", "", err
			}
			drawn++
		}
	}
	for _, q := range s.Context.Queues {
		if pts, ok := timeSeries(s, "queues."+q.Name+".occupancy", 100); ok {
			if err := c.addSeries(q.Name+" agents", pts, seriesColor(drawn), dashed); err != nil {
				return nil, "", "", err
			}
			drawn++
		}
	}
	if drawn == 0 {
		return nil, "", "", nil
	}
	finishTime(s, c, percentNumber, true)
	return c, title, "Busy time over capacity in each interval: endpoint workers (solid) and " +
		"queue agents (dashed); near 100% requests and callers start to wait.", nil
}

// cdfPlot draws the distribution of routing delay and of each action's
// latency from the summary's quantile points, on a log axis when the
// values span more than two decades.
func cdfPlot(s *Summary) (*chart, string, string, error) {
	type curve struct {
		name string
		pts  []QuantilePoint
		clr  color.NRGBA
	}
	var curves []curve
	if pts := s.Distributions["routing.delay"]; len(pts) > 0 {
		curves = append(curves, curve{"routing delay", pts, routingColor})
	}
	for i, a := range actionNames(s) {
		if pts := s.Distributions["actions."+a+".latency"]; len(pts) > 0 {
			curves = append(curves, curve{a + " latency", pts, actionColor(i)})
		}
	}

	lo, hi := math.Inf(1), 0.0
	for _, cv := range curves {
		for _, p := range cv.pts {
			if finite(p.V) && p.V > 0 {
				lo, hi = math.Min(lo, p.V), math.Max(hi, p.V)
			}
		}
	}
	if hi <= 0 {
		return nil, "", "", nil
	}
	logX := hi/lo > 100

	scale, unit := 1.0, "s"
	xLabel := "duration (log scale)"
	if !logX {
		scale, unit = durationUnit(hi)
		xLabel = "duration (" + unit + ")"
	}
	title := "Distribution of routing delay and Data Action latency"
	c := newChart(title, xLabel, "at or below (%)")
	for _, cv := range curves {
		pts := make([]xy, 0, len(cv.pts))
		for _, p := range cv.pts {
			if !finite(p.V) || !finite(p.Q) || (logX && p.V <= 0) {
				continue
			}
			pts = append(pts, xy{x: p.V * scale, y: p.Q * 100, lo: math.NaN(), hi: math.NaN()})
		}
		if err := c.addSeries(cv.name, pts, cv.clr, solid); err != nil {
			return nil, "", "", err
		}
	}

	c.p.Y.Min, c.p.Y.Max = 0, 100
	c.p.Y.Tick.Marker = niceTicks{format: percentNumber}
	if logX {
		c.p.X.Scale = plot.LogScale{}
		c.p.X.Tick.Marker = logDurationTicks{}
		c.p.X.Min, c.p.X.Max = logAxisRange(lo, hi)
	} else {
		c.p.X.Min = 0
		c.p.X.Tick.Marker = niceTicks{format: plainNumber}
	}
	return c, title, "Share of calls (or answered callers) at or below each duration: the " +
		"replication means of each percentile.", nil
}
