package profile

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// FuzzApply feeds arbitrary events to a profile with history: errors are
// fine, panics are not, a rejected event leaves the profile unchanged and
// an accepted one leaves it encodable and decodable.
func FuzzApply(f *testing.F) {
	f.Add("e1", uint8(1), uint8(1), uint8(1), "12.50", "EUR", uint8(1), "Shop", "phone-1", "198.51.100.7", 52.5, 13.4, true, "DE", uint16(32), "", int64(3600))
	f.Add("e2", uint8(1), uint8(4), uint8(2), "3000", "EUR", uint8(0), "Acme", "", "", 0.0, 0.0, false, "", uint16(0), "", int64(86400))
	f.Add("e3", uint8(2), uint8(0), uint8(0), "", "", uint8(2), "", "laptop", "2001:db8::1", -33.9, 151.2, true, "AU", uint16(3), "", int64(60))
	f.Add("e4", uint8(3), uint8(0), uint8(0), "", "", uint8(1), "", "", "", 0.0, 0.0, false, "", uint16(0), "wealth", int64(0))
	f.Add("", uint8(9), uint8(99), uint8(7), "-1e400", "xx", uint8(200), "", "", "::ffff:1.2.3.4", 1e300, -1e300, true, "d", uint16(65535), "", int64(-1<<40))
	b, _ := NewBuilder(nil)
	base := richProfile(f, b, 90)
	t0 := base.Watermark()
	f.Fuzz(func(t *testing.T, id string, typ, kind, dir uint8, amount, currency string, channel uint8,
		counterparty, device, ip string, lat, lon float64, hasCoords bool, country string, auth uint16,
		feature string, offset int64) {
		p := base.Clone()
		before := encoded(t, p)
		e := Event{ID: id, CustomerID: "c1", Time: t0.Add(time.Duration(offset) * time.Second),
			Type: EventType(typ), Kind: Kind(kind), Direction: Direction(dir), Currency: currency,
			Channel: Channel(channel), Counterparty: counterparty, DeviceID: device,
			Location: Location{Lat: lat, Lon: lon, HasCoords: hasCoords, Country: country},
			Auth:     Auth(auth), Feature: feature}
		if amount != "" {
			if d, err := decimal.NewFromString(amount); err == nil {
				e.Amount = d
			}
		}
		if a, err := netip.ParseAddr(ip); err == nil {
			e.IP = a
		}
		err := b.Apply(p, &e, t0.Add(48*time.Hour))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			if encoded(t, p) != before {
				t.Fatalf("rejected event (%v) changed the profile", err)
			}
			return
		}
		var q Profile
		if err := q.UnmarshalBinary([]byte(encoded(t, p))); err != nil {
			t.Fatalf("profile after an accepted event does not decode: %v", err)
		}
		js, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := q.UnmarshalJSON(js); err != nil {
			t.Fatalf("JSON after an accepted event does not decode: %v", err)
		}
		now := p.Watermark()
		_ = p.Financial(now)
		_ = p.Velocity(now)
		_ = b.Familiarity(p, &e)
	})
}

// FuzzUnmarshalBinary decodes arbitrary bytes: errors are fine, panics are
// not, and whatever decodes re-encodes to a stable form that is usable.
func FuzzUnmarshalBinary(f *testing.F) {
	b, _ := NewBuilder(nil)
	for _, days := range []int{0, 3, 40} {
		bin, _ := richProfile(f, b, days).MarshalBinary()
		f.Add(bin)
	}
	f.Add([]byte("SPPF\x01"))
	f.Add([]byte("SPPF\x02\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Profile
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		once, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var q Profile
		if err := q.UnmarshalBinary(once); err != nil {
			t.Fatalf("re-encoded profile does not decode: %v", err)
		}
		twice, _ := q.MarshalBinary()
		if !bytes.Equal(once, twice) {
			t.Fatal("encoding is not stable")
		}
		useProfile(t, b, &p)
	})
}

