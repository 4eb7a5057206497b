package segment

import (
	"errors"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzLoadCatalog feeds arbitrary definitions documents to LoadCatalog:
// errors are fine (and typed), panics are not; a document that loads
// survives an encode/decode round trip unchanged and can be assigned.
func FuzzLoadCatalog(f *testing.F) {
	if data, err := os.ReadFile("testdata/segments20.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"version": "v1", "segments": [{"id": "a", "priority": 1, "group": "g", "expr": "Profile.Loans > 0"}]}`))
	f.Add([]byte(`{"version": "", "segments": [{"id": "b", "expr": "Profile.Purchases % 2 == 0"}]}`))
	f.Add([]byte(`{"version": "v", "segments": [{"id": "x", "expr": "Stage ==\n"}]}`))
	f.Add([]byte(`{"segments": []}`))
	f.Add([]byte(`[]`))
	pop := []Facts{facts("a"), func() Facts {
		x := buyer("b", 3, 7, 1234.5)
		x.AgeYears, x.Occupation, x.Loans, x.Spend.Childcare = 33, "employee", 1, 800
		return x
	}()}
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
		if cat2.Version() != cat.Version() || !cmp.Equal(cat.Definitions(), cat2.Definitions()) {
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
	})
}

// FuzzClosure holds the closure compiler to the expression engine: for
// any expression that compiles and that the closure compiler accepts, both
// give the same result on random environments.
func FuzzClosure(f *testing.F) {
	_, defs := segments20(f)
	for i, d := range defs {
		f.Add(d.Expr, uint64(i))
	}
	for i, s := range []string{
		`Profile.Loans in [1, 2.5] || Profile.AgeYears in [30, 40]`,
		`(Profile.AgeYears > 50 ? Profile.WealthUse : Profile.DTI) > 0.2`,
		`Profile.Purchases / Profile.PurchaseDays >= 1 && -Profile.DTI < -0.1`,
		`Profile.Occupation startsWith "stu" and not (Stage endsWith "ed")`,
		`RFM.F * RFM.M - RFM.R + 1 > 3`,
	} {
		f.Add(s, uint64(100+i))
	}
	f.Fuzz(func(t *testing.T, src string, seed uint64) {
		if len(src) > MaxExprLen {
			return
		}
		closureAgrees(t, src, seed, 16)
	})
}

// FuzzAssign feeds arbitrary facts to a fully configured assigner: invalid
// facts are a FieldError, valid ones are assigned without error, and the
// same facts always give the same assignment.
func FuzzAssign(f *testing.F) {
	f.Add(35.0, "employee", 9000.0, 3.5, 12, 4500.0, 800.0, 0.1, 365.0, 700.0, 1, false)
	f.Add(0.0, "", 0.0, -1.0, 0, 0.0, 0.0, 0.0, -1.0, 0.0, 0, false)
	f.Add(67.0, "retired", 4000.0, 40.0, 2, 30.0, 0.0, 0.5, -1.0, 30.0, 0, true)
	f.Add(math.NaN(), "student", -1.0, 1.0, -3, math.Inf(1), 0.0, 2.0, -2.0, math.NaN(), -1, true)
	v, defs := segments20(f)
	defs = append(defs, Definition{ID: "vm_only", Priority: 300, Expr: `Profile.Purchases % 3 == 1`})
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
	a, err := New(Config{RFM: rfm, Tiers: tiers, Segments: cat})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, age float64, occ string, income, recency float64, purchases int,
		monetary, childcare, wealth, salaryDays, value float64, loans int, pension bool) {
		x := facts("f")
		x.AgeYears, x.Occupation, x.MonthlyIncome, x.RecencyDays, x.Purchases = age, occ, income, recency, purchases
		x.Monetary, x.Spend.Childcare, x.WealthUse, x.SalaryDays, x.Value = monetary, childcare, wealth, salaryDays, value
		x.Loans, x.PensionIncome, x.HistoryDays = loans, pension, 400
		got, err := a.Assign(&x, simNow)
		if verr := x.Validate(); verr != nil {
			var fe *FieldError
			if !errors.Is(err, ErrInvalidFacts) || !errors.As(err, &fe) {
				t.Fatalf("invalid facts (%v) gave %v", verr, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid facts: %v", err)
		}
		if math.IsNaN(got.StageConfidence) || got.StageConfidence < 0 || got.StageConfidence > 1 {
			t.Fatalf("confidence %v", got.StageConfidence)
		}
		if (got.Stage == StageUnknown) != (got.StageConfidence == 0) || len(got.StageEvidence) == 0 {
			t.Fatalf("stage %v confidence %v evidence %v", got.Stage, got.StageConfidence, got.StageEvidence)
		}
		again, _ := a.Assign(&x, simNow)
		if !sameAssignment(&got, &again) {
			t.Fatal("not deterministic")
		}
	})
}
