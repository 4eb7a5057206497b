package synth_test

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// population is shared by the tests that only read it: 300 customers over
// a year with raised fraud and hard-case shares so that every pattern and
// kind occurs many times.
var population = sync.OnceValues(func() ([]synth.Customer, error) {
	return synth.Generate(popConfig)
})

var popConfig = synth.Config{Seed: 42, Customers: 300, FraudShare: 0.3, HardCaseShare: 0.15}

func pop(t *testing.T) []synth.Customer {
	t.Helper()
	cs, err := population()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func csvBytes(t *testing.T, cs []synth.Customer) ([]byte, []byte) {
	t.Helper()
	var ev, cu bytes.Buffer
	if err := synth.WriteCSV(cs, &ev, &cu); err != nil {
		t.Fatal(err)
	}
	return ev.Bytes(), cu.Bytes()
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   synth.Config
		field string
	}{
		{"negative customers", synth.Config{Customers: -1}, "Customers"},
		{"too many customers", synth.Config{Customers: synth.MaxCustomers + 1}, "Customers"},
		{"negative months", synth.Config{Months: -1}, "Months"},
		{"too many months", synth.Config{Months: synth.MaxMonths + 1}, "Months"},
		{"unknown market", synth.Config{Market: 7}, "Market"},
		{"start too early", synth.Config{Start: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)}, "Start"},
		{"fraud share NaN", synth.Config{FraudShare: math.NaN()}, "FraudShare"},
		{"fraud share above 1", synth.Config{FraudShare: 1.5}, "FraudShare"},
		{"hard-case share NaN", synth.Config{HardCaseShare: math.NaN()}, "HardCaseShare"},
		{"unknown pattern", synth.Config{Patterns: []synth.Pattern{0}}, "Patterns"},
		{"pattern out of range", synth.Config{Patterns: []synth.Pattern{99}}, "Patterns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{
				func() error { _, err := synth.Generate(tc.cfg); return err }(),
				func() error { _, err := tc.cfg.Customer(0); return err }(),
			} {
				if !errors.Is(err, synth.ErrConfig) {
					t.Fatalf("err = %v, want ErrConfig", err)
				}
				var ce *synth.ConfigError
				if !errors.As(err, &ce) || ce.Field != tc.field {
					t.Fatalf("err = %v, want a ConfigError for %s", err, tc.field)
				}
			}
		})
	}
	if _, err := (synth.Config{}).Customer(-1); !errors.Is(err, synth.ErrConfig) {
		t.Errorf("Customer(-1) err = %v, want ErrConfig", err)
	}
	if _, err := synth.ParseMarket("mars"); !errors.Is(err, synth.ErrConfig) {
		t.Errorf("ParseMarket err = %v, want ErrConfig", err)
	}
}

func TestDefaults(t *testing.T) {
	c, err := synth.Config{}.Customer(3)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(1, 0, 0)
	if c.Currency != "CNY" || c.TimeZone != "Asia/Shanghai" || c.ID != "C0000003" {
		t.Errorf("customer = %s %s %s, want C0000003 CNY Asia/Shanghai", c.ID, c.Currency, c.TimeZone)
	}
	if len(c.Events) == 0 {
		t.Fatal("no events")
	}
	if f, l := c.Events[0].Time, c.Events[len(c.Events)-1].Time; f.Before(start) || !l.Before(end) {
		t.Errorf("events span %v to %v, want within %v to %v", f, l, start, end)
	}
	if _, off := c.Events[0].Time.Zone(); off != 8*3600 {
		t.Errorf("event offset %d, want +08:00", off)
	}
}

