package models

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dasim/dasim/sim"
)

// RunOptions says how to run a scenario's replications.
type RunOptions struct {
	// Seed is the root seed; every stream of every replication derives
	// from it.
	Seed uint64
	// Replications is the number of independent runs (at least 1).
	Replications int
	// Workers is how many replications run at once; 0 means one per CPU.
	// The results do not depend on it.
	Workers int
	// Progress, when set, is called after each replication ends with the
	// number done so far. It may be called from several goroutines.
	Progress func(done int)
}

// Stat is one metric over the replications: the mean of the replications
// where it is defined and its Student t 95% interval.
type Stat struct {
	Value  float64 // NaN when no replication defines it
	Lo, Hi float64 // NaN when N < 2
	N      int
	Unit   string
}

// Defined reports whether some replication defines the metric.
func (s Stat) Defined() bool { return s.N > 0 }

// HasCI reports whether the interval exists (N >= 2).
func (s Stat) HasCI() bool { return s.N >= 2 }

// IntervalRow is one clock-aligned interval of the run.
type IntervalRow struct {
	Start    float64 // s on the timeline
	Label    string  // "08:15", "+1d 00:15"
	InWarmup bool
	Values   map[string]Stat
}

// QuantilePoint is one point of a quantile function: the value V below
// which a fraction Q of observations lie.
type QuantilePoint struct{ Q, V float64 }

// Results is what a run of all replications predicts.
type Results struct {
	Metrics   map[string]Stat
	Columns   []string // interval metrics, in table order
	Intervals []IntervalRow
	// Distributions holds, per latency or delay metric (without suffix),
	// quantile points averaged over the replications.
	Distributions map[string][]QuantilePoint
	Warnings      []string
	Events        uint64
}

// repResult is one replication's numbers; NaN marks undefined.
type repResult struct {
	metrics  map[string]float64
	series   map[string][]float64
	dists    map[string][]float64
	columns  []string
	events   uint64
	open     int // interactions still open when the drain gave up
	warnings []string
}

// distQuantiles are the points kept of every latency distribution.
var distQuantiles = func() []float64 {
	var qs []float64
	for k := 0; k <= 50; k++ {
		qs = append(qs, float64(k)/50)
	}
	qs = append(qs, 0.99, 0.995, 0.999)
	sort.Float64s(qs)
	return qs
}()

// Run simulates every replication of sc and summarizes them. It is
// deterministic: the same scenario and options give the same Results,
// whatever Workers is.
func Run(ctx context.Context, sc *Scenario, opt RunOptions) (*Results, error) {
	n := opt.Replications
	if n < 1 {
		return nil, fmt.Errorf("models: %d replications; need at least 1", n)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)

	reps := make([]*repResult, n)
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				m := newModel(sc, opt.Seed, r)
				if err := m.run(ctx); err != nil {
					errs[r] = err
					continue
				}
				reps[r] = m.results()
				if opt.Progress != nil {
					mu.Lock()
					done++
					d := done
					mu.Unlock()
					opt.Progress(d)
				}
			}
		}()
	}
	for r := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return summarize(sc, reps), nil
}

