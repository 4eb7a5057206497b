package scorecard

import (
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogitOptions configures Logit. The zero value fits an unpenalised model
// like statsmodels' Logit; a nil *LogitOptions means the zero value.
type LogitOptions struct {
	// L2 is the ridge penalty λ >= 0: Logit minimises
	// -loglik(β) + λ/2 * Σ_{j>=1} β_j² (the intercept is not penalised),
	// the same objective as scikit-learn's LogisticRegression with C = 1/λ.
	// 0 means no penalty.
	L2 float64
	// MaxIter bounds the Newton iterations. 0 means 100.
	MaxIter int
	// Tol stops the iterations when the largest absolute component of the
	// gradient of the mean objective (objective / rows) is below it.
	// 0 means 1e-10.
	Tol float64
	// Names labels the columns in errors and in LogitResult.Names. nil means
	// "x1", "x2", ...
	Names []string
}

// LogitResult is a fitted logistic regression with the statistics that
// statsmodels' Logit summary reports. Index 0 of every coefficient slice is
// the intercept ("const"), index j the j-th column of the design matrix.
type LogitResult struct {
	Names  []string  // "const", then the column names
	Coef   []float64 // estimates β
	SE     []float64 // standard errors sqrt(diag(Cov))
	Z      []float64 // Wald statistics Coef/SE
	P      []float64 // two-sided p values 2*(1-Φ(|Z|))
	CILow  []float64 // 95% Wald interval Coef - 1.959964*SE
	CIHigh []float64 // 95% Wald interval Coef + 1.959964*SE
	// Cov is the covariance of the estimates: the inverse of the observed
	// information X'WX (+ λI on the slopes when L2 > 0).
	Cov        *mat.SymDense
	LogLik     float64 // log-likelihood at Coef (without the penalty)
	LLNull     float64 // log-likelihood of the intercept-only model
	LLR        float64 // likelihood-ratio statistic 2*(LogLik-LLNull)
	LLRPValue  float64 // chi-square(df = columns) survival of LLR
	PseudoR2   float64 // McFadden's 1 - LogLik/LLNull
	AIC        float64 // -2*LogLik + 2*(columns+1)
	BIC        float64 // -2*LogLik + ln(N)*(columns+1)
	N          int     // rows
	Iterations int     // Newton iterations used
	L2         float64 // penalty used
}

// Logit fits a logistic regression of bad (true = 1) on the columns of x (an
// intercept is added) by maximum likelihood, using the modified Newton method
// of gonum/optimize (Nocedal & Wright 2006, Numerical Optimization, alg. 3.3)
// with the exact gradient X'(μ-y) and Hessian X'WX, W = diag(μ(1-μ)) (McCullagh
// & Nelder 1989, Generalized Linear Models, §4.4). Standard errors come from
// the inverse of the observed information at the optimum, z = β/SE and
// p = 2(1-Φ(|z|)), as in statsmodels' Logit (Seabold & Perktold 2010).
//
// Rows are processed in fixed chunks of 8192 in parallel and the partial
// sums added in chunk order, so the result does not depend on GOMAXPROCS.
//
// Errors: ErrEmpty, ErrLength, ErrNonFinite (a NaN or Inf in x, as
// *FieldError naming the column), ErrOneClass, ErrSingular (a constant or
// collinear column), ErrSeparation (perfect separation without L2),
// ErrNotConverged, ErrOption.
func Logit(x mat.Matrix, bad []bool, opts *LogitOptions) (*LogitResult, error) {
	var o LogitOptions
	if opts != nil {
		o = *opts
	}
	if math.IsNaN(o.L2) || o.L2 < 0 || math.IsInf(o.L2, 0) {
		return nil, optErr("Logit.L2", "must be finite and non-negative")
	}
	if o.MaxIter < 0 {
		return nil, optErr("Logit.MaxIter", "must be non-negative")
	}
	if math.IsNaN(o.Tol) || o.Tol < 0 || math.IsInf(o.Tol, 0) {
		return nil, optErr("Logit.Tol", "must be finite and non-negative")
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100
	}
	if o.Tol == 0 {
		o.Tol = 1e-10
	}
	n, p := x.Dims()
	if n == 0 {
		return nil, &FieldError{Field: "x", Err: ErrEmpty}
	}
	if len(bad) != n {
		return nil, &FieldError{Field: "bad", Reason: "length differs from rows of x", Err: ErrLength}
	}
	names := make([]string, p+1)
	names[0] = "const"
	for j := range p {
		if j < len(o.Names) {
			names[j+1] = o.Names[j]
		} else {
			names[j+1] = "x" + strconv.Itoa(j+1)
		}
	}
	var raw []float64
	stride := p
	if d, ok := x.(*mat.Dense); ok {
		r := d.RawMatrix()
		raw, stride = r.Data, r.Stride
	} else {
		raw = make([]float64, n*p)
		for i := range n {
			for j := range p {
				raw[i*p+j] = x.At(i, j)
			}
		}
	}
	_, nb := countTarget(bad)
	if nb == 0 || nb == n {
		return nil, &FieldError{Field: "bad", Err: ErrOneClass}
	}
	for j := range p {
		first := raw[j]
		constant := true
		for i := range n {
			v := raw[i*stride+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &FieldError{Field: names[j+1], Reason: "row " + strconv.Itoa(i), Err: ErrNonFinite}
			}
			if v != first {
				constant = false
			}
		}
		if constant {
			return nil, &FieldError{Field: names[j+1], Reason: "constant column", Err: ErrSingular}
		}
	}
	lp := newLogitProblem(raw, n, p, stride, bad, o.L2)
	q := p + 1
	init := make([]float64, q)
	ybar := float64(nb) / float64(n)
	init[0] = math.Log(ybar / (1 - ybar))
	prob := optimize.Problem{
		Func: func(b []float64) float64 { f, _ := lp.fg(b); return f },
		Grad: func(g, b []float64) { _, gg := lp.fg(b); copy(g, gg) },
		Hess: func(h *mat.SymDense, b []float64) { lp.hess(h, b) },
	}
	settings := &optimize.Settings{
		GradientThreshold: o.Tol,
		MajorIterations:   o.MaxIter,
		Converger:         optimize.NeverTerminate{},
	}
	res, err := optimize.Minimize(prob, init, settings, &optimize.Newton{GradStopThreshold: o.Tol, Linesearcher: &roundingArmijo{}})
	if res == nil {
		return nil, &FieldError{Field: "Logit", Reason: "optimiser failed to start", Err: ErrNotConverged}
	}
	beta := res.X
	_, grad := lp.fg(beta)
	gmax := 0.0
	for _, g := range grad {
		gmax = math.Max(gmax, math.Abs(g))
	}
	if o.L2 == 0 && lp.separated(beta) {
		return nil, &FieldError{Field: "x", Reason: "every row is predicted with certainty; the MLE does not exist (use L2)", Err: ErrSeparation}
	}
	// Accept the optimiser's gradient stop, or a line-search stall at a point
	// whose gradient is already within 100*Tol (rounding floor).
	if (err != nil || res.Status != optimize.GradientThreshold) && !(gmax < 100*o.Tol) {
		return nil, &FieldError{Field: "Logit", Reason: "gradient not below tolerance (separation or too few iterations)", Err: ErrNotConverged}
	}
	for _, b := range beta {
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return nil, &FieldError{Field: "Logit", Err: ErrNotConverged}
		}
	}
	// Observed information on the sum scale.
	info := mat.NewSymDense(q, nil)
	lp.hess(info, beta)
	info.ScaleSym(float64(n), info)
	var chol mat.Cholesky
	if ok := chol.Factorize(info); !ok || chol.Cond() > 1e13 {
		return nil, &FieldError{Field: "x", Reason: "information matrix not invertible (collinear columns or separation)", Err: ErrSingular}
	}
	cov := mat.NewSymDense(q, nil)
	if err := chol.InverseTo(cov); err != nil {
		return nil, &FieldError{Field: "x", Reason: "information matrix not invertible", Err: ErrSingular}
	}
	r := &LogitResult{
		Names: names, Coef: slices.Clone(beta), Cov: cov, N: n,
		Iterations: res.MajorIterations, L2: o.L2,
		SE: make([]float64, q), Z: make([]float64, q), P: make([]float64, q),
		CILow: make([]float64, q), CIHigh: make([]float64, q),
	}
	const z975 = 1.959963984540054
	for j := range q {
		se := math.Sqrt(cov.At(j, j))
		r.SE[j] = se
		r.Z[j] = beta[j] / se
		r.P[j] = math.Erfc(math.Abs(r.Z[j]) / math.Sqrt2)
		r.CILow[j] = beta[j] - z975*se
		r.CIHigh[j] = beta[j] + z975*se
	}
	r.LogLik = -lp.nll(beta) * float64(n)
	r.LLNull = float64(nb)*math.Log(ybar) + float64(n-nb)*math.Log(1-ybar)
	r.LLR = 2 * (r.LogLik - r.LLNull)
	if p > 0 {
		r.LLRPValue = distuv.ChiSquared{K: float64(p)}.Survival(r.LLR)
	} else {
		r.LLRPValue = 1
	}
	r.PseudoR2 = 1 - r.LogLik/r.LLNull
	r.AIC = -2*r.LogLik + 2*float64(q)
	r.BIC = -2*r.LogLik + math.Log(float64(n))*float64(q)
	return r, nil
}

