package risk

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns about caller data or
// configuration wraps one of them, so callers can test with errors.Is;
// InputError, ConfigError and RuleError say where.
var (
	// ErrInput: an argument of Decide (the event, the profile, now) is
	// missing or invalid. The *InputError also wraps the profile package's
	// sentinel when the event failed its validation, for example
	// profile.ErrUnknownCurrency or profile.ErrInvalid.
	ErrInput = errors.New("risk: invalid input")
	// ErrUnsupported: the event is valid but not something the engine
	// decides: only debit transactions are decided.
	ErrUnsupported = errors.New("risk: only debit transactions are decided")
	// ErrConfig: a Config, Policy, Limits or AuthLevels field is out of
	// range.
	ErrConfig = errors.New("risk: invalid configuration")
	// ErrRules: a rule set does not parse, validate or compile.
	ErrRules = errors.New("risk: invalid rule set")
)

// InputError reports a bad argument of Decide. Field names the event field
// (with the events CSV column name, such as "amount" or "currency") or the
// argument ("event", "now", "profile"). Values are never echoed: amounts,
// identifiers and places are sensitive.
type InputError struct {
	Field string // the field or argument
	Err   error  // the underlying cause, for example profile.ErrUnknownCurrency
}

// Error returns a message naming the field.
func (e *InputError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%v: field %q", ErrInput, e.Field)
	}
	return fmt.Sprintf("%v: field %q: %v", ErrInput, e.Field, e.Err)
}

// Unwrap returns ErrInput and the underlying cause, so both errors.Is(err,
// ErrInput) and errors.Is(err, profile.ErrUnknownCurrency) hold.
func (e *InputError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInput}
	}
	return []error{ErrInput, e.Err}
}

// ConfigError names the configuration field that is out of range.
type ConfigError struct {
	Field  string // for example "Policy.StepUpAt" or "Limits[1].Currency"
	Reason string // what is wrong
}

// Error returns a message naming the field.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrConfig, e.Field, e.Reason)
}

// Unwrap returns ErrConfig.
func (e *ConfigError) Unwrap() error { return ErrConfig }

// RuleError reports a rule that does not validate or compile. Rule names
// it; Line and Column (1-based) locate a compile error in its expression
// and are 0 for errors about the rule as a whole (a duplicate name, an
// unknown action).
type RuleError struct {
	Rule    string // the rule's name; "" for errors about the whole set
	Index   int    // the rule's position in the set, 0-based; -1 for the set
	Line    int    // 1-based line of a compile error, 0 otherwise
	Column  int    // 1-based column of a compile error, 0 otherwise
	Message string // what is wrong
}

// Error returns "rule NAME: line L, column C: MESSAGE".
func (e *RuleError) Error() string {
	switch {
	case e.Index < 0:
		return fmt.Sprintf("%v: %s", ErrRules, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("%v: rule %q: line %d, column %d: %s", ErrRules, e.Rule, e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("%v: rule %q (#%d): %s", ErrRules, e.Rule, e.Index, e.Message)
}

// Unwrap returns ErrRules.
func (e *RuleError) Unwrap() error { return ErrRules }

// BacktestError reports an event that could not be decided or applied
// during a backtest: the 1-based position of the event in the stream and
// its cause.
type BacktestError struct {
	Event int   // 1-based position in the stream; 0 for the customers
	Err   error // the cause
}

// Error returns a message naming the event's position.
func (e *BacktestError) Error() string {
	return fmt.Sprintf("risk: backtest: event %d: %v", e.Event, e.Err)
}

// Unwrap returns the cause.
func (e *BacktestError) Unwrap() error { return e.Err }
