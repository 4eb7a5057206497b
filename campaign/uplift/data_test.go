package uplift

import (
	"math"
	"sync"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

var bank = sync.OnceValues(func() (*scorecard.Dataset, error) { return readBank() })

// loadBank returns the UCI bank-marketing data without `duration` (known
// only after the call), with pdays = -1 ("not contacted before") as
// missing. The data are read once; tests must not change them.
func loadBank(t testing.TB) *scorecard.Dataset {
	t.Helper()
	ds, err := bank()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func readBank() (*scorecard.Dataset, error) {
	ds, err := scorecard.ReadCSVFile("testdata/bank-full.csv.gz", &scorecard.CSVOptions{Sep: ';', Target: "y", Bad: "yes", Good: "no", Drop: []string{"duration"}})
	if err != nil {
		return nil, err
	}
	if c, ok := ds.Column("pdays"); ok {
		for i, v := range c.Num {
			if v == -1 {
				c.Num[i] = math.NaN()
			}
		}
	}
	return ds, nil
}

// loadHillstrom reads the Hillstrom e-mail test as an experiment: Womens
// E-Mail against No E-Mail, target visit.
func loadHillstrom(t testing.TB) *Experiment {
	t.Helper()
	ds, err := scorecard.ReadCSVFile("testdata/hillstrom.csv.gz", &scorecard.CSVOptions{Target: "visit", Bad: "1", Good: "0", Drop: []string{"conversion", "spend"}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewExperiment(ds, "segment", "Womens E-Mail", "No E-Mail")
	if err != nil {
		t.Fatal(err)
	}
	return e
}
