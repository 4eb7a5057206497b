// Package segment assigns every customer a financial life-cycle stage (with
// confidence, evidence and the product family to lead with), RFM scores and
// a named RFM segment, a value tier (top, core, long tail), and membership
// of any number of bank-defined segments; and turns two assignments into
// the transitions (entered, left) that campaigns trigger on.
//
// # Quick start
//
//	// Once per definitions release, compile the bank's segments:
//	cat, err := segment.Compile("2026-03", []segment.Definition{
//		{ID: "young_parents", Priority: 10,
//			Expr: `Stage == "family_formation" && Profile.Spend.Childcare > 0`},
//		{ID: "dormant_value", Priority: 20,
//			Expr: `RFM.Segment in ["at_risk", "cant_lose"] && Tier != "long_tail"`},
//	})
//
//	// Once per profile change (or per batch), read the profile: the
//	// groups of profile.Features the stages, RFM and these segments read.
//	in, err := segment.NewInput(p, now, &segment.InputOptions{Segments: cat})
//
//	// Once per population refresh, fit the value models:
//	rfm, err := segment.FitRFM(population, nil)  // quintile cut points
//	tiers, err := segment.FitTiers(population, nil) // 80/15/5 of value
//
//	a, err := segment.New(segment.Config{RFM: rfm, Tiers: tiers, Segments: cat})
//	got, err := a.Assign(&in, now) // Stage, Family, RFM, Tier, Segments, Version
//	for _, t := range segment.Diff(previous, got) { ... } // entered / left
//
// # Input
//
// Segmentation reads an Input: the customer's profile.Features — the one
// environment of the SDK, which risk rules and campaign audiences read
// too, so Profile.DTI > 0.4 or Profile.Spend.Childcare > 0 means the same
// in a segment — and two quantities of segmentation's own: WealthUse (the
// share of app use on wealth functions, InputOptions.WealthFunctions) and
// Value (what tiers measure). NewInput computes only the groups of
// Features the configuration reads (profile.Profile.FeaturesInto; the
// groups of an expression are found with rules.Fields) and records them
// in Input.Groups; assigning an input that lacks a group the
// configuration reads is an error, never a silent zero. Callers may fill
// an Input themselves; Input.Validate says what is accepted.
//
// # Lifecycle stages
//
// Stages follow the financial life cycle of financial-planning practice
// (see DefaultAgeBand for the sources): student, early career, family
// formation, wealth accumulation, pre-retirement, retired. The stage is
// the best-scoring one when attributes (age, recorded occupation) and
// behaviour (salary and its start, pension credits, tuition and child-care
// spending, loan repayments, use of wealth functions) add points to the
// stages they support (see Weights); confidence is the stage's softmax
// share and StageEvidence lists what supported it. Each stage maps to a
// product family (DefaultFamily): payments for students, credit for
// those starting a career or a family, wealth from mid-life on. Bands,
// weights and the mapping are configurable (LifecycleOptions).
//
// # Value: RFM and tiers
//
// FitRFM fits quintile cut points of recency, frequency and monetary value
// on a population; RFMModel.Score applies them to one customer and names
// the cell (DefaultRFMSegments: champions, loyal, ..., hibernating;
// customers without a purchase are "prospect"). FitTiers splits customers
// by contribution into a top tier bringing 80% of value, a core bringing
// the next 15% and the long tail (TierOptions), so that long-tail
// customers are identified and can be served by low-cost channels rather
// than ignored. Input.Value is what tiers measure: purchases by default,
// or whatever contribution (revenue, margin, expected lifetime value from
// segment/clv) the caller sets. RFM reads the exact decimal
// Profile.Monetary as a float64, as statistics about money are.
//
// # Bank-defined segments
//
// A Definition is either an expression over Env, compiled with the SDK's
// shared rules engine (exact comparisons; compile errors name the segment,
// line and column), or a Go Predicate. Segments have priorities (smaller
// first), may be exclusive within a named group (the first match by
// priority wins), and every membership carries reasons. Catalogs are
// versioned, and definitions can be loaded from JSON (LoadCatalog).
//
// # Speed
//
// Assignment reads only the Input, taken once from the profile, and does
// not allocate at steady state (AssignTo, Worker). Go predicates are
// plain function calls. Expressions are compiled once with the SDK's
// shared rules engine (internal/rules, CompileTyped over Env): those
// within its closure subset — field access, literals, arithmetic,
// comparisons, boolean logic, "in" lists, contains/startsWith/endsWith and
// ?: — run as trees of Go closures (Feeley & Lapalme, "Using closures for
// code generation", 1987), with expr's semantics; the rest, decimal money
// among them (exact comparisons), run on expr's virtual machine, several
// times slower (Catalog.Interpreted lists them). For fast value tests,
// compare Value (a float64) rather than Profile.Monetary. See
// BENCHMARKS.md for figures.
//
// # Determinism and concurrency
//
// The same Input, models, options and definitions always give the same
// Assignment, bit for bit; Diff orders transitions by segment name. The
// package never reads the clock: times are parameters. Assigner, Catalog,
// RFMModel and TierModel are immutable and safe for concurrent use; a
// Worker belongs to one goroutine.
package segment
