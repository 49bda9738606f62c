package models

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/dasim/dasim/sim"
)

// arrivals generates a non-homogeneous Poisson (or evenly spaced) process
// by inverting the cumulative intensity: the rate is piecewise constant, so
// the time at which the integral of the rate reaches a target is exact
// (Cinlar's method; see e.g. Law, Simulation Modeling and Analysis, §8.6).
type arrivals struct {
	pieces  []piece
	k       int // current piece
	t       float64
	poisson bool
	r       *rand.Rand
	first   bool
}

// piece is a constant arrival rate over [from, to), in seconds.
type piece struct {
	from, to, rate float64
}

// buildPieces lays the arrival rate over [start, end): base × scale ×
// busyness × every active burst, split wherever any factor changes.
func buildPieces(a *Arrivals, start, end, busyness float64) []piece {
	cuts := []float64{start, end}
	for _, s := range a.Base {
		cuts = append(cuts, s.From, s.To)
	}
	// Start a day early: a burst that began the evening before may still
	// be running at the start.
	for day := math.Floor(start/86400) - 1; day*86400 < end; day++ {
		for _, b := range a.Bursts {
			t0 := day*86400 + b.Start
			cuts = append(cuts, t0, t0+b.Duration)
		}
	}
	sort.Float64s(cuts)
	var out []piece
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		if from < start || to > end || to <= from {
			continue
		}
		mid := from + (to-from)/2
		rate := baseRate(a, mid) * a.Scale * busyness * burstFactor(a, mid)
		if n := len(out); n > 0 && out[n-1].rate == rate && out[n-1].to == from {
			out[n-1].to = to
			continue
		}
		out = append(out, piece{from, to, rate})
	}
	return out
}

// baseRate is the base rate in force at t.
func baseRate(a *Arrivals, t float64) float64 {
	for _, s := range a.Base {
		if t >= s.From && t < s.To {
			return s.Rate
		}
	}
	return 0
}

// burstFactor is the product of the multipliers of the bursts active at t,
// counting one that started the day before and runs past midnight.
func burstFactor(a *Arrivals, t float64) float64 {
	f := 1.0
	day := math.Floor(t / 86400)
	for _, b := range a.Bursts {
		for _, d := range []float64{day - 1, day} {
			if s := d*86400 + b.Start; t >= s && t < s+b.Duration {
				f *= b.Multiplier
				break
			}
		}
	}
	return f
}

// next returns the time of the next arrival in seconds, or +Inf when the
// intensity runs out before the end.
func (g *arrivals) next() float64 {
	need := 1.0
	switch {
	case g.poisson:
		need = g.r.ExpFloat64()
	case g.first:
		need = 0.5
	}
	g.first = false
	for g.k < len(g.pieces) {
		p := g.pieces[g.k]
		if g.t < p.from {
			g.t = p.from
		}
		if p.rate > 0 {
			left := p.rate * (p.to - g.t)
			if need <= left {
				g.t += need / p.rate
				return g.t
			}
			need -= left
		}
		g.t = p.to
		g.k++
	}
	return math.Inf(1)
}

// scheduleArrival files the next arrival, if any falls before the horizon.
func (m *model) scheduleArrival() {
	t := m.arr.next()
	if at := sim.Seconds(t); !math.IsInf(t, 1) && at < m.end {
		m.cal.Schedule(at, evArrival, 0, 0)
	}
}

// arrive creates an interaction and starts the entry flow.
func (m *model) arrive() {
	now := m.cal.Now()
	id := m.inters.alloc()
	m.inters.items[id] = interaction{arrived: now, open: true, proc: -1, queue: -1, inQueue: -1}
	m.st.arrived.inc(m.w, now)
	m.scheduleArrival()
	m.startFlow(id, m.entry)
}
