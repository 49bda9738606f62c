package reports

import (
	"bytes"
	"math"
	"os"
	"slices"
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
	// agents 98.5% (at 11:30), crm_token 1,180 of 1,500 a minute = 78.7%,
	// crm workers 74.7%, org_volume 1,240 of 2,500 = 49.6%.
	want := "max_in_flight,support agents,crm_token,crm workers,org_volume"
	if strings.Join(names, ",") != want {
		t.Errorf("limits ranked %q, want %q", strings.Join(names, ","), want)
	}
	if got[4].Util != "50%" {
		t.Errorf("org_volume utilization = %q, want 50%% (1,240 of 2,500)", got[4].Util)
	}
}

func TestRateLimitsShowTheirUse(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Context.Limits = append(s.Context.Limits,
		LimitInfo{Name: "hourly", Scope: "platform", Kind: "window", Limit: 100000, Per: 3600},
		LimitInfo{Name: "erp_window", Scope: "erp", Kind: "window", Limit: 700, Per: 60})
	s.Metrics["limits.hourly.offered.max"] = metric("count", 40000, 39000, 41000)
	s.Metrics["limits.erp_window.offered.max"] = metric("count", 693, 680, 706)
	s.Metrics["limits.erp_window.rejected"] = metric("fraction", 0, 0, 0)

	got := map[string]limitUse{}
	for _, l := range limitUses(s) {
		got[l.Name] = l
	}
	tests := []struct {
		name, kind, peak, capacity, util string
	}{
		// 1,180 requests in the busiest minute against 25/s × 60 = 1,500.
		{"crm_token", "requests to crm that reached it in the busiest minute, against the refill rate",
			"1,180", "1,500/min (bucket, burst 100)", "79%"},
		{"org_volume", "platform attempts that reached it in the busiest 1 min window", "1,240", "2,500 per 1 min", "50%"},
		// 40,000 of 100,000 in the busiest hour: not 40,000 against 1,667 a minute.
		{"hourly", "platform attempts that reached it in the busiest 1 h window", "40,000", "100,000 per 1 h", "40%"},
		{"erp_window", "requests to erp that reached it in the busiest 1 min window", "693", "700 per 1 min", "99%"},
	}
	for _, tc := range tests {
		l, ok := got[tc.name]
		if !ok {
			t.Errorf("no row for %s", tc.name)
			continue
		}
		if l.Kind != tc.kind || l.Peak != tc.peak || l.Capacity != tc.capacity || l.Util != tc.util {
			t.Errorf("%s row = %q, %q, %q, %q; want %q, %q, %q, %q", tc.name,
				l.Kind, l.Peak, l.Capacity, l.Util, tc.kind, tc.peak, tc.capacity, tc.util)
		}
	}

	// A rate limit that refuses nothing ranks by its use, not last.
	if ls := limitUses(s); ls[1].Name != "erp_window" {
		t.Errorf("second limit = %s, want erp_window (99%%, after max_in_flight, which refuses)", ls[1].Name)
	}
}

