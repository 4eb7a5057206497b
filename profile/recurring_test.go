package profile

import (
	"testing"
	"time"
)

// weekendBack moves a Saturday or Sunday to the Friday before.
func weekendBack(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, -2)
	}
	return d
}

func lastBusinessDay(y int, m time.Month, loc *time.Location) time.Time {
	return weekendBack(time.Date(y, m+1, 0, 9, 0, 0, 0, loc))
}

func TestIncomeStreamDetection(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, berlin)
	type schedule func(i int) time.Time
	cases := []struct {
		name  string
		freq  Frequency
		n     int
		sched schedule
		next  time.Time
	}{
		{"monthly on the 25th", FrequencyMonthly, 8, func(i int) time.Time {
			return weekendBack(time.Date(2026, time.Month(1+i), 25, 9, 0, 0, 0, berlin))
		}, time.Date(2026, 9, 25, 9, 0, 0, 0, berlin)},
		{"month end", FrequencyMonthly, 8, func(i int) time.Time {
			return lastBusinessDay(2026, time.Month(1+i), berlin)
		}, time.Date(2026, 9, 30, 9, 0, 0, 0, berlin)},
		{"semi-monthly 15th and last", FrequencySemiMonthly, 12, func(i int) time.Time {
			m := time.Month(1 + i/2)
			if i%2 == 0 {
				return weekendBack(time.Date(2026, m, 15, 9, 0, 0, 0, berlin))
			}
			return lastBusinessDay(2026, m, berlin)
		}, weekendBack(time.Date(2026, 7, 15, 9, 0, 0, 0, berlin))},
		{"biweekly Fridays", FrequencyBiweekly, 10, func(i int) time.Time {
			return time.Date(2026, 1, 2, 9, 0, 0, 0, berlin).AddDate(0, 0, 14*i)
		}, time.Date(2026, 1, 2, 9, 0, 0, 0, berlin).AddDate(0, 0, 140)},
		{"weekly", FrequencyWeekly, 10, func(i int) time.Time {
			return time.Date(2026, 1, 5, 18, 0, 0, 0, berlin).AddDate(0, 0, 7*i)
		}, time.Date(2026, 1, 5, 18, 0, 0, 0, berlin).AddDate(0, 0, 70)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, p := newTestProfile(t)
			next := seq("e", 0)
			var last time.Time
			for i := 0; i < c.n; i++ {
				last = c.sched(i)
				if last.Before(start) {
					t.Fatal("bad schedule")
				}
				mustApply(t, b, p, tx(next(), last, KindSalary, "2500.00", "Acme GmbH"))
			}
			now := last.Add(24 * time.Hour)
			ss := p.IncomeStreams(now)
			if len(ss) != 1 {
				t.Fatalf("%d streams", len(ss))
			}
			s := ss[0]
			if s.Counterparty != "Acme GmbH" || s.Frequency != c.freq || s.Status != StatusMature {
				t.Fatalf("stream = %+v, want %v mature", s, c.freq)
			}
			if !s.NextDate.Equal(c.next) {
				t.Fatalf("next = %v, want %v", s.NextDate, c.next)
			}
			f := p.Financial(now)
			want := 2500 * c.freq.PerMonth()
			if f.MonthlyIncome < want-0.01 || f.MonthlyIncome > want+0.01 || !f.IncomeFromStreams {
				t.Fatalf("monthly income %.2f, want %.2f", f.MonthlyIncome, want)
			}
			// Long after the expected date the stream has stopped.
			stopped := p.IncomeStreams(c.next.AddDate(0, 0, 20))[0]
			if stopped.Status != StatusStopped || stopped.DaysOverdue < 16 {
				t.Fatalf("status %v overdue %d, want stopped", stopped.Status, stopped.DaysOverdue)
			}
			if g := p.Financial(c.next.AddDate(0, 0, 20)); g.IncomeFromStreams {
				t.Fatal("a stopped stream still counts as income")
			}
		})
	}
}

func TestStreamStatusEarlyThenMature(t *testing.T) {
	b, p := newTestProfile(t)
	next := seq("e", 0)
	d := time.Date(2026, 1, 10, 9, 0, 0, 0, berlin)
	mustApply(t, b, p, tx(next(), d, KindBillPayment, "60.00", "Stadtwerke"))
	mustApply(t, b, p, tx(next(), d.AddDate(0, 1, 0), KindBillPayment, "61.00", "Stadtwerke"))
	if s := p.Bills(d.AddDate(0, 1, 1))[0]; s.Status != StatusEarly || s.Frequency != FrequencyMonthly {
		t.Fatalf("after two payments: %+v", s)
	}
	mustApply(t, b, p, tx(next(), d.AddDate(0, 2, 0), KindBillPayment, "59.00", "Stadtwerke"))
	s := p.Bills(d.AddDate(0, 2, 1))[0]
	if s.Status != StatusMature || s.OnCadence != 3 {
		t.Fatalf("after three payments: %+v", s)
	}
	if s.AverageAmount != 60 || s.LastAmount.String() != "59" {
		t.Fatalf("amounts: avg %v last %v", s.AverageAmount, s.LastAmount)
	}
	// Two payments the same day merge into one occurrence.
	mustApply(t, b, p, tx(next(), d.AddDate(0, 3, 0), KindBillPayment, "30.00", "Stadtwerke"),
		tx(next(), d.AddDate(0, 3, 0).Add(time.Hour), KindBillPayment, "30.00", "Stadtwerke"))
	s = p.Bills(d.AddDate(0, 3, 1))[0]
	if s.Occurrences != 4 || s.LastAmount.String() != "60" {
		t.Fatalf("same-day merge: %+v", s)
	}
}

