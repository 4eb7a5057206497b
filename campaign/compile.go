package campaign

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// Limits on definitions, so that a typo cannot ask for absurd work.
const (
	maxIDLen        = 64
	maxVersionLen   = 128
	maxHorizon      = 7 * Day
	maxBusyWindow   = 24 * time.Hour
	maxLeadDays     = 31
	maxActions      = 100
	maxErrors       = 50
	maxHoldoutShare = 0.5
	maxTextLen      = 256  // names, segment IDs, features, counterparties
	maxExprLen      = 4096 // audience expressions, as segment.MaxExprLen
)

// compiledSet is a validated Set ready for planning.
type compiledSet struct {
	set       Set // deep enough copy: slices of campaigns and offers are the planner's own
	loc       *time.Location
	caps      [3]int              // global marketing caps: day, week, month (0 = none)
	chanCaps  [NumChannels][3]int // per channel
	capacity  [NumChannels]int64  // per channel per day; -1 = unlimited
	quiet     QuietHours
	fatigue   Fatigue
	arb       Arbitration
	actions   int
	horizon   int64 // seconds
	busy      time.Duration
	attrib    time.Duration
	masks     []weekMask // distinct send masks; masks[0] is quiet hours alone
	campaigns []compiled
	byID      map[string]int
	lookback  time.Duration // history needed besides campaign windows
	// Reason strings, precomputed so that explaining a choice does not
	// build them per message.
	stageReasons, tierReasons, familyReasons [16]string
	rankReasons                              [33]string
	heldReasons                              [NumReasons]string
}

// compiled is one validated campaign.
type compiled struct {
	c        *Campaign
	idx      int
	start    int64
	end      int64 // math.MaxInt64 when open
	mask     int   // index into compiledSet.masks
	best     bool  // send at the customer's best hour
	lever    float64
	maxPer   int // 0 = none
	cooldown int64
	budget   int64 // max sends; 0 = no budget
	budKey   string
	attrib   time.Duration
	offers   []compiledOffer

	segAny, segNone []string
	stages          []segment.Stage
	tiers           []segment.Tier
	families        []segment.ProductFamily
	expr            *rules.Program
	need            profile.FeatureGroup // Features groups the expression reads

	// Triggers.
	segTrigger string
	segKind    segment.TransitionKind
	leadDays   int64
	billKinds  [profile.NumKinds]bool
	event      *eventMatch

	trigReason string   // "scheduled:RECURRENCE" or "trigger:TYPE"
	segReasons []string // "segment:ID" for each of segAny
}

type compiledOffer struct {
	o      *Offer
	worth  float64
	credit bool
	family segment.ProductFamily
}

type eventMatch struct {
	typ          profile.EventType
	kind         profile.Kind
	feature      string
	counterparty string
	min          decimal.Decimal
	hasMin       bool
}

// errList collects validation errors up to maxErrors.
type errList struct{ errs []error }

func (l *errList) add(campaign, field string, err error) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &ValidationError{Campaign: campaign, Field: field, Err: err})
	}
}

func (l *errList) addDetail(campaign, field string, err error, detail string) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &ValidationError{Campaign: campaign, Field: field, Err: err, Detail: detail})
	}
}

func (l *errList) err() error { return errors.Join(l.errs...) }

// Validate checks the set: every field in range, names known, expressions
// compiling, send windows not overlapping and not entirely in quiet hours.
// The error joins up to 50 *ValidationError, each naming the campaign and
// field; errors.Is works with the sentinels (ErrNegative, ErrOverlap,
// ErrTimeZone, ...).
func (s *Set) Validate() error {
	_, err := compileSet(s)
	return err
}

