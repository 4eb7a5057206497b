package segment

import (
	"errors"
	"math"
	"testing"
)

func TestFitTiers(t *testing.T) {
	// Values 50, 30, 10, 5, 3, 2 and four zeros: total 100. The top tier
	// reaches 80% with 50+30; the core reaches 95% with 10+5; the rest,
	// zeros included, is the long tail.
	vals := []float64{3, 0, 50, 5, 0, 10, 2, 30, 0, 0}
	var pop []Input
	for _, v := range vals {
		f := input("c")
		f.Value = v
		pop = append(pop, f)
	}
	m, err := FitTiers(pop, nil)
	if err != nil {
		t.Fatal(err)
	}
	top, core := m.Thresholds()
	if top != 30 || core != 5 {
		t.Errorf("thresholds %g %g, want 30 5", top, core)
	}
	want := map[float64]Tier{50: TierTop, 30: TierTop, 10: TierCore, 5: TierCore, 3: TierLongTail, 2: TierLongTail, 0: TierLongTail, -4: TierLongTail, 1e9: TierTop}
	for v, tier := range want {
		if got := m.Tier(v); got != tier {
			t.Errorf("Tier(%g) = %v, want %v", v, got, tier)
		}
	}
	s := m.Summary()
	if s.Customers != [4]int{0, 2, 2, 6} || s.Total != 100 {
		t.Errorf("summary %+v", s)
	}
	if s.Share(TierTop) != 0.8 || s.Share(TierCore) != 0.15 || math.Abs(s.Share(TierLongTail)-0.05) > 1e-15 {
		t.Errorf("shares %v %v %v", s.Share(TierTop), s.Share(TierCore), s.Share(TierLongTail))
	}
	if (*TierModel)(nil).Tier(10) != TierNone {
		t.Error("nil model")
	}
	for tier, n := range map[Tier]string{TierTop: "top", TierCore: "core", TierLongTail: "long_tail", TierNone: "none", 7: "invalid"} {
		if tier.String() != n {
			t.Errorf("%d: %q", tier, tier.String())
		}
	}
}

func TestFitTiersTiesAndEdges(t *testing.T) {
	// Ten equal customers: the first eight reach 80%, and the tie keeps
	// all ten together in the top tier.
	m, err := FitTierValues([]float64{7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Summary(); s.Customers[TierTop] != 10 {
		t.Errorf("ties split: %+v", s)
	}
	// A single customer with value is top tier.
	if m, err = FitTierValues([]float64{12.5}, nil); err != nil || m.Tier(12.5) != TierTop {
		t.Errorf("single customer: %v %v", m, err)
	}
	// All zero (and negative) value: everyone is long tail, no NaN.
	m, err = FitTierValues([]float64{0, 0, -3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if top, core := m.Thresholds(); !math.IsInf(top, 1) || !math.IsInf(core, 1) {
		t.Errorf("zero value thresholds %g %g", top, core)
	}
	if s := m.Summary(); s.Customers[TierLongTail] != 3 || s.Share(TierLongTail) != 0 {
		t.Errorf("zero value summary %+v", s)
	}
	// Custom shares: 50/30/20.
	m, err = FitTierValues([]float64{40, 20, 20, 10, 10}, &TierOptions{TopShare: 0.5, CoreShare: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if top, core := m.Thresholds(); top != 20 || core != 20 {
		t.Errorf("50/30 thresholds %g %g", top, core)
	}
}

func TestFitTiersBadInput(t *testing.T) {
	if _, err := FitTierValues(nil, nil); !errors.Is(err, ErrEmptyPopulation) {
		t.Errorf("empty: %v", err)
	}
	var fe *FieldError
	if _, err := FitTierValues([]float64{1, math.NaN()}, nil); !errors.As(err, &fe) || fe.Index != 1 || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN: %v", err)
	}
	f := input("x")
	f.Value = math.Inf(-1)
	if _, err := FitTiers([]Input{input("a"), f}, nil); !errors.As(err, &fe) || fe.Index != 1 {
		t.Errorf("infinite: %v", err)
	}
	for name, o := range map[string]TierOptions{
		"top 1":        {TopShare: 1},
		"negative":     {CoreShare: -0.1},
		"NaN":          {TopShare: math.NaN()},
		"sum above 1":  {TopShare: 0.9, CoreShare: 0.2},
		"core above 1": {CoreShare: 1.5},
	} {
		if _, err := FitTierValues([]float64{1}, &o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
