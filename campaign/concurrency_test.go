package campaign_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/suanpan-dev/suanpan/campaign"
)

// countingDelivery records every call, duplicates included, so that a
// message sent twice is visible (MemoryDelivery would drop it).
type countingDelivery struct {
	mu    sync.Mutex
	calls []campaign.Send
}

func (d *countingDelivery) Deliver(ctx context.Context, s *campaign.Send) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	d.calls = append(d.calls, *s)
	d.mu.Unlock()
	return nil
}

func (d *countingDelivery) keys() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, len(d.calls))
	for i, s := range d.calls {
		out[i] = s.Key
	}
	return out
}

// slowLog widens the window between reading a history and committing, so
// that planners running at once really race.
type slowLog struct {
	*campaign.MemoryContactLog
	commits, conflicts atomic.Int64
}

func (l *slowLog) Commit(ctx context.Context, id string, v uint64, ins, upd []campaign.Contact) (uint64, error) {
	time.Sleep(20 * time.Microsecond)
	nv, err := l.MemoryContactLog.Commit(ctx, id, v, ins, upd)
	l.commits.Add(1)
	if err != nil {
		l.conflicts.Add(1)
	}
	return nv, err
}

// Two planners share a contact log and counters and run at the same times
// over the same customers (one in reverse order): no message is delivered
// twice, no cap or capacity is exceeded, and the races were real (commits
// conflicted and were re-planned).
func TestConcurrentPlannersNeverSendTwice(t *testing.T) {
	days := 4
	if testing.Short() || raceEnabled {
		days = 2
	}
	w := simWorld(t)
	s := newSim(t, w)
	log := &slowLog{MemoryContactLog: s.log}
	set := propertySet()
	var planners [2]*campaign.Planner
	for i := range planners {
		p, err := campaign.New(set, log, &campaign.Options{Counters: s.counters, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		planners[i] = p
	}
	var deliveries [2]countingDelivery
	from := propStart
	s.warm(t, from)
	retries := 0
	for at := from; at.Before(from.Add(time.Duration(days) * 24 * time.Hour)); at = at.Add(time.Hour) {
		cs := s.customers(t, at)
		rev := slices.Clone(cs)
		slices.Reverse(rev)
		var wg sync.WaitGroup
		var plans [2]*campaign.Plan
		var errs [2]error
		for i, in := range [2][]campaign.Customer{cs, rev} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				plans[i], errs[i] = planners[i].Run(context.Background(), at, in, &deliveries[i])
			}()
		}
		wg.Wait()
		for i := range errs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			retries += plans[i].Retries
			if len(plans[i].Skipped) > 0 {
				t.Fatalf("planner %d gave up on %d customers", i, len(plans[i].Skipped))
			}
		}
	}
	all := append(deliveries[0].keys(), deliveries[1].keys()...)
	if len(all) < 100 {
		t.Fatalf("only %d deliveries", len(all))
	}
	seen := map[string]int{}
	for _, k := range all {
		seen[k]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("message %s delivered %d times", k, n)
		}
	}
	if len(deliveries[0].calls) == 0 || len(deliveries[1].calls) == 0 {
		t.Errorf("one planner delivered nothing (%d, %d): no real concurrency", len(deliveries[0].calls), len(deliveries[1].calls))
	}
	if retries == 0 || log.conflicts.Load() == 0 {
		t.Errorf("no commit conflicted (%d commits): the race was not exercised", log.commits.Load())
	}
	// Caps hold on the merged history.
	bank, _ := time.LoadLocation(set.TimeZone)
	agentDay := map[string]int{}
	perDay := map[string]int{}
	for _, c := range s.log.All() {
		if c.Status != campaign.StatusSent && c.Status != campaign.StatusScheduled {
			continue
		}
		if c.Channel == campaign.ChannelAgent {
			agentDay[c.SendAt.In(bank).Format(time.DateOnly)]++
		}
		if !c.Transactional {
			cu := s.profiles[c.CustomerID]
			perDay[c.CustomerID+c.SendAt.In(cu.Location()).Format(time.DateOnly)]++
		}
	}
	for day, n := range agentDay {
		if n > set.Policy.Capacity[campaign.ChannelAgent] {
			t.Errorf("%s: %d agent tasks, capacity %d", day, n, set.Policy.Capacity[campaign.ChannelAgent])
		}
	}
	for k, n := range perDay {
		if n > set.Policy.Caps.Day {
			t.Errorf("%s: %d marketing messages in a day, cap %d", k, n, set.Policy.Caps.Day)
		}
	}
	t.Logf("%d deliveries, %d commits, %d conflicts, %d re-plans", len(all), log.commits.Load(), log.conflicts.Load(), retries)
}

