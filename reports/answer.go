package reports

import (
	"fmt"
	"strings"
)

// answer writes the report's opening paragraph, for a support engineer to
// paste into a reply: the headline says which SLOs fail, and the rest gives
// the few numbers behind it in plain words. Each sentence is left out when
// its numbers are missing.
func answer(s *Summary, limits []limitUse) (headline, rest string) {
	parts := []string{
		peakSentence(s),
		actionsSentence(s),
		platformSentence(s),
		queuesSentence(s),
	}
	if len(limits) > 0 && (limits[0].rejected > 0 || finite(limits[0].util)) {
		parts = append(parts, limitSentence(limits))
	}

	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return verdictSentence(s), strings.Join(kept, " ")
}

// verdictSentence says which SLOs fail, or that all hold, and which are
// too close to call.
func verdictSentence(s *Summary) string {
	if len(s.SLO) == 0 {
		return "No SLOs were set, so nothing was checked against a target."
	}

	var failed, shaky []string
	for _, e := range s.SLO {
		unit := unitOf(s, e.Metric)
		if !e.Pass {
			failed = append(failed, fmt.Sprintf("%s is %s (target %s)",
				e.Metric, formatPtr(unit, e.Value), boundText(unit, e.Min, e.Max)))
		}
		if !e.Confident {
			shaky = append(shaky, e.Metric)
		}
	}

	var b strings.Builder
	if len(failed) == 0 {
		fmt.Fprintf(&b, "All %s hold.", plural(len(s.SLO), "SLO", "SLOs"))
	} else {
		fmt.Fprintf(&b, "%d of %s %s: %s.", len(failed), plural(len(s.SLO), "SLO", "SLOs"),
			pick(len(failed) == 1, "fails", "fail"), strings.Join(failed, "; "))
	}
	if len(shaky) > 0 {
		fmt.Fprintf(&b, " Too close to call, as the 95%% CI straddles the target: %s.",
			strings.Join(shaky, ", "))
	}
	return b.String()
}

// peakSentence describes routing in the busiest interval, or over the run
// when the interval table lacks routing columns.
func peakSentence(s *Summary) string {
	iv, by := busiestInterval(s)
	if iv != nil {
		mean, okMean := cellValue(iv, "routing.delay.mean")
		p90, okP90 := cellValue(iv, "routing.delay.p90")
		n, _ := cellValue(iv, by)
		what := fmt.Sprintf("%s %s", formatCount(n), byWords(by))
		if okMean && okP90 {
			return fmt.Sprintf("In the busiest interval, from %s (%s), callers waited %s on "+
				"average from arrival until an agent answered (p90 %s).", iv.Label, what,
				formatDuration(mean), formatDuration(p90))
		}
	}

	mean, okMean := metricValue(s, "routing.delay.mean")
	p90, okP90 := metricValue(s, "routing.delay.p90")
	if !okMean || !okP90 {
		return ""
	}
	return fmt.Sprintf("Over the run, callers waited %s on average from arrival until an "+
		"agent answered (p90 %s).", formatDuration(mean), formatDuration(p90))
}

// actionsSentence gives each action's p95 latency and how often it failed.
func actionsSentence(s *Summary) string {
	var parts []string
	for _, a := range s.Context.Actions {
		p := "actions." + a
		p95, okLat := metricValue(s, p+".latency.p95")
		failed, okFail := metricValue(s, p+".failed")
		timeouts, okTO := metricValue(s, p+".timeouts")

		var clauses []string
		if okLat {
			clauses = append(clauses, "answered within "+formatDuration(p95)+" at p95")
		}
		switch {
		case okTO && timeouts > 0:
			clauses = append(clauses, "timed out for "+formatPercent(timeouts)+" of calls")
			if okFail && failed > timeouts {
				clauses = append(clauses, "failed in all for "+formatPercent(failed))
			}
		case okFail && failed > 0:
			clauses = append(clauses, "failed for "+formatPercent(failed)+" of calls")
		case okFail:
			clauses = append(clauses, "never failed")
		}
		if len(clauses) > 0 {
			parts = append(parts, a+" "+joinAnd(clauses))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "The Data Action " + strings.Join(parts, "; ") + "."
}

// platformSentence compares the platform's peaks with its limits.
func platformSentence(s *Summary) string {
	var parts []string
	if v, ok := metricValue(s, "platform.per_minute.max"); ok {
		var lims []string
		for _, w := range s.Context.Windows {
			lim := perMinuteLimit(w)
			if finite(lim) && lim > 0 {
				lims = append(lims, fmt.Sprintf("%s of the %s limit of %s (%s)",
					formatCount(v), w.Name, formatCount(lim), formatRatio(v/lim)))
			}
		}
		if len(lims) > 0 {
			parts = append(parts, "the busiest minute used "+strings.Join(lims, " and "))
		} else {
			parts = append(parts, "the busiest minute ran "+formatCount(v)+" executions")
		}
	}
	if v, ok := metricValue(s, "platform.in_flight.max"); ok {
		if n := s.Context.MaxInFlight; n > 0 {
			parts = append(parts, fmt.Sprintf("executions in flight peaked at %s of %d (%s)",
				formatCount(v), n, formatRatio(v/float64(n))))
		} else {
			parts = append(parts, "executions in flight peaked at "+formatCount(v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "On the platform, " + strings.Join(parts, "; ") + "."
}

// queuesSentence gives each queue's service level, abandonment and
// occupancy.
func queuesSentence(s *Summary) string {
	var parts []string
	for _, q := range s.Context.Queues {
		p := "queues." + q.Name
		var clauses []string
		if v, ok := metricValue(s, p+".service_level"); ok {
			clauses = append(clauses, fmt.Sprintf("answered %s of callers within %s",
				formatPercent(v), formatDuration(q.ServiceLevel)))
		}
		if v, ok := metricValue(s, p+".abandoned"); ok {
			clauses = append(clauses, "lost "+formatPercent(v)+" to abandonment")
		}
		if v, ok := metricValue(s, p+".occupancy"); ok {
			clauses = append(clauses, "kept its agents "+formatPercent(v)+" busy")
		}
		if len(clauses) > 0 {
			parts = append(parts, "queue "+q.Name+" "+joinAnd(clauses))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return capitalize(strings.Join(parts, "; ")) + "."
}

// joinAnd joins clauses as "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// capitalize upper-cases the first letter when it is an ASCII letter.
// Names are [a-z][a-z0-9_]*, so this only touches sentence starts.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// plural writes "1 SLO" or "4 SLOs".
func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, pick(n == 1, one, many))
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
