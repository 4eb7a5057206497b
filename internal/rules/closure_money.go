package rules

import (
	"reflect"
	"strconv"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/shopspring/decimal"
)

// Money in the closure path. A decimal.Decimal field is read as a dnum: its
// coefficient and exponent when the coefficient has at most 18 digits (so
// it fits an int64), else the decimal itself. Comparisons, sums and
// differences of dnums are exact integer arithmetic after aligning the
// exponents, with overflow checked at every step; only when a value or an
// intermediate result does not fit do they fall back to the decimal
// package. So money rules keep their exactness and, in practice, allocate
// nothing. Literals meeting money become decimals exactly as the virtual
// machine's compile-time patch does (see moneyLiterals), so both paths see
// the same numbers.

// dnum is an exact decimal: c × 10^e when small, else d.
type dnum struct {
	small bool
	e     int32
	c     int64
	d     decimal.Decimal
}

func dnumOf(d decimal.Decimal) dnum {
	if d.NumDigits() <= 18 {
		return dnum{small: true, c: d.CoefficientInt64(), e: d.Exponent()}
	}
	return dnum{d: d}
}

func (x dnum) dec() decimal.Decimal {
	if x.small {
		return decimal.New(x.c, x.e)
	}
	return x.d
}

var pow10s = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// align returns the coefficients of small x and y at their smaller
// exponent, and false when scaling would overflow an int64.
func align(x, y dnum) (a, b int64, ok bool) {
	a, b = x.c, y.c
	switch {
	case x.e > y.e:
		a, ok = scale(a, int64(x.e)-int64(y.e))
	case y.e > x.e:
		b, ok = scale(b, int64(y.e)-int64(x.e))
	default:
		ok = true
	}
	return a, b, ok
}

func scale(c, by int64) (int64, bool) {
	if c == 0 {
		return 0, true
	}
	if by > 18 {
		return 0, false
	}
	p := pow10s[by]
	if c > (1<<63-1)/p || c < -(1<<63-1)/p {
		return 0, false
	}
	return c * p, true
}

func dcmp(x, y dnum) int {
	if x.small && y.small {
		if a, b, ok := align(x, y); ok {
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		}
	}
	return x.dec().Cmp(y.dec())
}

func dadd(x, y dnum) dnum {
	if x.small && y.small {
		if a, b, ok := align(x, y); ok {
			s := a + b
			if (a >= 0) != (b >= 0) || (s >= 0) == (a >= 0) { // no overflow
				return dnum{small: true, c: s, e: min(x.e, y.e)}
			}
		}
	}
	return dnumOf(x.dec().Add(y.dec()))
}

func dneg(x dnum) dnum {
	if x.small && x.c != -1<<63 {
		return dnum{small: true, c: -x.c, e: x.e}
	}
	return dnumOf(x.dec().Neg())
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// dfloat is decimal.Decimal.InexactFloat64 without allocating where the
// decimal package itself takes its exact fast path (a coefficient within
// ±2^53 divided by an exact power of ten: one correctly rounded division),
// so both paths give the same float.
func dfloat(x dnum) float64 {
	if x.small && x.e <= 0 && x.e >= -22 && x.c >= -1<<53 && x.c <= 1<<53 {
		return float64(x.c) / exactPow10[-x.e]
	}
	return x.dec().InexactFloat64()
}

// decField reads a decimal field at off.
func decField(off uintptr) cval {
	return cval{kind: vDec, d: func(e unsafe.Pointer) dnum { return dnumOf(*(*decimal.Decimal)(unsafe.Add(e, off))) }}
}

// asDec returns v as money: money itself, or a numeric literal converted
// exactly as the virtual machine's compile-time patch converts it.
func asDec(v cval) (cval, bool) {
	if v.kind == vDec {
		return v, true
	}
	if !v.konst {
		return cval{}, false
	}
	var d decimal.Decimal
	switch v.kind {
	case vInt:
		d = decimal.NewFromInt(int64(v.ki))
	case vFloat:
		x, err := decimal.NewFromString(strconv.FormatFloat(v.kf, 'f', -1, 64))
		if err != nil {
			return cval{}, false
		}
		d = x
	default:
		return cval{}, false
	}
	k := dnumOf(d)
	return cval{kind: vDec, d: func(unsafe.Pointer) dnum { return k }, konst: true, kd: k}, true
}

// decBinary compiles a comparison, sum or difference with money on at
// least one side; other operators, and money meeting anything but money or
// a numeric literal, are outside the subset (the virtual machine rejects
// them too).
func decBinary(op string, l, r cval) (cval, bool) {
	l, ok1 := asDec(l)
	r, ok2 := asDec(r)
	if !ok1 || !ok2 {
		return cval{}, false
	}
	a, b := l.d, r.d
	if r.konst {
		k := r.kd
		b = nil
		switch op {
		case "==":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) == 0 }}, true
		case "!=":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) != 0 }}, true
		case "<":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) < 0 }}, true
		case "<=":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) <= 0 }}, true
		case ">":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) > 0 }}, true
		case ">=":
			return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), k) >= 0 }}, true
		}
		b = r.d
	}
	switch op {
	case "==":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) == 0 }}, true
	case "!=":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) != 0 }}, true
	case "<":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) < 0 }}, true
	case "<=":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) <= 0 }}, true
	case ">":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) > 0 }}, true
	case ">=":
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return dcmp(a(e), b(e)) >= 0 }}, true
	case "+":
		return cval{kind: vDec, d: func(e unsafe.Pointer) dnum { return dadd(a(e), b(e)) }}, true
	case "-":
		return cval{kind: vDec, d: func(e unsafe.Pointer) dnum { return dadd(a(e), dneg(b(e))) }}, true
	}
	return cval{}, false
}

