package models

import (
	"fmt"
	"math"
	"strings"

	"github.com/dasim/dasim/sim"
)

// results closes the replication's statistics and reads every metric of
// the catalog and every interval column out of them.
func (m *model) results() *repResult {
	// Levels integrate to the horizon even when the calendar ran dry early.
	end := max(m.cal.Now(), m.w.To)
	r := &repResult{
		metrics: map[string]float64{},
		series:  map[string][]float64{},
		dists:   map[string][]float64{},
		events:  m.cal.Fired(),
		open:    m.inters.live,
	}
	put := func(name string, v float64) { r.metrics[name] = v }
	col := func(name string, v []float64) {
		r.columns = append(r.columns, name)
		r.series[name] = v
	}
	dist := func(prefix string, t *sim.Tally) {
		putTally(r, prefix, t)
	}

	st := &m.st
	put("interactions.arrived", st.arrived.n)
	put("interactions.answered", st.answered.n)
	put("interactions.abandoned", st.abandoned.n)
	put("interactions.ended_in_flow", st.ended.n)
	put("interactions.open", st.arrived.n-st.answered.n-st.abandoned.n-st.ended.n)
	put("interactions.transferred", st.trans.n)
	dist("interactions.action_wait", st.actionWait.all)
	dist("routing.delay", st.routing.all)
	col("interactions.arrived", st.arrived.per)
	col("routing.delay.mean", quantileSeries(m.w, st.routing.per, -1))
	col("routing.delay.p90", quantileSeries(m.w, st.routing.per, 0.90))

	pl := &m.plat
	pl.level.Close(end)
	put("platform.executions", pl.executions.n)
	put("platform.per_minute.max", float64(pl.perMinute.Max()))
	put("platform.in_flight.max", pl.level.Max())
	col("platform.executions", pl.executions.per)
	col("platform.per_minute.max", toFloats(pl.perMinute.IntervalMaxes()))
	col("platform.in_flight.max", pl.level.IntervalMaxes())
	col("platform.in_flight.mean", pl.level.IntervalMeans())
	if pl.maxInFlight > 0 {
		put("limits.max_in_flight.rejected", pl.slots.value())
		col("limits.max_in_flight.rejected", pl.slots.intervals())
	}
	limits := func(ls []limitRT) {
		for k := range ls {
			l := &ls[k]
			put("limits."+l.name+".rejected", l.rej.value())
			put("limits."+l.name+".offered.max", float64(l.offered.Max()))
			col("limits."+l.name+".rejected", l.rej.intervals())
			col("limits."+l.name+".offered.max", toFloats(l.offered.IntervalMaxes()))
		}
	}
	limits(pl.limits)

	for k := range m.actions {
		a := &m.actions[k]
		p := "actions." + a.name
		a.inFlight.Close(end)
		put(p+".calls", a.calls.n)
		put(p+".cache_hits", a.cacheHits.n)
		put(p+".executions", a.executions.n)
		put(p+".retries", a.retries.n)
		put(p+".success", a.success.value())
		put(p+".timeouts", a.timeouts.value())
		put(p+".rejected", a.rejected.value())
		put(p+".errors", a.errors.value())
		put(p+".failed", 1-a.success.value())
		put(p+".in_flight.max", a.inFlight.Max())
		put(p+".per_minute.max", float64(a.perMinute.Max()))
		dist(p+".latency", a.latency.all)
		col(p+".executions", a.executions.per)
		col(p+".latency.p50", quantileSeries(m.w, a.latency.per, 0.50))
		col(p+".latency.p95", quantileSeries(m.w, a.latency.per, 0.95))
		col(p+".latency.p99", quantileSeries(m.w, a.latency.per, 0.99))
		col(p+".failed", m.failedSeries(a))
	}

	for k := range m.eps {
		e := &m.eps[k]
		p := "endpoints." + e.name
		e.station.Close(end)
		if e.limited {
			m.warnNoCapacity(p, "workers", "requests", e.station)
		}
		busy := e.station.BusyLevel()
		put(p+".requests", e.requests.n)
		put(p+".rejected", e.rejected.value())
		put(p+".rejected_queue", e.rejQueue.value())
		put(p+".rejected_rate_limit", e.rejRate.value())
		put(p+".errors", e.errs.value())
		put(p+".busy.mean", busy.Mean())
		put(p+".queue.mean", e.station.QueueLevel().Mean())
		put(p+".queue.max", e.station.QueueLevel().Max())
		dist(p+".wait", e.wait.all)
		dist(p+".response", e.response.all)
		if e.limited {
			capa := e.station.CapacityLevel()
			put(p+".utilization", safeDiv(busy.Integral(), capa.Integral()))
			col(p+".utilization", levelRatio(busy, capa))
		}
		col(p+".busy.mean", busy.IntervalMeans())
		col(p+".response.p95", quantileSeries(m.w, e.response.per, 0.95))
		limits(e.limits)
	}

	for k := range m.flows {
		f := &m.flows[k]
		dist("flows."+f.name+".duration", f.duration.all)
		put("flows."+f.name+".failure_path", f.failure.value())
	}

	// Callers still waiting when the run stopped entered their queue and did
	// not abandon it.
	for k := range m.inters.items {
		if it := &m.inters.items[k]; it.open && it.waiting {
			m.queues[it.queue].abandoned.add(m.w, it.entered, false)
		}
	}
	for k := range m.queues {
		q := &m.queues[k]
		p := "queues." + q.name
		q.station.Close(end)
		m.warnNoCapacity(p, "agents", "callers", q.station)
		busy, capa := q.station.BusyLevel(), q.station.CapacityLevel()
		put(p+".entries", q.entries.n)
		put(p+".service_level", q.sl.value())
		put(p+".service_level_answered", q.slAnswered.value())
		put(p+".abandoned", q.abandoned.value())
		put(p+".occupancy", safeDiv(busy.Integral(), capa.Integral()))
		put(p+".busy.mean", busy.Mean())
		dist(p+".wait", q.wait.all)
		dist(p+".on_answer_delay", q.onAnswerDelay.all)
		col(p+".service_level", q.sl.intervals())
		col(p+".abandoned", q.abandoned.intervals())
		col(p+".occupancy", levelRatio(busy, capa))
		col(p+".busy.mean", busy.IntervalMeans())
		col(p+".wait.mean", quantileSeries(m.w, q.wait.per, -1))
	}
	r.warnings = m.warnings
	return r
}

