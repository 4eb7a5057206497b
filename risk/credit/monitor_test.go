package credit

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

// TestWarnAgainstTruth books a loan for every simulated customer at month
// 6 and monitors it at the start of months 7 to 12, comparing the alerts
// with the simulator's truth: a loan repayment paid late or missed should
// raise a repayment alert at the next month's check or the one after; a
// salary stopping for good, SALARY_STOPPED; a customer with none of these
// in the last two months should raise no repayment or salary alert.
func TestWarnAgainstTruth(t *testing.T) {
	loadSimBatch(t)
	e := simBatch.engine
	var troubles, caught, stops, stopCaught, quiet, falseAlarm int
	for i := range sim.cs {
		c := &sim.cs[i]
		d := simBatch.results[i].Decision
		loan := d.Loan("L-"+c.ID, checkpoint(6))
		loan.Amount = decimal.NewFromInt(10000)
		alerts := map[int][]Alert{}
		for k := 7; k <= lastCheckpoint; k++ {
			a, err := e.Warn(&loan, simProfile(t, i, k), checkpoint(k))
			if err != nil {
				t.Fatalf("%s month %d: %v", c.ID, k, err)
			}
			alerts[k] = a
		}
		repaymentAlert := func(k int, lender string) bool {
			for _, a := range alerts[k] {
				switch a.Code {
				case CodeRepaymentLate, CodeRepaymentMissed, CodeRepaymentIrregular:
					if a.Subject == lender {
						return true
					}
				}
			}
			return false
		}
		// Repayment troubles due in months 6 to 10 (checked at k+1, k+2).
		for _, s := range c.Bills {
			if s.Kind != profile.KindLoanRepayment {
				continue
			}
			for _, ex := range s.Exceptions {
				for k := 7; k <= 11; k++ {
					if ex.Due.Before(checkpoint(k-1)) || !ex.Due.Before(checkpoint(k)) {
						continue
					}
					if !originated(d, s.Counterparty) {
						continue // a loan the profile had not seen at origination
					}
					if !ex.Paid.IsZero() && ex.Paid.Sub(ex.Due) <= 5*24*time.Hour {
						continue // within the grace days
					}
					troubles++
					if repaymentAlert(k, s.Counterparty) || repaymentAlert(k+1, s.Counterparty) {
						caught++
					} else {
						p := simProfile(t, i, k)
						var st []profile.Stream
						for _, b := range p.Bills(checkpoint(k)) {
							if b.Counterparty == s.Counterparty {
								st = append(st, b)
							}
						}
						p2 := simProfile(t, i, min(k+1, 12))
						var st2 []profile.Stream
						for _, b := range p2.Bills(checkpoint(min(k+1, 12))) {
							if b.Counterparty == s.Counterparty {
								st2 = append(st2, b)
							}
						}
						t.Logf("miss %s %s due %v paid %v k=%d freq %v\n  at k: %+v\n  at k+1: %+v\n alerts %+v %+v", c.ID, s.Counterparty, ex.Due, ex.Paid, k, s.Frequency, st, st2, alerts[k], alerts[k+1])
					}
				}
			}
		}
		// Salary stops between months 6 and 11.
		if stop := salaryStop(c, checkpoint(lastCheckpoint)); !stop.IsZero() && !stop.Before(checkpoint(6)) && stop.Before(checkpoint(11)) {
			stops++
			for k := 7; k <= lastCheckpoint; k++ {
				if checkpoint(k).Sub(stop) < 20*24*time.Hour {
					continue
				}
				found := false
				for _, a := range alerts[k] {
					if a.Code == CodeSalaryStopped && a.Severity == Critical {
						found = true
					}
				}
				if found {
					stopCaught++
				} else {
					t.Logf("MISS %s stop %v k=%d: %+v", c.ID, stop, k, alerts[k])
				}
				break
			}
		}
		// Quiet checks: no truth event in the two months before.
		for k := 8; k <= lastCheckpoint; k++ {
			if loanTrouble(c, checkpoint(k-3), checkpoint(k)) || incomeChanged(c, checkpoint(4), checkpoint(k)) {
				continue
			}
			quiet++
			for _, a := range alerts[k] {
				if a.Code == CodeRepaymentLate || a.Code == CodeRepaymentMissed || a.Code == CodeSalaryStopped {
					falseAlarm++
					break
				}
			}
		}
	}
	t.Logf("repayment troubles caught %d/%d; salary stops caught %d/%d; false repayment/salary alarms %d/%d quiet checks",
		caught, troubles, stopCaught, stops, falseAlarm, quiet)
	if troubles < 10 || float64(caught) < 0.9*float64(troubles) {
		t.Errorf("repayment troubles caught %d of %d", caught, troubles)
	}
	if stops < 5 || float64(stopCaught) < 0.9*float64(stops) {
		t.Errorf("salary stops caught %d of %d", stopCaught, stops)
	}
	if quiet < 1000 || float64(falseAlarm) > 0.005*float64(quiet) {
		t.Errorf("false alarms %d of %d quiet checks", falseAlarm, quiet)
	}
}

