package sim

// Counter counts events per interval, over [Start, To), and in total over the
// observation window [From, To).
type Counter struct {
	w     Window
	total int64
	per   []int64
}

// NewCounter returns a zeroed counter on the grid of w.
func NewCounter(w Window) *Counter {
	return &Counter{w: w, per: make([]int64, w.NumIntervals())}
}

// Inc counts one event at time t: in the interval holding t, and in the
// window total if t lies in [From, To). Times outside [Start, To) count
// nowhere.
func (c *Counter) Inc(t Time) {
	if i := c.w.IntervalOf(t); i >= 0 {
		c.per[i]++
	}
	if c.w.In(t) {
		c.total++
	}
}

// Total returns the number of events counted inside [From, To).
func (c *Counter) Total() int64 { return c.total }

// PerInterval returns the count of each interval. The slice is new on each
// call.
func (c *Counter) PerInterval() []int64 {
	return append([]int64(nil), c.per...)
}

// PeakCounter tracks the largest number of events in one clock-aligned
// period [k*per, (k+1)*per), such as the busiest clock minute.
//
// Events are best passed in non-decreasing time order, which costs O(1) and
// no allocation except once per new period; any order inside [Start, To) is
// still counted correctly. Events outside [Start, To) are ignored.
type PeakCounter struct {
	w   Window
	per Time

	cur    Time  // period index that curN counts
	curN   int64 // events in period cur not yet folded into counts
	counts map[Time]int64

	fromK  Time  // period index holding From
	before int64 // events of period fromK that came before From
}

// NewPeakCounter returns a peak counter for periods of length per, which
// must be positive.
func NewPeakCounter(w Window, per Time) *PeakCounter {
	if per <= 0 {
		panic("sim: NewPeakCounter with a non-positive period")
	}
	return &PeakCounter{
		w:      w,
		per:    per,
		counts: make(map[Time]int64),
		fromK:  floorDiv(w.From, per),
	}
}

// Inc counts one event at time t.
func (p *PeakCounter) Inc(t Time) {
	if t < p.w.Start || t >= p.w.To {
		return
	}
	k := floorDiv(t, p.per)
	if k != p.cur {
		p.flush()
		p.cur = k
	}
	p.curN++
	if t < p.w.From && k == p.fromK {
		p.before++
	}
}

// flush folds the running count of the current period into the map.
func (p *PeakCounter) flush() {
	if p.curN > 0 {
		p.counts[p.cur] += p.curN
		p.curN = 0
	}
}

// Max returns the most events in any whole period lying entirely inside
// [From, To). If no whole period fits in the window, it returns the most
// events inside [From, To) in any period that intersects the window. It is 0
// when nothing was counted.
func (p *PeakCounter) Max() int64 {
	p.flush()
	if p.w.To <= p.w.From {
		return 0
	}

	// Whole periods k satisfy From <= k*per and (k+1)*per <= To.
	lo := floorDiv(p.w.From+p.per-1, p.per)
	hi := floorDiv(p.w.To, p.per) - 1
	if lo <= hi {
		var best int64
		for k, n := range p.counts {
			if k >= lo && k <= hi {
				best = max(best, n)
			}
		}
		return best
	}

	// No whole period fits: use the periods overlapping the window,
	// counting only their events from From on.
	lastK := floorDiv(p.w.To-1, p.per)
	var best int64
	for k, n := range p.counts {
		if k < p.fromK || k > lastK {
			continue
		}
		if k == p.fromK {
			n -= p.before
		}
		best = max(best, n)
	}
	return best
}

// IntervalMaxes returns, per interval, the most events in a period that
// starts inside that interval; the period holding Start counts for interval
// 0 even if it starts before Start. A period's whole count is used even if
// it runs on into the next interval. The slice is new on each call.
func (p *PeakCounter) IntervalMaxes() []int64 {
	p.flush()
	out := make([]int64, p.w.NumIntervals())
	for k, n := range p.counts {
		i := p.w.IntervalOf(max(k*p.per, p.w.Start))
		out[i] = max(out[i], n)
	}
	return out
}
