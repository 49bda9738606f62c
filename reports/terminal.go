package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// WriteTerminal prints the short summary a run ends with: the key metrics
// with their 95% CI half-widths (less the timeouts and refusals that never
// happened), the SLO table, the verdict, the warnings
// and where the HTML report is. It is plain text in aligned columns, with
// no colours, so it reads the same in a terminal, a log or a ticket. dir
// is the bundle's directory; an empty dir leaves out the report line.
func WriteTerminal(w io.Writer, s *Summary, dir string) error {
	if s == nil {
		return fmt.Errorf("reports: nil summary")
	}
	r := buildReport(s)
	var b strings.Builder

	fmt.Fprintf(&b, "%s\n", r.Title)
	if line := runLine(s); line != "" {
		fmt.Fprintf(&b, "%s\n", line)
	}

	if len(r.Key) > 0 {
		rows := [][]string{{"metric", "value", "±95% CI", "compared with"}}
		for _, k := range r.Key {
			if !k.Quiet && !neverHappened(s, k.Metric) {
				rows = append(rows, []string{k.Metric, k.Value, k.PM, k.Note})
			}
		}
		b.WriteString("\n")
		writeColumns(&b, rows, []bool{false, true, true, false})
	}

	if len(r.SLOs) > 0 {
		rows := [][]string{{"SLO", "target", "value", "result"}}
		for _, e := range r.SLOs {
			result := e.Result()
			if !e.Confident {
				result += " (not confident)"
			}
			rows = append(rows, []string{e.Metric, e.Bound, e.Value, result})
		}
		b.WriteString("\n")
		writeColumns(&b, rows, []bool{false, false, true, false})
	}

	b.WriteString("\n")
	fmt.Fprintf(&b, "verdict: %s\n", verdictLine(s, r))
	if line := callersSentence(s); line != "" {
		// Never answered callers can leave every SLO holding.
		fmt.Fprintf(&b, "unanswered: %s\n", strings.TrimSuffix(line, "."))
	}
	if line := bindsFirstLine(r.Limits); line != "" {
		fmt.Fprintf(&b, "binds first: %s\n", line)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warn)
	}
	if dir != "" {
		fmt.Fprintf(&b, "report: %s\n", filepath.ToSlash(filepath.Join(dir, htmlFile)))
	}

	_, err := io.WriteString(w, b.String())
	return err
}

// neverHappened reports whether name counts calls that timed out or were
// refused and none did in any replication. The terminal leaves such rows
// out to stay on one screen; "failed" stays, as it says that all went well.
func neverHappened(s *Summary, name string) bool {
	if !strings.HasSuffix(name, ".timeouts") && !strings.HasSuffix(name, ".rejected") {
		return false
	}
	m := s.Metrics[name]
	return m.Value != nil && *m.Value == 0 && (m.CI95 == nil || *m.CI95 == [2]float64{})
}

// runLine says how the run was made, in one line.
func runLine(s *Summary) string {
	var parts []string
	if s.Replications > 0 {
		parts = append(parts, plural(s.Replications, "replication", "replications"))
	}
	parts = append(parts, fmt.Sprintf("seed %d", s.Seed))
	if x := s.Context; x.Horizon > 0 {
		span := clockTime(x.Start) + " to " + clockTime(x.Start+x.Horizon)
		if x.Warmup > 0 {
			span += " (" + formatDuration(x.Warmup) + " warm-up)"
		}
		parts = append(parts, span)
	}
	return strings.Join(parts, ", ")
}

// verdictLine is "PASS" or "FAIL" and how many SLOs failed.
func verdictLine(s *Summary, r *report) string {
	if len(s.SLO) == 0 {
		return r.Verdict + " (no SLOs set)"
	}
	failed, shaky := 0, 0
	for _, e := range s.SLO {
		if !e.Pass {
			failed++
		}
		if !e.Confident {
			shaky++
		}
	}
	line := fmt.Sprintf("%s (%d of %s failed", r.Verdict, failed,
		plural(len(s.SLO), "SLO", "SLOs"))
	if shaky > 0 {
		line += fmt.Sprintf(", %d not confident", shaky)
	}
	return line + ")"
}

// bindsFirstLine names the limit closest to binding and the next one, in
// a few words: "max_in_flight (refuses 0.04%), then support agents (96.8%
// busy in the busiest interval)". When the run used no limit at all, it
// says so; when no limit reports its use, it is empty.
func bindsFirstLine(ls []limitUse) string {
	if len(ls) == 0 {
		return ""
	}
	if !ls[0].used() {
		// The order puts a limit with a known use before every unknown one.
		if finite(ls[0].util) {
			return "no limit was used"
		}
		return ""
	}
	line := ls[0].brief()
	if len(ls) > 1 && ls[1].used() {
		line += ", then " + ls[1].brief()
	}
	return line
}

// writeColumns lays rows out in columns two spaces apart, padding by
// characters (not bytes, for "±" and "≤"); right[i] right-aligns column i.
// The last column is not padded, and no line ends in spaces.
func writeColumns(b *strings.Builder, rows [][]string, right []bool) {
	widths := make([]int, len(right))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}

	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("  ")
			}
			switch {
			case right[i]:
				line.WriteString(pad + c)
			case i < len(row)-1:
				line.WriteString(c + pad)
			default:
				line.WriteString(c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
}