// mapField reads a map[string]T field at off, T bool, int, float64 or
// string: indexed with a literal key it is a leaf (see mapIndex).
func mapField(t reflect.Type, off uintptr) (cval, bool) {
	if t.Key().Kind() != reflect.String || t.Key() != reflect.TypeFor[string]() {
		return cval{}, false
	}
	switch t.Elem() {
	case reflect.TypeFor[bool](), reflect.TypeFor[int](), reflect.TypeFor[float64](), reflect.TypeFor[string]():
		return cval{kind: vMap, typ: t, off: off}, true
	}
	return cval{}, false
}

// mapIndex compiles m["key"]: the element, or its zero value when the key
// is absent or the map nil, as expr gives.
func mapIndex(m cval, key string) (cval, bool) {
	off := m.off
	switch m.typ.Elem() {
	case reflect.TypeFor[bool]():
		return cval{kind: vBool, b: func(e unsafe.Pointer) bool { return (*(*map[string]bool)(unsafe.Add(e, off)))[key] }}, true
	case reflect.TypeFor[int]():
		return cval{kind: vInt, i: func(e unsafe.Pointer) int { return (*(*map[string]int)(unsafe.Add(e, off)))[key] }}, true
	case reflect.TypeFor[float64]():
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return (*(*map[string]float64)(unsafe.Add(e, off)))[key] }}, true
	case reflect.TypeFor[string]():
		return cval{kind: vString, s: func(e unsafe.Pointer) string { return (*(*map[string]string)(unsafe.Add(e, off)))[key] }}, true
	}
	return cval{}, false
}

// call compiles money("literal") and float(x), the SDK's own functions;
// every other call is outside the subset.
func (c closureCompiler) call(n *ast.CallNode) (cval, bool) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || len(n.Arguments) != 1 {
		return cval{}, false
	}
	switch id.Value {
	case "money":
		s, ok := n.Arguments[0].(*ast.StringNode)
		if !ok {
			return cval{}, false
		}
		d, err := decimal.NewFromString(s.Value)
		if err != nil {
			return cval{}, false
		}
		k := dnumOf(d)
		return cval{kind: vDec, d: func(unsafe.Pointer) dnum { return k }, konst: true, kd: k}, true
	case "float":
		return c.float(n.Arguments[0])
	}
	return cval{}, false
}

// float compiles float(x) for money or a number.
func (c closureCompiler) float(arg ast.Node) (cval, bool) {
	x, ok := c.node(arg)
	if !ok {
		return cval{}, false
	}
	switch x.kind {
	case vDec:
		d := x.d
		return cval{kind: vFloat, f: func(e unsafe.Pointer) float64 { return dfloat(d(e)) }}, true
	case vInt, vFloat:
		return cval{kind: vFloat, f: asFloat(x)}, true
	}
	return cval{}, false
}
