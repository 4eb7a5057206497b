package synth

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrConfig is the sentinel every configuration error wraps: a Config field
// (or the customer index) out of range.
var ErrConfig = errors.New("synth: invalid configuration")

// ConfigError names the Config field that is out of range. It unwraps to
// ErrConfig.
type ConfigError struct {
	Field  string // Config field name, or "index" for a customer index
	Reason string // what is wrong, without echoing the value
}

// Error returns a message naming the field.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: field %s: %s", ErrConfig, e.Field, e.Reason)
}

// Unwrap returns ErrConfig.
func (e *ConfigError) Unwrap() error { return ErrConfig }

// Market is the country a simulated bank serves: its currency, time zone,
// cities, merchants, employers, lenders and IP networks.
type Market uint8

// Markets. The zero value is MarketCN.
const (
	MarketCN Market = iota // China: CNY, Asia/Shanghai, country CN
	MarketEU               // euro area (Germany): EUR, Europe/Berlin, country DE
	numMarkets
)

// String returns "cn" or "eu".
func (m Market) String() string {
	switch m {
	case MarketCN:
		return "cn"
	case MarketEU:
		return "eu"
	}
	return "invalid"
}

// ParseMarket parses "cn" or "eu" (case-insensitive).
func ParseMarket(s string) (Market, error) {
	switch s {
	case "cn", "CN":
		return MarketCN, nil
	case "eu", "EU":
		return MarketEU, nil
	}
	return 0, &ConfigError{Field: "Market", Reason: `want "cn" or "eu"`}
}

// Currency returns the market's ISO 4217 currency ("CNY", "EUR").
func (m Market) Currency() string { return marketData(m).currency }

// Country returns the market's ISO 3166-1 alpha-2 country ("CN", "DE").
func (m Market) Country() string { return marketData(m).country }

// TimeZone returns the market's IANA time zone ("Asia/Shanghai",
// "Europe/Berlin").
func (m Market) TimeZone() string { return marketData(m).zone }

// Limits on Config fields, so that a typo cannot ask for terabytes.
// Generate keeps every event in memory, about 250 KB per customer-year;
// stream larger populations with Config.Customer.
const (
	MaxCustomers = 10_000_000 // largest Config.Customers, and bound of customer indices
	MaxMonths    = 120        // longest simulated period, in months
)

// Config configures a simulated population. The zero value is the
// documented default for every field.
type Config struct {
	// Seed is the source of all randomness: customer i's life comes from a
	// PCG generator (math/rand/v2) seeded from (Seed, i), so the same seed
	// gives the same population bit for bit.
	Seed uint64
	// Customers is the population size for Generate; 0 means 1000.
	Customers int
	// Start is the first instant simulated (truncated to the second); the
	// zero time means 2025-01-01 00:00 in the market's time zone. Events
	// carry the market's time zone.
	Start time.Time
	// Months is the length of the simulated period; 0 means 12.
	Months int
	// Market is the country simulated; the zero value is MarketCN.
	Market Market
	// FraudShare is the share of customers who suffer one fraud episode
	// during the period; 0 means 0.03, a negative value means none.
	FraudShare float64
	// Patterns are the fraud patterns episodes are drawn from, each equally
	// likely; nil means all of them (AllPatterns).
	Patterns []Pattern
	// HardCaseShare is the share of customers given each kind of honest
	// hard case (independently per kind) during the period; 0 means 0.05,
	// a negative value means none.
	HardCaseShare float64
}

// prepared is a validated Config with defaults applied.
type prepared struct {
	seed       uint64
	customers  int
	start, end time.Time
	months     int
	market     *market
	loc        *time.Location
	fraudShare float64
	patterns   []Pattern
	hardShare  float64
}

// prepare validates c and applies the defaults.
func (c Config) prepare() (*prepared, error) {
	p := &prepared{seed: c.Seed, customers: c.Customers, months: c.Months}
	switch {
	case c.Customers < 0:
		return nil, &ConfigError{Field: "Customers", Reason: "negative"}
	case c.Customers > MaxCustomers:
		return nil, &ConfigError{Field: "Customers", Reason: fmt.Sprintf("more than %d", MaxCustomers)}
	case c.Customers == 0:
		p.customers = 1000
	}
	switch {
	case c.Months < 0:
		return nil, &ConfigError{Field: "Months", Reason: "negative"}
	case c.Months > MaxMonths:
		return nil, &ConfigError{Field: "Months", Reason: fmt.Sprintf("more than %d", MaxMonths)}
	case c.Months == 0:
		p.months = 12
	}
	if c.Market >= numMarkets {
		return nil, &ConfigError{Field: "Market", Reason: "unknown market"}
	}
	p.market = marketData(c.Market)
	loc, err := time.LoadLocation(p.market.zone)
	if err != nil {
		// The time zone database is missing on this system.
		return nil, &ConfigError{Field: "Market", Reason: "time zone " + p.market.zone + " not available"}
	}
	p.loc = loc
	if c.Start.IsZero() {
		p.start = time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	} else {
		if y := c.Start.Year(); y < 1990 || y > 2150 {
			return nil, &ConfigError{Field: "Start", Reason: "year outside 1990-2150"}
		}
		p.start = c.Start.Truncate(time.Second).In(loc)
	}
	p.end = p.start.AddDate(0, p.months, 0)
	var ok bool
	if p.fraudShare, ok = share(c.FraudShare, 0.03); !ok {
		return nil, &ConfigError{Field: "FraudShare", Reason: "NaN or greater than 1"}
	}
	if p.hardShare, ok = share(c.HardCaseShare, 0.05); !ok {
		return nil, &ConfigError{Field: "HardCaseShare", Reason: "NaN or greater than 1"}
	}
	if len(c.Patterns) == 0 {
		p.patterns = AllPatterns()
	} else {
		for _, pt := range c.Patterns {
			if pt == 0 || pt >= numPatterns {
				return nil, &ConfigError{Field: "Patterns", Reason: "unknown pattern"}
			}
		}
		p.patterns = append([]Pattern(nil), c.Patterns...)
	}
	return p, nil
}

