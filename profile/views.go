package profile

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Seen describes one member of a profile's top-K set: a device, IP network,
// place, country, counterparty or app function.
type Seen struct {
	// Key is the member: the device ID, network prefix ("203.0.113.0/24"),
	// country code, counterparty or function name. When the profile keeps
	// keyed hashes (Options.HashKey), devices and networks show the hash as
	// "h:" and 16 hex digits instead.
	Key    string
	First  time.Time
	Last   time.Time
	Count  int     // observations
	Weight float64 // time-decayed observations at the time asked
}

func (p *Profile) decay(now time.Time) float64 {
	if p.seq == 0 {
		return 0
	}
	return math.Exp(-float64(now.Unix()-p.landmark) / p.tau)
}

// seenList returns the members of s, heaviest first (ties by key), and the
// ids in the same order.
func (p *Profile) seenList(s *topK, now time.Time, key func(i int, s *seen) string) ([]Seen, []uint64) {
	f := p.decay(now)
	idx := make([]int, len(s.items))
	out := make([]Seen, len(s.items))
	for i := range s.items {
		it := &s.items[i]
		idx[i] = i
		out[i] = Seen{
			Key: key(i, it), First: time.Unix(it.first, 0).UTC(), Last: time.Unix(it.last, 0).UTC(),
			Count: int(it.count), Weight: float64(it.w) * f,
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(out[b].Weight, out[a].Weight); c != 0 {
			return c
		}
		return cmp.Compare(out[a].Key, out[b].Key)
	})
	sorted := make([]Seen, len(idx))
	ids := make([]uint64, len(idx))
	for i, j := range idx {
		sorted[i], ids[i] = out[j], s.items[j].id
	}
	return sorted, ids
}

func (p *Profile) seenOnly(s *topK, now time.Time) []Seen {
	out, _ := p.seenList(s, now, func(_ int, s *seen) string { return labelOrHash(s) })
	return out
}

func labelOrHash(s *seen) string {
	if s.label != "" {
		return s.label
	}
	return fmt.Sprintf("h:%016x", s.id)
}

// Devices returns the known devices, most used (time-decayed) first.
func (p *Profile) Devices(now time.Time) []Seen { return p.seenOnly(&p.devices, now) }

// Networks returns the known IP networks, most used first.
func (p *Profile) Networks(now time.Time) []Seen {
	out, _ := p.seenList(&p.networks, now, func(i int, s *seen) string {
		if p.netPrefix[i].IsValid() {
			return p.netPrefix[i].String()
		}
		return labelOrHash(s)
	})
	return out
}

// Countries returns the known countries, most used first.
func (p *Profile) Countries(now time.Time) []Seen {
	return p.seenOnly(&p.countries, now)
}

// Counterparties returns the known payees and payers, most used first.
func (p *Profile) Counterparties(now time.Time) []Seen {
	return p.seenOnly(&p.counterparties, now)
}

// AppFunctions returns the app functions the customer uses, favourite first:
// the order in which to show them in a personalised menu.
func (p *Profile) AppFunctions(now time.Time) []Seen {
	return p.seenOnly(&p.appFunctions, now)
}

// Place is a known place: a cell of 0.1 degree (about 11 km) identified by
// its centre.
type Place struct {
	Lat, Lon float64 // centre of the cell
	Seen
}

// Places returns the known places, most used first. Key is "lat,lon" of the
// cell centre.
func (p *Profile) Places(now time.Time) []Place {
	list, ids := p.seenList(&p.cells, now, func(_ int, s *seen) string {
		la, lo := cellCentre(s.id)
		return fmt.Sprintf("%.2f,%.2f", la, lo)
	})
	out := make([]Place, len(list))
	for i, s := range list {
		out[i].Seen = s
		out[i].Lat, out[i].Lon = cellCentre(ids[i])
	}
	return out
}

// LastPlace returns the most recent event location with coordinates, its
// time, and whether there is one.
func (p *Profile) LastPlace() (Location, time.Time, bool) {
	if p.lastGeo.time == 0 {
		return Location{}, time.Time{}, false
	}
	return Location{Lat: p.lastGeo.lat, Lon: p.lastGeo.lon, HasCoords: true, Country: p.lastGeo.country},
		time.Unix(p.lastGeo.time, 0).UTC(), true
}

