package credit

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error the package returns about caller data wraps
// one of them, so callers can test with errors.Is; FieldError says which
// field, VarError which model variable and ItemError which item of a batch.
var (
	// ErrMissing: a required field is empty.
	ErrMissing = errors.New("credit: required field missing")
	// ErrInvalid: a field's value is malformed or out of range (a negative
	// or non-finite amount, too many decimal places for the currency, a
	// term out of range, text that is too long or not UTF-8).
	ErrInvalid = errors.New("credit: invalid value")
	// ErrCurrency: a currency code is not an active ISO 4217 code, or the
	// application's currency is not the profile's.
	ErrCurrency = errors.New("credit: unknown or mismatched currency")
	// ErrWrongCustomer: a profile or loan belongs to another customer than
	// the application or loan it is used with.
	ErrWrongCustomer = errors.New("credit: profile of another customer")
	// ErrDecode: a document (an application in JSON) is malformed.
	ErrDecode = errors.New("credit: malformed document")
	// ErrPolicy: a Policy field is out of its documented range.
	ErrPolicy = errors.New("credit: invalid policy")
	// ErrModel: a model is missing, or its variables cannot be filled by
	// the mapping (unknown source, wrong kind, no training counts).
	ErrModel = errors.New("credit: model not usable")
	// ErrLookup: the caller's profile or contact lookup failed for an
	// item of a batch (the lookup's own error is wrapped too).
	ErrLookup = errors.New("credit: lookup failed")
)

// FieldError names the field of an application, loan, policy or document
// that is wrong, and why. It never contains the field's value (amounts,
// device IDs and contacts are sensitive). It unwraps to a sentinel.
type FieldError struct {
	Field  string // for example "Application.Amount" or "Policy.MaxDTI"
	Reason string // what is wrong, without the value
	Err    error  // the sentinel
}

// Error returns "credit: FIELD: SENTINEL (REASON)".
func (e *FieldError) Error() string {
	s := "credit: " + e.Field + ": " + trimPrefix(e.Err)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// VarError names the model variable that cannot be filled or scored. It
// unwraps to its cause: ErrModel for a mapping problem, ErrInvalid for an
// application attribute that is not a number where the model needs one, or
// the scorecard's own error.
type VarError struct {
	Model  string // "application" or "behaviour"
	Var    string // the model variable
	Reason string
	Err    error
}

// Error returns "credit: MODEL model variable "VAR": CAUSE (REASON)".
func (e *VarError) Error() string {
	s := "credit: " + e.Model + " model variable " + strconv.Quote(e.Var) + ": " + trimPrefix(e.Err)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Unwrap returns the cause.
func (e *VarError) Unwrap() error { return e.Err }

// ItemError is the error of one item of a batch: its position in the input
// and its ID. It unwraps to the item's own error.
type ItemError struct {
	Index int    // position in the input slice
	ID    string // application or loan ID ("" when the item has none)
	Err   error
}

// Error returns "credit: item I (ID): CAUSE".
func (e *ItemError) Error() string {
	s := "credit: item " + strconv.Itoa(e.Index)
	if e.ID != "" {
		s += " (" + strconv.Quote(e.ID) + ")"
	}
	return s + ": " + trimPrefix(e.Err)
}

// Unwrap returns the item's error.
func (e *ItemError) Unwrap() error { return e.Err }

func trimPrefix(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(err.Error(), "credit: ")
}

func fieldErr(field, reason string, err error) error {
	return &FieldError{Field: field, Reason: reason, Err: err}
}

func policyErr(field, reason string) error {
	return &FieldError{Field: "Policy." + field, Reason: reason, Err: ErrPolicy}
}
