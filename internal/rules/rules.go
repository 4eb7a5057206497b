// Package rules compiles analyst-written expressions — risk rules,
// bank-defined segments, campaign audiences — with
// github.com/expr-lang/expr against a typed environment, the one shared way
// every package of the SDK does it.
//
// On top of expr it adds what banking rules need:
//
//   - exact money: environment fields of type decimal.Decimal compare and
//     add exactly. Numeric literals compared with money (Txn.Amount >
//     5000.10) are turned into decimals when the rule is compiled, from the
//     shortest decimal that the literal denotes, so no float rounding ever
//     touches an amount. money("0.1") writes a decimal literal explicitly.
//   - compile errors that name the rule and the line and column (*Error);
//   - determinism: the builtin now() is disabled, so a rule's outcome
//     depends only on its environment;
//   - evaluation safe for concurrent use, reusing virtual machines;
//   - a fast path: CompileTyped compiles a rule for one environment type and,
//     when the rule stays within field access, literals, arithmetic,
//     comparisons, logic, "in" lists, string tests and ?:, runs it as Go
//     closures — no interpretation, no allocation — falling back to the
//     virtual machine otherwise (decimal money always goes there, to stay
//     exact). Fields tells which fields of the environment a rule reads, so
//     callers compute only those.
package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// Sentinel errors.
var (
	// ErrCompile: a rule's text does not compile against its environment.
	ErrCompile = errors.New("rules: rule does not compile")
	// ErrRuntime: a rule failed while running (for example a nil map).
	ErrRuntime = errors.New("rules: rule failed at run time")
)

// Error is a compile error located in a rule's text.
type Error struct {
	Rule    string // the rule's name
	Line    int    // 1-based line of the error
	Column  int    // 1-based column of the error
	Message string // what is wrong
	Snippet string // the offending line with a caret, for display
}

// Error returns "rule NAME: line L, column C: MESSAGE".
func (e *Error) Error() string {
	return fmt.Sprintf("rule %q: line %d, column %d: %s", e.Rule, e.Line, e.Column, e.Message)
}

// Unwrap returns ErrCompile.
func (e *Error) Unwrap() error { return ErrCompile }

// RuntimeError is a failure of a compiled rule while running.
type RuntimeError struct {
	Rule    string
	Message string
}

// Error returns "rule NAME: MESSAGE".
func (e *RuntimeError) Error() string { return fmt.Sprintf("rule %q: %s", e.Rule, e.Message) }

// Unwrap returns ErrRuntime.
func (e *RuntimeError) Unwrap() error { return ErrRuntime }

// maxNodes bounds the size of a rule, so hostile or runaway text cannot
// make compilation or evaluation expensive.
const maxNodes = 2000

// Program is a compiled boolean rule. It is immutable and safe for
// concurrent use.
type Program struct {
	name   string
	source string
	prog   *vm.Program
}

// Name returns the rule's name.
func (p *Program) Name() string { return p.name }

// Source returns the rule's text.
func (p *Program) Source() string { return p.source }

var decimalType = reflect.TypeOf(decimal.Decimal{})

// Compile compiles a boolean rule named name against env, a value of the
// environment's struct type (the zero value is enough: only its type is
// used). Errors are *Error.
func Compile(name, source string, env any) (*Program, error) {
	if source == "" {
		return nil, &Error{Rule: name, Line: 1, Column: 1, Message: "empty rule"}
	}
	ml := &moneyLiterals{}
	opts := []expr.Option{
		expr.Env(env),
		expr.AsBool(),
		expr.MaxNodes(maxNodes),
		expr.DisableBuiltin("now"),
		expr.Patch(ml),
	}
	opts = append(opts, moneyFunctions...)
	prog, err := expr.Compile(source, opts...)
	if err != nil {
		return nil, compileError(name, err)
	}
	if ml.bad != nil {
		return nil, &Error{Rule: name, Line: ml.bad.Line, Column: ml.bad.Column + 1,
			Message: fmt.Sprintf("money(%q): not a decimal number", ml.bad.text)}
	}
	return &Program{name: name, source: source, prog: prog}, nil
}

func compileError(name string, err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		line := fe.Line
		if line < 1 {
			line = 1
		}
		return &Error{Rule: name, Line: line, Column: fe.Column + 1, Message: fe.Message, Snippet: fe.Snippet}
	}
	return &Error{Rule: name, Line: 1, Column: 1, Message: err.Error()}
}

var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// Eval runs the rule on env, which must have the type the rule was compiled
// against (a pointer to it avoids a copy). Failures are *RuntimeError.
func (p *Program) Eval(env any) (bool, error) {
	m := vms.Get().(*vm.VM)
	out, err := m.Run(p.prog, env)
	vms.Put(m)
	if err != nil {
		return false, &RuntimeError{Rule: p.name, Message: err.Error()}
	}
	b, ok := out.(bool)
	if !ok {
		return false, &RuntimeError{Rule: p.name, Message: fmt.Sprintf("result is %T, not bool", out)}
	}
	return b, nil
}

// moneyLiterals turns numeric literals that meet a decimal in a binary
// operation into decimal constants, and money("...") calls on string
// literals into decimal constants, so comparisons with money are exact and
// conversions happen once, at compile time.
type moneyLiterals struct {
	bad     *badLiteral // the first money("...") that is not a decimal
	applied bool
}

