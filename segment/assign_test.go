package segment

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// fitted returns an assigner with RFM, tiers and the 20 expression
// segments fitted on the simulated population, and that population.
func fitted(t testing.TB, defs []Definition, version string) (*Assigner, []Input) {
	t.Helper()
	pop := allSimInputs(t)
	rfm, err := FitRFM(pop, nil)
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := FitTiers(pop, nil)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Compile(version, defs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{RFM: rfm, Tiers: tiers, Segments: cat})
	if err != nil {
		t.Fatal(err)
	}
	return a, pop
}

// TestExpressionsAndPredicatesAgree: the 20 segments as expressions and as
// Go predicates give the same memberships on the simulated population.
func TestExpressionsAndPredicatesAgree(t *testing.T) {
	v, defs := segments20(t)
	ae, pop := fitted(t, defs, v)
	ap, _ := fitted(t, predicates20(t), v)
	if ae.Version() != ap.Version() {
		t.Errorf("same version string, different versions %q %q", ae.Version(), ap.Version())
	}
	counts := map[string]int{}
	for i := range pop {
		e, err := ae.Assign(&pop[i], simNow)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ap.Assign(&pop[i], simNow)
		if err != nil {
			t.Fatal(err)
		}
		var ei, pi []string
		for _, m := range e.Segments {
			ei = append(ei, m.ID)
			counts[m.ID]++
		}
		for _, m := range p.Segments {
			pi = append(pi, m.ID)
		}
		if d := cmp.Diff(ei, pi); d != "" {
			t.Fatalf("customer %s (-expr +pred):\n%s", pop[i].Profile.CustomerID, d)
		}
	}
	// The test population exercises most segments.
	if len(counts) < 14 {
		t.Errorf("only %d of 20 segments have members: %v", len(counts), counts)
	}
	t.Logf("members per segment over %d customers: %v", len(pop), counts)
}

