package clv

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	cst := time.FixedZone("UTC+8", 8*3600)
	txs := []Transaction{
		{"A", time.Date(1997, 1, 1, 23, 30, 0, 0, cst), dec("10")},
		{"B", day(1997, 1, 15), dec("20")},
		{"A", day(1997, 1, 1), dec("5")}, // same day as A's first: merged
		{"C", day(1997, 1, 10), dec("5")},
		{"A", day(1997, 1, 8), dec("7")},
		{"A", day(1997, 1, 22), dec("3")},
		{"C", day(1997, 1, 20), dec("0")},
		{"D", day(1997, 2, 1), dec("1")}, // after calibration: late
		{"A", day(1997, 2, 5), dec("4")},
		{"A", day(1997, 2, 5), dec("1")},
		{"A", day(1997, 2, 12), dec("0")},
		{"A", day(1997, 3, 1), dec("9")}, // after the holdout end
	}
	s, err := Summarize(txs, day(1997, 1, 31), &SummaryOptions{HoldoutEnd: day(1997, 2, 12)})
	if err != nil {
		t.Fatal(err)
	}
	want := []Customer{
		{ID: "A", Frequency: 2, Recency: 3, T: 30.0 / 7, Spend: 5, Holdout: 2},
		{ID: "B", T: 16.0 / 7},
		{ID: "C", Frequency: 1, Recency: 10.0 / 7, T: 21.0 / 7, Spend: 0},
	}
	if len(s.Customers) != len(want) {
		t.Fatalf("customers %+v", s.Customers)
	}
	for i := range want {
		if s.Customers[i] != want[i] {
			t.Errorf("customer %d = %+v, want %+v", i, s.Customers[i], want[i])
		}
	}
	if s.Repeaters != 2 || s.ZeroSpend != 1 || s.Late != 1 || s.Transactions != 12 || s.PurchaseDays != 10 ||
		s.HoldoutWeeks != 12.0/7 || s.HoldoutActual() != 2 || !s.HoldoutEnd.Equal(day(1997, 2, 12)) {
		t.Errorf("summary %+v", s)
	}
	// Default holdout end: the latest transaction.
	s, err = Summarize(txs, day(1997, 1, 31), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.HoldoutWeeks != 29.0/7 || s.Customers[0].Holdout != 3 {
		t.Errorf("default holdout: %v weeks, A holdout %d", s.HoldoutWeeks, s.Customers[0].Holdout)
	}
	// No data after the calibration end: no holdout.
	s, err = Summarize(txs[:7], day(1997, 1, 31), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.HoldoutWeeks != 0 || !s.HoldoutEnd.IsZero() {
		t.Errorf("no holdout expected: %+v", s)
	}
}

func wantErr(t *testing.T, what string, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: error %v, want %v", what, err, sentinel)
	}
}

func TestSummarizeBadInput(t *testing.T) {
	ok := []Transaction{{"A", day(1997, 1, 1), dec("1")}, {"A", day(1997, 1, 5), dec("2")}}
	_, err := Summarize(nil, day(1997, 2, 1), nil)
	wantErr(t, "empty", err, ErrEmpty)
	_, err = Summarize(ok, time.Time{}, nil)
	wantErr(t, "zero calibration end", err, ErrArgument)
	_, err = Summarize(ok, day(1996, 12, 31), nil)
	wantErr(t, "calibration end before first purchase", err, ErrCalibrationEnd)
	_, err = Summarize(ok, day(1997, 2, 1), &SummaryOptions{HoldoutEnd: day(1997, 1, 1)})
	wantErr(t, "holdout end before calibration end", err, ErrCalibrationEnd)
	for i, bad := range []Transaction{
		{"", day(1997, 1, 6), dec("1")},
		{"A", time.Time{}, dec("1")},
		{"A", day(1997, 1, 6), dec("-0.01")},
		{"A", day(1997, 1, 6), dec("1e15")},
	} {
		_, err := Summarize(append(ok[:2:2], bad), day(1997, 2, 1), nil)
		var fe *FieldError
		if !errors.Is(err, ErrTransaction) || !errors.As(err, &fe) || fe.Index != 2 {
			t.Errorf("bad transaction %d: %v", i, err)
		}
	}
	_, err = Summarize(append(ok[:2:2], Transaction{"A", day(1997, 1, 4), dec("1")}), day(1997, 2, 1), nil)
	var fe *FieldError
	if !errors.Is(err, ErrOutOfOrder) || !errors.As(err, &fe) || fe.Index != 2 || fe.Field != "Date" {
		t.Errorf("out of order: %v", err)
	}
}

