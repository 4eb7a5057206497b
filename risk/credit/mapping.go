package credit

import (
	"math"
	"sort"
	"strconv"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// Origin says where a model variable's value comes from.
type Origin uint8

// Origins.
const (
	// FromDefault: the profile variable of the same name when there is
	// one (see ProfileVariables), otherwise the application attribute of
	// the same name.
	FromDefault Origin = iota
	// FromProfile: a profile variable (see ProfileVariables).
	FromProfile
	// FromApplication: a field of the application: "amount" (numeric),
	// "term_months" (numeric), "declared_income" (numeric, missing when not
	// declared), "purpose" (categorical).
	FromApplication
	// FromAttribute: an entry of Application.Attributes.
	FromAttribute
)

var originNames = [...]string{"default", "profile", "application", "attribute"}

// String returns "default", "profile", "application" or "attribute".
func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return "origin(" + strconv.Itoa(int(o)) + ")"
}

// Source says how one model variable is filled.
type Source struct {
	From Origin
	// Name is the profile variable, application field or attribute read;
	// "" means the model variable's own name.
	Name string
	// Scale multiplies a numeric value, for a model trained in other
	// units (thousands, another currency). 0 means 1.
	Scale float64
	// Codes translates a categorical value into the model's vocabulary
	// (for example the form's "car" into the training data's "A40"); a
	// value without an entry is passed unchanged, and the scorecard then
	// treats it as it treats any category it has not seen.
	Codes map[string]string
}

// Mapping says how the variables of the engine's models are filled: model
// variable name → Source. A variable without an entry uses FromDefault. The
// same mapping serves the application and the behaviour model; every entry
// must name a variable of one of them.
type Mapping map[string]Source

// Application fields a model can read (FromApplication).
const (
	fieldAmount = iota
	fieldTerm
	fieldDeclaredIncome
	fieldPurpose
)

var appFields = [...]struct {
	name string
	kind varKind
}{
	fieldAmount:         {"amount", numVar},
	fieldTerm:           {"term_months", numVar},
	fieldDeclaredIncome: {"declared_income", numVar},
	fieldPurpose:        {"purpose", catVar},
}

// filler fills one model variable.
type filler struct {
	name   string // model variable
	origin Origin // resolved: never FromDefault
	index  int    // profile variable or application field
	attr   string // attribute name
	kind   scorecard.Kind
	scale  float64
	codes  map[string]string
}

// resolve turns the mapping into one filler per variable of m.
func resolve(role string, m *scorecard.Model, mp Mapping) ([]filler, error) {
	names, kinds := m.Names(), m.Kinds()
	out := make([]filler, len(names))
	for j, name := range names {
		src := mp[name]
		f := filler{name: name, kind: kinds[j], scale: 1, codes: src.Codes}
		if src.Scale != 0 {
			if math.IsNaN(src.Scale) || math.IsInf(src.Scale, 0) {
				return nil, &VarError{Model: role, Var: name, Reason: "Scale is not finite", Err: ErrModel}
			}
			f.scale = src.Scale
		}
		key := src.Name
		if key == "" {
			key = name
		}
		origin := src.From
		if origin == FromDefault {
			origin = FromAttribute
			if profileVarIndex(key) >= 0 {
				origin = FromProfile
			}
		}
		f.origin = origin
		var srcKind varKind
		switch origin {
		case FromProfile:
			f.index = profileVarIndex(key)
			if f.index < 0 {
				return nil, &VarError{Model: role, Var: name, Reason: "no profile variable " + strconv.Quote(key), Err: ErrModel}
			}
			srcKind = profileVars[f.index].kind
		case FromApplication:
			f.index = -1
			for i := range appFields {
				if appFields[i].name == key {
					f.index = i
				}
			}
			if f.index < 0 {
				return nil, &VarError{Model: role, Var: name, Reason: "no application field " + strconv.Quote(key), Err: ErrModel}
			}
			srcKind = appFields[f.index].kind
		case FromAttribute:
			f.attr = key
			srcKind = catVar // text: parsed for numeric variables
			if f.kind == scorecard.Numeric {
				srcKind = numVar
			}
		default:
			return nil, &VarError{Model: role, Var: name, Reason: "unknown origin", Err: ErrModel}
		}
		if (f.kind == scorecard.Numeric) != (srcKind == numVar) {
			return nil, &VarError{Model: role, Var: name, Reason: "source is " + kindName(srcKind) + ", variable is " + f.kind.String(), Err: ErrModel}
		}
		if len(f.codes) > 0 && f.kind != scorecard.Categorical {
			return nil, &VarError{Model: role, Var: name, Reason: "Codes on a numeric variable", Err: ErrModel}
		}
		if src.Scale != 0 && f.kind != scorecard.Numeric {
			return nil, &VarError{Model: role, Var: name, Reason: "Scale on a categorical variable", Err: ErrModel}
		}
		out[j] = f
	}
	return out, nil
}

// checkMapping rejects entries that name no variable of any model.
func checkMapping(mp Mapping, models ...*scorecard.Model) error {
	known := map[string]bool{}
	for _, m := range models {
		if m == nil {
			continue
		}
		for _, n := range m.Names() {
			known[n] = true
		}
	}
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			return &VarError{Model: "mapping", Var: k, Reason: "not a variable of any model", Err: ErrModel}
		}
	}
	return nil
}

func kindName(k varKind) string {
	if k == numVar {
		return "numeric"
	}
	return "categorical"
}

// fill writes the model row for one application and snapshot into num and
// cat (each of the model's length).
func fill(role string, fs []filler, a *Application, s *Snapshot, num []float64, cat []string) error {
	for j := range fs {
		f := &fs[j]
		if f.kind == scorecard.Numeric {
			v := math.NaN()
			switch f.origin {
			case FromProfile:
				v = profileVars[f.index].num(s)
			case FromApplication:
				switch f.index {
				case fieldAmount:
					v = a.Amount.InexactFloat64()
				case fieldTerm:
					v = float64(a.TermMonths)
				case fieldDeclaredIncome:
					if a.DeclaredIncome.Sign() > 0 {
						v = a.DeclaredIncome.InexactFloat64()
					}
				}
			case FromAttribute:
				if txt, ok := a.Attributes[f.attr]; ok && txt != "" {
					x, err := strconv.ParseFloat(txt, 64)
					if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
						return &VarError{Model: role, Var: f.name, Reason: "attribute " + strconv.Quote(f.attr) + " is not a finite number", Err: ErrInvalid}
					}
					v = x
				}
			}
			if !math.IsNaN(v) {
				v *= f.scale
				if math.IsInf(v, 0) {
					return &VarError{Model: role, Var: f.name, Reason: "scaled value overflows", Err: ErrInvalid}
				}
			}
			num[j] = v
			continue
		}
		var v string
		switch f.origin {
		case FromProfile:
			v = profileVars[f.index].cat(s)
		case FromApplication:
			v = a.Purpose
		case FromAttribute:
			v = a.Attributes[f.attr]
		}
		if t, ok := f.codes[v]; ok && v != "" {
			v = t
		}
		cat[j] = v
	}
	return nil
}
