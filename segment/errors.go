package segment

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can test with errors.Is; the error types below name the field,
// population entry, segment or expression position at fault.
var (
	// ErrInvalidInput: an Input (to assign, or in a population to fit)
	// has a NaN, infinite or out-of-range field, or lacks feature groups
	// the configuration reads. See *FieldError.
	ErrInvalidInput = errors.New("segment: invalid input")
	// ErrInvalidOptions: an options or configuration field is out of
	// range. See *FieldError.
	ErrInvalidOptions = errors.New("segment: invalid options")
	// ErrEmptyPopulation: a model was fitted on no customers.
	ErrEmptyPopulation = errors.New("segment: empty population")
	// ErrTooFewPurchasers: an RFM model needs at least as many customers
	// with a purchase as it has score levels (five); this includes a
	// population whose frequencies are all zero. See *PopulationError.
	ErrTooFewPurchasers = errors.New("segment: too few customers with purchases")
	// ErrInvalidDefinition: a segment definition is malformed (bad or
	// duplicate ID, neither or both of Expr and Match, ...). See
	// *DefinitionError.
	ErrInvalidDefinition = errors.New("segment: invalid segment definition")
	// ErrCompile: a segment expression does not compile. See *ExprError,
	// which names the segment, line and column.
	ErrCompile = errors.New("segment: segment expression does not compile")
	// ErrEval: a segment expression failed while running. See *EvalError.
	ErrEval = errors.New("segment: segment expression failed")
	// ErrDecode: a definitions document is not valid JSON of the
	// documented shape. See *DefinitionError.
	ErrDecode = errors.New("segment: malformed definitions document")
	// ErrCustomerMismatch: two assignments compared by DiffTo belong to
	// different customers.
	ErrCustomerMismatch = errors.New("segment: assignments belong to different customers")
)

// FieldError names the field (and, for populations, the entry) that is
// invalid. It never contains the offending value, only what is wrong with
// it. It unwraps to ErrInvalidInput or ErrInvalidOptions.
type FieldError struct {
	Field  string // for example "Profile.RecencyDays", "WealthUse" or "LifecycleOptions.AgeSoftness"
	Index  int    // position in the population, or -1
	Reason string // what is wrong, for example "NaN"
	Err    error  // the sentinel
}

// Error returns "SENTINEL: [population[i].]FIELD: REASON".
func (e *FieldError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("%v: population[%d].%s: %s", e.Err, e.Index, e.Field, e.Reason)
	}
	return fmt.Sprintf("%v: %s: %s", e.Err, e.Field, e.Reason)
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// PopulationError says how many customers a fit needed and how many it got.
// It unwraps to ErrEmptyPopulation or ErrTooFewPurchasers.
type PopulationError struct {
	Model string // "rfm" or "tiers"
	Need  int    // customers needed
	Got   int    // customers usable
	Err   error  // the sentinel
}

// Error returns "SENTINEL: MODEL needs N, got M".
func (e *PopulationError) Error() string {
	return fmt.Sprintf("%v: %s needs at least %d, got %d", e.Err, e.Model, e.Need, e.Got)
}

// Unwrap returns the sentinel.
func (e *PopulationError) Unwrap() error { return e.Err }

// DefinitionError names the segment definition (by ID and position) and the
// field that is wrong. It unwraps to ErrInvalidDefinition or ErrDecode.
type DefinitionError struct {
	Segment string // the definition's ID ("" when missing or unknown)
	Index   int    // position in the list of definitions, or -1
	Field   string // "id", "group", "expr", "match", "version", ...
	Reason  string
	Err     error // the sentinel
}

// Error returns "SENTINEL: segment "ID" (#i): FIELD: REASON".
func (e *DefinitionError) Error() string {
	where := ""
	switch {
	case e.Segment != "" && e.Index >= 0:
		where = fmt.Sprintf("segment %q (#%d): ", e.Segment, e.Index)
	case e.Segment != "":
		where = fmt.Sprintf("segment %q: ", e.Segment)
	case e.Index >= 0:
		where = fmt.Sprintf("segment #%d: ", e.Index)
	}
	if e.Field != "" {
		where += e.Field + ": "
	}
	return fmt.Sprintf("%v: %s%s", e.Err, where, e.Reason)
}

// Unwrap returns the sentinel.
func (e *DefinitionError) Unwrap() error { return e.Err }

// ExprError is a compile error located in a segment's expression. It
// unwraps to ErrCompile.
type ExprError struct {
	Segment string // the segment's ID
	Line    int    // 1-based line in the expression
	Column  int    // 1-based column in the expression
	Message string // what is wrong
	Snippet string // the offending line with a caret, for display
}

// Error returns "segment: segment expression does not compile: segment
// "ID": line L, column C: MESSAGE".
func (e *ExprError) Error() string {
	return fmt.Sprintf("%v: segment %q: line %d, column %d: %s", ErrCompile, e.Segment, e.Line, e.Column, e.Message)
}

// Unwrap returns ErrCompile.
func (e *ExprError) Unwrap() error { return ErrCompile }

// EvalError is a failure of a segment expression while running. It
// unwraps to ErrEval.
type EvalError struct {
	Segment string
	Message string
}

// Error returns "segment: segment expression failed: segment "ID": MESSAGE".
func (e *EvalError) Error() string {
	return fmt.Sprintf("%v: segment %q: %s", ErrEval, e.Segment, e.Message)
}

// Unwrap returns ErrEval.
func (e *EvalError) Unwrap() error { return ErrEval }

func optErr(field, reason string) error {
	return &FieldError{Field: field, Index: -1, Reason: reason, Err: ErrInvalidOptions}
}
