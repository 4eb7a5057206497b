// Command segments simulates a bank's customers, folds their events into
// profiles, and segments them twice, three months apart: lifecycle stage
// (checked against the simulator's truth), RFM scores and segments, value
// tiers (top, core, long tail) and twenty bank-defined segments; then it
// prints the transitions between the two snapshots that campaigns would
// trigger on.
//
// Usage:
//
//	go run ./examples/segments [-customers N] [-seed S] [-market cn|eu]
//	    [-months M] [-segments FILE.json] [-examples K]
//
// -segments reads bank-defined segments in the format of
// segment.ParseDefinitions; without it the twenty segments of
// segments.json (next to this file) are used.
package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/segment"
)

//go:embed segments.json
var defaultSegments []byte

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "segments:", err)
		}
		os.Exit(2)
	}
}

type config struct {
	customers int
	seed      uint64
	market    synth.Market
	months    int
	segments  []byte
	examples  int
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("segments", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var market, file string
	fs.IntVar(&c.customers, "customers", 500, "simulated customers")
	fs.Uint64Var(&c.seed, "seed", 1, "simulation seed")
	fs.StringVar(&market, "market", "cn", "market simulated: cn or eu")
	fs.IntVar(&c.months, "months", 12, "months simulated (at least 4; the first snapshot is 3 months before the end)")
	fs.StringVar(&file, "segments", "", "bank-defined segments (JSON); default: the 20 of segments.json")
	fs.IntVar(&c.examples, "examples", 6, "customers whose transitions are printed")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.market, err = synth.ParseMarket(market); err != nil {
		return c, err
	}
	if c.customers < 10 || c.customers > 1_000_000 {
		return c, errors.New("-customers must be between 10 and 1000000")
	}
	if c.months < 4 || c.months > synth.MaxMonths {
		return c, fmt.Errorf("-months must be between 4 and %d", synth.MaxMonths)
	}
	if c.examples < 0 {
		return c, errors.New("-examples must not be negative")
	}
	c.segments = defaultSegments
	if file != "" {
		if c.segments, err = os.ReadFile(file); err != nil {
			return c, err
		}
	}
	return c, nil
}

// snapshot is the population's inputs and assignments at one time.
type snapshot struct {
	at     time.Time
	inputs []segment.Input
	rfm    *segment.RFMModel
	tiers  *segment.TierModel
	assign []segment.Assignment
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cat, err := segment.LoadCatalog(cfg.segments)
	if err != nil {
		return err
	}

	t0 := time.Now()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cs, err := synth.Generate(synth.Config{Seed: cfg.seed, Customers: cfg.customers, Market: cfg.market, Start: start, Months: cfg.months})
	if err != nil {
		return err
	}
	simTime := time.Since(t0)
	end := start.AddDate(0, cfg.months, 0)
	mid := end.AddDate(0, -3, 0)

	// Fold each customer's events up to the first snapshot, take its
	// input (the profile's Features the stages, RFM and the segments read),
	// then fold the rest and take the input again.
	b, err := profile.NewBuilder(&profile.Options{OwnInstitution: []string{synth.OwnBank}})
	if err != nil {
		return err
	}
	snaps := []*snapshot{{at: mid}, {at: end}}
	var inputTime time.Duration
	for i := range cs {
		c := &cs[i]
		p := profile.New(c.ID)
		if err := p.SetCustomer(c.Customer); err != nil {
			return err
		}
		j := 0
		for _, s := range snaps {
			for ; j < len(c.Events) && c.Events[j].Time.Before(s.at); j++ {
				if err := b.Apply(p, &c.Events[j], s.at); err != nil {
					return fmt.Errorf("customer %s: %w", c.ID, err)
				}
			}
			t := time.Now()
			in, err := segment.NewInput(p, s.at, &segment.InputOptions{Segments: cat})
			inputTime += time.Since(t)
			if err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
			s.inputs = append(s.inputs, in)
		}
	}

	// Fit the value models on each snapshot (a bank refits them on every
	// run) and assign.
	var assignTime time.Duration
	for _, s := range snaps {
		if s.rfm, err = segment.FitRFM(s.inputs, nil); err != nil {
			return err
		}
		if s.tiers, err = segment.FitTiers(s.inputs, nil); err != nil {
			return err
		}
		a, err := segment.New(segment.Config{RFM: s.rfm, Tiers: s.tiers, Segments: cat})
		if err != nil {
			return err
		}
		w := a.NewWorker()
		s.assign = make([]segment.Assignment, len(s.inputs))
		t := time.Now()
		for i := range s.inputs {
			if err := w.AssignTo(&s.assign[i], &s.inputs[i], s.at); err != nil {
				return err
			}
		}
		assignTime += time.Since(t)
	}

	last := snaps[1]
	fmt.Fprintf(stdout, "%d simulated customers (%s market, seed %d), %d months to %s; snapshots %s and %s\n",
		len(cs), cfg.market, cfg.seed, cfg.months, end.Format("2006-01-02"), mid.Format("2006-01-02"), end.Format("2006-01-02"))
	fmt.Fprintf(stdout, "configuration %s, segments %s\n\n", last.assign[0].Version, cat.Version())
	printStages(stdout, cs, last)
	printRFM(stdout, last)
	printTiers(stdout, last)
	printSegments(stdout, cat, last)
	printTransitions(stdout, snaps[0], last, cfg.examples)
	n := float64(2 * len(cs))
	fmt.Fprintf(stderr, "simulation %v; input %.1f µs/profile; assignment %.2f µs/profile (wall clock)\n",
		simTime.Round(time.Millisecond), inputTime.Seconds()/n*1e6, assignTime.Seconds()/n*1e6)
	return nil
}

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

func pct(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*a/b)
}

