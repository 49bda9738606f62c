package sim

import (
	"slices"
	"testing"
)

var testWindow = Window{Start: 0, From: 0, To: Hour, Interval: 15 * Minute}

// arrival is the outcome of one Arrive call.
type arrival struct {
	adm Admit
	t   Ticket
}

// arriveAll calls Arrive for ids 1…n at times 1s…ns.
func arriveAll(s *Station, n int) []arrival {
	out := make([]arrival, n+1) // index by id; out[0] unused
	for id := 1; id <= n; id++ {
		adm, t := s.Arrive(Time(id)*Second, int32(id))
		out[id] = arrival{adm, t}
	}
	return out
}

// departAll calls Depart until no server is busy and returns the ids that
// were started, in order.
func departAll(s *Station, now Time) []int32 {
	var got []int32
	for s.Busy() > 0 {
		if id, _, ok := s.Depart(now); ok {
			got = append(got, id)
		}
	}
	return got
}

func TestStationFIFO(t *testing.T) {
	s := NewStation(testWindow, 2, -1)
	arr := arriveAll(s, 5)
	wantAdm := []Admit{1: Served, 2: Served, 3: Queued, 4: Queued, 5: Queued}
	for id := 1; id <= 5; id++ {
		if arr[id].adm != wantAdm[id] {
			t.Errorf("Arrive(id %d) = %v, want %v", id, arr[id].adm, wantAdm[id])
		}
	}
	if s.Busy() != 2 || s.Waiting() != 3 {
		t.Fatalf("Busy(), Waiting() = %d, %d, want 2, 3", s.Busy(), s.Waiting())
	}
	for _, want := range []int32{3, 4, 5} {
		id, at, ok := s.Depart(10 * Second)
		if !ok || id != want || at != Time(want)*Second {
			t.Errorf("Depart() = %d, %v, %v, want %d, %v, true", id, at, ok, want, Time(want)*Second)
		}
	}
	for range 2 {
		if _, _, ok := s.Depart(20 * Second); ok {
			t.Error("Depart() with nobody waiting returned ok")
		}
	}
	if s.Busy() != 0 || s.Waiting() != 0 {
		t.Errorf("Busy(), Waiting() = %d, %d, want 0, 0", s.Busy(), s.Waiting())
	}
}

func TestStationRefused(t *testing.T) {
	tests := []struct {
		name       string
		servers    int
		queueLimit int
		want       []Admit // outcomes for ids 1…len(want)
	}{
		{name: "limit 2", servers: 1, queueLimit: 2, want: []Admit{Served, Queued, Queued, Refused, Refused}},
		{name: "no waiting room", servers: 2, queueLimit: 0, want: []Admit{Served, Served, Refused}},
		{name: "unlimited servers", servers: -1, queueLimit: 0, want: []Admit{Served, Served, Served, Served}},
		{name: "zero servers", servers: 0, queueLimit: 1, want: []Admit{Queued, Refused}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStation(testWindow, tc.servers, tc.queueLimit)
			arr := arriveAll(s, len(tc.want))
			for i, want := range tc.want {
				got := arr[i+1]
				if got.adm != want {
					t.Errorf("Arrive(id %d) = %v, want %v", i+1, got.adm, want)
				}
				if (got.t != 0) != (want == Queued) {
					t.Errorf("Arrive(id %d) ticket = %d for %v", i+1, got.t, got.adm)
				}
			}
		})
	}
}

func TestStationRemove(t *testing.T) {
	s := NewStation(testWindow, 1, 3)
	arr := arriveAll(s, 4) // 1 served; 2, 3, 4 wait
	if adm, _ := s.Arrive(5*Second, 5); adm != Refused {
		t.Fatalf("Arrive(5) = %v, want refused with a full line", adm)
	}
	if !s.Remove(6*Second, arr[3].t) {
		t.Fatal("Remove(3) = false, want true")
	}
	if s.Remove(6*Second, arr[3].t) {
		t.Error("second Remove(3) = true, want false")
	}
	if s.Remove(6*Second, 0) || s.Remove(6*Second, 1000) {
		t.Error("Remove of the zero or an unissued ticket = true, want false")
	}
	// Abandonment frees a place in the line.
	adm, t6 := s.Arrive(7*Second, 6)
	if adm != Queued {
		t.Fatalf("Arrive(6) = %v, want queued", adm)
	}
	if s.Waiting() != 3 {
		t.Fatalf("Waiting() = %d, want 3", s.Waiting())
	}

	// Depart skips the abandoned 3.
	if got, want := departAll(s, 8*Second), []int32{2, 4, 6}; !slices.Equal(got, want) {
		t.Errorf("started %v, want %v", got, want)
	}
	if s.Remove(9*Second, arr[2].t) || s.Remove(9*Second, t6) {
		t.Error("Remove after service = true, want false")
	}
}

func TestStationRemoveHeadAndTail(t *testing.T) {
	s := NewStation(testWindow, 1, -1)
	arr := arriveAll(s, 6) // 1 served; 2…6 wait
	for _, id := range []int{2, 6, 3} {
		if !s.Remove(10*Second, arr[id].t) {
			t.Fatalf("Remove(%d) = false, want true", id)
		}
	}
	// A new entry gets a fresh ticket even though 6 left from the back.
	_, t7 := s.Arrive(11*Second, 7)
	if t7 == arr[6].t {
		t.Fatal("a ticket was issued twice")
	}
	if s.Remove(12*Second, arr[6].t) {
		t.Error("old ticket removed a new entry")
	}
	if got, want := departAll(s, 20*Second), []int32{4, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("started %v, want %v", got, want)
	}
}

