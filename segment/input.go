package segment

import (
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
)

// Input is what segmentation reads of one customer at one time: the
// profile's flat view, profile.Features — the same variables risk rules
// and campaign audiences read, so an expression such as Profile.DTI > 0.4
// or Profile.Spend.Childcare > 0 means the same everywhere — and the two
// quantities that are not facts of the profile but of segmentation:
// WealthUse and Value.
//
// NewInput fills an Input from a profile, computing only the groups of
// Features that the configuration reads. Callers may also fill it
// themselves (from their warehouse, say); Validate says what is
// accepted. Comparisons across customers (RFM recency, tiers) assume every
// Input of a population was taken at the same time.
type Input struct {
	// Profile is the customer's flat view. Lifecycle staging reads
	// AgeYears, Occupation, HistoryDays, SalaryDays, PensionIncome,
	// IncomeStopped, Loans, Spend.Education and Spend.Childcare; RFM reads
	// Purchases, RecencyDays and Monetary (as a float64: statistics about
	// money are floats); bank-defined segments read what their
	// expressions name.
	Profile profile.Features
	// WealthUse is the share, in [0, 1], of the customer's time-decayed
	// app-function use that went to wealth functions (see
	// InputOptions.WealthFunctions).
	WealthUse float64
	// Value is the customer's contribution, the quantity value tiers are
	// fitted on and applied to. NewInput sets it to Profile.Monetary; set
	// it to revenue, margin or an expected lifetime value (segment/clv)
	// when you have one. Negative values contribute nothing (see
	// FitTiers).
	Value float64
	// Groups are the groups of Profile that were filled (NewInput sets
	// them); zero means every group, for inputs filled by other means.
	// Assigning an input that lacks a group the configuration reads (see
	// Assigner.FeatureGroups) is a *FieldError, so that a field left at
	// its zero value is never mistaken for a fact.
	Groups profile.FeatureGroup

	// monetaryOf is the Profile.Monetary that monetaryF, its float64, was
	// computed from (by NewInput). Decimals are immutable, so while
	// Profile.Monetary == monetaryOf (the same coefficient pointer and
	// exponent) the float is current and known to be >= 0; reading it
	// spares following the pointer to the coefficient, the costliest step
	// of an assignment. The zero value is consistent: Decimal{} is 0.
	monetaryOf decimal.Decimal
	monetaryF  float64
}

// stageGroups are the groups of Features lifecycle staging reads.
const stageGroups = profile.FeatureAttributes | profile.FeatureFinancial | profile.FeatureSpend | profile.FeatureIncome

// inputGroups are the groups NewInput always fills: lifecycle staging's,
// and the purchases RFM scores and the default Value measures.
const inputGroups = stageGroups | profile.FeaturePurchases

// DefaultWealthFunctions returns the app-function names counted as wealth
// use by default: wealth, wealth_management, invest, investment,
// investments, fund and funds.
func DefaultWealthFunctions() []string {
	return []string{"wealth", "wealth_management", "invest", "investment", "investments", "fund", "funds"}
}

// isWealth reports whether the app function key is one of names
// (case-insensitive), or of DefaultWealthFunctions when names is nil.
func isWealth(key string, names []string) bool {
	if names == nil {
		switch strings.ToLower(key) {
		case "wealth", "wealth_management", "invest", "investment", "investments", "fund", "funds":
			return true
		}
		return false
	}
	for _, w := range names {
		if strings.EqualFold(key, w) {
			return true
		}
	}
	return false
}

// InputOptions configures NewInput. The zero value (or nil) is the default.
type InputOptions struct {
	// WealthFunctions are the app-function names (case-insensitive) whose
	// use counts towards Input.WealthUse; nil means
	// DefaultWealthFunctions().
	WealthFunctions []string
	// Segments are the bank-defined segments the input will be assigned
	// with: NewInput computes the groups of Features their expressions
	// read (see Catalog.FeatureGroups). Nil means none: only the groups
	// lifecycle staging, RFM and tiers read are computed.
	Segments *Catalog
}

