package risktest

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"

	"github.com/suanpan-dev/suanpan/risk"
)

// TestLists checks that an implementation of risk.Lists behaves as the
// interface documents. newLists must return a new Lists holding exactly
// the given entries (and nothing else); it is called once per subtest.
//
// It checks: unlisted and empty keys; exact, case-sensitive matches for
// customers, devices and counterparties; kinds kept apart; networks by
// prefix for IPv4, IPv6 and IPv4-mapped IPv6 addresses; blocking winning
// over allowing; the query left unmodified; a done context returning an
// error that wraps ctx.Err(); and concurrent use.
func TestLists(t *testing.T, newLists func(t *testing.T, entries []risk.ListEntry) risk.Lists) {
	t.Helper()
	entries := []risk.ListEntry{
		{Kind: risk.ListCustomer, Value: "C-blocked", Verdict: risk.Blocked},
		{Kind: risk.ListCustomer, Value: "C-vip", Verdict: risk.Allowed},
		{Kind: risk.ListDevice, Value: "dev-stolen", Verdict: risk.Blocked},
		{Kind: risk.ListDevice, Value: "dev-bound", Verdict: risk.Allowed},
		{Kind: risk.ListDevice, Value: "dev-both", Verdict: risk.Allowed},
		{Kind: risk.ListDevice, Value: "dev-both", Verdict: risk.Blocked},
		{Kind: risk.ListCounterparty, Value: "Mule Account 7", Verdict: risk.Blocked},
		{Kind: risk.ListCounterparty, Value: "Landlord Li", Verdict: risk.Allowed},
		{Kind: risk.ListNetwork, Network: netip.MustParsePrefix("203.0.113.0/24"), Verdict: risk.Blocked},
		{Kind: risk.ListNetwork, Network: netip.MustParsePrefix("198.51.100.0/22"), Verdict: risk.Allowed},
		{Kind: risk.ListNetwork, Network: netip.MustParsePrefix("198.51.100.128/25"), Verdict: risk.Blocked},
		{Kind: risk.ListNetwork, Network: netip.MustParsePrefix("2001:db8:bad::/48"), Verdict: risk.Blocked},
	}
	type tc struct {
		name string
		q    risk.ListQuery
		want risk.ListHits
	}
	ip := netip.MustParseAddr
	cases := []tc{
		{"empty query", risk.ListQuery{}, risk.ListHits{}},
		{"unlisted keys", risk.ListQuery{Customer: "C1", Device: "dev-1", IP: ip("192.0.2.1"), Counterparty: "Mum"}, risk.ListHits{}},
		{"blocked customer", risk.ListQuery{Customer: "C-blocked"}, risk.ListHits{Customer: risk.Blocked}},
		{"allowed customer", risk.ListQuery{Customer: "C-vip"}, risk.ListHits{Customer: risk.Allowed}},
		{"blocked device", risk.ListQuery{Device: "dev-stolen"}, risk.ListHits{Device: risk.Blocked}},
		{"allowed device", risk.ListQuery{Device: "dev-bound"}, risk.ListHits{Device: risk.Allowed}},
		{"block wins", risk.ListQuery{Device: "dev-both"}, risk.ListHits{Device: risk.Blocked}},
		{"blocked counterparty", risk.ListQuery{Counterparty: "Mule Account 7"}, risk.ListHits{Counterparty: risk.Blocked}},
		{"allowed counterparty", risk.ListQuery{Counterparty: "Landlord Li"}, risk.ListHits{Counterparty: risk.Allowed}},
		{"case-sensitive", risk.ListQuery{Counterparty: "mule account 7", Device: "DEV-STOLEN"}, risk.ListHits{}},
		{"no trimming", risk.ListQuery{Counterparty: " Mule Account 7"}, risk.ListHits{}},
		{"kinds apart", risk.ListQuery{Customer: "dev-stolen", Device: "C-blocked", Counterparty: "dev-stolen"}, risk.ListHits{}},
		{"blocked network", risk.ListQuery{IP: ip("203.0.113.77")}, risk.ListHits{Network: risk.Blocked}},
		{"mapped IPv4", risk.ListQuery{IP: ip("::ffff:203.0.113.1")}, risk.ListHits{Network: risk.Blocked}},
		{"allowed network", risk.ListQuery{IP: ip("198.51.101.9")}, risk.ListHits{Network: risk.Allowed}},
		{"blocked inside allowed", risk.ListQuery{IP: ip("198.51.100.200")}, risk.ListHits{Network: risk.Blocked}},
		{"outside networks", risk.ListQuery{IP: ip("198.51.104.1")}, risk.ListHits{}},
		{"blocked IPv6", risk.ListQuery{IP: ip("2001:db8:bad:1::5")}, risk.ListHits{Network: risk.Blocked}},
		{"other IPv6", risk.ListQuery{IP: ip("2001:db8:bad0::5")}, risk.ListHits{}},
		{"all at once", risk.ListQuery{Customer: "C-vip", Device: "dev-stolen", IP: ip("198.51.101.1"), Counterparty: "Landlord Li"},
			risk.ListHits{Customer: risk.Allowed, Device: risk.Blocked, Network: risk.Allowed, Counterparty: risk.Allowed}},
	}
	t.Run("Verdicts", func(t *testing.T) {
		l := newLists(t, entries)
		for _, c := range cases {
			q := c.q
			got, err := l.Check(context.Background(), &q)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got != c.want {
				t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
			}
			if q != c.q {
				t.Errorf("%s: query modified", c.name)
			}
		}
	})
	t.Run("Empty", func(t *testing.T) {
		l := newLists(t, nil)
		for _, c := range cases {
			q := c.q
			if got, err := l.Check(context.Background(), &q); err != nil || got != (risk.ListHits{}) {
				t.Errorf("%s on empty lists: %+v, %v", c.name, got, err)
			}
		}
	})
	t.Run("Context", func(t *testing.T) {
		l := newLists(t, entries)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		q := risk.ListQuery{Device: "dev-stolen"}
		if _, err := l.Check(ctx, &q); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled context: err %v, want one wrapping context.Canceled", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		l := newLists(t, entries)
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					c := cases[(g+i)%len(cases)]
					q := c.q
					got, err := l.Check(context.Background(), &q)
					if err != nil || got != c.want {
						t.Errorf("concurrent %s: %+v, %v", c.name, got, err)
						return
					}
				}
			}()
		}
		wg.Wait()
	})
}

// ListsFunc adapts a function to risk.Lists, for test doubles.
type ListsFunc func(ctx context.Context, q *risk.ListQuery) (risk.ListHits, error)

// Check calls f.
func (f ListsFunc) Check(ctx context.Context, q *risk.ListQuery) (risk.ListHits, error) {
	return f(ctx, q)
}

// ScorerFunc adapts a function to risk.Scorer, for test doubles.
type ScorerFunc func(ctx context.Context, r *risk.ScoreRequest) (float64, error)

// Score calls f.
func (f ScorerFunc) Score(ctx context.Context, r *risk.ScoreRequest) (float64, error) {
	return f(ctx, r)
}
