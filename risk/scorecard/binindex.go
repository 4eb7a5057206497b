package scorecard

import (
	"math"
	"slices"
	"strconv"
)

// binIndex is the compiled lookup of a Binning: value -> bin index.
type binIndex struct {
	kind    Kind
	cuts    []float64 // numeric: regular bin r covers [cuts[r-1], cuts[r])
	special []float64 // numeric: special code s is bin nreg+s
	nreg    int
	missing int
	cats    map[string]int32
	catList []string // small variables: categories in bin order, scanned linearly
	catBin  []int32  // bin of catList[i]
	unseen  int
}

// linearCats is the largest number of categories looked up by a linear scan
// instead of the map (a scan of short strings beats hashing up to about
// this size).
const linearCats = 16

// compileBinning validates the structure of b and builds its index. Field
// paths in errors start with path.
func compileBinning(b *Binning, path string) (binIndex, error) {
	bad := func(field, reason string) error {
		return &FieldError{Field: path + field, Reason: reason, Err: ErrModel}
	}
	ix := binIndex{kind: b.Kind, missing: -1, unseen: -1}
	if b.Name == "" {
		return ix, bad(".name", "empty")
	}
	if len(b.Bins) < 2 {
		return ix, bad(".bins", "need a regular bin and the missing bin")
	}
	last := len(b.Bins) - 1
	if b.Bins[last].Kind != MissingBin {
		return ix, bad(".bins["+strconv.Itoa(last)+"].kind", "last bin must be the missing bin")
	}
	ix.missing = last
	for i := range b.Bins {
		bn := &b.Bins[i]
		bp := ".bins[" + strconv.Itoa(i) + "]"
		if bn.Count < 0 || bn.Bads < 0 || bn.Bads > bn.Count {
			return ix, bad(bp+".count", "counts must satisfy 0 <= bads <= count")
		}
		if !finite(bn.WoE) || !finite(bn.IV) {
			return ix, &FieldError{Field: path + bp + ".woe", Err: ErrNonFinite}
		}
		if i != last && bn.Kind == MissingBin {
			return ix, bad(bp+".kind", "only the last bin may be the missing bin")
		}
	}
	if !finite(b.IV) {
		return ix, &FieldError{Field: path + ".iv", Err: ErrNonFinite}
	}
	switch b.Kind {
	case Numeric:
		i := 0
		for ; i < last && b.Bins[i].Kind == RangeBin; i++ {
			bn := &b.Bins[i]
			bp := ".bins[" + strconv.Itoa(i) + "]"
			if i == 0 {
				if !math.IsInf(bn.Lo, -1) {
					return ix, bad(bp+".lo", "first range must start at -Inf")
				}
			} else {
				prev := b.Bins[i-1].Hi
				if bn.Lo != prev || !finite(bn.Lo) {
					return ix, bad(bp+".lo", "ranges must be contiguous")
				}
				ix.cuts = append(ix.cuts, bn.Lo)
			}
			if math.IsNaN(bn.Hi) || math.IsInf(bn.Hi, -1) || !(bn.Lo < bn.Hi) {
				return ix, bad(bp+".hi", "range must be non-empty")
			}
		}
		ix.nreg = i
		if i == 0 {
			return ix, bad(".bins", "numeric variable needs a range bin")
		}
		if !math.IsInf(b.Bins[i-1].Hi, 1) {
			return ix, bad(".bins["+strconv.Itoa(i-1)+"].hi", "last range must end at +Inf")
		}
		for ; i < last; i++ {
			bn := &b.Bins[i]
			bp := ".bins[" + strconv.Itoa(i) + "]"
			if bn.Kind != SpecialBin {
				return ix, bad(bp+".kind", "expected a special bin after the ranges")
			}
			if !finite(bn.Special) {
				return ix, &FieldError{Field: path + bp + ".special", Err: ErrNonFinite}
			}
			for _, s := range ix.special {
				if s == bn.Special {
					return ix, bad(bp+".special", "duplicate special code")
				}
			}
			ix.special = append(ix.special, bn.Special)
		}
	case Categorical:
		ix.cats = make(map[string]int32)
		for i := range last {
			bn := &b.Bins[i]
			bp := ".bins[" + strconv.Itoa(i) + "]"
			if bn.Kind != CategoryBin {
				return ix, bad(bp+".kind", "categorical variable holds category bins and the missing bin")
			}
			if len(bn.Categories) == 0 {
				return ix, bad(bp+".categories", "empty")
			}
			for _, c := range bn.Categories {
				if c == "" {
					return ix, bad(bp+".categories", "empty category (\"\" means missing)")
				}
				if _, dup := ix.cats[c]; dup {
					return ix, bad(bp+".categories", "category in two bins")
				}
				ix.cats[c] = int32(i)
				ix.catList = append(ix.catList, c)
				ix.catBin = append(ix.catBin, int32(i))
			}
			if bn.Rare {
				if ix.unseen >= 0 {
					return ix, bad(bp+".rare", "more than one rare group")
				}
				ix.unseen = i
			}
		}
		ix.nreg = last
		switch b.Unseen {
		case UnseenRare:
			if ix.unseen < 0 {
				ix.unseen = ix.missing
			}
		case UnseenWorst:
			ix.unseen = -1
			for i := range b.Bins {
				if b.Bins[i].Count > 0 && (ix.unseen < 0 || b.Bins[i].WoE < b.Bins[ix.unseen].WoE) {
					ix.unseen = i
				}
			}
			if ix.unseen < 0 {
				ix.unseen = ix.missing
			}
		default:
			return ix, bad(".unseen", "unknown rule")
		}
	default:
		return ix, bad(".kind", "unknown kind")
	}
	if b.Trend > TrendNone {
		return ix, bad(".trend", "unknown trend")
	}
	return ix, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// num returns the bin of numeric value x, or -1 if x is ±Inf.
func (ix *binIndex) num(x float64) int {
	if x != x {
		return ix.missing
	}
	for s, c := range ix.special {
		if x == c {
			return ix.nreg + s
		}
	}
	if math.IsInf(x, 0) {
		return -1
	}
	// Number of cuts <= x: a linear count for the usual handful of cuts
	// (branch-free, faster than a search), binary search beyond.
	if len(ix.cuts) <= 8 {
		n := 0
		for _, c := range ix.cuts {
			if c <= x {
				n++
			}
		}
		return n
	}
	lo, hi := 0, len(ix.cuts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ix.cuts[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// cat returns the bin of category s.
func (ix *binIndex) cat(s string) int {
	if s == "" {
		return ix.missing
	}
	if len(ix.catList) <= linearCats {
		// Length and first byte first: most mismatches never reach the
		// full comparison (s and every category are non-empty).
		for i, c := range ix.catList {
			if len(c) == len(s) && c[0] == s[0] && c == s {
				return int(ix.catBin[i])
			}
		}
		return ix.unseen
	}
	if b, ok := ix.cats[s]; ok {
		return int(b)
	}
	return ix.unseen
}

// Assign returns the bin index of every value of c, appended to dst[:0].
// The column's name is not checked; its kind must match. A numeric ±Inf is
// an error (ErrNonFinite as *VarError naming the row).
func (b *Binning) Assign(c *Column, dst []int) ([]int, error) {
	ix, err := compileBinning(b, "binning")
	if err != nil {
		return dst, err
	}
	if c.Kind != b.Kind {
		return dst, varErr(c.Name, -1, ErrSchema)
	}
	dst = slices.Grow(dst[:0], c.Len())
	if c.Kind == Categorical {
		for _, v := range c.Cat {
			dst = append(dst, ix.cat(v))
		}
		return dst, nil
	}
	for r, v := range c.Num {
		k := ix.num(v)
		if k < 0 {
			return dst, varErr(c.Name, r, ErrNonFinite)
		}
		dst = append(dst, k)
	}
	return dst, nil
}

// Transform returns the weight of evidence of every value of c, appended to
// dst[:0] (the WoE encoding used as logistic-regression features). Errors
// are those of Assign.
func (b *Binning) Transform(c *Column, dst []float64) ([]float64, error) {
	ix, err := compileBinning(b, "binning")
	if err != nil {
		return dst, err
	}
	if c.Kind != b.Kind {
		return dst, varErr(c.Name, -1, ErrSchema)
	}
	dst = slices.Grow(dst[:0], c.Len())
	if c.Kind == Categorical {
		for _, v := range c.Cat {
			dst = append(dst, b.Bins[ix.cat(v)].WoE)
		}
		return dst, nil
	}
	for r, v := range c.Num {
		k := ix.num(v)
		if k < 0 {
			return dst, varErr(c.Name, r, ErrNonFinite)
		}
		dst = append(dst, b.Bins[k].WoE)
	}
	return dst, nil
}
