package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// maxCSVBytes bounds the CSV files a scenario may name, so that a path to
// a device or a huge file fails fast instead of filling memory.
const maxCSVBytes = 256 << 20

// maxCSVProblems is how many problems one CSV file reports before the rest
// are summed up in one line.
const maxCSVProblems = 20

// csvTable is a CSV file read whole: a header and rows, with the line of
// every field for messages.
type csvTable struct {
	l        *loader
	shown    string // the path in messages: the scenario's dir joined with the name
	header   []string
	rows     []csvRow
	problems int
	lastLine int // of the last problem, where the summary of the rest goes
}

// csvRow is one record and the line on which each of its fields starts.
type csvRow struct {
	fields []string
	lines  []int
}

// readCSV reads the CSV file named rel (relative to the scenario's
// directory) that the value n at path names. It reports a file that cannot
// be read, is not a regular file, is too large or is not valid CSV.
func (l *loader) readCSV(n *yaml.Node, path, rel string) (*csvTable, bool) {
	full := rel
	if !filepath.IsAbs(rel) {
		full = filepath.Join(l.dir, rel)
	}
	t := &csvTable{l: l, shown: full}
	fail := func(msg string) (*csvTable, bool) {
		l.errAt(n, path, fmt.Sprintf("cannot read %s: %s", full, msg))
		return nil, false
	}
	fi, err := os.Stat(full)
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fail(err.Error())
	case !fi.Mode().IsRegular():
		return fail("not a regular file")
	case fi.Size() > maxCSVBytes:
		return fail(fmt.Sprintf("larger than %d MiB", maxCSVBytes>>20))
	}
	f, err := os.Open(full)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fail(err.Error())
	}
	defer f.Close()

	r := csv.NewReader(f)
	r.FieldsPerRecord = -1 // short rows are reported per missing field
	r.TrimLeadingSpace = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				l.problems = append(l.problems, &FieldError{File: full, Line: pe.Line, Msg: pe.Err.Error()})
				return nil, false
			}
			return fail(err.Error())
		}
		row := csvRow{fields: rec, lines: make([]int, len(rec))}
		for i := range rec {
			row.lines[i], _ = r.FieldPos(i)
		}
		if t.header == nil {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark
			}
			t.header = make([]string, len(rec))
			for i, h := range rec {
				t.header[i] = strings.TrimSpace(h)
			}
			continue
		}
		t.rows = append(t.rows, row)
	}
	if t.header == nil {
		return fail("the file is empty; it needs a header row")
	}
	return t, true
}

// column returns the index of the column named by the value n at path, or
// reports that the header has no such column.
func (t *csvTable) column(n *yaml.Node, path string) (int, bool) {
	name, ok := t.l.str(n, path)
	if !ok {
		return 0, false
	}
	for i, h := range t.header {
		if h == name {
			return i, true
		}
	}
	msg := fmt.Sprintf("no such column in the header (it has %s)", strings.Join(t.header, ", "))
	if s, ok := nearest(name, t.header); ok {
		msg = fmt.Sprintf("no such column in the header; did you mean %q?", s)
	}
	t.l.problems = append(t.l.problems, &FieldError{File: t.shown, Line: 1, Field: name, Msg: msg})
	return 0, false
}

// cell returns field col of row, or reports it missing.
func (t *csvTable) cell(row csvRow, col int) (string, bool) {
	if col < len(row.fields) {
		return strings.TrimSpace(row.fields[col]), true
	}
	line := 0
	if len(row.lines) > 0 {
		line = row.lines[0]
	}
	t.fail(line, col, "missing: the row has only "+strconv.Itoa(len(row.fields))+" fields")
	return "", false
}

// fail reports a problem with field col (0-based) on a line; after
// maxCSVProblems, further problems are only counted.
func (t *csvTable) fail(line, col int, msg string) {
	t.problems++
	t.lastLine = max(t.lastLine, line)
	if t.problems > maxCSVProblems {
		return
	}
	t.l.problems = append(t.l.problems, &FieldError{File: t.shown, Line: line, Col: col + 1, Field: t.header[col], Msg: msg})
}

// done adds the count of problems not reported one by one.
func (t *csvTable) done() {
	if t.problems > maxCSVProblems {
		t.l.problems = append(t.l.problems, &FieldError{File: t.shown, Line: t.lastLine,
			Msg: fmt.Sprintf("and %d more problems in this file", t.problems-maxCSVProblems)})
		t.problems = maxCSVProblems + 1 // summed up once
	}
}

// number reads field col of row as a number of at least 0.
func (t *csvTable) number(row csvRow, col int) (float64, bool) {
	s, ok := t.cell(row, col)
	if !ok {
		return 0, false
	}
	v, err := parseNumber(s)
	switch {
	case err != nil:
		t.fail(row.lines[col], col, "not a number: "+strconv.Quote(s))
		return 0, false
	case v < 0:
		t.fail(row.lines[col], col, "must not be negative, got "+s)
		return 0, false
	}
	return v, true
}

