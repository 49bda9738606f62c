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
	return formatDurationDigits(sec, 0)
}

// formatDurationDigits is [formatDuration] with extra more decimals in
// the last unit, for bounds that would otherwise read the same.
func formatDurationDigits(sec float64, extra int) string {
	if !finite(sec) {
		return dash
	}
	if sec < 0 {
		return "-" + formatDurationDigits(-sec, extra)
	}
	fixed := func(v float64, decimals int) string {
		return trimZeros(strconv.FormatFloat(v, 'f', decimals+extra, 64))
	}

	switch ms := sec * 1000; {
	case sec == 0:
		return "0 s"
	case ms < 0.01:
		return "<0.01 ms"
	case ms < 10:
		return fixed(ms, 2) + " ms"
	case ms < 100:
		return fixed(ms, 1) + " ms"
	case math.Round(ms) < 1000:
		return fixed(ms, 0) + " ms"
	case math.Round(sec*10) < 600:
		return fixed(sec, 1) + " s"
	}

	// Minutes and seconds below an hour, hours and minutes above; the
	// smaller unit is rounded first, so that it never reads 60.
	big, small, name := 60.0, 1.0, [2]string{"m", "s"}
	if math.Round(sec) >= 3600 {
		big, small, name = 3600, 60, [2]string{"h", "min"}
	}
	k := math.Pow(10, float64(extra))
	total := math.Round(sec/small*k) / k
	whole := math.Floor(total / (big / small))
	rest := total - whole*(big/small)
	if rest < 1e-9 {
		if name[0] == "m" {
			return fmt.Sprintf("%.0f min", whole)
		}
		return fmt.Sprintf("%.0f h", whole)
	}
	return fmt.Sprintf("%.0f %s %s %s", whole, name[0], fixed(rest, 0), name[1])
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
	return formatPercentDigits(frac, 0)
}

// formatPercentDigits is [formatPercent] with extra more decimals.
func formatPercentDigits(frac float64, extra int) string {
	if !finite(frac) {
		return dash
	}
	p := frac * 100
	fixed := func(decimals int) string {
		return trimZeros(strconv.FormatFloat(p, 'f', decimals+extra, 64)) + "%"
	}

	switch a := math.Abs(p); {
	case p == 0:
		return "0%"
	case a >= 10:
		return fixed(1)
	case a >= 0.1:
		return fixed(2)
	case a >= 0.0001:
		// Two significant digits, never in exponent form.
		return fixed(1 - int(math.Floor(math.Log10(a))))
	case p > 0:
		return "<0.0001%"
	default:
		return "-<0.0001%"
	}
}

// formatRatio writes a utilization as a whole percentage, "50%", with one
// decimal near the limit, where it matters: "99.6%".
func formatRatio(u float64) string {
	if !finite(u) {
		return dash
	}
	if u >= 0.95 && u < 1.05 && math.Round(u*100) != u*100 {
		return fmt.Sprintf("%.1f%%", u*100)
	}
	return fmt.Sprintf("%.0f%%", u*100)
}

// formatCount writes a count with thousands separators: "72,034". Counts
// are replication means, so values under 100 keep one decimal when they
// have one ("31.4"); larger ones are rounded to whole numbers.
func formatCount(v float64) string {
	return formatCountDigits(v, 0)
}

// formatCountDigits is [formatCount] with extra more decimals.
func formatCountDigits(v float64, extra int) string {
	if !finite(v) {
		return dash
	}
	if math.Abs(v) < 100 {
		return trimZeros(strconv.FormatFloat(v, 'f', 1+extra, 64))
	}
	if extra == 0 {
		return groupThousands(math.Round(v))
	}
	s := strconv.FormatFloat(v, 'f', extra, 64)
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.ParseFloat(whole, 64)
	return trimZeros(groupThousands(w) + "." + frac)
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
	return formatValueDigits(unit, v, 0)
}

// formatValueDigits is [formatValue] with extra more decimals.
func formatValueDigits(unit string, v float64, extra int) string {
	switch unit {
	case unitSeconds:
		return formatDurationDigits(v, extra)
	case unitFraction:
		return formatPercentDigits(v, extra)
	default:
		return formatCountDigits(v, extra)
	}
}

// maxExtraDigits bounds the decimals added to tell two bounds apart.
const maxExtraDigits = 3

// boundDigits is how many more decimals than usual it takes to write lo
// and hi differently, so that a narrow interval does not read as exact;
// 0 when they differ already or are equal.
func boundDigits(unit string, lo, hi float64) int {
	if lo == hi {
		return 0
	}
	for extra := 0; extra < maxExtraDigits; extra++ {
		if formatValueDigits(unit, lo, extra) != formatValueDigits(unit, hi, extra) {
			return extra
		}
	}
	return maxExtraDigits
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