func TestFitBadInput(t *testing.T) {
	good := testCustomers
	fits := map[string]func([]Customer, []float64, *FitOptions) error{
		"BG/NBD": func(c []Customer, w []float64, o *FitOptions) error {
			_, err := FitBGNBD(c, w, o)
			return err
		},
		"Pareto/NBD": func(c []Customer, w []float64, o *FitOptions) error {
			_, err := FitParetoNBD(c, w, o)
			return err
		},
		"Gamma-Gamma": func(c []Customer, w []float64, o *FitOptions) error {
			_, err := FitGammaGamma(c, w, o)
			return err
		},
	}
	for name, fit := range fits {
		wantErr(t, name+" empty", fit(nil, nil, nil), ErrEmpty)
		wantErr(t, name+" zero weights", fit(good, make([]float64, len(good)), nil), ErrEmpty)
		wantErr(t, name+" all-zero frequency", fit([]Customer{{T: 3}, {T: 5}}, nil, nil), ErrNoRepeaters)
		wantErr(t, name+" single customer", fit([]Customer{{Frequency: 2, Recency: 30, T: 38, Spend: 10}}, nil, nil), ErrNotIdentified)
		wantErr(t, name+" weights length", fit(good, []float64{1}, nil), ErrWeight)
		for _, w := range []float64{-1, math.NaN(), math.Inf(1)} {
			ws := make([]float64, len(good))
			for i := range ws {
				ws[i] = 1
			}
			ws[3] = w
			err := fit(good, ws, nil)
			var fe *FieldError
			if !errors.Is(err, ErrWeight) || !errors.As(err, &fe) || fe.Index != 3 {
				t.Errorf("%s weight %v: %v", name, w, err)
			}
		}
		for _, c := range []Customer{
			{Frequency: -1, T: 3},
			{Frequency: 1, Recency: 4, T: 3},
			{Frequency: 0, Recency: 1, T: 3},
			{Frequency: 1, Recency: 1, T: math.NaN()},
			{Frequency: 1, Recency: math.Inf(1), T: 3},
			{Frequency: 1, Recency: -1, T: 3},
		} {
			cs := append([]Customer{good[2]}, c)
			err := fit(cs, nil, nil)
			var fe *FieldError
			if !errors.Is(err, ErrCustomer) || !errors.As(err, &fe) || fe.Index != 1 {
				t.Errorf("%s customer %+v: %v", name, c, err)
			}
		}
		negStart := []float64{1, 1, 1, -1}
		if name == "Gamma-Gamma" {
			negStart = []float64{1, 1, -1}
		}
		for _, o := range []*FitOptions{{Penalty: -1}, {Penalty: math.NaN()}, {Start: []float64{1}}, {Start: negStart}, {MaxIterations: -1}, {Workers: -1}} {
			wantErr(t, name+" options", fit(good, nil, o), ErrArgument)
		}
	}
	// Gamma-Gamma: negative spend is an error; zero spend is excluded and
	// counted.
	cs := append([]Customer(nil), good...)
	cs[3].Spend = -1
	_, err := FitGammaGamma(cs, nil, nil)
	wantErr(t, "negative spend", err, ErrCustomer)
	cs[3].Spend = 0
	f, err := FitGammaGamma(cs, nil, nil)
	if err == nil && f.Excluded != 1 {
		t.Errorf("zero spend: excluded %v", f.Excluded)
	}
	zero := []Customer{{Frequency: 1, Recency: 1, T: 2}, {Frequency: 2, Recency: 1, T: 2}}
	_, err = FitGammaGamma(zero, nil, nil)
	wantErr(t, "all zero spend", err, ErrNoRepeaters)
}

