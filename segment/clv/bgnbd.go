package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD is the beta-geometric/negative-binomial-distribution model of
// Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
// alternative to the Pareto/NBD model", Marketing Science 24(2):275-284.
//
// While active, a customer buys at Poisson rate λ; after each purchase she
// becomes inactive with probability p. Across customers λ ~ Gamma(R, Alpha)
// (shape R, rate Alpha) and p ~ Beta(A, B). Times are in weeks.
type BGNBD struct {
	R, Alpha, A, B float64
}

// Validate reports whether every parameter is finite and positive.
func (m BGNBD) Validate() error {
	return checkParams([]float64{m.R, m.Alpha, m.A, m.B}, []string{"r", "alpha", "a", "b"})
}

func checkParams(v []float64, names []string) error {
	for i, x := range v {
		if !(x > 0) || math.IsInf(x, 0) {
			return fieldErr(-1, names[i], "not a finite positive number", ErrParameter)
		}
	}
	return nil
}

func checkHorizon(t float64) error {
	if !(t >= 0) || math.IsInf(t, 0) {
		return fieldErr(-1, "t", "not a finite non-negative number", ErrArgument)
	}
	return nil
}

// LogLikelihood returns the log of the BG/NBD likelihood of one customer's
// (x, t_x, T), Fader, Hardie & Lee (2005), section 3:
//
//	L = B(a,b+x)/B(a,b) · Γ(r+x)α^r / (Γ(r)(α+T)^(r+x))
//	  + δ(x>0) B(a+1,b+x−1)/B(a,b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x)).
func (m BGNBD) LogLikelihood(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	e := &bgnbdEval{d: singleRow(c), workers: 1}
	return e.logLik([]float64{m.R, m.Alpha, m.A, m.B}, nil), nil
}

// bgnbdEval evaluates the BG/NBD log-likelihood of grouped data, reusing
// its buffers between calls (not safe for concurrent calls).
type bgnbdEval struct {
	d       *rftData
	workers int
	blk     []bgBlock
	lnT     []float64 // ln(α+T) per distinct T
	invT    []float64 // 1/(α+T) per distinct T
	buf     []float64
	sums    [5]float64
}

// bgBlock holds the terms of one x that do not depend on the row.
type bgBlock struct {
	rx          float64 // r + x
	k0          float64 // lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a,b+x) − ln B(a,b)
	k0r, k0a    float64 // ∂k0/∂r, ∂k0/∂a
	k0b         float64 // ∂k0/∂b
	cD          float64 // ln(a/(b+x−1)), x > 0
	cDa, cDb    float64 // ∂cD/∂a, ∂cD/∂b
	hasRepeater bool
}

