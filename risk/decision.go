package risk

import (
	"time"

	"github.com/shopspring/decimal"
)

// Signal is one finding of one layer, with its stable reason code.
type Signal struct {
	// Code is the reason code, for example CodeNewDevice or "rule.NAME".
	Code string `json:"code"`
	// Weight is the signal's strength of evidence in [0, 1], what it adds
	// to the risk by noisy-OR (0 for signals that only impose an action
	// and for signals of allow-listed keys).
	Weight float64 `json:"weight,omitempty"`
	// Value is the measurement behind the signal, in the unit its code
	// implies: the age in days of a device or payee (-1 when never seen),
	// a speed in km/h, a z-score, a count, a score, a share.
	Value float64 `json:"value,omitempty"`
	// Action and Level are the outcome the signal demands, if any.
	Action Action `json:"action,omitempty"`
	Level  int    `json:"level,omitempty"` // with Action StepUp
	// Shadow marks a shadow rule's signal: recorded, never enforced.
	Shadow bool `json:"shadow,omitempty"`
	// Error is the failure of a layer or rule (CodeListsError,
	// CodeModelError, "rule_error.NAME").
	Error string `json:"error,omitempty"`
}

// Decision is the record of one decision: what to do, why, and everything
// needed to audit and replay it. Deciding the same event against the same
// profile, configuration and rule set at the same now gives an identical
// Decision, also after a JSON round trip (given event and customer IDs in
// valid UTF-8, as JSON requires).
type Decision struct {
	EventID    string    `json:"event_id"`    // the payment's event ID
	CustomerID string    `json:"customer_id"` // its customer
	Time       time.Time `json:"time"`        // the now of the decision
	// Action is what to do with the payment.
	Action Action `json:"action"`
	// Level is the authentication level required (0: none), of the
	// policy's scheme, and LevelName its name ("AAL2"; "none" for 0).
	// With Action Allow it is the level the payment's own authentication
	// already met; with Hold, Review or Decline, the level the step-up
	// demands asked for, for the record (authenticating does not lift
	// those actions).
	Level     int    `json:"level"`
	LevelName string `json:"level_name"` // the name of Level
	// Presented is the level the payment's authentication reached.
	Presented int `json:"presented_level"`
	// Amount is the payment's amount and Currency its currency.
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"` // ISO 4217
	// Allowed is the largest amount the payment could have now without
	// further authentication, waiting or review: Amount when the action is
	// Allow; a lower amount when only a limit or the amount's unusualness
	// stood in the way (CodeAmountLowered); zero otherwise.
	Allowed decimal.Decimal `json:"amount_allowed"`
	// Score is the risk in [0, 1] of the enforced signals.
	Score float64 `json:"score"`
	// Habit is the habit consistency in [0, 1]: 1 when the payment fits
	// the customer's habits.
	Habit float64 `json:"habit"`
	// Reasons are the codes that shaped the decision: enforced signals
	// with weight or action, failures, and the policy's own codes, in the
	// order of the layers.
	Reasons []string `json:"reasons"`
	// Signals are every layer's signals, shadow rules and failures
	// included, in the order of the layers: lists, limits, velocity,
	// habit, model, rules, policy.
	Signals []Signal `json:"signals"`
	// Exemption is the PSD2 exemption applied (CodeLowValue, CodeTRA), ""
	// when none.
	Exemption string `json:"exemption,omitempty"`
	// NewCustomer is true when the customer had no history.
	NewCustomer bool `json:"new_customer,omitempty"`
	// RulesVersion, PolicyVersion and ProfileSeq identify what decided:
	// the analyst rule set, the policy configuration and the profile's
	// state (profile.Profile.Seq; 0 without a profile).
	RulesVersion  string `json:"rules_version"`  // Rules.Version; "" without rules
	PolicyVersion string `json:"policy_version"` // Policy.Version or DefaultPolicyVersion
	ProfileSeq    uint64 `json:"profile_seq"`    // profile.Profile.Seq before the payment
}
