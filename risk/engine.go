package risk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Config configures an Engine. The zero value (or nil) is the documented
// default of every field: NIST SP 800-63B levels, the default Policy,
// Weights, HabitOptions and VelocityOptions, no lists, no hard limits, no
// model and no analyst rules.
type Config struct {
	// Builder is the profile builder the profiles were built with; its
	// hashing key matters for recognising devices and networks. Nil means
	// profile.NewBuilder(nil) (no hashing).
	Builder *profile.Builder
	// Lists are the block and allow lists; nil means none.
	Lists Lists
	// Limits are the hard limits, at most one per currency; nil means none.
	Limits []Limits
	// Habit configures the habit-consistency layer.
	Habit HabitOptions
	// Velocity configures the velocity layer.
	Velocity VelocityOptions
	// Weights are the signals' strengths of evidence.
	Weights Weights
	// Scorer is the bank's own model; nil means none.
	Scorer Scorer
	// Policy turns signals into decisions.
	Policy Policy
	// Rules is the initial analyst rule set; nil means none. Swap it later
	// with Engine.SetRules.
	Rules *Rules
	// ClockSkew is how far after now a payment's time may be. Zero means
	// 5 minutes.
	ClockSkew time.Duration
}

// Engine decides payments: it runs the layers in order — lists, limits,
// velocity, habit consistency, the external model, analyst rules — each
// adding signals with reason codes, and its Policy turns the signals into
// a Decision. An Engine is immutable but for its rule set, which SetRules
// swaps atomically; it is safe for concurrent use.
type Engine struct {
	builder *profile.Builder
	lists   Lists
	limits  map[string]*Limits
	habit   habitOpts
	w       weights
	scorer  Scorer
	pol     policy
	skew    time.Duration
	rules   atomic.Pointer[Rules]
	pool    sync.Pool // *state
	auth    []string  // profile.Auth spellings, indexed by the bit set
}

// New returns an Engine configured by cfg (nil for the defaults). Errors
// are *ConfigError naming the field.
func New(cfg *Config) (*Engine, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	e := &Engine{builder: c.Builder, lists: c.Lists, scorer: c.Scorer, skew: c.ClockSkew}
	if e.builder == nil {
		b, err := profile.NewBuilder(nil)
		if err != nil {
			return nil, err
		}
		e.builder = b
	}
	var err error
	if e.pol, err = c.Policy.resolve(); err != nil {
		return nil, err
	}
	if e.habit, err = c.Habit.resolve(c.Velocity); err != nil {
		return nil, err
	}
	if e.w, err = c.Weights.resolve(); err != nil {
		return nil, err
	}
	switch {
	case e.skew < 0:
		return nil, &ConfigError{Field: "ClockSkew", Reason: "negative"}
	case e.skew == 0:
		e.skew = 5 * time.Minute
	}
	e.limits = make(map[string]*Limits, len(c.Limits))
	for i := range c.Limits {
		l := c.Limits[i]
		l.PerLevel = append([]decimal.Decimal(nil), l.PerLevel...)
		f := fmt.Sprintf("Limits[%d]", i)
		if err := l.validate(f, len(e.pol.levels.Levels)); err != nil {
			return nil, err
		}
		if e.limits[l.Currency] != nil {
			return nil, &ConfigError{Field: f + ".Currency", Reason: "duplicate currency"}
		}
		e.limits[l.Currency] = &l
	}
	if err := e.SetRules(c.Rules); err != nil {
		return nil, err
	}
	const allMethods = 1 << 10
	e.auth = make([]string, allMethods)
	for a := range e.auth {
		e.auth[a] = profile.Auth(a).String()
	}
	e.pool.New = func() any { return &state{codes: make(map[string]bool, 16)} }
	return e, nil
}

// SetRules replaces the analyst rule set atomically: decisions already
// running finish with the set they started with; later ones use r. Nil
// removes every rule. A rule asking for a level the policy's scheme does
// not have is a *RuleError and leaves the current set in place.
func (e *Engine) SetRules(r *Rules) error {
	if r != nil && r.maxLevel > len(e.pol.levels.Levels) {
		for i := range r.rules {
			if r.rules[i].Level > len(e.pol.levels.Levels) {
				return &RuleError{Rule: r.rules[i].Name, Index: i, Message: fmt.Sprintf("level %d: the scheme has %d levels", r.rules[i].Level, len(e.pol.levels.Levels))}
			}
		}
	}
	e.rules.Store(r)
	return nil
}

