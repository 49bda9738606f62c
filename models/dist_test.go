package models

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// testDists are one distribution of each family, as the loader resolves
// them, with parameters a scenario might use.
func testDists() map[string]Dist {
	return map[string]Dist{
		"constant":     {Kind: DistConstant, Value: 1.5},
		"exponential":  {Kind: DistExponential, MeanParam: 2},
		"uniform":      {Kind: DistUniform, Min: 1, Max: 3},
		"normal":       {Kind: DistNormal, MeanParam: 10, SD: 3},
		"half normal":  {Kind: DistNormal, MeanParam: 0, SD: 1},
		"lognormal":    {Kind: DistLognormal, Mu: math.Log(0.15), Sigma: math.Log(6) / z95},
		"gamma":        {Kind: DistGamma, MeanParam: 360, CV: 0.5},
		"gamma cv 2":   {Kind: DistGamma, MeanParam: 1, CV: 2}, // shape 0.25 < 1: the boosted path
		"weibull":      {Kind: DistWeibull, Shape: 1.5, Scale: 4},
		"percentiles":  {Kind: DistPercentiles, Points: []Point{{0, 0}, {0.5, 1}, {0.9, 2}, {1, 10}}},
		"empirical":    {Kind: DistEmpirical, Samples: []float64{0.1, 0.2, 0.2, 0.5, 3}},
		"mixture":      {Kind: DistMixture, Of: []Component{{0.99, Dist{Kind: DistLognormal, Mu: math.Log(0.2), Sigma: 0.8}}, {0.01, Dist{Kind: DistConstant, Value: 60}}}},
		"busyness":     {Kind: DistGamma, MeanParam: 1, CV: 0.1},
		"uniform at 0": {Kind: DistUniform, Min: 0, Max: 1},
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func TestTestDistsAreValid(t *testing.T) {
	t.Parallel()
	for name, d := range testDists() {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSampleMoments draws 200,000 values of each family and compares their
// mean and mean square with Mean and SecondMoment. The tolerance is 5
// standard errors estimated from the draws themselves, so a correct
// sampler fails with probability below 1e-6; the seed is fixed anyway.
func TestSampleMoments(t *testing.T) {
	t.Parallel()
	const n = 200000
	for name, d := range testDists() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := d.Sampler(newRand(7))
			var sum, sum2, sum4 float64
			for range n {
				x := s.Sample()
				if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("Sample() = %g", x)
				}
				sum += x
				sum2 += x * x
				sum4 += x * x * x * x
			}
			mean, m2, m4 := sum/n, sum2/n, sum4/n
			se := math.Sqrt((m2-mean*mean)/n) + 1e-12
			se2 := math.Sqrt((m4-m2*m2)/n) + 1e-12
			if got, want := mean, d.Mean(); math.Abs(got-want) > 5*se {
				t.Errorf("sample mean = %g, Mean() = %g (se %g)", got, want, se)
			}
			if got, want := m2, d.SecondMoment(); math.Abs(got-want) > 5*se2 {
				t.Errorf("sample E[X²] = %g, SecondMoment() = %g (se %g)", got, want, se2)
			}
		})
	}
}

// TestSampleQuantiles checks that a fraction p of the draws lies at or
// below Quantile(p), within 5 binomial standard errors.
func TestSampleQuantiles(t *testing.T) {
	t.Parallel()
	const n = 100000
	for name, d := range testDists() {
		if d.Kind == DistConstant || d.Kind == DistEmpirical {
			continue // atoms: P(X <= q) jumps past p
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			qs := []float64{0.1, 0.5, 0.9, 0.99}
			if d.Kind == DistMixture {
				// Its 1% atom at 60 s holds the 0.99 quantile.
				qs[3] = 0.98
			}
			cut := make([]float64, len(qs))
			for i, p := range qs {
				cut[i] = d.Quantile(p)
			}
			below := make([]int, len(qs))
			s := d.Sampler(newRand(11))
			for range n {
				x := s.Sample()
				for i := range qs {
					if x <= cut[i] {
						below[i]++
					}
				}
			}
			for i, p := range qs {
				got := float64(below[i]) / n
				if se := math.Sqrt(p * (1 - p) / n); math.Abs(got-p) > 5*se {
					t.Errorf("P(X <= Quantile(%g) = %g) = %g, want %g", p, cut[i], got, p)
				}
			}
		})
	}
}

