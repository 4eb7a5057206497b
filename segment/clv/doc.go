// Package clv estimates customer lifetime value from transaction logs with
// the probability models of the "buy till you die" family:
//
//   - BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
//     way: an alternative to the Pareto/NBD model", Marketing Science
//     24(2):275-284): type BGNBD, FitBGNBD;
//   - Pareto/NBD (Schmittlein, Morrison & Colombo 1987, "Counting your
//     customers: who are they and what will they do next?", Management
//     Science 33(1):1-24), with the likelihood of Fader & Hardie (2005), "A
//     note on deriving the Pareto/NBD model and related expressions":
//     type ParetoNBD, FitParetoNBD;
//   - Gamma-Gamma spend per transaction (Colombo & Jiang 1999; Fader, Hardie
//     & Lee 2005, "RFM and CLV: using iso-value curves for customer base
//     analysis", Journal of Marketing Research 42(4):415-430): type
//     GammaGamma, FitGammaGamma;
//   - discounted CLV over a finite horizon by per-period discounting of the
//     expected purchases times the expected spend, as in the lifetimes
//     library: Value.
//
// Summarize turns a transaction log (ReadCDNOW, ReadCSV) into per-customer
// calibration summaries: same-day purchases merge into one; x is the number
// of repeat purchase days in the calibration period, t_x and T are in weeks
// from the first purchase; purchases after the calibration end are counted
// as holdout purchases. Money enters as decimal.Decimal (Transaction.Amount)
// and statistics are float64.
//
// Fits maximise the likelihood over log-parameters with gonum's L-BFGS and
// analytic gradients, after grouping customers with identical (x, t_x, T)
// (or (x, mean spend)) into weighted rows, so the cost depends on the
// number of distinct rows; likelihood sums run on several goroutines in
// fixed chunks, so results do not depend on the number of workers. The
// estimate is polished by Newton steps with the Hessian that also gives the
// standard errors. An optional L2 penalty (FitOptions.Penalty) regularises
// small data sets.
//
// Degenerate data give typed errors, never NaN parameters: no customers
// (ErrEmpty), no repeat purchase at all (ErrNoRepeaters), a likelihood
// without a finite maximum, as for a single customer (ErrNotIdentified),
// transactions out of date order (ErrOutOfOrder), negative amounts
// (ErrTransaction), a calibration end before every first purchase
// (ErrCalibrationEnd). Repeat customers whose repeat purchases have zero
// spend are left out of the Gamma-Gamma fit and counted
// (Summary.ZeroSpend, Fit.Excluded).
//
// Quick start:
//
//	txs, err := clv.ReadCDNOW(file) // or clv.ReadCSV: customer_id,date,amount
//	if err != nil { … }
//	s, err := clv.Summarize(txs, calibrationEnd, nil)
//	if err != nil { … }
//	bg, err := clv.FitBGNBD(s.Customers, nil, nil)
//	if err != nil { … }
//	gg, err := clv.FitGammaGamma(s.Customers, nil, nil)
//	if err != nil { … }
//	for _, c := range s.Customers {
//		alive, _ := bg.Model.PAlive(c)
//		value, _ := clv.Value(bg.Model, gg.Model, c, &clv.ValueOptions{DiscountRate: 0.01})
//		…
//	}
//
// The program examples/clv runs this on a transaction file.
package clv
