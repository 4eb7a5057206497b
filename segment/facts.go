package segment

import (
	"math"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// Facts is the compact per-customer input of segmentation: the few numbers
// that lifecycle staging, RFM scoring, value tiers and bank-defined
// segments read, extracted from a profile once (NewFacts) and then assigned
// as often as needed without touching the profile again. Assigning Facts
// does not allocate, which is what makes a million assignments per second
// per core possible; profile.Features, by contrast, builds a map and walks
// every view of the profile.
//
// Field names and meanings follow profile.Features wherever the two share a
// field, so an expression written for Features (Profile.AgeYears >= 30,
// Profile.Loans > 0) reads the same here. Facts holds statistics, so
// Monetary is a float64 (Features keeps the exact decimal sum). Durations
// in days are -1 when the thing never happened.
//
// Callers may fill Facts themselves (from their warehouse, say) instead of
// calling NewFacts; Validate says what is accepted. Comparisons across
// customers (RFM recency, tiers) assume every Facts of a population was
// taken at the same time.
type Facts struct {
	CustomerID string

	// Attributes.
	AgeYears    float64 // whole years; 0 when the birth date is unknown
	Occupation  string  // as recorded, for example "student", "employee", "retired"
	TenureDays  float64 // since Customer.Joined, else since the first event
	HistoryDays float64 // since the profile's first event (0 for an empty profile)

	// Income (see profile.Features and profile.Stream).
	MonthlyIncome float64
	IncomeStreams int  // live income streams
	SalaryMature  bool // a live salary or pension stream with three payments on cadence
	PensionIncome bool // a live pension stream
	IncomeStopped bool // an income stream that had matured has stopped
	// SalaryDays is how long ago the longest-running live salary stream
	// began, estimated from its payments and cadence; -1 when there is no
	// live salary stream.
	SalaryDays float64

	// Spending and debt, per month (see profile.Financial).
	MonthlySpend float64
	MonthlyDebt  float64
	Loans        int // live loan-repayment streams (mortgages, car and consumer loans)
	OtherLenders int // of which to other lenders
	DTI          float64
	Spend        Spending // monthly spending rate per category

	// Behaviour.
	Transactions         int
	Sessions             int
	DaysSinceLastSession float64 // -1 when never
	// WealthUse is the share, in [0, 1], of the customer's time-decayed
	// app-function use that went to wealth functions (see
	// FactsOptions.WealthFunctions).
	WealthUse float64

	// Purchases (see profile.RFM).
	Purchases    int
	PurchaseDays int
	Monetary     float64 // sum of purchase amounts in the profile currency
	RecencyDays  float64 // days since the last purchase; -1 when none

	// Value is the customer's contribution, the quantity value tiers are
	// fitted on and applied to. NewFacts sets it to Monetary; set it to
	// revenue, margin or an expected lifetime value (segment/clv) when you
	// have one. Negative values contribute nothing (see FitTiers).
	Value float64
}

// Spending is the monthly spending rate per category (profile.Category),
// one field per category, so expressions read Profile.Spend.Childcare.
type Spending struct {
	Other, Groceries, Dining, Transport, Fuel, Travel, Shopping      float64
	Utilities, Telecom, Housing, Education, Childcare, Health        float64
	Insurance, Entertainment, Gambling, Cash, Loans, Fees, Transfers float64
}

// fields returns pointers to the fields of s in profile.Category order,
// so conversions need no reflection.
func (s *Spending) fields() [profile.NumCategories]*float64 {
	return [profile.NumCategories]*float64{
		profile.CategoryOther: &s.Other, profile.CategoryGroceries: &s.Groceries,
		profile.CategoryDining: &s.Dining, profile.CategoryTransport: &s.Transport,
		profile.CategoryFuel: &s.Fuel, profile.CategoryTravel: &s.Travel,
		profile.CategoryShopping: &s.Shopping, profile.CategoryUtilities: &s.Utilities,
		profile.CategoryTelecom: &s.Telecom, profile.CategoryHousing: &s.Housing,
		profile.CategoryEducation: &s.Education, profile.CategoryChildcare: &s.Childcare,
		profile.CategoryHealth: &s.Health, profile.CategoryInsurance: &s.Insurance,
		profile.CategoryEntertainment: &s.Entertainment, profile.CategoryGambling: &s.Gambling,
		profile.CategoryCash: &s.Cash, profile.CategoryLoans: &s.Loans,
		profile.CategoryFees: &s.Fees, profile.CategoryTransfers: &s.Transfers,
	}
}

// Of returns the spending rate of category c (0 for an unknown category).
func (s *Spending) Of(c profile.Category) float64 {
	if int(c) >= profile.NumCategories {
		return 0
	}
	return *s.fields()[c]
}

// DefaultWealthFunctions returns the app-function names counted as wealth
// use by default: wealth, wealth_management, invest, investment,
// investments, fund and funds.
func DefaultWealthFunctions() []string {
	return []string{"wealth", "wealth_management", "invest", "investment", "investments", "fund", "funds"}
}

// FactsOptions configures NewFacts. The zero value (or nil) is the default.
type FactsOptions struct {
	// WealthFunctions are the app-function names (case-insensitive) whose
	// use counts towards Facts.WealthUse; nil means
	// DefaultWealthFunctions().
	WealthFunctions []string
}

// avgMonthDays is the mean length of a Gregorian month in days.
const avgMonthDays = 365.2425 / 12

// NewFacts extracts the Facts of p at now. It reads the profile's
// attributes and its financial, income-stream, app-function, activity and
// purchase views; it never reads the clock. p must not be written
// concurrently (see profile.Profile).
func NewFacts(p *profile.Profile, now time.Time, opts *FactsOptions) (Facts, error) {
	if p == nil {
		return Facts{}, optErr("profile", "nil")
	}
	if now.IsZero() {
		return Facts{}, optErr("now", "zero time")
	}
	wf := DefaultWealthFunctions()
	if opts != nil && opts.WealthFunctions != nil {
		wf = opts.WealthFunctions
	}
	days := func(d time.Duration) float64 { return d.Hours() / 24 }
	f := Facts{CustomerID: p.CustomerID(), SalaryDays: -1, DaysSinceLastSession: -1, RecencyDays: -1}
	if c, ok := p.Customer(); ok {
		if !c.BirthDate.IsZero() {
			f.AgeYears = float64(wholeYears(c.BirthDate, now))
		}
		f.Occupation = c.Occupation
	}
	f.TenureDays = days(p.Tenure(now))
	if p.Seq() > 0 {
		f.HistoryDays = math.Max(0, days(now.Sub(p.FirstSeen())))
	}

	fin := p.Financial(now)
	f.MonthlyIncome, f.MonthlySpend, f.MonthlyDebt = fin.MonthlyIncome, fin.MonthlySpend, fin.MonthlyDebt
	f.Loans, f.OtherLenders, f.DTI = fin.Loans, fin.OtherLenders, fin.DTI
	dst := f.Spend.fields()
	for c, v := range fin.SpendByCategory {
		*dst[c] = v
	}
	for _, s := range p.IncomeStreams(now) {
		switch {
		case s.Status == profile.StatusStopped && s.OnCadence >= 3:
			f.IncomeStopped = true
		case s.Status != profile.StatusStopped:
			f.IncomeStreams++
			if s.Status == profile.StatusMature && (s.Kind == profile.KindSalary || s.Kind == profile.KindPension) {
				f.SalaryMature = true
			}
			if s.Kind == profile.KindPension {
				f.PensionIncome = true
			}
			if s.Kind == profile.KindSalary && s.Frequency != profile.FrequencyUnknown {
				span := float64(s.Occurrences-1) / s.Frequency.PerMonth() * avgMonthDays
				d := math.Max(0, days(now.Sub(s.LastDate))+span)
				f.SalaryDays = math.Max(f.SalaryDays, d)
			}
		}
	}

	a := p.Activity()
	f.Transactions, f.Sessions = a.Transactions, a.Sessions
	if !a.LastSession.IsZero() {
		f.DaysSinceLastSession = math.Max(0, days(now.Sub(a.LastSession)))
	}
	var total, wealth float64
	for _, fn := range p.AppFunctions(now) {
		total += fn.Weight
		for _, w := range wf {
			if strings.EqualFold(fn.Key, w) {
				wealth += fn.Weight
				break
			}
		}
	}
	if total > 0 {
		f.WealthUse = wealth / total
	}

	r := p.RFM(now)
	f.Purchases, f.PurchaseDays = r.Purchases, r.PurchaseDays
	f.Monetary = r.Monetary.InexactFloat64()
	if r.Purchases > 0 {
		f.RecencyDays = math.Max(0, days(r.Recency))
	}
	f.Value = f.Monetary
	return f, nil
}

// wholeYears returns the whole years from birth to now.
func wholeYears(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		y--
	}
	return y
}