func TestLongWindowIsNotComparedPerMinute(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		modify func(s *Summary)
	}{
		{"limits", func(s *Summary) {
			s.Context.Limits = []LimitInfo{{Name: "hourly", Scope: "platform", Kind: "window", Limit: 100000, Per: 3600}}
			s.Metrics["limits.hourly.offered.max"] = metric("count", 40000, 39000, 41000)
		}},
		// A summary from before Context.Limits has only the windows.
		{"windows only", func(s *Summary) { s.Context.Limits = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fixtureSummary()
			s.Context.Windows = []WindowLimit{{Name: "hourly", Limit: 100000, Per: 3600}}
			tc.modify(s)

			var md strings.Builder
			r := buildReport(s)
			if err := writeMarkdown(&md, r); err != nil {
				t.Fatal(err)
			}
			var term bytes.Buffer
			if err := WriteTerminal(&term, s, ""); err != nil {
				t.Fatal(err)
			}
			_, _, caption, err := perMinutePlot(s)
			if err != nil {
				t.Fatal(err)
			}
			// 100,000 an hour is 1,667 a minute, which the busiest minute
			// must not be set against.
			for where, text := range map[string]string{"report.md": md.String(),
				"terminal": term.String(), "per_minute caption": caption} {
				if strings.Contains(text, "1,667") {
					t.Errorf("%s sets a minute against 100,000 per hour as 1,667/min", where)
				}
			}
			if !strings.Contains(caption, "Not drawn, as a minute's count does not compare with it: hourly (100,000 per 1 h)") {
				t.Errorf("per_minute caption = %q, want it to say hourly is not drawn", caption)
			}
			if !strings.Contains(md.String(), "| hourly | platform attempts that reached it in the busiest 1 h window |") {
				t.Errorf("report.md has no row for the hourly window")
			}
		})
	}
	s := fixtureSummary()
	s.Context.Limits = []LimitInfo{{Name: "hourly", Scope: "platform", Kind: "window", Limit: 100000, Per: 3600}}
	s.Metrics["limits.hourly.offered.max"] = metric("count", 40000, 39000, 41000)
	_, rest := answer(s, limitUses(s))
	if want := "the busiest 1 h window used 40,000 of the hourly limit of 100,000 (40%)"; !strings.Contains(rest, want) {
		t.Errorf("answer lacks %q:\n%s", want, rest)
	}
}

func TestLimitsRankByUtilizationWithoutRefusals(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
	s.Metrics["limits.org_volume.offered.max"] = metric("count", 2495, 2450, 2500)
	ls := limitUses(s)
	if ls[0].Name != "org_volume" || ls[1].Name != "support agents" {
		t.Fatalf("first two limits = %s, %s; want org_volume (99.8%%), support agents (98.5%%)",
			ls[0].Name, ls[1].Name)
	}
	if got, want := limitSentence(ls), "Closest to binding: org_volume (99.8% in its busiest "+
		"1 min window). Next: support agents (98.5% busy in its busiest interval)."; got != want {
		t.Errorf("limitSentence = %q, want %q", got, want)
	}
	if got, want := bindsFirstLine(ls), "org_volume (99.8% in its busiest 1 min window), "+
		"then support agents (98.5% busy in its busiest interval)"; got != want {
		t.Errorf("bindsFirstLine = %q, want %q", got, want)
	}
}

func TestNoLimitUsed(t *testing.T) {
	t.Parallel()
	zero := metric("count", 0, 0, 0)
	s := &Summary{
		Version: "test", Verdict: "pass",
		Metrics: map[string]Metric{
			"platform.per_minute.max": zero,
			"platform.in_flight.max":  zero,
		},
		Context: Context{MaxInFlight: 50, Limits: []LimitInfo{
			{Name: "org_volume", Scope: "platform", Kind: "window", Limit: 2500, Per: 60}}},
	}
	ls := limitUses(s)
	if got := bindsFirstLine(ls); got != "no limit was used" {
		t.Errorf("bindsFirstLine = %q, want %q", got, "no limit was used")
	}
	if got := limitSentence(ls); got != "No limit was used." {
		t.Errorf("limitSentence = %q, want %q", got, "No limit was used.")
	}

	// Agents at work, the platform idle: name the agents alone.
	s.Context.Queues = []QueueInfo{{Name: "support", ServiceLevel: 20, Agents: 10}}
	s.Metrics["queues.support.occupancy"] = metric("fraction", 0.8, 0.78, 0.82)
	if got, want := bindsFirstLine(limitUses(s)), "support agents (80% busy over the run)"; got != want {
		t.Errorf("bindsFirstLine = %q, want %q", got, want)
	}
}

