package risk

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// population simulates a labelled stream. The fraud share is raised above
// the simulator's default so that a small population holds enough fraud
// episodes to measure; the engine's configuration is the default.
func population(t *testing.T, seed uint64, market synth.Market, customers int) ([]profile.Customer, []profile.Event, map[string]string) {
	t.Helper()
	cs, err := synth.Generate(synth.Config{Seed: seed, Customers: customers, Months: 9, Market: market, FraudShare: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	custs := make([]profile.Customer, len(cs))
	pattern := map[string]string{}
	for i := range cs {
		custs[i] = cs[i].Customer
		for _, ep := range cs[i].Episodes {
			for _, id := range ep.EventIDs {
				pattern[id] = ep.Pattern.String()
			}
		}
	}
	return custs, synth.Events(cs), pattern
}

// TestTargets checks the targets on simulated streams with the
// default configuration: at least 90% of fraudulent debits caught and at
// most 3% of legitimate debits meeting friction, on the Chinese market
// (the test seed) and on the euro market with another seed (a hold-out).
func TestTargets(t *testing.T) {
	customers := 300
	if testing.Short() {
		customers = 150
	}
	for _, c := range []struct {
		name   string
		seed   uint64
		market synth.Market
	}{{"cn", 20250601, synth.MarketCN}, {"eu-holdout", 777, synth.MarketEU}} {
		t.Run(c.name, func(t *testing.T) {
			custs, evs, pattern := population(t, c.seed, c.market, customers)
			e := engine(t, nil)
			type tally struct{ n, caught int }
			byPattern := map[string]*tally{}
			rep, err := e.Backtest(bg, custs, SliceSource(evs), &BacktestOptions{
				From: evs[0].Time.AddDate(0, 3, 0),
				OnDecision: func(ev *profile.Event, d *Decision, _ time.Duration) error {
					if ev.Label != profile.LabelFraud {
						return nil
					}
					k := byPattern[pattern[ev.ID]]
					if k == nil {
						k = &tally{}
						byPattern[pattern[ev.ID]] = k
					}
					k.n++
					if d.Action != Allow {
						k.caught++
					}
					return nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			names := make([]string, 0, len(byPattern))
			for k := range byPattern {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				t.Logf("%-16s %4d fraud debits, %5.1f%% caught", k, byPattern[k].n, 100*float64(byPattern[k].caught)/float64(byPattern[k].n))
			}
			t.Logf("evaluated %d; fraud %d caught %.1f%% (value %.1f%%); legit %d friction %.2f%%; actions %v",
				rep.Evaluated, rep.Fraud.Count, 100*rep.CaughtRate(), 100*rep.ValueCaughtRate(), rep.Legit.Count, 100*rep.FrictionRate(), rep.Actions)
			if rep.Fraud.Count < 100 || rep.Legit.Count < 10000 {
				t.Fatalf("too small a sample: %d fraud, %d legit debits", rep.Fraud.Count, rep.Legit.Count)
			}
			if r := rep.CaughtRate(); r < 0.9 {
				t.Errorf("caught %.3f of fraud debits, want ≥ 0.90", r)
			}
			if r := rep.FrictionRate(); r > 0.03 {
				t.Errorf("friction on %.4f of legitimate debits, want ≤ 0.03", r)
			}
		})
	}
}

// TestBacktestHasNoLookAhead replays a stream and checks every decision
// against one made by hand on a profile holding only the earlier events.
func TestBacktestHasNoLookAhead(t *testing.T) {
	custs, evs, _ := population(t, 3, synth.MarketCN, 12)
	e := engine(t, nil)
	from := evs[0].Time.AddDate(0, 6, 0)
	var got []Decision
	rep, err := e.Backtest(bg, custs, SliceSource(evs), &BacktestOptions{From: from,
		OnDecision: func(_ *profile.Event, d *Decision, lat time.Duration) error {
			if lat != 0 {
				t.Error("latency measured without a clock")
			}
			got = append(got, *d)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]*profile.Profile{}
	for _, c := range custs {
		p := profile.New(c.ID)
		if err := p.SetCustomer(c); err != nil {
			t.Fatal(err)
		}
		profiles[c.ID] = p
	}
	var want []Decision
	for i := range evs {
		ev := evs[i]
		p := profiles[ev.CustomerID]
		if ev.Type == profile.TypeTransaction && ev.Direction == profile.Debit && !ev.Time.Before(from) {
			want = append(want, decide(t, e, ev.Time, p, ev))
		}
		if err := e.Builder().Apply(p, &ev, ev.Time); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) == 0 || rep.Evaluated != len(want) {
		t.Fatalf("evaluated %d, want %d", rep.Evaluated, len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backtest decisions differ from step-by-step ones:\n%s", diff)
	}
	if rep.Latency != (LatencyReport{}) || rep.DecisionsPerSecond != 0 {
		t.Errorf("latency without a clock: %+v", rep)
	}
	// A second run gives the same report: deterministic without a clock.
	rep2, err := e.Backtest(bg, custs, SliceSource(evs), &BacktestOptions{From: from})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, rep2); diff != "" {
		t.Errorf("second run differs:\n%s", diff)
	}
}

func TestBacktestReportJSON(t *testing.T) {
	custs, evs, _ := population(t, 4, synth.MarketEU, 8)
	e := engine(t, nil)
	tick := time.Unix(0, 0)
	clock := func() time.Time { tick = tick.Add(1500 * time.Nanosecond); return tick }
	rep, err := e.Backtest(bg, custs, SliceSource(evs), &BacktestOptions{From: evs[0].Time.AddDate(0, 3, 0), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(raw json.RawMessage) []string {
		var mm map[string]json.RawMessage
		if err := json.Unmarshal(raw, &mm); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var ks []string
		for k := range mm {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	for k, want := range map[string][]string{
		"":           {"actions", "decisions_per_second", "evaluated", "fraud", "latency_ns", "legit"},
		"fraud":      {"amount", "amount_caught", "caught", "count"},
		"legit":      {"count", "friction"},
		"actions":    {"allow", "decline", "hold", "review", "step_up"},
		"latency_ns": {"p50", "p99"},
	} {
		raw := json.RawMessage(b)
		if k != "" {
			raw = m[k]
		}
		if got := keys(raw); !slices.Equal(got, want) {
			t.Errorf("keys of %q: %v, want %v", k, got, want)
		}
	}
	var amount json.Number
	var fr map[string]json.RawMessage
	_ = json.Unmarshal(m["fraud"], &fr)
	if err := json.Unmarshal(fr["amount"], &amount); err != nil {
		t.Errorf("fraud amount is not a JSON number: %s", fr["amount"])
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*rep, back); diff != "" {
		t.Errorf("report JSON round trip:\n%s", diff)
	}
	lb := int64(lowerBound(bucketOf(1500))) // the histogram reports its bucket's lower bound
	if rep.Latency.P50 != lb || rep.Latency.P99 != lb || lb < 1500*31/32 || math.Abs(rep.DecisionsPerSecond-1e9/1500) > 1 {
		t.Errorf("latency from a 1.5 µs clock: %+v, %v/s", rep.Latency, rep.DecisionsPerSecond)
	}
}

func TestBacktestStopsOnBadStream(t *testing.T) {
	custs, evs, _ := population(t, 5, synth.MarketCN, 3)
	e := engine(t, nil)
	// Swap two events of one customer: the later one first is out of order.
	i := slices.IndexFunc(evs[1:], func(ev profile.Event) bool { return ev.CustomerID == evs[0].CustomerID && ev.Time.After(evs[0].Time) }) + 1
	bad := slices.Clone(evs[:i+1])
	bad[0], bad[i] = bad[i], bad[0]
	_, err := e.Backtest(bg, custs, SliceSource(bad), nil)
	var be *BacktestError
	if !errors.As(err, &be) || !errors.Is(err, profile.ErrLate) || be.Event != i+1 {
		t.Errorf("out-of-order stream: %v", err)
	}
	_, err = e.Backtest(bg, custs, SliceSource(evs), &BacktestOptions{OnDecision: func(*profile.Event, *Decision, time.Duration) error {
		return errors.New("disk full")
	}})
	if !errors.As(err, &be) {
		t.Errorf("callback error: %v", err)
	}
}

func TestLatencyHistogram(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h latencyHist
	xs := make([]int64, 20000)
	for i := range xs {
		xs[i] = int64(math.Exp(r.NormFloat64()*1.5 + 9)) // log-normal around 8 µs
		h.add(time.Duration(xs[i]))
	}
	slices.Sort(xs)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		exact := float64(xs[int(q*float64(len(xs)-1))])
		got := float64(h.quantile(q))
		if got > exact || got < exact*(1-1.0/32) {
			t.Errorf("q%.2f: %v, exact %v", q, got, exact)
		}
	}
	for _, v := range []uint64{0, 1, 31, 32, 33, 63, 64, 1000, 1 << 40, math.MaxInt64} {
		b := bucketOf(v)
		if lb := lowerBound(b); lb > v || (v >= 32 && float64(v-lb) > float64(v)/32) {
			t.Errorf("bucket of %d: lower bound %d", v, lb)
		}
	}
}
