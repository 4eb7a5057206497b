package scorecard

import (
	"testing"
)

func loadTaiwan(t testing.TB) *Dataset {
	t.Helper()
	ds, err := ReadCSVFile("testdata/UCI_Credit_Card.csv.gz", &CSVOptions{Target: "default.payment.next.month", Bad: "1", Good: "0", Drop: []string{"ID"}})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// taiwanOptions is the recipe used for the Taiwan target (see
// TestTaiwanSplit).
var taiwanOptions = Options{
	Binning:   BinningOptions{Special: []float64{-2, -1}},
	Selection: SelectionOptions{MinIV: -1, AllowWrongSign: true},
}

func taiwanAUC(t testing.TB, ds *Dataset, opts *Options, seed uint64) (float64, *Model) {
	t.Helper()
	train, test, err := ds.Split(0.3, seed)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := Fit(train, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.ScoreDataset(test)
	if err != nil {
		t.Fatal(err)
	}
	pd := make([]float64, len(res))
	for i, r := range res {
		pd[i] = r.PD
	}
	auc, err := AUC(pd, test.Bad)
	if err != nil {
		t.Fatal(err)
	}
	return auc, m
}

// TestTaiwanSplit checks the Taiwan default-of-credit-card-clients target:
// test AUC >= 0.77 on the stratified 70/30 split with seed 1.
//
// Recipe: PAY_0..PAY_6 use -2 ("no consumption") and -1 ("paid in full")
// as status codes, not delays, so they are special codes; with only 23
// candidates every one enters the correlation/VIF screening (MinIV -1); and
// the sign rule is relaxed, because BILL_AMT1 carries a significant
// conditional effect opposite to its marginal WoE. The default pipeline
// (MinIV 0.02, sign rule on) reaches about 0.766 on this split (see
// BENCHMARKS.md for the CLI command).
func TestTaiwanSplit(t *testing.T) {
	ds := loadTaiwan(t)
	if ds.Rows() != 30000 || len(ds.Columns) != 23 {
		t.Fatalf("taiwan: %d rows %d columns", ds.Rows(), len(ds.Columns))
	}
	auc, m := taiwanAUC(t, ds, &taiwanOptions, 1)
	t.Logf("Taiwan recipe: %d vars %v, test AUC %.4f", m.NumVars(), m.Names(), auc)
	if auc < 0.77 {
		t.Errorf("test AUC %.4f < 0.77", auc)
	}
}
