package rewards

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Options configures a Ledger. The zero value (or nil) gives the documented
// defaults.
type Options struct {
	// Validity is how long earned points stay valid when an earn operation
	// gives no ExpiresAt: a lot expires at At + Validity. Zero means points
	// without ExpiresAt never expire.
	Validity time.Duration
	// ActivationWindow is how long after an offline redemption the
	// customer may activate it online. Zero means 7 days.
	ActivationWindow time.Duration
	// MaxScale is the most decimal places an amount of points may have.
	// Zero means whole points only; at most 8.
	MaxScale int
	// Attempts bounds the load-compute-commit cycles of one call when
	// commits keep losing optimistic-concurrency races. Zero means 16.
	Attempts int
}

// Ledger applies operations to the accounts and catalogue kept in a Store.
// It holds only configuration, so one Ledger is safe for concurrent use; any
// number of Ledgers (in any number of processes) may share one Store, whose
// optimistic concurrency keeps them consistent.
//
// # Rules
//
//   - Amounts are decimal.Decimal points, positive, with at most
//     Options.MaxScale decimal places and at most 10^15.
//   - Idempotency: an operation ID is used once. Applying the same
//     operation again (same Fingerprint) returns the original record with
//     Result.Duplicate set and changes nothing; another operation under a
//     used ID is ErrIDReuse. A failed operation records nothing, so it may
//     be retried under the same ID.
//   - Never negative: a redemption takes only points that are available at
//     its time (earned by then, unexpired, not reserved); asking for more is
//     ErrInsufficient and changes nothing. Stock never goes below zero:
//     ErrOutOfStock.
//   - Expiry by lot, first-expiring first out: every earn makes a lot
//     expiring at its ExpiresAt (or At + Options.Validity, or never).
//     Redemptions consume lots in the order (expiry date, soonest first;
//     lots that never expire last; then earn time; then ID). With one
//     validity period for all points this is plain FIFO by earn time, the
//     customer-friendly rule: the oldest points are spent first, so fewer
//     expire. Points of a lot whose expiry has passed are not available
//     even before Expire removes them.
//   - Offline redemptions (branch events) reserve points and units at once
//     and complete only when activated online within
//     Options.ActivationWindow (inclusive); Cancel, or Expire after the
//     deadline, releases them. Released points go back to their own lots
//     (restoring emptied lots with their dates); points of lots that have
//     expired by then, or were already swept by Expire, expire at once
//     (Record.Expired).
//   - Atomic: each operation is one Store commit (account, item and
//     record together) or nothing.
type Ledger struct {
	s        Store
	validity time.Duration
	window   time.Duration
	maxScale int
	attempts int
}

// New returns a Ledger over s. Errors: ErrInvalid (as *OpError naming the
// option) for a nil store or an option out of range.
func New(s Store, opts *Options) (*Ledger, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case s == nil:
		return nil, opErr("", "store", ErrInvalid)
	case o.Validity < 0:
		return nil, opErr("", "Validity", ErrInvalid)
	case o.ActivationWindow < 0:
		return nil, opErr("", "ActivationWindow", ErrInvalid)
	case o.MaxScale < 0 || o.MaxScale > 8:
		return nil, opErr("", "MaxScale", ErrInvalid)
	case o.Attempts < 0:
		return nil, opErr("", "Attempts", ErrInvalid)
	}
	l := &Ledger{s: s, validity: o.Validity, window: o.ActivationWindow, maxScale: o.MaxScale, attempts: o.Attempts}
	if l.window == 0 {
		l.window = 7 * 24 * time.Hour
	}
	if l.attempts == 0 {
		l.attempts = 16
	}
	return l, nil
}

// Result is the outcome of Apply: the operation's record, and whether the
// operation had been applied before (then nothing changed now).
type Result struct {
	Record
	// Duplicate is set when the operation had been applied before: Record
	// is the original record and nothing changed now.
	Duplicate bool
}

