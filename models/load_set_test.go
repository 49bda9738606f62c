package models

import (
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
			[]string{"--set endpoints.crm.workers=-3: must be a positive integer"}},
		{"bad nested value", []string{"endpoints.crm.latency={dist: constant, value: -1s}"},
			[]string{"--set endpoints.crm.latency={dist: constant, value: -1s}: endpoints.crm.latency.value: must not be negative"}},
		{"wrong unit", []string{"horizon=5 parsecs"},
			[]string{"--set horizon=5 parsecs: must be a duration like 150ms, 30s or 6m"}},
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
			[]string{"--set horizon={a: : cannot read the value as YAML: did not find expected node content"}},
		{"with a file problem, --set first", []string{"replications=0"},
			[]string{"--set replications=0: must be a positive integer",
				"s.yaml:5:14: endpoints.crm.workers: must be a positive integer, got 0"}},
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
