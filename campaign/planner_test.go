package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

var shanghai, berlin *time.Location

func init() {
	var err error
	if shanghai, err = time.LoadLocation("Asia/Shanghai"); err != nil {
		panic(err)
	}
	if berlin, err = time.LoadLocation("Europe/Berlin"); err != nil {
		panic(err)
	}
}

// pb builds a profile event by event.
type pb struct {
	t *testing.T
	b *profile.Builder
	p *profile.Profile
	n int
}

func newProfile(t *testing.T, id string, loc *time.Location, consent profile.Consent) *pb {
	t.Helper()
	b, err := profile.NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := profile.New(id)
	if err := p.SetCustomer(profile.Customer{ID: id, Currency: "CNY", TimeZone: loc.String(), Consent: consent}); err != nil {
		t.Fatal(err)
	}
	return &pb{t: t, b: b, p: p}
}

func (x *pb) apply(e profile.Event) profile.Event {
	x.t.Helper()
	x.n++
	e.ID = fmt.Sprintf("%s-e%d", x.p.CustomerID(), x.n)
	e.CustomerID = x.p.CustomerID()
	if err := x.b.Apply(x.p, &e, e.Time); err != nil {
		x.t.Fatal(err)
	}
	return e
}

func (x *pb) session(at time.Time) profile.Event {
	return x.apply(profile.Event{Time: at, Type: profile.TypeSession, Channel: profile.ChannelApp})
}

func (x *pb) feature(at time.Time, name string) profile.Event {
	return x.apply(profile.Event{Time: at, Type: profile.TypeFeature, Channel: profile.ChannelApp, Feature: name})
}

func (x *pb) debit(at time.Time, kind profile.Kind, counterparty, amount string) profile.Event {
	return x.apply(profile.Event{Time: at, Type: profile.TypeTransaction, Kind: kind, Direction: profile.Debit,
		Amount: d(amount), Currency: "CNY", Counterparty: counterparty, Channel: profile.ChannelApp})
}

func (x *pb) credit(at time.Time, kind profile.Kind, counterparty, amount string) profile.Event {
	return x.apply(profile.Event{Time: at, Type: profile.TypeTransaction, Kind: kind, Direction: profile.Credit,
		Amount: d(amount), Currency: "CNY", Counterparty: counterparty})
}

var allConsent = profile.Consent{SMS: true, Email: true, Push: true}

