package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sebdah/goldie/v2"
)

// The golden files live in testdata/<TestName>.golden.{md,txt}; run
// go test ./reports/ -update to rewrite them, and review the diff.

func TestReportMarkdown(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBundle(dir, fixtureSummary()); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	g := goldie.New(t, goldie.WithNameSuffix(".golden.md"))
	g.Assert(t, t.Name(), md)
}

func TestWriteTerminal(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTerminal(&b, fixtureSummary(), "dasim-out/contact_center"); err != nil {
		t.Fatal(err)
	}
	g := goldie.New(t, goldie.WithNameSuffix(".golden.txt"))
	g.Assert(t, t.Name(), b.Bytes())
}
