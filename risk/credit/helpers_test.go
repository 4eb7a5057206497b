package credit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// The German credit application scorecard, fitted once per test binary.
// The protected attributes personal_status_sex and foreign_worker are left
// out, as ECOA / Regulation B (12 CFR 1002.6(b)) requires of a credit
// decision.
var german struct {
	once  sync.Once
	ds    *scorecard.Dataset
	train *scorecard.Dataset
	test  *scorecard.Dataset
	model *scorecard.Model // fitted on train
	small *scorecard.Model // challenger: at most 6 variables
	err   error
}

func loadGerman(t testing.TB) {
	t.Helper()
	german.once.Do(func() {
		ds, err := scorecard.ReadCSVFile("testdata/german.csv", &scorecard.CSVOptions{
			Target: "class", Bad: "2", Good: "1", Drop: []string{"personal_status_sex", "foreign_worker"}})
		if err != nil {
			german.err = err
			return
		}
		german.ds = ds
		if german.train, german.test, err = ds.Split(0.3, 1); err != nil {
			german.err = err
			return
		}
		if german.model, _, err = scorecard.Fit(german.train, &scorecard.Options{Model: scorecard.ModelOptions{Name: "german-application"}}); err != nil {
			german.err = err
			return
		}
		german.small, _, german.err = scorecard.Fit(german.train, &scorecard.Options{
			Selection: scorecard.SelectionOptions{MaxVars: 6}, Model: scorecard.ModelOptions{Name: "german-application-small"}})
	})
	if german.err != nil {
		t.Fatal(german.err)
	}
}

// germanAttributes returns row r of ds as application attributes.
func germanAttributes(ds *scorecard.Dataset, r int) map[string]string {
	out := make(map[string]string, len(ds.Columns))
	for _, c := range ds.Columns {
		if c.Kind == scorecard.Numeric {
			out[c.Name] = fmt.Sprint(c.Num[r])
		} else {
			out[c.Name] = c.Cat[r]
		}
	}
	return out
}

// The simulated bank: customers over 12 months, their profiles encoded at
// the start of months 4 to 12 (checkpoints), built once per test binary.
const (
	firstCheckpoint = 4
	lastCheckpoint  = 12
	labelHorizon    = 4 // months a behaviour label looks ahead
)

var sim struct {
	once     sync.Once
	cs       []synth.Customer
	start    time.Time
	profiles [][]byte // [customer*nCheckpoints + k]
	builder  *profile.Builder
	err      error
}

// simCustomers is the simulated population. The same under the race
// detector (about 10 s to simulate and profile there), so every test sees
// the same customers in every mode.
const simCustomers = 1000

func loadSim(t testing.TB) {
	t.Helper()
	sim.once.Do(func() {
		cs, err := synth.Generate(synth.Config{Seed: 11, Customers: simCustomers, Months: 12, FraudShare: -1, HardCaseShare: -1})
		if err != nil {
			sim.err = err
			return
		}
		sim.cs = cs
		loc, _ := time.LoadLocation(synth.MarketCN.TimeZone())
		sim.start = time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
		sim.builder, err = profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
		if err != nil {
			sim.err = err
			return
		}
		n := lastCheckpoint - firstCheckpoint + 1
		sim.profiles = make([][]byte, len(cs)*n)
		var wg sync.WaitGroup
		errs := make([]error, len(cs))
		sem := make(chan struct{}, 4)
		for i := range cs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				errs[i] = buildCheckpoints(i)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				sim.err = err
				return
			}
		}
	})
	if sim.err != nil {
		t.Fatal(sim.err)
	}
}

func checkpoint(k int) time.Time { return sim.start.AddDate(0, k, 0) }

func buildCheckpoints(i int) error {
	c := &sim.cs[i]
	p := profile.New(c.ID)
	if err := p.SetCustomer(c.Customer); err != nil {
		return err
	}
	j := 0
	n := lastCheckpoint - firstCheckpoint + 1
	for k := firstCheckpoint; k <= lastCheckpoint; k++ {
		at := checkpoint(k)
		for ; j < len(c.Events) && c.Events[j].Time.Before(at); j++ {
			if err := sim.builder.Apply(p, &c.Events[j], c.Events[j].Time); err != nil {
				return err
			}
		}
		b, err := p.MarshalBinary()
		if err != nil {
			return err
		}
		sim.profiles[i*n+k-firstCheckpoint] = b
	}
	return nil
}

