package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestEqualTimesRunInOrder(t *testing.T) {
	c := NewCalendar()
	// Interleave two times so that heap order alone would not keep the
	// insertion order.
	for i := range int32(50) {
		c.Schedule(10*Second, 1, i, 0)
		c.Schedule(5*Second, 2, i, 0)
	}
	for want := range int32(100) {
		ev, ok := c.Next()
		if !ok {
			t.Fatalf("Next() ran dry after %d events", want)
		}
		wantKind, wantA, wantAt := int32(2), want, 5*Second
		if want >= 50 {
			wantKind, wantA, wantAt = 1, want-50, 10*Second
		}
		if ev.Kind != wantKind || ev.A != wantA || ev.At != wantAt {
			t.Fatalf("event %d = %+v, want kind %d A %d at %d", want, ev, wantKind, wantA, wantAt)
		}
	}
}

func TestRenumberKeepsOrder(t *testing.T) {
	c := NewCalendar()
	c.seqMax = 4 // renumber on nearly every Schedule
	for i := range int32(20) {
		c.Schedule(Time(i%3), 0, i, 0)
	}
	if c.seq > 20 {
		t.Fatalf("seq = %d after renumbering, want at most the pending count", c.seq)
	}
	// Time 0 holds 0, 3, 6, …; time 1 holds 1, 4, 7, …; and so on.
	var got []int32
	for ev, ok := c.Next(); ok; ev, ok = c.Next() {
		got = append(got, ev.A)
	}
	want := []int32{0, 3, 6, 9, 12, 15, 18, 1, 4, 7, 10, 13, 16, 19, 2, 5, 8, 11, 14, 17}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestCalendarBasics(t *testing.T) {
	c := NewCalendar()
	if _, ok := c.Next(); ok {
		t.Fatal("Next() on an empty calendar reported an event")
	}
	if _, ok := c.Peek(); ok {
		t.Fatal("Peek() on an empty calendar reported an event")
	}
	c.Schedule(3*Second, 7, 1, 2)
	c.After(Second, 8, 3, 4)
	if at, ok := c.Peek(); !ok || at != Second {
		t.Fatalf("Peek() = %d, %v, want %d, true", at, ok, Second)
	}
	ev, _ := c.Next()
	if want := (Event{At: Second, Kind: 8, A: 3, B: 4}); ev != want {
		t.Fatalf("Next() = %+v, want %+v", ev, want)
	}
	if c.Now() != Second {
		t.Fatalf("Now() = %d, want %d", c.Now(), Second)
	}
	c.After(Second, 9, 0, 0) // at 2s, before the 3s event
	ev, _ = c.Next()
	if ev.Kind != 9 || ev.At != 2*Second {
		t.Fatalf("Next() = %+v, want kind 9 at 2s", ev)
	}
	if c.Len() != 1 || c.Fired() != 2 {
		t.Fatalf("Len(), Fired() = %d, %d, want 1, 2", c.Len(), c.Fired())
	}
	if h := c.After(MaxTime, 1, 0, 0); c.Len() != 2 || !c.Cancel(h) {
		t.Fatal("After(MaxTime) did not saturate to a cancellable event")
	}
}

func TestSchedulePanics(t *testing.T) {
	tests := []struct {
		name string
		f    func(c *Calendar)
	}{
		{name: "past", f: func(c *Calendar) { c.Schedule(Second-1, 0, 0, 0) }},
		{name: "negative delay", f: func(c *Calendar) { c.After(-1, 0, 0, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCalendar()
			c.Schedule(Second, 0, 0, 0)
			c.Next()
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f(c)
		})
	}
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, c *Calendar, h []Handle)
		// want lists the A operands expected from Next after run.
		want []int32
	}{
		{
			name: "middle",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				if !c.Cancel(h[2]) {
					t.Error("Cancel(middle) = false, want true")
				}
			},
			want: []int32{0, 1, 3, 4},
		},
		{
			name: "first and last",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				if !c.Cancel(h[0]) || !c.Cancel(h[4]) {
					t.Error("Cancel = false, want true")
				}
			},
			want: []int32{1, 2, 3},
		},
		{
			name: "fired",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				if ev, _ := c.Next(); ev.A != 0 {
					t.Fatalf("first event A = %d, want 0", ev.A)
				}
				if c.Cancel(h[0]) {
					t.Error("Cancel(fired) = true, want false")
				}
			},
			want: []int32{1, 2, 3, 4},
		},
		{
			name: "twice",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				if !c.Cancel(h[3]) {
					t.Error("first Cancel = false, want true")
				}
				if c.Cancel(h[3]) {
					t.Error("second Cancel = true, want false")
				}
			},
			want: []int32{0, 1, 2, 4},
		},
		{
			name: "zero handle",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				if c.Cancel(Handle{}) {
					t.Error("Cancel(Handle{}) = true, want false")
				}
			},
			want: []int32{0, 1, 2, 3, 4},
		},
		{
			name: "stale handle after slot reuse",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				c.Cancel(h[1])
				// The new event takes the slot h[1] had.
				nh := c.Schedule(Minute, 0, 99, 0)
				if nh.slot != h[1].slot {
					t.Fatalf("new event got slot %d, want reused slot %d", nh.slot, h[1].slot)
				}
				if c.Cancel(h[1]) {
					t.Error("stale Cancel = true, want false")
				}
			},
			want: []int32{0, 2, 3, 4, 99},
		},
		{
			name: "after reset",
			run: func(t *testing.T, c *Calendar, h []Handle) {
				c.Reset()
				for i := range int32(5) {
					c.Schedule(Time(i)*Second, 0, 10+i, 0)
				}
				for _, old := range h {
					if c.Cancel(old) {
						t.Error("Cancel with a handle from before Reset = true, want false")
					}
				}
			},
			want: []int32{10, 11, 12, 13, 14},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCalendar()
			h := make([]Handle, 5)
			for i := range int32(5) {
				h[i] = c.Schedule(Time(i+1)*Second, 0, i, 0)
			}
			tc.run(t, c, h)
			var got []int32
			for ev, ok := c.Next(); ok; ev, ok = c.Next() {
				got = append(got, ev.A)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("events = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReset(t *testing.T) {
	c := NewCalendar()
	for i := range 100 {
		c.Schedule(Time(i), 0, 0, 0)
	}
	c.Next()
	c.Next()
	c.Reset()
	if c.Len() != 0 || c.Now() != 0 || c.Fired() != 0 {
		t.Fatalf("after Reset: Len %d, Now %d, Fired %d, want 0, 0, 0", c.Len(), c.Now(), c.Fired())
	}
	if cap(c.heap) < 100+root {
		t.Errorf("Reset dropped heap capacity to %d", cap(c.heap))
	}
	c.Schedule(0, 0, 0, 0) // legal again now that the clock is back at 0
	if _, ok := c.Next(); !ok {
		t.Fatal("Next() after Reset found nothing")
	}
}

// refEvent is an event in the reference model: a plain slice that is sorted
// before every pop.
type refEvent struct {
	at  Time
	seq int
	a   int32
}

func TestCalendarAgainstReference(t *testing.T) {
	tests := []struct {
		seed   uint64
		seqMax uint64 // small values force frequent renumbering
	}{
		{seed: 1, seqMax: defaultSeqMax},
		{seed: 2, seqMax: defaultSeqMax},
		{seed: 3, seqMax: 2500},
		{seed: 4, seqMax: 6000},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("seed=%d,seqMax=%d", tc.seed, tc.seqMax), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(tc.seed, 99))
			c := NewCalendar()
			c.seqMax = tc.seqMax
			var ref []refEvent
			var handles []Handle
			var handleA []int32 // A operand of each handle's event
			seq := 0

			for step := range 20000 {
				op := rng.IntN(11)
				if op < 5 && len(ref) >= 300 {
					op = 9 // keep the reference small enough to scan
				}
				switch {
				case op < 5: // schedule, with frequent ties
					at := c.Now() + Time(rng.IntN(20))
					a := int32(step)
					handles = append(handles, c.Schedule(at, 0, a, 0))
					handleA = append(handleA, a)
					ref = append(ref, refEvent{at: at, seq: seq, a: a})
					seq++
				case op < 7 && len(handles) > 0: // cancel a random old handle
					i := rng.IntN(len(handles))
					j := slices.IndexFunc(ref, func(e refEvent) bool { return e.a == handleA[i] })
					got := c.Cancel(handles[i])
					if got != (j >= 0) {
						t.Fatalf("step %d: Cancel = %v, want %v", step, got, j >= 0)
					}
					if j >= 0 {
						ref = slices.Delete(ref, j, j+1)
					}
				case op == 10: // peek
					at, ok := c.Peek()
					if ok != (len(ref) > 0) || ok && at != ref[firstRef(ref)].at {
						t.Fatalf("step %d: Peek() = %d, %v, want %v", step, at, ok, ref)
					}
				default: // pop
					ev, ok := c.Next()
					if ok != (len(ref) > 0) {
						t.Fatalf("step %d: Next ok = %v with %d pending in reference", step, ok, len(ref))
					}
					if !ok {
						continue
					}
					j := firstRef(ref)
					if ev.At != ref[j].at || ev.A != ref[j].a {
						t.Fatalf("step %d: Next = (%d, A %d), want (%d, A %d)", step, ev.At, ev.A, ref[j].at, ref[j].a)
					}
					ref = slices.Delete(ref, j, j+1)
				}
				if c.Len() != len(ref) {
					t.Fatalf("step %d: Len() = %d, want %d", step, c.Len(), len(ref))
				}
			}
		})
	}
}

