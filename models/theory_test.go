package models

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// These tests run seeded scenarios and compare the simulated metrics with
// exact results from queueing theory. The tolerance of each comparison is
// derived from the run's own 95% confidence interval: the exact value must
// lie within twice the Student t half-width of the replication mean (about
// four standard errors), plus a small allowance for the bias a finite
// horizon and warm-up leave, stated where used. The seeds are fixed, so the
// outcome never changes from one run to the next.

// simulate parses a scenario from YAML text and runs it.
func simulate(t *testing.T, yaml string) *Results {
	t.Helper()
	sc, err := Parse("test.yaml", []byte(yaml), t.TempDir(), nil)
	if err != nil {
		t.Fatalf("scenario does not load:\n%v", err)
	}
	res, err := Run(context.Background(), sc, RunOptions{Seed: sc.Seed, Replications: sc.Replications})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// near checks that the exact value lies within twice the CI half-width of
// the metric, widened by slack (absolute).
func near(t *testing.T, res *Results, metric string, exact, slack float64) {
	t.Helper()
	st, ok := res.Metrics[metric]
	if !ok || !st.HasCI() {
		t.Fatalf("%s: no value with an interval (%+v)", metric, st)
	}
	half := (st.Hi - st.Lo) / 2
	t.Logf("%s = %.5g [%.5g, %.5g], exact %.5g", metric, st.Value, st.Lo, st.Hi, exact)
	if d := math.Abs(st.Value - exact); d > 2*half+slack {
		t.Errorf("%s = %.5g [%.5g, %.5g], want %.5g (off by %.3g, allowed %.3g)",
			metric, st.Value, st.Lo, st.Hi, exact, d, 2*half+slack)
	}
}

// queueScenario is a flow that goes straight to one queue: M/M/c when
// handle and patience are exponential.
func queueScenario(rate float64, agents int, handle, patience string) string {
	return fmt.Sprintf(`
name: theory
seed: 11
horizon: 30h
warmup: 2h
replications: 12
arrivals: {rate: %g/s}
platform: {data_actions: {max_in_flight: 0, rate_limits: []}}
flows:
  entry: main
  main: {steps: [{queue: q}]}
queues:
  q:
    agents: %d
    handle_time: %s
%s
`, rate, agents, handle, patience)
}

func TestErlangCQueueWait(t *testing.T) {
	t.Parallel()
	// M/M/10 at 90% load: lambda 1.5/s, mean handle 6 s, a = 9 Erlangs.
	res := simulate(t, queueScenario(1.5, 10, "{dist: exponential, mean: 6s}", ""))
	exact := NewMMc(10, 1.5, 6)
	near(t, res, "queues.q.wait.mean", exact.Wq, 0)
	near(t, res, "queues.q.occupancy", 0.9, 0)
	near(t, res, "queues.q.service_level", exact.ServiceLevel(20), 0)
}

func TestErlangAAbandonment(t *testing.T) {
	t.Parallel()
	// M/M/10+M: a = 10 Erlangs offered to 10 agents, patience mean 30 s.
	res := simulate(t, queueScenario(1, 10, "{dist: exponential, mean: 10s}",
		"    patience: {dist: exponential, mean: 30s}"))
	exact := ErlangA(10, 1, 10, 30)
	near(t, res, "queues.q.abandoned", exact.PAbandon, 0)
	near(t, res, "queues.q.occupancy", exact.Occupancy, 0)
}

// endpointScenario sends every arrival to one action on endpoint e, with no
// platform limit in the way.
func endpointScenario(rate float64, endpoint string) string {
	return fmt.Sprintf(`
name: theory
seed: 5
horizon: 10h
warmup: 1h
replications: 12
arrivals: {rate: %g/s}
platform: {data_actions: {max_in_flight: 0, rate_limits: []}}
endpoints:
  e:
%s
actions:
  a: {endpoint: e}
flows:
  entry: main
  main: {steps: [{action: a}]}
`, rate, endpoint)
}

func TestErlangCEndpointWait(t *testing.T) {
	t.Parallel()
	// M/M/4 at 80%: lambda 16/s, mean latency 200 ms, a = 3.2 Erlangs.
	res := simulate(t, endpointScenario(16, `    workers: 4
    latency: {dist: exponential, mean: 200ms}`))
	exact := NewMMc(4, 16, 0.2)
	near(t, res, "endpoints.e.wait.mean", exact.Wq, 0)
	near(t, res, "endpoints.e.utilization", 0.8, 0)
	near(t, res, "endpoints.e.response.mean", exact.Wq+0.2, 0)
}

func TestErlangBBlocking(t *testing.T) {
	t.Parallel()
	// M/M/5/5: a = 4 Erlangs, no waiting room.
	res := simulate(t, endpointScenario(20, `    workers: 5
    queue_limit: 0
    latency: {dist: exponential, mean: 200ms}`))
	near(t, res, "endpoints.e.rejected_queue", ErlangB(5, 4), 0)
	near(t, res, "actions.a.rejected", ErlangB(5, 4), 0)
}

func TestMD1Wait(t *testing.T) {
	t.Parallel()
	// M/D/1 at rho = 0.7: lambda 7/s, service 100 ms.
	res := simulate(t, endpointScenario(7, `    workers: 1
    latency: {dist: constant, value: 100ms}`))
	near(t, res, "endpoints.e.wait.mean", MD1Wq(7, 0.1), 0)
}

func TestTokenBucketRejection(t *testing.T) {
	t.Parallel()
	// Offered 2/s to a bucket refilled at 1/s: in the long run the bucket
	// admits exactly its rate, so half the attempts are refused. The burst
	// of 10 admitted at the start of each replication is inside the
	// warm-up.
	res := simulate(t, endpointScenario(2, `    latency: {dist: constant, value: 10ms}
    rate_limits: [{name: bucket, rate: 1/s, burst: 10}]`))
	near(t, res, "limits.bucket.rejected", 0.5, 0)
	near(t, res, "endpoints.e.rejected_rate_limit", 0.5, 0)
}

func TestFixedWindowRejection(t *testing.T) {
	t.Parallel()
	// Poisson at 3/s against 150 a clock minute: N ~ Poisson(180) per
	// window, and the refused fraction is E[(N-150)+] / E[N].
	res := simulate(t, endpointScenario(3, `    latency: {dist: constant, value: 10ms}
    rate_limits: [{name: window, limit: 150, per: 1m}]`))
	mean := 180.0
	excess, p := 0.0, math.Exp(-mean)
	for n := 0; n < 600; n++ {
		if n > 0 {
			p *= mean / float64(n)
		}
		if n > 150 {
			excess += float64(n-150) * p
		}
	}
	near(t, res, "limits.window.rejected", excess/mean, 0)
}

func TestMaxInFlightLittle(t *testing.T) {
	t.Parallel()
	// With no cap, attempts in flight form an M/G/inf system: the
	// time-average equals lambda x mean latency (Little's law), 10/s x 0.5 s.
	// busy.mean of an unlimited endpoint is the same quantity.
	res := simulate(t, endpointScenario(10, `    latency: {dist: lognormal, mean: 500ms, cv: 1}`))
	near(t, res, "endpoints.e.busy.mean", 5, 0)
}

func TestArrivalCounts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		arrivals string
		horizon  string
		want     float64
		exact    bool
	}{
		// Deterministic spacing puts exactly one arrival per unit of
		// cumulative intensity: 120 + 180 + 240.
		{"volumes deterministic", `{volumes: {counts: [120, 180, 240], interval: 30m}, process: deterministic}`, "90m", 540, true},
		{"volumes poisson", `{volumes: {counts: [120, 180, 240], interval: 30m}}`, "90m", 540, false},
		// 720 in progress over a 6-minute handle time is 2/s: 7,200 in an hour.
		{"concurrency deterministic", `{concurrency: {interactions: 720, handle_time: 6m}, process: deterministic}`, "1h", 7200, true},
		{"concurrency poisson", `{concurrency: {interactions: 720, handle_time: 6m}}`, "1h", 7200, false},
		// Scale 1.5 and a 2x burst over 10 of 60 minutes: 1/s x 1.5 x (50 + 20) min.
		// A burst from 23:30 to 00:30 the day before still doubles the
		// first half hour: 1/s x (30 x 2 + 90) min.
		{"burst from the evening before", `{rate: 1/s, bursts: [{start: "23:30", duration: 1h, multiplier: 2}], process: deterministic}`, "2h", 9000, true},
		{"scale and burst", `{rate: 1/s, scale: 1.5, bursts: [{start: "00:20", duration: 10m, multiplier: 2}], process: deterministic}`, "1h", 6300, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := simulate(t, fmt.Sprintf(`
horizon: %s
replications: 20
arrivals: %s
flows: {entry: f, f: {steps: [disconnect]}}
`, tc.horizon, tc.arrivals))
			st := res.Metrics["interactions.arrived"]
			if tc.exact {
				if st.Value != tc.want || st.Lo != tc.want || st.Hi != tc.want {
					t.Errorf("arrived = %v [%v, %v], want exactly %v", st.Value, st.Lo, st.Hi, tc.want)
				}
				return
			}
			// A Poisson count has variance equal to its mean.
			near(t, res, "interactions.arrived", tc.want, 0)
			if sd := math.Sqrt(tc.want); math.Abs(st.Value-tc.want) > 4*sd/math.Sqrt(20) {
				t.Errorf("arrived = %v, want %v within 4 standard errors (%v)", st.Value, tc.want, 4*sd/math.Sqrt(20))
			}
		})
	}
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	t.Parallel()
	sc, err := Load("../examples/seed-800-agents.yaml", []string{"horizon=1h", "warmup=0"})
	if err != nil {
		t.Fatal(err)
	}
	var got [2]string
	for k, workers := range []int{1, 3} {
		res, err := Run(context.Background(), sc, RunOptions{Seed: 3, Replications: 4, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		got[k] = fmt.Sprintf("%v", *res)
	}
	if got[0] != got[1] {
		t.Error("results with 1 and 3 workers differ; replications must merge in their own order")
	}
}

func TestSLOWithoutIntervalIsNotConfident(t *testing.T) {
	t.Parallel()
	sc, err := Parse("one.yaml", []byte(`
horizon: 10m
replications: 1
arrivals: {rate: 1/s}
flows: {entry: f, f: {steps: [disconnect]}}
slo: [{metric: interactions.arrived, min: 1}]
`), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), sc, RunOptions{Seed: 1, Replications: 1})
	if err != nil {
		t.Fatal(err)
	}
	v, pass, warnings := JudgeSLOs(sc, res)
	if !pass || !v[0].Pass || v[0].Confident || len(warnings) == 0 {
		t.Errorf("one replication: pass %v, verdict %+v, warnings %q; want a pass that is not confident, with a warning", pass, v[0], warnings)
	}
}
