package credit

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// life writes a hand-made customer history for unit tests: monthly salary
// and loan repayments, spending, and sessions on devices.
type life struct {
	id     string
	loc    *time.Location
	start  time.Time // 1st of the first month
	events []profile.Event
	seq    int
}

func newLife(id string) *life {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return &life{id: id, loc: loc, start: time.Date(2025, 1, 1, 0, 0, 0, 0, loc)}
}

// month returns day d of month m (0 = the first month) at 09:00.
func (l *life) month(m, d int) time.Time {
	return time.Date(l.start.Year(), l.start.Month()+time.Month(m), d, 9, 0, 0, 0, l.loc)
}

func (l *life) add(e profile.Event) {
	l.seq++
	e.ID = fmt.Sprintf("%s-%05d", l.id, l.seq)
	e.CustomerID = l.id
	if e.Type == 0 {
		e.Type = profile.TypeTransaction
	}
	if e.Type == profile.TypeTransaction {
		e.Currency = "CNY"
		e.Direction = e.Kind.Direction()
	}
	l.events = append(l.events, e)
}

// salary pays amount on day d of months [from, to).
func (l *life) salary(payer string, amount int64, d, from, to int) *life {
	for m := from; m < to; m++ {
		l.add(profile.Event{Time: l.month(m, d), Kind: profile.KindSalary, Amount: decimal.NewFromInt(amount), Counterparty: payer})
	}
	return l
}

// repay pays a loan on day d of months [from, to), skipping months in skip.
func (l *life) repay(lender string, amount int64, d, from, to int, skip ...int) *life {
	for m := from; m < to; m++ {
		if slices.Contains(skip, m) {
			continue
		}
		l.add(profile.Event{Time: l.month(m, d).Add(time.Hour), Kind: profile.KindLoanRepayment, Amount: decimal.NewFromInt(amount), Counterparty: lender})
	}
	return l
}

// spend buys groceries for amount on days 3, 13 and 23 of months [from, to).
func (l *life) spend(amount int64, from, to int) *life {
	for m := from; m < to; m++ {
		for _, d := range []int{3, 13, 23} {
			l.add(profile.Event{Time: l.month(m, d).Add(9 * time.Hour), Kind: profile.KindPurchase, MCC: 5411,
				Amount: decimal.NewFromInt(amount), Counterparty: "Hema Fresh", DeviceID: "phone-1", Channel: profile.ChannelApp})
		}
	}
	return l
}

// transferOut sends amount to a payee on day d of month m.
func (l *life) transferOut(amount int64, m, d int) *life {
	l.add(profile.Event{Time: l.month(m, d).Add(10 * time.Hour), Kind: profile.KindTransferOut, Amount: decimal.NewFromInt(amount), Counterparty: "Li Wei"})
	return l
}

// sessions logs in on device weekly during months [from, to).
func (l *life) sessions(device string, from, to int) *life {
	for m := from; m < to; m++ {
		for _, d := range []int{2, 9, 16, 24} {
			l.add(profile.Event{Type: profile.TypeSession, Time: l.month(m, d).Add(11 * time.Hour), DeviceID: device,
				Channel: profile.ChannelApp, Auth: profile.AuthOf(profile.AuthPassword)})
		}
	}
	return l
}

// profile folds the events before until into a profile.
func (l *life) profile(t testing.TB, until time.Time) *profile.Profile {
	t.Helper()
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	if err != nil {
		t.Fatal(err)
	}
	p := profile.New(l.id)
	if err := p.SetCustomer(profile.Customer{ID: l.id, Currency: "CNY", TimeZone: "Asia/Shanghai",
		BirthDate: time.Date(1988, 5, 1, 0, 0, 0, 0, time.UTC), Occupation: "employee",
		DeclaredMonthlyIncome: decimal.NewFromInt(12000)}); err != nil {
		t.Fatal(err)
	}
	evs := slices.Clone(l.events)
	slices.SortStableFunc(evs, func(a, b profile.Event) int { return a.Time.Compare(b.Time) })
	for i := range evs {
		if !evs[i].Time.Before(until) {
			break
		}
		if err := b.Apply(p, &evs[i], evs[i].Time); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return p
}

// steady is a salaried borrower: 12,000 a month from Huawei, 2,000 to a
// car lender, groceries, and weekly sessions on phone-1, for months
// [0, months).
func steady(id string, months int) *life {
	return newLife(id).
		salary("Huawei Technologies Co Ltd", 12000, 10, 0, months).
		repay("SAIC-GMAC Auto Finance", 2000, 15, 0, months).
		spend(300, 0, months).
		sessions("phone-1", 0, months)
}
