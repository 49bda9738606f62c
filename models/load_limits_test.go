package models

import (
	"strings"
	"testing"
)

// TestSizeLimits refuses runs that would not fit in memory: too many
// intervals, too many arrivals, too long a horizon. A value from --set is
// blamed on its argument.
func TestSizeLimits(t *testing.T) {
	t.Parallel()
	const tenHours = "horizon: 10h\nstart: \"08:00\"\n"
	for _, tc := range []struct {
		name, old, new string
		sets           []string
		want           string
	}{
		{
			name: "a 1ms interval from --set", old: "horizon: 1h\n", new: tenHours,
			sets: []string{"interval=1ms"},
			want: "--set interval=1ms: interval: 1ms makes 36,000,000 intervals over the 10h horizon; at most 20,000 are allowed, use a longer interval",
		},
		{
			name: "a short interval in the file", old: "horizon: 1h\n", new: tenHours + "interval: 1s\n",
			want: "s.yaml:3:11: interval: 1s makes 36,000 intervals over the 10h horizon; at most 20,000 are allowed, use a longer interval",
		},
		{
			// 744 h of 2 m intervals is 22,320; the horizon made it.
			name: "a long horizon from --set", old: "horizon: 1h\n", new: "horizon: 1h\ninterval: 2m\n",
			sets: []string{"horizon=744h"},
			want: "--set horizon=744h: interval: 2m makes 22,320 intervals over the 744h horizon; at most 20,000 are allowed, use a longer interval",
		},
		{
			// Intervals are aligned to the clock: 20,000 of 2 s from
			// 00:00:31 meet 20,001 of them, a partial one at each end.
			name: "intervals counted on the clock", old: "horizon: 1h\n", new: "horizon: 40000s\nstart: \"00:00:31\"\ninterval: 2s\n",
			want: "s.yaml:3:11: interval: 2s makes 20,001 intervals over the 40000s horizon; at most 20,000 are allowed, use a longer interval",
		},
		{
			name: "a horizon above 31 days", old: "horizon: 1h\n", new: "horizon: 1h\ninterval: 1h\n",
			sets: []string{"horizon=745h"},
			want: "--set horizon=745h: must be at most 744h (31 days), got 745h",
		},
		{
			name: "a huge rate from --set", old: "horizon: 1h\n", new: tenHours,
			sets: []string{"arrivals.rate=1e12/s"},
			want: "--set arrivals.rate=1e12/s: arrivals: about 3.6e+16 interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		},
		{
			// 20,000/s for an hour is 72 million.
			name: "a high rate in the file", old: "{rate: 1/s}", new: "{rate: 20000/s}",
			want: "s.yaml:2:18: arrivals: about 72,000,000 interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		},
		{
			name: "a scale from --set", old: "{rate: 1/s}", new: "{rate: 1/s}",
			sets: []string{"arrivals.scale=20000"},
			want: "--set arrivals.scale=20000: arrivals: about 72,000,000 interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		},
		{
			// 10,000/s for an hour is 36 million; a 30-minute burst of 2×
			// adds 18 million.
			name: "bursts count", old: "{rate: 1/s}", new: "{rate: 10000/s, bursts: [{start: \"00:30\", duration: 30m, multiplier: 2}]}",
			want: "s.yaml:2:18: arrivals: about 54,000,000 interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		},
		{
			name: "busyness counts", old: "{rate: 1/s}", new: "{rate: 10000/s, busyness: {dist: constant, value: 1.5}}",
			want: "s.yaml:2:18: arrivals: about 54,000,000 interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := problems(t, edit(t, tc.old, tc.new), "", tc.sets...)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems %q\nwant %q", got, tc.want)
			}
		})
	}

	// At the limits, runs are accepted.
	mustParse(t, edit(t, "horizon: 1h\n", "horizon: 744h\ninterval: 2m14s\n")) // 19,989 intervals
	mustParse(t, edit(t, "horizon: 1h\n", "horizon: 20000s\ninterval: 1s\n"))  // 20,000
	mustParse(t, edit(t, "{rate: 1/s}", "{rate: 13888/s}"))                    // 49,996,800 arrivals
}

// TestValidateSizeLimits holds Validate to the same limits as the loader,
// for scenarios changed after loading.
func TestValidateSizeLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(sc *Scenario)
		want   string
	}{
		{"interval", func(sc *Scenario) { sc.Interval = 0.001 }, "interval 0.001 makes 3.6e+06 intervals"},
		{"horizon", func(sc *Scenario) { sc.Horizon = 32 * 86400 }, "horizon 2.7648e+06 must be at most 2678400"},
		{"rate", func(sc *Scenario) { sc.Arrivals.Base[0].Rate = 1e12 }, "about 3.6e+15 arrivals per replication"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := mustParse(t, baseYAML)
			tc.change(sc)
			if err := sc.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestExpectedArrivals checks the integral of the rate against hand
// calculations, and against the pieces the simulator draws arrivals from.
func TestExpectedArrivals(t *testing.T) {
	t.Parallel()
	forever := []RateSegment{{From: 0, To: 1.7976931348623157e308, Rate: 2}}
	gamma := &Dist{Kind: DistGamma, MeanParam: 1.5, CV: 0.2}
	for _, tc := range []struct {
		name       string
		a          Arrivals
		start, end float64
		want       float64
	}{
		{
			// 2/s for 4 h, plus 2 × (3 − 1) more during the 2 h burst
			// across midnight; busyness 1.5 on average, scale 0.5.
			name: "a burst across midnight",
			a: Arrivals{Base: forever, Scale: 0.5, Busyness: gamma,
				Bursts: []Burst{{Start: 23 * 3600, Duration: 2 * 3600, Multiplier: 3}}},
			start: 22 * 3600, end: 26 * 3600,
			want: (2*4*3600 + 2*2*2*3600) * 1.5 * 0.5,
		},
		{
			// The burst of the evening before runs until 00:30.
			name: "a burst from the day before",
			a: Arrivals{Base: forever, Scale: 1,
				Bursts: []Burst{{Start: 23.5 * 3600, Duration: 3600, Multiplier: 4}}},
			start: 0, end: 3600,
			want: 2*3600 + 2*3*1800,
		},
		{
			name: "overlapping bursts multiply",
			a: Arrivals{Base: forever, Scale: 1, Bursts: []Burst{
				{Start: 600, Duration: 600, Multiplier: 2}, {Start: 600, Duration: 1200, Multiplier: 3}}},
			start: 0, end: 3600,
			want: 2 * (600 + 600*6 + 600*3 + 1800),
		},
		{
			name:  "volumes with a gap, clipped to the run",
			a:     Arrivals{Base: []RateSegment{{0, 1800, 1}, {3600, 5400, 2}, {9000, 10800, 5}}, Scale: 1},
			start: 900, end: 7200,
			want: 900 + 3600,
		},
		{
			name:  "a week",
			a:     Arrivals{Base: forever, Scale: 1, Bursts: []Burst{{Start: 9 * 3600, Duration: 3600, Multiplier: 2}}},
			start: 8 * 3600, end: 8*3600 + 7*86400,
			want: 2*7*86400 + 2*7*3600,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := expectedArrivals(&tc.a, tc.start, tc.end)
			if !closeTo(got, tc.want) {
				t.Errorf("expectedArrivals = %v, want %v", got, tc.want)
			}
			busyness := 1.0
			if tc.a.Busyness != nil {
				busyness = tc.a.Busyness.Mean()
			}
			sim := 0.0
			for _, p := range buildPieces(&tc.a, tc.start, tc.end, busyness) {
				sim += p.rate * (p.to - p.from)
			}
			if !closeTo(got, sim) {
				t.Errorf("expectedArrivals = %v, the simulator's pieces integrate to %v", got, sim)
			}
		})
	}
}
