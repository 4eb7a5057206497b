package scorecard

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// The metric functions take score with the machine-learning orientation:
// a higher score means more likely bad (a PD, a risk score). To evaluate
// scorecard points (higher = safer), pass the PD from Result.PD, or negate
// the points; Gains has an option for points.

func checkScores(score []float64, bad []bool, field string) (nb, ng int, err error) {
	if len(score) != len(bad) {
		return 0, 0, &FieldError{Field: field, Reason: "length differs from bad", Err: ErrLength}
	}
	if len(score) == 0 {
		return 0, 0, &FieldError{Field: field, Err: ErrEmpty}
	}
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, 0, &FieldError{Field: field, Reason: "row " + strconv.Itoa(i), Err: ErrNonFinite}
		}
	}
	ng, nb = countTarget(bad)
	if nb == 0 || ng == 0 {
		return 0, 0, &FieldError{Field: "bad", Err: ErrOneClass}
	}
	return nb, ng, nil
}

// tieGroups calls fn for every group of equal scores in ascending order of
// score with the group's bads and goods.
func tieGroups(score []float64, bad []bool, fn func(s float64, bads, goods int)) {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case score[a] < score[b]:
			return -1
		case score[a] > score[b]:
			return 1
		}
		return a - b
	})
	for i := 0; i < len(idx); {
		s := score[idx[i]]
		b, g := 0, 0
		for ; i < len(idx) && score[idx[i]] == s; i++ {
			if bad[idx[i]] {
				b++
			} else {
				g++
			}
		}
		fn(s, b, g)
	}
}

// AUC returns the area under the ROC curve: the probability that a random
// bad scores higher than a random good, ties counting one half — the
// Mann-Whitney U statistic divided by n_bad*n_good (Hanley & McNeil 1982,
// Radiology 143:29-36).
func AUC(score []float64, bad []bool) (float64, error) {
	nb, ng, err := checkScores(score, bad, "score")
	if err != nil {
		return 0, err
	}
	var u float64
	goodsBelow := 0
	tieGroups(score, bad, func(_ float64, b, g int) {
		u += float64(b)*float64(goodsBelow) + 0.5*float64(b)*float64(g)
		goodsBelow += g
	})
	return u / (float64(nb) * float64(ng)), nil
}

// Gini returns the accuracy ratio 2*AUC - 1 (the Gini coefficient of the
// CAP curve; Engelmann, Hayden & Tasche 2003, Risk 16(1)).
func Gini(score []float64, bad []bool) (float64, error) {
	a, err := AUC(score, bad)
	if err != nil {
		return 0, err
	}
	return 2*a - 1, nil
}

// KS returns the Kolmogorov-Smirnov statistic max_t |F_bad(t) - F_good(t)|
// between the score distributions of bads and goods (Siddiqi 2006, ch. 8),
// evaluated between tie groups, and the score t where it is reached (the
// rows with score <= t on one side).
func KS(score []float64, bad []bool) (ks, at float64, err error) {
	nb, ng, err := checkScores(score, bad, "score")
	if err != nil {
		return 0, 0, err
	}
	cb, cg := 0, 0
	tieGroups(score, bad, func(s float64, b, g int) {
		cb += b
		cg += g
		if d := math.Abs(float64(cg)/float64(ng) - float64(cb)/float64(nb)); d > ks {
			ks, at = d, s
		}
	})
	return ks, at, nil
}

// GainsOptions configures Gains. The zero value gives ten bands of a
// risk-oriented score.
type GainsOptions struct {
	// Bands is the number of equal-frequency bands. 0 means 10.
	Bands int
	// HigherIsSafer says the score is a credit score (higher = lower risk),
	// such as scorecard points; bands still run from riskiest to safest.
	HigherIsSafer bool
}

// GainsRow is one band of a gains (lift) table, bands ordered from the
// riskiest (band 1) to the safest.
type GainsRow struct {
	Band          int
	Lo, Hi        float64 // lowest and highest score in the band
	Count, Bads   int
	BadRate       float64 // Bads / Count
	CumCountShare float64 // share of all rows in bands 1..Band
	CumBadShare   float64 // share of all bads in bands 1..Band (gains, capture rate)
	CumGoodShare  float64 // share of all goods in bands 1..Band
	Lift          float64 // BadRate / overall bad rate
	CumLift       float64 // CumBadShare / CumCountShare
	KS            float64 // CumBadShare - CumGoodShare
}

