package models

import (
	"math"
	"strings"
	"testing"
)

func TestSetOverrides(t *testing.T) {
	t.Parallel()
	sc, err := Load("testdata/full.yaml", []string{
		"endpoints.crm.workers=20",
		"arrivals.bursts[0].multiplier=3",
		"endpoints.crm.latency={dist: constant, value: 1s}",
		"flows.inbound.steps[1].timeout=2s",
		"queues.general.transfer={probability: 50%, to: support}",
		"horizon=2h",
		"horizon=3h", // a later --set wins
		"arrivals.rate=300/min",
		`start="09:30"`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := sc.Endpoints[0].Workers; len(w) != 1 || w[0].N != 20 {
		t.Errorf("workers = %+v, want 20", w)
	}
	if sc.Arrivals.Bursts[0].Multiplier != 3 {
		t.Errorf("burst multiplier = %v, want 3", sc.Arrivals.Bursts[0].Multiplier)
	}
	if l := sc.Endpoints[0].Latency; l.Kind != DistConstant || l.Value != 1 {
		t.Errorf("latency = %+v, want constant 1s", l)
	}
	if st := sc.Flows[0].Steps[1]; st.Timeout != 2 || st.Action != "lookup_customer" {
		t.Errorf("step = %+v, want timeout 2", st)
	}
	if tr := sc.Queues[1].Transfer; tr == nil || tr.Probability != 0.5 || tr.To != "support" {
		t.Errorf("transfer = %+v", tr)
	}
	if sc.Horizon != 3*3600 || sc.Arrivals.Base[0].Rate != 5 || sc.Start != 9.5*3600 {
		t.Errorf("horizon, rate, start = %v, %v, %v", sc.Horizon, sc.Arrivals.Base[0].Rate, sc.Start)
	}

	// Missing mappings on the way are created.
	sc = mustParse(t, baseYAML, "platform.data_actions.max_in_flight=10",
		"queues.support.patience={dist: exponential, mean: 1m}")
	if sc.Platform.MaxInFlight != 10 || sc.Platform.Timeout != 60 {
		t.Errorf("platform = %+v, want max_in_flight 10 and defaults", sc.Platform)
	}
	if p := sc.Queues[0].Patience; p == nil || p.MeanParam != 60 {
		t.Errorf("patience = %+v", p)
	}

	// So is an empty mapping ("platform:" with nothing after it).
	sc = mustParse(t, baseYAML+"platform:\n", "platform.data_actions.timeout=5s")
	if sc.Platform.Timeout != 5 {
		t.Errorf("platform timeout = %v, want 5", sc.Platform.Timeout)
	}
}

func TestSetProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		sets []string
		want []string
	}{
		{"bad value", []string{"endpoints.crm.workers=-3"},
			[]string{"--set endpoints.crm.workers=-3: must be a positive integer, got -3"}},
		{"bad nested value", []string{"endpoints.crm.latency={dist: constant, value: -1s}"},
			[]string{"--set endpoints.crm.latency={dist: constant, value: -1s}: endpoints.crm.latency.value: must not be negative, got -1s"}},
		{"wrong unit", []string{"horizon=5 parsecs"},
			[]string{`--set horizon=5 parsecs: must be a duration like 150ms, 30s or 6m, got "5 parsecs"`}},
		{"unknown key", []string{"endpoints.crm.wokers=3"},
			[]string{`--set endpoints.crm.wokers=3: endpoints.crm: unknown key "wokers"; did you mean "workers"?`}},
		{"no such item", []string{"flows.inbound.steps[5].timeout=1s"},
			[]string{"--set flows.inbound.steps[5].timeout=1s: flows.inbound.steps has no item 5 (it has 2)"}},
		{"not a list", []string{"horizon[0]=1"},
			[]string{"--set horizon[0]=1: horizon is not a list"}},
		{"not a mapping", []string{"horizon.x=1"},
			[]string{"--set horizon.x=1: horizon is not a mapping"}},
		{"no equals sign", []string{"horizon"},
			[]string{"--set horizon: must be key.path=value, e.g. endpoints.crm.workers=20"}},
		{"bad path", []string{"a..b=1"},
			[]string{`--set a..b=1: "a..b" is not a key path like endpoints.crm.workers or arrivals.bursts[0].multiplier`}},
		{"bad YAML", []string{"horizon={a: "},
			[]string{"--set horizon={a: : not one YAML value: did not find expected node content"}},
		{"with a file problem, --set first", []string{"replications=0"},
			[]string{"--set replications=0: must be a positive integer, got 0",
				"s.yaml:5:14: endpoints.crm.workers: must be a positive integer, got 0"}},
		// A value from --set is reported against the argument, never
		// against the line of the file whose value it replaced.
		{"empty value", []string{"horizon="},
			[]string{"--set horizon=: needs a value"}},
		{"empty value for a new key", []string{"arrivals={volumes: {counts: [1], interval: }}"},
			[]string{"--set arrivals={volumes: {counts: [1], interval: }}: arrivals.volumes.interval: needs a value"}},
		{"a second arrival kind from --set", []string{"arrivals.volumes={counts: [1], interval: 1m}"},
			[]string{"--set arrivals.volumes={counts: [1], interval: 1m}: arrivals: has both rate and volumes; give exactly one of rate, concurrency, volumes or trace"}},
		{"a key from --set that the file also has", []string{"arrivals.concurrency={interactions: 10, handle_time: 5m}"},
			[]string{"--set arrivals.concurrency={interactions: 10, handle_time: 5m}: arrivals: has both rate and concurrency; give exactly one of rate, concurrency, volumes or trace"}},
		{"empty step kind", []string{"flows.inbound.steps[0]={action: }"},
			[]string{"--set flows.inbound.steps[0]={action: }: flows.inbound.steps[0].action: needs a value"}},
		{"seed above uint64", []string{"seed=18446744073709551616"},
			[]string{"--set seed=18446744073709551616: must be a non-negative integer of at most 18446744073709551615, got 18446744073709551616"}},
		{"negative seed", []string{"seed=-1"},
			[]string{"--set seed=-1: must be a non-negative integer, got -1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := baseYAML
			if strings.Contains(tc.name, "file problem") {
				src = edit(t, "workers: 4", "workers: 0")
			}
			got := problems(t, src, "", tc.sets...)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestParseKeyPath(t *testing.T) {
	t.Parallel()
	segs, ok := parseKeyPath("arrivals.bursts[0].multiplier")
	if !ok || len(segs) != 4 || segs[0].key != "arrivals" || segs[1].key != "bursts" || segs[2].index != 0 || segs[3].key != "multiplier" {
		t.Errorf("parseKeyPath = %+v, %v", segs, ok)
	}
	segs, ok = parseKeyPath("a[1][2]")
	if !ok || len(segs) != 3 || segs[1].index != 1 || segs[2].index != 2 {
		t.Errorf("parseKeyPath(a[1][2]) = %+v, %v", segs, ok)
	}
	for _, bad := range []string{"", ".", "a.", ".a", "a[", "a[x]", "a[-1]", "a[1", "[0]", "a[0]b", "a[ 1]"} {
		if segs, ok := parseKeyPath(bad); ok {
			t.Errorf("parseKeyPath(%q) = %+v, want failure", bad, segs)
		}
	}
}

// TestSetTakesOneValue refuses a --set value with text after it: yaml.v3
// would read the first value and drop the rest without a word.
func TestSetTakesOneValue(t *testing.T) {
	t.Parallel()
	long := "arrivals.bursts=[" + strings.Repeat(" ", 600) + "] junk"
	for _, tc := range []struct {
		name, set, want string
	}{
		{"a second key after a comma",
			"endpoints.crm.latency={dist: constant, value: 2s},endpoints.crm.workers=3",
			`--set endpoints.crm.latency={dist: constant, value: 2s},endpoints.crm.workers=3: not one YAML value: ",endpoints.crm.workers=3" follows it; give each key its own --set`},
		{"words after a mapping",
			"endpoints.crm.latency={dist: constant, value: 2s} garbage here",
			`--set endpoints.crm.latency={dist: constant, value: 2s} garbage here: not one YAML value: "garbage here" follows it`},
		{"a word after a list", "arrivals.bursts=[] junk",
			`--set arrivals.bursts=[] junk: not one YAML value: "junk" follows it`},
		{"a word after a quoted string", `start="09:30" x`,
			`--set start="09:30" x: not one YAML value: "x" follows it`},
		{"too long to point at", long,
			"--set " + long + ": not one YAML value: more text follows it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, baseYAML, "", tc.set)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems %q\nwant %q", got, tc.want)
			}
		})
	}

	// A message with newlines would not fit the table above.
	if _, msg := oneYAMLValue("1h\n---\n2h"); msg != "it holds more than one YAML document" {
		t.Errorf("oneYAMLValue(two documents) = %q", msg)
	}
	if n, msg := oneYAMLValue("1h\n...\n"); msg != "" || n.Value != "1h" {
		t.Errorf("oneYAMLValue(a document end) = %+v, %q", n, msg)
	}

	// Commas, spaces and comments inside one value are fine.
	sc := mustParse(t, baseYAML, "endpoints.crm.latency={dist: constant, value: 2s}",
		"endpoints.crm.workers=3 # three", "name=a, b and c", "arrivals.bursts=[]")
	if l := sc.Endpoints[0].Latency; l.Kind != DistConstant || l.Value != 2 {
		t.Errorf("latency = %+v, want constant 2s", l)
	}
	if w := sc.Endpoints[0].Workers; len(w) != 1 || w[0].N != 3 {
		t.Errorf("workers = %+v, want 3", w)
	}
	if sc.Name != "a, b and c" || len(sc.Arrivals.Bursts) != 0 {
		t.Errorf("name, bursts = %q, %+v", sc.Name, sc.Arrivals.Bursts)
	}
}

// TestSeedTakesAllOfUint64 accepts seeds above the int64 range.
func TestSeedTakesAllOfUint64(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, baseYAML, "seed=18446744073709551615")
	if sc.Seed != math.MaxUint64 {
		t.Errorf("Seed = %d, want %d", sc.Seed, uint64(math.MaxUint64))
	}
	sc = mustParse(t, "seed: 9223372036854775808\n"+baseYAML)
	if sc.Seed != 1<<63 {
		t.Errorf("Seed = %d, want 2^63", sc.Seed)
	}
	got := problems(t, "seed: 1.5\n"+baseYAML, "")
	if want := "s.yaml:1:7: seed: must be a non-negative integer, got 1.5"; len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want %q", got, want)
	}
}
