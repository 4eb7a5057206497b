// Command scorecard_design writes the inputs of the Python cross-check
// (scripts/scorecard_crosscheck.py): it fits a scorecard with package
// scorecard on a stratified 70/30 split of a test data set and writes
//
//	train.csv  y and the WoE design matrix of the training rows,
//	test.csv   y, the WoE design matrix and the model's PD of the test rows,
//	go.json    Go's unpenalised and ridge logistic fits on that design
//	           (coefficients, standard errors, z, p, log-likelihoods, AIC,
//	           BIC) and Go's test AUC, Gini and KS.
//
// Usage: go run ./scripts/scorecard_design -data taiwan|german -out DIR [-l2 10]
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

type fitOut struct {
	Names    []string  `json:"names"`
	Coef     []float64 `json:"coef"`
	SE       []float64 `json:"se"`
	Z        []float64 `json:"z"`
	P        []float64 `json:"p"`
	LogLik   float64   `json:"loglik"`
	LLNull   float64   `json:"llnull"`
	AIC      float64   `json:"aic"`
	BIC      float64   `json:"bic"`
	PseudoR2 float64   `json:"pseudo_r2"`
	L2       float64   `json:"l2"`
}

type output struct {
	Data      string  `json:"data"`
	RowsTrain int     `json:"rows_train"`
	RowsTest  int     `json:"rows_test"`
	Plain     fitOut  `json:"plain"`
	Ridge     fitOut  `json:"ridge"`
	AUCTest   float64 `json:"auc_test"`
	GiniTest  float64 `json:"gini_test"`
	KSTest    float64 `json:"ks_test"`
}

func main() {
	data := flag.String("data", "taiwan", "taiwan or german")
	out := flag.String("out", "", "output directory")
	l2 := flag.Float64("l2", 10, "ridge penalty for the penalised fit")
	flag.Parse()
	if err := run(*data, *out, *l2); err != nil {
		fmt.Fprintln(os.Stderr, "scorecard_design:", err)
		os.Exit(1)
	}
}

func run(data, out string, l2 float64) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	var (
		path string
		copt scorecard.CSVOptions
		fopt scorecard.Options
	)
	switch data {
	case "taiwan":
		path = "risk/scorecard/testdata/UCI_Credit_Card.csv.gz"
		copt = scorecard.CSVOptions{Target: "default.payment.next.month", Bad: "1", Good: "0", Drop: []string{"ID"}}
		// The recipe of the Taiwan AUC target (risk/scorecard TestTaiwanSplit).
		fopt = scorecard.Options{
			Binning:   scorecard.BinningOptions{Special: []float64{-2, -1}},
			Selection: scorecard.SelectionOptions{MinIV: -1, AllowWrongSign: true},
		}
	case "german":
		path = "risk/scorecard/testdata/german.csv"
		copt = scorecard.CSVOptions{Target: "class", Bad: "2", Good: "1"}
	default:
		return fmt.Errorf("unknown -data %q", data)
	}
	ds, err := scorecard.ReadCSVFile(path, &copt)
	if err != nil {
		return err
	}
	train, test, err := ds.Split(0.3, 1)
	if err != nil {
		return err
	}
	model, _, err := scorecard.Fit(train, &fopt)
	if err != nil {
		return err
	}
	k := model.NumVars()
	xtr, err := model.WoEMatrix(train)
	if err != nil {
		return err
	}
	xte, err := model.WoEMatrix(test)
	if err != nil {
		return err
	}
	res, err := model.ScoreDataset(test)
	if err != nil {
		return err
	}
	pd := make([]float64, len(res))
	for i, r := range res {
		pd[i] = r.PD
	}
	o := output{Data: data, RowsTrain: train.Rows(), RowsTest: test.Rows()}
	X := mat.NewDense(train.Rows(), k, xtr)
	for i, pen := range []float64{0, l2} {
		fit, err := scorecard.Logit(X, train.Bad, &scorecard.LogitOptions{L2: pen, Names: model.Names()})
		if err != nil {
			return err
		}
		f := fitOut{Names: fit.Names, Coef: fit.Coef, SE: fit.SE, Z: fit.Z, P: fit.P, LogLik: fit.LogLik, LLNull: fit.LLNull, AIC: fit.AIC, BIC: fit.BIC, PseudoR2: fit.PseudoR2, L2: pen}
		if i == 0 {
			o.Plain = f
		} else {
			o.Ridge = f
		}
	}
	if o.AUCTest, err = scorecard.AUC(pd, test.Bad); err != nil {
		return err
	}
	o.GiniTest = 2*o.AUCTest - 1
	if o.KSTest, _, err = scorecard.KS(pd, test.Bad); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeDesign(filepath.Join(out, "train.csv"), model.Names(), xtr, train.Bad, nil); err != nil {
		return err
	}
	if err := writeDesign(filepath.Join(out, "test.csv"), model.Names(), xte, test.Bad, pd); err != nil {
		return err
	}
	b, err := json.MarshalIndent(&o, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "go.json"), b, 0o644)
}

func writeDesign(path string, names []string, x []float64, bad []bool, pd []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := append([]string{"y"}, names...)
	if pd != nil {
		head = append(head, "go_pd")
	}
	w.Write(head)
	k := len(names)
	for i, b := range bad {
		rec := []string{"0"}
		if b {
			rec[0] = "1"
		}
		for j := range k {
			rec = append(rec, strconv.FormatFloat(x[i*k+j], 'g', -1, 64))
		}
		if pd != nil {
			rec = append(rec, strconv.FormatFloat(pd[i], 'g', -1, 64))
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
