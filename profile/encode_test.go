package profile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// richProfile builds a profile touching every part of the state.
func richProfile(t testing.TB, b *Builder, days int) *Profile {
	t.Helper()
	p := New("c1")
	err := p.SetCustomer(Customer{
		ID: "c1", BirthDate: time.Date(1988, 4, 12, 0, 0, 0, 0, time.UTC), Occupation: "employee",
		DeclaredMonthlyIncome: decimal.RequireFromString("3500"), Currency: "EUR", TimeZone: "Europe/Berlin",
		Consent: Consent{SMS: true, Push: true}, Joined: time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	next := seq("e", 0)
	start := time.Date(2025, 1, 1, 7, 0, 0, 0, berlin)
	for d := 0; d < days; d++ {
		day := start.AddDate(0, 0, d)
		s := Event{ID: next(), CustomerID: "c1", Time: day, Type: TypeSession, Channel: ChannelApp,
			DeviceID: fmt.Sprintf("phone-%d", d/400), IP: netip.MustParseAddr("2001:db8:42::1"),
			Auth: AuthOf(AuthBiometric)}
		f := Event{ID: next(), CustomerID: "c1", Time: day.Add(time.Minute), Type: TypeFeature,
			Channel: ChannelApp, Feature: []string{"balance", "transfer", "cards", "wealth"}[d%4]}
		buy := tx(next(), day.Add(2*time.Hour), KindPurchase, fmt.Sprintf("%d.%02d", 5+d%40, d%100), []string{"Rewe", "Aral", "Kino", "Apotheke"}[d%4])
		buy.MCC = []uint16{5411, 5541, 7832, 5912}[d%4]
		buy.Channel = ChannelPOS
		if d%50 == 7 {
			buy.Location = Location{Lat: 48.137, Lon: 11.575, HasCoords: true, Country: "DE"}
		}
		mustApply(t, b, p, s, f, buy)
		if day.Day() == 1 {
			mustApply(t, b, p, tx(next(), day.Add(3*time.Hour), KindLoanRepayment, "420.00", "Other Bank AG"),
				tx(next(), day.Add(4*time.Hour), KindTransferOut, "950.00", "Landlord"))
		}
		if day.Day() == 25 {
			mustApply(t, b, p, tx(next(), day.Add(5*time.Hour), KindSalary, "3400.00", "Acme GmbH"))
		}
	}
	return p
}

func TestEncodingRoundTripsExactly(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("k")} {
		b, _ := NewBuilder(&Options{HashKey: key})
		p := richProfile(t, b, 400)
		bin, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		js, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var fromBin, fromJSON Profile
		if err := fromBin.UnmarshalBinary(bin); err != nil {
			t.Fatal(err)
		}
		if err := fromJSON.UnmarshalJSON(js); err != nil {
			t.Fatal(err)
		}
		opts := []cmp.Option{cmp.AllowUnexported(Profile{}, topK{}, seen{}, bucket{}, month{}, habit{}, stream{}, geo{}, rfmState{}),
			cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
			cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() }),
			cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })}
		if d := cmp.Diff(p, &fromBin, opts...); d != "" {
			t.Fatalf("binary round trip differs (-want +got):\n%s", d)
		}
		if d := cmp.Diff(p, &fromJSON, opts...); d != "" {
			t.Fatalf("JSON round trip differs (-want +got):\n%s", d)
		}
		// And it keeps working: the decoded profile folds like the original.
		e := tx("after", p.Watermark().Add(time.Hour), KindPurchase, "12.00", "Rewe")
		mustApply(t, b, p, e)
		mustApply(t, b, &fromBin, e)
		if encoded(t, p) != encoded(t, &fromBin) {
			t.Fatal("decoded profile evolves differently")
		}
	}
}

func TestDecodeRejectsNewerVersionsAndCorruption(t *testing.T) {
	b, _ := NewBuilder(nil)
	p := richProfile(t, b, 60)
	bin, _ := p.MarshalBinary()

	newer := append([]byte("SPPF"), binary.AppendUvarint(nil, FormatVersion+1)...)
	newer = append(newer, bin[5:]...)
	var q Profile
	if err := q.UnmarshalBinary(newer); !errors.Is(err, ErrVersion) {
		t.Fatalf("newer binary: %v, want ErrVersion", err)
	}
	js, _ := p.MarshalJSON()
	if err := q.UnmarshalJSON(bytes.Replace(js, []byte(`"version":1`), []byte(`"version":2`), 1)); !errors.Is(err, ErrVersion) {
		t.Fatalf("newer JSON: %v, want ErrVersion", err)
	}
	for cut := 0; cut < len(bin); cut += 7 {
		if err := q.UnmarshalBinary(bin[:cut]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("truncated at %d: %v, want ErrCorrupt", cut, err)
		}
	}
	if err := q.UnmarshalBinary(append(bin[:len(bin):len(bin)], 0)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailing byte: %v", err)
	}
	if q.Seq() != 0 {
		t.Fatal("failed decodes changed the target")
	}
	if err := q.UnmarshalJSON([]byte(`{"format":"suanpan.profile","version":1,"currency":"XXX"}`)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("bad currency: %v", err)
	}
}

func TestEncodingIsDeterministic(t *testing.T) {
	b, _ := NewBuilder(nil)
	a, c := richProfile(t, b, 200), richProfile(t, b, 200)
	if encoded(t, a) != encoded(t, c) {
		t.Fatal("same events, different encodings")
	}
	ja, _ := a.MarshalJSON()
	jc, _ := c.MarshalJSON()
	if !bytes.Equal(ja, jc) {
		t.Fatal("same events, different JSON")
	}
}

func TestCloneSharesNothing(t *testing.T) {
	b, _ := NewBuilder(nil)
	p := richProfile(t, b, 30)
	want := encoded(t, p)
	q := p.Clone()
	e := tx("x", p.Watermark().Add(time.Hour), KindPurchase, "1.00", "New payee")
	e.DeviceID = "new-device"
	mustApply(t, b, q, e)
	if encoded(t, p) != want {
		t.Fatal("changing a clone changed the original")
	}
}

// TestProfileSizeIsBounded checks the size bound: ten times more history
// does not grow the encoded profile past the bound.
func TestProfileSizeIsBounded(t *testing.T) {
	b, _ := NewBuilder(nil)
	year := len(encoded(t, richProfile(t, b, 365)))
	decade := len(encoded(t, richProfile(t, b, 3650)))
	if year > 4096 || decade > 4096 {
		t.Fatalf("encoded size: 1 year %d B, 10 years %d B; bound 4096", year, decade)
	}
	if decade > year*11/10 {
		t.Fatalf("size grows with history: %d B after 1 year, %d B after 10", year, decade)
	}
}