// TestDeterminism: the same inputs give the same assignment, bit for bit,
// through every entry point, from many goroutines, and with a refitted
// (identical) configuration.
func TestDeterminism(t *testing.T) {
	v, defs := segments20(t)
	a1, pop := fitted(t, defs, v)
	a2, _ := fitted(t, defs, v)
	if a1.Version() != a2.Version() {
		t.Fatalf("versions %q %q", a1.Version(), a2.Version())
	}
	want := make([]Assignment, len(pop))
	for i := range pop {
		var err error
		if want[i], err = a1.Assign(&pop[i], simNow); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := a2.NewWorker()
			var dst Assignment
			for k := range pop {
				i := (k + g*97) % len(pop)
				var err error
				if g%2 == 0 {
					err = w.AssignTo(&dst, &pop[i], simNow)
				} else {
					err = a2.AssignTo(&dst, &pop[i], simNow)
				}
				if err != nil {
					errs <- err.Error()
					return
				}
				if !sameAssignment(&want[i], &dst) {
					errs <- cmp.Diff(want[i], dst, cmpAssignment)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// cmpAssignment compares assignments exactly, treating nil and empty
// slices alike (AssignTo reuses empty slices).
var cmpAssignment = cmpopts.EquateEmpty()

// sameAssignment compares every field exactly (floats by bits).
func sameAssignment(a, b *Assignment) bool {
	eqReasons := func(x, y []Reason) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	if a.CustomerID != b.CustomerID || !a.At.Equal(b.At) || a.Stage != b.Stage ||
		math.Float64bits(a.StageConfidence) != math.Float64bits(b.StageConfidence) ||
		!eqReasons(a.StageEvidence, b.StageEvidence) || a.Family != b.Family || a.RFM != b.RFM ||
		a.Tier != b.Tier || a.Version != b.Version || len(a.Segments) != len(b.Segments) {
		return false
	}
	for i := range a.Segments {
		x, y := &a.Segments[i], &b.Segments[i]
		if x.ID != y.ID || x.Priority != y.Priority || !eqReasons(x.Reasons, y.Reasons) {
			return false
		}
	}
	return true
}

func TestAssignToReuseAndClone(t *testing.T) {
	v, defs := segments20(t)
	a, pop := fitted(t, defs, v)
	var dst Assignment
	if err := a.AssignTo(&dst, &pop[0], simNow); err != nil {
		t.Fatal(err)
	}
	kept := dst.Clone()
	for i := 1; i < 50; i++ {
		if err := a.AssignTo(&dst, &pop[i], simNow); err != nil {
			t.Fatal(err)
		}
	}
	again, _ := a.Assign(&pop[0], simNow)
	if d := cmp.Diff(again, kept, cmpAssignment); d != "" {
		t.Errorf("clone changed by reuse (-fresh +clone):\n%s", d)
	}
	if kept.CustomerID != pop[0].Profile.CustomerID || !kept.At.Equal(simNow) || kept.Version != a.Version() {
		t.Errorf("header %q %v %q", kept.CustomerID, kept.At, kept.Version)
	}
}

func TestAssignBadInput(t *testing.T) {
	rfm, err := newRFMModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{RFM: rfm}) // RFM reads Profile.Monetary
	if err != nil {
		t.Fatal(err)
	}
	f := input("c")
	if _, err := a.Assign(&f, time.Time{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("zero time: %v", err)
	}
	if _, err := a.Assign(nil, simNow); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil input: %v", err)
	}
	bad := map[string]func(f *Input){
		"Profile.AgeYears":             func(f *Input) { f.Profile.AgeYears = math.NaN() },
		"Profile.TenureDays":           func(f *Input) { f.Profile.TenureDays = -2 },
		"Profile.SalaryDays":           func(f *Input) { f.Profile.SalaryDays = -0.5 },
		"Profile.MonthlyIncome":        func(f *Input) { f.Profile.MonthlyIncome = math.Inf(1) },
		"Profile.Spend.Childcare":      func(f *Input) { f.Profile.Spend.Childcare = -1 },
		"Profile.Spend.Other":          func(f *Input) { f.Profile.Spend.Other = math.NaN() },
		"Profile.Monetary":             func(f *Input) { f.Profile.Monetary = decimal.New(-1, -2) },
		"Profile.Loans":                func(f *Input) { f.Profile.Loans = -1 },
		"Profile.RecencyDays":          func(f *Input) { f.Profile.Purchases = 2 },
		"Profile.DaysSinceLastSession": func(f *Input) { f.Profile.DaysSinceLastSession = math.Inf(-1) },
		"WealthUse":                    func(f *Input) { f.WealthUse = 1.5 },
		"Value":                        func(f *Input) { f.Value = math.NaN() },
		"Groups":                       func(f *Input) { f.Groups = profile.FeatureAttributes },
	}
	for field, set := range bad {
		f := input("c")
		set(&f)
		_, err := a.Assign(&f, simNow)
		var fe *FieldError
		if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
	// Decimal money the configuration does not read is not inspected
	// (Validate still reports it).
	f = input("c")
	f.Profile.Sum30d = decimal.New(-5, 0)
	var fe *FieldError
	if _, err := a.Assign(&f, simNow); err != nil {
		t.Errorf("unread negative money: %v", err)
	}
	if err := f.Validate(); !errors.As(err, &fe) || fe.Field != "Profile.Sum30d" {
		t.Errorf("Validate of negative Sum30d: %v", err)
	}
	cat, err := Compile("v", []Definition{{ID: "recent", Expr: `Profile.Sum30d > 100`}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(Config{Segments: cat})
	f.Groups = 0
	if _, err := b.Assign(&f, simNow); !errors.As(err, &fe) || fe.Field != "Profile.Sum30d" {
		t.Errorf("read negative money: %v", err)
	}
	// A negative value is fine (a loss-making customer).
	f.Value = -10
	if _, err := a.Assign(&f, simNow); err != nil {
		t.Errorf("negative value: %v", err)
	}
	if _, err := New(Config{Version: "a\x00b"}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("bad version: %v", err)
	}
}

// TestEvalErrorNamesSegment: an expression that fails at run time (on the
// engine path) is an EvalError naming the segment.
func TestEvalErrorNamesSegment(t *testing.T) {
	cat, err := Compile("v", []Definition{{ID: "div", Expr: `Profile.Purchases % Profile.Loans == 0`}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := New(Config{Segments: cat})
	f := input("c")
	f.Profile.Purchases, f.Profile.RecencyDays = 3, 1
	_, err = a.Assign(&f, simNow)
	var ee *EvalError
	if !errors.Is(err, ErrEval) || !errors.As(err, &ee) || ee.Segment != "div" {
		t.Errorf("got %v", err)
	}
}

func TestVersionFollowsConfiguration(t *testing.T) {
	pop := allSimInputs(t)
	a0, _ := New(Config{})
	a1, _ := New(Config{Lifecycle: &LifecycleOptions{MinSpend: 10}})
	tiers, _ := FitTiers(pop, nil)
	a2, _ := New(Config{Tiers: tiers})
	tiers2, _ := FitTiers(pop[:len(pop)/2], nil)
	a3, _ := New(Config{Tiers: tiers2})
	seen := map[string]bool{}
	for _, a := range []*Assigner{a0, a1, a2, a3} {
		if seen[a.Version()] {
			t.Errorf("version %q repeated for a different configuration", a.Version())
		}
		seen[a.Version()] = true
	}
	b0, _ := New(Config{Lifecycle: &LifecycleOptions{}})
	if b0.Version() != a0.Version() {
		t.Errorf("zero options and nil options differ: %q %q", b0.Version(), a0.Version())
	}
}
