package referral

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// SnapshotVersion is the version of the Snapshot format written by
// Tree.Snapshot.
const SnapshotVersion = 1

// Snapshot is the state of a Tree in a form the caller can store, for
// example as JSON. It holds customer IDs but no codes and no secret:
// codes are derived again from the secret on Restore.
type Snapshot struct {
	Version   int           `json:"version"`   // SnapshotVersion
	Codes     []IssuedCode  `json:"codes"`     // sorted by customer
	Referrals []Edge        `json:"referrals"` // sorted by referee
	Qualified []Qualified   `json:"qualified"` // in qualification order
	Invites   []InvitesSent `json:"invites"`   // sorted by customer
}

// IssuedCode records that a customer's code is the one derived at Attempt.
type IssuedCode struct {
	Customer string `json:"customer"` // the code's owner
	Attempt  int    `json:"attempt"`  // the attempt the code was derived at
}

// Qualified records a referee's qualification.
type Qualified struct {
	Referee string    `json:"referee"` // who qualified
	At      time.Time `json:"at"`      // when
	Flags   Flags     `json:"flags"`   // abuse flags given to Qualify
}

// InvitesSent records a customer's invitations.
type InvitesSent struct {
	Customer string `json:"customer"` // who invited
	Count    int    `json:"count"`    // invitations sent in total
}

// Snapshot returns the tree's state.
func (t *Tree) Snapshot() Snapshot {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s := Snapshot{Version: SnapshotVersion, Codes: []IssuedCode{}, Referrals: []Edge{}, Qualified: []Qualified{}, Invites: []InvitesSent{}}
	for _, n := range t.nodes {
		if n.code != "" {
			s.Codes = append(s.Codes, IssuedCode{Customer: n.id, Attempt: n.attempt})
		}
		if n.parent != nil {
			s.Referrals = append(s.Referrals, Edge{Referrer: n.parent.id, Referee: n.id, At: n.referredAt})
		}
		if n.invites > 0 {
			s.Invites = append(s.Invites, InvitesSent{Customer: n.id, Count: n.invites})
		}
	}
	for _, n := range t.qualified {
		s.Qualified = append(s.Qualified, Qualified{Referee: n.id, At: n.qualifiedAt, Flags: n.flags})
	}
	slices.SortFunc(s.Codes, func(a, b IssuedCode) int { return cmp.Compare(a.Customer, b.Customer) })
	slices.SortFunc(s.Referrals, func(a, b Edge) int { return cmp.Compare(a.Referee, b.Referee) })
	slices.SortFunc(s.Invites, func(a, b InvitesSent) int { return cmp.Compare(a.Customer, b.Customer) })
	return s
}

// DecodeSnapshot decodes a JSON snapshot, refusing unknown fields and
// trailing data (ErrInvalid as *Error). Restore validates the content.
func DecodeSnapshot(data []byte) (Snapshot, error) {
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Snapshot{}, fieldErr("snapshot", -1, ErrInvalid)
	}
	if _, err := dec.Token(); err == nil {
		return Snapshot{}, fieldErr("snapshot", -1, ErrInvalid)
	}
	return s, nil
}

// Restore rebuilds a tree from a snapshot with the given secret and
// options. Codes are derived again (a snapshot restored with another
// secret gives other codes); referrals are validated as by Add (no
// cycles, one referrer per referee); qualifications are replayed in order
// with their recorded times and flags, so rewards, statuses and caps are
// recomputed under the options given. The attribution window is not
// checked again, since the programme's window may have changed since.
//
// Errors (*Error naming the list and the index, or *CycleError):
// ErrInvalid for an unknown version, a bad ID, an attempt out of range, a
// code collision, a qualification of a customer not referred, qualified
// twice or dated before the referral, a negative count; the errors of Add.
func Restore(secret []byte, opts *Options, s Snapshot) (*Tree, error) {
	t, err := NewTree(secret, opts)
	if err != nil {
		return nil, err
	}
	if s.Version != SnapshotVersion {
		return nil, fieldErr("version", -1, ErrInvalid)
	}
	for i, c := range s.Codes {
		if !validID(c.Customer) {
			return nil, fieldErr("codes.customer", i, ErrInvalid)
		}
		if c.Attempt < 0 || c.Attempt >= t.maxAttempts {
			return nil, fieldErr("codes.attempt", i, ErrInvalid)
		}
		if n := t.nodes[c.Customer]; n != nil {
			return nil, fieldErr("codes.customer", i, ErrInvalid)
		}
		code := t.coder.Code(c.Customer, c.Attempt)
		if _, taken := t.codes[code]; taken {
			return nil, fieldErr("codes.attempt", i, ErrInvalid)
		}
		n := t.get(c.Customer)
		n.code, n.attempt = code, c.Attempt
		t.codes[code] = n
	}
	if err := t.add(s.Referrals, false); err != nil {
		return nil, err
	}
	for i, q := range s.Qualified {
		n := t.nodes[q.Referee]
		switch {
		case !validID(q.Referee):
			return nil, fieldErr("qualified.referee", i, ErrInvalid)
		case n == nil || n.parent == nil:
			return nil, fieldErr("qualified.referee", i, ErrNotReferred)
		case n.qualified:
			return nil, fieldErr("qualified.referee", i, ErrInvalid)
		case q.At.IsZero() || q.At.Before(n.referredAt):
			return nil, fieldErr("qualified.at", i, ErrInvalid)
		case q.Flags&^allFlags != 0:
			return nil, fieldErr("qualified.flags", i, ErrInvalid)
		}
		t.qualify(n, q.At, q.Flags)
	}
	for i, iv := range s.Invites {
		if !validID(iv.Customer) {
			return nil, fieldErr("invites.customer", i, ErrInvalid)
		}
		if iv.Count < 0 || iv.Count > maxInvites {
			return nil, fieldErr("invites.count", i, ErrInvalid)
		}
		n := t.get(iv.Customer)
		if n.invites+iv.Count > maxInvites {
			return nil, fieldErr("invites.count", i, ErrInvalid)
		}
		n.invites += iv.Count
	}
	return t, nil
}
