package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ParetoNBD is the Pareto/NBD model of Schmittlein, Morrison & Colombo
// (1987), "Counting your customers: who are they and what will they do
// next?", Management Science 33(1):1-24.
//
// While active, a customer buys at Poisson rate λ; her unobserved lifetime
// is exponential with rate μ. Across customers λ ~ Gamma(R, Alpha) and
// μ ~ Gamma(S, Beta) (shapes R, S; rates Alpha, Beta), independent. Times
// are in weeks. The likelihood and the expressions below follow Fader &
// Hardie (2005), "A note on deriving the Pareto/NBD model and related
// expressions" (brucehardie.com note 009).
type ParetoNBD struct {
	R, Alpha, S, Beta float64
}

// Validate reports whether every parameter is finite and positive.
func (m ParetoNBD) Validate() error {
	return checkParams([]float64{m.R, m.Alpha, m.S, m.Beta}, []string{"r", "alpha", "s", "beta"})
}

// LogLikelihood returns the log of the Pareto/NBD likelihood of one
// customer's (x, t_x, T) (Fader & Hardie 2005, note 009):
//
//	L = Γ(r+x)α^r β^s/Γ(r) · [ 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A₀ ],
//
// where, for α ≥ β,
//
//	A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x)
//	   − ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+T)) / (α+T)^(r+s+x),
//
// and for α < β the same with α and β swapped and s+1 replaced by r+x.
// ₂F₁ is evaluated as described in hyp2f1.go.
func (m ParetoNBD) LogLikelihood(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	e := &pnbdEval{d: singleRow(c), workers: 1}
	ll := e.logLik([]float64{m.R, m.Alpha, m.S, m.Beta}, nil)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return 0, fieldErr(-1, "z", "hypergeometric function did not converge", ErrNumerical)
	}
	return ll, nil
}

// pnbdTerm is one of the terms e^ℓ of the likelihood bracket with ∂ℓ/∂θ.
type pnbdTerm struct {
	l                 float64
	dr, dal, ds, dbet float64
}

// pnbdA0Term returns ln and gradient of F(t) = ₂F₁(…; z_t)/(max+t)^(r+s+x)
// written through H (Euler's transformation) as
//
//	α ≥ β: H(r+x, s+1; (α−β)/(α+t)) · (α+t)^−(r+x) · (β+t)^−s,
//	α < β: H(s+1, r+x; (β−α)/(β+t)) · (α+t)^−(r+x−1) · (β+t)^−(s+1).
func pnbdA0Term(rx, alpha, s, beta, t float64) (pnbdTerm, bool) {
	var out pnbdTerm
	at, bt := alpha+t, beta+t
	lat, lbt := math.Log(at), math.Log(bt)
	if alpha >= beta {
		z := (alpha - beta) / at
		h, hb, hd, hz, ok := hypH(rx, s+1, z)
		if !ok {
			return out, false
		}
		out.l = h - rx*lat - s*lbt
		out.dr = hb - lat
		out.ds = hd - lbt
		out.dal = hz*bt/(at*at) - rx/at
		out.dbet = -hz/at - s/bt
		return out, true
	}
	z := (beta - alpha) / bt
	h, hb, hd, hz, ok := hypH(s+1, rx, z)
	if !ok {
		return out, false
	}
	out.l = h - (rx-1)*lat - (s+1)*lbt
	out.dr = hd - lat
	out.ds = hb - lbt
	out.dal = -hz/bt - (rx-1)/at
	out.dbet = hz*at/(bt*bt) - (s+1)/bt
	return out, true
}

// pnbdEval evaluates the Pareto/NBD log-likelihood of grouped data,
// reusing its buffers between calls (not safe for concurrent calls).
type pnbdEval struct {
	d       *rftData
	workers int
	blk     []pnbdBlock
	lnAT    []float64 // ln(α+T) per distinct T
	lnBT    []float64 // ln(β+T) per distinct T
	buf     []float64
	sums    [6]float64
}

// pnbdBlock holds the terms of one x that do not depend on the row.
type pnbdBlock struct {
	rx       float64 // r + x
	k0, k0r  float64 // lnΓ(r+x) − lnΓ(r) + r ln α + s ln β, and ∂/∂r
	c        float64 // s/(r+s+x)
	dcr, dcs float64 // ∂c/∂r, ∂c/∂s
}

