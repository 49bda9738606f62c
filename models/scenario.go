package models

// The types in this file are the resolved scenario: what the loader produces
// after parsing, unit conversion, defaulting and validation, and what the
// builder turns into a simulation. Every time is in seconds (float64), every
// rate per second, every fraction in 0..1. Clock times are seconds after
// 00:00 of day 0. Slices keep the order of the file, so that everything
// derived from them is deterministic.

// Scenario is one validated scenario file with every default filled in.
type Scenario struct {
	File   string `json:"-"` // path as given by the user, for messages
	Dir    string `json:"-"` // directory that relative CSV paths resolve against
	SHA256 string `json:"-"` // hex digest of the file's bytes
	// Warnings are problems that do not stop a run, in sentences (e.g. the
	// volumes do not cover the whole run).
	Warnings []string `json:"-"`

	Name         string  `json:"name"`
	Seed         uint64  `json:"seed"`
	Start        float64 `json:"start"`   // clock time, s after 00:00 of day 0
	Horizon      float64 `json:"horizon"` // s, counts from Start, includes Warmup
	Warmup       float64 `json:"warmup"`
	Replications int     `json:"replications"`
	Interval     float64 `json:"interval"`

	Arrivals  Arrivals   `json:"arrivals"`
	Endpoints []Endpoint `json:"endpoints"`
	Platform  Platform   `json:"platform"`
	Actions   []Action   `json:"actions"`
	Entry     string     `json:"entry"` // flows.entry
	Flows     []Flow     `json:"flows"`
	Queues    []Queue    `json:"queues"`
	SLO       []SLO      `json:"slo"`
}

// Arrivals describes how interactions enter the entry flow.
type Arrivals struct {
	// Kind is "rate", "concurrency" or "volumes" ("trace" is rejected as not
	// supported yet).
	Kind string `json:"kind"`
	// Base is the piecewise-constant base rate before scale, busyness and
	// bursts. For rate and concurrency it is one segment covering all time;
	// for volumes one segment per data interval (rate = count / interval),
	// and the rate is zero outside the segments.
	Base []RateSegment `json:"base"`
	// Source keeps what the user wrote, for the report: e.g.
	// "rate 2/s", "concurrency 720 / 6m", "volumes.csv, 2003-03-05 (busiest)".
	Source string `json:"source"`

	Process  string  `json:"process"` // "poisson" or "deterministic"
	Scale    float64 `json:"scale"`
	Busyness *Dist   `json:"busyness,omitempty"` // unitless multiplier per replication
	Bursts   []Burst `json:"bursts,omitempty"`
}

// RateSegment is a constant base arrival rate over [From, To) in seconds
// on the simulation timeline. A rate or concurrency arrival has one segment
// with From = 0 and To = math.MaxFloat64, which stands for +Inf because
// encoding/json cannot write an infinity. Segments are sorted by From and
// do not overlap.
type RateSegment struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	Rate float64 `json:"rate"` // per second
}

// Burst multiplies the arrival rate during [Start, Start+Duration) every day.
type Burst struct {
	Start      float64 `json:"start"` // clock time of day, s in [0, 86400)
	Duration   float64 `json:"duration"`
	Multiplier float64 `json:"multiplier"`
}

// Capacity is one entry of a daily schedule of servers (agents or workers):
// from clock time Start (s in [0, 86400)) on, N servers. A constant capacity
// is one entry with Start 0. Entries are sorted by Start.
type Capacity struct {
	Start float64 `json:"start"`
	N     int     `json:"n"`
}

// Endpoint is the customer's (or the platform's) HTTP service.
type Endpoint struct {
	Name string `json:"name"`
	// Workers is nil when the endpoint has unlimited workers.
	Workers []Capacity `json:"workers,omitempty"`
	// QueueLimit is the number of requests allowed to wait; -1 = unlimited.
	QueueLimit int         `json:"queue_limit"`
	Latency    Dist        `json:"latency"`
	ErrorRate  float64     `json:"error_rate"`
	RateLimits []RateLimit `json:"rate_limits"`
	RetryAfter float64     `json:"retry_after"`
}

// RateLimit is a token bucket (Rate > 0) or a clock-aligned fixed window
// (Limit > 0).
type RateLimit struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // "bucket" or "window"
	// Bucket: refill per second and capacity (starts full).
	Rate  float64 `json:"rate,omitempty"`
	Burst float64 `json:"burst,omitempty"`
	// Window: at most Limit admissions per clock-aligned window of Per seconds.
	Limit int     `json:"limit,omitempty"`
	Per   float64 `json:"per,omitempty"`
}

// Platform holds the org-wide Data Action limits.
type Platform struct {
	Timeout     float64     `json:"timeout"`
	MaxTimeout  float64     `json:"max_timeout"`
	Overhead    Dist        `json:"overhead"`
	MaxInFlight int         `json:"max_in_flight"` // 0 = no limit
	RateLimits  []RateLimit `json:"rate_limits"`
}

// Action is a Data Action definition.
type Action struct {
	Name     string   `json:"name"`
	Endpoint string   `json:"endpoint"`
	Timeout  float64  `json:"timeout"` // per attempt, s
	Retry    Retry    `json:"retry"`
	Cache    *Cache   `json:"cache,omitempty"`
	Request  *Request `json:"request,omitempty"`
}

// Retry is an action's own retry policy (author-built in the flow).
type Retry struct {
	MaxRetries int      `json:"max_retries"`
	Backoff    float64  `json:"backoff"`
	Multiplier float64  `json:"multiplier"`
	Jitter     float64  `json:"jitter"` // fraction
	On         []string `json:"on"`     // subset of timeout, rejected, error
}