func TestQuantileClosedForms(t *testing.T) {
	t.Parallel()
	ds := testDists()
	mixUniform := Dist{Kind: DistMixture, Of: []Component{
		{0.5, Dist{Kind: DistUniform, Min: 0, Max: 1}}, {0.5, Dist{Kind: DistUniform, Min: 1, Max: 2}}}}
	mixConst := Dist{Kind: DistMixture, Of: []Component{
		{0.5, Dist{Kind: DistConstant, Value: 1}}, {0.5, Dist{Kind: DistConstant, Value: 3}}}}
	gammaExp := Dist{Kind: DistGamma, MeanParam: 2, CV: 1} // shape 1: exponential
	for _, tc := range []struct {
		name string
		d    Dist
		p    float64
		want float64
		tol  float64
	}{
		{"constant", ds["constant"], 0.3, 1.5, 0},
		{"exponential median", ds["exponential"], 0.5, 2 * math.Ln2, 1e-12},
		{"exponential p0", ds["exponential"], 0, 0, 0},
		{"exponential p1", ds["exponential"], 1, math.Inf(1), 0},
		{"uniform", ds["uniform"], 0.25, 1.5, 1e-12},
		// Half-normal: the median is Φ⁻¹(0.75).
		{"half normal median", ds["half normal"], 0.5, 0.6744897501960817, 1e-9},
		// Ten sd above 0 the truncation moves the median by under 1e-20.
		{"normal far from 0", Dist{Kind: DistNormal, MeanParam: 10, SD: 1}, 0.5, 10, 1e-12},
		// The lognormal was given by p50 = 150ms and p95 = 900ms.
		{"lognormal p50", ds["lognormal"], 0.5, 0.15, 1e-12},
		{"lognormal p95", ds["lognormal"], 0.95, 0.9, 1e-9},
		{"gamma with shape 1", gammaExp, 0.5, 2 * math.Ln2, 1e-9},
		{"weibull", ds["weibull"], 0.5, 4 * math.Pow(math.Ln2, 1/1.5), 1e-12},
		{"percentiles at a point", ds["percentiles"], 0.9, 2, 1e-12},
		{"percentiles between", ds["percentiles"], 0.7, 1.5, 1e-12},
		{"percentiles max", ds["percentiles"], 1, 10, 0},
		{"empirical median", ds["empirical"], 0.5, 0.2, 0},
		{"empirical p0", ds["empirical"], 0, 0.1, 0},
		{"empirical p61", ds["empirical"], 0.61, 0.5, 0},
		{"empirical max", ds["empirical"], 1, 3, 0},
		{"mixture of uniforms p25", mixUniform, 0.25, 0.5, 1e-9},
		{"mixture of uniforms p75", mixUniform, 0.75, 1.5, 1e-9},
		{"mixture of constants p25", mixConst, 0.25, 1, 0},
		{"mixture of constants p75", mixConst, 0.75, 3, 0},
		{"mixture of constants p50", mixConst, 0.5, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.d.Quantile(tc.p)
			if !(got == tc.want || math.Abs(got-tc.want) <= tc.tol*math.Max(1, math.Abs(tc.want))) {
				t.Errorf("Quantile(%g) = %.15g, want %.15g", tc.p, got, tc.want)
			}
		})
	}
}

