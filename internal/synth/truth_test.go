package synth_test

import (
	"slices"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

func TestNext(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	be, _ := time.LoadLocation("Europe/Berlin")
	d := func(y int, m time.Month, day, h, mi int, loc *time.Location) time.Time {
		return time.Date(y, m, day, h, mi, 0, 0, loc)
	}
	monthly := func(day int, roll synth.Roll, first time.Time) synth.Stream {
		return synth.Stream{Frequency: profile.FrequencyMonthly, Day: day, Roll: roll, First: first}
	}
	for _, tc := range []struct {
		name  string
		s     synth.Stream
		after time.Time
		want  time.Time
	}{
		// 2025-05-31 is a Saturday: payroll moves to Friday the 30th.
		{"day 31 preceding", monthly(31, synth.RollPreceding, d(2025, 1, 31, 9, 0, sh)), d(2025, 5, 1, 0, 0, sh), d(2025, 5, 30, 9, 0, sh)},
		// Day 31 in a 30-day month is its last day; 2025-06-30 is a Monday.
		{"day 31 clipped", monthly(31, synth.RollPreceding, d(2025, 1, 31, 9, 0, sh)), d(2025, 5, 30, 9, 0, sh), d(2025, 6, 30, 9, 0, sh)},
		// Last business day of August 2025: the 31st is a Sunday.
		{"month end", monthly(0, synth.RollPreceding, d(2025, 1, 31, 3, 0, sh)), d(2025, 8, 1, 0, 0, sh), d(2025, 8, 29, 3, 0, sh)},
		// Strictly after: at the payment itself, the next month's.
		{"strictly after", monthly(10, synth.RollNone, d(2025, 1, 10, 8, 0, sh)), d(2025, 3, 10, 8, 0, sh), d(2025, 4, 10, 8, 0, sh)},
		// 2025-03-15 is a Saturday: kept, moved back or moved on.
		{"no roll", monthly(15, synth.RollNone, d(2025, 1, 15, 8, 0, sh)), d(2025, 3, 1, 0, 0, sh), d(2025, 3, 15, 8, 0, sh)},
		{"preceding", monthly(15, synth.RollPreceding, d(2025, 1, 15, 8, 0, sh)), d(2025, 3, 1, 0, 0, sh), d(2025, 3, 14, 8, 0, sh)},
		{"following", monthly(15, synth.RollFollowing, d(2025, 1, 15, 8, 0, sh)), d(2025, 3, 1, 0, 0, sh), d(2025, 3, 17, 8, 0, sh)},
		// A Friday-moved date can fall before the nominal month starts:
		// 2025-06-01 is a Sunday, so day 1 preceding is Friday 30 May.
		{"preceding into last month", monthly(1, synth.RollPreceding, d(2025, 1, 1, 8, 0, sh)), d(2025, 5, 20, 0, 0, sh), d(2025, 5, 30, 8, 0, sh)},
		{"semi-monthly 15th", synth.Stream{Frequency: profile.FrequencySemiMonthly, Day: 15, Roll: synth.RollPreceding, First: d(2025, 1, 15, 9, 0, sh)},
			d(2025, 3, 1, 0, 0, sh), d(2025, 3, 14, 9, 0, sh)},
		{"semi-monthly last", synth.Stream{Frequency: profile.FrequencySemiMonthly, Day: 15, Roll: synth.RollPreceding, First: d(2025, 1, 15, 9, 0, sh)},
			d(2025, 3, 14, 9, 0, sh), d(2025, 3, 31, 9, 0, sh)},
		{"biweekly", synth.Stream{Frequency: profile.FrequencyBiweekly, First: d(2025, 1, 3, 6, 0, sh)}, d(2025, 1, 3, 6, 0, sh), d(2025, 1, 17, 6, 0, sh)},
		{"biweekly far", synth.Stream{Frequency: profile.FrequencyBiweekly, First: d(2025, 1, 3, 6, 0, sh)}, d(2025, 6, 30, 0, 0, sh), d(2025, 7, 4, 6, 0, sh)},
		{"weekly", synth.Stream{Frequency: profile.FrequencyWeekly, First: d(2025, 1, 6, 10, 0, sh)}, d(2025, 1, 8, 0, 0, sh), d(2025, 1, 13, 10, 0, sh)},
		{"weekly before first", synth.Stream{Frequency: profile.FrequencyWeekly, First: d(2025, 1, 6, 10, 0, sh)}, d(2024, 12, 31, 0, 0, sh), d(2025, 1, 6, 10, 0, sh)},
		// The clock is local: 09:00 in winter and in summer time.
		{"across DST", monthly(10, synth.RollNone, d(2025, 1, 10, 9, 0, be)), d(2025, 4, 1, 0, 0, be), d(2025, 4, 10, 9, 0, be)},
		{"no schedule", synth.Stream{}, d(2025, 1, 1, 0, 0, sh), time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Next(tc.after); !got.Equal(tc.want) {
				t.Errorf("Next(%v) = %v, want %v", tc.after, got, tc.want)
			}
		})
	}
}

