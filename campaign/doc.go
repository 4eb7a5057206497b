// Package campaign plans precision-marketing messages that never harass:
// it reaches the right customer with the right offer on the right channel
// at the right time, holds back what the contact policy forbids, records
// why, and measures the true lift against holdouts.
//
// # Quick start
//
//	set, err := campaign.DecodeSet(file)                  // or build a campaign.Set in Go
//	planner, err := campaign.New(set, contactLog, &campaign.Options{
//		Counters:   counters,   // channel capacities and budgets (if any)
//		RiskGate:   riskGate,   // credit offers skip early-warning or declined customers
//		Propensity: model,      // response model; default Offer.Propensity
//	})
//	for each planning run (every hour, say):
//		customers := []campaign.Customer{{Profile: p, Assignment: &a, Transitions: tr, Events: recent}, ...}
//		plan, err := planner.Run(ctx, now, customers, delivery)
//		// plan.Sends went to delivery; plan.Scheduled wait for a later run;
//		// plan.Suppressed counts what the policy held back, by reason.
//	measurement.AddContacts(...); measurement.Convert(conversion); measurement.Stats(campaign.ByCampaign)
//
// ContactLog, Counters and Delivery are the caller's (a database table, a
// Redis counter, the push gateway); MemoryContactLog, MemoryCounters and
// MemoryDelivery are in-memory references, not for production, and
// package campaigntest holds the conformance kits. The CLI
// examples/campaign runs a campaign file over recorded or simulated events
// as a dry run.
//
// # Campaigns
//
// A Campaign has an audience (segment memberships, lifecycle stages, value
// tiers, the customer's lead product family, a Go predicate and an
// expression over Env compiled with the SDK's shared rules engine), offers
// (product family and business value), channels (push, SMS, e-mail, in-app
// placement, agent or branch task, phone), a window, a recurrence, send
// windows in the customer's local time, a priority lever, a budget, a
// holdout share, a cooldown and a maximum per customer, and optionally a
// trigger: a segment transition ("stage:retired" entered, say), a recurring
// bill coming due within its lead days (bill reminders with an offer of
// automatic payment), or an event since the previous run (a salary
// credit). Each message is one Occurrence of a campaign for a customer (a
// recurrence period or a trigger instance); its idempotency key, Key, is a
// hash of campaign, customer and occurrence only, so every planner
// derives the same key for the same message.
//
// # Contact policy
//
// For each customer and active campaign the planner applies, in this
// order, and reports the first rule that stops a message:
//
//   - audience and trigger (not suppressions: the message does not exist);
//   - an occurrence already in the history (sent, scheduled, held out,
//     cancelled) is skipped: idempotency;
//   - send time (see below); none within 8 days: quiet_hours;
//   - campaign limits: cooldown since its last message (cooldown) and
//     maximum per customer (cap);
//   - per offer: the risk gate for credit offers (risk_gate) and fatigue,
//     an offer ignored K times in D days paused for P days (fatigue);
//   - per channel: consent from the profile (SMS, e-mail, push), from
//     Customer.Consent (phone; in-app and agent only when
//     Policy.RequireConsent says so) and opt-outs (consent);
//   - arbitration (below), then per candidate in priority order: the
//     run's slot of Policy.ActionsPerRun marketing messages (cap), global
//     and per-channel caps per calendar day, week and month in the
//     customer's own time zone, counting what is scheduled too (cap; transactional
//     messages bypass them unless Policy.CapTransactional), the global
//     control group and the campaign's holdout (holdout: recorded, not
//     sent), and channel capacity or campaign budget (capacity).
//
// Quiet hours (default 21:00–08:00, the hours 47 CFR 64.1200(c)(1) forbids
// telephone solicitation) and a busy customer (Busy; by default from the
// start of a transfer or payment until 15 minutes after it, read from the
// profile's latest debit and latest use of the transfer and payment app
// functions) do not drop a message: they hold it (StatusScheduled) and a
// later run releases it when the window opens, checking consent, the busy
// rule and the quiet hours again. Every suppression carries its Reason
// code; every choice carries reasons and the set's version.
//
// # Arbitration and send time
//
// Candidates (campaign occurrence × offer × channel) are ranked by
// priority = propensity × context weight × value × lever, the formula of
// Pega Customer Decision Hub's next-best-action arbitration ("P × C × V ×
// L", Pega CDH User Guide 8.6, "Arbitration strategy"): propensity from the
// Propensity model, context weight 1 plus the weights of a trigger and of
// an offer in the customer's lead product family, the offer's value and
// the campaign's priority lever. Ties go to the campaign listed first, then
// the offer and channel listed first. Each run chooses at most
// Policy.ActionsPerRun marketing messages per customer (the slot).
// Channel capacities per day (agent calls, say) and campaign budgets are
// shared across customers: they go to the highest priorities across the
// whole run (greedy in priority order, ties by a seeded hash of the
// customer), and a customer who loses falls back to their next candidate.
//
// The send time is the allowed time (outside quiet hours, inside the send
// windows, after any busy journey) in the customer's most active hour of
// the week within Policy.Horizon, from profile.Profile.ActiveHours; when the
// profile shows no activity in those hours, the earliest allowed time (the
// fallback). Triggered campaigns send as soon as allowed by default.
//
// # Storage and concurrency
//
// Plan only reads; Run commits each customer's choices with the
// conditional insert documented on ContactLog (a per-customer version plus
// insert-if-absent by key, all or nothing), takes shared capacity from
// Counters atomically, and only then hands due messages to the Delivery,
// at most once each. A customer whose commit loses a race with another
// planner is planned again against the fresh history, so planners running
// at once never send the same message twice or break a cap.
//
// # Holdouts and measurement
//
// A campaign's holdout and the global control group are chosen by stable
// hashes of (seed, customer, campaign) and (seed, customer) (InHoldout,
// InGlobalControl); held-out customers get a StatusHoldout record when the
// message would have gone, so the control group is comparable with the
// contacted one. Measurement attributes the caller's conversions to the
// last contact within the attribution window (with agent and referrer
// attribution) and reports per campaign, channel, offer and agent: sends,
// conversions, rate, lift against the holdout with Newcombe's hybrid score
// interval, and incremental conversions.
//
// # Campaign file schema
//
// DecodeSet reads JSON of this shape (testdata/schema.json is the JSON
// Schema); omitted fields take the defaults documented on the Go types.
// Decoding is strict (unknown or repeated fields are errors, keys are
// case-sensitive) and every error is a *ValidationError naming the campaign
// and field. Durations are Go durations or whole days ("15m", "72h",
// "30d"); clock times "HH:MM" in the customer's time zone; money decimal
// strings or numbers; times RFC 3339 with an offset.
//
//	{
//	  "version": "2025-03-01.2",                       required
//	  "time_zone": "Asia/Shanghai",                    bank zone for daily capacity; default UTC
//	  "policy": {
//	    "caps": {"day": 1, "week": 3, "month": 8},     global marketing caps (these are the defaults)
//	    "channel_caps": {"sms": {"week": 1}},          default: sms, email, phone 1 a week; {} for none
//	    "quiet_hours": {"from": "21:00", "to": "08:00"},
//	    "fatigue": {"ignores": 2, "within": "30d", "pause": "60d", "response_window": "72h"},
//	    "cap_transactional": false,
//	    "global_control": 0.05,                        share in [0, 0.5]
//	    "holdout_seed": 42,
//	    "require_consent": ["agent"],                  in_app and/or agent
//	    "actions_per_run": 1,
//	    "horizon": "24h", "busy_window": "15m",
//	    "capacity": {"agent": 200},                    per bank calendar day
//	    "attribution_window": "7d",
//	    "arbitration": {"family_match": 0.5, "triggered": 1}
//	  },
//	  "campaigns": [{
//	    "id": "card_upsell", "name": "...",           id: 1-64 of [A-Za-z0-9_.:-]
//	    "transactional": false,
//	    "window": {"start": "2025-01-01T00:00:00+08:00", "end": "..."},
//	    "recurrence": "once | daily | weekly | monthly",
//	    "audience": {"segments": [...], "exclude_segments": [...], "stages": ["family_formation"],
//	                 "tiers": ["long_tail"], "families": ["credit"],
//	                 "expression": "Profile.MonthlyIncome > 8000 && Profile.DTI < 0.35"},
//	    "trigger": {"type": "none | segment | bill_due | event",
//	                "segment": "stage:retired", "transition": "entered | left",
//	                "lead_days": 3, "bill_kinds": ["bill_payment", "loan_repayment"],
//	                "event": {"type": "transaction", "kind": "salary", "feature": "", "counterparty": "", "min_amount": "1000"}},
//	    "offers": [{"id": "credit_card", "family": "credit", "value": "500", "propensity": 0.03, "auto_pay": false}],
//	    "channels": ["push", "sms", "email", "in_app", "agent", "phone"],
//	    "send_windows": [{"days": ["mon", "tue"], "from": "09:00", "to": "12:00"}],
//	    "send_time": "default | best | asap",
//	    "priority": 1.5,
//	    "budget": {"amount": "5000.00", "cost_per_send": "2.50"},
//	    "holdout": 0.1, "cooldown": "14d", "max_per_customer": 2, "attribution_window": "14d"
//	  }]
//	}
//
// Besides the errors of the JSON itself, these are rejected: negative
// values, shares outside their range, unknown time zones, send windows
// that overlap or lie entirely in quiet hours, a window that ends before
// it starts, unknown channel, stage, tier, family, bill-kind or event names,
// trigger fields of another trigger type, a recurrence on a triggered
// campaign, duplicate campaign or offer IDs, and expressions that do not
// compile against Env (with line and column).
//
// # Performance
//
// Audiences are compiled once; a customer's profile.Features is computed
// once per run and only for the groups the active audience expressions
// read (profile.Profile.FeaturesInto); a customer's planning reuses its
// worker's buffers and writes into shared arenas, so planning allocates
// little beyond the messages it produces and the profile views it needs
// (BENCHMARKS.md has the figures: 1M customers × 20 campaigns).
package campaign
