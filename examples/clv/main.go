// Command clv fits the BG/NBD, Pareto/NBD and Gamma-Gamma customer-lifetime
// models to a transaction file and reports parameters, a calibration /
// holdout comparison and per-customer P(alive), expected purchases and CLV.
//
// Usage:
//
//	go run ./examples/clv -transactions FILE -format cdnow|csv -calibration-end YYYY-MM-DD [-json]
//
// -format cdnow reads whitespace-separated "customer [sample_id] yyyymmdd
// quantity dollars" lines (with or without a header line); -format csv
// reads "customer_id,date,amount" with a header. A FILE ending in .gz is
// decompressed. Purchases after the calibration end, up to the latest
// transaction, form the holdout period.
//
// With -json it prints one JSON object:
//
//	{"customers": n, "repeaters": n,
//	 "bgnbd": {"r", "alpha", "a", "b", "loglik"},
//	 "paretonbd": {"r", "alpha", "s", "beta", "loglik"},
//	 "gammagamma": {"p", "q", "gamma", "loglik", "customers", "excluded"},
//	 "fit_seconds": s,
//	 "holdout": {"actual", "predicted", "predicted_paretonbd", "weeks"}}
//
// where holdout appears only when the data run past the calibration end,
// holdout.predicted is the BG/NBD forecast of repeat purchases in the
// holdout period and gammagamma.excluded counts repeat customers with zero
// spend. Example, on the CDNOW sample:
//
//	go run ./examples/clv -transactions ../shared/data/cdnow/CDNOW_sample.txt -format cdnow -calibration-end 1997-09-30
package main

import (
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/suanpan-dev/suanpan/segment/clv"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clv:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage: clv -transactions FILE -format cdnow|csv -calibration-end YYYY-MM-DD [-json]")

type bgJSON struct {
	R      float64 `json:"r"`
	Alpha  float64 `json:"alpha"`
	A      float64 `json:"a"`
	B      float64 `json:"b"`
	LogLik float64 `json:"loglik"`
}

type pnJSON struct {
	R      float64 `json:"r"`
	Alpha  float64 `json:"alpha"`
	S      float64 `json:"s"`
	Beta   float64 `json:"beta"`
	LogLik float64 `json:"loglik"`
}

type ggJSON struct {
	P         float64 `json:"p"`
	Q         float64 `json:"q"`
	Gamma     float64 `json:"gamma"`
	LogLik    float64 `json:"loglik"`
	Customers float64 `json:"customers"`
	Excluded  float64 `json:"excluded"`
}

type holdoutJSON struct {
	Actual             int     `json:"actual"`
	Predicted          float64 `json:"predicted"`
	PredictedParetoNBD float64 `json:"predicted_paretonbd"`
	Weeks              float64 `json:"weeks"`
}

type report struct {
	Customers  int          `json:"customers"`
	Repeaters  int          `json:"repeaters"`
	BGNBD      bgJSON       `json:"bgnbd"`
	ParetoNBD  pnJSON       `json:"paretonbd"`
	GammaGamma ggJSON       `json:"gammagamma"`
	FitSeconds float64      `json:"fit_seconds"`
	Holdout    *holdoutJSON `json:"holdout,omitempty"`
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("clv", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("transactions", "", "transaction file (.gz decompressed)")
	format := fs.String("format", "", "cdnow or csv")
	calEnd := fs.String("calibration-end", "", "last day of the calibration period, YYYY-MM-DD")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *file == "" || *calEnd == "" {
		return errUsage
	}
	if *format != "cdnow" && *format != "csv" {
		return fmt.Errorf("%w (format must be cdnow or csv)", errUsage)
	}
	end, err := time.Parse("2006-01-02", *calEnd)
	if err != nil {
		return fmt.Errorf("%w (calibration-end must be YYYY-MM-DD)", errUsage)
	}
	txs, err := readFile(*file, *format)
	if err != nil {
		return err
	}
	s, err := clv.Summarize(txs, end, nil)
	if err != nil {
		return err
	}

	start := time.Now()
	bg, err := clv.FitBGNBD(s.Customers, nil, nil)
	if err != nil {
		return err
	}
	pn, err := clv.FitParetoNBD(s.Customers, nil, nil)
	if err != nil {
		return err
	}
	gg, err := clv.FitGammaGamma(s.Customers, nil, nil)
	if err != nil {
		return err
	}
	fitSeconds := time.Since(start).Seconds()

	r := report{
		Customers:  len(s.Customers),
		Repeaters:  s.Repeaters,
		BGNBD:      bgJSON{bg.Model.R, bg.Model.Alpha, bg.Model.A, bg.Model.B, bg.LogLik},
		ParetoNBD:  pnJSON{pn.Model.R, pn.Model.Alpha, pn.Model.S, pn.Model.Beta, pn.LogLik},
		GammaGamma: ggJSON{gg.Model.P, gg.Model.Q, gg.Model.Gamma, gg.LogLik, gg.Customers, gg.Excluded},
		FitSeconds: fitSeconds,
	}
	if s.HoldoutWeeks > 0 {
		h := &holdoutJSON{Actual: s.HoldoutActual(), Weeks: s.HoldoutWeeks}
		for _, c := range s.Customers {
			y, err := bg.Model.ConditionalTransactions(c, s.HoldoutWeeks)
			if err != nil {
				return err
			}
			h.Predicted += y
			y, err = pn.Model.ConditionalTransactions(c, s.HoldoutWeeks)
			if err != nil {
				return err
			}
			h.PredictedParetoNBD += y
		}
		r.Holdout = h
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(r)
	}
	return printReport(stdout, s, bg, pn, gg, r)
}

func readFile(name, format string) ([]clv.Transaction, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		rd = zr
	}
	if format == "csv" {
		return clv.ReadCSV(rd)
	}
	return clv.ReadCDNOW(rd)
}

