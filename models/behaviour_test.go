package models

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// These tests pin the semantics of action calls, flows and routing with
// scenarios whose numbers can be worked out by hand: constant times,
// evenly spaced arrivals, certain outcomes. The expected values are exact;
// the tolerance only absorbs the rounding of times to whole nanoseconds.

// exactly checks a metric's replication mean against a value worked out by
// hand.
func exactly(t *testing.T, res *Results, metric string, want float64) {
	t.Helper()
	st, ok := res.Metrics[metric]
	if !ok {
		t.Fatalf("no metric %s", metric)
	}
	if math.Abs(st.Value-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.9g, want %.9g", metric, st.Value, want)
	}
}

// oneAction is a scenario with 3,600 evenly spaced arrivals in the first
// hour of a two-hour run (so that everything they cause starts inside the
// window), one endpoint, the given actions and flow steps, and no platform
// limits unless overridden. Time averages are over the two hours.
func oneAction(endpoint, actions, steps, extra string) string {
	return fmt.Sprintf(`
name: behaviour
horizon: 2h
replications: 2
arrivals: {volumes: {counts: [3600], interval: 1h}, process: deterministic}
platform: {data_actions: {max_in_flight: 0, rate_limits: []}}
endpoints:
  e:
%s
actions:
%s
flows:
  entry: main
  main:
    steps:
%s
%s
`, endpoint, actions, steps, extra)
}

func TestRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	// Every answer is a 5xx; two retries after 200 ms and 400 ms
	// (multiplier 2): 3 x 100 ms of service + 600 ms of backoff.
	res := simulate(t, oneAction(
		`    latency: {dist: constant, value: 100ms}
    error_rate: 100%`,
		`  a: {endpoint: e, retry: {max_retries: 2, backoff: 200ms, multiplier: 2}}`,
		`      - action: a`, ""))
	exactly(t, res, "actions.a.calls", 3600)
	exactly(t, res, "actions.a.executions", 3*3600)
	exactly(t, res, "actions.a.retries", 2*3600)
	exactly(t, res, "actions.a.errors", 1)
	exactly(t, res, "actions.a.failed", 1)
	exactly(t, res, "actions.a.latency.mean", 0.9)
	exactly(t, res, "flows.main.failure_path", 1)
}

func TestActionTimeoutKeepsEndpointBusy(t *testing.T) {
	t.Parallel()
	// The endpoint takes 2 s, the action gives up after 1 s: every call
	// times out at 1 s, but the endpoint still works 2 s per request, so
	// (Little's law) 2 requests are in service on average during the first
	// hour, 1 over the two.
	res := simulate(t, oneAction(
		`    latency: {dist: constant, value: 2s}`,
		`  a: {endpoint: e, timeout: 1s}`,
		`      - action: a`, ""))
	exactly(t, res, "actions.a.timeouts", 1)
	exactly(t, res, "actions.a.latency.max", 1)
	exactly(t, res, "endpoints.e.busy.mean", 1)
	exactly(t, res, "interactions.action_wait.mean", 1)
}

func TestStepTimeoutLeavesSlotHeld(t *testing.T) {
	t.Parallel()
	// The caller waits at most 500 ms; the attempt keeps its platform slot
	// until its own 1.5 s timeout, since the endpoint takes 3 s. With one
	// attempt a second, slots are held 1.5 s each: the most at once is 2.
	res := simulate(t, oneAction(
		`    latency: {dist: constant, value: 3s}`,
		`  a: {endpoint: e, timeout: 1500ms}`,
		`      - action: a
        timeout: 500ms`, ""))
	exactly(t, res, "actions.a.timeouts", 1)
	exactly(t, res, "actions.a.latency.mean", 0.5)
	exactly(t, res, "interactions.action_wait.mean", 0.5)
	exactly(t, res, "platform.in_flight.max", 2)
}

func TestAnswerWinsTieWithTimeout(t *testing.T) {
	t.Parallel()
	// Service and timeout both end at exactly 1 s: the answer wins.
	res := simulate(t, oneAction(
		`    latency: {dist: constant, value: 1s}`,
		`  a: {endpoint: e, timeout: 1s}`,
		`      - action: a`, ""))
	exactly(t, res, "actions.a.success", 1)
}

func TestMaxInFlightRefuses(t *testing.T) {
	t.Parallel()
	// One slot, an arrival every second, each execution holding its slot
	// 1.5 s: every other attempt finds the slot taken.
	text := oneAction(`    latency: {dist: constant, value: 1500ms}`,
		`  a: {endpoint: e}`, `      - action: a`, "")
	text = replaceOnce(text, "max_in_flight: 0", "max_in_flight: 1")
	res := simulate(t, text)
	exactly(t, res, "limits.max_in_flight.rejected", 0.5)
	exactly(t, res, "actions.a.rejected", 0.5)
	exactly(t, res, "platform.in_flight.max", 1)
	// Refused attempts never reach the endpoint.
	exactly(t, res, "endpoints.e.requests", 1800)
}

