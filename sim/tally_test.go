package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// lowerQuantile is the reference the sketch approximates: the sorted value
// at rank ⌊q·(n-1)⌋.
func lowerQuantile(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

func TestTallyQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	uniform := make([]float64, 10000)
	for i := range uniform {
		uniform[i] = float64(i + 1)
	}
	lognormal := make([]float64, 100000)
	for i := range lognormal {
		lognormal[i] = math.Exp(rng.NormFloat64())
	}
	// Waiting times are often zero: 60% zeros, the rest exponential.
	withZeros := make([]float64, 50000)
	for i := range withZeros {
		if rng.Float64() >= 0.6 {
			withZeros[i] = rng.ExpFloat64()
		}
	}
	tests := []struct {
		name string
		data []float64
	}{
		{name: "1 to 10000", data: uniform},
		{name: "lognormal", data: lognormal},
		{name: "mostly zeros", data: withZeros},
	}
	qs := []float64{0.01, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := NewTally(true)
			for _, x := range tc.data {
				tl.Add(x)
			}
			sorted := slices.Sorted(slices.Values(tc.data))
			for _, q := range qs {
				got, want := tl.Quantile(q), lowerQuantile(sorted, q)
				// The sketch promises SketchAccuracy relative error on the
				// value at the requested rank; zeros come back exactly.
				if want == 0 && got != 0 || math.Abs(got-want) > SketchAccuracy*want {
					t.Errorf("Quantile(%v) = %v, want %v within %v relative", q, got, want, SketchAccuracy)
				}
			}
			if got := tl.Quantile(0); got != sorted[0] {
				t.Errorf("Quantile(0) = %v, want min %v exactly", got, sorted[0])
			}
			if got := tl.Quantile(1); got != sorted[len(sorted)-1] {
				t.Errorf("Quantile(1) = %v, want max %v exactly", got, sorted[len(sorted)-1])
			}
		})
	}
}

func TestTallyZerosExact(t *testing.T) {
	tl := NewTally(true)
	for i := range 10 {
		tl.Add(float64(i / 6)) // six zeros, then four ones
	}
	if got := tl.Quantile(0.5); got != 0 {
		t.Errorf("Quantile(0.5) = %v, want 0", got)
	}
	if got := tl.Quantile(0.9); math.Abs(got-1) > SketchAccuracy {
		t.Errorf("Quantile(0.9) = %v, want 1", got)
	}
}

func TestTallyMoments(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                 string
		quantiles            bool
		data                 []float64
		count                int64
		sum, mean, min, max  float64
		median, wantQuantile float64
	}{
		{name: "empty", quantiles: true, mean: nan, min: nan, max: nan, wantQuantile: nan},
		{name: "no sketch", data: []float64{3, 1, 2}, count: 3, sum: 6, mean: 2, min: 1, max: 3, wantQuantile: nan},
		{name: "NaN dropped", quantiles: true, data: []float64{4, math.NaN(), 2}, count: 2, sum: 6, mean: 3, min: 2, max: 4, wantQuantile: 2},
		{name: "single", quantiles: true, data: []float64{5}, count: 1, sum: 5, mean: 5, min: 5, max: 5, wantQuantile: 5},
		{name: "negative", quantiles: true, data: []float64{-2, 0, 2}, count: 3, sum: 0, mean: 0, min: -2, max: 2, wantQuantile: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := NewTally(tc.quantiles)
			for _, x := range tc.data {
				tl.Add(x)
			}
			if tl.Count() != tc.count {
				t.Errorf("Count() = %d, want %d", tl.Count(), tc.count)
			}
			checkFloat(t, "Sum()", tl.Sum(), tc.sum)
			checkFloat(t, "Mean()", tl.Mean(), tc.mean)
			checkFloat(t, "Min()", tl.Min(), tc.min)
			checkFloat(t, "Max()", tl.Max(), tc.max)
			if got := tl.Quantile(0.5); !closeTo(got, tc.wantQuantile, SketchAccuracy) {
				t.Errorf("Quantile(0.5) = %v, want %v", got, tc.wantQuantile)
			}
			if tl.HasQuantiles() != tc.quantiles {
				t.Errorf("HasQuantiles() = %v, want %v", tl.HasQuantiles(), tc.quantiles)
			}
		})
	}
}

