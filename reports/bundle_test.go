package reports

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// bundleDir, when set, makes TestWriteBundleWritesEveryFile also write the
// fixture's bundle there, to look at: go test -run WritesEvery -args
// -bundle-dir=/tmp/rep
var bundleDir = flag.String("bundle-dir", "", "also write the fixture's bundle into this directory")

func TestWriteBundleWritesEveryFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "run") // does not exist yet
	if err := WriteBundle(dir, fixtureSummary()); err != nil {
		t.Fatalf("WriteBundle: %v", err)
	}
	if *bundleDir != "" {
		if err := WriteBundle(*bundleDir, fixtureSummary()); err != nil {
			t.Fatalf("WriteBundle(%s): %v", *bundleDir, err)
		}
	}

	want := []string{"intervals.csv"}
	for _, name := range fixturePlots {
		want = append(want, "plots/"+name+".png")
	}
	slices.Sort(want)
	want = append(want, "report.html", "report.md", "summary.json")
	got := listFiles(t, dir)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files = %q, want %q (no temporary files left)", got, want)
	}
	for _, name := range want {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: empty or missing (%v)", name, err)
		}
	}
}

// fixturePlots names the plots of the fixture's bundle: one latency plot
// per action.
var fixturePlots = []string{"arrivals", "per_minute", "in_flight", "latency_lookup_customer",
	"latency_get_ewt", "routing", "service_level", "utilization", "cdf"}

// listFiles returns the paths of every file under dir, relative and sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSummaryRoundTrips(t *testing.T) {
	dir := t.TempDir()
	want := fixtureSummary()
	if err := WriteBundle(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatalf("ReadSummary: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadSummary(WriteBundle(s)) differs from s")
		for _, f := range []string{"Metrics", "SLO", "Intervals", "Distributions", "Context", "ResolvedScenario"} {
			if !reflect.DeepEqual(reflect.ValueOf(got).Elem().FieldByName(f).Interface(),
				reflect.ValueOf(want).Elem().FieldByName(f).Interface()) {
				t.Errorf("field %s differs", f)
			}
		}
	}
}

func TestSummaryJSONHasNoNaN(t *testing.T) {
	s := fixtureSummary()
	nan, inf := math.NaN(), math.Inf(1)
	s.Metrics["routing.delay.p99"] = Metric{Value: &nan, CI95: &[2]float64{0, inf}, N: 0, Unit: "s"}
	s.SLO[1].Value = &inf
	s.Intervals[5].Values["routing.delay.mean"] = IntervalValue{Value: &nan, Lo: &inf, Hi: nil}
	s.Distributions["routing.delay"] = append(s.Distributions["routing.delay"], QuantilePoint{Q: 1, V: nan})
	s.Engine.EventsPerSecond = inf

	dir := t.TempDir()
	if err := WriteBundle(dir, s); err != nil {
		t.Fatalf("WriteBundle with NaN and Inf: %v", err)
	}
	got, err := ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m := got.Metrics["routing.delay.p99"]; m.Value != nil || m.CI95 != nil {
		t.Errorf("NaN metric read back as %v, %v; want null, null", m.Value, m.CI95)
	}
	if got.SLO[1].Value != nil {
		t.Errorf("infinite SLO value read back as %v, want null", *got.SLO[1].Value)
	}
	if n, want := len(got.Distributions["routing.delay"]), 9; n != want {
		t.Errorf("routing.delay has %d quantile points, want %d (the NaN one dropped)", n, want)
	}
	if !math.IsNaN(*s.Metrics["routing.delay.p99"].Value) {
		t.Errorf("WriteBundle changed its argument")
	}
}

