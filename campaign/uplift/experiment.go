package uplift

import (
	"math"
	"math/rand/v2"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// Experiment is a randomised campaign test: the customers' candidate
// variables with their response (a scorecard.Dataset whose Bad[i] is true
// when customer i responded) and the arm of every customer (Treated[i]:
// received the campaign; otherwise in the control group).
type Experiment struct {
	Data    *scorecard.Dataset // candidate variables; Bad[i]: customer i responded
	Treated []bool             // Treated[i]: customer i received the campaign
}

// Validate checks that Data is a valid dataset with one arm per row and
// both arms present. Errors: ErrEmpty, ErrLength, ErrGroup, and
// scorecard validation errors.
func (e *Experiment) Validate() error {
	if e == nil || e.Data == nil || e.Data.Rows() == 0 {
		return fieldErr("data", -1, ErrEmpty)
	}
	if len(e.Treated) != e.Data.Rows() {
		return fieldErr("treated", -1, ErrLength)
	}
	nt := 0
	for _, t := range e.Treated {
		if t {
			nt++
		}
	}
	if nt == 0 || nt == len(e.Treated) {
		return fieldErr("treated", -1, ErrGroup)
	}
	return e.Data.Validate()
}

// NewExperiment builds an Experiment from a dataset whose categorical
// column names each row's arm: rows holding treated or control are kept
// (others, such as a third arm, are dropped) and the column is removed
// from the candidate variables. Errors: ErrColumn (the column is missing
// or not categorical, or treated equals control), ErrGroup (an arm has no
// row).
func NewExperiment(ds *scorecard.Dataset, column, treated, control string) (*Experiment, error) {
	if ds == nil {
		return nil, fieldErr("data", -1, ErrEmpty)
	}
	c, ok := ds.Column(column)
	if !ok || c.Kind != scorecard.Categorical || treated == control {
		return nil, fieldErr(column, -1, ErrColumn)
	}
	var rows []int
	var arm []bool
	for i, v := range c.Cat {
		if v == treated || v == control {
			rows = append(rows, i)
			arm = append(arm, v == treated)
		}
	}
	sub := ds.Subset(rows)
	kept := sub.Columns[:0]
	for _, col := range sub.Columns {
		if col.Name != column {
			kept = append(kept, col)
		}
	}
	sub.Columns = kept
	e := &Experiment{Data: sub, Treated: arm}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// Subset returns the experiment restricted to the given rows, in order.
func (e *Experiment) Subset(rows []int) *Experiment {
	t := make([]bool, len(rows))
	for i, r := range rows {
		t[i] = e.Treated[r]
	}
	return &Experiment{Data: e.Data.Subset(rows), Treated: t}
}

// Split divides the experiment into a training and a test part,
// stratified by arm and response (see SplitRows). Row order is kept inside
// each part; the split is deterministic for a seed. Errors: ErrRange, and
// Validate's errors (also when a part lacks an arm).
func (e *Experiment) Split(testFraction float64, seed uint64) (train, test *Experiment, err error) {
	tr, te, err := e.SplitRows(testFraction, seed)
	if err != nil {
		return nil, nil, err
	}
	train, test = e.Subset(tr), e.Subset(te)
	if err := train.Validate(); err != nil {
		return nil, nil, err
	}
	if err := test.Validate(); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// SplitRows returns the rows (ascending) of a training and a test part: a
// share testFraction (0 < testFraction < 1, rounded to the nearest row) of
// each of the four cells (treated or control, responded or not), chosen by
// shuffling each cell with a PCG generator seeded by seed, goes to test.
// Stratifying by arm and response keeps the test part's average effect
// equal to the whole experiment's up to rounding, so models are compared
// on the ranking alone. Errors: ErrRange, and Validate's errors.
func (e *Experiment) SplitRows(testFraction float64, seed uint64) (train, test []int, err error) {
	if err := e.Validate(); err != nil {
		return nil, nil, err
	}
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, fieldErr("testFraction", -1, ErrRange)
	}
	rng := rand.New(rand.NewPCG(seed, 0x75706c696674))
	isTest := make([]bool, e.Data.Rows())
	for cell := range 4 {
		var idx []int
		for i, t := range e.Treated {
			if t == (cell&1 == 1) && e.Data.Bad[i] == (cell&2 == 2) {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, r := range idx[:int(math.Round(testFraction*float64(len(idx))))] {
			isTest[r] = true
		}
	}
	for i, t := range isTest {
		if t {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test, nil
}

// arm returns the rows of one arm.
func (e *Experiment) arm(treated bool) []int {
	var rows []int
	for i, t := range e.Treated {
		if t == treated {
			rows = append(rows, i)
		}
	}
	return rows
}
