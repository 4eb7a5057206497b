package referral

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error the package returns about caller data wraps
// one of them, so callers can test with errors.Is; Error and CycleError say
// where.
var (
	// ErrInvalid means a value is malformed or out of range: an empty
	// customer ID, a zero time, a short secret, a bad option.
	ErrInvalid = errors.New("referral: invalid value")
	// ErrCode means a referral code is malformed: wrong length, a
	// character outside the alphabet, or a failed check character.
	ErrCode = errors.New("referral: malformed code")
	// ErrUnknownCode means a well-formed code was not issued by the tree.
	ErrUnknownCode = errors.New("referral: unknown code")
	// ErrUnknownCustomer means the customer is not in the tree.
	ErrUnknownCustomer = errors.New("referral: unknown customer")
	// ErrSelfReferral means a customer used their own code.
	ErrSelfReferral = errors.New("referral: self-referral")
	// ErrCycle means a referral would make a customer their own
	// (indirect) referrer.
	ErrCycle = errors.New("referral: cycle in referral tree")
	// ErrAlreadyReferred means the referee already has another referrer.
	ErrAlreadyReferred = errors.New("referral: customer already referred")
	// ErrNotReferred means the customer has no referrer to reward.
	ErrNotReferred = errors.New("referral: customer was not referred")
	// ErrOutsideWindow means the qualifying event is not within the
	// attribution window after the referral.
	ErrOutsideWindow = errors.New("referral: outside the attribution window")
	// ErrCodeSpace means no free code was found for a customer after
	// MaxAttempts tries (the code space is nearly full: use longer codes).
	ErrCodeSpace = errors.New("referral: code space exhausted")
)

// Error reports a problem with one field of one input. Index is the
// position of the input in a batch (Tree.Add, Restore), or -1. It never
// holds customer IDs, codes or secrets.
type Error struct {
	Field string // the field at fault
	Index int    // position in the batch, or -1
	Err   error  // sentinel
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "referral:"
	if e.Index >= 0 {
		s += " item " + strconv.Itoa(e.Index)
	}
	if e.Field != "" {
		s += " field " + e.Field
	}
	return s + ": " + trim(e.Err)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// CycleError reports a referral that would close a cycle: Index is the
// position of the offending referral in its batch (-1 for a single
// referral) and Length the number of customers on the cycle (1 for a
// self-referral). It unwraps to ErrCycle.
type CycleError struct {
	Index  int // position of the closing referral in its batch, or -1
	Length int // customers on the cycle
}

// Error implements the error interface.
func (e *CycleError) Error() string {
	s := "referral: cycle of " + strconv.Itoa(e.Length) + " customers"
	if e.Index >= 0 {
		s += " closed by item " + strconv.Itoa(e.Index)
	}
	return s
}

// Unwrap returns ErrCycle.
func (e *CycleError) Unwrap() error { return ErrCycle }

func fieldErr(field string, index int, err error) error {
	return &Error{Field: field, Index: index, Err: err}
}

func trim(err error) string {
	s := err.Error()
	const p = "referral: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
