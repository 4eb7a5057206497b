package risk

import (
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/profile"
)

var (
	fuzzOnce sync.Once
	fuzzFix  *fixture
)

// sharedFixture builds the fixture once per process: fuzz targets must
// not pay for 60 days of events per input.
func sharedFixture(t testing.TB) *fixture {
	fuzzOnce.Do(func() { fuzzFix = newFixture(t) })
	return fuzzFix
}

// FuzzLoadRules feeds arbitrary bytes to the rule-set loader: errors are
// fine, panics are not; a set that loads must survive a JSON round trip
// and evaluate without panicking.
func FuzzLoadRules(f *testing.F) {
	f.Add([]byte(`{"version":"1","rules":[{"name":"a","expr":"Txn.Amount > 5000.10 && Txn.Kind == \"transfer_out\"","action":"hold"}]}`))
	f.Add([]byte(`{"version":"2","rules":[{"name":"b","expr":"Signals.Codes[\"habit.new_device\"] || Profile.DTI > 0.4","weight":0.3,"shadow":true}]}`))
	f.Add([]byte(`{"version":"3","rules":[{"name":"c","expr":"Txn.Amount >","action":"decline"}]}`))
	f.Add([]byte(`{"version":"4","rules":[{"name":"d","expr":"[1][Velocity.Count1h + 2] > 0","action":"step_up","level":3}]}`))
	fix := sharedFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRules(data)
		if err != nil {
			if !errors.Is(err, ErrRules) {
				t.Fatalf("error %v is not ErrRules", err)
			}
			return
		}
		set, err := ParseRuleSet(data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		rs2, err := LoadRules(b)
		if err != nil || rs2.Len() != rs.Len() || rs2.Version() != rs.Version() {
			t.Fatalf("round trip: %v (%d rules, version %q)", err, rs2.Len(), rs2.Version())
		}
		e := engine(t, nil)
		if err := e.SetRules(rs); err != nil {
			return // a level the scheme lacks
		}
		ev := fix.usual()
		d, err := e.Decide(bg, fix.now, fix.p, &ev)
		if err != nil {
			t.Fatal(err)
		}
		checkDecision(t, d, &ev)
	})
}

// FuzzCompileRule compiles arbitrary rule text, the analyst's input, and
// runs what compiles.
func FuzzCompileRule(f *testing.F) {
	for _, s := range []string{
		`Txn.Amount > 5000.10`, `Txn.Amount - 0.1 == money("0.2")`, `Habit.AmountZ > 3 && !Habit.DeviceKnown`,
		`Profile.Spend["groceries"] > 100`, `Txn.Auth contains "sms"`, `len(Txn.Counterparty) > 40`,
		`Velocity.Sum24h + Txn.Amount > 20000`, `now() > 0`, `Txn.Amount >`, "Txn.Amount > 1 &&\n\tTxn.Kind == 'x'",
		`1 % (Velocity.Count1h - Velocity.Count1h) == 0`, `$env["Profile"].DTI > 0.1`,
	} {
		f.Add(s)
	}
	fix := sharedFixture(f)
	f.Fuzz(func(t *testing.T, src string) {
		rs, err := Compile(RuleSet{Version: "fuzz", Rules: []Rule{{Name: "r", Expr: src, Action: Review}}})
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) || re.Rule != "r" {
				t.Fatalf("compile error %v does not name the rule", err)
			}
			return
		}
		e := engine(t, &Config{Rules: rs})
		ev := fix.usual()
		d, err := e.Decide(bg, fix.now, fix.p, &ev)
		if err != nil {
			t.Fatal(err)
		}
		checkDecision(t, d, &ev)
		if d.Action == Allow && (hasCode(d, "rule.r") || hasCode(d, "rule_error.r")) {
			t.Fatalf("a firing or failing review rule allowed the payment: %v", d.Reasons)
		}
	})
}