// Rules returns the current rule set (nil when none).
func (e *Engine) Rules() *Rules { return e.rules.Load() }

// Levels returns a copy of the policy's authentication scheme.
func (e *Engine) Levels() AuthLevels {
	l := e.pol.levels
	l.Levels = append([]Level(nil), l.Levels...)
	return l
}

// PolicyVersion returns the version decision records carry.
func (e *Engine) PolicyVersion() string { return e.pol.version }

// Builder returns the profile builder the engine reads profiles with.
func (e *Engine) Builder() *profile.Builder { return e.builder }

// state is the scratch space of one decision, pooled.
type state struct {
	env    Env
	codes  map[string]bool
	sigs   []Signal
	group  [numGroups]float64
	rules  float64 // Π(1 − w) over enforced rules that fired
	demand Action  // most severe action demanded by lists, limits, rules, policy
	level  int     // highest level demanded with StepUp
	failed bool
	rts    bool // a real-time risk factor of PSD2 RTS Art. 18(2)(c) fired
	q      ListQuery
	req    ScoreRequest

	allowCustomer, allowDevice, allowNetwork, allowCounterparty bool

	payeeNovel  bool
	amountFired bool
	amountOther bool // an amount signal other than UnusualAmount fired (no habit)
	nonAmount   bool // a demand not explained by the amount or a limit
	headroom    decimal.Decimal
	hasHeadroom bool
	policyCodes []string

	now     time.Time // the decision's time
	velSums bool      // env.Velocity holds the decimal sums, not only counts
}

func (st *state) reset() {
	clear(st.codes)
	st.env = Env{Signals: SignalView{Codes: st.codes}}
	st.sigs = st.sigs[:0]
	st.group = [numGroups]float64{}
	st.rules = 1
	st.demand, st.level, st.failed, st.rts = 0, 0, false, false
	st.q = ListQuery{}
	st.req = ScoreRequest{}
	st.allowCustomer, st.allowDevice, st.allowNetwork, st.allowCounterparty = false, false, false, false
	st.payeeNovel, st.amountFired, st.amountOther, st.nonAmount = false, false, false, false
	st.headroom, st.hasHeadroom = decimal.Decimal{}, false
	st.policyCodes = st.policyCodes[:0]
}

// emit records a weighted signal of group g.
func (st *state) emit(code string, g int, w, value float64, rts bool) {
	st.sigs = append(st.sigs, Signal{Code: code, Weight: w, Value: value})
	st.codes[code] = true
	if w > st.group[g] {
		st.group[g] = w
	}
	if rts && w > 0 {
		st.rts = true
	}
}

// require records a demanded outcome.
func (st *state) require(a Action, level int) {
	if a > st.demand {
		st.demand = a
	}
	if a == StepUp && level > st.level {
		st.level = level
	}
}

func (st *state) risk() float64 {
	p := st.rules
	for _, w := range st.group {
		p *= 1 - w
	}
	return 1 - p
}

func (st *state) habitScore() float64 {
	p := 1.0
	for _, w := range st.group[:gHabitEnd] {
		p *= 1 - w
	}
	return p
}

// maxErrorText bounds error texts copied into decision records.
const maxErrorText = 200

// errorText returns err's text for a decision record: valid UTF-8 (so the
// record's JSON round trip is exact) and at most maxErrorText bytes, cut at
// a rune boundary.
func errorText(err error) string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	if len(s) > maxErrorText {
		i := maxErrorText
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return s
}

