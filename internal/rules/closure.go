package rules

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// The closure compiler turns rules into trees of Go closures over a
// pointer to the environment, the technique of compiling an abstract
// syntax tree to closures (Feeley & Lapalme, "Using closures for code
// generation", Computer Languages 12(1), 1987). It covers the subset of
// expr that most rules use — field access (bool, int, float64 and string
// fields of nested structs), number, string and boolean literals,
// arithmetic (+ - * /), comparisons, && || !, "in" over a literal list,
// contains/startsWith/endsWith and ?: — with expr's semantics: integers
// stay integers under + - *, / always divides as floats, and an integer
// meets a float as a float. Anything else (decimal money, function calls,
// map or array access, %, **, regular expressions, pipes, ...) returns nil
// and the rule runs on the expression virtual machine instead, which is
// where exact money comparisons live. Every rule is compiled by Compile
// first, so the closure compiler only ever sees text that type-checks
// against its environment; differential tests (FuzzClosure) check that
// both paths agree.

type vkind uint8

const (
	vInvalid vkind = iota
	vBool
	vInt
	vFloat
	vString
	vStruct
	vDec // money: decimal.Decimal (see closure_money.go)
	vMap // a map[string]T field, for indexing with a literal key
)

// cval is a compiled sub-expression: a closure of its kind, or, for a
// struct, the type and offset within the environment used to resolve
// member access.
type cval struct {
	kind vkind
	b    func(unsafe.Pointer) bool
	i    func(unsafe.Pointer) int
	f    func(unsafe.Pointer) float64
	s    func(unsafe.Pointer) string
	d    func(unsafe.Pointer) dnum
	typ  reflect.Type // vStruct, vMap
	off  uintptr      // vStruct, and leaves with isField: offset within the environment

	// isField marks a leaf that reads a field of the environment at off, so that a
	// comparison with a literal can read it directly (one call, not two).
	isField bool

	// Literals, so that "in" lists and comparisons can use them directly.
	konst bool
	kb    bool
	ki    int
	kf    float64
	ks    string
	kd    dnum
}

// compileClosure returns a closure computing the boolean expression src
// over a pointer to a value of the struct type env, or nil when src is
// outside the supported subset.
func compileClosure(src string, env reflect.Type) func(unsafe.Pointer) bool {
	if env.Kind() != reflect.Struct {
		return nil
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	c := closureCompiler{env: env}
	v, ok := c.node(tree.Node)
	if !ok || v.kind != vBool {
		return nil
	}
	return v.b
}

// closureCompiler compiles the nodes of one rule for one environment type.
type closureCompiler struct{ env reflect.Type }

func (c closureCompiler) node(n ast.Node) (cval, bool) {
	switch n := n.(type) {
	case *ast.BoolNode:
		x := n.Value
		return cval{kind: vBool, b: func(unsafe.Pointer) bool { return x }, konst: true, kb: x}, true
	case *ast.IntegerNode:
		x := n.Value
		return cval{kind: vInt, i: func(unsafe.Pointer) int { return x }, konst: true, ki: x}, true
	case *ast.FloatNode:
		x := n.Value
		return cval{kind: vFloat, f: func(unsafe.Pointer) float64 { return x }, konst: true, kf: x}, true
	case *ast.StringNode:
		x := n.Value
		return cval{kind: vString, s: func(unsafe.Pointer) string { return x }, konst: true, ks: x}, true
	case *ast.IdentifierNode:
		return field(cval{kind: vStruct, typ: c.env}, n.Value)
	case *ast.MemberNode:
		if n.Optional || n.Method {
			return cval{}, false
		}
		base, ok := c.node(n.Node)
		if !ok {
			return cval{}, false
		}
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return cval{}, false
		}
		switch base.kind {
		case vStruct:
			return field(base, prop.Value)
		case vMap:
			return mapIndex(base, prop.Value)
		}
		return cval{}, false
	case *ast.CallNode:
		return c.call(n)
	case *ast.BuiltinNode:
		// Parsed without the rules' configuration, float(x) is expr's
		// builtin; compiled, it is the rules' own float (see
		// moneyFunctions), which agrees with it on numbers and also
		// converts money.
		if n.Name == "float" && len(n.Arguments) == 1 {
			return c.float(n.Arguments[0])
		}
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
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
	if sf.Type == decimalType {
		return decField(off), true
	}
	switch sf.Type.Kind() {
	case reflect.Map:
		return mapField(sf.Type, off)
	case reflect.Bool:
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return *(*bool)(unsafe.Add(e, off)) }, isField: true, off: off}, true
	case reflect.Int:
		return cval{kind: vInt, i: func(e unsafe.Pointer) int { return *(*int)(unsafe.Add(e, off)) }, isField: true, off: off}, true
	case reflect.Float64:
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return *(*float64)(unsafe.Add(e, off)) }, isField: true, off: off}, true
	case reflect.String:
		return cval{kind: vString, s: func(e unsafe.Pointer) string { return *(*string)(unsafe.Add(e, off)) }, isField: true, off: off}, true
	case reflect.Struct:
		return cval{kind: vStruct, typ: sf.Type, off: off}, true
	}
	return cval{}, false
}