// Each stream's occurrences are exactly its schedule from First to Last,
// with exceptions paid late or missed.
func TestStreamsMatchEvents(t *testing.T) {
	cs := pop(t)
	eu, err := synth.Generate(synth.Config{Seed: 4, Customers: 80, Market: synth.MarketEU})
	if err != nil {
		t.Fatal(err)
	}
	cs = append(slices.Clip(cs), eu...)
	purposes := map[synth.Purpose]int{}
	exceptions := 0
	for _, c := range cs {
		for _, s := range append(slices.Clip(c.Income), c.Bills...) {
			purposes[s.Purpose]++
			if got := s.Next(s.First.Add(-time.Second)); !got.Equal(s.First) {
				t.Fatalf("%s %s: Next(First-1s) = %v, want %v", c.ID, s.Counterparty, got, s.First)
			}
			var want []time.Time
			skip := map[time.Time]bool{}
			for _, x := range s.Exceptions {
				if x.Due.Equal(s.First) || x.Due.Equal(s.Last) {
					t.Fatalf("%s %s: exception on the first or last date", c.ID, s.Counterparty)
				}
				skip[x.Due] = true
				if !x.Paid.IsZero() {
					want = append(want, x.Paid)
				}
				exceptions++
			}
			for d := s.First; !d.After(s.Last); d = s.Next(d) {
				if !skip[d] {
					want = append(want, d)
				}
			}
			slices.SortFunc(want, func(a, b time.Time) int { return a.Compare(b) })
			var got []time.Time
			for i := range c.Events {
				e := &c.Events[i]
				if e.Type == profile.TypeTransaction && e.Counterparty == s.Counterparty && e.Kind == s.Kind &&
					!e.Time.Before(s.First) && !e.Time.After(s.Last) && e.Label == profile.LabelLegit {
					got = append(got, e.Time)
				}
			}
			if len(got) != len(want) || len(got) != s.Count {
				t.Fatalf("%s %s (%s %v day %d %v): %d events, count %d, schedule %d", c.ID, s.Counterparty, s.Purpose,
					s.Frequency, s.Day, s.Roll, len(got), s.Count, len(want))
			}
			for i := range got {
				if !got[i].Equal(want[i]) {
					t.Fatalf("%s %s: occurrence %d at %v, schedule says %v", c.ID, s.Counterparty, i, got[i], want[i])
				}
			}
			if s.Purpose == synth.PurposeMortgage || s.Purpose == synth.PurposeCarLoan || s.Purpose == synth.PurposeConsumerLoan {
				if s.Kind != profile.KindLoanRepayment || s.OtherLender != (s.Counterparty != synth.OwnBank) {
					t.Fatalf("%s: loan %s kind %v other lender %v", c.ID, s.Counterparty, s.Kind, s.OtherLender)
				}
			}
		}
	}
	for _, p := range []synth.Purpose{synth.PurposeSalary, synth.PurposeGig, synth.PurposePension, synth.PurposeAllowance,
		synth.PurposeRent, synth.PurposeUtilities, synth.PurposeTelecom, synth.PurposeInsurance, synth.PurposeSubscription,
		synth.PurposeMortgage, synth.PurposeCarLoan, synth.PurposeConsumerLoan, synth.PurposeChildcare, synth.PurposeTuition,
		synth.PurposeFamilySupport} {
		if purposes[p] == 0 {
			t.Errorf("no %s stream in %d customers", p, len(cs))
		}
	}
	if exceptions == 0 {
		t.Error("no late or missed payment")
	}
}

