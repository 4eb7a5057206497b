package profile_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// build folds one simulated customer's events, returning the profile.
func build(t testing.TB, b *profile.Builder, c *synth.Customer) *profile.Profile {
	t.Helper()
	p := profile.New(c.ID)
	if err := p.SetCustomer(c.Customer); err != nil {
		t.Fatal(err)
	}
	for i := range c.Events {
		if err := b.Apply(p, &c.Events[i], c.Events[i].Time); err != nil {
			t.Fatalf("customer %s event %d: %v", c.ID, i, err)
		}
	}
	return p
}

// detection scores the profile's streams against the simulator's truth:
// of the truth streams that are mature at the end (three or more payments,
// still running, the last three on schedule), how many the profile found
// with the right payer and frequency and the right next date (within a
// day, and exactly).
type detection struct{ streams, payer, frequency, nextDay, nextExact int }

func (d *detection) add(now time.Time, truth []synth.Stream, found []profile.Stream) {
	for _, s := range truth {
		if s.Frequency == profile.FrequencyUnknown || s.Count < 3 || s.Next(s.Last).Before(now) {
			continue // irregular, young or already ended
		}
		late := false
		for _, x := range s.Exceptions {
			if x.Due.After(s.Last.AddDate(0, -3, 0)) {
				late = true // a recent late or missed payment: not on cadence
			}
		}
		if late {
			continue
		}
		d.streams++
		for _, f := range found {
			if f.Counterparty != s.Counterparty {
				continue
			}
			d.payer++
			if f.Frequency != s.Frequency {
				break
			}
			d.frequency++
			want := s.Next(s.Last)
			if diff := f.NextDate.Sub(want); diff >= -24*time.Hour && diff <= 24*time.Hour {
				d.nextDay++
			}
			if f.NextDate.Equal(want) {
				d.nextExact++
			}
			break
		}
	}
}

func (d detection) String() string {
	pc := func(n int) float64 { return 100 * float64(n) / float64(max(d.streams, 1)) }
	return fmt.Sprintf("%d mature streams: payer %.1f%%, frequency %.1f%%, next date ±1 day %.1f%%, exact %.1f%%",
		d.streams, pc(d.payer), pc(d.frequency), pc(d.nextDay), pc(d.nextExact))
}

func TestIncomeAndBillDetectionMatchSimulatorTruth(t *testing.T) {
	for _, market := range []synth.Market{synth.MarketCN, synth.MarketEU} {
		cs, err := synth.Generate(synth.Config{Seed: 7, Customers: 300, Months: 9, Market: market})
		if err != nil {
			t.Fatal(err)
		}
		b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
		if err != nil {
			t.Fatal(err)
		}
		var income, bills detection
		for i := range cs {
			p := build(t, b, &cs[i])
			now := p.Watermark()
			income.add(now, cs[i].Income, p.IncomeStreams(now))
			bills.add(now, cs[i].Bills, p.Bills(now))
		}
		t.Logf("%s income: %v", market, income)
		t.Logf("%s bills:  %v", market, bills)
		for name, d := range map[string]detection{"income": income, "bills": bills} {
			if d.streams < 100 {
				t.Fatalf("%s %s: only %d mature streams in the sample", market, name, d.streams)
			}
			if d.nextDay*100 < 95*d.streams || d.frequency*100 < 95*d.streams {
				t.Errorf("%s %s: %v; want payer, frequency and next date right for >= 95%%", market, name, d)
			}
		}
	}
}

// TestSimulatedProfilesAreBounded checks the size bound on realistic
// histories: the largest encoded profile after one simulated year stays
// within 4 KiB, and ten years of the same customers do not grow it.
func TestSimulatedProfilesAreBounded(t *testing.T) {
	b, _ := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	maxSize := func(months int) int {
		largest := 0
		for i := 0; i < 40; i++ {
			c, err := synth.Config{Seed: 3, Months: months}.Customer(i)
			if err != nil {
				t.Fatal(err)
			}
			data, err := build(t, b, &c).MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			largest = max(largest, len(data))
		}
		return largest
	}
	year, decade := maxSize(12), maxSize(120)
	t.Logf("largest encoded profile: %d B after 1 year, %d B after 10 years", year, decade)
	if year > 4096 || decade > 4096 {
		t.Fatalf("largest profile %d B (1 year), %d B (10 years); bound 4096", year, decade)
	}
}

func TestDeterministicProfiles(t *testing.T) {
	b, _ := profile.NewBuilder(nil)
	c1, _ := synth.Config{Seed: 11}.Customer(5)
	c2, _ := synth.Config{Seed: 11}.Customer(5)
	x, _ := build(t, b, &c1).MarshalBinary()
	y, _ := build(t, b, &c2).MarshalBinary()
	if string(x) != string(y) {
		t.Fatal("same events gave different profiles")
	}
}
