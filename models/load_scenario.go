package models

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Defaults from SCENARIO.md and, for the platform, GENESYS.md §1.
const (
	defaultSeed         = 1
	defaultReplications = 10
	defaultInterval     = 15 * 60
	defaultTimeout      = 60 // s; Data Action execution timeout
	defaultMaxTimeout   = 60 // s; its documented maximum
	defaultMaxInFlight  = 50 // concurrent executions per org (May 2023 revision)
	defaultOrgVolume    = 2500
	defaultServiceLevel = 20 // s
)

// reservedNames cannot name anything: "entry" is a key of flows, and
// "max_in_flight" names the platform's concurrency limit in metrics.
var reservedNames = []string{"entry", "max_in_flight"}

// topKeys are the keys of a scenario file.
var topKeys = []string{"name", "seed", "start", "horizon", "warmup", "replications", "interval",
	"arrivals", "endpoints", "platform", "actions", "flows", "queues", "slo"}

// names holds every name the file defines, for references.
type names struct {
	endpoints, actions, flows, queues map[string]bool
}

// routable reports whether a queue step or transfer can go to s.
func (ns *names) routable(s string) bool { return ns.flows[s] || ns.queues[s] }

// scenario reads the whole file.
func (l *loader) scenario(root *yaml.Node) *Scenario {
	o := l.object(root, "", topKeys...)
	if o.bad {
		return nil
	}
	sc := &Scenario{Seed: defaultSeed, Replications: defaultReplications, Interval: defaultInterval}

	sc.Name = strings.TrimSuffix(filepath.Base(l.file), filepath.Ext(l.file))
	if n := o.get("name"); n != nil {
		sc.Name, _ = l.str(n, "name")
	}
	if n := o.get("seed"); n != nil {
		if v, ok := l.seed(n, "seed"); ok {
			sc.Seed = v
		}
	}
	if n := o.get("start"); n != nil {
		sc.Start, _ = l.clock(n, "start")
	}
	horizonN, horizonOK := o.require("horizon"), false
	if horizonN != nil {
		sc.Horizon, horizonOK = l.positiveDuration(horizonN, "horizon")
		if horizonOK && sc.Horizon > maxHorizon {
			l.badValue(horizonN, "horizon", "must be at most "+formatSeconds(maxHorizon)+" (31 days)")
			horizonOK = false
		}
	}
	if n := o.get("warmup"); n != nil {
		if v, ok := l.duration(n, "warmup"); ok {
			sc.Warmup = v
			if sc.Horizon > 0 && v >= sc.Horizon {
				l.badValue(n, "warmup", "must be shorter than horizon ("+formatSeconds(sc.Horizon)+")")
			}
		}
	}
	if n := o.get("replications"); n != nil {
		sc.Replications, _ = l.integer(n, "replications", 1)
	}
	intervalN, intervalOK := o.get("interval"), true
	if intervalN != nil {
		sc.Interval, intervalOK = l.positiveDuration(intervalN, "interval")
	}
	if horizonOK && intervalOK {
		l.checkIntervals(sc, horizonN, intervalN)
	}

	ns := l.collectNames(o)
	sc.Platform = l.platform(o.get("platform"))
	l.limitNames(o, sc)
	sc.Endpoints = l.endpoints(o.get("endpoints"))
	sc.Actions = l.actions(o.get("actions"), ns, sc.Platform)
	if n := o.require("arrivals"); n != nil {
		before := len(l.problems)
		sc.Arrivals = l.arrivals(n, sc)
		if horizonOK && len(l.problems) == before {
			l.checkArrivals(sc, n, horizonN)
		}
	}
	if n := o.require("flows"); n != nil {
		sc.Entry, sc.Flows = l.flows(n, ns, sc.Platform.MaxTimeout)
	}
	sc.Queues = l.queues(o.get("queues"), ns, sc.Platform.MaxTimeout)
	if len(l.problems) == 0 {
		l.checkLoops()
	}

	// SLO metric names depend on everything above.
	sc.SLO = l.slos(o.get("slo"), sc)
	return sc
}

// checkIntervals reports a run of more than maxIntervals intervals. The
// problem is the interval's, unless only the horizon came from --set:
// then that argument made it.
func (l *loader) checkIntervals(sc *Scenario, horizonN, intervalN *yaml.Node) {
	n := intervalCount(sc.Start, sc.Horizon, sc.Interval)
	if n <= maxIntervals {
		return
	}
	at := intervalN
	if at == nil || l.fromSet(horizonN) && !l.fromSet(intervalN) {
		at = horizonN
	}
	l.errNamed(at, "interval", fmt.Sprintf("%s makes %s intervals over the %s horizon; at most %s are allowed, use a longer interval",
		formatSeconds(sc.Interval), formatCount(n), formatSeconds(sc.Horizon), formatCount(maxIntervals)))
}

