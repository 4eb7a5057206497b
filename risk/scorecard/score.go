package scorecard

// Row is one applicant's values in the model's variable order (see
// Model.Names). Num[j] is read for numeric variable j (NaN = missing) and
// Cat[j] for categorical variable j ("" = missing); the other slice's entry
// at j is ignored. Num must have NumVars elements when the model has a
// numeric variable, Cat when it has a categorical one; either may be nil
// otherwise.
type Row struct {
	Num []float64
	Cat []string
}

// Result is the outcome of scoring one applicant.
type Result struct {
	// Score is the sum of the points of the applicant's bins; higher means
	// lower risk.
	Score float64
	// PD is the logistic model's probability of bad,
	// 1/(1+exp(-(β0 + Σ β_j WoE_j))), computed from unrounded coefficients.
	PD float64
	// Reasons is the number of reasons written to the caller's buffer.
	Reasons int
}

// Reason is an adverse-action reason: a variable on which the applicant
// scored below the best attainable bin.
type Reason struct {
	Var    int     // variable index in model order
	Name   string  // variable name
	Code   string  // the variable's stable reason code
	Bin    int     // index of the applicant's bin
	Label  string  // label of the applicant's bin (Bin.Label)
	Points float64 // points the applicant earned on the variable
	Lost   float64 // best attainable points minus Points (> 0)
}

// Score scores one applicant. When reasons is not empty, the top
// len(reasons) variables by points lost against the variable's best bin
// (the highest points of any non-empty training bin) are written to it,
// largest loss first, ties in model order; variables at their best bin are
// never reasons (Result.Reasons says how many were written). This is the
// "points below maximum" method for adverse-action reasons (Siddiqi 2006,
// ch. 10; the U.S. Regulation B, 12 CFR 1002.9, asks for the principal
// reasons).
//
// Score does not allocate and is safe for concurrent use. A row of the
// wrong length is ErrSchema; a numeric ±Inf is ErrNonFinite as *VarError
// naming the variable (Row -1).
func (m *Model) Score(row Row, reasons []Reason) (Result, error) {
	var res Result
	if m.hasNum && len(row.Num) != len(m.vars) {
		return res, &FieldError{Field: "Row.Num", Reason: "need one value per model variable", Err: ErrSchema}
	}
	if m.hasCat && len(row.Cat) != len(m.vars) {
		return res, &FieldError{Field: "Row.Cat", Reason: "need one value per model variable", Err: ErrSchema}
	}
	// Top reasons are ranked by index in a small stack array and written
	// to the caller's buffer at the end (copying Reason values, which hold
	// strings, on every insertion would cost write barriers).
	type top struct {
		lost float64
		j, b int32
	}
	var stack [maxStackReasons]top
	var tops []top
	direct := len(reasons) > maxStackReasons
	if !direct {
		tops = stack[:len(reasons)]
	}
	eta := m.intercept.Est
	score := 0.0
	nr := 0
	for j := range m.sv {
		sv := &m.sv[j]
		var b int
		if sv.ix.kind == Numeric {
			b = sv.ix.num(row.Num[j])
			if b < 0 {
				return Result{}, varErr(m.vars[j].Name, -1, ErrNonFinite)
			}
		} else {
			b = sv.ix.cat(row.Cat[j])
		}
		sb := sv.bins[b]
		pts := sb.pts
		score += pts
		eta += sv.coef * sb.woe
		lost := sv.best - pts
		if !(lost > 0) || len(reasons) == 0 {
			continue
		}
		p := nr
		if direct {
			for p > 0 && reasons[p-1].Lost < lost {
				p--
			}
			if p < len(reasons) {
				if nr < len(reasons) {
					nr++
				}
				copy(reasons[p+1:nr], reasons[p:nr-1])
				reasons[p] = m.reason(j, b, lost)
			}
			continue
		}
		if p == len(tops) && tops[p-1].lost >= lost {
			continue // not among the top len(reasons)
		}
		for p > 0 && tops[p-1].lost < lost {
			p--
		}
		if p < len(tops) {
			if nr < len(tops) {
				nr++
			}
			copy(tops[p+1:nr], tops[p:nr-1])
			tops[p] = top{lost, int32(j), int32(b)}
		}
	}
	if !direct {
		for i := range nr {
			reasons[i] = m.reason(int(tops[i].j), int(tops[i].b), tops[i].lost)
		}
	}
	res.Score = score
	res.PD = sigmoid(eta)
	res.Reasons = nr
	return res, nil
}

