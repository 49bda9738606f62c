package main

import (
	"encoding/json"
	"math"

	"github.com/dasim/dasim/models"
	"github.com/dasim/dasim/reports"
)

// buildSummary turns a run's results into the content of summary.json.
func buildSummary(file string, sc *models.Scenario, res *models.Results, wall float64) (*reports.Summary, error) {
	resolved, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	verdicts, pass, sloWarnings := models.JudgeSLOs(sc, res)
	s := &reports.Summary{
		Version:          version,
		Scenario:         sc.Name,
		ScenarioFile:     file,
		ScenarioSHA256:   sc.SHA256,
		ResolvedScenario: resolved,
		Seed:             sc.Seed,
		Replications:     sc.Replications,
		Metrics:          map[string]reports.Metric{},
		Verdict:          "pass",
		Warnings:         []string{},
		Columns:          res.Columns,
		Distributions:    map[string][]reports.QuantilePoint{},
		Context:          reportContext(sc),
		Engine: reports.Engine{
			Events:      res.Events,
			WallSeconds: wall,
		},
	}
	if wall > 0 {
		s.Engine.EventsPerSecond = float64(res.Events) / wall
	}
	if !pass {
		s.Verdict = "fail"
	}
	s.Warnings = append(s.Warnings, sc.Warnings...)
	s.Warnings = append(s.Warnings, res.Warnings...)
	s.Warnings = append(s.Warnings, sloWarnings...)

	for name, st := range res.Metrics {
		s.Metrics[name] = metric(st)
	}
	for _, v := range verdicts {
		s.SLO = append(s.SLO, reports.SLOResult{
			Metric:    v.Metric,
			Min:       v.Min,
			Max:       v.Max,
			Value:     num(v.Value),
			Pass:      v.Pass,
			Confident: v.Confident,
		})
	}
	if s.SLO == nil {
		s.SLO = []reports.SLOResult{}
	}
	for _, row := range res.Intervals {
		iv := reports.Interval{
			Start:    row.Start,
			Label:    row.Label,
			InWarmup: row.InWarmup,
			Values:   map[string]reports.IntervalValue{},
		}
		for name, st := range row.Values {
			iv.Values[name] = reports.IntervalValue{Value: num(st.Value), Lo: num(st.Lo), Hi: num(st.Hi)}
		}
		s.Intervals = append(s.Intervals, iv)
	}
	for name, pts := range res.Distributions {
		out := make([]reports.QuantilePoint, 0, len(pts))
		for _, p := range pts {
			if !math.IsNaN(p.V) {
				out = append(out, reports.QuantilePoint{Q: p.Q, V: p.V})
			}
		}
		s.Distributions[name] = out
	}
	return s, nil
}

// metric converts a models.Stat, with NaN as null.
func metric(st models.Stat) reports.Metric {
	m := reports.Metric{Value: num(st.Value), N: st.N, Unit: st.Unit}
	if st.HasCI() && !math.IsNaN(st.Lo) && !math.IsNaN(st.Hi) {
		m.CI95 = &[2]float64{st.Lo, st.Hi}
	}
	return m
}

// num is v, or nil when it is NaN or infinite.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// reportContext collects what the report draws against.
func reportContext(sc *models.Scenario) reports.Context {
	c := reports.Context{
		Start:       sc.Start,
		Horizon:     sc.Horizon,
		Warmup:      sc.Warmup,
		Interval:    sc.Interval,
		MaxInFlight: sc.Platform.MaxInFlight,
		Windows:     []reports.WindowLimit{},
		Arrivals:    sc.Arrivals.Source,
	}
	limit := func(scope string, l models.RateLimit) reports.LimitInfo {
		return reports.LimitInfo{Name: l.Name, Scope: scope, Kind: l.Kind,
			Rate: l.Rate, Burst: l.Burst, Limit: float64(l.Limit), Per: l.Per}
	}
	for _, l := range sc.Platform.RateLimits {
		c.Limits = append(c.Limits, limit("platform", l))
	}
	for _, e := range sc.Endpoints {
		for _, l := range e.RateLimits {
			c.Limits = append(c.Limits, limit(e.Name, l))
		}
	}
	for _, l := range sc.Platform.RateLimits {
		if l.Kind == "window" {
			c.Windows = append(c.Windows, reports.WindowLimit{Name: l.Name, Limit: float64(l.Limit), Per: l.Per})
		}
	}
	c.ActionEndpoints = map[string]string{}
	for _, a := range sc.Actions {
		c.Actions = append(c.Actions, a.Name)
		c.ActionEndpoints[a.Name] = a.Endpoint
	}
	for _, e := range sc.Endpoints {
		c.Endpoints = append(c.Endpoints, e.Name)
		most := 0
		for _, w := range e.Workers {
			most = max(most, w.N)
		}
		if most > 0 {
			if c.EndpointWorkers == nil {
				c.EndpointWorkers = map[string]int{}
			}
			c.EndpointWorkers[e.Name] = most
		}
	}
	for _, q := range sc.Queues {
		most := 0
		for _, a := range q.Agents {
			most = max(most, a.N)
		}
		c.Queues = append(c.Queues, reports.QueueInfo{Name: q.Name, ServiceLevel: q.ServiceLevel, Agents: most})
	}
	return c
}
