// Package profiletest checks implementations of profile.Store against the
// contract documented on the interface. A bank runs TestStore against its
// own store (PostgreSQL, Redis, Cassandra, ...) in its own tests:
//
//	func TestMyStore(t *testing.T) {
//		profiletest.TestStore(t, func(t *testing.T) profile.Store {
//			return mystore.New(testDB(t)) // a fresh, empty store
//		})
//	}
package profiletest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// TestStore runs the Store conformance suite. newStore must return a fresh,
// empty store for every call.
func TestStore(t *testing.T, newStore func(t *testing.T) profile.Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Get(ctx, "nobody")
		if !errors.Is(err, profile.ErrNotFound) {
			t.Fatalf("Get of a missing profile: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("CreateThenGet", func(t *testing.T) {
		s := newStore(t)
		p := Sample(t, "c1", 60)
		v, err := s.Put(ctx, p, 0)
		if err != nil {
			t.Fatalf("Put new: %v", err)
		}
		if v == 0 {
			t.Fatal("Put returned version 0; versions of stored profiles must be > 0")
		}
		got, gv, err := s.Get(ctx, "c1")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if gv != v {
			t.Fatalf("Get version = %d, Put returned %d", gv, v)
		}
		sameProfile(t, got, p)
	})

	t.Run("CreateTwiceConflicts", func(t *testing.T) {
		s := newStore(t)
		p := Sample(t, "c1", 10)
		v, err := s.Put(ctx, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		q := Sample(t, "c1", 20)
		if _, err := s.Put(ctx, q, 0); !errors.Is(err, profile.ErrConflict) {
			t.Fatalf("second create: err = %v, want ErrConflict", err)
		}
		got, gv, err := s.Get(ctx, "c1")
		if err != nil || gv != v {
			t.Fatalf("after failed create: version %d err %v, want %d", gv, err, v)
		}
		sameProfile(t, got, p)
	})

	t.Run("StaleVersionConflictsAndWritesNothing", func(t *testing.T) {
		s := newStore(t)
		v1, err := s.Put(ctx, Sample(t, "c1", 10), 0)
		if err != nil {
			t.Fatal(err)
		}
		p2 := Sample(t, "c1", 20)
		v2, err := s.Put(ctx, p2, v1)
		if err != nil {
			t.Fatalf("update with the current version: %v", err)
		}
		if v2 <= v1 {
			t.Fatalf("versions must increase: %d then %d", v1, v2)
		}
		if _, err := s.Put(ctx, Sample(t, "c1", 30), v1); !errors.Is(err, profile.ErrConflict) {
			t.Fatalf("update with a stale version: err = %v, want ErrConflict", err)
		}
		if _, err := s.Put(ctx, Sample(t, "c1", 30), v2+1000); !errors.Is(err, profile.ErrConflict) {
			t.Fatalf("update with a future version: err = %v, want ErrConflict", err)
		}
		got, gv, err := s.Get(ctx, "c1")
		if err != nil || gv != v2 {
			t.Fatalf("after failed update: version %d err %v, want %d", gv, err, v2)
		}
		sameProfile(t, got, p2)
	})

	t.Run("StoredCopiesAreIsolated", func(t *testing.T) {
		s := newStore(t)
		p := Sample(t, "c1", 10)
		want, _ := p.MarshalBinary()
		v, err := s.Put(ctx, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		mutate(t, p)
		got, _, err := s.Get(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := got.MarshalBinary(); !bytes.Equal(b, want) {
			t.Fatal("changing a profile after Put changed the stored one")
		}
		mutate(t, got)
		again, gv, err := s.Get(ctx, "c1")
		if err != nil || gv != v {
			t.Fatal(err)
		}
		if b, _ := again.MarshalBinary(); !bytes.Equal(b, want) {
			t.Fatal("changing a profile returned by Get changed the stored one")
		}
	})

	t.Run("CustomersAreIndependent", func(t *testing.T) {
		s := newStore(t)
		a, b := Sample(t, "a", 10), Sample(t, "b", 25)
		if _, err := s.Put(ctx, a, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, b, 0); err != nil {
			t.Fatalf("creating a second customer: %v", err)
		}
		ga, _, _ := s.Get(ctx, "a")
		gb, _, _ := s.Get(ctx, "b")
		sameProfile(t, ga, a)
		sameProfile(t, gb, b)
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := s.Get(cctx, "c1"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Get with a cancelled context: err = %v, want context.Canceled", err)
		}
		if _, err := s.Put(cctx, Sample(t, "c1", 5), 0); !errors.Is(err, context.Canceled) {
			t.Fatalf("Put with a cancelled context: err = %v, want context.Canceled", err)
		}
		if _, _, err := s.Get(ctx, "c1"); !errors.Is(err, profile.ErrNotFound) {
			t.Fatalf("a Put with a cancelled context stored something: %v", err)
		}
	})

	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) {
		s := newStore(t)
		b, err := profile.NewBuilder(nil)
		if err != nil {
			t.Fatal(err)
		}
		const writers, each = 8, 25
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < each; i++ {
					id := fmt.Sprintf("w%d-%d", w, i)
					_, err := updateRetrying(ctx, s, "c1", func(p *profile.Profile) error {
						e := session("c1", id, p.Watermark().Add(time.Second).Add(0), base)
						return b.Apply(p, &e, e.Time)
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent update: %v", err)
		}
		got, _, err := s.Get(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq() != writers*each {
			t.Fatalf("after %d concurrent updates the profile has %d events: updates were lost", writers*each, got.Seq())
		}
	})
}

// updateRetrying is profile.Update with more patience, for heavy contention.
func updateRetrying(ctx context.Context, s profile.Store, id string, fn func(*profile.Profile) error) (*profile.Profile, error) {
	for {
		p, err := profile.Update(ctx, s, id, fn)
		if !errors.Is(err, profile.ErrConflict) {
			return p, err
		}
	}
}

func session(customer, id string, after, base time.Time) profile.Event {
	t := after
	if t.Before(base) {
		t = base
	}
	return profile.Event{ID: id, CustomerID: customer, Time: t, Type: profile.TypeSession,
		Channel: profile.ChannelApp, DeviceID: "d-" + customer, Auth: profile.AuthOf(profile.AuthBiometric)}
}

// Sample returns a profile of customerID built from days of a simple,
// deterministic history (salary, bills, purchases, sessions), for store
// tests.
func Sample(t testing.TB, customerID string, days int) *profile.Profile {
	t.Helper()
	b, err := profile.NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := profile.New(customerID)
	err = p.SetCustomer(profile.Customer{ID: customerID, Currency: "EUR", TimeZone: "Europe/Berlin",
		Occupation: "employee", DeclaredMonthlyIncome: decimal.RequireFromString("3200"),
		Consent: profile.Consent{Email: true}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for d := 0; d < days; d++ {
		day := start.AddDate(0, 0, d)
		evs := []profile.Event{
			{Type: profile.TypeSession, Channel: profile.ChannelApp, DeviceID: "phone", Auth: profile.AuthOf(profile.AuthBiometric)},
			{Type: profile.TypeTransaction, Kind: profile.KindPurchase, Direction: profile.Debit,
				Amount: decimal.New(int64(1200+d%7*150), -2), Currency: "EUR", Channel: profile.ChannelPOS,
				Counterparty: "Bakery", MCC: 5462, Location: profile.Location{Lat: 52.52, Lon: 13.40, HasCoords: true, Country: "DE"}},
		}
		if day.Day() == 25 {
			evs = append(evs, profile.Event{Type: profile.TypeTransaction, Kind: profile.KindSalary, Direction: profile.Credit,
				Amount: decimal.RequireFromString("3100.00"), Currency: "EUR", Counterparty: "Employer GmbH"})
		}
		for i := range evs {
			e := &evs[i]
			e.ID = fmt.Sprintf("%s-%d-%d", customerID, d, i)
			e.CustomerID = customerID
			e.Time = day.Add(time.Duration(i) * time.Hour)
			if err := b.Apply(p, e, e.Time); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

// mutate changes p in place, to check that stores keep their own copies.
func mutate(t *testing.T, p *profile.Profile) {
	t.Helper()
	b, err := profile.NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := session(p.CustomerID(), "mutation", p.Watermark().Add(time.Minute), p.Watermark())
	e.DeviceID = "another-device"
	if err := b.Apply(p, &e, e.Time); err != nil {
		t.Fatal(err)
	}
}

func sameProfile(t *testing.T, got, want *profile.Profile) {
	t.Helper()
	g, err := got.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	w, err := want.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Fatalf("stored profile differs from the one put (seq %d, want %d)", got.Seq(), want.Seq())
	}
}
