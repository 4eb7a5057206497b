// Package uplift builds propensity (response) models and two-model uplift
// models with the scorecard toolkit of risk/scorecard — response and
// uplift models are scorecards too — and measures them: AUC for response,
// the Qini curve and coefficient, the uplift curve and its normalised area
// (AUUC), and uplift at k for uplift. It also tabulates conversion by
// number of contacts, the evidence behind a campaign's contact cap.
//
// # Quick start
//
//	// Response (propensity) model: ds.Bad[i] is true when customer i responded.
//	r, _, err := uplift.FitResponse(ds, nil)    // nil: ResponseOptions()
//	p, err := r.Score(row)                      // P(response) in [0, 1]; row in r.Names() order
//
//	// Uplift: a randomised test with a categorical arm column.
//	e, err := uplift.NewExperiment(ds, "segment", "Womens E-Mail", "No E-Mail")
//	train, test, err := e.Split(0.5, 1)         // stratified, seeded
//	m, err := uplift.FitTwoModel(train, nil)    // treated and control scorecards
//	ev, err := m.Evaluate(test, 0.3)            // ev.Qini, ev.AUUC, ev.UpliftAtK
//	u, err := m.Score(row)                      // P(resp | treated) - P(resp | control)
//
// # Metrics and their normalisation
//
// Rows are ranked by predicted uplift, descending; tied rows are targeted
// together. For the top t rows, with R responders and N rows in the
// treated (T) and control (C) groups:
//
//   - Qini curve (Radcliffe 2007): Q(t) = R_T(t) - R_C(t) * N_T(t)/N_C(t).
//   - Uplift curve (Rzepakowski & Jaroszewicz 2012; Gutierrez & Gérardy
//     2017): U(t) = (R_T(t)/N_T(t) - R_C(t)/N_C(t)) * t.
//   - Qini coefficient and AUUC: (A_model - A_random) / (A_perfect -
//     A_random), areas by the trapezoid rule over t = 0..n, the random line
//     joining (0, 0) to the curve's end, the perfect curve that of the
//     oracle ranking. 1 is perfect, 0 random. These are the normalisations
//     of scikit-uplift's qini_auc_score and uplift_auc_score.
//   - Uplift at k: among the top ceil(k*n) rows, treated response rate
//     minus control response rate (scikit-uplift's uplift_at_k, strategy
//     "overall"), with the boundary tie group taken fractionally.
//
// Evaluation also reports the raw gains (area above random with both axes
// divided by n) and the average treatment effect, the uplift of random
// targeting, against which uplift at k should be read.
//
// # Adapting to a campaign's propensity
//
// Response.Score and TwoModel.Score take a scorecard.Row and return a
// float64, so campaign.Propensity is a few lines: build the row from the
// customer's profile (or feature store) in the model's variable order and
// call Score. TwoModel.Score is an uplift in [-1, 1]; a priority that
// wants [0, 1] clamps it at 0 (customers the offer does not move, or
// moves the wrong way, are not worth contacting):
//
//	type upliftPropensity struct {
//		m   *uplift.TwoModel
//		row func(c *campaign.Customer, a campaign.Action, now time.Time) scorecard.Row
//	}
//
//	func (u upliftPropensity) Propensity(ctx context.Context, c *campaign.Customer, a campaign.Action, now time.Time) (float64, error) {
//		v, err := u.m.Score(u.row(c, a, now))
//		return max(0, v), err
//	}
package uplift
