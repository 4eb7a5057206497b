package clv

import (
	"time"

	"github.com/shopspring/decimal"
)

// Transaction is one purchase by one customer.
type Transaction struct {
	// Customer identifies the customer; it must not be empty.
	Customer string
	// Date is the day of the purchase: its calendar date in its own
	// location is used and the time of day is ignored.
	Date time.Time
	// Amount is the money spent; it must be zero or positive and below
	// 10^15, so that sums of amounts stay far inside float64 range when
	// they are turned into statistics.
	Amount decimal.Decimal
}

// amountLimit bounds a transaction amount (exclusive).
func amountLimit() decimal.Decimal { return decimal.New(1, 15) }

// SummaryOptions controls Summarize. A nil *SummaryOptions and the zero
// value both mean: the holdout period runs to the latest transaction.
type SummaryOptions struct {
	// HoldoutEnd is the last day (inclusive) of the holdout period that
	// follows the calibration end. Zero: the date of the latest
	// transaction; no holdout if that is not after the calibration end.
	// Transactions after HoldoutEnd are ignored.
	HoldoutEnd time.Time
}

// Summary is the calibration/holdout summary of a transaction log.
type Summary struct {
	// Customers holds one entry per customer whose first purchase is on or
	// before the calibration end, in order of first appearance in the log.
	Customers []Customer
	// CalibrationEnd and HoldoutEnd are the last days (inclusive) of the
	// two periods, as midnight UTC of the calendar date. HoldoutEnd is the
	// zero time when there is no holdout period.
	CalibrationEnd, HoldoutEnd time.Time
	// HoldoutWeeks is the length of the holdout period in weeks; 0 without
	// a holdout.
	HoldoutWeeks float64
	// Repeaters counts customers with at least one repeat purchase in the
	// calibration period.
	Repeaters int
	// ZeroSpend counts repeaters whose calibration repeat purchases sum to
	// zero spend; Gamma-Gamma excludes them (Customer.Spend is 0).
	ZeroSpend int
	// Late counts customers whose first purchase is after the calibration
	// end; they are not in Customers.
	Late int
	// Transactions counts the transactions read; PurchaseDays counts the
	// (customer, day) purchases they merge into.
	Transactions, PurchaseDays int
}

// HoldoutActual returns the number of repeat purchases all customers made
// in the holdout period.
func (s *Summary) HoldoutActual() int {
	n := 0
	for i := range s.Customers {
		n += s.Customers[i].Holdout
	}
	return n
}

// dayNumber returns the calendar date of t in its own location as days
// since 1970-01-01 (proleptic Gregorian; the days_from_civil algorithm of
// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", 2013).
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dayTime(day int64) time.Time { return time.Unix(day*86400, 0).UTC() }

type custState struct {
	first, last int64 // first and latest purchase day
	calDays     int   // distinct purchase days up to the calibration end
	lastCal     int64
	holdout     int
	repeatSpend decimal.Decimal
}