// Decide decides the debit transaction ev of the customer whose profile is
// p, at now. p is the profile before ev is applied; nil (or an empty
// profile) means a new customer, decided by the new-customer policy. Decide
// neither changes p nor reads the clock: the same arguments, configuration
// and rule set give the same Decision.
//
// Errors: an invalid argument is an *InputError (errors.Is ErrInput, and
// the profile package's sentinel when the event fails its validation, such
// as profile.ErrUnknownCurrency for an unknown currency or
// profile.ErrInvalid for an amount ≤ 0); a session, feature or credit is
// ErrUnsupported; a done ctx returns ctx.Err(). Failures of the Lists, the
// Scorer or a rule are not errors: they are recorded in the Decision and
// handled by the fail-safe (Policy.OnError).
func (e *Engine) Decide(ctx context.Context, now time.Time, p *profile.Profile, ev *profile.Event) (Decision, error) {
	if ctx == nil {
		return Decision{}, &InputError{Field: "ctx", Err: profile.ErrMissing}
	}
	if err := ctx.Err(); err != nil {
		return Decision{}, err
	}
	if err := e.check(now, p, ev); err != nil {
		return Decision{}, err
	}
	rs := e.rules.Load()
	st := e.pool.Get().(*state)
	defer e.pool.Put(st)
	st.reset()

	newCust := p == nil || p.Seq() == 0
	var fam profile.Familiarity
	if newCust {
		fam.Empty = true
	} else {
		fam = e.builder.Familiarity(p, ev)
	}
	loc := time.UTC
	if p != nil {
		loc = p.Location()
	}
	est := !newCust && ev.DeviceID != "" && fam.Device.Known && ev.Time.Sub(fam.Device.First).Seconds() >= e.habit.mature
	factors := ev.Auth.FactorTypes()
	if e.pol.deviceBinding && est {
		factors |= profile.FactorPossession
	}
	presented := e.pol.levels.of(factors, ev.Auth)
	views := e.scorer != nil || rs.Len() > 0 // Env is read by the model or the rules
	if views {
		e.txnView(&st.env.Txn, ev, loc, factors, presented)
	}
	st.now = now
	if !newCust {
		if views {
			// The model and the rules may read the sums.
			st.env.Velocity, st.velSums = p.Velocity(now), true
		} else {
			// The layers need counts only: no decimal sums, no allocation.
			c := p.VelocityCounts(now)
			st.env.Velocity = profile.Velocity{Count1h: c.Count1h, Count24h: c.Count24h, Count7d: c.Count7d,
				Count30d: c.Count30d, CountToday: c.CountToday, RemoteSinceStrongAuth: c.RemoteSinceStrongAuth,
				CountSession: c.CountSession}
		}
	}

	// Layer 1: lists.
	if e.lists != nil {
		st.q = ListQuery{Customer: ev.CustomerID, Device: ev.DeviceID, IP: ev.IP, Counterparty: ev.Counterparty}
		hits, err := e.lists.Check(ctx, &st.q)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return Decision{}, cerr
			}
			st.sigs = append(st.sigs, Signal{Code: CodeListsError, Error: errorText(err)})
			st.codes[CodeListsError] = true
			st.failed = true
		} else {
			e.listsLayer(st, hits)
		}
	}
	// Layer 2: limits.
	if l := e.limits[ev.Currency]; l != nil {
		e.limitsLayer(st, l, p, ev, now, presented, newCust)
	}
	// Layer 3: velocity.
	if !newCust && !e.habit.velocityOff {
		e.velocityLayer(st, p, now)
	}
	// Layer 4: habit consistency.
	if !newCust {
		e.habitLayer(st, p, ev, &fam, est)
	}
	if views {
		e.habitView(&st.env.Habit, p, ev, &fam, newCust)
		st.env.Habit.Score = st.habitScore()
	}
	// Layer 5: the bank's model.
	if e.scorer != nil {
		st.env.Signals.Risk = st.risk()
		st.req = ScoreRequest{Now: now, Event: ev, Profile: p, Env: &st.env}
		if newCust {
			st.req.Profile = nil
		}
		s, err := e.scorer.Score(ctx, &st.req)
		st.req = ScoreRequest{}
		switch {
		case err != nil:
			if cerr := ctx.Err(); cerr != nil {
				return Decision{}, cerr
			}
			st.sigs = append(st.sigs, Signal{Code: CodeModelError, Error: errorText(err)})
			st.codes[CodeModelError] = true
			st.failed = true
		case math.IsNaN(s) || s < 0 || s > 1:
			st.sigs = append(st.sigs, Signal{Code: CodeModelError, Error: "score outside [0, 1]"})
			st.codes[CodeModelError] = true
			st.failed = true
		default:
			st.env.Signals.Model = s
			st.emit(CodeModel, gModel, s, s, true)
		}
	}
	// Layer 6: analyst rules.
	if rs.Len() > 0 {
		st.env.Signals.Risk = st.risk()
		if rs.profile != 0 && !newCust {
			p.FeaturesInto(&st.env.Profile, now, rs.profile)
		}
		e.rulesLayer(st, rs)
	}
	d := e.policy(st, p, ev, now, presented, newCust)
	d.RulesVersion = rs.Version()
	return d, nil
}