// ActiveHours returns the share of the customer's activity in each local
// hour of the week, index weekday*24+hour with Sunday 0; the shares sum to
// 1 (all zero for an empty profile). Recent activity weighs more.
func (p *Profile) ActiveHours() [hoursPerWeek]float64 {
	var out [hoursPerWeek]float64
	var sum float64
	for _, v := range p.hours {
		sum += float64(v)
	}
	if sum == 0 {
		return out
	}
	for i, v := range p.hours {
		out[i] = float64(v) / sum
	}
	return out
}

// ChannelMix returns the share of activity on each channel (indexed by
// Channel; index 0 unused), recent activity weighing more.
func (p *Profile) ChannelMix() [NumChannels]float64 {
	var out [NumChannels]float64
	var sum float64
	for _, v := range p.channels {
		sum += float64(v)
	}
	if sum == 0 {
		return out
	}
	for i, v := range p.channels {
		out[i] = float64(v) / sum
	}
	return out
}

// Habit summarises the amounts of one transaction kind in the profile
// currency. Typical and Spread are the time-decayed mean and standard
// deviation of ln(amount) turned into a geometric mean and a multiplicative
// spread, robust to the long right tail of payment amounts.
type Habit struct {
	Count   int     // transactions of the kind in the profile currency
	Typical float64 // geometric mean amount, exp(mean ln amount)
	MeanLog float64 // decayed mean of ln(amount)
	SDLog   float64 // decayed standard deviation of ln(amount)
	Max     float64 // largest amount seen
}

// AmountHabit returns the amount habit for transactions of kind k.
func (p *Profile) AmountHabit(k Kind) Habit {
	if k == 0 || int(k) >= NumKinds {
		return Habit{}
	}
	h := &p.habits[k]
	if h.n == 0 || h.w <= 0 {
		return Habit{Count: int(h.n)}
	}
	m := h.s1 / h.w
	v := h.s2/h.w - m*m
	if v < 0 {
		v = 0
	}
	return Habit{Count: int(h.n), Typical: math.Exp(m), MeanLog: m, SDLog: math.Sqrt(v), Max: unitsFloat(h.maxAmount)}
}

// Velocity counts debits and sums their amounts (in the profile currency)
// over recent windows. The windows are bucketed: the 1-hour window is the
// last twelve 5-minute buckets, the 24-hour window the last 24 hourly
// buckets, and the 7- and 30-day windows the last 7 and 30 daily (UTC)
// buckets, each including the current bucket.
type Velocity struct {
	Count1h, Count24h, Count7d, Count30d int
	Sum1h, Sum24h, Sum7d, Sum30d         decimal.Decimal
	// CountToday and SumToday cover the current calendar day in the
	// customer's time zone exactly: the basis for daily cumulative limits.
	CountToday int
	SumToday   decimal.Decimal
	// RemoteSinceStrongAuth counts remote (app, web, phone) debits without
	// strong authentication since the last strongly authenticated event,
	// and SumSinceStrongAuth sums them: the PSD2 RTS Art. 16 counters.
	RemoteSinceStrongAuth int
	SumSinceStrongAuth    decimal.Decimal
	LastStrongAuth        time.Time // zero when never
	// CountSession and SumSession cover the debits since the latest
	// session (login or app open) began, at SessionStart (zero when no
	// session was seen): the velocity of the current session.
	CountSession int
	SumSession   decimal.Decimal
	SessionStart time.Time
}

// Velocity returns the debit velocity at now.
func (p *Profile) Velocity(now time.Time) Velocity {
	t := now.Unix()
	var v Velocity
	var s int64
	v.Count1h, s = windowSum(p.minutes[:], t, minuteWidth, minuteBuckets)
	v.Sum1h = fromUnits(s)
	v.Count24h, s = windowSum(p.hourly[:], t, hourWidth, hourBuckets)
	v.Sum24h = fromUnits(s)
	v.Count7d, s = windowSum(p.daily[:], t, dayWidth, 7)
	v.Sum7d = fromUnits(s)
	v.Count30d, s = windowSum(p.daily[:], t, dayWidth, dayBuckets)
	v.Sum30d = fromUnits(s)
	c, sum := p.Today(now)
	v.CountToday, v.SumToday = c, fromUnits(sum)
	v.RemoteSinceStrongAuth = int(p.sinceSCA.count)
	v.SumSinceStrongAuth = fromUnits(p.sinceSCA.sum)
	if p.sinceSCA.epoch != 0 {
		v.LastStrongAuth = time.Unix(p.sinceSCA.epoch, 0).UTC()
	}
	v.SumSession = fromUnits(p.session.sum)
	if p.session.epoch != 0 {
		v.CountSession = int(p.session.count)
		v.SessionStart = time.Unix(p.session.epoch, 0).UTC()
	}
	return v
}

