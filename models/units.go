package models

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// This file parses the literals of SCENARIO.md's "Units and literals"
// table. Each parser takes the text as written and returns SI units:
// seconds, per second, a fraction in 0..1, or seconds after 00:00.

// errNotNumber is returned by parseNumber for text that is not a finite
// number.
var errNotNumber = errors.New("models: not a finite number")

// parseNumber reads a finite decimal number ("2", "-0.5", "1e3").
// Infinities and NaN, which strconv accepts, are refused.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errNotNumber
	}
	return v, nil
}

// durationUnits are the suffixes a duration may use, in seconds. "ms" comes
// before "m" so that the longer suffix wins.
var durationUnits = []struct {
	suffix  string
	seconds float64
}{
	{"ms", 0.001},
	{"h", 3600},
	{"m", 60},
	{"s", 1},
}

// parseDuration reads a duration: a bare number of seconds ("2.5"), or one
// or more number-unit terms with units h, m, s and ms ("150ms", "1h30m",
// "2.5s"). A leading minus sign is accepted so that callers can say
// "must not be negative" rather than "not a duration".
func parseDuration(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if v, err := parseNumber(s); err == nil {
		return v, nil
	}
	bad := fmt.Errorf("models: not a duration: %q", s)
	sign := 1.0
	rest := s
	if strings.HasPrefix(rest, "-") {
		sign, rest = -1, rest[1:]
	} else if strings.HasPrefix(rest, "+") {
		rest = rest[1:]
	}
	if rest == "" {
		return 0, bad
	}
	total := 0.0
	for rest != "" {
		// The number: digits with at most one decimal point.
		i := 0
		dots := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			if rest[i] == '.' {
				dots++
			}
			i++
		}
		if i == 0 || dots > 1 || rest[:i] == "." {
			return 0, bad
		}
		num, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, bad
		}
		rest = rest[i:]

		// The unit.
		matched := false
		for _, u := range durationUnits {
			if strings.HasPrefix(rest, u.suffix) {
				total += num * u.seconds
				rest = rest[len(u.suffix):]
				matched = true
				break
			}
		}
		if !matched {
			return 0, bad
		}
	}
	if math.IsInf(total, 0) || math.IsNaN(total) {
		return 0, bad
	}
	return sign * total, nil
}

// rateUnits are the denominators a rate may use, in seconds.
var rateUnits = map[string]float64{
	"s":   1,
	"min": 60,
	"m":   60,
	"h":   3600,
}

// parseRate reads a rate: a bare number per second, or a number over a
// unit ("2.5/s", "300/min", "9000/h"; "/m" means per minute too). The
// result is per second.
func parseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if v, err := parseNumber(s); err == nil {
		return v, nil
	}
	bad := fmt.Errorf("models: not a rate: %q", s)
	num, unit, ok := strings.Cut(s, "/")
	if !ok {
		return 0, bad
	}
	v, err := parseNumber(num)
	if err != nil {
		return 0, bad
	}
	per, ok := rateUnits[strings.TrimSpace(unit)]
	if !ok {
		return 0, bad
	}
	return v / per, nil
}

// parseFraction reads a fraction, "0.5%" or "0.005", and checks that it
// lies in 0..1.
func parseFraction(s string) (float64, error) {
	s = strings.TrimSpace(s)
	scale := 1.0
	if t, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = strings.TrimSpace(t), 0.01
	}
	v, err := parseNumber(s)
	if err != nil {
		return 0, fmt.Errorf("models: not a fraction: %q", s)
	}
	v *= scale
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("models: fraction %g outside 0..1", v)
	}
	return v, nil
}

// parseClock reads a time of day, "09:30" or "09:30:00" (one or two hour
// digits, 00 to 23), and returns seconds after 00:00.
func parseClock(s string) (float64, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("models: not a clock time: %q", s)
	parts := strings.Split(s, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return 0, bad
	}
	limits := []int{23, 59, 59}
	secs := []int{3600, 60, 1}
	total := 0
	for i, p := range parts {
		if len(p) != 2 && !(i == 0 && len(p) == 1) {
			return 0, bad
		}
		v := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, bad
			}
			v = v*10 + int(c-'0')
		}
		if v > limits[i] {
			return 0, bad
		}
		total += v * secs[i]
	}
	return float64(total), nil
}

// nameRE is the form of every name: endpoints, actions, flows, queues and
// limits.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// validName reports whether s is a valid name.
func validName(s string) bool { return nameRE.MatchString(s) }

// formatSeconds writes a duration in seconds the way a user would write it
// in a scenario file: "150ms", "60s", "6m", "2h". Below 2 minutes it stays
// in seconds, as timeouts are usually written.
func formatSeconds(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0s"
	case a < 1:
		return strconv.FormatFloat(v*1000, 'g', -1, 64) + "ms"
	case a >= 7200 && math.Mod(v, 3600) == 0:
		return strconv.FormatFloat(v/3600, 'g', -1, 64) + "h"
	case a >= 120 && math.Mod(v, 60) == 0:
		return strconv.FormatFloat(v/60, 'g', -1, 64) + "m"
	}
	return strconv.FormatFloat(v, 'g', -1, 64) + "s"
}

// formatClock writes seconds on the timeline as a clock time, "07:00" or
// "07:00:30", with the day before it after day 0: "+1d 07:00", as the
// report's clock labels write it.
func formatClock(t float64) string {
	s := int64(math.Round(t))
	day, h, m, sec := s/86400, s/3600%24, s/60%60, s%60
	var b strings.Builder
	if day > 0 {
		fmt.Fprintf(&b, "+%dd ", day)
	}
	fmt.Fprintf(&b, "%02d:%02d", h, m)
	if sec != 0 {
		fmt.Fprintf(&b, ":%02d", sec)
	}
	return b.String()
}

// formatCount writes a whole number with thousands separators,
// "36,000,000"; from 1e15 on, where float64 stops holding every integer, in
// exponent form ("2.7e+306").
func formatCount(n float64) string {
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return "more than 1e+308" // a count is never NaN; say something
	}
	if math.Abs(n) >= 1e15 {
		return strconv.FormatFloat(n, 'g', 2, 64)
	}
	digits := strconv.FormatInt(int64(math.Abs(math.Round(n))), 10)
	var b strings.Builder
	if n < 0 && digits != "0" {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatAbout writes an estimate to two significant digits: "72,000,000",
// or "3.6e+16" from 1e12 on, where the zeros stop being readable.
func formatAbout(n float64) string {
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return formatCount(n)
	}
	if math.Abs(n) >= 1e12 {
		return strconv.FormatFloat(n, 'g', 2, 64)
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(n, 'g', 2, 64), 64)
	return formatCount(v)
}
