package models

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseYAML is a small valid scenario; the tests below change one line of it
// at a time. Its line numbers matter: the expected messages cite them.
const baseYAML = `horizon: 1h
arrivals: {rate: 1/s}
endpoints:
  crm:
    workers: 4
    latency: {dist: exponential, mean: 200ms}
actions:
  lookup: {endpoint: crm, timeout: 5s}
flows:
  entry: inbound
  inbound:
    steps:
      - action: lookup
      - queue: support
queues:
  support:
    agents: 10
    handle_time: {dist: exponential, mean: 5m}
`

// edit returns baseYAML with old replaced by new, failing the test when
// old is not in it.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(baseYAML, old) {
		t.Fatalf("baseYAML has no %q", old)
	}
	return strings.Replace(baseYAML, old, new, 1)
}

// problems parses src as s.yaml and returns the error lines.
func problems(t *testing.T, src, dir string, sets ...string) []string {
	t.Helper()
	sc, err := Parse("s.yaml", []byte(src), dir, sets)
	if err == nil {
		t.Fatalf("Parse accepted the input: %+v", sc)
	}
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Parse error is %T, want *InputError: %v", err, err)
	}
	return strings.Split(err.Error(), "\n")
}

func mustParse(t *testing.T, src string, sets ...string) *Scenario {
	t.Helper()
	sc, err := Parse("s.yaml", []byte(src), t.TempDir(), sets)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return sc
}

func TestBaseScenarioLoads(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, baseYAML)
	if len(sc.Warnings) != 0 {
		t.Errorf("warnings %q, want none", sc.Warnings)
	}
}

