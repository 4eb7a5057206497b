package campaign_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/profile"
)

// gate refuses credit to the customers it lists.
type gate map[string]bool

func (g gate) AllowCredit(_ context.Context, id string, _ time.Time) (bool, error) {
	return !g[id], nil
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var propStart = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// propertySet is a campaign set that puts every rule under pressure: tight
// caps, a capacity of three agent calls a day, a budget, holdouts and a
// global control group, send windows, cooldowns, maxima, fatigue on
// recorded ignores, a risk gate, and consent-less channels.
func propertySet() *campaign.Set {
	start := propStart.Add(-24 * time.Hour)
	weekdays := campaign.WeekdaysOf(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
	return &campaign.Set{
		Version:  "prop.1",
		TimeZone: "Asia/Shanghai",
		Policy: campaign.Policy{
			Caps: &campaign.Caps{Day: 1, Week: 2, Month: 5},
			ChannelCaps: map[campaign.Channel]campaign.Caps{
				campaign.ChannelSMS: {Week: 1}, campaign.ChannelEmail: {Week: 1}, campaign.ChannelPhone: {Week: 1},
			},
			Fatigue:       &campaign.Fatigue{Ignores: 2, Within: campaign.Duration(14 * campaign.Day), Pause: campaign.Duration(21 * campaign.Day)},
			GlobalControl: 0.05,
			HoldoutSeed:   7,
			Capacity:      map[campaign.Channel]int{campaign.ChannelAgent: 3},
		},
		Campaigns: []campaign.Campaign{
			{
				ID: "bill_reminder", Transactional: true, Window: campaign.Window{Start: start},
				Trigger:  campaign.Trigger{Type: campaign.TriggerBillDue, LeadDays: 2},
				Offers:   []campaign.Offer{{ID: "autopay", Family: "payments", AutoPay: true}},
				Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelSMS, campaign.ChannelEmail},
			},
			{
				ID: "salary_deposit", Window: campaign.Window{Start: start},
				Audience: campaign.Audience{Stages: []string{"early_career", "family_formation", "wealth_accumulation"}},
				Trigger:  campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Type: "transaction", Kind: "salary"}},
				Offers:   []campaign.Offer{{ID: "term_deposit", Family: "wealth", Value: d("300"), Propensity: 0.06}},
				Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelEmail},
				Holdout:  0.2, Cooldown: campaign.Duration(20 * campaign.Day),
			},
			{
				ID: "wealth_advice", Window: campaign.Window{Start: start}, Recurrence: campaign.RecurrenceWeekly,
				Audience: campaign.Audience{Stages: []string{"wealth_accumulation", "pre_retirement", "retired"}},
				Offers:   []campaign.Offer{{ID: "fund", Family: "wealth", Value: d("800"), Propensity: 0.04}},
				Channels: []campaign.Channel{campaign.ChannelAgent, campaign.ChannelPhone, campaign.ChannelEmail},
				SendWindows: []campaign.SendWindow{
					{Days: weekdays, From: campaign.ClockOf(10, 0), To: campaign.ClockOf(12, 0)},
					{Days: weekdays, From: campaign.ClockOf(14, 0), To: campaign.ClockOf(17, 0)},
				},
				Holdout: 0.1, Priority: 2,
			},
			{
				ID: "credit_card", Window: campaign.Window{Start: start}, Recurrence: campaign.RecurrenceMonthly,
				Audience: campaign.Audience{Expression: "Profile.MonthlyIncome > 3000 && Profile.DTI < 0.4"},
				Offers:   []campaign.Offer{{ID: "card", Family: "credit", Value: d("500"), Propensity: 0.03}},
				Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelSMS},
				Holdout:  0.1,
			},
			{
				ID: "cashback", Window: campaign.Window{Start: start}, Recurrence: campaign.RecurrenceDaily,
				Offers:         []campaign.Offer{{ID: "cashback", Family: "payments", Value: d("20"), Propensity: 0.05}},
				Channels:       []campaign.Channel{campaign.ChannelPush, campaign.ChannelSMS, campaign.ChannelInApp},
				MaxPerCustomer: 4, Cooldown: campaign.Duration(2 * campaign.Day),
				Budget: &campaign.Budget{Amount: d("150"), CostPerSend: d("0.5")},
			},
			{
				ID: "home_loan", Window: campaign.Window{Start: start},
				Trigger:  campaign.Trigger{Type: campaign.TriggerSegment, Segment: "stage:family_formation"},
				Offers:   []campaign.Offer{{ID: "home_loan", Family: "credit", Value: d("2000"), Propensity: 0.02}},
				Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelEmail},
			},
			{
				ID: "fx_nudge", Window: campaign.Window{Start: start},
				Trigger:  campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Type: "feature", Feature: "fx"}},
				Offers:   []campaign.Offer{{ID: "fx_card", Family: "payments", Value: d("40")}},
				Channels: []campaign.Channel{campaign.ChannelInApp, campaign.ChannelPush},
				Holdout:  0.1,
			},
		},
	}
}

