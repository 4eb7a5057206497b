package rules

import "testing"

func BenchmarkEvalMoneyRule(b *testing.B) {
	p, err := Compile("r", `Txn.Amount > 5000.1 && Txn.Kind == "transfer_out" && Income > 300`, env{})
	if err != nil {
		b.Fatal(err)
	}
	e := &env{Txn: txn{Amount: d("5000.11"), Kind: "transfer_out"}, Income: 500}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := p.Eval(e); !ok {
			b.Fatal("want true")
		}
	}
}

func BenchmarkEvalNumericRule(b *testing.B) {
	p, err := Compile("r", `Income > 300 && Signals["new_payee"]`, env{})
	if err != nil {
		b.Fatal(err)
	}
	e := &env{Income: 500, Signals: map[string]bool{"new_payee": true}}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := p.Eval(e); !ok {
			b.Fatal("want true")
		}
	}
}
