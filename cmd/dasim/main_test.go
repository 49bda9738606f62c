package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dasim runs the command line in-process and returns its exit status,
// stdout and stderr.
func dasim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"dasim"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const small = `name: small
horizon: 1h
replications: 3
arrivals: {rate: 1/s}
endpoints:
  crm: {workers: 4, latency: {dist: exponential, mean: 200ms}}
actions:
  lookup: {endpoint: crm, timeout: 2s}
flows:
  entry: main
  main: {steps: [{action: lookup}, {queue: q}]}
queues:
  q: {agents: 12, handle_time: {dist: exponential, mean: 10s}}
slo:
  - {metric: routing.delay.p90, max: 10m}
`

func TestRunWritesBundle(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "small.yaml", small)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := dasim(t, "run", file, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	for _, f := range []string{"summary.json", "intervals.csv", "report.md", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("bundle lacks %s: %v", f, err)
		}
	}
	if !strings.Contains(stdout, "report.html") {
		t.Errorf("terminal output does not say where the report is:\n%s", stdout)
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "small.yaml", small)
	var sums [2][]byte
	for k := range sums {
		out := filepath.Join(dir, "out", string(rune('a'+k)))
		if code, _, stderr := dasim(t, "run", file, "--out", out); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "intervals.csv"))
		if err != nil {
			t.Fatal(err)
		}
		sums[k] = append(sums[k], b...)
		// Only the engine's wall time and speed may differ: summary.json's
		// engine.wall_seconds and engine.events_per_second, and the line of
		// the reports that quotes them.
		for _, f := range []string{"summary.json", "report.md"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			var keep []string
			for _, line := range strings.Split(string(b), "\n") {
				if !strings.Contains(line, "wall_seconds") && !strings.Contains(line, "events_per_second") &&
					!strings.HasPrefix(line, "Engine:") {
					keep = append(keep, line)
				}
			}
			sums[k] = append(sums[k], strings.Join(keep, "\n")...)
		}
	}
	if !bytes.Equal(sums[0], sums[1]) {
		t.Error("two runs with the same seed wrote different bytes")
	}
}

func TestFailedSLOExitsOne(t *testing.T) {
	dir := t.TempDir()
	text := strings.Replace(small, "max: 10m", "max: 0s", 1)
	text = strings.Replace(text, "routing.delay.p90", "actions.lookup.latency.p50", 1)
	file := writeFile(t, dir, "small.yaml", text)
	out := filepath.Join(dir, "out")
	code, stdout, _ := dasim(t, "run", file, "--out", out)
	if code != exitSLO {
		t.Fatalf("exit %d, want %d", code, exitSLO)
	}
	if !strings.Contains(stdout, "FAIL") {
		t.Errorf("terminal output does not show the failed SLO:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.json")); err != nil {
		t.Errorf("a failed SLO must still write the bundle: %v", err)
	}
}

func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	cases := []struct {
		name, text string
		sets       []string
		want       string
	}{
		{"negative workers", strings.Replace(small, "workers: 4", "workers: -3", 1), nil,
			"small.yaml:6:18: endpoints.crm.workers: must be a positive integer, got -3"},
		{"unknown distribution", strings.Replace(small, "exponential, mean: 200ms", "erlang, mean: 200ms", 1), nil,
			"small.yaml:6:"},
		{"wrong unit", strings.Replace(small, "timeout: 2s", "timeout: 2 parsecs", 1), nil,
			"small.yaml:8:"},
		{"missing key", strings.Replace(small, "horizon: 1h\n", "", 1), nil,
			"horizon"},
		{"bad --set", small, []string{"endpoints.crm.workers=-3"},
			"--set endpoints.crm.workers=-3: must be a positive integer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := writeFile(t, dir, "small.yaml", tc.text)
			out := filepath.Join(dir, "out")
			args := []string{"run", file, "--out", out}
			for _, s := range tc.sets {
				args = append(args, "--set", s)
			}
			code, stdout, stderr := dasim(t, args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout should be empty on bad input, got %q", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input must write nothing, but %s exists", out)
			}
		})
	}
}

