package credit

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestPolicyDefaults checks that the zero Policy resolves to the defaults
// the documentation states.
func TestPolicyDefaults(t *testing.T) {
	got, err := Policy{}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	want := Policy{
		Version:   got.Version,
		ApprovePD: 1.0 / 12, DeclinePD: 1.0 / 6,
		Bands:      []Band{{"A", 0.02, 1}, {"B", 0.05, 0.85}, {"C", 0.10, 0.70}, {"D", 0.20, 0.50}},
		MaxDTI:     0.43,
		AnnualRate: decimal.RequireFromString("0.12"), MaxTermMonths: 60,
		BehaviourWeight: 0.5,
		Verification:    VerificationPolicy{IncomeTolerance: 1.2, IncomeOverstated: 1.5, IncomeUnderstated: 0.7, EmployerSimilarity: 0.5, DeviceMinDays: 30},
		ReferOn: []Code{CodeIncomeOverstated, CodeIncomeNotObserved, CodeEmployerMismatch, CodeDeviceNew,
			CodeDeviceShared, CodeContactMismatch, CodeContactShared},
		LateGraceDays: 5, DelinquentDays: 30, ModelReasons: 4,
		Review:  ReviewPolicy{WatchDrop: 0.15, DecreaseDrop: 0.30, IncreaseRise: 0.20, MaxCV: 0.5, StableCV: 0.15, MinMonthsOnBook: 6},
		Warning: WarningPolicy{IncomeDropWarning: 0.2, IncomeDropCritical: 0.4, DrainWarning: 0.5, DrainCritical: 1, DrainMonths: 3, ScoreDropWarning: 1, ScoreDropCritical: 2, NewLendersCritical: 2},
		Drift:   DriftPolicy{Warning: 0.1, Critical: 0.25},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("defaults (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got.Version, "policy-") || len(got.Version) != len("policy-")+16 {
		t.Fatalf("version %q", got.Version)
	}
	// Resolving a resolved policy changes nothing.
	again, err := got.Resolve()
	if err != nil || !cmp.Equal(got, again) {
		t.Fatalf("Resolve is not idempotent: %v", cmp.Diff(got, again))
	}
}

func TestPolicyVersion(t *testing.T) {
	a, _ := Policy{}.Resolve()
	b, _ := Policy{MaxDTI: 0.43}.Resolve() // the default, spelled out
	c, _ := Policy{MaxDTI: 0.40}.Resolve()
	d, _ := Policy{Version: "retail-2026-03"}.Resolve()
	if a.Version != b.Version {
		t.Errorf("same rules, different versions %q %q", a.Version, b.Version)
	}
	if a.Version == c.Version {
		t.Errorf("different rules, same version %q", a.Version)
	}
	if d.Version != "retail-2026-03" {
		t.Errorf("explicit version %q", d.Version)
	}
	f, _ := Policy{InterestFree: true}.Resolve()
	if !f.AnnualRate.IsZero() {
		t.Errorf("interest-free rate %v", f.AnnualRate)
	}
	n, _ := Policy{ReferOn: []Code{}}.Resolve()
	if n.ReferOn == nil || len(n.ReferOn) != 0 {
		t.Errorf("empty ReferOn became %v", n.ReferOn)
	}
}

func TestPolicyErrors(t *testing.T) {
	cases := []struct {
		name  string
		p     Policy
		field string
	}{
		{"approve above decline", Policy{ApprovePD: 0.3, DeclinePD: 0.2}, "Policy.ApprovePD"},
		{"decline above one", Policy{DeclinePD: 1.5}, "Policy.DeclinePD"},
		{"NaN approve", Policy{ApprovePD: math.NaN()}, "Policy.ApprovePD"},
		{"negative dti", Policy{MaxDTI: -0.1}, "Policy.MaxDTI"},
		{"dti above one", Policy{MaxDTI: 1.2}, "Policy.MaxDTI"},
		{"negative rate", Policy{AnnualRate: decimal.NewFromInt(-1)}, "Policy.AnnualRate"},
		{"absurd rate", Policy{AnnualRate: decimal.NewFromInt(50)}, "Policy.AnnualRate"},
		{"term", Policy{MaxTermMonths: 600}, "Policy.MaxTermMonths"},
		{"negative limit", Policy{MaxLimit: decimal.NewFromInt(-1)}, "Policy.MaxLimit"},
		{"min above max", Policy{MinLimit: decimal.NewFromInt(10), MaxLimit: decimal.NewFromInt(5)}, "Policy.MinLimit"},
		{"empty bands", Policy{Bands: []Band{}}, "Policy.Bands"},
		{"unsorted bands", Policy{Bands: []Band{{"A", 0.2, 1}, {"B", 0.1, 0.5}}}, "Policy.Bands[1].MaxPD"},
		{"band share", Policy{Bands: []Band{{"A", 0.5, 1.5}}}, "Policy.Bands[0].Share"},
		{"band name", Policy{Bands: []Band{{"", 0.5, 1}}}, "Policy.Bands[0].Name"},
		{"bands short of decline", Policy{Bands: []Band{{"A", 0.1, 1}}}, "Policy.Bands"},
		{"weight", Policy{BehaviourWeight: 2}, "Policy.BehaviourWeight"},
		{"tolerance", Policy{Verification: VerificationPolicy{IncomeTolerance: 0.5}}, "Policy.Verification.IncomeTolerance"},
		{"overstated under tolerance", Policy{Verification: VerificationPolicy{IncomeTolerance: 1.4, IncomeOverstated: 1.3}}, "Policy.Verification.IncomeOverstated"},
		{"delinquent under grace", Policy{LateGraceDays: 40}, "Policy.DelinquentDays"},
		{"reasons", Policy{ModelReasons: 99}, "Policy.ModelReasons"},
		{"decrease under watch", Policy{Review: ReviewPolicy{WatchDrop: 0.5, DecreaseDrop: 0.3}}, "Policy.Review.DecreaseDrop"},
		{"drain months", Policy{Warning: WarningPolicy{DrainMonths: 13}}, "Policy.Warning.DrainMonths"},
		{"drift", Policy{Drift: DriftPolicy{Warning: 0.3, Critical: 0.2}}, "Policy.Drift.Critical"},
		{"purpose", Policy{DeniedPurposes: []string{"a\x00"}}, "Policy.DeniedPurposes[0]"},
		{"refer code", Policy{ReferOn: []Code{""}}, "Policy.ReferOn[0]"},
		{"version", Policy{Version: "v\n1"}, "Policy.Version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.p.Resolve()
			var fe *FieldError
			if !errors.Is(err, ErrPolicy) || !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("error %v, want ErrPolicy on %s", err, c.field)
			}
		})
	}
}