const logitChunk = 8192

// logitProblem evaluates the mean penalised negative log-likelihood, its
// gradient and Hessian in parallel over fixed row chunks.
type logitProblem struct {
	x         []float64
	n, p, str int
	bad       []bool
	l2        float64
	nchunk    int
	partF     []float64
	partG     []float64
	partH     []float64
	lastB     []float64
	lastF     float64
	lastG     []float64
	haveFG    bool
}

func newLogitProblem(x []float64, n, p, stride int, bad []bool, l2 float64) *logitProblem {
	nc := (n + logitChunk - 1) / logitChunk
	q := p + 1
	return &logitProblem{
		x: x, n: n, p: p, str: stride, bad: bad, l2: l2, nchunk: nc,
		partF: make([]float64, nc), partG: make([]float64, nc*q), partH: make([]float64, nc*q*q),
		lastG: make([]float64, q),
	}
}

// parallel runs fn(c) for every chunk c on GOMAXPROCS goroutines.
func parallel(nchunk int, fn func(c int)) {
	w := min(runtime.GOMAXPROCS(0), nchunk)
	if w <= 1 {
		for c := range nchunk {
			fn(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= nchunk {
					return
				}
				fn(c)
			}
		}()
	}
	wg.Wait()
}

func softplus(t float64) float64 {
	if t > 0 {
		return t + math.Log1p(math.Exp(-t))
	}
	return math.Log1p(math.Exp(t))
}

