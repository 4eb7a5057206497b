package clv

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// FitOptions controls a maximum-likelihood fit. A nil *FitOptions and the
// zero value both mean: no penalty, data-driven starting values, at most
// 300 optimiser iterations, GOMAXPROCS workers.
type FitOptions struct {
	// Penalty is the coefficient λ ≥ 0 of an L2 penalty on the natural
	// parameters θ: the fit minimises −ℓ(θ)/N + λ·Σθ_j², where ℓ is the
	// log-likelihood and N the number (total weight) of customers. This is
	// the scale of the penalizer_coef of the lifetimes library. Zero: plain
	// maximum likelihood.
	Penalty float64
	// Start holds starting values of the natural parameters in the model's
	// order: r, α, a, b for BG/NBD; r, α, s, β for Pareto/NBD; p, q, γ for
	// Gamma-Gamma. Nil: starting values derived from the data.
	Start []float64
	// MaxIterations caps the optimiser's major iterations (and, at four
	// times this, likelihood evaluations). Zero: 300. Well-posed fits
	// take 20 to 40.
	MaxIterations int
	// Workers is the number of goroutines that evaluate the BG/NBD and
	// Pareto/NBD likelihoods (Gamma-Gamma sums serially). Zero:
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
}

// Fit is the result of a maximum-likelihood fit of model M (BGNBD,
// ParetoNBD or GammaGamma).
//
// The fit runs L-BFGS (Nocedal 1980; gonum optimize.LBFGS with a
// Moré-Thuente line search) on log-parameters until the gradient per
// customer is below 1e-7, then takes up to three Newton steps with the
// Hessian below, each kept only if it shrinks the gradient: in floating
// point a line search cannot resolve the last digits of a flat likelihood
// (Pareto/NBD is nearly flat in β), while Newton steps use the gradient
// alone.
//
// Standard errors are the square roots of the diagonal of the inverse of
// the Hessian of the (penalised) negative log-likelihood at the estimate,
// the Hessian computed by central differences of the analytic gradient. A
// fit whose Hessian is not positive definite (a flat likelihood, as with a
// single customer) is reported as ErrNotIdentified rather than returned.
type Fit[M any] struct {
	// Model holds the estimated parameters.
	Model M
	// StdErr holds the standard error of each parameter in the same layout
	// as Model.
	StdErr M
	// LogLik is the maximised log-likelihood ℓ(θ̂) summed over customers,
	// without the penalty.
	LogLik float64
	// Customers is the number (total weight) of customers the fit used.
	Customers float64
	// Excluded is the number (total weight) of customers left out: for
	// Gamma-Gamma, repeat customers whose spend is zero; 0 for the
	// transaction models.
	Excluded float64
	// Rows is the number of distinct rows after grouping identical
	// customers.
	Rows int
	// Iterations and Evaluations are the optimiser's major iterations and
	// log-likelihood evaluations.
	Iterations, Evaluations int
}

// logLikFunc evaluates the summed log-likelihood at natural parameters
// theta and writes ∂ℓ/∂θ into grad. It returns NaN or ±Inf where the
// evaluation breaks down numerically.
type logLikFunc func(theta, grad []float64) float64

// Bounds on log-parameters. Outside ±maxLogParam the objective is +Inf; an
// estimate beyond ±divergedLogParam, or a search that stalls without
// converging beyond ±driftLogParam, is reported as not identified.
const (
	maxLogParam      = 40
	divergedLogParam = 23 // θ outside [1e-10, 1e10]
	driftLogParam    = 12 // θ outside [6e-6, 1.6e5] when the search stalls
)

// problem is a maximum-likelihood problem in log-parameters u = log θ.
type problem struct {
	model   string
	names   []string
	ll      logLikFunc
	total   float64 // N, the total weight
	penalty float64

	theta, g []float64
	lastU    []float64
	lastF    float64
	lastG    []float64
	evals    int
}

