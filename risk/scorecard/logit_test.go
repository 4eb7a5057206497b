package scorecard

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func simDesign(n, p int, seed uint64) (*mat.Dense, []bool) {
	rng := rand.New(rand.NewPCG(seed, 9))
	x := mat.NewDense(n, p, nil)
	bad := make([]bool, n)
	for i := range n {
		eta := -1.0
		for j := range p {
			v := rng.NormFloat64()
			if j == 1 {
				v = math.Round(v * 2) // some ties
			}
			x.Set(i, j, v)
			eta += float64(j+1) * 0.3 * v * math.Pow(-1, float64(j))
		}
		bad[i] = rng.Float64() < sigmoid(eta)
	}
	return x, bad
}

// irls is an independent reference fit: Fisher scoring for the logistic
// model (McCullagh & Nelder 1989), iterated to machine precision.
func irls(x *mat.Dense, bad []bool, l2 float64) (beta []float64, cov *mat.Dense) {
	n, p := x.Dims()
	q := p + 1
	X := mat.NewDense(n, q, nil)
	for i := range n {
		X.Set(i, 0, 1)
		for j := range p {
			X.Set(i, j+1, x.At(i, j))
		}
	}
	b := mat.NewVecDense(q, nil)
	for iter := 0; iter < 30; iter++ {
		H := mat.NewDense(q, q, nil)
		g := mat.NewVecDense(q, nil)
		for i := range n {
			e := 0.0
			for j := range q {
				e += X.At(i, j) * b.AtVec(j)
			}
			mu := sigmoid(e)
			y := 0.0
			if bad[i] {
				y = 1
			}
			for j := range q {
				g.SetVec(j, g.AtVec(j)+X.At(i, j)*(y-mu))
				for k := range q {
					H.Set(j, k, H.At(j, k)+mu*(1-mu)*X.At(i, j)*X.At(i, k))
				}
			}
		}
		for j := 1; j < q; j++ {
			g.SetVec(j, g.AtVec(j)-l2*b.AtVec(j))
			H.Set(j, j, H.At(j, j)+l2)
		}
		var step mat.VecDense
		if err := step.SolveVec(H, g); err != nil {
			panic(err)
		}
		b.AddVec(b, &step)
		cov = mat.NewDense(q, q, nil)
		if err := cov.Inverse(H); err != nil {
			panic(err)
		}
		if mat.Norm(&step, math.Inf(1)) < 1e-15 {
			break
		}
	}
	return b.RawVector().Data, cov
}

func TestLogitMatchesIRLS(t *testing.T) {
	for _, l2 := range []float64{0, 3} {
		x, bad := simDesign(3000, 4, 1)
		res, err := Logit(x, bad, &LogitOptions{L2: l2, Names: []string{"a", "b", "c", "d"}})
		if err != nil {
			t.Fatal(err)
		}
		beta, cov := irls(x, bad, l2)
		for j := range beta {
			if d := math.Abs(res.Coef[j] - beta[j]); d > 1e-9 {
				t.Errorf("L2 %g coef %d: %.12g vs IRLS %.12g", l2, j, res.Coef[j], beta[j])
			}
			se := math.Sqrt(cov.At(j, j))
			if math.Abs(res.SE[j]-se) > 1e-9*se {
				t.Errorf("L2 %g SE %d: %.12g vs %.12g", l2, j, res.SE[j], se)
			}
			if z := res.Coef[j] / res.SE[j]; res.Z[j] != z {
				t.Errorf("z %d: %g vs %g", j, res.Z[j], z)
			}
			if p := 2 * (1 - 0.5*math.Erfc(-math.Abs(res.Z[j])/math.Sqrt2)); math.Abs(res.P[j]-p) > 1e-12 {
				t.Errorf("p %d: %g vs %g", j, res.P[j], p)
			}
		}
		if res.Names[0] != "const" || res.Names[4] != "d" {
			t.Errorf("names %v", res.Names)
		}
		// Likelihood bookkeeping as statsmodels defines it.
		n := float64(len(bad))
		_, nb := countTarget(bad)
		yb := float64(nb) / n
		if ll0 := n * (yb*math.Log(yb) + (1-yb)*math.Log(1-yb)); math.Abs(res.LLNull-ll0) > 1e-9 {
			t.Errorf("LLNull %g vs %g", res.LLNull, ll0)
		}
		ll := 0.0
		for i := range bad {
			e := res.Coef[0]
			for j := range 4 {
				e += res.Coef[j+1] * x.At(i, j)
			}
			if bad[i] {
				ll += math.Log(sigmoid(e))
			} else {
				ll += math.Log(1 - sigmoid(e))
			}
		}
		if math.Abs(res.LogLik-ll) > 1e-8 {
			t.Errorf("LogLik %g vs %g", res.LogLik, ll)
		}
		if math.Abs(res.AIC-(-2*ll+10)) > 1e-8 || math.Abs(res.BIC-(-2*ll+5*math.Log(n))) > 1e-8 {
			t.Errorf("AIC/BIC %g %g", res.AIC, res.BIC)
		}
		if res.LLRPValue > 1e-10 || res.PseudoR2 <= 0 {
			t.Errorf("LLR p %g pseudo R2 %g", res.LLRPValue, res.PseudoR2)
		}
	}
}

