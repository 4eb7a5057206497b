package risk

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Limits are a bank's hard limits for payments in one currency, in exact
// decimal money. A zero limit means no limit. A Config holds one Limits per
// currency; payments in a currency without Limits meet no hard limit (the
// habit layer still compares them with the customer's habits).
type Limits struct {
	// Currency is the ISO 4217 code the limits are in.
	Currency string
	// PerTransaction caps one payment.
	PerTransaction decimal.Decimal
	// Daily caps the customer's debits on one local calendar day (in the
	// customer's time zone), this payment included, using the profile's
	// exact sum of today's debits. Only payments in the profile currency
	// are summed; a payment in another currency is checked on its own.
	Daily decimal.Decimal
	// PerChannel caps one payment on a channel (indexed by
	// profile.Channel), for example the ATM's cash limit.
	PerChannel [profile.NumChannels]decimal.Decimal
	// PerLevel caps the day's debits, this payment included, by the
	// authentication level the payment presents (index 0: no
	// authentication; index i: level i of the Policy's AuthLevels). An
	// index beyond the slice, or a zero entry, means no limit at that
	// level. A payment over the limit of its level steps up to the lowest
	// higher level whose limit admits it (PBOC 2015 tiers:
	// PBOC2015Limits).
	PerLevel []decimal.Decimal
}

// validate checks l.
func (l *Limits) validate(field string, levels int) error {
	if _, ok := profile.MinorUnits(l.Currency); !ok {
		return &ConfigError{Field: field + ".Currency", Reason: "not an ISO 4217 code"}
	}
	neg := func(f string, d decimal.Decimal) error {
		if d.Sign() < 0 {
			return &ConfigError{Field: field + "." + f, Reason: "negative"}
		}
		return nil
	}
	if err := neg("PerTransaction", l.PerTransaction); err != nil {
		return err
	}
	if err := neg("Daily", l.Daily); err != nil {
		return err
	}
	for i, d := range l.PerChannel {
		if err := neg(fmt.Sprintf("PerChannel[%d]", i), d); err != nil {
			return err
		}
	}
	if len(l.PerLevel) > levels+1 {
		return &ConfigError{Field: field + ".PerLevel", Reason: fmt.Sprintf("more entries than levels 0 to %d", levels)}
	}
	for i, d := range l.PerLevel {
		if err := neg(fmt.Sprintf("PerLevel[%d]", i), d); err != nil {
			return err
		}
	}
	return nil
}

// levelLimit returns the daily limit at level i and whether there is one.
func (l *Limits) levelLimit(i int) (decimal.Decimal, bool) {
	if i < 0 || i >= len(l.PerLevel) || l.PerLevel[i].IsZero() {
		return decimal.Decimal{}, false
	}
	return l.PerLevel[i], true
}