func printReport(w io.Writer, s *clv.Summary, bg *clv.Fit[clv.BGNBD], pn *clv.Fit[clv.ParetoNBD], gg *clv.Fit[clv.GammaGamma], r report) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	valueOpts := clv.ValueOptions{Periods: 12, DiscountRate: 0.01} // 12 months, 1% a month
	p("Calibration to %s: %d customers, %d repeaters, %d transactions on %d purchase days",
		s.CalibrationEnd.Format("2006-01-02"), len(s.Customers), s.Repeaters, s.Transactions, s.PurchaseDays)
	if s.Late > 0 {
		p(", %d customers first buying after the calibration end left out", s.Late)
	}
	p("\nFits took %.3f s (all three models).\n\n", r.FitSeconds)

	p("BG/NBD (Fader, Hardie & Lee 2005)       log-likelihood %.2f\n", bg.LogLik)
	p("  r     %9.4f  (se %.4f)\n  alpha %9.4f  (se %.4f)\n  a     %9.4f  (se %.4f)\n  b     %9.4f  (se %.4f)\n",
		bg.Model.R, bg.StdErr.R, bg.Model.Alpha, bg.StdErr.Alpha, bg.Model.A, bg.StdErr.A, bg.Model.B, bg.StdErr.B)
	p("Pareto/NBD (Schmittlein et al. 1987)    log-likelihood %.2f\n", pn.LogLik)
	p("  r     %9.4f  (se %.4f)\n  alpha %9.4f  (se %.4f)\n  s     %9.4f  (se %.4f)\n  beta  %9.4f  (se %.4f)\n",
		pn.Model.R, pn.StdErr.R, pn.Model.Alpha, pn.StdErr.Alpha, pn.Model.S, pn.StdErr.S, pn.Model.Beta, pn.StdErr.Beta)
	p("Gamma-Gamma spend (Colombo & Jiang 1999) log-likelihood %.2f, %.0f repeat customers", gg.LogLik, gg.Customers)
	if gg.Excluded > 0 {
		p(", %.0f with zero spend excluded", gg.Excluded)
	}
	p("\n  p     %9.4f  (se %.4f)\n  q     %9.4f  (se %.4f)\n  gamma %9.4f  (se %.4f)\n",
		gg.Model.P, gg.StdErr.P, gg.Model.Q, gg.StdErr.Q, gg.Model.Gamma, gg.StdErr.Gamma)
	if mean, err := gg.Model.MeanSpend(); err == nil {
		p("  population mean spend per purchase %.2f\n", mean)
	}

	horizon := 52.0
	if h := r.Holdout; h != nil {
		horizon = h.Weeks
		p("\nHoldout %s to %s (%.1f weeks): repeat purchases actual %d, BG/NBD %.1f, Pareto/NBD %.1f\n",
			s.CalibrationEnd.AddDate(0, 0, 1).Format("2006-01-02"), s.HoldoutEnd.Format("2006-01-02"), h.Weeks, h.Actual, h.Predicted, h.PredictedParetoNBD)
	}

	type row struct {
		c        clv.Customer
		expected float64
	}
	rows := make([]row, len(s.Customers))
	for i, c := range s.Customers {
		y, err := bg.Model.ConditionalTransactions(c, horizon)
		if err != nil {
			return err
		}
		rows[i] = row{c, y}
	}
	show := rows[:min(5, len(rows))]
	top := slices.Clone(rows)
	slices.SortStableFunc(top, func(a, b row) int { return cmp.Compare(b.expected, a.expected) })
	show = append(show, top[:min(5, len(top))]...)

	p("\nCustomers (BG/NBD; CLV = Gamma-Gamma spend, %d months of %.2f weeks, %.0f%% a month discount):\n",
		valueOpts.Periods, clv.DefaultPeriodWeeks, 100*valueOpts.DiscountRate)
	p("  %-12s %4s %7s %7s %9s %8s %10s %9s\n", "customer", "x", "t_x", "T", "spend", "P(alive)", fmt.Sprintf("E[%.0fw]", horizon), "CLV")
	for i, rw := range show {
		if i == 5 {
			p("  highest expected purchases:\n")
		}
		c := rw.c
		alive, err := bg.Model.PAlive(c)
		if err != nil {
			return err
		}
		v, err := clv.Value(bg.Model, gg.Model, c, &valueOpts)
		if err != nil {
			return err
		}
		p("  %-12s %4d %7.2f %7.2f %9.2f %8.3f %10.3f %9.2f\n", c.ID, c.Frequency, c.Recency, c.T, c.Spend, alive, rw.expected, v)
	}
	return nil
}
