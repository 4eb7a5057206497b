package rules

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/shopspring/decimal"
)

// closEnv is an environment of the shape the SDK's packages use: nested
// structs of bool, int, float64 and string fields, and decimal money that
// the closure compiler leaves to the virtual machine.
type closEnv struct {
	Profile         closProfile
	Stage, Tier     string
	Family          string
	StageConfidence float64
	RFM             closRFM
	Money, Money2   decimal.Decimal
	Codes           map[string]bool
	Scores          map[string]float64
}

type closProfile struct {
	AgeYears, DTI, WealthUse, Monetary, SalaryDays, RecencyDays float64
	DaysSinceLastSession, MonthlyIncome, MonthlyDebt            float64
	Loans, Purchases, PurchaseDays, Sessions                    int
	Occupation                                                  string
	SalaryMature, PensionIncome, IncomeStopped                  bool
	Spend                                                       closSpend
}

type closSpend struct{ Childcare, Travel, Groceries float64 }

type closRFM struct {
	R, F, M int
	Segment string
}

var closType = reflect.TypeFor[closEnv]()

// randEnv fills every field of a closEnv with values drawn from r, favouring
// the values expressions compare against and the edge cases (zero, -1,
// NaN, infinities, the largest int).
func randEnv(r *rand.Rand) *closEnv {
	e := &closEnv{}
	floats := []float64{0, -1, 1, 0.5, 0.05, 0.2, 0.3, 0.43, 4, 30, 60, 90, 180, 500, 8000, 1e6, math.NaN(), math.Inf(1), math.Inf(-1)}
	ints := []int{0, 1, 2, 3, 4, 5, -1, 10, 20, 30, math.MaxInt, math.MinInt}
	strs := []string{"", "student", "retired", "family_formation", "wealth_accumulation", "credit", "wealth", "payments",
		"top", "core", "long_tail", "at_risk", "cant_lose", "champions", "employee", "Student", "stu"}
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		case reflect.Float64:
			if r.IntN(4) == 0 {
				v.SetFloat(r.NormFloat64() * 1000)
			} else {
				v.SetFloat(floats[r.IntN(len(floats))])
			}
		case reflect.Int:
			if r.IntN(4) == 0 {
				v.SetInt(int64(r.IntN(100)))
			} else {
				v.SetInt(int64(ints[r.IntN(len(ints))]))
			}
		case reflect.String:
			v.SetString(strs[r.IntN(len(strs))])
		case reflect.Bool:
			v.SetBool(r.IntN(2) == 0)
		}
	}
	fill(reflect.ValueOf(e).Elem())
	// Money: small and huge (beyond an int64 coefficient), negative,
	// different exponents, and the zero Decimal.
	money := []string{"0", "0.30", "0.3", "5000.10", "5000.1", "5000.11", "-1", "100", "99.99", "1e3",
		"123456789012345678901234567890.5", "-98765432109876543210", "0.000000000000000000001", "9223372036854775807"}
	pick := func() decimal.Decimal {
		if r.IntN(8) == 0 {
			return decimal.Decimal{}
		}
		return decimal.RequireFromString(money[r.IntN(len(money))])
	}
	e.Money, e.Money2 = pick(), pick()
	if r.IntN(4) > 0 {
		e.Codes = map[string]bool{"a": r.IntN(2) == 0, "b": true}
		e.Scores = map[string]float64{"x": r.Float64(), "y": float64(r.IntN(3))}
	}
	return e
}

// closureAgrees checks the closure of src against the expression engine on
// n random environments; it reports whether src compiled to a closure.
func closureAgrees(t testing.TB, src string, seed uint64, n int) bool {
	t.Helper()
	prog, err := Compile("t", src, closEnv{})
	if err != nil {
		return false
	}
	fast := compileClosure(src, closType)
	if fast == nil {
		return false
	}
	r := rand.New(rand.NewPCG(seed, 0x5e9))
	for range n {
		e := randEnv(r)
		want, err := prog.Eval(e)
		if err != nil {
			t.Fatalf("%s: the engine failed where the closure runs: %v", src, err)
		}
		if got := fast(unsafe.Pointer(e)); got != want {
			t.Fatalf("%s: closure %v, engine %v on %+v", src, got, want, e)
		}
	}
	return true
}

