package risk_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
)

// history folds eight weeks of a customer's habits into a profile: a
// morning coffee on the phone, at home in Shanghai, and a weekly transfer
// to Mum.
func history(b *profile.Builder) *profile.Profile {
	p := profile.New("c42")
	if err := p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai"}); err != nil {
		panic(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	here := profile.Location{Lat: 31.23, Lon: 121.47, HasCoords: true, Country: "CN"}
	for d := range 56 {
		at := time.Date(2025, 4, 1+d, 8, d%60, 0, 0, loc)
		e := profile.Event{ID: fmt.Sprintf("c%d", d), CustomerID: "c42", Time: at, Type: profile.TypeTransaction,
			Kind: profile.KindPurchase, Direction: profile.Debit, Amount: decimal.NewFromInt(int64(25 + d%9)),
			Currency: "CNY", Counterparty: "Luckin Coffee", Channel: profile.ChannelApp, DeviceID: "phone-1",
			IP: netip.MustParseAddr("10.1.2.3"), Location: here, Auth: profile.AuthOf(profile.AuthBiometric)}
		if d%7 == 0 {
			e.Kind, e.Counterparty, e.Amount = profile.KindTransferOut, "Mum", decimal.NewFromInt(int64(500+d))
		}
		if err := b.Apply(p, &e, at); err != nil {
			panic(err)
		}
	}
	return p
}

func Example() {
	b, _ := profile.NewBuilder(nil)
	p := history(b)
	engine, err := risk.New(&risk.Config{Builder: b}) // NIST SP 800-63B levels, default policy
	if err != nil {
		panic(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2025, 5, 29, 8, 45, 0, 0, loc)
	pay := func(amount int64, payee, device string) *profile.Event {
		return &profile.Event{ID: "t-" + payee, CustomerID: "c42", Time: now, Type: profile.TypeTransaction,
			Kind: profile.KindTransferOut, Direction: profile.Debit, Amount: decimal.NewFromInt(amount),
			Currency: "CNY", Counterparty: payee, Channel: profile.ChannelApp, DeviceID: device,
			IP: netip.MustParseAddr("10.1.2.3"), Location: profile.Location{Lat: 31.23, Lon: 121.47, HasCoords: true, Country: "CN"},
			Auth: profile.AuthOf(profile.AuthBiometric)}
	}
	for _, ev := range []*profile.Event{
		pay(520, "Mum", "phone-1"),                     // fits: allowed with what was presented
		pay(520, "Mum", "unknown-phone"),               // a device never seen: step up
		pay(30000, "Safe Account Services", "phone-1"), // scam pattern: hold
	} {
		d, err := engine.Decide(context.Background(), now, p, ev)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-8s %-5s allowed %-7s %v\n", d.Action, d.LevelName, d.Allowed, d.Reasons)
	}
	// Output:
	// allow    none  allowed 520     []
	// step_up  AAL2  allowed 0       [habit.new_device]
	// hold     AAL3  allowed 1430.45 [habit.new_payee habit.unusual_amount policy.cooling_off policy.amount_allowed_lowered]
}

// Analyst rules are compiled against risk.Env; money compares exactly.
func ExampleCompile() {
	rules, err := risk.Compile(risk.RuleSet{Version: "2025-06-01", Rules: []risk.Rule{
		{Name: "large_first_payment", Action: risk.Review,
			Expr: `Txn.Kind == "transfer_out" && Txn.Amount > 50000.00 && !Habit.CounterpartyKnown`},
		{Name: "night_owl", Weight: 0.2, Shadow: true, Expr: `Txn.Hour < 5`},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Println(rules.Version(), rules.Len())

	_, err = risk.Compile(risk.RuleSet{Version: "2", Rules: []risk.Rule{{Name: "typo", Expr: `Txn.Amont > 5`}}})
	var re *risk.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Rule, re.Line, re.Column)
	}
	// Output:
	// 2025-06-01 2
	// typo 1 5
}
