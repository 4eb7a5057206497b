package campaign_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/suanpan-dev/suanpan/internal/cputime"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// benchSet is twenty campaigns of a retail bank: triggered (bills, salary,
// app use, life stage), scheduled by stage, tier and family, nine with
// audience expressions, one with agent capacity and a budget.
func benchSet() *campaign.Set {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	w := campaign.Window{Start: start}
	ch := func(cs ...campaign.Channel) []campaign.Channel { return cs }
	push, sms, email, inApp, agent := campaign.ChannelPush, campaign.ChannelSMS, campaign.ChannelEmail, campaign.ChannelInApp, campaign.ChannelAgent
	offer := func(id, fam, v string, p float64) []campaign.Offer {
		return []campaign.Offer{{ID: id, Family: fam, Value: d(v), Propensity: p}}
	}
	expr := func(e string) campaign.Audience { return campaign.Audience{Expression: e} }
	stages := func(s ...string) campaign.Audience { return campaign.Audience{Stages: s} }
	return &campaign.Set{
		Version: "bench.1", TimeZone: "Asia/Shanghai",
		Policy: campaign.Policy{GlobalControl: 0.05, HoldoutSeed: 1, Capacity: map[campaign.Channel]int{agent: 5000}},
		Campaigns: []campaign.Campaign{
			{ID: "bill_reminder", Transactional: true, Window: w, Trigger: campaign.Trigger{Type: campaign.TriggerBillDue},
				Offers: []campaign.Offer{{ID: "autopay", Family: "payments", AutoPay: true}}, Channels: ch(push, sms)},
			{ID: "salary_deposit", Window: w, Trigger: campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Kind: "salary"}},
				Offers: offer("term_deposit", "wealth", "300", 0.06), Channels: ch(push, email), Holdout: 0.1},
			{ID: "fx_nudge", Window: w, Trigger: campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Type: "feature", Feature: "fx"}},
				Offers: offer("fx_card", "payments", "40", 0.05), Channels: ch(inApp, push)},
			{ID: "home_loan", Window: w, Trigger: campaign.Trigger{Type: campaign.TriggerSegment, Segment: "stage:family_formation"},
				Offers: offer("home_loan", "credit", "2000", 0.02), Channels: ch(push, email, agent)},
			{ID: "retiree_wealth", Window: w, Audience: stages("pre_retirement", "retired"),
				Offers: offer("pension_fund", "wealth", "800", 0.04), Channels: ch(agent, email), Holdout: 0.1,
				Budget: &campaign.Budget{Amount: d("100000"), CostPerSend: d("2")}},
			{ID: "student_card", Window: w, Audience: stages("student"), Offers: offer("student_card", "payments", "50", 0.1), Channels: ch(inApp, push)},
			{ID: "credit_card", Window: w, Recurrence: campaign.RecurrenceMonthly,
				Audience: campaign.Audience{Families: []string{"credit"}, Expression: "Profile.MonthlyIncome > 8000 && Profile.DTI < 0.35"},
				Offers:   offer("credit_card", "credit", "500", 0.03), Channels: ch(push, sms, email), Holdout: 0.1},
			{ID: "reactivation", Window: w, Recurrence: campaign.RecurrenceWeekly, Audience: expr("Profile.DaysSinceLastSession > 10"),
				Offers: offer("cashback", "payments", "20", 0.05), Channels: ch(push, sms)},
			{ID: "wealth_fund", Window: w, Audience: campaign.Audience{Stages: []string{"wealth_accumulation"}, Expression: "Profile.MonthlyIncome > 15000"},
				Offers: offer("fund", "wealth", "900", 0.03), Channels: ch(push, email)},
			{ID: "family_insurance", Window: w, Audience: stages("family_formation"), Offers: offer("insurance", "wealth", "400", 0.03), Channels: ch(push, email)},
			{ID: "car_loan", Window: w, Audience: campaign.Audience{Stages: []string{"early_career", "family_formation"}, Expression: "Profile.Loans == 0"},
				Offers: offer("car_loan", "credit", "1500", 0.02), Channels: ch(push, sms)},
			{ID: "wallet_activation", Window: w, Audience: expr(`Profile.TopAppFunction != "transfer" && Profile.Sessions > 5`),
				Offers: offer("wallet", "payments", "30", 0.08), Channels: ch(inApp)},
			{ID: "e_statement", Window: w, Offers: offer("e_statement", "payments", "5", 0.2), Channels: ch(email, inApp)},
			{ID: "fee_waiver", Transactional: true, Window: w, Trigger: campaign.Trigger{Type: campaign.TriggerEvent, Event: &campaign.EventMatch{Kind: "fee"}},
				Offers: offer("fee_waiver", "payments", "10", 0.5), Channels: ch(push, email)},
			{ID: "travel_card", Window: w, Audience: expr("Profile.Countries > 1"), Offers: offer("travel_card", "payments", "120", 0.04), Channels: ch(push, email)},
			{ID: "pension_topup", Window: w, Audience: stages("pre_retirement"), Offers: offer("pension_topup", "wealth", "600", 0.05), Channels: ch(email, agent)},
			{ID: "savings_challenge", Window: w, Recurrence: campaign.RecurrenceWeekly, Audience: stages("student", "early_career"),
				Offers: offer("savings", "wealth", "60", 0.07), Channels: ch(push, inApp)},
			{ID: "limit_increase", Window: w, Audience: campaign.Audience{Families: []string{"credit"}, Expression: "Profile.DTI < 0.2 && Profile.IncomeMonths >= 3"},
				Offers: offer("limit_up", "credit", "300", 0.1), Channels: ch(push, sms)},
			{ID: "winback", Window: w, Audience: expr("Profile.DaysSinceLastSession > 30"), Offers: offer("winback", "payments", "25", 0.03), Channels: ch(sms, email)},
			{ID: "premium", Window: w, Audience: expr("Profile.MonthlyIncome > 30000"), Offers: offer("premium", "wealth", "1500", 0.05), Channels: ch(agent, email, push)},
		},
	}
}

