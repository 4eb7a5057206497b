package benchmarks

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/hyperjumptech/grule-rule-engine/ast"
	"github.com/hyperjumptech/grule-rule-engine/builder"
	"github.com/hyperjumptech/grule-rule-engine/engine"
	"github.com/hyperjumptech/grule-rule-engine/pkg"
	"github.com/shopspring/decimal"
	"github.com/suanpan-dev/suanpan/internal/rules"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
)

// scenario is one payment's facts, in both engines' forms.
type scenario struct {
	txn Txn
	hab Habit
	vel Velocity
	sig Signals
}

func (s scenario) env() *risk.Env {
	return &risk.Env{
		Txn: risk.TxnView{Kind: s.txn.Kind, Channel: s.txn.Channel, Country: s.txn.Country,
			Amount: decimal.NewFromFloat(s.txn.Amount), Factors: s.txn.Factors, CardPresent: s.txn.CardPresent},
		Habit:    risk.HabitView{DeviceKnown: s.hab.DeviceKnown, HomeCountry: s.hab.HomeCountry, AmountZ: s.hab.AmountZ, SpeedKmh: s.hab.SpeedKmh},
		Velocity: profile.Velocity{Count1h: s.vel.Count1h, Sum24h: decimal.NewFromFloat(s.vel.Sum24h)},
		Signals:  risk.SignalView{Codes: s.sig.Codes, Risk: s.sig.Risk},
	}
}

var scenarios = []scenario{
	{ // a habitual coffee: nothing fires
		Txn{Kind: "purchase", Channel: "app", Country: "CN", Amount: 41.2, Factors: 1},
		Habit{DeviceKnown: true, HomeCountry: true, AmountZ: 0.1},
		Velocity{Count1h: 1, Sum24h: 80},
		Signals{Codes: map[string]bool{"habit.new_payee": false}, Risk: 0.05},
	},
	{ // a takeover transfer: many fire
		Txn{Kind: "transfer_out", Channel: "web", Country: "NG", Amount: 60000, Factors: 1},
		Habit{DeviceKnown: false, HomeCountry: false, AmountZ: 3.7, SpeedKmh: 420},
		Velocity{Count1h: 3, Sum24h: 12000},
		Signals{Codes: map[string]bool{"habit.new_payee": true}, Risk: 0.8},
	},
	{ // a cloned card far away
		Txn{Kind: "purchase", Channel: "pos", Country: "TH", Amount: 3200, Factors: 1, CardPresent: true},
		Habit{DeviceKnown: false, HomeCountry: false, AmountZ: 2.2, SpeedKmh: 2400},
		Velocity{Count1h: 12, Sum24h: 3300},
		Signals{Codes: map[string]bool{"habit.new_payee": false}, Risk: 0.6},
	},
}

type exprSet struct {
	names []string
	progs []*rules.Program
}

func compileExpr(tb testing.TB) exprSet {
	var s exprSet
	for _, r := range Rules() {
		p, err := rules.Compile(r.Name, r.Expr, risk.Env{})
		if err != nil {
			tb.Fatal(err)
		}
		s.names = append(s.names, r.Name)
		s.progs = append(s.progs, p)
	}
	return s
}

func (s exprSet) matches(tb testing.TB, env *risk.Env) []string {
	var out []string
	for i, p := range s.progs {
		ok, err := p.Eval(env)
		if err != nil {
			tb.Fatal(err)
		}
		if ok {
			out = append(out, s.names[i])
		}
	}
	return out
}

func gruleKB(tb testing.TB) *ast.KnowledgeBase {
	lib := ast.NewKnowledgeLibrary()
	if err := builder.NewRuleBuilder(lib).BuildRuleFromResource("bench", "1", pkg.NewBytesResource([]byte(GRL(Rules())))); err != nil {
		tb.Fatal(err)
	}
	kb, err := lib.NewKnowledgeBaseInstance("bench", "1")
	if err != nil {
		tb.Fatal(err)
	}
	return kb
}

func dataContext(tb testing.TB, s *scenario, out *Out) ast.IDataContext {
	dc := ast.NewDataContext()
	for name, v := range map[string]any{"Txn": &s.txn, "Habit": &s.hab, "Velocity": &s.vel, "Signals": &s.sig, "Out": out} {
		if err := dc.Add(name, v); err != nil {
			tb.Fatal(err)
		}
	}
	return dc
}

