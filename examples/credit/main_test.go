package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

const german = "../../risk/credit/testdata/german.csv"

func TestRun(t *testing.T) {
	args := []string{"-customers", "200", "-seed", "5", "-german", german, "-show", "40"}
	var out, errOut bytes.Buffer
	if err := run(args, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"APPLICATION SCORECARD fitted on Statlog German credit", "BEHAVIOUR SCORECARD developed",
		"POLICY policy-", "BATCH APPROVAL of 200 applications", "outcomes: approve", "EARLY WARNING on",
		"against the simulator's truth", "IN-LOAN REVIEW", "POPULATION DRIFT", "CHAMPION/CHALLENGER on the same 200 applications",
		"wrong employer", "EMPLOYER_MISMATCH"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var again bytes.Buffer
	if err := run(args, &again, &errOut); err != nil {
		t.Fatal(err)
	}
	if again.String() != out.String() {
		t.Error("the report is not deterministic")
	}
}

// TestRunLoadedModel runs on a model file instead of fitting one.
func TestRunLoadedModel(t *testing.T) {
	ds, err := scorecard.ReadCSVFile(german, &scorecard.CSVOptions{Target: "class", Bad: "2", Drop: germanProtected})
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := scorecard.Fit(ds, &scorecard.Options{Selection: scorecard.SelectionOptions{MaxVars: 8}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var out, errOut bytes.Buffer
	if err := run([]string{"-customers", "100", "-german", german, "-model", path, "-show", "0"}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "APPLICATION SCORECARD loaded from") || !strings.Contains(out.String(), m.ID()) {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestRunBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-customers", "5"},
		{"-show", "-1"},
		{"-german", "missing.csv"},
		{"-german", german, "-model", "missing.json"},
		{"extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
