package profile

import (
	"net/netip"
	"time"
)

// Caps on the profile's top-K sets and recurring-payment slots. They make a
// profile's size bounded whatever the length of the customer's history.
const (
	MaxDevices        = 6  // known devices
	MaxNetworks       = 8  // known IP networks (/24 for IPv4, /48 for IPv6)
	MaxCells          = 8  // known places as coarse cells of 0.1 degree (about 11 km)
	MaxCountries      = 6  // known countries
	MaxCounterparties = 16 // known payees and payers
	MaxAppFunctions   = 8  // favourite app functions
	MaxIncomeStreams  = 4  // recurring credits tracked as income candidates
	MaxBills          = 12 // recurring debits tracked as bills and loan repayments
	recentIDs         = 16 // event IDs remembered for duplicate detection
	streamDepth       = 4  // occurrences remembered per recurring stream
	monthsKept        = 12 // calendar months of income and spending kept
	hoursPerWeek      = 7 * 24
)

// Velocity buckets: 12 of 5 minutes, 24 of an hour, 30 of a day.
const (
	minuteBuckets = 12
	minuteWidth   = 300
	hourBuckets   = 24
	hourWidth     = 3600
	dayBuckets    = 30
	dayWidth      = 86400
)

// Profile is one customer's bounded profile: a financial and behavioural
// summary folded from events in time order by a Builder. Its size has a
// fixed upper bound (see the Max constants) whatever the length of history.
//
// The zero Profile is an empty profile that adopts the customer of the first
// event applied; New names the customer up front. A Profile is a value
// without locks: it is safe for concurrent reads, and writes (Apply,
// SetCustomer) must not run concurrently with other use of the same Profile.
// Read methods take now, the time of the question, and never read the clock.
type Profile struct {
	customerID  string
	customer    Customer
	hasCustomer bool
	loc         *time.Location // from customer.TimeZone; nil means UTC
	currency    string         // profile currency: the customer's, else the first transaction's

	keyCheck  uint32  // fingerprint of the Builder's hashing key; 0 = unkeyed
	tau       float64 // decay time constant of the Builder, seconds
	seq       uint64  // events applied
	first     int64   // earliest event time, unix seconds
	watermark int64   // latest event time, unix seconds
	landmark  int64   // forward-decay landmark, unix seconds

	recent    [recentIDs]uint64 // hashes of recently applied event IDs, a ring
	recentPos uint8

	devices        topK
	networks       topK                      // labels empty: see netPrefix
	netPrefix      [MaxNetworks]netip.Prefix // the network of networks.items[i]; invalid when keyed
	cells          topK
	countries      topK
	counterparties topK
	appFunctions   topK

	// hours is the forward-decayed activity per local hour of the week
	// (Sunday 00h first) as counts of hourUnit; hourUnit is the decayed
	// weight of one count. Counts are halved (and hourUnit doubled) when one
	// would overflow, so shares keep about five significant digits.
	hours    [hoursPerWeek]uint16
	hourUnit float64
	channels [NumChannels]float32 // forward-decayed channel use
	habits   [NumKinds]habit      // amount habits per transaction kind
	spend    [NumCategories]float64

	months   [monthsKept]month
	minutes  [minuteBuckets]bucket
	hourly   [hourBuckets]bucket
	daily    [dayBuckets]bucket
	today    bucket // debits on the current local calendar day (epoch = local day number)
	session  bucket // debits since the latest session began (epoch = its start)
	sinceSCA bucket // remote debits since the last strong authentication (epoch = its time)

	lastGeo      geo
	lastDebit    int64
	lastSession  int64
	sessions     uint32
	transactions uint32
	foreign      uint32 // transactions in a currency other than the profile's

	income  [MaxIncomeStreams]stream
	nIncome uint8
	bills   [MaxBills]stream
	nBills  uint8

	rfm rfmState
}