// summarize merges replications in replication order.
func summarize(sc *Scenario, reps []*repResult) *Results {
	units := MetricCatalog(sc)
	res := &Results{
		Metrics:       map[string]Stat{},
		Columns:       reps[0].columns,
		Distributions: map[string][]QuantilePoint{},
	}
	for name, unit := range units {
		xs := make([]float64, 0, len(reps))
		for _, r := range reps {
			if v, ok := r.metrics[name]; ok && !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		st := stat(xs, unit)
		if isQuantile(name) {
			st = widenBySketch(st)
		}
		res.Metrics[name] = st
	}

	var partial []string
	for name, st := range res.Metrics {
		if st.N > 0 && st.N < len(reps) {
			partial = append(partial, fmt.Sprintf("%s (%d of %d)", name, st.N, len(reps)))
		}
	}
	if len(partial) > 0 {
		sort.Strings(partial)
		more := ""
		if len(partial) > 3 {
			more = fmt.Sprintf(" and %d more", len(partial)-3)
			partial = partial[:3]
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"some metrics had no observation in some replications; their value and interval use the others only: %s%s",
			strings.Join(partial, ", "), more))
	}

	w := sc.window()
	for i := range w.NumIntervals() {
		from, _ := w.IntervalBounds(i)
		row := IntervalRow{
			Start:    from.Seconds(),
			Label:    clockLabel(from.Seconds()),
			InWarmup: from < w.From,
			Values:   map[string]Stat{},
		}
		for _, col := range res.Columns {
			xs := make([]float64, 0, len(reps))
			for _, r := range reps {
				if v := r.series[col][i]; !math.IsNaN(v) {
					xs = append(xs, v)
				}
			}
			row.Values[col] = stat(xs, columnUnit(col, units))
		}
		res.Intervals = append(res.Intervals, row)
	}

	for name := range reps[0].dists {
		pts := make([]QuantilePoint, len(distQuantiles))
		for k, q := range distQuantiles {
			sum, cnt := 0.0, 0
			for _, r := range reps {
				if v := r.dists[name][k]; !math.IsNaN(v) {
					sum += v
					cnt++
				}
			}
			pts[k] = QuantilePoint{Q: q, V: math.NaN()}
			if cnt > 0 {
				pts[k].V = sum / float64(cnt)
			}
		}
		if !math.IsNaN(pts[0].V) {
			res.Distributions[name] = pts
		}
	}

	seen := map[string]bool{}
	stuck, most := 0, 0
	for _, r := range reps {
		if r.open > 0 {
			stuck++
			most = max(most, r.open)
		}
	}
	if stuck > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"in %d of %d replications, interactions were still open 24 h after the horizon (up to %s); they count as interactions.open",
			stuck, len(reps), thousands(most)))
	}
	for _, r := range reps {
		res.Events += r.events
		for _, msg := range r.warnings {
			if !seen[msg] {
				seen[msg] = true
				res.Warnings = append(res.Warnings, msg)
			}
		}
	}
	if len(reps) < 2 {
		res.Warnings = append(res.Warnings, "one replication only: no confidence intervals; set replications to 2 or more")
	}
	return res
}

// columnUnit is the unit of an interval column: a metric's, or the nearest
// kind for interval-only columns.
func columnUnit(col string, units map[string]string) string {
	if u, ok := units[col]; ok {
		return u
	}
	if col == "platform.in_flight.mean" || strings.HasSuffix(col, ".busy.mean") || strings.HasSuffix(col, ".offered.max") {
		return UnitCount
	}
	return UnitFraction
}

// stat is the mean and Student t interval of xs, clamped to the unit's
// range.
func stat(xs []float64, unit string) Stat {
	s := Stat{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), N: len(xs), Unit: unit}
	if len(xs) == 0 {
		return s
	}
	mean, lo, hi, ok := sim.MeanCI(xs)
	if !ok {
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		s.Value = sum / float64(len(xs))
		return s
	}
	s.Value, s.Lo, s.Hi = mean, lo, hi
	s.Lo = math.Max(0, s.Lo)
	// Fractions stop at 1, except occupancy and utilization, which pass 1
	// when a schedule lowers capacity under agents still busy: never cut
	// the interval below its own mean.
	if unit == UnitFraction && s.Value <= 1 {
		s.Hi = math.Min(1, s.Hi)
	}
	return s
}

// clockLabel writes t seconds on the timeline as a clock time, with the day
// when it is not day 0.
func clockLabel(t float64) string {
	day := int(math.Floor(t / 86400))
	tod := int(math.Round(t - float64(day)*86400))
	label := fmt.Sprintf("%02d:%02d", tod/3600, tod/60%60)
	if tod%60 != 0 {
		label += fmt.Sprintf(":%02d", tod%60)
	}
	if day != 0 {
		label = fmt.Sprintf("%+dd %s", day, label)
	}
	return label
}

// thousands writes n with comma separators: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// isQuantile reports whether a metric is a percentile read from a sketch.
func isQuantile(name string) bool {
	for _, suf := range []string{".p50", ".p90", ".p95", ".p99"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// widenBySketch makes a percentile's interval at least as wide as the
// sketch's relative accuracy: replications whose quantiles fall in the same
// sketch bucket agree exactly, and an interval of zero width would claim a
// precision the sketch does not have.
func widenBySketch(st Stat) Stat {
	if !st.HasCI() {
		return st
	}
	st.Lo = math.Min(st.Lo, st.Value*(1-sim.SketchAccuracy))
	st.Hi = math.Max(st.Hi, st.Value*(1+sim.SketchAccuracy))
	return st
}