// TestSameMatches checks that grule and expr find the same rules true.
func TestSameMatches(t *testing.T) {
	ex := compileExpr(t)
	kb := gruleKB(t)
	eng := engine.NewGruleEngine()
	for i := range scenarios {
		s := scenarios[i]
		want := ex.matches(t, s.env())
		kb.Reset() // un-retract what the previous Execute fired
		entries, err := eng.FetchMatchingRules(dataContext(t, &s, &Out{}), kb)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.RuleName)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("scenario %d: grule %v, expr %v", i, got, want)
		}
		var out Out
		kb.Reset()
		if err := eng.Execute(dataContext(t, &s, &out), kb); err != nil {
			t.Fatal(err)
		}
		if out.Fired != len(want) {
			t.Errorf("scenario %d: grule fired %d rules, want %d", i, out.Fired, len(want))
		}
		t.Logf("scenario %d: %d of 50 rules true", i, len(want))
	}
}

// BenchmarkExpr evaluates the 50 compiled expressions (suanpan's rules
// layer without the rest of the engine).
func BenchmarkExpr(b *testing.B) {
	ex := compileExpr(b)
	for i, s := range scenarios {
		b.Run(fmt.Sprint("scenario-", i), func(b *testing.B) {
			env := s.env()
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range ex.progs {
					if _, err := p.Eval(env); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkGruleFetchMatching evaluates the 50 conditions once with grule
// (FetchMatchingRules: no actions, no cycles), on a new data context per
// payment as a service would.
func BenchmarkGruleFetchMatching(b *testing.B) {
	kb := gruleKB(b)
	eng := engine.NewGruleEngine()
	for i := range scenarios {
		b.Run(fmt.Sprint("scenario-", i), func(b *testing.B) {
			s := scenarios[i]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := eng.FetchMatchingRules(dataContext(b, &s, &Out{}), kb); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGruleExecute runs grule's forward-chaining engine: every
// matching rule fires once (and retracts itself), cycle by cycle.
func BenchmarkGruleExecute(b *testing.B) {
	kb := gruleKB(b)
	eng := engine.NewGruleEngine()
	for i := range scenarios {
		b.Run(fmt.Sprint("scenario-", i), func(b *testing.B) {
			s := scenarios[i]
			b.ReportAllocs()
			for b.Loop() {
				kb.Reset()
				if err := eng.Execute(dataContext(b, &s, &Out{}), kb); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSuanpanDecide is a full risk decision with the same 50 rules:
// lists, limits, velocity, habit, rules, policy and the decision record.
func BenchmarkSuanpanDecide(b *testing.B) {
	bld, _ := profile.NewBuilder(nil)
	p := profile.New("c1")
	if err := p.SetCustomer(profile.Customer{ID: "c1", Currency: "CNY", TimeZone: "Asia/Shanghai"}); err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	mk := func(id string, at time.Time, amount int64) profile.Event {
		return profile.Event{ID: id, CustomerID: "c1", Time: at, Type: profile.TypeTransaction,
			Kind: profile.KindPurchase, Direction: profile.Debit, Amount: decimal.NewFromInt(amount), Currency: "CNY",
			Counterparty: "Luckin Coffee", Channel: profile.ChannelApp, DeviceID: "phone-1", IP: netip.MustParseAddr("10.1.2.3"),
			Location: profile.Location{Lat: 31.23, Lon: 121.47, HasCoords: true, Country: "CN"}, Auth: profile.AuthOf(profile.AuthBiometric)}
	}
	for d := range 60 {
		e := mk(fmt.Sprint("h", d), time.Date(2025, 4, 1+d, 8+d%12, 0, 0, 0, loc), int64(25+d%20))
		if err := bld.Apply(p, &e, e.Time); err != nil {
			b.Fatal(err)
		}
	}
	var rs []risk.Rule
	for _, r := range Rules() {
		rs = append(rs, risk.Rule{Name: r.Name, Expr: r.Expr, Weight: 0.01})
	}
	set, err := risk.Compile(risk.RuleSet{Version: "bench", Rules: rs})
	if err != nil {
		b.Fatal(err)
	}
	e, err := risk.New(&risk.Config{Builder: bld, Rules: set})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, loc)
	ev := mk("t", now, 41)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Decide(ctx, now, p, &ev); err != nil {
			b.Fatal(err)
		}
	}
}