// TestMixtureQuantileInvertsCDF checks the bisection on a mixture with no
// closed form.
func TestMixtureQuantileInvertsCDF(t *testing.T) {
	t.Parallel()
	d := testDists()["mixture"]
	for _, p := range []float64{0.01, 0.25, 0.5, 0.95, 0.985, 0.995} {
		q := d.Quantile(p)
		if f := d.cdf(q); math.Abs(f-p) > 1e-9 && !(f >= p && d.cdf(q*(1-1e-9)) < p) {
			t.Errorf("cdf(Quantile(%g) = %g) = %g", p, q, f)
		}
	}
	// Above 99% only the 60 s hang is left.
	if q := d.Quantile(0.999); q != 60 {
		t.Errorf("Quantile(0.999) = %g, want 60", q)
	}
}

func TestTruncatedNormalMoments(t *testing.T) {
	t.Parallel()
	// Half-normal with sd 1: mean sqrt(2/π), E[X²] = 1.
	d := testDists()["half normal"]
	if got, want := d.Mean(), math.Sqrt(2/math.Pi); math.Abs(got-want) > 1e-12 {
		t.Errorf("Mean() = %g, want %g", got, want)
	}
	if got := d.SecondMoment(); math.Abs(got-1) > 1e-12 {
		t.Errorf("SecondMoment() = %g, want 1", got)
	}
}

func TestSameSeedSameDraws(t *testing.T) {
	t.Parallel()
	for name, d := range testDists() {
		a, b := d.Sampler(newRand(42)), d.Sampler(newRand(42))
		c := d.Sampler(newRand(43))
		differs := false
		for i := range 1000 {
			x, y, z := a.Sample(), b.Sample(), c.Sample()
			if x != y {
				t.Fatalf("%s: draw %d differs with the same seed: %g, %g", name, i, x, y)
			}
			differs = differs || x != z
		}
		if !differs && d.Kind != DistConstant {
			t.Errorf("%s: seeds 42 and 43 give the same 1000 draws", name)
		}
	}
}

// countingSource counts the random numbers drawn through it.
type countingSource struct {
	src rand.Source
	n   int
}

func (c *countingSource) Uint64() uint64 { c.n++; return c.src.Uint64() }

func TestConstantDrawsNoRandomNumbers(t *testing.T) {
	t.Parallel()
	src := &countingSource{src: rand.NewPCG(1, 2)}
	d := Dist{Kind: DistConstant, Value: 3}
	s := d.Sampler(rand.New(src))
	for range 100 {
		if x := s.Sample(); x != 3 {
			t.Fatalf("Sample() = %g, want 3", x)
		}
	}
	if src.n != 0 {
		t.Errorf("a constant drew %d random numbers, want 0", src.n)
	}
	// Every other family draws from r and only from r.
	for name, d := range testDists() {
		if d.Kind == DistConstant {
			continue
		}
		src := &countingSource{src: rand.NewPCG(1, 2)}
		s := d.Sampler(rand.New(src))
		s.Sample()
		if src.n == 0 {
			t.Errorf("%s drew no random numbers from its generator", name)
		}
	}
}

func TestSampleDoesNotAllocate(t *testing.T) {
	for name, d := range testDists() {
		s := d.Sampler(newRand(1))
		if a := testing.AllocsPerRun(1000, func() { s.Sample() }); a != 0 {
			t.Errorf("%s: %g allocations per Sample, want 0", name, a)
		}
	}
}

func BenchmarkSample(b *testing.B) {
	for _, name := range []string{"exponential", "lognormal", "gamma", "percentiles", "mixture"} {
		d := testDists()[name]
		b.Run(name, func(b *testing.B) {
			s := d.Sampler(newRand(1))
			b.ReportAllocs()
			for b.Loop() {
				s.Sample()
			}
		})
	}
}

// distOf parses the endpoint latency (or, for busyness, the arrivals'
// busyness) written as the YAML flow mapping src.
func distOf(t *testing.T, src string, busyness bool) (Dist, []string) {
	t.Helper()
	in := edit(t, "{dist: exponential, mean: 200ms}", src)
	if busyness {
		in = edit(t, "arrivals: {rate: 1/s}", "arrivals: {rate: 1/s, busyness: "+src+"}")
	}
	sc, err := Parse("s.yaml", []byte(in), t.TempDir(), nil)
	if err != nil {
		return Dist{}, strings.Split(err.Error(), "\n")
	}
	if busyness {
		return *sc.Arrivals.Busyness, nil
	}
	return sc.Endpoints[0].Latency, nil
}

func TestDistForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		busy      bool
		check     func(d Dist) bool
	}{
		{"lognormal mean cv", "{dist: lognormal, mean: 2s, cv: 0.5}", false, func(d Dist) bool {
			s2 := math.Log(1.25)
			return closeTo(d.Sigma, math.Sqrt(s2)) && closeTo(d.Mu, math.Log(2)-s2/2) && closeTo(d.Mean(), 2)
		}},
		{"lognormal p50 p99", "{dist: lognormal, p50: 100ms, p99: 1s}", false, func(d Dist) bool {
			return closeTo(d.Mu, math.Log(0.1)) && closeTo(d.Sigma, math.Log(10)/z99)
		}},
		{"lognormal mu sigma", "{dist: lognormal, mu: -1, sigma: 0.5}", false, func(d Dist) bool {
			return d.Mu == -1 && d.Sigma == 0.5
		}},
		{"percentiles with default p0", "{dist: percentiles, p50: 200ms, p90: 1s, p100: 5s}", false, func(d Dist) bool {
			return len(d.Points) == 4 && d.Points[0] == (Point{0, 0}) && d.Points[1] == (Point{0.5, 0.2}) && d.Points[3] == (Point{1, 5})
		}},
		{"percentiles with p0", "{dist: percentiles, p100: 5s, p0: 1s}", false, func(d Dist) bool {
			return len(d.Points) == 2 && d.Points[0] == (Point{0, 1})
		}},
		{"empirical inline durations", "{dist: empirical, samples: [300ms, 1s, 0.5]}", false, func(d Dist) bool {
			return len(d.Samples) == 3 && closeTo(d.Samples[0], 0.3) && d.Samples[1] == 0.5 && d.Samples[2] == 1
		}},
		{"empirical with a unit", "{dist: empirical, samples: [300, 100], unit: ms}", false, func(d Dist) bool {
			return len(d.Samples) == 2 && closeTo(d.Samples[0], 0.1) && closeTo(d.Samples[1], 0.3)
		}},
		{"mixture", "{dist: mixture, of: [{weight: 99%, dist: lognormal, p50: 200ms, p95: 800ms}, {weight: 1%, dist: constant, value: 60s}]}", false, func(d Dist) bool {
			return len(d.Of) == 2 && closeTo(d.Of[0].Weight, 0.99) && d.Of[1].Dist.Value == 60 && d.Of[0].Dist.Kind == DistLognormal
		}},
		{"nested mixture", "{dist: mixture, of: [{weight: 0.5, dist: mixture, of: [{weight: 1, dist: constant, value: 1}]}, {weight: 0.5, dist: exponential, mean: 1}]}", false, func(d Dist) bool {
			return len(d.Of) == 2 && d.Of[0].Dist.Kind == DistMixture
		}},
		{"gamma", "{dist: gamma, mean: 6m, cv: 1}", false, func(d Dist) bool { return d.MeanParam == 360 && d.CV == 1 }},
		{"weibull", "{dist: weibull, shape: 2, scale: 1m}", false, func(d Dist) bool { return d.Shape == 2 && d.Scale == 60 }},
		{"normal", "{dist: normal, mean: 1s, sd: 200ms}", false, func(d Dist) bool { return d.MeanParam == 1 && closeTo(d.SD, 0.2) }},
		{"uniform", "{dist: uniform, min: 0, max: 1m}", false, func(d Dist) bool { return d.Min == 0 && d.Max == 60 }},
		{"busyness is unitless", "{dist: gamma, mean: 1, cv: 0.1}", true, func(d Dist) bool { return d.MeanParam == 1 }},
		{"busyness empirical", "{dist: empirical, samples: [0.8, 1.2]}", true, func(d Dist) bool { return len(d.Samples) == 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, probs := distOf(t, tc.src, tc.busy)
			if probs != nil {
				t.Fatalf("problems: %q", probs)
			}
			if !tc.check(d) {
				t.Errorf("resolved to %+v", d)
			}
		})
	}
}

