package profile

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error the package returns about caller data wraps
// one of them, so callers can test with errors.Is; FieldError and RowError
// say where.
var (
	// ErrMissing: a required field is empty.
	ErrMissing = errors.New("profile: required field missing")
	// ErrInvalid: a field's value is malformed or out of range.
	ErrInvalid = errors.New("profile: invalid value")
	// ErrUnknownCurrency: a currency code is not an active ISO 4217 code.
	ErrUnknownCurrency = errors.New("profile: unknown currency")
	// ErrLate: an event is older than the profile's watermark allows (see
	// Options.LateTolerance) and was not applied.
	ErrLate = errors.New("profile: event older than the watermark")
	// ErrFuture: an event is later than now plus Options.ClockSkew.
	ErrFuture = errors.New("profile: event time in the future")
	// ErrWrongCustomer: an event or attributes belong to another customer
	// than the profile.
	ErrWrongCustomer = errors.New("profile: event for another customer")
	// ErrMismatch: a profile built by a Builder with one hashing key or
	// half-life was given to a Builder with another.
	ErrMismatch = errors.New("profile: built with a different hashing key or half-life")
	// ErrNotFound: a Store holds no profile for the customer.
	ErrNotFound = errors.New("profile: not found")
	// ErrConflict: a Store write lost an optimistic-concurrency race: the
	// stored version is not the one the writer read.
	ErrConflict = errors.New("profile: version conflict")
	// ErrVersion: encoded data comes from a newer, unknown format version.
	ErrVersion = errors.New("profile: unsupported encoding version")
	// ErrCorrupt: encoded data is truncated or malformed.
	ErrCorrupt = errors.New("profile: corrupt encoding")
)

// sensitive lists fields whose values are never echoed in errors.
var sensitive = map[string]bool{
	"event_id": true, "customer_id": true, "counterparty": true, "device_id": true,
	"ip": true, "lat": true, "lon": true, "birth_date": true, "declared_monthly_income": true,
	"amount": true, "feature": true, "occupation": true,
}

// FieldError reports a bad value in one named field. Field uses the CSV
// column names ("amount", "device_id"). Value holds the offending value
// only for fields that are not sensitive; for identifiers, amounts, places
// and personal data it is empty, so errors can be logged safely.
type FieldError struct {
	Field string
	Value string
	Err   error // one of the package's sentinels
}

func newFieldError(field, value string, err error) *FieldError {
	if sensitive[field] {
		value = ""
	}
	return &FieldError{Field: field, Value: value, Err: err}
}

// Error returns a message naming the field.
func (e *FieldError) Error() string {
	v := e.Value
	if sensitive[e.Field] {
		v = ""
	}
	if v == "" {
		return fmt.Sprintf("%v: field %q", e.Err, e.Field)
	}
	return fmt.Sprintf("%v: field %q (%s)", e.Err, e.Field, strconv.Quote(v))
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// RowError reports a malformed CSV row: the 1-based line (the header is
// line 1) and the column. Err is usually a *FieldError.
type RowError struct {
	Line   int
	Column string
	Err    error
}

// Error returns a message naming the line and the column.
func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, column %q: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying error.
func (e *RowError) Unwrap() error { return e.Err }
