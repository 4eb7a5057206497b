package scorecard

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
)

// ScalingOptions sets how log-odds become points. The zero value gives the
// documented defaults.
//
// Scaling follows Siddiqi (2006), "Credit Risk Scorecards", ch. 10:
// Score = Offset + Factor * ln(odds of good), Factor = PDO / ln 2 and
// Offset = BaseScore - Factor * ln(BaseOdds). With the model
// ln(odds of bad) = β0 + Σ β_j WoE_j, the points of bin i of variable j are
// -Factor*β_j*WoE_ij + (Offset - Factor*β0)/k for k variables (the intercept
// is spread evenly), so a score is the sum of its bins' points. A higher
// score means lower risk.
type ScalingOptions struct {
	// PDO is the points that double the odds of good. 0 means 20.
	PDO float64
	// BaseScore is the score at BaseOdds. 0 means 600.
	BaseScore float64
	// BaseOdds is the good:bad odds at BaseScore. 0 means 50.
	BaseOdds float64
	// Unrounded keeps fractional points; by default each bin's points are
	// rounded to the nearest integer (halves away from zero).
	Unrounded bool
}

// Scaling is a resolved ScalingOptions with its derived factor and offset.
type Scaling struct {
	PDO, BaseScore, BaseOdds float64
	Rounded                  bool
	Factor                   float64 // PDO / ln 2
	Offset                   float64 // BaseScore - Factor*ln(BaseOdds)
}

func (o *ScalingOptions) resolve() (Scaling, error) {
	var z ScalingOptions
	if o == nil {
		o = &z
	}
	s := Scaling{PDO: 20, BaseScore: 600, BaseOdds: 50, Rounded: !o.Unrounded}
	if o.PDO != 0 {
		s.PDO = o.PDO
	}
	if o.BaseScore != 0 {
		s.BaseScore = o.BaseScore
	}
	if o.BaseOdds != 0 {
		s.BaseOdds = o.BaseOdds
	}
	return s.derive("Scaling")
}

func (s Scaling) derive(path string) (Scaling, error) {
	if !finite(s.PDO) || s.PDO <= 0 {
		return s, &FieldError{Field: path + ".PDO", Reason: "must be finite and positive", Err: ErrOption}
	}
	if !finite(s.BaseScore) {
		return s, &FieldError{Field: path + ".BaseScore", Reason: "must be finite", Err: ErrOption}
	}
	if !finite(s.BaseOdds) || s.BaseOdds <= 0 {
		return s, &FieldError{Field: path + ".BaseOdds", Reason: "must be finite and positive", Err: ErrOption}
	}
	s.Factor = s.PDO / math.Ln2
	s.Offset = s.BaseScore - s.Factor*math.Log(s.BaseOdds)
	return s, nil
}

// Coef is one estimated coefficient with its Wald statistics.
type Coef struct {
	Est, SE, Z, P float64
}

// Variable is one variable of a fitted Model: its binning, its logistic
// coefficient on WoE, its points per bin and its reason code.
type Variable struct {
	Binning
	Code   string    // stable reason code (see ModelOptions.Codes)
	Coef   Coef      // coefficient on the variable's WoE
	Points []float64 // points of each bin (same order as Bins)
}

// Baseline is the training distribution a model keeps for drift monitoring:
// equal-frequency bands of the training scores (ScoreCuts are the band
// boundaries, band b covering [ScoreCuts[b-1], ScoreCuts[b])) and the count of
// training rows in each band. Bin counts for CSI are in each Bin.
type Baseline struct {
	ScoreCuts   []float64
	ScoreCounts []int
}

// ModelOptions configures NewModel. The zero value gives the defaults.
type ModelOptions struct {
	// Name is the caller's label for the model (e.g. "retail-pd-2025q3"),
	// kept in the model file. Empty is allowed.
	Name string
	// Scaling sets the points scale.
	Scaling ScalingOptions
	// Codes maps a variable name to its reason code. A variable without an
	// entry gets its own name as code, so codes stay stable across refits.
	Codes map[string]string
}

