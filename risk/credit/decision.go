package credit

import (
	"time"

	"github.com/shopspring/decimal"
)

// Outcome is what a credit decision says.
type Outcome uint8

// Outcomes.
const (
	Approve Outcome = iota + 1 // approved automatically, at Decision.Amount
	Refer                      // for an underwriter, with the limit the policy proposes
	Decline                    // declined, with the reasons
)

var outcomeNames = [...]string{Approve: "approve", Refer: "refer", Decline: "decline"}

// String returns "approve", "refer" or "decline".
func (o Outcome) String() string {
	if o >= Approve && o <= Decline {
		return outcomeNames[o]
	}
	return "unknown"
}

// MarshalText encodes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText decodes an outcome's name.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i := Approve; i <= Decline; i++ {
		if outcomeNames[i] == string(b) {
			*o = i
			return nil
		}
	}
	return fieldErr("Outcome", "unknown outcome", ErrDecode)
}

// Reason sources.
const (
	SourcePolicy       = "policy"       // a rule of the Policy
	SourceVerification = "verification" // a cross-verification signal
	SourceApplication  = "application"  // an adverse-action reason of the application model
	SourceBehaviour    = "behaviour"    // an adverse-action reason of the behaviour model
)

// Reason explains a decision or a review: a stable code, where it comes
// from and the measure behind it.
type Reason struct {
	Code   Code   `json:"code"`
	Source string `json:"source"` // SourcePolicy, SourceVerification, SourceApplication or SourceBehaviour
	// Var is the model variable of a model reason ("" otherwise).
	Var string `json:"var,omitempty"`
	// Value is the measure: points lost for a model reason, days past due,
	// a ratio, points of behaviour adjustment (see each code).
	Value float64 `json:"value"`
}

// Signal is one finding of cross-verification.
type Signal struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Value is the measure: declared/observed income ratio, days a device
	// has been known, other customers sharing a device or contact.
	Value float64 `json:"value"`
}

// Verification is the comparison of what the applicant declared with what
// the bank observes.
type Verification struct {
	// IncomeRatio is declared / observed monthly income; 0 when either
	// is absent.
	IncomeRatio float64 `json:"income_ratio"`
	// Employer is how the declared employer matches the salary payers.
	Employer NameMatch `json:"employer"`
	// DeviceKnown says whether the application device is known to the
	// profile, and DeviceDays for how long (0 when unknown).
	DeviceKnown bool    `json:"device_known"`
	DeviceDays  float64 `json:"device_days"`
	// ContactChecked says whether the contact was compared with contacts
	// on file, and ContactOnFile whether it is one of them.
	ContactChecked bool `json:"contact_checked"`
	ContactOnFile  bool `json:"contact_on_file"`
	// Signals are the findings, in the order income, employer, device,
	// contact.
	Signals []Signal `json:"signals"`
}

// MarshalText encodes the match's name.
func (m NameMatch) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a match's name.
func (m *NameMatch) UnmarshalText(b []byte) error {
	for i, n := range nameMatchNames {
		if n == string(b) {
			*m = NameMatch(i)
			return nil
		}
	}
	return fieldErr("NameMatch", "unknown match", ErrDecode)
}

// Input is the value one model variable was given: the audit trail of a
// score, and the sample of population-drift monitoring (InputsDataset).
type Input struct {
	Name     string  `json:"name"`
	Num      float64 `json:"num,omitempty"` // numeric variables
	Cat      string  `json:"cat,omitempty"` // categorical variables
	Missing  bool    `json:"missing,omitempty"`
	Category bool    `json:"category,omitempty"` // the variable is categorical
}

