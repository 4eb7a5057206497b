package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

// Policy is the bank's credit policy: cut-offs, limit rules, verification
// tolerances and monitoring thresholds. The zero value is the documented
// default of every field (see each field and the package documentation);
// Resolve returns the policy with every default filled in.
type Policy struct {
	// Version names the policy in every decision. "" means a content hash
	// of the resolved policy, "policy-" and 16 hex digits, so that two
	// engines with the same rules report the same version.
	Version string `json:"version"`

	// ApprovePD and DeclinePD are the cut-offs on the decision PD (the
	// probability of bad at the combined score): approve at or below
	// ApprovePD, decline above DeclinePD, refer to an underwriter in
	// between. 0 means 1/12 and 1/6. A lender accepts an applicant when the
	// expected loss of a bad, PD × L, is below the expected profit of a
	// good, (1 − PD) × G, that is when PD < G / (G + L): the cut-off at the
	// break-even odds (Thomas, Edelman & Crook 2002, "Credit Scoring and
	// Its Applications", SIAM). With the 5:1 cost of accepting a bad
	// against rejecting a good of the Statlog German credit data (Hofmann
	// 1994) the break-even PD is 1/(1+5) = 1/6; automatic approval
	// stops at half of it, leaving the band in between to a person. Set
	// both from your own loss and margin figures.
	ApprovePD float64 `json:"approve_pd"`
	DeclinePD float64 `json:"decline_pd"`
	// Bands grade the decision PD for the limit: the first band whose
	// MaxPD is at least the PD gives the share of the affordable amount
	// that is offered. A PD above every band gets no limit. nil means
	// DefaultBands.
	Bands []Band `json:"bands"`

	// MaxDTI is the ceiling on total debt service (existing plus the new
	// instalment) over monthly income. 0 means 0.43, the ceiling of the
	// U.S. Qualified Mortgage rule (12 CFR 1026.43(e)(2)(vi), 2014–2021)
	// that profile.DefaultMaxDTI uses; for comparison, the People's Bank
	// of China caps all debt service of mortgage borrowers at 55% of income
	// (PBOC Notice Yinfa [2003] No. 121). Must be in (0, 1].
	MaxDTI float64 `json:"max_dti"`
	// AnnualRate is the nominal annual interest rate of the product,
	// compounded monthly (0.12 for 12%), used for the instalment. Zero
	// means 0.12, an illustrative unsecured consumer-loan rate: set your
	// product's. InterestFree makes the rate 0 (instalment = amount/term).
	AnnualRate   decimal.Decimal `json:"annual_rate"`
	InterestFree bool            `json:"interest_free"`
	// MaxTermMonths is the longest term accepted; longer is declined.
	// 0 means 60: five years, the ceiling on consumer-loan terms in
	// China's Measures for the Administration of Personal Loans (NFRA,
	// 2024).
	MaxTermMonths int `json:"max_term_months"`
	// MinLimit: a limit below it is no offer (decline, NO_CAPACITY). Zero
	// means any positive limit is offered.
	MinLimit decimal.Decimal `json:"min_limit"`
	// MaxLimit caps every limit. Zero means no cap beyond affordability.
	// China caps unsecured consumer credit lines granted online at CNY
	// 200,000 per customer (CBIRC, Interim Measures for the Administration
	// of Internet Loans of Commercial Banks, 2020): set it for such
	// products.
	MaxLimit decimal.Decimal `json:"max_limit"`
	// LimitStep: limits are rounded down to a multiple of it. Zero means
	// the currency's minor unit (0.01 CNY).
	LimitStep decimal.Decimal `json:"limit_step"`
	// DeniedPurposes are purposes (Application.Purpose, compared exactly)
	// that are declined, for example purposes a regulator forbids consumer
	// credit for. nil means none.
	DeniedPurposes []string `json:"denied_purposes"`

	// BehaviourWeight is the weight w of the behaviour evidence in the
	// decision score (see Engine): 0 means 0.5. Must be in (0, 1].
	BehaviourWeight float64 `json:"behaviour_weight"`
	// MaxBehaviourPoints caps the behaviour adjustment, in application
	// points, either way, so that the traditional application score stays
	// the base. 0 means two PDOs of the application model (a factor of 4 in
	// the odds), set by New (Resolve leaves it 0).
	MaxBehaviourPoints float64 `json:"max_behaviour_points"`

	// Verification sets the cross-verification tolerances.
	Verification VerificationPolicy `json:"verification"`
	// ReferOn lists the verification codes that turn an approval into a
	// referral. nil means DefaultReferOn (every critical signal); an empty
	// non-nil slice means none.
	ReferOn []Code `json:"refer_on"`

	// LateGraceDays is how many days past its expected date a loan
	// repayment may be before it counts as late: weekends, holidays and
	// clearing move payments by a few days. 0 means 5.
	LateGraceDays int `json:"late_grace_days"`
	// DelinquentDays is the days past due from which a repayment counts as
	// missed: a decline at application, a critical alert after. 0 means
	// 30, the first delinquency bucket of the usual 30/60/90 days-past-due
	// reporting (Basel's default definition is 90 days past due, Basel II
	// ¶452; China's risk-classification rules put any overdue loan at
	// least in "special mention": CBIRC and PBOC, Measures for the Risk
	// Classification of Financial Assets of Commercial Banks, 2023).
	DelinquentDays int `json:"delinquent_days"`

	// ModelReasons is how many adverse-action reasons each model gives
	// (scorecard.Model.Score). 0 means 4, the number the U.S. Regulation B
	// commentary calls sufficient (12 CFR 1002, Supplement I, 9(b)(2)-1).
	ModelReasons int `json:"model_reasons"`

	// Review sets the in-loan review thresholds.
	Review ReviewPolicy `json:"review"`
	// Warning sets the early-warning thresholds.
	Warning WarningPolicy `json:"warning"`
	// Drift sets the population-drift thresholds.
	Drift DriftPolicy `json:"drift"`
}

