package campaign

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers test with errors.Is; the error types below add where it happened.
var (
	// ErrInvalid: a value is malformed or out of range.
	ErrInvalid = errors.New("campaign: invalid value")
	// ErrMissing: a required value is absent.
	ErrMissing = errors.New("campaign: missing value")
	// ErrNegative: a count, share, amount or duration is negative.
	ErrNegative = errors.New("campaign: negative value")
	// ErrOverlap: two windows of one list overlap.
	ErrOverlap = errors.New("campaign: overlapping windows")
	// ErrTimeZone: a time zone name is not in the IANA database.
	ErrTimeZone = errors.New("campaign: unknown time zone")
	// ErrUnknownField: a campaign file has a field the schema does not define.
	ErrUnknownField = errors.New("campaign: unknown field")
	// ErrSyntax: a campaign file is not well-formed JSON.
	ErrSyntax = errors.New("campaign: malformed JSON")
	// ErrDuplicate: an identifier or idempotency key is already taken.
	ErrDuplicate = errors.New("campaign: duplicate")
	// ErrConflict: a ContactLog commit found the customer's version moved
	// (another planner wrote first).
	ErrConflict = errors.New("campaign: version conflict")
	// ErrNotFound: a contact to update does not exist.
	ErrNotFound = errors.New("campaign: not found")
)

// ValidationError names the campaign and field of a campaign-set
// definition that is wrong. Campaign is the campaign's ID ("#i" for the
// i-th campaign when it has none) and "" for set-level fields (version,
// time_zone, policy). Field is the JSON path inside the campaign or set,
// for example "offers[1].value" or "policy.quiet_hours.from". The
// offending value itself is never echoed.
type ValidationError struct {
	Campaign string // the campaign's ID, "#i" without one, "" at set level
	Field    string // the JSON path of the field
	Err      error  // one of the package's sentinels
	Detail   string // more about what is wrong, never the value; may be ""
}

// Error returns `campaign "ID": field F: reason[: detail]`.
func (e *ValidationError) Error() string {
	where := "campaign set"
	if e.Campaign != "" {
		where = fmt.Sprintf("campaign %q", e.Campaign)
	}
	if e.Detail != "" {
		return fmt.Sprintf("%s: field %s: %v: %s", where, e.Field, e.Err, e.Detail)
	}
	return fmt.Sprintf("%s: field %s: %v", where, e.Field, e.Err)
}

// Unwrap returns the sentinel.
func (e *ValidationError) Unwrap() error { return e.Err }

// FieldError names an argument or caller-supplied value that is wrong, for
// example "customers[3].Profile" or "conversion.At".
type FieldError struct {
	Field string // the argument or value at fault
	Err   error  // one of the package's sentinels
}

// Error returns "campaign: FIELD: reason".
func (e *FieldError) Error() string { return fmt.Sprintf("campaign: %s: %v", e.Field, e.Err) }

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }

// CallerError wraps an error returned by a caller's interface (ContactLog,
// Delivery, Counters, Busy, RiskGate, Propensity) with the operation and
// customer it was for, so it can be traced; it unwraps to the caller's
// error.
type CallerError struct {
	Op         string // for example "ContactLog.Contacts"
	CustomerID string // the customer being planned; "" when none
	Err        error  // what the caller's implementation returned
}

// Error returns "campaign: OP for customer ID: ERR".
func (e *CallerError) Error() string {
	if e.CustomerID == "" {
		return fmt.Sprintf("campaign: %s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("campaign: %s for customer %q: %v", e.Op, e.CustomerID, e.Err)
}

// Unwrap returns the caller's error.
func (e *CallerError) Unwrap() error { return e.Err }