// checkArrivals reports a run that expects more than maxArrivals
// interactions per replication. The problem goes to the first value that
// a --set argument gave (the user's latest change), else to the base rate.
func (l *loader) checkArrivals(sc *Scenario, arrivalsN, horizonN *yaml.Node) {
	n := expectedArrivals(&sc.Arrivals, sc.Start, sc.Start+sc.Horizon)
	if n <= maxArrivals {
		return
	}
	o := l.mapping(arrivalsN, "arrivals")
	at := o.get(sc.Arrivals.Kind)
	if at == nil {
		at = arrivalsN
	}
	for _, c := range []*yaml.Node{at, o.get("scale"), o.get("busyness"), o.get("bursts"), horizonN} {
		if c != nil && l.fromSet(c) {
			at = c
			break
		}
	}
	l.errNamed(at, "arrivals", fmt.Sprintf("about %s interactions per replication; at most 50 million are simulated, shorten the horizon or lower the rate",
		formatAbout(n)))
}

// collectNames reads the names of endpoints, actions, flows and queues
// before anything refers to them, and checks that each is well formed,
// not reserved and not used twice.
func (l *loader) collectNames(o *obj) *names {
	ns := &names{endpoints: map[string]bool{}, actions: map[string]bool{},
		flows: map[string]bool{}, queues: map[string]bool{}}
	owner := map[string]string{} // name → key path of its first definition
	for _, sec := range []struct {
		key string
		set map[string]bool
	}{{"endpoints", ns.endpoints}, {"actions", ns.actions}, {"flows", ns.flows}, {"queues", ns.queues}} {
		n := o.get(sec.key)
		if n == nil || l.deref(n).Kind != yaml.MappingNode {
			continue // reported where the section is read
		}
		m := l.mapping(n, sec.key)
		for _, k := range m.orderedKeys() {
			if sec.key == "flows" && k == "entry" {
				continue
			}
			kn, p := m.keys[k], child(sec.key, k)
			switch {
			case !validName(k):
				l.errAt(kn, sec.key, fmt.Sprintf("%q is not a valid name: a lowercase letter, then lowercase letters, digits or _", k))
			case contains(reservedNames, k):
				l.errAt(kn, sec.key, fmt.Sprintf("%q is reserved; choose another name", k))
			case owner[k] != "":
				l.errAt(kn, sec.key, fmt.Sprintf("name %q is already used by %s; endpoints, actions, flows and queues need distinct names", k, owner[k]))
			default:
				owner[k] = p
			}
			sec.set[k] = true
		}
	}
	return ns
}

// limitNames checks that every rate limit name, platform and endpoints
// together, is used once.
func (l *loader) limitNames(o *obj, sc *Scenario) {
	seen := map[string]string{}
	for _, rl := range sc.Platform.RateLimits {
		seen[rl.Name] = "platform.data_actions"
	}
	n := o.get("endpoints")
	if n == nil || l.deref(n).Kind != yaml.MappingNode {
		return
	}
	m := l.mapping(n, "endpoints")
	for _, k := range m.orderedKeys() {
		ep := l.deref(m.vals[k])
		if ep.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(ep.Content); i += 2 {
			if ep.Content[i].Value != "rate_limits" {
				continue
			}
			lst := l.deref(ep.Content[i+1])
			if lst.Kind != yaml.SequenceNode {
				continue
			}
			for j, it := range lst.Content {
				it = l.deref(it)
				if it.Kind != yaml.MappingNode {
					continue
				}
				for c := 0; c+1 < len(it.Content); c += 2 {
					nn := l.deref(it.Content[c+1])
					if it.Content[c].Value != "name" || nn.Kind != yaml.ScalarNode {
						continue
					}
					p := child(item(child(child("endpoints", k), "rate_limits"), j), "name")
					if prev, dup := seen[nn.Value]; dup {
						l.errAt(nn, p, fmt.Sprintf("limit name %q is already used in %s; limit names are unique across the platform and every endpoint", nn.Value, prev))
					} else {
						seen[nn.Value] = child("endpoints", k)
					}
				}
			}
		}
	}
}

