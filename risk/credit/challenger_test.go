package credit

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestCompare runs the German scorecard (champion) against a smaller one
// (challenger) on the simulated applications: the champion's results are
// exactly those of its own batch, and the comparison adds up.
func TestCompare(t *testing.T) {
	loadSimBatch(t)
	champion := simBatch.engine
	challenger, err := New(Config{Application: german.small, Behaviour: behaviour.model, Mapping: germanMapping(),
		Policy: Policy{MaxLimit: decimal.NewFromInt(200000), LimitStep: decimal.NewFromInt(100)}})
	if err != nil {
		t.Fatal(err)
	}
	res, c, err := Compare(t.Context(), champion, challenger, simBatch.apps, simProfilesAt(t, 6), checkpoint(6), &BatchOptions{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(simBatch.results, res); diff != "" {
		t.Fatalf("the challenger changed the champion's decisions (-want +got):\n%s", diff)
	}
	n := len(simBatch.apps)
	sum, diag := 0, 0
	for i := range 3 {
		for j := range 3 {
			sum += c.Matrix[i][j]
		}
		diag += c.Matrix[i][i]
	}
	swapIn := c.Matrix[1][0] + c.Matrix[2][0]
	swapOut := c.Matrix[0][1] + c.Matrix[0][2]
	t.Logf("champion %s approves %.1f%%, challenger %s %.1f%%; agreement %.1f%%, swap-in %d, swap-out %d",
		c.Champion.ModelID, 100*c.Champion.ApprovalRate, c.Challenger.ModelID, 100*c.Challenger.ApprovalRate, 100*c.Agreement, c.SwapIn, c.SwapOut)
	switch {
	case c.Compared != n || c.Failed != 0 || sum != n || len(c.Pairs) != n:
		t.Fatalf("counts %+v", c)
	case c.Agree != diag || c.SwapIn != swapIn || c.SwapOut != swapOut:
		t.Fatalf("agreement %d/%d, swaps %d/%d %d/%d", c.Agree, diag, c.SwapIn, swapIn, c.SwapOut, swapOut)
	case c.Champion.Approve+c.Champion.Refer+c.Champion.Decline != n:
		t.Fatalf("champion summary %+v", c.Champion)
	case c.Champion.ModelID == c.Challenger.ModelID || c.Agreement == 1:
		t.Fatalf("two different models agree on everything: %+v", c.Challenger)
	}
	offered := decimal.Zero
	for i, p := range c.Pairs {
		d := res[i].Decision
		if p.ApplicationID != d.ApplicationID || p.Champion != d.Outcome || p.ChampionPD != d.PD {
			t.Fatalf("pair %d: %+v vs %v %v", i, p, d.Outcome, d.PD)
		}
		if d.Outcome == Approve {
			offered = offered.Add(d.Amount)
		}
	}
	if !offered.Equal(c.Champion.Offered) {
		t.Fatalf("offered %v, summary %v", offered, c.Champion.Offered)
	}
	// A challenger identical to the champion agrees everywhere.
	_, same, err := Compare(t.Context(), champion, simEngine(t), simBatch.apps[:100], simProfilesAt(t, 6), checkpoint(6), nil)
	if err != nil || same.Agreement != 1 || same.SwapIn != 0 || same.SwapOut != 0 {
		t.Fatalf("identical engines: %v %+v", err, same)
	}
	// Failures are counted, not compared.
	apps := append([]Application(nil), simBatch.apps[:10]...)
	apps[4].TermMonths = 0
	res, c, err = Compare(t.Context(), champion, challenger, apps, simProfilesAt(t, 6), checkpoint(6), nil)
	if err != nil || c.Failed != 1 || c.Compared != 9 || !errors.Is(res[4].Err, ErrInvalid) || c.Pairs[4].Champion != 0 {
		t.Fatalf("with a bad application: %v %+v", err, c)
	}
	if _, _, err := Compare(t.Context(), nil, challenger, apps, simProfilesAt(t, 6), checkpoint(6), nil); !errors.Is(err, ErrMissing) {
		t.Errorf("no champion: %v", err)
	}
}
