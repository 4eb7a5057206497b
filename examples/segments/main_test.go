package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-customers", "40", "-seed", "3", "-market", "eu", "-examples", "2"}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"LIFECYCLE STAGES", "accuracy against the simulator's truth", "RFM (quintile cut points fitted on",
		"VALUE TIERS", "long_tail", "BANK-DEFINED SEGMENTS (20, version example-2026-01)", "young_parents", "TRANSITIONS 2025-10-01"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Same seed, same report.
	var again bytes.Buffer
	if err := run([]string{"-customers", "40", "-seed", "3", "-market", "eu", "-examples", "2"}, &again, &errOut); err != nil {
		t.Fatal(err)
	}
	if again.String() != out.String() {
		t.Error("the report is not deterministic")
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": "x", "segments": [{"id": "a", "expr": "Profile.Nope > 1"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-customers", "5"},
		{"-market", "us"},
		{"-months", "2"},
		{"-examples", "-1"},
		{"-segments", filepath.Join(dir, "missing.json")},
		{"-segments", bad},
		{"extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