// VelocityCounts is Velocity without the sums: the counts a velocity check
// needs, computed without allocating.
type VelocityCounts struct {
	Count1h, Count24h, Count7d, Count30d int
	CountToday                           int
	RemoteSinceStrongAuth                int
	CountSession                         int // debits since the latest session began
}

// VelocityCounts returns the debit counts of Velocity(now), without
// allocating.
func (p *Profile) VelocityCounts(now time.Time) VelocityCounts {
	t := now.Unix()
	var v VelocityCounts
	v.Count1h, _ = windowSum(p.minutes[:], t, minuteWidth, minuteBuckets)
	v.Count24h, _ = windowSum(p.hourly[:], t, hourWidth, hourBuckets)
	v.Count7d, _ = windowSum(p.daily[:], t, dayWidth, 7)
	v.Count30d, _ = windowSum(p.daily[:], t, dayWidth, dayBuckets)
	v.CountToday, _ = p.Today(now)
	v.RemoteSinceStrongAuth = int(p.sinceSCA.count)
	if p.session.epoch != 0 {
		v.CountSession = int(p.session.count)
	}
	return v
}

// Today returns the count and sum (units of 10^-4 of the profile currency)
// of debits on now's calendar day in the customer's time zone, without
// allocating.
func (p *Profile) Today(now time.Time) (count int, units int64) {
	_, off := now.In(p.Location()).Zone()
	if floorDiv(now.Unix()+int64(off), dayWidth) != p.today.epoch {
		return 0, 0
	}
	return int(p.today.count), p.today.sum
}

func windowSum(ring []bucket, t, width int64, n int) (int, int64) {
	cur := floorDiv(t, width)
	var c int
	var s int64
	for i := range ring {
		if ep := ring[i].epoch; ep <= cur && ep > cur-int64(n) {
			c += int(ring[i].count)
			s += ring[i].sum
		}
	}
	return c, s
}

// IncomeStreams returns the recurring credits detected (salary, pension,
// regular transfers in), most regular first, with their status at now.
// Candidates without a cadence yet (a one-off transfer in) are not listed,
// except salary and pension credits, which are income by their kind.
func (p *Profile) IncomeStreams(now time.Time) []Stream { return p.streams(p.income[:p.nIncome], now) }

// Bills returns the recurring debits detected (bills, subscriptions, rent
// and loan repayments) that have a cadence, with their status and next due
// date at now.
func (p *Profile) Bills(now time.Time) []Stream { return p.streams(p.bills[:p.nBills], now) }

func (p *Profile) streams(ss []stream, now time.Time) []Stream {
	loc := p.Location()
	out := make([]Stream, 0, len(ss))
	for i := range ss {
		if k := ss[i].kind; ss[i].freq == FrequencyUnknown && k != KindSalary && k != KindPension {
			continue // a candidate, not (yet) a recurring stream
		}
		out = append(out, ss[i].view(now.Unix(), loc))
	}
	slices.SortStableFunc(out, func(a, b Stream) int {
		if c := cmp.Compare(a.Status, b.Status); c != 0 {
			return c
		}
		if c := cmp.Compare(b.OnCadence, a.OnCadence); c != 0 {
			return c
		}
		return cmp.Compare(a.Counterparty, b.Counterparty)
	})
	return out
}

// DefaultMaxDTI is the debt-to-income ceiling used for RepaymentCapacity:
// 43%, the ceiling of the US Qualified Mortgage rule (12 CFR
// 1026.43(e)(2)(vi), 2014–2021), a widely used reference point.
const DefaultMaxDTI = 0.43