func TestSentencesStartWithACapital(t *testing.T) {
	t.Parallel()
	variants := map[string]func(*Summary){
		"fixture": func(*Summary) {},
		"agents first": func(s *Summary) {
			s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
		},
		"at capacity": func(s *Summary) {
			s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
			s.Metrics["limits.crm_token.offered.max"] = metric("count", 1600, 1550, 1650)
		},
	}
	for name, modify := range variants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := fixtureSummary()
			modify(s)
			ls := limitUses(s)
			headline, rest := answer(s, ls)
			for _, text := range []string{headline, rest, limitSentence(ls)} {
				for i, sentence := range strings.Split(text, ". ") {
					if r := sentence[0]; !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
						t.Errorf("sentence %d starts in lower case: %q", i+1, sentence)
					}
				}
			}
		})
	}
}

func TestAnswerNamesTheWorstInterval(t *testing.T) {
	t.Parallel()
	// The fixture's busiest interval is 10:30, but over lunch (11:30) the
	// queue is short of agents: a pressure of 1.8 × 0.6058, so routing
	// delay p90 5 + 95 × 1.0904^4 = 139.3 s and service level
	// 0.95 − 0.35 × 1.0904^3 = 49.6%.
	s := fixtureSummary()
	_, rest := answer(s, limitUses(s))
	want := "The worst interval for callers was 11:30: service level 49.5%, routing delay p90 2 m 20 s."
	if !strings.Contains(rest, want) {
		t.Errorf("answer lacks %q:\n%s", want, rest)
	}

	// Service level lowest in another interval than the longest delay.
	s.Intervals[30].Values["queues.support.service_level"] = cell(0.45, 0.03, 4)
	if got, want := worstSentence(s), "The worst interval for callers was 11:30: service "+
		"level 49.5%, routing delay p90 2 m 20 s. Service level was lowest at 15:30: 45%, "+
		"with routing delay p90 8.5 s."; got != want {
		t.Errorf("worstSentence =\n%s\nwant\n%s", got, want)
	}

	// When the busiest interval is also the worst, the answer says it
	// once; 10:15 ties with it, which must not count as worse.
	s = fixtureSummary()
	s.Intervals[14].Values = s.Intervals[5].Values
	if got := worstSentence(s); got != "" {
		t.Errorf("worstSentence = %q, want none when the busiest interval is the worst", got)
	}
}

func TestNarrowCIsDoNotReadAsExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		unit              string
		v, lo, hi         float64
		wantValue, wantCI string
		wantPM            string
	}{
		// A p95 of 10.7 s with the sketch's 0.5% accuracy on each side.
		{"seconds", "s", 10.7, 10.66, 10.74, "10.7 s", "[10.66 s, 10.74 s]", "±40 ms"},
		{"minutes", "s", 97, 96.6, 97.4, "1 m 37 s", "[1 m 36.6 s, 1 m 37.4 s]", "±400 ms"},
		{"percent", "fraction", 0.9852, 0.98512, 0.98538, "98.52%", "[98.51%, 98.54%]", "±0.018%"},
		{"count", "count", 1240.3, 1240.2, 1240.4, "1,240.3", "[1,240.2, 1,240.4]", "±0.1"},
		{"wide enough already", "s", 10.7, 10.2, 11.2, "10.7 s", "[10.2 s, 11.2 s]", "±500 ms"},
		{"exact stays exact", "fraction", 0, 0, 0, "0%", "[0%, 0%]", "±0%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Metric{Value: ptr(tc.v), CI95: &[2]float64{tc.lo, tc.hi}, N: 10, Unit: tc.unit}
			value, ci, pm := ciText(tc.unit, m)
			if value != tc.wantValue || ci != tc.wantCI || pm != tc.wantPM {
				t.Errorf("ciText = %q, %q, %q; want %q, %q, %q", value, ci, pm,
					tc.wantValue, tc.wantCI, tc.wantPM)
			}
		})
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
	// binds first: max_in_flight (24% of its slots at the peak)
	// report: out/report.html
}