// TestLogitParallelDeterministic checks that the chunked parallel sums do
// not depend on the number of goroutines.
func TestLogitParallelDeterministic(t *testing.T) {
	x, bad := simDesign(20000, 3, 2) // 3 chunks
	a, err := Logit(x, bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := setProcs(1)
	b, err := Logit(x, bad, nil)
	setProcs(prev)
	if err != nil {
		t.Fatal(err)
	}
	for j := range a.Coef {
		if a.Coef[j] != b.Coef[j] || a.SE[j] != b.SE[j] {
			t.Fatalf("coef %d differs across GOMAXPROCS: %v vs %v", j, a.Coef, b.Coef)
		}
	}
}

func TestLogitErrors(t *testing.T) {
	x, bad := simDesign(200, 2, 3)
	collinear := mat.NewDense(200, 3, nil)
	constant := mat.NewDense(200, 2, nil)
	nanX := mat.DenseCopyOf(x)
	separated := mat.NewDense(200, 1, nil)
	sepBad := make([]bool, 200)
	for i := range 200 {
		collinear.Set(i, 0, x.At(i, 0))
		collinear.Set(i, 1, x.At(i, 1))
		collinear.Set(i, 2, 2*x.At(i, 0)-x.At(i, 1))
		constant.Set(i, 0, x.At(i, 0))
		constant.Set(i, 1, 7)
		separated.Set(i, 0, float64(i))
		sepBad[i] = i >= 100
	}
	nanX.Set(5, 1, math.NaN())
	tests := []struct {
		name  string
		x     mat.Matrix
		bad   []bool
		opts  *LogitOptions
		want  error
		field string
	}{
		{"collinear", collinear, bad, nil, ErrSingular, "x"},
		{"constant column", constant, bad, &LogitOptions{Names: []string{"a", "flat"}}, ErrSingular, "flat"},
		{"nan", nanX, bad, nil, ErrNonFinite, "x2"},
		{"one class", x, make([]bool, 200), nil, ErrOneClass, "bad"},
		{"length", x, bad[:10], nil, ErrLength, "bad"},
		{"separation", separated, sepBad, nil, ErrSeparation, "x"},
		{"negative L2", x, bad, &LogitOptions{L2: -1}, ErrOption, "Logit.L2"},
	}
	for _, tc := range tests {
		_, err := Logit(tc.x, tc.bad, tc.opts)
		var fe *FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want %v on field %s", tc.name, err, tc.want, tc.field)
		}
	}
	// Separation is fixed by a ridge penalty.
	if _, err := Logit(separated, sepBad, &LogitOptions{L2: 1}); err != nil {
		t.Errorf("separation with L2: %v", err)
	}
}