// check validates the arguments of Decide.
func (e *Engine) check(now time.Time, p *profile.Profile, ev *profile.Event) error {
	if now.IsZero() {
		return &InputError{Field: "now", Err: profile.ErrMissing}
	}
	if ev == nil {
		return &InputError{Field: "event", Err: profile.ErrMissing}
	}
	if err := ev.Validate(); err != nil {
		field := "event"
		var fe *profile.FieldError
		if errors.As(err, &fe) {
			field = fe.Field
		}
		return &InputError{Field: field, Err: err}
	}
	if ev.Type != profile.TypeTransaction {
		return &InputError{Field: "type", Err: ErrUnsupported}
	}
	if ev.Direction != profile.Debit {
		return &InputError{Field: "direction", Err: ErrUnsupported}
	}
	if p != nil && p.CustomerID() != "" && p.CustomerID() != ev.CustomerID {
		return &InputError{Field: "customer_id", Err: profile.ErrWrongCustomer}
	}
	if err := e.builder.Compatible(p); err != nil {
		// Built with another hashing key or half-life: every device and
		// network would look new.
		field := "profile"
		var fe *profile.FieldError
		if errors.As(err, &fe) {
			field = fe.Field
		}
		return &InputError{Field: field, Err: err}
	}
	if ev.Time.After(now.Add(e.skew)) {
		return &InputError{Field: "time", Err: profile.ErrFuture}
	}
	return nil
}

func (e *Engine) txnView(t *TxnView, ev *profile.Event, loc *time.Location, factors, level int) {
	lt := ev.Time.In(loc)
	*t = TxnView{
		ID: ev.ID, CustomerID: ev.CustomerID, Kind: ev.Kind.String(), Amount: ev.Amount, Currency: ev.Currency,
		Channel: ev.Channel.String(), Remote: ev.Channel.Remote(),
		CardPresent:  ev.Channel == profile.ChannelPOS || ev.Channel == profile.ChannelATM,
		Counterparty: ev.Counterparty, MCC: int(ev.MCC), Country: ev.Location.Country,
		HasDevice: ev.DeviceID != "", HasIP: ev.IP.IsValid(), Hour: lt.Hour(), Weekday: int(lt.Weekday()),
		Auth: e.auth[ev.Auth], Factors: popcount3(factors), Level: level,
		Certificate: ev.Auth.HasCertificate(),
	}
}

func (e *Engine) listsLayer(st *state, h ListHits) {
	for _, x := range []struct {
		v              Verdict
		blocked, allow string
		flag           *bool
	}{
		{h.Customer, CodeBlockedCustomer, CodeAllowedCustomer, &st.allowCustomer},
		{h.Device, CodeBlockedDevice, CodeAllowedDevice, &st.allowDevice},
		{h.Network, CodeBlockedNetwork, CodeAllowedNetwork, &st.allowNetwork},
		{h.Counterparty, CodeBlockedCounterparty, CodeAllowedCounterparty, &st.allowCounterparty},
	} {
		switch x.v {
		case Blocked:
			st.sigs = append(st.sigs, Signal{Code: x.blocked, Action: Decline})
			st.codes[x.blocked] = true
			st.require(Decline, 0)
			st.nonAmount = true
			st.rts = true
		case Allowed:
			st.sigs = append(st.sigs, Signal{Code: x.allow})
			st.codes[x.allow] = true
			*x.flag = true
		}
	}
}

