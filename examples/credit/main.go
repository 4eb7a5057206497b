// Command credit runs the credit-decision SDK end to end on simulated
// customers: it fits (or loads) the application scorecard, develops a
// behaviour scorecard on last year's simulated book, decides this year's
// applications in a batch (some with overstated income, a wrong employer or
// a new device), books the approved loans, watches them month by month
// with early warnings checked against the simulator's truth, reviews them
// in-loan, and reports population drift and a champion/challenger run.
//
//	go run ./examples/credit [-customers 1500] [-seed 1] [-german FILE | -model FILE] [-show 12]
//
// The application scorecard is fitted on the Statlog German credit data
// (without its protected attributes). The simulator has no credit bureau:
// each applicant's form and bureau attributes are borrowed from a random
// German applicant, while the term, age, amount and purpose come from the
// application and the profile. The behaviour scorecard learns from the
// simulator's truth (a loan repayment paid late or missed, or a salary
// stopping, within four months), so its power is a property of the
// simulator, not of real borrowers. The report on standard output is the
// same for the same flags; timings go to standard error.
package main

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // customers' time zones work on machines without a zone database

	"github.com/shopspring/decimal"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk/credit"
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "credit:", err)
		os.Exit(1)
	}
}

type config struct {
	customers int
	seed      uint64
	german    string
	model     string
	show      int
}

func parse(args []string, errOut io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("credit", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.IntVar(&c.customers, "customers", 1500, "simulated customers in each year's book (at least 100)")
	fs.Uint64Var(&c.seed, "seed", 1, "simulation seed")
	fs.StringVar(&c.german, "german", "risk/credit/testdata/german.csv", "Statlog German credit CSV to fit the application scorecard on")
	fs.StringVar(&c.model, "model", "", "application scorecard model file to load instead of fitting one")
	fs.IntVar(&c.show, "show", 12, "decisions and alerts to print in detail")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.customers < 100 || c.customers > 100_000:
		return c, errors.New("-customers must be 100 to 100000")
	case c.show < 0:
		return c, errors.New("-show must not be negative")
	}
	return c, nil
}

// The calendar of the simulated year: applications at the start of month
// 6 (July), monitoring at the start of months 7 to 12.
const (
	originMonth = 6
	lastMonth   = 12
	horizon     = 4 // months a behaviour label looks ahead
)

// germanProtected are left out of the application scorecard: credit
// decisions may not use sex, marital status or national origin (ECOA,
// Regulation B, 12 CFR 1002.6(b)).
var germanProtected = []string{"personal_status_sex", "foreign_worker"}

