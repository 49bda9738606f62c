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
	"strings"
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
// The bundle is written all or nothing. Every file is rendered in memory
// and written under a temporary name beside its final one; only when all
// are written are they renamed into place, the files they replace kept
// aside until the last rename succeeds. On an error the temporary files
// are removed and the old files put back, so dir holds either the old
// bundle or the new one, never a mix (a crash halfway through the renames
// can still leave one). Plots of an earlier bundle that this one no longer
// draws are removed with it.
//
// The same Summary gives the same bytes: nothing depends on the clock or
// on map order, and only [Engine.WallSeconds] and [Engine.EventsPerSecond]
// differ between identical runs (they appear in summary.json and one
// footer line).
func WriteBundle(dir string, s *Summary) error {
	if s == nil {
		return errors.New("reports: nil summary")
	}
	files, err := renderBundle(s)
	if err != nil {
		return err
	}
	return writeFiles(dir, files, os.Rename)
}

// A bundleFile is one file of a bundle: its path relative to the
// bundle's directory, with slashes, and its content.
type bundleFile struct {
	name string
	data []byte
}

// renderBundle renders every file of the bundle for s, the plots last.
func renderBundle(s *Summary) ([]bundleFile, error) {
	js, err := marshalSummary(s)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", summaryFile, err)
	}
	r := buildReport(s)
	if r.Plots, err = drawPlots(s); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var md, page bytes.Buffer
	if err := writeMarkdown(&md, r); err != nil {
		return nil, fmt.Errorf("render %s: %w", markdownFile, err)
	}
	if err := writeHTML(&page, r); err != nil {
		return nil, fmt.Errorf("render %s: %w", htmlFile, err)
	}

	files := []bundleFile{
		{summaryFile, js},
		{intervalsFile, intervalsCSV(s)},
		{markdownFile, md.Bytes()},
		{htmlFile, page.Bytes()},
	}
	for _, p := range r.Plots {
		files = append(files, bundleFile{plotsDir + "/" + p.Name + ".png", p.PNG})
	}
	return files, nil
}

// A staged file is one file of a bundle on its way into place.
type staged struct {
	final  string // where it belongs
	tmp    string // the new content under a temporary name; "" to remove final
	backup string // where the file it replaces was moved, once it was
	placed bool   // tmp was renamed to final
}

// writeFiles writes files into dir all or nothing, as [WriteBundle]
// describes, and removes the plots in dir that files do not include.
// rename is os.Rename, or a stand-in that fails on cue in tests.
func writeFiles(dir string, files []bundleFile, rename func(from, to string) error) (err error) {
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.name))
		if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
			return fmt.Errorf("write %s: %s is a directory", f.name, path)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	var moves []staged
	plots := filepath.Join(dir, plotsDir)
	_, statErr := os.Stat(plots)
	madePlots := errors.Is(statErr, fs.ErrNotExist)
	defer func() {
		if err == nil {
			return
		}
		for _, m := range moves {
			if m.tmp != "" {
				os.Remove(m.tmp)
			}
		}
		if madePlots {
			os.Remove(plots) // not RemoveAll: it goes only if nothing else is in it
		}
	}()

	// Write every file under a temporary name.
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		tmp, err := writeTemp(path, f.data)
		if err != nil {
			return err
		}
		moves = append(moves, staged{final: path, tmp: tmp})
	}
	stale, err := stalePlots(plots, files)
	if err != nil {
		return err
	}
	for _, path := range stale {
		moves = append(moves, staged{final: path})
	}

	return commit(moves, rename)
}

