package models

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// slos reads the slo list. Each bound is written in its metric's unit: a
// duration for "s" metrics, a fraction for "fraction" metrics and a plain
// number for counts.
func (l *loader) slos(n *yaml.Node, sc *Scenario) []SLO {
	out := []SLO{}
	if n == nil {
		return out
	}
	items, ok := l.list(n, "slo")
	if !ok {
		return out
	}
	for i, it := range items {
		p := item("slo", i)
		o := l.object(it, p, "metric", "min", "max")
		if o.bad {
			continue
		}
		s := SLO{Line: l.line(it)}
		mn := o.require("metric")
		if mn == nil {
			continue
		}
		name, ok := l.str(mn, o.at("metric"))
		if !ok {
			continue
		}
		s.Metric = name
		unit, err := CheckMetric(sc, name)
		if err != nil {
			l.errAt(mn, o.at("metric"), strings.TrimPrefix(err.Error(), "models: "))
			continue
		}
		good := true
		for _, b := range []struct {
			key string
			dst **float64
		}{{"min", &s.Min}, {"max", &s.Max}} {
			bn := o.get(b.key)
			if bn == nil {
				continue
			}
			v, ok := l.bound(bn, o.at(b.key), unit)
			if ok {
				*b.dst = &v
			}
			good = good && ok
		}
		if !good {
			continue
		}
		switch {
		case s.Min == nil && s.Max == nil:
			l.errAt(it, p, "needs min, max or both")
		case s.Min != nil && s.Max != nil && *s.Min > *s.Max:
			l.errAt(o.get("max"), o.at("max"), "must not be below min")
		default:
			out = append(out, s)
		}
	}
	return out
}

// bound reads an SLO bound in the metric's unit.
func (l *loader) bound(n *yaml.Node, path, unit string) (float64, bool) {
	switch unit {
	case UnitSeconds:
		return l.duration(n, path)
	case UnitFraction:
		return l.fraction(n, path)
	}
	v, ok := l.number(n, path)
	if ok && v < 0 {
		l.badValue(n, path, "must not be negative")
		return 0, false
	}
	return v, ok
}
