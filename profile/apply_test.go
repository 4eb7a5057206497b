package profile

import (
	"errors"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestApplyRejectsBadInputAndLeavesProfileUnchanged(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	mustApply(t, b, p, tx("e0", t0, KindPurchase, "10.00", "Shop"))
	before := encoded(t, p)
	good := tx("e1", t0.Add(time.Hour), KindPurchase, "10.00", "Shop")

	cases := []struct {
		name   string
		change func(e *Event)
		field  string
		want   error
	}{
		{"negative amount", func(e *Event) { e.Amount = decimal.RequireFromString("-5") }, "amount", ErrInvalid},
		{"zero amount", func(e *Event) { e.Amount = decimal.Zero }, "amount", ErrInvalid},
		{"too many decimals", func(e *Event) { e.Amount = decimal.RequireFromString("1.005") }, "amount", ErrInvalid},
		{"yen decimals", func(e *Event) { e.Currency = "JPY"; e.Amount = decimal.RequireFromString("100.5") }, "amount", ErrInvalid},
		{"unknown currency", func(e *Event) { e.Currency = "XYZ" }, "currency", ErrUnknownCurrency},
		{"lower-case currency", func(e *Event) { e.Currency = "eur" }, "currency", ErrUnknownCurrency},
		{"missing currency", func(e *Event) { e.Currency = "" }, "currency", ErrMissing},
		{"zero time", func(e *Event) { e.Time = time.Time{} }, "time", ErrMissing},
		{"year 2300", func(e *Event) { e.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "time", ErrInvalid},
		{"future", func(e *Event) { e.Time = t0.Add(48 * time.Hour) }, "time", ErrFuture},
		{"late", func(e *Event) { e.Time = t0.Add(-time.Hour) }, "time", ErrLate},
		{"no type", func(e *Event) { e.Type = 0 }, "type", ErrMissing},
		{"unknown type", func(e *Event) { e.Type = 9 }, "type", ErrInvalid},
		{"unknown kind", func(e *Event) { e.Kind = 99 }, "kind", ErrInvalid},
		{"kind against direction", func(e *Event) { e.Direction = Credit }, "direction", ErrInvalid},
		{"no customer", func(e *Event) { e.CustomerID = "" }, "customer_id", ErrMissing},
		{"other customer", func(e *Event) { e.CustomerID = "c2" }, "customer_id", ErrWrongCustomer},
		{"no id", func(e *Event) { e.ID = "" }, "event_id", ErrMissing},
		{"latitude 91", func(e *Event) { e.Location.Lat = 91 }, "lat", ErrInvalid},
		{"longitude NaN", func(e *Event) { e.Location.Lon = math.NaN() }, "lon", ErrInvalid},
		{"coords without flag", func(e *Event) { e.Location.HasCoords = false }, "lat", ErrInvalid},
		{"bad country", func(e *Event) { e.Location.Country = "Germany" }, "country", ErrInvalid},
		{"zoned ip", func(e *Event) { e.IP = netip.MustParseAddr("fe80::1%eth0") }, "ip", ErrInvalid},
		{"bad channel", func(e *Event) { e.Channel = 42 }, "channel", ErrInvalid},
		{"bad mcc", func(e *Event) { e.MCC = 10000 }, "mcc", ErrInvalid},
		{"session with amount", func(e *Event) { e.Type = TypeSession; e.Kind, e.Direction, e.Currency = 0, 0, "" }, "amount", ErrInvalid},
		{"feature without name", func(e *Event) {
			e.Type = TypeFeature
			e.Kind, e.Direction, e.Currency, e.Amount = 0, 0, "", decimal.Zero
		}, "feature", ErrMissing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := good
			c.change(&e)
			err := b.Apply(p, &e, t0.Add(time.Hour))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("err = %v, want a *FieldError for field %q", err, c.field)
			}
			if got := encoded(t, p); got != before {
				t.Fatal("a rejected event changed the profile")
			}
		})
	}
	if err := b.Apply(p, &good, t0.Add(time.Hour)); err != nil {
		t.Fatalf("the good event: %v", err)
	}
}

func TestFieldErrorsRedactSensitiveValues(t *testing.T) {
	e := tx("e1", time.Now(), KindPurchase, "10", "Shop")
	e.DeviceID = "secret-device"
	e.Location.Lat = 123.456
	err := e.Validate()
	if err == nil || strings.Contains(err.Error(), "123.456") {
		t.Fatalf("err = %v; want an error that does not echo the latitude", err)
	}
	fe := newFieldError("device_id", "secret-device", ErrInvalid)
	if fe.Value != "" || strings.Contains(fe.Error(), "secret") {
		t.Fatalf("device ID echoed: %v", fe)
	}
}

