package sim

import "math"

// Time is simulated time in integer nanoseconds since t=0, which is 00:00 of
// day 0. It serves both as an instant on the simulated timeline and as a
// duration between two instants.
type Time int64

// Units of simulated time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// MaxTime is the latest representable instant. Durations that would reach
// past it saturate to it.
const MaxTime Time = math.MaxInt64

// MinTime is the earliest representable instant; negative durations that
// overflow saturate to it.
const MinTime Time = math.MinInt64

// twoTo63 is 2^63 as a float64, the first value that no longer fits in an
// int64 after conversion.
const twoTo63 = 9223372036854775808.0

// Seconds converts s seconds to a Time, rounding to the nearest nanosecond
// (an exact half goes to the even neighbour, which keeps rounding unbiased
// and compiles to one instruction). Values at or beyond the int64 range, including
// ±Inf, saturate to [MaxTime] or [MinTime]. Seconds panics on NaN, which
// always means a broken sampler upstream.
func Seconds(s float64) Time {
	ns := math.RoundToEven(s * 1e9)
	if -twoTo63 <= ns && ns < twoTo63 {
		return Time(ns)
	}
	return saturate(ns) // kept apart so that Seconds stays inlinable
}

// saturate maps a nanosecond count outside the int64 range to MaxTime or
// MinTime, and panics on NaN.
func saturate(ns float64) Time {
	switch {
	case ns > 0:
		return MaxTime
	case ns < 0:
		return MinTime
	}
	panic("sim: Seconds(NaN)")
}

// Seconds returns t in seconds.
func (t Time) Seconds() float64 {
	return float64(t) / 1e9
}

// addSat returns t+d, saturating at MaxTime instead of wrapping around. d
// must not be negative.
func addSat(t, d Time) Time {
	if t > MaxTime-d {
		return MaxTime
	}
	return t + d
}

// floorDiv returns ⌊a/b⌋ for b > 0, rounding towards minus infinity rather
// than towards zero as Go's / does.
func floorDiv(a, b Time) Time {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