// Gains returns a gains table (Siddiqi 2006, ch. 9, "gains chart"): rows
// ordered from riskiest to safest are cut into equal-frequency bands,
// keeping equal scores in one band (so bands may differ in size or be
// fewer than asked).
func Gains(score []float64, bad []bool, opts *GainsOptions) ([]GainsRow, error) {
	var o GainsOptions
	if opts != nil {
		o = *opts
	}
	if o.Bands < 0 {
		return nil, optErr("Gains.Bands", "must be non-negative")
	}
	if o.Bands == 0 {
		o.Bands = 10
	}
	nb, ng, err := checkScores(score, bad, "score")
	if err != nil {
		return nil, err
	}
	n := len(score)
	// Collect tie groups riskiest first.
	type grp struct {
		s    float64
		b, g int
	}
	var groups []grp
	tieGroups(score, bad, func(s float64, b, g int) { groups = append(groups, grp{s, b, g}) })
	if !o.HigherIsSafer {
		slices.Reverse(groups)
	}
	var rows []GainsRow
	cum, last := 0, -1
	for _, gr := range groups {
		c := gr.b + gr.g
		k := int(float64(o.Bands) * (float64(cum) + float64(c)/2) / float64(n))
		if k != last || len(rows) == 0 {
			rows = append(rows, GainsRow{Band: len(rows) + 1, Lo: gr.s, Hi: gr.s})
			last = k
		}
		r := &rows[len(rows)-1]
		r.Lo, r.Hi = math.Min(r.Lo, gr.s), math.Max(r.Hi, gr.s)
		r.Count += c
		r.Bads += gr.b
		cum += c
	}
	overall := float64(nb) / float64(n)
	cc, cb, cg := 0, 0, 0
	for i := range rows {
		r := &rows[i]
		cc += r.Count
		cb += r.Bads
		cg += r.Count - r.Bads
		r.BadRate = float64(r.Bads) / float64(r.Count)
		r.CumCountShare = float64(cc) / float64(n)
		r.CumBadShare = float64(cb) / float64(nb)
		r.CumGoodShare = float64(cg) / float64(ng)
		r.Lift = r.BadRate / overall
		r.CumLift = r.CumBadShare / r.CumCountShare
		r.KS = r.CumBadShare - r.CumGoodShare
	}
	return rows, nil
}

// CalibrationRow is one band of a calibration table.
type CalibrationRow struct {
	Band        int
	Lo, Hi      float64 // lowest and highest predicted PD in the band
	Count, Bads int
	MeanPD      float64 // mean predicted PD
	BadRate     float64 // observed bad rate
}

// Calibration compares predicted and observed bad rates.
type Calibration struct {
	Rows []CalibrationRow
	// HL is the Hosmer-Lemeshow statistic Σ (O - E)² / (E (1 - E/n)) over
	// bands, DF = bands - 2 its degrees of freedom and P the chi-square
	// p value (Hosmer & Lemeshow 2000, Applied Logistic Regression, §5.2.2).
	// A small P means the PDs are miscalibrated. P is 1 when DF < 1.
	HL float64
	DF int
	P  float64
}