func (e *Engine) limitsLayer(st *state, l *Limits, p *profile.Profile, ev *profile.Event, now time.Time, presented int, newCust bool) {
	amount := ev.Amount
	headroom := func(h decimal.Decimal) {
		if h.Sign() < 0 {
			h = decimal.Zero
		}
		if !st.hasHeadroom || h.LessThan(st.headroom) {
			st.headroom, st.hasHeadroom = h, true
		}
	}
	over := func(code string, lim decimal.Decimal, h decimal.Decimal) {
		st.sigs = append(st.sigs, Signal{Code: code, Action: Decline, Value: lim.InexactFloat64()})
		st.codes[code] = true
		st.require(Decline, 0)
		headroom(h)
	}
	if lim := l.PerTransaction; !lim.IsZero() && amount.GreaterThan(lim) {
		over(CodeLimitTransaction, lim, lim)
	}
	if int(ev.Channel) < len(l.PerChannel) {
		if lim := l.PerChannel[ev.Channel]; !lim.IsZero() && amount.GreaterThan(lim) {
			over(CodeLimitChannel, lim, lim)
		}
	}
	_, hasLevel := l.levelLimit(presented)
	if l.Daily.IsZero() && !hasLevel {
		return
	}
	today := decimal.Zero
	if !newCust && ev.Currency == p.Currency() {
		_, units := p.Today(now)
		today = decimal.New(units, -4)
	}
	total := today.Add(amount)
	if lim := l.Daily; !lim.IsZero() && total.GreaterThan(lim) {
		over(CodeLimitDaily, lim, lim.Sub(today))
	}
	if lim, ok := l.levelLimit(presented); ok && total.GreaterThan(lim) {
		need := 0
		for i := presented + 1; i <= len(e.pol.levels.Levels); i++ {
			if l2, ok := l.levelLimit(i); !ok || !total.GreaterThan(l2) {
				need = i
				break
			}
		}
		a := Decline
		if need > 0 {
			a = StepUp
		}
		st.sigs = append(st.sigs, Signal{Code: CodeLimitLevel, Action: a, Level: need, Value: lim.InexactFloat64()})
		st.codes[CodeLimitLevel] = true
		st.require(a, need)
		headroom(lim.Sub(today))
	}
}

func (e *Engine) velocityLayer(st *state, p *profile.Profile, now time.Time) {
	w := e.w.Velocity
	if st.allowCustomer {
		w = 0
	}
	v := &st.env.Velocity
	days := now.Sub(p.FirstSeen()).Hours() / 24
	days = math.Min(30, math.Max(1, days))
	rate := float64(v.Count30d+1) / days // Laplace-smoothed daily debit rate
	if k := v.Count1h + 1; poissonTail(k, rate/e.habit.activeHours) < e.habit.velocityTail {
		st.emit(CodeBurst, gVelocity, w, float64(k), true)
	}
	if k := v.Count24h + 1; poissonTail(k, rate) < e.habit.velocityTail {
		st.emit(CodeDayCount, gVelocity, w, float64(k), true)
	}
}

// poissonTail returns P(X ≥ k) for X ~ Poisson(λ), summing the upper tail
// directly so that tiny tails keep their precision.
func poissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(k) <= lambda {
		return 1 // at or below the mean: not improbable
	}
	var term float64
	if k <= 20 {
		term = math.Exp(-lambda) // e^-λ λ^k / k!, by products: no overflow for k ≤ 20
		for i := 1; i <= k; i++ {
			term *= lambda / float64(i)
		}
	} else {
		lg, _ := math.Lgamma(float64(k) + 1)
		term = math.Exp(float64(k)*math.Log(lambda) - lambda - lg)
	}
	sum := term
	for i := k + 1; i < k+1000; i++ {
		term *= lambda / float64(i)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return math.Min(1, sum)
}

// novelty is 1 for something first seen at age 0 (or never), falling
// linearly to 0 at the maturity age.
func (e *Engine) novelty(known bool, age time.Duration) float64 {
	if !known {
		return 1
	}
	return 1 - math.Min(1, math.Max(0, age.Seconds()/e.habit.mature))
}