// firstRef returns the index of the reference event that fires first, by
// (time, scheduling order).
func firstRef(ref []refEvent) int {
	m := slices.MinFunc(ref, func(x, y refEvent) int {
		return cmp.Or(cmp.Compare(x.at, y.at), cmp.Compare(x.seq, y.seq))
	})
	return slices.Index(ref, m)
}

func TestCalendarNoAllocs(t *testing.T) {
	c := NewCalendar()
	for i := range 1000 {
		c.Schedule(Time(i), 0, 0, 0)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		ev, _ := c.Next()
		h := c.Schedule(ev.At+500, 0, 0, 0)
		c.Cancel(h)
		c.Schedule(ev.At+1000, 0, 0, 0)
	})
	if allocs != 0 {
		t.Errorf("allocations per hold step = %v, want 0", allocs)
	}
}

// BenchmarkCalendar runs the classic hold model: with 1000 events pending,
// each step pops the earliest and schedules one at now plus an exponential
// delay, so the calendar size stays constant.
func BenchmarkCalendar(b *testing.B) {
	const size = 1000
	rng := rand.New(rand.NewPCG(1, 2))
	c := NewCalendar()
	for range size {
		c.Schedule(Seconds(rng.ExpFloat64()), 0, 0, 0)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Next()
		c.After(Seconds(rng.ExpFloat64()), 0, 0, 0)
	}
	b.ReportMetric(float64(c.Fired())/b.Elapsed().Seconds(), "events/s")
}
