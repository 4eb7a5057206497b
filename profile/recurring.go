package profile

import (
	"time"

	"github.com/shopspring/decimal"
)

// Frequency is the cadence of a recurring stream of payments.
type Frequency uint8

// Frequencies, as Plaid's recurring-transactions product names them.
const (
	FrequencyUnknown     Frequency = iota // not (yet) regular
	FrequencyWeekly                       // every 7 days
	FrequencyBiweekly                     // every 14 days, on the same weekday
	FrequencySemiMonthly                  // twice a month on fixed days (1st and 15th, 15th and last)
	FrequencyMonthly                      // once a month on a fixed day or the month end
)

var frequencyNames = [...]string{
	FrequencyUnknown: "unknown", FrequencyWeekly: "weekly", FrequencyBiweekly: "biweekly",
	FrequencySemiMonthly: "semi_monthly", FrequencyMonthly: "monthly",
}

// String returns the frequency's name, for example "semi_monthly".
func (f Frequency) String() string { return enumString(frequencyNames[:], uint8(f)) }

// PerMonth returns the average number of payments a month at frequency f
// (52/12 weekly, 26/12 biweekly, 2 semi-monthly, 1 monthly, 0 unknown).
func (f Frequency) PerMonth() float64 {
	switch f {
	case FrequencyWeekly:
		return 52.0 / 12
	case FrequencyBiweekly:
		return 26.0 / 12
	case FrequencySemiMonthly:
		return 2
	case FrequencyMonthly:
		return 1
	}
	return 0
}

// grace is how long past its expected date a stream may be late before it
// counts as stopped: about half its period.
func (f Frequency) grace() int64 {
	switch f {
	case FrequencyWeekly:
		return 4 * dayWidth
	case FrequencyBiweekly, FrequencySemiMonthly:
		return 7 * dayWidth
	}
	return 15 * dayWidth
}

// fits reports whether an interval of d days continues cadence f, allowing
// for payments moved around weekends and holidays.
func (f Frequency) fits(d int32) bool {
	switch f {
	case FrequencyWeekly:
		return d >= 6 && d <= 8
	case FrequencyBiweekly:
		return d >= 12 && d <= 16
	case FrequencySemiMonthly:
		return d >= 10 && d <= 20
	case FrequencyMonthly:
		return d >= 25 && d <= 36
	}
	return false
}

// days is the average period of cadence f in days (0 when unknown).
func (f Frequency) days() float64 {
	if m := f.PerMonth(); m > 0 {
		return 365.2425 / 12 / m
	}
	return 0
}

// maxInterval is the longest interval in days that continues cadence f.
func (f Frequency) maxInterval() int32 {
	switch f {
	case FrequencyWeekly:
		return 8
	case FrequencyBiweekly:
		return 16
	case FrequencySemiMonthly:
		return 20
	}
	return 36
}

// classify guesses a cadence from one interval of d days.
func classify(d int32) Frequency {
	switch {
	case d >= 6 && d <= 8:
		return FrequencyWeekly
	case d >= 13 && d <= 15:
		return FrequencyBiweekly
	case d >= 10 && d <= 20:
		return FrequencySemiMonthly
	case d >= 26 && d <= 35:
		return FrequencyMonthly
	}
	return FrequencyUnknown
}

// StreamStatus is the state of a recurring stream, following Plaid's
// recurring-transactions statuses: early detection, mature, and stopped
// (Plaid: tombstoned).
type StreamStatus uint8

// Stream statuses.
const (
	StatusEarly   StreamStatus = iota + 1 // fewer than 3 occurrences on cadence
	StatusMature                          // at least 3 occurrences on cadence
	StatusStopped                         // overdue past the grace period
)

var statusNames = [...]string{StatusEarly: "early", StatusMature: "mature", StatusStopped: "stopped"}

// String returns "early", "mature" or "stopped".
func (s StreamStatus) String() string { return enumString(statusNames[:], uint8(s)) }

// stream is a recurring flow of payments to or from one counterparty.
type stream struct {
	id          uint64
	name        string
	kind        Kind               // kind of the latest occurrence
	times       [streamDepth]int64 // latest occurrences, newest first, unix seconds
	amounts     [streamDepth]int64 // their amounts, units of 10^-4 (same-day payments merged)
	n           uint8              // filled entries of times and amounts
	count       uint32             // occurrences (distinct local days)
	streak      uint16             // consecutive occurrences on cadence, counting the first
	freq        Frequency
	otherLender bool   // loan repayments to another institution
	rollSeen    uint8  // weekend rule seen in the payments: 0 none yet, else roll+1
	offCadence  uint16 // payments late or after missed ones that kept the cadence
	lastOff     bool   // the latest interval was off cadence
	first       int64  // the first payment, unix seconds
}

