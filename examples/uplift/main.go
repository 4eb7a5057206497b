// Command uplift reports the propensity and uplift benchmarks of package
// campaign/uplift:
//
//   - UCI bank marketing (without `duration`): the test AUC of a response
//     scorecard on a stratified 70/30 split, and conversion by number of
//     contacts in the campaign, with the contact cap it suggests;
//   - Hillstrom (Womens E-Mail against No E-Mail, target visit): Qini,
//     AUUC and uplift at 30% of a two-model uplift on a stratified 50/50
//     split.
//
// Run it from the repository root:
//
//	go run ./examples/uplift [-seed 1] [-export DIR]
//
// -export writes the splits and test scores as CSV for the Python
// cross-checks in scripts/ (bankmarketing_auc.py, uplift_hillstrom.py).
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/suanpan-dev/suanpan/campaign/uplift"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

func main() {
	bankPath := flag.String("bank", "campaign/uplift/testdata/bank-full.csv.gz", "UCI bank-full.csv(.gz), ;-separated")
	hillPath := flag.String("hillstrom", "campaign/uplift/testdata/hillstrom.csv.gz", "Hillstrom MineThatData CSV(.gz)")
	seed := flag.Uint64("seed", 1, "seed of the train/test splits")
	export := flag.String("export", "", "directory to write splits and test scores as CSV (for scripts/)")
	hillTest := flag.String("hillstrom-test", "", "CSV with a header and one Hillstrom test row index per line (rows of the Womens/No E-Mail subset in file order), replacing the seeded split")
	flag.Parse()
	log.SetFlags(0)
	if err := bank(*bankPath, *seed, *export); err != nil {
		log.Fatalf("bank marketing: %v", err)
	}
	fmt.Println()
	if err := hillstrom(*hillPath, *seed, *export, *hillTest); err != nil {
		log.Fatalf("hillstrom: %v", err)
	}
}

// withRowID adds a numeric column holding each row's index, to follow rows
// through a split; dropColumn removes it again before fitting.
func withRowID(ds *scorecard.Dataset) {
	id := make([]float64, ds.Rows())
	for i := range id {
		id[i] = float64(i)
	}
	ds.Columns = append(ds.Columns, scorecard.Column{Name: "_row", Kind: scorecard.Numeric, Num: id})
}

func dropColumn(ds *scorecard.Dataset, name string) []float64 {
	for i, c := range ds.Columns {
		if c.Name == name {
			ds.Columns = append(ds.Columns[:i], ds.Columns[i+1:]...)
			return c.Num
		}
	}
	return nil
}

func bank(path string, seed uint64, export string) error {
	ds, err := scorecard.ReadCSVFile(path, &scorecard.CSVOptions{Sep: ';', Target: "y", Bad: "yes", Good: "no", Drop: []string{"duration"}})
	if err != nil {
		return err
	}
	// pdays = -1 means "not contacted in an earlier campaign": missing.
	if c, ok := ds.Column("pdays"); ok {
		for i, v := range c.Num {
			if v == -1 {
				c.Num[i] = math.NaN()
			}
		}
	}
	withRowID(ds)
	train, test, err := ds.Split(0.3, seed)
	if err != nil {
		return err
	}
	dropColumn(train, "_row")
	testRows := dropColumn(test, "_row")
	r, rep, err := uplift.FitResponse(train, nil)
	if err != nil {
		return err
	}
	p, err := r.ScoreDataset(test)
	if err != nil {
		return err
	}
	auc, err := scorecard.AUC(p, test.Bad)
	if err != nil {
		return err
	}
	fmt.Printf("UCI bank marketing (%d rows, `duration` dropped), response scorecard, 70/30 stratified split, seed %d\n", ds.Rows(), seed)
	fmt.Printf("  variables (%d): %v\n", len(rep.Selected), rep.Selected)
	fmt.Printf("  test AUC %.4f (target >= 0.775; scikit-learn binned logistic regression 0.7755 on its own split)\n\n", auc)
	if export != "" {
		if err := writeScores(filepath.Join(export, "bank_test_scores.csv"), testRows, p, nil); err != nil {
			return err
		}
	}

	c, _ := ds.Column("campaign")
	contacts := make([]int, len(c.Num))
	for i, v := range c.Num {
		contacts[i] = int(v)
	}
	rows, err := uplift.ContactCurve(contacts, ds.Bad, 12)
	if err != nil {
		return err
	}
	fmt.Println("Conversion by number of contacts in the campaign (all rows)")
	fmt.Println("  contacts  customers  converted   rate   reached  hazard  conversions kept  contacts kept")
	for _, r := range rows {
		fmt.Printf("  %8d  %9d  %9d  %.4f  %7d  %.4f  %16.3f  %13.3f\n", r.Contacts, r.Customers, r.Converted, r.Rate, r.Reached, r.Hazard, r.CumConversions, r.CumContacts)
	}
	k, err := uplift.SuggestCap(rows, 0.5)
	if err != nil {
		return err
	}
	if k == 0 {
		fmt.Println("  no cap suggested: the first contact never converts")
		return nil
	}
	rk := rows[k-1]
	fmt.Printf("  suggested cap: %d contacts per customer per campaign (contact %d converts %.4f, at least half the first contact's %.4f)\n", k, k, rk.Hazard, rows[0].Hazard)
	if k < len(rows) {
		fmt.Printf("  contact %d converts %.4f; ", k+1, rows[k].Hazard)
	}
	fmt.Printf("  a cap of %d keeps %.1f%% of conversions for %.1f%% of the calls.\n", k, 100*rk.CumConversions, 100*rk.CumContacts)
	return nil
}