// failedSeries is, per interval, the fraction of the action's calls that
// did not succeed.
func (m *model) failedSeries(a *actionRT) []float64 {
	s := a.success.intervals()
	for i, v := range s {
		if !math.IsNaN(v) {
			s[i] = 1 - v
		}
	}
	return s
}

// putTally stores the percentile metrics of t under prefix, and its
// quantile points; all NaN when t is empty.
func putTally(r *repResult, prefix string, t *sim.Tally) {
	empty := t.Count() == 0
	get := func(v float64) float64 {
		if empty {
			return math.NaN()
		}
		return v
	}
	r.metrics[prefix+".mean"] = get(t.Mean())
	r.metrics[prefix+".p50"] = get(t.Quantile(0.50))
	r.metrics[prefix+".p90"] = get(t.Quantile(0.90))
	r.metrics[prefix+".p95"] = get(t.Quantile(0.95))
	r.metrics[prefix+".p99"] = get(t.Quantile(0.99))
	r.metrics[prefix+".max"] = get(t.Max())
	qs := make([]float64, len(distQuantiles))
	for k, q := range distQuantiles {
		qs[k] = get(t.Quantile(q))
	}
	r.dists[prefix] = qs
}

func safeDiv(a, b float64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return a / b
}

// warnNoCapacity warns when a station's schedule gave no servers in an
// interval while work waited there: that work waits for the next day's
// schedule, and no utilization figure can show it.
func (m *model) warnNoCapacity(name, servers, waiters string, s *sim.Station) {
	capa := s.CapacityLevel().IntervalMeans()
	queued := s.QueueLevel().IntervalMeans()
	first, n := -1, 0
	for i := range capa {
		if capa[i] == 0 && queued[i] > 0 {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if first < 0 {
		return
	}
	from, _ := m.w.IntervalBounds(first)
	m.warnings = append(m.warnings, fmt.Sprintf(
		"%s: the schedule gives no %s from %s (%d interval(s) in all) while %s wait; they wait for the next %s the schedule brings",
		name, servers, clockLabel(from.Seconds()), n, waiters, strings.TrimSuffix(servers, "s")))
}
