// Package campaigntest holds conformance kits for the caller-implemented
// interfaces of package campaign: run TestContactLog, TestCounters and
// TestDelivery against your own implementations (a PostgreSQL contact
// log, a Redis counter, your push gateway adapter) to prove they honour
// the contracts the planner relies on, in particular the conditional
// insert that keeps two planners from sending the same message twice.
//
//	func TestMyContactLog(t *testing.T) {
//		campaigntest.TestContactLog(t, func(t *testing.T) campaign.ContactLog {
//			return newEmptyTestLog(t) // a fresh, empty log per call
//		})
//	}
//
// The in-memory references of package campaign pass every kit.
package campaigntest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/campaign"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// contact returns a fully populated contact, so that a store dropping a
// field is noticed.
func contact(customer, key string, sendAt time.Time) campaign.Contact {
	return campaign.Contact{
		Key: key, CustomerID: customer, CampaignID: "camp", OfferID: "offer", Channel: campaign.ChannelSMS,
		Transactional: true, Status: campaign.StatusScheduled, Reason: campaign.ReasonQuietHours,
		DecidedAt: sendAt.Add(-time.Hour), SendAt: sendAt, Agent: "agent_7", Priority: 0.125,
		SetVersion: "v1", Outcome: campaign.OutcomeEngaged, OutcomeAt: sendAt.Add(time.Minute),
		Family: "payments", Occurrence: campaign.Occurrence{Trigger: campaign.TriggerBillDue, Period: 20150, Ref: "Power Co"},
		Bill: &campaign.BillDue{Counterparty: "Power Co", Kind: "bill_payment", Due: sendAt.Add(48 * time.Hour),
			Amount: decimal.RequireFromString("123.45"), Frequency: "monthly", AutoPay: true},
		Reasons: []string{"trigger:bill_due", "rank:1"},
	}
}

// normTime and normAmount make values comparable with reflect.DeepEqual:
// a store may hand back times in another location and decimals with
// another exponent.
func normTime(t time.Time) time.Time { return t.UTC() }

func normAmount(d decimal.Decimal) decimal.Decimal { return decimal.RequireFromString(d.String()) }

func normBill(b *campaign.BillDue) *campaign.BillDue {
	if b == nil {
		return nil
	}
	c := *b
	c.Due, c.Amount = normTime(c.Due), normAmount(c.Amount)
	return &c
}

func normContact(c campaign.Contact) campaign.Contact {
	c.DecidedAt, c.SendAt, c.OutcomeAt = normTime(c.DecidedAt), normTime(c.SendAt), normTime(c.OutcomeAt)
	c.Bill = normBill(c.Bill)
	if len(c.Reasons) == 0 {
		c.Reasons = nil
	}
	return c
}

func normSend(s campaign.Send) campaign.Send {
	s.SendAt, s.DecidedAt = normTime(s.SendAt), normTime(s.DecidedAt)
	s.Bill = normBill(s.Bill)
	s.Reasons = slices.Clone(s.Reasons)
	if len(s.Reasons) == 0 {
		s.Reasons = nil
	}
	return s
}

// sameContacts compares contacts by value.
func sameContacts(t *testing.T, what string, want, got []campaign.Contact) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d contacts, want %d", what, len(got), len(want))
	}
	for i := range want {
		w, g := normContact(want[i]), normContact(got[i])
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: contact %d differs:\n got  %+v\n want %+v", what, i, g, w)
		}
	}
}