func run(args []string, out, errOut io.Writer) error {
	cfg, err := parse(args, errOut)
	if err != nil {
		return err
	}
	ctx := context.Background()
	t0 := time.Now()
	fmt.Fprintf(out, "suanpan credit: %d simulated customers a year, seed %d\n\n", cfg.customers, cfg.seed)

	// 1. The application scorecard.
	germanDS, err := scorecard.ReadCSVFile(cfg.german, &scorecard.CSVOptions{Target: "class", Bad: "2", Good: "1", Drop: germanProtected})
	if err != nil {
		return fmt.Errorf("reading the German credit data (the applicants' borrowed bureau attributes): %w", err)
	}
	var app *scorecard.Model
	if cfg.model != "" {
		f, err := os.Open(cfg.model)
		if err != nil {
			return err
		}
		app, err = scorecard.ReadModel(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", cfg.model, err)
		}
		fmt.Fprintf(out, "APPLICATION SCORECARD loaded from %s: %s, %d variables\n", cfg.model, app.ID(), app.NumVars())
	} else {
		if app, _, err = scorecard.Fit(germanDS, &scorecard.Options{Model: scorecard.ModelOptions{Name: "german-application"}}); err != nil {
			return err
		}
		fmt.Fprintf(out, "APPLICATION SCORECARD fitted on Statlog German credit (%d rows, protected attributes left out): %s, %d variables\n",
			germanDS.Rows(), app.ID(), app.NumVars())
	}
	fmt.Fprintf(out, "  variables: %s\n\n", strings.Join(app.Names(), ", "))

	// 2. The behaviour scorecard, developed on last year's book.
	tb := time.Now()
	dev, err := simulate(cfg.customers, cfg.seed+1000)
	if err != nil {
		return err
	}
	beh, devRows, devBads, err := fitBehaviour(dev)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "BEHAVIOUR SCORECARD developed on last year's simulated book: %d snapshots (months 4, 6, 8), %d bad\n", devRows, devBads)
	fmt.Fprintf(out, "  (bad = a loan repayment late or missed, or the salary stopping, in the next %d months, from the simulator's truth)\n", horizon)
	fmt.Fprintf(out, "  %s, variables: %s\n\n", beh.ID(), strings.Join(beh.Names(), ", "))
	fmt.Fprintf(errOut, "behaviour scorecard developed in %v\n", time.Since(tb).Round(time.Millisecond))

	// 3. This year's book: profiles up to the application date.
	book, err := simulate(cfg.customers, cfg.seed)
	if err != nil {
		return err
	}
	store := profile.NewMemoryStore()
	if err := book.advance(ctx, store, originMonth); err != nil {
		return err
	}
	eng, err := credit.New(credit.Config{
		Application: app, Behaviour: beh, Mapping: mapping(),
		Policy: credit.Policy{
			MaxLimit:  decimal.NewFromInt(200000), // CBIRC cap on unsecured consumer credit lines online
			LimitStep: decimal.NewFromInt(100),
		},
	})
	if err != nil {
		return err
	}
	pol := eng.Policy()
	fmt.Fprintf(out, "POLICY %s: approve PD <= %.3f, decline PD > %.3f, max DTI %.2f, rate %s, max term %d months, max limit %s\n",
		pol.Version, pol.ApprovePD, pol.DeclinePD, pol.MaxDTI, pol.AnnualRate, pol.MaxTermMonths, pol.MaxLimit)
	fmt.Fprintln(out, "  (the default cut-offs; the German sample holds 30% bads, so its PDs run high and many applicants are declined)")
	fmt.Fprintln(out)

	// 4. Batch approval.
	lookup := contactBook{Profiles: credit.StoreProfiles(store), key: []byte("example contact key")}
	apps, tweaks := book.applications(germanDS, lookup, cfg.seed)
	at := book.month(originMonth)
	td := time.Now()
	results, err := eng.DecideBatch(ctx, apps, lookup, at, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "decided %d applications in %v\n", len(apps), time.Since(td).Round(time.Millisecond))
	decisions := printDecisions(out, apps, results, tweaks, cfg.show)
	// The challenger decides on the same profiles, as of the same date.
	shadow, err := challenger(ctx, eng, germanDS, beh, apps, lookup, at)
	if err != nil {
		return err
	}

	// 5. Book the approved loans and watch them.
	var loans []credit.Loan
	for _, d := range decisions {
		if d.Outcome == credit.Approve {
			loans = append(loans, d.Loan("L-"+d.ApplicationID[2:], at))
		}
	}
	if err := watch(ctx, out, eng, store, book, loans, cfg.show); err != nil {
		return err
	}

	// 6. In-loan review at the end of the year.
	if err := review(ctx, out, eng, store, book, loans, cfg.show); err != nil {
		return err
	}

	// 7. Population drift and champion/challenger.
	if err := drift(out, eng, decisions, book.month(lastMonth)); err != nil {
		return err
	}
	shadow.print(out)
	fmt.Fprintf(errOut, "total %v\n", time.Since(t0).Round(time.Millisecond))
	return nil
}

// mapping fills the German model from the application and the profile
// where they carry the information: term, age, amount and purpose. The
// German amounts are Deutsche Mark of the 1970s; the requested yuan are
// scaled by 0.1 so that they fall in the model's range (illustrative).
func mapping() credit.Mapping {
	return credit.Mapping{
		"duration_months": {From: credit.FromApplication, Name: "term_months"},
		"age":             {From: credit.FromProfile, Name: "age_years"},
		"credit_amount":   {From: credit.FromApplication, Name: "amount", Scale: 0.1},
		"purpose": {From: credit.FromApplication, Name: "purpose", Codes: map[string]string{
			"car": "A40", "used_car": "A41", "furniture": "A42", "electronics": "A43", "appliances": "A44",
			"renovation": "A45", "education": "A46", "travel": "A47", "business": "A49", "other": "A410"}},
	}
}