func numeric(v cval) bool { return v.kind == vInt || v.kind == vFloat }

// asFloat returns v as a float closure (v numeric).
func asFloat(v cval) func(unsafe.Pointer) float64 {
	if v.kind == vFloat {
		return v.f
	}
	if v.konst {
		x := float64(v.ki)
		return func(unsafe.Pointer) float64 { return x }
	}
	i := v.i
	return func(e unsafe.Pointer) float64 { return float64(i(e)) }
}

func (c closureCompiler) unary(n *ast.UnaryNode) (cval, bool) {
	x, ok := c.node(n.Node)
	if !ok {
		return cval{}, false
	}
	switch n.Operator {
	case "!", "not":
		if x.kind != vBool {
			return cval{}, false
		}
		b := x.b
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return !b(e) }}, true
	case "-":
		switch {
		case x.konst && x.kind == vInt:
			k := -x.ki
			return cval{kind: vInt, i: func(unsafe.Pointer) int { return k }, konst: true, ki: k}, true
		case x.konst && x.kind == vFloat:
			k := -x.kf
			return cval{kind: vFloat, f: func(unsafe.Pointer) float64 { return k }, konst: true, kf: k}, true
		case x.kind == vInt:
			i := x.i
			return cval{kind: vInt, i: func(e unsafe.Pointer) int { return -i(e) }}, true
		case x.kind == vFloat:
			f := x.f
			return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return -f(e) }}, true
		}
	case "+":
		if numeric(x) {
			return x, true
		}
	}
	return cval{}, false
}

func (c closureCompiler) binary(n *ast.BinaryNode) (cval, bool) {
	l, ok := c.node(n.Left)
	if !ok {
		return cval{}, false
	}
	if n.Operator == "in" {
		return c.in(l, n.Right)
	}
	r, ok := c.node(n.Right)
	if !ok {
		return cval{}, false
	}
	if l.kind == vDec || r.kind == vDec {
		return decBinary(n.Operator, l, r)
	}
	switch n.Operator {
	case "&&", "and", "||", "or":
		if l.kind != vBool || r.kind != vBool {
			return cval{}, false
		}
		lb, rb := l.b, r.b
		if n.Operator == "&&" || n.Operator == "and" {
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return lb(e) && rb(e) }}, true
		}
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return lb(e) || rb(e) }}, true
	case "==", "!=":
		eq, ok := equal(l, r)
		if !ok {
			return cval{}, false
		}
		if n.Operator == "!=" {
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return !eq(e) }}, true
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
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return strings.Contains(ls(e), rs(e)) }}, true
		case "startsWith":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return strings.HasPrefix(ls(e), rs(e)) }}, true
		default:
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return strings.HasSuffix(ls(e), rs(e)) }}, true
		}
	}
	return cval{}, false
}

// equal compiles l == r for operands of the same class.
func equal(l, r cval) (func(unsafe.Pointer) bool, bool) {
	if l.konst && !r.konst {
		l, r = r, l // == is symmetric
	}
	if l.isField && r.konst {
		off := l.off
		switch {
		case l.kind == vString && r.kind == vString:
			k := r.ks
			return func(e unsafe.Pointer) bool { return *(*string)(unsafe.Add(e, off)) == k }, true
		case l.kind == vInt && r.kind == vInt:
			k := r.ki
			return func(e unsafe.Pointer) bool { return *(*int)(unsafe.Add(e, off)) == k }, true
		case l.kind == vFloat && numeric(r):
			k := asFloat(r)(nil)
			return func(e unsafe.Pointer) bool { return *(*float64)(unsafe.Add(e, off)) == k }, true
		}
	}
	switch {
	case l.kind == vInt && r.kind == vInt:
		a, b := l.i, r.i
		return func(e unsafe.Pointer) bool { return a(e) == b(e) }, true
	case numeric(l) && numeric(r):
		a, b := asFloat(l), asFloat(r)
		return func(e unsafe.Pointer) bool { return a(e) == b(e) }, true
	case l.kind == vString && r.kind == vString:
		a, b := l.s, r.s
		if r.konst {
			k := r.ks
			return func(e unsafe.Pointer) bool { return a(e) == k }, true
		}
		return func(e unsafe.Pointer) bool { return a(e) == b(e) }, true
	case l.kind == vBool && r.kind == vBool:
		a, b := l.b, r.b
		return func(e unsafe.Pointer) bool { return a(e) == b(e) }, true
	}
	return nil, false
}

