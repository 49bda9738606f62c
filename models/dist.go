package models

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// Sampler draws values from one distribution: seconds, or a unitless
// multiplier for arrivals.busyness. A draw is never negative.
type Sampler interface {
	Sample() float64
}

// Sampler returns a sampler of d that takes every random number from r and
// from nothing else. Sample does not allocate, and a constant draws no
// random numbers at all, so adding a constant never shifts a stream.
// d must be valid (see [Dist.Validate]); r must not be shared across
// goroutines.
//
// The families are sampled directly rather than through gonum's distuv,
// whose Gamma.Rand allocates a generator on every call:
//   - normal: N(mean, sd) drawn again while negative (Validate requires
//     mean >= 0, so at least half of the draws are kept);
//   - lognormal: exp(mu + sigma·Z);
//   - gamma: Marsaglia and Tsang, "A simple method for generating gamma
//     variables", ACM TOMS 26(3), 2000, with the U^(1/k) boost for k < 1;
//   - weibull: inversion, scale·(−ln(1−U))^(1/shape);
//   - percentiles: inversion of the piecewise-linear inverse CDF;
//   - empirical: one of the samples, uniformly;
//   - mixture: a component by weight, then a draw from it.
func (d *Dist) Sampler(r *rand.Rand) Sampler {
	switch d.Kind {
	case DistConstant:
		return constSampler(d.Value)
	case DistExponential:
		return &expSampler{r: r, mean: d.MeanParam}
	case DistUniform:
		return &uniformSampler{r: r, min: d.Min, width: d.Max - d.Min}
	case DistNormal:
		return &normalSampler{r: r, mean: d.MeanParam, sd: d.SD}
	case DistLognormal:
		return &lognormalSampler{r: r, mu: d.Mu, sigma: d.Sigma}
	case DistGamma:
		return newGammaSampler(r, d.MeanParam, d.CV)
	case DistWeibull:
		return &weibullSampler{r: r, shape: d.Shape, scale: d.Scale}
	case DistPercentiles:
		return &percentileSampler{r: r, pts: d.Points}
	case DistEmpirical:
		return &empiricalSampler{r: r, s: d.Samples}
	case DistMixture:
		m := &mixtureSampler{r: r}
		acc := 0.0
		for i := range d.Of {
			acc += d.Of[i].Weight
			m.cum = append(m.cum, acc)
			m.parts = append(m.parts, d.Of[i].Dist.Sampler(r))
		}
		// Rounding must never leave a draw of U just below 1 unassigned.
		m.cum[len(m.cum)-1] = math.Inf(1)
		return m
	}
	panic("models: Sampler of an unknown distribution " + string(d.Kind))
}

type constSampler float64

func (c constSampler) Sample() float64 { return float64(c) }

type expSampler struct {
	r    *rand.Rand
	mean float64
}

func (s *expSampler) Sample() float64 { return s.mean * s.r.ExpFloat64() }

type uniformSampler struct {
	r          *rand.Rand
	min, width float64
}

func (s *uniformSampler) Sample() float64 { return s.min + s.width*s.r.Float64() }

type normalSampler struct {
	r        *rand.Rand
	mean, sd float64
}

func (s *normalSampler) Sample() float64 {
	for {
		if x := s.mean + s.sd*s.r.NormFloat64(); x >= 0 {
			return x
		}
	}
}

type lognormalSampler struct {
	r         *rand.Rand
	mu, sigma float64
}

func (s *lognormalSampler) Sample() float64 { return math.Exp(s.mu + s.sigma*s.r.NormFloat64()) }

type gammaSampler struct {
	r     *rand.Rand
	d, c  float64 // Marsaglia–Tsang constants for shape max(k, k+1)
	theta float64 // scale
	invK  float64 // 1/k when k < 1 (the boost), else 0
}

func newGammaSampler(r *rand.Rand, mean, cv float64) *gammaSampler {
	k := 1 / (cv * cv)
	s := &gammaSampler{r: r, theta: mean * cv * cv}
	if k < 1 {
		s.invK = 1 / k
		k++
	}
	s.d = k - 1.0/3
	s.c = 1 / math.Sqrt(9*s.d)
	return s
}

func (s *gammaSampler) Sample() float64 {
	var x float64
	for {
		z := s.r.NormFloat64()
		v := 1 + s.c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := s.r.Float64()
		if u < 1-0.0331*z*z*z*z || math.Log(u) < 0.5*z*z+s.d*(1-v+math.Log(v)) {
			x = s.d * v
			break
		}
	}
	if s.invK != 0 {
		x *= math.Pow(s.r.Float64(), s.invK)
	}
	return x * s.theta
}

type weibullSampler struct {
	r            *rand.Rand
	shape, scale float64
}

func (s *weibullSampler) Sample() float64 {
	return s.scale * math.Pow(-math.Log1p(-s.r.Float64()), 1/s.shape)
}