// oneCampaign is a set with a single marketing campaign on push, sent as
// soon as allowed, with no holdout, caps or fatigue in the way.
func oneCampaign(mod func(c *campaign.Campaign, p *campaign.Policy)) *campaign.Set {
	s := &campaign.Set{
		Version: "t1",
		Policy:  campaign.Policy{Fatigue: &campaign.Fatigue{}},
		Campaigns: []campaign.Campaign{{
			ID: "promo", Window: campaign.Window{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
			Offers: []campaign.Offer{{ID: "card", Family: "payments", Value: d("10")}}, Channels: []campaign.Channel{campaign.ChannelPush},
			SendTime: campaign.SendTimeASAP,
		}},
	}
	if mod != nil {
		mod(&s.Campaigns[0], &s.Policy)
	}
	return s
}

func mustNew(t *testing.T, set *campaign.Set, log campaign.ContactLog, opts *campaign.Options) *campaign.Planner {
	t.Helper()
	p, err := campaign.New(set, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRun(t *testing.T, p *campaign.Planner, now time.Time, cs []campaign.Customer, d campaign.Delivery) *campaign.Plan {
	t.Helper()
	pl, err := p.Run(context.Background(), now, cs, d)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func TestQuietHoursHoldAndRelease(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, oneCampaign(nil), log, nil)
	d := campaign.NewMemoryDelivery()
	cs := []campaign.Customer{{Profile: x.p}}

	late := time.Date(2025, 3, 3, 22, 30, 0, 0, shanghai)
	pl := mustRun(t, p, late, cs, d)
	if len(pl.Sends) != 0 || len(pl.Scheduled) != 1 || pl.Suppressed[campaign.ReasonQuietHours] != 1 {
		t.Fatalf("at 22:30: sends %d, scheduled %d, suppressed %v", len(pl.Sends), len(pl.Scheduled), pl.Suppressed)
	}
	s := pl.Scheduled[0]
	if want := time.Date(2025, 3, 4, 8, 0, 0, 0, shanghai); !s.SendAt.Equal(want) || s.Held != campaign.ReasonQuietHours {
		t.Fatalf("held until %s (%s), want %s (quiet_hours)", s.SendAt, s.Held, want)
	}
	if s.SendAt.Location().String() != "Asia/Shanghai" {
		t.Fatalf("SendAt in %s, want the customer's zone", s.SendAt.Location())
	}
	if pl := mustRun(t, p, late.Add(8*time.Hour+30*time.Minute), cs, d); len(pl.Sends)+len(pl.Scheduled) != 0 {
		t.Fatalf("at 07:00: %d sends, %d scheduled; want nothing (held, not due)", len(pl.Sends), len(pl.Scheduled))
	}
	open := time.Date(2025, 3, 4, 8, 0, 0, 0, shanghai)
	pl = mustRun(t, p, open, cs, d)
	if len(pl.Sends) != 1 || !pl.Sends[0].Released || pl.Sends[0].Key != s.Key || !pl.Sends[0].SendAt.Equal(open) {
		t.Fatalf("at 08:00: %+v", pl.Sends)
	}
	if !slices.Contains(pl.Sends[0].Reasons, "held:quiet_hours") {
		t.Errorf("released message reasons %v lack held:quiet_hours", pl.Sends[0].Reasons)
	}
	if got := d.Sends(); len(got) != 1 || got[0].Key != s.Key {
		t.Fatalf("delivered %v", got)
	}
}

func TestConsentWithdrawnBeforeRelease(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, oneCampaign(nil), log, nil)
	d := campaign.NewMemoryDelivery()
	pl := mustRun(t, p, time.Date(2025, 3, 3, 23, 0, 0, 0, shanghai), []campaign.Customer{{Profile: x.p}}, d)
	if len(pl.Scheduled) != 1 {
		t.Fatalf("scheduled %d", len(pl.Scheduled))
	}
	// The customer opts out of push overnight.
	pl = mustRun(t, p, time.Date(2025, 3, 4, 8, 0, 0, 0, shanghai), []campaign.Customer{{Profile: x.p, OptOut: campaign.ChannelsOf(campaign.ChannelPush)}}, d)
	if len(pl.Sends) != 0 || len(pl.Cancelled) != 1 || pl.Cancelled[0].Reason != campaign.ReasonConsent || pl.Suppressed[campaign.ReasonConsent] != 1 {
		t.Fatalf("sends %d, cancelled %+v, suppressed %v", len(pl.Sends), pl.Cancelled, pl.Suppressed)
	}
	if len(d.Sends()) != 0 {
		t.Fatal("a cancelled message was delivered")
	}
}

func TestBusyJourneyHoldsMessage(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	x.debit(time.Date(2025, 3, 4, 10, 5, 0, 0, shanghai), profile.KindTransferOut, "Mum", "500")
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, oneCampaign(nil), log, nil)
	d := campaign.NewMemoryDelivery()
	cs := []campaign.Customer{{Profile: x.p}}
	pl := mustRun(t, p, time.Date(2025, 3, 4, 10, 10, 0, 0, shanghai), cs, d)
	if len(pl.Sends) != 0 || len(pl.Scheduled) != 1 || pl.Scheduled[0].Held != campaign.ReasonBusy {
		t.Fatalf("during a transfer: sends %d, scheduled %+v", len(pl.Sends), pl.Scheduled)
	}
	if want := time.Date(2025, 3, 4, 10, 20, 0, 0, shanghai); !pl.Scheduled[0].SendAt.Equal(want) {
		t.Fatalf("held until %s, want %s (15 minutes after the transfer)", pl.Scheduled[0].SendAt, want)
	}
	// Another payment journey starts just before the release run.
	x.feature(time.Date(2025, 3, 4, 10, 58, 0, 0, shanghai), "bill_pay")
	pl = mustRun(t, p, time.Date(2025, 3, 4, 11, 0, 0, 0, shanghai), cs, d)
	if len(pl.Sends) != 0 || pl.Suppressed[campaign.ReasonBusy] != 1 {
		t.Fatalf("at 11:00 during bill payment: sends %d, suppressed %v", len(pl.Sends), pl.Suppressed)
	}
	pl = mustRun(t, p, time.Date(2025, 3, 4, 12, 0, 0, 0, shanghai), cs, d)
	if len(pl.Sends) != 1 || !pl.Sends[0].Released {
		t.Fatalf("at 12:00: %+v", pl.Sends)
	}
}

func TestBillReminder(t *testing.T) {
	x := newProfile(t, "c1", shanghai, profile.Consent{SMS: true})
	for _, m := range []time.Month{1, 2, 3} {
		x.debit(time.Date(2025, m, 10, 9, 0, 0, 0, shanghai), profile.KindBillPayment, "Power Co", "120.50")
		x.debit(time.Date(2025, m, 20, 9, 0, 0, 0, shanghai), profile.KindBillPayment, "Water Co", "30")
	}
	set := &campaign.Set{Version: "b1", Campaigns: []campaign.Campaign{{
		ID: "bill_reminder", Transactional: true, Window: campaign.Window{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		Trigger:  campaign.Trigger{Type: campaign.TriggerBillDue, LeadDays: 3},
		Offers:   []campaign.Offer{{ID: "autopay", Family: "payments", AutoPay: true}},
		Channels: []campaign.Channel{campaign.ChannelPush, campaign.ChannelSMS},
	}}}
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, set, log, nil)
	dl := campaign.NewMemoryDelivery()
	cs := []campaign.Customer{{Profile: x.p}}
	due := x.p.Bills(time.Date(2025, 4, 6, 9, 0, 0, 0, shanghai))
	var power profile.Stream
	for _, b := range due {
		if b.Counterparty == "Power Co" {
			power = b
		}
	}
	if power.NextDate.IsZero() {
		t.Fatalf("profile found no Power Co bill: %+v", due)
	}
	dueDay := power.NextDate.In(shanghai)
	before := time.Date(dueDay.Year(), dueDay.Month(), dueDay.Day()-4, 9, 0, 0, 0, shanghai)
	if pl := mustRun(t, p, before, cs, dl); len(pl.Sends) != 0 {
		t.Fatalf("4 days before the due date: %+v", pl.Sends)
	}
	at := before.AddDate(0, 0, 1)
	pl := mustRun(t, p, at, cs, dl)
	if len(pl.Sends) != 1 {
		t.Fatalf("3 days before: %d sends", len(pl.Sends))
	}
	s := pl.Sends[0]
	if s.Channel != campaign.ChannelSMS || s.Bill == nil || s.Bill.Counterparty != "Power Co" || !s.Bill.Amount.Equal(d("120.50")) ||
		!s.Bill.AutoPay || !s.Bill.Due.Equal(power.NextDate) || s.Occurrence.Ref != "Power Co" || !s.Transactional {
		t.Fatalf("reminder %+v, bill %+v", s, s.Bill)
	}
	if pl := mustRun(t, p, at.Add(24*time.Hour), cs, dl); len(pl.Sends) != 0 {
		t.Fatalf("the reminder was sent again: %+v", pl.Sends)
	}
}

func TestSegmentAndEventTriggers(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)
	salary := x.credit(now.Add(-10*time.Minute), profile.KindSalary, "ACME", "9000")
	set := &campaign.Set{Version: "tr", Policy: campaign.Policy{Caps: &campaign.Caps{}, ActionsPerRun: 2}, Campaigns: []campaign.Campaign{
		{ID: "family", Window: campaign.Window{Start: now.AddDate(0, -1, 0)},
			Trigger: campaign.Trigger{Type: campaign.TriggerSegment, Segment: "stage:family_formation"},
			Offers:  []campaign.Offer{{ID: "loan", Family: "credit"}}, Channels: []campaign.Channel{campaign.ChannelPush}},
		{ID: "salary", Window: campaign.Window{Start: now.AddDate(0, -1, 0)},
			Trigger: campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Kind: "salary", MinAmount: d("5000")}},
			Offers:  []campaign.Offer{{ID: "deposit", Family: "wealth"}}, Channels: []campaign.Channel{campaign.ChannelInApp}},
	}}
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, set, log, &campaign.Options{})
	d := campaign.NewMemoryDelivery()
	entered := segment.Transition{CustomerID: "c1", Segment: "stage:family_formation", Kind: segment.Entered, At: now}
	left := segment.Transition{CustomerID: "c1", Segment: "stage:early_career", Kind: segment.Left, At: now}
	other := salary
	other.ID, other.CustomerID = "x-1", "someone_else"
	c := campaign.Customer{Profile: x.p, Transitions: []segment.Transition{left, entered}, Events: []profile.Event{salary, other}}
	pl := mustRun(t, p, now, []campaign.Customer{c}, d)
	got := map[string]campaign.Send{}
	for _, s := range append(pl.Sends, pl.Scheduled...) {
		got[s.CampaignID] = s
	}
	if len(got) != 2 || got["salary"].Occurrence.Ref != salary.ID || got["family"].Occurrence.Ref != "entered:stage:family_formation" {
		t.Fatalf("triggered %+v", got)
	}
	if !slices.Contains(got["family"].Reasons, "trigger:segment") {
		t.Errorf("reasons %v", got["family"].Reasons)
	}
	// The same trigger seen again (a replay) sends nothing new.
	pl = mustRun(t, p, now.Add(time.Hour), []campaign.Customer{c}, d)
	if len(pl.Sends)+len(pl.Scheduled) != 0 {
		t.Fatalf("replayed triggers sent again: %+v", pl.Sends)
	}
	// A small salary does not match.
	small := x.credit(now.Add(70*time.Minute), profile.KindSalary, "ACME", "100")
	pl = mustRun(t, p, now.Add(2*time.Hour), []campaign.Customer{{Profile: x.p, Events: []profile.Event{small}}}, d)
	if len(pl.Sends)+len(pl.Scheduled) != 0 {
		t.Fatalf("a salary under min_amount triggered: %+v", pl.Sends)
	}
}

