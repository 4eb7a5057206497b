package credit

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// recentPayment is how recently a loan payee must have been paid for a
// stream that lost its cadence altogether to count as irregular rather than
// ended.
const recentPayment = 45 * 24 * time.Hour

// Alert is one early warning about a loan (or, from CheckDrift, about a
// model). Alerts are deterministic: the same loan, profile state and time
// give the same alerts in the same order (critical first, then by code and
// subject).
type Alert struct {
	LoanID     string    `json:"loan_id,omitempty"`
	CustomerID string    `json:"customer_id,omitempty"`
	At         time.Time `json:"at"`
	Code       Code      `json:"code"`
	Severity   Severity  `json:"severity"`
	// Value is the measure (see each code) and Threshold the policy
	// threshold it crossed (0 when the alert has none).
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	// Subject is the payer, lender or model variable concerned ("" when
	// none).
	Subject string `json:"subject,omitempty"`
}

// change is what moved between origination and now.
type change struct {
	now          Snapshot
	bills        []profile.Stream
	ratio        float64 // income now / at origination; 1 when the origination income was 0
	stopped      []string
	replaced     bool     // a live salary from a payer not paying at origination
	newLenders   []string // other lenders not present at origination
	overdue      []overdueLoan
	irregular    []string
	drain        float64 // net outflow in months of origination income
	drainKnown   bool
	behNow       scorecard.Result
	behOrig      scorecard.Result
	hasBeh       bool
	monthsOnBook int
}

type overdueLoan struct {
	lender string
	days   int
}

// compare reads the profile at now against the loan's origination.
func (e *Engine) compare(loan *Loan, p *profile.Profile, now time.Time) (*change, error) {
	if now.IsZero() {
		return nil, fieldErr("now", "", ErrMissing)
	}
	if err := loan.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fieldErr("profile", "", ErrMissing)
	}
	if p.CustomerID() != loan.CustomerID {
		return nil, fieldErr("profile", "profile of another customer", ErrWrongCustomer)
	}
	if now.Before(loan.Start) {
		return nil, fieldErr("now", "before the loan started", ErrInvalid)
	}
	if err := checkWatermark(p, now); err != nil {
		return nil, err
	}
	o := &loan.Origination
	c := &change{ratio: 1}
	var income []profile.Stream
	c.now, income = observe(p, now)
	c.bills = p.Bills(now)
	c.monthsOnBook = monthsBetween(loan.Start, now)
	if inc := o.Income(); inc > 0 {
		c.ratio = c.now.Income() / inc
	}

	// Salaries: payers at origination that are no longer live.
	live := map[string]bool{}
	for _, s := range income {
		if s.Status != profile.StatusStopped && (s.Kind == profile.KindSalary || s.Kind == profile.KindPension) {
			live[s.Counterparty] = true
		}
	}
	was := map[string]bool{}
	for _, name := range o.Payers {
		was[name] = true
		if !live[name] {
			c.stopped = append(c.stopped, name)
		}
	}
	for name := range live {
		if !was[name] {
			c.replaced = true
		}
	}

	// Lenders.
	orig := map[string]bool{}
	for _, l := range o.Lenders {
		orig[l.Name] = true
	}
	for _, l := range c.now.Lenders {
		if l.Other && !orig[l.Name] {
			c.newLenders = append(c.newLenders, l.Name)
		}
	}
	listed := map[string]*profile.Stream{}
	for i := range c.bills {
		b := &c.bills[i]
		if b.Kind != profile.KindLoanRepayment {
			continue
		}
		listed[b.Counterparty] = b
		if d := loanDaysOverdue(b, now); d > e.pol.LateGraceDays {
			c.overdue = append(c.overdue, overdueLoan{b.Counterparty, d})
		}
	}
	// A repayment stream paid late or after a missed repayment since
	// origination (the profile keeps the cadence and counts the
	// irregularity), or one that lost its cadence altogether: dropped from
	// the bills but paid recently.
	for _, l := range o.Lenders {
		if b, ok := listed[l.Name]; ok {
			if b.Status != profile.StatusStopped && b.OffCadence > l.OffCadence && loanDaysOverdue(b, now) <= e.pol.LateGraceDays {
				c.irregular = append(c.irregular, l.Name)
			}
			continue
		}
		// Not listed: the profile still tracks the payee (as a
		// counterparty or a stream without cadence) if it was paid lately.
		ev := profile.Event{Type: profile.TypeTransaction, CustomerID: loan.CustomerID, Time: now, Counterparty: l.Name}
		if n := e.builder.Familiarity(p, &ev).Counterparty; n.Known && now.Sub(n.Last) <= recentPayment {
			c.irregular = append(c.irregular, l.Name)
		}
	}

	// Balance drain over complete months after the origination month.
	c.drain, c.drainKnown = e.drain(loan, p, now)

	// Behaviour score, origination re-scored with today's model so that
	// both come from the same scorecard.
	if e.beh != nil {
		var none Application
		reasons := []scorecard.Reason{}
		bnow, _, err := e.score(SourceBehaviour, e.beh, e.behFill, e.behHasNum, e.behHasCat, &none, &c.now, reasons)
		if err != nil {
			return nil, err
		}
		borig, _, err := e.score(SourceBehaviour, e.beh, e.behFill, e.behHasNum, e.behHasCat, &none, o, reasons)
		if err != nil {
			return nil, err
		}
		c.behNow, c.behOrig, c.hasBeh = bnow, borig, true
		c.now.HasBehaviour, c.now.BehaviourScore, c.now.BehaviourPD = true, bnow.Score, bnow.PD
	}
	slices.Sort(c.stopped)
	slices.Sort(c.newLenders)
	slices.Sort(c.irregular)
	return c, nil
}

