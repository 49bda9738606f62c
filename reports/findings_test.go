package reports

import (
	"bytes"
	"strings"
	"testing"
)

// These tests pin what the report must not hide or misstate: each starts
// from the fixture and changes it into the situation a reader could
// misread.

// render returns report.md's text (without plots) and the terminal's.
func render(t *testing.T, s *Summary) (md, term string) {
	t.Helper()
	var m strings.Builder
	if err := writeMarkdown(&m, buildReport(s)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTerminal(&b, s, ""); err != nil {
		t.Fatal(err)
	}
	return m.String(), b.String()
}

// keyRowFor returns the key-metrics row of a metric.
func keyRowFor(t *testing.T, s *Summary, name string) keyRow {
	t.Helper()
	for _, k := range keyRows(s) {
		if k.Metric == name {
			return k
		}
	}
	t.Fatalf("no key-metrics row for %s", name)
	return keyRow{}
}

// refusedBeforeTheWindow is the tester's scenario: max_in_flight refuses
// most attempts, so 4,144 executions start in the busiest minute while
// only 1,100 reach org_volume (1,200 a minute), which refuses none.
func refusedBeforeTheWindow() *Summary {
	s := fixtureSummary()
	s.Context.Limits = s.Context.Limits[:1]
	s.Context.Limits[0].Limit = 1200
	s.Context.Windows[0].Limit = 1200
	s.Metrics["platform.per_minute.max"] = metric("count", 4144, 4100, 4188)
	s.Metrics["limits.org_volume.offered.max"] = metric("count", 1100, 1080, 1120)
	return s
}

func TestLimitIsComparedWithAttemptsThatReachedIt(t *testing.T) {
	t.Parallel()
	s := refusedBeforeTheWindow()
	md, term := render(t, s)

	// 4,144 of 1,200 would be 345%; 1,100 of 1,200 is 92%.
	for where, text := range map[string]string{"report.md": md, "terminal": term} {
		if strings.Contains(text, "345%") {
			t.Errorf("%s sets executions started against org_volume (345%%):\n%s", where, text)
		}
	}
	if k := keyRowFor(t, s, "platform.per_minute.max"); k.Note != "" ||
		k.Label != "executions started in the busiest minute" {
		t.Errorf("per_minute row = %q, note %q; want executions started, no comparison", k.Label, k.Note)
	}
	if k := keyRowFor(t, s, "limits.org_volume.offered.max"); k.Note != "of 1,200 per 1 min (92%)" {
		t.Errorf("org_volume row note = %q, want %q", k.Note, "of 1,200 per 1 min (92%)")
	}
	_, rest := answer(s, limitUses(s))
	if want := "the busiest minute used 1,100 of the org_volume limit of 1,200 (92%)"; !strings.Contains(rest, want) {
		t.Errorf("answer lacks %q:\n%s", want, rest)
	}
	if !strings.Contains(term, "limits.org_volume.offered.max          1,100      ±20  of 1,200 per 1 min (92%)") {
		t.Errorf("terminal does not compare org_volume's own peak with its limit:\n%s", term)
	}
}

func TestOlderSummaryDoesNotPassExecutionsAsTheWindowsCount(t *testing.T) {
	t.Parallel()
	// Before limits.NAME.offered.max, a summary had only executions
	// started: at most what reached the window.
	s := refusedBeforeTheWindow()
	delete(s.Metrics, "limits.org_volume.offered.max")
	var org limitUse
	for _, l := range limitUses(s) {
		if l.Name == "org_volume" {
			org = l
		}
	}
	// The window refused nothing, so no window saw more than its limit:
	// the bound is 100%, not 4,144 / 1,200 = 345%; and a bound is not
	// ranked as a use.
	if org.Util != "≤ 100%" || !strings.Contains(org.Kind, "at most what reached the window") {
		t.Errorf("org_volume row = %q, %q; want an upper bound, ≤ 100%%", org.Kind, org.Util)
	}
	if org.used() {
		t.Errorf("org_volume's bound counts as a use")
	}
	if !strings.Contains(limitNote(limitUses(s)), "A peak marked ≤ counts every execution started") {
		t.Errorf("limit note does not explain the ≤ peak: %q", limitNote(limitUses(s)))
	}
	_, rest := answer(s, limitUses(s))
	if strings.Contains(rest, "345%") || !strings.Contains(rest, "the busiest minute started 4,144 executions") {
		t.Errorf("answer compares executions started with the limit, or omits them:\n%s", rest)
	}

	// When max_in_flight refused nothing, every execution started reached
	// org_volume: 1,240 of 2,500 is its use.
	s = fixtureSummary()
	delete(s.Metrics, "limits.org_volume.offered.max")
	s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
	for _, l := range limitUses(s) {
		if l.Name == "org_volume" && (l.Util != "50%" || l.upper) {
			t.Errorf("org_volume use = %q, want 50%% (every execution reached it)", l.Util)
		}
	}
}

func TestPerMinutePlotDrawsAttemptsThatReachedTheWindow(t *testing.T) {
	t.Parallel()
	_, _, caption, err := perMinutePlot(fixtureSummary())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(caption, "Most attempts that reached the limit in one of its one-minute windows") ||
		!strings.Contains(caption, "Dotted: every execution started") {
		t.Errorf("per_minute caption = %q, want the attempts that reached the window against the limit", caption)
	}

	// An older summary has no such column: executions started stand in.
	s := fixtureSummary()
	for i := range s.Intervals {
		delete(s.Intervals[i].Values, "limits.org_volume.offered.max")
	}
	c, _, caption, err := perMinutePlot(s)
	if err != nil || c == nil {
		t.Fatalf("perMinutePlot without the column = %v, %v; want the executions started", c, err)
	}
	if !strings.HasPrefix(caption, "Most Data Action executions started") ||
		!strings.Contains(caption, "can overstate the window's count") {
		t.Errorf("fallback caption = %q", caption)
	}
}

func TestUnansweredCallersAreSaidFirst(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Verdict = "pass"
	s.SLO = s.SLO[:1]
	s.Metrics["interactions.arrived"] = metric("count", 3596, 3500, 3692)
	s.Metrics["interactions.open"] = metric("count", 3229, 3150, 3308)
	s.Metrics["interactions.ended_in_flow"] = metric("count", 367, 340, 394)

	headline, rest := answer(s, limitUses(s))
	// 3,229 / 3,596 = 89.8%.
	want := "3,229 of 3,596 callers (89.8%) were still waiting when the run stopped: the " +
		"queue could not keep up; 367 ended in the flow without reaching a queue."
	if !strings.HasPrefix(rest, want) {
		t.Errorf("answer does not open with the callers never answered:\n%s", rest)
	}
	if want := "The one SLO holds. No SLO covers the 3,229 callers still waiting when the " +
		"run stopped."; headline != want {
		t.Errorf("headline = %q, want %q", headline, want)
	}
	if k := keyRowFor(t, s, "interactions.open"); k.Note != "of 3,596 arrived (89.8%)" {
		t.Errorf("interactions.open note = %q", k.Note)
	}
	_, term := render(t, s)
	for _, want := range []string{"interactions.open ", "interactions.ended_in_flow ",
		"unanswered: 3,229 of 3,596 callers (89.8%)"} {
		if !strings.Contains(term, want) {
			t.Errorf("terminal lacks %q:\n%s", want, term)
		}
	}

	// Only some ended in the flow: said alone, with its share.
	s.Metrics["interactions.open"] = metric("count", 0, 0, 0)
	if got, want := callersSentence(s), "367 of 3,596 callers (10.2%) ended in the flow "+
		"without reaching a queue."; got != want {
		t.Errorf("callersSentence = %q, want %q", got, want)
	}

	// Every caller answered or abandoned: nothing to say, no rows.
	s = fixtureSummary()
	md, term := render(t, s)
	if callersSentence(s) != "" || strings.Contains(md, "interactions.open") ||
		strings.Contains(term, "interactions.open") {
		t.Errorf("callers never answered shown although there are none")
	}
}

// queueingEndpoint is crm with one worker: its requests wait 560 ms for it
// on average, of a 900 ms response, and lookup_customer times out.
func queueingEndpoint() *Summary {
	s := fixtureSummary()
	s.Context.EndpointWorkers["crm"] = 1
	s.Metrics["endpoints.crm.wait.mean"] = metric("s", 0.56, 0.52, 0.6)
	s.Metrics["endpoints.crm.wait.p95"] = metric("s", 2.1, 1.9, 2.3)
	s.Metrics["endpoints.crm.response.mean"] = metric("s", 0.9, 0.86, 0.94)
	s.Metrics["endpoints.crm.queue.max"] = metric("count", 31, 28, 34)
	s.Metrics["endpoints.crm.rejected"] = metric("fraction", 0.002, 0.001, 0.003)
	return s
}

func TestEndpointQueueingIsShown(t *testing.T) {
	t.Parallel()
	s := queueingEndpoint()
	_, rest := answer(s, limitUses(s))
	for _, want := range []string{
		// 0.56 / 0.9 = 62.2%.
		"Requests to crm waited 560 ms on average for its only worker (62.2% of their " +
			"response time) — the endpoint's capacity, not its speed, drives the timeouts.",
		"lookup_customer answered within 684 ms at p95, timed out for 0.31% of calls as its " +
			"requests queued for crm's only worker",
	} {
		if !strings.Contains(rest, want) {
			t.Errorf("answer lacks %q:\n%s", want, rest)
		}
	}
	md, term := render(t, s)
	for _, name := range []string{"endpoints.crm.wait.mean", "endpoints.crm.wait.p95",
		"endpoints.crm.queue.max", "endpoints.crm.rejected"} {
		if !strings.Contains(md, "`"+name+"`") || !strings.Contains(term, name+" ") {
			t.Errorf("%s is missing from report.md or the terminal", name)
		}
	}
	if k := keyRowFor(t, s, "endpoints.crm.wait.mean"); k.Note != "of 900 ms mean response (62.2%)" {
		t.Errorf("wait note = %q", k.Note)
	}
	if !strings.Contains(md, "| crm workers | workers busy in the busiest interval (10:15) | – | 1 worker |") {
		t.Errorf("report.md does not give crm's capacity as 1 worker")
	}

	// Brief, rare waits: in report.md, not in the terminal, nor in the
	// answer.
	s = fixtureSummary()
	_, rest = answer(s, limitUses(s))
	md, term = render(t, s)
	if strings.Contains(rest, "Requests to crm waited") || strings.Contains(rest, "queued for") {
		t.Errorf("answer blames crm's workers for waits of 0.9 ms:\n%s", rest)
	}
	if !strings.Contains(md, "`endpoints.crm.wait.mean`") || strings.Contains(term, "endpoints.crm.wait") {
		t.Errorf("crm's brief waits: want them in report.md only")
	}
	if strings.Contains(md, "`endpoints.crm.rejected`") {
		t.Errorf("report.md shows endpoints.crm.rejected, which is 0")
	}
}

func TestNoCapacityRanksAsBroken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		modify   func(s *Summary)
		first    string
		sentence string
	}{
		{
			// No agents at 12:00 while callers still entered the queue
			// (they were answered later): occupancy is undefined there.
			name: "agents",
			modify: func(s *Summary) {
				delete(s.Intervals[16].Values, "queues.support.occupancy")
			},
			first:    "support agents",
			sentence: "No capacity: support agents had none scheduled at 12:00 while callers were waiting.",
		},
		{
			// No agents all day: no occupancy anywhere, not even the
			// whole run's.
			name: "agents all day",
			modify: func(s *Summary) {
				for i := range s.Intervals {
					delete(s.Intervals[i].Values, "queues.support.occupancy")
				}
				s.Metrics["queues.support.occupancy"] = Metric{Unit: "fraction"}
			},
			first: "support agents",
			// 40 intervals, 2 of them in the warm-up.
			sentence: "No capacity: support agents had none scheduled at 08:30, 08:45, 09:00 " +
				"and 35 more intervals while callers were waiting.",
		},
		{
			// crm's workers scheduled at 0 at 12:00 while requests came.
			name: "workers",
			modify: func(s *Summary) {
				delete(s.Intervals[16].Values, "endpoints.crm.utilization")
				s.Intervals[16].Values["endpoints.crm.busy.mean"] = cell(0.2, 0.1, 2)
			},
			first:    "crm workers",
			sentence: "No capacity: crm workers had none scheduled at 12:00 while requests kept coming.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fixtureSummary()
			tc.modify(s)
			ls := limitUses(s)
			if ls[0].Name != tc.first || ls[0].Util != "no capacity" {
				t.Fatalf("first limit = %s (%s), want %s with no capacity", ls[0].Name, ls[0].Util, tc.first)
			}
			if got := limitSentence(ls); !strings.HasPrefix(got, tc.sentence) {
				t.Errorf("limitSentence = %q, want it to open with %q", got, tc.sentence)
			}
			if !strings.Contains(limitNote(ls), "“No capacity” marks") {
				t.Errorf("limit note does not explain “no capacity”: %q", limitNote(ls))
			}
		})
	}

	// A quiet interval with no capacity and nobody to serve is no fault.
	s := fixtureSummary()
	delete(s.Intervals[16].Values, "endpoints.crm.utilization")
	for _, a := range s.Context.Actions {
		s.Intervals[16].Values["actions."+a+".executions"] = cell(0, 0, 0)
	}
	for _, l := range limitUses(s) {
		if l.broken() {
			t.Errorf("%s counts as broken with no requests in its empty interval", l.Name)
		}
	}
}

