package credit

import (
	"math"
	"time"

	"github.com/suanpan-dev/suanpan/risk/scorecard"
)

// DriftReport is the population stability of one model between a base
// sample (or its training sample) and a current one, graded by a
// DriftPolicy, with an alert for every shift worth a look.
type DriftReport struct {
	ModelID   string         `json:"model_id"`
	ModelName string         `json:"model_name,omitempty"`
	ScorePSI  float64        `json:"score_psi"`
	Severity  Severity       `json:"severity"` // of the score PSI
	Vars      []VarStability `json:"vars"`     // in model order
	// Alerts are SCORE_PSI and VAR_CSI alerts of warning or critical
	// severity, critical first.
	Alerts []Alert `json:"alerts"`
	// Drift holds the counts behind the indices.
	Drift *scorecard.Drift `json:"-"`
}

// VarStability is the characteristic stability index of one variable.
type VarStability struct {
	Name     string   `json:"name"`
	CSI      float64  `json:"csi"`
	Severity Severity `json:"severity"`
}

// CheckDrift measures the drift of model m from base to current
// (scorecard.Model.Drift: the PSI of the score over ten equal-frequency
// bands of the base, and the CSI of each variable over its bins; base nil
// means the model's training sample) and grades each index by pol (nil
// means the default 0.1 and 0.25, see DriftPolicy):
//
//	PSI = Σ (a_i − e_i) ln(a_i / e_i)
//
// over the shares e of the base and a of the current sample. at is the
// time stamped on the alerts.
func CheckDrift(m *scorecard.Model, base, current *scorecard.Dataset, pol *DriftPolicy, at time.Time) (*DriftReport, error) {
	if m == nil {
		return nil, fieldErr("model", "", ErrModel)
	}
	var dp DriftPolicy
	if pol != nil {
		dp = *pol
	}
	if dp.Warning == 0 {
		dp.Warning = 0.1
	}
	if dp.Critical == 0 {
		dp.Critical = 0.25
	}
	if !inRange(dp.Warning, 0, 100, false) || !inRange(dp.Critical, dp.Warning, 100, true) {
		return nil, policyErr("Drift", "need 0 < Warning <= Critical")
	}
	d, err := m.Drift(base, current)
	if err != nil {
		return nil, err
	}
	grade := func(x float64) Severity {
		switch {
		case x >= dp.Critical:
			return Critical
		case x >= dp.Warning:
			return Warning
		}
		return Info
	}
	r := &DriftReport{ModelID: m.ID(), ModelName: m.Name(), ScorePSI: d.ScorePSI, Severity: grade(d.ScorePSI), Drift: d}
	alert := func(c Code, sev Severity, v float64, subject string) {
		thr := dp.Warning
		if sev == Critical {
			thr = dp.Critical
		}
		r.Alerts = append(r.Alerts, Alert{At: at, Code: c, Severity: sev, Value: v, Threshold: thr, Subject: subject})
	}
	if r.Severity > Info {
		alert(CodeScorePSI, r.Severity, d.ScorePSI, m.ID())
	}
	for _, v := range d.Vars {
		s := grade(v.CSI)
		r.Vars = append(r.Vars, VarStability{Name: v.Name, CSI: v.CSI, Severity: s})
		if s > Info {
			alert(CodeVarCSI, s, v.CSI, v.Name)
		}
	}
	sortAlerts(r.Alerts)
	return r, nil
}

// InputsDataset builds the sample of model m's inputs from decisions: the
// ApplicationInputs of decisions whose ModelID is m's, or the
// BehaviourInputs of those whose BehaviourModelID is m's, in order; other
// decisions are skipped. The target is unknown and set to good. Use it as
// the current (or base) sample of CheckDrift. No matching decision is
// ErrModel.
func InputsDataset(m *scorecard.Model, decisions []Decision) (*scorecard.Dataset, error) {
	if m == nil {
		return nil, fieldErr("model", "", ErrModel)
	}
	id := m.ID()
	names, kinds := m.Names(), m.Kinds()
	ds := &scorecard.Dataset{Columns: make([]scorecard.Column, len(names))}
	for j := range names {
		ds.Columns[j] = scorecard.Column{Name: names[j], Kind: kinds[j]}
	}
	for i := range decisions {
		d := &decisions[i]
		var in []Input
		switch {
		case d.ModelID == id:
			in = d.ApplicationInputs
		case d.BehaviourModelID == id && d.HasBehaviour:
			in = d.BehaviourInputs
		default:
			continue
		}
		if len(in) != len(names) {
			return nil, fieldErr("Decision.Inputs", "inputs do not match the model's variables", ErrModel)
		}
		for j := range names {
			c := &ds.Columns[j]
			if in[j].Name != names[j] {
				return nil, fieldErr("Decision.Inputs", "inputs do not match the model's variables", ErrModel)
			}
			if kinds[j] == scorecard.Numeric {
				v := in[j].Num
				if in[j].Missing {
					v = math.NaN()
				}
				c.Num = append(c.Num, v)
			} else {
				c.Cat = append(c.Cat, in[j].Cat)
			}
		}
		ds.Bad = append(ds.Bad, false)
	}
	if len(ds.Bad) == 0 {
		return nil, fieldErr("decisions", "no decision by this model", ErrModel)
	}
	return ds, nil
}

// PopulationDrift checks the drift of the engine's models (the application
// model, then the behaviour model when there is one) from the base
// decisions to the current ones, graded by Policy.Drift. base nil compares
// with each model's training sample.
func (e *Engine) PopulationDrift(base, current []Decision, at time.Time) ([]*DriftReport, error) {
	var out []*DriftReport
	for _, m := range []*scorecard.Model{e.app, e.beh} {
		if m == nil {
			continue
		}
		cur, err := InputsDataset(m, current)
		if err != nil {
			return nil, err
		}
		var b *scorecard.Dataset
		if base != nil {
			if b, err = InputsDataset(m, base); err != nil {
				return nil, err
			}
		}
		dp := e.pol.Drift
		r, err := CheckDrift(m, b, cur, &dp, at)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
