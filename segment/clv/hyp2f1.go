package clv

import "math"

// The Pareto/NBD likelihood needs the Gauss hypergeometric function
// ₂F₁(r+s+x, s+1; r+s+x+1; z) (or ₂F₁(r+s+x, r+x; r+s+x+1; z)) for
// 0 ≤ z < 1 (Fader & Hardie 2005, "A note on deriving the Pareto/NBD model
// and related expressions", brucehardie.com note 009, section 3).
// Euler's transformation (Abramowitz & Stegun 15.3.3)
//
//	₂F₁(A, B; A+1; z) = (1−z)^(1−B) ₂F₁(1, A+1−B; A+1; z)
//
// turns both into members of the family
//
//	H(b, d; z) = ₂F₁(1, b; b+d; z) = Σₙ (b)ₙ/(b+d)ₙ zⁿ,   b > 0, d > 0,
//
// whose power series has only positive terms, so it is summed without
// cancellation. Its term ratio (b+n)/(b+d+n)·z increases towards z, which
// bounds the tail after term n by tₙ·z/(1−z); summation stops when that
// bound is below the double-precision rounding of the sum.
//
// Near z = 1 the series converges slowly, so for z > hypSeriesMax H is
// evaluated instead by Gauss's continued fraction for ratios of contiguous
// ₂F₁ (A&S 15.2, contiguous relations; Wall 1948, "Analytic theory of
// continued fractions", ch. XVIII), which, with one upper parameter equal
// to 1, gives H itself:
//
//	H = 1/(1 − k₁z/(1 − k₂z/(1 − …))),
//	k₂ₙ₊₁ = (b+n)(m+n)/((m+2n)(m+2n+1)),  k₂ₙ₊₂ = (n+1)(d+n)/((m+2n+1)(m+2n+2)),
//
// with m = b+d−1 > 0. All kᵢ are positive and tend to 1/4, the fraction
// converges for every z < 1 at the geometric rate ((1−√(1−z))/(1+√(1−z)))²,
// and it is evaluated with the modified Lentz algorithm (Press et al.,
// Numerical Recipes, 3rd ed., §5.2).

const (
	hypSeriesMax = 0.85   // largest z summed by the power series
	hypMaxTerms  = 200000 // cap on series terms or fraction levels
)

// hypH returns ln H(b, d; z) and its partial derivatives with respect to
// b, d and z. ok is false if the evaluation did not converge.
func hypH(b, d, z float64) (lnH, db, dd, dz float64, ok bool) {
	if z <= hypSeriesMax {
		return hypSeries(b, d, z)
	}
	lnH, ok = hypCF(b, d, z)
	if !ok {
		return 0, 0, 0, 0, false
	}
	// z-derivative from the contiguous relations (A&S 15.2.1 and 15.2.10
	// with a = 1): z(1−z)H' = (b+d−1) − (b(1−z)+d−1)·H.
	h := math.Exp(lnH)
	dz = ((b + d - 1) - (b*(1-z)+d-1)*h) / (z * (1 - z) * h)
	// Parameter derivatives by central differences of the fraction.
	const rel = 1e-6
	hb := rel * max(b, 1)
	fp, ok1 := hypCF(b+hb, d, z)
	fm, ok2 := hypCF(b-min(hb, b/2), d, z)
	db = (fp - fm) / (hb + min(hb, b/2))
	hd := rel * max(d, 1)
	gp, ok3 := hypCF(b, d+hd, z)
	gm, ok4 := hypCF(b, d-min(hd, d/2), z)
	dd = (gp - gm) / (hd + min(hd, d/2))
	return lnH, db, dd, dz, ok1 && ok2 && ok3 && ok4
}

// hypSeries sums H and its derivatives term by term:
// tₙ = Πₖ<ₙ (b+k)/(b+d+k)·z, ∂ln tₙ/∂b = Σₖ<ₙ [1/(b+k) − 1/(b+d+k)],
// ∂ln tₙ/∂d = −Σₖ<ₙ 1/(b+d+k), ∂tₙ/∂z = n·tₙ/z.
func hypSeries(b, d, z float64) (lnH, db, dd, dz float64, ok bool) {
	c := b + d
	t := 1.0  // tₙ
	s := 1.0  // Σ tₙ
	sb := 0.0 // Σ tₙ ∂ln tₙ/∂b
	sd := 0.0 // Σ tₙ ∂ln tₙ/∂d
	sz := 0.0 // Σ n tₙ / z
	lb := 0.0 // ∂ln tₙ/∂b
	ld := 0.0 // ∂ln tₙ/∂d
	tz := 1.0 // tₙ₊₁/z, computed without dividing by z
	tail := z / (1 - z)
	for n := 0; n < hypMaxTerms; n++ {
		fn := float64(n)
		ratio := (b + fn) / (c + fn)
		tz = t * ratio // t_{n+1}/z
		lb += 1/(b+fn) - 1/(c+fn)
		ld -= 1 / (c + fn)
		t = tz * z // t_{n+1}
		s += t
		sb += t * lb
		sd += t * ld
		sz += (fn + 1) * tz
		// Tail of Σ n tₙ after n+1 is at most t·[(n+1)z/(1−z) + z/(1−z)²],
		// which also bounds the tails of the other sums (up to the slowly
		// growing |∂ln tₙ/∂d| factor, covered by the margin).
		if t*((fn+1)*tail+tail/(1-z)) <= 1e-17*s {
			if math.IsInf(s, 0) || math.IsNaN(s) {
				return 0, 0, 0, 0, false
			}
			return math.Log(s), sb / s, sd / s, sz / s, true
		}
	}
	return 0, 0, 0, 0, false
}

// hypCF returns ln H(b, d; z) from Gauss's continued fraction.
func hypCF(b, d, z float64) (float64, bool) {
	const tiny = 1e-300
	m := b + d - 1
	// f = 1/(1 + a₂/(1 + a₃/(1 + …))) with aⱼ₊₁ = −kⱼ z; Lentz on
	// 1 + a₂/(1 + …) then invert.
	f := 1.0
	C := f
	D := 0.0
	for j := 1; j < hypMaxTerms; j++ {
		var k float64
		n := float64((j - 1) / 2)
		if j%2 == 1 {
			k = (b + n) * (m + n) / ((m + 2*n) * (m + 2*n + 1))
		} else {
			k = (n + 1) * (d + n) / ((m + 2*n + 1) * (m + 2*n + 2))
		}
		a := -k * z
		D = 1 + a*D
		if math.Abs(D) < tiny {
			D = tiny
		}
		C = 1 + a/C
		if math.Abs(C) < tiny {
			C = tiny
		}
		D = 1 / D
		delta := C * D
		f *= delta
		if math.Abs(delta-1) < 1e-16 {
			if !(f > 0) || math.IsInf(f, 0) {
				return 0, false
			}
			return -math.Log(f), true
		}
	}
	return 0, false
}