// logLik returns Σ w·ℓ over the rows and, when grad is not nil, writes
// ∂/∂(r, α, s, β) into it; NaN when a hypergeometric evaluation fails.
// With c = s/(r+s+x), the likelihood bracket is S = e^ℓ₁ + c(e^ℓ₂ − e^ℓ₃),
// ℓ₁ the no-death term and ℓ₂, ℓ₃ the A₀ terms at t_x and T; it is summed
// relative to its largest term.
func (e *pnbdEval) logLik(theta, grad []float64) float64 {
	d := e.d
	r, alpha, s, beta := theta[0], theta[1], theta[2], theta[3]
	lgr, _ := math.Lgamma(r)
	lnAlpha, lnBeta := math.Log(alpha), math.Log(beta)
	wantGrad := grad != nil
	psiR := 0.0
	if wantGrad {
		psiR = mathext.Digamma(r)
	}
	if cap(e.blk) < len(d.blocks) {
		e.blk = make([]pnbdBlock, len(d.blocks))
	}
	e.blk = e.blk[:len(d.blocks)]
	for i, blk := range d.blocks {
		rx := r + float64(blk.x)
		m := rx + s
		lgrx, _ := math.Lgamma(rx)
		b := pnbdBlock{rx: rx, k0: lgrx - lgr + r*lnAlpha + s*lnBeta,
			c: s / m, dcr: -s / (m * m), dcs: rx / (m * m)}
		if wantGrad {
			b.k0r = mathext.Digamma(rx) - psiR + lnAlpha
		}
		e.blk[i] = b
	}
	if cap(e.lnAT) < len(d.tVals) {
		e.lnAT = make([]float64, len(d.tVals))
		e.lnBT = make([]float64, len(d.tVals))
	}
	e.lnAT, e.lnBT = e.lnAT[:len(d.tVals)], e.lnBT[:len(d.tVals)]
	for j, t := range d.tVals {
		e.lnAT[j] = math.Log(alpha + t)
		e.lnBT[j] = math.Log(beta + t)
	}
	// Partial sums: ℓ, ∂r, ∂α, ∂s, ∂β, and a failure flag.
	e.buf = chunkedSum(len(d.w), 6, e.workers, e.buf, e.sums[:], func(lo, hi int, out []float64) {
		var ll, gr, gal, gs, gbet float64
		bi := blockOf(d.blocks, lo)
		for i := lo; i < hi; i++ {
			for i >= d.blocks[bi].end {
				bi++
			}
			b := &e.blk[bi]
			w := d.w[i]
			tt, tx := d.t[i], d.tx[i]
			ti := d.tIdx[i]
			aT, bT := alpha+tt, beta+tt
			e1 := pnbdTerm{l: -b.rx*e.lnAT[ti] - s*e.lnBT[ti],
				dr: -e.lnAT[ti], ds: -e.lnBT[ti], dal: -b.rx / aT, dbet: -s / bT}
			ll += w * b.k0
			if wantGrad {
				gr += w * b.k0r
				gal += w * r / alpha
				gs += w * lnBeta
				gbet += w * s / beta
			}
			if tx == tt {
				ll += w * e1.l
				if wantGrad {
					gr += w * e1.dr
					gal += w * e1.dal
					gs += w * e1.ds
					gbet += w * e1.dbet
				}
				continue
			}
			e2, ok2 := pnbdA0Term(b.rx, alpha, s, beta, tx)
			e3, ok3 := pnbdA0Term(b.rx, alpha, s, beta, tt)
			if !ok2 || !ok3 {
				out[5] = 1
				return
			}
			ref := max(e1.l, e2.l)
			v1 := math.Exp(e1.l - ref)
			v2 := math.Exp(e2.l - ref)
			v3 := math.Exp(e3.l - ref)
			diff := max(v2-v3, 0) // F(t_x) ≥ F(T); guard rounding
			S := v1 + b.c*diff
			ll += w * (ref + math.Log(S))
			if wantGrad {
				k := w / S
				gr += k * (v1*e1.dr + b.dcr*diff + b.c*(v2*e2.dr-v3*e3.dr))
				gs += k * (v1*e1.ds + b.dcs*diff + b.c*(v2*e2.ds-v3*e3.ds))
				gal += k * (v1*e1.dal + b.c*(v2*e2.dal-v3*e3.dal))
				gbet += k * (v1*e1.dbet + b.c*(v2*e2.dbet-v3*e3.dbet))
			}
		}
		out[0], out[1], out[2], out[3], out[4] = ll, gr, gal, gs, gbet
	})
	if e.sums[5] != 0 {
		return math.NaN()
	}
	if wantGrad {
		copy(grad, e.sums[1:5])
	}
	return e.sums[0]
}

