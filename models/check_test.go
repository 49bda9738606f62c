package models

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// checkScenario is a resolved scenario built in Go: 2 interactions a second
// from 08:00 for 10 h, one action on the entry flow, then a queue of 800
// agents with a 6-minute mean handle time.
func checkScenario() *Scenario {
	return &Scenario{
		Name: "check test", Start: 8 * 3600, Horizon: 10 * 3600, Interval: 900, Replications: 1,
		Arrivals: Arrivals{
			Kind: "rate", Source: "rate 2/s", Process: "poisson", Scale: 1,
			Base: []RateSegment{{From: 0, To: math.MaxFloat64, Rate: 2}},
		},
		Endpoints: []Endpoint{{
			Name: "crm", Workers: []Capacity{{Start: 0, N: 16}}, QueueLimit: -1,
			Latency: Dist{Kind: DistConstant, Value: 0.3},
		}},
		Platform: Platform{
			Timeout: 60, MaxTimeout: 60, Overhead: Dist{Kind: DistConstant}, MaxInFlight: 50,
			RateLimits: []RateLimit{{Name: "org_volume", Kind: "window", Limit: 2500, Per: 60}},
		},
		Actions: []Action{{Name: "lookup", Endpoint: "crm", Timeout: 5}},
		Entry:   "inbound",
		Flows: []Flow{{Name: "inbound", Steps: []Step{
			{Kind: StepAction, Action: "lookup"},
			{Kind: StepQueue, Target: "support"},
		}}},
		Queues: []Queue{{
			Name: "support", Agents: []Capacity{{Start: 0, N: 800}},
			HandleTime: Dist{Kind: DistExponential, MeanParam: 360}, ServiceLevel: 20,
		}},
	}
}

