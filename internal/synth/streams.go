package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

// streamSpec describes a recurring stream before it is generated.
type streamSpec struct {
	s        Stream
	from     time.Time // generate occurrences in [from, until)
	until    time.Time
	amount   func(t time.Time, k int) int64 // cents of occurrence k at t
	late     float64                        // probability of one late or missed payment
	channel  profile.Channel
	tag      uint8 // hard-case bits of the first tagFirst occurrences
	tagFirst int
}

// emit generates the stream's events and records its truth in dst. It
// returns false when no occurrence falls in the window.
func (g *gen) emit(sp *streamSpec, dst *[]Stream) bool {
	s := sp.s
	if sp.until.After(g.to) {
		sp.until = g.to
	}
	if sp.from.Before(g.from) {
		sp.from = g.from
	}
	ds := s.dates(sp.from, sp.until)
	if len(ds) == 0 {
		return false
	}
	s.First, s.Last = ds[0], ds[len(ds)-1]
	skip := -1
	var paid time.Time
	if len(ds) >= 4 && chance(g.r, sp.late) {
		skip = 1 + g.r.IntN(len(ds)-2)
		ex := Exception{Due: ds[skip]}
		if chance(g.r, 0.6) {
			gap := ds[skip+1].Sub(ds[skip])
			d := time.Duration(2+g.r.IntN(18)) * 24 * time.Hour
			if d < gap-24*time.Hour {
				paid = ds[skip].Add(d)
				ex.Paid = paid
			}
		}
		s.Exceptions = append(s.Exceptions, ex)
	}
	for k, t := range ds {
		c := sp.amount(t, k)
		if k == skip {
			if paid.IsZero() {
				continue
			}
			t = paid
			if s.Counterparty == OwnBank {
				fee := int64(2000)
				if g.mk == &cnMarket {
					fee = 5000
				}
				g.add(g.txn(t.Add(-time.Hour), profile.KindFee, fee, OwnBank, 0), 0)
			}
		}
		e := g.txn(t, s.Kind, c, s.Counterparty, s.MCC)
		e.Channel = sp.channel
		var tag uint8
		if k < sp.tagFirst {
			tag = sp.tag
		}
		g.add(e, tag)
		s.Count++
	}
	*dst = append(*dst, s)
	return true
}

// at returns a time on the first day of the period's first month at the
// given clock, in the market's zone: the anchor of monthly schedules.
func (g *gen) at(h, m int) time.Time {
	y, mo, _ := g.from.Date()
	return time.Date(y, mo, 1, h, m, 0, 0, g.loc)
}

// weekdayOnOrAfter returns the first date on or after t that falls on wd,
// at clock h:m.
func (g *gen) weekdayOnOrAfter(t time.Time, wd time.Weekday, h, m int) time.Time {
	y, mo, d := t.Date()
	for {
		c := time.Date(y, mo, d, h, m, 0, 0, g.loc)
		if c.Weekday() == wd {
			return c
		}
		d++
	}
}

// salarySchedule draws a payroll schedule.
func (g *gen) salarySchedule(r *rand.Rand, s *Stream, from time.Time) {
	h, m := 1+r.IntN(8), r.IntN(4)*15
	switch weighted(r, g.mk.salaryRolls) {
	case 0:
		s.Frequency, s.Day, s.Roll = profile.FrequencyMonthly, pick(r, []int{5, 8, 10, 15, 20, 25, 28}), RollPreceding
		s.First = g.at(h, m)
	case 1:
		s.Frequency, s.Day, s.Roll = profile.FrequencyMonthly, 0, RollPreceding
		s.First = g.at(h, m)
	case 2:
		s.Frequency, s.Day, s.Roll = profile.FrequencySemiMonthly, 15, RollPreceding
		s.First = g.at(h, m)
	default:
		s.Frequency = profile.FrequencyBiweekly
		s.First = g.weekdayOnOrAfter(from, time.Friday, h, m).AddDate(0, 0, 7*r.IntN(2))
	}
}

// perPayment converts a monthly amount to one payment at frequency f.
func perPayment(monthly float64, f profile.Frequency) float64 {
	return monthly / f.PerMonth()
}