// logLik returns Σ w·ℓ over the rows and, when grad is not nil, writes
// ∂/∂(r, α, a, b) into it. Per row it uses
//
//	ℓ = k0(x) − (r+x) ln(α+T) + δ(x>0)·softplus(cD(x) + (r+x)(ln(α+T) − ln(α+t_x))),
//
// the log of the sum of the likelihood's two terms computed without
// overflow; softplus(z) = ln(1+e^z).
func (e *bgnbdEval) logLik(theta, grad []float64) float64 {
	d := e.d
	r, alpha, a, b := theta[0], theta[1], theta[2], theta[3]
	lgr, _ := math.Lgamma(r)
	lgb, _ := math.Lgamma(b)
	lgab, _ := math.Lgamma(a + b)
	lnAlpha := math.Log(alpha)
	wantGrad := grad != nil
	var psiR, psiB, psiAB float64
	if wantGrad {
		psiR, psiB, psiAB = mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	}
	if cap(e.blk) < len(d.blocks) {
		e.blk = make([]bgBlock, len(d.blocks))
	}
	e.blk = e.blk[:len(d.blocks)]
	for i, blk := range d.blocks {
		x := float64(blk.x)
		rx := r + x
		lgrx, _ := math.Lgamma(rx)
		c := bgBlock{rx: rx, k0: lgrx - lgr + r*lnAlpha}
		if wantGrad {
			c.k0r = mathext.Digamma(rx) - psiR + lnAlpha
		}
		if blk.x > 0 {
			c.hasRepeater = true
			lgbx, _ := math.Lgamma(b + x)
			lgabx, _ := math.Lgamma(a + b + x)
			c.k0 += lgbx - lgabx - lgb + lgab
			c.cD = math.Log(a) - math.Log(b+x-1)
			c.cDa, c.cDb = 1/a, -1/(b+x-1)
			if wantGrad {
				psiABX := mathext.Digamma(a + b + x)
				c.k0a = psiAB - psiABX
				c.k0b = mathext.Digamma(b+x) - psiABX - psiB + psiAB
			}
		}
		e.blk[i] = c
	}
	if cap(e.lnT) < len(d.tVals) {
		e.lnT = make([]float64, len(d.tVals))
		e.invT = make([]float64, len(d.tVals))
	}
	e.lnT, e.invT = e.lnT[:len(d.tVals)], e.invT[:len(d.tVals)]
	for j, t := range d.tVals {
		e.lnT[j] = math.Log(alpha + t)
		e.invT[j] = 1 / (alpha + t)
	}
	// Partial sums: ℓ, ∂r, ∂α, ∂a, ∂b. The row-independent parts of the
	// derivatives are accumulated per row as weights times block terms.
	e.buf = chunkedSum(len(d.w), 5, e.workers, e.buf, e.sums[:], func(lo, hi int, out []float64) {
		var ll, gr, gal, ga, gb float64
		bi := blockOf(d.blocks, lo)
		for i := lo; i < hi; i++ {
			for i >= d.blocks[bi].end {
				bi++
			}
			c := &e.blk[bi]
			w := d.w[i]
			ti := d.tIdx[i]
			lT := e.lnT[ti]
			ll += w * (c.k0 - c.rx*lT)
			if wantGrad {
				gr += w * (c.k0r - lT)
				gal += w * (r/alpha - c.rx*e.invT[ti])
				ga += w * c.k0a
				gb += w * c.k0b
			}
			if !c.hasRepeater {
				continue
			}
			atx := alpha + d.tx[i]
			dl := lT - math.Log(atx)
			z := c.cD + c.rx*dl
			// softplus(z) and its derivative π = 1/(1+e^−z); log(1+u)
			// for u = e^−|z| ≤ 1 has absolute error below 2^−52.
			u := math.Exp(-math.Abs(z))
			sp := math.Log(1 + u)
			pi := 1 / (1 + u)
			if z > 0 {
				sp += z
			} else {
				pi = u * pi
			}
			ll += w * sp
			if wantGrad {
				wp := w * pi
				gr += wp * dl
				gal += wp * c.rx * (e.invT[ti] - 1/atx)
				ga += wp * c.cDa
				gb += wp * c.cDb
			}
		}
		out[0], out[1], out[2], out[3], out[4] = ll, gr, gal, ga, gb
	})
	if wantGrad {
		copy(grad, e.sums[1:])
	}
	return e.sums[0]
}

// FitBGNBD fits the BG/NBD model to customers by maximum likelihood
// (Fader, Hardie & Lee 2005), optimising log-parameters with gonum's
// L-BFGS and the analytic gradient, then polishing with Newton steps (see
// Fit). Customers with identical (x, t_x, T) are grouped and weighted.
// weights, if not nil, holds one non-negative weight per customer (nil:
// all weights are 1; zero-weight customers are ignored).
//
// It returns ErrEmpty without customers, ErrNoRepeaters when no customer
// has a repeat purchase (the likelihood then grows without bound as r → 0),
// a FieldError for invalid customers, weights or options, and a FitError
// when there is no finite, locally unique maximum: ErrNotIdentified when a
// parameter runs off to 0 or infinity or the likelihood is flat there (a
// single customer, for example), ErrNotConverged otherwise.
func FitBGNBD(cs []Customer, weights []float64, opts *FitOptions) (*Fit[BGNBD], error) {
	o, d, err := prepareRFT(cs, weights, opts)
	if err != nil {
		return nil, err
	}
	start := o.Start
	if start == nil {
		start = []float64{1, startAlpha(d), 1, 1}
	}
	p := &problem{
		model: "BG/NBD", names: []string{"r", "alpha", "a", "b"},
		ll:    (&bgnbdEval{d: d, workers: o.Workers}).logLik,
		total: d.total, penalty: o.Penalty,
	}
	theta, st, err := p.maximize(start, o.MaxIterations)
	if err != nil {
		return nil, err
	}
	theta, ll, se, err := p.finish(theta)
	if err != nil {
		return nil, err
	}
	f := &Fit[BGNBD]{
		Model:     BGNBD{theta[0], theta[1], theta[2], theta[3]},
		LogLik:    ll,
		Customers: d.total,
		Rows:      len(d.w),
	}
	f.StdErr = BGNBD{se[0], se[1], se[2], se[3]}
	f.Iterations, f.Evaluations = st.MajorIterations, p.evals
	return f, nil
}

