package campaign

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// MemoryContactLog is an in-memory ContactLog: the reference
// implementation, for tests, examples and dry runs. It is not for
// production: it keeps everything in memory, forever, and loses it when the
// process ends. Commit stores copies; the contacts Contacts returns share
// their Reasons and Bill with the log and must not be modified. Safe for
// concurrent use.
type MemoryContactLog struct {
	mu sync.RWMutex
	m  map[string]*memHistory
}

type memHistory struct {
	version  uint64
	contacts []Contact
	keys     map[string]int // key -> index in contacts
}

// NewMemoryContactLog returns an empty log.
func NewMemoryContactLog() *MemoryContactLog {
	return &MemoryContactLog{m: make(map[string]*memHistory)}
}

// Contacts implements ContactLog.
func (l *MemoryContactLog) Contacts(ctx context.Context, customerID string, since time.Time, buf []Contact) ([]Contact, uint64, error) {
	if err := ctx.Err(); err != nil {
		return buf, 0, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	h := l.m[customerID]
	if h == nil {
		return buf, 0, nil
	}
	for i := range h.contacts {
		if since.IsZero() || !h.contacts[i].SendAt.Before(since) {
			buf = append(buf, h.contacts[i])
		}
	}
	return buf, h.version, nil
}

// Commit implements ContactLog.
func (l *MemoryContactLog) Commit(ctx context.Context, customerID string, version uint64, insert, update []Contact) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	for i := range insert {
		if insert[i].CustomerID != customerID || insert[i].Key == "" {
			return 0, fieldErr("insert", ErrInvalid)
		}
	}
	for i := range update {
		if update[i].CustomerID != customerID || update[i].Key == "" {
			return 0, fieldErr("update", ErrInvalid)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.m[customerID]
	cur := uint64(0)
	if h != nil {
		cur = h.version
	}
	if cur != version {
		return 0, ErrConflict
	}
	if len(insert) == 0 && len(update) == 0 {
		return version, nil
	}
	if h == nil {
		h = &memHistory{keys: make(map[string]int)}
	}
	seen := make(map[string]bool, len(insert))
	for i := range insert {
		k := insert[i].Key
		if _, ok := h.keys[k]; ok || seen[k] {
			return 0, ErrDuplicate
		}
		seen[k] = true
	}
	for i := range update {
		if _, ok := h.keys[update[i].Key]; !ok {
			return 0, ErrNotFound
		}
	}
	for i := range update {
		h.contacts[h.keys[update[i].Key]] = deepCopy(update[i])
	}
	for i := range insert {
		h.keys[insert[i].Key] = len(h.contacts)
		h.contacts = append(h.contacts, deepCopy(insert[i]))
	}
	h.version++
	l.m[customerID] = h
	return h.version, nil
}

// deepCopy returns c sharing nothing with the caller's value.
func deepCopy(c Contact) Contact {
	c.Reasons = slices.Clone(c.Reasons)
	if c.Bill != nil {
		b := *c.Bill
		c.Bill = &b
	}
	return c
}

// All returns every contact of every customer, ordered by customer ID and
// then commit order: for reports and measurement in dry runs.
func (l *MemoryContactLog) All() []Contact {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ids := make([]string, 0, len(l.m))
	n := 0
	for id, h := range l.m {
		ids = append(ids, id)
		n += len(h.contacts)
	}
	slices.Sort(ids)
	out := make([]Contact, 0, n)
	for _, id := range ids {
		out = append(out, l.m[id].contacts...)
	}
	return out
}

// MemoryCounters is an in-memory Counters: the reference implementation,
// not for production (nothing survives the process). Safe for concurrent
// use.
type MemoryCounters struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewMemoryCounters returns counters that are all zero.
func NewMemoryCounters() *MemoryCounters { return &MemoryCounters{m: make(map[string]int64)} }

// Value implements Counters.
func (c *MemoryCounters) Value(ctx context.Context, key string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key], nil
}

// Take implements Counters.
func (c *MemoryCounters) Take(ctx context.Context, key string, n, limit int64) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if n <= 0 {
		return false, fieldErr("n", ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.m[key]
	if v > limit-n {
		return false, nil
	}
	c.m[key] = v + n
	return true, nil
}

// Release implements Counters.
func (c *MemoryCounters) Release(ctx context.Context, key string, n int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if n <= 0 {
		return fieldErr("n", ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v := max(c.m[key]-n, 0)
	if v == 0 {
		delete(c.m, key)
	} else {
		c.m[key] = v
	}
	return nil
}

// MemoryDelivery is a Delivery that records what it is given: the
// reference implementation, for tests and dry runs (the campaign CLI
// delivers to one). Not for production: it sends nothing. A key delivered
// twice is recorded once. Safe for concurrent use.
type MemoryDelivery struct {
	mu    sync.Mutex
	sends []Send
	keys  map[string]bool
	dups  int
}

// NewMemoryDelivery returns an empty recorder.
func NewMemoryDelivery() *MemoryDelivery { return &MemoryDelivery{keys: make(map[string]bool)} }

// Deliver implements Delivery: it records a copy of s.
func (d *MemoryDelivery) Deliver(ctx context.Context, s *Send) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s == nil || s.Key == "" {
		return fieldErr("send", ErrInvalid)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.keys[s.Key] {
		d.dups++
		return nil
	}
	d.keys[s.Key] = true
	c := *s
	c.Reasons = slices.Clone(s.Reasons)
	if s.Bill != nil {
		b := *s.Bill
		c.Bill = &b
	}
	d.sends = append(d.sends, c)
	return nil
}

// Sends returns the messages delivered, ordered by send time, then
// customer ID, then key.
func (d *MemoryDelivery) Sends() []Send {
	d.mu.Lock()
	out := slices.Clone(d.sends)
	d.mu.Unlock()
	slices.SortFunc(out, func(a, b Send) int {
		if c := a.SendAt.Compare(b.SendAt); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CustomerID, b.CustomerID); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// Duplicates returns how many deliveries repeated a key already recorded.
func (d *MemoryDelivery) Duplicates() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dups
}
