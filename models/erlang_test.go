package models

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// The expected numbers below come from the `our_exact` entries of
// /work/shared/data/validation_cases/cases.json, cited by case id. Those
// values are printed to six significant figures or six decimals, so the
// tolerance is one unit in the last printed place unless stated otherwise.

// wantNear fails the test when got is farther than tol from want.
func wantNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.9g, want %.9g (±%g)", what, got, want, tol)
	}
}

func TestErlangB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    int
		a    float64
		want float64
		tol  float64
	}{
		// EB-1: 15 lines carry at most 8.108043 Erl at 1% blocking, and
		// B(15, 8.108) = 0.0099996.
		{name: "EB-1 15 lines at 8.108 Erl", c: 15, a: 8.108, want: 0.0099996, tol: 1e-7},
		{name: "EB-1 15 lines at the 1% load", c: 15, a: 8.108043, want: 0.01, tol: 1e-8},
		{name: "EB-2 17 lines at 10 Erl", c: 17, a: 10, want: 0.012949, tol: 1e-6},
		{name: "EB-2 16 lines at 10 Erl", c: 16, a: 10, want: 0.022302, tol: 1e-6},
		// B(1, a) = a / (1 + a) from the definition.
		{name: "one line", c: 1, a: 3, want: 0.75, tol: 1e-15},
		// No servers: everyone is blocked.
		{name: "no servers", c: 0, a: 2, want: 1, tol: 0},
		{name: "no load", c: 4, a: 0, want: 0, tol: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantNear(t, "ErlangB", ErlangB(tc.c, tc.a), tc.want, tc.tol)
		})
	}
}

func TestErlangBLargeSystem(t *testing.T) {
	t.Parallel()
	// The recursion must not overflow where a^c / c! does (800! overflows
	// float64): the blocking of 800 servers at 720 Erlangs is tiny but
	// positive, and close to 0 compared with 1 server.
	b := ErlangB(800, 720)
	if !(b > 0 && b < 1e-3) || math.IsNaN(b) {
		t.Errorf("ErlangB(800, 720) = %g, want in (0, 1e-3)", b)
	}
}

func TestErlangC(t *testing.T) {
	t.Parallel()
	// EC-1 and EC-2: 100 calls in 30 min (λ = 10/3 per min), AHT 3 min, so
	// a = 10 Erlangs; the target is 0.33 min.
	lambda, aht, target := 100.0/30, 3.0, 0.33
	tests := []struct {
		name              string
		c                 int
		pWait, sl, occ, w float64 // w: mean wait in s, NaN when not given
	}{
		{name: "EC-1 14 agents", c: 14, pWait: 0.174132, sl: 0.887853, occ: 0.714286, w: 7.84},
		{name: "EC-1 13 agents", c: 13, pWait: math.NaN(), sl: 0.794912, occ: 10.0 / 13, w: math.NaN()},
		{name: "EC-2 15 agents", c: 15, pWait: 0.102042, sl: 0.941127, occ: 0.666667, w: math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := NewMMc(tc.c, lambda, aht)
			if !math.IsNaN(tc.pWait) {
				wantNear(t, "PWait", m.PWait, tc.pWait, 1e-6)
				wantNear(t, "ErlangC", ErlangC(tc.c, lambda*aht), tc.pWait, 1e-6)
			}
			wantNear(t, "ServiceLevel", m.ServiceLevel(target), tc.sl, 1e-6)
			wantNear(t, "Utilization", m.Utilization, tc.occ, 1e-6)
			if !math.IsNaN(tc.w) {
				// EC-1 gives the ASA in seconds to two decimals.
				wantNear(t, "Wq (s)", m.Wq*60, tc.w, 0.005)
			}
		})
	}
}

