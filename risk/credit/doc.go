// Package credit decides credit applications and watches the loans that
// follow, on top of the scorecards of risk/scorecard and the customer
// profiles of package profile: pre-loan scoring and cross-verification of
// declared against observed data, approve / refer / decline with a credit
// limit, batch approval, in-loan review of income level and stability,
// post-loan early warning, population-drift alerts for the models, and
// champion/challenger comparison.
//
// # Quick start
//
//	app, _, err := scorecard.Fit(applications, nil) // the traditional application scorecard
//	beh, _, err := scorecard.Fit(behaviourSample, nil) // optional: on credit.SnapshotDataset
//	eng, err := credit.New(credit.Config{
//		Application: app, Behaviour: beh,
//		Mapping: credit.Mapping{"duration_months": {From: credit.FromApplication, Name: "term_months"}},
//		Policy:  credit.Policy{MaxLimit: decimal.NewFromInt(200000)}, // zero value: the defaults below
//	})
//
//	// One application, or many on a worker pool with profiles from a store.
//	d, err := eng.Decide(&application, credit.Applicant{Profile: p}, now)
//	results, err := eng.DecideBatch(ctx, apps, credit.StoreProfiles(store), now, nil)
//	// d.Outcome, d.Limit, d.Amount, d.Payment, d.Reasons, d.ModelID, d.PolicyVersion
//
//	loan := d.Loan("L-1", now)                   // keep it with the origination snapshot
//	review, err := eng.Review(&loan, p, later)   // in-loan: increase, keep, watch, decrease, freeze
//	alerts, err := eng.Warn(&loan, p, later)     // post-loan early warning
//	reports, err := eng.PopulationDrift(nil, decisions, later) // PSI / CSI alerts
//	results, cmp, err := credit.Compare(ctx, eng, challenger, apps, profiles, now, nil)
//
// # How a decision is made
//
// The application scorecard, the traditional financial model, is the
// base. Its variables are filled by a Mapping from the application's
// fields (amount, term, declared income, purpose), its Attributes (form and
// bureau data by name) and the profile variables of ProfileVariables
// (observed income, DTI, loans, age, ...); a variable without a mapping
// entry reads the profile variable of its name, else the attribute of its
// name. A behaviour scorecard on profile variables, when configured, adjusts
// the application score by its evidence, in application points:
//
//	adjustment = clip( w × F_app × (ln odds_beh − ln prior_beh), ±MaxBehaviourPoints )
//	score      = application score + adjustment,   PD = 1 / (1 + exp((score − Offset_app) / F_app))
//
// where odds_beh is the behaviour model's odds of good for the applicant,
// prior_beh its training sample's odds of good (so that an average
// behaviour changes nothing), F_app = PDO/ln 2 and Offset_app the
// application model's scaling, and w = Policy.BehaviourWeight. With w = 1
// this is Bayes' rule for conditionally independent evidence, the
// behaviour likelihood ratio multiplying the application odds (the naive
// Bayes combination of log-odds; Hastie, Tibshirani & Friedman 2009, "The
// Elements of Statistical Learning", §6.6.3); w < 1 discounts the overlap
// between the two, and the cap keeps the traditional score the base.
//
// Cross-verification compares the application with the profile and gives
// signals with stable codes (see Verification and the Code constants):
// declared income against observed income in ratio bands (verified up to
// 1.2×, above observed up to 1.5×, overstated beyond, below observed under
// 0.7×); the declared employer against the salary payers after
// normalisation (NormalizeName, CompareNames: exact, partial, a former
// employer, or a mismatch); the application device against the profile's
// devices (unknown, known for fewer than 30 days, established); the contact
// against contacts on file (ContactBook); and, in a batch, one device or
// contact used by several customers.
//
// The policy then decides, the worst outcome winning: decline for a term
// over MaxTermMonths, a denied purpose, a repayment DelinquentDays past due,
// existing debt service at or above MaxDTI, a PD above DeclinePD, or no
// capacity for a limit; refer for a PD above ApprovePD, no profile, no
// observed income (no limit to offer), a late repayment, stopped income
// without a live salary, or a verification signal in ReferOn; approve
// otherwise. A decline offers nothing; a referral carries the limit the
// policy proposes to the underwriter; an approval offers the smaller of the
// request and the limit.
//
// # Limit
//
//	income     = observed income (Snapshot.Income: the profile's monthly income, or the
//	             mean of the last three complete months when lower), or the declared income when lower
//	capacity   = max(0, min(MaxDTI × income − debt, income − essential spending − debt))
//	affordable = capacity × (1 − (1 + i)^−n) / i,   i = AnnualRate / 12, n = TermMonths
//	limit      = affordable × band share (Bands by PD), capped by MaxLimit
//
// capacity is rounded down to the currency's minor unit, affordable and
// limit down to the minor unit and LimitStep (round down: a limit never
// exceeds what the income carries), and the instalment on the amount
// offered (the smaller of the request and the limit) is rounded up to the
// minor unit and never exceeds capacity (see Payment and MaxPrincipal for
// the annuity formula). Limits are decimal.Decimal; the income statistics
// behind them are float64, as in package profile.
//
// # Policy defaults
//
// The zero Policy is the default; Resolve shows it filled in, and each field
// documents its source:
//
//	ApprovePD 1/12, DeclinePD 1/6   break-even PD at a 5:1 loss/profit ratio (Statlog German credit costs)
//	Bands A ≤2% 100%, B ≤5% 85%, C ≤10% 70%, D ≤20% 50% of the affordable amount
//	MaxDTI 0.43                     U.S. QM rule, 12 CFR 1026.43(e)(2)(vi); PBOC caps all debt at 55%
//	AnnualRate 12%                  illustrative: set the product's rate
//	MaxTermMonths 60                five years, China's ceiling on consumer-loan terms (NFRA 2024)
//	MaxLimit none, MinLimit none, LimitStep the minor unit
//	BehaviourWeight 0.5, MaxBehaviourPoints 2 PDOs of the application model
//	income tolerance 1.2, overstated 1.5, understated 0.7; employer similarity 0.5; device age 30 days
//	ReferOn every critical verification signal
//	LateGraceDays 5, DelinquentDays 30   (30/60/90 days-past-due buckets; Basel default at 90)
//	ModelReasons 4                  Regulation B commentary, 12 CFR 1002 Supp. I 9(b)(2)-1
//	Review: watch at −15% income, decrease at −30%, increase at +20% with CV ≤ 0.15 after 6 months
//	Warning: income drop −20%/−40%, balance drain 0.5/1 month of income over 3 months,
//	         behaviour score −1/−2 PDO, 2 new lenders critical
//	Drift: PSI and CSI 0.1 warning, 0.25 critical (Siddiqi 2006; Yurdakul 2018)
//
// Every decision records the application model's ID (scorecard.Model.ID),
// the behaviour model's, and the policy version (Policy.Version, or a hash
// of the resolved policy), with the inputs each model was given, so that it
// can be audited and replayed; the Snapshot it carries is what in-loan
// review and early warning later compare the borrower with.
//
// # After the loan
//
// Review re-assesses income level (now against origination) and stability
// (the coefficient of variation over six months, the status of each salary
// stream), debt service and the score re-combined with today's behaviour,
// and proposes an action. Warn raises alerts with severity and reason
// codes for a salary stopped, an income drop, a balance drain (net outflow
// over recent months in months of income), new repayments to other
// lenders, a late, missed or irregular repayment, and a drop of the
// behaviour score; WarnBatch runs it over a loan book. The profile reads
// repayments as recurring streams, so a repayment shows as late once its
// expected date has passed by LateGraceDays, and a repayment made late or
// skipped shows, once paid, as a stream that lost its cadence
// (REPAYMENT_IRREGULAR).
//
// CheckDrift and Engine.PopulationDrift grade the population stability
// index of the score and the characteristic stability index of every
// variable between a base sample and the current applications (built from
// decisions by InputsDataset). Compare runs a challenger engine beside the
// champion on the same applicant data and reports agreement, swap-ins and
// swap-outs; only the champion's decisions are returned.
//
// # Determinism, concurrency, errors
//
// An Engine is immutable and safe for concurrent use; Decide, Review and
// Warn only read the profile and give the same result for the same inputs
// and now (the clock is never read). Batches keep input order whatever the
// scheduling. Bad input is an error, never a panic: *FieldError names the
// field (never echoing values such as amounts or device IDs), *VarError
// the model variable, *ItemError the batch item, and all unwrap to the
// sentinels (ErrInvalid, ErrMissing, ErrCurrency, ...).
//
// The tests and examples fit the application scorecard on the Statlog
// German credit data (without its protected attributes) and a behaviour
// scorecard on simulated customers (internal/synth) whose label comes
// from the simulator's truth: a loan repayment paid late or missed, or a
// salary stopping, in the four months after an observation date. Its
// discrimination is a property of the simulator, not of real borrowers.
package credit
