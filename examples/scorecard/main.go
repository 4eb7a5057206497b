// Command scorecard builds a credit scorecard from any CSV file with a
// header and reports it the way a credit analyst reviews one: candidate
// variables with their information value, the logistic regression, the
// points table (bins with WoE, IV and points), performance on training and
// test data (AUC, Gini, KS, gains, calibration), stability (PSI, CSI) and the
// reasons given to a sample applicant.
//
// Usage:
//
//	go run ./examples/scorecard -train FILE [-test FILE | -test-fraction F -seed N]
//	    -target COL -bad VALUE [-sep ,] [-drop a,b] [-special -9,-8,-7]
//	    [-model OUT.json] [-json]
//
// Files may be gzipped. Without -test, a stratified share -test-fraction
// (default 0.3) of the training file, drawn with -seed (default 1), is held
// out. With -json the output is one JSON object with the keys rows_train,
// rows_test, auc_train, auc_test, ks_test, gini_test, selected, iv and
// fit_seconds (binning + selection + fit + scaling, wall clock).
//
// Example:
//
//	go run ./examples/scorecard -train risk/scorecard/testdata/german.csv \
//	    -target class -bad 2 -model german.json
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "scorecard:", err)
		}
		os.Exit(2)
	}
}

type config struct {
	train, test  string
	testFraction float64
	seed         uint64
	target, bad  string
	sep          rune
	drop         []string
	special      []float64
	modelOut     string
	json         bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("scorecard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var sep, drop, special string
	fs.StringVar(&c.train, "train", "", "training CSV `file` with a header (.gz accepted); required")
	fs.StringVar(&c.test, "test", "", "test CSV `file` with the same columns (default: hold out -test-fraction of -train)")
	fs.Float64Var(&c.testFraction, "test-fraction", 0, "share of -train held out for testing when -test is not given (default 0.3)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the stratified hold-out draw")
	fs.StringVar(&c.target, "target", "", "target `column`; required")
	fs.StringVar(&c.bad, "bad", "", "target `value` meaning bad (the event); required")
	fs.StringVar(&sep, "sep", ",", "field separator (one character; \\t or tab for a tab)")
	fs.StringVar(&drop, "drop", "", "comma-separated `columns` to leave out (IDs, protected attributes)")
	fs.StringVar(&special, "special", "", "comma-separated special `codes` of numeric columns, each binned apart (e.g. -9,-8,-7)")
	fs.StringVar(&c.modelOut, "model", "", "write the model file to `OUT.json`")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of the report")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.train == "" || c.target == "" || c.bad == "" {
		return nil, errors.New("-train, -target and -bad are required")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.test != "" && (set["test-fraction"] || set["seed"]) {
		return nil, errors.New("-test excludes -test-fraction and -seed")
	}
	if c.test == "" {
		if !set["test-fraction"] {
			c.testFraction = 0.3
		}
		if !(c.testFraction > 0 && c.testFraction < 1) {
			return nil, errors.New("-test-fraction must be between 0 and 1")
		}
	}
	switch sep {
	case `\t`, "tab":
		c.sep = '\t'
	default:
		r, n := utf8.DecodeRuneInString(sep)
		if n == 0 || n != len(sep) || r == utf8.RuneError {
			return nil, errors.New("-sep must be one character")
		}
		c.sep = r
	}
	c.drop = splitList(drop)
	for _, s := range splitList(special) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("-special: %q is not a number", s)
		}
		c.special = append(c.special, v)
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// outcome holds everything the report prints.
type outcome struct {
	cfg          *config
	train, test  *scorecard.Dataset
	model        *scorecard.Model
	report       *scorecard.Report
	fitSeconds   float64
	trainRes     []scorecard.Result
	testRes      []scorecard.Result
	aucTrain     float64
	aucTest      float64
	ksTrain      float64
	ksTest       float64
	giniTrain    float64
	giniTest     float64
	gains        []scorecard.GainsRow
	calibration  *scorecard.Calibration
	drift        *scorecard.Drift
	sampleRow    scorecard.Row
	sampleResult scorecard.Result
	reasons      []scorecard.Reason
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	csvOpts := &scorecard.CSVOptions{Sep: cfg.sep, Target: cfg.target, Bad: cfg.bad, Drop: cfg.drop}
	train, err := scorecard.ReadCSVFile(cfg.train, csvOpts)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.train, err)
	}
	var test *scorecard.Dataset
	if cfg.test != "" {
		testOpts := *csvOpts
		testOpts.Schema = train.Schema()
		testOpts.Good = train.GoodLabel
		if test, err = scorecard.ReadCSVFile(cfg.test, &testOpts); err != nil {
			return fmt.Errorf("%s: %w", cfg.test, err)
		}
	} else {
		if train, test, err = train.Split(cfg.testFraction, cfg.seed); err != nil {
			return err
		}
	}
	o := &outcome{cfg: cfg, train: train, test: test}
	start := time.Now()
	o.model, o.report, err = scorecard.Fit(train, &scorecard.Options{Binning: scorecard.BinningOptions{Special: cfg.special}})
	o.fitSeconds = time.Since(start).Seconds()
	if err != nil {
		return err
	}
	for _, c := range o.report.Candidates {
		if c.Status == scorecard.StatusUnusable {
			fmt.Fprintf(stderr, "scorecard: warning: %v (column left out)\n", c.Err)
		}
	}
	if err := o.evaluate(); err != nil {
		return err
	}
	if cfg.modelOut != "" {
		if err := writeModel(cfg.modelOut, o.model); err != nil {
			return err
		}
	}
	if cfg.json {
		return o.writeJSON(stdout)
	}
	o.writeReport(stdout)
	return nil
}