// fixedPropensity gives each customer its own propensity.
type fixedPropensity map[string]float64

func (f fixedPropensity) Propensity(_ context.Context, c *campaign.Customer, _ campaign.Action, _ time.Time) (float64, error) {
	return f[c.Profile.CustomerID()], nil
}

func TestCapacityGoesToHighestPriorities(t *testing.T) {
	prop := fixedPropensity{"a": 0.2, "b": 0.9, "c": 0.5, "d": 0.7, "e": 0.5, "f": 0.1}
	var cs []campaign.Customer
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		cs = append(cs, campaign.Customer{Profile: newProfile(t, id, shanghai, profile.Consent{Email: true}).p})
	}
	set := oneCampaign(func(c *campaign.Campaign, p *campaign.Policy) {
		c.Channels = []campaign.Channel{campaign.ChannelAgent, campaign.ChannelEmail}
		p.Capacity = map[campaign.Channel]int{campaign.ChannelAgent: 3}
	})
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)
	run := func() map[string]campaign.Channel {
		p := mustNew(t, set, campaign.NewMemoryContactLog(), &campaign.Options{Propensity: prop, Counters: campaign.NewMemoryCounters()})
		pl := mustRun(t, p, now, cs, campaign.NewMemoryDelivery())
		out := map[string]campaign.Channel{}
		for _, s := range pl.Sends {
			out[s.CustomerID] = s.Channel
		}
		return out
	}
	got := run()
	agents := 0
	for _, id := range []string{"b", "d"} {
		if got[id] != campaign.ChannelAgent {
			t.Errorf("customer %s (high propensity) got %s, want agent", id, got[id])
		}
	}
	for _, ch := range got {
		if ch == campaign.ChannelAgent {
			agents++
		}
	}
	if agents != 3 || len(got) != 6 || got["a"] != campaign.ChannelEmail || got["f"] != campaign.ChannelEmail {
		t.Fatalf("channels %v: want 3 agent tasks to b, d and one of the tied c/e, email for the rest", got)
	}
	again := run()
	if fmt.Sprint(got) != fmt.Sprint(again) {
		t.Fatalf("tie broken differently: %v then %v", got, again)
	}
}