// findAction returns the analysis of the named action.
func findAction(t *testing.T, r CheckReport, name string) ActionCheck {
	t.Helper()
	for _, a := range r.Actions {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no action %s in %+v", name, r.Actions)
	return ActionCheck{}
}

func TestAnalyzeBasic(t *testing.T) {
	t.Parallel()
	r := Analyze(checkScenario())

	wantNear(t, "peak rate", r.Arrivals.PeakRate, 2, 0)
	wantNear(t, "mean rate", r.Arrivals.MeanRate, 2, 1e-12)
	wantNear(t, "total", r.Arrivals.Total, 72000, 1e-6)
	// 2/s over a 15-minute interval.
	wantNear(t, "busiest interval", r.Arrivals.BusiestCount, 1800, 1e-9)

	a := findAction(t, r, "lookup")
	wantNear(t, "calls per interaction", a.PerInteraction, 1, 0)
	wantNear(t, "calls/s", a.CallsPerSec, 2, 0)
	// 2/s × 60 s.
	wantNear(t, "executions/min", a.ExecutionsPerMin, 120, 1e-9)
	wantNear(t, "org_volume usage", r.Platform.Limits[0].Usage, 120.0/2500, 1e-12)

	// Endpoint: 2/s × 0.3 s = 0.6 Erlangs on 16 workers; the wait of
	// M/D/16 at that load is negligible, so in flight ≈ 2 × 0.3 (Little).
	e := r.Endpoints[0]
	wantNear(t, "requests/s", e.RequestsPerSec, 2, 1e-12)
	wantNear(t, "offered", e.OfferedLoad, 0.6, 1e-12)
	wantNear(t, "utilization", e.Utilization, 0.6/16, 1e-12)
	wantNear(t, "in flight", r.Platform.InFlight, 0.6, 1e-9)

	// Queue: 2/s × 360 s = 720 Erlangs on 800 agents.
	q := r.Queues[0]
	wantNear(t, "offered load", q.OfferedLoad, 720, 1e-9)
	wantNear(t, "occupancy", q.Occupancy, 0.9, 1e-12)
	if q.Agents != 800 || q.Overloaded {
		t.Errorf("queue = %+v, want 800 agents, not overloaded", q)
	}
	m := NewMMc(800, 2, 360)
	wantNear(t, "P(wait)", q.PWait, m.PWait, 0)
	wantNear(t, "service level", q.ServiceLevel, m.ServiceLevel(20), 0)
}

func TestAnalyzeBurstPeak(t *testing.T) {
	t.Parallel()
	sc := checkScenario()
	sc.Arrivals.Bursts = []Burst{{Start: 10 * 3600, Duration: 600, Multiplier: 1.3}}
	r := Analyze(sc)

	// 2/s × 1.3 from 10:00 to 10:10.
	wantNear(t, "peak rate", r.Arrivals.PeakRate, 2.6, 1e-12)
	wantNear(t, "peak from", r.Arrivals.PeakFrom, 10*3600, 0)
	wantNear(t, "peak to", r.Arrivals.PeakTo, 10*3600+600, 0)
	// 600 s at 2.6/s instead of 2/s over the 10 h run.
	wantNear(t, "mean rate", r.Arrivals.MeanRate, (2*35400+2.6*600)/36000.0, 1e-12)
	// The 10:00 interval holds 600 s at 2.6/s and 300 s at 2/s.
	wantNear(t, "busiest interval", r.Arrivals.BusiestCount, 2.6*600+2*300, 1e-9)
	wantNear(t, "busiest start", r.Arrivals.BusiestStart, 10*3600, 0)
	wantNear(t, "executions/min", findAction(t, r, "lookup").ExecutionsPerMin, 156, 1e-9)
	// Every hour that holds the burst is as busy; the one from the peak
	// is reported: 3,000 s at 2/s and 600 s at 2.6/s.
	wantNear(t, "busiest hour rate", r.Arrivals.HourRate, (2*3000+2.6*600)/3600, 1e-12)
	wantNear(t, "busiest hour from", r.Arrivals.HourFrom, 10*3600, 0)
	if !strings.Contains(findingTexts(r), "ok: org_volume 6.2% of 2,500/min from 10:00 for 10m") {
		t.Errorf("findings %q lack the org_volume line", findingTexts(r))
	}
}

func TestAnalyzeBurstPastMidnight(t *testing.T) {
	t.Parallel()
	// A burst from 23:50 for 20 minutes still doubles the rate at 00:05
	// of the next day, which is inside a run that starts at 00:00.
	sc := checkScenario()
	sc.Start, sc.Horizon = 0, 3600
	sc.Arrivals.Bursts = []Burst{{Start: 23*3600 + 3000, Duration: 1200, Multiplier: 2}}
	r := Analyze(sc)
	wantNear(t, "peak rate", r.Arrivals.PeakRate, 4, 0)
	wantNear(t, "peak to", r.Arrivals.PeakTo, 600, 1e-9)
}

func TestAnalyzeVolumesAndBusyness(t *testing.T) {
	t.Parallel()
	// Volumes of 120, 180 and 240 per 30 minutes from 08:00, busyness of
	// mean 1.5: the busiest half hour is the last, with 240 × 1.5.
	sc := checkScenario()
	sc.Horizon, sc.Interval = 3*1800, 1800
	sc.Arrivals.Base = []RateSegment{
		{From: 8 * 3600, To: 8*3600 + 1800, Rate: 120.0 / 1800},
		{From: 8*3600 + 1800, To: 9 * 3600, Rate: 180.0 / 1800},
		{From: 9 * 3600, To: 9*3600 + 1800, Rate: 240.0 / 1800},
	}
	sc.Arrivals.Busyness = &Dist{Kind: DistGamma, MeanParam: 1.5, CV: 0.1}
	r := Analyze(sc)
	wantNear(t, "total", r.Arrivals.Total, 540*1.5, 1e-9)
	wantNear(t, "busiest", r.Arrivals.BusiestCount, 240*1.5, 1e-9)
	wantNear(t, "busiest start", r.Arrivals.BusiestStart, 9*3600, 0)
	wantNear(t, "peak rate", r.Arrivals.PeakRate, 240.0/1800*1.5, 1e-12)
}

func TestAnalyzeCallsPerInteraction(t *testing.T) {
	t.Parallel()
	action := func(name string) Step { return Step{Kind: StepAction, Action: name} }
	tests := []struct {
		name  string
		steps []Step
		want  map[string]float64
	}{
		{
			name:  "branch of 10%",
			steps: []Step{{Kind: StepBranch, Probability: 0.1, Steps: []Step{action("a")}}},
			want:  map[string]float64{"a": 0.1},
		},
		{
			name:  "repeat 3 times",
			steps: []Step{{Kind: StepRepeat, Times: 3, Every: &Dist{Kind: DistConstant, Value: 5}, Steps: []Step{action("a")}}},
			want:  map[string]float64{"a": 3},
		},
		{
			name:  "parallel and async each count",
			steps: []Step{{Kind: StepParallel, Parallel: []string{"a", "b"}}, {Kind: StepAsync, Action: "b"}},
			want:  map[string]float64{"a": 1, "b": 2},
		},
		{
			// Only the path of success is counted.
			name:  "failure paths ignored",
			steps: []Step{{Kind: StepAction, Action: "a", OnFailure: []Step{action("b")}, OnTimeout: []Step{action("b")}}},
			want:  map[string]float64{"a": 1, "b": 0},
		},
		{
			// 20% leave in the branch, so 80% reach the next step.
			name:  "branch that ends the flow",
			steps: []Step{{Kind: StepBranch, Probability: 0.2, Steps: []Step{{Kind: StepDisconnect}}}, action("a")},
			want:  map[string]float64{"a": 0.8},
		},
		{
			// Each run goes on with probability 0.5: 1 + 0.5 + 0.25 runs.
			name: "repeat with an exit",
			steps: []Step{{Kind: StepRepeat, Times: 3, Steps: []Step{
				action("a"), {Kind: StepBranch, Probability: 0.5, Steps: []Step{{Kind: StepQueue, Target: "support"}}},
			}}, action("b")},
			want: map[string]float64{"a": 1.75, "b": 0.125},
		},
		{
			name:  "queue step naming a flow",
			steps: []Step{action("a"), {Kind: StepQueue, Target: "other"}},
			want:  map[string]float64{"a": 1, "b": 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := checkScenario()
			sc.Actions = []Action{{Name: "a", Endpoint: "crm", Timeout: 5}, {Name: "b", Endpoint: "crm", Timeout: 5}}
			sc.Flows = []Flow{
				{Name: "inbound", Steps: tc.steps},
				{Name: "other", Steps: []Step{action("b"), {Kind: StepQueue, Target: "support"}}},
			}
			r := Analyze(sc)
			for name, want := range tc.want {
				wantNear(t, "calls of "+name, findAction(t, r, name).PerInteraction, want, 1e-12)
			}
		})
	}
}

func TestAnalyzeFlowCycle(t *testing.T) {
	t.Parallel()
	// Two flows that hand over to each other: each is counted once, and a
	// note says so.
	sc := checkScenario()
	sc.Flows = []Flow{
		{Name: "inbound", Steps: []Step{{Kind: StepAction, Action: "lookup"}, {Kind: StepQueue, Target: "other"}}},
		{Name: "other", Steps: []Step{{Kind: StepAction, Action: "lookup"}, {Kind: StepQueue, Target: "inbound"}}},
	}
	r := Analyze(sc)
	wantNear(t, "calls", findAction(t, r, "lookup").PerInteraction, 2, 0)
	if !strings.Contains(strings.Join(r.Notes, "\n"), "Flow inbound leads back to itself") {
		t.Errorf("notes %q lack the cycle", r.Notes)
	}
}

func TestAnalyzeTransfersAndOnAnswer(t *testing.T) {
	t.Parallel()
	// support transfers 5% to general, which transfers 10% back to the
	// other flow: general gets 0.05 entries, the flow 0.005 runs, and so on.
	sc := checkScenario()
	sc.Actions = append(sc.Actions, Action{Name: "pop", Endpoint: "crm", Timeout: 5})
	sc.Queues[0].Transfer = &Transfer{Probability: 0.05, To: "general"}
	sc.Queues[0].OnAnswer = []string{"pop"}
	sc.Queues = append(sc.Queues, Queue{
		Name: "general", Agents: []Capacity{{N: 60}}, HandleTime: Dist{Kind: DistExponential, MeanParam: 300},
		ServiceLevel: 20, OnAnswer: []string{"pop"}, Transfer: &Transfer{Probability: 0.1, To: "inbound"},
	})
	r := Analyze(sc)
	// Entries x into support and y into general: x = 1 + 0.1 y, y = 0.05 x.
	x := 1 / (1 - 0.1*0.05)
	y := 0.05 * x
	wantNear(t, "support entries", r.Queues[0].PerInteraction, x, 1e-12)
	wantNear(t, "general entries", r.Queues[1].PerInteraction, y, 1e-12)
	wantNear(t, "lookup calls", findAction(t, r, "lookup").PerInteraction, x, 1e-12)
	wantNear(t, "pop calls", findAction(t, r, "pop").PerInteraction, x+y, 1e-12)
	wantNear(t, "general arrivals", r.Queues[1].ArrivalRate, 2*y, 1e-12)
}

func TestAnalyzeCache(t *testing.T) {
	t.Parallel()
	sc := checkScenario()
	sc.Actions[0].Cache = &Cache{HitRatio: 0.4, Latency: Dist{Kind: DistConstant, Value: 0.005}}
	r := Analyze(sc)
	// 120 calls a minute, 40% answered by the cache.
	wantNear(t, "executions/min", findAction(t, r, "lookup").ExecutionsPerMin, 72, 1e-9)
	wantNear(t, "requests/s", r.Endpoints[0].RequestsPerSec, 1.2, 1e-12)
}

func TestAnalyzeInQueue(t *testing.T) {
	t.Parallel()
	// M/M/10 at a = 9 (1.5/s, 6 s handle): callers who wait do so for
	// 1 / (10/6 − 1.5) = 6 s on average, exponentially; an in-queue run
	// takes no time (latency 0) and repeats every 30 s, so a waiting caller
	// makes 1 + 1 / (e^5 − 1) calls.
	sc := checkScenario()
	sc.Arrivals.Base[0].Rate = 1.5
	sc.Endpoints[0].Latency = Dist{Kind: DistConstant, Value: 0}
	sc.Actions = append(sc.Actions, Action{Name: "ewt", Endpoint: "crm", Timeout: 5})
	sc.Queues[0].Agents = []Capacity{{N: 10}}
	sc.Queues[0].HandleTime = Dist{Kind: DistExponential, MeanParam: 6}
	sc.Queues[0].InQueue = &InQueue{Every: Dist{Kind: DistConstant, Value: 30}, Steps: []Step{{Kind: StepAction, Action: "ewt"}}}
	r := Analyze(sc)

	pw := ErlangC(10, 9)
	want := pw * (1 + 1/math.Expm1(30.0/6))
	a := findAction(t, r, "ewt")
	wantNear(t, "in-queue calls", a.PerInteraction, want, 1e-12)
	wantNear(t, "in-queue part", a.InQueue, want, 1e-12)
	wantNear(t, "lookup calls", findAction(t, r, "lookup").PerInteraction, 1, 0)

	// With patience the wait of those who wait comes from Erlang A.
	sc.Queues[0].Patience = &Dist{Kind: DistExponential, MeanParam: 30}
	r = Analyze(sc)
	ea := ErlangA(10, 1.5, 6, 30)
	want = ea.PWait * (1 + 1/math.Expm1(30/(ea.Wq/ea.PWait)))
	wantNear(t, "in-queue calls with patience", findAction(t, r, "ewt").PerInteraction, want, 1e-12)
	if q := r.Queues[0]; q.Abandon == nil || q.Abandon.PAbandon != ea.PAbandon || !q.PatienceExponential {
		t.Errorf("queue = %+v, want the Erlang A figures", q)
	}
}

func TestAnalyzeOverloads(t *testing.T) {
	t.Parallel()
	// 600 agents at 08:00 for 720 Erlangs; 800 only from 10:00. The
	// endpoint has 1 worker for 2/s × 0.75 s, and a bucket of 60/min for
	// 120/min.
	sc := checkScenario()
	sc.Queues[0].Agents = []Capacity{{Start: 0, N: 600}, {Start: 10 * 3600, N: 800}}
	sc.Endpoints[0].Workers = []Capacity{{N: 1}}
	sc.Endpoints[0].Latency = Dist{Kind: DistConstant, Value: 0.75}
	sc.Endpoints[0].RateLimits = []RateLimit{{Name: "crm_client", Kind: "bucket", Rate: 1, Burst: 10}}
	r := Analyze(sc)

	q := r.Queues[0]
	if q.Agents != 600 || !q.Overloaded {
		t.Errorf("queue = %+v, want 600 agents in force at 08:00 and overloaded", q)
	}
	e := r.Endpoints[0]
	wantNear(t, "bucket usage", e.Limits[0].Usage, 2, 1e-12)
	if !e.Overloaded || !math.IsInf(e.Wait, 1) {
		t.Errorf("endpoint = %+v, want overloaded", e)
	}
	// An overloaded endpoint holds each slot until the action's 5 s
	// timeout: 2/s × 5 s in flight.
	wantNear(t, "in flight", r.Platform.InFlight, 10, 1e-12)

	// Findings: highest first, with their levels.
	for i := 1; i < len(r.Findings); i++ {
		if r.Findings[i].Usage > r.Findings[i-1].Usage {
			t.Errorf("findings not sorted: %+v", r.Findings)
		}
	}
	if f := r.Findings[0]; f.Level != "will break" || !strings.Contains(f.Text, "crm_client 200% of 60/min bucket") {
		t.Errorf("first finding = %+v, want crm_client at 200%%", f)
	}
	levels := map[string]string{}
	for _, f := range r.Findings {
		levels[strings.Fields(f.Text)[0]] = f.Level
	}
	want := map[string]string{"crm_client": "will break", "crm": "will break", "queue": "will break", "org_volume": "ok", "max_in_flight": "ok"}
	for k, v := range want {
		if levels[k] != v {
			t.Errorf("finding %s level = %q, want %q (all: %q)", k, levels[k], v, findingTexts(r))
		}
	}
	for _, want := range []string{
		// 720 Erlangs on 600 agents until 10:00: the 120 above capacity
		// build 120 × 7,200 s / 360 s of work.
		"will break: queue support 120% of 600 agents from 08:00 for 2h (720 Erl)",
		"  overloaded: the line grows from 08:00 for 2h, by up to 2,400 callers",
		// 0.5 Erlangs above one worker for 10 h, in requests of 0.75 s.
		"will break: crm workers 150% of 1 from 08:00 for 10h (1.5 Erl)",
		"  overloaded: requests pile up from 08:00 for 10h, by up to 24,000",
		// 1/s above the refill for 10 h, less the burst of 10.
		"  overloaded from 08:00 for 10h: about 35,990 requests refused",
	} {
		if !strings.Contains(findingTexts(r), want) {
			t.Errorf("findings lack %q:\n%s", want, findingTexts(r))
		}
	}

	// Mean 10 in flight against 12: the Poisson law is at 12 or more 30%
	// of the time (P(12, 10), the regularized incomplete gamma).
	sc.Platform.MaxInFlight = 12
	r = Analyze(sc)
	wantNear(t, "full", r.Platform.InFlightFull, 0.3032238536968939, 1e-9)
	if !strings.Contains(findingTexts(r), "will break: max_in_flight mean 10, p99.9 21 of 12, full 30% of the time") {
		t.Errorf("findings %q lack max_in_flight at 30%% full", findingTexts(r))
	}
}

func TestCheckQueueAtRisk(t *testing.T) {
	t.Parallel()
	// 720 Erlangs on 800 agents all day: 90%, at risk though not over.
	// Every limit has a line: org_volume, max_in_flight, crm workers and
	// the queue.
	r := Analyze(checkScenario())
	if len(r.Findings) != 4 {
		t.Errorf("%d findings, want 4:\n%s", len(r.Findings), findingTexts(r))
	}
	if f := r.Findings[0]; f.Level != "at risk" || f.Text != "queue support 90% of 800 agents from 08:00 for 10h (720 Erl)" {
		t.Errorf("first finding = %+v, want the queue at risk", f)
	}
}

// seedScenario is examples/seed-800-agents.yaml reduced to the queue: 700
// Erlangs offered to 800 agents from 08:00 for 4 h, 30% more for 20
// minutes from 10:00.
func seedScenario() *Scenario {
	sc := checkScenario()
	sc.Horizon = 4 * 3600
	sc.Arrivals.Base[0].Rate = 700.0 / 360
	sc.Arrivals.Bursts = []Burst{{Start: 10 * 3600, Duration: 1200, Multiplier: 1.3}}
	return sc
}

func TestCheckShortOverload(t *testing.T) {
	t.Parallel()
	r := Analyze(seedScenario())
	q := r.Queues[0].Profile
	// 910 Erlangs at the peak, 114% of 800, for 20 minutes.
	wantNear(t, "peak", q.Peak, 910.0/800, 1e-12)
	wantNear(t, "peak load", q.PeakLoad, 910, 1e-9)
	wantNear(t, "over from", q.OverFrom, 10*3600, 0)
	wantNear(t, "over to", q.OverTo, 10*3600+1200, 0)
	// Any hour holding the burst: 20 min at 910 and 40 at 700 Erlangs.
	wantNear(t, "busiest hour", q.Busiest, (910.0*20+700*40)/60/800, 1e-12)
	// 110 Erlangs above capacity for 1,200 s of 360 s calls.
	wantNear(t, "excess", q.Excess/360, 110.0*1200/360, 1e-9)

	f := r.Findings[0]
	if f.Level != "at risk" || f.Usage != q.Busiest {
		t.Errorf("queue finding = %+v, want at risk at the busiest hour's %g", f, q.Busiest)
	}
	for _, want := range []string{
		"queue support 114% of 800 agents from 10:00 for 20m (910 Erl); busiest hour 96% from 10:00",
		"short overload: the line grows from 10:00 for 20m, by up to 367 callers; see the simulation",
	} {
		if !strings.Contains(f.Text+"\n"+f.Detail, want) {
			t.Errorf("finding %+v lacks %q", f, want)
		}
	}

	// A short overload stays at risk even when the hour is quiet: a
	// 10-minute burst on a 50% day.
	sc := seedScenario()
	sc.Arrivals.Base[0].Rate = 400.0 / 360
	sc.Arrivals.Bursts[0] = Burst{Start: 10 * 3600, Duration: 600, Multiplier: 2.25}
	f = Analyze(sc).Findings[0]
	if f.Level != "at risk" || !strings.HasPrefix(f.Detail, "short overload") {
		t.Errorf("finding = %+v, want a short overload at risk", f)
	}
}

func TestCheckInFlightPoisson(t *testing.T) {
	t.Parallel()
	// Unlimited workers and a constant latency: 2 executions a second
	// hold a slot for the latency, so the mean in flight is 2 × latency.
	// The expected tails are P(50, m), the regularized incomplete gamma.
	tests := []struct {
		name  string
		mean  float64
		full  float64
		level string
		text  string
	}{
		{name: "mean 45", mean: 45, full: 0.24680203440017026, level: "will break",
			text: "max_in_flight mean 45, p99.9 67 of 50, full 25% of the time"},
		{name: "mean 30", mean: 30, full: 0.0005188914625480354, level: "at risk",
			text: "max_in_flight mean 30, p99.9 48 of 50, full 0.05% of the time"},
		{name: "mean 17.4", mean: 17.4, full: 1.4681191599129106e-10, level: "ok",
			text: "max_in_flight mean 17.4, p99.9 32 of 50, full <0.01% of the time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := checkScenario()
			sc.Endpoints[0].Workers = nil
			sc.Endpoints[0].Latency = Dist{Kind: DistConstant, Value: tc.mean / 2}
			sc.Actions[0].Timeout = 60
			r := Analyze(sc)
			wantNear(t, "mean in flight", r.Platform.InFlight, tc.mean, 1e-9)
			wantNear(t, "full", r.Platform.InFlightFull, tc.full, 1e-9*tc.full)
			for _, f := range r.Findings {
				if strings.HasPrefix(f.Text, "max_in_flight") && (f.Level != tc.level || !strings.HasPrefix(f.Text, tc.text)) {
					t.Errorf("finding = %+v, want %s: %q", f, tc.level, tc.text)
				}
			}
		})
	}
}