// eval computes the objective f(u) = −ℓ(θ)/N + λΣθ² and its gradient in u,
// caching the last point because gonum asks for f and ∇f separately.
func (p *problem) eval(u []float64) (float64, []float64) {
	if p.lastU != nil && equalSlices(u, p.lastU) {
		return p.lastF, p.lastG
	}
	n := len(u)
	if p.lastU == nil {
		p.lastU = make([]float64, n)
		p.lastG = make([]float64, n)
		p.theta = make([]float64, n)
		p.g = make([]float64, n)
	}
	copy(p.lastU, u)
	f := math.Inf(1)
	for i := range p.lastG {
		p.lastG[i] = 0
	}
	ok := true
	for i, v := range u {
		if math.IsNaN(v) || math.Abs(v) > maxLogParam {
			ok = false
			break
		}
		p.theta[i] = math.Exp(v)
	}
	if ok {
		p.evals++
		ll := p.ll(p.theta, p.g)
		pen := 0.0
		for _, th := range p.theta {
			pen += th * th
		}
		f = -ll/p.total + p.penalty*pen
		for i, th := range p.theta {
			p.lastG[i] = th * (-p.g[i]/p.total + 2*p.penalty*th)
			if math.IsNaN(p.lastG[i]) || math.IsInf(p.lastG[i], 0) {
				f = math.Inf(1)
			}
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			f = math.Inf(1)
			for i := range p.lastG {
				p.lastG[i] = 0
			}
		}
	}
	p.lastF = f
	return f, p.lastG
}

func equalSlices(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// gradTol is the gradient threshold (infinity norm, per customer, in
// log-parameters) at which the quasi-Newton search stops. Below about
// 1e-8 the objective's rounding hides further progress from a line search,
// so the estimate is then polished by Newton steps on the gradient alone
// (see finish). acceptTol is the largest gradient accepted when the line
// search stops early.
const (
	gradTol   = 1e-7
	acceptTol = 1e-5
)

// maximize fits the problem from start (natural parameters) with gonum's
// L-BFGS (Moré-Thuente line search) in log-parameters and returns the
// estimate and the optimiser statistics.
func (p *problem) maximize(start []float64, maxIter int) ([]float64, optimize.Stats, error) {
	if maxIter == 0 {
		maxIter = 300
	}
	u0 := make([]float64, len(start))
	for i, v := range start {
		u0[i] = math.Log(v)
	}
	prob := optimize.Problem{
		Func: func(u []float64) float64 {
			f, _ := p.eval(u)
			return f
		},
		Grad: func(grad, u []float64) {
			_, g := p.eval(u)
			copy(grad, g)
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: gradTol,
		MajorIterations:   maxIter,
		FuncEvaluations:   4 * maxIter,
		Converger:         &optimize.FunctionConverge{Relative: 1e-15, Iterations: 5},
	}
	if f, _ := p.eval(u0); math.IsInf(f, 1) {
		return nil, optimize.Stats{}, &FitError{Model: p.model, Reason: "log-likelihood not finite at the starting values", Err: ErrNotConverged}
	}
	res, err := optimize.Minimize(prob, u0, settings, &optimize.LBFGS{Linesearcher: &optimize.MoreThuente{}})
	if res == nil {
		return nil, optimize.Stats{}, &FitError{Model: p.model, Reason: err.Error(), Err: ErrNotConverged}
	}
	u := res.X
	f, g := p.eval(u)
	for i, v := range u {
		if math.Abs(v) > divergedLogParam {
			return nil, res.Stats, &FitError{Model: p.model, Parameter: p.names[i], Reason: "estimate runs off to 0 or infinity", Err: ErrNotIdentified}
		}
	}
	if math.IsInf(f, 0) || math.IsNaN(f) || !(maxAbs(g) <= acceptTol) {
		reason := res.Status.String()
		if err != nil {
			reason = err.Error()
		}
		// A search that stalls far out on a ray usually chases a supremum
		// at the boundary (for example p → ∞, γ → 0 in Gamma-Gamma).
		far, j := 0.0, -1
		for i, v := range u {
			if math.Abs(v) > driftLogParam && math.Abs(v) > far {
				far, j = math.Abs(v), i
			}
		}
		if j >= 0 {
			return nil, res.Stats, &FitError{Model: p.model, Parameter: p.names[j], Reason: "search stalled drifting towards 0 or infinity", Err: ErrNotIdentified}
		}
		return nil, res.Stats, &FitError{Model: p.model, Reason: reason, Err: ErrNotConverged}
	}
	theta := make([]float64, len(u))
	for i, v := range u {
		theta[i] = math.Exp(v)
	}
	return theta, res.Stats, nil
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = max(m, math.Abs(x))
	}
	return m
}

// penGrad writes the gradient of the penalised negative log-likelihood
// −ℓ(θ) + Nλ‖θ‖² at natural parameters theta into g and returns ℓ(θ) and
// the infinity norm of the gradient in log-parameters per customer.
func (p *problem) penGrad(theta, g []float64) (float64, float64) {
	ll := p.ll(theta, g)
	p.evals++
	norm := 0.0
	for i, th := range theta {
		g[i] = -g[i] + 2*p.total*p.penalty*th
		norm = max(norm, math.Abs(th*g[i]/p.total))
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) || math.IsNaN(norm) {
		return ll, math.Inf(1)
	}
	return ll, norm
}

// hessian returns the Hessian of the penalised negative log-likelihood in
// natural parameters by central differences (relative step 1e-5) of the
// analytic gradient, symmetrised; nil if an evaluation fails. Its relative
// error, about 1e-10 times the condition number, keeps standard errors
// accurate to many digits even for the strongly correlated Gamma-Gamma
// parameters.
func (p *problem) hessian(theta []float64) *mat.SymDense {
	n := len(theta)
	gp := make([]float64, n)
	gm := make([]float64, n)
	x := make([]float64, n)
	rows := make([][]float64, n)
	for j := range n {
		copy(x, theta)
		x[j] = theta[j] * (1 + 1e-5)
		up := x[j]
		_, np := p.penGrad(x, gp)
		x[j] = theta[j] * (1 - 1e-5)
		_, nm := p.penGrad(x, gm)
		if math.IsInf(np, 0) || math.IsInf(nm, 0) {
			return nil
		}
		rows[j] = make([]float64, n)
		for k := range n {
			rows[j][k] = (gp[k] - gm[k]) / (up - x[j])
		}
	}
	h := mat.NewSymDense(n, nil)
	for j := range n {
		for k := j; k < n; k++ {
			h.SetSym(j, k, (rows[j][k]+rows[k][j])/2)
		}
	}
	return h
}

// finish polishes the estimate theta with up to three Newton steps
// θ ← θ − H⁻¹g, H the Hessian at theta, each kept only if it shrinks the
// gradient, and returns the final estimate, ℓ there, and standard errors
// √diag(H⁻¹). It returns a FitError (ErrNotIdentified) when H is not
// positive definite.
func (p *problem) finish(theta []float64) (est []float64, ll float64, se []float64, err error) {
	n := len(theta)
	g := make([]float64, n)
	ll, norm := p.penGrad(theta, g)
	if math.IsInf(norm, 0) {
		return nil, 0, nil, p.flat(theta)
	}
	h := p.hessian(theta)
	var chol mat.Cholesky
	var inv mat.SymDense
	if h == nil || !chol.Factorize(h) || chol.InverseTo(&inv) != nil {
		return nil, 0, nil, p.flat(theta)
	}
	se = make([]float64, n)
	for j := range n {
		v := inv.At(j, j)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, 0, nil, p.flat(theta)
		}
		se[j] = math.Sqrt(v)
	}
	cur := slices.Clone(theta)
	next := make([]float64, n)
	gn := make([]float64, n)
	step := mat.NewVecDense(n, nil)
	for range 3 {
		if norm == 0 {
			break
		}
		step.MulVec(&inv, mat.NewVecDense(n, g))
		valid := true
		for j := range n {
			next[j] = cur[j] - step.AtVec(j)
			if !(next[j] > 0) || math.IsInf(next[j], 0) {
				valid = false
			}
		}
		if !valid {
			break
		}
		l2, norm2 := p.penGrad(next, gn)
		if !(norm2 < norm) {
			break
		}
		copy(cur, next)
		copy(g, gn)
		ll, norm = l2, norm2
	}
	return cur, ll, se, nil
}

