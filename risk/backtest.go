package risk

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/bits"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// EventSource yields events in time order; Read returns io.EOF after the
// last one. *profile.EventReader is an EventSource, so a backtest can
// stream an events CSV of any length.
type EventSource interface {
	Read() (profile.Event, error)
}

// SliceSource returns an EventSource over evs, which must be in time order.
func SliceSource(evs []profile.Event) EventSource { return &sliceSource{evs: evs} }

type sliceSource struct {
	evs []profile.Event
	i   int
}

// Read returns the next event, or io.EOF.
func (s *sliceSource) Read() (profile.Event, error) {
	if s.i >= len(s.evs) {
		return profile.Event{}, io.EOF
	}
	s.i++
	return s.evs[s.i-1], nil
}

// BacktestOptions configures Engine.Backtest. The zero value (or nil) is
// the documented default of every field.
type BacktestOptions struct {
	// From is the first instant decided: events before it only build
	// profiles. The zero time decides every debit.
	From time.Time
	// Clock measures each decision's latency. Nil means latencies are not
	// measured (the report's latency and throughput are 0), which keeps a
	// backtest deterministic; pass time.Now to measure.
	Clock func() time.Time
	// OnDecision, when set, is called after each decision with the event,
	// the decision and its latency; an error stops the backtest.
	OnDecision func(ev *profile.Event, d *Decision, latency time.Duration) error
}

// Report summarises a backtest. Fraud and legitimate payments are the
// decided debits labelled profile.LabelFraud and profile.LabelLegit;
// "caught" and "friction" both mean any action but allow.
type Report struct {
	// Evaluated is the number of debits decided.
	Evaluated int            `json:"evaluated"`
	Fraud     FraudReport    `json:"fraud"`   // debits labelled fraud
	Legit     LegitReport    `json:"legit"`   // debits labelled legitimate
	Actions   map[string]int `json:"actions"` // decisions per action spelling
	// Latency is the decision latency's median and 99th percentile in
	// nanoseconds (within 3%: a log-linear histogram).
	Latency LatencyReport `json:"latency_ns"`
	// DecisionsPerSecond is Evaluated divided by the total time spent in
	// Decide (one goroutine; profile updates not included).
	DecisionsPerSecond float64 `json:"decisions_per_second"`
}

// FraudReport counts the fraudulent debits and the ones caught. Amounts
// are exact sums of the payments' amounts, whatever their currency (a
// backtest stream normally has one).
type FraudReport struct {
	Count        int             // fraudulent debits decided
	Caught       int             // of which any action but allow
	Amount       decimal.Decimal // their total amount
	AmountCaught decimal.Decimal // the total amount of those caught
}

