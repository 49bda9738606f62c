package reports

import (
	"encoding/base64"
	"html/template"
	"io"
)

// keyGroup is a run of key metrics under one heading.
type keyGroup struct {
	Name string
	Rows []keyRow
}

// KeyGroups splits the key metrics into their groups, in order.
func (r *report) KeyGroups() []keyGroup {
	var gs []keyGroup
	for _, k := range r.Key {
		if len(gs) == 0 || gs[len(gs)-1].Name != k.Group {
			gs = append(gs, keyGroup{Name: k.Group})
		}
		gs[len(gs)-1].Rows = append(gs[len(gs)-1].Rows, k)
	}
	return gs
}

// pngSrc embeds a PNG in the page as the src attribute of an img. The
// bytes are our own rendering and base64 has no character that needs
// escaping in a quoted attribute, so the attribute is marked safe; as a
// plain URL html/template would write every "+" as "&#43;".
func pngSrc(png []byte) template.HTMLAttr {
	return template.HTMLAttr(`src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `"`)
}

// writeHTML renders r as report.html: one file with its CSS inline and
// every plot embedded as a data URI, so it can be mailed or attached and
// printed as it is. Everything from the summary is escaped.
func writeHTML(w io.Writer, r *report) error {
	return htmlTemplate.Execute(w, r)
}

var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"imgsrc": pngSrc,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – dasim report</title>
<style>
body { margin: 0; background: #fff; color: #1f2328; line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 28px 48px; }
h1 { font-size: 1.75em; line-height: 1.25; margin: 0 0 .2em; }
h2 { font-size: 1.3em; margin: 2em 0 .6em; padding-bottom: .25em; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 1.05em; margin: 1.6em 0 .4em; }
p { margin: .5em 0; }
.sub { color: #59636e; margin: 0 0 1.2em; }
.answer { border: 1px solid #d8dee4; border-left-width: 6px; border-radius: 6px;
  padding: 14px 18px; background: #f6f8fa; font-size: 1.05em; }
.answer.pass { border-left-color: #1a7f37; }
.answer.fail { border-left-color: #cf222e; }
.badge { display: inline-block; padding: 0 .6em; border-radius: 1em; font-size: .82em;
  font-weight: 700; letter-spacing: .04em; color: #fff; vertical-align: .08em;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.pass { background: #1a7f37; }
.badge.fail { background: #cf222e; }
.badge.shaky { background: #fff8c5; color: #7d4e00; border: 1px solid #d4a72c; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: .93em; }
th, td { border: 1px solid #d8dee4; padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.num { white-space: normal; }
.wide { overflow-x: auto; }
.wide table { font-size: .86em; }
tr.group th { background: #eef1f4; text-align: left; }
tr.first td { background: #fff8e6; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
figure { margin: .6em 0 1.8em; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #e5e8eb; }
figcaption { color: #59636e; font-size: .92em; margin-top: .35em; }
.note { color: #59636e; font-size: .92em; }
ul.warnings li { margin: .2em 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1.2em; margin: .5em 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 2.5em; padding-top: .6em; border-top: 1px solid #d8dee4; color: #59636e; font-size: .88em; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .answer { break-inside: avoid; page-break-inside: avoid; }
  th, td { padding: 3px 6px; }
  .wide { overflow: visible; }
  .wide table { font-size: 7.5pt; }
}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="sub">Data Actions capacity report{{range .Method}}{{if eq .Label "Scenario file"}} · {{.Text}}{{end}}{{if eq .Label "Seed"}} · seed {{.Text}}{{end}}{{if eq .Label "Replications"}} · {{.Text}} replications{{end}}{{end}}</p>

<section class="answer {{if .Pass}}pass{{else}}fail{{end}}">
<p><span class="badge {{if .Pass}}pass{{else}}fail{{end}}">{{.Verdict}}</span> <strong>{{.Headline}}</strong> {{.Answer}}</p>
</section>

<h2>Which limit binds first</h2>
{{- if .Limits}}
<p>{{.LimitSentence}}</p>
<table>
<thead><tr><th>limit</th><th>what it limits</th><th class="num">peak</th><th class="num">capacity</th><th class="num">peak use</th><th class="num">refused</th></tr></thead>
<tbody>
{{- range $i, $l := .Limits}}
<tr{{if eq $i 0}} class="first"{{end}}><td><strong>{{$l.Name}}</strong></td><td>{{$l.Kind}}</td><td class="num">{{$l.Peak}}</td><td class="num">{{$l.Capacity}}</td><td class="num">{{$l.Util}}</td><td class="num">{{$l.Rejected}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .LimitNote}}
<p class="note">{{.LimitNote}}</p>
{{- end}}
{{- else}}
<p>The summary names no limits to compare.</p>
{{- end}}

<h2>SLOs</h2>
{{- if .SLOs}}
<table>
<thead><tr><th>metric</th><th>target</th><th class="num">value</th><th class="num">95% CI</th><th>result</th></tr></thead>
<tbody>
{{- range .SLOs}}
<tr><td><code>{{.Metric}}</code></td><td>{{.Bound}}</td><td class="num">{{.Value}}</td><td class="num">{{.CI}}</td><td><span class="badge {{if .Pass}}pass{{else}}fail{{end}}">{{.Result}}</span>{{if not .Confident}} <span class="badge shaky">not confident</span>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
<p class="note">“Not confident” means the 95% CI straddles the target, so more replications could change the result.</p>
{{- else}}
<p>No SLOs were set.</p>
{{- end}}

<h2>Key metrics</h2>
<table>
<thead><tr><th></th><th>metric</th><th class="num">value</th><th class="num">95% CI</th><th>compared with</th></tr></thead>
<tbody>
{{- range .KeyGroups}}
<tr class="group"><th colspan="5">{{.Name}}</th></tr>
{{- range .Rows}}
<tr><td>{{.Label}}</td><td><code>{{.Metric}}</code></td><td class="num">{{.Value}}</td><td class="num">{{.CI}}</td><td>{{.Note}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>

<h2>Plots</h2>
{{- range .Plots}}
<figure>
<img {{imgsrc .PNG}} alt="{{.Title}}" width="1080" height="432">
<figcaption>{{.Caption}}</figcaption>
</figure>
{{- else}}
<p>The summary holds no interval data to plot.</p>
{{- end}}
{{- if .Busiest.Rows}}

<h2>Busiest intervals</h2>
<p class="note">{{.BusiestNote}}</p>
<div class="wide">
<table>
<thead><tr>{{range $i, $h := .Busiest.Header}}<th{{if $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Busiest.Rows}}
<tr>{{range $i, $c := .}}<td{{if $i}} class="num"{{end}}>{{$c}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}

<h2>Warnings</h2>
{{- if .Warnings}}
<ul class="warnings">
{{- range .Warnings}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- else}}
<p>None.</p>
{{- end}}

<h2>Method</h2>
<dl>
{{- range .Method}}
<dt>{{.Label}}</dt><dd>{{.Text}}</dd>
{{- end}}
</dl>

<footer>{{.Footer}}</footer>
</main>
</body>
</html>
`))