func TestCheckWindowOwnPeriod(t *testing.T) {
	t.Parallel()
	// An hourly window: the busiest clock hour, 10:00-11:00, holds 2/s
	// for 2,400 s and 2.6/s for the 1,200 s burst: 7,920 executions. Its
	// peak rate, 2.6/s or 9,360 an hour, is over 8,000, but only for 20 min.
	sc := seedScenario()
	sc.Arrivals.Base[0].Rate = 2
	sc.Platform.RateLimits = []RateLimit{{Name: "org_hourly", Kind: "window", Limit: 8000, Per: 3600}}
	r := Analyze(sc)
	l := r.Platform.Limits[0]
	wantNear(t, "window count", l.WindowCount, 2*2400+2.6*1200, 1e-9)
	wantNear(t, "window from", l.WindowFrom, 10*3600, 0)
	wantNear(t, "usage", l.Usage, (2*2400+2.6*1200)/8000, 1e-12)
	wantNear(t, "peak", l.Profile.Peak, 2.6*3600/8000, 1e-12)
	for _, want := range []string{
		"at risk: org_hourly 99% of 8,000 per 1h in 10:00-11:00 (7,920 offered)",
		"  the peak rate is 117% of the limit from 10:00 for 20m; the 1h window evens it out",
	} {
		if !strings.Contains(findingTexts(r), want) {
			t.Errorf("findings lack %q:\n%s", want, findingTexts(r))
		}
	}
	if got := checkOffered(l); got != "8,000 per 1h: 7,920 offered in 10:00-11:00, 99%" {
		t.Errorf("checkOffered = %q", got)
	}

	// A daily window on a 4-hour run holds the run's 29,520 executions,
	// but a full day at the peak rate would be 2.6 × 86,400 = 224,640.
	sc.Platform.RateLimits = []RateLimit{{Name: "org_daily", Kind: "window", Limit: 100000, Per: 86400}}
	r = Analyze(sc)
	wantNear(t, "daily count", r.Platform.Limits[0].WindowCount, 2*13200+2.6*1200, 1e-9)
	want := "ok: org_daily 30% of 100,000 per 24h in 08:00-12:00 (29,520 offered)\n" +
		"  the run covers 4h of this 24h window; a full window at the peak rate would hold 225%"
	if !strings.Contains(findingTexts(r), want) {
		t.Errorf("findings lack %q:\n%s", want, findingTexts(r))
	}
}