func compileSet(s *Set) (*compiledSet, error) {
	if s == nil {
		return nil, fieldErr("set", ErrMissing)
	}
	var el errList
	cs := &compiledSet{byID: make(map[string]int, len(s.Campaigns))}
	cs.set = *s
	cs.set.Campaigns = slices.Clone(s.Campaigns)
	switch {
	case s.Version == "":
		el.add("", "version", ErrMissing)
	case len(s.Version) > maxVersionLen || strings.IndexFunc(s.Version, notPrintable) >= 0:
		el.add("", "version", ErrInvalid)
	}
	cs.loc = time.UTC
	if s.TimeZone != "" {
		loc, err := time.LoadLocation(s.TimeZone)
		if err != nil || strings.ContainsAny(s.TimeZone, "\\") {
			el.add("", "time_zone", ErrTimeZone)
		} else {
			cs.loc = loc
		}
	}
	compilePolicy(cs, &s.Policy, &el)
	for i := range 16 {
		cs.stageReasons[i] = "stage:" + segment.Stage(i).String()
		cs.tierReasons[i] = "tier:" + segment.Tier(i).String()
		cs.familyReasons[i] = "family:" + segment.ProductFamily(i).String()
	}
	for i := range cs.rankReasons {
		cs.rankReasons[i] = fmt.Sprintf("rank:%d", i)
	}
	for _, r := range Reasons() {
		cs.heldReasons[r] = "held:" + r.String()
	}
	cs.masks = []weekMask{buildMask(cs.quiet, nil)}
	for i := range cs.set.Campaigns {
		c := &cs.set.Campaigns[i]
		name := c.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i)
		}
		if _, dup := cs.byID[c.ID]; dup && c.ID != "" {
			el.add(name, "id", ErrDuplicate)
		}
		cc := compileCampaign(cs, c, name, &el)
		cc.idx = i
		cs.byID[c.ID] = i
		cs.campaigns = append(cs.campaigns, cc)
	}
	if err := el.err(); err != nil {
		return nil, err
	}
	return cs, nil
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }

func checkCaps(el *errList, field string, c Caps) [3]int {
	for _, f := range [...]struct {
		n string
		v int
	}{{"day", c.Day}, {"week", c.Week}, {"month", c.Month}} {
		if f.v < 0 {
			el.add("", field+"."+f.n, ErrNegative)
		}
	}
	return [3]int{max(c.Day, 0), max(c.Week, 0), max(c.Month, 0)}
}

func checkDuration(el *errList, campaign, field string, d Duration, limit time.Duration) {
	switch {
	case d < 0:
		el.add(campaign, field, ErrNegative)
	case limit > 0 && time.Duration(d) > limit:
		el.add(campaign, field, ErrInvalid)
	}
}

func checkShare(el *errList, campaign, field string, v, limit float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		el.add(campaign, field, ErrInvalid)
	case v < 0:
		el.add(campaign, field, ErrNegative)
	case v > limit:
		el.add(campaign, field, ErrInvalid)
	}
}

