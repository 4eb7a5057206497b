package risk

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Action is what a decision tells the caller to do with a payment. The
// zero Action means "no action" (a rule that only adds to the score).
// Actions are ordered by severity: Allow < StepUp < Hold < Review < Decline.
type Action uint8

// Actions, spelled in decision records and the backtest CSV exactly as in
// the comments.
const (
	// Allow: let the payment proceed ("allow").
	Allow Action = iota + 1
	// StepUp: ask for authentication at Decision.Level first ("step_up").
	StepUp
	// Hold: accept the payment but delay its execution — a cooling-off
	// period that the customer or the bank can cancel ("hold"), as banks
	// offer against telecom and authorised-push-payment fraud.
	Hold
	// Review: stop the payment until an analyst has looked at it
	// ("review").
	Review
	// Decline: refuse the payment ("decline").
	Decline
	numActions
)

var actionNames = [...]string{Allow: "allow", StepUp: "step_up", Hold: "hold", Review: "review", Decline: "decline"}

// Actions returns every action, least severe first.
func Actions() []Action { return []Action{Allow, StepUp, Hold, Review, Decline} }

// String returns the action's spelling ("step_up"), "" for the zero Action
// and "invalid" for values out of range.
func (a Action) String() string {
	switch {
	case a == 0:
		return ""
	case a < numActions:
		return actionNames[a]
	}
	return "invalid"
}

// ParseAction parses the spelling of an action; "" is the zero Action.
func ParseAction(s string) (Action, error) {
	if s == "" {
		return 0, nil
	}
	for a := Allow; a < numActions; a++ {
		if actionNames[a] == s {
			return a, nil
		}
	}
	return 0, &InputError{Field: "action", Err: fmt.Errorf("unknown action %q", s)}
}

