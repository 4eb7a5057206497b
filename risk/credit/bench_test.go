package credit

import (
	"testing"
)

// BenchmarkDecide decides one simulated application (German application
// scorecard of 13 variables, behaviour scorecard, cross-verification,
// limit) on a profile with six months of history.
func BenchmarkDecide(b *testing.B) {
	loadSimBatch(b)
	e := simBatch.engine
	a := simBatch.apps[0]
	p := simProfile(b, 0, 6)
	ap := Applicant{Profile: p, Contacts: []string{"h-" + a.CustomerID}}
	now := checkpoint(6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Decide(&a, ap, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideBatch decides the 1,000 simulated applications of month
// 6 on GOMAXPROCS workers (run with -cpu 2); profiles come from a map.
func BenchmarkDecideBatch(b *testing.B) {
	loadSimBatch(b)
	e := simBatch.engine
	mp := simProfilesAt(b, 6)
	now := checkpoint(6)
	b.ReportAllocs()
	for b.Loop() {
		res, err := e.DecideBatch(b.Context(), simBatch.apps, mp, now, nil)
		if err != nil || res[0].Err != nil {
			b.Fatal(err, res[0].Err)
		}
	}
	b.ReportMetric(float64(b.N*len(simBatch.apps))/b.Elapsed().Seconds(), "apps/s")
}

// BenchmarkTakeSnapshot reads the borrower's position from a profile.
func BenchmarkTakeSnapshot(b *testing.B) {
	loadSim(b)
	p := simProfile(b, 0, 6)
	now := checkpoint(6)
	b.ReportAllocs()
	for b.Loop() {
		_ = TakeSnapshot(p, now)
	}
}

// BenchmarkWarn monitors one loan six months after origination.
func BenchmarkWarn(b *testing.B) {
	loadSimBatch(b)
	e := simBatch.engine
	loan := simBatch.results[0].Decision.Loan("L", checkpoint(6))
	loan.Amount = simBatch.apps[0].Amount
	p := simProfile(b, 0, 12)
	now := checkpoint(12)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Warn(&loan, p, now); err != nil {
			b.Fatal(err)
		}
	}
}
