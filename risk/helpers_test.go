package risk

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

// Shanghai and Paris, for places and travel.
const (
	shLat, shLon = 31.2304, 121.4737
	paLat, paLon = 48.8566, 2.3522
)

var (
	start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	bg    = context.Background()
	phone = "phone-1"
	home  = netip.MustParseAddr("10.1.2.3")
)

type decimalT = decimal.Decimal

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixture is a customer with 60 days of regular habits in Shanghai: a
// morning session and two purchases a day on the phone at the usual
// merchants, a card purchase with chip at lunch, a weekly transfer to Mum.
type fixture struct {
	b   *profile.Builder
	p   *profile.Profile
	now time.Time // one day after the last habitual event, 10:00 local
	n   int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	b, err := profile.NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{b: b, p: profile.New("c1")}
	if err := f.p.SetCustomer(profile.Customer{ID: "c1", Currency: "CNY", TimeZone: "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	merchants := []string{"FamilyMart", "Luckin Coffee", "Hema"}
	for d := range 60 {
		day := time.Date(2025, 1, 1+d, 0, 0, 0, 0, loc)
		var evs []profile.Event
		// Active from 7:00 to 22:00, at different hours on different days.
		evs = append(evs, f.session(day.Add(time.Duration(7+d%8)*time.Hour+time.Duration(d%7)*time.Minute)))
		for i, h := range []int{9, 15 + d%7} {
			e := f.txn(day.Add(time.Duration(h)*time.Hour+time.Duration(d%5)*time.Minute), profile.KindPurchase,
				fmt.Sprintf("%d.%02d", 20+(d*7+i*13)%40, (d*11)%100), merchants[(d+i)%3])
			e.Auth = profile.AuthOf(profile.AuthBiometric)
			evs = append(evs, e)
		}
		pos := f.txn(day.Add(12*time.Hour+30*time.Minute), profile.KindPurchase, fmt.Sprintf("%d.50", 35+(d*3)%30), "Canteen")
		pos.Channel, pos.DeviceID, pos.IP = profile.ChannelPOS, "", netip.Addr{}
		pos.Auth = profile.AuthOf(profile.AuthCardChip)
		evs = append(evs, pos)
		if d%7 == 3 {
			tr := f.txn(day.Add(time.Duration(18+d%4)*time.Hour), profile.KindTransferOut, fmt.Sprintf("%d", 450+(d*17)%100), "Mum")
			tr.Auth = profile.AuthOf(profile.AuthBiometric)
			evs = append(evs, tr)
		}
		slices.SortStableFunc(evs, func(a, b profile.Event) int { return a.Time.Compare(b.Time) })
		for _, e := range evs {
			f.apply(t, e)
		}
	}
	f.now = time.Date(2025, 3, 2, 10, 0, 0, 0, loc)
	return f
}

func (f *fixture) id() string {
	f.n++
	return fmt.Sprintf("e%05d", f.n)
}

func (f *fixture) session(at time.Time) profile.Event {
	return profile.Event{ID: f.id(), CustomerID: "c1", Time: at, Type: profile.TypeSession,
		Channel: profile.ChannelApp, DeviceID: phone, IP: home,
		Location: profile.Location{Lat: shLat, Lon: shLon, HasCoords: true, Country: "CN"},
		Auth:     profile.AuthOf(profile.AuthBiometric)}
}

// txn returns a debit on the phone at home.
func (f *fixture) txn(at time.Time, k profile.Kind, amount, counterparty string) profile.Event {
	return profile.Event{ID: f.id(), CustomerID: "c1", Time: at, Type: profile.TypeTransaction,
		Kind: k, Direction: profile.Debit, Amount: dec(amount), Currency: "CNY", Counterparty: counterparty,
		Channel: profile.ChannelApp, DeviceID: phone, IP: home,
		Location: profile.Location{Lat: shLat, Lon: shLon, HasCoords: true, Country: "CN"}}
}

func (f *fixture) apply(t testing.TB, e profile.Event) {
	t.Helper()
	if err := f.b.Apply(f.p, &e, e.Time); err != nil {
		t.Fatalf("apply %s: %v", e.ID, err)
	}
}

// usual returns a payment that fits the habits at f.now.
func (f *fixture) usual() profile.Event {
	e := f.txn(f.now, profile.KindPurchase, "41.20", "Luckin Coffee")
	e.Auth = profile.AuthOf(profile.AuthBiometric)
	return e
}

func engine(t testing.TB, cfg *Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func decide(t testing.TB, e *Engine, now time.Time, p *profile.Profile, ev profile.Event) Decision {
	t.Helper()
	d, err := e.Decide(bg, now, p, &ev)
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

func hasCode(d Decision, code string) bool { return slices.Contains(d.Reasons, code) }

func signal(d Decision, code string) (Signal, bool) {
	for _, s := range d.Signals {
		if s.Code == code {
			return s, true
		}
	}
	return Signal{}, false
}