func TestCheckBucketBurst(t *testing.T) {
	t.Parallel()
	// A bucket refilling 2.5/s: the 10-minute burst at 2.6/s is 60
	// requests above the rate. A burst of 100 holds them, graded by the
	// busiest hour, (2 × 3,000 + 2.6 × 600) / 3,600 / 2.5 = 84%; a burst
	// of 50 does not.
	tests := []struct {
		burst float64
		level string
		want  string
	}{
		{burst: 100, level: "at risk", want: "short overload: the burst of 100 holds the 60 requests above the rate"},
		{burst: 50, level: "will break", want: "overloaded from 10:00 for 10m: about 10 requests refused"},
	}
	for _, tc := range tests {
		sc := checkScenario()
		sc.Arrivals.Bursts = []Burst{{Start: 10 * 3600, Duration: 600, Multiplier: 1.3}}
		sc.Platform.RateLimits = []RateLimit{{Name: "token", Kind: "bucket", Rate: 2.5, Burst: tc.burst}}
		r := Analyze(sc)
		for _, f := range r.Findings {
			if strings.HasPrefix(f.Text, "token") && (f.Level != tc.level || f.Detail != tc.want) {
				t.Errorf("burst %g: finding = %+v, want %s with %q", tc.burst, f, tc.level, tc.want)
			}
		}
	}
}

