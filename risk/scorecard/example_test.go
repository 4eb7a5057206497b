package scorecard_test

import (
	"bytes"
	"fmt"
	"log"
	"math"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// Example fits a scorecard on the Statlog German credit data (target
// "class": 2 = bad), checks it on a hold-out sample and scores one applicant.
func Example() {
	ds, err := scorecard.ReadCSVFile("testdata/german.csv", &scorecard.CSVOptions{Target: "class", Bad: "2", Good: "1"})
	if err != nil {
		log.Fatal(err)
	}
	train, test, err := ds.Split(0.3, 1)
	if err != nil {
		log.Fatal(err)
	}
	model, report, err := scorecard.Fit(train, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("variables:", len(report.Selected), "of", len(report.Candidates))

	results, err := model.ScoreDataset(test)
	if err != nil {
		log.Fatal(err)
	}
	pd := make([]float64, len(results))
	for i, r := range results {
		pd[i] = r.PD
	}
	auc, _ := scorecard.AUC(pd, test.Bad)
	fmt.Printf("test AUC above 0.75: %v\n", auc > 0.75)

	// One applicant, values in the model's variable order.
	names, kinds := model.Names(), model.Kinds()
	row := scorecard.Row{Num: make([]float64, len(names)), Cat: make([]string, len(names))}
	for j, name := range names {
		c, _ := test.Column(name)
		if kinds[j] == scorecard.Numeric {
			row.Num[j] = c.Num[0]
		} else {
			row.Cat[j] = c.Cat[0]
		}
	}
	var reasons [3]scorecard.Reason
	res, err := model.Score(row, reasons[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("score %.0f, PD %.3f\n", res.Score, res.PD)
	for _, r := range reasons[:res.Reasons] {
		fmt.Printf("reason %s: %s (-%.0f points)\n", r.Code, r.Label, r.Lost)
	}
	// Output:
	// variables: 14 of 20
	// test AUC above 0.75: true
	// score 463, PD 0.696
	// reason duration_months: >= 48 (-67 points)
	// reason age: < 26 (-41 points)
	// reason checking_status: A12 (-37 points)
}

// ExampleBinNumeric bins a small numeric variable with a special code.
func ExampleBinNumeric() {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -9, -9, math.NaN(), 13}
	bad := []bool{true, true, true, false, true, false, false, true, false, false, false, false, true, false, true, false}
	b, err := scorecard.BinNumeric("months_on_book", x, bad, &scorecard.BinningOptions{Special: []float64{-9}, MinBinShare: 0.2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("trend:", b.Trend)
	for _, bin := range b.Bins {
		fmt.Printf("%-12s n=%d bads=%d WoE=%+.3f\n", bin.Label(), bin.Count, bin.Bads, bin.WoE)
	}
	fmt.Printf("IV %.3f\n", b.IV)
	// Output:
	// trend: descending
	// < 6          n=5 bads=4 WoE=-1.638
	// >= 6         n=8 bads=1 WoE=+1.695
	// special -9   n=2 bads=1 WoE=-0.251
	// missing      n=1 bads=1 WoE=-1.350
	// IV 2.052
}

// ExampleParseModel writes a model file and reads it back.
func ExampleParseModel() {
	ds, err := scorecard.ReadCSVFile("testdata/german.csv", &scorecard.CSVOptions{Target: "class", Bad: "2", Good: "1"})
	if err != nil {
		log.Fatal(err)
	}
	model, _, err := scorecard.Fit(ds, &scorecard.Options{Model: scorecard.ModelOptions{Name: "german-demo"}})
	if err != nil {
		log.Fatal(err)
	}
	var file bytes.Buffer
	if _, err := model.WriteTo(&file); err != nil {
		log.Fatal(err)
	}
	back, err := scorecard.ParseModel(file.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Name(), back.ID() == model.ID())
	// Output:
	// german-demo true
}