func (e *Engine) habitLayer(st *state, p *profile.Profile, ev *profile.Event, f *profile.Familiarity, established bool) {
	w, o := &e.w, &e.habit
	scale := 1.0
	if st.allowCustomer {
		scale = 0
	}
	dim := func(allowed bool) float64 {
		if allowed {
			return 0
		}
		return scale
	}
	t := ev.Time
	days := func(n profile.Novelty) float64 {
		if !n.Known {
			return -1
		}
		return t.Sub(n.First).Hours() / 24
	}
	// Device: the strongest evidence of account takeover (RTS 18(2)(c)(ii)).
	switch {
	case ev.DeviceID != "":
		if nov := e.novelty(f.Device.Known, t.Sub(f.Device.First)); nov > 0 {
			st.emit(CodeNewDevice, gDevice, w.NewDevice*nov*dim(st.allowDevice), days(f.Device), true)
		}
	case ev.Channel == profile.ChannelApp || ev.Channel == profile.ChannelWeb:
		st.emit(CodeNoDevice, gDevice, w.NoDevice*dim(st.allowDevice), 0, true)
	}
	if ev.IP.IsValid() && !f.Network.Known {
		st.emit(CodeNewNetwork, gNetwork, w.NewNetwork*dim(st.allowNetwork), 0, true)
	}
	// Location (RTS 18(2)(c)(v)): the strongest of country, travel, place.
	if c := ev.Location.Country; c != "" && !f.TopCountry {
		if nov := e.novelty(f.Country.Known, t.Sub(f.Country.First)); nov > 0 {
			wc := w.NewCountry * nov
			if established || e.nearLastPlace(p, ev, f) {
				wc /= 2 // corroborated by the customer's own device or last known place
			}
			st.emit(CodeNewCountry, gLocation, wc*scale, days(f.Country), true)
		}
	}
	if ev.Location.HasCoords && f.DistanceKm >= o.minDist {
		switch {
		case f.SpeedKmh > o.impossible:
			st.emit(CodeImpossibleTravel, gLocation, w.ImpossibleTravel*scale, round3(f.SpeedKmh), true)
		case f.SpeedKmh > o.fast:
			st.emit(CodeFastTravel, gLocation, w.FastTravel*scale, round3(f.SpeedKmh), true)
		}
	}
	if ev.Location.HasCoords && !f.Place.Known {
		st.emit(CodeNewPlace, gLocation, w.NewPlace*scale, 0, false)
	}
	// Hour and channel (RTS 18(2)(c)(i) behavioural pattern).
	if p.Seq() >= uint64(o.minEvents) {
		if f.HourOfDayShare < o.hourShare {
			st.emit(CodeUnusualHour, gHour, w.UnusualHour*scale, round3(f.HourOfDayShare), true)
		}
		if ev.Channel != 0 && f.ChannelShare < o.channelShare {
			st.emit(CodeRareChannel, gChannel, w.RareChannel*scale, round3(f.ChannelShare), false)
		}
	}
	// Counterparty.
	if ev.Counterparty != "" {
		cs := dim(st.allowCounterparty)
		if ev.Kind == profile.KindTransferOut {
			if nov := e.novelty(f.Counterparty.Known, t.Sub(f.Counterparty.First)); nov > 0 {
				st.emit(CodeNewPayee, gCounterparty, w.NewPayee*nov*cs, days(f.Counterparty), true)
				st.payeeNovel = cs > 0
			}
		} else if !f.Counterparty.Known {
			st.emit(CodeNewMerchant, gCounterparty, w.NewMerchant*cs, 0, false)
		}
	}
	// Amount against the customer's habit for the kind (RTS 18(2)(c)(i)).
	if z, ok := e.amountZ(p, ev, f); !ok {
		st.emit(CodeNoAmountHabit, gAmount, w.NoAmountHabit*scale, float64(f.Habit.Count), false)
		st.amountOther = true
	} else if z > o.amountZ {
		a := w.UnusualAmount * math.Min(1, (z-o.amountZ)/(o.amountFull-o.amountZ)) * scale
		st.emit(CodeUnusualAmount, gAmount, a, round3(z), true)
		st.amountFired = true
	}
	// A card-present payment without the chip: a magnetic-stripe copy.
	if (ev.Channel == profile.ChannelPOS || ev.Channel == profile.ChannelATM) && !ev.Auth.Has(profile.AuthCardChip) {
		st.emit(CodeNoChip, gInstrument, w.NoChip*scale, 0, true)
	}
}

