package segment

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// handProfile folds a year of a young parent's life: four months of
// history before a first salary, then salary, child care, a car loan,
// purchases and app use.
func handProfile(t *testing.T) (*profile.Profile, time.Time) {
	t.Helper()
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{"Suanpan Bank"}})
	if err != nil {
		t.Fatal(err)
	}
	p := profile.New("c42")
	if err := p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", Occupation: "employee",
		BirthDate: time.Date(1994, 6, 15, 0, 0, 0, 0, time.UTC), Joined: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var evs []profile.Event
	txn := func(at time.Time, k profile.Kind, amount, who string, mcc uint16) {
		evs = append(evs, profile.Event{ID: fmt.Sprintf("e%d", len(evs)), CustomerID: "c42", Time: at,
			Type: profile.TypeTransaction, Kind: k, Direction: k.Direction(), Amount: decimal.RequireFromString(amount),
			Currency: "CNY", Channel: profile.ChannelApp, Counterparty: who, MCC: mcc})
	}
	feat := func(at time.Time, name string) {
		evs = append(evs, profile.Event{ID: fmt.Sprintf("e%d", len(evs)), CustomerID: "c42", Time: at,
			Type: profile.TypeFeature, Feature: name, Channel: profile.ChannelApp})
	}
	for m := time.January; m <= time.December; m++ {
		day := func(d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
		txn(day(2), profile.KindPurchase, "120.50", "Hema Fresh", 5411)
		feat(day(3), "transfer")
		if m >= time.May {
			txn(day(10), profile.KindSalary, "15000.00", "Acme Ltd", 0)
			txn(day(12), profile.KindBillPayment, "2500.00", "Sunshine Kindergarten", 8351)
			txn(day(20), profile.KindLoanRepayment, "3000.00", "BYD Auto Finance", 0)
			feat(day(21), "wealth")
		}
	}
	for i := range evs {
		if err := b.Apply(p, &evs[i], evs[i].Time); err != nil {
			t.Fatal(err)
		}
	}
	return p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
}

func TestNewInput(t *testing.T) {
	p, now := handProfile(t)
	in, err := NewInput(p, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &in.Profile
	if f.CustomerID != "c42" || f.AgeYears != 31 || f.Occupation != "employee" {
		t.Errorf("attributes %q %v %q", f.CustomerID, f.AgeYears, f.Occupation)
	}
	if math.Abs(f.TenureDays-396) > 1e-9 || math.Abs(f.HistoryDays-(363+14.0/24)) > 1e-9 {
		t.Errorf("tenure %v history %v", f.TenureDays, f.HistoryDays)
	}
	// The first salary was paid on 10 May 2025 at 10:00, 235 days and 14
	// hours before now.
	if want := 235 + 14.0/24; math.Abs(f.SalaryDays-want) > 1e-9 {
		t.Errorf("SalaryDays %v, want %v", f.SalaryDays, want)
	}
	if f.Loans != 1 || f.OtherLenders != 1 || f.Spend.Childcare <= 0 || f.Spend.Groceries <= 0 {
		t.Errorf("loans %d/%d childcare %v groceries %v", f.Loans, f.OtherLenders, f.Spend.Childcare, f.Spend.Groceries)
	}
	if f.Purchases != 12 || !f.Monetary.Equal(decimal.RequireFromString("1446")) || in.Value != 1446 ||
		math.Abs(f.RecencyDays-(29+14.0/24)) > 1e-9 {
		t.Errorf("purchases %d monetary %v value %v recency %v", f.Purchases, f.Monetary, in.Value, f.RecencyDays)
	}
	if !(in.WealthUse > 0.3 && in.WealthUse < 0.7) {
		t.Errorf("WealthUse %v", in.WealthUse)
	}
	// Only the groups lifecycle staging, RFM and tiers read: no devices,
	// no sessions.
	if in.Groups != inputGroups || f.Sessions != 0 || f.DaysSinceLastSession != -1 {
		t.Errorf("groups %b, sessions %d, days since session %v", in.Groups, f.Sessions, f.DaysSinceLastSession)
	}
	// Filled fields are the profile's Features.
	all := p.Features(now)
	if f.DTI != all.DTI || f.Spend != all.Spend || f.SalaryDays != all.SalaryDays || f.MonthlyIncome != all.MonthlyIncome {
		t.Error("NewInput differs from profile.Features")
	}
	// The assigner sees a young parent.
	a, _ := New(Config{})
	got, err := a.Assign(&in, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != StageFamilyFormation {
		t.Errorf("stage %v, evidence %v", got.Stage, got.StageEvidence)
	}
	// Custom wealth functions: none of this customer's.
	g, _ := NewInput(p, now, &InputOptions{WealthFunctions: []string{"funds"}})
	if g.WealthUse != 0 {
		t.Errorf("custom wealth functions: %v", g.WealthUse)
	}
	if _, err := NewInput(nil, now, nil); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil profile: %v", err)
	}
	if _, err := NewInput(p, time.Time{}, nil); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("zero now: %v", err)
	}
	empty, err := NewInput(profile.New("nobody"), now, nil)
	if err != nil || empty.Validate() != nil || empty.Profile.SalaryDays != -1 || empty.Profile.RecencyDays != -1 || empty.Profile.HistoryDays != 0 {
		t.Errorf("empty profile: %+v %v", empty, err)
	}
	// Monetary read as a float64 follows a change of the decimal.
	if in.monetary() != 1446 {
		t.Errorf("monetary %v", in.monetary())
	}
	changed := in
	changed.Profile.Monetary = decimal.RequireFromString("99.5")
	if changed.monetary() != 99.5 || in.monetary() != 1446 {
		t.Errorf("changed monetary %v, original %v", changed.monetary(), in.monetary())
	}
	changed.Profile.Monetary = decimal.RequireFromString("-0.01")
	rfm, _ := newRFMModel(nil)
	withRFM, _ := New(Config{RFM: rfm})
	var mfe *FieldError
	if _, err := withRFM.Assign(&changed, now); !errors.As(err, &mfe) || mfe.Field != "Profile.Monetary" {
		t.Errorf("negative monetary after NewInput: %v", err)
	}
	// Before the customer joined, tenure is negative: an error naming it.
	var fe *FieldError
	if _, err := NewInput(p, time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), nil); !errors.As(err, &fe) ||
		!errors.Is(err, ErrInvalidInput) || fe.Field != "Profile.TenureDays" {
		t.Errorf("now before joining: %v", err)
	}
}

