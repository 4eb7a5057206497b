package profile

import (
	"math"
	"time"

	"github.com/shopspring/decimal"
)

// Features is a flat view of a profile at one point in time: the variables
// analysts' expressions read (as Profile in risk rules, bank-defined
// segments and campaign audiences, for example Profile.DTI > 0.4) and the
// behavioural inputs of scorecards. Money that is summed exactly is
// decimal.Decimal and compares exactly in expressions; estimates are
// float64. Durations in days are -1 when the thing never happened.
type Features struct {
	// Attributes.
	CustomerID     string
	AgeYears       float64 // whole years at the time asked; 0 when the birth date is unknown
	Occupation     string
	TenureDays     float64 // since Customer.Joined, else since the first event
	HistoryDays    float64 // since the profile's first event (0 for an empty profile)
	DeclaredIncome decimal.Decimal
	ConsentSMS     bool
	ConsentEmail   bool
	ConsentPush    bool

	// Financial (see Financial).
	MonthlyIncome float64
	IncomeCV      float64
	IncomeMonths  int
	IncomeStreams int  // live income streams (not stopped)
	SalaryMature  bool // a live salary or pension stream with three payments on cadence
	PensionIncome bool // a live pension stream
	IncomeStopped bool // an income stream that had matured has stopped
	// SalaryDays is how long ago the longest-running live salary stream
	// began (its first payment), PensionDays the same for pensions; -1
	// when there is none.
	SalaryDays        float64
	PensionDays       float64
	MonthlySpend      float64
	EssentialSpend    float64
	MonthlyDebt       float64
	Loans             int
	OtherLenders      int
	LoansOverdue      int // loan-repayment streams past their expected date (last paid within 90 days)
	MaxDaysOverdue    int // the most days any such bill or loan repayment is overdue
	DTI               float64
	Disposable        float64
	PurchasingPower   float64
	RepaymentCapacity float64
	// Spend is the monthly spending rate per category, for expressions such
	// as Profile.Spend.Childcare > 0.
	Spend Spending
	// CreditsLastMonth and DebitsLastMonth are the last complete month's
	// flows; CreditsThisMonth and DebitsThisMonth the current month's so far.
	CreditsLastMonth decimal.Decimal
	DebitsLastMonth  decimal.Decimal
	CreditsThisMonth decimal.Decimal
	DebitsThisMonth  decimal.Decimal

	// Behaviour.
	Devices              int
	Networks             int
	Places               int
	Countries            int
	Counterparties       int
	Bills                int // live recurring debits
	Sessions             int
	Transactions         int
	DaysSinceLastSession float64
	DaysSinceLastDebit   float64
	NightShare           float64 // share of activity between 00:00 and 06:00 local time
	TopAppFunction       string  // favourite app function, "" when none

	// Velocity of debits (see Velocity).
	Count1h, Count24h, Count7d, Count30d int
	Sum1h, Sum24h, Sum7d, Sum30d         decimal.Decimal
	CountToday                           int
	SumToday                             decimal.Decimal
	RemoteSinceStrongAuth                int
	SumSinceStrongAuth                   decimal.Decimal
	CountSession                         int // debits since the latest session began
	SumSession                           decimal.Decimal

	// Purchases (see RFM).
	Purchases    int
	PurchaseDays int
	Monetary     decimal.Decimal
	RecencyDays  float64
}

// Spending is a monthly spending rate per category (see Category), one
// field per category so that expressions read Profile.Spend.Childcare.
type Spending struct {
	Other, Groceries, Dining, Transport, Fuel, Travel, Shopping      float64
	Utilities, Telecom, Housing, Education, Childcare, Health        float64
	Insurance, Entertainment, Gambling, Cash, Loans, Fees, Transfers float64
}

// SpendingOf returns the Spending of per-category rates indexed by Category.
func SpendingOf(by *[NumCategories]float64) Spending {
	return Spending{
		Other: by[CategoryOther], Groceries: by[CategoryGroceries], Dining: by[CategoryDining],
		Transport: by[CategoryTransport], Fuel: by[CategoryFuel], Travel: by[CategoryTravel],
		Shopping: by[CategoryShopping], Utilities: by[CategoryUtilities], Telecom: by[CategoryTelecom],
		Housing: by[CategoryHousing], Education: by[CategoryEducation], Childcare: by[CategoryChildcare],
		Health: by[CategoryHealth], Insurance: by[CategoryInsurance], Entertainment: by[CategoryEntertainment],
		Gambling: by[CategoryGambling], Cash: by[CategoryCash], Loans: by[CategoryLoans],
		Fees: by[CategoryFees], Transfers: by[CategoryTransfers],
	}
}

