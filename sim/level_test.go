package sim

import (
	"math"
	"slices"
	"testing"
)

// step is one change of a Level in a hand-built step function.
type step struct {
	at  Time
	set bool // Set when true, Add otherwise
	v   float64
}

func TestLevel(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		w         Window
		steps     []step
		close     Time
		integral  float64 // value·seconds over [From, To)
		mean, max float64
		ivMeans   []float64
		ivMaxes   []float64
	}{
		{
			// Step function: 2 on [5,25), 4 on [25,50), 7 on [50,70), 1 on
			// [70,75). The 3 set at 50s is replaced at once and never held.
			// Window [20,75): 2·5 + 4·25 + 7·20 + 1·5 = 255.
			// Intervals [5,30): 2·20+4·5 = 60 over 25s; [30,60): 4·20+7·10 =
			// 150 over 30s; [60,75): 7·10+1·5 = 75 over 15s.
			name: "warm-up clipping and partial intervals",
			w:    Window{Start: 5 * Second, From: 20 * Second, To: 75 * Second, Interval: 30 * Second},
			steps: []step{
				{at: 5 * Second, set: true, v: 2},
				{at: 25 * Second, set: true, v: 4},
				{at: 50 * Second, v: -1},
				{at: 50 * Second, set: true, v: 7},
				{at: 70 * Second, set: true, v: 1},
			},
			close:    80 * Second,
			integral: 255,
			mean:     255.0 / 55,
			max:      7,
			ivMeans:  []float64{60.0 / 25, 5, 5},
			ivMaxes:  []float64{4, 7, 7},
		},
		{
			// 9 is held only in the warm-up, so the window maximum is the 3
			// in force at From.
			name: "max ignores warm-up, counts value in force at From",
			w:    Window{Start: 0, From: 10 * Second, To: 40 * Second, Interval: 20 * Second},
			steps: []step{
				{at: 0, set: true, v: 9},
				{at: 5 * Second, set: true, v: 3},
				{at: 30 * Second, set: true, v: 1},
			},
			close:    40 * Second,
			integral: 3*20 + 1*10,
			mean:     70.0 / 30,
			max:      3,
			ivMeans:  []float64{(9*5 + 3*15) / 20.0, (3*10 + 1*10) / 20.0},
			ivMaxes:  []float64{9, 3},
		},
		{
			// Adds before Start only set the starting value.
			name: "changes before start",
			w:    Window{Start: 10 * Second, From: 10 * Second, To: 20 * Second, Interval: 5 * Second},
			steps: []step{
				{at: 0, v: 2},
				{at: 3 * Second, v: 2},
				{at: 15 * Second, v: -4},
			},
			close:    30 * Second,
			integral: 4 * 5,
			mean:     2,
			max:      4,
			ivMeans:  []float64{4, 0},
			ivMaxes:  []float64{4, 0},
		},
		{
			// Closing early leaves the rest of the run at zero and the
			// unreached interval without a maximum.
			name:     "close before To",
			w:        Window{Start: 0, From: 0, To: 30 * Second, Interval: 10 * Second},
			steps:    []step{{at: 0, set: true, v: 6}},
			close:    15 * Second,
			integral: 90,
			mean:     3,
			max:      6,
			ivMeans:  []float64{6, 3, 0},
			ivMaxes:  []float64{6, 6, nan},
		},
		{
			name:     "empty window",
			w:        Window{Start: 0, From: 10 * Second, To: 10 * Second, Interval: 5 * Second},
			steps:    []step{{at: 0, set: true, v: 1}},
			close:    20 * Second,
			integral: 0,
			mean:     nan,
			max:      nan,
			ivMeans:  []float64{1, 1},
			ivMaxes:  []float64{1, 1},
		},
		{
			// Fractional nanosecond arithmetic: 0.5 over 3ns.
			name:     "single interval",
			w:        Window{Start: 0, From: 1, To: 4},
			steps:    []step{{at: 0, set: true, v: 0.5}},
			close:    MaxTime,
			integral: 1.5e-9,
			mean:     0.5,
			max:      0.5,
			ivMeans:  []float64{0.5},
			ivMaxes:  []float64{0.5},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLevel(tc.w)
			for _, s := range tc.steps {
				if s.set {
					l.Set(s.at, s.v)
				} else {
					l.Add(s.at, s.v)
				}
			}
			l.Close(tc.close)
			l.Close(tc.close) // a second Close must not count twice

			checkFloat(t, "Integral()", l.Integral(), tc.integral)
			checkFloat(t, "Mean()", l.Mean(), tc.mean)
			checkFloat(t, "Max()", l.Max(), tc.max)
			checkFloats(t, "IntervalMeans()", l.IntervalMeans(), tc.ivMeans)
			checkFloats(t, "IntervalMaxes()", l.IntervalMaxes(), tc.ivMaxes)
		})
	}
}

