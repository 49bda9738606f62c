package sim

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MeanCI returns the sample mean of xs and the two-sided 95% Student t
// confidence interval around it, mean ± t(0.975, n-1)·s/√n, where s is the
// sample standard deviation with n-1 in the denominator. This is the usual
// interval for independent replications (Law, "Simulation Modeling and
// Analysis", 5th ed., section 9.4.1). It reports ok=false with NaN bounds
// when len(xs) < 2; the mean is still returned when len(xs) == 1. xs must
// not contain NaN; callers filter first.
func MeanCI(xs []float64) (mean, lo, hi float64, ok bool) {
	n := len(xs)
	switch n {
	case 0:
		return math.NaN(), math.NaN(), math.NaN(), false
	case 1:
		return xs[0], math.NaN(), math.NaN(), false
	}

	mean, sd := stat.MeanStdDev(xs, nil)
	// Quantile draws nothing, but house style never leaves a gonum Src nil.
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1), Src: rand.NewPCG(1, 1)}
	half := t.Quantile(0.975) * sd / math.Sqrt(float64(n))
	return mean, mean - half, mean + half, true
}
