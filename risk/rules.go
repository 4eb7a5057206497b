package risk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/profile"
)

// Rule is one analyst rule: a boolean expression over Env (see Env for the
// fields) and what happens when it is true.
type Rule struct {
	// Name identifies the rule; its reason code is "rule."+Name. Lower-case
	// letters, digits, '_', '-' and '.', starting with a letter; at most 64
	// bytes; unique in the set.
	Name string `json:"name"`
	// Expr is the expression, for example
	// `Txn.Kind == "transfer_out" && Txn.Amount > 50000 && !Habit.CounterpartyKnown`.
	Expr string `json:"expr"`
	// Action is the least severe outcome when the rule fires: StepUp, Hold,
	// Review or Decline. Zero means the rule only adds Weight to the risk.
	// Rules never allow: a rule cannot override another layer.
	Action Action `json:"action,omitempty"`
	// Level is the authentication level a StepUp rule asks for. Zero means
	// Policy.StepUpLevel.
	Level int `json:"level,omitempty"`
	// Weight, in [0, 1], adds to the risk by noisy-OR when the rule fires.
	Weight float64 `json:"weight,omitempty"`
	// Shadow rules are evaluated and recorded (Signal.Shadow) but never
	// enforced: for trying a rule on live traffic before it counts.
	Shadow bool `json:"shadow,omitempty"`
	// Description says what the rule is for, for reviewers.
	Description string `json:"description,omitempty"`
}

// RuleSet is a versioned set of analyst rules, as written and reviewed.
type RuleSet struct {
	// Version names the set in decision records; required.
	Version string `json:"version"`
	Rules   []Rule `json:"rules"` // evaluated in order; names unique
}

// Rules is a compiled RuleSet, immutable and safe for concurrent use. Give
// it to Config.Rules or Engine.SetRules.
type Rules struct {
	version  string
	rules    []compiled
	profile  profile.FeatureGroup // the groups of profile.Features the rules read
	maxLevel int
}

type compiled struct {
	Rule
	prog      *rules.Typed[Env] // closures when possible, the expression VM otherwise
	code      string            // "rule." + Name
	errorCode string            // "rule_error." + Name
}

// Limits on rule sets, so hostile input cannot exhaust memory.
const (
	MaxRules       = 1000    // rules in a set
	MaxRuleLength  = 4096    // bytes of one expression
	MaxRuleSetSize = 1 << 22 // bytes of an encoded rule set for ParseRuleSet
	maxNameLength  = 64
)

// Version returns the rule set's version.
func (r *Rules) Version() string {
	if r == nil {
		return ""
	}
	return r.version
}

// Len returns the number of rules.
func (r *Rules) Len() int {
	if r == nil {
		return 0
	}
	return len(r.rules)
}

// Compile validates and compiles a rule set. Errors are *RuleError naming
// the rule and, for an expression that does not compile, the line and
// column.
func Compile(set RuleSet) (*Rules, error) {
	if set.Version == "" || len(set.Version) > 128 {
		return nil, &RuleError{Index: -1, Message: "version: want 1 to 128 bytes"}
	}
	if len(set.Rules) > MaxRules {
		return nil, &RuleError{Index: -1, Message: fmt.Sprintf("more than %d rules", MaxRules)}
	}
	out := &Rules{version: set.Version, rules: make([]compiled, 0, len(set.Rules))}
	seen := make(map[string]bool, len(set.Rules))
	for i, r := range set.Rules {
		bad := func(msg string) error { return &RuleError{Rule: r.Name, Index: i, Message: msg} }
		if !validName(r.Name) {
			return nil, bad("name: want 1 to 64 of a-z, 0-9, '_', '-', '.', starting with a letter")
		}
		if seen[r.Name] {
			return nil, bad("duplicate name")
		}
		seen[r.Name] = true
		switch r.Action {
		case 0, StepUp, Hold, Review, Decline:
		default:
			return nil, bad("action: want step_up, hold, review, decline or none")
		}
		if r.Level < 0 || r.Level > MaxLevels || r.Level > 0 && r.Action != StepUp {
			return nil, bad("level: want 0 to 8, and only with step_up")
		}
		if math.IsNaN(r.Weight) || r.Weight < 0 || r.Weight > 1 {
			return nil, bad("weight: want [0, 1]")
		}
		if len(r.Expr) > MaxRuleLength {
			return nil, bad(fmt.Sprintf("expression longer than %d bytes", MaxRuleLength))
		}
		p, err := rules.CompileTyped[Env](r.Name, r.Expr)
		if err != nil {
			var ce *rules.Error
			if errors.As(err, &ce) {
				return nil, &RuleError{Rule: r.Name, Index: i, Line: ce.Line, Column: ce.Column, Message: ce.Message}
			}
			return nil, bad(err.Error())
		}
		out.rules = append(out.rules, compiled{Rule: r, prog: p, code: CodeRulePrefix + r.Name, errorCode: CodeRuleErrorPrefix + r.Name})
		if strings.Contains(r.Expr, "$env") {
			out.profile = profile.AllFeatures
		} else if fields, whole := rules.Fields(r.Expr, "Profile"); whole {
			out.profile = profile.AllFeatures
		} else {
			out.profile |= profile.FeatureGroupsOf(fields)
		}
		out.maxLevel = max(out.maxLevel, r.Level)
	}
	return out, nil
}

// ParseRuleSet decodes a rule set from JSON:
//
//	{"version": "2025-06-01",
//	 "rules": [{"name": "large_new_payee", "expr": "...", "action": "hold"}]}
//
// Unknown fields are errors, so a misspelt "shadow" cannot silently
// enforce a rule. Errors are *RuleError.
func ParseRuleSet(data []byte) (RuleSet, error) {
	var set RuleSet
	if len(data) > MaxRuleSetSize {
		return set, &RuleError{Index: -1, Message: fmt.Sprintf("larger than %d bytes", MaxRuleSetSize)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		return RuleSet{}, &RuleError{Index: -1, Message: "decode: " + err.Error()}
	}
	if dec.More() {
		return RuleSet{}, &RuleError{Index: -1, Message: "decode: data after the rule set"}
	}
	return set, nil
}

// LoadRules parses and compiles a JSON rule set (ParseRuleSet, Compile).
func LoadRules(data []byte) (*Rules, error) {
	set, err := ParseRuleSet(data)
	if err != nil {
		return nil, err
	}
	return Compile(set)
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > maxNameLength || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
