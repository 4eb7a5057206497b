package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// testCustomers is a small population covering x = 0, t_x = T, t_x = 0
// with x > 0, and large x.
var testCustomers = []Customer{
	{Frequency: 0, T: 38.86},
	{Frequency: 0, T: 30},
	{Frequency: 2, Recency: 30.43, T: 38.86, Spend: 22.35},
	{Frequency: 1, Recency: 1.71, T: 38.86, Spend: 11.77},
	{Frequency: 3, Recency: 12, T: 12, Spend: 5},
	{Frequency: 1, Recency: 0, T: 20, Spend: 40},
	{Frequency: 29, Recency: 37.5, T: 39, Spend: 80.5},
	{Frequency: 6, Recency: 10.2, T: 33.1, Spend: 18},
}

// checkGradient compares an analytic gradient with central differences.
func checkGradient(t *testing.T, name string, ll logLikFunc, theta []float64) {
	t.Helper()
	g := make([]float64, len(theta))
	ll(theta, g)
	x := make([]float64, len(theta))
	for j := range theta {
		h := 1e-6 * theta[j]
		copy(x, theta)
		x[j] = theta[j] + h
		fp := ll(x, nil)
		x[j] = theta[j] - h
		fm := ll(x, nil)
		num := (fp - fm) / (2 * h)
		if math.Abs(g[j]-num) > 1e-5*math.Max(1, math.Abs(num)) {
			t.Errorf("%s θ=%v: ∂ℓ/∂θ%d = %.10g, numerical %.10g", name, theta, j, g[j], num)
		}
	}
}

func TestGradients(t *testing.T) {
	d, err := groupRFT(testCustomers, nil)
	if err != nil {
		t.Fatal(err)
	}
	bg := (&bgnbdEval{d: d, workers: 1}).logLik
	pn := (&pnbdEval{d: d, workers: 1}).logLik
	for _, th := range [][]float64{{0.243, 4.414, 0.793, 2.426}, {2, 0.5, 3, 0.2}, {0.05, 40, 0.1, 9}} {
		checkGradient(t, "BG/NBD", bg, th)
	}
	for _, th := range [][]float64{
		{0.553, 10.578, 0.606, 11.668}, // α < β
		{0.553, 11.668, 0.606, 10.578}, // α > β
		{1.2, 5, 1, 5},                 // α = β
		{0.3, 200, 2.5, 0.5},           // z near 1: continued fraction
		{3, 0.5, 0.2, 300},
	} {
		checkGradient(t, "Pareto/NBD", pn, th)
	}
	var xs []int
	var ms, ws []float64
	for _, c := range testCustomers {
		if c.Frequency > 0 {
			xs, ms, ws = append(xs, c.Frequency), append(ms, c.Spend), append(ws, 1)
		}
	}
	gd := newGGData(xs, ms, ws)
	gg := func(th, g []float64) float64 { return ggLogLik(gd, th, g) }
	for _, th := range [][]float64{{6.25, 3.74, 15.44}, {0.5, 1.5, 100}} {
		checkGradient(t, "Gamma-Gamma", gg, th)
	}
}

// Pareto/NBD likelihood against its integral form (Fader & Hardie 2005,
// note 009): L = Γ(r+x)α^r β^s/Γ(r) · [(α+T)^−(r+x) (β+T)^−s
// + s ∫_{t_x}^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ], integrated by Gauss-Legendre.
func TestParetoNBDLikelihoodIntegral(t *testing.T) {
	for _, m := range []ParetoNBD{
		{0.553, 10.578, 0.606, 11.668},
		{0.553, 11.668, 0.606, 10.578},
		{1.2, 5, 1, 5},
		{0.3, 200, 2.5, 0.5},
		{3, 0.5, 0.2, 300},
	} {
		for _, c := range testCustomers {
			got, err := m.LogLikelihood(c)
			if err != nil {
				t.Fatal(err)
			}
			rx := m.R + float64(c.Frequency)
			lg1, _ := math.Lgamma(rx)
			lg2, _ := math.Lgamma(m.R)
			pre := lg1 - lg2 + m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta)
			integral := quad.Fixed(func(tau float64) float64 {
				return math.Exp(-rx*math.Log(m.Alpha+tau) - (m.S+1)*math.Log(m.Beta+tau))
			}, c.Recency, c.T, 200, nil, 0)
			if c.Recency == c.T {
				integral = 0
			}
			want := pre + math.Log(math.Exp(-rx*math.Log(m.Alpha+c.T)-m.S*math.Log(m.Beta+c.T))+m.S*integral)
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%+v %+v: ℓ = %.12g, integral form %.12g", m, c, got, want)
			}
		}
	}
}