func TestArbitrationPriority(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)
	start := now.AddDate(0, -1, 0)
	mk := func(id, fam, value string, prop, lever float64) campaign.Campaign {
		return campaign.Campaign{ID: id, Window: campaign.Window{Start: start}, SendTime: campaign.SendTimeASAP, Priority: lever,
			Offers: []campaign.Offer{{ID: id, Family: fam, Value: d(value), Propensity: prop}}, Channels: []campaign.Channel{campaign.ChannelPush}}
	}
	set := &campaign.Set{Version: "arb", Policy: campaign.Policy{Caps: &campaign.Caps{}, ActionsPerRun: 2}, Campaigns: []campaign.Campaign{
		mk("low", "payments", "100", 0.1, 1),        // 10
		mk("lever", "payments", "100", 0.1, 3),      // 30
		mk("family", "wealth", "100", 0.1, 1),       // 10 x 1.5 = 15
		mk("valuable", "payments", "1000", 0.01, 2), // 20
	}}
	a := &segment.Assignment{CustomerID: "c1", Stage: segment.StageWealthAccumulation, Family: segment.FamilyWealth}
	p := mustNew(t, set, campaign.NewMemoryContactLog(), nil)
	pl := mustRun(t, p, now, []campaign.Customer{{Profile: x.p, Assignment: a}}, campaign.NewMemoryDelivery())
	if len(pl.Sends) != 2 || pl.Sends[0].CampaignID != "lever" || pl.Sends[1].CampaignID != "valuable" {
		t.Fatalf("chosen %v", pl.Sends)
	}
	top := pl.Sends[0].Priority
	if top.Value != 0.1*1*100*3 || top.Propensity != 0.1 || top.Context != 1 || top.Worth != 100 || top.Lever != 3 || top.Rank != 1 {
		t.Fatalf("priority %+v", top)
	}
	if pl.Sends[1].Priority.Rank != 2 || pl.Sends[0].SetVersion != "arb" {
		t.Fatalf("second %+v", pl.Sends[1])
	}
	// With one action per run, the family match (context weight 1.5)
	// outranks the plain offer of equal P x V x L.
	set.Policy.ActionsPerRun = 1
	set.Campaigns = set.Campaigns[:1]
	set.Campaigns = append(set.Campaigns, mk("family", "wealth", "100", 0.1, 1))
	p = mustNew(t, set, campaign.NewMemoryContactLog(), nil)
	pl = mustRun(t, p, now, []campaign.Customer{{Profile: x.p, Assignment: a}}, campaign.NewMemoryDelivery())
	if len(pl.Sends) != 1 || pl.Sends[0].CampaignID != "family" || pl.Sends[0].Priority.Context != 1.5 || !slices.Contains(pl.Sends[0].Reasons, "family_match") {
		t.Fatalf("chosen %+v", pl.Sends)
	}
}

