package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// Closed forms of H(b, d; z) = ₂F₁(1, b; b+d; z) (A&S 15.1.3, 15.1.5):
// H(1, 1; z) = −ln(1−z)/z and H(1/2, 1; z) = artanh(√z)/√z.
func TestHypHClosedForms(t *testing.T) {
	for _, z := range []float64{1e-12, 0.01, 0.3, 0.5, 0.8, 0.85, 0.8500001, 0.9, 0.99, 0.999, 0.99999} {
		cases := []struct {
			b, d, want float64
		}{
			{1, 1, -math.Log1p(-z) / z},
			{0.5, 1, math.Atanh(math.Sqrt(z)) / math.Sqrt(z)},
		}
		for _, c := range cases {
			lnH, _, _, _, ok := hypH(c.b, c.d, z)
			if !ok {
				t.Fatalf("H(%v,%v;%v) did not converge", c.b, c.d, z)
			}
			// The fraction's product of ~4/√(1−z) factors adds rounding.
			tol := 1e-13
			if z > 0.99 {
				tol = 5e-12
			}
			if got := math.Exp(lnH); math.Abs(got-c.want) > tol*c.want {
				t.Errorf("H(%v,%v;%v) = %.17g, want %.17g", c.b, c.d, z, got, c.want)
			}
		}
	}
}

// The series and the continued fraction agree where both are used, and
// both agree with gonum's Cephes-based mathext.Hypergeo.
func TestHypHSeriesFractionHypergeo(t *testing.T) {
	for _, b := range []float64{0.05, 0.6, 1, 3.7, 25, 200} {
		for _, d := range []float64{0.05, 0.6, 1, 1.6, 12} {
			for _, z := range []float64{0.05, 0.4, 0.7, 0.85, 0.95} {
				s, _, _, _, ok1 := hypSeries(b, d, z)
				f, ok2 := hypCF(b, d, z)
				if !ok1 || !ok2 {
					t.Fatalf("b=%v d=%v z=%v: series ok %v, fraction ok %v", b, d, z, ok1, ok2)
				}
				if math.Abs(s-f) > 1e-13*math.Max(1, math.Abs(s)) {
					t.Errorf("b=%v d=%v z=%v: ln H series %.17g, fraction %.17g", b, d, z, s, f)
				}
				if z <= 0.7 {
					ref := math.Log(mathext.Hypergeo(1, b, b+d, z))
					if math.Abs(s-ref) > 1e-11*math.Max(1, math.Abs(ref)) {
						t.Errorf("b=%v d=%v z=%v: ln H %.17g, mathext.Hypergeo %.17g", b, d, z, s, ref)
					}
				}
			}
		}
	}
}

// Derivatives of ln H against central differences, on both sides of the
// series/fraction switch.
func TestHypHDerivatives(t *testing.T) {
	for _, b := range []float64{0.3, 1.2, 9} {
		for _, d := range []float64{0.4, 1.6, 7} {
			for _, z := range []float64{0.1, 0.6, 0.84, 0.9, 0.97} {
				_, db, dd, dz, ok := hypH(b, d, z)
				if !ok {
					t.Fatal("no convergence")
				}
				num := func(f func(h float64) float64, h float64) float64 {
					return (f(h) - f(-h)) / (2 * h)
				}
				lnH := func(b, d, z float64) float64 {
					v, _, _, _, _ := hypH(b, d, z)
					return v
				}
				// Stay on one side of the switch for the z difference.
				hz := 1e-6 * math.Min(1, 1-z)
				wants := [3]float64{
					num(func(h float64) float64 { return lnH(b+h, d, z) }, 1e-5),
					num(func(h float64) float64 { return lnH(b, d+h, z) }, 1e-5),
					num(func(h float64) float64 { return lnH(b, d, z+h) }, hz),
				}
				for i, got := range [3]float64{db, dd, dz} {
					if math.Abs(got-wants[i]) > 1e-6*math.Max(1, math.Abs(wants[i])) {
						t.Errorf("b=%v d=%v z=%v: derivative %d = %.12g, numerical %.12g", b, d, z, i, got, wants[i])
					}
				}
			}
		}
	}
}
