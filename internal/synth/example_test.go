package synth_test

import (
	"fmt"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// A small population over a quarter, half of it defrauded.
func Example() {
	cs, err := synth.Generate(synth.Config{Seed: 1, Customers: 10, Months: 3, FraudShare: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	events, fraud := 0, 0
	for _, c := range cs {
		events += len(c.Events)
		for _, e := range c.Events {
			if e.Label == profile.LabelFraud {
				fraud++
			}
		}
	}
	fmt.Println("customers:", len(cs), "events:", events, "fraud events:", fraud)
	for _, c := range cs {
		for _, ep := range c.Episodes {
			fmt.Printf("%s %-16s %s %d debits %s CNY\n", c.ID, ep.Pattern, ep.Start.Format(time.DateOnly), ep.Debits, ep.Amount)
		}
	}
	c := cs[0]
	fmt.Printf("%s %s occupation %q in %s\n", c.ID, c.Stage, c.Occupation, c.City)
	for _, s := range c.Income {
		fmt.Println("income:", s.Counterparty, s.Frequency, s.First.Format(time.DateOnly), s.Count)
	}
	// Output:
	// customers: 10 events: 2206 fraud events: 37
	// C0000002 account_takeover 2025-02-25 3 debits 14417.66 CNY
	// C0000006 app_scam         2025-03-06 3 debits 32099 CNY
	// C0000008 card_testing     2025-02-13 7 debits 11469.42 CNY
	// C0000009 card_testing     2025-03-20 13 debits 14821.46 CNY
	// C0000000 family_formation occupation "" in Guangzhou
	// income: BYD Co Ltd monthly 2025-01-20 3
}

// Stream.Next is the truth a profile's predicted next payment is compared
// to. A salary due on the 31st, moved back to Friday at weekends:
func ExampleStream_Next() {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s := synth.Stream{
		Frequency: profile.FrequencyMonthly, Day: 31, Roll: synth.RollPreceding,
		First: time.Date(2025, 1, 31, 9, 0, 0, 0, loc),
	}
	t := s.First
	for range 5 {
		t = s.Next(t)
		fmt.Println(t.Format("2006-01-02 Mon 15:04"))
	}
	// Output:
	// 2025-02-28 Fri 09:00
	// 2025-03-31 Mon 09:00
	// 2025-04-30 Wed 09:00
	// 2025-05-30 Fri 09:00
	// 2025-06-30 Mon 09:00
}
