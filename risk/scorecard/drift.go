package scorecard

// VarDrift is the shift of one model variable between two samples.
type VarDrift struct {
	Name    string
	CSI     float64 // characteristic stability index: PSI over the variable's bins
	Base    []int   // rows per bin in the base sample
	Current []int   // rows per bin in the current sample
}

// Drift is the population shift of a scored population against a base.
type Drift struct {
	ScorePSI     float64 // PSI of the score over the base's equal-frequency score bands
	ScoreCuts    []float64
	ScoreBase    []int // rows per score band in the base sample
	ScoreCurrent []int // rows per score band in the current sample
	Vars         []VarDrift
}

// Drift measures the population stability (PSI of the score) and the
// characteristic stability (CSI of every variable over its bins) of current
// against base (see PSI for the formula and rules of thumb). With base nil
// the model's own training distribution is the base: the score bands and
// counts of Baseline and the training counts of each bin; a model without a
// score baseline (built without training data) then gives ErrModel.
func (m *Model) Drift(base, current *Dataset) (*Drift, error) {
	if current == nil || current.Rows() == 0 {
		return nil, &FieldError{Field: "current", Err: ErrEmpty}
	}
	d := &Drift{}
	var baseScores []float64
	if base == nil {
		if len(m.baseline.ScoreCounts) == 0 {
			return nil, &FieldError{Field: "baseline", Reason: "model has no training score baseline; pass a base sample", Err: ErrModel}
		}
		d.ScoreCuts = append([]float64{}, m.baseline.ScoreCuts...)
		d.ScoreBase = append([]int{}, m.baseline.ScoreCounts...)
	} else {
		if base.Rows() == 0 {
			return nil, &FieldError{Field: "base", Err: ErrEmpty}
		}
		res, err := m.ScoreDataset(base)
		if err != nil {
			return nil, err
		}
		baseScores = make([]float64, len(res))
		for i, r := range res {
			baseScores[i] = r.Score
		}
		bl := scoreBaseline(baseScores, 10)
		d.ScoreCuts, d.ScoreBase = bl.ScoreCuts, bl.ScoreCounts
	}
	res, err := m.ScoreDataset(current)
	if err != nil {
		return nil, err
	}
	d.ScoreCurrent = make([]int, len(d.ScoreBase))
	for _, r := range res {
		d.ScoreCurrent[bandOf(d.ScoreCuts, r.Score)]++
	}
	if d.ScorePSI, err = PSI(toF(d.ScoreBase), toF(d.ScoreCurrent)); err != nil {
		return nil, err
	}
	curBins, err := m.assign(current)
	if err != nil {
		return nil, err
	}
	var baseBins [][]int32
	if base != nil {
		if baseBins, err = m.assign(base); err != nil {
			return nil, err
		}
	}
	for j := range m.vars {
		v := &m.vars[j]
		vd := VarDrift{Name: v.Name, Base: make([]int, len(v.Bins)), Current: make([]int, len(v.Bins))}
		for _, b := range curBins[j] {
			vd.Current[b]++
		}
		if base == nil {
			for i := range v.Bins {
				vd.Base[i] = v.Bins[i].Count
			}
		} else {
			for _, b := range baseBins[j] {
				vd.Base[b]++
			}
		}
		if vd.CSI, err = PSI(toF(vd.Base), toF(vd.Current)); err != nil {
			return nil, varErr(v.Name, -1, err)
		}
		d.Vars = append(d.Vars, vd)
	}
	return d, nil
}

func toF(c []int) []float64 {
	out := make([]float64, len(c))
	for i, v := range c {
		out[i] = float64(v)
	}
	return out
}
