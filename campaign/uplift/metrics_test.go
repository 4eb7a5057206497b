package uplift

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The worked example: six rows, scores descending. By hand (see the
// comments) the Qini curve is 0, 1, 1, 2, 1, 0.5, 1 at t = 0..6 and the
// uplift curve 0, 1, 2, 3, 2, 5/6, 2.
var (
	exScore     = []float64{0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	exTreated   = []bool{true, false, true, false, true, false}
	exResponded = []bool{true, false, true, true, false, false}
)

func TestCurvesWorkedExample(t *testing.T) {
	q, err := QiniCurve(exScore, exTreated, exResponded)
	if err != nil {
		t.Fatal(err)
	}
	wantQ := []Point{{0, 0}, {1, 1}, {2, 1}, {3, 2}, {4, 1}, {5, 0.5}, {6, 1}}
	if d := cmp.Diff(wantQ, q, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Fatalf("Qini curve:\n%s", d)
	}
	u, _ := UpliftCurve(exScore, exTreated, exResponded)
	wantU := []Point{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 2}, {5, 5.0 / 6}, {6, 2}}
	if d := cmp.Diff(wantU, u, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Fatalf("uplift curve:\n%s", d)
	}
	// Qini: model area 6, random 3, perfect 9.5 (treated responders {0,2},
	// then the tie {1,4,5}, then control responder 3): q = 3/6.5.
	qc, _ := Qini(exScore, exTreated, exResponded)
	// AUUC: model area 59/6, random 6, perfect 43/3 (oracle order {0,2},
	// {1,5}, {4}, {3}): (59/6-6)/(43/3-6) = 23/50.
	ac, _ := AUUC(exScore, exTreated, exResponded)
	u50, _ := UpliftAtK(exScore, exTreated, exResponded, 0.5)
	u60, _ := UpliftAtK(exScore, exTreated, exResponded, 0.6) // ceil(3.6) = 4 rows
	for name, c := range map[string][2]float64{
		"Qini": {qc, 3 / 6.5}, "AUUC": {ac, 23.0 / 50}, "uplift@50%": {u50, 1}, "uplift@60%": {u60, 0.5},
	} {
		if math.Abs(c[0]-c[1]) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	ev, err := Evaluate(exScore, exTreated, exResponded, 0.6)
	want := Evaluation{Rows: 6, Treated: 3, Control: 3, ATE: 1.0 / 3, Qini: 3 / 6.5, AUUC: 23.0 / 50, QiniGain: 3.0 / 36, UpliftGain: (59.0/6 - 6) / 36, K: 0.6, UpliftAtK: 0.5}
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, ev, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Fatalf("Evaluate:\n%s", d)
	}
}

// TestTies: tied rows are targeted together, so shuffling rows (and thus
// the order of ties) changes no metric; uplift at k takes the boundary tie
// group fractionally.
func TestTies(t *testing.T) {
	score := []float64{0.9, 0.5, 0.5, 0.1}
	treated := []bool{true, true, false, false}
	responded := []bool{true, true, false, true}
	u, err := UpliftAtK(score, treated, responded, 0.5)
	if err != nil || u != 1 {
		t.Fatalf("uplift@50%% with a split tie = %v, %v; want 1 (treated 1.5/1.5, control 0/0.5)", u, err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	n := 400
	s, tr, rs := make([]float64, n), make([]bool, n), make([]bool, n)
	for i := range n {
		s[i] = float64(rng.IntN(7)) / 7 // heavy ties
		tr[i] = rng.IntN(2) == 0
		rs[i] = rng.Float64() < 0.2+0.2*s[i]*b2f(tr[i])
	}
	base, err := Evaluate(s, tr, rs, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		perm := rng.Perm(n)
		ps, pt, pr := make([]float64, n), make([]bool, n), make([]bool, n)
		for i, p := range perm {
			ps[i], pt[i], pr[i] = s[p], tr[p], rs[p]
		}
		got, _ := Evaluate(ps, pt, pr, 0.3)
		if d := cmp.Diff(base, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
			t.Fatalf("metrics depend on row order:\n%s", d)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestReferencePoints: the oracle ranking scores 1, the reversed oracle
// below 0, and a random score on data without heterogeneous effects near 0.
func TestReferencePoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	tr, rs, rnd := make([]bool, n), make([]bool, n), make([]float64, n)
	for i := range n {
		tr[i] = rng.IntN(2) == 0
		rs[i] = rng.Float64() < 0.10+0.05*b2f(tr[i])
		rnd[i] = rng.Float64()
	}
	perfect := perfectQiniScore(tr, rs)
	if q, _ := Qini(perfect, tr, rs); math.Abs(q-1) > 1e-12 {
		t.Errorf("Qini of the oracle ranking = %v, want 1", q)
	}
	if a, _ := AUUC(perfectUpliftScore(tr, rs), tr, rs); math.Abs(a-1) > 1e-12 {
		t.Errorf("AUUC of the oracle ranking = %v, want 1", a)
	}
	rev := make([]float64, n)
	for i, v := range perfect {
		rev[i] = -v
	}
	if q, _ := Qini(rev, tr, rs); q >= 0 {
		t.Errorf("Qini of the reversed oracle = %v, want < 0", q)
	}
	q, _ := Qini(rnd, tr, rs)
	a, _ := AUUC(rnd, tr, rs)
	if math.Abs(q) > 0.05 || math.Abs(a) > 0.05 {
		t.Errorf("random ranking: Qini %v, AUUC %v; want near 0", q, a)
	}
}

func TestMetricErrors(t *testing.T) {
	s, tr, rs := exScore, exTreated, exResponded
	nan := []float64{0.1, math.NaN(), 0.3, 0.4, 0.5, 0.6}
	allT := []bool{true, true, true, true, true, true}
	cases := map[string]struct {
		f    func() error
		want error
	}{
		"length treated":   {func() error { _, err := Qini(s, tr[:3], rs); return err }, ErrLength},
		"length responded": {func() error { _, err := AUUC(s, tr, rs[:2]); return err }, ErrLength},
		"empty":            {func() error { _, err := QiniCurve(nil, nil, nil); return err }, ErrEmpty},
		"nan":              {func() error { _, err := UpliftCurve(nan, tr, rs); return err }, ErrNonFinite},
		"one arm":          {func() error { _, err := Evaluate(s, allT, rs, 0.3); return err }, ErrGroup},
		"k zero":           {func() error { _, err := UpliftAtK(s, tr, rs, 0); return err }, ErrRange},
		"k one":            {func() error { _, err := UpliftAtK(s, tr, rs, 1); return err }, ErrRange},
		"k nan":            {func() error { _, err := UpliftAtK(s, tr, rs, math.NaN()); return err }, ErrRange},
		"top one arm":      {func() error { _, err := UpliftAtK(s, tr, rs, 0.1); return err }, ErrGroup},
	}
	for name, tc := range cases {
		err := tc.f()
		var fe *FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
	}
	var fe *FieldError
	if _, err := UpliftCurve(nan, tr, rs); !errors.As(err, &fe) || fe.Row != 1 {
		t.Errorf("NaN error does not name row 1: %v", err)
	}
}

func TestContactCurve(t *testing.T) {
	rows, err := ContactCurve([]int{1, 1, 2, 3, 3, 3}, []bool{true, false, true, false, false, true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []ContactRow{
		{Contacts: 1, Customers: 2, Converted: 1, Rate: 0.5, Reached: 6, Hazard: 1.0 / 6, CumConversions: 1.0 / 3, CumContacts: 6.0 / 13},
		{Contacts: 2, Customers: 1, Converted: 1, Rate: 1, Reached: 4, Hazard: 0.25, CumConversions: 2.0 / 3, CumContacts: 10.0 / 13},
		{Contacts: 3, Customers: 3, Converted: 1, Rate: 1.0 / 3, Reached: 3, Hazard: 1.0 / 3, CumConversions: 1, CumContacts: 1},
	}
	if d := cmp.Diff(want, rows, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Fatalf("ContactCurve:\n%s", d)
	}
	if k, err := SuggestCap(rows, 0); err != nil || k != 3 {
		t.Fatalf("SuggestCap = %d, %v", k, err)
	}
	if k, _ := SuggestCap(rows, 1); k != 3 {
		t.Fatalf("SuggestCap(ratio 1) = %d, want 3 (hazards rise)", k)
	}
	rows2, _ := ContactCurve([]int{1, 2, 2}, []bool{true, false, false}, 5)
	if len(rows2) != 2 || rows2[1].Hazard != 0 {
		t.Fatalf("upTo beyond the data: %+v", rows2)
	}
	if k, _ := SuggestCap(rows2, 0.5); k != 1 {
		t.Fatalf("SuggestCap = %d, want 1", k)
	}
	for name, f := range map[string]func() error{
		"length": func() error { _, err := ContactCurve([]int{1}, nil, 0); return err },
		"empty":  func() error { _, err := ContactCurve(nil, nil, 0); return err },
		"zero":   func() error { _, err := ContactCurve([]int{1, 0}, []bool{true, false}, 0); return err },
		"ratio":  func() error { _, err := SuggestCap(rows, 1.5); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
