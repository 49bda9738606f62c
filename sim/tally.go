package sim

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
)

// SketchAccuracy is the relative accuracy of the quantile sketch in a
// [Tally]: a reported quantile lies within this fraction of a value whose
// rank is the requested one (Masson, Rim and Lee, "DDSketch: a fast and
// fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019).
const SketchAccuracy = 0.005

// Tally accumulates observations such as waiting times. It keeps the exact
// count, sum, minimum and maximum, and, when created with quantiles, a
// DDSketch for quantiles with relative accuracy [SketchAccuracy].
//
// Observations of 0 are kept exactly (the sketch counts zeros apart), NaN
// observations are dropped, and values too large for the sketch (such as
// +Inf) still count in the exact statistics. In steady state Add does not
// allocate; the sketch grows only when a value lands outside the range of
// buckets seen so far.
type Tally struct {
	n        int64
	sum      float64
	min, max float64
	sk       *ddsketch.DDSketch // nil without quantiles
}

// NewTally returns an empty tally, with a quantile sketch if quantiles is
// true.
func NewTally(quantiles bool) *Tally {
	t := &Tally{min: math.Inf(1), max: math.Inf(-1)}
	if quantiles {
		sk, err := ddsketch.NewDefaultDDSketch(SketchAccuracy)
		if err != nil {
			// The accuracy is a valid constant, so this cannot happen.
			panic("sim: " + err.Error())
		}
		t.sk = sk
	}
	return t
}

// Add records the observation x.
func (t *Tally) Add(x float64) {
	if x != x {
		return
	}
	t.n++
	t.sum += x
	if x < t.min {
		t.min = x
	}
	if x > t.max {
		t.max = x
	}
	if t.sk != nil {
		// The only failure is a value beyond the sketch's range; such a
		// value is still counted above.
		_ = t.sk.Add(x)
	}
}

// Count returns the number of observations.
func (t *Tally) Count() int64 { return t.n }

// Sum returns the sum of the observations.
func (t *Tally) Sum() float64 { return t.sum }

// Mean returns the mean of the observations, or NaN if there are none.
func (t *Tally) Mean() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.sum / float64(t.n)
}

// Min returns the smallest observation, or NaN if there are none.
func (t *Tally) Min() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.min
}

// Max returns the largest observation, or NaN if there are none.
func (t *Tally) Max() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.max
}

// HasQuantiles reports whether t keeps a quantile sketch.
func (t *Tally) HasQuantiles() bool { return t.sk != nil }

// Quantile returns the q-quantile of the observations for q in [0, 1]. q=0
// gives [Tally.Min] and q=1 gives [Tally.Max] exactly; other quantiles come
// from the sketch (the lower quantile, at rank q*(n-1)) and are accurate to
// [SketchAccuracy] relative error, clamped to [Min, Max]. Quantile returns
// NaN if t is empty, has no sketch, or q is outside [0, 1].
func (t *Tally) Quantile(q float64) float64 {
	if t.n == 0 || t.sk == nil || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	switch q {
	case 0:
		return t.min
	case 1:
		return t.max
	}
	v, err := t.sk.GetValueAtQuantile(q)
	if err != nil {
		// Only possible when every observation was beyond the sketch's range.
		return math.NaN()
	}
	return min(max(v, t.min), t.max)
}

// Merge adds the observations of o to t; o is unchanged. If o holds
// observations but no sketch, t drops its own sketch, so that Quantile never
// answers from a sketch that misses observations.
func (t *Tally) Merge(o *Tally) {
	if o == nil || o.n == 0 {
		return
	}
	t.n += o.n
	t.sum += o.sum
	t.min = min(t.min, o.min)
	t.max = max(t.max, o.max)
	switch {
	case t.sk == nil:
	case o.sk == nil:
		t.sk = nil
	default:
		// Both sketches share one mapping, so merging cannot fail.
		_ = t.sk.MergeWith(o.sk)
	}
}

// Series is a set of per-interval tallies: Add files each observation under
// the interval of its time. Tallies are created on first use.
type Series struct {
	w         Window
	quantiles bool
	tallies   []*Tally
}

// NewSeries returns an empty series on the interval grid of w, whose tallies
// keep quantile sketches if quantiles is true.
func NewSeries(w Window, quantiles bool) *Series {
	return &Series{w: w, quantiles: quantiles, tallies: make([]*Tally, w.NumIntervals())}
}

// Add records x in the tally of the interval holding t. Observations at times
// outside [Start, To) are ignored.
func (s *Series) Add(t Time, x float64) {
	i := s.w.IntervalOf(t)
	if i < 0 {
		return
	}
	tl := s.tallies[i]
	if tl == nil {
		tl = NewTally(s.quantiles)
		s.tallies[i] = tl
	}
	tl.Add(x)
}

// Len returns the number of intervals.
func (s *Series) Len() int { return len(s.tallies) }

// At returns the tally of interval i, or nil if nothing was added there. It
// panics if i is out of range.
func (s *Series) At(i int) *Tally { return s.tallies[i] }
