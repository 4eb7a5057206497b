package scorecard

import (
	"errors"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// Options configures Fit. The zero value (or nil) gives the defaults of each
// part.
type Options struct {
	Binning   BinningOptions
	Selection SelectionOptions
	// Logit configures the final fit and the stepwise fits (Names is
	// ignored).
	Logit LogitOptions
	Model ModelOptions
	// Strict makes Fit fail on the first unusable candidate (constant or all
	// missing, as *VarError) instead of dropping it with StatusUnusable.
	Strict bool
}

// Report explains a Fit: every candidate with its binning and selection
// outcome, and the final logistic fit.
type Report struct {
	Candidates []Candidate  // one per dataset column, in column order
	Selected   []string     // the model's variables, in model order
	Logit      *LogitResult // final fit; Names are "const" and Selected
}

// IV returns the information value of every candidate that could be binned.
func (r *Report) IV() map[string]float64 {
	out := make(map[string]float64)
	for _, c := range r.Candidates {
		if c.Binning != nil {
			out[c.Name] = c.IV
		}
	}
	return out
}

// Fit builds a scorecard from ds: it bins every column (BinColumn, in
// parallel), selects variables (SelectionOptions: IV, correlation, VIF,
// optional stepwise), fits a logistic regression on their WoE (Logit),
// drops wrong-signed variables unless allowed, and scales the coefficients
// to points (NewModel, with ds as training data). Model variables keep the
// dataset's column order.
//
// Errors: ds.Validate errors; ErrEmpty; ErrOneClass (as *FieldError naming
// the target column); ErrNoVariables when nothing survives; with Strict, the
// first unusable column's *VarError (ErrConstant, ErrAllMissing); option and
// fit errors. With ErrNoVariables and fit errors the Report is returned too,
// to show what happened to each candidate.
func Fit(ds *Dataset, opts *Options) (*Model, *Report, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if ds == nil || ds.Rows() == 0 {
		return nil, nil, &FieldError{Field: "dataset", Err: ErrEmpty}
	}
	if err := ds.Validate(); err != nil {
		return nil, nil, err
	}
	target := ds.Target
	if target == "" {
		target = "target"
	}
	if g, b := countTarget(ds.Bad); g == 0 || b == 0 {
		return nil, nil, &FieldError{Field: target, Reason: "need both bads and goods", Err: ErrOneClass}
	}
	bp, err := o.Binning.params()
	if err != nil {
		return nil, nil, err
	}
	sp, err := o.Selection.params()
	if err != nil {
		return nil, nil, err
	}
	if _, err := o.Model.Scaling.resolve(); err != nil {
		return nil, nil, err
	}
	lo := o.Logit
	lo.Names = nil

	// Bin every column in parallel.
	k := len(ds.Columns)
	bins := make([]*Binning, k)
	errs := make([]error, k)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(k, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch [2][]float64
			for {
				j := int(next.Add(1) - 1)
				if j >= k {
					return
				}
				bins[j], errs[j] = binColumn(&ds.Columns[j], ds.Bad, &bp, &scratch)
			}
		}()
	}
	wg.Wait()
	rep := &Report{Candidates: make([]Candidate, k)}
	for j := range ds.Columns {
		c := &ds.Columns[j]
		rep.Candidates[j] = Candidate{Name: c.Name, Kind: c.Kind}
		if err := errs[j]; err != nil {
			if !errors.Is(err, ErrConstant) && !errors.Is(err, ErrAllMissing) || o.Strict {
				return nil, nil, err
			}
			rep.Candidates[j].Status = StatusUnusable
			rep.Candidates[j].Err = err
			rep.Candidates[j].Detail = trimPrefix(errors.Unwrap(err))
			continue
		}
		rep.Candidates[j].Binning = bins[j]
		rep.Candidates[j].IV = bins[j].IV
	}

	// WoE columns of the candidates passing the IV filter.
	var cols []woeCol
	for j := range rep.Candidates {
		c := &rep.Candidates[j]
		if c.Binning == nil {
			continue
		}
		if c.IV < sp.minIV {
			c.Status = StatusLowIV
			c.Detail = "IV " + strconv.FormatFloat(c.IV, 'f', 4, 64) + " < " + strconv.FormatFloat(sp.minIV, 'f', 4, 64)
			continue
		}
		cols = append(cols, woeCol{cand: j})
	}
	parallel(len(cols), func(i int) {
		j := cols[i].cand
		cols[i].x, errs[j] = bins[j].Transform(&ds.Columns[j], nil)
	})
	usable := cols[:0]
	for _, c := range cols {
		if errs[c.cand] != nil {
			return nil, nil, errs[c.cand]
		}
		if constant(c.x) {
			cand := &rep.Candidates[c.cand]
			cand.Status = StatusLowIV
			cand.Detail = "all training rows in one bin"
			continue
		}
		usable = append(usable, c)
	}
	cols = usable
	kept, err := filterVars(rep.Candidates, cols, ds.Bad, sp, lo)
	if err != nil {
		return nil, nil, err
	}
	// Model order: dataset column order.
	slices.SortFunc(kept, func(a, b woeCol) int { return a.cand - b.cand })
	var fit *LogitResult
	for {
		if len(kept) == 0 {
			return nil, rep, &FieldError{Field: "Selection", Reason: "no candidate survived binning and selection", Err: ErrNoVariables}
		}
		xs := make([][]float64, len(kept))
		names := make([]string, len(kept))
		for i, c := range kept {
			xs[i] = c.x
			names[i] = rep.Candidates[c.cand].Name
		}
		l := lo
		l.Names = names
		fit, err = Logit(design(xs), ds.Bad, &l)
		if err != nil {
			return nil, rep, err
		}
		if sp.wrongSign {
			break
		}
		worst := -1
		for i := range kept {
			if fit.Coef[i+1] > 0 && (worst < 0 || fit.P[i+1] > fit.P[worst+1]) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		c := &rep.Candidates[kept[worst].cand]
		c.Status = StatusWrongSign
		c.Detail = "coefficient +" + strconv.FormatFloat(fit.Coef[worst+1], 'f', 4, 64) + " on WoE"
		kept = slices.Delete(kept, worst, worst+1)
	}
	mb := make([]*Binning, len(kept))
	for i, c := range kept {
		mb[i] = bins[c.cand]
		rep.Candidates[c.cand].Status = StatusSelected
		rep.Candidates[c.cand].Detail = ""
		rep.Selected = append(rep.Selected, rep.Candidates[c.cand].Name)
	}
	rep.Logit = fit
	m, err := NewModel(mb, fit, ds, &o.Model)
	if err != nil {
		return nil, rep, err
	}
	return m, rep, nil
}

func constant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}