func TestOverheadTimeoutNeverReachesEndpoint(t *testing.T) {
	t.Parallel()
	text := oneAction(`    latency: {dist: constant, value: 10ms}`,
		`  a: {endpoint: e, timeout: 1s}`, `      - action: a`, "")
	text = replaceOnce(text, "max_in_flight: 0,", "max_in_flight: 0, overhead: {dist: constant, value: 2s},")
	res := simulate(t, text)
	exactly(t, res, "actions.a.timeouts", 1)
	exactly(t, res, "endpoints.e.requests", 0)
}

func TestCacheHitsSkipExecution(t *testing.T) {
	t.Parallel()
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 100ms}`,
		`  a: {endpoint: e, cache: {hit_ratio: 40%, latency: {dist: constant, value: 5ms}}}`,
		`      - action: a`, ""))
	calls := res.Metrics["actions.a.calls"].Value
	hits := res.Metrics["actions.a.cache_hits"].Value
	exactly(t, res, "actions.a.executions", calls-hits)
	// Hits are Bernoulli(0.4) over 3,600 calls a replication: the fraction
	// lies within 4 standard errors of 0.4 (sd of the fraction 0.0082).
	if f := hits / calls; math.Abs(f-0.4) > 4*math.Sqrt(0.4*0.6/3600/2) {
		t.Errorf("cache hit fraction %.4f, want 0.4", f)
	}
	// Latency mixes 5 ms hits and 100 ms executions.
	exactly(t, res, "actions.a.latency.mean", (hits*0.005+(calls-hits)*0.1)/calls)
}

func TestParallelFailureTakesPathOnce(t *testing.T) {
	t.Parallel()
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 1s}`,
		`  ok: {endpoint: e}
  slow: {endpoint: e, timeout: 400ms}`,
		`      - parallel: [ok, slow]
        on_failure: [{wait: {dist: constant, value: 10s}}]
        on_timeout: [{wait: {dist: constant, value: 20s}}]`, ""))
	// Both branches run together; the step ends with the slower (1 s).
	// Only the timed-out branch failed, so the timeout path runs: 20 s.
	exactly(t, res, "flows.main.duration.mean", 21)
	exactly(t, res, "interactions.action_wait.mean", 1)
	exactly(t, res, "flows.main.failure_path", 1)
	exactly(t, res, "actions.slow.timeouts", 1)
	exactly(t, res, "actions.ok.success", 1)
}

func TestAsyncDoesNotHoldTheCaller(t *testing.T) {
	t.Parallel()
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 3s}`,
		`  a: {endpoint: e}`,
		`      - async: a
      - wait: {dist: constant, value: 1s}`, ""))
	exactly(t, res, "flows.main.duration.mean", 1)
	exactly(t, res, "actions.a.latency.mean", 3)
	exactly(t, res, "interactions.action_wait.mean", 0)
	exactly(t, res, "interactions.ended_in_flow", 3600)
}

func TestRepeatAndBranch(t *testing.T) {
	t.Parallel()
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 100ms}`,
		`  a: {endpoint: e}
  b: {endpoint: e}`,
		`      - repeat: {times: 3, every: 5s, steps: [{action: a}]}
      - branch: {probability: 10%, steps: [{action: b}]}`, ""))
	// Three runs of 100 ms with two 5 s pauses between them.
	exactly(t, res, "actions.a.calls", 3*3600)
	st := res.Metrics["actions.b.calls"]
	// Binomial(3600, 0.1) per replication: within 4 standard errors.
	if sd := math.Sqrt(3600 * 0.1 * 0.9 / 2); math.Abs(st.Value-360) > 4*sd {
		t.Errorf("branch calls %.1f, want 360 ± %.1f", st.Value, 4*sd)
	}
	exactly(t, res, "flows.main.duration.mean", 10.3+0.1*st.Value/3600)
}

func TestEndpointRateLimitRetryAfter(t *testing.T) {
	t.Parallel()
	// A window of 30 a minute against 60 a minute: the first 30 of each
	// minute pass. A refused attempt retries after the endpoint's 45 s
	// retry_after (backoff is only 1 s) and lands in the next minute.
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 10ms}
    rate_limits: [{name: w, limit: 30, per: 1m}]
    retry_after: 45s`,
		`  a: {endpoint: e, retry: {max_retries: 1, backoff: 1s, on: [rejected]}}`,
		`      - action: a`, ""))
	st := res.Metrics["actions.a.latency.max"]
	if st.Value < 45 || st.Value > 45.02 {
		t.Errorf("latency.max %.3f, want 45 s of retry_after plus the service", st.Value)
	}
}

func TestInQueueRunsWhileWaiting(t *testing.T) {
	t.Parallel()
	// One agent, busy for a day with the first caller; everyone else waits
	// 100 s and abandons. The in-queue action (10 ms) runs at entry and
	// then 30 s after each run ends: at 0, 30.01, 60.02 and 90.03 s.
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 10ms}`,
		`  ewt: {endpoint: e}`,
		`      - queue: q`, `queues:
  q:
    agents: 1
    handle_time: {dist: constant, value: 24h}
    patience: {dist: constant, value: 100s}
    in_queue: {every: 30s, steps: [{action: ewt}]}`))
	exactly(t, res, "actions.ewt.calls", 4*3599)
	exactly(t, res, "interactions.abandoned", 3599)
	exactly(t, res, "queues.q.abandoned", 3599.0/3600)
}

