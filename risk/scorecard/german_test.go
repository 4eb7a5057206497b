package scorecard

import (
	"testing"
)

func loadGerman(t testing.TB) *Dataset {
	t.Helper()
	ds, err := ReadCSVFile("testdata/german.csv", &CSVOptions{Target: "class", Bad: "2", Good: "1"})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestGermanCV checks the Statlog German credit target: mean test AUC over
// stratified 10-fold cross-validation of the default pipeline >= 0.78.
func TestGermanCV(t *testing.T) {
	ds := loadGerman(t)
	if ds.Rows() != 1000 || len(ds.Columns) != 20 {
		t.Fatalf("german: %d rows %d columns", ds.Rows(), len(ds.Columns))
	}
	folds, err := ds.Folds(10, 1)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for f, test := range folds {
		inTest := make([]bool, ds.Rows())
		for _, r := range test {
			inTest[r] = true
		}
		var train []int
		for r := range inTest {
			if !inTest[r] {
				train = append(train, r)
			}
		}
		tr, te := ds.Subset(train), ds.Subset(test)
		m, _, err := Fit(tr, nil)
		if err != nil {
			t.Fatalf("fold %d: %v", f, err)
		}
		res, err := m.ScoreDataset(te)
		if err != nil {
			t.Fatal(err)
		}
		pd := make([]float64, len(res))
		for i, r := range res {
			pd[i] = r.PD
		}
		auc, err := AUC(pd, te.Bad)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("fold %d: %d vars, test AUC %.4f", f, m.NumVars(), auc)
		sum += auc
	}
	mean := sum / float64(len(folds))
	t.Logf("German credit 10-fold CV mean test AUC %.4f", mean)
	if mean < 0.78 {
		t.Errorf("mean test AUC %.4f < 0.78", mean)
	}
}
