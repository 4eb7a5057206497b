package profile

import (
	"net/netip"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// EventType says what an Event records.
type EventType uint8

// Event types. The zero value is not a valid type, so an Event that was never
// filled in is rejected rather than folded as a transaction.
const (
	TypeTransaction EventType = iota + 1 // money moved
	TypeSession                          // a login or app open
	TypeFeature                          // use of one function of the app or online bank
)

var typeNames = [...]string{TypeTransaction: "transaction", TypeSession: "session", TypeFeature: "feature"}

// String returns the CSV spelling of t ("transaction", "session", "feature").
func (t EventType) String() string { return enumString(typeNames[:], uint8(t)) }

// ParseEventType parses the CSV spelling of an event type.
func ParseEventType(s string) (EventType, error) {
	v, err := parseEnum(typeNames[:], s, "type")
	return EventType(v), err
}

// Kind classifies a transaction.
type Kind uint8

// Transaction kinds. Each kind except KindInterest and KindOther implies a
// direction (see Kind.Direction).
const (
	KindPurchase       Kind = iota + 1 // card or wallet payment to a merchant (debit)
	KindTransferOut                    // transfer to another account (debit)
	KindTransferIn                     // transfer from another account (credit)
	KindSalary                         // wage or salary credit (credit)
	KindBillPayment                    // utility, telecom, insurance or other bill (debit)
	KindLoanRepayment                  // repayment of a loan, to this bank or another lender (debit)
	KindCashWithdrawal                 // cash at an ATM or branch (debit)
	KindRefund                         // merchant refund (credit)
	KindFee                            // fee charged by the bank (debit)
	KindInterest                       // interest paid or charged (either direction)
	KindPension                        // pension or annuity credit (credit)
	KindOther                          // anything else (either direction)
)

// NumKinds is one more than the largest Kind, for arrays indexed by Kind.
const NumKinds = int(KindOther) + 1

var kindNames = [...]string{
	KindPurchase: "purchase", KindTransferOut: "transfer_out", KindTransferIn: "transfer_in",
	KindSalary: "salary", KindBillPayment: "bill_payment", KindLoanRepayment: "loan_repayment",
	KindCashWithdrawal: "cash_withdrawal", KindRefund: "refund", KindFee: "fee",
	KindInterest: "interest", KindPension: "pension", KindOther: "other",
}

// String returns the CSV spelling of k, for example "loan_repayment".
func (k Kind) String() string { return enumString(kindNames[:], uint8(k)) }

// ParseKind parses the CSV spelling of a transaction kind.
func ParseKind(s string) (Kind, error) {
	v, err := parseEnum(kindNames[:], s, "kind")
	return Kind(v), err
}

// Direction returns the direction a transaction of kind k must have, or 0
// when both are allowed (KindInterest, KindOther).
func (k Kind) Direction() Direction {
	switch k {
	case KindPurchase, KindTransferOut, KindBillPayment, KindLoanRepayment, KindCashWithdrawal, KindFee:
		return Debit
	case KindTransferIn, KindSalary, KindRefund, KindPension:
		return Credit
	}
	return 0
}

// Direction says whether money left (Debit) or reached (Credit) the customer.
type Direction uint8

// Directions.
const (
	Debit  Direction = iota + 1 // money out of the customer's account
	Credit                      // money into the customer's account
)

var directionNames = [...]string{Debit: "debit", Credit: "credit"}

// String returns "debit" or "credit".
func (d Direction) String() string { return enumString(directionNames[:], uint8(d)) }

// ParseDirection parses "debit" or "credit".
func ParseDirection(s string) (Direction, error) {
	v, err := parseEnum(directionNames[:], s, "direction")
	return Direction(v), err
}

// Channel is where an event took place.
type Channel uint8

// Channels.
const (
	ChannelApp    Channel = iota + 1 // mobile banking app
	ChannelWeb                       // online banking in a browser
	ChannelBranch                    // at a branch counter
	ChannelATM                       // at a cash machine
	ChannelPOS                       // card present at a merchant terminal
	ChannelPhone                     // telephone banking or call centre
)

// NumChannels is one more than the largest Channel, for arrays indexed by Channel.
const NumChannels = int(ChannelPhone) + 1

var channelNames = [...]string{
	ChannelApp: "app", ChannelWeb: "web", ChannelBranch: "branch",
	ChannelATM: "atm", ChannelPOS: "pos", ChannelPhone: "phone",
}

// String returns the CSV spelling of c, for example "atm".
func (c Channel) String() string { return enumString(channelNames[:], uint8(c)) }

// Remote reports whether c is a remote channel (app, web or phone), the
// channels where PSD2 remote-payment rules apply.
func (c Channel) Remote() bool { return c == ChannelApp || c == ChannelWeb || c == ChannelPhone }

// ParseChannel parses the CSV spelling of a channel.
func ParseChannel(s string) (Channel, error) {
	v, err := parseEnum(channelNames[:], s, "channel")
	return Channel(v), err
}

// Label is the evaluation label of an event: whether it was later confirmed
// as fraud. It is carried through readers, writers and backtests for
// measurement only; no decision in the SDK ever reads it.
type Label int8

// Labels, spelled "", "0" and "1" in the events CSV.
const (
	LabelNone  Label = 0 // not labelled
	LabelLegit Label = 1 // "0": confirmed genuine
	LabelFraud Label = 2 // "1": confirmed fraud
)

// String returns the CSV spelling of l: "", "0" or "1".
func (l Label) String() string {
	switch l {
	case LabelLegit:
		return "0"
	case LabelFraud:
		return "1"
	}
	return ""
}

// ParseLabel parses "", "0" or "1".
func ParseLabel(s string) (Label, error) {
	switch strings.TrimSpace(s) {
	case "":
		return LabelNone, nil
	case "0":
		return LabelLegit, nil
	case "1":
		return LabelFraud, nil
	}
	return 0, newFieldError("label", s, ErrInvalid)
}

// Location is where an event happened. Coordinates are optional: HasCoords
// reports whether Lat and Lon were given (so that 0,0 is a real place).
type Location struct {
	Lat, Lon  float64 // WGS 84 degrees; Lat in [-90, 90], Lon in [-180, 180]
	HasCoords bool    // Lat and Lon are set
	Country   string  // ISO 3166-1 alpha-2 code in upper case, "" when unknown
}

// Event is one thing a bank already records about a customer: a
// transaction, a session (login or app open) or the use of an app function.
//
// Which fields apply depends on Type:
//   - TypeTransaction: Kind, Direction, Amount, Currency are required;
//     Counterparty and MCC are optional.
//   - TypeSession: Auth says how the customer authenticated.
//   - TypeFeature: Feature names the function used, for example "transfer".
//
// Channel, DeviceID, IP, Location and Auth are optional context for every
// type. Label is for evaluation only and never used by a decision.
type Event struct {
	ID         string    // unique per event; a repeated ID is a no-op
	CustomerID string    // the customer the event belongs to
	Time       time.Time // when it happened, with its offset

	Type EventType

	Kind         Kind
	Direction    Direction
	Amount       decimal.Decimal // positive, in Currency, within its minor units
	Currency     string          // ISO 4217 alphabetic code, for example "CNY"
	Counterparty string          // payer or payee: merchant, employer, person or lender
	MCC          uint16          // ISO 18245 merchant category code, 0 when none

	Channel  Channel
	DeviceID string     // the bank's device fingerprint or binding ID
	IP       netip.Addr // the zero Addr when unknown
	Location Location
	Auth     Auth // authentication methods used for this event

	Feature string // TypeFeature: the app function used

	Label Label // evaluation only
}

// Consent records a customer's marketing consent per channel. Absence of
// consent (false) means the channel must not be used for marketing.
type Consent struct {
	SMS   bool
	Email bool
	Push  bool
}

// Customer holds the attributes a bank keeps about a customer.
type Customer struct {
	ID string
	// BirthDate is the date of birth; the zero time when unknown.
	BirthDate time.Time
	// Occupation is free text; the SDK recognises the conventional values
	// "student", "employee", "self_employed", "civil_servant", "retired",
	// "unemployed" and "homemaker". Empty when unknown.
	Occupation string
	// DeclaredMonthlyIncome is what the customer declared, in Currency;
	// zero when not declared.
	DeclaredMonthlyIncome decimal.Decimal
	// Currency is the customer's home currency (ISO 4217). Profile money
	// aggregates are kept in it.
	Currency string
	// TimeZone is the IANA time zone, for example "Asia/Shanghai"; "" means UTC.
	TimeZone string
	Consent  Consent
	// Joined is when the customer became a customer; the zero time when unknown.
	Joined time.Time
}

// enumString returns the name of v: "" for the zero value (not set) and
// "invalid" for values outside the enumeration.
func enumString(names []string, v uint8) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	if v == 0 {
		return ""
	}
	return "invalid"
}

func parseEnum(names []string, s, field string) (uint8, error) {
	for i, n := range names {
		if n != "" && strings.EqualFold(n, s) {
			return uint8(i), nil
		}
	}
	return 0, newFieldError(field, s, ErrInvalid)
}
