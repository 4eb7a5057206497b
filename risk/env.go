package risk

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Env is the typed environment analyst rules are written against, and
// what a Scorer sees. Rules name its fields directly:
//
//	Txn.Kind == "transfer_out" && Txn.Amount > 50000 && !Habit.CounterpartyKnown
//	Signals.Codes["habit.new_device"] && Txn.Remote
//	Profile.DTI > 0.5 && Txn.Amount > 10000
//	Velocity.Count24h >= 10
//	Velocity.CountSession >= 3 && Velocity.SumSession + Txn.Amount > 20000
//
// Money (Txn.Amount, Velocity sums, Profile sums) is decimal.Decimal and
// compares exactly with numeric literals (see internal/rules). Of Profile,
// only the groups of fields the rule set reads are filled (see
// profile.FeatureGroup); the others keep their zero values. Rules within
// the closure subset of internal/rules (no money, maps or function calls)
// run as Go closures; the others on the expression virtual machine.
type Env struct {
	Txn      TxnView          // the payment
	Habit    HabitView        // how it compares with the customer's habits
	Velocity profile.Velocity // the customer's debit velocity before this payment (zero for a new customer)
	Signals  SignalView       // what the lists, limits, velocity, habit and model layers found
	Profile  profile.Features // the profile's flat view: the groups the rules read
}

// TxnView is the payment being decided.
type TxnView struct {
	ID           string          // the event ID
	CustomerID   string          // the customer
	Kind         string          // profile.Kind spelling: "purchase", "transfer_out", ...
	Amount       decimal.Decimal // exact
	Currency     string          // ISO 4217
	Channel      string          // "app", "web", "branch", "atm", "pos", "phone" or ""
	Remote       bool            // app, web or phone: PSD2 remote payment
	CardPresent  bool            // pos or atm
	Counterparty string          // payee, merchant or biller; "" when none
	MCC          int             // ISO 18245 merchant category code, 0 when none
	Country      string          // ISO 3166-1 alpha-2 of the payment's location, "" when unknown
	HasDevice    bool            // a device ID was given
	HasIP        bool            // an IP address was given
	Hour         int             // local hour of the day in the customer's time zone, 0-23
	Weekday      int             // local day of the week, 0 = Sunday
	Auth         string          // methods used, profile.Auth spelling: "password+sms_otp"
	Factors      int             // distinct factor types of Auth, 0-3
	Level        int             // authentication level reached (Policy levels; with DeviceBinding)
	Certificate  bool            // a U-key or digital certificate was used
}

// HabitView is how the payment compares with the customer's habits (see
// profile.Familiarity); the numbers behind the habit layer's signals.
type HabitView struct {
	// Score is the habit consistency in [0, 1]: 1 when nothing is unusual.
	Score float64
	// NewCustomer is true when there is no profile or it is empty.
	NewCustomer bool

	DeviceKnown   bool    // the device was seen before
	DeviceAgeDays float64 // since the device was first seen; -1 when unknown
	DeviceUses    int     // earlier observations of the device
	NetworkKnown  bool    // the IP network was seen before
	PlaceKnown    bool    // the place (0.1° cell) was seen before
	CountryKnown  bool    // the country was seen before
	HomeCountry   bool    // the payment's country is the customer's most used
	// DistanceKm and SpeedKmh are from the last place with coordinates;
	// HoursSinceLastPlace the time since it (-1 when unknown).
	DistanceKm          float64 // km from the last place
	SpeedKmh            float64 // km/h needed to come from the last place
	HoursSinceLastPlace float64 // hours since the last place

	CounterpartyKnown   bool    // the payee, merchant or biller was paid before
	CounterpartyAgeDays float64 // since first paid; -1 when unknown
	CounterpartyUses    int     // earlier payments to it

	HourShare       float64 // share of the customer's activity in this local hour of the day
	HourOfWeekShare float64 // share in this local hour of the week
	ChannelShare    float64 // share of activity on this channel

	// KindCount is the number of earlier transactions of this kind in the
	// profile currency; TypicalAmount their geometric mean and MaxAmount
	// the largest; AmountZ how many standard deviations of ln(amount) this
	// amount is above the typical one (0 without a habit). A rule for
	// "the largest payment ever, to a payee never paid":
	//
	//	Txn.Kind == "transfer_out" && !Habit.CounterpartyKnown && float(Txn.Amount) > Habit.MaxAmount
	KindCount     int     // earlier transactions of the kind
	TypicalAmount float64 // their geometric mean
	MaxAmount     float64 // the largest
	AmountZ       float64 // standard deviations of ln(amount) above the habit
}

// SignalView is what the layers before the rules found.
type SignalView struct {
	// Codes holds the reason codes of the enforced signals of the lists,
	// limits, velocity, habit and model layers: Codes["habit.new_device"].
	// A missing code reads false.
	Codes map[string]bool
	// Risk is the risk of those layers in [0, 1] before the rules.
	Risk float64
	// Model is the Scorer's score (0 without a Scorer).
	Model float64
}

// Scorer is a bank's own model, called after the habit layer. Score
// returns a fraud probability in [0, 1], which adds to the risk by
// noisy-OR (CodeModel). It must honour ctx and be safe for concurrent use.
// An error, NaN or a value outside [0, 1] is recorded as CodeModelError
// and makes the engine apply its fail-safe (Policy.OnError).
type Scorer interface {
	Score(ctx context.Context, r *ScoreRequest) (float64, error)
}

// ScoreRequest is what a Scorer is asked about. Its fields are read-only
// and valid only during the call.
type ScoreRequest struct {
	Now     time.Time        // the decision's now
	Event   *profile.Event   // the payment
	Profile *profile.Profile // nil for a new customer
	// Env holds the payment, its habit comparison, velocity and the
	// signals so far (Env.Profile is filled only when the rule set names
	// Profile; call Profile.Features when the model needs it).
	Env *Env
}