// csvColumn reads the samples of an empirical distribution: the column
// named by colNode of the CSV file rel, each value times factor.
func (l *loader) csvColumn(fileNode *yaml.Node, filePath, rel string, colNode *yaml.Node, colPath string, factor float64) ([]float64, bool) {
	t, ok := l.readCSV(fileNode, filePath, rel)
	if !ok {
		return nil, false
	}
	col, ok := t.column(colNode, colPath)
	if !ok {
		return nil, false
	}
	out := make([]float64, 0, len(t.rows))
	for _, row := range t.rows {
		if v, ok := t.number(row, col); ok {
			out = append(out, v*factor)
		}
	}
	t.done()
	return out, t.problems == 0
}

// volumes reads arrivals.volumes, inline counts or a CSV file, into base
// rate segments: count / interval over each interval.
func (l *loader) volumes(n *yaml.Node, path string, start float64) ([]RateSegment, string, bool) {
	n = l.deref(n)
	if hasKey(n, "csv") {
		return l.volumesCSV(n, path)
	}
	o := l.object(n, path, "counts", "interval", "from")
	if o.bad {
		return nil, "", false
	}
	counts, interval := o.require("counts"), o.require("interval")
	from := start
	ok := counts != nil && interval != nil
	if fn := o.get("from"); fn != nil {
		var fok bool
		from, fok = l.clock(fn, o.at("from"))
		ok = ok && fok
	}
	if !ok {
		return nil, "", false
	}
	iv, ok := l.positiveDuration(interval, o.at("interval"))
	items, lok := l.list(counts, o.at("counts"))
	if !ok || !lok {
		return nil, "", false
	}
	if len(items) == 0 {
		l.errAt(counts, o.at("counts"), "needs at least one count")
		return nil, "", false
	}
	segs := make([]RateSegment, 0, len(items))
	for i, it := range items {
		p := item(o.at("counts"), i)
		c, cok := l.number(it, p)
		if cok && c < 0 {
			l.badValue(it, p, "must not be negative")
			cok = false
		}
		ok = ok && cok
		t := from + float64(i)*iv
		segs = append(segs, RateSegment{From: t, To: t + iv, Rate: c / iv})
	}
	src := fmt.Sprintf("volumes: %d counts of %s from %s", len(items), formatSeconds(iv), formatClock(from))
	return segs, src, ok
}

// volumeRow is one row of a volumes CSV file whose date and time are good.
type volumeRow struct {
	date    string // "" without a date column
	start   float64
	count   float64
	countOK bool
	line    int
}

// volumesCSV reads arrivals.volumes from a CSV file: the rows of one day
// (a date, or the busiest), each starting a segment at its clock time.
// Every row of every day is checked, and the problems with the rows come
// together with those of the keys, such as a day the file does not have.
func (l *loader) volumesCSV(n *yaml.Node, path string) ([]RateSegment, string, bool) {
	o := l.object(n, path, "csv", "date_column", "time_column", "count_column", "interval", "day")
	cn, tn, vn, in := o.require("csv"), o.require("time_column"), o.require("count_column"), o.require("interval")
	dn, dayN := o.get("date_column"), o.get("day")
	if dayN != nil && dn == nil {
		l.errAt(dayN, o.at("day"), "day needs date_column, to know each row's date")
		return nil, "", false
	}
	if cn == nil || tn == nil || vn == nil || in == nil {
		return nil, "", false
	}
	iv, ivOK := l.positiveDuration(in, o.at("interval"))
	rel, rok := l.str(cn, o.at("csv"))
	day, dayOK := "busiest", true
	if dayN != nil {
		s, ok := l.str(dayN, o.at("day"))
		if _, err := time.Parse(time.DateOnly, s); ok && s != "busiest" && err != nil {
			l.badValue(dayN, o.at("day"), "must be a date like 2024-03-05, or busiest")
			ok = false
		}
		day, dayOK = s, ok
	}
	if !rok {
		return nil, "", false
	}

	t, ok := l.readCSV(cn, o.at("csv"), rel)
	if !ok {
		return nil, "", false
	}
	dateCol := -1
	timeCol, tok := t.column(tn, o.at("time_column"))
	countCol, cok := t.column(vn, o.at("count_column"))
	dok := true
	if dn != nil {
		dateCol, dok = t.column(dn, o.at("date_column"))
	}
	if !tok || !cok || !dok {
		return nil, "", false
	}
	if len(t.rows) == 0 {
		l.errAt(cn, o.at("csv"), t.shown+" has no data rows")
		return nil, "", false
	}

	rows := t.volumeRows(dateCol, timeCol, countCol)
	if ivOK {
		t.overlaps(rows, iv, timeCol)
	}
	if dayOK && day != "busiest" && len(rows) > 0 && !hasDate(rows, day) {
		first, last := dateRange(rows)
		l.errAt(dayN, o.at("day"), fmt.Sprintf("%s has no rows for %s (it has %s to %s)", t.shown, day, first, last))
		dayOK = false
	}
	t.done()
	if t.problems > 0 || !ivOK || !dayOK {
		return nil, "", false
	}

	// Choose the day.
	src := rel
	if dateCol >= 0 {
		chosen := day
		if day == "busiest" {
			chosen = busiestDay(rows)
			src += ", " + chosen + " (busiest)"
		} else {
			src += ", " + day
		}
		kept := rows[:0]
		for _, r := range rows {
			if r.date == chosen {
				kept = append(kept, r)
			}
		}
		rows = kept
	}

	// One segment per row, in time order; overlaps are reported above.
	segs := make([]RateSegment, len(rows))
	for i, r := range rows {
		segs[i] = RateSegment{From: r.start, To: r.start + iv, Rate: r.count / iv}
	}
	return segs, src, true
}

