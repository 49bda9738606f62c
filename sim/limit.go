package sim

// nanoPerToken is the number of nano-tokens in one token. A TokenBucket
// counts in nano-tokens so that a refill over d nanoseconds at r tokens per
// second is the product r*d, with no division: exact whenever r is a whole
// number and the product stays below 2^53.
const nanoPerToken = 1e9

// TokenBucket is a rate limiter holding up to burst tokens, refilled
// continuously at ratePerSec tokens per second (see [NewTokenBucket]). It
// starts full, and each admission takes one token. Refill happens lazily
// when Take is called.
type TokenBucket struct {
	rate  float64 // tokens per second
	burst float64 // capacity, in nano-tokens
	level float64 // tokens held, in nano-tokens
	last  Time    // time of the last refill
}

// NewTokenBucket returns a full bucket that refills at ratePerSec tokens per
// second up to burst tokens. It panics if either argument is negative or
// NaN. A burst below 1 admits nothing.
func NewTokenBucket(ratePerSec, burst float64) *TokenBucket {
	if !(ratePerSec >= 0) || !(burst >= 0) {
		panic("sim: NewTokenBucket with a negative or NaN argument")
	}
	c := burst * nanoPerToken
	return &TokenBucket{rate: ratePerSec, burst: c, level: c}
}

// Take refills the bucket up to now and, if it holds at least one token,
// takes one and reports true. Calls with a time earlier than a previous call
// refill nothing.
func (b *TokenBucket) Take(now Time) bool {
	if now > b.last {
		b.level = min(b.level+b.rate*float64(now-b.last), b.burst)
		b.last = now
	}
	if b.level >= nanoPerToken {
		b.level -= nanoPerToken
		return true
	}
	return false
}

// Tokens returns the number of tokens held after the last call to Take.
func (b *TokenBucket) Tokens() float64 {
	return b.level / nanoPerToken
}

// FixedWindow is a rate limiter that admits at most limit requests in each
// clock-aligned window [k*per, (k+1)*per) (see [NewFixedWindow]). Times passed to Take must not
// decrease; a time in an earlier window is treated as the start of a new one.
type FixedWindow struct {
	limit int
	per   Time
	cur   Time // index of the window being counted
	n     int  // admissions in window cur
}

// NewFixedWindow returns a limiter admitting limit requests per window of
// length per. It panics if per is not positive. A limit of zero or less
// admits nothing.
func NewFixedWindow(limit int, per Time) *FixedWindow {
	if per <= 0 {
		panic("sim: NewFixedWindow with a non-positive period")
	}
	return &FixedWindow{limit: limit, per: per, cur: MinTime}
}

// Take admits one request at time now if the window holding now still has
// room, and reports whether it did.
func (f *FixedWindow) Take(now Time) bool {
	if k := floorDiv(now, f.per); k != f.cur {
		f.cur = k
		f.n = 0
	}
	if f.n < f.limit {
		f.n++
		return true
	}
	return false
}