func TestClosureMatchesEngine(t *testing.T) {
	fast := []string{
		`Stage == "family_formation" && Profile.Spend.Childcare > 0`,
		`Profile.DaysSinceLastSession > 60 || Profile.DaysSinceLastSession == -1`,
		`RFM.Segment in ["at_risk", "cant_lose"] && Tier != "long_tail"`,
		`RFM.Segment not in ["at_risk", "cant_lose"]`,
		`Profile.Loans in [1, 2, 3]`,
		`Profile.AgeYears in [30, 40.5]`,
		`Profile.Loans in [1, 2.0]`,
		`Profile.Purchases / Profile.PurchaseDays > 1.5`,
		`Profile.Purchases + Profile.Loans * 2 - 1 >= 3`,
		`Profile.MonthlyIncome - Profile.MonthlyDebt * 2 > 1000`,
		`Profile.AgeYears == 30`,
		`Profile.Loans == 2.5 || Profile.Loans != 2`,
		`Profile.Loans < Profile.AgeYears`,
		`-Profile.DTI < -0.3`,
		`Profile.Loans > -1 && +Profile.DTI <= 0.43`,
		`!Profile.SalaryMature and not Profile.PensionIncome`,
		`Profile.SalaryMature == Profile.PensionIncome`,
		`Profile.Occupation startsWith "stu" || Profile.Occupation endsWith "ed" || Profile.Occupation contains "mploy"`,
		`Profile.Occupation < "m" && Stage >= "f"`,
		`(Profile.AgeYears > 50 ? Profile.WealthUse : Profile.DTI) > 0.2`,
		`(Profile.Loans > 1 ? Profile.Loans : 0) >= 2`,
		`(Stage == "retired" ? "old" : Tier) == "top"`,
		`Profile.SalaryMature ? Profile.Loans > 0 : RFM.R >= 4`,
		`Profile["AgeYears"] > 30 && Profile.Spend["Travel"] > 500`,
		`true`, `false || Profile.IncomeStopped`,
		`StageConfidence > 0.9 && Family == "wealth" && RFM.F * RFM.M >= 16`,
		`Profile.Monetary / 0 > 1`,
		`Profile.Purchases * 9223372036854775807 > 0`,
		`Money > 100`, `Money == Money`, `Money - 0.1 == 0.2`, `Money + Money2 > 5000.10`,
		`Money >= money("0.30") || Money2 < -1`, `float(Money) > Profile.DTI * 1000`,
		`Money - Money2 <= 0 && Money2 - Money <= 0`, `Money + Money + Money2 != Money2 + Money + Money`,
		`Codes["a"] && Scores["x"] > 0.5`, `!Codes["missing"] || Scores["missing"] == 0`,
		`Money > 9223372036854775807`, `Money + Money2 > money("123456789012345678901234567890")`,
	}
	for i, src := range fast {
		if !closureAgrees(t, src, uint64(i), 2000) {
			t.Errorf("%s: not compiled to a closure", src)
		}
	}
	slow := []string{
		`Profile.Purchases % 2 == 0`,
		`abs(Profile.DTI) > 1`,
		`Profile.Loans ** 2 > 4`,
		`Profile.Occupation matches "^stu"`,
		`Money in [1, 2]`,
		`Codes[Stage]`,
		`Profile.Loans in 1..3`,
		`len(Profile.Occupation) > 3`,
		`Profile.Occupation + "x" == "studentx"`,
		`Profile.Occupation == 1`,
		`let x = Profile.Loans; x > 1`,
		`Profile?.Loans > 1`,
	}
	for _, src := range slow {
		if _, err := Compile("t", src, closEnv{}); err != nil {
			continue // not valid at all: nothing to fall back from
		}
		if compileClosure(src, closType) != nil {
			t.Errorf("%s: compiled to a closure, want the engine", src)
		}
	}
}