// observe records one payment at unix time t of the given amount.
// Payments on the same local day as the latest are merged into it;
// payments older than the latest occurrence are ignored (the stream only
// moves forward).
func (s *stream) observe(t, units int64, kind Kind, loc *time.Location) {
	s.kind = kind
	if s.n == 0 {
		s.times[0], s.amounts[0], s.n, s.count, s.streak, s.first = t, units, 1, 1, 1, t
		return
	}
	d := localDay(t, loc) - localDay(s.times[0], loc)
	if d < 0 {
		return
	}
	if d == 0 {
		s.amounts[0] += units
		return
	}
	copy(s.times[1:], s.times[:streamDepth-1])
	copy(s.amounts[1:], s.amounts[:streamDepth-1])
	s.times[0], s.amounts[0] = t, units
	if s.n < streamDepth {
		s.n++
	}
	s.count++
	switch {
	case s.freq != FrequencyUnknown && s.freq.fits(d):
		if s.streak < 1<<15 {
			s.streak++
		}
		s.lastOff = false
	case s.freq != FrequencyUnknown && s.streak >= 2 && !s.lastOff &&
		d > s.freq.maxInterval() && float64(d) <= 3.5*s.freq.days():
		// Late, or after one or two missed payments: the stream keeps its
		// cadence (a missed loan repayment is not a loan that ended) and
		// counts the irregularity. Two such intervals in a row mean the
		// cadence itself changed, and it is classified afresh.
		if s.offCadence < 1<<15 {
			s.offCadence++
		}
		s.lastOff = true
	default:
		s.lastOff = false
		s.freq = classify(d)
		s.streak = 1
		if s.freq != FrequencyUnknown {
			s.streak = 2
		}
	}
	if s.freq == FrequencyBiweekly || s.freq == FrequencySemiMonthly {
		s.refine(loc)
	}
	if r, ok := s.rollEvidence(loc); ok {
		s.rollSeen = uint8(r) + 1
	}
}

// anchors returns the stream's usual days of the month (see anchor) and
// how many there are: none for weekly and biweekly streams.
func (s *stream) anchors(loc *time.Location) ([2]int, int) {
	switch s.freq {
	case FrequencyMonthly:
		return [2]int{s.anchor(loc, 1, 31)}, 1
	case FrequencySemiMonthly:
		lo, hi := s.anchor(loc, 1, 15), s.anchor(loc, 16, 31)
		if lo == 0 {
			lo = hi - 15
			if hi == eom {
				lo = 15
			}
		}
		if hi == 0 {
			hi = lo + 15
		}
		return [2]int{lo, hi}, 2
	}
	return [2]int{}, 0
}

// refine tells biweekly from semi-monthly once three occurrences are known:
// biweekly pay falls on the same weekday 14 days apart; semi-monthly pay
// falls on fixed days of the month, so its weekday drifts.
func (s *stream) refine(loc *time.Location) {
	if s.n < 3 {
		return
	}
	biweekly := true
	wd := (localDay(s.times[0], loc)%7 + 7) % 7
	for i := 1; i < int(s.n); i++ {
		d := localDay(s.times[i-1], loc) - localDay(s.times[i], loc)
		if d < 13 || d > 15 || (localDay(s.times[i], loc)%7+7)%7 != wd {
			biweekly = false
		}
	}
	if biweekly {
		s.freq = FrequencyBiweekly
	} else {
		s.freq = FrequencySemiMonthly
	}
}

// mean returns the average of the remembered amounts, in currency units.
func (s *stream) mean() float64 {
	if s.n == 0 {
		return 0
	}
	var sum int64
	for i := 0; i < int(s.n); i++ {
		sum += s.amounts[i]
	}
	return unitsFloat(sum) / float64(s.n)
}

// next returns the expected time of the next payment, or 0 when the cadence
// is unknown. Monthly and semi-monthly payments are expected on their usual
// day of the month (the most frequent one; the month end when every payment
// fell in a month's last five days). A date on a weekend moves as the
// stream's own history shows (see roll); without evidence, credits move back
// to the Friday before, as payroll usually does, and debits on to the
// Monday after, as direct debits on business days do.
func (s *stream) next(loc *time.Location) int64 {
	if s.n == 0 {
		return 0
	}
	last := s.times[0]
	switch s.freq {
	case FrequencyWeekly:
		return last + 7*dayWidth
	case FrequencyBiweekly:
		return last + 14*dayWidth
	case FrequencyMonthly, FrequencySemiMonthly:
		a, n := s.anchors(loc)
		gap := int64(10)
		if n == 2 {
			gap = 5
		}
		return nextOnAnchors(last, loc, gap, s.roll(loc), a[:n])
	}
	return 0
}

// Weekend rolls: where a payment due on a Saturday or Sunday lands.
const (
	rollPreceding = iota // the Friday before
	rollFollowing        // the Monday after
	rollNone             // the weekend day itself
)

