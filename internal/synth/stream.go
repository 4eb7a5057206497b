package synth

import (
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Roll says where a scheduled payment moves when its nominal date falls on
// a Saturday or Sunday. Public holidays are not modelled.
type Roll uint8

// Weekend rules.
const (
	// RollNone: paid on the nominal date, weekend or not (card
	// subscriptions, automatic debits that run every day).
	RollNone Roll = iota
	// RollPreceding: moved back to the Friday before, as payroll usually is.
	RollPreceding
	// RollFollowing: moved on to the Monday after, as direct debits and
	// standing orders that run on business days are.
	RollFollowing
)

// String returns "none", "preceding" or "following".
func (r Roll) String() string {
	switch r {
	case RollNone:
		return "none"
	case RollPreceding:
		return "preceding"
	case RollFollowing:
		return "following"
	}
	return "invalid"
}

// Purpose says what a recurring stream pays for.
type Purpose string

// Purposes of income streams.
const (
	PurposeSalary    Purpose = "salary"    // wages from an employer (kind salary)
	PurposeGig       Purpose = "gig"       // weekly platform payouts (kind transfer_in), varying amounts
	PurposePension   Purpose = "pension"   // state or private pension (kind pension)
	PurposeAllowance Purpose = "allowance" // a student's allowance from a parent (kind transfer_in)
	PurposeHousehold Purpose = "household" // household money from a spouse (kind transfer_in)
)

// Purposes of bill streams.
const (
	PurposeRent          Purpose = "rent"           // transfer_out to a landlord or letting company
	PurposeUtilities     Purpose = "utilities"      // electricity, water, gas (bill_payment, MCC 4900)
	PurposeTelecom       Purpose = "telecom"        // mobile or broadband plan (bill_payment, MCC 4814)
	PurposeInsurance     Purpose = "insurance"      // insurance premium (bill_payment, MCC 6300)
	PurposeSubscription  Purpose = "subscription"   // streaming, music, cloud (purchase, MCC 4899 or 5815)
	PurposeMortgage      Purpose = "mortgage"       // loan_repayment
	PurposeCarLoan       Purpose = "car_loan"       // loan_repayment
	PurposeConsumerLoan  Purpose = "consumer_loan"  // loan_repayment
	PurposeChildcare     Purpose = "childcare"      // bill_payment, MCC 8351
	PurposeTuition       Purpose = "tuition"        // bill_payment, MCC 8220 or 8299 (school, tutoring)
	PurposeFamilySupport Purpose = "family_support" // transfer_out to a parent
)

// Stream is the truth of one recurring flow of payments the simulator
// generated: a salary, pension or allowance (income), or a bill, rent,
// subscription or loan repayment (bills). Its occurrences are exactly the
// schedule's dates from First to Last (see Next), except that the dates
// listed in Exceptions were paid late or not at all.
type Stream struct {
	Counterparty string       // payer or payee, as in the events
	Kind         profile.Kind // kind of every occurrence
	MCC          uint16       // merchant category code of every occurrence, 0 when none
	Purpose      Purpose
	// Frequency is the cadence. Monthly streams fall on Day (0: the last
	// day of the month; a day past the month's end means its last day);
	// semi-monthly ones on the 15th and the last day; weekly and biweekly
	// ones every 7 or 14 days from First.
	Frequency profile.Frequency
	Day       int
	Roll      Roll            // weekend rule of monthly and semi-monthly dates
	Amount    decimal.Decimal // nominal amount of one payment; actual amounts vary around it
	// First and Last are the first and last scheduled occurrences
	// generated, at the stream's fixed time of day. Every occurrence is at
	// that local time of day.
	First, Last time.Time
	Count       int  // payments generated (late payments included, missed ones not)
	OtherLender bool // a loan repayment to a lender other than OwnBank
	// Exceptions lists scheduled dates not paid on time (never First or
	// Last), in date order.
	Exceptions []Exception
}

// Exception is a scheduled payment that was not made on its date.
type Exception struct {
	Due  time.Time // the scheduled date
	Paid time.Time // when it was paid late; the zero time when missed
}

// OwnBank is the name under which the simulated bank receives loan
// repayments; repayments to any other counterparty are to other lenders.
// Pass it as profile.Options.OwnInstitution.
const OwnBank = "Suanpan Bank"

// Next returns the stream's next scheduled date strictly after after: the
// truth that a profile's predicted next payment date is compared to. It
// follows the schedule without regard to First, Last or Exceptions (it
// keeps answering past Last), at the stream's time of day in First's time
// zone. It returns the zero time for a stream without a schedule.
func (s Stream) Next(after time.Time) time.Time {
	if s.First.IsZero() {
		return time.Time{}
	}
	loc := s.First.Location()
	h, mi, sec := s.First.Clock()
	switch s.Frequency {
	case profile.FrequencyWeekly, profile.FrequencyBiweekly:
		step := 7
		if s.Frequency == profile.FrequencyBiweekly {
			step = 14
		}
		// Whole steps between First and after, in calendar days.
		fy, fm, fd := s.First.Date()
		a := after.In(loc)
		ay, am, ad := a.Date()
		days := int(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).Sub(time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		k := floorDivInt(days, step) - 1
		for ; ; k++ {
			c := time.Date(fy, fm, fd+k*step, h, mi, sec, 0, loc)
			if c.After(after) {
				return c
			}
		}
	case profile.FrequencyMonthly, profile.FrequencySemiMonthly:
		a := after.In(loc)
		y, m, _ := a.Date()
		// A roll moves a date by at most two days, so the month before
		// after's month is the earliest that can hold the answer.
		for k := -1; k < 3; k++ {
			mm := m + time.Month(k)
			var days [2]int
			n := 1
			days[0] = s.Day
			if s.Frequency == profile.FrequencySemiMonthly {
				days[0], days[1], n = 15, 0, 2
			}
			for i := 0; i < n; i++ {
				c := scheduled(y, mm, days[i], h, mi, sec, s.Roll, loc)
				if c.After(after) {
					return c
				}
			}
		}
	}
	return time.Time{}
}

// scheduled returns the payment date for nominal day d of month m (0: the
// last day; clipped to the month's length) with the weekend rule applied.
func scheduled(y int, m time.Month, d, h, mi, sec int, roll Roll, loc *time.Location) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) // normalises m
	y, m = first.Year(), first.Month()
	dim := daysIn(y, m)
	if d <= 0 || d > dim {
		d = dim
	}
	t := time.Date(y, m, d, h, mi, sec, 0, loc)
	switch t.Weekday() {
	case time.Saturday:
		switch roll {
		case RollPreceding:
			t = time.Date(y, m, d-1, h, mi, sec, 0, loc)
		case RollFollowing:
			t = time.Date(y, m, d+2, h, mi, sec, 0, loc)
		}
	case time.Sunday:
		switch roll {
		case RollPreceding:
			t = time.Date(y, m, d-2, h, mi, sec, 0, loc)
		case RollFollowing:
			t = time.Date(y, m, d+1, h, mi, sec, 0, loc)
		}
	}
	return t
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDivInt(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dates returns the stream's scheduled dates in [from, to), walking Next.
func (s Stream) dates(from, to time.Time) []time.Time {
	var out []time.Time
	for t := s.Next(from.Add(-time.Nanosecond)); !t.IsZero() && t.Before(to); t = s.Next(t) {
		out = append(out, t)
	}
	return out
}
