package sim

import "testing"

func TestWindowGrid(t *testing.T) {
	type bounds struct{ from, to Time }
	tests := []struct {
		name string
		w    Window
		want []bounds
	}{
		{
			name: "aligned start, partial last",
			w:    Window{Start: 0, From: 10 * Second, To: 100 * Second, Interval: 30 * Second},
			want: []bounds{{0, 30 * Second}, {30 * Second, 60 * Second}, {60 * Second, 90 * Second}, {90 * Second, 100 * Second}},
		},
		{
			name: "partial first and last",
			w:    Window{Start: 5 * Second, From: 20 * Second, To: 75 * Second, Interval: 30 * Second},
			want: []bounds{{5 * Second, 30 * Second}, {30 * Second, 60 * Second}, {60 * Second, 75 * Second}},
		},
		{
			name: "exact fit",
			w:    Window{Start: Hour, From: Hour, To: 3 * Hour, Interval: Hour},
			want: []bounds{{Hour, 2 * Hour}, {2 * Hour, 3 * Hour}},
		},
		{
			name: "inside one interval",
			w:    Window{Start: 10 * Minute, From: 10 * Minute, To: 20 * Minute, Interval: Hour},
			want: []bounds{{10 * Minute, 20 * Minute}},
		},
		{
			name: "no interval length",
			w:    Window{Start: 5, From: 6, To: 50},
			want: []bounds{{5, 50}},
		},
		{
			name: "empty run",
			w:    Window{Start: 5 * Second, From: 5 * Second, To: 5 * Second, Interval: Second},
		},
		{
			// 2·(MaxTime/2) = MaxTime-1 is a boundary; nothing may overflow.
			name: "reaches MaxTime",
			w:    Window{Start: MaxTime - 10, From: MaxTime - 10, To: MaxTime, Interval: MaxTime / 2},
			want: []bounds{{MaxTime - 10, MaxTime - 1}, {MaxTime - 1, MaxTime}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.w.NumIntervals(); got != len(tc.want) {
				t.Fatalf("NumIntervals() = %d, want %d", got, len(tc.want))
			}
			for i, b := range tc.want {
				from, to := tc.w.IntervalBounds(i)
				if from != b.from || to != b.to {
					t.Errorf("IntervalBounds(%d) = [%d, %d), want [%d, %d)", i, from, to, b.from, b.to)
				}
				// Every instant of the interval maps back to it.
				for _, at := range []Time{b.from, b.from + (b.to-b.from)/2, b.to - 1} {
					if got := tc.w.IntervalOf(at); got != i {
						t.Errorf("IntervalOf(%d) = %d, want %d", at, got, i)
					}
				}
			}
			for _, at := range []Time{tc.w.Start - 1, tc.w.To} {
				if tc.w.To < MaxTime || at < tc.w.To {
					if got := tc.w.IntervalOf(at); got != -1 {
						t.Errorf("IntervalOf(%d) = %d, want -1", at, got)
					}
				}
			}
		})
	}
}

func TestWindowIn(t *testing.T) {
	w := Window{Start: 0, From: 10, To: 20, Interval: 5}
	tests := []struct {
		at   Time
		want bool
	}{
		{at: 0, want: false},
		{at: 9, want: false},
		{at: 10, want: true},
		{at: 19, want: true},
		{at: 20, want: false},
	}
	for _, tc := range tests {
		if got := w.In(tc.at); got != tc.want {
			t.Errorf("In(%d) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if got := w.Length(); got != 10 {
		t.Errorf("Length() = %d, want 10", got)
	}
}

func TestIntervalBoundsPanics(t *testing.T) {
	w := Window{Start: 0, From: 0, To: 10, Interval: 5}
	for _, i := range []int{-1, 2} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("IntervalBounds(%d) did not panic", i)
				}
			}()
			w.IntervalBounds(i)
		}()
	}
}
