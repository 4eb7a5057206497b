package uplift

import (
	"slices"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// TwoModel is a two-model uplift model: one response scorecard fitted on
// the treated customers and one on the control customers; the predicted
// uplift of a customer is P(response | treated) - P(response | control).
// This is the "two model" approach (Hansotia & Rukstales 2002,
// "Incremental value modeling", Journal of Interactive Marketing 16(3):35-46;
// the T-learner of Künzel, Sekhon, Bickel & Yu 2019, PNAS 116(10)). It is
// simple and honest, and its weakness is known: the two models are fitted
// for response, not for the difference, so noise in each adds up. It is
// immutable and safe for concurrent use.
type TwoModel struct {
	// Treated is the response model of treated customers, Control that of
	// control customers.
	Treated, Control *Response
	names            []string
	kinds            []scorecard.Kind
	ti, ci           []int // positions in names of each model's variables
}

// FitTwoModel fits the treated and control response scorecards on the
// experiment's two arms with scorecard.Fit (opts nil means
// ResponseOptions()). Errors: Validate's errors; scorecard.Fit errors of
// either arm.
func FitTwoModel(e *Experiment, opts *scorecard.Options) (*TwoModel, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	t, _, err := FitResponse(e.Data.Subset(e.arm(true)), opts)
	if err != nil {
		return nil, err
	}
	c, _, err := FitResponse(e.Data.Subset(e.arm(false)), opts)
	if err != nil {
		return nil, err
	}
	return NewTwoModel(t, c)
}

// NewTwoModel combines two response models. Their variables may differ;
// Names is their union. Errors: ErrColumn when a variable has different
// kinds in the two models, or a model is nil.
func NewTwoModel(treated, control *Response) (*TwoModel, error) {
	if treated == nil || control == nil {
		return nil, fieldErr("model", -1, ErrColumn)
	}
	m := &TwoModel{Treated: treated, Control: control}
	pos := map[string]int{}
	add := func(r *Response) ([]int, error) {
		names, kinds := r.m.Names(), r.m.Kinds()
		ix := make([]int, len(names))
		for j, n := range names {
			p, ok := pos[n]
			if !ok {
				p = len(m.names)
				pos[n] = p
				m.names = append(m.names, n)
				m.kinds = append(m.kinds, kinds[j])
			} else if m.kinds[p] != kinds[j] {
				return nil, fieldErr(n, -1, ErrColumn)
			}
			ix[j] = p
		}
		return ix, nil
	}
	var err error
	if m.ti, err = add(treated); err != nil {
		return nil, err
	}
	if m.ci, err = add(control); err != nil {
		return nil, err
	}
	return m, nil
}

// Names returns the variables Score reads, in Row order: the treated
// model's, then the control model's not already listed.
func (m *TwoModel) Names() []string { return slices.Clone(m.names) }

// Kinds returns the kinds of the variables, in Names order.
func (m *TwoModel) Kinds() []scorecard.Kind { return slices.Clone(m.kinds) }

// maxInline is the number of variables scored without allocating.
const maxInline = 32

// Probabilities returns the predicted response probability of one
// customer if treated and if not. row holds the variables in Names order.
// Errors: scorecard.ErrSchema for a row of the wrong length; the errors of
// scorecard.Model.Score.
func (m *TwoModel) Probabilities(row scorecard.Row) (treated, control float64, err error) {
	n := len(m.names)
	hasNum, hasCat := slices.Contains(m.kinds, scorecard.Numeric), slices.Contains(m.kinds, scorecard.Categorical)
	if (hasNum && len(row.Num) != n) || (hasCat && len(row.Cat) != n) {
		return 0, 0, &scorecard.FieldError{Field: "Row", Reason: "need one value per variable of Names", Err: scorecard.ErrSchema}
	}
	var numBuf [maxInline]float64
	var catBuf [maxInline]string
	sub := func(r *Response, ix []int) (float64, error) {
		var s scorecard.Row
		if hasNum {
			s.Num = numBuf[:0]
			if len(ix) > maxInline {
				s.Num = make([]float64, 0, len(ix))
			}
			for _, p := range ix {
				s.Num = append(s.Num, row.Num[p])
			}
		}
		if hasCat {
			s.Cat = catBuf[:0]
			if len(ix) > maxInline {
				s.Cat = make([]string, 0, len(ix))
			}
			for _, p := range ix {
				s.Cat = append(s.Cat, row.Cat[p])
			}
		}
		return r.Score(s)
	}
	if treated, err = sub(m.Treated, m.ti); err != nil {
		return 0, 0, err
	}
	if control, err = sub(m.Control, m.ci); err != nil {
		return 0, 0, err
	}
	return treated, control, nil
}

// Score returns the predicted uplift of one customer, in [-1, 1]: the
// probability of response if treated minus if not. See Probabilities.
func (m *TwoModel) Score(row scorecard.Row) (float64, error) {
	t, c, err := m.Probabilities(row)
	return t - c, err
}

// ScoreDataset returns the predicted uplift of every row of ds (columns
// matched by name).
func (m *TwoModel) ScoreDataset(ds *scorecard.Dataset) ([]float64, error) {
	t, err := m.Treated.ScoreDataset(ds)
	if err != nil {
		return nil, err
	}
	c, err := m.Control.ScoreDataset(ds)
	if err != nil {
		return nil, err
	}
	for i := range t {
		t[i] -= c[i]
	}
	return t, nil
}

// Evaluate scores a (test) experiment and evaluates the ranking (see
// Evaluate); k is the share for uplift at k.
func (m *TwoModel) Evaluate(e *Experiment, k float64) (Evaluation, error) {
	if err := e.Validate(); err != nil {
		return Evaluation{}, err
	}
	s, err := m.ScoreDataset(e.Data)
	if err != nil {
		return Evaluation{}, err
	}
	return Evaluate(s, e.Treated, e.Data.Bad, k)
}
