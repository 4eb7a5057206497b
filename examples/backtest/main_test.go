package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/suanpan-dev/suanpan/internal/synth"
)

func TestBacktestCLI(t *testing.T) {
	dir := t.TempDir()
	cs, err := synth.Generate(synth.Config{Seed: 9, Customers: 20, Months: 4, FraudShare: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := os.Create(filepath.Join(dir, "events.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cu, err := os.Create(filepath.Join(dir, "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteCSV(cs, ev, cu); err != nil {
		t.Fatal(err)
	}
	ev.Close()
	cu.Close()
	out := filepath.Join(dir, "decisions.csv")
	args := []string{"-events", ev.Name(), "-customers", cu.Name(), "-from", "2025-03-01T00:00:00+08:00", "-decisions", out, "-json"}
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var rep struct {
		Evaluated int            `json:"evaluated"`
		Fraud     map[string]any `json:"fraud"`
		Legit     map[string]int `json:"legit"`
		Actions   map[string]int `json:"actions"`
		Latency   map[string]int `json:"latency_ns"`
		DPS       float64        `json:"decisions_per_second"`
	}
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if dec.More() {
		t.Error("more than one JSON value printed")
	}
	if rep.Evaluated == 0 || rep.Latency["p99"] < rep.Latency["p50"] || rep.Latency["p50"] <= 0 || rep.DPS <= 0 {
		t.Errorf("report %+v", rep)
	}
	sum := 0
	for _, a := range []string{"allow", "step_up", "hold", "review", "decline"} {
		sum += rep.Actions[a]
	}
	if sum != rep.Evaluated || len(rep.Actions) != 5 {
		t.Errorf("actions %v do not add up to %d", rep.Actions, rep.Evaluated)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], header) || strings.Join(rows[0], ",") != "event_id,customer_id,action,auth_level,amount_allowed,score,reasons,latency_ns" {
		t.Errorf("header %v", rows[0])
	}
	if len(rows)-1 != rep.Evaluated {
		t.Errorf("%d rows for %d decisions", len(rows)-1, rep.Evaluated)
	}
	for _, r := range rows[1:] {
		if !slices.Contains([]string{"allow", "step_up", "hold", "review", "decline"}, r[2]) || r[3] == "" || r[7] == "" {
			t.Fatalf("row %v", r)
		}
	}

	// The text report.
	stdout.Reset()
	if err := run(args[:6], &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "friction") {
		t.Errorf("text report: %v\n%s", err, stdout.String())
	}
	// Usage errors.
	for _, bad := range [][]string{{}, {"-events", "x"}, {"-events", "x", "-customers", "y", "-from", "yesterday"}, {"-nope"}} {
		var ue usageError
		if err := run(bad, &stdout, &stderr); !errors.As(err, &ue) {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if err := run([]string{"-events", "missing.csv", "-customers", cu.Name(), "-from", "2025-03-01T00:00:00Z"}, &stdout, &stderr); err == nil {
		t.Error("missing events file accepted")
	}
}
