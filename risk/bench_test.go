package risk

import (
	"context"
	"fmt"
	"github.com/suanpan-dev/suanpan/internal/rules"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// benchRules returns 50 analyst rules of the kinds banks write: amount
// thresholds per kind and channel, habit facts, earlier signals, velocity,
// and a few on the profile's financial picture. Most do not fire on a
// habitual payment, as in production.
func benchRules(tb testing.TB, withProfile bool) *Rules {
	tb.Helper()
	kinds := []string{"purchase", "transfer_out", "bill_payment", "cash_withdrawal", "loan_repayment"}
	channels := []string{"app", "web", "pos", "atm", "branch"}
	var rs []Rule
	for i := range 10 {
		rs = append(rs, Rule{Name: fmt.Sprintf("amount_%d", i), Action: StepUp,
			Expr: fmt.Sprintf(`Txn.Kind == %q && Txn.Amount > %d.50 && Txn.Channel == %q`, kinds[i%5], 1000*(i+1), channels[i%5])})
	}
	for i := range 10 {
		rs = append(rs, Rule{Name: fmt.Sprintf("habit_%d", i), Weight: 0.1,
			Expr: fmt.Sprintf(`!Habit.DeviceKnown && Habit.AmountZ > %d.5 && Txn.Factors < 2`, i%4)})
	}
	for i := range 10 {
		rs = append(rs, Rule{Name: fmt.Sprintf("signals_%d", i), Action: Review,
			Expr: fmt.Sprintf(`Signals.Codes["habit.new_payee"] && Signals.Risk > 0.%d && Txn.Amount >= %d`, 5+i%4, 5000+i*100)})
	}
	for i := range 10 {
		rs = append(rs, Rule{Name: fmt.Sprintf("velocity_%d", i), Action: Hold,
			Expr: fmt.Sprintf(`Velocity.Count1h > %d || Velocity.Sum24h + Txn.Amount > %d`, 8+i, 50000+i*1000)})
	}
	for i := range 10 {
		expr := fmt.Sprintf(`Txn.Country != "" && !Habit.HomeCountry && Habit.SpeedKmh > %d && Txn.CardPresent`, 300+i*50)
		if withProfile && i < 5 {
			expr = fmt.Sprintf(`Profile.DTI > 0.%d && Txn.Kind == "loan_repayment" && Txn.Amount > Profile.DebitsLastMonth`, 4+i)
		}
		rs = append(rs, Rule{Name: fmt.Sprintf("place_%d", i), Weight: 0.05, Expr: expr})
	}
	r, err := Compile(RuleSet{Version: "bench", Rules: rs})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

type benchCase struct {
	name        string
	withProfile bool
	rules       bool
}

var benchCases = []benchCase{{"no-rules", false, false}, {"50-rules", false, true}, {"50-rules-5-on-profile", true, true}}

func benchEngine(b *testing.B, c benchCase) (*Engine, *fixture, profile.Event) {
	f := sharedFixture(b)
	cfg := &Config{Builder: f.b}
	if c.rules {
		cfg.Rules = benchRules(b, c.withProfile)
	}
	ev := f.usual()
	return engine(b, cfg), f, ev
}

// BenchmarkDecide measures one full decision: every layer, the policy and
// the record.
func BenchmarkDecide(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			e, f, ev := benchEngine(b, c)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Decide(ctx, f.now, f.p, &ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecideLatency records every decision's latency and reports the
// 50th and 99th percentiles (the target is p99 ≤ 50 µs with 50 rules).
func BenchmarkDecideLatency(b *testing.B) {
	for _, c := range benchCases[1:] {
		b.Run(c.name, func(b *testing.B) {
			e, f, ev := benchEngine(b, c)
			ctx := context.Background()
			lat := make([]time.Duration, 0, 1<<16)
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				if _, err := e.Decide(ctx, f.now, f.p, &ev); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}

// BenchmarkDecideLatencyLiveHeap is BenchmarkDecideLatency in a process
// that holds 50,000 customer profiles, as a deciding service does: the
// garbage collector then runs at the pace of a realistic heap instead of
// every millisecond, and decisions read profiles that are not in cache.
func BenchmarkDecideLatencyLiveHeap(b *testing.B) {
	e, f, ev := benchEngine(b, benchCases[1])
	data, err := f.p.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	profiles := make([]*profile.Profile, 50000)
	for i := range profiles {
		profiles[i] = new(profile.Profile)
		if err := profiles[i].UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, 1<<18)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := profiles[i%len(profiles)]
		i += 7919 // a prime stride: consecutive decisions touch distant profiles
		t0 := time.Now()
		if _, err := e.Decide(ctx, f.now, p, &ev); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkDecideParallel measures throughput on all GOMAXPROCS cores
// (run with -cpu 2 for two cores).
func BenchmarkDecideParallel(b *testing.B) {
	for _, c := range benchCases[1:] {
		b.Run(c.name, func(b *testing.B) {
			e, f, ev := benchEngine(b, c)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if _, err := e.Decide(ctx, f.now, f.p, &ev); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
}

// rawEnv captures the Env the rules layer sees for ev, to evaluate the
// compiled expressions directly.
func rawEnv(b *testing.B, f *fixture, ev profile.Event, rs *Rules) *Env {
	var env Env
	e := engine(b, &Config{Builder: f.b, Scorer: scorerFunc(func(_ context.Context, r *ScoreRequest) (float64, error) {
		env = *r.Env
		env.Signals.Codes = maps.Clone(r.Env.Signals.Codes)
		return 0, nil
	})})
	if _, err := e.Decide(context.Background(), f.now, f.p, &ev); err != nil {
		b.Fatal(err)
	}
	if rs.profile != 0 {
		f.p.FeaturesInto(&env.Profile, f.now, rs.profile)
	}
	return &env
}

// BenchmarkRawRules evaluates the same 50 compiled expressions on a
// prepared environment, with nothing else: the floor the engine's
// overhead is measured against.
func BenchmarkRawRules(b *testing.B) {
	for _, c := range benchCases[1:] {
		b.Run(c.name, func(b *testing.B) {
			f := sharedFixture(b)
			rs := benchRules(b, c.withProfile)
			env := rawEnv(b, f, f.usual(), rs)
			b.ReportAllocs()
			for b.Loop() {
				for i := range rs.rules {
					if _, err := rs.rules[i].prog.Eval(env); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkOverhead alternates full decisions with raw evaluations of the
// same 50 rules, compiled two ways: as expr programs on its virtual machine
// (raw-vm-ns, the cost of "the same 50 compiled expressions" without the
// engine) and on the closure path the engine itself uses
// (raw-closure-ns). It reports decide/raw-vm (the target is at most
// 1.5) and engine-ns, the engine's own cost: decide minus raw-closure.
func BenchmarkOverhead(b *testing.B) {
	for _, c := range benchCases[1:] {
		b.Run(c.name, func(b *testing.B) {
			e, f, ev := benchEngine(b, c)
			rs := e.Rules()
			env := rawEnv(b, f, ev, rs)
			vm := make([]*rules.Program, len(rs.rules))
			for i := range rs.rules {
				p, err := rules.Compile(rs.rules[i].Name, rs.rules[i].Expr, Env{})
				if err != nil {
					b.Fatal(err)
				}
				vm[i] = p
			}
			ctx := context.Background()
			var dec, closures, onVM time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := e.Decide(ctx, f.now, f.p, &ev); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				for i := range rs.rules {
					if _, err := rs.rules[i].prog.Eval(env); err != nil {
						b.Fatal(err)
					}
				}
				t2 := time.Now()
				for _, p := range vm {
					if _, err := p.Eval(env); err != nil {
						b.Fatal(err)
					}
				}
				onVM += time.Since(t2)
				closures += t2.Sub(t1)
				dec += t1.Sub(t0)
			}
			n := float64(b.N)
			b.ReportMetric(float64(dec.Nanoseconds())/n, "decide-ns")
			b.ReportMetric(float64(onVM.Nanoseconds())/n, "raw-vm-ns")
			b.ReportMetric(float64(closures.Nanoseconds())/n, "raw-closure-ns")
			b.ReportMetric(float64((dec-closures).Nanoseconds())/n, "engine-ns")
			b.ReportMetric(float64(dec)/float64(onVM), "decide/raw-vm")
		})
	}
}