type percentileSampler struct {
	r   *rand.Rand
	pts []Point
}

func (s *percentileSampler) Sample() float64 { return percentileQuantile(s.pts, s.r.Float64()) }

type empiricalSampler struct {
	r *rand.Rand
	s []float64
}

func (s *empiricalSampler) Sample() float64 { return s.s[s.r.IntN(len(s.s))] }

type mixtureSampler struct {
	r     *rand.Rand
	cum   []float64
	parts []Sampler
}

func (s *mixtureSampler) Sample() float64 {
	u := s.r.Float64()
	for i, c := range s.cum {
		if u < c {
			return s.parts[i].Sample()
		}
	}
	return s.parts[len(s.parts)-1].Sample()
}

// Mean returns the exact mean of d: for normal the mean of the normal
// truncated at 0 (negative draws are drawn again), for empirical the sample
// mean, for percentiles the mean of the piecewise-linear inverse CDF, for a
// mixture the weighted mean of its components.
func (d *Dist) Mean() float64 {
	switch d.Kind {
	case DistConstant:
		return d.Value
	case DistExponential, DistGamma:
		return d.MeanParam
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistNormal:
		m, _ := truncNormalMoments(d.MeanParam, d.SD)
		return m
	case DistLognormal:
		return math.Exp(d.Mu + d.Sigma*d.Sigma/2)
	case DistWeibull:
		return d.Scale * math.Gamma(1+1/d.Shape)
	case DistPercentiles:
		m := 0.0
		for i := 1; i < len(d.Points); i++ {
			a, b := d.Points[i-1], d.Points[i]
			m += (b.P - a.P) * (a.V + b.V) / 2
		}
		return m
	case DistEmpirical:
		m := 0.0
		for _, x := range d.Samples {
			m += x
		}
		return m / float64(len(d.Samples))
	case DistMixture:
		m := 0.0
		for i := range d.Of {
			m += d.Of[i].Weight * d.Of[i].Dist.Mean()
		}
		return m
	}
	return math.NaN()
}

// SecondMoment returns E[X²] of d, as the Pollaczek–Khinchine formula for
// the mean wait in an M/G/1 queue needs it (Kleinrock, Queueing Systems
// vol. 1, §5.5).
func (d *Dist) SecondMoment() float64 {
	switch d.Kind {
	case DistConstant:
		return d.Value * d.Value
	case DistExponential:
		return 2 * d.MeanParam * d.MeanParam
	case DistUniform:
		return (d.Min*d.Min + d.Min*d.Max + d.Max*d.Max) / 3
	case DistNormal:
		_, m2 := truncNormalMoments(d.MeanParam, d.SD)
		return m2
	case DistLognormal:
		return math.Exp(2*d.Mu + 2*d.Sigma*d.Sigma)
	case DistGamma:
		return d.MeanParam * d.MeanParam * (1 + d.CV*d.CV)
	case DistWeibull:
		return d.Scale * d.Scale * math.Gamma(1+2/d.Shape)
	case DistPercentiles:
		// Between two points the inverse CDF is linear from a to b, and
		// the integral of x² over that piece is ΔP·(a²+ab+b²)/3.
		m := 0.0
		for i := 1; i < len(d.Points); i++ {
			a, b := d.Points[i-1].V, d.Points[i].V
			m += (d.Points[i].P - d.Points[i-1].P) * (a*a + a*b + b*b) / 3
		}
		return m
	case DistEmpirical:
		m := 0.0
		for _, x := range d.Samples {
			m += x * x
		}
		return m / float64(len(d.Samples))
	case DistMixture:
		m := 0.0
		for i := range d.Of {
			m += d.Of[i].Weight * d.Of[i].Dist.SecondMoment()
		}
		return m
	}
	return math.NaN()
}

// truncNormalMoments returns E[X] and E[X²] of N(mu, sd²) truncated to
// [0, ∞). With α = −mu/sd, Z = 1 − Φ(α) and λ = φ(α)/Z, the mean is
// mu + sd·λ and the variance sd²·(1 + αλ − λ²) (Johnson, Kotz and
// Balakrishnan, Continuous Univariate Distributions vol. 1, §10.1).
func truncNormalMoments(mu, sd float64) (mean, second float64) {
	alpha := -mu / sd
	z := 1 - stdNormalCDF(alpha)
	lambda := stdNormalPDF(alpha) / z
	mean = mu + sd*lambda
	variance := sd * sd * (1 + alpha*lambda - lambda*lambda)
	return mean, variance + mean*mean
}

func stdNormalPDF(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }

func stdNormalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// stdNormalQuantile is Φ⁻¹(p), through the inverse complementary error
// function on the side that keeps its argument small, for accuracy in both
// tails.
func stdNormalQuantile(p float64) float64 {
	if p > 0.5 {
		return math.Sqrt2 * math.Erfcinv(2*(1-p))
	}
	return -math.Sqrt2 * math.Erfcinv(2*p)
}

