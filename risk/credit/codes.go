package credit

// Code is a stable, machine-readable reason code. Codes never change
// meaning; new ones may be added. Model reasons use the scorecard
// variable's own code (scorecard.ModelOptions.Codes).
type Code string

// Decision reason codes (Decision.Reasons, Source "policy").
const (
	// CodeScoreDecline: the decision PD is above Policy.DeclinePD.
	CodeScoreDecline Code = "SCORE_DECLINE"
	// CodeScoreRefer: the decision PD is between Policy.ApprovePD and
	// Policy.DeclinePD.
	CodeScoreRefer Code = "SCORE_REFER"
	// CodeBehaviourUp and CodeBehaviourDown: the behaviour score moved the
	// application score up or down (Value: points).
	CodeBehaviourUp   Code = "BEHAVIOUR_UP"
	CodeBehaviourDown Code = "BEHAVIOUR_DOWN"
	// CodeTermOutOfPolicy: the term exceeds Policy.MaxTermMonths.
	CodeTermOutOfPolicy Code = "TERM_OUT_OF_POLICY"
	// CodePurposeDenied: the purpose is in Policy.DeniedPurposes.
	CodePurposeDenied Code = "PURPOSE_DENIED"
	// CodeNoProfile: the bank has no profile of the applicant, so nothing
	// can be verified or observed.
	CodeNoProfile Code = "NO_PROFILE"
	// CodeDelinquent: a loan repayment is at least Policy.DelinquentDays
	// past due (Value: days).
	CodeDelinquent Code = "DELINQUENT"
	// CodeRepaymentLate: a loan repayment is past due by more than
	// Policy.LateGraceDays (Value: days).
	CodeRepaymentLate Code = "REPAYMENT_LATE"
	// CodeIncomeStopped: an income stream that had matured has stopped.
	CodeIncomeStopped Code = "INCOME_STOPPED"
	// CodeDTIAboveMax: existing debt service already exceeds Policy.MaxDTI
	// of income (Value: DTI).
	CodeDTIAboveMax Code = "DTI_ABOVE_MAX"
	// CodeNoCapacity: the limit the income and debt allow is below
	// Policy.MinLimit (or zero).
	CodeNoCapacity Code = "NO_CAPACITY"
	// CodeLimitBelowRequest: the limit is below the amount requested; the
	// offer is the limit (a counter-offer).
	CodeLimitBelowRequest Code = "LIMIT_BELOW_REQUEST"
	// CodeReferSignal: a verification signal listed in Policy.ReferOn
	// turned an approval into a referral.
	CodeReferSignal Code = "VERIFICATION_REFER"
)

// Verification signal codes (Verification.Signals and Decision.Reasons,
// Source "verification").
const (
	CodeIncomeVerified      Code = "INCOME_VERIFIED"       // declared within the tolerance of observed
	CodeIncomeAboveObserved Code = "INCOME_ABOVE_OBSERVED" // declared above tolerance, not yet overstated (warning)
	CodeIncomeOverstated    Code = "INCOME_OVERSTATED"     // declared above the overstatement ratio (critical)
	CodeIncomeBelowObserved Code = "INCOME_BELOW_OBSERVED" // declared well below observed (info)
	CodeIncomeNotDeclared   Code = "INCOME_NOT_DECLARED"   // nothing declared (info)
	CodeIncomeNotObserved   Code = "INCOME_NOT_OBSERVED"   // the profile shows no income (critical)

	CodeEmployerMatch       Code = "EMPLOYER_MATCH"        // declared employer is a live salary payer
	CodeEmployerPartial     Code = "EMPLOYER_PARTIAL"      // it matches a live payer partially (info)
	CodeEmployerFormer      Code = "EMPLOYER_FORMER"       // it matches a payer whose salary stopped (warning)
	CodeEmployerMismatch    Code = "EMPLOYER_MISMATCH"     // salary is paid by someone else (critical)
	CodeEmployerNotObserved Code = "EMPLOYER_NOT_OBSERVED" // no salary seen to compare with (info)
	CodeEmployerNotDeclared Code = "EMPLOYER_NOT_DECLARED" // no employer declared (info)

	CodeDeviceKnown       Code = "DEVICE_KNOWN"        // the application device is an established device
	CodeDeviceRecent      Code = "DEVICE_RECENT"       // known for fewer than Verification.DeviceMinDays (warning)
	CodeDeviceNew         Code = "DEVICE_NEW"          // never seen on this customer (critical)
	CodeDeviceNotProvided Code = "DEVICE_NOT_PROVIDED" // the application has no device (info)
	CodeDeviceShared      Code = "DEVICE_SHARED"       // other customers applied from it in the same batch (critical)

	CodeContactMatch      Code = "CONTACT_MATCH"       // the contact is one on file
	CodeContactMismatch   Code = "CONTACT_MISMATCH"    // it is not (critical)
	CodeContactNotChecked Code = "CONTACT_NOT_CHECKED" // no contact given, or none on file (info)
	CodeContactShared     Code = "CONTACT_SHARED"      // other customers gave it in the same batch (critical)
)

// In-loan review and early-warning codes (Review.Reasons, Alert.Code).
const (
	CodeSalaryStopped      Code = "SALARY_STOPPED"       // a salary or pension paid at origination has stopped, none replaces it
	CodeEmployerChanged    Code = "EMPLOYER_CHANGED"     // a salary stopped and another payer's salary is live (info)
	CodeIncomeDrop         Code = "INCOME_DROP"          // income below its origination level (Value: ratio now/origination)
	CodeIncomeRise         Code = "INCOME_RISE"          // income above it (review only)
	CodeIncomeUnstable     Code = "INCOME_UNSTABLE"      // income CV above ReviewPolicy.MaxCV
	CodeBalanceDrain       Code = "BALANCE_DRAIN"        // net outflow since origination (Value: months of income)
	CodeNewOtherLender     Code = "NEW_OTHER_LENDER"     // repayments to another lender that were not there at origination
	CodeRepaymentMissed    Code = "REPAYMENT_MISSED"     // a loan repayment at least DelinquentDays past due
	CodeRepaymentIrregular Code = "REPAYMENT_IRREGULAR"  // a loan repayment stream lost its cadence (paid late or skipped)
	CodeScoreDrop          Code = "BEHAVIOUR_SCORE_DROP" // behaviour score down since origination (Value: points)
	CodeDecisionPDHigh     Code = "DECISION_PD_HIGH"     // the re-scored decision PD is above Policy.DeclinePD (review)
)

// Drift alert codes (DriftReport.Alerts).
const (
	CodeScorePSI Code = "SCORE_PSI" // population stability index of the score
	CodeVarCSI   Code = "VAR_CSI"   // characteristic stability index of one variable
)

// Severity grades a signal or an alert.
type Severity uint8

// Severities, in increasing order.
const (
	Info     Severity = iota // for the record
	Warning                  // worth a look
	Critical                 // act now
)

var severityNames = [...]string{"info", "warning", "critical"}

// String returns "info", "warning" or "critical".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "unknown"
}

// MarshalText encodes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fieldErr("Severity", "unknown severity", ErrDecode)
}
