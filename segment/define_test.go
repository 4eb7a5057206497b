package segment

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/profile"
)

func TestCompileErrorsNameSegmentAndPosition(t *testing.T) {
	_, err := Compile("v1", []Definition{
		{ID: "ok", Expr: `Profile.AgeYears > 30`},
		{ID: "typo", Expr: "Profile.AgeYears > 30 &&\n  Profile.Incme > 5"},
	})
	var ee *ExprError
	if !errors.As(err, &ee) || !errors.Is(err, ErrCompile) {
		t.Fatalf("got %v, want an ExprError", err)
	}
	if ee.Segment != "typo" || ee.Line != 2 || ee.Column != 11 {
		t.Errorf("got segment %q line %d column %d, want typo 2 11 (%v)", ee.Segment, ee.Line, ee.Column, err)
	}
	if !strings.Contains(err.Error(), `segment "typo": line 2, column 11`) {
		t.Errorf("message %q", err)
	}
	// Not a boolean.
	_, err = Compile("v1", []Definition{{ID: "num", Expr: `Profile.AgeYears + 1`}})
	if !errors.As(err, &ee) || ee.Segment != "num" {
		t.Errorf("non-boolean: %v", err)
	}
	// Syntax error.
	_, err = Compile("v1", []Definition{{ID: "syntax", Expr: `Stage == `}})
	if !errors.As(err, &ee) || ee.Segment != "syntax" || ee.Line != 1 {
		t.Errorf("syntax: %v", err)
	}
}

func TestCompileInvalidDefinitions(t *testing.T) {
	pred := func(*Env, []Reason) ([]Reason, bool) { return nil, true }
	tests := []struct {
		name  string
		defs  []Definition
		field string
	}{
		{"empty id", []Definition{{Expr: "true"}}, "id"},
		{"upper case id", []Definition{{ID: "Young", Expr: "true"}}, "id"},
		{"reserved colon", []Definition{{ID: "stage:x", Expr: "true"}}, "id"},
		{"duplicate", []Definition{{ID: "a", Expr: "true"}, {ID: "a", Expr: "false"}}, "id"},
		{"bad group", []Definition{{ID: "a", Group: "G 1", Expr: "true"}}, "group"},
		{"neither", []Definition{{ID: "a"}}, "expr"},
		{"both", []Definition{{ID: "a", Expr: "true", Match: pred}}, "expr"},
		{"too long", []Definition{{ID: "a", Expr: strings.Repeat(" ", MaxExprLen) + "true"}}, "expr"},
	}
	for _, tc := range tests {
		_, err := Compile("v1", tc.defs)
		var de *DefinitionError
		if !errors.As(err, &de) || !errors.Is(err, ErrInvalidDefinition) || de.Field != tc.field {
			t.Errorf("%s: got %v, want a DefinitionError on %s", tc.name, err, tc.field)
		}
	}
	// Predicates need an explicit version.
	if _, err := Compile("", []Definition{{ID: "p", Match: pred}}); !errors.Is(err, ErrInvalidDefinition) {
		t.Errorf("predicate without version: %v", err)
	}
	if _, err := Compile("bad\nversion", nil); !errors.Is(err, ErrInvalidDefinition) {
		t.Errorf("unprintable version: %v", err)
	}
}

func TestCatalogVersion(t *testing.T) {
	defs := []Definition{{ID: "b", Priority: 2, Expr: "true"}, {ID: "a", Priority: 1, Expr: "false"}}
	c1, err := Compile("", defs)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Compile("", []Definition{defs[1], defs[0]})
	if c1.Version() != c2.Version() || !strings.HasPrefix(c1.Version(), "sha256:") || len(c1.Version()) != 23 {
		t.Errorf("versions %q %q: want one order-independent hash", c1.Version(), c2.Version())
	}
	defs[0].Expr = "Profile.Loans > 0"
	c3, _ := Compile("", defs)
	if c3.Version() == c1.Version() {
		t.Error("changing an expression kept the version")
	}
	c4, _ := Compile("2026-03", defs)
	if c4.Version() != "2026-03" {
		t.Errorf("explicit version %q", c4.Version())
	}
	if got := []string{c1.Definitions()[0].ID, c1.Definitions()[1].ID}; got[0] != "a" || c1.Len() != 2 {
		t.Errorf("evaluation order %v", got)
	}
}