// NewInput returns the Input of the customer of p at now: Profile holds
// the groups of Features that lifecycle staging, RFM, tiers and
// opts.Segments read (see profile.Profile.FeaturesInto), WealthUse is
// measured over the profile's app functions and Value is
// Profile.Monetary. It never reads the clock. p must not be written
// concurrently (see profile.Profile).
//
// A nil profile or a zero now is a *FieldError wrapping ErrInvalidOptions.
// A now before some of the profile's activity gives negative durations
// (time since the last session, since a salary began, tenure): that is a
// *FieldError wrapping ErrInvalidInput naming the field.
func NewInput(p *profile.Profile, now time.Time, opts *InputOptions) (Input, error) {
	if p == nil {
		return Input{}, optErr("profile", "nil")
	}
	if now.IsZero() {
		return Input{}, optErr("now", "zero time")
	}
	var o InputOptions
	if opts != nil {
		o = *opts
	}
	in := Input{Groups: inputGroups | o.Segments.FeatureGroups()}
	p.FeaturesInto(&in.Profile, now, in.Groups)
	var total, wealth float64
	for _, fn := range p.AppFunctions(now) {
		total += fn.Weight
		if isWealth(fn.Key, o.WealthFunctions) {
			wealth += fn.Weight
		}
	}
	if total > 0 {
		in.WealthUse = min(1, wealth/total)
	}
	in.Value = in.Profile.Monetary.InexactFloat64()
	if err := in.Validate(); err != nil {
		return Input{}, err
	}
	in.monetaryOf, in.monetaryF = in.Profile.Monetary, in.Value // checked >= 0
	return in, nil
}

// monetary returns Profile.Monetary as a float64 (the nearest to it, as
// decimal.Decimal.InexactFloat64 gives).
func (in *Input) monetary() float64 {
	if in.Profile.Monetary == in.monetaryOf {
		return in.monetaryF
	}
	return in.Profile.Monetary.InexactFloat64()
}

// monetaryValid reports whether Profile.Monetary is >= 0.
func (in *Input) monetaryValid() bool {
	return in.Profile.Monetary == in.monetaryOf || in.Profile.Monetary.Sign() >= 0
}

// Validate reports the first field of in that assignment cannot use: a
// NaN or infinite number; a negative count, amount (decimal money
// included) or duration (durations that mean "never" — SalaryDays,
// DaysSinceLastSession, DaysSinceLastDebit, RecencyDays — must then be
// exactly -1); a share (WealthUse, Profile.NightShare) outside [0, 1]; or
// Purchases without a RecencyDays. Value and Profile.Disposable may be
// negative. The error is a *FieldError wrapping ErrInvalidInput; it names
// the field as expressions do ("Profile.Spend.Childcare", "WealthUse"),
// never the value.
func (in *Input) Validate() error { return in.validate(allMoney) }

// validate is Validate checking only the decimal fields in money: reading
// a decimal's sign follows a pointer to its coefficient, which costs more
// than checking every other field, so assignment inspects only the money
// its configuration reads.
func (in *Input) validate(money moneyFields) error {
	if in.valid(money) {
		return nil
	}
	field, reason := in.invalid(money)
	if field == "" {
		return nil // -0 somewhere
	}
	return &FieldError{Field: field, Index: -1, Reason: reason, Err: ErrInvalidInput}
}

// moneyFields is a set of the decimal fields of profile.Features.
type moneyFields uint16

// The decimal fields of profile.Features.
const (
	moneyDeclaredIncome moneyFields = 1 << iota
	moneyCreditsLastMonth
	moneyDebitsLastMonth
	moneyCreditsThisMonth
	moneyDebitsThisMonth
	moneySum1h
	moneySum24h
	moneySum7d
	moneySum30d
	moneySumToday
	moneySumSinceStrongAuth
	moneySumSession
	moneyMonetary
	numMoney = iota

	allMoney moneyFields = 1<<numMoney - 1
)