// Of returns the rate of category c (0 for an unknown category).
func (s *Spending) Of(c Category) float64 {
	switch c {
	case CategoryOther:
		return s.Other
	case CategoryGroceries:
		return s.Groceries
	case CategoryDining:
		return s.Dining
	case CategoryTransport:
		return s.Transport
	case CategoryFuel:
		return s.Fuel
	case CategoryTravel:
		return s.Travel
	case CategoryShopping:
		return s.Shopping
	case CategoryUtilities:
		return s.Utilities
	case CategoryTelecom:
		return s.Telecom
	case CategoryHousing:
		return s.Housing
	case CategoryEducation:
		return s.Education
	case CategoryChildcare:
		return s.Childcare
	case CategoryHealth:
		return s.Health
	case CategoryInsurance:
		return s.Insurance
	case CategoryEntertainment:
		return s.Entertainment
	case CategoryGambling:
		return s.Gambling
	case CategoryCash:
		return s.Cash
	case CategoryLoans:
		return s.Loans
	case CategoryFees:
		return s.Fees
	case CategoryTransfers:
		return s.Transfers
	}
	return 0
}

// FeatureGroup selects parts of Features, so that a caller (a rule set, a
// segment catalogue, a campaign audience) computes only what its
// expressions read. Each group is filled from one kind of profile state;
// FeatureGroupOf maps a field name to its group.
type FeatureGroup uint32

// Feature groups.
const (
	FeatureAttributes FeatureGroup = 1 << iota // CustomerID, AgeYears, Occupation, TenureDays, HistoryDays, DeclaredIncome, Consent*
	FeatureFinancial                           // MonthlyIncome … RepaymentCapacity (see Financial)
	FeatureSpend                               // Spend
	FeatureIncome                              // IncomeStreams, SalaryMature, PensionIncome, IncomeStopped, SalaryDays, PensionDays
	FeatureBills                               // Bills, LoansOverdue, MaxDaysOverdue
	FeatureMonths                              // CreditsLastMonth … DebitsThisMonth
	FeatureIdentities                          // Devices, Networks, Places, Countries, Counterparties
	FeatureActivity                            // Sessions, Transactions, DaysSinceLastSession, DaysSinceLastDebit, NightShare, TopAppFunction
	FeatureVelocity                            // Count1h … SumSession
	FeaturePurchases                           // Purchases, PurchaseDays, Monetary, RecencyDays

	// AllFeatures selects every group: FeaturesInto(f, now, AllFeatures) is
	// Features(now).
	AllFeatures FeatureGroup = 1<<iota - 1
)

// featureGroups maps each field of Features to its group.
var featureGroups = map[string]FeatureGroup{
	"CustomerID": FeatureAttributes, "AgeYears": FeatureAttributes, "Occupation": FeatureAttributes,
	"TenureDays": FeatureAttributes, "HistoryDays": FeatureAttributes, "DeclaredIncome": FeatureAttributes,
	"ConsentSMS": FeatureAttributes, "ConsentEmail": FeatureAttributes, "ConsentPush": FeatureAttributes,

	"MonthlyIncome": FeatureFinancial, "IncomeCV": FeatureFinancial, "IncomeMonths": FeatureFinancial,
	"MonthlySpend": FeatureFinancial, "EssentialSpend": FeatureFinancial, "MonthlyDebt": FeatureFinancial,
	"Loans": FeatureFinancial, "OtherLenders": FeatureFinancial, "DTI": FeatureFinancial,
	"Disposable": FeatureFinancial, "PurchasingPower": FeatureFinancial, "RepaymentCapacity": FeatureFinancial,

	"Spend": FeatureSpend,

	"IncomeStreams": FeatureIncome, "SalaryMature": FeatureIncome, "PensionIncome": FeatureIncome,
	"IncomeStopped": FeatureIncome, "SalaryDays": FeatureIncome, "PensionDays": FeatureIncome,

	"Bills": FeatureBills, "LoansOverdue": FeatureBills, "MaxDaysOverdue": FeatureBills,

	"CreditsLastMonth": FeatureMonths, "DebitsLastMonth": FeatureMonths,
	"CreditsThisMonth": FeatureMonths, "DebitsThisMonth": FeatureMonths,

	"Devices": FeatureIdentities, "Networks": FeatureIdentities, "Places": FeatureIdentities,
	"Countries": FeatureIdentities, "Counterparties": FeatureIdentities,

	"Sessions": FeatureActivity, "Transactions": FeatureActivity, "DaysSinceLastSession": FeatureActivity,
	"DaysSinceLastDebit": FeatureActivity, "NightShare": FeatureActivity, "TopAppFunction": FeatureActivity,

	"Count1h": FeatureVelocity, "Count24h": FeatureVelocity, "Count7d": FeatureVelocity, "Count30d": FeatureVelocity,
	"Sum1h": FeatureVelocity, "Sum24h": FeatureVelocity, "Sum7d": FeatureVelocity, "Sum30d": FeatureVelocity,
	"CountToday": FeatureVelocity, "SumToday": FeatureVelocity, "RemoteSinceStrongAuth": FeatureVelocity,
	"SumSinceStrongAuth": FeatureVelocity, "CountSession": FeatureVelocity, "SumSession": FeatureVelocity,

	"Purchases": FeaturePurchases, "PurchaseDays": FeaturePurchases, "Monetary": FeaturePurchases,
	"RecencyDays": FeaturePurchases,
}