func hillstrom(path string, seed uint64, export, testFile string) error {
	ds, err := scorecard.ReadCSVFile(path, &scorecard.CSVOptions{Target: "visit", Bad: "1", Good: "0", Drop: []string{"conversion", "spend"}})
	if err != nil {
		return err
	}
	e, err := uplift.NewExperiment(ds, "segment", "Womens E-Mail", "No E-Mail")
	if err != nil {
		return err
	}
	trRows, teRows, err := e.SplitRows(0.5, seed)
	if err != nil {
		return err
	}
	split := fmt.Sprintf("50/50 split stratified by arm and visit, seed %d", seed)
	if testFile != "" {
		if trRows, teRows, err = readRows(testFile, e.Data.Rows()); err != nil {
			return err
		}
		split = "test rows from " + testFile
	}
	train, test := e.Subset(trRows), e.Subset(teRows)
	m, err := uplift.FitTwoModel(train, nil)
	if err != nil {
		return err
	}
	ev, err := m.Evaluate(test, 0.3)
	if err != nil {
		return err
	}
	fmt.Printf("Hillstrom, Womens E-Mail vs No E-Mail (%d customers), target visit, two-model uplift (two response scorecards), %s\n", e.Data.Rows(), split)
	fmt.Printf("  treated model: %v\n  control model: %v\n", m.Treated.Names(), m.Control.Names())
	fmt.Printf("  test: %d customers (%d treated, %d control), average effect (random targeting) %.4f\n", ev.Rows, ev.Treated, ev.Control, ev.ATE)
	fmt.Printf("  Qini coefficient %.4f  AUUC %.4f  (normalised: (model - random) / (perfect - random))\n", ev.Qini, ev.AUUC)
	fmt.Printf("  Qini gain %.5f  uplift gain %.5f  (area above random, both axes / n)\n", ev.QiniGain, ev.UpliftGain)
	fmt.Printf("  uplift at 30%% %.4f  (treated minus control visit rate in the top 30%%; scikit-uplift's class transformation: 0.066)\n", ev.UpliftAtK)
	if export != "" {
		s, err := m.ScoreDataset(test.Data)
		if err != nil {
			return err
		}
		rows := make([]float64, len(teRows))
		for i, r := range teRows {
			rows[i] = float64(r)
		}
		if err := writeScores(filepath.Join(export, "hillstrom_test_scores.csv"), rows, s, test.Treated); err != nil {
			return err
		}
	}
	return nil
}

// readRows reads test row indices (a header line, then one index per
// line) and returns the other rows as training rows.
func readRows(path string, n int) (train, test []int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, err
	}
	isTest := make([]bool, n)
	for i, r := range recs {
		if i == 0 {
			continue
		}
		v, err := strconv.Atoi(r[0])
		if err != nil || v < 0 || v >= n {
			return nil, nil, fmt.Errorf("%s line %d: bad row index", path, i+1)
		}
		isTest[v] = true
	}
	for i, t := range isTest {
		if t {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test, nil
}

// writeScores writes row,score[,treated] for the test rows.
func writeScores(path string, rows, score []float64, treated []bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := []string{"row", "score"}
	if treated != nil {
		head = append(head, "treated")
	}
	_ = w.Write(head)
	for i := range rows {
		rec := []string{strconv.Itoa(int(rows[i])), strconv.FormatFloat(score[i], 'g', -1, 64)}
		if treated != nil {
			rec = append(rec, map[bool]string{true: "1", false: "0"}[treated[i]])
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
