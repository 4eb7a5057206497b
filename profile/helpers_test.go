package profile

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// eventCmp compares events: decimals and times by value, addresses with ==.
var eventCmp = []cmp.Option{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
}

var berlin = mustLoc("Europe/Berlin")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// tx returns a valid transaction of customer c1.
func tx(id string, at time.Time, kind Kind, amount, counterparty string) Event {
	return Event{
		ID: id, CustomerID: "c1", Time: at, Type: TypeTransaction, Kind: kind,
		Direction: kind.Direction(), Amount: decimal.RequireFromString(amount), Currency: "EUR",
		Channel: ChannelApp, Counterparty: counterparty, DeviceID: "phone-1",
		IP:       netip.MustParseAddr("198.51.100.7"),
		Location: Location{Lat: 52.52, Lon: 13.405, HasCoords: true, Country: "DE"},
		Auth:     AuthOf(AuthBiometric),
	}
}

func newTestProfile(t testing.TB) (*Builder, *Profile) {
	t.Helper()
	b, err := NewBuilder(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New("c1")
	if err := p.SetCustomer(Customer{ID: "c1", Currency: "EUR", TimeZone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	return b, p
}

func mustApply(t testing.TB, b *Builder, p *Profile, es ...Event) {
	t.Helper()
	for i := range es {
		if err := b.Apply(p, &es[i], es[i].Time); err != nil {
			t.Fatalf("Apply %s: %v", es[i].ID, err)
		}
	}
}

func encoded(t testing.TB, p *Profile) string {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// payDates returns n dates of a schedule starting at first.
func seq(prefix string, n int) func() string {
	i := 0
	return func() string { i++; return fmt.Sprintf("%s%d", prefix, i) }
}
