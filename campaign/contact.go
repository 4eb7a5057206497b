package campaign

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Status is the state of a contact in the ContactLog.
type Status uint8

// Contact statuses.
const (
	// StatusScheduled: decided and reserved (it counts against caps and
	// holds its idempotency key) but held for a later send time; a later
	// planning run releases it.
	StatusScheduled Status = iota + 1
	// StatusSent: handed to the Delivery. The log is written before the
	// Delivery is called, so a message is delivered at most once.
	StatusSent
	// StatusFailed: the Delivery returned an error.
	StatusFailed
	// StatusCancelled: a scheduled message dropped at release (consent
	// withdrawn, the risk gate refusing a credit offer, cap reached on the
	// day it was moved to); Reason says why.
	StatusCancelled
	// StatusHoldout: the customer was eligible and would have been sent
	// the message but is in the campaign's holdout or the global control
	// group. Kept for measurement; it never counts as a contact.
	StatusHoldout
)

var statusNames = [...]string{
	StatusScheduled: "scheduled", StatusSent: "sent", StatusFailed: "failed",
	StatusCancelled: "cancelled", StatusHoldout: "holdout",
}

// String returns "scheduled", "sent", "failed", "cancelled" or "holdout".
func (s Status) String() string { return enumName(statusNames[:], uint8(s)) }

// Outcome is the customer's response to a delivered message, as the caller
// records it (RecordOutcome). Conversions are reported separately to a
// Measurement.
type Outcome uint8

// Outcomes.
const (
	OutcomeNone    Outcome = iota // nothing recorded
	OutcomeIgnored                // dismissed or expired unopened
	OutcomeEngaged                // opened, clicked, answered or accepted
)

var outcomeNames = [...]string{OutcomeNone: "none", OutcomeIgnored: "ignored", OutcomeEngaged: "engaged"}

// String returns "none", "ignored" or "engaged".
func (o Outcome) String() string { return enumName(outcomeNames[:], uint8(o)) }

// Contact is one entry of a customer's contact history: a message sent,
// scheduled, failed or cancelled, or a holdout record.
type Contact struct {
	// Key is the idempotency key (see Key); unique per customer.
	Key           string
	CustomerID    string  // the customer the history belongs to
	CampaignID    string  // the campaign that chose it
	OfferID       string  // the offer made
	Channel       Channel // the channel used (or that would have been)
	Transactional bool    // a transactional campaign's message
	Status        Status  // scheduled, sent, failed, cancelled or holdout
	// Reason says why a contact is held (StatusScheduled), cancelled or a
	// holdout; 0 otherwise.
	Reason Reason
	// DecidedAt is when the planner chose the message; SendAt when it was
	// or will be sent.
	DecidedAt time.Time
	SendAt    time.Time // scheduled or actual send time
	// Agent is the customer's marketing agent or relationship manager, for
	// agent tasks and attribution; "" when none.
	Agent string
	// Priority is the arbitration priority the message won with.
	Priority float64
	// SetVersion is the version of the campaign set that chose it.
	SetVersion string
	// Outcome and OutcomeAt are the customer's response, recorded by the
	// caller; they drive fatigue.
	Outcome   Outcome
	OutcomeAt time.Time // when the outcome happened; zero when none
	// Family, Occurrence, Bill and Reasons are the rest of the Send, kept
	// so that a scheduled message can be released as it was chosen.
	Family     string     // the offer's product family
	Occurrence Occurrence // what the message is about
	Bill       *BillDue   // the bill of a reminder, else nil
	Reasons    []string   // the codes explaining the choice
}

// counts reports whether c counts as a contact (against caps, cooldown,
// maximum): scheduled or sent.
func (c *Contact) counts() bool { return c.Status == StatusScheduled || c.Status == StatusSent }

// ContactLog is the customer's contact history: the caller's store (a
// table keyed by customer and idempotency key, say). MemoryContactLog is
// the in-memory reference and campaigntest.TestContactLog the conformance
// kit.
//
// # Conditional insert
//
// Each customer's history has a version, a counter the store increments on
// every successful Commit. The planner reads the history and its version
// (Contacts), decides, and commits its inserts and updates with that
// version. Commit applies them only if the version is still current and no
// inserted key exists yet, all or nothing, atomically. A planner that lost
// the race gets ErrConflict, reads again and re-plans the customer, and
// then sees the other planner's messages. This is what guarantees that two
// planners running at once never send the same message twice, and that
// caps, which are checked against the history read, hold: every decision
// for a customer is made against the latest history or not committed.
// (With PostgreSQL: one row per customer holding the version, updated with
// `UPDATE ... SET version = version + 1 WHERE id = $1 AND version = $2` in
// the same transaction as the inserts into a contacts table with a unique
// (customer_id, key) index.)
//
// Methods may be called concurrently, for the same or different customers.
type ContactLog interface {
	// Contacts appends to buf the customer's contacts whose SendAt is at
	// or after since (every contact when since is zero), in the order they
	// were first committed, and returns the extended slice and the
	// customer's version. A customer with no history has version 0 and no
	// contacts; that is not an error. The planner asks for about 33 days
	// before now (the monthly caps), further back for fatigue pauses,
	// cooldowns and campaigns with a per-customer maximum (from their
	// window start), and for everything (zero since) when it re-plans a
	// customer after a lost race or records an outcome; an index on
	// (customer, send time) serves it.
	Contacts(ctx context.Context, customerID string, since time.Time, buf []Contact) ([]Contact, uint64, error)
	// Commit atomically inserts the contacts of insert (whose keys must
	// not exist: ErrDuplicate) and replaces the contacts of update that
	// have the same keys (which must exist: ErrNotFound), if the
	// customer's version equals version (otherwise ErrConflict), and
	// returns the new version (greater than version). Every contact must
	// belong to customerID (ErrInvalid). On error nothing is written.
	// An empty commit (no inserts, no updates) returns version unchanged
	// when it is current.
	Commit(ctx context.Context, customerID string, version uint64, insert, update []Contact) (uint64, error)
}

