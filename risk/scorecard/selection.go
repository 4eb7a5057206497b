package scorecard

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// SelectionOptions configures variable selection. The zero value gives the
// documented defaults.
type SelectionOptions struct {
	// MinIV drops variables whose information value is below it. 0 means
	// 0.02 (Siddiqi 2006, ch. 6: below 0.02 "not predictive"); a negative
	// value keeps all.
	MinIV float64
	// MaxCorr drops a variable whose WoE has an absolute Pearson correlation
	// above MaxCorr with a variable of higher IV already kept. 0 means 0.7;
	// 1 or more disables the filter.
	MaxCorr float64
	// MaxVIF then repeatedly drops the variable with the largest variance
	// inflation factor VIF_j = 1/(1-R_j²) = (R⁻¹)_jj (R: correlation matrix of
	// the kept WoE columns; Kutner et al. 2005, Applied Linear Statistical
	// Models, §10.5) while it exceeds MaxVIF. 0 means 5; a negative value
	// disables the filter.
	MaxVIF float64
	// MaxVars keeps at most this many variables, by descending IV, after the
	// filters. 0 means no limit.
	MaxVars int
	// Stepwise enables stepwise logistic selection after the filters, as in
	// SAS PROC LOGISTIC SELECTION=STEPWISE: starting from the intercept, the
	// variable with the smallest score-test p value enters if below Enter;
	// after each entry, the variable with the largest Wald p value leaves
	// while above Stay; a variable that left does not re-enter (Hosmer &
	// Lemeshow 2000, Applied Logistic Regression, §4.3). Off by default; it
	// costs one logistic fit per step.
	Stepwise bool
	// Enter is the stepwise entry p value. 0 means 0.05.
	Enter float64
	// Stay is the stepwise stay p value. 0 means 0.05.
	Stay float64
	// AllowWrongSign keeps variables whose fitted coefficient has the wrong
	// sign. By default Fit refits without the wrong-signed variable of
	// largest p value until all coefficients on WoE are negative: with
	// WoE = ln(%good/%bad) a positive coefficient on the log-odds of bad
	// reverses the bins' order and signals collinearity.
	AllowWrongSign bool
}

type selParams struct {
	minIV, maxCorr, maxVIF float64
	maxVars                int
	stepwise               bool
	enter, stay            float64
	wrongSign              bool
}

func (o *SelectionOptions) params() (selParams, error) {
	var z SelectionOptions
	if o == nil {
		o = &z
	}
	p := selParams{minIV: 0.02, maxCorr: 0.7, maxVIF: 5, maxVars: o.MaxVars, stepwise: o.Stepwise, enter: 0.05, stay: 0.05, wrongSign: o.AllowWrongSign}
	if math.IsNaN(o.MinIV) || math.IsInf(o.MinIV, 0) {
		return p, optErr("Selection.MinIV", "must be finite")
	}
	switch {
	case o.MinIV < 0:
		p.minIV = math.Inf(-1)
	case o.MinIV > 0:
		p.minIV = o.MinIV
	}
	if math.IsNaN(o.MaxCorr) || o.MaxCorr < 0 {
		return p, optErr("Selection.MaxCorr", "must be non-negative")
	}
	if o.MaxCorr > 0 {
		p.maxCorr = o.MaxCorr
	}
	if math.IsNaN(o.MaxVIF) {
		return p, optErr("Selection.MaxVIF", "must not be NaN")
	}
	switch {
	case o.MaxVIF < 0:
		p.maxVIF = math.Inf(1)
	case o.MaxVIF > 0 && o.MaxVIF < 1:
		return p, optErr("Selection.MaxVIF", "a VIF is at least 1")
	case o.MaxVIF > 0:
		p.maxVIF = o.MaxVIF
	}
	if o.MaxVars < 0 {
		return p, optErr("Selection.MaxVars", "must be non-negative")
	}
	for _, f := range []struct {
		name string
		v    float64
		dst  *float64
	}{{"Selection.Enter", o.Enter, &p.enter}, {"Selection.Stay", o.Stay, &p.stay}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > 1 {
			return p, optErr(f.name, "must be in [0, 1]")
		}
		if f.v > 0 {
			*f.dst = f.v
		}
	}
	return p, nil
}

