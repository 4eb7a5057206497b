package benchmarks

import (
	"fmt"
	"strings"
)

// Rule is one benchmark rule, written in both languages: Expr for suanpan
// (expr-lang, against risk.Env) and When for grule (GRL, against the
// facts Txn, Habit, Velocity and Signals).
type Rule struct {
	Name string // rule name, also its grule name
	Expr string // condition in expr-lang against risk.Env
	When string // condition in GRL against the grule facts
}

// Rules returns the 50 rules the risk package's own benchmarks use, of the
// kinds bank analysts write: amount thresholds per kind and channel, habit
// facts, earlier signals, velocity and travel. Grule has no exact decimal
// type, so its amounts are float64; expr compares decimals exactly.
func Rules() []Rule {
	kinds := []string{"purchase", "transfer_out", "bill_payment", "cash_withdrawal", "loan_repayment"}
	channels := []string{"app", "web", "pos", "atm", "branch"}
	var rs []Rule
	add := func(name, expr string) {
		// The two languages agree on these conditions' syntax.
		rs = append(rs, Rule{Name: name, Expr: expr, When: expr})
	}
	for i := range 10 {
		add(fmt.Sprintf("amount_%d", i), fmt.Sprintf(`Txn.Kind == %q && Txn.Amount > %d.50 && Txn.Channel == %q`, kinds[i%5], 1000*(i+1), channels[i%5]))
	}
	for i := range 10 {
		add(fmt.Sprintf("habit_%d", i), fmt.Sprintf(`!Habit.DeviceKnown && Habit.AmountZ > %d.5 && Txn.Factors < 2`, i%4))
	}
	for i := range 10 {
		add(fmt.Sprintf("signals_%d", i), fmt.Sprintf(`Signals.Codes["habit.new_payee"] && Signals.Risk > 0.%d && Txn.Amount >= %d`, 5+i%4, 5000+i*100))
	}
	for i := range 10 {
		add(fmt.Sprintf("velocity_%d", i), fmt.Sprintf(`Velocity.Count1h > %d || Velocity.Sum24h + Txn.Amount > %d`, 8+i, 50000+i*1000))
	}
	for i := range 10 {
		add(fmt.Sprintf("place_%d", i), fmt.Sprintf(`Txn.Country != "" && !Habit.HomeCountry && Habit.SpeedKmh > %d && Txn.CardPresent`, 300+i*50))
	}
	return rs
}

// GRL returns the rules as a grule knowledge base: each rule counts its
// firing in Out.Fired and retracts itself, so that Execute fires every
// matching rule once.
func GRL(rs []Rule) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "rule %s \"%s\" salience 0 {\n\twhen\n\t\t%s\n\tthen\n\t\tOut.Fired = Out.Fired + 1;\n\t\tRetract(\"%s\");\n}\n\n",
			r.Name, r.Name, r.When, r.Name)
	}
	return b.String()
}

// The grule facts: what the rules read of risk.Env, amounts as float64.
type (
	// Txn is the payment.
	Txn struct {
		Kind, Channel, Country string  // as risk.TxnView
		Amount                 float64 // float64: grule has no decimal type
		Factors                int     // distinct factor types
		CardPresent            bool    // POS or ATM
	}
	// Habit is the habit comparison.
	Habit struct {
		DeviceKnown, HomeCountry bool    // as risk.HabitView
		AmountZ, SpeedKmh        float64 // as risk.HabitView
	}
	// Velocity is the customer's debit velocity.
	Velocity struct {
		Count1h int     // debits in the last hour
		Sum24h  float64 // their sum over 24 hours
	}
	// Signals are the earlier layers' findings.
	Signals struct {
		Codes map[string]bool // reason codes fired
		Risk  float64         // risk so far
	}
	// Out counts the rules fired.
	Out struct {
		Fired int // rules fired by Execute
	}
)