func compilePolicy(cs *compiledSet, p *Policy, el *errList) {
	caps := DefaultCaps()
	if p.Caps != nil {
		caps = *p.Caps
	}
	cs.caps = checkCaps(el, "policy.caps", caps)
	chanCaps := p.ChannelCaps
	if chanCaps == nil {
		chanCaps = DefaultChannelCaps()
	}
	for ch, c := range chanCaps {
		if ch == 0 || int(ch) >= NumChannels {
			el.add("", "policy.channel_caps", ErrInvalid)
			continue
		}
		cs.chanCaps[ch] = checkCaps(el, "policy.channel_caps."+ch.String(), c)
	}
	cs.quiet = DefaultQuietHours()
	if p.QuietHours != nil {
		cs.quiet = *p.QuietHours
	}
	if cs.quiet.From > minutesPerDay {
		el.add("", "policy.quiet_hours.from", ErrInvalid)
	}
	if cs.quiet.To > minutesPerDay {
		el.add("", "policy.quiet_hours.to", ErrInvalid)
	}
	cs.quiet.From %= minutesPerDay
	cs.quiet.To %= minutesPerDay
	cs.fatigue = DefaultFatigue()
	if p.Fatigue != nil {
		cs.fatigue = *p.Fatigue
	}
	f := &cs.fatigue
	if f.Ignores < 0 {
		el.add("", "policy.fatigue.ignores", ErrNegative)
	}
	checkDuration(el, "", "policy.fatigue.within", f.Within, 0)
	checkDuration(el, "", "policy.fatigue.pause", f.Pause, 0)
	checkDuration(el, "", "policy.fatigue.response_window", f.ResponseWindow, 0)
	if f.Ignores > 0 && f.Within <= 0 {
		el.add("", "policy.fatigue.within", ErrMissing)
	}
	if f.Ignores > 0 && f.Pause <= 0 {
		el.add("", "policy.fatigue.pause", ErrMissing)
	}
	checkShare(el, "", "policy.global_control", p.GlobalControl, maxHoldoutShare)
	for _, ch := range p.RequireConsent.List() {
		if ch != ChannelInApp && ch != ChannelAgent {
			el.add("", "policy.require_consent", ErrInvalid)
		}
	}
	if int(p.RequireConsent)&^(1<<NumChannels-1) != 0 || p.RequireConsent&1 != 0 {
		el.add("", "policy.require_consent", ErrInvalid)
	}
	switch {
	case p.ActionsPerRun < 0:
		el.add("", "policy.actions_per_run", ErrNegative)
	case p.ActionsPerRun > maxActions:
		el.add("", "policy.actions_per_run", ErrInvalid)
	}
	cs.actions = p.ActionsPerRun
	if cs.actions == 0 {
		cs.actions = 1
	}
	checkDuration(el, "", "policy.horizon", p.Horizon, maxHorizon)
	cs.horizon = int64(time.Duration(p.Horizon) / time.Second)
	if cs.horizon == 0 {
		cs.horizon = 24 * 3600
	}
	checkDuration(el, "", "policy.busy_window", p.BusyWindow, maxBusyWindow)
	cs.busy = time.Duration(p.BusyWindow)
	if cs.busy == 0 {
		cs.busy = 15 * time.Minute
	}
	for i := range cs.capacity {
		cs.capacity[i] = -1
	}
	for ch, n := range p.Capacity {
		switch {
		case ch == 0 || int(ch) >= NumChannels:
			el.add("", "policy.capacity", ErrInvalid)
		case n < 0:
			el.add("", "policy.capacity."+ch.String(), ErrNegative)
		default:
			cs.capacity[ch] = int64(n)
		}
	}
	checkDuration(el, "", "policy.attribution_window", p.AttributionWindow, 0)
	cs.attrib = time.Duration(p.AttributionWindow)
	if cs.attrib == 0 {
		cs.attrib = 7 * Day
	}
	cs.arb = DefaultArbitration()
	if p.Arbitration != nil {
		cs.arb = *p.Arbitration
	}
	checkShare(el, "", "policy.arbitration.family_match", cs.arb.FamilyMatch, 100)
	checkShare(el, "", "policy.arbitration.triggered", cs.arb.Triggered, 100)
	// History needed: a calendar month (plus a day for time zones) for the
	// caps, and the fatigue periods.
	cs.lookback = 33 * Day
	if f.Ignores > 0 {
		cs.lookback = max(cs.lookback, time.Duration(f.Within+f.Pause+f.ResponseWindow))
	}
}

// validID reports whether s is a usable campaign or offer ID: 1 to 64
// letters, digits, '_', '-', '.' or ':'.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == ':') {
			return false
		}
	}
	return true
}