// Apply validates and applies one operation. See Ledger for the rules.
//
// Errors, all as *OpError naming the operation ID and the field: ErrInvalid,
// ErrIDReuse, ErrInsufficient, ErrOutOfStock, ErrUnknownItem, ErrWithdrawn,
// ErrUnknownTarget, ErrActivationExpired; ErrConflict when the store kept
// conflicting for Options.Attempts cycles. Store and context errors are
// returned as they are. On any error nothing was applied.
func (l *Ledger) Apply(ctx context.Context, op Op) (Result, error) {
	if err := l.validate(&op); err != nil {
		return Result{}, err
	}
	fp := op.Fingerprint()
	for range l.attempts {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		rec, err := l.s.Record(ctx, op.ID)
		switch {
		case err == nil:
			if rec.Fingerprint == fp {
				return Result{Record: rec, Duplicate: true}, nil
			}
			return Result{}, opErr(op.ID, "id", ErrIDReuse)
		case !errors.Is(err, ErrNotFound):
			return Result{}, err
		}
		c, rec, err := l.plan(ctx, &op)
		if err != nil {
			return Result{}, err
		}
		rec.Fingerprint = fp
		c.Records = []Record{rec}
		err = l.s.Commit(ctx, c)
		if err == nil {
			return Result{Record: rec}, nil
		}
		if !errors.Is(err, ErrConflict) {
			return Result{}, err
		}
	}
	return Result{}, opErr(op.ID, "", ErrConflict)
}

func (l *Ledger) account(ctx context.Context, customer string) (Account, uint64, error) {
	a, v, err := l.s.Account(ctx, customer)
	if errors.Is(err, ErrNotFound) {
		return Account{Customer: customer}, 0, nil
	}
	if err != nil {
		return Account{}, 0, err
	}
	a.Customer = customer
	return a, v, nil
}

func (l *Ledger) item(ctx context.Context, id, sku string) (Item, uint64, error) {
	it, v, err := l.s.Item(ctx, sku)
	if errors.Is(err, ErrNotFound) {
		return Item{}, 0, opErr(id, "sku", ErrUnknownItem)
	}
	return it, v, err
}

// plan computes the commit and record of op from the stored state.
func (l *Ledger) plan(ctx context.Context, op *Op) (Commit, Record, error) {
	rec := Record{ID: op.ID, Kind: op.Kind, Customer: op.Customer, At: op.At, SKU: op.SKU, Qty: op.Qty, Target: op.Target, Ref: op.Ref}
	var c Commit
	if op.Kind == KindRestock {
		it, v, err := l.item(ctx, op.ID, op.SKU)
		if err != nil {
			return c, rec, err
		}
		if it.Stock > maxStock-op.Qty {
			return c, rec, opErr(op.ID, "qty", ErrInvalid)
		}
		it.Stock += op.Qty
		c.Items = []ItemWrite{{it, v}}
		return c, rec, nil
	}
	a, av, err := l.account(ctx, op.Customer)
	if err != nil {
		return c, rec, err
	}
	switch op.Kind {
	case KindEarn:
		exp := op.ExpiresAt
		if exp.IsZero() && l.validity > 0 {
			exp = op.At.Add(l.validity)
		}
		if total(a).Add(op.Points).Cmp(maxPoints) > 0 {
			return c, rec, opErr(op.ID, "points", ErrInvalid)
		}
		insertLot(&a, Lot{ID: op.ID, EarnedAt: op.At, ExpiresAt: exp, Points: op.Points})
		rec.Points = op.Points
		rec.Allocations = []Allocation{{Lot: op.ID, EarnedAt: op.At, ExpiresAt: exp, Points: op.Points}}
	case KindRedeem, KindRedeemOffline:
		points := op.Points
		if op.SKU != "" {
			it, iv, err := l.item(ctx, op.ID, op.SKU)
			if err != nil {
				return c, rec, err
			}
			if it.Withdrawn {
				return c, rec, opErr(op.ID, "sku", ErrWithdrawn)
			}
			if it.Stock < op.Qty {
				return c, rec, opErr(op.ID, "qty", ErrOutOfStock)
			}
			points = it.Cost.Mul(decimal.NewFromInt(op.Qty))
			it.Stock -= op.Qty
			if op.Kind == KindRedeemOffline {
				it.Reserved += op.Qty
			}
			c.Items = []ItemWrite{{it, iv}}
		}
		allocs, ok := take(&a, points, op.At)
		if !ok {
			return c, rec, opErr(op.ID, "points", ErrInsufficient)
		}
		rec.Points = points.Neg()
		rec.Allocations = make([]Allocation, len(allocs))
		for i, al := range allocs {
			al.Points = al.Points.Neg()
			rec.Allocations[i] = al
		}
		if op.Kind == KindRedeemOffline {
			rec.Deadline = op.At.Add(l.window)
			a.Pending = append(a.Pending, Pending{ID: op.ID, At: op.At, Deadline: rec.Deadline, Points: points, SKU: op.SKU, Qty: op.Qty, Allocations: allocs})
		}
	case KindActivate, KindCancel:
		i := slices.IndexFunc(a.Pending, func(p Pending) bool { return p.ID == op.Target })
		if i < 0 {
			if op.Kind == KindActivate {
				lapsed, err := l.s.Record(ctx, lapseID(op.Target))
				if err == nil && lapsed.Customer == op.Customer {
					return c, rec, opErr(op.ID, "target", ErrActivationExpired)
				}
				if err != nil && !errors.Is(err, ErrNotFound) {
					return c, rec, err
				}
			}
			return c, rec, opErr(op.ID, "target", ErrUnknownTarget)
		}
		p := a.Pending[i]
		if op.At.Before(p.At) {
			return c, rec, opErr(op.ID, "at", ErrInvalid)
		}
		if op.Kind == KindActivate && op.At.After(p.Deadline) {
			return c, rec, opErr(op.ID, "at", ErrActivationExpired)
		}
		a.Pending = slices.Delete(a.Pending, i, i+1)
		rec.SKU, rec.Qty = p.SKU, p.Qty
		if p.SKU != "" {
			it, iv, err := l.item(ctx, op.ID, p.SKU)
			if err != nil {
				return c, rec, err
			}
			it.Reserved -= p.Qty
			if op.Kind == KindCancel {
				it.Stock += p.Qty
			}
			c.Items = []ItemWrite{{it, iv}}
		}
		if op.Kind == KindCancel {
			rec.Points, rec.Expired, rec.Allocations = giveBack(&a, p.Allocations, op.At)
		}
	}
	rec.Available = available(a, op.At)
	c.Accounts = []AccountWrite{{a, av}}
	return c, rec, nil
}