// Status is the outcome of selection for a candidate variable.
type Status uint8

const (
	// StatusSelected: the variable is in the model.
	StatusSelected Status = iota
	// StatusUnusable: binning failed (Candidate.Err: ErrConstant, ErrAllMissing).
	StatusUnusable
	// StatusLowIV: IV below Selection.MinIV.
	StatusLowIV
	// StatusCorrelated: WoE correlated above Selection.MaxCorr with a
	// stronger variable (named in Candidate.Detail).
	StatusCorrelated
	// StatusHighVIF: dropped by the VIF filter.
	StatusHighVIF
	// StatusMaxVars: beyond Selection.MaxVars.
	StatusMaxVars
	// StatusNotEntered: stepwise never entered it.
	StatusNotEntered
	// StatusRemoved: stepwise removed it.
	StatusRemoved
	// StatusWrongSign: its coefficient had the wrong sign.
	StatusWrongSign
)

var statusNames = [...]string{"selected", "unusable", "low IV", "correlated", "high VIF", "over max vars", "not entered", "removed by stepwise", "wrong sign"}

// String returns a short description of the status.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Candidate is one candidate variable with its binning and the outcome of
// selection.
type Candidate struct {
	Name    string
	Kind    Kind
	Binning *Binning // nil when binning failed
	IV      float64
	Status  Status
	Detail  string  // why it was dropped (correlation partner, VIF, p value...)
	VIF     float64 // VIF among the variables that reached the VIF filter, 0 otherwise
	Err     error   // binning error for StatusUnusable
}

// woeCol is a candidate's WoE column.
type woeCol struct {
	cand int // index into candidates
	x    []float64
}

// corrMatrix returns the Pearson correlation matrix of cols (chunked,
// parallel, deterministic).
func corrMatrix(cols [][]float64) *mat.SymDense {
	k := len(cols)
	r := mat.NewSymDense(max(k, 1), nil)
	if k == 0 {
		return r
	}
	n := len(cols[0])
	mean := make([]float64, k)
	for j, c := range cols {
		s := 0.0
		for _, v := range c {
			s += v
		}
		mean[j] = s / float64(n)
	}
	nc := (n + logitChunk - 1) / logitChunk
	part := make([]float64, nc*k*k)
	parallel(nc, func(c int) {
		lo, hi := c*logitChunk, min((c+1)*logitChunk, n)
		p := part[c*k*k : (c+1)*k*k]
		for a := range k {
			xa := cols[a][lo:hi]
			for b := a; b < k; b++ {
				xb := cols[b][lo:hi]
				s := 0.0
				for i, v := range xa {
					s += (v - mean[a]) * (xb[i] - mean[b])
				}
				p[a*k+b] = s
			}
		}
	})
	cov := make([]float64, k*k)
	for c := range nc {
		for i, v := range part[c*k*k : (c+1)*k*k] {
			cov[i] += v
		}
	}
	for a := range k {
		for b := a; b < k; b++ {
			d := math.Sqrt(cov[a*k+a] * cov[b*k+b])
			v := 0.0
			if d > 0 {
				v = cov[a*k+b] / d
			}
			if a == b {
				v = 1
			}
			r.SetSym(a, b, v)
		}
	}
	return r
}

