package models

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/dasim/dasim/sim"
)

// Event kinds. A and B of a sim.Event carry the indices named here.
const (
	evArrival        int32 = iota // next arrival
	evProcWake                    // A: proc; a wait, repeat pause or in-queue pause ended
	evCacheDone                   // A: call; a cache hit answers
	evOverhead                    // A: attempt; the integration layer's own time ended
	evServiceDone                 // A: endpoint, B: request
	evAttemptTimeout              // A: attempt; B: 1 when confirmed (see confirmLater)
	evCallTimeout                 // A: call; B: 1 when confirmed
	evBackoff                     // A: call; the pause before a retry ended
	evPatience                    // A: interaction; B: 1 when confirmed
	evHandleDone                  // A: interaction, B: queue
	evCapacity                    // A: station (queues first, then endpoints), B: schedule entry
)

// Outcomes of an attempt or a call.
type outcome uint8

const (
	outSuccess outcome = iota
	outTimeout
	outRejected
	outError
)

// Final fates of an interaction.
type fate uint8

const (
	fateOpen fate = iota
	fateAnswered
	fateAbandoned
	fateEndedInFlow
)

// interaction is one caller's journey, from arrival to its final fate.
type interaction struct {
	arrived sim.Time
	fate    fate
	proc    int32 // main-flow proc, -1 when not in a flow

	open      bool  // between arrival and release
	waiting   bool  // in a queue, not yet answered
	queue     int32 // queue it waits in or is handled by, -1 otherwise
	entered   sim.Time
	ticket    sim.Ticket
	patience  sim.Handle
	inQueue   int32 // in-queue proc, -1 when none runs
	answered  bool  // answered at least once
	transfers int32

	actionWait sim.Time // time on action and parallel steps of flows
	onAnswer   int32    // on-answer calls still running
	answerAt   sim.Time
	answerQ    int32 // the queue of the latest answer
	agentWaits bool  // the agent's handle time starts when on-answer calls end
}

// frame is one step list being run by a proc.
type frame struct {
	list, pc int32
	rep      int32  // repeat runs left after this one
	every    *cstep // the repeat step, for its pause; nil outside a repeat
}

// proc runs step lists for an interaction: its main flow, or its in-queue
// steps.
type proc struct {
	inter   int32
	inQueue bool
	frames  []frame
	wake    sim.Handle // pending wait

	flow       int32 // main procs: the flow being run
	flowStart  sim.Time
	flowFailed bool

	// The action or parallel step being waited on.
	step      *cstep
	stepStart sim.Time
	calls     []int32 // its calls still running
	failed    bool    // a call failed
	allTO     bool    // every failed call timed out
	running   bool    // advance is on the stack: call completions must not re-enter
}

// call is one action call: cache, then one or more attempts.
type call struct {
	action  int32
	proc    int32 // the proc waiting on it; -1 for async and detached calls
	inter   int32 // on-answer calls: the interaction; -1 otherwise
	start   sim.Time
	attempt int32 // running attempt, -1 when none
	retries int32
	timer   sim.Handle // step timeout
	pending sim.Handle // cache answer or retry pause
	live    bool       // false once released: a call may end while it starts
}

// attempt is one execution: it holds a platform slot from admission until
// the endpoint answers or the action's timeout fires.
type attempt struct {
	call     int32 // -1 once the call no longer waits for it
	action   int32
	start    sim.Time
	slot     bool
	timer    sim.Handle
	overhead sim.Handle
	req      int32 // request at the endpoint, -1 before it gets there
}

// request is what the endpoint sees; it stays until served even when its
// attempt timed out, as a real server's work does.
type request struct {
	attempt  int32 // -1 when nobody waits for the answer any more
	endpoint int32
	arrived  sim.Time
	doneAt   sim.Time // end of service, once a worker has it
}

// pool hands out indices into a slice of T and takes them back.
type pool[T any] struct {
	items []T
	free  []int32
	live  int
}

func (p *pool[T]) alloc() int32 {
	p.live++
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	var zero T
	p.items = append(p.items, zero)
	return int32(len(p.items) - 1)
}

func (p *pool[T]) release(id int32) {
	p.live--
	p.free = append(p.free, id)
}

// model is one replication's state.
type model struct {
	sc    *Scenario
	cal   *sim.Calendar
	w     sim.Window
	end   sim.Time // arrivals stop here
	entry int32    // the entry flow's index
	stop  sim.Time // the drain gives up here
	prog  program

	arr     arrivals
	inters  pool[interaction]
	procs   pool[proc]
	calls   pool[call]
	atts    pool[attempt]
	reqs    pool[request]
	flows   []flowRT
	actions []actionRT
	eps     []endpointRT
	queues  []queueRT
	plat    platformRT

	st       interactionStats
	warnings []string

	// Steps run at one simulated instant, to stop a flow loop that takes
	// no time (a certain branch or failure path back into its own flow)
	// instead of spinning forever.
	instant      sim.Time
	instantSteps int
	err          error
}

// maxStepsAtInstant bounds the flow steps run at one simulated instant. A
// real scenario runs a handful per interaction; a million means a loop that
// never lets time pass.
const maxStepsAtInstant = 1_000_000

// LoopError reports a flow that keeps running steps without simulated time
// passing: the scenario has a loop with no wait in it.
type LoopError struct {
	Flow string  // the flow running when the guard tripped ("" for in-queue steps)
	At   float64 // simulated time, s
}