func TestBestSendTime(t *testing.T) {
	active := newProfile(t, "active", shanghai, allConsent)
	for day := 1; day <= 20; day++ {
		if day%4 == 0 {
			active.session(time.Date(2025, 2, day, 12, 10, 0, 0, shanghai))
		}
		active.session(time.Date(2025, 2, day, 19, 20, 0, 0, shanghai))
	}
	idle := newProfile(t, "idle", shanghai, allConsent)
	now := time.Date(2025, 3, 4, 9, 15, 0, 0, shanghai)
	set := oneCampaign(func(c *campaign.Campaign, _ *campaign.Policy) { c.SendTime = campaign.SendTimeBest })
	p := mustNew(t, set, campaign.NewMemoryContactLog(), nil)
	pl := mustRun(t, p, now, []campaign.Customer{{Profile: active.p}, {Profile: idle.p}}, campaign.NewMemoryDelivery())
	if len(pl.Scheduled) != 1 || pl.Scheduled[0].CustomerID != "active" || !pl.Scheduled[0].SendAt.Equal(time.Date(2025, 3, 4, 19, 0, 0, 0, shanghai)) || pl.Scheduled[0].Held != 0 {
		t.Fatalf("active customer scheduled %+v; want 19:00, not held", pl.Scheduled)
	}
	if len(pl.Sends) != 1 || pl.Sends[0].CustomerID != "idle" || !pl.Sends[0].SendAt.Equal(now) {
		t.Fatalf("idle customer (fallback: now) %+v", pl.Sends)
	}
	// Within a 10:00-12:00 window the 19h peak is out of reach and 12h is
	// just outside: the fallback is the window's opening.
	set = oneCampaign(func(c *campaign.Campaign, _ *campaign.Policy) {
		c.SendTime = campaign.SendTimeBest
		c.SendWindows = []campaign.SendWindow{{From: campaign.ClockOf(10, 0), To: campaign.ClockOf(12, 0)}}
	})
	p = mustNew(t, set, campaign.NewMemoryContactLog(), nil)
	pl = mustRun(t, p, now, []campaign.Customer{{Profile: active.p}}, campaign.NewMemoryDelivery())
	if len(pl.Scheduled) != 1 || !pl.Scheduled[0].SendAt.Equal(time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)) || pl.Scheduled[0].Held != campaign.ReasonQuietHours {
		t.Fatalf("windowed %+v", pl.Scheduled)
	}
}