// Random tiny populations: fits either fail with a typed error or return
// finite parameters, never NaN.
func TestFitNeverNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := range 80 {
		n := 1 + rng.IntN(6)
		cs := make([]Customer, n)
		for i := range cs {
			T := float64(rng.IntN(400)) / 7
			x := 0
			if rng.IntN(2) == 0 {
				x = rng.IntN(8)
			}
			tx := 0.0
			if x > 0 {
				tx = T * rng.Float64()
			}
			cs[i] = Customer{Frequency: x, Recency: tx, T: T, Spend: float64(rng.IntN(3)) * rng.Float64() * 100}
		}
		check := func(name string, params []float64, ll float64, err error) {
			if err != nil {
				var fe *FitError
				if !errors.Is(err, ErrNoRepeaters) && !errors.As(err, &fe) && !errors.Is(err, ErrEmpty) {
					t.Errorf("%d %s %+v: untyped error %v", it, name, cs, err)
				}
				return
			}
			for _, v := range append(params, ll) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%d %s %+v: non-finite result %v %v", it, name, cs, params, ll)
				}
			}
		}
		b, err := FitBGNBD(cs, nil, nil)
		if err == nil {
			check("BG/NBD", []float64{b.Model.R, b.Model.Alpha, b.Model.A, b.Model.B, b.StdErr.R, b.StdErr.B}, b.LogLik, nil)
		} else {
			check("BG/NBD", nil, 0, err)
		}
		p, err := FitParetoNBD(cs, nil, nil)
		if err == nil {
			check("Pareto/NBD", []float64{p.Model.R, p.Model.Alpha, p.Model.S, p.Model.Beta, p.StdErr.S}, p.LogLik, nil)
		} else {
			check("Pareto/NBD", nil, 0, err)
		}
		g, err := FitGammaGamma(cs, nil, nil)
		if err == nil {
			check("Gamma-Gamma", []float64{g.Model.P, g.Model.Q, g.Model.Gamma, g.StdErr.P}, g.LogLik, nil)
		} else {
			check("Gamma-Gamma", nil, 0, err)
		}
	}
}

func TestModelBadInput(t *testing.T) {
	c := testCustomers[2]
	for _, m := range []BGNBD{{}, {R: -1, Alpha: 1, A: 1, B: 1}, {R: math.NaN(), Alpha: 1, A: 1, B: 1}, {R: 1, Alpha: math.Inf(1), A: 1, B: 1}} {
		_, err := m.PAlive(c)
		wantErr(t, "BG/NBD PAlive", err, ErrParameter)
		_, err = m.ConditionalTransactions(c, 1)
		wantErr(t, "BG/NBD conditional", err, ErrParameter)
		_, err = m.Simulate(rand.New(rand.NewPCG(1, 1)), 1)
		wantErr(t, "BG/NBD simulate", err, ErrParameter)
	}
	bg := BGNBD{0.243, 4.414, 0.793, 2.426}
	pn := ParetoNBD{0.553, 10.578, 0.606, 11.668}
	for _, tt := range []float64{-1, math.NaN(), math.Inf(1)} {
		_, err := bg.ExpectedTransactions(tt)
		wantErr(t, "BG/NBD horizon", err, ErrArgument)
		_, err = pn.ConditionalTransactions(c, tt)
		wantErr(t, "Pareto/NBD horizon", err, ErrArgument)
	}
	_, err := pn.PAlive(Customer{Frequency: 1, Recency: 5, T: 4})
	wantErr(t, "Pareto/NBD customer", err, ErrCustomer)
	_, err = ParetoNBD{}.ExpectedTransactions(1)
	wantErr(t, "Pareto/NBD parameters", err, ErrParameter)
	gg := GammaGamma{6.25, 0.9, 15}
	_, err = gg.ExpectedSpend(c)
	wantErr(t, "q ≤ 1", err, ErrParameter)
	_, err = gg.MeanSpend()
	wantErr(t, "q ≤ 1 mean", err, ErrParameter)
	_, err = GammaGamma{6.25, 3.74, 15.44}.LogLikelihood(Customer{T: 3})
	wantErr(t, "no spend", err, ErrCustomer)
	for _, o := range []*ValueOptions{{Periods: -1}, {Periods: 12001}, {PeriodWeeks: -1}, {DiscountRate: -0.1}, {DiscountRate: math.NaN()}} {
		_, err := Value(bg, GammaGamma{6.25, 3.74, 15.44}, c, o)
		wantErr(t, "value options", err, ErrArgument)
	}
	_, err = Value(nil, GammaGamma{6.25, 3.74, 15.44}, c, nil)
	wantErr(t, "nil forecaster", err, ErrArgument)
}