func TestCheckArrivalsStayInsideTheRun(t *testing.T) {
	t.Parallel()
	// A run from 08:05 to 10:05, with arrivals at 2/s until 08:15 and at
	// 10/s from 10:00: the busiest interval is 10:00-10:15 cut to the run,
	// 300 s at 10/s; the first, 08:05-08:15, has 600 s at 2/s.
	sc := checkScenario()
	sc.Start, sc.Horizon = 8*3600+300, 2*3600
	sc.Arrivals.Base = []RateSegment{{From: 0, To: 8*3600 + 900, Rate: 2}, {From: 10 * 3600, To: 86400, Rate: 10}}
	a := Analyze(sc).Arrivals
	wantNear(t, "busiest start", a.BusiestStart, 10*3600, 0)
	wantNear(t, "busiest end", a.BusiestEnd, 10*3600+300, 0)
	wantNear(t, "busiest count", a.BusiestCount, 3000, 1e-9)
	sc.Arrivals.Base[1].Rate = 3
	a = Analyze(sc).Arrivals
	wantNear(t, "busiest start", a.BusiestStart, 8*3600+300, 0)
	wantNear(t, "busiest end", a.BusiestEnd, 8*3600+900, 0)
	wantNear(t, "busiest count", a.BusiestCount, 1200, 1e-9)

	// No arrivals in the run: no busiest interval at midnight.
	sc.Arrivals.Base = []RateSegment{{From: 12 * 3600, To: 13 * 3600, Rate: 2}}
	var b bytes.Buffer
	if err := WriteCheck(&b, sc); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "busiest interval  none: no arrivals") || strings.Contains(out, "00:00") {
		t.Errorf("output lacks \"no arrivals\" or names 00:00:\n%s", out)
	}
}