func TestBusyShareAboveCapacityIsKept(t *testing.T) {
	t.Parallel()
	s := fixtureSummary()
	s.Metrics["limits.max_in_flight.rejected"] = metric("fraction", 0, 0, 0)
	// A schedule lowered the agents at 12:00 while 864 were busy: 108%
	// of 800.
	s.Intervals[16].Values["queues.support.occupancy"] = cell(1.08, 0.01, 4)
	s.Intervals[16].Values["queues.support.busy.mean"] = cell(864, 0.01, 1)
	ls := limitUses(s)
	if ls[0].Name != "support agents" || ls[0].Util != "108%" || ls[0].Peak != "864 busy" {
		t.Errorf("first limit = %s, %s, %s; want support agents, 864 busy, 108%%",
			ls[0].Name, ls[0].Peak, ls[0].Util)
	}
	// 864 / 1.08 = 800 scheduled then: the most there are.
	if ls[0].Capacity != "800 agents" {
		t.Errorf("capacity = %q, want 800 agents", ls[0].Capacity)
	}
	// Cut to 400 at 12:00: 864 busy is 216% of them.
	s.Intervals[16].Values["queues.support.occupancy"] = cell(2.16, 0.01, 4)
	if ls := limitUses(s); ls[0].Util != "216%" || ls[0].Capacity != "400 agents then (800 at most)" {
		t.Errorf("first limit = %s of %s, want 216%% of 400 agents then (800 at most)",
			ls[0].Util, ls[0].Capacity)
	}
	if !strings.Contains(limitNote(ls), "A busy share above 100% is not an error") {
		t.Errorf("limit note does not explain a share above 100%%: %q", limitNote(ls))
	}
	if strings.Contains(limitNote(limitUses(fixtureSummary())), "above 100% is not") {
		t.Errorf("limit note explains a share above 100%% the fixture does not have")
	}
}

func TestCountsOfOneAreSingular(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{agentsText(1), "1 agent"},
		{agentsText(800), "800 agents"},
		{countOf(1, "worker", "workers"), "1 worker"},
		{countOf(1200, "worker", "workers"), "1,200 workers"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestRunSpanKeepsSeconds(t *testing.T) {
	t.Parallel()
	s := &Summary{Seed: 1, Verdict: "pass", Replications: 2,
		Context: Context{Start: 0, Horizon: 90, Interval: 30}}
	if got, want := runLine(s), "2 replications, seed 1, 00:00 to 00:01:30"; got != want {
		t.Errorf("runLine = %q, want %q", got, want)
	}
	for _, f := range method(s) {
		if f.Label == "Simulated" && f.Text != "00:00 to 00:01:30 (1 m 30 s), in 30 s intervals" {
			t.Errorf("Simulated = %q", f.Text)
		}
	}
	s.Context.Start, s.Context.Horizon = 8*3600+45, 3600
	if got, want := runLine(s), "2 replications, seed 1, 08:00:45 to 09:00:45"; got != want {
		t.Errorf("runLine = %q, want %q", got, want)
	}
}
