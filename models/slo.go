package models

import (
	"fmt"
	"math"
)

// SLOVerdict is the judgement of one SLO entry on a run's results.
type SLOVerdict struct {
	SLO
	Value float64 // NaN when the metric is undefined
	Pass  bool
	// Confident is false when the metric's 95% interval straddles a bound:
	// more replications or a longer horizon would be needed to be sure.
	Confident bool
}

// JudgeSLOs checks every SLO of sc against res. It returns the verdicts,
// whether all pass, and warnings for undefined and unsure entries.
func JudgeSLOs(sc *Scenario, res *Results) (verdicts []SLOVerdict, pass bool, warnings []string) {
	pass = true
	for _, o := range sc.SLO {
		st := res.Metrics[o.Metric]
		v := SLOVerdict{SLO: o, Value: st.Value, Pass: true, Confident: true}
		if !st.Defined() {
			v.Pass, v.Confident = false, false
			warnings = append(warnings, fmt.Sprintf("slo %s: the metric is undefined in every replication (nothing was observed), so the objective fails", o.Metric))
		} else {
			if o.Min != nil && st.Value < *o.Min {
				v.Pass = false
			}
			if o.Max != nil && st.Value > *o.Max {
				v.Pass = false
			}
			if !st.HasCI() {
				v.Confident = false
				warnings = append(warnings, fmt.Sprintf("slo %s: defined in %d replication(s) only, so it has no confidence interval; the verdict is not confident", o.Metric, st.N))
			} else if straddles(st, o.Min) || straddles(st, o.Max) {
				v.Confident = false
				warnings = append(warnings, fmt.Sprintf("slo %s: the 95%% interval [%.4g, %.4g] straddles the bound; the verdict is not confident", o.Metric, st.Lo, st.Hi))
			}
		}
		if !v.Pass {
			pass = false
		}
		verdicts = append(verdicts, v)
	}
	return verdicts, pass, warnings
}

func straddles(st Stat, bound *float64) bool {
	return bound != nil && !math.IsNaN(st.Lo) && st.Lo < *bound && *bound < st.Hi
}
