package uplift

import (
	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// ResponseOptions returns scorecard options suited to response
// (propensity) models, as used for the bank-marketing benchmark: responses
// are rarely monotone in age, balance or day of month (students and
// retirees respond more than the middle-aged; paydays matter), so numeric
// variables are binned without a trend constraint into up to 20 bins of at
// least 0.5% of the rows from 40 pre-bins, categories down to 0.1% keep
// their own bin, and every binnable variable is kept (a propensity ranking
// gains from weak variables that a credit scorecard would drop for
// parsimony), even with a wrong-signed coefficient. Special codes are
// dataset-specific: add them to Binning.Special.
func ResponseOptions() scorecard.Options {
	return scorecard.Options{
		Binning: scorecard.BinningOptions{
			PreBins: 40, MaxBins: 20, MinBinShare: 0.005, RareShare: 0.001, Trend: scorecard.TrendNone,
		},
		Selection: scorecard.SelectionOptions{MinIV: -1, MaxCorr: 1, MaxVIF: -1, AllowWrongSign: true},
	}
}

// Response is a propensity (response) model: a scorecard whose "bad" class
// is the response (the customer buys, visits, subscribes). It is immutable
// and safe for concurrent use.
type Response struct {
	m *scorecard.Model
}

// FitResponse fits a response scorecard with scorecard.Fit (ds.Bad[i] is
// true when row i responded; opts nil means ResponseOptions()). It returns
// the fit report too. Errors are those of scorecard.Fit.
func FitResponse(ds *scorecard.Dataset, opts *scorecard.Options) (*Response, *scorecard.Report, error) {
	o := ResponseOptions()
	if opts != nil {
		o = *opts
	}
	m, rep, err := scorecard.Fit(ds, &o)
	if err != nil {
		return nil, rep, err
	}
	return &Response{m: m}, rep, nil
}

// NewResponse wraps a fitted or parsed scorecard (whose bad class is the
// response) as a Response. Errors: ErrColumn for a nil model.
func NewResponse(m *scorecard.Model) (*Response, error) {
	if m == nil {
		return nil, fieldErr("model", -1, ErrColumn)
	}
	return &Response{m: m}, nil
}

// Model returns the underlying scorecard (for points, reason codes, the
// model file and drift monitoring).
func (r *Response) Model() *scorecard.Model { return r.m }

// Names returns the model's variables in the order Score reads a Row.
func (r *Response) Names() []string { return r.m.Names() }

// Score returns the probability of response, in [0, 1], of one customer
// whose variables are given in Names order (see scorecard.Row). It does
// not allocate and is safe for concurrent use. Errors are those of
// scorecard.Model.Score.
func (r *Response) Score(row scorecard.Row) (float64, error) {
	res, err := r.m.Score(row, nil)
	if err != nil {
		return 0, err
	}
	return res.PD, nil
}

// ScoreDataset returns the probability of response of every row of ds,
// whose columns are matched to the model's variables by name.
func (r *Response) ScoreDataset(ds *scorecard.Dataset) ([]float64, error) {
	res, err := r.m.ScoreDataset(ds)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(res))
	for i, x := range res {
		out[i] = x.PD
	}
	return out, nil
}
