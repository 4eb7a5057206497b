package risk

import (
	"math"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// policy applies the Policy to the signals in st and assembles the record.
func (e *Engine) policy(st *state, p *profile.Profile, ev *profile.Event, now time.Time, presented int, newCust bool) Decision {
	pol := &e.pol
	risk := st.risk()
	noAmount := 1 - st.rules*productExcept(st.group[:], gAmount) // the risk without the amount group
	if newCust {
		st.policyCodes = append(st.policyCodes, CodeNewCustomer)
		risk = math.Max(risk, pol.newCustomer)
		noAmount = math.Max(noAmount, pol.newCustomer)
	}
	band, bandLevel := Allow, 0
	switch {
	case risk >= pol.severeAt:
		band = Decline
		if deferrable(ev.Kind) {
			band = Review
		}
	case risk >= pol.highAt:
		band, bandLevel = StepUp, pol.highLevel
	case risk >= pol.stepUpAt:
		band, bandLevel = StepUp, pol.stepUpLevel
	}
	if band != Allow && (noAmount >= pol.stepUpAt || st.amountOther) {
		st.nonAmount = true
	}
	coolingOff := pol.coolingOff && ev.Kind == profile.KindTransferOut && st.payeeNovel && st.amountFired
	if coolingOff {
		st.require(Hold, 0)
		st.policyCodes = append(st.policyCodes, CodeCoolingOff)
	}
	exemption := ""
	if q := pol.psd2; q != nil && ev.Channel.Remote() {
		if band == Allow && st.demand == 0 && ev.Currency == "EUR" {
			exemption = e.exemption(st, p, ev, newCust)
		}
		if exemption == "" {
			st.require(StepUp, pol.scaLevel)
			st.policyCodes = append(st.policyCodes, CodeSCARequired)
			st.nonAmount = true
		} else {
			st.policyCodes = append(st.policyCodes, exemption)
		}
	}
	if st.failed {
		lvl := 0
		if pol.onError == StepUp {
			lvl = pol.stepUpLevel
		}
		st.require(pol.onError, lvl)
		st.policyCodes = append(st.policyCodes, CodeFailSafe)
		st.nonAmount = true
	}
	action, level := max(band, st.demand), st.level
	if band == StepUp {
		level = max(level, bandLevel)
	}
	if action == StepUp && presented >= level {
		action = Allow
		st.policyCodes = append(st.policyCodes, CodeAuthSatisfied)
	}
	if action == StepUp && level > pol.channelMax[ev.Channel] {
		action = Decline
		st.policyCodes = append(st.policyCodes, CodeChannelCannot)
		st.nonAmount = true
	}
	if action == 0 {
		action = Allow
	}

	allowed := decimal.Zero
	switch {
	case action == Allow:
		allowed = ev.Amount
	case !st.nonAmount:
		allowed = e.lowerAmount(st, p, ev, noAmount, band != Allow, coolingOff)
		if allowed.Sign() > 0 {
			st.policyCodes = append(st.policyCodes, CodeAmountLowered)
		}
	}

	d := Decision{
		EventID: ev.ID, CustomerID: ev.CustomerID, Time: now,
		Action: action, Level: level, LevelName: pol.levels.LevelName(level), Presented: presented,
		Amount: ev.Amount, Currency: ev.Currency, Allowed: allowed,
		Score: risk, Habit: st.habitScore(), Exemption: exemption, NewCustomer: newCust,
		PolicyVersion: pol.version,
	}
	if p != nil {
		d.ProfileSeq = p.Seq()
	}
	nr := len(st.policyCodes)
	for i := range st.sigs {
		if s := &st.sigs[i]; !s.Shadow && (s.Weight > 0 || s.Action != 0 || s.Error != "") {
			nr++
		}
	}
	d.Reasons = make([]string, 0, nr)
	for i := range st.sigs {
		if s := &st.sigs[i]; !s.Shadow && (s.Weight > 0 || s.Action != 0 || s.Error != "") {
			d.Reasons = append(d.Reasons, s.Code)
		}
	}
	d.Reasons = append(d.Reasons, st.policyCodes...)
	d.Signals = make([]Signal, len(st.sigs), len(st.sigs)+len(st.policyCodes))
	copy(d.Signals, st.sigs)
	for _, c := range st.policyCodes {
		d.Signals = append(d.Signals, Signal{Code: c})
	}
	return d
}

func productExcept(ws []float64, skip int) float64 {
	p := 1.0
	for i, w := range ws {
		if i != skip {
			p *= 1 - w
		}
	}
	return p
}

// exemption returns the PSD2 exemption that applies to a remote payment in
// euro in the allow band, or "".
func (e *Engine) exemption(st *state, p *profile.Profile, ev *profile.Event, newCust bool) string {
	pol := &e.pol
	q := pol.psd2
	if !q.NoLowValue && !ev.Amount.GreaterThan(pol.eur30) {
		v := &st.env.Velocity
		switch {
		case q.LowValueByCount:
			if v.RemoteSinceStrongAuth+1 <= 5 {
				return CodeLowValue
			}
		case newCust || p.Currency() == "EUR":
			if !st.velSums && !newCust {
				v.SumSinceStrongAuth = p.Velocity(st.now).SumSinceStrongAuth
			}
			if !v.SumSinceStrongAuth.Add(ev.Amount).GreaterThan(pol.eur100) {
				return CodeLowValue
			}
		}
	}
	if st.rts {
		return ""
	}
	var limit decimal.Decimal
	var ok bool
	switch ev.Kind {
	case profile.KindPurchase:
		limit, ok = pol.etvCard, pol.hasETVCard
	case profile.KindTransferOut, profile.KindBillPayment:
		limit, ok = pol.etvTransfer, pol.hasETVTransfer
	}
	if ok && !ev.Amount.GreaterThan(limit) {
		return CodeTRA
	}
	return ""
}

// lowerAmount returns the largest amount, in the currency's minor units,
// that would have been allowed without further action when only limits
// and the amount's unusualness stood in the way; zero when none.
func (e *Engine) lowerAmount(st *state, p *profile.Profile, ev *profile.Event, noAmount float64, amountBand, coolingOff bool) decimal.Decimal {
	capF := math.Inf(1)
	if amountBand || coolingOff {
		if p == nil || p.Seq() == 0 {
			return decimal.Zero
		}
		h := p.AmountHabit(ev.Kind)
		sd := math.Max(h.SDLog, e.habit.sdMin)
		zCap := math.Inf(1)
		if amountBand {
			// The amount weight must stay below w* for the risk to stay
			// below StepUpAt: 1 − (1 − r₀)(1 − w*) = StepUpAt.
			wStar := 1 - (1-e.pol.stepUpAt)/(1-noAmount)
			if wStar <= 0 || e.w.UnusualAmount <= 0 {
				return decimal.Zero
			}
			zCap = e.habit.amountZ + wStar/e.w.UnusualAmount*(e.habit.amountFull-e.habit.amountZ)
		}
		if coolingOff {
			zCap = math.Min(zCap, e.habit.amountZ)
		}
		capF = math.Exp(h.MeanLog + zCap*sd)
	}
	minor, _ := profile.MinorUnits(ev.Currency)
	var c decimal.Decimal
	switch {
	case math.IsInf(capF, 1) && !st.hasHeadroom:
		return decimal.Zero
	case math.IsInf(capF, 1):
		c = st.headroom
	case math.IsNaN(capF) || capF > 1e15:
		return decimal.Zero
	default:
		c = decimal.NewFromFloat(capF)
		if st.hasHeadroom && st.headroom.LessThan(c) {
			c = st.headroom
		}
	}
	c = c.RoundDown(int32(minor))
	if c.Sign() <= 0 || !c.LessThan(ev.Amount) {
		return decimal.Zero
	}
	return c
}
