package reports

import (
	"io"
	"strings"
	"text/template"
)

// markdownTemplate lays out report.md. Plots are referenced as
// plots/NAME.png beside the file. Table cells go through the cell function,
// which escapes the characters that would break a Markdown table.
var markdownTemplate = template.Must(template.New("report.md").Funcs(template.FuncMap{
	"cell": mdCell,
	"code": mdCode,
	"text": mdText,
	"row":  mdRow,
	"rule": mdRule,
}).Parse(`# {{text .Title}}

**Verdict: {{.Verdict}}. {{text .Headline}}** {{text .Answer}}

## Which limit binds first
{{if .Limits}}
{{text .LimitSentence}}

| limit | what it limits | peak | capacity | peak use | refused |
|---|---|--:|--:|--:|--:|
{{range .Limits}}| {{cell .Name}} | {{cell .Kind}} | {{cell .Peak}} | {{cell .Capacity}} | {{cell .Util}} | {{cell .Rejected}} |
{{end}}{{if .LimitNote}}
{{text .LimitNote}}
{{end}}{{else}}
The summary names no limits to compare.
{{end}}
## SLOs
{{if .SLOs}}
| metric | target | value | 95% CI | result |
|---|---|--:|--:|---|
{{range .SLOs}}| {{code .Metric}} | {{cell .Bound}} | {{cell .Value}} | {{cell .CI}} | **{{.Result}}**{{if not .Confident}} (not confident){{end}} |
{{end}}
"Not confident" means the 95% CI straddles the target, so more replications could change the result.
{{else}}
No SLOs were set.
{{end}}
## Key metrics

| | metric | value | 95% CI | compared with |
|---|---|--:|--:|---|
{{range .Key}}| {{cell .Group}}: {{cell .Label}} | {{code .Metric}} | {{cell .Value}} | {{cell .CI}} | {{cell .Note}} |
{{end}}
## Plots
{{range .Plots}}
![{{text .Title}}](plots/{{.Name}}.png)

*{{text .Caption}}*
{{else}}
The summary holds no interval data to plot.
{{end}}{{if .Busiest.Rows}}
## Busiest intervals

{{text .BusiestNote}}

{{row .Busiest.Header}}
{{rule (len .Busiest.Header)}}
{{range .Busiest.Rows}}{{row .}}
{{end}}{{end}}
## Warnings
{{if .Warnings}}
{{range .Warnings}}- {{text .}}
{{end}}{{else}}
None.
{{end}}
## Method
{{range .Method}}
- **{{.Label}}:** {{text .Text}}{{end}}

{{text .Footer}}
`))

// writeMarkdown renders r as report.md.
func writeMarkdown(w io.Writer, r *report) error {
	return markdownTemplate.Execute(w, r)
}

// mdText escapes the characters that Markdown would read as markup in
// running text. Underscores and brackets are left alone, so that the file
// stays readable as text: names are snake_case, underscores inside a word
// are not emphasis, and a bracket makes a link only before "(" or ":",
// which no text here puts there.
func mdText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "<", "&lt;", "\n", " ")
	return r.Replace(s)
}

// mdCell is [mdText] for a table cell, where a pipe would end the cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdCode writes s as inline code in a table cell.
func mdCode(s string) string {
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// mdRow writes one table row.
func mdRow(cells []string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + mdCell(c) + " |")
	}
	return b.String()
}

// mdRule writes the line under a table header: the first column left
// aligned, the numbers right aligned.
func mdRule(n int) string {
	return "|---" + strings.Repeat("|--:", max(n-1, 0)) + "|"
}
