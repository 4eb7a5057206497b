package campaign

import (
	"time"

	"github.com/shopspring/decimal"
)

// Set is a versioned set of campaigns and the contact policy that governs
// them. It is what a campaign file holds (see DecodeSet and the package
// documentation for the schema). Every choice the planner makes carries
// the set's Version so it can be audited and replayed.
//
// A Set is plain data; New validates and compiles it. Do not change a Set
// while a Planner built from it is in use.
type Set struct {
	// Version identifies this edition of the set, for example
	// "2025-03-01.2". Required.
	Version string `json:"version"`
	// TimeZone is the bank's IANA time zone: daily channel capacities are
	// counted per calendar day in it. "" means UTC.
	TimeZone string `json:"time_zone,omitempty"`
	// Policy is the contact policy; its zero value is the documented
	// default.
	Policy Policy `json:"policy"`
	// Campaigns are the campaigns, each with a unique ID.
	Campaigns []Campaign `json:"campaigns"`
}

// Policy is the contact policy: how often and when customers may be
// contacted at all, whatever the campaign. The zero value is the default
// described on each field.
type Policy struct {
	// Caps limits marketing messages per customer across all channels,
	// counted per calendar day, week (Monday to Sunday) and month in the
	// customer's own time zone. Nil means DefaultCaps(); a non-nil Caps sets
	// all three periods, zero meaning no cap for that period.
	Caps *Caps `json:"caps,omitempty"`
	// ChannelCaps adds caps per channel, counted the same way. Nil means
	// DefaultChannelCaps(); a non-nil map sets exactly the channels it names
	// (an empty map: no channel caps). Encoded as null when nil.
	ChannelCaps map[Channel]Caps `json:"channel_caps"`
	// QuietHours is when no message is sent; a message due in them is
	// held and released when they end. Nil means DefaultQuietHours()
	// (21:00 to 08:00 local time).
	QuietHours *QuietHours `json:"quiet_hours,omitempty"`
	// Fatigue pauses an offer the customer keeps ignoring (marketing
	// campaigns only; reminders are not paused). Nil means
	// DefaultFatigue().
	Fatigue *Fatigue `json:"fatigue,omitempty"`
	// CapTransactional makes transactional campaigns (bill reminders)
	// count against and obey the caps. False (the default) lets them
	// bypass the marketing caps; they still obey consent, quiet hours, the
	// busy rule and their own campaign limits.
	CapTransactional bool `json:"cap_transactional,omitempty"`
	// GlobalControl is the share of customers, in [0, 0.5], kept out of
	// all marketing (a universal control group), chosen by a stable hash
	// of the customer and HoldoutSeed. Zero means none.
	GlobalControl float64 `json:"global_control,omitempty"`
	// HoldoutSeed seeds the stable hashes that pick campaign holdouts and
	// the global control group. Changing it reshuffles every group.
	HoldoutSeed uint64 `json:"holdout_seed,omitempty"`
	// RequireConsent lists channels among in_app and agent that need the
	// customer's consent (Customer.Consent). By default these two reach
	// the customer inside the bank's own app or branch and need none;
	// opt-outs always apply. Push, SMS and e-mail use the consent in the
	// profile, phone the consent the caller gives in Customer.Consent.
	RequireConsent Channels `json:"require_consent,omitempty"`
	// ActionsPerRun is how many marketing messages one planning run may
	// choose per customer (the slot of next-best-action arbitration); the
	// candidates ranked below are suppressed with reason cap (scheduled
	// campaigns come back at the next run, triggers do not). Zero means 1.
	ActionsPerRun int `json:"actions_per_run,omitempty"`
	// Horizon is how far ahead a message may be scheduled when looking for
	// the customer's best send time or the end of quiet hours. Zero means
	// 24 hours.
	Horizon Duration `json:"horizon,omitempty"`
	// BusyWindow is how long after the start of a transfer or payment a
	// customer counts as busy for the default busy rule (ActivityBusy).
	// Zero means 15 minutes.
	BusyWindow Duration `json:"busy_window,omitempty"`
	// Capacity is the number of messages each channel can take per
	// calendar day in Set.TimeZone (for example agent calls), allocated to
	// the highest priorities. A channel absent from the map is unlimited.
	Capacity map[Channel]int `json:"capacity,omitempty"`
	// AttributionWindow is how long after a contact a conversion is
	// attributed to it, unless the campaign sets its own. Zero means 7
	// days.
	AttributionWindow Duration `json:"attribution_window,omitempty"`
	// Arbitration sets the context weights of arbitration. Nil means
	// DefaultArbitration().
	Arbitration *Arbitration `json:"arbitration,omitempty"`
}