// drain returns the net outflow (debits − credits) over the last
// Warning.DrainMonths complete months after the loan's start month, in
// months of origination income (today's income when that was 0), less the
// loan amount while the window includes the first month after the start
// (spending a loan's proceeds is not a drain).
func (e *Engine) drain(loan *Loan, p *profile.Profile, now time.Time) (float64, bool) {
	loc := p.Location()
	start := monthNum(loan.Start.In(loc))
	cur := monthNum(now.In(loc))
	var out decimal.Decimal
	n := 0
	first := false
	for _, m := range p.Months(now) {
		mn := m.Year*12 + int(m.Month) - 1
		if mn >= cur || mn <= start {
			continue
		}
		if n == e.pol.Warning.DrainMonths {
			break
		}
		out = out.Add(m.Debits).Sub(m.Credits)
		n++
		if mn == start+1 {
			first = true
		}
	}
	if n == 0 {
		return 0, false
	}
	if first {
		out = out.Sub(loan.Amount)
	}
	inc := loan.Origination.Income()
	if inc <= 0 {
		snap := TakeSnapshot(p, now)
		inc = snap.Income()
	}
	if inc <= 0 {
		return 0, false
	}
	return math.Max(0, out.InexactFloat64()/inc), true
}

func monthNum(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// monthsBetween returns whole calendar months from a to b.
func monthsBetween(a, b time.Time) int {
	m := monthNum(b) - monthNum(a)
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}

// Warn monitors one loan: it compares the borrower's profile at now with
// the snapshot at origination and raises alerts (see the package
// documentation for the rules and WarningPolicy for the thresholds):
//
//	SALARY_STOPPED       critical  a salary or pension paid at origination stopped, nothing replaces it
//	EMPLOYER_CHANGED     info      it stopped and another payer's salary is live
//	INCOME_DROP          warning/critical  income down by IncomeDropWarning/IncomeDropCritical
//	BALANCE_DRAIN        warning/critical  net outflow of DrainWarning/DrainCritical months of income
//	NEW_OTHER_LENDER     warning (critical from NewLendersCritical)  repayments to a lender absent at origination
//	REPAYMENT_LATE       warning   a loan repayment more than LateGraceDays past due
//	REPAYMENT_MISSED     critical  one at least DelinquentDays past due
//	REPAYMENT_IRREGULAR  warning   a repayment stream of origination lost its cadence (paid late or skipped)
//	BEHAVIOUR_SCORE_DROP warning/critical  behaviour score down ScoreDropWarning/ScoreDropCritical PDOs
//
// The profile must be the loan customer's and hold no event later than now
// (plus five minutes). Warn only reads it.
//
// The profile sees repayments, not the other lenders' schedules: a loan
// repaid in full looks overdue until its last payment is 90 days old, and
// two loans from one lender form one stream. The bank's own loans are
// better watched on its loan system; these alerts add what the account
// shows about the rest.
func (e *Engine) Warn(loan *Loan, p *profile.Profile, now time.Time) ([]Alert, error) {
	c, err := e.compare(loan, p, now)
	if err != nil {
		return nil, err
	}
	w := &e.pol.Warning
	var out []Alert
	add := func(code Code, sev Severity, val, thr float64, subject string) {
		out = append(out, Alert{LoanID: loan.ID, CustomerID: loan.CustomerID, At: now, Code: code, Severity: sev, Value: val, Threshold: thr, Subject: subject})
	}
	for _, name := range c.stopped {
		if c.replaced {
			add(CodeEmployerChanged, Info, 0, 0, name)
		} else {
			add(CodeSalaryStopped, Critical, 0, 0, name)
		}
	}
	if drop := 1 - c.ratio; loan.Origination.Income() > 0 {
		switch {
		case drop >= w.IncomeDropCritical:
			add(CodeIncomeDrop, Critical, c.ratio, 1-w.IncomeDropCritical, "")
		case drop >= w.IncomeDropWarning:
			add(CodeIncomeDrop, Warning, c.ratio, 1-w.IncomeDropWarning, "")
		}
	}
	if c.drainKnown {
		switch {
		case c.drain >= w.DrainCritical:
			add(CodeBalanceDrain, Critical, c.drain, w.DrainCritical, "")
		case c.drain >= w.DrainWarning:
			add(CodeBalanceDrain, Warning, c.drain, w.DrainWarning, "")
		}
	}
	sev := Warning
	if len(c.newLenders) >= w.NewLendersCritical {
		sev = Critical
	}
	for _, name := range c.newLenders {
		add(CodeNewOtherLender, sev, float64(len(c.newLenders)), 1, name)
	}
	for _, od := range c.overdue {
		if od.days >= e.pol.DelinquentDays {
			add(CodeRepaymentMissed, Critical, float64(od.days), float64(e.pol.DelinquentDays), od.lender)
		} else {
			add(CodeRepaymentLate, Warning, float64(od.days), float64(e.pol.LateGraceDays), od.lender)
		}
	}
	for _, name := range c.irregular {
		add(CodeRepaymentIrregular, Warning, 0, 0, name)
	}
	if c.hasBeh {
		pdo := e.behScale.PDO
		drop := (c.behOrig.Score - c.behNow.Score) / pdo
		switch {
		case drop >= w.ScoreDropCritical:
			add(CodeScoreDrop, Critical, drop*pdo, w.ScoreDropCritical*pdo, "")
		case drop >= w.ScoreDropWarning:
			add(CodeScoreDrop, Warning, drop*pdo, w.ScoreDropWarning*pdo, "")
		}
	}
	sortAlerts(out)
	return out, nil
}

func sortAlerts(a []Alert) {
	slices.SortStableFunc(a, func(x, y Alert) int {
		if c := cmp.Compare(y.Severity, x.Severity); c != 0 {
			return c
		}
		if c := strings.Compare(string(x.Code), string(y.Code)); c != 0 {
			return c
		}
		return strings.Compare(x.Subject, y.Subject)
	})
}

// ReviewAction is the outcome of an in-loan review.
type ReviewAction uint8

// Review actions, from best to worst.
const (
	ActionIncrease ReviewAction = iota + 1 // eligible for a higher limit
	ActionKeep                             // nothing to do
	ActionWatch                            // keep, and review more often
	ActionDecrease                         // lower the limit (to Review.Limit)
	ActionFreeze                           // stop further drawings
)

var actionNames = [...]string{ActionIncrease: "increase", ActionKeep: "keep", ActionWatch: "watch", ActionDecrease: "decrease", ActionFreeze: "freeze"}

// String returns "increase", "keep", "watch", "decrease" or "freeze".
func (a ReviewAction) String() string {
	if a >= ActionIncrease && a <= ActionFreeze {
		return actionNames[a]
	}
	return "unknown"
}

// MarshalText encodes the action's name.
func (a ReviewAction) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Review is the in-loan re-assessment of a borrower's income level and
// stability.
type Review struct {
	LoanID     string       `json:"loan_id"`
	CustomerID string       `json:"customer_id"`
	At         time.Time    `json:"at"`
	Action     ReviewAction `json:"action"`
	// Income now and at origination (Snapshot.Income), their ratio (1
	// when the origination income was 0), and today's stability: the
	// coefficient of variation over IncomeMonths complete months.
	IncomeNow           float64 `json:"income_now"`
	IncomeAtOrigination float64 `json:"income_at_origination"`
	IncomeRatio         float64 `json:"income_ratio"`
	IncomeCV            float64 `json:"income_cv"`
	IncomeMonths        int     `json:"income_months"`
	// Payers are the salary and pension payers at origination with their
	// status now ("mature", "early", "stopped"; "gone" when no longer
	// tracked).
	Payers []PayerStatus `json:"payers,omitempty"`
	// Score and PD re-combine the application score at origination with
	// today's behaviour score (the application score alone without a
	// behaviour model).
	Score float64 `json:"score"`
	PD    float64 `json:"pd"`
	// Limit is what the policy would grant today for the loan's term
	// (zero when nothing).
	Limit            decimal.Decimal `json:"limit"`
	MonthsOnBook     int             `json:"months_on_book"`
	Reasons          []Reason        `json:"reasons"`
	PolicyVersion    string          `json:"policy_version"`
	ModelID          string          `json:"model_id"`
	BehaviourModelID string          `json:"behaviour_model_id,omitempty"`
	Snapshot         Snapshot        `json:"snapshot"`
}

// PayerStatus is the status now of a payer at origination.
type PayerStatus struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Review re-assesses a loan's borrower at now: income level against
// origination, its stability (CV, the state of each salary stream), debt
// service and the re-combined score, giving an action with reasons (the
// worst applicable, ReviewPolicy for the thresholds):
//
//	freeze    a salary stopped with no replacement (SALARY_STOPPED), or a
//	          repayment at least DelinquentDays past due (REPAYMENT_MISSED)
//	decrease  income down by DecreaseDrop (INCOME_DROP), DTI above MaxDTI
//	          (DTI_ABOVE_MAX), or the re-combined PD above DeclinePD
//	          (DECISION_PD_HIGH)
//	watch     income down by WatchDrop, CV above MaxCV (INCOME_UNSTABLE),
//	          a late or irregular repayment, or a new other lender
//	increase  none of the above, income up by IncreaseRise (INCOME_RISE)
//	          with CV at most StableCV over at least 3 months, at least
//	          MinMonthsOnBook months on book and the PD within ApprovePD
//	keep      otherwise
func (e *Engine) Review(loan *Loan, p *profile.Profile, now time.Time) (Review, error) {
	c, err := e.compare(loan, p, now)
	if err != nil {
		return Review{}, err
	}
	rp := &e.pol.Review
	s := &c.now
	r := Review{
		LoanID: loan.ID, CustomerID: loan.CustomerID, At: now,
		IncomeNow: s.Income(), IncomeAtOrigination: loan.Origination.Income(), IncomeRatio: c.ratio,
		IncomeCV: s.IncomeCV, IncomeMonths: s.IncomeMonths, MonthsOnBook: c.monthsOnBook,
		PolicyVersion: e.pol.Version, ModelID: e.appID, BehaviourModelID: e.behID,
	}
	status := map[string]string{}
	for _, st := range p.IncomeStreams(now) {
		status[st.Counterparty] = st.Status.String()
	}
	for _, name := range loan.Origination.Payers {
		st, ok := status[name]
		if !ok {
			st = "gone"
		}
		r.Payers = append(r.Payers, PayerStatus{Name: name, Status: st})
	}
	r.Score = loan.ApplicationScore
	if c.hasBeh {
		r.Score += e.adjustment(c.behNow.PD)
	}
	r.PD = e.app.PDFromScore(r.Score)

	action := ActionKeep
	worse := func(a ReviewAction, code Code, v float64) {
		r.Reasons = append(r.Reasons, Reason{Code: code, Source: SourcePolicy, Value: v})
		if a > action {
			action = a
		}
	}
	if len(c.stopped) > 0 {
		if c.replaced {
			worse(ActionKeep, CodeEmployerChanged, float64(len(c.stopped)))
		} else {
			worse(ActionFreeze, CodeSalaryStopped, float64(len(c.stopped)))
		}
	}
	for _, od := range c.overdue {
		if od.days >= e.pol.DelinquentDays {
			worse(ActionFreeze, CodeRepaymentMissed, float64(od.days))
		} else {
			worse(ActionWatch, CodeRepaymentLate, float64(od.days))
		}
	}
	drop := 1 - c.ratio
	switch {
	case drop >= rp.DecreaseDrop:
		worse(ActionDecrease, CodeIncomeDrop, c.ratio)
	case drop >= rp.WatchDrop:
		worse(ActionWatch, CodeIncomeDrop, c.ratio)
	}
	if inc := s.Income(); inc > 0 && s.MonthlyDebt > e.pol.MaxDTI*inc {
		worse(ActionDecrease, CodeDTIAboveMax, s.MonthlyDebt/inc)
	}
	if r.PD > e.pol.DeclinePD {
		worse(ActionDecrease, CodeDecisionPDHigh, r.PD)
	}
	if s.IncomeMonths >= 3 && s.IncomeCV > rp.MaxCV {
		worse(ActionWatch, CodeIncomeUnstable, s.IncomeCV)
	}
	for range c.irregular {
		worse(ActionWatch, CodeRepaymentIrregular, 0)
	}
	if len(c.newLenders) > 0 {
		worse(ActionWatch, CodeNewOtherLender, float64(len(c.newLenders)))
	}
	if action == ActionKeep && c.ratio >= 1+rp.IncreaseRise && s.IncomeMonths >= 3 && s.IncomeCV <= rp.StableCV &&
		c.monthsOnBook >= rp.MinMonthsOnBook && r.PD <= e.pol.ApprovePD {
		worse(ActionIncrease, CodeIncomeRise, c.ratio)
		action = ActionIncrease
	}
	r.Action = action

	// What the policy would lend today.
	minor, _ := profile.MinorUnits(loan.Currency)
	_, _, r.Limit = e.limitFor(s, s.Income(), r.PD, loan.TermMonths, int32(minor))
	r.Snapshot = c.now
	return r, nil
}

// limitFor returns the monthly repayment capacity for a snapshot and an
// income, the principal it affords over term, and the limit the policy
// grants at decision PD pd (zero when none): capacity = max(0, min(MaxDTI ×
// income − debt, income − essential spending − debt)) rounded down to the
// minor unit; affordable = MaxPrincipal(capacity); limit = affordable × the
// band's share, capped by MaxLimit, rounded down to LimitStep, zero below
// MinLimit.
func (e *Engine) limitFor(s *Snapshot, income, pd float64, term int, minor int32) (capacity, affordable, limit decimal.Decimal) {
	_, share := e.band(pd)
	c := math.Max(0, math.Min(e.pol.MaxDTI*income-s.MonthlyDebt, income-s.EssentialSpend-s.MonthlyDebt))
	unit := decimal.New(1, -minor)
	step := e.pol.LimitStep
	if step.IsZero() {
		step = unit
	}
	capacity = floorTo(decimal.NewFromFloat(c), unit)
	affordable = e.annuity(term).maxPrincipal(capacity, unit, minor)
	limit = floorTo(affordable.Mul(decimal.NewFromFloat(share)), step)
	if e.pol.MaxLimit.Sign() > 0 && limit.Cmp(e.pol.MaxLimit) > 0 {
		limit = floorTo(e.pol.MaxLimit, step)
	}
	if limit.Sign() <= 0 || limit.Cmp(e.pol.MinLimit) < 0 {
		limit = decimal.Zero
	}
	return capacity, affordable, limit
}

// WarnResult is the outcome of one loan of WarnBatch: its alerts, or its
// error (a *ItemError).
type WarnResult struct {
	Alerts []Alert
	Err    error
}

// WarnBatch monitors many loans at now on a pool of workers, looking each
// borrower up in profiles. Results are in the order of loans; a failing
// item does not stop the others; cancellation is handled as in
// DecideBatch. A borrower without a profile (profile.ErrNotFound) is an
// item error: a loan cannot be monitored on nothing.
func (e *Engine) WarnBatch(ctx context.Context, loans []Loan, profiles Profiles, now time.Time, opts *BatchOptions) ([]WarnResult, error) {
	var o BatchOptions
	if opts != nil {
		o = *opts
	}
	out := make([]WarnResult, len(loans))
	if profiles == nil {
		return out, fieldErr("profiles", "", ErrMissing)
	}
	if o.Workers < 0 {
		return out, fieldErr("BatchOptions.Workers", "must not be negative", ErrInvalid)
	}
	err := run(ctx, len(loans), o.Workers, func(ctx context.Context, i int) {
		l := &loans[i]
		fail := func(err error) { out[i].Err = &ItemError{Index: i, ID: safeID(l.ID), Err: err} }
		p, err := profiles.Profile(ctx, l.CustomerID)
		if err != nil {
			if ctx.Err() != nil && !errors.Is(err, profile.ErrNotFound) {
				fail(ctx.Err())
				return
			}
			fail(lookupErr("profile", err))
			return
		}
		a, err := e.Warn(l, p, now)
		if err != nil {
			fail(err)
			return
		}
		out[i].Alerts = a
	}, func(i int, err error) {
		out[i].Err = &ItemError{Index: i, ID: safeID(loans[i].ID), Err: err}
	})
	return out, err
}
