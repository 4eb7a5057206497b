package uplift

import (
	"math"
	"slices"
)

// Point is one point of a Qini or uplift curve: the top Targeted rows by
// score (ties kept together) and the curve's value there, in incremental
// responders.
type Point struct {
	Targeted int     // rows targeted
	Value    float64 // the curve's value: incremental responders
}

// Metric inputs: score[i] is the predicted uplift of row i (higher means
// target first), treated[i] its arm (true: received the treatment) and
// responded[i] its outcome.

// counts is the cumulative state of a prefix of rows.
type counts struct{ n, nt, rt, rc float64 }

func (c counts) nc() float64 { return c.n - c.nt }

// qini is Radcliffe's Q = R_T - R_C * N_T / N_C (control term 0 while
// N_C = 0).
func (c counts) qini() float64 {
	if c.nc() == 0 {
		return c.rt
	}
	return c.rt - c.rc*c.nt/c.nc()
}

// uplift is (R_T/N_T - R_C/N_C) * n, a rate being 0 while its group is
// empty.
func (c counts) uplift() float64 {
	var a, b float64
	if c.nt > 0 {
		a = c.rt / c.nt
	}
	if c.nc() > 0 {
		b = c.rc / c.nc()
	}
	return (a - b) * c.n
}

func checkInputs(score []float64, treated, responded []bool) error {
	if len(treated) != len(score) {
		return fieldErr("treated", -1, ErrLength)
	}
	if len(responded) != len(score) {
		return fieldErr("responded", -1, ErrLength)
	}
	if len(score) == 0 {
		return fieldErr("score", -1, ErrEmpty)
	}
	nt := 0
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fieldErr("score", i, ErrNonFinite)
		}
		if treated[i] {
			nt++
		}
	}
	if nt == 0 || nt == len(score) {
		return fieldErr("treated", -1, ErrGroup)
	}
	return nil
}

// order returns the row indices by descending score, ties by row index.
func order(score []float64) []int {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	return idx
}

// bucketOrder returns the row indices by descending score for scores
// taking a few small integer values (the oracle scores), without sorting:
// one stable pass per value.
func bucketOrder(score []float64, values ...float64) []int {
	idx := make([]int, 0, len(score))
	for _, v := range values {
		for i, s := range score {
			if s == v {
				idx = append(idx, i)
			}
		}
	}
	return idx
}

// curve returns the curve f over the prefixes ending at each tie group,
// starting at (0, 0).
func curve(score []float64, treated, responded []bool, f func(counts) float64) []Point {
	return curveOf(order(score), score, treated, responded, f)
}

// curveOf is curve for rows already in descending order of score.
func curveOf(idx []int, score []float64, treated, responded []bool, f func(counts) float64) []Point {
	pts := []Point{{0, 0}}
	var c counts
	for i := 0; i < len(idx); {
		s := score[idx[i]]
		for ; i < len(idx) && score[idx[i]] == s; i++ {
			r := idx[i]
			c.n++
			if treated[r] {
				c.nt++
				if responded[r] {
					c.rt++
				}
			} else if responded[r] {
				c.rc++
			}
		}
		pts = append(pts, Point{Targeted: int(c.n), Value: f(c)})
	}
	return pts
}

// QiniCurve returns the Qini curve of Radcliffe (2007), "Using control
// groups to target on predicted lift: building and assessing uplift
// models", Direct Marketing Analytics Journal 1:14-21: for the top t rows
// by score, Q(t) = R_T(t) - R_C(t) * N_T(t) / N_C(t), the incremental
// responders among the treated rows targeted (R: responders, N: rows, T:
// treated, C: control; the control term is 0 while N_C(t) = 0). Rows with
// equal scores are targeted together: the curve has one point per tie
// group (and (0, 0)), linear in between.
//
// Errors: ErrLength, ErrEmpty, ErrNonFinite (a NaN or ±Inf score, naming
// the row), ErrGroup (no treated or no control row).
func QiniCurve(score []float64, treated, responded []bool) ([]Point, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return nil, err
	}
	return curve(score, treated, responded, counts.qini), nil
}

