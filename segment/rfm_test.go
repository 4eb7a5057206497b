package segment

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// buyer returns the input of a customer with the given purchases, whose
// value is what they spent.
func buyer(id string, recency float64, purchases int, monetary float64) Input {
	f := input(id)
	f.Profile.RecencyDays, f.Profile.Purchases, f.Profile.PurchaseDays = recency, purchases, purchases
	f.Profile.Monetary, f.Value = decimal.NewFromFloat(monetary), monetary
	return f
}

func TestFitRFMCutPoints(t *testing.T) {
	// Ten buyers: recency 1..10 days, purchases 10..1, monetary 100..1000,
	// and two customers without purchases, who take no part.
	var pop []Input
	for i := 1; i <= 10; i++ {
		pop = append(pop, buyer("b", float64(i), 11-i, float64(100*i)))
	}
	pop = append(pop, input("n1"), input("n2"))
	m, err := FitRFM(pop, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, f, v := m.CutPoints()
	// The ⌈k·10/5⌉-th smallest value: the 2nd, 4th, 6th and 8th.
	if d := cmp.Diff([4]float64{2, 4, 6, 8}, r); d != "" {
		t.Errorf("recency cuts (-want +got):\n%s", d)
	}
	if d := cmp.Diff([4]float64{2, 4, 6, 8}, f); d != "" {
		t.Errorf("frequency cuts (-want +got):\n%s", d)
	}
	if d := cmp.Diff([4]float64{200, 400, 600, 800}, v); d != "" {
		t.Errorf("monetary cuts (-want +got):\n%s", d)
	}
	if m.Customers() != 10 {
		t.Errorf("Customers() = %d, want 10", m.Customers())
	}
	tests := []struct {
		f    Input
		want RFMScore
	}{
		{buyer("x", 1, 10, 1000), RFMScore{5, 5, 5, RFMChampions}},
		{buyer("x", 2, 9, 900), RFMScore{5, 5, 5, RFMChampions}}, // equal to a cut: the lower level
		{buyer("x", 2.5, 8, 800), RFMScore{4, 4, 4, RFMLoyal}},
		{buyer("x", 0, 1, 1), RFMScore{5, 1, 1, RFMNew}},
		{buyer("x", 5, 3, 300), RFMScore{3, 2, 2, RFMAboutToSleep}},
		{buyer("x", 6, 5, 500), RFMScore{3, 3, 3, RFMNeedAttention}},
		{buyer("x", 30, 10, 5000), RFMScore{1, 5, 5, RFMCantLose}},
		{buyer("x", 9, 6, 10), RFMScore{1, 3, 1, RFMAtRisk}},
		{buyer("x", 365, 1, 10), RFMScore{1, 1, 1, RFMHibernating}},
		{buyer("x", 4, 1, 10), RFMScore{4, 1, 1, RFMPromising}},
		{buyer("x", 3, 3, 10), RFMScore{4, 2, 1, RFMPotentialLoyalist}},
		{input("none"), RFMScore{Segment: RFMProspect}},
	}
	for _, tc := range tests {
		if got := m.Score(&tc.f); got != tc.want {
			t.Errorf("Score(R=%g F=%d M=%v) = %+v, want %+v", tc.f.Profile.RecencyDays, tc.f.Profile.Purchases, tc.f.Profile.Monetary, got, tc.want)
		}
	}
	if got := (*RFMModel)(nil).Score(&pop[0]); got != (RFMScore{}) {
		t.Errorf("nil model: %+v", got)
	}
	if c := (RFMScore{5, 4, 3, ""}).Code(); c != "543" {
		t.Errorf("Code() = %q", c)
	}
}

// TestRFMTies: equal values always score alike, whatever their order in
// the population.
func TestRFMTies(t *testing.T) {
	var pop []Input
	for i := range 100 {
		n := 1 // 70 single-purchase customers
		if i >= 70 {
			n = 2 + i%5
		}
		pop = append(pop, buyer("b", float64(i%30), n, float64(10*(i%17+1))))
	}
	m, err := FitRFM(pop, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, f, _ := m.CutPoints()
	if f[0] != 1 || f[2] != 1 {
		t.Errorf("frequency cuts %v: the 70%% at one purchase should fill the first three", f)
	}
	seen := map[[3]float64]RFMScore{}
	for i := range pop {
		s := m.Score(&pop[i])
		k := [3]float64{pop[i].Profile.RecencyDays, float64(pop[i].Profile.Purchases), pop[i].Profile.Monetary.InexactFloat64()}
		if prev, ok := seen[k]; ok && prev != s {
			t.Fatalf("equal values scored %+v and %+v", prev, s)
		}
		seen[k] = s
		if pop[i].Profile.Purchases == 1 && s.F != 1 {
			t.Errorf("single purchase scored F=%d", s.F)
		}
	}
	// Reversing the population changes nothing.
	rev := make([]Input, len(pop))
	for i := range pop {
		rev[len(pop)-1-i] = pop[i]
	}
	m2, err := FitRFM(rev, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, f1, v1 := m.CutPoints()
	r2, f2, v2 := m2.CutPoints()
	if r1 != r2 || f1 != f2 || v1 != v2 {
		t.Error("cut points depend on population order")
	}
}

func TestFitRFMBadInput(t *testing.T) {
	var four []Input
	for i := range 4 {
		four = append(four, buyer("b", float64(i), 1, 10))
	}
	noBuyers := []Input{input("a"), input("b"), input("c"), input("d"), input("e"), input("f")}
	tests := []struct {
		name string
		pop  []Input
		want error
	}{
		{"empty", nil, ErrEmptyPopulation},
		{"single customer", four[:1], ErrTooFewPurchasers},
		{"four buyers", four, ErrTooFewPurchasers},
		{"all-zero frequency", noBuyers, ErrTooFewPurchasers},
		{"negative monetary", append(four[:4:4], buyer("x", 1, 1, -0.01)), ErrInvalidInput},
		{"NaN recency", append(four[:4:4], buyer("x", math.NaN(), 1, 1)), ErrInvalidInput},
		{"negative recency", append(four[:4:4], buyer("x", -3, 1, 1)), ErrInvalidInput},
		{"negative purchases", append(four[:4:4], buyer("x", 1, -1, 1)), ErrInvalidInput},
	}
	for _, tc := range tests {
		m, err := FitRFM(tc.pop, nil)
		if !errors.Is(err, tc.want) || m != nil {
			t.Errorf("%s: got %v, %v; want %v", tc.name, m, err, tc.want)
		}
	}
	var pe *PopulationError
	if _, err := FitRFM(noBuyers, nil); !errors.As(err, &pe) || pe.Got != 0 || pe.Need != 5 {
		t.Errorf("all-zero frequency: %v", err)
	}
	var fe *FieldError
	huge := buyer("x", 1, 1, 1)
	huge.Profile.Monetary = decimal.New(1, 400) // beyond float64
	if _, err := FitRFM(append(four[:4:4], huge), nil); !errors.As(err, &fe) || fe.Index != 4 || fe.Field != "Profile.Monetary" {
		t.Errorf("monetary beyond float64: %v", err)
	}
	// Five identical buyers fit: every cut is their value, and they all
	// score R=5 (most recent) F=1 M=1, "new".
	five := append(four[:1:1], four[0], four[0], four[0], four[0])
	m, err := FitRFM(five, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Score(&five[0]); s != (RFMScore{5, 1, 1, RFMNew}) {
		t.Errorf("identical buyers: %+v", s)
	}
}

func TestDefaultRFMSegmentsCoverGrid(t *testing.T) {
	m, err := newRFMModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]uint8]string{
		{5, 1}: "new", {5, 2}: "potential_loyalist", {5, 3}: "potential_loyalist", {5, 4}: "champions", {5, 5}: "champions",
		{4, 1}: "promising", {4, 2}: "potential_loyalist", {4, 3}: "potential_loyalist", {4, 4}: "loyal", {4, 5}: "loyal",
		{3, 1}: "about_to_sleep", {3, 2}: "about_to_sleep", {3, 3}: "need_attention", {3, 4}: "loyal", {3, 5}: "loyal",
		{2, 1}: "hibernating", {2, 2}: "hibernating", {2, 3}: "at_risk", {2, 4}: "at_risk", {2, 5}: "cant_lose",
		{1, 1}: "hibernating", {1, 2}: "hibernating", {1, 3}: "at_risk", {1, 4}: "at_risk", {1, 5}: "cant_lose",
	}
	for k, name := range want {
		for mm := uint8(1); mm <= 5; mm++ {
			if got := m.names[cell(k[0], k[1], mm)]; got != name {
				t.Errorf("R=%d F=%d M=%d: %q, want %q", k[0], k[1], mm, got, name)
			}
		}
	}
	if got := strings.Join(m.Segments(), ","); got != "champions,loyal,potential_loyalist,new,promising,need_attention,about_to_sleep,cant_lose,at_risk,hibernating,prospect" {
		t.Errorf("Segments() = %s", got)
	}
}

func TestRFMOptions(t *testing.T) {
	// A bank's own naming: whales by monetary, everyone else "regular".
	opts := &RFMOptions{
		Segments:   []RFMRule{{Name: "whale", M: ScoreRange{5, 5}}, {Name: "regular"}},
		NoPurchase: "never_bought",
	}
	var pop []Input
	for i := 1; i <= 10; i++ {
		pop = append(pop, buyer("b", 1, 1, float64(i)))
	}
	m, err := FitRFM(pop, opts)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Score(&pop[9]); s.Segment != "whale" {
		t.Errorf("top spender: %+v", s)
	}
	if s := m.Score(&pop[0]); s.Segment != "regular" {
		t.Errorf("low spender: %+v", s)
	}
	nf := input("n")
	if s := m.Score(&nf); s.Segment != "never_bought" {
		t.Errorf("no purchase: %+v", s)
	}
	for name, o := range map[string]RFMOptions{
		"gap":        {Segments: []RFMRule{{Name: "recent", R: ScoreRange{4, 5}}}},
		"bad name":   {Segments: []RFMRule{{Name: "Bad Name"}}},
		"bad range":  {Segments: []RFMRule{{Name: "x", F: ScoreRange{0, 6}}}},
		"min > max":  {Segments: []RFMRule{{Name: "x", F: ScoreRange{4, 2}}}},
		"colon name": {NoPurchase: "rfm:none"},
	} {
		if _, err := FitRFM(pop, &o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
