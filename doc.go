// Package suanpan is an embeddable, pure-Go SDK for precision marketing and
// risk control in retail banking and fintech. A bank's own service imports
// it; the SDK never owns a database, a queue or a delivery channel: those
// are small interfaces the caller implements, with in-memory reference
// implementations and conformance kits in the SDK.
//
// This package holds only this overview. The work is done in:
//
//	profile               events (transactions, sessions, app-feature use) and customer
//	                      attributes folded into a bounded financial and behavioural
//	                      profile; Features, the flat view expressions read; CSV formats;
//	                      Store interface with optimistic concurrency
//	profile/profiletest   conformance kit for a caller's Store
//	risk                  layered per-transaction decisions with step-up authentication
//	risk/risktest         conformance kit for a caller's block and allow lists
//	risk/scorecard        binning, WoE/IV, logistic scorecards, metrics, model files
//	risk/credit           pre-loan, limits, batch approval, in-loan, early warning
//	segment               lifecycle stage, value tiers, RFM, bank-defined segments
//	segment/clv           BG/NBD, Pareto/NBD and Gamma-Gamma lifetime value
//	campaign              audiences, contact policy, arbitration, holdouts, measurement
//	campaign/campaigntest conformance kits for a caller's contact log, counters, delivery
//	campaign/referral     referral programmes
//	campaign/rewards      reward-points ledger for offline-to-online marketing
//	campaign/uplift       response and uplift models
//
// Data flows one way: events → profile → risk and segment → campaign.
// Every package keeps the same invariants: money is decimal.Decimal; the
// same inputs give the same outputs (time is a parameter, randomness is
// seeded); every decision carries reason codes and the version of what
// produced it; bad input is a typed error naming the field, never a panic;
// state per customer is bounded.
//
// Start with examples/quickstart:
//
//	go run ./examples/quickstart
package suanpan