// Decision is the outcome of one application, with everything needed to
// explain, audit and replay it.
type Decision struct {
	ApplicationID string    `json:"application_id"`
	CustomerID    string    `json:"customer_id"`
	At            time.Time `json:"at"`
	Outcome       Outcome   `json:"outcome"`

	// Money, in Currency. Limit is the credit limit (the most the policy
	// lends: proposed to the underwriter on referral; zero on decline),
	// Amount what is offered (the smaller of the request and the limit;
	// zero on decline), Payment the monthly instalment on Amount over
	// TermMonths at AnnualRate (rounded up to the minor unit).
	Currency   string          `json:"currency"`
	Requested  decimal.Decimal `json:"requested"`
	Limit      decimal.Decimal `json:"limit"`
	Amount     decimal.Decimal `json:"amount"`
	Payment    decimal.Decimal `json:"payment"`
	TermMonths int             `json:"term_months"`
	AnnualRate decimal.Decimal `json:"annual_rate"`
	// Capacity is the monthly repayment the applicant can take on:
	// min(MaxDTI × income − debt, income − essential spending − debt),
	// at least 0, rounded down to the minor unit; Affordable the principal
	// whose instalment is Capacity; Income the monthly income used (the
	// observed Snapshot.Income, or the declared income when lower).
	Capacity   decimal.Decimal `json:"capacity"`
	Affordable decimal.Decimal `json:"affordable"`
	Income     float64         `json:"income"`

	// Scores. Score is the decision score in the application model's
	// points (the application score plus the behaviour adjustment) and PD
	// its probability of bad; Band the score band.
	Score            float64 `json:"score"`
	PD               float64 `json:"pd"`
	Band             string  `json:"band"`
	ApplicationScore float64 `json:"application_score"`
	ApplicationPD    float64 `json:"application_pd"`
	HasBehaviour     bool    `json:"has_behaviour"`
	BehaviourScore   float64 `json:"behaviour_score"`
	BehaviourPD      float64 `json:"behaviour_pd"`
	BehaviourPoints  float64 `json:"behaviour_points"` // the adjustment added to the application score

	Verification Verification `json:"verification"`
	// Reasons explain the outcome: policy rules first, then verification
	// signals of warning or critical severity, then the models'
	// adverse-action reasons (largest loss first).
	Reasons []Reason `json:"reasons"`

	// Versions of what decided.
	ModelID          string `json:"model_id"`
	ModelName        string `json:"model_name,omitempty"`
	BehaviourModelID string `json:"behaviour_model_id,omitempty"`
	PolicyVersion    string `json:"policy_version"`

	// Snapshot is the borrower at application time: keep it with the loan
	// for in-loan review and early warning.
	Snapshot Snapshot `json:"snapshot"`
	// Inputs given to each model, in model order.
	ApplicationInputs []Input `json:"application_inputs"`
	BehaviourInputs   []Input `json:"behaviour_inputs,omitempty"`
}

// HasReason reports whether the decision carries a reason with code c.
func (d *Decision) HasReason(c Code) bool {
	for _, r := range d.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}

// Loan returns the loan booked from the decision under the given ID,
// starting at start, for the amount offered (see Loan).
func (d *Decision) Loan(id string, start time.Time) Loan {
	return Loan{
		ID: id, CustomerID: d.CustomerID, Currency: d.Currency,
		Amount: d.Amount, TermMonths: d.TermMonths, Payment: d.Payment, AnnualRate: d.AnnualRate,
		Start: start, ApplicationScore: d.ApplicationScore, Origination: d.Snapshot,
	}
}

// Loan is a booked loan or credit line, with what in-loan review and
// early warning compare with: the application score and the borrower's
// snapshot at origination.
type Loan struct {
	ID         string          `json:"id"`
	CustomerID string          `json:"customer_id"`
	Currency   string          `json:"currency"`
	Amount     decimal.Decimal `json:"amount"` // principal or credit limit
	TermMonths int             `json:"term_months"`
	Payment    decimal.Decimal `json:"payment"`
	AnnualRate decimal.Decimal `json:"annual_rate"`
	Start      time.Time       `json:"start"`
	// ApplicationScore is the application model's score at origination;
	// reviews re-combine it with the behaviour score of the day.
	ApplicationScore float64 `json:"application_score"`
	// Origination is the borrower's snapshot at origination
	// (Decision.Snapshot).
	Origination Snapshot `json:"origination"`
}

// Validate checks the loan's fields: IDs, a known currency, a positive
// amount within its minor units, a term in 1..MaxTermMonths, a start time,
// and an origination snapshot of the same customer taken no later than
// 31 days after the start.
func (l *Loan) Validate() error {
	if err := checkID("Loan.ID", l.ID); err != nil {
		return err
	}
	if err := checkID("Loan.CustomerID", l.CustomerID); err != nil {
		return err
	}
	minor, ok := profileMinor(l.Currency)
	if !ok {
		return fieldErr("Loan.Currency", "not an active ISO 4217 code", ErrCurrency)
	}
	if err := checkMoney("Loan.Amount", l.Amount, minor, true); err != nil {
		return err
	}
	if l.TermMonths < 1 || l.TermMonths > MaxTermMonths {
		return fieldErr("Loan.TermMonths", "must be 1 to 480 months", ErrInvalid)
	}
	if l.Start.IsZero() {
		return fieldErr("Loan.Start", "", ErrMissing)
	}
	o := &l.Origination
	switch {
	case o.At.IsZero():
		return fieldErr("Loan.Origination.At", "", ErrMissing)
	case o.CustomerID != l.CustomerID:
		return fieldErr("Loan.Origination.CustomerID", "snapshot of another customer", ErrWrongCustomer)
	case o.At.After(l.Start.Add(31 * 24 * time.Hour)):
		return fieldErr("Loan.Origination.At", "snapshot taken after the loan started", ErrInvalid)
	}
	for _, x := range []float64{o.MonthlyIncome, o.MonthlyDebt, o.BehaviourScore, o.BehaviourPD, l.ApplicationScore, o.NetFlow} {
		if !finite(x) {
			return fieldErr("Loan.Origination", "non-finite number", ErrInvalid)
		}
	}
	return nil
}