// Quantile returns the p-quantile of d, the smallest x with F(x) >= p, for
// p in [0, 1] (clamped). It is exact where a closed form exists; gamma uses
// gonum's inverse regularized incomplete gamma function, and a mixture
// bisects its CDF. Quantile(1) of an unbounded family is +Inf.
func (d *Dist) Quantile(p float64) float64 {
	p = math.Max(0, math.Min(1, p))
	switch d.Kind {
	case DistConstant:
		return d.Value
	case DistExponential:
		return -d.MeanParam * math.Log1p(-p)
	case DistUniform:
		return d.Min + p*(d.Max-d.Min)
	case DistNormal:
		lo := stdNormalCDF(-d.MeanParam / d.SD)
		return math.Max(0, d.MeanParam+d.SD*stdNormalQuantile(lo+p*(1-lo)))
	case DistLognormal:
		return math.Exp(d.Mu + d.Sigma*stdNormalQuantile(p))
	case DistGamma:
		if p == 1 {
			return math.Inf(1)
		}
		k := 1 / (d.CV * d.CV)
		return mathext.GammaIncRegInv(k, p) * d.MeanParam / k
	case DistWeibull:
		return d.Scale * math.Pow(-math.Log1p(-p), 1/d.Shape)
	case DistPercentiles:
		return percentileQuantile(d.Points, p)
	case DistEmpirical:
		s := d.sortedSamples()
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(i, 0)]
	case DistMixture:
		return d.mixtureQuantile(p)
	}
	return math.NaN()
}

// sortedSamples returns the empirical samples in ascending order, without
// copying when the loader already sorted them.
func (d *Dist) sortedSamples() []float64 {
	if sort.Float64sAreSorted(d.Samples) {
		return d.Samples
	}
	s := append([]float64(nil), d.Samples...)
	sort.Float64s(s)
	return s
}

// percentileQuantile interpolates linearly between the points, which have
// P strictly increasing from 0 to 1.
func percentileQuantile(pts []Point, p float64) float64 {
	i := sort.Search(len(pts), func(i int) bool { return pts[i].P >= p })
	if i == 0 {
		return pts[0].V
	}
	if i == len(pts) {
		return pts[len(pts)-1].V
	}
	a, b := pts[i-1], pts[i]
	return a.V + (p-a.P)/(b.P-a.P)*(b.V-a.V)
}

// mixtureQuantile finds the smallest x with F(x) >= p by bisection. The
// answer lies between the smallest and the largest quantile of the
// components: at the largest, every component's CDF is at least p.
func (d *Dist) mixtureQuantile(p float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range d.Of {
		q := d.Of[i].Dist.Quantile(p)
		lo, hi = math.Min(lo, q), math.Max(hi, q)
	}
	if d.cdf(lo) >= p || math.IsInf(hi, 1) {
		if d.cdf(lo) >= p {
			return lo
		}
		return hi
	}
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if d.cdf(mid) >= p {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// cdf returns P(X <= x).
func (d *Dist) cdf(x float64) float64 {
	if x < 0 {
		return 0
	}
	switch d.Kind {
	case DistConstant:
		if x >= d.Value {
			return 1
		}
		return 0
	case DistExponential:
		return -math.Expm1(-x / d.MeanParam)
	case DistUniform:
		return math.Max(0, math.Min(1, (x-d.Min)/(d.Max-d.Min)))
	case DistNormal:
		lo := stdNormalCDF(-d.MeanParam / d.SD)
		return (stdNormalCDF((x-d.MeanParam)/d.SD) - lo) / (1 - lo)
	case DistLognormal:
		if x == 0 {
			return 0
		}
		return stdNormalCDF((math.Log(x) - d.Mu) / d.Sigma)
	case DistGamma:
		k := 1 / (d.CV * d.CV)
		return mathext.GammaIncReg(k, x*k/d.MeanParam)
	case DistWeibull:
		return -math.Expm1(-math.Pow(x/d.Scale, d.Shape))
	case DistPercentiles:
		return percentileCDF(d.Points, x)
	case DistEmpirical:
		s := d.sortedSamples()
		return float64(sort.Search(len(s), func(i int) bool { return s[i] > x })) / float64(len(s))
	case DistMixture:
		f := 0.0
		for i := range d.Of {
			f += d.Of[i].Weight * d.Of[i].Dist.cdf(x)
		}
		return f
	}
	return math.NaN()
}

// percentileCDF inverts the piecewise-linear inverse CDF; where a piece is
// flat (two points share a value) the CDF jumps over it.
func percentileCDF(pts []Point, x float64) float64 {
	if x < pts[0].V {
		return 0
	}
	f := 0.0
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if x >= b.V {
			f = b.P
			continue
		}
		if x >= a.V && b.V > a.V {
			f = a.P + (x-a.V)/(b.V-a.V)*(b.P-a.P)
		}
		break
	}
	return f
}
