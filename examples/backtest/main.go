// Command backtest replays a labelled event stream through the default
// risk configuration and reports how much fraud it caught and how much
// friction it caused the honest customers.
//
// Usage:
//
//	go run ./examples/backtest -events FILE -customers FILE -from RFC3339 [-decisions OUT.csv] [-json]
//
// It reads the events and customers CSV formats of package profile (see
// profile.EventColumns and profile.CustomerColumns; the events in time
// order). Events before -from only build the customers' profiles; from
// -from on, every debit transaction is decided by risk.New(nil) against
// its customer's profile as it stood before the payment, then applied;
// sessions, feature use and credits are applied. "Caught" (for events
// labelled 1) and "friction" (for events labelled 0) both mean any action
// but allow.
//
// -decisions writes one row per decided event with the header
//
//	event_id,customer_id,action,auth_level,amount_allowed,score,reasons,latency_ns
//
// where action is allow, step_up, hold, review or decline; auth_level the
// name of the authentication level required ("none", "AAL1", "AAL2",
// "AAL3"); reasons the reason codes joined with ";".
//
// -json prints one JSON object: evaluated, fraud {count, caught, amount,
// amount_caught}, legit {count, friction}, actions {allow, step_up, hold,
// review, decline}, latency_ns {p50, p99}, decisions_per_second.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/profile"
	"github.com/suanpan-dev/suanpan/risk"
)

// header is the exact header of the -decisions CSV.
var header = []string{"event_id", "customer_id", "action", "auth_level", "amount_allowed", "score", "reasons", "latency_ns"}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "backtest:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a command-line mistake (exit status 2).
type usageError struct{ msg string }

// Error returns the message.
func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	eventsPath := fs.String("events", "", "events CSV (required)")
	customersPath := fs.String("customers", "", "customers CSV (required)")
	fromText := fs.String("from", "", "first instant decided, RFC 3339 (required)")
	decisionsPath := fs.String("decisions", "", "write one CSV row per decision to this file")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *eventsPath == "" || *customersPath == "" || *fromText == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"-events, -customers and -from are required"}
	}
	from, err := time.Parse(time.RFC3339, *fromText)
	if err != nil {
		return usageError{fmt.Sprintf("-from: %v", err)}
	}

	cf, err := os.Open(*customersPath)
	if err != nil {
		return err
	}
	customers, err := profile.ReadCustomers(bufio.NewReaderSize(cf, 1<<16), nil)
	cf.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *customersPath, err)
	}
	ef, err := os.Open(*eventsPath)
	if err != nil {
		return err
	}
	defer ef.Close()
	events, err := profile.NewEventReader(bufio.NewReaderSize(ef, 1<<16), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", *eventsPath, err)
	}

	engine, err := risk.New(nil)
	if err != nil {
		return err
	}
	opts := &risk.BacktestOptions{From: from, Clock: time.Now}
	var out *os.File
	var bw *bufio.Writer
	var w *csv.Writer
	if *decisionsPath != "" {
		if out, err = os.Create(*decisionsPath); err != nil {
			return err
		}
		defer func() {
			if out != nil { // an error path: the file is incomplete anyway
				out.Close()
			}
		}()
		bw = bufio.NewWriterSize(out, 1<<16)
		w = csv.NewWriter(bw)
		if err := w.Write(header); err != nil {
			return err
		}
		row := make([]string, len(header))
		opts.OnDecision = func(ev *profile.Event, d *risk.Decision, lat time.Duration) error {
			row[0], row[1], row[2], row[3] = d.EventID, d.CustomerID, d.Action.String(), d.LevelName
			row[4] = d.Allowed.String()
			row[5] = strconv.FormatFloat(d.Score, 'f', 4, 64)
			row[6] = strings.Join(d.Reasons, ";")
			row[7] = strconv.FormatInt(lat.Nanoseconds(), 10)
			return w.Write(row)
		}
	}

	start := time.Now()
	rep, err := engine.Backtest(context.Background(), customers, events, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", *eventsPath, err)
	}
	if w != nil {
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		err := out.Close()
		out = nil
		if err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "decided %d debits from %s in %v\n", rep.Evaluated, from.Format(time.RFC3339), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "fraud:    %d debits, caught %d (%.1f%%), amount %s, caught %s (%.1f%%)\n",
		rep.Fraud.Count, rep.Fraud.Caught, 100*rep.CaughtRate(), rep.Fraud.Amount, rep.Fraud.AmountCaught, 100*rep.ValueCaughtRate())
	fmt.Fprintf(stdout, "legit:    %d debits, friction %d (%.2f%%)\n", rep.Legit.Count, rep.Legit.Friction, 100*rep.FrictionRate())
	fmt.Fprint(stdout, "actions: ")
	for _, a := range risk.Actions() {
		fmt.Fprintf(stdout, " %s %d", a, rep.Actions[a.String()])
	}
	fmt.Fprintf(stdout, "\nlatency:  p50 %v, p99 %v; %.0f decisions/s on one goroutine\n",
		time.Duration(rep.Latency.P50), time.Duration(rep.Latency.P99), rep.DecisionsPerSecond)
	return nil
}
