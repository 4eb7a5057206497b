package risk

import (
	"context"
	"errors"
	"math"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
)

type failingLists struct{}

func (failingLists) Check(ctx context.Context, q *ListQuery) (ListHits, error) {
	return ListHits{}, errors.New("store unavailable")
}

func TestListsLayer(t *testing.T) {
	f := newFixture(t)
	lists, err := NewMemoryLists(
		ListEntry{Kind: ListDevice, Value: "stolen-phone", Verdict: Blocked},
		ListEntry{Kind: ListNetwork, Network: netip.MustParsePrefix("203.0.113.0/24"), Verdict: Blocked},
		ListEntry{Kind: ListCounterparty, Value: "Landlord Li", Verdict: Allowed},
		ListEntry{Kind: ListCustomer, Value: "c1", Verdict: Allowed},
	)
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t, &Config{Lists: lists})

	ev := f.usual()
	ev.DeviceID = "stolen-phone"
	if d := decide(t, e, f.now, f.p, ev); d.Action != Decline || !hasCode(d, CodeBlockedDevice) {
		t.Errorf("blocked device: %v %v", d.Action, d.Reasons)
	}
	ev = f.usual()
	ev.IP = netip.MustParseAddr("::ffff:203.0.113.77")
	if d := decide(t, e, f.now, f.p, ev); d.Action != Decline || !hasCode(d, CodeBlockedNetwork) {
		t.Errorf("blocked network: %v %v", d.Action, d.Reasons)
	}
	// An allow-listed payee (a trusted beneficiary) and customer: signals
	// are recorded without weight, nothing is held.
	ev = f.txn(f.now, profile.KindTransferOut, "20000", "Landlord Li")
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != Allow || hasCode(d, CodeCoolingOff) {
		t.Errorf("trusted beneficiary: %v %v", d.Action, d.Reasons)
	}
	if s, ok := signal(d, CodeNewPayee); !ok || s.Weight != 0 {
		t.Errorf("new payee of an allowed counterparty: %+v", d.Signals)
	}

	e = engine(t, &Config{Lists: failingLists{}})
	d = decide(t, e, f.now, f.p, f.usual())
	if d.Action != StepUp || !hasCode(d, CodeListsError) || !hasCode(d, CodeFailSafe) {
		t.Errorf("lists failure: %v %v", d.Action, d.Reasons)
	}
}

func TestLimitsLayer(t *testing.T) {
	f := newFixture(t)
	var perChannel [profile.NumChannels]decimalT
	perChannel[profile.ChannelATM] = dec("3000")
	e := engine(t, &Config{Limits: []Limits{{Currency: "CNY", PerTransaction: dec("50000"), Daily: dec("100"), PerChannel: perChannel}}})
	// Today (f.now) has no debits yet; 41.20 fits in 100 a day.
	if d := decide(t, e, f.now, f.p, f.usual()); d.Action != Allow {
		t.Fatalf("within limits: %v %v", d.Action, d.Reasons)
	}
	pay := f.usual()
	pay.Amount = dec("80")
	f.apply(t, pay)
	ev := f.usual()
	ev.ID, ev.Time = "again", ev.Time.Add(time.Minute)
	d := decide(t, e, ev.Time, f.p, ev)
	if d.Action != Decline || !hasCode(d, CodeLimitDaily) || !d.Allowed.Equal(dec("20")) || !hasCode(d, CodeAmountLowered) {
		t.Errorf("daily limit: %v allowed %v %v", d.Action, d.Allowed, d.Reasons)
	}
	atm := f.txn(ev.Time, profile.KindCashWithdrawal, "5000", "")
	atm.Channel, atm.Auth = profile.ChannelATM, profile.AuthOf(profile.AuthCardChip, profile.AuthPIN)
	if d := decide(t, e, ev.Time, f.p, atm); !hasCode(d, CodeLimitChannel) || d.Action != Decline {
		t.Errorf("channel limit: %v %v", d.Action, d.Reasons)
	}
	big := f.txn(ev.Time, profile.KindTransferOut, "50000.01", "Mum")
	if d := decide(t, e, ev.Time, f.p, big); !hasCode(d, CodeLimitTransaction) {
		t.Errorf("per-transaction limit: %v", d.Reasons)
	}
	// Exactly at the limit is within it: money compares exactly.
	big.Amount = dec("50000.00")
	if d := decide(t, e, ev.Time, f.p, big); hasCode(d, CodeLimitTransaction) {
		t.Errorf("amount equal to the limit refused: %v", d.Reasons)
	}
}