// maxStock bounds a catalogue item's stock.
const maxStock = 1 << 53

func lapseID(pending string) string { return "~lapse/" + pending }

func expireID(lot string) string { return "~expire/" + lot }

// lotOrder is the consumption order documented on Ledger.
func lotOrder(a, b Lot) int {
	switch az, bz := a.ExpiresAt.IsZero(), b.ExpiresAt.IsZero(); {
	case az && !bz:
		return 1
	case !az && bz:
		return -1
	case !az:
		if c := a.ExpiresAt.Compare(b.ExpiresAt); c != 0 {
			return c
		}
	}
	if c := a.EarnedAt.Compare(b.EarnedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func insertLot(a *Account, lot Lot) {
	i, _ := slices.BinarySearchFunc(a.Lots, lot, lotOrder)
	a.Lots = slices.Insert(a.Lots, i, lot)
}

// live reports whether the lot's points can be spent at t: earned by t and
// not expired at t.
func live(l *Lot, t time.Time) bool {
	return !l.EarnedAt.After(t) && (l.ExpiresAt.IsZero() || l.ExpiresAt.After(t))
}

// expired reports whether the lot has expired at t.
func expired(l *Lot, t time.Time) bool { return !l.ExpiresAt.IsZero() && !l.ExpiresAt.After(t) }

func available(a Account, t time.Time) decimal.Decimal {
	sum := decimal.Zero
	for i := range a.Lots {
		if live(&a.Lots[i], t) {
			sum = sum.Add(a.Lots[i].Points)
		}
	}
	return sum
}

func total(a Account) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range a.Lots {
		sum = sum.Add(l.Points)
	}
	for _, p := range a.Pending {
		sum = sum.Add(p.Points)
	}
	return sum
}

// take debits points from the lots live at t in consumption order and
// returns what it took from each lot (positive amounts). It changes a only
// when there are enough points.
func take(a *Account, points decimal.Decimal, t time.Time) ([]Allocation, bool) {
	if available(*a, t).Cmp(points) < 0 {
		return nil, false
	}
	var out []Allocation
	left := points
	kept := a.Lots[:0]
	for _, l := range a.Lots {
		if left.Sign() > 0 && live(&l, t) {
			use := decimal.Min(l.Points, left)
			out = append(out, Allocation{Lot: l.ID, EarnedAt: l.EarnedAt, ExpiresAt: l.ExpiresAt, Points: use})
			left = left.Sub(use)
			l.Points = l.Points.Sub(use)
		}
		if l.Points.Sign() > 0 {
			kept = append(kept, l)
		}
	}
	clear(a.Lots[len(kept):])
	a.Lots = kept
	return out, true
}

// giveBack returns reserved points to their lots at time t. Points of a lot
// that expired by t, or by the last sweep, expire at once.
func giveBack(a *Account, allocs []Allocation, t time.Time) (points, expired decimal.Decimal, out []Allocation) {
	cut := t
	if a.SweptAt.After(cut) {
		cut = a.SweptAt
	}
	points, expired = decimal.Zero, decimal.Zero
	for _, al := range allocs {
		points = points.Add(al.Points)
		out = append(out, al)
		if !al.ExpiresAt.IsZero() && !al.ExpiresAt.After(cut) {
			expired = expired.Add(al.Points)
			continue
		}
		if i := slices.IndexFunc(a.Lots, func(l Lot) bool { return l.ID == al.Lot }); i >= 0 {
			a.Lots[i].Points = a.Lots[i].Points.Add(al.Points)
			continue
		}
		insertLot(a, Lot{ID: al.Lot, EarnedAt: al.EarnedAt, ExpiresAt: al.ExpiresAt, Points: al.Points})
	}
	return points, expired, out
}

// Expire sweeps one customer's account at now: offline redemptions whose
// activation deadline has passed lapse (their points and units are
// released; record ID "~lapse/" + the redemption's ID), then every lot whose
// expiry is at or before now expires (record ID "~expire/" + the lot's ID,
// Points negative). It returns the records written, lapses first, in
// account order; none when there is nothing to do or no account. Expire is
// idempotent: a second sweep at the same or an earlier time writes nothing.
// Run it periodically (a nightly batch over all customers) so that stored
// balances and the catalogue's reserved units stay current; balances
// computed by Balance exclude expired points even before the sweep.
//
// Errors: ErrInvalid for a zero now or an invalid customer ID; ErrConflict
// after Options.Attempts lost races; store and context errors.
func (l *Ledger) Expire(ctx context.Context, customer string, now time.Time) ([]Record, error) {
	if now.IsZero() {
		return nil, opErr("", "now", ErrInvalid)
	}
	if !validID(customer) {
		return nil, opErr("", "customer", ErrInvalid)
	}
	for range l.attempts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a, av, err := l.s.Account(ctx, customer)
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		var c Commit
		items := map[string]int{} // SKU -> index in c.Items
		keep := a.Pending[:0]
		var lapsed []Pending
		for _, p := range a.Pending {
			if p.Deadline.Before(now) {
				lapsed = append(lapsed, p)
			} else {
				keep = append(keep, p)
			}
		}
		a.Pending = keep
		for _, p := range lapsed {
			rec := Record{ID: lapseID(p.ID), Kind: KindLapse, Customer: customer, At: now, SKU: p.SKU, Qty: p.Qty, Target: p.ID}
			rec.Points, rec.Expired, rec.Allocations = giveBack(&a, p.Allocations, now)
			if p.SKU != "" {
				k, ok := items[p.SKU]
				if !ok {
					it, iv, err := l.item(ctx, p.ID, p.SKU)
					if err != nil {
						return nil, err
					}
					c.Items = append(c.Items, ItemWrite{it, iv})
					k = len(c.Items) - 1
					items[p.SKU] = k
				}
				c.Items[k].Item.Reserved -= p.Qty
				c.Items[k].Item.Stock += p.Qty
			}
			c.Records = append(c.Records, rec)
		}
		kept := a.Lots[:0]
		var gone []Lot
		for _, lot := range a.Lots {
			if expired(&lot, now) {
				gone = append(gone, lot)
			} else {
				kept = append(kept, lot)
			}
		}
		a.Lots = kept
		for _, lot := range gone {
			c.Records = append(c.Records, Record{
				ID: expireID(lot.ID), Kind: KindExpire, Customer: customer, At: now, Points: lot.Points.Neg(),
				Allocations: []Allocation{{Lot: lot.ID, EarnedAt: lot.EarnedAt, ExpiresAt: lot.ExpiresAt, Points: lot.Points.Neg()}},
			})
		}
		if len(c.Records) == 0 {
			return nil, nil
		}
		if now.After(a.SweptAt) {
			a.SweptAt = now
		}
		avail := available(a, now)
		for i := range c.Records {
			c.Records[i].Available = avail
		}
		c.Accounts = []AccountWrite{{a, av}}
		err = l.s.Commit(ctx, c)
		if err == nil {
			return c.Records, nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, err
		}
	}
	return nil, opErr("", "", ErrConflict)
}