// Arbitration holds the context weights of next-best-action arbitration.
// As in Pega Customer Decision Hub (User Guide 8.6, "Arbitration
// strategy"), weights add up and the context factor is 1 plus their sum.
type Arbitration struct {
	// FamilyMatch is added when the offer's product family is the one the
	// customer's lifecycle stage leads with (segment.Assignment.Family).
	FamilyMatch float64 `json:"family_match"`
	// Triggered is added when the message answers a trigger (a segment
	// transition, a bill coming due, an event) rather than a schedule.
	Triggered float64 `json:"triggered"`
}

// DefaultArbitration returns the default context weights: +0.5 for an
// offer in the customer's lead product family, +1 for a triggered message
// (so a timely message outranks an equal scheduled one two to one).
func DefaultArbitration() Arbitration { return Arbitration{FamilyMatch: 0.5, Triggered: 1} }

// Caps limits messages per calendar period in the customer's time zone.
// Zero means no cap for that period.
type Caps struct {
	Day   int `json:"day,omitempty"`   // per local calendar day
	Week  int `json:"week,omitempty"`  // per local week, Monday to Sunday
	Month int `json:"month,omitempty"` // per local calendar month
}

// DefaultCaps returns the global marketing caps when Policy.Caps is nil: one
// message a day, three a week, eight a month.
//
// Three a week stays well below the one regulatory figure on contact
// frequency we know of, the US Regulation F presumption that more than
// seven calls within seven consecutive days is harassment (12 CFR
// 1006.14(b)(2)(i), debt collection), and one a day matches the per-channel
// weekly limits below when a customer has several channels. Eight a month
// is two a week on average. These are policy judgements: check them
// against the response curve of your own campaigns (the UCI bank-marketing
// conversion-by-contacts report).
func DefaultCaps() Caps { return Caps{Day: 1, Week: 3, Month: 8} }

// DefaultChannelCaps returns the per-channel caps used when
// Policy.ChannelCaps is nil: one SMS, one e-mail and one phone call a week,
// the predefined customer contact policy of Pega Customer Decision Hub
// ("one email and one SMS per week"; Pega CDH User Guide 8.6, Setting
// constraints, contact policy limits, and controls), with phone treated
// like SMS.
func DefaultChannelCaps() map[Channel]Caps {
	return map[Channel]Caps{ChannelSMS: {Week: 1}, ChannelEmail: {Week: 1}, ChannelPhone: {Week: 1}}
}

// QuietHours is a daily local-time window when nothing is sent. From may
// be after To (the window wraps midnight); From equal to To means no quiet
// hours.
type QuietHours struct {
	From Clock `json:"from"` // start, inclusive
	To   Clock `json:"to"`   // end, exclusive
}

// DefaultQuietHours returns 21:00 to 08:00 in the customer's time zone, the
// hours in which US telephone solicitation is forbidden (47 CFR
// 64.1200(c)(1): "before the hour of 8 a.m. or after 9 p.m. (local time at
// the called party's location)").
func DefaultQuietHours() QuietHours { return QuietHours{From: ClockOf(21, 0), To: ClockOf(8, 0)} }

// Fatigue pauses an offer for a customer who ignored it Ignores times
// within Within: the offer is not made again for Pause after the last of
// those ignores. A delivered message counts as ignored when the caller
// recorded OutcomeIgnored, or when no outcome was recorded within
// ResponseWindow of its send time.
type Fatigue struct {
	Ignores        int      `json:"ignores"`                   // K; zero turns fatigue off
	Within         Duration `json:"within"`                    // D
	Pause          Duration `json:"pause"`                     // P
	ResponseWindow Duration `json:"response_window,omitempty"` // zero: only recorded ignores count
}

// DefaultFatigue returns the suppression policy of Pega's training example
// (Pega Academy, "Contact policy types": an offer ignored twice in the
// previous 30 days is not sent again for the next 60 days), with a message
// left unanswered for 3 days counting as ignored.
func DefaultFatigue() Fatigue {
	return Fatigue{Ignores: 2, Within: Duration(30 * Day), Pause: Duration(60 * Day), ResponseWindow: Duration(3 * Day)}
}