// Validate reports the first field of f that assignment cannot use: a NaN
// or infinite number, a negative count, amount or duration (durations that
// mean "never" must be exactly -1), or a share outside [0, 1]. Value may be
// negative. The error is a *FieldError wrapping ErrInvalidFacts; it names
// the field, not the value.
func (f *Facts) Validate() error {
	if f.valid() {
		return nil
	}
	return f.diagnose()
}

// nonNeg reports whether x is a finite number >= 0 (false for NaN).
func nonNeg(x float64) bool { return x >= 0 && x <= math.MaxFloat64 }

// orNever reports whether x is a finite number >= 0 or exactly -1.
func orNever(x float64) bool { return nonNeg(x) || x == -1 }

// valid is the allocation-free fast path of Validate.
func (f *Facts) valid() bool {
	s := &f.Spend
	return nonNeg(f.AgeYears) && nonNeg(f.TenureDays) && nonNeg(f.HistoryDays) && nonNeg(f.MonthlyIncome) &&
		orNever(f.SalaryDays) && nonNeg(f.MonthlySpend) && nonNeg(f.MonthlyDebt) && nonNeg(f.DTI) &&
		orNever(f.DaysSinceLastSession) && nonNeg(f.Monetary) && orNever(f.RecencyDays) &&
		f.WealthUse >= 0 && f.WealthUse <= 1 && f.Value >= -math.MaxFloat64 && f.Value <= math.MaxFloat64 &&
		nonNeg(s.Other) && nonNeg(s.Groceries) && nonNeg(s.Dining) && nonNeg(s.Transport) && nonNeg(s.Fuel) &&
		nonNeg(s.Travel) && nonNeg(s.Shopping) && nonNeg(s.Utilities) && nonNeg(s.Telecom) && nonNeg(s.Housing) &&
		nonNeg(s.Education) && nonNeg(s.Childcare) && nonNeg(s.Health) && nonNeg(s.Insurance) &&
		nonNeg(s.Entertainment) && nonNeg(s.Gambling) && nonNeg(s.Cash) && nonNeg(s.Loans) && nonNeg(s.Fees) &&
		nonNeg(s.Transfers) &&
		f.IncomeStreams >= 0 && f.Loans >= 0 && f.OtherLenders >= 0 && f.Transactions >= 0 && f.Sessions >= 0 &&
		f.Purchases >= 0 && f.PurchaseDays >= 0 && (f.Purchases == 0 || f.RecencyDays >= 0)
}