func writeModel(path string, m *scorecard.Model) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := m.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func pds(res []scorecard.Result) []float64 {
	out := make([]float64, len(res))
	for i, r := range res {
		out[i] = r.PD
	}
	return out
}

func scores(res []scorecard.Result) []float64 {
	out := make([]float64, len(res))
	for i, r := range res {
		out[i] = r.Score
	}
	return out
}

func (o *outcome) evaluate() error {
	var err error
	if o.trainRes, err = o.model.ScoreDataset(o.train); err != nil {
		return err
	}
	if o.testRes, err = o.model.ScoreDataset(o.test); err != nil {
		return fmt.Errorf("test data: %w", err)
	}
	ptr, pte := pds(o.trainRes), pds(o.testRes)
	if o.aucTrain, err = scorecard.AUC(ptr, o.train.Bad); err != nil {
		return err
	}
	if o.aucTest, err = scorecard.AUC(pte, o.test.Bad); err != nil {
		return fmt.Errorf("test data: %w", err)
	}
	o.giniTrain, o.giniTest = 2*o.aucTrain-1, 2*o.aucTest-1
	if o.ksTrain, _, err = scorecard.KS(ptr, o.train.Bad); err != nil {
		return err
	}
	if o.ksTest, _, err = scorecard.KS(pte, o.test.Bad); err != nil {
		return err
	}
	if o.gains, err = scorecard.Gains(scores(o.testRes), o.test.Bad, &scorecard.GainsOptions{HigherIsSafer: true}); err != nil {
		return err
	}
	if o.calibration, err = scorecard.Calibrate(pte, o.test.Bad, 10); err != nil {
		return err
	}
	if o.drift, err = o.model.Drift(nil, o.test); err != nil {
		return err
	}
	// Sample applicant: the first test row.
	names, kinds := o.model.Names(), o.model.Kinds()
	o.sampleRow = scorecard.Row{Num: make([]float64, len(names)), Cat: make([]string, len(names))}
	for j, name := range names {
		c, _ := o.test.Column(name)
		if kinds[j] == scorecard.Numeric {
			o.sampleRow.Num[j] = c.Num[0]
		} else {
			o.sampleRow.Cat[j] = c.Cat[0]
		}
	}
	o.reasons = make([]scorecard.Reason, 4)
	if o.sampleResult, err = o.model.Score(o.sampleRow, o.reasons); err != nil {
		return err
	}
	o.reasons = o.reasons[:o.sampleResult.Reasons]
	return nil
}

// jsonOutput is the -json object; its keys are a fixed interface.
type jsonOutput struct {
	RowsTrain  int                `json:"rows_train"`
	RowsTest   int                `json:"rows_test"`
	AUCTrain   float64            `json:"auc_train"`
	AUCTest    float64            `json:"auc_test"`
	KSTest     float64            `json:"ks_test"`
	GiniTest   float64            `json:"gini_test"`
	Selected   []string           `json:"selected"`
	IV         map[string]float64 `json:"iv"`
	FitSeconds float64            `json:"fit_seconds"`
}

func (o *outcome) writeJSON(w io.Writer) error {
	out := jsonOutput{
		RowsTrain: o.train.Rows(), RowsTest: o.test.Rows(),
		AUCTrain: o.aucTrain, AUCTest: o.aucTest, KSTest: o.ksTest, GiniTest: o.giniTest,
		Selected: o.report.Selected, IV: o.report.IV(), FitSeconds: o.fitSeconds,
	}
	enc := json.NewEncoder(w)
	return enc.Encode(&out)
}