// Summarize builds each customer's calibration summary from a transaction
// log, following Fader, Hardie & Lee (2005): purchases on the same calendar
// day by the same customer merge into one purchase (amounts added); time 0
// is the customer's first purchase; x (Frequency) is the number of later
// purchase days up to and including calibrationEnd; t_x (Recency) and T are
// the weeks (days/7) from the first purchase to the last such day and to
// calibrationEnd; Spend is the mean amount per repeat purchase day in the
// calibration period. Purchase days after calibrationEnd and up to the
// holdout end are counted in Holdout.
//
// Each customer's transactions must be in non-decreasing date order
// (different customers may interleave); otherwise ErrOutOfOrder. It also
// returns ErrEmpty for no transactions, a FieldError (ErrTransaction) for
// an empty customer, a zero date, or a negative or oversized amount, and
// ErrCalibrationEnd when calibrationEnd precedes every first purchase or
// opts.HoldoutEnd precedes calibrationEnd.
func Summarize(txs []Transaction, calibrationEnd time.Time, opts *SummaryOptions) (*Summary, error) {
	if calibrationEnd.IsZero() {
		return nil, fieldErr(-1, "calibrationEnd", "zero time", ErrArgument)
	}
	if len(txs) == 0 {
		return nil, ErrEmpty
	}
	var o SummaryOptions
	if opts != nil {
		o = *opts
	}
	calEnd := dayNumber(calibrationEnd)
	index := make(map[string]int)
	var ids []string
	var st []custState
	maxDay := int64(0)
	limit := amountLimit()
	days := make([]int64, len(txs))
	for i := range txs {
		tx := &txs[i]
		switch {
		case tx.Customer == "":
			return nil, fieldErr(i, "Customer", "empty", ErrTransaction)
		case tx.Date.IsZero():
			return nil, fieldErr(i, "Date", "zero time", ErrTransaction)
		case tx.Amount.Sign() < 0:
			return nil, fieldErr(i, "Amount", "negative", ErrTransaction)
		case tx.Amount.Cmp(limit) >= 0:
			return nil, fieldErr(i, "Amount", "not below 10^15", ErrTransaction)
		}
		day := dayNumber(tx.Date)
		days[i] = day
		if i == 0 || day > maxDay {
			maxDay = day
		}
		j, ok := index[tx.Customer]
		if !ok {
			j = len(st)
			index[tx.Customer] = j
			ids = append(ids, tx.Customer)
			st = append(st, custState{first: day, last: day - 1})
		}
		c := &st[j]
		if day < c.last {
			return nil, fieldErr(i, "Date", "earlier than the customer's previous transaction", ErrOutOfOrder)
		}
		if day <= calEnd {
			if day != c.last {
				c.calDays++
				c.lastCal = day
			}
			if day != c.first {
				c.repeatSpend = c.repeatSpend.Add(tx.Amount)
			}
		}
		c.last = day
	}
	holdEnd := maxDay
	if !o.HoldoutEnd.IsZero() {
		holdEnd = dayNumber(o.HoldoutEnd)
		if holdEnd < calEnd {
			return nil, fieldErr(-1, "HoldoutEnd", "before the calibration end", ErrCalibrationEnd)
		}
	}
	// Second pass for holdout purchase days and the number of purchase
	// days, now that the holdout end is known.
	lastSeen := make([]int64, len(st))
	for j := range lastSeen {
		lastSeen[j] = st[j].first - 1
	}
	s := &Summary{
		CalibrationEnd: dayTime(calEnd),
		Transactions:   len(txs),
	}
	for i := range txs {
		j := index[txs[i].Customer]
		day := days[i]
		if day == lastSeen[j] {
			continue
		}
		lastSeen[j] = day
		s.PurchaseDays++
		if day > calEnd && day <= holdEnd && st[j].first <= calEnd {
			st[j].holdout++
		}
	}
	if holdEnd > calEnd {
		s.HoldoutEnd = dayTime(holdEnd)
		s.HoldoutWeeks = float64(holdEnd-calEnd) / 7
	}
	for j := range st {
		c := &st[j]
		if c.first > calEnd {
			s.Late++
			continue
		}
		cu := Customer{
			ID:        ids[j],
			Frequency: c.calDays - 1,
			T:         float64(calEnd-c.first) / 7,
			Holdout:   c.holdout,
		}
		if cu.Frequency > 0 {
			cu.Recency = float64(c.lastCal-c.first) / 7
			s.Repeaters++
			if c.repeatSpend.Sign() == 0 {
				s.ZeroSpend++
			} else {
				cu.Spend = c.repeatSpend.InexactFloat64() / float64(cu.Frequency)
			}
		}
		s.Customers = append(s.Customers, cu)
	}
	if len(s.Customers) == 0 {
		return nil, fieldErr(-1, "calibrationEnd", "before every first purchase", ErrCalibrationEnd)
	}
	return s, nil
}