// TestNewInputComputesWhatSegmentsRead: with a catalog, NewInput adds the
// groups its expressions name, and the assigner refuses an input that
// lacks them.
func TestNewInputComputesWhatSegmentsRead(t *testing.T) {
	p, now := handProfile(t)
	cat, err := Compile("v", []Definition{
		{ID: "active", Expr: `Profile.Sessions > 0 || Profile.TopAppFunction == "wealth"`},
		{ID: "parents", Expr: `Profile.Spend.Childcare > 0 && WealthUse > 0.2`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if g := cat.FeatureGroups(); g != profile.FeatureActivity|profile.FeatureSpend {
		t.Errorf("catalog reads %b", g)
	}
	a, err := New(Config{Segments: cat})
	if err != nil {
		t.Fatal(err)
	}
	if g := a.FeatureGroups(); g != stageGroups|profile.FeatureActivity {
		t.Errorf("assigner reads %b", g)
	}
	in, err := NewInput(p, now, &InputOptions{Segments: cat})
	if err != nil {
		t.Fatal(err)
	}
	if in.Groups != inputGroups|profile.FeatureActivity || in.Profile.TopAppFunction != "wealth" {
		t.Errorf("groups %b, top function %q", in.Groups, in.Profile.TopAppFunction)
	}
	got, err := a.Assign(&in, now)
	if err != nil {
		t.Fatal(err)
	}
	if !got.In("active") || !got.In("parents") {
		t.Errorf("segments %v", got.Segments)
	}
	// Without the catalog, the activity group is missing: an error, not a
	// silent zero.
	short, _ := NewInput(p, now, nil)
	var fe *FieldError
	if _, err := a.Assign(&short, now); !errors.As(err, &fe) || fe.Field != "Groups" || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("missing groups: %v", err)
	}
	// Zero Groups means every group: the caller vouches for the fields.
	short.Groups = 0
	if _, err := a.Assign(&short, now); err != nil {
		t.Errorf("zero groups: %v", err)
	}
	// An expression using Profile as a whole reads every group; a nil
	// catalog none.
	whole, err := Compile("v", []Definition{{ID: "w", Expr: `Profile != nil`}})
	if err != nil {
		t.Fatal(err)
	}
	if whole.FeatureGroups() != profile.AllFeatures || (*Catalog)(nil).FeatureGroups() != 0 {
		t.Errorf("whole %b", whole.FeatureGroups())
	}
}

// TestSegmentGroupsSuffice: on the simulated population, inputs holding
// only the groups the configuration reads give exactly the assignments
// of inputs with every group filled.
func TestSegmentGroupsSuffice(t *testing.T) {
	v, defs := segments20(t)
	a, pop := fitted(t, defs, v)
	ps := simProfiles(t, 40)
	for _, p := range ps {
		in, err := NewInput(p, simNow, &InputOptions{Segments: a.cat})
		if err != nil {
			t.Fatal(err)
		}
		if in.Groups == profile.AllFeatures {
			t.Fatal("the 20 segments read every group")
		}
		full := in
		full.Profile, full.Groups = p.Features(simNow), profile.AllFeatures
		got, err := a.Assign(&in, simNow)
		if err != nil {
			t.Fatal(err)
		}
		want, err := a.Assign(&full, simNow)
		if err != nil {
			t.Fatal(err)
		}
		if !sameAssignment(&got, &want) {
			t.Errorf("%s (-all groups +needed groups):\n%s", p.CustomerID(), cmp.Diff(want, got, cmpAssignment))
		}
	}
	if len(pop) == 0 {
		t.Fatal("no population")
	}
}

// TestValidateCoversEveryField: every number of an Input — each field of
// profile.Features, its spending rates and money, WealthUse and Value — is
// checked, and the error names it.
func TestValidateCoversEveryField(t *testing.T) {
	base := input("c")
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	checked := 0
	try := func(name string, set func(in *Input)) {
		t.Helper()
		in := base
		set(&in)
		err := in.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || !errors.Is(err, ErrInvalidInput) || fe.Field != name {
			t.Errorf("%s: got %v", name, err)
		}
		checked++
	}
	ft := reflect.TypeFor[profile.Features]()
	for i := range ft.NumField() {
		sf := ft.Field(i)
		name := "Profile." + sf.Name
		switch sf.Type {
		case reflect.TypeFor[float64]():
			try(name, func(in *Input) { reflect.ValueOf(&in.Profile).Elem().Field(i).SetFloat(math.NaN()) })
			if sf.Name != "Disposable" { // may be negative
				try(name, func(in *Input) { reflect.ValueOf(&in.Profile).Elem().Field(i).SetFloat(-2) })
			}
			try(name, func(in *Input) { reflect.ValueOf(&in.Profile).Elem().Field(i).SetFloat(math.Inf(1)) })
		case reflect.TypeFor[int]():
			try(name, func(in *Input) { reflect.ValueOf(&in.Profile).Elem().Field(i).SetInt(-1) })
		case reflect.TypeFor[decimal.Decimal]():
			try(name, func(in *Input) {
				reflect.ValueOf(&in.Profile).Elem().Field(i).Set(reflect.ValueOf(decimal.New(-1, -2)))
			})
		case reflect.TypeFor[profile.Spending]():
			st := sf.Type
			for k := range st.NumField() {
				try(name+"."+st.Field(k).Name, func(in *Input) {
					reflect.ValueOf(&in.Profile.Spend).Elem().Field(k).SetFloat(-0.5)
				})
			}
		case reflect.TypeFor[string](), reflect.TypeFor[bool]():
		default:
			t.Errorf("%s: type %v not validated", name, sf.Type)
		}
	}
	try("WealthUse", func(in *Input) { in.WealthUse = 1.01 })
	try("WealthUse", func(in *Input) { in.WealthUse = math.NaN() })
	try("Value", func(in *Input) { in.Value = math.Inf(-1) })
	try("Profile.RecencyDays", func(in *Input) { in.Profile.Purchases = 1 })
	t.Logf("%d invalid inputs checked", checked)
	// What is valid: -0, "never" (-1) durations, negative value and
	// disposable income, shares at the bounds.
	ok := base
	ok.Profile.AgeYears, ok.Profile.DaysSinceLastDebit, ok.Profile.Disposable = math.Copysign(0, -1), -1, -300
	ok.Profile.NightShare, ok.WealthUse, ok.Value = 1, 0, -50
	ok.Profile.Spend.Fuel = math.MaxFloat64
	ok.Profile.Spend.Cash = math.MaxFloat64
	if err := ok.Validate(); err != nil {
		t.Errorf("valid input: %v", err)
	}
}

// TestMoneyFieldsAreFeaturesDecimals: the money fields validation knows
// are exactly the decimal fields of profile.Features.
func TestMoneyFieldsAreFeaturesDecimals(t *testing.T) {
	var f profile.Features
	var want, got []string
	ft := reflect.TypeFor[profile.Features]()
	for i := range ft.NumField() {
		if ft.Field(i).Type == reflect.TypeFor[decimal.Decimal]() {
			want = append(want, ft.Field(i).Name)
		}
	}
	for i := range numMoney {
		name, d := moneyField(&f, i)
		got = append(got, name)
		if v, _ := reflect.ValueOf(&f).Elem().FieldByName(name).Addr().Interface().(*decimal.Decimal); v != d {
			t.Errorf("%s: wrong field", name)
		}
	}
	if d := cmp.Diff(want, got, cmp.Transformer("sort", func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	})); d != "" {
		t.Errorf("money fields (-features +known):\n%s", d)
	}
	if m := moneyOf([]string{"Monetary", "DTI", "Sum30d"}); m != moneyMonetary|moneySum30d {
		t.Errorf("moneyOf %b", m)
	}
	for c := range profile.NumCategories {
		s := profile.Spending{}
		reflect.ValueOf(&s).Elem().FieldByName(spendName(c)).SetFloat(7)
		if s.Of(profile.Category(c)) != 7 {
			t.Errorf("category %d is not field %s", c, spendName(c))
		}
	}
}