// BG/NBD likelihood against its two-term form evaluated naively.
func TestBGNBDLikelihoodDirect(t *testing.T) {
	m := BGNBD{0.243, 4.414, 0.793, 2.426}
	lb := func(a, b float64) float64 {
		x, _ := math.Lgamma(a)
		y, _ := math.Lgamma(b)
		z, _ := math.Lgamma(a + b)
		return x + y - z
	}
	for _, c := range testCustomers {
		got, err := m.LogLikelihood(c)
		if err != nil {
			t.Fatal(err)
		}
		x := float64(c.Frequency)
		g1, _ := math.Lgamma(m.R + x)
		g2, _ := math.Lgamma(m.R)
		common := g1 - g2 + m.R*math.Log(m.Alpha)
		l := math.Exp(lb(m.A, m.B+x) - lb(m.A, m.B) - (m.R+x)*math.Log(m.Alpha+c.T))
		if c.Frequency > 0 {
			l += math.Exp(lb(m.A+1, m.B+x-1) - lb(m.A, m.B) - (m.R+x)*math.Log(m.Alpha+c.Recency))
		}
		if want := common + math.Log(l); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("%+v: ℓ = %.15g, direct %.15g", c, got, want)
		}
	}
}

// Gamma-Gamma density integrates to 1 over the mean spend.
func TestGammaGammaDensity(t *testing.T) {
	m := GammaGamma{6.25, 3.74, 15.44}
	for _, x := range []int{1, 2, 7} {
		f := func(u float64) float64 { // m̄ = u/(1−u)
			if u <= 0 || u >= 1 {
				return 0
			}
			mb := u / (1 - u)
			l, err := m.LogLikelihood(Customer{Frequency: x, Recency: 1, T: 2, Spend: mb})
			if err != nil {
				t.Fatal(err)
			}
			return math.Exp(l) / ((1 - u) * (1 - u))
		}
		if got := quad.Fixed(f, 0, 1, 2000, nil, 0); math.Abs(got-1) > 1e-6 {
			t.Errorf("x=%d: density integrates to %v", x, got)
		}
	}
}

// paretoPath draws a Pareto/NBD customer: purchase rate, death time and
// repeat purchase times up to horizon.
func paretoPath(rng *rand.Rand, m ParetoNBD, horizon float64) []float64 {
	lam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}.Rand()
	mu := distuv.Gamma{Alpha: m.S, Beta: m.Beta, Src: rng}.Rand()
	death := rng.ExpFloat64() / mu
	var ts []float64
	for t := rng.ExpFloat64() / lam; t <= min(death, horizon); t += rng.ExpFloat64() / lam {
		ts = append(ts, t)
	}
	return ts
}

// bgPath draws a BG/NBD customer's repeat purchase times up to horizon.
func bgPath(rng *rand.Rand, m BGNBD, horizon float64) []float64 {
	lam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}.Rand()
	p := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rng}.Rand()
	var ts []float64
	for t := rng.ExpFloat64() / lam; t <= horizon; t += rng.ExpFloat64() / lam {
		ts = append(ts, t)
		if rng.Float64() < p {
			break
		}
	}
	return ts
}

// summarizePath splits purchase times at T into a calibration summary and
// a holdout count.
func summarizePath(ts []float64, T float64) Customer {
	c := Customer{T: T}
	for _, t := range ts {
		if t <= T {
			c.Frequency++
			c.Recency = t
		} else {
			c.Holdout++
		}
	}
	return c
}

// The models' expectations against Monte Carlo draws from their own
// generative processes: E[X(t)] against the mean count, and Σ E[Y(t*)|·]
// against the total holdout count. Seeds are fixed, tolerances are four
// standard errors.
func TestExpectationsMonteCarlo(t *testing.T) {
	const n = 40000
	const T, hold = 39.0, 39.0
	bg := BGNBD{0.243, 4.414, 0.793, 2.426}
	pn := ParetoNBD{0.553, 10.578, 0.606, 11.668}
	models := []struct {
		name string
		f    Forecaster
		ex   func(float64) (float64, error)
		path func(*rand.Rand, float64) []float64
	}{
		{"BG/NBD", bg, bg.ExpectedTransactions, func(r *rand.Rand, h float64) []float64 { return bgPath(r, bg, h) }},
		{"Pareto/NBD", pn, pn.ExpectedTransactions, func(r *rand.Rand, h float64) []float64 { return paretoPath(r, pn, h) }},
	}
	for _, md := range models {
		rng := rand.New(rand.NewPCG(7, 11))
		var sum, sum2, hSum, hSum2, pred float64
		for range n {
			c := summarizePath(md.path(rng, T+hold), T)
			x := float64(c.Frequency)
			sum += x
			sum2 += x * x
			y, err := md.f.ConditionalTransactions(c, hold)
			if err != nil {
				t.Fatal(err)
			}
			pred += y
			h := float64(c.Holdout)
			hSum += h - y
			hSum2 += (h - y) * (h - y)
		}
		want, err := md.ex(T)
		if err != nil {
			t.Fatal(err)
		}
		mean := sum / n
		se := math.Sqrt((sum2/n - mean*mean) / n)
		if math.Abs(mean-want) > 4*se {
			t.Errorf("%s: E[X(%v)] = %.4f, simulated mean %.4f ± %.4f", md.name, T, want, mean, se)
		}
		// Holdout purchases minus their conditional expectations have
		// mean zero.
		hse := math.Sqrt(hSum2) // sd of the total, residuals are independent
		if math.Abs(hSum) > 4*hse {
			t.Errorf("%s: Σ holdout − Σ E[Y] = %.1f, sd %.1f (predicted %.1f)", md.name, hSum, hse, pred)
		}
	}
}

