package sim

import (
	"cmp"
	"math/bits"
	"slices"
)

// Event is a value-typed event. Kind, A and B belong to the caller (an event
// kind and two operands, such as an entity and a station index); the
// calendar only reads At.
type Event struct {
	At   Time  // when the event fires
	Kind int32 // caller-defined event kind
	A    int32 // caller-defined operand
	B    int32 // caller-defined operand
}

// Handle identifies one scheduled event so that it can be cancelled. The zero
// Handle is never valid, and a Handle goes stale once its event fires or is
// cancelled, even if the calendar later reuses its storage.
type Handle struct {
	slot int32  // slot index plus one, so that the zero Handle matches nothing
	gen  uint32 // generation of the slot when the event was scheduled
}

// entry is one pending event as the heap stores it: just the ordering key,
// 16 bytes, so that the four children of a node fill one cache line. The
// caller's payload waits in the slot table until the event fires.
type entry struct {
	at Time
	// key holds the scheduling sequence number in its high 32 bits and
	// the slot index in its low 32 bits. Sequence numbers are unique among
	// pending events, so ordering by key is ordering by sequence.
	key uint64
}

// slot returns the slot index of e.
func (e *entry) slot() int32 { return int32(uint32(e.key)) }

// before reports whether x fires before y: whether (at, key) of x is
// lexicographically smaller. Times in the heap are never negative (the clock
// starts at 0 and events cannot be scheduled in the past), so the pair can
// be compared as one unsigned 128-bit number.
func (x *entry) before(y *entry) bool {
	return beforeBit(x, y) != 0
}

// beforeBit is [entry.before] as 1 or 0. Subtracting with borrow compares
// without branches, and callers use the bit in index arithmetic that the
// compiler cannot turn back into a branch. This matters because comparing
// random siblings has an unpredictable outcome, and mispredicted branches
// would otherwise dominate the cost of a sift.
func beforeBit(x, y *entry) int {
	_, borrow := bits.Sub64(x.key, y.key, 0)
	_, borrow = bits.Sub64(uint64(x.at), uint64(y.at), borrow)
	return int(borrow)
}

// slotData is the part of a slot that is not touched while sifting: the
// generation and the caller's payload. gen is bumped every time the slot is
// released, which turns every Handle issued for the old occupant stale.
type slotData struct {
	gen        uint32
	kind, a, b int32
}

// The heap is 4-ary and stored from index root on, leaving three unused
// entries at the front. The node at index i then has its children at
// 4i-8 … 4i-5 and its parent at i/4+2, so every group of siblings starts at
// a multiple of four and fills one 64-byte cache line whenever the backing
// array is 64-byte aligned, as Go's allocator makes large arrays. A 4-ary
// heap is also half as deep as a binary one.
const root = 3

// defaultSeqMax is the last sequence number before the calendar renumbers
// its pending events; it is the largest value that fits the high half of
// entry.key.
const defaultSeqMax = 1<<32 - 1

// Calendar is the future event list of one simulation: a 4-ary min-heap of
// value-typed events ordered by (time, scheduling sequence), indexed through
// a slot table so that any pending event can be cancelled in O(log n).
//
// Scheduling, popping and cancelling allocate nothing once the internal
// slices have grown to the peak number of pending events. A Calendar is not
// safe for concurrent use; each replication owns its own.
type Calendar struct {
	now    Time
	seq    uint64 // last sequence number issued
	seqMax uint64 // renumber when seq reaches this
	fired  uint64
	heap   []entry    // heap[root:] are the pending events
	pos    []int32    // heap index of each slot's event, -1 when free
	data   []slotData // per slot, parallel to pos
	free   []int32    // released slot indices, reused last in first out

	// hole is true when Next has taken the root event but not yet
	// repaired the heap. The repair waits for the next call: if that is
	// Schedule, the new event drops straight into the root and sifts down
	// once, instead of the last entry sifting down and the new one sifting
	// up. Simulations mostly pop an event and then schedule its successor.
	hole bool
}

// NewCalendar returns an empty calendar with the clock at 0.
func NewCalendar() *Calendar {
	return &Calendar{heap: make([]entry, root, 64), seqMax: defaultSeqMax}
}

