package rewards

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Kind is the kind of a ledger operation or record.
type Kind uint8

// Operation kinds a caller applies with Ledger.Apply, and the record kinds
// the ledger writes itself (KindExpire, KindLapse).
const (
	// KindEarn credits Points to the customer as a new lot.
	KindEarn Kind = iota + 1
	// KindRedeem debits points at once: Points, or Qty units of the
	// catalogue item SKU at its cost (taking the units from stock).
	KindRedeem
	// KindRedeemOffline is a redemption at a branch event: the points and
	// units are reserved at once but the redemption completes only when the
	// customer activates it online (KindActivate) before the activation
	// deadline; otherwise it lapses and everything reserved is released.
	KindRedeemOffline
	// KindActivate completes the pending offline redemption named by Target
	// (the customer's online activation).
	KindActivate
	// KindCancel cancels the pending offline redemption named by Target,
	// releasing its points and units.
	KindCancel
	// KindRestock adds Qty units to the stock of catalogue item SKU.
	KindRestock
	// KindExpire records points of one lot that expired (written by
	// Ledger.Expire; not accepted by Apply).
	KindExpire
	// KindLapse records an offline redemption not activated in time (written
	// by Ledger.Expire; not accepted by Apply).
	KindLapse
)

var kindNames = [...]string{"", "earn", "redeem", "redeem_offline", "activate", "cancel", "restock", "expire", "lapse"}

