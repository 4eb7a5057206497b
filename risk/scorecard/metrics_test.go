package scorecard

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func randScores(n int, seed uint64) ([]float64, []bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := make([]float64, n)
	bad := make([]bool, n)
	for i := range s {
		s[i] = math.Round(rng.NormFloat64()*4) / 4 // many ties
		bad[i] = rng.Float64() < sigmoid(s[i]-1)
	}
	return s, bad
}

func TestAUCKSBruteForce(t *testing.T) {
	for seed := range uint64(5) {
		s, bad := randScores(300+int(seed)*50, seed)
		// AUC: pairwise.
		var num, den float64
		for i := range s {
			for j := range s {
				if bad[i] && !bad[j] {
					den++
					switch {
					case s[i] > s[j]:
						num++
					case s[i] == s[j]:
						num += 0.5
					}
				}
			}
		}
		auc, err := AUC(s, bad)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(auc-num/den) > 1e-12 {
			t.Errorf("seed %d: AUC %g, pairwise %g", seed, auc, num/den)
		}
		g, _ := Gini(s, bad)
		if math.Abs(g-(2*auc-1)) > 1e-15 {
			t.Errorf("Gini %g vs %g", g, 2*auc-1)
		}
		// KS: every threshold.
		nb, ng := 0, 0
		for _, b := range bad {
			if b {
				nb++
			} else {
				ng++
			}
		}
		best := 0.0
		for _, th := range s {
			cb, cg := 0, 0
			for i := range s {
				if s[i] <= th {
					if bad[i] {
						cb++
					} else {
						cg++
					}
				}
			}
			best = math.Max(best, math.Abs(float64(cb)/float64(nb)-float64(cg)/float64(ng)))
		}
		ks, _, err := KS(s, bad)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ks-best) > 1e-12 {
			t.Errorf("seed %d: KS %g, brute force %g", seed, ks, best)
		}
	}
}

