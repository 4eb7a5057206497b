package clv

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can test with errors.Is; the typed errors FieldError, ParseError
// and FitError say where the problem is. No error message contains a
// customer identifier or an amount.
var (
	// ErrEmpty means there is nothing to fit or summarise: no customers, no
	// transactions, or only zero weights.
	ErrEmpty = errors.New("clv: no customers")
	// ErrCustomer means a customer summary is invalid: a negative frequency,
	// a non-finite or negative recency or age, a recency above the age, a
	// positive recency with zero frequency, or a negative or non-finite
	// spend.
	ErrCustomer = errors.New("clv: invalid customer summary")
	// ErrWeight means a weight is negative or non-finite, or the weights do
	// not have one entry per customer.
	ErrWeight = errors.New("clv: invalid weight")
	// ErrParameter means a model parameter is not a finite positive number
	// (or, for Gamma-Gamma expected spend, q ≤ 1).
	ErrParameter = errors.New("clv: invalid model parameter")
	// ErrArgument means a function argument or option is out of range (a
	// negative horizon, a negative discount rate, a negative penalty).
	ErrArgument = errors.New("clv: invalid argument")
	// ErrNoRepeaters means no customer made a repeat purchase (all-zero
	// frequency): the transaction models have no finite maximum-likelihood
	// estimate and Gamma-Gamma has no spend to fit.
	ErrNoRepeaters = errors.New("clv: no customer has a repeat purchase")
	// ErrNotConverged means the optimiser stopped without reaching a
	// stationary point of the likelihood.
	ErrNotConverged = errors.New("clv: maximum-likelihood fit did not converge")
	// ErrNotIdentified means a parameter ran off towards 0 or infinity: the
	// data (for example a single customer) do not identify the model. A
	// penalty (FitOptions.Penalty) or more customers may help.
	ErrNotIdentified = errors.New("clv: parameters not identified by the data")
	// ErrTransaction means a transaction is invalid: empty customer,
	// zero date, negative or oversized amount.
	ErrTransaction = errors.New("clv: invalid transaction")
	// ErrOutOfOrder means a customer's transactions are not in
	// non-decreasing date order.
	ErrOutOfOrder = errors.New("clv: transactions out of date order")
	// ErrCalibrationEnd means the calibration period ends before every
	// customer's first purchase, or the holdout ends before the calibration.
	ErrCalibrationEnd = errors.New("clv: calibration end precedes every first purchase")
	// ErrNumerical means a special function could not be evaluated to
	// double precision (a Pareto/NBD hypergeometric argument within about
	// 1e-9 of 1, which only extreme parameters produce), or a value
	// overflowed.
	ErrNumerical = errors.New("clv: numerical evaluation failed")
	// ErrSyntax means a transaction file is malformed.
	ErrSyntax = errors.New("clv: malformed transaction file")
)

// FieldError reports an invalid field of one element of caller data: a
// customer summary, a transaction, a weight or an argument. It never holds
// the offending value. It unwraps to a sentinel error.
type FieldError struct {
	Index  int    // 0-based position in the caller's slice, or -1 for an argument or option
	Field  string // field or argument name, e.g. "Recency", "Amount", "t"
	Reason string // the rule that was broken, e.g. "exceeds T"
	Err    error  // sentinel
}

// Error returns a message naming the element, the field and the rule.
func (e *FieldError) Error() string {
	s := e.Err.Error() + ": "
	if e.Index >= 0 {
		s += "element " + strconv.Itoa(e.Index) + ", "
	}
	s += "field " + e.Field
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// ParseError reports a malformed line of a transaction file. It never holds
// the offending text. It unwraps to ErrSyntax or ErrTransaction.
type ParseError struct {
	Line   int    // 1-based line (record) number
	Field  string // column name, e.g. "date", "dollars"; empty for the whole line
	Reason string // what is wrong
	Err    error  // sentinel
}

// Error returns a message naming the line, the column and the problem.
func (e *ParseError) Error() string {
	s := e.Err.Error() + ": line " + strconv.Itoa(e.Line)
	if e.Field != "" {
		s += ", field " + e.Field
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// FitError reports a maximum-likelihood fit that failed, naming the model
// and, where one is at fault, the parameter. It unwraps to ErrNotConverged
// or ErrNotIdentified.
type FitError struct {
	Model     string // "BG/NBD", "Pareto/NBD" or "Gamma-Gamma"
	Parameter string // parameter name such as "r", or empty
	Reason    string // optimiser status or other detail
	Err       error  // sentinel
}

// Error returns a message naming the model and the parameter.
func (e *FitError) Error() string {
	s := e.Err.Error() + ": " + e.Model
	if e.Parameter != "" {
		s += ", parameter " + e.Parameter
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FitError) Unwrap() error { return e.Err }

func fieldErr(i int, field, reason string, err error) error {
	return &FieldError{Index: i, Field: field, Reason: reason, Err: err}
}
