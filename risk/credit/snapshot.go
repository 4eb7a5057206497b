package credit

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// overdueHorizon is how recently a loan must have been paid for a past-due
// next payment to count as overdue rather than as a loan paid off.
const overdueHorizon = 90 * 24 * time.Hour

// flowMonths is how many complete months Snapshot.NetFlow covers.
const flowMonths = 3

// Snapshot is a borrower's financial and behavioural position at one time,
// read from the profile: the inputs of behaviour scorecards (see
// ProfileVariables), the evidence of cross-verification, and the reference
// that in-loan review and post-loan monitoring compare a later profile with.
// A Decision keeps the snapshot taken at application time; store it with
// the loan. Amounts are statistics in the profile currency per month
// (float64), as in profile.Financial. It holds no NaN and encodes to JSON.
type Snapshot struct {
	At         time.Time `json:"at"`
	CustomerID string    `json:"customer_id"`
	Currency   string    `json:"currency"`
	// Seq is profile.Seq of the profile read: the state, for replay.
	Seq uint64 `json:"seq"`

	// Income (see profile.Financial and profile.Features).
	MonthlyIncome     float64 `json:"monthly_income"`
	IncomeFromStreams bool    `json:"income_from_streams"`
	IncomeCV          float64 `json:"income_cv"`
	IncomeMonths      int     `json:"income_months"`  // complete months behind IncomeCV
	IncomeStreams     int     `json:"income_streams"` // live income streams
	SalaryMature      bool    `json:"salary_mature"`
	IncomeStopped     bool    `json:"income_stopped"` // a matured income stream has stopped
	SalaryDays        float64 `json:"salary_days"`    // age of the oldest live salary or pension stream; -1 none
	// Payers are the live salary and pension payers, sorted.
	Payers []string `json:"payers,omitempty"`

	// Spending and debt.
	MonthlySpend    float64 `json:"monthly_spend"`
	EssentialSpend  float64 `json:"essential_spend"`
	MonthlyDebt     float64 `json:"monthly_debt"`
	DTI             float64 `json:"dti"`
	Disposable      float64 `json:"disposable"`
	PurchasingPower float64 `json:"purchasing_power"`
	Loans           int     `json:"loans"`         // live loan-repayment streams
	OtherLenders    int     `json:"other_lenders"` // of which to other lenders
	// LoansOverdue counts loan repayments past their expected date (last
	// paid within 90 days) and MaxLoanDaysOverdue is the most days one is
	// past it.
	LoansOverdue       int `json:"loans_overdue"`
	MaxLoanDaysOverdue int `json:"max_loan_days_overdue"`
	// Lenders are the live loan-repayment streams, sorted by name.
	Lenders []Lender `json:"lenders,omitempty"`

	// Money flows of complete calendar months (profile.Months).
	CompleteMonths int     `json:"complete_months"` // complete months of history, up to 12
	IncomeLast3    float64 `json:"income_last3"`    // mean monthly income of the last 3 complete months
	IncomePrev3    float64 `json:"income_prev3"`    // mean of the 3 before them (0 when fewer than 6)
	NetFlow        float64 `json:"net_flow"`        // credits − debits over the last 3 complete months (or fewer)
	NetFlowMonths  int     `json:"net_flow_months"`

	// Attributes and activity.
	AgeYears             float64 `json:"age_years"` // 0 when the birth date is unknown
	Occupation           string  `json:"occupation,omitempty"`
	DeclaredIncome       float64 `json:"declared_income"` // declared monthly income on file; 0 when none
	TenureDays           float64 `json:"tenure_days"`
	HistoryDays          float64 `json:"history_days"`
	Devices              int     `json:"devices"`
	DaysSinceLastSession float64 `json:"days_since_last_session"` // -1 when never

	// Behaviour score, filled by an Engine with a behaviour model.
	HasBehaviour   bool    `json:"has_behaviour"`
	BehaviourScore float64 `json:"behaviour_score"`
	BehaviourPD    float64 `json:"behaviour_pd"`
}

// Income returns the monthly income credit decisions use: the profile's
// observed monthly income (MonthlyIncome), or the mean income of the last
// three complete months when that is lower. The profile counts a young
// stream at its full cadence, so a few irregular transfers can look like a
// high run-rate for a while; the lower of the two is the conservative
// measure of what the borrower earns, as underwriters take the lower of
// stated and verified figures.
func (s *Snapshot) Income() float64 {
	if s.CompleteMonths >= 3 && s.IncomeLast3 > 0 && s.IncomeLast3 < s.MonthlyIncome {
		return s.IncomeLast3
	}
	return s.MonthlyIncome
}

