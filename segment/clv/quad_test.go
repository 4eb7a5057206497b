package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// bgClosedForm is E[X(t)] of Fader, Hardie & Lee (2005) through the Gauss
// hypergeometric function (gonum's Cephes port), valid away from a = 1.
func bgClosedForm(a, b, r, alpha, t float64) float64 {
	z := t / (alpha + t)
	return (a + b - 1) / (a - 1) * (1 - math.Pow(alpha/(alpha+t), r)*mathext.Hypergeo(r, b, a+b-1, z))
}

func TestBGMixtureClosedForm(t *testing.T) {
	for _, p := range []struct{ a, b, r, alpha float64 }{
		{0.793, 2.426, 0.243, 4.414}, // CDNOW
		{2.5, 4, 1.3, 10},
		{0.4, 0.9, 0.8, 2},
		{3, 20, 5, 30},
		{0.793, 2.426 + 7, 0.243 + 7, 4.414 + 39}, // conditional, x = 7
		{1.5, 1000, 3, 40},                        // concentrated near p = 0
	} {
		for _, tt := range []float64{0.5, 5, 39, 78} {
			if tt/(p.alpha+tt) > 0.9 {
				continue // keep the reference in its accurate range
			}
			got := bgMixture(p.a, p.b, p.r, p.alpha, tt)
			want := bgClosedForm(p.a, p.b, p.r, p.alpha, tt)
			if math.Abs(got-want) > 1e-10*want {
				t.Errorf("%+v t=%v: mixture %.15g, closed form %.15g", p, tt, got, want)
			}
		}
	}
}

// Where the closed form breaks down (a = 1, a+b < 1, tiny a), compare with
// brute-force Gauss-Legendre after p = v^(1/a), which removes p^(a−1).
func TestBGMixtureHardCases(t *testing.T) {
	for _, p := range []struct{ a, b, r, alpha, t float64 }{
		{1, 2, 0.5, 3, 20},
		{1 + 1e-9, 3, 0.5, 3, 20},
		{0.02, 2, 1, 1, 10},
		{0.3, 2, 0.01, 0.05, 52},
	} {
		lnB := mathext.Lbeta(p.a, p.b)
		f := func(v float64) float64 {
			if v <= 0 {
				return p.r * p.t / p.alpha * math.Exp(-lnB) / p.a
			}
			pp := math.Pow(v, 1/p.a)
			num := -math.Expm1(-p.r * math.Log1p(pp*p.t/p.alpha))
			return math.Exp((p.b-1)*math.Log1p(-pp)-lnB) * num / pp / p.a
		}
		want := quad.Fixed(f, 0, 1, 4000, nil, 0)
		got := bgMixture(p.a, p.b, p.r, p.alpha, p.t)
		if math.Abs(got-want) > 1e-7*want {
			t.Errorf("%+v: mixture %.12g, brute force %.12g", p, got, want)
		}
	}
}

func TestBGMixtureLimits(t *testing.T) {
	if got := bgMixture(0.8, 2.4, 0.24, 4.4, 0); got != 0 {
		t.Errorf("t=0: %v", got)
	}
	// For small t, E[X(t)] ≈ t·r/α (everyone alive, rate r/α).
	got := bgMixture(0.8, 2.4, 0.24, 4.4, 1e-8)
	if want := 1e-8 * 0.24 / 4.4; math.Abs(got-want) > 1e-6*want {
		t.Errorf("small t: %v, want %v", got, want)
	}
	prev := 0.0
	for _, tt := range []float64{1, 2, 5, 10, 50, 100, 1000} {
		v := bgMixture(0.8, 2.4, 0.24, 4.4, tt)
		if !(v > prev) {
			t.Errorf("E[X(%v)] = %v not increasing", tt, v)
		}
		prev = v
	}
}