func compileCampaign(cs *compiledSet, c *Campaign, name string, el *errList) compiled {
	cc := compiled{c: c, end: math.MaxInt64}
	if !validID(c.ID) {
		if c.ID == "" {
			el.add(name, "id", ErrMissing)
		} else {
			el.add(name, "id", ErrInvalid)
		}
	}
	if len(c.Name) > maxTextLen {
		el.add(name, "name", ErrInvalid)
	}
	switch {
	case c.Window.Start.IsZero():
		el.add(name, "window.start", ErrMissing)
	case !c.Window.End.IsZero() && !c.Window.End.After(c.Window.Start):
		el.add(name, "window.end", ErrInvalid)
	}
	cc.start = c.Window.Start.Unix()
	if !c.Window.End.IsZero() {
		cc.end = c.Window.End.Unix()
	}
	if c.Recurrence > RecurrenceMonthly {
		el.add(name, "recurrence", ErrInvalid)
	}
	if c.Recurrence != RecurrenceOnce && c.Trigger.Type != TriggerNone {
		el.add(name, "recurrence", ErrInvalid) // triggered campaigns send once per trigger
	}
	compileAudience(&cc, c, name, el)
	compileTrigger(&cc, c, name, el)
	if c.Trigger.Type == TriggerNone {
		cc.trigReason = "scheduled:" + c.Recurrence.String()
	} else {
		cc.trigReason = "trigger:" + c.Trigger.Type.String()
	}
	for _, sg := range cc.segAny {
		cc.segReasons = append(cc.segReasons, "segment:"+sg)
	}

	if len(c.Offers) == 0 {
		el.add(name, "offers", ErrMissing)
	}
	c.Offers = slices.Clone(c.Offers)
	seen := make(map[string]bool, len(c.Offers))
	for i := range c.Offers {
		o := &c.Offers[i]
		f := fmt.Sprintf("offers[%d]", i)
		switch {
		case o.ID == "":
			el.add(name, f+".id", ErrMissing)
		case !validID(o.ID):
			el.add(name, f+".id", ErrInvalid)
		case seen[o.ID]:
			el.add(name, f+".id", ErrDuplicate)
		}
		seen[o.ID] = true
		co := compiledOffer{o: o, worth: 1}
		if fam, ok := parseFamily(o.Family); ok {
			co.family = fam
			co.credit = fam == segment.FamilyCredit
		} else {
			el.add(name, f+".family", ErrInvalid)
		}
		switch {
		case o.Value.IsNegative():
			el.add(name, f+".value", ErrNegative)
		case o.Value.IsPositive():
			co.worth = o.Value.InexactFloat64()
			if math.IsInf(co.worth, 0) {
				el.add(name, f+".value", ErrInvalid)
			}
		}
		switch {
		case math.IsNaN(o.Propensity) || o.Propensity > 1:
			el.add(name, f+".propensity", ErrInvalid)
		case o.Propensity < 0:
			el.add(name, f+".propensity", ErrNegative)
		}
		cc.offers = append(cc.offers, co)
	}
	if len(c.Channels) == 0 {
		el.add(name, "channels", ErrMissing)
	}
	c.Channels = slices.Clone(c.Channels)
	var chans Channels
	for i, ch := range c.Channels {
		f := fmt.Sprintf("channels[%d]", i)
		switch {
		case ch == 0 || int(ch) >= NumChannels:
			el.add(name, f, ErrInvalid)
		case chans.Has(ch):
			el.add(name, f, ErrDuplicate)
		}
		chans = chans.With(ch)
	}
	c.SendWindows = slices.Clone(c.SendWindows)
	for i, w := range c.SendWindows {
		f := fmt.Sprintf("send_windows[%d]", i)
		if w.To > minutesPerDay || w.From >= w.To {
			el.add(name, f, ErrInvalid)
			continue
		}
		for j := 0; j < i; j++ {
			v := c.SendWindows[j]
			sameDay := w.Days == 0 || v.Days == 0 || w.Days&v.Days != 0
			if sameDay && w.From < v.To && v.From < w.To {
				el.add(name, f, ErrOverlap)
			}
		}
	}
	mask := buildMask(cs.quiet, c.SendWindows)
	if mask.empty() {
		el.addDetail(name, "send_windows", ErrInvalid, "no time left outside quiet hours")
	}
	cc.mask = slices.Index(cs.masks, mask)
	if cc.mask < 0 {
		cs.masks = append(cs.masks, mask)
		cc.mask = len(cs.masks) - 1
	}
	switch c.SendTime {
	case SendTimeDefault:
		cc.best = c.Trigger.Type == TriggerNone
	case SendTimeBest:
		cc.best = true
	case SendTimeASAP:
	default:
		el.add(name, "send_time", ErrInvalid)
	}
	switch {
	case math.IsNaN(c.Priority) || math.IsInf(c.Priority, 0):
		el.add(name, "priority", ErrInvalid)
	case c.Priority < 0:
		el.add(name, "priority", ErrNegative)
	}
	cc.lever = c.Priority
	if cc.lever == 0 {
		cc.lever = 1
	}
	if b := c.Budget; b != nil {
		switch {
		case b.Amount.IsNegative():
			el.add(name, "budget.amount", ErrNegative)
		case b.CostPerSend.IsNegative():
			el.add(name, "budget.cost_per_send", ErrNegative)
		case !b.CostPerSend.IsPositive():
			el.add(name, "budget.cost_per_send", ErrMissing)
		}
		cc.budget = b.MaxSends()
		if cc.budget == 0 {
			cc.budget = -1 // a budget that pays for nothing
		}
		cc.budKey = "budget/" + c.ID
	}
	checkShare(el, name, "holdout", c.Holdout, maxHoldoutShare)
	checkDuration(el, name, "cooldown", c.Cooldown, 0)
	cc.cooldown = int64(time.Duration(c.Cooldown) / time.Second)
	switch {
	case c.MaxPerCustomer < 0:
		el.add(name, "max_per_customer", ErrNegative)
	case c.MaxPerCustomer > 0:
		cc.maxPer = c.MaxPerCustomer
	case !c.Transactional:
		cc.maxPer = DefaultMaxPerCustomer
	}
	checkDuration(el, name, "attribution_window", c.AttributionWindow, 0)
	cc.attrib = time.Duration(c.AttributionWindow)
	if cc.attrib == 0 {
		cc.attrib = cs.attrib
	}
	return cc
}

