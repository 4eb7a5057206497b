package segment_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// customer returns the input of a customer filled by hand (normally
// segment.NewInput fills it from a profile, as in the NewInput example).
func customer(id string, age float64, occupation string, recency float64, purchases int, spent int64) segment.Input {
	return segment.Input{
		Profile: profile.Features{
			CustomerID: id, AgeYears: age, Occupation: occupation,
			SalaryDays: -1, DaysSinceLastSession: 2, DaysSinceLastDebit: -1,
			Purchases: purchases, PurchaseDays: purchases, Monetary: decimal.NewFromInt(spent), RecencyDays: recency,
		},
		Value: float64(spent),
	}
}

// Segment a small population: stage, RFM, value tier and two bank-defined
// segments, then the transitions when one customer's life moves on.
func Example() {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	pop := []segment.Input{
		customer("ana", 20, "student", 2, 40, 1800),
		customer("ben", 27, "employee", 5, 25, 5200),
		customer("chen", 36, "employee", 40, 12, 9800),
		customer("dora", 47, "self_employed", 1, 60, 22000),
		customer("eli", 58, "civil_servant", 120, 3, 600),
		customer("fay", 71, "retired", 9, 18, 2400),
	}
	pop[1].Profile.SalaryDays, pop[1].Profile.HistoryDays = 200, 500 // ben's first salary began 200 days ago
	pop[2].Profile.SalaryDays, pop[2].Profile.Loans, pop[2].Profile.Spend.Childcare = 900, 1, 1500
	pop[5].Profile.PensionIncome = true

	rfm, err := segment.FitRFM(pop, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	tiers, err := segment.FitTiers(pop, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	cat, err := segment.Compile("2026-03", []segment.Definition{
		{ID: "young_parents", Priority: 10, Expr: `Stage == "family_formation" && Profile.Spend.Childcare > 0`},
		{ID: "serve_digitally", Priority: 20, Expr: `Tier == "long_tail" && Profile.DaysSinceLastSession < 30`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := segment.New(segment.Config{Version: "demo-1", RFM: rfm, Tiers: tiers, Segments: cat})
	if err != nil {
		fmt.Println(err)
		return
	}
	got := make([]segment.Assignment, len(pop))
	for i := range pop {
		if got[i], err = a.Assign(&pop[i], now); err != nil {
			fmt.Println(err)
			return
		}
		g := got[i]
		fmt.Printf("%-5s %-19s %.2f %-8s %s %-18s %-9s %v\n", g.CustomerID, g.Stage, g.StageConfidence, g.Family,
			g.RFM.Code(), g.RFM.Segment, g.Tier, g.Segments)
	}
	fmt.Println(got[2].StageEvidence[2])

	// A year on, chen's children have left child care.
	later := pop[2]
	later.Profile.AgeYears, later.Profile.Spend.Childcare, later.Profile.RecencyDays = 41, 0, 3
	next, _ := a.Assign(&later, now.AddDate(1, 0, 0))
	for _, t := range segment.Diff(got[2], next) {
		fmt.Println(t.Kind, t.Segment)
	}
	// Output:
	// ana   student             0.98 payments 541 champions          core      []
	// ben   early_career        0.96 credit   433 potential_loyalist top       []
	// chen  family_formation    0.99 credit   214 hibernating        top       [{young_parents 10 [{expr:young_parents Stage == "family_formation" && Profile.Spend.Childcare > 0}]}]
	// dora  wealth_accumulation 0.80 wealth   555 champions          top       []
	// eli   pre_retirement      0.80 wealth   111 hibernating        long_tail [{serve_digitally 20 [{expr:serve_digitally Tier == "long_tail" && Profile.DaysSinceLastSession < 30}]}]
	// fay   retired             1.00 wealth   322 about_to_sleep     core      []
	// {childcare_spend spending on child care}
	// left rfm:hibernating
	// entered rfm:promising
	// left stage:family_formation
	// entered stage:wealth_accumulation
	// left young_parents
}

// NewInput reads a profile: the groups of profile.Features that lifecycle
// staging, RFM and the bank's segments read, the share of app use on
// wealth functions, and the customer's value.
func ExampleNewInput() {
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := profile.New("mei")
	if err := p.SetCustomer(profile.Customer{ID: "mei", Currency: "CNY", Occupation: "employee",
		BirthDate: time.Date(1993, 4, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	apply := func(e profile.Event) {
		n++
		e.ID, e.CustomerID, e.Channel = fmt.Sprint("e", n), "mei", profile.ChannelApp
		if e.Type == profile.TypeTransaction {
			e.Direction, e.Currency = e.Kind.Direction(), "CNY"
		}
		if err := b.Apply(p, &e, e.Time); err != nil {
			fmt.Println(err)
		}
	}
	for m := time.January; m <= time.June; m++ {
		day := func(d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		apply(profile.Event{Time: day(5), Type: profile.TypeTransaction, Kind: profile.KindSalary,
			Amount: decimal.RequireFromString("18000"), Counterparty: "Acme Ltd"})
		apply(profile.Event{Time: day(8), Type: profile.TypeTransaction, Kind: profile.KindBillPayment,
			Amount: decimal.RequireFromString("2200"), Counterparty: "Little Stars Nursery", MCC: 8351})
		apply(profile.Event{Time: day(12), Type: profile.TypeTransaction, Kind: profile.KindPurchase,
			Amount: decimal.RequireFromString("310.40"), Counterparty: "Hema Fresh", MCC: 5411})
		apply(profile.Event{Time: day(15), Type: profile.TypeFeature, Feature: "wealth"})
		apply(profile.Event{Time: day(16), Type: profile.TypeFeature, Feature: "transfer"})
	}
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

	cat, err := segment.Compile("2026-07", []segment.Definition{
		{ID: "young_parents", Expr: `Stage == "family_formation" && Profile.Spend.Childcare > 0`},
		{ID: "wealth_curious", Expr: `WealthUse >= 0.3 && Profile.MonthlyIncome > 10000`},
		{ID: "big_basket", Expr: `Profile.Monetary > 1800`}, // decimal money: exact
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := segment.NewInput(p, now, &segment.InputOptions{Segments: cat})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := segment.New(segment.Config{Segments: cat})
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := a.Assign(&in, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("age %.0f, income %.0f/month, child care %.0f/month, purchases %v, wealth use %.2f\n",
		in.Profile.AgeYears, in.Profile.MonthlyIncome, in.Profile.Spend.Childcare, in.Profile.Monetary, in.WealthUse)
	fmt.Println(got.Stage, got.Family)
	for _, r := range got.StageEvidence {
		fmt.Println(" ", r.Code)
	}
	for _, m := range got.Segments {
		fmt.Println(m.ID)
	}
	// Output:
	// age 33, income 18000/month, child care 2107/month, purchases 1862.4, wealth use 0.50
	// family_formation credit
	//   age_band
	//   salary_income
	//   childcare_spend
	// big_basket
	// wealth_curious
	// young_parents
}