// seenBefore collects what a customer used before an instant.
type seenBefore struct {
	devices, payees, nets, merchants map[string]bool
	transfers                        map[string][]float64
}

func history(c *synth.Customer, before time.Time) seenBefore {
	s := seenBefore{devices: map[string]bool{}, payees: map[string]bool{}, nets: map[string]bool{}, merchants: map[string]bool{},
		transfers: map[string][]float64{}}
	for i := range c.Events {
		e := &c.Events[i]
		if !e.Time.Before(before) {
			break
		}
		if e.DeviceID != "" {
			s.devices[e.DeviceID] = true
		}
		if e.IP.IsValid() {
			p, _ := e.IP.Prefix(24)
			if e.IP.Is6() {
				p, _ = e.IP.Prefix(48)
			}
			s.nets[p.String()] = true
		}
		if e.Kind == profile.KindTransferOut {
			s.payees[e.Counterparty] = true
			s.transfers[e.Counterparty] = append(s.transfers[e.Counterparty], e.Amount.InexactFloat64())
		}
		if e.Kind == profile.KindPurchase {
			s.merchants[e.Counterparty] = true
		}
	}
	return s
}

func eventsByID(c *synth.Customer, ids []string) []*profile.Event {
	var out []*profile.Event
	for _, id := range ids {
		i, ok := slices.BinarySearchFunc(c.Events, id, func(e profile.Event, id string) int {
			switch {
			case e.ID < id:
				return -1
			case e.ID > id:
				return 1
			}
			return 0
		})
		if ok {
			out = append(out, &c.Events[i])
		}
	}
	return out
}

func distKm(a, b profile.Location) float64 { return profile.Haversine(a.Lat, a.Lon, b.Lat, b.Lon) }