func TestLevelValue(t *testing.T) {
	l := NewLevel(Window{Start: 0, From: 0, To: Hour, Interval: Minute})
	l.Add(Second, 3)
	l.Add(2*Second, -1)
	if got := l.Value(); got != 2 {
		t.Errorf("Value() = %v, want 2", got)
	}
}

func TestLevelBackwardsPanics(t *testing.T) {
	l := NewLevel(Window{Start: 0, From: 0, To: Hour, Interval: Minute})
	l.Set(10*Second, 1)
	defer func() {
		if recover() == nil {
			t.Error("Set with an earlier time did not panic")
		}
	}()
	l.Set(9*Second, 2)
}

func TestLevelNoAllocs(t *testing.T) {
	l := NewLevel(Window{Start: 0, From: Hour, To: 1000 * Hour, Interval: 15 * Minute})
	now := Time(0)
	allocs := testing.AllocsPerRun(10000, func() {
		now += 7 * Minute
		l.Add(now, 1)
		l.Add(now, -0.5)
	})
	if allocs != 0 {
		t.Errorf("allocations per change = %v, want 0", allocs)
	}
}

// TestLevelManySmallSteps checks the incremental interval walk against a
// direct computation over a long irregular step function.
func TestLevelManySmallSteps(t *testing.T) {
	w := Window{Start: 7 * Second, From: 100 * Second, To: 10007 * Second, Interval: 60 * Second}
	l := NewLevel(w)
	want := make([]float64, w.NumIntervals())
	var wantWin float64
	v := 0.0
	last := w.Start
	// hold integrates v over [last, to) into the expected sums directly,
	// one nanosecond span at a time per interval.
	hold := func(to Time) {
		to = min(to, w.To)
		for i := range want {
			from, end := w.IntervalBounds(i)
			a, b := max(from, last), min(end, to)
			if b > a {
				want[i] += v * float64(b-a)
			}
		}
		if a, b := max(last, w.From), to; b > a {
			wantWin += v * float64(b-a)
		}
		last = max(last, to)
	}
	at := w.Start
	for k := range 2000 {
		at += Time(k%13) * 997 * Millisecond
		hold(at)
		v = float64(k % 7)
		l.Set(at, v)
	}
	hold(w.To)
	l.Close(w.To)

	checkFloat(t, "Integral()", l.Integral(), wantWin/1e9)
	got := l.IntervalMeans()
	for i := range want {
		from, to := w.IntervalBounds(i)
		checkFloat(t, "IntervalMeans()[i]", got[i], want[i]/float64(to-from))
	}
}

// checkFloat reports got != want, treating two NaNs as equal and allowing
// a relative difference of 1e-12 for rounding.
func checkFloat(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !closeTo(got, want, 1e-12) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func checkFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if !slices.EqualFunc(got, want, func(a, b float64) bool { return closeTo(a, b, 1e-12) }) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func closeTo(got, want, rel float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}
