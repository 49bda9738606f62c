package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Units of metrics, as summary.json writes them.
const (
	unitSeconds  = "s"
	unitFraction = "fraction"
	unitCount    = "count"
)

// dash stands for a value that is undefined (nil, NaN or infinite).
const dash = "–"

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// formatDuration writes a duration given in seconds the way a person
// reads it: "850 ms", "4.2 s", "20 s", "3 m 20 s", "5 min", "2 h 5 min".
// Below a second it keeps about three significant digits, up to a minute
// at most one decimal, above that whole seconds (whole minutes above an
// hour). Whole minutes are written "min", so "1 min" never reads as a
// metre.
func formatDuration(sec float64) string {
	if !finite(sec) {
		return dash
	}
	if sec < 0 {
		return "-" + formatDuration(-sec)
	}

	switch ms := sec * 1000; {
	case sec == 0:
		return "0 s"
	case ms < 0.01:
		return "<0.01 ms"
	case ms < 10:
		return trimZeros(strconv.FormatFloat(ms, 'f', 2, 64)) + " ms"
	case ms < 100:
		return trimZeros(strconv.FormatFloat(ms, 'f', 1, 64)) + " ms"
	case math.Round(ms) < 1000:
		return strconv.FormatFloat(math.Round(ms), 'f', 0, 64) + " ms"
	case math.Round(sec*10) < 600:
		return trimZeros(strconv.FormatFloat(sec, 'f', 1, 64)) + " s"
	}

	if total := int64(math.Round(sec)); total < 3600 {
		if total%60 == 0 {
			return fmt.Sprintf("%d min", total/60)
		}
		return fmt.Sprintf("%d m %d s", total/60, total%60)
	}
	total := int64(math.Round(sec / 60))
	if total%60 == 0 {
		return fmt.Sprintf("%d h", total/60)
	}
	return fmt.Sprintf("%d h %d min", total/60, total%60)
}

// trimZeros drops trailing zeros after a decimal point, and the point.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// formatPercent writes a fraction (0..1) as a percentage with the
// precision its size needs, without trailing zeros: "72.4%", "80%",
// "4.25%", "0.31%", "0.0042%".
func formatPercent(frac float64) string {
	if !finite(frac) {
		return dash
	}
	p := frac * 100

	switch a := math.Abs(p); {
	case p == 0:
		return "0%"
	case a >= 10:
		return trimZeros(strconv.FormatFloat(p, 'f', 1, 64)) + "%"
	case a >= 0.1:
		return trimZeros(strconv.FormatFloat(p, 'f', 2, 64)) + "%"
	case a >= 0.0001:
		// Two significant digits, never in exponent form.
		digits := 1 - int(math.Floor(math.Log10(a)))
		return trimZeros(strconv.FormatFloat(p, 'f', digits, 64)) + "%"
	case p > 0:
		return "<0.0001%"
	default:
		return "-<0.0001%"
	}
}

// formatCount writes a count with thousands separators: "72,034". Counts
// are replication means, so values under 100 keep one decimal when they
// have one ("31.4"); larger ones are rounded to whole numbers.
func formatCount(v float64) string {
	if !finite(v) {
		return dash
	}
	if math.Abs(v) < 100 {
		return trimZeros(strconv.FormatFloat(v, 'f', 1, 64))
	}
	return groupThousands(math.Round(v))
}

// groupThousands writes a whole number with a comma every three digits.
func groupThousands(v float64) string {
	digits := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(digits[:lead])
	for i := lead; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// formatValue writes v in the unit of a metric: a duration for "s", a
// percentage for "fraction", a count otherwise.
func formatValue(unit string, v float64) string {
	switch unit {
	case unitSeconds:
		return formatDuration(v)
	case unitFraction:
		return formatPercent(v)
	default:
		return formatCount(v)
	}
}

// formatPtr is [formatValue] for a value that may be missing.
func formatPtr(unit string, v *float64) string {
	if v == nil {
		return dash
	}
	return formatValue(unit, *v)
}

// unitOf guesses the unit of a metric from its name, for metrics that a
// summary mentions (in an SLO or an interval column) without listing them.
func unitOf(s *Summary, name string) string {
	if m, ok := s.Metrics[name]; ok && m.Unit != "" {
		return m.Unit
	}

	last := name[strings.LastIndexByte(name, '.')+1:]
	switch last {
	case "mean", "p50", "p90", "p95", "p99":
		if !strings.HasSuffix(name, "busy.mean") && !strings.HasSuffix(name, "queue.mean") &&
			!strings.HasSuffix(name, "in_flight.mean") {
			return unitSeconds
		}
	case "max":
		if strings.Contains(name, ".latency.") || strings.Contains(name, ".delay.") ||
			strings.Contains(name, ".wait.") || strings.Contains(name, ".response.") ||
			strings.Contains(name, ".duration.") {
			return unitSeconds
		}
	case "service_level", "service_level_answered", "abandoned", "occupancy", "utilization",
		"rejected", "rejected_queue", "rejected_rate_limit", "errors", "failed", "success",
		"timeouts", "failure_path":
		if !strings.HasPrefix(name, "interactions.") {
			return unitFraction
		}
	}
	return unitCount
}