func compileAudience(cc *compiled, c *Campaign, name string, el *errList) {
	a := &c.Audience
	for i, s := range a.Segments {
		if s == "" || len(s) > maxTextLen {
			el.add(name, fmt.Sprintf("audience.segments[%d]", i), ErrInvalid)
		}
	}
	for i, s := range a.ExcludeSegments {
		if s == "" || len(s) > maxTextLen {
			el.add(name, fmt.Sprintf("audience.exclude_segments[%d]", i), ErrInvalid)
		}
	}
	cc.segAny, cc.segNone = slices.Clone(a.Segments), slices.Clone(a.ExcludeSegments)
	for i, s := range a.Stages {
		st, ok := parseStage(s)
		if !ok {
			el.add(name, fmt.Sprintf("audience.stages[%d]", i), ErrInvalid)
		}
		cc.stages = append(cc.stages, st)
	}
	for i, s := range a.Tiers {
		t, ok := parseTier(s)
		if !ok {
			el.add(name, fmt.Sprintf("audience.tiers[%d]", i), ErrInvalid)
		}
		cc.tiers = append(cc.tiers, t)
	}
	for i, s := range a.Families {
		f, ok := parseFamily(s)
		if !ok || s == "" {
			el.add(name, fmt.Sprintf("audience.families[%d]", i), ErrInvalid)
		}
		cc.families = append(cc.families, f)
	}
	if len(a.Expression) > maxExprLen {
		el.addDetail(name, "audience.expression", ErrInvalid, "longer than 4096 bytes")
	} else if a.Expression != "" {
		ruleName := c.ID
		if ruleName == "" {
			ruleName = name
		}
		p, err := rules.Compile(ruleName, a.Expression, Env{})
		if err != nil {
			var re *rules.Error
			detail := "does not compile"
			if errors.As(err, &re) {
				detail = fmt.Sprintf("line %d, column %d: %s", re.Line, re.Column, re.Message)
			}
			el.addDetail(name, "audience.expression", ErrInvalid, detail)
		}
		cc.expr = p
		cc.need = profile.AllFeatures
		if fields, whole := rules.Fields(a.Expression, "Profile"); !whole {
			cc.need = profile.FeatureGroupsOf(fields)
		}
	}
}

