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
//	                      profile; CSV formats; Store interface with optimistic concurrency
//	profile/profiletest   conformance kit for a caller's Store
//	risk                  layered per-transaction decisions with step-up authentication
//	risk/scorecard        binning, WoE/IV, logistic scorecards, metrics, model files
//	segment               lifecycle stage, value tiers, RFM, bank-defined segments
//	segment/clv           BG/NBD, Pareto/NBD and Gamma-Gamma lifetime value
//	campaign              audiences, contact policy, arbitration, holdouts, measurement
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