// arrivals reads the arrivals section.
func (l *loader) arrivals(n *yaml.Node, sc *Scenario) Arrivals {
	o := l.object(n, "arrivals", "rate", "concurrency", "volumes", "trace",
		"process", "scale", "busyness", "bursts")
	a := Arrivals{Process: "poisson", Scale: 1}
	if o.bad {
		return a
	}
	var kinds []string
	for _, k := range []string{"rate", "concurrency", "volumes", "trace"} {
		if o.get(k) != nil {
			kinds = append(kinds, k)
		}
	}
	switch len(kinds) {
	case 0:
		l.errAt(o.n, "arrivals", "needs one of rate, concurrency, volumes or trace")
	case 1:
		a.Kind = kinds[0]
	default:
		// Blame the kind a --set argument added, if any: the file alone
		// may be fine.
		at := o.keys[kinds[1]]
		for _, k := range kinds {
			if l.fromSet(o.vals[k]) {
				at = o.keyAt(k)
				break
			}
		}
		l.errAt(at, "arrivals", fmt.Sprintf("has both %s and %s; give exactly one of rate, concurrency, volumes or trace", kinds[0], kinds[1]))
	}

	switch a.Kind {
	case "rate":
		rn := o.get("rate")
		if r, ok := l.rate(rn, "arrivals.rate"); ok {
			a.Base = []RateSegment{{From: 0, To: math.MaxFloat64, Rate: r}}
			a.Source = "rate " + rn.Value
		}
	case "concurrency":
		c := l.object(o.get("concurrency"), "arrivals.concurrency", "interactions", "handle_time")
		in, hn := c.require("interactions"), c.require("handle_time")
		if in != nil && hn != nil {
			k, kok := l.number(in, c.at("interactions"))
			if kok && k <= 0 {
				l.badValue(in, c.at("interactions"), "must be greater than 0")
				kok = false
			}
			h, hok := l.positiveDuration(hn, c.at("handle_time"))
			if kok && hok {
				a.Base = []RateSegment{{From: 0, To: math.MaxFloat64, Rate: k / h}}
				a.Source = fmt.Sprintf("concurrency %s / %s", in.Value, hn.Value)
			}
		}
	case "volumes":
		segs, src, ok := l.volumes(o.get("volumes"), "arrivals.volumes", sc.Start)
		if ok {
			a.Base, a.Source = segs, src
			if w := coverageWarning(segs, sc.Start, sc.Start+sc.Horizon); w != "" && sc.Horizon > 0 {
				l.warnings = append(l.warnings, w)
			}
		}
	case "trace":
		l.errAt(o.get("trace"), "arrivals.trace", "not supported yet; use rate, concurrency or volumes")
	}

	if pn := o.get("process"); pn != nil {
		if s, ok := l.str(pn, "arrivals.process"); ok {
			if s != "poisson" && s != "deterministic" {
				l.badValue(pn, "arrivals.process", "must be poisson or deterministic")
			}
			a.Process = s
		}
	}
	if sn := o.get("scale"); sn != nil {
		if v, ok := l.number(sn, "arrivals.scale"); ok {
			if v <= 0 {
				l.badValue(sn, "arrivals.scale", "must be greater than 0")
			}
			a.Scale = v
		}
	}
	if bn := o.get("busyness"); bn != nil {
		if d, ok := l.dist(bn, "arrivals.busyness", unitless); ok {
			a.Busyness = &d
		}
	}
	if bn := o.get("bursts"); bn != nil {
		a.Bursts = l.bursts(bn)
	}
	return a
}

// bursts reads arrivals.bursts.
func (l *loader) bursts(n *yaml.Node) []Burst {
	items, ok := l.list(n, "arrivals.bursts")
	if !ok {
		return nil
	}
	out := []Burst{}
	for i, it := range items {
		p := item("arrivals.bursts", i)
		o := l.object(it, p, "start", "duration", "multiplier")
		sn, dn, mn := o.require("start"), o.require("duration"), o.require("multiplier")
		var b Burst
		ok := sn != nil && dn != nil && mn != nil
		if !ok {
			continue
		}
		b.Start, ok = l.clock(sn, o.at("start"))
		d, dok := l.positiveDuration(dn, o.at("duration"))
		if dok && d > 86400 {
			l.badValue(dn, o.at("duration"), "must be at most 24h: a burst recurs daily")
			dok = false
		}
		m, mok := l.number(mn, o.at("multiplier"))
		if mok && m <= 0 {
			l.badValue(mn, o.at("multiplier"), "must be greater than 0")
			mok = false
		}
		if ok && dok && mok {
			b.Duration, b.Multiplier = d, m
			out = append(out, b)
		}
	}
	return out
}

