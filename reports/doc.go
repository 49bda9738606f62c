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
// # What the report says
//
// The report opens with an answer in plain words built from the numbers:
// the verdict, routing delay in the busiest interval, each action's p95
// latency and failures, the platform's busiest minute against its
// per-minute limit, and executions in flight against max_in_flight. It
// then ranks the limits by peak utilization (limits that already refuse
// attempts first), lists the SLOs and key metrics with 95% confidence
// intervals, shows the plots and the busiest intervals, and ends with the
// method: replications, seed, warm-up, scenario hash, how confidence
// intervals (Student t over replications) and percentiles (a DDSketch
// streaming sketch with 0.5% relative accuracy, per replication, then
// averaged) are computed.
package reports
