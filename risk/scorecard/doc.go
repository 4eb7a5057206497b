// Package scorecard builds, scores and monitors credit scorecards: optimal
// binning with weight of evidence (WoE) and information value (IV), variable
// selection, logistic regression on WoE, scaling to points, adverse-action
// reason codes, performance and stability metrics, and a versioned JSON
// model file. Response and uplift models of marketing are scorecards too.
//
// # Quick start
//
//	ds, err := scorecard.ReadCSVFile("applications.csv.gz", &scorecard.CSVOptions{
//		Target: "default", Bad: "1", Drop: []string{"customer_id"},
//	})
//	train, test, err := ds.Split(0.3, 1)
//	model, report, err := scorecard.Fit(train, nil) // bin, select, fit, scale
//	results, err := model.ScoreDataset(test)         // Score and PD per row
//
//	// One applicant, values in model.Names() order: zero allocations.
//	var reasons [4]scorecard.Reason
//	res, err := model.Score(scorecard.Row{Num: nums, Cat: cats}, reasons[:])
//	// res.Score (points), res.PD, reasons[:res.Reasons] (adverse action)
//
//	f, _ := os.Create("model.json")
//	model.WriteTo(f)                              // versioned model file
//	model2, err := scorecard.ReadModel(reader)   // nothing but the SDK needed
//
// The command-line tool examples/scorecard runs the same pipeline on any CSV
// file and prints the report an analyst reviews.
//
// # Pipeline and sources
//
//   - Binning (BinNumeric, BinCategorical): equal-frequency pre-binning, then
//     the IV-maximising merge under monotonic-trend (ascending, descending,
//     peak, valley, automatic), minimum-bin-share and maximum-bin constraints
//     of Navas-Palencia (2020), "Optimal binning: mathematical programming
//     formulation", arXiv:2001.08025, solved exactly by dynamic programming.
//     Special codes and missing values have bins of their own; rare
//     categories are pooled; unseen categories follow BinningOptions.Unseen.
//   - WoE and IV: Siddiqi (2006), "Credit Risk Scorecards", Wiley, ch. 6.
//     WoE = ln(%good / %bad), so a positive WoE is lower risk.
//   - Selection (SelectionOptions): IV threshold, pairwise correlation and
//     variance-inflation filters, optional SAS-style stepwise selection,
//     wrong-sign removal.
//   - Logistic regression (Logit): maximum likelihood with optional ridge
//     penalty, solved by gonum/optimize's Newton method; standard errors, z
//     and p values as statsmodels' Logit reports them.
//   - Scaling (ScalingOptions): points to double the odds, base score at base
//     odds, rounded points per bin (Siddiqi 2006, ch. 10).
//   - Reason codes (Model.Score): the variables with the most points lost
//     against their best bin.
//   - Metrics: AUC, Gini, KS, gains/lift (Gains), calibration with the
//     Hosmer-Lemeshow test (Calibrate), PSI and CSI (PSI, Model.Drift).
//
// # Data conventions
//
// A Dataset is column-oriented. Numeric columns hold float64 with NaN for
// missing (±Inf is an error); categorical columns hold strings with "" for
// missing. The target is Dataset.Bad (true = bad, the event).
//
// # Errors
//
// Bad input returns an error wrapping one of the Err… sentinels; the typed
// errors VarError (a variable and row), FieldError (an option or model-file
// field), CSVError (a line and column) and VersionError (a newer model file)
// say where, without echoing data values.
//
// # Concurrency and determinism
//
// A Model is immutable and safe for concurrent use. Fit uses GOMAXPROCS
// goroutines but gives bit-identical results for any GOMAXPROCS: partial
// sums are added in a fixed order. Randomness (Split, Folds) comes from a
// caller-given seed.
package scorecard