// Model is a fitted scorecard. It is immutable and safe for concurrent use.
// Build it with Fit or NewModel, or read it with ParseModel.
type Model struct {
	name      string
	target    string
	badLabel  string
	goodLabel string
	rows      int
	bads      int
	scaling   Scaling
	l2        float64
	intercept Coef
	vars      []Variable
	baseline  Baseline

	// compiled
	ix     []binIndex
	sv     []scoreVar
	best   []float64
	labels [][]string
	hasNum bool
	hasCat bool
	id     string
}

// NewModel assembles a scorecard from binnings and a logistic fit on their
// WoE (fit.Coef[j+1] belongs to bins[j]), scaling the coefficients to points
// (see ScalingOptions). train, when not nil, is the training data: its size,
// target labels and score distribution (the drift Baseline) are kept in the
// model; it must hold a column for every binning.
func NewModel(bins []*Binning, fit *LogitResult, train *Dataset, opts *ModelOptions) (*Model, error) {
	var o ModelOptions
	if opts != nil {
		o = *opts
	}
	if len(bins) == 0 {
		return nil, &FieldError{Field: "bins", Reason: "empty", Err: ErrNoVariables}
	}
	if fit == nil || len(fit.Coef) != len(bins)+1 || len(fit.SE) != len(fit.Coef) || len(fit.Z) != len(fit.Coef) || len(fit.P) != len(fit.Coef) {
		return nil, &FieldError{Field: "fit.Coef", Reason: "need one coefficient per binning plus the intercept", Err: ErrLength}
	}
	sc, err := o.Scaling.resolve()
	if err != nil {
		return nil, err
	}
	m := &Model{name: o.Name, scaling: sc, l2: fit.L2}
	m.intercept = Coef{fit.Coef[0], fit.SE[0], fit.Z[0], fit.P[0]}
	k := float64(len(bins))
	for j, b := range bins {
		if b == nil {
			return nil, &FieldError{Field: "bins[" + strconv.Itoa(j) + "]", Reason: "nil", Err: ErrModel}
		}
		v := Variable{Binning: cloneBinning(b), Code: b.Name, Coef: Coef{fit.Coef[j+1], fit.SE[j+1], fit.Z[j+1], fit.P[j+1]}}
		if c, ok := o.Codes[b.Name]; ok && c != "" {
			v.Code = c
		}
		v.Points = make([]float64, len(b.Bins))
		for i, bn := range b.Bins {
			pt := -sc.Factor*v.Coef.Est*bn.WoE + (sc.Offset-sc.Factor*m.intercept.Est)/k
			if sc.Rounded {
				pt = math.Round(pt) + 0 // + 0 turns -0 into 0
			}
			v.Points[i] = pt
		}
		m.vars = append(m.vars, v)
	}
	if err := m.compile(); err != nil {
		return nil, err
	}
	if train != nil {
		m.target, m.badLabel, m.goodLabel = train.Target, train.BadLabel, train.GoodLabel
		m.rows = train.Rows()
		_, m.bads = countTarget(train.Bad)
		res, err := m.ScoreDataset(train)
		if err != nil {
			return nil, err
		}
		scores := make([]float64, len(res))
		for i, r := range res {
			scores[i] = r.Score
		}
		m.baseline = scoreBaseline(scores, 10)
		if err := m.compile(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func cloneBinning(b *Binning) Binning {
	c := *b
	c.Bins = slices.Clone(b.Bins)
	for i := range c.Bins {
		c.Bins[i].Categories = slices.Clone(c.Bins[i].Categories)
	}
	return c
}

// scoreBaseline cuts scores into up to bands equal-frequency bands.
func scoreBaseline(scores []float64, bands int) Baseline {
	s := slices.Clone(scores)
	slices.Sort(s)
	cuts := []float64{}
	for b := 1; b < bands; b++ {
		c := s[len(s)*b/bands]
		if c > s[0] && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	bl := Baseline{ScoreCuts: cuts, ScoreCounts: make([]int, len(cuts)+1)}
	for _, v := range scores {
		bl.ScoreCounts[bandOf(cuts, v)]++
	}
	return bl
}

// bandOf returns the number of cuts <= v.
func bandOf(cuts []float64, v float64) int {
	lo, hi := 0, len(cuts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cuts[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// compile validates the model and builds the scoring index and its ID.
func (m *Model) compile() error {
	if len(m.vars) == 0 {
		return &FieldError{Field: "variables", Reason: "empty", Err: ErrModel}
	}
	if _, err := m.scaling.derive("scaling"); err != nil {
		return err
	}
	for _, c := range []float64{m.intercept.Est, m.intercept.SE, m.intercept.Z, m.intercept.P, m.l2} {
		if !finite(c) {
			return &FieldError{Field: "intercept", Err: ErrNonFinite}
		}
	}
	if m.rows < 0 || m.bads < 0 || m.bads > m.rows {
		return &FieldError{Field: "train", Reason: "counts must satisfy 0 <= bads <= rows", Err: ErrModel}
	}
	m.ix = make([]binIndex, len(m.vars))
	m.sv = make([]scoreVar, len(m.vars))
	m.best = make([]float64, len(m.vars))
	m.labels = make([][]string, len(m.vars))
	m.hasNum, m.hasCat = false, false
	seen := make(map[string]bool)
	for j := range m.vars {
		v := &m.vars[j]
		path := "variables[" + strconv.Itoa(j) + "]"
		if seen[v.Name] {
			return &FieldError{Field: path + ".name", Reason: "duplicate variable", Err: ErrModel}
		}
		seen[v.Name] = true
		ix, err := compileBinning(&v.Binning, path)
		if err != nil {
			return err
		}
		if v.Code == "" {
			return &FieldError{Field: path + ".code", Reason: "empty", Err: ErrModel}
		}
		if len(v.Points) != len(v.Bins) {
			return &FieldError{Field: path + ".bins", Reason: "points missing", Err: ErrModel}
		}
		for _, c := range []float64{v.Coef.Est, v.Coef.SE, v.Coef.Z, v.Coef.P} {
			if !finite(c) {
				return &FieldError{Field: path + ".coef", Err: ErrNonFinite}
			}
		}
		best := math.Inf(-1)
		for i, p := range v.Points {
			if !finite(p) {
				return &FieldError{Field: path + ".bins[" + strconv.Itoa(i) + "].points", Err: ErrNonFinite}
			}
			// Empty bins (unobserved special codes, no missing in
			// training) cannot define the best attainable attribute.
			if v.Bins[i].Count > 0 && p > best {
				best = p
			}
		}
		if math.IsInf(best, -1) {
			best = slices.Max(v.Points)
		}
		m.ix[j] = ix
		m.best[j] = best
		m.sv[j] = scoreVar{ix: ix, bins: make([]scoreBin, len(v.Bins)), coef: v.Coef.Est, best: best}
		for i := range v.Bins {
			m.sv[j].bins[i] = scoreBin{pts: v.Points[i], woe: v.Bins[i].WoE}
		}
		lab := make([]string, len(v.Bins))
		for i := range v.Bins {
			lab[i] = v.Bins[i].Label()
		}
		m.labels[j] = lab
		if v.Kind == Numeric {
			m.hasNum = true
		} else {
			m.hasCat = true
		}
	}
	bl := &m.baseline
	if len(bl.ScoreCounts) > 0 || len(bl.ScoreCuts) > 0 {
		if len(bl.ScoreCounts) != len(bl.ScoreCuts)+1 {
			return &FieldError{Field: "baseline.score_counts", Reason: "need one more count than cuts", Err: ErrModel}
		}
		for i, c := range bl.ScoreCuts {
			if !finite(c) || (i > 0 && !(c > bl.ScoreCuts[i-1])) {
				return &FieldError{Field: "baseline.score_cuts", Reason: "must be finite and increasing", Err: ErrModel}
			}
		}
		for _, c := range bl.ScoreCounts {
			if c < 0 {
				return &FieldError{Field: "baseline.score_counts", Reason: "negative", Err: ErrModel}
			}
		}
	}
	data, err := m.marshal()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	m.id = hex.EncodeToString(sum[:8])
	return nil
}

// ID returns a content hash of the model file (16 hex digits). Two models
// with the same ID score identically; record it with every decision.
func (m *Model) ID() string { return m.id }

// Name returns the caller's label given in ModelOptions.Name.
func (m *Model) Name() string { return m.name }

// NumVars returns the number of variables.
func (m *Model) NumVars() int { return len(m.vars) }

// Names returns the variable names in model order (a new slice).
func (m *Model) Names() []string {
	out := make([]string, len(m.vars))
	for j := range m.vars {
		out[j] = m.vars[j].Name
	}
	return out
}

// Kinds returns the variable kinds in model order (a new slice).
func (m *Model) Kinds() []Kind {
	out := make([]Kind, len(m.vars))
	for j := range m.vars {
		out[j] = m.vars[j].Kind
	}
	return out
}

// Index returns the position of the named variable, or -1.
func (m *Model) Index(name string) int {
	for j := range m.vars {
		if m.vars[j].Name == name {
			return j
		}
	}
	return -1
}

// Variables returns a deep copy of the variables in model order.
func (m *Model) Variables() []Variable {
	out := make([]Variable, len(m.vars))
	for j := range m.vars {
		v := m.vars[j]
		v.Binning = cloneBinning(&m.vars[j].Binning)
		v.Points = slices.Clone(v.Points)
		out[j] = v
	}
	return out
}

// Intercept returns the intercept of the logistic model.
func (m *Model) Intercept() Coef { return m.intercept }

// Scaling returns the points scale.
func (m *Model) Scaling() Scaling { return m.scaling }

// L2 returns the ridge penalty the model was fitted with.
func (m *Model) L2() float64 { return m.l2 }

// Target returns the training target column name and its bad and good labels
// (empty when unknown).
func (m *Model) Target() (column, bad, good string) { return m.target, m.badLabel, m.goodLabel }

// TrainRows returns the number of training rows and bads (0, 0 when unknown).
func (m *Model) TrainRows() (rows, bads int) { return m.rows, m.bads }

// Baseline returns a copy of the training score distribution.
func (m *Model) Baseline() Baseline {
	return Baseline{ScoreCuts: slices.Clone(m.baseline.ScoreCuts), ScoreCounts: slices.Clone(m.baseline.ScoreCounts)}
}

// MinMaxScore returns the lowest and highest score the model can give over
// its non-empty bins.
func (m *Model) MinMaxScore() (lo, hi float64) {
	for j := range m.vars {
		v := &m.vars[j]
		mn := math.Inf(1)
		for i, p := range v.Points {
			if v.Bins[i].Count > 0 || len(v.Bins) == 1 {
				mn = math.Min(mn, p)
			}
		}
		if math.IsInf(mn, 1) {
			mn = slices.Min(v.Points)
		}
		lo += mn
		hi += m.best[j]
	}
	return lo, hi
}

// PDFromScore converts a score back to a probability of bad through the
// scaling: PD = 1 / (1 + exp((score - Offset) / Factor)). For a rounded
// scorecard it differs slightly from Result.PD.
func (m *Model) PDFromScore(score float64) float64 {
	return sigmoid(-(score - m.scaling.Offset) / m.scaling.Factor)
}

// scoreVar is the compact per-variable data of the scoring hot path.
type scoreVar struct {
	ix   binIndex
	bins []scoreBin
	coef float64
	best float64
}

type scoreBin struct{ pts, woe float64 }
