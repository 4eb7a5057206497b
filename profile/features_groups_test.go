package profile_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

func TestEveryFeatureHasAGroup(t *testing.T) {
	ft := reflect.TypeOf(profile.Features{})
	for i := 0; i < ft.NumField(); i++ {
		if _, ok := profile.FeatureGroupOf(ft.Field(i).Name); !ok {
			t.Errorf("field %s has no group", ft.Field(i).Name)
		}
	}
	if _, ok := profile.FeatureGroupOf("NoSuchField"); ok {
		t.Error("an unknown name has a group")
	}
}

// TestFeaturesIntoMatchesFeatures checks, group by group on simulated
// customers, that FeaturesInto fills exactly the group's fields with the
// values Features gives, and leaves every other field at its default.
func TestFeaturesIntoMatchesFeatures(t *testing.T) {
	b, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	blank := reflect.ValueOf(profile.Features{DaysSinceLastSession: -1, DaysSinceLastDebit: -1, RecencyDays: -1,
		SalaryDays: -1, PensionDays: -1})
	ft := blank.Type()
	eq := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	for i := 0; i < 12; i++ {
		c, err := synth.Config{Seed: 5, Months: 8}.Customer(i)
		if err != nil {
			t.Fatal(err)
		}
		p := build(t, b, &c)
		now := p.Watermark().AddDate(0, 0, 3)
		full := reflect.ValueOf(p.Features(now))
		for g := profile.FeatureGroup(1); g < profile.AllFeatures; g <<= 1 {
			var f profile.Features
			p.FeaturesInto(&f, now, g)
			got := reflect.ValueOf(f)
			for k := 0; k < ft.NumField(); k++ {
				name := ft.Field(k).Name
				fg, _ := profile.FeatureGroupOf(name)
				want := blank.Field(k)
				if fg&g != 0 {
					want = full.Field(k)
				}
				if name == "CustomerID" {
					want = full.Field(k) // always set
				}
				if d := cmp.Diff(want.Interface(), got.Field(k).Interface(), eq); d != "" {
					t.Fatalf("customer %d group %b field %s (-want +got):\n%s", i, g, name, d)
				}
			}
		}
	}
}

func TestFeaturesIntoWithoutMoneyDoesNotAllocate(t *testing.T) {
	b, _ := profile.NewBuilder(nil)
	c, _ := synth.Config{Seed: 5, Months: 6}.Customer(3)
	p := build(t, b, &c)
	now := p.Watermark()
	cheap := profile.FeatureFinancial | profile.FeatureSpend | profile.FeatureIncome | profile.FeatureBills |
		profile.FeatureIdentities | profile.FeatureActivity
	var f profile.Features
	if n := testing.AllocsPerRun(50, func() { p.FeaturesInto(&f, now, cheap) }); n != 0 {
		t.Fatalf("%.0f allocations", n)
	}
}
