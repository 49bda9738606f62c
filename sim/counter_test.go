package sim

import (
	"slices"
	"testing"
)

func TestCounter(t *testing.T) {
	w := Window{Start: 0, From: 10 * Second, To: 100 * Second, Interval: 30 * Second}
	c := NewCounter(w)
	for _, at := range []Time{-1, 0, 5 * Second, 10 * Second, 30*Second - 1, 30 * Second, 99 * Second, 100 * Second} {
		c.Inc(at)
	}
	if got, want := c.PerInterval(), []int64{4, 1, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("PerInterval() = %v, want %v", got, want)
	}
	// 10s, 30s-1ns, 30s and 99s fall in [From, To).
	if got := c.Total(); got != 4 {
		t.Errorf("Total() = %d, want 4", got)
	}
	c.PerInterval()[0] = 99
	if c.PerInterval()[0] != 4 {
		t.Error("PerInterval() returned the counter's own storage")
	}
}

// repeat returns n copies of at.
func repeat(at Time, n int) []Time {
	return slices.Repeat([]Time{at}, n)
}

func TestPeakCounter(t *testing.T) {
	tests := []struct {
		name    string
		w       Window
		events  []Time
		max     int64
		ivMaxes []int64
	}{
		{
			// Whole minutes inside [90s, 330s) are minutes 2, 3 and 4.
			// Minute 1 is cut by From and minute 5 by To, so their larger
			// counts do not make the peak.
			name: "whole minutes only",
			w:    Window{Start: 0, From: 90 * Second, To: 330 * Second, Interval: 2 * Minute},
			events: slices.Concat(
				repeat(10*Second, 20),  // minute 0, warm-up
				repeat(100*Second, 10), // minute 1, straddles From
				repeat(150*Second, 3),  // minute 2
				repeat(200*Second, 5),  // minute 3
				repeat(310*Second, 8),  // minute 5, cut by To
				repeat(400*Second, 50), // after To: ignored
			),
			max: 5,
			// Interval [0,2m) holds minutes 0 and 1; [2m,4m) minutes 2 and
			// 3; [4m,5.5m) minutes 4 and 5.
			ivMaxes: []int64{20, 5, 8},
		},
		{
			// No whole minute fits in [30s, 100s): fall back to the minutes
			// that overlap the window, counting only events from From on.
			// Minute 0 has 5 events but only 2 after From.
			name: "window shorter than a whole period",
			w:    Window{Start: 0, From: 30 * Second, To: 100 * Second, Interval: Hour},
			events: []Time{
				10 * Second, 20 * Second, 25 * Second, 40 * Second, 50 * Second,
				65 * Second,
			},
			max:     2,
			ivMaxes: []int64{6 - 1},
		},
		{
			name:    "nothing counted",
			w:       Window{Start: 0, From: 0, To: 10 * Minute, Interval: 5 * Minute},
			max:     0,
			ivMaxes: []int64{0, 0},
		},
		{
			// Times out of order must count the same as in order. Start is
			// mid-minute, so minute 0 begins before Start and still counts
			// for interval 0.
			name: "out of order",
			w:    Window{Start: 30 * Second, From: Minute, To: 4 * Minute, Interval: 2 * Minute},
			events: []Time{
				3 * Minute, 2 * Minute, 3 * Minute, 2 * Minute, 3*Minute + 1,
				45 * Second, 2 * Minute, 3 * Minute, 40 * Second,
			},
			max:     4,
			ivMaxes: []int64{2, 4},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPeakCounter(tc.w, Minute)
			for _, at := range tc.events {
				p.Inc(at)
			}
			if got := p.Max(); got != tc.max {
				t.Errorf("Max() = %d, want %d", got, tc.max)
			}
			if got := p.IntervalMaxes(); !slices.Equal(got, tc.ivMaxes) {
				t.Errorf("IntervalMaxes() = %v, want %v", got, tc.ivMaxes)
			}
		})
	}
}

func TestPeakCounterQueryThenMore(t *testing.T) {
	p := NewPeakCounter(Window{Start: 0, From: 0, To: Hour, Interval: Hour}, Minute)
	p.Inc(Second)
	p.Inc(2 * Second)
	if got := p.Max(); got != 2 {
		t.Fatalf("Max() = %d, want 2", got)
	}
	// More events in the same minute after a query must add to it.
	p.Inc(3 * Second)
	if got := p.Max(); got != 3 {
		t.Errorf("Max() after another event = %d, want 3", got)
	}
}
