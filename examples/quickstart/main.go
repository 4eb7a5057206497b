// Command quickstart is the first program to run: it simulates a bank's
// customers, folds their events into profiles kept in a store, and prints
// what the SDK found — income streams, bills, spending, debt, habits — for a
// few customers, with counts and timings for the whole population; then it
// replays the last month through the risk engine, assigns lifecycle stages,
// value tiers and bank-defined segments, and plans one campaign run.
// examples/credit, examples/backtest, examples/campaign, examples/clv,
// examples/scorecard and examples/uplift go deeper into each capability.
//
//	go run ./examples/quickstart [-customers 2000] [-months 12] [-seed 1] [-market cn|eu] [-show 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // customers' time zones work on machines without a zone database

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
)

func main() {
	customers := flag.Int("customers", 2000, "simulated customers")
	months := flag.Int("months", 12, "simulated months")
	seed := flag.Uint64("seed", 1, "simulation seed")
	market := flag.String("market", "cn", "market: cn (CNY, Asia/Shanghai) or eu (EUR, Europe/Berlin)")
	show := flag.Int("show", 3, "customers to print in detail")
	flag.Parse()
	if err := run(os.Stdout, *customers, *months, *seed, *market, *show); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, customers, months int, seed uint64, marketName string, show int) error {
	market, err := synth.ParseMarket(marketName)
	if err != nil {
		return err
	}
	ctx := context.Background()

	t0 := time.Now()
	cs, err := synth.Generate(synth.Config{Seed: seed, Customers: customers, Months: months, Market: market})
	if err != nil {
		return err
	}
	events := 0
	for i := range cs {
		events += len(cs[i].Events)
	}
	fmt.Fprintf(w, "suanpan quickstart: %d simulated customers, %d months, market %s, seed %d\n", customers, months, market, seed)
	fmt.Fprintf(w, "simulated %d events in %v\n", events, time.Since(t0).Round(time.Millisecond))

	// Fold every customer's events into a profile and keep it in a store.
	// MemoryStore is the SDK's reference store; a bank implements
	// profile.Store on its own database and checks it with profiletest.
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		return err
	}
	store := profile.NewMemoryStore()
	t1 := time.Now()
	var sizes []int
	var now time.Time
	for i := range cs {
		c := &cs[i]
		p, err := profile.Update(ctx, store, c.ID, func(p *profile.Profile) error {
			if err := p.SetCustomer(c.Customer); err != nil {
				return err
			}
			for j := range c.Events {
				if err := b.Apply(p, &c.Events[j], c.Events[j].Time); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("customer %s: %w", c.ID, err)
		}
		data, err := p.MarshalBinary()
		if err != nil {
			return err
		}
		sizes = append(sizes, len(data))
		if w := p.Watermark(); w.After(now) {
			now = w
		}
	}
	build := time.Since(t1)
	slices.Sort(sizes)
	fmt.Fprintf(w, "built and stored %d profiles in %v (%.2f µs per event, encode and store included)\n",
		store.Len(), build.Round(time.Millisecond), float64(build.Microseconds())/float64(events))
	fmt.Fprintf(w, "encoded profile size: median %d B, largest %d B, whatever the length of history\n\n",
		sizes[len(sizes)/2], sizes[len(sizes)-1])

	now = now.Add(time.Hour)
	if err := population(ctx, w, store, cs, now); err != nil {
		return err
	}
	if err := riskSection(ctx, w, b, cs); err != nil {
		return err
	}
	// Plan in the morning after the last event, in UTC.
	planAt := time.Date(now.Year(), now.Month(), now.Day()+1, 2, 0, 0, 0, time.UTC)
	if err := segmentAndPlan(ctx, w, store, cs, planAt); err != nil {
		return err
	}
	for i := 0; i < show && i < len(cs); i++ {
		// Show customers of different life-cycle stages.
		c := &cs[(i*len(cs))/max(show, 1)]
		p, _, err := store.Get(ctx, c.ID)
		if err != nil {
			return err
		}
		detail(w, c, p, b, now)
	}
	return nil
}

// population prints what the profiles found across all customers, compared
// with the simulator's truth.
func population(ctx context.Context, w io.Writer, store profile.Store, cs []synth.Customer, now time.Time) error {
	var withIncome, mature, bills, loans, otherLenders, stopped, truthIncome int
	var dti []float64
	for i := range cs {
		p, _, err := store.Get(ctx, cs[i].ID)
		if err != nil {
			return err
		}
		live := false
		for _, s := range p.IncomeStreams(now) {
			switch s.Status {
			case profile.StatusMature:
				mature++
				live = true
			case profile.StatusEarly:
				live = true
			case profile.StatusStopped:
				stopped++
			}
		}
		if live {
			withIncome++
		}
		if len(cs[i].Income) > 0 {
			truthIncome++
		}
		bills += len(p.Bills(now))
		f := p.Financial(now)
		loans += f.Loans
		otherLenders += f.OtherLenders
		if f.MonthlyIncome > 0 {
			dti = append(dti, f.DTI)
		}
	}
	slices.Sort(dti)
	fmt.Fprintln(w, "POPULATION")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  customers with live income\t%d of %d (the simulator gave %d a regular income)\n", withIncome, len(cs), truthIncome)
	fmt.Fprintf(tw, "  mature income streams\t%d (and %d stopped: job losses, changes)\n", mature, stopped)
	fmt.Fprintf(tw, "  recurring bills tracked\t%d (%.1f per customer)\n", bills, float64(bills)/float64(len(cs)))
	fmt.Fprintf(tw, "  live loans\t%d, of which %d with other lenders\n", loans, otherLenders)
	if len(dti) > 0 {
		fmt.Fprintf(tw, "  debt-to-income\tmedian %.2f, 90th percentile %.2f\n", dti[len(dti)/2], dti[len(dti)*9/10])
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// riskSection replays the last month of every customer's events through the
// risk engine's default configuration: each debit is decided against the
// profile as it stood before it, then applied.
func riskSection(ctx context.Context, w io.Writer, b *profile.Builder, cs []synth.Customer) error {
	engine, err := risk.New(&risk.Config{Builder: b})
	if err != nil {
		return err
	}
	var end time.Time
	for i := range cs {
		if n := len(cs[i].Events); n > 0 && cs[i].Events[n-1].Time.After(end) {
			end = cs[i].Events[n-1].Time
		}
	}
	from := end.AddDate(0, -1, 0)
	var fraud risk.FraudReport
	var legit risk.LegitReport
	actions := map[string]int{}
	var decided int
	t0 := time.Now()
	for i := range cs {
		rep, err := engine.Backtest(ctx, []profile.Customer{cs[i].Customer}, risk.SliceSource(cs[i].Events),
			&risk.BacktestOptions{From: from})
		if err != nil {
			return err
		}
		decided += rep.Evaluated
		fraud.Count += rep.Fraud.Count
		fraud.Caught += rep.Fraud.Caught
		legit.Count += rep.Legit.Count
		legit.Friction += rep.Legit.Friction
		for a, n := range rep.Actions {
			actions[a] += n
		}
	}
	elapsed := time.Since(t0)
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	fmt.Fprintln(w, "RISK (default engine, no analyst rules; each debit decided before it is applied)")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  debits decided in the last month\t%d (replay with profile updates: %v)\n", decided, elapsed.Round(time.Millisecond))
	fmt.Fprintf(tw, "  fraud debits caught\t%d of %d (%.1f%%)\n", fraud.Caught, fraud.Count, pct(fraud.Caught, fraud.Count))
	fmt.Fprintf(tw, "  friction on legitimate debits\t%d of %d (%.2f%%)\n", legit.Friction, legit.Count, pct(legit.Friction, legit.Count))
	var acts []string
	for _, a := range []string{"allow", "step_up", "hold", "review", "decline"} {
		acts = append(acts, fmt.Sprintf("%s %d", a, actions[a]))
	}
	fmt.Fprintf(tw, "  actions\t%s\n", strings.Join(acts, ", "))
	fmt.Fprintln(tw)
	return tw.Flush()
}

// detail prints one customer's profile as tables.
func detail(w io.Writer, c *synth.Customer, p *profile.Profile, b *profile.Builder, now time.Time) {
	f := p.Financial(now)
	feat := p.Features(now)
	fmt.Fprintf(w, "== customer %s: %s, age %.0f, %s, %s (simulator stage: %s) ==\n",
		c.ID, c.City, feat.AgeYears, orDash(c.Occupation), p.Currency(), c.Stage)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	src := "from recent months"
	if f.IncomeFromStreams {
		src = "from income streams"
	}
	fmt.Fprintf(tw, "monthly income\t%s\t%s; stability CV %.2f over %d months\n", money(f.MonthlyIncome), src, f.IncomeCV, f.IncomeMonths)
	fmt.Fprintf(tw, "declared income\t%s\t\n", c.DeclaredMonthlyIncome.StringFixed(2))
	fmt.Fprintf(tw, "monthly spending\t%s\tessential %s\n", money(f.MonthlySpend), money(f.EssentialSpend))
	fmt.Fprintf(tw, "monthly debt service\t%s\t%d loans, %d with other lenders; DTI %.2f\n", money(f.MonthlyDebt), f.Loans, f.OtherLenders, f.DTI)
	fmt.Fprintf(tw, "purchasing power\t%s\trepayment capacity %s a month\n", money(f.PurchasingPower), money(f.RepaymentCapacity))
	tw.Flush()

	fmt.Fprintln(w, "\n  income streams")
	streamTable(w, p.IncomeStreams(now))
	fmt.Fprintln(w, "\n  bills and loan repayments")
	streamTable(w, p.Bills(now))

	fmt.Fprintln(w, "\n  spending per month by category")
	type cat struct {
		name string
		v    float64
	}
	var cats []cat
	for i, v := range f.SpendByCategory {
		if v >= 1 {
			cats = append(cats, cat{profile.Category(i).String(), v})
		}
	}
	slices.SortFunc(cats, func(a, b cat) int {
		if a.v > b.v {
			return -1
		}
		if a.v < b.v {
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	for i, c := range cats {
		if i == 6 {
			break
		}
		fmt.Fprintf(tw, "    %s\t%s\t\n", c.name, money(c.v))
	}
	tw.Flush()

	fmt.Fprintln(w, "\n  habits")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "    devices\t%s\n", keys(p.Devices(now), 3))
	fmt.Fprintf(tw, "    networks\t%s\n", keys(p.Networks(now), 3))
	fmt.Fprintf(tw, "    countries\t%s\n", keys(p.Countries(now), 3))
	fmt.Fprintf(tw, "    top payees\t%s\n", keys(p.Counterparties(now), 4))
	fmt.Fprintf(tw, "    favourite app functions\t%s\n", keys(p.AppFunctions(now), 5))
	fmt.Fprintf(tw, "    busiest hours (local)\t%s\n", busiest(p.ActiveHours()))
	h := p.AmountHabit(profile.KindPurchase)
	fmt.Fprintf(tw, "    typical purchase\t%s (spread ×%.1f, %d purchases)\n", money(h.Typical), expSpread(h.SDLog), h.Count)
	v := p.Velocity(now)
	fmt.Fprintf(tw, "    debits last 7 / 30 days\t%d / %d (%s / %s)\n", v.Count7d, v.Count30d, v.Sum7d.StringFixed(2), v.Sum30d.StringFixed(2))
	r := p.RFM(now)
	fmt.Fprintf(tw, "    purchases (RFM inputs)\t%d on %d days, %s in total, last %.0f days ago\n", r.Purchases, r.PurchaseDays, r.Monetary.StringFixed(2), r.Recency.Hours()/24)
	tw.Flush()
	if len(c.Episodes) > 0 {
		e := c.Episodes[0]
		fmt.Fprintf(w, "\n  (the simulator gave this customer a %s fraud episode on %s: %d debits, %s)\n",
			e.Pattern, e.Start.Format("2006-01-02"), e.Debits, e.Amount.StringFixed(2))
	}
	fmt.Fprintln(w)
}

func streamTable(w io.Writer, ss []profile.Stream) {
	if len(ss) == 0 {
		fmt.Fprintln(w, "    (none)")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "    counterparty\tkind\tfrequency\tstatus\taverage\tlast\tnext expected\t")
	for _, s := range ss {
		next := "-"
		if !s.NextDate.IsZero() {
			next = s.NextDate.Format("2006-01-02 Mon")
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Counterparty, s.Kind, s.Frequency, s.Status,
			money(s.AverageAmount), s.LastDate.Format("2006-01-02"), next)
	}
	tw.Flush()
}

func keys(ss []profile.Seen, n int) string {
	var out []string
	for i, s := range ss {
		if i == n {
			out = append(out, fmt.Sprintf("+%d more", len(ss)-n))
			break
		}
		out = append(out, fmt.Sprintf("%s (%d)", s.Key, s.Count))
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

func busiest(h [168]float64) string {
	var byHour [24]float64
	for i, v := range h {
		byHour[i%24] += v
	}
	idx := make([]int, 24)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if byHour[a] > byHour[b] {
			return -1
		}
		if byHour[a] < byHour[b] {
			return 1
		}
		return 0
	})
	var out []string
	for _, i := range idx[:3] {
		out = append(out, fmt.Sprintf("%02d:00 (%.0f%%)", i, 100*byHour[i]))
	}
	return strings.Join(out, ", ")
}

func money(v float64) string { return fmt.Sprintf("%.2f", v) }

// expSpread turns the standard deviation of log amounts into a
// multiplicative spread: amounts typically lie within typical ÷ s .. × s.
func expSpread(sd float64) float64 { return math.Exp(sd) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
