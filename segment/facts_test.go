package segment

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// handProfile folds a year of a young parent's life: four months of
// history before a first salary, then salary, child care, a car loan,
// purchases and app use.
func handProfile(t *testing.T) (*profile.Profile, time.Time) {
	t.Helper()
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	if err != nil {
		t.Fatal(err)
	}
	p := profile.New("c42")
	if err := p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", Occupation: "employee",
		BirthDate: time.Date(1994, 6, 15, 0, 0, 0, 0, time.UTC), Joined: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var evs []profile.Event
	txn := func(at time.Time, k profile.Kind, amount, who string, mcc uint16) {
		evs = append(evs, profile.Event{ID: fmt.Sprintf("e%d", len(evs)), CustomerID: "c42", Time: at,
			Type: profile.TypeTransaction, Kind: k, Direction: k.Direction(), Amount: decimal.RequireFromString(amount),
			Currency: "CNY", Channel: profile.ChannelApp, Counterparty: who, MCC: mcc})
	}
	feat := func(at time.Time, name string) {
		evs = append(evs, profile.Event{ID: fmt.Sprintf("e%d", len(evs)), CustomerID: "c42", Time: at,
			Type: profile.TypeFeature, Feature: name, Channel: profile.ChannelApp})
	}
	for m := time.January; m <= time.December; m++ {
		day := func(d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
		txn(day(2), profile.KindPurchase, "120.50", "Hema Fresh", 5411)
		feat(day(3), "transfer")
		if m >= time.May {
			txn(day(10), profile.KindSalary, "15000.00", "Acme Ltd", 0)
			txn(day(12), profile.KindBillPayment, "2500.00", "Sunshine Kindergarten", 8351)
			txn(day(20), profile.KindLoanRepayment, "3000.00", "BYD Auto Finance", 0)
			feat(day(21), "wealth")
		}
	}
	for i := range evs {
		if err := b.Apply(p, &evs[i], evs[i].Time); err != nil {
			t.Fatal(err)
		}
	}
	return p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
}

func TestNewFacts(t *testing.T) {
	p, now := handProfile(t)
	f, err := NewFacts(p, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if f.CustomerID != "c42" || f.AgeYears != 31 || f.Occupation != "employee" {
		t.Errorf("attributes %q %v %q", f.CustomerID, f.AgeYears, f.Occupation)
	}
	if math.Abs(f.TenureDays-396) > 1e-9 || math.Abs(f.HistoryDays-(363+14.0/24)) > 1e-9 {
		t.Errorf("tenure %v history %v", f.TenureDays, f.HistoryDays)
	}
	// Eight monthly salaries from 10 May: about 236 days ago (7 average
	// months plus the 22 days since the last one).
	if want := 7*avgMonthDays + 21.58; math.Abs(f.SalaryDays-want) > 0.5 {
		t.Errorf("SalaryDays %v, want about %v", f.SalaryDays, want)
	}
	if f.Loans != 1 || f.OtherLenders != 1 || f.Spend.Childcare <= 0 || f.Spend.Groceries <= 0 {
		t.Errorf("loans %d/%d childcare %v groceries %v", f.Loans, f.OtherLenders, f.Spend.Childcare, f.Spend.Groceries)
	}
	if f.Purchases != 12 || f.Monetary != 12*120.5 || f.Value != f.Monetary || math.Abs(f.RecencyDays-(29+14.0/24)) > 1e-9 {
		t.Errorf("purchases %d monetary %v value %v recency %v", f.Purchases, f.Monetary, f.Value, f.RecencyDays)
	}
	if !(f.WealthUse > 0.3 && f.WealthUse < 0.7) {
		t.Errorf("WealthUse %v", f.WealthUse)
	}
	if f.Spend.Of(profile.CategoryChildcare) != f.Spend.Childcare || f.Spend.Of(200) != 0 {
		t.Error("Spending.Of")
	}
	// The assigner sees a young parent; the salary began after months of
	// history, so it is the start of a career too.
	a, _ := New(Config{})
	got, err := a.Assign(&f, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != StageFamilyFormation {
		t.Errorf("stage %v, evidence %v", got.Stage, got.StageEvidence)
	}
	// Custom wealth functions: none of this customer's.
	g, _ := NewFacts(p, now, &FactsOptions{WealthFunctions: []string{"funds"}})
	if g.WealthUse != 0 {
		t.Errorf("custom wealth functions: %v", g.WealthUse)
	}
	if _, err := NewFacts(nil, now, nil); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil profile: %v", err)
	}
	if _, err := NewFacts(p, time.Time{}, nil); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("zero now: %v", err)
	}
	empty, err := NewFacts(profile.New("nobody"), now, nil)
	if err != nil || empty.Validate() != nil || empty.SalaryDays != -1 || empty.RecencyDays != -1 || empty.HistoryDays != 0 {
		t.Errorf("empty profile: %+v %v", empty, err)
	}
}

// TestFactsMatchFeatures: fields Facts shares with profile.Features hold
// the same values, on simulated customers.
func TestFactsMatchFeatures(t *testing.T) {
	b, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	cfg := synth.Config{Seed: 3, Customers: 24}
	n := 24
	if testing.Short() || raceEnabled {
		n = 8
	}
	for i := range n {
		c, err := cfg.Customer(i)
		if err != nil {
			t.Fatal(err)
		}
		p := profile.New(c.ID)
		_ = p.SetCustomer(c.Customer)
		for j := range c.Events {
			if err := b.Apply(p, &c.Events[j], simNow); err != nil {
				t.Fatal(err)
			}
		}
		f, err := NewFacts(p, simNow, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Validate(); err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		ft := p.Features(simNow)
		type pair struct {
			name string
			a, b any
		}
		for _, x := range []pair{
			{"AgeYears", f.AgeYears, ft.AgeYears}, {"Occupation", f.Occupation, ft.Occupation},
			{"TenureDays", f.TenureDays, ft.TenureDays}, {"MonthlyIncome", f.MonthlyIncome, ft.MonthlyIncome},
			{"IncomeStreams", f.IncomeStreams, ft.IncomeStreams}, {"SalaryMature", f.SalaryMature, ft.SalaryMature},
			{"PensionIncome", f.PensionIncome, ft.PensionIncome}, {"IncomeStopped", f.IncomeStopped, ft.IncomeStopped},
			{"MonthlySpend", f.MonthlySpend, ft.MonthlySpend}, {"MonthlyDebt", f.MonthlyDebt, ft.MonthlyDebt},
			{"Loans", f.Loans, ft.Loans}, {"OtherLenders", f.OtherLenders, ft.OtherLenders}, {"DTI", f.DTI, ft.DTI},
			{"Transactions", f.Transactions, ft.Transactions}, {"Sessions", f.Sessions, ft.Sessions},
			{"DaysSinceLastSession", f.DaysSinceLastSession, ft.DaysSinceLastSession},
			{"Purchases", f.Purchases, ft.Purchases}, {"PurchaseDays", f.PurchaseDays, ft.PurchaseDays},
			{"Monetary", f.Monetary, ft.Monetary.InexactFloat64()}, {"RecencyDays", f.RecencyDays, ft.RecencyDays},
		} {
			if x.a != x.b {
				t.Errorf("%s %s: facts %v, features %v", c.ID, x.name, x.a, x.b)
			}
		}
		for c := range profile.NumCategories {
			cat := profile.Category(c)
			if f.Spend.Of(cat) != ft.Spend[cat.String()] {
				t.Errorf("Spend.%s: %v vs %v", spendName(c), f.Spend.Of(cat), ft.Spend[cat.String()])
			}
		}
	}
}
