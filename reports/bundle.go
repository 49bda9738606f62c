package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Names of the files in a bundle.
const (
	summaryFile   = "summary.json"
	intervalsFile = "intervals.csv"
	markdownFile  = "report.md"
	htmlFile      = "report.html"
	plotsDir      = "plots"
)

// WriteBundle writes the report bundle for s into dir, creating dir when
// it is missing: summary.json, intervals.csv, report.md with its plots in
// plots/*.png, and report.html, one self-contained file with the same
// plots inline.
//
// Each file is written under a temporary name in its final directory and
// then renamed, so an interrupted run leaves either the old file or the
// new one, never half of one. The same Summary gives the same bytes:
// nothing depends on the clock or on map order, and only
// [Engine.WallSeconds] and [Engine.EventsPerSecond] differ between
// identical runs (they appear in summary.json and one footer line).
// Plots of an earlier bundle that this one no longer draws are removed.
func WriteBundle(dir string, s *Summary) error {
	if s == nil {
		return errors.New("reports: nil summary")
	}
	if err := os.MkdirAll(filepath.Join(dir, plotsDir), 0o755); err != nil {
		return err
	}

	js, err := marshalSummary(s)
	if err != nil {
		return fmt.Errorf("encode %s: %w", summaryFile, err)
	}
	if err := writeFileAtomic(filepath.Join(dir, summaryFile), js); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, intervalsFile), intervalsCSV(s)); err != nil {
		return err
	}

	r := buildReport(s)
	if r.Plots, err = drawPlots(s); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if err := writePlots(filepath.Join(dir, plotsDir), r.Plots); err != nil {
		return err
	}

	var md, page bytes.Buffer
	if err := writeMarkdown(&md, r); err != nil {
		return fmt.Errorf("render %s: %w", markdownFile, err)
	}
	if err := writeFileAtomic(filepath.Join(dir, markdownFile), md.Bytes()); err != nil {
		return err
	}
	if err := writeHTML(&page, r); err != nil {
		return fmt.Errorf("render %s: %w", htmlFile, err)
	}
	return writeFileAtomic(filepath.Join(dir, htmlFile), page.Bytes())
}

