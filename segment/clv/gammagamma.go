package clv

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma is the gamma-gamma model of spend per transaction of Colombo &
// Jiang (1999), "A stochastic RFM model", Journal of Interactive Marketing
// 13(3):2-12, as used by Fader, Hardie & Lee (2005), "RFM and CLV: using
// iso-value curves for customer base analysis", Journal of Marketing
// Research 42(4):415-430, and Fader & Hardie (2013), "The gamma-gamma model
// of monetary value".
//
// A customer's transaction values are Gamma(P, ν) (shape P, rate ν) around
// her mean P/ν, and ν ~ Gamma(Q, Gamma) across customers (shape Q, rate
// Gamma). Spend is assumed independent of the transaction process.
type GammaGamma struct {
	P, Q, Gamma float64
}

// Validate reports whether every parameter is finite and positive.
func (m GammaGamma) Validate() error {
	return checkParams([]float64{m.P, m.Q, m.Gamma}, []string{"p", "q", "gamma"})
}

// LogLikelihood returns the log-density of a repeat customer's mean spend
// m̄ = c.Spend over x = c.Frequency transactions (Fader & Hardie 2013,
// "The gamma-gamma model of monetary value"):
//
//	f(m̄|p,q,γ,x) = Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ+m̄x)^(px+q).
//
// A customer without repeat purchases or with zero spend carries no
// information and gets ErrCustomer.
func (m GammaGamma) LogLikelihood(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	if err := c.validateSpend(-1); err != nil {
		return 0, err
	}
	if c.Frequency == 0 || c.Spend == 0 {
		return 0, fieldErr(-1, "Spend", "no positive repeat spend", ErrCustomer)
	}
	d := newGGData([]int{c.Frequency}, []float64{c.Spend}, []float64{1})
	return ggLogLik(d, []float64{m.P, m.Q, m.Gamma}, nil), nil
}

// ggData holds distinct (x, m̄) rows with summed weights, sorted by x then
// m̄, with ln m̄ and ln x precomputed.
type ggData struct {
	m, lnM, w []float64
	blocks    []xBlock
	total     float64
	sumM      float64 // Σ w·m̄
}

func newGGData(xs []int, ms, ws []float64) *ggData {
	type key struct {
		x int
		m float64
	}
	index := make(map[key]int, len(xs))
	var keys []key
	var sums []float64
	for i := range xs {
		k := key{xs[i], ms[i]}
		j, ok := index[k]
		if !ok {
			j = len(keys)
			index[k] = j
			keys = append(keys, k)
			sums = append(sums, 0)
		}
		sums[j] += ws[i]
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(keys[i].x, keys[j].x), cmp.Compare(keys[i].m, keys[j].m))
	})
	d := &ggData{}
	for r, j := range order {
		k := keys[j]
		d.m = append(d.m, k.m)
		d.lnM = append(d.lnM, math.Log(k.m))
		d.w = append(d.w, sums[j])
		if len(d.blocks) == 0 || d.blocks[len(d.blocks)-1].x != k.x {
			d.blocks = append(d.blocks, xBlock{x: k.x, start: r})
		}
		d.blocks[len(d.blocks)-1].end = r + 1
		d.total += sums[j]
		d.sumM += sums[j] * k.m
	}
	return d
}

