package uplift_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/suanpan-dev/suanpan/campaign/uplift"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// A simulated e-mail test: the offer moves young customers only. The
// two-model uplift learns it and ranks them first.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 8000
	age := make([]float64, n)
	arm := make([]string, n)
	responded := make([]bool, n)
	for i := range n {
		age[i] = float64(20 + rng.IntN(50))
		arm[i] = "control"
		if rng.IntN(2) == 0 {
			arm[i] = "mail"
		}
		p := 0.10
		if arm[i] == "mail" && age[i] < 35 {
			p = 0.25
		}
		responded[i] = rng.Float64() < p
	}
	ds := &scorecard.Dataset{
		Columns: []scorecard.Column{
			{Name: "age", Kind: scorecard.Numeric, Num: age},
			{Name: "arm", Kind: scorecard.Categorical, Cat: arm},
		},
		Bad: responded,
	}
	e, _ := uplift.NewExperiment(ds, "arm", "mail", "control")
	train, test, _ := e.Split(0.5, 1)
	m, _ := uplift.FitTwoModel(train, &scorecard.Options{})
	ev, _ := m.Evaluate(test, 0.3)
	fmt.Printf("average effect %.3f, uplift at 30%% %.3f, Qini %.2f\n", ev.ATE, ev.UpliftAtK, ev.Qini)

	young, _ := m.Score(scorecard.Row{Num: []float64{25}})
	old, _ := m.Score(scorecard.Row{Num: []float64{60}})
	fmt.Printf("uplift at 25: %.2f, at 60: %.2f\n", young, old)
	// Output:
	// average effect 0.053, uplift at 30% 0.137, Qini 0.14
	// uplift at 25: 0.13, at 60: 0.02
}

// Qini, AUUC and uplift at k of a hand-made ranking.
func ExampleEvaluate() {
	score := []float64{0.9, 0.8, 0.7, 0.6, 0.5, 0.4}
	treated := []bool{true, false, true, false, true, false}
	responded := []bool{true, false, true, true, false, false}
	ev, _ := uplift.Evaluate(score, treated, responded, 0.5)
	fmt.Printf("ATE %.3f Qini %.3f AUUC %.3f uplift@50%% %.3f\n", ev.ATE, ev.Qini, ev.AUUC, ev.UpliftAtK)
	// Output: ATE 0.333 Qini 0.462 AUUC 0.460 uplift@50% 1.000
}

// Conversion by number of contacts, and the cap after which one more
// contact converts less than half as well as the first.
func ExampleContactCurve() {
	contacts := []int{1, 1, 1, 1, 2, 2, 2, 3, 3, 4}
	converted := []bool{true, false, false, false, true, false, false, false, false, false}
	rows, _ := uplift.ContactCurve(contacts, converted, 0)
	for _, r := range rows {
		fmt.Printf("%d: hazard %.3f, conversions kept %.2f, contacts kept %.2f\n", r.Contacts, r.Hazard, r.CumConversions, r.CumContacts)
	}
	k, _ := uplift.SuggestCap(rows, 0.5)
	fmt.Println("cap", k)
	// Output:
	// 1: hazard 0.100, conversions kept 0.50, contacts kept 0.50
	// 2: hazard 0.167, conversions kept 1.00, contacts kept 0.80
	// 3: hazard 0.000, conversions kept 1.00, contacts kept 0.95
	// 4: hazard 0.000, conversions kept 1.00, contacts kept 1.00
	// cap 2
}
