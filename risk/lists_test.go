package risk_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/suanpan-dev/suanpan/risk"
	"github.com/suanpan-dev/suanpan/risk/risktest"
)

func TestMemoryListsConformance(t *testing.T) {
	risktest.TestLists(t, func(t *testing.T, entries []risk.ListEntry) risk.Lists {
		l, err := risk.NewMemoryLists(entries...)
		if err != nil {
			t.Fatal(err)
		}
		return l
	})
}

func TestMemoryListsEditing(t *testing.T) {
	l, err := risk.NewMemoryLists()
	if err != nil {
		t.Fatal(err)
	}
	dev := risk.ListEntry{Kind: risk.ListDevice, Value: "d1", Verdict: risk.Blocked}
	netw := risk.ListEntry{Kind: risk.ListNetwork, Network: netip.MustParsePrefix("::ffff:10.0.0.0/104"), Verdict: risk.Allowed}
	for _, e := range []risk.ListEntry{dev, dev, netw} {
		if err := l.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	q := &risk.ListQuery{Device: "d1", IP: netip.MustParseAddr("10.9.9.9")}
	if h, _ := l.Check(context.Background(), q); h.Device != risk.Blocked || h.Network != risk.Allowed {
		t.Fatalf("after add: %+v", h)
	}
	if err := l.Remove(dev); err != nil {
		t.Fatal(err)
	}
	if err := l.Remove(netw); err != nil {
		t.Fatal(err)
	}
	if err := l.Remove(netw); err != nil { // not there: no-op
		t.Fatal(err)
	}
	if h, _ := l.Check(context.Background(), q); h != (risk.ListHits{}) {
		t.Errorf("after remove: %+v", h)
	}
	for _, bad := range []risk.ListEntry{
		{Kind: risk.ListDevice, Value: "", Verdict: risk.Blocked},
		{Kind: risk.ListDevice, Value: "x", Verdict: risk.Unlisted},
		{Kind: risk.ListNetwork, Verdict: risk.Blocked},
		{Kind: risk.ListNetwork, Value: "10.0.0.0/8", Network: netip.MustParsePrefix("10.0.0.0/8"), Verdict: risk.Blocked},
		{Kind: risk.ListCustomer, Value: "c", Network: netip.MustParsePrefix("10.0.0.0/8"), Verdict: risk.Blocked},
		{Kind: 9, Value: "x", Verdict: risk.Blocked},
	} {
		if err := l.Add(bad); !errors.Is(err, risk.ErrInput) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := risk.NewMemoryLists(risk.ListEntry{}); !errors.Is(err, risk.ErrInput) {
		t.Errorf("zero entry accepted: %v", err)
	}
	if h, err := l.Check(context.Background(), nil); err != nil || h != (risk.ListHits{}) {
		t.Errorf("nil query: %+v %v", h, err)
	}
}