// Every episode carries the signals its pattern promises.
func TestPatternSignals(t *testing.T) {
	cs := pop(t)
	count := map[synth.Pattern]int{}
	for ci := range cs {
		c := &cs[ci]
		for _, ep := range c.Episodes {
			count[ep.Pattern]++
			evs := eventsByID(c, ep.EventIDs)
			if len(evs) != len(ep.EventIDs) || !evs[0].Time.Equal(ep.Start) {
				t.Fatalf("%s: episode events not found", c.ID)
			}
			h := history(c, ep.Start)
			var debits []*profile.Event
			total := 0.0
			for _, e := range evs {
				if e.Label != profile.LabelFraud {
					t.Fatalf("%s: episode event %s not labelled fraud", c.ID, e.ID)
				}
				if e.Type == profile.TypeTransaction && e.Direction == profile.Debit {
					debits = append(debits, e)
					total += e.Amount.InexactFloat64()
				}
			}
			if len(debits) != ep.Debits || len(debits) == 0 {
				t.Fatalf("%s: %d debits, episode says %d", c.ID, len(debits), ep.Debits)
			}
			switch ep.Pattern {
			case synth.PatternAccountTakeover, synth.PatternSIMSwap:
				for _, e := range evs {
					if h.devices[e.DeviceID] || e.DeviceID == "" {
						t.Errorf("%s %v: known or missing device", c.ID, ep.Pattern)
					}
					abroad := e.Location.Country != "CN"
					if abroad != (ep.Pattern == synth.PatternAccountTakeover) {
						t.Errorf("%s %v: country %s", c.ID, ep.Pattern, e.Location.Country)
					}
					if e.Type == profile.TypeSession && ep.Pattern == synth.PatternSIMSwap && !e.Auth.Has(profile.AuthSMSOTP) {
						t.Errorf("%s: SIM swap login without an SMS code", c.ID)
					}
				}
				for _, e := range debits {
					if e.Kind != profile.KindTransferOut || h.payees[e.Counterparty] {
						t.Errorf("%s %v: debit %v to a known payee", c.ID, ep.Pattern, e.Kind)
					}
				}
			case synth.PatternAPPScam:
				for _, e := range evs {
					if !h.devices[e.DeviceID] {
						t.Errorf("%s: APP scam from an unknown device", c.ID)
					}
				}
				if h.payees[debits[0].Counterparty] {
					t.Errorf("%s: APP scam to a known payee", c.ID)
				}
				if inc := c.MonthlyIncome.InexactFloat64(); total < 0.3*inc {
					t.Errorf("%s: APP scam total %.0f below 0.3 x income %.0f", c.ID, total, inc)
				}
			case synth.PatternCardTesting:
				tiny := 0
				for _, e := range debits {
					if e.Channel != profile.ChannelWeb || e.Kind != profile.KindPurchase || h.merchants[e.Counterparty] || h.devices[e.DeviceID] && e.DeviceID != "" {
						t.Errorf("%s: card testing debit %v %v at %s", c.ID, e.Channel, e.Kind, e.Counterparty)
					}
					if e.Amount.InexactFloat64() <= 5 {
						tiny++
					}
				}
				if tiny < 3 || debits[0].Amount.InexactFloat64() > 5 {
					t.Errorf("%s: card testing with %d tiny purchases", c.ID, tiny)
				}
			case synth.PatternClonedCard:
				// The genuine card-present use at home just before.
				var genuine *profile.Event
				for i := range c.Events {
					e := &c.Events[i]
					if e.Time.Before(ep.Start) && e.Channel == profile.ChannelPOS {
						genuine = e
					}
				}
				if genuine == nil || ep.Start.Sub(genuine.Time) > 13*time.Hour {
					t.Fatalf("%s: no genuine POS use shortly before the cloned card", c.ID)
				}
				for _, e := range debits {
					if e.Channel != profile.ChannelPOS && e.Channel != profile.ChannelATM || e.Auth.Has(profile.AuthCardChip) {
						t.Errorf("%s: cloned card debit on %v with %v", c.ID, e.Channel, e.Auth)
					}
					if distKm(e.Location, genuine.Location) < 300 {
						t.Errorf("%s: cloned card used %.0f km from home", c.ID, distKm(e.Location, genuine.Location))
					}
				}
			}
		}
	}
	for _, p := range synth.AllPatterns() {
		if count[p] < 5 {
			t.Errorf("%v: only %d episodes in the shared population", p, count[p])
		}
	}
}

