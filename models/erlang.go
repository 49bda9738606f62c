package models

import "math"

// This file holds the exact steady-state results of classical queues that
// `dasim check` uses for its estimates and that the tests of the simulator
// compare against. Every function takes rates per unit of time and times in
// the same unit (seconds in dasim, but any unit works), and returns NaN for
// parameters outside its domain (a negative rate or server count), as the
// functions of package math do.

// ErlangB returns the blocking probability of the M/M/c/c loss system with
// c servers and offered load a Erlangs.
//
// It uses the recursion B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1)), which is
// numerically stable for any c and a (Jagerman, "Some properties of the
// Erlang loss function", Bell System Technical Journal 53(3), 1974).
func ErlangB(c int, a float64) float64 {
	if c < 0 || a < 0 || math.IsNaN(a) {
		return math.NaN()
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the probability that an arrival must wait in the M/M/c
// queue with c servers and offered load a Erlangs, for a < c. It returns 1
// when a >= c, where every arrival eventually waits.
//
// It is computed from Erlang B as C = c B / (c − a (1 − B)) (Cooper,
// Introduction to Queueing Theory, 2nd ed., 1981, §3.4).
func ErlangC(c int, a float64) float64 {
	switch {
	case c < 0 || a < 0 || math.IsNaN(a):
		return math.NaN()
	case a >= float64(c):
		return 1
	case a == 0:
		return 0
	}
	b := ErlangB(c, a)
	return float64(c) * b / (float64(c) - a*(1-b))
}

// MMc holds the exact steady-state measures of the M/M/c queue (Erlang C):
// Poisson arrivals, c servers, exponential service, an unlimited FIFO line
// and nobody abandons. Build it with [NewMMc].
type MMc struct {
	// PWait is the probability that an arrival must wait (Erlang C), 1 when
	// the queue is overloaded (a >= c).
	PWait float64
	// Wq is the mean wait in line over all arrivals, those who do not wait
	// included: C / (c μ − λ) (Kleinrock, Queueing Systems vol. 1, 1975,
	// §3.5). It is +Inf when the queue is overloaded.
	Wq float64
	// Utilization is the fraction of time a server is busy, a / c, and 1
	// when the queue is overloaded (the line then grows without bound).
	Utilization float64

	c      int
	lambda float64 // arrival rate
	mu     float64 // service rate of one server
}

// NewMMc returns the steady-state measures of M/M/c with c servers, arrival
// rate lambda and mean service time meanService.
func NewMMc(c int, lambda, meanService float64) MMc {
	m := MMc{c: c, lambda: lambda, mu: 1 / meanService}
	if c < 0 || lambda < 0 || !(meanService > 0) {
		nan := math.NaN()
		m.PWait, m.Wq, m.Utilization = nan, nan, nan
		return m
	}
	if lambda == 0 {
		return m
	}
	a := lambda * meanService
	if a >= float64(c) {
		m.PWait, m.Wq, m.Utilization = 1, math.Inf(1), 1
		return m
	}
	m.PWait = ErlangC(c, a)
	m.Wq = m.PWait / (float64(c)*m.mu - lambda)
	m.Utilization = a / float64(c)
	return m
}

// Overloaded reports whether the offered load reaches the number of
// servers, so that no steady state exists.
func (m MMc) Overloaded() bool { return m.lambda > 0 && m.lambda >= float64(m.c)*m.mu }

// WaitOfWaiting returns the mean wait of the arrivals that must wait,
// 1 / (c μ − λ): in M/M/c the wait of those who wait is exponential with
// that mean (Kleinrock, Queueing Systems vol. 1, 1975, §3.5). It is +Inf
// when the queue is overloaded.
func (m MMc) WaitOfWaiting() float64 {
	if m.Overloaded() {
		return math.Inf(1)
	}
	return 1 / (float64(m.c)*m.mu - m.lambda)
}

// ServiceLevel returns P(wait <= t), the fraction of arrivals answered
// within t: 1 − C exp(−(c μ − λ) t), from the exponential wait of those who
// wait (Kleinrock, Queueing Systems vol. 1, 1975, §3.5). It is 0 when the
// queue is overloaded.
func (m MMc) ServiceLevel(t float64) float64 {
	if m.Overloaded() {
		return 0
	}
	return 1 - m.PWait*math.Exp(-(float64(m.c)*m.mu-m.lambda)*t)
}

// MMcK returns the steady-state measures of M/M/c/K: c servers and K places
// in all (c in service and K − c waiting), where an arrival that finds K in
// the system is blocked. It returns the blocking probability, the mean wait
// in line of the admitted arrivals and the utilization of a server.
//
// The stationary law is that of the birth–death chain with birth rate λ and
// death rate min(n, c) μ (Gross and Harris, Fundamentals of Queueing Theory,
// 3rd ed., 1998, §2.5); the wait follows from Little's law applied to the
// admitted arrivals, Wq = Lq / (λ (1 − P_K)). The weights are kept in
// logarithms so that large c and a do not overflow.
func MMcK(c, k int, lambda, meanService float64) (block, wqAdmitted, utilization float64) {
	if c < 1 || k < c || lambda < 0 || !(meanService > 0) {
		nan := math.NaN()
		return nan, nan, nan
	}
	if lambda == 0 {
		return 0, 0, 0
	}
	a := lambda * meanService
	logw := make([]float64, k+1)
	top := 0.0
	for n := 1; n <= k; n++ {
		logw[n] = logw[n-1] + math.Log(a/float64(min(n, c)))
		top = math.Max(top, logw[n])
	}

	var sum, lq, busy float64
	for n, lw := range logw {
		p := math.Exp(lw - top)
		sum += p
		lq += float64(max(n-c, 0)) * p
		busy += float64(min(n, c)) * p
	}
	block = math.Exp(logw[k]-top) / sum
	lq /= sum
	wqAdmitted = lq / (lambda * (1 - block))
	return block, wqAdmitted, busy / sum / float64(c)
}

// MD1Wq returns the mean wait in line of the M/D/1 queue with arrival rate
// lambda and constant service time d: ρ d / (2 (1 − ρ)) with ρ = λ d, the
// Pollaczek–Khinchine formula with no service variance (Kleinrock, Queueing
// Systems vol. 1, 1975, §5.5). It is +Inf when ρ >= 1.
func MD1Wq(lambda, d float64) float64 {
	return MG1Wq(lambda, d, d*d)
}

// MG1Wq returns the mean wait in line of the M/G/1 queue with arrival rate
// lambda, mean service time meanService and second moment of the service
// time secondMoment (E[S²]): λ E[S²] / (2 (1 − ρ)) with ρ = λ E[S], the
// Pollaczek–Khinchine formula (Kleinrock, Queueing Systems vol. 1, 1975,
// §5.5). It is +Inf when ρ >= 1.
func MG1Wq(lambda, meanService, secondMoment float64) float64 {
	if lambda < 0 || meanService < 0 || secondMoment < 0 {
		return math.NaN()
	}
	rho := lambda * meanService
	if rho >= 1 {
		return math.Inf(1)
	}
	return lambda * secondMoment / (2 * (1 - rho))
}

// AllenCunneenWq returns the Allen–Cunneen approximation of the mean wait in
// line of the G/G/c queue: the M/M/c wait scaled by the squared coefficients
// of variation of the interarrival (ca2) and service (cs2) times,
// Wq ≈ C(c, a) / (c μ − λ) × (ca² + cs²) / 2 (Allen, Probability,
// Statistics, and Queueing Theory, 2nd ed., 1990, §6.4). Poisson arrivals
// have ca² = 1. It is exact for M/M/c and for M/G/1 and an approximation
// otherwise (it underestimates M/D/c). It is +Inf when λ >= c μ.
func AllenCunneenWq(c int, lambda, meanService, ca2, cs2 float64) float64 {
	return NewMMc(c, lambda, meanService).Wq * (ca2 + cs2) / 2
}

// ErlangAResult holds the steady-state measures of the M/M/c+M queue
// (Erlang A): Poisson arrivals, c agents, exponential handle times, and
// exponential patience, so that each waiting caller abandons at rate θ.
// Build it with [ErlangA].
type ErlangAResult struct {
	// PAbandon is the fraction of arrivals that abandon.
	PAbandon float64
	// PWait is the probability that an arrival finds every agent busy and
	// must wait (PASTA: arrivals see the stationary law).
	PWait float64
	// Wq is the mean wait over all arrivals: those who do not wait count
	// 0, those who abandon count their time until they hung up.
	Wq float64
	// WqAnswered is the mean wait of the arrivals that are answered.
	WqAnswered float64
	// Occupancy is the fraction of time an agent is busy,
	// λ (1 − PAbandon) / (c μ).
	Occupancy float64

	c     int
	mu    float64 // handle rate of one agent
	theta float64 // abandonment rate of one waiting caller
	// wait[k] is the probability that an arrival finds c + k in the system,
	// so that k callers wait ahead of it.
	wait []float64
	// loss is set when patience is zero: whoever must wait leaves at once.
	loss bool
}

// erlangAMaxStates bounds the truncated chain; the bound matters only for a
// tiny abandonment rate with a load far above the agents.
const erlangAMaxStates = 2_000_000

// ErlangA returns the steady-state measures of M/M/c+M with c agents,
// arrival rate lambda, mean handle time meanService and exponential patience
// of mean meanPatience. A meanPatience of +Inf means nobody abandons (then
// it is M/M/c, and an overloaded queue has no steady state: Wq is +Inf); a
// meanPatience of 0 means that whoever must wait leaves at once (M/M/c/c).
//
// The stationary law is that of the birth–death chain with birth rate λ
// and death rate min(n, c) μ + max(n − c, 0) θ, θ = 1 / meanPatience (Palm,
// 1943; Garnett, Mandelbaum and Reiman, "Designing a call center with
// impatient customers", Manufacturing & Service Operations Management 4(3),
// 2002). The chain is truncated where its probabilities fall below 1e-16 of
// the largest one. The abandonment fraction is θ Lq / λ and Wq = Lq / λ, both
// by Little's law.
func ErlangA(c int, lambda, meanService, meanPatience float64) ErlangAResult {
	r := ErlangAResult{c: c, mu: 1 / meanService, theta: 1 / meanPatience}
	if c < 0 || lambda < 0 || !(meanService > 0) || !(meanPatience >= 0) {
		nan := math.NaN()
		r.PAbandon, r.PWait, r.Wq, r.WqAnswered, r.Occupancy = nan, nan, nan, nan, nan
		return r
	}
	a := lambda * meanService
	switch {
	case lambda == 0:
		return r
	case meanPatience == 0:
		b := ErlangB(c, a)
		r.loss = true
		r.PAbandon, r.PWait = b, b
		r.Occupancy = a * (1 - b) / float64(c)
		return r
	case r.theta == 0 && a >= float64(c):
		r.PWait, r.Wq, r.WqAnswered, r.Occupancy = 1, math.Inf(1), math.Inf(1), 1
		return r
	}

	logw := r.logWeights(lambda)
	top := math.Inf(-1)
	for _, lw := range logw {
		top = math.Max(top, lw)
	}
	p := make([]float64, len(logw))
	sum := 0.0
	for n, lw := range logw {
		p[n] = math.Exp(lw - top)
		sum += p[n]
	}
	var lq, busy float64
	for n := range p {
		p[n] /= sum
		lq += float64(max(n-c, 0)) * p[n]
		busy += float64(min(n, c)) * p[n]
	}
	if c < len(p) {
		r.wait = p[c:]
	}
	for _, w := range r.wait {
		r.PWait += w
	}
	r.PAbandon = r.theta * lq / lambda
	r.Wq = lq / lambda
	if c > 0 {
		r.Occupancy = busy / float64(c)
	}
	r.WqAnswered = r.answeredWait()
	return r
}

// logWeights returns the logarithms of the unnormalized stationary weights
// of the Erlang A birth–death chain, truncated once the queue is long
// enough that the weights have fallen below 1e-16 of their peak.
func (r *ErlangAResult) logWeights(lambda float64) []float64 {
	cutoff := math.Log(1e-16)
	logw := []float64{0}
	top := 0.0
	for n := 1; n < erlangAMaxStates; n++ {
		death := float64(min(n, r.c))*r.mu + float64(max(n-r.c, 0))*r.theta
		lw := logw[n-1] + math.Log(lambda/death)
		logw = append(logw, lw)
		top = math.Max(top, lw)
		// Past c the weights rise to one peak and then fall for good, so
		// the first small one after the peak ends the chain.
		if n > r.c && lw < logw[n-1] && lw-top < cutoff {
			break
		}
	}
	return logw
}

// answeredWait is the mean wait of the answered arrivals, from a tagged
// caller who finds k others waiting ahead of it. While k are ahead it leaves
// its place at rate r_k = c μ + (k+1) θ: forward with probability
// (c μ + k θ) / r_k, or by abandoning. The product of the forward
// probabilities telescopes to P(answered | k) = c μ / r_k, and because the
// time spent in a place does not depend on which event ends it,
// E[wait; answered | k] = P(answered | k) Σ_{i<=k} 1 / r_i.
func (r *ErlangAResult) answeredWait() float64 {
	cmu := float64(r.c) * r.mu
	var sum, cum float64
	for k, w := range r.wait {
		rk := cmu + float64(k+1)*r.theta
		cum += 1 / rk
		sum += w * cmu / rk * cum
	}
	return sum / (1 - r.PAbandon)
}

// ServiceLevel returns the fraction of arrivals answered within t, which is
// the contract's service level (answered within the target over answered
// plus abandoned), since in steady state every arrival is answered or
// abandons.
func (r ErlangAResult) ServiceLevel(t float64) float64 {
	answered, _ := r.within(t)
	return answered
}

// AnsweredWithin returns the fraction of all arrivals that are answered
// after a wait of at most t.
func (r ErlangAResult) AnsweredWithin(t float64) float64 {
	answered, _ := r.within(t)
	return answered
}

// AbandonedWithin returns the fraction of all arrivals that abandon after
// a wait of at most t.
func (r ErlangAResult) AbandonedWithin(t float64) float64 {
	_, abandoned := r.within(t)
	return abandoned
}

// within returns the fractions of all arrivals answered and abandoned by
// time t after their arrival. Arrivals that do not wait are answered at 0.
// A waiting caller with k ahead moves forward at rate c μ + k θ (answered
// when k = 0) and abandons at rate θ; the transient law of this absorbing
// chain, started from the law seen at arrival, is computed by
// uniformization (Jensen, 1953; Grassmann, "Transient solutions in
// Markovian queueing systems", Computers & Operations Research 4(1), 1977):
// with Λ the largest exit rate, the chain is observed at the events of a
// Poisson process of rate Λ, and the absorbed mass after m steps is
// weighted by the Poisson probability of m events by t.
func (r ErlangAResult) within(t float64) (answered, abandoned float64) {
	if math.IsNaN(r.PWait) || math.IsNaN(t) {
		return math.NaN(), math.NaN()
	}
	noWait := 1 - r.PWait
	switch {
	case r.loss:
		return 1 - r.PAbandon, r.PAbandon
	case len(r.wait) == 0 || t < 0:
		return noWait, 0
	}

	cmu := float64(r.c) * r.mu
	n := len(r.wait)
	rate := cmu + float64(n)*r.theta // the largest exit rate, Λ
	v := append([]float64(nil), r.wait...)
	next := make([]float64, n)
	lt := rate * t
	var served, lost, weightSum float64

	for m := 0; ; m++ {
		w := math.Exp(-lt + float64(m)*math.Log(lt) - logFactorial(m))
		if lt == 0 {
			w = 0
			if m == 0 {
				w = 1
			}
		}
		answered += w * served
		abandoned += w * lost
		weightSum += w

		left := 0.0
		for _, x := range v {
			left += x
		}
		// Once the waiting mass is gone, or the Poisson weights are, the
		// absorbed masses no longer change.
		if left < 1e-15 || (float64(m) > lt && 1-weightSum < 1e-13) {
			answered += (1 - weightSum) * served
			abandoned += (1 - weightSum) * lost
			break
		}

		// One step of the uniformized chain.
		served += v[0] * cmu / rate
		for k := range v {
			stay := 1 - (cmu+float64(k+1)*r.theta)/rate
			in := 0.0
			if k+1 < n {
				in = v[k+1] * (cmu + float64(k+1)*r.theta) / rate
			}
			lost += v[k] * r.theta / rate
			next[k] = v[k]*stay + in
		}
		v, next = next, v
	}
	return noWait + answered, abandoned
}

// logFactorial is ln(m!), through ln Γ(m+1).
func logFactorial(m int) float64 {
	l, _ := math.Lgamma(float64(m + 1))
	return l
}

// PoissonTail returns P(N >= k) for N Poisson with mean m: the fraction of
// time that an M/G/∞ system with mean occupancy m holds k or more: its
// stationary law is Poisson with mean λ E[S] whatever the law of the
// service time S (Takács, Introduction to the Theory of Queues, 1962; see
// also Gross and Harris, Fundamentals of Queueing Theory, 3rd ed., 1998,
// on M/G/∞). It returns NaN for a negative or NaN mean.
//
// The terms e^{−m} m^j / j! are formed in logarithms, one from the last, so
// that a large m does not overflow; the smaller side of the law is summed,
// so a tiny tail keeps its relative accuracy.
func PoissonTail(m float64, k int) float64 {
	switch {
	case m < 0 || math.IsNaN(m):
		return math.NaN()
	case k <= 0:
		return 1
	case m == 0:
		return 0
	}
	if float64(k) > m {
		// Past the mean the terms fall, at least by m / (j+1) each.
		sum := 0.0
		for j, lp := k, poissonLogPMF(m, k); ; j++ {
			t := math.Exp(lp)
			sum += t
			if t <= 1e-17*sum || t == 0 {
				return sum
			}
			lp += math.Log(m / float64(j+1))
		}
	}
	below := 0.0
	for j, lp := 0, -m; j < k; j++ {
		below += math.Exp(lp)
		lp += math.Log(m / float64(j+1))
	}
	return math.Max(1-below, 0)
}

// PoissonQuantile returns the p-quantile of the Poisson law of mean m: the
// smallest n with P(N <= n) >= p, as a float64. It returns NaN for a
// negative or NaN mean or p outside [0, 1], and +Inf for p = 1.
func PoissonQuantile(m, p float64) float64 {
	switch {
	case m < 0 || math.IsNaN(m) || !(p >= 0 && p <= 1):
		return math.NaN()
	case p == 1:
		return math.Inf(1)
	case m == 0:
		return 0
	}
	cdf := 0.0
	for n, lp := 0, -m; ; n++ {
		t := math.Exp(lp)
		cdf += t
		// Rounding can leave the sum a hair below a p close to 1; once the
		// terms past the mean no longer move it, n is the answer.
		if cdf >= p || (float64(n) > m && t <= 1e-17*cdf) {
			return float64(n)
		}
		lp += math.Log(m / float64(n+1))
	}
}

// poissonLogPMF is ln P(N = j) for N Poisson with mean m > 0.
func poissonLogPMF(m float64, j int) float64 {
	return -m + float64(j)*math.Log(m) - logFactorial(j)
}