func TestGlobalControlKeepsReminders(t *testing.T) {
	seed := uint64(3)
	var in string
	for i := range 100 {
		if id := fmt.Sprintf("k%d", i); campaign.InGlobalControl(seed, id, 0.5) {
			in = id
			break
		}
	}
	x := newProfile(t, in, shanghai, allConsent)
	set := oneCampaign(func(_ *campaign.Campaign, p *campaign.Policy) { p.GlobalControl, p.HoldoutSeed = 0.5, seed })
	service := set.Campaigns[0]
	service.ID, service.Transactional = "service", true
	set.Campaigns = append(set.Campaigns, service)
	log := campaign.NewMemoryContactLog()
	pl := mustRun(t, mustNew(t, set, log, nil), time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai), []campaign.Customer{{Profile: x.p}}, campaign.NewMemoryDelivery())
	if len(pl.Sends) != 1 || pl.Sends[0].CampaignID != "service" || len(pl.Holdouts) != 1 || pl.Holdouts[0].CampaignID != "promo" ||
		pl.Suppressed[campaign.ReasonHoldout] != 1 {
		t.Fatalf("sends %+v, holdouts %+v", pl.Sends, pl.Holdouts)
	}
	hist, _, _ := log.Contacts(context.Background(), in, time.Time{}, nil)
	if len(hist) != 2 {
		t.Fatalf("history %+v: want the reminder and a holdout record", hist)
	}
}

// Caps count calendar days and weeks in the customer's own time zone: a
// message late on Sunday in Berlin and one early on Monday fall in
// different weeks, although both are on Sunday in UTC.
func TestCapsUseCustomerCalendar(t *testing.T) {
	x := newProfile(t, "c1", berlin, allConsent)
	set := oneCampaign(func(c *campaign.Campaign, p *campaign.Policy) {
		p.Caps = &campaign.Caps{Week: 1}
		p.QuietHours = &campaign.QuietHours{}
		p.ChannelCaps = map[campaign.Channel]campaign.Caps{}
		c.Recurrence = campaign.RecurrenceDaily
	})
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, set, log, nil)
	dl := campaign.NewMemoryDelivery()
	cs := []campaign.Customer{{Profile: x.p}}
	sunday := time.Date(2025, 4, 6, 23, 30, 0, 0, berlin) // 21:30 UTC
	if pl := mustRun(t, p, sunday, cs, dl); len(pl.Sends) != 1 {
		t.Fatalf("Sunday: %d sends", len(pl.Sends))
	}
	monday := time.Date(2025, 4, 7, 0, 30, 0, 0, berlin) // still Sunday in UTC
	if pl := mustRun(t, p, monday, cs, dl); len(pl.Sends) != 1 {
		t.Fatalf("Monday local: %d sends, want 1 (a new local week)", len(pl.Sends))
	}
	tuesday := time.Date(2025, 4, 8, 10, 0, 0, 0, berlin)
	if pl := mustRun(t, p, tuesday, cs, dl); len(pl.Sends) != 0 || pl.Suppressed[campaign.ReasonCap] != 1 {
		t.Fatalf("Tuesday: %d sends, suppressed %v; want the weekly cap", len(pl.Sends), pl.Suppressed)
	}
}