// capacity reads workers or agents: a positive integer, or a daily
// schedule [{start: "08:00", KEY: n}] sorted by start.
func (l *loader) capacity(n *yaml.Node, path, key string) []Capacity {
	n = l.deref(n)
	if n.Kind != yaml.SequenceNode {
		v, ok := l.integer(n, path, 1)
		if !ok {
			return nil
		}
		return []Capacity{{Start: 0, N: v}}
	}
	items, _ := l.list(n, path)
	if len(items) == 0 {
		l.errAt(n, path, "a schedule needs at least one entry")
		return nil
	}
	var out []Capacity
	lines := map[float64]int{}
	good, anyPositive := true, false
	for i, it := range items {
		p := item(path, i)
		o := l.object(it, p, "start", key)
		sn, vn := o.require("start"), o.require(key)
		if sn == nil || vn == nil {
			good = false
			continue
		}
		s, sok := l.clock(sn, o.at("start"))
		v, vok := l.integer(vn, o.at(key), 0)
		if !sok || !vok {
			good = false
			continue
		}
		if prev, dup := lines[s]; dup {
			l.errAt(sn, o.at("start"), fmt.Sprintf("%s appears twice in the schedule (first on line %d)", formatClock(s), prev))
			good = false
			continue
		}
		lines[s] = sn.Line
		anyPositive = anyPositive || v > 0
		out = append(out, Capacity{Start: s, N: v})
	}
	if good && !anyPositive {
		l.errAt(n, path, "the schedule never has more than 0 "+key)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// rateLimits reads a list of token buckets and fixed windows.
func (l *loader) rateLimits(n *yaml.Node, path string) []RateLimit {
	items, ok := l.list(n, path)
	if !ok {
		return nil
	}
	out := []RateLimit{}
	for i, it := range items {
		p := item(path, i)
		o := l.object(it, p, "name", "rate", "burst", "limit", "per")
		if o.bad {
			continue
		}
		var rl RateLimit
		good := true
		if nn := o.require("name"); nn != nil {
			rl.Name, good = l.name(nn, o.at("name"))
			if good && contains(reservedNames, rl.Name) {
				l.errAt(nn, o.at("name"), fmt.Sprintf("%q is reserved; choose another name", rl.Name))
				good = false
			}
		} else {
			good = false
		}
		rn, ln := o.get("rate"), o.get("limit")
		switch {
		case rn != nil && ln != nil:
			l.errAt(ln, p, "has both rate (a token bucket) and limit (a fixed window); give one")
			good = false
		case rn != nil:
			rl.Kind, rl.Burst = "bucket", 1
			r, rok := l.rate(rn, o.at("rate"))
			rl.Rate, good = r, good && rok
			if bn := o.get("burst"); bn != nil {
				b, bok := l.number(bn, o.at("burst"))
				if bok && b < 1 {
					l.badValue(bn, o.at("burst"), "must be at least 1")
					bok = false
				}
				rl.Burst, good = b, good && bok
			}
			if pn := o.get("per"); pn != nil {
				l.errAt(o.keyAt("per"), p, "per belongs to a fixed window (limit, per), not a token bucket (rate, burst)")
				good = false
			}
		case ln != nil:
			rl.Kind = "window"
			v, vok := l.integer(ln, o.at("limit"), 1)
			rl.Limit, good = v, good && vok
			if pn := o.require("per"); pn != nil {
				d, dok := l.positiveDuration(pn, o.at("per"))
				rl.Per, good = d, good && dok
			} else {
				good = false
			}
			if bn := o.get("burst"); bn != nil {
				l.errAt(o.keyAt("burst"), p, "burst belongs to a token bucket (rate, burst), not a fixed window (limit, per)")
				good = false
			}
		default:
			l.errAt(o.n, p, "needs rate (a token bucket) or limit and per (a fixed window)")
			good = false
		}
		if good || rl.Name != "" {
			// A limit with a bad value keeps its name, so that its
			// metric still exists for the SLO check.
			out = append(out, rl)
		}
	}
	return out
}

// platform reads platform.data_actions, with GENESYS.md's defaults.
func (l *loader) platform(n *yaml.Node) Platform {
	p := Platform{
		Timeout:     defaultTimeout,
		MaxTimeout:  defaultMaxTimeout,
		Overhead:    Dist{Kind: DistConstant},
		MaxInFlight: defaultMaxInFlight,
		RateLimits:  []RateLimit{{Name: "org_volume", Kind: "window", Limit: defaultOrgVolume, Per: 60}},
	}
	if n == nil {
		return p
	}
	po := l.object(n, "platform", "data_actions")
	dn := po.get("data_actions")
	if dn == nil {
		return p
	}
	const at = "platform.data_actions"
	o := l.object(dn, at, "timeout", "max_timeout", "overhead", "max_in_flight", "rate_limits")
	if v := o.get("max_timeout"); v != nil {
		if d, ok := l.positiveDuration(v, o.at("max_timeout")); ok {
			p.MaxTimeout = d
		}
	}
	if v := o.get("timeout"); v != nil {
		if d, ok := l.positiveDuration(v, o.at("timeout")); ok {
			if d > p.MaxTimeout {
				l.badValue(v, o.at("timeout"), "must be at most max_timeout ("+formatSeconds(p.MaxTimeout)+")")
			}
			p.Timeout = d
		}
	} else if p.Timeout > p.MaxTimeout {
		p.Timeout = p.MaxTimeout
	}
	if v := o.get("overhead"); v != nil {
		if d, ok := l.dist(v, o.at("overhead"), inSeconds); ok {
			p.Overhead = d
		}
	}
	if v := o.get("max_in_flight"); v != nil {
		if m, ok := l.integer(v, o.at("max_in_flight"), 0); ok {
			p.MaxInFlight = m
		}
	}
	if _, set := o.vals["rate_limits"]; set {
		p.RateLimits = []RateLimit{}
		if v := o.get("rate_limits"); v != nil {
			p.RateLimits = l.rateLimits(v, o.at("rate_limits"))
		}
	}
	return p
}

// endpoints reads the endpoints section, in file order.
func (l *loader) endpoints(n *yaml.Node) []Endpoint {
	out := []Endpoint{}
	if n == nil {
		return out
	}
	m := l.mapping(n, "endpoints")
	for _, name := range m.orderedKeys() {
		p := child("endpoints", name)
		o := l.object(m.vals[name], p, "workers", "queue_limit", "latency", "error_rate", "rate_limits", "retry_after")
		e := Endpoint{Name: name, QueueLimit: -1, RateLimits: []RateLimit{}}
		if v := o.get("workers"); v != nil {
			e.Workers = l.capacity(v, o.at("workers"), "workers")
		}
		if v := o.get("queue_limit"); v != nil {
			var ok bool
			e.QueueLimit, ok = l.integer(v, o.at("queue_limit"), 0)
			if ok && o.get("workers") == nil {
				l.warnings = append(l.warnings, o.at("queue_limit")+
					" has no effect: the endpoint has unlimited workers, so requests never wait")
			}
		}
		if v := o.require("latency"); v != nil {
			e.Latency, _ = l.dist(v, o.at("latency"), inSeconds)
		}
		if v := o.get("error_rate"); v != nil {
			e.ErrorRate, _ = l.fraction(v, o.at("error_rate"))
		}
		if v := o.get("rate_limits"); v != nil {
			e.RateLimits = l.rateLimits(v, o.at("rate_limits"))
		}
		if v := o.get("retry_after"); v != nil {
			e.RetryAfter, _ = l.duration(v, o.at("retry_after"))
		}
		out = append(out, e)
	}
	return out
}

// retryOutcomes are the outcomes a retry policy may retry on, in the order
// the resolved scenario lists them.
var retryOutcomes = []string{"timeout", "rejected", "error"}

// actions reads the actions section, in file order.
func (l *loader) actions(n *yaml.Node, ns *names, plat Platform) []Action {
	out := []Action{}
	if n == nil {
		return out
	}
	m := l.mapping(n, "actions")
	for _, name := range m.orderedKeys() {
		p := child("actions", name)
		o := l.object(m.vals[name], p, "endpoint", "timeout", "retry", "cache", "request")
		a := Action{Name: name, Retry: Retry{Multiplier: 1, On: append([]string(nil), retryOutcomes...)}}
		if v := o.require("endpoint"); v != nil {
			if s, ok := l.str(v, o.at("endpoint")); ok {
				a.Endpoint = s
				if !ns.endpoints[s] {
					l.errAt(v, o.at("endpoint"), unknownRef("endpoint", s, ns.endpoints))
				}
			}
		}
		a.Timeout = l.actionTimeout(o, plat)
		if v := o.get("retry"); v != nil {
			a.Retry = l.retry(v, o.at("retry"))
		}
		if v := o.get("cache"); v != nil {
			co := l.object(v, o.at("cache"), "hit_ratio", "latency")
			c := &Cache{Latency: Dist{Kind: DistConstant}}
			if hn := co.require("hit_ratio"); hn != nil {
				c.HitRatio, _ = l.fraction(hn, co.at("hit_ratio"))
			}
			if ln := co.get("latency"); ln != nil {
				c.Latency, _ = l.distOrDuration(ln, co.at("latency"))
			}
			a.Cache = c
		}
		if v := o.get("request"); v != nil {
			a.Request = l.request(v, o.at("request"))
		}
		out = append(out, a)
	}
	return out
}

// actionTimeout reads an action's timeout, defaulting to the platform's.
func (l *loader) actionTimeout(o *obj, plat Platform) float64 {
	v := o.get("timeout")
	if v == nil {
		return plat.Timeout
	}
	d, ok := l.positiveDuration(v, o.at("timeout"))
	if ok && d > plat.MaxTimeout {
		l.badValue(v, o.at("timeout"), "must be at most platform.data_actions.max_timeout ("+formatSeconds(plat.MaxTimeout)+")")
	}
	return d
}

// retry reads an action's retry policy.
func (l *loader) retry(n *yaml.Node, path string) Retry {
	o := l.object(n, path, "max_retries", "backoff", "multiplier", "jitter", "on")
	r := Retry{Multiplier: 1, On: append([]string(nil), retryOutcomes...)}
	if v := o.get("max_retries"); v != nil {
		r.MaxRetries, _ = l.integer(v, o.at("max_retries"), 0)
	}
	if v := o.get("backoff"); v != nil {
		r.Backoff, _ = l.duration(v, o.at("backoff"))
	}
	if v := o.get("multiplier"); v != nil {
		if m, ok := l.number(v, o.at("multiplier")); ok {
			if m < 1 {
				l.badValue(v, o.at("multiplier"), "must be at least 1")
			}
			r.Multiplier = m
		}
	}
	if v := o.get("jitter"); v != nil {
		r.Jitter, _ = l.fraction(v, o.at("jitter"))
	}
	if v := o.get("on"); v != nil {
		items, ok := l.list(v, o.at("on"))
		if !ok {
			return r
		}
		set := map[string]bool{}
		for i, it := range items {
			p := item(o.at("on"), i)
			s, ok := l.str(it, p)
			if !ok {
				continue
			}
			if !contains(retryOutcomes, s) {
				msg := fmt.Sprintf("unknown outcome %q; valid: timeout, rejected, error", s)
				if g, ok := nearest(s, retryOutcomes); ok {
					msg = fmt.Sprintf("unknown outcome %q; did you mean %q?", s, g)
				}
				l.errAt(it, p, msg)
				continue
			}
			set[s] = true
		}
		r.On = []string{}
		for _, s := range retryOutcomes {
			if set[s] {
				r.On = append(r.On, s)
			}
		}
	}
	return r
}

// request reads an action's HTTP request, which only a load test uses.
func (l *loader) request(n *yaml.Node, path string) *Request {
	o := l.object(n, path, "method", "path", "headers", "body")
	r := &Request{}
	if v := o.get("method"); v != nil {
		r.Method, _ = l.str(v, o.at("method"))
	}
	if v := o.get("path"); v != nil {
		r.Path, _ = l.str(v, o.at("path"))
	}
	if v := o.get("body"); v != nil {
		r.Body, _ = l.str(v, o.at("body"))
	}
	if v := o.get("headers"); v != nil {
		h := l.mapping(v, o.at("headers"))
		r.Headers = map[string]string{}
		for _, k := range h.orderedKeys() {
			if hv := h.get(k); hv != nil {
				r.Headers[k], _ = l.str(hv, h.at(k))
			}
		}
	}
	return r
}

// unknownRef writes the message for a reference to a name that does not
// exist, suggesting the nearest one.
func unknownRef(what, s string, defined map[string]bool) string {
	cands := make([]string, 0, len(defined))
	for k := range defined {
		cands = append(cands, k)
	}
	sort.Strings(cands)
	msg := fmt.Sprintf("no %s named %q", what, s)
	if g, ok := nearest(s, cands); ok {
		return msg + fmt.Sprintf("; did you mean %q?", g)
	}
	if len(cands) == 0 {
		return msg + " (none are defined)"
	}
	if len(cands) <= 8 {
		return msg + " (defined: " + strings.Join(cands, ", ") + ")"
	}
	return msg
}
