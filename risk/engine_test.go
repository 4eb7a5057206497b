package risk

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/suanpan-dev/suanpan/profile"
)

func TestUsualPaymentIsAllowed(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	d := decide(t, e, f.now, f.p, f.usual())
	if d.Action != Allow || d.Level != 0 || !d.Allowed.Equal(dec("41.20")) {
		t.Fatalf("usual payment: %+v", d)
	}
	if d.Score >= 0.3 || d.Habit < 0.7 {
		t.Errorf("score %v habit %v, want low risk and high consistency", d.Score, d.Habit)
	}
	if d.ProfileSeq != f.p.Seq() || d.PolicyVersion != DefaultPolicyVersion || d.RulesVersion != "" {
		t.Errorf("versions: %+v", d)
	}
}

func TestTakeoverFromNewDeviceAbroad(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	ev := f.txn(f.now, profile.KindTransferOut, "9999", "Zhang Wei")
	ev.DeviceID, ev.IP = "attacker", netip.MustParseAddr("203.0.113.9")
	ev.Location = profile.Location{Country: "NG"}
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP) // phished one-time code: AAL2
	d := decide(t, e, f.now, f.p, ev)
	if d.Action == Allow {
		t.Fatalf("takeover allowed: %+v", d)
	}
	for _, c := range []string{CodeNewDevice, CodeNewNetwork, CodeNewCountry, CodeNewPayee, CodeUnusualAmount} {
		if !hasCode(d, c) {
			t.Errorf("reasons %v lack %s", d.Reasons, c)
		}
	}
	if d.Presented != 2 || d.Score < 0.85 {
		t.Errorf("presented %d score %v", d.Presented, d.Score)
	}
	if d.Action != Review { // a severe transfer waits for an analyst
		t.Errorf("action %v, want review", d.Action)
	}
	if !d.Allowed.IsZero() {
		t.Errorf("allowed %v, want 0", d.Allowed)
	}
}

func TestStepUpIsSatisfiedByStrongerAuth(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	// A device never seen: one strong signal, a step-up to two factors.
	ev := f.txn(f.now, profile.KindPurchase, "40", "New Shop")
	ev.DeviceID = "new-phone"
	ev.Auth = profile.AuthOf(profile.AuthBiometric)
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != StepUp || d.Level != 2 || d.LevelName != "AAL2" {
		t.Fatalf("new device: %v level %d (%v)", d.Action, d.Level, d.Reasons)
	}
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
	d = decide(t, e, f.now, f.p, ev)
	if d.Action != Allow || d.Level != 2 || !hasCode(d, CodeAuthSatisfied) {
		t.Fatalf("with two factors: %v level %d (%v)", d.Action, d.Level, d.Reasons)
	}
}

func TestDeviceMaturesOverAWeek(t *testing.T) {
	e := engine(t, nil)
	var last float64 = 2
	for _, age := range []time.Duration{0, 24 * time.Hour, 3 * 24 * time.Hour, 8 * 24 * time.Hour} {
		g := newFixture(t)
		s := g.session(g.now)
		s.DeviceID = "new-phone"
		g.apply(t, s)
		ev := g.usual()
		ev.DeviceID = "new-phone"
		ev.Time = ev.Time.Add(age)
		d := decide(t, e, ev.Time, g.p, ev)
		w := 0.0
		if s, ok := signal(d, CodeNewDevice); ok {
			w = s.Weight
		}
		if w >= last {
			t.Errorf("age %v: device weight %v not below %v", age, w, last)
		}
		last = w
	}
	if last != 0 {
		t.Errorf("device seen 8 days ago still novel (%v)", last)
	}
}

