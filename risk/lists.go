package risk

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
)

// Verdict is what a list says about one key.
type Verdict uint8

// Verdicts. A key on both lists is Blocked: blocking wins.
const (
	Unlisted Verdict = iota // on no list
	Allowed                 // on the allow list
	Blocked                 // on the block list
)

// String returns "unlisted", "allowed" or "blocked".
func (v Verdict) String() string {
	switch v {
	case Unlisted:
		return "unlisted"
	case Allowed:
		return "allowed"
	case Blocked:
		return "blocked"
	}
	return "invalid"
}

// ListKind says what a list entry is about.
type ListKind uint8

// List kinds.
const (
	ListCustomer     ListKind = iota + 1 // a customer ID
	ListDevice                           // a device ID (fingerprint or binding ID)
	ListNetwork                          // an IP network (netip.Prefix)
	ListCounterparty                     // a payee, merchant or biller name
)

// String returns "customer", "device", "network" or "counterparty".
func (k ListKind) String() string {
	switch k {
	case ListCustomer:
		return "customer"
	case ListDevice:
		return "device"
	case ListNetwork:
		return "network"
	case ListCounterparty:
		return "counterparty"
	}
	return "invalid"
}

// ListQuery holds the keys of one payment to look up. Empty strings and the
// zero netip.Addr are not looked up.
type ListQuery struct {
	Customer     string     // the customer ID
	Device       string     // the device ID
	IP           netip.Addr // the IP address, matched against networks
	Counterparty string     // the payee, merchant or biller
}

// ListHits holds the verdict for each key of a ListQuery; Network is the
// verdict for the network that contains the query's IP address.
type ListHits struct {
	Customer     Verdict // of ListQuery.Customer
	Device       Verdict // of ListQuery.Device
	Network      Verdict // of the networks containing ListQuery.IP
	Counterparty Verdict // of ListQuery.Counterparty
}

// Lists is the block and allow lists the engine consults first. The bank
// implements it over its own store (a database table, a cache, a
// fraud-intelligence feed); MemoryLists is the in-memory reference and
// risktest.TestLists checks an implementation.
//
// Check returns the verdict for every key of q in one call, so that a
// remote store costs one round trip per decision:
//   - keys match byte for byte (case-sensitive, no trimming);
//   - an empty key, or the zero IP, is Unlisted;
//   - the IP's verdict is Blocked when any blocked network contains it,
//     else Allowed when any allowed network does; IPv4-mapped IPv6
//     addresses match IPv4 networks;
//   - a key on both lists is Blocked;
//   - a key missing from the lists is Unlisted with a nil error (never an
//     error such as "not found").
//
// Check must not modify q, must be safe for concurrent use, and must
// honour ctx: when ctx is done it returns an error wrapping ctx.Err().
// Any error makes the engine apply its fail-safe (see Policy.OnError).
type Lists interface {
	Check(ctx context.Context, q *ListQuery) (ListHits, error)
}

// ListEntry is one entry of a list.
type ListEntry struct {
	Kind    ListKind     // what the entry is about
	Value   string       // the key for every kind but ListNetwork
	Network netip.Prefix // the network for ListNetwork
	Verdict Verdict      // Allowed or Blocked
}

// validate checks e and returns it normalised (the prefix masked).
func (e ListEntry) validate() (ListEntry, error) {
	if e.Verdict != Allowed && e.Verdict != Blocked {
		return e, &InputError{Field: "Verdict", Err: fmt.Errorf("want Allowed or Blocked")}
	}
	switch e.Kind {
	case ListCustomer, ListDevice, ListCounterparty:
		if e.Value == "" {
			return e, &InputError{Field: "Value", Err: fmt.Errorf("empty %s", e.Kind)}
		}
		if e.Network.IsValid() {
			return e, &InputError{Field: "Network", Err: fmt.Errorf("only for ListNetwork")}
		}
	case ListNetwork:
		if !e.Network.IsValid() {
			return e, &InputError{Field: "Network", Err: fmt.Errorf("invalid prefix")}
		}
		if e.Value != "" {
			return e, &InputError{Field: "Value", Err: fmt.Errorf("ListNetwork uses Network")}
		}
		p := e.Network
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		e.Network = p.Masked()
	default:
		return e, &InputError{Field: "Kind", Err: fmt.Errorf("unknown list kind")}
	}
	return e, nil
}

// MemoryLists is an in-memory Lists: the reference implementation, for
// tests, examples and backtests. It is not for production: entries live in
// one process's memory, are lost on restart, and networks are matched by a
// linear scan. It is safe for concurrent use.
type MemoryLists struct {
	mu    sync.RWMutex
	exact [4]map[string]uint8 // per kind (customer, device, -, counterparty): bit set of verdicts
	nets  map[netip.Prefix]uint8
}

// NewMemoryLists returns lists holding entries.
func NewMemoryLists(entries ...ListEntry) (*MemoryLists, error) {
	m := &MemoryLists{nets: map[netip.Prefix]uint8{}}
	for i := range m.exact {
		m.exact[i] = map[string]uint8{}
	}
	for _, e := range entries {
		if err := m.Add(e); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Add puts e on its list. Adding an entry twice is a no-op.
func (m *MemoryLists) Add(e ListEntry) error {
	e, err := e.validate()
	if err != nil {
		return err
	}
	bit := uint8(1) << e.Verdict
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.Kind == ListNetwork {
		m.nets[e.Network] |= bit
	} else {
		m.exact[e.Kind-1][e.Value] |= bit
	}
	return nil
}

// Remove takes e off its list (the same kind, key and verdict). Removing an
// entry that is not there is a no-op.
func (m *MemoryLists) Remove(e ListEntry) error {
	e, err := e.validate()
	if err != nil {
		return err
	}
	bit := uint8(1) << e.Verdict
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.Kind == ListNetwork {
		if v := m.nets[e.Network] &^ bit; v == 0 {
			delete(m.nets, e.Network)
		} else {
			m.nets[e.Network] = v
		}
		return nil
	}
	mp := m.exact[e.Kind-1]
	if v := mp[e.Value] &^ bit; v == 0 {
		delete(mp, e.Value)
	} else {
		mp[e.Value] = v
	}
	return nil
}

// Check implements Lists.
func (m *MemoryLists) Check(ctx context.Context, q *ListQuery) (ListHits, error) {
	if err := ctx.Err(); err != nil {
		return ListHits{}, fmt.Errorf("risk: lists: %w", err)
	}
	var h ListHits
	if q == nil {
		return h, nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	h.Customer = m.lookup(ListCustomer, q.Customer)
	h.Device = m.lookup(ListDevice, q.Device)
	h.Counterparty = m.lookup(ListCounterparty, q.Counterparty)
	if q.IP.IsValid() {
		ip := q.IP.Unmap().WithZone("")
		var bits uint8
		for p, v := range m.nets {
			if p.Contains(ip) {
				bits |= v
			}
		}
		h.Network = verdictOf(bits)
	}
	return h, nil
}

func (m *MemoryLists) lookup(k ListKind, key string) Verdict {
	if key == "" {
		return Unlisted
	}
	return verdictOf(m.exact[k-1][key])
}

func verdictOf(bits uint8) Verdict {
	switch {
	case bits&(1<<Blocked) != 0:
		return Blocked
	case bits&(1<<Allowed) != 0:
		return Allowed
	}
	return Unlisted
}
