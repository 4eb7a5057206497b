package rules

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

type txn struct {
	Amount decimal.Decimal
	Kind   string
}

type env struct {
	Txn     txn
	Income  float64
	Signals map[string]bool
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestMoneyComparisonsAreExact(t *testing.T) {
	cases := []struct {
		rule   string
		amount string
		want   bool
	}{
		{"Txn.Amount > 5000.10", "5000.10", false},
		{"Txn.Amount > 5000.1", "5000.11", true},
		{"Txn.Amount >= 5000.1", "5000.1000", true},
		{"Txn.Amount == 0.3", "0.30", true}, // 0.1+0.2 style float trouble cannot happen
		{"Txn.Amount < 100", "99.99", true},
		{"100 <= Txn.Amount", "99.99", false},
		{"Txn.Amount != -1", "1", true},
		{"Txn.Amount - 0.1 == 0.2", "0.3", true},
		{"Txn.Amount + Txn.Amount == money(\"0.6\")", "0.3", true},
		{"Txn.Amount > 1e3", "1000.01", true},
		{"float(Txn.Amount) > Income * 0.5", "600", true},
		{"Txn.Amount > 1000 && Txn.Kind == \"transfer_out\"", "1000.01", true},
	}
	for _, c := range cases {
		p, err := Compile("r", c.rule, env{})
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		got, err := p.Eval(&env{Txn: txn{Amount: d(c.amount), Kind: "transfer_out"}, Income: 1000})
		if err != nil || got != c.want {
			t.Errorf("%s with %s = %v, %v; want %v", c.rule, c.amount, got, err, c.want)
		}
	}
}

func TestCompileErrorsNameRuleAndPosition(t *testing.T) {
	cases := []struct {
		src        string
		line, col  int
		wantSubstr string
	}{
		{"Txn.Amount > ", 1, 0, ""},
		{"Txn.Amont > 5", 1, 5, "Amont"},
		{"Txn.Amount > 5 &&\n  Txn.Kind + 1", 2, 0, ""},
		{"Income", 1, 0, ""},       // not a bool
		{"now() > 0", 1, 0, "now"}, // disabled for determinism
		{"", 1, 1, "empty"},
	}
	for _, c := range cases {
		_, err := Compile("large-transfer", c.src, env{})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrCompile) {
			t.Fatalf("%q: err = %v, want *Error", c.src, err)
		}
		if e.Rule != "large-transfer" || e.Line != c.line || (c.col != 0 && e.Column != c.col) {
			t.Errorf("%q: %v (line %d col %d), want line %d col %d", c.src, err, e.Line, e.Column, c.line, c.col)
		}
	}
}

func TestRuntimeErrorsAreTyped(t *testing.T) {
	p, err := Compile("r", `Signals["x"] && 1 / 0 > 0`, env{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Eval(&env{Signals: map[string]bool{"x": true}})
	_ = err // division by zero yields +Inf in expr; what matters is no panic
	q, err := Compile("r", `Txn.Amount > 1`, env{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Eval(struct{}{}); !errors.Is(err, ErrRuntime) {
		t.Fatalf("wrong environment: err = %v, want ErrRuntime", err)
	}
}

func TestConcurrentEval(t *testing.T) {
	p, err := Compile("r", "Txn.Amount > 10 && Income > 5", env{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				want := i%2 == 0
				amount := "5"
				if want {
					amount = "11"
				}
				got, err := p.Eval(&env{Txn: txn{Amount: d(amount)}, Income: 6})
				if err != nil || got != want {
					t.Errorf("got %v %v want %v", got, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"Txn.Amount > 5000.1", "Signals[\"a\"] || Income < 1e9", "(((", "money(\"x\") > Txn.Amount",
		"Txn.Amount - -0.5 == 1", "filter([1,2,3], # > 1) | len() > 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile("fuzz", src, env{})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 || e.Column < 1 {
				t.Fatalf("compile error %v is not a located *Error", err)
			}
			return
		}
		_, err = p.Eval(&env{Txn: txn{Amount: d("12.5"), Kind: "purchase"}, Income: 100, Signals: map[string]bool{"a": true}})
		if err != nil && !errors.Is(err, ErrRuntime) {
			t.Fatalf("eval error %v is not a RuntimeError", err)
		}
	})
}

func TestFields(t *testing.T) {
	cases := []struct {
		src    string
		fields []string
		whole  bool
	}{
		{`Profile.DTI > 0.4 && Profile.Loans > 1 || Profile.DTI < 0`, []string{"DTI", "Loans"}, false},
		{`Txn.Amount > 5`, nil, false},
		{`Profile["DTI"] > 0.4`, []string{"DTI"}, false},
		{`let k = "DTI"; Profile[k] > 0.4`, nil, true},
		{`f(Profile)`, nil, true},
		{`Profile.Spend["childcare"] > 0`, []string{"Spend"}, false},
		{`(((`, nil, true},
	}
	for _, c := range cases {
		fields, whole := Fields(c.src, "Profile")
		if whole != c.whole || !slices.Equal(fields, c.fields) {
			t.Errorf("%s: %v %v, want %v %v", c.src, fields, whole, c.fields, c.whole)
		}
	}
}