// Balance is a customer's points at a point in time.
type Balance struct {
	// Available is the points that can be redeemed now: earned by now,
	// unexpired, not reserved.
	Available decimal.Decimal
	// Reserved is the points held by pending offline redemptions.
	Reserved decimal.Decimal
	// Pending is the number of pending offline redemptions.
	Pending int
	// NextExpiry is the soonest expiry among available points (zero when
	// none expire).
	NextExpiry time.Time
	// Expiring is the points that expire at NextExpiry.
	Expiring decimal.Decimal
}

// Balance returns the customer's balance at now (all zero for a customer
// without an account). It reads the stored account and does not sweep.
// Errors: ErrInvalid for a zero now or an invalid customer ID; store and
// context errors.
func (l *Ledger) Balance(ctx context.Context, customer string, now time.Time) (Balance, error) {
	b := Balance{Available: decimal.Zero, Reserved: decimal.Zero, Expiring: decimal.Zero}
	if now.IsZero() {
		return b, opErr("", "now", ErrInvalid)
	}
	if !validID(customer) {
		return b, opErr("", "customer", ErrInvalid)
	}
	a, _, err := l.s.Account(ctx, customer)
	if errors.Is(err, ErrNotFound) {
		return b, nil
	}
	if err != nil {
		return b, err
	}
	b.Available = available(a, now)
	for _, p := range a.Pending {
		b.Reserved = b.Reserved.Add(p.Points)
	}
	b.Pending = len(a.Pending)
	for _, lot := range a.Lots {
		if lot.ExpiresAt.IsZero() || !live(&lot, now) {
			continue // never expires, not yet earned, or already expired
		}
		switch {
		case b.NextExpiry.IsZero() || lot.ExpiresAt.Before(b.NextExpiry):
			b.NextExpiry, b.Expiring = lot.ExpiresAt, lot.Points
		case lot.ExpiresAt.Equal(b.NextExpiry):
			b.Expiring = b.Expiring.Add(lot.Points)
		}
	}
	return b, nil
}