// simProfile returns customer i's profile at the start of month k.
func simProfile(t testing.TB, i, k int) *profile.Profile {
	t.Helper()
	n := lastCheckpoint - firstCheckpoint + 1
	p := new(profile.Profile)
	if err := p.UnmarshalBinary(sim.profiles[i*n+k-firstCheckpoint]); err != nil {
		t.Fatal(err)
	}
	return p
}

// Truth helpers.

// loanTrouble reports whether customer c had a loan repayment due in
// [from, to) paid late or missed.
func loanTrouble(c *synth.Customer, from, to time.Time) bool {
	for _, s := range c.Bills {
		if s.Kind != profile.KindLoanRepayment {
			continue
		}
		for _, ex := range s.Exceptions {
			if !ex.Due.Before(from) && ex.Due.Before(to) {
				return true
			}
		}
	}
	return false
}

// salaryStop returns when customer c's salary stopped for good (job loss:
// no other salary began within 90 days of the last pay: the simulator's
// job changes leave up to six weeks between employers, plus the new
// payroll's first date), or the zero time.
func salaryStop(c *synth.Customer, end time.Time) time.Time {
	var out time.Time
	for _, s := range c.Income {
		if s.Purpose != synth.PurposeSalary || !s.Last.Before(end.AddDate(0, 0, -45)) {
			continue
		}
		replaced := false
		for _, o := range c.Income {
			if o.Purpose == synth.PurposeSalary && o.Counterparty != s.Counterparty && !o.First.Before(s.Last) && o.First.Before(s.Last.AddDate(0, 0, 90)) {
				replaced = true
			}
		}
		if !replaced {
			out = s.Next(s.Last)
		}
	}
	return out
}

// behaviourBad is the behaviour label: within labelHorizon months after at,
// a loan repayment paid late or missed, or the salary stopped.
func behaviourBad(c *synth.Customer, at time.Time) bool {
	to := at.AddDate(0, labelHorizon, 0)
	if loanTrouble(c, at, to) {
		return true
	}
	stop := salaryStop(c, sim.start.AddDate(0, lastCheckpoint, 0))
	return !stop.IsZero() && !stop.Before(at) && stop.Before(to)
}

// behaviourSample returns snapshots at months 4, 6 and 8 with their labels.
func behaviourSample(t testing.TB, customers []int) ([]Snapshot, []bool) {
	var snaps []Snapshot
	var bad []bool
	for _, k := range []int{4, 6, 8} {
		at := checkpoint(k)
		for _, i := range customers {
			p := simProfile(t, i, k)
			snaps = append(snaps, TakeSnapshot(p, at))
			bad = append(bad, behaviourBad(&sim.cs[i], at))
		}
	}
	return snaps, bad
}

// behaviourVars are the profile variables offered to the behaviour fit.
var behaviourVars = []string{"monthly_income", "income_cv", "income_streams", "salary_mature", "income_stopped",
	"salary_days", "income_trend", "spend_to_income", "dti", "disposable_ratio", "loans", "other_lenders",
	"loans_overdue", "max_loan_days_overdue", "net_flow_ratio", "age_years", "declared_income_ratio", "occupation"}

var behaviour struct {
	once  sync.Once
	model *scorecard.Model
	train []int // customers of the development sample
	test  []int
	err   error
}

// behaviourOptions are the fit options of the behaviour scorecard: few
// bins and stepwise selection, for a sample with few bads.
func behaviourOptions() *scorecard.Options {
	return &scorecard.Options{
		Binning:   scorecard.BinningOptions{MaxBins: 4},
		Selection: scorecard.SelectionOptions{Stepwise: true},
		Model:     scorecard.ModelOptions{Name: "simulated-behaviour"},
	}
}

