package reports

import (
	"math"
	"testing"
)

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sec  float64
		want string
	}{
		{name: "zero", sec: 0, want: "0 s"},
		{name: "sub-millisecond", sec: 0.00042, want: "0.42 ms"},
		{name: "below 10 ms keeps two decimals", sec: 0.00525, want: "5.25 ms"},
		{name: "tens of ms keep one decimal", sec: 0.0425, want: "42.5 ms"},
		{name: "hundreds of ms are whole", sec: 0.85, want: "850 ms"},
		{name: "just under a second rounds to seconds", sec: 0.9996, want: "1 s"},
		{name: "seconds keep one decimal", sec: 4.24, want: "4.2 s"},
		{name: "whole seconds drop the decimal", sec: 20, want: "20 s"},
		{name: "minutes and seconds", sec: 200, want: "3 m 20 s"},
		{name: "whole minutes", sec: 60, want: "1 min"},
		{name: "59.96 s rounds into minutes", sec: 59.96, want: "1 min"},
		{name: "hours and minutes", sec: 7500, want: "2 h 5 min"},
		{name: "whole hours", sec: 36000, want: "10 h"},
		{name: "negative", sec: -4.2, want: "-4.2 s"},
		{name: "tiny", sec: 1e-9, want: "<0.01 ms"},
		{name: "NaN", sec: math.NaN(), want: "–"},
		{name: "infinite", sec: math.Inf(1), want: "–"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := formatDuration(tc.sec); got != tc.want {
				t.Errorf("formatDuration(%v) = %q, want %q", tc.sec, got, tc.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		frac float64
		want string
	}{
		{name: "zero", frac: 0, want: "0%"},
		{name: "whole", frac: 1, want: "100%"},
		{name: "above ten percent keeps one decimal", frac: 0.724, want: "72.4%"},
		{name: "trailing zero dropped", frac: 0.8, want: "80%"},
		{name: "a few percent keep two decimals", frac: 0.0425, want: "4.25%"},
		{name: "small", frac: 0.0031, want: "0.31%"},
		{name: "smaller keeps two significant digits", frac: 0.000042, want: "0.0042%"},
		{name: "never in exponent form", frac: 1e-9, want: "<0.0001%"},
		{name: "negative", frac: -0.05, want: "-5%"},
		{name: "NaN", frac: math.NaN(), want: "–"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := formatPercent(tc.frac); got != tc.want {
				t.Errorf("formatPercent(%v) = %q, want %q", tc.frac, got, tc.want)
			}
		})
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    float64
		want string
	}{
		{name: "zero", v: 0, want: "0"},
		{name: "small whole", v: 31, want: "31"},
		{name: "small mean keeps a decimal", v: 31.44, want: "31.4"},
		{name: "hundreds are rounded", v: 903.4, want: "903"},
		{name: "thousands", v: 1240, want: "1,240"},
		{name: "exact groups", v: 142318000, want: "142,318,000"},
		{name: "rounding carries into a new group", v: 999.6, want: "1,000"},
		{name: "negative", v: -2500, want: "-2,500"},
		{name: "infinite", v: math.Inf(-1), want: "–"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := formatCount(tc.v); got != tc.want {
				t.Errorf("formatCount(%v) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}

func TestClockLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		t    float64
		want string
	}{
		{name: "midnight", t: 0, want: "00:00"},
		{name: "morning", t: 8*3600 + 15*60, want: "08:15"},
		{name: "seconds are dropped", t: 8*3600 + 59, want: "08:00"},
		{name: "next day", t: 24*3600 + 30*60, want: "+1d 00:30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := clockLabel(tc.t); got != tc.want {
				t.Errorf("clockLabel(%v) = %q, want %q", tc.t, got, tc.want)
			}
		})
	}
}

func TestUnitOf(t *testing.T) {
	t.Parallel()
	s := &Summary{Metrics: map[string]Metric{"routing.delay.p90": {Unit: "s"}}}
	tests := []struct {
		metric, want string
	}{
		{"routing.delay.p90", "s"},
		{"actions.a.latency.p95", "s"},
		{"actions.a.latency.max", "s"},
		{"platform.in_flight.max", "count"},
		{"platform.in_flight.mean", "count"},
		{"endpoints.crm.busy.mean", "count"},
		{"queues.q.service_level", "fraction"},
		{"limits.max_in_flight.rejected", "fraction"},
		{"interactions.abandoned", "count"},
		{"queues.q.abandoned", "fraction"},
	}
	for _, tc := range tests {
		t.Run(tc.metric, func(t *testing.T) {
			t.Parallel()
			if got := unitOf(s, tc.metric); got != tc.want {
				t.Errorf("unitOf(%q) = %q, want %q", tc.metric, got, tc.want)
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, want float64
	}{
		{0.42, 0.5}, {0.5, 0.5}, {0.506, 1}, {18, 20}, {2805, 5000}, {230, 250}, {1, 1},
	}
	for _, tc := range tests {
		if got := niceStep(tc.raw); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("niceStep(%v) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}
