package rules_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/rules"
)

// A rule compares money exactly: 5000.10 is not more than 5000.1.
func ExampleCompile() {
	type Txn struct{ Amount decimal.Decimal }
	type Env struct{ Txn Txn }
	p, err := rules.Compile("large", "Txn.Amount > 5000.1", Env{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range []string{"5000.10", "5000.11"} {
		ok, _ := p.Eval(&Env{Txn: Txn{Amount: decimal.RequireFromString(a)}})
		fmt.Println(a, ok)
	}
	_, err = rules.Compile("typo", "Txn.Amont > 1", Env{})
	fmt.Println(err)
	// Output:
	// 5000.10 false
	// 5000.11 true
	// rule "typo": line 1, column 5: type rules_test.Txn has no field Amont
}
