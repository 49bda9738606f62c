// Package sim is the engine of dasim: a clock and future event list, named
// random streams, a multi-server queue, rate limiters and the statistics
// collected over one replication. It knows nothing of any particular domain;
// the models package builds scenarios out of these parts.
//
// Everything here is single-threaded and deterministic. Nothing starts a
// goroutine or reads the wall clock, and a replication owns all of its
// values. Replications run in parallel by giving each its own [Calendar],
// [Streams] and statistics.
//
// # Time representation
//
// Simulated time is a [Time]: integer nanoseconds since t=0, which is 00:00
// of day 0. The same type holds instants and durations. Integers keep event
// ordering exact and reproducible, where float64 seconds would lose
// resolution as the clock advances; at one-nanosecond resolution an int64
// spans about 292 years. Use [Seconds] to convert sampled float64 durations
// (it rounds to the nearest nanosecond and saturates at [MaxTime]) and
// [Time.Seconds] to convert back for reporting. Clock-aligned quantities,
// such as intervals and rate-limit windows, are aligned to multiples of
// their length from t=0, not from the start of the run.
//
// # Events and cancellation
//
// An [Event] is a small value: a time, a kind and two int32 operands whose
// meaning belongs to the caller, who typically switches on Kind in the run
// loop. The [Calendar] keeps pending events in a 4-ary min-heap of values,
// so scheduling and popping allocate nothing once the heap has grown to its
// peak size. Events are ordered by (time, scheduling sequence): events at
// the same time fire in the order they were scheduled, never in an order
// that depends on the heap's layout.
//
// Schedule returns a [Handle]. Cancelling through it is O(log n): a slot
// table records where each pending event sits in the heap, and a
// per-slot generation counter makes handles of fired or cancelled events
// stale, so a handle kept too long can never cancel an unrelated event that
// happens to reuse its slot.
//
// A run loop looks like this:
//
//	for {
//		ev, ok := cal.Next()
//		if !ok || ev.At >= w.To {
//			break
//		}
//		switch ev.Kind {
//		case kindArrival:
//			// ...
//		case kindDeparture:
//			// ...
//		}
//	}
//
// # Randomness
//
// A run has one root seed. [NewStreams] combines it with the replication
// number through splitmix64, and [Streams.Stream] pairs the result with the
// FNV-1a hash of a purpose name, such as "arrivals" or "service/db", to seed
// a PCG generator from math/rand/v2. Streams are therefore addressed by name:
// adding a station leaves every other stream untouched, so two scenarios
// compared under one seed share common random numbers. The package never
// uses the global generator.
//
// # Statistics windows
//
// A [Window] splits a replication in two ways. The observation window
// [From, To) leaves out the warm-up that starts at Start, and every
// window-wide statistic (means, totals, maxima, peaks) covers only it. The
// interval grid covers the whole run [Start, To) in clock-aligned intervals,
// so reports can show the warm-up as well; the first and last intervals may
// be partial.
//
// A [Level] integrates a step function over time (busy servers, queue
// length) for time averages. A [Tally] accumulates observations such as
// waiting times, with exact count, sum, minimum and maximum and, optionally,
// quantiles from a DDSketch with 0.5% relative accuracy; a [Series] keeps
// one Tally per interval. A [Counter] counts events and a [PeakCounter]
// finds the busiest clock-aligned period. Across replications, [MeanCI]
// gives a Student t confidence interval for the mean.
package sim
