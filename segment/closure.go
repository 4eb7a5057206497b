package segment

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// The closure compiler turns segment expressions into trees of Go closures
// over *Env, the technique of compiling an abstract syntax tree to
// closures (Feeley & Lapalme, "Using closures for code generation",
// Computer Languages 12(1), 1987). It covers the subset of expr that
// segments need — field access, number, string and boolean literals,
// arithmetic (+ - * /), comparisons, && || !, "in" over a literal list,
// contains/startsWith/endsWith and ?: — with expr's semantics: integers
// stay integers under + - *, / always divides as floats, and an integer
// meets a float as a float. Anything else (function calls, map or array
// access, %, **, regular expressions, pipes, ...) returns nil and the
// segment runs on the expression virtual machine instead. Every
// expression is compiled by internal/rules first, so the closure compiler
// only ever sees text that type-checks against Env; a differential fuzz
// test (FuzzClosure) checks that both paths agree.

type vkind uint8

const (
	vInvalid vkind = iota
	vBool
	vInt
	vFloat
	vString
	vStruct
)

// cval is a compiled sub-expression: a closure of its kind, or, for a
// struct, the type and offset within Env used to resolve member access.
type cval struct {
	kind vkind
	b    func(*Env) bool
	i    func(*Env) int
	f    func(*Env) float64
	s    func(*Env) string
	typ  reflect.Type // vStruct
	off  uintptr      // vStruct, and leaves with isField: offset within Env

	// isField marks a leaf that reads a field of Env at off, so that a
	// comparison with a literal can read it directly (one call, not two).
	isField bool

	// Literals, so that "in" lists and comparisons can use them directly.
	konst bool
	kb    bool
	ki    int
	kf    float64
	ks    string
}

var envType = reflect.TypeFor[Env]()

// compileClosure returns a closure computing the boolean expression src,
// or nil when src is outside the supported subset.
func compileClosure(src string) func(*Env) bool {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	v, ok := compileNode(tree.Node)
	if !ok || v.kind != vBool {
		return nil
	}
	return v.b
}

func compileNode(n ast.Node) (cval, bool) {
	switch n := n.(type) {
	case *ast.BoolNode:
		x := n.Value
		return cval{kind: vBool, b: func(*Env) bool { return x }, konst: true, kb: x}, true
	case *ast.IntegerNode:
		x := n.Value
		return cval{kind: vInt, i: func(*Env) int { return x }, konst: true, ki: x}, true
	case *ast.FloatNode:
		x := n.Value
		return cval{kind: vFloat, f: func(*Env) float64 { return x }, konst: true, kf: x}, true
	case *ast.StringNode:
		x := n.Value
		return cval{kind: vString, s: func(*Env) string { return x }, konst: true, ks: x}, true
	case *ast.IdentifierNode:
		return field(cval{kind: vStruct, typ: envType}, n.Value)
	case *ast.MemberNode:
		if n.Optional || n.Method {
			return cval{}, false
		}
		base, ok := compileNode(n.Node)
		if !ok || base.kind != vStruct {
			return cval{}, false
		}
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return cval{}, false
		}
		return field(base, prop.Value)
	case *ast.UnaryNode:
		return unary(n)
	case *ast.BinaryNode:
		return binary(n)
	case *ast.ConditionalNode:
		return conditional(n)
	}
	return cval{}, false
}

// field resolves the exported field name of the struct base.
func field(base cval, name string) (cval, bool) {
	sf, ok := base.typ.FieldByName(name)
	if !ok || !sf.IsExported() || len(sf.Index) != 1 {
		return cval{}, false
	}
	off := base.off + sf.Offset
	switch sf.Type.Kind() {
	case reflect.Bool:
		return cval{kind: vBool, b: func(e *Env) bool { return *(*bool)(unsafe.Add(unsafe.Pointer(e), off)) }, isField: true, off: off}, true
	case reflect.Int:
		return cval{kind: vInt, i: func(e *Env) int { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) }, isField: true, off: off}, true
	case reflect.Float64:
		return cval{kind: vFloat, f: func(e *Env) float64 { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) }, isField: true, off: off}, true
	case reflect.String:
		return cval{kind: vString, s: func(e *Env) string { return *(*string)(unsafe.Add(unsafe.Pointer(e), off)) }, isField: true, off: off}, true
	case reflect.Struct:
		return cval{kind: vStruct, typ: sf.Type, off: off}, true
	}
	return cval{}, false
}