func compileTrigger(cc *compiled, c *Campaign, name string, el *errList) {
	t := &c.Trigger
	if t.Type != TriggerSegment && (t.Segment != "" || t.Transition != "") {
		el.add(name, "trigger.segment", ErrInvalid)
	}
	if t.Type != TriggerBillDue && (t.LeadDays != 0 || len(t.BillKinds) > 0) {
		el.add(name, "trigger.lead_days", ErrInvalid)
	}
	if t.Type != TriggerEvent && t.Event != nil {
		el.add(name, "trigger.event", ErrInvalid)
	}
	switch t.Type {
	case TriggerNone:
	case TriggerSegment:
		switch {
		case t.Segment == "":
			el.add(name, "trigger.segment", ErrMissing)
		case len(t.Segment) > maxTextLen:
			el.add(name, "trigger.segment", ErrInvalid)
		}
		cc.segTrigger = t.Segment
		switch t.Transition {
		case "", "entered":
			cc.segKind = segment.Entered
		case "left":
			cc.segKind = segment.Left
		default:
			el.add(name, "trigger.transition", ErrInvalid)
		}
	case TriggerBillDue:
		switch {
		case t.LeadDays < 0:
			el.add(name, "trigger.lead_days", ErrNegative)
		case t.LeadDays > maxLeadDays:
			el.add(name, "trigger.lead_days", ErrInvalid)
		}
		cc.leadDays = int64(t.LeadDays)
		if cc.leadDays == 0 {
			cc.leadDays = 3
		}
		kinds := t.BillKinds
		if len(kinds) == 0 {
			kinds = []string{"bill_payment", "loan_repayment"}
		}
		for i, k := range kinds {
			pk, err := profile.ParseKind(k)
			if err != nil || pk.Direction() != profile.Debit {
				el.add(name, fmt.Sprintf("trigger.bill_kinds[%d]", i), ErrInvalid)
				continue
			}
			cc.billKinds[pk] = true
		}
	case TriggerEvent:
		e := t.Event
		if e == nil || *e == (EventMatch{}) {
			el.add(name, "trigger.event", ErrMissing)
			return
		}
		m := &eventMatch{feature: e.Feature, counterparty: e.Counterparty, min: e.MinAmount, hasMin: !e.MinAmount.IsZero()}
		if len(e.Feature) > maxTextLen {
			el.add(name, "trigger.event.feature", ErrInvalid)
		}
		if len(e.Counterparty) > maxTextLen {
			el.add(name, "trigger.event.counterparty", ErrInvalid)
		}
		if e.Type != "" {
			typ, err := profile.ParseEventType(e.Type)
			if err != nil {
				el.add(name, "trigger.event.type", ErrInvalid)
			}
			m.typ = typ
		}
		if e.Kind != "" {
			k, err := profile.ParseKind(e.Kind)
			if err != nil {
				el.add(name, "trigger.event.kind", ErrInvalid)
			}
			m.kind = k
		}
		if e.MinAmount.IsNegative() {
			el.add(name, "trigger.event.min_amount", ErrNegative)
		}
		cc.event = m
	default:
		el.add(name, "trigger.type", ErrInvalid)
	}
}

// parseStage, parseTier and parseFamily map names as package segment
// spells them to values; parseFamily also accepts "" as FamilyNone.
func parseStage(s string) (segment.Stage, bool) {
	v, err := segment.ParseStage(s)
	return v, err == nil
}

func parseTier(s string) (segment.Tier, bool) {
	v, err := segment.ParseTier(s)
	return v, err == nil
}

func parseFamily(s string) (segment.ProductFamily, bool) {
	if s == "" {
		return segment.FamilyNone, true
	}
	v, err := segment.ParseFamily(s)
	return v, err == nil
}
