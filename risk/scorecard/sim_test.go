package scorecard

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// simulate returns a seeded synthetic application sample of n rows and p
// candidate variables with a known logistic relationship, built to exercise
// every part of the toolkit:
//
//	j%5 == 0  numeric, standard normal, bad rate rising with x, 5% missing
//	j%5 == 1  numeric, log-normal "income", bad rate falling, 2% special -9
//	          (high risk) and 1% special -8 (low risk)
//	j%5 == 2  numeric, uniform "age" 18..80, U-shaped bad rate (valley)
//	j%5 == 3  categorical, 8 levels with level effects, 2 rare levels
//	          (0.5% each), 3% missing
//	j%5 == 4  numeric integer count 0..10 correlated with variable j-4
//
// Effects shrink with j/5 so later groups are weaker; the intercept gives a
// bad rate near 15%.
func simulate(n, p int, seed uint64) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x51a))
	ds := &Dataset{Target: "bad", BadLabel: "1", GoodLabel: "0", Bad: make([]bool, n)}
	eta := make([]float64, n)
	for i := range eta {
		eta[i] = -2.2
	}
	levels := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	levelEff := []float64{-0.6, -0.3, -0.1, 0, 0.1, 0.3, 0.5, 0.8}
	var latent []float64
	for j := range p {
		w := 1 / (1 + float64(j/5))
		name := "v" + strconv.Itoa(j)
		switch j % 5 {
		case 0:
			x := make([]float64, n)
			latent = make([]float64, n)
			for i := range x {
				z := rng.NormFloat64()
				latent[i] = z
				eta[i] += 0.6 * w * z
				x[i] = z
				if rng.Float64() < 0.05 {
					x[i] = math.NaN()
				}
			}
			ds.Columns = append(ds.Columns, Column{Name: name, Kind: Numeric, Num: x})
		case 1:
			x := make([]float64, n)
			for i := range x {
				u := rng.Float64()
				switch {
				case u < 0.02:
					x[i] = -9
					eta[i] += 0.8 * w
				case u < 0.03:
					x[i] = -8
					eta[i] -= 0.5 * w
				default:
					z := rng.NormFloat64()
					x[i] = math.Round(math.Exp(8 + 0.5*z))
					eta[i] -= 0.5 * w * z
				}
			}
			ds.Columns = append(ds.Columns, Column{Name: name, Kind: Numeric, Num: x})
		case 2:
			x := make([]float64, n)
			for i := range x {
				a := math.Floor(18 + 62*rng.Float64())
				x[i] = a
				d := (a - 45) / 15
				eta[i] += 0.35 * w * (d*d - 1)
			}
			ds.Columns = append(ds.Columns, Column{Name: name, Kind: Numeric, Num: x})
		case 3:
			x := make([]string, n)
			for i := range x {
				u := rng.Float64()
				switch {
				case u < 0.03:
					// missing
					eta[i] += 0.2 * w
				case u < 0.035:
					x[i] = "rare1"
					eta[i] += 0.6 * w
				case u < 0.04:
					x[i] = "rare2"
				default:
					k := rng.IntN(len(levels))
					x[i] = levels[k]
					eta[i] += w * levelEff[k]
				}
			}
			ds.Columns = append(ds.Columns, Column{Name: name, Kind: Categorical, Cat: x})
		case 4:
			x := make([]float64, n)
			for i := range x {
				c := math.Round(3 + 1.5*latent[i] + rng.NormFloat64())
				x[i] = math.Max(0, math.Min(10, c))
				eta[i] += 0.05 * w * x[i]
			}
			ds.Columns = append(ds.Columns, Column{Name: name, Kind: Numeric, Num: x})
		}
	}
	for i := range eta {
		ds.Bad[i] = rng.Float64() < sigmoid(eta[i])
	}
	return ds
}
