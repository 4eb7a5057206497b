package credit

import (
	"errors"
	"math"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// TestBehaviourScorecard fits the behaviour scorecard on snapshots of half
// the simulated customers (months 4, 6, 8; label: a late or missed loan
// repayment or a salary stop in the next four months, from the
// simulator's truth) and measures it on the other half. The simulator
// draws late payments at random per loan and job losses at random per
// employee, so the achievable AUC is modest; the test guards that the
// pipeline learns what there is to learn and stays deterministic.
func TestBehaviourScorecard(t *testing.T) {
	m := loadBehaviour(t)
	rows, bads := m.TrainRows()
	snaps, bad := behaviourSample(t, behaviour.test)
	ds, err := SnapshotDataset(snaps, bad, behaviourVars)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.ScoreDataset(ds)
	if err != nil {
		t.Fatal(err)
	}
	pd := make([]float64, len(res))
	testBads := 0
	for i := range res {
		pd[i] = res[i].PD
		if bad[i] {
			testBads++
		}
	}
	auc, err := scorecard.AUC(pd, bad)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("behaviour scorecard: %d training rows (%d bad), variables %v; held-out AUC %.3f on %d rows (%d bad)",
		rows, bads, m.Names(), auc, len(bad), testBads)
	if auc < 0.62 {
		t.Errorf("held-out AUC %.3f < 0.62", auc)
	}
	// The same sample gives the same model.
	trainSnaps, trainBad := behaviourSample(t, behaviour.train)
	ds2, err := SnapshotDataset(trainSnaps, trainBad, behaviourVars)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := scorecard.Fit(ds2, behaviourOptions())
	if err != nil || again.ID() != m.ID() {
		t.Fatalf("refit: %v, ID %s vs %s", err, again.ID(), m.ID())
	}
}

// TestSnapshot checks the snapshot of a hand-made borrower.
func TestSnapshot(t *testing.T) {
	l := steady("c", 8).repay("Ant Consumer Finance", 600, 8, 2, 8)
	now := l.month(8, 1)
	s := TakeSnapshot(l.profile(t, now), now)
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("MonthlyIncome", s.MonthlyIncome, 12000, 1e-6)
	near("MonthlyDebt", s.MonthlyDebt, 2600, 1e-6)
	near("DTI", s.DTI, 2600.0/12000, 1e-9)
	near("IncomeLast3", s.IncomeLast3, 12000, 1e-6)
	near("IncomePrev3", s.IncomePrev3, 12000, 1e-6)
	near("NetFlow", s.NetFlow, 3*(12000-2600-900), 1e-6)
	near("AgeYears", s.AgeYears, 37, 0)
	// History began on January 2: January is incomplete.
	if s.CompleteMonths != 7 || s.NetFlowMonths != 3 || s.Loans != 2 || s.OtherLenders != 2 || !s.SalaryMature {
		t.Errorf("snapshot %+v", s)
	}
	if len(s.Payers) != 1 || s.Payers[0] != "Huawei Technologies Co Ltd" {
		t.Errorf("payers %v", s.Payers)
	}
	if len(s.Lenders) != 2 || s.Lenders[0].Name != "Ant Consumer Finance" || !s.Lenders[0].Other {
		t.Errorf("lenders %+v", s.Lenders)
	}
	ds, err := SnapshotDataset([]Snapshot{s}, []bool{false}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Columns) != len(ProfileVariables()) {
		t.Fatalf("%d columns", len(ds.Columns))
	}
	for _, c := range ds.Columns {
		switch c.Name {
		case "income_trend":
			near(c.Name, c.Num[0], 1, 1e-9)
		case "dti":
			near(c.Name, c.Num[0], 2600.0/12000, 1e-9)
		case "net_flow_ratio":
			near(c.Name, c.Num[0], (12000-2600-900)/12000.0, 1e-9)
		case "occupation":
			if c.Cat[0] != "employee" {
				t.Errorf("occupation %q", c.Cat[0])
			}
		case "income_stopped":
			near(c.Name, c.Num[0], 0, 0)
		}
	}
	// An empty profile: nothing observed, every ratio missing.
	empty := TakeSnapshot(newLife("e").profile(t, now), now)
	ds, _ = SnapshotDataset([]Snapshot{empty}, []bool{false}, []string{"dti", "income_cv", "net_flow_ratio", "monthly_income"})
	for _, c := range ds.Columns[:3] {
		if !math.IsNaN(c.Num[0]) {
			t.Errorf("%s = %v for an empty profile, want missing", c.Name, c.Num[0])
		}
	}
	if ds.Columns[3].Num[0] != 0 {
		t.Errorf("monthly_income %v", ds.Columns[3].Num[0])
	}
	if _, err := SnapshotDataset([]Snapshot{s}, []bool{false}, []string{"salary"}); !errors.Is(err, ErrModel) {
		t.Errorf("unknown variable: %v", err)
	}
	if _, err := SnapshotDataset([]Snapshot{s}, nil, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("no labels: %v", err)
	}
}