// FitParetoNBD fits the Pareto/NBD model to customers by maximum likelihood,
// optimising log-parameters with gonum's L-BFGS and the analytic gradient
// (the derivatives of ₂F₁ with respect to its parameters are summed along
// with its series), then polishing with Newton steps (see Fit). Customers with identical (x, t_x, T) are grouped;
// weights as for FitBGNBD.
//
// Errors are those of FitBGNBD.
func FitParetoNBD(cs []Customer, weights []float64, opts *FitOptions) (*Fit[ParetoNBD], error) {
	o, d, err := prepareRFT(cs, weights, opts)
	if err != nil {
		return nil, err
	}
	start := o.Start
	if start == nil {
		meanT := d.sumT / d.total
		start = []float64{1, startAlpha(d), 1, max(meanT, 1e-3)}
	}
	p := &problem{
		model: "Pareto/NBD", names: []string{"r", "alpha", "s", "beta"},
		ll:    (&pnbdEval{d: d, workers: o.Workers}).logLik,
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
	f := &Fit[ParetoNBD]{
		Model:     ParetoNBD{theta[0], theta[1], theta[2], theta[3]},
		LogLik:    ll,
		Customers: d.total,
		Rows:      len(d.w),
	}
	f.StdErr = ParetoNBD{se[0], se[1], se[2], se[3]}
	f.Iterations, f.Evaluations = st.MajorIterations, p.evals
	return f, nil
}

// PAlive returns the probability that a customer with history c is still
// active at the end of calibration (Fader & Hardie 2005, note 009):
//
//	P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀),
//
// the no-death term of the likelihood over the whole likelihood.
func (m ParetoNBD) PAlive(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	return m.pAlive(c)
}

func (m ParetoNBD) pAlive(c Customer) (float64, error) {
	if c.Recency == c.T {
		return 1, nil
	}
	rx := m.R + float64(c.Frequency)
	e1 := -rx*math.Log(m.Alpha+c.T) - m.S*math.Log(m.Beta+c.T)
	e2, ok2 := pnbdA0Term(rx, m.Alpha, m.S, m.Beta, c.Recency)
	e3, ok3 := pnbdA0Term(rx, m.Alpha, m.S, m.Beta, c.T)
	if !ok2 || !ok3 {
		return 0, fieldErr(-1, "z", "hypergeometric function did not converge", ErrNumerical)
	}
	// P = 1/(1 + c·(e^(ℓ₂−ℓ₁) − e^(ℓ₃−ℓ₁))).
	ratio := m.S / (rx + m.S) * math.Exp(e2.l-e1) * -math.Expm1(e3.l-e2.l)
	return 1 / (1 + max(ratio, 0)), nil
}

// ExpectedTransactions returns E[X(t)], the expected number of repeat
// purchases in the first t weeks after a new customer's first purchase
// (Schmittlein et al. 1987; Fader & Hardie 2005, note 009):
//
//	E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)],
//
// evaluated with expm1 so that s near 1 (limit rβ/α·ln(1+t/β)) is exact.
func (m ParetoNBD) ExpectedTransactions(t float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	return m.R * m.Beta / m.Alpha * powDiff(m.S-1, math.Log1p(t/m.Beta)), nil
}

// powDiff returns (1 − e^(−k·L))/k, and L in the limit k → 0.
func powDiff(k, l float64) float64 {
	if math.Abs(k*l) < 1e-300 {
		return l
	}
	return -math.Expm1(-k*l) / k
}

// ConditionalTransactions returns E[Y(t) | x, t_x, T], the expected number
// of purchases in the t weeks after the calibration end by a customer with
// history c (Fader & Hardie 2005, note 009):
//
//	E[Y(t)|x,t_x,T] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
func (m ParetoNBD) ConditionalTransactions(c Customer, t float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	pa, err := m.pAlive(c)
	if err != nil {
		return 0, err
	}
	rx := m.R + float64(c.Frequency)
	bT := m.Beta + c.T
	return rx * bT / (m.Alpha + c.T) * powDiff(m.S-1, math.Log1p(t/bT)) * pa, nil
}