// Cache answers a fraction of calls without an execution.
type Cache struct {
	HitRatio float64 `json:"hit_ratio"`
	Latency  Dist    `json:"latency"`
}

// Request is the real HTTP call, kept for a future load-test command; the
// simulation does not use it.
type Request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
}

// Flow is an Architect-style flow: a list of steps run in order.
type Flow struct {
	Name  string `json:"name"`
	Steps []Step `json:"steps"`
}

// StepKind names what a flow step does.
type StepKind string

// The step kinds.
const (
	StepWait       StepKind = "wait"
	StepAction     StepKind = "action"
	StepParallel   StepKind = "parallel"
	StepAsync      StepKind = "async"
	StepBranch     StepKind = "branch"
	StepRepeat     StepKind = "repeat"
	StepQueue      StepKind = "queue"
	StepDisconnect StepKind = "disconnect"
)

// Step is one step of a flow (or of a path, branch, repeat or in-queue list).
type Step struct {
	Kind StepKind `json:"kind"`
	// Wait: the duration to wait.
	Wait *Dist `json:"wait,omitempty"`
	// Action and Async: the action's name. Parallel: the action names.
	Action   string   `json:"action,omitempty"`
	Parallel []string `json:"parallel,omitempty"`
	// Timeout bounds the caller's wait for the whole call (action, parallel);
	// 0 means none.
	Timeout   float64 `json:"timeout,omitempty"`
	OnFailure []Step  `json:"on_failure,omitempty"`
	// OnTimeout is nil when the file sets none: OnFailure applies then.
	OnTimeout []Step `json:"on_timeout,omitempty"`
	// Branch: Probability and Steps. Repeat: Times, Every and Steps.
	Probability float64 `json:"probability,omitempty"`
	Times       int     `json:"times,omitempty"`
	Every       *Dist   `json:"every,omitempty"`
	Steps       []Step  `json:"steps,omitempty"`
	// Queue: the name of a queue or a flow.
	Target string `json:"target,omitempty"`
	Line   int    `json:"-"` // line in the file, for messages
}

// Queue is an ACD queue with its agents.
type Queue struct {
	Name         string     `json:"name"`
	Agents       []Capacity `json:"agents"`
	HandleTime   Dist       `json:"handle_time"`
	Patience     *Dist      `json:"patience,omitempty"` // nil: nobody abandons
	ServiceLevel float64    `json:"service_level"`      // target, s (default 20)
	InQueue      *InQueue   `json:"in_queue,omitempty"`
	OnAnswer     []string   `json:"on_answer,omitempty"`
	AgentWaits   bool       `json:"agent_waits_for_on_answer"`
	Transfer     *Transfer  `json:"transfer,omitempty"`
}

// InQueue is the in-queue flow: Steps run when the interaction must wait,
// then again Every after the previous run ended.
type InQueue struct {
	Every Dist   `json:"every"`
	Steps []Step `json:"steps"`
}

// Transfer sends an answered interaction, when its handle time ends, to a
// flow or queue with the given probability.
type Transfer struct {
	Probability float64 `json:"probability"`
	To          string  `json:"to"`
}

// SLO is one service-level objective on a metric. Min and Max are in the
// metric's unit (s, fraction or count); nil when not set.
type SLO struct {
	Metric string   `json:"metric"`
	Min    *float64 `json:"min,omitempty"`
	Max    *float64 `json:"max,omitempty"`
	Line   int      `json:"-"`
}

// DistKind names a distribution family.
type DistKind string

// The distribution families.
const (
	DistConstant    DistKind = "constant"
	DistExponential DistKind = "exponential"
	DistUniform     DistKind = "uniform"
	DistNormal      DistKind = "normal"
	DistLognormal   DistKind = "lognormal"
	DistGamma       DistKind = "gamma"
	DistWeibull     DistKind = "weibull"
	DistPercentiles DistKind = "percentiles"
	DistEmpirical   DistKind = "empirical"
	DistMixture     DistKind = "mixture"
)

// Dist is a validated distribution in seconds (or unitless for busyness).
// Only the fields of its Kind are set. Lognormal is always resolved to Mu
// and Sigma (of the log of seconds) whatever form the file used; gamma keeps
// Mean and CV; percentiles keep sorted Points (P in 0..1, strictly
// increasing, V non-decreasing, first P = 0 and last P = 1); empirical keeps
// Samples (seconds, read from the inline list or the CSV, sorted
// ascending); mixture keeps Of with weights that sum to 1.
type Dist struct {
	Kind  DistKind `json:"dist"`
	Value float64  `json:"value,omitempty"`
	// MeanParam is the mean parameter of exponential, normal and gamma (for
	// normal, of the normal before truncation at 0). It is not named Mean
	// because the method [Dist.Mean] gives the exact mean of every family.
	MeanParam float64     `json:"mean,omitempty"`
	CV        float64     `json:"cv,omitempty"`
	Min       float64     `json:"min,omitempty"`
	Max       float64     `json:"max,omitempty"`
	SD        float64     `json:"sd,omitempty"`
	Mu        float64     `json:"mu,omitempty"`
	Sigma     float64     `json:"sigma,omitempty"`
	Shape     float64     `json:"shape,omitempty"`
	Scale     float64     `json:"scale,omitempty"`
	Points    []Point     `json:"points,omitempty"`
	Samples   []float64   `json:"-"`
	Of        []Component `json:"of,omitempty"`
}

// Point is one (cumulative probability, value) pair of a percentiles
// distribution.
type Point struct {
	P float64 `json:"p"`
	V float64 `json:"v"`
}

// Component is one weighted part of a mixture.
type Component struct {
	Weight float64 `json:"weight"`
	Dist   Dist    `json:"dist"`
}
