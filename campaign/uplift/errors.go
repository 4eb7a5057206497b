package uplift

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error the package returns about caller data wraps
// one of them (or a scorecard sentinel, for errors of the scorecard
// toolkit), so callers can test with errors.Is; FieldError says which input.
var (
	// ErrLength means slices that must have one element per row do not.
	ErrLength = errors.New("uplift: length mismatch")
	// ErrEmpty means an input has no rows.
	ErrEmpty = errors.New("uplift: no rows")
	// ErrNonFinite means a score is NaN or ±Inf.
	ErrNonFinite = errors.New("uplift: non-finite value")
	// ErrGroup means the treated or the control group is empty (overall,
	// or among the top k), so uplift is undefined.
	ErrGroup = errors.New("uplift: treated or control group empty")
	// ErrRange means a value lies outside its documented range (k outside
	// (0, 1), a negative contact count).
	ErrRange = errors.New("uplift: value out of range")
	// ErrColumn means a column is missing or of the wrong kind, or a row of
	// the treatment column holds neither arm's value.
	ErrColumn = errors.New("uplift: bad column")
)

// FieldError names the input at fault (a parameter or column) and, when one
// row is at fault, the row (-1 otherwise). It never holds the value.
type FieldError struct {
	Field string // parameter or column at fault
	Row   int    // row at fault, or -1
	Err   error  // sentinel
}

// Error implements the error interface.
func (e *FieldError) Error() string {
	s := "uplift: " + e.Field
	if e.Row >= 0 {
		s += " row " + strconv.Itoa(e.Row)
	}
	return s + ": " + trim(e.Err)
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, row int, err error) error {
	return &FieldError{Field: field, Row: row, Err: err}
}

func trim(err error) string {
	s := err.Error()
	const p = "uplift: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
