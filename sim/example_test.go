package sim_test

import (
	"fmt"

	"github.com/dasim/dasim/sim"
)

func ExampleCalendar() {
	const (
		ring int32 = iota
		hangUp
	)
	c := sim.NewCalendar()
	c.Schedule(2*sim.Second, ring, 1, 0)
	c.Schedule(2*sim.Second, ring, 2, 0) // same time: runs after caller 1
	h := c.Schedule(5*sim.Second, hangUp, 1, 0)
	c.Schedule(9*sim.Second, hangUp, 2, 0)
	c.Cancel(h) // caller 1 is answered before hanging up

	for ev, ok := c.Next(); ok; ev, ok = c.Next() {
		fmt.Printf("t=%gs kind=%d caller=%d\n", ev.At.Seconds(), ev.Kind, ev.A)
	}
	fmt.Println("fired:", c.Fired())
	// Output:
	// t=2s kind=0 caller=1
	// t=2s kind=0 caller=2
	// t=9s kind=1 caller=2
	// fired: 3
}

func ExampleStation() {
	w := sim.Window{Start: 0, From: 0, To: 10 * sim.Second, Interval: 5 * sim.Second}
	s := sim.NewStation(w, 1, -1)
	s.Arrive(0, 1)
	s.Arrive(1*sim.Second, 2)
	_, t3 := s.Arrive(2*sim.Second, 3)
	s.Remove(3*sim.Second, t3) // caller 3 abandons

	id, joined, _ := s.Depart(4 * sim.Second)
	fmt.Printf("caller %d starts after waiting %gs\n", id, (4*sim.Second - joined).Seconds())
	s.Depart(6 * sim.Second)
	s.Close(w.To)

	busy, capacity := s.BusyLevel().Integral(), s.CapacityLevel().Integral()
	fmt.Printf("utilization %.2f, mean queue %.2f\n", busy/capacity, s.QueueLevel().Mean())
	// Output:
	// caller 2 starts after waiting 3s
	// utilization 0.60, mean queue 0.40
}

func ExampleLevel() {
	// A one-hour run with a 15-minute warm-up and 30-minute intervals.
	w := sim.Window{Start: 0, From: 15 * sim.Minute, To: sim.Hour, Interval: 30 * sim.Minute}
	agents := sim.NewLevel(w)
	agents.Set(0, 4)
	agents.Set(20*sim.Minute, 6)
	agents.Close(w.To)
	fmt.Printf("mean %.3f, max %g, per interval %.3g\n", agents.Mean(), agents.Max(), agents.IntervalMeans())
	// Output:
	// mean 5.778, max 6, per interval [4.67 6]
}

func ExampleMeanCI() {
	mean, lo, hi, _ := sim.MeanCI([]float64{1, 2, 3, 4, 5})
	fmt.Printf("%.3f [%.3f, %.3f]\n", mean, lo, hi)
	// Output:
	// 3.000 [1.037, 4.963]
}

func ExampleStreams() {
	s := sim.NewStreams(1, 0)
	arrivals := s.Stream("arrivals")
	again := s.Stream("arrivals")
	fmt.Println(arrivals.Uint64() == again.Uint64())
	// Output:
	// true
}
