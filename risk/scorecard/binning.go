package scorecard

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Trend is the shape imposed on the bad rate of the regular bins of a
// numeric variable, read in ascending order of the variable.
type Trend uint8

const (
	// TrendAuto (the zero value) fits ascending and descending and keeps the
	// one with the larger IV; it then fits peak and valley and takes the
	// better of them instead only if its IV exceeds the best monotone IV by
	// more than BinningOptions.UnimodalGain (relative). Monotone bins are
	// preferred because a single turn is easy to overfit on noise.
	TrendAuto Trend = iota
	// TrendAscending: the bad rate strictly increases from bin to bin.
	TrendAscending
	// TrendDescending: the bad rate strictly decreases from bin to bin.
	TrendDescending
	// TrendPeak: the bad rate strictly increases, then strictly decreases.
	TrendPeak
	// TrendValley: the bad rate strictly decreases, then strictly increases.
	TrendValley
	// TrendNone imposes no shape (adjacent bins only must differ).
	TrendNone
)

var trendNames = [...]string{"auto", "ascending", "descending", "peak", "valley", "none"}

// String returns the lower-case name of the trend.
func (t Trend) String() string {
	if int(t) < len(trendNames) {
		return trendNames[t]
	}
	return "trend(" + strconv.Itoa(int(t)) + ")"
}

// ParseTrend parses a name returned by Trend.String.
func ParseTrend(s string) (Trend, bool) {
	for i, n := range trendNames {
		if n == s {
			return Trend(i), true
		}
	}
	return 0, false
}

// Unseen is the rule that assigns a category not seen in training to a bin.
type Unseen uint8

const (
	// UnseenRare (the zero value) puts an unseen category in the bin that holds
	// the pooled rare categories (an unseen category is the rarest possible
	// one); if the variable had no rare category it is scored as missing,
	// which is the missing bin (WoE 0, a neutral attribute, if training had no
	// missing value).
	UnseenRare Unseen = iota
	// UnseenWorst puts an unseen category in the non-empty bin with the lowest
	// WoE (the highest bad rate): the conservative choice for credit.
	UnseenWorst
)

// String returns "rare" or "worst".
func (u Unseen) String() string {
	switch u {
	case UnseenRare:
		return "rare"
	case UnseenWorst:
		return "worst"
	}
	return "unseen(" + strconv.Itoa(int(u)) + ")"
}

// BinningOptions configures BinNumeric and BinCategorical. The zero value
// gives the documented defaults; a nil *BinningOptions means the zero value.
type BinningOptions struct {
	// PreBins is the number of equal-frequency pre-bins of a numeric
	// variable, and the most pre-bins a categorical variable keeps before the
	// optimal merge. 0 means 20. At most 100.
	PreBins int
	// MaxBins is the most regular bins after merging (special-code and
	// missing bins are not counted). 0 means 6.
	MaxBins int
	// MinBinShare is the smallest share of all rows a merged regular bin may
	// hold. 0 means 0.05; a negative value means no minimum.
	MinBinShare float64
	// Trend is the shape imposed on numeric bad rates. 0 means TrendAuto.
	// Categorical variables are always merged in ascending bad-rate order.
	Trend Trend
	// UnimodalGain is the relative IV gain a peak or valley must show over
	// the best monotone binning to be chosen by TrendAuto. 0 means 0.10.
	UnimodalGain float64
	// Special lists codes of numeric variables (for example -9, -8, -7) that
	// are not magnitudes; each gets a bin of its own, even when absent from
	// the training data (an empty bin has WoE 0). Codes must be finite.
	Special []float64
	// RareShare pools categories whose share of all rows is below it into one
	// "rare" group before merging. 0 means 0.01; a negative value disables
	// pooling.
	RareShare float64
	// Unseen is the rule for categories not seen in training. 0 means
	// UnseenRare.
	Unseen Unseen
}

type binningParams struct {
	preBins  int
	maxBins  int
	minShare float64
	trend    Trend
	gain     float64
	special  []float64
	rare     float64
	unseen   Unseen
}