func TestIntervalsCSV(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBundle(dir, fixtureSummary()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "intervals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if n := len(lines); n != 41 {
		t.Fatalf("intervals.csv has %d lines, want 41 (a header and 40 intervals)", n)
	}

	wantHeader := "interval_start,in_warmup," +
		"interactions.arrived,interactions.arrived_lo,interactions.arrived_hi," +
		"platform.executions,platform.executions_lo,platform.executions_hi," +
		"platform.per_minute.max,platform.per_minute.max_lo,platform.per_minute.max_hi," +
		"platform.in_flight.max,platform.in_flight.max_lo,platform.in_flight.max_hi," +
		"platform.in_flight.mean,platform.in_flight.mean_lo,platform.in_flight.mean_hi," +
		"limits.org_volume.rejected,limits.org_volume.rejected_lo,limits.org_volume.rejected_hi," +
		"limits.max_in_flight.rejected,limits.max_in_flight.rejected_lo,limits.max_in_flight.rejected_hi," +
		"actions.lookup_customer.executions,actions.lookup_customer.executions_lo,actions.lookup_customer.executions_hi," +
		"actions.lookup_customer.latency.p50,actions.lookup_customer.latency.p50_lo,actions.lookup_customer.latency.p50_hi," +
		"actions.lookup_customer.latency.p95,actions.lookup_customer.latency.p95_lo,actions.lookup_customer.latency.p95_hi," +
		"actions.lookup_customer.latency.p99,actions.lookup_customer.latency.p99_lo,actions.lookup_customer.latency.p99_hi," +
		"actions.lookup_customer.failed,actions.lookup_customer.failed_lo,actions.lookup_customer.failed_hi," +
		"actions.get_ewt.executions,actions.get_ewt.executions_lo,actions.get_ewt.executions_hi," +
		"actions.get_ewt.latency.p50,actions.get_ewt.latency.p50_lo,actions.get_ewt.latency.p50_hi," +
		"actions.get_ewt.latency.p95,actions.get_ewt.latency.p95_lo,actions.get_ewt.latency.p95_hi," +
		"actions.get_ewt.latency.p99,actions.get_ewt.latency.p99_lo,actions.get_ewt.latency.p99_hi," +
		"actions.get_ewt.failed,actions.get_ewt.failed_lo,actions.get_ewt.failed_hi," +
		"routing.delay.mean,routing.delay.mean_lo,routing.delay.mean_hi," +
		"routing.delay.p90,routing.delay.p90_lo,routing.delay.p90_hi," +
		"queues.support.service_level,queues.support.service_level_lo,queues.support.service_level_hi," +
		"queues.support.abandoned,queues.support.abandoned_lo,queues.support.abandoned_hi," +
		"queues.support.occupancy,queues.support.occupancy_lo,queues.support.occupancy_hi," +
		"queues.support.wait.mean,queues.support.wait.mean_lo,queues.support.wait.mean_hi," +
		"endpoints.crm.utilization,endpoints.crm.utilization_lo,endpoints.crm.utilization_hi," +
		"endpoints.crm.response.p95,endpoints.crm.response.p95_lo,endpoints.crm.response.p95_hi," +
		"queues.support.busy.mean,queues.support.busy.mean_lo,queues.support.busy.mean_hi," +
		"limits.org_volume.offered.max,limits.org_volume.offered.max_lo,limits.org_volume.offered.max_hi"
	if lines[0] != wantHeader {
		t.Errorf("header =\n%s\nwant\n%s", lines[0], wantHeader)
	}

	// The first row is in the warm-up and has two undefined metrics
	// (routing.delay.p90 and endpoints.crm.response.p95): empty cells.
	// The numbers are fixtureInterval's at a load of 0.2766 (08:07:30):
	// arrivals 5200 × 0.2766 = 1438.5, agents busy 0.7602 × 800 = 608.2,
	// and so on.
	wantRow := "08:00,true,1438.5,1395.4,1481.7,4603.3,4465.2,4741.4,343.7,326.5,360.9," +
		"14.3,13.1,15.4,1.79,1.72,1.86,0,0,0,0,0,0,1496.1,1451.2,1541," +
		"0.194,0.19,0.198,0.477,0.453,0.501,1.007,0.906,1.108,0.00246,0.00172,0.0032," +
		"3107.2,3014,3200.4,0.096,0.094,0.097,0.208,0.197,0.218,0.373,0.336,0.41," +
		"0.00078,0.00047,0.00109,2.23,1.97,2.5,,,,0.9426,0.9143,0.9709,0.0117,0.0099,0.0134," +
		"0.7602,0.7526,0.7678,2.02,1.78,2.27,0.4245,0.416,0.433,,,,608.2,602.1,614.3," +
		"343.7,326.5,360.9"
	if lines[1] != wantRow {
		t.Errorf("first row =\n%s\nwant\n%s", lines[1], wantRow)
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	dir := t.TempDir()
	s := fixtureSummary()
	if err := WriteBundle(dir, s); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)

	for _, bad := range []string{"http://", "https://", `src="//`, `href="//`, "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q: an external reference", bad)
		}
	}
	if !strings.Contains(html, `<span class="badge fail">FAIL</span>`) {
		t.Errorf("report.html lacks the FAIL verdict badge")
	}
	if !strings.Contains(html, "1 of 4 SLOs fails: queues.support.service_level is 76.4%") {
		t.Errorf("report.html lacks the verdict sentence")
	}
	for _, name := range fixturePlots {
		png, err := os.ReadFile(filepath.Join(dir, "plots", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		uri := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
		if !strings.Contains(html, `src="`+uri+`"`) {
			t.Errorf("report.html does not embed plots/%s.png as a data URI", name)
		}
	}
}

func TestWriteBundleIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := WriteBundle(a, fixtureSummary()); err != nil {
		t.Fatal(err)
	}
	if err := WriteBundle(b, fixtureSummary()); err != nil {
		t.Fatal(err)
	}
	files := listFiles(t, a)
	if got := listFiles(t, b); !reflect.DeepEqual(got, files) {
		t.Fatalf("second bundle has files %q, first %q", got, files)
	}
	for _, name := range files {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two bundles of the same summary", name)
		}
	}
}

