package campaign_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/campaign"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

// world is a simulated population of two markets (Asia/Shanghai and
// Europe/Berlin, so that local days and quiet hours differ), generated
// once per test binary.
type world struct {
	customers []profile.Customer
	events    []profile.Event // all customers, in time order
	start     time.Time
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
)

// simWorld returns the shared population: 120 customers per market, three
// months of history from 2025-01-01.
func simWorld(t testing.TB) *world {
	t.Helper()
	worldOnce.Do(func() { theWorld, worldErr = makeWorld(120, 3) })
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return theWorld
}

func makeWorld(perMarket, months int) (*world, error) {
	w := &world{start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var all []synth.Customer
	for _, m := range []synth.Market{synth.MarketCN, synth.MarketEU} {
		cs, err := synth.Generate(synth.Config{Seed: 11, Customers: perMarket, Months: months, Market: m, Start: w.start})
		if err != nil {
			return nil, err
		}
		prefix := strings.ToUpper(m.String())
		for i := range cs {
			c := &cs[i]
			id := prefix + c.ID
			c.Customer.ID = id
			for j := range c.Events {
				c.Events[j].CustomerID = id
				c.Events[j].ID = prefix + c.Events[j].ID
			}
			all = append(all, *c)
		}
	}
	for i := range all {
		w.customers = append(w.customers, all[i].Customer)
	}
	w.events = synth.Events(all)
	return w, nil
}

// sim replays a world's events hour by hour and runs planners on a shared
// contact log, like the campaign CLI.
type sim struct {
	w        *world
	builder  *profile.Builder
	ids      []string
	profiles map[string]*profile.Profile
	assign   map[string]*segment.Assignment
	assigner *segment.Assigner
	pos      int
	log      *campaign.MemoryContactLog
	counters *campaign.MemoryCounters
	delivery *campaign.MemoryDelivery
	// extra per-customer inputs
	optOut  map[string]campaign.Channels
	consent map[string]campaign.Channels
	agent   map[string]string
	plans   []*campaign.Plan
	// fresh makes the first assignment of each customer count as entering
	// its stage (new customers), instead of a silent baseline.
	fresh bool
}

func newSim(t testing.TB, w *world) *sim {
	t.Helper()
	b, err := profile.NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{w: w, builder: b, profiles: make(map[string]*profile.Profile), assign: make(map[string]*segment.Assignment),
		log: campaign.NewMemoryContactLog(), counters: campaign.NewMemoryCounters(), delivery: campaign.NewMemoryDelivery(),
		optOut: make(map[string]campaign.Channels), consent: make(map[string]campaign.Channels), agent: make(map[string]string)}
	for _, c := range w.customers {
		p := profile.New(c.ID)
		if err := p.SetCustomer(c); err != nil {
			t.Fatal(err)
		}
		s.profiles[c.ID] = p
		s.ids = append(s.ids, c.ID)
	}
	slices.Sort(s.ids)
	// Deterministic extra inputs: some opt-outs, phone consent for a
	// third, agents for half.
	for i, id := range s.ids {
		if i%7 == 0 {
			s.optOut[id] = campaign.ChannelsOf(campaign.ChannelPush)
		}
		if i%3 == 0 {
			s.consent[id] = campaign.ChannelsOf(campaign.ChannelPhone)
		}
		if i%2 == 0 {
			s.agent[id] = []string{"agent_a", "agent_b", "agent_c"}[i%3]
		}
	}
	return s
}

// apply folds events up to and including t, returning them by customer.
func (s *sim) apply(t testing.TB, until time.Time) map[string][]profile.Event {
	t.Helper()
	recent := make(map[string][]profile.Event)
	for ; s.pos < len(s.w.events) && !s.w.events[s.pos].Time.After(until); s.pos++ {
		e := &s.w.events[s.pos]
		if err := s.builder.Apply(s.profiles[e.CustomerID], e, until); err != nil {
			t.Fatal(err)
		}
		recent[e.CustomerID] = append(recent[e.CustomerID], *e)
	}
	return recent
}

// warm applies the events before from and assigns every customer.
func (s *sim) warm(t testing.TB, from time.Time) {
	t.Helper()
	s.apply(t, from.Add(-time.Second))
	a, err := segment.New(segment.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.assigner = a
	if s.fresh {
		return
	}
	for _, id := range s.ids {
		s.reassign(t, id, from)
	}
}

func (s *sim) reassign(t testing.TB, id string, at time.Time) []segment.Transition {
	t.Helper()
	f, err := segment.NewInput(s.profiles[id], at, nil)
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.assigner.Assign(&f, at)
	if err != nil {
		t.Fatal(err)
	}
	prev := s.assign[id]
	if prev == nil {
		prev = &segment.Assignment{}
	}
	tr := segment.Diff(*prev, next)
	s.assign[id] = &next
	return tr
}

// customers builds the planner input at t after applying the hour's events.
func (s *sim) customers(t testing.TB, at time.Time) []campaign.Customer {
	t.Helper()
	recent := s.apply(t, at)
	out := make([]campaign.Customer, 0, len(s.ids))
	for _, id := range s.ids {
		c := campaign.Customer{Profile: s.profiles[id], Events: recent[id], OptOut: s.optOut[id],
			Consent: s.consent[id], Agent: s.agent[id]}
		if len(recent[id]) > 0 || at.Hour() == 0 || s.assign[id] == nil {
			c.Transitions = s.reassign(t, id, at)
		}
		c.Assignment = s.assign[id]
		out = append(out, c)
	}
	return out
}

// runHourly runs planner every hour from from (inclusive) to to
// (exclusive), calling after (when not nil) after each run.
func (s *sim) runHourly(t testing.TB, p *campaign.Planner, from, to time.Time, after func(at time.Time, pl *campaign.Plan)) {
	t.Helper()
	s.warm(t, from)
	for at := from; at.Before(to); at = at.Add(time.Hour) {
		cs := s.customers(t, at)
		pl, err := p.Run(context.Background(), at, cs, s.delivery)
		if err != nil {
			t.Fatal(err)
		}
		s.plans = append(s.plans, pl)
		if after != nil {
			after(at, pl)
		}
	}
}
