package synth

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Customer is one simulated customer: attributes, events and the truth
// behind them.
type Customer struct {
	// Customer holds the attributes as the bank records them (birth date,
	// occupation, declared income, currency, time zone, consent, joined).
	// Declared income may be missing or differ from the truth.
	profile.Customer
	// Stage is the customer's true life-cycle stage.
	Stage Stage
	// City is the home city.
	City string
	// MonthlyIncome is the true regular monthly income at the start of the
	// period (salary, pension, allowance or household money; the expected
	// monthly total of irregular earnings for the self-employed), nominal.
	MonthlyIncome decimal.Decimal
	// Events are the customer's events sorted by time (stable), each valid
	// (profile.Event.Validate passes), with IDs unique in the population
	// and increasing in sort order. Fraud events are labelled
	// profile.LabelFraud, all others profile.LabelLegit.
	Events []profile.Event
	// Income is the truth of recurring credits (salary, gig payouts,
	// pension, allowance, household money), in order of First.
	Income []Stream
	// Bills is the truth of recurring debits (utilities, telecom,
	// insurance, rent, subscriptions, childcare, tuition, support to
	// parents, loan repayments to this bank and to other lenders), in
	// order of First.
	Bills []Stream
	// Episodes are the fraud episodes suffered (at most one).
	Episodes []Episode
	// HardCases are the honest hard cases lived (at most one per kind).
	HardCases []HardCase
}

// Episode is one fraud episode: every event in EventIDs is labelled fraud.
type Episode struct {
	Pattern  Pattern
	Start    time.Time       // the first fraud event
	End      time.Time       // the last fraud event
	EventIDs []string        // sessions, feature use and transactions, in time order
	Debits   int             // fraudulent debit transactions
	Amount   decimal.Decimal // their total, in the customer's currency
}

// HardCase is one honest hard case: its events look unusual but are
// genuine (labelled profile.LabelLegit).
type HardCase struct {
	Kind     HardCaseKind
	Start    time.Time // the first of its events
	End      time.Time // the last of its events
	EventIDs []string  // the events that carry the unusual signal, in time order
	Debits   int       // debit transactions among them
}

// Customer returns customer i of the population. It depends only on
// (Seed, i) and the configuration, not on any other customer, so callers
// may generate customers lazily, in any order or in parallel. i must be in
// [0, MaxCustomers); it need not be below Customers.
func (c Config) Customer(i int) (Customer, error) {
	p, err := c.prepare()
	if err != nil {
		return Customer{}, err
	}
	if i < 0 || i >= MaxCustomers {
		return Customer{}, &ConfigError{Field: "index", Reason: "customer index out of range"}
	}
	return p.customer(i), nil
}

// tag bits of an event: the hard cases it belongs to, and fraud.
const tagFraud = 1 << 7

// gen builds one customer.
type gen struct {
	cfg  *prepared
	mk   *market
	loc  *time.Location
	idx  int
	from time.Time // first instant of the customer's activity
	to   time.Time // end of the period
	c    *Customer

	r    *rand.Rand // life
	evs  []profile.Event
	tags []uint8

	persona
}

// splitmix64 mixes x (Steele, Lea & Flood 2014, "Fast splittable
// pseudorandom number generators", the SplitMix64 finaliser).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream component identifiers: each part of a customer's life draws from
// its own generator, so that, for example, changing FraudShare does not
// change any honest event.
const (
	compPersona uint64 = iota + 1
	compLife
	compSelect
	compHard
	compFraud
	compFraudSelect
)

// rng returns the generator of component comp of customer i.
func (p *prepared) rng(i int, comp uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix64(p.seed^splitmix64(uint64(i))), splitmix64(uint64(i)<<8|comp)))
}

// customerID formats the ID of customer i.
func customerID(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 7 {
		s = "0000000"[len(s):] + s
	}
	return "C" + s
}

