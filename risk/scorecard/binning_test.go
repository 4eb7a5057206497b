package scorecard

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteMerge enumerates every partition of cells into contiguous groups and
// returns the best IV under the same constraints as optimalMerge, checked
// independently.
func bruteMerge(cells []cell, G, B, minCount, maxBins int, trend Trend) float64 {
	m := len(cells)
	best := math.Inf(-1)
	for mask := 0; mask < 1<<(m-1); mask++ {
		// bit i set: a cut after cell i
		var groups [][2]int
		start := 0
		for i := 0; i < m-1; i++ {
			if mask&(1<<i) != 0 {
				groups = append(groups, [2]int{start, i})
				start = i + 1
			}
		}
		groups = append(groups, [2]int{start, m - 1})
		var rates []float64
		iv := 0.0
		ok := true
		for _, g := range groups {
			gg, bb := 0, 0
			for _, c := range cells[g[0] : g[1]+1] {
				gg += c.goods
				bb += c.bads
			}
			if len(groups) > 1 && (gg == 0 || bb == 0 || gg+bb < minCount) {
				ok = false
				break
			}
			_, v := woeIV(gg, bb, G, B)
			iv += v
			rates = append(rates, float64(bb)/float64(gg+bb))
		}
		if !ok || len(groups) > max(maxBins, 1) && len(groups) > 1 {
			continue
		}
		if len(groups) > 1 && !trendHolds(rates, trend) {
			continue
		}
		best = math.Max(best, iv)
	}
	return best
}

func trendHolds(r []float64, t Trend) bool {
	up := func(a, b float64) bool { return a < b }
	down := func(a, b float64) bool { return a > b }
	all := func(lo, hi int, f func(a, b float64) bool) bool {
		for i := lo; i < hi; i++ {
			if !f(r[i], r[i+1]) {
				return false
			}
		}
		return true
	}
	n := len(r)
	switch t {
	case TrendAscending:
		return all(0, n-1, up)
	case TrendDescending:
		return all(0, n-1, down)
	case TrendNone:
		return all(0, n-1, func(a, b float64) bool { return a != b })
	case TrendPeak, TrendValley:
		first, second := up, down
		if t == TrendValley {
			first, second = down, up
		}
		for turn := 0; turn < n; turn++ {
			if all(0, turn, first) && all(turn, n-1, second) {
				return true
			}
		}
	}
	return false
}

func TestOptimalMergeMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := range 400 {
		m := 2 + rng.IntN(8)
		cells := make([]cell, m)
		G, B := 0, 0
		for i := range cells {
			cells[i].goods = rng.IntN(40)
			cells[i].bads = rng.IntN(15)
			G += cells[i].goods
			B += cells[i].bads
		}
		if G == 0 || B == 0 {
			continue
		}
		minCount := rng.IntN(30)
		maxBins := 1 + rng.IntN(m)
		for _, tr := range []Trend{TrendAscending, TrendDescending, TrendPeak, TrendValley, TrendNone} {
			groups, iv := optimalMerge(cells, G, B, minCount, maxBins, tr)
			want := bruteMerge(cells, G, B, minCount, maxBins, tr)
			if math.Abs(iv-want) > 1e-12 {
				t.Fatalf("iter %d trend %v: DP IV %.15g, brute force %.15g (cells %+v minCount %d maxBins %d)", iter, tr, iv, want, cells, minCount, maxBins)
			}
			// The returned groups must be a contiguous cover whose IV is iv.
			if groups[0][0] != 0 || groups[len(groups)-1][1] != m-1 || len(groups) > maxBins {
				t.Fatalf("iter %d: bad groups %v", iter, groups)
			}
			sum := 0.0
			for k, g := range groups {
				if k > 0 && g[0] != groups[k-1][1]+1 {
					t.Fatalf("iter %d: groups not contiguous %v", iter, groups)
				}
				gg, bb := 0, 0
				for _, c := range cells[g[0] : g[1]+1] {
					gg += c.goods
					bb += c.bads
				}
				_, v := woeIV(gg, bb, G, B)
				sum += v
			}
			if math.Abs(sum-iv) > 1e-12 {
				t.Fatalf("iter %d: groups IV %g != reported %g", iter, sum, iv)
			}
		}
	}
}