// Band is a score band: decision PDs up to MaxPD get Share of the
// affordable amount as their limit.
type Band struct {
	Name  string  `json:"name"`
	MaxPD float64 `json:"max_pd"`
	Share float64 `json:"share"`
}

// DefaultBands returns the default score bands: A up to PD 2% (the full
// affordable amount), B up to 5% (85%), C up to 10% (70%), D up to 20%
// (50%). Decision PDs above 20% get no limit. With the default cut-offs
// A to C cover approvals and D the referral band.
func DefaultBands() []Band {
	return []Band{{"A", 0.02, 1}, {"B", 0.05, 0.85}, {"C", 0.10, 0.70}, {"D", 0.20, 0.50}}
}

// VerificationPolicy sets how declared data are compared with observed data.
type VerificationPolicy struct {
	// IncomeTolerance is the largest ratio of declared to observed income
	// that counts as verified. 0 means 1.2 (gross versus net pay, bonuses
	// and raises explain up to about a fifth).
	IncomeTolerance float64 `json:"income_tolerance"`
	// IncomeOverstated is the ratio from which declared income counts as
	// overstated (critical). 0 means 1.5. Between the two the signal is
	// INCOME_ABOVE_OBSERVED (warning).
	IncomeOverstated float64 `json:"income_overstated"`
	// IncomeUnderstated is the ratio below which declared income is noted
	// as below observed (info; the limit then uses the declared income).
	// 0 means 0.7.
	IncomeUnderstated float64 `json:"income_understated"`
	// EmployerSimilarity is the token Jaccard similarity from which names
	// match partially (see CompareNames). 0 means 0.5.
	EmployerSimilarity float64 `json:"employer_similarity"`
	// DeviceMinDays is how long a device must have been known to count as
	// established. 0 means 30.
	DeviceMinDays int `json:"device_min_days"`
}

// DefaultReferOn returns the verification codes that refer an approval by
// default: every critical signal.
func DefaultReferOn() []Code {
	return []Code{CodeIncomeOverstated, CodeIncomeNotObserved, CodeEmployerMismatch, CodeDeviceNew,
		CodeDeviceShared, CodeContactMismatch, CodeContactShared}
}

// ReviewPolicy sets the in-loan review thresholds (Engine.Review). Income
// ratios compare the monthly income now with the income at origination.
type ReviewPolicy struct {
	// WatchDrop: income down by this share or more puts the loan on watch.
	// 0 means 0.15.
	WatchDrop float64 `json:"watch_drop"`
	// DecreaseDrop: income down by this share or more decreases the limit.
	// 0 means 0.30.
	DecreaseDrop float64 `json:"decrease_drop"`
	// IncreaseRise: income up by this share or more, with stable income and
	// clean repayments, makes the loan eligible for an increase. 0 means 0.20.
	IncreaseRise float64 `json:"increase_rise"`
	// MaxCV: an income coefficient of variation above it is unstable
	// (watch). 0 means 0.5 (an annual bonus month alone gives about 0.4
	// over six months).
	MaxCV float64 `json:"max_cv"`
	// StableCV: the highest CV that allows an increase. 0 means 0.15.
	StableCV float64 `json:"stable_cv"`
	// MinMonthsOnBook: months since origination before an increase. 0 means 6.
	MinMonthsOnBook int `json:"min_months_on_book"`
}

