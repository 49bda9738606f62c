package reports

import "encoding/json"

// Summary is the content of summary.json: everything a report needs, so
// that a report can be rendered again without simulating.
type Summary struct {
	Version          string          `json:"version"`
	Scenario         string          `json:"scenario"`
	ScenarioFile     string          `json:"scenario_file"`
	ScenarioSHA256   string          `json:"scenario_sha256"`
	ResolvedScenario json.RawMessage `json:"resolved_scenario"`
	Seed             uint64          `json:"seed"`
	Replications     int             `json:"replications"`
	// Metrics maps metric names (see the scenario reference) to their
	// replication statistics. encoding/json writes the keys sorted.
	Metrics  map[string]Metric `json:"metrics"`
	SLO      []SLOResult       `json:"slo"`
	Verdict  string            `json:"verdict"` // "pass" or "fail"
	Warnings []string          `json:"warnings"`
	// Columns lists the metric names of the interval table in the order of
	// intervals.csv.
	Columns   []string   `json:"interval_columns"`
	Intervals []Interval `json:"intervals"`
	// Distributions holds quantile points of every latency and delay
	// metric (the replication means of each quantile), for CDF plots; keyed
	// by the metric name without suffix, e.g. "routing.delay".
	Distributions map[string][]QuantilePoint `json:"distributions"`
	Context       Context                    `json:"context"`
	Engine        Engine                     `json:"engine"`
}

// Metric is one metric over the replications. Value is the mean over the
// replications where the metric is defined (nil when none); CI95 is the
// Student t 95% interval (nil when N < 2).
type Metric struct {
	Value *float64    `json:"value"`
	CI95  *[2]float64 `json:"ci95"`
	N     int         `json:"n"`
	Unit  string      `json:"unit"` // "s", "fraction" or "count"
}

// SLOResult is the verdict on one SLO entry.
type SLOResult struct {
	Metric    string   `json:"metric"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Value     *float64 `json:"value"`
	Pass      bool     `json:"pass"`
	Confident bool     `json:"confident"`
}

// Interval is one clock-aligned row of intervals.csv.
type Interval struct {
	// Start is the interval's start in seconds on the simulation timeline
	// (t = 0 is 00:00 of day 0); Label is the same as clock time, "08:15",
	// with a "+1d " prefix on later days.
	Start    float64 `json:"start"`
	Label    string  `json:"interval_start"`
	InWarmup bool    `json:"in_warmup"`
	// Values holds, per column of Summary.Columns, the replication mean and
	// its 95% interval; a missing key or nil Value means undefined.
	Values map[string]IntervalValue `json:"values"`
}

// IntervalValue is one cell of the interval table with its CI bounds.
type IntervalValue struct {
	Value *float64 `json:"value"`
	Lo    *float64 `json:"lo"`
	Hi    *float64 `json:"hi"`
}

// QuantilePoint is one point of a quantile function.
type QuantilePoint struct {
	Q float64 `json:"q"`
	V float64 `json:"v"`
}

// Context carries the facts of the scenario that plots and tables draw
// against, so that reports need not understand the scenario format.
type Context struct {
	Start    float64 `json:"start"`    // s on the timeline
	Horizon  float64 `json:"horizon"`  // s
	Warmup   float64 `json:"warmup"`   // s
	Interval float64 `json:"interval"` // s
	// MaxInFlight is the platform's concurrent-execution cap (0 = none).
	MaxInFlight int `json:"max_in_flight"`
	// Windows are the platform's fixed-window limits (e.g. 2,500 per 60 s).
	Windows   []WindowLimit `json:"windows"`
	Actions   []string      `json:"actions"`
	Endpoints []string      `json:"endpoints"`
	Queues    []QueueInfo   `json:"queues"`
	// Limits lists every configured rate limit: the platform's and each
	// endpoint's buckets and windows.
	Limits []LimitInfo `json:"limits,omitempty"`
	// EndpointWorkers is the most workers each endpoint's schedule gives;
	// endpoints with unlimited workers are absent.
	EndpointWorkers map[string]int `json:"endpoint_workers,omitempty"`
	// ActionEndpoints maps each action to the endpoint it calls. Without
	// it, a scenario with one endpoint has every action call that one.
	ActionEndpoints map[string]string `json:"action_endpoints,omitempty"`
	Arrivals        string            `json:"arrivals"` // how arrivals were given, in words
}

// WindowLimit is a fixed-window limit: at most Limit per Per seconds.
type WindowLimit struct {
	Name  string  `json:"name"`
	Limit float64 `json:"limit"`
	Per   float64 `json:"per"`
}

// QueueInfo names a queue and its service-level target in seconds.
type QueueInfo struct {
	Name         string  `json:"name"`
	ServiceLevel float64 `json:"service_level"`
	Agents       int     `json:"agents"` // the most agents scheduled
}

// Engine reports the simulation engine's work. WallSeconds and
// EventsPerSecond are the only fields that differ between identical runs.
type Engine struct {
	Events          uint64  `json:"events"`
	WallSeconds     float64 `json:"wall_seconds"`
	EventsPerSecond float64 `json:"events_per_second"`
}

// LimitInfo describes one rate limit. Scope is "platform" or the name of the
// endpoint it guards. A bucket has Rate (per second) and Burst; a window has
// Limit per Per seconds. Its peak is in the metric limits.NAME.offered.max
// (the most attempts that reached it in one of its windows; for a bucket,
// in one clock minute) and its refusals in limits.NAME.rejected.
type LimitInfo struct {
	Name  string  `json:"name"`
	Scope string  `json:"scope"`
	Kind  string  `json:"kind"` // "bucket" or "window"
	Rate  float64 `json:"rate,omitempty"`
	Burst float64 `json:"burst,omitempty"`
	Limit float64 `json:"limit,omitempty"`
	Per   float64 `json:"per,omitempty"`
}