func TestCSVBadRowExitsTwo(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "volumes.csv", "date,start,offered\n2024-01-02,08:00,10\n2024-01-02,08:30,\"1,2x\"\n")
	text := strings.Replace(small, "arrivals: {rate: 1/s}", `arrivals:
  volumes: {csv: volumes.csv, date_column: date, time_column: start, count_column: offered, interval: 30m, day: busiest}`, 1)
	file := writeFile(t, dir, "small.yaml", text)
	code, _, stderr := dasim(t, "run", file, "--out", filepath.Join(dir, "out"))
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	if want := `volumes.csv:3:3: offered: not a number: "1,2x"`; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
}

func TestExamplesRun(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := t.TempDir()
			// A short check of every example: two replications, so the run
			// stays quick while every code path the example uses runs.
			code, _, stderr := dasim(t, "run", f, "--out", out, "--replications", "2")
			if code != exitOK && code != exitSLO {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			if code, _, stderr := dasim(t, "check", f); code != exitOK {
				t.Fatalf("check: exit %d; stderr:\n%s", code, stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"run"},
		{"run", "a.yaml", "b.yaml"},
		{"run", "--nope", "x.yaml"},
		{"run", "x.yaml", "--seed", "abc"},
		{"run", "x.yaml", "--replications", "1.5"},
		{"run", "x.yaml", "--replications"},
		{"frobnicate"},
	}
	for _, args := range cases {
		if code, _, _ := dasim(t, args...); code != exitUsage {
			t.Errorf("dasim %v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := dasim(t, "run", "/nonexistent/x.yaml"); code != exitUsage || !strings.Contains(stderr, "x.yaml") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
}

func TestSetValueMayHoldCommas(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "small.yaml", small)
	code, _, stderr := dasim(t, "run", file, "--out", filepath.Join(dir, "out"),
		"--set", "endpoints.crm.latency={dist: constant, value: 2s}", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Every lookup now takes 2 s at the endpoint, just under its timeout.
	if !strings.Contains(string(b), `"actions.lookup.latency.p50": {`) {
		t.Fatal("summary lacks the latency metric")
	}
}

func TestReportRendersAgainWithVerdictStatus(t *testing.T) {
	dir := t.TempDir()
	text := strings.Replace(small, "max: 10m", "max: 0s", 1)
	file := writeFile(t, dir, "small.yaml", text)
	out := filepath.Join(dir, "out")
	if code, _, stderr := dasim(t, "run", file, "--out", out); code != exitSLO {
		t.Fatalf("run: exit %d, want 1; %s", code, stderr)
	}
	again := filepath.Join(dir, "again")
	code, stdout, stderr := dasim(t, "report", filepath.Join(out, "summary.json"), "--out", again)
	if code != exitSLO {
		t.Fatalf("report: exit %d, want 1 (the recorded verdict); %s", code, stderr)
	}
	for _, f := range []string{"report.md", "report.html", "intervals.csv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, err := os.ReadFile(filepath.Join(again, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s rendered again differs from the run's (%v)", f, err)
		}
	}
	if !strings.Contains(stdout, "FAIL") {
		t.Errorf("report did not print the verdict:\n%s", stdout)
	}
	if code, _, _ := dasim(t, "report", filepath.Join(dir, "missing.json")); code != exitUsage {
		t.Errorf("missing summary: exit %d, want 2", code)
	}
	bad := writeFile(t, dir, "bad.json", "{not json")
	if code, _, _ := dasim(t, "report", bad); code != exitUsage {
		t.Errorf("malformed summary: exit %d, want 2", code)
	}
}

func TestZeroTimeLoopIsAnInputError(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "loop.yaml", `horizon: 1h
arrivals: {rate: 1/s}
endpoints:
  e: {latency: {dist: constant, value: 0s}, error_rate: 100%}
actions:
  a: {endpoint: e}
flows:
  entry: f
  f:
    steps:
      - action: a
        on_failure: [{queue: f}]
`)
	out := filepath.Join(dir, "out")
	code, _, stderr := dasim(t, "run", file, "--out", out)
	if code != exitUsage || !strings.Contains(stderr, "flows.f: ran 1000000 steps") {
		t.Fatalf("exit %d, stderr %q; want 2 and the loop named", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a looping scenario must write nothing")
	}
}