// incomeStreams generates salaries, gig payouts, pensions, allowances and
// household money, and the irregular earnings of the self-employed.
func (g *gen) incomeStreams() {
	r, mk, c := g.r, g.mk, g.c
	span := g.to.Sub(g.from)
	switch g.occ {
	case "employee", "civil_servant":
		employer := pick(r, mk.employers)
		if g.occ == "civil_servant" {
			employer = cityName(pick(r, mk.publicEmployers), g.city.name)
		}
		var s Stream
		g.salarySchedule(r, &s, g.from)
		if g.occ == "civil_servant" && s.Frequency == profile.FrequencyBiweekly {
			h, m, _ := s.First.Clock()
			s.Frequency, s.Day, s.Roll, s.First = profile.FrequencyMonthly, 15, RollPreceding, g.at(h, m)
		}
		until := g.to
		fate := r.Float64()
		var change time.Time
		if fate < 0.12 {
			change = between(r, g.from.Add(span/5), g.to.Add(-span/5))
			until = change
		}
		g.salary(r, s, employer, g.income, g.from, until)
		switch {
		case fate < 0.08 && g.occ == "employee":
			// New employer after a gap of up to six weeks.
			var s2 Stream
			start := change.Add(time.Duration(r.IntN(45)) * 24 * time.Hour)
			g.salarySchedule(r, &s2, start)
			other := pick(r, mk.employers)
			for other == employer {
				other = pick(r, mk.employers)
			}
			g.salary(r, s2, other, g.income*unif(r, 0.95, 1.3), start, g.to)
		case fate < 0.12 && chance(r, 0.4):
			// Lost the job; gig work a month or two later.
			g.gig(r, g.income*0.6, change.Add(time.Duration(30+r.IntN(30))*24*time.Hour))
		}
	case "self_employed":
		if chance(r, 0.4) {
			g.gig(r, g.income, g.from)
		} else {
			g.irregular(r)
		}
	case "unemployed":
		if chance(r, 0.5) {
			g.gig(r, g.income, g.from)
		} else {
			g.irregular(r)
		}
	case "homemaker":
		spouse := personName(r, mk)
		amt := roundTo(cents(g.income), mk.round*5)
		g.emit(&streamSpec{
			s:    Stream{Counterparty: spouse, Kind: profile.KindTransferIn, Purpose: PurposeHousehold, Frequency: profile.FrequencyMonthly, Day: pick(r, []int{1, 10, 25}), Roll: RollNone, Amount: money(amt), First: g.at(8+r.IntN(12), r.IntN(60))},
			from: g.from, until: g.to, amount: func(time.Time, int) int64 { return amt },
		}, &c.Income)
	case "student":
		if chance(r, 0.85) {
			parent := personName(r, mk)
			amt := roundTo(cents(g.income), mk.round*5)
			g.emit(&streamSpec{
				s:    Stream{Counterparty: parent, Kind: profile.KindTransferIn, Purpose: PurposeAllowance, Frequency: profile.FrequencyMonthly, Day: pick(r, []int{1, 1, 5, 10, 15}), Roll: RollNone, Amount: money(amt), First: g.at(7+r.IntN(14), r.IntN(60))},
				from: g.from, until: g.to, amount: func(time.Time, int) int64 { return amt },
			}, &c.Income)
		}
		if chance(r, 0.15) {
			g.gig(r, g.income*0.4, g.from)
		}
	case "retired":
		payer := cityName(mk.pensionPayer, g.city.name)
		s := Stream{Counterparty: payer, Kind: profile.KindPension, Purpose: PurposePension, Frequency: profile.FrequencyMonthly}
		if g.mk == &euMarket {
			s.Day, s.Roll = 0, RollPreceding
		} else {
			s.Day, s.Roll = pick(r, []int{5, 8, 10, 15, 20}), RollNone
		}
		s.First = g.at(2+r.IntN(6), 0)
		base := cents(g.income * 0.85)
		raise := unif(r, 0.02, 0.04)
		s.Amount = money(base)
		g.emit(&streamSpec{s: s, from: g.from, until: g.to, amount: func(t time.Time, _ int) int64 {
			// Pensions rise each July.
			a := float64(base)
			for y := g.cfg.start.Year(); y <= t.Year(); y++ {
				if j := time.Date(y, time.July, 1, 0, 0, 0, 0, g.loc); j.After(g.cfg.start) && !t.Before(j) {
					a *= 1 + raise
				}
			}
			return int64(math.Round(a))
		}}, &c.Income)
		if chance(r, 0.25) {
			amt := cents(g.income * 0.15 * unif(r, 0.5, 1.5))
			p := Stream{Counterparty: pick(r, mk.privatePension), Kind: profile.KindPension, Purpose: PurposePension,
				Frequency: profile.FrequencyMonthly, Day: 1, Roll: mk.billRoll, Amount: money(amt), First: g.at(6, 0)}
			g.emit(&streamSpec{s: p, from: g.from, until: g.to, amount: func(time.Time, int) int64 { return amt }}, &c.Income)
		}
	}
}