// String returns the kind's JSON name ("earn", "redeem", ...).
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind parses a name returned by Kind.String.
func ParseKind(s string) (Kind, error) {
	for i := 1; i < len(kindNames); i++ {
		if kindNames[i] == s {
			return Kind(i), nil
		}
	}
	return 0, opErr("", "kind", ErrInvalid)
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(kindNames) {
		return nil, opErr("", "kind", ErrInvalid)
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Op is one ledger operation. ID makes it idempotent: applying an Op whose
// ID was already applied with the same content is a no-op returning the
// original record; the same ID with other content is ErrIDReuse. Which
// fields an Op uses depends on its Kind; a field that does not belong to the
// kind must be zero (ErrInvalid otherwise):
//
//	kind            Customer  Points  SKU+Qty  ExpiresAt  Target
//	earn            yes       > 0     -        optional   -
//	redeem          yes       > 0  or  yes      -          -
//	redeem_offline  yes       > 0  or  yes      -          -
//	activate        yes       -       -        -          yes
//	cancel          yes       -       -        -          yes
//	restock         -         -       yes      -          -
//
// At is required for every kind. Ref is the caller's free reference (the
// branch event, campaign or referral behind the operation), kept in the
// record for audit.
type Op struct {
	ID        string          `json:"id"`                  // idempotency key, unique per operation
	Kind      Kind            `json:"kind"`                // what to do
	Customer  string          `json:"customer,omitempty"`  // whose points
	Points    decimal.Decimal `json:"points"`              // amount earned or redeemed
	SKU       string          `json:"sku,omitempty"`       // catalogue item redeemed or restocked
	Qty       int64           `json:"qty,omitempty"`       // units of SKU
	At        time.Time       `json:"at"`                  // when the operation happened
	ExpiresAt time.Time       `json:"expires_at,omitzero"` // earn: when the lot expires (zero: the default)
	Target    string          `json:"target,omitempty"`    // activate, cancel: the redeem_offline operation's ID
	Ref       string          `json:"ref,omitempty"`       // the caller's reference, for audit
}

// Limits on operation fields.
const (
	// MaxIDLen is the longest operation ID, SKU, customer ID, target or
	// reference, in bytes.
	MaxIDLen = 128
	// MaxQty is the largest quantity of one operation.
	MaxQty = 1_000_000
	// MaxOpJSON is the largest JSON operation DecodeOp accepts, in bytes.
	MaxOpJSON = 4096
)

// maxPoints bounds every amount of points (and every balance): 10^15.
var maxPoints = decimal.New(1, 15)

// DecodeOp decodes one operation from JSON, as it might arrive from a
// queue: unknown fields, trailing data, inputs over MaxOpJSON bytes, a
// missing or unknown kind and non-string points that are not numbers are
// ErrInvalid (as *OpError). Points may be a JSON string or number. DecodeOp
// checks the encoding only; Ledger.Apply validates the content.
func DecodeOp(data []byte) (Op, error) {
	var op Op
	if len(data) > MaxOpJSON {
		return op, opErr("", "", ErrInvalid)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&op); err != nil {
		return Op{}, opErr("", jsonField(err), ErrInvalid)
	}
	if dec.More() {
		return Op{}, opErr("", "", ErrInvalid)
	}
	if _, err := dec.Token(); err == nil {
		return Op{}, opErr("", "", ErrInvalid)
	}
	if op.Kind == 0 {
		return Op{}, opErr("", "kind", ErrInvalid)
	}
	if !saneExponent(op.Points) {
		return Op{}, opErr("", "points", ErrInvalid)
	}
	return op, nil
}

// jsonField names the field of a JSON decoding error when encoding/json
// says it, without the offending value.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	var oe *OpError
	if errors.As(err, &oe) {
		return oe.Field
	}
	return ""
}

// validID checks an identifier: non-empty, at most MaxIDLen bytes, valid
// UTF-8, no control or space characters.
func validID(s string) bool {
	if s == "" || len(s) > MaxIDLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// validPoints checks an amount: positive, at most maxScale decimal places,
// at most maxPoints. The exponent is checked first so that absurd values
// such as 1e400 are refused before any arithmetic on them.
func validPoints(d decimal.Decimal, maxScale int) bool {
	if !saneExponent(d) {
		return false
	}
	if d.Sign() <= 0 || d.Cmp(maxPoints) > 0 {
		return false
	}
	return d.Truncate(int32(maxScale)).Equal(d)
}

// saneExponent reports whether d's exponent is in [-30, 15], the range in
// which printing or rescaling it is cheap.
func saneExponent(d decimal.Decimal) bool {
	e := d.Exponent()
	return e >= -30 && e <= 15
}

// canon is the canonical text of an amount: its value without trailing
// zeros; amounts with an absurd exponent (refused by validation anyway) are
// written as coefficient and exponent so that printing stays cheap.
func canon(d decimal.Decimal) string {
	switch {
	case d.Sign() == 0:
		return "0"
	case saneExponent(d):
		return d.String()
	}
	return d.Coefficient().String() + "e" + strconv.Itoa(int(d.Exponent()))
}

// validate checks op for Apply. ID prefix "~" is reserved for records the
// ledger writes itself.
func (l *Ledger) validate(op *Op) error {
	id := op.ID
	if !validID(id) || strings.HasPrefix(id, "~") {
		return opErr("", "id", ErrInvalid)
	}
	if op.At.IsZero() {
		return opErr(id, "at", ErrInvalid)
	}
	if op.Ref != "" && (len(op.Ref) > MaxIDLen || !utf8.ValidString(op.Ref)) {
		return opErr(id, "ref", ErrInvalid)
	}
	zeroPoints := op.Points.Sign() == 0
	needCustomer := func() error {
		if !validID(op.Customer) {
			return opErr(id, "customer", ErrInvalid)
		}
		return nil
	}
	switch op.Kind {
	case KindEarn:
		if err := needCustomer(); err != nil {
			return err
		}
		if !validPoints(op.Points, l.maxScale) {
			return opErr(id, "points", ErrInvalid)
		}
		if op.SKU != "" || op.Qty != 0 {
			return opErr(id, "sku", ErrInvalid)
		}
		if op.Target != "" {
			return opErr(id, "target", ErrInvalid)
		}
		if !op.ExpiresAt.IsZero() && !op.ExpiresAt.After(op.At) {
			return opErr(id, "expires_at", ErrInvalid)
		}
	case KindRedeem, KindRedeemOffline:
		if err := needCustomer(); err != nil {
			return err
		}
		if op.SKU == "" {
			if op.Qty != 0 {
				return opErr(id, "qty", ErrInvalid)
			}
			if !validPoints(op.Points, l.maxScale) {
				return opErr(id, "points", ErrInvalid)
			}
		} else {
			if !validID(op.SKU) {
				return opErr(id, "sku", ErrInvalid)
			}
			if op.Qty <= 0 || op.Qty > MaxQty {
				return opErr(id, "qty", ErrInvalid)
			}
			if !zeroPoints {
				return opErr(id, "points", ErrInvalid)
			}
		}
		if !op.ExpiresAt.IsZero() {
			return opErr(id, "expires_at", ErrInvalid)
		}
		if op.Target != "" {
			return opErr(id, "target", ErrInvalid)
		}
	case KindActivate, KindCancel:
		if err := needCustomer(); err != nil {
			return err
		}
		if !validID(op.Target) {
			return opErr(id, "target", ErrInvalid)
		}
		if !zeroPoints {
			return opErr(id, "points", ErrInvalid)
		}
		if op.SKU != "" || op.Qty != 0 {
			return opErr(id, "sku", ErrInvalid)
		}
		if !op.ExpiresAt.IsZero() {
			return opErr(id, "expires_at", ErrInvalid)
		}
	case KindRestock:
		if op.Customer != "" {
			return opErr(id, "customer", ErrInvalid)
		}
		if !validID(op.SKU) {
			return opErr(id, "sku", ErrInvalid)
		}
		if op.Qty <= 0 || op.Qty > MaxQty {
			return opErr(id, "qty", ErrInvalid)
		}
		if !zeroPoints {
			return opErr(id, "points", ErrInvalid)
		}
		if op.Target != "" {
			return opErr(id, "target", ErrInvalid)
		}
		if !op.ExpiresAt.IsZero() {
			return opErr(id, "expires_at", ErrInvalid)
		}
	default:
		return opErr(id, "kind", ErrInvalid)
	}
	return nil
}

// Fingerprint returns a digest of the operation's content (every field;
// amounts compared by value, so "10" and "10.00" are the same; times as
// instants, whatever their zone). Two operations with the same ID are the
// same operation exactly when their fingerprints are equal.
func (op *Op) Fingerprint() string {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		b := strconv.AppendInt(n[:0], int64(len(s)), 10)
		h.Write(b)
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	put("rewards.op.v1")
	put(op.ID)
	put(op.Kind.String())
	put(op.Customer)
	put(canon(op.Points))
	put(op.SKU)
	put(strconv.FormatInt(op.Qty, 10))
	put(fmtTime(op.At))
	put(fmtTime(op.ExpiresAt))
	put(op.Target)
	put(op.Ref)
	return hex.EncodeToString(h.Sum(nil))
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