// TestClosureCoversEveryField: every field of the environment that an
// expression can name reads back the value it holds, through the closure
// compiler's offsets.
func TestClosureCoversEveryField(t *testing.T) {
	e := &closEnv{}
	var srcs []string
	n := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		typ := v.Type()
		for i := range typ.NumField() {
			sf := typ.Field(i)
			p := sf.Name
			if path != "" {
				p = path + "." + sf.Name
			}
			fv := v.Field(i)
			n++
			if sf.Type == decimalType || sf.Type.Kind() == reflect.Map {
				continue // money and maps: covered by the expressions above
			}
			switch sf.Type.Kind() {
			case reflect.Struct:
				walk(fv, p)
			case reflect.Float64:
				fv.SetFloat(float64(n) + 0.25)
				srcs = append(srcs, p+" == "+strconv.FormatFloat(fv.Float(), 'g', -1, 64))
			case reflect.Int:
				fv.SetInt(int64(n))
				srcs = append(srcs, p+" == "+strconv.Itoa(n))
			case reflect.String:
				fv.SetString("s" + strconv.Itoa(n))
				srcs = append(srcs, p+` == "`+fv.String()+`"`)
			case reflect.Bool:
				fv.SetBool(n%2 == 0)
				srcs = append(srcs, p+" == "+strconv.FormatBool(n%2 == 0))
			default:
				t.Errorf("%s: kind %v has no closure", p, sf.Type.Kind())
			}
		}
	}
	walk(reflect.ValueOf(e).Elem(), "")
	if len(srcs) < 25 {
		t.Fatalf("only %d fields", len(srcs))
	}
	for _, src := range srcs {
		fast := compileClosure(src, closType)
		if fast == nil {
			t.Errorf("%s: no closure", src)
			continue
		}
		if !fast(unsafe.Pointer(e)) {
			t.Errorf("%s: false", src)
		}
	}
}

// exprGen writes random well-typed expressions over closEnv.
type exprGen struct{ r *rand.Rand }

var (
	genFloats  = []string{"Profile.AgeYears", "Profile.DTI", "Profile.WealthUse", "Profile.Spend.Travel", "Profile.Monetary", "Profile.SalaryDays", "StageConfidence", "Profile.RecencyDays"}
	genInts    = []string{"Profile.Loans", "Profile.Purchases", "Profile.PurchaseDays", "RFM.R", "RFM.F", "RFM.M", "Profile.Sessions"}
	genStrings = []string{"Stage", "Tier", "Family", "RFM.Segment", "Profile.Occupation"}
	genBools   = []string{"Profile.SalaryMature", "Profile.PensionIncome", "Profile.IncomeStopped"}
	genLits    = []string{`"retired"`, `"top"`, `"credit"`, `"at_risk"`, `"student"`, `""`, `"stu"`}
	genMoney   = []string{"Money", "Money2", "0.3", "5000.1", "100", "-1", `money("99.99")`, "0"}
)

// money writes a money-valued expression: fields, literals, sums.
func (g exprGen) money(depth int) string {
	if depth > 0 && g.r.IntN(3) == 0 {
		return "(" + g.money(depth-1) + " " + g.pick([]string{"+", "-"}) + " " + g.money(depth-1) + ")"
	}
	if g.r.IntN(2) == 0 {
		return g.pick([]string{"Money", "Money2"})
	}
	return g.pick(genMoney)
}

func (g exprGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g exprGen) num(depth int) string {
	switch k := g.r.IntN(6); {
	case k == 0 || depth == 0 && k < 3:
		return g.pick(genFloats)
	case k == 1 || depth == 0:
		return g.pick(genInts)
	case k == 2:
		return strconv.Itoa(g.r.IntN(100) - 10)
	case k == 3:
		return strconv.FormatFloat(float64(g.r.IntN(1000))/8, 'f', -1, 64)
	case k == 4:
		return "-" + g.num(depth-1)
	default:
		return "(" + g.num(depth-1) + " " + g.pick([]string{"+", "-", "*", "/"}) + " " + g.num(depth-1) + ")"
	}
}

func (g exprGen) str(depth int) string {
	if depth > 0 && g.r.IntN(5) == 0 {
		return "(" + g.boolean(depth-1) + " ? " + g.str(depth-1) + " : " + g.str(depth-1) + ")"
	}
	if g.r.IntN(3) == 0 {
		return g.pick(genLits)
	}
	return g.pick(genStrings)
}

func (g exprGen) boolean(depth int) string {
	k := g.r.IntN(11)
	if depth == 0 {
		k = g.r.IntN(4)
	}
	switch k {
	case 9:
		// Money against money: at least one side a field, so that the
		// virtual machine sees a decimal.
		return g.pick([]string{"Money", "Money2"}) + " " + g.pick([]string{"<", "<=", ">", ">=", "==", "!="}) + " " + g.money(depth)
	case 10:
		return g.pick([]string{`Codes["a"]`, `Codes["b"]`, `Codes["zz"]`, `Scores["x"] > 0.5`, `Scores["y"] >= 1`})
	case 0:
		return g.num(depth) + " " + g.pick([]string{"<", "<=", ">", ">=", "==", "!="}) + " " + g.num(depth)
	case 1:
		return g.str(depth) + " " + g.pick([]string{"==", "!=", "<", ">=", "contains", "startsWith", "endsWith"}) + " " + g.str(depth)
	case 2:
		return g.pick(genBools)
	case 3:
		list := []string{g.pick(genLits), g.pick(genLits)}
		if g.r.IntN(2) == 0 {
			return g.pick(genStrings) + " in [" + strings.Join(list, ", ") + "]"
		}
		return g.pick(genInts) + " not in [" + strconv.Itoa(g.r.IntN(5)) + ", " + strconv.FormatFloat(float64(g.r.IntN(9))/2, 'f', -1, 64) + "]"
	case 4:
		return "!(" + g.boolean(depth-1) + ")"
	case 5:
		return "(" + g.boolean(depth-1) + " ? " + g.boolean(depth-1) + " : " + g.boolean(depth-1) + ")"
	case 6:
		return g.boolean(depth-1) + " == " + g.boolean(depth-1)
	default:
		return "(" + g.boolean(depth-1) + " " + g.pick([]string{"&&", "||", "and", "or"}) + " " + g.boolean(depth-1) + ")"
	}
}