func TestMMc(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		c          int
		lambda, s  float64
		pWait, wq  float64
		sl, target float64 // sl at target; NaN when not given
		tol        float64
	}{
		// EC-3: λ = 4.2/min, s = 2 min, 12 agents, 20 s target; minutes.
		{name: "EC-3", c: 12, lambda: 4.2, s: 2, pWait: 0.183889, wq: 0.10216, sl: 0.89908, target: 20.0 / 60, tol: 1e-5},
		// EC-4: λ = 300/yr, μ = 182.5/yr, 3 servers; Wq in days.
		{name: "EC-4", c: 3, lambda: 300, s: 1 / 182.5, pWait: 0.290751, wq: 0.428785 / 365, sl: math.NaN(), tol: 1e-6},
		// MMc-2: λ = 20/h, μ = 30/h, 2 servers; Wq 0.25 min, exact.
		{name: "MMc-2", c: 2, lambda: 20, s: 1.0 / 30, pWait: 1.0 / 6, wq: 0.25 / 60, sl: math.NaN(), tol: 1e-12},
		// MM1-1: mean interarrival 1.25 min, service 1 min: Wq = 4 min.
		{name: "MM1-1", c: 1, lambda: 1 / 1.25, s: 1, pWait: 0.8, wq: 4, sl: math.NaN(), tol: 1e-12},
		// MM1-2: λ = 1/min, μ = 1/0.9 per min: Wq = 8.1 min.
		{name: "MM1-2", c: 1, lambda: 1, s: 0.9, pWait: 0.9, wq: 8.1, sl: math.NaN(), tol: 1e-12},
		// MM1-3: λ = 30/h, s = 1.5 min: Wq = 4.5 min (in minutes).
		{name: "MM1-3", c: 1, lambda: 0.5, s: 1.5, pWait: 0.75, wq: 4.5, sl: math.NaN(), tol: 1e-12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := NewMMc(tc.c, tc.lambda, tc.s)
			wantNear(t, "PWait", m.PWait, tc.pWait, tc.tol)
			wantNear(t, "Wq", m.Wq, tc.wq, tc.tol*math.Max(1, tc.wq))
			if !math.IsNaN(tc.sl) {
				wantNear(t, "ServiceLevel", m.ServiceLevel(tc.target), tc.sl, tc.tol)
			}
		})
	}
}

func TestErlangCIdentities(t *testing.T) {
	t.Parallel()
	// M/M/1: the probability of waiting is the load ρ, and Wq = ρ / (μ − λ)
	// (Kleinrock, Queueing Systems vol. 1, §3.2).
	for _, rho := range []float64{0.01, 0.3, 0.5, 0.9, 0.999} {
		wantNear(t, "ErlangC(1, rho)", ErlangC(1, rho), rho, 1e-14)
		m := NewMMc(1, rho, 1)
		wantNear(t, "M/M/1 Wq", m.Wq, rho/(1-rho), 1e-12*(1+rho/(1-rho)))
	}
	// C >= B always, and both fall as servers are added at a fixed load.
	for c := 1; c < 30; c++ {
		if ErlangC(c, 0.8*float64(c)) < ErlangB(c, 0.8*float64(c)) {
			t.Errorf("ErlangC(%d) < ErlangB(%d)", c, c)
		}
		if ErlangC(c+1, 5) >= ErlangC(c, 5) && float64(c) > 5 {
			t.Errorf("ErlangC(%d, 5) does not fall with c", c+1)
		}
	}
	// Overloaded: everyone waits, forever on average.
	if got := ErlangC(10, 10); got != 1 {
		t.Errorf("ErlangC(10, 10) = %g, want 1", got)
	}
	m := NewMMc(10, 2, 6)
	if !m.Overloaded() || !math.IsInf(m.Wq, 1) || m.ServiceLevel(20) != 0 {
		t.Errorf("NewMMc(10, 2, 6) = %+v, want overloaded with Wq +Inf and SL 0", m)
	}
	// No arrivals: nobody waits, even with no servers.
	if m := NewMMc(0, 0, 6); m.Overloaded() || m.PWait != 0 || m.Wq != 0 || m.ServiceLevel(20) != 1 {
		t.Errorf("NewMMc(0, 0, 6) = %+v, want an idle queue", m)
	}
	// The mean wait over all arrivals is P(wait) times the mean wait of
	// those who wait.
	m = NewMMc(12, 4.2, 2)
	wantNear(t, "Wq", m.Wq, m.PWait*m.WaitOfWaiting(), 1e-15)
}

func TestMMcK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		c, k              int
		lambda, s         float64
		block, wq, util   float64
		tolBlock, tolRest float64
	}{
		// MMcK-1: λ = 4.2/min, s = 2 min, 12 agents and 5 waiting places.
		{name: "MMcK-1", c: 12, k: 17, lambda: 4.2, s: 2, block: 0.009477, wq: 0.061124, util: 0.693366, tolBlock: 1e-6, tolRest: 1e-6},
		// MMcK-2: λ = 3/min, s = 30 s, 2 servers, 4 places; minutes.
		{name: "MMcK-2", c: 2, k: 4, lambda: 3, s: 0.5, block: 0.124043, wq: 0.157343, util: 0.656968, tolBlock: 1e-6, tolRest: 1e-6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			block, wq, util := MMcK(tc.c, tc.k, tc.lambda, tc.s)
			wantNear(t, "block", block, tc.block, tc.tolBlock)
			wantNear(t, "wqAdmitted", wq, tc.wq, tc.tolRest)
			wantNear(t, "utilization", util, tc.util, tc.tolRest)
		})
	}
}

