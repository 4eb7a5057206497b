package risk

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// DefaultPolicyVersion is the version decision records carry when
// Policy.Version is empty. It changes whenever a default of Policy,
// Weights, HabitOptions or VelocityOptions changes.
const DefaultPolicyVersion = "suanpan-risk-default/1"

// Policy turns the signals of the layers into one decision. The zero value
// is the documented default of every field.
//
// The risk r ∈ [0, 1] of a payment combines the enforced signals (see
// Weights) by noisy-OR. The policy then decides, in order:
//
//  1. Risk bands: r < StepUpAt allows the payment at the base level (0,
//     or strong authentication under PSD2); StepUpAt ≤ r < HighAt steps up
//     to StepUpLevel; HighAt ≤ r < SevereAt steps up to HighLevel; r ≥
//     SevereAt sends payments that can wait (transfers, bill and loan
//     payments) to review and declines the others (card payments, cash).
//  2. New customers (no profile, or an empty one) have a risk of at least
//     NewCustomerRisk: by default they step up to StepUpLevel for every
//     debit until their profile has history.
//  3. Cooling-off: a transfer out whose payee is new (or first paid within
//     HabitOptions.MatureAfter) and whose amount is unusual for the
//     customer is held, whatever the authentication: authentication proves
//     who pays, not that the payee is honest. This is the delayed-arrival
//     safeguard against telecom fraud of the PBOC Notice on Strengthening
//     Payment Settlement Management to Prevent New Types of Telecom and
//     Online Fraud (Yinfa [2016] No. 261) and of the UK Payment Services
//     (Amendment) Regulations 2024, which let banks delay an outbound
//     payment suspected of authorised-push-payment fraud.
//  4. Lists: a blocked key declines. Limits: a payment over a hard limit
//     is declined with the headroom as the amount allowed; over the daily
//     limit of its authentication level it steps up to the lowest level
//     whose limit admits it. Analyst rules impose their actions.
//  5. Fail-safe: a failing Lists, Scorer or (enforced) analyst rule makes
//     the decision at least OnError; a failing rule also counts as fired
//     (fail closed). A failure is never a silent allow.
//  6. A step-up to more than the channel can perform (ChannelMaxLevel)
//     becomes a decline.
//  7. The most severe action wins; the required level is the highest
//     asked. A step-up whose level the payment's own authentication
//     already reaches becomes an allow (CodeAuthSatisfied).
type Policy struct {
	// Version names this configuration in decision records. Empty means
	// DefaultPolicyVersion; set your own whenever you change any field.
	Version string
	// Levels is the authentication scheme. Nil means NIST80063B.
	Levels *AuthLevels
	// StepUpAt, HighAt and SevereAt are the risk bands' lower bounds,
	// 0 < StepUpAt < HighAt < SevereAt ≤ 1. Zero means 0.3, 0.6 and 0.85.
	StepUpAt, HighAt, SevereAt float64
	// StepUpLevel is the level asked in the step-up band. Zero means the
	// scheme's lowest level with two factor types (AAL2, PBOC "B").
	StepUpLevel int
	// HighLevel is the level asked in the high band. Zero means the
	// scheme's top level (AAL3, PBOC "A").
	HighLevel int
	// NewCustomerRisk is the least risk of a payment by a customer without
	// history. Zero means 0.5; a negative value means no floor.
	NewCustomerRisk float64
	// NoCoolingOff turns the cooling-off hold of new payees off.
	NoCoolingOff bool
	// OnError is the least severe outcome when a layer fails: StepUp (at
	// StepUpLevel), Hold, Review or Decline. Zero means StepUp.
	OnError Action
	// DeviceBinding counts an established device (known for at least
	// HabitOptions.MatureAfter) as a possession factor of the payment's
	// authentication, as a device bound to the customer may evidence
	// possession (EBA Opinion on the elements of strong customer
	// authentication under PSD2, EBA-Op-2019-06). Off by default.
	DeviceBinding bool
	// ChannelMaxLevel is the highest level each channel (indexed by
	// profile.Channel) can authenticate at. Zero means the default: the
	// card's chip and PIN at POS and ATM reach StepUpLevel; app, web,
	// phone and branch reach the top level. A negative value means the
	// channel cannot step up at all.
	ChannelMaxLevel [profile.NumChannels]int
	// PSD2, when set, applies the strong-customer-authentication rules of
	// the PSD2 RTS to remote payments. Nil means off.
	PSD2 *PSD2
}