func TestOnAnswerAgentWaits(t *testing.T) {
	t.Parallel()
	// The agent waits 2 s for the screen pop, then handles 10 s: 12 s busy
	// per call at 1 a second is 12 agents busy on average for an hour.
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 2s}`,
		`  pop: {endpoint: e}`,
		`      - queue: q`, `queues:
  q:
    agents: 50
    handle_time: {dist: constant, value: 10s}
    on_answer: [pop]
    agent_waits_for_on_answer: true`))
	exactly(t, res, "queues.q.on_answer_delay.mean", 2)
	exactly(t, res, "queues.q.busy.mean", 6)
	exactly(t, res, "routing.delay.max", 0)
}

func TestTransferEntersTheOtherQueue(t *testing.T) {
	t.Parallel()
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 10ms}`,
		`  a: {endpoint: e}`,
		`      - queue: first`, `queues:
  first:
    agents: 50
    handle_time: {dist: constant, value: 5s}
    transfer: {probability: 100%, to: second}
  second:
    agents: 50
    handle_time: {dist: constant, value: 7s}`))
	exactly(t, res, "interactions.transferred", 3600)
	exactly(t, res, "interactions.answered", 3600)
	exactly(t, res, "queues.second.entries", 3600)
	exactly(t, res, "queues.first.busy.mean", 2.5)
	exactly(t, res, "queues.second.busy.mean", 3.5)
}

func TestAgentScheduleAnswersWaitingCallers(t *testing.T) {
	t.Parallel()
	// No agents until 00:30, then 2,000: the 1,800 callers who came in the
	// first half hour (at 0.5, 1.5, ... s) are all answered at 00:30; the
	// rest at once. Routing delay: mean 1800/2 x 1/2 = 450 s, max 1799.5 s.
	res := simulate(t, oneAction(`    latency: {dist: constant, value: 10ms}`,
		`  a: {endpoint: e}`,
		`      - queue: q`, `queues:
  q:
    agents: [{start: "00:00", agents: 0}, {start: "00:30", agents: 2000}, {start: "01:00", agents: 2000}]
    handle_time: {dist: constant, value: 1s}`))
	exactly(t, res, "routing.delay.mean", 450)
	exactly(t, res, "routing.delay.max", 1799.5)
	exactly(t, res, "interactions.answered", 3600)
}

// replaceOnce replaces the first old in s, which must be there: a test
// whose edit silently missed would test the unedited scenario.
func replaceOnce(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("replaceOnce: " + old + " not found")
	}
	return strings.Replace(s, old, new, 1)
}

func TestScheduleDropBelowBusyAgents(t *testing.T) {
	t.Parallel()
	// 100 agents, then 10 from 01:00 while about 300 calls of 10 minutes
	// are in progress: nobody is pre-empted, so busy agents exceed the
	// schedule and occupancy passes 100%. Its interval must still contain
	// its mean.
	res := simulate(t, `
horizon: 2h
replications: 10
arrivals: {rate: 0.5/s}
flows: {entry: f, f: {steps: [{queue: q}]}}
queues:
  q:
    agents: [{start: "00:00", agents: 100}, {start: "01:00", agents: 10}]
    handle_time: {dist: exponential, mean: 10m}
    patience: {dist: exponential, mean: 5m}
`)
	st := res.Metrics["queues.q.occupancy"]
	if st.Value <= 1 || st.Lo > st.Value || st.Hi < st.Value {
		t.Errorf("occupancy %.3f [%.3f, %.3f]: want above 1 with the mean inside its interval", st.Value, st.Lo, st.Hi)
	}
}

func TestNoAgentsScheduledWarns(t *testing.T) {
	t.Parallel()
	res := simulate(t, `
horizon: 2h
replications: 2
arrivals: {rate: 0.1/s}
flows: {entry: f, f: {steps: [{queue: q}]}}
queues:
  q:
    agents: [{start: "00:00", agents: 10}, {start: "01:00", agents: 0}]
    handle_time: {dist: exponential, mean: 1m}
`)
	want := "queues.q: the schedule gives no agents from 01:00"
	for _, w := range res.Warnings {
		if len(w) >= len(want) && w[:len(want)] == want {
			return
		}
	}
	t.Errorf("warnings %q lack %q", res.Warnings, want)
}
