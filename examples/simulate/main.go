// Command simulate generates a population of simulated bank customers with
// package internal/synth and writes it in the SDK's events and customers
// CSV formats, with labelled fraud, for backtests and examples.
//
// Usage:
//
//	go run ./examples/simulate [flags]
//
// Flags:
//
//	-customers N       customers to simulate (default 1000)
//	-months M          months simulated (default 12)
//	-seed S            random seed; the same seed gives the same files (default 1)
//	-start YYYY-MM-DD  first day simulated, in the market's time zone (default 2025-01-01)
//	-market cn|eu      cn: CNY, Asia/Shanghai; eu: EUR, Europe/Berlin (default cn)
//	-fraud-share F     share of customers with one fraud episode; 0 or negative for none (default 0.03)
//	-hard-share F      share of customers with each kind of honest hard case; 0 or negative for none (default 0.05)
//	-events FILE       events CSV to write (default: none)
//	-customers-out FILE
//	                   customers CSV to write (default: none)
//	-truth FILE        truth CSV to write: one row per event of a fraud episode or
//	                   hard case, with header event_id,customer_id,truth,name
//	                   (truth is fraud or hard_case, name the pattern or kind)
//
// It prints a short summary: customers by stage, events by type, fraud
// episodes per pattern with their debits, hard cases per kind, and the time
// taken. For example:
//
//	go run ./examples/simulate -customers 2000 -months 12 -seed 7 \
//	    -events events.csv -customers-out customers.csv -truth truth.csv
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/suanpan-dev/suanpan/internal/synth"
	"github.com/suanpan-dev/suanpan/profile"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "simulate:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	customers := fs.Int("customers", 1000, "customers to simulate")
	months := fs.Int("months", 12, "months simulated")
	seed := fs.Uint64("seed", 1, "random seed")
	start := fs.String("start", "", "first day simulated, YYYY-MM-DD in the market's time zone (default 2025-01-01)")
	market := fs.String("market", "cn", "market: cn or eu")
	fraudShare := fs.Float64("fraud-share", 0.03, "share of customers with a fraud episode; 0 or negative for none")
	hardShare := fs.Float64("hard-share", 0.05, "share of customers with each kind of honest hard case; 0 or negative for none")
	eventsOut := fs.String("events", "", "events CSV to write")
	customersOut := fs.String("customers-out", "", "customers CSV to write")
	truthOut := fs.String("truth", "", "truth CSV to write (event_id,customer_id,truth,name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *customers <= 0 || *months <= 0 {
		return errors.New("-customers and -months must be positive")
	}
	mk, err := synth.ParseMarket(*market)
	if err != nil {
		return err
	}
	cfg := synth.Config{Seed: *seed, Customers: *customers, Months: *months, Market: mk,
		FraudShare: nonZero(*fraudShare), HardCaseShare: nonZero(*hardShare)}
	if *start != "" {
		loc, err := time.LoadLocation(mk.TimeZone())
		if err != nil {
			return err
		}
		if cfg.Start, err = time.ParseInLocation(time.DateOnly, *start, loc); err != nil {
			return fmt.Errorf("-start: want YYYY-MM-DD")
		}
	}
	t0 := time.Now()
	cs, err := synth.Generate(cfg)
	if err != nil {
		return err
	}
	genTime := time.Since(t0)
	t1 := time.Now()
	if err := writeFiles(cs, *eventsOut, *customersOut, *truthOut); err != nil {
		return err
	}
	summary(stdout, cs, genTime, time.Since(t1))
	return nil
}

// nonZero maps an explicit 0 share to "none" (Config reads 0 as the default).
func nonZero(v float64) float64 {
	if v == 0 {
		return -1
	}
	return v
}