func TestPBOCTiers(t *testing.T) {
	f := newFixture(t)
	levels := PBOC2015()
	e := engine(t, &Config{Policy: Policy{Levels: &levels}, Limits: []Limits{PBOC2015Limits()}})
	ev := f.txn(f.now, profile.KindTransferOut, "800", "Mum")
	ev.Auth = profile.AuthOf(profile.AuthBiometric)
	if d := decide(t, e, f.now, f.p, ev); d.Action != Allow {
		t.Fatalf("800 with one factor: %v %v", d.Action, d.Reasons)
	}
	ev.Amount = dec("3000") // above ¥1,000 a day with one factor: step up to "B"
	d := decide(t, e, f.now, f.p, ev)
	if d.Action != StepUp || d.LevelName != "B" || !hasCode(d, CodeLimitLevel) || !d.Allowed.Equal(dec("1000")) {
		t.Errorf("3000 with one factor: %v %s allowed %v %v", d.Action, d.LevelName, d.Allowed, d.Reasons)
	}
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthSMSOTP)
	if d := decide(t, e, f.now, f.p, ev); d.Action != Allow {
		t.Errorf("3000 with two factors: %v %v", d.Action, d.Reasons)
	}
	ev.Amount = dec("8000") // above ¥5,000: needs a certificate ("A")
	if d := decide(t, e, f.now, f.p, ev); d.Action != StepUp || d.LevelName != "A" {
		t.Errorf("8000 with two factors: %v %s %v", d.Action, d.LevelName, d.Reasons)
	}
	ev.Auth = profile.AuthOf(profile.AuthPassword, profile.AuthUKey)
	if d := decide(t, e, f.now, f.p, ev); d.Action == StepUp || hasCode(d, CodeLimitLevel) {
		t.Errorf("8000 with a U-key: %v %v", d.Action, d.Reasons)
	}
}

