package models

import (
	"context"
	"testing"
)

// BenchmarkSeedReplication runs one replication of the seed example (800
// agents, one Data Action per interaction, four simulated hours) and reports
// the engine's events per second on one core.
func BenchmarkSeedReplication(b *testing.B) {
	sc, err := Load("../examples/seed-800-agents.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		res, err := Run(context.Background(), sc, RunOptions{Seed: 1, Replications: 1, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