// UpliftCurve returns the uplift curve of Rzepakowski & Jaroszewicz
// (2012), "Decision trees for uplift modeling with single and multiple
// treatments", Knowledge and Information Systems 32:303-327, in the form
// used by Gutierrez & Gérardy (2017), "Causal inference and uplift
// modelling: a review of the literature", PMLR 67:1-13:
// U(t) = (R_T(t)/N_T(t) - R_C(t)/N_C(t)) * t, the incremental responders
// had the top t rows all been treated (a rate is 0 while its group is
// empty). Ties and errors as in QiniCurve.
func UpliftCurve(score []float64, treated, responded []bool) ([]Point, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return nil, err
	}
	return curve(score, treated, responded, counts.uplift), nil
}

// area is the trapezoid area under a curve.
func area(pts []Point) float64 {
	a := 0.0
	for i := 1; i < len(pts); i++ {
		a += float64(pts[i].Targeted-pts[i-1].Targeted) * (pts[i].Value + pts[i-1].Value) / 2
	}
	return a
}

// normalised returns (A_model - A_random) / (A_perfect - A_random), where
// A_random is the area under the straight line from (0, 0) to the last
// point, and the raw gain (A_model - A_random) / n^2.
func normalised(model, perfect []Point, n int) (coef, raw float64) {
	last := model[len(model)-1].Value
	rnd := float64(n) * last / 2
	am, ap := area(model), area(perfect)
	raw = (am - rnd) / (float64(n) * float64(n))
	if d := ap - rnd; d != 0 {
		coef = (am - rnd) / d
	}
	return coef, raw
}

// perfectQiniScore ranks treated responders first and control responders
// last (Radcliffe's optimum with negative effects).
func perfectQiniScore(treated, responded []bool) []float64 {
	s := make([]float64, len(treated))
	for i := range s {
		switch {
		case responded[i] && treated[i]:
			s[i] = 1
		case responded[i]:
			s[i] = -1
		}
	}
	return s
}

// perfectUpliftScore is the oracle order of scikit-uplift's
// perfect_uplift_curve: treated responders, then control non-responders,
// then either control responders or treated non-responders, whichever
// group is larger being placed last.
func perfectUpliftScore(treated, responded []bool) []float64 {
	var cr, tn int
	for i := range treated {
		switch {
		case responded[i] && !treated[i]:
			cr++
		case !responded[i] && treated[i]:
			tn++
		}
	}
	s := make([]float64, len(treated))
	for i := range s {
		v := 0.0
		if responded[i] == treated[i] {
			v = 2
		}
		if cr > tn {
			if responded[i] {
				v++
			}
		} else if treated[i] {
			v++
		}
		s[i] = v
	}
	return s
}

// perfectQini is the Qini curve of the oracle ranking.
func perfectQini(treated, responded []bool) []Point {
	s := perfectQiniScore(treated, responded)
	return curveOf(bucketOrder(s, 1, 0, -1), s, treated, responded, counts.qini)
}

// perfectUplift is the uplift curve of the oracle ranking.
func perfectUplift(treated, responded []bool) []Point {
	s := perfectUpliftScore(treated, responded)
	return curveOf(bucketOrder(s, 3, 2, 1, 0), s, treated, responded, counts.uplift)
}

// Qini returns the Qini coefficient q: the area between the model's Qini
// curve and the random-targeting line (from (0, 0) to the curve's end),
// divided by the same area for the optimum ordering that puts treated
// responders first and control responders last (Radcliffe 2007, see
// QiniCurve; the optimum "with negative effects"). It is 1 for a perfect
// ranking, 0 for a random one and negative for a ranking worse than
// random. This is the normalisation of scikit-uplift's qini_auc_score
// (negative_effect=True). Errors as in QiniCurve.
func Qini(score []float64, treated, responded []bool) (float64, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return 0, err
	}
	q, _ := normalised(curve(score, treated, responded, counts.qini), perfectQini(treated, responded), len(score))
	return q, nil
}

// AUUC returns the normalised area under the uplift curve (UpliftCurve):
// (A_model - A_random) / (A_perfect - A_random), with the random line from
// (0, 0) to the curve's end and the perfect curve of the oracle order of
// scikit-uplift's uplift_auc_score (see perfectUpliftScore), whose
// normalisation this is. 1 is a perfect ranking, 0 a random one. Errors as
// in QiniCurve.
func AUUC(score []float64, treated, responded []bool) (float64, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return 0, err
	}
	a, _ := normalised(curve(score, treated, responded, counts.uplift), perfectUplift(treated, responded), len(score))
	return a, nil
}