// Fitting draws of the BG/NBD process recovers the parameters.
func TestBGNBDRecovery(t *testing.T) {
	cs := simulateBGNBD(t, cdnowBG, 30000, 3)
	f, err := FitBGNBD(cs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{cdnowBG.R, cdnowBG.Alpha, cdnowBG.A, cdnowBG.B}
	got := []float64{f.Model.R, f.Model.Alpha, f.Model.A, f.Model.B}
	se := []float64{f.StdErr.R, f.StdErr.Alpha, f.StdErr.A, f.StdErr.B}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 4*se[i] {
			t.Errorf("parameter %d: %.4f ± %.4f, true %.4f", i, got[i], se[i], want[i])
		}
	}
}

// Results are identical for any number of workers and on repeated runs.
func TestFitDeterministic(t *testing.T) {
	cs := simulateBGNBD(t, cdnowBG, 3*chunkRows, 5) // several chunks
	var first *Fit[BGNBD]
	var firstP *Fit[ParetoNBD]
	for _, w := range []int{1, 3, 1} {
		f, err := FitBGNBD(cs, nil, &FitOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		p, err := FitParetoNBD(cs, nil, &FitOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first, firstP = f, p
			continue
		}
		if *f != *first || *p != *firstP {
			t.Errorf("workers %d: %+v %+v, want %+v %+v", w, f, p, first, firstP)
		}
	}
}

// Repeating a customer k times and giving her weight k are the same data
// after grouping, so the fits are identical.
func TestWeightsEqualRepetition(t *testing.T) {
	base := simulateBGNBD(t, cdnowBG, 2000, 4)
	var rep []Customer
	var ws []float64
	for i, c := range base {
		k := 1 + i%4
		for range k {
			rep = append(rep, c)
		}
		ws = append(ws, float64(k))
	}
	a, err := FitBGNBD(rep, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitBGNBD(base, ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *a != *b {
		t.Errorf("repeated %+v, weighted %+v", a, b)
	}
}

// simulateSpend gives each repeat customer a mean spend drawn from the
// Gamma-Gamma process: ν ~ Gamma(q, γ), each of x transactions ~ Gamma(p, ν).
func simulateSpend(rng *rand.Rand, m GammaGamma, cs []Customer) {
	for i := range cs {
		if cs[i].Frequency == 0 {
			continue
		}
		nu := distuv.Gamma{Alpha: m.Q, Beta: m.Gamma, Src: rng}.Rand()
		// The sum of x Gamma(p, ν) draws is Gamma(px, ν).
		sum := distuv.Gamma{Alpha: m.P * float64(cs[i].Frequency), Beta: nu, Src: rng}.Rand()
		cs[i].Spend = sum / float64(cs[i].Frequency)
	}
}

func TestGammaGammaRecovery(t *testing.T) {
	want := GammaGamma{6.25, 3.74, 15.44}
	cs := simulateBGNBD(t, cdnowBG, 30000, 8)
	simulateSpend(rand.New(rand.NewPCG(2, 3)), want, cs)
	f, err := FitGammaGamma(cs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []float64{f.Model.P, f.Model.Q, f.Model.Gamma}
	se := []float64{f.StdErr.P, f.StdErr.Q, f.StdErr.Gamma}
	for i, w := range []float64{want.P, want.Q, want.Gamma} {
		if math.Abs(got[i]-w) > 4*se[i] {
			t.Errorf("parameter %d: %.4f ± %.4f, true %.4f", i, got[i], se[i], w)
		}
	}
}

// A penalty shrinks the parameters.
func TestPenalty(t *testing.T) {
	cs := simulateBGNBD(t, cdnowBG, 5000, 9)
	plain, err := FitBGNBD(cs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pen, err := FitBGNBD(cs, nil, &FitOptions{Penalty: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	n2 := func(m BGNBD) float64 { return m.R*m.R + m.Alpha*m.Alpha + m.A*m.A + m.B*m.B }
	if !(n2(pen.Model) < n2(plain.Model)) || !(pen.LogLik < plain.LogLik) {
		t.Errorf("penalised %+v (ℓ %v) vs plain %+v (ℓ %v)", pen.Model, pen.LogLik, plain.Model, plain.LogLik)
	}
}