// moneyField returns the name of decimal field i of f (the i-th bit of
// moneyFields) and a pointer to it; "" and nil past the last.
func moneyField(f *profile.Features, i int) (name string, d *decimal.Decimal) {
	switch moneyFields(1) << i {
	case moneyDeclaredIncome:
		return "DeclaredIncome", &f.DeclaredIncome
	case moneyCreditsLastMonth:
		return "CreditsLastMonth", &f.CreditsLastMonth
	case moneyDebitsLastMonth:
		return "DebitsLastMonth", &f.DebitsLastMonth
	case moneyCreditsThisMonth:
		return "CreditsThisMonth", &f.CreditsThisMonth
	case moneyDebitsThisMonth:
		return "DebitsThisMonth", &f.DebitsThisMonth
	case moneySum1h:
		return "Sum1h", &f.Sum1h
	case moneySum24h:
		return "Sum24h", &f.Sum24h
	case moneySum7d:
		return "Sum7d", &f.Sum7d
	case moneySum30d:
		return "Sum30d", &f.Sum30d
	case moneySumToday:
		return "SumToday", &f.SumToday
	case moneySumSinceStrongAuth:
		return "SumSinceStrongAuth", &f.SumSinceStrongAuth
	case moneySumSession:
		return "SumSession", &f.SumSession
	case moneyMonetary:
		return "Monetary", &f.Monetary
	}
	return "", nil
}

// moneyOf returns the decimal fields among the named fields of
// profile.Features.
func moneyOf(fields []string) moneyFields {
	var m moneyFields
	var f profile.Features
	for _, name := range fields {
		for i := range numMoney {
			if n, _ := moneyField(&f, i); n == name {
				m |= 1 << i
			}
		}
	}
	return m
}

// badMoney returns the name of the first negative decimal field of f in
// m, or "".
func badMoney(f *profile.Features, m moneyFields) string {
	for i := 0; m != 0; i, m = i+1, m>>1 {
		if m&1 == 0 {
			continue
		}
		if name, d := moneyField(f, i); d.Sign() < 0 {
			return "Profile." + name
		}
	}
	return ""
}

// special returns a word whose sign bit is set when x is negative
// (including -0), infinite or NaN: adding 1 to the exponent field of a
// finite float64 never carries into the sign bit, but adding it to the
// all-ones exponent of an infinity or NaN does. The OR of such words says
// in a few branch-free instructions whether many numbers are all finite
// and >= 0.
func special(x float64) uint64 {
	u := math.Float64bits(x)
	return u | (u + 1<<52)
}

// specialNever is special where exactly -1 means "never" and is valid.
func specialNever(x float64) uint64 {
	if x == -1 {
		return 0
	}
	return special(x)
}

