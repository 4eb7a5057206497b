package profile

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestFeatures(t *testing.T) {
	b, _ := NewBuilder(&Options{OwnInstitution: []string{"Suanpan Bank"}})
	p := New("c1")
	if err := p.SetCustomer(Customer{ID: "c1", Currency: "EUR", TimeZone: "Europe/Berlin",
		BirthDate: time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC), Occupation: "employee",
		Joined: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Consent: Consent{Email: true}}); err != nil {
		t.Fatal(err)
	}
	next := seq("e", 0)
	for m := 0; m < 6; m++ {
		mustApply(t, b, p,
			tx(next(), time.Date(2026, time.Month(1+m), 2, 8, 0, 0, 0, berlin), KindLoanRepayment, "400.00", "QuickCredit"),
			tx(next(), weekendBack(time.Date(2026, time.Month(1+m), 25, 9, 0, 0, 0, berlin)), KindSalary, "3000.00", "Acme"))
		e := tx(next(), time.Date(2026, time.Month(1+m), 26, 2, 30, 0, 0, berlin), KindPurchase, "80.00", "Kita")
		e.MCC = 8351
		mustApply(t, b, p, e)
	}
	now := time.Date(2026, 6, 27, 12, 0, 0, 0, berlin)
	f := p.Features(now)
	if f.AgeYears != 36 || f.Occupation != "employee" || !f.ConsentEmail || f.ConsentSMS {
		t.Fatalf("attributes: %+v", f)
	}
	if !f.SalaryMature || f.MonthlyIncome != 3000 || f.Loans != 1 || f.OtherLenders != 1 || f.DTI != 400.0/3000 {
		t.Fatalf("financial: %+v", f)
	}
	if f.Spend.Childcare <= 0 || f.Spend.Gambling != 0 || f.Spend.Of(CategoryChildcare) != f.Spend.Childcare {
		t.Fatalf("spend: %v", f.Spend)
	}
	if !f.CreditsThisMonth.Equal(decimal.RequireFromString("3000")) || !f.DebitsLastMonth.Equal(decimal.RequireFromString("480")) {
		t.Fatalf("months: %v %v", f.CreditsThisMonth, f.DebitsLastMonth)
	}
	if f.NightShare < 0.3 || f.Purchases != 6 || f.RecencyDays < 1 || f.RecencyDays > 2 {
		t.Fatalf("behaviour: night %v purchases %d recency %v", f.NightShare, f.Purchases, f.RecencyDays)
	}
	// A month later the loan repayment is overdue and the salary late.
	g := p.Features(time.Date(2026, 7, 20, 12, 0, 0, 0, berlin))
	if g.LoansOverdue != 1 || g.MaxDaysOverdue < 15 {
		t.Fatalf("overdue: %d loans, %d days", g.LoansOverdue, g.MaxDaysOverdue)
	}
	if e := p.Features(time.Date(2026, 9, 1, 0, 0, 0, 0, berlin)); !e.IncomeStopped || e.SalaryMature {
		t.Fatalf("salary must have stopped: %+v", e)
	}
}

func TestYearsBetween(t *testing.T) {
	b := time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2001, 2, 28, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2001, 3, 1, 0, 0, 0, 0, time.UTC), 1},
		{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 24},
		{time.Date(2024, 2, 28, 0, 0, 0, 0, time.UTC), 23},
	} {
		if got := yearsBetween(b, c.now); got != c.want {
			t.Errorf("%v: %d, want %d", c.now, got, c.want)
		}
	}
}

func TestSpendingCoversEveryCategory(t *testing.T) {
	var by [NumCategories]float64
	for c := range by {
		by[c] = float64(c + 1)
	}
	s := SpendingOf(&by)
	for c := range by {
		if got := s.Of(Category(c)); got != by[c] {
			t.Errorf("%s: %v, want %v", Category(c), got, by[c])
		}
	}
	if n := reflect.TypeOf(s).NumField(); n != NumCategories {
		t.Fatalf("Spending has %d fields for %d categories", n, NumCategories)
	}
}
