package credit

import (
	"encoding/json"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// TestGermanApplicationScores: with the attributes of German credit test
// rows, the decision's application score is exactly the scorecard's score
// of the row, and the decisions rank the test rows as well as the model.
func TestGermanApplicationScores(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	want, err := german.model.ScoreDataset(german.test)
	if err != nil {
		t.Fatal(err)
	}
	now := checkpointTime()
	pd := make([]float64, german.test.Rows())
	declined := [2]int{}
	total := [2]int{}
	for r := range german.test.Rows() {
		app := Application{ID: "g", CustomerID: "g", Currency: "EUR", Amount: decimal.NewFromInt(1000), TermMonths: 12,
			Attributes: germanAttributes(german.test, r)}
		d, err := e.Decide(&app, Applicant{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.ApplicationScore != want[r].Score || d.ApplicationPD != want[r].PD {
			t.Fatalf("row %d: score %v pd %v, scorecard %v %v", r, d.ApplicationScore, d.ApplicationPD, want[r].Score, want[r].PD)
		}
		if d.Score != d.ApplicationScore || d.HasBehaviour {
			t.Fatalf("row %d: no behaviour model, yet score %v != %v", r, d.Score, d.ApplicationScore)
		}
		if d.Outcome == Approve || !d.HasReason(CodeNoProfile) {
			t.Fatalf("row %d: without a profile the outcome is %v, reasons %v", r, d.Outcome, d.Reasons)
		}
		pd[r] = d.PD
		k := 0
		if german.test.Bad[r] {
			k = 1
		}
		total[k]++
		if d.Outcome == Decline {
			declined[k]++
		}
	}
	auc, err := scorecard.AUC(pd, german.test.Bad)
	if err != nil {
		t.Fatal(err)
	}
	goodRate, badRate := float64(declined[0])/float64(total[0]), float64(declined[1])/float64(total[1])
	t.Logf("German test rows: AUC of the decision PD %.3f; declined %.0f%% of bads, %.0f%% of goods", auc, 100*badRate, 100*goodRate)
	if auc < 0.75 {
		t.Errorf("AUC %.3f < 0.75", auc)
	}
	if badRate < goodRate+0.2 {
		t.Errorf("declines do not separate: bads %.2f goods %.2f", badRate, goodRate)
	}
}

func checkpointTime() time.Time { return newLife("x").month(8, 1) }

// simDecisions decides one application per simulated customer at month 6
// with the German application model (term and age mapped from the
// application and profile) and the simulated behaviour model.
var simBatch struct {
	once    sync.Once
	engine  *Engine
	apps    []Application
	results []Result
	err     error
}

func simEngine(t testing.TB) *Engine {
	t.Helper()
	loadGerman(t)
	beh := loadBehaviour(t)
	e, err := New(Config{Application: german.model, Behaviour: beh, Mapping: germanMapping(),
		Policy: Policy{MaxLimit: decimal.NewFromInt(200000), LimitStep: decimal.NewFromInt(100)}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func simProfilesAt(t testing.TB, k int) *mapProfiles {
	mp := &mapProfiles{profiles: map[string]*profile.Profile{}, contacts: map[string][]string{}}
	for i := range sim.cs {
		mp.profiles[sim.cs[i].ID] = simProfile(t, i, k)
		mp.contacts[sim.cs[i].ID] = []string{"h-" + sim.cs[i].ID}
	}
	return mp
}

func loadSimBatch(t testing.TB) {
	t.Helper()
	simBatch.once.Do(func() {
		simBatch.engine = simEngine(t)
		all := make([]int, len(sim.cs))
		for i := range all {
			all[i] = i
		}
		simBatch.apps = simApplications(all, 6, 1)
		simBatch.results, simBatch.err = simBatch.engine.DecideBatch(t.Context(), simBatch.apps, simProfilesAt(t, 6), checkpoint(6), nil)
	})
	if simBatch.err != nil {
		t.Fatal(simBatch.err)
	}
}

// TestDecisionInvariants checks every simulated decision: a known outcome
// with reasons, limits and amounts consistent with each other and with the
// repayment capacity, versions recorded, finite numbers, and an exact JSON
// round trip.
func TestDecisionInvariants(t *testing.T) {
	loadSimBatch(t)
	e := simBatch.engine
	count := map[Outcome]int{}
	for i, r := range simBatch.results {
		if r.Err != nil {
			t.Fatalf("item %d: %v", i, r.Err)
		}
		d := r.Decision
		a := &simBatch.apps[i]
		count[d.Outcome]++
		if d.ApplicationID != a.ID || d.CustomerID != a.CustomerID {
			t.Fatalf("item %d: decision for %s/%s", i, d.ApplicationID, d.CustomerID)
		}
		if d.ModelID != german.model.ID() || d.BehaviourModelID != behaviour.model.ID() || d.PolicyVersion != e.Policy().Version {
			t.Fatalf("item %d: versions %s %s %s", i, d.ModelID, d.BehaviourModelID, d.PolicyVersion)
		}
		for _, x := range []float64{d.Score, d.PD, d.ApplicationScore, d.ApplicationPD, d.BehaviourScore, d.BehaviourPD, d.BehaviourPoints, d.Income} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("item %d: non-finite number in %+v", i, d)
			}
		}
		if !d.HasBehaviour || math.Abs(d.Score-d.ApplicationScore-d.BehaviourPoints) > 1e-9 || math.Abs(d.BehaviourPoints) > 2*german.model.Scaling().PDO+1e-9 {
			t.Fatalf("item %d: score %v = %v + %v?", i, d.Score, d.ApplicationScore, d.BehaviourPoints)
		}
		switch d.Outcome {
		case Approve:
			if d.PD > e.pol.ApprovePD || d.Limit.Sign() <= 0 {
				t.Fatalf("item %d: approved at PD %v with limit %v", i, d.PD, d.Limit)
			}
		case Refer, Decline:
			if len(d.Reasons) == 0 || d.Reasons[0].Source != SourcePolicy {
				t.Fatalf("item %d: %v without a policy reason: %+v", i, d.Outcome, d.Reasons)
			}
		default:
			t.Fatalf("item %d: outcome %v", i, d.Outcome)
		}
		if d.Outcome == Decline {
			if !d.Limit.IsZero() || !d.Amount.IsZero() || !d.Payment.IsZero() {
				t.Fatalf("item %d: declined with money %v %v %v", i, d.Limit, d.Amount, d.Payment)
			}
		} else {
			if d.Amount.Cmp(d.Limit) > 0 || d.Amount.Cmp(a.Amount) > 0 || d.Limit.Cmp(decimal.NewFromInt(200000)) > 0 {
				t.Fatalf("item %d: amount %v limit %v requested %v", i, d.Amount, d.Limit, a.Amount)
			}
			if !d.Limit.Mod(decimal.NewFromInt(100)).IsZero() {
				t.Fatalf("item %d: limit %v not in steps of 100", i, d.Limit)
			}
			if d.Payment.Cmp(d.Capacity) > 0 {
				t.Fatalf("item %d: payment %v above capacity %v", i, d.Payment, d.Capacity)
			}
			want, _ := Payment(d.Amount, d.AnnualRate, d.TermMonths, 2)
			if !d.Payment.Equal(want) {
				t.Fatalf("item %d: payment %v, annuity %v", i, d.Payment, want)
			}
			if d.Limit.Cmp(a.Amount) < 0 && !d.HasReason(CodeLimitBelowRequest) {
				t.Fatalf("item %d: counter-offer without its reason", i)
			}
		}
		if len(d.ApplicationInputs) != german.model.NumVars() || len(d.BehaviourInputs) != behaviour.model.NumVars() {
			t.Fatalf("item %d: inputs %d %d", i, len(d.ApplicationInputs), len(d.BehaviourInputs))
		}
		if i < 50 {
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var back Decision
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(d, back); diff != "" {
				t.Fatalf("item %d: JSON round trip (-want +got):\n%s", i, diff)
			}
		}
	}
	t.Logf("outcomes: %d approve, %d refer, %d decline", count[Approve], count[Refer], count[Decline])
	for _, o := range []Outcome{Approve, Refer, Decline} {
		if count[o] < len(simBatch.results)/20 {
			t.Errorf("only %d decisions %v: the simulated book should show every outcome", count[o], o)
		}
	}
}

// TestDecisionMapping: the German model reads the term from the
// application and the age from the profile; the rest from attributes.
func TestDecisionMapping(t *testing.T) {
	loadSimBatch(t)
	d := simBatch.results[0].Decision
	a := simBatch.apps[0]
	p := simProfile(t, 0, 6)
	age := TakeSnapshot(p, checkpoint(6)).AgeYears
	for _, in := range d.ApplicationInputs {
		switch in.Name {
		case "duration_months":
			if in.Num != float64(a.TermMonths) {
				t.Errorf("duration_months %v, term %d", in.Num, a.TermMonths)
			}
		case "age":
			if in.Num != age {
				t.Errorf("age %v, profile %v", in.Num, age)
			}
		case "credit_amount":
			if in.Num != mustFloat(a.Attributes["credit_amount"]) {
				t.Errorf("credit_amount %v, attribute %v", in.Num, a.Attributes["credit_amount"])
			}
		default:
			if in.Category && in.Cat != a.Attributes[in.Name] {
				t.Errorf("%s = %q, attribute %q", in.Name, in.Cat, a.Attributes[in.Name])
			}
		}
	}
}

func mustFloat(s string) float64 {
	var f float64
	_ = json.Unmarshal([]byte(s), &f)
	return f
}

// TestDecideDeterministic: deciding again, alone or in another batch with
// other workers, gives the same decisions.
func TestDecideDeterministic(t *testing.T) {
	loadSimBatch(t)
	e := simEngine(t)
	mp := simProfilesAt(t, 6)
	again, err := e.DecideBatch(t.Context(), simBatch.apps, mp, checkpoint(6), &BatchOptions{Workers: 7})
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if diff := cmp.Diff(simBatch.results[i], again[i]); diff != "" {
			t.Fatalf("item %d differs (-first +second):\n%s", i, diff)
		}
	}
	// Decide on one application equals its batch decision when it shares
	// no device or contact with another customer.
	for i := 0; i < len(simBatch.apps); i += 37 {
		a := simBatch.apps[i]
		d, err := e.Decide(&a, Applicant{Profile: mp.profiles[a.CustomerID], Contacts: mp.contacts[a.CustomerID]}, checkpoint(6))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(simBatch.results[i].Decision, d); diff != "" {
			t.Fatalf("item %d: Decide differs from DecideBatch (-batch +single):\n%s", i, diff)
		}
	}
}

// TestVerificationAgainstTruth compares the verification signals with the
// simulator's truth: declared income against the true income, the
// employer and device the test put on each application.
func TestVerificationAgainstTruth(t *testing.T) {
	loadSimBatch(t)
	var over, overFlagged, honest, honestFlagged int
	var wrongEmp, wrongEmpFlagged, rightEmp, rightEmpMatched int
	var newDev, newDevFlagged, ownDev, ownDevKnown int
	for i, r := range simBatch.results {
		c := &sim.cs[i]
		a := &simBatch.apps[i]
		v := r.Decision.Verification
		has := func(code Code) bool {
			for _, s := range v.Signals {
				if s.Code == code {
					return true
				}
			}
			return false
		}
		stop := salaryStop(c, checkpoint(lastCheckpoint))
		steadyIncome := len(c.Income) > 0 && stop.IsZero() && r.Decision.Snapshot.IncomeFromStreams
		if truth := c.MonthlyIncome.InexactFloat64(); steadyIncome && truth > 0 && c.DeclaredMonthlyIncome.Sign() > 0 {
			ratio := c.DeclaredMonthlyIncome.InexactFloat64() / truth
			switch {
			case ratio > 1.6:
				over++
				if has(CodeIncomeOverstated) {
					overFlagged++
				}
			case ratio > 0.95 && ratio < 1.05:
				honest++
				if has(CodeIncomeOverstated) {
					honestFlagged++
				}
			}
		}
		switch {
		case a.Employer == "Golden Dragon Securities Co Ltd" && salaryPayer(c, checkpoint(6)) != "":
			wrongEmp++
			if has(CodeEmployerMismatch) {
				wrongEmpFlagged++
			}
		case a.Employer != "" && a.Employer != "Golden Dragon Securities Co Ltd":
			rightEmp++
			if has(CodeEmployerMatch) {
				rightEmpMatched++
			}
		}
		switch {
		case len(a.DeviceID) > 10 && a.DeviceID[:10] == "new-device":
			newDev++
			if has(CodeDeviceNew) {
				newDevFlagged++
			}
		case a.DeviceID != "":
			ownDev++
			if v.DeviceKnown {
				ownDevKnown++
			}
		}
	}
	t.Logf("overstated income (truth > 1.6x): %d/%d flagged; honest: %d/%d flagged", overFlagged, over, honestFlagged, honest)
	t.Logf("wrong employer: %d/%d mismatched; true employer: %d/%d matched", wrongEmpFlagged, wrongEmp, rightEmpMatched, rightEmp)
	t.Logf("new device: %d/%d flagged; own device: %d/%d known", newDevFlagged, newDev, ownDevKnown, ownDev)
	if over < 10 || float64(overFlagged) < 0.8*float64(over) {
		t.Errorf("overstated income flagged %d of %d", overFlagged, over)
	}
	if honest < 50 || float64(honestFlagged) > 0.02*float64(honest) {
		t.Errorf("honest income flagged %d of %d", honestFlagged, honest)
	}
	if wrongEmp < 10 || wrongEmpFlagged != wrongEmp {
		t.Errorf("wrong employer flagged %d of %d", wrongEmpFlagged, wrongEmp)
	}
	if rightEmp < 100 || float64(rightEmpMatched) < 0.95*float64(rightEmp) {
		t.Errorf("true employer matched %d of %d", rightEmpMatched, rightEmp)
	}
	if newDev < 10 || newDevFlagged != newDev || float64(ownDevKnown) < 0.99*float64(ownDev) {
		t.Errorf("devices: new %d/%d, own %d/%d", newDevFlagged, newDev, ownDevKnown, ownDev)
	}
}

// TestDecidePolicyRules exercises the policy rules on a hand-made borrower.
func TestDecidePolicyRules(t *testing.T) {
	loadGerman(t)
	l := steady("c1", 8)
	now := l.month(8, 1)
	p := l.profile(t, now)
	base := Application{ID: "A1", CustomerID: "c1", Currency: "CNY", Amount: decimal.NewFromInt(20000), TermMonths: 24,
		DeclaredIncome: decimal.NewFromInt(12000), Employer: "HUAWEI TECHNOLOGIES CO., LTD.", Purpose: "car",
		DeviceID: "phone-1", ContactHash: "h1", Attributes: germanAttributes(german.ds, bestGermanRow(t))}
	decide := func(pol Policy, edit func(a *Application)) Decision {
		t.Helper()
		e, err := New(Config{Application: german.model, Policy: pol})
		if err != nil {
			t.Fatal(err)
		}
		a := base
		if edit != nil {
			edit(&a)
		}
		d, err := e.Decide(&a, Applicant{Profile: p, Contacts: []string{"h1"}}, now)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// The best risk of the German data is approved as asked.
	d := decide(Policy{}, nil)
	if d.Outcome != Approve || !d.Amount.Equal(base.Amount) {
		t.Fatalf("base case: %v %v %+v", d.Outcome, d.Amount, d.Reasons)
	}
	for _, c := range []Code{CodeIncomeVerified, CodeEmployerMatch, CodeDeviceKnown, CodeContactMatch} {
		found := false
		for _, s := range d.Verification.Signals {
			found = found || s.Code == c
		}
		if !found {
			t.Errorf("base case: no %s in %+v", c, d.Verification.Signals)
		}
	}
	// Capacity: 0.43 × 12,000 − 2,000 = 3,160 a month.
	if !d.Capacity.Equal(decimal.NewFromInt(3160)) {
		t.Errorf("capacity %v, want 3160", d.Capacity)
	}
	cases := []struct {
		name    string
		pol     Policy
		edit    func(a *Application)
		outcome Outcome
		code    Code
	}{
		{"term out of policy", Policy{}, func(a *Application) { a.TermMonths = 72 }, Decline, CodeTermOutOfPolicy},
		{"denied purpose", Policy{DeniedPurposes: []string{"car"}}, nil, Decline, CodePurposeDenied},
		{"overstated income", Policy{}, func(a *Application) { a.DeclaredIncome = decimal.NewFromInt(30000) }, Refer, CodeIncomeOverstated},
		{"income above observed", Policy{}, func(a *Application) { a.DeclaredIncome = decimal.NewFromInt(16000) }, Approve, CodeIncomeAboveObserved},
		{"wrong employer", Policy{}, func(a *Application) { a.Employer = "Tencent" }, Refer, CodeEmployerMismatch},
		{"new device", Policy{}, func(a *Application) { a.DeviceID = "tablet-9" }, Refer, CodeDeviceNew},
		{"other contact", Policy{}, func(a *Application) { a.ContactHash = "h2" }, Refer, CodeContactMismatch},
		{"nothing refers", Policy{ReferOn: []Code{}}, func(a *Application) { a.DeviceID = "tablet-9" }, Approve, CodeDeviceNew},
		{"counter-offer", Policy{}, func(a *Application) { a.Amount = decimal.NewFromInt(500000) }, Approve, CodeLimitBelowRequest},
		{"cap", Policy{MaxLimit: decimal.NewFromInt(15000)}, nil, Approve, CodeLimitBelowRequest},
		{"minimum limit", Policy{MinLimit: decimal.NewFromInt(1_000_000)}, nil, Decline, CodeNoCapacity},
		{"strict cut-off", Policy{ApprovePD: 0.001, DeclinePD: 0.002, Bands: []Band{{"A", 1, 1}}}, nil, Decline, CodeScoreDecline},
		{"refer band", Policy{ApprovePD: 0.001, DeclinePD: 0.9, Bands: []Band{{"A", 1, 1}}}, nil, Refer, CodeScoreRefer},
		{"max dti", Policy{MaxDTI: 0.1}, nil, Decline, CodeDTIAboveMax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := decide(c.pol, c.edit)
			if d.Outcome != c.outcome || !d.HasReason(c.code) {
				t.Fatalf("%v with %+v, want %v with %s", d.Outcome, d.Reasons, c.outcome, c.code)
			}
			if d.Outcome != Decline && d.Payment.Cmp(d.Capacity) > 0 {
				t.Fatalf("payment %v above capacity %v", d.Payment, d.Capacity)
			}
		})
	}
	// The cap is exact, and the limit is in steps.
	d = decide(Policy{MaxLimit: decimal.NewFromInt(15000)}, nil)
	if !d.Limit.Equal(decimal.NewFromInt(15000)) || !d.Amount.Equal(d.Limit) {
		t.Errorf("capped limit %v amount %v", d.Limit, d.Amount)
	}
	d = decide(Policy{LimitStep: decimal.NewFromInt(1000)}, func(a *Application) { a.Amount = decimal.NewFromInt(500000) })
	if !d.Limit.Mod(decimal.NewFromInt(1000)).IsZero() || d.Limit.IsZero() {
		t.Errorf("stepped limit %v", d.Limit)
	}
	// Declared income lower than observed is what the limit uses.
	d = decide(Policy{}, func(a *Application) { a.DeclaredIncome = decimal.NewFromInt(8000) })
	if d.Income != 8000 || !d.Capacity.Equal(decimal.NewFromInt(1440)) {
		t.Errorf("declared lower: income %v capacity %v", d.Income, d.Capacity)
	}
}

// TestDecideRepaymentStatus: a repayment past due refers (late) or
// declines (delinquent).
func TestDecideRepaymentStatus(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	l := newLife("c2").salary("Huawei Technologies Co Ltd", 12000, 10, 0, 9).
		repay("Ant Consumer Finance", 1500, 5, 0, 6).sessions("phone-1", 0, 9)
	a := Application{ID: "A2", CustomerID: "c2", Currency: "CNY", Amount: decimal.NewFromInt(5000), TermMonths: 12,
		Attributes: germanAttributes(german.ds, bestGermanRow(t))}
	// The July 5 repayment did not come: 10 days late on July 15, 40 on
	// August 14.
	late, err := e.Decide(&a, Applicant{Profile: l.profile(t, l.month(6, 15))}, l.month(6, 15))
	if err != nil {
		t.Fatal(err)
	}
	if late.Outcome != Refer || !late.HasReason(CodeRepaymentLate) {
		t.Errorf("10 days late: %v %+v", late.Outcome, late.Reasons)
	}
	missed, err := e.Decide(&a, Applicant{Profile: l.profile(t, l.month(7, 14))}, l.month(7, 14))
	if err != nil {
		t.Fatal(err)
	}
	if missed.Outcome != Decline || !missed.HasReason(CodeDelinquent) {
		t.Errorf("40 days late: %v %+v", missed.Outcome, missed.Reasons)
	}
}

func TestDecideErrors(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model})
	if err != nil {
		t.Fatal(err)
	}
	l := steady("c1", 6)
	now := l.month(6, 1)
	p := l.profile(t, now)
	a := Application{ID: "A", CustomerID: "c1", Currency: "CNY", Amount: decimal.NewFromInt(1000), TermMonths: 12}
	if _, err := e.Decide(&a, Applicant{Profile: p}, time.Time{}); !errors.Is(err, ErrMissing) {
		t.Errorf("zero now: %v", err)
	}
	other := a
	other.CustomerID = "c9"
	if _, err := e.Decide(&other, Applicant{Profile: p}, now); !errors.Is(err, ErrWrongCustomer) {
		t.Errorf("another customer's profile: %v", err)
	}
	eur := a
	eur.Currency = "EUR"
	if _, err := e.Decide(&eur, Applicant{Profile: p}, now); !errors.Is(err, ErrCurrency) {
		t.Errorf("currency mismatch: %v", err)
	}
	bad := a
	bad.Attributes = map[string]string{"duration_months": "twelve"}
	_, err = e.Decide(&bad, Applicant{Profile: p}, now)
	var ve *VarError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Var != "duration_months" || ve.Model != SourceApplication {
		t.Errorf("non-numeric attribute: %v", err)
	}
	inf := a
	inf.Attributes = map[string]string{"credit_amount": "1e400"}
	if _, err := e.Decide(&inf, Applicant{Profile: p}, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("infinite attribute: %v", err)
	}
	invalid := a
	invalid.Amount = decimal.Zero
	if _, err := e.Decide(&invalid, Applicant{Profile: p}, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid application: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	loadGerman(t)
	loadSim(t)
	beh := loadBehaviour(t)
	noCounts, err := scorecard.NewModel(mustBins(t), &scorecard.LogitResult{Names: []string{"const", "age"}, Coef: []float64{-1, -1}, SE: []float64{0.1, 0.1}, Z: []float64{-10, -10}, P: []float64{0, 0}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  Config
		err  error
		v    string
	}{
		{"no model", Config{}, ErrModel, ""},
		{"unknown mapping entry", Config{Application: german.model, Mapping: Mapping{"salary": {}}}, ErrModel, "salary"},
		{"unknown profile variable", Config{Application: german.model, Mapping: Mapping{"age": {From: FromProfile, Name: "age"}}}, ErrModel, "age"},
		{"unknown application field", Config{Application: german.model, Mapping: Mapping{"age": {From: FromApplication, Name: "birthday"}}}, ErrModel, "age"},
		{"kind mismatch", Config{Application: german.model, Mapping: Mapping{"purpose": {From: FromApplication, Name: "amount"}}}, ErrModel, "purpose"},
		{"kind mismatch profile", Config{Application: german.model, Mapping: Mapping{"age": {From: FromProfile, Name: "occupation"}}}, ErrModel, "age"},
		{"codes on numeric", Config{Application: german.model, Mapping: Mapping{"age": {Codes: map[string]string{"a": "b"}}}}, ErrModel, "age"},
		{"scale on categorical", Config{Application: german.model, Mapping: Mapping{"purpose": {Scale: 2}}}, ErrModel, "purpose"},
		{"NaN scale", Config{Application: german.model, Mapping: Mapping{"age": {Scale: math.NaN()}}}, ErrModel, "age"},
		{"bad origin", Config{Application: german.model, Mapping: Mapping{"age": {From: Origin(9)}}}, ErrModel, "age"},
		{"behaviour without counts", Config{Application: german.model, Behaviour: noCounts}, ErrModel, ""},
		{"bad policy", Config{Application: german.model, Behaviour: beh, Policy: Policy{MaxDTI: 2}}, ErrPolicy, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.cfg)
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			var ve *VarError
			if c.v != "" && (!errors.As(err, &ve) || ve.Var != c.v) {
				t.Fatalf("error %v should name %q", err, c.v)
			}
		})
	}
}

// mustBins bins one numeric variable of the German data.
func mustBins(t testing.TB) []*scorecard.Binning {
	c, _ := german.ds.Column("age")
	b, err := scorecard.BinColumn(c, german.ds.Bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	return []*scorecard.Binning{b}
}

// bestGermanRow returns the German credit row the model finds safest.
func bestGermanRow(t testing.TB) int {
	res, err := german.model.ScoreDataset(german.ds)
	if err != nil {
		t.Fatal(err)
	}
	best := 0
	for r := range res {
		if res[r].Score > res[best].Score {
			best = r
		}
	}
	return best
}

// TestDecideRejectsTheFuture: a profile that holds events after now cannot
// decide at now.
func TestDecideRejectsTheFuture(t *testing.T) {
	e := monitorEngine(t)
	l := steady("c", 9)
	p := l.profile(t, l.month(9, 1))
	a := Application{ID: "A", CustomerID: "c", Currency: "CNY", Amount: decimal.NewFromInt(1000), TermMonths: 12}
	_, err := e.Decide(&a, Applicant{Profile: p}, l.month(6, 1))
	var fe *FieldError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != "now" {
		t.Fatalf("deciding in the past: %v", err)
	}
	loan := originate(t, e, l, 4)
	if _, err := e.Warn(&loan, p, l.month(6, 1)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("warning in the past: %v", err)
	}
}

// TestDecideWithoutIncome: with no income observed there is no limit to
// offer, and the application goes to an underwriter even when no
// verification signal refers.
func TestDecideWithoutIncome(t *testing.T) {
	loadGerman(t)
	e, err := New(Config{Application: german.model, Policy: Policy{ReferOn: []Code{}}})
	if err != nil {
		t.Fatal(err)
	}
	l := newLife("c").spend(300, 0, 6).sessions("phone-1", 0, 6)
	now := l.month(6, 1)
	a := Application{ID: "A", CustomerID: "c", Currency: "CNY", Amount: decimal.NewFromInt(5000), TermMonths: 12,
		Attributes: germanAttributes(german.ds, bestGermanRow(t))}
	d, err := e.Decide(&a, Applicant{Profile: l.profile(t, now)}, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != Refer || !d.HasReason(CodeNoCapacity) || !d.Limit.IsZero() || d.HasReason(CodeReferSignal) {
		t.Fatalf("%v limit %v reasons %+v", d.Outcome, d.Limit, d.Reasons)
	}
	for i, r := range d.Reasons {
		if i > 0 && sourceRank(r.Source) < sourceRank(d.Reasons[i-1].Source) {
			t.Fatalf("reasons out of order: %+v", d.Reasons)
		}
	}
}

func sourceRank(s string) int {
	switch s {
	case SourcePolicy:
		return 0
	case SourceVerification:
		return 1
	}
	return 2
}
