package sim

import "testing"

func TestTokenBucket(t *testing.T) {
	tests := []struct {
		name    string
		rate    float64 // tokens per second
		burst   float64
		every   Time // deterministic inter-arrival time, first arrival at 0
		horizon Time // arrivals at 0, every, 2·every, … up to and including horizon
		want    int
	}{
		{
			// The burst of 5 absorbs the excess until t=4s (9 admitted
			// from arrivals at 0, 0.5, …, 4), then one per second: 5+t.
			name: "offered 2/s against 1/s burst 5", rate: 1, burst: 5,
			every: 500 * Millisecond, horizon: 100 * Second, want: 5 + 100,
		},
		{
			name: "under the rate", rate: 10, burst: 1,
			every: Second, horizon: 100 * Second, want: 101,
		},
		{
			name: "no refill", rate: 0, burst: 3,
			every: Millisecond, horizon: Hour / 1000, want: 3,
		},
		{
			// Half a token per second: every other arrival.
			name: "fractional rate", rate: 0.5, burst: 1,
			every: Second, horizon: 100 * Second, want: 51,
		},
		{
			name: "burst below one", rate: 100, burst: 0.5,
			every: Second, horizon: 10 * Second, want: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewTokenBucket(tc.rate, tc.burst)
			got := 0
			for at := Time(0); at <= tc.horizon; at += tc.every {
				if b.Take(at) {
					got++
				}
			}
			if got != tc.want {
				t.Errorf("admitted %d, want %d", got, tc.want)
			}
		})
	}
}

func TestTokenBucketTokens(t *testing.T) {
	b := NewTokenBucket(2, 4)
	for range 4 {
		b.Take(0)
	}
	if got := b.Tokens(); got != 0 {
		t.Fatalf("Tokens() after draining = %v, want 0", got)
	}
	if b.Take(Second / 4) {
		t.Error("Take admitted with half a token")
	}
	// 0.75s at 2/s refills 1.5 tokens; one is taken.
	if !b.Take(750 * Millisecond) {
		t.Error("Take refused with 1.5 tokens")
	}
	if got := b.Tokens(); got != 0.5 {
		t.Errorf("Tokens() = %v, want 0.5", got)
	}
	// A long pause refills only up to the burst.
	b.Take(Hour)
	if got := b.Tokens(); got != 3 {
		t.Errorf("Tokens() after an hour = %v, want 3", got)
	}
}

func TestFixedWindow(t *testing.T) {
	f := NewFixedWindow(3, Minute)
	tests := []struct {
		at   Time
		want bool
	}{
		{at: 0, want: true},
		{at: 10 * Second, want: true},
		{at: 20 * Second, want: true},
		{at: 30 * Second, want: false},
		{at: Minute - 1, want: false},
		{at: Minute, want: true}, // a new clock-aligned window opens
		{at: Minute, want: true},
		{at: Minute + 1, want: true},
		{at: 119 * Second, want: false},
		{at: 5 * Minute, want: true}, // skipped windows start empty
	}
	for _, tc := range tests {
		if got := f.Take(tc.at); got != tc.want {
			t.Errorf("Take(%v s) = %v, want %v", tc.at.Seconds(), got, tc.want)
		}
	}
}

func TestFixedWindowCounts(t *testing.T) {
	// Arrivals every 7 s for an hour against 4 per minute: each clock
	// minute admits exactly min(4, arrivals in that minute).
	f := NewFixedWindow(4, Minute)
	admitted := make(map[Time]int)
	offered := make(map[Time]int)
	for at := Time(0); at < Hour; at += 7 * Second {
		k := at / Minute
		offered[k]++
		if f.Take(at) {
			admitted[k]++
		}
	}
	for k := range Time(60) {
		if want := min(4, offered[k]); admitted[k] != want {
			t.Errorf("minute %d: admitted %d, want %d", k, admitted[k], want)
		}
	}
}

func TestLimiterPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{name: "bucket negative rate", f: func() { NewTokenBucket(-1, 1) }},
		{name: "bucket negative burst", f: func() { NewTokenBucket(1, -1) }},
		{name: "window zero period", f: func() { NewFixedWindow(1, 0) }},
		{name: "peak zero period", f: func() { NewPeakCounter(Window{}, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}
