package segment

import (
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// simNow is the time the simulated populations are segmented at: the end
// of synth's default 12 months from 2025-01-01.
var simNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simPop is a simulated population turned into inputs (with the groups
// of Features the 20 segments of testdata/segments20.json read), with the
// truth.
type simPop struct {
	inputs []Input
	truth  []Stage
}

var (
	simOnce  sync.Once
	simCache map[synth.Market]simPop
	simErr   error
)

// simCustomers is the population size per market of the simulated tests.
func simCustomers() int {
	if testing.Short() || raceEnabled {
		return 120
	}
	return 400
}

// simulated returns the simulated populations of both markets, built once
// per test binary.
func simulated(t testing.TB) map[synth.Market]simPop {
	t.Helper()
	simOnce.Do(func() {
		simCache = map[synth.Market]simPop{}
		b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
		if err != nil {
			simErr = err
			return
		}
		cat, err := loadSegments20()
		if err != nil {
			simErr = err
			return
		}
		for _, mk := range []synth.Market{synth.MarketCN, synth.MarketEU} {
			cs, err := synth.Generate(synth.Config{Seed: 20260101, Customers: simCustomers(), Market: mk})
			if err != nil {
				simErr = err
				return
			}
			var sp simPop
			for i := range cs {
				p := profile.New(cs[i].ID)
				if err := p.SetCustomer(cs[i].Customer); err != nil {
					simErr = err
					return
				}
				for j := range cs[i].Events {
					if err := b.Apply(p, &cs[i].Events[j], simNow); err != nil {
						simErr = err
						return
					}
				}
				in, err := NewInput(p, simNow, &InputOptions{Segments: cat})
				if err != nil {
					simErr = err
					return
				}
				st, err := ParseStage(string(cs[i].Stage))
				if err != nil {
					simErr = err
					return
				}
				sp.inputs = append(sp.inputs, in)
				sp.truth = append(sp.truth, st)
			}
			simCache[mk] = sp
		}
	})
	if simErr != nil {
		t.Fatal(simErr)
	}
	return simCache
}

// allSimInputs returns the inputs of both markets, CN first.
func allSimInputs(t testing.TB) []Input {
	s := simulated(t)
	return slices.Concat(s[synth.MarketCN].inputs, s[synth.MarketEU].inputs)
}

// loadSegments20 compiles the 20 bank-defined segments of
// testdata/segments20.json.
func loadSegments20() (*Catalog, error) {
	data, err := os.ReadFile("testdata/segments20.json")
	if err != nil {
		return nil, err
	}
	return LoadCatalog(data)
}

// segments20 returns the 20 bank-defined segments of testdata/segments20.json.
func segments20(t testing.TB) (string, []Definition) {
	t.Helper()
	data, err := os.ReadFile("testdata/segments20.json")
	if err != nil {
		t.Fatal(err)
	}
	v, defs, err := ParseDefinitions(data)
	if err != nil {
		t.Fatal(err)
	}
	return v, defs
}

// predicates20 returns the same 20 segments as Go predicates, each
// declaring the feature groups its expression twin reads.
func predicates20(t testing.TB) []Definition {
	_, defs := segments20(t)
	match := map[string]Predicate{
		"young_parents": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Stage == "family_formation" && e.Profile.Spend.Childcare > 0
		},
		"home_and_car_credit": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Family == "credit" && e.Profile.Loans > 0 && e.Profile.DTI < 0.43
		},
		"credit_ready": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Family == "credit" && e.Profile.SalaryMature && e.Profile.DTI < 0.3
		},
		"wealth_prospect": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Family == "wealth" && e.Profile.MonthlyIncome > 8000 && e.WealthUse < 0.05
		},
		"first_salary": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Profile.SalaryDays >= 0 && e.Profile.SalaryDays <= 180 && !e.Profile.PensionIncome
		},
		"multi_lender": func(e *Env, why []Reason) ([]Reason, bool) { return why, e.Profile.OtherLenders >= 2 },
		"high_dti":     func(e *Env, why []Reason) ([]Reason, bool) { return why, e.Profile.DTI > 0.43 },
		"wealth_active": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.WealthUse >= 0.2
		},
		"digital_pensioner": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Stage == "retired" && e.Profile.Sessions > 20
		},
		"branch_dependent": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Profile.Sessions < 5 && e.Profile.Transactions > 30
		},
		"dormant_app": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Profile.DaysSinceLastSession > 60 || e.Profile.DaysSinceLastSession == -1
		},
		"valuable_at_risk": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, (e.RFM.Segment == "at_risk" || e.RFM.Segment == "cant_lose") && e.Tier != "long_tail"
		},
		"top_champions": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.RFM.Segment == "champions" && e.Tier == "top"
		},
		"long_tail_active": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Tier == "long_tail" && e.RFM.R >= 4
		},
		"traveller": func(e *Env, why []Reason) ([]Reason, bool) { return why, e.Profile.Spend.Travel > 500 },
		"diner": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Profile.Spend.Dining > e.Profile.Spend.Groceries
		},
		"student_card": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Stage == "student" && e.Profile.Purchases > 10
		},
		"income_lost": func(e *Env, why []Reason) ([]Reason, bool) {
			return why, e.Profile.IncomeStopped && e.Profile.IncomeStreams == 0
		},
		"gambling":     func(e *Env, why []Reason) ([]Reason, bool) { return why, e.Profile.Spend.Gambling > 0 },
		"new_customer": func(e *Env, why []Reason) ([]Reason, bool) { return why, e.Profile.TenureDays < 90 },
	}
	out := make([]Definition, len(defs))
	for i, d := range defs {
		m, ok := match[d.ID]
		if !ok {
			t.Fatalf("no predicate for %s", d.ID)
		}
		fields, whole := rules.Fields(d.Expr, "Profile")
		if whole {
			t.Fatalf("%s reads Profile as a whole", d.ID)
		}
		d.Expr, d.Match, d.Reads = "", m, profile.FeatureGroupsOf(fields)
		if d.Reads == 0 {
			d.Reads = profile.FeatureAttributes // reads no Profile field: any group will do
		}
		out[i] = d
	}
	return out
}