// Counters are shared counters for limits across customers: per-channel
// daily capacity and campaign budgets. Keys are chosen by the planner
// ("capacity/agent/2025-03-04", "budget/CAMPAIGN"). MemoryCounters is the
// in-memory reference and campaigntest.TestCounters the conformance kit.
// Methods may be called concurrently.
type Counters interface {
	// Value returns the counter's value; 0 for a counter never taken.
	Value(ctx context.Context, key string) (int64, error)
	// Take atomically adds n (> 0) to the counter if the result does not
	// exceed limit, and reports whether it did.
	Take(ctx context.Context, key string, n, limit int64) (bool, error)
	// Release subtracts n (> 0) from the counter, never below zero.
	Release(ctx context.Context, key string, n int64) error
}

// Delivery hands messages to their channels: the caller's push service,
// SMS gateway, mail system, in-app inbox or agent task list.
// MemoryDelivery is the in-memory reference and campaigntest.TestDelivery
// the conformance kit.
//
// The planner commits a message to the ContactLog before calling Deliver,
// and calls Deliver at most once per idempotency key. Deliver must still
// be idempotent by Send.Key (a key delivered again must not reach the
// customer twice: channels retry), must return an error without
// delivering when ctx is done, must not retain s (copy what it keeps), and
// may be called concurrently.
type Delivery interface {
	Deliver(ctx context.Context, s *Send) error
}

// Send is a message chosen by the planner, with everything needed to send
// it and to explain why it was chosen.
type Send struct {
	// Key is the deterministic idempotency key of the message (see Key).
	Key        string
	CustomerID string // the recipient
	CampaignID string // the campaign that chose it
	OfferID    string // the offer made
	// Family is the offer's product family ("" when none).
	Family        string
	Channel       Channel // the channel to send on
	Transactional bool    // a service message (reminder), not marketing
	// SendAt is when to send, in the customer's time zone. For messages
	// in Plan.Sends it is the planning time; for Plan.Scheduled a later
	// time at which a later run releases it.
	SendAt time.Time
	// DecidedAt is when the planner chose the message.
	DecidedAt time.Time
	// Agent is the customer's agent (Customer.Agent).
	Agent string
	// Occurrence is what the message is about: the recurrence period or
	// the trigger instance; with CampaignID and CustomerID it determines
	// Key.
	Occurrence Occurrence
	// Bill is the bill a reminder is about (TriggerBillDue), else nil.
	Bill *BillDue
	// Priority is the arbitration priority and its factors.
	Priority Priority
	// Held says why the message was held for later (ReasonQuietHours,
	// ReasonBusy), 0 when it was not held.
	Held Reason
	// Released is true when the message was scheduled by an earlier run
	// and released now.
	Released bool
	// Reasons explain the choice in codes such as "segment:wealth_ready",
	// "stage:retired", "trigger:bill_due", "family_match", "rank:1".
	Reasons []string
	// SetVersion is the version of the campaign set that chose it.
	SetVersion string
}

// Priority is the arbitration priority of a message and its factors:
// Value = Propensity × Context × Worth × Lever (Pega's P × C × V × L).
type Priority struct {
	Value      float64 // the priority: Propensity × Context × Worth × Lever
	Propensity float64 // P, from the Propensity model
	Context    float64 // C, 1 plus the context weights that apply
	Worth      float64 // V, the offer's business value
	Lever      float64 // L, the campaign's priority lever
	// Rank is the position of the message's campaign occurrence in the
	// customer's arbitration order of the run (1 for the top).
	Rank int
}

// BillDue is the bill a reminder is about, from profile.Bills.
type BillDue struct {
	Counterparty string          // the payee
	Kind         string          // profile transaction kind, e.g. bill_payment
	Due          time.Time       // expected payment date, in the customer's zone
	Amount       decimal.Decimal // the latest payment's amount
	Frequency    string          // monthly, biweekly, ...
	AutoPay      bool            // the reminder offers automatic payment
}

// Suppression is a message the planner did not send (or not yet), with its
// reason code.
type Suppression struct {
	CustomerID string     // the customer
	CampaignID string     // the campaign whose message was held back
	OfferID    string     // "" when the reason applies to the whole campaign
	Channel    Channel    // 0 when the reason applies to every channel
	Reason     Reason     // why
	Occurrence Occurrence // which message (with the IDs it gives the key)
	// Until is when a held message may go (quiet hours end, busy journey
	// ends); zero for reasons that drop the message.
	Until time.Time
}

// Key returns the idempotency key of the suppressed message.
func (s *Suppression) Key() string { return Key(s.CampaignID, s.CustomerID, s.Occurrence) }

func (s *Send) contact(status Status, reason Reason) Contact {
	return Contact{
		Key: s.Key, CustomerID: s.CustomerID, CampaignID: s.CampaignID, OfferID: s.OfferID,
		Channel: s.Channel, Transactional: s.Transactional, Status: status, Reason: reason,
		DecidedAt: s.DecidedAt.UTC(), SendAt: s.SendAt.UTC(), Agent: s.Agent, Priority: s.Priority.Value,
		SetVersion: s.SetVersion, Family: s.Family, Occurrence: s.Occurrence, Bill: s.Bill, Reasons: s.Reasons,
	}
}
