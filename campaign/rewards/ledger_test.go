package rewards

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var (
	ctx = context.Background()
	t0  = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	day = 24 * time.Hour
)

func pts(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func newLedger(t testing.TB, o *Options) (*Ledger, *MemoryStore) {
	t.Helper()
	s := NewMemoryStore()
	l, err := New(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return l, s
}

func mustApply(t testing.TB, l *Ledger, op Op) Result {
	t.Helper()
	r, err := l.Apply(ctx, op)
	if err != nil {
		t.Fatalf("Apply %s: %v", op.ID, err)
	}
	return r
}

// snapshot captures everything a MemoryStore holds, to prove failed
// operations change nothing.
type snapshot struct {
	Accounts map[string]versioned[Account]
	Items    map[string]versioned[Item]
	Records  []Record
}

func snap(s *MemoryStore) snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := snapshot{Accounts: map[string]versioned[Account]{}, Items: map[string]versioned[Item]{}}
	for k, v := range s.accounts {
		out.Accounts[k] = versioned[Account]{cloneAccount(v.v), v.version}
	}
	for k, v := range s.items {
		out.Items[k] = v
	}
	for _, id := range s.order {
		out.Records = append(out.Records, cloneRecord(s.records[id]))
	}
	return out
}

var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.AllowUnexported(versioned[Account]{}, versioned[Item]{}),
}