// TestBadInputs pins the exact message, position and key path of each kind
// of problem.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{
			name: "missing horizon",
			old:  "horizon: 1h\n", new: "",
			want: []string{"s.yaml:1:1: horizon: required"},
		},
		{
			name: "negative workers",
			old:  "workers: 4", new: "workers: -3",
			want: []string{"s.yaml:5:14: endpoints.crm.workers: must be a positive integer, got -3"},
		},
		{
			name: "unknown distribution",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: exponentail, mean: 200ms}",
			want: []string{`s.yaml:6:21: endpoints.crm.latency.dist: unknown distribution "exponentail"; did you mean "exponential"? (valid: constant, exponential, uniform, normal, lognormal, gamma, weibull, percentiles, empirical, mixture)`},
		},
		{
			name: "wrong unit",
			old:  "mean: 200ms", new: "mean: 5 parsecs",
			want: []string{`s.yaml:6:40: endpoints.crm.latency.mean: must be a duration like 150ms, 30s or 6m, got "5 parsecs"`},
		},
		{
			name: "rate with a wrong unit",
			old:  "{rate: 1/s}", new: "{rate: 1/fortnight}",
			want: []string{`s.yaml:2:18: arrivals.rate: must be a rate like 2.5/s, 300/min or 9000/h, got "1/fortnight"`},
		},
		{
			name: "unknown key with a suggestion",
			old:  "workers: 4", new: "wokers: 4",
			want: []string{`s.yaml:5:5: endpoints.crm: unknown key "wokers"; did you mean "workers"?`},
		},
		{
			name: "unknown top-level key",
			old:  "horizon: 1h\n", new: "horizon: 1h\nhorizn: 2h\n",
			want: []string{`s.yaml:2:1: unknown key "horizn"; did you mean "horizon"?`},
		},
		{
			name: "action to a missing endpoint",
			old:  "{endpoint: crm, timeout: 5s}", new: "{endpoint: crn, timeout: 5s}",
			want: []string{`s.yaml:8:22: actions.lookup.endpoint: no endpoint named "crn"; did you mean "crm"?`},
		},
		{
			name: "timeout above max_timeout",
			old:  "timeout: 5s}", new: "timeout: 90s}",
			want: []string{"s.yaml:8:36: actions.lookup.timeout: must be at most platform.data_actions.max_timeout (60s), got 90s"},
		},
		{
			name: "step timeout above max_timeout",
			old:  "      - action: lookup\n", new: "      - action: lookup\n        timeout: 2m\n",
			want: []string{"s.yaml:14:18: flows.inbound.steps[0].timeout: must be at most platform.data_actions.max_timeout (60s), got 2m"},
		},
		{
			name: "step to a missing queue",
			old:  "- queue: support", new: "- queue: suport",
			want: []string{`s.yaml:14:16: flows.inbound.steps[1].queue: no queue or flow named "suport"; did you mean "support"?`},
		},
		{
			name: "unknown step kind",
			old:  "- action: lookup", new: "- acton: lookup",
			want: []string{`s.yaml:13:9: flows.inbound.steps[0]: unknown step "acton"; did you mean "action"?`},
		},
		{
			name: "trace not supported",
			old:  "{rate: 1/s}", new: "{trace: {csv: a.csv, column: t}}",
			want: []string{"s.yaml:2:19: arrivals.trace: not supported yet; use rate, concurrency or volumes"},
		},
		{
			name: "two arrival kinds",
			old:  "{rate: 1/s}", new: "{rate: 1/s, concurrency: {interactions: 10, handle_time: 5m}}",
			want: []string{"s.yaml:2:23: arrivals: has both rate and concurrency; give exactly one of rate, concurrency, volumes or trace"},
		},
		{
			name: "unknown SLO metric",
			old:  "queues:\n", new: "slo:\n  - {metric: routing.delay.p59, max: 60s}\nqueues:\n",
			want: []string{`s.yaml:16:14: slo[0].metric: unknown metric "routing.delay.p59"; nearest: routing.delay.p50, routing.delay.p99, routing.delay.p90`},
		},
		{
			name: "SLO bound in the wrong unit",
			old:  "queues:\n", new: "slo:\n  - {metric: queues.support.service_level, min: 80 percent}\nqueues:\n",
			want: []string{`s.yaml:16:49: slo[0].min: must be a fraction like 0.5% or 0.005, between 0 and 1, got "80 percent"`},
		},
		{
			name: "queue named like an endpoint",
			old:  "  support:\n", new: "  crm:\n",
			want: []string{
				`s.yaml:14:16: flows.inbound.steps[1].queue: no queue or flow named "support" (defined: crm, inbound)`,
				`s.yaml:16:3: queues: name "crm" is already used by endpoints.crm; endpoints, actions, flows and queues need distinct names`,
			},
		},
		{
			name: "reserved name",
			old:  "  lookup: {endpoint", new: "  entry: {endpoint",
			want: []string{
				`s.yaml:8:3: actions: "entry" is reserved; choose another name`,
				`s.yaml:13:17: flows.inbound.steps[0].action: no action named "lookup" (defined: entry)`,
			},
		},
		{
			name: "warmup not shorter than horizon",
			old:  "horizon: 1h\n", new: "horizon: 1h\nwarmup: 2h\n",
			want: []string{"s.yaml:2:9: warmup: must be shorter than horizon (60m), got 2h"},
		},
		{
			name: "lognormal p95 below p50",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: lognormal, p50: 200ms, p95: 100ms}",
			want: []string{"s.yaml:6:49: endpoints.crm.latency.p95: must be greater than p50, got 100ms"},
		},
		{
			name: "lognormal with mixed forms",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: lognormal, p50: 200ms, cv: 1}",
			want: []string{"s.yaml:6:14: endpoints.crm.latency: lognormal takes mean+cv, p50+p95, p50+p99 or mu+sigma; got cv+p50"},
		},
		{
			name: "missing distribution parameter",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: uniform, min: 1s}",
			want: []string{"s.yaml:6:14: endpoints.crm.latency.max: required"},
		},
		{
			name: "unknown distribution parameter",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: exponential, mean: 200ms, sd: 1s}",
			want: []string{`s.yaml:6:47: endpoints.crm.latency: exponential takes no "sd" (it takes mean)`},
		},
		{
			name: "mixture weights",
			old:  "{dist: exponential, mean: 200ms}", new: "{dist: mixture, of: [{weight: 90%, dist: constant, value: 1s}, {weight: 5%, dist: constant, value: 60s}]}",
			want: []string{"s.yaml:6:34: endpoints.crm.latency.of: the weights sum to 0.95, not 1"},
		},
		{
			name: "transfer loop",
			old:  "    agents: 10\n", new: "    agents: 10\n    transfer: {probability: 100%, to: inbound}\n",
			want: []string{"s.yaml:14:9: flows.inbound.steps[1]: an endless loop: inbound always goes on to support, which transfers 100% to inbound; give a transfer a probability below 100% or a way out of a flow"},
		},
		{
			name: "duplicate key",
			old:  "    workers: 4\n", new: "    workers: 4\n    workers: 5\n",
			want: []string{`s.yaml:6:5: endpoints.crm: key "workers" appears twice (first on line 5)`},
		},
		{
			name: "YAML syntax error",
			old:  "arrivals: {rate: 1/s}", new: "arrivals: {rate: 1/s",
			want: []string{"s.yaml:2: did not find expected ',' or '}'"},
		},
		{
			name: "clock time",
			old:  "horizon: 1h\n", new: "horizon: 1h\nstart: \"25:00\"\n",
			want: []string{`s.yaml:2:8: start: must be a clock time like "09:30", got "25:00"`},
		},
		{
			name: "several problems at once, sorted by line",
			old:  baseYAML, new: strings.NewReplacer("horizon: 1h\n", "", "workers: 4", "workers: 0",
				"timeout: 5s", "timeout: 0s", "agents: 10", "agents: ten").Replace(baseYAML),
			want: []string{
				"s.yaml:1:1: horizon: required",
				"s.yaml:4:14: endpoints.crm.workers: must be a positive integer, got 0",
				"s.yaml:7:36: actions.lookup.timeout: must be longer than 0, got 0s",
				`s.yaml:16:13: queues.support.agents: must be a positive integer, got "ten"`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, edit(t, tc.old, tc.new), t.TempDir())
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path, nil)
	want := path + ": cannot read: no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %s", err, want)
	}
}

func TestFieldErrorFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "seed.yaml", Line: 14, Col: 14, Field: "endpoints.crm.workers", Msg: "must be a positive integer, got -3"},
			"seed.yaml:14:14: endpoints.crm.workers: must be a positive integer, got -3"},
		{FieldError{Field: "--set endpoints.crm.workers=-3", Msg: "must be a positive integer"},
			"--set endpoints.crm.workers=-3: must be a positive integer"},
		{FieldError{File: "volumes.csv", Line: 17, Col: 3, Field: "offered", Msg: `not a number: "1,2x"`},
			`volumes.csv:17:3: offered: not a number: "1,2x"`},
		{FieldError{File: "s.yaml", Line: 3, Msg: "syntax"}, "s.yaml:3: syntax"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestFullExample loads SCENARIO.md's complete example and checks the
// resolved values, defaults included.
func TestFullExample(t *testing.T) {
	t.Parallel()
	sc, err := Load("testdata/full.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want float64) {
		t.Helper()
		if !closeTo(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if sc.Name != "800 agents, one Data Action per new interaction" {
		t.Errorf("Name = %q", sc.Name)
	}
	if sc.File != "testdata/full.yaml" || sc.Dir != "testdata" || len(sc.SHA256) != 64 {
		t.Errorf("File, Dir, SHA256 = %q, %q, %q", sc.File, sc.Dir, sc.SHA256)
	}
	if sc.Seed != 1 || sc.Replications != 10 {
		t.Errorf("Seed, Replications = %d, %d", sc.Seed, sc.Replications)
	}
	check("Start", sc.Start, 8*3600)
	check("Horizon", sc.Horizon, 10*3600)
	check("Warmup", sc.Warmup, 30*60)
	check("Interval", sc.Interval, 15*60)

	a := sc.Arrivals
	if a.Kind != "rate" || len(a.Base) != 1 || a.Base[0].From != 0 || a.Base[0].To != math.MaxFloat64 {
		t.Errorf("Arrivals = %+v", a)
	}
	check("rate", a.Base[0].Rate, 2)
	if a.Process != "poisson" || a.Scale != 1 || a.Source != "rate 2.0/s" {
		t.Errorf("Process, Scale, Source = %q, %v, %q", a.Process, a.Scale, a.Source)
	}
	if a.Busyness == nil || a.Busyness.Kind != DistGamma || a.Busyness.MeanParam != 1 || a.Busyness.CV != 0.1 {
		t.Errorf("Busyness = %+v", a.Busyness)
	}
	if len(a.Bursts) != 1 || a.Bursts[0] != (Burst{Start: 36000, Duration: 600, Multiplier: 2}) {
		t.Errorf("Bursts = %+v", a.Bursts)
	}

	if len(sc.Endpoints) != 1 {
		t.Fatalf("Endpoints = %+v", sc.Endpoints)
	}
	e := sc.Endpoints[0]
	if e.Name != "crm" || len(e.Workers) != 1 || e.Workers[0] != (Capacity{0, 16}) || e.QueueLimit != 200 {
		t.Errorf("endpoint = %+v", e)
	}
	// lognormal p50 150ms, p95 900ms: mu = ln 0.15, sigma = ln(6)/z95.
	if e.Latency.Kind != DistLognormal {
		t.Errorf("latency kind %q", e.Latency.Kind)
	}
	check("latency mu", e.Latency.Mu, math.Log(0.15))
	check("latency sigma", e.Latency.Sigma, math.Log(6)/1.6448536269514722)
	check("error_rate", e.ErrorRate, 0.002)
	check("retry_after", e.RetryAfter, 1)
	wantLimits := []RateLimit{
		{Name: "crm_client", Kind: "bucket", Rate: 20, Burst: 200},
		{Name: "crm_minute", Kind: "window", Limit: 1500, Per: 60},
	}
	if len(e.RateLimits) != 2 || e.RateLimits[0] != wantLimits[0] || e.RateLimits[1] != wantLimits[1] {
		t.Errorf("endpoint rate limits = %+v", e.RateLimits)
	}

	p := sc.Platform
	if p.Timeout != 60 || p.MaxTimeout != 60 || p.MaxInFlight != 50 || p.Overhead.Kind != DistConstant || p.Overhead.Value != 0 {
		t.Errorf("platform = %+v", p)
	}
	if len(p.RateLimits) != 1 || p.RateLimits[0] != (RateLimit{Name: "org_volume", Kind: "window", Limit: 2500, Per: 60}) {
		t.Errorf("platform rate limits = %+v", p.RateLimits)
	}

	names := []string{}
	for _, a := range sc.Actions {
		names = append(names, a.Name)
	}
	if strings.Join(names, ",") != "lookup_customer,get_ewt,screen_pop,log_interaction" {
		t.Errorf("actions in order %v", names)
	}
	lc := sc.Actions[0]
	if lc.Endpoint != "crm" || lc.Timeout != 5 {
		t.Errorf("lookup_customer = %+v", lc)
	}
	r := lc.Retry
	if r.MaxRetries != 2 || !closeTo(r.Backoff, 0.2) || r.Multiplier != 2 || !closeTo(r.Jitter, 0.2) ||
		strings.Join(r.On, ",") != "timeout,rejected,error" {
		t.Errorf("retry = %+v", r)
	}
	if lc.Cache == nil || !closeTo(lc.Cache.HitRatio, 0.4) || !closeTo(lc.Cache.Latency.Value, 0.005) {
		t.Errorf("cache = %+v", lc.Cache)
	}
	if sc.Actions[1].Timeout != 3 || sc.Actions[2].Timeout != 60 || sc.Actions[2].Retry.Multiplier != 1 ||
		len(sc.Actions[2].Retry.On) != 3 || sc.Actions[2].Cache != nil {
		t.Errorf("defaults of get_ewt, screen_pop = %+v, %+v", sc.Actions[1], sc.Actions[2])
	}
	req := sc.Actions[3].Request
	if req == nil || req.Method != "POST" || req.Path != "/log" || req.Headers["Content-Type"] != "application/json" || req.Body != `{"id": 1}` {
		t.Errorf("request = %+v", req)
	}

	if sc.Entry != "inbound" || len(sc.Flows) != 1 || len(sc.Flows[0].Steps) != 7 {
		t.Fatalf("flows = %+v", sc.Flows)
	}
	st := sc.Flows[0].Steps
	kinds := []string{}
	for _, s := range st {
		kinds = append(kinds, string(s.Kind))
	}
	if strings.Join(kinds, ",") != "wait,action,parallel,async,branch,repeat,queue" {
		t.Errorf("step kinds %v", kinds)
	}
	if st[0].Wait == nil || st[0].Wait.Value != 6 || st[0].Line != 61 {
		t.Errorf("wait step = %+v (line %d)", st[0], st[0].Line)
	}
	if st[1].Action != "lookup_customer" || st[1].Timeout != 4 || len(st[1].OnFailure) != 1 ||
		st[1].OnFailure[0].Target != "general" || len(st[1].OnTimeout) != 1 || st[1].Line != 62 {
		t.Errorf("action step = %+v", st[1])
	}
	if strings.Join(st[2].Parallel, ",") != "get_ewt,screen_pop" || st[3].Action != "log_interaction" {
		t.Errorf("parallel, async = %+v, %+v", st[2], st[3])
	}
	if !closeTo(st[4].Probability, 0.1) || len(st[4].Steps) != 1 || st[4].Steps[0].Wait.Value != 20 {
		t.Errorf("branch = %+v", st[4])
	}
	if st[5].Times != 2 || st[5].Every == nil || st[5].Every.Value != 5 || st[5].Steps[0].Action != "get_ewt" {
		t.Errorf("repeat = %+v", st[5])
	}
	if st[6].Target != "support" {
		t.Errorf("queue step = %+v", st[6])
	}

	if len(sc.Queues) != 2 {
		t.Fatalf("queues = %+v", sc.Queues)
	}
	q := sc.Queues[0]
	if q.Name != "support" || q.Agents[0] != (Capacity{0, 800}) || q.ServiceLevel != 20 || q.AgentWaits {
		t.Errorf("support = %+v", q)
	}
	// lognormal mean 6m, cv 1: sigma² = ln 2, mu = ln 360 − ln(2)/2.
	check("handle mu", q.HandleTime.Mu, math.Log(360)-math.Log(2)/2)
	check("handle sigma", q.HandleTime.Sigma, math.Sqrt(math.Log(2)))
	check("handle Mean()", q.HandleTime.Mean(), 360)
	if q.Patience == nil || q.Patience.Kind != DistExponential || q.Patience.MeanParam != 180 {
		t.Errorf("patience = %+v", q.Patience)
	}
	if q.InQueue == nil || q.InQueue.Every.Value != 30 || q.InQueue.Steps[0].Action != "get_ewt" {
		t.Errorf("in_queue = %+v", q.InQueue)
	}
	if strings.Join(q.OnAnswer, ",") != "screen_pop" || q.Transfer == nil || !closeTo(q.Transfer.Probability, 0.05) || q.Transfer.To != "general" {
		t.Errorf("on_answer, transfer = %v, %+v", q.OnAnswer, q.Transfer)
	}
	g := sc.Queues[1]
	if g.Agents[0].N != 60 || g.ServiceLevel != 20 || g.InQueue != nil || g.Transfer != nil || g.OnAnswer != nil {
		t.Errorf("general = %+v", g)
	}

	if len(sc.SLO) != 4 {
		t.Fatalf("slo = %+v", sc.SLO)
	}
	wantSLO := []struct {
		metric   string
		min, max float64 // NaN: unset
		line     int
	}{
		{"actions.lookup_customer.latency.p95", math.NaN(), 1, 89},
		{"routing.delay.p90", math.NaN(), 60, 90},
		{"queues.support.service_level", 0.8, math.NaN(), 91},
		{"limits.max_in_flight.rejected", math.NaN(), 0.001, 92},
	}
	for i, w := range wantSLO {
		s := sc.SLO[i]
		same := func(p *float64, v float64) bool { return (p == nil) == math.IsNaN(v) && (p == nil || closeTo(*p, v)) }
		if s.Metric != w.metric || !same(s.Min, w.min) || !same(s.Max, w.max) || s.Line != w.line {
			t.Errorf("slo[%d] = %+v, want %+v", i, s, w)
		}
	}
	if len(sc.Warnings) != 0 {
		t.Errorf("warnings %q", sc.Warnings)
	}
}

// TestDefaults checks what a minimal file leaves to defaults.
func TestDefaults(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, baseYAML)
	if sc.Name != "s" || sc.Seed != 1 || sc.Start != 0 || sc.Warmup != 0 || sc.Replications != 10 || sc.Interval != 900 {
		t.Errorf("top level = %+v", sc)
	}
	e := sc.Endpoints[0]
	if e.QueueLimit != -1 || e.ErrorRate != 0 || e.RetryAfter != 0 || len(e.RateLimits) != 0 {
		t.Errorf("endpoint = %+v", e)
	}
	if sc.Actions[0].Retry.MaxRetries != 0 || sc.Actions[0].Retry.Multiplier != 1 {
		t.Errorf("retry = %+v", sc.Actions[0].Retry)
	}
	if sc.Queues[0].Patience != nil || sc.Queues[0].ServiceLevel != 20 {
		t.Errorf("queue = %+v", sc.Queues[0])
	}
	if sc.Platform.MaxInFlight != 50 || len(sc.Platform.RateLimits) != 1 {
		t.Errorf("platform = %+v", sc.Platform)
	}
	if sc.SLO == nil || len(sc.SLO) != 0 {
		t.Errorf("SLO = %#v, want empty", sc.SLO)
	}

	// Unlimited workers, no platform limits, an explicit empty list.
	src := edit(t, "    workers: 4\n", "") + "platform:\n  data_actions: {rate_limits: [], max_in_flight: 0, timeout: 10s}\n"
	sc = mustParse(t, src)
	if sc.Endpoints[0].Workers != nil || len(sc.Platform.RateLimits) != 0 || sc.Platform.MaxInFlight != 0 {
		t.Errorf("unlimited = %+v, %+v", sc.Endpoints[0], sc.Platform)
	}
	// The action sets its own timeout; one without takes the platform's.
	sc = mustParse(t, strings.Replace(src, "lookup: {endpoint: crm, timeout: 5s}", "lookup: {endpoint: crm}", 1))
	if sc.Actions[0].Timeout != 10 {
		t.Errorf("action timeout = %v, want the platform's 10", sc.Actions[0].Timeout)
	}
}

func TestConcurrencyAndSchedules(t *testing.T) {
	t.Parallel()
	src := edit(t, "arrivals: {rate: 1/s}", "arrivals: {concurrency: {interactions: 720, handle_time: 6m}, process: deterministic, scale: 1.5}")
	src = strings.Replace(src, "    agents: 10\n", "    agents: [{start: \"10:00\", agents: 800}, {start: \"08:00\", agents: 600}, {start: \"22:00\", agents: 0}]\n", 1)
	src = strings.Replace(src, "    workers: 4\n", "    workers: [{start: \"00:00\", workers: 8}]\n", 1)
	sc := mustParse(t, src)
	a := sc.Arrivals
	if a.Kind != "concurrency" || !closeTo(a.Base[0].Rate, 2) || a.Process != "deterministic" || a.Scale != 1.5 || a.Source != "concurrency 720 / 6m" {
		t.Errorf("arrivals = %+v", a)
	}
	want := []Capacity{{8 * 3600, 600}, {10 * 3600, 800}, {22 * 3600, 0}}
	got := sc.Queues[0].Agents
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("agents = %+v, want %+v", got, want)
	}
	if w := sc.Endpoints[0].Workers; len(w) != 1 || w[0] != (Capacity{0, 8}) {
		t.Errorf("workers = %+v", w)
	}
}

func TestStepForms(t *testing.T) {
	t.Parallel()
	src := edit(t, "      - action: lookup\n      - queue: support\n", `      - wait: 2s
      - action: lookup
        on_failure: [disconnect]
        on_timeout: []
      - parallel: [lookup, lookup]
        timeout: 3s
      - repeat: {times: 3, steps: [{wait: {dist: uniform, min: 1s, max: 2s}}]}
      - branch: {probability: 50%, steps: [{queue: other}]}
      - queue: support
  other:
    steps: [{async: lookup}, disconnect]
`)
	sc := mustParse(t, src)
	st := sc.Flows[0].Steps
	if st[0].Kind != StepWait || st[0].Wait.Kind != DistConstant || st[0].Wait.Value != 2 {
		t.Errorf("wait = %+v", st[0])
	}
	if len(st[1].OnFailure) != 1 || st[1].OnFailure[0].Kind != StepDisconnect || st[1].OnTimeout == nil || len(st[1].OnTimeout) != 0 {
		t.Errorf("paths = %+v", st[1])
	}
	if st[2].Timeout != 3 || len(st[2].Parallel) != 2 {
		t.Errorf("parallel = %+v", st[2])
	}
	if st[3].Every == nil || st[3].Every.Kind != DistConstant || st[3].Every.Value != 0 || st[3].Steps[0].Wait.Kind != DistUniform {
		t.Errorf("repeat = %+v", st[3])
	}
	if st[4].Steps[0].Target != "other" || sc.Flows[1].Steps[1].Kind != StepDisconnect {
		t.Errorf("branch, other = %+v, %+v", st[4], sc.Flows[1])
	}
	if st[1].OnTimeout == nil {
		t.Error("an explicit empty on_timeout must stay non-nil")
	}
	if st[0].OnTimeout != nil {
		t.Error("an unset on_timeout must be nil")
	}
}

// TestLoopsThatCanEnd accepts cycles that an interaction can leave.
func TestLoopsThatCanEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, old, new string }{
		{"probability below 1", "    agents: 10\n", "    agents: 10\n    transfer: {probability: 99%, to: inbound}\n"},
		{"a failure path that leaves", "      - action: lookup\n",
			"      - action: lookup\n        on_failure: [disconnect]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, tc.old, tc.new)
			if !strings.Contains(src, "transfer") {
				src = strings.Replace(src, "    agents: 10\n", "    agents: 10\n    transfer: {probability: 1, to: inbound}\n", 1)
			}
			mustParse(t, src)
		})
	}
	// A queue that transfers to itself for sure is a loop.
	got := problems(t, edit(t, "    agents: 10\n", "    agents: 10\n    transfer: {probability: 1, to: support}\n"), "")
	want := "s.yaml:18:15: queues.support.transfer: an endless loop: support transfers 100% to support; give a transfer a probability below 100% or a way out of a flow"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want %q", got, want)
	}
}

