package profile

import (
	"math"
	"time"
)

var (
	minEventTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxEventTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// Validate checks e without applying it: required fields, enumerations,
// the amount against its currency's minor units, IP and coordinates. It
// returns a *FieldError naming the first bad field. Validate does not check
// e against any profile (ordering, duplicates, customer); Builder.Apply does.
func (e *Event) Validate() error {
	_, err := validateEvent(e)
	return err
}

// validateEvent validates e and returns a transaction's amount in units of
// 10^-4 of its currency (0 for other types).
func validateEvent(e *Event) (int64, error) {
	if e.ID == "" {
		return 0, newFieldError("event_id", "", ErrMissing)
	}
	if e.CustomerID == "" {
		return 0, newFieldError("customer_id", "", ErrMissing)
	}
	if e.Time.IsZero() {
		return 0, newFieldError("time", "", ErrMissing)
	}
	if s := e.Time.Unix(); s < minEventTime || s >= maxEventTime {
		return 0, newFieldError("time", e.Time.Format(time.RFC3339), ErrInvalid)
	}
	if e.Channel > ChannelPhone {
		return 0, newFieldError("channel", e.Channel.String(), ErrInvalid)
	}
	if e.Auth>>numAuthMethods != 0 {
		return 0, newFieldError("auth", "", ErrInvalid)
	}
	if e.Label > LabelFraud || e.Label < LabelNone {
		return 0, newFieldError("label", "", ErrInvalid)
	}
	if e.IP.IsValid() && e.IP.Zone() != "" {
		return 0, newFieldError("ip", "", ErrInvalid)
	}
	if err := validateLocation(&e.Location); err != nil {
		return 0, err
	}
	var units int64
	switch e.Type {
	case TypeTransaction:
		if e.Kind == 0 {
			return 0, newFieldError("kind", "", ErrMissing)
		}
		if e.Kind > KindOther {
			return 0, newFieldError("kind", "", ErrInvalid)
		}
		if e.Direction == 0 {
			return 0, newFieldError("direction", "", ErrMissing)
		}
		if e.Direction > Credit {
			return 0, newFieldError("direction", "", ErrInvalid)
		}
		if want := e.Kind.Direction(); want != 0 && want != e.Direction {
			return 0, newFieldError("direction", e.Direction.String(), ErrInvalid)
		}
		if e.MCC > 9999 {
			return 0, newFieldError("mcc", "", ErrInvalid)
		}
		u, err := checkAmount(e.Amount, e.Currency)
		if err != nil {
			return 0, err
		}
		units = u
	case TypeSession, TypeFeature:
		if e.Kind != 0 {
			return 0, newFieldError("kind", e.Kind.String(), ErrInvalid)
		}
		if e.Direction != 0 {
			return 0, newFieldError("direction", e.Direction.String(), ErrInvalid)
		}
		if !e.Amount.IsZero() {
			return 0, newFieldError("amount", "", ErrInvalid)
		}
		if e.Currency != "" {
			return 0, newFieldError("currency", e.Currency, ErrInvalid)
		}
		if e.Type == TypeFeature && e.Feature == "" {
			return 0, newFieldError("feature", "", ErrMissing)
		}
	case 0:
		return 0, newFieldError("type", "", ErrMissing)
	default:
		return 0, newFieldError("type", "", ErrInvalid)
	}
	return units, nil
}

func validateLocation(l *Location) error {
	if l.HasCoords {
		if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 {
			return newFieldError("lat", "", ErrInvalid)
		}
		if math.IsNaN(l.Lon) || l.Lon < -180 || l.Lon > 180 {
			return newFieldError("lon", "", ErrInvalid)
		}
	} else if l.Lat != 0 || l.Lon != 0 {
		return newFieldError("lat", "", ErrInvalid)
	}
	if c := l.Country; c != "" && (len(c) != 2 || !upper(c[0]) || !upper(c[1])) {
		return newFieldError("country", c, ErrInvalid)
	}
	return nil
}

func upper(b byte) bool { return b >= 'A' && b <= 'Z' }

// Validate checks the customer's attributes: an ID, a known currency, a
// loadable IANA time zone, a non-negative declared income within the
// currency's minor units, and dates that are not in the far future.
func (c *Customer) Validate() error {
	if c.ID == "" {
		return newFieldError("customer_id", "", ErrMissing)
	}
	if c.Currency == "" {
		return newFieldError("currency", "", ErrMissing)
	}
	minor, ok := minorUnits[c.Currency]
	if !ok {
		return newFieldError("currency", c.Currency, ErrUnknownCurrency)
	}
	if _, err := loadLocation(c.TimeZone); err != nil {
		return newFieldError("time_zone", c.TimeZone, ErrInvalid)
	}
	if c.DeclaredMonthlyIncome.Sign() < 0 {
		return newFieldError("declared_monthly_income", "", ErrInvalid)
	}
	if !c.DeclaredMonthlyIncome.IsZero() {
		u, ok := toUnits(c.DeclaredMonthlyIncome)
		if !ok || u%pow10[unitScale-int(minor)] != 0 {
			return newFieldError("declared_monthly_income", "", ErrInvalid)
		}
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"birth_date", c.BirthDate}, {"joined", c.Joined}} {
		if !d.t.IsZero() && (d.t.Unix() < -maxEventTime || d.t.Unix() >= maxEventTime) {
			return newFieldError(d.name, "", ErrInvalid)
		}
	}
	return nil
}
