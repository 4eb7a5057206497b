// Package risk decides payments in real time with layered controls that
// compare each payment with the customer's habits, to guard against the
// fraudster and not the honest customer: when a payment fits, it asks for
// little; when it does not, it steps authentication up, lowers the amount
// allowed, holds the payment for a cooling-off period, sends it to review
// or declines it.
//
// # Quick start
//
//	b, _ := profile.NewBuilder(nil)                 // the builder the profiles are built with
//	engine, err := risk.New(&risk.Config{Builder: b}) // defaults: NIST SP 800-63B levels, default policy
//	...
//	d, err := engine.Decide(ctx, now, p, &payment)  // p: the customer's profile before the payment (nil: new customer)
//	switch d.Action {
//	case risk.Allow:   // proceed
//	case risk.StepUp:  // authenticate at d.Level (d.LevelName, "AAL2"), or offer d.Allowed
//	case risk.Hold:    // execute after a cooling-off period the customer can cancel
//	case risk.Review:  // wait for an analyst
//	case risk.Decline: // refuse; d.Allowed may offer a lower amount
//	}
//	log(d) // the record: reasons, signals, score, versions; JSON round-trips exactly
//
// Analyst rules are expressions over Env, compiled once and swapped while
// decisions run:
//
//	rules, err := risk.Compile(risk.RuleSet{Version: "2025-06-01", Rules: []risk.Rule{{
//		Name: "large_first_payment", Action: risk.Review,
//		Expr: `Txn.Kind == "transfer_out" && Txn.Amount > 50000 && !Habit.CounterpartyKnown`,
//	}}})
//	err = engine.SetRules(rules)
//
// A backtest replays a labelled stream (see Engine.Backtest and the CLI
// examples/backtest).
//
// # Layers
//
// Decide runs the layers in order, each adding signals with stable reason
// codes (the Code constants):
//
//  1. lists: block and allow lists of customers, devices, IP networks and
//     counterparties, through the Lists interface the bank implements
//     (MemoryLists is the reference; risktest.TestLists the conformance
//     kit);
//  2. limits: per transaction, daily cumulative (the profile's exact sum
//     of the local day), per channel and per authentication level, in
//     decimal.Decimal (Limits);
//  3. velocity: counts of debits in the last hour and day, judged against
//     the customer's own rate by a Poisson tail (VelocityOptions);
//  4. habit consistency: device, IP network, country, travel speed from
//     the last known place, place, hour, channel, counterparty novelty,
//     the amount against the customer's habit for the kind, and a card
//     present without its chip (HabitOptions, Weights), giving a score in
//     [0, 1];
//  5. the bank's own model, through the Scorer interface;
//  6. analyst rules (Rules), of which shadow rules are recorded but never
//     enforced.
//
// The Policy combines the signals by noisy-OR into a risk and maps it to
// an action and an authentication level; it also holds new payees with
// unusual amounts (cooling-off), applies PSD2's strong-customer-
// authentication exemptions when asked (PSD2) and the fail-safe when a
// layer fails. Authentication levels are a configurable AuthLevels scheme:
// NIST80063B (AAL1-3, the U-key at AAL3) by default, or PBOC2015 tiers
// with their daily limits (PBOC2015Limits).
//
// # Guarantees
//
//   - Deterministic and replayable: Decide reads no clock and no global
//     state; the same profile, event, now, configuration and rule set give
//     the same Decision, which records the rule-set version, the policy
//     version and the profile's Seq.
//   - Exact money: amounts and limits are decimal.Decimal, and analyst
//     rules compare money with numeric literals exactly.
//   - Never a silent allow: a failing Lists, Scorer or rule is recorded
//     and handled by Policy.OnError; an enforced rule that fails counts as
//     fired.
//   - Bad input is an *InputError (ErrInput, wrapping the profile
//     package's sentinels), never a panic.
//   - Concurrency: an Engine is safe for concurrent use; SetRules swaps
//     the rule set atomically.
//   - The evaluation label of events is never read by a decision.
package risk
