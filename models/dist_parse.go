package models

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// distUnit says how the parameters of a distribution are written.
type distUnit int

const (
	inSeconds distUnit = iota // durations: "150ms", "2s", bare seconds
	unitless                  // plain numbers: arrivals.busyness
)

// z-scores of the 95th and 99th percentiles of the standard normal, Φ⁻¹(p),
// for resolving lognormal p50+p95 and p50+p99 to mu and sigma.
const (
	z95 = 1.6448536269514722
	z99 = 2.3263478740408408
)

// distKinds lists the families in the order messages give them.
var distKinds = []string{
	string(DistConstant), string(DistExponential), string(DistUniform), string(DistNormal),
	string(DistLognormal), string(DistGamma), string(DistWeibull), string(DistPercentiles),
	string(DistEmpirical), string(DistMixture),
}

// distParams are the keys each family takes besides "dist".
var distParams = map[DistKind][]string{
	DistConstant:    {"value"},
	DistExponential: {"mean"},
	DistUniform:     {"min", "max"},
	DistNormal:      {"mean", "sd"},
	DistLognormal:   {"mean", "cv", "p50", "p95", "p99", "mu", "sigma"},
	DistGamma:       {"mean", "cv"},
	DistWeibull:     {"shape", "scale"},
	DistPercentiles: percentileKeys(),
	DistEmpirical:   {"samples", "csv", "column", "unit"},
	DistMixture:     {"of"},
}

// percentileKeys returns p0 to p100.
func percentileKeys() []string {
	ks := make([]string, 101)
	for i := range ks {
		ks[i] = "p" + strconv.Itoa(i)
	}
	return ks
}

// empiricalUnits are the units an empirical distribution's samples may be
// given in, in seconds.
var empiricalUnits = map[string]float64{"ms": 0.001, "s": 1, "m": 60, "h": 3600}

// distOrDuration reads a distribution, or a bare duration as a constant
// one; wait steps and the pause of repeat and in_queue take both.
func (l *loader) distOrDuration(n *yaml.Node, path string) (Dist, bool) {
	n = l.deref(n)
	if n.Kind == yaml.ScalarNode {
		v, ok := l.duration(n, path)
		return Dist{Kind: DistConstant, Value: v}, ok
	}
	return l.dist(n, path, inSeconds)
}

// dist reads a distribution mapping ("{dist: lognormal, p50: 150ms, p95:
// 900ms}") and resolves it: lognormal to mu and sigma, percentiles to
// sorted points, empirical to its sorted samples.
func (l *loader) dist(n *yaml.Node, path string, u distUnit) (Dist, bool) {
	return l.distIn(n, path, u, nil)
}