func numeric(v cval) bool { return v.kind == vInt || v.kind == vFloat }

// asFloat returns v as a float closure (v numeric).
func asFloat(v cval) func(*Env) float64 {
	if v.kind == vFloat {
		return v.f
	}
	if v.konst {
		x := float64(v.ki)
		return func(*Env) float64 { return x }
	}
	i := v.i
	return func(e *Env) float64 { return float64(i(e)) }
}

func unary(n *ast.UnaryNode) (cval, bool) {
	x, ok := compileNode(n.Node)
	if !ok {
		return cval{}, false
	}
	switch n.Operator {
	case "!", "not":
		if x.kind != vBool {
			return cval{}, false
		}
		b := x.b
		return cval{kind: vBool, b: func(e *Env) bool { return !b(e) }}, true
	case "-":
		switch {
		case x.konst && x.kind == vInt:
			k := -x.ki
			return cval{kind: vInt, i: func(*Env) int { return k }, konst: true, ki: k}, true
		case x.konst && x.kind == vFloat:
			k := -x.kf
			return cval{kind: vFloat, f: func(*Env) float64 { return k }, konst: true, kf: k}, true
		case x.kind == vInt:
			i := x.i
			return cval{kind: vInt, i: func(e *Env) int { return -i(e) }}, true
		case x.kind == vFloat:
			f := x.f
			return cval{kind: vFloat, f: func(e *Env) float64 { return -f(e) }}, true
		}
	case "+":
		if numeric(x) {
			return x, true
		}
	}
	return cval{}, false
}

func binary(n *ast.BinaryNode) (cval, bool) {
	l, ok := compileNode(n.Left)
	if !ok {
		return cval{}, false
	}
	if n.Operator == "in" {
		return in(l, n.Right)
	}
	r, ok := compileNode(n.Right)
	if !ok {
		return cval{}, false
	}
	switch n.Operator {
	case "&&", "and", "||", "or":
		if l.kind != vBool || r.kind != vBool {
			return cval{}, false
		}
		lb, rb := l.b, r.b
		if n.Operator == "&&" || n.Operator == "and" {
			return cval{kind: vBool, b: func(e *Env) bool { return lb(e) && rb(e) }}, true
		}
		return cval{kind: vBool, b: func(e *Env) bool { return lb(e) || rb(e) }}, true
	case "==", "!=":
		eq, ok := equal(l, r)
		if !ok {
			return cval{}, false
		}
		if n.Operator == "!=" {
			return cval{kind: vBool, b: func(e *Env) bool { return !eq(e) }}, true
		}
		return cval{kind: vBool, b: eq}, true
	case "<", "<=", ">", ">=":
		return compare(n.Operator, l, r)
	case "+", "-", "*", "/":
		return arith(n.Operator, l, r)
	case "contains", "startsWith", "endsWith":
		if l.kind != vString || r.kind != vString {
			return cval{}, false
		}
		ls, rs := l.s, r.s
		switch n.Operator {
		case "contains":
			return cval{kind: vBool, b: func(e *Env) bool { return strings.Contains(ls(e), rs(e)) }}, true
		case "startsWith":
			return cval{kind: vBool, b: func(e *Env) bool { return strings.HasPrefix(ls(e), rs(e)) }}, true
		default:
			return cval{kind: vBool, b: func(e *Env) bool { return strings.HasSuffix(ls(e), rs(e)) }}, true
		}
	}
	return cval{}, false
}