func writeFiles(cs []synth.Customer, events, customers, truth string) error {
	open := func(name string) (*os.File, *bufio.Writer, error) {
		if name == "" {
			return nil, nil, nil
		}
		f, err := os.Create(name)
		if err != nil {
			return nil, nil, err
		}
		return f, bufio.NewWriterSize(f, 1<<20), nil
	}
	ef, ew, err := open(events)
	if err != nil {
		return err
	}
	cf, cw, err := open(customers)
	if err != nil {
		return err
	}
	var ewr, cwr io.Writer
	if ew != nil {
		ewr = ew
	}
	if cw != nil {
		cwr = cw
	}
	if err := synth.WriteCSV(cs, ewr, cwr); err != nil {
		return err
	}
	for _, p := range []struct {
		f *os.File
		w *bufio.Writer
	}{{ef, ew}, {cf, cw}} {
		if p.f == nil {
			continue
		}
		if err := p.w.Flush(); err != nil {
			return err
		}
		if err := p.f.Close(); err != nil {
			return err
		}
	}
	if truth == "" {
		return nil
	}
	tf, tw, err := open(truth)
	if err != nil {
		return err
	}
	w := csv.NewWriter(tw)
	_ = w.Write([]string{"event_id", "customer_id", "truth", "name"})
	for _, c := range cs {
		for _, ep := range c.Episodes {
			for _, id := range ep.EventIDs {
				_ = w.Write([]string{id, c.ID, "fraud", ep.Pattern.String()})
			}
		}
		for _, hc := range c.HardCases {
			for _, id := range hc.EventIDs {
				_ = w.Write([]string{id, c.ID, "hard_case", hc.Kind.String()})
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return tf.Close()
}

func summary(w io.Writer, cs []synth.Customer, gen, write time.Duration) {
	var events int
	types := map[profile.EventType]int{}
	stages := map[synth.Stage]int{}
	type agg struct{ episodes, debits int }
	pats := map[synth.Pattern]*agg{}
	hard := map[synth.HardCaseKind]*agg{}
	fraudDebits, debits := 0, 0
	for _, c := range cs {
		events += len(c.Events)
		stages[c.Stage]++
		for i := range c.Events {
			e := &c.Events[i]
			types[e.Type]++
			if e.Type == profile.TypeTransaction && e.Direction == profile.Debit {
				debits++
				if e.Label == profile.LabelFraud {
					fraudDebits++
				}
			}
		}
		for _, ep := range c.Episodes {
			if pats[ep.Pattern] == nil {
				pats[ep.Pattern] = &agg{}
			}
			pats[ep.Pattern].episodes++
			pats[ep.Pattern].debits += ep.Debits
		}
		for _, hc := range c.HardCases {
			if hard[hc.Kind] == nil {
				hard[hc.Kind] = &agg{}
			}
			hard[hc.Kind].episodes++
			hard[hc.Kind].debits += hc.Debits
		}
	}
	fmt.Fprintf(w, "customers   %d\n", len(cs))
	for _, s := range synth.Stages() {
		fmt.Fprintf(w, "  %-20s %6d\n", s, stages[s])
	}
	fmt.Fprintf(w, "events      %d (transactions %d, sessions %d, features %d)\n", events,
		types[profile.TypeTransaction], types[profile.TypeSession], types[profile.TypeFeature])
	fmt.Fprintf(w, "debits      %d, of which fraud %d\n", debits, fraudDebits)
	fmt.Fprintln(w, "fraud episodes")
	for _, p := range synth.AllPatterns() {
		a := pats[p]
		if a == nil {
			a = &agg{}
		}
		fmt.Fprintf(w, "  %-20s %6d episodes %6d debits\n", p, a.episodes, a.debits)
	}
	fmt.Fprintln(w, "hard cases")
	for _, k := range synth.AllHardCases() {
		a := hard[k]
		if a == nil {
			a = &agg{}
		}
		fmt.Fprintf(w, "  %-20s %6d cases    %6d debits\n", k, a.episodes, a.debits)
	}
	fmt.Fprintf(w, "generated in %v, written in %v\n", gen.Round(time.Millisecond), write.Round(time.Millisecond))
}