// Lender is one live loan-repayment stream of a snapshot.
type Lender struct {
	Name          string  `json:"name"`
	Other         bool    `json:"other"`          // a lender other than this bank
	MonthlyAmount float64 `json:"monthly_amount"` // average repayment per month
	// OffCadence counts the repayments so far that came late or after a
	// missed one (profile.Stream.OffCadence); monitoring compares it with
	// today's count.
	OffCadence int `json:"off_cadence"`
}

// TakeSnapshot reads the borrower's position from p at now. It only reads
// p. Bounds follow the profile's (12 months of flows, capped streams).
func TakeSnapshot(p *profile.Profile, now time.Time) Snapshot {
	s, _ := observe(p, now)
	return s
}

// observe takes the snapshot and returns the income streams read for it.
func observe(p *profile.Profile, now time.Time) (Snapshot, []profile.Stream) {
	s := Snapshot{At: now, CustomerID: p.CustomerID(), Currency: p.Currency(), Seq: p.Seq(), SalaryDays: -1, DaysSinceLastSession: -1}
	if p.Seq() == 0 && p.CustomerID() == "" {
		return s, nil
	}
	var f profile.Features
	p.FeaturesInto(&f, now, profile.FeatureAttributes|profile.FeatureIncome|profile.FeatureIdentities|profile.FeatureActivity)
	s.AgeYears, s.Occupation, s.TenureDays, s.HistoryDays = f.AgeYears, f.Occupation, f.TenureDays, f.HistoryDays
	s.DeclaredIncome = f.DeclaredIncome.InexactFloat64()
	s.IncomeStreams, s.SalaryMature, s.IncomeStopped, s.SalaryDays = f.IncomeStreams, f.SalaryMature, f.IncomeStopped, f.SalaryDays
	s.Devices, s.DaysSinceLastSession = f.Devices, f.DaysSinceLastSession

	fin := p.Financial(now)
	s.MonthlyIncome, s.IncomeFromStreams = fin.MonthlyIncome, fin.IncomeFromStreams
	s.IncomeCV, s.IncomeMonths = fin.IncomeCV, fin.IncomeMonths
	s.MonthlySpend, s.EssentialSpend, s.MonthlyDebt = fin.MonthlySpend, fin.EssentialSpend, fin.MonthlyDebt
	s.DTI, s.Disposable, s.PurchasingPower = fin.DTI, fin.Disposable, fin.PurchasingPower
	s.Loans, s.OtherLenders = fin.Loans, fin.OtherLenders

	income := p.IncomeStreams(now)
	for _, st := range income {
		if st.Status != profile.StatusStopped && (st.Kind == profile.KindSalary || st.Kind == profile.KindPension) {
			s.Payers = append(s.Payers, st.Counterparty)
		}
	}
	slices.Sort(s.Payers)
	s.Payers = slices.Compact(s.Payers)

	for _, b := range p.Bills(now) {
		if b.Kind != profile.KindLoanRepayment {
			continue
		}
		if b.Status != profile.StatusStopped {
			s.Lenders = append(s.Lenders, Lender{Name: b.Counterparty, Other: b.OtherLender, MonthlyAmount: b.MonthlyAmount,
				OffCadence: b.OffCadence})
		}
		if d := loanDaysOverdue(&b, now); d > 0 {
			s.LoansOverdue++
			s.MaxLoanDaysOverdue = max(s.MaxLoanDaysOverdue, d)
		}
	}
	slices.SortFunc(s.Lenders, func(a, b Lender) int { return strings.Compare(a.Name, b.Name) })

	months := p.Months(now)
	loc := p.Location()
	lt := now.In(loc)
	if len(months) > 0 && months[0].Year == lt.Year() && months[0].Month == lt.Month() {
		months = months[1:] // the current month is incomplete
	}
	// The profile's first month is incomplete unless history began on its
	// first day.
	if n := len(months); n > 0 {
		ft := firstEvent(p, loc)
		if last := months[n-1]; last.Year == ft.Year() && last.Month == ft.Month() && ft.Day() > 1 {
			months = months[:n-1]
		}
	}
	s.CompleteMonths = len(months)
	var sum3, prev3 float64
	for i, m := range months {
		inc := m.Income.InexactFloat64()
		switch {
		case i < 3:
			sum3 += inc
		case i < 6:
			prev3 += inc
		}
		if i < flowMonths {
			s.NetFlow += m.Credits.Sub(m.Debits).InexactFloat64()
			s.NetFlowMonths++
		}
	}
	if n := min(3, len(months)); n > 0 {
		s.IncomeLast3 = sum3 / float64(n)
	}
	if len(months) >= 6 {
		s.IncomePrev3 = prev3 / 3
	}
	return s, income
}