// equal compiles l == r for operands of the same class.
func equal(l, r cval) (func(*Env) bool, bool) {
	if l.konst && !r.konst {
		l, r = r, l // == is symmetric
	}
	if l.isField && r.konst {
		off := l.off
		switch {
		case l.kind == vString && r.kind == vString:
			k := r.ks
			return func(e *Env) bool { return *(*string)(unsafe.Add(unsafe.Pointer(e), off)) == k }, true
		case l.kind == vInt && r.kind == vInt:
			k := r.ki
			return func(e *Env) bool { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) == k }, true
		case l.kind == vFloat && numeric(r):
			k := asFloat(r)(nil)
			return func(e *Env) bool { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) == k }, true
		}
	}
	switch {
	case l.kind == vInt && r.kind == vInt:
		a, b := l.i, r.i
		return func(e *Env) bool { return a(e) == b(e) }, true
	case numeric(l) && numeric(r):
		a, b := asFloat(l), asFloat(r)
		return func(e *Env) bool { return a(e) == b(e) }, true
	case l.kind == vString && r.kind == vString:
		a, b := l.s, r.s
		if r.konst {
			k := r.ks
			return func(e *Env) bool { return a(e) == k }, true
		}
		return func(e *Env) bool { return a(e) == b(e) }, true
	case l.kind == vBool && r.kind == vBool:
		a, b := l.b, r.b
		return func(e *Env) bool { return a(e) == b(e) }, true
	}
	return nil, false
}

func compare(op string, l, r cval) (cval, bool) {
	var lt func(e *Env) (x, y float64)
	switch {
	case l.kind == vInt && r.kind == vInt && l.isField && r.konst:
		k, off := r.ki, l.off
		var f func(*Env) bool
		switch op {
		case "<":
			f = func(e *Env) bool { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) < k }
		case "<=":
			f = func(e *Env) bool { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) <= k }
		case ">":
			f = func(e *Env) bool { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) > k }
		default:
			f = func(e *Env) bool { return *(*int)(unsafe.Add(unsafe.Pointer(e), off)) >= k }
		}
		return cval{kind: vBool, b: f}, true
	case l.kind == vInt && r.kind == vInt:
		a, b := l.i, r.i
		var f func(*Env) bool
		switch op {
		case "<":
			f = func(e *Env) bool { return a(e) < b(e) }
		case "<=":
			f = func(e *Env) bool { return a(e) <= b(e) }
		case ">":
			f = func(e *Env) bool { return a(e) > b(e) }
		default:
			f = func(e *Env) bool { return a(e) >= b(e) }
		}
		return cval{kind: vBool, b: f}, true
	case numeric(l) && numeric(r):
		a, b := asFloat(l), asFloat(r)
		if r.konst && l.isField && l.kind == vFloat {
			k, off := b(nil), l.off
			var f func(*Env) bool
			switch op {
			case "<":
				f = func(e *Env) bool { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) < k }
			case "<=":
				f = func(e *Env) bool { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) <= k }
			case ">":
				f = func(e *Env) bool { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) > k }
			default:
				f = func(e *Env) bool { return *(*float64)(unsafe.Add(unsafe.Pointer(e), off)) >= k }
			}
			return cval{kind: vBool, b: f}, true
		}
		if r.konst {
			k := b(nil)
			var f func(*Env) bool
			switch op {
			case "<":
				f = func(e *Env) bool { return a(e) < k }
			case "<=":
				f = func(e *Env) bool { return a(e) <= k }
			case ">":
				f = func(e *Env) bool { return a(e) > k }
			default:
				f = func(e *Env) bool { return a(e) >= k }
			}
			return cval{kind: vBool, b: f}, true
		}
		lt = func(e *Env) (float64, float64) { return a(e), b(e) }
		var f func(*Env) bool
		switch op {
		case "<":
			f = func(e *Env) bool { x, y := lt(e); return x < y }
		case "<=":
			f = func(e *Env) bool { x, y := lt(e); return x <= y }
		case ">":
			f = func(e *Env) bool { x, y := lt(e); return x > y }
		default:
			f = func(e *Env) bool { x, y := lt(e); return x >= y }
		}
		return cval{kind: vBool, b: f}, true
	case l.kind == vString && r.kind == vString:
		a, b := l.s, r.s
		var f func(*Env) bool
		switch op {
		case "<":
			f = func(e *Env) bool { return a(e) < b(e) }
		case "<=":
			f = func(e *Env) bool { return a(e) <= b(e) }
		case ">":
			f = func(e *Env) bool { return a(e) > b(e) }
		default:
			f = func(e *Env) bool { return a(e) >= b(e) }
		}
		return cval{kind: vBool, b: f}, true
	}
	return cval{}, false
}