// writePlots writes every plot into dir and removes the plots of the
// known set that this report does not draw, so that report.md and plots/
// agree.
func writePlots(dir string, plots []plotImage) error {
	drawn := map[string]bool{}
	for _, p := range plots {
		drawn[p.Name] = true
		if err := writeFileAtomic(filepath.Join(dir, p.Name+".png"), p.PNG); err != nil {
			return err
		}
	}
	for _, name := range plotNames {
		if drawn[name] {
			continue
		}
		err := os.Remove(filepath.Join(dir, name+".png"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it to path, so readers never see a partial file.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()

	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}

// ReadSummary loads a summary.json that [WriteBundle] wrote, so that a
// report can be rendered again without simulating. Unknown fields are
// ignored, so a newer file still loads. The resolved scenario is kept in
// compact form.
func ReadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}

	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(s.ResolvedScenario) > 0 {
		var b bytes.Buffer
		if err := json.Compact(&b, s.ResolvedScenario); err != nil {
			return nil, fmt.Errorf("%s: resolved_scenario: %w", path, err)
		}
		s.ResolvedScenario = b.Bytes()
	}
	return &s, nil
}

// marshalSummary encodes s as indented JSON. encoding/json cannot write
// NaN or infinities, so it encodes a copy in which they are replaced: a
// missing value (null) where the field is a pointer, 0 where it is not,
// and quantile points that are not finite are dropped. Empty lists and
// maps are written as [] and {} rather than null.
func marshalSummary(s *Summary) ([]byte, error) {
	c := sanitized(s)

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sanitized returns a copy of s that encoding/json can write; s itself is
// not changed.
func sanitized(s *Summary) *Summary {
	c := *s
	c.Metrics = make(map[string]Metric, len(s.Metrics))
	for k, m := range s.Metrics {
		m.Value = finitePtr(m.Value)
		if m.CI95 != nil && (!finite(m.CI95[0]) || !finite(m.CI95[1])) {
			m.CI95 = nil
		}
		c.Metrics[k] = m
	}

	c.SLO = make([]SLOResult, len(s.SLO))
	for i, r := range s.SLO {
		r.Min, r.Max, r.Value = finitePtr(r.Min), finitePtr(r.Max), finitePtr(r.Value)
		c.SLO[i] = r
	}

	c.Intervals = make([]Interval, len(s.Intervals))
	for i, iv := range s.Intervals {
		iv.Start = finiteOr0(iv.Start)
		if iv.Values != nil {
			vals := make(map[string]IntervalValue, len(iv.Values))
			for k, v := range iv.Values {
				vals[k] = IntervalValue{finitePtr(v.Value), finitePtr(v.Lo), finitePtr(v.Hi)}
			}
			iv.Values = vals
		}
		c.Intervals[i] = iv
	}

	c.Distributions = make(map[string][]QuantilePoint, len(s.Distributions))
	for k, pts := range s.Distributions {
		kept := make([]QuantilePoint, 0, len(pts))
		for _, p := range pts {
			if finite(p.Q) && finite(p.V) {
				kept = append(kept, p)
			}
		}
		c.Distributions[k] = kept
	}

	c.Warnings = nonNil(s.Warnings)
	c.Columns = nonNil(s.Columns)
	c.Context = sanitizedContext(s.Context)
	c.Engine.WallSeconds = finiteOr0(s.Engine.WallSeconds)
	c.Engine.EventsPerSecond = finiteOr0(s.Engine.EventsPerSecond)
	return &c
}

// sanitizedContext returns x with every non-finite number set to 0.
func sanitizedContext(x Context) Context {
	x.Start, x.Horizon = finiteOr0(x.Start), finiteOr0(x.Horizon)
	x.Warmup, x.Interval = finiteOr0(x.Warmup), finiteOr0(x.Interval)
	windows := make([]WindowLimit, len(x.Windows))
	for i, w := range x.Windows {
		windows[i] = WindowLimit{w.Name, finiteOr0(w.Limit), finiteOr0(w.Per)}
	}
	x.Windows = windows
	x.Queues = append([]QueueInfo{}, x.Queues...)
	for i := range x.Queues {
		x.Queues[i].ServiceLevel = finiteOr0(x.Queues[i].ServiceLevel)
	}
	x.Actions, x.Endpoints = nonNil(x.Actions), nonNil(x.Endpoints)
	return x
}

func finitePtr(v *float64) *float64 {
	if v == nil || !finite(*v) {
		return nil
	}
	return v
}

func finiteOr0(v float64) float64 {
	if !finite(v) {
		return 0
	}
	return v
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// intervalsCSV renders the interval table: interval_start, in_warmup, then
// each column of s.Columns with its _lo and _hi bounds. Undefined cells
// are empty; numbers use strconv's 'g' format with 10 significant digits.
func intervalsCSV(s *Summary) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)

	header := make([]string, 0, 2+3*len(s.Columns))
	header = append(header, "interval_start", "in_warmup")
	for _, c := range s.Columns {
		header = append(header, c, c+"_lo", c+"_hi")
	}
	w.Write(header)

	row := make([]string, len(header))
	for _, iv := range s.Intervals {
		row = row[:0]
		row = append(row, iv.Label, strconv.FormatBool(iv.InWarmup))
		for _, c := range s.Columns {
			v := iv.Values[c]
			row = append(row, csvNumber(v.Value), csvNumber(v.Lo), csvNumber(v.Hi))
		}
		w.Write(row)
	}

	// A bytes.Buffer never fails, so neither can the csv.Writer.
	w.Flush()
	return b.Bytes()
}

// csvNumber formats one cell of intervals.csv; nil and non-finite values
// are empty.
func csvNumber(v *float64) string {
	if v == nil || !finite(*v) {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', 10, 64)
}