// euFixture is a fixture in euro.
func euFixture(t *testing.T) *fixture {
	f := newFixture(t)
	g := &fixture{b: f.b, p: profile.New("c1"), now: f.now}
	if err := g.p.SetCustomer(profile.Customer{ID: "c1", Currency: "EUR", TimeZone: "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	for d := range 40 {
		day := start.Add(time.Duration(d) * 24 * time.Hour)
		s := g.session(day.Add(time.Duration(8+d%10) * time.Hour))
		g.apply(t, s)
		amounts := []string{"8.20", "15", "40.50", "90", "180", "240"}
		e := g.txn(s.Time.Add(2*time.Minute), profile.KindPurchase, amounts[d%len(amounts)], "Bakery")
		e.Currency, e.Auth = "EUR", profile.AuthOf(profile.AuthBiometric, profile.AuthPIN) // strong each time
		g.apply(t, e)
	}
	g.now = start.Add(40*24*time.Hour + 10*time.Hour)
	return g
}

func TestPSD2Exemptions(t *testing.T) {
	g := euFixture(t)
	e := engine(t, &Config{Policy: Policy{PSD2: &PSD2{CardFraudRate: 0.0005}}})
	pay := func(amount string, auth profile.Auth, at time.Time) profile.Event {
		ev := g.txn(at, profile.KindPurchase, amount, "Bakery")
		ev.Currency, ev.Auth = "EUR", auth
		return ev
	}
	d := decide(t, e, g.now, g.p, pay("20", 0, g.now))
	if d.Action != Allow || d.Exemption != CodeLowValue {
		t.Fatalf("€20 without SCA: %v %q %v", d.Action, d.Exemption, d.Reasons)
	}
	// Five payments of €20 without SCA, one a day: the sixth passes €100
	// since the last SCA.
	at := g.now
	for range 5 {
		g.apply(t, pay("20", profile.AuthOf(profile.AuthBiometric), at))
		at = at.Add(24 * time.Hour)
	}
	d = decide(t, e, at, g.p, pay("20", profile.AuthOf(profile.AuthBiometric), at))
	if d.Exemption == CodeLowValue {
		t.Errorf("Art. 16 exemption beyond €100: %+v", d)
	}
	// TRA: €200 within the €250 ETV of a 0.05% card fraud rate.
	if d.Action != Allow || d.Exemption != CodeTRA {
		t.Errorf("€20 under TRA: %v %q %v", d.Action, d.Exemption, d.Reasons)
	}
	d = decide(t, e, at, g.p, pay("200", profile.AuthOf(profile.AuthBiometric), at))
	if d.Exemption != CodeTRA {
		t.Errorf("€200 under TRA: %v %q %v", d.Action, d.Exemption, d.Reasons)
	}
	d = decide(t, e, at, g.p, pay("300", profile.AuthOf(profile.AuthBiometric), at))
	if d.Action != StepUp || d.Exemption != "" || !hasCode(d, CodeSCARequired) {
		t.Errorf("€300 above the ETV: %v %q %v", d.Action, d.Exemption, d.Reasons)
	}
	// A real-time risk factor (a new device) rules TRA out.
	ev := pay("200", profile.AuthOf(profile.AuthBiometric), at)
	ev.DeviceID = "other"
	if d := decide(t, e, at, g.p, ev); d.Exemption != "" {
		t.Errorf("TRA despite a new device: %q %v", d.Exemption, d.Reasons)
	}
	// Strong authentication satisfies the requirement.
	if d := decide(t, e, at, g.p, pay("300", profile.AuthOf(profile.AuthBiometric, profile.AuthPIN), at)); d.Action != Allow {
		t.Errorf("€300 with SCA: %v %v", d.Action, d.Reasons)
	}
	// No fraud rate reported: no TRA; count mode: the sixth payment is out.
	e = engine(t, &Config{Policy: Policy{PSD2: &PSD2{LowValueByCount: true}}})
	if d := decide(t, e, at, g.p, pay("20", 0, at)); d.Exemption != "" || d.Action != StepUp {
		t.Errorf("count mode, sixth payment: %v %q", d.Action, d.Exemption)
	}
	for _, c := range []struct {
		rate float64
		want string
	}{{0.00009, "500"}, {0.0006, "250"}, {0.0013, "100"}, {0.002, ""}} {
		v, ok := etv(c.rate, [3]float64{0.0001, 0.0006, 0.0013})
		if got := map[bool]string{true: v.String(), false: ""}[ok]; got != c.want {
			t.Errorf("ETV at %v: %q, want %q", c.rate, got, c.want)
		}
	}
}

type scorerFunc func(ctx context.Context, r *ScoreRequest) (float64, error)

func (f scorerFunc) Score(ctx context.Context, r *ScoreRequest) (float64, error) { return f(ctx, r) }

func TestScorer(t *testing.T) {
	f := newFixture(t)
	var seen atomic.Value
	e := engine(t, &Config{Scorer: scorerFunc(func(ctx context.Context, r *ScoreRequest) (float64, error) {
		seen.Store(r.Env.Txn.Kind + "/" + r.Env.Txn.Counterparty)
		if r.Profile == nil || r.Env.Habit.KindCount == 0 {
			t.Error("scorer got no profile or habit")
		}
		return 0.7, nil
	})})
	d := decide(t, e, f.now, f.p, f.usual())
	if s, ok := signal(d, CodeModel); !ok || s.Value != 0.7 || d.Action != StepUp || d.Level != 3 {
		t.Errorf("model 0.7: %v level %d %v", d.Action, d.Level, d.Reasons)
	}
	if seen.Load() != "purchase/Luckin Coffee" {
		t.Errorf("scorer saw %v", seen.Load())
	}
	for _, s := range []Scorer{
		scorerFunc(func(context.Context, *ScoreRequest) (float64, error) { return 0, errors.New("timeout") }),
		scorerFunc(func(context.Context, *ScoreRequest) (float64, error) { return math.NaN(), nil }),
		scorerFunc(func(context.Context, *ScoreRequest) (float64, error) { return 1.5, nil }),
	} {
		e := engine(t, &Config{Scorer: s})
		d := decide(t, e, f.now, f.p, f.usual())
		if d.Action != StepUp || !hasCode(d, CodeModelError) || !hasCode(d, CodeFailSafe) {
			t.Errorf("failing scorer: %v %v", d.Action, d.Reasons)
		}
	}
	// The context reaches the scorer; cancellation is an error, not a decision.
	ctx, cancel := context.WithCancel(bg)
	e = engine(t, &Config{Scorer: scorerFunc(func(ctx context.Context, _ *ScoreRequest) (float64, error) {
		cancel()
		return 0, ctx.Err()
	})})
	ev := f.usual()
	if _, err := e.Decide(ctx, f.now, f.p, &ev); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during scoring: %v", err)
	}
}

