package credit

import (
	"errors"
	"testing"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// TestCheckDriftGerman: the German test sample is stable against the
// training sample; a sample of young applicants only is not, and the
// alerts name the score and the age variable.
func TestCheckDriftGerman(t *testing.T) {
	loadGerman(t)
	at := checkpointTime()
	r, err := CheckDrift(german.model, german.train, german.test, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	// A random split differs by sampling noise only: with 700 and 300 rows
	// over 10 bands the PSI of two samples of one population is about
	// 9 × (1/700 + 1/300) ≈ 0.04 on average, and may pass 0.1 by chance;
	// no index may be critical, and no variable may shift.
	t.Logf("train → test: score PSI %.4f (%v)", r.ScorePSI, r.Severity)
	check := func(r *DriftReport) {
		t.Helper()
		if r.Severity == Critical {
			t.Errorf("a random split drifts: PSI %.3f", r.ScorePSI)
		}
		for _, v := range r.Vars {
			if v.Severity != Info {
				t.Errorf("a random split drifts on %s: CSI %.3f", v.Name, v.CSI)
			}
		}
	}
	check(r)
	// Against the model's own training baseline (base nil) as well.
	r0, err := CheckDrift(german.model, nil, german.test, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	check(r0)
	age, _ := german.test.Column("age")
	var young []int
	for i, a := range age.Num {
		if a < 28 {
			young = append(young, i)
		}
	}
	shifted := german.test.Subset(young)
	r, err = CheckDrift(german.model, german.train, shifted, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("train → young applicants: score PSI %.4f (%v), alerts %d", r.ScorePSI, r.Severity, len(r.Alerts))
	ageAlert := false
	for _, a := range r.Alerts {
		if a.Code == CodeVarCSI && a.Subject == "age" && a.Severity == Critical {
			ageAlert = true
		}
		if a.Severity < Warning || !a.At.Equal(at) {
			t.Errorf("alert %+v", a)
		}
	}
	if !ageAlert {
		t.Errorf("no critical CSI alert on age: %+v", r.Alerts)
	}
	for i := 1; i < len(r.Alerts); i++ {
		if r.Alerts[i].Severity > r.Alerts[i-1].Severity {
			t.Fatalf("alerts not ordered: %+v", r.Alerts)
		}
	}
	// Stricter thresholds grade more.
	strict, err := CheckDrift(german.model, german.train, german.test, &DriftPolicy{Warning: 0.001, Critical: 0.002}, at)
	if err != nil || strict.Severity != Critical {
		t.Errorf("strict thresholds: %v %v", err, strict.Severity)
	}
	if _, err := CheckDrift(german.model, german.train, german.test, &DriftPolicy{Warning: 0.3, Critical: 0.1}, at); !errors.Is(err, ErrPolicy) {
		t.Errorf("inverted thresholds: %v", err)
	}
	if _, err := CheckDrift(nil, german.train, german.test, nil, at); !errors.Is(err, ErrModel) {
		t.Errorf("nil model: %v", err)
	}
	if _, err := CheckDrift(german.model, german.train, &scorecard.Dataset{}, nil, at); !errors.Is(err, scorecard.ErrEmpty) {
		t.Errorf("empty sample: %v", err)
	}
}

// TestPopulationDrift builds drift samples from decisions: the same
// population is stable; the applicants whose application PD is highest are
// a shifted population for the application model.
func TestPopulationDrift(t *testing.T) {
	loadSimBatch(t)
	e := simBatch.engine
	var all, risky []Decision
	for _, r := range simBatch.results {
		all = append(all, r.Decision)
		if r.Decision.ApplicationPD > 0.3 {
			risky = append(risky, r.Decision)
		}
	}
	at := checkpoint(7)
	reports, err := e.PopulationDrift(all, all, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || reports[0].ModelID != german.model.ID() || reports[1].ModelID != behaviour.model.ID() {
		t.Fatalf("reports %+v", reports)
	}
	for _, r := range reports {
		if r.ScorePSI != 0 || len(r.Alerts) != 0 {
			t.Errorf("%s: a population against itself drifts: %v %+v", r.ModelName, r.ScorePSI, r.Alerts)
		}
	}
	reports, err = e.PopulationDrift(all, risky, at)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("risky applicants: application score PSI %.3f (%v), behaviour score PSI %.3f (%v)",
		reports[0].ScorePSI, reports[0].Severity, reports[1].ScorePSI, reports[1].Severity)
	if reports[0].Severity != Critical || reports[0].Alerts[0].Code != CodeScorePSI {
		t.Errorf("risky applicants: %+v", reports[0].Alerts)
	}
	// Against the training samples.
	if _, err := e.PopulationDrift(nil, all, at); err != nil {
		t.Fatal(err)
	}
	// Decisions of another model are not a sample of this one.
	if _, err := InputsDataset(german.small, all); !errors.Is(err, ErrModel) {
		t.Errorf("foreign decisions: %v", err)
	}
	ds, err := InputsDataset(german.model, all)
	if err != nil || ds.Rows() != len(all) || len(ds.Columns) != german.model.NumVars() {
		t.Fatalf("inputs dataset: %v", err)
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
}
