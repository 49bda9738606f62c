// Package models is the contact-center domain of dasim: it reads a
// scenario file, checks it, and simulates it on the engine in package sim.
//
// # Scenario
//
// [Load] and [Parse] turn a YAML scenario into a [Scenario]: every time in
// seconds, every rate per second, every default filled in (the platform
// defaults follow Genesys Cloud's documented Data Action limits: a 60 s
// timeout, 50 executions in flight, 2,500 per clock minute). Every problem
// is reported at once as an [InputError], one [FieldError] per problem with
// its file, line, column and key path. Distributions ([Dist]) sample through
// a [Sampler] bound to one named random stream.
//
// # Simulation
//
// [Run] simulates independent replications in parallel. Each replication
// builds its own model: interactions arrive (a non-homogeneous Poisson or
// evenly spaced process over a piecewise-constant rate), run their flow's
// steps (waits, action calls, parallel fan-out, async calls, branches,
// repeats), queue for agents, and may run in-queue and on-answer actions and
// be transferred. An action call passes the cache, then one or more attempts
// through max_in_flight, the platform's rate limits, the integration
// overhead, the endpoint's rate limits, its waiting room and a worker.
// Every source of randomness has its own stream, named after what it draws
// for, so that changing one part of a scenario leaves the others' draws as
// they were.
//
// # Results
//
// Every metric of [MetricCatalog] is computed per replication, over the
// observation window after the warm-up; [Results] holds their means with
// Student t 95% intervals, the interval table, and quantile points of
// every latency. [JudgeSLOs] checks the scenario's objectives.
//
// # Estimates
//
// [Analyze] and [WriteCheck] estimate the offered load against every limit
// without simulating, from closed forms: Erlang B, C and A, Allen–Cunneen,
// Pollaczek–Khinchine and Little's law ([ErlangC], [ErlangA] and friends).
package models