func TestVelocityBurst(t *testing.T) {
	f := newFixture(t)
	e := engine(t, nil)
	at := f.now
	var d Decision
	for i := range 6 {
		ev := f.txn(at, profile.KindPurchase, "1.00", "Online Shop")
		ev.Auth = profile.AuthOf(profile.AuthBiometric)
		d = decide(t, e, at, f.p, ev)
		f.apply(t, ev)
		at = at.Add(time.Duration(60+i) * time.Second)
	}
	if s, ok := signal(d, CodeBurst); !ok || s.Value != 6 {
		t.Errorf("six payments in six minutes: %v", d.Signals)
	}
	for _, c := range []struct {
		k    int
		l, p float64
	}{{1, 1, 1 - math.Exp(-1)}, {3, 0.5, 1 - math.Exp(-0.5)*(1+0.5+0.125)}, {0, 2, 1}, {5, 0, 0}} {
		if got := poissonTail(c.k, c.l); math.Abs(got-c.p) > 1e-12 && !(c.k == 1 && got == 1) {
			t.Errorf("P(X ≥ %d | %v) = %v, want %v", c.k, c.l, got, c.p)
		}
	}
	if p := poissonTail(40, 0.01); p <= 0 || p > 1e-100 {
		t.Errorf("tiny tail lost: %v", p)
	}
}

// TestConcurrentRuleSwaps swaps rule sets while decisions run: each
// decision must use exactly one set, its version matching its rule codes.
func TestConcurrentRuleSwaps(t *testing.T) {
	f := newFixture(t)
	sets := make([]*Rules, 2)
	for i, name := range []string{"alpha", "beta"} {
		rs, err := Compile(RuleSet{Version: name, Rules: []Rule{{Name: name, Expr: `Txn.Amount > 0`, Weight: 0.01}}})
		if err != nil {
			t.Fatal(err)
		}
		sets[i] = rs
	}
	e := engine(t, &Config{Rules: sets[0]})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := e.SetRules(sets[i%2]); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var decided atomic.Int64
	usual := f.usual()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				ev := usual
				d, err := e.Decide(bg, f.now, f.p, &ev)
				if err != nil {
					t.Error(err)
					return
				}
				if len(d.Reasons) == 0 || !hasCode(d, "rule."+d.RulesVersion) || hasCode(d, "rule."+map[string]string{"alpha": "beta", "beta": "alpha"}[d.RulesVersion]) {
					t.Errorf("version %q with reasons %v", d.RulesVersion, d.Reasons)
					return
				}
				decided.Add(1)
			}
		}()
	}
	for decided.Load() < 1200 && !t.Failed() {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err := e.SetRules(nil); err != nil || e.Rules() != nil {
		t.Errorf("clearing rules: %v", err)
	}
	if d := decide(t, e, f.now, f.p, usual); d.RulesVersion != "" {
		t.Errorf("rules version after clearing: %q", d.RulesVersion)
	}
}