// checkBinning verifies the invariants of a numeric or categorical binning
// against the raw data: counts, WoE/IV formulas, constraints.
func checkBinning(t *testing.T, bn *Binning, n, G, B int, p binningParams) {
	t.Helper()
	total, bads := 0, 0
	iv := 0.0
	nreg := 0
	for _, b := range bn.Bins {
		total += b.Count
		bads += b.Bads
		w, v := woeIV(b.Goods(), b.Bads, G, B)
		if b.WoE != w || b.IV != v {
			t.Errorf("%s bin %s: WoE/IV %g/%g, want %g/%g", bn.Name, b.Label(), b.WoE, b.IV, w, v)
		}
		if b.Goods() > 0 && b.Bads > 0 {
			want := math.Log((float64(b.Goods()) / float64(G)) / (float64(b.Bads) / float64(B)))
			if math.Abs(b.WoE-want) > 1e-12 {
				t.Errorf("%s bin %s: WoE %g, Siddiqi formula %g", bn.Name, b.Label(), b.WoE, want)
			}
		}
		iv += b.IV
		if b.Kind == RangeBin || b.Kind == CategoryBin {
			nreg++
		}
	}
	if total != n || bads != B {
		t.Errorf("%s: bins hold %d rows %d bads, want %d %d", bn.Name, total, bads, n, B)
	}
	if math.Abs(iv-bn.IV) > 1e-12 {
		t.Errorf("%s: IV %g != sum of bins %g", bn.Name, bn.IV, iv)
	}
	if nreg > p.maxBins {
		t.Errorf("%s: %d regular bins > max %d", bn.Name, nreg, p.maxBins)
	}
	if nreg > 1 {
		var rates []float64
		for _, b := range bn.Bins[:nreg] {
			if float64(b.Count) < p.minShare*float64(n) {
				t.Errorf("%s bin %s: %d rows below min share", bn.Name, b.Label(), b.Count)
			}
			rates = append(rates, b.BadRate())
		}
		if bn.Kind == Numeric && !trendHolds(rates, bn.Trend) {
			t.Errorf("%s: rates %v violate trend %v", bn.Name, rates, bn.Trend)
		}
		if bn.Kind == Categorical && !slices.IsSorted(rates) {
			t.Errorf("%s: category bins not in bad-rate order: %v", bn.Name, rates)
		}
	}
}

func TestBinNumericShapes(t *testing.T) {
	ds := simulate(20000, 5, 1)
	G, B := countTarget(ds.Bad)
	p, _ := (&BinningOptions{Special: []float64{-9, -8, -7}}).params()
	for _, tc := range []struct {
		col   int
		trend Trend
	}{
		{0, TrendAscending},  // risk rises with x
		{1, TrendDescending}, // risk falls with income
		{2, TrendValley},     // U-shaped risk in age
	} {
		c := &ds.Columns[tc.col]
		bn, err := BinNumeric(c.Name, c.Num, ds.Bad, &BinningOptions{Special: []float64{-9, -8, -7}})
		if err != nil {
			t.Fatal(err)
		}
		if bn.Trend != tc.trend {
			t.Errorf("%s: auto trend %v, want %v", c.Name, bn.Trend, tc.trend)
		}
		checkBinning(t, bn, ds.Rows(), G, B, p)
		// Special and missing bins come after the ranges, in option order.
		nb := len(bn.Bins)
		if bn.Bins[nb-1].Kind != MissingBin || bn.Bins[nb-2].Kind != SpecialBin || bn.Bins[nb-2].Special != -7 {
			t.Errorf("%s: tail bins %+v", c.Name, bn.Bins[nb-4:])
		}
	}
	// v1 has specials -9 (2%) and -8 (1%) and no -7: -7 is an empty bin
	// with WoE 0; -9 is riskier than average.
	bn, _ := BinColumn(&ds.Columns[1], ds.Bad, &BinningOptions{Special: []float64{-9, -8, -7}})
	sp := bn.Bins[len(bn.Bins)-4 : len(bn.Bins)-1]
	if sp[0].Special != -9 || sp[0].Count == 0 || sp[0].WoE >= 0 {
		t.Errorf("special -9 bin %+v, want populated and risky", sp[0])
	}
	if sp[2].Special != -7 || sp[2].Count != 0 || sp[2].WoE != 0 {
		t.Errorf("special -7 bin %+v, want empty with WoE 0", sp[2])
	}
	// v0 has 5% missing values.
	bn, _ = BinColumn(&ds.Columns[0], ds.Bad, nil)
	if miss := bn.Bins[len(bn.Bins)-1]; miss.Count < 800 || miss.Count > 1200 {
		t.Errorf("missing bin holds %d rows, want about 1000", miss.Count)
	}
}

func TestBinNumericOptions(t *testing.T) {
	ds := simulate(20000, 1, 2)
	c := &ds.Columns[0]
	G, B := countTarget(ds.Bad)
	for _, o := range []BinningOptions{
		{MaxBins: 3},
		{MaxBins: 10, MinBinShare: 0.02, PreBins: 50},
		{Trend: TrendDescending},
		{Trend: TrendPeak},
		{Trend: TrendNone, MinBinShare: -1},
		{MinBinShare: 0.4},
	} {
		bn, err := BinNumeric(c.Name, c.Num, ds.Bad, &o)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := o.params()
		if o.Trend != TrendAuto && bn.Trend != o.Trend {
			t.Errorf("%+v: trend %v", o, bn.Trend)
		}
		checkBinning(t, bn, ds.Rows(), G, B, p)
	}
}