// PSD2 applies Directive (EU) 2015/2366 Art. 97 and its regulatory
// technical standards (Commission Delegated Regulation (EU) 2018/389) to
// remote debits (app, web and phone): each requires strong customer
// authentication (the scheme's lowest level with two factor types) unless
// an exemption applies, and an exemption applies only when the risk is in
// the allow band:
//
//   - Art. 16 low-value payments: at most €30, and at most €100 of remote
//     payments without strong authentication since the last one (this
//     payment included), or with LowValueByCount at most five such
//     payments (this one included); counted by the profile
//     (profile.Velocity.SumSinceStrongAuth, RemoteSinceStrongAuth);
//   - Art. 18 transaction risk analysis: no real-time risk factor of Art.
//     18(2)(c) fired (no enforced signal at all but the very weak ones:
//     a new place, merchant or rare channel, no amount habit), and the
//     amount is at most the exemption threshold value (ETV) that the
//     institution's fraud rate for the payment type allows (Annex):
//     remote card payments €100 / €250 / €500 at fraud rates up to 0.13% /
//     0.06% / 0.01%; credit transfers €100 / €250 / €500 at 0.015% /
//     0.01% / 0.005%.
//
// The thresholds are in euro: exemptions apply to payments in EUR only;
// payments in other currencies need strong authentication.
type PSD2 struct {
	// CardFraudRate is the institution's fraud rate for remote card
	// payments (a fraction: 0.0006 for 0.06%), computed as RTS Art. 19
	// requires. Zero means not reported: no TRA exemption for purchases.
	CardFraudRate float64
	// TransferFraudRate is the fraud rate for remote credit transfers.
	// Zero means not reported: no TRA exemption for transfers.
	TransferFraudRate float64
	// LowValueByCount uses the Art. 16(c) count (five payments) instead of
	// the Art. 16(b) cumulative amount (€100).
	LowValueByCount bool
	// NoLowValue turns the Art. 16 exemption off.
	NoLowValue bool
}

// policy is Policy with defaults applied.
type policy struct {
	version                    string
	levels                     AuthLevels
	stepUpAt, highAt, severeAt float64
	stepUpLevel, highLevel     int
	newCustomer                float64
	coolingOff                 bool
	onError                    Action
	deviceBinding              bool
	channelMax                 [profile.NumChannels]int
	psd2                       *PSD2
	scaLevel                   int
	eur30, eur100              decimal.Decimal
	etvCard, etvTransfer       decimal.Decimal // zero: no TRA exemption
	hasETVCard, hasETVTransfer bool
}

// etv returns the Art. 18 exemption threshold value for a fraud rate r
// against the reference rates of the Annex (highest ETV first).
func etv(r float64, refs [3]float64) (decimal.Decimal, bool) {
	if r <= 0 {
		return decimal.Decimal{}, false
	}
	vals := [3]int64{500, 250, 100}
	for i, ref := range refs {
		if r <= ref {
			return decimal.NewFromInt(vals[i]), true
		}
	}
	return decimal.Decimal{}, false
}