func TestWriteBundleWithoutData(t *testing.T) {
	dir := t.TempDir()
	// A bundle written before leaves plots that this one must remove,
	// including latency.png, which older versions drew for all actions;
	// a PNG of the user's own stays.
	if err := WriteBundle(dir, fixtureSummary()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"latency.png", "mine.png"} {
		if err := os.WriteFile(filepath.Join(dir, "plots", name), []byte("png"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := &Summary{Scenario: "empty", Verdict: "pass", Replications: 1}
	if err := WriteBundle(dir, s); err != nil {
		t.Fatalf("WriteBundle(empty summary): %v", err)
	}
	want := []string{"intervals.csv", "plots/mine.png", "report.html", "report.md", "summary.json"}
	if got := listFiles(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(md), "The summary holds no interval data to plot.") {
		t.Errorf("report.md of an empty summary does not say there is nothing to plot")
	}
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	for _, want := range []string{`"slo": []`, `"warnings": []`, `"metrics": {}`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("summary.json lacks %s", want)
		}
	}
}

func TestFailedWriteLeavesNoNewFile(t *testing.T) {
	t.Parallel()
	files, err := renderBundle(fixtureSummary())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		block func(dir string) error // makes one file of the bundle unwritable
	}{
		{"report.md is a directory", func(dir string) error {
			return os.MkdirAll(filepath.Join(dir, "report.md", "inside"), 0o755)
		}},
		{"a plot is a directory", func(dir string) error {
			return os.MkdirAll(filepath.Join(dir, "plots", "cdf.png"), 0o755)
		}},
		// Found only after the first files are written under
		// temporary names, which must then go.
		{"plots is a file", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "plots"), []byte("not a directory"), 0o644)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := tc.block(dir); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			if err := writeFiles(dir, files, os.Rename); err == nil {
				t.Fatalf("writeFiles = nil error, want one")
			}
			if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
				t.Errorf("after a failed write the directory holds %q, want %q", keys(after), keys(before))
			}
		})
	}
}