// diagnose names the first invalid field; f is known to be invalid.
func (f *Facts) diagnose() error {
	bad := func(field, reason string) error {
		return &FieldError{Field: field, Index: -1, Reason: reason, Err: ErrInvalidFacts}
	}
	type num struct {
		name  string
		v     float64
		never bool // -1 allowed
	}
	for _, n := range [...]num{
		{"AgeYears", f.AgeYears, false}, {"TenureDays", f.TenureDays, false},
		{"HistoryDays", f.HistoryDays, false}, {"MonthlyIncome", f.MonthlyIncome, false},
		{"SalaryDays", f.SalaryDays, true}, {"MonthlySpend", f.MonthlySpend, false},
		{"MonthlyDebt", f.MonthlyDebt, false}, {"DTI", f.DTI, false},
		{"DaysSinceLastSession", f.DaysSinceLastSession, true}, {"Monetary", f.Monetary, false},
		{"RecencyDays", f.RecencyDays, true},
	} {
		switch {
		case math.IsNaN(n.v):
			return bad(n.name, "NaN")
		case math.IsInf(n.v, 0):
			return bad(n.name, "infinite")
		case n.v < 0 && !(n.never && n.v == -1):
			return bad(n.name, "negative")
		}
	}
	if math.IsNaN(f.WealthUse) || f.WealthUse < 0 || f.WealthUse > 1 {
		return bad("WealthUse", "not a share in [0, 1]")
	}
	if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
		return bad("Value", "NaN or infinite")
	}
	for c, p := range f.Spend.fields() {
		if !nonNeg(*p) {
			return bad("Spend."+spendName(c), "NaN, infinite or negative")
		}
	}
	for _, n := range [...]struct {
		name string
		v    int
	}{
		{"IncomeStreams", f.IncomeStreams}, {"Loans", f.Loans}, {"OtherLenders", f.OtherLenders},
		{"Transactions", f.Transactions}, {"Sessions", f.Sessions}, {"Purchases", f.Purchases},
		{"PurchaseDays", f.PurchaseDays},
	} {
		if n.v < 0 {
			return bad(n.name, "negative")
		}
	}
	return bad("RecencyDays", "-1 (never) while Purchases > 0")
}

// spendName returns the Spending field name of category index c.
func spendName(c int) string {
	n := profile.Category(c).String()
	if n == "" {
		return "?"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