func (p Policy) resolve() (policy, error) {
	var o policy
	o.version = p.Version
	if o.version == "" {
		o.version = DefaultPolicyVersion
	}
	if p.Levels == nil {
		o.levels = NIST80063B()
	} else {
		if err := p.Levels.validate("Policy.Levels"); err != nil {
			return o, err
		}
		o.levels = AuthLevels{Name: p.Levels.Name, Levels: append([]Level(nil), p.Levels.Levels...)}
	}
	n := len(o.levels.Levels)
	var err error
	for _, f := range []struct {
		name string
		in   float64
		out  *float64
		def  float64
	}{
		{"Policy.StepUpAt", p.StepUpAt, &o.stepUpAt, 0.3},
		{"Policy.HighAt", p.HighAt, &o.highAt, 0.6},
		{"Policy.SevereAt", p.SevereAt, &o.severeAt, 0.85},
	} {
		if *f.out, err = positive(f.name, f.in, f.def); err != nil {
			return o, err
		}
	}
	if !(o.stepUpAt < o.highAt && o.highAt < o.severeAt && o.severeAt <= 1) {
		return o, &ConfigError{Field: "Policy.StepUpAt", Reason: "want 0 < StepUpAt < HighAt < SevereAt <= 1"}
	}
	o.scaLevel = o.levels.strongLevel()
	o.stepUpLevel, o.highLevel = p.StepUpLevel, p.HighLevel
	if o.stepUpLevel == 0 {
		o.stepUpLevel = o.scaLevel
	}
	if o.highLevel == 0 {
		o.highLevel = n
	}
	if o.stepUpLevel < 0 || o.stepUpLevel > n {
		return o, &ConfigError{Field: "Policy.StepUpLevel", Reason: fmt.Sprintf("want 1 to %d", n)}
	}
	if o.highLevel < o.stepUpLevel || o.highLevel > n {
		return o, &ConfigError{Field: "Policy.HighLevel", Reason: fmt.Sprintf("want StepUpLevel to %d", n)}
	}
	switch {
	case math.IsNaN(p.NewCustomerRisk) || p.NewCustomerRisk > 1:
		return o, &ConfigError{Field: "Policy.NewCustomerRisk", Reason: "want at most 1"}
	case p.NewCustomerRisk == 0:
		o.newCustomer = 0.5
	case p.NewCustomerRisk > 0:
		o.newCustomer = p.NewCustomerRisk
	}
	o.coolingOff = !p.NoCoolingOff
	switch p.OnError {
	case 0:
		o.onError = StepUp
	case StepUp, Hold, Review, Decline:
		o.onError = p.OnError
	default:
		return o, &ConfigError{Field: "Policy.OnError", Reason: "want StepUp, Hold, Review or Decline"}
	}
	o.deviceBinding = p.DeviceBinding
	for c := range o.channelMax {
		v := p.ChannelMaxLevel[c]
		switch {
		case v > n:
			return o, &ConfigError{Field: fmt.Sprintf("Policy.ChannelMaxLevel[%d]", c), Reason: fmt.Sprintf("above the top level %d", n)}
		case v < 0:
			o.channelMax[c] = 0
		case v > 0:
			o.channelMax[c] = v
		case profile.Channel(c) == profile.ChannelPOS || profile.Channel(c) == profile.ChannelATM:
			o.channelMax[c] = o.stepUpLevel
		default:
			o.channelMax[c] = n
		}
	}
	if p.PSD2 != nil {
		q := *p.PSD2
		for _, r := range []struct {
			name string
			v    float64
		}{{"Policy.PSD2.CardFraudRate", q.CardFraudRate}, {"Policy.PSD2.TransferFraudRate", q.TransferFraudRate}} {
			if math.IsNaN(r.v) || r.v < 0 || r.v > 1 {
				return o, &ConfigError{Field: r.name, Reason: "want a fraction in [0, 1]"}
			}
		}
		o.psd2 = &q
		o.eur30, o.eur100 = decimal.NewFromInt(30), decimal.NewFromInt(100)
		o.etvCard, o.hasETVCard = etv(q.CardFraudRate, [3]float64{0.0001, 0.0006, 0.0013})
		o.etvTransfer, o.hasETVTransfer = etv(q.TransferFraudRate, [3]float64{0.00005, 0.0001, 0.00015})
	}
	return o, nil
}

// deferrable reports whether payments of kind k can wait for a review
// (account-to-account payments) rather than needing an answer at once
// (card payments and cash).
func deferrable(k profile.Kind) bool {
	switch k {
	case profile.KindTransferOut, profile.KindBillPayment, profile.KindLoanRepayment, profile.KindOther, profile.KindInterest:
		return true
	}
	return false
}