// originated reports whether the decision's snapshot saw the lender.
func originated(d Decision, lender string) bool {
	for _, l := range d.Snapshot.Lenders {
		if l.Name == lender {
			return true
		}
	}
	return false
}

// incomeChanged reports whether any income stream of c started or ended
// between from and to.
func incomeChanged(c *synth.Customer, from, to time.Time) bool {
	for _, s := range c.Income {
		if s.First.After(from) && s.First.Before(to) || s.Last.After(from.AddDate(0, -1, 0)) && s.Last.Before(to.AddDate(0, 0, -1)) {
			return true
		}
	}
	return false
}

// monitorEngine has no behaviour model: the rules only.
func monitorEngine(t testing.TB) *Engine {
	t.Helper()
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// originate decides an application for l's customer at month m and books
// the loan.
func originate(t testing.TB, e *Engine, l *life, m int) Loan {
	t.Helper()
	now := l.month(m, 1)
	a := Application{ID: "A-" + l.id, CustomerID: l.id, Currency: "CNY", Amount: decimal.NewFromInt(20000), TermMonths: 24,
		Attributes: germanAttributes(german.ds, bestGermanRow(t))}
	d, err := e.Decide(&a, Applicant{Profile: l.profile(t, now)}, now)
	if err != nil {
		t.Fatal(err)
	}
	return d.Loan("L-"+l.id, now)
}

func codes(a []Alert) map[Code]Severity {
	out := map[Code]Severity{}
	for _, x := range a {
		if s, ok := out[x.Code]; !ok || x.Severity > s {
			out[x.Code] = x.Severity
		}
	}
	return out
}

// TestWarnRules checks each early-warning rule on a hand-made borrower
// originated at month 4 and monitored at month 9.
func TestWarnRules(t *testing.T) {
	e := monitorEngine(t)
	cases := []struct {
		name string
		life func() *life
		want map[Code]Severity
	}{
		{"steady", func() *life { return steady("c", 9) }, map[Code]Severity{}},
		{"salary stopped", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 6).repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, map[Code]Severity{CodeSalaryStopped: Critical, CodeIncomeDrop: Critical, CodeBalanceDrain: Warning}},
		{"new employer", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 6).salary("Tencent Technology", 13000, 20, 6, 9).
				repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, map[Code]Severity{CodeEmployerChanged: Info}},
		{"income drop", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 6).salary("Huawei Technologies Co Ltd", 8000, 10, 6, 9).
				repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, map[Code]Severity{CodeIncomeDrop: Warning}},
		{"new lenders", func() *life {
			return steady("c", 9).repay("Ant Consumer Finance", 800, 8, 5, 9).repay("JD Finance Jintiao", 600, 12, 5, 9)
		}, map[Code]Severity{CodeNewOtherLender: Critical}},
		{"one new lender", func() *life { return steady("c", 9).repay("Ant Consumer Finance", 800, 8, 5, 9) }, map[Code]Severity{CodeNewOtherLender: Warning}},
		{"balance drain", func() *life {
			return steady("c", 9).transferOut(20000, 6, 12).transferOut(20000, 7, 12).transferOut(20000, 8, 12)
		},
			map[Code]Severity{CodeBalanceDrain: Critical}},
		{"missed repayment", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 9).repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 7).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, map[Code]Severity{CodeRepaymentMissed: Critical}},
		{"skipped then resumed", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 9).repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9, 7).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, map[Code]Severity{CodeRepaymentIrregular: Warning}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.life()
			loan := originate(t, e, l, 4)
			now := l.month(9, 1)
			got, err := e.Warn(&loan, l.profile(t, now), now)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, codes(got)); diff != "" {
				t.Fatalf("alerts (-want +got):\n%s\n%+v", diff, got)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Severity > got[i-1].Severity {
					t.Fatalf("alerts not ordered by severity: %+v", got)
				}
			}
			for _, a := range got {
				if a.LoanID != loan.ID || a.CustomerID != "c" || !a.At.Equal(now) {
					t.Fatalf("alert %+v", a)
				}
			}
		})
	}
}