// Reset and ShouldRepeat make the patcher run in expr's repeated passes,
// alongside operator overloading, so that literals next to decimal
// arithmetic (Txn.Amount - 0.1 == 0.2) are converted once the arithmetic
// itself has become decimal.
func (m *moneyLiterals) Reset() { m.applied = false }

// ShouldRepeat reports whether the last pass changed the tree.
func (m *moneyLiterals) ShouldRepeat() bool { return m.applied }

type badLiteral struct {
	text         string
	Line, Column int
}

// Visit implements ast.Visitor.
func (m *moneyLiterals) Visit(node *ast.Node) {
	if c, ok := (*node).(*ast.CallNode); ok {
		if id, ok := c.Callee.(*ast.IdentifierNode); ok && id.Value == "money" && len(c.Arguments) == 1 {
			if s, ok := c.Arguments[0].(*ast.StringNode); ok {
				v, err := decimal.NewFromString(s.Value)
				if err != nil {
					if m.bad == nil {
						m.bad = &badLiteral{text: s.Value, Line: 1, Column: s.Location().From}
					}
					return
				}
				k := &ast.ConstantNode{Value: v}
				k.SetType(decimalType)
				ast.Patch(node, k)
				m.applied = true
			}
		}
		return
	}
	b, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	switch b.Operator {
	case "==", "!=", "<", "<=", ">", ">=", "+", "-":
	default:
		return
	}
	if isDecimal(b.Left) && toDecimal(&b.Right) {
		m.applied = true
	}
	if isDecimal(b.Right) && toDecimal(&b.Left) {
		m.applied = true
	}
}

func isDecimal(n ast.Node) bool { return n.Type() == decimalType }

// toDecimal replaces an integer or float literal (possibly negated) with a
// decimal constant, reporting whether it did.
func toDecimal(n *ast.Node) bool {
	neg := false
	inner := *n
	if u, ok := inner.(*ast.UnaryNode); ok && u.Operator == "-" {
		neg, inner = true, u.Node
	}
	var d decimal.Decimal
	switch lit := inner.(type) {
	case *ast.IntegerNode:
		d = decimal.NewFromInt(int64(lit.Value))
	case *ast.FloatNode:
		// The shortest decimal that round-trips to the float is exactly
		// what the analyst wrote (5000.1, not 5000.1000000000003638).
		v, err := decimal.NewFromString(strconv.FormatFloat(lit.Value, 'f', -1, 64))
		if err != nil {
			return false
		}
		d = v
	default:
		return false
	}
	if neg {
		d = d.Neg()
	}
	c := &ast.ConstantNode{Value: d}
	c.SetType(decimalType)
	ast.Patch(n, c)
	return true
}

func decArgs(p []any) (decimal.Decimal, decimal.Decimal, bool) {
	if len(p) != 2 {
		return decimal.Decimal{}, decimal.Decimal{}, false
	}
	a, ok1 := p[0].(decimal.Decimal)
	b, ok2 := p[1].(decimal.Decimal)
	return a, b, ok1 && ok2
}

func cmpFunc(name string, ok func(c int) bool) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		a, b, good := decArgs(p)
		if !good {
			return nil, fmt.Errorf("%s: want two decimals", name)
		}
		return ok(a.Cmp(b)), nil
	}, new(func(decimal.Decimal, decimal.Decimal) bool))
}

func arithFunc(name string, op func(a, b decimal.Decimal) decimal.Decimal) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		a, b, good := decArgs(p)
		if !good {
			return nil, fmt.Errorf("%s: want two decimals", name)
		}
		return op(a, b), nil
	}, new(func(decimal.Decimal, decimal.Decimal) decimal.Decimal))
}

// moneyFunctions are the decimal operators and the money() literal.
var moneyFunctions = []expr.Option{
	cmpFunc("_decEq", func(c int) bool { return c == 0 }),
	cmpFunc("_decNe", func(c int) bool { return c != 0 }),
	cmpFunc("_decLt", func(c int) bool { return c < 0 }),
	cmpFunc("_decLe", func(c int) bool { return c <= 0 }),
	cmpFunc("_decGt", func(c int) bool { return c > 0 }),
	cmpFunc("_decGe", func(c int) bool { return c >= 0 }),
	arithFunc("_decAdd", decimal.Decimal.Add),
	arithFunc("_decSub", decimal.Decimal.Sub),
	expr.Operator("==", "_decEq"),
	expr.Operator("!=", "_decNe"),
	expr.Operator("<", "_decLt"),
	expr.Operator("<=", "_decLe"),
	expr.Operator(">", "_decGt"),
	expr.Operator(">=", "_decGe"),
	expr.Operator("+", "_decAdd"),
	expr.Operator("-", "_decSub"),
	expr.Function("money", func(p ...any) (any, error) {
		s, ok := p[0].(string)
		if !ok {
			return nil, errors.New("money: want a string")
		}
		return decimal.NewFromString(s)
	}, new(func(string) decimal.Decimal)),
	// Decimals used as numbers elsewhere (arithmetic with statistics,
	// functions) go through float(): explicit, never silent.
	expr.Function("float", func(p ...any) (any, error) {
		switch v := p[0].(type) {
		case decimal.Decimal:
			return v.InexactFloat64(), nil
		case int:
			return float64(v), nil
		case float64:
			return v, nil
		}
		return nil, fmt.Errorf("float: cannot convert %T", p[0])
	}, new(func(decimal.Decimal) float64), new(func(int) float64), new(func(float64) float64)),
}