func TestImpossibleTravel(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	// A genuine card purchase in Shanghai, then a card without chip in
	// Paris two hours later.
	pos := f.txn(f.now.Add(-2*time.Hour), profile.KindPurchase, "50", "Canteen")
	pos.Channel, pos.DeviceID, pos.IP, pos.Auth = profile.ChannelPOS, "", netip.Addr{}, profile.AuthOf(profile.AuthCardChip)
	f.apply(t, pos)
	ev := f.txn(f.now, profile.KindPurchase, "3200", "Paris Electronics")
	ev.Channel, ev.DeviceID, ev.IP = profile.ChannelPOS, "", netip.Addr{}
	ev.Location = profile.Location{Lat: paLat, Lon: paLon, HasCoords: true, Country: "FR"}
	d := decide(t, e, f.now, f.p, ev)
	s, ok := signal(d, CodeImpossibleTravel)
	if !ok || s.Value < 1000 {
		t.Fatalf("no impossible travel: %v", d.Reasons)
	}
	if d.Action != Decline || !hasCode(d, CodeChannelCannot) {
		t.Errorf("card without chip far away: %v %v", d.Action, d.Reasons)
	}
}

func TestTravelWithOwnPhoneIsCorroborated(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	// A flight to Paris (12 hours), a login on the usual phone on arrival,
	// then a card purchase with chip and PIN nearby.
	arrive := f.now.Add(-time.Hour)
	s := f.session(arrive)
	s.IP = netip.MustParseAddr("198.51.100.7")
	s.Location = profile.Location{Lat: paLat, Lon: paLon, HasCoords: true, Country: "FR"}
	f.apply(t, s)
	ev := f.txn(f.now, profile.KindPurchase, "45", "Cafe de Flore")
	ev.Channel, ev.DeviceID, ev.IP = profile.ChannelPOS, "", netip.Addr{}
	ev.Location = profile.Location{Lat: paLat + 0.01, Lon: paLon, HasCoords: true, Country: "FR"}
	ev.Auth = profile.AuthOf(profile.AuthCardChip)
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != Allow {
		t.Fatalf("traveller with own phone: %v %v", d.Action, d.Reasons)
	}
	if s, ok := signal(d, CodeNewCountry); !ok || s.Weight > 0.25 {
		t.Errorf("new country not halved by corroboration: %+v", d.Signals)
	}
}

func TestCoolingOffHoldsUnusualAmountToNewPayee(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	ev := f.txn(f.now, profile.KindTransferOut, "20000", "Safe Account Services")
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP) // the customer authenticates: it is a scam
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != Hold || !hasCode(d, CodeCoolingOff) {
		t.Fatalf("scam transfer: %v %v", d.Action, d.Reasons)
	}
	if !d.Allowed.IsPositive() || !d.Allowed.LessThan(ev.Amount) || d.Allowed.Exponent() < -2 {
		t.Errorf("amount allowed %v, want a lower amount in fen", d.Allowed)
	}
	// The lower amount itself is not held.
	ev.Amount = d.Allowed
	if d2 := decide(t, e, f.now, f.p, ev); d2.Action != Allow {
		t.Errorf("the amount allowed (%v) is not allowed: %v %v", ev.Amount, d2.Action, d2.Reasons)
	}
	// The same amount to Mum: the habit knows her.
	ev.Amount, ev.Counterparty = dec("20000"), "Mum"
	if d := decide(t, e, f.now, f.p, ev); d.Action == Hold {
		t.Errorf("large transfer to a known payee held: %v", d.Reasons)
	}
	// Off by policy.
	e2 := engine(t, &Config{Policy: Policy{NoCoolingOff: true}})
	ev.Counterparty = "Safe Account Services"
	if d := decide(t, e2, f.now, f.p, ev); d.Action == Hold {
		t.Errorf("cooling-off off but held: %v", d.Reasons)
	}
}

