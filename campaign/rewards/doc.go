// Package rewards is a reward-points ledger for O2O (offline-to-online)
// marketing: customers earn points, redeem them online or at branch events,
// and points expire by lot. Amounts are decimal.Decimal points; every
// operation is idempotent by its ID; balances never go negative; a
// catalogue with stock never oversells, whatever the concurrency; and
// offline redemptions complete only when the customer activates them
// online, which is how a branch event brings a customer to the app.
//
// # Quick start
//
//	store := rewards.NewMemoryStore() // or your own Store (see rewardstest)
//	l, _ := rewards.New(store, &rewards.Options{Validity: 365 * 24 * time.Hour})
//	_ = l.PutItem(ctx, rewards.Item{SKU: "umbrella", Cost: decimal.NewFromInt(800), Stock: 50})
//	_, err := l.Apply(ctx, rewards.Op{ID: "salary-2025-06-c42", Kind: rewards.KindEarn,
//		Customer: "c42", Points: decimal.NewFromInt(1000), At: now})
//	// At a branch event: reserve the umbrella; the customer has 7 days to
//	// activate it in the app.
//	r, err := l.Apply(ctx, rewards.Op{ID: "evt-17-c42", Kind: rewards.KindRedeemOffline,
//		Customer: "c42", SKU: "umbrella", Qty: 1, At: now})
//	// In the app:
//	_, err = l.Apply(ctx, rewards.Op{ID: "act-evt-17-c42", Kind: rewards.KindActivate,
//		Customer: "c42", Target: "evt-17-c42", At: later})
//	// Nightly: expire points and lapse unactivated redemptions.
//	_, err = l.Expire(ctx, "c42", tonight)
//
// Operations may also arrive as JSON (DecodeOp), for example from a queue;
// a retried message is a no-op because its ID was seen.
//
// # Rules
//
// The Ledger documentation states the rules: idempotency, never negative,
// first-expiring-first-out consumption of lots, the activation window of
// offline redemptions, and atomic application. Errors are *OpError values
// naming the operation ID and the field, wrapping a sentinel such as
// ErrInsufficient or ErrIDReuse; on any error nothing was applied.
//
// # Storage
//
// Persistence is the caller's: a Store keeps accounts, catalogue items and
// the journal of records, and commits each operation atomically under
// optimistic concurrency (versions checked, record IDs unique). MemoryStore
// is the in-memory reference, not for production; rewardstest.TestStore is
// the conformance kit a caller runs against their own Store.
package rewards