// distIn reads a distribution. A mixture component also has a weight, a
// fraction greater than 0, which distIn stores in *weight when weight is
// not nil.
func (l *loader) distIn(n *yaml.Node, path string, u distUnit, weight *float64) (Dist, bool) {
	n = l.deref(n)
	if n.Kind != yaml.MappingNode {
		l.badValue(n, path, "must be a distribution like {dist: exponential, mean: 2s}")
		return Dist{}, false
	}
	o := l.mapping(n, path)
	kn := o.require("dist")
	if kn == nil {
		return Dist{}, false
	}
	kind := DistKind(kn.Value)
	params, known := distParams[kind]
	if kn.Kind != yaml.ScalarNode || !known {
		msg := fmt.Sprintf("unknown distribution %s", describe(kn))
		if s, ok := nearest(kn.Value, distKinds); ok && kn.Kind == yaml.ScalarNode {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		l.errAt(kn, o.at("dist"), msg+" (valid: "+strings.Join(distKinds, ", ")+")")
		return Dist{}, false
	}
	if kind == DistEmpirical && u == unitless {
		params = []string{"samples", "csv", "column"}
	}
	allowed := append([]string{"dist"}, params...)
	ok := true
	if weight != nil {
		allowed = append(allowed, "weight")
		ok = l.weight(o, weight)
	}
	for _, k := range o.orderedKeys() {
		if !contains(allowed, k) {
			msg := unknownKey(k, allowed)
			if _, other := nearest(k, params); !other {
				msg = fmt.Sprintf("%s takes no %q (it takes %s)", kind, k, strings.Join(shortList(params), ", "))
			}
			l.errAt(o.keys[k], path, msg)
			ok = false
		}
	}

	d := Dist{Kind: kind}
	p := paramReader{l: l, o: o, u: u, ok: true}
	switch kind {
	case DistConstant:
		d.Value = p.amount("value", false)
	case DistExponential:
		d.MeanParam = p.amount("mean", true)
	case DistUniform:
		d.Min = p.amount("min", false)
		d.Max = p.amount("max", false)
		if p.ok && d.Max <= d.Min {
			p.fail("max", "must be greater than min")
		}
	case DistNormal:
		d.MeanParam = p.amount("mean", false)
		d.SD = p.amount("sd", true)
	case DistLognormal:
		l.lognormal(&d, &p)
	case DistGamma:
		d.MeanParam = p.amount("mean", true)
		d.CV = p.positive("cv")
	case DistWeibull:
		d.Shape = p.positive("shape")
		d.Scale = p.amount("scale", true)
	case DistPercentiles:
		d.Points = l.percentiles(&p)
	case DistEmpirical:
		d.Samples = l.empirical(&p)
	case DistMixture:
		d.Of = l.mixture(&p)
	}
	if !ok || !p.ok {
		return Dist{}, false
	}
	if err := d.Validate(); err != nil {
		// The parameters were each fine, but together too extreme, e.g. a
		// lognormal whose mean overflows.
		l.errAt(n, path, strings.TrimPrefix(err.Error(), "models: "))
		return Dist{}, false
	}
	return d, true
}

// shortList abbreviates the 101 percentile keys for messages.
func shortList(params []string) []string {
	if len(params) > 10 {
		return []string{"p0", "p1", "…", "p100"}
	}
	return params
}

// paramReader reads the parameters of one distribution and remembers
// whether all were good.
type paramReader struct {
	l  *loader
	o  *obj
	u  distUnit
	ok bool
}

// fail reports a problem with parameter key.
func (p *paramReader) fail(key, msg string) {
	n := p.o.get(key)
	if n == nil {
		n = p.o.n
	}
	p.l.badValue(n, p.o.at(key), msg)
	p.ok = false
}

// amount reads a required duration (or, unitless, a number) of at least 0,
// or greater than 0 when positive is set.
func (p *paramReader) amount(key string, positive bool) float64 {
	n := p.o.require(key)
	if n == nil {
		p.ok = false
		return 0
	}
	return p.amountAt(n, p.o.at(key), positive)
}

func (p *paramReader) amountAt(n *yaml.Node, path string, positive bool) float64 {
	var v float64
	var ok bool
	if p.u == inSeconds {
		v, ok = p.l.duration(n, path)
	} else {
		v, ok = p.l.number(n, path)
		if ok && v < 0 {
			p.l.badValue(n, path, "must not be negative")
			ok = false
		}
	}
	if ok && positive && v <= 0 {
		p.l.badValue(n, path, "must be greater than 0")
		ok = false
	}
	if !ok {
		p.ok = false
	}
	return v
}

// positive reads a required plain number greater than 0 (cv, shape).
func (p *paramReader) positive(key string) float64 {
	n := p.o.require(key)
	if n == nil {
		p.ok = false
		return 0
	}
	v, ok := p.l.number(n, p.o.at(key))
	if ok && v <= 0 {
		p.l.badValue(n, p.o.at(key), "must be greater than 0")
		ok = false
	}
	if !ok {
		p.ok = false
	}
	return v
}

// lognormal resolves whichever of the four forms the file used to mu and
// sigma of the log of the value.
func (l *loader) lognormal(d *Dist, p *paramReader) {
	var present []string
	for _, k := range distParams[DistLognormal] {
		if p.o.get(k) != nil {
			present = append(present, k)
		}
	}
	form := strings.Join(present, "+")
	switch form {
	case "mean+cv":
		// sigma² = ln(1+cv²) and mean = exp(mu + sigma²/2).
		mean, cv := p.amount("mean", true), p.positive("cv")
		d.Sigma = math.Sqrt(math.Log1p(cv * cv))
		d.Mu = math.Log(mean) - d.Sigma*d.Sigma/2
	case "p50+p95", "p50+p99":
		hi, z := "p95", z95
		if form == "p50+p99" {
			hi, z = "p99", z99
		}
		p50, phi := p.amount("p50", true), p.amount(hi, true)
		if p.ok && phi <= p50 {
			p.fail(hi, "must be greater than p50")
		}
		d.Mu = math.Log(p50)
		d.Sigma = (math.Log(phi) - math.Log(p50)) / z
	case "mu+sigma":
		mu, ok := l.number(p.o.get("mu"), p.o.at("mu"))
		if !ok {
			p.ok = false
		}
		d.Mu = mu
		d.Sigma = p.positive("sigma")
	default:
		got := "none of them"
		if form != "" {
			got = form
		}
		l.errAt(p.o.n, p.o.path, "lognormal takes mean+cv, p50+p95, p50+p99 or mu+sigma; got "+got)
		p.ok = false
	}
}

// percentiles reads the p0…p100 keys into points sorted by probability:
// p100 is required, p0 defaults to 0, and the values must not decrease.
func (l *loader) percentiles(p *paramReader) []Point {
	type pt struct {
		Point
		key string
		n   *yaml.Node
	}
	var pts []pt
	for _, k := range p.o.orderedKeys() {
		if k == "dist" || k == "weight" || !strings.HasPrefix(k, "p") {
			continue
		}
		i, err := strconv.Atoi(k[1:])
		if err != nil || i < 0 || i > 100 {
			continue // reported as an unknown key
		}
		n := p.o.get(k)
		if n == nil {
			continue
		}
		v := p.amountAt(n, p.o.at(k), false)
		pts = append(pts, pt{Point{P: float64(i) / 100, V: v}, k, n})
	}
	if p.o.get("p100") == nil {
		p.o.require("p100")
		p.ok = false
	}
	if p.o.get("p0") == nil {
		pts = append(pts, pt{Point: Point{P: 0, V: 0}, key: "p0 (default 0)"})
	}
	if !p.ok {
		return nil
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].P < pts[j].P })
	out := make([]Point, len(pts))
	for i, x := range pts {
		out[i] = x.Point
		if i > 0 && x.V < pts[i-1].V {
			l.errAt(x.n, p.o.at(x.key), fmt.Sprintf("must not be below %s (%s), got %s",
				pts[i-1].key, formatSeconds(pts[i-1].V), formatSeconds(x.V)))
			p.ok = false
		}
	}
	return out
}