func TestNewCustomerPolicy(t *testing.T) {
	e := engine(t, nil)
	ev := profile.Event{ID: "x1", CustomerID: "new", Time: start, Type: profile.TypeTransaction,
		Kind: profile.KindPurchase, Direction: profile.Debit, Amount: dec("10"), Currency: "EUR",
		Channel: profile.ChannelWeb, Auth: profile.AuthOf(profile.AuthPassword)}
	for _, p := range []*profile.Profile{nil, profile.New("new")} {
		d := decide(t, e, start, p, ev)
		if d.Action != StepUp || d.Level != 2 || !d.NewCustomer || !hasCode(d, CodeNewCustomer) || d.ProfileSeq != 0 {
			t.Errorf("new customer (profile %v): %+v", p != nil, d)
		}
	}
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthPush)
	if d := decide(t, e, start, nil, ev); d.Action != Allow {
		t.Errorf("new customer with two factors: %v %v", d.Action, d.Reasons)
	}
	e = engine(t, &Config{Policy: Policy{NewCustomerRisk: -1}})
	ev.Auth = profile.AuthOf(profile.AuthPassword)
	if d := decide(t, e, start, nil, ev); d.Action != Allow {
		t.Errorf("no new-customer floor: %v %v", d.Action, d.Reasons)
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	good := f.usual()
	cases := []struct {
		name  string
		mod   func(ev *profile.Event)
		now   time.Time
		p     *profile.Profile
		field string
		is    []error
	}{
		{"unknown currency", func(ev *profile.Event) { ev.Currency = "XYZ" }, f.now, f.p, "currency", []error{ErrInput, profile.ErrUnknownCurrency}},
		{"zero amount", func(ev *profile.Event) { ev.Amount = dec("0") }, f.now, f.p, "amount", []error{ErrInput, profile.ErrInvalid}},
		{"negative amount", func(ev *profile.Event) { ev.Amount = dec("-5") }, f.now, f.p, "amount", []error{ErrInput, profile.ErrInvalid}},
		{"sub-minor amount", func(ev *profile.Event) { ev.Amount = dec("1.001") }, f.now, f.p, "amount", []error{ErrInput, profile.ErrInvalid}},
		{"session", func(ev *profile.Event) {
			*ev = f.session(ev.Time)
		}, f.now, f.p, "type", []error{ErrInput, ErrUnsupported}},
		{"credit", func(ev *profile.Event) { ev.Kind, ev.Direction = profile.KindRefund, profile.Credit }, f.now, f.p, "direction", []error{ErrInput, ErrUnsupported}},
		{"other customer", func(ev *profile.Event) { ev.CustomerID = "c2" }, f.now, f.p, "customer_id", []error{ErrInput, profile.ErrWrongCustomer}},
		{"future", func(ev *profile.Event) { ev.Time = ev.Time.Add(time.Hour) }, f.now, f.p, "time", []error{ErrInput, profile.ErrFuture}},
		{"zero now", func(*profile.Event) {}, time.Time{}, f.p, "now", []error{ErrInput}},
		{"no id", func(ev *profile.Event) { ev.ID = "" }, f.now, f.p, "event_id", []error{ErrInput, profile.ErrMissing}},
		{"bad latitude", func(ev *profile.Event) { ev.Location.Lat = 91 }, f.now, f.p, "lat", []error{ErrInput, profile.ErrInvalid}},
	}
	for _, c := range cases {
		ev := good
		c.mod(&ev)
		d, err := e.Decide(bg, c.now, c.p, &ev)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != c.field {
			t.Errorf("%s: err %v, want *InputError on %q", c.name, err, c.field)
			continue
		}
		for _, s := range c.is {
			if !errors.Is(err, s) {
				t.Errorf("%s: %v is not %v", c.name, err, s)
			}
		}
		if d.Action != 0 {
			t.Errorf("%s: a decision came with the error", c.name)
		}
	}
	if _, err := e.Decide(bg, f.now, f.p, nil); !errors.Is(err, ErrInput) {
		t.Errorf("nil event: %v", err)
	}
	//lint:ignore SA1012 nil context is bad input under test
	if _, err := e.Decide(nil, f.now, f.p, &good); !errors.Is(err, ErrInput) { //nolint:staticcheck
		t.Errorf("nil ctx: %v", err)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := e.Decide(ctx, f.now, f.p, &good); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
	// The sensitive amount is not echoed.
	ev := good
	ev.Amount = dec("-123456.78")
	if _, err := e.Decide(bg, f.now, f.p, &ev); err == nil || strings.Contains(err.Error(), "123456") {
		t.Errorf("error echoes the amount: %v", err)
	}
}

func TestReplayIsIdentical(t *testing.T) {
	f := newFixture(t)
	set := RuleSet{Version: "v1", Rules: []Rule{
		{Name: "big_new_payee", Expr: `Txn.Kind == "transfer_out" && Txn.Amount > 5000 && !Habit.CounterpartyKnown`, Action: Review},
		{Name: "dti", Expr: `Profile.Transactions > 10 && Signals.Codes["habit.new_device"]`, Weight: 0.2},
		{Name: "watch", Expr: `Txn.Amount >= 100`, Action: Decline, Shadow: true},
	}}
	rs, err := Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Rules: rs})
	evs := []profile.Event{f.usual(), f.txn(f.now, profile.KindTransferOut, "8000", "Stranger")}
	evs[1].DeviceID = "other"
	for _, ev := range evs {
		d1 := decide(t, e, f.now, f.p, ev)
		d2 := decide(t, e, f.now, f.p, ev)
		if diff := cmp.Diff(d1, d2); diff != "" {
			t.Fatalf("replay differs (-first +second):\n%s", diff)
		}
		b, err := json.Marshal(d1)
		if err != nil {
			t.Fatal(err)
		}
		var back Decision
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d1, back); diff != "" {
			t.Fatalf("JSON round trip differs (-decided +decoded):\n%s", diff)
		}
		b2, _ := json.Marshal(back)
		if string(b) != string(b2) {
			t.Errorf("re-encoding differs:\n%s\n%s", b, b2)
		}
	}
	d := decide(t, e, f.now, f.p, evs[1])
	if d.Action != Review || !hasCode(d, "rule.big_new_payee") || !hasCode(d, "rule.dti") || d.RulesVersion != "v1" {
		t.Errorf("rules: %v %v", d.Action, d.Reasons)
	}
	if s, ok := signal(d, "rule.watch"); !ok || !s.Shadow || hasCode(d, "rule.watch") {
		t.Errorf("shadow rule: %+v", d.Signals)
	}
}

