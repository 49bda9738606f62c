package reports

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// clockTicks marks a time axis (seconds on the simulation timeline) at
// whole clock steps, labelled "08:00", with at most about ten labels; the
// steps between labels get unlabelled minor ticks.
type clockTicks struct{}

// clockSteps are the label spacings clockTicks chooses from, in seconds.
var clockSteps = []float64{300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400}

// Ticks implements plot.Ticker.
func (clockTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	step := clockSteps[len(clockSteps)-1]
	for _, s := range clockSteps {
		if span/s <= 10 {
			step = s
			break
		}
	}
	minor := step / 2
	if step >= 3600 && math.Mod(step, 3*3600) == 0 {
		minor = step / 3
	}

	var ticks []plot.Tick
	for t := math.Ceil(lo/minor-1e-9) * minor; t <= hi+1e-9; t += minor {
		label := ""
		if math.Abs(math.Remainder(t, step)) < 1e-6 {
			label = clockLabel(t)
		}
		ticks = append(ticks, plot.Tick{Value: t, Label: label})
	}
	return ticks
}

// niceTicks marks a linear axis at round values (1, 2, 2.5 or 5 times a
// power of ten), five to seven of them, and labels each with format.
type niceTicks struct {
	format func(float64) string
}

// Ticks implements plot.Ticker.
func (n niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: n.format(lo)}}
	}
	step := niceStep((hi - lo) / 6)

	var ticks []plot.Tick
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: n.format(v)})
		if mid := v + step/2; mid < hi {
			ticks = append(ticks, plot.Tick{Value: mid})
		}
	}
	return ticks
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag*(1+1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// logDurationTicks marks a log axis of seconds at round durations,
// labelled "50 ms", "2 s", "1 min", with unlabelled minor ticks at every
// whole multiple of each power of ten. It labels the densest of
// [logLabelSets] that gives at most eight labels.
type logDurationTicks struct{}

// logLabelSets are the label positions logDurationTicks chooses from, in
// seconds, densest first. Above ten seconds they follow the clock (30 s,
// 1 min, 5 min) rather than powers of ten.
var logLabelSets = [][]float64{
	{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300,
		600, 1200, 1800, 3600, 7200, 18000, 36000, 86400},
	{0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 60, 300, 600, 1800, 3600, 10800,
		36000, 86400},
	{0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 36000, 86400},
}

// Ticks implements plot.Ticker.
func (logDurationTicks) Ticks(lo, hi float64) []plot.Tick {
	in := func(v float64) bool { return v >= lo*(1-1e-9) && v <= hi*(1+1e-9) }
	var labels []float64
	for _, set := range logLabelSets {
		labels = labels[:0]
		for _, v := range set {
			if in(v) {
				labels = append(labels, v)
			}
		}
		if len(labels) <= 8 {
			break
		}
	}

	var ticks []plot.Tick
	for _, v := range labels {
		ticks = append(ticks, plot.Tick{Value: v, Label: tickDuration(v)})
	}
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for m := 1.0; m < 10; m++ {
			if v := m * math.Pow(10, e); in(v) {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}

// logAxisRange widens [lo, hi] (seconds) to the round durations of the
// sparsest label set around it, so both ends of a log axis carry a label.
func logAxisRange(lo, hi float64) (float64, float64) {
	set := logLabelSets[len(logLabelSets)-1]
	a, b := set[0], set[len(set)-1]
	for _, v := range set {
		if v <= lo*(1+1e-9) {
			a = v
		}
	}
	for i := len(set) - 1; i >= 0; i-- {
		if set[i] >= hi*(1-1e-9) {
			b = set[i]
		}
	}
	return a, b
}

// tickDuration writes a round duration for an axis label: "20 ms", "5 s",
// "2 min", "1 h".
func tickDuration(sec float64) string {
	switch {
	case sec < 1:
		return plainNumber(sec*1000) + " ms"
	case sec < 60:
		return plainNumber(sec) + " s"
	case sec < 3600:
		return plainNumber(sec/60) + " min"
	}
	return plainNumber(sec/3600) + " h"
}

// plainNumber formats an axis value without trailing zeros.
func plainNumber(v float64) string {
	return trimZeros(strconv.FormatFloat(v, 'f', 3, 64))
}

// countNumber formats an axis value with thousands separators.
func countNumber(v float64) string {
	if math.Abs(v) >= 1000 && v == math.Trunc(v) {
		return groupThousands(v)
	}
	return plainNumber(v)
}

// percentNumber formats an axis value already scaled to 0..100.
func percentNumber(v float64) string {
	return plainNumber(v) + "%"
}