func TestFatigueAfterIgnores(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	set := oneCampaign(func(c *campaign.Campaign, p *campaign.Policy) {
		p.Fatigue = &campaign.Fatigue{Ignores: 2, Within: campaign.Duration(30 * campaign.Day), Pause: campaign.Duration(60 * campaign.Day)}
		p.Caps = &campaign.Caps{}
		c.Recurrence = campaign.RecurrenceDaily
		c.MaxPerCustomer = 100
	})
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, set, log, nil)
	dl := campaign.NewMemoryDelivery()
	cs := []campaign.Customer{{Profile: x.p}}
	day := time.Date(2025, 3, 3, 10, 0, 0, 0, shanghai)
	for i := range 2 {
		pl := mustRun(t, p, day.AddDate(0, 0, i), cs, dl)
		if len(pl.Sends) != 1 {
			t.Fatalf("day %d: %d sends", i, len(pl.Sends))
		}
		if err := campaign.RecordOutcome(context.Background(), log, "c1", pl.Sends[0].Key, campaign.OutcomeIgnored, day.AddDate(0, 0, i).Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	pl := mustRun(t, p, day.AddDate(0, 0, 2), cs, dl)
	if len(pl.Sends) != 0 || pl.Suppressed[campaign.ReasonFatigue] != 1 {
		t.Fatalf("after two ignores: sends %d, suppressed %v", len(pl.Sends), pl.Suppressed)
	}
	if pl := mustRun(t, p, day.AddDate(0, 0, 62), cs, dl); len(pl.Sends) != 1 {
		t.Fatalf("after the pause: %d sends", len(pl.Sends))
	}
	if err := campaign.RecordOutcome(context.Background(), log, "c1", "nope", campaign.OutcomeIgnored, day); !errors.Is(err, campaign.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if err := campaign.RecordOutcome(context.Background(), log, "c1", "nope", campaign.OutcomeIgnored, time.Time{}); !errors.Is(err, campaign.ErrMissing) {
		t.Fatalf("zero time: %v", err)
	}
}

func TestRiskGateAndConsent(t *testing.T) {
	gated := newProfile(t, "gated", shanghai, allConsent)
	noConsent := newProfile(t, "quiet", shanghai, profile.Consent{})
	set := oneCampaign(func(c *campaign.Campaign, _ *campaign.Policy) { c.Offers[0].Family = "credit" })
	p := mustNew(t, set, campaign.NewMemoryContactLog(), &campaign.Options{RiskGate: gate{"gated": true}})
	pl := mustRun(t, p, time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai), []campaign.Customer{{Profile: gated.p}, {Profile: noConsent.p}}, campaign.NewMemoryDelivery())
	if len(pl.Sends) != 0 || pl.Suppressed[campaign.ReasonRiskGate] != 1 || pl.Suppressed[campaign.ReasonConsent] != 1 {
		t.Fatalf("sends %d, suppressed %v", len(pl.Sends), pl.Suppressed)
	}
}

// A credit offer held overnight is cancelled if the risk gate refuses the
// customer by the time it is released.
func TestRiskGateAtRelease(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	set := oneCampaign(func(c *campaign.Campaign, _ *campaign.Policy) { c.Offers[0].Family = "credit" })
	g := gate{}
	p := mustNew(t, set, campaign.NewMemoryContactLog(), &campaign.Options{RiskGate: g})
	cs := []campaign.Customer{{Profile: x.p}}
	dl := campaign.NewMemoryDelivery()
	if pl := mustRun(t, p, time.Date(2025, 3, 4, 23, 0, 0, 0, shanghai), cs, dl); len(pl.Scheduled) != 1 {
		t.Fatalf("scheduled %d", len(pl.Scheduled))
	}
	g["c1"] = true // declined overnight
	pl := mustRun(t, p, time.Date(2025, 3, 5, 8, 0, 0, 0, shanghai), cs, dl)
	if len(pl.Sends) != 0 || len(pl.Cancelled) != 1 || pl.Cancelled[0].Reason != campaign.ReasonRiskGate {
		t.Fatalf("sends %d, cancelled %+v", len(pl.Sends), pl.Cancelled)
	}
}

// failingLog fails every call.
type failingLog struct{ err error }

func (f failingLog) Contacts(context.Context, string, time.Time, []campaign.Contact) ([]campaign.Contact, uint64, error) {
	return nil, 0, f.err
}

func (f failingLog) Commit(context.Context, string, uint64, []campaign.Contact, []campaign.Contact) (uint64, error) {
	return 0, f.err
}

type badPropensity struct{}

func (badPropensity) Propensity(context.Context, *campaign.Customer, campaign.Action, time.Time) (float64, error) {
	return 1.5, nil
}

func TestPlanErrors(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)
	ctx := context.Background()
	p := mustNew(t, oneCampaign(nil), campaign.NewMemoryContactLog(), nil)
	var fe *campaign.FieldError
	for name, tc := range map[string]struct {
		now time.Time
		cs  []campaign.Customer
	}{
		"zero now":      {time.Time{}, []campaign.Customer{{Profile: x.p}}},
		"no profile":    {now, []campaign.Customer{{Profile: x.p}, {}}},
		"no customerID": {now, []campaign.Customer{{Profile: new(profile.Profile)}}},
	} {
		if _, err := p.Plan(ctx, tc.now, tc.cs); !errors.As(err, &fe) || !errors.Is(err, campaign.ErrMissing) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := campaign.New(oneCampaign(nil), nil, nil); !errors.Is(err, campaign.ErrMissing) {
		t.Errorf("nil log: %v", err)
	}
	withCapacity := oneCampaign(func(_ *campaign.Campaign, p *campaign.Policy) {
		p.Capacity = map[campaign.Channel]int{campaign.ChannelAgent: 1}
	})
	if _, err := campaign.New(withCapacity, campaign.NewMemoryContactLog(), nil); !errors.As(err, &fe) || fe.Field != "Options.Counters" {
		t.Errorf("capacity without counters: %v", err)
	}
	boom := errors.New("boom")
	pf := mustNew(t, oneCampaign(nil), failingLog{boom}, nil)
	var ce *campaign.CallerError
	if _, err := pf.Plan(ctx, now, []campaign.Customer{{Profile: x.p}}); !errors.Is(err, boom) || !errors.As(err, &ce) || ce.CustomerID != "c1" {
		t.Errorf("log failure: %v", err)
	}
	pp := mustNew(t, oneCampaign(nil), campaign.NewMemoryContactLog(), &campaign.Options{Propensity: badPropensity{}})
	if _, err := pp.Plan(ctx, now, []campaign.Customer{{Profile: x.p}}); !errors.Is(err, campaign.ErrInvalid) || !errors.As(err, &ce) {
		t.Errorf("propensity out of range: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Plan(cctx, now, []campaign.Customer{{Profile: x.p}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := p.Run(ctx, now, nil, nil); !errors.Is(err, campaign.ErrMissing) {
		t.Errorf("nil delivery: %v", err)
	}
}

// failingDelivery refuses every message.
type failingDelivery struct{}

func (failingDelivery) Deliver(context.Context, *campaign.Send) error {
	return errors.New("gateway down")
}

func TestDeliveryFailureIsRecorded(t *testing.T) {
	x := newProfile(t, "c1", shanghai, allConsent)
	log := campaign.NewMemoryContactLog()
	p := mustNew(t, oneCampaign(nil), log, nil)
	now := time.Date(2025, 3, 4, 10, 0, 0, 0, shanghai)
	pl := mustRun(t, p, now, []campaign.Customer{{Profile: x.p}}, failingDelivery{})
	if len(pl.Sends) != 0 || len(pl.Failed) != 1 {
		t.Fatalf("sends %d, failed %d", len(pl.Sends), len(pl.Failed))
	}
	hist, _, _ := log.Contacts(context.Background(), "c1", time.Time{}, nil)
	if len(hist) != 1 || hist[0].Status != campaign.StatusFailed {
		t.Fatalf("history %+v, want one failed contact", hist)
	}
	// At most once: a failed message is not retried.
	if pl := mustRun(t, p, now.Add(time.Hour), []campaign.Customer{{Profile: x.p}}, campaign.NewMemoryDelivery()); len(pl.Sends) != 0 {
		t.Fatalf("failed message retried: %+v", pl.Sends)
	}
}