// FuzzUnmarshalJSON is FuzzUnmarshalBinary for the JSON form.
func FuzzUnmarshalJSON(f *testing.F) {
	b, _ := NewBuilder(nil)
	for _, days := range []int{0, 5} {
		js, _ := richProfile(f, b, days).MarshalJSON()
		f.Add(js)
	}
	f.Add([]byte(`{"format":"suanpan.profile","version":1,"seq":3,"tau":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Profile
		if err := p.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			return
		}
		js, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var q Profile
		if err := q.UnmarshalJSON(js); err != nil {
			t.Fatalf("re-encoded profile does not decode: %v", err)
		}
		useProfile(t, b, &p)
	})
}

// useProfile exercises every read method and one Apply on a decoded profile.
func useProfile(t *testing.T, b *Builder, p *Profile) {
	now := p.Watermark().Add(time.Hour)
	_ = p.Financial(now)
	_ = p.Velocity(now)
	_ = p.IncomeStreams(now)
	_ = p.Bills(now)
	_ = p.Devices(now)
	_ = p.Places(now)
	_ = p.Months(now)
	_ = p.RFM(now)
	_ = p.ActiveHours()
	for k := Kind(0); int(k) <= NumKinds; k++ {
		_ = p.AmountHabit(k)
	}
	id := p.CustomerID()
	if id == "" {
		id = "c"
	}
	e := Event{ID: "fuzz", CustomerID: id, Time: now, Type: TypeTransaction, Kind: KindPurchase,
		Direction: Debit, Amount: decimal.New(1, 0), Currency: "EUR", DeviceID: "d", Counterparty: "x"}
	if p.Currency() != "" {
		e.Currency = p.Currency()
	}
	_ = b.Familiarity(p, &e)
	_ = b.Apply(p, &e, now)
}

// FuzzReadEvents reads arbitrary CSV: errors are RowErrors, never panics,
// and every event read is valid and survives a write-read round trip.
func FuzzReadEvents(f *testing.F) {
	f.Add(eventsCSV, false)
	f.Add("event_id,customer_id,time,type\n1,2,2026-01-01T00:00:00Z,session\n", true)
	f.Add("event_id,customer_id,time,type,amount\n\"unterminated,2,3,4,5\n", true)
	f.Add("event_id,customer_id,time,type,lat\n1,2,2026-01-01T00:00:00Z,session,5\n", false)
	f.Fuzz(func(t *testing.T, in string, skip bool) {
		r, err := NewEventReader(strings.NewReader(in), &ReadOptions{SkipBad: skip})
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("header error %v is not a *RowError", err)
			}
			return
		}
		for i := 0; i < 1000; i++ {
			e, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) {
					t.Fatalf("error %v is not a *RowError", err)
				}
				return
			}
			if err := e.Validate(); err != nil {
				t.Fatalf("reader returned an invalid event: %v", err)
			}
			var buf bytes.Buffer
			w := NewEventWriter(&buf)
			if err := w.Write(&e); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			back, err := ReadEvents(&buf, nil)
			if err != nil || len(back) != 1 {
				t.Fatalf("round trip: %v", err)
			}
			if d := cmp.Diff(e, back[0], eventCmp...); d != "" {
				t.Fatalf("round trip differs:\n%s", d)
			}
		}
	})
}

// FuzzReadCustomers is FuzzReadEvents for the customers CSV.
func FuzzReadCustomers(f *testing.F) {
	f.Add("customer_id,birth_date,occupation,declared_monthly_income,currency,time_zone,consent_sms,consent_email,consent_push,joined\n"+
		"c1,1990-05-01,employee,12000.00,CNY,Asia/Shanghai,true,0,yes,2018-03-15\n", false)
	f.Add("customer_id,currency\nc1,JPY\nc2,EUR\n", true)
	f.Add("customer_id,currency,declared_monthly_income\nc1,JPY,10.5\n", true)
	f.Fuzz(func(t *testing.T, in string, skip bool) {
		cs, err := ReadCustomers(strings.NewReader(in), &ReadOptions{SkipBad: skip})
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RowError", err)
			}
		}
		for i := range cs {
			if err := cs[i].Validate(); err != nil {
				t.Fatalf("reader returned an invalid customer: %v", err)
			}
			p := New(cs[i].ID)
			if err := p.SetCustomer(cs[i]); err != nil {
				t.Fatalf("SetCustomer of a valid customer: %v", err)
			}
			var q Profile
			if err := q.UnmarshalBinary([]byte(encoded(t, p))); err != nil {
				t.Fatalf("profile with customer does not decode: %v", err)
			}
		}
	})
}