// valid is the fast path of validate: true means in is valid; false means
// invalid, or -0 somewhere (which invalid then accepts).
func (in *Input) valid(money moneyFields) bool {
	f, s := &in.Profile, &in.Profile.Spend
	w := special(f.AgeYears) | special(f.TenureDays) | special(f.HistoryDays) | special(f.MonthlyIncome) |
		special(f.IncomeCV) | special(f.MonthlySpend) | special(f.EssentialSpend) | special(f.MonthlyDebt) |
		special(f.DTI) | special(math.Abs(f.Disposable)) | special(f.PurchasingPower) | special(f.RepaymentCapacity) |
		special(f.NightShare) | special(1-f.NightShare) | special(in.WealthUse) | special(1-in.WealthUse) |
		special(math.Abs(in.Value))
	w |= special(s.Other) | special(s.Groceries) | special(s.Dining) | special(s.Transport) | special(s.Fuel) |
		special(s.Travel) | special(s.Shopping) | special(s.Utilities) | special(s.Telecom) | special(s.Housing) |
		special(s.Education) | special(s.Childcare) | special(s.Health) | special(s.Insurance) |
		special(s.Entertainment) | special(s.Gambling) | special(s.Cash) | special(s.Loans) | special(s.Fees) |
		special(s.Transfers)
	w |= specialNever(f.SalaryDays) | specialNever(f.PensionDays) | specialNever(f.DaysSinceLastSession) | specialNever(f.DaysSinceLastDebit) |
		specialNever(f.RecencyDays)
	// Integers and decimal signs are negative together when their OR is.
	w |= uint64(f.IncomeMonths | f.IncomeStreams | f.Loans | f.OtherLenders | f.LoansOverdue | f.MaxDaysOverdue |
		f.Devices | f.Networks | f.Places | f.Countries | f.Counterparties | f.Bills | f.Sessions | f.Transactions |
		f.Count1h | f.Count24h | f.Count7d | f.Count30d | f.CountToday | f.RemoteSinceStrongAuth | f.CountSession |
		f.Purchases | f.PurchaseDays)
	if w >= 1<<63 || f.Purchases > 0 && f.RecencyDays < 0 {
		return false
	}
	switch money {
	case 0:
		return true
	case moneyMonetary:
		return in.monetaryValid()
	}
	return (money&moneyMonetary == 0 || in.monetaryValid()) && badMoney(f, money&^moneyMonetary) == ""
}

// Reasons of invalid fields.
const (
	reasonNaN      = "NaN"
	reasonInf      = "infinite"
	reasonNegative = "negative"
	reasonShare    = "not a share in [0, 1]"
)

// badNonNeg returns why x is not a finite number >= 0, or "".
func badNonNeg(x float64) string {
	switch {
	case x >= 0 && x <= math.MaxFloat64:
		return ""
	case x != x:
		return reasonNaN
	case x > 0:
		return reasonInf
	case x < -math.MaxFloat64:
		return reasonInf
	}
	return reasonNegative
}

// badNever is badNonNeg where exactly -1 means "never".
func badNever(x float64) string {
	if x == -1 {
		return ""
	}
	return badNonNeg(x)
}

// badFinite returns why x is not finite, or "".
func badFinite(x float64) string {
	switch {
	case x >= -math.MaxFloat64 && x <= math.MaxFloat64:
		return ""
	case x != x:
		return reasonNaN
	}
	return reasonInf
}

// badShare returns why x is not in [0, 1], or "".
func badShare(x float64) string {
	if x >= 0 && x <= 1 {
		return ""
	}
	return reasonShare
}

