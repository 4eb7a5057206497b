package credit

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// TestDecideBatchOrderAndErrors: results follow the input order; an
// invalid application, a failing lookup and a customer without a profile
// each affect only their own item.
func TestDecideBatchOrderAndErrors(t *testing.T) {
	loadSimBatch(t)
	e := simBatch.engine
	mp := simProfilesAt(t, 6)
	apps := append([]Application(nil), simBatch.apps[:60]...)
	apps[3].Amount = decimal.NewFromInt(-1)                                      // invalid
	apps[7].CustomerID = "nobody"                                                // no profile
	apps[11].ID = "bad\x00id"                                                    // invalid, and its ID is not echoed
	mp.fail = map[string]error{apps[20].CustomerID: errors.New("database down")} // lookup failure
	res, err := e.DecideBatch(t.Context(), apps, mp, checkpoint(6), &BatchOptions{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		switch i {
		case 3:
			var ie *ItemError
			if !errors.Is(r.Err, ErrInvalid) || !errors.As(r.Err, &ie) || ie.Index != 3 || ie.ID != apps[3].ID {
				t.Errorf("item 3: %v", r.Err)
			}
		case 7:
			if r.Err != nil || !r.Decision.HasReason(CodeNoProfile) || r.Decision.Outcome == Approve {
				t.Errorf("item 7 (no profile): %v %v %+v", r.Err, r.Decision.Outcome, r.Decision.Reasons)
			}
		case 11:
			var ie *ItemError
			if !errors.Is(r.Err, ErrInvalid) || !errors.As(r.Err, &ie) || ie.ID != "" {
				t.Errorf("item 11: %v", r.Err)
			}
		case 20:
			var le *LookupError
			if !errors.Is(r.Err, ErrLookup) || !errors.As(r.Err, &le) || le.What != "profile" {
				t.Errorf("item 20: %v", r.Err)
			}
		default:
			if r.Err != nil {
				t.Fatalf("item %d: %v", i, r.Err)
			}
			if diff := cmp.Diff(simBatch.results[i], r); diff != "" {
				t.Fatalf("item %d differs from the full batch (-want +got):\n%s", i, diff)
			}
		}
	}
}

// cancelAfter is a Profiles that cancels the batch after n lookups.
type cancelAfter struct {
	inner  *mapProfiles
	n      int64
	calls  atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Profile(ctx context.Context, id string) (*profile.Profile, error) {
	if c.calls.Add(1) == c.n {
		c.cancel()
	}
	return c.inner.Profile(ctx, id)
}

func (c *cancelAfter) Contacts(ctx context.Context, id string) ([]string, error) {
	return c.inner.Contacts(ctx, id)
}

func TestDecideBatchCancel(t *testing.T) {
	loadSimBatch(t)
	e := simBatch.engine
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ca := &cancelAfter{inner: simProfilesAt(t, 6), n: 100, cancel: cancel}
	res, err := e.DecideBatch(ctx, simBatch.apps, ca, checkpoint(6), &BatchOptions{Workers: 4})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	done, cancelled := 0, 0
	for i, r := range res {
		switch {
		case r.Err == nil:
			done++
			if diff := cmp.Diff(simBatch.results[i], r); diff != "" {
				t.Fatalf("item %d decided differently (-want +got):\n%s", i, diff)
			}
		case errors.Is(r.Err, context.Canceled):
			cancelled++
		default:
			t.Fatalf("item %d: %v", i, r.Err)
		}
	}
	if done == 0 || done > 110 || cancelled < len(res)-110 {
		t.Fatalf("%d done, %d cancelled of %d", done, cancelled, len(res))
	}
	// A batch on a cancelled context decides nothing.
	res, err = e.DecideBatch(ctx, simBatch.apps[:10], simProfilesAt(t, 6), checkpoint(6), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
	for i, r := range res {
		if !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("item %d: %v", i, r.Err)
		}
	}
}

// TestDecideBatchStore runs a batch against a profile.MemoryStore through
// StoreProfiles, and checks the shared device and contact signals.
func TestDecideBatchStore(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	store := profile.NewMemoryStore()
	now := newLife("x").month(8, 1)
	for _, id := range []string{"c1", "c2", "c3"} {
		p := steady(id, 8).profile(t, now)
		if _, err := store.Put(t.Context(), p, 0); err != nil {
			t.Fatal(err)
		}
	}
	row := germanAttributes(german.ds, bestGermanRow(t))
	app := func(id, customer, device, contact string) Application {
		return Application{ID: id, CustomerID: customer, Currency: "CNY", Amount: decimal.NewFromInt(10000), TermMonths: 12,
			DeviceID: device, ContactHash: contact, Attributes: row}
	}
	apps := []Application{
		app("A1", "c1", "phone-1", "k1"),
		app("A2", "c2", "phone-1", "k2"), // the same device ID on two customers
		app("A3", "c3", "phone-1", "k1"), // and the first customer's contact
		app("A4", "c4", "", ""),          // no profile stored
	}
	res, err := e.DecideBatch(t.Context(), apps, StoreProfiles(store), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("item %d: %v", i, r.Err)
		}
	}
	sig := func(d Decision, c Code) (float64, bool) {
		for _, s := range d.Verification.Signals {
			if s.Code == c {
				return s.Value, true
			}
		}
		return 0, false
	}
	if v, ok := sig(res[0].Decision, CodeDeviceShared); !ok || v != 2 {
		t.Errorf("A1 device shared with %v others (%v)", v, ok)
	}
	if v, ok := sig(res[2].Decision, CodeContactShared); !ok || v != 1 {
		t.Errorf("A3 contact shared with %v others (%v)", v, ok)
	}
	if _, ok := sig(res[1].Decision, CodeContactShared); ok {
		t.Errorf("A2 contact is not shared")
	}
	for i := range 3 {
		if res[i].Decision.Outcome != Refer {
			t.Errorf("item %d: %v, want a referral for the shared device", i, res[i].Decision.Outcome)
		}
	}
	if !res[3].Decision.HasReason(CodeNoProfile) {
		t.Errorf("A4: %+v", res[3].Decision.Reasons)
	}
	// Without the shared check, A1 is approved.
	res, err = e.DecideBatch(t.Context(), apps, StoreProfiles(store), now, &BatchOptions{NoSharedCheck: true})
	if err != nil || res[0].Decision.Outcome != Approve {
		t.Fatalf("no shared check: %v %v %+v", err, res[0].Decision.Outcome, res[0].Decision.Reasons)
	}
}

func TestDecideBatchBadArguments(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.DecideBatch(t.Context(), nil, nil, checkpointTime(), nil); !errors.Is(err, ErrMissing) {
		t.Errorf("nil profiles: %v", err)
	}
	if _, err := e.DecideBatch(t.Context(), nil, &mapProfiles{}, checkpointTime(), &BatchOptions{Workers: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative workers: %v", err)
	}
	res, err := e.DecideBatch(t.Context(), nil, &mapProfiles{}, checkpointTime(), nil)
	if err != nil || len(res) != 0 {
		t.Errorf("empty batch: %v %v", res, err)
	}
}