func TestDistProblems(t *testing.T) {
	t.Parallel()
	const at = "s.yaml:6:"
	for _, tc := range []struct {
		name, src string
		busy      bool
		want      string
	}{
		{"negative mean", "{dist: exponential, mean: -1s}", false, at + "40: endpoints.crm.latency.mean: must not be negative, got -1s"},
		{"cv not positive", "{dist: gamma, mean: 1s, cv: 0}", false, at + "42: endpoints.crm.latency.cv: must be greater than 0, got 0"},
		{"missing dist", "{mean: 1s}", false, at + "14: endpoints.crm.latency.dist: required"},
		{"not a mapping", "fast", false, at + `14: endpoints.crm.latency: must be a distribution like {dist: exponential, mean: 2s}, got "fast"`},
		{"percentiles without p100", "{dist: percentiles, p50: 1s}", false, at + "14: endpoints.crm.latency.p100: required"},
		{"percentiles decreasing", "{dist: percentiles, p50: 2s, p90: 1s, p100: 3s}", false, at + "48: endpoints.crm.latency.p90: must not be below p50 (2s), got 1s"},
		{"percentiles bad key", "{dist: percentiles, p50: 1s, p100: 2s, p99.9: 3s}", false, at + `53: endpoints.crm.latency: unknown key "p99.9"; did you mean "p99"?`},
		{"empirical without samples", "{dist: empirical}", false, at + "14: endpoints.crm.latency: empirical needs samples: [...] or csv: FILE with column: NAME"},
		{"empirical negative sample", "{dist: empirical, samples: [1, -2]}", false, at + "45: endpoints.crm.latency.samples[1]: must not be negative, got -2"},
		{"empirical unit with durations", "{dist: empirical, samples: [1s], unit: ms}", false, at + `42: endpoints.crm.latency.samples[0]: must be a number, got 1s`},
		{"empirical missing CSV", "{dist: empirical, csv: nope.csv, column: x}", false, at + "37: endpoints.crm.latency.csv: cannot read %s/nope.csv: no such file or directory"},
		{"uniform max below min", "{dist: uniform, min: 2s, max: 1s}", false, at + "44: endpoints.crm.latency.max: must be greater than min, got 1s"},
		{"mixture without weight", "{dist: mixture, of: [{dist: constant, value: 1s}]}", false, at + "35: endpoints.crm.latency.of[0].weight: required"},
		{"busyness has no unit", "{dist: gamma, mean: 1s, cv: 0.1}", true, `s.yaml:2:53: arrivals.busyness.mean: must be a number, got 1s`},
		{"normal with a negative mean", "{dist: normal, mean: -1s, sd: 1s}", false, at + "35: endpoints.crm.latency.mean: must not be negative, got -1s"},
		{"too extreme", "{dist: weibull, shape: 0.001, scale: 1s}", false, at + "14: endpoints.crm.latency: the parameters are too extreme: the mean or its square is not finite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, probs := distOf(t, tc.src, tc.busy)
			want := tc.want
			if strings.Contains(want, "%s") {
				// The CSV path is in the test's own temporary directory.
				if len(probs) == 1 && strings.Contains(probs[0], "cannot read ") {
					dir := probs[0][strings.Index(probs[0], "cannot read ")+len("cannot read "):]
					dir = dir[:strings.Index(dir, "/nope.csv")]
					want = strings.Replace(want, "%s", dir, 1)
				}
			}
			if len(probs) != 1 || probs[0] != want {
				t.Errorf("problems %q, want %q", probs, want)
			}
		})
	}
}