// stalePlots lists the plots in dir that this package wrote for an
// earlier bundle and files no longer include.
func stalePlots(dir string, files []bundleFile) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.name] = true
	}
	var out []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".png")
		if ok && e.Type().IsRegular() && isPlotName(name) && !keep[plotsDir+"/"+e.Name()] {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// commit moves the staged files into place: each file it replaces (or
// removes) goes aside to a backup name first. When a rename fails, what
// was done is undone in reverse order, so the old files are back; when
// all succeed, the backups are removed. The caller removes the temporary
// files that are left on an error.
func commit(moves []staged, rename func(from, to string) error) error {
	// undo puts back what moves[:n] did, last first, and returns cause
	// with any step that failed.
	undo := func(n int, cause error) error {
		errs := []error{cause}
		for i := n - 1; i >= 0; i-- {
			m := moves[i]
			if m.placed {
				if err := rename(m.final, m.tmp); err != nil {
					errs = append(errs, fmt.Errorf("undo: %w", err))
				}
			}
			if m.backup != "" {
				if err := rename(m.backup, m.final); err != nil {
					errs = append(errs, fmt.Errorf("restore %s: %w", m.final, err))
				}
			}
		}
		return errors.Join(errs...)
	}

	for i := range moves {
		m := &moves[i]
		if _, err := os.Lstat(m.final); err == nil {
			backup, err := reserveBackup(m.final)
			if err != nil {
				return undo(i, err)
			}
			if err := rename(m.final, backup); err != nil {
				os.Remove(backup)
				return undo(i, err)
			}
			m.backup = backup
		}
		if m.tmp == "" {
			continue
		}
		if err := rename(m.tmp, m.final); err != nil {
			return undo(i+1, fmt.Errorf("write %s: %w", m.final, err))
		}
		m.placed = true
	}

	// NOTE: the new bundle is complete here; a backup that cannot be
	// removed is a stray hidden file, not a reason to report failure.
	for _, m := range moves {
		if m.backup != "" {
			os.Remove(m.backup)
		}
	}
	return nil
}

// reserveBackup creates an empty file with a fresh name beside path, for
// the file at path to be renamed over.
func reserveBackup(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.old")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// writeTemp writes data to a new temporary file beside path and returns
// its name; on an error it leaves no file behind.
func writeTemp(path string, data []byte) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()

	if _, err = f.Write(data); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return f.Name(), nil
}

// A SummaryError says that a file is JSON but not a summary that
// [WriteBundle] wrote.
type SummaryError struct {
	Path   string
	Reason string // e.g. `missing "version" and "verdict"`
}

func (e *SummaryError) Error() string {
	return e.Path + ": not a dasim summary: " + e.Reason
}

// ReadSummary loads a summary.json that [WriteBundle] wrote, so that a
// report can be rendered again without simulating. Unknown fields are
// ignored, so a newer file still loads. A file that is not JSON gives the
// decoder's error; JSON that lacks "version", "metrics" or "verdict", or
// whose verdict is not "pass" or "fail", gives a [*SummaryError]. The
// resolved scenario is kept in compact form.
func ReadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, &SummaryError{path, "not a JSON object"}
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkSummary(fields, &s); err != nil {
		err.Path = path
		return nil, err
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

// checkSummary checks that a decoded file has what every summary has: a
// version, metrics (an object, which may be empty) and a verdict of
// "pass" or "fail". fields holds the file's top-level members as written.
func checkSummary(fields map[string]json.RawMessage, s *Summary) *SummaryError {
	var missing []string
	for _, key := range []string{"version", "metrics", "verdict"} {
		if v, ok := fields[key]; !ok || string(v) == "null" {
			missing = append(missing, strconv.Quote(key))
		}
	}
	switch {
	case len(missing) > 0:
		return &SummaryError{Reason: "missing " + joinAnd(missing)}
	case s.Version == "":
		return &SummaryError{Reason: `empty "version"`}
	case s.Verdict != "pass" && s.Verdict != "fail":
		return &SummaryError{Reason: fmt.Sprintf(`"verdict" is %q, want "pass" or "fail"`, s.Verdict)}
	}
	return nil
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
	if x.Limits != nil {
		limits := make([]LimitInfo, len(x.Limits))
		for i, l := range x.Limits {
			l.Rate, l.Burst = finiteOr0(l.Rate), finiteOr0(l.Burst)
			l.Limit, l.Per = finiteOr0(l.Limit), finiteOr0(l.Per)
			limits[i] = l
		}
		x.Limits = limits
	}
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