func sigmoid(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + math.Exp(-t))
	}
	e := math.Exp(t)
	return e / (1 + e)
}

func (lp *logitProblem) eta(b []float64, i int) float64 {
	row := lp.x[i*lp.str : i*lp.str+lp.p]
	e := b[0]
	for j, v := range row {
		e += b[j+1] * v
	}
	return e
}

func (lp *logitProblem) penalty(b []float64) float64 {
	s := 0.0
	for _, v := range b[1:] {
		s += v * v
	}
	return lp.l2 / 2 * s
}

// nll returns the mean unpenalised negative log-likelihood.
func (lp *logitProblem) nll(b []float64) float64 {
	f, _ := lp.fg(b)
	return f - lp.penalty(b)/float64(lp.n)
}

// fg returns the mean penalised objective and its gradient at b (cached).
func (lp *logitProblem) fg(b []float64) (float64, []float64) {
	if lp.haveFG && slices.Equal(b, lp.lastB) {
		return lp.lastF, lp.lastG
	}
	q := lp.p + 1
	parallel(lp.nchunk, func(c int) {
		lo, hi := c*logitChunk, min((c+1)*logitChunk, lp.n)
		g := lp.partG[c*q : (c+1)*q]
		clear(g)
		f := 0.0
		for i := lo; i < hi; i++ {
			e := lp.eta(b, i)
			y := 0.0
			if lp.bad[i] {
				y = 1
			}
			f += softplus(e) - y*e
			r := sigmoid(e) - y
			g[0] += r
			row := lp.x[i*lp.str : i*lp.str+lp.p]
			for j, v := range row {
				g[j+1] += r * v
			}
		}
		lp.partF[c] = f
	})
	inv := 1 / float64(lp.n)
	f := 0.0
	clear(lp.lastG)
	for c := range lp.nchunk {
		f += lp.partF[c]
		for j, v := range lp.partG[c*q : (c+1)*q] {
			lp.lastG[j] += v
		}
	}
	f = f*inv + lp.penalty(b)*inv
	for j := range lp.lastG {
		lp.lastG[j] *= inv
		if j > 0 {
			lp.lastG[j] += lp.l2 * b[j] * inv
		}
	}
	lp.lastB = append(lp.lastB[:0], b...)
	lp.lastF = f
	lp.haveFG = true
	return f, lp.lastG
}