// flat reports a stationary point whose Hessian is not positive definite,
// naming the parameter farthest from 1 on the log scale.
func (p *problem) flat(theta []float64) error {
	j, far := 0, -1.0
	for i, th := range theta {
		if v := math.Abs(math.Log(th)); v > far {
			j, far = i, v
		}
	}
	return &FitError{Model: p.model, Parameter: p.names[j], Reason: "likelihood flat at the optimum (Hessian not positive definite)", Err: ErrNotIdentified}
}

// checkFitOptions validates opts against a model with n parameters.
func checkFitOptions(opts *FitOptions, n int) (FitOptions, error) {
	var o FitOptions
	if opts != nil {
		o = *opts
	}
	if math.IsNaN(o.Penalty) || math.IsInf(o.Penalty, 0) || o.Penalty < 0 {
		return o, fieldErr(-1, "Penalty", "not a finite non-negative number", ErrArgument)
	}
	if o.MaxIterations < 0 {
		return o, fieldErr(-1, "MaxIterations", "negative", ErrArgument)
	}
	if o.Workers < 0 {
		return o, fieldErr(-1, "Workers", "negative", ErrArgument)
	}
	if o.Start != nil {
		if len(o.Start) != n {
			return o, fieldErr(-1, "Start", "wrong number of parameters", ErrArgument)
		}
		for i, v := range o.Start {
			if !(v > 0) || math.IsInf(v, 0) {
				return o, fieldErr(i, "Start", "not a finite positive number", ErrArgument)
			}
		}
	}
	return o, nil
}