// startAlpha is a starting value for the gamma rate α with r = 1: the
// inverse of the pooled repeat-purchase rate Σx/ΣT.
func startAlpha(d *rftData) float64 {
	if d.sumX <= 0 || d.sumT <= 0 {
		return 1
	}
	return min(max(d.sumT/d.sumX, 1e-3), 1e6)
}

// PAlive returns the probability that a customer with history c is still
// active at the end of calibration (Fader, Hardie & Lee, "Computing
// P(alive) using the BG/NBD model", brucehardie.com):
//
//	P(alive) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
func (m BGNBD) PAlive(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	return m.pAlive(c), nil
}

func (m BGNBD) pAlive(c Customer) float64 {
	if c.Frequency == 0 {
		return 1
	}
	x := float64(c.Frequency)
	z := math.Log(m.A/(m.B+x-1)) + (m.R+x)*(math.Log(m.Alpha+c.T)-math.Log(m.Alpha+c.Recency))
	// 1/(1+e^z) without overflow.
	if z > 0 {
		e := math.Exp(-z)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(z))
}

// ExpectedTransactions returns E[X(t)], the expected number of repeat
// purchases in the first t weeks after a new customer's first purchase,
// Fader, Hardie & Lee (2005), section 3:
//
//	E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
//
// It is evaluated as the equivalent mixture E_p[(1 − (α/(α+pt))^r)/p] over
// p ~ Beta(a, b) by double-exponential quadrature, which stays accurate for
// a near 1 and a+b ≤ 1, where the closed form breaks down.
func (m BGNBD) ExpectedTransactions(t float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	return bgMixture(m.A, m.B, m.R, m.Alpha, t), nil
}

// ConditionalTransactions returns E[Y(t) | x, t_x, T], the expected number
// of purchases in the t weeks after the calibration end by a customer with
// history c, Fader, Hardie & Lee (2005), section 3 and appendix:
//
//	E[Y(t)|x,t_x,T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
//	                   ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive),
//
// evaluated as E_p[(1 − ((α+T)/(α+T+pt))^(r+x))/p] over p ~ Beta(a, b+x)
// times P(alive), by double-exponential quadrature (see
// ExpectedTransactions).
func (m BGNBD) ConditionalTransactions(c Customer, t float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	x := float64(c.Frequency)
	return bgMixture(m.A, m.B+x, m.R+x, m.Alpha+c.T, t) * m.pAlive(c), nil
}

// conditionalPath writes ConditionalTransactions(c, ts[i]) into out[i],
// sharing one quadrature across the horizons (used by Value).
func (m BGNBD) conditionalPath(c Customer, ts, out []float64) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := c.validate(-1); err != nil {
		return err
	}
	for _, t := range ts {
		if err := checkHorizon(t); err != nil {
			return err
		}
	}
	x := float64(c.Frequency)
	bgMixtureMulti(m.A, m.B+x, m.R+x, m.Alpha+c.T, ts, out)
	pa := m.pAlive(c)
	for i := range out {
		out[i] *= pa
	}
	return nil
}
