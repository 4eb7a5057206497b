package profile

import (
	"context"
	"errors"
	"sync"
)

// Store keeps profiles for the caller, with optimistic concurrency: every
// stored profile has a version, and a write names the version it read.
// Implementations must be safe for concurrent use and must honour ctx.
// The profile package ships MemoryStore as a reference; profiletest.TestStore
// checks any implementation against this contract.
type Store interface {
	// Get returns the stored profile of customerID and its version. When
	// nothing is stored it returns an error for which errors.Is(err,
	// ErrNotFound) holds. The returned profile is the caller's own: changing
	// it does not change what is stored.
	Get(ctx context.Context, customerID string) (*Profile, uint64, error)
	// Put stores p under p.CustomerID() if the stored version equals
	// version, where version 0 means "nothing stored yet", and returns the
	// new version, which is greater than version. If the stored version
	// differs it returns an error for which errors.Is(err, ErrConflict)
	// holds. On any error nothing is written: the stored profile and version
	// are exactly as before. Later changes to p do not change what is stored.
	Put(ctx context.Context, p *Profile, version uint64) (uint64, error)
}

// MemoryStore is an in-memory Store keeping encoded profiles in a map. It is
// a reference implementation for tests and examples, NOT FOR PRODUCTION:
// nothing survives the process and the map grows without bound.
type MemoryStore struct {
	mu sync.RWMutex
	m  map[string]memEntry
}

type memEntry struct {
	data    []byte
	version uint64
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: make(map[string]memEntry)} }

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, customerID string) (*Profile, uint64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	s.mu.RLock()
	e, ok := s.m[customerID]
	s.mu.RUnlock()
	if !ok {
		return nil, 0, ErrNotFound
	}
	p := new(Profile)
	if err := p.UnmarshalBinary(e.data); err != nil {
		return nil, 0, err
	}
	return p, e.version, nil
}

// Put implements Store.
func (s *MemoryStore) Put(ctx context.Context, p *Profile, version uint64) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if p == nil || p.customerID == "" {
		return 0, newFieldError("customer_id", "", ErrMissing)
	}
	data, err := p.MarshalBinary()
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.m[p.customerID]
	if cur.version != version {
		return 0, ErrConflict
	}
	s.m[p.customerID] = memEntry{data: data, version: version + 1}
	return version + 1, nil
}

// Len returns the number of stored profiles.
func (s *MemoryStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.m)
}

// DefaultAttempts is how many load-change-write cycles Update tries before
// giving up on a profile that keeps changing under it.
const DefaultAttempts = 8

// Update loads the profile of customerID from s (a new empty profile when
// none is stored), calls change on it, and writes it back with the version
// it read. When the write loses a race (ErrConflict) the whole cycle
// repeats on a fresh copy, up to DefaultAttempts times, so change must be
// safe to run more than once (applying the same events again is: duplicate
// event IDs are no-ops, and change starts from the stored state each time).
// An error from change aborts without writing. Update returns the profile
// as written.
func Update(ctx context.Context, s Store, customerID string, change func(p *Profile) error) (*Profile, error) {
	if customerID == "" {
		return nil, newFieldError("customer_id", "", ErrMissing)
	}
	var err error
	for attempt := 0; attempt < DefaultAttempts; attempt++ {
		if err = ctx.Err(); err != nil {
			return nil, err
		}
		p, version, gerr := s.Get(ctx, customerID)
		switch {
		case errors.Is(gerr, ErrNotFound):
			p, version = New(customerID), 0
		case gerr != nil:
			return nil, gerr
		}
		if err = change(p); err != nil {
			return nil, err
		}
		if _, err = s.Put(ctx, p, version); err == nil {
			return p, nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, err
		}
	}
	return nil, err
}