func TestCheckBusiest(t *testing.T) {
	t.Parallel()
	// Load 1 on 1 for 30 min, 3 on 2 for 30 min, then 0 on 1: the hour
	// from 0 has 1,800 + 5,400 of load on 1,800 + 3,600 of capacity, 4/3;
	// the mean of the two half-hours' usages would be 1.25.
	segs := []checkSeg{
		{from: 0, to: 1800, load: 1, capacity: 1},
		{from: 1800, to: 3600, load: 3, capacity: 2},
		{from: 3600, to: 7200, load: 0, capacity: 1},
	}
	w, busiest, from := checkBusiest(segs, 3600, 1800)
	wantNear(t, "window", w, 3600, 0)
	wantNear(t, "busiest", busiest, 4.0/3, 1e-12)
	wantNear(t, "from", from, 0, 0)

	// A run shorter than the window is one window.
	w, busiest, _ = checkBusiest(segs[:2], 7200, 0)
	wantNear(t, "short window", w, 3600, 0)
	wantNear(t, "short busiest", busiest, 4.0/3, 1e-12)
}

func TestCheckWrap(t *testing.T) {
	t.Parallel()
	got := checkWrapClauses("queue support 114% of 800 agents (910 Erl); busiest hour 96% from 10:00", 50)
	want := []string{"queue support 114% of 800 agents (910 Erl);", "busiest hour 96% from 10:00"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("checkWrapClauses = %q, want %q", got, want)
	}
	got = checkWrap("a bb ccc dddd", 6)
	want = []string{"a bb", "ccc", "dddd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("checkWrap = %q, want %q", got, want)
	}
	if got := checkWrapClauses("", 10); len(got) != 0 {
		t.Errorf("checkWrapClauses of nothing = %q", got)
	}
}

