package rewards

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// Account is one customer's points: the open lots and the pending offline
// redemptions. Stores persist it as they like (its fields are exported and
// JSON-tagged); only the Ledger changes it.
type Account struct {
	// Customer is the customer's ID.
	Customer string `json:"customer"`
	// Lots are the open lots (Points > 0), in consumption order (see
	// Ledger).
	Lots []Lot `json:"lots,omitempty"`
	// Pending are the offline redemptions awaiting online activation, in
	// the order they were made.
	Pending []Pending `json:"pending,omitempty"`
	// SweptAt is the latest time Ledger.Expire ran for the account (zero
	// when never). Points returned later to a lot that expired by then
	// expire at once.
	SweptAt time.Time `json:"swept_at,omitzero"`
}

// Lot is what remains of the points of one earn operation.
type Lot struct {
	ID        string          `json:"id"`                  // ID of the earn operation
	EarnedAt  time.Time       `json:"earned_at"`           // At of the earn operation
	ExpiresAt time.Time       `json:"expires_at,omitzero"` // zero: never expires
	Points    decimal.Decimal `json:"points"`              // not yet redeemed, reserved or expired; > 0
}

// Pending is an offline redemption awaiting online activation.
type Pending struct {
	ID          string          `json:"id"`            // ID of the redeem_offline operation
	At          time.Time       `json:"at"`            // when it was made at the branch
	Deadline    time.Time       `json:"deadline"`      // last instant activation is accepted
	Points      decimal.Decimal `json:"points"`        // reserved
	SKU         string          `json:"sku,omitempty"` // catalogue item reserved ("" for a points-only redemption)
	Qty         int64           `json:"qty,omitempty"` // units reserved
	Allocations []Allocation    `json:"allocations"`   // where the reserved points came from
}

// Allocation is the points one record took from (negative) or gave back to
// (positive) one lot. It carries the lot's dates so a lot emptied by a
// redemption can be restored when the redemption is cancelled.
type Allocation struct {
	Lot       string          `json:"lot"`                 // the lot's ID (its earn operation)
	EarnedAt  time.Time       `json:"earned_at"`           // the lot's earn time
	ExpiresAt time.Time       `json:"expires_at,omitzero"` // the lot's expiry (zero: never)
	Points    decimal.Decimal `json:"points"`              // points taken (< 0) or given back (> 0)
}

// Item is one entry of the rewards catalogue.
type Item struct {
	SKU  string          `json:"sku"`            // stock-keeping unit: the item's ID
	Name string          `json:"name,omitempty"` // display name
	Cost decimal.Decimal `json:"cost"`           // points per unit, > 0
	// Stock is the units available for redemption (never negative).
	Stock int64 `json:"stock"`
	// Reserved is the units held by pending offline redemptions.
	Reserved int64 `json:"reserved"`
	// Withdrawn items cannot be redeemed; pending offline redemptions of
	// them can still be activated.
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// Record is the journal entry of one applied operation, or of an expiry or
// lapse the ledger applied itself (IDs starting with "~").
type Record struct {
	ID       string    `json:"id"`                 // the operation's ID, or "~expire/..." and "~lapse/..."
	Kind     Kind      `json:"kind"`               // the operation's kind
	Customer string    `json:"customer,omitempty"` // "" for restock
	At       time.Time `json:"at"`                 // the operation's time, or the sweep's
	// Points is the change to the customer's points: positive for earn,
	// cancel and lapse (points given back), negative for redeem,
	// redeem_offline (reserved) and expire; zero for activate and restock.
	Points decimal.Decimal `json:"points"`
	// Expired is the part of the points given back by a cancel or lapse
	// that expired at once because its lot had expired.
	Expired decimal.Decimal `json:"expired"`
	SKU     string          `json:"sku,omitempty"`    // catalogue item, if any
	Qty     int64           `json:"qty,omitempty"`    // units redeemed, reserved, released or restocked
	Target  string          `json:"target,omitempty"` // the offline redemption activated, cancelled or lapsed
	Ref     string          `json:"ref,omitempty"`    // the operation's Ref
	// Deadline is the activation deadline of a redeem_offline.
	Deadline time.Time `json:"deadline,omitzero"`
	// Allocations lists the lots debited (negative) or credited (positive).
	Allocations []Allocation `json:"allocations,omitempty"`
	// Available is the customer's available balance right after the record,
	// at its time.
	Available decimal.Decimal `json:"available"`
	// Fingerprint is Op.Fingerprint of the operation ("" for records the
	// ledger writes itself).
	Fingerprint string `json:"fingerprint,omitempty"`
}

// AccountWrite is an account to store, with the version it was read at (0
// when it did not exist).
type AccountWrite struct {
	Account Account // the new state
	Version uint64  // the version it was read at; 0: not stored yet
}

// ItemWrite is a catalogue item to store, with the version it was read at
// (0 when it did not exist).
type ItemWrite struct {
	Item    Item   // the new state
	Version uint64 // the version it was read at; 0: not stored yet
}

// Commit is one atomic change: accounts and items written under optimistic
// concurrency and records inserted. A Commit names each account, item and
// record at most once.
type Commit struct {
	Accounts []AccountWrite // accounts to write
	Items    []ItemWrite    // catalogue items to write
	Records  []Record       // journal records to insert; their IDs must be new
}

// Store keeps accounts, the catalogue and the journal for the caller. It is
// the caller's (a SQL database, a key-value store with transactions); the
// package ships MemoryStore as a reference and rewardstest.TestStore as the
// conformance kit. Implementations must be safe for concurrent use and
// honour ctx. Values returned are the caller's own copies; changing them
// changes nothing stored, and later changes to values passed in change
// nothing stored either.
type Store interface {
	// Account returns the stored account of customer and its version (> 0).
	// When none is stored it returns an error for which errors.Is(err,
	// ErrNotFound) holds.
	Account(ctx context.Context, customer string) (Account, uint64, error)
	// Item returns the catalogue item sku and its version (> 0), or an
	// ErrNotFound error.
	Item(ctx context.Context, sku string) (Item, uint64, error)
	// Record returns the journal record with the ID, or an ErrNotFound
	// error.
	Record(ctx context.Context, id string) (Record, error)
	// Commit applies c atomically: if every account and item is stored at
	// exactly the version named (0 meaning "not stored") and no record ID
	// is stored yet, it stores every account and item with its version plus
	// one and inserts every record; otherwise it returns an error for which
	// errors.Is(err, ErrConflict) holds. On any error nothing is written.
	Commit(ctx context.Context, c Commit) error
}

// MemoryStore is an in-memory Store: a reference implementation for tests
// and examples, NOT FOR PRODUCTION (nothing survives the process and the
// journal grows without bound). It is safe for concurrent use.
type MemoryStore struct {
	mu       sync.RWMutex
	accounts map[string]versioned[Account]
	items    map[string]versioned[Item]
	records  map[string]Record
	order    []string // record IDs in commit order
}

type versioned[T any] struct {
	v       T
	version uint64
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		accounts: make(map[string]versioned[Account]),
		items:    make(map[string]versioned[Item]),
		records:  make(map[string]Record),
	}
}