// WarningPolicy sets the post-loan early-warning thresholds (Engine.Warn).
type WarningPolicy struct {
	// IncomeDropWarning and IncomeDropCritical are the income drops
	// against origination (shares) that raise INCOME_DROP. 0 means 0.2 and
	// 0.4.
	IncomeDropWarning  float64 `json:"income_drop_warning"`
	IncomeDropCritical float64 `json:"income_drop_critical"`
	// DrainWarning and DrainCritical are the net outflows (debits minus
	// credits) over the complete months since origination, at most
	// DrainMonths of them, in months of origination income, that raise
	// BALANCE_DRAIN. 0 means 0.5 and 1.0; DrainMonths 0 means 3.
	DrainWarning  float64 `json:"drain_warning"`
	DrainCritical float64 `json:"drain_critical"`
	DrainMonths   int     `json:"drain_months"`
	// ScoreDropWarning and ScoreDropCritical are behaviour-score drops
	// since origination, in PDOs of the behaviour model (one PDO doubles
	// the odds of bad). 0 means 1 and 2.
	ScoreDropWarning  float64 `json:"score_drop_warning"`
	ScoreDropCritical float64 `json:"score_drop_critical"`
	// NewLendersCritical is the number of new other lenders from which
	// NEW_OTHER_LENDER is critical (one is a warning). 0 means 2.
	NewLendersCritical int `json:"new_lenders_critical"`
}

// DriftPolicy sets the population-drift thresholds (CheckDrift) on the
// population stability index of the score and the characteristic stability
// index of each variable: below Warning stable, from Warning a shift worth
// a look, from Critical a significant shift. 0 means 0.1 and 0.25, the
// conventional rules of thumb (Siddiqi 2006, "Credit Risk Scorecards", ch.
// 12; Yurdakul 2018, "Statistical Properties of the Population Stability
// Index"). Two samples of one population do not give 0: over B bands the
// PSI is about (B − 1)(1/n₁ + 1/n₂) by sampling noise alone (0.04 for 700
// against 300 rows over ten bands), so compare samples of some thousands.
type DriftPolicy struct {
	Warning  float64 `json:"warning"`
	Critical float64 `json:"critical"`
}

// defaults of the policy, kept as functions of nothing so that no package
// variable can be changed.
const (
	defaultApprovePD       = 1.0 / 12
	defaultDeclinePD       = 1.0 / 6
	defaultMaxDTI          = 0.43
	defaultMaxTerm         = 60
	defaultBehaviourWeight = 0.5
	defaultLateGrace       = 5
	defaultDelinquent      = 30
	defaultModelReasons    = 4
)

func defaultRate() decimal.Decimal { return decimal.New(12, -2) }

// Resolve returns the policy with every zero field set to its default and
// Version set (to the content hash when empty), after checking every field;
// an out-of-range field is a *FieldError naming it ("Policy.MaxDTI"),
// unwrapping to ErrPolicy.
func (p Policy) Resolve() (Policy, error) {
	r := p
	fz := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	iz := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	fz(&r.ApprovePD, defaultApprovePD)
	fz(&r.DeclinePD, defaultDeclinePD)
	if r.Bands == nil {
		r.Bands = DefaultBands()
	} else {
		r.Bands = slices.Clone(r.Bands)
	}
	fz(&r.MaxDTI, defaultMaxDTI)
	if r.InterestFree {
		r.AnnualRate = decimal.Zero
	} else if r.AnnualRate.IsZero() {
		r.AnnualRate = defaultRate()
	}
	iz(&r.MaxTermMonths, defaultMaxTerm)
	r.DeniedPurposes = slices.Clone(r.DeniedPurposes)
	fz(&r.BehaviourWeight, defaultBehaviourWeight)
	v := &r.Verification
	fz(&v.IncomeTolerance, 1.2)
	fz(&v.IncomeOverstated, 1.5)
	fz(&v.IncomeUnderstated, 0.7)
	fz(&v.EmployerSimilarity, 0.5)
	iz(&v.DeviceMinDays, 30)
	if r.ReferOn == nil {
		r.ReferOn = DefaultReferOn()
	} else {
		r.ReferOn = slices.Clone(r.ReferOn)
	}
	iz(&r.LateGraceDays, defaultLateGrace)
	iz(&r.DelinquentDays, defaultDelinquent)
	iz(&r.ModelReasons, defaultModelReasons)
	rv := &r.Review
	fz(&rv.WatchDrop, 0.15)
	fz(&rv.DecreaseDrop, 0.30)
	fz(&rv.IncreaseRise, 0.20)
	fz(&rv.MaxCV, 0.5)
	fz(&rv.StableCV, 0.15)
	iz(&rv.MinMonthsOnBook, 6)
	w := &r.Warning
	fz(&w.IncomeDropWarning, 0.2)
	fz(&w.IncomeDropCritical, 0.4)
	fz(&w.DrainWarning, 0.5)
	fz(&w.DrainCritical, 1.0)
	iz(&w.DrainMonths, 3)
	fz(&w.ScoreDropWarning, 1)
	fz(&w.ScoreDropCritical, 2)
	iz(&w.NewLendersCritical, 2)
	fz(&r.Drift.Warning, 0.1)
	fz(&r.Drift.Critical, 0.25)
	if err := r.check(); err != nil {
		return Policy{}, err
	}
	if r.Version == "" {
		r.Version = r.hash()
	} else if err := checkText("Policy.Version", r.Version, MaxIDLen); err != nil {
		return Policy{}, &FieldError{Field: "Policy.Version", Reason: "must be at most 128 bytes of printable UTF-8", Err: ErrPolicy}
	}
	return r, nil
}