func TestValidation(t *testing.T) {
	l, s := newLedger(t, &Options{MaxScale: 2})
	if err := l.PutItem(ctx, Item{SKU: "mug", Cost: pts("10"), Stock: 5}); err != nil {
		t.Fatal(err)
	}
	earn := Op{ID: "e", Kind: KindEarn, Customer: "c", Points: pts("10"), At: t0}
	with := func(f func(*Op)) Op { o := earn; f(&o); return o }
	cases := []struct {
		name  string
		op    Op
		field string
	}{
		{"empty id", with(func(o *Op) { o.ID = "" }), "id"},
		{"reserved id", with(func(o *Op) { o.ID = "~expire/x" }), "id"},
		{"space in id", with(func(o *Op) { o.ID = "a b" }), "id"},
		{"long id", with(func(o *Op) { o.ID = string(make([]byte, MaxIDLen+1)) }), "id"},
		{"no kind", with(func(o *Op) { o.Kind = 0 }), "kind"},
		{"record kind", with(func(o *Op) { o.Kind = KindExpire }), "kind"},
		{"zero time", with(func(o *Op) { o.At = time.Time{} }), "at"},
		{"no customer", with(func(o *Op) { o.Customer = "" }), "customer"},
		{"zero points", with(func(o *Op) { o.Points = decimal.Zero }), "points"},
		{"negative points", with(func(o *Op) { o.Points = pts("-5") }), "points"},
		{"too many decimals", with(func(o *Op) { o.Points = pts("1.005") }), "points"},
		{"huge points", with(func(o *Op) { o.Points = pts("1e16") }), "points"},
		{"absurd exponent", with(func(o *Op) { o.Points = pts("1e400") }), "points"},
		{"earn with sku", with(func(o *Op) { o.SKU = "mug" }), "sku"},
		{"earn with target", with(func(o *Op) { o.Target = "x" }), "target"},
		{"expiry before earn", with(func(o *Op) { o.ExpiresAt = t0 }), "expires_at"},
		{"redeem sku without qty", Op{ID: "r", Kind: KindRedeem, Customer: "c", SKU: "mug", At: t0}, "qty"},
		{"redeem sku and points", Op{ID: "r", Kind: KindRedeem, Customer: "c", SKU: "mug", Qty: 1, Points: pts("1"), At: t0}, "points"},
		{"redeem qty without sku", Op{ID: "r", Kind: KindRedeem, Customer: "c", Qty: 1, Points: pts("1"), At: t0}, "qty"},
		{"redeem with expiry", Op{ID: "r", Kind: KindRedeem, Customer: "c", Points: pts("1"), At: t0, ExpiresAt: t0.Add(day)}, "expires_at"},
		{"huge qty", Op{ID: "r", Kind: KindRedeem, Customer: "c", SKU: "mug", Qty: MaxQty + 1, At: t0}, "qty"},
		{"activate without target", Op{ID: "a", Kind: KindActivate, Customer: "c", At: t0}, "target"},
		{"activate with points", Op{ID: "a", Kind: KindActivate, Customer: "c", Target: "x", Points: pts("1"), At: t0}, "points"},
		{"restock with customer", Op{ID: "s", Kind: KindRestock, Customer: "c", SKU: "mug", Qty: 1, At: t0}, "customer"},
		{"restock without qty", Op{ID: "s", Kind: KindRestock, SKU: "mug", At: t0}, "qty"},
	}
	before := snap(s)
	for _, tc := range cases {
		_, err := l.Apply(ctx, tc.op)
		var oe *OpError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &oe) || oe.Field != tc.field {
			t.Errorf("%s: err = %v, want ErrInvalid on field %q", tc.name, err, tc.field)
		}
	}
	if d := cmp.Diff(before, snap(s), cmpOpts); d != "" {
		t.Fatalf("invalid operations changed the store:\n%s", d)
	}
	for _, o := range []*Options{{Validity: -1}, {ActivationWindow: -1}, {MaxScale: 9}, {MaxScale: -1}, {Attempts: -1}} {
		if _, err := New(s, o); !errors.Is(err, ErrInvalid) {
			t.Errorf("New(%+v): err = %v, want ErrInvalid", o, err)
		}
	}
	if _, err := New(nil, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("New(nil store): err = %v, want ErrInvalid", err)
	}
	for name, it := range map[string]Item{
		"bad sku":    {SKU: "", Cost: pts("1")},
		"zero cost":  {SKU: "x"},
		"neg stock":  {SKU: "x", Cost: pts("1"), Stock: -1},
		"reserved":   {SKU: "x", Cost: pts("1"), Reserved: 1},
		"cost scale": {SKU: "x", Cost: pts("0.001")},
	} {
		if err := l.PutItem(ctx, it); !errors.Is(err, ErrInvalid) {
			t.Errorf("PutItem %s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// TestIdempotency: same ID and content is a no-op; same ID and other
// content is ErrIDReuse; neither changes anything.
func TestIdempotency(t *testing.T) {
	l, s := newLedger(t, nil)
	op := Op{ID: "e1", Kind: KindEarn, Customer: "c1", Points: pts("100"), At: t0, Ref: "salary"}
	first := mustApply(t, l, op)
	before := snap(s)
	same := op
	same.Points = pts("100.000")
	same.At = t0.In(time.FixedZone("CST", 8*3600))
	again := mustApply(t, l, same)
	if !again.Duplicate || first.Duplicate {
		t.Fatalf("duplicate flags: first %v, again %v", first.Duplicate, again.Duplicate)
	}
	if d := cmp.Diff(first.Record, again.Record, cmpOpts); d != "" {
		t.Fatalf("duplicate returned another record:\n%s", d)
	}
	for name, f := range map[string]func(*Op){
		"other points":   func(o *Op) { o.Points = pts("101") },
		"other customer": func(o *Op) { o.Customer = "c2" },
		"other kind":     func(o *Op) { o.Kind = KindRedeem },
		"other time":     func(o *Op) { o.At = t0.Add(time.Second) },
		"other ref":      func(o *Op) { o.Ref = "bonus" },
	} {
		o := op
		f(&o)
		_, err := l.Apply(ctx, o)
		if !errors.Is(err, ErrIDReuse) {
			t.Errorf("%s: err = %v, want ErrIDReuse", name, err)
		}
	}
	if d := cmp.Diff(before, snap(s), cmpOpts); d != "" {
		t.Fatalf("duplicates or reused IDs changed the store:\n%s", d)
	}
	// A failed operation records nothing, so its ID stays usable.
	_, err := l.Apply(ctx, Op{ID: "r1", Kind: KindRedeem, Customer: "c1", Points: pts("500"), At: t0})
	if !errors.Is(err, ErrInsufficient) {
		t.Fatalf("over-redemption: %v", err)
	}
	mustApply(t, l, Op{ID: "r1", Kind: KindRedeem, Customer: "c1", Points: pts("50"), At: t0})
}

// TestRedeemMoreThanHeld is the bad-input case of the issue: nothing is
// half-applied, the balance never goes negative.
func TestRedeemMoreThanHeld(t *testing.T) {
	l, s := newLedger(t, &Options{Validity: 30 * day})
	if err := l.PutItem(ctx, Item{SKU: "tv", Cost: pts("900"), Stock: 1}); err != nil {
		t.Fatal(err)
	}
	mustApply(t, l, Op{ID: "e1", Kind: KindEarn, Customer: "c1", Points: pts("500"), At: t0})
	mustApply(t, l, Op{ID: "e2", Kind: KindEarn, Customer: "c1", Points: pts("500"), At: t0.Add(20 * day)})
	before := snap(s)
	for name, op := range map[string]Op{
		"points":            {ID: "r1", Kind: KindRedeem, Customer: "c1", Points: pts("1001"), At: t0.Add(21 * day)},
		"item":              {ID: "r2", Kind: KindRedeem, Customer: "c1", SKU: "tv", Qty: 1, At: t0.Add(35 * day)}, // e1 expired
		"offline":           {ID: "r3", Kind: KindRedeemOffline, Customer: "c1", Points: pts("600"), At: t0.Add(31 * day)},
		"unknown customer":  {ID: "r4", Kind: KindRedeem, Customer: "nobody", Points: pts("1"), At: t0},
		"before it existed": {ID: "r5", Kind: KindRedeem, Customer: "c1", Points: pts("501"), At: t0.Add(time.Hour)},
	} {
		_, err := l.Apply(ctx, op)
		var oe *OpError
		if !errors.Is(err, ErrInsufficient) || !errors.As(err, &oe) || oe.ID != op.ID || oe.Field != "points" {
			t.Errorf("%s: err = %v, want ErrInsufficient on points of %s", name, err, op.ID)
		}
	}
	if d := cmp.Diff(before, snap(s), cmpOpts); d != "" {
		t.Fatalf("refused redemptions changed the store:\n%s", d)
	}
	b, _ := l.Balance(ctx, "c1", t0.Add(35*day))
	if !b.Available.Equal(pts("500")) || !b.NextExpiry.Equal(t0.Add(50*day)) || !b.Expiring.Equal(pts("500")) {
		t.Fatalf("balance %+v", b)
	}
}

func TestOutOfStockAndCatalogue(t *testing.T) {
	l, s := newLedger(t, nil)
	if err := l.PutItem(ctx, Item{SKU: "mug", Name: "Mug", Cost: pts("10"), Stock: 2}); err != nil {
		t.Fatal(err)
	}
	mustApply(t, l, Op{ID: "e1", Kind: KindEarn, Customer: "c1", Points: pts("100"), At: t0})
	before := snap(s)
	_, err := l.Apply(ctx, Op{ID: "r1", Kind: KindRedeem, Customer: "c1", SKU: "mug", Qty: 3, At: t0})
	if !errors.Is(err, ErrOutOfStock) {
		t.Fatalf("err = %v, want ErrOutOfStock", err)
	}
	_, err = l.Apply(ctx, Op{ID: "r2", Kind: KindRedeem, Customer: "c1", SKU: "pen", Qty: 1, At: t0})
	if !errors.Is(err, ErrUnknownItem) {
		t.Fatalf("err = %v, want ErrUnknownItem", err)
	}
	_, err = l.Apply(ctx, Op{ID: "s1", Kind: KindRestock, SKU: "pen", Qty: 1, At: t0})
	if !errors.Is(err, ErrUnknownItem) {
		t.Fatalf("restock: err = %v, want ErrUnknownItem", err)
	}
	if d := cmp.Diff(before, snap(s), cmpOpts); d != "" {
		t.Fatalf("refused operations changed the store:\n%s", d)
	}
	mustApply(t, l, Op{ID: "s2", Kind: KindRestock, SKU: "mug", Qty: 1, At: t0})
	mustApply(t, l, Op{ID: "s2", Kind: KindRestock, SKU: "mug", Qty: 1, At: t0}) // duplicate
	mustApply(t, l, Op{ID: "r3", Kind: KindRedeem, Customer: "c1", SKU: "mug", Qty: 3, At: t0})
	// Changing the definition keeps the stock; withdrawing blocks redemption.
	if err := l.PutItem(ctx, Item{SKU: "mug", Name: "Big mug", Cost: pts("20"), Stock: 99, Withdrawn: true}); err != nil {
		t.Fatal(err)
	}
	it, _ := l.Item(ctx, "mug")
	if it.Stock != 0 || it.Name != "Big mug" || !it.Cost.Equal(pts("20")) {
		t.Fatalf("item after PutItem: %+v", it)
	}
	mustApply(t, l, Op{ID: "s3", Kind: KindRestock, SKU: "mug", Qty: 5, At: t0})
	_, err = l.Apply(ctx, Op{ID: "r4", Kind: KindRedeem, Customer: "c1", SKU: "mug", Qty: 1, At: t0})
	if !errors.Is(err, ErrWithdrawn) {
		t.Fatalf("err = %v, want ErrWithdrawn", err)
	}
}

func TestOfflineRedemption(t *testing.T) {
	l, s := newLedger(t, &Options{Validity: 30 * day, ActivationWindow: 3 * day})
	if err := l.PutItem(ctx, Item{SKU: "bag", Cost: pts("100"), Stock: 10}); err != nil {
		t.Fatal(err)
	}
	mustApply(t, l, Op{ID: "e1", Kind: KindEarn, Customer: "c1", Points: pts("150"), At: t0})
	mustApply(t, l, Op{ID: "e2", Kind: KindEarn, Customer: "c1", Points: pts("150"), At: t0.Add(10 * day)})
	r := mustApply(t, l, Op{ID: "o1", Kind: KindRedeemOffline, Customer: "c1", SKU: "bag", Qty: 2, At: t0.Add(20 * day), Ref: "branch-evt-3"})
	if !r.Deadline.Equal(t0.Add(23*day)) || !r.Available.Equal(pts("100")) {
		t.Fatalf("offline record: deadline %v available %s", r.Deadline, r.Available)
	}
	want := []Allocation{{Lot: "e1", EarnedAt: t0, ExpiresAt: t0.Add(30 * day), Points: pts("-150")}, {Lot: "e2", EarnedAt: t0.Add(10 * day), ExpiresAt: t0.Add(40 * day), Points: pts("-50")}}
	if d := cmp.Diff(want, r.Allocations, cmpOpts); d != "" {
		t.Fatalf("allocations (first-expiring first):\n%s", d)
	}
	b, _ := l.Balance(ctx, "c1", t0.Add(20*day))
	if !b.Reserved.Equal(pts("200")) || b.Pending != 1 {
		t.Fatalf("balance %+v", b)
	}
	// Unknown target, other customer's target, activation before the redemption.
	for name, op := range map[string]Op{
		"unknown":        {ID: "a0", Kind: KindActivate, Customer: "c1", Target: "o9", At: t0.Add(21 * day)},
		"other customer": {ID: "a0", Kind: KindActivate, Customer: "c2", Target: "o1", At: t0.Add(21 * day)},
	} {
		if _, err := l.Apply(ctx, op); !errors.Is(err, ErrUnknownTarget) {
			t.Errorf("%s: err = %v, want ErrUnknownTarget", name, err)
		}
	}
	if _, err := l.Apply(ctx, Op{ID: "a0", Kind: KindActivate, Customer: "c1", Target: "o1", At: t0.Add(19 * day)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("activation before redemption: err = %v, want ErrInvalid", err)
	}
	// Too late (the deadline itself is still accepted).
	before := snap(s)
	if _, err := l.Apply(ctx, Op{ID: "a1", Kind: KindActivate, Customer: "c1", Target: "o1", At: t0.Add(23*day + time.Second)}); !errors.Is(err, ErrActivationExpired) {
		t.Fatalf("late activation: err = %v, want ErrActivationExpired", err)
	}
	if d := cmp.Diff(before, snap(s), cmpOpts); d != "" {
		t.Fatalf("late activation changed the store:\n%s", d)
	}
	mustApply(t, l, Op{ID: "a2", Kind: KindActivate, Customer: "c1", Target: "o1", At: t0.Add(23 * day)})
	it, _ := l.Item(ctx, "bag")
	if it.Stock != 8 || it.Reserved != 0 {
		t.Fatalf("after activation: %+v", it)
	}
	if _, err := l.Apply(ctx, Op{ID: "c1", Kind: KindCancel, Customer: "c1", Target: "o1", At: t0.Add(23 * day)}); !errors.Is(err, ErrUnknownTarget) {
		t.Fatalf("cancel of an activated redemption: err = %v, want ErrUnknownTarget", err)
	}

	// Cancel after the first lot expired: its part expires at once.
	mustApply(t, l, Op{ID: "e3", Kind: KindEarn, Customer: "c2", Points: pts("100"), At: t0})
	mustApply(t, l, Op{ID: "e4", Kind: KindEarn, Customer: "c2", Points: pts("100"), At: t0.Add(5 * day), ExpiresAt: t0.Add(60 * day)})
	mustApply(t, l, Op{ID: "o2", Kind: KindRedeemOffline, Customer: "c2", SKU: "bag", Qty: 1, At: t0.Add(29 * day)})
	r = mustApply(t, l, Op{ID: "x2", Kind: KindCancel, Customer: "c2", Target: "o2", At: t0.Add(31 * day)})
	if !r.Points.Equal(pts("100")) || !r.Expired.Equal(pts("100")) || !r.Available.Equal(pts("100")) {
		t.Fatalf("cancel across expiry: points %s expired %s available %s", r.Points, r.Expired, r.Available)
	}
	// Lapse: not activated, swept after the deadline; then activation is
	// refused as expired.
	mustApply(t, l, Op{ID: "o3", Kind: KindRedeemOffline, Customer: "c2", Points: pts("60"), At: t0.Add(32 * day)})
	recs, err := l.Expire(ctx, "c2", t0.Add(36*day))
	if err != nil || len(recs) != 1 || recs[0].ID != "~lapse/o3" || !recs[0].Points.Equal(pts("60")) {
		t.Fatalf("sweep: %+v, %v", recs, err)
	}
	if _, err := l.Apply(ctx, Op{ID: "a3", Kind: KindActivate, Customer: "c2", Target: "o3", At: t0.Add(33 * day)}); !errors.Is(err, ErrActivationExpired) {
		t.Fatalf("activation of a lapsed redemption: err = %v, want ErrActivationExpired", err)
	}
	it, _ = l.Item(ctx, "bag")
	if it.Stock != 8 || it.Reserved != 0 {
		t.Fatalf("after cancel and lapse: %+v", it)
	}
}

// TestReturnAfterSweep: points reserved from a lot that a sweep then
// expired must not come back to life when the reservation is cancelled
// by a late-arriving operation.
func TestReturnAfterSweep(t *testing.T) {
	l, s := newLedger(t, &Options{Validity: 10 * day, ActivationWindow: 30 * day})
	mustApply(t, l, Op{ID: "e1", Kind: KindEarn, Customer: "c1", Points: pts("100"), At: t0})
	mustApply(t, l, Op{ID: "o1", Kind: KindRedeemOffline, Customer: "c1", Points: pts("40"), At: t0.Add(day)})
	if recs, err := l.Expire(ctx, "c1", t0.Add(12*day)); err != nil || len(recs) != 1 || !recs[0].Points.Equal(pts("-60")) {
		t.Fatalf("sweep: %+v %v", recs, err)
	}
	r := mustApply(t, l, Op{ID: "x1", Kind: KindCancel, Customer: "c1", Target: "o1", At: t0.Add(5 * day)})
	if !r.Expired.Equal(pts("40")) {
		t.Fatalf("cancel dated before expiry but after the sweep: expired %s, want 40", r.Expired)
	}
	if recs, err := l.Expire(ctx, "c1", t0.Add(13*day)); err != nil || len(recs) != 0 {
		t.Fatalf("second sweep: %+v %v", recs, err)
	}
	checkInvariants(t, l, s, nil)
}

// TestConcurrency applies a mix of operations from many goroutines, each
// operation twice, with the race detector on in CI.
func TestConcurrency(t *testing.T) {
	l, s := newLedger(t, &Options{Attempts: 10000, Validity: 50 * day})
	if err := l.PutItem(ctx, Item{SKU: "hot", Cost: pts("5"), Stock: 40}); err != nil {
		t.Fatal(err)
	}
	const workers, perWorker, customers = 8, 60, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range perWorker {
				op := randomOp(rng, fmt.Sprintf("w%d-%d", w, i), customers, t0.Add(time.Duration(i)*time.Hour))
				for range 2 {
					_, err := l.Apply(ctx, op)
					if err != nil && !expected(err) {
						t.Errorf("Apply %s: %v", op.ID, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	checkInvariants(t, l, s, map[string]int64{"hot": 40})
}

func expected(err error) bool {
	for _, e := range []error{ErrInsufficient, ErrOutOfStock, ErrUnknownTarget, ErrActivationExpired, ErrInvalid} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func randomOp(rng *rand.Rand, id string, customers int, at time.Time) Op {
	c := fmt.Sprint("c", rng.IntN(customers))
	switch k := rng.IntN(10); {
	case k < 4:
		return Op{ID: id, Kind: KindEarn, Customer: c, Points: decimal.NewFromInt(int64(1 + rng.IntN(40))), At: at}
	case k < 6:
		return Op{ID: id, Kind: KindRedeem, Customer: c, Points: decimal.NewFromInt(int64(1 + rng.IntN(40))), At: at}
	case k < 7:
		return Op{ID: id, Kind: KindRedeem, Customer: c, SKU: "hot", Qty: int64(1 + rng.IntN(2)), At: at}
	case k < 8:
		return Op{ID: id, Kind: KindRedeemOffline, Customer: c, SKU: "hot", Qty: 1, At: at}
	case k < 9:
		return Op{ID: id, Kind: KindActivate, Customer: c, Target: fmt.Sprintf("w%d-%d", rng.IntN(8), rng.IntN(60)), At: at.Add(time.Hour)}
	}
	return Op{ID: id, Kind: KindCancel, Customer: c, Target: fmt.Sprintf("w%d-%d", rng.IntN(8), rng.IntN(60)), At: at.Add(time.Hour)}
}

// checkInvariants reconciles the journal with the accounts and the
// catalogue: per customer, the sum of record points net of immediate
// expiries equals the points in lots; no lot or balance is negative;
// stock = initial + restocks - units taken + units released, reserved =
// units of pending redemptions.
func checkInvariants(t *testing.T, l *Ledger, s *MemoryStore, initial map[string]int64) {
	t.Helper()
	net := map[string]decimal.Decimal{}
	units := map[string]int64{}
	for _, r := range s.Records() {
		if r.Customer != "" {
			net[r.Customer] = net[r.Customer].Add(r.Points).Sub(r.Expired)
		}
		switch r.Kind {
		case KindRedeem, KindRedeemOffline:
			units[r.SKU] -= r.Qty
		case KindCancel, KindLapse, KindRestock:
			units[r.SKU] += r.Qty
		}
	}
	reserved := map[string]int64{}
	for _, c := range s.Customers() {
		a, _, err := s.Account(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, lot := range a.Lots {
			if lot.Points.Sign() <= 0 {
				t.Fatalf("%s: lot %s has %s points", c, lot.ID, lot.Points)
			}
			sum = sum.Add(lot.Points)
		}
		for _, p := range a.Pending {
			reserved[p.SKU] += p.Qty
		}
		if !sum.Equal(net[c]) {
			t.Fatalf("%s: lots hold %s, journal says %s", c, sum, net[c])
		}
		b, err := l.Balance(ctx, c, t0.Add(400*day))
		if err != nil || b.Available.Sign() < 0 {
			t.Fatalf("%s: balance %+v err %v", c, b, err)
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for sku, it := range s.items {
		if it.v.Stock < 0 || it.v.Stock != initial[sku]+units[sku] || it.v.Reserved != reserved[sku] {
			t.Fatalf("item %s: stock %d reserved %d; journal says stock %d, pending hold %d", sku, it.v.Stock, it.v.Reserved, initial[sku]+units[sku], reserved[sku])
		}
	}
}

// TestRandomSequences applies seeded random operations and sweeps, then
// reconciles; and replays the same sequence on a fresh store to check the
// journal is identical (determinism).
func TestRandomSequences(t *testing.T) {
	run := func(seed uint64) []Record {
		l, s := newLedger(t, &Options{Validity: 20 * day, ActivationWindow: 2 * day})
		if err := l.PutItem(ctx, Item{SKU: "hot", Cost: pts("5"), Stock: 40}); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		for i := range 600 {
			at := t0.Add(time.Duration(i) * 3 * time.Hour)
			op := randomOp(rng, fmt.Sprintf("w%d-%d", rng.IntN(8), i%60+60*(i/60)), 4, at)
			op.ID = fmt.Sprint("op", i)
			if op.Target != "" {
				op.Target = fmt.Sprint("op", rng.IntN(i+1))
			}
			if _, err := l.Apply(ctx, op); err != nil && !expected(err) {
				t.Fatalf("Apply %s: %v", op.ID, err)
			}
			if i%50 == 49 {
				for c := range 4 {
					if _, err := l.Expire(ctx, fmt.Sprint("c", c), at); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		checkInvariants(t, l, s, map[string]int64{"hot": 40})
		return s.Records()
	}
	for seed := range uint64(4) {
		a, b := run(seed), run(seed)
		if d := cmp.Diff(a, b, cmpOpts); d != "" {
			t.Fatalf("seed %d: two runs differ:\n%s", seed, d)
		}
	}
}

func TestDecodeOp(t *testing.T) {
	for name, in := range map[string]string{
		"unknown field":   `{"id":"a","kind":"earn","x":1}`,
		"unknown kind":    `{"id":"a","kind":"steal"}`,
		"no kind":         `{"id":"a"}`,
		"trailing":        `{"id":"a","kind":"earn"} {}`,
		"bad points":      `{"id":"a","kind":"earn","points":"ten"}`,
		"absurd exponent": `{"id":"a","kind":"earn","points":"1e999999999"}`,
		"bad time":        `{"id":"a","kind":"earn","at":"yesterday"}`,
		"not json":        `id=a`,
		"array":           `[]`,
	} {
		if _, err := DecodeOp([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := DecodeOp(make([]byte, MaxOpJSON+1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("oversized input: err = %v", err)
	}
	op, err := DecodeOp([]byte(`{"id":"r","kind":"redeem_offline","customer":"c","sku":"mug","qty":2,"at":"2025-01-01T09:00:00Z","ref":"evt"}`))
	want := Op{ID: "r", Kind: KindRedeemOffline, Customer: "c", SKU: "mug", Qty: 2, At: t0, Ref: "evt"}
	if err != nil || op.Fingerprint() != want.Fingerprint() {
		t.Fatalf("decode: %+v %v", op, err)
	}
}