func (o *BinningOptions) params() (binningParams, error) {
	var z BinningOptions
	if o == nil {
		o = &z
	}
	p := binningParams{preBins: 20, maxBins: 6, minShare: 0.05, trend: o.Trend, gain: 0.10, rare: 0.01, unseen: o.Unseen}
	switch {
	case o.PreBins < 0 || o.PreBins > 100:
		return p, optErr("Binning.PreBins", "must be in [0, 100]")
	case o.PreBins > 0:
		p.preBins = o.PreBins
	}
	switch {
	case o.MaxBins < 0 || o.MaxBins > 100:
		return p, optErr("Binning.MaxBins", "must be in [0, 100]")
	case o.MaxBins > 0:
		p.maxBins = o.MaxBins
	}
	switch {
	case math.IsNaN(o.MinBinShare) || o.MinBinShare >= 1:
		return p, optErr("Binning.MinBinShare", "must be below 1")
	case o.MinBinShare < 0:
		p.minShare = 0
	case o.MinBinShare > 0:
		p.minShare = o.MinBinShare
	}
	if o.Trend > TrendNone {
		return p, optErr("Binning.Trend", "unknown trend")
	}
	switch {
	case math.IsNaN(o.UnimodalGain) || o.UnimodalGain < 0 || math.IsInf(o.UnimodalGain, 0):
		return p, optErr("Binning.UnimodalGain", "must be finite and non-negative")
	case o.UnimodalGain > 0:
		p.gain = o.UnimodalGain
	}
	switch {
	case math.IsNaN(o.RareShare) || o.RareShare >= 1:
		return p, optErr("Binning.RareShare", "must be below 1")
	case o.RareShare < 0:
		p.rare = 0
	case o.RareShare > 0:
		p.rare = o.RareShare
	}
	if o.Unseen > UnseenWorst {
		return p, optErr("Binning.Unseen", "unknown rule")
	}
	for i, s := range o.Special {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return p, &FieldError{Field: "Binning.Special[" + strconv.Itoa(i) + "]", Err: ErrNonFinite}
		}
		if !slices.Contains(p.special, s) {
			p.special = append(p.special, s)
		}
	}
	return p, nil
}

// BinKind says what a Bin holds.
type BinKind uint8

const (
	// RangeBin holds numeric values Lo <= x < Hi.
	RangeBin BinKind = iota
	// CategoryBin holds the listed categories.
	CategoryBin
	// SpecialBin holds one special code of a numeric variable.
	SpecialBin
	// MissingBin holds missing values (NaN or "").
	MissingBin
)

var binKindNames = [...]string{"range", "categories", "special", "missing"}

// String returns "range", "categories", "special" or "missing".
func (k BinKind) String() string {
	if int(k) < len(binKindNames) {
		return binKindNames[k]
	}
	return "binkind(" + strconv.Itoa(int(k)) + ")"
}

// Bin is one attribute of a variable with its training counts, weight of
// evidence and information value.
type Bin struct {
	Kind BinKind
	// Lo and Hi bound a RangeBin: Lo <= x < Hi. The first range bin has
	// Lo = -Inf and the last Hi = +Inf.
	Lo, Hi float64
	// Categories lists the categories of a CategoryBin, sorted.
	Categories []string
	// Rare marks the CategoryBin holding the pooled rare categories; under
	// UnseenRare it also receives categories unseen in training.
	Rare bool
	// Special is the code of a SpecialBin.
	Special float64
	// Count and Bads are the training rows in the bin and the bads among them.
	Count, Bads int
	// WoE is the weight of evidence ln(%good / %bad); positive means lower
	// risk than average. See BinNumeric for the zero-count correction.
	WoE float64
	// IV is the bin's information value (%good - %bad) * WoE.
	IV float64
}

// Goods returns Count - Bads.
func (b *Bin) Goods() int { return b.Count - b.Bads }

