package reports

import (
	"bytes"
	"image/color"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Plot geometry: 9 × 3.6 inches at 120 dpi is 1080 × 432 pixels, about
// the width of the HTML report's column, so the PNG is shown unscaled.
const (
	plotWidth  = 9 * vg.Inch
	plotHeight = 3.6 * vg.Inch
	plotDPI    = 120
)

// Fonts: Liberation Sans, which gonum/plot embeds, so rendering does not
// depend on the fonts of the machine.
var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// Colours. Data series take the palette in order; red is kept for limits.
var (
	palette = []color.NRGBA{
		{0x1f, 0x77, 0xb4, 0xff}, // blue
		{0xff, 0x7f, 0x0e, 0xff}, // orange
		{0x2c, 0xa0, 0x2c, 0xff}, // green
		{0x94, 0x67, 0xbd, 0xff}, // purple
		{0x8c, 0x56, 0x4b, 0xff}, // brown
		{0x17, 0xbe, 0xcf, 0xff}, // teal
		{0xe3, 0x77, 0xc2, 0xff}, // pink
	}
	limitColor = color.NRGBA{0xd6, 0x27, 0x28, 0xff}
	// routingColor is routing delay's where actions share a plot with
	// it: a dark grey that no action's colour can be mistaken for.
	routingColor = color.NRGBA{0x40, 0x40, 0x40, 0xff}
	warmupColor  = color.NRGBA{0x80, 0x80, 0x80, 0x30}
	gridColor    = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// Line dashes, to tell apart series of one colour (p50, p95, p99).
var (
	solid  []vg.Length
	dashed = []vg.Length{vg.Points(6), vg.Points(3)}
	dotted = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
)

// seriesColor returns the i-th palette colour.
func seriesColor(i int) color.NRGBA {
	return palette[i%len(palette)]
}

// bandColor is a light, translucent version of c for confidence bands.
func bandColor(c color.NRGBA) color.NRGBA {
	c.A = 0x40
	return c
}

// A chart is one plot under construction, with its legend kept apart so
// that it can be drawn in a strip to the right of the data, where it never
// covers any.
type chart struct {
	p      *plot.Plot
	legend plot.Legend
}

// newChart returns an empty chart with the house fonts and a light grid.
func newChart(title, xLabel, yLabel string) *chart {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(boldFont, 13)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 11)
		a.Tick.Label.Font = font.From(sansFont, 10)
		a.Padding = vg.Points(2)
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(grid)

	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sansFont, 10)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(3)
	l.ThumbnailWidth = vg.Points(22)
	return &chart{p: p, legend: l}
}

// legendWidth is the width the legend's longest entry needs.
func (c *chart) legendWidth() vg.Length {
	img := vgimg.NewWith(vgimg.UseWH(plotWidth, plotHeight), vgimg.UseDPI(plotDPI))
	r := c.legend.Rectangle(draw.New(img))
	return r.Max.X - r.Min.X
}