// ggLogLik returns Σ w·ln f over the rows of d and, when grad is not nil,
// writes ∂/∂(p, q, γ) into it.
func ggLogLik(d *ggData, theta, grad []float64) float64 {
	p, q, g := theta[0], theta[1], theta[2]
	lgq, _ := math.Lgamma(q)
	lnG := math.Log(g)
	psiQ := 0.0
	if grad != nil {
		psiQ = mathext.Digamma(q)
	}
	var ll, gp, gq, gg float64
	for _, blk := range d.blocks {
		x := float64(blk.x)
		lnX := math.Log(x)
		px := p * x
		lgpxq, _ := math.Lgamma(px + q)
		lgpx, _ := math.Lgamma(px)
		var sw, swLnM, swL, swInv float64
		for i := blk.start; i < blk.end; i++ {
			w := d.w[i]
			gm := g + d.m[i]*x
			sw += w
			swLnM += w * d.lnM[i]
			swL += w * math.Log(gm)
			swInv += w / gm
		}
		ll += sw*(lgpxq-lgpx-lgq+q*lnG+px*lnX) + (px-1)*swLnM - (px+q)*swL
		if grad != nil {
			psiPXQ := mathext.Digamma(px + q)
			gp += x * (sw*(psiPXQ-mathext.Digamma(px)+lnX) + swLnM - swL)
			gq += sw*(psiPXQ-psiQ+lnG) - swL
			gg += sw*q/g - (px+q)*swInv
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp, gq, gg
	}
	return ll
}

// FitGammaGamma fits the gamma-gamma spend model by maximum likelihood on
// the customers with repeat purchases, optimising log-parameters with
// gonum's L-BFGS and the analytic gradient. Customers without repeat
// purchases carry no spend information and are skipped; repeat customers
// whose Spend is zero (all repeat purchases free) are skipped and counted
// in Fit.Excluded. weights as for FitBGNBD.
//
// It returns ErrEmpty without customers, ErrNoRepeaters when no customer
// has a repeat purchase with positive spend, a FieldError (ErrCustomer)
// for a negative or non-finite Spend, and a FitError when the optimum is
// not finite (ErrNotIdentified when fewer than two distinct mean spends
// remain: the likelihood is then unbounded).
func FitGammaGamma(cs []Customer, weights []float64, opts *FitOptions) (*Fit[GammaGamma], error) {
	o, err := checkFitOptions(opts, 3)
	if err != nil {
		return nil, err
	}
	if err := validateWeights(len(cs), weights); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, ErrEmpty
	}
	var xs []int
	var ms, ws []float64
	excluded, anyW := 0.0, false
	for i := range cs {
		c := &cs[i]
		if err := c.validate(i); err != nil {
			return nil, err
		}
		if err := c.validateSpend(i); err != nil {
			return nil, err
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if w == 0 {
			continue
		}
		anyW = true
		if c.Frequency == 0 {
			continue
		}
		if c.Spend == 0 {
			excluded += w
			continue
		}
		xs = append(xs, c.Frequency)
		ms = append(ms, c.Spend)
		ws = append(ws, w)
	}
	if !anyW {
		return nil, ErrEmpty
	}
	if len(xs) == 0 {
		return nil, ErrNoRepeaters
	}
	d := newGGData(xs, ms, ws)
	if math.IsInf(d.total, 0) || math.IsInf(d.sumM, 0) {
		return nil, fieldErr(-1, "weights", "sum overflows", ErrWeight)
	}
	if distinctSpends(d) < 2 {
		// One mean spend: the density can be made arbitrarily peaked
		// there, so the likelihood has no maximum.
		return nil, &FitError{Model: "Gamma-Gamma", Reason: "fewer than two distinct mean spends", Err: ErrNotIdentified}
	}
	start := o.Start
	if start == nil {
		start = []float64{1, 2, max(d.sumM/d.total, 1e-6)}
	}
	p := &problem{
		model: "Gamma-Gamma", names: []string{"p", "q", "gamma"},
		ll:    func(th, g []float64) float64 { return ggLogLik(d, th, g) },
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
	f := &Fit[GammaGamma]{
		Model:     GammaGamma{theta[0], theta[1], theta[2]},
		LogLik:    ll,
		Customers: d.total,
		Excluded:  excluded,
		Rows:      len(d.w),
	}
	f.StdErr = GammaGamma{se[0], se[1], se[2]}
	f.Iterations, f.Evaluations = st.MajorIterations, p.evals
	return f, nil
}

func distinctSpends(d *ggData) int {
	n := 0
	for i, m := range d.m {
		if i == 0 || m != d.m[0] {
			n++
		}
		if n >= 2 {
			break
		}
	}
	return n
}

// MeanSpend returns the population mean spend per transaction,
// E[Z] = pγ/(q−1). It needs q > 1 (otherwise the mean is infinite) and
// returns ErrParameter if not.
func (m GammaGamma) MeanSpend() (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.Q <= 1 {
		return 0, fieldErr(-1, "q", "at most 1: mean spend is infinite", ErrParameter)
	}
	return m.P * m.Gamma / (m.Q - 1), nil
}

// ExpectedSpend returns a customer's expected spend per transaction given
// her x repeat purchases with mean m̄ (Fader, Hardie & Lee 2005, "RFM and
// CLV"; Fader & Hardie 2013):
//
//	E[M | p,q,γ,m̄,x] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄
//	                 = p(γ + m̄x)/(px+q−1),
//
// a weighted average of the population mean and her own mean; for x = 0
// it is the population mean. A repeat customer with zero Spend (left out of
// FitGammaGamma) gets pγ/(px+q−1), below the population mean. It needs
// q > 1.
func (m GammaGamma) ExpectedSpend(c Customer) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.Q <= 1 {
		return 0, fieldErr(-1, "q", "at most 1: mean spend is infinite", ErrParameter)
	}
	if err := c.validate(-1); err != nil {
		return 0, err
	}
	if err := c.validateSpend(-1); err != nil {
		return 0, err
	}
	px := m.P * float64(c.Frequency)
	return m.P * (m.Gamma + c.Spend*float64(c.Frequency)) / (px + m.Q - 1), nil
}