// Now returns the current simulated time: the time of the last event popped
// by [Calendar.Next], or 0 before the first.
func (c *Calendar) Now() Time { return c.now }

// Len returns the number of pending events.
func (c *Calendar) Len() int {
	n := len(c.heap) - root
	if c.hole {
		n--
	}
	return n
}

// Fired returns the number of events popped by [Calendar.Next] since the
// calendar was created or last reset.
func (c *Calendar) Fired() uint64 { return c.fired }

// Schedule adds an event at time at and returns its handle. Events with equal
// times fire in the order they were scheduled. Schedule panics if at is
// earlier than [Calendar.Now].
func (c *Calendar) Schedule(at Time, kind, a, b int32) Handle {
	if at < c.now {
		panic("sim: Schedule in the past")
	}
	if c.seq >= c.seqMax {
		c.renumber()
	}

	// Take a slot from the free list, or grow the table.
	var s int32
	if n := len(c.free); n > 0 {
		s = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		s = int32(len(c.pos))
		c.pos = append(c.pos, -1)
		c.data = append(c.data, slotData{})
	}
	d := &c.data[s]
	d.kind, d.a, d.b = kind, a, b

	c.seq++
	e := entry{at: at, key: c.seq<<32 | uint64(uint32(s))}
	if c.hole {
		c.hole = false
		c.heap[root] = e
		c.down(root)
	} else {
		i := len(c.heap)
		c.heap = append(c.heap, e)
		c.up(i)
	}
	return Handle{slot: s + 1, gen: d.gen}
}

// After schedules an event d after [Calendar.Now], saturating at [MaxTime].
// It panics if d is negative.
func (c *Calendar) After(d Time, kind, a, b int32) Handle {
	at := c.now + d
	if at < c.now {
		// Either d is negative or the sum overflowed (the clock is never
		// negative), so one comparison covers both rare cases.
		at = c.farAhead(d)
	}
	return c.Schedule(at, kind, a, b)
}

// farAhead handles the rare cases of After: it panics on a negative delay
// and otherwise saturates at MaxTime.
func (c *Calendar) farAhead(d Time) Time {
	if d < 0 {
		panic("sim: After with a negative delay")
	}
	return addSat(c.now, d)
}

// Cancel removes the pending event that h identifies and reports whether it
// did. It returns false for the zero Handle and for events that have already
// fired or been cancelled.
func (c *Calendar) Cancel(h Handle) bool {
	s := int(h.slot) - 1
	if s < 0 || s >= len(c.pos) || c.data[s].gen != h.gen || c.pos[s] < 0 {
		return false
	}
	c.fill()
	i := int(c.pos[s])
	c.release(int32(s))

	// Fill the hole with the last entry, which may belong above or below it.
	last := len(c.heap) - 1
	if i != last {
		c.heap[i] = c.heap[last]
		c.heap = c.heap[:last]
		if !c.up(i) {
			c.down(i)
		}
	} else {
		c.heap = c.heap[:last]
	}
	return true
}

// Next pops the earliest pending event, advances the clock to its time and
// counts it in [Calendar.Fired]. It returns false when no event is pending.
func (c *Calendar) Next() (Event, bool) {
	c.fill()
	if len(c.heap) == root {
		return Event{}, false
	}
	top := &c.heap[root]
	s := top.slot()
	d := &c.data[s]
	ev := Event{At: top.at, Kind: d.kind, A: d.a, B: d.b}
	c.release(s)
	c.now = top.at
	c.fired++
	c.hole = true
	return ev, true
}

// fill repairs the heap after Next if no Schedule has done so. It is small
// enough to inline, so the common case costs one test.
func (c *Calendar) fill() {
	if c.hole {
		c.repair()
	}
}

// repair moves the last entry into the vacant root and sifts it down.
func (c *Calendar) repair() {
	c.hole = false
	last := len(c.heap) - 1
	c.heap[root] = c.heap[last]
	c.heap = c.heap[:last]
	if last > root {
		c.down(root)
	}
}

// Peek returns the time of the earliest pending event without removing it,
// or false when no event is pending.
func (c *Calendar) Peek() (Time, bool) {
	c.fill()
	if len(c.heap) == root {
		return 0, false
	}
	return c.heap[root].at, true
}