// empirical reads the samples of an empirical distribution, inline or from
// a CSV column, in seconds (or unitless), sorted.
func (l *loader) empirical(p *paramReader) []float64 {
	o := p.o
	factor := 1.0
	var un *yaml.Node
	if p.u == inSeconds {
		un = o.get("unit")
	}
	if un != nil {
		f, ok := empiricalUnits[un.Value]
		if un.Kind != yaml.ScalarNode || !ok {
			l.badValue(un, o.at("unit"), "must be ms, s, m or h")
			p.ok = false
		}
		factor = f
	}
	sn, cn := o.get("samples"), o.get("csv")
	var out []float64
	switch {
	case sn != nil && cn != nil:
		l.errAt(cn, o.at("csv"), "give samples or csv, not both")
		p.ok = false
		return nil
	case sn != nil:
		if o.get("column") != nil {
			l.errAt(o.keyAt("column"), o.at("column"), "column goes with csv, not samples")
			p.ok = false
		}
		items, ok := l.list(sn, o.at("samples"))
		if !ok {
			p.ok = false
			return nil
		}
		for i, it := range items {
			v, ok := l.sample(it, item(o.at("samples"), i), p.u, factor, un != nil)
			if !ok {
				p.ok = false
			}
			out = append(out, v)
		}
	case cn != nil:
		col := o.require("column")
		rel, ok := l.str(cn, o.at("csv"))
		if col == nil || !ok {
			p.ok = false
			return nil
		}
		vals, ok := l.csvColumn(cn, o.at("csv"), rel, col, o.at("column"), factor)
		if !ok {
			p.ok = false
			return nil
		}
		out = vals
	default:
		l.errAt(o.n, o.path, "empirical needs samples: [...] or csv: FILE with column: NAME")
		p.ok = false
		return nil
	}
	if p.ok && len(out) == 0 {
		l.errAt(o.n, o.path, "empirical needs at least one sample")
		p.ok = false
	}
	sort.Float64s(out)
	return out
}

// sample reads one inline sample: a bare number times the unit, or (in
// seconds, when no unit is set) a duration such as "150ms".
func (l *loader) sample(n *yaml.Node, path string, u distUnit, factor float64, unitSet bool) (float64, bool) {
	s, ok := l.scalar(n, path, wantNumber)
	if !ok {
		return 0, false
	}
	v, err := parseNumber(s)
	if err == nil {
		v *= factor
	} else if u == inSeconds && !unitSet {
		v, err = parseDuration(s)
	}
	if err != nil {
		if u == inSeconds && !unitSet {
			l.badValue(n, path, wantDuration)
		} else {
			l.badValue(n, path, wantNumber)
		}
		return 0, false
	}
	if v < 0 {
		l.badValue(n, path, "must not be negative")
		return 0, false
	}
	return v, true
}

// mixture reads the weighted components; the weights must sum to 1.
func (l *loader) mixture(p *paramReader) []Component {
	on := p.o.require("of")
	if on == nil {
		p.ok = false
		return nil
	}
	items, ok := l.list(on, p.o.at("of"))
	if !ok {
		p.ok = false
		return nil
	}
	if len(items) == 0 {
		l.errAt(on, p.o.at("of"), "a mixture needs at least one distribution")
		p.ok = false
		return nil
	}
	var out []Component
	sum := 0.0
	for i, it := range items {
		var w float64
		d, ok := l.distIn(it, item(p.o.at("of"), i), p.u, &w)
		if !ok {
			p.ok = false
			continue
		}
		sum += w
		out = append(out, Component{Weight: w, Dist: d})
	}
	if p.ok && math.Abs(sum-1) > 1e-9 {
		l.errAt(on, p.o.at("of"), fmt.Sprintf("the weights sum to %s, not 1", strconv.FormatFloat(sum, 'g', 6, 64)))
		p.ok = false
	}
	return out
}

// weight reads the weight of a mixture component.
func (l *loader) weight(o *obj, w *float64) bool {
	wn := o.require("weight")
	if wn == nil {
		return false
	}
	v, ok := l.fraction(wn, o.at("weight"))
	if ok && v <= 0 {
		l.badValue(wn, o.at("weight"), "must be greater than 0")
		ok = false
	}
	*w = v
	return ok
}
