package campaign

import (
	"context"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// Customer is one customer as the planner sees them at a planning run.
// Only Profile is required.
type Customer struct {
	// Profile is the customer's profile (required, with a customer ID):
	// consent, time zone, active hours, bills and the features audience
	// expressions read. The planner only reads it.
	Profile *profile.Profile
	// Assignment is the customer's current segment assignment; nil when
	// the customer is not segmented (audiences that name segments, stages,
	// tiers or families then do not match).
	Assignment *segment.Assignment
	// Transitions are the customer's segment transitions since the
	// previous planning run (segment.Diff of the previous and current
	// assignments), for segment triggers.
	Transitions []segment.Transition
	// Events are the customer's events since the previous planning run,
	// for event triggers (a salary credit, say). Event IDs must be stable:
	// they are part of idempotency keys.
	Events []profile.Event
	// Consent adds consents the profile does not record: phone, and
	// in_app or agent when Policy.RequireConsent names them.
	Consent Channels
	// OptOut lists channels the customer opted out of (the bank's
	// preference centre); they are never used, whatever the consent.
	OptOut Channels
	// Agent is the customer's marketing agent or relationship manager:
	// agent tasks go to them and conversions are attributed to them.
	Agent string
}

// Env is the environment audience expressions read. Expressions name its
// fields directly:
//
//	Profile.MonthlyIncome > 20000 && Profile.DTI < 0.3
//	Stage == "family_formation" && "mortgage_ready" in Segments
//	Tier == "long_tail" && RFM.Segment == "at_risk"
//
// Profile is the profile's flat view (profile.Features, money in exact
// decimals); Stage, Family and Tier are the names of package segment
// ("unknown", "none" when the customer has no assignment) and RFM its
// scores, as in segment.Env, so an expression reads the same in a segment
// definition and in an audience. Segments are the IDs of the customer's
// bank-defined segments.
type Env struct {
	Profile         profile.Features // the profile's flat view at now
	Stage           string           // lifecycle stage name
	StageConfidence float64          // in [0, 1]
	Family          string           // the product family the stage leads with
	Tier            string           // value tier name
	RFM             segment.RFMEnv   // RFM scores and segment name
	Segments        []string         // IDs of the bank-defined segments
}

// fillSegments sets the segment fields of e from c, reusing e's Segments
// slice; the planner fills Profile with the groups its audiences read
// (profile.Profile.FeaturesInto).
func (e *Env) fillSegments(c *Customer) {
	e.Segments = e.Segments[:0]
	a := c.Assignment
	if a == nil {
		e.Stage, e.StageConfidence, e.Family, e.Tier = segment.StageUnknown.String(), 0, segment.FamilyNone.String(), segment.TierNone.String()
		e.RFM = segment.RFMEnv{}
		return
	}
	e.Stage, e.StageConfidence, e.Family, e.Tier = a.Stage.String(), a.StageConfidence, a.Family.String(), a.Tier.String()
	e.RFM = segment.RFMEnv{R: int(a.RFM.R), F: int(a.RFM.F), M: int(a.RFM.M), Segment: a.RFM.Segment}
	for i := range a.Segments {
		e.Segments = append(e.Segments, a.Segments[i].ID)
	}
}

// Busy tells whether a customer is in the middle of an urgent journey (a
// transfer, a payment) during which no message may be sent. The planner
// holds messages until the returned time. ActivityBusy is the default.
type Busy interface {
	// BusyUntil returns the time until which the customer is busy; a time
	// not after now (the zero time, say) means not busy.
	BusyUntil(ctx context.Context, c *Customer, now time.Time) (time.Time, error)
}

// ActivityBusy is the default Busy rule, derived from the profile: a
// customer is busy from the start of a transfer or payment until Window
// after it, where the start is the latest debit (profile
// Activity().LastDebit) or the latest use of one of Functions (profile
// AppFunctions).
type ActivityBusy struct {
	// Window is how long after the journey's latest activity the customer
	// stays busy; zero means 15 minutes.
	Window time.Duration
	// Functions are the app functions that start a transfer or payment
	// (case-insensitive); nil means DefaultBusyFunctions().
	Functions []string
}

// DefaultBusyFunctions returns the app functions ActivityBusy watches by
// default: transfer, payment, bill_pay, payees and qr_pay.
func DefaultBusyFunctions() []string {
	return []string{"transfer", "payment", "bill_pay", "payees", "qr_pay"}
}

// BusyUntil implements Busy. It does not allocate unless the profile saw
// an event within Window of now.
func (b ActivityBusy) BusyUntil(_ context.Context, c *Customer, now time.Time) (time.Time, error) {
	w := b.Window
	if w <= 0 {
		w = 15 * time.Minute
	}
	p := c.Profile
	if p.Seq() == 0 || p.Watermark().Add(w).Before(now) {
		return time.Time{}, nil // nothing happened recently
	}
	latest := p.Activity().LastDebit
	fns := b.Functions
	if fns == nil {
		fns = DefaultBusyFunctions()
	}
	for _, f := range p.AppFunctions(now) {
		if f.Last.After(latest) && containsFold(fns, f.Key) {
			latest = f.Last
		}
	}
	if latest.IsZero() {
		return time.Time{}, nil
	}
	return latest.Add(w), nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// RiskGate is the risk function's say over credit offers: the planner asks
// it before making a credit offer (Offer.Family "credit") and skips the
// customer when it refuses, for example a customer in early warning or
// recently declined. Campaigns never import the risk package; the caller
// wires its risk decisions in through this interface. It may be called
// concurrently.
type RiskGate interface {
	// AllowCredit reports whether credit may be offered to the customer at
	// now.
	AllowCredit(ctx context.Context, customerID string, now time.Time) (bool, error)
}

// Propensity estimates the probability that a customer responds to an
// offer on a channel: the P of arbitration. The response and uplift models
// of campaign/uplift plug in through a few-line adapter (see that
// package's documentation); OfferPropensity (the default) and
// ConstantPropensity are simple implementations. It may be called
// concurrently and must be deterministic.
type Propensity interface {
	// Propensity returns a probability in [0, 1].
	Propensity(ctx context.Context, c *Customer, a Action, now time.Time) (float64, error)
}

// Action is one candidate of arbitration: an offer of a campaign on a
// channel. Campaign and Offer point into the planner's set and must not
// be modified.
type Action struct {
	Campaign *Campaign // the campaign
	Offer    *Offer    // one of its offers
	Channel  Channel   // one of its channels
}

// OfferPropensity is the default Propensity: the offer's prior
// Offer.Propensity, or 1 when it is zero.
type OfferPropensity struct{}

// Propensity implements Propensity.
func (OfferPropensity) Propensity(_ context.Context, _ *Customer, a Action, _ time.Time) (float64, error) {
	if a.Offer.Propensity > 0 {
		return a.Offer.Propensity, nil
	}
	return 1, nil
}

// ConstantPropensity is a Propensity that returns the same probability for
// every customer, offer and channel.
type ConstantPropensity float64

// Propensity implements Propensity.
func (p ConstantPropensity) Propensity(context.Context, *Customer, Action, time.Time) (float64, error) {
	return float64(p), nil
}
