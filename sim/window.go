package sim

// Window is the observation window and interval grid of one replication.
//
// Statistics are reported two ways: over the observation window [From, To),
// which excludes the warm-up, and per interval over the whole run [Start, To),
// so that reports can show the warm-up too. Intervals are aligned to the
// clock rather than to Start: interval k of the timeline covers
// [k*Interval, (k+1)*Interval), and the grid is that timeline clipped to
// [Start, To). The first and last intervals may therefore be partial.
//
// A Window is expected to satisfy Start <= From <= To. An Interval of zero or
// less means a single interval that spans [Start, To).
type Window struct {
	Start    Time // start of the run; the interval grid is clipped from here
	From     Time // start of the observation window (Start plus the warm-up)
	To       Time // end of the observation window and of the run (Start plus the horizon)
	Interval Time // interval length; zero or less means one interval
}

// firstK returns the timeline index of the interval holding Start.
func (w Window) firstK() Time {
	return floorDiv(w.Start, w.Interval)
}

// NumIntervals returns the number of intervals that intersect [Start, To).
func (w Window) NumIntervals() int {
	if w.To <= w.Start {
		return 0
	}
	if w.Interval <= 0 {
		return 1
	}
	return int(floorDiv(w.To-1, w.Interval) - w.firstK() + 1)
}

// IntervalOf returns the index of the interval holding t, counting from 0 for
// the interval that holds Start, or -1 if t lies outside [Start, To).
func (w Window) IntervalOf(t Time) int {
	if t < w.Start || t >= w.To {
		return -1
	}
	if w.Interval <= 0 {
		return 0
	}
	return int(floorDiv(t, w.Interval) - w.firstK())
}

// IntervalBounds returns the part [from, to) of interval i that lies inside
// [Start, To). It panics if i is not in [0, NumIntervals()).
func (w Window) IntervalBounds(i int) (from, to Time) {
	if i < 0 || i >= w.NumIntervals() {
		panic("sim: interval index out of range")
	}
	if w.Interval <= 0 {
		return w.Start, w.To
	}
	k := w.firstK() + Time(i)
	from = max(k*w.Interval, w.Start)
	to = w.To
	if k < floorDiv(w.To-1, w.Interval) {
		// Not the last interval, so its end does not pass To and cannot
		// overflow.
		to = (k + 1) * w.Interval
	}
	return from, to
}

// In reports whether t lies in the observation window [From, To).
func (w Window) In(t Time) bool {
	return w.From <= t && t < w.To
}

// Length returns the length of the observation window, To-From, or 0 if To
// is not after From.
func (w Window) Length() Time {
	return max(w.To-w.From, 0)
}
