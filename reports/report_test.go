package reports

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestLimitsThatRefuseRankFirst(t *testing.T) {
	t.Parallel()
	got := limitUses(fixtureSummary())
	var names []string
	for _, l := range got {
		names = append(names, l.Name)
	}
	// max_in_flight refuses 0.04% of attempts; then by peak use: support
	// agents 96.8%, crm workers 74.7%, org_volume 1,240/2,500 = 49.6%.
	want := "max_in_flight,support agents,crm workers,org_volume"
	if strings.Join(names, ",") != want {
		t.Errorf("limits ranked %q, want %q", strings.Join(names, ","), want)
	}
	if got[3].Util != "50%" {
		t.Errorf("org_volume utilization = %q, want 50%% (1,240 of 2,500)", got[3].Util)
	}
}

func TestLimitsRankByUtilizationWithoutRefusals(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
	s.Metrics["platform.per_minute.max"] = metric("count", 2400, 2350, 2450)
	ls := limitUses(s)
	if ls[0].Name != "support agents" || ls[1].Name != "org_volume" {
		t.Fatalf("first two limits = %s, %s; want support agents (96.8%%), org_volume (96%%)",
			ls[0].Name, ls[1].Name)
	}
	if got, want := limitSentence(ls), "support agents is closest to binding: its peak use "+
		"reached 96.8% of capacity. Next is org_volume at 96%."; got != want {
		t.Errorf("limitSentence = %q, want %q", got, want)
	}
}

func TestAnswerWhenEverySLOHolds(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Verdict = "pass"
	s.SLO = s.SLO[:2]
	headline, rest := answer(s, limitUses(s))
	if headline != "All 2 SLOs hold." {
		t.Errorf("headline = %q, want %q", headline, "All 2 SLOs hold.")
	}
	for _, want := range []string{
		"In the busiest interval, from 10:30 (5,164 arrivals), callers waited 40.9 s",
		"lookup_customer answered within 684 ms at p95, timed out for 0.31% of calls",
		"the busiest minute used 1,240 of the org_volume limit of 2,500 (50%)",
		"executions in flight peaked at 31.4 of 50 (63%)",
	} {
		if !strings.Contains(rest, want) {
			t.Errorf("answer lacks %q:\n%s", want, rest)
		}
	}
}

func TestAnswerWithoutData(t *testing.T) {
	t.Parallel()
	headline, rest := answer(&Summary{}, nil)
	if headline != "No SLOs were set, so nothing was checked against a target." || rest != "" {
		t.Errorf("answer(empty) = %q, %q", headline, rest)
	}
}

func TestTerminalFitsOneScreen(t *testing.T) {
	t.Parallel()
	// One action, one queue: the typical scenario should print under 40
	// lines.
	s := fixtureSummary()
	s.Context.Actions = s.Context.Actions[:1]
	s.Warnings = s.Warnings[:1]
	var b bytes.Buffer
	if err := WriteTerminal(&b, s, "out"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n >= 40 {
		t.Errorf("terminal output has %d lines, want under 40:\n%s", n, b.String())
	}
	for i, line := range strings.Split(b.String(), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d ends in a space: %q", i+1, line)
		}
	}
}

func TestWriteTerminalEmptySummary(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteTerminal(&b, &Summary{Verdict: "pass"}, ""); err != nil {
		t.Fatal(err)
	}
	want := "dasim report\nseed 0\n\nverdict: PASS (no SLOs set)\n"
	if b.String() != want {
		t.Errorf("WriteTerminal(empty) =\n%s\nwant\n%s", b.String(), want)
	}
}

func ExampleWriteTerminal() {
	value := func(v float64) *float64 { return &v }
	s := &Summary{
		Scenario:     "one action",
		Seed:         7,
		Replications: 5,
		Verdict:      "pass",
		Metrics: map[string]Metric{
			"actions.lookup.latency.p95": {Value: value(0.42), CI95: &[2]float64{0.4, 0.45}, N: 5, Unit: "s"},
			"actions.lookup.failed":      {Value: value(0.002), CI95: &[2]float64{0.001, 0.003}, N: 5, Unit: "fraction"},
			"platform.in_flight.max":     {Value: value(12), CI95: &[2]float64{10, 14}, N: 5, Unit: "count"},
		},
		SLO: []SLOResult{
			{Metric: "actions.lookup.latency.p95", Max: value(1), Value: value(0.42), Pass: true, Confident: true},
		},
		Context: Context{MaxInFlight: 50, Actions: []string{"lookup"}},
	}
	WriteTerminal(os.Stdout, s, "out")
	// Output:
	// one action
	// 5 replications, seed 7
	//
	// metric                       value  ±95% CI  compared with
	// actions.lookup.latency.p95  420 ms   ±30 ms
	// actions.lookup.failed         0.2%    ±0.1%
	// platform.in_flight.max          12       ±2  of 50 max_in_flight (24%)
	//
	// SLO                         target   value  result
	// actions.lookup.latency.p95  ≤ 1 s   420 ms  PASS
	//
	// verdict: PASS (0 of 1 SLO failed)
	// binds first: max_in_flight (24%)
	// report: out/report.html
}