// Every honest hard case carries its unusual signal, with genuine labels.
func TestHardCaseSignals(t *testing.T) {
	cs := pop(t)
	count := map[synth.HardCaseKind]int{}
	for ci := range cs {
		c := &cs[ci]
		for _, hc := range c.HardCases {
			count[hc.Kind]++
			evs := eventsByID(c, hc.EventIDs)
			if len(evs) != len(hc.EventIDs) || len(evs) == 0 {
				t.Fatalf("%s: hard case events not found", c.ID)
			}
			h := history(c, hc.Start)
			for _, e := range evs {
				if e.Label != profile.LabelLegit {
					t.Fatalf("%s %v: event %s not labelled genuine", c.ID, hc.Kind, e.ID)
				}
			}
			switch hc.Kind {
			case synth.HardTravelAbroad:
				for _, e := range evs {
					if e.Location.Country == "CN" && e.Kind != profile.KindFee || e.DeviceID != "" && !h.devices[e.DeviceID] && e.Channel == profile.ChannelApp {
						t.Errorf("%s: travel abroad event in %s on device known=%v", c.ID, e.Location.Country, h.devices[e.DeviceID])
					}
				}
			case synth.HardTravelDomestic:
				for _, e := range evs {
					if e.Location.Country != "CN" {
						t.Errorf("%s: domestic travel event in %s", c.ID, e.Location.Country)
					}
				}
			case synth.HardNewPhone:
				first := evs[0]
				if first.Type != profile.TypeSession || h.devices[first.DeviceID] || !first.Auth.Strong() {
					t.Errorf("%s: new phone starts with %v on a known device %v with %v", c.ID, first.Type, h.devices[first.DeviceID], first.Auth)
				}
				later := 0
				for i := range c.Events {
					if c.Events[i].DeviceID == first.DeviceID && c.Events[i].Type == profile.TypeSession {
						later++
					}
				}
				if later < 3 {
					t.Errorf("%s: new phone used for %d sessions", c.ID, later)
				}
			case synth.HardLargeKnownPayee, synth.HardLargeNewPayee:
				var tr *profile.Event
				for _, e := range evs {
					if e.Kind == profile.KindTransferOut {
						tr = e
					}
				}
				if tr == nil {
					t.Fatalf("%s: %v without a transfer", c.ID, hc.Kind)
				}
				known := h.payees[tr.Counterparty]
				if known != (hc.Kind == synth.HardLargeKnownPayee) {
					t.Errorf("%s %v: payee known=%v", c.ID, hc.Kind, known)
				}
				if known && tr.Amount.InexactFloat64() <= slices.Max(h.transfers[tr.Counterparty]) {
					t.Errorf("%s: large payment %.0f not above earlier ones %v", c.ID, tr.Amount.InexactFloat64(), h.transfers[tr.Counterparty])
				}
			case synth.HardNewRentPayee:
				var rent []*profile.Event
				for _, e := range evs {
					if e.Kind == profile.KindTransferOut {
						rent = append(rent, e)
					}
				}
				if len(rent) == 0 || h.payees[rent[0].Counterparty] {
					t.Fatalf("%s: move without a new rent payee", c.ID)
				}
				found := false
				for _, s := range c.Bills {
					found = found || s.Purpose == synth.PurposeRent && s.Counterparty == rent[0].Counterparty
				}
				if !found {
					t.Errorf("%s: new landlord is not a rent stream", c.ID)
				}
			}
		}
	}
	for _, k := range synth.AllHardCases() {
		if count[k] < 10 {
			t.Errorf("%v: only %d in the shared population", k, count[k])
		}
	}
}

// A profile built from the events finds the true salaries and pensions,
// with their frequency and, for payroll-style schedules, the next date.
func TestProfileFindsIncome(t *testing.T) {
	cs := pop(t)
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)
	var streams, found, freq, next, scheduled int
	for ci := range cs {
		c := &cs[ci]
		p := profile.New(c.ID)
		if err := p.SetCustomer(c.Customer); err != nil {
			t.Fatal(err)
		}
		for i := range c.Events {
			if err := b.Apply(p, &c.Events[i], c.Events[i].Time); err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
		}
		got := p.IncomeStreams(end)
		for _, s := range c.Income {
			if s.Count < 4 || end.Sub(s.Last) > 20*24*time.Hour {
				continue
			}
			streams++
			i := slices.IndexFunc(got, func(d profile.Stream) bool { return d.Counterparty == s.Counterparty })
			if i < 0 {
				continue
			}
			found++
			d := got[i]
			if d.Frequency == s.Frequency {
				freq++
			}
			if s.Roll == synth.RollPreceding || s.Frequency == profile.FrequencyWeekly || s.Frequency == profile.FrequencyBiweekly {
				scheduled++
				if d.NextDate.Equal(s.Next(d.LastDate)) {
					next++
				}
			}
		}
	}
	t.Logf("income streams %d: found %d, frequency %d, next date %d of %d", streams, found, freq, next, scheduled)
	if streams < 100 || float64(found) < 0.95*float64(streams) || float64(freq) < 0.95*float64(streams) ||
		float64(next) < 0.9*float64(scheduled) {
		t.Errorf("income detection below 95%% (found %d, frequency %d of %d; next %d of %d)", found, freq, streams, next, scheduled)
	}
}
