package rules

import (
	"reflect"
	"unsafe"
)

// Typed is a rule compiled for one environment type T. Rules within the
// closure compiler's subset (see compileClosure: field access, literals,
// arithmetic, comparisons, logic, "in", string tests, ?:) run as Go
// closures, with no interpretation and no allocation; every other rule —
// decimal money among them — runs on expr's virtual machine through
// Program. Both paths give the same results (tested differentially).
// A Typed is immutable and safe for concurrent use.
type Typed[T any] struct {
	*Program
	fast func(unsafe.Pointer) bool
}

// CompileTyped compiles a boolean rule named name against the struct type
// T. Errors are *Error, as for Compile.
func CompileTyped[T any](name, source string) (*Typed[T], error) {
	var zero T
	p, err := Compile(name, source, zero)
	if err != nil {
		return nil, err
	}
	return &Typed[T]{Program: p, fast: compileClosure(source, reflect.TypeFor[T]())}, nil
}

// Fast reports whether the rule runs as closures rather than on the
// virtual machine.
func (t *Typed[T]) Fast() bool { return t.fast != nil }

// Eval runs the rule on env. Failures (virtual machine only) are
// *RuntimeError.
func (t *Typed[T]) Eval(env *T) (bool, error) {
	if t.fast != nil {
		return t.fast(unsafe.Pointer(env)), nil
	}
	return t.Program.Eval(env)
}