func printStages(w io.Writer, cs []synth.Customer, s *snapshot) {
	fmt.Fprintln(w, "LIFECYCLE STAGES")
	tw := table(w)
	fmt.Fprintln(tw, "stage\tcustomers\tmean confidence\tproduct family\ttrue stage agrees\t")
	var conf [segment.NumStages][segment.NumStages]int
	ok := 0
	for _, st := range append([]segment.Stage{segment.StageUnknown}, segment.Stages()...) {
		n, sum, agree := 0, 0.0, 0
		var fam segment.ProductFamily
		for i, a := range s.assign {
			if a.Stage != st {
				continue
			}
			n++
			sum += a.StageConfidence
			fam = a.Family
			if string(cs[i].Stage) == st.String() {
				agree++
			}
		}
		if n == 0 && st == segment.StageUnknown {
			continue
		}
		mean := 0.0
		if n > 0 {
			mean = sum / float64(n)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%s\t\n", st, n, mean, fam, pct(float64(agree), float64(n)))
	}
	tw.Flush()
	for i, a := range s.assign {
		truth, err := segment.ParseStage(string(cs[i].Stage))
		if err != nil {
			continue
		}
		conf[truth][a.Stage]++
		if truth == a.Stage {
			ok++
		}
	}
	fmt.Fprintf(w, "\naccuracy against the simulator's truth: %s; confusion (rows: truth, columns: assigned)\n", pct(float64(ok), float64(len(s.assign))))
	tw = table(w)
	fmt.Fprint(tw, "\t")
	for _, st := range segment.Stages() {
		fmt.Fprintf(tw, "%s\t", st)
	}
	fmt.Fprintln(tw, "unknown\t")
	for _, t := range segment.Stages() {
		fmt.Fprintf(tw, "%s\t", t)
		for _, st := range segment.Stages() {
			fmt.Fprintf(tw, "%d\t", conf[t][st])
		}
		fmt.Fprintf(tw, "%d\t\n", conf[t][segment.StageUnknown])
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func printRFM(w io.Writer, s *snapshot) {
	r, f, m := s.rfm.CutPoints()
	fmt.Fprintf(w, "RFM (quintile cut points fitted on %d buyers: recency days %s, purchases %s, monetary %s)\n",
		s.rfm.Customers(), cuts(r, 1), cuts(f, 0), cuts(m, 0))
	var total float64
	for i := range s.inputs {
		total += s.inputs[i].Value
	}
	tw := table(w)
	fmt.Fprintln(tw, "RFM segment\tcustomers\tshare of customers\tshare of value\t")
	for _, name := range s.rfm.Segments() {
		n, v := 0, 0.0
		for i, a := range s.assign {
			if a.RFM.Segment == name {
				n++
				v += s.inputs[i].Value
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", name, n, pct(float64(n), float64(len(s.assign))), pct(v, total))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func cuts(c [segment.RFMLevels - 1]float64, prec int) string {
	parts := make([]string, len(c))
	for i, v := range c {
		parts[i] = fmt.Sprintf("%.*f", prec, v)
	}
	return strings.Join(parts, "/")
}

func printTiers(w io.Writer, s *snapshot) {
	top, core := s.tiers.Thresholds()
	sum := s.tiers.Summary()
	fmt.Fprintf(w, "VALUE TIERS (top from %.0f, core from %.0f of purchases)\n", top, core)
	tw := table(w)
	fmt.Fprintln(tw, "tier\tcustomers\tshare of customers\tshare of value\tactive in app (30 days)\t")
	n := len(s.assign)
	for _, t := range []segment.Tier{segment.TierTop, segment.TierCore, segment.TierLongTail} {
		active := 0
		for i, a := range s.assign {
			if d := s.inputs[i].Profile.DaysSinceLastSession; a.Tier == t && d >= 0 && d <= 30 {
				active++
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", t, sum.Customers[t], pct(float64(sum.Customers[t]), float64(n)),
			pct(sum.Value[t], sum.Total), pct(float64(active), float64(sum.Customers[t])))
	}
	tw.Flush()
	fmt.Fprintf(w, "long tail: %d customers (%s) bring %s of value; serve them through low-cost digital channels\n\n",
		sum.Customers[segment.TierLongTail], pct(float64(sum.Customers[segment.TierLongTail]), float64(n)),
		pct(sum.Value[segment.TierLongTail], sum.Total))
}

func printSegments(w io.Writer, cat *segment.Catalog, s *snapshot) {
	fmt.Fprintf(w, "BANK-DEFINED SEGMENTS (%d, version %s)\n", cat.Len(), cat.Version())
	tw := table(w)
	fmt.Fprintln(tw, "segment\tpriority\tgroup\tmembers\tshare\t")
	for _, d := range cat.Definitions() {
		n := 0
		for i := range s.assign {
			if s.assign[i].In(d.ID) {
				n++
			}
		}
		g := d.Group
		if g == "" {
			g = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t\n", d.ID, d.Priority, g, n, pct(float64(n), float64(len(s.assign))))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func printTransitions(w io.Writer, prev, next *snapshot, examples int) {
	type count struct{ entered, left int }
	counts := map[string]*count{}
	var all [][]segment.Transition
	for i := range next.assign {
		ts, err := segment.DiffTo(nil, &prev.assign[i], &next.assign[i])
		if err != nil {
			continue
		}
		all = append(all, ts)
		for _, t := range ts {
			c := counts[t.Segment]
			if c == nil {
				c = &count{}
				counts[t.Segment] = c
			}
			if t.Kind == segment.Entered {
				c.entered++
			} else {
				c.left++
			}
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ca, cb := counts[a], counts[b]
		if d := (cb.entered + cb.left) - (ca.entered + ca.left); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	fmt.Fprintf(w, "TRANSITIONS %s → %s (stage:, tier: and rfm: are the derived segments)\n",
		prev.at.Format("2006-01-02"), next.at.Format("2006-01-02"))
	tw := table(w)
	fmt.Fprintln(tw, "segment\tentered\tleft\t")
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", n, counts[n].entered, counts[n].left)
	}
	tw.Flush()
	shown := 0
	for i, ts := range all {
		if shown >= examples {
			break
		}
		if len(ts) < 3 {
			continue
		}
		shown++
		fmt.Fprintf(w, "\n%s:", next.assign[i].CustomerID)
		for _, t := range ts {
			sign := "+"
			if t.Kind == segment.Left {
				sign = "-"
			}
			fmt.Fprintf(w, " %s%s", sign, t.Segment)
		}
	}
	fmt.Fprintln(w)
}