// Financial is the financial picture of a customer at a point in time, in
// the profile currency per month. Amounts are statistics (float64), not
// booked money.
type Financial struct {
	Currency string
	// MonthlyIncome is the sum of live income streams at their average
	// amount times payments per month: salary and pension streams (a new
	// one with a single payment counts as monthly until its cadence shows),
	// and other regular credits once mature (three payments on cadence).
	// Without such streams it is the average income of the last three
	// complete months.
	MonthlyIncome float64
	// IncomeFromStreams says whether MonthlyIncome came from streams.
	IncomeFromStreams bool
	// IncomeCV is the coefficient of variation (standard deviation / mean)
	// of monthly income over the last six complete months of history; it is
	// 0 and IncomeMonths < 3 when there is too little history.
	IncomeCV     float64
	IncomeMonths int
	// MonthlySpend is consumption per month (all debits except loan
	// repayments and transfers), a time-decayed rate; EssentialSpend is the
	// part in essential categories (see Category.Essential).
	MonthlySpend    float64
	EssentialSpend  float64
	SpendByCategory [NumCategories]float64
	// MonthlyDebt is the monthly service of live loan-repayment streams;
	// without them, last complete month's loan repayments.
	MonthlyDebt  float64
	Loans        int // live loan-repayment streams
	OtherLenders int // of which to lenders other than this bank
	// DTI is MonthlyDebt / MonthlyIncome (0 when MonthlyIncome is 0).
	DTI float64
	// Disposable is MonthlyIncome − MonthlySpend − MonthlyDebt (may be negative).
	Disposable float64
	// PurchasingPower is max(0, MonthlyIncome − EssentialSpend − MonthlyDebt):
	// what remains for discretionary spending, saving or new credit.
	PurchasingPower float64
	// RepaymentCapacity is the monthly repayment a new loan could take:
	// max(0, min(MonthlyIncome×DefaultMaxDTI − MonthlyDebt, PurchasingPower)).
	RepaymentCapacity float64
}

// Financial returns the customer's financial picture at now.
func (p *Profile) Financial(now time.Time) Financial {
	f := Financial{Currency: p.currency}
	t := now.Unix()
	loc := p.Location()
	for i := 0; i < int(p.nIncome); i++ {
		if v, ok := p.income[i].monthlyIncome(t, loc); ok {
			f.MonthlyIncome += v
			f.IncomeFromStreams = true
		}
	}
	var buf [monthsKept]month
	hist := p.completeMonths(&buf, now, 6)
	if !f.IncomeFromStreams && len(hist) > 0 {
		n := min(3, len(hist))
		for _, m := range hist[:n] {
			f.MonthlyIncome += unitsFloat(m.income)
		}
		f.MonthlyIncome /= float64(n)
	}
	f.IncomeMonths = len(hist)
	if len(hist) >= 3 {
		var sum, sq float64
		for _, m := range hist {
			x := unitsFloat(m.income)
			sum += x
			sq += x * x
		}
		mean := sum / float64(len(hist))
		if mean > 0 {
			f.IncomeCV = math.Sqrt(math.Max(0, sq/float64(len(hist))-mean*mean)) / mean
		}
	}
	f.SpendByCategory = p.MonthlySpending(now)
	for c, v := range f.SpendByCategory {
		cat := Category(c)
		if cat == CategoryLoans || cat == CategoryTransfers {
			continue
		}
		f.MonthlySpend += v
		if cat.Essential() {
			f.EssentialSpend += v
		}
	}
	for i := 0; i < int(p.nBills); i++ {
		s := &p.bills[i]
		if s.kind != KindLoanRepayment {
			continue
		}
		if st, _ := s.status(t, loc); st != StatusStopped && s.freq != FrequencyUnknown {
			f.MonthlyDebt += s.mean() * s.freq.PerMonth()
			f.Loans++
			if s.otherLender {
				f.OtherLenders++
			}
		}
	}
	if f.Loans == 0 && len(hist) > 0 {
		f.MonthlyDebt = unitsFloat(hist[0].debt)
	}
	if f.MonthlyIncome > 0 {
		f.DTI = f.MonthlyDebt / f.MonthlyIncome
	}
	f.Disposable = f.MonthlyIncome - f.MonthlySpend - f.MonthlyDebt
	f.PurchasingPower = math.Max(0, f.MonthlyIncome-f.EssentialSpend-f.MonthlyDebt)
	f.RepaymentCapacity = math.Max(0, math.Min(f.MonthlyIncome*DefaultMaxDTI-f.MonthlyDebt, f.PurchasingPower))
	return f
}

// avgMonth is the mean length of a Gregorian month in seconds.
const avgMonth = 365.2425 / 12 * dayWidth

// MonthlySpending returns the time-decayed monthly spending rate per
// category: the exponentially weighted sum of debits divided by the
// effective length of the weighting window (at least one month), times a
// month. Transactions in other currencies are not included.
func (p *Profile) MonthlySpending(now time.Time) [NumCategories]float64 {
	var out [NumCategories]float64
	if p.seq == 0 {
		return out
	}
	tau := p.tau
	age := math.Max(float64(now.Unix()-p.first), avgMonth)
	window := tau * (1 - math.Exp(-age/tau))
	f := p.decay(now) * avgMonth / window
	for i, v := range p.spend {
		out[i] = v * f
	}
	return out
}

