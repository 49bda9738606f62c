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
	if !strings.Contains(findingTexts(r), "ok: org_volume 6.2% of 2,500/min at 10:00") {
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

	sc.Platform.MaxInFlight = 12
	r = Analyze(sc)
	if !strings.Contains(findingTexts(r), "max_in_flight 10 of 12 (estimate)") {
		t.Errorf("findings %q lack max_in_flight 10 of 12", findingTexts(r))
	}
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Text, "max_in_flight") && f.Level != "at risk" {
			t.Errorf("max_in_flight at 83%% is %q, want at risk", f.Level)
		}
	}
}

// findingTexts joins the findings' texts, one a line.
func findingTexts(r CheckReport) string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, f.Level+": "+f.Text)
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
		"the simulation (dasim run) is the answer",
		"given as          rate 2/s; poisson process",
		"peak rate         2.6/s (9,360/h) from 10:00 to 10:10",
		"busiest interval  10:00-10:15: 2,160 interactions",
		"org_volume",
		"156/min offered, 6.2%",
		"crm rate limit crm_minute  100/min: 156/min offered, 156% OVER",
		"overloaded: arrivals exceed agents' capacity",
		"Erlang A",
		"patience is not exponential",
		"WILL BREAK  crm_minute 156% of 100/min at 10:00",
		"WILL BREAK  queue support overloaded: 936 Erlangs offered to 700 agents at 10:00 (Erlang A: ",
		"max_in_flight",
		"on_failure and on_timeout paths",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
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
