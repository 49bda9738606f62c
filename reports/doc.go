// Package reports writes what a simulation run leaves behind: the bundle
// of summary.json, intervals.csv, report.md with its plots, and a
// self-contained report.html, plus the short table a run prints in the
// terminal.
//
// # Contract
//
// The simulator fills a [Summary]; [WriteBundle] writes the bundle from
// it and [WriteTerminal] prints the terminal table. [ReadSummary] loads a
// summary.json again, so that `dasim report` renders the same bundle
// without simulating. A Summary holds everything the reports show, so this
// package never needs the scenario format.
//
// # Determinism
//
// The same Summary gives the same bytes in every file. Nothing reads the
// clock, maps are walked in sorted order, numbers use fixed formats, and
// the plots are drawn with fonts that gonum/plot embeds. Only
// [Engine.WallSeconds] and [Engine.EventsPerSecond] differ between
// identical runs; they appear in summary.json and in the reports' last
// line.
//
// # Writing
//
// [WriteBundle] renders every file in memory, writes each under a
// temporary name and renames them into place only when all were written,
// so a failed write leaves the old bundle (or nothing) and no temporary
// file. [ReadSummary] accepts only a summary that WriteBundle wrote: one
// with a version, metrics and a verdict of "pass" or "fail".
//
// # What the report says
//
// The report opens with an answer in plain words built from the numbers:
// the verdict (and, when callers were never answered and no SLO covers
// them, that none does); first, how many callers were still waiting when
// the run stopped or ended in the flow without reaching a queue; routing
// delay in the busiest interval and, when another interval was worse for
// callers, that one's delay and service level; each action's p95 latency
// and failures, with its timeouts put down to its endpoint's workers when
// that endpoint queues; each endpoint whose requests waited for a worker
// more than a tenth of their response time; each platform rate limit's
// busiest window, counting the attempts that reached it
// (limits.NAME.offered.max, not every execution started), against its
// limit; and executions in flight against max_in_flight. It then ranks the
// limits (a pool of agents or workers with no capacity in an interval that
// still had callers or requests first, as broken; then limits that already
// refuse attempts; then by peak use): every rate limit of the platform and
// the endpoints (a window's busiest window against its limit; a token
// bucket's busiest clock minute against its refill rate per minute),
// max_in_flight, endpoint workers and queue agents (their busiest
// interval, kept as it is above 100%, which a schedule that lowers
// capacity allows). It lists the SLOs and key metrics with 95% confidence
// intervals, shows the plots (one latency plot per action) and the busiest
// intervals, and ends with the method: replications, seed, warm-up,
// scenario hash, how confidence intervals (Student t over replications)
// and percentiles (a DDSketch streaming sketch with 0.5% relative
// accuracy, per replication, then averaged) are computed.
package reports