// roll returns the stream's weekend rule: the latest evidence seen in its
// payments (see rollEvidence), else credits roll back (payroll) and debits
// forward (direct debits on business days).
func (s *stream) roll(loc *time.Location) int {
	if s.rollSeen != 0 {
		return int(s.rollSeen) - 1
	}
	if s.kind.Direction() == Debit {
		return rollFollowing
	}
	return rollPreceding
}

// rollEvidence looks for the weekend rule in the remembered payments, newest
// first: a payment on a weekend means none; one within two days of an
// anchored date that fell on a weekend shows the direction it moved.
func (s *stream) rollEvidence(loc *time.Location) (int, bool) {
	a, n := s.anchors(loc)
	anchors := a[:n]
	if n == 0 {
		return 0, false
	}
	for i := 0; i < int(s.n); i++ {
		lt := time.Unix(s.times[i], 0).In(loc)
		if wd := lt.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return rollNone, true
		}
		for _, a := range anchors {
			for k := -1; k <= 1; k++ {
				due := anchorDate(lt.Year(), lt.Month()+time.Month(k), a, lt, loc)
				if wd := due.Weekday(); wd != time.Saturday && wd != time.Sunday {
					continue
				}
				switch d := localDay(s.times[i], loc) - localDay(due.Unix(), loc); {
				case d < 0 && d >= -2:
					return rollPreceding, true
				case d > 0 && d <= 2:
					return rollFollowing, true
				}
			}
		}
	}
	return 0, false
}

// anchorDate returns the date of anchor a (a day of the month or eom) in
// the given month, at lt's time of day.
func anchorDate(y int, m time.Month, a int, lt time.Time, loc *time.Location) time.Time {
	for m < 1 {
		m += 12
		y--
	}
	for m > 12 {
		m -= 12
		y++
	}
	dim := daysIn(y, m)
	day := a
	if a == eom || a > dim {
		day = dim
	}
	return time.Date(y, m, day, lt.Hour(), lt.Minute(), lt.Second(), 0, loc)
}

// eom is the anchor meaning "the last day of the month".
const eom = 32

// anchor returns the usual day of the month among remembered occurrences
// whose day falls in [from, to]: the month end (eom) when they fell on
// different days all within the last three days of their months (the last
// business day), else the most frequent day (ties: the later day). 0 when
// none.
func (s *stream) anchor(loc *time.Location, from, to int) int {
	var counts [32]uint8
	all, endAll, days := 0, true, 0
	for i := 0; i < int(s.n); i++ {
		lt := time.Unix(s.times[i], 0).In(loc)
		d := lt.Day()
		if d < from || d > to {
			continue
		}
		all++
		if counts[d] == 0 {
			days++
		}
		counts[d]++
		if daysIn(lt.Year(), lt.Month())-d > 2 {
			endAll = false
		}
	}
	if all == 0 {
		return 0
	}
	if endAll && days >= 2 {
		return eom
	}
	best := 0
	for d := from; d <= to; d++ {
		if counts[d] > 0 && counts[d] >= counts[best] {
			best = d
		}
	}
	return best
}

// nextOnAnchors returns the first anchored date, moved off weekends by
// roll, in the month of last or the two after it that is more than minGap
// days after last.
func nextOnAnchors(last int64, loc *time.Location, minGap int64, roll int, anchors []int) int64 {
	lt := time.Unix(last, 0).In(loc)
	best := int64(0)
	for k := 0; k < 3; k++ {
		for _, a := range anchors {
			c := anchorDate(lt.Year(), lt.Month()+time.Month(k), a, lt, loc)
			switch wd := c.Weekday(); {
			case roll == rollNone:
			case wd == time.Saturday && roll == rollPreceding:
				c = c.AddDate(0, 0, -1)
			case wd == time.Sunday && roll == rollPreceding:
				c = c.AddDate(0, 0, -2)
			case wd == time.Saturday:
				c = c.AddDate(0, 0, 2)
			case wd == time.Sunday:
				c = c.AddDate(0, 0, 1)
			}
			if u := c.Unix(); u > last+minGap*dayWidth && (best == 0 || u < best) {
				best = u
			}
		}
		if best != 0 {
			return best
		}
	}
	return best
}