// Calibrate builds a calibration table of predicted PDs (each in [0, 1])
// against outcomes, in equal-frequency bands of PD (0 bands means 10),
// ascending; equal PDs stay in one band.
func Calibrate(pd []float64, bad []bool, bands int) (*Calibration, error) {
	if bands < 0 {
		return nil, optErr("bands", "must be non-negative")
	}
	if bands == 0 {
		bands = 10
	}
	if _, _, err := checkScores(pd, bad, "pd"); err != nil {
		return nil, err
	}
	for i, p := range pd {
		if p < 0 || p > 1 {
			return nil, &FieldError{Field: "pd", Reason: "row " + strconv.Itoa(i) + " outside [0, 1]", Err: ErrRange}
		}
	}
	n := len(pd)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case pd[a] < pd[b]:
			return -1
		case pd[a] > pd[b]:
			return 1
		}
		return 0
	})
	c := &Calibration{}
	sum := make([]float64, 0, bands)
	last := -1
	for i := 0; i < n; {
		j := i
		for j < n && pd[idx[j]] == pd[idx[i]] {
			j++
		}
		k := int(float64(bands) * (float64(i) + float64(j-i)/2) / float64(n))
		if k != last || len(c.Rows) == 0 {
			c.Rows = append(c.Rows, CalibrationRow{Band: len(c.Rows) + 1, Lo: pd[idx[i]]})
			sum = append(sum, 0)
			last = k
		}
		r := &c.Rows[len(c.Rows)-1]
		for _, t := range idx[i:j] {
			r.Count++
			if bad[t] {
				r.Bads++
			}
			sum[len(sum)-1] += pd[t]
		}
		r.Hi = pd[idx[j-1]]
		i = j
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		r.MeanPD = sum[i] / float64(r.Count)
		r.BadRate = float64(r.Bads) / float64(r.Count)
		e := sum[i]
		if v := e * (1 - e/float64(r.Count)); v > 0 {
			d := float64(r.Bads) - e
			c.HL += d * d / v
		}
	}
	c.DF = len(c.Rows) - 2
	c.P = 1
	if c.DF >= 1 {
		c.P = distuv.ChiSquared{K: float64(c.DF)}.Survival(c.HL)
	}
	return c, nil
}

// PSI returns the population stability index Σ (a_i - e_i) ln(a_i / e_i)
// between the shares e of the expected (baseline) and a of the actual
// distribution over the same bands, given as counts (or weights). If any
// band is empty in either sample, 0.5 is added to every band of both (the
// Haldane-Anscombe correction) so the index stays finite. Rules of thumb
// (Siddiqi 2006, ch. 12; Yurdakul 2018, "Statistical properties of the
// population stability index"): below 0.1 stable, 0.1-0.25 a shift worth a
// look, above 0.25 a significant shift. Applied to one variable's bins it is
// the characteristic stability index (CSI).
func PSI(expected, actual []float64) (float64, error) {
	if len(expected) != len(actual) {
		return 0, &FieldError{Field: "actual", Reason: "length differs from expected", Err: ErrLength}
	}
	if len(expected) == 0 {
		return 0, &FieldError{Field: "expected", Err: ErrEmpty}
	}
	var se, sa float64
	zero := false
	for i := range expected {
		for _, v := range []float64{expected[i], actual[i]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, &FieldError{Field: "counts", Reason: "band " + strconv.Itoa(i), Err: ErrNonFinite}
			}
			if v < 0 {
				return 0, &FieldError{Field: "counts", Reason: "band " + strconv.Itoa(i) + " negative", Err: ErrRange}
			}
			if v == 0 {
				zero = true
			}
		}
		se += expected[i]
		sa += actual[i]
	}
	if se == 0 || sa == 0 {
		return 0, &FieldError{Field: "counts", Reason: "a sample has no weight", Err: ErrEmpty}
	}
	add := 0.0
	if zero {
		add = 0.5
		se += 0.5 * float64(len(expected))
		sa += 0.5 * float64(len(actual))
	}
	psi := 0.0
	for i := range expected {
		e := (expected[i] + add) / se
		a := (actual[i] + add) / sa
		psi += (a - e) * math.Log(a/e)
	}
	return psi, nil
}

// PSISample returns the PSI of two samples of a score over bands equal-
// frequency bands cut on base (0 means 10; equal values stay in one band).
func PSISample(base, current []float64, bands int) (float64, error) {
	if bands < 0 {
		return 0, optErr("bands", "must be non-negative")
	}
	if bands == 0 {
		bands = 10
	}
	for k, s := range [][]float64{base, current} {
		name := [2]string{"base", "current"}[k]
		if len(s) == 0 {
			return 0, &FieldError{Field: name, Err: ErrEmpty}
		}
		for i, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, &FieldError{Field: name, Reason: "row " + strconv.Itoa(i), Err: ErrNonFinite}
			}
		}
	}
	bl := scoreBaseline(base, bands)
	cur := make([]float64, len(bl.ScoreCounts))
	for _, v := range current {
		cur[bandOf(bl.ScoreCuts, v)]++
	}
	exp := make([]float64, len(bl.ScoreCounts))
	for i, c := range bl.ScoreCounts {
		exp[i] = float64(c)
	}
	return PSI(exp, cur)
}
