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
// the verdict, routing delay in the busiest interval and, when another
// interval was worse for callers, that one's delay and service level,
// each action's p95 latency and failures, each platform rate limit's
// busiest window against its limit, and executions in flight against
// max_in_flight. It then ranks the limits by peak use (limits that already
// refuse attempts first): every rate limit of the platform and the
// endpoints (a window's busiest window against its limit; a token bucket's
// busiest clock minute against its refill rate per minute), max_in_flight,
// endpoint workers and queue agents (their busiest interval). It lists the
// SLOs and key metrics with 95% confidence intervals, shows the plots (one
// latency plot per action) and the busiest intervals, and ends with the
// method: replications, seed, warm-up, scenario hash, how confidence
// intervals (Student t over replications) and percentiles (a DDSketch
// streaming sketch with 0.5% relative accuracy, per replication, then
// averaged) are computed.
package reports