// TestClosureRandomExpressions checks the closure compiler against the
// expression engine on thousands of random well-typed expressions.
func TestClosureRandomExpressions(t *testing.T) {
	g := exprGen{rand.New(rand.NewPCG(42, 7))}
	n := 3000
	if testing.Short() || raceEnabled {
		n = 600
	}
	compiled, closures := 0, 0
	for i := range n {
		src := g.boolean(4)
		if _, err := Compile("t", src, closEnv{}); err != nil {
			continue
		}
		compiled++
		if closureAgrees(t, src, uint64(i), 40) {
			closures++
		}
	}
	t.Logf("%d random expressions compiled, %d as closures", compiled, closures)
	if compiled < n/2 || closures < compiled*9/10 {
		t.Errorf("%d of %d compiled, %d as closures", compiled, n, closures)
	}
}

// FuzzClosure holds the closure compiler to the expression engine: for any
// expression that compiles and that the closure compiler accepts, both give
// the same result on random environments.
func FuzzClosure(f *testing.F) {
	for i, s := range []string{
		`Stage == "family_formation" && Profile.Spend.Childcare > 0`,
		`Profile.Loans in [1, 2.5] || Profile.AgeYears in [30, 40]`,
		`(Profile.AgeYears > 50 ? Profile.WealthUse : Profile.DTI) > 0.2`,
		`Profile.Purchases / Profile.PurchaseDays >= 1 && -Profile.DTI < -0.1`,
		`Profile.Occupation startsWith "stu" and not (Stage endsWith "ed")`,
		`RFM.F * RFM.M - RFM.R + 1 > 3`,
		`Money > 5000.1 || Profile.DTI > 0.4`,
	} {
		f.Add(s, uint64(i))
	}
	f.Fuzz(func(t *testing.T, src string, seed uint64) {
		if len(src) > 4096 {
			return
		}
		closureAgrees(t, src, seed, 16)
	})
}

func TestTypedUsesClosuresAndFallsBack(t *testing.T) {
	fast, err := CompileTyped[closEnv]("fast", `Profile.DTI > 0.4 && Stage == "retired"`)
	if err != nil {
		t.Fatal(err)
	}
	money, err := CompileTyped[closEnv]("money", `Money > 5000.1 && Profile.DTI > 0.4`)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := CompileTyped[closEnv]("modulo", `Profile.Purchases % 2 == 0 && Money > 5000.1`)
	if err != nil {
		t.Fatal(err)
	}
	if !fast.Fast() || !money.Fast() || slow.Fast() {
		t.Fatalf("fast %v, money %v, modulo %v: want closures for the first two", fast.Fast(), money.Fast(), slow.Fast())
	}
	e := &closEnv{Stage: "retired", Money: decimal.RequireFromString("5000.10")}
	e.Profile.DTI = 0.5
	if ok, err := fast.Eval(e); !ok || err != nil {
		t.Fatalf("fast: %v %v", ok, err)
	}
	for _, p := range []*Typed[closEnv]{money, slow} {
		if ok, err := p.Eval(e); ok || err != nil {
			t.Fatalf("%s: 5000.10 > 5000.1: %v %v, want false", p.Name(), ok, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = money.Eval(e) }); n != 0 {
		t.Fatalf("a money rule on the closure path allocates %v times", n)
	}
	if _, err := CompileTyped[closEnv]("bad", `Profile.Nope > 1`); err == nil {
		t.Fatal("an unknown field compiled")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = fast.Eval(e) }); n != 0 {
		t.Fatalf("closure evaluation allocates %v times", n)
	}
}
