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
	DeclaredIncome decimal.Decimal
	ConsentSMS     bool
	ConsentEmail   bool
	ConsentPush    bool

	// Financial (see Financial).
	MonthlyIncome     float64
	IncomeCV          float64
	IncomeMonths      int
	IncomeStreams     int  // live income streams (not stopped)
	SalaryMature      bool // a live salary or pension stream with three payments on cadence
	PensionIncome     bool // a live pension stream
	IncomeStopped     bool // an income stream that had matured has stopped
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
	// Spend is the monthly spending rate per category name ("groceries",
	// "education", ...; see Category), for Spend["childcare"] > 0.
	Spend map[string]float64
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

	// Purchases (see RFM).
	Purchases    int
	PurchaseDays int
	Monetary     decimal.Decimal
	RecencyDays  float64
}

// Features returns the flat view of p at now.
func (p *Profile) Features(now time.Time) Features {
	f := Features{CustomerID: p.customerID, DaysSinceLastSession: -1, DaysSinceLastDebit: -1, RecencyDays: -1}
	days := func(d time.Duration) float64 { return d.Hours() / 24 }
	if c, ok := p.Customer(); ok {
		if !c.BirthDate.IsZero() {
			f.AgeYears = float64(yearsBetween(c.BirthDate, now))
		}
		f.Occupation = c.Occupation
		f.DeclaredIncome = c.DeclaredMonthlyIncome
		f.ConsentSMS, f.ConsentEmail, f.ConsentPush = c.Consent.SMS, c.Consent.Email, c.Consent.Push
	}
	f.TenureDays = days(p.Tenure(now))

	fin := p.Financial(now)
	f.MonthlyIncome, f.IncomeCV, f.IncomeMonths = fin.MonthlyIncome, fin.IncomeCV, fin.IncomeMonths
	f.MonthlySpend, f.EssentialSpend, f.MonthlyDebt = fin.MonthlySpend, fin.EssentialSpend, fin.MonthlyDebt
	f.Loans, f.OtherLenders, f.DTI = fin.Loans, fin.OtherLenders, fin.DTI
	f.Disposable, f.PurchasingPower, f.RepaymentCapacity = fin.Disposable, fin.PurchasingPower, fin.RepaymentCapacity
	f.Spend = make(map[string]float64, NumCategories)
	for c, v := range fin.SpendByCategory {
		f.Spend[Category(c).String()] = v
	}
	for _, s := range p.IncomeStreams(now) {
		switch {
		case s.Status == StatusStopped && s.OnCadence >= 3:
			f.IncomeStopped = true
		case s.Status != StatusStopped:
			f.IncomeStreams++
			if s.Status == StatusMature && (s.Kind == KindSalary || s.Kind == KindPension) {
				f.SalaryMature = true
			}
			if s.Kind == KindPension {
				f.PensionIncome = true
			}
		}
	}
	for _, s := range p.Bills(now) {
		if s.Status != StatusStopped {
			f.Bills++
		}
		// A stream whose latest payment is recent but whose next is past
		// due is overdue, stopped or not; a loan paid off long ago is not.
		if s.DaysOverdue == 0 || now.Sub(s.LastDate) > overdueHorizon {
			continue
		}
		if s.Kind == KindLoanRepayment {
			f.LoansOverdue++
		}
		f.MaxDaysOverdue = max(f.MaxDaysOverdue, s.DaysOverdue)
	}
	ms := p.monthsUpTo(now, true, 2)
	f.CreditsLastMonth, f.DebitsLastMonth = decimal.Zero, decimal.Zero
	f.CreditsThisMonth, f.DebitsThisMonth = decimal.Zero, decimal.Zero
	lt := now.In(p.Location())
	cur := int32(lt.Year()*12 + int(lt.Month()) - 1)
	for _, m := range ms {
		switch m.num {
		case cur:
			f.CreditsThisMonth, f.DebitsThisMonth = fromUnits(m.credits), fromUnits(m.debits)
		case cur - 1:
			f.CreditsLastMonth, f.DebitsLastMonth = fromUnits(m.credits), fromUnits(m.debits)
		}
	}

	f.Devices, f.Networks, f.Places = len(p.devices.items), len(p.networks.items), len(p.cells.items)
	f.Countries, f.Counterparties = len(p.countries.items), len(p.counterparties.items)
	a := p.Activity()
	f.Sessions, f.Transactions = a.Sessions, a.Transactions
	if !a.LastSession.IsZero() {
		f.DaysSinceLastSession = days(now.Sub(a.LastSession))
	}
	if !a.LastDebit.IsZero() {
		f.DaysSinceLastDebit = days(now.Sub(a.LastDebit))
	}
	hours := p.ActiveHours()
	for i, v := range hours {
		if i%24 < 6 {
			f.NightShare += v
		}
	}
	if fs := p.AppFunctions(now); len(fs) > 0 {
		f.TopAppFunction = fs[0].Key
	}

	v := p.Velocity(now)
	f.Count1h, f.Count24h, f.Count7d, f.Count30d = v.Count1h, v.Count24h, v.Count7d, v.Count30d
	f.Sum1h, f.Sum24h, f.Sum7d, f.Sum30d = v.Sum1h, v.Sum24h, v.Sum7d, v.Sum30d
	f.CountToday, f.SumToday = v.CountToday, v.SumToday
	f.RemoteSinceStrongAuth, f.SumSinceStrongAuth = v.RemoteSinceStrongAuth, v.SumSinceStrongAuth

	r := p.RFM(now)
	f.Purchases, f.PurchaseDays, f.Monetary = r.Purchases, r.PurchaseDays, r.Monetary
	if r.Purchases > 0 {
		f.RecencyDays = math.Max(0, days(r.Recency))
	}
	return f
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