func TestMMcKLimits(t *testing.T) {
	t.Parallel()
	// K = c is the loss system: blocking is Erlang B and nobody waits.
	block, wq, _ := MMcK(5, 5, 20, 0.2)
	wantNear(t, "M/M/5/5 block", block, ErlangB(5, 4), 1e-14)
	wantNear(t, "M/M/5/5 wait", wq, 0, 0)
	// A very large K tends to M/M/c.
	block, wq, util := MMcK(12, 2000, 4.2, 2)
	m := NewMMc(12, 4.2, 2)
	wantNear(t, "large K block", block, 0, 1e-15)
	wantNear(t, "large K wait", wq, m.Wq, 1e-12)
	wantNear(t, "large K utilization", util, m.Utilization, 1e-12)
	// Many servers must not overflow.
	block, _, util = MMcK(800, 1000, 2, 360)
	if math.IsNaN(block) || math.IsNaN(util) {
		t.Errorf("MMcK(800, 1000, 2, 360) gave NaN")
	}
}

func TestPollaczekKhinchine(t *testing.T) {
	t.Parallel()
	// MD1-1: λ = 8/h, constant service 1/12 h: Wq = 5 min, exact.
	wantNear(t, "MD1Wq (min)", MD1Wq(8, 1.0/12)*60, 5, 1e-12)
	// MG1-1: λ = 80/s, mean 9 ms, sd 3 ms: Wq = 0.0128571 s (3 significant
	// digits stated; the value is printed to 6).
	wantNear(t, "MG1Wq", MG1Wq(80, 0.009, 0.009*0.009+0.003*0.003), 0.0128571, 1e-7)
	// Exponential service (E[S²] = 2 s²) gives back M/M/1.
	wantNear(t, "MG1Wq exponential", MG1Wq(0.5, 1.5, 2*1.5*1.5), NewMMc(1, 0.5, 1.5).Wq, 1e-12)
	if got := MD1Wq(10, 0.1); !math.IsInf(got, 1) {
		t.Errorf("MD1Wq at rho = 1 = %g, want +Inf", got)
	}
}

func TestAllenCunneen(t *testing.T) {
	t.Parallel()
	// GGc-1: M/D/12 with λ = 4.2/min and service 2 min: 0.05108 min.
	wantNear(t, "M/D/12", AllenCunneenWq(12, 4.2, 2, 1, 0), 0.05108, 1e-5)
	// GG1-1: λ = 80/s, ca = 2, mean 9 ms, cs = 1/3: 0.0475714 s.
	wantNear(t, "G/G/1", AllenCunneenWq(1, 80, 0.009, 4, 1.0/9), 0.0475714, 1e-7)
}

func TestErlangA(t *testing.T) {
	t.Parallel()
	// EA-1: λ = 100/30 per min, AHT 3 min, patience mean 5 min, 14 agents,
	// target 20 s; minutes. Values are printed to 5-6 significant digits.
	r := ErlangA(14, 100.0/30, 3, 5)
	wantNear(t, "EA-1 PWait", r.PWait, 0.14526, 1e-5)
	wantNear(t, "EA-1 PAbandon", r.PAbandon, 0.013984, 1e-6)
	wantNear(t, "EA-1 Occupancy", r.Occupancy, 0.704297, 1e-6)
	wantNear(t, "EA-1 Wq", r.Wq, 0.069919, 1e-6)
	wantNear(t, "EA-1 WqAnswered", r.WqAnswered, 0.064641, 1e-6)
	wantNear(t, "EA-1 ServiceLevel", r.ServiceLevel(20.0/60), 0.916792, 1e-6)

	// EA-2: λ = 4.2/min, s = 2 min, 12 agents, patience mean 1 min.
	r = ErlangA(12, 4.2, 2, 1)
	t20 := 20.0 / 60
	answered := r.AnsweredWithin(t20)
	wantNear(t, "EA-2 PAbandon", r.PAbandon, 0.029679, 1e-6)
	wantNear(t, "EA-2 PWait", r.PWait, 0.127372, 1e-6)
	wantNear(t, "EA-2 Occupancy", r.Occupancy, 0.679225, 1e-6)
	wantNear(t, "EA-2 WqAnswered", r.WqAnswered, 0.02406, 1e-5)
	wantNear(t, "EA-2 SL of answered", answered/(1-r.PAbandon), 0.974182, 1e-6)
	// Served within 20 s over served plus abandoned after 20 s.
	slAb := answered / ((1 - r.PAbandon) + (r.PAbandon - r.AbandonedWithin(t20)))
	wantNear(t, "EA-2 SL with abandonment", slAb, 0.967872, 1e-6)
}