// invalid returns the first invalid field of in and why, or "" when in is
// valid (inspecting only the decimal fields in money): the slow path of
// validate, which names the field.
func (in *Input) invalid(money moneyFields) (field, reason string) {
	f := &in.Profile
	// The integer fields are valid together when none has the sign bit.
	if f.IncomeMonths|f.IncomeStreams|f.Loans|f.OtherLenders|f.LoansOverdue|f.MaxDaysOverdue|
		f.Devices|f.Networks|f.Places|f.Countries|f.Counterparties|f.Bills|f.Sessions|f.Transactions|
		f.Count1h|f.Count24h|f.Count7d|f.Count30d|f.CountToday|f.RemoteSinceStrongAuth|f.CountSession|
		f.Purchases|f.PurchaseDays < 0 {
		return in.negativeInt(), reasonNegative
	}
	if r := badNonNeg(f.AgeYears); r != "" {
		return "Profile.AgeYears", r
	}
	if r := badNonNeg(f.TenureDays); r != "" {
		return "Profile.TenureDays", r
	}
	if r := badNonNeg(f.HistoryDays); r != "" {
		return "Profile.HistoryDays", r
	}
	if r := badNonNeg(f.MonthlyIncome); r != "" {
		return "Profile.MonthlyIncome", r
	}
	if r := badNonNeg(f.IncomeCV); r != "" {
		return "Profile.IncomeCV", r
	}
	if r := badNever(f.SalaryDays); r != "" {
		return "Profile.SalaryDays", r
	}
	if r := badNever(f.PensionDays); r != "" {
		return "Profile.PensionDays", r
	}
	if r := badNonNeg(f.MonthlySpend); r != "" {
		return "Profile.MonthlySpend", r
	}
	if r := badNonNeg(f.EssentialSpend); r != "" {
		return "Profile.EssentialSpend", r
	}
	if r := badNonNeg(f.MonthlyDebt); r != "" {
		return "Profile.MonthlyDebt", r
	}
	if r := badNonNeg(f.DTI); r != "" {
		return "Profile.DTI", r
	}
	if r := badFinite(f.Disposable); r != "" {
		return "Profile.Disposable", r
	}
	if r := badNonNeg(f.PurchasingPower); r != "" {
		return "Profile.PurchasingPower", r
	}
	if r := badNonNeg(f.RepaymentCapacity); r != "" {
		return "Profile.RepaymentCapacity", r
	}
	if field, r := badSpend(&f.Spend); r != "" {
		return field, r
	}
	if r := badNever(f.DaysSinceLastSession); r != "" {
		return "Profile.DaysSinceLastSession", r
	}
	if r := badNever(f.DaysSinceLastDebit); r != "" {
		return "Profile.DaysSinceLastDebit", r
	}
	if r := badShare(f.NightShare); r != "" {
		return "Profile.NightShare", r
	}
	if r := badNever(f.RecencyDays); r != "" {
		return "Profile.RecencyDays", r
	}
	if f.Purchases > 0 && f.RecencyDays < 0 {
		return "Profile.RecencyDays", "-1 (never) while Purchases > 0"
	}
	if r := badShare(in.WealthUse); r != "" {
		return "WealthUse", r
	}
	if r := badFinite(in.Value); r != "" {
		return "Value", r
	}
	if name := badMoney(f, money); name != "" {
		return name, reasonNegative
	}
	return "", ""
}

// badSpend returns the first invalid field of s and why, or "".
func badSpend(s *profile.Spending) (field, reason string) {
	for c := range profile.NumCategories {
		if r := badNonNeg(s.Of(profile.Category(c))); r != "" {
			return "Profile.Spend." + spendName(c), r
		}
	}
	return "", ""
}

// negativeInt names the first negative integer field of in.
func (in *Input) negativeInt() string {
	f := &in.Profile
	for _, x := range [...]struct {
		name string
		v    int
	}{
		{"IncomeMonths", f.IncomeMonths}, {"IncomeStreams", f.IncomeStreams}, {"Loans", f.Loans},
		{"OtherLenders", f.OtherLenders}, {"LoansOverdue", f.LoansOverdue}, {"MaxDaysOverdue", f.MaxDaysOverdue},
		{"Devices", f.Devices}, {"Networks", f.Networks}, {"Places", f.Places}, {"Countries", f.Countries},
		{"Counterparties", f.Counterparties}, {"Bills", f.Bills}, {"Sessions", f.Sessions},
		{"Transactions", f.Transactions}, {"Count1h", f.Count1h}, {"Count24h", f.Count24h},
		{"Count7d", f.Count7d}, {"Count30d", f.Count30d}, {"CountToday", f.CountToday},
		{"RemoteSinceStrongAuth", f.RemoteSinceStrongAuth}, {"CountSession", f.CountSession}, {"Purchases", f.Purchases},
		{"PurchaseDays", f.PurchaseDays},
	} {
		if x.v < 0 {
			return "Profile." + x.name
		}
	}
	return "Profile"
}

// spendName returns the profile.Spending field name of category index c.
func spendName(c int) string {
	n := profile.Category(c).String()
	if n == "" {
		return "?"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