func arith(op string, l, r cval) (cval, bool) {
	if !numeric(l) || !numeric(r) {
		return cval{}, false
	}
	if l.kind == vInt && r.kind == vInt && op != "/" {
		a, b := l.i, r.i
		switch op {
		case "+":
			return cval{kind: vInt, i: func(e *Env) int { return a(e) + b(e) }}, true
		case "-":
			return cval{kind: vInt, i: func(e *Env) int { return a(e) - b(e) }}, true
		default:
			return cval{kind: vInt, i: func(e *Env) int { return a(e) * b(e) }}, true
		}
	}
	a, b := asFloat(l), asFloat(r)
	switch op {
	case "+":
		return cval{kind: vFloat, f: func(e *Env) float64 { return a(e) + b(e) }}, true
	case "-":
		return cval{kind: vFloat, f: func(e *Env) float64 { return a(e) - b(e) }}, true
	case "*":
		return cval{kind: vFloat, f: func(e *Env) float64 { return a(e) * b(e) }}, true
	default:
		return cval{kind: vFloat, f: func(e *Env) float64 { return a(e) / b(e) }}, true
	}
}

// in compiles l in [literal, ...] for a list of literals of l's class.
func in(l cval, right ast.Node) (cval, bool) {
	arr, ok := right.(*ast.ArrayNode)
	if !ok || len(arr.Nodes) == 0 || len(arr.Nodes) > 256 {
		return cval{}, false
	}
	items := make([]cval, len(arr.Nodes))
	for i, n := range arr.Nodes {
		v, ok := compileNode(n)
		if !ok || !v.konst {
			return cval{}, false
		}
		items[i] = v
	}
	switch {
	case l.kind == vString:
		set := make([]string, len(items))
		for i, v := range items {
			if v.kind != vString {
				return cval{}, false
			}
			set[i] = v.ks
		}
		s := l.s
		return cval{kind: vBool, b: func(e *Env) bool {
			x := s(e)
			for _, k := range set {
				if x == k {
					return true
				}
			}
			return false
		}}, true
	case numeric(l):
		allInt := l.kind == vInt
		set := make([]float64, len(items))
		iset := make([]int, len(items))
		for i, v := range items {
			if !numeric(v) {
				return cval{}, false
			}
			if v.kind == vInt {
				set[i], iset[i] = float64(v.ki), v.ki
			} else {
				set[i], allInt = v.kf, false
			}
		}
		if allInt {
			li := l.i
			return cval{kind: vBool, b: func(e *Env) bool {
				x := li(e)
				for _, k := range iset {
					if x == k {
						return true
					}
				}
				return false
			}}, true
		}
		lf := asFloat(l)
		return cval{kind: vBool, b: func(e *Env) bool {
			x := lf(e)
			for _, k := range set {
				if x == k {
					return true
				}
			}
			return false
		}}, true
	}
	return cval{}, false
}

func conditional(n *ast.ConditionalNode) (cval, bool) {
	c, ok1 := compileNode(n.Cond)
	a, ok2 := compileNode(n.Exp1)
	b, ok3 := compileNode(n.Exp2)
	if !ok1 || !ok2 || !ok3 || c.kind != vBool || a.kind != b.kind {
		return cval{}, false
	}
	cb := c.b
	switch a.kind {
	case vBool:
		x, y := a.b, b.b
		return cval{kind: vBool, b: func(e *Env) bool {
			if cb(e) {
				return x(e)
			}
			return y(e)
		}}, true
	case vInt:
		x, y := a.i, b.i
		return cval{kind: vInt, i: func(e *Env) int {
			if cb(e) {
				return x(e)
			}
			return y(e)
		}}, true
	case vFloat:
		x, y := a.f, b.f
		return cval{kind: vFloat, f: func(e *Env) float64 {
			if cb(e) {
				return x(e)
			}
			return y(e)
		}}, true
	case vString:
		x, y := a.s, b.s
		return cval{kind: vString, s: func(e *Env) string {
			if cb(e) {
				return x(e)
			}
			return y(e)
		}}, true
	}
	return cval{}, false
}