func TestErlangAIdentities(t *testing.T) {
	t.Parallel()
	// The abandonment fraction from Little's law (θ Lq / λ) equals the one
	// from the tagged caller, Σ P(k ahead) (1 − c μ / (c μ + (k+1) θ)), and
	// the transient chain reaches it as t grows.
	r := ErlangA(10, 1, 10, 30)
	wantNear(t, "AbandonedWithin(inf)", r.AbandonedWithin(1e5), r.PAbandon, 1e-9)
	wantNear(t, "AnsweredWithin(inf)", r.AnsweredWithin(1e5), 1-r.PAbandon, 1e-9)
	wantNear(t, "AnsweredWithin(0)", r.AnsweredWithin(0), 1-r.PWait, 1e-15)
	// Wq over all arrivals splits into answered and abandoned callers.
	if r.WqAnswered*(1-r.PAbandon) > r.Wq {
		t.Errorf("answered callers' wait %g exceeds the total %g", r.WqAnswered*(1-r.PAbandon), r.Wq)
	}

	// Infinite patience gives back Erlang C.
	m := NewMMc(12, 4.2, 2)
	r = ErlangA(12, 4.2, 2, math.Inf(1))
	wantNear(t, "PWait vs Erlang C", r.PWait, m.PWait, 1e-12)
	wantNear(t, "Wq vs Erlang C", r.Wq, m.Wq, 1e-12)
	wantNear(t, "WqAnswered vs Erlang C", r.WqAnswered, m.Wq, 1e-12)
	wantNear(t, "SL vs Erlang C", r.ServiceLevel(1.0/3), m.ServiceLevel(1.0/3), 1e-9)
	wantNear(t, "PAbandon", r.PAbandon, 0, 0)

	// Zero patience is the loss system: whoever must wait leaves, Erlang B.
	r = ErlangA(5, 20, 0.2, 0)
	wantNear(t, "zero patience", r.PAbandon, ErlangB(5, 4), 1e-15)

	// An overloaded queue with abandonment still has a steady state, and
	// large systems do not overflow.
	r = ErlangA(800, 3, 360, 180)
	if math.IsNaN(r.PAbandon) || r.PAbandon < 1-800.0/1080-1e-3 || r.Occupancy > 1 {
		t.Errorf("ErlangA(800, 3, 360, 180) = %+v: want about 1-800/1080 abandoning", r)
	}
}

func TestErlangPoissonTail(t *testing.T) {
	t.Parallel()
	// The reference is the regularized lower incomplete gamma function,
	// P(N >= k) = P(k, m) for N Poisson of mean m (NIST DLMF §8.4, from
	// Q(n+1, m) = e^{-m} Σ_{j<=n} m^j / j!), computed by gonum
	// independently of the sums under test.
	tests := []struct {
		name string
		m    float64
		k    int
	}{
		{name: "mean 45 against 50", m: 45, k: 50}, // about 0.25
		{name: "mean 30 against 50", m: 30, k: 50}, // about 5e-4
		{name: "mean 10 against 12", m: 10, k: 12},
		{name: "below the mean", m: 45, k: 30},
		{name: "tiny tail", m: 0.686, k: 50}, // about 1e-73
		{name: "large mean", m: 1000, k: 1100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := mathext.GammaIncReg(float64(tc.k), tc.m)
			// Relative: the tails span 70 orders of magnitude.
			wantNear(t, "PoissonTail", PoissonTail(tc.m, tc.k), want, 1e-9*want)
		})
	}
	wantNear(t, "k = 0", PoissonTail(3, 0), 1, 0)
	wantNear(t, "mean 0", PoissonTail(0, 1), 0, 0)
	if !math.IsNaN(PoissonTail(-1, 2)) {
		t.Errorf("PoissonTail(-1, 2) = %g, want NaN", PoissonTail(-1, 2))
	}
}

func TestErlangPoissonQuantile(t *testing.T) {
	t.Parallel()
	for _, m := range []float64{0.686, 17.4, 30, 45, 1000} {
		q := PoissonQuantile(m, 0.999)
		// The smallest q with P(N <= q) >= 0.999; P(N <= q) = Q(q+1, m),
		// the regularized upper incomplete gamma function.
		if below, at := mathext.GammaIncRegComp(q, m), mathext.GammaIncRegComp(q+1, m); !(below < 0.999 && at >= 0.999) {
			t.Errorf("PoissonQuantile(%g, 0.999) = %g: P(N <= q-1) = %g, P(N <= q) = %g", m, q, below, at)
		}
	}
	// By hand: P(N <= 3) = e^-0.686 (1 + 0.686 + 0.686²/2 + 0.686³/6) =
	// 0.9946 and P(N <= 4) = 0.9994.
	wantNear(t, "mean 0.686", PoissonQuantile(0.686, 0.999), 4, 0)
	wantNear(t, "median of 0", PoissonQuantile(0, 0.5), 0, 0)
	if q := PoissonQuantile(2, 1); !math.IsInf(q, 1) {
		t.Errorf("PoissonQuantile(2, 1) = %g, want +Inf", q)
	}
}