// hess writes the Hessian of the mean penalised objective at b into h.
func (lp *logitProblem) hess(h *mat.SymDense, b []float64) {
	q := lp.p + 1
	parallel(lp.nchunk, func(c int) {
		lo, hi := c*logitChunk, min((c+1)*logitChunk, lp.n)
		H := lp.partH[c*q*q : (c+1)*q*q]
		clear(H)
		for i := lo; i < hi; i++ {
			mu := sigmoid(lp.eta(b, i))
			w := mu * (1 - mu)
			row := lp.x[i*lp.str : i*lp.str+lp.p]
			H[0] += w
			for j, vj := range row {
				wj := w * vj
				H[j+1] += wj
				hr := H[(j+1)*q : (j+2)*q]
				for k := j; k < len(row); k++ {
					hr[k+1] += wj * row[k]
				}
			}
		}
	})
	inv := 1 / float64(lp.n)
	for j := range q {
		for k := j; k < q; k++ {
			s := 0.0
			for c := range lp.nchunk {
				s += lp.partH[c*q*q+j*q+k]
			}
			s *= inv
			if j == k && j > 0 {
				s += lp.l2 * inv
			}
			h.SetSym(j, k, s)
		}
	}
}

// roundingArmijo is an optimize.Linesearcher for Newton's method: Armijo
// backtracking (Nocedal & Wright 2006, alg. 3.1; halving, c = 1e-4) that
// also accepts a step when the objective change is within rounding error
// of zero and the directional derivative has shrunk. Near the optimum of a
// convex objective the Newton step's decrease, about ½g'H⁻¹g, falls below
// the rounding of f, and a pure Armijo or Wolfe test would then reject the
// exact step; this guard keeps the quadratic convergence down to a
// gradient of order 1e-15.
type roundingArmijo struct {
	f0, g0, step float64
}

// Init starts a line search (optimize.Linesearcher).
func (r *roundingArmijo) Init(value, derivative, step float64) optimize.Operation {
	r.f0, r.g0, r.step = value, derivative, step
	return optimize.FuncEvaluation | optimize.GradEvaluation
}

// Iterate accepts or halves the step (optimize.Linesearcher).
func (r *roundingArmijo) Iterate(value, derivative float64) (optimize.Operation, float64, error) {
	if optimize.ArmijoConditionMet(value, r.f0, r.g0, r.step, 1e-4) {
		return optimize.MajorIteration, r.step, nil
	}
	noise := 64 * 0x1p-52 * math.Max(1, math.Abs(r.f0))
	if value <= r.f0+noise && math.Abs(derivative) < math.Abs(r.g0) {
		return optimize.MajorIteration, r.step, nil
	}
	r.step /= 2
	if r.step < 1e-20 {
		return optimize.NoOperation, 0, optimize.ErrLinesearcherFailure
	}
	return optimize.FuncEvaluation | optimize.GradEvaluation, r.step, nil
}

// separated reports perfect separation: every fitted probability within
// 1e-6 of its outcome (the check statsmodels' Logit makes before raising
// PerfectSeparationError).
func (lp *logitProblem) separated(b []float64) bool {
	for i := range lp.n {
		y := 0.0
		if lp.bad[i] {
			y = 1
		}
		if math.Abs(sigmoid(lp.eta(b, i))-y) > 1e-6 {
			return false
		}
	}
	return true
}