// MonthFlow is one local calendar month's money flows in the profile
// currency.
type MonthFlow struct {
	Year    int
	Month   time.Month
	Income  decimal.Decimal // salary, pension and credits from income streams
	Spend   decimal.Decimal // debits except loan repayments and transfers out
	Debt    decimal.Decimal // loan repayments
	Credits decimal.Decimal // all credits
	Debits  decimal.Decimal // all debits
}

// Months returns up to 12 calendar months of flows, newest first, including
// the current (incomplete) month of now, and only months within the
// profile's history.
func (p *Profile) Months(now time.Time) []MonthFlow {
	var buf [monthsKept]month
	ms := p.monthsUpTo(&buf, now, true, monthsKept)
	out := make([]MonthFlow, len(ms))
	for i, m := range ms {
		out[i] = MonthFlow{
			Year: int(m.num / 12), Month: time.Month(m.num%12 + 1),
			Income: fromUnits(m.income), Spend: fromUnits(m.spend), Debt: fromUnits(m.debt),
			Credits: fromUnits(m.credits), Debits: fromUnits(m.debits),
		}
	}
	return out
}

// completeMonths returns up to n complete months before now's month, newest
// first, starting no earlier than the month of the first event, in buf.
func (p *Profile) completeMonths(buf *[monthsKept]month, now time.Time, n int) []month {
	return p.monthsUpTo(buf, now, false, n)
}

// monthsUpTo returns up to n months ending with now's month (or the one
// before), newest first, in buf: no allocation.
func (p *Profile) monthsUpTo(buf *[monthsKept]month, now time.Time, includeCurrent bool, n int) []month {
	if p.seq == 0 {
		return buf[:0]
	}
	loc := p.Location()
	lt := now.In(loc)
	cur := int32(lt.Year()*12 + int(lt.Month()) - 1)
	ft := time.Unix(p.first, 0).In(loc)
	firstM := int32(ft.Year()*12 + int(ft.Month()) - 1)
	start := cur
	if !includeCurrent {
		start = cur - 1
		// A first month that began mid-month is incomplete too.
		if ft.Day() > 1 {
			firstM++
		}
	}
	out := buf[:0]
	for mn := start; mn >= firstM && len(out) < n && mn > cur-monthsKept; mn-- {
		m := p.months[int(mn)%monthsKept]
		if m.num != mn {
			m = month{num: mn}
		}
		out = append(out, m)
	}
	return out
}

// RFM holds the inputs of recency-frequency-monetary and lifetime-value
// models: the customer's purchases (kind purchase) in the profile currency.
type RFM struct {
	First, Last  time.Time       // first and last purchase; zero when none
	PurchaseDays int             // distinct local days with a purchase
	Purchases    int             // purchases
	Monetary     decimal.Decimal // sum of purchase amounts
	Recency      time.Duration   // now − Last (0 when no purchase)
}

// RFM returns the purchase summary at now.
func (p *Profile) RFM(now time.Time) RFM {
	r := RFM{PurchaseDays: int(p.rfm.days), Purchases: int(p.rfm.count), Monetary: fromUnits(p.rfm.sum)}
	if p.rfm.count > 0 {
		r.First = time.Unix(p.rfm.first, 0).UTC()
		r.Last = time.Unix(p.rfm.last, 0).UTC()
		r.Recency = now.Sub(r.Last)
	}
	return r
}

// Tenure returns how long the customer has been a customer at now: since
// Customer.Joined when known, else since the first event.
func (p *Profile) Tenure(now time.Time) time.Duration {
	if p.hasCustomer && !p.customer.Joined.IsZero() {
		return now.Sub(p.customer.Joined)
	}
	if p.seq == 0 {
		return 0
	}
	return now.Sub(time.Unix(p.first, 0))
}

// Activity counts what the profile has seen.
type Activity struct {
	Events       uint64 // events applied (Seq)
	Transactions int
	Foreign      int // transactions in a currency other than the profile's
	Sessions     int
	LastSession  time.Time
	LastDebit    time.Time
}

// Activity returns the profile's activity counters.
func (p *Profile) Activity() Activity {
	a := Activity{Events: p.seq, Transactions: int(p.transactions), Foreign: int(p.foreign), Sessions: int(p.sessions)}
	if p.lastSession != 0 {
		a.LastSession = time.Unix(p.lastSession, 0).UTC()
	}
	if p.lastDebit != 0 {
		a.LastDebit = time.Unix(p.lastDebit, 0).UTC()
	}
	return a
}