// Bins writes the bin index of each model variable for row into dst, which
// must have NumVars elements. It does not allocate.
func (m *Model) Bins(row Row, dst []int) error {
	if len(dst) != len(m.vars) {
		return &FieldError{Field: "dst", Reason: "need one element per model variable", Err: ErrLength}
	}
	if m.hasNum && len(row.Num) != len(m.vars) {
		return &FieldError{Field: "Row.Num", Reason: "need one value per model variable", Err: ErrSchema}
	}
	if m.hasCat && len(row.Cat) != len(m.vars) {
		return &FieldError{Field: "Row.Cat", Reason: "need one value per model variable", Err: ErrSchema}
	}
	for j := range m.vars {
		ix := &m.ix[j]
		if ix.kind == Numeric {
			b := ix.num(row.Num[j])
			if b < 0 {
				return varErr(m.vars[j].Name, -1, ErrNonFinite)
			}
			dst[j] = b
		} else {
			dst[j] = ix.cat(row.Cat[j])
		}
	}
	return nil
}

// assign returns, for every model variable, the bin of every row of ds
// (columns found by name; kinds must match).
func (m *Model) assign(ds *Dataset) ([][]int32, error) {
	n := ds.Rows()
	out := make([][]int32, len(m.vars))
	for j := range m.vars {
		v := &m.vars[j]
		c, ok := ds.Column(v.Name)
		if !ok || c.Kind != v.Kind {
			return nil, varErr(v.Name, -1, ErrSchema)
		}
		if c.Len() != n {
			return nil, varErr(v.Name, -1, ErrLength)
		}
		bins := make([]int32, n)
		ix := &m.ix[j]
		if ix.kind == Numeric {
			for r, x := range c.Num {
				b := ix.num(x)
				if b < 0 {
					return nil, varErr(v.Name, r, ErrNonFinite)
				}
				bins[r] = int32(b)
			}
		} else {
			for r, s := range c.Cat {
				bins[r] = int32(ix.cat(s))
			}
		}
		out[j] = bins
	}
	return out, nil
}

// ScoreDataset scores every row of ds, whose columns are matched to the
// model's variables by name (other columns are ignored). A missing column or
// one of another kind is ErrSchema naming the variable.
func (m *Model) ScoreDataset(ds *Dataset) ([]Result, error) {
	bins, err := m.assign(ds)
	if err != nil {
		return nil, err
	}
	n := ds.Rows()
	eta := make([]float64, n)
	out := make([]Result, n)
	for r := range eta {
		eta[r] = m.intercept.Est
	}
	for j := range m.vars {
		v := &m.vars[j]
		for r, b := range bins[j] {
			out[r].Score += v.Points[b]
			eta[r] += v.Coef.Est * v.Bins[b].WoE
		}
	}
	for r := range out {
		out[r].PD = sigmoid(eta[r])
	}
	return out, nil
}

// WoEMatrix returns the WoE design matrix of ds for the model's variables,
// row-major with NumVars columns in model order (what the logistic model
// was fitted on).
func (m *Model) WoEMatrix(ds *Dataset) ([]float64, error) {
	bins, err := m.assign(ds)
	if err != nil {
		return nil, err
	}
	k := len(m.vars)
	out := make([]float64, ds.Rows()*k)
	for j := range m.vars {
		v := &m.vars[j]
		for r, b := range bins[j] {
			out[r*k+j] = v.Bins[b].WoE
		}
	}
	return out, nil
}

// maxStackReasons is the largest reason buffer ranked on the stack.
const maxStackReasons = 16

func (m *Model) reason(j, b int, lost float64) Reason {
	v := &m.vars[j]
	return Reason{Var: j, Name: v.Name, Code: v.Code, Bin: b, Label: m.labels[j][b], Points: m.sv[j].bins[b].pts, Lost: lost}
}
