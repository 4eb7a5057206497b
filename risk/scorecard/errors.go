package scorecard

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error returned by this package wraps one of them, so
// callers can test with errors.Is; the typed errors VarError, FieldError,
// CSVError and VersionError carry the variable, field or line.
var (
	// ErrConstant means a variable takes a single value on every row.
	ErrConstant = errors.New("scorecard: variable is constant")
	// ErrAllMissing means a variable has no non-missing value.
	ErrAllMissing = errors.New("scorecard: variable is missing on every row")
	// ErrOneClass means the target has only one class (no bads or no goods).
	ErrOneClass = errors.New("scorecard: target has only one class")
	// ErrLabel means a target value is neither the bad nor the good label.
	ErrLabel = errors.New("scorecard: unexpected target label")
	// ErrNonFinite means a value is NaN or ±Inf where a finite number is
	// required (NaN is accepted as "missing" only in numeric variables).
	ErrNonFinite = errors.New("scorecard: non-finite value")
	// ErrSchema means columns or variables do not match (a test file with other
	// columns than the training file, a row of the wrong length, a numeric
	// column holding text, a duplicate or unknown column name).
	ErrSchema = errors.New("scorecard: columns do not match")
	// ErrLength means slices that must have equal length do not.
	ErrLength = errors.New("scorecard: length mismatch")
	// ErrCSV means the CSV input is malformed.
	ErrCSV = errors.New("scorecard: malformed CSV")
	// ErrOption means an option is out of its documented range.
	ErrOption = errors.New("scorecard: invalid option")
	// ErrModel means a model file is malformed or inconsistent.
	ErrModel = errors.New("scorecard: invalid model")
	// ErrVersion means a model file was written by a newer format version.
	ErrVersion = errors.New("scorecard: model file version not supported")
	// ErrSingular means the design matrix is singular (collinear or constant
	// columns, or perfect separation), so the fit has no unique solution.
	ErrSingular = errors.New("scorecard: singular design matrix")
	// ErrSeparation means the outcome is perfectly predicted (complete
	// separation), so the unpenalised maximum-likelihood estimate does not
	// exist; a ridge penalty (L2 > 0) gives a finite fit.
	ErrSeparation = errors.New("scorecard: perfect separation")
	// ErrNotConverged means the optimiser stopped before convergence.
	ErrNotConverged = errors.New("scorecard: fit did not converge")
	// ErrNoVariables means no variable survived binning and selection.
	ErrNoVariables = errors.New("scorecard: no usable variable")
	// ErrRange means a value lies outside its documented range (a PD outside
	// [0, 1], a negative count).
	ErrRange = errors.New("scorecard: value out of range")
	// ErrEmpty means an input has no rows.
	ErrEmpty = errors.New("scorecard: no rows")
)

// VarError reports a problem with one variable (column) of the data, and the
// row when one row is at fault (Row is -1 otherwise). It never contains the
// offending value. It unwraps to one of the sentinel errors.
type VarError struct {
	Var string // variable (column) name
	Row int    // 0-based row index, or -1
	Err error  // sentinel
}

// Error implements error.
func (e *VarError) Error() string {
	s := "scorecard: variable " + strconv.Quote(e.Var)
	if e.Row >= 0 {
		s += " row " + strconv.Itoa(e.Row)
	}
	return s + ": " + trimPrefix(e.Err)
}

// Unwrap returns the sentinel.
func (e *VarError) Unwrap() error { return e.Err }

// FieldError reports an invalid option or model-file field, named by its path
// (for example "Scaling.PDO" or "variables[2].bins[0].woe"). It unwraps to a
// sentinel (ErrOption, ErrModel, ErrNonFinite, ...).
type FieldError struct {
	Field  string // path of the field
	Reason string // short explanation, never the value itself
	Err    error  // sentinel
}

// Error implements error.
func (e *FieldError) Error() string {
	s := "scorecard: field " + e.Field + ": " + trimPrefix(e.Err)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// CSVError reports a problem at a line (1-based, the header is line 1) and,
// when known, a column of CSV input. It does not echo cell values.
type CSVError struct {
	Line   int
	Column string // column name, "" when the whole line is at fault
	Reason string
	Err    error // sentinel: ErrCSV, ErrLabel, ErrNonFinite, ErrSchema, ...
}

// Error implements error.
func (e *CSVError) Error() string {
	s := "scorecard: csv line " + strconv.Itoa(e.Line)
	if e.Column != "" {
		s += " column " + strconv.Quote(e.Column)
	}
	s += ": " + trimPrefix(e.Err)
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Unwrap returns the sentinel.
func (e *CSVError) Unwrap() error { return e.Err }

// VersionError reports a model file whose format version is newer than this
// package supports. It unwraps to ErrVersion.
type VersionError struct {
	Version   int // version found in the file
	Supported int // newest version this package reads
}

// Error implements error.
func (e *VersionError) Error() string {
	return fmt.Sprintf("scorecard: model file version %d is newer than supported version %d", e.Version, e.Supported)
}

// Unwrap returns ErrVersion.
func (e *VersionError) Unwrap() error { return ErrVersion }

func trimPrefix(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	const p = "scorecard: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func varErr(name string, row int, err error) error {
	return &VarError{Var: name, Row: row, Err: err}
}

func optErr(field, reason string) error {
	return &FieldError{Field: field, Reason: reason, Err: ErrOption}
}
