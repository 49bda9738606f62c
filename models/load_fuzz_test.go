package models

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestTestdataLoads loads every scenario in testdata, which also seed the
// fuzzer.
func TestTestdataLoads(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := Load(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, sc)
		})
	}
}

// TestVolumesTestdata spot-checks testdata/volumes.yaml, whose CSV path is
// relative to the scenario's directory.
func TestVolumesTestdata(t *testing.T) {
	t.Parallel()
	sc, err := Load("testdata/volumes.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	// 2024-03-05 is the busiest day (590 against 540).
	if sc.Arrivals.Source != "volumes.csv, 2024-03-05 (busiest)" || len(sc.Arrivals.Base) != 3 {
		t.Errorf("arrivals = %+v", sc.Arrivals)
	}
	want := "arrivals: volumes cover 07:00–08:30; the run's 06:30–07:00 and 08:30–09:00 have no arrivals"
	if len(sc.Warnings) != 1 || sc.Warnings[0] != want {
		t.Errorf("Warnings = %q, want %q", sc.Warnings, want)
	}
}

// FuzzParseScenario feeds arbitrary bytes and one --set argument to Parse:
// it may refuse them, but only with an *InputError, and whatever it
// accepts must hold every invariant.
func FuzzParseScenario(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
		f.Add(data, "horizon=2h")
	}
	f.Add([]byte(baseYAML), "endpoints.crm.latency={dist: mixture, of: [{weight: 1, dist: constant, value: 1}]}")
	f.Add([]byte(baseYAML), "arrivals.bursts=[{start: \"01:00\", duration: 1m, multiplier: 2}]")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		sc, err := Parse("fuzz.yaml", data, "testdata", sets)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("Parse error %T is not an *InputError with problems: %v", err, err)
			}
			for _, p := range ie.Problems {
				if p.Msg == "" {
					t.Fatalf("a problem without a message: %+v", p)
				}
			}
			return
		}
		checkInvariants(t, sc)
	})
}

// checkInvariants checks what the builder relies on in an accepted
// scenario, beyond Validate: that every distribution samples finite,
// non-negative values.
func checkInvariants(t *testing.T, sc *Scenario) {
	t.Helper()
	if err := sc.Validate(); err != nil {
		t.Fatalf("accepted scenario fails Validate: %v", err)
	}
	if len(sc.SHA256) != 64 {
		t.Fatalf("SHA256 = %q", sc.SHA256)
	}
	r := newRand(3)
	walkDists(sc, func(what string, d *Dist) {
		m := d.Mean()
		if math.IsNaN(m) || math.IsInf(m, 0) || m < 0 {
			t.Fatalf("%s: Mean() = %g", what, m)
		}
		s := d.Sampler(r)
		for range 20 {
			if x := s.Sample(); math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Fatalf("%s: Sample() = %g for %+v", what, x, d)
			}
		}
	})
}

// walkDists calls fn on every distribution of sc.
func walkDists(sc *Scenario, fn func(what string, d *Dist)) {
	if sc.Arrivals.Busyness != nil {
		fn("busyness", sc.Arrivals.Busyness)
	}
	fn("overhead", &sc.Platform.Overhead)
	for i := range sc.Endpoints {
		fn("latency", &sc.Endpoints[i].Latency)
	}
	for i := range sc.Actions {
		if c := sc.Actions[i].Cache; c != nil {
			fn("cache latency", &c.Latency)
		}
	}
	var steps func([]Step)
	steps = func(ss []Step) {
		for i := range ss {
			if ss[i].Wait != nil {
				fn("wait", ss[i].Wait)
			}
			if ss[i].Every != nil {
				fn("every", ss[i].Every)
			}
			steps(ss[i].OnFailure)
			steps(ss[i].OnTimeout)
			steps(ss[i].Steps)
		}
	}
	for i := range sc.Flows {
		steps(sc.Flows[i].Steps)
	}
	for i := range sc.Queues {
		q := &sc.Queues[i]
		fn("handle_time", &q.HandleTime)
		if q.Patience != nil {
			fn("patience", q.Patience)
		}
		if q.InQueue != nil {
			fn("in_queue every", &q.InQueue.Every)
			steps(q.InQueue.Steps)
		}
	}
}
