package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suanpan-dev/suanpan/profile"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	ev, cu, tr := filepath.Join(dir, "e.csv"), filepath.Join(dir, "c.csv"), filepath.Join(dir, "t.csv")
	var out bytes.Buffer
	err := run([]string{"-customers", "12", "-months", "2", "-seed", "3", "-market", "eu", "-fraud-share", "0.5",
		"-start", "2025-03-01", "-events", ev, "-customers-out", cu, "-truth", tr}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "customers   12") || !strings.Contains(out.String(), "card_testing") {
		t.Errorf("summary:\n%s", out.String())
	}
	f, _ := os.Open(ev)
	defer f.Close()
	events, err := profile.ReadEvents(f, nil)
	if err != nil || len(events) == 0 {
		t.Fatalf("events: %d, %v", len(events), err)
	}
	if events[0].Time.Year() != 2025 || events[0].Time.Month() < 3 {
		t.Errorf("first event %+v", events[0])
	}
	fraud := map[string]bool{}
	for _, e := range events {
		if e.Label == profile.LabelFraud {
			fraud[e.ID] = true
		}
	}
	g, _ := os.Open(cu)
	defer g.Close()
	if cs, err := profile.ReadCustomers(g, nil); err != nil || len(cs) != 12 {
		t.Fatalf("customers: %d, %v", len(cs), err)
	}
	h, _ := os.Open(tr)
	defer h.Close()
	rows, err := csv.NewReader(h).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows[1:] {
		if r[2] == "fraud" {
			n++
			if !fraud[r[0]] {
				t.Errorf("truth row %v is not a fraud event", r)
			}
		}
	}
	if n != len(fraud) {
		t.Errorf("truth lists %d fraud events, the events CSV %d", n, len(fraud))
	}
}

func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-customers", "0"},
		{"-market", "mars"},
		{"-start", "yesterday"},
		{"-fraud-share", "2"},
		{"stray"},
	} {
		if err := run(args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}
