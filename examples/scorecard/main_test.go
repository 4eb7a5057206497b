package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

const german = "../../risk/scorecard/testdata/german.csv"

func TestJSONOutput(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "german.json")
	var out, errb bytes.Buffer
	err := run([]string{"-train", german, "-target", "class", "-bad", "2", "-test-fraction", "0.3", "-seed", "1", "-model", modelPath, "-json"}, &out, &errb)
	if err != nil {
		t.Fatal(err, errb.String())
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(&out)
	if err := dec.Decode(&obj); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value on stdout")
	}
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"auc_test", "auc_train", "fit_seconds", "gini_test", "iv", "ks_test", "rows_test", "rows_train", "selected"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	var got jsonOutput
	b, _ := json.Marshal(obj)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.RowsTrain != 700 || got.RowsTest != 300 || len(got.Selected) == 0 || len(got.IV) != 20 {
		t.Errorf("output %+v", got)
	}
	if got.AUCTest < 0.7 || got.AUCTrain < got.AUCTest || got.GiniTest != 2*got.AUCTest-1 || got.KSTest <= 0 || got.FitSeconds <= 0 {
		t.Errorf("metrics %+v", got)
	}
	// The model file is readable and holds the selected variables.
	f, err := os.Open(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := scorecard.ReadModel(f)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Names(), got.Selected) {
		t.Errorf("model variables %v, selected %v", m.Names(), got.Selected)
	}
}

func TestReport(t *testing.T) {
	var out, errb bytes.Buffer
	// A gzipped test file with the same columns, and a dropped column.
	dir := t.TempDir()
	testPath := filepath.Join(dir, "test.csv.gz")
	data, err := os.ReadFile(german)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Join(lines[:301], "")))
	zw.Close()
	if err := os.WriteFile(testPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	err = run([]string{"-train", german, "-test", testPath, "-target", "class", "-bad", "2", "-drop", "personal_status_sex,foreign_worker", "-special", "-9"}, &out, &errb)
	if err != nil {
		t.Fatal(err, errb.String())
	}
	s := out.String()
	for _, want := range []string{
		"Candidate variables by information value", "predictive power",
		"Logistic regression on WoE", "P>|z|",
		"Points table", "WoE", "points",
		"Performance", "AUC", "Gini", "KS",
		"Gains by score band", "Calibration", "Hosmer-Lemeshow",
		"score PSI", "CSI",
		"Sample applicant", "reason 1",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(s, "test rows           300") {
		t.Error("gzipped test file not read")
	}
	if strings.Contains(s, "personal_status_sex") {
		t.Error("dropped column in report")
	}
}

func TestBadInvocations(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, []byte("class,x\n1,2\n2,3\n"), 0o644)
	for _, args := range [][]string{
		{},
		{"-train", german, "-target", "class"},
		{"-train", german, "-target", "class", "-bad", "2", "-test", german, "-test-fraction", "0.2"},
		{"-train", german, "-target", "class", "-bad", "2", "-test-fraction", "1.5"},
		{"-train", german, "-target", "class", "-bad", "2", "-sep", ";;"},
		{"-train", german, "-target", "class", "-bad", "2", "-special", "x"},
		{"-train", german, "-target", "nope", "-bad", "2"},
		{"-train", german, "-target", "class", "-bad", "2", "-test", other},
		{"-train", filepath.Join(dir, "missing.csv"), "-target", "class", "-bad", "2"},
	} {
		var out, errb bytes.Buffer
		if err := run(args, &out, &errb); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
