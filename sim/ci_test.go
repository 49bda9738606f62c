package sim

import (
	"math"
	"testing"
)

func TestMeanCI(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name          string
		xs            []float64
		mean, lo, hi  float64
		ok            bool
		halfTolerance float64
	}{
		{
			// s² = 2.5, t(0.975, 4) = 2.776445 from tables, so the half
			// width is 2.776445·√2.5/√5 ≈ 1.963243.
			name: "one to five", xs: []float64{1, 2, 3, 4, 5},
			mean: 3, lo: 3 - 2.776445*math.Sqrt(2.5)/math.Sqrt(5), hi: 3 + 2.776445*math.Sqrt(2.5)/math.Sqrt(5),
			ok: true, halfTolerance: 1e-6,
		},
		{
			// t(0.975, 1) = 12.7062047; s = √2/2·|x1-x2| = √2.
			name: "two values", xs: []float64{10, 12},
			mean: 11, lo: 11 - 12.7062047*math.Sqrt(2)/math.Sqrt(2), hi: 11 + 12.7062047,
			ok: true, halfTolerance: 1e-6,
		},
		{name: "constant", xs: []float64{4, 4, 4}, mean: 4, lo: 4, hi: 4, ok: true},
		{name: "one value", xs: []float64{7}, mean: 7, lo: nan, hi: nan},
		{name: "empty", mean: nan, lo: nan, hi: nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mean, lo, hi, ok := MeanCI(tc.xs)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			checkFloat(t, "mean", mean, tc.mean)
			for _, b := range []struct {
				what      string
				got, want float64
			}{{"lo", lo, tc.lo}, {"hi", hi, tc.hi}} {
				if math.IsNaN(b.want) && !math.IsNaN(b.got) || !math.IsNaN(b.want) && math.Abs(b.got-b.want) > tc.halfTolerance {
					t.Errorf("%s = %v, want %v", b.what, b.got, b.want)
				}
			}
		})
	}
}
