package rewards

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error the package returns about caller data or the
// store wraps one of them, so callers can test with errors.Is; OpError says
// which operation and field.
var (
	// ErrInvalid means an operation, item or option is malformed: a missing
	// field, a non-positive amount, too many decimal places, a field that
	// does not belong to the operation's kind.
	ErrInvalid = errors.New("rewards: invalid value")
	// ErrIDReuse means an operation ID was already used for a different
	// operation. The same ID with the same operation is a no-op, not an
	// error.
	ErrIDReuse = errors.New("rewards: operation ID reused for a different operation")
	// ErrInsufficient means a redemption asks for more points than the
	// customer has available (unexpired, not reserved) at the operation's
	// time.
	ErrInsufficient = errors.New("rewards: insufficient points")
	// ErrOutOfStock means a catalogue item has fewer units in stock than
	// asked.
	ErrOutOfStock = errors.New("rewards: item out of stock")
	// ErrUnknownItem means no catalogue item has the SKU.
	ErrUnknownItem = errors.New("rewards: unknown catalogue item")
	// ErrWithdrawn means the catalogue item is withdrawn from redemption.
	ErrWithdrawn = errors.New("rewards: catalogue item withdrawn")
	// ErrUnknownTarget means an activation or cancellation names no pending
	// offline redemption of that customer.
	ErrUnknownTarget = errors.New("rewards: no such pending offline redemption")
	// ErrActivationExpired means an offline redemption was activated after
	// its activation deadline, or after it lapsed.
	ErrActivationExpired = errors.New("rewards: activation window closed")
	// ErrNotFound means a Store holds no such account, item or record.
	ErrNotFound = errors.New("rewards: not found")
	// ErrConflict means a Store commit lost an optimistic-concurrency race
	// (a version changed or a record ID exists). The Ledger retries; it
	// returns ErrConflict only when Options.Attempts are exhausted, and then
	// nothing was applied.
	ErrConflict = errors.New("rewards: version conflict")
)

// OpError reports a problem with one operation: its ID (caller-chosen,
// not personal data), the field at fault and the sentinel. It never holds a
// customer ID or an amount.
type OpError struct {
	ID    string // operation ID ("" when the ID itself is missing)
	Field string // field at fault, as named in JSON ("points", "sku", ...)
	Err   error  // sentinel
}

// Error implements the error interface.
func (e *OpError) Error() string {
	s := "rewards: op"
	if e.ID != "" {
		s += " " + strconv.Quote(e.ID)
	}
	if e.Field != "" {
		s += " field " + e.Field
	}
	return s + ": " + trim(e.Err)
}

// Unwrap returns the sentinel.
func (e *OpError) Unwrap() error { return e.Err }

func opErr(id, field string, err error) error { return &OpError{ID: id, Field: field, Err: err} }

func trim(err error) string {
	s := err.Error()
	const p = "rewards: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