// TestPrioritiesGroupsAndReasons checks exclusive groups (first match by
// priority wins), overlapping segments, ordering and reasons of both kinds
// of definition.
func TestPrioritiesGroupsAndReasons(t *testing.T) {
	cat, err := Compile("v7", []Definition{
		{ID: "parents", Priority: 10, Group: "offer", Expr: `Profile.Spend.Childcare > 0`},
		{ID: "borrowers", Priority: 20, Group: "offer", Expr: `Profile.Loans > 0`},
		{ID: "anyone", Priority: 30, Group: "offer", Expr: `true`},
		{ID: "travellers", Priority: 5, Expr: `Profile.Spend.Travel > 100`},
		{ID: "big_loans", Priority: 20, Description: "more than two loans", Match: func(e *Env, why []Reason) ([]Reason, bool) {
			if e.Profile.Loans <= 2 {
				return why, false
			}
			return append(why, Reason{Code: "loans", Detail: "repays more than two loans"}), true
		}},
		{ID: "silent", Priority: 40, Description: "always", Match: func(e *Env, why []Reason) ([]Reason, bool) { return why, true }},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Segments: cat, Version: "cfg-1"})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(as Assignment) []string {
		var out []string
		for _, m := range as.Segments {
			out = append(out, m.ID)
		}
		return out
	}
	f := input("c")
	f.Profile.Spend.Childcare, f.Profile.Spend.Travel, f.Profile.Loans = 300, 500, 3
	got, err := a.Assign(&f, simNow)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"travellers", "parents", "big_loans", "silent"}, ids(got)); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	if got.Version != "cfg-1" {
		t.Errorf("version %q", got.Version)
	}
	wantReasons := map[string][]Reason{
		"travellers": {{Code: "expr:travellers", Detail: `Profile.Spend.Travel > 100`}},
		"parents":    {{Code: "expr:parents", Detail: `Profile.Spend.Childcare > 0`}},
		"big_loans":  {{Code: "loans", Detail: "repays more than two loans"}},
		"silent":     {{Code: "pred:silent", Detail: "always"}},
	}
	for _, m := range got.Segments {
		if d := cmp.Diff(wantReasons[m.ID], m.Reasons); d != "" {
			t.Errorf("%s reasons (-want +got):\n%s", m.ID, d)
		}
	}
	f.Profile.Spend.Childcare = 0
	got, _ = a.Assign(&f, simNow)
	if d := cmp.Diff([]string{"travellers", "big_loans", "borrowers", "silent"}, ids(got)); d != "" {
		t.Errorf("second in group (-want +got):\n%s", d)
	}
	f.Profile.Loans, f.Profile.Spend.Travel = 0, 0
	got, _ = a.Assign(&f, simNow)
	if d := cmp.Diff([]string{"anyone", "silent"}, ids(got)); d != "" {
		t.Errorf("fallback in group (-want +got):\n%s", d)
	}
	if !got.In("anyone") || got.In("parents") {
		t.Error("In()")
	}
}