// FuzzFit decodes up to 12 customers from bytes (4 bytes each: frequency,
// recency as a fraction of T, T in days, spend) and checks that every fit
// returns a typed error or finite parameters, and every prediction a
// finite number or a typed error.
func FuzzFit(f *testing.F) {
	f.Add([]byte{2, 200, 255, 30, 0, 0, 255, 0, 5, 100, 140, 60})
	f.Add([]byte{0, 0, 10, 0, 0, 0, 200, 0})
	f.Add([]byte{1, 255, 255, 0, 1, 255, 255, 0, 3, 10, 20, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		var cs []Customer
		for i := 0; i+4 <= len(data) && len(cs) < 12; i += 4 {
			T := float64(data[i+2]) / 7
			c := Customer{Frequency: int(data[i] % 16), T: T}
			if c.Frequency > 0 {
				c.Recency = T * float64(data[i+1]) / 255
				c.Spend = float64(data[i+3])
			}
			cs = append(cs, c)
		}
		var params []float64
		var fcs []Forecaster
		if b, err := FitBGNBD(cs, nil, nil); err == nil {
			params = append(params, b.Model.R, b.Model.Alpha, b.Model.A, b.Model.B, b.LogLik, b.StdErr.R)
			fcs = append(fcs, b.Model)
		} else if !typedFitErr(err) {
			t.Fatalf("BG/NBD: untyped error %v", err)
		}
		if p, err := FitParetoNBD(cs, nil, nil); err == nil {
			params = append(params, p.Model.R, p.Model.Alpha, p.Model.S, p.Model.Beta, p.LogLik, p.StdErr.Beta)
			fcs = append(fcs, p.Model)
		} else if !typedFitErr(err) {
			t.Fatalf("Pareto/NBD: untyped error %v", err)
		}
		if g, err := FitGammaGamma(cs, nil, nil); err == nil {
			params = append(params, g.Model.P, g.Model.Q, g.Model.Gamma, g.LogLik, g.StdErr.P)
		} else if !typedFitErr(err) {
			t.Fatalf("Gamma-Gamma: untyped error %v", err)
		}
		for _, v := range params {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite result in %v", params)
			}
		}
		for _, fc := range fcs {
			for _, c := range cs {
				y, err := fc.ConditionalTransactions(c, 52)
				if err != nil {
					var fe *FieldError
					if !errors.As(err, &fe) {
						t.Fatalf("untyped error %v", err)
					}
					continue
				}
				if math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
					t.Fatalf("%T %+v: E[Y] = %v", fc, c, y)
				}
			}
		}
	})
}

func typedFitErr(err error) bool {
	var fe *FitError
	return errors.Is(err, ErrEmpty) || errors.Is(err, ErrNoRepeaters) || errors.As(err, &fe)
}

func TestDayNumber(t *testing.T) {
	for _, d := range []time.Time{day(1970, 1, 1), day(1969, 12, 31), day(1900, 3, 1), day(2000, 2, 29), day(2400, 12, 31), day(1, 1, 1), day(-5, 3, 1)} {
		want := d.Unix() / 86400
		if d.Unix()%86400 != 0 {
			t.Fatal("not midnight")
		}
		if got := dayNumber(d.Add(13 * time.Hour)); got != want {
			t.Errorf("%v: %d, want %d", d, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		d := day(1900+rng.IntN(300), time.Month(1+rng.IntN(12)), 1+rng.IntN(31))
		if got, want := dayNumber(d), d.Unix()/86400; got != want {
			t.Fatalf("%v: %d, want %d", d, got, want)
		}
	}
}
