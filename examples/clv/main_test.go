package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cdnow = "../../segment/clv/testdata/CDNOW_sample.txt.gz"

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-transactions", cdnow, "-format", "cdnow", "-calibration-end", "1997-09-30", "-json"}, &out); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, k := range []string{"customers", "repeaters", "bgnbd", "paretonbd", "gammagamma", "fit_seconds", "holdout"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q in %s", k, out.String())
		}
	}
	var r report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Customers != 2357 || r.Repeaters != 946 || r.GammaGamma.Customers != 946 || r.Holdout == nil || r.Holdout.Actual != 1882 {
		t.Errorf("report %+v", r)
	}
	if math.Abs(r.BGNBD.LogLik+9582.43) > 0.01 || math.Abs(r.ParetoNBD.LogLik+9594.97) > 0.01 ||
		math.Abs(r.GammaGamma.P-6.25) > 0.01 || !(r.FitSeconds > 0) {
		t.Errorf("report %+v", r)
	}
}

// The same transactions as CSV give the same JSON apart from the timing;
// without data after the calibration end there is no holdout key.
func TestCSVAndNoHoldout(t *testing.T) {
	f, err := os.Open(cdnow)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var csv, cal bytes.Buffer
	csv.WriteString("customer_id,date,amount\n")
	cal.WriteString("customer_id,date,amount\n")
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(raw.String()), "\n") {
		fl := strings.Fields(line)
		d := fl[2][:4] + "-" + fl[2][4:6] + "-" + fl[2][6:]
		rec := fmt.Sprintf("%s,%s,%s\n", fl[0], d, fl[4])
		csv.WriteString(rec)
		if d <= "1997-09-30" {
			cal.WriteString(rec)
		}
	}
	dir := t.TempDir()
	all, calOnly := filepath.Join(dir, "all.csv"), filepath.Join(dir, "cal.csv")
	if err := os.WriteFile(all, csv.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(calOnly, cal.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	decode := func(args ...string) report {
		var out bytes.Buffer
		if err := run(args, &out); err != nil {
			t.Fatal(err)
		}
		var r report
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if args[3] == calOnly && strings.Contains(out.String(), "holdout") {
			t.Errorf("holdout without holdout data: %s", out.String())
		}
		r.FitSeconds = 0
		return r
	}
	a := decode("-transactions", cdnow, "-format", "cdnow", "-calibration-end", "1997-09-30", "-json")
	b := decode("-transactions", all, "-format", "csv", "-calibration-end", "1997-09-30", "-json")
	c := decode("-json", "-transactions", calOnly, "-format", "csv", "-calibration-end", "1997-09-30")
	if a.BGNBD != b.BGNBD || a.ParetoNBD != b.ParetoNBD || a.GammaGamma != b.GammaGamma || *a.Holdout != *b.Holdout {
		t.Errorf("cdnow %+v\ncsv %+v", a, b)
	}
	if c.BGNBD != a.BGNBD || c.Holdout != nil {
		t.Errorf("calibration-only %+v", c)
	}
}

func TestTextReport(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-transactions", cdnow, "-format", "cdnow", "-calibration-end", "1997-09-30"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BG/NBD", "log-likelihood -9582.43", "(se ", "Holdout", "actual 1882", "P(alive)", "CLV", "00004"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-transactions", cdnow, "-format", "xml", "-calibration-end", "1997-09-30"},
		{"-transactions", cdnow, "-format", "cdnow", "-calibration-end", "30/09/1997"},
		{"-transactions", cdnow, "-format", "cdnow"},
		{"-transactions", cdnow, "-format", "cdnow", "-calibration-end", "1997-09-30", "extra"},
	} {
		if err := run(args, new(bytes.Buffer)); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v", args, err)
		}
	}
	if err := run([]string{"-transactions", "/nonexistent", "-format", "cdnow", "-calibration-end", "1997-09-30"}, new(bytes.Buffer)); err == nil {
		t.Error("missing file accepted")
	}
	if err := run([]string{"-transactions", cdnow, "-format", "cdnow", "-calibration-end", "1996-01-01"}, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "calibration end") {
		t.Errorf("calibration end before data: %v", err)
	}
}
