package uplift

import (
	"math/rand/v2"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

func hillstromModel(b testing.TB) (*TwoModel, scorecard.Row) {
	e := loadHillstrom(b)
	train, _, err := e.Split(0.5, 1)
	if err != nil {
		b.Fatal(err)
	}
	m, err := FitTwoModel(train, nil)
	if err != nil {
		b.Fatal(err)
	}
	names, kinds := m.Names(), m.Kinds()
	row := scorecard.Row{Num: make([]float64, len(names)), Cat: make([]string, len(names))}
	for j, n := range names {
		c, _ := e.Data.Column(n)
		if kinds[j] == scorecard.Numeric {
			row.Num[j] = c.Num[0]
		} else {
			row.Cat[j] = c.Cat[0]
		}
	}
	return m, row
}

// TestScoreDoesNotAllocate: scoring one customer, as a campaign's
// propensity does per customer and offer, allocates nothing.
func TestScoreDoesNotAllocate(t *testing.T) {
	m, row := hillstromModel(t)
	if n := testing.AllocsPerRun(100, func() { _, _ = m.Score(row) }); n != 0 {
		t.Fatalf("TwoModel.Score allocates %.0f times", n)
	}
	k := len(m.Treated.Names())
	sub := scorecard.Row{Num: row.Num[:k], Cat: row.Cat[:k]}
	if n := testing.AllocsPerRun(100, func() { _, _ = m.Treated.Score(sub) }); n != 0 {
		t.Fatalf("Response.Score allocates %.0f times", n)
	}
}

func BenchmarkTwoModelScore(b *testing.B) {
	m, row := hillstromModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := m.Score(row); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	n := 100_000
	s, tr, rs := make([]float64, n), make([]bool, n), make([]bool, n)
	for i := range n {
		s[i], tr[i], rs[i] = rng.Float64(), rng.IntN(2) == 0, rng.IntN(8) == 0
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Evaluate(s, tr, rs, 0.3); err != nil {
			b.Fatal(err)
		}
	}
}
