// Package rewardstest checks implementations of rewards.Store against the
// contract documented on the interface, and runs a Ledger on top of them. A
// bank runs TestStore against its own store in its own tests:
//
//	func TestMyStore(t *testing.T) {
//		rewardstest.TestStore(t, func(t *testing.T) rewards.Store {
//			return mystore.New(testDB(t)) // a fresh, empty store
//		})
//	}
package rewardstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/campaign/rewards"
)

// TestStore runs the Store conformance suite. newStore must return a fresh,
// empty store for every call.
func TestStore(t *testing.T, newStore func(t *testing.T) rewards.Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, _, err := s.Account(ctx, "nobody"); !errors.Is(err, rewards.ErrNotFound) {
			t.Errorf("Account of a missing customer: err = %v, want ErrNotFound", err)
		}
		if _, _, err := s.Item(ctx, "nothing"); !errors.Is(err, rewards.ErrNotFound) {
			t.Errorf("Item of a missing SKU: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Record(ctx, "no-op"); !errors.Is(err, rewards.ErrNotFound) {
			t.Errorf("Record of a missing ID: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("CommitThenRead", func(t *testing.T) {
		s := newStore(t)
		a, it, rec := SampleAccount("c1"), SampleItem("sku1"), SampleRecord("op1", "c1")
		if err := s.Commit(ctx, rewards.Commit{
			Accounts: []rewards.AccountWrite{{Account: a}},
			Items:    []rewards.ItemWrite{{Item: it}},
			Records:  []rewards.Record{rec},
		}); err != nil {
			t.Fatalf("Commit of new values: %v", err)
		}
		ga, av, err := s.Account(ctx, "c1")
		if err != nil || av != 1 {
			t.Fatalf("Account after commit: version %d err %v, want version 1", av, err)
		}
		if d := diffAccount(ga, a); d != "" {
			t.Errorf("Account read back differs: %s", d)
		}
		gi, iv, err := s.Item(ctx, "sku1")
		if err != nil || iv != 1 {
			t.Fatalf("Item after commit: version %d err %v, want version 1", iv, err)
		}
		if d := diffItem(gi, it); d != "" {
			t.Errorf("Item read back differs: %s", d)
		}
		gr, err := s.Record(ctx, "op1")
		if err != nil {
			t.Fatalf("Record after commit: %v", err)
		}
		if d := diffRecord(gr, rec); d != "" {
			t.Errorf("Record read back differs: %s", d)
		}
		// Next version.
		a.Lots = a.Lots[:1]
		if err := s.Commit(ctx, rewards.Commit{Accounts: []rewards.AccountWrite{{Account: a, Version: 1}}}); err != nil {
			t.Fatalf("Commit at version 1: %v", err)
		}
		ga, av, err = s.Account(ctx, "c1")
		if err != nil || av != 2 || len(ga.Lots) != 1 {
			t.Fatalf("Account after second commit: version %d, %d lots, err %v; want version 2, 1 lot", av, len(ga.Lots), err)
		}
	})

	t.Run("ConflictWritesNothing", func(t *testing.T) {
		s := newStore(t)
		mustCommit(t, s, rewards.Commit{
			Accounts: []rewards.AccountWrite{{Account: SampleAccount("c1")}},
			Items:    []rewards.ItemWrite{{Item: SampleItem("sku1")}},
			Records:  []rewards.Record{SampleRecord("op1", "c1")},
		})
		changed := SampleAccount("c2")
		item := SampleItem("sku1")
		item.Stock = 1
		cases := map[string]rewards.Commit{
			"stale account version": {
				Accounts: []rewards.AccountWrite{{Account: changed}, {Account: renamed(SampleAccount("c1"), "c1"), Version: 7}},
				Records:  []rewards.Record{SampleRecord("op2", "c2")},
			},
			"account created twice": {
				Accounts: []rewards.AccountWrite{{Account: changed}, {Account: SampleAccount("c1"), Version: 0}},
				Records:  []rewards.Record{SampleRecord("op2", "c2")},
			},
			"stale item version": {
				Accounts: []rewards.AccountWrite{{Account: changed}},
				Items:    []rewards.ItemWrite{{Item: item, Version: 0}},
				Records:  []rewards.Record{SampleRecord("op2", "c2")},
			},
			"existing record ID": {
				Accounts: []rewards.AccountWrite{{Account: changed}},
				Records:  []rewards.Record{SampleRecord("op2", "c2"), SampleRecord("op1", "c2")},
			},
		}
		for name, c := range cases {
			err := s.Commit(ctx, c)
			if !errors.Is(err, rewards.ErrConflict) {
				t.Errorf("%s: err = %v, want ErrConflict", name, err)
			}
			if _, _, err := s.Account(ctx, "c2"); !errors.Is(err, rewards.ErrNotFound) {
				t.Errorf("%s: account c2 was written by a failed commit (err %v)", name, err)
			}
			if _, err := s.Record(ctx, "op2"); !errors.Is(err, rewards.ErrNotFound) {
				t.Errorf("%s: record op2 was written by a failed commit (err %v)", name, err)
			}
			if got, v, _ := s.Item(ctx, "sku1"); v != 1 || got.Stock != SampleItem("sku1").Stock {
				t.Errorf("%s: item changed by a failed commit (version %d, stock %d)", name, v, got.Stock)
			}
			if _, v, _ := s.Account(ctx, "c1"); v != 1 {
				t.Errorf("%s: account c1 version %d after a failed commit, want 1", name, v)
			}
		}
	})

	t.Run("ValuesAreCopies", func(t *testing.T) {
		s := newStore(t)
		a := SampleAccount("c1")
		rec := SampleRecord("op1", "c1")
		mustCommit(t, s, rewards.Commit{Accounts: []rewards.AccountWrite{{Account: a}}, Records: []rewards.Record{rec}})
		a.Lots[0].Points = decimal.NewFromInt(999999)
		a.Pending[0].Allocations[0].Points = decimal.NewFromInt(999999)
		rec.Allocations[0].Points = decimal.NewFromInt(999999)
		got, _, err := s.Account(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if d := diffAccount(got, SampleAccount("c1")); d != "" {
			t.Fatalf("changing the committed value changed the store: %s", d)
		}
		got.Lots[0].Points = decimal.NewFromInt(1)
		got.Pending[0].Allocations[0].Points = decimal.NewFromInt(1)
		again, _, _ := s.Account(ctx, "c1")
		if d := diffAccount(again, SampleAccount("c1")); d != "" {
			t.Fatalf("changing a returned value changed the store: %s", d)
		}
		gr, _ := s.Record(ctx, "op1")
		gr.Allocations[0].Points = decimal.NewFromInt(1)
		gr2, _ := s.Record(ctx, "op1")
		if d := diffRecord(gr2, SampleRecord("op1", "c1")); d != "" {
			t.Fatalf("changing a returned or committed record changed the store: %s", d)
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Commit(cctx, rewards.Commit{Accounts: []rewards.AccountWrite{{Account: SampleAccount("c1")}}}); err == nil {
			t.Fatal("Commit with a cancelled context succeeded")
		}
		if _, _, err := s.Account(ctx, "c1"); !errors.Is(err, rewards.ErrNotFound) {
			t.Fatalf("Commit with a cancelled context wrote the account (err %v)", err)
		}
	})

	t.Run("ConcurrentCommitsOneWins", func(t *testing.T) {
		s := newStore(t)
		mustCommit(t, s, rewards.Commit{Items: []rewards.ItemWrite{{Item: SampleItem("sku1")}}})
		const n = 16
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				it := SampleItem("sku1")
				it.Stock = int64(i)
				err := s.Commit(ctx, rewards.Commit{Items: []rewards.ItemWrite{{Item: it, Version: 1}}, Records: []rewards.Record{SampleRecord(fmt.Sprint("op", i), "")}})
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, rewards.ErrConflict):
					t.Errorf("concurrent commit: %v, want nil or ErrConflict", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d of %d commits at the same version succeeded, want exactly 1", wins.Load(), n)
		}
		if _, v, _ := s.Item(ctx, "sku1"); v != 2 {
			t.Fatalf("item version %d after one winning commit, want 2", v)
		}
	})

	t.Run("Ledger", func(t *testing.T) { testLedger(t, newStore(t)) })
	t.Run("LedgerNoOversell", func(t *testing.T) { testNoOversell(t, newStore(t)) })
}

// testLedger runs a full life cycle on the store through a Ledger.
func testLedger(t *testing.T, s rewards.Store) {
	ctx := context.Background()
	day := 24 * time.Hour
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	l, err := rewards.New(s, &rewards.Options{Validity: 90 * day, MaxScale: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.PutItem(ctx, rewards.Item{SKU: "mug", Cost: decimal.RequireFromString("120.50"), Stock: 3}); err != nil {
		t.Fatal(err)
	}
	apply := func(op rewards.Op) rewards.Result {
		t.Helper()
		r, err := l.Apply(ctx, op)
		if err != nil {
			t.Fatalf("Apply %s: %v", op.ID, err)
		}
		return r
	}
	apply(rewards.Op{ID: "e1", Kind: rewards.KindEarn, Customer: "c1", Points: decimal.RequireFromString("300.25"), At: t0})
	apply(rewards.Op{ID: "e2", Kind: rewards.KindEarn, Customer: "c1", Points: decimal.NewFromInt(100), At: t0.Add(10 * day)})
	if r := apply(rewards.Op{ID: "e1", Kind: rewards.KindEarn, Customer: "c1", Points: decimal.RequireFromString("300.250"), At: t0}); !r.Duplicate {
		t.Fatal("re-applied earn was not a duplicate")
	}
	r := apply(rewards.Op{ID: "o1", Kind: rewards.KindRedeemOffline, Customer: "c1", SKU: "mug", Qty: 2, At: t0.Add(20 * day)})
	if !r.Points.Equal(decimal.NewFromInt(-241)) || !r.Available.Equal(decimal.RequireFromString("159.25")) {
		t.Fatalf("offline redemption: points %s available %s, want -241 and 159.25", r.Points, r.Available)
	}
	it, _ := l.Item(ctx, "mug")
	if it.Stock != 1 || it.Reserved != 2 {
		t.Fatalf("after offline redemption: stock %d reserved %d, want 1 and 2", it.Stock, it.Reserved)
	}
	// Not activated: lapses at the sweep after the deadline.
	recs, err := l.Expire(ctx, "c1", t0.Add(28*day))
	if err != nil || len(recs) != 1 || recs[0].Kind != rewards.KindLapse {
		t.Fatalf("Expire after the deadline: %v records, err %v; want one lapse", len(recs), err)
	}
	it, _ = l.Item(ctx, "mug")
	if it.Stock != 3 || it.Reserved != 0 {
		t.Fatalf("after lapse: stock %d reserved %d, want 3 and 0", it.Stock, it.Reserved)
	}
	_, err = l.Apply(ctx, rewards.Op{ID: "a1", Kind: rewards.KindActivate, Customer: "c1", Target: "o1", At: t0.Add(29 * day)})
	if !errors.Is(err, rewards.ErrActivationExpired) {
		t.Fatalf("activation after lapse: err %v, want ErrActivationExpired", err)
	}
	apply(rewards.Op{ID: "o2", Kind: rewards.KindRedeemOffline, Customer: "c1", SKU: "mug", Qty: 1, At: t0.Add(30 * day)})
	apply(rewards.Op{ID: "a2", Kind: rewards.KindActivate, Customer: "c1", Target: "o2", At: t0.Add(31 * day)})
	b, err := l.Balance(ctx, "c1", t0.Add(31*day))
	if err != nil || !b.Available.Equal(decimal.RequireFromString("279.75")) || b.Pending != 0 {
		t.Fatalf("balance: %+v err %v, want 279.75 available, nothing pending", b, err)
	}
	// e1 (300.25 - 120.50 = 179.75 left) expires at day 90, e2 at day 100.
	recs, err = l.Expire(ctx, "c1", t0.Add(95*day))
	if err != nil || len(recs) != 1 || !recs[0].Points.Equal(decimal.RequireFromString("-179.75")) {
		t.Fatalf("expiry at day 95: %+v err %v; want one record of -179.75", recs, err)
	}
	if recs, err := l.Expire(ctx, "c1", t0.Add(95*day)); err != nil || len(recs) != 0 {
		t.Fatalf("second sweep at the same time: %d records err %v, want none", len(recs), err)
	}
	_, err = l.Apply(ctx, rewards.Op{ID: "r9", Kind: rewards.KindRedeem, Customer: "c1", Points: decimal.NewFromInt(101), At: t0.Add(96 * day)})
	if !errors.Is(err, rewards.ErrInsufficient) {
		t.Fatalf("over-redemption: err %v, want ErrInsufficient", err)
	}
	b, _ = l.Balance(ctx, "c1", t0.Add(96*day))
	if !b.Available.Equal(decimal.NewFromInt(100)) {
		t.Fatalf("balance after refused redemption: %s, want 100", b.Available)
	}
}

// testNoOversell redeems a scarce item from many goroutines.
func testNoOversell(t *testing.T, s rewards.Store) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	l, err := rewards.New(s, &rewards.Options{Attempts: 1000})
	if err != nil {
		t.Fatal(err)
	}
	const stock, customers = 5, 24
	if err := l.PutItem(ctx, rewards.Item{SKU: "gift", Cost: decimal.NewFromInt(10), Stock: stock}); err != nil {
		t.Fatal(err)
	}
	for c := range customers {
		if _, err := l.Apply(ctx, rewards.Op{ID: fmt.Sprint("e", c), Kind: rewards.KindEarn, Customer: fmt.Sprint("c", c), Points: decimal.NewFromInt(10), At: t0}); err != nil {
			t.Fatal(err)
		}
	}
	var ok, out atomic.Int32
	var wg sync.WaitGroup
	for c := range customers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Apply(ctx, rewards.Op{ID: fmt.Sprint("r", c), Kind: rewards.KindRedeem, Customer: fmt.Sprint("c", c), SKU: "gift", Qty: 1, At: t0.Add(time.Hour)})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, rewards.ErrOutOfStock):
				out.Add(1)
			default:
				t.Errorf("redeem: %v", err)
			}
		}()
	}
	wg.Wait()
	it, err := l.Item(ctx, "gift")
	if err != nil {
		t.Fatal(err)
	}
	if ok.Load() != stock || out.Load() != customers-stock || it.Stock != 0 {
		t.Fatalf("%d redeemed, %d out of stock, stock left %d; want %d, %d, 0", ok.Load(), out.Load(), it.Stock, stock, customers-stock)
	}
}

