package clv

import (
	"math"
	"testing"
)

func TestValue(t *testing.T) {
	bg := BGNBD{0.243, 4.414, 0.793, 2.426}
	pn := ParetoNBD{0.553, 10.578, 0.606, 11.668}
	gg := GammaGamma{6.25, 3.74, 15.44}
	for _, f := range []Forecaster{bg, pn} {
		for _, c := range testCustomers {
			// One undiscounted period is E[M]·E[Y(Δ)].
			v, err := Value(f, gg, c, &ValueOptions{Periods: 1})
			if err != nil {
				t.Fatal(err)
			}
			m, _ := gg.ExpectedSpend(c)
			y, _ := f.ConditionalTransactions(c, DefaultPeriodWeeks)
			if math.Abs(v-m*y) > 1e-12*m*y {
				t.Errorf("%T %+v: one period %v, want %v", f, c, v, m*y)
			}
			// Undiscounted value over n periods is E[M]·E[Y(nΔ)].
			v12, _ := Value(f, gg, c, nil)
			y12, _ := f.ConditionalTransactions(c, 12*DefaultPeriodWeeks)
			if math.Abs(v12-m*y12) > 1e-9*m*y12 {
				t.Errorf("%T %+v: 12 periods %v, want %v", f, c, v12, m*y12)
			}
			// Discounting lowers the value, more for higher rates.
			d1, _ := Value(f, gg, c, &ValueOptions{DiscountRate: 0.01})
			d2, _ := Value(f, gg, c, &ValueOptions{DiscountRate: 0.05})
			if !(d2 < d1 && d1 < v12 && d2 > 0) {
				t.Errorf("%T %+v: values %v > %v > %v expected", f, c, v12, d1, d2)
			}
		}
	}
	// A customer without repeat purchases gets the population mean spend.
	m, _ := gg.ExpectedSpend(Customer{T: 10})
	if mean, _ := gg.MeanSpend(); m != mean {
		t.Errorf("x = 0 spend %v, population mean %v", m, mean)
	}
}

// P(alive) behaves as the models say: 1 without repeat purchases (BG/NBD),
// lower for a long silence after frequent purchases.
func TestPAlive(t *testing.T) {
	bg := BGNBD{0.243, 4.414, 0.793, 2.426}
	pn := ParetoNBD{0.553, 10.578, 0.606, 11.668}
	if p, _ := bg.PAlive(Customer{T: 30}); p != 1 {
		t.Errorf("BG/NBD x=0: %v", p)
	}
	recent := Customer{Frequency: 10, Recency: 38, T: 39}
	silent := Customer{Frequency: 10, Recency: 5, T: 39}
	for _, m := range []interface {
		PAlive(Customer) (float64, error)
	}{bg, pn} {
		a, _ := m.PAlive(recent)
		b, _ := m.PAlive(silent)
		if !(a > 0.9 && b < 0.05 && b > 0) {
			t.Errorf("%T: P(alive) recent %v silent %v", m, a, b)
		}
	}
	if p, _ := pn.PAlive(Customer{Frequency: 3, Recency: 12, T: 12}); p != 1 {
		t.Errorf("Pareto/NBD t_x = T: %v", p)
	}
}

// plainForecaster hides BGNBD's multi-horizon path.
type plainForecaster struct{ m BGNBD }

func (p plainForecaster) ConditionalTransactions(c Customer, t float64) (float64, error) {
	return p.m.ConditionalTransactions(c, t)
}

// The shared-quadrature path gives the same values as horizon-by-horizon
// evaluation.
func TestValuePathMatchesSingle(t *testing.T) {
	bg := BGNBD{0.243, 4.414, 0.793, 2.426}
	gg := GammaGamma{6.25, 3.74, 15.44}
	for _, c := range testCustomers {
		for _, o := range []*ValueOptions{nil, {Periods: 36, DiscountRate: 0.02}, {Periods: 5, PeriodWeeks: 30}} {
			a, err := Value(bg, gg, c, o)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Value(plainForecaster{bg}, gg, c, o)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(a-b) > 1e-11*b {
				t.Errorf("%+v %+v: path %.15g, single %.15g", c, o, a, b)
			}
		}
	}
}