// racingLog makes another planner commit for the same customer between
// this planner's read and its commit, once: a deterministic lost race.
type racingLog struct {
	*campaign.MemoryContactLog
	once  sync.Once
	other func()
}

func (l *racingLog) Commit(ctx context.Context, id string, v uint64, ins, upd []campaign.Contact) (uint64, error) {
	l.once.Do(l.other)
	return l.MemoryContactLog.Commit(ctx, id, v, ins, upd)
}

func TestLostRaceIsReplanned(t *testing.T) {
	w := simWorld(t)
	s := newSim(t, w)
	set := &campaign.Set{Version: "race.1", Policy: campaign.Policy{QuietHours: &campaign.QuietHours{}}, Campaigns: []campaign.Campaign{{
		ID: "welcome", Window: campaign.Window{Start: propStart.Add(-time.Hour)},
		Offers: []campaign.Offer{{ID: "w"}}, Channels: []campaign.Channel{campaign.ChannelInApp}, SendTime: campaign.SendTimeASAP,
	}}}
	s.warm(t, propStart)
	cs := s.customers(t, propStart)[:1]
	inner := s.log
	var other countingDelivery
	otherPlanner, err := campaign.New(set, inner, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := &racingLog{MemoryContactLog: inner}
	log.other = func() {
		pl, err := otherPlanner.Run(context.Background(), propStart, cs, &other)
		if err != nil || len(pl.Sends) != 1 {
			t.Errorf("other planner: %v, %d sends", err, len(pl.Sends))
		}
	}
	p, err := campaign.New(set, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	var mine countingDelivery
	pl, err := p.Run(context.Background(), propStart, cs, &mine)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Retries != 1 || len(pl.Sends) != 0 || len(mine.calls) != 0 || len(other.calls) != 1 {
		t.Fatalf("retries %d, plan sends %d, mine %d, other %d; want 1, 0, 0, 1", pl.Retries, len(pl.Sends), len(mine.calls), len(other.calls))
	}
	hist, _, err := inner.Contacts(context.Background(), cs[0].Profile.CustomerID(), time.Time{}, nil)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history %v %v, want one contact", hist, err)
	}
}

// The same inputs give the same plans, message for message, whatever the
// number of workers.
func TestDeterministicPlans(t *testing.T) {
	w := simWorld(t)
	run := func(workers int) ([]campaign.Send, []*campaign.Plan) {
		s := newSim(t, w)
		p, err := campaign.New(propertySet(), s.log, &campaign.Options{Counters: s.counters, Workers: workers, Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		s.runHourly(t, p, propStart, propStart.Add(48*time.Hour), nil)
		return s.delivery.Sends(), s.plans
	}
	a, pa := run(1)
	b, pb := run(3)
	if len(a) < 50 {
		t.Fatalf("only %d sends", len(a))
	}
	if diff := cmp.Diff(a, b, decimalEqual); diff != "" {
		t.Fatalf("deliveries differ between 1 and 3 workers (-1 +3):\n%s", diff)
	}
	for i := range pa {
		pa[i].Now, pb[i].Now = time.Time{}, time.Time{}
		if diff := cmp.Diff(pa[i], pb[i], decimalEqual, cmpopts.IgnoreUnexported(campaign.Plan{})); diff != "" {
			t.Fatalf("plan %d differs (-1 +3):\n%s", i, diff)
		}
	}
}