// salary generates one employer's pay from from until until.
func (g *gen) salary(r *rand.Rand, s Stream, employer string, monthly float64, from, until time.Time) {
	s.Counterparty, s.Kind, s.Purpose = employer, profile.KindSalary, PurposeSalary
	nominal := perPayment(monthly, s.Frequency)
	s.Amount = money(cents(nominal))
	bonusMonth := time.Month(0)
	bonus := 1.0
	switch {
	case g.mk == &cnMarket && chance(r, 0.3):
		bonusMonth, bonus = time.Month(1+r.IntN(2)), unif(r, 2, 4)
	case g.mk == &euMarket && chance(r, 0.35):
		bonusMonth, bonus = time.November, unif(r, 1.5, 2)
	}
	noise := unif(r, 0.002, 0.02)
	bonusPaid := false
	g.emit(&streamSpec{s: s, from: from, until: until, amount: func(t time.Time, _ int) int64 {
		a := nominal * (1 + noise*r.NormFloat64())
		if t.Month() == bonusMonth && !bonusPaid {
			bonusPaid = true
			a *= bonus
		}
		return cents(a)
	}}, &g.c.Income)
}

// gig generates weekly platform payouts of varying amounts.
func (g *gen) gig(r *rand.Rand, monthly float64, from time.Time) {
	if !from.Before(g.to) {
		return
	}
	nominal := perPayment(monthly, profile.FrequencyWeekly)
	s := Stream{Counterparty: pick(r, g.mk.gigPayers), Kind: profile.KindTransferIn, Purpose: PurposeGig,
		Frequency: profile.FrequencyWeekly, Amount: money(cents(nominal))}
	s.First = g.weekdayOnOrAfter(from, time.Weekday(1+r.IntN(3)), 9+r.IntN(8), r.IntN(60))
	g.emit(&streamSpec{s: s, from: from, until: g.to, amount: func(time.Time, int) int64 {
		return cents(logn(r, nominal, 0.3))
	}}, &g.c.Income)
}

// irregular generates earnings from a few clients at irregular times, or
// occasional help from family: credits that are not a stream.
func (g *gen) irregular(r *rand.Rand) {
	clients := make([]string, 2+r.IntN(4))
	for i := range clients {
		if g.occ == "self_employed" {
			clients[i] = pick(r, g.mk.employers)
		} else {
			clients[i] = personName(r, g.mk)
		}
	}
	perMonth := unif(r, 1.5, 4)
	days := g.to.Sub(g.from).Hours() / 24
	n := poisson(r, perMonth*days/30.4)
	for range n {
		t := between(r, g.from, g.to)
		h := t.Hour()
		if h < 8 || h > 20 {
			t = t.Add(time.Duration(9-h%12) * time.Hour)
		}
		if !t.Before(g.to) {
			continue
		}
		amt := cents(logn(r, g.income/perMonth*0.85, 0.6))
		g.add(g.txn(t, profile.KindTransferIn, amt, pick(r, clients), 0), 0)
	}
}