func (p *prepared) customer(i int) Customer {
	g := &gen{cfg: p, mk: p.market, loc: p.loc, idx: i, to: p.end, c: &Customer{}}
	g.r = p.rng(i, compLife)
	g.newPersona(p.rng(i, compPersona))
	n := g.expectedEvents()
	g.evs = make([]profile.Event, 0, n)
	g.tags = make([]uint8, 0, n)
	g.plan(p.rng(i, compSelect))
	g.planFraud(p.rng(i, compFraudSelect))
	g.incomeStreams()
	g.billStreams()
	g.dailyLife()
	g.hardCases(p.rng(i, compHard))
	g.fraud(p.rng(i, compFraud))
	g.finish()
	return *g.c
}

// expectedEvents returns a generous estimate of the customer's number of
// events, so that the event buffer rarely grows.
func (g *gen) expectedEvents() int {
	days := g.to.Sub(g.from).Hours() / 24
	perDay := g.sessWeek/7*(1+g.featMean) + g.transferRate*3 + g.creditRate + g.cashRate*1.2
	for _, r := range g.catRate {
		perDay += r * 1.1
	}
	exp := days*perDay + days/30.4*14 + 60
	return int(exp*1.1 + 4*math.Sqrt(exp))
}

// add appends an event with its tag bits and returns its index.
func (g *gen) add(e profile.Event, tag uint8) int {
	e.CustomerID = g.c.ID
	e.Time = e.Time.In(g.loc) // the bank records times in its own zone
	g.evs = append(g.evs, e)
	g.tags = append(g.tags, tag)
	return len(g.evs) - 1
}

// money returns an amount of cents as a decimal with two places.
func money(cents int64) decimal.Decimal {
	if cents < 1 {
		cents = 1
	}
	return decimal.New(cents, -2)
}

// cents converts currency units to cents.
func cents(units float64) int64 {
	c := int64(math.Round(units * 100))
	if c < 1 {
		c = 1
	}
	return c
}

// roundTo rounds cents to a multiple of unit cents (at least one unit).
func roundTo(c, unit int64) int64 {
	r := (c + unit/2) / unit * unit
	if r < unit {
		r = unit
	}
	return r
}

// txn returns a transaction event in the customer's currency.
func (g *gen) txn(t time.Time, k profile.Kind, c int64, counterparty string, mcc uint16) profile.Event {
	d := k.Direction()
	if d == 0 {
		d = profile.Credit
	}
	return profile.Event{
		Time: t, Type: profile.TypeTransaction, Kind: k, Direction: d, Amount: money(c),
		Currency: g.mk.currency, Counterparty: counterparty, MCC: mcc,
	}
}