// TestContactLog checks a ContactLog against the contract documented on
// campaign.ContactLog: empty histories, versions, the since filter,
// appending to buf, the conditional insert (ErrConflict on a stale
// version, ErrDuplicate on a key already there, all or nothing), updates
// (ErrNotFound), contacts of another customer (ErrInvalid), field
// round-trips, cancellation, and concurrent planners racing on the same
// keys. newLog must return a new, empty log at each call.
func TestContactLog(t *testing.T, newLog func(t *testing.T) campaign.ContactLog) {
	ctx := context.Background()
	t.Run("EmptyHistory", func(t *testing.T) {
		l := newLog(t)
		got, v, err := l.Contacts(ctx, "nobody", time.Time{}, nil)
		if err != nil || v != 0 || len(got) != 0 {
			t.Fatalf("Contacts of an unknown customer = %v, %d, %v; want none, 0, nil", got, v, err)
		}
	})
	t.Run("InsertAndRead", func(t *testing.T) {
		l := newLog(t)
		a, b := contact("c1", "k1", t0), contact("c1", "k2", t0.Add(time.Hour))
		v, err := l.Commit(ctx, "c1", 0, []campaign.Contact{a, b}, nil)
		if err != nil || v == 0 {
			t.Fatalf("Commit = %d, %v; want a positive version", v, err)
		}
		// The caller may reuse what it committed: the log keeps copies.
		ins := []campaign.Contact{a, b}
		want := []campaign.Contact{contact("c1", "k1", t0), contact("c1", "k2", t0.Add(time.Hour))}
		ins[0].Reasons[0], ins[0].Bill.Counterparty = "changed", "changed"
		got, gv, err := l.Contacts(ctx, "c1", time.Time{}, nil)
		if err != nil || gv != v {
			t.Fatalf("Contacts version = %d, %v; want %d", gv, err, v)
		}
		sameContacts(t, "history", want, got)
		a, b = want[0], want[1]
		c := contact("c1", "k3", t0.Add(2*time.Hour))
		v2, err := l.Commit(ctx, "c1", v, []campaign.Contact{c}, nil)
		if err != nil || v2 <= v {
			t.Fatalf("second Commit = %d, %v; want a version above %d", v2, err, v)
		}
		got, _, _ = l.Contacts(ctx, "c1", time.Time{}, nil)
		sameContacts(t, "history in commit order", []campaign.Contact{a, b, c}, got)
		if other, ov, _ := l.Contacts(ctx, "c2", time.Time{}, nil); len(other) != 0 || ov != 0 {
			t.Fatalf("another customer sees %d contacts, version %d", len(other), ov)
		}
	})
	t.Run("SinceAndBuffer", func(t *testing.T) {
		l := newLog(t)
		cs := []campaign.Contact{contact("c1", "k1", t0), contact("c1", "k2", t0.Add(time.Hour)), contact("c1", "k3", t0.Add(2*time.Hour))}
		if _, err := l.Commit(ctx, "c1", 0, cs, nil); err != nil {
			t.Fatal(err)
		}
		got, _, err := l.Contacts(ctx, "c1", t0.Add(time.Hour), nil)
		if err != nil {
			t.Fatal(err)
		}
		sameContacts(t, "since is inclusive", cs[1:], got)
		prefix := []campaign.Contact{contact("x", "kept", t0)}
		got, _, err = l.Contacts(ctx, "c1", t0.Add(2*time.Hour), prefix)
		if err != nil {
			t.Fatal(err)
		}
		sameContacts(t, "appended to buf", []campaign.Contact{prefix[0], cs[2]}, got)
	})
	t.Run("ConditionalInsert", func(t *testing.T) {
		l := newLog(t)
		v, err := l.Commit(ctx, "c1", 0, []campaign.Contact{contact("c1", "k1", t0)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Commit(ctx, "c1", 0, []campaign.Contact{contact("c1", "k2", t0)}, nil); !errors.Is(err, campaign.ErrConflict) {
			t.Fatalf("commit with a stale version: %v, want ErrConflict", err)
		}
		if _, err := l.Commit(ctx, "c1", v, []campaign.Contact{contact("c1", "k2", t0), contact("c1", "k1", t0)}, nil); !errors.Is(err, campaign.ErrDuplicate) {
			t.Fatalf("insert of an existing key: %v, want ErrDuplicate", err)
		}
		if _, err := l.Commit(ctx, "c1", v, []campaign.Contact{contact("c1", "k3", t0), contact("c1", "k3", t0)}, nil); !errors.Is(err, campaign.ErrDuplicate) {
			t.Fatalf("insert of one key twice: %v, want ErrDuplicate", err)
		}
		got, gv, _ := l.Contacts(ctx, "c1", time.Time{}, nil)
		if gv != v || len(got) != 1 {
			t.Fatalf("failed commits wrote something: version %d (want %d), %d contacts (want 1)", gv, v, len(got))
		}
		if v2, err := l.Commit(ctx, "c1", v, nil, nil); err != nil || v2 != v {
			t.Fatalf("empty commit = %d, %v; want %d, nil", v2, err, v)
		}
		if _, err := l.Commit(ctx, "c1", v+7, nil, nil); !errors.Is(err, campaign.ErrConflict) {
			t.Fatalf("empty commit with a wrong version: %v, want ErrConflict", err)
		}
		if _, err := l.Commit(ctx, "c1", v, []campaign.Contact{contact("c2", "k9", t0)}, nil); !errors.Is(err, campaign.ErrInvalid) {
			t.Fatalf("contact of another customer: %v, want ErrInvalid", err)
		}
	})
	t.Run("Update", func(t *testing.T) {
		l := newLog(t)
		a := contact("c1", "k1", t0)
		v, err := l.Commit(ctx, "c1", 0, []campaign.Contact{a}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sent := a
		sent.Status, sent.Reason, sent.SendAt, sent.Outcome = campaign.StatusSent, 0, t0.Add(30*time.Minute), campaign.OutcomeIgnored
		if _, err := l.Commit(ctx, "c1", v, []campaign.Contact{contact("c1", "k2", t0)}, []campaign.Contact{contact("c1", "missing", t0)}); !errors.Is(err, campaign.ErrNotFound) {
			t.Fatalf("update of a missing key: %v, want ErrNotFound", err)
		}
		if got, _, _ := l.Contacts(ctx, "c1", time.Time{}, nil); len(got) != 1 {
			t.Fatalf("a failed commit inserted: %d contacts", len(got))
		}
		v2, err := l.Commit(ctx, "c1", v, []campaign.Contact{contact("c1", "k2", t0)}, []campaign.Contact{sent})
		if err != nil || v2 <= v {
			t.Fatalf("insert and update = %d, %v", v2, err)
		}
		got, _, _ := l.Contacts(ctx, "c1", time.Time{}, nil)
		sameContacts(t, "updated in place", []campaign.Contact{sent, contact("c1", "k2", t0)}, got)
	})
	t.Run("Cancelled", func(t *testing.T) {
		l := newLog(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := l.Commit(cctx, "c1", 0, []campaign.Contact{contact("c1", "k1", t0)}, nil); err == nil {
			t.Fatal("Commit with a cancelled context succeeded")
		}
		if _, _, err := l.Contacts(cctx, "c1", time.Time{}, nil); err == nil {
			t.Fatal("Contacts with a cancelled context succeeded")
		}
	})
	t.Run("ConcurrentPlanners", func(t *testing.T) {
		// Planners race to insert the same keys, each reading the history,
		// skipping keys already there and committing with the version it
		// read, retrying on conflict: every key must be inserted exactly
		// once, and every insertion reported by exactly one planner.
		l := newLog(t)
		const planners, keys = 8, 20
		var mu sync.Mutex
		won := map[string]int{}
		var wg sync.WaitGroup
		errc := make(chan error, planners)
		for p := range planners {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range keys {
					key := fmt.Sprintf("k%02d", (k+p)%keys)
					for attempt := 0; ; attempt++ {
						if attempt > 1000 {
							errc <- fmt.Errorf("planner %d: key %s never committed", p, key)
							return
						}
						hist, v, err := l.Contacts(ctx, "c1", time.Time{}, nil)
						if err != nil {
							errc <- err
							return
						}
						there := false
						for _, h := range hist {
							there = there || h.Key == key
						}
						if there {
							break
						}
						_, err = l.Commit(ctx, "c1", v, []campaign.Contact{contact("c1", key, t0)}, nil)
						if err == nil {
							mu.Lock()
							won[key]++
							mu.Unlock()
							break
						}
						if !errors.Is(err, campaign.ErrConflict) && !errors.Is(err, campaign.ErrDuplicate) {
							errc <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		hist, _, _ := l.Contacts(ctx, "c1", time.Time{}, nil)
		if len(hist) != keys {
			t.Fatalf("%d contacts after the race, want %d", len(hist), keys)
		}
		for k, n := range won {
			if n != 1 {
				t.Errorf("key %s inserted by %d planners", k, n)
			}
		}
		if len(won) != keys {
			t.Errorf("%d keys reported inserted, want %d", len(won), keys)
		}
	})
}

// TestCounters checks a Counters against campaign.Counters: zero for new
// keys, Take within and beyond the limit, Release never below zero, n ≤ 0
// rejected, cancellation, and concurrent Takes never exceeding the limit.
// newCounters must return new counters, all zero, at each call.
func TestCounters(t *testing.T, newCounters func(t *testing.T) campaign.Counters) {
	ctx := context.Background()
	t.Run("TakeAndRelease", func(t *testing.T) {
		c := newCounters(t)
		if v, err := c.Value(ctx, "capacity/agent/2025-03-01"); err != nil || v != 0 {
			t.Fatalf("new counter = %d, %v", v, err)
		}
		for i := range 3 {
			if ok, err := c.Take(ctx, "k", 1, 3); err != nil || !ok {
				t.Fatalf("take %d within limit 3 = %v, %v", i+1, ok, err)
			}
		}
		if ok, err := c.Take(ctx, "k", 1, 3); err != nil || ok {
			t.Fatalf("take beyond the limit = %v, %v; want false", ok, err)
		}
		if ok, _ := c.Take(ctx, "other", 2, 1); ok {
			t.Fatal("took 2 with limit 1")
		}
		if v, _ := c.Value(ctx, "k"); v != 3 {
			t.Fatalf("value = %d, want 3", v)
		}
		if err := c.Release(ctx, "k", 2); err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value(ctx, "k"); v != 1 {
			t.Fatalf("value after release = %d, want 1", v)
		}
		if err := c.Release(ctx, "k", 5); err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value(ctx, "k"); v != 0 {
			t.Fatalf("value after over-release = %d, want 0", v)
		}
		if _, err := c.Take(ctx, "k", 0, 3); err == nil {
			t.Fatal("Take of 0 accepted")
		}
		if err := c.Release(ctx, "k", -1); err == nil {
			t.Fatal("Release of -1 accepted")
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		c := newCounters(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if ok, err := c.Take(cctx, "k", 1, 5); err == nil || ok {
			t.Fatalf("Take with a cancelled context = %v, %v", ok, err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		c := newCounters(t)
		const workers, each, limit = 16, 25, 100
		var granted sync.WaitGroup
		var mu sync.Mutex
		n := 0
		for range workers {
			granted.Add(1)
			go func() {
				defer granted.Done()
				for range each {
					ok, err := c.Take(ctx, "k", 1, limit)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						n++
						mu.Unlock()
					}
				}
			}()
		}
		granted.Wait()
		if v, _ := c.Value(ctx, "k"); n != limit || v != limit {
			t.Fatalf("granted %d, value %d; want %d", n, v, limit)
		}
	})
}

// TestDelivery checks a Delivery against campaign.Delivery: every message
// delivered is observed once with all its fields, a key delivered again
// is not observed twice, the Delivery keeps no reference to the Send it
// was given, a cancelled context delivers nothing, and concurrent calls
// are safe. newDelivery returns a new Delivery and a function reporting
// what it has delivered so far (for a real channel: what the test double
// behind your adapter received).
func TestDelivery(t *testing.T, newDelivery func(t *testing.T) (campaign.Delivery, func() []campaign.Send)) {
	ctx := context.Background()
	send := func(key string) campaign.Send {
		c := contact("c1", key, t0)
		return campaign.Send{
			Key: key, CustomerID: "c1", CampaignID: "camp", OfferID: "offer", Family: "payments",
			Channel: campaign.ChannelPush, SendAt: t0, DecidedAt: t0, Agent: "agent_7", Occurrence: c.Occurrence,
			Bill: c.Bill, Priority: campaign.Priority{Value: 0.5, Propensity: 0.5, Context: 1, Worth: 1, Lever: 1, Rank: 1},
			Reasons: []string{"trigger:bill_due"}, SetVersion: "v1",
		}
	}
	t.Run("DeliverOnce", func(t *testing.T) {
		d, delivered := newDelivery(t)
		s := send("k1")
		want := send("k1")
		if err := d.Deliver(ctx, &s); err != nil {
			t.Fatal(err)
		}
		// The caller may reuse its Send: the Delivery must have copied it.
		s.Reasons[0] = "changed"
		s.Bill.Counterparty = "changed"
		s.OfferID = "changed"
		again := send("k1")
		if err := d.Deliver(ctx, &again); err != nil {
			t.Fatal(err)
		}
		got := delivered()
		if len(got) != 1 {
			t.Fatalf("delivered %d messages for one key, want 1", len(got))
		}
		if w, g := normSend(want), normSend(got[0]); !reflect.DeepEqual(w, g) {
			t.Fatalf("delivered message differs:\n got  %+v\n want %+v", g, w)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		d, delivered := newDelivery(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		s := send("k1")
		if err := d.Deliver(cctx, &s); err == nil {
			t.Fatal("Deliver with a cancelled context succeeded")
		}
		if n := len(delivered()); n != 0 {
			t.Fatalf("a cancelled delivery delivered %d messages", n)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		d, delivered := newDelivery(t)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := send(fmt.Sprintf("k%02d", i%25))
				if err := d.Deliver(ctx, &s); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := len(delivered()); n != 25 {
			t.Fatalf("delivered %d messages for 25 keys, want 25", n)
		}
	})
}