// DefaultMaxPerCustomer is the per-campaign maximum of messages to one
// customer when Campaign.MaxPerCustomer is zero (marketing campaigns
// only). In the UCI bank-marketing data (Moro, Cortez & Rita 2014,
// 45,211 calls) the subscription rate falls from 14.6% of customers called
// once to 11.2% at two and three calls, 9.0% at four and under 8% beyond:
// after three contacts a campaign mostly adds pressure, not sales.
const DefaultMaxPerCustomer = 3

// Campaign is one campaign: whom it addresses (Audience, Trigger), what it
// offers (Offers) on which channels, when (Window, SendWindows,
// Recurrence) and under which limits (Budget, Cooldown, MaxPerCustomer,
// Holdout).
type Campaign struct {
	// ID identifies the campaign; unique in the set; part of every
	// idempotency key, so keep it stable across versions.
	ID   string `json:"id"`
	Name string `json:"name,omitempty"` // for people; up to 256 bytes
	// Transactional marks service messages such as bill reminders: they are
	// not marketing, skip arbitration and the global control group, and
	// bypass the marketing caps unless Policy.CapTransactional.
	Transactional bool `json:"transactional,omitempty"`
	// Window is when the campaign runs; Start is required, a zero End
	// means open-ended.
	Window Window `json:"window"`
	// Recurrence is how often a scheduled campaign (no trigger) may reach
	// a customer; zero means once. Triggered campaigns send once per
	// trigger occurrence.
	Recurrence Recurrence `json:"recurrence,omitempty"`
	// Audience selects the customers; the zero Audience is everyone.
	Audience Audience `json:"audience"`
	// Trigger starts the campaign for a customer; the zero Trigger makes
	// it a scheduled campaign.
	Trigger Trigger `json:"trigger"`
	// Offers are what the campaign offers; at least one. Arbitration picks
	// the offer and channel with the highest priority for each customer.
	Offers []Offer `json:"offers"`
	// Channels are the channels the campaign may use; at least one. On
	// equal priority the earlier channel wins.
	Channels []Channel `json:"channels"`
	// SendWindows restrict sending to local times of day (and weekdays);
	// empty means any time outside quiet hours. They must not overlap.
	SendWindows []SendWindow `json:"send_windows,omitempty"`
	// SendTime says how the send time is chosen; see SendTime.
	SendTime SendTime `json:"send_time,omitempty"`
	// Priority is the business lever L of arbitration; zero means 1.
	Priority float64 `json:"priority,omitempty"`
	// Budget caps the campaign's total sends; nil means no budget.
	Budget *Budget `json:"budget,omitempty"`
	// Holdout is the share of eligible customers, in [0, 0.5], held out to
	// measure lift, by stable hash of (customer, campaign).
	Holdout float64 `json:"holdout,omitempty"`
	// Cooldown is the least time between two messages of the campaign to
	// one customer; zero means none.
	Cooldown Duration `json:"cooldown,omitempty"`
	// MaxPerCustomer caps the campaign's messages to one customer over its
	// window. Zero means DefaultMaxPerCustomer for marketing campaigns and
	// no maximum for transactional ones.
	MaxPerCustomer int `json:"max_per_customer,omitempty"`
	// AttributionWindow overrides Policy.AttributionWindow for this
	// campaign; zero means the policy's.
	AttributionWindow Duration `json:"attribution_window,omitempty"`
}

// Window is a period [Start, End); a zero End means open-ended.
type Window struct {
	Start time.Time `json:"start"`        // inclusive; required
	End   time.Time `json:"end,omitzero"` // exclusive; zero for open-ended
}

// Contains reports whether t is in [Start, End).
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Start) && (w.End.IsZero() || t.Before(w.End))
}

// SendWindow is a local time-of-day range [From, To) on some weekdays (all
// when Days is empty). From must be before To; cover midnight with two
// windows.
type SendWindow struct {
	Days Weekdays `json:"days,omitempty"` // empty: every day
	From Clock    `json:"from"`           // inclusive
	To   Clock    `json:"to"`             // exclusive
}

