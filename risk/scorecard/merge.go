package scorecard

import "math"

// optimalMerge partitions cells (in order) into contiguous groups maximising
// the total information value subject to: at most maxBins groups, each group
// holding at least minCount rows and at least one good and one bad (so WoE is
// finite), and group bad rates following trend. The single group spanning all
// cells is always admissible. It returns the groups as inclusive index pairs
// and their total IV.
//
// This solves exactly the constrained IV maximisation of Navas-Palencia
// (2020), "Optimal binning: mathematical programming formulation", by dynamic
// programming. State (k, i, j, phase): k groups cover cells 0..j, the last
// one being i..j, and phase says whether a peak/valley trend has turned.
// Because IV is a sum over groups and the trend only constrains adjacent
// groups, the best value of a state is IV(i..j) plus the best admissible
// predecessor state (k-1, h, i-1, phase'), which makes the recursion exact.
// Ties go to fewer groups, then to the earliest predecessor, so the result
// is deterministic.
func optimalMerge(cells []cell, G, B, minCount, maxBins int, trend Trend) ([][2]int, float64) {
	m := len(cells)
	if m == 0 {
		return nil, 0
	}
	pg := make([]int, m+1)
	pb := make([]int, m+1)
	for i, c := range cells {
		pg[i+1] = pg[i] + c.goods
		pb[i+1] = pb[i] + c.bads
	}
	counts := func(i, j int) (g, b int) { return pg[j+1] - pg[i], pb[j+1] - pb[i] }
	whole := func() ([][2]int, float64) {
		g, b := counts(0, m-1)
		_, iv := woeIV(g, b, G, B)
		return [][2]int{{0, m - 1}}, iv
	}
	K := min(maxBins, m)
	if K <= 1 || m == 1 {
		return whole()
	}
	// Interval table: feasibility and IV.
	ivs := make([]float64, m*m)
	ok := make([]bool, m*m)
	for i := range m {
		for j := i; j < m; j++ {
			g, b := counts(i, j)
			if g > 0 && b > 0 && g+b >= minCount {
				ok[i*m+j] = true
				_, ivs[i*m+j] = woeIV(g, b, G, B)
			}
		}
	}
	// cmpRate compares the bad rates of intervals (a1..a2) and (b1..b2).
	cmpRate := func(a1, a2, b1, b2 int) int {
		ga, ba := counts(a1, a2)
		gb, bb := counts(b1, b2)
		l := int64(ba) * int64(gb+bb)
		r := int64(bb) * int64(ga+ba)
		switch {
		case l < r:
			return -1
		case l > r:
			return 1
		}
		return 0
	}
	// next returns the phase after appending a group to a state in phase ph
	// when the rate moves by c (-1 up... see below), or -1 if not allowed.
	// c < 0: previous rate lower (rate goes up); c > 0: rate goes down.
	next := func(ph, c int) int {
		if c == 0 {
			return -1
		}
		switch trend {
		case TrendAscending:
			if ph == 0 && c < 0 {
				return 0
			}
		case TrendDescending:
			if ph == 0 && c > 0 {
				return 0
			}
		case TrendNone:
			if ph == 0 {
				return 0
			}
		case TrendPeak:
			if c < 0 && ph == 0 {
				return 0
			}
			if c > 0 {
				return 1
			}
		case TrendValley:
			if c > 0 && ph == 0 {
				return 0
			}
			if c < 0 {
				return 1
			}
		}
		return -1
	}
	negInf := math.Inf(-1)
	size := (K + 1) * m * m * 2
	val := make([]float64, size)
	back := make([]int32, size) // predecessor h*2+phase, -1 for none
	for x := range val {
		val[x] = negInf
		back[x] = -1
	}
	idx := func(k, i, j, ph int) int { return ((k*m+i)*m+j)*2 + ph }
	for j := 0; j < m-1; j++ {
		if ok[j] { // interval 0..j
			val[idx(1, 0, j, 0)] = ivs[j]
		}
	}
	for k := 2; k <= K; k++ {
		for i := 1; i < m; i++ {
			for j := i; j < m; j++ {
				if !ok[i*m+j] {
					continue
				}
				for h := 0; h < i; h++ {
					c := cmpRate(h, i-1, i, j)
					if c == 0 {
						continue
					}
					for ph := range 2 {
						pv := val[idx(k-1, h, i-1, ph)]
						if pv == negInf {
							continue
						}
						nph := next(ph, c)
						if nph < 0 {
							continue
						}
						v := pv + ivs[i*m+j]
						at := idx(k, i, j, nph)
						if v > val[at] {
							val[at] = v
							back[at] = int32(h*2 + ph)
						}
					}
				}
			}
		}
	}
	bestGroups, bestIV := whole()
	bk, bi, bph := -1, -1, -1
	for k := 2; k <= K; k++ {
		for i := 1; i < m; i++ {
			for ph := range 2 {
				if v := val[idx(k, i, m-1, ph)]; v > bestIV {
					bestIV, bk, bi, bph = v, k, i, ph
				}
			}
		}
	}
	if bk < 0 {
		return bestGroups, bestIV
	}
	groups := make([][2]int, bk)
	j := m - 1
	i, ph := bi, bph
	for k := bk; k >= 1; k-- {
		groups[k-1] = [2]int{i, j}
		if k == 1 {
			break
		}
		b := back[idx(k, i, j, ph)]
		h, pph := int(b/2), int(b%2)
		j = i - 1
		i, ph = h, pph
	}
	return groups, bestIV
}