func TestFailedRenameKeepsTheOldBundle(t *testing.T) {
	t.Parallel()
	// The new bundle replaces two files, adds one and drops a plot.
	old := []bundleFile{
		{"summary.json", []byte("old summary")},
		{"report.md", []byte("old report")},
		{"plots/arrivals.png", []byte("old arrivals")},
		{"plots/latency_get_ewt.png", []byte("old latency")},
	}
	next := []bundleFile{
		{"summary.json", []byte("new summary")},
		{"report.md", []byte("new report")},
		{"report.html", []byte("new page")},
		{"plots/arrivals.png", []byte("new arrivals")},
	}

	// Fail each rename in turn, until a write makes them all: the ones
	// that move the old files aside, those that put the new ones in
	// place, and those that undo the first ones.
	for k := 1; ; k++ {
		dir := t.TempDir()
		if err := writeFiles(dir, old, os.Rename); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		n := 0
		failing := func(from, to string) error {
			if n++; n == k {
				return errors.New("rename refused")
			}
			return os.Rename(from, to)
		}
		err := writeFiles(dir, next, failing)
		if n < k {
			if err != nil {
				t.Fatalf("writeFiles without a failure = %v", err)
			}
			if k < 2*len(next) {
				t.Fatalf("only %d renames for %d files", n, len(next))
			}
			break
		}
		if err == nil {
			t.Fatalf("rename %d failed, but writeFiles = nil", k)
		}
		if after := snapshot(t, dir); !reflect.DeepEqual(after, before) {
			t.Errorf("rename %d failed: the directory holds %q, want the old bundle %q",
				k, keys(after), keys(before))
		}
	}
}

// snapshot reads every file under dir, hidden ones included, by path.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range listFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	return out
}

// keys lists a snapshot's paths, sorted.
func keys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

func TestReadSummaryErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadSummary(filepath.Join(dir, "missing.json")); err == nil {
		t.Errorf("ReadSummary(missing file) = nil error")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"metrics": [`), 0o644)
	if _, err := ReadSummary(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("ReadSummary(truncated file) = %v, want an error naming the file", err)
	}
}

func TestReadSummaryRejectsOtherJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, reason string // reason "" means the file is accepted
	}{
		{"empty object", `{}`, `missing "version", "metrics" and "verdict"`},
		{"array", `[1, 2]`, "not a JSON object"},
		{"no version", `{"metrics": {}, "verdict": "pass"}`, `missing "version"`},
		{"null metrics", `{"version": "1", "metrics": null, "verdict": "pass"}`, `missing "metrics"`},
		{"no verdict", `{"version": "1", "metrics": {}}`, `missing "verdict"`},
		{"empty version", `{"version": "", "metrics": {}, "verdict": "pass"}`, `empty "version"`},
		{"other verdict", `{"version": "1", "metrics": {}, "verdict": "maybe"}`,
			`"verdict" is "maybe", want "pass" or "fail"`},
		{"smallest summary", `{"version": "1", "metrics": {}, "verdict": "fail"}`, ""},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		path := filepath.Join(dir, fmt.Sprintf("%d.json", i))
		if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadSummary(path)
			if tc.reason == "" {
				if err != nil {
					t.Errorf("ReadSummary(%s) = %v, want no error", tc.json, err)
				}
				return
			}
			var se *SummaryError
			if !errors.As(err, &se) || se.Reason != tc.reason || se.Path != path {
				t.Errorf("ReadSummary(%s) = %v, want a SummaryError for %s: %s", tc.json, err, path, tc.reason)
			}
		})
	}
}

func BenchmarkWriteBundle(b *testing.B) {
	s := fixtureSummary()
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteBundle(dir, s); err != nil {
			b.Fatal(err)
		}
	}
}