// benchBase is the population replicated for the benchmark: profiles of
// simulated customers (binary encoded), their assignments and their events
// of the last hours.
type benchBase struct {
	ids    []string
	bins   [][]byte
	assign []*segment.Assignment
	events [][]profile.Event
	now    time.Time
}

var (
	baseOnce sync.Once
	theBase  *benchBase
	baseErr  error
)

func makeBase(n int) (*benchBase, error) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cs, err := synth.Generate(synth.Config{Seed: 3, Customers: n, Months: 2, Start: start})
	if err != nil {
		return nil, err
	}
	now := start.AddDate(0, 2, 0).Add(-14 * time.Hour) // 10:00 in Shanghai
	b, err := profile.NewBuilder(nil)
	if err != nil {
		return nil, err
	}
	a, err := segment.New(segment.Config{})
	if err != nil {
		return nil, err
	}
	base := &benchBase{now: now}
	for i := range cs {
		c := &cs[i]
		p := profile.New(c.ID)
		if err := p.SetCustomer(c.Customer); err != nil {
			return nil, err
		}
		var recent []profile.Event
		for j := range c.Events {
			e := &c.Events[j]
			if e.Time.After(now) {
				break
			}
			if err := b.Apply(p, e, now); err != nil {
				return nil, err
			}
			if now.Sub(e.Time) < 6*time.Hour {
				r := *e
				r.CustomerID = "" // shared by the replicas of this customer
				recent = append(recent, r)
			}
		}
		f, err := segment.NewInput(p, now, nil)
		if err != nil {
			return nil, err
		}
		as, err := a.Assign(&f, now)
		if err != nil {
			return nil, err
		}
		bin, err := p.MarshalBinary()
		if err != nil {
			return nil, err
		}
		base.ids = append(base.ids, c.ID)
		base.bins = append(base.bins, bin)
		base.assign = append(base.assign, &as)
		base.events = append(base.events, recent)
	}
	return base, nil
}

// replicas returns customers lo to hi-1 of the replicated population:
// customer k is a copy of base customer k mod len(base) under its own ID
// of the same length (the base ID bytes are replaced in the binary form,
// then decoded and checked).
func (b *benchBase) replicas(tb testing.TB, lo, hi int) []campaign.Customer {
	out := make([]campaign.Customer, hi-lo)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var bad error
	var once sync.Once
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := lo + w; k < hi; k += workers {
				i := k % len(b.ids)
				id := fmt.Sprintf("R%07d", k)
				bin := bytes.ReplaceAll(b.bins[i], []byte(b.ids[i]), []byte(id))
				p := new(profile.Profile)
				if err := p.UnmarshalBinary(bin); err != nil || p.CustomerID() != id {
					once.Do(func() { bad = fmt.Errorf("replica %d: %v", k, err) })
					return
				}
				out[k-lo] = campaign.Customer{Profile: p, Assignment: b.assign[i], Events: b.events[i]}
			}
		}()
	}
	wg.Wait()
	if bad != nil {
		tb.Fatal(bad)
	}
	return out
}

// BenchmarkPlan plans a population against the twenty campaigns of
// benchSet: one op is one Plan of every customer (in batches of 125,000
// so that the profiles fit in memory; decoding a batch is not timed). The
// 1M case is the target of BENCHMARKS.md (≤ 10 s on 2 cores); the
// customers/s and allocs/customer metrics are per customer planned, and
// cpu-s/op is the CPU time (user and system, all threads, GC included)
// the process spent planning, which a busy machine does not inflate.
func BenchmarkPlan(b *testing.B) {
	baseOnce.Do(func() { theBase, baseErr = makeBase(2000) })
	if baseErr != nil {
		b.Fatal(baseErr)
	}
	base := theBase
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			const batch = 125_000
			log := campaign.NewMemoryContactLog()
			p, err := campaign.New(benchSet(), log, &campaign.Options{Counters: campaign.NewMemoryCounters()})
			if err != nil {
				b.Fatal(err)
			}
			var sends, scheduled int
			var ms0, ms1 runtime.MemStats
			var mallocs uint64
			var cpu time.Duration
			b.ReportAllocs()
			for b.Loop() {
				sends, scheduled = 0, 0
				for lo := 0; lo < n; lo += batch {
					b.StopTimer()
					cs := base.replicas(b, lo, min(lo+batch, n))
					runtime.GC()
					runtime.ReadMemStats(&ms0)
					c0 := cputime.Process()
					b.StartTimer()
					pl, err := p.Plan(context.Background(), base.now, cs)
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					cpu += cputime.Process() - c0
					runtime.ReadMemStats(&ms1)
					mallocs += ms1.Mallocs - ms0.Mallocs
					sends += len(pl.Sends)
					scheduled += len(pl.Scheduled)
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
			b.ReportMetric(float64(mallocs)/float64(n)/float64(b.N), "allocs/customer")
			b.ReportMetric(float64(sends+scheduled), "messages")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