func TestTallyQuantileOutOfRange(t *testing.T) {
	tl := NewTally(true)
	tl.Add(1)
	for _, q := range []float64{-0.1, 1.1, math.NaN()} {
		if got := tl.Quantile(q); !math.IsNaN(got) {
			t.Errorf("Quantile(%v) = %v, want NaN", q, got)
		}
	}
}

func TestTallyMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b, all := NewTally(true), NewTally(true), NewTally(true)
	for i := range 20000 {
		x := rng.ExpFloat64()
		if i%3 == 0 {
			a.Add(x)
		} else {
			b.Add(x)
		}
		all.Add(x)
	}
	a.Merge(b)
	a.Merge(nil)
	a.Merge(NewTally(false)) // empty: must not drop the sketch
	if a.Count() != all.Count() || a.Min() != all.Min() || a.Max() != all.Max() {
		t.Errorf("merged count/min/max = %d/%v/%v, want %d/%v/%v",
			a.Count(), a.Min(), a.Max(), all.Count(), all.Min(), all.Max())
	}
	checkFloat(t, "merged Sum()", a.Sum(), all.Sum())
	for _, q := range []float64{0.5, 0.9, 0.99} {
		// Both sketches hold the same buckets, so the answers agree exactly.
		if got, want := a.Quantile(q), all.Quantile(q); got != want {
			t.Errorf("merged Quantile(%v) = %v, want %v", q, got, want)
		}
	}

	plain := NewTally(false)
	plain.Add(1)
	a.Merge(plain)
	if a.HasQuantiles() || !math.IsNaN(a.Quantile(0.5)) {
		t.Error("merging a tally without a sketch kept the sketch")
	}
	if a.Count() != all.Count()+1 {
		t.Errorf("Count() = %d, want %d", a.Count(), all.Count()+1)
	}
}

func TestTallyAddNoAllocs(t *testing.T) {
	tl := NewTally(true)
	for i := range 1000 {
		tl.Add(float64(i) / 10)
	}
	i := 0
	allocs := testing.AllocsPerRun(10000, func() {
		tl.Add(float64(i%1000) / 10)
		i++
	})
	if allocs != 0 {
		t.Errorf("allocations per Add = %v, want 0", allocs)
	}
}

func TestSeries(t *testing.T) {
	w := Window{Start: 0, From: 10 * Second, To: 30 * Second, Interval: 10 * Second}
	s := NewSeries(w, true)
	s.Add(1*Second, 4)
	s.Add(2*Second, 6)
	s.Add(25*Second, 1)
	s.Add(30*Second, 100) // at To: outside
	s.Add(-1, 100)        // before Start: outside
	if s.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", s.Len())
	}
	tests := []struct {
		i     int
		count int64
		mean  float64
	}{
		{i: 0, count: 2, mean: 5},
		{i: 1},
		{i: 2, count: 1, mean: 1},
	}
	for _, tc := range tests {
		tl := s.At(tc.i)
		if tc.count == 0 {
			if tl != nil {
				t.Errorf("At(%d) = %v, want nil", tc.i, tl)
			}
			continue
		}
		if tl.Count() != tc.count || tl.Mean() != tc.mean || !tl.HasQuantiles() {
			t.Errorf("At(%d): count %d mean %v sketch %v, want %d %v true", tc.i, tl.Count(), tl.Mean(), tl.HasQuantiles(), tc.count, tc.mean)
		}
	}
}

func BenchmarkTallyAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = rng.ExpFloat64() * 30
	}
	tl := NewTally(true)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		tl.Add(xs[i&4095])
		i++
	}
}