// Reset empties the calendar and sets the clock and the fired count back to
// 0, keeping the allocated capacity. Handles issued before Reset go stale.
func (c *Calendar) Reset() {
	c.fill()
	for i := root; i < len(c.heap); i++ {
		c.release(c.heap[i].slot())
	}
	c.heap = c.heap[:root]
	c.now = 0
	c.seq = 0
	c.fired = 0
}

// release marks slot s free and makes its outstanding handle stale.
func (c *Calendar) release(s int32) {
	c.pos[s] = -1
	c.data[s].gen++
	c.free = append(c.free, s)
}

// renumber gives the pending events fresh sequence numbers 1…n in their
// current order, so that sequence numbers never outgrow their 32 bits. A
// sorted array is a valid heap, so sorting is all it takes. This runs once
// every four billion schedules.
func (c *Calendar) renumber() {
	c.fill()
	h := c.heap[root:]
	slices.SortFunc(h, func(x, y entry) int {
		return cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.key, y.key))
	})
	for i := range h {
		s := h[i].slot()
		h[i].key = uint64(i+1)<<32 | uint64(uint32(s))
		c.pos[s] = int32(root + i)
	}
	c.seq = uint64(len(h))
}

// up moves the entry at i towards the root until its parent fires earlier,
// and reports whether it moved.
func (c *Calendar) up(i int) bool {
	h, pos := c.heap, c.pos
	x := h[i]
	start := i
	for i > root {
		p := i/4 + 2
		if !x.before(&h[p]) {
			break
		}
		h[i] = h[p]
		pos[h[i].slot()] = int32(i)
		i = p
	}
	h[i] = x
	pos[x.slot()] = int32(i)
	return i != start
}

// down refills the hole at i with the entry x that was there, moving it
// towards the leaves. It first walks the hole down to a leaf along the path
// of earliest children without comparing against x, then moves x back up:
// x usually comes from the bottom of the heap, or is a new event that
// belongs near it, so this saves a comparison per level (the bottom-up idea
// from Wegener's variant of heapsort).
func (c *Calendar) down(i int) {
	h, pos := c.heap, c.pos
	n := len(h)
	x := h[i]
	for {
		first := 4*i - 8
		if first+3 >= n {
			break
		}
		// Four children: pick the earliest with a two-round tournament
		// in plain arithmetic on values already in registers. There is
		// no branch to mispredict and no reload on the critical path.
		g := h[first : first+4 : first+4]
		at0, k0 := uint64(g[0].at), g[0].key
		at1, k1 := uint64(g[1].at), g[1].key
		at2, k2 := uint64(g[2].at), g[2].key
		at3, k3 := uint64(g[3].at), g[3].key

		ma := lessMask(at1, k1, at0, k0)
		atA, kA := at0^((at0^at1)&ma), k0^((k0^k1)&ma)
		mb := lessMask(at3, k3, at2, k2)
		atB, kB := at2^((at2^at3)&mb), k2^((k2^k3)&mb)
		mm := lessMask(atB, kB, atA, kA)
		at, k := atA^((atA^atB)&mm), kA^((kA^kB)&mm)
		w := (ma & 1) ^ (((ma & 1) ^ (2 | mb&1)) & mm)

		h[i] = entry{at: Time(at), key: k}
		pos[int32(uint32(k))] = int32(i)
		i = first + int(w)
	}

	// Fewer than four children: this is the last internal node.
	if first := 4*i - 8; first < n {
		m := first
		for j := first + 1; j < n; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		h[i] = h[m]
		pos[h[i].slot()] = int32(i)
		i = m
	}

	// Move x back up from the leaf; usually a step or two.
	h[i] = x
	pos[x.slot()] = int32(i)
	c.up(i)
}

// lessMask returns all ones if (atX, kX) < (atY, kY) as a 128-bit unsigned
// number, and zero otherwise, without branching.
func lessMask(atX, kX, atY, kY uint64) uint64 {
	_, borrow := bits.Sub64(kX, kY, 0)
	_, borrow = bits.Sub64(atX, atY, borrow)
	return -borrow
}
