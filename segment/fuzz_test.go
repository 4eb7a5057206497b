package segment

import (
	"errors"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// FuzzLoadCatalog feeds arbitrary definitions documents to LoadCatalog:
// errors are fine (and typed), panics are not; a document that loads
// survives an encode/decode round trip unchanged, can be assigned, and
// reads nothing outside its FeatureGroups: simulated customers whose
// inputs hold only those groups (NewInput) get the memberships they get
// with every group filled.
func FuzzLoadCatalog(f *testing.F) {
	if data, err := os.ReadFile("testdata/segments20.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"version": "v1", "segments": [{"id": "a", "priority": 1, "group": "g", "expr": "Profile.Loans > 0"}]}`))
	f.Add([]byte(`{"version": "", "segments": [{"id": "b", "expr": "Profile.Purchases % 2 == 0"}]}`))
	f.Add([]byte(`{"version": "v", "segments": [{"id": "x", "expr": "Stage ==\n"}]}`))
	f.Add([]byte(`{"version": "m", "segments": [{"id": "money", "expr": "Profile.Monetary > 1000.5 || Profile.Sum30d >= money(\"99.99\")"}]}`))
	f.Add([]byte(`{"version": "w", "segments": [{"id": "w", "expr": "WealthUse > 0.1 && Value < 500 && Profile.Devices >= 2"}]}`))
	f.Add([]byte(`{"version": "p", "segments": [{"id": "p", "expr": "Profile.Spend.Childcare > 0 && Profile.TopAppFunction != \"\""}]}`))
	f.Add([]byte(`{"segments": []}`))
	f.Add([]byte(`[]`))
	pop := []Input{input("a"), func() Input {
		x := buyer("b", 3, 7, 1234.5)
		x.Profile.AgeYears, x.Profile.Occupation, x.Profile.Loans, x.Profile.Spend.Childcare = 33, "employee", 1, 800
		return x
	}()}
	ps := simProfiles(f, 6)
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := LoadCatalog(data)
		if err != nil {
			if !errors.Is(err, ErrDecode) && !errors.Is(err, ErrInvalidDefinition) && !errors.Is(err, ErrCompile) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		enc, err := MarshalDefinitions(cat.Version(), cat.Definitions())
		if err != nil {
			t.Fatal(err)
		}
		cat2, err := LoadCatalog(enc)
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if cat2.Version() != cat.Version() || !cmp.Equal(cat.Definitions(), cat2.Definitions()) ||
			cat2.FeatureGroups() != cat.FeatureGroups() {
			t.Fatal("round trip changed the catalog")
		}
		a, err := New(Config{Segments: cat})
		if err != nil {
			t.Fatal(err)
		}
		for i := range pop {
			if _, err := a.Assign(&pop[i], simNow); err != nil && !errors.Is(err, ErrEval) {
				t.Fatalf("assign: %v", err)
			}
		}
		for _, p := range ps {
			in, err := NewInput(p, simNow, &InputOptions{Segments: cat})
			if err != nil {
				t.Fatal(err)
			}
			full := in
			full.Profile, full.Groups = p.Features(simNow), profile.AllFeatures
			got, err1 := a.Assign(&in, simNow)
			want, err2 := a.Assign(&full, simNow)
			if (err1 == nil) != (err2 == nil) || err1 == nil && !sameAssignment(&got, &want) {
				t.Fatalf("%s: with groups %b: %v %v; with all: %v %v", p.CustomerID(), in.Groups, got.Segments, err1, want.Segments, err2)
			}
		}
	})
}

// FuzzAssign feeds arbitrary inputs to a fully configured assigner whose
// segments run as closures and on the virtual machine (decimal money
// among them): invalid inputs are a FieldError, valid ones are assigned
// without error, and the same input always gives the same assignment.
func FuzzAssign(f *testing.F) {
	f.Add(35.0, "employee", 9000.0, 3.5, 12, int64(450000), 800.0, 0.1, 365.0, 700.0, 1, false, 2.0, 1, uint32(0))
	f.Add(0.0, "", 0.0, -1.0, 0, int64(0), 0.0, 0.0, -1.0, 0.0, 0, false, -1.0, 0, uint32(0))
	f.Add(67.0, "retired", 4000.0, 40.0, 2, int64(3000), 0.0, 0.5, -1.0, 30.0, 0, true, 0.5, 3, uint32(inputGroups))
	f.Add(28.0, "employee", 6000.0, 1.0, 3, int64(100050), 0.0, 0.0, 100.0, 1000.5, 0, false, 1.0, 4, uint32(inputGroups|profile.FeatureActivity))
	f.Add(math.NaN(), "student", -1.0, 1.0, -3, int64(-1), 0.0, 2.0, -2.0, math.NaN(), -1, true, math.Inf(1), -1, uint32(1))
	v, defs := segments20(f)
	defs = append(defs,
		Definition{ID: "vm_only", Priority: 300, Expr: `Profile.Purchases % 3 == 1`},
		Definition{ID: "big_spender", Priority: 310, Expr: `Profile.Monetary > 1000.5`},
		Definition{ID: "multi_device", Priority: 320, Expr: `Profile.Devices >= 2 && Value > 100`})
	rfm, err := newRFMModel(nil)
	if err != nil {
		f.Fatal(err)
	}
	rfm.recency, rfm.frequency, rfm.monetary = [4]float64{3, 10, 30, 90}, [4]float64{1, 3, 8, 20}, [4]float64{100, 500, 2000, 8000}
	tiers, err := FitTierValues([]float64{50000, 20000, 8000, 3000, 1000, 300, 0, 0}, nil)
	if err != nil {
		f.Fatal(err)
	}
	cat, err := Compile(v, defs)
	if err != nil {
		f.Fatal(err)
	}
	if got := cat.Interpreted(); !cmp.Equal(got, []string{"vm_only"}) {
		f.Fatalf("interpreted %v", got)
	}
	a, err := New(Config{RFM: rfm, Tiers: tiers, Segments: cat})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, age float64, occ string, income, recency float64, purchases int, monetaryCents int64,
		childcare, wealth, salaryDays, value float64, loans int, pension bool, sessionDays float64, devices int, groups uint32) {
		x := input("f")
		p := &x.Profile
		p.AgeYears, p.Occupation, p.MonthlyIncome, p.RecencyDays, p.Purchases = age, occ, income, recency, purchases
		p.Monetary, p.Spend.Childcare, p.SalaryDays = decimal.New(monetaryCents, -2), childcare, salaryDays
		p.Loans, p.PensionIncome, p.HistoryDays, p.DaysSinceLastSession, p.Devices = loans, pension, 400, sessionDays, devices
		x.WealthUse, x.Value, x.Groups = wealth, value, profile.FeatureGroup(groups)
		got, err := a.Assign(&x, simNow)
		verr := x.Validate()
		lacks := x.Groups != 0 && x.Groups&a.FeatureGroups() != a.FeatureGroups()
		if verr != nil || lacks {
			var fe *FieldError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &fe) {
				t.Fatalf("invalid input (%v, lacks groups %v) gave %v", verr, lacks, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid input: %v", err)
		}
		if math.IsNaN(got.StageConfidence) || got.StageConfidence < 0 || got.StageConfidence > 1 {
			t.Fatalf("confidence %v", got.StageConfidence)
		}
		if (got.Stage == StageUnknown) != (got.StageConfidence == 0) || len(got.StageEvidence) == 0 {
			t.Fatalf("stage %v confidence %v evidence %v", got.Stage, got.StageConfidence, got.StageEvidence)
		}
		if got.In("big_spender") != (monetaryCents > 100050) {
			t.Fatalf("big_spender for %d cents: %v", monetaryCents, got.In("big_spender"))
		}
		again, _ := a.Assign(&x, simNow)
		if !sameAssignment(&got, &again) {
			t.Fatal("not deterministic")
		}
	})
}

// simProfiles returns n simulated profiles folded up to simNow.
func simProfiles(t testing.TB, n int) []*profile.Profile {
	t.Helper()
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := synth.Config{Seed: 11, Customers: n}
	var ps []*profile.Profile
	for i := range n {
		c, err := cfg.Customer(i)
		if err != nil {
			t.Fatal(err)
		}
		p := profile.New(c.ID)
		if err := p.SetCustomer(c.Customer); err != nil {
			t.Fatal(err)
		}
		for j := range c.Events {
			if err := b.Apply(p, &c.Events[j], simNow); err != nil {
				t.Fatal(err)
			}
		}
		ps = append(ps, p)
	}
	return ps
}