// MarshalJSON encodes the report with the amounts as JSON numbers:
// {"count":…,"caught":…,"amount":…,"amount_caught":…}.
func (f FraudReport) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Count        int         `json:"count"`
		Caught       int         `json:"caught"`
		Amount       json.Number `json:"amount"`
		AmountCaught json.Number `json:"amount_caught"`
	}{f.Count, f.Caught, json.Number(f.Amount.String()), json.Number(f.AmountCaught.String())})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (f *FraudReport) UnmarshalJSON(b []byte) error {
	var v struct {
		Count        int         `json:"count"`
		Caught       int         `json:"caught"`
		Amount       json.Number `json:"amount"`
		AmountCaught json.Number `json:"amount_caught"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	a, err := decimal.NewFromString(string(v.Amount))
	if err != nil {
		return err
	}
	c, err := decimal.NewFromString(string(v.AmountCaught))
	if err != nil {
		return err
	}
	*f = FraudReport{Count: v.Count, Caught: v.Caught, Amount: a, AmountCaught: c}
	return nil
}

// LegitReport counts the legitimate debits and the ones that met friction.
type LegitReport struct {
	Count    int `json:"count"`    // legitimate debits decided
	Friction int `json:"friction"` // of which any action but allow
}

// LatencyReport holds latency percentiles in nanoseconds.
type LatencyReport struct {
	P50 int64 `json:"p50"` // median
	P99 int64 `json:"p99"` // 99th percentile
}

// CaughtRate returns Caught/Count of the fraudulent debits (0 without any).
func (r *Report) CaughtRate() float64 { return ratio(r.Fraud.Caught, r.Fraud.Count) }

// FrictionRate returns Friction/Count of the legitimate debits.
func (r *Report) FrictionRate() float64 { return ratio(r.Legit.Friction, r.Legit.Count) }

// ValueCaughtRate returns the share of the fraudulent amount caught.
func (r *Report) ValueCaughtRate() float64 {
	if r.Fraud.Amount.Sign() == 0 {
		return 0
	}
	return r.Fraud.AmountCaught.Div(r.Fraud.Amount).InexactFloat64()
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Backtest replays a labelled event stream through the engine: in stream
// order, each debit transaction at or after opts.From is decided against
// its customer's profile as it stood before the payment (no look-ahead),
// and then every event — decided or not, sessions and credits included —
// is applied to its profile with the engine's Builder at the event's time.
// customers give the profiles their attributes (time zone, currency);
// events of customers not listed start empty profiles.
//
// An event the Builder rejects (out of order, malformed) or Decide
// rejects stops the backtest with a *BacktestError naming its position;
// so does a done ctx. The labels are read only to count, never by a
// decision.
func (e *Engine) Backtest(ctx context.Context, customers []profile.Customer, src EventSource, opts *BacktestOptions) (*Report, error) {
	var o BacktestOptions
	if opts != nil {
		o = *opts
	}
	profiles := make(map[string]*profile.Profile, len(customers))
	for i := range customers {
		p := profile.New(customers[i].ID)
		if err := p.SetCustomer(customers[i]); err != nil {
			return nil, &BacktestError{Event: 0, Err: err}
		}
		profiles[customers[i].ID] = p
	}
	rep := &Report{Actions: make(map[string]int, len(actionNames))}
	for _, a := range Actions() {
		rep.Actions[a.String()] = 0
	}
	rep.Fraud.Amount, rep.Fraud.AmountCaught = decimal.Zero, decimal.Zero
	var hist latencyHist
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ev, err := src.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &BacktestError{Event: n, Err: err}
		}
		p := profiles[ev.CustomerID]
		if p == nil {
			p = profile.New(ev.CustomerID)
			profiles[ev.CustomerID] = p
		}
		if ev.Type == profile.TypeTransaction && ev.Direction == profile.Debit && !ev.Time.Before(o.From) {
			var t0 time.Time
			if o.Clock != nil {
				t0 = o.Clock()
			}
			d, err := e.Decide(ctx, ev.Time, p, &ev)
			var lat time.Duration
			if o.Clock != nil {
				lat = o.Clock().Sub(t0)
				hist.add(lat)
			}
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return nil, cerr
				}
				return nil, &BacktestError{Event: n, Err: err}
			}
			rep.count(&ev, &d)
			if o.OnDecision != nil {
				if err := o.OnDecision(&ev, &d, lat); err != nil {
					return nil, &BacktestError{Event: n, Err: err}
				}
			}
		}
		if err := e.builder.Apply(p, &ev, ev.Time); err != nil {
			return nil, &BacktestError{Event: n, Err: err}
		}
	}
	if hist.n > 0 {
		rep.Latency = LatencyReport{P50: hist.quantile(0.5), P99: hist.quantile(0.99)}
		if hist.sum > 0 {
			rep.DecisionsPerSecond = float64(hist.n) / (float64(hist.sum) / 1e9)
		}
	}
	return rep, nil
}

func (r *Report) count(ev *profile.Event, d *Decision) {
	r.Evaluated++
	r.Actions[d.Action.String()]++
	stopped := d.Action != Allow
	switch ev.Label {
	case profile.LabelFraud:
		r.Fraud.Count++
		r.Fraud.Amount = r.Fraud.Amount.Add(ev.Amount)
		if stopped {
			r.Fraud.Caught++
			r.Fraud.AmountCaught = r.Fraud.AmountCaught.Add(ev.Amount)
		}
	case profile.LabelLegit:
		r.Legit.Count++
		if stopped {
			r.Legit.Friction++
		}
	}
}

// latencyHist is a log-linear histogram of durations: exact below 32 ns,
// then 32 buckets per power of two (relative error under 1/32), in the
// manner of HdrHistogram (Tene, "HdrHistogram: A High Dynamic Range
// Histogram"). Its size is fixed whatever the number of samples.
type latencyHist struct {
	counts [60 * 32]uint64
	n      uint64
	sum    int64
}

const subBits = 5

func (h *latencyHist) add(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)]++
	h.n++
	h.sum += int64(v)
}

func bucketOf(v uint64) int {
	if v < 1<<subBits {
		return int(v)
	}
	e := bits.Len64(v) - 1 // ≥ subBits
	return (e-subBits+1)<<subBits | int(v>>(e-subBits))&(1<<subBits-1)
}

// lowerBound returns the smallest value of bucket b.
func lowerBound(b int) uint64 {
	if b < 1<<subBits {
		return uint64(b)
	}
	e := b>>subBits + subBits - 1
	return (1<<subBits | uint64(b&(1<<subBits-1))) << (e - subBits)
}

// quantile returns the lower bound of the bucket holding the q-quantile.
func (h *latencyHist) quantile(q float64) int64 {
	rank := uint64(q*float64(h.n-1)) + 1
	var c uint64
	for b, k := range h.counts {
		c += k
		if c >= rank {
			return int64(lowerBound(b))
		}
	}
	return 0
}