// FeatureGroupOf returns the group of the Features field with the given
// name, and false for a name that is not a field.
func FeatureGroupOf(field string) (FeatureGroup, bool) {
	g, ok := featureGroups[field]
	return g, ok
}

// FeatureGroupsOf returns the groups that hold the named fields; a name
// that is not a field of Features selects AllFeatures, so that a caller
// never computes too little.
func FeatureGroupsOf(fields []string) FeatureGroup {
	var g FeatureGroup
	for _, name := range fields {
		fg, ok := featureGroups[name]
		if !ok {
			return AllFeatures
		}
		g |= fg
	}
	return g
}

// Features returns the flat view of p at now, every group filled.
func (p *Profile) Features(now time.Time) Features {
	var f Features
	p.FeaturesInto(&f, now, AllFeatures)
	return f
}

// FeaturesInto sets f to the view of p at now with the fields of the groups
// selected filled and every other field at its zero value (durations in days
// at -1). Filled fields equal those of Features(now). Only the money fields
// (decimal.Decimal: months, velocity, purchases) allocate,
// so a caller that needs none computes the view without allocating. Days
// since an event are never negative: asked before it, they are 0.
func (p *Profile) FeaturesInto(f *Features, now time.Time, g FeatureGroup) {
	*f = Features{CustomerID: p.customerID, DaysSinceLastSession: -1, DaysSinceLastDebit: -1,
		RecencyDays: -1, SalaryDays: -1, PensionDays: -1}
	days := func(d time.Duration) float64 { return d.Hours() / 24 }
	t := now.Unix()
	loc := p.Location()
	if g&FeatureAttributes != 0 {
		if p.hasCustomer {
			c := &p.customer
			if !c.BirthDate.IsZero() {
				f.AgeYears = float64(yearsBetween(c.BirthDate, now))
			}
			f.Occupation = c.Occupation
			f.DeclaredIncome = c.DeclaredMonthlyIncome
			f.ConsentSMS, f.ConsentEmail, f.ConsentPush = c.Consent.SMS, c.Consent.Email, c.Consent.Push
		}
		f.TenureDays = days(p.Tenure(now))
		if p.seq > 0 {
			f.HistoryDays = math.Max(0, float64(t-p.first)/dayWidth)
		}
	}
	if g&(FeatureFinancial|FeatureSpend) != 0 {
		fin := p.Financial(now)
		if g&FeatureFinancial != 0 {
			f.MonthlyIncome, f.IncomeCV, f.IncomeMonths = fin.MonthlyIncome, fin.IncomeCV, fin.IncomeMonths
			f.MonthlySpend, f.EssentialSpend, f.MonthlyDebt = fin.MonthlySpend, fin.EssentialSpend, fin.MonthlyDebt
			f.Loans, f.OtherLenders, f.DTI = fin.Loans, fin.OtherLenders, fin.DTI
			f.Disposable, f.PurchasingPower, f.RepaymentCapacity = fin.Disposable, fin.PurchasingPower, fin.RepaymentCapacity
		}
		if g&FeatureSpend != 0 {
			f.Spend = SpendingOf(&fin.SpendByCategory)
		}
	}
	if g&FeatureIncome != 0 {
		for i := 0; i < int(p.nIncome); i++ {
			s := &p.income[i]
			if s.freq == FrequencyUnknown && s.kind != KindSalary && s.kind != KindPension {
				continue // a candidate, not a stream (see IncomeStreams)
			}
			switch st, _ := s.status(t, loc); {
			case st == StatusStopped && s.streak >= 3:
				f.IncomeStopped = true
			case st != StatusStopped:
				f.IncomeStreams++
				salary := s.kind == KindSalary || s.kind == KindPension
				if st == StatusMature && salary {
					f.SalaryMature = true
				}
				if s.kind == KindPension {
					f.PensionIncome = true
				}
				switch since := math.Max(0, float64(t-s.first)/dayWidth); s.kind {
				case KindSalary:
					f.SalaryDays = math.Max(f.SalaryDays, since)
				case KindPension:
					f.PensionDays = math.Max(f.PensionDays, since)
				}
			}
		}
	}
	if g&FeatureBills != 0 {
		for i := 0; i < int(p.nBills); i++ {
			s := &p.bills[i]
			if s.freq == FrequencyUnknown {
				continue // a candidate, not a bill (see Bills)
			}
			st, next := s.status(t, loc)
			if st != StatusStopped {
				f.Bills++
			}
			// A stream whose latest payment is recent but whose next is
			// past due is overdue, stopped or not; a loan paid off long ago
			// is not.
			if next == 0 || t <= next || t-s.times[0] > int64(overdueHorizon/time.Second) {
				continue
			}
			if s.kind == KindLoanRepayment {
				f.LoansOverdue++
			}
			f.MaxDaysOverdue = max(f.MaxDaysOverdue, int((t-next)/dayWidth))
		}
	}
	if g&FeatureMonths != 0 {
		f.CreditsLastMonth, f.DebitsLastMonth = decimal.Zero, decimal.Zero
		f.CreditsThisMonth, f.DebitsThisMonth = decimal.Zero, decimal.Zero
		var buf [monthsKept]month
		lt := now.In(loc)
		cur := int32(lt.Year()*12 + int(lt.Month()) - 1)
		for _, m := range p.monthsUpTo(&buf, now, true, 2) {
			switch m.num {
			case cur:
				f.CreditsThisMonth, f.DebitsThisMonth = fromUnits(m.credits), fromUnits(m.debits)
			case cur - 1:
				f.CreditsLastMonth, f.DebitsLastMonth = fromUnits(m.credits), fromUnits(m.debits)
			}
		}
	}
	if g&FeatureIdentities != 0 {
		f.Devices, f.Networks, f.Places = len(p.devices.items), len(p.networks.items), len(p.cells.items)
		f.Countries, f.Counterparties = len(p.countries.items), len(p.counterparties.items)
	}
	if g&FeatureActivity != 0 {
		f.Sessions, f.Transactions = int(p.sessions), int(p.transactions)
		if p.lastSession != 0 {
			f.DaysSinceLastSession = math.Max(0, float64(t-p.lastSession)/dayWidth)
		}
		if p.lastDebit != 0 {
			f.DaysSinceLastDebit = math.Max(0, float64(t-p.lastDebit)/dayWidth)
		}
		var night, all float64
		for i, v := range p.hours {
			all += float64(v)
			if i%24 < 6 {
				night += float64(v)
			}
		}
		if all > 0 {
			f.NightShare = night / all
		}
		if it := topMember(&p.appFunctions); it != nil {
			f.TopAppFunction = it.label
		}
	}
	if g&FeatureVelocity != 0 {
		v := p.Velocity(now)
		f.Count1h, f.Count24h, f.Count7d, f.Count30d = v.Count1h, v.Count24h, v.Count7d, v.Count30d
		f.Sum1h, f.Sum24h, f.Sum7d, f.Sum30d = v.Sum1h, v.Sum24h, v.Sum7d, v.Sum30d
		f.CountToday, f.SumToday = v.CountToday, v.SumToday
		f.RemoteSinceStrongAuth, f.SumSinceStrongAuth = v.RemoteSinceStrongAuth, v.SumSinceStrongAuth
		f.CountSession, f.SumSession = v.CountSession, v.SumSession
	}
	if g&FeaturePurchases != 0 {
		f.Purchases, f.PurchaseDays, f.Monetary = int(p.rfm.count), int(p.rfm.days), fromUnits(p.rfm.sum)
		if p.rfm.count > 0 {
			f.RecencyDays = math.Max(0, float64(t-p.rfm.last)/dayWidth)
		}
	}
}

// topMember returns the heaviest member of s (ties: the smaller label, as
// the sorted views order them), or nil when s is empty.
func topMember(s *topK) *seen {
	var best *seen
	for i := range s.items {
		it := &s.items[i]
		if best == nil || it.w > best.w || it.w == best.w && labelOrHashLess(it, best) {
			best = it
		}
	}
	return best
}

func labelOrHashLess(a, b *seen) bool {
	if a.label != "" || b.label != "" {
		return a.label < b.label
	}
	return a.id < b.id
}

// overdueHorizon is how long after its latest payment a recurring stream
// still counts as overdue rather than ended.
const overdueHorizon = 90 * 24 * time.Hour

// yearsBetween returns the whole years from birth to now.
func yearsBetween(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		y--
	}
	return y
}