// render draws the chart as a PNG: the plot on the left, the legend in a
// strip of width legendW on the right.
func (c *chart) render(legendW vg.Length) ([]byte, error) {
	img := vgimg.NewWith(vgimg.UseWH(plotWidth, plotHeight), vgimg.UseDPI(plotDPI))
	dc := draw.New(img)

	gap := vg.Points(12)
	area := dc
	area.Max.X -= legendW + 2*gap
	c.p.Draw(area)

	// Start the legend level with the top of the data area.
	la := dc
	la.Min.X = area.Max.X + gap
	la.Max.Y -= c.titleHeight()
	c.legend.Draw(la)

	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// titleHeight is the vertical space the title takes above the data area.
func (c *chart) titleHeight() vg.Length {
	if c.p.Title.Text == "" {
		return 0
	}
	r := c.p.Title.TextStyle.Rectangle(c.p.Title.Text)
	return r.Max.Y - r.Min.Y + c.p.Title.Padding
}

// xy is one point of a series with its confidence bounds (NaN when none).
type xy struct {
	x, y, lo, hi float64
}

// addSeries draws one series: a translucent CI band where bounds exist,
// the line over it, and one legend entry. Points with a NaN y split the
// line; a lone point is drawn as a dot.
func (c *chart) addSeries(name string, pts []xy, clr color.NRGBA, dashes []vg.Length) error {
	line := draw.LineStyle{Color: clr, Width: vg.Points(1.6), Dashes: dashes}
	band := bandColor(clr)
	var thumbs []plot.Thumbnailer

	for _, seg := range splitSegments(pts) {
		for _, poly := range bandPolygons(seg) {
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return err
			}
			pg.Color, pg.LineStyle.Width = band, 0
			c.p.Add(pg)
			if len(thumbs) == 0 {
				thumbs = append(thumbs, pg)
			}
		}
	}
	for _, seg := range splitSegments(pts) {
		data := make(plotter.XYs, len(seg))
		for i, p := range seg {
			data[i] = plotter.XY{X: p.x, Y: p.y}
		}
		if len(seg) == 1 {
			sc, err := plotter.NewScatter(data)
			if err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
			c.p.Add(sc)
			continue
		}
		l, err := plotter.NewLine(data)
		if err != nil {
			return err
		}
		l.LineStyle = line
		c.p.Add(l)
	}

	thumbs = append(thumbs, lineThumb{line})
	c.legend.Add(name, thumbs...)
	return nil
}

// splitSegments cuts a series where y is undefined.
func splitSegments(pts []xy) [][]xy {
	var out [][]xy
	start := -1
	for i, p := range pts {
		switch ok := finite(p.x) && finite(p.y); {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			out = append(out, pts[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, pts[start:])
	}
	return out
}

// bandPolygons outlines the CI band of a segment: for each run of two or
// more points that all have bounds, a polygon along the upper bounds and
// back along the lower ones. A point without bounds (too few replications
// for a CI) cuts the band, so it is never drawn across such a point.
func bandPolygons(seg []xy) []plotter.XYs {
	var out []plotter.XYs
	start := 0
	for i := 0; i <= len(seg); i++ {
		if i < len(seg) && finite(seg[i].lo) && finite(seg[i].hi) {
			continue
		}
		if run := seg[start:i]; len(run) >= 2 {
			poly := make(plotter.XYs, 0, 2*len(run))
			for _, p := range run {
				poly = append(poly, plotter.XY{X: p.x, Y: p.hi})
			}
			for j := len(run) - 1; j >= 0; j-- {
				poly = append(poly, plotter.XY{X: run[j].x, Y: run[j].lo})
			}
			out = append(out, poly)
		}
		start = i + 1
	}
	return out
}

// addLimit draws a horizontal dashed red line at y across the whole plot,
// and includes y in the axis range so the limit is always visible.
func (c *chart) addLimit(name string, y float64) {
	l := hline{y: y, style: draw.LineStyle{Color: limitColor, Width: vg.Points(1.4), Dashes: dashed}}
	c.p.Add(l)
	c.legend.Add(name, lineThumb{l.style})
}

// addWarmup shades the warm-up [from, to) in grey behind the data.
func (c *chart) addWarmup(from, to float64) {
	if !(to > from) {
		return
	}
	sh := shade{from: from, to: to, color: warmupColor}
	c.p.Add(sh)
	c.legend.Add("warm-up (excluded)", sh)
}

// hline is a horizontal line across the data area.
type hline struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger: only y counts; the infinite x
// bounds leave the x range to the data.
func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

// shade fills the full height of the data area between two x values.
type shade struct {
	from, to float64
	color    color.Color
}

// Plot implements plot.Plotter.
func (s shade) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x0 := max(tx(s.from), c.Min.X)
	x1 := min(tx(s.to), c.Max.X)
	if x1 <= x0 {
		return
	}
	c.FillPolygon(s.color, []vg.Point{
		{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
	})
}

// Thumbnail implements plot.Thumbnailer.
func (s shade) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.color, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// lineThumb draws a legend thumbnail for a line style.
type lineThumb struct {
	style draw.LineStyle
}

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}