// TestLoopsThroughCertainBranches finds loops whose queue step sits in a
// branch of probability 100% (or a repeat, which runs at least once): a
// certain branch's steps are on every path, so such a loop takes no time
// and would never end.
func TestLoopsThroughCertainBranches(t *testing.T) {
	t.Parallel()
	const hint = "; give a transfer a probability below 100% or a way out of a flow"
	for _, tc := range []struct {
		name, steps, extra, want string
	}{
		{
			name:  "a flow that queues to itself",
			steps: "      - branch: {probability: 100%, steps: [{queue: inbound}]}\n",
			want:  "s.yaml:13:45: flows.inbound.steps[0].branch.steps[0]: an endless loop: inbound always goes on to inbound" + hint,
		},
		{
			name:  "through another flow",
			steps: "      - action: lookup\n      - branch: {probability: 1, steps: [{wait: 1s}, {queue: other}]}\n",
			extra: "  other:\n    steps: [{queue: inbound}]\n",
			want:  "s.yaml:14:54: flows.inbound.steps[1].branch.steps[1]: an endless loop: inbound always goes on to other, which always goes on to inbound" + hint,
		},
		{
			name:  "nested certain branches",
			steps: "      - branch:\n          probability: 100%\n          steps:\n            - branch: {probability: 100%, steps: [{queue: inbound}]}\n",
			want:  "s.yaml:16:51: flows.inbound.steps[0].branch.steps[0].branch.steps[0]: an endless loop: inbound always goes on to inbound" + hint,
		},
		{
			name:  "a repeat",
			steps: "      - repeat: {times: 2, steps: [{queue: inbound}]}\n",
			want:  "s.yaml:13:36: flows.inbound.steps[0].repeat.steps[0]: an endless loop: inbound always goes on to inbound" + hint,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := edit(t, "      - action: lookup\n      - queue: support\n", tc.steps+tc.extra)
			got := problems(t, src, "")
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems %q\nwant %q", got, tc.want)
			}
		})
	}

	// Branches that may not run, and ways out before the queue step, are
	// not loops.
	for _, steps := range []string{
		"      - branch: {probability: 99%, steps: [{queue: inbound}]}\n      - queue: support\n",
		"      - branch: {probability: 100%, steps: [{action: lookup, on_failure: [disconnect]}, {queue: inbound}]}\n",
		"      - branch: {probability: 100%, steps: [disconnect]}\n      - queue: inbound\n",
		"      - branch: {probability: 100%, steps: [{wait: 1s}]}\n      - queue: support\n",
	} {
		mustParse(t, edit(t, "      - action: lookup\n      - queue: support\n", steps))
	}
}

