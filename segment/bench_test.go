package segment

import (
	"github.com/suanpan-dev/suanpan/internal/cputime"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// benchAssign measures full assignment — lifecycle stage, RFM score, value
// tier and the 20 bank-defined segments of testdata/segments20.json — of
// the simulated customers in turn, on one goroutine, and reports
// profiles per second.
func benchAssign(b *testing.B, defs []Definition, vm bool, mode string) {
	a, pop := fitted(b, defs, "bench-20")
	if vm {
		for i := range a.cat.segs {
			if r := a.cat.segs[i].rule; r != nil {
				// The same program without its closures: the virtual machine.
				a.cat.segs[i].rule = &rules.Typed[Env]{Program: r.Program}
			}
		}
	}
	w := a.NewWorker()
	var dst Assignment
	members := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	i := 0
	for b.Loop() {
		f := &pop[i%len(pop)]
		i++
		var err error
		switch mode {
		case "worker":
			err = w.AssignTo(&dst, f, simNow)
		case "assigner":
			err = a.AssignTo(&dst, f, simNow)
		default:
			dst, err = a.Assign(f, simNow)
		}
		if err != nil {
			b.Fatal(err)
		}
		members += len(dst.Segments)
	}
	reportRates(b, cputime.Process()-cpu0)
	b.ReportMetric(float64(members)/float64(b.N), "members/profile")
}

func BenchmarkAssign(b *testing.B) {
	_, exprs := segments20(b)
	preds := predicates20(b)
	b.Run("predicates", func(b *testing.B) { benchAssign(b, preds, false, "worker") })
	b.Run("expressions", func(b *testing.B) { benchAssign(b, exprs, false, "worker") })
	b.Run("expressions-vm", func(b *testing.B) { benchAssign(b, exprs, true, "worker") })
	b.Run("expressions-assigner", func(b *testing.B) { benchAssign(b, exprs, false, "assigner") })
	b.Run("expressions-allocating", func(b *testing.B) { benchAssign(b, exprs, false, "assign") })
	b.Run("lifecycle-rfm-tier-only", func(b *testing.B) { benchAssign(b, nil, false, "worker") })
}

// BenchmarkNewInput measures building the Input of a profile, done once
// per profile change (or per batch), not per assignment: with the feature
// groups that lifecycle staging, RFM and tiers read; with those and the
// groups the 20 segments of testdata/segments20.json read (the
// configuration of BenchmarkAssign); and with every group (a catalog with
// a Go predicate that does not declare what it reads).
func BenchmarkNewInput(b *testing.B) {
	bl, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	cfg := synth.Config{Seed: 5, Customers: 64}
	var ps []*profile.Profile
	for i := range 64 {
		c, err := cfg.Customer(i)
		if err != nil {
			b.Fatal(err)
		}
		p := profile.New(c.ID)
		_ = p.SetCustomer(c.Customer)
		for j := range c.Events {
			_ = bl.Apply(p, &c.Events[j], simNow)
		}
		ps = append(ps, p)
	}
	seg20, err := loadSegments20()
	if err != nil {
		b.Fatal(err)
	}
	all, err := Compile("all", []Definition{{ID: "any", Match: func(_ *Env, why []Reason) ([]Reason, bool) { return why, true }}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		cat  *Catalog
	}{{"lifecycle-rfm-tier", nil}, {"segments20", seg20}, {"all-features", all}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := &InputOptions{Segments: bc.cat}
			b.ReportAllocs()
			cpu0 := cputime.Process()
			i := 0
			for b.Loop() {
				if _, err := NewInput(ps[i%len(ps)], simNow, opts); err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportRates(b, cputime.Process()-cpu0)
		})
	}
}

// reportRates reports profiles per second of wall time and, where the
// platform measures it, CPU nanoseconds per profile and profiles per CPU
// second: on a busy shared machine wall time overstates the cost, and
// the CPU figures are the per-core throughput.
func reportRates(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "profiles/cpu-s")
	}
}

// BenchmarkFit measures fitting RFM cut points and value tiers on a
// population of 100,000 customers (the simulated ones, repeated).
func BenchmarkFit(b *testing.B) {
	sim := allSimInputs(b)
	pop := make([]Input, 100_000)
	for i := range pop {
		pop[i] = sim[i%len(sim)]
		pop[i].Profile.RecencyDays += float64(i%7) * 0.01 // break exact repeats
	}
	b.Run("rfm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FitRFM(pop, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tiers", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FitTiers(pop, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