// FuzzDecide builds payments from arbitrary fields and decides them
// against a customer with history and against a new customer.
func FuzzDecide(f *testing.F) {
	f.Add("41.20", "CNY", uint8(1), uint8(1), uint16(1<<profile.AuthBiometric), "phone-1", "10.1.2.3", "CN", 31.2, 121.4, true, "Luckin Coffee", int64(0))
	f.Add("9999", "CNY", uint8(2), uint8(2), uint16(1), "x", "203.0.113.9", "NG", 0.0, 0.0, false, "Zhang Wei", int64(-60))
	f.Add("3200", "CNY", uint8(1), uint8(5), uint16(0), "", "", "FR", 48.85, 2.35, true, "Paris Electronics", int64(0))
	f.Add("0", "XYZ", uint8(3), uint8(9), uint16(65535), "", "::1", "fr", 91.0, 0.0, true, "", int64(600))
	f.Add("0.001", "JPY", uint8(6), uint8(4), uint16(3), "d", "1.2.3.4", "JP", -33.9, 151.2, true, "ATM", int64(-86400*30))
	fix := sharedFixture(f)
	e := engine(f, nil)
	f.Fuzz(func(t *testing.T, amount, currency string, kind, channel uint8, auth uint16, device, ip, country string,
		lat, lon float64, coords bool, counterparty string, offset int64) {
		amt, err := decimal.NewFromString(amount)
		if err != nil {
			return
		}
		ev := profile.Event{ID: "fz", CustomerID: "c1", Time: fix.now.Add(time.Duration(offset%(1<<40)) * time.Second),
			Type: profile.TypeTransaction, Kind: profile.Kind(kind), Direction: profile.Kind(kind).Direction(),
			Amount: amt, Currency: currency, Channel: profile.Channel(channel), Auth: profile.Auth(auth),
			DeviceID: device, Counterparty: counterparty,
			Location: profile.Location{Lat: lat, Lon: lon, HasCoords: coords, Country: country}}
		if ev.Direction == 0 {
			ev.Direction = profile.Debit
		}
		if a, err := netip.ParseAddr(ip); err == nil {
			ev.IP = a
		}
		for _, p := range []*profile.Profile{fix.p, nil} {
			d, err := e.Decide(bg, fix.now, p, &ev)
			if err != nil {
				if !errors.Is(err, ErrInput) {
					t.Fatalf("error %v is not ErrInput", err)
				}
				continue
			}
			checkDecision(t, d, &ev)
			d2, err := e.Decide(bg, fix.now, p, &ev)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(d, d2); diff != "" {
				t.Fatalf("not deterministic:\n%s", diff)
			}
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back Decision
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(d, back); diff != "" {
				t.Fatalf("JSON round trip:\n%s", diff)
			}
		}
	})
}

// checkDecision checks the invariants of every decision.
func checkDecision(t *testing.T, d Decision, ev *profile.Event) {
	t.Helper()
	if d.Action < Allow || d.Action > Decline {
		t.Fatalf("action %d", d.Action)
	}
	for _, x := range []float64{d.Score, d.Habit} {
		if math.IsNaN(x) || x < 0 || x > 1 {
			t.Fatalf("score %v habit %v", d.Score, d.Habit)
		}
	}
	if d.Allowed.Sign() < 0 || d.Allowed.GreaterThan(ev.Amount) || (d.Action == Allow) != d.Allowed.Equal(ev.Amount) {
		t.Fatalf("%v with amount allowed %v of %v", d.Action, d.Allowed, ev.Amount)
	}
	if d.Level < 0 || d.Level > 3 || d.LevelName == "invalid" {
		t.Fatalf("level %d %q", d.Level, d.LevelName)
	}
	for _, s := range d.Signals {
		if math.IsNaN(s.Weight) || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || s.Weight < 0 || s.Weight > 1 {
			t.Fatalf("signal %+v", s)
		}
	}
}