// UpliftAtK returns the uplift among the top share k (0 < k < 1) of rows by
// score: the response rate of the treated rows minus that of the control
// rows among the first ceil(k*n) rows — the "overall" strategy of
// scikit-uplift's uplift_at_k, the uplift@k of Gutierrez & Gérardy (2017).
// Unlike scikit-uplift, rows tied with the last row taken are included in
// equal fractions (each row of the boundary tie group with weight
// needed/size), so the result does not depend on the order of tied rows.
// Errors as in QiniCurve, plus ErrRange for k and ErrGroup when the top
// rows hold no treated or no control row.
func UpliftAtK(score []float64, treated, responded []bool, k float64) (float64, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return 0, err
	}
	if !(k > 0 && k < 1) {
		return 0, fieldErr("k", -1, ErrRange)
	}
	return upliftAtK(order(score), score, treated, responded, k)
}

func upliftAtK(idx []int, score []float64, treated, responded []bool, k float64) (float64, error) {
	need := math.Ceil(k * float64(len(score)))
	var c counts
	taken := 0.0
	for i := 0; i < len(idx) && taken < need; {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			j++
		}
		w := math.Min(1, (need-taken)/float64(j-i))
		for _, r := range idx[i:j] {
			c.n += w
			if treated[r] {
				c.nt += w
				if responded[r] {
					c.rt += w
				}
			} else if responded[r] {
				c.rc += w
			}
		}
		taken += w * float64(j-i)
		i = j
	}
	if c.nt == 0 || c.nc() <= 0 {
		return 0, fieldErr("k", -1, ErrGroup)
	}
	// Fractional weights can push a rate a rounding error past 1.
	return min(1, c.rt/c.nt) - min(1, c.rc/c.nc()), nil
}

// Evaluation summarises an uplift ranking on a test set.
type Evaluation struct {
	// Rows is the test rows, Treated and Control the rows of each arm.
	Rows, Treated, Control int
	// ATE is the observed average treatment effect: the treated response
	// rate minus the control response rate over all rows (what random
	// targeting earns per customer).
	ATE float64
	// Qini is the Qini coefficient and AUUC the normalised area under the
	// uplift curve (see Qini, AUUC).
	Qini, AUUC float64
	// QiniGain and UpliftGain are the raw areas between each curve and its
	// random line with both axes divided by the rows, so that a curve in
	// the unit square gives a number comparable across sample sizes.
	QiniGain, UpliftGain float64
	// K and UpliftAtK are the share targeted and the uplift there (see
	// UpliftAtK).
	K, UpliftAtK float64
}

// Evaluate computes every metric of an uplift ranking at once. k is the
// share for UpliftAtK. Errors as in UpliftAtK.
func Evaluate(score []float64, treated, responded []bool, k float64) (Evaluation, error) {
	if err := checkInputs(score, treated, responded); err != nil {
		return Evaluation{}, err
	}
	if !(k > 0 && k < 1) {
		return Evaluation{}, fieldErr("k", -1, ErrRange)
	}
	idx := order(score)
	u, err := upliftAtK(idx, score, treated, responded, k)
	if err != nil {
		return Evaluation{}, err
	}
	e := Evaluation{Rows: len(score), K: k, UpliftAtK: u}
	var rt, rc int
	for i, t := range treated {
		if t {
			e.Treated++
			if responded[i] {
				rt++
			}
		} else if responded[i] {
			rc++
		}
	}
	e.Control = e.Rows - e.Treated
	e.ATE = float64(rt)/float64(e.Treated) - float64(rc)/float64(e.Control)
	e.Qini, e.QiniGain = normalised(curveOf(idx, score, treated, responded, counts.qini), perfectQini(treated, responded), e.Rows)
	e.AUUC, e.UpliftGain = normalised(curveOf(idx, score, treated, responded, counts.uplift), perfectUplift(treated, responded), e.Rows)
	return e, nil
}