func TestGains(t *testing.T) {
	s, bad := randScores(1000, 7)
	rows, err := Gains(s, bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, nb := 0, 0
	for i, r := range rows {
		n += r.Count
		nb += r.Bads
		if i > 0 && r.Hi > rows[i-1].Lo {
			t.Errorf("band %d overlaps the riskier band before it", r.Band)
		}
		if r.Lift != r.BadRate/(float64(countBad(bad))/float64(len(bad))) {
			t.Errorf("band %d lift %g", r.Band, r.Lift)
		}
	}
	last := rows[len(rows)-1]
	if n != len(s) || nb != countBad(bad) || last.CumBadShare != 1 || last.CumGoodShare != 1 || last.CumCountShare != 1 {
		t.Errorf("totals: %d rows %d bads, last %+v", n, nb, last)
	}
	if len(rows) < 5 || len(rows) > 10 {
		t.Errorf("%d bands", len(rows))
	}
	if rows[0].BadRate <= rows[len(rows)-1].BadRate {
		t.Errorf("first band not the riskiest: %g vs %g", rows[0].BadRate, rows[len(rows)-1].BadRate)
	}
	// Points orientation: negated scores with HigherIsSafer give the same bands.
	neg := make([]float64, len(s))
	for i := range s {
		neg[i] = -s[i]
	}
	rows2, err := Gains(neg, bad, &GainsOptions{HigherIsSafer: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows2) != len(rows) {
		t.Fatalf("%d vs %d bands", len(rows2), len(rows))
	}
	for i := range rows {
		if rows[i].Count != rows2[i].Count || rows[i].Bads != rows2[i].Bads || rows[i].Lo != -rows2[i].Hi {
			t.Errorf("band %d: %+v vs %+v", i, rows[i], rows2[i])
		}
	}
}

func countBad(bad []bool) int {
	_, b := countTarget(bad)
	return b
}

func TestCalibrate(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	pd := make([]float64, 5000)
	bad := make([]bool, 5000)
	for i := range pd {
		pd[i] = sigmoid(rng.NormFloat64() - 1.5)
		bad[i] = rng.Float64() < pd[i]
	}
	c, err := Calibrate(pd, bad, 10)
	if err != nil {
		t.Fatal(err)
	}
	hl, n := 0.0, 0
	for _, r := range c.Rows {
		n += r.Count
		e := r.MeanPD * float64(r.Count)
		hl += (float64(r.Bads) - e) * (float64(r.Bads) - e) / (e * (1 - r.MeanPD))
	}
	if n != 5000 || len(c.Rows) != 10 || c.DF != 8 {
		t.Errorf("rows %d bands %d df %d", n, len(c.Rows), c.DF)
	}
	if math.Abs(hl-c.HL) > 1e-9 {
		t.Errorf("HL %g vs %g", c.HL, hl)
	}
	if c.P < 0.01 {
		t.Errorf("well-calibrated PDs rejected: HL %g p %g", c.HL, c.P)
	}
	// Doubling the PDs is detected.
	for i := range pd {
		pd[i] = math.Min(1, 2*pd[i])
	}
	c2, _ := Calibrate(pd, bad, 10)
	if c2.P > 1e-6 {
		t.Errorf("miscalibration not detected: p %g", c2.P)
	}
	if _, err := Calibrate([]float64{0.5, 1.5}, []bool{true, false}, 2); !errors.Is(err, ErrRange) {
		t.Errorf("PD > 1: %v", err)
	}
}

func TestPSI(t *testing.T) {
	e := []float64{100, 200, 300, 400}
	a := []float64{150, 150, 300, 400}
	want := 0.0
	for i := range e {
		pe, pa := e[i]/1000, a[i]/1000
		want += (pa - pe) * math.Log(pa/pe)
	}
	got, err := PSI(e, a)
	if err != nil || math.Abs(got-want) > 1e-15 {
		t.Errorf("PSI %g, %v; want %g", got, err, want)
	}
	if got, _ := PSI(e, e); got != 0 {
		t.Errorf("PSI of identical distributions %g", got)
	}
	got, err = PSI([]float64{10, 0}, []float64{5, 5})
	if err != nil || math.IsInf(got, 0) || math.IsNaN(got) || got <= 0 {
		t.Errorf("PSI with an empty band %g, %v", got, err)
	}
	for _, tc := range []struct {
		e, a []float64
		want error
	}{
		{[]float64{1}, []float64{1, 2}, ErrLength},
		{nil, nil, ErrEmpty},
		{[]float64{1, -1}, []float64{1, 1}, ErrRange},
		{[]float64{1, math.NaN()}, []float64{1, 1}, ErrNonFinite},
		{[]float64{0, 0}, []float64{1, 1}, ErrEmpty},
	} {
		if _, err := PSI(tc.e, tc.a); !errors.Is(err, tc.want) {
			t.Errorf("PSI(%v, %v): %v, want %v", tc.e, tc.a, err, tc.want)
		}
	}
	s, _ := randScores(2000, 3)
	shift := make([]float64, len(s))
	for i := range s {
		shift[i] = s[i] + 1
	}
	same, _ := PSISample(s, s, 10)
	moved, _ := PSISample(s, shift, 10)
	if same != 0 || moved < 0.25 {
		t.Errorf("PSISample same %g shifted %g", same, moved)
	}
}

func TestMetricErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    []float64
		bad  []bool
		want error
	}{
		{"nan", []float64{1, math.NaN()}, []bool{true, false}, ErrNonFinite},
		{"one class", []float64{1, 2}, []bool{true, true}, ErrOneClass},
		{"length", []float64{1}, []bool{true, false}, ErrLength},
		{"empty", nil, nil, ErrEmpty},
	} {
		if _, err := AUC(tc.s, tc.bad); !errors.Is(err, tc.want) {
			t.Errorf("AUC %s: %v", tc.name, err)
		}
		if _, _, err := KS(tc.s, tc.bad); !errors.Is(err, tc.want) {
			t.Errorf("KS %s: %v", tc.name, err)
		}
		if _, err := Gains(tc.s, tc.bad, nil); !errors.Is(err, tc.want) {
			t.Errorf("Gains %s: %v", tc.name, err)
		}
	}
}

func TestDrift(t *testing.T) {
	ds := simulate(8000, 5, 21)
	m, _, err := Fit(ds, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Against its own training data the drift is exactly zero.
	d, err := m.Drift(nil, ds)
	if err != nil {
		t.Fatal(err)
	}
	if d.ScorePSI != 0 {
		t.Errorf("score PSI on training data %g", d.ScorePSI)
	}
	for _, v := range d.Vars {
		if v.CSI != 0 {
			t.Errorf("CSI of %s on training data %g", v.Name, v.CSI)
		}
	}
	// Shift v0 upwards in a new sample: its CSI and the score PSI rise.
	cur := simulate(8000, 5, 22)
	for i, x := range cur.Columns[0].Num {
		cur.Columns[0].Num[i] = x + 1
	}
	d2, err := m.Drift(ds, cur)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d2.Vars {
		if v.Name == "v0" && v.CSI < 0.25 {
			t.Errorf("CSI of shifted v0 %g", v.CSI)
		}
		if v.Name != "v0" && v.CSI > 0.02 {
			t.Errorf("CSI of unshifted %s %g", v.Name, v.CSI)
		}
	}
	if d2.ScorePSI < 0.05 {
		t.Errorf("score PSI after shift %g", d2.ScorePSI)
	}
	if _, err := m.Drift(nil, &Dataset{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty current: %v", err)
	}
}
