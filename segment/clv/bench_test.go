package clv

import (
	"math/rand/v2"
	"testing"
)

// simulateBGNBD draws n customers from m, observed to week 39 after
// first purchases spread uniformly over the first 12 weeks (84 days), so T
// takes 84 distinct values, as for a cohort acquired over 12 weeks. Times
// are continuous, so nearly every repeat customer is a distinct row: the
// hardest case for grouping.
func simulateBGNBD(tb testing.TB, m BGNBD, n int, seed uint64) []Customer {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	cs := make([]Customer, n)
	for i := range cs {
		T := 39 - float64(rng.IntN(84))/7
		c, err := m.Simulate(rng, T)
		if err != nil {
			tb.Fatal(err)
		}
		cs[i] = c
	}
	return cs
}

var cdnowBG = BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

// simulateBGNBDDays is simulateBGNBD recorded as a transaction log is:
// purchase times fall on days, same-day purchases merge (as Summarize
// does), so t_x and T are whole days over 7.
func simulateBGNBDDays(m BGNBD, n int, seed uint64) []Customer {
	rng := rand.New(rand.NewPCG(seed, 1))
	cs := make([]Customer, n)
	for i := range cs {
		first := rng.IntN(84) // acquisition day in the first 12 weeks
		T := 273 - first      // days to the end of week 39
		c := Customer{T: float64(T) / 7}
		last := 0
		for _, t := range bgPath(rng, m, float64(T)/7) {
			d := int(t * 7) // day offset of the purchase
			if d > last && d <= T {
				c.Frequency++
				c.Recency = float64(d) / 7
				last = d
			}
		}
		cs[i] = c
	}
	return cs
}

// BenchmarkFitBGNBD1M fits BG/NBD to 1M simulated customers (grouping,
// L-BFGS, Newton polish and standard errors), with GOMAXPROCS workers and
// with one.
func BenchmarkFitBGNBD1M(b *testing.B) {
	cs := simulateBGNBD(b, cdnowBG, 1_000_000, 1)
	for _, w := range []struct {
		name    string
		workers int
	}{{"workers=GOMAXPROCS", 0}, {"workers=1", 1}} {
		b.Run(w.name, func(b *testing.B) {
			for b.Loop() {
				f, err := FitBGNBD(cs, nil, &FitOptions{Workers: w.workers})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(f.Rows), "rows")
				b.ReportMetric(float64(f.Evaluations), "evals")
			}
		})
	}
}

// BenchmarkFitBGNBD1MDays fits 1M simulated customers summarised at day
// granularity, as Summarize produces from real transaction logs.
func BenchmarkFitBGNBD1MDays(b *testing.B) {
	cs := simulateBGNBDDays(cdnowBG, 1_000_000, 1)
	for b.Loop() {
		f, err := FitBGNBD(cs, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(f.Rows), "rows")
		b.ReportMetric(float64(f.Evaluations), "evals")
	}
}

func BenchmarkSummarizeCDNOW(b *testing.B) {
	txs := loadCDNOW(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Summarize(txs, cdnowCalEnd, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// The CDNOW fits, as timed against SciPy by scripts/clv_scipy_compare.py.
func BenchmarkFitCDNOW(b *testing.B) {
	s := cdnowSummary(b)
	b.Run("BGNBD", func(b *testing.B) {
		for b.Loop() {
			if _, err := FitBGNBD(s.Customers, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParetoNBD", func(b *testing.B) {
		for b.Loop() {
			if _, err := FitParetoNBD(s.Customers, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GammaGamma", func(b *testing.B) {
		for b.Loop() {
			if _, err := FitGammaGamma(s.Customers, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValue scores every CDNOW customer: P(alive), 12-month
// discounted CLV (BG/NBD + Gamma-Gamma).
func BenchmarkValue(b *testing.B) {
	s := cdnowSummary(b)
	bg, gg := BGNBD{0.2426, 4.4136, 0.7929, 2.4259}, GammaGamma{6.2496, 3.7442, 15.4435}
	b.ResetTimer()
	for b.Loop() {
		for _, c := range s.Customers {
			if _, err := Value(bg, gg, c, &ValueOptions{DiscountRate: 0.01}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(s.Customers)), "customers/op")
}

func BenchmarkParetoNBDConditional(b *testing.B) {
	pn := ParetoNBD{0.553, 10.578, 0.606, 11.668}
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	for b.Loop() {
		if _, err := pn.ConditionalTransactions(c, 39); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBGNBDConditional(b *testing.B) {
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	for b.Loop() {
		if _, err := cdnowBG.ConditionalTransactions(c, 39); err != nil {
			b.Fatal(err)
		}
	}
}