func compare(op string, l, r cval) (cval, bool) {
	switch {
	case l.kind == vInt && r.kind == vInt && l.isField && r.konst:
		return cval{kind: vBool, b: orderFieldConst(op, l.off, r.ki)}, true
	case l.kind == vInt && r.kind == vInt:
		return cval{kind: vBool, b: orderPair(op, l.i, r.i)}, true
	case numeric(l) && numeric(r):
		a, b := asFloat(l), asFloat(r)
		switch {
		case r.konst && l.isField && l.kind == vFloat:
			return cval{kind: vBool, b: orderFieldConst(op, l.off, b(nil))}, true
		case r.konst:
			return cval{kind: vBool, b: orderConst(op, a, b(nil))}, true
		}
		return cval{kind: vBool, b: orderPair(op, a, b)}, true
	case l.kind == vString && r.kind == vString:
		return cval{kind: vBool, b: orderPair(op, l.s, r.s)}, true
	}
	return cval{}, false
}

// orderPair compiles a(e) op b(e) for op one of < <= > >= (Go's operators,
// so NaN compares false as in expr).
func orderPair[T int | float64 | string](op string, a, b func(unsafe.Pointer) T) func(unsafe.Pointer) bool {
	switch op {
	case "<":
		return func(e unsafe.Pointer) bool { return a(e) < b(e) }
	case "<=":
		return func(e unsafe.Pointer) bool { return a(e) <= b(e) }
	case ">":
		return func(e unsafe.Pointer) bool { return a(e) > b(e) }
	}
	return func(e unsafe.Pointer) bool { return a(e) >= b(e) }
}

// orderConst compiles a(e) op k.
func orderConst[T int | float64 | string](op string, a func(unsafe.Pointer) T, k T) func(unsafe.Pointer) bool {
	switch op {
	case "<":
		return func(e unsafe.Pointer) bool { return a(e) < k }
	case "<=":
		return func(e unsafe.Pointer) bool { return a(e) <= k }
	case ">":
		return func(e unsafe.Pointer) bool { return a(e) > k }
	}
	return func(e unsafe.Pointer) bool { return a(e) >= k }
}

// orderFieldConst compiles field op k for the field at off: one load, no
// call, the commonest shape of a rule.
func orderFieldConst[T int | float64](op string, off uintptr, k T) func(unsafe.Pointer) bool {
	switch op {
	case "<":
		return func(e unsafe.Pointer) bool { return *(*T)(unsafe.Add(e, off)) < k }
	case "<=":
		return func(e unsafe.Pointer) bool { return *(*T)(unsafe.Add(e, off)) <= k }
	case ">":
		return func(e unsafe.Pointer) bool { return *(*T)(unsafe.Add(e, off)) > k }
	}
	return func(e unsafe.Pointer) bool { return *(*T)(unsafe.Add(e, off)) >= k }
}

func arith(op string, l, r cval) (cval, bool) {
	if !numeric(l) || !numeric(r) {
		return cval{}, false
	}
	if l.kind == vInt && r.kind == vInt && op != "/" {
		a, b := l.i, r.i
		switch op {
		case "+":
			return cval{kind: vInt, i: func(e unsafe.Pointer) int { return a(e) + b(e) }}, true
		case "-":
			return cval{kind: vInt, i: func(e unsafe.Pointer) int { return a(e) - b(e) }}, true
		default:
			return cval{kind: vInt, i: func(e unsafe.Pointer) int { return a(e) * b(e) }}, true
		}
	}
	a, b := asFloat(l), asFloat(r)
	switch op {
	case "+":
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return a(e) + b(e) }}, true
	case "-":
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return a(e) - b(e) }}, true
	case "*":
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return a(e) * b(e) }}, true
	default:
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return a(e) / b(e) }}, true
	}
}

// in compiles l in [literal, ...] for a list of literals of l's class.
func (c closureCompiler) in(l cval, right ast.Node) (cval, bool) {
	arr, ok := right.(*ast.ArrayNode)
	if !ok || len(arr.Nodes) == 0 || len(arr.Nodes) > 256 {
		return cval{}, false
	}
	items := make([]cval, len(arr.Nodes))
	for i, n := range arr.Nodes {
		v, ok := c.node(n)
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
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool {
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
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool {
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
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool {
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

func (c closureCompiler) conditional(n *ast.ConditionalNode) (cval, bool) {
	cond, ok1 := c.node(n.Cond)
	a, ok2 := c.node(n.Exp1)
	b, ok3 := c.node(n.Exp2)
	if !ok1 || !ok2 || !ok3 || cond.kind != vBool || a.kind != b.kind {
		return cval{}, false
	}
	cb := cond.b
	switch a.kind {
	case vBool:
		return cval{kind: vBool, b: choose(cb, a.b, b.b)}, true
	case vInt:
		return cval{kind: vInt, i: choose(cb, a.i, b.i)}, true
	case vFloat:
		return cval{kind: vFloat, f: choose(cb, a.f, b.f)}, true
	case vString:
		return cval{kind: vString, s: choose(cb, a.s, b.s)}, true
	}
	return cval{}, false
}

// choose compiles cond ? x : y.
func choose[T any](cond func(unsafe.Pointer) bool, x, y func(unsafe.Pointer) T) func(unsafe.Pointer) T {
	return func(e unsafe.Pointer) T {
		if cond(e) {
			return x(e)
		}
		return y(e)
	}
}
