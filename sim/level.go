package sim

import "math"

// Level is a time-weighted step function, such as the number of busy
// servers, the queue length or the number of calls in flight. It starts at 0
// at the window's Start and holds each value until the next change.
//
// A Level integrates over the observation window [From, To) and, per
// interval, over [Start, To). Changes must come in non-decreasing time order;
// changes before Start only set the starting value, and time after To is
// ignored. Set and Add cost O(1) amortized and never allocate: the level
// keeps its current interval and walks interval boundaries as time passes.
//
// Max and the interval maxima count a value only if it was in force for a
// positive length of time inside the span; a value replaced at the same
// instant it was set never counts.
type Level struct {
	w     Window
	v     float64 // current value
	last  Time    // integrated up to here; always within [Start, To]
	cur   int     // interval holding last
	nextB Time    // end of interval cur, clipped to To

	win   float64   // integral over the window, in value·nanoseconds
	max   float64   // largest value held inside the window, or -Inf
	ivInt []float64 // per-interval integrals, in value·nanoseconds
	ivMax []float64 // per-interval maxima, or -Inf
}

// NewLevel returns a level that starts at 0 at w.Start.
func NewLevel(w Window) *Level {
	n := w.NumIntervals()
	l := &Level{
		w:     w,
		last:  w.Start,
		max:   math.Inf(-1),
		ivInt: make([]float64, n),
		ivMax: make([]float64, n),
	}
	for i := range l.ivMax {
		l.ivMax[i] = math.Inf(-1)
	}
	if n > 0 {
		_, l.nextB = w.IntervalBounds(0)
	}
	return l
}

// Set changes the value to v at time now. It panics if now is earlier than a
// previous change that fell inside [Start, To).
func (l *Level) Set(now Time, v float64) {
	l.advance(now)
	l.v = v
}

// Add changes the value by dv at time now, with the same rules as
// [Level.Set].
func (l *Level) Add(now Time, dv float64) {
	l.advance(now)
	l.v += dv
}

// Value returns the current value.
func (l *Level) Value() float64 { return l.v }

// Close integrates the current value up to min(end, To). Call it once at the
// end of the replication, before reading any statistic; end may lie past To.
// Time after end is not integrated, so if end < To the rest of the run counts
// as zero in the means.
func (l *Level) Close(end Time) {
	l.advance(end)
}

// advance integrates the current value from l.last up to min(now, To).
func (l *Level) advance(now Time) {
	if now < l.last {
		if now < l.w.Start {
			return // before the run: only the starting value changes
		}
		panic("sim: Level time went backwards")
	}
	end := min(now, l.w.To)
	if end <= l.last {
		return
	}
	v := l.v

	// The observation window takes the part of [last, end) past From.
	if a := max(l.last, l.w.From); end > a {
		l.win += v * float64(end-a)
		if v > l.max {
			l.max = v
		}
	}

	// Walk the intervals that [last, end) crosses.
	for l.last < end {
		seg := min(l.nextB, end)
		l.ivInt[l.cur] += v * float64(seg-l.last)
		if v > l.ivMax[l.cur] {
			l.ivMax[l.cur] = v
		}
		l.last = seg
		if seg == l.nextB && l.cur+1 < len(l.ivInt) {
			l.cur++
			_, l.nextB = l.w.IntervalBounds(l.cur)
		}
	}
}

// Integral returns the integral of the level over [From, To) in
// value·seconds, up to the time integrated so far.
func (l *Level) Integral() float64 {
	return l.win / 1e9
}

// Mean returns the time average over the observation window: the integral
// over [From, To) divided by To-From. It is NaN if To <= From.
func (l *Level) Mean() float64 {
	if l.w.To <= l.w.From {
		return math.NaN()
	}
	return l.win / float64(l.w.To-l.w.From)
}

// Max returns the largest value held for a positive time inside [From, To),
// the value in force at From included. It is NaN if no time inside the
// window has been integrated.
func (l *Level) Max() float64 {
	return nanIfNegInf(l.max)
}

// IntervalMeans returns, per interval, the integral over the interval's part
// of [Start, To) divided by that part's length. The slice is new on each
// call.
func (l *Level) IntervalMeans() []float64 {
	out := make([]float64, len(l.ivInt))
	for i, x := range l.ivInt {
		from, to := l.w.IntervalBounds(i)
		out[i] = x / float64(to-from)
	}
	return out
}

// IntervalMaxes returns, per interval, the largest value held for a positive
// time within it, or NaN for intervals not yet reached. The slice is new on
// each call.
func (l *Level) IntervalMaxes() []float64 {
	out := make([]float64, len(l.ivMax))
	for i, x := range l.ivMax {
		out[i] = nanIfNegInf(x)
	}
	return out
}

// nanIfNegInf maps the "nothing seen" sentinel -Inf to NaN.
func nanIfNegInf(x float64) float64 {
	if math.IsInf(x, -1) {
		return math.NaN()
	}
	return x
}