// firstEvent returns the time of the profile's first event in loc.
func firstEvent(p *profile.Profile, loc *time.Location) time.Time {
	return p.FirstSeen().In(loc)
}

// loanDaysOverdue returns the whole days a loan-repayment stream is past its
// expected payment at now, 0 when not past due or when the last payment is
// older than overdueHorizon (a loan paid off).
func loanDaysOverdue(b *profile.Stream, now time.Time) int {
	if b.Kind != profile.KindLoanRepayment || b.NextDate.IsZero() || !now.After(b.NextDate) || now.Sub(b.LastDate) > overdueHorizon {
		return 0
	}
	return b.DaysOverdue
}

// A profile variable is one number or category of a Snapshot that a
// scorecard can read.
type profileVar struct {
	name string
	kind varKind
	num  func(s *Snapshot) float64 // NaN: missing
	cat  func(s *Snapshot) string  // "": missing
}

type varKind uint8

const (
	numVar varKind = iota
	catVar
)

func ratio(a, b float64) float64 {
	if b <= 0 || math.IsNaN(a) {
		return math.NaN()
	}
	return a / b
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func orMissing(v float64, missing bool) float64 {
	if missing {
		return math.NaN()
	}
	return v
}

// profileVars is the catalogue of profile variables, read only. Its names
// and meanings are documented on ProfileVariables.
var profileVars = [...]profileVar{
	{name: "monthly_income", num: func(s *Snapshot) float64 { return s.MonthlyIncome }},
	{name: "income_cv", num: func(s *Snapshot) float64 { return orMissing(s.IncomeCV, s.IncomeMonths < 3) }},
	{name: "income_months", num: func(s *Snapshot) float64 { return float64(s.IncomeMonths) }},
	{name: "income_streams", num: func(s *Snapshot) float64 { return float64(s.IncomeStreams) }},
	{name: "salary_mature", num: func(s *Snapshot) float64 { return bool01(s.SalaryMature) }},
	{name: "income_stopped", num: func(s *Snapshot) float64 { return bool01(s.IncomeStopped) }},
	{name: "salary_days", num: func(s *Snapshot) float64 { return orMissing(s.SalaryDays, s.SalaryDays < 0) }},
	{name: "income_trend", num: func(s *Snapshot) float64 { return ratio(orMissing(s.IncomeLast3, s.CompleteMonths < 6), s.IncomePrev3) }},
	{name: "monthly_spend", num: func(s *Snapshot) float64 { return s.MonthlySpend }},
	{name: "spend_to_income", num: func(s *Snapshot) float64 { return ratio(s.MonthlySpend, s.MonthlyIncome) }},
	{name: "monthly_debt", num: func(s *Snapshot) float64 { return s.MonthlyDebt }},
	{name: "dti", num: func(s *Snapshot) float64 { return ratio(s.MonthlyDebt, s.MonthlyIncome) }},
	{name: "disposable_ratio", num: func(s *Snapshot) float64 { return ratio(s.Disposable, s.MonthlyIncome) }},
	{name: "loans", num: func(s *Snapshot) float64 { return float64(s.Loans) }},
	{name: "other_lenders", num: func(s *Snapshot) float64 { return float64(s.OtherLenders) }},
	{name: "loans_overdue", num: func(s *Snapshot) float64 { return float64(s.LoansOverdue) }},
	{name: "max_loan_days_overdue", num: func(s *Snapshot) float64 { return float64(s.MaxLoanDaysOverdue) }},
	{name: "net_flow_ratio", num: func(s *Snapshot) float64 {
		return ratio(orMissing(s.NetFlow, s.NetFlowMonths == 0), s.MonthlyIncome*float64(s.NetFlowMonths))
	}},
	{name: "age_years", num: func(s *Snapshot) float64 { return orMissing(s.AgeYears, s.AgeYears <= 0) }},
	{name: "tenure_days", num: func(s *Snapshot) float64 { return s.TenureDays }},
	{name: "history_days", num: func(s *Snapshot) float64 { return s.HistoryDays }},
	{name: "declared_income_ratio", num: func(s *Snapshot) float64 {
		return ratio(orMissing(s.DeclaredIncome, s.DeclaredIncome <= 0), s.MonthlyIncome)
	}},
	{name: "devices", num: func(s *Snapshot) float64 { return float64(s.Devices) }},
	{name: "days_since_last_session", num: func(s *Snapshot) float64 {
		return orMissing(s.DaysSinceLastSession, s.DaysSinceLastSession < 0)
	}},
	{name: "occupation", kind: catVar, cat: func(s *Snapshot) string { return s.Occupation }},
}

// ProfileVariables returns the names of the profile variables a model can
// read (through a Mapping, or by having a variable of the same name), in a
// fixed order. All are numeric except occupation. A missing value is NaN
// (or "" for occupation), which the scorecard puts in its missing bin.
//
//	monthly_income          observed monthly income (profile.Financial)
//	income_cv               coefficient of variation of monthly income; missing under 3 months
//	income_months           complete months behind income_cv (up to 6)
//	income_streams          live income streams
//	salary_mature           1 when a salary or pension stream is mature, else 0
//	income_stopped          1 when a matured income stream has stopped, else 0
//	salary_days             days since the oldest live salary or pension began; missing when none
//	income_trend            mean income of the last 3 complete months / the 3 before; missing under 6 months
//	monthly_spend           consumption per month
//	spend_to_income         monthly_spend / monthly_income; missing without income
//	monthly_debt            monthly loan service
//	dti                     monthly_debt / monthly_income; missing without income
//	disposable_ratio        (income − spend − debt) / income; missing without income
//	loans                   live loan-repayment streams
//	other_lenders           of which to other lenders
//	loans_overdue           loan repayments past their expected date
//	max_loan_days_overdue   the most days one is past it
//	net_flow_ratio          (credits − debits) over the last 3 complete months / (income × months)
//	age_years               age; missing when the birth date is unknown
//	tenure_days             days as a customer
//	history_days            days since the profile's first event
//	declared_income_ratio   declared income on file / monthly_income; missing when either is absent
//	devices                 known devices
//	days_since_last_session missing when never
//	occupation              recorded occupation (categorical)
func ProfileVariables() []string {
	out := make([]string, len(profileVars))
	for i := range profileVars {
		out[i] = profileVars[i].name
	}
	return out
}

func profileVarIndex(name string) int {
	for i := range profileVars {
		if profileVars[i].name == name {
			return i
		}
	}
	return -1
}

// SnapshotDataset builds a development sample for a behaviour scorecard:
// one row per snapshot with the named profile variables (nil means all of
// ProfileVariables) and the outcome observed after it (bad[i] true when
// snapshot i was followed by the event the scorecard predicts, such as a
// missed repayment within the next months). Fit it with scorecard.Fit; the
// model then reads the same variables from live profiles. A name that is
// not a profile variable is a *VarError (ErrModel); bad must have one entry
// per snapshot (ErrInvalid).
func SnapshotDataset(snaps []Snapshot, bad []bool, vars []string) (*scorecard.Dataset, error) {
	if len(bad) != len(snaps) {
		return nil, fieldErr("bad", "need one outcome per snapshot", ErrInvalid)
	}
	if vars == nil {
		vars = ProfileVariables()
	}
	ds := &scorecard.Dataset{Bad: slices.Clone(bad), Target: "bad", BadLabel: "1", GoodLabel: "0"}
	for _, name := range vars {
		k := profileVarIndex(name)
		if k < 0 {
			return nil, &VarError{Model: SourceBehaviour, Var: name, Reason: "not a profile variable", Err: ErrModel}
		}
		v := &profileVars[k]
		col := scorecard.Column{Name: name}
		if v.kind == numVar {
			col.Num = make([]float64, len(snaps))
			for i := range snaps {
				col.Num[i] = v.num(&snaps[i])
			}
		} else {
			col.Kind = scorecard.Categorical
			col.Cat = make([]string, len(snaps))
			for i := range snaps {
				col.Cat[i] = v.cat(&snaps[i])
			}
		}
		ds.Columns = append(ds.Columns, col)
	}
	return ds, nil
}
