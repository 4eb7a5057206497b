// Package profile folds a bank customer's events — transactions, sessions
// and app-feature use — into a bounded profile that joins a financial
// picture (income streams, income level and stability, spending by
// category, debt obligations, debt-to-income, purchasing power and
// repayment capacity) with a behavioural one (known devices, IP networks,
// places, countries and counterparties; hours of activity; amount habits per
// transaction kind; channel mix; velocity; recurring bills; favourite app
// functions; RFM inputs).
//
// # Quick start
//
//	b, _ := profile.NewBuilder(nil)            // defaults: 90-day half-life, raw identifiers
//	p := profile.New("c42")
//	_ = p.SetCustomer(profile.Customer{ID: "c42", Currency: "CNY", TimeZone: "Asia/Shanghai"})
//	for _, e := range events {                   // in time order
//		if err := b.Apply(p, &e, now); err != nil { ... } // typed errors name the field
//	}
//	fin := p.Financial(now)                      // MonthlyIncome, DTI, RepaymentCapacity, ...
//	streams := p.IncomeStreams(now)              // payer, frequency, next expected date, status
//
// # Invariants
//
//   - Bounded: a profile never holds more than the Max* caps of top-K
//     members and recurring streams, 16 recent event IDs, 12 months and 66
//     velocity buckets, whatever the length of history; encoded, a simulated
//     customer-year takes 3.4 KiB at the median and under 4 KiB at most
//     (see BENCHMARKS.md).
//   - Event time only: decay, windows and months use the events' times and
//     the now passed in; the package never reads the wall clock.
//   - Ordering: events must not be older than the profile's watermark minus
//     Options.LateTolerance (ErrLate); an event ID among the last 16 applied
//     is a duplicate and a no-op.
//   - Exact money: transaction amounts are decimal.Decimal, validated against
//     their ISO 4217 minor units and summed exactly in fixed point (10^-4 of
//     a unit). Estimates (income, spending, habits) are float64 statistics.
//   - Privacy: with Options.HashKey set, device IDs and IP networks are kept
//     only as keyed HMAC-SHA-256 hashes, in memory and in every encoding.
//   - Bad input is a *FieldError naming the field, wrapping a sentinel such
//     as ErrInvalid or ErrUnknownCurrency; the profile is then unchanged.
//
// # Decayed aggregates
//
// Weights of devices, places, counterparties, hours, channels, amount
// habits and spending decay exponentially with the configured half-life,
// kept by forward decay (Cormode, Shkapenyuk, Srivastava & Xu, "Forward
// Decay: A Practical Time Decay Model for Streaming Systems", ICDE 2009):
// an event at time t adds exp((t−L)/τ) against a landmark L, so folding an
// event costs one exponential whatever the number of aggregates, and late
// events within the tolerance are weighted correctly.
//
// # Recurring streams
//
// Income streams and bills follow Plaid's recurring-transactions model:
// payments to or from one counterparty are grouped, their cadence
// classified (weekly, biweekly, semi-monthly, monthly), and a stream is
// early until three payments arrive on cadence, then mature, and stopped
// once overdue past about half a period. See Stream.
//
// # Formats and storage
//
// The events and customers CSV formats (EventColumns, CustomerColumns) let
// researchers and backtests load real exports. Profiles encode to a
// versioned binary form (MarshalBinary) and to JSON (MarshalJSON), both
// exact. Storage is the caller's: implement Store (optimistic concurrency)
// and check it with profiletest.TestStore; MemoryStore is the reference and
// Update the load-apply-write helper with retry on conflict.
package profile