// geo is the latest place with coordinates.
type geo struct {
	lat, lon float64
	time     int64 // 0 when no coordinates seen yet
	country  string
}

// rfmState accumulates purchases for RFM and lifetime-value inputs.
type rfmState struct {
	first, last int64 // first and last purchase, unix seconds
	lastDay     int32 // local day number of the last purchase
	days        uint32
	count       uint32
	sum         int64 // units of 10^-4 in the profile currency
}

// New returns an empty profile for the customer with the given ID.
func New(customerID string) *Profile { return &Profile{customerID: customerID} }

// CustomerID returns the customer the profile belongs to ("" for a zero
// Profile before its first event).
func (p *Profile) CustomerID() string { return p.customerID }

// Seq returns the number of events applied to the profile. It identifies the
// profile's state: decisions record it so they can be replayed.
func (p *Profile) Seq() uint64 { return p.seq }

// Watermark returns the time of the latest event applied (the zero time for
// an empty profile).
func (p *Profile) Watermark() time.Time { return unixTime(p.watermark, p.seq) }

// FirstSeen returns the time of the earliest event applied.
func (p *Profile) FirstSeen() time.Time { return unixTime(p.first, p.seq) }

// Currency returns the profile currency: the customer's currency when
// attributes are set, otherwise the first transaction's. Money aggregates
// (sums, habits, spending) count only transactions in this currency.
func (p *Profile) Currency() string { return p.currency }

// Customer returns the customer's attributes and whether they were set.
func (p *Profile) Customer() (Customer, bool) { return p.customer, p.hasCustomer }

// SetCustomer sets the customer's attributes after validating them. The
// attributes must be for the profile's customer, and their currency must
// match the profile currency once transactions in a currency were applied.
// Dates are kept in UTC and the declared income at its currency's minor
// units. On error the profile is unchanged.
func (p *Profile) SetCustomer(c Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	minor, _ := MinorUnits(c.Currency)
	c.DeclaredMonthlyIncome = c.DeclaredMonthlyIncome.Round(int32(minor))
	if !c.BirthDate.IsZero() {
		c.BirthDate = c.BirthDate.UTC()
	}
	if !c.Joined.IsZero() {
		c.Joined = c.Joined.UTC()
	}
	if p.customerID != "" && c.ID != p.customerID {
		return newFieldError("customer_id", "", ErrWrongCustomer)
	}
	if p.currency != "" && p.currency != c.Currency && p.transactions > p.foreign {
		return newFieldError("currency", c.Currency, ErrInvalid)
	}
	loc, _ := loadLocation(c.TimeZone) // validated above
	p.customerID = c.ID
	p.customer = c
	p.hasCustomer = true
	p.currency = c.Currency
	p.loc = loc
	return nil
}

// Location returns the customer's time zone (UTC when unknown).
func (p *Profile) Location() *time.Location {
	if p.loc == nil {
		return time.UTC
	}
	return p.loc
}

func unixTime(s int64, seq uint64) time.Time {
	if seq == 0 && s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// bucket counts debits and sums their amounts in one time slot.
type bucket struct {
	epoch int64  // slot number (time / width), or a local day number
	count uint32 // debits
	sum   int64  // amounts in the profile currency, units of 10^-4
}

// month holds one local calendar month's flows in the profile currency,
// units of 10^-4.
type month struct {
	num     int32 // year*12 + month-1; 0 = unused
	income  int64 // salary, pension and credits from tracked income streams
	spend   int64 // consumption: debits except loan repayments and transfers out
	debt    int64 // loan repayments
	credits int64 // all credits
	debits  int64 // all debits
}

// habit holds forward-decayed moments of ln(amount) for one kind.
type habit struct {
	n         uint32  // transactions seen
	w, s1, s2 float64 // Σg, Σg·x, Σg·x² with x = ln(amount)
	maxAmount int64   // largest amount seen, units of 10^-4
}