func TestLatencyIsPlottedPerAction(t *testing.T) {
	t.Parallel()
	figs, err := figures(fixtureSummary())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.name)
	}
	if !slices.Equal(names, fixturePlots) {
		t.Errorf("plots = %q, want %q", names, fixturePlots)
	}
}

func TestBandsSkipPointsWithoutBounds(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	b := func(x float64) xy { return xy{x: x, y: 1, lo: 0.5, hi: 1.5} }
	bare := func(x float64) xy { return xy{x: x, y: 1, lo: nan, hi: nan} }
	seg := []xy{b(0), b(1), bare(2), b(3), b(4), b(5), bare(6), b(7)}
	got := bandPolygons(seg)
	// Two runs of bounded points (0-1 and 3-5); the lone bounded point 7
	// has no band, and no band crosses 2 or 6.
	if len(got) != 2 || len(got[0]) != 4 || len(got[1]) != 6 {
		t.Fatalf("bandPolygons gave %d polygons %v, want 2 of 4 and 6 vertices", len(got), got)
	}
	if got[1][0].X != 3 || got[1][2].X != 5 {
		t.Errorf("second band spans x = %v..%v, want 3..5", got[1][0].X, got[1][2].X)
	}
}

func TestQuietIntervalBandsDoNotFlattenLatency(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	// Two quiet intervals: one band clamped at 0, one merely very wide.
	s.Intervals[20].Values["actions.get_ewt.latency.p99"] = IntervalValue{Value: ptr(0.4), Lo: ptr(0), Hi: ptr(9)}
	s.Intervals[21].Values["actions.get_ewt.latency.p99"] = IntervalValue{Value: ptr(0.4), Lo: ptr(0.1), Hi: ptr(30)}
	c, _, _, err := latencyPlot(s, "get_ewt", actionColor(1))
	if err != nil {
		t.Fatal(err)
	}
	// The highest p99 line is 0.35 + 0.3 = 0.65 s; the axis may end at
	// 1.5 times that, rounded up to a tick (1,000 ms), not at 30 s.
	if c.p.Y.Max > 1000 {
		t.Errorf("latency axis ends at %v ms, want at most 1,000", c.p.Y.Max)
	}

	pts := []xy{{x: 0, y: 0.4, lo: 0, hi: 9}, {x: 1, y: 0.4, lo: 0.3, hi: 0.5}}
	dropClampedBands(pts)
	if !math.IsNaN(pts[0].lo) || !math.IsNaN(pts[0].hi) || pts[1].lo != 0.3 {
		t.Errorf("dropClampedBands = %v, want the first band gone and the second kept", pts)
	}
}

func TestTerminalFitsOneScreenWithThreeActions(t *testing.T) {
	t.Parallel()
	// Three actions and five SLOs, as examples/bank-peak-day.yaml has;
	// timeouts and refusals that never happened are left out.
	s := fixtureSummary()
	s.Context.Actions = append(s.Context.Actions, "screen_pop")
	for _, m := range []string{"calls", "latency.p95", "failed", "timeouts", "rejected"} {
		s.Metrics["actions.screen_pop."+m] = s.Metrics["actions.get_ewt."+m]
	}
	s.Metrics["actions.lookup_customer.rejected"] = metric("fraction", 0, 0, 0)
	s.Metrics["actions.get_ewt.rejected"] = metric("fraction", 0, 0, 0)
	s.Metrics["actions.screen_pop.rejected"] = metric("fraction", 0, 0, 0)
	s.SLO = append(s.SLO, SLOResult{Metric: "limits.crm_token.rejected", Max: ptr(0.01), Value: ptr(0), Pass: true, Confident: true})
	s.Warnings = nil
	var b bytes.Buffer
	if err := WriteTerminal(&b, s, "out"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n > 40 {
		t.Errorf("terminal output has %d lines, want at most 40:\n%s", n, b.String())
	}
	if strings.Contains(b.String(), "actions.get_ewt.timeouts") {
		t.Errorf("terminal shows get_ewt timeouts, which never happened:\n%s", b.String())
	}
}