// vifs returns the VIF of each variable in idx from the full correlation
// matrix R; +Inf for all when the submatrix is singular.
func vifs(R *mat.SymDense, idx []int) []float64 {
	k := len(idx)
	out := make([]float64, k)
	if k == 1 {
		out[0] = 1
		return out
	}
	sub := mat.NewSymDense(k, nil)
	for a := range k {
		for b := a; b < k; b++ {
			sub.SetSym(a, b, R.At(idx[a], idx[b]))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sub) || ch.Cond() > 1e12 {
		for i := range out {
			out[i] = math.Inf(1)
		}
		return out
	}
	inv := mat.NewSymDense(k, nil)
	if err := ch.InverseTo(inv); err != nil {
		for i := range out {
			out[i] = math.Inf(1)
		}
		return out
	}
	for a := range k {
		out[a] = inv.At(a, a)
	}
	return out
}

// design builds the n x len(cols) row-major design matrix.
func design(cols [][]float64) *mat.Dense {
	n, k := len(cols[0]), len(cols)
	data := make([]float64, n*k)
	for j, c := range cols {
		for i, v := range c {
			data[i*k+j] = v
		}
	}
	return mat.NewDense(n, k, data)
}

// filterVars applies the IV, correlation, VIF and MaxVars filters, then
// stepwise selection, to the candidates with WoE columns cols (in cand
// order). It sets Status/Detail/VIF and returns the kept columns in
// descending IV order.
func filterVars(cands []Candidate, cols []woeCol, bad []bool, p selParams, lo LogitOptions) ([]woeCol, error) {
	// Descending IV, ties by candidate order.
	order := slices.Clone(cols)
	slices.SortStableFunc(order, func(a, b woeCol) int {
		switch {
		case cands[a.cand].IV > cands[b.cand].IV:
			return -1
		case cands[a.cand].IV < cands[b.cand].IV:
			return 1
		}
		return 0
	})
	var pool []woeCol
	for _, c := range order {
		if cands[c.cand].IV < p.minIV {
			cands[c.cand].Status = StatusLowIV
			cands[c.cand].Detail = "IV " + strconv.FormatFloat(cands[c.cand].IV, 'f', 4, 64) + " < " + strconv.FormatFloat(p.minIV, 'f', 4, 64)
			continue
		}
		pool = append(pool, c)
	}
	if len(pool) == 0 {
		return nil, nil
	}
	xs := make([][]float64, len(pool))
	for i, c := range pool {
		xs[i] = c.x
	}
	R := corrMatrix(xs)
	var keptIdx []int
	if p.maxCorr < 1 {
		for i := range pool {
			drop := -1
			for _, k := range keptIdx {
				if math.Abs(R.At(i, k)) > p.maxCorr {
					drop = k
					break
				}
			}
			if drop >= 0 {
				c := &cands[pool[i].cand]
				c.Status = StatusCorrelated
				c.Detail = "|r| = " + strconv.FormatFloat(math.Abs(R.At(i, drop)), 'f', 3, 64) + " with " + cands[pool[drop].cand].Name
				continue
			}
			keptIdx = append(keptIdx, i)
		}
	} else {
		for i := range pool {
			keptIdx = append(keptIdx, i)
		}
	}
	for len(keptIdx) > 0 {
		v := vifs(R, keptIdx)
		worst := 0
		for a := range v {
			cands[pool[keptIdx[a]].cand].VIF = v[a]
			if v[a] > v[worst] {
				worst = a
			}
		}
		if !(v[worst] > p.maxVIF) {
			break
		}
		if math.IsInf(v[worst], 1) {
			worst = len(keptIdx) - 1 // singular: drop the weakest
		}
		c := &cands[pool[keptIdx[worst]].cand]
		c.Status = StatusHighVIF
		c.Detail = "VIF " + strconv.FormatFloat(v[worst], 'f', 2, 64)
		keptIdx = slices.Delete(keptIdx, worst, worst+1)
	}
	if p.maxVars > 0 && len(keptIdx) > p.maxVars {
		for _, i := range keptIdx[p.maxVars:] {
			cands[pool[i].cand].Status = StatusMaxVars
		}
		keptIdx = keptIdx[:p.maxVars]
	}
	kept := make([]woeCol, len(keptIdx))
	for a, i := range keptIdx {
		kept[a] = pool[i]
	}
	if p.stepwise && len(kept) > 0 {
		return stepwise(cands, kept, bad, p, lo)
	}
	return kept, nil
}

// stepwise runs SAS-style stepwise selection over cols (see
// SelectionOptions.Stepwise).
func stepwise(cands []Candidate, cols []woeCol, bad []bool, p selParams, lo LogitOptions) ([]woeCol, error) {
	n := len(bad)
	in := []int{} // indices into cols, in entry order
	left := map[int]bool{}
	_, nb := countTarget(bad)
	ybar := float64(nb) / float64(n)
	beta := []float64{math.Log(ybar / (1 - ybar))}
	cov := mat.NewSymDense(1, []float64{1 / (float64(n) * ybar * (1 - ybar))})
	fitIn := func() (*LogitResult, error) {
		xs := make([][]float64, len(in))
		names := make([]string, len(in))
		for a, i := range in {
			xs[a] = cols[i].x
			names[a] = cands[cols[i].cand].Name
		}
		o := lo
		o.Names = names
		return Logit(design(xs), bad, &o)
	}
	mu := make([]float64, n)
	for step := 0; step < 2*len(cols)+2; step++ {
		// Current fitted means.
		for i := range mu {
			e := beta[0]
			for a, c := range in {
				e += beta[a+1] * cols[c].x[i]
			}
			mu[i] = sigmoid(e)
		}
		q := len(in) + 1
		bestP, best := 2.0, -1
		for c := range cols {
			if slices.Contains(in, c) || left[c] {
				continue
			}
			z := cols[c].x
			var u, wzz float64
			b := make([]float64, q)
			for i, zi := range z {
				y := 0.0
				if bad[i] {
					y = 1
				}
				w := mu[i] * (1 - mu[i])
				u += zi * (y - mu[i])
				wz := w * zi
				wzz += wz * zi
				b[0] += wz
				for a, cc := range in {
					b[a+1] += wz * cols[cc].x[i]
				}
			}
			bv := mat.NewVecDense(q, b)
			var tmp mat.VecDense
			tmp.MulVec(cov, bv)
			v := wzz - mat.Dot(bv, &tmp)
			pv := 1.0
			if v > 0 {
				pv = math.Erfc(math.Sqrt(u * u / v / 2))
			}
			if pv < bestP {
				bestP, best = pv, c
			}
		}
		if best < 0 || !(bestP < p.enter) {
			break
		}
		in = append(in, best)
		res, err := fitIn()
		if err != nil {
			return nil, err
		}
		// Backward: remove while the worst Wald p exceeds Stay.
		for len(in) > 0 {
			worst := -1
			for a := range in {
				if res.P[a+1] > p.stay && (worst < 0 || res.P[a+1] > res.P[worst+1]) {
					worst = a
				}
			}
			if worst < 0 {
				break
			}
			c := in[worst]
			left[c] = true
			cands[cols[c].cand].Status = StatusRemoved
			cands[cols[c].cand].Detail = "Wald p = " + strconv.FormatFloat(res.P[worst+1], 'f', 4, 64)
			in = slices.Delete(in, worst, worst+1)
			if len(in) == 0 {
				res = nil
				break
			}
			if res, err = fitIn(); err != nil {
				return nil, err
			}
		}
		if res == nil {
			beta = []float64{math.Log(ybar / (1 - ybar))}
			cov = mat.NewSymDense(1, []float64{1 / (float64(n) * ybar * (1 - ybar))})
		} else {
			beta, cov = res.Coef, res.Cov
		}
	}
	var out []woeCol
	for c := range cols {
		if slices.Contains(in, c) {
			out = append(out, cols[c])
		} else if !left[c] {
			cands[cols[c].cand].Status = StatusNotEntered
		}
	}
	return out, nil
}