// PutItem adds an item to the catalogue or changes one. A new item takes
// Stock from item (Reserved must be 0); for an existing item only Name, Cost
// and Withdrawn change: stock changes only through restock operations and
// redemptions, so that they stay idempotent and never oversell.
//
// Errors: ErrInvalid (as *OpError naming the field) for an invalid SKU, a
// cost that is not a valid positive amount, a negative stock or a non-zero
// Reserved; ErrConflict; store and context errors.
func (l *Ledger) PutItem(ctx context.Context, item Item) error {
	switch {
	case !validID(item.SKU):
		return opErr("", "sku", ErrInvalid)
	case !validPoints(item.Cost, l.maxScale):
		return opErr("", "cost", ErrInvalid)
	case item.Stock < 0 || item.Stock > maxStock:
		return opErr("", "stock", ErrInvalid)
	case item.Reserved != 0:
		return opErr("", "reserved", ErrInvalid)
	case len(item.Name) > 1024:
		return opErr("", "name", ErrInvalid)
	}
	for range l.attempts {
		if err := ctx.Err(); err != nil {
			return err
		}
		cur, v, err := l.s.Item(ctx, item.SKU)
		switch {
		case errors.Is(err, ErrNotFound):
			cur, v = item, 0
		case err != nil:
			return err
		default:
			cur.Name, cur.Cost, cur.Withdrawn = item.Name, item.Cost, item.Withdrawn
		}
		err = l.s.Commit(ctx, Commit{Items: []ItemWrite{{cur, v}}})
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return opErr("", "", ErrConflict)
}

// Item returns the catalogue item sku. Errors: ErrUnknownItem (as
// *OpError); store and context errors.
func (l *Ledger) Item(ctx context.Context, sku string) (Item, error) {
	it, _, err := l.item(ctx, "", sku)
	return it, err
}
