package suanpan_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
)

// Events build a customer's profile; the risk engine compares a new payment
// with it. A payment that fits the customer's habits passes with little
// friction; the same amount from a new device abroad to a new payee does not.
func Example() {
	b, _ := profile.NewBuilder(nil)
	p := profile.New("c42")
	_ = p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai"})
	sh, _ := time.LoadLocation("Asia/Shanghai")
	home := profile.Location{Lat: 31.23, Lon: 121.47, HasCoords: true, Country: "CN"}
	payment := func(id string, at time.Time, amount, payee, device, ip string, where profile.Location) profile.Event {
		return profile.Event{ID: id, CustomerID: "c42", Time: at, Type: profile.TypeTransaction,
			Kind: profile.KindTransferOut, Direction: profile.Debit, Amount: decimal.RequireFromString(amount),
			Currency: "CNY", Channel: profile.ChannelApp, Counterparty: payee, DeviceID: device,
			IP: netip.MustParseAddr(ip), Location: where, Auth: profile.AuthOf(profile.AuthBiometric)}
	}
	// Ninety days of habits: transfers to mum on the usual phone at home.
	for d := 0; d < 90; d++ {
		at := time.Date(2026, 1, 1, 19, 0, 0, 0, sh).AddDate(0, 0, d)
		e := payment(fmt.Sprintf("h%d", d), at, "200.00", "Mum", "phone-1", "116.228.1.9", home)
		_ = b.Apply(p, &e, at)
	}

	engine, _ := risk.New(&risk.Config{Builder: b})
	now := time.Date(2026, 4, 1, 19, 5, 0, 0, sh)
	usual := payment("t1", now, "300.00", "Mum", "phone-1", "116.228.1.9", home)
	abroad := payment("t2", now, "300.00", "New Payee Ltd", "unknown-7", "185.220.101.4",
		profile.Location{Country: "NL"})
	for _, e := range []profile.Event{usual, abroad} {
		d, err := engine.Decide(context.Background(), now, p, &e)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s to %s: %s\n", e.Amount.StringFixed(2), e.Counterparty, d.Action)
	}
	// Output:
	// 300.00 to Mum: allow
	// 300.00 to New Payee Ltd: step_up
}