// TestWarnScoreDrop: with a behaviour model, a borrower whose profile
// variables worsen raises BEHAVIOUR_SCORE_DROP.
func TestWarnScoreDrop(t *testing.T) {
	e := simEngine(t)
	pdo := behaviour.model.Scaling().PDO
	// Find a simulated borrower whose behaviour score fell by a PDO or
	// more between months 6 and 12, and one whose score held.
	var dropped, held bool
	for i := range sim.cs {
		d := simBatch.results[i].Decision
		loan := d.Loan("L", checkpoint(6))
		loan.Amount = decimal.NewFromInt(10000)
		got, err := e.Warn(&loan, simProfile(t, i, 12), checkpoint(12))
		if err != nil {
			t.Fatal(err)
		}
		now := TakeSnapshot(simProfile(t, i, 12), checkpoint(12))
		res, _, err := e.score(SourceBehaviour, e.beh, e.behFill, e.behHasNum, e.behHasCat, &Application{}, &now, nil)
		if err != nil {
			t.Fatal(err)
		}
		drop := (d.BehaviourScore - res.Score) / pdo
		sev, ok := codes(got)[CodeScoreDrop]
		switch {
		case drop >= 2:
			dropped = true
			if !ok || sev != Critical {
				t.Fatalf("%s: drop of %.1f PDO, alert %v %v", sim.cs[i].ID, drop, ok, sev)
			}
		case drop >= 1:
			if !ok || sev != Warning {
				t.Fatalf("%s: drop of %.1f PDO, alert %v %v", sim.cs[i].ID, drop, ok, sev)
			}
		default:
			held = true
			if ok {
				t.Fatalf("%s: drop of %.1f PDO, yet alert %v", sim.cs[i].ID, drop, sev)
			}
		}
	}
	if !dropped || !held {
		t.Fatalf("no score drop (%v) or no steady score (%v) among the simulated customers", dropped, held)
	}
}

// TestReview checks the in-loan actions on hand-made borrowers
// originated at month 2 and reviewed at month 9.
func TestReview(t *testing.T) {
	e := monitorEngine(t)
	cases := []struct {
		name   string
		life   func() *life
		action ReviewAction
		code   Code
	}{
		{"steady", func() *life { return steady("c", 9) }, ActionKeep, ""},
		{"raise", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 3).salary("Huawei Technologies Co Ltd", 16000, 10, 3, 9).
				repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, ActionIncrease, CodeIncomeRise},
		{"cut", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 4).salary("Huawei Technologies Co Ltd", 7000, 10, 4, 9).
				repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, ActionDecrease, CodeIncomeDrop},
		{"small cut", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 4).salary("Huawei Technologies Co Ltd", 10000, 10, 4, 9).
				repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, ActionWatch, CodeIncomeDrop},
		{"salary stopped", func() *life {
			return newLife("c").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 6).repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}, ActionFreeze, CodeSalaryStopped},
		{"new lender", func() *life { return steady("c", 9).repay("Ant Consumer Finance", 800, 8, 5, 9) }, ActionWatch, CodeNewOtherLender},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := c.life()
			loan := originate(t, e, l, 2)
			now := l.month(9, 1)
			p := l.profile(t, now)
			r, err := e.Review(&loan, p, now)
			if err != nil {
				t.Fatal(err)
			}
			if r.Action != c.action {
				t.Fatalf("action %v, want %v; reasons %+v; income %v → %v cv %v", r.Action, c.action, r.Reasons, r.IncomeAtOrigination, r.IncomeNow, r.IncomeCV)
			}
			if c.code != "" {
				found := false
				for _, x := range r.Reasons {
					found = found || x.Code == c.code
				}
				if !found {
					t.Fatalf("reasons %+v lack %s", r.Reasons, c.code)
				}
			}
			if r.PolicyVersion == "" || r.ModelID != german.model.ID() || r.MonthsOnBook != 7 {
				t.Fatalf("review %+v", r)
			}
			if r.Action != ActionFreeze && r.Limit.IsZero() {
				t.Fatalf("no limit today: %+v", r)
			}
			again, _ := e.Review(&loan, p, now)
			if diff := cmp.Diff(r, again); diff != "" {
				t.Fatalf("not deterministic:\n%s", diff)
			}
		})
	}
}