// Account implements Store.
func (s *MemoryStore) Account(ctx context.Context, customer string) (Account, uint64, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.accounts[customer]
	if !ok {
		return Account{}, 0, ErrNotFound
	}
	return cloneAccount(a.v), a.version, nil
}

// Item implements Store.
func (s *MemoryStore) Item(ctx context.Context, sku string) (Item, uint64, error) {
	if err := ctx.Err(); err != nil {
		return Item{}, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[sku]
	if !ok {
		return Item{}, 0, ErrNotFound
	}
	return it.v, it.version, nil
}

// Record implements Store.
func (s *MemoryStore) Record(ctx context.Context, id string) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[id]
	if !ok {
		return Record{}, ErrNotFound
	}
	return cloneRecord(r), nil
}

// Commit implements Store.
func (s *MemoryStore) Commit(ctx context.Context, c Commit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range c.Accounts {
		if s.accounts[w.Account.Customer].version != w.Version {
			return ErrConflict
		}
	}
	for _, w := range c.Items {
		if s.items[w.Item.SKU].version != w.Version {
			return ErrConflict
		}
	}
	for _, r := range c.Records {
		if _, ok := s.records[r.ID]; ok {
			return ErrConflict
		}
	}
	for _, w := range c.Accounts {
		s.accounts[w.Account.Customer] = versioned[Account]{cloneAccount(w.Account), w.Version + 1}
	}
	for _, w := range c.Items {
		s.items[w.Item.SKU] = versioned[Item]{w.Item, w.Version + 1}
	}
	for _, r := range c.Records {
		s.records[r.ID] = cloneRecord(r)
		s.order = append(s.order, r.ID)
	}
	return nil
}

// Records returns every record in commit order (for tests and audits).
func (s *MemoryStore) Records() []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Record, len(s.order))
	for i, id := range s.order {
		out[i] = cloneRecord(s.records[id])
	}
	return out
}

// Customers returns the customers with a stored account, sorted.
func (s *MemoryStore) Customers() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.accounts))
	for c := range s.accounts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func cloneAccount(a Account) Account {
	a.Lots = slices.Clone(a.Lots)
	a.Pending = slices.Clone(a.Pending)
	for i := range a.Pending {
		a.Pending[i].Allocations = slices.Clone(a.Pending[i].Allocations)
	}
	return a
}

func cloneRecord(r Record) Record {
	r.Allocations = slices.Clone(r.Allocations)
	return r
}