// TestPredicateOwnStorage: a predicate that returns a slice of its own
// (not the buffer it was given) must not have it overwritten when the
// assigner reuses the membership slot.
func TestPredicateOwnStorage(t *testing.T) {
	own := []Reason{{Code: "mine", Detail: "static"}}
	cat, err := Compile("v1", []Definition{
		{ID: "a", Priority: 1, Expr: "Profile.Loans > 0"},
		{ID: "b", Priority: 2, Match: func(e *Env, why []Reason) ([]Reason, bool) { return own, true }},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := New(Config{Segments: cat})
	var dst Assignment
	f := input("c")
	for i := range 4 {
		f.Profile.Loans = i % 2
		if err := a.AssignTo(&dst, &f, simNow); err != nil {
			t.Fatal(err)
		}
	}
	if own[0].Code != "mine" {
		t.Fatalf("predicate's storage overwritten: %+v", own)
	}
}

func TestParseAndMarshalDefinitions(t *testing.T) {
	v, defs := segments20(t)
	if v != "bench-20" || len(defs) != 20 {
		t.Fatalf("got %q and %d definitions", v, len(defs))
	}
	data, err := MarshalDefinitions(v, defs)
	if err != nil {
		t.Fatal(err)
	}
	v2, defs2, err := ParseDefinitions(data)
	if err != nil {
		t.Fatal(err)
	}
	if v2 != v || !cmp.Equal(defs, defs2) {
		t.Error("round trip changed the definitions")
	}
	cat, err := LoadCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Len() != 20 || cat.Version() != "bench-20" {
		t.Errorf("catalog %d %q", cat.Len(), cat.Version())
	}
	if in := cat.Interpreted(); len(in) != 0 {
		t.Errorf("segments left to the virtual machine: %v", in)
	}
	if _, err := MarshalDefinitions("v", predicates20(t)); !errors.Is(err, ErrInvalidDefinition) {
		t.Errorf("marshal predicates: %v", err)
	}
	for name, doc := range map[string]string{
		"not json":       `{"version": `,
		"unknown field":  `{"version": "v", "segments": [], "colour": 1}`,
		"wrong type":     `{"version": 3, "segments": []}`,
		"trailing data":  `{"version": "v", "segments": []} {}`,
		"no segments":    `{"version": "v"}`,
		"segment fields": `{"version": "v", "segments": [{"id": "a", "expr": "true", "when": 1}]}`,
	} {
		_, _, err := ParseDefinitions([]byte(doc))
		var de *DefinitionError
		if !errors.Is(err, ErrDecode) || !errors.As(err, &de) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := ParseDefinitions(make([]byte, MaxDocumentSize+1)); !errors.Is(err, ErrDecode) {
		t.Errorf("oversized: %v", err)
	}
	if _, err := LoadCatalog([]byte(`{"version": "v", "segments": [{"id": "a", "expr": "Nope > 1"}]}`)); !errors.Is(err, ErrCompile) {
		t.Errorf("load with a bad expression: %v", err)
	}
}

// TestInterpretedFallback: an expression outside the closure subset runs
// on the expression engine and gives the same memberships.
func TestInterpretedFallback(t *testing.T) {
	cat, err := Compile("v1", []Definition{
		{ID: "mod", Expr: `Profile.Purchases % 2 == 0`},
		{ID: "abs", Expr: `abs(Profile.MonthlyIncome - 5000) < 1000`},
		{ID: "fast", Expr: `Profile.Purchases > 1`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"abs", "mod"}, cat.Interpreted()); d != "" {
		t.Errorf("interpreted (-want +got):\n%s", d)
	}
	a, _ := New(Config{Segments: cat})
	f := input("c")
	f.Profile.Purchases, f.Profile.RecencyDays, f.Profile.MonthlyIncome = 4, 1, 5500
	got, err := a.Assign(&f, simNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Segments) != 3 {
		t.Errorf("members %+v", got.Segments)
	}
}

// TestMoneyComparesExactly: expressions on decimal money run on the
// closure path and compare exactly, as on the virtual machine.
func TestMoneyComparesExactly(t *testing.T) {
	cat, err := Compile("v1", []Definition{
		{ID: "big", Expr: `Profile.Monetary > 5000.1`},
		{ID: "declared", Expr: `Profile.DeclaredIncome >= money("8000.00") && Profile.AgeYears > 30`},
		{ID: "value", Expr: `Value > 5000.1`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Interpreted(); len(got) != 0 {
		t.Errorf("interpreted %v, want every segment on the closure path", got)
	}
	a, _ := New(Config{Segments: cat})
	for _, tc := range []struct {
		monetary string
		want     bool
	}{{"5000.10", false}, {"5000.11", true}, {"5000.1000", false}} {
		f := input("c")
		f.Profile.Purchases, f.Profile.RecencyDays = 3, 1
		f.Profile.Monetary = decimal.RequireFromString(tc.monetary)
		f.Value = f.Profile.Monetary.InexactFloat64()
		got, err := a.Assign(&f, simNow)
		if err != nil {
			t.Fatal(err)
		}
		if got.In("big") != tc.want || got.In("value") != tc.want {
			t.Errorf("%s: big %v value %v, want %v", tc.monetary, got.In("big"), got.In("value"), tc.want)
		}
	}
}

// TestFastPathMatchesVM holds the closures internal/rules compiles for
// segment.Env to the virtual machine on this package's real environment:
// every field of Env (profile.Features' groups, spending rates, RFM, the
// segment-only WealthUse and Value) reads back through the fast path, and
// the 20 segments give the same memberships both ways on the simulated
// population. internal/rules tests the compiler itself on a model
// environment; this checks the shape that runs here.
func TestFastPathMatchesVM(t *testing.T) {
	e := &Env{}
	var srcs []string
	n := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		typ := v.Type()
		for i := range typ.NumField() {
			sf := typ.Field(i)
			p := sf.Name
			if path != "" {
				p = path + "." + sf.Name
			}
			fv := v.Field(i)
			n++
			switch sf.Type.Kind() {
			case reflect.Struct:
				if sf.Type == reflect.TypeFor[decimal.Decimal]() {
					fv.Set(reflect.ValueOf(decimal.New(int64(n), -2)))
					srcs = append(srcs, p+" == "+decimal.New(int64(n), -2).String())
					continue
				}
				walk(fv, p)
			case reflect.Float64:
				fv.SetFloat(float64(n) + 0.25)
				srcs = append(srcs, p+" == "+strconv.FormatFloat(fv.Float(), 'g', -1, 64))
			case reflect.Int:
				fv.SetInt(int64(n))
				srcs = append(srcs, p+" == "+strconv.Itoa(n))
			case reflect.String:
				fv.SetString("s" + strconv.Itoa(n))
				srcs = append(srcs, p+` == "`+fv.String()+`"`)
			case reflect.Bool:
				fv.SetBool(n%2 == 0)
				srcs = append(srcs, p+" == "+strconv.FormatBool(n%2 == 0))
			default:
				t.Errorf("%s: kind %v cannot be read by expressions", p, sf.Type.Kind())
			}
		}
	}
	walk(reflect.ValueOf(e).Elem(), "")
	if len(srcs) < 90 {
		t.Fatalf("only %d fields", len(srcs))
	}
	fast := 0
	for _, src := range srcs {
		r, err := rules.CompileTyped[Env]("f", src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if r.Fast() {
			fast++
		}
		got, err := r.Eval(e)
		vm, err2 := r.Program.Eval(e)
		if err != nil || err2 != nil || !got || !vm {
			t.Errorf("%s: fast path %v %v, virtual machine %v %v", src, got, err, vm, err2)
		}
	}
	if fast < len(srcs)-numMoney {
		t.Errorf("only %d of %d field reads run as closures", fast, len(srcs))
	}

	v, defs := segments20(t)
	a, pop := fitted(t, defs, v)
	vm := *a.cat
	vm.segs = slices.Clone(a.cat.segs)
	for i := range vm.segs {
		vm.segs[i].rule = &rules.Typed[Env]{Program: vm.segs[i].rule.Program}
	}
	if len(a.cat.Interpreted()) != 0 || len(vm.Interpreted()) != 20 {
		t.Fatalf("interpreted: %v and %d", a.cat.Interpreted(), len(vm.Interpreted()))
	}
	b, _ := New(Config{RFM: a.rfm, Tiers: a.tiers, Segments: &vm, Version: a.Version()})
	for i := range pop {
		x, err := a.Assign(&pop[i], simNow)
		if err != nil {
			t.Fatal(err)
		}
		y, err := b.Assign(&pop[i], simNow)
		if err != nil {
			t.Fatal(err)
		}
		if !sameAssignment(&x, &y) {
			t.Fatalf("%s (-vm +fast):\n%s", pop[i].Profile.CustomerID, cmp.Diff(y, x, cmpAssignment))
		}
	}
}

func TestPredicateReads(t *testing.T) {
	pred := func(*Env, []Reason) ([]Reason, bool) { return nil, false }
	cat, err := Compile("v", []Definition{
		{ID: "a", Match: pred, Reads: profile.FeatureVelocity},
		{ID: "b", Expr: `Profile.Devices > 1`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if g := cat.FeatureGroups(); g != profile.FeatureVelocity|profile.FeatureIdentities {
		t.Errorf("groups %b", g)
	}
	if cat.money != 0 {
		t.Errorf("money %b", cat.money)
	}
	all, _ := Compile("v", []Definition{{ID: "a", Match: pred}, {ID: "m", Expr: `Profile.Sum7d > 10 && Profile.Monetary < 5`}})
	if all.FeatureGroups() != profile.AllFeatures || all.money != moneySum7d|moneyMonetary {
		t.Errorf("undeclared predicate reads %b", all.FeatureGroups())
	}
	for _, d := range []Definition{
		{ID: "a", Match: pred, Reads: 1 << 20},
		{ID: "b", Expr: "true", Reads: profile.FeatureBills},
	} {
		var de *DefinitionError
		if _, err := Compile("v", []Definition{d}); !errors.As(err, &de) || de.Field != "reads" {
			t.Errorf("%s: %v", d.ID, err)
		}
	}
}