// share applies the zero default and the negative-means-none rule.
func share(v, def float64) (float64, bool) {
	switch {
	case math.IsNaN(v) || v > 1:
		return 0, false
	case v == 0:
		return def, true
	case v < 0:
		return 0, true
	}
	return v, true
}

// Pattern is a fraud pattern. Each episode of a pattern labels all its
// events (sessions and feature use included) as fraud.
type Pattern uint8

// Fraud patterns.
const (
	// PatternAccountTakeover: stolen credentials used from a new device
	// abroad, with weak authentication, at unusual hours, draining the
	// account to new payees.
	PatternAccountTakeover Pattern = iota + 1
	// PatternSIMSwap: the fraudster takes over the customer's phone number,
	// logs in from a new device on a new network in the home country
	// with password and SMS one-time code, and drains quickly to new payees.
	PatternSIMSwap
	// PatternAPPScam: an authorised push-payment scam: the customer, on
	// their own device, network and place with their usual authentication,
	// sends one or several large transfers to a new payee.
	PatternAPPScam
	// PatternCardTesting: card details tried with bursts of tiny
	// card-not-present purchases at unfamiliar online merchants, from the
	// fraudster's device and network, followed by larger purchases.
	PatternCardTesting
	// PatternClonedCard: a skimmed card used card-present (POS and ATM)
	// far away shortly after genuine use at home: impossible travel.
	PatternClonedCard
	numPatterns
)

var patternNames = [...]string{
	PatternAccountTakeover: "account_takeover", PatternSIMSwap: "sim_swap",
	PatternAPPScam: "app_scam", PatternCardTesting: "card_testing", PatternClonedCard: "cloned_card",
}

// String returns the pattern's name, for example "sim_swap".
func (p Pattern) String() string {
	if p > 0 && p < numPatterns {
		return patternNames[p]
	}
	return "invalid"
}

// AllPatterns returns every fraud pattern, in declaration order.
func AllPatterns() []Pattern {
	out := make([]Pattern, 0, numPatterns-1)
	for p := Pattern(1); p < numPatterns; p++ {
		out = append(out, p)
	}
	return out
}

// HardCaseKind is a kind of honest behaviour that looks unusual: all its
// events are labelled genuine.
type HardCaseKind uint8

// Honest hard cases.
const (
	// HardTravelAbroad: a trip abroad on the usual phone: foreign country,
	// coordinates, Wi-Fi networks and local hours, card-present purchases
	// and cash abroad, a flight and hotel booked beforehand.
	HardTravelAbroad HardCaseKind = iota + 1
	// HardTravelDomestic: a trip to another city of the home country, with
	// card-present spending there after a plausible journey.
	HardTravelDomestic
	// HardNewPhone: the customer switches phone: a new device whose first
	// login uses strong authentication, and which then stays in use.
	HardNewPhone
	// HardLargeKnownPayee: a large transfer (several times the usual) to a
	// payee the customer has paid before.
	HardLargeKnownPayee
	// HardNewRentPayee: the customer moves home: rent to a new landlord
	// (deposit and monthly rent), a new home place and home network.
	HardNewRentPayee
	// HardLargeNewPayee: a genuine large one-off payment to a new payee
	// (a car dealer, a builder, a school), the honest twin of a scam.
	HardLargeNewPayee
	numHardCases
)

var hardCaseNames = [...]string{
	HardTravelAbroad: "travel_abroad", HardTravelDomestic: "travel_domestic", HardNewPhone: "new_phone",
	HardLargeKnownPayee: "large_known_payee", HardNewRentPayee: "new_rent_payee",
	HardLargeNewPayee: "large_new_payee",
}

// String returns the kind's name, for example "new_phone".
func (k HardCaseKind) String() string {
	if k > 0 && k < numHardCases {
		return hardCaseNames[k]
	}
	return "invalid"
}

// AllHardCases returns every hard-case kind, in declaration order.
func AllHardCases() []HardCaseKind {
	out := make([]HardCaseKind, 0, numHardCases-1)
	for k := HardCaseKind(1); k < numHardCases; k++ {
		out = append(out, k)
	}
	return out
}

// Stage is a customer's financial life-cycle stage, the truth that
// lifecycle segmentation is measured against.
type Stage string

// Life-cycle stages.
const (
	StageStudent            Stage = "student"
	StageEarlyCareer        Stage = "early_career"
	StageFamilyFormation    Stage = "family_formation"
	StageWealthAccumulation Stage = "wealth_accumulation"
	StagePreRetirement      Stage = "pre_retirement"
	StageRetired            Stage = "retired"
)

// Stages returns the stages from youngest to oldest.
func Stages() []Stage {
	return []Stage{StageStudent, StageEarlyCareer, StageFamilyFormation, StageWealthAccumulation,
		StagePreRetirement, StageRetired}
}