// finish sorts the events, assigns IDs and labels, and fills the truth's
// event lists.
func (g *gen) finish() {
	n := len(g.evs)
	// Sort by (time, insertion order): every time is a whole second, so a
	// key packs the Unix second above the event's index.
	keys := make([]uint64, n)
	for i := range g.evs {
		keys[i] = uint64(g.evs[i].Time.Unix())<<24 | uint64(i)
	}
	slices.Sort(keys)
	// Apply the permutation in place, following its cycles.
	const mask = 1<<24 - 1
	done := make([]bool, n)
	for k := range n {
		if done[k] || int(keys[k]&mask) == k {
			done[k] = true
			continue
		}
		e, tg := g.evs[k], g.tags[k]
		j := k
		for {
			src := int(keys[j] & mask)
			done[j] = true
			if src == k {
				g.evs[j], g.tags[j] = e, tg
				break
			}
			g.evs[j], g.tags[j] = g.evs[src], g.tags[src]
			j = src
		}
	}
	// One backing string for all IDs: "C0000012-000001".
	id := g.c.ID
	buf := make([]byte, 0, n*(len(id)+7))
	ends := make([]int, n)
	for k := range n {
		buf = append(buf, id...)
		buf = append(buf, '-')
		s := strconv.Itoa(k + 1)
		for j := len(s); j < 6; j++ {
			buf = append(buf, '0')
		}
		buf = append(buf, s...)
		ends[k] = len(buf)
	}
	ids := string(buf)
	out := g.evs[:n:n]
	tags := g.tags
	off := 0
	for k := range out {
		e := &out[k]
		e.ID = ids[off:ends[k]]
		off = ends[k]
		if tags[k]&tagFraud != 0 {
			e.Label = profile.LabelFraud
		} else {
			e.Label = profile.LabelLegit
		}
	}
	g.c.Events = out
	for i := range g.c.Episodes {
		ep := &g.c.Episodes[i]
		sum := int64(0)
		for k := range out {
			if tags[k]&tagFraud == 0 {
				continue
			}
			e := &out[k]
			if len(ep.EventIDs) == 0 {
				ep.Start = e.Time
			}
			ep.End = e.Time
			ep.EventIDs = append(ep.EventIDs, e.ID)
			if e.Type == profile.TypeTransaction && e.Direction == profile.Debit {
				ep.Debits++
				sum += e.Amount.Shift(2).IntPart()
			}
		}
		ep.Amount = money(sum)
	}
	for i := range g.c.HardCases {
		hc := &g.c.HardCases[i]
		bit := uint8(1) << (hc.Kind - 1)
		for k := range out {
			if tags[k]&bit == 0 {
				continue
			}
			e := &out[k]
			if len(hc.EventIDs) == 0 {
				hc.Start = e.Time
			}
			hc.EventIDs = append(hc.EventIDs, e.ID)
			hc.End = e.Time
			if e.Type == profile.TypeTransaction && e.Direction == profile.Debit {
				hc.Debits++
			}
		}
	}
	// Hard cases whose events all fell outside the period are dropped.
	g.c.HardCases = slices.DeleteFunc(g.c.HardCases, func(h HardCase) bool { return len(h.EventIDs) == 0 })
	slices.SortStableFunc(g.c.Income, func(a, b Stream) int { return a.First.Compare(b.First) })
	slices.SortStableFunc(g.c.Bills, func(a, b Stream) int { return a.First.Compare(b.First) })
	slices.SortFunc(g.c.HardCases, func(a, b HardCase) int { return cmp.Compare(a.Kind, b.Kind) })
}

// Random helpers.

func unif(r *rand.Rand, a, b float64) float64 { return a + (b-a)*r.Float64() }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// logn draws a lognormal variate with the given median and log-sd.
func logn(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poisson draws a Poisson variate of mean l (Knuth's multiplication method
// for small means, TAOCP vol. 2 §3.4.1; a rounded normal approximation for
// large ones).
func poisson(r *rand.Rand, l float64) int {
	if l <= 0 {
		return 0
	}
	if l > 30 {
		v := int(math.Round(l + math.Sqrt(l)*r.NormFloat64()))
		return max(v, 0)
	}
	lim := math.Exp(-l)
	k, p := 0, r.Float64()
	for p > lim {
		k++
		p *= r.Float64()
	}
	return k
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted returns an index drawn with probability proportional to w.
func weighted(r *rand.Rand, w []float64) int {
	var s float64
	for _, v := range w {
		s += v
	}
	x := r.Float64() * s
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// hourFrom draws an hour from cumulative weights.
func hourFrom(r *rand.Rand, cum *[24]float32) int {
	x := float32(r.Float64()) * cum[23]
	for h := range 24 {
		if x < cum[h] {
			return h
		}
	}
	return 23
}

// between draws a time uniformly in [a, b).
func between(r *rand.Rand, a, b time.Time) time.Time {
	d := b.Sub(a)
	if d <= 0 {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(d/time.Second))) * time.Second)
}

// jitter moves a point by a random distance of up to km kilometres.
func jitter(r *rand.Rand, lat, lon, km float64) (float64, float64) {
	d := km * math.Sqrt(r.Float64())
	a := 2 * math.Pi * r.Float64()
	dlat := d * math.Cos(a) / 111.2
	dlon := d * math.Sin(a) / (111.2 * math.Cos(lat*math.Pi/180))
	return round5(lat + dlat), round5(lon + dlon)
}

// round5 rounds a coordinate to five decimals (about 1 m).
func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// haversine returns the great-circle distance in km.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp := p2 - p1
	dl := (lon2 - lon1) * math.Pi / 180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
