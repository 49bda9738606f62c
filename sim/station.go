package sim

// Admit is the outcome of an arrival at a [Station].
type Admit int8

// Outcomes of [Station.Arrive].
const (
	Served  Admit = iota // a server was free and is now busy with the arrival
	Queued               // the arrival waits at the back of the line
	Refused              // the waiting room was full
)

// String returns the outcome's name in lower case.
func (a Admit) String() string {
	switch a {
	case Served:
		return "served"
	case Queued:
		return "queued"
	case Refused:
		return "refused"
	}
	return "unknown"
}

// Ticket identifies one waiting entry of a [Station] so that it can leave the
// line early. Tickets are issued in consecutive order, and the zero Ticket is
// never issued.
type Ticket uint64

// waiter is one entry of the line.
type waiter struct {
	at    Time // when it joined
	id    int32
	alive bool // false once it left through Remove
}

// Station is a multi-server first-come first-served queue with an optional
// limit on waiting room. It keeps no clock and schedules nothing: the caller
// passes the current time, samples service times and schedules completions.
//
// The line is a ring buffer indexed by ticket, so Remove is O(1): an entry
// that leaves is marked dead and skipped when it reaches the head.
type Station struct {
	servers    int // -1 when unlimited
	queueLimit int // -1 when unlimited
	busy       int
	waiting    int // live entries in the line

	ring       []waiter // capacity is a power of two
	head       int      // ring index of the entry at the front
	n          int      // entries in the ring, dead ones included
	headTicket Ticket   // ticket of the entry at ring[head]

	busyL, queueL, capL *Level
}

// NewStation returns an idle station on window w. servers < 0 means
// unlimited servers; queueLimit < 0 means unlimited waiting room and 0 means
// none.
func NewStation(w Window, servers int, queueLimit int) *Station {
	s := &Station{
		servers:    max(servers, -1),
		queueLimit: max(queueLimit, -1),
		ring:       make([]waiter, 16),
		headTicket: 1,
		busyL:      NewLevel(w),
		queueL:     NewLevel(w),
	}
	if servers >= 0 {
		s.capL = NewLevel(w)
		s.capL.Set(w.Start, float64(servers))
	}
	return s
}

// hasFree reports whether a server is free.
func (s *Station) hasFree() bool {
	return s.servers < 0 || s.busy < s.servers
}

// Arrive admits id at time now. If a server is free, id takes it and the
// result is Served. Otherwise, if there is waiting room, id joins the back
// of the line and the result is Queued with a Ticket for [Station.Remove].
// Otherwise the result is Refused. The Ticket is zero unless the result is
// Queued.
func (s *Station) Arrive(now Time, id int32) (Admit, Ticket) {
	if s.hasFree() {
		s.busy++
		s.busyL.Set(now, float64(s.busy))
		return Served, 0
	}
	if s.queueLimit >= 0 && s.waiting >= s.queueLimit {
		return Refused, 0
	}

	if s.n == len(s.ring) {
		s.grow()
	}
	t := s.headTicket + Ticket(s.n)
	s.ring[(s.head+s.n)&(len(s.ring)-1)] = waiter{at: now, id: id, alive: true}
	s.n++
	s.waiting++
	s.queueL.Set(now, float64(s.waiting))
	return Queued, t
}

// grow doubles the ring, keeping the entries in line order.
func (s *Station) grow() {
	r := make([]waiter, 2*len(s.ring))
	k := copy(r, s.ring[s.head:])
	copy(r[k:], s.ring[:s.head])
	s.ring = r
	s.head = 0
}

// Depart frees one busy server at time now. If someone waits and the busy
// count is below capacity, the head of the line takes the server and is
// returned with the time it joined and ok=true. It panics if no server is
// busy.
func (s *Station) Depart(now Time) (id int32, queuedAt Time, ok bool) {
	if s.busy == 0 {
		panic("sim: Depart with no busy server")
	}
	s.busy--
	if s.waiting > 0 && s.hasFree() {
		// The server passes straight to the next entry, so the busy count
		// does not change.
		w := s.pop(now)
		s.busy++
		return w.id, w.at, true
	}
	s.busyL.Set(now, float64(s.busy))
	return 0, 0, false
}

// pop removes and returns the first live entry. There must be one.
func (s *Station) pop(now Time) waiter {
	s.skipDead()
	mask := len(s.ring) - 1
	w := s.ring[s.head]
	s.head = (s.head + 1) & mask
	s.n--
	s.headTicket++
	s.waiting--
	s.queueL.Set(now, float64(s.waiting))
	s.skipDead()
	return w
}

// skipDead drops dead entries from the front of the line.
func (s *Station) skipDead() {
	mask := len(s.ring) - 1
	for s.n > 0 && !s.ring[s.head].alive {
		s.head = (s.head + 1) & mask
		s.n--
		s.headTicket++
	}
}

// Remove takes the waiting entry t out of the line at time now, as when a
// caller abandons, and reports whether it did. It returns false if the entry
// already left the line, by service or by an earlier Remove, and for the
// zero Ticket.
func (s *Station) Remove(now Time, t Ticket) bool {
	if t < s.headTicket || t-s.headTicket >= Ticket(s.n) {
		return false
	}
	w := &s.ring[(s.head+int(t-s.headTicket))&(len(s.ring)-1)]
	if !w.alive {
		return false
	}
	w.alive = false
	s.waiting--
	s.queueL.Set(now, float64(s.waiting))
	s.skipDead()
	return true
}

// SetServers changes the number of servers to n at time now; n < 0 means
// unlimited. When capacity rises, waiting entries take the new servers at
// once in line order, and start is called for each (start may be nil). When
// it falls, nobody is pre-empted: busy servers finish their work, and Busy
// may exceed Servers until enough of them Depart.
//
// While a station is unlimited its capacity level holds 0. A station created
// unlimited gets a capacity level on its first change to a limit.
func (s *Station) SetServers(now Time, n int, start func(id int32, queuedAt Time)) {
	s.servers = max(n, -1)
	if s.servers >= 0 && s.capL == nil {
		s.capL = NewLevel(s.busyL.w)
	}
	if s.capL != nil {
		s.capL.Set(now, float64(max(s.servers, 0)))
	}

	started := 0
	for s.waiting > 0 && s.hasFree() {
		w := s.pop(now)
		s.busy++
		started++
		if start != nil {
			start(w.id, w.at)
		}
	}
	if started > 0 {
		s.busyL.Set(now, float64(s.busy))
	}
}

// Busy returns the number of busy servers.
func (s *Station) Busy() int { return s.busy }

// Waiting returns the number of entries waiting in line.
func (s *Station) Waiting() int { return s.waiting }

// Servers returns the number of servers, or -1 if unlimited.
func (s *Station) Servers() int { return s.servers }

// BusyLevel returns the time-weighted number of busy servers.
func (s *Station) BusyLevel() *Level { return s.busyL }

// QueueLevel returns the time-weighted number of waiting entries.
func (s *Station) QueueLevel() *Level { return s.queueL }

// CapacityLevel returns the time-weighted number of servers, or nil if the
// station has been unlimited since it was created. Utilization is
// BusyLevel().Integral() / CapacityLevel().Integral().
func (s *Station) CapacityLevel() *Level { return s.capL }

// Close integrates the station's levels up to min(end, To); see
// [Level.Close].
func (s *Station) Close(end Time) {
	s.busyL.Close(end)
	s.queueL.Close(end)
	if s.capL != nil {
		s.capL.Close(end)
	}
}
