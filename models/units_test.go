package models

import (
	"math"
	"testing"
)

// closeTo compares with a relative tolerance of 1e-12, enough for the
// decimal arithmetic of unit conversion.
func closeTo(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want float64
	}{
		{"150ms", 0.15},
		{"30s", 30},
		{"6m", 360},
		{"8h", 28800},
		{"1h30m", 5400},
		{"1h30m15s", 5415},
		{"2.5s", 2.5},
		{".5s", 0.5},
		{"1m500ms", 60.5},
		{"42", 42},
		{"0.25", 0.25},
		{"0", 0},
		{"1e3", 1000},
		{" 3s ", 3},
		{"-3s", -3}, // callers say "must not be negative"
		{"-2", -2},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseDuration(tc.in)
			if err != nil || !closeTo(got, tc.want) {
				t.Errorf("parseDuration(%q) = %g, %v; want %g", tc.in, got, err, tc.want)
			}
		})
	}
	bad := []string{"", "5 parsecs", "5 s", "s", "ms", "1.2.3s", "3d", "1us", "10x", "inf", "NaN", "Infinity",
		"1h30", "h1", "--3s", "+", "1e400", "9e307h", "..5s", "1:30"}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			if got, err := parseDuration(in); err == nil {
				t.Errorf("parseDuration(%q) = %g, want an error", in, got)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want float64
	}{
		{"2.5/s", 2.5},
		{"300/min", 5},
		{"120/m", 2},
		{"9000/h", 2.5},
		{"2", 2},
		{"0.5", 0.5},
		{"1200 / min", 20},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseRate(tc.in)
			if err != nil || !closeTo(got, tc.want) {
				t.Errorf("parseRate(%q) = %g, %v; want %g", tc.in, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "2/d", "/s", "x/s", "2/", "2 per s", "2/s/s", "inf/s"} {
		t.Run("bad "+in, func(t *testing.T) {
			if got, err := parseRate(in); err == nil {
				t.Errorf("parseRate(%q) = %g, want an error", in, got)
			}
		})
	}
}

func TestParseFraction(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want float64
	}{
		{"0.5%", 0.005},
		{"0.005", 0.005},
		{"80%", 0.8},
		{"100%", 1},
		{"0", 0},
		{"1", 1},
		{"20 %", 0.2},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseFraction(tc.in)
			if err != nil || !closeTo(got, tc.want) {
				t.Errorf("parseFraction(%q) = %g, %v; want %g", tc.in, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "%", "5", "150%", "-1%", "-0.1", "half", "0.5%%", "NaN"} {
		t.Run("bad "+in, func(t *testing.T) {
			if got, err := parseFraction(in); err == nil {
				t.Errorf("parseFraction(%q) = %g, want an error", in, got)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want float64
	}{
		{"09:30", 9*3600 + 30*60},
		{"9:30", 9*3600 + 30*60},
		{"00:00", 0},
		{"23:59", 23*3600 + 59*60},
		{"09:30:15", 9*3600 + 30*60 + 15},
		{"23:59:59", 86399},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseClock(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("parseClock(%q) = %g, %v; want %g", tc.in, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "24:00", "9", "09:60", "09:5", "009:30", "09:30:60", "09:30:00:00", "ab:cd", "-1:30", "09h30"} {
		t.Run("bad "+in, func(t *testing.T) {
			if got, err := parseClock(in); err == nil {
				t.Errorf("parseClock(%q) = %g, want an error", in, got)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"crm", true}, {"lookup_customer", true}, {"q2", true}, {"a", true},
		{"", false}, {"Crm", false}, {"2q", false}, {"_x", false}, {"a-b", false}, {"a b", false}, {"é", false},
	} {
		if got := validName(tc.in); got != tc.want {
			t.Errorf("validName(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFormatSeconds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0s"}, {0.15, "150ms"}, {1.5, "1.5s"}, {60, "60s"}, {90, "90s"}, {360, "6m"},
		{3600, "60m"}, {7200, "2h"}, {5400, "90m"},
	} {
		if got := formatSeconds(tc.in); got != tc.want {
			t.Errorf("formatSeconds(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFormatClockPastMidnight writes later days as the report's clock
// labels do: "+1d 07:00", not "31:00".
func TestFormatClockPastMidnight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "00:00"}, {7*3600 + 30, "07:00:30"}, {21*3600 + 5*60, "21:05"},
		{86400, "+1d 00:00"}, {31 * 3600, "+1d 07:00"}, {2*86400 + 90, "+2d 00:01:30"},
	} {
		if got := formatClock(tc.in); got != tc.want {
			t.Errorf("formatClock(%g) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatCountAndAbout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in          float64
		count, abou string
	}{
		{0, "0", "0"},
		{999, "999", "1,000"},
		{20000, "20,000", "20,000"},
		{36e6, "36,000,000", "36,000,000"},
		{72345678, "72,345,678", "72,000,000"},
		{3.6e16, "3.6e+16", "3.6e+16"},
		{math.Inf(1), "more than 1e+308", "more than 1e+308"},
	} {
		if got := formatCount(tc.in); got != tc.count {
			t.Errorf("formatCount(%g) = %q, want %q", tc.in, got, tc.count)
		}
		if got := formatAbout(tc.in); got != tc.abou {
			t.Errorf("formatAbout(%g) = %q, want %q", tc.in, got, tc.abou)
		}
	}
}