func mustCommit(t *testing.T, s rewards.Store, c rewards.Commit) {
	t.Helper()
	if err := s.Commit(context.Background(), c); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func renamed(a rewards.Account, customer string) rewards.Account {
	a.Customer = customer
	return a
}

var sampleTime = time.Date(2025, 2, 3, 4, 5, 6, 789, time.FixedZone("CST", 8*3600))

// SampleAccount returns a deterministic account with two lots (one that
// never expires) and one pending offline redemption, exercising every
// field a Store must keep.
func SampleAccount(customer string) rewards.Account {
	return rewards.Account{
		Customer: customer,
		Lots: []rewards.Lot{
			{ID: "lot-a", EarnedAt: sampleTime, ExpiresAt: sampleTime.Add(90 * 24 * time.Hour), Points: decimal.RequireFromString("12.34")},
			{ID: "lot-b", EarnedAt: sampleTime.Add(time.Hour), Points: decimal.NewFromInt(500)},
		},
		Pending: []rewards.Pending{{
			ID: "off-1", At: sampleTime.Add(2 * time.Hour), Deadline: sampleTime.Add(170 * time.Hour),
			Points: decimal.NewFromInt(80), SKU: "sku1", Qty: 2,
			Allocations: []rewards.Allocation{{Lot: "lot-0", EarnedAt: sampleTime.Add(-time.Hour), ExpiresAt: sampleTime.Add(time.Hour), Points: decimal.NewFromInt(80)}},
		}},
		SweptAt: sampleTime.Add(-24 * time.Hour),
	}
}

// SampleItem returns a deterministic catalogue item.
func SampleItem(sku string) rewards.Item {
	return rewards.Item{SKU: sku, Name: "Thermos 保温杯", Cost: decimal.RequireFromString("99.90"), Stock: 7, Reserved: 2, Withdrawn: true}
}

// SampleRecord returns a deterministic record with every field set.
func SampleRecord(id, customer string) rewards.Record {
	return rewards.Record{
		ID: id, Kind: rewards.KindCancel, Customer: customer, At: sampleTime,
		Points: decimal.NewFromInt(80), Expired: decimal.NewFromInt(30), SKU: "sku1", Qty: 2, Target: "off-1", Ref: "branch-event-9",
		Deadline:    sampleTime.Add(time.Hour),
		Allocations: []rewards.Allocation{{Lot: "lot-0", EarnedAt: sampleTime, ExpiresAt: sampleTime.Add(time.Hour), Points: decimal.NewFromInt(80)}},
		Available:   decimal.RequireFromString("512.34"), Fingerprint: "f00d",
	}
}

func diffAccount(got, want rewards.Account) string {
	switch {
	case got.Customer != want.Customer:
		return "customer"
	case !got.SweptAt.Equal(want.SweptAt):
		return "swept_at"
	case len(got.Lots) != len(want.Lots):
		return fmt.Sprintf("%d lots, want %d", len(got.Lots), len(want.Lots))
	case len(got.Pending) != len(want.Pending):
		return fmt.Sprintf("%d pending, want %d", len(got.Pending), len(want.Pending))
	}
	for i, l := range got.Lots {
		w := want.Lots[i]
		if l.ID != w.ID || !l.EarnedAt.Equal(w.EarnedAt) || !l.ExpiresAt.Equal(w.ExpiresAt) || !l.Points.Equal(w.Points) {
			return fmt.Sprintf("lot %d", i)
		}
	}
	for i, p := range got.Pending {
		w := want.Pending[i]
		if p.ID != w.ID || !p.At.Equal(w.At) || !p.Deadline.Equal(w.Deadline) || !p.Points.Equal(w.Points) || p.SKU != w.SKU || p.Qty != w.Qty {
			return fmt.Sprintf("pending %d", i)
		}
		if d := diffAllocs(p.Allocations, w.Allocations); d != "" {
			return fmt.Sprintf("pending %d: %s", i, d)
		}
	}
	return ""
}

func diffAllocs(got, want []rewards.Allocation) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d allocations, want %d", len(got), len(want))
	}
	for i, a := range got {
		w := want[i]
		if a.Lot != w.Lot || !a.EarnedAt.Equal(w.EarnedAt) || !a.ExpiresAt.Equal(w.ExpiresAt) || !a.Points.Equal(w.Points) {
			return fmt.Sprintf("allocation %d", i)
		}
	}
	return ""
}

func diffItem(got, want rewards.Item) string {
	if got.SKU != want.SKU || got.Name != want.Name || !got.Cost.Equal(want.Cost) || got.Stock != want.Stock || got.Reserved != want.Reserved || got.Withdrawn != want.Withdrawn {
		return fmt.Sprintf("got %+v, want %+v", got, want)
	}
	return ""
}

func diffRecord(got, want rewards.Record) string {
	switch {
	case got.ID != want.ID || got.Kind != want.Kind || got.Customer != want.Customer || got.SKU != want.SKU ||
		got.Qty != want.Qty || got.Target != want.Target || got.Ref != want.Ref || got.Fingerprint != want.Fingerprint:
		return "identifiers"
	case !got.At.Equal(want.At) || !got.Deadline.Equal(want.Deadline):
		return "times"
	case !got.Points.Equal(want.Points) || !got.Expired.Equal(want.Expired) || !got.Available.Equal(want.Available):
		return "amounts"
	}
	return diffAllocs(got.Allocations, want.Allocations)
}