// loadBehaviour fits the behaviour scorecard on the even customers.
func loadBehaviour(t testing.TB) *scorecard.Model {
	t.Helper()
	loadSim(t)
	behaviour.once.Do(func() {
		for i := range sim.cs {
			if i%2 == 0 {
				behaviour.train = append(behaviour.train, i)
			} else {
				behaviour.test = append(behaviour.test, i)
			}
		}
		snaps, bad := behaviourSample(t, behaviour.train)
		ds, err := SnapshotDataset(snaps, bad, behaviourVars)
		if err != nil {
			behaviour.err = err
			return
		}
		behaviour.model, _, behaviour.err = scorecard.Fit(ds, behaviourOptions())
	})
	if behaviour.err != nil {
		t.Fatal(behaviour.err)
	}
	return behaviour.model
}

// germanMapping fills the German model from the application and profile
// where they carry the same information.
func germanMapping() Mapping {
	return Mapping{
		"duration_months": {From: FromApplication, Name: "term_months"},
		"age":             {From: FromProfile, Name: "age_years"},
	}
}

// mainDevice returns the device customer c used most before at.
func mainDevice(c *synth.Customer, at time.Time) string {
	count := map[string]int{}
	for _, e := range c.Events {
		if !e.Time.Before(at) {
			break
		}
		if e.DeviceID != "" {
			count[e.DeviceID]++
		}
	}
	best, n := "", 0
	for d, k := range count {
		if k > n || k == n && d < best {
			best, n = d, k
		}
	}
	return best
}

// salaryPayer returns a payer of a salary paid to c before at and still
// paid after it ("" when none).
func salaryPayer(c *synth.Customer, at time.Time) string {
	for _, s := range c.Income {
		if s.Purpose == synth.PurposeSalary && s.First.Before(at) && s.Last.After(at) {
			return s.Counterparty
		}
	}
	return ""
}

// simApplications returns one application per customer at month k, with
// German form attributes of a random applicant and, for a share of them,
// a wrong employer or a new device. Declared income is the customer's own
// declaration (sometimes overstated by the simulator).
func simApplications(customers []int, k int, seed uint64) []Application {
	r := rand.New(rand.NewPCG(seed, 2))
	at := checkpoint(k)
	apps := make([]Application, 0, len(customers))
	for _, i := range customers {
		c := &sim.cs[i]
		a := Application{
			ID: fmt.Sprintf("app-%s-%d", c.ID, k), CustomerID: c.ID, Currency: "CNY",
			Amount:         decimal.NewFromInt(int64(5+r.IntN(20)) * 2000),
			TermMonths:     []int{12, 24, 36}[r.IntN(3)],
			DeclaredIncome: c.DeclaredMonthlyIncome,
			Employer:       salaryPayer(c, at),
			Purpose:        []string{"car", "furniture", "education", "renovation", "travel"}[r.IntN(5)],
			DeviceID:       mainDevice(c, at),
			ContactHash:    fmt.Sprintf("h-%s", c.ID),
			Attributes:     germanAttributes(german.ds, r.IntN(german.ds.Rows())),
		}
		switch x := r.Float64(); {
		case x < 0.08:
			a.Employer = "Golden Dragon Securities Co Ltd"
		case x < 0.16:
			a.DeviceID = fmt.Sprintf("new-device-%d", i)
		}
		apps = append(apps, a)
	}
	return apps
}

// mapProfiles is a Profiles over a map, with optional contacts, failures
// and a hook.
type mapProfiles struct {
	profiles map[string]*profile.Profile
	contacts map[string][]string
	fail     map[string]error
}

func (m *mapProfiles) Profile(ctx context.Context, id string) (*profile.Profile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := m.fail[id]; err != nil {
		return nil, err
	}
	p, ok := m.profiles[id]
	if !ok {
		return nil, fmt.Errorf("lookup %s: %w", id, profile.ErrNotFound)
	}
	return p, nil
}

func (m *mapProfiles) Contacts(ctx context.Context, id string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.contacts[id], nil
}