// Audience selects the customers a campaign addresses. Every non-empty
// condition must hold. Segment, stage, tier and family names are those of
// package segment (for example "stage:retired" memberships, stage
// "early_career", tier "long_tail", family "wealth").
type Audience struct {
	// Segments: the customer is a member of at least one of them.
	Segments []string `json:"segments,omitempty"`
	// ExcludeSegments: the customer is a member of none of them.
	ExcludeSegments []string `json:"exclude_segments,omitempty"`
	// Stages: the customer's lifecycle stage is one of them.
	Stages []string `json:"stages,omitempty"`
	// Tiers: the customer's value tier is one of them.
	Tiers []string `json:"tiers,omitempty"`
	// Families: the product family the customer's stage leads with is one
	// of them.
	Families []string `json:"families,omitempty"`
	// Expression is a boolean expression over Env, compiled once with the
	// SDK's shared rules engine: for example
	// `Profile.MonthlyIncome > 20000 && Profile.ConsentPush`. Money
	// compares exactly.
	Expression string `json:"expression,omitempty"`
	// Predicate is a Go condition (not part of campaign files); nil means
	// none. It must be safe for concurrent use and must not retain c.
	Predicate func(c *Customer) bool `json:"-"`
}

// Trigger starts a campaign for a customer when something happens.
type Trigger struct {
	Type TriggerType `json:"type,omitempty"` // zero: no trigger (scheduled)
	// Segment (TriggerSegment) is the segment whose transition fires,
	// for example "wealth_ready" or "stage:retired".
	Segment string `json:"segment,omitempty"`
	// Transition (TriggerSegment) is "entered" (the default) or "left".
	Transition string `json:"transition,omitempty"`
	// LeadDays (TriggerBillDue) is how many local calendar days before a
	// bill's expected date the reminder becomes due; zero means 3.
	LeadDays int `json:"lead_days,omitempty"`
	// BillKinds (TriggerBillDue) are the transaction kinds of the bills
	// reminded of (profile kind names); empty means bill_payment and
	// loan_repayment.
	BillKinds []string `json:"bill_kinds,omitempty"`
	// Event (TriggerEvent) matches the events of Customer.Events.
	Event *EventMatch `json:"event,omitempty"`
}

// EventMatch matches events: every non-empty field must match.
type EventMatch struct {
	Type         string          `json:"type,omitempty"`         // profile event type: transaction, session, feature
	Kind         string          `json:"kind,omitempty"`         // profile transaction kind, e.g. salary
	Feature      string          `json:"feature,omitempty"`      // app function used
	Counterparty string          `json:"counterparty,omitempty"` // payer or payee
	MinAmount    decimal.Decimal `json:"min_amount,omitzero"`    // at least this amount (transactions)
}

// Offer is what a campaign offers.
type Offer struct {
	// ID identifies the offer (a product or promotion); offers with the
	// same ID in several campaigns share fatigue and statistics.
	ID string `json:"id"`
	// Family is the product family: "payments", "credit", "wealth" or "".
	// Credit offers pass through the risk gate.
	Family string `json:"family,omitempty"`
	// Value is the business value V of arbitration, in the bank's
	// currency; zero means 1 (unvalued).
	Value decimal.Decimal `json:"value,omitzero"`
	// Propensity is a prior probability of response in (0, 1] used by the
	// default Propensity (OfferPropensity); zero means 1.
	Propensity float64 `json:"propensity,omitempty"`
	// AutoPay marks a bill reminder's offer to set up automatic payment.
	AutoPay bool `json:"auto_pay,omitempty"`
}

// maxBudgetSends bounds Budget.MaxSends.
const maxBudgetSends = 1 << 40

// Budget caps a campaign's spend: at most floor(Amount / CostPerSend)
// messages in total.
type Budget struct {
	Amount      decimal.Decimal `json:"amount"`        // total, not negative
	CostPerSend decimal.Decimal `json:"cost_per_send"` // positive
}

// MaxSends returns floor(Amount / CostPerSend), the number of messages the
// budget pays for (0 when CostPerSend is not positive).
func (b Budget) MaxSends() int64 {
	if !b.CostPerSend.IsPositive() || !b.Amount.IsPositive() {
		return 0
	}
	q, _ := b.Amount.QuoRem(b.CostPerSend, 0) // both positive: truncation is the floor
	if q.GreaterThan(decimal.NewFromInt(maxBudgetSends)) {
		return maxBudgetSends
	}
	return q.IntPart()
}