// amountZ returns how many (floored) standard deviations ln(amount) is
// above the customer's habit for the kind, and false when there is no
// habit to compare with.
func (e *Engine) amountZ(p *profile.Profile, ev *profile.Event, f *profile.Familiarity) (float64, bool) {
	if ev.Currency != p.Currency() || f.Habit.Count < e.habit.minHistory {
		return 0, false
	}
	return (f.LogAmount - f.Habit.MeanLog) / math.Max(f.Habit.SDLog, e.habit.sdMin), true
}

// nearLastPlace reports whether the customer's last known place was within
// MinDistanceKm of the payment less than a day before.
func (e *Engine) nearLastPlace(p *profile.Profile, ev *profile.Event, f *profile.Familiarity) bool {
	if !ev.Location.HasCoords {
		return false
	}
	_, at, ok := p.LastPlace()
	return ok && ev.Time.Sub(at) < 24*time.Hour && f.DistanceKm < e.habit.minDist
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (e *Engine) habitView(h *HabitView, p *profile.Profile, ev *profile.Event, f *profile.Familiarity, newCust bool) {
	*h = HabitView{NewCustomer: newCust, DeviceAgeDays: -1, CounterpartyAgeDays: -1, HoursSinceLastPlace: -1}
	if newCust {
		return
	}
	t := ev.Time
	h.DeviceKnown, h.DeviceUses = f.Device.Known, f.Device.Count
	if f.Device.Known {
		h.DeviceAgeDays = t.Sub(f.Device.First).Hours() / 24
	}
	h.NetworkKnown, h.PlaceKnown, h.CountryKnown, h.HomeCountry = f.Network.Known, f.Place.Known, f.Country.Known, f.TopCountry
	if _, at, ok := p.LastPlace(); ok && ev.Location.HasCoords {
		h.DistanceKm, h.SpeedKmh, h.HoursSinceLastPlace = f.DistanceKm, f.SpeedKmh, t.Sub(at).Hours()
	}
	h.CounterpartyKnown, h.CounterpartyUses = f.Counterparty.Known, f.Counterparty.Count
	if f.Counterparty.Known {
		h.CounterpartyAgeDays = t.Sub(f.Counterparty.First).Hours() / 24
	}
	h.HourShare, h.HourOfWeekShare, h.ChannelShare = f.HourOfDayShare, f.HourOfWeekShare, f.ChannelShare
	h.KindCount, h.TypicalAmount, h.MaxAmount = f.Habit.Count, f.Habit.Typical, f.Habit.Max
	if z, ok := e.amountZ(p, ev, f); ok {
		h.AmountZ = z
	}
}

func (e *Engine) rulesLayer(st *state, rs *Rules) {
	for i := range rs.rules {
		r := &rs.rules[i]
		ok, err := r.prog.Eval(&st.env)
		if err != nil {
			st.sigs = append(st.sigs, Signal{Code: r.errorCode, Weight: r.Weight, Action: r.Action, Level: r.Level, Shadow: r.Shadow, Error: errorText(err)})
			if !r.Shadow {
				// Fail closed: an enforced rule that cannot be evaluated
				// counts as fired, and the fail-safe applies.
				e.fire(st, r)
				st.failed = true
			}
			continue
		}
		if !ok {
			continue
		}
		st.sigs = append(st.sigs, Signal{Code: r.code, Weight: r.Weight, Action: r.Action, Level: r.Level, Shadow: r.Shadow})
		if !r.Shadow {
			e.fire(st, r)
		}
	}
}

func (e *Engine) fire(st *state, r *compiled) {
	st.rules *= 1 - r.Weight
	if r.Weight > 0 {
		st.rts = true
	}
	if r.Action != 0 {
		lvl := r.Level
		if r.Action == StepUp && lvl == 0 {
			lvl = e.pol.stepUpLevel
		}
		st.require(r.Action, lvl)
		st.nonAmount = true
		st.rts = true
	}
}