// evictRank orders streams for eviction: 0 stale, 1 one-off, 2 irregular,
// 3 not evictable (a live stream with a cadence). Stale is a cheap bound on
// stopped: no payment for longer than the cadence's longest interval plus
// its grace (62 days without a cadence).
func evictRank(s *stream, now int64) int {
	gap := int64(62 * dayWidth)
	if s.freq != FrequencyUnknown {
		gap = int64(s.freq.maxInterval())*dayWidth + s.freq.grace()
	}
	if now-s.times[0] > gap {
		return 0
	}
	switch {
	case s.count <= 1:
		return 1
	case s.freq == FrequencyUnknown:
		return 2
	}
	return 3
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// localDay returns the day number (days since 1970-01-01) of unix time t in loc.
func localDay(t int64, loc *time.Location) int32 {
	_, off := time.Unix(t, 0).In(loc).Zone()
	return int32(floorDiv(t+int64(off), dayWidth))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// status returns the stream's status at now and its expected next time.
func (s *stream) status(now int64, loc *time.Location) (StreamStatus, int64) {
	next := s.next(loc)
	switch {
	case next != 0 && now > next+s.freq.grace():
		return StatusStopped, next
	case next == 0 && s.n > 0 && now-s.times[0] > 62*dayWidth:
		return StatusStopped, next
	case s.streak >= 3:
		return StatusMature, next
	}
	return StatusEarly, next
}

// monthlyIncome returns what the stream contributes to the monthly income
// estimate at now, and whether it counts: a live salary or pension stream
// at its cadence (monthly while the cadence is still unknown, if paid in the
// last 45 days); any other credit stream only once mature.
func (s *stream) monthlyIncome(now int64, loc *time.Location) (float64, bool) {
	if s.n == 0 {
		return 0, false
	}
	salary := s.kind == KindSalary || s.kind == KindPension
	if s.freq == FrequencyUnknown {
		if salary && now-s.times[0] <= 45*dayWidth {
			return s.mean(), true
		}
		return 0, false
	}
	st, _ := s.status(now, loc)
	if st == StatusStopped || !salary && st != StatusMature {
		return 0, false
	}
	return s.mean() * s.freq.PerMonth(), true
}

// Stream is a recurring flow of payments from one payer (income) or to one
// payee (a bill or a loan repayment), as detected in the profile.
type Stream struct {
	Counterparty  string
	Kind          Kind // kind of the latest payment
	Frequency     Frequency
	Status        StreamStatus
	Occurrences   int             // payments seen (same-day payments count once)
	OnCadence     int             // consecutive payments on cadence, up to the latest
	AverageAmount float64         // mean of the latest payments (up to 4), currency units
	LastAmount    decimal.Decimal // the latest payment (same-day payments summed)
	MonthlyAmount float64         // AverageAmount × Frequency.PerMonth()
	FirstDate     time.Time       // the first payment seen (when the salary or loan started)
	LastDate      time.Time
	NextDate      time.Time // expected next payment; zero when the cadence is unknown
	DaysOverdue   int       // whole days past NextDate at the time asked (0 when not due)
	// OffCadence counts payments that came late or after missed ones while
	// the stream kept its cadence: repayment irregularity.
	OffCadence  int
	OtherLender bool // a loan repayment to an institution other than this bank
}

func (s *stream) view(now int64, loc *time.Location) Stream {
	st, next := s.status(now, loc)
	v := Stream{
		Counterparty:  s.name,
		Kind:          s.kind,
		Frequency:     s.freq,
		Status:        st,
		Occurrences:   int(s.count),
		OffCadence:    int(s.offCadence),
		OnCadence:     int(s.streak),
		AverageAmount: s.mean(),
		LastAmount:    fromUnits(s.amounts[0]),
		FirstDate:     time.Unix(s.first, 0).In(loc),
		LastDate:      time.Unix(s.times[0], 0).In(loc),
		OtherLender:   s.otherLender,
	}
	v.MonthlyAmount = v.AverageAmount * s.freq.PerMonth()
	if next != 0 {
		v.NextDate = time.Unix(next, 0).In(loc)
		if now > next {
			v.DaysOverdue = int((now - next) / dayWidth)
		}
	}
	return v
}

// admitStream finds or makes room for a stream with id in slots[:*n]. When
// the slots are full the candidate replaces, in this order of preference, a
// stopped stream, a one-off payment, or an irregular stream — the one seen
// longest ago; streams with a cadence are never displaced by a newcomer, so
// a run of one-off transfers cannot push out a young monthly bill. If no
// slot can be freed the candidate is not tracked and admitStream returns nil.
func admitStream(slots []stream, n *uint8, id uint64, name string, now int64) *stream {
	for i := 0; i < int(*n); i++ {
		if slots[i].id == id {
			return &slots[i]
		}
	}
	if int(*n) < len(slots) {
		s := &slots[*n]
		*n++
		*s = stream{id: id, name: name}
		return s
	}
	v, vr := -1, 3
	for i := range slots {
		r := evictRank(&slots[i], now)
		if r < vr || r == vr && r < 3 && slots[i].times[0] < slots[v].times[0] {
			v, vr = i, r
		}
	}
	if v < 0 {
		return nil
	}
	slots[v] = stream{id: id, name: name}
	return &slots[v]
}