func TestLoansAndDebtToIncome(t *testing.T) {
	b, err := NewBuilder(&Options{OwnInstitution: []string{"Suanpan Bank"}})
	if err != nil {
		t.Fatal(err)
	}
	p := New("c1")
	if err := p.SetCustomer(Customer{ID: "c1", Currency: "EUR", TimeZone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	next := seq("e", 0)
	for m := 0; m < 6; m++ {
		mustApply(t, b, p,
			tx(next(), time.Date(2026, time.Month(1+m), 1, 8, 0, 0, 0, berlin), KindLoanRepayment, "500.00", "Suanpan Bank"),
			tx(next(), time.Date(2026, time.Month(1+m), 3, 8, 0, 0, 0, berlin), KindLoanRepayment, "250.00", "QuickCredit Ltd"),
			tx(next(), weekendBack(time.Date(2026, time.Month(1+m), 25, 9, 0, 0, 0, berlin)), KindSalary, "3000.00", "Acme GmbH"),
		)
	}
	f := p.Financial(time.Date(2026, 6, 28, 0, 0, 0, 0, berlin))
	if f.Loans != 2 || f.OtherLenders != 1 {
		t.Fatalf("loans %d other lenders %d", f.Loans, f.OtherLenders)
	}
	if f.MonthlyDebt != 750 || f.MonthlyIncome != 3000 || f.DTI != 0.25 {
		t.Fatalf("debt %v income %v dti %v", f.MonthlyDebt, f.MonthlyIncome, f.DTI)
	}
	wantCap := 3000*DefaultMaxDTI - 750
	if f.RepaymentCapacity != wantCap {
		t.Fatalf("capacity %v, want %v", f.RepaymentCapacity, wantCap)
	}
	if f.IncomeMonths < 4 || f.IncomeCV != 0 {
		t.Fatalf("income months %d cv %v", f.IncomeMonths, f.IncomeCV)
	}
}

// TestMissedRepaymentKeepsTheLoan: a missed monthly repayment must not make
// the loan vanish from debt service (regression: a 60-day gap used to
// reset the cadence to unknown, dropping the loan from Bills, Loans and
// MonthlyDebt right after the miss).
func TestMissedRepaymentKeepsTheLoan(t *testing.T) {
	b, p := newTestProfile(t)
	next := seq("e", 0)
	for _, m := range []time.Month{1, 2, 3, 5, 6} { // April missed
		mustApply(t, b, p, tx(next(), time.Date(2026, m, 10, 8, 0, 0, 0, berlin), KindLoanRepayment, "300.00", "Bank X"))
	}
	now := time.Date(2026, 6, 12, 0, 0, 0, 0, berlin)
	bills := p.Bills(now)
	if len(bills) != 1 || bills[0].Frequency != FrequencyMonthly || bills[0].OffCadence != 1 {
		t.Fatalf("bills = %+v, want the monthly loan with one off-cadence payment", bills)
	}
	if f := p.Financial(now); f.Loans != 1 || f.MonthlyDebt != 300 {
		t.Fatalf("loans %d debt %v", f.Loans, f.MonthlyDebt)
	}
	// A late payment (day 48) keeps the cadence too.
	mustApply(t, b, p, tx(next(), time.Date(2026, 7, 28, 8, 0, 0, 0, berlin), KindLoanRepayment, "300.00", "Bank X"))
	if s := p.Bills(time.Date(2026, 7, 29, 0, 0, 0, 0, berlin))[0]; s.Frequency != FrequencyMonthly || s.OffCadence != 2 {
		t.Fatalf("after a late payment: %+v", s)
	}
}

func TestIncomeEstimateFromYoungStreams(t *testing.T) {
	b, p := newTestProfile(t)
	next := seq("e", 0)
	// A new employer's first salary counts at once, as monthly.
	mustApply(t, b, p, tx(next(), time.Date(2026, 3, 25, 9, 0, 0, 0, berlin), KindSalary, "4200.00", "New Employer"))
	if f := p.Financial(time.Date(2026, 3, 30, 0, 0, 0, 0, berlin)); f.MonthlyIncome != 4200 || !f.IncomeFromStreams {
		t.Fatalf("one salary payment: income %v from streams %v", f.MonthlyIncome, f.IncomeFromStreams)
	}
	// Two weekly transfers from a friend are not yet income.
	mustApply(t, b, p, tx(next(), time.Date(2026, 3, 26, 9, 0, 0, 0, berlin), KindTransferIn, "500.00", "Friend"),
		tx(next(), time.Date(2026, 4, 2, 9, 0, 0, 0, berlin), KindTransferIn, "500.00", "Friend"))
	if f := p.Financial(time.Date(2026, 4, 3, 0, 0, 0, 0, berlin)); f.MonthlyIncome != 4200 {
		t.Fatalf("young transfers counted: income %v", f.MonthlyIncome)
	}
	// Two months without a second payment: the salary no longer counts.
	if f := p.Financial(time.Date(2026, 5, 25, 0, 0, 0, 0, berlin)); f.IncomeFromStreams {
		t.Fatalf("a salary paid once, two months ago, still counts: %+v", f)
	}
}