// busyFunctions are the app functions ActivityBusy watches by default.
var busyFunctions = campaign.DefaultBusyFunctions()

// propertyRun runs the property set hourly over the simulated world for
// the given number of days; half the customers ignore every cashback
// message (recorded with RecordOutcome), so that fatigue engages.
func propertyRun(t *testing.T, days int) (*sim, gate) {
	t.Helper()
	w := simWorld(t)
	s := newSim(t, w)
	s.fresh = true
	g := gate{}
	for i, id := range s.ids {
		if i%5 == 0 {
			g[id] = true
		}
	}
	p, err := campaign.New(propertySet(), s.log, &campaign.Options{RiskGate: g, Counters: s.counters, Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	ignorer := map[string]bool{}
	for i, id := range s.ids {
		ignorer[id] = i%2 == 0
	}
	s.runHourly(t, p, propStart, propStart.Add(time.Duration(days)*24*time.Hour), func(at time.Time, pl *campaign.Plan) {
		for _, snd := range pl.Sends {
			if snd.OfferID != "cashback" {
				continue
			}
			if ignorer[snd.CustomerID] {
				if err := campaign.RecordOutcome(context.Background(), s.log, snd.CustomerID, snd.Key, campaign.OutcomeIgnored, at.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	return s, g
}

// TestPropertiesSimulated checks, over a simulated population of two time
// zones planned every hour, that the delivered messages never break a rule
// of the contact policy. Every check recomputes the rule from the raw
// inputs (events, customer attributes, the set), not from the planner.
func TestPropertiesSimulated(t *testing.T) {
	days := 21
	switch {
	case raceEnabled:
		days = 8
	case testing.Short():
		days = 10
	}
	s, g := propertyRun(t, days)
	set := propertySet()
	sends := s.delivery.Sends()
	contacts := s.log.All()
	if len(sends) < 200 {
		t.Fatalf("only %d messages delivered: the scenario does not exercise the rules", len(sends))
	}
	byCampaign := map[string]int{}
	for _, x := range sends {
		byCampaign[x.CampaignID]++
	}
	for _, c := range set.Campaigns {
		if byCampaign[c.ID] == 0 {
			t.Errorf("campaign %s never sent: scenario too weak (%v)", c.ID, byCampaign)
		}
	}
	var suppressed [campaign.NumReasons]int
	for _, pl := range s.plans {
		for r, n := range pl.Suppressed {
			suppressed[r] += n
		}
	}
	for _, r := range campaign.Reasons() {
		if suppressed[r] == 0 {
			t.Errorf("no suppression with reason %s: the scenario does not exercise it (%v)", r, suppressed)
		}
	}
	camp := map[string]*campaign.Campaign{}
	for i := range set.Campaigns {
		camp[set.Campaigns[i].ID] = &set.Campaigns[i]
	}
	cust := map[string]profile.Customer{}
	for _, c := range s.w.customers {
		cust[c.ID] = c
	}
	loc := func(id string) *time.Location {
		l, err := time.LoadLocation(cust[id].TimeZone)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	t.Run("idempotency", func(t *testing.T) {
		keys := map[string]bool{}
		for _, x := range sends {
			if keys[x.Key] {
				t.Errorf("key %s delivered twice", x.Key)
			}
			keys[x.Key] = true
			if want := campaign.Key(x.CampaignID, x.CustomerID, x.Occurrence); x.Key != want {
				t.Errorf("send %s: key is not Key(campaign, customer, occurrence)", x.Key)
			}
		}
		if s.delivery.Duplicates() != 0 {
			t.Errorf("delivery saw %d repeated keys", s.delivery.Duplicates())
		}
		seen := map[string]bool{}
		for _, c := range contacts {
			k := c.CustomerID + "/" + c.Key
			if seen[k] {
				t.Errorf("contact log holds key %s twice", k)
			}
			seen[k] = true
		}
	})

	t.Run("quiet_hours_and_windows", func(t *testing.T) {
		for _, x := range sends {
			lt := x.SendAt.In(loc(x.CustomerID))
			if x.SendAt.Location().String() != lt.Location().String() {
				t.Errorf("send %s: SendAt not in the customer's zone", x.Key)
			}
			md := lt.Hour()*60 + lt.Minute()
			if md >= 21*60 || md < 8*60 {
				t.Errorf("send %s at %s local: quiet hours", x.Key, lt.Format(time.RFC3339))
			}
			c := camp[x.CampaignID]
			if len(c.SendWindows) == 0 {
				continue
			}
			ok := false
			for _, sw := range c.SendWindows {
				if sw.Days.Has(lt.Weekday()) && md >= int(sw.From) && md < int(sw.To) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("send %s at %s local: outside the campaign's send windows", x.Key, lt.Format(time.RFC3339))
			}
		}
	})

	t.Run("consent", func(t *testing.T) {
		for _, x := range sends {
			c := cust[x.CustomerID]
			if s.optOut[x.CustomerID].Has(x.Channel) {
				t.Errorf("send %s on %s: customer opted out", x.Key, x.Channel)
			}
			ok := true
			switch x.Channel {
			case campaign.ChannelPush:
				ok = c.Consent.Push
			case campaign.ChannelSMS:
				ok = c.Consent.SMS
			case campaign.ChannelEmail:
				ok = c.Consent.Email
			case campaign.ChannelPhone:
				ok = s.consent[x.CustomerID].Has(campaign.ChannelPhone)
			}
			if !ok {
				t.Errorf("send %s on %s without consent", x.Key, x.Channel)
			}
		}
	})

	t.Run("caps", func(t *testing.T) {
		type period struct {
			cust, ch string
			kind     byte
			n        string
		}
		count := map[period]int{}
		for _, x := range contacts {
			if x.Transactional || x.Status != campaign.StatusSent {
				continue
			}
			lt := x.SendAt.In(loc(x.CustomerID))
			y, wk := lt.ISOWeek()
			keys := []period{
				{x.CustomerID, "", 'd', lt.Format(time.DateOnly)},
				{x.CustomerID, "", 'w', fmt.Sprint(y, wk)},
				{x.CustomerID, "", 'm', lt.Format("2006-01")},
				{x.CustomerID, x.Channel.String(), 'd', lt.Format(time.DateOnly)},
				{x.CustomerID, x.Channel.String(), 'w', fmt.Sprint(y, wk)},
				{x.CustomerID, x.Channel.String(), 'm', lt.Format("2006-01")},
			}
			for _, k := range keys {
				count[k]++
			}
		}
		caps := set.Policy.Caps
		limit := map[byte]int{'d': caps.Day, 'w': caps.Week, 'm': caps.Month}
		for k, n := range count {
			l := limit[k.kind]
			if k.ch != "" {
				ch, _ := campaign.ParseChannel(k.ch)
				cc, ok := set.Policy.ChannelCaps[ch]
				if !ok {
					continue
				}
				l = map[byte]int{'d': cc.Day, 'w': cc.Week, 'm': cc.Month}[k.kind]
			}
			if l > 0 && n > l {
				t.Errorf("customer %s channel %q period %c %s: %d marketing messages, cap %d", k.cust, k.ch, k.kind, k.n, n, l)
			}
		}
	})

	t.Run("busy", func(t *testing.T) {
		byCust := map[string][]profile.Event{}
		for _, e := range s.w.events {
			if e.Type == profile.TypeTransaction && e.Direction == profile.Debit ||
				e.Type == profile.TypeFeature && slices.Contains(busyFunctions, e.Feature) {
				byCust[e.CustomerID] = append(byCust[e.CustomerID], e)
			}
		}
		held := 0
		for _, x := range sends {
			for _, e := range byCust[x.CustomerID] {
				if !e.Time.After(x.SendAt) && x.SendAt.Before(e.Time.Add(15*time.Minute)) {
					t.Errorf("send %s at %s during a journey started %s", x.Key, x.SendAt.Format(time.RFC3339), e.Time.Format(time.RFC3339))
				}
			}
			if x.Held == campaign.ReasonBusy {
				held++
			}
		}
		if held == 0 && suppressed[campaign.ReasonBusy] == 0 {
			t.Error("the busy rule never held a message: scenario too weak")
		}
	})

	t.Run("holdout", func(t *testing.T) {
		pol := set.Policy
		for _, x := range sends {
			c := camp[x.CampaignID]
			if campaign.InHoldout(pol.HoldoutSeed, x.CustomerID, x.CampaignID, c.Holdout) {
				t.Errorf("send %s to a customer in the holdout of %s", x.Key, x.CampaignID)
			}
			if !c.Transactional && campaign.InGlobalControl(pol.HoldoutSeed, x.CustomerID, pol.GlobalControl) {
				t.Errorf("marketing send %s to a customer in the global control group", x.Key)
			}
		}
		for _, c := range contacts {
			if c.Status != campaign.StatusHoldout {
				continue
			}
			ok := campaign.InHoldout(pol.HoldoutSeed, c.CustomerID, c.CampaignID, camp[c.CampaignID].Holdout) ||
				campaign.InGlobalControl(pol.HoldoutSeed, c.CustomerID, pol.GlobalControl)
			if !ok {
				t.Errorf("holdout record %s for a customer in no holdout", c.Key)
			}
		}
	})

	t.Run("campaign_limits", func(t *testing.T) {
		per := map[string][]time.Time{}
		for _, c := range contacts {
			if c.Status == campaign.StatusSent || c.Status == campaign.StatusScheduled {
				per[c.CustomerID+"/"+c.CampaignID] = append(per[c.CustomerID+"/"+c.CampaignID], c.SendAt)
			}
		}
		for k, ts := range per {
			c := camp[k[strings.Index(k, "/")+1:]]
			maxPer := c.MaxPerCustomer
			if maxPer == 0 && !c.Transactional {
				maxPer = campaign.DefaultMaxPerCustomer
			}
			if maxPer > 0 && len(ts) > maxPer {
				t.Errorf("%s: %d messages, maximum %d", k, len(ts), maxPer)
			}
			slices.SortFunc(ts, time.Time.Compare)
			for i := 1; i < len(ts); i++ {
				if gap := ts[i].Sub(ts[i-1]); gap < time.Duration(c.Cooldown) {
					t.Errorf("%s: two messages %v apart, cooldown %v", k, gap, time.Duration(c.Cooldown))
				}
			}
		}
	})

	t.Run("capacity_and_budget", func(t *testing.T) {
		bank, _ := time.LoadLocation(set.TimeZone)
		perDay := map[string]int{}
		budget := 0
		for _, c := range contacts {
			if c.Status != campaign.StatusSent && c.Status != campaign.StatusScheduled {
				continue
			}
			if c.Channel == campaign.ChannelAgent {
				perDay[c.SendAt.In(bank).Format(time.DateOnly)]++
			}
			if c.CampaignID == "cashback" {
				budget++
			}
		}
		for day, n := range perDay {
			if n > set.Policy.Capacity[campaign.ChannelAgent] {
				t.Errorf("%s: %d agent tasks, capacity %d", day, n, set.Policy.Capacity[campaign.ChannelAgent])
			}
		}
		if limit := int(set.Campaigns[4].Budget.MaxSends()); budget > limit {
			t.Errorf("cashback: %d messages, budget pays for %d", budget, limit)
		}
	})

	t.Run("risk_gate", func(t *testing.T) {
		for _, x := range sends {
			if x.Family == "credit" && g[x.CustomerID] {
				t.Errorf("credit offer %s to a customer the risk gate refuses", x.Key)
			}
		}
	})

	t.Run("fatigue", func(t *testing.T) {
		f := set.Policy.Fatigue
		ignores := map[string][]time.Time{}
		for _, c := range contacts {
			if c.Outcome == campaign.OutcomeIgnored {
				ignores[c.CustomerID+"/"+c.OfferID] = append(ignores[c.CustomerID+"/"+c.OfferID], c.OutcomeAt)
			}
		}
		paused := 0
		for _, c := range contacts {
			if c.Status != campaign.StatusSent || c.Transactional {
				continue
			}
			ts := ignores[c.CustomerID+"/"+c.OfferID]
			slices.SortFunc(ts, time.Time.Compare)
			for i := f.Ignores - 1; i < len(ts); i++ {
				last := ts[i]
				if ts[i].Sub(ts[i-f.Ignores+1]) <= time.Duration(f.Within) && !c.DecidedAt.Before(last) && c.DecidedAt.Before(last.Add(time.Duration(f.Pause))) {
					t.Errorf("offer %s sent to %s at %s while paused after ignores until %s", c.OfferID, c.CustomerID, c.DecidedAt, last.Add(time.Duration(f.Pause)))
				}
			}
			if len(ts) >= f.Ignores {
				paused++
			}
		}
		if suppressed[campaign.ReasonFatigue] == 0 {
			t.Error("fatigue never engaged: scenario too weak")
		}
	})

	t.Run("transactional_bypass", func(t *testing.T) {
		// Reminders are sent on days the customer already had a marketing
		// message: they bypass the marketing caps.
		day := map[string]bool{}
		for _, x := range sends {
			if !x.Transactional {
				day[x.CustomerID+x.SendAt.Format(time.DateOnly)] = true
			}
		}
		both := 0
		for _, x := range sends {
			if x.Transactional && day[x.CustomerID+x.SendAt.Format(time.DateOnly)] {
				both++
			}
		}
		if both == 0 {
			t.Error("no reminder shared a day with a marketing message: bypass not exercised")
		}
	})
	t.Logf("delivered %d messages; by campaign %v; suppressed %v", len(sends), byCampaign, suppressed)
}
