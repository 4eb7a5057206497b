package clv

import (
	"math"
	"slices"
)

// Customer is one customer's purchase summary in the notation of Fader,
// Hardie & Lee (2005): the calibration period runs from the customer's first
// purchase (time 0) to the calibration end (time T), all times in weeks.
// Summarize builds it from transactions; callers with their own summaries
// may fill it directly.
type Customer struct {
	// ID is the caller's customer identifier. The models do not read it.
	ID string
	// Frequency is x, the number of repeat purchases (purchase days after
	// the first) in the calibration period.
	Frequency int
	// Recency is t_x, the time in weeks from the first purchase to the last
	// repeat purchase; 0 when Frequency is 0.
	Recency float64
	// T is the time in weeks from the first purchase to the end of the
	// calibration period.
	T float64
	// Spend is the mean amount per repeat purchase in the calibration
	// period (the first purchase is excluded), as Gamma-Gamma uses it; 0
	// when Frequency is 0. Only Gamma-Gamma and Value read it.
	Spend float64
	// Holdout is the number of repeat purchases in the holdout period, when
	// the summary was built with one; 0 otherwise. The models do not read
	// it.
	Holdout int
}

// validate checks the fields the transaction models read.
func (c *Customer) validate(i int) error {
	switch {
	case c.Frequency < 0:
		return fieldErr(i, "Frequency", "negative", ErrCustomer)
	case math.IsNaN(c.T) || math.IsInf(c.T, 0) || c.T < 0:
		return fieldErr(i, "T", "not a finite non-negative number", ErrCustomer)
	case math.IsNaN(c.Recency) || math.IsInf(c.Recency, 0) || c.Recency < 0:
		return fieldErr(i, "Recency", "not a finite non-negative number", ErrCustomer)
	case c.Recency > c.T:
		return fieldErr(i, "Recency", "exceeds T", ErrCustomer)
	case c.Frequency == 0 && c.Recency != 0:
		return fieldErr(i, "Recency", "positive with zero Frequency", ErrCustomer)
	}
	return nil
}

// validateSpend checks Spend for a customer with repeat purchases.
func (c *Customer) validateSpend(i int) error {
	if math.IsNaN(c.Spend) || math.IsInf(c.Spend, 0) || c.Spend < 0 {
		return fieldErr(i, "Spend", "not a finite non-negative number", ErrCustomer)
	}
	return nil
}

// validateWeights checks that weights is nil or holds one finite
// non-negative weight per customer.
func validateWeights(n int, weights []float64) error {
	if weights == nil {
		return nil
	}
	if len(weights) != n {
		return fieldErr(-1, "weights", "length differs from customers", ErrWeight)
	}
	for i, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return fieldErr(i, "weight", "not a finite non-negative number", ErrWeight)
		}
	}
	return nil
}

// rftData holds distinct (x, t_x, T) rows with summed weights, sorted by
// x, then T, then t_x, with one block per distinct x. Grouping identical
// rows makes the likelihood cost depend on the number of distinct rows, not
// on the number of customers.
type rftData struct {
	tx, t, w []float64 // per row
	tIdx     []int32   // per row, index of t in tVals
	tVals    []float64 // distinct T values, ascending
	blocks   []xBlock
	total    float64 // sum of weights
	repeat   float64 // weight of rows with x > 0
	sumX     float64 // Σ w·x
	sumT     float64 // Σ w·T
}

// xBlock is the half-open range [start, end) of rows with frequency x.
type xBlock struct {
	x          int
	start, end int
}

// groupRFT validates customers and weights and groups identical rows.
// Zero-weight customers are validated and then ignored. Rows are sorted
// (deterministically for a given input) and equal neighbours merged.
// prepareRFT checks the options of a four-parameter purchase model and
// groups the customers, failing with ErrNoRepeaters when nobody bought
// twice: the preamble of FitBGNBD and FitParetoNBD.
func prepareRFT(cs []Customer, weights []float64, opts *FitOptions) (FitOptions, *rftData, error) {
	o, err := checkFitOptions(opts, 4)
	if err != nil {
		return o, nil, err
	}
	d, err := groupRFT(cs, weights)
	if err != nil {
		return o, nil, err
	}
	if d.repeat == 0 {
		return o, nil, ErrNoRepeaters
	}
	return o, d, nil
}

func groupRFT(cs []Customer, weights []float64) (*rftData, error) {
	if err := validateWeights(len(cs), weights); err != nil {
		return nil, err
	}
	type rec struct {
		x     int
		t, tx float64
		w     float64
	}
	recs := make([]rec, 0, len(cs))
	for i := range cs {
		c := &cs[i]
		if err := c.validate(i); err != nil {
			return nil, err
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if w == 0 {
			continue
		}
		// +0 for −0 so that equal times compare and group equal.
		recs = append(recs, rec{c.Frequency, c.T + 0, c.Recency + 0, w})
	}
	if len(recs) == 0 {
		return nil, ErrEmpty
	}
	slices.SortFunc(recs, func(a, b rec) int {
		switch {
		case a.x != b.x:
			return a.x - b.x
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		case a.tx < b.tx:
			return -1
		case a.tx > b.tx:
			return 1
		}
		return 0
	})
	d := &rftData{}
	for i := 0; i < len(recs); {
		k := recs[i]
		w := 0.0
		j := i
		for ; j < len(recs) && recs[j].x == k.x && recs[j].t == k.t && recs[j].tx == k.tx; j++ {
			w += recs[j].w
		}
		r := len(d.w)
		d.tx = append(d.tx, k.tx)
		d.t = append(d.t, k.t)
		d.w = append(d.w, w)
		if len(d.blocks) == 0 || d.blocks[len(d.blocks)-1].x != k.x {
			d.blocks = append(d.blocks, xBlock{x: k.x, start: r})
		}
		d.blocks[len(d.blocks)-1].end = r + 1
		d.total += w
		d.sumX += w * float64(k.x)
		d.sumT += w * k.t
		if k.x > 0 {
			d.repeat += w
		}
		i = j
	}
	if math.IsInf(d.total, 0) || math.IsInf(d.sumT, 0) {
		return nil, fieldErr(-1, "weights", "sum overflows", ErrWeight)
	}
	d.indexT()
	return d, nil
}

// indexT fills tVals and tIdx, so that functions of α+T are computed once
// per distinct T (a cohort has few distinct ages).
func (d *rftData) indexT() {
	d.tVals = slices.Clone(d.t)
	slices.Sort(d.tVals)
	d.tVals = slices.Compact(d.tVals)
	d.tIdx = make([]int32, len(d.t))
	for i, t := range d.t {
		j, _ := slices.BinarySearch(d.tVals, t)
		d.tIdx[i] = int32(j)
	}
}

// singleRow returns the one-row data of customer c (already validated).
func singleRow(c Customer) *rftData {
	d := &rftData{tx: []float64{c.Recency}, t: []float64{c.T}, w: []float64{1},
		blocks: []xBlock{{x: c.Frequency, start: 0, end: 1}}, total: 1}
	d.indexT()
	return d
}