func TestBinCategorical(t *testing.T) {
	ds := simulate(20000, 4, 5)
	c := &ds.Columns[3] // categorical with two rare levels (0.5% each) and 3% missing
	G, B := countTarget(ds.Bad)
	for _, o := range []BinningOptions{{}, {RareShare: -1, MinBinShare: -1, MaxBins: 20}, {Unseen: UnseenWorst}} {
		bn, err := BinCategorical(c.Name, c.Cat, ds.Bad, &o)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := o.params()
		checkBinning(t, bn, ds.Rows(), G, B, p)
		var rareBin = -1
		for i, b := range bn.Bins {
			if b.Rare {
				rareBin = i
			}
		}
		unseen := &Column{Name: c.Name, Kind: Categorical, Cat: []string{"never-seen", "", "rare1", "a"}}
		idx, err := bn.Assign(unseen, nil)
		if err != nil {
			t.Fatal(err)
		}
		missing := len(bn.Bins) - 1
		if idx[1] != missing {
			t.Errorf("%+v: \"\" went to bin %d, want missing %d", o, idx[1], missing)
		}
		switch {
		case o.RareShare < 0:
			if rareBin >= 0 {
				t.Errorf("rare pooling disabled but a rare bin exists")
			}
			if idx[0] != missing {
				t.Errorf("unseen without rare group went to %d, want missing %d", idx[0], missing)
			}
		case o.Unseen == UnseenWorst:
			worst := 0
			for i, b := range bn.Bins {
				if b.Count > 0 && b.WoE < bn.Bins[worst].WoE {
					worst = i
				}
			}
			if idx[0] != worst {
				t.Errorf("UnseenWorst: unseen went to %d, want %d", idx[0], worst)
			}
		default:
			if rareBin < 0 || idx[0] != rareBin || idx[2] != rareBin {
				t.Errorf("unseen/rare went to %d/%d, want rare bin %d", idx[0], idx[2], rareBin)
			}
			if !slices.Contains(bn.Bins[rareBin].Categories, "rare1") || !slices.Contains(bn.Bins[rareBin].Categories, "rare2") {
				t.Errorf("rare bin %v lacks the rare levels", bn.Bins[rareBin].Categories)
			}
		}
	}
}

func TestWoEZeroCountCorrection(t *testing.T) {
	// 20 rows of special code -9, all good: WoE uses +0.5 on both counts.
	x := make([]float64, 220)
	bad := make([]bool, 220)
	for i := range 200 {
		x[i] = float64(i % 50)
		bad[i] = i%50 < 15 && i%3 == 0
	}
	for i := 200; i < 220; i++ {
		x[i] = -9
	}
	bn, err := BinNumeric("x", x, bad, &BinningOptions{Special: []float64{-9}})
	if err != nil {
		t.Fatal(err)
	}
	G, B := countTarget(bad)
	sp := bn.Bins[len(bn.Bins)-2]
	want := math.Log((20.5 / float64(G)) / (0.5 / float64(B)))
	if sp.Kind != SpecialBin || sp.Bads != 0 || math.Abs(sp.WoE-want) > 1e-12 {
		t.Errorf("special bin %+v, want WoE %g", sp, want)
	}
}

func TestBinErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		x    []float64
		bad  []bool
		opts *BinningOptions
		want error
		row  int
	}{
		{"constant", []float64{3, 3, 3, 3}, []bool{true, false, true, false}, nil, ErrConstant, -1},
		{"all missing", []float64{nan, nan, nan}, []bool{true, false, true}, nil, ErrAllMissing, -1},
		{"one class", []float64{1, 2, 3}, []bool{false, false, false}, nil, ErrOneClass, -1},
		{"inf", []float64{1, math.Inf(1), 3}, []bool{true, false, true}, nil, ErrNonFinite, 1},
		{"length", []float64{1, 2}, []bool{true}, nil, ErrLength, -1},
		{"empty", nil, nil, nil, ErrEmpty, -1},
		{"bad option", []float64{1, 2}, []bool{true, false}, &BinningOptions{MaxBins: -1}, ErrOption, -1},
		{"nan special", []float64{1, 2}, []bool{true, false}, &BinningOptions{Special: []float64{nan}}, ErrNonFinite, -1},
		{"bad trend", []float64{1, 2}, []bool{true, false}, &BinningOptions{Trend: 99}, ErrOption, -1},
	}
	for _, tc := range tests {
		_, err := BinNumeric("v", tc.x, tc.bad, tc.opts)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
			continue
		}
		var ve *VarError
		if errors.As(err, &ve) {
			if ve.Var != "v" || ve.Row != tc.row {
				t.Errorf("%s: VarError %+v, want var v row %d", tc.name, ve, tc.row)
			}
		}
	}
	for _, tc := range []struct {
		name string
		x    []string
		want error
	}{
		{"constant", []string{"a", "a", "a"}, ErrConstant},
		{"all missing", []string{"", "", ""}, ErrAllMissing},
	} {
		_, err := BinCategorical("c", tc.x, []bool{true, false, true}, nil)
		var ve *VarError
		if !errors.Is(err, tc.want) || !errors.As(err, &ve) || ve.Var != "c" {
			t.Errorf("categorical %s: %v, want %v naming c", tc.name, err, tc.want)
		}
	}
	// A value and missing values are two groups, not constant.
	if _, err := BinNumeric("v", []float64{1, nan, 1, nan}, []bool{true, false, false, true}, nil); err != nil {
		t.Errorf("value+missing: %v", err)
	}
}
