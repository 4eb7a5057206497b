package campaign

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// Occurrence identifies what a message is about, so that the same
// occurrence always yields the same idempotency key: a recurrence period of
// a scheduled campaign, or one trigger instance.
type Occurrence struct {
	Trigger TriggerType // what started it; TriggerNone for a schedule
	// Period is, by trigger: TriggerNone, the recurrence period number
	// (0 for once; for daily, weekly and monthly, the local day number
	// since 1970-01-01, the Monday-based week number, or year×12+month−1);
	// TriggerSegment, the transition's Unix time; TriggerBillDue, the local
	// day number of the due date; TriggerEvent, 0.
	Period int64
	// Ref is, by trigger: TriggerSegment, "entered:SEGMENT" or
	// "left:SEGMENT"; TriggerBillDue, the bill's counterparty;
	// TriggerEvent, the event ID; TriggerNone, "".
	Ref string
}

// String returns a readable form, for example "bill_due/Power Co/20154".
func (o Occurrence) String() string {
	s := o.Trigger.String() + "/"
	if o.Ref != "" {
		s += o.Ref + "/"
	}
	return s + strconv.FormatInt(o.Period, 10)
}

// keyDomain separates idempotency keys from any other use of the hash.
const keyDomain = "suanpan/campaign/key/v1"

// Key returns the idempotency key of the message of campaign campaignID to
// customer customerID for occurrence o: the first 128 bits of SHA-256 over
// the length-prefixed fields, in hex (32 characters). It depends on nothing
// else (not on the set version, the channel, the offer or the time of
// planning), so every planner that decides the same message derives the
// same key.
func Key(campaignID, customerID string, o Occurrence) string {
	var stack [192]byte
	b := append(stack[:0], keyDomain...)
	b = appendField(b, campaignID)
	b = appendField(b, customerID)
	b = append(b, byte(o.Trigger))
	b = binary.BigEndian.AppendUint64(b, uint64(o.Period))
	b = appendField(b, o.Ref)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Domains of the holdout hash.
const (
	domHoldout = 0x48 // per-campaign holdout
	domControl = 0x47 // global control group
)

// unitHash maps (seed, domain, a, b) to a number uniform in [0, 1): FNV-1a
// (64 bits) over the length-prefixed strings, finished with the SplitMix64
// mixer (Steele, Lea & Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014) so that nearby inputs spread evenly.
func unitHash(seed uint64, domain byte, a, b string) float64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	mix := func(c byte) { h ^= uint64(c); h *= prime }
	for i := 0; i < 8; i++ {
		mix(byte(seed >> (8 * i)))
	}
	mix(domain)
	for _, s := range [2]string{a, b} {
		n := len(s)
		for n >= 0x80 {
			mix(byte(n) | 0x80)
			n >>= 7
		}
		mix(byte(n))
		for i := 0; i < len(s); i++ {
			mix(s[i])
		}
	}
	h = splitmix64(h)
	return float64(h>>11) / (1 << 53)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// InHoldout reports whether the customer is in the holdout of the campaign
// when share of customers, in [0, 1], are held out: a stable hash of
// (seed, customer, campaign) below share. Each campaign draws its own
// holdout independently of the others.
func InHoldout(seed uint64, customerID, campaignID string, share float64) bool {
	return share > 0 && unitHash(seed, domHoldout, customerID, campaignID) < share
}

// InGlobalControl reports whether the customer is in the global control
// group when share of customers are: a stable hash of (seed, customer)
// below share.
func InGlobalControl(seed uint64, customerID string, share float64) bool {
	return share > 0 && unitHash(seed, domControl, customerID, "") < share
}