// MarshalText encodes the action as its spelling.
func (a Action) MarshalText() ([]byte, error) {
	if a >= numActions {
		return nil, &InputError{Field: "action", Err: fmt.Errorf("action %d out of range", a)}
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an action from its spelling.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Level is one authentication level of an AuthLevels scheme: what an
// authentication must cover to reach it.
type Level struct {
	// Name is how decisions spell the level, for example "AAL2".
	Name string
	// MinFactors is the number of distinct factor types (knowledge,
	// possession, inherence; see profile.Auth.Factors) required, 0 to 3.
	MinFactors int
	// AnyOf, when non-zero, also requires at least one of these methods,
	// for example profile.AuthOf(profile.AuthUKey) for a hardware key.
	AnyOf profile.Auth
}

// AuthLevels is a scheme of authentication levels, weakest first: level i
// (1-based) is Levels[i-1], and level 0 means no authentication at all.
// Decisions require a level of the scheme; the level an event's
// authentication reaches is the highest one it satisfies.
type AuthLevels struct {
	Name   string  // for example "nist-sp-800-63b"
	Levels []Level // weakest first; at most 8
}

// MaxLevels bounds the number of levels of a scheme.
const MaxLevels = 8

// NIST80063B returns the authenticator assurance levels of NIST SP 800-63B
// (Digital Identity Guidelines: Authentication and Lifecycle Management,
// June 2017, §4):
//
//   - AAL1: one authentication factor (§4.1);
//   - AAL2: two distinct factor types (§4.2) — password plus a one-time
//     code, or an unlocked device plus biometrics. SMS one-time codes
//     qualify but are "restricted" authenticators (§5.1.3.3) because of
//     SIM swap;
//   - AAL3: two factor types including a hardware-based cryptographic
//     authenticator (§4.3): the USB key with a digital certificate that
//     Chinese banks call the U-key (profile.AuthUKey).
func NIST80063B() AuthLevels {
	return AuthLevels{Name: "nist-sp-800-63b", Levels: []Level{
		{Name: "AAL1", MinFactors: 1},
		{Name: "AAL2", MinFactors: 2},
		{Name: "AAL3", MinFactors: 2, AnyOf: profile.AuthOf(profile.AuthUKey)},
	}}
}

// PBOC2015 returns the verification tiers of the People's Bank of China's
// Administrative Measures for the Online Payment Business of Non-Bank
// Payment Institutions (PBOC Announcement [2015] No. 43, Art. 24):
//
//   - "C": fewer than two kinds of verification element; payments limited
//     to ¥1,000 a day;
//   - "B": two or more kinds without a digital certificate or electronic
//     signature; limited to ¥5,000 a day;
//   - "A": two or more kinds including a digital certificate or electronic
//     signature (profile.AuthUKey or profile.AuthCertificate); the limit is
//     agreed with the customer.
//
// The daily limits are in PBOC2015Limits. Level 1 ("C") needs one factor;
// payments with no authentication at all are level 0, also within the "C"
// limit.
func PBOC2015() AuthLevels {
	return AuthLevels{Name: "pboc-2015-43", Levels: []Level{
		{Name: "C", MinFactors: 1},
		{Name: "B", MinFactors: 2},
		{Name: "A", MinFactors: 2, AnyOf: profile.AuthOf(profile.AuthUKey, profile.AuthCertificate)},
	}}
}

// PBOC2015Limits returns the daily cumulative limits of PBOC Announcement
// [2015] No. 43, Art. 24, per level of PBOC2015: ¥1,000 a day below two
// factor types (levels 0 and 1), ¥5,000 a day at level "B", and no limit
// of the scheme at level "A" (the limit agreed with the customer belongs
// in Limits.Daily).
func PBOC2015Limits() Limits {
	return Limits{Currency: "CNY", PerLevel: []decimal.Decimal{
		decimal.NewFromInt(1000), decimal.NewFromInt(1000), decimal.NewFromInt(5000), {},
	}}
}

// validate checks the scheme.
func (s *AuthLevels) validate(field string) error {
	if len(s.Levels) == 0 || len(s.Levels) > MaxLevels {
		return &ConfigError{Field: field + ".Levels", Reason: fmt.Sprintf("want 1 to %d levels", MaxLevels)}
	}
	seen := map[string]bool{"none": true}
	for i, l := range s.Levels {
		f := fmt.Sprintf("%s.Levels[%d]", field, i)
		if l.Name == "" || seen[l.Name] {
			return &ConfigError{Field: f + ".Name", Reason: `empty, "none" or duplicate`}
		}
		seen[l.Name] = true
		if l.MinFactors < 0 || l.MinFactors > 3 {
			return &ConfigError{Field: f + ".MinFactors", Reason: "want 0 to 3"}
		}
		if a, err := profile.ParseAuth(l.AnyOf.String()); err != nil || a != l.AnyOf {
			return &ConfigError{Field: f + ".AnyOf", Reason: "unknown authentication method"}
		}
	}
	return nil
}

// Of returns the level that authentication a reaches: the highest level of
// the scheme it satisfies, 0 when none.
func (s *AuthLevels) Of(a profile.Auth) int { return s.of(a.FactorTypes(), a) }

// of returns the level reached by the factor-type bit set f and methods a.
func (s *AuthLevels) of(f int, a profile.Auth) int {
	n := popcount3(f)
	best := 0
	for i, l := range s.Levels {
		if n >= l.MinFactors && (l.AnyOf == 0 || a&l.AnyOf != 0) {
			best = i + 1
		}
	}
	return best
}

// LevelName returns the name of level i: "none" for 0, the level's Name
// otherwise, and "invalid" out of range.
func (s *AuthLevels) LevelName(i int) string {
	switch {
	case i == 0:
		return "none"
	case i > 0 && i <= len(s.Levels):
		return s.Levels[i-1].Name
	}
	return "invalid"
}

// strongLevel returns the lowest level that requires two factor types
// (strong customer authentication), or the top level when none does.
func (s *AuthLevels) strongLevel() int {
	for i, l := range s.Levels {
		if l.MinFactors >= 2 {
			return i + 1
		}
	}
	return len(s.Levels)
}

func popcount3(f int) int { return f&1 + f>>1&1 + f>>2&1 }
