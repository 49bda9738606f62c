package sim

import (
	"math"
	"testing"
)

func TestSeconds(t *testing.T) {
	tests := []struct {
		name string
		s    float64
		want Time
	}{
		{name: "zero", s: 0, want: 0},
		{name: "one", s: 1, want: Second},
		{name: "fraction", s: 1.5, want: 1500 * Millisecond},
		{name: "round down", s: 1.4e-9, want: 1},
		{name: "half to even, down", s: 2.5e-9, want: 2},
		{name: "half to even, up", s: 3.5e-9, want: 4},
		{name: "round up", s: 2.6e-9, want: 3},
		{name: "negative", s: -0.25, want: -250 * Millisecond},
		{name: "hour", s: 3600, want: Hour},
		{name: "plus inf", s: math.Inf(1), want: MaxTime},
		{name: "huge", s: 1e300, want: MaxTime},
		{name: "just past range", s: 9.3e9, want: MaxTime},
		{name: "minus inf", s: math.Inf(-1), want: MinTime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Seconds(tc.s); got != tc.want {
				t.Errorf("Seconds(%v) = %d, want %d", tc.s, got, tc.want)
			}
		})
	}
}

func TestSecondsNaNPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Seconds(NaN) did not panic")
		}
	}()
	Seconds(math.NaN())
}

func TestTimeSeconds(t *testing.T) {
	if got := (90 * Minute).Seconds(); got != 5400 {
		t.Errorf("(90*Minute).Seconds() = %v, want 5400", got)
	}
	if got := Time(1).Seconds(); got != 1e-9 {
		t.Errorf("Time(1).Seconds() = %v, want 1e-9", got)
	}
}

func TestFloorDiv(t *testing.T) {
	tests := []struct{ a, b, want Time }{
		{a: 7, b: 2, want: 3},
		{a: -7, b: 2, want: -4},
		{a: -8, b: 2, want: -4},
		{a: 0, b: 5, want: 0},
	}
	for _, tc := range tests {
		if got := floorDiv(tc.a, tc.b); got != tc.want {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