// year is one simulated year of a bank's customers.
type year struct {
	cs      []synth.Customer
	builder *profile.Builder
	start   time.Time
	applied []int // events applied per customer
}

func simulate(n int, seed uint64) (*year, error) {
	cs, err := synth.Generate(synth.Config{Seed: seed, Customers: n, Months: lastMonth, FraudShare: -1})
	if err != nil {
		return nil, err
	}
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(synth.MarketCN.TimeZone())
	if err != nil {
		return nil, err
	}
	return &year{cs: cs, builder: b, start: time.Date(2025, 1, 1, 0, 0, 0, 0, loc), applied: make([]int, n)}, nil
}

// month returns the start of month k (0 = January).
func (y *year) month(k int) time.Time { return y.start.AddDate(0, k, 0) }

// advance applies every customer's events before month k to the store.
func (y *year) advance(ctx context.Context, s profile.Store, k int) error {
	until := y.month(k)
	for i := range y.cs {
		c := &y.cs[i]
		_, err := profile.Update(ctx, s, c.ID, func(p *profile.Profile) error {
			if p.Seq() == 0 {
				if err := p.SetCustomer(c.Customer); err != nil {
					return err
				}
			}
			for j := y.applied[i]; j < len(c.Events) && c.Events[j].Time.Before(until); j++ {
				if err := y.builder.Apply(p, &c.Events[j], c.Events[j].Time); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("customer %s: %w", c.ID, err)
		}
		for y.applied[i] < len(c.Events) && c.Events[y.applied[i]].Time.Before(until) {
			y.applied[i]++
		}
	}
	return nil
}

// fitBehaviour develops the behaviour scorecard on snapshots at months 4, 6
// and 8 labelled from the simulator's truth.
func fitBehaviour(y *year) (*scorecard.Model, int, int, error) {
	var snaps []credit.Snapshot
	var bad []bool
	store := profile.NewMemoryStore()
	ctx := context.Background()
	for _, k := range []int{4, 6, 8} {
		if err := y.advance(ctx, store, k); err != nil {
			return nil, 0, 0, err
		}
		at := y.month(k)
		for i := range y.cs {
			p, _, err := store.Get(ctx, y.cs[i].ID)
			if err != nil {
				return nil, 0, 0, err
			}
			snaps = append(snaps, credit.TakeSnapshot(p, at))
			bad = append(bad, trouble(&y.cs[i], at, at.AddDate(0, horizon, 0), y.month(lastMonth)))
		}
	}
	vars := []string{"monthly_income", "income_cv", "income_streams", "salary_mature", "income_stopped", "salary_days",
		"income_trend", "spend_to_income", "dti", "disposable_ratio", "loans", "other_lenders", "loans_overdue",
		"max_loan_days_overdue", "net_flow_ratio", "age_years", "declared_income_ratio", "occupation"}
	ds, err := credit.SnapshotDataset(snaps, bad, vars)
	if err != nil {
		return nil, 0, 0, err
	}
	m, _, err := scorecard.Fit(ds, &scorecard.Options{
		Binning:   scorecard.BinningOptions{MaxBins: 4},
		Selection: scorecard.SelectionOptions{Stepwise: true},
		Model:     scorecard.ModelOptions{Name: "simulated-behaviour"},
	})
	if err != nil {
		return nil, 0, 0, err
	}
	rows, bads := m.TrainRows()
	return m, rows, bads, nil
}

// repaymentTrouble returns the loan repayments of c due in [from, to) that
// were paid more than five days late or missed, by lender.
func repaymentTrouble(c *synth.Customer, from, to time.Time) []string {
	var out []string
	for _, s := range c.Bills {
		if s.Kind != profile.KindLoanRepayment {
			continue
		}
		for _, ex := range s.Exceptions {
			if !ex.Due.Before(from) && ex.Due.Before(to) && (ex.Paid.IsZero() || ex.Paid.Sub(ex.Due) > 5*24*time.Hour) {
				out = append(out, s.Counterparty)
			}
		}
	}
	return out
}

// jobLoss returns when c's salary stopped with no new salary within 90
// days, or the zero time.
func jobLoss(c *synth.Customer, end time.Time) time.Time {
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

// trouble is the behaviour label: a late or missed repayment due, or a job
// loss, in [from, to).
func trouble(c *synth.Customer, from, to, end time.Time) bool {
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
	stop := jobLoss(c, end)
	return !stop.IsZero() && !stop.Before(from) && stop.Before(to)
}

// Tweaks the example makes to some applications, to exercise
// cross-verification.
const (
	tweakNone = iota
	tweakEmployer
	tweakDevice
	tweakContact
)

var tweakNames = [...]string{"", "wrong employer", "new device", "other phone"}

// applications writes one application per customer at the application
// date: amount, term and purpose drawn, income as the customer declared
// it (the simulator overstates some), employer and device as observed, and
// for a share of them a wrong employer, a new device or another phone.
func (y *year) applications(german *scorecard.Dataset, contacts contactBook, seed uint64) ([]credit.Application, []int) {
	r := rand.New(rand.NewPCG(seed, 7))
	at := y.month(originMonth)
	apps := make([]credit.Application, len(y.cs))
	tweaks := make([]int, len(y.cs))
	purposes := []string{"car", "used_car", "furniture", "electronics", "renovation", "education", "travel", "business"}
	for i := range y.cs {
		c := &y.cs[i]
		a := credit.Application{
			ID: "A-" + c.ID[1:], CustomerID: c.ID, Currency: "CNY",
			Amount:         decimal.NewFromInt(int64(5+r.IntN(60)) * 1000),
			TermMonths:     []int{12, 24, 36, 48}[r.IntN(4)],
			DeclaredIncome: c.DeclaredMonthlyIncome,
			Employer:       payer(c, at),
			Purpose:        purposes[r.IntN(len(purposes))],
			DeviceID:       device(c, at),
			ContactHash:    contacts.hash(c.ID + "/mobile"),
			Attributes:     bureau(german, r.IntN(german.Rows())),
		}
		switch x := r.Float64(); {
		case x < 0.04 && a.Employer != "":
			a.Employer, tweaks[i] = "Golden Dragon Securities Co Ltd", tweakEmployer
		case x < 0.08:
			a.DeviceID, tweaks[i] = "new-device-"+strconv.Itoa(i), tweakDevice
		case x < 0.10:
			a.ContactHash, tweaks[i] = contacts.hash(c.ID+"/another phone"), tweakContact
		}
		apps[i] = a
	}
	return apps, tweaks
}

// payer returns the employer paying c's salary across at, "" when none.
func payer(c *synth.Customer, at time.Time) string {
	for _, s := range c.Income {
		if s.Purpose == synth.PurposeSalary && s.First.Before(at) && s.Last.After(at) {
			return s.Counterparty
		}
	}
	return ""
}

// device returns the device c used most before at.
func device(c *synth.Customer, at time.Time) string {
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

// bureau returns row r of the German data as form and bureau attributes.
func bureau(ds *scorecard.Dataset, r int) map[string]string {
	out := make(map[string]string, len(ds.Columns))
	for _, c := range ds.Columns {
		if c.Kind == scorecard.Numeric {
			out[c.Name] = strconv.FormatFloat(c.Num[r], 'g', -1, 64)
		} else {
			out[c.Name] = c.Cat[r]
		}
	}
	return out
}

// contactBook adds contacts on file to a profile lookup (credit.ContactBook):
// a keyed hash of each customer's mobile number, so that neither the book
// nor the applications hold the number itself. The simulator has no phone
// numbers; "ID/mobile" stands for the one on file.
type contactBook struct {
	credit.Profiles
	key []byte
}

// hash is HMAC-SHA-256 of a contact under the bank's key, 16 hex digits.
func (c contactBook) hash(s string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

func (c contactBook) Contacts(ctx context.Context, customerID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []string{c.hash(customerID + "/mobile")}, nil
}

// printDecisions prints the decision table and the totals, and returns the
// decisions.
func printDecisions(out io.Writer, apps []credit.Application, results []credit.Result, tweaks []int, show int) []credit.Decision {
	fmt.Fprintf(out, "BATCH APPROVAL of %d applications (results in input order)\n", len(apps))
	tw := tabwriter.NewWriter(out, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "application\tcustomer\trequested\tterm\toutcome\tlimit\toffered\tinstalment\tband\tPD\tbehaviour\treasons\ttest tweak\t")
	var decisions []credit.Decision
	count := map[credit.Outcome]int{}
	signals := map[credit.Code]int{}
	shown := 0
	for i, r := range results {
		if r.Err != nil {
			fmt.Fprintf(out, "  %s: %v\n", apps[i].ID, r.Err)
			continue
		}
		d := r.Decision
		decisions = append(decisions, d)
		count[d.Outcome]++
		for _, s := range d.Verification.Signals {
			signals[s.Code]++
		}
		if shown < show && (tweaks[i] != tweakNone || i%7 == 0) {
			shown++
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%.3f\t%+.0f\t%s\t%s\t\n", d.ApplicationID, d.CustomerID,
				d.Requested.StringFixed(0), d.TermMonths, d.Outcome, d.Limit.StringFixed(0), d.Amount.StringFixed(0),
				d.Payment.StringFixed(2), d.Band, d.PD, d.BehaviourPoints, reasonCodes(d.Reasons, 4), tweakNames[tweaks[i]])
		}
	}
	tw.Flush()
	n := float64(len(decisions))
	fmt.Fprintf(out, "  outcomes: approve %d (%.1f%%), refer %d (%.1f%%), decline %d (%.1f%%)\n",
		count[credit.Approve], 100*float64(count[credit.Approve])/n, count[credit.Refer], 100*float64(count[credit.Refer])/n,
		count[credit.Decline], 100*float64(count[credit.Decline])/n)
	var codes []credit.Code
	for c := range signals {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	fmt.Fprint(out, "  verification signals:")
	for i, c := range codes {
		if i%4 == 0 {
			fmt.Fprint(out, "\n   ")
		}
		fmt.Fprintf(out, " %s %d", c, signals[c])
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out)
	return decisions
}

// reasonCodes lists the first n reason codes of policy and verification.
func reasonCodes(rs []credit.Reason, n int) string {
	var out []string
	for _, r := range rs {
		if len(out) == n {
			break
		}
		switch r.Source {
		case credit.SourcePolicy, credit.SourceVerification:
			out = append(out, string(r.Code))
		default:
			out = append(out, r.Source[:3]+":"+r.Var)
		}
	}
	return strings.Join(out, " ")
}

// watch runs early warning over the loan book at the start of each month
// after origination, and checks the alerts against the simulator's truth.
func watch(ctx context.Context, out io.Writer, eng *credit.Engine, store *profile.MemoryStore, book *year, loans []credit.Loan, show int) error {
	fmt.Fprintf(out, "EARLY WARNING on %d approved loans, at the start of each month\n", len(loans))
	byCustomer := map[string]*synth.Customer{}
	for i := range book.cs {
		byCustomer[book.cs[i].ID] = &book.cs[i]
	}
	tw := tabwriter.NewWriter(out, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tloans with alerts\tcritical\tsalary stopped\tincome drop\tbalance drain\tnew lender\trepayment late/missed/irregular\tscore drop\t")
	seen := map[string]bool{} // loan|code|subject already printed
	var examples []credit.Alert
	var jobLosses, jobCaught, troubles, troubleCaught int
	for k := originMonth + 1; k <= lastMonth; k++ {
		if err := book.advance(ctx, store, k); err != nil {
			return err
		}
		at := book.month(k)
		res, err := eng.WarnBatch(ctx, loans, credit.StoreProfiles(store), at, nil)
		if err != nil {
			return err
		}
		var withAlerts, critical int
		count := map[credit.Code]int{}
		for i, r := range res {
			if r.Err != nil {
				return r.Err
			}
			if len(r.Alerts) > 0 {
				withAlerts++
			}
			crit := false
			for _, a := range r.Alerts {
				count[a.Code]++
				crit = crit || a.Severity == credit.Critical
				key := a.LoanID + "|" + string(a.Code) + "|" + a.Subject
				if a.Severity == credit.Critical && !seen[key] && len(examples) < show {
					seen[key] = true
					examples = append(examples, a)
				}
			}
			if crit {
				critical++
			}
			// Truth: job losses a month or more old, repayment troubles due
			// last month.
			c := byCustomer[loans[i].CustomerID]
			if stop := jobLoss(c, book.month(lastMonth)); !stop.IsZero() && !stop.Before(book.month(k-2)) && stop.Before(book.month(k-1)) {
				jobLosses++
				if hasAlert(r.Alerts, credit.CodeSalaryStopped, "") {
					jobCaught++
				}
			}
			for _, lender := range repaymentTrouble(c, book.month(k-1), at) {
				if !origLender(loans[i], lender) {
					continue
				}
				troubles++
				if hasAlert(r.Alerts, credit.CodeRepaymentLate, lender) || hasAlert(r.Alerts, credit.CodeRepaymentMissed, lender) ||
					hasAlert(r.Alerts, credit.CodeRepaymentIrregular, lender) {
					troubleCaught++
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d/%d/%d\t%d\t\n", at.Format("2006-01"), withAlerts, critical,
			count[credit.CodeSalaryStopped], count[credit.CodeIncomeDrop], count[credit.CodeBalanceDrain], count[credit.CodeNewOtherLender],
			count[credit.CodeRepaymentLate], count[credit.CodeRepaymentMissed], count[credit.CodeRepaymentIrregular], count[credit.CodeScoreDrop])
	}
	tw.Flush()
	fmt.Fprintf(out, "  against the simulator's truth: %d of %d job losses flagged SALARY_STOPPED at the check after next;\n", jobCaught, jobLosses)
	fmt.Fprintf(out, "  %d of %d repayments paid over 5 days late or missed flagged at the next check\n", troubleCaught, troubles)
	fmt.Fprintln(out, "  (the simulator does not hold spending to income, so BALANCE_DRAIN fires more often than on real accounts)")
	fmt.Fprintln(out, "  first critical alerts:")
	for _, a := range examples {
		fmt.Fprintf(out, "    %s %s %-16s %-8s value %.2f threshold %.2f %s\n", a.At.Format("2006-01-02"), a.LoanID, a.Code, a.Severity, a.Value, a.Threshold, a.Subject)
	}
	fmt.Fprintln(out)
	return nil
}

func hasAlert(as []credit.Alert, c credit.Code, subject string) bool {
	for _, a := range as {
		if a.Code == c && (subject == "" || a.Subject == subject) {
			return true
		}
	}
	return false
}

func origLender(l credit.Loan, name string) bool {
	for _, x := range l.Origination.Lenders {
		if x.Name == name {
			return true
		}
	}
	return false
}

// review runs the in-loan review at the end of the year.
func review(ctx context.Context, out io.Writer, eng *credit.Engine, store *profile.MemoryStore, book *year, loans []credit.Loan, show int) error {
	at := book.month(lastMonth)
	count := map[credit.ReviewAction]int{}
	var examples []credit.Review
	for i := range loans {
		p, _, err := store.Get(ctx, loans[i].CustomerID)
		if err != nil {
			return err
		}
		r, err := eng.Review(&loans[i], p, at)
		if err != nil {
			return err
		}
		count[r.Action]++
		if r.Action != credit.ActionKeep && len(examples) < show/2 {
			examples = append(examples, r)
		}
	}
	fmt.Fprintf(out, "IN-LOAN REVIEW at %s: increase %d, keep %d, watch %d, decrease %d, freeze %d\n", at.Format("2006-01-02"),
		count[credit.ActionIncrease], count[credit.ActionKeep], count[credit.ActionWatch], count[credit.ActionDecrease], count[credit.ActionFreeze])
	for _, r := range examples {
		var codes []string
		for _, x := range r.Reasons {
			codes = append(codes, string(x.Code))
		}
		fmt.Fprintf(out, "  %s %-8s income %.0f -> %.0f (%.2f), CV %.2f, limit today %s: %s\n", r.LoanID, r.Action,
			r.IncomeAtOrigination, r.IncomeNow, r.IncomeRatio, r.IncomeCV, r.Limit.StringFixed(0), strings.Join(codes, " "))
	}
	fmt.Fprintln(out)
	return nil
}

// drift compares this year's applicants with each model's training sample.
func drift(out io.Writer, eng *credit.Engine, decisions []credit.Decision, at time.Time) error {
	reports, err := eng.PopulationDrift(nil, decisions, at)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "POPULATION DRIFT of this year's applicants against each model's training sample (PSI/CSI: 0.1 warning, 0.25 critical)")
	for _, r := range reports {
		fmt.Fprintf(out, "  %s (%s): score PSI %.3f %s\n", r.ModelName, r.ModelID, r.ScorePSI, r.Severity)
		vars := slices.Clone(r.Vars)
		slices.SortStableFunc(vars, func(a, b credit.VarStability) int { return cmp.Compare(b.CSI, a.CSI) })
		for _, v := range vars[:min(4, len(vars))] {
			fmt.Fprintf(out, "    %-24s CSI %.3f %s\n", v.Name, v.CSI, v.Severity)
		}
		fmt.Fprintf(out, "    %d alerts\n", len(r.Alerts))
	}
	fmt.Fprintln(out, "  (the application model was trained on 1970s German applicants; the simulated ages, terms and amounts differ by design)")
	fmt.Fprintln(out)
	return nil
}

// comparison is a champion/challenger run and the challenger's variables.
type comparison struct {
	c    *credit.Comparison
	vars []string
}

// challenger runs a smaller application scorecard beside the champion.
func challenger(ctx context.Context, champion *credit.Engine, german *scorecard.Dataset, beh *scorecard.Model,
	apps []credit.Application, lookup credit.Profiles, at time.Time) (*comparison, error) {
	small, _, err := scorecard.Fit(german, &scorecard.Options{Selection: scorecard.SelectionOptions{MaxVars: 6},
		Model: scorecard.ModelOptions{Name: "german-application-6"}})
	if err != nil {
		return nil, err
	}
	pol := champion.Policy()
	pol.Version = "" // the same rules hash to the same version
	eng, err := credit.New(credit.Config{Application: small, Behaviour: beh, Mapping: challengerMapping(small), Policy: pol})
	if err != nil {
		return nil, err
	}
	_, c, err := credit.Compare(ctx, champion, eng, apps, lookup, at, nil)
	if err != nil {
		return nil, err
	}
	return &comparison{c: c, vars: small.Names()}, nil
}

func (cc *comparison) print(out io.Writer) {
	c := cc.c
	fmt.Fprintf(out, "CHAMPION/CHALLENGER on the same %d applications (only the champion decides)\n", c.Compared)
	fmt.Fprintf(out, "  champion   %s: approve %d, refer %d, decline %d, offered %s\n", c.Champion.ModelID,
		c.Champion.Approve, c.Champion.Refer, c.Champion.Decline, c.Champion.Offered.StringFixed(0))
	fmt.Fprintf(out, "  challenger %s: approve %d, refer %d, decline %d, offered %s (variables: %s)\n", c.Challenger.ModelID,
		c.Challenger.Approve, c.Challenger.Refer, c.Challenger.Decline, c.Challenger.Offered.StringFixed(0), strings.Join(cc.vars, ", "))
	fmt.Fprintf(out, "  agreement %.1f%%, swap-in %d, swap-out %d\n", 100*c.Agreement, c.SwapIn, c.SwapOut)
	fmt.Fprintln(out, "                           challenger: approve  refer  decline")
	for i, name := range []string{"champion approve", "champion refer", "champion decline"} {
		fmt.Fprintf(out, "  %-36s %7d %6d %8d\n", name, c.Matrix[i][0], c.Matrix[i][1], c.Matrix[i][2])
	}
}

// challengerMapping keeps the entries of mapping() for the variables the
// challenger has.
func challengerMapping(m *scorecard.Model) credit.Mapping {
	out := credit.Mapping{}
	for name, src := range mapping() {
		if m.Index(name) >= 0 {
			out[name] = src
		}
	}
	return out
}
