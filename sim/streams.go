package sim

import "math/rand/v2"

// Streams derives independent, named random streams from one root seed and a
// replication number. Deriving by name means that adding a new consumer of
// randomness leaves every other stream unchanged, which keeps scenario
// comparisons on common random numbers.
//
// Streams holds no generator state of its own and may be shared, but the
// *rand.Rand values it returns are not safe for concurrent use.
type Streams struct {
	root        uint64
	replication int
	seed1       uint64 // mixed from root and replication, shared by every name
}

// NewStreams returns the stream source for one replication of a run seeded
// with root.
func NewStreams(root uint64, replication int) *Streams {
	// Mix the root first so that nearby roots land far apart, then fold in
	// the replication number and mix again.
	s1 := splitmix64(splitmix64(root) ^ uint64(int64(replication)))
	return &Streams{root: root, replication: replication, seed1: s1}
}

// Root returns the root seed s was created with.
func (s *Streams) Root() uint64 { return s.root }

// Replication returns the replication number s was created with.
func (s *Streams) Replication() int { return s.replication }

// Stream returns a new PCG generator for the purpose called name, such as
// "arrivals" or "service/db". It is rand.New(rand.NewPCG(seed1, seed2)) with
// seed1 = splitmix64(splitmix64(root) XOR replication) and seed2 the 64-bit
// FNV-1a hash of name. Each call returns a fresh generator at the start of
// the stream, so the same (root, replication, name) always yields the same
// sequence; keep the result to draw one continuing sequence.
func (s *Streams) Stream(name string) *rand.Rand {
	return rand.New(rand.NewPCG(s.seed1, fnv1a64(name)))
}

// splitmix64 is the output function of Steele, Lea and Flood's SplitMix64
// generator ("Fast splittable pseudorandom number generators", OOPSLA 2014):
// one golden-ratio increment followed by two xor-shift-multiply rounds. It
// scrambles x so that inputs differing in one bit give unrelated outputs.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// FNV-1a parameters for 64 bits, from the FNV specification
// (draft-eastlake-fnv, section 2.1).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnv1a64 hashes name with 64-bit FNV-1a without allocating. It gives the
// same value as hash/fnv's New64a.
func fnv1a64(name string) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= fnvPrime64
	}
	return h
}