// volumeRows reads every data row, reporting bad cells, and returns the
// rows whose date (with a date column) and time are good, sorted by date
// and then time (ties keep file order). Their counts may be bad.
func (t *csvTable) volumeRows(dateCol, timeCol, countCol int) []volumeRow {
	var rows []volumeRow
	for _, row := range t.rows {
		r := volumeRow{line: row.lines[0]}
		good := true
		if dateCol >= 0 {
			s, ok := t.cell(row, dateCol)
			if _, err := time.Parse(time.DateOnly, s); ok && err != nil {
				t.fail(row.lines[dateCol], dateCol, "not a date like 2024-03-05: "+strconv.Quote(s))
				ok = false
			}
			r.date, good = s, good && ok
		}
		if s, ok := t.cell(row, timeCol); ok {
			v, err := parseClock(s)
			if err != nil {
				t.fail(row.lines[timeCol], timeCol, "not a time like 08:30: "+strconv.Quote(s))
				good = false
			}
			r.start = v
		} else {
			good = false
		}
		r.count, r.countOK = t.number(row, countCol)
		if good {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].date != rows[j].date {
			return rows[i].date < rows[j].date
		}
		return rows[i].start < rows[j].start
	})
	return rows
}

// overlaps reports each row whose interval of length iv overlaps the one
// before it on the same day. rows are sorted by date and time.
func (t *csvTable) overlaps(rows []volumeRow, iv float64, timeCol int) {
	for i := 1; i < len(rows); i++ {
		r, prev := rows[i], rows[i-1]
		if r.date == prev.date && r.start < prev.start+iv-1e-9 {
			t.fail(r.line, timeCol, fmt.Sprintf("%s overlaps the %s interval that starts at %s on line %d",
				formatClock(r.start), formatSeconds(iv), formatClock(prev.start), prev.line))
		}
	}
}

// hasDate reports whether any row is on date.
func hasDate(rows []volumeRow, date string) bool {
	for _, r := range rows {
		if r.date == date {
			return true
		}
	}
	return false
}

// dateRange returns the first and last date of rows sorted by date.
func dateRange(rows []volumeRow) (first, last string) {
	return rows[0].date, rows[len(rows)-1].date
}

// busiestDay returns the date with the most arrivals; ties go to the
// earliest, as ISO dates sort by time. rows are sorted by date.
func busiestDay(rows []volumeRow) string {
	totals := map[string]float64{}
	for _, r := range rows {
		totals[r.date] += r.count
	}
	best := rows[0].date
	for _, r := range rows {
		if totals[r.date] > totals[best] {
			best = r.date
		}
	}
	return best
}

// coverageWarning describes the parts of the run [from, to) that no
// segment covers, or returns "" when the segments cover all of it.
// Segments are sorted and do not overlap.
func coverageWarning(segs []RateSegment, from, to float64) string {
	if len(segs) == 0 {
		return ""
	}
	var gaps []string
	at := from
	for _, s := range segs {
		if s.From > at && at < to {
			gaps = append(gaps, formatClock(at)+"–"+formatClock(math.Min(s.From, to)))
		}
		at = math.Max(at, s.To)
	}
	if at < to {
		gaps = append(gaps, formatClock(at)+"–"+formatClock(to))
	}
	if len(gaps) == 0 {
		return ""
	}
	verb := "has"
	list := gaps[0]
	if len(gaps) > 1 {
		verb = "have"
		list = strings.Join(gaps[:len(gaps)-1], ", ") + " and " + gaps[len(gaps)-1]
	}
	return fmt.Sprintf("arrivals: volumes cover %s–%s; the run's %s %s no arrivals",
		formatClock(segs[0].From), formatClock(segs[len(segs)-1].To), list, verb)
}

// hasKey reports whether n is a mapping with the key, without reporting
// anything about n.
func hasKey(n *yaml.Node, key string) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
