package models

import (
	"math"

	"github.com/dasim/dasim/sim"
)

// tally is a latency or delay metric: the whole-window tally and, when
// asked for, one per interval for the interval table.
type tally struct {
	all *sim.Tally
	per *sim.Series // nil when the metric has no interval columns
}

func newTally(w sim.Window, perInterval bool) tally {
	t := tally{all: sim.NewTally(true)}
	if perInterval {
		t.per = sim.NewSeries(w, true)
	}
	return t
}

// add records x for an observation that started at start.
func (t tally) add(w sim.Window, start sim.Time, x float64) {
	if w.In(start) {
		t.all.Add(x)
	}
	if t.per != nil {
		t.per.Add(start, x)
	}
}

// ratio is a fraction metric: hits over trials, for the window and per
// interval, each observation filed by its own start.
type ratio struct {
	hit, n      float64
	ihit, in    []float64
	perInterval bool
}

func newRatio(w sim.Window, perInterval bool) *ratio {
	r := &ratio{perInterval: perInterval}
	if perInterval {
		k := w.NumIntervals()
		r.ihit, r.in = make([]float64, k), make([]float64, k)
	}
	return r
}

func (r *ratio) add(w sim.Window, start sim.Time, hit bool) {
	h := 0.0
	if hit {
		h = 1
	}
	if w.In(start) {
		r.n++
		r.hit += h
	}
	if r.perInterval {
		if i := w.IntervalOf(start); i >= 0 {
			r.in[i]++
			r.ihit[i] += h
		}
	}
}

// value is the fraction, NaN without trials.
func (r *ratio) value() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.hit / r.n
}

func (r *ratio) intervals() []float64 {
	out := make([]float64, len(r.in))
	for i := range out {
		out[i] = math.NaN()
		if r.in[i] > 0 {
			out[i] = r.ihit[i] / r.in[i]
		}
	}
	return out
}

// counter counts observations in the window and, optionally, per interval.
type counter struct {
	n   float64
	per []float64
}

func newCounter(w sim.Window, perInterval bool) *counter {
	c := &counter{}
	if perInterval {
		c.per = make([]float64, w.NumIntervals())
	}
	return c
}

func (c *counter) inc(w sim.Window, start sim.Time) {
	if w.In(start) {
		c.n++
	}
	if c.per != nil {
		if i := w.IntervalOf(start); i >= 0 {
			c.per[i]++
		}
	}
}

// levelRatio is ∫a/∫b per interval (utilization, occupancy); NaN where the
// capacity integral is zero.
func levelRatio(a, b *sim.Level) []float64 {
	am, bm := a.IntervalMeans(), b.IntervalMeans()
	out := make([]float64, len(am))
	for i := range out {
		out[i] = math.NaN()
		if bm[i] > 0 {
			out[i] = am[i] / bm[i]
		}
	}
	return out
}

// quantileSeries returns, per interval, quantile q of the series (NaN where
// the interval has no observation); q < 0 asks for the mean.
func quantileSeries(w sim.Window, s *sim.Series, q float64) []float64 {
	out := make([]float64, w.NumIntervals())
	for i := range out {
		t := s.At(i)
		switch {
		case t == nil || t.Count() == 0:
			out[i] = math.NaN()
		case q < 0:
			out[i] = t.Mean()
		default:
			out[i] = t.Quantile(q)
		}
	}
	return out
}

func toFloats(xs []int64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
