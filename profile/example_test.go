package profile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// Fold a few months of salary and bills into a profile and read the
// financial picture.
func Example() {
	b, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	p := profile.New("c42")
	_ = p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai"})
	sh, _ := time.LoadLocation("Asia/Shanghai")

	var events []profile.Event
	add := func(day time.Time, kind profile.Kind, amount, who string) {
		events = append(events, profile.Event{
			ID: fmt.Sprintf("e%d", len(events)), CustomerID: "c42", Time: day, Type: profile.TypeTransaction,
			Kind: kind, Direction: kind.Direction(), Amount: decimal.RequireFromString(amount),
			Currency: "CNY", Channel: profile.ChannelApp, Counterparty: who,
		})
	}
	for m := time.January; m <= time.June; m++ {
		add(time.Date(2026, m, 5, 9, 0, 0, 0, sh), profile.KindLoanRepayment, "2100.00", "Other Lender Co")
		add(time.Date(2026, m, 12, 9, 0, 0, 0, sh), profile.KindBillPayment, "180.00", "State Grid")
		add(time.Date(2026, m, 15, 9, 0, 0, 0, sh), profile.KindSalary, "15000.00", "Acme Ltd")
	}
	for i := range events {
		if err := b.Apply(p, &events[i], events[i].Time); err != nil {
			fmt.Println(err)
		}
	}

	now := time.Date(2026, 6, 20, 12, 0, 0, 0, sh)
	for _, s := range p.IncomeStreams(now) {
		fmt.Printf("income: %s %s %s, next %s\n", s.Counterparty, s.Frequency, s.Status, s.NextDate.Format("2006-01-02"))
	}
	for _, s := range p.Bills(now) {
		fmt.Printf("bill: %s %s, next %s\n", s.Counterparty, s.Frequency, s.NextDate.Format("2006-01-02"))
	}
	f := p.Financial(now)
	fmt.Printf("income %.0f/month, debt %.0f/month, DTI %.2f, other lenders %d\n",
		f.MonthlyIncome, f.MonthlyDebt, f.DTI, f.OtherLenders)
	// Output:
	// income: Acme Ltd monthly mature, next 2026-07-15
	// bill: Other Lender Co monthly, next 2026-07-05
	// bill: State Grid monthly, next 2026-07-12
	// income 15000/month, debt 2100/month, DTI 0.14, other lenders 1
}

// Bad input is a typed error that names the field and leaves the profile
// unchanged.
func ExampleBuilder_Apply_badInput() {
	b, _ := profile.NewBuilder(nil)
	p := profile.New("c42")
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	e := profile.Event{ID: "e1", CustomerID: "c42", Time: now, Type: profile.TypeTransaction,
		Kind: profile.KindPurchase, Direction: profile.Debit, Amount: decimal.RequireFromString("9.999"), Currency: "USD"}
	err := b.Apply(p, &e, now) // US dollars have two decimal places
	var fe *profile.FieldError
	if errors.As(err, &fe) {
		fmt.Println("field:", fe.Field, "| invalid:", errors.Is(err, profile.ErrInvalid), "| events applied:", p.Seq())
	}
	fmt.Println(err)
	// Output:
	// field: amount | invalid: true | events applied: 0
	// profile: invalid value: field "amount"
}

// Read an events CSV export.
func ExampleReadEvents() {
	csv := `event_id,customer_id,time,type,kind,direction,amount,currency,channel,counterparty,label
e1,c1,2026-03-01T08:15:00+08:00,transaction,purchase,debit,12.50,CNY,pos,Family Mart,0
e2,c1,2026-03-01T09:00:00+08:00,session,,,,,app,,
`
	events, err := profile.ReadEvents(strings.NewReader(csv), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.ID, e.Type, e.Channel, e.Kind, e.Amount.StringFixed(2), e.Label)
	}
	// Output:
	// e1 transaction pos purchase 12.50 0
	// e2 session app  0.00
}

// Load, apply and write back with optimistic concurrency.
func ExampleUpdate() {
	ctx := context.Background()
	store := profile.NewMemoryStore() // reference only; implement profile.Store for production
	b, _ := profile.NewBuilder(nil)
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	e := profile.Event{ID: "s1", CustomerID: "c7", Time: now, Type: profile.TypeSession,
		Channel: profile.ChannelApp, DeviceID: "phone-9", Auth: profile.AuthOf(profile.AuthBiometric)}
	for i := 0; i < 2; i++ { // the second delivery is a duplicate: a no-op
		p, err := profile.Update(ctx, store, "c7", func(p *profile.Profile) error { return b.Apply(p, &e, now) })
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("events:", p.Seq())
	}
	// Output:
	// events: 1
	// events: 1
}