func TestStationRingGrowth(t *testing.T) {
	s := NewStation(testWindow, 1, -1)
	s.Arrive(0, 0)
	tickets := map[int32]Ticket{}
	var want []int32
	id := int32(1)
	// Rotate the ring so that its head is not at index 0 before it grows,
	// and leave dead entries in the middle.
	for round := range 5 {
		for range 13 {
			_, tickets[id] = s.Arrive(Time(round)*Second, id)
			want = append(want, id)
			id++
		}
		for k := 0; k < 4; k++ {
			if victim := want[len(want)-1-2*k]; s.Remove(Time(round)*Second, tickets[victim]) {
				want = slices.DeleteFunc(want, func(x int32) bool { return x == victim })
			}
		}
		if got, _, ok := s.Depart(Time(round) * Second); !ok || got != want[0] {
			t.Fatalf("round %d: Depart() = %d, %v, want %d", round, got, ok, want[0])
		}
		want = want[1:]
	}
	if s.Waiting() != len(want) {
		t.Fatalf("Waiting() = %d, want %d", s.Waiting(), len(want))
	}
	if got := departAll(s, Minute); !slices.Equal(got, want) {
		t.Errorf("started %v, want %v", got, want)
	}
}

func TestStationSetServers(t *testing.T) {
	s := NewStation(testWindow, 1, -1)
	arriveAll(s, 5) // 1 served; 2…5 wait

	var started []int32
	var startedAt []Time
	start := func(id int32, at Time) {
		started = append(started, id)
		startedAt = append(startedAt, at)
	}
	s.SetServers(10*Second, 3, start)
	if !slices.Equal(started, []int32{2, 3}) || !slices.Equal(startedAt, []Time{2 * Second, 3 * Second}) {
		t.Errorf("raise started %v at %v, want [2 3] at [2s 3s]", started, startedAt)
	}
	if s.Busy() != 3 || s.Waiting() != 2 || s.Servers() != 3 {
		t.Fatalf("Busy, Waiting, Servers = %d, %d, %d, want 3, 2, 3", s.Busy(), s.Waiting(), s.Servers())
	}

	// Lower to 1: nobody is pre-empted, and the line waits until busy
	// drops below the new capacity.
	s.SetServers(20*Second, 1, start)
	if s.Busy() != 3 {
		t.Fatalf("Busy() after lowering = %d, want 3", s.Busy())
	}
	for i, wantOK := range []bool{false, false, true} {
		_, _, ok := s.Depart(Time(30+i) * Second)
		if ok != wantOK {
			t.Errorf("Depart %d: ok = %v, want %v", i, ok, wantOK)
		}
	}
	if s.Busy() != 1 || s.Waiting() != 1 {
		t.Errorf("Busy, Waiting = %d, %d, want 1, 1", s.Busy(), s.Waiting())
	}

	// Unlimited starts everyone; nil start is allowed.
	s.SetServers(40*Second, -1, nil)
	if s.Busy() != 2 || s.Waiting() != 0 || s.Servers() != -1 {
		t.Errorf("Busy, Waiting, Servers = %d, %d, %d, want 2, 0, -1", s.Busy(), s.Waiting(), s.Servers())
	}
}

func TestStationLevels(t *testing.T) {
	w := Window{Start: 0, From: 0, To: 10 * Second, Interval: 5 * Second}
	s := NewStation(w, 2, -1)
	s.Arrive(0, 1)
	s.Arrive(2*Second, 2)
	s.Arrive(3*Second, 3) // waits
	s.Depart(5 * Second)  // 3 takes the server
	s.Depart(6 * Second)
	s.Depart(8 * Second)
	s.Close(12 * Second)

	// Busy: 1 on [0,2), 2 on [2,6), 1 on [6,8) = 2+8+2 = 12 server·s.
	// Waiting: 1 on [3,5) = 2. Capacity: 2 over 10 s = 20.
	checkFloat(t, "busy Integral()", s.BusyLevel().Integral(), 12)
	checkFloat(t, "queue Integral()", s.QueueLevel().Integral(), 2)
	checkFloat(t, "capacity Integral()", s.CapacityLevel().Integral(), 20)
	checkFloats(t, "busy IntervalMeans()", s.BusyLevel().IntervalMeans(), []float64{(2 + 6) / 5.0, (2 + 2) / 5.0})
	checkFloat(t, "busy Max()", s.BusyLevel().Max(), 2)
	checkFloat(t, "queue Max()", s.QueueLevel().Max(), 1)
}

func TestStationCapacityLevelUnlimited(t *testing.T) {
	w := Window{Start: 0, From: 0, To: 10 * Second}
	s := NewStation(w, -1, -1)
	if s.CapacityLevel() != nil {
		t.Fatal("CapacityLevel() of an unlimited station is not nil")
	}
	s.SetServers(4*Second, 3, nil)
	s.Close(10 * Second)
	// 0 while unlimited, then 3 for 6 s.
	checkFloat(t, "capacity Integral()", s.CapacityLevel().Integral(), 18)
}

func TestStationDepartIdlePanics(t *testing.T) {
	s := NewStation(testWindow, 1, -1)
	defer func() {
		if recover() == nil {
			t.Error("Depart on an idle station did not panic")
		}
	}()
	s.Depart(0)
}

func TestAdmitString(t *testing.T) {
	for a, want := range map[Admit]string{Served: "served", Queued: "queued", Refused: "refused", 9: "unknown"} {
		if got := a.String(); got != want {
			t.Errorf("Admit(%d).String() = %q, want %q", a, got, want)
		}
	}
}