func TestDeterminism(t *testing.T) {
	cfg := synth.Config{Seed: 9, Customers: 40, Months: 3, FraudShare: 0.2}
	a, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := synth.Generate(cfg)
	ea, ca := csvBytes(t, a)
	eb, cb := csvBytes(t, b)
	if !bytes.Equal(ea, eb) || !bytes.Equal(ca, cb) {
		t.Fatal("same seed gave different CSV")
	}
	// Customer(i) alone gives the same customer as Generate.
	for _, i := range []int{0, 17, 39} {
		c, err := cfg.Customer(i)
		if err != nil {
			t.Fatal(err)
		}
		e1, c1 := csvBytes(t, []synth.Customer{c})
		e2, c2 := csvBytes(t, a[i:i+1])
		if !bytes.Equal(e1, e2) || !bytes.Equal(c1, c2) {
			t.Errorf("Customer(%d) differs from Generate()[%d]", i, i)
		}
	}
	cfg.Seed = 10
	d, _ := synth.Generate(cfg)
	if ed, _ := csvBytes(t, d); bytes.Equal(ea, ed) {
		t.Error("different seeds gave the same events")
	}
}

// The honest part of a customer's life does not depend on the fraud
// configuration: only the cloned-card pattern adds one genuine purchase.
func TestFraudDoesNotChangeHonestLife(t *testing.T) {
	key := func(e *profile.Event) string {
		return e.Time.String() + e.Type.String() + e.Kind.String() + e.Amount.String() + e.Counterparty + e.DeviceID
	}
	for i := range 30 {
		honest, err := synth.Config{Seed: 5, FraudShare: -1, Months: 4}.Customer(i)
		if err != nil {
			t.Fatal(err)
		}
		fraud, _ := synth.Config{Seed: 5, FraudShare: 1, Months: 4}.Customer(i)
		if len(fraud.Episodes) != 1 || len(honest.Episodes) != 0 {
			t.Fatalf("customer %d: %d and %d episodes, want 1 and 0", i, len(fraud.Episodes), len(honest.Episodes))
		}
		var want, got []string
		for k := range honest.Events {
			want = append(want, key(&honest.Events[k]))
		}
		for k := range fraud.Events {
			if fraud.Events[k].Label == profile.LabelLegit {
				got = append(got, key(&fraud.Events[k]))
			}
		}
		extra := 0
		if fraud.Episodes[0].Pattern == synth.PatternClonedCard {
			extra = 1
		}
		if len(got) != len(want)+extra {
			t.Errorf("customer %d (%v): %d genuine events with fraud, %d without", i, fraud.Episodes[0].Pattern, len(got), len(want))
			continue
		}
		slices.Sort(want)
		slices.Sort(got)
		missing := 0
		for _, w := range want {
			if _, ok := slices.BinarySearch(got, w); !ok {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("customer %d: %d honest events changed", i, missing)
		}
	}
}

func TestEventsValidSortedUnique(t *testing.T) {
	cs := pop(t)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	end := start.AddDate(1, 0, 0)
	ids := map[string]bool{}
	for _, c := range cs {
		if err := c.Customer.Validate(); err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		fraud := map[string]bool{}
		for _, ep := range c.Episodes {
			for _, id := range ep.EventIDs {
				fraud[id] = true
			}
		}
		for i := range c.Events {
			e := &c.Events[i]
			if err := e.Validate(); err != nil {
				t.Fatalf("%s event %d: %v", c.ID, i, err)
			}
			if e.CustomerID != c.ID {
				t.Fatalf("%s: event of %s", c.ID, e.CustomerID)
			}
			if ids[e.ID] {
				t.Fatalf("duplicate event ID %s", e.ID)
			}
			ids[e.ID] = true
			if i > 0 && (e.Time.Before(c.Events[i-1].Time) || e.ID <= c.Events[i-1].ID) {
				t.Fatalf("%s: events %d and %d out of order", c.ID, i-1, i)
			}
			if e.Time.Before(start) || !e.Time.Before(end) {
				t.Fatalf("%s: event at %v outside the period", c.ID, e.Time)
			}
			if want := map[bool]profile.Label{true: profile.LabelFraud, false: profile.LabelLegit}[fraud[e.ID]]; e.Label != want {
				t.Fatalf("%s: event %s label %v, want %v", c.ID, e.ID, e.Label, want)
			}
			if e.Type == profile.TypeTransaction && e.Currency != "CNY" {
				t.Fatalf("%s: currency %s", c.ID, e.Currency)
			}
		}
	}
}

func TestVolume(t *testing.T) {
	cs := pop(t)
	var n int
	perType := map[profile.EventType]int{}
	low, high := 0, 0
	for _, c := range cs {
		n += len(c.Events)
		m := float64(len(c.Events)) / 12
		if c.Customer.Joined.After(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
			continue
		}
		if m < 20 {
			low++
		}
		if m > 220 {
			high++
		}
		for i := range c.Events {
			perType[c.Events[i].Type]++
		}
	}
	mean := float64(n) / float64(len(cs)) / 12
	t.Logf("events per customer-month: %.1f; by type %v", mean, perType)
	if mean < 40 || mean > 120 {
		t.Errorf("mean events per customer-month %.1f, want 40-120", mean)
	}
	if low+high > len(cs)/10 {
		t.Errorf("%d customers below 20 and %d above 220 events a month", low, high)
	}
	for _, ty := range []profile.EventType{profile.TypeTransaction, profile.TypeSession, profile.TypeFeature} {
		if perType[ty] < n/10 {
			t.Errorf("%v: %d events of %d", ty, perType[ty], n)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	cs := pop(t)[:60]
	ev, cu := csvBytes(t, cs)
	events, err := profile.ReadEvents(bytes.NewReader(ev), nil)
	if err != nil {
		t.Fatal(err)
	}
	customers, err := profile.ReadCustomers(bytes.NewReader(cu), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := synth.Events(cs)
	if len(want) != len(events) {
		t.Fatalf("read %d events, wrote %d", len(events), len(want))
	}
	for i := range want {
		a, b := &want[i], &events[i]
		if a.ID != b.ID || a.CustomerID != b.CustomerID || !a.Time.Equal(b.Time) || a.Type != b.Type || a.Kind != b.Kind ||
			a.Direction != b.Direction || !a.Amount.Equal(b.Amount) || a.Currency != b.Currency || a.Channel != b.Channel ||
			a.Counterparty != b.Counterparty || a.MCC != b.MCC || a.DeviceID != b.DeviceID || a.IP != b.IP ||
			a.Location != b.Location || a.Auth != b.Auth || a.Feature != b.Feature || a.Label != b.Label {
			t.Fatalf("event %d differs after a CSV round trip:\nwrote %+v\nread  %+v", i, *a, *b)
		}
		if _, off := a.Time.Zone(); off != func() int { _, o := b.Time.Zone(); return o }() {
			t.Fatalf("event %d: offset changed", i)
		}
	}
	opts := cmp.Options{
		cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
		cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	}
	var wantC []profile.Customer
	for _, c := range cs {
		wantC = append(wantC, c.Customer)
	}
	if diff := cmp.Diff(wantC, customers, opts); diff != "" {
		t.Errorf("customers differ after a CSV round trip (-want +got):\n%s", diff)
	}
}

func TestEventsMerged(t *testing.T) {
	cs := pop(t)[:50]
	all := synth.Events(cs)
	n := 0
	for _, c := range cs {
		n += len(c.Events)
	}
	if len(all) != n {
		t.Fatalf("Events returned %d, want %d", len(all), n)
	}
	for i := 1; i < len(all); i++ {
		a, b := &all[i-1], &all[i]
		c := a.Time.Compare(b.Time)
		if c > 0 || c == 0 && (a.CustomerID > b.CustomerID || a.CustomerID == b.CustomerID && a.ID >= b.ID) {
			t.Fatalf("events %d and %d out of order", i-1, i)
		}
	}
	var ev, cu bytes.Buffer
	if err := synth.WriteCSV(nil, &ev, &cu); err != nil {
		t.Fatal(err)
	}
	if got := ev.String(); got != "event_id,customer_id,time,type,kind,direction,amount,currency,channel,counterparty,mcc,device_id,ip,lat,lon,country,auth,feature,label\n" {
		t.Errorf("empty events CSV = %q", got)
	}
}

func TestRates(t *testing.T) {
	cfg := synth.Config{Seed: 77, Customers: 1000, Months: 3, FraudShare: 0.5, HardCaseShare: 0.25}
	if testing.Short() {
		cfg.Customers = 400
	}
	cs, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pat := map[synth.Pattern]int{}
	hard := map[synth.HardCaseKind]int{}
	for _, c := range cs {
		if len(c.Episodes) > 1 {
			t.Fatalf("%s: %d episodes", c.ID, len(c.Episodes))
		}
		for _, ep := range c.Episodes {
			pat[ep.Pattern]++
			if len(ep.EventIDs) == 0 || ep.Debits == 0 || !ep.Amount.IsPositive() {
				t.Errorf("%s: %v episode with %d events, %d debits, amount %v", c.ID, ep.Pattern, len(ep.EventIDs), ep.Debits, ep.Amount)
			}
		}
		for _, h := range c.HardCases {
			hard[h.Kind]++
		}
	}
	// Each count is binomial; allow 4.5 standard deviations.
	check := func(name string, got int, p float64) {
		m := float64(len(cs)) * p
		sd := math.Sqrt(m * (1 - p))
		if math.Abs(float64(got)-m) > 4.5*sd {
			t.Errorf("%s: %d occurrences, want about %.0f ± %.0f", name, got, m, 4.5*sd)
		}
	}
	for _, p := range synth.AllPatterns() {
		check(p.String(), pat[p], cfg.FraudShare/5)
	}
	for _, k := range synth.AllHardCases() {
		check(k.String(), hard[k], cfg.HardCaseShare)
	}
	// Negative shares mean none; Patterns restricts the draw.
	cs, _ = synth.Generate(synth.Config{Seed: 1, Customers: 60, Months: 2, FraudShare: -1, HardCaseShare: -1})
	for _, c := range cs {
		if len(c.Episodes)+len(c.HardCases) > 0 {
			t.Fatalf("%s: episodes or hard cases with negative shares", c.ID)
		}
		for i := range c.Events {
			if c.Events[i].Label != profile.LabelLegit {
				t.Fatalf("%s: fraud label with FraudShare < 0", c.ID)
			}
		}
	}
	cs, _ = synth.Generate(synth.Config{Seed: 1, Customers: 30, Months: 2, FraudShare: 1, Patterns: []synth.Pattern{synth.PatternSIMSwap}})
	for _, c := range cs {
		if len(c.Episodes) != 1 || c.Episodes[0].Pattern != synth.PatternSIMSwap {
			t.Fatalf("%s: episodes %v, want one sim_swap", c.ID, c.Episodes)
		}
	}
}

func TestEUMarket(t *testing.T) {
	cs, err := synth.Generate(synth.Config{Seed: 3, Customers: 60, Months: 12, Market: synth.MarketEU})
	if err != nil {
		t.Fatal(err)
	}
	offsets := map[int]bool{}
	de, all := 0, 0
	for _, c := range cs {
		if c.Currency != "EUR" || c.TimeZone != "Europe/Berlin" {
			t.Fatalf("%s: %s %s", c.ID, c.Currency, c.TimeZone)
		}
		for i := range c.Events {
			e := &c.Events[i]
			if err := e.Validate(); err != nil {
				t.Fatal(err)
			}
			if e.Type == profile.TypeTransaction && e.Currency != "EUR" {
				t.Fatalf("currency %s", e.Currency)
			}
			_, off := e.Time.Zone()
			offsets[off] = true
			if e.Location.Country != "" {
				all++
				if e.Location.Country == "DE" {
					de++
				}
			}
		}
		if c.Stage == synth.StageRetired {
			state := false
			for _, s := range c.Income {
				if s.Counterparty == "Deutsche Rentenversicherung" {
					state = true
					if s.Day != 0 || s.Roll != synth.RollPreceding {
						t.Errorf("%s: state pension on day %d roll %v, want the last business day", c.ID, s.Day, s.Roll)
					}
				}
			}
			if !state {
				t.Errorf("%s: retired without a state pension", c.ID)
			}
		}
	}
	if !offsets[3600] || !offsets[7200] || len(offsets) != 2 {
		t.Errorf("offsets %v, want CET and CEST", offsets)
	}
	if float64(de) < 0.9*float64(all) {
		t.Errorf("%d of %d located events in DE", de, all)
	}
}