// TestQueueLimitWithoutWorkers warns that a queue limit on an endpoint
// with unlimited workers does nothing.
func TestQueueLimitWithoutWorkers(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, edit(t, "    workers: 4\n", "    queue_limit: 200\n"))
	want := "endpoints.crm.queue_limit has no effect: the endpoint has unlimited workers, so requests never wait"
	if len(sc.Warnings) != 1 || sc.Warnings[0] != want {
		t.Errorf("Warnings = %q, want %q", sc.Warnings, want)
	}
	sc = mustParse(t, edit(t, "    workers: 4\n", "    workers: 4\n    queue_limit: 200\n"))
	if len(sc.Warnings) != 0 {
		t.Errorf("Warnings = %q, want none with workers", sc.Warnings)
	}
}

func TestInQueueRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"every required", "{steps: [{action: lookup}]}", "s.yaml:18:15: queues.support.in_queue.every: required"},
		{"every must not be 0", "{every: 0s, steps: [{action: lookup}]}", "s.yaml:18:23: queues.support.in_queue.every: must have a mean above 0"},
		{"no queue step", "{every: 30s, steps: [{queue: support}]}", "s.yaml:18:37: queues.support.in_queue.steps[0]: queue is not supported yet in in_queue steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, edit(t, "    agents: 10\n", "    agents: 10\n    in_queue: "+tc.in+"\n"), "")
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCSVVolumes reads volumes from a CSV file: the busiest day by
// default, a given day, and the warning when the run is not covered.
func TestCSVVolumes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	csvText := "date,start,offered\n" +
		"2024-03-04,07:00,100\n" +
		"2024-03-04,07:30,200\n" +
		"2024-03-05,07:00,300\n" +
		"2024-03-05,07:30,600\n" +
		"2024-03-05,08:00,30\n" +
		"2024-03-06,07:00,930\n"
	if err := os.WriteFile(filepath.Join(dir, "volumes.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	arr := "arrivals: {volumes: {csv: volumes.csv, date_column: date, time_column: start, count_column: offered, interval: 30m%s}}"
	src := strings.Replace(edit(t, "arrivals: {rate: 1/s}", strings.Replace(arr, "%s", "", 1)), "horizon: 1h\n", "horizon: 2h\nstart: \"06:30\"\n", 1)
	sc, err := Parse("s.yaml", []byte(src), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 2024-03-05 and 2024-03-06 both total 930: the tie goes to the earlier.
	a := sc.Arrivals
	want := []RateSegment{{25200, 27000, 300.0 / 1800}, {27000, 28800, 600.0 / 1800}, {28800, 30600, 30.0 / 1800}}
	if a.Kind != "volumes" || len(a.Base) != 3 {
		t.Fatalf("arrivals = %+v", a)
	}
	for i, w := range want {
		if a.Base[i].From != w.From || a.Base[i].To != w.To || !closeTo(a.Base[i].Rate, w.Rate) {
			t.Errorf("Base[%d] = %+v, want %+v", i, a.Base[i], w)
		}
	}
	if a.Source != "volumes.csv, 2024-03-05 (busiest)" {
		t.Errorf("Source = %q", a.Source)
	}
	wantWarn := "arrivals: volumes cover 07:00–08:30; the run's 06:30–07:00 has no arrivals"
	if len(sc.Warnings) != 1 || sc.Warnings[0] != wantWarn {
		t.Errorf("Warnings = %q, want %q", sc.Warnings, wantWarn)
	}

	// A given day, with a gap at both ends of the run.
	src2 := strings.Replace(edit(t, "arrivals: {rate: 1/s}", strings.Replace(arr, "%s", ", day: 2024-03-04", 1)), "horizon: 1h\n", "horizon: 3h\nstart: \"06:00\"\n", 1)
	sc, err = Parse("s.yaml", []byte(src2), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Arrivals.Base) != 2 || !closeTo(sc.Arrivals.Base[1].Rate, 200.0/1800) || sc.Arrivals.Source != "volumes.csv, 2024-03-04" {
		t.Errorf("arrivals = %+v", sc.Arrivals)
	}
	wantWarn = "arrivals: volumes cover 07:00–08:00; the run's 06:00–07:00 and 08:00–09:00 have no arrivals"
	if len(sc.Warnings) != 1 || sc.Warnings[0] != wantWarn {
		t.Errorf("Warnings = %q, want %q", sc.Warnings, wantWarn)
	}

	// A day that is not in the file.
	src3 := edit(t, "arrivals: {rate: 1/s}", strings.Replace(arr, "%s", ", day: 2024-04-01", 1))
	got := problems(t, src3, dir)
	wantErr := "s.yaml:2:122: arrivals.volumes.day: " + filepath.Join(dir, "volumes.csv") + " has no rows for 2024-04-01 (it has 2024-03-04 to 2024-03-06)"
	if len(got) != 1 || got[0] != wantErr {
		t.Errorf("problems %q, want %q", got, wantErr)
	}
}

func TestCSVVolumesBadRows(t *testing.T) {
	t.Parallel()
	arr := "arrivals: {volumes: {csv: v.csv, date_column: date, time_column: start, count_column: offered, interval: 30m}}"
	for _, tc := range []struct {
		name, csv string
		day       string   // the day key, if any
		want      []string // %s is the CSV path
	}{
		{
			name: "bad count, time and date",
			csv:  "date,start,offered\n2024-03-04,07:00,100\n2024-03-04,07:30,\"1,2x\"\n2024-03-04,7h,5\nyesterday,08:30,-4\n",
			want: []string{
				`%s:3:3: offered: not a number: "1,2x"`,
				`%s:4:2: start: not a time like 08:30: "7h"`,
				`%s:5:1: date: not a date like 2024-03-05: "yesterday"`,
				`%s:5:3: offered: must not be negative, got -4`,
			},
		},
		{
			name: "missing column",
			csv:  "date,begin,offered\n2024-03-04,07:00,100\n",
			want: []string{`%s:1: start: no such column in the header (it has date, begin, offered)`},
		},
		{
			name: "short row",
			csv:  "date,start,offered\n2024-03-04,07:00\n",
			want: []string{`%s:2:3: offered: missing: the row has only 2 fields`},
		},
		{
			name: "overlapping rows",
			csv:  "date,start,offered\n2024-03-04,07:00,1\n2024-03-04,07:15,1\n",
			want: []string{`%s:3:2: start: 07:15 overlaps the 30m interval that starts at 07:00 on line 2`},
		},
		{
			// Every day is checked, not only the one the run uses.
			name: "duplicate rows on a day not chosen",
			csv:  "date,start,offered\n2024-03-04,07:00,1\n2024-03-04,07:00,1\n2024-03-05,07:00,100\n",
			want: []string{`%s:3:2: start: 07:00 overlaps the 30m interval that starts at 07:00 on line 2`},
		},
		{
			name: "overlapping rows of a day not in file order",
			csv:  "date,start,offered\n2024-03-05,07:00,100\n2024-03-04,07:15,1\n2024-03-04,07:00,1\n",
			day:  "2024-03-05",
			want: []string{`%s:3:2: start: 07:15 overlaps the 30m interval that starts at 07:00 on line 4`},
		},
		{
			name: "row problems and a missing day, all at once",
			csv:  "date,start,offered\n2024-03-04,07:00,1\n2024-03-05,07:00,x\n2024-03-05,07:10,1\n",
			day:  "2024-04-01",
			want: []string{
				`%s:3:3: offered: not a number: "x"`,
				`%s:4:2: start: 07:10 overlaps the 30m interval that starts at 07:00 on line 3`,
				`s.yaml:2:116: arrivals.volumes.day: %s has no rows for 2024-04-01 (it has 2024-03-04 to 2024-03-05)`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "v.csv")
			if err := os.WriteFile(path, []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			a := arr
			if tc.day != "" {
				a = strings.Replace(arr, "}}", ", day: "+tc.day+"}}", 1)
			}
			got := problems(t, edit(t, "arrivals: {rate: 1/s}", a), dir)
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = strings.Replace(w, "%s", path, 1)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestInlineVolumes(t *testing.T) {
	t.Parallel()
	src := edit(t, "arrivals: {rate: 1/s}", "arrivals: {volumes: {counts: [120, 180, 0], interval: 30m, from: \"08:00\"}}")
	src = strings.Replace(src, "horizon: 1h\n", "horizon: 1h30m\nstart: \"08:00\"\n", 1)
	sc := mustParse(t, src)
	b := sc.Arrivals.Base
	if len(b) != 3 || b[0].From != 28800 || b[2].To != 28800+5400 || !closeTo(b[1].Rate, 0.1) || b[2].Rate != 0 {
		t.Errorf("Base = %+v", b)
	}
	if len(sc.Warnings) != 0 {
		t.Errorf("Warnings = %q", sc.Warnings)
	}
	if sc.Arrivals.Source != "volumes: 3 counts of 30m from 08:00" {
		t.Errorf("Source = %q", sc.Arrivals.Source)
	}
	// from defaults to start; a run longer than the data is warned about.
	src = strings.Replace(src, `, from: "08:00"`, "", 1)
	src = strings.Replace(src, "horizon: 1h30m", "horizon: 2h", 1)
	sc = mustParse(t, src)
	if sc.Arrivals.Base[0].From != 28800 || len(sc.Warnings) != 1 ||
		sc.Warnings[0] != "arrivals: volumes cover 08:00–09:30; the run's 09:30–10:00 has no arrivals" {
		t.Errorf("Base, Warnings = %+v, %q", sc.Arrivals.Base, sc.Warnings)
	}

	// Times past midnight carry the day, as the report's clock labels do.
	src = edit(t, "arrivals: {rate: 1/s}", "arrivals: {volumes: {counts: [10, 20, 30], interval: 5m}}")
	src = strings.Replace(src, "horizon: 1h\n", "horizon: 10h\nstart: \"20:50\"\n", 1)
	sc = mustParse(t, src)
	want := "arrivals: volumes cover 20:50–21:05; the run's 21:05–+1d 06:50 has no arrivals"
	if len(sc.Warnings) != 1 || sc.Warnings[0] != want {
		t.Errorf("Warnings = %q, want %q", sc.Warnings, want)
	}
}

// TestEmpiricalCSV reads samples from a CSV column with a unit.
func TestEmpiricalCSV(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lat.csv"), []byte("id,ms\n1,300\n2,100\n3,200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := edit(t, "{dist: exponential, mean: 200ms}", "{dist: empirical, csv: lat.csv, column: ms, unit: ms}")
	sc, err := Parse("s.yaml", []byte(src), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := sc.Endpoints[0].Latency.Samples
	if len(s) != 3 || !closeTo(s[0], 0.1) || !closeTo(s[2], 0.3) {
		t.Errorf("Samples = %v, want [0.1 0.2 0.3]", s)
	}
}