func TestApplyIsIdempotentForDuplicateIDs(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	e := tx("e1", t0, KindPurchase, "10.00", "Shop")
	mustApply(t, b, p, e)
	once := encoded(t, p)
	mustApply(t, b, p, e, e)
	if encoded(t, p) != once || p.Seq() != 1 {
		t.Fatalf("a duplicate changed the profile (seq %d)", p.Seq())
	}
	// A late duplicate of a recent event is still a no-op, not ErrLate.
	mustApply(t, b, p, tx("e2", t0.Add(time.Hour), KindPurchase, "5.00", "Shop"))
	if err := b.Apply(p, &e, t0.Add(time.Hour)); err != nil {
		t.Fatalf("late duplicate: %v, want nil", err)
	}
	if p.Seq() != 2 {
		t.Fatalf("seq = %d, want 2", p.Seq())
	}
}

func TestLateToleranceOrderingRule(t *testing.T) {
	b, err := NewBuilder(&Options{LateTolerance: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	p := New("c1")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mustApply(t, b, p, tx("e1", t0, KindPurchase, "10.00", "Shop"))
	within := tx("e2", t0.Add(-9*time.Minute), KindPurchase, "10.00", "Shop")
	if err := b.Apply(p, &within, t0); err != nil {
		t.Fatalf("event within tolerance: %v", err)
	}
	beyond := tx("e3", t0.Add(-11*time.Minute), KindPurchase, "10.00", "Shop")
	if err := b.Apply(p, &beyond, t0); !errors.Is(err, ErrLate) {
		t.Fatalf("event beyond tolerance: %v, want ErrLate", err)
	}
	if p.Watermark().Unix() != t0.Unix() || p.FirstSeen().Unix() != within.Time.Unix() {
		t.Fatalf("watermark %v first %v", p.Watermark(), p.FirstSeen())
	}
	if _, err := NewBuilder(&Options{LateTolerance: -time.Second}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative tolerance: %v", err)
	}
}

func TestEqualTimesAreInOrder(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	mustApply(t, b, p, tx("a", t0, KindPurchase, "1.00", "S"), tx("b", t0, KindPurchase, "2.00", "S"))
	if p.Seq() != 2 {
		t.Fatal("equal timestamps must both apply")
	}
}

func TestHashingKeepsNoRawIdentifiers(t *testing.T) {
	key := []byte("bank-secret-key-0123456789")
	b, err := NewBuilder(&Options{HashKey: key})
	if err != nil {
		t.Fatal(err)
	}
	p := New("c1")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	e := tx("e1", t0, KindPurchase, "10.00", "Shop")
	e.DeviceID = "DEVICE-7f3a9c"
	e.IP = netip.MustParseAddr("203.0.113.77")
	mustApply(t, b, p, e)
	bin, _ := p.MarshalBinary()
	js, _ := p.MarshalJSON()
	for _, raw := range []string{"DEVICE-7f3a9c", "203.0.113", "203.0.113.0/24"} {
		if strings.Contains(string(bin), raw) || strings.Contains(string(js), raw) {
			t.Fatalf("raw identifier %q kept with hashing on", raw)
		}
	}
	for _, s := range append(p.Devices(t0), p.Networks(t0)...) {
		if !strings.HasPrefix(s.Key, "h:") {
			t.Fatalf("view shows %q, want a hash", s.Key)
		}
	}
	next := tx("e2", t0.Add(time.Minute), KindPurchase, "10.00", "Shop")
	next.DeviceID, next.IP = e.DeviceID, netip.MustParseAddr("203.0.113.200")
	f := b.Familiarity(p, &next)
	if !f.Device.Known || !f.Network.Known {
		t.Fatalf("keyed profile does not recognise its device/network: %+v", f)
	}
	other, _ := NewBuilder(&Options{HashKey: []byte("another key")})
	if err := other.Apply(p, &next, next.Time); !errors.Is(err, ErrMismatch) {
		t.Fatalf("other key: %v, want ErrMismatch", err)
	}
	plain, _ := NewBuilder(nil)
	if err := plain.Apply(p, &next, next.Time); !errors.Is(err, ErrMismatch) {
		t.Fatalf("no key on a keyed profile: %v, want ErrMismatch", err)
	}
	// Without a key the raw values are kept for display.
	q := New("c1")
	mustApply(t, plain, q, e)
	if d := q.Devices(t0); len(d) != 1 || d[0].Key != "DEVICE-7f3a9c" {
		t.Fatalf("devices = %+v", d)
	}
	if n := q.Networks(t0); len(n) != 1 || n[0].Key != "203.0.113.0/24" {
		t.Fatalf("networks = %+v", n)
	}
}

func TestVelocityTodayAndStrongAuth(t *testing.T) {
	b, p := newTestProfile(t)
	// 23:30 and 23:50 Berlin on 2 March, then 00:10 on 3 March.
	t0 := time.Date(2026, 3, 2, 23, 30, 0, 0, berlin)
	a := tx("a", t0, KindPurchase, "10.00", "S")
	a.Auth = AuthOf(AuthPassword, AuthSMSOTP) // strong: resets the PSD2 counters
	c := tx("c", t0.Add(20*time.Minute), KindPurchase, "2.50", "S")
	d := tx("d", t0.Add(40*time.Minute), KindTransferOut, "100.00", "Anna")
	mustApply(t, b, p, a, c, d)
	v := p.Velocity(t0.Add(41 * time.Minute))
	if v.Count1h != 3 || !v.Sum1h.Equal(decimal.RequireFromString("112.5")) {
		t.Fatalf("1h: %d %v", v.Count1h, v.Sum1h)
	}
	if v.CountToday != 1 || !v.SumToday.Equal(decimal.RequireFromString("100")) {
		t.Fatalf("today (local midnight passed): %d %v", v.CountToday, v.SumToday)
	}
	if v.RemoteSinceStrongAuth != 2 || !v.SumSinceStrongAuth.Equal(decimal.RequireFromString("102.5")) {
		t.Fatalf("since SCA: %d %v", v.RemoteSinceStrongAuth, v.SumSinceStrongAuth)
	}
	if v.Count30d != 3 {
		t.Fatalf("30d: %d", v.Count30d)
	}
	later := p.Velocity(t0.Add(3 * time.Hour))
	if later.Count1h != 0 || later.Count24h != 3 {
		t.Fatalf("3h later: 1h %d 24h %d", later.Count1h, later.Count24h)
	}
	if n, _ := p.Today(t0.Add(48 * time.Hour)); n != 0 {
		t.Fatal("today must be empty two days later")
	}
}

func TestForeignCurrencyIsCountedNotSummed(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	e := tx("a", t0, KindPurchase, "1000", "Tokyo shop")
	e.Currency = "JPY"
	mustApply(t, b, p, e)
	v := p.Velocity(t0)
	if v.Count1h != 1 || !v.Sum1h.IsZero() {
		t.Fatalf("foreign purchase: count %d sum %v", v.Count1h, v.Sum1h)
	}
	if a := p.Activity(); a.Foreign != 1 {
		t.Fatalf("foreign = %d", a.Foreign)
	}
	if h := p.AmountHabit(KindPurchase); h.Count != 0 {
		t.Fatal("foreign amounts must not enter habits")
	}
}

func TestFamiliarityTravelSpeed(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	mustApply(t, b, p, tx("a", t0, KindPurchase, "10.00", "S"))
	far := tx("b", t0.Add(30*time.Minute), KindPurchase, "10.00", "S")
	far.Location = Location{Lat: 40.4168, Lon: -3.7038, HasCoords: true, Country: "ES"} // Madrid
	f := b.Familiarity(p, &far)
	if f.DistanceKm < 1800 || f.DistanceKm > 1900 {
		t.Fatalf("Berlin-Madrid = %.0f km", f.DistanceKm)
	}
	if f.SpeedKmh < 3500 {
		t.Fatalf("speed = %.0f km/h", f.SpeedKmh)
	}
	if f.Country.Known || f.TopCountry || f.Place.Known {
		t.Fatalf("Madrid must be new: %+v", f)
	}
	if !f.Device.Known || !f.Network.Known || !f.Counterparty.Known {
		t.Fatalf("device, network and payee are known: %+v", f)
	}
	if f.Habit.Count != 1 || math.Abs(f.LogAmount-math.Log(10)) > 1e-12 {
		t.Fatalf("habit %+v log %v", f.Habit, f.LogAmount)
	}
	if g := b.Familiarity(New("x"), &far); !g.Empty {
		t.Fatal("an empty profile knows nothing")
	}
}

func TestTopKIsCappedAndEvictsTheLightest(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, berlin)
	next := seq("e", 0)
	// A habitual device used daily, then 20 one-off devices.
	for d := 0; d < 30; d++ {
		mustApply(t, b, p, tx(next(), t0.AddDate(0, 0, d), KindPurchase, "5.00", "S"))
	}
	for i := 0; i < 20; i++ {
		e := tx(next(), t0.AddDate(0, 0, 30).Add(time.Duration(i)*time.Minute), KindPurchase, "5.00", "S")
		e.DeviceID = "burner-" + string(rune('a'+i))
		mustApply(t, b, p, e)
	}
	ds := p.Devices(t0.AddDate(0, 1, 0))
	if len(ds) != MaxDevices {
		t.Fatalf("%d devices kept, cap %d", len(ds), MaxDevices)
	}
	if ds[0].Key != "phone-1" || ds[0].Count != 30 {
		t.Fatalf("the habitual device must survive and rank first: %+v", ds[0])
	}
}

func TestForwardDecayRescalesWithoutOverflow(t *testing.T) {
	// A one-day half-life forces many landmark moves over 400 days.
	b, err := NewBuilder(&Options{HalfLife: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	p := richProfile(t, b, 400)
	now := p.Watermark()
	for _, s := range p.Devices(now) {
		if math.IsInf(s.Weight, 0) || math.IsNaN(s.Weight) || s.Weight < 0 {
			t.Fatalf("weight %v", s.Weight)
		}
	}
	// With a one-day half-life, a device used for the last 5 days outweighs
	// one used daily for the year before.
	next := seq("x", 0)
	q0 := New("c1")
	for d := 0; d < 370; d++ {
		e := tx(next(), time.Date(2025, 1, 1, 9, 0, 0, 0, berlin).AddDate(0, 0, d), KindPurchase, "3.00", "S")
		if d >= 365 {
			e.DeviceID = "new-phone"
		}
		mustApply(t, b, q0, e)
	}
	ds := q0.Devices(q0.Watermark())
	if len(ds) != 2 || ds[0].Key != "new-phone" || ds[0].Weight < 10*ds[1].Weight || ds[1].Count != 365 {
		t.Fatalf("devices = %+v", ds)
	}
	h := p.AmountHabit(KindPurchase)
	if math.IsNaN(h.MeanLog) || h.Typical <= 0 {
		t.Fatalf("habit = %+v", h)
	}
	var q Profile
	if err := q.UnmarshalBinary([]byte(encoded(t, p))); err != nil {
		t.Fatal(err)
	}
	var other Profile
	if err := other.UnmarshalBinary([]byte(encoded(t, p))); err != nil {
		t.Fatal(err)
	}
	def, _ := NewBuilder(nil)
	e := tx("z", now.Add(time.Hour), KindPurchase, "1.00", "S")
	if err := def.Apply(&other, &e, e.Time); !errors.Is(err, ErrMismatch) {
		t.Fatalf("another half-life: %v, want ErrMismatch", err)
	}
}

func TestSessionVelocity(t *testing.T) {
	b, p := newTestProfile(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)
	login := func(id string, at time.Time) Event {
		return Event{ID: id, CustomerID: "c1", Time: at, Type: TypeSession, Channel: ChannelApp, DeviceID: "phone-1"}
	}
	mustApply(t, b, p, tx("before", t0.Add(-time.Hour), KindPurchase, "5.00", "S"), login("s1", t0),
		tx("a", t0.Add(time.Minute), KindTransferOut, "100.00", "X"), tx("b", t0.Add(2*time.Minute), KindTransferOut, "250.50", "Y"))
	v := p.Velocity(t0.Add(3 * time.Minute))
	if v.CountSession != 2 || !v.SumSession.Equal(decimal.RequireFromString("350.5")) || !v.SessionStart.Equal(t0) {
		t.Fatalf("session velocity: %d %v since %v", v.CountSession, v.SumSession, v.SessionStart)
	}
	if c := p.VelocityCounts(t0.Add(3 * time.Minute)); c.CountSession != 2 {
		t.Fatalf("counts: %d", c.CountSession)
	}
	mustApply(t, b, p, login("s2", t0.Add(time.Hour)))
	if v := p.Velocity(t0.Add(time.Hour)); v.CountSession != 0 || !v.SumSession.IsZero() {
		t.Fatalf("a new session starts from zero: %d %v", v.CountSession, v.SumSession)
	}
}