func (e *LoopError) Error() string {
	where := "flows." + e.Flow
	if e.Flow == "" {
		where = "in-queue steps"
	}
	return fmt.Sprintf("%s: ran %d steps at %s without simulated time passing: a loop with no wait "+
		"(look for a branch, queue, on_failure or on_timeout path that leads back into the flow)",
		where, maxStepsAtInstant, clockLabel(e.At))
}

// flowRT is a flow's compiled steps and statistics.
type flowRT struct {
	name     string
	list     int32
	duration tally
	failure  *ratio
}

// actionRT is an action's settings, draws and statistics.
type actionRT struct {
	name       string
	endpoint   int32
	timeout    sim.Time
	maxRetries int32
	backoff    float64 // s
	multiplier float64
	jitter     float64
	retryOn    [4]bool // by outcome
	cacheHit   float64
	cacheLat   Sampler
	coin       *rand.Rand // cache hits and retry jitter

	calls, cacheHits, executions, retries *counter
	latency                               tally
	success, timeouts, rejected, errors   *ratio
	inFlight                              *sim.Level
	perMinute                             *sim.PeakCounter
}

// limitRT is a token bucket or fixed window with its rejection count.
type limitRT struct {
	name   string
	bucket *sim.TokenBucket
	window *sim.FixedWindow
	rej    *ratio
	// offered counts the attempts that reach the limit per window (a
	// bucket: per clock minute), for limits.NAME.offered.max.
	offered *sim.PeakCounter
}

func (l *limitRT) take(now sim.Time) bool {
	l.offered.Inc(now)
	if l.bucket != nil {
		return l.bucket.Take(now)
	}
	return l.window.Take(now)
}

// endpointRT is an endpoint's station, draws and statistics.
type endpointRT struct {
	name       string
	station    *sim.Station
	limited    bool
	latency    Sampler
	errorRate  float64
	coin       *rand.Rand
	limits     []limitRT
	retryAfter sim.Time
	schedule   []Capacity

	requests                          *counter
	rejected, rejQueue, rejRate, errs *ratio
	wait, response                    tally
}

// queueRT is a queue's agents, draws and statistics.
type queueRT struct {
	name       string
	station    *sim.Station
	handle     Sampler
	patience   Sampler // nil: nobody abandons
	target     sim.Time
	inQueue    int32 // step list, -1 when none
	every      Sampler
	onAnswer   []int32
	agentWaits bool
	transferP  float64
	transferQ  int32 // queue index, or -1
	transferF  int32 // flow index, or -1
	coin       *rand.Rand
	schedule   []Capacity

	entries        *counter
	wait           tally
	sl, slAnswered *ratio
	abandoned      *ratio
	onAnswerDelay  tally
}

// platformRT is the org-wide limits and their statistics.
type platformRT struct {
	maxInFlight int
	inFlight    int
	slots       *ratio // limits.max_in_flight.rejected
	limits      []limitRT
	overhead    Sampler
	noOverhead  bool

	executions *counter
	level      *sim.Level
	perMinute  *sim.PeakCounter
}

// interactionStats are the metrics of whole interactions.
type interactionStats struct {
	arrived                           *counter
	answered, abandoned, ended, trans *counter
	actionWait, routing               tally
}

// run simulates until the drain ends or ctx is cancelled.
func (m *model) run(ctx context.Context) error {
	m.scheduleArrival()
	m.scheduleCapacities()
	for {
		ev, ok := m.cal.Next()
		if !ok || ev.At >= m.stop {
			break
		}
		m.dispatch(ev)
		if m.err != nil {
			return m.err
		}
		if ev.At >= m.end && m.idle() {
			break
		}
		if m.cal.Fired()&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// idle reports whether nothing is open: no interaction, call, attempt or
// request.
func (m *model) idle() bool {
	return m.inters.live == 0 && m.calls.live == 0 && m.atts.live == 0 && m.reqs.live == 0
}

func (m *model) dispatch(ev sim.Event) {
	switch ev.Kind {
	case evArrival:
		m.arrive()
	case evProcWake:
		m.wake(ev.A)
	case evCacheDone:
		m.calls.items[ev.A].pending = sim.Handle{}
		m.callDone(ev.A, outSuccess)
	case evOverhead:
		m.atts.items[ev.A].overhead = sim.Handle{}
		m.toEndpoint(ev.A)
	case evServiceDone:
		m.serviceDone(ev.A, ev.B)
	case evAttemptTimeout:
		m.attemptTimeout(ev.A, ev.B)
	case evCallTimeout:
		m.callTimeout(ev.A, ev.B)
	case evBackoff:
		m.calls.items[ev.A].pending = sim.Handle{}
		m.startAttempt(ev.A)
	case evPatience:
		m.patienceEnds(ev.A, ev.B)
	case evHandleDone:
		m.handleDone(ev.A, ev.B)
	case evCapacity:
		m.capacityChange(ev.A, ev.B)
	default:
		panic(fmt.Sprintf("models: unknown event kind %d", ev.Kind))
	}
}

// confirmLater re-files a timeout-like event at the same instant, behind
// every event already due then: an answer scheduled for the same time wins
// the tie, as the scenario reference promises.
func (m *model) confirmLater(kind, a int32) sim.Handle {
	return m.cal.Schedule(m.cal.Now(), kind, a, 1)
}
