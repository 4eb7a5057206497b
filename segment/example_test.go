package segment_test

import (
	"fmt"
	"time"

	"github.com/suanpan-dev/suanpan/segment"
)

// customer returns the facts of a customer (normally segment.NewFacts
// extracts them from a profile).
func customer(id string, age float64, occupation string, recency float64, purchases int, spent float64) segment.Facts {
	return segment.Facts{
		CustomerID: id, AgeYears: age, Occupation: occupation,
		SalaryDays: -1, DaysSinceLastSession: 2,
		Purchases: purchases, PurchaseDays: purchases, Monetary: spent, RecencyDays: recency, Value: spent,
	}
}

// Segment a small population: stage, RFM, value tier and two bank-defined
// segments, then the transitions when one customer's life moves on.
func Example() {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	pop := []segment.Facts{
		customer("ana", 20, "student", 2, 40, 1800),
		customer("ben", 27, "employee", 5, 25, 5200),
		customer("chen", 36, "employee", 40, 12, 9800),
		customer("dora", 47, "self_employed", 1, 60, 22000),
		customer("eli", 58, "civil_servant", 120, 3, 600),
		customer("fay", 71, "retired", 9, 18, 2400),
	}
	pop[1].SalaryDays, pop[1].HistoryDays = 200, 500 // ben's first salary began 200 days ago
	pop[2].SalaryDays, pop[2].Loans, pop[2].Spend.Childcare = 900, 1, 1500
	pop[5].PensionIncome = true

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
	later.AgeYears, later.Spend.Childcare, later.RecencyDays = 41, 0, 3
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
