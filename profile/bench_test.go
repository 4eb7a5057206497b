package profile_test

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// steadyState returns profiles warmed up on the first nine months of a
// simulated year and the events of the last three months, in time order.
func steadyState(b *testing.B, customers int) (*profile.Builder, [][]byte, map[string]int, []profile.Event) {
	b.Helper()
	bld, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		b.Fatal(err)
	}
	cs, err := synth.Generate(synth.Config{Seed: 42, Customers: customers, Months: 12})
	if err != nil {
		b.Fatal(err)
	}
	cut := cs[0].Events[0].Time.AddDate(0, 9, 0)
	snaps := make([][]byte, len(cs))
	index := make(map[string]int, len(cs))
	var rest []profile.Event
	for i := range cs {
		p := profile.New(cs[i].ID)
		if err := p.SetCustomer(cs[i].Customer); err != nil {
			b.Fatal(err)
		}
		for j := range cs[i].Events {
			e := &cs[i].Events[j]
			if e.Time.Before(cut) {
				if err := bld.Apply(p, e, e.Time); err != nil {
					b.Fatal(err)
				}
			} else {
				rest = append(rest, *e)
			}
		}
		snaps[i], _ = p.MarshalBinary()
		index[cs[i].ID] = i
	}
	slices.SortStableFunc(rest, func(a, c profile.Event) int { return a.Time.Compare(c.Time) })
	return bld, snaps, index, rest
}

// BenchmarkApply measures folding a realistic mixed stream (transactions,
// sessions, app-feature use of 200 simulated customers) into warmed-up
// profiles: one op is one event.
func BenchmarkApply(b *testing.B) {
	bld, snaps, index, events := steadyState(b, 200)
	profiles := make([]*profile.Profile, len(snaps))
	restore := func() {
		for i, s := range snaps {
			profiles[i] = new(profile.Profile)
			if err := profiles[i].UnmarshalBinary(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	restore()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	var mallocs uint64
	for i := 0; i < b.N; i++ {
		k := i % len(events)
		if k == 0 && i > 0 {
			b.StopTimer()
			runtime.ReadMemStats(&after)
			mallocs += after.Mallocs - before.Mallocs
			restore()
			runtime.ReadMemStats(&before)
			b.StartTimer()
		}
		e := &events[k]
		if err := bld.Apply(profiles[index[e.CustomerID]], e, e.Time); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	mallocs += after.Mallocs - before.Mallocs
	b.ReportMetric(float64(mallocs)/float64(b.N), "allocs/event")
}

// BenchmarkEncode measures MarshalBinary (into a reused buffer) and
// UnmarshalBinary of profiles after a simulated year, and reports the
// encoded size (p50 and max over 200 customers).
func BenchmarkEncode(b *testing.B) {
	bld, snaps, index, events := steadyState(b, 200)
	profiles := make([]*profile.Profile, len(snaps))
	for i, s := range snaps {
		profiles[i] = new(profile.Profile)
		_ = profiles[i].UnmarshalBinary(s)
	}
	for i := range events {
		e := &events[i]
		if err := bld.Apply(profiles[index[e.CustomerID]], e, e.Time); err != nil {
			b.Fatal(err)
		}
	}
	sizes := make([]int, len(profiles))
	encoded := make([][]byte, len(profiles))
	for i, p := range profiles {
		encoded[i], _ = p.MarshalBinary()
		sizes[i] = len(encoded[i])
	}
	slices.Sort(sizes)
	b.Run("Marshal", func(b *testing.B) {
		var buf []byte
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf, _ = profiles[i%len(profiles)].AppendBinary(buf[:0])
		}
		b.ReportMetric(float64(sizes[len(sizes)/2]), "p50-bytes")
		b.ReportMetric(float64(sizes[len(sizes)-1]), "max-bytes")
	})
	b.Run("Unmarshal", func(b *testing.B) {
		var p profile.Profile
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := p.UnmarshalBinary(encoded[i%len(encoded)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MarshalJSON", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := profiles[i%len(profiles)].MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	now := events[len(events)-1].Time.Add(time.Hour)
	b.Run("Features", func(b *testing.B) {
		var f profile.Features
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			profiles[i%len(profiles)].FeaturesInto(&f, now, profile.AllFeatures)
		}
	})
	b.Run("FeaturesWithoutMoney", func(b *testing.B) {
		var f profile.Features
		g := profile.AllFeatures &^ (profile.FeatureMonths | profile.FeatureVelocity | profile.FeaturePurchases | profile.FeatureAttributes)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			profiles[i%len(profiles)].FeaturesInto(&f, now, g)
		}
	})
}