func TestMonitorErrors(t *testing.T) {
	e := monitorEngine(t)
	l := steady("c", 9)
	loan := originate(t, e, l, 4)
	now := l.month(9, 1)
	p := l.profile(t, now)
	other := steady("d", 9).profile(t, now)
	if _, err := e.Warn(&loan, other, now); !errors.Is(err, ErrWrongCustomer) {
		t.Errorf("another customer: %v", err)
	}
	if _, err := e.Warn(&loan, nil, now); !errors.Is(err, ErrMissing) {
		t.Errorf("nil profile: %v", err)
	}
	if _, err := e.Review(&loan, p, l.month(3, 1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("before the start: %v", err)
	}
	if _, err := e.Review(&loan, p, time.Time{}); !errors.Is(err, ErrMissing) {
		t.Errorf("zero now: %v", err)
	}
	bad := []func(l *Loan){
		func(l *Loan) { l.ID = "" },
		func(l *Loan) { l.Currency = "ABC" },
		func(l *Loan) { l.Amount = decimal.Zero },
		func(l *Loan) { l.TermMonths = 0 },
		func(l *Loan) { l.Start = time.Time{} },
		func(l *Loan) { l.Origination.At = time.Time{} },
		func(l *Loan) { l.Origination.CustomerID = "x" },
		func(l *Loan) { l.Origination.At = l.Start.AddDate(0, 2, 0) },
	}
	for i, edit := range bad {
		x := loan
		edit(&x)
		_, err := e.Warn(&x, p, now)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	// A loan survives a JSON round trip and monitors the same.
	b, err := json.Marshal(loan)
	if err != nil {
		t.Fatal(err)
	}
	var back Loan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	a1, _ := e.Warn(&loan, p, now)
	a2, err := e.Warn(&back, p, now)
	if err != nil || !cmp.Equal(a1, a2) {
		t.Errorf("after JSON: %v %v", err, cmp.Diff(a1, a2))
	}
}

func TestWarnBatch(t *testing.T) {
	e := monitorEngine(t)
	now := newLife("x").month(9, 1)
	var loans []Loan
	mp := &mapProfiles{profiles: map[string]*profile.Profile{}}
	for _, id := range []string{"c1", "c2", "c3"} {
		l := steady(id, 9)
		if id == "c2" {
			l = newLife(id).salary("Huawei Technologies Co Ltd", 12000, 10, 0, 6).repay("SAIC-GMAC Auto Finance", 2000, 15, 0, 9).spend(300, 0, 9).sessions("phone-1", 0, 9)
		}
		loans = append(loans, originate(t, e, l, 4))
		mp.profiles[id] = l.profile(t, now)
	}
	loans = append(loans, loans[0])
	loans[3].ID, loans[3].CustomerID, loans[3].Origination.CustomerID = "L-c9", "c9", "c9" // no profile
	res, err := e.WarnBatch(t.Context(), loans, mp, now, &BatchOptions{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || len(res[0].Alerts) != 0 {
		t.Errorf("c1: %+v", res[0])
	}
	if res[1].Err != nil || codes(res[1].Alerts)[CodeSalaryStopped] != Critical {
		t.Errorf("c2: %+v", res[1])
	}
	if !errors.Is(res[3].Err, profile.ErrNotFound) || !errors.Is(res[3].Err, ErrLookup) {
		t.Errorf("c9: %v", res[3].Err)
	}
}