// findingTexts joins the findings' texts, one a line.
func findingTexts(r CheckReport) string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Level+": "+f.Text)
		if f.Detail != "" {
			s = append(s, "  "+f.Detail)
		}
	}
	return strings.Join(s, "\n")
}

func TestWriteCheck(t *testing.T) {
	t.Parallel()
	sc := checkScenario()
	sc.Arrivals.Bursts = []Burst{{Start: 10 * 3600, Duration: 600, Multiplier: 1.3}}
	sc.Queues[0].Agents = []Capacity{{Start: 0, N: 800}, {Start: 10 * 3600, N: 700}}
	sc.Queues[0].Patience = &Dist{Kind: DistLognormal, Mu: math.Log(120), Sigma: 0.5}
	sc.Endpoints[0].RateLimits = []RateLimit{{Name: "crm_minute", Kind: "window", Limit: 100, Per: 60}}
	var b bytes.Buffer
	if err := WriteCheck(&b, sc); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"dasim check: check test",
		"Steady-state estimates",
		"(dasim run) is the answer",
		"given as          rate 2/s; poisson process",
		"run               08:00 to 18:00 (10h), warm-up 0s",
		"peak rate         2.6/s (9,360/h) from 10:00 to 10:10",
		"busiest hour      10:00-11:00: 7,560 interactions, 2.1/s (7,560/h)",
		"busiest interval  10:00-10:15: 2,160 interactions",
		"org_volume",
		"156/min offered, 6.2%",
		"in flight   mean 0.78, p99.9 5 of 50, full <0.01% of the time",
		"crm rate limit crm_minute  100/min: 156/min offered, 156% OVER",
		"support is overloaded at peak",
		"Erlang A",
		"patience is not exponential",
		"WILL BREAK  crm_minute 156% of 100/min from 10:00 for 10m; busiest hour 126% from 10:00",
		"over the limit from 08:00 for 10h",
		"WILL BREAK  queue support 134% of 700 agents from 10:00 for 10m (936 Erl);",
		"overloaded: the line grows from 10:00 for 8h, by up to",
		"OK          max_in_flight mean 0.78, p99.9 5 of 50, full <0.01% of the time from 10:00 for 10m",
		"on_failure and on_timeout paths",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The findings and notes stay within 100 columns.
	_, tail, _ := strings.Cut(out, "\nFindings")
	for _, line := range strings.Split(tail, "\n") {
		if len(line) > 100 {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
	}
}

func TestCheckFormat(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{checkCount(2500), "2,500"},
		{checkCount(1234567.4), "1,234,567"},
		{checkCount(999), "999"},
		{checkPct(0.48), "48%"},
		{checkPct(0.062), "6.2%"},
		{checkPct(1.5), "150%"},
		{checkNum(2.6), "2.6"},
		{checkNum(12345.6), "12,346"},
		{checkDur(0.15), "150ms"},
		{checkDur(4e-15), "<0.1ms"},
		{checkDur(360), "6m"},
		{checkDur(36000), "10h"},
		{checkDur(14*3600 + 300), "14h05m"},
		{checkDur(125), "2m05s"},
		{checkDur(119), "119s"},
		{checkDur(3599.7), "1h"},
		{checkFrac(0), "0%"},
		{checkFrac(1e-7), "<0.01%"},
		{checkFrac(0.0004), "0.04%"},
		{checkFrac(0.25), "25%"},
		{checkClock(10 * 3600), "10:00"},
		{checkClock(10*3600 + 30), "10:00:30"},
		{checkClock(86400 + 3600), "+1d 01:00"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestMeanCappedByTimeout(t *testing.T) {
	// E[min(L, t)] for exponential L with mean 1 s and t = 1 s is 1 - 1/e:
	// the slot is freed at the timeout, not held for the whole mean.
	d := &Dist{Kind: DistExponential, MeanParam: 1}
	if got, want := meanCapped(d, 0, 1), 1-math.Exp(-1); math.Abs(got-want) > 1e-3 {
		t.Errorf("meanCapped(exp 1 s, timeout 1 s) = %.5f, want %.5f", got, want)
	}
	// A constant latency below the timeout is held whole, plus the overhead.
	c := &Dist{Kind: DistConstant, Value: 0.2}
	if got := meanCapped(c, 0.1, 5); math.Abs(got-0.3) > 1e-9 {
		t.Errorf("meanCapped(constant 0.2 s + 0.1 s) = %v, want 0.3", got)
	}
}