// billStreams generates rent, loans, utilities, telecom, insurance,
// childcare, tuition, support to parents and subscriptions.
func (g *gen) billStreams() {
	r, mk, c := g.r, g.mk, g.c
	cn := mk == &cnMarket
	scale := either(cn, 1, 0.14) // EUR price levels relative to CNY
	var specs []streamSpec
	monthly := func(cp string, k profile.Kind, mcc uint16, p Purpose, roll Roll, amt int64, vary float64) streamSpec {
		s := Stream{Counterparty: cp, Kind: k, MCC: mcc, Purpose: p, Frequency: profile.FrequencyMonthly,
			Day: 1 + r.IntN(28), Roll: roll, Amount: money(amt), First: g.at(r.IntN(10), r.IntN(60))}
		sp := streamSpec{s: s, from: g.from, until: g.to}
		if vary > 0 {
			sp.amount = func(t time.Time, _ int) int64 {
				season := 1 + 0.25*math.Cos(2*math.Pi*float64(t.Month()-1)/12) // winter peak
				return cents(float64(amt) / 100 * season * logn(r, 1, vary))
			}
		} else {
			sp.amount = func(time.Time, int) int64 { return amt }
		}
		return sp
	}
	ownLoan := false // one loan at most with this bank, so that payees identify loans
	lender := func(others []string, own float64) (string, bool) {
		if chance(r, own) && !ownLoan {
			ownLoan = true
			return OwnBank, false
		}
		return pick(r, others), true
	}

	// Rent, and a move to a new rented home.
	moveAt := g.hard[HardNewRentPayee]
	rent := roundTo(cents(g.income*unif(r, 0.2, 0.38)), mk.round)
	if g.stage == StageStudent {
		rent = roundTo(cents(mk.medianIncome[StageStudent]*unif(r, 0.3, 0.6)), mk.round)
	}
	rentStream := func(until time.Time, from time.Time) streamSpec {
		cp, mcc := personName(r, mk), uint16(0)
		if chance(r, 0.35) {
			cp, mcc = pick(r, mk.rentCompanies), 6513
		}
		sp := monthly(cp, profile.KindTransferOut, mcc, PurposeRent, mk.billRoll, rent, 0)
		sp.s.Day = pick(r, []int{1, 1, 1, 5, 10, 15, 25})
		sp.s.First = g.at(6+r.IntN(4), r.IntN(60))
		sp.from, sp.until = from, until
		return sp
	}
	if g.renter {
		until := g.to
		if !moveAt.IsZero() {
			until = moveAt
		}
		specs = append(specs, rentStream(until, g.from))
	}
	if !moveAt.IsZero() {
		bit := uint8(1) << (HardNewRentPayee - 1)
		rent = roundTo(int64(float64(rent)*unif(r, 0.9, 1.3)), mk.round)
		sp := rentStream(g.to, moveAt)
		sp.tag, sp.tagFirst = bit, 2
		sp.s.Day = pick(r, []int{1, 1, 5})
		specs = append(specs, sp)
		// Deposit to the new landlord a few days before moving in.
		dep := moveAt.Add(-time.Duration(3+r.IntN(8)) * 24 * time.Hour)
		if dep.After(g.from) {
			g.appTransfer(r, dep, sp.s.Counterparty, rent*int64(1+r.IntN(3)), sp.s.MCC, bit)
		}
	}

	if g.mortgage {
		cp, other := lender(mk.otherBanks, 0.45)
		sp := monthly(cp, profile.KindLoanRepayment, 0, PurposeMortgage, mk.billRoll, cents(g.income*unif(r, 0.22, 0.45)), 0)
		sp.s.OtherLender, sp.late = other, 0.06
		specs = append(specs, sp)
	}
	// Telecom for everyone.
	specs = append(specs, monthly(pick(r, mk.telecoms), profile.KindBillPayment, 4814, PurposeTelecom,
		rollFor(cn, mk), cents(unif(r, 58, 199)*scale), 0))
	if g.renter || g.mortgage || g.stage != StageStudent && !chance(r, 0.15) {
		specs = append(specs, monthly(cityName(mk.utilities[0], g.city.name), profile.KindBillPayment, 4900, PurposeUtilities,
			mk.billRoll, cents(unif(r, 120, 380)*scale), either(cn, 0.15, 0)))
		if chance(r, 0.5) {
			specs = append(specs, monthly(cityName(pick(r, mk.utilities[1:]), g.city.name), profile.KindBillPayment, 4900, PurposeUtilities,
				mk.billRoll, cents(unif(r, 40, 150)*scale), either(cn, 0.12, 0)))
		}
	}
	if g.carLoan {
		cp, other := lender(mk.carLenders, 0.15)
		sp := monthly(cp, profile.KindLoanRepayment, 0, PurposeCarLoan, mk.billRoll, cents(unif(r, 1800, 4500)*either(cn, 1, 0.1)), 0)
		sp.s.OtherLender, sp.late = other, 0.08
		specs = append(specs, sp)
	}
	if g.consumerLoan {
		cp, other := lender(mk.consumerLenders, 0.2)
		sp := monthly(cp, profile.KindLoanRepayment, 0, PurposeConsumerLoan, mk.billRoll, cents(unif(r, 400, 2500)*either(cn, 1, 0.12)), 0)
		sp.s.OtherLender, sp.late = other, 0.1
		specs = append(specs, sp)
	}
	if g.youngKids {
		specs = append(specs, monthly(pick(r, mk.childcare), profile.KindBillPayment, 8351, PurposeChildcare,
			mk.billRoll, cents(unif(r, 1500, 5000)*either(cn, 1, 0.08)), 0))
	} else if g.kids && chance(r, 0.7) {
		cp, mcc := pick(r, mk.tutoring), uint16(8299)
		if chance(r, 0.35) {
			cp, mcc = cityName(pick(r, mk.universities), g.city.name)+" Affiliated School", 8220
		}
		specs = append(specs, monthly(cp, profile.KindBillPayment, mcc, PurposeTuition, mk.billRoll, cents(unif(r, 800, 4000)*either(cn, 1, 0.06)), 0))
	}
	if g.insurance {
		specs = append(specs, monthly(pick(r, mk.insurers), profile.KindBillPayment, 6300, PurposeInsurance,
			mk.billRoll, cents(unif(r, 150, 1200)*either(cn, 1, 0.09)), 0))
	}
	if g.parent {
		sp := monthly(personName(r, mk), profile.KindTransferOut, 0, PurposeFamilySupport, mk.billRoll,
			roundTo(cents(g.income*unif(r, 0.05, 0.2)), mk.round), 0)
		sp.s.Day = pick(r, []int{1, 5, 10, 15, 20})
		specs = append(specs, sp)
	}
	nsub := r.IntN([]int{4, 4, 3, 3, 2, 2}[stageIndex(g.stage)])
	used := map[int]bool{}
	for range nsub {
		i := r.IntN(len(mk.subscriptions))
		if used[i] {
			continue
		}
		used[i] = true
		m := mk.subscriptions[i]
		sp := monthly(m.name, profile.KindPurchase, m.mcc, PurposeSubscription, RollNone, cents(unif(r, 12, 30)*either(cn, 1, 0.45)), 0)
		sp.channel = profile.ChannelWeb
		specs = append(specs, sp)
	}
	// At most seven recurring debits (the new rent counts), so that a
	// household looks like a household.
	if len(specs) > 7 {
		specs = specs[:7]
	}
	for i := range specs {
		g.emit(&specs[i], &c.Bills)
	}

	// A new loan from another lender during the period.
	if g.stage != StageStudent && g.stage != StageRetired && chance(r, 0.08) {
		t := between(r, g.from.Add(g.to.Sub(g.from)/4), g.to.Add(-g.to.Sub(g.from)/4))
		y, m, d := t.Date()
		d = min(d, 28)
		cp := pick(r, mk.consumerLenders)
		pay := cents(unif(r, 500, 3000) * either(cn, 1, 0.12))
		disb := time.Date(y, m, d, 10+r.IntN(6), r.IntN(60), 0, 0, g.loc)
		if disb.After(g.from) {
			g.add(g.txn(disb, profile.KindTransferIn, pay*int64(12+r.IntN(25)), cp, 0), 0)
			s := Stream{Counterparty: cp, Kind: profile.KindLoanRepayment, Purpose: PurposeConsumerLoan, Frequency: profile.FrequencyMonthly,
				Day: d, Roll: mk.billRoll, Amount: money(pay), First: time.Date(y, m, 1, 5+r.IntN(4), r.IntN(60), 0, 0, g.loc), OtherLender: true}
			g.emit(&streamSpec{s: s, from: disb.AddDate(0, 0, 20), until: g.to, late: 0.1,
				amount: func(time.Time, int) int64 { return pay }}, &c.Bills)
		}
	}

	// Students pay tuition each semester.
	if g.stage == StageStudent {
		uni := cityName(pick(r, mk.universities), g.city.name)
		fee := cents(unif(r, 2500, 6000) * either(cn, 1, 0.06))
		for y := g.from.Year(); y <= g.to.Year(); y++ {
			for _, m := range []time.Month{time.February, time.September} {
				t := time.Date(y, m, 20+r.IntN(15), 10+r.IntN(10), r.IntN(60), 0, 0, g.loc)
				if t.After(g.from) && t.Before(g.to) {
					g.appPayment(r, t, profile.KindBillPayment, uni, 8220, fee, 0)
				}
			}
		}
	}
}

// rollFor returns the weekend rule of telecom bills: every day in China
// (prepaid top-ups and automatic debits), business days in Europe.
func rollFor(cn bool, mk *market) Roll {
	if cn {
		return RollNone
	}
	return mk.billRoll
}