// BadRate returns Bads / Count, or 0 for an empty bin.
func (b *Bin) BadRate() float64 {
	if b.Count == 0 {
		return 0
	}
	return float64(b.Bads) / float64(b.Count)
}

// Label returns a short human-readable description of the bin, such as
// "[12, 24)", "< 12", ">= 36", "special -9", "missing" or "A11, A12".
func (b *Bin) Label() string {
	switch b.Kind {
	case RangeBin:
		lo, hi := math.IsInf(b.Lo, -1), math.IsInf(b.Hi, 1)
		switch {
		case lo && hi:
			return "all values"
		case lo:
			return "< " + fmtNum(b.Hi)
		case hi:
			return ">= " + fmtNum(b.Lo)
		}
		return "[" + fmtNum(b.Lo) + ", " + fmtNum(b.Hi) + ")"
	case CategoryBin:
		s := strings.Join(b.Categories, ", ")
		if b.Rare {
			s += " (rare group)"
		}
		return s
	case SpecialBin:
		return "special " + fmtNum(b.Special)
	case MissingBin:
		return "missing"
	}
	return b.Kind.String()
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Binning is the binning of one variable: its bins in scoring order and its
// total information value. Bins are the regular bins (ascending ranges of a
// numeric variable, or category groups in ascending bad-rate order), then one
// SpecialBin per special code in option order, then exactly one MissingBin.
type Binning struct {
	Name   string
	Kind   Kind
	Trend  Trend // trend of the regular bins (numeric: the one chosen under TrendAuto)
	Unseen Unseen
	Bins   []Bin
	IV     float64 // sum of the bins' IV
}

// BinNumeric bins a numeric variable x (NaN = missing) against the target
// bad, maximising information value.
//
// Method. Rows equal to a special code and missing rows are set aside in bins
// of their own. The remaining values are cut into up to PreBins
// equal-frequency pre-bins (a value is never split across pre-bins; a value
// heavier than one pre-bin gets its own). Adjacent pre-bins are then merged
// optimally: among all partitions of the pre-bins into at most MaxBins
// contiguous bins, each holding at least MinBinShare of the rows and at least
// one good and one bad, whose bad rates follow the trend, the one with the
// largest total IV is chosen. This is the mixed-integer formulation of
// Navas-Palencia (2020), "Optimal binning: mathematical programming
// formulation", arXiv:2001.08025 (objective: IV; constraints: monotonicity,
// min bin size, max bins), solved here exactly by dynamic programming over
// (last bin, bin count, trend phase): IV is additive over bins and the trend
// constraints only couple adjacent bins, so the DP is exact in O(m^3 * MaxBins)
// for m pre-bins.
//
// Weight of evidence and information value follow Siddiqi (2006), "Credit
// Risk Scorecards", ch. 6: WoE_i = ln((g_i/G) / (b_i/B)) and
// IV = Σ (g_i/G - b_i/B) * WoE_i, where g_i, b_i are the goods and bads in
// bin i and G, B the totals. A special or missing bin with no goods or no bads
// uses the Haldane-Anscombe correction (0.5 added to both counts of that bin),
// an empty bin has WoE 0 (a neutral attribute).
//
// Errors: ErrLength, ErrOneClass, ErrNonFinite (±Inf, as *VarError with the
// row), ErrAllMissing (no value other than NaN), ErrConstant (one distinct
// value and nothing else), ErrOption.
func BinNumeric(name string, x []float64, bad []bool, opts *BinningOptions) (*Binning, error) {
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	return binNumeric(name, x, bad, &p, nil)
}

// BinCategorical bins a categorical variable x ("" = missing) against the
// target bad. Categories holding less than RareShare of the rows are pooled
// into one rare group; the categories (and the rare group) are ordered by bad
// rate and adjacent ones merged optimally as in BinNumeric (ascending trend,
// at most MaxBins bins of at least MinBinShare). When more than PreBins groups
// remain they are first merged into PreBins equal-frequency groups along the
// bad-rate order. Categories unseen in training are scored by the Unseen rule.
//
// Errors: ErrLength, ErrOneClass, ErrAllMissing, ErrConstant, ErrOption.
func BinCategorical(name string, x []string, bad []bool, opts *BinningOptions) (*Binning, error) {
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	return binCategorical(name, x, bad, &p)
}

// BinColumn bins a column with BinNumeric or BinCategorical by its kind.
func BinColumn(c *Column, bad []bool, opts *BinningOptions) (*Binning, error) {
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	return binColumn(c, bad, &p, nil)
}

func binColumn(c *Column, bad []bool, p *binningParams, scratch *[2][]float64) (*Binning, error) {
	switch c.Kind {
	case Numeric:
		return binNumeric(c.Name, c.Num, bad, p, scratch)
	case Categorical:
		return binCategorical(c.Name, c.Cat, bad, p)
	}
	return nil, varErr(c.Name, -1, ErrSchema)
}

func countTarget(bad []bool) (goods, bads int) {
	for _, b := range bad {
		if b {
			bads++
		}
	}
	return len(bad) - bads, bads
}

// cell is a pre-bin: its first value (numeric) or members (categorical) and
// its target counts.
type cell struct {
	lo    float64
	cats  []string
	rare  bool
	goods int
	bads  int
}

func binNumeric(name string, x []float64, bad []bool, p *binningParams, scratch *[2][]float64) (*Binning, error) {
	if len(x) != len(bad) {
		return nil, varErr(name, -1, ErrLength)
	}
	if len(x) == 0 {
		return nil, varErr(name, -1, ErrEmpty)
	}
	G, B := countTarget(bad)
	if G == 0 || B == 0 {
		return nil, &FieldError{Field: "target", Err: ErrOneClass}
	}
	nsp := len(p.special)
	spG := make([]int, nsp)
	spB := make([]int, nsp)
	var missG, missB int
	var gv, bv []float64
	if scratch != nil {
		gv, bv = scratch[0][:0], scratch[1][:0]
	}
rows:
	for i, v := range x {
		if v != v {
			if bad[i] {
				missB++
			} else {
				missG++
			}
			continue
		}
		if math.IsInf(v, 0) {
			return nil, varErr(name, i, ErrNonFinite)
		}
		for s, code := range p.special {
			if v == code {
				if bad[i] {
					spB[s]++
				} else {
					spG[s]++
				}
				continue rows
			}
		}
		if bad[i] {
			bv = append(bv, v)
		} else {
			gv = append(gv, v)
		}
	}
	if scratch != nil {
		scratch[0], scratch[1] = gv, bv
	}
	slices.Sort(gv)
	slices.Sort(bv)
	// Walk the distinct values of the two sorted lists (goods, bads) in
	// order and deal them into equal-frequency pre-bins: distinct value v
	// goes to pre-bin floor(preBins * midrank(v) / n), so a value is never
	// split and a heavy value gets a pre-bin alone.
	nreg := len(gv) + len(bv)
	var cells []cell
	cum, last, ndistinct := 0, -1, 0
	i, j := 0, 0
	for i < len(gv) || j < len(bv) {
		var v float64
		switch {
		case j >= len(bv) || (i < len(gv) && gv[i] <= bv[j]):
			v = gv[i]
		default:
			v = bv[j]
		}
		g, b := 0, 0
		for i < len(gv) && gv[i] == v {
			g++
			i++
		}
		for j < len(bv) && bv[j] == v {
			b++
			j++
		}
		ndistinct++
		c := g + b
		k := int(float64(p.preBins) * (float64(cum) + float64(c)/2) / float64(nreg))
		if k != last || len(cells) == 0 {
			cells = append(cells, cell{lo: v})
			last = k
		}
		cc := &cells[len(cells)-1]
		cc.goods += g
		cc.bads += b
		cum += c
	}
	groups := ndistinct
	for s := range nsp {
		if spG[s]+spB[s] > 0 {
			groups++
		}
	}
	if missG+missB > 0 {
		groups++
	}
	switch {
	case ndistinct == 0 && groups == 1 && missG+missB > 0:
		return nil, varErr(name, -1, ErrAllMissing)
	case groups <= 1:
		return nil, varErr(name, -1, ErrConstant)
	}
	bn := &Binning{Name: name, Kind: Numeric}
	var regular []cell
	if len(cells) > 0 {
		minCount := int(math.Ceil(p.minShare * float64(len(x))))
		var groupsIdx [][2]int
		bn.Trend, groupsIdx = chooseTrend(cells, G, B, minCount, p)
		regular = mergeCells(cells, groupsIdx)
	} else {
		bn.Trend = p.trend
		if bn.Trend == TrendAuto {
			bn.Trend = TrendAscending
		}
		regular = []cell{{lo: math.Inf(-1)}}
	}
	for r, c := range regular {
		b := Bin{Kind: RangeBin, Lo: c.lo, Hi: math.Inf(1), Count: c.goods + c.bads, Bads: c.bads}
		if r == 0 {
			b.Lo = math.Inf(-1)
		}
		if r+1 < len(regular) {
			b.Hi = regular[r+1].lo
		}
		bn.Bins = append(bn.Bins, b)
	}
	for s, code := range p.special {
		bn.Bins = append(bn.Bins, Bin{Kind: SpecialBin, Special: code, Count: spG[s] + spB[s], Bads: spB[s]})
	}
	bn.Bins = append(bn.Bins, Bin{Kind: MissingBin, Count: missG + missB, Bads: missB})
	finishBins(bn, G, B)
	return bn, nil
}

func binCategorical(name string, x []string, bad []bool, p *binningParams) (*Binning, error) {
	if len(x) != len(bad) {
		return nil, varErr(name, -1, ErrLength)
	}
	if len(x) == 0 {
		return nil, varErr(name, -1, ErrEmpty)
	}
	G, B := countTarget(bad)
	if G == 0 || B == 0 {
		return nil, &FieldError{Field: "target", Err: ErrOneClass}
	}
	type gb struct{ g, b int }
	counts := make(map[string]*gb)
	var miss gb
	for i, v := range x {
		var c *gb
		if v == "" {
			c = &miss
		} else {
			c = counts[v]
			if c == nil {
				c = &gb{}
				counts[v] = c
			}
		}
		if bad[i] {
			c.b++
		} else {
			c.g++
		}
	}
	groups := len(counts)
	if miss.g+miss.b > 0 {
		groups++
	}
	switch {
	case len(counts) == 0:
		return nil, varErr(name, -1, ErrAllMissing)
	case groups <= 1:
		return nil, varErr(name, -1, ErrConstant)
	}
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	slices.Sort(names)
	rareMin := p.rare * float64(len(x))
	var cells []cell
	var rare cell
	rare.rare = true
	for _, k := range names {
		c := counts[k]
		if float64(c.g+c.b) < rareMin {
			rare.cats = append(rare.cats, k)
			rare.goods += c.g
			rare.bads += c.b
			continue
		}
		cells = append(cells, cell{cats: []string{k}, goods: c.g, bads: c.b})
	}
	if len(rare.cats) > 0 {
		cells = append(cells, rare)
	}
	// Order by bad rate (ties: rare group last, then by first category name).
	slices.SortStableFunc(cells, func(a, b cell) int {
		ra := int64(a.bads) * int64(b.goods+b.bads)
		rb := int64(b.bads) * int64(a.goods+a.bads)
		if c := cmp.Compare(ra, rb); c != 0 {
			return c
		}
		if a.rare != b.rare {
			if a.rare {
				return 1
			}
			return -1
		}
		return strings.Compare(a.cats[0], b.cats[0])
	})
	if len(cells) > p.preBins {
		cells = equalFreqCells(cells, p.preBins)
	}
	minCount := int(math.Ceil(p.minShare * float64(len(x))))
	groupsIdx, _ := optimalMerge(cells, G, B, minCount, p.maxBins, TrendAscending)
	regular := mergeCells(cells, groupsIdx)
	bn := &Binning{Name: name, Kind: Categorical, Trend: TrendAscending, Unseen: p.unseen}
	for _, c := range regular {
		cats := slices.Clone(c.cats)
		slices.Sort(cats)
		bn.Bins = append(bn.Bins, Bin{Kind: CategoryBin, Categories: cats, Rare: c.rare, Count: c.goods + c.bads, Bads: c.bads})
	}
	bn.Bins = append(bn.Bins, Bin{Kind: MissingBin, Count: miss.g + miss.b, Bads: miss.b})
	finishBins(bn, G, B)
	return bn, nil
}

// equalFreqCells merges adjacent cells into k groups of about equal count.
func equalFreqCells(cells []cell, k int) []cell {
	n := 0
	for _, c := range cells {
		n += c.goods + c.bads
	}
	var out []cell
	cum, last := 0, -1
	for _, c := range cells {
		cnt := c.goods + c.bads
		mid := float64(cum) + float64(cnt)/2
		g := int(float64(k) * mid / float64(n))
		if g != last || len(out) == 0 {
			out = append(out, cell{lo: c.lo})
			last = g
		}
		o := &out[len(out)-1]
		o.cats = append(o.cats, c.cats...)
		o.rare = o.rare || c.rare
		o.goods += c.goods
		o.bads += c.bads
		cum += cnt
	}
	return out
}

func mergeCells(cells []cell, groups [][2]int) []cell {
	out := make([]cell, 0, len(groups))
	for _, g := range groups {
		m := cell{lo: cells[g[0]].lo}
		for _, c := range cells[g[0] : g[1]+1] {
			m.cats = append(m.cats, c.cats...)
			m.rare = m.rare || c.rare
			m.goods += c.goods
			m.bads += c.bads
		}
		out = append(out, m)
	}
	return out
}

// chooseTrend runs the optimal merge under the requested trend, or under
// TrendAuto picks the trend as documented on TrendAuto.
func chooseTrend(cells []cell, G, B, minCount int, p *binningParams) (Trend, [][2]int) {
	if p.trend != TrendAuto {
		g, _ := optimalMerge(cells, G, B, minCount, p.maxBins, p.trend)
		return p.trend, g
	}
	best, bestIV := TrendAscending, math.Inf(-1)
	var bestG [][2]int
	for _, t := range []Trend{TrendAscending, TrendDescending} {
		g, iv := optimalMerge(cells, G, B, minCount, p.maxBins, t)
		if iv > bestIV {
			best, bestIV, bestG = t, iv, g
		}
	}
	uni, uniIV := TrendAuto, math.Inf(-1)
	var uniG [][2]int
	for _, t := range []Trend{TrendPeak, TrendValley} {
		g, iv := optimalMerge(cells, G, B, minCount, p.maxBins, t)
		if iv > uniIV {
			uni, uniIV, uniG = t, iv, g
		}
	}
	if uniIV > bestIV*(1+p.gain) && uniIV-bestIV > 1e-12 {
		return uni, uniG
	}
	return best, bestG
}

// woeIV returns the weight of evidence and IV contribution of a bin with g
// goods and b bads out of totals G and B (see BinNumeric).
func woeIV(g, b, G, B int) (woe, iv float64) {
	if g == 0 && b == 0 {
		return 0, 0
	}
	fg, fb := float64(g), float64(b)
	if g == 0 || b == 0 {
		fg += 0.5
		fb += 0.5
	}
	pg, pb := fg/float64(G), fb/float64(B)
	woe = math.Log(pg / pb)
	return woe, (pg - pb) * woe
}

func finishBins(bn *Binning, G, B int) {
	bn.IV = 0
	for i := range bn.Bins {
		b := &bn.Bins[i]
		b.WoE, b.IV = woeIV(b.Goods(), b.Bads, G, B)
		bn.IV += b.IV
	}
}