func TestShadowRulesAreNeverEnforced(t *testing.T) {
	f := newFixture(t)
	rs, err := Compile(RuleSet{Version: "s", Rules: []Rule{
		{Name: "all", Expr: `true`, Action: Decline, Weight: 1, Shadow: true},
		{Name: "broken", Expr: `[1, 2][Velocity.Count1h + 5] > 0`, Action: Decline, Shadow: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Rules: rs})
	d := decide(t, e, f.now, f.p, f.usual())
	if d.Action != Allow || d.Score >= 0.3 {
		t.Fatalf("shadow rules enforced: %v %v", d.Action, d.Reasons)
	}
	s1, ok1 := signal(d, "rule.all")
	s2, ok2 := signal(d, "rule_error.broken")
	if !ok1 || !s1.Shadow || !ok2 || !s2.Shadow || s2.Error == "" {
		t.Errorf("shadow signals not recorded: %+v", d.Signals)
	}
}

func TestRuntimeErrorFailsSafe(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		rule Rule
		want Action
	}{
		{Rule{Name: "oob", Expr: `[1, 2][Velocity.Count1h + 5] > 0`, Action: Decline}, Decline}, // fails closed: counts as fired
		{Rule{Name: "oob", Expr: `[1, 2][Velocity.Count1h + 5] > 0`, Weight: 0.1}, StepUp},      // never a silent allow
	} {
		rs, err := Compile(RuleSet{Version: "e", Rules: []Rule{c.rule}})
		if err != nil {
			t.Fatal(err)
		}
		e := engine(t, &Config{Rules: rs})
		d := decide(t, e, f.now, f.p, f.usual())
		if d.Action != c.want || !hasCode(d, "rule_error.oob") || !hasCode(d, CodeFailSafe) {
			t.Errorf("%+v: %v %v", c.rule, d.Action, d.Reasons)
		}
		if s, _ := signal(d, "rule_error.oob"); s.Error == "" {
			t.Errorf("error text not recorded")
		}
	}
	// OnError chooses the fail-safe.
	rs, _ := Compile(RuleSet{Version: "e", Rules: []Rule{{Name: "oob", Expr: `[1][Velocity.Count1h + 3] > 0`}}})
	e := engine(t, &Config{Rules: rs, Policy: Policy{OnError: Review}})
	if d := decide(t, e, f.now, f.p, f.usual()); d.Action != Review {
		t.Errorf("OnError review: %v", d.Action)
	}
}

func TestRulesSeeProfileOnlyWhenNamed(t *testing.T) {
	f := newFixture(t)
	rs, err := Compile(RuleSet{Version: "p", Rules: []Rule{
		{Name: "history", Expr: `Profile.Transactions > 100 && Profile.Sessions == 60`, Action: Review},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rs.profile != profile.FeatureActivity {
		t.Fatalf("groups %b, want only the activity group", rs.profile)
	}
	e := engine(t, &Config{Rules: rs})
	if d := decide(t, e, f.now, f.p, f.usual()); d.Action != Review {
		t.Errorf("rule on Profile did not fire: %v", d.Reasons)
	}
	for src, want := range map[string]profile.FeatureGroup{
		`Profile.DTI > 0.4`:                                profile.FeatureFinancial,
		`Txn.Counterparty == "Profile"`:                    0,
		`$env["Profile"].DTI > 0`:                          profile.AllFeatures,
		"Txn.Kind == `Profile` || Profile.Bills > 2":       profile.FeatureBills,
		`Profile.Sum24h > 500 && Profile.Spend.Travel > 0`: profile.FeatureVelocity | profile.FeatureSpend,
	} {
		rs, err := Compile(RuleSet{Version: "g", Rules: []Rule{{Name: "r", Expr: src, Action: Review}}})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if rs.profile != want {
			t.Errorf("%s: groups %b, want %b", src, rs.profile, want)
		}
	}
}

func TestCompileErrorsNameRuleAndPosition(t *testing.T) {
	cases := []struct {
		set        RuleSet
		rule       string
		line, col  int
		wantColumn bool
	}{
		{RuleSet{Version: "1", Rules: []Rule{{Name: "ok", Expr: "true"}, {Name: "typo", Expr: "Txn.Amont > 5"}}}, "typo", 1, 5, true},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "two_lines", Expr: "Txn.Amount > 5 &&\n  Txn.Kind +"}}}, "two_lines", 2, 0, true},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "not_bool", Expr: "Txn.Amount"}}}, "not_bool", 1, 0, true},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "clock", Expr: "now() > 0"}}}, "clock", 1, 0, true},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "a", Expr: "true"}, {Name: "a", Expr: "false"}}}, "a", 0, 0, false},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "Bad Name", Expr: "true"}}}, "Bad Name", 0, 0, false},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "allow", Expr: "true", Action: Allow}}}, "allow", 0, 0, false},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "lvl", Expr: "true", Action: Hold, Level: 2}}}, "lvl", 0, 0, false},
		{RuleSet{Version: "1", Rules: []Rule{{Name: "w", Expr: "true", Weight: 1.5}}}, "w", 0, 0, false},
		{RuleSet{Version: "", Rules: nil}, "", 0, 0, false},
	}
	for i, c := range cases {
		_, err := Compile(c.set)
		var re *RuleError
		if !errors.As(err, &re) || !errors.Is(err, ErrRules) {
			t.Errorf("%d: err %v, want *RuleError", i, err)
			continue
		}
		if re.Rule != c.rule || re.Line != c.line || (c.col != 0 && re.Column != c.col) || (c.wantColumn && re.Column < 1) {
			t.Errorf("%d: %v (rule %q line %d col %d)", i, err, re.Rule, re.Line, re.Column)
		}
	}
	// A level the scheme does not have is refused when installed.
	rs, err := Compile(RuleSet{Version: "1", Rules: []Rule{{Name: "l5", Expr: "true", Action: StepUp, Level: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, nil)
	if err := e.SetRules(rs); !errors.Is(err, ErrRules) {
		t.Errorf("level 5 accepted: %v", err)
	}
	if _, err := New(&Config{Rules: rs}); !errors.Is(err, ErrRules) {
		t.Errorf("New accepted level 5: %v", err)
	}
}

func TestParseRuleSet(t *testing.T) {
	rs, err := LoadRules([]byte(`{"version": "2025-06-01", "rules": [
		{"name": "large_new_payee", "expr": "Txn.Kind == \"transfer_out\" && Txn.Amount > 50000 && !Habit.CounterpartyKnown", "action": "hold"},
		{"name": "night", "expr": "Txn.Hour < 5", "weight": 0.2, "shadow": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if rs.Version() != "2025-06-01" || rs.Len() != 2 || rs.rules[0].Action != Hold || !rs.rules[1].Shadow {
		t.Errorf("parsed %+v", rs)
	}
	for _, bad := range []string{
		`{"version": "1", "rules": [{"name": "a", "expr": "true", "shadw": true}]}`, // misspelt field
		`{"version": "1", "rules": [{"name": "a", "expr": "true", "action": "allow-ish"}]}`,
		`{"version": "1"} {"version": "2"}`,
		`[`,
	} {
		if _, err := LoadRules([]byte(bad)); !errors.Is(err, ErrRules) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestLevels(t *testing.T) {
	nist, pboc := NIST80063B(), PBOC2015()
	cases := []struct {
		auth       profile.Auth
		nist, pboc int
	}{
		{0, 0, 0},
		{profile.AuthOf(profile.AuthPassword), 1, 1},
		{profile.AuthOf(profile.AuthBiometric), 1, 1},
		{profile.AuthOf(profile.AuthPassword, profile.AuthPIN), 1, 1}, // one factor type twice
		{profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP), 2, 2},
		{profile.AuthOf(profile.AuthCardChip, profile.AuthPIN), 2, 2},
		{profile.AuthOf(profile.AuthPassword, profile.AuthUKey), 3, 3},
		{profile.AuthOf(profile.AuthPassword, profile.AuthCertificate), 2, 3},
		{profile.AuthOf(profile.AuthUKey), 1, 1},
	}
	for _, c := range cases {
		if n, p := nist.Of(c.auth), pboc.Of(c.auth); n != c.nist || p != c.pboc {
			t.Errorf("%q: NIST %d PBOC %d, want %d %d", c.auth, n, p, c.nist, c.pboc)
		}
	}
	if nist.LevelName(3) != "AAL3" || pboc.LevelName(2) != "B" || nist.LevelName(0) != "none" || nist.LevelName(9) != "invalid" {
		t.Error("level names")
	}
	for _, bad := range []AuthLevels{
		{}, {Levels: []Level{{Name: ""}}}, {Levels: []Level{{Name: "a"}, {Name: "a"}}},
		{Levels: []Level{{Name: "a", MinFactors: 4}}}, {Levels: []Level{{Name: "a", AnyOf: 1 << 14}}},
	} {
		if _, err := New(&Config{Policy: Policy{Levels: &bad}}); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v accepted: %v", bad, err)
		}
	}
}

func TestDeviceBinding(t *testing.T) {
	f := newFixture(t)
	ev := f.txn(f.now, profile.KindTransferOut, "500", "Mum")
	ev.Auth = profile.AuthOf(profile.AuthBiometric)
	e := engine(t, &Config{Policy: Policy{DeviceBinding: true}})
	if d := decide(t, e, f.now, f.p, ev); d.Presented != 2 {
		t.Errorf("biometrics on an established phone: level %d, want 2", d.Presented)
	}
	ev.DeviceID = "unknown"
	if d := decide(t, e, f.now, f.p, ev); d.Presented != 1 {
		t.Errorf("biometrics on a new device: level %d, want 1", d.Presented)
	}
}

func TestActionText(t *testing.T) {
	for _, a := range Actions() {
		b, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Action
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%v: %v %v", a, back, err)
		}
	}
	want := []string{"allow", "step_up", "hold", "review", "decline"}
	for i, a := range Actions() {
		if a.String() != want[i] {
			t.Errorf("%d: %q", i, a)
		}
	}
	if _, err := ParseAction("block"); !errors.Is(err, ErrInput) {
		t.Error("unknown action parsed")
	}
	if _, err := Action(9).MarshalText(); err == nil {
		t.Error("action 9 marshalled")
	}
}

func TestConfigErrors(t *testing.T) {
	for i, c := range []Config{
		{Policy: Policy{StepUpAt: 0.7}},
		{Policy: Policy{SevereAt: 1.5}},
		{Policy: Policy{StepUpLevel: 4}},
		{Policy: Policy{HighLevel: 1}},
		{Policy: Policy{OnError: Allow}},
		{Policy: Policy{ChannelMaxLevel: [profile.NumChannels]int{profile.ChannelPOS: 7}}},
		{Policy: Policy{PSD2: &PSD2{CardFraudRate: -1}}},
		{Weights: Weights{NewDevice: 2}},
		{Habit: HabitOptions{FastKmh: 2000}},
		{Habit: HabitOptions{AmountZ: 6}},
		{Habit: HabitOptions{MatureAfter: -time.Hour}},
		{Velocity: VelocityOptions{Tail: 2}},
		{Limits: []Limits{{Currency: "XYZ"}}},
		{Limits: []Limits{{Currency: "CNY"}, {Currency: "CNY"}}},
		{Limits: []Limits{{Currency: "CNY", Daily: dec("-1")}}},
		{Limits: []Limits{{Currency: "CNY", PerLevel: make([]decimalT, 9)}}},
		{ClockSkew: -time.Second},
	} {
		if _, err := New(&c); !errors.Is(err, ErrConfig) {
			t.Errorf("%d: %v", i, err)
		}
	}
}

func TestDocumentedRuleCompiles(t *testing.T) {
	f := newFixture(t)
	rs, err := Compile(RuleSet{Version: "doc", Rules: []Rule{{Name: "largest_ever_new_payee", Action: Review,
		Expr: `Txn.Kind == "transfer_out" && !Habit.CounterpartyKnown && float(Txn.Amount) > Habit.MaxAmount`}}})
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Rules: rs})
	ev := f.txn(f.now, profile.KindTransferOut, "600", "Stranger") // Mum got at most 549
	if d := decide(t, e, f.now, f.p, ev); !hasCode(d, "rule.largest_ever_new_payee") {
		t.Errorf("rule did not fire: %v", d.Reasons)
	}
}

func TestErrorTextIsValidUTF8(t *testing.T) {
	long := errors.New(string([]byte{0xff, 'a'}) + strings.Repeat("错", 100))
	s := errorText(long)
	if !utf8.ValidString(s) || len(s) > maxErrorText || !strings.HasPrefix(s, "\uFFFDa错") {
		t.Errorf("%q", s)
	}
}

// TestProfileFromAnotherKeyIsRejected: a profile hashed with another key
// would make every device and network look new; the engine refuses it.
func TestProfileFromAnotherKeyIsRejected(t *testing.T) {
	f := newFixture(t) // built without a hashing key
	keyed, err := profile.NewBuilder(&profile.Options{HashKey: []byte("another key, another bank")})
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Builder: keyed})
	ev := f.usual()
	_, err = e.Decide(context.Background(), f.now, f.p, &ev)
	var ie *InputError
	if !errors.As(err, &ie) || !errors.Is(err, profile.ErrMismatch) || ie.Field != "HashKey" {
		t.Fatalf("err = %v, want an InputError for HashKey wrapping profile.ErrMismatch", err)
	}
}

// TestSessionVelocityRule: rules see the current session's debits.
func TestSessionVelocityRule(t *testing.T) {
	f := newFixture(t)
	rs, err := Compile(RuleSet{Version: "s", Rules: []Rule{{Name: "session_drain",
		Expr: `Velocity.CountSession >= 3 && Velocity.SumSession + Txn.Amount > 1841.19`, Action: Review}}})
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Builder: f.b, Rules: rs})
	start := f.now.Add(-10 * time.Minute)
	f.apply(t, profile.Event{ID: f.id(), CustomerID: "c1", Time: start, Type: profile.TypeSession,
		Channel: profile.ChannelApp, DeviceID: phone, Auth: profile.AuthOf(profile.AuthBiometric)})
	for i := 0; i < 3; i++ {
		f.apply(t, f.txn(start.Add(time.Duration(i+1)*time.Minute), profile.KindPurchase, "600.00", "Hema"))
	}
	ev := f.usual()
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != Review || !slices.Contains(d.Reasons, CodeRulePrefix+"session_drain") {
		t.Fatalf("action %v reasons %v: the session rule did not fire", d.Action, d.Reasons)
	}
}
