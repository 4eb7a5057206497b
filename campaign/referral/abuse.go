package referral

import (
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// Flags is a set of abuse flags of one referral.
type Flags uint8

const (
	// FlagSharedDevice: the referee used a device the referrer uses.
	FlagSharedDevice Flags = 1 << iota
	// FlagSharedNetwork: the referee used an IP network (/24 for IPv4, /48
	// for IPv6) the referrer uses.
	FlagSharedNetwork
	// FlagSharedPayee: the referee pays or is paid by a counterparty the
	// referrer also deals with.
	FlagSharedPayee

	allFlags = FlagSharedDevice | FlagSharedNetwork | FlagSharedPayee
)

var flagNames = [...]string{"device", "network", "payee"}

// String lists the flags separated by commas ("device,payee"), or "none".
func (f Flags) String() string {
	if f == 0 {
		return "none"
	}
	var parts []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if f&^allFlags != 0 {
		parts = append(parts, "unknown")
	}
	return strings.Join(parts, ",")
}

// Has reports whether every flag of g is in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// CheckOptions configures Check. The zero value (or nil) counts every
// member the profiles keep.
type CheckOptions struct {
	// Recent, when positive, counts only members both customers used
	// within Recent before now.
	Recent time.Duration
	// Common reports members that many unrelated customers share and that
	// say nothing about a relationship between two of them: public Wi-Fi
	// and carrier-grade NAT networks, utilities, telecoms and large
	// merchants as payees. It receives the flag the member would raise and
	// the member's key as the profiles show it (a raw identifier, or "h:"
	// and a keyed hash when the profiles hash identifiers). Nil treats no
	// member as common; in production pass at least the largest payees,
	// or nearly every pair of customers will share one.
	Common func(kind Flags, key string) bool
}

// Finding is the result of Check: the flags raised and how many members
// of each kind the two customers share (never the members themselves,
// which are personal data).
type Finding struct {
	Flags          Flags // flags raised
	SharedDevices  int   // devices both used
	SharedNetworks int   // IP networks both used
	SharedPayees   int   // counterparties both dealt with
}

// Check compares the referrer's and the referee's profiles at now and
// flags the referral when the referee shares the referrer's device, IP
// network or payee: the usual marks of a customer referring themselves
// under a second identity, or of referral farming (many "referees"
// opened from one phone or one flat). Both profiles must come from
// Builders with the same hashing key, so that hashed identifiers compare.
// Flags are evidence for review, not proof: family members share devices
// and home networks.
//
// Errors: ErrInvalid (*Error naming "referrer", "referee" or "now") for nil
// profiles, a zero now, or one profile passed twice.
func Check(referrer, referee *profile.Profile, now time.Time, opts *CheckOptions) (Finding, error) {
	var o CheckOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case referrer == nil:
		return Finding{}, fieldErr("referrer", -1, ErrInvalid)
	case referee == nil || referee == referrer:
		return Finding{}, fieldErr("referee", -1, ErrInvalid)
	case now.IsZero():
		return Finding{}, fieldErr("now", -1, ErrInvalid)
	case o.Recent < 0:
		return Finding{}, fieldErr("Recent", -1, ErrInvalid)
	}
	var f Finding
	f.SharedDevices = shared(referrer.Devices(now), referee.Devices(now), FlagSharedDevice, now, &o)
	f.SharedNetworks = shared(referrer.Networks(now), referee.Networks(now), FlagSharedNetwork, now, &o)
	f.SharedPayees = shared(referrer.Counterparties(now), referee.Counterparties(now), FlagSharedPayee, now, &o)
	if f.SharedDevices > 0 {
		f.Flags |= FlagSharedDevice
	}
	if f.SharedNetworks > 0 {
		f.Flags |= FlagSharedNetwork
	}
	if f.SharedPayees > 0 {
		f.Flags |= FlagSharedPayee
	}
	return f, nil
}

func shared(a, b []profile.Seen, kind Flags, now time.Time, o *CheckOptions) int {
	recent := func(s profile.Seen) bool {
		return o.Recent <= 0 || !s.Last.Before(now.Add(-o.Recent))
	}
	keys := make(map[string]bool, len(a))
	for _, s := range a {
		if recent(s) {
			keys[s.Key] = true
		}
	}
	n := 0
	for _, s := range b {
		if keys[s.Key] && recent(s) && (o.Common == nil || !o.Common(kind, s.Key)) {
			n++
			delete(keys, s.Key)
		}
	}
	return n
}
