package scorecard

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Kind is the type of a variable: numeric or categorical.
type Kind uint8

const (
	// Numeric variables hold float64 values; NaN means missing.
	Numeric Kind = iota
	// Categorical variables hold strings; "" means missing.
	Categorical
)

// String returns "numeric" or "categorical".
func (k Kind) String() string {
	switch k {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Column is one variable of a Dataset. Exactly one of Num and Cat is used,
// according to Kind; both have one element per row.
type Column struct {
	Name string
	Kind Kind
	Num  []float64 // Kind == Numeric: values, NaN = missing, ±Inf is an error
	Cat  []string  // Kind == Categorical: values, "" = missing
}

// Len returns the number of rows of the column.
func (c *Column) Len() int {
	if c.Kind == Categorical {
		return len(c.Cat)
	}
	return len(c.Num)
}

// Field names a column and its kind; a slice of Fields is a schema.
type Field struct {
	Name string
	Kind Kind
}

// Dataset is a column-oriented table of candidate variables with a binary
// target. Bad[i] is true when row i is a "bad" (the event the scorecard
// predicts: default, fraud, response...). Target, BadLabel and GoodLabel are
// informational and are copied into a fitted model.
type Dataset struct {
	Columns   []Column
	Bad       []bool
	Target    string // name of the target column
	BadLabel  string // target value meaning bad
	GoodLabel string // target value meaning good
}

// Rows returns the number of rows (the length of Bad).
func (d *Dataset) Rows() int { return len(d.Bad) }

// Column returns the column with the given name.
func (d *Dataset) Column(name string) (*Column, bool) {
	for i := range d.Columns {
		if d.Columns[i].Name == name {
			return &d.Columns[i], true
		}
	}
	return nil, false
}

// Schema returns the names and kinds of the columns, in order.
func (d *Dataset) Schema() []Field {
	s := make([]Field, len(d.Columns))
	for i, c := range d.Columns {
		s[i] = Field{Name: c.Name, Kind: c.Kind}
	}
	return s
}

// Validate checks that column names are unique and non-empty, every column
// has one value per row, numeric values are finite or NaN, and kinds are known.
// It does not require both target classes (see Fit).
func (d *Dataset) Validate() error {
	n := len(d.Bad)
	seen := make(map[string]bool, len(d.Columns))
	for i := range d.Columns {
		c := &d.Columns[i]
		if c.Name == "" {
			return &FieldError{Field: "Columns[" + strconv.Itoa(i) + "].Name", Reason: "empty name", Err: ErrSchema}
		}
		if seen[c.Name] {
			return varErr(c.Name, -1, ErrSchema)
		}
		seen[c.Name] = true
		switch c.Kind {
		case Numeric:
			if len(c.Num) != n {
				return varErr(c.Name, -1, ErrLength)
			}
			for r, v := range c.Num {
				if math.IsInf(v, 0) {
					return varErr(c.Name, r, ErrNonFinite)
				}
			}
		case Categorical:
			if len(c.Cat) != n {
				return varErr(c.Name, -1, ErrLength)
			}
		default:
			return varErr(c.Name, -1, ErrSchema)
		}
	}
	return nil
}

// Subset returns a new Dataset holding the given rows, in the given order.
// Indices must be in [0, Rows()); the data are copied.
func (d *Dataset) Subset(rows []int) *Dataset {
	out := &Dataset{Target: d.Target, BadLabel: d.BadLabel, GoodLabel: d.GoodLabel}
	out.Bad = make([]bool, len(rows))
	for i, r := range rows {
		out.Bad[i] = d.Bad[r]
	}
	out.Columns = make([]Column, len(d.Columns))
	for j, c := range d.Columns {
		nc := Column{Name: c.Name, Kind: c.Kind}
		if c.Kind == Categorical {
			nc.Cat = make([]string, len(rows))
			for i, r := range rows {
				nc.Cat[i] = c.Cat[r]
			}
		} else {
			nc.Num = make([]float64, len(rows))
			for i, r := range rows {
				nc.Num[i] = c.Num[r]
			}
		}
		out.Columns[j] = nc
	}
	return out
}

// Folds assigns every row to one of k folds, stratified by the target (bads
// and goods are each shuffled with a PCG generator seeded by seed and dealt
// round-robin), and returns the row indices of each fold in ascending order.
// It is deterministic for a given seed.
func (d *Dataset) Folds(k int, seed uint64) ([][]int, error) {
	if k < 2 {
		return nil, optErr("k", "need at least 2 folds")
	}
	if k > len(d.Bad) {
		return nil, optErr("k", "more folds than rows")
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed5c0cecad))
	var bads, goods []int
	for i, b := range d.Bad {
		if b {
			bads = append(bads, i)
		} else {
			goods = append(goods, i)
		}
	}
	folds := make([][]int, k)
	f := 0
	for _, g := range [][]int{bads, goods} {
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		for _, r := range g {
			folds[f] = append(folds[f], r)
			f = (f + 1) % k
		}
	}
	for _, fo := range folds {
		slices.Sort(fo)
	}
	return folds, nil
}

// Split divides the rows into a training and a test set, stratified by the
// target: a share testFraction (0 < testFraction < 1) of the bads and of the
// goods, chosen with a PCG generator seeded by seed, goes to test. Row order is
// preserved inside each part. It is deterministic for a given seed.
func (d *Dataset) Split(testFraction float64, seed uint64) (train, test *Dataset, err error) {
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, optErr("testFraction", "must be in (0, 1)")
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed5c0cecad))
	isTest := make([]bool, len(d.Bad))
	for _, class := range []bool{true, false} {
		var idx []int
		for i, b := range d.Bad {
			if b == class {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		nt := int(math.Round(testFraction * float64(len(idx))))
		for _, r := range idx[:nt] {
			isTest[r] = true
		}
	}
	var tr, te []int
	for i, t := range isTest {
		if t {
			te = append(te, i)
		} else {
			tr = append(tr, i)
		}
	}
	if len(tr) == 0 || len(te) == 0 {
		return nil, nil, optErr("testFraction", "leaves an empty part")
	}
	return d.Subset(tr), d.Subset(te), nil
}