// hash returns the content hash of a resolved policy without a version.
func (p Policy) hash() string {
	p.Version = ""
	b, err := json.Marshal(p)
	if err != nil { // cannot happen: every field encodes
		return "policy-unhashable"
	}
	s := sha256.Sum256(b)
	return "policy-" + hex.EncodeToString(s[:8])
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// inRange checks lo < x <= hi (or lo <= x when closedLo), x finite.
func inRange(x, lo, hi float64, closedLo bool) bool {
	if !finite(x) || x > hi {
		return false
	}
	if closedLo {
		return x >= lo
	}
	return x > lo
}

func (p *Policy) check() error {
	switch {
	case !inRange(p.ApprovePD, 0, 1, false):
		return policyErr("ApprovePD", "must be in (0, 1]")
	case !inRange(p.DeclinePD, 0, 1, false):
		return policyErr("DeclinePD", "must be in (0, 1]")
	case p.ApprovePD > p.DeclinePD:
		return policyErr("ApprovePD", "must not exceed DeclinePD")
	case !inRange(p.MaxDTI, 0, 1, false):
		return policyErr("MaxDTI", "must be in (0, 1]")
	case p.AnnualRate.Sign() < 0 || p.AnnualRate.Exponent() < -18 || p.AnnualRate.Cmp(maxAPR) > 0:
		return policyErr("AnnualRate", "must be between 0 and 10")
	case p.MaxTermMonths < 1 || p.MaxTermMonths > MaxTermMonths:
		return policyErr("MaxTermMonths", "must be 1 to 480")
	case !inRange(p.BehaviourWeight, 0, 1, false):
		return policyErr("BehaviourWeight", "must be in (0, 1]")
	case !inRange(p.MaxBehaviourPoints, 0, 1e6, true):
		return policyErr("MaxBehaviourPoints", "must be finite and not negative")
	case p.LateGraceDays < 0 || p.LateGraceDays > 365:
		return policyErr("LateGraceDays", "must be 0 to 365")
	case p.DelinquentDays <= p.LateGraceDays || p.DelinquentDays > 365:
		return policyErr("DelinquentDays", "must exceed LateGraceDays and be at most 365")
	case p.ModelReasons < 0 || p.ModelReasons > 32:
		return policyErr("ModelReasons", "must be 0 to 32")
	}
	for _, m := range []struct {
		name string
		d    decimal.Decimal
	}{{"MinLimit", p.MinLimit}, {"MaxLimit", p.MaxLimit}, {"LimitStep", p.LimitStep}} {
		name, d := m.name, m.d
		if d.Sign() < 0 || d.Exponent() < -18 || d.Exponent() > 15 || d.NumDigits() > 34 || d.Cmp(maxMoney) > 0 {
			return policyErr(name, "must be between 0 and 10^15")
		}
	}
	if p.MaxLimit.Sign() > 0 && p.MinLimit.Cmp(p.MaxLimit) > 0 {
		return policyErr("MinLimit", "must not exceed MaxLimit")
	}
	if len(p.Bands) == 0 {
		return policyErr("Bands", "need at least one band (nil means the defaults)")
	}
	prev := 0.0
	for i, b := range p.Bands {
		f := "Bands[" + strconv.Itoa(i) + "]"
		switch {
		case b.Name == "" || len(b.Name) > 32 || !cleanText(b.Name):
			return policyErr(f+".Name", "must be 1 to 32 bytes of printable UTF-8")
		case !inRange(b.MaxPD, prev, 1, false):
			return policyErr(f+".MaxPD", "must increase, within (0, 1]")
		case !inRange(b.Share, 0, 1, true):
			return policyErr(f+".Share", "must be in [0, 1]")
		}
		prev = b.MaxPD
	}
	if prev < p.DeclinePD {
		return policyErr("Bands", "the last band's MaxPD must reach DeclinePD, so that every PD not declined has a band")
	}
	v := p.Verification
	switch {
	case !inRange(v.IncomeTolerance, 1, 100, true):
		return policyErr("Verification.IncomeTolerance", "must be at least 1")
	case !inRange(v.IncomeOverstated, v.IncomeTolerance, 100, true):
		return policyErr("Verification.IncomeOverstated", "must be at least IncomeTolerance")
	case !inRange(v.IncomeUnderstated, 0, 1, false):
		return policyErr("Verification.IncomeUnderstated", "must be in (0, 1]")
	case !inRange(v.EmployerSimilarity, 0, 1, false):
		return policyErr("Verification.EmployerSimilarity", "must be in (0, 1]")
	case v.DeviceMinDays < 0 || v.DeviceMinDays > 3650:
		return policyErr("Verification.DeviceMinDays", "must be 0 to 3650")
	}
	rv := p.Review
	switch {
	case !inRange(rv.WatchDrop, 0, 1, false):
		return policyErr("Review.WatchDrop", "must be in (0, 1]")
	case !inRange(rv.DecreaseDrop, rv.WatchDrop, 1, true):
		return policyErr("Review.DecreaseDrop", "must be in [WatchDrop, 1]")
	case !inRange(rv.IncreaseRise, 0, 100, false):
		return policyErr("Review.IncreaseRise", "must be positive")
	case !inRange(rv.MaxCV, 0, 100, false):
		return policyErr("Review.MaxCV", "must be positive")
	case !inRange(rv.StableCV, 0, rv.MaxCV, false):
		return policyErr("Review.StableCV", "must be in (0, MaxCV]")
	case rv.MinMonthsOnBook < 0 || rv.MinMonthsOnBook > MaxTermMonths:
		return policyErr("Review.MinMonthsOnBook", "must be 0 to 480")
	}
	w := p.Warning
	switch {
	case !inRange(w.IncomeDropWarning, 0, 1, false):
		return policyErr("Warning.IncomeDropWarning", "must be in (0, 1]")
	case !inRange(w.IncomeDropCritical, w.IncomeDropWarning, 1, true):
		return policyErr("Warning.IncomeDropCritical", "must be in [IncomeDropWarning, 1]")
	case !inRange(w.DrainWarning, 0, 1000, false):
		return policyErr("Warning.DrainWarning", "must be positive")
	case !inRange(w.DrainCritical, w.DrainWarning, 1000, true):
		return policyErr("Warning.DrainCritical", "must be at least DrainWarning")
	case w.DrainMonths < 1 || w.DrainMonths > 12:
		return policyErr("Warning.DrainMonths", "must be 1 to 12")
	case !inRange(w.ScoreDropWarning, 0, 100, false):
		return policyErr("Warning.ScoreDropWarning", "must be positive")
	case !inRange(w.ScoreDropCritical, w.ScoreDropWarning, 100, true):
		return policyErr("Warning.ScoreDropCritical", "must be at least ScoreDropWarning")
	case w.NewLendersCritical < 1 || w.NewLendersCritical > 100:
		return policyErr("Warning.NewLendersCritical", "must be 1 to 100")
	}
	d := p.Drift
	switch {
	case !inRange(d.Warning, 0, 100, false):
		return policyErr("Drift.Warning", "must be positive")
	case !inRange(d.Critical, d.Warning, 100, true):
		return policyErr("Drift.Critical", "must be at least Drift.Warning")
	}
	for i, s := range p.DeniedPurposes {
		if err := checkText("Policy.DeniedPurposes", s, MaxPurposeLen); err != nil {
			return policyErr("DeniedPurposes["+strconv.Itoa(i)+"]", "must be at most 64 bytes of printable UTF-8")
		}
	}
	for i, c := range p.ReferOn {
		if c == "" || len(c) > 64 || !cleanText(string(c)) {
			return policyErr("ReferOn["+strconv.Itoa(i)+"]", "must be a code")
		}
	}
	return nil
}
